"""Paths shared by the tests (importable by name, unlike conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
SEED_SPEC = ROOT / "specs" / "customers-update.yaml"
GENERATED = ROOT / "generated"


def shared_specs_dir() -> Path:
    """Polar's published specs: never copied into the project, read where they live."""
    return Path(os.environ.get("SDKGEN_SPECS_DIR", ROOT.parent / "shared" / "specs"))
