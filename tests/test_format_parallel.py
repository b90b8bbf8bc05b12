"""black across processes: the calling process formats too, results keep their order."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import black
import pytest
from helpers import SEED_SPEC, shared_specs_dir

from generator.config import Job
from generator.emit.samples import Samples
from generator.format import PARALLEL_THRESHOLD, Prepared, _format_all, _mode, format_source, prepared
from generator.pipeline import build
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


def _samples_of(spec: Path) -> list[str]:
    job = Job(spec=spec, output=spec.parent / "unused", package="client")
    api, _, _ = build(job, run_validator=False)
    return Samples(api, "client", token_env=None, line_length=88).all_sources()


def test_prepared_samples_are_what_black_gives_each_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The docs' code samples formatted ahead in the pool (`Prepared`) are, for every
    sample of the test specs and of polar-2026-10, what black gives that sample alone;
    `format_source` answers from them inside `prepared(...)` and they land in the cache
    under the same keys."""
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    specs = [SEED_SPEC, *sorted(Path(__file__).parent.joinpath("specs").glob("*.yaml"))]
    specs.append(shared_specs_dir() / "polar-2026-10.openapi.json")
    sources = [s for spec in specs for s in _samples_of(spec)]
    assert len(set(sources)) >= PARALLEL_THRESHOLD
    alone = {source: black.format_str(source, mode=_mode(88)) for source in sources}
    pool = Pool(1, "spawn")
    try:
        ahead = Prepared(sources, line_length=88, pool=lambda: pool)
        assert ahead.batch is not None
        with prepared(ahead):
            got = {source: format_source(source, path="sample", line_length=88) for source in sources}
    finally:
        pool.close()
    assert got == alone
    again = Prepared(sources, line_length=88, pool=lambda: pytest.fail("every sample is cached: no pool needed"))
    assert again.batch is None and again.index == {}
    assert {source: format_source(source, path="sample", line_length=88) for source in sources} == alone


def test_few_samples_are_not_worth_a_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    sources = _samples_of(SEED_SPEC)
    assert len(sources) < PARALLEL_THRESHOLD
    ahead = Prepared(sources, line_length=88, pool=lambda: pytest.fail("no pool for a few samples"))
    with prepared(ahead):
        got = [format_source(source, path="sample", line_length=88) for source in sources]
    assert got == [black.format_str(source, mode=_mode(88)) for source in sources]
