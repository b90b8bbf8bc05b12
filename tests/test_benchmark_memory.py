"""The benchmark's memory figures are those of the measured process: a process started
by the benchmark inherits, as wait4's ru_maxrss, the benchmark's own peak resident set
(Linux records the old address space's peak at exec), so every small run used to show
the harness's size (~74 MB once it had read the npm tarball). `run_process` samples each
process's own peak (VmHWM) instead."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from helpers import ROOT

# benchmarks/run.py (standard library only), under a name of its own
_spec = importlib.util.spec_from_file_location("sdkgen_benchmark_run", ROOT / "benchmarks" / "run.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # its dataclasses look their module up
_spec.loader.exec_module(bench)

CHILD = "import time; x = bytearray(20 << 20); x[::4096] = b'y' * len(x[::4096]); time.sleep(0.4)"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux /proc")
def test_a_small_run_is_not_given_the_benchmark_s_own_peak(tmp_path: Path) -> None:
    big = bytearray(160 << 20)
    big[::4096] = b"x" * len(big[::4096])  # this process's peak: over 160 MB
    del big
    run = bench.run_process([sys.executable, "-c", CHILD], cwd=tmp_path, env=dict(os.environ))
    assert run.ok
    assert 20 < run.max_rss_mb < 100, run.max_rss_mb  # the child's 20 MB and its interpreter
    assert 10 < run.tree_mb < 100, run.tree_mb
