"""Polar's three published specs: complete, importable, type-checked and deterministic.

The specs stay in ../shared/specs (or $SDKGEN_SPECS_DIR); nothing generated from them is
committed except a manifest of per-file SHA-256 hashes and a few whole files of
interest, refreshed only by `pytest --update-snapshots`.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import ROOT, shared_specs_dir

from generator.builder import build_api
from generator.config import Job
from generator.load import load
from generator.manifest import NAME as MANIFEST
from generator.normalize import Spec
from generator.pipeline import generate
from generator.write import read_tree, write_package

pytestmark = pytest.mark.slow  # generates Polar's three big specs, mypy over all of them

VERSIONS = {"polar_2025_01": "2025-01", "polar_2025_02": "2025-02", "polar_2026_10": "2026-10"}
WHOLE_FILES = {
    "polar_2025_02": ["services/customers.py", "models/customer_update.py"],
    "polar_2026_10": ["services/customers.py", "models/customer_update.py", "models/customer.py"],
}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def spec_path(package: str) -> Path:
    path = shared_specs_dir() / f"polar-{VERSIONS[package]}.openapi.json"
    assert path.exists(), f"{path} is missing (set SDKGEN_SPECS_DIR to the folder of Polar's specs)"
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("polar")
    for package in VERSIONS:
        result = generate(Job(spec_path(package), out, package, token_env="POLAR_ACCESS_TOKEN"))
        write_package(out, package, result.files)
    return out


@pytest.mark.parametrize("package", list(VERSIONS))
def test_no_operation_or_schema_is_skipped(package: str) -> None:
    doc = load(spec_path(package))
    api, warnings = build_api(Spec(doc))
    declared = sum(1 for item in doc.data["paths"].values() for method in METHODS if isinstance(item.get(method), dict))
    assert len(api.operations) == declared
    emitted = {x.pointer for x in (*api.models, *api.enums, *api.aliases)}
    components = {f"#/components/schemas/{name}" for name in doc.data["components"]["schemas"]}
    assert components - emitted == set()
    assert len(api.webhooks) == len(doc.data.get("webhooks", {}))
    assert not [w for w in warnings if "Any" in w.message], "nothing may degrade to Any on Polar's specs"


@pytest.mark.parametrize("package", list(VERSIONS))
def test_snapshot_of_hashes_and_files_of_interest(
    generated: Path, package: str, snapshot: Callable[[str, str | bytes], None]
) -> None:
    tree = read_tree(generated / package)
    # The generator's fingerprint changes with every edit of its code, whatever the output;
    # the manifest's other inputs and its per-file hashes are still compared.
    record = json.loads(tree[MANIFEST])
    record["inputs"]["generator"] = "<fingerprint of the generator's code>"
    tree[MANIFEST] = json.dumps(record, indent=1, sort_keys=True).encode()
    manifest = "".join(f"{hashlib.sha256(data).hexdigest()}  {rel}\n" for rel, data in sorted(tree.items()))
    snapshot(f"polar/{package}.sha256", manifest)
    for rel in WHOLE_FILES.get(package, []):
        snapshot(f"polar/{package}/{rel}", tree[rel])


def test_every_module_imports(generated: Path) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "for name in sys.argv[1:]:\n"
        "    pkg = importlib.import_module(name)\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, name + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "    pkg.Client('t'); pkg.AsyncClient('t')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, *VERSIONS], cwd=generated, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_mypy_strict_on_all_three(generated: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", *VERSIONS],
        cwd=generated,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-5000:]


def test_byte_identical_across_hash_seeds(generated: Path, tmp_path: Path) -> None:
    package = "polar_2026_10"
    trees = []
    for seed in ("0", "12345"):
        out = tmp_path / seed
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "generate",
                str(spec_path(package)),
                "-o",
                str(out),
                "-p",
                package,
                "--token-env",
                "POLAR_ACCESS_TOKEN",
                "-q",
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        trees.append(read_tree(out / package))
    assert trees[0] == trees[1] == read_tree(generated / package)
