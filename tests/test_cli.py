"""The `python -m generator` command as a user runs it: exit codes, messages, files.

Every case runs the CLI in a subprocess from a tmp working folder, with the repo root on
PYTHONPATH and the validator cache (SDKGEN_CACHE_DIR) inside tmp. One seed client is
generated once per module (`baseline`) and copied wherever a test needs an output.

Exit codes: 0 fine, 1 stale (`check`), 2 bad input. A bad input prints one paragraph
`error: FILE[:LINE] at #/pointer: message` on stderr, never a traceback, and leaves an
existing output package exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from helpers import GENERATED, ROOT, SEED_SPEC

from generator import __version__

PACKAGE = "polar_client"
MANIFEST = ".sdkgen-manifest.json"
TOKEN_ENV = "POLAR_ACCESS_TOKEN"  # the committed client was generated with it (pyproject job)
# as the pyproject's job: the docs show the Go SDK's samples too
SEED_ARGS = ["--package", PACKAGE, "--token-env", TOKEN_ENV, "--go-module", "github.com/polarsource/polar-go"]
SUMMARY = re.compile(
    r"^(?P<where>.+): (?P<files>\d+) files, (?P<changed>\d+) changed, (?P<removed>\d+) removed in \d+\.\d+ s$"
)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def __str__(self) -> str:  # shown by failed asserts
        return f"exit {self.code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def cli(*args: str | Path, cwd: Path, cache: Path, pythonpath: Path = ROOT) -> Run:
    env = dict(os.environ, PYTHONPATH=str(pythonpath), SDKGEN_CACHE_DIR=str(cache))
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (hidden ones included, caches skipped) as {relative path: bytes}."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def everything(root: Path) -> set[str]:
    """Every path (files and folders) under `root`."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


# -- fixtures -------------------------------------------------------------------------


@dataclass
class Baseline:
    out: Path  # folder holding the generated `polar_client`
    run: Run
    files: dict[str, bytes]
    cache: Path


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    """The seed client, generated once for the module from the repo's seed spec."""
    work = tmp_path_factory.mktemp("baseline")
    cache = work / "cache"
    run = cli("generate", SEED_SPEC, "--output", work / "out", *SEED_ARGS, cwd=work, cache=cache)
    assert run.code == 0, run
    return Baseline(work / "out", run, tree(work / "out" / PACKAGE), cache)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def output(baseline: Baseline, work: Path) -> Path:
    """A private copy of the baseline output folder (holding `polar_client`), in `work`."""
    dest = work / "out"
    shutil.copytree(baseline.out, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


# -- generate -------------------------------------------------------------------------


def test_generate_seed_matches_the_committed_client(baseline: Baseline) -> None:
    assert baseline.run.code == 0, baseline.run
    assert baseline.run.stdout == ""
    last = baseline.run.stderr.strip().splitlines()[-1]
    found = SUMMARY.match(last)
    assert found, f"no summary line on stderr: {baseline.run.stderr!r}"
    assert found["where"].endswith(f"out/{PACKAGE}")
    n = len(baseline.files)
    assert (int(found["files"]), int(found["changed"]), int(found["removed"])) == (n, n, 0)
    assert "warning:" not in baseline.run.stderr  # the seed spec is clean
    committed = tree(GENERATED / PACKAGE)
    assert sorted(baseline.files) == sorted(committed)
    differing = [name for name in sorted(committed) if baseline.files[name] != committed[name]]
    assert differing == [], f"generated/{PACKAGE} differs from a fresh generate (regenerate it): {differing}"


def test_generate_again_changes_nothing(baseline: Baseline, output: Path, work: Path) -> None:
    mtimes = {p: p.stat().st_mtime_ns for p in (output / PACKAGE).rglob("*.py")}
    run = cli("generate", SEED_SPEC, "--output", output, *SEED_ARGS, cwd=work, cache=baseline.cache)
    assert run.code == 0, run
    last = run.stderr.strip().splitlines()[-1]
    found = SUMMARY.match(last)
    if found is None:  # the manifest's no-op path answers without regenerating
        assert re.match(rf"^.+/{PACKAGE}: up to date\b.* in \d+\.\d+ s$", last), run
    else:
        assert (int(found["changed"]), int(found["removed"])) == (0, 0), run
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes
    assert tree(output / PACKAGE) == baseline.files


# -- check ----------------------------------------------------------------------------


def check(output: Path, work: Path, cache: Path, spec: Path = SEED_SPEC) -> Run:
    return cli("check", spec, "--output", output, *SEED_ARGS, cwd=work, cache=cache)


def assert_stale(run: Run, *names: str) -> None:
    assert run.code == 1, run
    assert "Traceback" not in run.stderr, run  # a crash also exits 1: rule it out
    assert "is stale" in run.stderr, run
    assert run.stdout.startswith("diff --git a/"), run
    for name in names:
        assert f"{PACKAGE}/{name}" in run.stdout, f"{name} not named in the diff:\n{run}"


def test_check_fresh_output_passes(baseline: Baseline, output: Path, work: Path) -> None:
    run = check(output, work, baseline.cache)
    assert run.code == 0, run
    assert run.stdout == ""
    assert tree(output / PACKAGE) == baseline.files  # check never writes


def test_check_fails_on_an_edited_file(baseline: Baseline, output: Path, work: Path) -> None:
    edited = output / PACKAGE / "models" / "customer.py"
    edited.write_bytes(edited.read_bytes() + b"# hand edit\n")
    run = check(output, work, baseline.cache)
    assert_stale(run, "models/customer.py")
    # relative to the current folder (work), as `git apply` there wants them
    assert f"--- a/out/{PACKAGE}/models/customer.py\n" in run.stdout
    assert f"+++ b/out/{PACKAGE}/models/customer.py\n" in run.stdout
    assert "\n-# hand edit\n" in run.stdout
    assert "client.py" not in run.stdout  # only the edited file is reported
    assert edited.read_bytes().endswith(b"# hand edit\n")  # and it is left alone


def test_check_diff_applies_with_git_apply(baseline: Baseline, output: Path, work: Path, tmp_path: Path) -> None:
    """The diff names files relative to the current folder (was `a//tmp/.../x.py`), so
    `git apply` there makes the package fresh; from outside, relative to the output folder."""
    edited = output / PACKAGE / "models" / "customer.py"
    edited.write_bytes(edited.read_bytes() + b"# hand edit\n")
    (output / PACKAGE / "py.typed").unlink()
    (output / PACKAGE / "stray.py").write_text("x = 1\n")
    run = check(output, work, baseline.cache)
    assert_stale(run, "models/customer.py", "py.typed", "stray.py")
    assert "a//" not in run.stdout and "b//" not in run.stdout, run
    applied = subprocess.run(["git", "apply", "-"], input=run.stdout, cwd=work, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert check(output, work, baseline.cache).code == 0
    assert tree(output / PACKAGE) == baseline.files
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    edited.write_bytes(edited.read_bytes() + b"# again\n")
    run = check(output, elsewhere, baseline.cache)
    assert f"--- a/{PACKAGE}/models/customer.py\n" in run.stdout, run
    applied = subprocess.run(["git", "apply", "-"], input=run.stdout, cwd=output, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert tree(output / PACKAGE) == baseline.files


def test_check_fails_on_a_deleted_file(baseline: Baseline, output: Path, work: Path) -> None:
    (output / PACKAGE / "errors.py").unlink()
    run = check(output, work, baseline.cache)
    assert_stale(run, "errors.py")
    assert "--- /dev/null" in run.stdout
    assert not (output / PACKAGE / "errors.py").exists()


def test_check_fails_on_a_stray_file(baseline: Baseline, output: Path, work: Path) -> None:
    (output / PACKAGE / "models" / "stray.py").write_text("x = 1\n")
    run = check(output, work, baseline.cache)
    assert_stale(run, "models/stray.py")
    assert "+++ /dev/null" in run.stdout


def _manifest(output: Path) -> dict[str, Any]:
    return json.loads((output / PACKAGE / MANIFEST).read_bytes())


def _rewrite_manifest(output: Path, data: dict[str, Any]) -> None:
    (output / PACKAGE / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def test_manifest_records_black_version_and_mode_readably(baseline: Baseline) -> None:
    recorded = json.loads(baseline.files[MANIFEST])["inputs"]["formatter"]
    assert recorded == f"black {version('black')} (target py310, line length 88)"


def test_check_reports_stale_when_the_manifest_names_another_black(
    baseline: Baseline, output: Path, work: Path
) -> None:
    """Same bytes, other formatter: the next edit would reformat everything, so `check`
    says which black made the package and which one is installed."""
    data = _manifest(output)
    data["inputs"]["formatter"] = "black 24.1.0 (target py310, line length 88)"
    _rewrite_manifest(output, data)
    run = check(output, work, baseline.cache)
    assert run.code == 1, run
    assert "Traceback" not in run.stderr, run
    assert (
        f"was generated with black 24.1.0 (target py310, line length 88); this is black {version('black')}"
        in run.stderr
    )
    assert "regenerate" in run.stderr
    regenerate = cli("generate", SEED_SPEC, "--output", output, *SEED_ARGS, cwd=work, cache=baseline.cache)
    assert regenerate.code == 0, regenerate
    assert tree(output / PACKAGE) == baseline.files  # only the manifest was rewritten back
    assert check(output, work, baseline.cache).code == 0


def test_forged_manifest_passes_the_fast_check_but_not_check_full(baseline: Baseline, output: Path, work: Path) -> None:
    """The attack from the review: edit a file, re-hash it in the manifest. The fast path
    trusts the manifest (documented); `check --full` re-renders and catches it."""
    runtime = output / PACKAGE / "_runtime.py"
    runtime.write_bytes(runtime.read_bytes() + b"import os; os.system('echo owned')\n")
    data = _manifest(output)
    data["files"]["_runtime.py"] = hashlib.sha256(runtime.read_bytes()).hexdigest()
    _rewrite_manifest(output, data)
    assert check(output, work, baseline.cache).code == 0  # the manifest is believed
    run = cli("check", SEED_SPEC, "--full", "--output", output, *SEED_ARGS, cwd=work, cache=baseline.cache)
    assert_stale(run, "_runtime.py")
    assert "-import os; os.system('echo owned')" in run.stdout


def test_check_full_passes_a_fresh_package(baseline: Baseline, output: Path, work: Path) -> None:
    run = cli("check", SEED_SPEC, "--full", "--output", output, *SEED_ARGS, cwd=work, cache=baseline.cache)
    assert run.code == 0, run
    assert run.stdout == ""


@pytest.mark.parametrize(
    "manifest_text",
    [
        "[]",
        "{}",
        '{"inputs": [], "files": {}}',
        '{"inputs": {}, "files": []}',
        '{"inputs": {}, "files": {"a": 1}}',
        "\xff",
    ],
)
def test_a_damaged_manifest_means_stale_never_a_traceback(
    manifest_text: str, baseline: Baseline, output: Path, work: Path
) -> None:
    (output / PACKAGE / MANIFEST).write_text(manifest_text, "latin-1")
    run = check(output, work, baseline.cache)
    assert run.code == 0, run  # every other file matches; the manifest is only a cache
    assert "Traceback" not in run.stderr
    again = cli("generate", SEED_SPEC, "--output", output, *SEED_ARGS, cwd=work, cache=baseline.cache)
    assert again.code == 0, again
    assert tree(output / PACKAGE) == baseline.files


def test_check_fails_after_a_spec_change(baseline: Baseline, output: Path, work: Path) -> None:
    spec = work / "spec.yaml"
    text = SEED_SPEC.read_text("utf-8")
    assert text.count("description: Update a customer.") == 1
    spec.write_text(text.replace("description: Update a customer.", "description: Update one customer, now."), "utf-8")
    run = check(output, work, baseline.cache, spec=spec)
    assert_stale(run, "services/customers.py")
    assert "Update one customer, now." in run.stdout


def test_check_reads_jobs_from_the_nearest_pyproject(baseline: Baseline, output: Path, work: Path) -> None:
    project = work / "project"
    (project / "specs").mkdir(parents=True)
    shutil.copy(SEED_SPEC, project / "specs" / "api.yaml")
    shutil.copytree(output, project / "generated")
    (project / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [project]
            name = "demo"
            version = "0"

            [[tool.sdkgen.jobs]]
            spec = "specs/api.yaml"
            output = "generated"
            package = "{PACKAGE}"
            token-env = "{TOKEN_ENV}"
            go-module = "github.com/polarsource/polar-go"
            """
        )
    )
    (project / "src" / "deeper").mkdir(parents=True)
    for cwd in (project, project / "src" / "deeper"):  # found here or above
        run = cli("check", cwd=cwd, cache=baseline.cache)
        assert run.code == 0, f"from {cwd}:\n{run}"
        assert run.stdout == ""
    (project / "generated" / PACKAGE / "models" / "address.py").unlink()
    run = cli("check", cwd=project, cache=baseline.cache)
    assert_stale(run, "models/address.py")


def test_check_names_a_deleted_empty_file(baseline: Baseline, output: Path, work: Path) -> None:
    """`py.typed` is empty: its diff has no hunk, yet the report must still name it."""
    assert baseline.files["py.typed"] == b""
    (output / PACKAGE / "py.typed").unlink()
    run = check(output, work, baseline.cache)
    assert_stale(run, "py.typed")


def test_check_fails_after_a_template_change(baseline: Baseline, output: Path, work: Path, tmp_path: Path) -> None:
    """A generator whose template changed must report the committed output as stale."""
    copy = tmp_path / "generator-copy"
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "generator", copy / "generator", ignore=skip)
    shutil.copytree(ROOT / "templates", copy / "templates", ignore=skip)
    template = copy / "templates" / "python" / "client.py.jinja"
    template.write_text(
        template.read_text("utf-8") + "\n# changed by test_check_fails_after_a_template_change\n", "utf-8"
    )
    run = cli("check", SEED_SPEC, "--output", output, *SEED_ARGS, cwd=work, cache=baseline.cache, pythonpath=copy)
    assert_stale(run, "client.py")
    assert "+# changed by test_check_fails_after_a_template_change" in run.stdout
    assert (ROOT / "templates" / "python" / "client.py.jinja").read_text("utf-8").count("changed by test_") == 0


# -- bad input ------------------------------------------------------------------------

OK_HEAD = """\
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/A"}
components:
  schemas:
"""


@dataclass
class Bad:
    name: str  # file name of the spec
    text: str | None  # None: the file does not exist
    wants: tuple[str, ...]  # substrings of the error paragraph
    line: int | None = None  # the line the message must point at (see assert_error)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


_UNRESOLVABLE = (
    OK_HEAD + '    A:\n      type: object\n      properties:\n        b: {$ref: "#/components/schemas/Missing"}\n'
)
_EXTERNAL = OK_HEAD + '    A:\n      type: object\n      properties:\n        b: {$ref: "other.yaml#/X"}\n'
_CYCLE = OK_HEAD + '    A: {$ref: "#/components/schemas/B"}\n    B: {$ref: "#/components/schemas/A"}\n'
_PATH_TEMPLATE = """\
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /x/{id}:
    get:
      operationId: getX
      responses:
        "204": {description: done}
"""

BAD_INPUTS = {
    "malformed-yaml": Bad(
        "bad.yaml",
        'openapi: 3.1.0\ninfo:\n  title: a: b\n  version: "1"\npaths: {}\n',
        ("invalid YAML", " at #"),
        line=3,
    ),
    "malformed-json": Bad(
        "bad.json",
        '{"openapi": "3.1.0",\n "info": {,},\n "paths": {}}\n',
        ("invalid JSON", " at #"),
        line=2,
    ),
    "empty-file": Bad("empty.yaml", "", ("empty", " at #")),
    "yaml-list": Bad("list.yaml", "- openapi: 3.1.0\n- paths: {}\n", ("list", "not a mapping", " at #")),
    "not-openapi": Bad("other.yaml", "name: demo\nversion: 1\n", ("no `openapi`", " at #")),
    "openapi-2.5": Bad(
        "v25.yaml", 'openapi: 2.5.0\ninfo: {title: t, version: "1"}\npaths: {}\n', ("2.5.0", " at #/openapi"), line=1
    ),
    "openapi-4.0": Bad(
        "v4.yaml", 'info: {title: t, version: "1"}\nopenapi: 4.0.0\npaths: {}\n', ("4.0.0", " at #/openapi"), line=2
    ),
    "swagger-2": Bad(
        "swagger.yaml",
        'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n',
        ("Swagger 2.0", "OpenAPI 3", "Convert", " at #/swagger"),
        line=1,
    ),
    "unresolvable-ref": Bad(
        "unresolvable.yaml",
        _UNRESOLVABLE,
        ("#/components/schemas/Missing", " at #/components/schemas/A/properties/b:"),
        line=_line_of(_UNRESOLVABLE, "b: {$ref"),
    ),
    "external-ref": Bad(
        "external.yaml",
        _EXTERNAL,
        ("other.yaml#/X", "external", " at #/components/schemas/A/properties/b:"),
        line=_line_of(_EXTERNAL, "b: {$ref"),
    ),
    "ref-cycle": Bad("cycle.yaml", _CYCLE, ("cycle", "#/components/schemas/A", "#/components/schemas/B", " at #/")),
    "path-template-without-parameter": Bad(
        "template.yaml",
        _PATH_TEMPLATE,
        ("{id}", "path parameter", " at #/paths/~1x~1{id}/get:"),
        line=_line_of(_PATH_TEMPLATE, "get:"),
    ),
    "missing-file": Bad("missing.yaml", None, ("cannot read", " at #")),
}


def assert_error(run: Run, name: str, wants: tuple[str, ...] = (), line: int | None = None) -> None:
    assert run.code == 2, run
    assert "Traceback" not in run.stderr, run
    assert run.stderr.startswith("error: "), run
    paragraph = run.stderr.strip()
    assert "\n" not in paragraph, f"more than one paragraph line:\n{run}"
    assert name in paragraph, f"{name} not named:\n{run}"
    for want in wants:
        assert want in paragraph, f"{want!r} missing:\n{run}"
    if line is not None:
        # An object is located at its key's line or at its first member's line (the
        # YAML node of a block mapping starts there); either reads fine in an editor.
        assert re.search(rf"{re.escape(name)}:({line}|{line + 1}) at #", paragraph), f"line {line} not given:\n{run}"


@pytest.mark.parametrize("case", list(BAD_INPUTS.values()), ids=list(BAD_INPUTS))
def test_bad_input_is_refused_and_leaves_the_output_alone(
    case: Bad, baseline: Baseline, output: Path, work: Path
) -> None:
    if case.text is not None:
        (work / case.name).write_text(case.text, "utf-8")
    before = tree(output)
    run = cli("generate", case.name, "--output", output, "--package", PACKAGE, cwd=work, cache=baseline.cache)
    assert_error(run, case.name, case.wants, case.line)
    assert run.stdout == ""
    assert tree(output) == before  # nothing rewritten, nothing staged beside it
    assert tree(output / PACKAGE) == baseline.files


# -- the output location ------------------------------------------------------------


def assert_output_error(run: Run, *wants: str) -> None:
    assert run.code == 2, run
    assert "Traceback" not in run.stderr, run
    paragraph = run.stderr.strip()
    assert paragraph.startswith("error: ") and "\n" not in paragraph, run
    for want in wants:
        assert want in paragraph, f"{want!r} missing:\n{run}"


def test_output_that_is_a_file_is_refused(baseline: Baseline, work: Path) -> None:
    (work / "afile").write_text("keep me\n")
    run = cli("generate", SEED_SPEC, "--output", "afile", *SEED_ARGS, cwd=work, cache=baseline.cache)
    assert_output_error(run, "afile is a file", "--output")
    assert (work / "afile").read_text() == "keep me\n"
    run = cli("generate", SEED_SPEC, "--output", "afile/sub", *SEED_ARGS, cwd=work, cache=baseline.cache)
    assert_output_error(run, "cannot create the output folder afile/sub", "Not a directory")


def test_unwritable_output_is_refused(baseline: Baseline, work: Path) -> None:
    # /proc refuses new entries even to root (the tests may run as root, for whom file
    # permissions do not apply)
    run = cli("generate", SEED_SPEC, "--output", "/proc/1", *SEED_ARGS, cwd=work, cache=baseline.cache)
    assert_output_error(run, "/proc/1", "permission denied")
    run = cli("generate", SEED_SPEC, "--output", "/proc/sdkgen/out", *SEED_ARGS, cwd=work, cache=baseline.cache)
    assert_output_error(run, "cannot create the output folder /proc/sdkgen/out")


def test_samples_into_an_unwritable_place_is_refused(baseline: Baseline, work: Path) -> None:
    run = cli("samples", SEED_SPEC, "-o", "/proc/sdkgen/overlay.json", cwd=work, cache=baseline.cache)
    assert_output_error(run, "cannot write /proc/sdkgen/overlay.json")


def test_a_package_name_too_long_for_the_file_system_is_refused(baseline: Baseline, work: Path) -> None:
    name = "p" * 300  # a valid identifier, not a valid file name
    run = cli("generate", SEED_SPEC, "--output", "out", "--package", name, cwd=work, cache=baseline.cache)
    assert_output_error(run, "file name is too long")
    assert not any((work / "out").iterdir())


def test_a_package_folder_that_is_a_symlink_is_refused_and_left_alone(
    baseline: Baseline, output: Path, work: Path
) -> None:
    real = work / "real"
    (output / PACKAGE).rename(real)
    (output / PACKAGE).symlink_to(real)
    run = cli("generate", SEED_SPEC, "--output", output, *SEED_ARGS, "--force", cwd=work, cache=baseline.cache)
    assert_output_error(run, "is a symbolic link", str(real))
    assert (output / PACKAGE).is_symlink() and tree(real) == baseline.files
    assert sorted(p.name for p in output.iterdir()) == [PACKAGE]


def test_a_leftover_retired_symlink_is_removed_not_followed(baseline: Baseline, output: Path, work: Path) -> None:
    """The review: a leftover `.pkg.sdkgen-old` that is a link broke every later run."""
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep\n")
    (output / f".{PACKAGE}.sdkgen-old").symlink_to(elsewhere)
    (output / f".{PACKAGE}.sdkgen-new").symlink_to(elsewhere)
    (output / PACKAGE / "models" / "customer.py").write_text("edited\n")
    run = cli("generate", SEED_SPEC, "--output", output, *SEED_ARGS, cwd=work, cache=baseline.cache)
    assert run.code == 0, run
    assert sorted(p.name for p in output.iterdir()) == [PACKAGE]
    assert tree(output / PACKAGE) == baseline.files
    assert (elsewhere / "precious.txt").read_text() == "keep\n"


@pytest.mark.parametrize("surface", ["[]", "null", '{"operations": {"a": 1}}', '{"models": 3, "enums": []}', "{"])
def test_a_damaged_surface_file_gives_no_report_and_no_traceback(
    surface: str, baseline: Baseline, output: Path, work: Path
) -> None:
    (output / PACKAGE / ".sdkgen-surface.json").write_text(surface)
    run = cli("generate", SEED_SPEC, "--output", output, *SEED_ARGS, "--report", cwd=work, cache=baseline.cache)
    assert run.code == 0, run
    assert "Traceback" not in run.stderr
    assert "nothing to compare" in run.stdout
    assert tree(output / PACKAGE) == baseline.files


def test_check_on_bad_input_exits_2_not_1(baseline: Baseline, output: Path, work: Path) -> None:
    case = BAD_INPUTS["unresolvable-ref"]
    (work / case.name).write_text(case.text or "", "utf-8")
    run = cli("check", case.name, "--output", output, "--package", PACKAGE, cwd=work, cache=baseline.cache)
    assert_error(run, case.name, case.wants, case.line)
    assert run.stdout == ""


@pytest.mark.parametrize("package", ["../evil", "my-pkg"])
def test_invalid_package_name_writes_nothing(package: str, baseline: Baseline, work: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent
    siblings = {p.name for p in outside.iterdir()}
    mine = everything(tmp_path)
    run = cli("generate", SEED_SPEC, "--output", work / "out", "--package", package, cwd=work, cache=baseline.cache)
    assert run.code == 2, run
    assert "Traceback" not in run.stderr, run
    assert run.stderr.startswith("error: "), run
    assert repr(package) in run.stderr, run
    assert everything(tmp_path) == mine, "files appeared under the test's tmp folder"
    assert {p.name for p in outside.iterdir()} == siblings, "something appeared beside the tmp folder"
    assert not (work / "out").exists()


def test_unknown_key_in_a_pyproject_job(baseline: Baseline, work: Path) -> None:
    shutil.copy(SEED_SPEC, work / "api.yaml")
    (work / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [[tool.sdkgen.jobs]]
            spec = "api.yaml"
            output = "generated"
            package = "{PACKAGE}"
            token_env = "{TOKEN_ENV}"
            """
        )
    )
    run = cli("generate", cwd=work, cache=baseline.cache)
    assert run.code == 2, run
    assert "Traceback" not in run.stderr, run
    assert run.stderr.startswith("error: "), run
    assert "token_env" in run.stderr, run
    assert "pyproject.toml" in run.stderr, run
    assert not (work / "generated").exists()


# -- usable specs with validator problems ---------------------------------------------

DUPLICATE_OPERATION_IDS = """\
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: same
      responses:
        "204": {description: done}
  /b:
    get:
      operationId: same
      responses:
        "204": {description: done}
"""

BOOLEAN_EXCLUSIVE_MAXIMUM_IN_31 = """\
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: integer
                maximum: 5
                exclusiveMaximum: true
"""


def _warnings(run: Run) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith("warning: ")]


def _generate_with_warnings(text: str, name: str, work: Path, cache: Path) -> tuple[Run, list[str]]:
    (work / name).write_text(text, "utf-8")
    run = cli("generate", name, "--output", work / "out", "--package", "demo", cwd=work, cache=cache)
    assert run.code == 0, run
    assert "Traceback" not in run.stderr, run
    assert (work / "out" / "demo" / "__init__.py").is_file(), "the package was not generated"
    assert (work / "out" / "demo" / "client.py").is_file()
    assert SUMMARY.match(run.stderr.strip().splitlines()[-1]), run
    return run, _warnings(run)


def test_duplicate_operation_ids_warn_and_generate(work: Path, tmp_path: Path) -> None:
    run, warnings = _generate_with_warnings(DUPLICATE_OPERATION_IDS, "dup.yaml", work, tmp_path / "cache")
    hits = [w for w in warnings if "same" in w]
    assert hits, run
    line = _line_of(DUPLICATE_OPERATION_IDS, "/b:") + 1  # the second `get:` (or its first member)
    assert any(re.match(rf"warning: dup\.yaml:({line}|{line + 1}) at #/paths/~1b/get: ", w) for w in hits), run


def test_boolean_exclusive_maximum_in_31_warns_at_the_schema_and_generates(work: Path, tmp_path: Path) -> None:
    run, warnings = _generate_with_warnings(BOOLEAN_EXCLUSIVE_MAXIMUM_IN_31, "bounds.yaml", work, tmp_path / "cache")
    hits = [w for w in warnings if "True is not of type" in w or "exclusiveMaximum" in w]
    assert hits, run
    assert all(w.startswith("warning: bounds.yaml:") for w in hits), run
    # The pointer must lead to the offending keyword inside the operation, not to the
    # document root (the validator reports paths relative to the schema it checked).
    where = "#/paths/~1a/get/responses/200/content/application~1json/schema/exclusiveMaximum"
    line = _line_of(BOOLEAN_EXCLUSIVE_MAXIMUM_IN_31, "exclusiveMaximum")
    assert any(f"bounds.yaml:{line} at {where}:" in w for w in hits), run


# -- help and version -----------------------------------------------------------------


def test_help(work: Path, tmp_path: Path) -> None:
    run = cli("--help", cwd=work, cache=tmp_path / "cache")
    assert run.code == 0, run
    assert "generate" in run.stdout and "check" in run.stdout
    for command in ("generate", "check"):
        run = cli(command, "--help", cwd=work, cache=tmp_path / "cache")
        assert run.code == 0, run
        assert "--output" in run.stdout and "--package" in run.stdout


def test_version(work: Path, tmp_path: Path) -> None:
    run = cli("--version", cwd=work, cache=tmp_path / "cache")
    assert run.code == 0, run
    assert run.stdout.strip() == f"sdkgen, version {__version__}"


@pytest.mark.parametrize("name", ["black", "jinja2", "click", "openapi-spec-validator-rs", "PyYAML", "pyyaml"])
def test_distribution_versions_are_those_importlib_metadata_gives(name: str) -> None:
    import importlib.metadata

    from generator.resources import distribution_version

    assert distribution_version(name) == importlib.metadata.version(name)


def test_a_distribution_found_twice_or_not_at_all_is_left_to_importlib_metadata(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import importlib.metadata

    from generator.resources import distribution_version

    def dist(folder: Path, name: str, version: str) -> None:
        (folder / f"{name}-{version}.dist-info").mkdir(parents=True)
        (folder / f"{name}-{version}.dist-info" / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nVersion: not a header\n", "utf-8"
        )

    dist(tmp_path / "a", "one_pkg", "1.0")
    dist(tmp_path / "b", "one_pkg", "2.0")  # later on sys.path: not the one
    dist(tmp_path / "a", "two", "1.0")
    dist(tmp_path / "a", "two", "3.0")  # which one importlib.metadata takes is its business
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path / "a"), str(tmp_path / "b")])
    distribution_version.cache_clear()
    try:
        assert distribution_version("one-pkg") == distribution_version("One.Pkg") == "1.0"
        assert distribution_version("two") == importlib.metadata.version("two")
        assert distribution_version("absent") is None
    finally:
        distribution_version.cache_clear()


def test_a_missing_black_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without black's metadata (sdkgen run from a checkout in a bare Python), the freshness
    key cannot be computed: a ConfigError (exit 2 with one sentence), not a traceback."""
    from generator.diagnostics import ConfigError
    from generator.resources import distribution_version, formatter

    monkeypatch.setattr(sys, "path", [str(tmp_path)])  # no black anywhere
    distribution_version.cache_clear()
    try:
        with pytest.raises(ConfigError, match="black is not installed"):
            formatter(88)
    finally:
        distribution_version.cache_clear()
