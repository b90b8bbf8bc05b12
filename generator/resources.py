"""Where sdkgen finds its templates and keeps its caches (cheap to import)."""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from pathlib import Path


@cache
def templates_dir() -> Path:
    """Installed wheels carry templates inside the package; a checkout has them at the top.
    (Found once per process: `render` asks for every file, ~2,400 times on polar-2026-10.)"""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("sdkgen's templates are missing from this installation")


def tree_files(root: Path, suffix: str = "", skip: str = "") -> list[tuple[str, str]]:
    """The files under `root` whose names end in `suffix`, as sorted (posix relative path,
    path) pairs: `__pycache__` folders and the top-level entry `skip` left out, symbolic
    links to folders not followed (links to files are listed). `os.scandir`, not
    `Path.rglob`: half the CPU on a 2,300-file package. Read by the writer (the package)
    and by the generator's fingerprint (its own code), in every run."""
    found: list[tuple[str, str]] = []
    folders = [("", os.fspath(root))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name == "__pycache__" or (not prefix and entry.name == skip):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.name.endswith(suffix) and entry.is_file():
                    found.append((prefix + entry.name, entry.path))
    return sorted(found)


def cache_dir() -> Path:
    """Caches that should outlive an output folder (validator verdicts, black results)."""
    explicit = os.environ.get("SDKGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sdkgen"


def write_cached(path: Path, text: str | bytes) -> None:
    """Write a cache file atomically (concurrent runs each replace it whole); a cache that
    cannot be written only costs time, so failures are ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        if isinstance(text, bytes):
            tmp.write_bytes(text)
        else:
            tmp.write_text(text, "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


FORMAT_TARGET = "py310"  # black's target version for generated code


def _normalised(name: str) -> str:
    """A distribution's name as its `.dist-info` folder spells it (PEP 503, then `_`)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _version_in(metadata: Path) -> str | None:
    """The `Version:` header of a METADATA file (headers end at the first empty line)."""
    try:
        with open(metadata, encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    return None
                if line.startswith("Version:"):
                    return line[len("Version:") :].strip() or None
    except OSError:
        return None
    return None


@cache
def distribution_version(name: str) -> str | None:
    """`importlib.metadata.version(name)`, read directly where pip installed it: the one
    `<name>-<version>.dist-info` folder in the first `sys.path` entry that has the
    distribution, its METADATA's `Version:`. Importing `importlib.metadata` (it imports
    the email package) and its first lookup cost ~40 ms, a quarter of a no-op `check`;
    this costs well under 1 ms. Anything else (none found, several in one folder, an
    `.egg-info`, a `sys.path` entry that is not a folder) asks `importlib.metadata`.
    None: not installed."""
    wanted = _normalised(name)
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except FileNotFoundError:
            continue
        except OSError:  # a zip file, no permission: what importlib.metadata would find there is unknown
            break
        found = [
            n
            for n in names
            if n.endswith((".dist-info", ".egg-info")) and _normalised(n.rpartition(".")[0].partition("-")[0]) == wanted
        ]
        if not found:
            continue
        if len(found) == 1 and found[0].endswith(".dist-info"):
            version = _version_in(Path(entry or ".", found[0], "METADATA"))
            if version is not None:
                return version
        break
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def formatter(line_length: int) -> str:
    """black's version and mode, as the manifest records them and as the format cache is
    keyed: generated bytes depend on both. (Reads black's METADATA; does not import it.)"""
    from .diagnostics import ConfigError

    black = distribution_version("black")
    if black is None:
        raise ConfigError(
            "black is not installed in this Python environment; sdkgen formats with it: "
            "install sdkgen with its dependencies (`pip install sdkgen` or `pip install .`)."
        ) from None
    return f"black {black} (target {FORMAT_TARGET}, line length {line_length})"
