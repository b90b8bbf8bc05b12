"""The committed `generated/` is exactly what the generator produces now, deterministically.

`generated/polar_client` is the byte-for-byte snapshot of the seed client; only
`pytest --update-snapshots` rewrites it (CI never does).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import GENERATED, ROOT, SEED_SPEC

from generator.builder import build_api
from generator.config import Job
from generator.ir.dump import dumps
from generator.load import load
from generator.normalize import Spec
from generator.pipeline import generate
from generator.write import read_tree, write_package

SEED_JOB = Job(
    SEED_SPEC, GENERATED, "polar_client", token_env="POLAR_ACCESS_TOKEN", go_module="github.com/polarsource/polar-go"
)


def test_seed_ir_dump(snapshot: Callable[[str, str], None]) -> None:
    api, warnings = build_api(Spec(load(SEED_SPEC)))
    assert warnings == []
    snapshot("ir/customers-update.json", dumps(api))


def test_generated_tree_matches_the_generator(request: pytest.FixtureRequest) -> None:
    result = generate(SEED_JOB, run_validator=False)
    if request.config.getoption("--update-snapshots"):
        write_package(GENERATED, "polar_client", result.files)
        return
    on_disk = read_tree(GENERATED / "polar_client")
    assert sorted(on_disk) == sorted(result.files), "files added or removed: regenerate"
    stale = [name for name in sorted(result.files) if on_disk[name] != result.files[name]]
    assert stale == [], f"stale generated files (run `sdkgen generate`): {stale}"


def _generate_in_subprocess(out: Path, seed: str) -> dict[str, bytes]:
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(out / "cache"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(SEED_SPEC),
            "-o",
            str(out),
            "-p",
            "polar_client",
            "-q",
            "--token-env",
            "POLAR_ACCESS_TOKEN",
            "--go-module",
            "github.com/polarsource/polar-go",
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    return read_tree(out / "polar_client")


def test_output_is_identical_for_any_hash_seed(tmp_path: Path) -> None:
    first = _generate_in_subprocess(tmp_path / "a", "1")
    second = _generate_in_subprocess(tmp_path / "b", "4242")
    assert first == second
    assert first == read_tree(GENERATED / "polar_client")


def test_mypy_strict_on_generated() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "--no-incremental", "polar_client"],
        cwd=GENERATED,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
