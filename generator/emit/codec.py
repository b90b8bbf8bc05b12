"""Python annotations and straight-line JSON codecs for IR types.

`decode(t, src)` and `encode(t, src)` return Python *expressions* that convert one value;
identity conversions return `src` itself, so plain JSON fields cost nothing. Every name a
result needs is recorded in an `Imports` set, so modules import exactly what they use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ir import types as t

UUID_FORMATS = frozenset({"uuid", "uuid1", "uuid3", "uuid4", "uuid5", "uuid7"})


@dataclass
class Imports:
    """What one generated module needs: stdlib names and other generated symbols."""

    stdlib: set[tuple[str, str]] = field(default_factory=set)  # (module, name)
    symbols: set[str] = field(default_factory=set)  # model / enum / alias names

    def need(self, module: str, name: str) -> None:
        self.stdlib.add((module, name))


def _str_format(fmt: str | None) -> str | None:
    if fmt == "date-time":
        return "datetime"
    if fmt == "date":
        return "date"
    if fmt in UUID_FORMATS:
        return "uuid"
    return None


def annotation(ty: t.Type, imp: Imports) -> str:
    if isinstance(ty, t.Primitive):
        if ty.kind == "str":
            special = _str_format(ty.format)
            if special == "datetime":
                imp.need("datetime", "datetime")
                return "datetime"
            if special == "date":
                imp.need("datetime", "date")
                return "date"
            if special == "uuid":
                imp.need("uuid", "UUID")
                return "UUID"
            return "str"
        return {"int": "int", "float": "float", "bool": "bool", "bytes": "bytes", "null": "None"}[ty.kind]
    if isinstance(ty, t.Const):
        imp.need("typing", "Literal")
        return f"Literal[{ty.value!r}]"
    if isinstance(ty, t.StringOnly):
        return "str"
    if isinstance(ty, t.Array):
        return f"list[{annotation(ty.item, imp)}]"
    if isinstance(ty, t.Tuple):
        return f"tuple[{', '.join(annotation(i, imp) for i in ty.items)}]"
    if isinstance(ty, t.Map):
        return f"dict[str, {annotation(ty.value, imp)}]"
    if isinstance(ty, t.Nullable):
        return f"{annotation(ty.inner, imp)} | None"
    if isinstance(ty, t.Union):
        parts = [annotation(v, imp) for v in ty.variants]
        if ty.open and not is_identity(ty):
            imp.need("typing", "Any")
            parts.append("dict[str, Any]")
        return " | ".join(dict.fromkeys(parts))
    if isinstance(ty, (t.EnumRef, t.ModelRef, t.AliasRef)):
        imp.symbols.add(ty.name)
        return ty.name
    imp.need("typing", "Any")
    return "Any"


def is_identity(ty: t.Type) -> bool:
    """True when the JSON value *is* the Python value (no conversion either way)."""
    if isinstance(ty, t.Primitive):
        return ty.kind != "bytes" and (ty.kind != "str" or _str_format(ty.format) is None)
    if isinstance(ty, (t.Const, t.StringOnly, t.AnyType)):
        return True
    if isinstance(ty, t.Array):
        return is_identity(ty.item)
    if isinstance(ty, t.Map):
        return is_identity(ty.value)
    if isinstance(ty, t.Nullable):
        return is_identity(ty.inner)
    if isinstance(ty, t.Tuple):
        return False  # JSON gives a list; Python wants a tuple
    if isinstance(ty, t.Union):
        return all(is_identity(v) for v in ty.variants)
    return False


def _is_name(src: str) -> bool:
    return src.isidentifier()


def decode(ty: t.Type, src: str, imp: Imports, depth: int = 0) -> str:
    """Expression turning the JSON value `src` into the Python value of type `ty`."""
    if is_identity(ty):
        return src
    var = f"v{depth}"
    if isinstance(ty, t.Primitive):
        special = _str_format(ty.format) if ty.kind == "str" else None
        if special == "datetime":
            return f"_rt.parse_datetime({src})"
        if special == "date":
            return f"_rt.parse_date({src})"
        if special == "uuid":
            imp.need("uuid", "UUID")
            return f"UUID({src})"
        return f"_rt.decode_bytes({src})"
    if isinstance(ty, t.Nullable):
        return f"None if {src} is None else {decode(ty.inner, src, imp, depth)}"
    if isinstance(ty, t.Array):
        return f"[{decode(ty.item, var, imp, depth + 1)} for {var} in {src}]"
    if isinstance(ty, t.Map):
        return f"{{k{depth}: {decode(ty.value, var, imp, depth + 1)} for k{depth}, {var} in {src}.items()}}"
    if isinstance(ty, t.Tuple):
        if not _is_name(src) and not src.endswith("]"):
            items = ", ".join(decode(i, f"{var}[{n}]", imp, depth + 1) for n, i in enumerate(ty.items))
            return f"(lambda {var}: ({items}{',' if len(ty.items) == 1 else ''}))({src})"
        items = ", ".join(decode(i, f"{src}[{n}]", imp, depth + 1) for n, i in enumerate(ty.items))
        return f"({items}{',' if len(ty.items) == 1 else ''})"
    if isinstance(ty, t.EnumRef):
        imp.symbols.add(ty.name)
        return f"{ty.name}({src})"
    if isinstance(ty, t.ModelRef):
        imp.symbols.add(ty.name)
        return f"{ty.name}.from_dict({src})"
    if isinstance(ty, t.AliasRef):
        imp.symbols.add(ty.name)
        return f"decode_{ty.name}({src})"
    if isinstance(ty, t.Union):
        return f"_rt.decode_union({src}, {union_decoders(ty, imp)})"
    return src


def union_decoders(ty: t.Union, imp: Imports) -> str:
    """A tuple literal of (json check, decoder) pairs, tried in order by the runtime.

    Variants are told apart by evidence only: the discriminator value, or the JSON type
    of the value; never by trying a decoder and catching its failure.
    """
    raise NotImplementedError("non-trivial unions are decoded through named aliases")


def encode(ty: t.Type, src: str, imp: Imports, depth: int = 0) -> str:
    """Expression turning the Python value `src` of type `ty` into JSON data."""
    if is_identity(ty):
        return src
    var = f"v{depth}"
    if isinstance(ty, t.Primitive):
        special = _str_format(ty.format) if ty.kind == "str" else None
        if special == "datetime":
            return f"_rt.format_datetime({src})"
        if special == "date":
            return f"_rt.format_date({src})"
        if special == "uuid":
            return f"str({src})"
        return f"_rt.encode_bytes({src})"
    if isinstance(ty, t.Nullable):
        return f"None if {src} is None else {encode(ty.inner, src, imp, depth)}"
    if isinstance(ty, t.Array):
        return f"[{encode(ty.item, var, imp, depth + 1)} for {var} in {src}]"
    if isinstance(ty, t.Map):
        return f"{{k{depth}: {encode(ty.value, var, imp, depth + 1)} for k{depth}, {var} in {src}.items()}}"
    if isinstance(ty, t.Tuple):
        items = ", ".join(encode(i, f"{src}[{n}]", imp, depth + 1) for n, i in enumerate(ty.items))
        return f"[{items}]"
    if isinstance(ty, t.EnumRef):
        return f"{src}.value"
    if isinstance(ty, t.ModelRef):
        return f"{src}.to_dict()"
    return f"_rt.to_json({src})"
