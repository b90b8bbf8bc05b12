"""Process plumbing for one run, kept apart from the pipeline's orchestration.

- `Forked`: one call in a short-lived forked child, so that its memory leaves with it:
  the validator's verdict, and black's formatting in chunks (`format._Batch`), a few
  children at a time (`fork_slots`), waited for with `wait_any`.
- `Workers`: the run's children, killed at once (by PID, nothing waited for) when
  anything fails or the user interrupts.
- `release_memory`, `frozen_heap`: hand memory back to the system; keep the collector's
  full passes off the long-lived heap while black allocates millions of small objects.
- `recursion_limit`: the process-wide recursion limit, raised for a block and restored.
- `interrupt_on_sigterm`, `exit_now`: SIGTERM cleans up like Ctrl-C; after an interrupt
  the CLI leaves at once.
- `reached(stage)`: a test hook (SDKGEN_TEST_STAGE) that announces a pipeline stage and
  pauses there, so tests can interrupt every stage for real.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import cache
from typing import IO, Any, TypeVar

T = TypeVar("T")

STAGES = ("validate", "build", "render", "format-pool", "write", "swap")
TEST_STAGE_ENV = "SDKGEN_TEST_STAGE"

# A blocking wait returns to Python at least this often (seconds), so that a Ctrl-C is
# acted on even when its signal lands just before the wait's system call (Python's handler
# then only sets a flag, which nothing reads until the call returns) or on another thread
SIGNAL_POLL = 0.1


@cache
def _libc() -> Any | None:
    """Linux's libc (loaded once: every forked child calls `prctl`), elsewhere None."""
    if sys.platform != "linux":
        return None
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return None


def _libc_call(name: str, *args: int) -> None:
    """Call a Linux libc function if there is one (elsewhere, or without it: nothing)."""
    with suppress(AttributeError):
        libc = _libc()
        if libc is not None:
            getattr(libc, name)(*args)


def release_memory() -> None:
    """Collect garbage and return freed heap pages to the system (glibc's malloc_trim)."""
    gc.collect()
    _libc_call("malloc_trim", 0)


_frozen = 0  # depth of nested `frozen_heap` blocks


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Everything alive now is left out of the collector's full passes until the end of
    the outermost such block (nested blocks freeze what was made since)."""
    global _frozen
    gc.freeze()
    _frozen += 1
    try:
        yield
    finally:
        _frozen -= 1
        if _frozen == 0:
            gc.unfreeze()


def freeze() -> None:
    """Inside a `frozen_heap` block: freeze also what was made since (outside: nothing,
    so that nothing stays frozen after a run)."""
    if _frozen:
        gc.freeze()


@contextmanager
def recursion_limit(at_least: int) -> Iterator[None]:
    """Python's recursion limit (process-wide) raised to `at_least` for the block, then
    put back as it was."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, at_least))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


# -- forked children ----------------------------------------------------------------------


def _worker_init_signals(parent: int) -> None:
    """A child leaves Ctrl-C to the parent, which kills it and keeps the old output, and
    dies with the parent even when that is killed outright (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _libc_call("prctl", 1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        # the parent died between the fork and the line above: no death signal will come,
        # and an orphan would wait for work forever, holding the caller's pipes open
        os._exit(1)


def fork_slots() -> int:
    """How many forked children work at once: one per usable core (at most 4; this
    process only waits for them meanwhile); 0 where there is no `fork`."""
    if not hasattr(os, "fork"):
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(4, cores)


class Forked:
    """One call run in a forked child that exits when it is done, so that what the call
    allocates never stays in this process (openapi-spec-validator-rs keeps ~25 MB of its
    own heap after a verdict; black keeps its fragmented working set). The child dies
    with this process; `result` is None whenever the child gave no answer (it failed,
    was killed, or `fork` is not available): the caller then makes the call itself, so
    the outcome never depends on the child.

    The answer goes through an unlinked temporary file, not a pipe: a child whose answer
    is larger than a pipe holds (64 KiB) would wait, with all its memory, until this
    process reads it, and this process may be busy (the docs' code samples are formatted
    while it renders). The pipe only tells, by closing, that the child has exited."""

    def __init__(self, fn: Callable[..., Any], /, *args: Any) -> None:
        self.pid = 0
        self.fd = -1  # the pipe's read end: end of file once the child has exited
        if not hasattr(os, "fork"):
            return
        parent = os.getpid()
        _libc()  # loaded here once, not in every child (ctypes: ~3 MB each)
        try:
            answer = tempfile.TemporaryFile()  # noqa: SIM115 (closed by `result` or `kill`)
        except OSError:  # no temporary folder: no child, the caller makes the call
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: answer through the file, then leave without cleanup
            code = 1
            try:
                os.close(read)
                _worker_init_signals(parent)
                answer.write(pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL))
                answer.flush()
                code = 0
            finally:
                os._exit(code)  # the pipe's write end closes with the process
        os.close(write)
        self.pid, self.fd = pid, read
        self.answer: IO[bytes] = answer

    def fileno(self) -> int:
        """The pipe that reaches its end when the child exits (for `select`)."""
        return self.fd

    def result(self) -> Any | None:
        """The call's value (waits for the child), or None if the child gave none."""
        if self.fd < 0:
            return None
        wait_any([self])  # its pipe's end: it has exited (Ctrl-C still heard meanwhile)
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        self._close()
        with self.answer:
            self.answer.seek(0)
            data = self.answer.read()
        if not data or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        return pickle.loads(data)

    def _close(self) -> None:
        if self.fd >= 0:
            with suppress(OSError):
                os.close(self.fd)
            self.fd = -1

    def kill(self) -> None:
        """Kill the child now (if it still runs) and reap it."""
        if self.pid:
            with suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with suppress(OSError):
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self.fd >= 0:
            self._close()
            self.answer.close()


def wait_any(children: Sequence[Forked]) -> Forked:
    """The first of `children` to have exited (or that never started: `result` then
    gives None)."""
    for child in children:
        if child.fd < 0:
            return child
    while True:
        readable, _, _ = select.select(children, [], [], SIGNAL_POLL)
        if readable:
            found: Forked = readable[0]
            return found


class Workers:
    """The run's forked children (`fork`): killed at once if the run fails."""

    def __init__(self) -> None:
        self.children: list[Forked] = []

    def fork(self, fn: Callable[..., T], /, *args: Any) -> Forked:
        """`fn(*args)` in a child of its own (`Forked`), killed with the run's workers."""
        self.children = [child for child in self.children if child.pid]  # the reaped ones go
        child = Forked(fn, *args)
        self.children.append(child)
        return child

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        for child in self.children:
            child.kill()
        self.children.clear()


# -- signals and the end of the process ---------------------------------------------------


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def interrupt_on_sigterm() -> None:
    """SIGTERM raises KeyboardInterrupt in the main thread, so it cleans up like Ctrl-C."""
    signal.signal(signal.SIGTERM, _interrupt)


def exit_now(code: int) -> None:
    """Leave at once: streams flushed, nothing else waited for (the run's forked children
    were killed on the way up; nothing left running matters any more)."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed or broken stream: nothing to flush
            stream.flush()
    os._exit(code)


# -- the stage hook for tests ---------------------------------------------------------------


def reached(stage: str) -> None:
    """If SDKGEN_TEST_STAGE names `stage`, say so on stderr and pause there.

    The pause is long (60 s) so the test's signal arrives during the stage; where
    SIGINT/SIGTERM are held (the swap) it is short, since they are only delivered after.
    Unset (always, outside tests): a dictionary lookup.
    """
    if os.environ.get(TEST_STAGE_ENV) != stage:
        return
    print(f"sdkgen-test: reached {stage}", file=sys.stderr, flush=True)
    end = time.monotonic() + (2.0 if stage == "swap" else 60.0)
    while time.monotonic() < end:  # in slices: one long sleep can miss the test's signal
        time.sleep(SIGNAL_POLL)
