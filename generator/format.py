"""black, in-process: cached by content hash, in parallel when many files miss the cache.

black dominates the cost of a cold run (about 7,000 lines/s per core), so results are
kept in the user cache keyed by black's version, its mode and the source text: changing
one schema re-formats only the modules that schema touches.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from .processes import Pool, reached
from .resources import FORMAT_TARGET, cache_dir, formatter, write_cached

if TYPE_CHECKING:
    from concurrent.futures import Future

    import black

MAX_CHUNKS = 64
PARALLEL_THRESHOLD = 24  # fewer cache misses than this: a pool costs more than it saves


class FormatError(Exception):
    """Generated code black could not parse: a generator bug, never the user's fault."""


def _mode(line_length: int) -> black.Mode:
    import black

    target = black.mode.TargetVersion[FORMAT_TARGET.upper()]
    return black.Mode(target_versions={target}, line_length=line_length)


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
    return formatter(line_length) + "\0"  # reads black's METADATA: once, not per file


def _cache_key(source: str, line_length: int) -> str:
    return hashlib.sha256((_salt(line_length) + source).encode()).hexdigest()


def format_many(
    sources: Mapping[str, str],
    *,
    line_length: int = 88,
    pool: Pool | None = None,
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
    pool: Pool | None,
    progress: Callable[[int, int], None] | None,
    here: Callable[[list[tuple[str, str, int]]], list[str]] = _format_chunk,
) -> list[str]:
    """Formatted texts in the order of `items`; the calling process formats too.

    With a pool the items go out in chunks of about equal size (largest modules first,
    dealt round-robin, so no chunk holds all the big ones). The workers are fed chunks
    from the front, two per worker ahead (each finished chunk sends the next one), while
    this process takes chunks from the back. So the pool needs one process fewer than
    there are cores, no core idles while another has work queued, no chunk is sent to a
    worker that then is not needed, and no future is ever cancelled (a pool killed
    mid-run, on Ctrl-C, fails its futures cleanly). `here` formats a chunk in this process.
    """
    total = len(items)
    if pool is None or total < PARALLEL_THRESHOLD:
        results = []
        for done, item in enumerate(items, 1):
            results.append(here([item])[0])
            if progress is not None and (done % 25 == 0 or done == total):
                progress(done, total)
        return results
    from concurrent.futures import Future

    order = sorted(range(total), key=lambda i: len(items[i][1]), reverse=True)
    n_chunks = min(MAX_CHUNKS, total)
    chunks = [order[c::n_chunks] for c in range(n_chunks)]
    texts: list[str | None] = [None] * total
    sent: dict[int, Future[list[str]]] = {}  # chunk -> its result, for chunks given to the pool
    lock = threading.Lock()
    front, back = 0, n_chunks - 1  # chunks[front..back] are not taken yet
    done = 0

    def send_next() -> None:
        """Hand the next chunk from the front to the pool (in the pool's thread, when a
        chunk finishes); a pool that is shut down or broken fails that chunk's result."""
        nonlocal front
        with lock:
            if front > back:
                return
            c, front = front, front + 1
            relay = sent[c] = Future()
        try:
            future = pool.submit(_format_chunk, [items[i] for i in chunks[c]])
        except RuntimeError as exc:
            relay.set_exception(exc)
            return
        future.add_done_callback(lambda f: _relay(f, relay, send_next))

    def collect(chunk: list[int], formatted: list[str]) -> None:
        nonlocal done
        for i, text in zip(chunk, formatted, strict=True):
            texts[i] = text
        done += len(chunk)
        if progress is not None:
            progress(done, total)

    for _ in range(2 * pool.workers):
        send_next()
    reached("format-pool")
    while True:
        with lock:
            if back < front:
                break
            c, back = back, back - 1
        collect(chunks[c], here([items[i] for i in chunks[c]]))
    for c in sorted(sent):
        collect(chunks[c], sent[c].result())
    results = [text for text in texts if text is not None]
    if len(results) != total:
        raise RuntimeError(f"formatting lost {total - len(results)} of {total} modules")
    return results


def _relay(finished: Future[list[str]], relay: Future[list[str]], then: Callable[[], None]) -> None:
    """Pass a pool future's outcome on; after a success, feed the pool its next chunk."""
    error = finished.exception()
    if error is not None:
        relay.set_exception(error)
        return
    relay.set_result(finished.result())
    then()
