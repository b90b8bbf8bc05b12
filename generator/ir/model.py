"""The API as the generator sees it: operations grouped into services, named schemas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeAlias, assert_never

from .types import Const, Constraints, Dispatch, Type
from .types import Union as UnionType


@dataclass(frozen=True, slots=True)
class Field:
    json_name: str
    name: str
    type: Type
    required: bool
    description: str | None = None
    has_default: bool = False
    default: Any = None
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    examples: tuple[Any, ...] = ()
    # the property a union tells its variants apart by (a `discriminator`, a subtype's
    # tag, a constant that differs per variant): the builder's decision (`unions.tags`)
    tag: bool = False

    @property
    def constant(self) -> bool:
        """One value the client writes itself: defaulted, always sent, tolerated missing
        (a `const` or one-value enum that is required, a tag, or whose `default` is that
        value, so that sending it and leaving it out mean the same). Any other optional
        one (a PATCH body's one-value `status`, GitHub's `workflows: [write]` permission)
        is an ordinary optional field: sent only when the caller sets it, and missing
        from a response when the server leaves it out."""
        return isinstance(self.type, Const) and (self.required or self.tag or _defaults_to(self, self.type))


def _defaults_to(item: Field | Parameter, const: Const) -> bool:
    """The spec's `default` is the constant's own value (`True` is not `1`)."""
    default = item.default
    return item.has_default and isinstance(default, (str, int, float, bool)) and Const(default) == const


@dataclass(frozen=True, slots=True)
class Model:
    name: str
    pointer: str
    fields: tuple[Field, ...]
    description: str | None = None
    title: str | None = None
    deprecated: bool = False
    examples: tuple[Any, ...] = ()
    additional: Type | None = None  # typed `additionalProperties` beside named ones
    additional_name: str | None = None  # the Python attribute holding them
    in_requests: bool = False  # reachable from a request body: open enums also take plain values
    unknown_name: str | None = None  # response models: the attribute keeping undeclared keys


@dataclass(frozen=True, slots=True)
class EnumMember:
    name: str
    value: str | int


@dataclass(frozen=True, slots=True)
class Enum:
    name: str
    pointer: str
    kind: Literal["str", "int"]
    members: tuple[EnumMember, ...]
    description: str | None = None
    deprecated: bool = False


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    pointer: str
    type: Type
    description: str | None = None


# -- how a value goes on the wire (OpenAPI "style"/"explode", `content`, `encoding`) -------

ParamStyle = Literal["simple", "label", "matrix", "form", "spaceDelimited", "pipeDelimited", "deepObject"]


@dataclass(frozen=True, slots=True)
class StyleSerialization:
    """RFC 6570-style expansion (`style` + `explode`, `allowReserved` for query values)."""

    style: ParamStyle
    explode: bool
    allow_reserved: bool = False


@dataclass(frozen=True, slots=True)
class ContentSerialization:
    """A value written as a document of `media_type` (`content:` of a parameter,
    `encoding.contentType` of a form field): JSON text, or the value's plain text."""

    media_type: str
    kind: Literal["json", "text"]


Serialization: TypeAlias = StyleSerialization | ContentSerialization


@dataclass(frozen=True, slots=True)
class Parameter:
    json_name: str
    name: str
    location: Literal["path", "query", "header", "cookie"]
    type: Type
    required: bool
    serialization: Serialization
    description: str | None = None
    has_default: bool = False
    default: Any = None
    deprecated: bool = False
    examples: tuple[Any, ...] = ()
    constraints: Constraints | None = None

    @property
    def constant(self) -> bool:
        """One allowed value outside the path, required or the parameter's `default`
        (AWS's `Action`): every target sends it itself; no caller sets it (Python: the
        argument's default, Go: no field). Any other optional one (S3's
        `x-amz-request-payer: requester`, a filter with one value) is the caller's to
        send: an ordinary optional parameter."""
        return (
            self.location != "path"
            and isinstance(self.type, Const)
            and (self.required or _defaults_to(self, self.type))
        )

    @property
    def style(self) -> ParamStyle | None:
        s = self.serialization
        return s.style if isinstance(s, StyleSerialization) else None


# -- request bodies, by media type -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JsonBody:
    """Any JSON media type: `application/json` (with parameters), `application/*+json`."""


@dataclass(frozen=True, slots=True)
class FormField:
    """One property of an `application/x-www-form-urlencoded` body and its `encoding`."""

    json_name: str
    serialization: Serialization


@dataclass(frozen=True, slots=True)
class FormBody:
    """`application/x-www-form-urlencoded`: properties by their `encoding` (default form,
    explode); `None` is sent as an empty value (`key=`)."""

    fields: tuple[FormField, ...]


PartKind = Literal["file", "text", "json"]


@dataclass(frozen=True, slots=True)
class MultipartPart:
    """One property of a multipart body: a file (bytes, binary file object or a
    `(filename, content, content_type)` tuple), a text value, or a JSON document.
    `repeated`: an array, one part per item."""

    json_name: str
    kind: PartKind
    content_type: str
    repeated: bool = False


@dataclass(frozen=True, slots=True)
class MultipartBody:
    parts: tuple[MultipartPart, ...]


@dataclass(frozen=True, slots=True)
class BinaryBody:
    """Raw bytes (`application/octet-stream`, `image/*`, ...): bytes, a binary file
    object or an iterator of bytes, streamed."""


@dataclass(frozen=True, slots=True)
class TextBody:
    """`text/*`: a `str`, encoded as UTF-8 unless the media type names a charset."""

    charset: str = "utf-8"


@dataclass(frozen=True, slots=True)
class WildcardBody:
    """`*/*`, `application/*`...: the caller passes bytes (and a content type) or a
    JSON-able value."""


BodyEncoding: TypeAlias = JsonBody | FormBody | MultipartBody | BinaryBody | TextBody | WildcardBody


@dataclass(frozen=True, slots=True)
class BodyMedia:
    """One media type a request body may be sent as."""

    content_type: str
    type: Type
    encoding: BodyEncoding
    examples: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Body:
    """The request body. `media[0]` is the default media type (JSON where offered); the
    caller may pick another of `media` per call."""

    media: tuple[BodyMedia, ...]
    required: bool
    description: str | None = None

    @property
    def content_type(self) -> str:
        return self.media[0].content_type

    @property
    def ways(self) -> tuple[tuple[BodyMedia, ...], ...]:
        """The media types grouped by how they are sent, in the order of their first
        member: a client sends each group by one code path, under the media type the
        caller picked. JSON, raw bytes and `*/*` take any value of their kind; text
        differs by charset, a form by its fields' encodings, multipart also by the type
        whose attributes its parts read."""
        groups: dict[object, list[BodyMedia]] = {}
        for media in self.media:
            enc = media.encoding
            key: object
            match enc:
                case JsonBody() | BinaryBody() | WildcardBody() | TextBody() | FormBody():
                    key = enc
                case MultipartBody():
                    key = (enc, media.type)
                case _:
                    assert_never(enc)
            groups.setdefault(key, []).append(media)
        return tuple(tuple(g) for g in groups.values())

    @property
    def type(self) -> Type:
        return self.media[0].type

    @property
    def encoding(self) -> BodyEncoding:
        return self.media[0].encoding

    @property
    def examples(self) -> tuple[Any, ...]:
        return self.media[0].examples


# -- responses: how each documented media type is read off the wire ------------------
# A closed set: every stage matches on it exhaustively (`typing.assert_never`).


@dataclass(frozen=True, slots=True)
class JsonContent:
    """`application/json`, `application/*+json`, `application/json; charset=...`: one JSON value."""

    media_type: str
    type: Type


@dataclass(frozen=True, slots=True)
class TextContent:
    """`text/*` (but `text/event-stream`), XML and other textual types: the body as `str`."""

    media_type: str


@dataclass(frozen=True, slots=True)
class BinaryContent:
    """Anything else (`application/octet-stream`, `image/*`, `application/pdf`...): `bytes`,
    or a streamed download that never holds the whole body."""

    media_type: str


@dataclass(frozen=True, slots=True)
class EventStreamContent:
    """`text/event-stream`: Server-Sent Events whose `data` decodes as `item`.

    `item_json` is False when the item is a plain string (each `data` is kept as text);
    an event whose `data` is exactly `terminal` ends the stream."""

    element: ClassVar[str] = "event"  # what one element of the stream is called (samples' loop variable)
    media_type: str
    item: Type
    item_json: bool = True
    terminal: str | None = "[DONE]"


@dataclass(frozen=True, slots=True)
class JsonLinesContent:
    """NDJSON / JSON lines (`application/x-ndjson`, `application/jsonl`,
    `application/json;stream=watch`...): one JSON value per line, each an `item`."""

    element: ClassVar[str] = "item"  # what one element of the stream is called (samples' loop variable)
    media_type: str
    item: Type


ResponseContent = JsonContent | TextContent | BinaryContent | EventStreamContent | JsonLinesContent
STREAMED_CONTENT = (EventStreamContent, JsonLinesContent)


@dataclass(frozen=True, slots=True)
class StreamSwitch:
    """A boolean member of the JSON request body that makes the server answer with the
    streamed media type (`"stream": true`): the plain method sends it false, the
    streaming one true."""

    field: str  # the JSON name in the request body


@dataclass(frozen=True, slots=True)
class Response:
    """One documented status. `contents` are the media types the client can decode, in
    the order it prefers them (empty: no body is read); `content_type` / `type` are the
    first one's, kept for docs and diffs (`type` of a stream is its item type)."""

    status: str  # "200", "4XX", "default"
    description: str | None
    content_type: str | None
    type: Type | None
    examples: tuple[Any, ...] = ()
    contents: tuple[ResponseContent, ...] = ()
    stream_switch: StreamSwitch | None = None


PaginationKind = Literal["page", "offset", "cursor", "next_url", "link_header"]


@dataclass(frozen=True, slots=True)
class Pagination:
    """Which parameter to step and where the items are (Python attribute names).

    page: `page_param` counts pages, up to `max_page_path` (empty: until an empty page);
    offset: `page_param` advances by the items received, until an empty page;
    cursor: `page_param` takes `next_path` of each page, or, with `has_more_path`, the
    `cursor_item_field` of its last item, until there is no next cursor;
    next_url: the next request goes to the URL at `next_path` of each page (its
    intermediate objects may be absent), until there is none;
    link_header: the next request goes to the `rel="next"` target of the response's
    RFC 8288 `Link` header, until there is none.
    For next_url and link_header `page_param` is empty (nothing is stepped: the server's
    URL replaces the query). `items_field` is empty when the response is the list itself;
    `items_optional`: it may be absent or null, which reads as an empty page.
    """

    page_param: str
    items_field: str
    max_page_path: tuple[str, ...]
    item_type: Type
    kind: PaginationKind = "page"
    next_path: tuple[str, ...] = ()
    has_more_path: tuple[str, ...] = ()
    cursor_item_field: str | None = None
    items_optional: bool = False


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    group: tuple[str, ...]  # namespace path, already snake_case
    name: str  # method name
    method: str  # upper case (`GET`, `QUERY`); an OpenAPI 3.2 `additionalOperations` key as written
    path: str
    pointer: str
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    security: tuple[SecurityRequirement, ...]  # alternatives (OR); () = no credentials
    summary: str | None = None
    description: str | None = None
    deprecated: bool = False
    tags: tuple[str, ...] = ()
    pagination: Pagination | None = None
    # `<name>_stream`: the method that returns the success response streamed (events,
    # JSON lines or a binary download) when `name` returns it whole; None when not needed.
    stream_name: str | None = None
    # query pairs every call sends first, from a path key holding a query string
    # (`/rest?method=x`): (name, value), the value None for a bare name (`?flag`)
    fixed_query: tuple[tuple[str, str | None], ...] = ()
    # the Paths Object's key when it is not `path` (it held a query string or fragment)
    path_key: str | None = None
    # the URL templates of the operation's own servers (its `servers`, else its path
    # item's), in order, when they differ from the document's: the call goes to the first
    # unless the client's chosen server is among them, or a `base_url` was given (both
    # runtimes: `ClientConfig.base_url_for`, Go's `Config.base`). Their `{variables}` are
    # among `Api.server_variables`. () = the client's server.
    servers: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The operation's key in the spec's Paths Object (unique with `method`)."""
        return self.path_key if self.path_key is not None else self.path

    @property
    def target(self) -> str:
        """The path and fixed query it is sent to, as labels and docs show it."""
        if not self.fixed_query:
            return self.path
        pairs = (name if value is None else f"{name}={value}" for name, value in self.fixed_query)
        return self.path + "?" + "&".join(pairs)


@dataclass(frozen=True, slots=True)
class HttpBearer:
    """`http` `bearer`: `Authorization: Bearer <token>`."""

    bearer_format: str | None = None


@dataclass(frozen=True, slots=True)
class HttpBasic:
    """`http` `basic`: `Authorization: Basic base64(username:password)`."""


@dataclass(frozen=True, slots=True)
class HttpOther:
    """Another `http` scheme (digest, hoba, ...): the caller supplies an `httpx.Auth`."""

    scheme: str


@dataclass(frozen=True, slots=True)
class ApiKey:
    """`apiKey`: the value (after an optional per-job prefix) in a header, query or cookie."""

    location: Literal["header", "query", "cookie"]
    parameter: str
    prefix: str = ""


@dataclass(frozen=True, slots=True)
class OAuth2:
    """`oauth2`: an access token as `Bearer`; with a clientCredentials flow the client can
    also fetch tokens itself from `token_url` (absolute, or relative to the server)."""

    flows: tuple[str, ...]  # flow names in spec order
    token_url: str | None = None  # of the clientCredentials flow, when declared


@dataclass(frozen=True, slots=True)
class OpenIdConnect:
    """`openIdConnect`: an access token sent as `Bearer`."""

    url: str | None = None


@dataclass(frozen=True, slots=True)
class MutualTLS:
    """`mutualTLS`: a client certificate, configured on the caller's `http_client`."""


SchemeKind = HttpBearer | HttpBasic | HttpOther | ApiKey | OAuth2 | OpenIdConnect | MutualTLS

# Where a scheme's credential comes from: a token sent as `Authorization: Bearer`, another
# value the Client takes (basic credentials, an API key), or code the caller configures
# (an `httpx.Auth`, a TLS certificate), never an environment variable.
CredentialSource = Literal["bearer", "value", "code"]


def credential_source(kind: SchemeKind) -> CredentialSource:
    match kind:
        case HttpBearer() | OAuth2() | OpenIdConnect():
            return "bearer"
        case HttpBasic() | ApiKey():
            return "value"
        case HttpOther() | MutualTLS():
            return "code"
        case _:
            assert_never(kind)


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    key: str  # the name under components/securitySchemes
    arg: str  # keyword argument of Client/AsyncClient (snake_case of the key)
    kind: SchemeKind
    env: str | None  # environment variable (base name) the argument defaults to
    description: str | None = None


@dataclass(frozen=True, slots=True)
class SchemeUse:
    """One scheme of a requirement, with the scopes the operation needs from it."""

    scheme: str  # SecurityScheme.key
    scopes: tuple[str, ...] = ()


SecurityRequirement = tuple[SchemeUse, ...]  # AND: every scheme at once; () = anonymous


# Where a server variable sits in its URL template (builder/servers.py): `url` a whole
# base URL (`{server}`, default `https://...`); `scheme` before `://`; `host` inside the
# host name; `authority` ending it (host, and maybe `:port`); `port` after `:`; `path`
# after the host's `/`; `base_path` right after the host with a default starting with `/`
# (`https://api.example.com{basePath}`): its value must start with `/` (or be empty).
ServerVariablePlace = Literal["url", "scheme", "host", "authority", "port", "path", "base_path"]


def server_variable_keeps(place: ServerVariablePlace) -> str:
    """The characters a server variable's value keeps unescaped where it sits (every target):
    whatever keeps the URL's structure (never `?` or `#`; in the authority never `/` or `@`;
    `:` only where a port may follow). A `base_path` value must also start with `/`."""
    match place:
        case "url" | "path" | "base_path":
            return "/!$&'()*+,;=:@-._~"
        case "scheme":
            return "+-."
        case "host":
            return "-._~"
        case "authority":
            return "-._~:"
        case "port":
            return ""
        case _:
            assert_never(place)


@dataclass(frozen=True, slots=True)
class ServerVariable:
    """A `{name}` of server URLs: a keyword argument of the client constructors."""

    json_name: str  # as written in the URL template
    name: str  # the Python argument
    default: str
    values: tuple[str, ...] = ()  # the `enum`, if any: the argument is a Literal of them
    description: str | None = None
    place: ServerVariablePlace = "host"  # where the URL templates put it: what its value may not escape


@dataclass(frozen=True, slots=True)
class Server:
    name: str
    url: str  # a template when it has `{variables}`
    description: str | None = None
    variables: tuple[str, ...] = ()  # json names of the ServerVariables its URL uses


@dataclass(frozen=True, slots=True)
class Webhook:
    name: str
    event: str
    type: Type
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Api:
    title: str
    version: str
    description: str | None
    servers: tuple[Server, ...]
    security_schemes: tuple[SecurityScheme, ...]
    operations: tuple[Operation, ...]
    models: tuple[Model, ...]
    enums: tuple[Enum, ...]
    aliases: tuple[Alias, ...] = ()
    webhooks: tuple[Webhook, ...] = ()
    server_variables: tuple[ServerVariable, ...] = ()
    webhook_payload: UnionType | None = None  # what `parse_webhook` decodes: any webhook's payload
    dispatch: tuple[Dispatch, ...] = ()  # how every union in the API is decoded, each once


# -- reading a response's decisions (every stage asks the same questions) ----------


@dataclass(frozen=True, slots=True)
class PathPiece:
    """One piece of an operation's path template: literal text, or a parameter."""

    text: str  # the literal text, or the parameter's JSON name
    parameter: bool
    # a parameter that fills a whole segment (`{id}` in `/v1/customers/{id}`, not `{name}`
    # in `/files/{name}.txt`): the clients refuse an empty, `.` or `..` value there, which
    # URL normalisation would turn into another endpoint (`/v1/customers/` is another
    # route, `/v1/customers/..` is `/v1`)
    whole: bool = False


# The Path Item's method fields, as OpenAPI 3.0/3.1 list them; 3.2 adds `query`. The
# builder sends each upper-cased (`Operation.method`); a 3.2 `additionalOperations` key
# is sent as written, and none of these may be one.
METHOD_FIELDS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
QUERY_FIELD = "query"


def is_method_field(method: str) -> bool:
    """Whether `Operation.method` came from a method field of its path item (else from
    OpenAPI 3.2's `additionalOperations`, whose keys are never one)."""
    return method.isupper() and method.lower() in (*METHOD_FIELDS, QUERY_FIELD)


def operation_servers(api: Api) -> tuple[str, ...]:
    """Every URL template of the operations' own servers, each once, in order of use."""
    return tuple(dict.fromkeys(url for op in api.operations for url in op.servers))


def path_pieces(path: str) -> tuple[PathPiece, ...]:
    """`path` cut into its literal text and its `{parameter}`s, in order (both clients
    build their requests' paths from these)."""
    out: list[PathPiece] = []
    rest, first = path, True
    while "{" in rest:
        start = rest.index("{")
        end = rest.index("}", start)
        before, after = rest[:start], rest[end + 1 :]
        if before:
            out.append(PathPiece(before, False))
        whole = (before.endswith("/") or (first and not before)) and (not after or after.startswith("/"))
        out.append(PathPiece(rest[start + 1 : end], True, whole))
        rest, first = after, False
    if rest:
        out.append(PathPiece(rest, False))
    return tuple(out)


def success_response(op: Operation) -> Response | None:
    """The response the methods return: the first 2xx one."""
    return next((r for r in op.responses if r.status.startswith("2")), None)


def plain_contents(r: Response) -> tuple[JsonContent | TextContent | BinaryContent, ...]:
    """The media types read whole (the method's result is decoded by its Content-Type)."""
    return tuple(c for c in r.contents if isinstance(c, (JsonContent, TextContent, BinaryContent)))


def streamed_content(r: Response) -> EventStreamContent | JsonLinesContent | None:
    """The media type read as a stream of items (at most one per response)."""
    return next((c for c in r.contents if isinstance(c, (EventStreamContent, JsonLinesContent))), None)


def content_types(r: Response) -> tuple[Type, ...]:
    """Every type a response's media types decode into (stream items included)."""
    out: list[Type] = []
    for c in r.contents:
        match c:
            case JsonContent():
                out.append(c.type)
            case EventStreamContent() | JsonLinesContent():
                out.append(c.item)
            case TextContent() | BinaryContent():
                pass
            case _:
                assert_never(c)
    return tuple(out)
