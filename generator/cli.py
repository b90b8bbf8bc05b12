"""The `sdkgen` command (also `python -m generator`): generate, check.

Exit codes: 0 fine; 1 the committed client is stale; 2 bad input or configuration.
Errors are one paragraph naming the file and JSON pointer, never a traceback.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from . import __version__, processes
from .config import Job, find_pyproject, load_jobs
from .diagnostics import ConfigError, SpecError, SpecWarning
from .format import FormatError
from .write import InterruptedAfterSwap, OutputError

MANIFEST = ".sdkgen-manifest.json"
EXIT_STALE = 1
EXIT_BAD_INPUT = 2


def _echo_warnings(warnings: list[SpecWarning], quiet: bool) -> None:
    if quiet:
        return
    for w in warnings:
        click.echo(str(w), err=True)


@contextmanager
def _friendly_errors() -> Iterator[None]:
    processes.interrupt_on_sigterm()  # SIGTERM cleans up like Ctrl-C
    try:
        yield
    except SpecError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except (ConfigError, OutputError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except FormatError as exc:
        click.echo(f"internal error (please report): {exc}", err=True)
        sys.exit(3)
    except InterruptedAfterSwap:
        click.echo("interrupted; the new output was already complete and in place.", err=True)
        processes.exit_now(130)
    except KeyboardInterrupt:
        # cleanup (staging folder, child processes) has run on the way up; do not wait
        # for anything else
        click.echo("interrupted; the previous output is unchanged.", err=True)
        processes.exit_now(130)


def _jobs(
    spec: str | None,
    output: str | None,
    package: str | None,
    token_env: str | None,
    config: str | None,
    target: str | None = None,
    go_module: str | None = None,
) -> list[Job]:
    if target == "go":
        return _go_jobs(spec, output, package, token_env, config, go_module)
    if go_module:  # a python job whose docs show the Go SDK's samples too
        return [j.with_overrides(go_module=go_module) for j in _jobs(spec, output, package, token_env, config)]
    if spec is not None:
        if not output or not package:
            pyproject = Path(config) if config else find_pyproject(Path.cwd())
            base = load_jobs(pyproject)[0] if pyproject else None
            if base is None:
                raise ConfigError("with SPEC, pass --output DIR and --package NAME.")
            return [
                base.with_overrides(
                    spec=Path(spec), output=Path(output) if output else None, package=package, token_env=token_env
                )
            ]
        from .config import check_package_name

        return [Job(Path(spec), Path(output), check_package_name(package), token_env=token_env)]
    pyproject = Path(config) if config else find_pyproject(Path.cwd())
    if pyproject is None:
        raise ConfigError("no SPEC given and no pyproject.toml with [tool.sdkgen] found here or above.")
    jobs = load_jobs(pyproject)
    if output or package or token_env:
        jobs = [
            j.with_overrides(output=Path(output) if output else None, package=package, token_env=token_env)
            for j in jobs
        ]
    return jobs


def _go_jobs(
    spec: str | None,
    output: str | None,
    package: str | None,
    token_env: str | None,
    config: str | None,
    go_module: str | None,
) -> list[Job]:
    """`--target go`: one job from the arguments, or the go jobs of the pyproject."""
    from .config import check_go_job
    from .golang.emit import derive_package

    if spec is None:
        jobs = [j for j in _jobs(None, output, package, token_env, config) if j.target == "go"]
        if not jobs:
            raise ConfigError('--target go without SPEC: the pyproject has no job with target = "go".')
        return [check_go_job(j.with_overrides(go_module=go_module)) for j in jobs]
    if not output or not go_module:
        raise ConfigError("with SPEC and --target go, pass --output DIR and --go-module PATH.")
    return [
        check_go_job(
            Job(
                Path(spec),
                Path(output),
                package or derive_package(go_module),
                token_env=token_env,
                target="go",
                go_module=go_module,
            )
        )
    ]


def _job_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.argument("spec", required=False, type=click.Path(dir_okay=False))(fn)
    fn = click.option("--spec", "spec_option", type=click.Path(dir_okay=False), help="Same as SPEC.")(fn)
    fn = click.option("--output", "-o", help="Folder that receives the package.")(fn)
    fn = click.option("--package", "-p", help="Name of the generated package.")(fn)
    fn = click.option("--token-env", help="Environment variable holding the token.")(fn)
    fn = click.option("--config", type=click.Path(dir_okay=False), help="pyproject.toml to read jobs from.")(fn)
    fn = click.option(
        "--target", type=click.Choice(["python", "go"]), help="Language of the client (default: python)."
    )(fn)
    fn = click.option("--go-module", help="Go module path (go target), e.g. github.com/polarsource/polar-go.")(fn)
    fn = click.option("--quiet", "-q", is_flag=True, help="Do not print spec warnings.")(fn)
    return fn


def _progress_line(job: Job) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        end = "\n" if done == total else "\r"
        click.echo(f"{job.package}: formatting {done}/{total} modules", err=True, nl=False)
        click.echo(end, err=True, nl=False)

    return show


def _waiting(job: Job) -> Callable[[], None]:
    def say() -> None:
        click.echo(f"{job.output}: another sdkgen run is writing here; waiting for it to finish.", err=True)

    return say


def _report(job: Job, files: dict[str, bytes]) -> None:
    """The surface diff between the package on disk and the one about to be written."""
    import json

    from . import diff as surface_diff
    from .generated import SURFACE

    try:
        old = json.loads((job.root / SURFACE).read_bytes())
    except (OSError, ValueError):
        click.echo(f"{job.root}: no previous surface recorded; nothing to compare.")
        return
    new = json.loads(files[SURFACE])
    try:
        text = surface_diff.as_text(surface_diff.compare(old, new))
    except surface_diff.SurfaceFormatError as exc:
        click.echo(f"{job.root}: {exc}; nothing to compare.")
        return
    except (KeyError, TypeError, AttributeError, ValueError):  # edited or damaged by hand
        click.echo(f"{job.root}: the recorded surface ({SURFACE}) is damaged; nothing to compare.")
        return
    click.echo(text, nl=False)


def _previous_surface(job: Job) -> dict[str, Any] | None:
    import json

    from .generated import SURFACE

    try:
        found = json.loads((job.root / SURFACE).read_bytes())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _changelog(job: Job, old: dict[str, Any] | None, files: dict[str, bytes], path: Path) -> None:
    """Prepend a CHANGELOG entry: the surface diff between the previous output and the new one."""
    import json

    from . import changelog
    from . import diff as surface_diff
    from .generated import SURFACE

    new = json.loads(files[SURFACE])
    try:
        changes = None if old is None else surface_diff.compare(old, new)
    except surface_diff.SurfaceFormatError as exc:
        click.echo(f"{path}: {exc}; no entry added.", err=True)
        return
    except (KeyError, TypeError, AttributeError, ValueError):  # edited or damaged by hand
        click.echo(f"{path}: the recorded surface ({SURFACE}) is damaged; no entry added.", err=True)
        return
    if job.project is not None:
        heading = f"{job.project.distribution} {job.project.version}"
    else:
        heading = f"{job.package} {new.get('version') or ''}".strip()
    text = changelog.entry(heading, changes)
    if text is None:
        click.echo(f"{path}: no change for callers, no entry added.", err=True)
        return
    changelog.prepend(path, text)
    click.echo(f"{path}: entry {heading!r} added.", err=True)


def is_fresh(job: Job) -> bool:
    """The no-op path: answer from the manifest without importing black or rendering."""
    from . import manifest
    from .resources import formatter

    try:
        spec_bytes = job.spec.read_bytes()
    except OSError:
        return False
    inputs = manifest.inputs_for(spec_bytes, job.output_options(), formatter(job.line_length))
    return manifest.is_fresh(job.root, inputs)


_STRICT_HELP = (
    "Exit 2 (writing nothing) when any operation or schema had to be left out of the client; "
    "without it they are reported as errors and the rest is generated. Skips the manifest's no-op shortcut."
)


def _refuse_partial(job: Job, warnings: list[SpecWarning]) -> None:
    left_out = [w for w in warnings if w.level == "error"]
    if left_out:
        click.echo(
            f"error: {job.spec}: {len(left_out)} item(s) could not be generated (listed above); "
            "--strict refuses a partial client.",
            err=True,
        )
        sys.exit(EXIT_BAD_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sdkgen")
def main() -> None:
    """Generate typed Python clients from OpenAPI 3.0/3.1 descriptions."""


@main.command()
@_job_options
@click.option("--force", is_flag=True, help="Regenerate even when the manifest says nothing changed.")
@click.option("--report", is_flag=True, help="Print what changes for the SDK's callers (see `sdkgen diff`).")
@click.option(
    "--changelog",
    type=click.Path(dir_okay=False),
    help="Prepend an entry listing what changed for callers (from `sdkgen diff`) to this Markdown file.",
)
@click.option("--strict", is_flag=True, help=_STRICT_HELP)
def generate(
    spec: str | None,
    spec_option: str | None,
    output: str | None,
    package: str | None,
    token_env: str | None,
    config: str | None,
    target: str | None,
    go_module: str | None,
    quiet: bool,
    force: bool,
    report: bool,
    changelog: str | None,
    strict: bool,
) -> None:
    """Write (or refresh) the client package of each job."""
    spec = spec or spec_option
    with _friendly_errors():
        for job in _jobs(spec, output, package, token_env, config, target, go_module):
            started = time.perf_counter()
            if not force and not report and not strict and is_fresh(job):
                elapsed = time.perf_counter() - started
                click.echo(f"{job.root}: up to date (manifest) in {elapsed:.2f} s", err=True)
                continue
            # imported only past the no-op path: the pipeline costs ~0.1 s to import
            from .pipeline import generate as run
            from .project import check_output
            from .write import write_package

            check_output(job)
            result = run(job, progress=_progress_line(job) if sys.stderr.isatty() else None)
            _echo_warnings(result.warnings, quiet)
            if strict:
                _refuse_partial(job, result.warnings)
            if report:
                _report(job, result.files)
            previous = _previous_surface(job) if changelog else None
            written = write_package(job.root.parent, job.root.name, result.files, on_wait=_waiting(job))
            if changelog:
                _changelog(job, previous, result.files, Path(changelog))
            elapsed = time.perf_counter() - started
            click.echo(
                f"{job.root}: {len(result.files)} files, {len(written.written)} changed, "
                f"{len(written.removed)} removed in {elapsed:.2f} s",
                err=True,
            )


@main.command()
@_job_options
@click.option(
    "--full",
    is_flag=True,
    help="Re-render and compare every file, trusting nothing the manifest says (for CI).",
)
@click.option("--strict", is_flag=True, help=_STRICT_HELP)
def check(
    spec: str | None,
    spec_option: str | None,
    output: str | None,
    package: str | None,
    token_env: str | None,
    config: str | None,
    target: str | None,
    go_module: str | None,
    quiet: bool,
    full: bool,
    strict: bool,
) -> None:
    """Exit 1 with a diff when a committed package differs from what would be generated.

    Without --full, a manifest whose recorded inputs and file hashes all match answers
    at once (fast, for local hooks); a manifest can be forged, so CI should use --full.
    """
    spec = spec or spec_option
    any_stale = False
    with _friendly_errors():
        for job in _jobs(spec, output, package, token_env, config, target, go_module):
            if not full and not strict and is_fresh(job):
                continue
            any_stale |= _check_job(job, quiet, strict)
    sys.exit(EXIT_STALE if any_stale else 0)


def _check_job(job: Job, quiet: bool, strict: bool = False) -> bool:
    """Render the job and compare it with the package on disk; True (and a diff) if stale."""
    from . import manifest
    from .pipeline import generate as run  # past the no-op path, as in `generate`
    from .resources import formatter
    from .write import read_package

    result = run(job)
    _echo_warnings(result.warnings, quiet)
    if strict:
        _refuse_partial(job, result.warnings)
    package_dir = job.root
    on_disk = read_package(job.root.parent, job.root.name)
    root = package_dir.as_posix()
    shown = _patch_root(package_dir)
    stale = False
    for rel in sorted(set(on_disk) | set(result.files)):
        if rel == MANIFEST:
            continue  # a cache of hashes: a new generator may record other inputs
        old, new = on_disk.get(rel), result.files.get(rel)
        if old == new:
            continue
        stale = True
        click.echo("".join(_diff(f"{shown}/{rel}", old, new)), nl=False)
    recorded, current = manifest.recorded_formatter(package_dir), formatter(job.line_length)
    if on_disk and recorded is not None and recorded != current:
        # the bytes may agree today, but the next edit would reformat everything
        stale = True
        click.echo(f"{root} was generated with {recorded}; this is {current}: regenerate.", err=True)
    if stale:
        click.echo(f"{root} is stale: run `sdkgen generate` and commit the result.", err=True)
    return stale


@main.command()
@click.argument("old_spec", type=click.Path(dir_okay=False))
@click.argument("new_spec", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on-breaking", is_flag=True, help="Exit 1 when any change breaks callers.")
def diff(old_spec: str, new_spec: str, fmt: str, fail_on_breaking: bool) -> None:
    """Report what changes for the SDK's callers between two versions of a spec.

    Either spec may be `-` to read it from standard input (e.g. `git show HEAD:openapi.yaml |
    sdkgen diff - openapi.yaml`). The JSON output is described by docs/diff-output.schema.json.
    """
    from . import diff as surface_diff
    from .builder import build_api
    from .load import Document, load, load_bytes
    from .normalize import Spec

    if old_spec == "-" and new_spec == "-":
        click.echo("error: only one of OLD_SPEC and NEW_SPEC can be `-` (standard input).", err=True)
        sys.exit(EXIT_BAD_INPUT)

    def read(name: str) -> Document:
        return load_bytes(sys.stdin.buffer.read(), Path("<stdin>")) if name == "-" else load(name)

    with _friendly_errors():
        old_api, _ = build_api(Spec(read(old_spec)))
        new_api, _ = build_api(Spec(read(new_spec)))
        changes = surface_diff.compare(surface_diff.surface(old_api), surface_diff.surface(new_api))
        click.echo(surface_diff.as_json(changes) if fmt == "json" else surface_diff.as_text(changes), nl=False)
    sys.exit(EXIT_STALE if fail_on_breaking and any(c.breaking for c in changes) else 0)


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--package", "-p", default="client", show_default=True, help="Package name the samples import.")
@click.option("--token-env", help="Environment variable the samples mention for the token.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the overlay here (default: stdout).")
def samples(spec: str, package: str, token_env: str | None, output: str | None) -> None:
    """Write an OpenAPI Overlay adding Python `x-codeSamples` to every operation."""
    import json

    from .builder import build_api
    from .config import check_package_name
    from .emit.samples import overlay
    from .load import load
    from .normalize import Spec

    with _friendly_errors():
        api, _ = build_api(Spec(load(spec)))
        text = json.dumps(overlay(api, check_package_name(package), token_env=token_env), indent=2) + "\n"
        if output:
            try:
                Path(output).write_text(text, "utf-8")
            except OSError as exc:
                raise OutputError(f"cannot write {output}: {exc.strerror or exc}.") from None
        else:
            click.echo(text, nl=False)


def _patch_root(package_dir: Path) -> str:
    """The package folder as the diff names it, so that `git apply` (or `patch -p1`) run
    in the current folder applies it: relative to the current folder when the package is
    under it, else relative to the output folder (`NAME/...`: apply it there)."""
    try:
        return package_dir.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return package_dir.name


def _diff(name: str, old: bytes | None, new: bytes | None) -> list[str]:
    """A git-style diff of one file (a `diff --git` header, file modes for a file added or
    removed), so `git apply` also takes an empty file's creation or removal."""
    import difflib  # only `check --diff` needs it

    def lines(data: bytes | None) -> list[str]:
        return [] if data is None else data.decode("utf-8", "replace").splitlines(keepends=True)

    out = [f"diff --git a/{name} b/{name}\n"]
    if old is None:
        out.append("new file mode 100644\n")
    elif new is None:
        out.append("deleted file mode 100644\n")
    out += difflib.unified_diff(
        lines(old),
        lines(new),
        fromfile=f"a/{name}" if old is not None else "/dev/null",
        tofile=f"b/{name}" if new is not None else "/dev/null",
    )
    return [line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out]
