"""One JSON Schema / OpenAPI construct per test, built into IR and compared whole.

Each test writes a small inline spec (one operation, `GET /thing` answering a `Thing`
unless the construct needs more), builds it with load -> Spec -> build_api, and checks
the whole IR dump against `tests/snapshots/ir/<case>.json`. Before the snapshot, each
test asserts the one fact it is about, so a reader sees what is being checked, and
`--update-snapshots` cannot bless a regression of that fact (the test stops before it
writes the snapshot).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.builder import build_api
from generator.diagnostics import SpecWarning
from generator.ir import model as m
from generator.ir import types as t
from generator.ir.dump import dumps
from generator.load import load
from generator.normalize import Spec

Snapshot = Callable[[str, str], None]
WriteSpec = Callable[[str, str], Path]


def spec_with(components: str, *, openapi: str = "3.1.0", root: str = "Thing") -> str:
    """A minimal document: `GET /thing` answering `root`, plus `components` (YAML, at column 0)."""
    head = textwrap.dedent(
        f"""\
        openapi: {openapi}
        info:
          title: Constructs
          version: "1"
        paths:
          /thing:
            get:
              operationId: getThing
              tags: [things]
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/{root}"
        components:
          schemas:
        """
    )
    return head + textwrap.indent(textwrap.dedent(components), "    ")


def build(write_spec: WriteSpec, text: str) -> tuple[m.Api, list[SpecWarning]]:
    doc = load(write_spec(text, "spec.yaml"))
    return build_api(Spec(doc))


def model(api: m.Api, name: str) -> m.Model:
    found = [x for x in api.models if x.name == name]
    assert found, f"no model {name!r}; models: {[x.name for x in api.models]}"
    return found[0]


def enum(api: m.Api, name: str) -> m.Enum:
    found = [x for x in api.enums if x.name == name]
    assert found, f"no enum {name!r}; enums: {[x.name for x in api.enums]}"
    return found[0]


def field(api: m.Api, model_name: str, json_name: str) -> m.Field:
    fields = {f.json_name: f for f in model(api, model_name).fields}
    assert json_name in fields, f"{model_name} has no field {json_name!r}: {sorted(fields)}"
    return fields[json_name]


def ftype(api: m.Api, model_name: str, json_name: str) -> t.Type:
    return field(api, model_name, json_name).type


def response_type(api: m.Api, operation_id: str = "getThing") -> t.Type | None:
    op = next(o for o in api.operations if o.operation_id == operation_id)
    return next(r.type for r in op.responses if r.status == "200")


# -- nullability --------------------------------------------------------------------


def test_nullable_anyof_is_nullable_not_union(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              required: [name]
              properties:
                name:
                  anyOf:
                    - type: string
                    - type: "null"
                  description: A name or null.
                other:
                  anyOf:
                    - $ref: "#/components/schemas/Other"
                    - type: "null"
            Other:
              type: object
              properties:
                id: {type: integer}
            """
        ),
    )
    assert ftype(api, "Thing", "name") == t.Nullable(t.Primitive("str"))
    assert ftype(api, "Thing", "other") == t.Nullable(t.ModelRef("Other"))
    assert field(api, "Thing", "name").description == "A name or null."
    assert api.aliases == ()  # no named union was made for either
    snapshot("ir/nullable-anyof.json", dumps(api))


def test_type_list_with_null(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                label:
                  type: [string, "null"]
                  maxLength: 10
                count:
                  type: ["null", integer]
            """
        ),
    )
    assert ftype(api, "Thing", "label") == t.Nullable(t.Primitive("str", None, t.Constraints(max_length=10)))
    assert ftype(api, "Thing", "count") == t.Nullable(t.Primitive("int"))
    snapshot("ir/type-list-null.json", dumps(api))


def test_type_list_with_null_beside_composition_keeps_null(write_spec: WriteSpec) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Base:
              type: object
              properties:
                id: {type: string}
            Thing:
              type: object
              properties:
                extended:
                  allOf: [{$ref: "#/components/schemas/Base"}]
                  type: [object, "null"]
                  properties:
                    extra: {type: integer}
                either:
                  anyOf: [{type: string}, {type: integer}]
                  type: [string, integer, "null"]
            """
        ),
    )
    extended = ftype(api, "Thing", "extended")
    assert isinstance(extended, t.Nullable) and isinstance(extended.inner, t.ModelRef), extended
    either = ftype(api, "Thing", "either")
    assert isinstance(either, t.Nullable), either


def test_openapi30_nullable_folds_to_nullable(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                primitive:
                  type: string
                  nullable: true
                referenced:
                  allOf:
                    - $ref: "#/components/schemas/Other"
                  nullable: true
                  description: An Other, or null.
                choice:
                  type: string
                  enum: [red, green]
                  nullable: true
            Other:
              type: object
              properties:
                id: {type: integer}
            """,
            openapi="3.0.3",
        ),
    )
    assert ftype(api, "Thing", "primitive") == t.Nullable(t.Primitive("str"))
    assert ftype(api, "Thing", "referenced") == t.Nullable(t.ModelRef("Other"))
    assert field(api, "Thing", "referenced").description == "An Other, or null."
    assert ftype(api, "Thing", "choice") == t.Nullable(t.EnumRef("ThingChoice"))
    assert [x.value for x in enum(api, "ThingChoice").members] == ["red", "green"]  # no None member
    snapshot("ir/openapi30-nullable.json", dumps(api))


def test_openapi30_boolean_exclusive_bounds(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                positive:
                  type: integer
                  minimum: 0
                  exclusiveMinimum: true
                ratio:
                  type: number
                  maximum: 1
                  exclusiveMaximum: false
            """,
            openapi="3.0.3",
        ),
    )
    assert ftype(api, "Thing", "positive") == t.Primitive("int", None, t.Constraints(exclusive_minimum=0))
    assert ftype(api, "Thing", "ratio") == t.Primitive("float", None, t.Constraints(maximum=1))
    snapshot("ir/openapi30-exclusive-bounds.json", dumps(api))


# -- unions ---------------------------------------------------------------------------


def test_string_only_union(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                currency:
                  anyOf:
                    - type: string
                    - $ref: "#/components/schemas/Currency"
                mode:
                  anyOf:
                    - const: fast
                    - const: slow
            Currency:
              type: string
              enum: [usd, eur]
            """
        ),
    )
    assert ftype(api, "Thing", "currency") == t.StringOnly(known=("usd", "eur"), enums=("Currency",))
    assert ftype(api, "Thing", "mode") == t.StringOnly(known=("fast", "slow"))
    assert [e.name for e in api.enums] == ["Currency"]
    assert api.aliases == ()
    snapshot("ir/string-only-union.json", dumps(api))


def test_union_dispatch_is_decided_by_the_builder(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    """How each union is told apart is part of the IR (`Api.dispatch`), not worked out
    again by the emitters: a discriminator's values, required keys only one variant
    has (all of them when none is unique), the JSON kind of everything else."""
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                pet:
                  oneOf:
                    - $ref: "#/components/schemas/Cat"
                    - $ref: "#/components/schemas/Dog"
                  discriminator:
                    propertyName: kind
                    mapping:
                      cat: "#/components/schemas/Cat"
                      hound: "#/components/schemas/Dog"
                shape:
                  anyOf:
                    - $ref: "#/components/schemas/Square"
                    - $ref: "#/components/schemas/Box"
                    - type: integer
            Cat:
              type: object
              required: [kind]
              properties:
                kind: {type: string}
            Dog:
              type: object
              required: [kind]
              properties:
                kind: {type: string}
            Square:
              type: object
              required: [side, unit]
              properties:
                side: {type: number}
                unit: {type: string}
                depth: {type: number}
            Box:
              type: object
              required: [side, unit, depth]
              properties:
                side: {type: number}
                unit: {type: string}
                depth: {type: number}
            """
        ),
    )
    plans = {d.union: d for d in api.dispatch}
    pet = ftype(api, "Thing", "pet")
    shape = ftype(api, "Thing", "shape")
    assert isinstance(pet, t.Union) and isinstance(shape, t.Union)
    assert set(plans) == {pet, shape}
    assert plans[pet].tag == "kind"
    assert plans[pet].by_tag == (("cat", (), t.ModelRef("Cat")), ("hound", (), t.ModelRef("Dog")))
    assert plans[shape].tag is None
    # no key is Box's alone or Square's alone: the one with more required keys is tried
    # first, by all of them; an object with neither set of keys stays a dict
    assert plans[shape].by_key == (
        (("depth", "side", "unit"), (), t.ModelRef("Box")),
        (("side", "unit"), (), t.ModelRef("Square")),
    )
    assert plans[shape].object_fallback is None
    assert plans[shape].by_kind == (("integer", t.Primitive("int")),)
    assert plans[shape].kinds == ("object", "object", "integer")
    snapshot("ir/union-dispatch.json", dumps(api))


# -- arrays ---------------------------------------------------------------------------


def test_a_choice_of_required_properties_is_the_object_itself(write_spec: WriteSpec) -> None:
    """urlbox's `RenderRequest` (19 properties, `oneOf: [{required: [url]}, {required:
    [html]}]`) and readme's `docSchemaPost` (every member requires `title`) were unions
    of schemas without shape: typed Any, every property lost, without a warning. They
    are the object; a property every member requires is required; the choice is told in
    the description (the client does not check it)."""
    api, warnings = build(
        write_spec,
        spec_with(
            """            Thing:
              type: object
              description: A render request.
              properties:
                url: {type: string}
                html: {type: string}
                width: {type: integer}
              oneOf:
                - {required: [url], title: by URL}
                - {required: [html]}
            Doc:
              type: object
              properties:
                title: {type: string}
                category: {type: string}
                categorySlug: {type: string}
              anyOf:
                - {required: [title, category]}
                - {required: [title, categorySlug]}
            Shapes:
              type: object
              properties:
                kind: {type: string}
              oneOf:
                - {type: object, properties: {a: {type: string}}}
                - {type: object, properties: {b: {type: string}}}
            Redeclared:
              type: object
              properties:
                method: {type: string}
              oneOf:
                - {type: object, properties: {method: {type: string}, a: {type: string}}}
                - {type: object, properties: {method: {type: string}, b: {type: string}}}
            """
        ),
    )
    assert isinstance(response_type(api), t.ModelRef)
    thing = model(api, "Thing")
    assert [(f.json_name, f.required) for f in thing.fields] == [("url", False), ("html", False), ("width", False)]
    assert thing.description == "A render request.\n\nBesides the required fields, one of: `url`; or `html`."
    doc = model(api, "Doc")
    assert [(f.json_name, f.required) for f in doc.fields] == [
        ("title", True),
        ("category", False),
        ("categorySlug", False),
    ]
    assert doc.description == "Besides the required fields, at least one of: `category`; or `categorySlug`."
    # members with a shape of their own stay a union; the properties beside it (snyk's
    # issue results) are not in its members' models: warned, unless each member has them
    assert not [x for x in api.models if x.name == "Shapes"]
    assert [(w.location.pointer, w.message.split(". ")[0]) for w in warnings] == [
        (
            "#/components/schemas/Shapes/properties",
            "properties beside `oneOf` are not part of its members' models: `kind`",
        )
    ]


def test_prefix_items_with_fixed_length_is_tuple(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                point:
                  type: array
                  prefixItems:
                    - type: string
                    - type: integer
                  minItems: 2
                  maxItems: 2
            """
        ),
    )
    assert ftype(api, "Thing", "point") == t.Tuple((t.Primitive("str"), t.Primitive("int")))
    snapshot("ir/prefix-items-tuple.json", dumps(api))


def test_prefix_items_without_fixed_length_is_array(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                row:
                  type: array
                  prefixItems:
                    - type: string
                    - type: integer
                  minItems: 1
            """
        ),
    )
    row = ftype(api, "Thing", "row")
    assert isinstance(row, t.Array)
    assert row.item == t.Union((t.Primitive("str"), t.Primitive("int")))
    assert row.constraints == t.Constraints(min_items=1)
    snapshot("ir/prefix-items-array.json", dumps(api))


# -- maps -----------------------------------------------------------------------------


def test_additional_properties_map_with_key_constraints(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                metadata:
                  type: object
                  additionalProperties:
                    type: integer
                  propertyNames:
                    maxLength: 40
                    pattern: "^[a-z_]+$"
                  maxProperties: 50
            """
        ),
    )
    assert ftype(api, "Thing", "metadata") == t.Map(
        t.Primitive("int"),
        key=t.Constraints(max_length=40, pattern="^[a-z_]+$"),
        constraints=t.Constraints(max_properties=50),
    )
    snapshot("ir/additional-properties-map.json", dumps(api))


def test_pattern_properties_map(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                headers:
                  type: object
                  patternProperties:
                    "^x-":
                      type: string
            """
        ),
    )
    assert ftype(api, "Thing", "headers") == t.Map(t.Primitive("str"))
    snapshot("ir/pattern-properties-map.json", dumps(api))


def test_free_form_object_is_map_of_any(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                anything:
                  type: object
                open:
                  type: object
                  additionalProperties: true
            """
        ),
    )
    assert ftype(api, "Thing", "anything") == t.Map(t.AnyType())
    assert ftype(api, "Thing", "open") == t.Map(t.AnyType())
    snapshot("ir/free-form-object.json", dumps(api))


# -- models ---------------------------------------------------------------------------


def test_recursive_model(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Tree:
              type: object
              required: [value]
              properties:
                value: {type: string}
                children:
                  type: array
                  items:
                    $ref: "#/components/schemas/Tree"
            """,
            root="Tree",
        ),
    )
    assert [x.name for x in api.models] == ["Tree"]
    assert ftype(api, "Tree", "children") == t.Array(t.ModelRef("Tree"))
    snapshot("ir/recursive-model.json", dumps(api))


def test_mutually_recursive_models(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            A:
              type: object
              properties:
                b: {$ref: "#/components/schemas/B"}
            B:
              type: object
              properties:
                a: {$ref: "#/components/schemas/A"}
            """,
            root="A",
        ),
    )
    assert sorted(x.name for x in api.models) == ["A", "B"]
    assert ftype(api, "A", "b") == t.ModelRef("B")
    assert ftype(api, "B", "a") == t.ModelRef("A")
    snapshot("ir/mutually-recursive-models.json", dumps(api))


def test_all_of_merges_properties_and_required(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              description: Named and timestamped.
              allOf:
                - $ref: "#/components/schemas/Named"
                - $ref: "#/components/schemas/Timestamped"
            Named:
              type: object
              required: [name]
              properties:
                name: {type: string}
                nickname: {type: string}
            Timestamped:
              type: object
              required: [created_at]
              properties:
                created_at: {type: string, format: date-time}
            """
        ),
    )
    thing = model(api, "Thing")
    assert [(f.json_name, f.required) for f in thing.fields] == [
        ("name", True),
        ("nickname", False),
        ("created_at", True),
    ]
    assert thing.description == "Named and timestamped."
    assert ftype(api, "Thing", "created_at") == t.Primitive("str", "date-time")
    snapshot("ir/all-of-merge.json", dumps(api))


def test_all_of_that_only_annotates_a_value_is_that_value(write_spec: WriteSpec) -> None:
    """AWS writes nearly every property as `allOf: [{$ref: String}, {description}]` (300-odd
    specs of APIs.guru). Merged as objects, each became an empty model: the client sent `{}`
    for a string and failed on every answer holding one. A member that only documents is
    not merged; what is left of a string and its constraints stays a string."""
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Account:
              type: object
              properties:
                arn:
                  allOf: [{$ref: "#/components/schemas/String"}, {description: The role's ARN.}]
                status:
                  allOf: [{$ref: "#/components/schemas/Status"}, {description: Its status, example: on}]
                when:
                  allOf: [{$ref: "#/components/schemas/String"}, {format: date-time}, {description: Since.}]
                code:
                  type: string
                  allOf: [{minLength: 2}, {maxLength: 3}]
                owner:
                  allOf: [{$ref: "#/components/schemas/Owner"}, {description: Who.}]
                both:
                  allOf: [{$ref: "#/components/schemas/Owner"}, {properties: {extra: {type: integer}}}]
            String: {type: string}
            Status: {type: string, enum: ["on", "off"]}
            Owner:
              type: object
              required: [id]
              properties: {id: {type: string}}
            """,
            root="Account",
        ),
    )
    assert [(f.json_name, f.type) for f in model(api, "Account").fields] == [
        ("arn", t.Primitive("str")),
        ("status", t.EnumRef("Status")),
        ("when", t.Primitive("str", "date-time")),
        ("code", t.Primitive("str", constraints=t.Constraints(min_length=2, max_length=3))),
        ("owner", t.ModelRef("Owner")),
        ("both", t.ModelRef("AccountBoth")),
    ]
    assert [f.description for f in model(api, "Account").fields][:3] == ["The role's ARN.", "Its status", "Since."]
    assert [f.json_name for f in model(api, "AccountBoth").fields] == ["id", "extra"]
    assert sorted(x.name for x in api.models) == ["Account", "AccountBoth", "Owner"]


def test_inline_enum_is_named_from_its_location(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Order:
              type: object
              properties:
                status:
                  type: string
                  enum: [pending, paid, refunded]
            """,
            root="Order",
        ),
    )
    assert ftype(api, "Order", "status") == t.EnumRef("OrderStatus")
    assert enum(api, "OrderStatus").pointer == "#/components/schemas/Order/properties/status"
    snapshot("ir/inline-enum-name.json", dumps(api))


# -- names ----------------------------------------------------------------------------


def test_component_name_collisions(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                dashed: {$ref: "#/components/schemas/Foo-Bar"}
                plain: {$ref: "#/components/schemas/FooBar"}
                list: {$ref: "#/components/schemas/List"}
                any: {$ref: "#/components/schemas/Any"}
                exception: {$ref: "#/components/schemas/Exception"}
            Foo-Bar:
              type: object
              properties:
                a: {type: string}
            FooBar:
              type: object
              properties:
                b: {type: string}
            List:
              type: object
              properties:
                c: {type: string}
            Any:
              type: object
              properties:
                d: {type: string}
            Exception:
              type: object
              properties:
                e: {type: string}
            """
        ),
    )
    by_pointer = {x.pointer.rsplit("/", 1)[1]: x.name for x in api.models}
    # First claimant (document order) keeps the name; the next gets a numeric suffix.
    assert by_pointer["Foo-Bar"] == "FooBar"
    assert by_pointer["FooBar"] == "FooBar2"
    # Names the generated modules import or Python defines are never shadowed.
    assert by_pointer["Any"] == "Any_"
    assert by_pointer["Exception"] == "Exception_"
    assert by_pointer["List"] == "List"  # `List` is neither imported (code uses `list`) nor a builtin
    names = [x.name for x in api.models]
    assert len({n.lower() for n in names}) == len(names)
    assert ftype(api, "Thing", "plain") == t.ModelRef("FooBar2")
    snapshot("ir/component-name-collisions.json", dumps(api))


def test_enum_values_colliding_after_naming(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              properties:
                zone: {$ref: "#/components/schemas/Zone"}
            Zone:
              type: string
              enum: [GMT0, GMT-0, GMT+0, Etc/GMT0, a b, a-b, GMT_0]
            """
        ),
    )
    members = [(x.name, x.value) for x in enum(api, "Zone").members]
    assert members == [
        ("GMT0", "GMT0"),
        ("GMT_0", "GMT-0"),
        ("GMT_PLUS_0", "GMT+0"),
        ("ETC_GMT0", "Etc/GMT0"),
        ("A_B", "a b"),
        ("A_B2", "a-b"),
        ("GMT_02", "GMT_0"),
    ]
    assert all(name.isidentifier() for name, _ in members)
    snapshot("ir/enum-member-collisions.json", dumps(api))


def test_keyword_property_names_get_safe_field_names(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Thing:
              type: object
              required: [class]
              properties:
                class: {type: string}
                from: {type: string}
                import: {type: integer}
            """
        ),
    )
    assert [(f.json_name, f.name) for f in model(api, "Thing").fields] == [
        ("class", "class_"),
        ("from", "from_"),
        ("import", "import_"),
    ]
    snapshot("ir/keyword-field-names.json", dumps(api))


GROUPS_SPEC = """\
openapi: 3.1.0
info:
  title: Groups
  version: "1"
paths:
  /portal/customers:
    get:
      operationId: portalCustomersGet
      tags: [ignored]
      x-speakeasy-group: customerPortal.customers
      x-speakeasy-name-override: fetch
      responses:
        "204": {description: done}
  /customers:
    get:
      operationId: "customers:list"
      tags: [customers, other]
      responses:
        "204": {description: done}
  /items/a:
    get:
      operationId: "items:get"
      tags: [items]
      responses:
        "204": {description: done}
  /items/b:
    get:
      operationId: "items/get"
      tags: [items]
      responses:
        "204": {description: done}
"""


def test_operation_groups_and_names(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    api, _ = build(write_spec, GROUPS_SPEC)
    placed = {o.operation_id: (o.group, o.name) for o in api.operations}
    assert placed == {
        "portalCustomersGet": (("customer_portal", "customers"), "fetch"),  # vendor overrides win
        "customers:list": (("customers",), "list"),  # first tag + last operationId segment
        "items:get": (("items",), "get"),  # same name in one group: first keeps it...
        "items/get": (("items",), "get2"),  # ...the next gets a suffix
    }
    snapshot("ir/operation-groups-and-names.json", dumps(api))


def test_unused_components_are_emitted_too(write_spec: WriteSpec, snapshot: Snapshot) -> None:
    """Every component is public surface (commit 41db151), reached by an operation or not.

    Operations reach schemas first, so their names never depend on unused components;
    the rest follow in document order.
    """
    api, _ = build(
        write_spec,
        spec_with(
            """\
            Unused:
              type: object
              properties:
                x: {type: string}
            UnusedEnum:
              type: string
              enum: [a, b]
            Thing:
              type: object
              properties:
                id: {type: integer}
            """
        ),
    )
    assert [x.name for x in api.models] == ["Thing", "Unused"]
    assert [x.name for x in api.enums] == ["UnusedEnum"]
    assert response_type(api) == t.ModelRef("Thing")
    snapshot("ir/unused-components.json", dumps(api))


@pytest.mark.parametrize("openapi", ["3.0.3", "3.1.0"])
def test_spec_with_builds_without_warnings(write_spec: WriteSpec, openapi: str) -> None:
    """The helper's skeleton itself is clean, so warnings in other tests come from their construct."""
    api, warnings = build(
        write_spec, spec_with("Thing: {type: object, properties: {a: {type: string}}}\n", openapi=openapi)
    )
    assert warnings == []
    assert response_type(api) == t.ModelRef("Thing")


COLLIDING_NAMES = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      tags: [a]
      parameters:
        - {name: Class, in: query, schema: {type: string}}
        - {name: class, in: query, schema: {type: string}}
        - {name: request_options, in: query, schema: {type: string}}
      responses: {"204": {description: ok}}
  /b:
    get:
      operationId: get_a
      tags: [a]
      responses: {"204": {description: ok}}
  /c:
    get:
      operationId: GetA
      tags: [a]
      responses: {"204": {description: ok}}
"""


def test_renamed_methods_and_parameters_are_warned_once_each(write_spec: WriteSpec) -> None:
    """QA round 2: colliding operationIds and parameter names were renamed silently. The
    renaming stays (deterministic); each renamed one gets one located warning naming the
    spec's name and the Python one."""
    api, warnings = build(write_spec, COLLIDING_NAMES)
    assert [op.name for op in api.operations] == ["get_a", "get_a2", "get_a3"]
    assert [p.name for p in api.operations[0].parameters] == ["class_", "class_2_", "request_options2"]
    found = sorted((w.location.pointer, w.location.line, w.message) for w in warnings)
    assert found == [
        (
            "#/paths/~1a/get/parameters/1",
            10,
            "query parameter 'class' becomes the Python argument 'class_2_': 'class_' is already taken in this method.",
        ),
        (
            "#/paths/~1a/get/parameters/2",
            11,
            "query parameter 'request_options' becomes the Python argument 'request_options2': "
            "'request_options' is already taken in this method.",
        ),
        (
            "#/paths/~1b/get",
            15,
            "operation 'get_a' becomes the Python method a.get_a2(): 'get_a' is already taken in that group.",
        ),
        (
            "#/paths/~1c/get",
            20,
            "operation 'GetA' becomes the Python method a.get_a3(): 'get_a' is already taken in that group.",
        ),
    ]


def test_a_required_name_without_a_property_is_warned(write_spec: WriteSpec) -> None:
    """asana's SectionRequest requires `project` but declares no such property (153
    schemas of 74 APIs.guru specs; typos among them, `dockerImageag`): no field can carry
    it, so a request built from the model lacks it. Said once, at the `required` list;
    with typed `additionalProperties` the name can still go there, so nothing is said."""
    text = spec_with(
        """
            Thing:
              type: object
              required: [name, project, owner]
              properties:
                name: {type: string}
            Open:
              type: object
              required: [extra]
              properties:
                name: {type: string}
              additionalProperties: {type: string}
            """
    )
    api, warnings = build(write_spec, text)
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "required: [name, project, owner]" in x)
    assert [f.json_name for f in model(api, "Thing").fields] == ["name"]
    assert model(api, "Open").additional is not None  # built, and not warned about
    said = [w for w in warnings if "not declared in `properties`" in w.message]
    assert [(w.location.pointer, w.location.line) for w in said] == [("#/components/schemas/Thing/required", line)]
    assert said[0].message.startswith("'project', 'owner' are required but not declared in `properties`: Thing has")
