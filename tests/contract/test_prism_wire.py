"""Contract test of the request wire formats: tests/specs/wire.yaml served by Prism.

Prism checks every request against the spec (path and query serialisation, content
type, form-urlencoded and multipart bodies against their schemas) and lists what is
wrong in an `sl-violations` header; each call below must come back without one.
Prism is found as in test_prism.py (`PRISM_BIN`, `node_modules/.bin/prism`, PATH);
without it the module is skipped locally and fails in CI.

Prism 5.14 reads no array out of a form-urlencoded or multipart body (repeated keys,
comma-separated values and repeated parts all give "property must be array"; an array
of objects must be JSON text for it), and it does not decode a multipart part declared
`application/json` ("must be object"), so the bodies sent here leave those out:
tests/test_wire_bodies.py checks them against Starlette's parsers.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from helpers import ROOT

SPEC = ROOT / "tests" / "specs" / "wire.yaml"
STARTUP_TIMEOUT = 60.0


def _prism() -> str | None:
    explicit = os.environ.get("PRISM_BIN")
    if explicit:
        return shutil.which(explicit)
    local = ROOT / "node_modules" / ".bin" / "prism"
    return str(local) if local.exists() else shutil.which("prism")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    prism = _prism()
    if prism is None:
        reason = "prism not found (PRISM_BIN, node_modules/.bin/prism or PATH)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("prism_wire")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = work / "prism.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [prism, "mock", "-h", "127.0.0.1", "-p", str(port), "--errors=false", str(SPEC)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        from generator.config import Job
        from generator.pipeline import generate
        from generator.write import write_package

        result = generate(Job(SPEC, work, "prism_wire_client"), run_validator=False)
        write_package(work, "prism_wire_client", result.files)
        sys.path.insert(0, str(work))
        import prism_wire_client

        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"prism exited early:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                httpx.get(base_url + "/blob", timeout=2.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail(f"prism did not answer:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.25)
        yield base_url, prism_wire_client
    finally:
        sys.path[:] = [p for p in sys.path if p != str(work)]
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _calls() -> list[tuple[str, Callable[[Any, Any], Any]]]:
    def create_item(c: Any, models: Any) -> Any:
        return c.items.create_item(
            ["a", "b"],
            models.ItemForm(
                name="n",
                active=True,
                metadata={"k": "v"},
                note=None,
            ),
            created=models.Range(gte=1, lt=5),
            expand=["a"],
            ids=[1, 2],
            filter={"a": 1},
            x_tags=["x", "y"],
            session="s",
        )

    return [
        ("form body, deepObject, pipeDelimited, content, label path", create_item),
        (
            "multipart",
            lambda c, models: c.files.upload(
                models.FilesUploadBody(
                    file=("a.txt", io.BytesIO(b"hello"), "text/plain"),
                    title="T",
                )
            ),
        ),
        ("binary", lambda c, models: c.files.put_blob(b"\x00\x01")),
        ("text", lambda c, models: c.files.put_note(body="hello")),
        ("merge-patch", lambda c, models: c.things.patch_thing("1", models.Range(gte=1))),
        ("choose multipart", lambda c, models: c.things.choose(models.Range(lt=2), content_type="multipart/form-data")),
        ("choose json", lambda c, models: c.things.choose(models.Range(lt=2))),
    ]


@pytest.mark.parametrize("label, call", _calls(), ids=[label for label, _ in _calls()])
def test_prism_finds_no_violation(served: tuple[str, Any], label: str, call: Callable[[Any, Any], Any]) -> None:
    base_url, package = served
    seen: list[httpx.Response] = []

    def hook(response: httpx.Response) -> None:
        response.read()
        seen.append(response)

    http = httpx.Client(timeout=30, event_hooks={"response": [hook]})
    with http:
        client = package.Client("tok", base_url=base_url, http_client=http)
        import prism_wire_client.models as models

        call(client, models)
    (response,) = seen
    violations = response.headers.get("sl-violations")
    assert not violations, (
        f"{label}: {json.loads(violations)}\n{response.request.url}\n{response.request.content[:500]!r}"
    )
    assert response.status_code < 400, response.text
