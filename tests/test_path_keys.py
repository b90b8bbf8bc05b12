"""Path keys holding a query string or a fragment (`/rest?method=x`, `/alerts?lat={lat}`,
AWS's `/#Action=List`, Azure's `/analyze#overload=url`): OpenAPI's keys are paths only,
but 339 of APIs.guru's specs carry them. They were percent-encoded into the path
(`/%23Action=List`, `/worker%3Fcmd=x`): every such request went to another endpoint.

Now the fragment is dropped (HTTP never sends one), each fixed `name=value` pair goes in
the query of every call, each `name={param}` sends that parameter as the query parameter
`name`; anything else leaves the operation out with a located error. Checked in the IR
and on the wire through the real Starlette echo server, sync and async."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import echo_server as _echo_server
from helpers import strict_client
from test_go_target import generate, go_env, go_toolchain, run, user_module

from generator.builder import build_api
from generator.builder.operations import split_path_key
from generator.config import Job
from generator.load import load
from generator.normalize import Spec

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}


def _q(name: str, schema: dict[str, Any], *, where: str = "query", required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "keys", "version": "1"},
    "paths": {
        "/rest?method=things.list&format=json": {
            "get": {"operationId": "listThings", "parameters": [_q("page", {"type": "integer"})], "responses": OK}
        },
        # weatherbit: the template's parameters declared `in: path`
        "/alerts?lat={lat}&lon={lon}": {
            "get": {
                "operationId": "alerts",
                "parameters": [
                    _q("lat", {"type": "number"}, where="path", required=True),
                    _q("lon", {"type": "number"}, where="path", required=True),
                    _q("units", {"type": "string"}),
                ],
                "responses": OK,
            }
        },
        # medium: declared `in: query` under another name than the key's
        "/search?q={query}": {
            "get": {"operationId": "search", "parameters": [_q("query", {"type": "string"})], "responses": OK}
        },
        # AWS query protocol: the fragment repeats what a declared parameter sends
        "/#Action=ListQueues": {
            "post": {
                "operationId": "listQueues",
                "parameters": [_q("Action", {"type": "string", "enum": ["ListQueues"]}, required=True)],
                "responses": OK,
            }
        },
        # Azure: two operations of one path told apart by a fragment
        "/analyze#overload=url": {
            "post": {
                "operationId": "analyzeUrl",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"type": "object", "properties": {"url": {"type": "string"}}}}
                    }
                },
                "responses": OK,
            }
        },
        "/analyze#overload=stream": {
            "post": {
                "operationId": "analyzeStream",
                "requestBody": {
                    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
                },
                "responses": OK,
            }
        },
        # opensuse: the key fixes a value a declared parameter would choose
        "/files/{name}?view=info": {
            "get": {
                "operationId": "fileInfo",
                "parameters": [
                    _q("name", {"type": "string"}, where="path", required=True),
                    _q("view", {"type": "string"}),
                ],
                "responses": OK,
            }
        },
        "/flags?raw&note=a%20b%26c": {"get": {"operationId": "flags", "responses": OK}},
        "/bad?range={a}-{b}": {
            "get": {
                "operationId": "bad",
                "parameters": [
                    _q("a", {"type": "string"}, where="path", required=True),
                    _q("b", {"type": "string"}, where="path", required=True),
                ],
                "responses": OK,
            }
        },
    },
}


for _item in SPEC["paths"].values():
    for _op in _item.values():
        _op["tags"] = ["keys"]


def test_split_path_key() -> None:
    assert split_path_key("/a/{b}") == ("/a/{b}", None, None)
    assert split_path_key("/a?x=1&y={y}") == ("/a", "x=1&y={y}", None)
    assert split_path_key("/#Action=List") == ("/", None, "Action=List")
    assert split_path_key("/a?x=1#f?g") == ("/a", "x=1", "f?g")
    assert split_path_key("/a?") == ("/a", "", None)


def _api(tmp_path: Path) -> tuple[Any, list[Any], Path]:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(SPEC, indent=1))
    api, warnings = build_api(Spec(load(path)))
    return api, warnings, path


def test_the_ir_reads_each_key(tmp_path: Path) -> None:
    api, warnings, path = _api(tmp_path)
    ops = {op.operation_id: op for op in api.operations}
    assert "bad" not in ops

    def shape(op_id: str) -> tuple[Any, ...]:
        op = ops[op_id]
        return op.path, op.fixed_query, [(p.json_name, p.location, p.required) for p in op.parameters]

    assert shape("listThings") == ("/rest", (("method", "things.list"), ("format", "json")), [("page", "query", False)])
    assert shape("alerts") == (
        "/alerts",
        (),
        [("lat", "query", True), ("lon", "query", True), ("units", "query", False)],
    )
    assert shape("search") == ("/search", (), [("q", "query", False)])
    assert shape("listQueues") == ("/", (), [("Action", "query", True)])
    assert shape("analyzeUrl")[:2] == shape("analyzeStream")[:2] == ("/analyze", ())
    assert shape("fileInfo") == ("/files/{name}", (("view", "info"),), [("name", "path", True)])
    assert shape("flags") == ("/flags", (("raw", None), ("note", "a b&c")), [])
    assert ops["flags"].target == "/flags?raw&note=a b&c"
    assert ops["listQueues"].key == "/#Action=ListQueues" and ops["alerts"].key == "/alerts?lat={lat}&lon={lon}"
    assert ops["alerts"].target == "/alerts" and ops["listThings"].target == "/rest?method=things.list&format=json"

    said = [str(w) for w in warnings]
    lines = path.read_text().splitlines()

    def line_of(text: str) -> int:
        return next(n for n, x in enumerate(lines, 1) if text in x)

    fragment = [w for w in said if "which HTTP never sends" in w]
    assert len(fragment) == 3  # once per path key, not per operation
    aws = line_of('"/#Action=ListQueues"')
    assert any(f":{aws} at #/paths/~1#Action=ListQueues:" in w and "sent to '/'" in w for w in fragment), fragment
    query = [w for w in said if "holds a query string" in w]
    assert len(query) == 6
    dropped = [w for w in said if "'view' is left out of the method" in w]
    assert len(dropped) == 1 and "fixes it to 'info'" in dropped[0]
    bad = [w for w in said if "left out of the client" in w]
    assert len(bad) == 1 and "'range={a}-{b}'" in bad[0] and "#/paths/~1bad?range={a}-{b}" in bad[0]


def test_strict_refuses_a_key_it_cannot_read(tmp_path: Path) -> None:
    _, _, path = _api(tmp_path)
    cmd = [sys.executable, "-m", "generator", "generate", str(path), "-o", str(tmp_path / "o"), "-p", "k", "--strict"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "neither a fixed `name=value` pair" in run.stderr


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("path_keys")
    spec = out / "keys.json"
    spec.write_text(json.dumps(SPEC))
    return strict_client(out, "path_keys_client", Job(spec, out, "path_keys_client"))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with _echo_server() as url:
        yield url


def _calls(pkg: Any, client: Any) -> list[tuple[str, Any]]:
    d = client.keys
    url_body = pkg.models.KeysAnalyzeUrlBody(url="u")
    return [
        ("listThings", lambda: d.list_things(page=2)),
        ("alerts", lambda: d.alerts(lat=1.5, lon=-2, units="m")),
        ("search", lambda: d.search(q="a&b c")),
        ("listQueues", lambda: d.list_queues()),  # `Action` has one value: the default
        ("analyzeUrl", lambda: d.analyze_url(body=url_body)),
        ("analyzeStream", lambda: d.analyze_stream(body=b"\x00\x01")),
        ("fileInfo", lambda: d.file_info("a b")),
        ("flags", lambda: d.flags()),
    ]


EXPECTED = {
    "listThings": ("GET", "/rest", [["method", "things.list"], ["format", "json"], ["page", "2"]]),
    "alerts": ("GET", "/alerts", [["lat", "1.5"], ["lon", "-2"], ["units", "m"]]),
    "search": ("GET", "/search", [["q", "a&b c"]]),
    "listQueues": ("POST", "/", [["Action", "ListQueues"]]),
    "analyzeUrl": ("POST", "/analyze", []),
    "analyzeStream": ("POST", "/analyze", []),
    "fileInfo": ("GET", "/files/a b", [["view", "info"]]),
    "flags": ("GET", "/flags", [["raw", ""], ["note", "a b&c"]]),
}


def test_each_call_reaches_the_path_with_its_query(pkg: Any, server: str) -> None:
    client = pkg.Client(base_url=server)
    for op_id, call in _calls(pkg, client):
        got = call()
        assert (got["method"], got["path"], got["query"]) == EXPECTED[op_id], op_id
    assert client.keys.analyze_url(body=pkg.models.KeysAnalyzeUrlBody(url="u"))["content_type"] == "application/json"
    assert client.keys.analyze_stream(body=b"\x00")["content_type"] == "application/octet-stream"


def test_async_calls_send_the_same(pkg: Any, server: str) -> None:
    async def main() -> list[Any]:
        async with pkg.AsyncClient(base_url=server) as client:
            d = client.keys
            return [
                await d.list_things(page=2),
                await d.alerts(lat=1.5, lon=-2, units="m"),
                await d.list_queues(),
                await d.flags(),
            ]

    got = asyncio.run(main())
    want = [EXPECTED[k] for k in ("listThings", "alerts", "listQueues", "flags")]
    assert [(g["method"], g["path"], g["query"]) for g in got] == want


def test_the_docs_and_overlay_name_the_request(pkg: Any) -> None:
    docs = Path(pkg.__file__).parent / "docs"
    page = next(docs.rglob("list_things.md")).read_text()
    assert "GET /rest?method=things.list&format=json" in page
    assert "%3F" not in page and "%23" not in page
    sample = next(docs.rglob("list_queues.md")).read_text().split("## Usage", 1)[1]
    assert "client.keys.list_queues()" in sample  # the constant is the method's default
    table = next(docs.rglob("list_queues.md")).read_text()
    assert '| `Action` (Python: `action`) | `"ListQueues"` (constant) | required | no | `"ListQueues"` |' in table


GO_MAIN = """\
package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	keys "example.com/keys"
	"example.com/keys/models/operations"
)

func main() {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.RequestURI)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	}))
	defer server.Close()
	s := keys.New(keys.WithServerURL(server.URL))
	ctx := context.Background()
	check := func(_ any, err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	check(s.Keys.ListThings(ctx, operations.KeysListThingsRequest{Page: keys.Int64(2)}))
	check(s.Keys.Alerts(ctx, operations.KeysAlertsRequest{Lat: 1.5, Lon: -2, Units: keys.String("m")}))
	check(s.Keys.ListQueues(ctx)) // Action has one value: always sent, no field
	check(s.Keys.FileInfo(ctx, "a b"))
	check(s.Keys.Flags(ctx))
}
"""

GO_TARGETS = [
    "GET /rest?method=things.list&format=json&page=2",
    "GET /alerts?lat=1.5&lon=-2&units=m",
    "POST /?Action=ListQueues",
    "GET /files/a%20b?view=info",
    "GET /flags?raw&note=a%20b%26c",
]


def test_python_sends_these_exact_targets(pkg: Any) -> None:
    import httpx

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.raw_path.decode('ascii')}")
        return httpx.Response(200, json={})

    client = pkg.Client(base_url="http://127.0.0.1", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    d = client.keys
    d.list_things(page=2)
    d.alerts(lat=1.5, lon=-2, units="m")
    d.list_queues(action="ListQueues")  # passing the only value still type-checks
    d.file_info("a b")
    d.flags()
    assert seen == GO_TARGETS


def test_go_sends_the_same_targets(go_toolchain: str, tmp_path: Path) -> None:
    spec = tmp_path / "keys.json"
    spec.write_text(json.dumps(SPEC))
    sdk = generate(spec, tmp_path / "out", "example.com/keys")
    mod = user_module(tmp_path / "main", "keysmain", sdk, "example.com/keys")
    (mod / "main.go").write_text(GO_MAIN)
    done = run([go_toolchain, "run", "."], mod, go_env(tmp_path))
    assert done.stdout.splitlines() == GO_TARGETS
