"""Typed template contexts of the Go target: what each template in `templates/go/` may
print. Every value is decided by GoEmitter (golang/emit.py) in one pass, from the IR;
the templates only place these strings. A file is a `Unit` of its view: the module path,
the package name and `x`, the view the template lays out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Generic, Literal, TypeAlias, TypeVar

from ..ir import model as m
from ..ir import types as t
from .security import SecurityPlan

P = TypeVar("P")


def op_key(op: m.Operation) -> tuple[str, str]:
    """What an operation's views are keyed by: its method and path, unique in a spec.
    Not its pointer: a path item that `$ref`s another gives both paths' operations the
    target's pointer."""
    return (op.method, op.key)


@dataclass(frozen=True, slots=True)
class Unit(Generic[P]):
    """One templated file: `module` and `package` for its header and imports, `x` its view."""

    module: str
    package: str
    x: P


# -- unions (models/components/<union>.go) -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Variant:
    """One variant of a Go union: its field, its constant and its constructor (what a
    decoded value of Go type `type` is wrapped with)."""

    ir: t.Type
    name: str
    type: str
    field_type: str
    by_pointer: bool
    param: str
    const: str
    constructor: str
    wire: str


@dataclass(frozen=True, slots=True)
class Case:
    """One rule of a union's decoding: `match` is, by the list it is in, the Go literal
    of a discriminator value, the Go literals of the keys that must be present too (a
    discriminator value's guard, joined by ", "), or a Go condition (on the keys and their
    kinds, or on the JSON kind); `decode` the variant it lands in."""

    match: str
    decode: Variant


@dataclass(frozen=True, slots=True)
class TagCase:
    """The rules of one discriminator value: `guarded` first (`match`: the keys that must
    all be present, for a value two variants share), then `decode` (None: no variant left
    for the value without keys)."""

    match: str
    guarded: tuple[Case, ...]
    decode: Variant | None


@dataclass(frozen=True, slots=True)
class Decoding:
    """How a union's UnmarshalJSON tells its variants apart (the builder's dispatch);
    `tag`: the Go literals of the keys leading to the discriminator, joined by ", "."""

    tag: str | None
    by_tag: tuple[TagCase, ...]
    by_key: tuple[Case, ...]
    fallback: Variant | None
    by_kind: tuple[Case, ...]


@dataclass(frozen=True, slots=True)
class UnionView:
    name: str
    type_name: str
    unknown: str
    variants: tuple[Variant, ...]
    decode: Decoding
    uses_time: bool


# -- models (models/components/<model>.go) -----------------------------------------------


@dataclass(frozen=True, slots=True)
class ConstField:
    """A property whose schema is a `const`: always written, exposed by a getter."""

    const: ClassVar[bool] = True
    json: str  # Go literal of the JSON name
    raw: str  # Go literal of the JSON value
    name: str
    value: str  # Go literal of the value
    go_type: str
    doc: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TupleDecoding:
    """A `prefixItems` field: a slice of `union`, decoded item by item."""

    union: str
    items: tuple[Variant, ...]


@dataclass(frozen=True, slots=True)
class Field:
    const: ClassVar[bool] = False
    name: str
    go_type: str
    tag: str
    json: str
    tag_safe: bool
    tuple_of: TupleDecoding | None
    required: bool
    nilable: bool
    null_field: bool
    doc: tuple[str, ...]
    deprecated: bool


@dataclass(frozen=True, slots=True)
class ModelView:
    name: str
    doc: tuple[str, ...]
    deprecated: bool
    fields: tuple[Field | ConstField, ...]
    consts: tuple[ConstField, ...]
    null_fields: bool
    additional: str | None  # Go type of the values of the keys the schema does not name
    custom_decode: bool
    unsafe_fields: tuple[Field, ...]
    tuple_fields: tuple[Field, ...]
    required: tuple[str, ...]
    uses_time: bool

    def field(self, json: str) -> Field:
        """The (non-const) field of a JSON name, given as its Go literal."""
        return next(f for f in self.fields if isinstance(f, Field) and f.json == json)


@dataclass(frozen=True, slots=True)
class EnumView:
    name: str
    base: str
    doc: tuple[str, ...]
    members: tuple[tuple[str, str], ...]  # (Go constant, Go literal)


@dataclass(frozen=True, slots=True)
class AliasView:
    name: str
    go_type: str
    doc: tuple[str, ...]
    uses_time: bool


# -- operations (models/operations/<op>.go, <service>.go) --------------------------------

Location: TypeAlias = Literal["path", "query", "header", "cookie"]


@dataclass(frozen=True, slots=True)
class Param:
    json: str
    location: Location
    doc: tuple[str, ...]
    required: bool
    style: str | None  # Go literals; None for a `content` parameter
    explode: str
    reserved: str
    content: str | None  # Go literal of a `content` parameter's media type
    go_type: str
    var: str | None  # the argument (positional operations)
    field: str | None  # the request struct's field (others)
    expr: str
    type_context: str  # the name its Go type was made under (a union's name comes from it)


@dataclass(frozen=True, slots=True)
class FormRule:
    json: str
    style: str | None
    explode: str
    reserved: str
    content: str | None


@dataclass(frozen=True, slots=True)
class PartView:
    field: str
    json: str
    kind: str
    content_type: str
    repeated: bool
    nilable: bool
    expr: str
    guard: str | None = None  # a union body: the condition under which its variant holds the part


BodyKind: TypeAlias = Literal["json", "form", "multipart", "parts", "raw", "text"]


@dataclass(frozen=True, slots=True)
class Switch:
    """The JSON body's boolean member that asks for the streamed answer: the method
    sends it false, its `...Stream` twin true (set on a copy of the body)."""

    field: str
    pointer: bool
    value: str  # "true" or "false"


@dataclass(frozen=True, slots=True)
class BodyView:
    var: str
    expr: str
    go_type: str
    kind: BodyKind
    content_type: str  # Go literal (for multipart, the media type the boundary is added to)
    rules: tuple[FormRule, ...]
    parts: tuple[PartView, ...]
    nilable: bool
    doc: tuple[str, ...]
    switch: Switch | None = None


ResponseKind: TypeAlias = Literal["empty", "json", "text", "binary", "events", "lines", "download"]


@dataclass(frozen=True, slots=True)
class StreamItem:
    """What one event's data, or one line, decodes into."""

    type: str
    json: bool  # False: an event's data is kept as text
    terminal: str | None  # Go literal of the data that ends an event stream ("[DONE]")


@dataclass(frozen=True, slots=True)
class ResponseField:
    name: str
    go_type: str
    value_type: str
    doc: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Answer:
    """What one status makes of the answer: a 2xx case (`field` the response field it
    fills, a stream's item) or a documented error body (`value_type` decoded, then
    carried by the typed error)."""

    cond: str
    kind: ResponseKind
    field: str | None
    value_type: str | None
    by_pointer: bool
    stream: StreamItem | None = None
    # a 2xx response offering several media types read whole: the Content-Type picks
    # one of `variants` (as the Python client's by_content_type); `offers` lists them
    offers: tuple[str, ...] = ()  # `sdk.Offer{...}` literals, in the variants' order
    variants: tuple[Answer, ...] = ()


PagingKind: TypeAlias = Literal["max_page", "page", "offset", "next", "last_id", "next_url", "link_header"]


@dataclass(frozen=True, slots=True)
class PagingView:
    """An `<Op>Iter` method: which request field steps (none for next_url and
    link_header: the server names the next page's URL), and how the next value is read
    from a page (`guards`: the pointers on the way that must not be nil; `value`: the
    last page number, the next cursor, the has-more flag or the next URL, through them)."""

    method: str
    kind: PagingKind
    item_type: str
    page_field: str
    page_pointer: bool
    value_type: str  # Go type of the stepped value: int64 or string
    start: str  # Go expression of the first value when the caller set none
    result_field: str
    items: str  # Go expression of a page's items (`data.Items`; `data` when the page is the list)
    guards: tuple[str, ...]
    value: str
    last_id: str | None  # last_id: the item field whose value is the next cursor


@dataclass(frozen=True, slots=True)
class OperationView:
    method_name: str
    http_method: str
    summary: tuple[str, ...]
    description: tuple[str, ...]
    label: str
    deprecated: bool
    positional: bool
    params: tuple[Param, ...]
    args: tuple[Param, ...]  # the params a caller sets (not the constants): arguments or fields
    query: tuple[Param, ...]
    fixed_query: str | None  # a Go string literal: the pairs a path key fixes, sent first
    servers: str | None  # the []string literal of the operation's own servers' URL templates
    headers: tuple[Param, ...]
    cookies: tuple[Param, ...]
    body: BodyView | None
    path_parts: tuple[str, ...]
    request_type: str
    response_type: str
    response_fields: tuple[ResponseField, ...]
    success: tuple[Answer, ...]
    failures: tuple[Answer, ...]
    secured: str
    security: str  # the []sdk.Requirement literal (alternatives of scheme sets), or "nil"
    accept: str
    pagination: PagingView | None
    uses_time: bool
    service_path: str
    streamed: bool  # a success answer is a stream: the call leaves its body open
    response_streams: bool  # the response struct has a stream field (this method's or its twin's)
    response_owner: bool  # False for a method sending another media type: it shares the response type
    uses_components: bool  # the operation's file names a components type

    @property
    def base(self) -> str:
        """The operation's Go name, the stem of its request and response types."""
        return self.request_type.removesuffix("Request")


@dataclass(frozen=True, slots=True)
class GroupView:
    path: tuple[str, ...]
    type: str
    field: str
    children: tuple[GroupView, ...]
    operations: tuple[OperationView, ...]


@dataclass(frozen=True, slots=True)
class ServiceView:
    groups: tuple[GroupView, ...]  # a top-level group, then its descendants
    uses_http: bool
    uses_time: bool
    uses_pagination: bool
    uses_stream: bool


# -- the root package, README ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerView:
    name: str
    const: str
    url: str
    doc: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ServerVariableView:
    """A `{name}` of the server URLs: an option `With<Name>(value)` of New."""

    json_name: str  # Go string literal
    option: str
    type_name: str | None  # the typed string of an `enum`, else None (a plain string)
    go_type: str
    default: str  # Go string literal
    values: tuple[tuple[str, str], ...]  # (constant, Go string literal) per enum value
    keep: str  # Go string literal: what its value keeps unescaped besides letters, digits, -._~
    path_start: bool  # right after the host: a value must start with `/` (or be empty)
    doc: tuple[str, ...]
    placeholder: str  # `{name}` as the URLs write it (for the docs)


@dataclass(frozen=True, slots=True)
class SdkView:
    services: tuple[GroupView, ...]
    servers: tuple[ServerView, ...]
    variables: tuple[ServerVariableView, ...]
    default_server: str | None
    token_env: str | None
    timeout_ms: int
    user_agent: str
    package_doc: tuple[str, ...]
    security: SecurityPlan
    operation_servers: tuple[str, ...] = ()  # Go string literals: the operations' own servers' URLs, each once


@dataclass(frozen=True, slots=True)
class ReadmeView:
    title: str
    token_env: str | None
    sample: str | None
    security: SecurityPlan | None = None
    webhooks: bool = False
    own_servers: int = 0  # operations served at servers of their own (`Operation.servers`)


@dataclass(frozen=True, slots=True)
class WebhooksView:
    """webhooks/webhooks.go: what Verify and Parse decode a payload into."""

    event_type: str  # Go type, as package webhooks spells it
    unknown: str | None  # the union's Unknown type constant, when the payload is a union
    uses_components: bool
    uses_time: bool


View: TypeAlias = (
    ModelView
    | EnumView
    | AliasView
    | UnionView
    | OperationView
    | ServiceView
    | SdkView
    | ReadmeView
    | SecurityPlan
    | WebhooksView
    | None
)
GoContext: TypeAlias = Unit[View]
