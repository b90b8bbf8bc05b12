"""A spec edited step by step and regenerated in place, as a pre-commit hook does, gives
at every step the bytes of a cold run of that step's spec.

`sdkgen generate` into an existing package takes the incremental paths: finished files
read back from the cache by the hash of what they are made from, the warm child that
formats the few changed modules, the patch that writes only the changed files beside
the package and moves them in. Each is keyed or decided by something other than the
output's bytes, so a key that misses an input would leave a stale file. Here Polar's
2025-01 spec goes through ten edits of the kinds a spec's history has (a description, a
property added, removed, made required or renamed, a schema renamed, an enum value
added, an operation's tag changed, an operation removed) and back to where it started;
after each, the package regenerated in place with the same cache must equal, file for
file, a package generated into an empty folder with an empty cache, and `sdkgen check`
must call it fresh. Run by hand over chains of random edits of 11 other specs (APIs.guru
and the seed, 72 steps, Python and Go), Polar's three versions in turn and Adyen's
version pairs, this found no difference; the test keeps the property.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, shared_specs_dir

pytestmark = pytest.mark.slow  # 22 generations of a 1 MB spec

PACKAGE = "chain_client"
Doc = dict[str, Any]


def _schemas(doc: Doc) -> dict[str, Any]:
    return doc["components"]["schemas"]  # type: ignore[no-any-return]


def _describe(doc: Doc) -> None:
    _schemas(doc)["OrderUser"]["description"] = "A user, as an order shows them."


def _add_property(doc: Doc) -> None:
    _schemas(doc)["OrderUser"]["properties"]["nickname"] = {"type": "string", "title": "Nickname"}


def _remove_property(doc: Doc) -> None:
    del _schemas(doc)["OrderUser"]["properties"]["avatar_url"]


def _require(doc: Doc) -> None:
    _schemas(doc)["OrderUser"]["required"].append("github_username")


def _rename_property(doc: Doc) -> None:
    props = _schemas(doc)["OrderUser"]["properties"]
    props["public_display_name"] = props.pop("public_name")
    required = _schemas(doc)["OrderUser"]["required"]
    required[required.index("public_name")] = "public_display_name"


def _rename_schema(doc: Doc) -> None:
    """`OrderBillingReason` becomes `BillingReason`, every `$ref` to it too."""
    old, new = "#/components/schemas/OrderBillingReason", "#/components/schemas/BillingReason"
    text = json.dumps(doc).replace(json.dumps(old), json.dumps(new))
    doc.clear()
    doc.update(json.loads(text))
    _schemas(doc)["BillingReason"] = _schemas(doc).pop("OrderBillingReason")


def _add_enum_value(doc: Doc) -> None:
    _schemas(doc)["BillingReason"]["enum"].append("subscription_renewal")


def _retag(doc: Doc) -> None:
    doc["paths"]["/v1/repositories/{id}"]["get"]["tags"] = ["code"]


def _remove_operation(doc: Doc) -> None:
    del doc["paths"]["/v1/repositories/{id}"]["get"]


EDITS: list[Callable[[Doc], None]] = [
    _describe,
    _add_property,
    _remove_property,
    _require,
    _rename_property,
    _rename_schema,
    _add_enum_value,
    _retag,
    _remove_operation,
]


def _sdkgen(command: str, spec: Path, out: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(cache))
    return subprocess.run(
        [sys.executable, "-m", "generator", command, "-q", "-p", PACKAGE, "-o", str(out), str(spec)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_each_step_regenerated_in_place_is_a_cold_run(tmp_path: Path) -> None:
    original = json.loads((shared_specs_dir() / "polar-2025-01.openapi.json").read_text("utf-8"))
    docs, doc = [original], copy.deepcopy(original)
    for edit in EDITS:
        edit(doc)
        docs.append(copy.deepcopy(doc))
    docs.append(original)  # and back: files cached at the first step serve again
    warm, cache = tmp_path / "warm", tmp_path / "cache"
    previous: dict[str, bytes] = {}
    for step, data in enumerate(docs):
        spec = tmp_path / f"step{step}.json"
        spec.write_text(json.dumps(data, indent=1), "utf-8")
        label = "original" if step in (0, len(docs) - 1) else EDITS[step - 1].__name__
        done = _sdkgen("generate", spec, warm, cache)
        assert done.returncode == 0, f"step {step} ({label}): {done.stderr[-2000:]}"
        cold = tmp_path / f"cold{step}"
        done = _sdkgen("generate", spec, cold, tmp_path / f"cold-cache{step}")
        assert done.returncode == 0, f"step {step} ({label}), cold: {done.stderr[-2000:]}"
        got, want = _tree(warm), _tree(cold)
        assert got.keys() == want.keys(), f"step {step} ({label}): files {sorted(got.keys() ^ want.keys())[:10]}"
        stale = [name for name in want if got[name] != want[name]]
        assert not stale, f"step {step} ({label}): {len(stale)} files differ from a cold run: {stale[:10]}"
        checked = _sdkgen("check", spec, warm, cache)
        assert checked.returncode == 0, f"step {step} ({label}): check says stale: {checked.stdout[-1000:]}"
        assert got != previous, f"step {step} ({label}) changed nothing"
        previous = got
