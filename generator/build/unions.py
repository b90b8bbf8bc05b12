"""anyOf/oneOf: nullable folding, string-only unions, discriminated and open unions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..ir import types as t

if TYPE_CHECKING:
    from .schemas import SchemaBuilder


def build_union(b: SchemaBuilder, s: dict[str, Any], key: str, ptr: str, hint: str) -> t.Type:
    from .schemas import child

    raw = s[key]
    variants = [b.type_of(v, child(ptr, key, i), f"{hint}{i}") for i, v in enumerate(raw)]
    disc = _explicit_discriminator(b, s, ptr, hint)
    built = simplify(b, variants, disc, ptr)
    inner, nullable = t.strip_nullable(built)
    if isinstance(inner, t.Union):
        named = b.alias(ptr, hint, inner, s.get("description"))
        return t.Nullable(named) if nullable else named
    return built


def _explicit_discriminator(b: SchemaBuilder, s: dict[str, Any], ptr: str, hint: str) -> t.Discriminator | None:
    d = s.get("discriminator")
    if not isinstance(d, dict) or not isinstance(d.get("propertyName"), str):
        return None
    pairs = []
    for value, ref in (d.get("mapping") or {}).items():
        target = b.type_of({"$ref": ref}, ptr + "/discriminator/mapping", hint)
        if isinstance(target, t.ModelRef):
            pairs.append((str(value), target.name))
    return t.Discriminator(d["propertyName"], tuple(pairs))


def _is_stringish(b: SchemaBuilder, v: t.Type) -> bool:
    if isinstance(v, t.Primitive):
        return v.kind == "str"
    if isinstance(v, t.Const):
        return isinstance(v.value, str)
    if isinstance(v, t.EnumRef):
        enum = b.enums.get(v.name)
        return enum is not None and enum.kind == "str"
    return isinstance(v, t.StringOnly)


def simplify(
    b: SchemaBuilder, variants: list[t.Type], disc: t.Discriminator | None, ptr: str
) -> t.Type:
    """Fold null members into Nullable, flatten, dedupe, and recognise string-only unions."""
    nullable = False
    flat: list[t.Type] = []
    for v in variants:
        v, was_null = t.strip_nullable(v)
        nullable = nullable or was_null
        if isinstance(v, t.Primitive) and v.kind == "null":
            nullable = True
        elif isinstance(v, t.Union) and v.discriminator is None and disc is None:
            flat.extend(v.variants)
        elif v not in flat:
            flat.append(v)
    if any(isinstance(v, t.AnyType) for v in flat):
        result: t.Type = t.AnyType()
    elif not flat:
        return t.Primitive("null")
    elif len(flat) == 1:
        result = flat[0]
    elif all(_is_stringish(b, v) for v in flat) and disc is None:
        known: list[str] = []
        enums: list[str] = []
        for v in flat:
            if isinstance(v, t.Const) and isinstance(v.value, str):
                known.append(v.value)
            elif isinstance(v, t.EnumRef):
                enums.append(v.name)
                known.extend(str(member.value) for member in b.enums[v.name].members)
            elif isinstance(v, t.StringOnly):
                known.extend(v.known)
                enums.extend(v.enums)
        result = t.StringOnly(tuple(dict.fromkeys(known)), tuple(dict.fromkeys(enums)))
    else:
        result = t.Union(tuple(flat), disc)
    return t.Nullable(result) if nullable else result
