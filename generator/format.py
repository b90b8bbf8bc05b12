"""black, in-process: cached by content hash, in parallel when many files miss the cache.

black dominates the cost of a cold run (about 7,000 lines/s per core), so results are
kept in the user cache keyed by black's version, its mode and the source text: changing
one schema re-formats only the modules that schema touches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from functools import lru_cache
from typing import TYPE_CHECKING

from .resources import cache_dir, write_cached

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


def _format_chunk(items: list[tuple[str, str, int]]) -> list[str]:
    return [format_source(source, path=path, line_length=n) for path, source, n in items]


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
    results = _format_all([(path, sources[path], line_length) for path in misses], pool, progress)
    for path, text in zip(misses, results):
        out[path] = text
        if use_cache:
            write_cached(root / keys[path][:2] / keys[path], text)
    return out


def _format_all(
    items: list[tuple[str, str, int]],
    pool: Executor | None,
    progress: Callable[[int, int], None] | None,
    here: Callable[[list[tuple[str, str, int]]], list[str]] = _format_chunk,
) -> list[str]:
    """Formatted texts in the order of `items`; the calling process formats too.

    With a pool the items go out in chunks of about equal size (largest modules first,
    dealt round-robin, so no chunk holds all the big ones); this process then takes
    chunks from the back, each one the pool has not started yet (a cancelled future),
    while the workers take them from the front. So the pool needs one process fewer
    than there are cores, and no core idles while another has work queued. (Chunks
    already handed to a busy worker are waited for: at most a couple per worker.)
    `here` formats a chunk in this process.
    """
    total = len(items)
    if pool is None or total < PARALLEL_THRESHOLD:
        results = []
        for done, item in enumerate(items, 1):
            results.append(here([item])[0])
            if progress is not None and (done % 25 == 0 or done == total):
                progress(done, total)
        return results
    order = sorted(range(total), key=lambda i: len(items[i][1]), reverse=True)
    n_chunks = min(64, total)
    chunks = [order[c::n_chunks] for c in range(n_chunks)]
    futures = [pool.submit(_format_chunk, [items[i] for i in chunk]) for chunk in chunks]
    texts: list[str | None] = [None] * total
    done = 0

    def collect(chunk: list[int], formatted: list[str]) -> None:
        nonlocal done
        for i, text in zip(chunk, formatted, strict=True):
            texts[i] = text
        done += len(chunk)
        if progress is not None:
            progress(done, total)

    for chunk, future in zip(reversed(chunks), reversed(futures)):
        if future.cancel():  # not started by a worker: format it here
            collect(chunk, here([items[i] for i in chunk]))
    for chunk, future in zip(chunks, futures):
        if not future.cancelled():
            collect(chunk, future.result())
    results = [text for text in texts if text is not None]
    if len(results) != total:
        raise RuntimeError(f"formatting lost {total - len(results)} of {total} modules")
    return results
