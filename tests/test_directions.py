"""`readOnly` and `writeOnly` (tests/go/directions/directions.yaml): a model's request shape
has no `readOnly` field and keeps a required `writeOnly` one required; its response shape
has every field, a `writeOnly` one optional. A model used both ways whose shapes differ
gets a request twin (`PetInput`), and so does a model or alias sent and received that
holds one (`AnyAnimalInput`); the request bodies name the twins.

Before, one model served both ways: a `readOnly` field the caller set (or that came from
a fetched model sent back) went to the server, a required `readOnly` `id` was optional to
every reader of a response, and a required `writeOnly` `password` was optional to the
caller, so a request without it passed mypy and failed at the server.

Python: the builder's tables, the generated client (mypy --strict, which must refuse a
request without its write-only field), what a real server (Starlette) receives; Go: the
same JSON through directions_test.go."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers import mypy_error_lines, strict_client
from test_go_target import GO_TESTS, go_tests_pass, go_toolchain

from generator.builder import build_api
from generator.config import Job
from generator.ir import model as m
from generator.ir import types as t
from generator.load import load, load_bytes
from generator.normalize import Spec

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

SPEC = GO_TESTS / "directions" / "directions.yaml"
PACKAGE = "directions_client"


def _fields(model: m.Model) -> dict[str, tuple[bool, t.Type]]:
    return {f.json_name: (f.required, f.type) for f in model.fields}


def test_the_builders_tables() -> None:
    api, _ = build_api(Spec(load(SPEC)))
    models = {x.name: x for x in api.models}
    # twins right after their model; `Note` (an optional writeOnly only) and `Echo` have none
    assert [x.name for x in api.models] == [
        "Owner",
        "OwnerInput",
        "Animal",
        "Bird",
        "BirdInput",
        "Pet",
        "PetInput",
        "Tag",
        "TagInput",
        "OrderCreate",
        "Login",
        "LoginInput",
        "Note",
    ]
    s, i = t.Primitive("str"), t.Primitive("int")
    assert _fields(models["Pet"]) == {
        "id": (True, s),  # required of a response, as the spec says
        "name": (True, s),
        "password": (False, s),  # a server never returns it
        "owner": (False, t.ModelRef("Owner")),
        "friends": (False, t.Array(t.ModelRef("Pet"))),
        "companion": (False, t.AliasRef("AnyAnimal")),
    }
    assert _fields(models["PetInput"]) == {
        "name": (True, s),
        "password": (True, s),  # required of the caller
        "owner": (False, t.ModelRef("OwnerInput")),
        "friends": (False, t.Array(t.ModelRef("PetInput"))),
        "companion": (False, t.AliasRef("AnyAnimalInput")),
    }
    assert _fields(models["OwnerInput"]) == {"email": (True, s)}
    assert _fields(models["Owner"]) == {"id": (True, i), "email": (True, s)}
    # only sent: its readOnly field is gone, its name kept, its field the twin
    assert _fields(models["OrderCreate"]) == {"pet": (True, t.ModelRef("PetInput"))}
    assert _fields(models["LoginInput"])["secret"] == (True, s) and _fields(models["Login"])["secret"] == (False, s)
    assert _fields(models["Note"])["token"] == (False, s)
    assert [f.json_name for f in models["BirdInput"].fields] == ["kind", "wingspan"]
    assert models["PetInput"].examples == ({"name": "Rex", "password": "s3cret"},)
    assert models["PetInput"].description == (
        "A pet.\n\n`PetInput` is `Pet` as requests send it: without `id` (read-only: set by the server); "
        "with `password` required (write-only: never returned)."
    )
    aliases = {a.name: a for a in api.aliases}
    assert aliases["AnyAnimalInput"].type == t.Union(
        (t.ModelRef("BirdInput"), t.ModelRef("Animal")),
        t.Discriminator("kind", (("Bird", "BirdInput"), ("Animal", "Animal")), "Animal"),
    )
    bodies = {op.operation_id: [(x.type, x.encoding) for x in op.body.media] for op in api.operations if op.body}
    assert bodies["echoPet"] == [(t.ModelRef("PetInput"), m.JsonBody())]
    assert bodies["echoLogin"] == [(t.ModelRef("LoginInput"), m.JsonBody())]
    assert bodies["echoNote"] == [(t.ModelRef("Note"), m.JsonBody())]
    form, multipart = bodies["echoOwner"]
    assert form[0] == multipart[0] == t.ModelRef("OwnerInput")
    assert isinstance(form[1], m.FormBody) and [x.json_name for x in form[1].fields] == ["email"]
    assert isinstance(multipart[1], m.MultipartBody) and [x.json_name for x in multipart[1].parts] == ["email"]
    (search,) = [op for op in api.operations if op.operation_id == "echoSearch"]
    assert search.parameters[0].type == t.ModelRef("OwnerInput")  # a deepObject filter sends fields too
    usage = {x.name: (x.in_requests, x.unknown_name is not None) for x in api.models}
    assert usage["Pet"] == (False, True) and usage["PetInput"] == (True, False)


def _api(schemas: dict[str, Any], body: str, answer: str) -> m.Api:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": body}}}},
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": answer}}}}
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }
    import json

    api, _ = build_api(Spec(load_bytes(json.dumps(doc).encode(), Path("t.json"))))
    return api


def test_a_twins_name_is_claimed_past_a_component_that_has_it() -> None:
    ro = {"type": "object", "properties": {"id": {"type": "string", "readOnly": True}, "n": {"type": "string"}}}
    api = _api({"Pet": ro, "PetInput": {"type": "string"}}, "#/components/schemas/Pet", "#/components/schemas/Pet")
    assert [x.name for x in api.models] == ["Pet", "PetInput2"]
    assert [a.name for a in api.aliases] == ["PetInput"]


def test_a_model_used_one_way_keeps_its_name() -> None:
    ro = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "readOnly": True}}}
    wo = {"type": "object", "required": ["pw"], "properties": {"pw": {"type": "string", "writeOnly": True}}}
    api = _api({"In": ro, "Out": wo}, "#/components/schemas/In", "#/components/schemas/Out")
    models = {x.name: x for x in api.models}
    assert set(models) == {"In", "Out"}
    assert models["In"].fields == ()  # only sent: nothing the server sets
    assert [(f.json_name, f.required) for f in models["Out"].fields] == [("pw", False)]


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("directions")
    return strict_client(root / "out", PACKAGE, Job(SPEC, root / "out" / PACKAGE, PACKAGE))  # type: ignore[no-any-return]


def test_mypy_refuses_a_request_without_its_write_only_field(pkg: ModuleType, tmp_path: Path) -> None:
    code = (
        f"from {PACKAGE}.models import Pet, PetInput\n"
        "ok = PetInput(name='Rex', password='pw')\n"
        "missing = PetInput(name='Rex')\n"
        "given_id = PetInput(id='p1', name='Rex', password='pw')\n"
        "def read(pet: Pet) -> str:\n"
        "    return pet.id\n"
    )
    # no password; an id; reading `id` needs no check
    assert mypy_error_lines(pkg, tmp_path / "user.py", code) == ["3", "4"]


def test_a_response_reads_its_read_only_fields(pkg: ModuleType) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    pet = models.Pet.from_dict(
        {"id": "p1", "name": "Rex", "companion": {"kind": "Bird", "ringed_at": "2026-01-02T03:04:05Z"}}
    )
    assert pet.id == "p1" and type(pet.companion) is models.Bird and pet.companion.ringed_at.year == 2026


def test_the_server_receives_no_read_only_field(pkg: ModuleType, server: str) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    client = pkg.Client(base_url=server)
    pet = models.PetInput(
        name="Rex",
        password="pw",
        owner=models.OwnerInput(email="a@b.c"),
        friends=[models.PetInput(name="Tom", password="x")],
        companion=models.BirdInput(wingspan=1.5),
    )
    assert client.echo.echo_pet(pet)["json"] == {
        "name": "Rex",
        "password": "pw",
        "owner": {"email": "a@b.c"},
        "friends": [{"name": "Tom", "password": "x"}],
        "companion": {"kind": "Bird", "wingspan": 1.5},
    }
    assert client.echo.echo_order(models.OrderCreate(pet=models.PetInput(name="Rex", password="pw")))["json"] == {
        "pet": {"name": "Rex", "password": "pw"}
    }
    assert client.echo.echo_owner(models.OwnerInput(email="a@b.c"))["form"] == [["email", "a@b.c"]]
    assert client.echo.echo_search(owner=models.OwnerInput(email="a@b.c"))["query"] == [["owner[email]", "a@b.c"]]
    sent = client.echo.echo_owner(models.OwnerInput(email="a@b.c"), content_type="multipart/form-data")
    assert sent["form"] == [["email", "a@b.c"]]
    # a model read from a response becomes a request through its JSON: the server's fields drop out
    fetched = models.Owner.from_dict({"id": 7, "email": "a@b.c"})
    assert models.OwnerInput.from_dict(fetched.to_dict()) == models.OwnerInput(email="a@b.c")


def test_a_model_read_where_its_twin_belongs_is_refused_before_sending(pkg: ModuleType) -> None:
    """Without mypy a caller can hand the model it read (`Pet`, with the server's `id`) to
    an operation that takes its twin: the check before sending used to catch a `dict`
    only, so the other model's `to_dict` sent the server's fields."""
    import httpx

    models = importlib.import_module(f"{PACKAGE}.models")
    sent: list[bytes] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json=json.loads(request.content))  # the body, echoed

    client = pkg.Client(base_url="http://api.test", http_client=httpx.Client(transport=httpx.MockTransport(record)))
    pet = models.Pet.from_dict({"id": "p1", "name": "Rex"})
    with pytest.raises(TypeError) as caught:
        client.echo.echo_pet(pet)
    assert str(caught.value) == (
        "body: expected PetInput, got Pet; build it with PetInput(...), "
        "or convert it: PetInput.from_dict(value.to_dict())."
    )
    with pytest.raises(TypeError, match=r"^OrderCreate\.pet: expected PetInput, got Pet;"):
        client.echo.echo_order(models.OrderCreate(pet=pet))
    owner = models.Owner(id=1, email="a@b.c")  # two levels down, in a list
    friend = models.PetInput(name="Tom", password="x", owner=owner)
    with pytest.raises(TypeError, match=r"^PetInput\.owner: expected OwnerInput, got Owner;"):
        client.echo.echo_pet(models.PetInput(name="Rex", password="pw", friends=[friend]))
    with pytest.raises(TypeError, match=r"^body: expected TagInput, got Tag;"):
        client.echo.echo_tag(models.Tag(name="a", created="2026"))
    assert sent == []
    client.echo.echo_pet(
        models.PetInput(name="Rex", password="pw", friends=[models.PetInput(name="Tom", password="x")])
    )
    # another model that sends exactly what the right one would (Polar's `Address` where
    # `AddressInput` belongs: two schemas, one shape) goes as it is
    client.echo.echo_tag(models.Tag(name="a"))
    assert [json.loads(x) for x in sent[1:]] == [{"name": "a"}]


def test_the_docs_say_what_a_twin_is(pkg: ModuleType) -> None:
    docs = Path(pkg.__file__).parent / "docs" / "models"
    page = docs.joinpath("PetInput.md").read_text("utf-8")
    assert "`PetInput` is `Pet` as requests send it: without `id` (read-only: set by the server)" in page
    assert "| `password` | string | required |" in page and "| `id` |" not in page
    animal = docs.joinpath("Animal.md").read_text("utf-8")
    assert "a value typed as Animal is read as [AnyAnimal](AnyAnimal.md)" in animal


def test_go_sends_and_reads_the_shapes_as_the_python_client_does(go_toolchain: str, tmp_path: Path) -> None:
    go_tests_pass(
        SPEC,
        GO_TESTS / "directions" / "directions_test.go",
        tmp_path,
        "directions",
        "TestARequestSendsNoReadOnlyField",
        "TestAResponseReadsItsReadOnlyFields",
    )
