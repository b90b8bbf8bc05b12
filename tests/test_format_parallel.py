"""black in forked children (`format._Batch`, and `format._Queued` for the docs
samples): results keep their order, a child that gives no answer has its chunk formatted
here, at most one of the largest modules is formatted at a time, a child that joins later
takes only the chunks not taken yet."""

from __future__ import annotations

import os
from pathlib import Path

import black
import pytest
from helpers import SEED_SPEC, shared_specs_dir

from generator import format as fmt
from generator.config import Job
from generator.emit.samples import Samples
from generator.format import (
    PARALLEL_THRESHOLD,
    FormatError,
    Prepared,
    _Batch,
    _chunks,
    _format_all,
    _mode,
    _Queued,
    format_source,
    prepared,
)
from generator.pipeline import build
from generator.processes import Workers

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked children")


def _modules(count: int) -> list[tuple[str, str, int]]:
    # sizes differ so the largest-first order differs from this one; each module is recognisable
    return [
        (f"m{i}.py", f"def f{i}( a,b ):\n" + "    x=[1,2,3]\n" * (1 + (i * 7) % 13) + f"    return {i}\n", 88)
        for i in range(count)
    ]


def _expected(items: list[tuple[str, str, int]]) -> list[str]:
    return [black.format_str(source, mode=_mode(n)) for _, source, n in items]


def test_results_are_those_of_a_serial_run_in_the_same_order() -> None:
    items = _modules(PARALLEL_THRESHOLD * 3)
    seen: list[tuple[int, int]] = []
    with Workers() as workers:
        batch = _Batch(
            items, workers, slots=2, chunk_chars=300, progress=lambda done, total: seen.append((done, total))
        )
        assert len(batch.chunks) > 4
        got = batch.finish()
        assert all(child.pid == 0 for child in workers.children)  # every child reaped
    assert got == _expected(items)
    assert seen[-1] == (len(items), len(items))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_one_child_takes_the_largest_modules_the_others_the_smallest() -> None:
    items = _modules(PARALLEL_THRESHOLD * 2)
    with Workers() as workers:
        batch = _Batch(items, workers, slots=3, chunk_chars=200)
        last = len(batch.chunks) - 1
        assert sorted(c for c, _ in batch.running.values()) == [0, last - 1, last]
        assert sorted(front for _, front in batch.running.values()) == [False, False, True]
        assert batch.finish() == _expected(items)


def test_chunks_hold_about_so_many_characters_largest_first() -> None:
    sizes = [50, 500, 10, 120, 80, 80, 5, 300]
    order = sorted(range(len(sizes)), key=lambda i: sizes[i], reverse=True)
    chunks = _chunks(order, sizes, slots=2, chunk_chars=200)
    assert [i for chunk in chunks for i in chunk] == order  # every item once, in order
    assert chunks[:2] == [[1], [7]]  # larger than a chunk: alone
    assert all(sum(sizes[i] for i in chunk) <= 200 for chunk in chunks[2:])
    assert _chunks(order, sizes, slots=2, chunk_chars=None) == [order[0::2], order[1::2]]
    assert _chunks([], [], slots=2, chunk_chars=200) == []


def _fail_in_child(items: list[tuple[str, str, int]]) -> list[str]:
    raise RuntimeError("the child dies")


def test_a_chunk_whose_child_gives_no_answer_is_formatted_here(monkeypatch: pytest.MonkeyPatch) -> None:
    items = _modules(PARALLEL_THRESHOLD)
    monkeypatch.setattr(fmt, "_format_collected", _fail_in_child)  # what the children run
    with Workers() as workers:
        assert _Batch(items, workers, slots=2, chunk_chars=300).finish() == _expected(items)


def test_black_refusing_a_module_is_an_error_here_not_in_a_child() -> None:
    items = [*_modules(PARALLEL_THRESHOLD), ("broken.py", "def f(:\n", 88)]
    with Workers() as workers, pytest.raises(FormatError, match=r"broken\.py"):
        _Batch(items, workers, slots=2, chunk_chars=300).finish()


def test_without_workers_every_module_is_formatted_here() -> None:
    items = _modules(PARALLEL_THRESHOLD + 5)
    assert _format_all(items, None, None) == _expected(items)


# -- the docs samples' queue (format._Queued) -------------------------------------------------


def test_queued_chunks_are_taken_once_each_by_children_that_join_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks go out through one queue: a child started later (`widen`) takes those not
    taken yet; every text comes back once, in the order of the items."""
    items = _modules(PARALLEL_THRESHOLD * 3)
    monkeypatch.setattr(_Queued, "CHUNKS_PER_CORE", 20)  # more than the first child takes at once
    with Workers() as workers:
        queued = _Queued(items, workers, slots=1, keys=None)
        assert len(queued.chunks) >= 8 and len(queued.running) == 1
        queued.widen(3)
        assert len(queued.running) == 3
        queued.widen(2)  # never fewer
        assert len(queued.running) == 3
        answers = [child.result() for child in queued.running]
        taken = sorted(c for answer in answers for c, _ in answer or ())
        assert taken == list(range(len(queued.chunks)))  # each chunk by one child only
        os.close(queued.queue)
    with Workers() as workers:
        queued = _Queued(items, workers, slots=1, keys=None)
        queued.widen(2)
        assert queued.finish() == _expected(items)
        assert all(child.pid == 0 for child in workers.children)  # every child reaped
        queued.widen(2)  # after `finish`: no child any more
        assert len(workers.children) == 2


def _one_chunk_then_die(items: object, chunks: object, queue: int, keys: object) -> object:
    os.read(queue, 2)  # a chunk taken from the queue, never answered for
    raise RuntimeError("the child dies")


def test_queued_chunks_without_an_answer_are_formatted_here(monkeypatch: pytest.MonkeyPatch) -> None:
    items = _modules(PARALLEL_THRESHOLD * 2)
    monkeypatch.setattr(fmt, "_format_queued", _one_chunk_then_die)  # what the children run
    with Workers() as workers:
        queued = _Queued(items, workers, slots=2, keys=None)
        assert queued.finish() == _expected(items)


def test_black_refusing_a_sample_is_an_error_here_not_in_a_child() -> None:
    items = [*_modules(PARALLEL_THRESHOLD), ("broken sample", "def f(:\n", 88)]
    with Workers() as workers, pytest.raises(FormatError, match="broken sample"):
        _Queued(items, workers, slots=2, keys=None).finish()


def _samples_of(spec: Path) -> list[str]:
    job = Job(spec=spec, output=spec.parent / "unused", package="client")
    api, _, _ = build(job, run_validator=False)
    return Samples(api, "client", token_env=None, line_length=88).all_sources()


def test_prepared_samples_are_what_black_gives_each_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The docs' code samples formatted ahead in forked children (`Prepared`) are, for every
    sample of the test specs and of polar-2026-10, what black gives that sample alone;
    `format_source` answers from them inside `prepared(...)` and they land in the cache
    under the same keys."""
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    specs = [SEED_SPEC, *sorted(Path(__file__).parent.joinpath("specs").glob("*.yaml"))]
    specs.append(shared_specs_dir() / "polar-2026-10.openapi.json")
    sources = [s for spec in specs for s in _samples_of(spec)]
    assert len(set(sources)) >= PARALLEL_THRESHOLD
    alone = {source: black.format_str(source, mode=_mode(88)) for source in sources}
    with Workers() as workers:
        ahead = Prepared(sources, line_length=88, workers=workers)
        assert ahead.batch is not None
        with prepared(ahead):
            got = {source: format_source(source, path="sample", line_length=88) for source in sources}
    assert got == alone
    with Workers() as workers:
        again = Prepared(sources, line_length=88, workers=workers)
        assert workers.children == []  # every sample is cached: no child needed
    assert again.batch is None and again.index == {}
    assert {source: format_source(source, path="sample", line_length=88) for source in sources} == alone


def test_few_samples_are_not_worth_a_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    sources = _samples_of(SEED_SPEC)
    assert len(sources) < PARALLEL_THRESHOLD
    with Workers() as workers:
        ahead = Prepared(sources, line_length=88, workers=workers)
        assert workers.children == [] and ahead.batch is None
        with prepared(ahead):
            got = [format_source(source, path="sample", line_length=88) for source in sources]
    assert got == [black.format_str(source, mode=_mode(88)) for source in sources]


# -- the warm child of an edit (format.Warm) -------------------------------------------------


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "fork_slots", lambda: 2)  # the warm child needs a second core


@pytest.mark.usefixtures("two_cores")
def test_a_warm_child_formats_what_it_is_sent_and_exits() -> None:
    items = _modules(5)
    with Workers() as workers:
        warm = fmt.Warm(workers)
        assert warm.child is not None
        pid = warm.child.pid
        assert warm.send(items)
        assert warm.result() == _expected(items)
        assert [child.pid for child in workers.children] == [0]  # reaped
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@pytest.mark.usefixtures("two_cores")
def test_a_warm_child_told_there_is_nothing_exits_at_once() -> None:
    with Workers() as workers:
        warm = fmt.Warm(workers)
        assert warm.child is not None
        child = warm.child
        warm.close()
        assert child.result() is None  # it returned: nothing was sent
        assert not warm.send(_modules(1))  # closed: the caller formats


@pytest.mark.usefixtures("two_cores")
def test_modules_a_dead_warm_child_was_sent_are_formatted_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    items = _modules(5)
    sources = {path: source for path, source, _ in items}
    with Workers() as workers:
        warm = fmt.Warm(workers)
        assert warm.child is not None
        warm.child.kill()
        got = fmt.formatting_taking(dict(sources), workers=workers, warm=warm).finish()
    assert got == dict(zip(sources, _expected(items), strict=True))


@pytest.mark.usefixtures("two_cores")
def test_an_edit_is_formatted_by_the_warm_child_with_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline starts the warm child on a re-run of this generator (the manifest says
    so) and black then runs there, not here; the files are those of a run without caches."""
    import yaml

    from generator import manifest, pipeline

    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    job = Job(spec=SEED_SPEC, output=tmp_path / "out", package="client")
    pipeline.generate(job, run_validator=False)  # warms the caches
    data = yaml.safe_load(SEED_SPEC.read_text())
    data["components"]["schemas"]["Address"]["description"] = "Edited by the test."
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setattr(manifest, "made_by_this_generator", lambda root: True)
    here, real_black = os.getpid(), fmt._black

    def black_in_children_only(source: str, *, path: str, line_length: int) -> str:
        assert os.getpid() != here, f"{path} formatted in the parent"
        return real_black(source, path=path, line_length=line_length)

    monkeypatch.setattr(fmt, "_black", black_in_children_only)
    sent: list[int] = []
    real_send = fmt.Warm.send
    monkeypatch.setattr(fmt.Warm, "send", lambda self, items: sent.append(len(items)) or real_send(self, items))
    got = pipeline.generate(Job(spec=edited, output=tmp_path / "out", package="client"), run_validator=False)
    assert sent and 0 < sent[0] < PARALLEL_THRESHOLD  # the edited model's module and the like
    monkeypatch.undo()
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "empty-cache"))
    cold = pipeline.generate(
        Job(spec=edited, output=tmp_path / "b", package="client"), run_validator=False, use_cache=False
    )
    assert got.files == cold.files


_FROZEN_PROBE = """
import gc, sys
from generator import format as fmt, processes

def black_objects():
    # what the collector would walk (the frozen objects are not listed): after a `gc.collect`
    # only what is alive, i.e. black's modules if they were not frozen (~11,400 objects)
    gc.collect()
    return len(gc.get_objects())

assert "black" not in sys.modules
items = [(f"m{i}.py", f"x{i} = [ {i} ]\\n", 88) for i in range(fmt.PARALLEL_THRESHOLD)]
with processes.Workers() as workers, processes.frozen_heap():
    if sys.argv[1] == "batch":
        batch = fmt._batch(items, workers)
        assert batch is not None
        left = black_objects()
        batch.finish()
    else:
        fmt._warm_serve(*__import__("os").pipe())  # the warm child's set-up, here (nothing is sent)
        left = black_objects()
print("few" if left < 2000 else f"{left} objects")
"""


@pytest.mark.parametrize("where", ["batch", "warm"])
def test_black_set_up_for_forked_children_is_frozen_first(where: str) -> None:
    """black is imported and set up in the process that forks the children (`_Batch`), or
    in the `Warm` child, and then frozen: a collection (one per module in a child,
    `_format_collected`) must not walk black's own objects again and again (~37% of the
    docs samples' children's CPU on polar-2026-10 before). A fresh interpreter, so that
    black is first imported inside the pipeline's `frozen_heap`, as on a cold run."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        [sys.executable, "-c", _FROZEN_PROBE, where],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(repo)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "few", f"black's objects are left to the collector: {run.stdout.strip()}"
