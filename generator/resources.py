"""Where sdkgen finds its templates and keeps its caches (cheap to import)."""

from __future__ import annotations

import os
from pathlib import Path


def templates_dir() -> Path:
    """Installed wheels carry templates inside the package; a checkout has them at the top."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("sdkgen's templates are missing from this installation")


def cache_dir() -> Path:
    """Caches that should outlive an output folder (validator verdicts, black results)."""
    explicit = os.environ.get("SDKGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sdkgen"


def write_cached(path: Path, text: str) -> None:
    """Write a cache file atomically (concurrent runs each replace it whole); a cache that
    cannot be written only costs time, so failures are ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
