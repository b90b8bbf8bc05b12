"""A cold `generate` lets go of the parsed spec once the IR is built (issue 16, peak
memory): what it keeps still locates the validator's warnings, with their lines."""

from __future__ import annotations

import json
from pathlib import Path

from generator.config import Job
from generator.load import load
from generator.pipeline import generate

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "operationId": "listThings",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "integer", "minimum": "zero"}}}}
    },
}


def test_warnings_located_after_the_spec_is_released(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC, indent=2))
    result = generate(Job(spec, tmp_path / "out", "things"), use_cache=False)
    assert result.document.data == {}  # only the text is kept past the IR build
    where = {w.location.pointer: w.location.line for w in result.warnings}
    ptr = "#/components/schemas/Thing/properties/id/minimum"
    assert ptr in where, result.warnings
    line = spec.read_text().splitlines().index('            "minimum": "zero"') + 1
    assert where[ptr] == line


def test_text_only_locates_as_the_full_document(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC, indent=2))
    doc = load(spec)
    lean = doc.text_only()
    assert (lean.data, lean.sha256, lean.name) == ({}, doc.sha256, doc.name)
    for ptr in ("#/paths/~1things/get", "#/components/schemas/Thing/properties/id", "#/nowhere"):
        assert lean.locate(ptr) == doc.locate(ptr)
