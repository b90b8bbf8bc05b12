"""sdkgen as a pre-commit hook, run for real by the `pre-commit` package (try-repo)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SEED_SPEC

pytestmark = pytest.mark.slow  # pre-commit builds a virtual environment with sdkgen installed

PYPROJECT = """\
[project]
name = "demo-sdk"
version = "0"

[[tool.sdkgen.jobs]]
spec = "api/openapi.yaml"
output = "src"
package = "demo_client"
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def try_repo(repo: Path, hook: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files", "--verbose"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.fail("git is needed for the pre-commit test")
    root = tmp_path_factory.mktemp("precommit")
    repo = root / "sdk"
    (repo / "api").mkdir(parents=True)
    shutil.copy(SEED_SPEC, repo / "api" / "openapi.yaml")
    (repo / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(root / "cache"))
    subprocess.run(
        [sys.executable, "-m", "generator", "generate", "-q"], cwd=repo, check=True, env=env, capture_output=True
    )
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "t")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "initial")
    return repo


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    out = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the hook uses its own install
    out["PRE_COMMIT_HOME"] = str(home)
    out["SDKGEN_CACHE_DIR"] = str(home / "sdkgen-cache")
    return out


def test_hooks_pass_fresh_fail_stale_and_generate_repairs(repo: Path, env: dict[str, str]) -> None:
    fresh = try_repo(repo, "sdkgen-check", env)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr

    spec = repo / "api" / "openapi.yaml"
    spec.write_text(spec.read_text("utf-8").replace("Update a customer.", "Update one customer."), "utf-8")
    git(repo, "add", "-A")
    stale = try_repo(repo, "sdkgen-check", env)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "+        Update one customer." in stale.stdout  # a readable unified diff
    assert "is stale" in stale.stdout

    repaired = try_repo(repo, "sdkgen-generate", env)
    assert repaired.returncode == 1  # pre-commit fails a hook that modified files...
    assert "files were modified by this hook" in repaired.stdout
    git(repo, "add", "-A")
    again = try_repo(repo, "sdkgen-check", env)  # ...and the tree is fresh afterwards
    assert again.returncode == 0, again.stdout + again.stderr


def test_check_full_hook_catches_a_forged_manifest(repo: Path, env: dict[str, str]) -> None:
    """An edit hidden by re-hashing the manifest passes the fast hook (it trusts the
    manifest, as documented) and fails the CI hook, which re-renders."""
    import hashlib
    import json

    generate = try_repo(repo, "sdkgen-generate", env)  # start fresh whatever ran before
    git(repo, "add", "-A")
    package = repo / "src" / "demo_client"
    runtime = package / "_runtime.py"
    runtime.write_bytes(runtime.read_bytes() + b"SMUGGLED = True\n")
    manifest = json.loads((package / ".sdkgen-manifest.json").read_bytes())
    manifest["files"]["_runtime.py"] = hashlib.sha256(runtime.read_bytes()).hexdigest()
    (package / ".sdkgen-manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    git(repo, "add", "-A")
    fast = try_repo(repo, "sdkgen-check", env)
    assert fast.returncode == 0, generate.stdout + fast.stdout + fast.stderr
    full = try_repo(repo, "sdkgen-check-full", env)
    assert full.returncode == 1, full.stdout + full.stderr
    assert "-SMUGGLED = True" in full.stdout and "is stale" in full.stdout
