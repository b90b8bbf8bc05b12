"""Typed template contexts of the Python package: what each template may print.

Each is a frozen dataclass filled in one pass by emit/python.py, every printed line
already laid out (emit/layout.py); templates only place these strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


# -- models/<module>.py ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldLine:
    name: str
    line: str  # `name: annotation = default`


@dataclass(frozen=True, slots=True)
class ExtraProperties:
    """Typed `additionalProperties` beside named fields: kept in one dict attribute."""

    name: str
    encode_line: str
    known_line: str  # the module-level set of named keys


@dataclass(frozen=True, slots=True)
class ModelItem:
    kind: ClassVar[str] = "model"
    name: str
    doc: str
    attributes: tuple[tuple[str, str], ...]  # (field name, docstring text)
    fields: tuple[FieldLine, ...]
    from_dict_def: str
    to_dict_def: str
    decode_lines: tuple[str, ...]
    required_lines: tuple[str, ...]
    optional_lines: tuple[tuple[str | None, str], ...]  # (field checked for UNSET or None, line)
    extra: ExtraProperties | None


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
class ModelModule:
    items: tuple[ModelItem | EnumItem | AliasItem, ...]
    stdlib_imports: tuple[str, ...]
    local_imports: tuple[str, ...]
    helpers: tuple[str, ...]


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


@dataclass(frozen=True, slots=True)
class OperationItem:
    name: str
    method: str
    positional: tuple[Argument, ...]
    keyword: tuple[Argument, ...]
    headers: tuple[tuple[str, str], ...]  # (header literal, argument)
    cookies: tuple[tuple[str, str], ...]
    response_kind: str
    returns: str
    deprecated: bool
    pagination: Pagination | None
    summary: str
    description: str
    args: tuple[tuple[str, str], ...]  # (argument, docstring text)
    raises: tuple[tuple[str, str], ...]  # (error class, docstring text)
    label: str
    path_line: str
    decode_line: str
    body_line: str | None
    error_lines: tuple[str, ...]
    query_lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ServiceModule:
    cls: str
    group: str
    operations: tuple[OperationItem, ...]
    children: tuple[ChildService, ...]
    stdlib_imports: tuple[str, ...]
    model_imports: tuple[str, ...]
    helpers: tuple[str, ...]
    deprecated: bool
    paginated: bool


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


@dataclass(frozen=True, slots=True)
class ServerVariableArg:
    """A server variable as a keyword argument of the client constructors."""

    name: str
    placeholder: str  # literal: "{region}"
    annotation: str
    default: str  # literal
    safe: str  # literal: characters left unescaped when the value is put in the URL


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


@dataclass(frozen=True, slots=True)
class WebhooksModule:
    doc: str
    annotation: str
    decode: str
    stdlib_imports: tuple[str, ...]
    model_imports: tuple[str, ...]
    helpers: tuple[str, ...]
