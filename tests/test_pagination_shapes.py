"""Pagination of common real shapes whose list of items is optional (QA of issue 15.5):
Azure `{value, nextLink}`, Google `pageToken` -> `{<things>, nextPageToken, unreachable}`,
Adyen `cursor` + `_links.next.href`, eBay `offset`/`limit` + `next` (and its documented
next-url override). A page without its items is an empty page. The Azure and Google
shapes run, sync and async, against tests/paging_server.py (its own process, stopped
by PID); mypy --strict on the client. A Go job takes the same overrides (its iterators
run in tests/go/shapes_behaviour, skipped without Go); an override naming no operation
of the spec is a config error (exit 2)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, get_operation_yaml, strict_client
from test_go_target import GO_TESTS, go_test, go_toolchain
from test_pagination_links import Server, server

from generator.builder import build_api
from generator.config import Job
from generator.ir.dump import dumps
from generator.load import load
from generator.normalize import Spec

__all__ = ["go_toolchain", "server"]  # fixtures shared with test_go_target, test_pagination_links

ITEMS = "{type: array, items: {$ref: '#/components/schemas/Thing'}}"
STRINGS = "{type: array, items: {type: string}}"
CURSOR = "[{name: cursor, in: query, schema: {type: string}}, {name: limit, in: query, schema: {type: integer}}]"
SPEC = (
    'openapi: 3.0.3\ninfo: {title: Shapes, version: "1"}\nservers: [{url: "https://api.example.com"}]\npaths:\n'
    # Azure: `value` (not required) and `nextLink`, no paging parameter
    + get_operation_yaml(
        "/azure",
        "Things_List",
        "[{name: api-version, in: query, schema: {type: string}}]",
        "{type: object, properties: {value: " + ITEMS + ", nextLink: {type: string, readOnly: true}}}",
    )
    # Google: `pageToken`, the items under the resource's plural beside a list of strings
    + get_operation_yaml(
        "/google",
        "things.list",
        "[{name: pageToken, in: query, schema: {type: string}}, {name: pageSize, in: query, schema: {type: integer}}]",
        "{type: object, properties: {things: "
        + ITEMS
        + ", nextPageToken: {type: string}, unreachable: "
        + STRINGS
        + "}}",
    )
    # Adyen: `cursor` parameter, the next page's URL at `_links.next.href`
    + get_operation_yaml(
        "/adyen",
        "get-transactions",
        CURSOR,
        "{type: object, properties: {_links: {$ref: '#/components/schemas/Links'}, data: " + ITEMS + "}}",
    )
    # eBay: `offset`/`limit`, a plain-string `next` (read as the offset kind unless overridden)
    + get_operation_yaml(
        "/ebay",
        "getDealItems",
        "[{name: offset, in: query, schema: {type: string}}, {name: limit, in: query, schema: {type: string}}]",
        "{type: object, properties: {dealItems: " + ITEMS + ", next: {type: string}, total: {type: integer}}}",
    )
    + get_operation_yaml(
        "/ebay-int",
        "getEvents",
        "[{name: offset, in: query, schema: {type: integer}}]",
        "{type: object, properties: {eventItems: " + ITEMS + ", total: {type: integer}}}",
    )
    # two lists of objects, neither a usual name: looks paginated, cannot tell the items
    + get_operation_yaml(
        "/two",
        "listTwo",
        CURSOR,
        "{type: object, properties: {left: " + ITEMS + ", right: " + ITEMS + ", next_cursor: {type: string}}}",
    )
    + textwrap.dedent("""\
        components:
          schemas:
            Thing: {type: object, required: [id], properties: {id: {type: string}}}
            Links: {type: object, properties: {next: {$ref: '#/components/schemas/Link'}}}
            Link: {type: object, properties: {href: {type: string}}}
        """)
)
EBAY = {"getDealItems": {"type": "next-url", "items": "dealItems", "next": "next"}}


def build(tmp_path: Path, overrides: dict[str, dict[str, str]] | None = None) -> tuple[dict[str, Any], list[str]]:
    (tmp_path / "s.yaml").write_text(SPEC, "utf-8")
    api, warnings = build_api(Spec(load(tmp_path / "s.yaml")), pagination=overrides)
    return {o.operation_id: o.pagination for o in api.operations}, [
        f"{w.location.pointer}: {w.message}" for w in warnings if "looks paginated" in w.message
    ]


def test_optional_item_lists_are_paged(tmp_path: Path) -> None:
    found, warnings = build(tmp_path)
    shape = {k: (p.kind, p.items_field, p.page_param, p.next_path, p.items_optional) for k, p in found.items() if p}
    assert shape == {
        "Things_List": ("next_url", "value", "", ("next_link",), True),
        "things.list": ("cursor", "things", "page_token", ("next_page_token",), True),
        "get-transactions": ("next_url", "data", "", ("links", "next", "href"), True),
        "getEvents": ("offset", "event_items", "offset", (), True),
    }
    # eBay's offset is a string: not stepped by the items received; named why
    assert found["getDealItems"] is None and found["listTwo"] is None
    assert warnings == [
        "#/paths/~1ebay/get: looks paginated, but no iter_ method is generated: the offset parameter 'offset' "
        "is not an integer.",
        "#/paths/~1two/get: looks paginated, but no iter_ method is generated: its response has several list "
        "fields (left, right) and none is clearly the items: name it with a `[tool.sdkgen.jobs.pagination]` override.",
    ]
    assert '"items_optional": true' in dumps(found["Things_List"])  # the decision is in the IR dump


def test_the_documented_override_pages_an_optional_list(tmp_path: Path) -> None:
    found, warnings = build(tmp_path, EBAY)
    deal = found["getDealItems"]
    assert (deal.kind, deal.items_field, deal.next_path, deal.items_optional) == (
        "next_url",
        "deal_items",
        ("next",),
        True,
    )
    assert not [w for w in warnings if "ebay" in w]


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("shapes")
    (out / "spec.yaml").write_text(SPEC, "utf-8")
    paging = tuple((o, tuple(sorted(v.items()))) for o, v in EBAY.items())
    return strict_client(
        out,
        "shapes_client",
        Job(out / "spec.yaml", out, "shapes_client", pagination=paging),
    )


def test_azure_and_google_shapes_page_through(pkg: Any, server: Server) -> None:
    """Azure: page 2 has no `value` (nothing yielded) but a nextLink, followed to page 3.
    Google: the last page is `{}` (no items, no token): the iteration ends there."""
    server.targets()
    with pkg.Client(base_url=server.url, timeout=10) as client:
        assert [t.id for t in client.things.iter_things_list(api_version="1")] == [
            "azure1",
            "azure3",
        ]
        assert server.targets() == [
            "/azure?api-version=1",
            "/azure?api-version=1&page=2",
            "/azure?page=3",
        ]
        assert [t.id for t in client.things.iter_list(page_size=1)] == [
            "google1",
            "google2",
        ]
        assert server.targets() == [
            "/google?pageSize=1",
            "/google?pageToken=2&pageSize=1",
            "/google?pageToken=3&pageSize=1",
        ]
        assert [t.id for t in client.things.iter_get_deal_items(limit="1")] == [
            "ebay1",
            "ebay2",
        ]


def test_async_shapes_page_through(pkg: Any, server: Server) -> None:
    async def main() -> tuple[list[str], list[str]]:
        async with pkg.AsyncClient(base_url=server.url, timeout=10) as client:
            azure = [t.id async for t in client.things.iter_things_list()]
            google = [t.id async for t in client.things.iter_list()]
            return azure, google

    assert asyncio.run(main()) == (["azure1", "azure3"], ["google1", "google2"])


def _generate(folder: Path, jobs: str) -> subprocess.CompletedProcess[str]:
    (folder / "shapes.yaml").write_text(SPEC, "utf-8")
    (folder / "pyproject.toml").write_text(jobs, "utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "generator", "generate", "-q"]
    return subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=600)


GO_JOB = (
    '[[tool.sdkgen.jobs]]\nspec = "shapes.yaml"\noutput = "out"\ntarget = "go"\ngo-module = "example.com/shapes"\n'
    "[tool.sdkgen.jobs.pagination]\n"
    'getDealItems = { type = "next-url", items = "dealItems", next = "next" }\n'
)


def test_an_override_naming_no_operation_is_a_config_error(tmp_path: Path) -> None:
    python_job = GO_JOB.replace('target = "go"\ngo-module = "example.com/shapes"\n', 'package = "shapes"\n')
    for i, job in enumerate((python_job, GO_JOB)):
        folder = tmp_path / str(i)
        folder.mkdir()
        done = _generate(folder, job + 'nosuchOp = { type = "link-header" }\n')
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip() == (
            f"error: {folder / 'pyproject.toml'}: [[tool.sdkgen.jobs]] #1: pagination.nosuchOp: "
            f"{folder / 'shapes.yaml'} has no operation with operationId 'nosuchOp'."
        )
        assert not (folder / "out").exists()  # nothing written


def test_a_go_job_takes_pagination_overrides(go_toolchain: str, tmp_path: Path) -> None:
    """The Go job's override wires eBay's next URL; the Go iterators read Azure's page
    without `value` as empty (the walk goes on) and stop on Google's `{}`."""
    done = _generate(tmp_path, GO_JOB)
    assert done.returncode == 0, done.stderr
    sdk = tmp_path / "out" / "shapes"
    assert "func (s *Things) GetDealItemsIter(" in (sdk / "things.go").read_text("utf-8")
    output = go_test(sdk, "example.com/shapes", GO_TESTS / "shapes_behaviour" / "shapes_test.go", tmp_path, "shapes")
    for name in (
        "AzurePageWithoutValueIsEmptyNotTheEnd",
        "GoogleTokensUntilAnEmptyAnswer",
        "EbayNextURLFromTheOverride",
    ):
        assert f"--- PASS: Test{name} " in output, output
