"""What one job produces, whatever the target: the package as bytes, the warnings, the IR.

Both pipelines (Python in `pipeline.py`, Go in `golang/pipeline.py`) return it, so it
lives apart from either of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import SpecWarning
from .ir import model as m
from .load import Document

SURFACE = ".sdkgen-surface.json"  # the public surface, for `generate --report`


@dataclass
class Generated:
    files: dict[str, bytes]
    warnings: list[SpecWarning]
    api: m.Api
    document: Document
