"""black, in-process: cached by content hash, in parallel when many files miss the cache;
and finished files cached by what they are rendered from.

black dominates the cost of a cold run (about 7,000 lines/s per core), so results are
kept in the user cache keyed by black's version, its mode and the source text: changing
one schema re-formats only the modules that schema touches. The code samples of the docs
go through the same cache (`format_source`).

`Rendered` goes one step further: a finished file (rendered, and formatted when it is
Python) is remembered under the hash of its template, its typed context, the generator's
own code and templates and Jinja's and black's versions, so a file whose inputs are
unchanged is read back without Jinja or black running for it.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import io
import json
import operator
import os
import pickle
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from . import cache_store, json_indent, manifest
from .processes import Forked, Workers, fork_slots, freeze, reached, wait_any
from .resources import FORMAT_TARGET, cache_dir, distribution_version, formatter, write_cached

if TYPE_CHECKING:
    import black

CHUNK_CHARS = 64_000  # characters of source per forked child (`_Batch`): its working set grows with them
PARALLEL_THRESHOLD = 24  # fewer cache misses than this: forking children costs more than it saves


# A module's source: its text, or (rendered on a cold run, waiting while black's children
# format others) its UTF-8 text compressed by zlib, unpacked where black reads it.
Source = str | bytes


def _text_of(source: Source) -> str:
    return zlib.decompress(source).decode("utf-8") if isinstance(source, bytes) else source


class FormatError(Exception):
    """Generated code black could not parse: a generator bug, never the user's fault."""


def _mode(line_length: int) -> black.Mode:
    import black

    target = black.mode.TargetVersion[FORMAT_TARGET.upper()]
    return black.Mode(target_versions={target}, line_length=line_length)


def _black(source: str, *, path: str, line_length: int) -> str:
    import black

    try:
        return black.format_str(source, mode=_mode(line_length))
    except black.parsing.InvalidInput as exc:
        raise FormatError(f"{path}: generated code does not parse: {exc}") from None


def format_source(source: str, *, path: str, line_length: int = 88) -> str:
    """One source through black, or read back from the cache if black formatted it before
    (the docs' ~400 code samples of polar-2026-10: ~1.3 s of black on every run before)."""
    if _prepared:
        known = _prepared[-1].get(source, line_length)
        if known is not None:
            return known
    key = _cache_key(source, line_length)
    store = cache_store.store()
    found = store.get(key)
    if found is not None:
        return _text(found)
    text = _black(source, path=path, line_length=line_length)
    store.put(key, text)
    return text


def _text(data: bytes) -> str:
    """Cached bytes as `Path.read_text` reads them (universal newlines)."""
    text = data.decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _format_chunk(items: list[tuple[str, Source, int]]) -> list[str]:
    return [_black(_text_of(source), path=path, line_length=n) for path, source, n in items]


def _format_collected(items: list[tuple[str, Source, int]]) -> list[str]:
    """A chunk formatted in a forked child (`_Batch`), black's garbage collected after
    each module: its syntax trees are cycles (parent links) that would otherwise wait for
    the collector's oldest generation, so the child's working set is about that of its
    largest module, not of the whole chunk (no measurable CPU: the heap is frozen, so a
    collection walks only what black made). No `malloc_trim`: the child's pages go back
    when it exits, a moment later. (Collecting more often while black works, e.g.
    `gc.set_threshold(5000, 1, 1)`, keeps a module black formats twice from holding both
    passes' trees: Kubernetes' `services/core_v1.py` 28 -> 19 MB, but ~15% more CPU on
    its large modules, so it is not done.)"""
    out = []
    for path, source, line_length in items:
        out.append(_black(_text_of(source), path=path, line_length=line_length))
        gc.collect()
    return out


class Keeper(Protocol):
    """Where finished modules are kept (`Rendered`): `keep` runs in the process that
    formatted the module, `kept` in this one once a forked child has kept it."""

    def keep(self, path: str, data: str | bytes) -> None: ...

    def kept(self, path: str) -> None: ...


def _format_keeping(items: list[tuple[str, Source, int]], keys: list[str] | None, keeper: Keeper | None) -> list[str]:
    """A chunk formatted (`_format_collected`), each text then cached under its source's
    key (`keys`, one per item; None: not cached) and handed to `keeper.keep`. In a forked child these cache writes are made
    while the other children format: a cold run keeps thousands of entries, which this
    process wrote after black had finished, with a core idle. (Writing them here while
    the children ran was tried: the pages this process then touches are copied for the
    children sharing them, ~+30 MB of peak memory on Kubernetes.)"""
    return _kept(items, _format_collected(items), keys, keeper)


def _kept(
    items: list[tuple[str, Source, int]], out: list[str], keys: list[str] | None, keeper: Keeper | None
) -> list[str]:
    """`out`, the formatted `items`, cached under `keys` (the keys the caller computed when
    it looked them up) and handed to `keeper` (`_format_keeping`), then written to the
    cache store in one transaction (`cache_store.flush`)."""
    store = cache_store.store()  # this process's own: a child never uses its parent's connection
    for i, ((path, _, _), text) in enumerate(zip(items, out, strict=True)):
        if keys is not None:
            store.put(keys[i], text)
        if keeper is not None:
            keeper.keep(path, text)
    cache_store.flush()
    return out


@cache
def _salt(line_length: int) -> str:
    return formatter(line_length) + "\0"  # reads black's METADATA: once, not per file


def _cache_key(source: str, line_length: int) -> str:
    return hashlib.sha256((_salt(line_length) + source).encode()).hexdigest()


def format_many(
    sources: Mapping[str, str],
    *,
    line_length: int = 88,
    workers: Workers | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, str]:
    """Format every module; cache hits are read, misses formatted (in forked children,
    with `workers`, when there are enough of them: `_Batch`)."""
    return Formatting(
        sources, line_length=line_length, workers=workers, use_cache=use_cache, progress=progress
    ).finish()


def formatting_taking(
    sources: dict[str, Source],
    *,
    line_length: int = 88,
    workers: Workers | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    keeper: Keeper | None = None,
    warm: Warm | None = None,
) -> Formatting:
    """`format_many` that empties `sources` once they are handed over: in forked children,
    each raw text is then freed as soon as it is formatted, not at the end (peak memory).
    Each module black formats this run (not the cache hits) is handed to `keeper` by the
    process that formatted it (`Keeper`). The caller works on while children format, then
    calls `finish`."""
    formatting = Formatting(
        sources,
        line_length=line_length,
        workers=workers,
        use_cache=use_cache,
        progress=progress,
        keeper=keeper,
        warm=warm,
    )
    sources.clear()
    return formatting


_LENGTH = 8  # bytes of the length that comes before the items sent to a `Warm` child


def _set_up_black(line_length: int) -> None:
    """black imported and set up in this process (its grammar tables, caches), then frozen
    (inside the pipeline's `frozen_heap`) before children are forked from it: they share
    it, and each child's collection after each module (`_format_collected`) no longer
    walks black's own objects (~11,400 of them: ~37% of the docs samples' children's CPU
    on polar-2026-10, `perf`, when they were left unfrozen)."""
    _black("pass\n", path="(warm-up)", line_length=line_length)
    freeze()


def _picked(
    items: list[tuple[str, Source, int]], keys: list[str] | None, chunk: list[int]
) -> tuple[list[tuple[str, Source, int]], list[str] | None]:
    """The items of one chunk (indices into `items`), with their cache keys if any."""
    return [items[i] for i in chunk], None if keys is None else [keys[i] for i in chunk]


def _worth_children(count: int) -> bool:
    """Forked children pay off for `count` items: there is `fork`, and at least
    `PARALLEL_THRESHOLD` of them (the callers also need `Workers`)."""
    return fork_slots() >= 1 and count >= PARALLEL_THRESHOLD


def _read_exactly(fd: int, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None  # the parent closed the pipe without sending: nothing to do
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _warm_serve(read: int, write: int) -> list[str] | None:
    """In the `Warm` child: import black, then format what the parent sends (if anything)."""
    os.close(write)
    _set_up_black(88)  # the point of this child: black set up while the parent builds and renders

    head = _read_exactly(read, _LENGTH)
    size = int.from_bytes(head, "big") if head is not None else 0
    data = _read_exactly(read, size) if size else None
    if data is None:
        return None
    items: list[tuple[str, Source, int]] = pickle.loads(data)
    return _format_collected(items)


class Warm:
    """A forked child that imports black at once (~0.1 s) and then waits for the few
    modules a small edit leaves to format, so that this process builds the IR and renders
    meanwhile instead of importing black after them, on the edit's critical path. Started
    only where an edit is likely (`pipeline.generate`: the output was made by this very
    generator, and caches are on) and with a second core; a cold run forks its own
    children (`_Batch`), so the child is then told there is nothing and exits.

    The items go through a pipe, length first: later children inherit its write end, so
    its end of file cannot be the signal. If the child gives no answer, `Formatting`
    formats the modules here, as without it."""

    def __init__(self, workers: Workers) -> None:
        self.fd = -1
        self.child: Forked | None = None
        if fork_slots() < 2:
            return
        try:
            read, write = os.pipe()
        except OSError:  # no descriptors left: no child, this process formats
            return
        try:
            child = workers.fork(_warm_serve, read, write)
        except OSError:  # fork refused (no memory, process limit)
            os.close(write)
            return
        finally:
            os.close(read)
        if child.fd < 0:  # no child after all
            os.close(write)
            return
        self.child, self.fd = child, write

    def send(self, items: list[tuple[str, Source, int]]) -> bool:
        """Hand `items` to the child (False: no child, or it is gone)."""
        if self.child is None or self.fd < 0:
            return False
        fd, self.fd = self.fd, -1
        try:
            data = pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)
            with open(fd, "wb", closefd=True) as pipe:
                pipe.write(len(data).to_bytes(_LENGTH, "big") + data)
        except OSError:  # the child is gone: the caller formats here
            self.child.kill()
            self.child = None
            return False
        return True

    def result(self) -> list[str] | None:
        """What the child formatted (waits for it), or None if it gave no answer."""
        child, self.child = self.child, None
        out: list[str] | None = child.result() if child is not None else None
        return out

    def close(self) -> None:
        """Nothing to format: the child exits (and is reaped by the run's `Workers`)."""
        if self.fd >= 0:
            with suppress(OSError):
                os.write(self.fd, bytes(_LENGTH))
            os.close(self.fd)
            self.fd = -1
        self.child = None


class Formatting:
    """`format_many` begun: cache hits are read and, with `workers`, the misses go to
    forked children at once (`_Batch`); `finish` waits for them. (Handing the modules
    over before the Markdown pages were rendered was tried: ~0.6 s of wall time on
    Kubernetes for ~20 MB more peak memory, so the pipeline renders everything first.)"""

    def __init__(
        self,
        sources: Mapping[str, Source],
        *,
        line_length: int = 88,
        workers: Workers | None = None,
        use_cache: bool = True,
        progress: Callable[[int, int], None] | None = None,
        keeper: Keeper | None = None,
        warm: Warm | None = None,
    ) -> None:
        store = cache_store.store()
        self.progress, self.keeper = progress, keeper
        self.out: dict[str, str] = {}
        self.misses: list[str] = []
        keys: list[str] = []  # the misses' cache keys
        for path, source in sources.items():
            if use_cache:
                key = _cache_key(_text_of(source), line_length)
                found = store.get(key)
                if found is not None:
                    self.out[path] = _text(found)
                    continue
                keys.append(key)
            self.misses.append(path)
        self.items = [(path, sources[path], line_length) for path in self.misses]
        self.keys = keys if use_cache else None
        self.batch = _batch(self.items, workers, progress=progress, keys=self.keys, keeper=keeper)
        if self.batch is not None:
            self.items = []  # the batch holds them, and lets each go once it is formatted
        # few modules: to the warm child now, while the caller goes on (`finish` collects them)
        self.warm: Warm | None = None
        if warm is not None:
            if self.batch is None and self.items and warm.send(self.items):
                self.warm = warm
            else:
                warm.close()  # many modules (children of their own) or none: the warm child is not needed

    def finish(self) -> dict[str, str]:
        """Every module formatted (this process formats them itself without a batch,
        unless a `Warm` child does)."""
        if self.batch is not None:
            results = self.batch.finish()  # cached and kept by the processes that formatted them
        else:
            formatted = self.warm.result() if self.warm is not None else None
            if formatted is None or len(formatted) != len(self.items):
                formatted = _format_all(self.items, None, self.progress)
            results = _kept(self.items, formatted, self.keys, self.keeper)
        for path, text in zip(self.misses, results, strict=True):
            self.out[path] = text
        return self.out


def _batch(
    items: list[tuple[str, Source, int]],
    workers: Workers | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    keys: list[str] | None = None,
    keeper: Keeper | None = None,
) -> _Batch | None:
    """A `_Batch` of `items`, a child per core at a time, or None without `workers` or when
    it is not worth one (`_worth_children`)."""
    if workers is None or not _worth_children(len(items)):
        return None
    return _Batch(items, workers, slots=fork_slots(), progress=progress, keys=keys, keeper=keeper)


def _format_all(
    items: list[tuple[str, Source, int]],
    workers: Workers | None,
    progress: Callable[[int, int], None] | None,
) -> list[str]:
    """Formatted texts in the order of `items`: in forked children (`_Batch`), or, with
    no `workers` or fewer than `PARALLEL_THRESHOLD` items, all here."""
    batch = _batch(items, workers, progress=progress)
    if batch is not None:
        return batch.finish()
    total = len(items)
    results = []
    for done, item in enumerate(items, 1):
        results.append(_format_chunk([item])[0])
        if progress is not None and (done % 25 == 0 or done == total):
            progress(done, total)
    return results


class _Batch:
    """Items formatted by forked children (`processes.Forked`), `slots` at a time, from
    the moment the batch is made; `finish` waits for them and starts the next chunk as
    each child is done. This process formats nothing itself (unless a child gives no
    answer: then it formats that chunk, so an error in black surfaces here as usual).

    Why short-lived children rather than a pool, with this process joining in: black's
    working set (its syntax trees: ~11 MB for Kubernetes' largest module, ~20 MB for three
    of them) stays in every process that formatted, in arenas Python's allocator cannot
    hand back (a collection frees the objects, not the fragmented pages). A child hands it
    all back when it exits, after one chunk; this process never grows by it. A child
    reads its chunk from the memory it shares with this process (nothing is sent) and
    sends the formatted texts back; black is imported here first, so the children share
    its modules instead of each importing it.

    The items go out in chunks of about `chunk_chars` characters (None: one chunk per
    slot, all started at once), largest modules first: a module larger than that is a
    chunk of its own, the small ones are packed together at the end, so the last chunks
    are quick and no core idles long at the end while another finishes. The batch keeps
    its own list of the items and empties each item's text once its chunk is formatted:
    a caller that drops its own references (as `generate` does with the rendered modules)
    has the raw texts freed while formatting goes on (peak memory).
    """

    def __init__(
        self,
        items: list[tuple[str, Source, int]],
        workers: Workers,
        *,
        slots: int,
        chunk_chars: int | None = CHUNK_CHARS,
        progress: Callable[[int, int], None] | None = None,
        keys: list[str] | None = None,
        keeper: Keeper | None = None,
    ) -> None:
        """With `keys` (one per item), each formatted text is cached under its item's key;
        with `keeper`, handed to `keeper.keep`; both by the child that formatted it
        (`_format_keeping`)."""
        self.items, self.workers, self.progress = list(items), workers, progress
        self.keys, self.keeper = keys, keeper
        total = len(items)
        if total:
            _set_up_black(items[0][2])
        sizes = [len(_text_of(source)) for _, source, _ in items]  # characters, also of a compressed source
        order = sorted(range(total), key=sizes.__getitem__, reverse=True)
        self.chunks = _chunks(order, sizes, slots, chunk_chars)
        # the formatted modules wait compressed (zlib level 1, ~6x on services) until the last
        # child is done: they pile up in this process while black's children run, the run's
        # fullest time (Kubernetes: ~16 MB of services as text)
        self.texts: list[bytes | None] = [None] * total
        self.running: dict[Forked, tuple[int, bool]] = {}  # child -> the chunk it formats, taken from the front?
        self.front, self.back = 0, len(self.chunks) - 1  # chunks[front..back] are not started yet
        self.done = 0
        for _ in range(slots):
            self._start_next()
        reached("format-pool")

    def _start_next(self) -> None:
        """Fork a child for the next chunk, if there is one: from the front (the largest)
        when no child formats one from there, else from the back (the smallest). So at
        most one of the largest modules is formatted at a time (black's working set for
        a 150 KB module is ~40 MB), while the others take the small ones; the two ends
        meet in the middle."""
        if self.front > self.back:
            return
        front = not any(taken_there for _, taken_there in self.running.values())
        if front:
            c, self.front = self.front, self.front + 1
        else:
            c, self.back = self.back, self.back - 1
        child = self.workers.fork(_format_keeping, *_picked(self.items, self.keys, self.chunks[c]), self.keeper)
        self.running[child] = (c, front)

    def _collect(self, c: int, formatted: list[str]) -> None:
        chunk = self.chunks[c]
        for i, text in zip(chunk, formatted, strict=True):
            self.texts[i] = zlib.compress(text.encode("utf-8"), 1)
            path, _, line_length = self.items[i]
            self.items[i] = (path, "", line_length)  # the raw text is not needed any more
            if self.keeper is not None:
                self.keeper.kept(path)
        self.done += len(chunk)
        if self.progress is not None:
            self.progress(self.done, len(self.items))

    def finish(self) -> list[str]:
        """Every formatted text, in the order of the items (once per batch)."""
        while self.running:
            child = wait_any(list(self.running))
            c, _ = self.running.pop(child)
            formatted = child.result()
            self._start_next()  # the core the child had goes on at once
            if formatted is None:  # no answer: the same call here (black's error, if any, is raised here)
                chunk, keys = _picked(self.items, self.keys, self.chunks[c])
                formatted = _kept(chunk, _format_chunk(chunk), keys, self.keeper)
            self._collect(c, formatted)
        results = [zlib.decompress(data).decode("utf-8") for data in self.texts if data is not None]
        self.texts = []
        if len(results) != len(self.items):
            raise RuntimeError(f"formatting lost {len(self.items) - len(results)} of {len(self.items)} modules")
        return results


def _chunks(order: list[int], sizes: list[int], slots: int, chunk_chars: int | None) -> list[list[int]]:
    """`order` (indices, largest first) cut into chunks: consecutive runs of about
    `chunk_chars` characters, or (None) `slots` chunks of about equal size, dealt
    round-robin."""
    if chunk_chars is None:
        n = max(1, min(slots, len(order)))
        return [order[c::n] for c in range(n)]
    chunks: list[list[int]] = []
    size = 0
    for i in order:
        if not chunks or size + sizes[i] > chunk_chars:
            chunks.append([])
            size = 0
        chunks[-1].append(i)
        size += sizes[i]
    return chunks


def _format_queued(
    items: list[tuple[str, Source, int]], chunks: list[list[int]], queue: int, keys: list[str] | None
) -> list[tuple[int, list[str]]]:
    """In a forked child (`_Queued`): chunks taken from `queue` one at a time (two bytes
    per chunk index: each read of a pipe is whole, whoever else reads it), each formatted
    and cached, until the queue is empty; their (index, texts)."""
    freeze()  # what this child was forked with (a later one: all rendering since) is not walked again
    done = []
    while index := os.read(queue, 2):
        c = int.from_bytes(index, "big")
        done.append((c, _format_keeping(*_picked(items, keys, chunks[c]), None)))
    return done


def _unread(pipe: int) -> int:
    """Bytes waiting in `pipe` (1 where that cannot be known). Only where there is `fork`
    (so neither module is missing: Windows has neither)."""
    import fcntl
    import termios

    try:
        return int.from_bytes(fcntl.ioctl(pipe, termios.FIONREAD, b"\0\0\0\0"), sys.byteorder)
    except OSError:
        return 1


class _Queued:
    """Items formatted by forked children that take their chunks from one queue (a
    pipe holding each chunk's index), so a child can join while the others work:
    `widen`. The docs samples (`Prepared`) begin with a child per core but the one this
    process renders on; when this process needs them and waits, a child on its core takes
    the chunks not started yet. (Forking children for later chunks while this process
    renders, as `_Batch` would, costs more than it saves: every page this process then
    writes to is copied, its own and the children's; Kubernetes 21.7 -> 22.8 s.)
    A chunk a child took but gave no answer for is formatted here (black's error, if
    any, is raised here); each text is cached by the child that formatted it."""

    CHUNKS_PER_CORE = 4  # the last ones are small enough that no core waits long for them

    def __init__(
        self, items: list[tuple[str, Source, int]], workers: Workers, *, slots: int, keys: list[str] | None
    ) -> None:
        self.items, self.workers, self.keys = items, workers, keys
        _set_up_black(items[0][2])
        sizes = [len(_text_of(source)) for _, source, _ in items]
        order = sorted(range(len(items)), key=sizes.__getitem__, reverse=True)
        count = self.CHUNKS_PER_CORE * max(1, fork_slots())
        self.chunks = _chunks(order, sizes, count, max(1, sum(sizes) // count))
        self.queue, write = os.pipe()  # (a pipe holds 64 KiB: 32,768 chunks)
        os.write(write, b"".join(c.to_bytes(2, "big") for c in range(len(self.chunks))))
        os.close(write)  # the queue ends once read: an empty read
        self.running: list[Forked] = []
        self.widen(slots)

    def widen(self, slots: int) -> None:
        """Up to `slots` children take chunks from now on (none when none is left)."""
        while self.queue >= 0 and len(self.running) < slots and _unread(self.queue):
            self.running.append(self.workers.fork(_format_queued, self.items, self.chunks, self.queue, self.keys))

    def finish(self) -> list[str]:
        """Every formatted text, in the order of the items (once)."""
        formatted: dict[int, list[str]] = {}
        for child in self.running:
            answer = child.result()
            formatted.update(answer or ())
        self.running = []
        os.close(self.queue)
        self.queue = -1
        texts: list[str] = [""] * len(self.items)
        for c, chunk in enumerate(self.chunks):
            if c not in formatted:  # no answer for it: formatted here
                items, keys = _picked(self.items, self.keys, chunk)
                formatted[c] = _kept(items, _format_chunk(items), keys, None)
            for i, text in zip(chunk, formatted[c], strict=True):
                texts[i] = text
        return texts


class Prepared:
    """Sources `format_source` will be asked for, formatted ahead: the misses go to
    forked children at once (`_Queued`: a child per core but the one this process renders
    on, `fork_slots() - 1`, at least one; Kubernetes: 1,690 samples, ~2-3 s of black).
    This process renders the Python modules meanwhile, then the Markdown pages, those
    showing samples last (`pipeline._render`); when it needs the samples and they are not
    all done, a child on its own core takes the chunks left (`finish`). (With a child per
    core from the start, three processes shared two cores while this one rendered: cold
    polar-2026-10 7.55 -> 7.33 s, Kubernetes 23.35 -> 22.3 s with a child fewer. The
    child added at the wait: the render phase of Kubernetes 4.06-4.31 -> 3.70-3.78 s, of
    Codat 0.72-1.09 -> 0.58-0.73 s, the wait 0.38-0.78 -> 0.03-0.11 s and 0.22-0.56 ->
    0.09-0.14 s.) Hits are read from the cache when asked for.
    Inside `prepared(...)`, `format_source` answers from here; the results are the ones
    black gives each source alone, and are cached the same way (by the children)."""

    def __init__(
        self, sources: list[str], *, line_length: int, workers: Workers | None, use_cache: bool = True
    ) -> None:
        self.line_length = line_length
        store = cache_store.store()
        self.index: dict[str, int] = {}
        misses: list[tuple[str, Source, int]] = []
        keys: list[str] = []  # the misses' cache keys
        for source in dict.fromkeys(sources):
            if use_cache:
                key = _cache_key(source, line_length)
                if store.has(key):
                    continue
                keys.append(key)
            self.index[source] = len(misses)
            misses.append(("code sample", source, line_length))
        self.batch = (
            _Queued(misses, workers, slots=max(1, fork_slots() - 1), keys=keys if use_cache else None)
            if workers is not None and _worth_children(len(misses))
            else None
        )
        self.texts: list[str] | None = None

    def get(self, source: str, line_length: int) -> str | None:
        """`source` formatted, if it is one of the prepared misses; else None."""
        i = self.index.get(source)
        if i is None or line_length != self.line_length or self.batch is None:
            return None
        return self.finish()[i]

    def finish(self) -> list[str]:
        """The prepared misses formatted (waits for the children) and cached."""
        if self.texts is None:
            if self.batch is None:
                self.texts = []
            else:
                self.batch.widen(fork_slots())  # this process waits from here: its core too
                self.texts = self.batch.finish()  # cached by the children
        return self.texts


_prepared: list[Prepared] = []  # the `prepared(...)` block being run, if any


@contextmanager
def prepared(ahead: Prepared) -> Iterator[Prepared]:
    """`format_source` answers from `ahead` inside the block; on leaving it normally,
    whatever was prepared is finished (and cached) even if nothing asked for it."""
    _prepared.append(ahead)
    try:
        yield ahead
        ahead.finish()
    finally:
        _prepared.remove(ahead)


class Rendered:
    """Finished files remembered by what they are made from (see the module docstring).

    The key hashes the pickled (template, context) pair: contexts are frozen dataclasses
    and plain data (emit/contexts.py), so equal pickles mean equal contexts; a context
    that does not pickle is simply not cached. Everything else the bytes depend on is in
    the salt: the generator fingerprint (its code and templates), Jinja's version and
    black's version and mode.
    """

    def __init__(self, line_length: int, enabled: bool = True) -> None:
        self.enabled = enabled
        self.store = cache_store.store()
        self.salt = _render_salt(line_length) if enabled else b""
        self.pending: dict[str, str] = {}  # path -> key, for files made this run
        self.pending_inputs: dict[str, str] = {}  # path -> inputs key, likewise
        self.pending_groups: dict[str, list[str]] = {}  # group key -> the paths it made
        self.hits = 0
        self.input_hits = 0  # files read back by their inputs' digest (context never built)

    def by_inputs(self, path: str, template: str, inputs: bytes) -> bytes | None:
        """The file's bytes if it was made before from inputs with this digest
        (emit/inputs.py); else None (and the key is kept, for `remember`)."""
        if not self.enabled:
            return None
        key = hashlib.sha256(self.salt + b"inputs 1\0" + template.encode() + b"\0" + inputs).hexdigest()
        found = self.store.get(key)
        if found is None:
            self.pending_inputs[path] = key
            return None
        self.input_hits += 1
        return found

    def get(self, path: str, template: str, context: Any) -> bytes | None:
        """The file's bytes if it was made from these inputs before; else None (and the
        key is kept, for `remember`)."""
        if not self.enabled:
            return None
        try:
            blob = key_bytes((template, context))
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        key = hashlib.sha256(self.salt + blob).hexdigest()
        found = self.store.get(key)
        if found is None:
            self.pending[path] = key
            return None
        self.hits += 1
        return found

    def by_group(self, inputs: bytes) -> dict[str, bytes] | None:
        """The files of an output group (emit/output.py) made before from inputs with this
        digest, by path; else None (`made` then notes the paths made this run)."""
        if not self.enabled:
            return None
        key = self._group_key(inputs)
        found = self.store.get(key)
        if found is not None:
            try:
                files = json.loads(found)
            except ValueError:
                files = None
            if isinstance(files, dict) and files and all(isinstance(v, str) for v in files.values()):
                self.input_hits += len(files)
                return {str(path): text.encode("utf-8") for path, text in files.items()}
        return None

    def made(self, inputs: bytes, paths: list[str]) -> None:
        """The paths an output group made this run, to keep together (`remember`)."""
        if self.enabled:
            self.pending_groups[self._group_key(inputs)] = paths

    def _group_key(self, inputs: bytes) -> str:
        return hashlib.sha256(self.salt + b"group 1\0" + inputs).hexdigest()

    def keep(self, path: str, data: str | bytes) -> None:
        """Keep the finished file `path` made this run now (`remember` skips it then)."""
        for pending in (self.pending, self.pending_inputs):
            key = pending.pop(path, None)
            if key is not None:
                cache_store.store().put(key, data)  # this process's store: `keep` also runs in forked children

    def kept(self, path: str) -> None:
        """A forked child kept `path` (`keep`): `remember` does not write it again."""
        self.pending.pop(path, None)
        self.pending_inputs.pop(path, None)

    def remember(self, files: Mapping[str, bytes]) -> None:
        """Keep the finished bytes of the files made this run."""
        for path in [*self.pending, *self.pending_inputs]:
            if path in files:
                self.keep(path, files[path])
        self.pending.clear()
        self.pending_inputs.clear()
        for key, paths in self.pending_groups.items():
            if paths and all(path in files for path in paths):
                group = {path: files[path].decode("utf-8") for path in paths}
                self.store.put(key, json.dumps(group, ensure_ascii=False))
        self.pending_groups.clear()
        cache_store.flush()


@cache
def _render_salt(line_length: int) -> bytes:
    parts = (
        "rendered 2",
        manifest.generator_fingerprint(),
        f"jinja2 {distribution_version('jinja2')}",
        formatter(line_length),
    )
    return ("\0".join(parts) + "\0").encode()


class _Reducers(dict[type, Callable[[Any], tuple[Any, ...]]]):
    """A pickler's dispatch table: a slotted dataclass pickles as (class, field values),
    read by one C-level `attrgetter` instead of dataclasses' Python `__getstate__` (half
    the cost of the keys: 0.07 s -> 0.04 s for polar-2026-10's 2,330 contexts). The bytes
    only ever key a cache; they are never unpickled. Other classes pickle as usual."""

    def __missing__(self, cls: type) -> Callable[[Any], tuple[Any, ...]]:
        if not (dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__ and "__dict__" not in dir(cls)):
            raise KeyError(cls)
        names = [f.name for f in dataclasses.fields(cls)]
        get = operator.attrgetter(*names) if names else (lambda obj: ())
        single = len(names) == 1

        def reduce(obj: Any) -> tuple[Any, ...]:
            values = get(obj)
            return cls, (values,) if single else values

        self[cls] = reduce
        return reduce


_REDUCERS = _Reducers()


def key_bytes(value: Any) -> bytes:
    """`value` pickled for a cache key (see `_Reducers`)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(value)
    return buffer.getvalue()


def indented_json(data: Any, indent: int, *, use_cache: bool = True) -> str:
    """`json.dumps(data, indent=indent, sort_keys=True)`, read back from the user cache
    when the same data was dumped before: the key is the C encoder's compact dump of the
    same data (0.04 s for polar-2026-10's 1.7 MB surface), which equal data alone gives;
    the indented dump takes 0.06 s (`_dumped`)."""
    if not use_cache:
        return _dumped(data, indent)
    compact = json.dumps(data, sort_keys=True, separators=(",", ":"))
    key = hashlib.sha256(f"json 1\0{sys.version}\0{indent}\0{compact}".encode()).hexdigest()
    del compact
    cached = cache_dir() / "json" / key[:2] / key
    try:
        return cached.read_text("utf-8")
    except OSError:
        pass
    text = _dumped(data, indent)
    write_cached(cached, text)
    return text


def _dumped(data: Any, indent: int) -> str:
    """`json.dumps(data, indent=indent, sort_keys=True)`, by `json_indent` (json's own
    encoder is pure Python with an indent: 0.15 s for Kubernetes' surface against 0.09 s)."""
    return json_indent.dumps(data, indent=indent, sort_keys=True)


class LayoutMemo:
    """`emit/layout.py`'s line splits kept across runs of one output (see
    `layout.remembering`): on polar-2026-10 ~2,800 long lines, ~0.25 s of CPU per run.

    One JSON file per output folder and generator fingerprint (which covers layout.py),
    so a changed generator never reads the splits of another. It holds the lines runs
    of this generator needed (a run that reads most files back by their inputs lays out
    only a few lines: the others are kept), and is rewritten only when a line was added.
    """

    def __init__(self, owner: str, enabled: bool = True) -> None:
        self.enabled = enabled
        self.known: dict[tuple[int, str, int, str], str] = {}
        self.memo = _Recording(self.known)
        if not enabled:
            return
        key = hashlib.sha256(f"layout 1\0{manifest.generator_fingerprint()}\0{owner}".encode()).hexdigest()
        self.path = cache_dir() / "layout" / key[:2] / f"{key}.json"
        try:
            rows = json.loads(self.path.read_bytes())
            for length, text, indent, kind, laid_out in rows:
                if not (isinstance(text, str) and isinstance(kind, str) and isinstance(laid_out, str)):
                    raise TypeError
                self.known[(int(length), text, int(indent), kind)] = laid_out
        except (OSError, ValueError, TypeError):
            self.known.clear()  # missing or damaged: the splits are simply redone

    def save(self) -> None:
        """Add this run's new splits to the ones read (an atomic replace)."""
        if self.enabled and self.memo.added:
            rows = [[*key, laid_out] for key, laid_out in {**self.known, **self.memo}.items()]
            write_cached(self.path, json.dumps(rows, ensure_ascii=False))


class _Recording(dict[tuple[int, str, int, str], str]):
    """The splits used this run: each taken from `known` when it is there."""

    def __init__(self, known: dict[tuple[int, str, int, str], str]) -> None:
        super().__init__()
        self.known = known
        self.added = 0

    def get(self, key: tuple[int, str, int, str], default: str | None = None) -> str | None:  # type: ignore[override]
        found = super().get(key)
        if found is None:
            found = self.known.get(key)
            if found is None:
                return default
            self[key] = found
        return found

    def __setitem__(self, key: tuple[int, str, int, str], value: str) -> None:
        if key not in self.known:
            self.added += 1
        super().__setitem__(key, value)
