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
