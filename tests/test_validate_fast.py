"""The faster 3.1 validator (references crawled once) gives the stock validator's verdict."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator import validate
from helpers import shared_specs_dir


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
}


def _both(data: dict[str, Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    fast = list(validate._run_validator(copy.deepcopy(data)))
    stock = list(validate._run_validator(copy.deepcopy(data), stock=True))
    return fast, stock


def test_the_fast_path_is_the_one_used() -> None:
    _, v31 = validate._validator_classes()
    from openapi_spec_validator import OpenAPIV31SpecValidator

    assert v31 is not OpenAPIV31SpecValidator and issubclass(v31, OpenAPIV31SpecValidator)


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_verdict_on_invalid_documents(case: str) -> None:
    fast, stock = _both(CASES[case])
    assert stock, "the case should make the validator complain"
    assert fast == stock


@pytest.mark.parametrize("name", ["polar-2025-01", "polar-2025-02"])
def test_same_verdict_on_polar(name: str) -> None:
    import json

    data = json.loads((shared_specs_dir() / f"{name}.openapi.json").read_bytes())
    fast, stock = _both(data)
    assert fast == stock
    if name == "polar-2025-02":
        assert len(stock) == 21  # duplicate operationIds among them: the comparison is not vacuous
