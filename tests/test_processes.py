"""`processes.Forked`: one call in a short-lived child whose memory leaves with it."""

from __future__ import annotations

import os
import time

import pytest
from helpers import rss_kib

from generator.processes import Forked, Workers


def _allocate(mib: int) -> int:
    """What `mib` MiB of data added to the resident memory of the process it runs in."""
    before = rss_kib()
    block = b"x" * (mib << 20)
    grown = rss_kib() - before
    del block
    return grown


def _fail() -> None:
    raise ValueError("boom")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not os.path.exists("/proc/self/status"), reason="Linux")


def test_the_child_answers_and_its_memory_leaves_with_it() -> None:
    before = rss_kib()
    child = Forked(_allocate, 64)
    pid = child.pid
    assert child.result() >= 60 << 10  # KiB resident in the child
    assert _gone(pid)  # reaped, not a zombie
    assert rss_kib() - before < 16 << 10  # the child's 64 MiB never reached this process


def test_a_failing_call_gives_no_answer_and_no_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    child = Forked(_fail)
    assert child.result() is None
    assert "Traceback" not in capfd.readouterr().err


def test_a_failed_run_kills_its_children_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), Workers() as workers:
        child = workers.fork(time.sleep, 60)
        pid = child.pid
        raise KeyboardInterrupt
    assert _gone(pid)
    assert time.monotonic() - started < 10
