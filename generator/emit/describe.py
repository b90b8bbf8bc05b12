"""Plain-English text for types and constraints, shared by docstrings and the docs."""

from __future__ import annotations

from ..ir import types as t


def _range(lo: float | None, hi: float | None, unit: str) -> str | None:
    def fmt(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    if lo is not None and hi is not None:
        return f"{fmt(lo)}..{fmt(hi)} {unit}".strip()
    if lo is not None:
        return f"at least {fmt(lo)} {unit}".strip()
    if hi is not None:
        return f"at most {fmt(hi)} {unit}".strip()
    return None


def constraints(c: t.Constraints | None, *, length_unit: str = "characters") -> list[str]:
    if c is None:
        return []
    out = [
        x
        for x in (
            _range(c.min_length, c.max_length, length_unit),
            _range(c.min_items, c.max_items, "items"),
            _range(c.min_properties, c.max_properties, "pairs"),
        )
        if x
    ]
    if c.minimum is not None or c.maximum is not None:
        out.append(_range(c.minimum, c.maximum, "") or "")
    if c.exclusive_minimum is not None:
        out.append(f"> {c.exclusive_minimum}")
    if c.exclusive_maximum is not None:
        out.append(f"< {c.exclusive_maximum}")
    if c.multiple_of is not None:
        out.append(f"multiple of {c.multiple_of}")
    if c.pattern is not None:
        out.append(f"pattern `{c.pattern}`")
    if c.unique_items:
        out.append("unique items")
    return out


def type_constraints(ty: t.Type) -> list[str]:
    """Every constraint a type carries, nested ones named by where they apply."""
    ty, _ = t.strip_nullable(ty)
    if isinstance(ty, t.Primitive):
        return constraints(ty.constraints)
    if isinstance(ty, t.Array):
        inner = type_constraints(ty.item)
        return constraints(ty.constraints) + [f"each item: {x}" for x in inner]
    if isinstance(ty, t.Map):
        out = [f"keys: {x}" for x in constraints(ty.key)]
        value, _ = t.strip_nullable(ty.value)
        variants = value.variants if isinstance(value, t.Union) else (value,)
        for v in variants:
            for x in type_constraints(v):
                out.append(f"{kind_name(v)} values: {x}")
        return out + constraints(ty.constraints)
    if isinstance(ty, t.StringOnly):
        return constraints(ty.constraints)
    return []


def kind_name(ty: t.Type) -> str:
    """A short JSON-ish name for a type, as the seed page writes them (`string | null`)."""
    if isinstance(ty, t.Nullable):
        return f"{kind_name(ty.inner)} | null"
    if isinstance(ty, t.Primitive):
        base = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "bytes": "binary", "null": "null"}[ty.kind]
        return f"{base} ({ty.format})" if ty.format and ty.kind != "bytes" else base
    if isinstance(ty, t.Const):
        return f"{ty.value!r} (constant)"
    if isinstance(ty, t.StringOnly):
        return "string"
    if isinstance(ty, t.Array):
        return f"{kind_name(ty.item)}[]" if not isinstance(ty.item, (t.Union, t.Nullable)) else f"({kind_name(ty.item)})[]"
    if isinstance(ty, t.Tuple):
        return "[" + ", ".join(kind_name(i) for i in ty.items) + "]"
    if isinstance(ty, t.Map):
        return f"object (map of {kind_name(ty.value)})"
    if isinstance(ty, t.Union):
        return " | ".join(kind_name(v) for v in ty.variants)
    if isinstance(ty, (t.EnumRef, t.ModelRef, t.AliasRef)):
        return ty.name
    return "any"
