"""Files read back by the digest of their inputs (emit/inputs.py) without their template
context being built: every kind of edit gives the bytes of a run without caches, and
the files an edit does not reach are really read back."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from helpers import SEED_SPEC, shared_specs_dir

from generator import format as fmt
from generator import pipeline
from generator.builder import build_api
from generator.builder.security import options_for
from generator.config import Job
from generator.emit.inputs import InputDigests, names_in
from generator.emit.plan import plan_models, schema_graph
from generator.ir import model as m
from generator.load import load
from generator.normalize import Spec


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}


# Thing -> Part -> Leaf (a chain two deep), Thing -> Status (an enum), Pet: a union of
# Thing and Other by `kind`; Other and OtherInput reach nothing; two tags.
BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Keys", "version": "1.0"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "things:get",
                "tags": ["things"],
                "summary": "Get a thing",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _ok(_ref("Thing")),
            }
        },
        "/pets": {
            "get": {
                "operationId": "pets:list",
                "tags": ["pets"],
                "responses": _ok({"type": "array", "items": _ref("Pet")}),
            }
        },
        "/others": {
            "get": {
                "operationId": "others:list",
                "tags": ["others"],
                "summary": "List others",
                "responses": _ok({"type": "array", "items": _ref("Other")}),
            },
            "post": {
                "operationId": "others:create",
                "tags": ["others"],
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("OtherInput")}}},
                "responses": _ok(_ref("Other")),
            },
        },
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["id", "kind", "part"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "kind": {"const": "thing"},
                    "part": _ref("Part"),
                    "status": _ref("Status"),
                },
            },
            "Part": {
                "type": "object",
                "required": ["name", "leaf"],
                "properties": {"name": {"type": "string"}, "leaf": _ref("Leaf")},
            },
            "Leaf": {
                "type": "object",
                "description": "The end of the chain.",
                "required": ["value"],
                "properties": {"value": {"type": "integer", "examples": [7]}},
            },
            "Status": {"type": "string", "enum": ["on", "off"]},
            "Other": {
                "type": "object",
                "required": ["kind", "name"],
                "properties": {"kind": {"const": "other"}, "name": {"type": "string"}},
            },
            "OtherInput": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            "Pet": {
                "oneOf": [_ref("Thing"), _ref("Other")],
                "discriminator": {"propertyName": "kind", "mapping": {"thing": _ref("Thing"), "other": _ref("Other")}},
            },
        }
    },
}


def _rename(doc: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    text = json.dumps(doc).replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    out: dict[str, Any] = json.loads(text)
    schemas = out["components"]["schemas"]
    schemas[new] = schemas.pop(old)
    return out


def _edit(change: Callable[[dict[str, Any]], object]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def edit(doc: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(doc)
        change(out)
        return out

    return edit


def _schemas(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["components"]["schemas"]  # type: ignore[no-any-return]


EDITS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    # a schema two references away from Thing: Thing's module, pages and samples reach it
    "leaf field added": _edit(lambda d: _schemas(d)["Leaf"]["properties"].update(unit={"type": "string"})),
    "leaf field type": _edit(lambda d: _schemas(d)["Leaf"]["properties"].update(value={"type": "number"})),
    "leaf example": _edit(lambda d: _schemas(d)["Leaf"]["properties"]["value"].update(examples=[42])),
    "leaf description": _edit(lambda d: _schemas(d)["Leaf"].update(description="Edited.")),
    "leaf made optional": _edit(lambda d: _schemas(d)["Leaf"].update(required=[])),
    "referenced schema renamed": lambda d: _rename(d, "Leaf", "Leaflet"),
    "union member renamed": lambda d: _rename(d, "Other", "Another"),
    "enum member added": _edit(lambda d: _schemas(d)["Status"]["enum"].append("idle")),
    "union member field": _edit(lambda d: _schemas(d)["Other"]["properties"].update(size={"type": "integer"})),
    "operation summary": _edit(lambda d: d["paths"]["/things/{id}"]["get"].update(summary="Fetch a thing")),
    "operation renamed": _edit(lambda d: d["paths"]["/others"]["get"].update(operationId="others:all")),
    "operation moved to another tag": _edit(lambda d: d["paths"]["/others"]["post"].update(tags=["things"])),
    "parameter added": _edit(
        lambda d: d["paths"]["/others"]["get"].update(
            parameters=[{"name": "limit", "in": "query", "schema": {"type": "integer"}}]
        )
    ),
    "security scheme added": _edit(
        lambda d: (
            d["components"].update(securitySchemes={"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}),
            d.update(security=[{"key": []}]),
        )
    ),
    "server changed": _edit(lambda d: d.update(servers=[{"url": "https://other.example.com/v2"}])),
    "title changed": _edit(lambda d: d["info"].update(title="Keys, edited")),
}


def _write(doc: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(doc, indent=2))
    return path


def _generate(job: Job, *, use_cache: bool = True) -> dict[str, bytes]:
    return pipeline.generate(job, run_validator=False, use_cache=use_cache).files


def _count_input_hits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    hits: list[str] = []
    real = fmt.Rendered.by_inputs

    def by_inputs(self: fmt.Rendered, path: str, template: str, inputs: bytes) -> bytes | None:
        found = real(self, path, template, inputs)
        if found is not None:
            hits.append(path)
        return found

    real_group = fmt.Rendered.by_group

    def by_group(self: fmt.Rendered, inputs: bytes) -> dict[str, bytes] | None:
        found = real_group(self, inputs)
        hits.extend(found or ())
        return found

    monkeypatch.setattr(fmt.Rendered, "by_inputs", by_inputs)
    monkeypatch.setattr(fmt.Rendered, "by_group", by_group)
    return hits


def _cold(job: Job, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    with monkeypatch.context() as patch:
        patch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "no-cache"))
        return _generate(job, use_cache=False)


@pytest.mark.parametrize("edit", list(EDITS))
def test_every_kind_of_edit_gives_the_bytes_of_a_run_without_caches(
    edit: str, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _generate(Job(_write(BASE, tmp_path / "base.json"), out, "keys"))
    edited = _write(EDITS[edit](BASE), tmp_path / "edited.json")
    hits = _count_input_hits(monkeypatch)
    job = Job(edited, out, "keys")
    got = _generate(job)
    assert got == _cold(job, tmp_path, monkeypatch)
    if edit.startswith("leaf"):  # what does not reach Leaf is read back, Thing's files are not
        assert "models/other.py" in hits and "docs/models/OtherInput.md" in hits, hits
        assert not {"models/thing.py", "models/part.py", "docs/models/Thing.md"} & set(hits), hits
        assert "docs/operations/things/get.md" not in hits  # its sample shows a Leaf
    if edit == "operation summary":
        assert {"models/thing.py", "docs/operations/others/list.md", "services/others.py"} <= set(hits), hits
        assert "services/things.py" not in hits
    if edit.startswith("leaf"):
        assert "services/others.py" in hits and "services/things.py" not in hits, hits
    # and a second run reads every keyed file back
    hits.clear()
    assert _generate(job) == got
    keyed = {p for p in got if p.startswith(("models/", "docs/models/", "docs/operations/", "services/"))}
    keyed -= {"models/__init__.py", "services/__init__.py"}
    assert set(hits) == keyed


@pytest.mark.parametrize(
    "change",
    [
        {"line_length": 100},
        {"package": "other_pkg"},
        {"token_env": "KEYS_TOKEN"},
        {"timeout": 3.0},
        {"go_module": "example.com/keys"},
    ],
)
def test_an_option_change_gives_the_bytes_of_a_run_without_caches(
    change: dict[str, Any], cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _write(BASE, tmp_path / "base.json")
    _generate(Job(spec, tmp_path / "out", "keys"))
    job = Job(spec, tmp_path / "out", **{"package": "keys", **change})
    assert _generate(job) == _cold(job, tmp_path, monkeypatch)


def test_without_the_cache_contexts_are_built_at_once(cache: Path, tmp_path: Path) -> None:
    spec = _write(BASE, tmp_path / "base.json")
    api = build_api(Spec(load(spec)), options_for("keys", None, ()))[0]
    from generator.emit.python import Options, PythonEmitter

    eager = PythonEmitter(api, Options("keys")).files()
    assert all(f.inputs is None and f.make is None for f in eager)
    lazy = PythonEmitter(api, Options("keys"), keyed=True).files()
    keyed = [f for f in lazy if f.inputs is not None]
    assert {f.path for f in keyed} >= {"models/thing.py", "docs/models/Leaf.md", "docs/operations/things/get.md"}
    assert all(f.context is None for f in keyed)
    by_path = {f.path: f for f in eager}
    for f in keyed:  # built on demand, the same context as built at once
        assert f.built() == by_path[f.path].context


def _digests(doc: dict[str, Any], tmp_path: Path) -> tuple[m.Api, InputDigests]:
    api = build_api(Spec(load(_write(doc, tmp_path / "d.json"))), options_for("keys", None, ()))[0]
    return api, InputDigests(api, plan_models(api)[1], None)


def test_a_schema_digest_covers_what_it_reaches_and_nothing_else(tmp_path: Path) -> None:
    _, before = _digests(BASE, tmp_path)
    _, after = _digests(EDITS["leaf description"](BASE), tmp_path)
    for name in ("Leaf", "Part", "Thing", "Pet"):  # Pet reaches Leaf through Thing
        assert before.deep(name) != after.deep(name), name
    for name in ("Other", "OtherInput", "Status"):
        assert before.deep(name) == after.deep(name), name
    assert before.global_ == after.global_


def test_names_in_finds_names_inside_any_ir_node(tmp_path: Path) -> None:
    api, _ = _digests(BASE, tmp_path)
    (get_thing,) = [op for op in api.operations if op.operation_id == "things:get"]
    assert names_in(get_thing) == {"Thing"}
    assert names_in(api.models) == {"Part", "Leaf", "Status"}
    assert names_in(api.aliases) == {"Thing", "Other"}  # Pet, the union
    with pytest.raises(TypeError, match="cannot look for schema names inside a PurePosixPath"):
        names_in((PurePosixPath("x"),))


def _lists_and_dicts_hold_no_node(value: Any, where: str) -> None:
    """The invariant `names_in` relies on: the IR keeps its nodes in tuples and
    dataclasses; a list or dict in it is JSON data."""
    if isinstance(value, (list, dict)):
        text = json.dumps(value)  # JSON data only: raises on anything else
        assert isinstance(text, str), where
    elif isinstance(value, (tuple, frozenset)):
        for i, item in enumerate(value):
            _lists_and_dicts_hold_no_node(item, f"{where}[{i}]")
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            _lists_and_dicts_hold_no_node(getattr(value, name), f"{where}.{name}")


def test_lists_and_dicts_in_the_ir_are_json_data_and_the_schema_graph_is_names_in() -> None:
    specs = [SEED_SPEC, *sorted(Path(__file__).parent.joinpath("specs").glob("*.yaml"))]
    polar = shared_specs_dir() / "polar-2026-10.openapi.json"
    if polar.exists():
        specs.append(polar)
    for spec in specs:
        api = build_api(Spec(load(spec)), options_for("pkg", None, ()))[0]
        _lists_and_dicts_hold_no_node(api, spec.name)
        graph = schema_graph(api)
        nodes: list[m.Model | m.Enum | m.Alias] = [*api.models, *api.enums, *api.aliases]
        assert graph.deps == {x.name: sorted(names_in(x)) for x in nodes}, spec.name


@pytest.mark.parametrize(
    ("edit", "unreached"),
    [
        ("parameter added", "services/pets.py"),
        ("operation summary", "services/_others_part1.py"),
        ("leaf field added", "services/_others_part2.py"),  # Pet reaches Leaf (Thing), Other does not
    ],
)
def test_a_service_group_split_into_parts_is_read_back_whole(
    edit: str, unreached: str, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.emit import python

    monkeypatch.setattr(python, "SERVICE_LINES", 60)  # BASE's groups of two operations split
    monkeypatch.setattr(python, "PART_LINES", 10)
    out = tmp_path / "out"
    first = _generate(Job(_write(BASE, tmp_path / "base.json"), out, "keys"))
    assert "services/_others_part2.py" in first
    hits = _count_input_hits(monkeypatch)
    job = Job(_write(EDITS[edit](BASE), tmp_path / "edited.json"), out, "keys")
    got = _generate(job)
    assert got == _cold(job, tmp_path, monkeypatch)
    assert unreached in hits, hits
    hits.clear()
    assert _generate(job) == got
    assert {p for p in got if p.startswith("services/_others_part")} <= set(hits)
