"""Put a generated package on disk all at once, touching only what changed.

The new tree is staged beside the old one (unchanged files hard-linked, so their bytes
and mtimes stay), then swapped in with two renames while SIGINT/SIGTERM are held back.
An error or Ctrl-C before the swap leaves the previous output exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

STAGING = ".{}.sdkgen-new"
RETIRED = ".{}.sdkgen-old"


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` as {posix relative path: bytes} (caches skipped)."""
    out: dict[str, bytes] = {}
    if not root.is_dir():
        return out
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def check_relative(rel: str) -> None:
    """Refuse any path that could leave the package folder."""
    parts = Path(rel).parts
    if not rel or Path(rel).is_absolute() or any(p in ("..", "") for p in parts) or "\\" in rel:
        raise ValueError(f"refusing to write outside the output package: {rel!r}")


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    held = {signal.SIGINT, signal.SIGTERM}
    if hasattr(signal, "pthread_sigmask"):
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
    else:  # pragma: no cover - Windows
        yield


def recover(output: Path, package: str) -> None:
    """Finish or undo a swap that a crash interrupted, and drop stale staging folders."""
    target, retired, staging = output / package, output / RETIRED.format(package), output / STAGING.format(package)
    if retired.exists() and not target.exists():
        os.rename(retired, target)
    for leftover in (retired, staging):
        if leftover.exists():
            shutil.rmtree(leftover)


def write_package(output: Path, package: str, files: Mapping[str, bytes]) -> WriteResult:
    for rel in files:
        check_relative(rel)
    output.mkdir(parents=True, exist_ok=True)
    recover(output, package)
    target = output / package
    old = read_tree(target)
    written = tuple(sorted(rel for rel, data in files.items() if old.get(rel) != data))
    removed = tuple(sorted(rel for rel in old if rel not in files))
    if not written and not removed:
        return WriteResult((), (), len(files))
    staging = output / STAGING.format(package)
    try:
        for rel, data in sorted(files.items()):
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if rel not in written:
                try:
                    os.link(target / rel, dest)
                    continue
                except OSError:
                    pass
            dest.write_bytes(data)
        with _signals_held():
            retired = output / RETIRED.format(package)
            if target.exists():
                os.rename(target, retired)
            os.rename(staging, target)
        shutil.rmtree(output / RETIRED.format(package), ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteResult(written, removed, len(files) - len(written))
