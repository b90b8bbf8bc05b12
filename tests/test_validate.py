"""The fast validator (openapi-spec-validator-rs, the default) gives the reference
validator's (openapi-spec-validator) verdict: the same messages, in the same order, at the
same pointers, on Polar's specs and on invalid documents of many kinds."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import test_bad_input
from helpers import ROOT, shared_specs_dir

from generator import validate
from generator.diagnostics import ConfigError, SpecError
from generator.load import load


def _doc(schemas: dict[str, Any], **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "get_a",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }
    doc.update(extra)
    return doc


_NESTED = {"type": "object", "properties": {"b": {"type": "array", "items": {"$ref": "#/components/schemas/B"}}}}

CASES: dict[str, dict[str, Any]] = {
    "3.0-style boolean exclusiveMaximum": _doc({"A": {"type": "integer", "maximum": 5, "exclusiveMaximum": True}}),
    "default that does not fit": _doc({"A": {"type": "integer", "default": "x"}}),
    # the fast validator hands back a copy of the schema: its pointer is found by content
    "default that does not fit, deep inside, after an equal-looking schema": _doc(
        {
            "A": {"type": "object", "properties": {"p": {"type": "integer", "default": 1}}},
            "B": {
                "type": "object",
                "properties": {"q": {"type": "array", "items": {"type": "integer", "default": "x"}}},
            },
        }
    ),
    "default that does not fit, in a 3.0 document": {
        **_doc({"A": {"type": "object", "properties": {"n": {"type": "number", "default": "no"}}}}),
        "openapi": "3.0.3",
    },
    "misspelt type, deep inside": _doc({"A": _NESTED, "B": {"type": "object", "properties": {"c": {"type": "strin"}}}}),
    "required names an undefined property": _doc(
        {"A": {"allOf": [{"$ref": "#/components/schemas/B"}], "required": ["zz"]}, "B": {"type": "object"}}
    ),
    "unknown top-level key": _doc({"A": {"type": "string"}}, unknown=1),
    "parameter without `in`, server without url": _doc(
        {"A": {"type": "string"}},
        servers=[{"description": "no url"}],
        paths={"/a": {"get": {"parameters": [{"name": "q", "schema": {"type": "string"}}], "responses": {}}}},
    ),
    "schema that is not an object": _doc({"A": {"type": "object", "properties": {"p": 3}}}),
    "anyOf member with a bad enum": _doc({"A": {"anyOf": [{"type": "string", "enum": "abc"}, {"type": "null"}]}}),
    "unknown dialect": _doc({"A": {"$schema": "https://example.test/nope", "type": "string"}}),
    "more problems than are reported": _doc(
        {f"S{i}": {"type": "integer", "default": f"x{i}"} for i in range(validate.MAX_REPORTED + 5)}
    ),
}


def _bad_input_documents() -> dict[str, dict[str, Any]]:
    """Every OpenAPI document `tests/test_bad_input.py` feeds the generator, read by the
    generator's own loader (documents it refuses never reach a validator)."""
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, value in vars(test_bad_input).items():
            if isinstance(value, str) and "openapi" in value:
                path = Path(tmp) / "spec.yaml"
                path.write_text(value, encoding="utf-8")
                try:
                    data = load(path).data
                except SpecError:
                    continue
                if isinstance(data, dict) and "openapi" in data:
                    found[name] = data
    return found


BAD_INPUT = _bad_input_documents()


def _both(data: dict[str, Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    fast = list(validate.run_validator(copy.deepcopy(data), "fast"))
    reference = list(validate.run_validator(copy.deepcopy(data), "reference"))
    return fast, reference


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_verdict_on_invalid_documents(case: str) -> None:
    fast, reference = _both(CASES[case])
    assert reference, "the case should make the validator complain"
    assert fast == reference


@pytest.mark.parametrize("name", sorted(BAD_INPUT))
def test_same_verdict_on_the_bad_input_documents(name: str) -> None:
    fast, reference = _both(BAD_INPUT[name])
    assert fast == reference


def test_the_bad_input_documents_are_not_all_valid() -> None:
    """The comparison above is not vacuous: many documents are rejected or abort."""
    complaints = [name for name, data in BAD_INPUT.items() if _both(data)[1]]
    aborts = [name for name, data in BAD_INPUT.items() if any("could not finish" in m for _, m in _both(data)[1])]
    assert len(BAD_INPUT) >= 30 and len(complaints) >= 20 and len(aborts) >= 8


@pytest.mark.slow  # Polar's big specs, through both validators
@pytest.mark.parametrize("name", ["polar-2025-01", "polar-2025-02", "polar-2026-10"])
def test_same_verdict_on_polar(name: str) -> None:
    data = json.loads((shared_specs_dir() / f"{name}.openapi.json").read_bytes())
    fast, reference = _both(data)
    assert fast == reference
    if name == "polar-2025-02":
        # duplicate operationIds among them: the comparison is not vacuous
        assert len(reference) == validate.MAX_REPORTED + 1
        assert reference[-1][1] == "openapi-spec-validator: 68 more problems not shown."


def test_the_fast_validator_gives_the_verdict_unless_it_stops() -> None:
    """Its own errors when it finishes; the reference validator's when it stops (which
    keeps the problems the reference finds before stopping)."""
    import openapi_spec_validator
    import openapi_spec_validator_rs

    finished = list(validate._errors(copy.deepcopy(CASES["misspelt type, deep inside"]), "fast"))
    assert finished and all(isinstance(e, openapi_spec_validator_rs.OpenAPIValidationError) for e in finished)
    stopping = CASES["parameter without `in`, server without url"]
    with pytest.raises(openapi_spec_validator_rs.ValidationAbortedError):
        list(openapi_spec_validator_rs.OpenAPIV31SpecValidator(copy.deepcopy(stopping)).iter_errors())
    found = validate._errors(copy.deepcopy(stopping), "fast")
    first = next(found)
    assert isinstance(first, openapi_spec_validator.validation.exceptions.OpenAPIValidationError)
    with pytest.raises(KeyError):
        list(found)


def test_known_difference_idn_hostname() -> None:
    """The one difference found (APIs.guru-style corpus, docs/performance.md): the reference
    checks `idn-hostname` formats only when the optional `idna` package is installed
    (httpx brings it here); the fast validator follows the reference's own dependencies,
    without `idna`, and does not check them. If either side changes, this fails and the
    docs need a look."""
    pytest.importorskip("idna")  # installed with the test extra (httpx)
    data = _doc({"A": {"type": "string", "format": "idn-hostname", "default": "Bücher.example"}})
    fast, reference = _both(data)
    assert fast == []
    assert reference == [
        ("#/components/schemas/A/default", "openapi-spec-validator: 'Bücher.example' is not a 'idn-hostname'")
    ]


def test_the_fast_validator_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(validate.VALIDATOR_ENV, raising=False)
    assert validate.chosen_validator() == "fast"
    monkeypatch.setenv(validate.VALIDATOR_ENV, "reference")
    assert validate.chosen_validator() == "reference"
    monkeypatch.setenv(validate.VALIDATOR_ENV, "strict")
    with pytest.raises(ConfigError, match="SDKGEN_VALIDATOR='strict' is not a validator"):
        validate.chosen_validator()


def test_verdicts_are_cached_per_validator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(CASES["default that does not fit"]))
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    doc = load(spec)
    verdicts = {}
    for name in ("fast", "reference"):
        monkeypatch.setenv(validate.VALIDATOR_ENV, name)
        assert validate.cached_verdict(doc) is None
        verdicts[name] = validate.verdict(doc)
        assert validate.cached_verdict(doc) == verdicts[name]
    assert verdicts["fast"] == verdicts["reference"] != []
    names = sorted(p.name for p in (tmp_path / "cache" / "validate").iterdir())
    assert [n.split("-")[1] for n in names] == ["fast", "reference"]


def test_a_warning_names_file_line_and_pointer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(CASES["default that does not fit"], indent=1))
    (warning,) = validate.validate(load(spec))
    assert (warning.location.file, warning.location.pointer) == (str(spec), "#/components/schemas/A/default")
    assert warning.location.line == spec.read_text().splitlines().index('    "default": "x"') + 1


def test_no_private_api_of_the_validators() -> None:
    """The validators are used through their public classes only."""
    source = (ROOT / "generator" / "validate.py").read_text()
    assert not re.findall(r"\b_(get_schema_checker|validate_schema_meta|resolver|processes|core)\b", source)


def test_an_unknown_validator_setting_is_a_clear_error(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from helpers import SEED_SPEC

    env = {**os.environ, validate.VALIDATOR_ENV: "bogus", "SDKGEN_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SEED_SPEC), "-o", str(tmp_path / "out"), "-p", "pc"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode == 2, run
    assert "SDKGEN_VALIDATOR='bogus' is not a validator" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


def test_generate_reports_the_same_warnings_with_either_validator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast one runs in this process, the reference one in a worker beside rendering."""
    from generator import pipeline
    from generator.config import Job

    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps(CASES["default that does not fit, deep inside, after an equal-looking schema"], indent=1)
    )
    found = {}
    for name in ("fast", "reference"):
        monkeypatch.setenv(validate.VALIDATOR_ENV, name)
        monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / f"cache-{name}"))
        result = pipeline.generate(Job(spec, tmp_path / f"out-{name}", "pc"))
        found[name] = [str(w) for w in result.warnings if "openapi-spec-validator" in w.message]
    assert found["fast"] == found["reference"]
    assert len(found["fast"]) == 1 and "#/components/schemas/B/properties/q/items/default" in found["fast"][0]


@pytest.mark.parametrize("name", ["fast", "reference"])
def test_an_external_ref_is_never_fetched(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Spec text never makes sdkgen open a URL: a document with an external `$ref` (here in
    a schema nothing uses, so generation itself goes on) is not handed to a validator, which
    would fetch it; a local server on 127.0.0.1 counts what it is asked for."""
    import http.server
    import threading

    from generator import pipeline
    from generator.config import Job

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            body = b'{"type": "string"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/remote.json"
        doc = _doc({"A": {"type": "string"}, "Unused": {"$ref": url}})
        spec = tmp_path / "spec.json"
        spec.write_text(json.dumps(doc, indent=1))
        monkeypatch.setenv(validate.VALIDATOR_ENV, name)
        monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
        result = pipeline.generate(Job(spec, tmp_path / "out", "pc"))
        fetched_by_generate = list(asked)
        # the control: handed the document, the validator itself does fetch it
        list(validate.run_validator(doc, name))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert fetched_by_generate == []
    assert asked == ["/remote.json"]
    found = [w for w in result.warnings if "not validated" in w.message]
    assert len(found) == 1 and url in found[0].message
    assert found[0].location.pointer == "#/components/schemas/Unused/$ref"


def test_external_ref_looks_at_references_not_at_data() -> None:
    url = "http://127.0.0.1:9/x.json"
    # a property (or a response, a component) may be named like a data keyword
    named = _doc({"A": {"type": "object", "properties": {"value": {"$ref": url}, "default": {"type": "string"}}}})
    assert validate.external_ref(named) == ("#/components/schemas/A/properties/value/$ref", url)
    # `$ref` keys inside examples, defaults, constants and extensions are values
    data = _doc(
        {
            "A": {
                "type": "object",
                "examples": [{"$ref": url}],
                "default": {"$ref": url},
                "x-note": {"$ref": url},
                "properties": {"p": {"type": "object", "example": {"$ref": url}, "enum": [{"$ref": url}]}},
            }
        }
    )
    assert validate.external_ref(data) is None
    # an Example Object may be a reference; its `value` is data
    media = _doc({"A": {"type": "string"}})
    content = media["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
    content["examples"] = {"one": {"value": {"$ref": url}}, "two": {"$ref": url}}
    assert validate.external_ref(media) == (
        "#/paths/~1a/get/responses/200/content/application~1json/examples/two/$ref",
        url,
    )
    # the quick pass (no pointers, any order) agrees with the full walk
    for doc in (named, data, media, _doc({"A": {"type": "string"}})):
        assert validate._leaves(doc) == (validate.external_ref(doc) is not None)
    for spec in sorted((ROOT / "tests" / "specs").glob("*.yaml")):
        loaded = load(spec).data
        assert validate._leaves(loaded) == (validate.external_ref(loaded) is not None), spec


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_dangling_ref_is_named_not_the_whole_document(version: str) -> None:
    """The validator stops on a `$ref` to nothing; its text went on with the whole
    document: the warning names the reference and points at it, in one short line."""
    big = {f"Filler{i}": {"type": "object", "description": "x" * 200} for i in range(50)}
    data = _doc({"A": {"type": "object", "properties": {"parent": {"$ref": "#/components/schemas/Nope"}}}, **big})
    data["openapi"] = version
    fast, reference = _both(data)
    assert fast == reference
    stops = [(where, message) for where, message in reference if "could not finish" in message]
    assert stops == [
        (
            "#/components/schemas/A/properties/parent/$ref",
            "openapi-spec-validator could not finish: $ref '#/components/schemas/Nope' points to nothing in this document.",
        )
    ]
    assert all(len(message) < 500 for _, message in reference)


@pytest.mark.parametrize(
    ("raised", "says"),
    [
        (KeyError("content"), "a key 'content' missing or not an object"),
        (RecursionError("maximum recursion depth exceeded while calling a Python object"), "nesting too deep"),
    ],
)
def test_an_abort_without_a_place_says_what_stopped_the_validator(raised: Exception, says: str) -> None:
    """A bare KeyError text (`'content'`) or Python's recursion message told a user nothing."""
    where, text = validate._abort_text(raised, validate._Where({}))
    assert where == "#" and says in text and "Python object" not in text


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (("components", "schemas", "A", "default"), "default"),
        (("components", "schemas", "A", "examples", 0, "link"), "examples"),
        (("paths", "/a", "get", "x-extra", "k"), "x-extra"),
        (("components", "schemas", "A", "properties", "default", "items"), None),  # a property named default
        (("paths", "/a", "get", "responses", "200", "content", "application/json", "examples", "one"), None),
    ],
)
def test_a_ref_inside_data_is_told_apart_from_a_reference(path: tuple[object, ...], data: str | None) -> None:
    """The validator follows `$ref` keys inside example/default data and stops on them:
    the warning must say that, not that a reference points to nothing."""
    assert validate._data_key(path) == data


# Every addition of OpenAPI 3.2 (generator/openapi32.py), each where it may be.
_ITEM = {"type": "object", "properties": {"n": {"type": "integer"}}}
_ALL_32: dict[str, Any] = {
    "openapi": "3.2.0",
    "$self": "https://example.com/openapi.yaml",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "https://api.example.com", "name": "production"}],
    "tags": [{"name": "things", "summary": "Things", "kind": "nav"}, {"name": "cakes", "parent": "things"}],
    "paths": {
        "/things": {
            "query": {"operationId": "search", "responses": {"200": {"description": "ok"}}},
            "additionalOperations": {"COPY": {"operationId": "copy", "responses": {"200": {"description": "ok"}}}},
            "get": {
                "operationId": "list",
                "parameters": [
                    {
                        "name": "q",
                        "in": "querystring",
                        "content": {"application/x-www-form-urlencoded": {"schema": {}}},
                    },
                    {"name": "c", "in": "cookie", "style": "cookie", "schema": {"type": "object"}},
                ],
                "responses": {
                    "200": {
                        "description": "a stream",
                        "summary": "Things, one by one",
                        "content": {
                            "text/event-stream": {"itemSchema": _ITEM},
                            "multipart/mixed": {"itemEncoding": {"contentType": "application/json"}},
                            "multipart/form-data": {
                                "schema": {"type": "object"},
                                "prefixEncoding": [{"contentType": "text/plain"}],
                                "encoding": {"part": {"contentType": "multipart/mixed", "itemEncoding": {}}},
                            },
                            "application/json": {
                                "schema": {
                                    "oneOf": [{"$ref": "#/components/schemas/Cat"}],
                                    "discriminator": {"propertyName": "kind", "defaultMapping": "Cat"},
                                },
                                "examples": {"one": {"dataValue": {"n": 1}, "serializedValue": '{"n": 1}'}},
                            },
                        },
                    }
                },
            },
        }
    },
    "components": {
        "schemas": {"Cat": {"type": "object", "xml": {"nodeType": "element"}}},
        "mediaTypes": {"Things": {"itemSchema": _ITEM}},
        "securitySchemes": {
            "oauth": {
                "type": "oauth2",
                "deprecated": True,
                "oauth2MetadataUrl": "https://example.com/.well-known/oauth-authorization-server",
                "flows": {
                    "deviceAuthorization": {
                        "deviceAuthorizationUrl": "https://example.com/device",
                        "tokenUrl": "https://example.com/token",
                        "scopes": {},
                    }
                },
            }
        },
    },
}


@pytest.mark.parametrize("validator", ["fast", "reference"])
def test_an_openapi_32_document_is_validated_by_31_s_rules_without_32_s_additions(validator: str) -> None:
    """Neither validator has a 3.2 schema: 3.1's flagged the version and every addition,
    which the builder reads itself. The same document declared 3.1 shows each one is
    really there to be flagged; a 3.1 rule broken in a 3.2 document is still reported."""
    as_31 = {**copy.deepcopy(_ALL_32), "openapi": "3.1.0"}
    flagged = " ".join(f"{p} {m}" for p, m in validate.run_validator(as_31, validator))  # type: ignore[arg-type]
    for addition in ("$self", "name", "parent", "query", "additionalOperations", "querystring", "itemSchema"):
        assert addition in flagged, f"{addition} not flagged in 3.1: {flagged}"
    document = copy.deepcopy(_ALL_32)
    assert list(validate.run_validator(document, validator)) == []  # type: ignore[arg-type]
    assert document == _ALL_32  # the builder reads the document as written
    broken = copy.deepcopy(_ALL_32)
    del broken["paths"]["/things"]["get"]["responses"]["200"]["description"]
    broken["servers"].append({"name": "a server without a url"})
    found = list(validate.run_validator(broken, validator))  # type: ignore[arg-type]
    assert sorted(found) == [
        ("#/paths/~1things/get/responses/200", "openapi-spec-validator: 'description' is a required property"),
        ("#/servers/1", "openapi-spec-validator: 'url' is a required property"),
    ], found
