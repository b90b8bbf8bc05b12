"""Streamed and negotiated responses through a generated client, against a real server.

tests/specs/responses.yaml is generated into a temporary folder (and type-checked with
mypy --strict); tests/runtime/response_server.py (Starlette under uvicorn) runs in its
own process on 127.0.0.1, on a free port, and is stopped by its PID. Every test is
bounded in time.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.config import Job
from generator.pipeline import generate
from generator.write import write_package

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "responses.yaml"
SERVER = Path(__file__).with_name("response_server.py")
PACKAGE = "resp_client"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("responses")
    result = generate(Job(SPEC, folder, PACKAGE), run_validator=False)
    write_package(folder, PACKAGE, result.files)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", PACKAGE],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout
    return folder


@pytest.fixture(scope="module")
def pkg(out: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(out))
    try:
        import resp_client

        yield resp_client
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, str(SERVER)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port: list[str] = []
        reader = threading.Thread(
            target=lambda: port.append(proc.stdout.readline() if proc.stdout else ""), daemon=True
        )
        reader.start()
        reader.join(30)
        assert port and port[0].strip().isdigit(), "the server did not start within 30 s"
        yield f"http://127.0.0.1:{port[0].strip()}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture
def client(pkg: ModuleType, url: str) -> Iterator[Any]:
    with pkg.Client(base_url=url, timeout=20) as c:
        yield c


def run_async(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, 60))


# -- Server-Sent Events ---------------------------------------------------------------


def expected_chat_events(pkg: ModuleType) -> list[tuple[Any, str, str | None, int | None]]:
    from resp_client.models import ChatChunk

    return [
        (ChatChunk(delta="accept=text/event-stream; stream=True", index=0), "start", "1", 1500),
        (ChatChunk(delta="multi-line", index=1), "message", "2", None),
        (ChatChunk(delta="cr", index=2), "message", "2", None),
        (ChatChunk(delta="after ping", index=3), "message", "3", None),
    ]


def test_sse_stream_sync(pkg: ModuleType, client: Any) -> None:
    from resp_client.models import ChatRequest
    from resp_client.streaming import EventStream

    with client.chat.create_chat_stream(ChatRequest(prompt="hi")) as stream:
        assert isinstance(stream, EventStream)
        events = [(e.data, e.event, e.id, e.retry) for e in stream]
    assert events == expected_chat_events(pkg)  # comments, keep-alives, the ping and [DONE] not among them
    assert stream.last_event_id == "3" and stream.retry == 1500
    assert stream.response.is_closed


def test_sse_stream_async(pkg: ModuleType, url: str) -> None:
    from resp_client.models import ChatRequest
    from resp_client.streaming import AsyncEventStream

    async def main() -> list[Any]:
        async with pkg.AsyncClient(base_url=url, timeout=20) as c:
            stream = await c.chat.create_chat_stream(ChatRequest(prompt="hi"))
            assert isinstance(stream, AsyncEventStream)
            async with stream:
                return [(e.data, e.event, e.id, e.retry) async for e in stream]

    assert run_async(main()) == expected_chat_events(pkg)


def test_stream_flag_is_set_by_the_method(pkg: ModuleType, client: Any) -> None:
    from resp_client.models import ChatRequest

    # the caller's own `stream` value never reaches the wire: the method decides
    whole = client.chat.create_chat(ChatRequest(prompt="hi", stream=True))
    assert whole.text == "whole; accept=application/json; stream=False"


def test_undocumented_event_data_is_text_with_lines_joined(client: Any) -> None:
    with client.events.tail_log() as stream:
        assert [e.data for e in stream] == ["plain text\nsecond line"]


def test_error_before_the_stream_raises_the_typed_error(pkg: ModuleType, client: Any) -> None:
    with pytest.raises(pkg.errors.NotFoundError) as caught:
        client.events.listen_events(topic="missing")
    assert caught.value.body == {"detail": "no such topic"}


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_transport_error_during_the_stream(pkg: ModuleType, client: Any, url: str, mode: str) -> None:
    seen: list[Any] = []
    if mode == "sync":
        with pytest.raises(pkg.errors.APIConnectionError), client.events.listen_events(topic="break") as stream:
            for event in stream:
                seen.append(event.data.delta)
    else:

        async def main() -> None:
            async with pkg.AsyncClient(base_url=url, timeout=20) as c:
                async with await c.events.listen_events(topic="break") as stream:
                    async for event in stream:
                        seen.append(event.data.delta)

        with pytest.raises(pkg.errors.APIConnectionError):
            run_async(main())
    assert seen == ["one"]


def test_event_that_does_not_fit_its_type(pkg: ModuleType, client: Any) -> None:
    seen = []
    with pytest.raises(pkg.errors.ResponseValidationError) as caught:
        with client.events.listen_events(topic="bad") as stream:
            for event in stream:
                seen.append(event.data.delta)
    assert seen == ["one"]
    assert caught.value.pointer == "/delta"
    assert "event 2" in str(caught.value) and caught.value.body == {"index": 2}


# -- JSON lines -----------------------------------------------------------------------


def test_watch_stream_sync_and_async(pkg: ModuleType, client: Any, url: str) -> None:
    from resp_client.models import Row, WatchEvent, WatchEventType

    expected = [
        WatchEvent(type=WatchEventType("ADDED"), object=Row(n=1, name="a\u2028b")),
        WatchEvent(type=WatchEventType("MODIFIED"), object=Row(n=2)),
        WatchEvent(type=WatchEventType("DELETED"), object=Row(n=3)),
    ]
    with client.pods.watch_pods() as stream:
        assert list(stream) == expected

    async def main() -> list[Any]:
        async with pkg.AsyncClient(base_url=url, timeout=20) as c, await c.pods.watch_pods() as stream:
            return [item async for item in stream]

    assert run_async(main()) == expected


def test_json_line_that_does_not_fit_its_type(pkg: ModuleType, client: Any) -> None:
    seen = []
    with pytest.raises(pkg.errors.ResponseValidationError) as caught:
        for row in client.pods.export_rows():
            seen.append(row.n)
    assert seen == [1, 2]
    assert caught.value.pointer == "/n" and "line 3" in str(caught.value)


# -- binary ---------------------------------------------------------------------------


def test_binary_whole_and_streamed(pkg: ModuleType, client: Any, tmp_path: Path) -> None:
    assert client.files.download_file("small") == b"hello bytes"
    with client.files.download_file_stream("small") as download:
        assert download.content_type == "application/octet-stream"
        assert download.write_to(tmp_path / "f.bin") == 11
    assert (tmp_path / "f.bin").read_bytes() == b"hello bytes"
    with pytest.raises(pkg.errors.NotFoundError) as caught:
        client.files.download_file_stream("missing")
    from resp_client.models import Problem

    assert caught.value.body == Problem(detail="no such file")


def test_download_cut_short_raises_a_connection_error(pkg: ModuleType, client: Any, url: str) -> None:
    with pytest.raises(pkg.errors.APIConnectionError), client.files.download_file_stream("cut") as download:
        for _ in download.iter_bytes():
            pass

    async def main() -> None:
        async with pkg.AsyncClient(base_url=url, timeout=20) as c:
            async with await c.files.download_file_stream("cut") as download:
                async for _ in download:
                    pass

    with pytest.raises(pkg.errors.APIConnectionError):
        run_async(main())


MEMORY_SCRIPT = textwrap.dedent(
    """\
    import asyncio, sys
    import resp_client

    def peak_kb():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

    url, mode = sys.argv[1], sys.argv[2]
    MB = 1024 * 1024

    def sync():
        with resp_client.Client(base_url=url, timeout=60) as c:
            c.files.download_file("small")  # warm up: httpx, the connection pool
            before = peak_kb()
            total = 0
            with c.files.download_file_stream("big") as download:
                for chunk in download:
                    total += len(chunk)
            streamed = peak_kb() - before
            whole = len(c.files.download_file("big"))  # the meter's control: 100 MB held
            return total, streamed, whole, peak_kb() - before

    async def run_async():
        async with resp_client.AsyncClient(base_url=url, timeout=60) as c:
            await c.files.download_file("small")
            before = peak_kb()
            async with await c.files.download_file_stream("big") as download:
                with open("/dev/null", "wb") as sink:
                    total = await download.write_to(sink)
            streamed = peak_kb() - before
            whole = len(await c.files.download_file("big"))
            return total, streamed, whole, peak_kb() - before

    result = sync() if mode == "sync" else asyncio.run(run_async())
    print(*result)
    """
)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_100_mb_download_keeps_memory_flat(out: Path, url: str, mode: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(out)}
    proc = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, url, mode], capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 0, proc.stderr
    total, streamed_kb, whole, whole_kb = map(int, proc.stdout.split())
    assert total == whole == 100 * 1024 * 1024
    print(
        f"{mode}: peak RSS growth streaming 100 MB: {streamed_kb / 1024:.1f} MB; reading it whole: {whole_kb / 1024:.1f} MB"
    )
    assert streamed_kb < 50 * 1024
    assert whole_kb > 90 * 1024  # the meter sees a body held in memory


# -- several media types ----------------------------------------------------------------


def test_negotiated_response_decodes_by_content_type(pkg: ModuleType, client: Any) -> None:
    from resp_client.models import Row

    assert client.files.get_report() == Row(n=7, name="application/json, text/csv;q=0.9, application/pdf;q=0.8")
    assert client.files.get_report(request_options={"headers": {"Accept": "text/csv"}}) == "n,name\n1,a\n"
    assert client.files.get_report(request_options={"headers": {"Accept": "application/pdf"}}) == b"%PDF-1.7"
    with pytest.raises(pkg.errors.ResponseValidationError) as caught:
        client.files.get_report(request_options={"headers": {"Accept": "image/png"}})
    assert "image/png" in str(caught.value)


# -- the SSE parsing rules, chunk by chunk (httpx.MockTransport) -------------------------

SSE_CASES = {
    "bom only at the very start": ([b"\xef\xbb\xbfdata: a\n\n\xef\xbb\xbfdata: b\n\n"], [("a", "message", None, None)]),
    "a field without colon has an empty value": ([b"data\ndata\n\n"], [("\n", "message", None, None)]),
    "one space after the colon is dropped": ([b"data:  two\n\n"], [(" two", "message", None, None)]),
    "an id with NUL is ignored": ([b"id: a\0b\ndata: x\n\n"], [("x", "message", None, None)]),
    "an empty id resets it": (
        [b"id: 5\ndata: a\n\nid\ndata: b\n\n"],
        [("a", "message", "5", None), ("b", "message", "", None)],
    ),
    "retry must be digits": (
        [b"retry: 12a\ndata: x\n\nretry: 7\ndata: y\n\n"],
        [("x", "message", None, None), ("y", "message", None, 7)],
    ),
    "an unfinished last event is dropped": ([b"data: x\n\ndata: y\n"], [("x", "message", None, None)]),
    "CRLF split across chunks": ([b"data: a\r", b"\ndata: b\r\n\r", b"\n"], [("a\nb", "message", None, None)]),
    "event type reset after dispatch": (
        [b"event: e\ndata: 1\n\ndata: 2\n\n"],
        [("1", "e", None, None), ("2", "message", None, None)],
    ),
    "[DONE] ends the stream": ([b"data: 1\n\ndata: [DONE]\n\ndata: 2\n\n"], [("1", "message", None, None)]),
    "UTF-8 split across chunks, U+2028 kept": ([b"data: \xe2\x80", b"\xa8\n\n"], [("\u2028", "message", None, None)]),
}


@pytest.mark.parametrize("case", list(SSE_CASES))
def test_sse_parsing_rules(pkg: ModuleType, case: str) -> None:
    import httpx

    chunks, expected = SSE_CASES[case]

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["accept"] == "text/event-stream"
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=iter(chunks))

    with pkg.Client(base_url="http://test", http_client=httpx.Client(transport=httpx.MockTransport(handler))) as c:
        with c.events.tail_log() as stream:
            assert [(e.data, e.event, e.id, e.retry) for e in stream] == expected


def test_closing_a_stream_ends_its_iteration(pkg: ModuleType, client: Any) -> None:
    from resp_client.models import ChatRequest

    stream = client.chat.create_chat_stream(ChatRequest(prompt="hi"))
    first = next(stream)
    stream.close()
    assert first.event == "start" and list(stream) == []
    download = client.files.download_file_stream("small")
    download.close()
    assert list(download.iter_bytes()) == []


def test_closing_while_a_read_is_under_way_ends_iteration(pkg: ModuleType) -> None:
    """The caller closes the stream after the first event; the read in progress then fails
    on the closed connection (EBADF, as seen under load): iteration ends, no error. A read
    that fails while the stream is open is still a connection error."""
    import httpx

    def chunks() -> Iterator[bytes]:
        yield b"data: first\n\n"
        raise httpx.ReadError("[Errno 9] Bad file descriptor")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=chunks())

    with pkg.Client(base_url="http://test", http_client=httpx.Client(transport=httpx.MockTransport(handler))) as c:
        stream = c.events.tail_log()
        assert next(stream).data == "first"
        stream.close()
        assert list(stream) == []
        with pytest.raises(pkg.errors.APIConnectionError):
            list(c.events.tail_log())
