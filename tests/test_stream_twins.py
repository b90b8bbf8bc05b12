"""`<name>_stream` twins declared from their plain method (`_rt.StreamTwin`).

A twin that differs from its plain method only by the `Operation` constant it sends is
one line, `<name>_stream = _rt.StreamTwin(<name>, _opN)`: the plain method runs with the
twin's constant. These tests check that such a twin sends exactly the plain method's
request (a real Starlette server echoes it), sync, async and through
`with_raw_response`; that `mypy --strict` sees the plain method's parameters and the
stream's type; and that the twins that differ more (a `stream` flag in the body,
`@overload`s, a deprecation warning) are still written out in full.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from generator.config import Job
from generator.pipeline import generate
from generator.write import write_package

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")


SPEC = """\
openapi: 3.1.0
info: {title: Twins, version: "1"}
servers: [{url: "http://localhost"}]
paths:
  /reports/{id}/export:
    post:
      operationId: export_report
      tags: [reports]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: since, in: query, schema: {type: integer}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Filter"}}
      responses:
        "200":
          description: the export
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
  /reports/old:
    get:
      operationId: old_export
      tags: [reports]
      deprecated: true
      responses:
        "200":
          description: the old export
          content:
            application/pdf: {schema: {type: string, format: binary}}
  /reports/convert:
    post:
      operationId: convert
      tags: [reports]
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Filter"}}
          text/csv: {schema: {type: string}}
      responses:
        "200":
          description: the converted report
          content:
            application/pdf: {schema: {type: string, format: binary}}
components:
  schemas:
    Filter:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        limit: {type: integer}
"""

USAGE = """\
from twins import Client, AsyncClient
from twins.models import Filter

c = Client(base_url="http://x")
reveal_type(c.reports.export_report_stream)
reveal_type(c.reports.with_raw_response.export_report_stream)
c.reports.export_report_stream(1, Filter(kind="a"))
c.reports.export_report_stream("r1", Filter(kind="a"), unknown=1)


async def f() -> None:
    a = AsyncClient(base_url="http://x")
    s = await a.reports.export_report_stream("r1", Filter(kind="a"))
    reveal_type(s)
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("twins")
    (folder / "spec.yaml").write_text(SPEC, "utf-8")
    result = generate(Job(folder / "spec.yaml", folder, "twins"), run_validator=False)
    write_package(folder, "twins", result.files)
    return folder


@pytest.fixture(scope="module")
def pkg(out: Path) -> Any:
    sys.path.insert(0, str(out))
    import twins

    return twins


def _service(out: Path) -> str:
    return (out / "twins" / "services" / "reports.py").read_text("utf-8")


def test_a_twin_that_differs_only_by_its_constant_is_declared_from_its_method(out: Path) -> None:
    text = _service(out)
    assert "    export_report_stream = _rt.StreamTwin(export_report, _op" in text
    assert "    export_report_stream = _rt.AsyncStreamTwin(export_report, _op" in text
    assert "def export_report_stream(" not in text
    # each declaration carries an attribute docstring naming its plain method and the stream
    at = text.index("export_report_stream = _rt.StreamTwin(")
    doc = text[text.index('"""', at) : text.index('"""', text.index('"""', at) + 3)]
    assert "`export_report` with the same arguments" in doc and "streaming.BinaryStream" in doc


def test_twins_that_differ_more_are_written_out(out: Path) -> None:
    text = _service(out)
    # a deprecated operation: its twin warns from its own frame (`stacklevel=2` is the caller)
    assert "    def old_export_stream(" in text and "    async def old_export_stream(" in text
    # a body in two media types: the twin keeps its `@overload`s (a ParamSpec keeps one)
    assert "    def convert_stream(" in text
    assert text.count("    @overload\n    def convert_stream(") == 2
    assert text.count("    @overload\n    async def convert_stream(") == 2
    assert "StreamTwin(old_export" not in text and "StreamTwin(convert" not in text


def _requests_equal(plain: dict[str, Any], twin: dict[str, Any]) -> None:
    """The same request: everything but the Accept header, which says what each reads."""
    plain_headers, twin_headers = dict(plain.pop("headers")), dict(twin.pop("headers"))
    plain_headers.pop("accept", None)
    twin_headers.pop("accept", None)
    assert plain == twin
    assert plain_headers == twin_headers


def test_a_twin_sends_its_plain_methods_request(pkg: Any, server: str) -> None:
    from twins.models import Filter

    client = pkg.Client(base_url=server)
    kwargs: dict[str, Any] = {
        "tags": ["a", "b c"],
        "since": 3,
        "x_trace": "t-1",
        "session": "s9",
        "request_options": {"headers": {"x-per-call": "yes"}},  # read from the method's locals()
    }
    plain = json.loads(client.reports.export_report("r/1", Filter(kind="k", limit=2), **kwargs))
    with client.reports.export_report_stream("r/1", Filter(kind="k", limit=2), **kwargs) as stream:
        assert isinstance(stream, pkg.streaming.BinaryStream)
        twin = json.loads(stream.read())
    assert twin["path"] == "/reports/r/1/export"  # the server decodes the escaped slash
    assert twin["query"] == [["tags", "a"], ["tags", "b c"], ["since", "3"]]
    assert twin["headers"]["x-trace"] == "t-1" and twin["cookies"] == {"session": "s9"}
    assert twin["headers"]["x-per-call"] == "yes"
    assert twin["content_type"] == "application/json" and twin["size"] == len(b'{"kind":"k","limit":2}')
    _requests_equal(plain, twin)


def test_an_async_twin_sends_its_plain_methods_request(pkg: Any, server: str) -> None:
    from twins.models import Filter

    async def run() -> tuple[dict[str, Any], dict[str, Any], str]:
        async with pkg.AsyncClient(base_url=server) as client:
            plain = json.loads(await client.reports.export_report("r1", Filter(kind="k"), tags=["x"]))
            stream = await client.reports.export_report_stream("r1", Filter(kind="k"), tags=["x"])
            async with stream:
                twin = json.loads(await stream.read())
            return plain, twin, type(stream).__name__

    plain, twin, kind = asyncio.run(run())
    assert kind == "AsyncBinaryStream"
    assert twin["query"] == [["tags", "x"]]
    _requests_equal(plain, twin)


def test_a_twin_through_with_raw_response(pkg: Any, server: str) -> None:
    from twins.models import Filter

    client = pkg.Client(base_url=server)
    raw = client.reports.with_raw_response.export_report_stream("r1", Filter(kind="k"))
    assert raw.status_code == 200
    with raw.parsed as stream:
        assert json.loads(stream.read())["path"] == "/reports/r1/export"


def test_a_twin_at_run_time(pkg: Any) -> None:
    service_cls = type(pkg.Client(base_url="http://127.0.0.1:9").reports)
    assert isinstance(inspect.getattr_static(service_cls, "export_report_stream"), pkg._runtime.StreamTwin)
    bound = pkg.Client(base_url="http://127.0.0.1:9").reports.export_report_stream
    assert bound.__name__ == "export_report_stream"
    assert "export_report" in (bound.__doc__ or "")
    assert not inspect.iscoroutinefunction(bound)
    # the async twin is a coroutine function, as the `async def` beside it
    async_reports = pkg.AsyncClient(base_url="http://127.0.0.1:9").reports
    assert inspect.iscoroutinefunction(async_reports.export_report)
    assert inspect.iscoroutinefunction(async_reports.export_report_stream)


def test_the_deprecated_twin_warns_at_its_caller(pkg: Any, server: str) -> None:
    client = pkg.Client(base_url=server)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with client.reports.old_export_stream() as stream:
            stream.read()
    assert [w.filename for w in caught if issubclass(w.category, DeprecationWarning)] == [__file__]


def test_mypy_sees_a_twins_parameters_and_stream_type(out: Path) -> None:
    (out / "use_twins.py").write_text(USAGE, "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "twins", "use_twins.py"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = proc.stdout.splitlines()
    revealed = [line.split("Revealed type is ", 1)[1] for line in lines if "Revealed type is" in line]
    assert len(revealed) == 3, proc.stdout
    sync, raw, awaited = revealed
    assert sync.startswith('"def (id: str, body: twins.models.filter.Filter, *, tags: list[str] | None =, ')
    assert ", x_trace: str | None =, session: str | None =, request_options: " in sync
    assert sync.endswith('-> twins.streaming.BinaryStream"')
    assert raw.endswith('-> twins._raw.RawResponse[twins.streaming.BinaryStream]"')
    assert awaited == '"twins.streaming.AsyncBinaryStream"'
    errors = [line for line in lines if ": error:" in line]
    assert len(errors) == 2, proc.stdout  # the int id and the unknown keyword, nothing in the package
    assert all(line.startswith("use_twins.py:") for line in errors), proc.stdout
    assert any('"int"' in line for line in errors) and any('"unknown"' in line for line in errors), proc.stdout
    # the package itself passes `mypy --strict`: checked in the same run, no line of it reported
    assert not [line for line in lines if line.startswith("twins")], proc.stdout
