"""Every generated Python module (and docs code sample) is rendered the way black prints
it, before black sees it.

black still formats every module, but `black.format_str` formats a second time whenever
its first pass changed the text: a module it leaves unchanged costs it one pass instead
of two (cold Kubernetes: 70.8 -> 40.5 s of CPU, Codat Accounting 6.0 -> 4.9 s, when
`warnings.warn(...)` lines, nested conditionals, long return annotations and the raw
response wrappers were laid out too). A template or emitter change that leaves a line for
black to split fails here, naming the line, instead of silently doubling black's time.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import black
import pytest
from helpers import ROOT, shared_specs_dir

from generator import pipeline
from generator.config import Job
from generator.emit.samples import Samples
from generator.format import Rendered, _mode, _text_of

# Lines emit/layout.py leaves to black on purpose (black then makes its second pass over
# that one sample): an `async with` around a client built with several credentials, whose
# layout (parenthesised context managers) the model does not follow.
LEFT_TO_BLACK = re.compile(r"^sample \d+: async with AsyncClient\(")
FAST_SPECS = sorted((ROOT / "tests" / "specs").glob("*.yaml")) + [ROOT / "specs" / "customers-update.yaml"]
POLAR_SPECS = ("polar-2025-01", "polar-2025-02", "polar-2026-10")


def _unstable(spec: Path, tmp_path: Path) -> list[str]:
    """The first changed line of each module black would change, as `path: line`."""
    job = Job(spec, tmp_path / "out" / "pkg", "pkg")
    api, _, _ = pipeline.build(job, run_validator=False)
    layouts = pipeline.LayoutMemo(str(tmp_path), enabled=False)
    _, sources = pipeline._render(api, job, Rendered(job.line_length, enabled=False), layouts)
    assert sources, "no Python module was rendered"
    # the docs' code samples too (formatted by black one by one)
    texts = {path: _text_of(source) for path, source in sorted(sources.items())}
    for n, sample in enumerate(Samples(api, "pkg", line_length=job.line_length).all_sources()):
        texts[f"sample {n}"] = sample
    changed = []
    for path, text in texts.items():
        formatted = black.format_str(text, mode=_mode(job.line_length))
        if formatted != text:
            removed = next(
                line
                for line in difflib.unified_diff(text.splitlines(), formatted.splitlines(), n=0, lineterm="")
                if line.startswith("-") and not line.startswith("---")
            )
            changed.append(f"{path}: {removed[1:].strip()[:120]}")
    return [line for line in changed if not LEFT_TO_BLACK.match(line)]


@pytest.mark.parametrize("spec", FAST_SPECS, ids=lambda p: p.stem)
def test_modules_are_rendered_as_black_prints_them(spec: Path, tmp_path: Path) -> None:
    assert _unstable(spec, tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", POLAR_SPECS)
def test_polar_modules_are_rendered_as_black_prints_them(name: str, tmp_path: Path) -> None:
    spec = shared_specs_dir() / f"{name}.openapi.json"
    assert _unstable(spec, tmp_path) == []
