"""Ctrl-C ends every blocking wait of a run promptly, even when its signal is not seen by
the system call doing the waiting.

Python's handler for SIGINT only sets a flag that the main thread reads between
bytecodes. A signal that lands just before a blocking call (or on another thread) leaves
that call blocked: a single `flock` waiting for another run, or a `select` waiting for a
child, would ignore Ctrl-C until the other run or the child ended. The CI saw this once,
in test_write_safety's interrupt at `validate`; each wait now returns to Python every
`processes.SIGNAL_POLL` seconds.

Here the race is made certain: the signal goes to a helper thread (`pthread_kill`), so
its handler runs there and the main thread's system call is never interrupted.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import ROOT

from generator import processes

SCRIPT = textwrap.dedent(
    """
    import signal, sys, threading, time
    from pathlib import Path
    from generator import processes, write

    signal.signal(signal.SIGINT, signal.default_int_handler)
    what = sys.argv[1]

    def poke():
        time.sleep(0.5)
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # handled on this thread

    threading.Thread(target=poke, daemon=True).start()
    start = time.monotonic()
    try:
        if what == "lock":
            with write.locked(Path(sys.argv[2]), exclusive=True):
                pass
        elif what == "wait_any":
            with processes.Workers() as workers:
                processes.wait_any([workers.fork(time.sleep, 30)])
        elif what == "result":
            with processes.Workers() as workers:
                workers.fork(time.sleep, 30).result()
        elif what == "stage":
            processes.reached("validate")
        print("finished", flush=True)
    except KeyboardInterrupt:
        print(f"interrupted after {time.monotonic() - start:.2f} s", flush=True)
    """
)


def _run(what: str, *args: str, stage: str | None = None) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop(processes.TEST_STAGE_ENV, None)
    if stage is not None:
        env[processes.TEST_STAGE_ENV] = stage
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, what, *args], capture_output=True, text=True, timeout=15, env=env
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what}: Ctrl-C was not acted on within 15 s")
    assert done.returncode == 0, done.stderr
    return done.stdout


def _prompt(out: str) -> None:
    assert out.startswith("interrupted after "), out
    seconds = float(out.split()[2])
    assert 0.5 <= seconds < 3.0, out  # the signal is sent at 0.5 s


def test_waiting_for_another_runs_lock(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another run writing here, for longer than the test
        _prompt(_run("lock", str(folder)))
    finally:
        os.close(fd)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked children only where there is fork")
@pytest.mark.parametrize("what", ["wait_any", "result"])
def test_waiting_for_a_child(what: str) -> None:
    _prompt(_run(what))


def test_the_stage_hook_pause() -> None:
    _prompt(_run("stage", stage="validate"))


def test_a_lock_that_is_free_is_taken_at_once(tmp_path: Path) -> None:
    # the polling loop does not delay the common case, nor lose the lock
    assert _run("lock", str(tmp_path)) == "finished\n"
