"""The whole pipeline for one job: load, validate, normalise, build, emit, render, format.

Nothing here writes to disk: the result is the complete package as bytes, so a failure
at any stage leaves the previous output untouched. On a cold run the validator (seconds
on a large spec) runs in a worker process while this one renders and black formats.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import signal
import sys
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__, manifest, project
from .builder import build_api
from .config import Job, check_package_name
from .diagnostics import SpecError, SpecWarning
from .diff import surface
from .emit.python import Options, PythonEmitter
from .format import PARALLEL_THRESHOLD, format_many
from .ir import model as m
from .load import Document, load
from .normalize import Spec
from .render import render, runtime_file
from .validate import cached_verdict, validate, verdict, warnings_from


SURFACE = ".sdkgen-surface.json"  # the public surface, for `generate --report`


@dataclass
class Generated:
    files: dict[str, bytes]
    warnings: list[SpecWarning]
    api: m.Api
    document: Document


def _worker_init() -> None:
    """Workers leave Ctrl-C to the parent, which cancels them and keeps the old output,
    and die with the parent even when it is killed outright (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _libc_call("prctl", 1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG


def _libc_call(name: str, *args: int) -> None:
    """Call a Linux libc function if there is one (elsewhere, or without it: nothing)."""
    if sys.platform == "linux":
        try:
            import ctypes

            getattr(ctypes.CDLL("libc.so.6", use_errno=True), name)(*args)
        except (OSError, AttributeError):
            pass


class _Workers:
    """A process pool created on first need and torn down at once if anything fails."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None

    def get(self) -> ProcessPoolExecutor | None:
        # One process fewer than the cores: this process formats too (see format._format_all).
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        workers = min(4, cores) - 1
        if self.pool is None and workers >= 1:
            method = "fork" if sys.platform == "linux" else None
            self.pool = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context(method), initializer=_worker_init
            )
        return self.pool

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        _INHERITED.clear()  # needed only while workers are forked
        if self.pool is None:
            return
        if exc_type is None:
            self.pool.shutdown(wait=True)
            return
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        for process in processes:
            process.kill()  # its results are discarded; SIGKILL cannot print a traceback
        for process in processes:
            process.join(5)
        self.pool.shutdown(wait=True, cancel_futures=True)  # quick: the workers are gone


# Documents the parent had loaded when it forked its workers: a forked worker validates
# its copy-on-write view instead of loading and holding a second copy of the spec.
_INHERITED: dict[str, Document] = {}


def _validate_file(path: str, use_cache: bool) -> list[tuple[str, str]]:
    """The validator's verdict, computed in a pool worker that then goes on formatting:
    what the validator built is freed and handed back to the system first."""
    try:
        doc = _INHERITED.get(path) or load(Path(path))
        return verdict(doc, use_cache=use_cache)
    finally:
        _release_memory()


def _release_memory() -> None:
    gc.collect()
    _libc_call("malloc_trim", 0)


def build(job: Job, *, run_validator: bool = True) -> tuple[m.Api, list[SpecWarning], Document]:
    doc = load(job.spec)
    spec = Spec(doc)  # refuses what we cannot understand
    warnings = validate(doc) if run_validator else []
    api, found = build_api(spec)
    if not (api.operations or api.models or api.enums or api.aliases):
        raise SpecError(
            doc.locate("#/paths"),
            "the document defines no operations and no schemas.",
            "Describe at least one operation under `paths` (or a schema under `components/schemas`).",
        )
    return api, warnings + found, doc


def generate(
    job: Job,
    *,
    run_validator: bool = True,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Generated:
    check_package_name(job.package)
    doc = load(job.spec)
    spec = Spec(doc)  # refuses what we cannot understand
    with _Workers() as workers:
        pool: Executor | None = None
        found_verdict: list[tuple[str, str]] | None = None
        pending: Future[list[tuple[str, str]]] | None = None
        if run_validator:
            found_verdict = cached_verdict(doc) if use_cache else None
            if found_verdict is None:
                _INHERITED[str(job.spec)] = doc
                pool = workers.get()
                if pool is not None:
                    pending = pool.submit(_validate_file, str(job.spec), use_cache)
                else:
                    found_verdict = verdict(doc, use_cache=use_cache)
        api, found = build_api(spec)
        if not (api.operations or api.models or api.enums or api.aliases):
            raise SpecError(
                doc.locate("#/paths"),
                "the document defines no operations and no schemas.",
                "Describe at least one operation under `paths` (or a schema under `components/schemas`).",
            )
        if job.default_server and job.default_server not in {s.name for s in api.servers}:
            names = ", ".join(s.name for s in api.servers) or "none"
            raise SpecError(
                doc.locate("#/servers"), f"default server {job.default_server!r} is not among the spec's servers ({names})."
            )
        options = Options(
            package=job.package,
            token_env=job.token_env,
            default_server=job.default_server,
            timeout=job.timeout,
            generator_version=__version__,
            line_length=job.line_length,
            distribution=job.project.distribution if job.project else None,
            distribution_version=job.project.version if job.project else None,
        )
        files: dict[str, bytes] = {}
        sources: dict[str, str] = {}
        for out in PythonEmitter(api, options).files():
            if out.template is None:
                files[out.path] = runtime_file(out.path)
                continue
            text = render(out.template, out.context)
            if out.path.endswith(".py"):
                sources[out.path] = text
            else:
                files[out.path] = text.encode("utf-8")
        if pool is None and len(sources) >= PARALLEL_THRESHOLD * 4:
            pool = workers.get()
        # black allocates millions of short-lived objects; with the spec, IR and sources
        # frozen, the collector's full passes no longer walk them again and again
        gc.freeze()
        try:
            formatted = format_many(
                sources, line_length=job.line_length, pool=pool, use_cache=use_cache, progress=progress
            )
        finally:
            gc.unfreeze()
        files.update((path, text.encode("utf-8")) for path, text in formatted.items())
        if pending is not None:
            found_verdict = pending.result()
    warnings = warnings_from(doc, found_verdict or [])
    files = project.arrange(job, api, files)
    inputs = manifest.inputs_for(doc.raw, job.output_options())
    files[SURFACE] = (json.dumps(surface(api), indent=0, sort_keys=True) + "\n").encode()
    files[manifest.NAME] = manifest.render(inputs, files)
    return Generated(dict(sorted(files.items())), warnings + found, api, doc)
