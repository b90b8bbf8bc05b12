"""Pagination without vendor extensions (issue 15.5), on small inline specs: page numbers
with or without a max page, offsets, cursors (next-cursor field; has_more + starting_after
with the last item's id), a per-job override, vendor extensions first, and a warning for
what looks paginated but cannot be wired. Driven through httpx.MockTransport, sync and
async, per-call options on every page; mypy --strict on the client."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import get_operation_yaml, strict_client

from generator.builder import build_api
from generator.config import Job
from generator.load import load
from generator.normalize import Spec

ITEM = '{$ref: "#/components/schemas/Thing"}'
SPEC = (
    'openapi: 3.1.0\ninfo: {title: Paging, version: "1"}\nservers: [{url: "https://api.example.com"}]\npaths:\n'
    + get_operation_yaml(
        "/pages",
        "byPage",
        "[{name: page, in: query, schema: {type: integer}}, {name: q, in: query, schema: {type: string}}]",
        "{type: object, required: [data, meta], properties: {data: {type: array, items: "
        + ITEM
        + "}, meta: {$ref: '#/components/schemas/Meta'}}}",
    )
    + get_operation_yaml(
        "/pages-open",
        "byPageOpen",
        "[{name: page, in: query, schema: {type: integer}}]",
        "{type: object, required: [items], properties: {items: {type: array, items: " + ITEM + "}}}",
    )
    + get_operation_yaml(
        "/offsets",
        "byOffset",
        "[{name: offset, in: query, schema: {type: integer}}, {name: limit, in: query, schema: {type: integer}}]",
        "{type: object, required: [results], properties: {results: {type: array, items: "
        + ITEM
        + "}, total: {type: integer}}}",
    )
    + get_operation_yaml(
        "/cursors",
        "byCursor",
        "[{name: cursor, in: query, schema: {type: string}}]",
        "{type: object, required: [data], properties: {data: {type: array, items: "
        + ITEM
        + "}, next_cursor: {type: [string, 'null']}}}",
    )
    + get_operation_yaml(
        "/after",
        "byLastId",
        "[{name: starting_after, in: query, schema: {type: string}}]",
        "{type: object, required: [data, has_more], properties: {data: {type: array, items: "
        + ITEM
        + "}, has_more: {type: boolean}}}",
    )
    + get_operation_yaml(
        "/custom",
        "custom",
        "[{name: from, in: query, schema: {type: string}}]",
        "{type: object, required: [entries_list], properties: {entries_list: {type: array, items: "
        + ITEM
        + "}, continue_at: {type: string}}}",
    )
    + get_operation_yaml(
        "/broken",
        "broken",
        "[{name: cursor, in: query, schema: {type: string}}]",
        "{type: object, required: [data], properties: {data: {type: array, items: " + ITEM + "}}}",
    )
    + textwrap.dedent(
        """\
        components:
          schemas:
            Thing: {type: object, required: [id], properties: {id: {type: string}}}
            Meta: {type: object, required: [max_page], properties: {max_page: {type: integer}}}
        """
    )
)
OVERRIDES = {"custom": {"type": "cursor", "param": "from", "items": "entries_list", "next": "continue_at"}}


def test_kinds_in_the_ir_and_the_warning(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SPEC, "utf-8")
    api, warnings = build_api(Spec(load(tmp_path / "s.yaml")), pagination=OVERRIDES)
    found = {op.name: op.pagination for op in api.operations}
    assert (found["by_page"].kind, found["by_page"].page_param, found["by_page"].max_page_path) == (
        "page",
        "page",
        ("meta", "max_page"),
    )
    assert (found["by_page_open"].kind, found["by_page_open"].max_page_path) == ("page", ())
    assert (found["by_offset"].kind, found["by_offset"].page_param, found["by_offset"].items_field) == (
        "offset",
        "offset",
        "results",
    )
    assert (found["by_cursor"].kind, found["by_cursor"].next_path) == ("cursor", ("next_cursor",))
    assert (found["by_last_id"].has_more_path, found["by_last_id"].cursor_item_field) == (("has_more",), "id")
    assert (found["custom"].page_param, found["custom"].next_path) == ("from_", ("continue_at",))
    assert found["broken"] is None
    (warning,) = [w for w in warnings if "looks paginated" in w.message]
    assert warning.location.pointer == "#/paths/~1broken/get"
    assert "'cursor' has no next-cursor field" in warning.message


def test_vendor_extension_keeps_priority(tmp_path: Path) -> None:
    spec = SPEC.replace(
        "operationId: byPageOpen",
        "operationId: byPageOpen\n      x-speakeasy-pagination: {type: offsetLimit, inputs: [{name: page, in: parameters, type: page}],"
        " outputs: {results: $.items, numPages: $.items}}",
    )
    (tmp_path / "s.yaml").write_text(spec, "utf-8")
    api, _ = build_api(Spec(load(tmp_path / "s.yaml")))
    (op,) = [op for op in api.operations if op.name == "by_page_open"]
    assert op.pagination is not None and op.pagination.max_page_path == ("items",)  # the extension's, not inferred


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("paging")
    (out / "spec.yaml").write_text(SPEC, "utf-8")
    paging = tuple((op, tuple(sorted(v.items()))) for op, v in OVERRIDES.items())
    return strict_client(out, "paging_client", Job(out / "spec.yaml", out, "paging_client", pagination=paging))


def thing(n: int) -> dict[str, str]:
    return {"id": f"t{n}"}


def server(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        q = request.url.params
        match request.url.path:
            case "/pages":
                page = int(q["page"])
                return httpx.Response(200, json={"data": [thing(page)], "meta": {"max_page": 3}})
            case "/pages-open":
                page = int(q["page"])
                return httpx.Response(200, json={"items": [thing(page)] if page <= 2 else []})
            case "/offsets":
                offset = int(q.get("offset", "0"))
                rows = [thing(i) for i in range(offset, min(offset + 2, 5))]
                return httpx.Response(200, json={"results": rows, "total": 5})
            case "/cursors":
                cursor = q.get("cursor", "")
                nxt = {"": "c1", "c1": "c2", "c2": None}[cursor]
                return httpx.Response(200, json={"data": [thing(len(cursor))], "next_cursor": nxt})
            case "/after":
                after = q.get("starting_after")
                start = 0 if after is None else int(after[1:]) + 1
                return httpx.Response(200, json={"data": [thing(start), thing(start + 1)], "has_more": start < 2})
            case "/custom":
                at = q.get("from")
                return httpx.Response(
                    200, json={"entries_list": [thing(9)], **({"continue_at": "z"} if at is None else {})}
                )
        raise AssertionError(request.url)

    return httpx.MockTransport(handle)


def test_every_kind_pages_through(pkg: Any) -> None:
    seen: list[httpx.Request] = []
    client = pkg.Client(http_client=httpx.Client(transport=server(seen)))
    opts = {"headers": {"X-Trace": "1"}}
    assert [t.id for t in client.things.iter_by_page(q="x", request_options=opts)] == ["t1", "t2", "t3"]
    assert all(r.headers["x-trace"] == "1" and r.url.params["q"] == "x" for r in seen)
    assert [t.id for t in client.things.iter_by_page_open()] == ["t1", "t2"]
    assert [t.id for t in client.things.iter_by_offset(limit=2)] == ["t0", "t1", "t2", "t3", "t4"]
    assert [r.url.params.get("offset") for r in seen[-4:]] == ["0", "2", "4", "5"]
    assert [t.id for t in client.things.iter_by_cursor()] == ["t0", "t2", "t2"]
    assert [t.id for t in client.things.iter_by_last_id()] == ["t0", "t1", "t2", "t3"]
    assert [r.url.params.get("starting_after") for r in seen[-2:]] == [None, "t1"]
    assert [t.id for t in client.things.iter_custom()] == ["t9", "t9"]
    assert not hasattr(client.things, "iter_broken")


def test_a_page_the_caller_names_is_the_first_one(pkg: Any) -> None:
    """`page=0` (a 0-based API) started at page 1: the first page was skipped, silently
    (`page or 1`); the Go client started where it was told."""
    seen: list[httpx.Request] = []
    client = pkg.Client(http_client=httpx.Client(transport=server(seen)))
    assert [t.id for t in client.things.iter_by_page_open(page=0)] == ["t0", "t1", "t2"]
    assert [r.url.params["page"] for r in seen] == ["0", "1", "2", "3"]
    assert [t.id for t in client.things.iter_by_page(page=2)] == ["t2", "t3"]


def test_async_pages_through(pkg: Any) -> None:
    async def main() -> list[str]:
        seen: list[httpx.Request] = []
        async with pkg.AsyncClient(http_client=httpx.AsyncClient(transport=server(seen))) as client:
            return [t.id async for t in client.things.iter_by_cursor()]

    assert asyncio.run(main()) == ["t0", "t2", "t2"]


def test_config_reads_and_checks_overrides(tmp_path: Path) -> None:
    from generator.config import load_jobs
    from generator.diagnostics import ConfigError

    base = '[[tool.sdkgen.jobs]]\nspec = "s.yaml"\noutput = "o"\npackage = "p"\n'
    (tmp_path / "pyproject.toml").write_text(
        base
        + '[tool.sdkgen.jobs.pagination]\ncustom = { type = "cursor", param = "from", items = "entries_list", next = "continue_at" }\n',
        "utf-8",
    )
    (job,) = load_jobs(tmp_path / "pyproject.toml")
    assert job.pagination_overrides() == OVERRIDES
    assert job.output_options()["pagination"] == OVERRIDES
    (tmp_path / "pyproject.toml").write_text(
        base + '[tool.sdkgen.jobs.pagination]\nx = { type = "links", param = "a", items = "b" }\n', "utf-8"
    )
    with pytest.raises(ConfigError, match="needs type"):
        load_jobs(tmp_path / "pyproject.toml")


def test_a_page_that_may_come_back_as_text_is_not_paged(tmp_path: Path) -> None:
    """A listing whose success response also offers a non-JSON media type (GitHub's
    compare-commits: JSON or a diff) gets no iterator, only a warning: its result may be
    text or bytes, which has no next page to read."""
    spec = textwrap.dedent(
        """\
        openapi: 3.1.0
        info: {title: T, version: "1"}
        paths:
          /things:
            get:
              operationId: list_things
              parameters: [{name: page, in: query, schema: {type: integer}}]
              responses:
                "200":
                  description: ok
                  content:
                    application/json: {schema: {$ref: "#/components/schemas/Page"}}
                    text/plain: {schema: {type: string}}
        components:
          schemas:
            Page:
              type: object
              required: [items]
              properties: {items: {type: array, items: {type: string}}}
        """
    )
    (tmp_path / "s.yaml").write_text(spec, "utf-8")
    api, warnings = build_api(Spec(load(tmp_path / "s.yaml")))
    assert api.operations[0].pagination is None
    (warning,) = [w for w in warnings if "looks paginated" in w.message]
    assert "not only JSON (application/json, text/plain)" in warning.message
