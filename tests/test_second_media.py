"""A union met only in a body's or a response's second media type is decoded like any
other: the builder's dispatch table walks every media type (not only the first), so both
targets generate (before: KeyError in the Python emitter, an assertion in the Go one)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import strict_client
from test_go_target import generate, go_env, go_toolchain, run

from generator.builder import build_api
from generator.config import Job
from generator.golang.pipeline import generate_go
from generator.ir import model as m
from generator.ir import types as t
from generator.load import load
from generator.normalize import Spec

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

TWO_OBJECTS = """\
                oneOf:
                  - {type: object, properties: {channel: {type: string}, deviceId: {type: string}}}
                  - {type: object, properties: {channel: {type: string}, clientId: {type: string}}}
"""

SPEC = f"""\
openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /subs:
    post:
      operationId: subscribe
      tags: [subs]
      requestBody:
        content:
          application/json:
            schema:
{TWO_OBJECTS}          application/x-www-form-urlencoded:
            schema:
{TWO_OBJECTS}      responses:
        "204": {{description: ok}}
  /a:
    get:
      operationId: getA
      tags: [subs]
      responses:
        "200":
          description: ok
          content:
            application/json: {{schema: {{type: string}}}}
            application/vnd.x+json:
              schema:
                oneOf:
                  - {{type: object, required: [k], properties: {{k: {{type: string}}}}}}
                  - {{type: object, required: [j], properties: {{j: {{type: integer}}}}}}
"""


def test_every_media_types_union_has_a_dispatch(write_spec: Callable[[str, str], Path]) -> None:
    api, _ = build_api(Spec(load(write_spec(SPEC, "spec.yaml"))))
    planned = {d.union for d in api.dispatch}
    ops = {o.name: o for o in api.operations}
    body = ops["subscribe"].body
    assert body is not None and len(body.media) == 2
    for media in body.media:
        assert isinstance(media.type, t.Union) and media.type in planned, media.content_type
    (response,) = [r for r in ops["get_a"].responses if r.status == "200"]
    second = response.contents[1]
    assert isinstance(second, m.JsonContent) and second.media_type == "application/vnd.x+json"
    unions = list(t.unions_in(second.type))
    assert unions and all(u in planned for u in unions)


def test_python_client_generates_and_passes_mypy(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC, "utf-8")
    client = strict_client(tmp_path, "media_client", Job(tmp_path / "spec.yaml", tmp_path, "media_client"))
    assert hasattr(client, "Client")


@pytest.mark.usefixtures("go_toolchain")  # gofmt formats the output
def test_go_client_generates(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC, "utf-8")
    job = Job(tmp_path / "spec.yaml", tmp_path, "media", target="go", go_module="example.com/media")
    result = generate_go(job, run_validator=False)
    assert any(path.endswith(".go") for path in result.files)


def test_go_module_builds_and_vets(go_toolchain: str, tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC, "utf-8")
    sdk = generate(tmp_path / "spec.yaml", tmp_path / "out", "example.com/media")
    run([go_toolchain, "vet", "./..."], sdk, go_env(tmp_path))


OVERLOADED_STREAM = """\
openapi: 3.0.3
info: {title: o, version: "1"}
paths:
  /x:
    post:
      operationId: postX
      tags: [x]
      requestBody:
        content:
          application/json: {schema: {type: object, properties: {a: {type: string}}}}
          text/csv: {schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/pdf: {schema: {type: string, format: binary}}
"""


def test_async_overloads_of_a_stream_twin_pass_mypy(tmp_path: Path) -> None:
    """A body in two media types gives overloads; a download gives a `*_stream` twin whose
    async overloads return the async stream (they declared the sync type: mypy failed)."""
    (tmp_path / "spec.yaml").write_text(OVERLOADED_STREAM, "utf-8")
    client = strict_client(tmp_path, "overloads", Job(tmp_path / "spec.yaml", tmp_path, "overloads"))
    assert hasattr(client, "AsyncClient")
