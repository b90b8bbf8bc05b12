"""The JSON kind of a type's values: the evidence unions are told apart by.

One function for every reader: the builder's dispatch tables, and targets that build
unions of their own (Go's union of a tuple's item types).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import assert_never

from . import model as m
from . import types as t


def json_kind(ty: t.Type, enums: Mapping[str, m.Enum], aliases: Mapping[str, m.Alias]) -> t.JsonKind | None:
    """The JSON kind every value of `ty` has, or None (any kind, or several)."""
    match ty:
        case t.ModelRef() | t.Map():
            return "object"
        case t.Array() | t.Tuple():
            return "array"
        case t.StringOnly():
            return "string"
        case t.Primitive(kind):
            match kind:
                case "str" | "bytes":
                    return "string"
                case "int":
                    return "integer"
                case "float":
                    return "number"
                case "bool":
                    return "boolean"
                case "null":
                    return None
                case _:
                    assert_never(kind)
        case t.Const(value):
            return (
                "boolean"
                if isinstance(value, bool)
                else "string"
                if isinstance(value, str)
                else "integer"
                if isinstance(value, int)
                else "number"
            )
        case t.EnumRef(name):
            enum = enums.get(name)
            return "string" if enum is None or enum.kind == "str" else "integer"
        case t.AliasRef(name):
            if name not in aliases:
                return None
            inner = aliases[name].type
            kinds = {json_kind(v, enums, aliases) for v in (inner.variants if isinstance(inner, t.Union) else (inner,))}
            return kinds.pop() if len(kinds) == 1 else None
        case t.Nullable() | t.Union() | t.AnyType():
            return None
        case _:
            assert_never(ty)


def is_scalar(ty: t.Type, aliases: Mapping[str, m.Alias]) -> bool:
    """Whether every value of `ty` is written as one piece of text (a string, number,
    boolean or enum value; a union of those): no style rule applies to it, and a docs
    sample shows it in one word."""
    match ty:
        case t.Nullable(inner):
            return is_scalar(inner, aliases)
        case t.Primitive() | t.Const() | t.StringOnly() | t.EnumRef():
            return True
        case t.AliasRef(name):
            return name in aliases and is_scalar(aliases[name].type, aliases)
        case t.Union(variants):
            return all(is_scalar(v, aliases) for v in variants)
        case t.Array() | t.Tuple() | t.Map() | t.ModelRef() | t.AnyType():
            return False
        case _:
            assert_never(ty)


def scheme_name(kind: m.SchemeKind) -> str:
    """A security scheme's kind as OpenAPI spells it (`http` schemes by their `scheme`)."""
    match kind:
        case m.HttpBearer():
            name = "bearer"
        case m.HttpBasic():
            name = "basic"
        case m.HttpOther(scheme=scheme):
            name = scheme or "http"
        case m.ApiKey():
            name = "apiKey"
        case m.OAuth2():
            name = "oauth2"
        case m.OpenIdConnect():
            name = "openIdConnect"
        case m.MutualTLS():
            name = "mutualTLS"
        case _:
            assert_never(kind)
    return name


def raw_content(ty: t.Type) -> bool:
    """Whether a `*/*` body of this schema is the caller's bytes: no schema, or a binary
    one. Any other schema is a value sent as JSON (the Go client types it; the Python
    client sends a value that is not bytes as JSON). Samples show such a body as bytes."""
    inner, _ = t.strip_nullable(ty)
    return isinstance(inner, t.AnyType) or (isinstance(inner, t.Primitive) and inner.kind == "bytes")
