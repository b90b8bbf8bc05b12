"""The cache store (generator/cache_store.py): one SQLite file that forked children,
concurrent runs and later runs share, and that only costs time when it is damaged."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SEED_SPEC

from generator import cache_store, pipeline
from generator.config import Job


def test_puts_are_read_back_before_and_after_they_are_written(cache: Path) -> None:
    store = cache_store.store()
    assert store.get("a") is None
    store.put("a", "text é\n")
    store.put("b", b"\x00bytes")
    assert store.get("a") == "text é\n".encode()  # not written yet: read from the buffer
    assert store.has("b")
    fresh = cache_store.CacheStore(cache / cache_store.FILE_NAME)  # another connection
    assert fresh.get("a") is None
    cache_store.flush()
    assert fresh.get("a") == "text é\n".encode()
    assert fresh.get("b") == b"\x00bytes"
    assert fresh.has("a") and not fresh.has("c")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")
def test_a_forked_child_writes_its_own_puts_and_not_its_parent_s(cache: Path) -> None:
    parent = cache_store.store()
    parent.put("parent", b"p")  # not flushed before the fork
    assert parent.get("missing") is None  # the parent's connection is open across the fork
    pid = os.fork()
    if pid == 0:  # the child: its own store, its own connection
        code = 1
        try:
            child = cache_store.store()
            if child is not parent and child.get("parent") is None:
                child.put("child", b"c")
                cache_store.flush()
                code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    fresh = cache_store.CacheStore(cache / cache_store.FILE_NAME)
    assert fresh.get("child") == b"c"
    assert fresh.get("parent") is None  # the child did not write what the parent holds
    assert parent.get("child") == b"c"  # the parent reads it through its own connection
    cache_store.flush()
    assert fresh.get("parent") == b"p"


def test_concurrent_writers_all_land(cache: Path) -> None:
    """Processes flushing at once (forked formatting children, runs in parallel) wait for
    each other's transaction instead of losing entries."""
    script = (
        "import sys\n"
        "from generator import cache_store\n"
        "s = cache_store.store()\n"
        "for i in range(200):\n"
        "    s.put(f'{sys.argv[1]}-{i}', b'x' * 5000)\n"
        "    if i % 20 == 19: cache_store.flush()\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(cache))
    procs = [subprocess.Popen([sys.executable, "-c", script, str(n)], env=env) for n in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    fresh = cache_store.CacheStore(cache / cache_store.FILE_NAME)
    assert all(fresh.get(f"{n}-{i}") == b"x" * 5000 for n in range(4) for i in range(200))


def test_a_damaged_store_only_costs_time(cache: Path, tmp_path: Path) -> None:
    """Garbage where the database should be: lookups miss, puts are dropped, nothing
    raises, and a generation gives the same bytes as one without caches."""
    cache.mkdir(parents=True)
    (cache / cache_store.FILE_NAME).write_bytes(b"not a database" * 1000)
    store = cache_store.store()
    assert store.get("a") is None
    store.put("a", b"x")
    cache_store.flush()
    assert store.broken
    with_damage = pipeline.generate(Job(SEED_SPEC, tmp_path / "a", "pc"), run_validator=False).files
    without = pipeline.generate(Job(SEED_SPEC, tmp_path / "b", "pc"), run_validator=False, use_cache=False).files
    assert with_damage == without
    assert (cache / cache_store.FILE_NAME).read_bytes() == b"not a database" * 1000


def test_the_no_op_check_does_not_open_the_store(cache: Path, tmp_path: Path) -> None:
    """`sqlite3` is imported at the first lookup: the no-op `check` never makes one. Nor
    does it import `importlib.metadata` (~40 ms with its first lookup): black's version is
    read from its METADATA (`resources.distribution_version`)."""
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(cache))
    generate = [sys.executable, "-m", "generator", "generate", str(SEED_SPEC), "-o", str(out), "-p", "pc", "-q"]
    subprocess.run(generate, env=env, check=True)
    assert (cache / cache_store.FILE_NAME).exists()
    probe = (
        "import sys\n"
        "from generator.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as e:\n"
        "    print(e.code, 'sqlite3' in sys.modules, 'importlib.metadata' in sys.modules)\n"
    )
    check = [sys.executable, "-c", probe, "check", str(SEED_SPEC), "-o", str(out), "-p", "pc"]
    done = subprocess.run(check, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False", "False"]


def test_puts_past_the_flush_size_are_written_at_once(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays bounded: a process putting a lot (a run's service groups, tens of MB
    of JSON) does not hold it all until its next flush."""
    monkeypatch.setattr(cache_store, "FLUSH_BYTES", 10_000)
    store = cache_store.store()
    fresh = cache_store.CacheStore(cache / cache_store.FILE_NAME)
    store.put("a", b"x" * 6_000)
    assert store.pending and fresh.get("a") is None
    store.put("b", "y" * 6_000)  # past the size: both written now
    assert not store.pending and store.pending_size == 0
    assert fresh.get("a") == b"x" * 6_000 and fresh.get("b") == b"y" * 6_000


def _error(code: int, text: str) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorcode = code
    return exc


def test_a_setup_refused_as_busy_is_tried_again(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Processes creating the file at once: SQLite refuses all but one at once with
    "database is locked" (no waiting); the others set it up a moment later."""
    real, refused = cache_store._opened, []

    def opened(path: Path) -> sqlite3.Connection:
        if len(refused) < 3:
            refused.append(path)
            raise _error(sqlite3.SQLITE_BUSY, "database is locked")
        return real(path)

    monkeypatch.setattr(cache_store, "_opened", opened)
    store = cache_store.store()
    store.put("a", b"x")
    cache_store.flush()
    assert len(refused) == 3 and not store.broken
    assert cache_store.CacheStore(cache / cache_store.FILE_NAME).get("a") == b"x"


def test_any_other_setup_error_turns_the_store_off_at_once(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []

    def opened(path: Path) -> sqlite3.Connection:
        calls.append(path)
        raise _error(sqlite3.SQLITE_READONLY, "attempt to write a readonly database")

    monkeypatch.setattr(cache_store, "_opened", opened)
    store = cache_store.store()
    assert store.get("a") is None and store.broken and len(calls) == 1
