"""The API as the generator sees it: operations grouped into services, named schemas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from .types import Constraints, Dispatch, Type
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
    def type(self) -> Type:
        return self.media[0].type

    @property
    def encoding(self) -> BodyEncoding:
        return self.media[0].encoding

    @property
    def examples(self) -> tuple[Any, ...]:
        return self.media[0].examples


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "4XX", "default"
    description: str | None
    content_type: str | None
    type: Type | None
    examples: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Pagination:
    """Page/limit pagination: which parameters to step and where the items are."""

    page_param: str
    items_field: str
    max_page_path: tuple[str, ...]
    item_type: Type


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    group: tuple[str, ...]  # namespace path, already snake_case
    name: str  # method name
    method: str  # upper case
    path: str
    pointer: str
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    security: tuple[tuple[str, ...], ...]
    summary: str | None = None
    description: str | None = None
    deprecated: bool = False
    tags: tuple[str, ...] = ()
    pagination: Pagination | None = None


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    name: str
    kind: str  # "bearer", "basic", "apiKey", "oauth2", "openIdConnect"
    location: str | None = None  # apiKey: header/query/cookie
    parameter: str | None = None  # apiKey: header or parameter name
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Server:
    name: str
    url: str
    description: str | None = None


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
    webhook_payload: UnionType | None = None  # what `parse_webhook` decodes: any webhook's payload
    dispatch: tuple[Dispatch, ...] = ()  # how every union in the API is decoded, each once
