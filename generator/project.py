"""A publishable project folder around the generated package (jobs with `distribution`).

Without `distribution` the output is the package folder alone (`output/package/`). With
it, `output/` is a project that `pip install ./output` and `python -m build` accept:

    output/
      pyproject.toml     hatchling build backend, [project] metadata from [tool.sdkgen]
      README.md          the package README (its install line names the distribution)
      docs/              the Markdown reference (beside the README its links point to)
      <package>/         the package, with py.typed
      .sdkgen-manifest.json, .sdkgen-surface.json

sdkgen owns the whole folder and swaps it in at once, so it refuses a folder that holds
files it did not write.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Job, Project
from .diagnostics import ConfigError
from .ir import model as m
from .manifest import NAME as MANIFEST
from .render import render


def arrange(job: Job, api: m.Api, files: dict[str, bytes]) -> dict[str, bytes]:
    """The package's files placed in the output root: unchanged for a bare package; for a
    project, under `<package>/` with README.md, docs/ and pyproject.toml at the top."""
    project = job.project
    if project is None:
        return files
    out: dict[str, bytes] = {}
    for rel, data in files.items():
        top = rel == "README.md" or rel.startswith("docs/")
        out[rel if top else f"{job.package}/{rel}"] = data
    out["pyproject.toml"] = pyproject(job, project, api).encode("utf-8")
    return out


@dataclass(frozen=True, slots=True)
class PyprojectFile:
    """The context of templates/python/project/pyproject.toml.jinja (values TOML-escaped there)."""

    spec_name: str
    distribution: str
    version: str
    description: str
    python_requires: str
    license: str | None
    authors: tuple[tuple[str, str | None], ...]
    homepage: str | None
    package: str


def pyproject(job: Job, project: Project, api: m.Api) -> str:
    title = " ".join(api.title.split()) or "an HTTP API"
    return render(
        "project/pyproject.toml.jinja",
        PyprojectFile(
            spec_name=job.spec.name,
            distribution=project.distribution,
            version=project.version,
            description=f"Python client for {title}",
            python_requires=project.python_requires,
            license=project.license,
            authors=project.authors,
            homepage=project.homepage,
            package=job.package,
        ),
    )


def check_output(job: Job) -> None:
    """Refuse to replace a project folder that sdkgen did not write, or one that holds the
    spec or the current directory (the repository itself): the folder is swapped whole."""
    if job.project is None:
        return
    root = job.root.resolve()
    inside = [p for p in (Path.cwd().resolve(), job.spec.resolve()) if p == root or root in p.parents]
    if inside:
        raise ConfigError(
            f"output {job.output} of a project job (with `distribution`) is the repository itself or holds it; "
            'name a folder of its own (e.g. output = "sdk").'
        )
    if root.is_dir() and any(root.iterdir()) and not (root / MANIFEST).is_file():
        raise ConfigError(
            f"output {job.output} exists and was not written by sdkgen (no {MANIFEST}); a project job replaces "
            "the whole folder: name an empty or new folder."
        )
