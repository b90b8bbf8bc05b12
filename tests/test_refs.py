"""`$ref` resolution (`normalize.Spec.lookup`): JSON pointers are walked by sdkgen, the way
the `referencing` library walks them; plain-name anchors (`#name`) go to the library.
Every reference here is resolved both ways and must give the same node, or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import referencing
import referencing.exceptions
import referencing.jsonschema

from generator.diagnostics import SpecError
from generator.load import load_bytes
from generator.normalize import Spec

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Refs", "version": "1"},
    "paths": {
        "/a/{id}": {"get": {"parameters": [{"name": "id", "in": "path"}, {"name": "q", "in": "query"}]}},
    },
    "components": {
        "schemas": {
            "Plain": {"type": "string"},
            "with/slash": {"type": "integer"},
            "with~tilde": {"type": "boolean"},
            "with space %": {"type": "number"},
            "": {"type": "null"},
            "Listed": {"prefixItems": [{"type": "string"}, {"$anchor": "second", "type": "integer"}]},
            "Anchored": {"$anchor": "named", "type": "object"},
        }
    },
}

FOUND = [
    "#",
    "#/components/schemas/Plain",
    "#/components/schemas/with~1slash",
    "#/components/schemas/with~0tilde",
    "#/components/schemas/with%20space%20%25",
    "#/components/schemas/",
    "#/components/schemas/Listed/prefixItems/1",
    "#/components/schemas/Listed/prefixItems/-1",  # the library reads list segments with int()
    "#/paths/~1a~1%7Bid%7D/get/parameters/0",
]
NOWHERE = [
    "#/components/schemas/Missing",
    "#/components/schemas/plain",
    "#/components/schemas/Listed/prefixItems/2",
    "#/components/schemas/Listed/prefixItems/one",
    "#/components/schemas/Plain/type/0",  # into a string
    "#/components/schemas/with/slash",
    # the library finds no anchor inside an OpenAPI document (its root is not a schema,
    # so nothing under it is crawled as one): `$anchor`s were never resolved
    "#named",
    "#second",
    "#nameless",
]
CRASHES_THE_LIBRARY = {  # ValueError from its `int()`, not Unresolvable: a SpecError here
    "#/components/schemas/Listed/prefixItems/one",
    "#/components/schemas/Plain/type/0",
}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    path = tmp_path_factory.mktemp("refs") / "refs.json"
    path.write_text(json.dumps(DOC), "utf-8")
    return Spec(load_bytes(path.read_bytes(), path))


def _library(spec: Spec, ref: str) -> Any:
    uri = Path(spec.doc.path).resolve().as_uri()
    resource = referencing.jsonschema.DRAFT202012.create_resource(spec.doc.data)
    return referencing.Registry().with_resource(uri, resource).resolver(base_uri=uri).lookup(ref).contents


@pytest.mark.parametrize("ref", FOUND)
def test_a_reference_finds_the_node_the_library_finds(spec: Spec, ref: str) -> None:
    node, pointer = spec.lookup(ref, "#/x")
    assert pointer == ref
    assert node is _library(spec, ref)


@pytest.mark.parametrize("ref", NOWHERE)
def test_a_reference_to_nothing_is_a_spec_error(spec: Spec, ref: str) -> None:
    with pytest.raises(SpecError, match="points to nothing"):
        spec.lookup(ref, "#/x")
    if ref not in CRASHES_THE_LIBRARY:
        with pytest.raises(referencing.exceptions.Unresolvable):
            _library(spec, ref)


def test_building_a_client_s_ir_leaves_the_library_unimported() -> None:
    """`referencing` (~33 ms to import) is imported for a plain-name reference only."""
    import subprocess
    import sys

    from helpers import ROOT, SEED_SPEC

    probe = (
        "import sys\n"
        "from generator.config import Job\n"
        "from generator.pipeline import build\n"
        f"api, _, _ = build(Job({str(SEED_SPEC)!r}, 'unused', 'pc'), run_validator=False)\n"
        "print(len(api.models) > 0, 'referencing' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"], done.stderr
