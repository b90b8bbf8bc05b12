"""One-value enums and `const`s (tests/go/constants/constants.yaml).

A constant that is required, that a union tells its variants apart by (a tag), or whose
`default` is that very value is written by the client itself: defaulted, always sent,
tolerated missing from a response. Any other optional one is an ordinary optional field
or parameter: sent only when the caller sets it, left unset when a response leaves it
out.

Before, every constant was always sent: a PATCH built as `ItemUpdate(name=...)` also sent
`status: "archived"` (archiving the item), S3's optional `x-amz-request-payer: requester`
header (which accepts the charges of a requester-pays bucket) went with every request,
and a GitHub App's `workflows: [write]` permission read as granted when the server left it
out. 393 of the 2,584 APIs.guru specs under 1 MB have such optional one-value fields
(339 specs, 2,136 fields) or parameters (78 specs, 887 parameters).

Python: the builder's decisions, what a real server (Starlette) receives, what a response
decodes to; Go: the same JSON (constants_test.go) and, in test_sample_parity.py, the same
requests as the Python client's samples."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest
from helpers import mypy_error_lines, strict_client
from test_go_target import GO_TESTS, go_tests_pass, go_toolchain

from generator.builder import build_api
from generator.config import Job
from generator.load import load
from generator.normalize import Spec

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

SPEC = GO_TESTS / "constants" / "constants.yaml"
PACKAGE = "constants_client"


def test_the_builder_decides_which_constants_the_client_writes() -> None:
    api, _ = build_api(Spec(load(SPEC)))
    models = {x.name: {f.json_name: f.constant for f in x.fields} for x in api.models}
    assert models["ItemUpdate"] == {"name": False, "status": False, "pinned": False, "format": True}
    assert models["Item"] == {"id": False, "object": True, "status": False}
    # tags: by a constant that differs per variant (Pet), by a `discriminator` (Shape)
    assert models["Dog"] == {"type": True, "barks": False}
    assert models["Circle"] == {"shape": True, "radius": False}
    (update,) = [op for op in api.operations if op.name == "update_item"]
    params = {p.json_name: p.constant for p in update.parameters}
    assert params == {"id": False, "kind": True, "include": False, "mode": True, "x-request-payer": False}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("constants")
    return strict_client(root / "out", PACKAGE, Job(SPEC, root / "out" / PACKAGE, PACKAGE))  # type: ignore[no-any-return]


def test_the_server_receives_only_the_constants_the_client_must_write(pkg: ModuleType, server: str) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    client = pkg.Client(base_url=server)
    sent = client.echo.update_item("i1", models.ItemUpdate(name="n"))
    assert sent["json"] == {"name": "n", "format": "v2"}  # no `status`, no `pinned`
    assert sent["query"] == [["kind", "only"], ["mode", "fast"]]  # no `include`
    assert "x-request-payer" not in sent["headers"]
    sent = client.echo.update_item(
        "i1",
        models.ItemUpdate(name="n", status="archived", pinned=True),
        include="details",
        x_request_payer="requester",
    )
    assert sent["json"] == {"name": "n", "status": "archived", "pinned": True, "format": "v2"}
    assert sent["query"] == [["kind", "only"], ["include", "details"], ["mode", "fast"]]
    assert sent["headers"]["x-request-payer"] == "requester"
    # a tag the spec leaves optional still goes: the server tells the variants apart by it
    assert client.echo.echo_pet(models.Dog(barks=True))["json"] == {"type": "dog", "barks": True}
    assert client.echo.echo_dog(models.Dog())["json"] == {"type": "dog"}
    assert client.echo.echo_shape(models.Square(side=2))["json"] == {"shape": "Square", "side": 2}


def test_a_response_leaves_unset_what_the_server_left_out(pkg: ModuleType) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    item = models.Item.from_dict({"id": "i1"})
    assert item.status is pkg.UNSET  # it used to read "archived"
    assert item.object == "item"  # required: tolerated missing, as before
    assert item.to_dict() == {"id": "i1", "object": "item"}
    assert models.Item.from_dict({"id": "i1", "status": "archived"}).status == "archived"


def test_mypy_types_an_optional_constant_as_the_callers_choice(pkg: ModuleType, tmp_path: Path) -> None:
    code = (
        f"from {PACKAGE}.models import ItemUpdate\n"
        "ok = ItemUpdate(status='archived')\n"
        "wrong = ItemUpdate(status='deleted')\n"
        "unset = ItemUpdate()\n"
    )
    assert mypy_error_lines(pkg, tmp_path / "user.py", code) == ["3"]


def test_go_sends_and_reads_the_constants_as_the_python_client_does(go_toolchain: str, tmp_path: Path) -> None:
    go_tests_pass(
        SPEC,
        GO_TESTS / "constants" / "constants_test.go",
        tmp_path,
        "constants",
        "TestOnlyTheConstantsTheClientMustWriteAreSent",
        "TestAResponseLeavesOutWhatTheServerLeftOut",
    )
