"""The whole pipeline for one job: load, validate, normalise, build, emit, render, format.

Nothing here writes to disk: the result is the complete package as bytes, so a failure
at any stage leaves the previous output untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import __version__
from .build import build_api
from .config import Job, check_package_name
from .diagnostics import SpecError, SpecWarning
from .emit.python import Options, PythonEmitter
from .format import format_source
from .ir import model as m
from .load import Document, load
from .normalize import Spec
from .render import render, runtime_file
from .validate import validate


@dataclass
class Generated:
    files: dict[str, bytes]
    warnings: list[SpecWarning]
    api: m.Api
    document: Document


def build(job: Job, *, run_validator: bool = True) -> tuple[m.Api, list[SpecWarning], Document]:
    doc = load(job.spec)
    spec = Spec(doc)  # refuses what we cannot understand
    warnings = validate(doc) if run_validator else []
    api, found = build_api(spec)
    if not api.operations and not api.models:
        raise SpecError(doc.locate("#/paths"), "the document defines no operations and no schemas.")
    return api, warnings + found, doc


def generate(job: Job, *, run_validator: bool = True) -> Generated:
    check_package_name(job.package)
    api, warnings, doc = build(job, run_validator=run_validator)
    options = Options(
        package=job.package,
        token_env=job.token_env,
        default_server=job.default_server,
        timeout=job.timeout,
        generator_version=__version__,
    )
    if job.default_server and job.default_server not in {s.name for s in api.servers}:
        names = ", ".join(s.name for s in api.servers) or "none"
        raise SpecError(doc.locate("#/servers"), f"default server {job.default_server!r} is not among the spec's servers ({names}).")
    files: dict[str, bytes] = {}
    for out in PythonEmitter(api, options).files():
        if out.template is None:
            files[out.path] = runtime_file(out.path)
            continue
        text = render(out.template, out.context)
        if out.path.endswith(".py"):
            text = format_source(text, path=out.path, line_length=job.line_length)
        files[out.path] = text.encode("utf-8")
    return Generated(files, warnings, api, doc)
