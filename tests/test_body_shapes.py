"""Request bodies the Python and Go clients got wrong, found by running every operation's
Python and Go docs samples against one recording server (APIs.guru specs):

- a binary string schema (noosh's file upload, jira's attachments): the Python method
  took bytes and sent a multipart body with no part, dropping the caller's data
  silently; the Go method sent the bytes as a JSON string under application/json. Now
  both take a mapping of part names to values, with a warning at generation, and a
  Python caller passing bytes gets a TypeError instead of an empty request;
- a `oneOf` of objects (zoom's settings): the Python client sent no part at all, the Go
  client sent JSON; now the parts of every variant are known and the instance's own
  are sent;
- multipart/mixed (any multipart type but form-data): httpx takes the boundary from a
  multipart/form-data Content-Type only, so the header named one boundary and the body
  used another, which no server can parse; the Go client sent multipart/form-data;
- a `*/*` body with a schema (Kubernetes' create and replace operations): the Go method
  took bytes and sent them as application/octet-stream, which the API server refuses;
  it now takes the typed value and sends JSON, as the Python client sends a model.

Checked through Starlette's own multipart parser (tests/wire_echo_server.py) and, for
Go, against the Python client's bytes (tests/go/body_parity)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import mypy_error_lines, strict_client
from test_go_target import _unbound, go_toolchain

from generator.builder import build_api
from generator.config import Job
from generator.ir import model as m
from generator.ir import types as t
from generator.load import load
from generator.normalize import Spec

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parent.parent
OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}


def _op(op_id: str, media: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "operationId": op_id,
            "tags": ["files"],
            "requestBody": {"required": True, "content": {media: {"schema": schema}}},
            "responses": OK,
        }
    }


FORM = "multipart/form-data"
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "mpshapes", "version": "1"},
    "paths": {
        "/bin": _op("upload_bin", FORM, {"type": "string", "format": "binary"}),
        "/list": _op("upload_list", FORM, {"type": "array", "items": {"type": "string"}}),
        # peertube's studio edit: an array of tasks as a form body (the method took a list,
        # and the client refused every call: "a form body is a mapping of fields")
        "/form-list": _op(
            "form_list",
            "application/x-www-form-urlencoded",
            {"type": "array", "items": {"$ref": "#/components/schemas/B"}},
        ),
        "/union": _op(
            "union", FORM, {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]}
        ),
        "/named-union": _op("named_union", FORM, {"$ref": "#/components/schemas/AOrB"}),
        "/mixed": _op("mixed", "multipart/mixed", {"$ref": "#/components/schemas/A"}),
        "/free": _op("free", FORM, {"type": "object"}),
        "/typed": _op("typed_any", "*/*", {"$ref": "#/components/schemas/A"}),
        "/star": {  # an answer documented as `*/*` with a JSON schema (rumble, zeno): Go asked for `*/*`
            "get": {
                "operationId": "star",
                "tags": ["files"],
                "responses": {"200": {"description": "ok", "content": {"*/*": {"schema": {"type": "object"}}}}},
            }
        },
        "/xml": {  # a charset is not asked for (opensuse's `application/xml; charset=utf-8`)
            "get": {
                "operationId": "xml",
                "tags": ["files"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/xml; charset=utf-8": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/times": {  # pandascore's `range[modified_at]`: the Go sample's []time.Time needs "time"
            "get": {
                "operationId": "times",
                "tags": ["files"],
                "parameters": [
                    {
                        "name": "at",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string", "format": "date-time"}},
                        "example": ["2025-10-15T13:52:12Z"],
                    }
                ],
                "responses": OK,
            }
        },
    },
    "components": {
        "schemas": {
            "A": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "file": {"type": "string", "format": "binary"}},
            },
            "AOrB": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]},
            "B": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}, "note": {"type": "string"}},
            },
        }
    },
}


def _spec_file(tmp: Path) -> Path:
    path = tmp / "spec.json"
    path.write_text(json.dumps(SPEC, indent=1), "utf-8")
    return path


def test_the_ir_names_the_parts_or_takes_a_mapping(tmp_path: Path) -> None:
    api, warnings = build_api(Spec(load(_spec_file(tmp_path))))
    bodies = {op.name: op.body.media[0] for op in api.operations if op.body}
    mapping = t.Map(t.AnyType())
    assert bodies["upload_bin"].type == mapping and bodies["upload_list"].type == mapping
    assert bodies["form_list"].type == mapping
    assert isinstance(bodies["free"].type, (t.Map, t.AnyType))  # an open object: the caller's keys, as before
    union = bodies["union"]
    assert isinstance(union.type, t.Union)
    assert isinstance(union.encoding, m.MultipartBody)
    assert [(p.json_name, p.kind) for p in union.encoding.parts] == [
        ("name", "text"),
        ("file", "file"),
        ("id", "text"),
        ("note", "text"),
    ]
    said = [str(w) for w in warnings if "has no named properties" in str(w)]
    assert len(said) == 3
    assert "#/paths/~1bin/post/requestBody/content/multipart~1form-data/schema" in said[0]
    assert "a binary string" in said[0] and "an array" in said[1]
    assert "~1form-list" in said[2] and "an array" in said[2] and "a mapping of field names to values" in said[2]
    assert not [w for w in warnings if "form body that is not an object" in str(w)]  # said once


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("bodyshapes")
    return strict_client(out, "mpshapes", Job(_spec_file(out), out, "mpshapes"))


def _file(size: int) -> dict[str, Any]:
    import hashlib

    data = b"x" * size
    return {
        "filename": "file",
        "content_type": "application/octet-stream",
        "size": size,
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def test_a_binary_schema_is_sent_as_the_parts_the_caller_names(pkg: Any, server: str) -> None:
    client = pkg.Client(base_url=server)
    echoed = client.files.upload_bin({"file": b"x" * 5, "kind": "photo"})
    assert echoed["content_type"].startswith("multipart/form-data; boundary=")
    assert echoed["form"] == [["file", _file(5)], ["kind", "photo"]]
    with pytest.raises(TypeError, match="a multipart body is a mapping of part names"):
        client.files.upload_bin(b"x" * 5)


def test_a_form_body_without_named_fields_sends_the_fields_the_caller_names(pkg: Any, server: str) -> None:
    client = pkg.Client(base_url=server)
    echoed = client.files.form_list({"tasks": [{"name": "cut", "options": {"start": 1}}]})
    assert echoed["content_type"] == "application/x-www-form-urlencoded"
    assert echoed["form"] == [["tasks[0][name]", "cut"], ["tasks[0][options][start]", "1"]]


def test_mypy_takes_the_mapping_the_form_body_is(pkg: Any, tmp_path: Path) -> None:
    code = (
        "from mpshapes import Client\n"
        "Client().files.form_list({'tasks': [{'name': 'cut'}]})\n"
        "Client().files.form_list([{'id': 1}])\n"
    )
    assert mypy_error_lines(pkg, tmp_path / "user.py", code) == ["3"]


def test_a_union_of_objects_sends_the_parts_of_its_variant(pkg: Any, server: str) -> None:
    client = pkg.Client(base_url=server)
    assert client.files.union(pkg.models.B(id=7, note="n"))["form"] == [["id", "7"], ["note", "n"]]
    got = client.files.union(pkg.models.A(name="a", file=b"x" * 3))["form"]
    assert got == [["name", "a"], ["file", _file(3)]]


def test_multipart_mixed_carries_the_boundary_its_body_uses(pkg: Any, server: str) -> None:
    echoed = pkg.Client(base_url=server).files.mixed(pkg.models.A(name="a", file=b"x" * 4))
    assert echoed["content_type"].startswith("multipart/mixed; boundary=")
    assert echoed["form"] == [["name", "a"], ["file", _file(4)]]

    async def run() -> dict[str, Any]:
        async with pkg.AsyncClient(base_url=server) as client:
            result: dict[str, Any] = await client.files.mixed(pkg.models.A(name="b"))
            return result

    echoed = asyncio.run(run())
    assert echoed["content_type"].startswith("multipart/mixed; boundary=")
    assert echoed["form"] == [["name", "b"]]


def _python_requests(pkg: Any) -> list[dict[str, str]]:
    import httpx

    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(
            {
                "method": request.method,
                "target": request.url.raw_path.decode("ascii"),
                "content_type": request.headers.get("content-type", ""),
                "accept": request.headers.get("accept", ""),
                "body": request.read().decode("utf-8"),
            }
        )
        return httpx.Response(200, json={})

    client = pkg.Client(base_url="http://127.0.0.1", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client.files.upload_bin({"file": b"abc"})
    client.files.free({"a": "1", "b": {"c": 2}})
    client.files.mixed(pkg.models.A(name="n"))
    client.files.typed_any(pkg.models.A(name="t"))
    client.files.star()
    client.files.xml()
    client.files.union(pkg.models.B(id=7, note="n"))
    client.files.union(pkg.models.A(name="a", file=b"xyz"))
    client.files.named_union(pkg.models.B(id=8))
    return [_unbound(r) for r in seen]


def test_go_samples_compile(go_toolchain: str, tmp_path: Path) -> None:
    from test_go_target import generate as generate_go
    from test_go_target import vet_samples

    spec = _spec_file(tmp_path)
    module = "example.com/mpshapes"
    sdk = generate_go(spec, tmp_path / "out", module)
    assert vet_samples(spec, sdk, module, tmp_path / "samples") == 11


def test_go_sends_the_bytes_python_sends(go_toolchain: str, pkg: Any, tmp_path: Path) -> None:
    from test_go_target import GO_TESTS, go_env, run, user_module
    from test_go_target import generate as generate_go

    module = "example.com/mpshapes"
    sdk = generate_go(_spec_file(tmp_path), tmp_path / "out", module)
    mod = user_module(tmp_path / "parity", "parity", sdk, module)
    shutil.copy(GO_TESTS / "body_parity" / "main.go", mod / "main.go")
    done = run([go_toolchain, "run", "."], mod, go_env(tmp_path))
    go = [_unbound(json.loads(line)) for line in done.stdout.splitlines()]
    python = _python_requests(pkg)
    assert len(go) == len(python) == 9
    assert [r["accept"] for r in go[4:6]] == ["application/json", "application/xml"]
    assert go[3]["content_type"] == "application/json" and json.loads(go[3]["body"]) == {"name": "t"}
    for g, p in zip(go, python):
        assert g == p
