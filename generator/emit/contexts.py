"""Typed template contexts of the Python package: what each template may print.

Each is a frozen dataclass filled in one pass by emit/python.py, every printed line
already laid out (emit/layout.py); templates only place these strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

# -- security schemes (client.py, README) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchemeView:
    """One security scheme as the templates show it."""

    key: str
    arg: str
    annotation: str  # of the Client keyword argument ("" when it has none: mutual TLS)
    runtime: str  # the `_auth.Scheme(...)` expression
    sends: str  # Markdown: what goes on the wire
    how: str  # Markdown: how to configure it
    env_names: tuple[str, ...]
    description: str
    keyword: bool  # the Client takes a keyword argument for it (not mutual TLS: `http_client`)
    passes: str  # Markdown: what that argument takes ("" without one)


# -- models/<module>.py ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldLine:
    name: str
    line: str  # `name: annotation = default`


@dataclass(frozen=True, slots=True)
class ModelItem:
    kind: ClassVar[str] = "model"
    name: str
    doc: str
    attributes: tuple[tuple[str, str], ...]  # (field name, docstring text)
    class_line: str  # `class Name(_rt.Model):`: from_dict / to_dict come from the base
    fields: tuple[FieldLine, ...]
    table_line: str  # `_FIELDS_<name> = """..."""`: the field table (runtime/_codec.py), one literal


@dataclass(frozen=True, slots=True)
class EnumItem:
    kind: ClassVar[str] = "enum"
    name: str
    doc: str
    class_line: str
    member_lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AliasItem:
    kind: ClassVar[str] = "alias"
    name: str
    doc: str
    alias_line: str
    decode_def: str
    decode_line: str


@dataclass(frozen=True, slots=True)
class ModuleHead:
    """A generated module's import lines and its module-level helper functions."""

    stdlib_imports: tuple[str, ...]
    symbol_imports: tuple[str, ...]  # the generated models, enums and aliases it uses
    helpers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ModelModule:
    items: tuple[ModelItem | EnumItem | AliasItem, ...]
    head: ModuleHead


@dataclass(frozen=True, slots=True)
class ModelsInit:
    exports: tuple[tuple[str, str], ...]  # (name, module)
    import_lines: tuple[str, ...]


# -- services/<group>.py -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Argument:
    name: str
    line: str  # `name: annotation = default,`


@dataclass(frozen=True, slots=True)
class ChildService:
    attr: str
    cls: str
    import_both: str
    import_sync: str
    import_async: str


@dataclass(frozen=True, slots=True)
class Pagination:
    name: str
    page_param: str
    items: str
    max_page: str
    item_annotation: str
    forward: tuple[str, ...]  # arguments passed on to every page's call
    start: str = ""  # the first page/offset/cursor expression
    advance: str | None = None  # `_rt.iterate`'s step (None: `iterate_pages` with max_page)
    next_url: str | None = None  # `_rt.follow`'s `(page, headers) -> URL` (no stepped parameter)
    items_lambda: str = ""  # page -> its items
    heads: tuple[str, str] = ("", "")  # `) -> Iterator[...]:` and `) -> AsyncIterator[...]:`, laid out


@dataclass(frozen=True, slots=True)
class Overload:
    """One `@overload` of an operation whose body has several media types."""

    positional: tuple[Argument, ...]
    keyword: tuple[Argument, ...]


@dataclass(frozen=True, slots=True)
class Twin:
    """`<name>_stream = _rt.StreamTwin(<name>, _opN)` in the sync class and its async
    counterpart (each laid out), and the text of the attribute docstring under them."""

    sync_line: str
    async_line: str
    doc: str


@dataclass(frozen=True, slots=True)
class OperationItem:
    name: str
    positional: tuple[Argument, ...]
    keyword: tuple[Argument, ...]
    overloads: tuple[Overload, ...]  # empty unless the body has several media types
    returns: str
    deprecated: bool
    pagination: Pagination | None
    summary: str
    description: str
    args: tuple[tuple[str, str], ...]  # (argument, docstring text)
    raises: tuple[tuple[str, str], ...]  # (error class, docstring text)
    label: str
    # `return self._core.call(<its Operation constant>, <path>, <query values>, ...)`:
    # what varies between calls; the rest is the module's constant (ServiceModule.constants)
    call: str
    uses_wire: bool  # the request needs the `_w` encoders
    # the response side: async annotations and decoders (so constants) differ for streams
    async_returns: str
    async_call: str
    returns_doc: str | None  # the docstring's Returns text when more than the annotation
    # `) -> <annotation>:` closing the signature, and `) -> <annotation>: ...` an overload's
    heads: tuple[str, str]
    async_heads: tuple[str, str]
    streaming: bool  # uses the package's `streaming` module
    warn_line: str = ""  # a deprecated operation's `warnings.warn(...)`, laid out
    twin: Twin | None = None  # a stream twin declared from its plain method, not written out


@dataclass(frozen=True, slots=True)
class ServiceModule:
    cls: str
    group: str
    operations: tuple[OperationItem, ...]
    children: tuple[ChildService, ...]
    head: ModuleHead
    deprecated: bool
    paginated: bool
    uses_wire: bool
    streaming: bool  # imports the package's `streaming` module
    raw_names: tuple[str, ...] = ()  # every method `with_raw_response` wraps (none in a part)
    part: bool = False  # a part module: a mixin class of some of the group's operations
    bases: tuple[str, ...] = ()  # the group's class inherits from these parts' classes
    class_lines: tuple[str, str] = ("", "")  # the sync and async `class ...(bases):` lines, laid out
    part_imports: tuple[str, ...] = ()  # `from ._<group>_part<n> import ...` lines
    # module-level statements, laid out: the literals several operations share (security
    # requirements, error decoders, query parameters), then each `_rt.Operation` constant
    constants: tuple[str, ...] = ()
    raw_defs: tuple[str, str] = ("", "")  # the sync and async `def with_raw_response(...)` headers, laid out
    raw_inits: tuple[str, str] = ("", "")  # the raw-response classes' `def __init__(...)` headers, laid out
    raw_lines: tuple[tuple[str, str], ...] = ()  # per raw name, `self.<name> = _raw.raw(...)` sync and async


@dataclass(frozen=True, slots=True)
class ServicesInit:
    pass


# -- the package -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PackageInit:
    title: str
    version: str


@dataclass(frozen=True, slots=True)
class ClientGroup:
    attr: str
    module: str
    cls: str
    import_line: str
    # the sync and async property's `def` line and its `from .services... import` line, laid out
    heads: tuple[str, str] = ("", "")
    imports: tuple[str, str] = ("", "")


@dataclass(frozen=True, slots=True)
class ServerVariableArg:
    """A server variable as a keyword argument of the client constructors."""

    name: str
    placeholder: str  # literal: "{region}"
    annotation: str
    default: str  # literal
    safe: str  # literal: characters left unescaped when the value is put in the URL
    path_start: bool = False  # right after the host: the value must be empty or start with `/`


@dataclass(frozen=True, slots=True)
class ClientModule:
    title: str
    servers: tuple[tuple[str, str], ...]  # (name literal, url literal)
    default_server: str
    token_env: str
    groups: tuple[ClientGroup, ...]
    timeout: str
    client_doc: str
    user_agent: str
    variables: tuple[ServerVariableArg, ...] = ()
    schemes: tuple[SchemeView, ...] = ()  # components/securitySchemes, in spec order
    security_lines: tuple[str, ...] = ()  # SECURITY's entries, laid out
    # literals of the operations' own servers' URL templates, each once (`Operation.servers`)
    operation_servers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WebhooksModule:
    doc: str
    annotation: str
    alias_line: str  # `WebhookEvent: TypeAlias = "<annotation>"`, laid out
    decode: str
    raw_means_unknown: str  # `True`: a dict result is an event type the client does not know
    head: ModuleHead


# -- the Markdown reference (docs/*.md) and the package README -------------------------


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One row of a field or parameter table."""

    name: str
    python: str  # the Python name when it differs from the JSON one, else ""
    type: str
    required: str
    nullable: str
    default: str
    constraints: str
    description: str
    example: str


@dataclass(frozen=True, slots=True)
class ParameterTable:
    title: str
    label: str
    rows: tuple[FieldRow, ...]


@dataclass(frozen=True, slots=True)
class AuthRow:
    name: str  # the header, query parameter or cookie
    type: str
    location: str
    required: str
    scheme: str  # what is sent, and the scheme's key
    argument: str  # the Client keyword argument (and environment variables)
    description: str


@dataclass(frozen=True, slots=True)
class Authorizations:
    rows: tuple[AuthRow, ...]
    alternatives: tuple[str, ...]  # each alternative's arguments, in spec order
    any_of: bool
    optional: bool  # an anonymous alternative
    combined: bool  # an alternative needs several schemes at once
    declared: bool  # the spec declares security schemes at all
    header_argument: str | None  # the argument sent as the Authorization header, if any


@dataclass(frozen=True, slots=True)
class ResponseRow:
    status: str
    content_type: str
    type: str
    description: str
    outcome: str


@dataclass(frozen=True, slots=True)
class ModelLink:
    name: str
    href: str
    description: str


@dataclass(frozen=True, slots=True)
class Shape:
    """What a body or response holds: a model's field table, a union's variants, or a type."""

    type: str
    model: ModelLink | None
    fields: tuple[FieldRow, ...]
    variants: tuple[str, ...]
    list_of: bool


@dataclass(frozen=True, slots=True)
class BodySection:
    content_type: str
    wire: str
    required: str
    description: str
    python: str
    shape: Shape


@dataclass(frozen=True, slots=True)
class SuccessSection:
    status: str
    content_type: str
    description: str
    shape: Shape


@dataclass(frozen=True, slots=True)
class ResponseExample:
    status: str
    content_type: str | None
    json: str
    from_spec: bool
    spec_mismatch: bool


@dataclass(frozen=True, slots=True)
class OperationPage:
    title: str
    method: str
    path: str
    call: str
    iter_call: str
    description: str
    deprecated: bool
    sample: str
    async_sample: str
    go_sample: str | None  # the Go SDK's program, when the job names its module
    go_module: str | None
    example: ResponseExample | None
    auth: Authorizations
    token_env: str | None
    parameters: tuple[ParameterTable, ...]
    body: BodySection | None
    responses: tuple[ResponseRow, ...]
    success: SuccessSection | None
    index: str
    reading: tuple[str, ...] = ()  # how the methods read the response (when not one JSON value)
    servers: tuple[str, ...] = ()  # the operation's own servers' URL templates (`Operation.servers`)


@dataclass(frozen=True, slots=True)
class EnumMemberRow:
    value: str
    python: str


@dataclass(frozen=True, slots=True)
class AliasType:
    type: str
    python: str


@dataclass(frozen=True, slots=True)
class TagRow:
    """One discriminator value of an inheritance family and the model it is read as."""

    value: str  # Markdown
    variant: str  # Markdown


@dataclass(frozen=True, slots=True)
class Family:
    """How an inheritance family's union tells its members apart (its alias page), or
    the union a base's values are read as (the base's model page)."""

    key: str  # the tag's JSON key
    tags: tuple[TagRow, ...]
    base: str  # Markdown link to the base model
    union: str  # Markdown link to the union


@dataclass(frozen=True, slots=True)
class Reference:
    title: str
    href: str


@dataclass(frozen=True, slots=True)
class SchemaPage:
    name: str
    kind: str  # "model", "enum" or "alias"
    description: str
    deprecated: bool
    import_line: str
    fields: tuple[FieldRow, ...]
    members: tuple[EnumMemberRow, ...]
    base: str  # an enum's JSON type
    alias: AliasType | None
    variants: tuple[str, ...]
    referenced_by: tuple[Reference, ...]
    index: str
    family: Family | None = None


@dataclass(frozen=True, slots=True)
class ServerRow:
    name: str
    url: str
    description: str
    default: bool


@dataclass(frozen=True, slots=True)
class IndexOperation:
    title: str
    method: str
    path: str
    python: str
    href: str
    deprecated: bool


@dataclass(frozen=True, slots=True)
class IndexGroup:
    name: str
    service: str
    operations: tuple[IndexOperation, ...]


@dataclass(frozen=True, slots=True)
class IndexSchema:
    name: str
    kind: str
    href: str
    summary: str


@dataclass(frozen=True, slots=True)
class ApiHeading:
    """What the reference index and the README both open with."""

    title: str
    version: str
    description: str
    package: str
    servers: tuple[ServerRow, ...]


@dataclass(frozen=True, slots=True)
class IndexPage:
    heading: ApiHeading
    groups: tuple[IndexGroup, ...]
    schemas: tuple[IndexSchema, ...]


@dataclass(frozen=True, slots=True)
class FirstOperation:
    title: str
    href: str
    sample: str
    async_sample: str


@dataclass(frozen=True, slots=True)
class PaginationSample:
    sample: str
    method: str
    page_method: str
    page_param: str
    href: str


@dataclass(frozen=True, slots=True)
class ReadmePage:
    heading: ApiHeading
    token_env: str | None
    has_security: bool
    default_server: str | None
    auth_sample: str
    first: FirstOperation | None
    errors_sample: str | None
    retries_sample: str | None
    pagination: PaginationSample | None
    error_classes: tuple[tuple[str, str], ...]
    request_bodies: tuple[tuple[str, str, str], ...] = ()  # (operation, docs page, wire format) of non-JSON bodies
    uploads: bool = False  # some body takes files or streams
    streams: tuple[str, ...] = ()  # one sentence per method returning a stream
    webhooks: bool = False  # the API has webhooks: the README explains verify_webhook
    distribution: str | None = None  # a publishable project's PyPI name (the install line)
    # (operation, docs page, its first own server) of each operation with servers of its own
    own_servers: tuple[tuple[str, str, str], ...] = ()
    schemes: tuple[SchemeView, ...] = ()  # components/securitySchemes, for "Authenticate"
    token_arg: str | None = None  # the scheme the positional `token` fills
