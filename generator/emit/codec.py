"""Python annotations and straight-line JSON codecs for IR types.

`decode(t, src)` and `encode(t, src)` return Python *expressions* that convert one value;
identity conversions return `src` itself, so plain JSON fields cost nothing. Every name a
result needs is recorded in an `Imports` set, so modules import exactly what they use.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, assert_never

from ..ir import model as m
from ..ir import types as t
from ..naming import literal
from .layout import LineKind

UUID_FORMATS = frozenset({"uuid", "uuid1", "uuid3", "uuid4", "uuid5", "uuid7"})

# How each primitive kind is spelt in Python (JSON names: ir.types.JSON_NAMES).
PYTHON_NAMES: dict[t.PrimitiveKind, str] = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "bytes": "bytes",
    "null": "None",
}


@dataclass(frozen=True)
class Schemas:
    """The named schemas of the API and the builder's union dispatch tables."""

    models: Mapping[str, m.Model] = field(default_factory=dict)
    enums: Mapping[str, m.Enum] = field(default_factory=dict)
    aliases: Mapping[str, m.Alias] = field(default_factory=dict)
    dispatch: Mapping[t.Union, t.Dispatch] = field(default_factory=dict)

    @classmethod
    def of(cls, api: m.Api) -> Schemas:
        return cls(
            {x.name: x for x in api.models},
            {x.name: x for x in api.enums},
            {x.name: x for x in api.aliases},
            {d.union: d for d in api.dispatch},
        )

    def plan(self, union: t.Union) -> t.Dispatch:
        """How `union` is decoded, as the builder decided (builder.unions.dispatch)."""
        return self.dispatch[union]


@dataclass(frozen=True, slots=True)
class HelperLine:
    """One line of a module-level helper function, laid out later (emit/layout.py)."""

    indent: int
    kind: LineKind
    text: str


@dataclass
class Imports:
    """What one generated module needs: stdlib names, generated symbols, union helpers."""

    schemas: Schemas = field(default_factory=Schemas)
    stdlib: set[tuple[str, str]] = field(default_factory=set)  # (module, name)
    symbols: set[str] = field(default_factory=set)  # model / enum names
    decoders: set[str] = field(default_factory=set)  # alias names whose `decode_<name>` is used
    helpers: list[tuple[HelperLine, ...]] = field(default_factory=list)  # module-level functions
    shadowed: frozenset[str] = frozenset()  # builtins/stdlib names a class body redefines (`def list`)
    unions: dict[t.Union, str] = field(default_factory=dict)  # union -> its decoder function
    members: dict[str, str] = field(default_factory=dict)  # enum name -> its table of members by value

    def need(self, module: str, name: str) -> None:
        self.stdlib.add((module, name))


SpecialStr = Literal["datetime", "date", "uuid"]


def _str_format(ty: t.Primitive) -> SpecialStr | None:
    """The Python type a string format decodes to, if not `str`."""
    if ty.kind != "str":
        return None
    if ty.format == "date-time":
        return "datetime"
    if ty.format == "date":
        return "date"
    if ty.format in UUID_FORMATS:
        return "uuid"
    return None


def is_uuid(ty: t.Type) -> bool:
    """A `uuid`-format string (nullable or not): its Python value is a `UUID`."""
    inner, _ = t.strip_nullable(ty)
    return isinstance(inner, t.Primitive) and _str_format(inner) == "uuid"


def builtin_name(name: str, imp: Imports) -> str:
    """A builtin's name, as `builtins.name` where a class body redefines it."""
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
    match ty:
        case t.Primitive(kind):
            match _str_format(ty):
                case "datetime":
                    return _stdlib("datetime", "datetime", imp)
                case "date":
                    return _stdlib("datetime", "date", imp)
                case "uuid":
                    imp.need("uuid", "UUID")
                    return "UUID"
                case None:
                    if kind == "bytes" and ty.format == "binary":  # an upload: bytes, a file object or a tuple
                        return "_rt.FileContent"
                    return builtin_name(PYTHON_NAMES[kind], imp)
                case other:
                    assert_never(other)
        case t.Const(value):
            if isinstance(value, float):  # `Literal[1.5]` is not a type: the value is documented instead
                return builtin_name("float", imp)
            imp.need("typing", "Literal")
            return f"Literal[{literal(value)}]"
        case t.StringOnly():
            return builtin_name("str", imp)
        case t.Array(item):
            return f"{builtin_name('list', imp)}[{annotation(item, imp)}]"
        case t.Tuple(items):
            return f"{builtin_name('tuple', imp)}[{', '.join(annotation(i, imp) for i in items)}]"
        case t.Map(value):
            return f"{builtin_name('dict', imp)}[{builtin_name('str', imp)}, {annotation(value, imp)}]"
        case t.Nullable(inner):
            return f"{annotation(inner, imp)} | None"
        case t.Union(variants):
            parts = [annotation(v, imp) for v in variants]
            if keeps_raw_objects(ty, imp.schemas):
                imp.need("typing", "Any")
                parts.append(f"{builtin_name('dict', imp)}[{builtin_name('str', imp)}, Any]")
            return " | ".join(dict.fromkeys(parts))
        case t.EnumRef(name) | t.ModelRef(name) | t.AliasRef(name):
            imp.symbols.add(name)
            return name
        case t.AnyType():
            imp.need("typing", "Any")
            return "Any"
        case _:
            assert_never(ty)


def plain_annotation(c: m.JsonContent | m.TextContent | m.BinaryContent, imp: Imports) -> str:
    """The Python type of a response body read whole: its JSON value, `str` or `bytes`."""
    match c:
        case m.JsonContent():
            return annotation(c.type, imp)
        case m.TextContent():
            return "str"
        case m.BinaryContent():
            return "bytes"
        case _:
            assert_never(c)


def keeps_raw_objects(ty: t.Union, schemas: Schemas) -> bool:
    """A union with object variants and no catch-all keeps unknown objects as dicts."""
    if is_identity(ty):
        return False
    plan = schemas.plan(ty)
    return (plan.tag is not None or bool(plan.by_key)) and plan.object_fallback is None


def is_identity(ty: t.Type) -> bool:
    """True when the JSON value *is* the Python value (no conversion either way)."""
    match ty:
        case t.Primitive(kind):
            return kind != "bytes" and _str_format(ty) is None
        case t.Const() | t.StringOnly() | t.AnyType():
            return True
        case t.Array(inner) | t.Map(inner) | t.Nullable(inner):
            return is_identity(inner)
        case t.Tuple():
            return False  # JSON gives a list; Python wants a tuple
        case t.Union(variants):
            return all(is_identity(v) for v in variants)
        case t.EnumRef() | t.ModelRef() | t.AliasRef():
            return False
        case _:
            assert_never(ty)


def has_conditional(ty: t.Type) -> bool:
    """Whether `decode(ty, ...)` and `encode(ty, ...)` hold a conditional expression
    (`None if ... else ...`): such an expression is parenthesised where it becomes part of
    another conditional."""
    if is_identity(ty):
        return False
    match ty:
        case t.Nullable():
            return True
        case t.Array(inner) | t.Map(inner):
            return has_conditional(inner)
        case t.Tuple(items):
            return any(has_conditional(i) for i in items)
        case (
            t.Primitive()
            | t.Const()
            | t.StringOnly()
            | t.AnyType()
            | t.Union()
            | t.EnumRef()
            | t.ModelRef()
            | t.AliasRef()
        ):
            return False
        case _:
            assert_never(ty)


# How each converted primitive is read from JSON and written back: (decode, encode).
Conversion = Literal["datetime", "date", "uuid", "bytes", "binary"]
_CONVERSIONS: dict[Conversion, tuple[str, str]] = {
    "datetime": ("_rt.parse_datetime({})", "_rt.format_datetime({})"),
    "date": ("_rt.parse_date({})", "_rt.format_date({})"),
    "uuid": ("_rt.parse_uuid({})", "_rt.format_uuid({})"),
    "bytes": ("_rt.decode_bytes({})", "_rt.encode_bytes({})"),
    "binary": ("_rt.decode_bytes({})", "_rt.encode_file({})"),  # an upload: bytes, a file object or a tuple
}


def _conversion(ty: t.Primitive) -> Conversion:
    """How a primitive that is not its own JSON value (`is_identity`) is converted."""
    special = _str_format(ty)
    if special is not None:
        return special
    assert ty.kind == "bytes", ty.kind  # every other kind is its JSON value
    return "binary" if ty.format == "binary" else "bytes"


Codec = Callable[[t.Type, str, Imports, int], str]


def _container(ty: t.Nullable | t.Array | t.Map, src: str, imp: Imports, depth: int, codec: Codec) -> str:
    """A nullable, list or map converted item by item with `codec` (decode or encode)."""
    var = f"v{depth}"
    match ty:
        case t.Nullable(inner):
            return f"None if {src} is None else {codec(inner, src, imp, depth)}"
        case t.Array(item):
            return f"[{codec(item, var, imp, depth + 1)} for {var} in {src}]"
        case t.Map(value):
            return f"{{k{depth}: {codec(value, var, imp, depth + 1)} for k{depth}, {var} in {src}.items()}}"
        case _:
            assert_never(ty)


def decode(ty: t.Type, src: str, imp: Imports, depth: int = 0) -> str:
    """Expression turning the JSON value `src` into the Python value of type `ty`.

    `src` is a name or a subscription of one (`v`, `d["key"]`, `v0[1]`): every caller
    passes such a place, so the expression may repeat it (a tuple reads each item)."""
    if is_identity(ty):
        return src
    match ty:
        case t.Primitive():
            return _CONVERSIONS[_conversion(ty)][0].format(src)
        case t.Array():
            # a string or an object is not read as an array (its characters, its keys)
            return _container(ty, f"_rt.json_array({src})", imp, depth, decode)
        case t.Nullable() | t.Map():
            return _container(ty, src, imp, depth, decode)
        case t.Tuple(items):
            # the array, of exactly as many items (at least one: never false), bound once
            comma = "," if len(items) == 1 else ""
            held = f"t{depth}"
            parts = ", ".join(decode(i, f"{held}[{n}]", imp, depth + 1) for n, i in enumerate(items))
            return f"(({held} := _rt.json_array({src}, {len(items)})) and ({parts}{comma}))"
        case t.EnumRef(name):
            # a dict lookup first; the class itself (Python code) for what the table lacks
            return f"{enum_members(name, imp)}.get({src}) or {name}({src})"
        case t.ModelRef(name):
            imp.symbols.add(name)
            return f"{name}.from_dict({src})"
        case t.AliasRef(name):
            imp.decoders.add(name)
            return f"decode_{name}({src})"
        case t.Union():
            return f"{union_decoder(ty, imp)}({src})"
        case t.Const() | t.StringOnly() | t.AnyType():
            raise AssertionError(f"{ty} is decoded as it came")  # is_identity above
        case _:
            assert_never(ty)


def enum_members(name: str, imp: Imports) -> str:
    """Name of a module-level table of the enum `name`'s members by value
    (`_rt.enum_members`), written into `imp.helpers` once."""
    known = imp.members.get(name)
    if known is not None:
        return known
    imp.symbols.add(name)
    table = f"_MEMBERS_{name}"
    imp.members[name] = table
    # annotated: a service module's operation constants read it in lambdas above it, where
    # mypy cannot infer a variable assigned further down ("Cannot determine type")
    imp.helpers.append((HelperLine(0, "stmt", f"{table}: dict[object, {name}] = _rt.enum_members({name})"),))
    return table


_KIND_CHECKS: dict[t.JsonKind, str] = {  # `{0}`: the value checked
    "object": "isinstance({0}, dict)",
    "array": "isinstance({0}, list)",
    "string": "isinstance({0}, str)",
    "boolean": "isinstance({0}, bool)",
    "integer": "isinstance({0}, int) and not isinstance({0}, bool)",
    "number": "isinstance({0}, (int, float)) and not isinstance({0}, bool)",
}


def _kind_check(kind: t.JsonKind, value: str = "v") -> str:
    """Whether the JSON value `value` (an expression) is of `kind`."""
    return _KIND_CHECKS[kind].format(value)


def union_decoder(ty: t.Union, imp: Imports) -> str:
    """Name of a module-level function decoding `ty`, written into `imp.helpers` once.

    Variants are told apart by evidence only, as the builder's dispatch table for `ty`
    says (builder.unions.dispatch): the discriminator value, required keys only one
    variant has, or the JSON kind of the value; never by trying a decoder and catching
    its failure. An object nothing claims stays a dict.
    """
    known = imp.unions.get(ty)
    if known is not None:
        return known
    name = f"_decode_union{len(imp.unions) + 1}"
    imp.unions[ty] = name
    plan = imp.schemas.plan(ty)
    imp.need("typing", "Any")
    lines = [HelperLine(0, "def", f"def {name}(v: Any) -> {annotation(ty, imp)}:")]

    def add(indent: int, kind: LineKind, text: str) -> None:
        lines.append(HelperLine(indent, kind, text))

    if plan.tag is not None or plan.by_key or plan.object_fallback is not None:
        add(4, "if", f"if {_kind_check('object')}:")
        if plan.tag is not None:
            if plan.tag_at:  # the tag inside a property's object
                add(8, "stmt", f"tag = v.get({literal(plan.tag_at[0])})")
                for key in (*plan.tag_at[1:], plan.tag):
                    add(8, "stmt", f"tag = tag.get({literal(key)}) if isinstance(tag, dict) else None")
            else:
                add(8, "stmt", f"tag = v.get({literal(plan.tag)})")
            for value, keys, variant in plan.by_tag:
                test = "".join(f" and {literal(k)} in v" for k in keys)
                add(8, "if", f"if tag == {literal(value)}{test}:")
                add(12, "stmt", f"return {decode(variant, 'v', imp, 1)}")
        for keys, kinds, variant in plan.by_key:
            test = " and ".join(
                [f"{literal(k)} in v" for k in keys] + [_kind_check(kind, f"v[{literal(k)}]") for k, kind in kinds]
            )
            add(8, "if", f"if {test}:")
            add(12, "stmt", f"return {decode(variant, 'v', imp, 1)}")
        if plan.object_fallback is not None:
            add(8, "stmt", f"return {decode(plan.object_fallback, 'v', imp, 1)}")
        else:
            add(8, "stmt", "return v  # an unknown variant, kept as it came")
    for kind, variant in plan.by_kind:
        if kind == "array":  # arrays told apart by their first item first
            for item_kind, keys, array in plan.by_item:
                test = " and ".join(
                    [
                        "isinstance(v, list)",
                        "v",
                        _kind_check(item_kind, "v[0]"),
                        *(f"{literal(k)} in v[0]" for k in keys),
                    ]
                )
                add(4, "if", f"if {test}:")
                add(8, "stmt", f"return {decode(array, 'v', imp, 1)}")
        if isinstance(variant, t.Const):
            # the constant itself is returned, so the value has the `Literal` type the
            # annotation promises (`v` narrowed by isinstance would be a plain `str`)
            add(4, "if", f"if {_kind_check(kind)} and v == {literal(variant.value)}:")
            add(8, "stmt", f"return {literal(variant.value)}")
            continue
        add(4, "if", f"if {_kind_check(kind)}:")
        add(8, "stmt", f"return {decode(variant, 'v', imp, 1)}")
    add(4, "stmt", 'raise ValueError(f"no variant of the union matches {type(v).__name__}")')
    imp.helpers.append(tuple(lines))
    return name


def encode(ty: t.Type, src: str, imp: Imports, depth: int = 0) -> str:
    """Expression turning the Python value `src` of type `ty` into JSON data."""
    if is_identity(ty):
        return src
    match ty:
        case t.Primitive():
            return _CONVERSIONS[_conversion(ty)][1].format(src)
        case t.Nullable() | t.Array() | t.Map():
            return _container(ty, src, imp, depth, encode)
        case t.Tuple(items):
            parts = ", ".join(encode(i, f"{src}[{n}]", imp, depth + 1) for n, i in enumerate(items))
            return f"[{parts}]"
        case t.EnumRef(name):
            # a member's value, and a plain value as it is (forgiving inputs): int() for
            # integer enums; for string enums str.__str__, which unlike str() does not
            # call the members' __str__ (Python code), and gives the same text
            enum = imp.schemas.enums.get(name)
            return f"int({src})" if enum is not None and enum.kind == "int" else f"str.__str__({src})"
        case t.ModelRef():
            return f"{src}.to_dict()"
        case t.AliasRef() | t.Union():
            # which variant a value is, is known only at run time: the runtime's encoder
            # turns models, enums, dates and tuples into JSON data by their Python type
            return f"_rt.to_json({src})"
        case t.Const() | t.StringOnly() | t.AnyType():
            raise AssertionError(f"{ty} is encoded as it is")  # is_identity above
        case _:
            assert_never(ty)


def table_type(ty: t.Type, imp: Imports) -> str:
    """`ty` as a type of a model's field table (runtime/_codec.py: its grammar), recording
    in `imp` the names the runtime will look up in the module when it compiles the codec."""
    if is_identity(ty):
        return "-"
    match ty:
        case t.Primitive():
            return _conversion(ty)
        case t.Nullable(inner):
            return f"null {table_type(inner, imp)}"
        case t.Array(item):
            return f"list {table_type(item, imp)}"
        case t.Map(value):
            return f"map {table_type(value, imp)}"
        case t.Tuple(items):
            return " ".join(["tuple", str(len(items)), *(table_type(i, imp) for i in items)])
        case t.EnumRef(name):
            imp.symbols.add(name)
            enum = imp.schemas.enums.get(name)
            return f"{'intenum' if enum is not None and enum.kind == 'int' else 'enum'} {name}"
        case t.ModelRef(name):
            imp.symbols.add(name)
            return f"model {name}"
        case t.AliasRef(name):
            imp.decoders.add(name)
            return f"alias {name}"
        case t.Union():
            return f"union {union_decoder(ty, imp)}"
        case t.Const() | t.StringOnly() | t.AnyType():
            raise AssertionError(f"{ty} is its own JSON value")  # is_identity above
        case _:
            assert_never(ty)


def table_token(value: str | int | float | bool) -> str:
    """A JSON key or constant as one JSON token of a field table: ASCII and on one line
    (`json.dumps` escapes line breaks); the runtime reads it with `JSONDecoder.raw_decode`,
    which says where it ends, so spaces inside a string token do not split it."""
    return json.dumps(value, ensure_ascii=True)


def table_literal(text: str) -> str:
    """`text` as a Python triple-quoted string literal whose value is exactly `text`, for
    any text: backslashes are doubled, a quote is escaped where another quote follows it
    or the text ends (so three never meet, nor the closing ones), and every character
    but printable ASCII and newline is written as an escape (a CR or a line separator
    in the file would change the value; non-ASCII stays out of generated code)."""
    out = []
    for n, ch in enumerate(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"' if text[n + 1 : n + 2] in ('"', "") else '"')
        elif ch == "\n" or " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(ascii(ch)[1:-1])
    return '"""' + "".join(out) + '"""'
