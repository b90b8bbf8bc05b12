"""anyOf/oneOf: nullable folding, string-only unions, discriminated and open unions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..ir import model as m
from ..ir import types as t

if TYPE_CHECKING:
    from .schemas import SchemaBuilder


def build_union(b: SchemaBuilder, s: dict[str, Any], key: str, ptr: str, hint: str) -> t.Type:
    from .schemas import child

    raw = s[key]
    non_null = [v for v in raw if not (isinstance(v, dict) and v.get("type") == "null")]
    variants = [
        b.type_of(v, child(ptr, key, i), hint if len(non_null) == 1 else f"{hint}{i}") for i, v in enumerate(raw)
    ]
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


# -- dispatch: how a decoder tells the variants apart, by evidence only ----------------

JSON_KINDS = ("object", "array", "string", "boolean", "integer", "number")


@dataclass(frozen=True)
class Dispatch:
    """The decision table for one union: checked in this order, no trial decoding.

    `tag`/`by_tag`: a discriminator property and its values; `by_key`: objects told apart
    by a required key only that variant has; `object_fallback`: the one object variant
    left without evidence (or a map); `by_kind`: one variant per other JSON kind.
    An object that matches nothing is kept as a raw dict (unions are open).
    """

    tag: str | None
    by_tag: tuple[tuple[str, t.Type], ...]
    by_key: tuple[tuple[str, t.Type], ...]
    object_fallback: t.Type | None
    by_kind: tuple[tuple[str, t.Type], ...]


def json_kind(ty: t.Type, enums: Mapping[str, m.Enum], aliases: Mapping[str, m.Alias]) -> str | None:
    if isinstance(ty, (t.ModelRef, t.Map)):
        return "object"
    if isinstance(ty, (t.Array, t.Tuple)):
        return "array"
    if isinstance(ty, t.StringOnly):
        return "string"
    if isinstance(ty, t.Primitive):
        return {"str": "string", "bytes": "string", "int": "integer", "float": "number", "bool": "boolean"}.get(ty.kind)
    if isinstance(ty, t.Const):
        v = ty.value
        return "boolean" if isinstance(v, bool) else "string" if isinstance(v, str) else "integer" if isinstance(v, int) else "number"
    if isinstance(ty, t.EnumRef):
        enum = enums.get(ty.name)
        return "string" if enum is None or enum.kind == "str" else "integer"
    if isinstance(ty, t.AliasRef) and ty.name in aliases:
        inner = aliases[ty.name].type
        kinds = {json_kind(v, enums, aliases) for v in (inner.variants if isinstance(inner, t.Union) else (inner,))}
        return kinds.pop() if len(kinds) == 1 else None
    return None


def _const_tags(model: m.Model) -> dict[str, str]:
    return {f.json_name: f.type.value for f in model.fields if isinstance(f.type, t.Const) and isinstance(f.type.value, str)}


def dispatch(
    union: t.Union,
    models: Mapping[str, m.Model],
    enums: Mapping[str, m.Enum],
    aliases: Mapping[str, m.Alias],
) -> Dispatch:
    kinds: dict[str, list[t.Type]] = {}
    for v in union.variants:
        kinds.setdefault(json_kind(v, enums, aliases) or "object", []).append(v)
    objects = kinds.pop("object", [])
    refs = [v for v in objects if isinstance(v, t.ModelRef) and v.name in models]
    others = [v for v in objects if v not in refs]

    tag: str | None = None
    by_tag: list[tuple[str, t.Type]] = []
    if union.discriminator is not None:
        tag = union.discriminator.property
        mapped = dict(union.discriminator.mapping)
        for ref in refs:
            values = [k for k, name in mapped.items() if name == ref.name]
            if not values:
                const = _const_tags(models[ref.name]).get(tag)
                values = [const] if const is not None else [ref.name]
            by_tag.extend((value, ref) for value in values)
    elif refs:
        tag_sets = [_const_tags(models[r.name]) for r in refs]
        common = set(tag_sets[0]).intersection(*tag_sets[1:])
        for candidate in sorted(common):
            values = [ts[candidate] for ts in tag_sets]
            if len(set(values)) == len(values):
                tag, by_tag = candidate, list(zip(values, refs))
                break

    by_key: list[tuple[str, t.Type]] = []
    fallback: t.Type | None = None
    if tag is None and refs:
        props = {r.name: {f.json_name for f in models[r.name].fields} for r in refs}
        unexplained = []
        for r in refs:
            required = [f.json_name for f in models[r.name].fields if f.required]
            unique = [k for k in required if all(k not in props[o.name] for o in refs if o is not r)]
            if unique:
                by_key.append((unique[0], r))
            else:
                unexplained.append(r)
        if len(unexplained) == 1 and not others:
            fallback = unexplained[0]
        elif unexplained:
            # No evidence tells these apart: the most specific (most required keys) wins only
            # if its keys are all present, checked in order from most to least specific.
            ranked = sorted(unexplained, key=lambda r: -sum(f.required for f in models[r.name].fields))
            for r in ranked:
                required = sorted(f.json_name for f in models[r.name].fields if f.required)
                if required:
                    by_key.append(("\x00".join(required), r))
                elif fallback is None and not others:
                    fallback = r
    if others and fallback is None:
        fallback = others[0]
    by_kind = tuple((k, vs[0]) for k in JSON_KINDS if k != "object" for vs in [kinds.get(k, [])] if vs)
    return Dispatch(tag, tuple(by_tag), tuple(by_key), fallback, by_kind)
