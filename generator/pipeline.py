"""The whole pipeline for one job: load, validate, normalise, build, emit, render, format.

Nothing here writes to disk: the result is the complete package as bytes, so a failure
at any stage leaves the previous output untouched. The fast validator runs here; the
validator runs in a forked child (the reference one takes seconds on a large spec) while
this process builds and renders, and black formats in forked children.
This module only orders the stages; worker processes, signals and memory are
`processes.py`'s business.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import assert_never

from . import __version__, manifest, processes, project
from .builder import build_api, pagination
from .builder.security import SecurityOptions, options_for
from .config import Job, check_package_name
from .diagnostics import SpecError, SpecWarning
from .diff import surface
from .emit.layout import remembering
from .emit.output import OutputFile, OutputGroup
from .emit.python import Options, PythonEmitter
from .emit.samples import Samples
from .format import (
    PARALLEL_THRESHOLD,
    LayoutMemo,
    Prepared,
    Rendered,
    Source,
    Warm,
    formatting_taking,
    indented_json,
    prepared,
)
from .generated import SURFACE, Generated
from .ir import model as m
from .load import Document, load
from .normalize import Spec
from .render import render, runtime_file
from .resources import formatter
from .validate import cached_verdict, chosen_validator, validate, verdict, warnings_from


def _verdict(doc: Document, use_cache: bool) -> list[tuple[str, str]]:
    """The validator's verdict, computed in a child of its own (`processes.Forked`)."""
    return verdict(doc, use_cache=use_cache)


def _verdict_of(child: processes.Forked, doc: Document, use_cache: bool) -> list[tuple[str, str]]:
    """The child's verdict; if it gave none (it failed), the same call here gives it."""
    found: list[tuple[str, str]] | None = child.result()
    if found is None:
        found = verdict(doc.parsed_again(), use_cache=use_cache)
    return found


def _read(job: Job) -> tuple[Document, Spec]:
    check_package_name(job.package)
    doc = load(job.spec)
    return doc, Spec(doc)  # Spec refuses what we cannot understand


def security_options(job: Job) -> SecurityOptions:
    """The job's settings that shape security schemes (variable names, apiKey prefixes)."""
    return options_for(job.package, job.token_env, job.auth)


def _build_ir(job: Job, doc: Document, spec: Spec) -> tuple[m.Api, list[SpecWarning]]:
    processes.reached("build")
    job.check_pagination_targets(pagination.operation_ids(spec))
    api, found = build_api(spec, security_options(job), pagination=job.pagination_overrides())
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
    return api, found


def build(job: Job, *, run_validator: bool = True) -> tuple[m.Api, list[SpecWarning], Document]:
    """The IR alone (no rendering): load, validate in this process, build."""
    doc, spec = _read(job)
    warnings = validate(doc) if run_validator else []
    api, found = _build_ir(job, doc, spec)
    return api, warnings + found, doc


def _render_order(item: OutputFile | OutputGroup) -> int:
    """Python modules first, then the Markdown pages without code samples, then those
    with: the samples are formatted in forked children meanwhile (`format.Prepared`), so
    this process waits for them (at the first page showing one) as late as it can."""
    match item:
        case OutputFile():
            if item.shows_samples:
                return 2
            return 1 if item.path.endswith(".md") else 0
        case OutputGroup():
            return 0
        case _:
            assert_never(item)


def _render(
    api: m.Api, job: Job, rendered: Rendered, layouts: LayoutMemo
) -> tuple[dict[str, bytes], dict[str, Source]]:
    """Every output file: non-Python ones and files made before (`rendered`) as bytes,
    Python sources still to be formatted (compressed: `format.Source`)."""
    processes.reached("render")
    options = Options(
        package=job.package,
        token_env=job.token_env,
        default_server=job.default_server,
        timeout=job.timeout,
        generator_version=__version__,
        line_length=job.line_length,
        go_module=job.go_module,
        distribution=job.project.distribution if job.project else None,
        distribution_version=job.project.version if job.project else None,
    )
    files: dict[str, bytes] = {}
    sources: dict[str, Source] = {}
    with remembering(layouts.memo):  # contexts are built in the loop too (`OutputFile.built`)
        # the Markdown pages last, those showing code samples at the very end: the samples
        # are being formatted in forked children (`format.Prepared`) while the rest renders,
        # instead of this process waiting for them (at the first page showing one, the
        # README) with a core idle; the schemas' pages show none
        for item in sorted(PythonEmitter(api, options, keyed=rendered.enabled).outputs(), key=_render_order):
            match item:
                case OutputFile():
                    _make(item, rendered, files, sources)
                case OutputGroup():
                    known = rendered.by_group(item.inputs)  # read back without building anything
                    if known is not None:
                        files.update(known)
                        continue
                    made = item.make()
                    rendered.made(item.inputs, [out.path for out in made])
                    for out in made:
                        _make(out, rendered, files, sources)
                case _:
                    assert_never(item)
    return files, sources


def _make(out: OutputFile, rendered: Rendered, files: dict[str, bytes], sources: dict[str, Source]) -> None:
    """One file: verbatim, read back (by its inputs, else by its context), or rendered
    (into `sources` when it is Python, still to be formatted)."""
    if out.template is None:
        files[out.path] = runtime_file(out.path)
        return
    if out.inputs is not None:  # read back without building the context
        known = rendered.by_inputs(out.path, out.template, out.inputs)
        if known is not None:
            files[out.path] = known
            return
    context = out.built()
    known = rendered.get(out.path, out.template, context)
    if known is not None:
        files[out.path] = known
        return
    text = render(out.template, context)
    if out.path.endswith(".py"):
        # waits compressed (zlib level 1, ~6x) for black: the rendered modules pile up here
        # while the samples' children run (Kubernetes: ~17 MB of text, at the run's fullest)
        sources[out.path] = zlib.compress(text.encode("utf-8"), 1)
    else:
        files[out.path] = text.encode("utf-8")


def _surface_json(api: m.Api, use_cache: bool) -> bytes:
    return (indented_json(surface(api), 0, use_cache=use_cache) + "\n").encode()


def generate(
    job: Job,
    *,
    run_validator: bool = True,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Generated:
    """The complete package as bytes; the validator runs beside rendering on a cold run."""
    if job.target == "go":
        from .golang.pipeline import generate_go

        return generate_go(job, run_validator=run_validator, use_cache=use_cache)
    doc, spec = _read(job)
    # the spec, then the IR, then the sources are frozen as they are made: the collector's
    # full passes no longer walk them again and again (black allocates millions of
    # short-lived objects), and the forked children do not touch their pages
    with processes.Workers() as workers, processes.frozen_heap():
        found_verdict: list[tuple[str, str]] | None = None
        warnings: list[SpecWarning] = []  # the validator's, located in the text
        child: processes.Forked | None = None  # the validator's
        slow = False  # the reference validator: seconds on a large spec, waited for last
        if run_validator:
            found_verdict = cached_verdict(doc) if use_cache else None
            if found_verdict is None:
                # the fast one takes a tenth of a second on polar-2026-10, but keeps ~25 MB:
                # a child of its own (forked in ~10 ms) takes them away when it exits
                slow = chosen_validator() != "fast"
                child = workers.fork(_verdict, doc, use_cache)
            processes.reached("validate")
        # a re-run of this generator on its own output (an edit): black is imported in a
        # child of its own meanwhile, which then formats the few modules that changed
        warm = Warm(workers) if use_cache and manifest.made_by_this_generator(job.root) else None
        api, found = _build_ir(job, doc, spec)
        if not slow:  # no child still reading the spec: dropping it copies no shared page
            # the parsed spec is not read again (warnings are located from the text): its
            # memory goes to rendering and formatting instead (issue 16, peak memory)
            del spec
            doc = doc.text_only()
        processes.freeze()
        rendered = Rendered(job.line_length, enabled=use_cache)
        layouts = LayoutMemo(str(job.root.resolve()), enabled=use_cache)
        # the docs' code samples go to forked children now; this process emits and renders meanwhile
        with remembering(layouts.memo):  # the samples' long statements are laid out too
            samples = Samples(api, job.package, token_env=job.token_env, line_length=job.line_length).all_sources()
        ahead = Prepared(samples, line_length=job.line_length, workers=workers, use_cache=use_cache)
        with prepared(ahead):
            files, sources = _render(api, job, rendered, layouts)
        # what only rendering needed goes before formatting, this process's fullest time (peak memory)
        del samples, ahead
        layouts.save()
        del layouts
        if not slow:  # the verdict is in (the fast validator takes a fraction of the IR build)
            if child is not None:
                found_verdict, child = _verdict_of(child, doc, use_cache), None
            warnings = warnings_from(doc, found_verdict or [])
            doc = doc.digest_only()  # the text's last use was locating the warnings
        # when black has much to do (a cold run): the finished files (the Markdown pages: 18 MB
        # on Kubernetes) wait compressed while it runs, this process's fullest time (0.2 s of
        # CPU there), and rendering's garbage is collected and the freed pages handed back
        # before the children are forked. Not after a small edit: the files read back would
        # be compressed for nothing
        packed: dict[str, bytes] = {}
        if len(sources) >= PARALLEL_THRESHOLD:
            packed = {path: zlib.compress(files.pop(path), 1) for path in list(files)}
            processes.release_memory()
        processes.freeze()
        # the raw texts go as they are formatted, the formatted ones as the bytes are made (peak
        # memory); each module is kept in the cache by the child that formatted it
        formatting = formatting_taking(
            sources,
            line_length=job.line_length,
            workers=workers,
            use_cache=use_cache,
            progress=progress,
            keeper=rendered,
            warm=warm,
        )
        # after an edit, the API's surface is written while the warm child formats its few
        # modules (not while `_Batch` children format many: they have the cores, and it is
        # this process's fullest time)
        surface_json = _surface_json(api, use_cache) if formatting.warm is not None else None
        formatted = formatting.finish()
        for path in list(packed):
            files[path] = zlib.decompress(packed.pop(path))
        if child is not None:
            warnings = warnings_from(doc, _verdict_of(child, doc, use_cache))
            doc = doc.digest_only()
        for path in list(formatted):
            files[path] = formatted.pop(path).encode("utf-8")
        rendered.remember(files)
    files = project.arrange(job, api, files)
    inputs = manifest.inputs_with(doc.sha256, job.output_options(), formatter(job.line_length))
    files[SURFACE] = surface_json if surface_json is not None else _surface_json(api, use_cache)
    files[manifest.NAME] = manifest.render(inputs, files)
    return Generated(dict(sorted(files.items())), warnings + found, api, doc)
