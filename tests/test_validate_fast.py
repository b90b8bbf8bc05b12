"""The faster validator (references crawled once, meta-schema passes remembered) gives
the stock validator's verdict."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator import validate
from generator.validate_fast import MetaPasses, remembering_passes, validator_classes
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


def _remembered(data: dict[str, Any], passes: MetaPasses) -> list[tuple[str, str]]:
    with remembering_passes(passes):
        return list(validate._run_validator(copy.deepcopy(data)))


def test_the_fast_path_is_the_one_used() -> None:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    v30, v31 = validator_classes()
    assert v31 is not OpenAPIV31SpecValidator and issubclass(v31, OpenAPIV31SpecValidator)
    assert v30 is not OpenAPIV30SpecValidator and issubclass(v30, OpenAPIV30SpecValidator)


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
        passes = MetaPasses()
        assert _remembered(data, passes) == stock
        again = MetaPasses(set(passes.found))
        assert _remembered(data, again) == stock
        assert again.misses == 0 and again.hits == passes.misses > 500  # every check of the first run


@pytest.mark.parametrize("case", sorted(CASES))
def test_remembered_passes_keep_the_verdict(case: str) -> None:
    """Second run with every pass of the first remembered: same complaints (failures are
    never remembered, so they are found again)."""
    data = CASES[case]
    passes = MetaPasses()
    first = _remembered(data, passes)
    second = _remembered(data, MetaPasses(set(passes.found)))
    assert first == second == list(validate._run_validator(copy.deepcopy(data), stock=True))


def test_after_a_one_schema_edit_only_that_schema_is_checked_again() -> None:
    schemas = {f"S{i}": {"type": "object", "properties": {"n": {"type": "integer", "maximum": i}}} for i in range(30)}
    data = _doc({"A": {"type": "string"}, **schemas})
    passes = MetaPasses()
    assert _remembered(data, passes) == []
    assert passes.hits == 0 and passes.misses == len(passes.found) == 31
    edited = copy.deepcopy(data)
    edited["components"]["schemas"]["S7"]["properties"]["n"]["exclusiveMaximum"] = True  # 3.0 style: wrong in 3.1
    again = MetaPasses(set(passes.found))
    got = _remembered(edited, again)
    assert (again.hits, again.misses) == (30, 1)
    assert got == list(validate._run_validator(copy.deepcopy(edited), stock=True)) != []


def test_the_same_content_under_another_checker_is_not_a_hit() -> None:
    """A 3.0 document's schema is checked against the 3.0 meta-schema even if the same
    content passed the 3.1 one."""
    schema = {"type": "string", "nullable": True}
    doc31 = _doc({"A": schema})
    passes = MetaPasses()
    _remembered(doc31, passes)
    doc30 = {**_doc({"A": schema}), "openapi": "3.0.3"}
    again = MetaPasses(set(passes.found))
    _remembered(doc30, again)
    assert again.hits == 0 and again.misses > 0


def test_passes_survive_in_the_cache_file(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path))
    passes = MetaPasses.load()
    _remembered(_doc({"A": {"type": "string"}}), passes)
    passes.save()
    assert MetaPasses.load().known == passes.found != set()
