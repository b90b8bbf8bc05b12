"""Killing `generate` never leaves a half-written package, and writes stay inside it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import write
from helpers import ROOT, SEED_SPEC, shared_specs_dir


def _generate(spec: Path, out: Path, cache: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(cache))
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out), "-p", "client", "-q"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # as at a terminal: a shell's background job inherits SIGINT ignored, and Python
        # then installs no KeyboardInterrupt handler (Ctrl-C would not reach it anyway)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_killing_generate_mid_run_leaves_previous_output_byte_identical(tmp_path: Path, sig: signal.Signals) -> None:
    out = tmp_path / "out"
    first = _generate(SEED_SPEC, out, tmp_path / "cache")
    assert first.wait(60) == 0, first.communicate()
    before = write.read_tree(out / "client")
    assert before

    big = shared_specs_dir() / "polar-2026-10.openapi.json"
    proc = _generate(big, out, tmp_path / "cold-cache")  # cold: many seconds of black
    time.sleep(2.0)
    assert proc.poll() is None, "generation finished before the signal; the test needs a slower run"
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert write.read_tree(out / "client") == before
    if sig == signal.SIGINT:
        assert sorted(p.name for p in out.iterdir()) == ["client"]  # nothing staged left behind


def test_recover_finishes_an_interrupted_swap(tmp_path: Path) -> None:
    retired = tmp_path / write.RETIRED.format("pkg")
    retired.mkdir()
    (retired / "a.py").write_text("x = 1\n")
    (tmp_path / write.STAGING.format("pkg")).mkdir()
    write.recover(tmp_path, "pkg")
    assert write.read_tree(tmp_path / "pkg") == {"a.py": b"x = 1\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_only_changed_files_are_rewritten_and_stale_ones_removed(tmp_path: Path) -> None:
    first = write.write_package(tmp_path, "pkg", {"a.py": b"a\n", "b.py": b"b\n", "sub/c.py": b"c\n"})
    assert first.written == ("a.py", "b.py", "sub/c.py")
    stat_a = (tmp_path / "pkg" / "a.py").stat()
    second = write.write_package(tmp_path, "pkg", {"a.py": b"a\n", "b.py": b"B\n"})
    assert second.written == ("b.py",) and second.removed == ("sub/c.py",)
    assert (tmp_path / "pkg" / "a.py").stat().st_mtime_ns == stat_a.st_mtime_ns  # untouched
    assert write.read_tree(tmp_path / "pkg") == {"a.py": b"a\n", "b.py": b"B\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


@pytest.mark.parametrize("bad", ["../x.py", "/etc/x.py", "a/../../x.py", ""])
def test_paths_outside_the_package_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        write.write_package(tmp_path / "out", "pkg", {bad: b"x"})
    assert not (tmp_path / "x.py").exists()
