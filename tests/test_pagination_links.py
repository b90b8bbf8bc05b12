"""Pagination by URLs the server names (issue 15.5, last items): a `next` URL in the body
(`links.next`, `_links.next.href`, `@odata.nextLink`) and RFC 8288 `Link` headers, from
the schema alone and by a per-job override. The iterators run, sync and async, against a
real local server (tests/paging_server.py, its own process, stopped by PID): relative and
absolute next URLs, several links in one header, the server's query replacing the call's,
per-call options and credentials on every page, a next URL on another origin refused
before anything is sent, a page named twice refused, a query API key set on the next URL,
two iterators interleaved. mypy --strict on the client."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import ServerProcess, get_operation_yaml, strict_client

from generator.builder import build_api
from generator.config import Job
from generator.load import load
from generator.normalize import Spec

SERVER_SCRIPT = Path(__file__).parent / "paging_server.py"
ITEMS = "{type: array, items: {$ref: '#/components/schemas/Thing'}}"
NEXT = "{type: [string, 'null'], format: uri}"


def op(path: str, op_id: str, response: str, *, params: str = "[]", headers: str = "") -> str:
    return get_operation_yaml(path, op_id, params, response, headers)


GITHUB_PARAMS = (
    "[{name: per_page, in: query, schema: {type: integer}}, {name: page, in: query, schema: {type: integer}}]"
)
LINK = "headers: {Link: {schema: {type: string}}}"
SPEC = (
    'openapi: 3.1.0\ninfo: {title: Links, version: "1"}\nservers: [{url: "https://api.example.com"}]\n'
    "security: [{bearer: []}]\npaths:\n"
    + op("/links", "listLinks", ITEMS, params=GITHUB_PARAMS, headers=LINK)
    + op(
        "/body",
        "listBody",
        "{type: object, required: [data], properties: {data: " + ITEMS + ", links: {type: object, properties: "
        "{next: " + NEXT + "}}}}",
        params="[{name: q, in: query, schema: {type: string}}]",
    )
    + op("/evil", "listEvil", "{$ref: '#/components/schemas/Page'}")
    + op("/loop", "listLoop", "{$ref: '#/components/schemas/Page'}")
    + op(
        "/hal",
        "listHal",
        "{type: object, required: [data], properties: {data: " + ITEMS + ", _links: {type: object, properties: "
        "{next: {type: object, required: [href], properties: {href: {type: string}}}}}}}",
    )
    + op(
        "/odata",
        "listOdata",
        "{type: object, required: [value], properties: {value: " + ITEMS + ", '@odata.nextLink': {type: string}}}",
    )
    + op(
        "/custom",
        "custom",
        "{type: object, required: [rows], properties: {rows: " + ITEMS + ", more_at: {type: string}}}",
    )
    + op("/report", "report", "{type: object, properties: {next: {type: string}}}")
    + op("/keyed", "listKeyed", "{$ref: '#/components/schemas/Page'}").replace(
        "tags: [things]", "tags: [things]\n      security: [{key: []}]"
    )
    + textwrap.dedent(
        """\
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
            key: {type: apiKey, in: query, name: api_key}
          schemas:
            Thing: {type: object, required: [id], properties: {id: {type: string}}}
            Page:
              type: object
              required: [data]
              properties:
                data: {type: array, items: {$ref: '#/components/schemas/Thing'}}
                links: {type: object, properties: {next: {type: [string, 'null']}}}
        """
    )
)
OVERRIDES = {"custom": {"type": "next-url", "items": "rows", "next": "more_at"}}


def test_kinds_in_the_ir(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SPEC, "utf-8")
    api, warnings = build_api(Spec(load(tmp_path / "s.yaml")), pagination=OVERRIDES)
    found = {o.name: o.pagination for o in api.operations}
    links = found["list_links"]
    assert links is not None and (links.kind, links.items_field, links.page_param) == ("link_header", "", "")
    assert [(k, found[k].kind, found[k].next_path) for k in ("list_body", "list_hal", "list_odata", "custom")] == [
        ("list_body", "next_url", ("links", "next")),
        ("list_hal", "next_url", ("links", "next", "href")),
        ("list_odata", "next_url", ("odata_next_link",)),
        ("custom", "next_url", ("more_at",)),
    ]
    assert found["report"] is None  # a `next` field without a list of items
    assert not [w for w in warnings if "looks paginated" in w.message]


def test_link_header_wins_over_page_parameters_and_next_needs_a_uri_beside_a_cursor(tmp_path: Path) -> None:
    """GitHub's shape (array + per_page/page + Link) is link_header, not page numbers; an
    object with page parameters and a Link header too. A bare `next` string beside a
    cursor parameter is the cursor's next value, not a URL, unless it is `format: uri`."""
    page_obj = "{type: object, required: [items], properties: {items: " + ITEMS + ", total_count: {type: integer}}}"
    cursor_page = "{type: object, required: [data], properties: {data: " + ITEMS + ", next: {type: string}}}"
    spec = SPEC.split("paths:\n")[0] + "paths:\n"
    spec += op("/a", "a", page_obj, params=GITHUB_PARAMS, headers=LINK)
    spec += op("/b", "b", cursor_page, params="[{name: cursor, in: query, schema: {type: string}}]")
    spec += op(
        "/c",
        "c",
        cursor_page.replace("next: {type: string}", "next: {type: string, format: uri}"),
        params="[{name: cursor, in: query, schema: {type: string}}]",
    )
    spec += "components:\n  securitySchemes: {bearer: {type: http, scheme: bearer}}\n  schemas:\n"
    spec += "    Thing: {type: object, required: [id], properties: {id: {type: string}}}\n"
    (tmp_path / "s.yaml").write_text(spec, "utf-8")
    api, warnings = build_api(Spec(load(tmp_path / "s.yaml")))
    found = {o.name: o.pagination for o in api.operations}
    assert found["a"] is not None and (found["a"].kind, found["a"].items_field) == ("link_header", "items")
    assert found["b"] is None
    assert found["c"] is not None and (found["c"].kind, found["c"].next_path) == ("next_url", ("next",))
    (warning,) = [w for w in warnings if "looks paginated" in w.message]
    assert warning.location.pointer == "#/paths/~1b/get"


def test_a_negotiated_listing_is_not_paged(tmp_path: Path) -> None:
    """GitHub's starred-repositories listing answers one of two JSON media types, each a
    list of a different model: no iterator (its items have no single type), a warning."""
    spec = SPEC.replace(
        "content: {application/json: {schema: " + ITEMS + "}}",
        "content: {application/json: {schema: " + ITEMS + "}, application/vnd.x+json: {schema: {type: array, items: "
        "{type: string}}}}",
    )
    (tmp_path / "s.yaml").write_text(spec, "utf-8")
    api, warnings = build_api(Spec(load(tmp_path / "s.yaml")))
    assert next(o for o in api.operations if o.name == "list_links").pagination is None
    (warning,) = [w for w in warnings if "looks paginated" in w.message]
    assert "several media types (application/json, application/vnd.x+json)" in warning.message


def test_override_errors_are_warnings(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SPEC, "utf-8")
    bad = {"custom": {"type": "next-url", "items": "rows", "next": "nowhere"}, "listLinks": {"type": "link-header"}}
    api, warnings = build_api(Spec(load(tmp_path / "s.yaml")), pagination=bad)
    found = {o.name: o.pagination for o in api.operations}
    assert found["custom"] is None and found["list_links"] is not None
    (warning,) = [w for w in warnings if "looks paginated" in w.message]
    assert "no string field 'nowhere'" in warning.message


def test_parse_links_grammar(pkg: Any) -> None:
    from links_client import _pages

    header = (
        '<https://x.test/a?b=1,2>; rel="first"; title="x, <y>; \\"z\\"", '
        '<https://x.test/p2>;REL="Next  Last";rel=prev, bogus, <https://x.test/p3>; rel=next'
    )
    assert _pages.parse_links([header]) == [
        ("https://x.test/a?b=1,2", {"rel": "first", "title": 'x, <y>; "z"'}),
        ("https://x.test/p2", {"rel": "Next  Last"}),  # the first `rel` counts
        ("https://x.test/p3", {"rel": "next"}),
    ]
    assert _pages.next_link(httpx.Headers([("Link", '<a>; rel="prev"'), ("Link", header)])) == "https://x.test/p2"
    assert _pages.next_link(httpx.Headers({"Link": '<https://x.test/1>; rel="nextish"'})) is None
    assert _pages.parse_links(['<unterminated; rel=next, <ok>; rel="next"']) == []  # no `>` closes it
    assert _pages.parse_links(['<a>; rel="open, <b>; rel=next']) == []  # an unterminated quote


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("links")
    (out / "spec.yaml").write_text(SPEC, "utf-8")
    paging = tuple((o, tuple(sorted(v.items()))) for o, v in OVERRIDES.items())
    return strict_client(out, "links_client", Job(out / "spec.yaml", out, "links_client", pagination=paging))


class Server(ServerProcess):
    def __init__(self) -> None:
        super().__init__(SERVER_SCRIPT)

    def log(self) -> list[dict[str, Any]]:
        """The requests received since the last call."""
        data: list[dict[str, Any]] = httpx.get(f"{self.url}/log", timeout=5).json()
        httpx.delete(f"{self.url}/log", timeout=5).raise_for_status()
        return data

    def targets(self) -> list[str]:
        """The request targets received since the last call."""
        return [r["target"] for r in self.log()]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server()
    try:
        yield srv
    finally:
        srv.stop()


def test_link_headers_are_followed(pkg: Any, server: Server) -> None:
    server.log()
    with pkg.Client("tok", base_url=server.url, timeout=10) as client:
        opts = {"headers": {"X-Trace": "t1"}, "retries": 2}
        ids = [t.id for t in client.things.iter_list_links(per_page=1, request_options=opts)]
    assert ids == ["links1", "links2", "links3"]
    log = server.log()
    assert [r["target"] for r in log] == ["/links?per_page=1", "/links?page=2&per_page=1", "/links?page=3&per_page=1"]
    assert all(r["authorization"] == "Bearer tok" and r["x-trace"] == "t1" for r in log)


def test_next_urls_in_the_body_are_followed(pkg: Any, server: Server) -> None:
    server.log()
    with pkg.Client("tok", base_url=server.url, timeout=10) as client:
        opts = {"headers": {"X-Trace": "t2"}}
        assert [t.id for t in client.things.iter_list_body(q="x", request_options=opts)] == ["body1", "body2", "body3"]
        # the server's query replaces the call's (`q` is not added to the next URL)
        assert [r["target"] for r in server.log()] == ["/body?q=x", "/body?cursor=2", "/body?cursor=3"]
        assert [t.id for t in client.things.iter_list_hal()] == ["hal1", "hal2"]
        assert [t.id for t in client.things.iter_list_odata()] == ["odata1", "odata2"]
    log = server.log()
    assert all(r["authorization"] == "Bearer tok" for r in log) and len(log) == 4


def test_a_query_api_key_is_set_on_the_next_url_and_iterators_interleave(pkg: Any, server: Server) -> None:
    """The next URL carries a stale `api_key`: the client's own replaces it (never two).
    Two iterators advanced in turn each follow their own URLs (the next URL is set for
    one call at a time)."""
    server.log()
    with pkg.Client("tok", key="k", base_url=server.url, timeout=10) as client:
        assert [t.id for t in client.things.iter_list_keyed()] == ["keyed1", "keyed2"]
        assert [r["target"] for r in server.log()] == ["/keyed?api_key=k", "/keyed?api_key=k&cursor=2"]
        pairs = list(zip(client.things.iter_list_body(), client.things.iter_list_links(per_page=1), strict=True))
    assert [(a.id, b.id) for a, b in pairs] == [("body1", "links1"), ("body2", "links2"), ("body3", "links3")]


def test_another_origin_is_refused_before_sending(pkg: Any, server: Server) -> None:
    server.log()
    with pkg.Client("tok", base_url=server.url, timeout=10) as client:
        seen: list[str] = []
        with pytest.raises(pkg.errors.PaginationError) as caught:
            for thing in client.things.iter_list_evil():
                seen.append(thing.id)
    assert seen == ["evil1"]  # the first page's items arrive; the next page is never asked for
    assert str(caught.value) == (
        f"the next page is on http://localhost:{server.port}, not on the configured server "
        f"(http://127.0.0.1:{server.port}): not followed (credentials are only sent to the configured server)"
    )
    assert [r["host"] for r in server.log()] == [f"127.0.0.1:{server.port}"]


def test_a_page_named_twice_stops(pkg: Any, server: Server) -> None:
    server.log()  # what an earlier test left (the order varies across xdist workers)
    with pkg.Client("tok", base_url=server.url, timeout=10) as client:
        with pytest.raises(pkg.errors.PaginationError, match="already fetched"):
            list(client.things.iter_list_loop())
    assert [r["target"] for r in server.log()] == ["/loop", "/loop?cursor=1"]


def test_async_follows_and_refuses_too(pkg: Any, server: Server) -> None:
    async def main() -> tuple[list[str], list[str], list[str]]:
        async with pkg.AsyncClient("tok", base_url=server.url, timeout=10) as client:
            links = [t.id async for t in client.things.iter_list_links(per_page=1)]
            body = [t.id async for t in client.things.iter_list_body()]
            evil: list[str] = []
            with pytest.raises(pkg.errors.PaginationError, match="not on the configured server"):
                async for thing in client.things.iter_list_evil():
                    evil.append(thing.id)
            return links, body, evil

    server.log()
    assert asyncio.run(main()) == (["links1", "links2", "links3"], ["body1", "body2", "body3"], ["evil1"])
    assert all(r["host"] == f"127.0.0.1:{server.port}" for r in server.log())
