"""Raw responses (issue 15.2): `client.<group>.with_raw_response.<op>(...)`, sync and async,
returns status_code, headers and the parsed value, typed (checked with mypy --strict)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.config import Job
from generator.pipeline import generate
from generator.write import write_package

SPEC = textwrap.dedent(
    """\
    openapi: 3.1.0
    info: {title: Pets, version: "1"}
    servers: [{url: "https://api.example.com"}]
    paths:
      /pets:
        post:
          operationId: createPet
          tags: [pets]
          requestBody:
            required: true
            content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
          responses:
            "201":
              description: created
              content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
        delete:
          operationId: clearPets
          tags: [pets]
          responses: {"204": {description: gone}, "404": {description: none}}
    components:
      schemas:
        Pet:
          type: object
          required: [name]
          properties: {name: {type: string}}
    """
)


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("raw")
    (out / "spec.yaml").write_text(SPEC, "utf-8")
    write_package(out, "raw_client", generate(Job(out / "spec.yaml", out, "raw_client"), run_validator=False).files)
    (out / "use.py").write_text(
        textwrap.dedent(
            """\
            from raw_client import AsyncClient, Client, RawResponse
            from raw_client.models import Pet


            def sync(client: Client) -> int:
                r: RawResponse[Pet] = client.pets.with_raw_response.create_pet(Pet(name="a"))
                none: RawResponse[None] = client.pets.with_raw_response.clear_pets()
                return r.status_code + len(r.parsed.name) + len(r.headers) + (none.parsed is None)


            async def run(client: AsyncClient) -> str:
                r = await client.pets.with_raw_response.create_pet(Pet(name="a"))
                return r.parsed.name
            """
        ),
        "utf-8",
    )
    (out / "misuse.py").write_text(
        "from raw_client import Client\nfrom raw_client.models import Pet\n\n"
        "def f(client: Client) -> int:\n    return client.pets.with_raw_response.create_pet(Pet(name='a')).parsed\n",
        "utf-8",
    )
    sys.path.insert(0, str(out))
    import raw_client

    raw_client.__dict__["_out"] = out
    return raw_client


def mypy(folder: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *targets],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )


def handler(request: httpx.Request) -> httpx.Response:
    if request.method == "DELETE":
        return httpx.Response(204, headers={"x-request-id": "del"})
    return httpx.Response(201, json={"name": "Tom"}, headers={"x-ratelimit-remaining": "41"})


def test_sync_raw_response(pkg: Any) -> None:
    from raw_client.models import Pet

    client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    r = client.pets.with_raw_response.create_pet(Pet(name="Tom"))
    assert isinstance(r, pkg.RawResponse)
    assert (r.status_code, r.headers["x-ratelimit-remaining"], r.parsed) == (201, "41", Pet(name="Tom"))
    empty = client.pets.with_raw_response.clear_pets()
    assert (empty.status_code, empty.headers["x-request-id"], empty.parsed) == (204, "del", None)
    assert client.pets.create_pet(Pet(name="Tom")) == Pet(name="Tom")  # the plain call is unchanged


def test_async_raw_responses_do_not_mix(pkg: Any) -> None:
    from raw_client.models import Pet

    async def slow(request: httpx.Request) -> httpx.Response:
        tag = request.headers["x-tag"]
        await asyncio.sleep(0.05 if tag == "a" else 0)  # `a` finishes after `b`
        return httpx.Response(201, json={"name": tag}, headers={"x-echo": tag})

    async def main() -> list[Any]:
        async with pkg.AsyncClient(http_client=httpx.AsyncClient(transport=httpx.MockTransport(slow))) as client:
            calls = [
                client.pets.with_raw_response.create_pet(Pet(name="x"), request_options={"headers": {"X-Tag": tag}})
                for tag in "ab"
            ]
            return list(await asyncio.gather(*calls))

    results = asyncio.run(main())
    assert [(r.headers["x-echo"], r.parsed.name) for r in results] == [("a", "a"), ("b", "b")]


def test_errors_still_raise_with_status(pkg: Any) -> None:
    from raw_client import errors

    def not_found(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, headers={"x-request-id": "r1"})

    client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(not_found)))
    with pytest.raises(errors.NotFoundError) as caught:
        client.pets.with_raw_response.clear_pets()
    assert caught.value.status_code == 404 and caught.value.headers["x-request-id"] == "r1"


def test_raw_response_is_typed(pkg: Any) -> None:
    out = pkg.__dict__["_out"]
    ok = mypy(out, "raw_client", "use.py")
    assert ok.returncode == 0, ok.stdout
    wrong = mypy(out, "misuse.py")
    assert wrong.returncode == 1 and 'Incompatible return value type (got "Pet", expected "int")' in wrong.stdout, (
        wrong.stdout
    )
