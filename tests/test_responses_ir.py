"""Responses by media type: the kind each response is read as, decided in the builder.

Each test builds a small inline spec (or tests/specs/responses.yaml, which has one
operation per construct), asserts the decision it is about, and the whole IR dump of
responses.yaml is compared with `tests/snapshots/ir/responses.json`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.builder import build_api
from generator.diagnostics import SpecWarning
from generator.ir import model as m
from generator.ir import types as t
from generator.ir.dump import dumps
from generator.load import load
from generator.normalize import Spec

SPEC = Path(__file__).parent / "specs" / "responses.yaml"


@pytest.fixture(scope="module")
def built() -> tuple[m.Api, list[SpecWarning]]:
    return build_api(Spec(load(SPEC)))


def op(api: m.Api, name: str) -> m.Operation:
    found = {o.name: o for o in api.operations}
    assert name in found, sorted(found)
    return found[name]


def ok(api: m.Api, name: str) -> m.Response:
    response = m.success_response(op(api, name))
    assert response is not None
    return response


def one_response(write_spec: Callable[[str, str], Path], content: str, body: str = "") -> tuple[m.Operation, list[str]]:
    """`POST /x` answering 200 with `content` (YAML at column 0), optionally with a request body."""
    text = textwrap.dedent(
        """\
        openapi: 3.1.0
        info: {title: T, version: "1"}
        paths:
          /x:
            post:
              operationId: call
        """
    )
    if body:
        text += textwrap.indent(textwrap.dedent(body), " " * 6)
    text += '      responses:\n        "200":\n          description: ok\n          content:\n'
    text += textwrap.indent(textwrap.dedent(content), " " * 12)
    api, warnings = build_api(Spec(load(write_spec(text, "spec.yaml"))))
    return api.operations[0], [f"{w}" for w in warnings]


def test_json_alone_keeps_one_method(built: tuple[m.Api, list[SpecWarning]]) -> None:
    api, _ = built
    response = ok(api, "create_chat")
    assert response.contents[0] == m.JsonContent("application/json", t.ModelRef("Chat"))
    assert op(api, "download_file").stream_name == "download_file_stream"
    assert op(api, "list_items").stream_name is None and ok(api, "list_items").contents == ()


def test_json_and_event_stream_with_a_stream_flag(built: tuple[m.Api, list[SpecWarning]]) -> None:
    api, _ = built
    response = ok(api, "create_chat")
    assert response.contents == (
        m.JsonContent("application/json", t.ModelRef("Chat")),
        m.EventStreamContent("text/event-stream", t.ModelRef("ChatChunk")),
    )
    assert response.stream_switch == m.StreamSwitch("stream")
    assert op(api, "create_chat").stream_name == "create_chat_stream"
    # the switch belongs to the success response only
    assert all(r.stream_switch is None for r in op(api, "create_chat").responses if r.status == "429")


def test_event_stream_items_from_an_array_schema(built: tuple[m.Api, list[SpecWarning]]) -> None:
    api, _ = built
    assert ok(api, "listen_events").contents == (m.EventStreamContent("text/event-stream", t.ModelRef("ChatChunk")),)
    assert op(api, "listen_events").stream_name is None  # the method itself returns the stream


def test_undocumented_event_data_is_text(built: tuple[m.Api, list[SpecWarning]]) -> None:
    api, _ = built
    assert ok(api, "tail_log").contents == (
        m.EventStreamContent("text/event-stream", t.Primitive("str"), item_json=False),
    )


def test_json_lines_media_types(built: tuple[m.Api, list[SpecWarning]]) -> None:
    api, _ = built
    assert ok(api, "watch_pods").contents == (
        m.JsonLinesContent("application/json;stream=watch", t.ModelRef("WatchEvent")),
    )
    assert ok(api, "export_rows").contents == (m.JsonLinesContent("application/x-ndjson", t.ModelRef("Row")),)


def test_several_media_types_json_first_xml_beside_json_left_out(built: tuple[m.Api, list[SpecWarning]]) -> None:
    api, _ = built
    assert ok(api, "get_report").contents == (
        m.JsonContent("application/json", t.ModelRef("Row")),
        m.TextContent("text/csv"),
        m.BinaryContent("application/pdf"),
    )
    assert op(api, "get_report").stream_name == "get_report_stream"  # the PDF, downloaded


def test_unparsed_media_types_warn_with_their_pointer(built: tuple[m.Api, list[SpecWarning]]) -> None:
    api, warnings = built
    assert ok(api, "get_legacy").contents == (m.TextContent("application/xml"),)
    texts = [str(w) for w in warnings]
    assert any(
        "#/paths/~1legacy/get/responses/200/content/application~1xml" in w and "returns the body as text" in w
        for w in texts
    ), texts
    assert any("multipart~1byteranges" in w and "returns the body as bytes" in w for w in texts), texts


@pytest.mark.parametrize(
    "media",
    ["application/x-ndjson", "application/jsonl", "application/x-json-stream", "application/json; stream=watch"],
)
def test_json_lines_flavours(write_spec: Callable[[str, str], Path], media: str) -> None:
    operation, _ = one_response(write_spec, f'"{media}":\n  schema: {{type: object}}\n')
    assert isinstance(operation.responses[0].contents[0], m.JsonLinesContent)


def test_event_envelope_schema_types_the_data_member(write_spec: Callable[[str, str], Path]) -> None:
    operation, _ = one_response(
        write_spec,
        """\
        text/event-stream:
          schema:
            type: object
            properties:
              event: {type: string}
              id: {type: string}
              data: {type: object, required: [n], properties: {n: {type: integer}}}
        """,
    )
    content = operation.responses[0].contents[0]
    assert isinstance(content, m.EventStreamContent) and content.item_json
    assert isinstance(content.item, t.ModelRef)


def test_stream_flag_without_json_alternative_still_switches(write_spec: Callable[[str, str], Path]) -> None:
    operation, _ = one_response(
        write_spec,
        "text/event-stream:\n  schema: {type: object}\n",
        body="""\
        requestBody:
          content:
            application/json:
              schema: {type: object, properties: {stream: {type: [boolean, "null"]}}}
        """,
    )
    assert operation.responses[0].stream_switch == m.StreamSwitch("stream")
    assert operation.stream_name is None


def test_stream_name_never_takes_an_operations_name(write_spec: Callable[[str, str], Path]) -> None:
    text = textwrap.dedent(
        """\
        openapi: 3.1.0
        info: {title: T, version: "1"}
        paths:
          /things/a:
            get:
              operationId: fetch
              responses:
                "200": {description: ok, content: {application/octet-stream: {}}}
          /things/b:
            get:
              operationId: fetch_stream
              responses:
                "200": {description: ok}
        """
    )
    api, _ = build_api(Spec(load(write_spec(text, "spec.yaml"))))
    names = {o.name: o.stream_name for o in api.operations}
    assert names == {"fetch": "fetch_stream2", "fetch_stream": None}


def test_wildcard_media_type_with_a_json_schema_is_json(write_spec: Callable[[str, str], Path]) -> None:
    operation, _ = one_response(write_spec, '"*/*":\n  schema: {type: object, properties: {a: {type: string}}}\n')
    assert isinstance(operation.responses[0].contents[0], m.JsonContent)
    operation, _ = one_response(write_spec, '"*/*":\n  schema: {type: string, format: binary}\n')
    assert operation.responses[0].contents == (m.BinaryContent("*/*"),)


def test_ir_dump(built: tuple[m.Api, list[SpecWarning]], snapshot: Callable[[str, str], None]) -> None:
    api, _ = built
    snapshot("ir/responses.json", dumps(api))


def test_diff_tells_a_stream_from_its_items(write_spec: Callable[[str, str], Path]) -> None:
    from generator.diff import compare, surface

    json_op, _ = one_response(
        write_spec, "application/json:\n  schema: {type: object, properties: {a: {type: string}}}\n"
    )
    sse_op, _ = one_response(
        write_spec, "text/event-stream:\n  schema: {type: object, properties: {a: {type: string}}}\n"
    )
    both_op, _ = one_response(
        write_spec,
        "application/json:\n  schema: {type: object, properties: {a: {type: string}}}\n"
        "text/event-stream:\n  schema: {type: object, properties: {a: {type: string}}}\n",
    )

    def api(operation: m.Operation) -> m.Api:
        return m.Api("T", "1", None, (), (), (operation,), (), ())

    changes = compare(surface(api(json_op)), surface(api(sse_op)))
    assert [(c.breaking, c.what) for c in changes] == [(True, "result")], changes
    assert "events of" in changes[0].detail
    # offering the stream beside the JSON (a new `call_stream` method) is visible too
    op = surface(api(both_op))["operations"]["x.call"]
    assert [c["read"] for c in op["responses"]["200"]["contents"]] == ["json", "events"]
    assert op["stream"] == "call_stream"
    changes = compare(surface(api(json_op)), surface(api(both_op)))
    assert sorted((c.what, c.breaking) for c in changes) == [("operation", False), ("result", False)], changes
    assert [c.detail for c in changes if c.what == "operation"] == ["call_stream() added"]
    # and taking it away again breaks the callers of `call_stream`
    assert [c.breaking for c in compare(surface(api(both_op)), surface(api(json_op)))] == [True, True]


def test_accept_header_lists_media_types_in_preference_order() -> None:
    from generator.emit.accept import accept_header as _accept
    from generator.emit.python import _accept_default

    assert _accept(["application/json", "text/csv", "application/pdf"]) == (
        "application/json, text/csv;q=0.9, application/pdf;q=0.8"
    )
    assert _accept(["text/plain; charset=utf-8"]) == "text/plain"
    assert _accept(["application/json; stream=watch"]) == "application/json;stream=watch"
    assert _accept(["*/*"]) == "application/json"
    assert _accept_default("application/json; charset=utf-8", "json")
    assert not _accept_default("application/vnd.api+json", "json")  # JSON:API servers insist on it
