"""The type algebra: a small closed set of frozen, hashable, JSON-dumpable nodes.

Each node says what a value *is*; how it is written in Python or decoded from JSON is
decided later (emit/), from these nodes alone. Constraints ride along as data so that
docs and validation read them from one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, TypeAlias


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
    property: str
    mapping: tuple[tuple[str, str], ...]  # (wire value, model name), in spec order


@dataclass(frozen=True, slots=True)
class Union:
    """One of several variants; `open` keeps an unknown variant as raw data."""

    variants: tuple[Type, ...]
    discriminator: Discriminator | None = None
    open: bool = True


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


def strip_nullable(t: Type) -> tuple[Type, bool]:
    if isinstance(t, Nullable):
        return t.inner, True
    return t, False


def referenced(ty: Type | None) -> Iterator[str]:
    """Names of the models, enums and aliases a type mentions."""
    if ty is None:
        return
    if isinstance(ty, (ModelRef, EnumRef, AliasRef)):
        yield ty.name
    elif isinstance(ty, Array):
        yield from referenced(ty.item)
    elif isinstance(ty, Map):
        yield from referenced(ty.value)
    elif isinstance(ty, Nullable):
        yield from referenced(ty.inner)
    elif isinstance(ty, Tuple):
        for item in ty.items:
            yield from referenced(item)
    elif isinstance(ty, Union):
        for v in ty.variants:
            yield from referenced(v)
        if ty.discriminator:
            for _, name in ty.discriminator.mapping:
                yield name
    elif isinstance(ty, StringOnly):
        yield from ty.enums
