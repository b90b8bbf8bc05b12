"""The type algebra: a small closed set of frozen, hashable, JSON-dumpable nodes.

Each node says what a value *is*; how it is written in Python or decoded from JSON is
decided later (emit/), from these nodes alone. Constraints ride along as data so that
docs and validation read them from one place.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias, assert_never


@dataclass(frozen=True, slots=True)
class Constraints:
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    min_properties: int | None = None
    max_properties: int | None = None

    def is_empty(self) -> bool:
        return self == _NO_CONSTRAINTS


_NO_CONSTRAINTS = Constraints()

PrimitiveKind = Literal["str", "int", "float", "bool", "bytes", "null"]
# How the reference docs and docstrings name each kind (`bytes` is a binary string).
JSON_NAMES: dict[PrimitiveKind, str] = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "bytes": "binary",
    "null": "null",
}


@dataclass(frozen=True, slots=True)
class Primitive:
    """A JSON scalar; `format` refines it (date-time, date, uuid, email, binary, ...)."""

    kind: PrimitiveKind
    format: str | None = None
    constraints: Constraints | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Const:
    """Exactly one JSON scalar value (`const`, or a one-value enum)."""

    value: str | int | float | bool

    # `True == 1 == 1.0` in Python, but `const: true` and `const: 1` are different
    # schemas: a union of both must keep both (dedupe compares types).
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Const) and type(other.value) is type(self.value) and other.value == self.value

    def __hash__(self) -> int:
        return hash((type(self.value).__name__, self.value))


@dataclass(frozen=True, slots=True)
class Array:
    item: Type
    constraints: Constraints | None = None


@dataclass(frozen=True, slots=True)
class Tuple:
    """Fixed-length `prefixItems` (minItems == maxItems == len(prefixItems))."""

    items: tuple[Type, ...]


@dataclass(frozen=True, slots=True)
class Map:
    """An object used as a dictionary (`additionalProperties` / `patternProperties`)."""

    value: Type
    key: Constraints | None = None
    constraints: Constraints | None = None


@dataclass(frozen=True, slots=True)
class Nullable:
    inner: Type


@dataclass(frozen=True, slots=True)
class StringOnly:
    """A union whose members are all strings: one string type with known values.

    `anyOf: [string, TaxIDFormat]` is a string that may be one of the enum's values;
    decoding it needs no guess, because every member decodes to the same `str`.
    """

    known: tuple[str, ...] = ()
    enums: tuple[str, ...] = ()
    constraints: Constraints | None = None


@dataclass(frozen=True, slots=True)
class Discriminator:
    """`base`: an inheritance family's own schema (builder/inheritance.py), which takes an
    object whose tag no variant has (a subtype the client does not know)."""

    property: str
    mapping: tuple[tuple[str, str], ...]  # (wire value, model name), in spec order
    base: str | None = None


@dataclass(frozen=True, slots=True)
class Union:
    """One of several variants; how a decoder tells them apart is its `Dispatch`
    (decided by the builder, listed in `Api.dispatch`)."""

    variants: tuple[Type, ...]
    discriminator: Discriminator | None = None


@dataclass(frozen=True, slots=True)
class EnumRef:
    name: str


@dataclass(frozen=True, slots=True)
class ModelRef:
    name: str


@dataclass(frozen=True, slots=True)
class AliasRef:
    """A named non-object schema (a named union, say) emitted as a type alias."""

    name: str


@dataclass(frozen=True, slots=True)
class AnyType:
    """No usable schema: the JSON value as it came (`reason` says why, if degraded)."""

    reason: str | None = None


Type: TypeAlias = (
    Primitive | Const | Array | Tuple | Map | Nullable | StringOnly | Union | EnumRef | ModelRef | AliasRef | AnyType
)


JsonKind = Literal["object", "array", "string", "boolean", "integer", "number"]
JSON_KINDS: tuple[JsonKind, ...] = ("object", "array", "string", "boolean", "integer", "number")


@dataclass(frozen=True, slots=True)
class Dispatch:
    """The decision table for one union: checked in this order, no trial decoding.

    `tag`/`by_tag`: a discriminator property and its values, each with the keys that must
    all be present too (none, but where two variants share a value: a union of unions
    discriminated alike, Polar's `Product.prices`), checked in order; `by_key`: objects told apart
    by required keys (all present) only that variant has, or, for variants without such
    a key, by all their required keys and the JSON kinds of those that another such variant
    types otherwise (vercel's `gitSource`: `repoId` a number, or a string or number);
    `object_fallback`: the one
    object variant left without evidence (or a map); `by_kind`: per other JSON kind, its
    constants (each matched by value) and then one variant that takes any other value of
    that kind. An object that matches nothing is kept as a raw dict (unions are open).
    `kinds` is the JSON kind of each of the union's variants (None: more than one).
    `tag_at`: the keys leading to the object that holds `tag` (none: the union's object
    itself; Polar's benefit grants are told apart by their `benefit`'s `type`).
    `by_item`: arrays told apart by their first item (its JSON kind, and keys it has),
    checked before `by_kind`'s array, which takes any other array, an empty one too
    (ably's channels: an array of objects or of strings).
    """

    union: Union
    tag: str | None
    by_tag: tuple[tuple[str, tuple[str, ...], Type], ...]
    by_key: tuple[tuple[tuple[str, ...], tuple[tuple[str, JsonKind], ...], Type], ...]
    object_fallback: Type | None
    by_kind: tuple[tuple[JsonKind, Type], ...]
    kinds: tuple[JsonKind | None, ...]
    tag_at: tuple[str, ...] = ()
    by_item: tuple[tuple[JsonKind, tuple[str, ...], Type], ...] = ()


def strip_nullable(t: Type) -> tuple[Type, bool]:
    match t:
        case Nullable(inner):
            return inner, True
        case (
            Primitive()
            | Const()
            | Array()
            | Tuple()
            | Map()
            | StringOnly()
            | Union()
            | EnumRef()
            | ModelRef()
            | AliasRef()
            | AnyType()
        ):
            return t, False
        case _:
            assert_never(t)


def children(ty: Type) -> tuple[Type, ...]:
    """The types directly inside `ty` (none for scalars and references)."""
    match ty:
        case Array(item) | Nullable(item):
            return (item,)
        case Map(value):
            return (value,)
        case Tuple(items):
            return items
        case Union(variants):
            return variants
        case Primitive() | Const() | StringOnly() | EnumRef() | ModelRef() | AliasRef() | AnyType():
            return ()
        case _:
            assert_never(ty)


def referenced(ty: Type | None) -> list[str]:
    """Names of the models, enums and aliases a type mentions, in order (repeats kept)."""
    found: list[str] = []
    if ty is not None:
        _collect(ty, found)
    return found


def _collect(ty: Type, found: list[str]) -> None:
    # appends instead of nested generators: ~90,000 resumptions per polar-2026-10 build
    match ty:
        case ModelRef(name) | EnumRef(name) | AliasRef(name):
            found.append(name)
        case Union(variants, discriminator):
            for v in variants:
                _collect(v, found)
            if discriminator:
                found.extend(name for _, name in discriminator.mapping)
        case StringOnly():
            found.extend(ty.enums)
        case Primitive() | Const() | Array() | Tuple() | Map() | Nullable() | AnyType():
            for inner in children(ty):
                _collect(inner, found)
        case _:
            assert_never(ty)


def unions_in(ty: Type | None) -> Iterator[Union]:
    """Every union inside `ty` (itself included), outermost first."""
    if ty is None:
        return
    if isinstance(ty, Union):
        yield ty
    for inner in children(ty):
        yield from unions_in(inner)


def renamed(ty: Type, names: Mapping[str, str]) -> Type:
    """`ty` with every model and alias named in `names` (and a discriminator's mapping
    and base) referring to its new name instead; `ty` itself when none is mentioned."""
    if not names:
        return ty
    match ty:
        case ModelRef(name):
            return ModelRef(names[name]) if name in names else ty
        case AliasRef(name):
            return AliasRef(names[name]) if name in names else ty
        case Array(item, constraints):
            inner = renamed(item, names)
            return ty if inner is item else Array(inner, constraints)
        case Nullable(inner):
            new = renamed(inner, names)
            return ty if new is inner else Nullable(new)
        case Map(value, key, constraints):
            new = renamed(value, names)
            return ty if new is value else Map(new, key, constraints)
        case Tuple(items):
            news = tuple(renamed(x, names) for x in items)
            return ty if all(a is b for a, b in zip(news, items, strict=True)) else Tuple(news)
        case Union(variants, discriminator):
            news = tuple(renamed(x, names) for x in variants)
            disc = discriminator
            if disc is not None and (disc.base in names or any(n in names for _, n in disc.mapping)):
                disc = Discriminator(
                    disc.property,
                    tuple((value, names.get(n, n)) for value, n in disc.mapping),
                    names.get(disc.base, disc.base) if disc.base is not None else None,
                )
            same = disc is discriminator and all(a is b for a, b in zip(news, variants, strict=True))
            return ty if same else Union(news, disc)
        case Primitive() | Const() | StringOnly() | EnumRef() | AnyType():
            return ty  # enums are never renamed: an enum reads and writes the same both ways
        case _:
            assert_never(ty)
