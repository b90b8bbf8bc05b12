"""Streamed responses: Server-Sent Events, JSON lines and binary downloads.

Copied verbatim into every generated package (like ``_runtime.py``); depends
only on the standard library and ``httpx``. The classes here are what the
streaming methods of the services return; import them from
``<package>.streaming`` to annotate your own code.

Every stream holds an open HTTP response: use it as a context manager (``with``
/ ``async with``) or iterate it to the end, and the connection is released.
Failures while reading raise the package's errors: a broken or timed-out
connection :class:`~.errors.APIConnectionError` /
:class:`~.errors.APITimeoutError`, an item that does not fit its documented
type :class:`~.errors.ResponseValidationError` (with the item's ``pointer``).
A non-2xx answer raises before any stream is returned.
"""

from __future__ import annotations

import json as _json
import os
import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Generic, Literal, TypeVar

from ._runtime import _DECODE_ERRORS, UNSET, _describe, _finish, _locate, _transport_error
from .errors import ResponseValidationError

if TYPE_CHECKING:
    import httpx

__all__ = [
    "ServerSentEvent",
    "EventStream",
    "AsyncEventStream",
    "JsonLinesStream",
    "AsyncJsonLinesStream",
    "BinaryStream",
    "AsyncBinaryStream",
]

T = TypeVar("T")


# --------------------------------------------------------------------------
# Lines: SSE and JSON lines end a line at CRLF, LF or CR, and nowhere else.
# (str.splitlines, and httpx's line iterator built on it, also split at
# U+2028, U+0085, form feeds...: characters a JSON string or an event's data
# may contain as they are.)

_EOL = re.compile(rb"\r\n|\r|\n")


class _Lines:
    """Incremental bytes -> lines; holds at most one unfinished line."""

    __slots__ = ("_buffer", "_after_cr")

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._after_cr = False

    def feed(self, chunk: bytes) -> list[bytes]:
        if self._after_cr:  # a CR ended the last chunk: its LF may start this one
            self._after_cr = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        lines: list[bytes] = []
        start = 0
        for match in _EOL.finditer(chunk):
            self._buffer += chunk[start : match.start()]
            lines.append(bytes(self._buffer))
            self._buffer.clear()
            start = match.end()
        self._buffer += chunk[start:]
        self._after_cr = chunk.endswith(b"\r")
        return lines

    def rest(self) -> bytes:
        """The unfinished last line (the stream ended without a line break)."""
        rest = bytes(self._buffer)
        self._buffer.clear()
        return rest


# --------------------------------------------------------------------------
# Server-Sent Events (the WHATWG HTML standard, "Parsing an event stream")


@dataclass(frozen=True, slots=True)
class ServerSentEvent(Generic[T]):
    """One dispatched event.

    ``data`` is decoded by the documented type (its lines joined with ``\\n``);
    ``event`` is the event type (``"message"`` unless the server named one);
    ``id`` the last event ID the stream has seen (None if none yet), to resume
    with a ``Last-Event-ID`` header; ``retry`` the reconnection time in
    milliseconds this event's block set, if any.
    """

    data: T
    event: str = "message"
    id: str | None = None
    retry: int | None = None


@dataclass(frozen=True, slots=True)
class _RawEvent:
    data: str
    event: str
    id: str | None
    retry: int | None


class _EventParser:
    """Lines in, raw events out: comments and keep-alives skipped, multi-line
    ``data`` joined, ``id`` kept across events, unknown fields ignored."""

    __slots__ = ("_data", "_event", "_retry", "last_event_id", "retry", "_first")

    def __init__(self) -> None:
        self._data: list[str] = []
        self._event = ""
        self._retry: int | None = None
        self.last_event_id: str | None = None
        self.retry: int | None = None
        self._first = True

    def line(self, raw: bytes) -> _RawEvent | None:
        if self._first:
            self._first = False
            if raw.startswith(b"\xef\xbb\xbf"):  # one leading BOM is ignored
                raw = raw[3:]
        line = raw.decode("utf-8", "replace")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment (keep-alives are sent as comments)
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self.last_event_id = value
        elif name == "retry":
            if value.isascii() and value.isdigit():
                self._retry = self.retry = int(value)
        return None

    def _dispatch(self) -> _RawEvent | None:
        data, event, retry = self._data, self._event, self._retry
        self._data, self._event, self._retry = [], "", None
        if not data:
            return None  # no data field: nothing is dispatched
        return _RawEvent("\n".join(data), event or "message", self.last_event_id, retry)


def _item_error(
    response: httpx.Response, what: str, raw: str, body: object, problem: str, pointer: str | None
) -> ResponseValidationError:
    """The error for one streamed item that does not fit its documented type."""
    request = response.request
    message = (
        f"{response.status_code} {response.reason_phrase} for {request.method} {request.url}: "
        f"{what} does not match the documented type: {problem}"
    )
    error = ResponseValidationError(
        message,
        status_code=response.status_code,
        headers=response.headers,
        content=raw.encode("utf-8"),
        body=body,
        request=request,
        response=response,
    )
    error.pointer = pointer
    return error


def _decode_item(
    response: httpx.Response, what: str, raw: str, decode: Callable[[Any], T], parse_json: bool
) -> T:
    data: object = raw
    if parse_json:
        try:
            data = _json.loads(raw)
        except _DECODE_ERRORS as exc:
            problem = f"not valid JSON ({_describe(exc)})"
            raise _item_error(response, what, raw, raw, problem, None) from exc
    try:
        return decode(data)
    except _DECODE_ERRORS as exc:
        pointer, missing = _locate(decode, data)
        if pointer is None:
            problem = _describe(exc)
        else:
            where = f"at {pointer}" if pointer else "at the root"
            problem = f"missing required value {where}" if missing else f"unexpected value {where} ({_describe(exc)})"
        raise _item_error(response, what, raw, data, problem, pointer) from exc


class _Reading:
    """Around the read loop of a stream: the caller closing the stream (`close()`, the
    `with` block) ends the iteration quietly, also when it closes the connection under a
    read in progress; a transport failure while the stream is open becomes the package's
    connection error."""

    __slots__ = ("response",)

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> bool:
        import httpx

        if isinstance(exc, httpx.StreamClosed):
            return True
        if isinstance(exc, httpx.RequestError):
            if self.response.is_closed:
                return True
            raise _transport_error(exc, self.response.request) from exc
        return False


class _StreamBase:
    __slots__ = ("response",)

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        """The open ``httpx.Response`` (status, headers; its body is being streamed)."""

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    @property
    def content_type(self) -> str | None:
        value: str | None = self.response.headers.get("content-type")
        return value


class _EventsBase(_StreamBase, Generic[T]):
    """What the sync and async event streams share: the parser state and the decoding."""

    __slots__ = ("_decode", "_parse_json", "_terminal", "_parser", "_count")

    def __init__(
        self,
        response: httpx.Response,
        decode: Callable[[Any], T],
        *,
        parse_json: bool = True,
        terminal: str | None = "[DONE]",
    ) -> None:
        super().__init__(response)
        self._decode = decode
        self._parse_json = parse_json
        self._terminal = terminal
        self._parser = _EventParser()
        self._count = 0

    @property
    def last_event_id(self) -> str | None:
        """The last ``id`` the server sent (send it as ``Last-Event-ID`` to resume)."""
        return self._parser.last_event_id

    @property
    def retry(self) -> int | None:
        """The last reconnection time (ms) the server asked for, if any."""
        return self._parser.retry

    def _event(self, raw: _RawEvent) -> ServerSentEvent[T]:
        self._count += 1
        data = _decode_item(self.response, f"event {self._count}", raw.data, self._decode, self._parse_json)
        return ServerSentEvent(data, raw.event, raw.id, raw.retry)

    def _raw_events(self, lines: _Lines, chunk: bytes) -> Iterator[_RawEvent | None]:
        """The events a chunk completes, in order; None for the terminal sentinel (the
        stream ends there). Decoding is left to the caller, one event at a time."""
        for line in lines.feed(chunk):
            raw = self._parser.line(line)
            if raw is None:
                continue
            if self._terminal is not None and raw.data == self._terminal:
                yield None
                return
            yield raw


class EventStream(_EventsBase[T]):
    """Server-Sent Events, iterated as :class:`ServerSentEvent` items.

    ``for event in stream: event.data`` (typed). An event whose ``data`` is
    the terminal sentinel (``[DONE]``) ends the iteration and closes the
    connection, as does the end of the body. Incomplete last events (no
    blank line after them) are dropped, as the SSE standard says.
    """

    __slots__ = ("_iterator",)

    def __init__(
        self,
        response: httpx.Response,
        decode: Callable[[Any], T],
        *,
        parse_json: bool = True,
        terminal: str | None = "[DONE]",
    ) -> None:
        super().__init__(response, decode, parse_json=parse_json, terminal=terminal)
        self._iterator: Iterator[ServerSentEvent[T]] | None = None

    def _events(self) -> Iterator[ServerSentEvent[T]]:
        lines = _Lines()
        try:
            with _Reading(self.response):
                for chunk in self.response.iter_bytes():
                    for raw in self._raw_events(lines, chunk):
                        if raw is None:
                            return
                        if self.response.is_closed:
                            return  # closed by the caller while lines of a chunk were pending
                        yield self._event(raw)
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[ServerSentEvent[T]]:
        return self

    def __next__(self) -> ServerSentEvent[T]:
        if self._iterator is None:
            self._iterator = self._events()
        return next(self._iterator)

    def close(self) -> None:
        """Close the connection (iteration ends)."""
        self.response.close()

    def __enter__(self) -> EventStream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncEventStream(_EventsBase[T]):
    """The async :class:`EventStream`: ``async for event in stream``."""

    __slots__ = ("_iterator",)

    def __init__(
        self,
        response: httpx.Response,
        decode: Callable[[Any], T],
        *,
        parse_json: bool = True,
        terminal: str | None = "[DONE]",
    ) -> None:
        super().__init__(response, decode, parse_json=parse_json, terminal=terminal)
        self._iterator: AsyncIterator[ServerSentEvent[T]] | None = None

    async def _events(self) -> AsyncIterator[ServerSentEvent[T]]:
        lines = _Lines()
        try:
            with _Reading(self.response):
                async for chunk in self.response.aiter_bytes():
                    for raw in self._raw_events(lines, chunk):
                        if raw is None:
                            return
                        if self.response.is_closed:
                            return  # closed by the caller while lines of a chunk were pending
                        yield self._event(raw)
        finally:
            await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[ServerSentEvent[T]]:
        return self

    async def __anext__(self) -> ServerSentEvent[T]:
        if self._iterator is None:
            self._iterator = self._events()
        return await self._iterator.__anext__()

    async def aclose(self) -> None:
        """Close the connection (iteration ends)."""
        await self.response.aclose()

    async def __aenter__(self) -> AsyncEventStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


# --------------------------------------------------------------------------
# JSON lines / NDJSON: one JSON value per line; blank lines are skipped.


class _LinesBase(_StreamBase, Generic[T]):
    """What the sync and async JSON-lines streams share: decoding one line."""

    __slots__ = ("_decode", "_count")

    def __init__(self, response: httpx.Response, decode: Callable[[Any], T]) -> None:
        super().__init__(response)
        self._decode = decode
        self._count = 0

    def _item(self, line: bytes) -> T:
        self._count += 1
        text = line.decode("utf-8", "replace")
        return _decode_item(self.response, f"line {self._count}", text, self._decode, True)


class JsonLinesStream(_LinesBase[T]):
    """JSON lines (NDJSON, ``application/json;stream=watch``...): iterates the
    decoded items, one per line, until the body ends."""

    __slots__ = ("_iterator",)

    def __init__(self, response: httpx.Response, decode: Callable[[Any], T]) -> None:
        super().__init__(response, decode)
        self._iterator: Iterator[T] | None = None

    def _items(self) -> Iterator[T]:
        lines = _Lines()
        try:
            with _Reading(self.response):
                for chunk in self.response.iter_bytes():
                    for line in lines.feed(chunk):
                        if self.response.is_closed:
                            return  # closed by the caller while lines of a chunk were pending
                        if line.strip():
                            yield self._item(line)
                rest = lines.rest()
                if rest.strip():
                    yield self._item(rest)
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._iterator is None:
            self._iterator = self._items()
        return next(self._iterator)

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> JsonLinesStream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncJsonLinesStream(_LinesBase[T]):
    """The async :class:`JsonLinesStream`: ``async for item in stream``."""

    __slots__ = ("_iterator",)

    def __init__(self, response: httpx.Response, decode: Callable[[Any], T]) -> None:
        super().__init__(response, decode)
        self._iterator: AsyncIterator[T] | None = None

    async def _items(self) -> AsyncIterator[T]:
        lines = _Lines()
        try:
            with _Reading(self.response):
                async for chunk in self.response.aiter_bytes():
                    for line in lines.feed(chunk):
                        if self.response.is_closed:
                            return  # closed by the caller while lines of a chunk were pending
                        if line.strip():
                            yield self._item(line)
                rest = lines.rest()
                if rest.strip():
                    yield self._item(rest)
        finally:
            await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._iterator is None:
            self._iterator = self._items()
        return await self._iterator.__anext__()

    async def aclose(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> AsyncJsonLinesStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


# --------------------------------------------------------------------------
# Binary downloads: chunks as they arrive, never the whole body at once.

FileTarget = str | os.PathLike[str] | IO[bytes]


class _DownloadBase(_StreamBase):
    __slots__ = ()

    @property
    def content_length(self) -> int | None:
        value = self.response.headers.get("content-length")
        return int(value) if value is not None and value.isdigit() else None


class BinaryStream(_DownloadBase):
    """A binary body being downloaded: iterate its chunks, ``write_to`` a file
    or file object, or ``read()`` it whole (that one holds it in memory)."""

    __slots__ = ()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks (decompressed if the server compressed it)."""
        try:
            with _Reading(self.response):
                yield from self.response.iter_bytes(chunk_size)
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[bytes]:
        return self.iter_bytes()

    def write_to(self, target: FileTarget, chunk_size: int | None = 65536) -> int:
        """Write the body to a path (created or truncated) or a binary file
        object; returns the number of bytes written."""
        if isinstance(target, (str, os.PathLike)):
            with open(target, "wb") as file:
                return self.write_to(file, chunk_size)
        written = 0
        for chunk in self.iter_bytes(chunk_size):
            target.write(chunk)
            written += len(chunk)
        return written

    def read(self) -> bytes:
        """The whole body, in memory."""
        return b"".join(self.iter_bytes())

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> BinaryStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncBinaryStream(_DownloadBase):
    """The async :class:`BinaryStream`: ``async for chunk in download``."""

    __slots__ = ()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks (decompressed if the server compressed it)."""
        try:
            with _Reading(self.response):
                async for chunk in self.response.aiter_bytes(chunk_size):
                    yield chunk
        finally:
            await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.iter_bytes()

    async def write_to(self, target: FileTarget, chunk_size: int | None = 65536) -> int:
        """Write the body to a path (created or truncated) or a binary file
        object; returns the number of bytes written. File writes block the
        event loop briefly, one chunk at a time."""
        if isinstance(target, (str, os.PathLike)):
            with open(target, "wb") as file:
                return await self.write_to(file, chunk_size)
        written = 0
        async for chunk in self.iter_bytes(chunk_size):
            target.write(chunk)
            written += len(chunk)
        return written

    async def read(self) -> bytes:
        """The whole body, in memory."""
        return b"".join([chunk async for chunk in self.iter_bytes()])

    async def aclose(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> AsyncBinaryStream:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


# --------------------------------------------------------------------------
# What the generated methods pass as `decode` (the core hands them the response)


def event_stream(
    decode: Callable[[Any], T], *, parse_json: bool = True, terminal: str | None = "[DONE]"
) -> Callable[[httpx.Response], EventStream[T]]:
    return lambda response: EventStream(response, decode, parse_json=parse_json, terminal=terminal)


def aevent_stream(
    decode: Callable[[Any], T], *, parse_json: bool = True, terminal: str | None = "[DONE]"
) -> Callable[[httpx.Response], AsyncEventStream[T]]:
    return lambda response: AsyncEventStream(response, decode, parse_json=parse_json, terminal=terminal)


def json_lines(decode: Callable[[Any], T]) -> Callable[[httpx.Response], JsonLinesStream[T]]:
    return lambda response: JsonLinesStream(response, decode)


def ajson_lines(decode: Callable[[Any], T]) -> Callable[[httpx.Response], AsyncJsonLinesStream[T]]:
    return lambda response: AsyncJsonLinesStream(response, decode)


def binary_stream(response: httpx.Response) -> BinaryStream:
    return BinaryStream(response)


def abinary_stream(response: httpx.Response) -> AsyncBinaryStream:
    return AsyncBinaryStream(response)


# A documented media type -> how it is decoded: "json" (with the decoder),
# "text" or "bytes".
Decoding = tuple[str, Literal["json", "text", "bytes"], Callable[[Any], Any]]


def _media(value: str) -> tuple[str, frozenset[str]]:
    base, _, params = value.partition(";")
    found = {p.strip().lower().replace(" ", "") for p in params.split(";") if p.strip()}
    return base.strip().lower(), frozenset(p for p in found if not p.startswith(("charset=", "q=")))


def _matches(pattern: str, returned: str) -> bool:
    (p_base, p_params), (r_base, r_params) = _media(pattern), _media(returned)
    if p_base == "*/*":
        return True
    if p_base.endswith("/*"):
        if not r_base.startswith(p_base[:-1]):
            return False
    elif p_base != r_base:
        return False
    return p_params <= r_params


def by_content_type(*decodings: Decoding) -> Callable[[httpx.Response], Any]:
    """A decoder that picks the documented media type matching the response's
    ``Content-Type`` (the first one when the header is missing)."""

    def decode(response: httpx.Response) -> Any:
        returned = response.headers.get("content-type")
        chosen = decodings[0] if not returned else _choose(decodings, returned)
        if chosen is None:
            offered = ", ".join(media for media, _, _ in decodings)
            problem = f"the Content-Type {returned!r} is none of the documented {offered}"
            error = ResponseValidationError.from_response(
                response, None, detail=f"response does not match the documented type: {problem}"
            )
            raise error
        _, kind, decoder = chosen
        return _finish(response, decoder, kind, None)

    return decode


def _choose(decodings: Sequence[Decoding], returned: str) -> Decoding | None:
    exact = [d for d in decodings if _matches(d[0], returned) and "*" not in d[0]]
    if exact:
        return max(exact, key=lambda d: len(_media(d[0])[1]))  # the most specific parameters
    wild = [d for d in decodings if _matches(d[0], returned)]
    if wild:
        return wild[0]
    base = _media(returned)[0]
    if base == "application/json" or base.endswith("+json"):  # JSON of an undeclared flavour
        return next((d for d in decodings if d[1] == "json"), None)
    return None


def with_member(body: Any, name: str, value: bool) -> Any:
    """The JSON request body with ``name`` set (the ``stream`` switch): the
    plain method sends it false, the streaming one true."""
    if isinstance(body, dict):
        return {**body, name: value}
    if body is UNSET and value:
        return {name: value}
    return body
