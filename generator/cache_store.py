"""The cache of finished text (black's results, rendered files): one SQLite file.

A cold run of polar-2026-10 keeps about 6,000 entries (black's result per module and code
sample, each finished file by its context and by its inputs). As one file each they cost
a file create and a rename apiece, ~0.4 ms of kernel time each on the benchmark machine's
ext4 (its inode allocator scans recently deleted inodes), about 2.5 s of CPU per cold run;
in one SQLite database (`cache_dir()/cache.sqlite3`, write-ahead log) each process writes
what it made in one short transaction (`flush`).

Several processes use the store at once: forked formatting children, concurrent runs
(pre-commit, pytest-xdist). Each process opens its own connection (a connection is never
used across `fork`), buffers what it puts, and writes the buffer in one transaction; the
write-ahead log lets others read meanwhile, and a writer waits for another's transaction
(`TIMEOUT`). A cache that cannot be read or written only costs time: any SQLite or file
error turns the store off for the process, and a lookup then misses.

`sqlite3` is imported at the first lookup, not with this module: the no-op `check` path
never opens the store.
"""

from __future__ import annotations

import atexit
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from .resources import cache_dir

if TYPE_CHECKING:
    import sqlite3

FILE_NAME: Final = "cache.sqlite3"
TIMEOUT: Final = 30.0  # seconds a writer waits for another process's transaction
FLUSH_BYTES: Final = 4 << 20  # unwritten puts past this size are written at once (memory stays bounded)
CACHE_KIB: Final = 256  # SQLite's page cache per connection (its default, 2 MB, was ~+2 MB per forked child)
_SCHEMA: Final = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, data BLOB NOT NULL)"


class CacheStore:
    """Entries by key (a namespace and a digest, e.g. `black/<sha256>`) in one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pid = os.getpid()
        self.pending: dict[str, str | bytes] = {}  # the callers' own objects: no copies
        self.pending_size = 0
        self._db: sqlite3.Connection | None = None
        self.broken = False

    def _connection(self) -> sqlite3.Connection | None:
        if self.broken:
            return None
        if self._db is None:
            import sqlite3

            deadline = time.monotonic() + TIMEOUT
            while self._db is None:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._db = _opened(self.path)
                except sqlite3.Error as exc:
                    # processes creating the file at once: SQLite answers "database is locked"
                    # at once (no waiting) to all but one; the file is set up a moment later
                    if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                        self.broken = True
                        return None
                    time.sleep(0.01)
                except OSError:
                    self.broken = True
                    return None
        return self._db

    def get(self, key: str) -> bytes | None:
        """The entry's bytes (this process's unwritten puts included), or None."""
        found = self.pending.get(key)
        if found is not None:
            return found.encode("utf-8") if isinstance(found, str) else found
        rows = self._select("SELECT data FROM entries WHERE key = ?", key)
        return bytes(rows[0][0]) if rows else None

    def has(self, key: str) -> bool:
        """Whether the entry is there (its bytes are not read)."""
        return key in self.pending or bool(self._select("SELECT 1 FROM entries WHERE key = ?", key))

    def _select(self, query: str, key: str) -> list[tuple[Any, ...]]:
        """The rows of a lookup by key; none when the store is off or fails (it is then off)."""
        db = self._connection()
        if db is None:
            return []
        import sqlite3

        try:
            rows: list[tuple[Any, ...]] = db.execute(query, (key,)).fetchall()
        except sqlite3.Error:
            self.broken = True
            return []
        return rows

    def put(self, key: str, data: str | bytes) -> None:
        """Keep an entry; it is written at the next `flush` (and read back before that), or
        at once when the unwritten puts pass `FLUSH_BYTES` (a put may be the only reference
        to its data: Kubernetes' service groups, ~20 MB of JSON, were all held at once)."""
        self.pending[key] = data
        self.pending_size += len(data)
        if self.pending_size > FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the puts since the last flush, in one transaction."""
        if not self.pending:
            return
        pending, self.pending, self.pending_size = self.pending, {}, 0
        db = self._connection()
        if db is None:
            return
        import sqlite3

        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                rows = ((k, v.encode("utf-8") if isinstance(v, str) else v) for k, v in pending.items())
                db.executemany(
                    "INSERT OR REPLACE INTO entries (key, data) VALUES (?, ?)", rows
                )  # one encoded at a time
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error:
            self.broken = True


def _opened(path: Path) -> sqlite3.Connection:
    """A connection to the store at `path`, the file set up on first use."""
    import sqlite3

    db = sqlite3.connect(path, timeout=TIMEOUT, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")  # kept in the file; readers do not wait for a writer
        db.execute("PRAGMA synchronous=NORMAL")  # no fsync per commit: a cache may lose its last writes
        db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # lookups and one insert batch: little to cache
        db.execute(_SCHEMA)
    except BaseException:
        db.close()
        raise
    return db


_stores: dict[tuple[int, Path], CacheStore] = {}


def store() -> CacheStore:
    """This process's store for the current cache folder (`SDKGEN_CACHE_DIR` may change
    between calls, as in tests). A forked child gets a store of its own: it neither uses
    the parent's connection nor writes the parent's unwritten puts."""
    path = cache_dir() / FILE_NAME
    key = (os.getpid(), path)
    found = _stores.get(key)
    if found is None:
        # (a parent's stores stay referenced in a child, unused: dropping one would close
        # the parent's connection from the child, which SQLite forbids across `fork`)
        found = _stores[key] = CacheStore(path)
    return found


def flush() -> None:
    """Write every store's pending puts (this process's)."""
    pid = os.getpid()
    for (owner, _), found in list(_stores.items()):
        if owner == pid:
            found.flush()


atexit.register(flush)  # puts made outside a flushing stage (e.g. `format.format_source`) are kept too
