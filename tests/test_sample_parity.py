"""Every operation's docs samples, Python and Go, send the same request.

A docs page shows the Python sample and, when the job names a Go module, the Go SDK's
sample of the same call with the same values (`golang/samples.py` reads the Python
samples' values). Both are run against one local recording server and the request each
sends is compared: method, path, query, headers, and the body parsed by its media type.
Run by hand over APIs.guru specs, this found multipart bodies sent empty or as JSON,
multipart/mixed boundaries that did not match, Kubernetes' `*/*` bodies sent as
octet-stream, Accept headers that differed and Go samples that did not compile
(CHANGELOG); the test specs here keep those cases.

What may differ by design, and is normalised: credentials (placeholders that differ per
language; the scheme of `Authorization` is kept), a string parameter without an example
(Go's `"<value>"`, the seed page's style), numbers written `0.0` / `0`, fractions of a
second written with or without trailing zeros, the order of query parameters; and a
Go OAuth2 client-credentials sample, which first asks the token URL for a token (its
last request is the call).
"""

from __future__ import annotations

import ast
import contextlib
import email
import email.policy
import io
import json
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from test_go_target import generate as generate_go
from test_go_target import go_env, go_toolchain, run, user_module

from generator.config import Job
from generator.pipeline import generate
from generator.write import write_package

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "tests" / "specs"
OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
# explicit nulls in a body's example: the Go sample lists them in NullFields (sendgrid,
# vtex); a paginated operation named as its group (zoom's `accounts`: the Go sample
# called `s.AccountsIter.AccountsIter`); a path parameter that is a union (digitalocean's
# `snapshot_id`, an integer or a string: the Go sample named a union constructor that
# does not exist); a binary query parameter (sinao's `invoice`: Python sent `b'data'`)
# and a date-time example that is not RFC 3339 (data2crm's `-0700`: the Go sample panicked,
# as it did for a date-time path parameter without an example, hetras' `businessDay`)
EXTRA = {
    "openapi": "3.0.3",
    "info": {"title": "extra", "version": "1"},
    "paths": {
        "/purchases": {
            "post": {
                "operationId": "create_purchase",
                "tags": ["purchases"],
                "parameters": [
                    {
                        "name": "invoice",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "format": "binary"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"created_at": {"type": "string", "format": "date-time"}},
                            },
                            "example": {"created_at": "2015-01-01T05:18:23-0700"},
                        }
                    },
                },
                "responses": OK,
            }
        },
        "/raw": {  # a `*/*` body without a schema, its example non-ASCII text: the same UTF-8 bytes
            "post": {
                "operationId": "post_raw",
                "tags": ["raw"],
                "requestBody": {"required": True, "content": {"*/*": {"schema": {}, "example": "caf\u00e9"}}},
                "responses": OK,
            }
        },
        "/days/{day}": {  # hetras' `businessDay`: a date-time path parameter without an example
            "get": {
                "operationId": "get_day",
                "tags": ["days"],
                "parameters": [
                    {"name": "day", "in": "path", "required": True, "schema": {"type": "string", "format": "date-time"}}
                ],
                "responses": OK,
            }
        },
        "/snapshots/{snapshot_id}": {
            "get": {
                "operationId": "get_snapshot",
                "tags": ["snapshots"],
                "parameters": [
                    {
                        "name": "snapshot_id",
                        "in": "path",
                        "required": True,
                        "schema": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                        "example": 6372321,
                    }
                ],
                "responses": OK,
            }
        },
        "/accounts": {
            "get": {
                "operationId": "accounts",
                "tags": ["accounts"],
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer"}},  # every-field: page=0
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}},
                ],
                "x-speakeasy-pagination": {
                    "type": "offsetLimit",
                    "inputs": [
                        {"name": "page", "in": "parameters", "type": "page"},
                        {"name": "limit", "in": "parameters", "type": "limit"},
                    ],
                    "outputs": {"results": "$.items"},
                },
                "responses": {
                    "200": {
                        "description": "a page",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"items": {"type": "array", "items": {"type": "string"}}},
                                }
                            }
                        },
                    }
                },
            }
        },
        "/settings": {
            "patch": {
                "operationId": "patch_settings",
                "tags": ["settings"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Settings"},
                            "example": {"enabled": False, "email": None, "count": 3, "sso": None},
                        }
                    },
                },
                "responses": OK,
            }
        },
    },
    "components": {
        "schemas": {
            "Settings": {
                "type": "object",
                "properties": {
                    "enabled": {"type": "boolean"},
                    "email": {"type": "string", "nullable": True},
                    "count": {"type": "integer", "nullable": True},
                    "sso": {"type": "null"},  # vercel's `ssoUserId`: Go's sample sent the string "None"
                },
            }
        }
    },
}


def token_answer(body: bytes, headers: dict[str, str]) -> bytes | None:
    """A Go sample's token request gets a token; anything else nothing (204)."""
    if b"grant_type=client_credentials" in body:
        return b'{"access_token": "t", "token_type": "Bearer", "expires_in": 3600}'
    return None


class Recorder:
    """A local HTTP server keeping every request (method, target, headers, body); it
    answers with the JSON `answer` gives for the request's body and headers, else 204,
    so a sample's call returns (or fails to decode) after its request."""

    def __init__(self, answer: Callable[[bytes, dict[str, str]], bytes | None] = token_answer) -> None:
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size) if size else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                recorder.seen.append((self.command, self.path, headers, body))
                payload = answer(body, headers)
                if payload is not None:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_one

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    rec.server.shutdown()


def _samples(docs: Path) -> list[tuple[str, str, str]]:
    """(page, Python sample, Go sample) of every operation page."""
    out = []
    for page in sorted((docs / "operations").rglob("*.md")):
        text = page.read_text("utf-8")
        python = re.search(r"```python\n(.*?)```", text, re.S)
        go = re.search(r"```go\n(.*?)```", text, re.S)
        assert python and go, page
        out.append((page.relative_to(docs).as_posix(), python.group(1), go.group(1)))
    return out


def _go_program(samples: list[tuple[str, str, str]], url: str, folder: Path) -> None:
    """One program: each sample a function (`<prog> N` runs the N-th), its client pointed
    at the recorder, a loop over pages cut to one page."""
    cases = []
    for i, (page, _, source) in enumerate(samples):
        found = re.search(r":= (\w+)\.New\(", source)
        assert found, page
        pkg = found.group(1)
        if f"{pkg}.WithServerURL(" in source:  # the API's server names no host: the sample's placeholder
            source = re.sub(rf'{pkg}\.WithServerURL\("[^"]*"\)', f'{pkg}.WithServerURL("{url}")', source)
        else:
            source = source.replace(f"{pkg}.New(", f'{pkg}.New({pkg}.WithServerURL("{url}"), ', 1)
        source = source.replace("for {", "for page := 0; page < 1; page++ {").replace('"<value>"', '"__VALUE__"')
        source = source.replace("func main() {", f"func sample{i}() {{", 1)
        (folder / f"sample{i}.go").write_text(source, "utf-8")
        cases.append(f'\tcase "{i}":\n\t\tsample{i}()')
    main = 'package main\n\nimport "os"\n\nfunc main() {\n\tswitch os.Args[1] {\n' + "\n".join(cases) + "\n\t}\n}\n"
    (folder / "main.go").write_text(main, "utf-8")


def _run_python(source: str, page: str, url: str) -> None:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("Client", "AsyncClient"):
            node.keywords = [k for k in node.keywords if k.arg != "base_url"]  # a placeholder `<host>`
            node.keywords.append(ast.keyword("base_url", ast.Constant(url)))
    code = re.sub(r"\bfor (\w+) in (client\.[\w.]+\(.*?\)):", r"for \1 in [next(iter(\2), None)]:", ast.unparse(tree))
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(Exception):
        exec(compile(code, page, "exec"), {})  # the 204 may not decode: the request is what counts


def _same_text(a: str, b: str) -> bool:
    if "__VALUE__" in b:  # Go's "<value>": any text stands there
        pattern = ".*".join(re.escape(piece) for piece in b.split("__VALUE__"))
        return re.fullmatch(pattern, a) is not None
    return _numbers(a) == _numbers(b)


def _numbers(text: str) -> str:
    text = re.sub(r"(?<![\w.])(\d+)\.0(?![\w.])", r"\1", text)
    return re.sub(r"(\.\d*?)0+Z", r"\1Z", text).replace(".Z", "Z")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bytes) and isinstance(b, bytes):
        return _same_text(a.decode("latin-1"), b.decode("latin-1"))
    if isinstance(a, str) and isinstance(b, str):
        return _same_text(a, b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _request(record: tuple[str, str, dict[str, str], bytes]) -> dict[str, Any]:
    method, target, headers, body = record
    target = re.sub(r"=%3C[^&]*%3E", "=<credential>", target, flags=re.I)
    url = urlsplit(target)
    kept = {
        k: v
        for k, v in headers.items()
        if k not in ("user-agent", "accept-encoding", "content-length", "host", "connection")
    }
    if "authorization" in kept:
        kept["authorization"] = kept["authorization"].split(" ")[0]
    kept = {k: "<credential>" if re.fullmatch(r"<[^>]*>", v) else v for k, v in kept.items()}
    if "cookie" in kept:
        kept["cookie"] = re.sub(r"%3C[^;]*%3E", "<credential>", kept["cookie"], flags=re.I)
    ctype = kept.pop("content-type", "")
    media = ctype.split(";")[0].strip().lower()
    parsed: Any = body
    if not body:
        parsed = None
    elif media.endswith("json"):
        parsed = json.loads(body)
    elif media == "application/x-www-form-urlencoded":
        parsed = sorted(parse_qsl(body.decode(), keep_blank_values=True))
    elif media.startswith("multipart/"):
        message = email.message_from_bytes(f"Content-Type: {ctype}\r\n\r\n".encode() + body, policy=email.policy.HTTP)
        parsed = sorted(
            (
                (str(part.get("Content-Disposition")), part.get("Content-Type"), part.get_payload(decode=True))
                for part in message.iter_parts()
            ),
            key=repr,
        )
    return {
        "method": method,
        "path": url.path,
        "query": sorted(parse_qsl(url.query, keep_blank_values=True)),
        "headers": kept,
        "content_type": media,
        "body": parsed,
    }


def _spec(name: str, tmp: Path) -> Path:
    if name == "extra":
        path = tmp / "extra.json"
        path.write_text(json.dumps(EXTRA, indent=1), "utf-8")
        return path
    if name in ("inheritance", "directions", "constants", "authorization"):
        return ROOT / "tests" / "go" / name / f"{name}.yaml"
    return SPECS / f"{name}.yaml"


def _every_field(monkeypatch: pytest.MonkeyPatch) -> None:
    """Samples that set every optional parameter and request field (docs samples set the
    required ones and those the spec illustrates): the wire of all of them is compared.
    Found this way: a page-number iterator given `page=0` started at page 1."""
    from generator.emit import samples

    shows, value = samples.Samples.shows_optional, samples.Samples.parameter_value

    def shows_optional(self: samples.Samples, f: Any, direction: str, stack: tuple[str, ...]) -> bool:
        if direction != "request":
            return shows(self, f, direction, stack)
        cycle = self.leads_back(f.type, stack)
        return not (f.read_only or f.deprecated or cycle) and len(stack) <= samples.MAX_DEPTH

    def parameter_value(self: samples.Samples, p: Any) -> Any:
        given = value(self, p)
        return self._placeholder(p.type, "request", ()) if given is samples.NO_VALUE and not p.deprecated else given

    monkeypatch.setattr(samples.Samples, "shows_optional", shows_optional)
    monkeypatch.setattr(samples.Samples, "parameter_value", parameter_value)


@pytest.mark.parametrize("every_field", [False, True], ids=["docs", "every-field"])
@pytest.mark.parametrize(
    "name",
    ["wire", "constructs", "security", "responses", "extra", "inheritance", "directions", "constants", "authorization"],
)
def test_python_and_go_samples_send_the_same_request(
    name: str, every_field: bool, go_toolchain: str, recorder: Recorder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _spec(name, tmp_path)
    package, module = f"parity_{name}", f"example.com/parity{name}"
    if every_field:  # another package: the finished-file cache never serves the docs run's pages
        _every_field(monkeypatch)
        package, module = f"full_{name}", f"example.com/full{name}"
    py = tmp_path / "py"
    write_package(py, package, generate(Job(spec, py, package, go_module=module), run_validator=False).files)
    sdk = generate_go(spec, tmp_path / "go", module)
    samples = _samples(py / package / "docs")
    if every_field and name == "wire":  # the optional cookie parameter is set only in this mode
        assert any("session=" in python for _, python, _ in samples)
    program = user_module(tmp_path / "samples", "samples", sdk, module)
    _go_program(samples, recorder.url, program)
    run([go_toolchain, "build", "-o", "samples.bin", "."], program, go_env(tmp_path))
    sys.path.insert(0, str(py))
    try:
        differences = []
        for i, (page, python, _) in enumerate(samples):
            recorder.seen.clear()
            _run_python(python, page, recorder.url)
            from_python = list(recorder.seen)
            recorder.seen.clear()
            subprocess.run([str(program / "samples.bin"), str(i)], capture_output=True, timeout=60)
            from_go = list(recorder.seen)
            if not from_python and not from_go:  # both refuse before sending (missing credentials)
                continue
            assert from_python and from_go, f"{page}: {len(from_python)} Python and {len(from_go)} Go requests"
            a, b = _request(from_python[-1]), _request(from_go[-1])
            if not _same(a, b):
                differences.append(f"{page}:\n  python {a}\n  go     {b}")
    finally:
        sys.path.remove(str(py))
        for key in [k for k in sys.modules if k == package or k.startswith(package + ".")]:
            del sys.modules[key]
    assert not differences, "\n".join(differences)
