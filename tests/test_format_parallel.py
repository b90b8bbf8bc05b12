"""black across processes: the calling process formats too, results keep their order."""

from __future__ import annotations

import threading
import time

from generator.format import PARALLEL_THRESHOLD, _format_all, format_source
from generator.processes import Pool


def _modules(count: int) -> list[tuple[str, str, int]]:
    # sizes differ so the largest-first dealing reorders them; each module is recognisable
    return [
        (f"m{i}.py", f"def f{i}( a,b ):\n" + "    x=[1,2,3]\n" * (1 + (i * 7) % 13) + f"    return {i}\n", 88)
        for i in range(count)
    ]


def _expected(items: list[tuple[str, str, int]]) -> list[str]:
    return [format_source(source, path=path, line_length=n) for path, source, n in items]


def _block(seconds: float) -> None:
    time.sleep(seconds)


def test_parallel_results_are_those_of_a_serial_run_in_the_same_order() -> None:
    items = _modules(PARALLEL_THRESHOLD * 3)
    seen: list[tuple[int, int]] = []
    pool = Pool(1, "spawn")
    try:
        got = _format_all(items, pool, lambda done, total: seen.append((done, total)))
    finally:
        pool.close()
    assert got == _expected(items)
    assert seen[-1] == (len(items), len(items))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_the_calling_process_formats_what_the_pool_has_not_started() -> None:
    """With the only worker busy, this process formats every chunk the worker has not
    been handed yet; the result is whole and in order."""
    items = _modules(PARALLEL_THRESHOLD * 2)  # fewer than 64: one module per chunk
    here: list[str] = []

    def format_here(chunk: list[tuple[str, str, int]]) -> list[str]:
        here.extend(path for path, _, _ in chunk)
        return [format_source(source, path=path, line_length=n) for path, source, n in chunk]

    pool = Pool(1, "spawn")
    try:
        busy = pool.submit(_block, 2.0)
        while not busy.running():
            time.sleep(0.01)
        result: list[list[str]] = []
        thread = threading.Thread(target=lambda: result.append(_format_all(items, pool, None, format_here)))
        thread.start()
        thread.join(60)
        assert not thread.is_alive()
    finally:
        pool.close()
    assert result == [_expected(items)]
    # the pool is sent two chunks per worker ahead; this process formats all the others
    assert len(here) >= len(items) - 2
    assert len(set(here)) == len(here)


def test_without_a_pool_every_module_is_formatted_here() -> None:
    items = _modules(PARALLEL_THRESHOLD + 5)
    assert _format_all(items, None, None) == _expected(items)
