"""What a cold `generate` lets go of before its peak (issue 16, peak memory): the parsed
spec once the IR is built (what it keeps still locates the validator's warnings, with
their lines), each raw module once formatted, the pool's worker once formatting is done."""

from __future__ import annotations

import json
import os
from pathlib import Path

import black
import pytest
from helpers import rss_kib

from generator.config import Job
from generator.format import PARALLEL_THRESHOLD, _Batch, formatting_taking
from generator.load import load
from generator.pipeline import generate
from generator.processes import Workers

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "operationId": "listThings",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "integer", "minimum": "zero"}}}}
    },
}


def test_warnings_located_after_the_spec_is_released(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC, indent=2))
    result = generate(Job(spec, tmp_path / "out", "things"), use_cache=False)
    assert result.document.data == {}  # only the text is kept past the IR build
    where = {w.location.pointer: w.location.line for w in result.warnings}
    ptr = "#/components/schemas/Thing/properties/id/minimum"
    assert ptr in where, result.warnings
    line = spec.read_text().splitlines().index('            "minimum": "zero"') + 1
    assert where[ptr] == line


def test_text_only_locates_as_the_full_document(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC, indent=2))
    doc = load(spec)
    lean = doc.text_only()
    assert (lean.data, lean.sha256, lean.name) == ({}, doc.sha256, doc.name)
    for ptr in ("#/paths/~1things/get", "#/components/schemas/Thing/properties/id", "#/nowhere"):
        assert lean.locate(ptr) == doc.locate(ptr)


def _children() -> set[int]:
    found: set[int] = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as f:
            found |= {int(pid) for pid in f.read().split()}
    return found


MODULES = {f"m{i}.py": f"def f{i}( a,b ):\n    return {{'a':a,'b':[b,{i}]}}\n" for i in range(PARALLEL_THRESHOLD + 6)}


@pytest.mark.skipif(not hasattr(os, "fork") or not os.path.exists("/proc/self/task"), reason="Linux")
def test_format_taking_lets_each_raw_text_go_and_formats_as_black() -> None:
    before = _children()
    with Workers() as workers:
        sources = dict(MODULES)
        formatted = formatting_taking(sources, workers=workers, use_cache=False).finish()
        assert sources == {}  # handed over: the caller holds no raw text any more
        assert formatted == {path: black.format_str(text, mode=black.Mode()) for path, text in MODULES.items()}
        assert _children() <= before  # each child is gone once its chunk is formatted
        items = [(path, text, 88) for path, text in MODULES.items()]
        batch = _Batch(items, workers, slots=2, chunk_chars=100)
        assert _children() - before  # the first two chunks are being formatted
        assert batch.finish() == list(formatted.values())
        assert {text for _, text, _ in batch.items} == {""}  # each text let go once formatted
        assert items[0][1] == MODULES["m0.py"]  # the caller's list is left as it was
        assert _children() <= before


def _grow_then_answer(mib: int) -> int:
    block = b"x" * (mib << 20)
    return len(block)


@pytest.mark.skipif(not hasattr(os, "fork") or not os.path.exists("/proc/self/status"), reason="Linux")
@pytest.mark.slow  # ~50 s: black on modules large enough that its working set would show
def test_black_s_working_set_never_reaches_this_process() -> None:
    """The modules are formatted in children: this process only imports black (before
    forking them, so that they share it) and receives the texts."""
    import generator.format as fmt

    fmt._black("pass\n", path="warm-up", line_length=88)  # black imported and set up, as `_Batch` does
    big = {f"m{i}.py": "x = [\n" + "    (1, 'a', {'k': [2, 3]}),\n" * 3000 + "]\n" for i in range(PARALLEL_THRESHOLD)}
    before = rss_kib()
    with Workers() as workers:
        formatted = formatting_taking(dict(big), workers=workers, use_cache=False).finish()
    grown = rss_kib() - before
    texts = sum(len(text) for text in formatted.values()) >> 10
    assert len(formatted) == len(big)
    # black needs several times the text's size (its syntax trees); here only the texts arrive
    assert grown < 4 * texts + (8 << 10), (grown, texts)
