"""Operations with servers of their own (a path item's or an operation's `servers`).

OpenAPI lets an operation, or every operation of a path, be served somewhere else than the
document's servers: Stripe's file uploads at files.stripe.com, GitHub's release assets at
uploads.github.com, Box's and Apideck's uploads, eBay's payment disputes at apiz.ebay.com,
Pinecone's data plane at each index's own host. The client sends such an operation to the
first of its own servers, unless the chosen server is one of them; a `base_url` (the
client's or the call's) sends every call where it says (a proxy, a mock server). A
relative server URL (`/`) is on the chosen server's origin. Their server variables are
the client's keyword arguments, like the document's.

Against two real servers (`wire_echo_server.py`, Starlette under uvicorn). The Go client:
`tests/go/operation_servers/operation_servers_test.go`.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import echo_server, strict_client
from test_go_target import go_toolchain

from generator.builder import build_api
from generator.config import Job
from generator.load import load
from generator.normalize import Spec

SPEC = Path(__file__).parent / "go" / "operation_servers" / "operation_servers.yaml"
__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target


def test_the_ir_keeps_each_operations_own_servers() -> None:
    api, warnings = build_api(Spec(load(SPEC)))
    by_name = {op.name: op for op in api.operations}
    # the operation's own list, in order; a path item's applies to its operations
    assert by_name["upload_file"].servers == ("http://127.0.0.1:{uploadPort}/uploads", "http://localhost:{port}/api")
    assert by_name["health"].servers == ("/",)
    # a path item listing the document's servers changes nothing
    assert by_name["list_items"].servers == ()
    # an operation server's variable is the client's argument too
    assert [(v.json_name, v.name, v.default) for v in api.server_variables] == [
        ("port", "port", "1"),
        ("uploadPort", "upload_port", "2"),
    ]
    assert warnings == []


def test_an_empty_list_or_the_documents_servers_again_are_no_servers_of_its_own(tmp_path: Path) -> None:
    """An operation's empty `servers` replaces nothing (its path item's apply); the
    document's servers listed again, with or without a trailing `/`, are the client's."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {
            "/a": {
                "servers": [{"url": "https://files.example.com"}],
                "get": {"operationId": "a", "servers": [], "responses": {"204": {"description": "ok"}}},
            },
            "/b": {
                "get": {
                    "operationId": "b",
                    "servers": [{"url": "https://api.example.com/v1/"}],
                    "responses": {"204": {"description": "ok"}},
                }
            },
        },
    }
    (tmp_path / "s.json").write_text(json.dumps(spec), "utf-8")
    api, _ = build_api(Spec(load(tmp_path / "s.json")))
    assert [(op.name, op.servers) for op in api.operations] == [("a", ("https://files.example.com",)), ("b", ())]


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("opservers")
    return strict_client(out, "opservers_client", Job(SPEC, out / "opservers_client", "opservers_client"))


@pytest.fixture(scope="module")
def two_servers() -> Any:
    with echo_server() as api, echo_server() as upload:
        yield api, upload


def _port(url: str) -> str:
    return url.rsplit(":", 1)[1]


def _seen(client: Any, **options: Any) -> list[tuple[str, str, str | None]]:
    """(host, path, X-Key) of an upload, a health check and a listing, as the servers saw them."""
    kw = {"request_options": options} if options else {}
    answers = [
        client.files.upload_file(b"data", **kw),
        client.health.health(**kw),
        client.items.list_items(**kw),
    ]
    return [(a.host, a.path, a.headers.get("x-key")) for a in answers]


def _at(host: str, files: str, health: str, items: str) -> list[tuple[str, str, str | None]]:
    """What `_seen` reads when the three calls go to one host: the upload and the listing
    with the API key, the public health check without."""
    return [(host, files, "k"), (host, health, None), (host, items, "k")]


def test_an_operation_goes_to_its_own_server(pkg: Any, two_servers: tuple[str, str]) -> None:
    api, upload = two_servers
    a, u = _port(api), _port(upload)
    with pkg.Client(key="k", port=a, upload_port=u) as client:
        assert _seen(client) == [
            (f"127.0.0.1:{u}", "/uploads/files", "k"),  # its own server, with its credentials
            (f"127.0.0.1:{a}", "/health", None),  # `/`: the root of the chosen server's origin
            (f"127.0.0.1:{a}", "/api/items", "k"),
        ]
        # a call's `server` is chosen the same way: the sandbox is one of the upload's servers
        assert _seen(client, server="sandbox") == _at(f"localhost:{a}", "/api/files", "/health", "/api/items")
    with pkg.Client(key="k", server="sandbox", port=a, upload_port=u) as sandbox:
        assert _seen(sandbox) == _at(f"localhost:{a}", "/api/files", "/health", "/api/items")


def test_a_base_url_sends_every_call_there(pkg: Any, two_servers: tuple[str, str]) -> None:
    api, upload = two_servers
    a, u = _port(api), _port(upload)
    with pkg.Client(key="k", base_url=f"{api}/v2", upload_port=u) as pinned:
        assert _seen(pinned) == _at(f"127.0.0.1:{a}", "/v2/files", "/v2/health", "/v2/items")
    with pkg.Client(key="k", port=a, upload_port=u) as client:
        assert _seen(client, base_url=f"{upload}/once") == _at(
            f"127.0.0.1:{u}", "/once/files", "/once/health", "/once/items"
        )


def test_the_async_client_goes_to_the_same_servers(pkg: Any, two_servers: tuple[str, str]) -> None:
    api, upload = two_servers
    a, u = _port(api), _port(upload)

    async def main() -> tuple[Any, Any]:
        async with pkg.AsyncClient(key="k", port=a, upload_port=u) as client:
            return await client.files.upload_file(b"data"), await client.health.health()

    up, health = asyncio.run(main())
    assert (up.host, up.path) == (f"127.0.0.1:{u}", "/uploads/files")
    assert (health.host, health.path) == (f"127.0.0.1:{a}", "/health")


def test_the_pages_and_readme_say_where_an_operation_is_served(pkg: Any) -> None:
    root = Path(pkg.__file__).parent
    upload = (root / "docs" / "operations" / "files" / "upload_file.md").read_text("utf-8")
    assert (
        "Served at a server of its own, not at the client's: `http://127.0.0.1:{uploadPort}/uploads` "
        "(the client's server instead when it is `http://localhost:{port}/api`). A `base_url` (the client's, "
        "or the call's `request_options`) sends it there instead."
    ) in upload
    health = (root / "docs" / "operations" / "health" / "health.md").read_text("utf-8")
    assert "not at the client's: `/` on the client's server's origin." in health
    assert "Served at" not in (root / "docs" / "operations" / "items" / "list_items.md").read_text("utf-8")
    readme = (root / "README.md").read_text("utf-8")
    assert (
        "2 operations are served at servers of their own, not at the client's: "
        "[`POST /files`](docs/operations/files/upload_file.md) at `http://127.0.0.1:{uploadPort}/uploads`; "
        "[`GET /health`](docs/operations/health/health.md) at `/`."
    ) in readme


def test_the_go_client_goes_to_the_same_servers(go_toolchain: str, tmp_path: Path) -> None:
    from test_go_target import GO_TESTS, go_tests_pass

    go_tests_pass(
        SPEC,
        GO_TESTS / "operation_servers" / "operation_servers_test.go",
        tmp_path,
        "opservers",
        "TestOperationsGoToTheirOwnServers",
        "TestAServerURLSendsEveryCallThere",
    )
    readme = (tmp_path / "out" / "opservers" / "README.md").read_text("utf-8")
    assert "- 2 operations are served at servers of their own (the spec's" in readme
