"""A generated client under faults: every failure ends in a typed error, never a hang.

A small spec (below) is generated into a temporary package; its sync and async clients
are driven against a real HTTP server on 127.0.0.1 (a raw socket server, so it can stall,
reset, truncate and lie about lengths) and through `httpx.MockTransport` for bodies that
do not fit the documented types. Every call runs under a hard time bound (`LIMIT`), and
every outcome is either a parsed result or an exception of the package's own hierarchy
(`errors.SDKError`), never a bare KeyError/TypeError/ValueError or an httpx exception.
Retry delays are configured tiny through `RetryConfig`, so nothing here sleeps for long.
"""

from __future__ import annotations

import asyncio
import gzip
import importlib
import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.config import Job
from generator.pipeline import generate
from generator.write import write_package

PACKAGE = "faults_client"
LIMIT = 5.0  # seconds: a hard bound on any one call; beyond it the client hung
TIMEOUT = 0.2  # the client's timeout in the stall tests
ITEM_ID = "6f1c2c4e-8f7a-4c55-9a43-2a1e0d3b9c11"
MODES = ["sync", "async"]

SPEC = """
openapi: 3.1.0
info: {title: Faults, version: "1.0"}
servers:
  - {url: "https://faults.invalid"}
security: [{token: []}]
paths:
  /items:
    post:
      operationId: items:create
      tags: [items]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/ItemWrite"}}}
      responses:
        "201": {description: Created., content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
  /items/{item_id}:
    get:
      operationId: items:get
      tags: [items]
      parameters: [{name: item_id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: The item., content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
        "404": {description: No such item., content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
    put:
      operationId: items:replace
      tags: [items]
      parameters: [{name: item_id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/ItemWrite"}}}
      responses:
        "200": {description: Replaced., content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
    patch:
      operationId: items:update
      tags: [items]
      parameters: [{name: item_id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/ItemWrite"}}}
      responses:
        "200": {description: Updated., content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
        "404": {description: No such item., content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
    delete:
      operationId: items:delete
      tags: [items]
      parameters: [{name: item_id, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: Deleted.}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
  schemas:
    Status: {type: string, enum: [active, archived]}
    Owner:
      type: object
      required: [name]
      properties:
        name: {type: string}
        joined: {type: string, format: date}
    Item:
      type: object
      required: [id, created_at, name, status, owner, tags, children, note]
      properties:
        id: {type: string, format: uuid}
        created_at: {type: string, format: date-time}
        name: {type: string}
        status: {$ref: "#/components/schemas/Status"}
        owner: {$ref: "#/components/schemas/Owner"}
        tags: {type: array, items: {type: string}}
        children: {type: array, items: {$ref: "#/components/schemas/Owner"}}
        note: {type: [string, "null"]}
        labels: {type: object, additionalProperties: {$ref: "#/components/schemas/Owner"}}
        extra: {$ref: "#/components/schemas/Open"}
    Open:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
      additionalProperties: true
    ItemWrite:
      type: object
      properties:
        name: {type: string}
    Problem:
      type: object
      required: [detail]
      properties:
        detail: {type: string}
"""


def item_json(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ITEM_ID,
        "created_at": "2024-01-02T03:04:05Z",
        "name": "widget",
        "status": "active",
        "owner": {"name": "ann", "joined": "2020-05-06"},
        "tags": ["a", "b"],
        "children": [{"name": "c1"}, {"name": "c2"}],
        "note": None,
    }
    data.update(changes)
    return data


ITEM_BYTES = json.dumps(item_json()).encode()


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The spec above, generated into a temporary folder and imported."""
    out = tmp_path_factory.mktemp("faults")
    (out / "faults.yaml").write_text(SPEC)
    result = generate(Job(out / "faults.yaml", out, PACKAGE), run_validator=False)
    write_package(out, PACKAGE, result.files)
    sys.path.insert(0, str(out))
    try:
        module = importlib.import_module(PACKAGE)
        importlib.import_module(f"{PACKAGE}.services.items")
        yield module
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


# ---------------------------------------------------------------- a scriptable server

Action = Callable[[socket.socket], None]


@dataclass
class Seen:
    method: str
    path: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class FaultServer:
    """HTTP/1.1 on 127.0.0.1 (a free port): each connection reads one request, records
    it, and runs the next scripted action (the last one repeats)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.actions: list[Action] = []
        self.seen: list[Seen] = []
        self.released = threading.Event()  # set at teardown: stalled handlers return
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    def script(self, *actions: Action) -> FaultServer:
        self.actions = list(actions)
        return self

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:  # the listener was closed
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(LIMIT)
        try:
            seen = read_request(conn)
            if seen is None:
                return
            with self._lock:
                self.seen.append(seen)
                action = self.actions.pop(0) if len(self.actions) > 1 else self.actions[0]
            action(conn)
        except OSError:
            pass  # the client went away (it timed out): nothing to answer
        finally:
            conn.close()

    def close(self) -> None:
        self.released.set()
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self.listener.close()
        self._accepter.join(1.0)
        for thread in self._threads:
            thread.join(1.0)
        assert not self._accepter.is_alive()


def read_request(conn: socket.socket) -> Seen | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    length = 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
        if name.strip().lower() == "content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return Seen(method, path, body, headers)


def head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def respond(status: int, body: bytes = b"", ctype: str = "application/json", **headers: str) -> Action:
    """A complete response, then the connection is closed."""
    hdrs = {"Content-Type": ctype, "Content-Length": str(len(body)), "Connection": "close"}
    hdrs.update({k.replace("_", "-"): v for k, v in headers.items()})

    def act(conn: socket.socket) -> None:
        conn.sendall(head(status, hdrs) + body)

    return act


def ok(status: int = 200) -> Action:
    return respond(status, ITEM_BYTES)


def raw(data: bytes) -> Action:
    """Exactly these bytes, then a clean close (FIN)."""
    return lambda conn: conn.sendall(data)


def reset(conn: socket.socket) -> None:
    """Abort the connection (RST) without answering."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def server_stalls(server: FaultServer) -> Action:
    """Read the request, then answer nothing until the test ends."""

    def act(conn: socket.socket) -> None:
        server.released.wait(LIMIT * 2)

    return act


@pytest.fixture
def server() -> Iterator[FaultServer]:
    srv = FaultServer()
    try:
        yield srv
    finally:
        srv.close()


@pytest.fixture
def refused_url() -> str:
    """A port nothing listens on: connecting is refused at once."""
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def blackhole_url() -> Iterator[str]:
    """A listener whose accept queue is full and never drained: the kernel drops
    further SYNs, so connecting hangs until the client's connect timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(8):
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(filler)
    time.sleep(0.05)  # let the handshakes that fit complete
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


# ---------------------------------------------------------------- calling the client


@dataclass
class Outcome:
    result: Any = None
    error: BaseException | None = None
    elapsed: float = 0.0


def bounded(fn: Callable[[], Any]) -> Outcome:
    """Run fn in a daemon thread; the test fails if it has not returned within LIMIT."""
    outcome = Outcome()

    def run() -> None:
        start = time.monotonic()
        try:
            outcome.result = fn()
        except BaseException as exc:
            outcome.error = exc
        outcome.elapsed = time.monotonic() - start

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(LIMIT)
    if thread.is_alive():
        pytest.fail(f"the client call was still running after {LIMIT} s: it hangs")
    return outcome


def call(
    pkg: ModuleType,
    mode: str,
    op: Callable[[Any], Any],
    *,
    base_url: str = "https://faults.invalid",
    handler: Callable[[httpx.Request], httpx.Response] | None = None,
    token: str = "tok",
    **client_kw: Any,
) -> Outcome:
    """op(client) on a fresh sync or async client (the same lambda serves both: the
    async methods return awaitables), within the hard bound."""
    client_kw.setdefault("timeout", 2.0)
    if mode == "sync":

        def run_sync() -> Any:
            if handler is not None:
                client_kw["http_client"] = httpx.Client(transport=httpx.MockTransport(handler))
            with pkg.Client(token, base_url=base_url, **client_kw) as client:
                return op(client)

        return bounded(run_sync)

    async def run_async() -> Any:
        if handler is not None:
            client_kw["http_client"] = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with pkg.AsyncClient(token, base_url=base_url, **client_kw) as client:
            return await op(client)

    return bounded(lambda: asyncio.run(run_async()))


def failed(pkg: ModuleType, outcome: Outcome, cls: type[BaseException]) -> Any:
    """The outcome's error, which must be exactly `cls`, one of the package's own."""
    err = outcome.error
    assert err is not None, f"expected {cls.__name__}, got the result {outcome.result!r}"
    assert isinstance(err, pkg.errors.SDKError), f"{type(err).__name__} leaked out: {err!r}"
    assert type(err) is cls, f"expected {cls.__name__}, got {type(err).__name__}: {err}"
    assert type(err).__module__ == f"{PACKAGE}.errors"
    return err


def parsed(outcome: Outcome) -> Any:
    if outcome.error is not None:
        raise AssertionError(f"expected a result, got {outcome.error!r}") from outcome.error
    return outcome.result


def tiny_retries(pkg: ModuleType, n: int = 2, **kw: Any) -> Any:
    """Retries whose backoff is a millisecond; Retry-After is capped at 1 s."""
    kw.setdefault("max_retry_after", 1.0)
    return pkg.RetryConfig(max_retries=n, initial_delay=0.001, max_delay=0.002, **kw)


def get(c: Any) -> Any:
    return c.items.get(ITEM_ID)


def patch(c: Any) -> Any:
    from faults_client.models import ItemWrite

    return c.items.update(ITEM_ID, ItemWrite(name="n"))


def post(c: Any) -> Any:
    from faults_client.models import ItemWrite

    return c.items.create(ItemWrite(name="n"))


def put(c: Any) -> Any:
    from faults_client.models import ItemWrite

    return c.items.replace(ITEM_ID, ItemWrite(name="n"))


# ---------------------------------------------------------------- the real server: baseline


@pytest.mark.parametrize("mode", MODES)
def test_real_server_round_trip(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(ok())
    item = parsed(call(pkg, mode, patch, base_url=server.url))
    assert item.id.hex == ITEM_ID.replace("-", "") and item.owner.name == "ann"
    (seen,) = server.seen
    assert (seen.method, seen.path, json.loads(seen.body)) == ("PATCH", f"/items/{ITEM_ID}", {"name": "n"})


# ---------------------------------------------------------------- timeouts


@pytest.mark.parametrize("mode", MODES)
def test_read_timeout_on_a_stalled_server(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(server_stalls(server))
    outcome = call(pkg, mode, get, base_url=server.url, timeout=TIMEOUT)
    err = failed(pkg, outcome, pkg.errors.APITimeoutError)
    assert isinstance(err.__cause__, httpx.ReadTimeout)
    assert err.request is not None and err.request.url.path == f"/items/{ITEM_ID}"
    assert TIMEOUT * 0.9 <= outcome.elapsed < LIMIT / 2
    assert len(server.seen) == 1


@pytest.mark.parametrize("mode", MODES)
def test_connect_timeout(pkg: ModuleType, blackhole_url: str, mode: str) -> None:
    outcome = call(pkg, mode, get, base_url=blackhole_url, timeout=TIMEOUT)
    err = failed(pkg, outcome, pkg.errors.APITimeoutError)
    assert isinstance(err.__cause__, httpx.ConnectTimeout)
    assert outcome.elapsed < LIMIT / 2


@pytest.mark.parametrize("mode", MODES)
def test_per_call_timeout_overrides_the_client(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(server_stalls(server))
    outcome = call(
        pkg, mode, lambda c: c.items.get(ITEM_ID, request_options={"timeout": TIMEOUT}), base_url=server.url, timeout=30
    )
    failed(pkg, outcome, pkg.errors.APITimeoutError)
    assert outcome.elapsed < LIMIT / 2


@pytest.mark.parametrize("mode", MODES)
def test_connection_refused(pkg: ModuleType, refused_url: str, mode: str) -> None:
    err = failed(pkg, call(pkg, mode, get, base_url=refused_url), pkg.errors.APIConnectionError)
    assert isinstance(err.__cause__, httpx.ConnectError)
    assert "Connection error" in str(err) and "tok" not in str(err)


# ---------------------------------------------------------------- broken connections and bodies


BROKEN = {
    # RST right after the request was read
    "reset": reset,
    # clean close before any byte of the response
    "closed before responding": raw(b""),
    # the status line and half the headers
    "closed inside the headers": raw(b"HTTP/1.1 200 OK\r\nContent-Type: appli"),
    # Content-Length promises more than is sent
    "body cut short": raw(head(200, {"Content-Type": "application/json", "Content-Length": "500"}) + ITEM_BYTES[:20]),
    # a chunked body whose last chunk never comes
    "chunked body cut short": raw(
        head(200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        + b"%x\r\n" % len(ITEM_BYTES[:20])
        + ITEM_BYTES[:20]
        + b"\r\n"
    ),
    # not HTTP at all
    "garbage status line": raw(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fault", list(BROKEN))
def test_broken_connections_raise_connection_errors(
    pkg: ModuleType, server: FaultServer, mode: str, fault: str
) -> None:
    server.script(BROKEN[fault])
    err = failed(pkg, call(pkg, mode, get, base_url=server.url), pkg.errors.APIConnectionError)
    assert isinstance(err.__cause__, httpx.TransportError)
    assert len(server.seen) == 1  # retries are opt-in


@pytest.mark.parametrize("mode", MODES)
def test_body_cut_short_without_a_length_is_invalid_json(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    # No Content-Length: the close ends the body, so the client cannot tell it was cut.
    server.script(raw(head(200, {"Content-Type": "application/json", "Connection": "close"}) + ITEM_BYTES[:30]))
    err = failed(pkg, call(pkg, mode, get, base_url=server.url), pkg.errors.ResponseValidationError)
    assert err.status_code == 200 and err.content == ITEM_BYTES[:30]
    assert err.pointer is None and err.body == ITEM_BYTES[:30].decode()
    assert "not valid JSON" in str(err)
    assert isinstance(err.__cause__, json.JSONDecodeError)


@pytest.mark.parametrize("mode", MODES)
def test_bad_content_encoding(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(respond(200, b"this is not gzip", Content_Encoding="gzip"))
    err = failed(pkg, call(pkg, mode, get, base_url=server.url), pkg.errors.APIConnectionError)
    assert isinstance(err.__cause__, httpx.DecodingError)
    assert "Content-Encoding" in str(err)


@pytest.mark.parametrize("mode", MODES)
def test_good_content_encoding_is_decoded(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(respond(200, gzip.compress(ITEM_BYTES), Content_Encoding="gzip"))
    assert parsed(call(pkg, mode, get, base_url=server.url)).name == "widget"


@pytest.mark.parametrize("mode", MODES)
def test_redirect_loop(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(respond(302, b"", Location=f"/items/{ITEM_ID}"))
    err = failed(pkg, call(pkg, mode, get, base_url=server.url), pkg.errors.APIConnectionError)
    assert isinstance(err.__cause__, httpx.TooManyRedirects)
    assert len(server.seen) > 1  # the owned client follows redirects


# ---------------------------------------------------------------- retries


@pytest.mark.parametrize("mode", MODES)
def test_5xx_then_success(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(respond(502, b"<html>bad gateway</html>", "text/html"), respond(503, b"{}"), ok())
    item = parsed(call(pkg, mode, get, base_url=server.url, retries=tiny_retries(pkg)))
    assert item.name == "widget" and len(server.seen) == 3


@pytest.mark.parametrize("mode", MODES)
def test_retry_after_is_honoured(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(respond(503, b"{}", Retry_After="0.2"), ok())
    outcome = call(pkg, mode, get, base_url=server.url, retries=tiny_retries(pkg))
    assert parsed(outcome).name == "widget" and len(server.seen) == 2
    assert outcome.elapsed >= 0.2  # the backoff alone is a millisecond


@pytest.mark.parametrize("mode", MODES)
def test_retry_after_is_capped(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(respond(429, b"{}", Retry_After="3600"), ok())
    retries = tiny_retries(pkg, max_retry_after=0.01)
    outcome = call(pkg, mode, get, base_url=server.url, retries=retries)
    assert parsed(outcome).name == "widget" and outcome.elapsed < 1.0


@pytest.mark.parametrize("mode", MODES)
def test_retries_exhausted(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(respond(503, b'{"detail": "down"}'))
    outcome = call(pkg, mode, get, base_url=server.url, retries=tiny_retries(pkg, 2))
    err = failed(pkg, outcome, pkg.errors.InternalServerError)
    assert err.status_code == 503 and err.body == {"detail": "down"}
    assert len(server.seen) == 3  # the first try and two retries


@pytest.mark.parametrize("mode", MODES)
def test_timeouts_and_resets_retried_for_idempotent_methods(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(server_stalls(server), reset, ok())
    outcome = call(pkg, mode, get, base_url=server.url, timeout=TIMEOUT, retries=tiny_retries(pkg))
    assert parsed(outcome).name == "widget" and len(server.seen) == 3
    server.seen.clear()
    server.script(reset, ok())
    assert parsed(call(pkg, mode, put, base_url=server.url, retries=tiny_retries(pkg))).name == "widget"
    assert [s.method for s in server.seen] == ["PUT", "PUT"] and server.seen[0].body == server.seen[1].body


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", [patch, post], ids=["PATCH", "POST"])
def test_non_idempotent_not_resent_when_the_server_may_have_acted(
    pkg: ModuleType, server: FaultServer, mode: str, op: Callable[[Any], Any]
) -> None:
    retries = tiny_retries(pkg)
    # a read timeout: the server had the request and may have applied it
    server.script(server_stalls(server), ok())
    outcome = call(pkg, mode, op, base_url=server.url, timeout=TIMEOUT, retries=retries)
    failed(pkg, outcome, pkg.errors.APITimeoutError)
    assert len(server.seen) == 1
    # the connection broke after the request was sent
    server.seen.clear()
    server.script(reset, ok())
    failed(pkg, call(pkg, mode, op, base_url=server.url, retries=retries), pkg.errors.APIConnectionError)
    assert len(server.seen) == 1
    # a gateway error says nothing about whether the origin acted
    server.seen.clear()
    server.script(respond(502, b""), ok())
    err = failed(pkg, call(pkg, mode, op, base_url=server.url, retries=retries), pkg.errors.InternalServerError)
    assert err.status_code == 502 and len(server.seen) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", [patch, post], ids=["PATCH", "POST"])
def test_non_idempotent_resent_when_safe(
    pkg: ModuleType, server: FaultServer, mode: str, op: Callable[[Any], Any]
) -> None:
    retries = tiny_retries(pkg)
    status = 201 if op is post else 200
    # 429 (refused, not processed) and a status that asks for a retry with Retry-After
    server.script(respond(429, b"{}"), respond(503, b"{}", Retry_After="0.01"), ok(status))
    assert parsed(call(pkg, mode, op, base_url=server.url, retries=retries)).name == "widget"
    assert len(server.seen) == 3 and len({s.body for s in server.seen}) == 1
    # opting in: the caller knows the API deduplicates
    server.seen.clear()
    server.script(reset, respond(502, b""), ok(status))
    everything = tiny_retries(pkg, retry_non_idempotent=True)
    assert parsed(call(pkg, mode, op, base_url=server.url, retries=everything)).name == "widget"
    assert len(server.seen) == 3


@pytest.mark.parametrize("mode", MODES)
def test_non_idempotent_resent_when_it_never_left(pkg: ModuleType, mode: str) -> None:
    # A connection that could not be made proves the server never saw the request.
    # (MockTransport: a real refused port cannot become reachable between attempts.)
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if len(sent) == 1:
            raise httpx.ConnectError("refused", request=request)
        if len(sent) == 2:
            raise httpx.ConnectTimeout("slow", request=request)
        return httpx.Response(201, content=ITEM_BYTES)

    outcome = call(pkg, mode, post, handler=handler, retries=tiny_retries(pkg))
    assert parsed(outcome).name == "widget" and len(sent) == 3


# ---------------------------------------------------------------- statuses


@pytest.mark.parametrize("mode", MODES)
def test_documented_error_status(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    from faults_client.models import Problem

    server.script(respond(404, b'{"detail": "no such item"}'))
    err = failed(pkg, call(pkg, mode, get, base_url=server.url), pkg.errors.NotFoundError)
    assert err.body == Problem(detail="no such item") and err.status_code == 404
    # the documented model no longer fits: the raw JSON is kept, still typed
    server.script(respond(404, b'{"message": "gone"}'))
    err = failed(pkg, call(pkg, mode, get, base_url=server.url), pkg.errors.NotFoundError)
    assert err.body == {"message": "gone"}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "body", "ctype", "name", "expected"),
    [
        (409, b'{"detail": "busy"}', "application/json", "ConflictError", {"detail": "busy"}),
        (418, b"teapot", "text/plain", "APIError", "teapot"),
        (451, b"", "text/plain", "APIError", None),
        (500, b"<html>oops</html>", "text/html", "InternalServerError", "<html>oops</html>"),
        (500, b"[" * 100_000, "application/json", "InternalServerError", "[" * 100_000),
        (599, b"{}", "application/json", "InternalServerError", {}),
    ],
    ids=["409-json", "418-text", "451-empty", "500-html", "500-too-deep", "599"],
)
def test_undocumented_error_statuses(
    pkg: ModuleType, server: FaultServer, mode: str, status: int, body: bytes, ctype: str, name: str, expected: object
) -> None:
    server.script(respond(status, body, ctype))
    err = failed(pkg, call(pkg, mode, get, base_url=server.url), getattr(pkg.errors, name))
    assert err.status_code == status and err.content == body and err.body == expected
    assert len(str(err)) < 600


@pytest.mark.parametrize("mode", MODES)
def test_redirect_not_followed_by_a_callers_client(pkg: ModuleType, mode: str) -> None:
    handler = lambda r: httpx.Response(301, headers={"Location": "https://elsewhere.invalid/"})  # noqa: E731
    err = failed(pkg, call(pkg, mode, get, handler=handler), pkg.errors.APIError)
    assert err.status_code == 301


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [200, 202, 204])
def test_success_without_a_body(pkg: ModuleType, server: FaultServer, mode: str, status: int) -> None:
    # 202 and 204 are undocumented here: a 2xx still has to carry the documented Item
    server.script(respond(status, b""))
    err = failed(pkg, call(pkg, mode, get, base_url=server.url), pkg.errors.ResponseValidationError)
    assert err.status_code == status and err.body is None and err.pointer == ""
    assert "the body is empty" in str(err)


@pytest.mark.parametrize("mode", MODES)
def test_empty_response_operation_ignores_a_body(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(respond(200, b"<html>deleted</html>", "text/html"))
    assert parsed(call(pkg, mode, lambda c: c.items.delete(ITEM_ID), base_url=server.url)) is None


# ---------------------------------------------------------------- bodies that do not fit


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("body", "ctype"),
    [
        (b"<html><body>Service temporarily unavailable</body></html>", "text/html"),
        (b"OK", "text/plain"),
        (b'{"id": "' + ITEM_ID.encode() + b'", ', "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"[" * 100_000, "application/json"),
        (b"NaNa", "application/json"),
    ],
    ids=["html", "text", "truncated-json", "not-utf8", "too-deep", "bad-literal"],
)
def test_non_json_body_on_a_json_response(pkg: ModuleType, mode: str, body: bytes, ctype: str) -> None:
    handler = lambda r: httpx.Response(200, content=body, headers={"Content-Type": ctype})  # noqa: E731
    err = failed(pkg, call(pkg, mode, get, handler=handler), pkg.errors.ResponseValidationError)
    assert err.status_code == 200 and err.content == body and err.pointer is None
    assert isinstance(err.body, str) and "not valid JSON" in str(err)
    assert err.response is not None and err.request is not None


def mock_item(pkg: ModuleType, mode: str, data: object) -> Outcome:
    body = json.dumps(data).encode()
    handler = lambda r: httpx.Response(200, content=body, headers={"Content-Type": "application/json"})  # noqa: E731
    return call(pkg, mode, get, handler=handler)


@pytest.mark.parametrize("mode", MODES)
def test_extra_fields_are_kept_apart_or_as_declared(pkg: ModuleType, mode: str) -> None:
    from faults_client.models import Item

    data = item_json(
        surprise={"nested": [1, 2]},
        owner={"name": "ann", "new_field": True},
        extra={"kind": "k", "more": {"x": 1}},
    )
    item = parsed(mock_item(pkg, mode, data))
    assert isinstance(item, Item) and item.owner.name == "ann"
    # undeclared keys are kept apart from the fields and written back (issue 15.4)
    assert not hasattr(item, "surprise") and item.unknown_fields == {"surprise": {"nested": [1, 2]}}
    assert item.owner.unknown_fields == {"new_field": True} and item.owner.to_dict()["new_field"] is True
    assert item.to_dict()["surprise"] == {"nested": [1, 2]}
    # a model declaring additionalProperties keeps them
    assert item.extra.additional_properties == {"more": {"x": 1}}
    assert item.extra.to_dict() == {"kind": "k", "more": {"x": 1}}


MISSING = [
    ("/name", lambda d: d.pop("name")),
    ("/owner/name", lambda d: d["owner"].pop("name")),
    ("/children/1/name", lambda d: d["children"][1].pop("name")),
    ("/labels/a~1b~0c/name", lambda d: d.update(labels={"ok": {"name": "x"}, "a/b~c": {}})),
    ("/extra/kind", lambda d: d.update(extra={"other": 1})),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("pointer", "mutate"), MISSING, ids=[m[0] for m in MISSING])
def test_missing_required_field(pkg: ModuleType, mode: str, pointer: str, mutate: Callable[[Any], Any]) -> None:
    data = item_json()
    mutate(data)
    err = failed(pkg, mock_item(pkg, mode, data), pkg.errors.ResponseValidationError)
    assert err.pointer == pointer
    assert f"missing required value at {pointer}" in str(err)
    assert err.status_code == 200 and err.body == data and json.loads(err.content) == data
    assert isinstance(err.__cause__, KeyError)
    assert err.response is not None and err.response.status_code == 200


WRONG = [
    # (pointer, changes to the valid item): a value of the wrong JSON kind or null
    ("/owner", {"owner": "ann"}),
    ("/owner", {"owner": ["ann"]}),
    ("/owner", {"owner": None}),
    ("/children", {"children": {"name": "c1"}}),
    ("/children", {"children": None}),
    ("/children", {"children": "c1"}),  # a string is not read as an array of characters
    ("/children/0", {"children": ["c1"]}),
    ("/id", {"id": None}),
    ("/id", {"id": 42}),
    ("/id", {"id": "not-a-uuid"}),
    ("/created_at", {"created_at": None}),
    ("/created_at", {"created_at": 1700000000}),
    ("/created_at", {"created_at": "2024-13-45T99:00:00Z"}),
    ("/status", {"status": None}),
    ("/status", {"status": ["active"]}),
    ("/owner/joined", {"owner": {"name": "ann", "joined": "yesterday"}}),
    ("/labels", {"labels": ["x"]}),
    ("/extra", {"extra": "k"}),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("pointer", "changes"), WRONG, ids=[f"{p}={json.dumps(c)}" for p, c in WRONG])
def test_wrong_json_types(pkg: ModuleType, mode: str, pointer: str, changes: dict[str, Any]) -> None:
    data = item_json(**changes)
    err = failed(pkg, mock_item(pkg, mode, data), pkg.errors.ResponseValidationError)
    assert err.pointer == pointer, str(err)
    assert f"unexpected value at {pointer}" in str(err)
    assert err.status_code == 200 and err.body == data
    assert isinstance(err.__cause__, (ValueError, TypeError, AttributeError, LookupError))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("data", [[], "ok", 3, True, None], ids=["list", "string", "number", "bool", "null"])
def test_wrong_json_type_for_the_whole_body(pkg: ModuleType, mode: str, data: object) -> None:
    err = failed(pkg, mock_item(pkg, mode, data), pkg.errors.ResponseValidationError)
    assert err.pointer == "" and "at the root" in str(err) and err.body == data


@pytest.mark.parametrize("mode", MODES)
def test_plain_json_values_are_taken_as_sent(pkg: ModuleType, mode: str) -> None:
    # Documented leniency (decoding stays a straight line of lookups): values whose
    # Python type is their JSON type (strings, numbers, booleans, lists/maps of them)
    # are not re-checked, so a server sending the wrong scalar gets a parsed result.
    item = parsed(mock_item(pkg, mode, item_json(name=5, note=["x"], tags=None)))
    assert (item.name, item.note, item.tags) == (5, ["x"], None)


def test_error_body_is_the_plain_parsed_json(pkg: ModuleType) -> None:
    # The pointer comes from re-running the decoder on a traced copy of the JSON; the
    # error must still carry the plain parsed JSON, not that copy.
    data = item_json(children=[{"name": "c1"}, {}], extra={"kind": "k", "more": {"x": [1]}})
    err = failed(pkg, mock_item(pkg, "sync", data), pkg.errors.ResponseValidationError)
    assert err.pointer == "/children/1/name"
    assert type(err.body) is dict and type(err.body["children"]) is list
    assert type(err.body["children"][1]) is dict and type(err.body["extra"]["more"]["x"]) is list


# ------------------------------------------- issue 11: client hardening, against the server


@pytest.mark.parametrize("mode", MODES)
def test_retry_after_outside_range_uses_the_backoff(
    pkg: ModuleType, server: FaultServer, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []

    async def fake_async_sleep(delay: float) -> None:
        slept.append(delay)

    monkeypatch.setattr(pkg._runtime, "_sleep", slept.append)
    monkeypatch.setattr(pkg._runtime, "_async_sleep", fake_async_sleep)
    server.script(
        respond(503, b"{}", Retry_After="0"),
        respond(503, b"{}", Retry_After="-5"),
        respond(503, b"{}", Retry_After="61"),
        ok(),
    )
    retries = pkg.RetryConfig(max_retries=3, initial_delay=0.25, max_delay=0.25, jitter=0.0)
    assert parsed(call(pkg, mode, get, base_url=server.url, retries=retries)).name == "widget"
    assert slept == [0.25, 0.25, 0.25] and len(server.seen) == 4  # never "at once", never 61 s


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", [patch, post], ids=["PATCH", "POST"])
def test_non_idempotent_not_resent_after_504_even_with_retry_after(
    pkg: ModuleType, server: FaultServer, mode: str, op: Callable[[Any], Any]
) -> None:
    server.script(respond(504, b"{}", Retry_After="0.01"), ok())
    err = failed(
        pkg, call(pkg, mode, op, base_url=server.url, retries=tiny_retries(pkg)), pkg.errors.InternalServerError
    )
    assert err.status_code == 504 and len(server.seen) == 1


@pytest.mark.parametrize("mode", MODES)
def test_deadline_bounds_a_stalled_call(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(server_stalls(server))
    outcome = call(pkg, mode, get, base_url=server.url, timeout=5.0, retries=tiny_retries(pkg), deadline=0.4)
    failed(pkg, outcome, pkg.errors.APITimeoutError)
    assert 0.3 <= outcome.elapsed < 2.0  # the 5 s read timeout was cut to the deadline


@pytest.mark.parametrize("mode", MODES)
def test_deadline_stops_retries(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(respond(503, b"{}"))
    retries = pkg.RetryConfig(max_retries=5, initial_delay=0.3, max_delay=0.3, jitter=0.0)
    per_call = lambda c: c.items.get(ITEM_ID, request_options={"deadline": 0.5})  # noqa: E731
    outcome = call(pkg, mode, per_call, base_url=server.url, retries=retries)
    err = failed(pkg, outcome, pkg.errors.InternalServerError)
    # 5 retries 0.3 s apart would be 6 requests over 1.5 s; the 0.5 s deadline allows the
    # first and, unless a loaded machine slowed the first round trip, one retry.
    assert err.status_code == 503 and len(server.seen) in (1, 2) and outcome.elapsed < 1.0


@pytest.mark.parametrize("mode", MODES)
def test_token_with_a_trailing_newline_is_sent_without_it(pkg: ModuleType, server: FaultServer, mode: str) -> None:
    server.script(ok())
    outcome = call(pkg, mode, get, base_url=server.url, token="polar_oat_SECRET\n")
    assert parsed(outcome).name == "widget"
    assert server.seen[0].headers["authorization"] == "Bearer polar_oat_SECRET"


@pytest.mark.parametrize("token", ["polar_oat_SECRET\r\nX-Evil: 1", "polar_oat_SECRET\u00e9"])
def test_bad_token_refused_when_the_client_is_built(pkg: ModuleType, server: FaultServer, token: str) -> None:
    with pytest.raises(pkg.errors.InvalidCredentialError) as info:
        pkg.Client(token, base_url=server.url)
    assert "SECRET" not in str(info.value) and server.seen == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("value", ["", ".", ".."])
def test_dot_segments_never_reach_the_server(pkg: ModuleType, server: FaultServer, mode: str, value: str) -> None:
    server.script(ok())
    outcome = call(pkg, mode, lambda c: c.items.get(value), base_url=server.url)
    assert isinstance(outcome.error, ValueError) and server.seen == []
