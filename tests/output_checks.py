"""Checks on a generated package that several test modules share (importable by name).

- `cli_generate`: the CLI as a user runs it (exit code, stderr), in a subprocess;
- `import_everything`: every module of one or more packages imported in a fresh
  interpreter, every lazy model export resolved, both clients constructed and every
  service group reached through its lazy attribute; returns the failures;
- `mypy_strict`: one `mypy --strict` run over several packages, errors split by package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers import ROOT


@dataclass
class CliRun:
    code: int
    stdout: str
    stderr: str
    seconds: float

    def __str__(self) -> str:  # shown by failed asserts
        return f"exit {self.code} after {self.seconds:.1f} s\n--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-6000:]}"

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("warning: ")]

    @property
    def crashed(self) -> bool:
        """A traceback, an internal error, or an exit code the CLI never means to give."""
        return (
            "Traceback (most recent call last)" in self.stderr
            or "internal error" in self.stderr
            or self.code not in (0, 2)
        )


def cli_generate(spec: Path, out: Path, package: str, *, cwd: Path, cache: Path, timeout: float = 600) -> CliRun:
    """`python -m generator generate SPEC -o OUT -p PACKAGE`, validator on."""
    import time

    env = dict(os.environ, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(cache))
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out), "-p", package],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        err = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return CliRun(-1, "", f"HANG: no answer after {timeout:.0f} s\n{err}", time.perf_counter() - started)
    return CliRun(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)


_IMPORT_SCRIPT = r"""
import functools, importlib, json, sys, traceback
from pathlib import Path

root = Path(sys.argv[1])
sys.path.insert(0, str(root))
report = {}


def reach(obj, label, errors, depth=0):
    # every service group (and nested group) through its lazy cached_property
    if depth > 6:
        return
    for name, attr in sorted(vars(type(obj)).items()):
        if isinstance(attr, functools.cached_property):
            try:
                reach(getattr(obj, name), f"{label}.{name}", errors, depth + 1)
            except BaseException as exc:
                errors.append(f"{label}.{name}: {type(exc).__name__}: {exc}")


for name in sys.argv[2:]:
    errors = []
    for path in sorted((root / name).rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        mod = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        try:
            importlib.import_module(mod)
        except BaseException as exc:
            errors.append(f"import {mod}: {type(exc).__name__}: {exc}")
    try:
        pkg = importlib.import_module(name)
        models = importlib.import_module(name + ".models")
        for export in models.__all__:
            getattr(models, export)
        for cls in (pkg.Client, pkg.AsyncClient):
            client = cls(base_url="http://127.0.0.1:9")  # credentials: from the environment, or none
            reach(client, cls.__name__, errors)
    except BaseException as exc:
        errors.append(f"{name}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}")
    report[name] = errors
print("\n" + json.dumps(report))
"""


def import_everything(root: Path, packages: list[str], timeout: float = 600) -> dict[str, list[str]]:
    """{package: failures} after importing every module of each package under `root`."""
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_SCRIPT, str(root), *packages],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=root,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        return {p: [f"the import run failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}"] for p in packages}
    report: dict[str, list[str]] = json.loads(lines[-1])
    return report


def mypy_strict(root: Path, targets: list[str], timeout: float = 900) -> tuple[dict[str, list[str]], str]:
    """Run `mypy --strict` once on `targets` (packages or module files under `root`).

    Returns {first path component: error lines} and the raw output; a run that fails
    without any attributable error line is reported under the key "".
    """
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            "--python-version",
            "3.11",
            "--no-error-summary",
            "--hide-error-context",
            *targets,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    out: dict[str, list[str]] = {}
    for line in proc.stdout.splitlines():
        if ": error:" in line:
            out.setdefault(Path(line.split(":", 1)[0]).parts[0], []).append(line)
    if proc.returncode != 0 and not out:
        out[""] = [f"mypy exited {proc.returncode}: {proc.stdout[-2000:]}{proc.stderr[-2000:]}"]
    return out, proc.stdout + proc.stderr


def py_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
