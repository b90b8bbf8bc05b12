"""Process plumbing for one run, kept apart from the pipeline's orchestration.

- `Pool`: worker processes (one fewer than the cores; this process works too), created
  on first need, and torn down at once (the workers killed by PID, nothing waited for)
  when anything fails or the user interrupts.
- `Forked`: one call in a short-lived forked child, so that its memory leaves with it.
- `inherit` / `inherited`: values a forked worker reads from its copy-on-write memory
  instead of receiving a pickled copy.
- `release_memory`, `frozen_heap`: hand memory back to the system; keep the collector's
  full passes off the long-lived heap while black allocates millions of small objects.
- `recursion_limit`: the process-wide recursion limit, raised for a block and restored.
- `interrupt_on_sigterm`, `exit_now`: SIGTERM cleans up like Ctrl-C; after an interrupt
  the CLI leaves at once instead of waiting for helper threads.
- `reached(stage)`: a test hook (SDKGEN_TEST_STAGE) that announces a pipeline stage and
  pauses there, so tests can interrupt every stage for real.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # imported when a pool is made: the CLI's no-op path stays light
    from concurrent.futures import Future

T = TypeVar("T")

STAGES = ("validate", "build", "render", "format-pool", "write", "swap")
TEST_STAGE_ENV = "SDKGEN_TEST_STAGE"


def _libc_call(name: str, *args: int) -> None:
    """Call a Linux libc function if there is one (elsewhere, or without it: nothing)."""
    if sys.platform == "linux":
        try:
            import ctypes

            getattr(ctypes.CDLL("libc.so.6", use_errno=True), name)(*args)
        except (OSError, AttributeError):
            pass


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


# -- values inherited by forked workers --------------------------------------------------

_INHERITED: dict[str, Any] = {}


def inherit(key: str, value: Any) -> None:
    """Make `value` readable by workers forked from now on (until the pool is gone)."""
    _INHERITED[key] = value


def inherited(key: str) -> Any | None:
    return _INHERITED.get(key)


# -- the worker pool ---------------------------------------------------------------------


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


def _worker_init(pids: Any, parent: int) -> None:
    """Workers start as `_worker_init_signals` says, and record their PID so that the
    parent can kill them without reaching into the executor."""
    _worker_init_signals(parent)
    with pids.get_lock():
        slot = pids[0] + 1
        if slot < len(pids):
            pids[slot] = os.getpid()
            pids[0] = slot


def worker_count() -> int:
    """One process fewer than the usable cores (at most 3): this process works too."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(4, cores) - 1


class Pool:
    """A process pool whose workers can be killed by PID, at once."""

    def __init__(self, workers: int, method: str | None = None) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context(method)
        self.workers = workers
        self._pids = context.Array("q", workers + 1)  # [count, pid, pid, ...]
        self.executor = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_worker_init, initargs=(self._pids, os.getpid())
        )

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        return self.executor.submit(fn, *args)

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    def kill(self, *, wait: bool) -> None:
        """Kill every worker now. With `wait`, also wait for the executor's own thread,
        which notices the dead workers, fails their futures and closes its pipes (quick:
        since Python 3.11.5 that thread also unblocks a feeder stuck writing to a dead
        worker). Without it (on Ctrl-C, when the CLI leaves through `exit_now`), return
        at once."""
        with self._pids.get_lock():
            pids = [self._pids[i] for i in range(1, self._pids[0] + 1)]
        for pid in pids:
            with suppress(OSError):  # already gone
                os.kill(pid, signal.SIGKILL)  # SIGKILL: a dying worker prints no traceback
        self.executor.shutdown(wait=wait)


class Forked:
    """One call run in a forked child that exits when it is done, so that what the call
    allocates never stays in this process (openapi-spec-validator-rs keeps ~25 MB of its
    own heap after a verdict, ~20% of a cold run's peak on Codat). The child dies with
    this process (as pool workers do); `result` is None whenever the child gave no
    answer (it failed, was killed, or `fork` is not available): the caller then makes the
    call itself, so the outcome never depends on the child."""

    def __init__(self, fn: Callable[..., Any], /, *args: Any) -> None:
        self.pid = 0
        self.fd = -1
        if not hasattr(os, "fork"):
            return
        parent = os.getpid()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: answer through the pipe, then leave without cleanup
            code = 1
            try:
                os.close(read)
                _worker_init_signals(parent)
                data = pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.fd = pid, read

    def result(self) -> Any | None:
        """The call's value (waits for the child), or None if the child gave none."""
        if self.fd < 0:
            return None
        with os.fdopen(self.fd, "rb") as pipe:
            self.fd = -1
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if not data or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        return pickle.loads(data)

    def kill(self) -> None:
        """Kill the child now (if it still runs) and reap it."""
        if self.pid:
            with suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with suppress(OSError):
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self.fd >= 0:
            with suppress(OSError):
                os.close(self.fd)
            self.fd = -1


class Workers:
    """The run's pool, created on first need, and its forked children; killed at once if
    the run fails."""

    def __init__(self) -> None:
        self.pool: Pool | None = None
        self.children: list[Forked] = []

    def fork(self, fn: Callable[..., T], /, *args: Any) -> Forked:
        """`fn(*args)` in a child of its own (`Forked`), killed with the run's workers."""
        child = Forked(fn, *args)
        self.children.append(child)
        return child

    def close(self) -> None:
        """Let the pool's workers exit now, their work done (they leave the run anyway):
        their memory is gone before the output is assembled, when this process grows most."""
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def get(self) -> Pool | None:
        workers = worker_count()
        if self.pool is None and workers >= 1:
            self.pool = Pool(workers, "fork" if sys.platform == "linux" else None)
        return self.pool

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        _INHERITED.clear()  # needed only while workers are forked
        for child in self.children:
            child.kill()
        self.children.clear()
        if self.pool is None:
            return
        if exc_type is None:
            self.pool.close()
        else:
            # an error is reported after the pool is gone (a process leaving while the
            # executor's thread still runs can print noise at exit); an interrupt is not
            # kept waiting
            interrupted = isinstance(exc_type, type) and issubclass(exc_type, KeyboardInterrupt)
            self.pool.kill(wait=not interrupted)
        self.pool = None


# -- signals and the end of the process ---------------------------------------------------


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def interrupt_on_sigterm() -> None:
    """SIGTERM raises KeyboardInterrupt in the main thread, so it cleans up like Ctrl-C."""
    signal.signal(signal.SIGTERM, _interrupt)


def exit_now(code: int) -> None:
    """Leave at once: streams flushed, no waiting on helper threads (an interrupted
    pool's threads finish on their own; nothing they do matters any more)."""
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
    time.sleep(2.0 if stage == "swap" else 60.0)
