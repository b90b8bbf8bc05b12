"""OpenAPI 3.2's own operations: a path item's `query` (the QUERY method: a safe,
idempotent request with a body) and its `additionalOperations` (any other method, sent as
written: `COPY`, `PURGE`). A fixed field repeated there, or a key that is no HTTP method
token, is left out with a warning. A 3.0 or 3.1 document has neither. An `in: querystring`
parameter (the whole query string as one value) is not read yet: its operation is left
out with an error-level warning, never sent without it.

Against a real server (`wire_echo_server.py`, Starlette under uvicorn); the Go client:
`tests/go/openapi32/openapi32_test.go`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import echo_server, strict_client
from test_go_target import go_toolchain

from generator.builder import build_api
from generator.config import Job
from generator.load import load
from generator.normalize import Spec

SPEC = Path(__file__).parent / "go" / "openapi32" / "openapi32.yaml"
__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target


def test_the_ir_has_each_method_as_sent() -> None:
    api, warnings = build_api(Spec(load(SPEC)))
    assert [(op.method, op.name, op.pointer) for op in api.operations] == [
        ("QUERY", "search_things", "#/paths/~1things/query"),
        ("COPY", "copy_things", "#/paths/~1things/additionalOperations/COPY"),
        ("PURGE", "purge_things", "#/paths/~1things/additionalOperations/PURGE"),
    ]
    assert [(w.location.pointer, w.message.split(":")[0]) for w in warnings] == [
        (
            "#/paths/~1things/additionalOperations/get",
            "'get' is a fixed field of the path item (`get`), which `additionalOperations` must not repeat",
        ),
        ("#/paths/~1things/additionalOperations/BAD METHOD", "'BAD METHOD' is not an HTTP method name (a token"),
        ("#/paths/~1raw/get/parameters/0", "operation GET /raw left out of the client"),
    ]
    # the whole query string as one value is not read yet: that operation is left out, loudly
    assert warnings[-1].level == "error"
    assert "`in: querystring` (OpenAPI 3.2: the whole query string as one value) is not supported yet" in str(
        warnings[-1]
    )


def test_a_31_document_has_no_query_operation(tmp_path: Path) -> None:
    text = SPEC.read_text("utf-8").replace("openapi: 3.2.0", "openapi: 3.1.0")
    (tmp_path / "s.yaml").write_text(text, "utf-8")
    api, _ = build_api(Spec(load(tmp_path / "s.yaml")))
    assert api.operations == ()


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("openapi32")
    return strict_client(out, "openapi32_client", Job(SPEC, out / "openapi32_client", "openapi32_client"))


def test_each_method_reaches_the_server(pkg: Any) -> None:
    from openapi32_client.models import ThingsSearchThingsBody

    body = ThingsSearchThingsBody(name="x")
    with echo_server() as url, pkg.Client(base_url=url) as client:
        found = client.things.search_things(body)
        copied = client.things.copy_things(destination="/elsewhere")
        purged = client.things.purge_things()

        async def main() -> Any:
            async with pkg.AsyncClient(base_url=url) as aclient:
                return await aclient.things.search_things(body)

        asynced = asyncio.run(main())
    assert (found.method, found.path, found.json) == ("QUERY", "/things", {"name": "x"})
    assert found.headers["content-type"] == "application/json"
    assert (copied.method, copied.headers["destination"]) == ("COPY", "/elsewhere")
    assert purged.method == "PURGE"
    assert (asynced.method, asynced.json) == ("QUERY", {"name": "x"})


def test_query_is_retried_as_get_is_and_an_unknown_method_is_not(pkg: Any) -> None:
    """QUERY is idempotent: retried on a 502; COPY may have acted: not resent."""
    from openapi32_client.errors import APIError
    from openapi32_client.models import ThingsSearchThingsBody

    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) == 1:
            return httpx.Response(502)
        return httpx.Response(200, json={"method": request.method})

    retries = pkg._runtime.RetryConfig(max_retries=1, initial_delay=0, jitter=0)
    http = httpx.Client(transport=httpx.MockTransport(answer))
    with pkg.Client(base_url="http://api.test", http_client=http, retries=retries) as client:
        assert client.things.search_things(ThingsSearchThingsBody()).method == "QUERY"
        assert seen == ["QUERY", "QUERY"]
        seen.clear()
        with pytest.raises(APIError):
            client.things.copy_things(destination="/x")
        assert seen == ["COPY"]


def test_the_overlay_targets_additional_operations(tmp_path: Path) -> None:
    from generator.emit.samples import overlay

    api, _ = build_api(Spec(load(SPEC)))
    targets = [a["target"] for a in overlay(api, "openapi32_client")["actions"]]
    assert targets == [
        "$.paths['/things'].query",
        "$.paths['/things'].additionalOperations['COPY']",
        "$.paths['/things'].additionalOperations['PURGE']",
    ]


def test_the_go_client_sends_the_same_methods(go_toolchain: str, tmp_path: Path) -> None:
    from test_go_target import GO_TESTS, go_tests_pass

    go_tests_pass(
        SPEC,
        GO_TESTS / "openapi32" / "openapi32_test.go",
        tmp_path,
        "openapi32",
        "TestEachMethodIsSentAsWritten",
        "TestQueryIsRetriedAndAnUnknownMethodIsNot",
    )
