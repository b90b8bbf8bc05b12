"""Python annotations and straight-line JSON codecs for IR types.

`decode(t, src)` and `encode(t, src)` return Python *expressions* that convert one value;
identity conversions return `src` itself, so plain JSON fields cost nothing. Every name a
result needs is recorded in an `Imports` set, so modules import exactly what they use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..builder.unions import dispatch
from ..ir import model as m
from ..ir import types as t
from ..naming import literal

UUID_FORMATS = frozenset({"uuid", "uuid1", "uuid3", "uuid4", "uuid5", "uuid7"})


@dataclass(frozen=True)
class Schemas:
    """The named schemas of the API, for decisions that look inside a reference."""

    models: Mapping[str, m.Model] = field(default_factory=dict)
    enums: Mapping[str, m.Enum] = field(default_factory=dict)
    aliases: Mapping[str, m.Alias] = field(default_factory=dict)


@dataclass
class Imports:
    """What one generated module needs: stdlib names, generated symbols, union helpers."""

    schemas: Schemas = field(default_factory=Schemas)
    stdlib: set[tuple[str, str]] = field(default_factory=set)  # (module, name)
    symbols: set[str] = field(default_factory=set)  # model / enum / alias names
    helpers: list[str] = field(default_factory=list)  # source of module-level functions
    shadowed: frozenset[str] = frozenset()  # builtins/stdlib names a class body redefines (`def list`)
    _unions: dict[t.Union, str] = field(default_factory=dict)

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


def _builtin(name: str, imp: Imports) -> str:
    if name in imp.shadowed:
        imp.need("builtins", "")
        return f"builtins.{name}"
    return name


def _stdlib(module: str, name: str, imp: Imports) -> str:
    """`name` imported from `module`; as `_name` where a class body redefines `name`
    (a field or method called `date`), since generated names never start with `_`."""
    if name in imp.shadowed:
        imp.need(module, f"{name} as _{name}")
        return f"_{name}"
    imp.need(module, name)
    return name


def annotation(ty: t.Type, imp: Imports) -> str:
    if isinstance(ty, t.Primitive):
        if ty.kind == "str":
            special = _str_format(ty.format)
            if special == "datetime":
                return _stdlib("datetime", "datetime", imp)
            if special == "date":
                return _stdlib("datetime", "date", imp)
            if special == "uuid":
                imp.need("uuid", "UUID")
                return "UUID"
            return _builtin("str", imp)
        return _builtin({"int": "int", "float": "float", "bool": "bool", "bytes": "bytes", "null": "None"}[ty.kind], imp)
    if isinstance(ty, t.Const):
        if isinstance(ty.value, float):  # `Literal[1.5]` is not a type: the value is documented instead
            return _builtin("float", imp)
        imp.need("typing", "Literal")
        return f"Literal[{literal(ty.value)}]"
    if isinstance(ty, t.StringOnly):
        return _builtin("str", imp)
    if isinstance(ty, t.Array):
        return f"{_builtin('list', imp)}[{annotation(ty.item, imp)}]"
    if isinstance(ty, t.Tuple):
        return f"{_builtin('tuple', imp)}[{', '.join(annotation(i, imp) for i in ty.items)}]"
    if isinstance(ty, t.Map):
        return f"{_builtin('dict', imp)}[{_builtin('str', imp)}, {annotation(ty.value, imp)}]"
    if isinstance(ty, t.Nullable):
        return f"{annotation(ty.inner, imp)} | None"
    if isinstance(ty, t.Union):
        parts = [annotation(v, imp) for v in ty.variants]
        if ty.open and keeps_raw_objects(ty, imp.schemas):
            imp.need("typing", "Any")
            parts.append(f"{_builtin('dict', imp)}[{_builtin('str', imp)}, Any]")
        return " | ".join(dict.fromkeys(parts))
    if isinstance(ty, (t.EnumRef, t.ModelRef, t.AliasRef)):
        imp.symbols.add(ty.name)
        return ty.name
    imp.need("typing", "Any")
    return "Any"


def keeps_raw_objects(ty: t.Union, schemas: Schemas) -> bool:
    """An open union with object variants and no catch-all keeps unknown objects as dicts."""
    if is_identity(ty):
        return False
    plan = dispatch(ty, schemas.models, schemas.enums, schemas.aliases)
    return (plan.tag is not None or bool(plan.by_key)) and plan.object_fallback is None


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
            return f"_rt.parse_uuid({src})"
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
        imp.symbols.add(f"decode_{ty.name}")
        return f"decode_{ty.name}({src})"
    if isinstance(ty, t.Union):
        return f"{union_decoder(ty, imp)}({src})"
    return src


_KIND_CHECKS = {
    "array": "isinstance(v, list)",
    "string": "isinstance(v, str)",
    "boolean": "isinstance(v, bool)",
    "integer": "isinstance(v, int) and not isinstance(v, bool)",
    "number": "isinstance(v, (int, float)) and not isinstance(v, bool)",
}


def union_decoder(ty: t.Union, imp: Imports) -> str:
    """Name of a module-level function decoding `ty`, written into `imp.helpers` once.

    Variants are told apart by evidence only (builder.unions.dispatch): the discriminator
    value, a required key only one variant has, or the JSON kind of the value; never by
    trying a decoder and catching its failure. An object nothing claims stays a dict.
    """
    known = imp._unions.get(ty)
    if known is not None:
        return known
    name = f"_decode_union{len(imp._unions) + 1}"
    imp._unions[ty] = name
    plan = dispatch(ty, imp.schemas.models, imp.schemas.enums, imp.schemas.aliases)
    imp.need("typing", "Any")
    lines = [f"def {name}(v: Any) -> {annotation(ty, imp)}:"]
    if plan.tag is not None or plan.by_key or plan.object_fallback is not None:
        lines.append("    if isinstance(v, dict):")
        if plan.tag is not None:
            lines.append(f"        tag = v.get({literal(plan.tag)})")
            for value, variant in plan.by_tag:
                lines.append(f"        if tag == {literal(value)}:")
                lines.append(f"            return {decode(variant, 'v', imp, 1)}")
        for key, variant in plan.by_key:
            keys = key.split("\x00")
            test = " and ".join(f"{literal(k)} in v" for k in keys)
            lines.append(f"        if {test}:")
            lines.append(f"            return {decode(variant, 'v', imp, 1)}")
        if plan.object_fallback is not None:
            lines.append(f"        return {decode(plan.object_fallback, 'v', imp, 1)}")
        else:
            lines.append("        return v  # an unknown variant, kept as it came")
    for kind, variant in plan.by_kind:
        if isinstance(variant, t.Const):
            # the constant itself is returned, so the value has the `Literal` type the
            # annotation promises (`v` narrowed by isinstance would be a plain `str`)
            lines.append(f"    if {_KIND_CHECKS[kind]} and v == {literal(variant.value)}:")
            lines.append(f"        return {literal(variant.value)}")
            continue
        lines.append(f"    if {_KIND_CHECKS[kind]}:")
        lines.append(f"        return {decode(variant, 'v', imp, 1)}")
    lines.append("    raise ValueError(f\"no variant of the union matches {type(v).__name__}\")")
    imp.helpers.append("\n".join(lines))
    return name


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
        # str()/int() give a member's value and leave a plain value as it is (forgiving inputs)
        enum = imp.schemas.enums.get(ty.name)
        return f"int({src})" if enum is not None and enum.kind == "int" else f"str({src})"
    if isinstance(ty, t.ModelRef):
        return f"{src}.to_dict()"
    return f"_rt.to_json({src})"
