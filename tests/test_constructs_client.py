"""Each construct of issue #3 through a real generated client (tests/specs/constructs.yaml).

The client is generated into a temporary folder, type-checked with mypy --strict, and
driven through httpx.MockTransport: requests on the wire and decoded results are checked.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.config import Job
from generator.pipeline import generate
from generator.write import write_package

SPEC = Path(__file__).parent / "specs" / "constructs.yaml"
PET_ID = "6f1c2c4e-8f7a-4c55-9a43-2a1e0d3b9c11"


def pet_json(name: str = "Tom", animal: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": PET_ID,
        "name": name,
        "class": "mammal",
        "animal": animal or {"type": "cat", "lives": 9},
        "created_at": "2024-01-02T03:04:05Z",
        "birthday": "2020-05-06",
        "tags": ["a"],
        "family": {"name": "root", "children": [{"name": "leaf", "children": []}]},
        "extra": {"note": "n", "weight": 4},
    }


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("constructs")
    result = generate(Job(SPEC, out, "constructs_client", token_env="CONSTRUCTS_TOKEN"), run_validator=False)
    write_package(out, "constructs_client", result.files)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "constructs_client"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout
    sys.path.insert(0, str(out))
    import constructs_client

    return constructs_client


class Server:
    def __init__(self, routes: dict[tuple[str, str], Any]) -> None:
        self.routes = routes
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        found = self.routes[(request.method, request.url.path)]
        return found(request) if callable(found) else found


def client(pkg: Any, server: Server, **kw: Any) -> Any:
    return pkg.Client("tok", http_client=httpx.Client(transport=httpx.MockTransport(server)), **kw)


def test_discriminated_union_and_recursive_models_decode(pkg: Any) -> None:
    from constructs_client.models import Cat, Dog, Pet, Tree

    pet = Pet.from_dict(pet_json(animal={"type": "dog", "good": True}))
    assert pet.animal == Dog(good=True)
    assert pet.id == uuid.UUID(PET_ID)
    assert pet.class_ == "mammal"
    assert pet.family == Tree(name="root", children=[Tree(name="leaf", children=[])])
    assert isinstance(Pet.from_dict(pet_json()).animal, Cat)
    assert Pet.from_dict(pet_json()).to_dict() == pet_json()


def test_unknown_union_variant_is_kept_raw(pkg: Any) -> None:
    from constructs_client.models import Pet

    data = pet_json(animal={"type": "parrot", "words": 12})
    pet = Pet.from_dict(data)
    assert pet.animal == {"type": "parrot", "words": 12}
    assert pet.to_dict() == data


def test_additional_properties_beside_named_ones_round_trip(pkg: Any) -> None:
    from constructs_client.models import Pet

    pet = Pet.from_dict(pet_json())
    assert pet.extra is not None
    assert pet.extra.note == "n" and pet.extra.additional_properties == {"weight": 4}


def test_const_discriminator_defaults_and_is_always_sent(pkg: Any) -> None:
    from constructs_client.models import Cat, PetCreate

    body = PetCreate(name="Tom", animal=Cat(lives=7))
    assert body.to_dict() == {"name": "Tom", "animal": {"type": "cat", "lives": 7}}


def test_read_only_fields_are_not_required_on_input(pkg: Any) -> None:
    import dataclasses

    from constructs_client.models import Pet

    fields = {f.name: f for f in dataclasses.fields(Pet)}
    # Pet is only a response model here, so its readOnly id stays required
    assert fields["id"].default is dataclasses.MISSING


def test_pagination_iterates_every_page_with_the_same_options(pkg: Any) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params["page"])
        items = [pet_json(f"p{n}-{i}") for i in range(2)] if n <= 3 else []
        return httpx.Response(200, json={"items": items, "pagination": {"total_count": 6, "max_page": 3}})

    server = Server({("GET", "/pets"): page})
    c = client(pkg, server)
    names = [p.name for p in c.pets.iter_list(limit=2, request_options={"headers": {"X-Trace": "t"}, "timeout": 4.0})]
    assert names == ["p1-0", "p1-1", "p2-0", "p2-1", "p3-0", "p3-1"]
    assert [r.url.params["page"] for r in server.seen] == ["1", "2", "3"]
    assert all(r.headers["x-trace"] == "t" and r.url.params["limit"] == "2" for r in server.seen)
    assert all(r.extensions["timeout"]["read"] == 4.0 for r in server.seen)

    async def collect() -> list[str]:
        ac = pkg.AsyncClient("tok", http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)))
        return [p.name async for p in ac.pets.iter_list(limit=2)]

    assert asyncio.run(collect()) == names


def test_query_arrays_deep_object_and_header_parameters(pkg: Any) -> None:
    from constructs_client.models import Kind

    server = Server(
        {("GET", "/pets"): httpx.Response(200, json={"items": [], "pagination": {"total_count": 0, "max_page": 0}})}
    )
    client(pkg, server).pets.list(
        kind=[Kind.CAT, Kind.DOG], metadata={"color": "red", "tag": ["a", "b"]}, x_request_id="r1"
    )
    request = server.seen[0]
    assert request.url.params.get_list("kind") == ["cat", "dog"]
    assert request.url.params.get_list("metadata[color]") == ["red"]
    assert request.url.params.get_list("metadata[tag]") == ["a", "b"]
    assert request.headers["x-request-id"] == "r1"
    assert "page" not in request.url.params  # optional and unset: left to the server's default


def test_form_body_csv_response_and_nested_namespace(pkg: Any) -> None:
    from constructs_client.models import OauthTokensTokenBody

    server = Server(
        {
            ("POST", "/oauth/token"): httpx.Response(200, json={"access_token": "abc"}),
            ("GET", "/pets/export"): httpx.Response(200, text="id,name\n1,Tom\n", headers={"content-type": "text/csv"}),
        }
    )
    c = client(pkg, server)
    token = c.oauth.tokens.token(OauthTokensTokenBody(scope="read"))
    assert token.access_token == "abc"
    assert server.seen[0].headers["content-type"] == "application/x-www-form-urlencoded"
    assert dict(httpx.QueryParams(server.seen[0].content.decode())) == {
        "grant_type": "client_credentials",
        "scope": "read",
    }
    assert c.pets.export() == "id,name\n1,Tom\n"
    assert "cookie" not in server.seen[-1].headers  # an unset cookie parameter sends nothing
    c.pets.export(session="a b;c")
    assert server.seen[-1].headers["cookie"] == "session=a%20b%3Bc"


def test_deprecated_operation_warns_and_empty_response_returns_none(pkg: Any) -> None:
    server = Server({("DELETE", f"/pets/{PET_ID}"): httpx.Response(204)})
    with pytest.warns(DeprecationWarning, match="DELETE /pets/"):
        assert client(pkg, server).pets.delete(uuid.UUID(PET_ID)) is None
    assert "Deprecated" in (pkg.services.pets.PetsService.delete.__doc__ or "")


def test_webhook_payload_parses_by_event_type(pkg: Any) -> None:
    from constructs_client.models import Pet, WebhookPetCreated
    from constructs_client.webhooks import parse_webhook

    event = parse_webhook(json.dumps({"type": "pet.created", "data": pet_json()}).encode())
    assert isinstance(event, WebhookPetCreated) and isinstance(event.data, Pet)
    unknown = parse_webhook({"type": "pet.adopted", "data": {}})
    assert unknown == {"type": "pet.adopted", "data": {}}


def test_retries_are_opt_in_and_honour_retry_after(pkg: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import constructs_client._runtime as rt

    slept: list[float] = []
    monkeypatch.setattr(rt, "_sleep", slept.append)
    calls = iter([httpx.Response(503, headers={"retry-after": "2"}), httpx.Response(201, json=pet_json())])
    server = Server({("POST", "/pets"): lambda r: next(calls)})
    from constructs_client.models import Cat, PetCreate

    pet = client(pkg, server, retries=2).pets.create(PetCreate(name="Tom", animal=Cat(lives=1)))
    assert pet.name == "Tom" and slept == [2.0]
    with pytest.raises(pkg.errors.InternalServerError):
        client(pkg, Server({("POST", "/pets"): httpx.Response(503)})).pets.create(
            PetCreate(name="x", animal=Cat(lives=1))
        )
