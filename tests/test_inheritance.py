"""OpenAPI's inheritance (tests/go/inheritance/inheritance.yaml): a base schema with a
`discriminator` and no `oneOf`, and the schemas that `allOf` it, directly or through
each other. A value typed as the base is any of its subtypes, told apart by the tag
(a `mapping` entry, Azure's `x-ms-discriminator-value`, else the schema's name), or the
base itself for a tag none of them has; a subtype nothing extends holds its tag as a
constant, so a request built from it sends its tag without the caller writing it.

Before, a value typed as the base was read as the base: a subtype's own fields stayed
untyped in `unknown_fields` (Go dropped them), and a request could not be typed as a
subtype at all (`Dog` is not a `Pet` to mypy; its tag was the caller's to write).

Python: the builder's tables, the generated client (mypy --strict) decoding and encoding,
and what a real server (Starlette) receives; Go: the same JSON through inheritance_test.go."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers import strict_client
from test_go_target import GO_TESTS, go_tests_pass, go_toolchain

from generator.builder import build_api
from generator.builder.inheritance import MAX_MEMBERS, Hierarchy
from generator.config import Job
from generator.ir import types as t
from generator.load import load, load_bytes
from generator.normalize import Spec

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

SPEC = GO_TESTS / "inheritance" / "inheritance.yaml"
PACKAGE = "inheritance_client"
S = "#/components/schemas/"
PETS: list[dict[str, Any]] = [
    {"petType": "Dog", "name": "rex", "bark": True},
    {"petType": "Cat", "name": "tom", "lives": 9},
    {"petType": "Lion", "name": "leo", "lives": 3, "mane": True},
    {"petType": "fish-type", "name": "nemo", "fins": 2},
    {"petType": "Stone", "name": "rock"},
    {"petType": "Pet", "name": "plain"},
    {"petType": "Hamster", "name": "ham", "wheel": 1},
]
KINDS = ["Dog", "Cat", "Lion", "Fish", "Stone", "Pet", "Pet"]


def test_the_hierarchy_and_the_builders_tables() -> None:
    spec = Spec(load(SPEC))
    h = Hierarchy(spec)
    assert list(h.families) == [S + "Pet", S + "Cat", S + "Shape"]
    pet = h.families[S + "Pet"]
    assert (pet.property, pet.members) == (
        "petType",
        (
            (S + "Dog", ("Dog",)),
            (S + "Cat", ("Cat",)),
            (S + "Lion", ("Lion",)),
            (S + "Fish", ("fish-type",)),
            (S + "Stone", ("Stone",)),
            (S + "Pet", ("Pet",)),
        ),
    )
    assert h.families[S + "Cat"].members == ((S + "Lion", ("Lion",)), (S + "Cat", ("Cat",)))
    assert h.families[S + "Shape"].members == ((S + "Circle", ("#circle",)), (S + "Shape", ("Shape",)))
    assert h.subtypes == {S + n for n in ("Dog", "Cat", "Lion", "Fish", "Stone", "Circle")}
    assert h.leaf_tags == {
        S + "Dog": ("petType", "Dog"),
        S + "Lion": ("petType", "Lion"),
        S + "Fish": ("petType", "fish-type"),
        S + "Stone": ("petType", "Stone"),
        S + "Circle": ("kind", "#circle"),
    }

    api, _ = build_api(spec)
    models = {m.name: m for m in api.models}
    owner = {f.json_name: f.type for f in models["Owner"].fields}
    assert owner == {
        "pet": t.AliasRef("AnyPet"),
        "others": t.Array(t.AliasRef("AnyPet")),
        "cat": t.AliasRef("AnyCat"),  # Cat has a subtype of its own
        "dog": t.ModelRef("Dog"),  # nothing extends Dog: itself
    }
    tags = {name: next(f.type for f in models[name].fields if f.json_name == "petType") for name in KINDS}
    assert tags["Dog"] == t.Const("Dog") and tags["Fish"] == t.Const("fish-type") and tags["Stone"] == t.Const("Stone")
    assert tags["Cat"] == tags["Pet"] == t.Primitive("str")  # a family's base takes any tag
    assert [f.json_name for f in models["Stone"].fields] == ["petType", "name", "friend"]
    assert next(f.type for f in models["Pet"].fields if f.json_name == "friend") == t.AliasRef("AnyPet")
    plan = next(d for d in api.dispatch if t.ModelRef("Dog") in d.union.variants)
    assert plan.tag == "petType" and plan.object_fallback == t.ModelRef("Pet")
    assert plan.by_tag == (
        ("Dog", (), t.ModelRef("Dog")),
        ("Cat", (), t.ModelRef("Cat")),
        ("Lion", (), t.ModelRef("Lion")),
        ("fish-type", (), t.ModelRef("Fish")),
        ("Stone", (), t.ModelRef("Stone")),
    )


def _spec(schemas: dict[str, Any]) -> Spec:
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}}
    return Spec(load_bytes(json.dumps(doc).encode(), Path("inline.json")))


def test_what_is_not_a_family() -> None:
    sub = {"allOf": [{"$ref": S + "Base"}, {"properties": {"x": {"type": "string"}}}]}
    # zalando's `Page`: the tag names an array, no value to read
    array_tag = {
        "type": "object",
        "discriminator": {"propertyName": "items"},
        "properties": {"items": {"type": "array"}},
    }
    assert Hierarchy(_spec({"Base": array_tag, "Sub": sub})).families == {}
    # a discriminator beside a oneOf is a union's, built as such
    union = {"oneOf": [{"$ref": S + "Sub"}], "discriminator": {"propertyName": "kind"}}
    assert Hierarchy(_spec({"Base": union, "Sub": sub})).families == {}
    # no subtype: the base alone is a plain model
    lone = {"type": "object", "discriminator": {"propertyName": "kind"}, "properties": {"kind": {"type": "string"}}}
    assert Hierarchy(_spec({"Base": lone})).families == {}
    # schemas that extend each other in a circle end
    a = {"allOf": [{"$ref": S + "B"}], "discriminator": {"propertyName": "kind"}}
    b = {"allOf": [{"$ref": S + "A"}], "properties": {"kind": {"type": "string"}}}
    found = Hierarchy(_spec({"A": a, "B": b}))
    assert found.families[S + "A"].members == ((S + "B", ("B",)), (S + "A", ("A",)))


def test_a_oneofs_mapping_names_the_tag_of_a_subtype() -> None:
    """A base without a `mapping`, and a `oneOf` elsewhere whose `mapping` names one of
    its subtypes: the subtype's constant tag is the mapping's value, not its schema's
    name (else a request built from it would send a tag the API does not know)."""
    base = {"type": "object", "discriminator": {"propertyName": "kind"}, "properties": {"kind": {"type": "string"}}}
    sub = {"allOf": [{"$ref": S + "Base"}, {"properties": {"x": {"type": "string"}}}]}
    either = {
        "oneOf": [{"$ref": S + "Sub"}],
        "discriminator": {"propertyName": "kind", "mapping": {"sub-kind": S + "Sub"}},
    }
    h = Hierarchy(_spec({"Base": base, "Sub": sub, "Either": either}))
    assert h.leaf_tags == {S + "Sub": ("kind", "sub-kind")}
    assert h.families[S + "Base"].members == ((S + "Sub", ("sub-kind",)), (S + "Base", ("Base",)))


def test_a_chain_thousands_deep_lists_a_bounded_number_of_subtypes() -> None:
    """Each schema with subtypes is a union of all of them: in a chain of 3,000 `allOf`s
    that is millions of members, so past `MAX_MEMBERS` the rest are read as themselves,
    with one located warning."""
    schemas: dict[str, Any] = {
        "S0": {"type": "object", "discriminator": {"propertyName": "k"}, "properties": {"k": {"type": "string"}}}
    }
    for i in range(1, 3000):
        schemas[f"S{i}"] = {"allOf": [{"$ref": f"{S}S{i - 1}"}], "properties": {f"p{i}": {"type": "string"}}}
    spec = _spec(schemas)
    h = Hierarchy(spec)
    assert [len(f.members) for f in h.families.values()] == [3000, 2999, 2998]  # 8,994 listed
    assert sum(len(f.members) - 1 for f in h.families.values()) <= MAX_MEMBERS
    assert h.left_out[0] == S + "S3" and len(h.left_out) == 2996
    assert len(h.subtypes) == 2999 and h.leaf_tags == {S + "S2999": ("k", "S2999")}
    api, warnings = build_api(spec)
    assert [a.name for a in api.aliases] == ["AnyS0", "AnyS1", "AnyS2"]
    (warning,) = [str(w) for w in warnings if "inheritance" in str(w)]
    assert "#/components/schemas/S3:" in warning and "and 2995 more are read as themselves" in warning


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("inheritance")
    return strict_client(root / "out", PACKAGE, Job(SPEC, root / "out" / PACKAGE, PACKAGE))  # type: ignore[no-any-return]


def test_each_pet_is_decoded_as_the_subtype_its_tag_names(pkg: ModuleType) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    decode = importlib.import_module(f"{PACKAGE}.models.any_pet").decode_AnyPet
    to_json = importlib.import_module(f"{PACKAGE}._runtime").to_json
    pets = [decode(json.loads(json.dumps(p))) for p in PETS]
    assert [type(p).__name__ for p in pets] == KINDS
    assert pets[0].bark is True and pets[2].mane is True and pets[3].fins == 2
    assert pets[6].pet_type == "Hamster" and pets[6].unknown_fields == {"wheel": 1}  # not known yet: the base
    assert [to_json(p) for p in pets] == PETS
    dog = decode({**PETS[0], "friend": PETS[3]})
    assert type(dog.friend) is models.Fish and to_json(dog) == {**PETS[0], "friend": PETS[3]}
    owner = models.Owner.from_dict({"pet": PETS[0], "others": PETS[2:4], "cat": PETS[2], "dog": PETS[0]})
    assert (type(owner.pet), type(owner.cat), type(owner.dog)) == (models.Dog, models.Lion, models.Dog)
    assert [type(p) for p in owner.others] == [models.Lion, models.Fish]
    shape = importlib.import_module(f"{PACKAGE}.models.any_shape").decode_AnyShape
    assert type(shape({"kind": "#circle", "radius": 1.5})) is models.Circle
    assert type(shape({"kind": "circle"})) is models.Shape


def test_a_subtype_sends_its_tag_unwritten(pkg: ModuleType) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    assert models.Dog(name="rex", bark=False).to_dict() == {"petType": "Dog", "name": "rex", "bark": False}
    assert models.Fish(name="nemo").to_dict() == {"petType": "fish-type", "name": "nemo"}
    assert models.Circle().to_dict() == {"kind": "#circle"}
    # a family's base writes the tag its caller gives
    assert models.Cat(pet_type="Cat", name="tom").to_dict() == {"petType": "Cat", "name": "tom"}


def test_the_docs_example_of_a_pet_decodes(pkg: ModuleType) -> None:
    """An optional field typed as its own family (`Pet.friend`) was shown in response
    examples until the cycle was cut with `{}`, which no pet is: the page's example of
    `createPet`'s answer did not decode. A union that leads back to a model being built
    is now left out, as a model is."""
    page = Path(pkg.__file__).parent / "docs" / "operations" / "pets" / "create_pet.md"
    example = json.loads(page.read_text("utf-8").split("## Example response")[1].split("```json")[1].split("```")[0])
    decode = importlib.import_module(f"{PACKAGE}.models.any_pet").decode_AnyPet
    assert importlib.import_module(f"{PACKAGE}._runtime").to_json(decode(example)) == example


def test_the_docs_pages_say_how_a_family_is_read(pkg: ModuleType) -> None:
    models = Path(pkg.__file__).parent / "docs" / "models"
    union = models.joinpath("AnyPet.md").read_text("utf-8")
    assert "| `petType` | Read as |" in union
    assert '| `"fish-type"` | [Fish](Fish.md) |' in union and "| any other value | [Pet](Pet.md) |" in union
    assert "Other schemas extend Pet: a value typed as Pet is read as [AnyPet](AnyPet.md)" in models.joinpath(
        "Pet.md"
    ).read_text("utf-8")
    assert "Other schemas extend" not in models.joinpath("Dog.md").read_text("utf-8")


def test_the_server_receives_the_subtype(pkg: ModuleType, server: str) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    client = pkg.Client("tok", base_url=server)
    echo = client.pets.echo_pet(models.Lion(name="leo", mane=True))
    assert echo["content_type"] == "application/json"
    assert echo["json"] == {"petType": "Lion", "name": "leo", "mane": True}
    echo = client.pets.echo_pet(models.Stone(name="rock"))
    assert echo["json"] == {"petType": "Stone", "name": "rock"}


def test_go_decodes_each_pet_as_the_python_client_does(go_toolchain: str, tmp_path: Path) -> None:
    test_file = GO_TESTS / "inheritance" / "inheritance_test.go"
    go_tests_pass(
        SPEC,
        test_file,
        tmp_path,
        "inheritance",
        "TestEachPetIsTheSubtypeItsTagNames",
        "TestASubtypeSendsItsTagUnwritten",
    )
