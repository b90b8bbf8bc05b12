"""Property-based fuzzing: random OpenAPI documents -> generated package -> round trips.

hypothesis draws a whole document: component schemas mixing objects (required, optional,
nullable, defaulted, readOnly/writeOnly fields, additionalProperties beside them), unions
(anyOf/oneOf, discriminated families with and without `mapping`, const tags, nullable and
string-only unions, unions of unions), arrays, tuples, maps, string and integer enums
(values that collide once named), const, allOf, `$ref`s with self and mutual recursion,
formats and odd names (keywords, builtins, digits first, hyphens, non-ASCII), written as
OpenAPI 3.1 or as 3.0 (`nullable`, one-value enums for const). The generator runs
in-process (`generate` + `write_package`), the package is imported under a unique name,
and for random valid instances of each model (drawn from the fuzzer's own schema model,
never from the generator's IR) the test checks:

- `to_dict(from_dict(x)) == x`, exactly (`True` is not `1`), and the result is plain JSON;
- the decoded value has the Python types the schema promises: a model where the schema
  has a model (an open union must not keep a known variant as a raw dict), aware
  `datetime`, `date`, `UUID`, `bytes`, enum members, tuples;
- `from_dict(to_dict(v)) == v` for the decoded value.

What "valid instance" means follows README's promises: objects carry no undeclared keys
unless `additionalProperties` allows them; a `const` property is always present (the
client always sends it); date-times and UUIDs are in the canonical form the client writes
back (`Z`, lower-case hex); union variants are told apart by the evidence README names
(a discriminator, const tags, a required key only one variant has - readOnly/writeOnly
keys excepted, they are optional one way - the JSON kind, a constant's value); every
recursion passes through an object (a named union that contains itself directly is
typed `Any` inside, with a warning).

`test_generated_packages_pass_mypy_strict` type-checks a few random packages and every
regression document in one mypy run, and checks that the fuzzer's documents are valid
OpenAPI (openapi-spec-validator finds nothing). `test_regression` replays, as plain
deterministic cases, each generator bug this fuzzer found.

Budget: CI runs a fixed, derandomized set of examples (about 30 s for the file on a
2-core machine). A long, randomized run (failures are kept in `.hypothesis/` and replayed
first next time):

    SDKGEN_FUZZ_EXAMPLES=2000 python -m pytest -q tests/test_fuzz.py

`SDKGEN_FUZZ_SEED=N` replays one randomized run; `SDKGEN_FUZZ_MYPY=N` type-checks N
packages instead of the default.
"""

from __future__ import annotations

import atexit
import base64
import dataclasses
import datetime as dt
import enum
import hashlib
import importlib
import json
import os
import shutil
import sys
import tempfile
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from output_checks import mypy_strict

from generator.config import Job
from generator.ir import model as m
from generator.load import load
from generator.pipeline import generate
from generator.validate import verdict
from generator.write import write_package

pytestmark = pytest.mark.slow  # hundreds of generated specs through the whole pipeline

LONG_RUN = int(os.environ.get("SDKGEN_FUZZ_EXAMPLES", "0"))
EXAMPLES = LONG_RUN or 120
MYPY_PACKAGES = int(os.environ.get("SDKGEN_FUZZ_MYPY", "6"))
FUZZ_SEED = os.environ.get("SDKGEN_FUZZ_SEED")


def fuzz_settings(examples: int) -> Callable[[Any], Any]:
    return settings(
        max_examples=examples,
        derandomize=not LONG_RUN and FUZZ_SEED is None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


def maybe_seed(fn: Any) -> Any:
    return seed(int(FUZZ_SEED))(fn) if FUZZ_SEED is not None else fn


# -- the fuzzer's own schema model ---------------------------------------------------------
# Independent of generator/ir: it renders to OpenAPI, draws valid instances, and says what
# Python value a decoded instance must be.

NO_DEFAULT = object()


@dataclasses.dataclass(frozen=True)
class Scalar:
    kind: str  # string, integer, number, boolean
    fmt: str | None = None


@dataclasses.dataclass(frozen=True)
class Const:
    value: str | int | bool


@dataclasses.dataclass(frozen=True)
class Tag:
    """A discriminator property: always `value` in instances; rendered plain or as const."""

    value: str
    as_const: bool


@dataclasses.dataclass(frozen=True)
class Enum:
    values: tuple[Any, ...]  # at least two, all str or all int
    nullable: bool = False


@dataclasses.dataclass(frozen=True)
class Array:
    item: Node
    min_items: int = 0


@dataclasses.dataclass(frozen=True)
class Tuple:
    items: tuple[Node, ...]


@dataclasses.dataclass(frozen=True)
class Map:
    value: Node | None  # None: additionalProperties: true (any JSON)


@dataclasses.dataclass(frozen=True)
class Prop:
    name: str
    node: Node
    required: bool
    default: Any = NO_DEFAULT
    read_only: bool = False
    write_only: bool = False


@dataclasses.dataclass(frozen=True)
class Object:
    props: tuple[Prop, ...]
    additional: Node | None = None
    any_additional: bool = False  # additionalProperties: true


@dataclasses.dataclass(frozen=True)
class AllOf:
    parts: tuple[str, ...]  # object components
    own: Object
    own_as_part: bool = False  # own properties as one more allOf member, not beside it


@dataclasses.dataclass(frozen=True)
class Disc:
    property: str
    mapping: tuple[tuple[str, str], ...]  # (wire value, component name)


@dataclasses.dataclass(frozen=True)
class Union:
    variants: tuple[Node, ...]
    keyword: str = "anyOf"
    discriminator: Disc | None = None


@dataclasses.dataclass(frozen=True)
class Nullable:
    inner: Node
    style: int = 0


@dataclasses.dataclass(frozen=True)
class Ref:
    name: str


Node = Scalar | Const | Tag | Enum | Array | Tuple | Map | Object | AllOf | Union | Nullable | Ref


@dataclasses.dataclass
class Doc:
    dialect: str  # "3.1" or "3.0"
    components: dict[str, Node]
    root: str  # the object component that refers to every other one
    operation: bool


def component_pointer(name: str) -> str:
    return "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")


# -- rendering -------------------------------------------------------------------------------


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return "string"


def render(node: Node, dialect: str) -> dict[str, Any]:
    if isinstance(node, Scalar):
        out: dict[str, Any] = {"type": node.kind}
        if node.fmt:
            out["format"] = node.fmt
        return out
    if isinstance(node, Const):
        if dialect == "3.0":
            return {"type": json_type(node.value), "enum": [node.value]}
        return {"type": json_type(node.value), "const": node.value}
    if isinstance(node, Tag):
        if not node.as_const:
            return {"type": "string"}
        return {"type": "string", "enum": [node.value]} if dialect == "3.0" else {"type": "string", "const": node.value}
    if isinstance(node, Enum):
        kind = json_type(node.values[0])
        if not node.nullable:
            return {"type": kind, "enum": list(node.values)}
        if dialect == "3.0":
            return {"type": kind, "nullable": True, "enum": [*node.values, None]}
        return {"type": [kind, "null"], "enum": [*node.values, None]}
    if isinstance(node, Array):
        out = {"type": "array", "items": render(node.item, dialect)}
        if node.min_items:
            out["minItems"] = node.min_items
        return out
    if isinstance(node, Tuple):
        n = len(node.items)
        return {"type": "array", "prefixItems": [render(i, dialect) for i in node.items], "minItems": n, "maxItems": n}
    if isinstance(node, Map):
        return {"type": "object", "additionalProperties": True if node.value is None else render(node.value, dialect)}
    if isinstance(node, Object):
        return render_object(node, dialect)
    if isinstance(node, AllOf):
        parts: list[dict[str, Any]] = [{"$ref": component_pointer(p)} for p in node.parts]
        own = render_object(node.own, dialect) if node.own.props else None
        if own is None:
            return {"allOf": parts}
        if node.own_as_part:
            return {"allOf": [*parts, own]}
        return {"allOf": parts, **own}
    if isinstance(node, Union):
        out = {node.keyword: [render(v, dialect) for v in node.variants]}
        if node.discriminator is not None:
            disc: dict[str, Any] = {"propertyName": node.discriminator.property}
            if node.discriminator.mapping:
                disc["mapping"] = {k: component_pointer(v) for k, v in node.discriminator.mapping}
            out["discriminator"] = disc
        return out
    if isinstance(node, Nullable):
        return render_nullable(node, dialect)
    assert isinstance(node, Ref)
    return {"$ref": component_pointer(node.name)}


def render_object(node: Object, dialect: str) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for p in node.props:
        schema = render(p.node, dialect)
        if "$ref" in schema and dialect == "3.0":
            pass  # 3.0 ignores siblings of $ref: leave them out
        else:
            if p.default is not NO_DEFAULT:
                schema["default"] = p.default
            if p.read_only:
                schema["readOnly"] = True
            if p.write_only:
                schema["writeOnly"] = True
        props[p.name] = schema
    out: dict[str, Any] = {"type": "object", "properties": props}
    required = [p.name for p in node.props if p.required]
    if required:
        out["required"] = required
    if node.additional is not None:
        out["additionalProperties"] = render(node.additional, dialect)
    elif node.any_additional:
        out["additionalProperties"] = True
    return out


def render_nullable(node: Nullable, dialect: str) -> dict[str, Any]:
    inner = render(node.inner, dialect)
    if dialect == "3.0":
        if "$ref" in inner:
            return {("allOf", "anyOf", "oneOf")[node.style % 3]: [inner], "nullable": True}
        return {**inner, "nullable": True}
    if node.style % 3 == 1 and isinstance(inner.get("type"), str) and "enum" not in inner and "const" not in inner:
        return {**inner, "type": [inner["type"], "null"]}
    if node.style % 3 == 2 and isinstance(node.inner, Union) and node.inner.discriminator is None:
        keyword = node.inner.keyword
        return {keyword: [*inner[keyword], {"type": "null"}]}
    return {("anyOf", "oneOf")[node.style % 2]: [inner, {"type": "null"}]}


def render_document(doc: Doc) -> dict[str, Any]:
    schemas = {name: render(node, doc.dialect) for name, node in doc.components.items()}
    out: dict[str, Any] = {
        "openapi": "3.1.0" if doc.dialect == "3.1" else "3.0.3",
        "info": {"title": "Fuzz", "version": "1.0"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    if doc.operation:
        ref = {"$ref": component_pointer(doc.root)}
        out["paths"]["/everything"] = {
            "post": {
                "operationId": "everything:echo",
                "tags": ["everything"],
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref}}},
                "responses": {"200": {"description": "The same.", "content": {"application/json": {"schema": ref}}}},
            }
        }
    return out


# -- names -----------------------------------------------------------------------------------

PROPERTY_NAMES = [
    "id",
    "name",
    "value",
    "kind",
    "type",
    "data",
    "items",
    "count",
    "status",
    "tag",
    "note",
    "created_at",
    "createdAt",
    "created-at",
    "CreatedAt",
    "created_At",
    "a-b",
    "a_b",
    "a b",
    "aB",
    "AB",
    "class",
    "from",
    "import",
    "def",
    "lambda",
    "None",
    "True",
    "async",
    "await",
    "yield",
    "global",
    "list",
    "dict",
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "tuple",
    "type_",
    "object",
    "property",
    "print",
    "1st",
    "2",
    "3d-model",
    "_",
    "__init__",
    "__class__",
    "__slots__",
    "_private",
    "self",
    "cls",
    "d",
    "k",
    "v",
    "v0",
    "k0",
    "tag_",
    "_rt",
    "UNSET",
    "Unset",
    "field",
    "dataclass",
    "Any",
    "Mapping",
    "datetime",
    "date",
    "UUID",
    "Literal",
    "from_dict",
    "to_dict",
    "additional_properties",
    "additionalProperties",
    "mro",
    "is_known",
    "ñame",
    "名前",
    "über",
    "café",
    "naïve",
    "$type",
    "@type",
    "x-rate-limit",
    "Content-Type",
    "+1",
    "-1",
    "sort-by",
    "-sort",
]
# Keys an object with additionalProperties may carry: never a declared property name.
EXTRA_KEYS = st.one_of(
    st.sampled_from(["", "~", "zz", "extra-1", "Extra 2", "ünï", "名", "9", "-", "__proto__"]),
    st.text(max_size=8).map(lambda s: "~" + s),
)
COMPONENT_NAMES = [
    "Pet",
    "pet",
    "PET",
    "my-pet",
    "My_Pet",
    "myPet",
    "MyPet",
    "1Pet",
    "Pet1",
    "Pet-Input",
    "Pet-Output",
    "PetInput",
    "Pet.Output",
    "Any",
    "UUID",
    "Client",
    "AsyncClient",
    "datetime",
    "date",
    "list",
    "List",
    "Model",
    "Unset",
    "UNSET",
    "Mapping",
    "field",
    "Literal",
    "None",
    "class",
    "Enum",
    "a.b",
    "a_b",
    "A-B",
    "_",
    "__",
    "_1",
    "Tree",
    "Node",
    "node",
    "Item",
    "Kind",
    "Status",
    "Page",
    "Error",
    "errors",
    "Result",
    "Value",
    "Type",
    "Object",
    "Self",
    "models",
    "RetryConfig",
    "RequestOptions",
    "APIError",
    "everything",
    "Everything_",
    "Dict",
    "Str",
    "Int",
    "Bool",
    "Tuple",
    "Union",
    "Optional",
    "Sequence",
    "Iterator",
    "dataclass",
    "TypeAlias",
    "builtins",
    "_rt",
]
STRING_ENUM_VALUES = [
    "a-b",
    "a_b",
    "A B",
    "aB",
    "a b",
    "",
    " ",
    "1",
    "-1",
    "+1",
    "None",
    "class",
    "name",
    "value",
    "is_known",
    "mro",
    "UNKNOWN",
    "n",
    "ñ",
    "日本",
    "GMT0",
    "GMT-0",
    "Etc/GMT0",
    "-created_at",
    "created_at",
    "a'b",
    'a"b',
    "a\\b",
    "EMPTY",
    "VALUE",
    "V",
    "_",
    "__",
    "x" * 40,
]
INT_ENUM_VALUES = [-10, -1, 0, 1, 2, 3, 10, 2**40]
TAG_VALUES = ["cat", "dog", "Cat", "a-b", "a_b", "", "ñ", "1", "pet.created", "x y", "'", "None"]
TAG_PROPERTIES = ["type", "kind", "@type", "$type", "petType", "class", "event-type"]
STRING_FORMATS = [None, None, "date-time", "date", "uuid", "email", "uri", "binary", "byte", "password", "custom"]

ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


# -- drawing documents ---------------------------------------------------------------------------


COMPONENT_KINDS = ["object", "object", "object", "enum", "alias", "union", "union", "family", "allOf"]
MODEL_KINDS = ("object", "allOf")


class Builder:
    """Draws components in order. A `hard` position (the value must be there) may only
    refer to components drawn before, so every schema has a finite minimal instance;
    a `soft` one (optional, nullable, array item, map value) may refer to later ones and
    to itself: that is where recursion comes from. Every cycle passes through a model
    (README: recursion is through objects), so outside an object's properties a soft
    reference goes back, or to a model."""

    def __init__(self, draw: Any, dialect: str, planned: list[tuple[str, str]]) -> None:
        self.draw = draw
        self.dialect = dialect
        self.planned = [name for name, _ in planned]  # component names, for soft refs to later ones
        self.planned_models = [name for name, kind in planned if kind in MODEL_KINDS]
        self.components: dict[str, Node] = {}
        self.in_model = 0  # drawing an object's properties

    # a reference to a component
    def ref(self, soft: bool) -> Ref | None:
        if soft and self.in_model:
            pool = self.planned
        elif soft:
            pool = list(dict.fromkeys([*self.components, *self.planned_models]))
        else:
            pool = list(self.components)
        return Ref(self.draw(st.sampled_from(pool))) if pool else None

    def scalar(self) -> Node:
        kind = self.draw(st.sampled_from(["string", "string", "integer", "number", "boolean"]))
        if kind == "string":
            return Scalar("string", self.draw(st.sampled_from(STRING_FORMATS)))
        if kind == "integer":
            return Scalar("integer", self.draw(st.sampled_from([None, "int32", "int64"])))
        if kind == "number":
            return Scalar("number", self.draw(st.sampled_from([None, "float", "double"])))
        return Scalar("boolean")

    def const(self) -> Const:
        return Const(self.draw(st.sampled_from([*STRING_ENUM_VALUES[:12], 0, 1, 7, True, False])))

    def enum(self, nullable_ok: bool = True) -> Enum:
        pool = STRING_ENUM_VALUES if self.draw(st.booleans()) else INT_ENUM_VALUES
        values = self.draw(st.lists(st.sampled_from(pool), min_size=2, max_size=6, unique=True))
        return Enum(tuple(values), nullable=nullable_ok and self.draw(st.integers(0, 4)) == 0)

    def node(self, depth: int, soft: bool) -> Node:
        """An inline schema for a position that is `soft` or not."""
        choices = ["scalar", "scalar", "const", "enum", "array", "map", "nullable", "ref", "ref"]
        if depth > 0:
            choices += ["object", "union", "array"]
            if self.dialect == "3.1":
                choices.append("tuple")
        choice = self.draw(st.sampled_from(choices))
        if choice == "ref":
            found = self.ref(soft)
            if found is not None:
                return found
            choice = "scalar"
        if choice == "scalar":
            return self.scalar()
        if choice == "const":
            return self.const()
        if choice == "enum":
            return self.enum()
        if choice == "array":
            min_items = self.draw(st.sampled_from([0, 0, 0, 1, 2]))
            return Array(self.node(depth - 1, soft=min_items == 0), min_items)
        if choice == "tuple":
            n = self.draw(st.integers(1, 3))
            return Tuple(tuple(self.node(depth - 1, False) for _ in range(n)))
        if choice == "map":
            if self.draw(st.integers(0, 5)) == 0:
                return Map(None)
            return Map(self.node(depth - 1, True))
        if choice == "nullable":
            inner = self.node(depth - 1, True)
            while isinstance(inner, Nullable) or (isinstance(inner, Enum) and inner.nullable):
                inner = self.scalar()
            return Nullable(inner, self.draw(st.integers(0, 5)))
        if choice == "object":
            return self.object(depth - 1)
        return self.union(depth - 1)

    def prop_names(self, n: int, avoid: Collection[str] = ()) -> list[str]:
        pool = [p for p in PROPERTY_NAMES if p not in avoid]
        return list(self.draw(st.lists(st.sampled_from(pool), max_size=n, unique=True)))

    def object(self, depth: int, avoid: Collection[str] = (), min_props: int = 0) -> Object:
        names = self.prop_names(5, avoid)
        while len(names) < min_props:
            names.append(next(p for p in PROPERTY_NAMES if p not in avoid and p not in names))
        props = []
        self.in_model += bool(names)  # no properties: a map, not a model
        for name in names:
            required = self.draw(st.booleans())
            node = self.node(depth, soft=not required)
            default: Any = NO_DEFAULT
            if isinstance(node, (Scalar, Enum, Const)) and self.draw(st.integers(0, 3)) == 0:
                default = minimal(node, self.components)
            flags = self.draw(st.integers(0, 7))
            props.append(Prop(name, node, required, default, read_only=flags == 1, write_only=flags == 2))
        additional = None
        any_additional = False
        extra = self.draw(st.integers(0, 5))
        if extra == 0:
            additional = self.node(max(depth - 1, 0), soft=True)
        elif extra == 1:
            any_additional = True
        self.in_model -= bool(names)
        return Object(tuple(props), additional, any_additional)

    # unions that keep README's promise: variants told apart by the discriminator, const
    # tags, a required key only one variant has, or the JSON kind
    def union(self, depth: int) -> Node:
        n = self.draw(st.integers(2, 4))
        variants: list[Node] = []
        for _ in range(n):
            pick = self.draw(st.sampled_from(["scalar", "const", "enum", "array", "map", "object", "ref", "ref"]))
            if pick == "ref":
                variant: Node | None = self.ref(soft=False)
                if variant is None:
                    continue
            elif pick == "object":
                variant = self.object(max(depth - 1, 0), min_props=1)
            elif pick == "enum":
                variant = self.enum(nullable_ok=False)
            elif pick == "array":
                variant = Array(self.node(max(depth - 1, 0), soft=True))
            elif pick == "map":
                variant = Map(self.node(max(depth - 1, 0), soft=True))
            elif pick == "const":
                variant = self.const()
            else:
                variant = self.scalar()
            candidate = [*variants, variant]
            if told_apart(candidate, self.components):
                variants.append(variant)
        if not variants:
            variants = [self.scalar()]
        keyword = self.draw(st.sampled_from(["anyOf", "oneOf"]))
        built: Node = Union(tuple(variants), keyword)
        if self.draw(st.integers(0, 3)) == 0:
            built = Nullable(built, self.draw(st.integers(0, 5)))
        return built

    def family(self, name: str) -> Node:
        """A discriminated union and its variant objects (added as components before it)."""
        prop = self.draw(st.sampled_from(TAG_PROPERTIES))
        n = self.draw(st.integers(1, 4))
        taken = set(self.planned) | set(self.components)
        variant_names = []
        for i in range(n):
            candidate = self.draw(st.sampled_from(COMPONENT_NAMES))
            if candidate in taken:
                candidate = f"{name}_{i}"
            if candidate in taken:
                continue
            taken.add(candidate)
            variant_names.append(candidate)
        if not variant_names:
            return self.scalar()
        tag_values = self.draw(
            st.lists(st.sampled_from(TAG_VALUES), min_size=len(variant_names), max_size=len(variant_names), unique=True)
        )
        mapped = self.draw(st.lists(st.booleans(), min_size=len(variant_names), max_size=len(variant_names)))
        # unmapped variants are tagged with their component's name (OpenAPI's implicit mapping)
        wires = [value if in_mapping else vname for vname, value, in_mapping in zip(variant_names, tag_values, mapped)]
        if len(set(wires)) < len(wires):
            mapped, wires = [True] * len(wires), tag_values
        mapping = tuple((wire, vname) for vname, wire, in_mapping in zip(variant_names, wires, mapped) if in_mapping)
        for vname, wire in zip(variant_names, wires):
            body = self.object(1, avoid={prop})
            tag = Prop(prop, Tag(wire, as_const=self.draw(st.booleans())), required=True)
            at = self.draw(st.integers(0, len(body.props)))
            # the variant objects are components of their own, drawn before the union
            self.components[vname] = Object(
                (*body.props[:at], tag, *body.props[at:]), body.additional, body.any_additional
            )
        keyword = self.draw(st.sampled_from(["oneOf", "anyOf"]))
        built: Node = Union(tuple(Ref(v) for v in variant_names), keyword, Disc(prop, mapping))
        if self.draw(st.integers(0, 4)) == 0:
            built = Nullable(built, self.draw(st.integers(0, 5)))
        return built

    def all_of(self) -> Node:
        objects = [n for n, c in self.components.items() if isinstance(c, (Object, AllOf))]
        if not objects:
            return self.object(1)
        chosen = self.draw(st.lists(st.sampled_from(objects), min_size=1, max_size=3, unique=True))
        parts: list[str] = []
        seen: set[str] = set()
        for part in chosen:
            names = {p.name for p in merged_props(Ref(part), self.components)}
            if names & seen:
                continue
            seen |= names
            parts.append(part)
        own = self.object(1, avoid=seen, min_props=1)
        own = Object(own.props)  # allOf merges properties only
        return AllOf(tuple(parts), own, self.draw(st.booleans()))

    def component(self, name: str, kind: str) -> Node:
        if kind == "object":
            return self.object(2, min_props=1)
        if kind == "enum":
            return self.enum()
        if kind == "alias":
            node = self.node(2, soft=False)
            if isinstance(node, Ref):  # a component that only renames another one
                return self.scalar()
            if isinstance(node, Const) and self.dialect == "3.0":
                return self.scalar()  # a 3.0 one-value enum component stays an enum
            return node
        if kind == "union":
            return self.union(2)
        if kind == "family":
            return self.family(name)
        return self.all_of()


@st.composite
def documents(draw: Any) -> Doc:
    dialect = draw(st.sampled_from(["3.1", "3.1", "3.0"]))
    names = draw(st.lists(st.sampled_from(COMPONENT_NAMES), min_size=1, max_size=6, unique=True))
    planned = [(name, draw(st.sampled_from(COMPONENT_KINDS))) for name in names]
    b = Builder(draw, dialect, planned)
    for name, kind in planned:
        b.components[name] = b.component(name, kind)
    components = dict(b.components)
    names = list(components)
    root_props = [Prop(name, Ref(name), required=False) for name in names]
    extra = b.object(1, avoid={*names})
    root = "Everything"
    components[root] = Object((*root_props, *extra.props), extra.additional, extra.any_additional)
    return Doc(dialect, components, root, operation=draw(st.booleans()))


# -- what the fuzzer knows about its own schemas --------------------------------------------------


def resolve(node: Node, components: dict[str, Node]) -> Node:
    seen = 0
    while isinstance(node, Ref):
        node = components[node.name]
        seen += 1
        assert seen < 100, "a $ref cycle with no schema"
    return node


def merged_props(node: Node, components: dict[str, Node]) -> list[Prop]:
    node = resolve(node, components)
    if isinstance(node, Object):
        return list(node.props)
    if isinstance(node, AllOf):
        out = [p for part in node.parts for p in merged_props(Ref(part), components)]
        return out + list(node.own.props)
    return []


def always_sent(node: Node, components: dict[str, Node]) -> bool:
    """README: a `const` property is defaulted and always sent, even when optional (a
    union whose variants are all that one const is that const)."""
    node = resolve(node, components)
    if isinstance(node, Union) and node.discriminator is None:
        variants = {repr(v): v for v in flat_variants(node, components)}  # repr: True is not 1
        if len(variants) != 1:
            return False
        node = variants.popitem()[1]
    return isinstance(node, Const) or (isinstance(node, Tag) and node.as_const)


def is_discriminated(node: Node, components: dict[str, Node]) -> bool:
    node = resolve(node, components)
    return isinstance(node, Union) and node.discriminator is not None


def is_map(node: Node, components: dict[str, Node]) -> bool:
    """A map, or an object without properties (a dict for the client too)."""
    node = resolve(node, components)
    return isinstance(node, Map) or (isinstance(node, Object) and not node.props)


def flat_variants(node: Node, components: dict[str, Node]) -> list[Node]:
    """A union's variants, with unions inside it (inline or by reference, nullable or not)
    spread out; a discriminated union stays one variant."""
    node = resolve(node, components)
    if isinstance(node, Nullable):
        return flat_variants(node.inner, components)
    if isinstance(node, Union) and node.discriminator is None:
        return [v for variant in node.variants for v in flat_variants(variant, components)]
    return [node]


def json_kinds(node: Node, components: dict[str, Node]) -> set[str]:
    """The JSON kinds a variant's non-null values have."""
    node = resolve(node, components)
    if isinstance(node, Scalar):
        return {node.kind}
    if isinstance(node, (Const, Tag)):
        return {json_type(node.value)}
    if isinstance(node, Enum):
        return {json_type(node.values[0])}
    if isinstance(node, (Array, Tuple)):
        return {"array"}
    if isinstance(node, Nullable):
        return json_kinds(node.inner, components)
    if isinstance(node, Union):
        return set().union(*(json_kinds(v, components) for v in node.variants))
    return {"object"}


def is_stringish(node: Node, components: dict[str, Node]) -> bool:
    node = resolve(node, components)
    if isinstance(node, Scalar):
        return node.kind == "string" and node.fmt != "binary"
    if isinstance(node, (Const, Tag)):
        return isinstance(node.value, str)
    if isinstance(node, Enum):
        return isinstance(node.values[0], str) and not node.nullable
    if isinstance(node, Union):
        return node.discriminator is None and all(is_stringish(v, components) for v in node.variants)
    return False


def string_members(node: Node, components: dict[str, Node]) -> list[Any]:
    """A union's distinct members whose values are JSON strings (binary included): a
    component counts once, equal scalars once, each inline enum on its own."""
    out: list[Any] = []

    def walk(n: Node) -> None:
        target = resolve(n, components)
        if isinstance(target, Nullable):
            walk(target.inner)
        elif isinstance(target, Union) and target.discriminator is None:
            for v in target.variants:
                walk(v)
        elif json_kinds(target, components) == {"string"}:  # a nullable enum too: its null goes to the union
            # an enum is a named type of its own; other schemas are compared by value
            key = (n.name if isinstance(n, Ref) else id(n)) if isinstance(target, Enum) else target
            if key not in out:
                out.append(key)

    walk(node)
    return out


def evidence_props(node: Node, components: dict[str, Node]) -> tuple[set[str], set[str]]:
    """(declared, required) property names of an object variant. A discriminated union
    declares its variants' properties and guarantees none of them by key."""
    node = resolve(node, components)
    if isinstance(node, Union):
        declared = {p.name for v in node.variants for p in merged_props(v, components)}
        return declared, set()
    props = merged_props(node, components)
    # a required readOnly (writeOnly) key is optional in a model the client sends (receives)
    return {p.name for p in props}, {p.name for p in props if p.required and not (p.read_only or p.write_only)}


def const_tags(node: Node, components: dict[str, Node]) -> dict[str, str]:
    out = {}
    for p in merged_props(node, components):
        if isinstance(p.node, Ref) and p.node.name not in components:
            continue  # a component drawn later (a soft reference): no evidence counted
        target = resolve(p.node, components)
        if (isinstance(target, Const) and isinstance(target.value, str)) or (
            isinstance(target, Tag) and target.as_const
        ):
            out[p.name] = target.value
    return out


def object_evidence(objects: list[Node], components: dict[str, Node], unexplained_ok: int) -> bool:
    """README's evidence for object variants: all share a const tag with distinct values,
    or each (but `unexplained_ok` of them) has a required key no other one declares."""
    if not objects:
        return True
    if not any(is_discriminated(o, components) for o in objects):
        tags = [const_tags(o, components) for o in objects]
        for name in set.intersection(*(set(t) for t in tags)):
            if len({t[name] for t in tags}) == len(tags):
                return True
    found = [evidence_props(o, components) for o in objects]
    unexplained = 0
    for i, (_, required) in enumerate(found):
        others = {name for j, (declared, _) in enumerate(found) if j != i for name in declared}
        if not required - others:
            unexplained += 1
    return unexplained <= unexplained_ok


def told_apart(variants: list[Node], components: dict[str, Node]) -> bool:
    """The evidence rule on a union's (spread) variants: one variant of each JSON kind
    besides constants (strings may be several), one map at most, object variants told
    apart by evidence (every one of them when a map could take the rest)."""
    flat = [v for variant in variants for v in flat_variants(variant, components)]
    kinds: dict[str, list[Node]] = {}
    for v in flat:
        for kind in json_kinds(v, components):
            kinds.setdefault(kind, []).append(v)
    if len(set(kinds.get("array", []))) > 1:
        return False
    for kind in ("integer", "number", "boolean"):  # constants are told apart by their value
        if len({repr(v) for v in kinds.get(kind, []) if not isinstance(v, Const)}) > 1:
            return False
    objects = kinds.get("object", [])
    maps = [o for o in objects if is_map(o, components)]
    models = [o for o in objects if not is_map(o, components)]
    if len(maps) > 1:
        return False
    return object_evidence(models, components, 0 if maps else 1)


def minimal(node: Node, components: dict[str, Node]) -> Any:
    """The smallest valid instance (finite: hard positions only refer backwards)."""
    node = resolve(node, components)
    if isinstance(node, Scalar):
        return {
            "string": {
                "date-time": "2024-01-02T03:04:05Z",
                "date": "2024-01-02",
                "uuid": str(uuid.UUID(int=0)),
                "email": "a@example.com",
                "uri": "https://example.com/",
            }.get(node.fmt or "", ""),
            "integer": 0,
            "number": 0.5,
            "boolean": False,
        }[node.kind]
    if isinstance(node, (Const, Tag)):
        return node.value
    if isinstance(node, Enum):
        return node.values[0]
    if isinstance(node, Array):
        return [minimal(node.item, components) for _ in range(node.min_items)]
    if isinstance(node, Tuple):
        return [minimal(i, components) for i in node.items]
    if isinstance(node, Map):
        return {}
    if isinstance(node, (Object, AllOf)):
        return {
            p.name: minimal(p.node, components)
            for p in merged_props(node, components)
            if p.required or always_sent(p.node, components)
        }
    if isinstance(node, Union):
        return minimal(node.variants[0], components)
    assert isinstance(node, Nullable)
    return None


# -- drawing instances ------------------------------------------------------------------------


def datetime_text(value: dt.datetime) -> str:
    """The canonical text the client writes back: seconds, .mmm or .uuuuuu, `Z` for UTC."""
    text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if value.microsecond:
        text += f".{value.microsecond // 1000:03d}" if value.microsecond % 1000 == 0 else f".{value.microsecond:06d}"
    offset = value.utcoffset()
    assert offset is not None
    if not offset:
        return text + "Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes > 0 else "-"
    return f"{text}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


OFFSETS = st.sampled_from([0, 0, 60, -300, 330, 345, -570, 840, -720]).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
DATETIMES = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    OFFSETS,
).map(datetime_text)
DATES = st.dates().map(lambda d: d.isoformat())
UUIDS = st.uuids().map(str)
BINARY = st.binary(max_size=12).map(lambda b: base64.b64encode(b).decode("ascii"))
TEXT = st.text(max_size=10)
EMAILS = st.emails()
URIS = st.from_regex(r"https://[a-z]{1,8}\.example/[a-z0-9/]{0,8}", fullmatch=True)


def scalar_values(node: Scalar) -> st.SearchStrategy[Any]:
    if node.kind == "string":
        formats = {"date-time": DATETIMES, "date": DATES, "uuid": UUIDS, "binary": BINARY, "email": EMAILS, "uri": URIS}
        return formats.get(node.fmt or "", TEXT)
    if node.kind == "integer":
        return st.integers(-(2**63), 2**63)
    if node.kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-1000, 1000)
    return st.booleans()


def instances(node: Node, components: dict[str, Node], depth: int = 3) -> st.SearchStrategy[Any]:
    if isinstance(node, Ref):
        if depth <= 0:
            return st.just(minimal(node, components))
        target = components[node.name]
        return st.deferred(lambda: instances(target, components, depth - 1))
    if isinstance(node, Scalar):
        return scalar_values(node)
    if isinstance(node, (Const, Tag)):
        return st.just(node.value)
    if isinstance(node, Enum):
        known: st.SearchStrategy[Any] = st.sampled_from(node.values)
        unknown: st.SearchStrategy[Any]
        # open enums: a value the spec does not list is kept and sent back unchanged
        if isinstance(node.values[0], str):
            unknown = st.text(max_size=6).filter(lambda s: s not in node.values)
        else:
            unknown = st.integers(-50, 50).filter(lambda i: i not in node.values)
        values = st.one_of(known, known, known, unknown)
        return values | st.none() if node.nullable else values
    if isinstance(node, Array):
        return st.lists(
            instances(node.item, components, depth), min_size=node.min_items, max_size=max(node.min_items, 3)
        )
    if isinstance(node, Tuple):
        return st.tuples(*(instances(i, components, depth) for i in node.items)).map(list)
    if isinstance(node, Map):
        values = ANY_JSON if node.value is None else instances(node.value, components, depth)
        return st.dictionaries(EXTRA_KEYS, values, max_size=3)
    if isinstance(node, (Object, AllOf)):
        props = merged_props(node, components)
        fixed = {
            p.name: instances(p.node, components, depth) for p in props if p.required or always_sent(p.node, components)
        }
        optional = {p.name: instances(p.node, components, depth) for p in props if p.name not in fixed}
        base = st.fixed_dictionaries(fixed, optional=optional)
        extra_node = node.additional if isinstance(node, Object) else None
        if extra_node is not None or (isinstance(node, Object) and node.any_additional):
            values = ANY_JSON if extra_node is None else instances(extra_node, components, depth)
            extras = st.dictionaries(EXTRA_KEYS, values, max_size=2)
            return st.tuples(base, extras).map(lambda pair: {**pair[1], **pair[0]})
        return base
    if isinstance(node, Union):
        return st.one_of(*(instances(v, components, depth) for v in node.variants))
    assert isinstance(node, Nullable)
    return st.none() | instances(node.inner, components, depth)


# -- what a decoded value must be ---------------------------------------------------------------


@dataclasses.dataclass
class Package:
    name: str
    folder: Path
    module: Any
    models: Any
    api: m.Api
    by_pointer: dict[str, str]  # component pointer -> generated model/enum name
    ir_models: dict[str, m.Model]


def conforms(node: Node, value: Any, pkg: Package, components: dict[str, Node], ptr: str | None = None) -> str | None:
    """None when `value` (decoded) is what `node` promises in Python, else why not."""
    if isinstance(node, Ref):
        ptr = component_pointer(node.name)
        target = components[node.name]
        expected = pkg.by_pointer.get(ptr)
        if (
            expected is not None
            and isinstance(target, (Object, AllOf, Enum))
            and not (isinstance(target, Enum) and target.nullable and value is None)
        ):
            cls = getattr(pkg.models, expected)
            if not isinstance(value, cls):
                return f"{node.name}: expected a {expected}, got {type(value).__name__} {value!r:.200}"
        return conforms(target, value, pkg, components, ptr)
    if isinstance(node, Scalar):
        ok = {
            "integer": lambda v: type(v) is int,
            "number": lambda v: type(v) in (int, float),
            "boolean": lambda v: type(v) is bool,
        }.get(node.kind)
        if ok is None:
            ok = {
                "date-time": lambda v: type(v) is dt.datetime and v.tzinfo is not None,
                "date": lambda v: type(v) is dt.date,
                "uuid": lambda v: type(v) is uuid.UUID,
                "binary": lambda v: type(v) is bytes,
            }.get(node.fmt or "", lambda v: type(v) is str)
        return None if ok(value) else f"{node}: got {type(value).__name__} {value!r:.100}"
    if isinstance(node, (Const, Tag)):
        same = value == node.value and type(value) is type(node.value)
        return None if same else f"{node}: got {value!r:.100}"
    if isinstance(node, Enum):
        if value is None and node.nullable:
            return None
        base = str if isinstance(node.values[0], str) else int
        if isinstance(value, enum.Enum) and isinstance(value, base):
            return None
        return f"{node}: expected an enum member, got {type(value).__name__} {value!r:.100}"
    if isinstance(node, Array):
        if type(value) is not list:
            return f"array: got {type(value).__name__}"
        return next((e for v in value for e in [conforms(node.item, v, pkg, components)] if e), None)
    if isinstance(node, Tuple):
        if type(value) is not tuple or len(value) != len(node.items):
            return f"tuple: got {type(value).__name__} {value!r:.100}"
        return next((e for i, v in zip(node.items, value) for e in [conforms(i, v, pkg, components)] if e), None)
    if isinstance(node, AllOf) and len(node.parts) == 1 and not node.own.props:
        return conforms(Ref(node.parts[0]), value, pkg, components)  # only another name
    if isinstance(node, Object) and not node.props:  # no properties: a dict of the extras
        node = Map(node.additional)
    if isinstance(node, Map):
        if type(value) is not dict:
            return f"map: got {type(value).__name__}"
        if node.value is None:
            return None
        return next((e for v in value.values() for e in [conforms(node.value, v, pkg, components)] if e), None)
    if isinstance(node, (Object, AllOf)):
        ir = pkg.ir_models.get(type(value).__name__)
        if ir is None or not dataclasses.is_dataclass(value) or not type(value).__module__.startswith(pkg.name + "."):
            return f"object: expected a generated model, got {type(value).__name__} {value!r:.200}"
        fields = {f.json_name: f for f in ir.fields}
        for p in merged_props(node, components):
            f = fields.get(p.name)
            if f is None:
                return f"{ir.name} has no field for property {p.name!r}"
            attr = getattr(value, f.name)
            if attr is pkg.module._runtime.UNSET:
                if p.required:
                    return f"{ir.name}.{f.name} (required {p.name!r}) is UNSET"
                continue
            problem = conforms(p.node, attr, pkg, components)
            if problem:
                return f"{ir.name}.{f.name}: {problem}"
        extra_node = node.additional if isinstance(node, Object) else None
        if extra_node is not None:
            extra = getattr(value, ir.additional_name or "additional_properties")
            for v in extra.values():
                problem = conforms(extra_node, v, pkg, components)
                if problem:
                    return f"{ir.name}.{ir.additional_name}: {problem}"
        return None
    if isinstance(node, Union):
        if node.discriminator is None and type(value) is str and len(string_members(node, components)) > 1:
            return None  # several string members are one `str` with known values (README)
        problems = [conforms(v, value, pkg, components) for v in node.variants]
        if any(p is None for p in problems):
            return None
        return f"no variant of the union fits {type(value).__name__} {value!r:.200}: {problems}"
    assert isinstance(node, Nullable)
    return None if value is None else conforms(node.inner, value, pkg, components)


def strict_equal(a: Any, b: Any) -> bool:
    """JSON equality that tells `True` from `1` and `1` from `1.0` apart."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b))
    return bool(a == b)


# -- generating and importing -------------------------------------------------------------------

_WORK = Path(tempfile.mkdtemp(prefix="sdkgen-fuzz-"))
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)
_PACKAGES: OrderedDict[str, Package] = OrderedDict()  # by document text; shrinking reuses them
_KEEP = 6


def generate_into(doc: Doc, folder: Path) -> tuple[str, m.Api]:
    """Generate `doc`'s package into `folder` under a name unique to the document."""
    text = json.dumps(render_document(doc), ensure_ascii=False)
    name = "fuzz_" + hashlib.sha256(text.encode()).hexdigest()[:16]
    spec = folder / f"{name}.json"
    spec.write_text(text, encoding="utf-8")
    result = generate(Job(spec, folder, name), run_validator=False, use_cache=False)
    write_package(folder, name, result.files)
    return name, result.api


def package_for(doc: Doc) -> Package:
    """The imported package for `doc` (generated once; the last few are kept)."""
    key = json.dumps(render_document(doc), ensure_ascii=False)
    known = _PACKAGES.get(key)
    if known is not None:
        _PACKAGES.move_to_end(key)
        return known
    name, api = generate_into(doc, _WORK)
    if str(_WORK) not in sys.path:
        sys.path.insert(0, str(_WORK))
    module = importlib.import_module(name)
    models = importlib.import_module(f"{name}.models")
    for export in models.__all__:  # every model module imports
        getattr(models, export)
    client = module.Client("token", base_url="http://127.0.0.1:9")
    if doc.operation:
        assert callable(client.everything.echo)
    # a request twin (`PetInput`, no readOnly field) shares its schema's pointer: the values
    # drawn here are what a server sends, so a component is checked as its response model
    by_pointer: dict[str, str] = {}
    for x in (*api.models, *api.enums):
        by_pointer.setdefault(x.pointer, x.name)
    pkg = Package(name, _WORK, module, models, api, by_pointer, {x.name: x for x in api.models})
    _PACKAGES[key] = pkg
    while len(_PACKAGES) > _KEEP:
        _, old = _PACKAGES.popitem(last=False)
        for mod in [k for k in sys.modules if k == old.name or k.startswith(old.name + ".")]:
            del sys.modules[mod]
    return pkg


def check_round_trip(pkg: Package, doc: Doc, component: str, instance: Any) -> None:
    cls = getattr(pkg.models, pkg.by_pointer[component_pointer(component)])
    original = json.loads(json.dumps(instance))
    decoded = cls.from_dict(instance)
    assert strict_equal(instance, original), "from_dict changed its input"
    problem = conforms(Ref(component), decoded, pkg, doc.components)
    assert problem is None, f"{component} decoded to the wrong Python value: {problem}\ninstance: {instance!r}"
    encoded = decoded.to_dict()
    as_json = json.loads(json.dumps(encoded, allow_nan=False))  # plain JSON, nothing else
    assert strict_equal(as_json, instance), f"{component}: round trip differs\nin:  {instance!r}\nout: {encoded!r}"
    assert cls.from_dict(encoded) == decoded, f"{component}: decoding the output gives another value"


def model_components(doc: Doc) -> list[str]:
    """Components the client must have a model class for."""
    out = []
    for name, node in doc.components.items():
        if (isinstance(node, Object) and node.props) or (
            isinstance(node, AllOf) and (node.own.props or len(node.parts) > 1)
        ):
            out.append(name)
    return out


def check_document(doc: Doc, data: st.DataObject) -> None:
    pkg = package_for(doc)
    for component in model_components(doc):
        node = doc.components[component]
        for instance in [minimal(node, doc.components), data.draw(instances(node, doc.components), label=component)]:
            check_round_trip(pkg, doc, component, instance)


# -- regressions: documents this fuzzer once broke the generator with ---------------------------


def regression_doc(components: dict[str, Node], dialect: str = "3.1") -> Doc:
    everything = Object(tuple(Prop(name, Ref(name), required=False) for name in components))
    return Doc(dialect, {**components, "Everything": everything}, "Everything", operation=True)


NODE = Object((Prop("value", Scalar("integer"), True), Prop("next", Ref("Node"), False)))
REGRESSIONS: dict[str, tuple[Doc, list[tuple[str, Any]]]] = {
    # a property named `field` (and `_`, which becomes `field`) beside additionalProperties:
    # the class attribute shadowed `dataclasses.field` in the class body (TypeError on import)
    "field-named-field": (
        regression_doc(
            {
                "Holder": Object(
                    (Prop("field", Scalar("string"), False), Prop("_", Scalar("integer"), False)), Scalar("boolean")
                )
            }
        ),
        [("Holder", {"field": "f", "_": 1, "extra": True})],
    ),
    # a cycle through additionalProperties only: the two modules imported each other
    "cycle-through-additional-properties": (
        regression_doc(
            {
                "Box": Object((Prop("name", Scalar("string"), True),)),
                "BoxOrInt": Union((Ref("Box"), Scalar("integer"))),
                "Crate": Object((Prop("label", Scalar("string"), True),), additional=Ref("CrateOrInt")),
                "CrateOrInt": Union((Ref("Crate"), Scalar("integer"))),
            }
        ),
        [("Crate", {"label": "a", "b": {"label": "c", "d": 3}, "e": 4})],
    ),
    # a variant left out of `mapping` is tagged with its component's name (`my-pet`), not
    # with the Python class it became (`MyPet`): it was kept as a raw dict
    "implicit-discriminator-value": (
        regression_doc(
            {
                "my-pet": Object((Prop("kind", Tag("my-pet", False), True), Prop("lives", Scalar("integer"), False))),
                "Dog": Object((Prop("kind", Tag("dog", False), True),)),
                "Pet": Union((Ref("my-pet"), Ref("Dog")), "oneOf", Disc("kind", (("dog", "Dog"),))),
            }
        ),
        [("Everything", {"Pet": {"kind": "my-pet", "lives": 9}}), ("Everything", {"Pet": {"kind": "dog"}})],
    ),
    # a nullable object reached again while it is built (recursion, or an allOf merging
    # its properties) lost its null: `Node.from_dict(None)` on `{"next": null}`
    "nullable-recursive-object-3.1": (
        regression_doc({"Node": Nullable(NODE, 1)}),
        [
            ("Everything", {"Node": {"value": 1, "next": None}}),
            ("Everything", {"Node": {"value": 1, "next": {"value": 2}}}),
        ],
    ),
    "nullable-recursive-object-3.0": (
        regression_doc({"Node": Nullable(NODE, 1)}, "3.0"),
        [("Everything", {"Node": {"value": 1, "next": None}})],
    ),
    "nullable-object-merged-by-allof": (
        regression_doc(
            {
                "Err": Object((Prop("id", Nullable(Object((Prop("sub", Ref("Sub"), False),)), 1), True),)),
                "Sub": AllOf(("Err",), Object((Prop("y", Scalar("integer"), False),))),
            }
        ),
        [("Sub", {"id": None, "y": 1}), ("Err", {"id": {"sub": {"id": None}}})],
    ),
    # several string members beside other kinds: every string went to the first one's
    # decoder (`parse_datetime("hello")`, an enum for a free string, base64 for " ")
    "several-string-members": (
        regression_doc(
            {
                "Mixed": Union((Scalar("string", "date-time"), Enum(("a", "b")), Scalar("string"), Scalar("integer"))),
                "Binary": Union((Scalar("string", "binary"), Const(" "), Scalar("integer"))),
            }
        ),
        [("Everything", {"Mixed": value}) for value in ("hello", "a", "2024-01-02T03:04:05Z", 5)]
        + [("Everything", {"Binary": value}) for value in (" ", "aGk=", 7)],
    ),
    # `const: true` beside `const: 1`: the IR took them for one (True == 1 in Python) and
    # dropped the boolean variant
    "const-true-beside-const-1": (
        regression_doc({"Flag": Union((Const(1), Const(True), Object((Prop("a", Scalar("string"), True),))))}, "3.0"),
        [("Everything", {"Flag": value}) for value in (True, 1, {"a": "x"})],
    ),
    # fields named `dict` and `str`: `_field(default_factory=dict)` called the field, and
    # the from_dict/to_dict signatures named the fields as types (mypy)
    "fields-named-dict-and-str": (
        regression_doc(
            {
                "Holder": Object(
                    (Prop("dict", Map(Scalar("string")), False), Prop("str", Scalar("string"), False)),
                    Scalar("boolean"),
                ),
            }
        ),
        [("Holder", {"dict": {"a": "b"}, "str": "s", "x": True}), ("Holder", {})],
    ),
    # a const beside another variant of its kind: the decoder returned the narrowed `str`
    # where the annotation says `Literal[...]` (mypy), and a second integer variant was
    # never reached
    "const-beside-its-kind": (
        regression_doc(
            {
                "Tagged": Union((Const("x"), Object((Prop("q", Scalar("integer"), True),)))),
                "ZeroOrInt": Union((Const(0), Scalar("integer"), Object((Prop("q", Scalar("integer"), True),)))),
            }
        ),
        [("Everything", {"Tagged": "x"}), ("Everything", {"Tagged": {"q": 1}})]
        + [("Everything", {"ZeroOrInt": value}) for value in (0, 5, {"q": 2})],
    ),
    # a union component named `TypeAlias` redefined `typing.TypeAlias` in its module (mypy)
    "component-named-TypeAlias": (
        regression_doc({"TypeAlias": Union((Scalar("string", "date"), Scalar("integer")))}),
        [("Everything", {"TypeAlias": "2024-01-02"})],
    ),
    # a named union of mixed kinds inside another union was taken for an object variant:
    # a string or an integer raised "no variant of the union matches"
    "named-union-inside-union": (
        regression_doc(
            {
                "DateOrInt": Union((Scalar("string", "date"), Scalar("integer"))),
                "Outer": Union((Ref("DateOrInt"), Scalar("boolean"))),
            }
        ),
        [("Everything", {"Outer": value}) for value in ("2024-01-02", 3, True)],
    ),
}


# -- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(REGRESSIONS))
def test_regression(case: str) -> None:
    doc, checks = REGRESSIONS[case]
    pkg = package_for(doc)
    for component, instance in checks:
        check_round_trip(pkg, doc, component, instance)
    for name in model_components(doc):  # every model with only optional fields constructs bare
        props = merged_props(Ref(name), doc.components)
        if not any(p.required for p in props):
            cls = getattr(pkg.models, pkg.by_pointer[component_pointer(name)])
            assert cls() == cls.from_dict(minimal(Ref(name), doc.components))


@fuzz_settings(EXAMPLES)
@maybe_seed
@given(doc=documents(), data=st.data())
def test_round_trip_of_random_documents(doc: Doc, data: st.DataObject) -> None:
    check_document(doc, data)


def test_generated_packages_pass_mypy_strict(tmp_path: Path) -> None:
    docs: list[Doc] = []

    @fuzz_settings(MYPY_PACKAGES)
    @maybe_seed
    @given(doc=documents())
    def collect(doc: Doc) -> None:
        docs.append(doc)

    collect()
    assert docs
    docs += [doc for doc, _ in REGRESSIONS.values()]
    names = []
    for doc in docs:
        data = render_document(doc)
        spec = tmp_path / "validate-me.json"
        spec.write_text(json.dumps(data), encoding="utf-8")
        problems = verdict(load(spec), use_cache=False)
        assert not problems, f"the fuzzer drew an invalid document: {problems}\n{json.dumps(data, indent=1)[:4000]}"
        names.append(generate_into(doc, tmp_path)[0])
    errors, output = mypy_strict(tmp_path, sorted(set(names)))
    assert not errors, output[-6000:]
