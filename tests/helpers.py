"""Paths shared by the tests (importable by name, unlike conftest.py)."""

from __future__ import annotations

import importlib
import os
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
SEED_SPEC = ROOT / "specs" / "customers-update.yaml"
GENERATED = ROOT / "generated"


def shared_specs_dir() -> Path:
    """Polar's published specs: never copied into the project, read where they live."""
    return Path(os.environ.get("SDKGEN_SPECS_DIR", ROOT.parent / "shared" / "specs"))


def strict_client(out: Path, package: str, job: object) -> Any:
    """Generate `job` into `out`, check it with `mypy --strict`, import it (from `out`)."""
    import subprocess
    import sys

    from generator.config import Job
    from generator.pipeline import generate
    from generator.write import write_package

    assert isinstance(job, Job)
    write_package(out, package, generate(job, run_validator=False).files)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout
    sys.path.insert(0, str(out))
    return importlib.import_module(package)


class ServerProcess:
    """A test server script run as its own process: it prints `PORT <n>` once bound on
    127.0.0.1 and serves for `lifetime` seconds at most; `stop()` kills it by PID."""

    def __init__(self, script: Path, lifetime: float = 120) -> None:
        import subprocess
        import sys

        self.proc = subprocess.Popen([sys.executable, str(script), str(lifetime)], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line.startswith("PORT "), line
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.kill()  # by PID: the process this test started
        self.proc.wait(5)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


def serve(handler: type[BaseHTTPRequestHandler]) -> None:
    """The main of a test server script: bind 127.0.0.1 on a free port, print `PORT <n>`,
    serve until killed or for `argv[1]` seconds (120 by default)."""
    import sys
    import threading
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    timer = threading.Timer(float(sys.argv[1]) if len(sys.argv) > 1 else 120.0, server.shutdown)
    timer.daemon = True
    timer.start()
    server.serve_forever()
