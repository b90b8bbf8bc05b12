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
import hashlib
import io
import json
import operator
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import manifest
from .processes import Pool, reached, release_memory
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
    root = cache_dir() / "black"
    found = _read_cached(root, key)
    if found is not None:
        return _text(found)
    text = _black(source, path=path, line_length=line_length)
    write_cached(root / key[:2] / key, text)
    return text


def _text(data: bytes) -> str:
    """Cached bytes as `Path.read_text` reads them (universal newlines)."""
    text = data.decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _read_cached(root: Path, key: str) -> bytes | None:
    """A cache entry's bytes, or None. Plain `open` on a string path: a third of
    `Path.read_bytes`'s CPU, which counts when 2,300 entries are read per run."""
    try:
        with open(f"{root}{os.sep}{key[:2]}{os.sep}{key}", "rb") as f:
            return f.read()
    except OSError:
        return None


def _format_chunk(items: list[tuple[str, str, int]]) -> list[str]:
    return [_black(source, path=path, line_length=n) for path, source, n in items]


RELEASE_AFTER = 16_000  # characters of source formatted between two `release_memory` calls
_formatted_since_release = 0


def _format_released(items: list[tuple[str, str, int]]) -> list[str]:
    """A chunk formatted, then (`_release_after`) black's garbage freed."""
    out = _format_chunk(items)
    _release_after(items)
    return out


def _release_after(items: list[tuple[str, str, int]]) -> None:
    """Collect black's garbage and hand the pages back to the system once enough source
    was formatted since the last time: its syntax trees are cycles (parent links) that
    wait for the collector's oldest generation (Codat, summed PSS of a cold run: 93 ->
    80 MB). A few small modules make little garbage, not worth a full collection."""
    global _formatted_since_release
    _formatted_since_release += sum(len(source) for _, source, _ in items)
    if _formatted_since_release >= RELEASE_AFTER:
        _formatted_since_release = 0
        release_memory()


@cache
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
    return Formatting(sources, line_length=line_length, pool=pool, use_cache=use_cache, progress=progress).finish()


def format_taking(
    sources: dict[str, str],
    *,
    line_length: int = 88,
    pool: Pool | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, str]:
    """`format_many` that empties `sources` once they are handed over: with a pool, each
    raw text is then freed as soon as it is formatted, not at the end (peak memory)."""
    formatting = Formatting(sources, line_length=line_length, pool=pool, use_cache=use_cache, progress=progress)
    sources.clear()
    return formatting.finish()


class Formatting:
    """`format_many` begun: cache hits are read and, with a pool, the misses go to it at
    once (`_Batch`); this process joins in with `finish`. (Handing the modules over before
    the Markdown pages were rendered was tried: ~0.6 s of wall time on Kubernetes for
    ~20 MB more peak memory, so the pipeline renders everything first.)"""

    def __init__(
        self,
        sources: Mapping[str, str],
        *,
        line_length: int = 88,
        pool: Pool | None = None,
        use_cache: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.root = cache_dir() / "black"
        self.use_cache, self.progress = use_cache, progress
        self.out: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.misses: list[str] = []
        for path, source in sources.items():
            key = self.keys[path] = _cache_key(source, line_length)
            if use_cache:
                found = _read_cached(self.root, key)
                if found is not None:
                    self.out[path] = _text(found)
                    continue
            self.misses.append(path)
        self.items = [(path, sources[path], line_length) for path in self.misses]
        self.batch = (
            _Batch(self.items, pool, progress) if pool is not None and len(self.items) >= PARALLEL_THRESHOLD else None
        )
        if self.batch is not None:
            self.items = []  # the batch holds them, and lets each go once it is formatted

    def finish(self) -> dict[str, str]:
        """Every module formatted (this process formats what the pool has not started)."""
        results = self.batch.finish() if self.batch is not None else _format_all(self.items, None, self.progress)
        for path, text in zip(self.misses, results):
            self.out[path] = text
            if self.use_cache:
                write_cached(self.root / self.keys[path][:2] / self.keys[path], text)
        return self.out


def _format_all(
    items: list[tuple[str, str, int]],
    pool: Pool | None,
    progress: Callable[[int, int], None] | None,
    here: Callable[[list[tuple[str, str, int]]], list[str]] = _format_chunk,
) -> list[str]:
    """Formatted texts in the order of `items`; the calling process formats too (see
    `_Batch`). Without a pool, or for fewer than `PARALLEL_THRESHOLD` items, all here."""
    total = len(items)
    if pool is None or total < PARALLEL_THRESHOLD:
        results = []
        for done, item in enumerate(items, 1):
            results.append(here([item])[0])
            if progress is not None and (done % 25 == 0 or done == total):
                progress(done, total)
        return results
    return _Batch(items, pool, progress, here).finish()


class _Batch:
    """Items formatted by the pool from the moment the batch is made, and by the calling
    process too from `finish` on.

    The items go out in chunks of about equal size (largest modules first, dealt
    round-robin, so no chunk holds all the big ones). The workers are fed chunks from the
    front, two per worker ahead (each finished chunk sends the next one), while `finish`
    takes chunks from the back in this process. So the pool needs one process fewer than
    there are cores, no core idles while another has work queued, no chunk is sent to a
    worker that then is not needed, and no future is ever cancelled (a pool killed
    mid-run, on Ctrl-C, fails its futures cleanly). `here` formats a chunk in this process.

    The batch keeps its own list of the items and empties each item's text once its chunk
    is formatted: a caller that drops its own references (as `generate` does with the
    rendered modules) has the raw texts freed while formatting goes on (peak memory).
    """

    def __init__(
        self,
        items: list[tuple[str, str, int]],
        pool: Pool,
        progress: Callable[[int, int], None] | None = None,
        here: Callable[[list[tuple[str, str, int]]], list[str]] = _format_chunk,
    ) -> None:
        self.items, self.pool, self.progress, self.here = list(items), pool, progress, here
        total = len(items)
        order = sorted(range(total), key=lambda i: len(items[i][1]), reverse=True)
        n_chunks = min(MAX_CHUNKS, total)
        self.chunks = [order[c::n_chunks] for c in range(n_chunks)]
        self.texts: list[str | None] = [None] * total
        self.sent: dict[int, Future[list[str]]] = {}  # chunk -> its result, for chunks given to the pool
        self.lock = threading.Lock()
        self.front, self.back = 0, n_chunks - 1  # chunks[front..back] are not taken yet
        self.done = 0
        for _ in range(2 * pool.workers):
            self._send_next()
        reached("format-pool")

    def _send_next(self) -> None:
        """Hand the next chunk from the front to the pool (in the pool's thread, when a
        chunk finishes); a pool that is shut down or broken fails that chunk's result."""
        from concurrent.futures import Future

        with self.lock:
            if self.front > self.back:
                return
            c, self.front = self.front, self.front + 1
            relay = self.sent[c] = Future()
        try:
            future = self.pool.submit(_format_released, [self.items[i] for i in self.chunks[c]])
        except RuntimeError as exc:
            relay.set_exception(exc)
            return
        future.add_done_callback(lambda f: _relay(f, relay, self._send_next, lambda: self._forget(self.chunks[c])))

    def _forget(self, chunk: list[int]) -> None:
        """The texts of a formatted chunk's items are not needed any more."""
        for i in chunk:
            path, _, line_length = self.items[i]
            self.items[i] = (path, "", line_length)

    def _collect(self, chunk: list[int], formatted: list[str]) -> None:
        for i, text in zip(chunk, formatted, strict=True):
            self.texts[i] = text
        self.done += len(chunk)
        if self.progress is not None:
            self.progress(self.done, len(self.items))

    def finish(self) -> list[str]:
        """Every formatted text, in the order of the items (once per batch)."""
        while True:
            with self.lock:
                if self.back < self.front:
                    break
                c, self.back = self.back, self.back - 1
            chunk = [self.items[i] for i in self.chunks[c]]
            self._collect(self.chunks[c], self.here(chunk))
            self._forget(self.chunks[c])
            _release_after(chunk)  # as `_format_released` does in the workers
        for c in sorted(self.sent):
            self._collect(self.chunks[c], self.sent[c].result())
        results = [text for text in self.texts if text is not None]
        if len(results) != len(self.items):
            raise RuntimeError(f"formatting lost {len(self.items) - len(results)} of {len(self.items)} modules")
        return results


class Prepared:
    """Sources `format_source` will be asked for, formatted ahead: the misses go to the
    pool at once (`_Batch`), so a worker formats the docs' code samples while this process
    still emits the modules (Kubernetes: 1,690 samples, ~4 s of black, which ran in this
    process alone while the worker idled). Hits are read from the cache when asked for.
    Inside `prepared(...)`, `format_source` answers from here; the results are the ones
    black gives each source alone, and are cached the same way."""

    def __init__(
        self, sources: list[str], *, line_length: int, pool: Callable[[], Pool | None], use_cache: bool = True
    ) -> None:
        self.line_length = line_length
        self.use_cache = use_cache
        self.root = cache_dir() / "black"
        self.index: dict[str, int] = {}
        self.keys: list[str] = []
        misses: list[tuple[str, str, int]] = []
        for source in dict.fromkeys(sources):
            key = _cache_key(source, line_length)
            if use_cache and os.path.exists(f"{self.root}{os.sep}{key[:2]}{os.sep}{key}"):
                continue
            self.index[source] = len(misses)
            self.keys.append(key)
            misses.append(("code sample", source, line_length))
        workers = pool() if len(misses) >= PARALLEL_THRESHOLD else None  # made only when worth it
        self.batch = _Batch(misses, workers) if workers is not None else None
        self.texts: list[str] | None = None

    def get(self, source: str, line_length: int) -> str | None:
        """`source` formatted, if it is one of the prepared misses; else None."""
        i = self.index.get(source)
        if i is None or line_length != self.line_length or self.batch is None:
            return None
        return self.finish()[i]

    def finish(self) -> list[str]:
        """The prepared misses formatted (this process helps the pool) and cached."""
        if self.texts is None:
            self.texts = self.batch.finish() if self.batch is not None else []
            if self.use_cache:
                for key, text in zip(self.keys, self.texts):
                    write_cached(self.root / key[:2] / key, text)
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


def _relay(
    finished: Future[list[str]], relay: Future[list[str]], then: Callable[[], None], done: Callable[[], None]
) -> None:
    """Pass a pool future's outcome on; after a success, `done` (the chunk's texts are
    let go) and the pool is fed its next chunk (`then`)."""
    error = finished.exception()
    if error is not None:
        relay.set_exception(error)
        return
    relay.set_result(finished.result())
    done()
    then()


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
        self.root = cache_dir() / "rendered"
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
        found = _read_cached(self.root, key)
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
        found = _read_cached(self.root, key)
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
        found = _read_cached(self.root, key)
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

    def remember(self, files: Mapping[str, bytes]) -> None:
        """Keep the finished bytes of the files made this run."""
        for pending in (self.pending, self.pending_inputs):
            for path, key in pending.items():
                if path in files:
                    write_cached(self.root / key[:2] / key, files[path].decode("utf-8"))
            pending.clear()
        for key, paths in self.pending_groups.items():
            if paths and all(path in files for path in paths):
                group = {path: files[path].decode("utf-8") for path in paths}
                write_cached(self.root / key[:2] / key, json.dumps(group, ensure_ascii=False))
        self.pending_groups.clear()


@cache
def _render_salt(line_length: int) -> bytes:
    parts = ("rendered 2", manifest.generator_fingerprint(), f"jinja2 {version('jinja2')}", formatter(line_length))
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
    when the same data was dumped before. With an indent, json uses its pure-Python
    encoder (0.08 s for polar-2026-10's 1.7 MB surface); the key is the C encoder's
    compact dump of the same data (0.02 s), which equal data alone gives."""
    if not use_cache:
        return json.dumps(data, indent=indent, sort_keys=True)
    compact = json.dumps(data, sort_keys=True, separators=(",", ":"))
    key = hashlib.sha256(f"json 1\0{sys.version}\0{indent}\0{compact}".encode()).hexdigest()
    cached = cache_dir() / "json" / key[:2] / key
    try:
        return cached.read_text("utf-8")
    except OSError:
        pass
    text = json.dumps(data, indent=indent, sort_keys=True)
    write_cached(cached, text)
    return text


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
