"""Model codecs compiled at first use from each model's field table.

Copied verbatim into every generated package; standard library only. Not part of
the package's public API.

Every generated model module holds, per model class, one string: its field table
(the module-level ``_FIELDS_<Model>``), one field per line in spec order::

    req <attr> <json key> <type>      a required field
    opt <attr> <json key> <type>      an optional field (UNSET when the key is missing)
    const <attr> <json key> <value>   a constant: defaulted, tolerated missing, always sent
    extra <attr> <type>               the typed map of additionalProperties
    unknown <attr>                    the dict of undeclared keys, written back

JSON keys and constants are JSON tokens. A type is a prefix expression over a closed
set of shapes: ``-`` (the JSON value as it is), ``datetime``, ``date``, ``uuid``,
``bytes``, ``binary``, ``null T``, ``list T``, ``map T``, ``tuple N T1 .. TN``,
``enum E`` / ``intenum E`` (an open enum class), ``model M``, ``alias A``
(``decode_A``) and ``union F`` (the module's union decoder ``F``).

The first call of a model's ``from_dict`` / ``to_dict`` builds the straight-line
function from the table (as ``dataclasses`` builds ``__init__``), installs it on the
class, so later calls go straight to it, and calls it. The built source holds only
synthesized names and fixed text: keys, constants, classes and functions are values
bound to the names ``_k0``, ``_c0``, ``_t0``... of the function's closure, never spelt
in the source. The source is registered in ``linecache``, so tracebacks show its lines.
Two threads compiling at once both get a correct function (the last one stays).
"""

from __future__ import annotations

import json
import keyword
import linecache
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal, NoReturn, TypeAlias, TypeVar, cast

from . import _runtime as rt

M = TypeVar("M")

# the JSON token reader: raw_decode parses one token at a position and says where it ends
_JSON = json.JSONDecoder()
_ConversionName: TypeAlias = Literal["datetime", "date", "uuid", "bytes", "binary"]
_ContainerKind: TypeAlias = Literal["null", "list", "map"]
_NamedKind: TypeAlias = Literal["enum", "intenum", "model", "alias", "union"]
_FieldKind: TypeAlias = Literal["req", "opt", "const", "extra", "unknown"]
_CONVERSIONS = ("datetime", "date", "uuid", "bytes", "binary")
_CONTAINERS = ("null", "list", "map")
_NAMED = ("enum", "intenum", "model", "alias", "union")


class CodecTableError(ValueError):
    """A field table that is not in the closed grammar above (a generator bug)."""


# The parsed table: plain slotted classes (dataclasses would cost ~1 ms each to create when
# this module is imported, at a model's first decode or encode).


class _Same:
    """The JSON value is the Python value."""

    __slots__ = ()


class _Conversion:
    __slots__ = ("name",)

    def __init__(self, name: _ConversionName) -> None:
        self.name = name


class _Container:
    __slots__ = ("inner", "kind")

    def __init__(self, kind: _ContainerKind, inner: _Shape) -> None:
        self.kind = kind
        self.inner = inner


class _Tuple:
    __slots__ = ("items",)

    def __init__(self, items: tuple[_Shape, ...]) -> None:
        self.items = items


class _Named:
    __slots__ = ("kind", "name")

    def __init__(self, kind: _NamedKind, name: str) -> None:
        self.kind = kind
        self.name = name  # a name in the model module's globals


_Shape: TypeAlias = "_Same | _Conversion | _Container | _Tuple | _Named"


class _Field:
    __slots__ = ("attr", "key", "kind", "shape", "value")

    def __init__(
        self, kind: _FieldKind, attr: str, key: str | None = None, shape: _Shape | None = None, value: Any = None
    ) -> None:
        self.kind = kind
        self.attr = attr
        self.key = key
        self.shape = shape
        self.value = value  # a constant's value


def _never(value: NoReturn) -> NoReturn:
    """`typing.assert_never` (Python 3.11+): mypy proves each `match` below exhaustive."""
    raise AssertionError(f"unhandled case {value!r}")


def _fail(owner: type, line: str, why: str) -> CodecTableError:
    return CodecTableError(f"field table of {owner.__module__}.{owner.__qualname__}: {why} in line {line!r}")


def _check_name(owner: type, line: str, name: str, *, attribute: bool) -> str:
    if not (name.isascii() and name.isidentifier()) or keyword.iskeyword(name) or (attribute and name[0] == "_"):
        raise _fail(owner, line, f"{name!r} is not a usable {'attribute' if attribute else 'name'}")
    return name


def _shape(owner: type, line: str, tokens: Iterator[str]) -> _Shape:
    token = next(tokens, None)
    if token is None:
        raise _fail(owner, line, "a type ends early")
    if token == "-":
        return _Same()
    if token in _CONVERSIONS:
        return _Conversion(cast(_ConversionName, token))
    if token in _CONTAINERS:
        return _Container(cast(_ContainerKind, token), _shape(owner, line, tokens))
    if token == "tuple":
        count = next(tokens, "")
        if not count.isdigit() or not count.isascii() or int(count) < 1:
            raise _fail(owner, line, f"{count!r} is not a tuple length")
        return _Tuple(tuple(_shape(owner, line, tokens) for _ in range(int(count))))
    if token in _NAMED:
        return _Named(cast(_NamedKind, token), _check_name(owner, line, next(tokens, ""), attribute=False))
    raise _fail(owner, line, f"unknown type {token!r}")


def _json_token(owner: type, line: str, at: int) -> tuple[Any, int]:
    try:
        return _JSON.raw_decode(line, at)
    except ValueError:
        raise _fail(owner, line, "a JSON token is expected") from None


def _parse(owner: type, table: str) -> list[_Field]:
    fields = []
    for line in table.splitlines():
        if not line.strip():
            continue
        kind, _, rest = line.partition(" ")
        attr, _, rest = rest.partition(" ")
        _check_name(owner, line, attr, attribute=True)
        key: str | None = None
        if kind in ("req", "opt", "const"):
            key, end = _json_token(owner, line, len(line) - len(rest))
            if not isinstance(key, str) or line[end : end + 1] != " ":
                raise _fail(owner, line, "a JSON string key and a space are expected")
            rest = line[end + 1 :]
        if kind == "const":
            value, end = _json_token(owner, line, len(line) - len(rest))
            if end != len(line) or not isinstance(value, (str, int, float, bool)):
                raise _fail(owner, line, "one JSON scalar is expected")
            fields.append(_Field("const", attr, key, value=value))
        elif kind in ("req", "opt", "extra"):
            tokens = iter(rest.split(" "))
            shape = _shape(owner, line, tokens)
            if next(tokens, None) is not None:
                raise _fail(owner, line, "text after the type")
            fields.append(_Field(cast(_FieldKind, kind), attr, key, shape))
        elif kind == "unknown" and not rest:
            fields.append(_Field("unknown", attr))
        else:
            raise _fail(owner, line, f"unknown field kind {kind!r}")
    return fields


def _once(src: str, depth: int) -> tuple[str, str]:
    """`src` read once where an expression uses it twice: a name as it is, else (a
    subscription `d[_k0]` or an attribute `self.x`) bound by `:=` to `x<depth>`."""
    if src.isidentifier():
        return src, src
    return f"(x{depth} := {src})", f"x{depth}"


class _Builder:
    """Source text of one function, and the values its names are bound to."""

    def __init__(self, owner: type, namespace: Mapping[str, Any]) -> None:
        self.owner = owner
        self.namespace = namespace
        # the runtime's helpers by the names the source calls them; bound only when used
        self.helpers: dict[str, Any] = {
            "_UNSET": rt.UNSET,
            "_parse_datetime": rt.parse_datetime,
            "_format_datetime": rt.format_datetime,
            "_parse_date": rt.parse_date,
            "_format_date": rt.format_date,
            "_parse_uuid": rt.parse_uuid,
            "_format_uuid": rt.format_uuid,
            "_decode_bytes": rt.decode_bytes,
            "_json_array": rt.json_array,
            "_encode_bytes": rt.encode_bytes,
            "_encode_file": rt.encode_file,
            "_to_json": rt.to_json,
            "_int": int,
            "_str_str": str.__str__,
        }
        self.values: dict[str, Any] = {}  # every name the source uses -> its value
        self.bound: dict[tuple[str, Any], str] = {}  # (kind, value or name) -> bound name
        self.lines: list[str] = []

    def bind(self, prefix: str, value: Any, ident: Any = None) -> str:
        """A synthesized name bound to `value` (`ident` tells equal values apart)."""
        marker = (prefix, ident if ident is not None else (type(value), value))
        name = self.bound.get(marker)
        if name is None:
            name = f"_{prefix}{len(self.bound)}"
            self.bound[marker] = name
            self.values[name] = value
        return name

    def helper(self, name: str) -> str:
        self.values[name] = self.helpers[name]
        return name

    def key(self, key: str) -> str:
        return self.bind("k", key)

    def resolve(self, name: str) -> Any:
        try:
            return self.namespace[name]
        except KeyError:
            raise CodecTableError(f"{self.owner.__module__}: {name!r} is not defined for the field table") from None

    def decode(self, shape: _Shape, src: str, depth: int) -> str:
        match shape:
            case _Same():
                return src
            case _Conversion():
                name = "_decode_bytes" if shape.name in ("bytes", "binary") else f"_parse_{shape.name}"
                return f"{self.helper(name)}({src})"
            case _Container():
                if shape.kind == "list":  # a string or an object is not read as an array
                    src = f"{self.helper('_json_array')}({src})"
                return self.container(shape, src, depth, self.decode)
            case _Tuple():
                # the array (of exactly as many items, at least one: never false) bound
                # once, then read item by item
                items = f"t{depth}"
                parts = "".join(
                    f"{self.decode(item, f'{items}[{n}]', depth + 1)}, " for n, item in enumerate(shape.items)
                )
                size = len(shape.items)
                return f"(({items} := {self.helper('_json_array')}({src}, {size})) and ({parts}))"
            case _Named():
                match shape.kind:
                    case "enum" | "intenum":
                        cls = self.resolve(shape.name)
                        members = self.bind("t", rt.enum_members(cls), ("members", shape.name))
                        return f"({members}.get({src}) or {self.bind('t', cls, shape.name)}({src}))"
                    case "model":
                        return f"{self.bind('t', self.resolve(shape.name), shape.name)}.from_dict({src})"
                    case "alias" | "union":
                        function = f"decode_{shape.name}" if shape.kind == "alias" else shape.name
                        return f"{self.bind('t', self.resolve(function), function)}({src})"
                    case _:
                        _never(shape.kind)
            case _:
                _never(shape)

    def container(self, shape: _Container, src: str, depth: int, codec: Callable[[_Shape, str, int], str]) -> str:
        """A nullable, list or map converted item by item with `codec` (decode or encode)."""
        var = f"v{depth}"
        match shape.kind:
            case "null":
                place, src = _once(src, depth)
                return f"(None if {place} is None else {codec(shape.inner, src, depth)})"
            case "list":
                return f"[{codec(shape.inner, var, depth + 1)} for {var} in {src}]"
            case "map":
                return f"{{k{depth}: {codec(shape.inner, var, depth + 1)} for k{depth}, {var} in {src}.items()}}"
            case _:
                _never(shape.kind)

    def encode(self, shape: _Shape, src: str, depth: int) -> str:
        match shape:
            case _Same():
                return src
            case _Conversion():
                name = {"bytes": "_encode_bytes", "binary": "_encode_file"}.get(shape.name, f"_format_{shape.name}")
                return f"{self.helper(name)}({src})"
            case _Container():
                return self.container(shape, src, depth, self.encode)
            case _Tuple():
                parts = ", ".join(self.encode(item, f"{src}[{n}]", depth + 1) for n, item in enumerate(shape.items))
                return f"[{parts}]"
            case _Named():
                match shape.kind:
                    case "enum":
                        return f"{self.helper('_str_str')}({src})"
                    case "intenum":
                        return f"{self.helper('_int')}({src})"
                    case "model":
                        return f"{src}.to_dict()"
                    case "alias" | "union":  # the variant is known only at run time
                        return f"{self.helper('_to_json')}({src})"
                    case _:
                        _never(shape.kind)
            case _:
                _never(shape)

    def known(self, fields: list[_Field]) -> str:
        return self.bind("t", frozenset(f.key for f in fields if f.key is not None), "known")

    def from_dict(self, fields: list[_Field]) -> None:
        add = self.lines.append
        add("    def from_dict(cls, d):")
        if not fields:
            add("        return cls()")
            return
        add("        obj = cls.__new__(cls)")
        for f in fields:
            match f.kind:
                case "const":
                    value = self.bind("c", f.value)
                    add(f"        obj.{f.attr} = d.get({self.key(f.key or '')}, {value})")
                case "req":
                    assert f.shape is not None
                    add(f"        obj.{f.attr} = {self.decode(f.shape, f'd[{self.key(f.key or str())}]', 0)}")
                case "opt":
                    assert f.shape is not None
                    key = self.key(f.key or "")
                    if isinstance(f.shape, _Same):
                        add(f"        obj.{f.attr} = d.get({key}, {self.helper('_UNSET')})")
                    else:
                        value = self.decode(f.shape, f"d[{key}]", 0)
                        add(f"        obj.{f.attr} = {value} if {key} in d else {self.helper('_UNSET')}")
                case "extra":
                    assert f.shape is not None
                    value = self.decode(f.shape, "v", 1)
                    known = self.known(fields)
                    add(f"        obj.{f.attr} = {{k: {value} for k, v in d.items() if k not in {known}}}")
                case "unknown":
                    # undeclared keys are rare: when `d` holds no more keys than the declared
                    # ones it has (every required key is there, or `d[key]` failed above),
                    # there are none; counting them costs a `key in d` per optional key, not
                    # a set lookup per key of `d` (~10% of decoding an Order)
                    known = self.known(fields)
                    present = [str(sum(1 for g in fields if g.kind == "req"))] + [
                        f"({self.key(g.key or '')} in d)" for g in fields if g.kind in ("opt", "const")
                    ]
                    add(
                        f"        obj.{f.attr} = {{}} if len(d) == {' + '.join(present)} "
                        f"else {{k: v for k, v in d.items() if k not in {known}}}"
                    )
                case _:
                    _never(f.kind)
        add("        return obj")

    def to_dict(self, fields: list[_Field]) -> None:
        add = self.lines.append
        add("    def to_dict(self):")
        add("        d = {")
        at = 0
        for f in fields:  # the leading fields always sent: one dict display
            if f.kind not in ("req", "const"):
                break
            at += 1
            value = f"self.{f.attr}" if f.shape is None else self.encode(f.shape, f"self.{f.attr}", 0)
            add(f"            {self.key(f.key or '')}: {value},")
        add("        }")
        for f in fields[at:]:
            match f.kind:
                case "req" | "const":
                    value = f"self.{f.attr}" if f.shape is None else self.encode(f.shape, f"self.{f.attr}", 0)
                    add(f"        d[{self.key(f.key or '')}] = {value}")
                case "opt":
                    assert f.shape is not None
                    add(f"        if self.{f.attr} is not {self.helper('_UNSET')}:")
                    add(f"            d[{self.key(f.key or '')}] = {self.encode(f.shape, f'self.{f.attr}', 0)}")
                case "extra" | "unknown":
                    value = "v" if f.shape is None else self.encode(f.shape, "v", 1)
                    add(f"        if self.{f.attr}:")
                    add(f"            for k, v in self.{f.attr}.items():")
                    add("                if k not in d:")
                    add(f"                    d[k] = {value}")
                case _:
                    _never(f.kind)
        add("        return d")

    def build(self, method: str) -> Callable[..., Any]:
        """The function, made by a factory whose parameters are the bound values."""
        names = list(self.values)
        source = "\n".join([f"def __make({', '.join(names)}):", *self.lines, f"    return {method}", ""])
        filename = f"<sdkgen codec {self.owner.__module__}.{self.owner.__qualname__}.{method}>"
        code = compile(source, filename, "exec")
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        scope: dict[str, Any] = {}
        exec(code, {"__builtins__": __builtins__}, scope)
        function: Callable[..., Any] = scope["__make"](*(self.values[n] for n in names))
        function.__qualname__ = f"{self.owner.__qualname__}.{method}"
        function.__module__ = self.owner.__module__
        return function


def _table(owner: type, namespace: Mapping[str, Any]) -> list[_Field]:
    table = namespace.get(f"_FIELDS_{owner.__name__}")
    if not isinstance(table, str):
        raise CodecTableError(f"{owner.__module__} has no field table _FIELDS_{owner.__name__}")
    return _parse(owner, table)


# Where a field's value holds generated models: the model class, or (`null` | `list` |
# `map`, inner slot), or (`tuple`, one slot or None per item). Unions and aliases pick
# their variant at run time and have none.
Slot: TypeAlias = "type | tuple[str, Any]"


def model_slots(owner: type, namespace: Mapping[str, Any]) -> tuple[tuple[str, Slot], ...]:
    """The fields of `owner` whose values hold generated models, each with its slot, from
    the field table (`_inputs.py` checks a request body's models with them)."""
    out = []
    for f in _table(owner, namespace):
        if f.shape is None:
            continue
        slot = _slot(f.shape, namespace)
        if slot is not None:
            out.append((f.attr, ("map", slot) if f.kind == "extra" else slot))
    return tuple(out)


def _slot(shape: _Shape, namespace: Mapping[str, Any]) -> Slot | None:
    match shape:
        case _Named(kind="model"):
            found = namespace.get(shape.name)
            return found if isinstance(found, type) else None
        case _Container():
            inner = _slot(shape.inner, namespace)
            return None if inner is None else (shape.kind, inner)
        case _Tuple():
            items = tuple(_slot(item, namespace) for item in shape.items)
            return ("tuple", items) if any(x is not None for x in items) else None
        case _Same() | _Conversion() | _Named():
            return None
        case _:
            _never(shape)


def decoder(owner: type[M], namespace: Mapping[str, Any]) -> Callable[[type[M], Mapping[str, Any]], M]:
    """`owner.from_dict`, built from the field table `_FIELDS_<owner>` of `namespace` (the
    model module's globals), installed on `owner` and returned (called as `function(cls, d)`,
    so a subclass gets instances of its own)."""
    builder = _Builder(owner, namespace)
    builder.from_dict(_table(owner, namespace))
    function = builder.build("from_dict")
    setattr(owner, "from_dict", classmethod(function))  # noqa: B010 (owner is any class to mypy)
    return function


def encoder(owner: type[M], namespace: Mapping[str, Any]) -> Callable[[M], dict[str, Any]]:
    """`owner.to_dict`, built from its field table, installed on `owner` and returned."""
    builder = _Builder(owner, namespace)
    builder.to_dict(_table(owner, namespace))
    function = builder.build("to_dict")
    setattr(owner, "to_dict", function)  # noqa: B010
    return function
