"""Paths shared by the tests (importable by name, unlike conftest.py)."""

from __future__ import annotations

import contextlib
import importlib
import os
import textwrap
from collections.abc import Iterator
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


def get_operation_yaml(path: str, op_id: str, params: str, response: str, headers: str = "") -> str:
    """A `paths` entry (YAML, indented for `paths:`): a GET in tag `things` answering 200
    with JSON `response` (and the `headers:` line `headers`, if any)."""
    head = f"\n                    {headers}" if headers else ""
    return textwrap.indent(
        textwrap.dedent(
            f"""\
            {path}:
              get:
                operationId: {op_id}
                tags: [things]
                parameters: {params}
                responses:
                  "200":
                    description: ok{head}
                    content: {{application/json: {{schema: {response}}}}}
            """
        ),
        "  ",
    )


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


def mypy_error_lines(package: Any, user: Path, code: str) -> list[str]:
    """The line numbers `mypy --strict` reports errors on in `code`, written to `user` and
    checked beside the generated `package` (a module imported by `strict_client`)."""
    import subprocess
    import sys

    user.write_text(code, "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        cwd=Path(package.__file__).parent.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return [line.split(": error: ")[0].rsplit(":", 1)[-1] for line in proc.stdout.splitlines() if ": error: " in line]


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


class JsonHandler(BaseHTTPRequestHandler):
    """A quiet HTTP/1.1 handler for test servers, answering JSON with `_send`."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        import json

        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)


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


def rss_kib() -> int:
    """This process's resident memory (Linux: `VmRSS` of /proc/self/status), in KiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@contextlib.contextmanager
def echo_server() -> Iterator[str]:
    """`tests/wire_echo_server.py` (Starlette under uvicorn) on a free 127.0.0.1 port, waited
    for with a bound and stopped by its PID; yields its base URL."""
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proc = subprocess.Popen([sys.executable, str(Path(__file__).parent / "wire_echo_server.py"), str(port)])
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/ping", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the echo server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
