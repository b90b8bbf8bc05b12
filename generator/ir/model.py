"""The API as the generator sees it: operations grouped into services, named schemas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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


@dataclass(frozen=True, slots=True)
class Parameter:
    json_name: str
    name: str
    location: Literal["path", "query", "header", "cookie"]
    type: Type
    required: bool
    description: str | None = None
    style: str | None = None
    explode: bool = True
    has_default: bool = False
    default: Any = None
    deprecated: bool = False
    examples: tuple[Any, ...] = ()
    constraints: Constraints | None = None


@dataclass(frozen=True, slots=True)
class Body:
    content_type: str
    type: Type
    required: bool
    description: str | None = None
    examples: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "4XX", "default"
    description: str | None
    content_type: str | None
    type: Type | None
    examples: tuple[Any, ...] = ()


PaginationKind = Literal["page", "offset", "cursor"]


@dataclass(frozen=True, slots=True)
class Pagination:
    """Which parameter to step and where the items are (Python attribute names).

    page: `page_param` counts pages, up to `max_page_path` (empty: until an empty page);
    offset: `page_param` advances by the items received, until an empty page;
    cursor: `page_param` takes `next_path` of each page, or, with `has_more_path`, the
    `cursor_item_field` of its last item, until there is no next cursor.
    """

    page_param: str
    items_field: str
    max_page_path: tuple[str, ...]
    item_type: Type
    kind: PaginationKind = "page"
    next_path: tuple[str, ...] = ()
    has_more_path: tuple[str, ...] = ()
    cursor_item_field: str | None = None


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
class ServerVariable:
    """A `{name}` of server URLs: a keyword argument of the client constructors."""

    json_name: str  # as written in the URL template
    name: str  # the Python argument
    default: str
    values: tuple[str, ...] = ()  # the `enum`, if any: the argument is a Literal of them
    description: str | None = None
    in_host: bool = True  # in the scheme/authority part: `/` is escaped there too


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
