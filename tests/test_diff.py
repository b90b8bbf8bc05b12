"""`sdkgen diff`: what a spec change does to callers, on inline specs and Polar's releases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import ROOT, shared_specs_dir

from generator import diff
from generator.builder import build_api
from generator.load import load
from generator.normalize import Spec


def base_spec() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/things/{id}": {
                "patch": {
                    "operationId": "things:update",
                    "tags": ["things"],
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "dry_run", "in": "query", "schema": {"type": "boolean"}},
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingUpdate"}}},
                    },
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
            "schemas": {
                "Color": {"type": "string", "enum": ["red", "green"]},
                "ThingUpdate": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "note": {"type": "string"}},
                },
                "Thing": {
                    "type": "object",
                    "required": ["id", "name", "color"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "color": {"$ref": "#/components/schemas/Color"},
                    },
                },
            }
        },
    }


def changes_between(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> list[diff.Change]:
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old), "utf-8")
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new), "utf-8")
    a, _ = build_api(Spec(load(tmp_path / "old.yaml")))
    b, _ = build_api(Spec(load(tmp_path / "new.yaml")))
    return diff.compare(diff.surface(a), diff.surface(b))


def only(changes: list[diff.Change]) -> tuple[bool, str, str, str]:
    assert len(changes) == 1, changes
    c = changes[0]
    return c.breaking, c.what, c.path, c.detail


def test_no_change(tmp_path: Path) -> None:
    assert changes_between(tmp_path, base_spec(), base_spec()) == []


def test_operation_removed_is_breaking_and_added_is_not(tmp_path: Path) -> None:
    new = base_spec()
    new["paths"]["/things/{id}"]["delete"] = {
        "operationId": "things:delete",
        "tags": ["things"],
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"204": {"description": "gone"}},
    }
    assert only(changes_between(tmp_path, base_spec(), new)) == (
        False,
        "operation",
        "things.delete",
        "added (DELETE /things/{id})",
    )
    assert only(changes_between(tmp_path, new, base_spec()))[:3] == (True, "operation", "things.delete")


def test_field_removed(tmp_path: Path) -> None:
    new = base_spec()
    del new["components"]["schemas"]["Thing"]["properties"]["color"]
    new["components"]["schemas"]["Thing"]["required"].remove("color")
    found = changes_between(tmp_path, base_spec(), new)
    assert (True, "field", "Thing.color", "removed") in [(c.breaking, c.what, c.path, c.detail) for c in found]


def test_field_becoming_required_in_a_request_model(tmp_path: Path) -> None:
    new = base_spec()
    new["components"]["schemas"]["ThingUpdate"]["required"] = ["name"]
    assert only(changes_between(tmp_path, base_spec(), new)) == (
        True,
        "field",
        "ThingUpdate.name",
        "became required in a request model",
    )


def test_type_narrowed(tmp_path: Path) -> None:
    new = base_spec()
    new["components"]["schemas"]["ThingUpdate"]["properties"]["note"] = {"type": "integer"}
    assert only(changes_between(tmp_path, base_spec(), new)) == (
        True,
        "field",
        "ThingUpdate.note",
        "type string -> integer",
    )


def test_enum_value_removed_is_breaking_added_is_not(tmp_path: Path) -> None:
    new = base_spec()
    new["components"]["schemas"]["Color"]["enum"] = ["red", "blue"]
    found = {(c.breaking, c.path, c.detail) for c in changes_between(tmp_path, base_spec(), new)}
    assert found == {(True, "Color.green", "removed"), (False, "Color.blue", "added")}


def test_response_field_becoming_nullable(tmp_path: Path) -> None:
    new = base_spec()
    new["components"]["schemas"]["Thing"]["properties"]["name"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert only(changes_between(tmp_path, base_spec(), new)) == (
        True,
        "field",
        "Thing.name",
        "became nullable in a response model",
    )


def test_parameter_added_required_is_breaking_optional_is_not(tmp_path: Path) -> None:
    new = base_spec()
    params = new["paths"]["/things/{id}"]["patch"]["parameters"]
    params.append({"name": "tenant", "in": "query", "required": True, "schema": {"type": "string"}})
    assert only(changes_between(tmp_path, base_spec(), new))[:3] == (True, "parameter", "things.update(tenant)")
    params[-1]["required"] = False
    assert only(changes_between(tmp_path, base_spec(), new))[:3] == (False, "parameter", "things.update(tenant)")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "diff", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def polar_specs() -> dict[str, Path]:
    folder = shared_specs_dir()
    found = {v: folder / f"polar-{v}.openapi.json" for v in ("2025-01", "2025-02", "2026-10")}
    missing = [str(p) for p in found.values() if not p.exists()]
    assert not missing, f"Polar's specs are needed (set SDKGEN_SPECS_DIR): {missing}"
    return found


def test_real_pair_2025_02_to_2026_10_lists_concrete_breaking_changes(polar_specs: dict[str, Path]) -> None:
    proc = run_cli(str(polar_specs["2025-02"]), str(polar_specs["2026-10"]), "--format", "json", "--fail-on-breaking")
    assert proc.returncode == 1, proc.stderr
    changes = json.loads(proc.stdout)
    breaking = {(c["path"], c["detail"]) for c in changes if c["breaking"]}
    # tax_id went from the (string, TaxIDFormat) tuple to a plain string
    assert ("CustomerUpdate.tax_id", "type [string, TaxIDFormat] -> string") in breaking
    assert ("Customer", "removed") in breaking  # Customer became a union of individual/team
    assert all(c["location"].startswith("#/") for c in changes)


def test_real_pair_2025_01_to_2025_02_text_report(polar_specs: dict[str, Path]) -> None:
    proc = run_cli(str(polar_specs["2025-01"]), str(polar_specs["2025-02"]))
    assert proc.returncode == 0  # without --fail-on-breaking
    first = proc.stdout.splitlines()[0]
    assert "breaking change(s)" in first
    assert "Breaking:" in proc.stdout and "[#/components/schemas/" in proc.stdout


def test_generate_report_compares_with_the_package_on_disk(tmp_path: Path) -> None:
    import os

    from helpers import SEED_SPEC

    env = dict(os.environ, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(tmp_path / "cache"))
    spec = tmp_path / "spec.yaml"
    data = yaml.safe_load(SEED_SPEC.read_text("utf-8"))
    spec.write_text(yaml.safe_dump(data), "utf-8")
    cmd = [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(tmp_path / "out"), "-p", "c", "-q"]
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    data["components"]["schemas"]["CustomerUpdate"]["required"] = ["email"]
    spec.write_text(yaml.safe_dump(data), "utf-8")
    proc = subprocess.run([*cmd, "--report"], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "CustomerUpdate.email: became required in a request model" in proc.stdout


# -- issue 15.8: every field of the surface, the methods affected, stdin, a JSON schema --------


def detail_of(changes: list[diff.Change], path: str) -> list[tuple[bool, str]]:
    return [(c.breaking, c.detail) for c in changes if c.path == path]


def test_response_field_becoming_required_is_reported_with_its_methods(tmp_path: Path) -> None:
    old = base_spec()
    old["components"]["schemas"]["Thing"]["properties"]["size"] = {"type": "integer"}
    new = json.loads(json.dumps(old))
    new["components"]["schemas"]["Thing"]["required"].append("size")
    (change,) = changes_between(tmp_path, old, new)
    assert (change.breaking, change.path, change.detail) == (False, "Thing.size", "became required")
    assert change.affects == ("things.update",)
    back = only(changes_between(tmp_path, new, old))
    assert back == (True, "field", "Thing.size", "may now be missing from responses")


@pytest.mark.parametrize(
    ("old_schema", "new_schema", "breaking", "detail"),
    [
        (
            {"type": "string", "maxLength": 100},
            {"type": "string", "maxLength": 50},
            True,
            "constraints max_length 100 -> 50 (narrowed)",
        ),
        (
            {"type": "string", "maxLength": 50},
            {"type": "string", "maxLength": 100},
            False,
            "constraints max_length 50 -> 100",
        ),
        (
            {"type": "string"},
            {"type": "string", "pattern": "^[a-z]+$"},
            True,
            'constraints pattern none -> "^[a-z]+$" (narrowed)',
        ),
        ({"type": "integer", "minimum": 1}, {"type": "integer", "minimum": 0}, False, "constraints minimum 1 -> 0"),
        ({"type": "integer"}, {"type": "integer", "minimum": 0}, True, "constraints minimum none -> 0 (narrowed)"),
        ({"type": "string", "default": "a"}, {"type": "string", "default": "b"}, False, 'default "a" -> "b"'),
        ({"type": ["string", "null"]}, {"type": "string"}, True, "no longer accepts null in requests"),
    ],
)
def test_request_field_constraints_defaults_nullability(
    tmp_path: Path, old_schema: dict[str, Any], new_schema: dict[str, Any], breaking: bool, detail: str
) -> None:
    old, new = base_spec(), base_spec()
    old["components"]["schemas"]["ThingUpdate"]["properties"]["note"] = old_schema
    new["components"]["schemas"]["ThingUpdate"]["properties"]["note"] = new_schema
    (change,) = changes_between(tmp_path, old, new)
    assert (change.breaking, change.path, change.detail) == (breaking, "ThingUpdate.note", detail)
    assert change.affects == ("things.update",)


def test_constraints_only_inform_in_responses(tmp_path: Path) -> None:
    old, new = base_spec(), base_spec()
    new["components"]["schemas"]["Thing"]["properties"]["name"] = {"type": "string", "maxLength": 5}
    assert only(changes_between(tmp_path, old, new)) == (
        False,
        "field",
        "Thing.name",
        "constraints max_length none -> 5 (narrowed)",
    )


def test_parameter_constraint_default_and_location(tmp_path: Path) -> None:
    old, new = base_spec(), base_spec()
    params = new["paths"]["/things/{id}"]["patch"]["parameters"]
    params[0]["schema"] = {"type": "string", "maxLength": 8}
    params[1] = {"name": "dry_run", "in": "header", "schema": {"type": "boolean", "default": True}}
    found = changes_between(tmp_path, old, new)
    assert detail_of(found, "things.update(id)") == [(True, "constraints max_length none -> 8 (narrowed)")]
    assert sorted(detail_of(found, "things.update(dry_run)")) == [
        (False, "default none -> true"),
        (False, "sent as header 'dry_run' (was query 'dry_run')"),
    ]


def test_media_types_and_security(tmp_path: Path) -> None:
    old, new = base_spec(), base_spec()
    op = new["paths"]["/things/{id}"]["patch"]
    content = op["requestBody"]["content"]
    content["application/merge-patch+json"] = content.pop("application/json")
    new["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    op["security"] = [{"bearer": []}]
    found = changes_between(tmp_path, old, new)
    assert (False, "request media type application/json -> application/merge-patch+json") in detail_of(
        found, "things.update"
    )
    assert (True, "security none -> bearer") in detail_of(found, "things.update")
    assert (False, "added (bearer)") in detail_of(found, "bearer")
    text_result = json.loads(json.dumps(new))
    ok = text_result["paths"]["/things/{id}"]["patch"]["responses"]["200"]
    ok["content"] = {"text/csv": {"schema": {"type": "string"}}}
    assert (True, "returns Thing -> text (str)") in detail_of(
        changes_between(tmp_path, new, text_result), "things.update"
    )


def test_enum_change_names_the_methods_that_reach_it(tmp_path: Path) -> None:
    new = base_spec()
    new["components"]["schemas"]["Color"]["enum"] = ["red"]
    (change,) = changes_between(tmp_path, base_spec(), new)
    assert (change.breaking, change.path, change.affects) == (True, "Color.green", ("things.update",))
    text = diff.as_text([change])
    assert "affects: things.update" in text


def test_servers(tmp_path: Path) -> None:
    old, new = base_spec(), base_spec()
    old["servers"] = [
        {"url": "https://a.example", "x-speakeasy-server-id": "production"},
        {"url": "https://s.example", "x-speakeasy-server-id": "sandbox"},
    ]
    new["servers"] = [{"url": "https://b.example", "x-speakeasy-server-id": "production"}]
    found = {(c.breaking, c.path, c.detail) for c in changes_between(tmp_path, old, new)}
    assert found == {
        (True, "sandbox", "removed (https://s.example)"),
        (False, "production", "URL https://a.example -> https://b.example"),
    }


def test_an_operation_moving_to_its_own_server(tmp_path: Path) -> None:
    old, new = base_spec(), base_spec()
    old["servers"] = new["servers"] = [{"url": "https://api.example"}]
    new["paths"]["/things/{id}"]["servers"] = [{"url": "https://uploads.example"}]
    assert only(changes_between(tmp_path, old, new)) == (
        False,
        "operation",
        "things.update",
        "sent to https://uploads.example (was the client's server)",
    )
    assert only(changes_between(tmp_path, new, old))[3] == "sent to the client's server (was https://uploads.example)"
    # listing the document's own servers again is no change
    new["paths"]["/things/{id}"]["servers"] = [{"url": "https://api.example"}]
    assert changes_between(tmp_path, old, new) == []


def test_surface_of_another_format_is_refused() -> None:
    empty = {"operations": {}, "models": {}, "enums": {}, "aliases": {}}
    with pytest.raises(diff.SurfaceFormatError, match="format 1"):
        diff.compare(empty, {**empty, "format": diff.FORMAT})


def test_stdin_and_json_output_match_the_documented_schema(tmp_path: Path) -> None:
    import jsonschema

    old, new = base_spec(), base_spec()
    del new["components"]["schemas"]["Thing"]["properties"]["color"]
    new["components"]["schemas"]["Thing"]["required"].remove("color")
    new["components"]["schemas"]["ThingUpdate"]["properties"]["note"] = {"type": "string", "maxLength": 3}
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new), "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "diff", "-", str(tmp_path / "new.yaml"), "--format", "json"],
        input=json.dumps(old),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    changes = json.loads(proc.stdout)
    schema = json.loads((ROOT / "docs" / "diff-output.schema.json").read_text("utf-8"))
    jsonschema.validate(changes, schema)
    assert {(c["path"], c["breaking"]) for c in changes} >= {("Thing.color", True), ("ThingUpdate.note", True)}
    assert all(c["affects"] == ["things.update"] for c in changes)
    both = run_cli("-", "-")
    assert both.returncode == 2 and "only one of" in both.stderr


@pytest.mark.parametrize(
    "spec", ["tests/specs/constructs.yaml", "tests/specs/responses.yaml", "specs/customers-update.yaml"]
)
def test_the_surfaces_closures_are_builder_closures(spec: str) -> None:
    from generator.builder import closure

    api, _ = build_api(Spec(load(ROOT / spec)))
    reach = diff._Reach(api)
    roots: list[list[Any]] = [[op.body.type if op.body else None] for op in api.operations]
    roots += [[r.type for r in op.responses] for op in api.operations]
    roots += [[f.type for f in model.fields] for model in api.models]
    roots.append([t for group in roots for t in group])
    assert any(closure(r, api) for r in roots)
    for r in roots:
        assert reach(r) == closure(r, api)


# -- direction-aware type changes (QA round 2): what a client sends may widen, what it
# reads may narrow; a format that leaves the client's type alone breaks nothing.


def with_types(thing: dict[str, Any] | None = None, update: dict[str, Any] | None = None) -> dict[str, Any]:
    """The base spec with Thing.name (response-only) and ThingUpdate.note (request-only) retyped."""
    spec = base_spec()
    schemas = spec["components"]["schemas"]
    if thing is not None:
        schemas["Thing"]["properties"]["name"] = thing
    if update is not None:
        schemas["ThingUpdate"]["properties"]["note"] = update
    return spec


def classified(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    return {c.path: (c.breaking, c.detail) for c in changes_between(tmp_path, old, new)}


STR: dict[str, Any] = {"type": "string"}
STR_OR_INT: dict[str, Any] = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
ANY_MAP: dict[str, Any] = {"type": "object", "additionalProperties": True}
STR_MAP: dict[str, Any] = {"type": "object", "additionalProperties": {"type": "string"}}


@pytest.mark.parametrize(
    ("old", "new", "detail"),
    [
        ({"type": "string", "format": "email"}, STR, "type string (email) -> string (format only: same client type)"),
        (
            {"type": "integer"},
            {"type": "integer", "format": "int64"},
            "type integer -> integer (int64) (format only: same client type)",
        ),
        (STR, {"type": "string", "format": "uri"}, "type string -> string (uri) (format only: same client type)"),
    ],
)
def test_a_format_that_keeps_the_client_type_is_not_breaking_either_way(
    tmp_path: Path, old: dict[str, Any], new: dict[str, Any], detail: str
) -> None:
    found = classified(tmp_path, with_types(old, old), with_types(new, new))
    assert found == {"Thing.name": (False, detail), "ThingUpdate.note": (False, detail)}


def test_a_format_that_changes_the_client_type_breaks_both_ways(tmp_path: Path) -> None:
    old = {"type": "string", "format": "date-time"}  # datetime -> str in Python, time.Time -> string in Go
    found = classified(tmp_path, with_types(old, old), with_types(STR, STR))
    detail = "type string (date-time) -> string"
    assert found == {"Thing.name": (True, detail), "ThingUpdate.note": (True, detail)}


def test_narrowing_breaks_requests_not_responses(tmp_path: Path) -> None:
    found = classified(tmp_path, with_types(STR_OR_INT, STR_OR_INT), with_types(STR, STR))
    detail = "type string | integer -> string (narrowed)"
    assert found == {"Thing.name": (False, detail), "ThingUpdate.note": (True, detail)}
    found = classified(tmp_path, with_types(ANY_MAP, ANY_MAP), with_types(STR_MAP, STR_MAP))
    detail = "type object (map of any) -> object (map of string) (narrowed)"
    assert found == {"Thing.name": (False, detail), "ThingUpdate.note": (True, detail)}


def test_widening_breaks_responses_not_requests(tmp_path: Path) -> None:
    found = classified(tmp_path, with_types(STR, STR), with_types(STR_OR_INT, STR_OR_INT))
    detail = "type string -> string | integer (widened)"
    assert found == {"Thing.name": (True, detail), "ThingUpdate.note": (False, detail)}
    int_, num = {"type": "integer"}, {"type": "number"}
    found = classified(tmp_path, with_types(int_, int_), with_types(num, num))
    detail = "type integer -> number (widened)"
    assert found == {"Thing.name": (True, detail), "ThingUpdate.note": (False, detail)}


def test_a_model_used_both_ways_breaks_on_narrowing_and_widening(tmp_path: Path) -> None:
    def both(note: dict[str, Any]) -> dict[str, Any]:
        spec = with_types(update=note)
        op = spec["paths"]["/things/{id}"]["patch"]
        op["responses"]["200"]["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/ThingUpdate"}
        return spec

    assert classified(tmp_path, both(STR_OR_INT), both(STR))["ThingUpdate.note"][0] is True
    assert classified(tmp_path, both(STR), both(STR_OR_INT))["ThingUpdate.note"][0] is True
    email = {"type": "string", "format": "email"}
    assert classified(tmp_path, both(STR), both(email))["ThingUpdate.note"][0] is False


def test_request_body_and_result_types_follow_their_direction(tmp_path: Path) -> None:
    def body_and_result(ty: dict[str, Any]) -> dict[str, Any]:
        spec = base_spec()
        op = spec["paths"]["/things/{id}"]["patch"]
        op["requestBody"]["content"]["application/json"]["schema"] = ty
        op["responses"]["200"]["content"]["application/json"]["schema"] = ty
        return spec

    changes = changes_between(tmp_path, body_and_result(STR_OR_INT), body_and_result(STR))
    assert {(c.breaking, c.what, c.detail) for c in changes if c.path == "things.update"} == {
        (True, "body", "request body string | integer -> string (narrowed)"),
        (False, "result", "returns string | integer -> string (narrowed)"),
    }
    changes = changes_between(tmp_path, body_and_result(STR), body_and_result(STR_OR_INT))
    assert {(c.breaking, c.what) for c in changes if c.path == "things.update"} == {(False, "body"), (True, "result")}


def test_polar_2025_01_to_2025_02_classification(polar_specs: dict[str, Path]) -> None:
    """Each item read in the two specs. 2025-02 gave `custom_field_data` (an open object) typed
    values `string | integer | boolean | null` and `payment_processor_metadata` string values,
    and dropped `format: email` from `customer_email`. Breaking: the 5 request models
    (CheckoutConfirmStripe, CheckoutPriceCreate, CheckoutProductCreate, CheckoutUpdate,
    CheckoutUpdatePublic) whose custom_field_data a client may have filled with nested
    objects the server now rejects. Not breaking: the same narrowing on the 8 response-only
    models (Checkout, CheckoutPublic, CheckoutPublicConfirmed, Order, Subscription, ...):
    a client reading a narrower value still gets what its code expects; and the 3
    customer_email fields, still `str` in Python and `string` in Go."""
    proc = run_cli(str(polar_specs["2025-01"]), str(polar_specs["2025-02"]), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    changes = json.loads(proc.stdout)
    breaking = sorted(c["path"] for c in changes if c["breaking"])
    assert breaking == [
        f"{m}.custom_field_data"
        for m in (
            "CheckoutConfirmStripe",
            "CheckoutPriceCreate",
            "CheckoutProductCreate",
            "CheckoutUpdate",
            "CheckoutUpdatePublic",
        )
    ]
    narrowed_reads = [c for c in changes if not c["breaking"] and c["detail"].endswith("(narrowed)")]
    assert len(narrowed_reads) == 8, narrowed_reads
    formats = sorted(c["path"] for c in changes if c["detail"].endswith("(format only: same client type)"))
    assert len(formats) == 3 and all(p.endswith(".customer_email") for p in formats), formats
