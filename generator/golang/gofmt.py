"""gofmt, the Go ecosystem's formatter (as black is for Python), run on rendered files.

All files go through one `gofmt -w` run in a private temporary folder; the formatted
bytes are read back, so nothing is written next to the output until the staged swap.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..diagnostics import ConfigError
from ..format import FormatError


def gofmt_binary() -> str:
    found = shutil.which("gofmt")
    if found is None:
        raise ConfigError(
            "the go target needs `gofmt` (Go's formatter) on PATH: install Go "
            "(Debian: `apt-get install golang-go`) and run again."
        )
    return found


def format_go(sources: dict[str, str]) -> dict[str, str]:
    """Formatted text of every Go file (paths are posix paths inside the module)."""
    if not sources:
        return {}
    binary = gofmt_binary()
    with tempfile.TemporaryDirectory(prefix="sdkgen-gofmt-") as tmp:
        root = Path(tmp)
        for rel, text in sources.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        done = subprocess.run([binary, "-w", "."], cwd=root, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise FormatError(f"gofmt refused the generated Go code:\n{done.stderr.strip()[:4000]}")
        return {rel: (root / rel).read_text("utf-8") for rel in sources}
