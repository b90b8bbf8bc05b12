"""What the real-world corpus found, pinned on a small inline spec (no network needed).

Each construct below crashed the generator, or produced a client that mypy --strict
rejected, or a warning that named no place in the document, on a corpus spec:

- an optional `application/x-www-form-urlencoded` body (readme petstore, star-trek, uspto);
- a field (or operation) called `date` / `datetime` beside a `format: date` annotation
  (readme schema-types);
- a model that requires itself (`TreeNode.parent`, readme circular-request-bodies): the
  usage sample recursed forever; now a warning names the cycle;
- a `default` that does not match its schema (readme schema-validation): the validator's
  complaint pointed at `#` only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from output_checks import cli_generate, import_everything, mypy_strict

from generator.diagnostics import pointer, unescape_pointer
from generator.json_lines import JsonLines, NotJson
from generator.load import load

SPEC = """\
openapi: 3.0.3
info: {title: Findings, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /form:
    post:
      operationId: sendForm
      requestBody:
        required: false
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {name: {type: string}, count: {type: integer}}}
      responses: {"204": {description: done}}
  /tree:
    post:
      operationId: plant
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/TreeNode"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/TreeNode"}}}}
  /events:
    get:
      tags: [calendar]
      operationId: date
      parameters:
        - {name: day, in: query, schema: {type: string, format: date}}
        - {name: limit, in: query, schema: {type: integer, default: "ten"}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Event"}}}}
    post:
      tags: [calendar]
      operationId: datetime
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Event"}}}
      responses: {"204": {description: done}}
components:
  schemas:
    TreeNode:
      type: object
      required: [id, parent]
      properties:
        id: {type: string}
        parent: {$ref: "#/components/schemas/TreeNode"}
        children: {type: array, items: {$ref: "#/components/schemas/TreeNode"}}
    Event:
      type: object
      required: [date]
      properties:
        date: {type: string, format: date}
        datetime: {type: string, format: date-time}
        starts: {type: string, format: date-time}
"""


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    work = tmp_path_factory.mktemp("findings")
    spec = work / "findings.yaml"
    spec.write_text(SPEC, "utf-8")
    run = cli_generate(spec, work / "out", "findings_client", cwd=work, cache=work / "cache")
    return work / "out", run


def test_generates_imports_and_type_checks(findings: tuple[Path, Any]) -> None:
    out, run = findings
    assert run.code == 0 and not run.crashed, run
    assert import_everything(out, ["findings_client"]) == {"findings_client": []}
    errors, raw = mypy_strict(out, ["findings_client"])
    assert not errors, raw


def test_warnings_name_the_cycle_and_the_bad_default(findings: tuple[Path, Any]) -> None:
    _, run = findings
    cycle = [w for w in run.warnings if "back to itself" in w]
    assert len(cycle) == 1, run
    assert " at #/components/schemas/TreeNode/properties/parent: " in cycle[0]
    assert "TreeNode.parent -> TreeNode" in cycle[0]
    default = [w for w in run.warnings if "'ten' is not of type 'integer'" in w]
    assert len(default) == 1, run
    assert " at #/paths/~1events/get/parameters/1/schema/default: " in default[0], default


def _client(out: Path, import_package: Callable[[Path, str], Any], seen: list[httpx.Request]) -> Any:
    pkg = import_package(out, "findings_client")

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    return pkg.Client("tok", http_client=httpx.Client(transport=httpx.MockTransport(answer)))


def test_optional_form_body_is_left_out_or_form_encoded(
    findings: tuple[Path, Any], import_package: Callable[[Path, str], Any]
) -> None:
    out, _ = findings
    seen: list[httpx.Request] = []
    client = _client(out, import_package, seen)
    from findings_client.models import FormSendFormBody  # type: ignore[import-not-found]

    client.form.send_form()
    client.form.send_form(body=FormSendFormBody(name="a b", count=2))
    assert seen[0].content == b"" and "content-type" not in seen[0].headers
    assert seen[1].headers["content-type"] == "application/x-www-form-urlencoded"
    assert seen[1].content == b"name=a+b&count=2"


def test_fields_and_methods_called_date_keep_their_types(
    findings: tuple[Path, Any], import_package: Callable[[Path, str], Any]
) -> None:
    import datetime as dt

    out, _ = findings
    seen: list[httpx.Request] = []
    client = _client(out, import_package, seen)
    from findings_client.models import Event  # type: ignore[import-not-found]

    event = Event.from_dict({"date": "2024-02-03", "datetime": "2024-02-03T04:05:06Z"})
    assert event.date == dt.date(2024, 2, 3)
    assert event.datetime == dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    client.calendar.datetime(event)
    assert json.loads(seen[0].content) == {"date": "2024-02-03", "datetime": "2024-02-03T04:05:06Z"}


def test_json_lines_agree_with_the_yaml_composer(tmp_path: Path) -> None:
    """The JSON scanner names the same line as composing the document, for every node,
    missing children (their nearest ancestor), and the first of duplicate names."""
    data = {
        "openapi": "3.1.0",
        "paths": {"/a/{b}": {"get": {"parameters": [{"name": "x~y", "in": "query"}, {"name": 'é "q"'}]}}},
        "components": {"schemas": {"A": {"enum": [1, 2.5e3, None, True, "s\\t"]}, "": {}}},
    }
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(data, indent=3, ensure_ascii=False), "utf-8")
    doc = load(path)
    pointers = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, where = stack.pop()
        pointers += [pointer(*where), pointer(*where, "missing"), pointer(*where, 7)]
        if isinstance(node, dict):
            stack += [(v, (*where, k)) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, (*where, i)) for i, v in enumerate(node)]
    scanner = JsonLines(doc.text)
    assert doc._json_lines is not None
    composed = load(path)
    composed.__dict__["_json_lines"] = None  # the YAML composer alone
    for ptr in pointers:
        assert scanner.line_of(unescape_pointer(ptr)) == composed.line_of(ptr), ptr
    dup = tmp_path / "dup.json"
    dup.write_text('{\n"a": 1,\n"a": {\n"b": 2}\n}\n', "utf-8")
    assert load(dup).line_of("#/a") == 2  # the first, as YAML reads it


def test_json_lines_skip_values_by_json_s_scanner(tmp_path: Path) -> None:
    """A member's value is skipped by json's scanner (it keeps nothing): brackets and
    quotes inside strings, an integer longer than Python converts and numbers json alone
    reads do not stop it; text it cannot read (YAML in flow style) is left to the YAML
    composer, which still names the line."""
    text = (
        '{\n"a": {"s": "}]{[\\"", "n": ' + "9" * 5000 + ', "f": [1e400, NaN, -Infinity]},\n"b": [\n1,\n{"c": 2}\n]\n}\n'
    )
    scanner = JsonLines(text)
    assert [scanner.line_of(p) for p in (["b"], ["b", "1"], ["b", "1", "c"], ["b", "0"], ["a", "f"])] == [3, 5, 5, 4, 2]
    flow = tmp_path / "flow.yaml"
    flow.write_text('{"a": [1, {b: 2}],\n"c": 3}\n', "utf-8")
    with pytest.raises(NotJson):
        JsonLines(flow.read_text("utf-8")).line_of(["c"])
    assert load(flow).line_of("#/c") == 2
