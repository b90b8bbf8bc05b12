"""Plain-English text for types and constraints, shared by docstrings and the docs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import assert_never

from ..ir import model as m
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
    match ty:
        case t.Primitive(constraints=c) | t.StringOnly(constraints=c):
            return constraints(c)
        case t.Array(item, c):
            inner = type_constraints(item)
            return constraints(c) + [f"each item: {x}" for x in inner]
        case t.Map(value, key, c):
            out = [f"keys: {x}" for x in constraints(key)]
            value, _ = t.strip_nullable(value)
            variants = value.variants if isinstance(value, t.Union) else (value,)
            for v in variants:
                for x in type_constraints(v):
                    out.append(f"{kind_name(v)} values: {x}")
            return out + constraints(c)
        case t.Const() | t.Tuple() | t.Nullable() | t.Union() | t.EnumRef() | t.ModelRef() | t.AliasRef() | t.AnyType():
            return []
        case _:
            assert_never(ty)


@dataclass(frozen=True)
class TypeSpelling:
    """How a JSON-ish type name spells what its structure leaves open: named schemas,
    constants and open strings, and whether a union's repeated names are merged."""

    ref: Callable[[str], str] = str
    const: Callable[[str | int | float | bool], str] = lambda value: f"{value!r} (constant)"
    string_only: Callable[[t.StringOnly], str] = lambda _: "string"
    merge_variants: bool = False


PLAIN = TypeSpelling()


def type_name(ty: t.Type, spell: TypeSpelling) -> str:
    """A JSON-ish name for a type (`string | null`, `integer[]`, `object (map of ...)`)."""
    match ty:
        case t.Nullable(inner):
            return f"{type_name(inner, spell)} | null"
        case t.Primitive(kind, fmt):
            base = t.JSON_NAMES[kind]
            return f"{base} ({fmt})" if fmt and kind != "bytes" else base
        case t.Const(value):
            return spell.const(value)
        case t.StringOnly():
            return spell.string_only(ty)
        case t.Array(item):
            text = type_name(item, spell)
            return f"({text})[]" if isinstance(item, (t.Union, t.Nullable)) else f"{text}[]"
        case t.Tuple(items):
            return "[" + ", ".join(type_name(i, spell) for i in items) + "]"
        case t.Map(value):
            return f"object (map of {type_name(value, spell)})"
        case t.Union(variants):
            names = [type_name(v, spell) for v in variants]
            return " | ".join(dict.fromkeys(names) if spell.merge_variants else names)
        case t.EnumRef(name) | t.ModelRef(name) | t.AliasRef(name):
            return spell.ref(name)
        case t.AnyType():
            return "any"
        case _:
            assert_never(ty)


def kind_name(ty: t.Type) -> str:
    """A short JSON-ish name for a type, as the seed page writes them (`string | null`)."""
    return type_name(ty, PLAIN)


def response_reading(op: m.Operation, call: str) -> list[str]:
    """How the methods read the success response, one Markdown sentence per method, when
    it is anything but one JSON value (`call` is `client.<service>.`); [] otherwise."""
    ok = m.success_response(op)
    if ok is None or not ok.contents or (len(ok.contents) == 1 and isinstance(ok.contents[0], m.JsonContent)):
        return []
    plain = m.plain_contents(ok)
    out = []
    if plain:
        kinds = ", ".join(_content_reading(c) for c in plain)
        how = "decodes by the response's `Content-Type` (it sends `Accept` for each)" if len(plain) > 1 else "reads"
        out.append(f"`{call}{op.name}()` {how}: {kinds}.")
    streamed = stream_reading(op, call)
    if streamed is not None:
        out.append(streamed)
    if ok.stream_switch is not None:
        out.append(
            f"The request body's `{ok.stream_switch.field}` member is set by the method: false for whole answers, "
            "true for the stream."
        )
    return out


def stream_reading(op: m.Operation, call: str) -> str | None:
    """The sentence on the method that returns the success response streamed, if any."""
    ok = m.success_response(op)
    if ok is None or not ok.contents:
        return None
    plain, stream = m.plain_contents(ok), m.streamed_content(ok)
    if op.stream_name is None and plain:
        return None
    name = op.stream_name or op.name
    if stream is not None:
        return f"`{call}{name}()` returns {_content_reading(stream)}."
    return (
        f"`{call}{name}()` returns a `streaming.BinaryStream` (`AsyncBinaryStream`): the body in chunks "
        "(`iter_bytes()`, `write_to(path)`), never held whole in memory."
    )


def _content_reading(c: m.ResponseContent) -> str:
    match c:
        case m.JsonContent():
            return f"`{c.media_type}` as JSON (`{kind_name(c.type)}`)"
        case m.TextContent():
            return f"`{c.media_type}` as text (`str`)"
        case m.BinaryContent():
            return f"`{c.media_type}` as `bytes`"
        case m.EventStreamContent():
            data = f"JSON `{kind_name(c.item)}`" if c.item_json else "text"
            end = f", until an event whose data is `{c.terminal}`" if c.terminal else ""
            return (
                f"Server-Sent Events (`{c.media_type}`) as a `streaming.EventStream` (`AsyncEventStream`) of "
                f"`ServerSentEvent`s whose `data` is {data}{end}"
            )
        case m.JsonLinesContent():
            return (
                f"JSON lines (`{c.media_type}`) as a `streaming.JsonLinesStream` (`AsyncJsonLinesStream`) of "
                f"`{kind_name(c.item)}`, one per line"
            )
        case _:
            assert_never(c)
