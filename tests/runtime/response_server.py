"""A Starlette app serving the media types of tests/specs/responses.yaml, run by uvicorn
in its own process: `python response_server.py` binds 127.0.0.1 on a free port, prints
the port on its first line of stdout, and serves until it is terminated.

The streams are written the way real servers write them (comments as keep-alives,
`retry`, `id`, event names, data split over lines, CRLF and lone CR line ends, chunks
that cut lines in half), and what the client sent (`Accept`, the `stream` flag) is
echoed back in the answers so the tests can compare it with what was meant.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

MB = 1024 * 1024


async def chunks(*parts: bytes, pause: float = 0.0) -> AsyncIterator[bytes]:
    for part in parts:
        yield part
        if pause:
            await asyncio.sleep(pause)


async def chat(request: Request) -> Response:
    body = await request.json()
    accept = request.headers.get("accept", "")
    if not body.get("stream"):
        return JSONResponse({"id": "c1", "text": f"whole; accept={accept}; stream={body.get('stream')!r}"})
    first = json.dumps({"delta": f"accept={accept}; stream={body['stream']!r}", "index": 0}).encode()
    return StreamingResponse(
        chunks(
            b"\xef\xbb\xbf: a comment first, then a keep-alive\n",
            b":\n\n",
            b"retry: 1500\n",
            b"id: 1\nevent: start\ndata: " + first + b"\n\n",
            # one JSON value split over three data lines, CRLF line ends, cut mid-line
            b'id: 2\r\ndata: {"delta":\r\ndata: "multi-line",\r\ndata: "index": 1}\r\n\r',
            b"\n",
            # lone CR line ends; a field with no space after the colon; an unknown field
            b'data:{"delta": "cr", "index": 2}\rfoo: ignored\r\r',
            # an event without data is not dispatched; its id still counts
            b"id: 3\nevent: ping\n\n",
            b'data: {"delta": "after ping", "index": 3}\n\n',
            b"data: [DONE]\n\n",
            b'data: {"delta": "after the end", "index": 4}\n\n',
        ),
        media_type="text/event-stream",
    )


async def events(request: Request) -> Response:
    topic = request.query_params.get("topic", "")

    async def body() -> AsyncIterator[bytes]:
        yield b'event: tick\ndata: {"delta": "one", "index": 1}\n\n'
        await asyncio.sleep(0.05)
        if topic == "break":
            raise RuntimeError("the server fails mid-stream")  # uvicorn drops the connection
        if topic == "bad":
            yield b'data: {"index": 2}\n\n'  # `delta` is required
        yield b'data: {"delta": "two", "index": 2}\n\n'

    if topic == "missing":
        return JSONResponse({"detail": "no such topic"}, status_code=404)
    return StreamingResponse(body(), media_type="text/event-stream")


async def log(request: Request) -> Response:
    return StreamingResponse(
        chunks(b"data: plain text\ndata: second line\n\n", b"data: [DONE]\n\n"), media_type="text/event-stream"
    )


async def watch(request: Request) -> Response:
    lines = [
        {"type": "ADDED", "object": {"n": 1, "name": "a\u2028b"}},  # U+2028 raw inside a JSON string
        {"type": "MODIFIED", "object": {"n": 2}},
        {"type": "DELETED", "object": {"n": 3}},
    ]
    data = b"".join(json.dumps(x, ensure_ascii=False).encode() + b"\n" for x in lines)
    # cut the body at odd places (in a line, inside the UTF-8 of U+2028), a blank line
    # between the first two items
    end = data.index(b"\n") + 1
    cut = data.index("\u2028".encode()) + 1
    parts = (data[:7], data[7:cut], data[cut:end], b"\n" + data[end : end + 5], data[end + 5 :])
    return StreamingResponse(chunks(*parts, pause=0.01), media_type="application/json;stream=watch")


async def export(request: Request) -> Response:
    return StreamingResponse(
        chunks(b'{"n": 1}\n{"n": 2, "name": "x"}\r\n{"name": "no n"}\n{"n": 4}\n'), media_type="application/x-ndjson"
    )


async def download(request: Request) -> Response:
    name = request.path_params["name"]
    if name == "missing":
        return JSONResponse({"detail": "no such file"}, status_code=404)
    if name == "small":
        return Response(b"hello bytes", media_type="application/octet-stream")
    if name == "cut":

        async def cut() -> AsyncIterator[bytes]:
            yield b"x" * MB
            raise RuntimeError("the server fails mid-download")

        return StreamingResponse(cut(), media_type="application/octet-stream", headers={"content-length": str(4 * MB)})
    size = int(request.query_params.get("mb", "100")) * MB
    block = bytes(range(256)) * (MB // 256)

    async def body() -> AsyncIterator[bytes]:
        for _ in range(size // MB):
            yield block

    return StreamingResponse(body(), media_type="application/octet-stream", headers={"content-length": str(size)})


async def report(request: Request) -> Response:
    accept = request.headers.get("accept", "")
    first = accept.split(",")[0].split(";")[0].strip()
    if first == "text/csv":
        return PlainTextResponse("n,name\n1,a\n", media_type="text/csv")
    if first == "application/pdf":
        return Response(b"%PDF-1.7", media_type="application/pdf")
    if first == "image/png":
        return Response(b"png", media_type="image/png")
    return JSONResponse({"n": 7, "name": accept})


app = Starlette(
    routes=[
        Route("/chat", chat, methods=["POST"]),
        Route("/events", events),
        Route("/log", log),
        Route("/watch", watch),
        Route("/export", export),
        Route("/files/{name}", download),
        Route("/report", report),
    ]
)


def main() -> None:
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    # listening before the port is announced: a client that connects before uvicorn has
    # started waits in the backlog instead of being refused (seen under load)
    sock.listen(128)
    print(sock.getsockname()[1], flush=True)
    config = uvicorn.Config(app, log_level="error", lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    sys.exit(main())
