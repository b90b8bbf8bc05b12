"""Interrupting or racing `generate` never leaves a half-written package, never hangs,
never prints a traceback; writes stay inside the package.

Every stage is interrupted for real: SDKGEN_TEST_STAGE names a stage at which the
generator announces itself on stderr and pauses (generator/processes.py `reached`), and
the test sends SIGINT, SIGTERM or SIGKILL the moment the announcement arrives.
"""

from __future__ import annotations

import fcntl
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ROOT, SEED_SPEC, shared_specs_dir

from generator import write

PROMPT = 3.0  # seconds an interrupted run may take to exit (it takes about 0.01 s)


def _env(cache: Path, stage: str | None = None) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(cache))
    env.pop("SDKGEN_TEST_STAGE", None)
    if stage is not None:
        env["SDKGEN_TEST_STAGE"] = stage
    return env


def _start(*args: str | Path, cache: Path, stage: str | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *map(str, args)],
        env=_env(cache, stage),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as at a terminal: a shell's background job inherits SIGINT ignored, and Python
        # then installs no KeyboardInterrupt handler (Ctrl-C would not reach it anyway)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _generate(spec: Path, out: Path, cache: Path, stage: str | None = None) -> subprocess.Popen[str]:
    return _start("generate", spec, "-o", out, "-p", "client", "-q", cache=cache, stage=stage)


def _run(*args: str | Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        env=_env(cache),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _wait_for_line(proc: subprocess.Popen[str], wanted: str, timeout: float) -> list[str]:
    """stderr lines up to and including `wanted` (the process keeps running)."""
    assert proc.stderr is not None
    seen: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            if wanted in line:
                found.set()
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not found.wait(timeout):
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"never saw {wanted!r}; exit {proc.returncode}\n{''.join(seen)}{err}")
    return seen


def _processes_mentioning(marker: str) -> list[int]:
    """PIDs whose command line holds `marker` (pool workers are forks: same command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                status = (entry / "status").read_text()
            except OSError:
                continue
            if marker.encode() in cmdline and "State:\tZ" not in status:
                found.append(int(entry.name))
    return found


def _assert_no_workers_left(marker: str) -> None:
    deadline = time.monotonic() + 10
    while _processes_mentioning(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_mentioning(marker) == [], "worker processes outlived the interrupted run"


def _medium_spec(path: Path, models: int = 40) -> Path:
    """A spec big enough to give the pool work, small enough to generate in seconds."""
    schemas = "".join(
        f"""
    Thing{i}:
      type: object
      required: [id]
      properties:
        id: {{type: string, format: uuid}}
        name: {{type: string, description: "Name of thing {i}."}}
        count: {{type: integer, minimum: 0}}
        tags: {{type: array, items: {{type: string}}}}
        next: {{$ref: '#/components/schemas/Thing{(i + 1) % models}'}}
"""
        for i in range(models)
    )
    paths = "".join(
        f"""
  /things{i}/{{id}}:
    get:
      operationId: getThing{i}
      tags: [group{i % 7}]
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      responses:
        "200":
          description: The thing.
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing{i}'}}
"""
        for i in range(models)
    )
    path.write_text(
        "openapi: 3.1.0\ninfo: {title: Medium, version: '1'}\n"
        "servers: [{url: 'https://api.example.com'}]\n"
        f"paths:{paths}components:\n  schemas:{schemas}",
        "utf-8",
    )
    return path


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding the seed client, and its files."""
    out = tmp_path / "out"
    first = _generate(SEED_SPEC, out, tmp_path / "seed-cache")
    assert first.wait(120) == 0, first.communicate()
    before = write.read_tree(out / "client")
    assert before
    return out, before


STAGES_MEDIUM = ["validate", "build", "render", "write"]
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]


def _interrupt_at(stage: str, spec: Path, out: Path, cache: Path, sig: signal.Signals) -> tuple[int, str, float]:
    proc = _generate(spec, out, cache, stage=stage)
    seen = _wait_for_line(proc, f"sdkgen-test: reached {stage}", timeout=300)
    sent = time.monotonic()
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=PROMPT * 4)
    except subprocess.TimeoutExpired:
        proc.kill()
        for pid in _processes_mentioning(str(out)):  # a worker left alive holds our pipes open
            os.kill(pid, signal.SIGKILL)
        proc.communicate(timeout=10)
        pytest.fail(f"the run (or a worker it left) did not exit after {sig.name} at {stage}")
    return proc.returncode, "".join(seen) + err, time.monotonic() - sent


def _assert_interrupted_cleanly(code: int, stderr: str, elapsed: float, sig: signal.Signals) -> None:
    assert code != 0
    assert elapsed < PROMPT, f"took {elapsed:.1f} s to exit"
    assert "Traceback" not in stderr, stderr
    if sig != signal.SIGKILL:
        assert code == 130, stderr
        assert "interrupted" in stderr, stderr


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
@pytest.mark.parametrize("stage", STAGES_MEDIUM)
def test_interrupting_each_stage_leaves_the_previous_output_byte_identical(
    tmp_path: Path, seeded: tuple[Path, dict[str, bytes]], stage: str, sig: signal.Signals
) -> None:
    out, before = seeded
    spec = _medium_spec(tmp_path / "medium.yaml")
    code, stderr, elapsed = _interrupt_at(stage, spec, out, tmp_path / "cold-cache", sig)
    _assert_interrupted_cleanly(code, stderr, elapsed, sig)
    _assert_no_workers_left(str(out))
    assert write.read_tree(out / "client") == before
    if sig != signal.SIGKILL:
        assert "the previous output is unchanged" in stderr
        assert sorted(p.name for p in out.iterdir()) == ["client"]  # nothing staged left behind
    else:  # a killed run cleans nothing; the next run does, and the old package survives
        write.recover(out, "client")
        assert sorted(p.name for p in out.iterdir()) == ["client"]
        assert write.read_tree(out / "client") == before


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
@pytest.mark.parametrize("stage", ["validate", "format-pool"])
def test_interrupting_the_pool_exits_at_once(
    tmp_path: Path, seeded: tuple[Path, dict[str, bytes]], stage: str, sig: signal.Signals
) -> None:
    """The review's hang: a cold run of a large spec, interrupted while the worker pool
    validates (seconds of work) or formats (large chunks queued), printed a traceback
    and never exited. The workers are killed, not waited for."""
    out, before = seeded
    big = shared_specs_dir() / "polar-2025-01.openapi.json"
    code, stderr, elapsed = _interrupt_at(stage, big, out, tmp_path / "cold-cache", sig)
    _assert_interrupted_cleanly(code, stderr, elapsed, sig)
    _assert_no_workers_left(str(out))
    assert write.read_tree(out / "client") == before
    if sig != signal.SIGKILL:
        assert sorted(p.name for p in out.iterdir()) == ["client"]


@pytest.mark.parametrize("how", ["staged", "patched"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_signal_during_the_swap_waits_for_it_and_says_the_new_output_is_complete(
    tmp_path: Path, sig: signal.Signals, how: str
) -> None:
    """The whole package swapped in (a new spec over the seed's client), or a few files
    patched in place (one description edited): either way the signal waits for the end."""
    out = tmp_path / "out"
    medium = _medium_spec(tmp_path / "medium.yaml")
    first = _generate(SEED_SPEC if how == "staged" else medium, out, tmp_path / "cache")
    assert first.wait(120) == 0, first.communicate()
    before = write.read_tree(out / "client")
    spec = medium if how == "staged" else _one_description_edited(medium)
    code, stderr, _ = _interrupt_at("swap", spec, out, tmp_path / "cache", sig)
    assert code == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert "the new output was already complete" in stderr
    assert sorted(p.name for p in out.iterdir()) == ["client"]
    assert write.read_tree(out / "client") != before
    check = _run("check", spec, "-o", out, "-p", "client", "--full", cache=tmp_path / "cache")
    assert check.returncode == 0, check.stdout + check.stderr  # complete, and exactly right


def test_killing_the_swap_between_its_renames_is_undone_by_the_next_run(
    tmp_path: Path, seeded: tuple[Path, dict[str, bytes]]
) -> None:
    out, before = seeded
    spec = _medium_spec(tmp_path / "medium.yaml")
    code, _, _ = _interrupt_at("swap", spec, out, tmp_path / "cache", signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert not (out / "client").exists()  # killed after the old package was moved aside
    again = _run("generate", SEED_SPEC, "-o", out, "-p", "client", "-q", cache=tmp_path / "cache")
    assert again.returncode == 0, again.stderr
    assert "0 changed" in again.stderr  # the old package was put back, then found current
    assert write.read_tree(out / "client") == before
    assert sorted(p.name for p in out.iterdir()) == ["client"]


# -- concurrent runs ---------------------------------------------------------------------


@pytest.fixture
def held_lock(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    out = tmp_path / "locked-out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield out, fd
    finally:
        os.close(fd)


def test_a_second_writer_waits_for_the_lock_and_says_so(tmp_path: Path, held_lock: tuple[Path, int]) -> None:
    out, fd = held_lock
    proc = _generate(SEED_SPEC, out, tmp_path / "cache")
    _wait_for_line(proc, "another sdkgen run is writing here; waiting", timeout=120)
    time.sleep(0.5)
    assert proc.poll() is None  # still waiting
    assert not (out / "client").exists()
    fcntl.flock(fd, fcntl.LOCK_UN)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert (out / "client" / "__init__.py").exists()


def test_ctrl_c_while_waiting_for_the_lock_exits_cleanly(tmp_path: Path, held_lock: tuple[Path, int]) -> None:
    out, _ = held_lock
    proc = _generate(SEED_SPEC, out, tmp_path / "cache")
    _wait_for_line(proc, "waiting for it to finish", timeout=120)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=PROMPT)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert sorted(p.name for p in out.iterdir()) == []


def test_two_generates_on_one_output_never_leave_a_partial_package(tmp_path: Path) -> None:
    """The review saw both runs exit 0 over a package holding a third of its files."""
    medium = _medium_spec(tmp_path / "medium.yaml")
    cache = tmp_path / "cache"
    expected = {}
    for name, spec in (("seed", SEED_SPEC), ("medium", medium)):
        ref = _generate(spec, tmp_path / f"ref-{name}", cache)
        assert ref.wait(300) == 0, ref.communicate()
        expected[name] = write.read_tree(tmp_path / f"ref-{name}" / "client")
    out = tmp_path / "out"
    for _ in range(3):
        runs = [_generate(SEED_SPEC, out, cache), _generate(medium, out, cache)]
        for proc in runs:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == 0 and "Traceback" not in err, err
        assert write.read_tree(out / "client") in (expected["seed"], expected["medium"])
        assert sorted(p.name for p in out.iterdir()) == ["client"]


def test_check_racing_generate_never_crashes(tmp_path: Path) -> None:
    """`check` reads under a shared lock, so it never sees a package mid-swap."""
    medium = _medium_spec(tmp_path / "medium.yaml")
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = _generate(SEED_SPEC, out, cache)
    assert first.wait(300) == 0, first.communicate()
    stop = threading.Event()
    swaps: list[int] = []

    def keep_swapping() -> None:
        specs = [medium, SEED_SPEC]
        while not stop.is_set():
            proc = _generate(specs[len(swaps) % 2], out, cache)
            proc.communicate(timeout=300)
            swaps.append(proc.returncode)

    writer = threading.Thread(target=keep_swapping)
    writer.start()
    try:
        results = []
        deadline = time.monotonic() + 60
        while (len(swaps) < 4 or len(results) < 8) and time.monotonic() < deadline:
            results.append(_run("check", SEED_SPEC, "-o", out, "-p", "client", cache=cache))
    finally:
        stop.set()
        writer.join(300)
    assert swaps and all(code == 0 for code in swaps), swaps
    for result in results:
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr, result.stderr


# -- writes stay inside the package --------------------------------------------------------


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


def test_read_tree_reads_files_and_file_links_skips_caches_and_folder_links(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    (root / "sub" / "__pycache__").mkdir(parents=True)
    (root / "a.py").write_bytes(b"a\n")
    (root / "sub" / "b.md").write_bytes(b"b\n")
    (root / "sub" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "c.py").write_bytes(b"c\n")
    (root / "linked").symlink_to(tmp_path / "elsewhere")  # a folder link: not followed
    (root / "c_link.py").symlink_to(tmp_path / "elsewhere" / "c.py")  # a file link: read
    (root / "dangling.py").symlink_to(tmp_path / "missing.py")  # a broken link: skipped
    tree = write.read_tree(root)
    assert list(tree) == ["a.py", "c_link.py", "sub/b.md"]  # sorted, posix paths
    assert tree == {"a.py": b"a\n", "c_link.py": b"c\n", "sub/b.md": b"b\n"}
    assert write.read_tree(tmp_path / "missing") == {}


@pytest.mark.parametrize("bad", ["../x.py", "/etc/x.py", "a/../../x.py", ""])
def test_paths_outside_the_package_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        write.write_package(tmp_path / "out", "pkg", {bad: b"x"})
    assert not (tmp_path / "x.py").exists()


def test_a_worker_whose_parent_died_before_it_started_exits() -> None:
    """The death signal (PR_SET_PDEATHSIG) is armed inside the forked child: a parent
    killed between the fork and that line sends none, and the orphan (then a pool worker)
    waited for work forever, holding the caller's pipes open (a CI run hung on it). The
    child checks its parent."""
    child = textwrap.dedent(
        """
        import os
        from generator import processes
        processes._worker_init_signals(os.getppid() + 1_000_000)  # not our parent: it is gone
        print("still running")
        """
    )
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 1 and done.stdout == "" and done.stderr == "", done.stdout + done.stderr


def _many(n: int, tag: bytes) -> dict[str, bytes]:
    """`n` files over a few folders: enough for the two-thread staging (`write._stage`)."""
    return {f"{folder}/f{i:04d}.py": tag + b" %d\n" % i for i, folder in enumerate(["a", "b", "c/d", "e"] * (n // 4))}


def test_many_files_are_staged_by_two_threads_linking_what_did_not_change(tmp_path: Path) -> None:
    files = _many(4 * write.PARALLEL_STAGING, b"first")
    assert write.write_package(tmp_path, "pkg", files).written == tuple(sorted(files))
    assert write.read_tree(tmp_path / "pkg") == files
    keys = sorted(files)
    edited = {**files, keys[3]: b"edited\n", keys[-3]: b"edited too\n"}  # one in each half
    before = {rel: (tmp_path / "pkg" / rel).stat().st_ino for rel in (keys[0], keys[-1])}
    result = write.write_package(tmp_path, "pkg", edited)
    assert result.written == (keys[3], keys[-3])
    assert write.read_tree(tmp_path / "pkg") == edited
    assert {rel: (tmp_path / "pkg" / rel).stat().st_ino for rel in before} == before  # hard-linked
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_a_failure_in_the_helper_thread_s_half_keeps_the_previous_output(tmp_path: Path) -> None:
    files = _many(4 * write.PARALLEL_STAGING, b"first")
    write.write_package(tmp_path, "pkg", files)
    bad = {**_many(4 * write.PARALLEL_STAGING, b"second"), "z/" + "n" * 300 + ".py": b"x\n"}  # sorted last
    with pytest.raises(write.OutputError, match="too long"):
        write.write_package(tmp_path, "pkg", bad)
    assert write.read_tree(tmp_path / "pkg") == files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]  # no staging folder left behind


# -- a small change is patched in place (write._patch) ------------------------------------


def _tree_ctimes(root: Path) -> dict[str, int]:
    return {rel: (root / rel).stat().st_ctime_ns for rel in write.read_tree(root)}


def test_a_few_changed_files_are_patched_in_place_and_the_rest_left_untouched(tmp_path: Path) -> None:
    files = _many(64, b"first")
    files["gone/only.py"] = b"removed with its folder\n"
    write.write_package(tmp_path, "pkg", files)
    (tmp_path / "pkg" / "gone" / "__pycache__").mkdir()  # left by an import: no obstacle
    (tmp_path / "pkg" / "gone" / "__pycache__" / "only.cpython-311.pyc").write_bytes(b"\0")
    keys = sorted(rel for rel in files if rel.startswith(("a/", "b/", "c/", "e/")))
    edited = {rel: data for rel, data in files.items() if rel != "gone/only.py"}
    edited |= {keys[0]: b"edited\n", keys[-1]: b"edited too\n", "new/deep/added.py": b"added\n"}
    before = _tree_ctimes(tmp_path / "pkg")
    result = write.write_package(tmp_path, "pkg", edited)
    assert result.written == (keys[0], keys[-1], "new/deep/added.py")
    assert result.removed == ("gone/only.py",)
    assert write.read_tree(tmp_path / "pkg") == edited
    assert not (tmp_path / "pkg" / "gone").exists()  # the folder it emptied went too, as after staging
    after = _tree_ctimes(tmp_path / "pkg")
    untouched = [rel for rel in edited if rel in before and rel not in result.written]
    assert len(untouched) == 62
    # staging would have hard-linked them into a new tree: a link changes the inode's ctime
    assert {rel: after[rel] for rel in untouched} == {rel: before[rel] for rel in untouched}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_much_change_is_staged_whole_not_patched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _many(64, b"first")
    write.write_package(tmp_path, "pkg", files)
    patched: list[tuple[str, ...]] = []
    real = write._patch
    monkeypatch.setattr(write, "_patch", lambda *a: patched.append(a[4]) or real(*a))
    keys = sorted(files)
    write.write_package(tmp_path, "pkg", {**files, **dict.fromkeys(keys[:16], b"x\n")})  # a quarter
    assert len(patched) == 1
    write.write_package(tmp_path, "pkg", {**files, **dict.fromkeys(keys[:17], b"y\n")})  # more
    assert len(patched) == 1
    write.write_package(tmp_path, "pkg", files)  # 17 changes back: staged
    assert len(patched) == 1
    write.write_package(tmp_path, "pkg", {**files, "tiny/x.py": b"x\n"})
    assert len(patched) == 2
    turned = {**files, "tiny": b"a file where a folder was\n"}  # two changes, but staged
    write.write_package(tmp_path, "pkg", turned)
    assert len(patched) == 2
    assert write.read_tree(tmp_path / "pkg") == turned
    back = {**files, "tiny/x.py": b"x\n"}  # and back: a file turned into a folder
    write.write_package(tmp_path, "pkg", back)
    assert len(patched) == 2
    assert write.read_tree(tmp_path / "pkg") == back
    # where a new file goes, something the listing skips: staged, which replaces it
    for added, obstacle in (("empty.py", "an empty folder"), ("dangling/y.py", "a broken link")):
        if obstacle == "an empty folder":
            (tmp_path / "pkg" / "empty.py").mkdir()
        else:
            (tmp_path / "pkg" / "dangling").symlink_to(tmp_path / "missing")
        before = len(patched)
        write.write_package(tmp_path, "pkg", {**back, added: b"y\n"})
        assert len(patched) == before, obstacle
        assert write.read_tree(tmp_path / "pkg") == {**back, added: b"y\n"}
        write.write_package(tmp_path, "pkg", back)


class _Crash(BaseException):
    """Stands for the process dying at this point (nothing after it runs)."""


def test_a_failure_while_patching_puts_the_old_files_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _many(64, b"first")
    write.write_package(tmp_path, "pkg", files)
    before = write.read_tree(tmp_path / "pkg")
    keys = sorted(files)

    def fail(stage: str) -> None:
        if stage == "swap":  # the old files are aside, the new ones not in yet
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "reached", fail)
    with pytest.raises(write.OutputError, match="No space left"):
        write.write_package(tmp_path, "pkg", {**files, keys[0]: b"edited\n", "z/new.py": b"new\n"})
    assert write.read_tree(tmp_path / "pkg") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


@pytest.mark.parametrize("moved_in", [0, 1, 2], ids=["none-moved-in", "one-moved-in", "all-moved-in"])
def test_a_patch_that_died_midway_is_undone_by_recover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moved_in: int
) -> None:
    """The process dies (SIGKILL, power) while moving files: the journal stays, and the
    next run's `recover` puts back exactly the previous package."""
    files = _many(64, b"first")
    files["gone/only.py"] = b"to be removed\n"
    write.write_package(tmp_path, "pkg", files)
    before = write.read_tree(tmp_path / "pkg")
    keys = sorted(files)
    edited = {rel: data for rel, data in files.items() if rel != "gone/only.py"}
    edited |= {keys[0]: b"edited\n", "z/new.py": b"new\n"}
    real_rename, renames = os.rename, []

    def dying_rename(src: object, dst: object) -> None:
        if str(src).startswith(str(tmp_path / write.PATCH.format("pkg") / "new")):
            if len(renames) == moved_in:
                raise _Crash
            renames.append(src)
        real_rename(src, dst)  # type: ignore[arg-type]

    def dying_unlink(path: object) -> None:
        if str(path).endswith(write.JOURNAL):  # every file moved, the commit not made
            raise _Crash
        real_unlink(path)  # type: ignore[arg-type]

    real_unlink = os.unlink
    monkeypatch.setattr(write.os, "rename", dying_rename)
    monkeypatch.setattr(write.os, "unlink", dying_unlink)
    monkeypatch.setattr(write, "_roll_back", lambda *a: (_ for _ in ()).throw(_Crash()))  # dies there too
    with pytest.raises(_Crash):
        write.write_package(tmp_path, "pkg", edited)
    monkeypatch.undo()
    assert (tmp_path / write.PATCH.format("pkg") / write.JOURNAL).is_file()  # left for the next run
    assert write.read_tree(tmp_path / "pkg") != before
    write.recover(tmp_path, "pkg")
    assert write.read_tree(tmp_path / "pkg") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]
    assert not (tmp_path / "pkg" / "z").exists()  # the folder made for the added file went too


def test_a_patch_that_died_before_its_journal_is_dropped(tmp_path: Path) -> None:
    write.write_package(tmp_path, "pkg", {"a.py": b"a\n"})
    half = tmp_path / write.PATCH.format("pkg") / "new"
    half.mkdir(parents=True)
    (half / "a.py").write_bytes(b"half-staged\n")
    write.recover(tmp_path, "pkg")
    assert write.read_tree(tmp_path / "pkg") == {"a.py": b"a\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


@pytest.fixture
def medium_out(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """An output folder holding the medium spec's client, the spec, and the files."""
    out, spec = tmp_path / "out", _medium_spec(tmp_path / "medium.yaml")
    first = _generate(spec, out, tmp_path / "cache")
    assert first.wait(120) == 0, first.communicate()
    return out, spec, write.read_tree(out / "client")


def _one_description_edited(spec: Path) -> Path:
    edited = spec.with_name("medium-edited.yaml")
    edited.write_text(spec.read_text("utf-8").replace("Name of thing 3.", "The name of thing 3."), "utf-8")
    return edited


def test_killing_a_patch_between_its_moves_is_undone_by_the_next_run(
    tmp_path: Path, medium_out: tuple[Path, Path, dict[str, bytes]]
) -> None:
    out, spec, before = medium_out
    code, stderr, _ = _interrupt_at("swap", _one_description_edited(spec), out, tmp_path / "cache", signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert "Traceback" not in stderr
    assert (out / write.PATCH.format("client") / write.JOURNAL).is_file()  # killed while patching
    assert write.read_tree(out / "client") != before  # the changed files are aside
    again = _run("generate", spec, "-o", out, "-p", "client", "-q", cache=tmp_path / "cache")
    assert again.returncode == 0, again.stderr
    assert "0 changed" in again.stderr  # the old files were put back, then found current
    assert write.read_tree(out / "client") == before
    assert sorted(p.name for p in out.iterdir()) == ["client"]


def test_written_files_get_the_mode_open_gives_them(tmp_path: Path) -> None:
    """Files are created with `os.open` (`write._write_file`), with the mode `open(..., "wb")`
    would give them: 0o666 less the umask, staged or patched."""
    umask = os.umask(0o022)
    os.umask(umask)
    expected = 0o666 & ~umask
    files = _many(64, b"first")
    write.write_package(tmp_path, "pkg", files)
    write.write_package(tmp_path, "pkg", {**files, "a/f0000.py": b"patched\n"})
    modes = {stat.S_IMODE((tmp_path / "pkg" / rel).stat().st_mode) for rel in files}
    assert modes == {expected}
    assert (tmp_path / "pkg" / "a" / "f0000.py").read_bytes() == b"patched\n"
