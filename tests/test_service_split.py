"""No service module over a few thousand lines (issue 15.7): a tag of 400 operations is
split into part modules (mixin classes in `services/_<group>_part<n>.py`) that the group's
class inherits from, so the public API is unchanged. Checked on the generated package:
every module under 3,000 lines, `mypy --strict`, calls and `with_raw_response` and an
iterator from the last part (sync and async), importing the big service imports none of
another group's models, and a small group stays one module."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import strict_client

from generator.config import Job

CAP = 3000
OPERATIONS = 400
MODELS = 20


def op(i: int) -> dict[str, Any]:
    return {
        "operationId": f"getThing{i}",
        "tags": ["things"],
        "summary": f"Get thing {i}",
        "description": "Reads one thing. " * 8,
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "q", "in": "query", "description": "A filter.", "schema": {"type": "string"}},
            {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Thing{i % MODELS}"}}},
            },
            "404": {
                "description": "missing",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
            },
        },
    }


def spec() -> dict[str, Any]:
    paths: dict[str, Any] = {f"/things{i}/{{id}}": {"get": op(i)} for i in range(OPERATIONS)}
    paths["/listing"] = {
        "get": {
            "operationId": "listThings",
            "tags": ["things"],
            "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["items"],
                                "properties": {
                                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Thing0"}}
                                },
                            }
                        }
                    },
                }
            },
        }
    }
    paths["/others"] = {
        "get": {
            "operationId": "getOther",
            "tags": ["others"],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Other"}}},
                }
            },
        }
    }
    schemas: dict[str, Any] = {
        f"Thing{n}": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "n": {"type": "integer"}},
        }
        for n in range(MODELS)
    }
    schemas["Problem"] = {"type": "object", "properties": {"detail": {"type": "string"}}}
    schemas["Other"] = {"type": "object", "properties": {"name": {"type": "string"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Big", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    (folder / "spec.json").write_text(json.dumps(spec()), "utf-8")
    return folder


@pytest.fixture(scope="module")
def pkg(out: Path) -> Any:
    return strict_client(out, "big_client", Job(out / "spec.json", out, "big_client"))


def test_no_module_over_the_cap_and_small_groups_stay_whole(pkg: Any, out: Path) -> None:
    services = out / "big_client" / "services"
    sizes = {p.name: p.read_text("utf-8").count("\n") for p in services.glob("*.py")}
    parts = sorted(name for name in sizes if name.startswith("_things_part"))
    assert len(parts) >= 5, sizes
    assert max(sizes.values()) < CAP, sizes
    assert "others.py" in sizes and not any(n.startswith("_others_part") for n in sizes)
    # the whole tag would have been far over the cap
    assert sum(sizes[n] for n in parts) > 4 * CAP


def server(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/listing":
            page = int(request.url.params["page"])
            return httpx.Response(200, json={"items": [{"id": f"p{page}"}] if page <= 2 else []})
        if request.url.path.startswith("/things399/"):
            return httpx.Response(404, json={"detail": "gone"})
        return httpx.Response(200, json={"id": request.url.path.rsplit("/", 1)[-1], "n": 1}, headers={"X-Id": "r1"})

    return httpx.MockTransport(handle)


def test_the_client_works_across_parts(pkg: Any) -> None:
    seen: list[httpx.Request] = []
    client = pkg.Client(http_client=httpx.Client(transport=server(seen)))
    things = client.things
    assert isinstance(things, pkg.services.things.ThingsService)
    assert things.get_thing0("a").id == "a" and things.get_thing398("b", q="x", x_trace="t").id == "b"
    assert seen[-1].url.params["q"] == "x" and seen[-1].headers["x-trace"] == "t"
    raw = things.with_raw_response.get_thing250("c")
    assert (raw.status_code, raw.headers["x-id"], raw.parsed.id) == (200, "r1", "c")
    with pytest.raises(pkg.errors.NotFoundError):
        things.get_thing399("d")
    assert [t.id for t in things.iter_list_things()] == ["p1", "p2"]
    assert client.others is not None

    async def main() -> tuple[str, str]:
        async with pkg.AsyncClient(http_client=httpx.AsyncClient(transport=server([]))) as aclient:
            one = await aclient.things.get_thing397("e")
            raw = await aclient.things.with_raw_response.get_thing1("f")
            return one.id, raw.parsed.id

    assert asyncio.run(main()) == ("e", "f")


def test_importing_the_big_service_imports_only_its_models(pkg: Any, out: Path) -> None:
    code = textwrap.dedent(
        """\
        import sys
        import big_client.services.things
        models = sorted(m for m in sys.modules if m.startswith("big_client.models."))
        print(len(models), any(m.endswith(".other") for m in models))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    count, other = proc.stdout.split()
    assert (int(count), other) == (MODELS + 2, "False")  # the things, Problem, the listing's page; not Other
