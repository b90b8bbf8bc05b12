"""Keywords with the wrong JSON type: a clear warning or error, never a traceback.

Each case here was a traceback before (found by mutating real specs: a value swapped for
a number, a list, a mapping or a boolean): the validator's verdict is only reported, so the
builder reads whatever the document holds.

- A description, summary or title that is not a string is left out of the docs (the
  validator's verdict names it).
- A schema keyword that shapes values (`required`, `properties`, `allOf`, `type`, ...) with
  the wrong JSON type is ignored, with a warning naming it (as before for the ones that
  did not crash: `properties: [kind]` in test_bad_input's `odd-shapes` case).
- An operation whose `parameters`, request body `content` or `security` cannot be read is
  left out of the client with an error naming the place: generated anyway, it would send
  no parameters, no body or no credentials. A response `content` that cannot be read is
  warned about: the response is read as having no body.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from output_checks import cli_generate

from generator.builder import build_api
from generator.load import load
from generator.normalize import Spec

SPEC = textwrap.dedent(
    """\
    openapi: 3.0.3
    info: {title: {a: 1}, version: [1], description: 42}
    security: [{token: []}]
    paths:
      /pets:
        get:
          operationId: listPets
          summary: [not, text]
          description: {not: text}
          tags: true
          parameters:
            - {name: q, in: query, description: 3, schema: {type: string, description: 5}}
          responses:
            "200":
              description: {x: 1}
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Pet"}
      /params:
        post:
          operationId: badParameters
          parameters: true
          responses: {"204": {description: done}}
      /body:
        post:
          operationId: badBody
          requestBody: {content: [application/json]}
          responses: {"204": {description: done}}
      /content:
        get:
          operationId: badResponseContent
          responses: {"200": {description: ok, content: [application/json]}}
      /security:
        get:
          operationId: badSecurity
          security: {token: []}
          responses: {"204": {description: done}}
    components:
      securitySchemes:
        token: {type: http, scheme: bearer}
      schemas:
        Pet:
          type: object
          title: 7
          description: [1]
          required: {name: true}
          properties:
            name: {type: string, description: 4.5}
        Cat:
          allOf:
            - {$ref: "#/components/schemas/Pet"}
            - {required: 3, properties: {lives: {type: integer}}}
    """
)


def _built(tmp_path: Path) -> tuple[object, list[str]]:
    path = tmp_path / "wrong.yaml"
    path.write_text(SPEC, "utf-8")
    api, warnings = build_api(Spec(load(path)))
    return api, [str(w) for w in warnings]


def test_text_that_is_no_string_is_left_out(tmp_path: Path) -> None:
    from generator.ir import model as m

    api, _ = _built(tmp_path)
    assert isinstance(api, m.Api)
    assert (api.title, api.version, api.description) == ("API", "", None)
    (op,) = [o for o in api.operations if o.operation_id == "listPets"]
    assert (op.summary, op.description, op.tags) == (None, None, ())
    assert [p.description for p in op.parameters] == [None]
    assert [r.description for r in op.responses] == [None]
    pet = next(x for x in api.models if x.name == "Pet")
    assert (pet.title, pet.description, [f.description for f in pet.fields]) == (None, None, [None])


def test_a_wrongly_typed_schema_keyword_is_ignored_with_a_warning(tmp_path: Path) -> None:
    api, warnings = _built(tmp_path)
    pet = next(x for x in api.models if x.name == "Pet")  # type: ignore[attr-defined]
    assert [(f.json_name, f.required) for f in pet.fields] == [("name", False)]
    assert any(
        "#/components/schemas/Pet/required: `required` must be a list of property names: it is ignored." in w
        for w in warnings
    ), warnings
    assert any("#/components/schemas/Cat/allOf/1/required: `required` must be a list" in w for w in warnings)
    cat = next(x for x in api.models if x.name == "Cat")  # type: ignore[attr-defined]
    assert [(f.json_name, f.required) for f in cat.fields] == [("name", False), ("lives", False)]


def test_operations_whose_parameters_body_or_security_cannot_be_read_are_left_out(tmp_path: Path) -> None:
    api, warnings = _built(tmp_path)
    assert [o.operation_id for o in api.operations] == ["listPets", "badResponseContent"]  # type: ignore[attr-defined]
    errors = [w for w in warnings if w.startswith("error:")]
    assert any(
        "#/paths/~1params/post/parameters: operation POST /params left out of the client: "
        "`parameters` must be a list of parameter objects." in e
        for e in errors
    ), errors
    assert any(
        "#/paths/~1body/post/requestBody/content: operation POST /body left out of the client: "
        "a request body needs `content`" in e
        for e in errors
    ), errors
    assert any(
        "#/paths/~1security/get/security: operation GET /security left out of the client: "
        "`security` must be a list of security requirements" in e
        for e in errors
    ), errors


def test_a_response_content_that_cannot_be_read_is_warned_about(tmp_path: Path) -> None:
    api, warnings = _built(tmp_path)
    (op,) = [o for o in api.operations if o.operation_id == "badResponseContent"]  # type: ignore[attr-defined]
    assert [(r.status, r.type) for r in op.responses] == [("200", None)]
    assert any(
        "#/paths/~1content/get/responses/200/content: `content` must be a mapping of media types" in w
        and "read as having no body" in w
        for w in warnings
    ), warnings


def test_the_cli_generates_the_rest_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(SPEC, "utf-8")
    run = cli_generate(path, tmp_path / "out", "wrong", cwd=tmp_path, cache=tmp_path / "cache")
    assert run.code == 0 and not run.crashed, run
    assert "wrong.yaml:22 at #/paths/~1params/post/parameters" in run.stderr, run
    pets = (tmp_path / "out" / "wrong" / "services" / "pets.py").read_text("utf-8")
    assert "def list_pets(" in pets and "not, text" not in pets


def test_operations_under_a_document_security_that_cannot_be_read_are_left_out(tmp_path: Path) -> None:
    """Each would go without credentials: each is left out, naming the root `security`."""
    path = tmp_path / "wrong.yaml"
    path.write_text(SPEC.replace("security: [{token: []}]", "security: {token: []}", 1), "utf-8")
    run = cli_generate(path, tmp_path / "out", "wrong", cwd=tmp_path, cache=tmp_path / "cache")
    assert run.code == 0 and not run.crashed, run
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert [e.split(": ")[2].split(" left out")[0] for e in errors if "wrong.yaml:3 at #/security:" in e] == [
        "operation GET /pets",
        "operation POST /params",
        "operation POST /body",
        "operation GET /content",
    ], run
    assert "def " not in "".join(p.read_text("utf-8") for p in (tmp_path / "out" / "wrong" / "services").glob("*.py"))
