"""The generated client on the other Pythons its package admits.

A generated package declares `requires-python = ">=3.10"` (the default of the job's
`python-requires`), while the generator and the rest of this suite run on one Python
(3.11 in CI). mypy checks the package against 3.10's typeshed, but only running it shows
what differs at run time: the runtime has branches for Python 3.10 (`fromisoformat`
without `Z`), and enums, `datetime` and `asyncio` change between versions. So, under the
oldest Python the default admits and the newest one found (3.12 or later), each in a
fresh virtual environment holding only what a generated package installs (httpx) and
pytest:

- the hand-written runtime's own tests (`tests/runtime/test_runtime.py`,
  `test_operation.py`) pass;
- every Python docs sample (sync and async) of the test specs runs against a recording
  server that answers a JSON body with the same JSON (so the call decodes it as its
  response) and anything else with 204; the requests each sample sends, what it prints
  and the exception it ends with are the same as under this suite's own Python.

The interpreters are looked up as `python3.N` on PATH, then under pyenv's versions
folder. Without them the test is skipped on a developer machine and fails in CI
(CI=true), whose machine image has them.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_sample_parity import Recorder, _request, _spec

from generator.config import Job, Project
from generator.pipeline import generate
from generator.write import write_package

pytestmark = pytest.mark.slow  # a virtual environment per Python, installed from PyPI

HERE = Path(__file__).parent
SPECS = ["wire", "constructs", "security", "responses", "extra", "inheritance", "directions", "constants", "echoed"]
# A body that comes back as the answer (the recording server echoes JSON), so its sample
# prints what the client decoded: each conversion the runtime has a branch for by Python
# version (date-times with `Z`, an offset and a fraction; dates; UUIDs; open enums, a
# value the client does not know among them; a map of models; undeclared keys kept).
THING = {
    "type": "object",
    "required": ["when", "id", "colour"],
    "properties": {
        "when": {"type": "string", "format": "date-time", "example": "2024-05-01T10:20:30Z"},
        "at": {"type": "string", "format": "date-time", "example": "2024-05-01T10:20:30.123456+05:30"},
        "day": {"type": "string", "format": "date", "example": "2024-02-29"},
        "id": {"type": "string", "format": "uuid", "example": "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
        "colour": {"type": "string", "enum": ["red", "blue"]},
        "colours": {"type": "array", "items": {"type": "string", "enum": ["red", "blue"]}, "example": ["blue", "teal"]},
        "level": {"type": "integer", "enum": [1, 2]},
        "children": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Child"}},
        "ratio": {"type": "number", "example": 0.5},
        "blob": {"type": "string", "format": "byte", "example": "aGVsbG8="},
    },
    "example": {
        "when": "2024-05-01T10:20:30Z",
        "at": "2024-05-01T10:20:30.123456+05:30",
        "day": "2024-02-29",
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "colour": "red",
        "colours": ["blue", "teal"],
        "level": 2,
        "children": {"a": {"born": "2023-12-31T23:59:59.5Z"}},
        "ratio": 0.5,
        "blob": "aGVsbG8=",
    },
}
ECHOED = {
    "openapi": "3.1.0",
    "info": {"title": "echoed", "version": "1"},
    "paths": {
        "/things/{id}": {
            "put": {
                "operationId": "put_thing",
                "tags": ["things"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                },
                "responses": {
                    "200": {
                        "description": "the thing",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Thing": THING,
            "Child": {"type": "object", "properties": {"born": {"type": "string", "format": "date-time"}}},
        }
    },
}
NEWEST_FROM = (3, 12)  # the newest Python found is checked from this version on


def _version(python: str) -> tuple[int, int] | None:
    done = subprocess.run(
        [python, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True, text=True, timeout=60
    )
    if done.returncode:
        return None
    major, minor = done.stdout.split()
    return int(major), int(minor)


def _candidates() -> dict[tuple[int, int], str]:
    """Every CPython 3 found, by version: `python3.N` on PATH first, then pyenv's."""
    found: dict[tuple[int, int], str] = {}
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    paths = [shutil.which(f"python3.{n}") for n in range(8, 20)]
    paths += [str(p) for p in sorted(pyenv.glob("3.*/bin/python3"))]
    for path in paths:
        if path:
            version = _version(path)
            if version is not None:
                found.setdefault(version, path)
    return found


def _oldest_admitted() -> tuple[int, int]:
    spec = next(f.default for f in dataclasses.fields(Project) if f.name == "python_requires")
    found = re.fullmatch(r">=\s*3\.(\d+)", spec)
    assert found, f"the default python-requires is {spec!r}: teach this test to read it"
    return 3, int(found.group(1))


def _pythons() -> dict[str, str]:
    """The oldest admitted Python and the newest one found, by `X.Y`."""
    found = _candidates()
    oldest = _oldest_admitted()
    chosen = {}
    if oldest in found:
        chosen[f"3.{oldest[1]}"] = found[oldest]
    newer = [v for v in found if v >= NEWEST_FROM]
    if newer:
        newest = max(newer)
        chosen[f"3.{newest[1]}"] = found[newest]
    return chosen


PYTHONS = _pythons()


@pytest.fixture(scope="module", params=["oldest", "newest"])
def venv_python(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh virtual environment of that Python with httpx (as a generated package
    pins it) and pytest; its interpreter's path."""
    oldest = f"3.{_oldest_admitted()[1]}"
    names = [v for v in PYTHONS if (v == oldest) == (request.param == "oldest")]
    if not names:
        why = f"no {request.param} Python found (python3.N on PATH, or pyenv's versions)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{why} in CI; found: {sorted(PYTHONS)}")
        pytest.skip(why)
    folder = tmp_path_factory.mktemp(f"venv-{names[0]}")
    subprocess.run([PYTHONS[names[0]], "-m", "venv", str(folder)], check=True, timeout=300)
    python = str(folder / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "httpx>=0.27,<1", "pytest>=8"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return python


def test_the_runtime_s_own_tests_pass(venv_python: str) -> None:
    tests = HERE / "runtime"
    done = subprocess.run(
        [
            venv_python,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--confcutdir",
            str(tests),  # not tests/conftest.py: it imports the generator (3.11+)
            "--rootdir",
            str(tests),
            "-c",
            os.devnull,  # not the project's pytest settings
            str(tests / "test_runtime.py"),
            str(tests / "test_operation.py"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) >= 100, summary


def echo_json(body: bytes, headers: dict[str, str]) -> bytes | None:
    """A JSON body comes back as the answer (200); anything else gets 204."""
    return body if body and headers.get("content-type", "").split(";")[0].strip().endswith("json") else None


@pytest.fixture(scope="module")
def echo() -> Iterator[Recorder]:
    server = Recorder(answer=echo_json)
    yield server
    server.server.shutdown()


def _runnable(source: str) -> str:
    """The sample with its clients on `BASE_URL` and its loops over pages cut to one item."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("Client", "AsyncClient"):
            node.keywords = [k for k in node.keywords if k.arg != "base_url"]  # a placeholder `<host>`
            node.keywords.append(ast.keyword("base_url", ast.Name("BASE_URL")))
    code = ast.unparse(tree)
    code = re.sub(r"\basync for (\w+) in (client\.[\w.]+\(.*?\)):", r"async for \1 in _afirst(\2):", code)
    return re.sub(r"(?<!async )\bfor (\w+) in (client\.[\w.]+\(.*?\)):", r"for \1 in _first(\2):", code)


def _samples(docs: Path) -> list[tuple[str, str]]:
    out = []
    for page in sorted((docs / "operations").rglob("*.md")):
        for n, block in enumerate(re.findall(r"```python\n(.*?)```", page.read_text("utf-8"), re.S)):
            out.append((f"{page.relative_to(docs).as_posix()}#{n}", _runnable(block)))
    return out


def _run(python: str, samples: Path, root: Path, echo: Recorder) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    echo.seen.clear()
    done = subprocess.run(
        [python, str(HERE / "samples_runner.py"), str(samples), str(root), echo.url],
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()], [_request(r) for r in echo.seen]


def test_docs_samples_behave_the_same(venv_python: str, echo: Recorder, tmp_path: Path) -> None:
    here_python = sys.executable
    differences = []
    count = 0
    (tmp_path / "echoed.json").write_text(json.dumps(ECHOED), "utf-8")
    for name in SPECS:
        spec = tmp_path / "echoed.json" if name == "echoed" else _spec(name, tmp_path)
        package = f"other_{name}"
        out = tmp_path / name
        write_package(out, package, generate(Job(spec, out, package), run_validator=False).files)
        samples = _samples(out / package / "docs")
        assert samples, name
        count += len(samples)
        listing = tmp_path / f"{name}.json"
        listing.write_text(json.dumps(samples), "utf-8")
        base_records, base_requests = _run(here_python, listing, out, echo)
        other_records, other_requests = _run(venv_python, listing, out, echo)
        assert len(base_records) == len(samples), base_records
        for a, b in zip(base_records, other_records):
            if a != b:
                differences.append(f"{name} {a['page']}:\n  here  {a}\n  other {b}")
        if base_requests != other_requests:
            pairs = [(x, y) for x, y in zip(base_requests, other_requests) if x != y]
            differences.append(f"{name}: requests differ ({len(base_requests)} / {len(other_requests)}): {pairs[:2]}")
    assert count >= 60, count
    assert not differences, "\n".join(differences)
