"""Publishable projects (issue 15.1): a job with `distribution` gets a project folder.

pyproject.toml (hatchling), README.md with the right install line, docs/, the package with
py.typed; the User-Agent names the distribution; `generate --changelog` writes entries
from the surface diff. The slow test builds the wheel, checks it with twine, installs it
in a fresh venv and type-checks the installed package with mypy --strict.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import ROOT

from generator import changelog
from generator.config import Job, Project, load_jobs
from generator.diagnostics import ConfigError
from generator.diff import Change
from generator.pipeline import generate
from generator.render import toml_str
from generator.write import write_package

SPEC = textwrap.dedent(
    """\
    openapi: 3.1.0
    info: {title: Pets API, version: "2024-01-01"}
    servers: [{url: "https://api.example.com"}]
    paths:
      /v1/pets/{id}:
        get:
          operationId: getPet
          tags: [pets]
          parameters: [{name: id, in: path, required: true, schema: {type: string}}]
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
    components:
      schemas:
        Pet:
          type: object
          required: [id]
          properties: {id: {type: string}, name: {type: string}}
    """
)

JOB = textwrap.dedent(
    """\
    [[tool.sdkgen.jobs]]
    spec = "spec.yaml"
    output = "sdk"
    package = "pets_client"
    distribution = "pets-client"
    version = "1.2.0"
    license = "MIT"
    authors = ["Jane Doe <jane@example.com>", "The Team"]
    homepage = "https://example.com/pets"
    """
)


def repo(tmp_path: Path, job: str = JOB, spec: str = SPEC) -> Path:
    (tmp_path / "spec.yaml").write_text(spec, "utf-8")
    (tmp_path / "pyproject.toml").write_text(job, "utf-8")
    return tmp_path


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(cwd / ".cache"))
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def project_job(tmp_path: Path, **changes: Any) -> Job:
    (job,) = load_jobs(repo(tmp_path) / "pyproject.toml")
    return job.with_overrides(**changes)


# -- configuration -----------------------------------------------------------------------


def test_config_reads_project_keys(tmp_path: Path) -> None:
    job = project_job(tmp_path)
    assert job.project == Project(
        "pets-client",
        "1.2.0",
        license="MIT",
        authors=(("Jane Doe", "jane@example.com"), ("The Team", None)),
        homepage="https://example.com/pets",
    )
    assert job.root == tmp_path / "sdk" and job.package_prefix == "pets_client/"
    bare = Job(tmp_path / "spec.yaml", tmp_path / "out", "pets_client")
    assert bare.root == tmp_path / "out" / "pets_client" and bare.project is None
    assert "project" not in bare.output_options()  # manifests of bare packages stay as they were


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('version = "1.0"\n', "need(s) `distribution`"),
        ('distribution = "pets client"\nversion = "1.0"\n', "not a valid distribution name"),
        ('distribution = "pets-client"\n', "needs `version`"),
        ('distribution = "pets-client"\nversion = "one"\n', "not a PEP 440 version"),
        ('distribution = "p"\nversion = "1.0"\nauthors = "me"\n', "`authors` must be a list"),
        ('distribution = "p"\nversion = "1.0"\nhomepage = "javascript:x"\n', "http(s) URL"),
    ],
)
def test_config_refuses_bad_project_keys(tmp_path: Path, extra: str, message: str) -> None:
    base = '[[tool.sdkgen.jobs]]\nspec = "s.yaml"\noutput = "o"\npackage = "p"\n'
    (tmp_path / "pyproject.toml").write_text(base + extra, "utf-8")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_jobs(tmp_path / "pyproject.toml")


# -- the project folder ---------------------------------------------------------------------


def test_project_layout_and_metadata(tmp_path: Path) -> None:
    files = generate(project_job(tmp_path), run_validator=False).files
    assert {"pyproject.toml", "README.md", "docs/index.md", "pets_client/__init__.py", "pets_client/py.typed"} <= set(
        files
    )
    assert not any(rel.startswith("pets_client/docs/") or rel == "pets_client/README.md" for rel in files)
    meta = tomllib.loads(files["pyproject.toml"].decode())
    assert meta["build-system"]["build-backend"] == "hatchling.build"
    project = meta["project"]
    assert (project["name"], project["version"], project["license"]) == ("pets-client", "1.2.0", "MIT")
    assert project["authors"] == [{"name": "Jane Doe", "email": "jane@example.com"}, {"name": "The Team"}]
    assert project["urls"] == {"Homepage": "https://example.com/pets"}
    assert project["requires-python"] == ">=3.10" and project["readme"] == "README.md"
    assert any(d.startswith("httpx") for d in project["dependencies"])
    assert meta["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["pets_client"]
    readme = files["README.md"].decode()
    assert "pip install pets-client\n" in readme
    assert "PYTHONPATH" not in readme  # the bare package's vendoring advice is not given


def test_bare_package_layout_unchanged(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC, "utf-8")
    files = generate(Job(tmp_path / "spec.yaml", tmp_path / "out", "pets_client"), run_validator=False).files
    assert "pyproject.toml" not in files and "README.md" in files and "__init__.py" in files
    assert 'pip install "httpx>=0.27"' in files["README.md"].decode()


def test_hostile_title_stays_a_toml_string(tmp_path: Path) -> None:
    title = 'Evil"\\\n[tool.x]\nname = "owned"\u007f'
    spec = SPEC.replace("title: Pets API", "title: " + __import__("json").dumps(title))
    repo(tmp_path, spec=spec)
    (job,) = load_jobs(tmp_path / "pyproject.toml")
    meta = tomllib.loads(generate(job, run_validator=False).files["pyproject.toml"].decode())
    assert "x" not in meta.get("tool", {})
    assert meta["project"]["description"] == "Python client for " + " ".join(title.split())
    for text in ('a"b', "back\\slash", "line\nbreak", "\u2028\x00\x1f\x7f"):
        assert tomllib.loads(f"v = {toml_str(text)}")["v"] == text


def test_user_agent_names_distribution_and_is_overridable(tmp_path: Path, import_package: Any) -> None:
    job = project_job(tmp_path)
    write_package(job.root.parent, job.root.name, generate(job, run_validator=False).files)
    pkg: Any = import_package(job.root, "pets_client")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "1"})

    client = pkg.Client("t", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client.pets.get_pet("1")
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert seen[-1].headers["user-agent"] == f"pets-client/1.2.0 python/{version} httpx/{httpx.__version__}"
    client.pets.get_pet("1", request_options={"headers": {"User-Agent": "mine/1"}})
    assert seen[-1].headers["user-agent"] == "mine/1"
    other = pkg.Client(
        "t", headers={"User-Agent": "app/2"}, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    other.pets.get_pet("1")
    assert seen[-1].headers["user-agent"] == "app/2"


def test_cli_generates_project_and_refuses_foreign_folder(tmp_path: Path) -> None:
    root = repo(tmp_path)
    proc = cli("generate", "-q", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert (root / "sdk" / "pyproject.toml").is_file() and (root / "sdk" / "pets_client" / "client.py").is_file()
    again = cli("check", cwd=root)
    assert again.returncode == 0, again.stdout + again.stderr
    # a folder sdkgen did not write is never swapped away
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", "utf-8")
    (root / "pyproject.toml").write_text(JOB.replace('output = "sdk"', 'output = "foreign"'), "utf-8")
    refused = cli("generate", "-q", cwd=root)
    assert refused.returncode == 2 and "was not written by sdkgen" in refused.stderr
    assert (foreign / "notes.txt").read_text("utf-8") == "mine"
    (root / "pyproject.toml").write_text(JOB.replace('output = "sdk"', 'output = "."'), "utf-8")
    itself = cli("generate", "-q", cwd=root)
    assert itself.returncode == 2 and "the repository itself" in itself.stderr


# -- changelog ------------------------------------------------------------------------------


def test_changelog_entries_from_the_diff(tmp_path: Path) -> None:
    root = repo(tmp_path)
    log = root / "CHANGELOG.md"
    log.write_text("# Changelog\n\n## pets-client 1.1.0 (2020-01-01)\n\n- older\n", "utf-8")
    first = cli("generate", "-q", "--changelog", "CHANGELOG.md", cwd=root)
    assert first.returncode == 0, first.stderr
    text = log.read_text("utf-8")
    assert text.startswith("# Changelog\n\n## pets-client 1.2.0 (") and "First generated version." in text
    assert text.rstrip().endswith("- older")
    # a required response field removed, a new operation: one entry, breaking first
    changed = SPEC.replace("required: [id]", "required: []").replace(
        "components:",
        "  /v1/pets:\n    get:\n      operationId: listPets\n      tags: [pets]\n"
        '      responses: {"204": {description: none}}\ncomponents:',
    )
    (root / "spec.yaml").write_text(changed, "utf-8")
    (root / "pyproject.toml").write_text(JOB.replace('"1.2.0"', '"2.0.0"'), "utf-8")
    second = cli("generate", "-q", "--changelog", "CHANGELOG.md", cwd=root)
    assert second.returncode == 0, second.stderr
    text = log.read_text("utf-8")
    entry = text.split("## pets-client 2.0.0", 1)[1].split("\n## ", 1)[0]
    assert entry.index("### Breaking changes") < entry.index("### Other changes")
    assert "`Pet.id`" in entry and "`pets.list_pets`" in entry
    assert text.count("## pets-client 1.2.0") == 1 and text.count("## pets-client 1.1.0") == 1


def test_changelog_same_heading_replaced_and_no_change_no_entry(tmp_path: Path) -> None:
    log = tmp_path / "CHANGES.md"
    change = Change(False, "operation", "pets.list", "added (GET /pets)", "#/paths/~1pets/get", ("pets.list",))
    day = datetime.date(2026, 1, 2)
    first = changelog.entry("sdk 1.0", [change], day)
    assert first is not None
    changelog.prepend(log, first)
    changelog.prepend(log, first.replace("added", "added again"))
    text = log.read_text("utf-8")
    assert text.count("## sdk 1.0 (2026-01-02)") == 1 and "added again" in text and text.startswith("# Changelog\n")
    assert "(affects `pets.list`)" in text
    assert changelog.entry("sdk 1.0", [], day) is None


# -- the acceptance test: a wheel that installs and type-checks -------------------------


@pytest.mark.slow
def test_wheel_builds_installs_and_typechecks(tmp_path: Path) -> None:
    root = repo(tmp_path)
    proc = cli("generate", "-q", cwd=root)
    assert proc.returncode == 0, proc.stderr
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(root / "sdk")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (wheel,) = dist.glob("pets_client-1.2.0-*.whl")
    (sdist,) = dist.glob("pets_client-1.2.0.tar.gz")
    twine = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert twine.returncode == 0, twine.stdout + twine.stderr
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True, timeout=600
    )
    assert install.returncode == 0, install.stdout + install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = subprocess.run(
        [str(python), "-c", "import pets_client, httpx; print(pets_client.__file__); pets_client.Client('t')"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    assert str(venv) in probe.stdout  # the installed copy, not the generated folder
    (elsewhere / "use.py").write_text(
        "from pets_client import Client\nfrom pets_client.models import Pet\n\n"
        "def name(client: Client) -> str | None:\n    pet: Pet = client.pets.get_pet('1')\n"
        "    return pet.name if isinstance(pet.name, str) else None\n",
        "utf-8",
    )
    # the installed package itself, then a caller that relies on its types (py.typed)
    for target in (["-p", "pets_client"], ["use.py"]):
        mypy = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-executable", str(python), *target],
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert mypy.returncode == 0, mypy.stdout + mypy.stderr
