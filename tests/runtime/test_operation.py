"""`_rt.Operation`: the static part of a request that a generated service module declares
once per operation, and `call`, which the sync and async methods pass it to."""

from __future__ import annotations

import asyncio
import importlib
from types import ModuleType
from typing import Any

import httpx
import pytest


@pytest.fixture(scope="module")
def w(rt: ModuleType) -> ModuleType:
    return importlib.import_module(rt.__name__.rpartition(".")[0] + "._wire")


def _sent(rt: ModuleType, op: Any, args: dict[str, Any], **kwargs: Any) -> list[httpx.Request]:
    """The requests a sync and an async core send for one `call` (both must agree)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    with rt.SyncClientCore(
        "tok",
        servers={"p": "https://api.example.com"},
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    ) as core:
        assert core.call(op, args, **kwargs) == {"ok": True}

    async def run() -> Any:
        client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        core = rt.AsyncClientCore("tok", servers={"p": "https://api.example.com"}, http_client=client)
        return await core.call(op, args, **kwargs)

    assert asyncio.run(run()) == {"ok": True}
    assert len(seen) == 2 and str(seen[0].url) == str(seen[1].url)
    return seen


def test_path_pieces_and_query_parameters_come_from_the_arguments(rt: ModuleType, w: ModuleType) -> None:
    op = rt.Operation(
        "GET",
        ("/v1/things/", rt.segment_param, "/parts/", rt.path_param, ".json"),
        rt.identity,
        query=("limit", w.q("tags", "pipeDelimited", False), w.qc("filter")),
        params=("thing_id", "part", "limit", "tags", "filter"),
    )
    args = {"self": object(), "thing_id": "a b", "part": "x/y", "limit": 5, "tags": ["a", "b"], "filter": {"k": 1}}
    (request, _) = _sent(rt, op, args)
    assert request.method == "GET"
    assert request.url.raw_path == b"/v1/things/a%20b/parts/x%2Fy.json?limit=5&tags=a%7Cb&filter=%7B%22k%22%3A1%7D"
    # each piece sends what the expression the generator wrote before sent
    expected = w.join_query(
        w.query("limit", 5), w.query("tags", ["a", "b"], "pipeDelimited", False), w.query_content("filter", {"k": 1})
    )
    assert request.url.query.decode() == expected


def test_left_out_query_parameters_and_no_parameters(rt: ModuleType) -> None:
    op = rt.Operation("DELETE", "/v1/x", rt.identity, query=("a", "b"), params=("a", "b"))
    (request, _) = _sent(rt, op, {"a": None, "b": None})
    assert request.url.raw_path == b"/v1/x"
    assert rt.Operation("GET", "/v1/y", rt.identity).target({}) == ("/v1/y", None)


def test_a_whole_segment_refuses_dot_dot(rt: ModuleType, w: ModuleType) -> None:
    for piece in (rt.segment_param, w.pp("id", "simple", False, True), w.pc("text/plain", True)):
        op = rt.Operation("GET", ("/v1/things/", piece), rt.identity, params=("id",))
        with pytest.raises(ValueError, match="another endpoint"):
            op.target({"id": ".."})
    # the same encoders inside a segment accept it
    assert rt.Operation("GET", ("/v1/t.", rt.path_param), rt.identity, params=("id",)).target({"id": ".."}) == (
        "/v1/t...",
        None,
    )


def test_label_and_matrix_styles_and_content(rt: ModuleType, w: ModuleType) -> None:
    op = rt.Operation(
        "GET",
        ("/v1/", w.pp("a", "label", True), "/", w.pp("b", "matrix", False, True), "/", w.pc()),
        rt.identity,
        params=("a", "b", "c"),
    )
    path, query = op.target({"a": ["x", "y"], "b": ["p", "q"], "c": {"k": "v"}})
    assert path == "/v1/" + w.path("a", ["x", "y"], "label", True) + "/" + w.path(
        "b", ["p", "q"], "matrix", False
    ) + "/" + w.path_content({"k": "v"})
    assert query is None


def test_using_keeps_everything_but_the_decoder(rt: ModuleType) -> None:
    op = rt.Operation(
        "POST",
        "/v1/x",
        rt.identity,
        "negotiated",
        accept="a/b",
        errors={404: rt.identity},
        security=(("s",),),
        query=("q",),
        params=("q",),
    )
    other = op.using(rt.ignore)
    assert other.decode is rt.ignore
    assert [
        getattr(other, f)
        for f in ("method", "path", "response_kind", "accept", "errors", "security", "query", "params")
    ] == [
        getattr(op, f) for f in ("method", "path", "response_kind", "accept", "errors", "security", "query", "params")
    ]


def test_call_sends_the_body_headers_and_options(rt: ModuleType) -> None:
    op = rt.Operation("POST", "/v1/x", rt.identity, security=())
    args = {"request_options": {"headers": {"X-Extra": "1"}}}
    (request, _) = _sent(rt, op, args, json={"a": 1}, headers={"X-H": "v"})
    assert request.content == b'{"a":1}'
    assert request.headers["X-H"] == "v" and request.headers["X-Extra"] == "1"
    assert "authorization" not in request.headers  # security=(): no credentials
