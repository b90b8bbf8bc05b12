"""black, in-process: cached by content hash, in parallel when many files miss the cache.

black dominates the cost of a cold run (about 7,000 lines/s per core), so results are
kept in the user cache keyed by black's version, its mode and the source text: changing
one schema re-formats only the modules that schema touches.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .resources import cache_dir

if TYPE_CHECKING:
    import black

PARALLEL_THRESHOLD = 24  # fewer cache misses than this: a pool costs more than it saves


class FormatError(Exception):
    """Generated code black could not parse: a generator bug, never the user's fault."""


def _mode(line_length: int) -> black.Mode:
    import black

    return black.Mode(target_versions={black.mode.TargetVersion.PY310}, line_length=line_length)


def format_source(source: str, *, path: str, line_length: int = 88) -> str:
    import black

    try:
        return black.format_str(source, mode=_mode(line_length))
    except black.parsing.InvalidInput as exc:
        raise FormatError(f"{path}: generated code does not parse: {exc}") from None


def _format_item(item: tuple[str, str, int]) -> str:
    path, source, line_length = item
    return format_source(source, path=path, line_length=line_length)


@lru_cache(maxsize=None)
def _salt(line_length: int) -> str:
    from importlib.metadata import version  # reads black's METADATA: once, not per file

    return f"black {version('black')} py310 {line_length}\0"


def _cache_key(source: str, line_length: int) -> str:
    return hashlib.sha256((_salt(line_length) + source).encode()).hexdigest()


def format_many(
    sources: Mapping[str, str],
    *,
    line_length: int = 88,
    pool: Executor | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, str]:
    """Format every module; cache hits are read, misses formatted (in `pool` if given)."""
    root = cache_dir() / "black"
    out: dict[str, str] = {}
    keys: dict[str, str] = {}
    misses: list[str] = []
    for path, source in sources.items():
        key = keys[path] = _cache_key(source, line_length)
        if use_cache:
            try:
                out[path] = (root / key[:2] / key).read_text("utf-8")
                continue
            except OSError:
                pass
        misses.append(path)
    chunksize = max(1, len(misses) // 64)
    if pool is not None and len(misses) >= PARALLEL_THRESHOLD:
        # Balanced chunks, the largest module first: chunk i holds the i-th, (i+n)-th...
        # largest, so no worker is left with a 30,000-line module when the rest are done.
        misses.sort(key=lambda path: len(sources[path]), reverse=True)
        n = -(-len(misses) // chunksize)
        misses = [misses[j] for i in range(n) for j in range(i, len(misses), n)]
    items = [(path, sources[path], line_length) for path in misses]
    if pool is not None and len(items) >= PARALLEL_THRESHOLD:
        mapped = pool.map(_format_item, items, chunksize=chunksize)
    else:
        mapped = map(_format_item, items)
    results = []
    for done, text in enumerate(mapped, 1):
        results.append(text)
        if progress is not None and (done % 25 == 0 or done == len(items)):
            progress(done, len(items))
    for path, text in zip(misses, results):
        out[path] = text
        if use_cache:
            _store(root, keys[path], text)
    return out


def _store(root: Path, key: str, text: str) -> None:
    folder = root / key[:2]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"{key}.{os.getpid()}.tmp"
        tmp.write_text(text, "utf-8")
        os.replace(tmp, folder / key)
    except OSError:
        pass  # a read-only cache only costs time
