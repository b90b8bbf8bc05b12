"""A form body whose schema is a string (spoonacular: `schema: {type: string}`, example
`instructions=Put the garlic in a pan`): the caller holds the encoded form. The method
took `str` and the runtime then refused every call ("a form body is a mapping of
fields, not str"), so the operation could not be used at all. Now the text (or bytes)
is sent as given under the form's media type, with a warning at generation; checked
through the real Starlette server, which parses it as a form."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import strict_client

from generator.builder import build_api
from generator.config import Job
from generator.ir import model as m
from generator.load import load
from generator.normalize import Spec

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

FORM = "application/x-www-form-urlencoded"
OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "formtext", "version": "1"},
    "paths": {
        "/analyze": {
            "post": {
                "operationId": "analyze",
                "tags": ["recipes"],
                "requestBody": {"required": True, "content": {FORM: {"schema": {"type": "string"}}}},
                "responses": OK,
            }
        },
        "/raw": {
            "post": {
                "operationId": "raw",
                "tags": ["recipes"],
                "requestBody": {
                    "required": True,
                    "content": {FORM: {"schema": {"type": "string", "format": "binary"}}},
                },
                "responses": OK,
            }
        },
        "/fields": {
            "post": {
                "operationId": "fields",
                "tags": ["recipes"],
                "requestBody": {
                    "required": True,
                    "content": {FORM: {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}}},
                },
                "responses": OK,
            }
        },
    },
}


def test_the_ir_sends_the_text_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(SPEC, indent=1))
    api, warnings = build_api(Spec(load(path)))
    encodings = {op.name: type(op.body.media[0].encoding) for op in api.operations if op.body}
    assert encodings == {"analyze": m.TextBody, "raw": m.BinaryBody, "fields": m.FormBody}
    said = [str(w) for w in warnings if "whose schema is a string" in str(w)]
    assert len(said) == 2 and "#/paths/~1analyze/post/requestBody/content/" in said[0]


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("form_text")
    spec = out / "spec.json"
    spec.write_text(json.dumps(SPEC))
    return strict_client(out, "form_text_client", Job(spec, out, "form_text_client"))


def test_the_server_reads_the_form(pkg: Any, server: str) -> None:
    client = pkg.Client(base_url=server)
    got = client.recipes.analyze("instructions=Put%20the%20garlic&servings=2")
    assert got["content_type"] == FORM
    assert got["form"] == [["instructions", "Put the garlic"], ["servings", "2"]]
    got = client.recipes.raw(b"a=1&b=%C3%A9")
    assert got["content_type"] == FORM and got["form"] == [["a", "1"], ["b", "\u00e9"]]
    got = client.recipes.fields(pkg.models.RecipesFieldsBody(a="x y"))  # a mapping still goes field by field
    assert got["form"] == [["a", "x y"]]
