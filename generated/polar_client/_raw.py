"""Raw responses: the status code and headers of a successful call beside its value.

``client.customers.with_raw_response.update(...)`` calls ``update`` as usual and returns
a :class:`RawResponse` holding ``status_code``, ``headers`` and ``parsed`` (what the plain
call returns). The response is handed over through a context variable that is set only
for the duration of that call, so concurrent calls (threads, asyncio tasks) never see
each other's responses. Errors need none of this: they carry status and headers already.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, ParamSpec, TypeVar

if TYPE_CHECKING:
    import httpx

__all__ = ["RawResponse", "raw", "araw", "record", "capture", "acapture"]

T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class RawResponse(Generic[T]):
    """A successful call's HTTP status, headers and parsed value."""

    status_code: int
    headers: httpx.Headers
    parsed: T


class _Capture:
    __slots__ = ("response",)

    def __init__(self) -> None:
        self.response: httpx.Response | None = None


_CURRENT: contextvars.ContextVar[_Capture | None] = contextvars.ContextVar("raw_response", default=None)


def record(response: httpx.Response) -> None:
    """Called by the transport with each final 2xx response (a no-op outside raw calls)."""
    capture = _CURRENT.get()
    if capture is not None:
        capture.response = response


def _recorded(capture: _Capture) -> httpx.Response:
    response = capture.response
    if response is None:  # pragma: no cover - every successful call records its response
        raise RuntimeError("no response was recorded for this call")
    return response


def capture(call: Callable[[], T]) -> tuple[T, httpx.Response]:
    """``call()``'s value and the final 2xx response it was read from."""
    box = _Capture()
    token = _CURRENT.set(box)
    try:
        value = call()
    finally:
        _CURRENT.reset(token)
    return value, _recorded(box)


async def acapture(call: Callable[[], Awaitable[T]]) -> tuple[T, httpx.Response]:
    """Async counterpart of :func:`capture`."""
    box = _Capture()
    token = _CURRENT.set(box)
    try:
        value = await call()
    finally:
        _CURRENT.reset(token)
    return value, _recorded(box)


def raw(method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """The same call, returning a :class:`RawResponse` around its value."""

    def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        value, response = capture(lambda: method(*args, **kwargs))
        return RawResponse(response.status_code, response.headers, value)

    call.__doc__ = method.__doc__
    return call


def araw(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[RawResponse[T]]]:
    """Async counterpart of :func:`raw`."""

    async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        value, response = await acapture(lambda: method(*args, **kwargs))
        return RawResponse(response.status_code, response.headers, value)

    call.__doc__ = method.__doc__
    return call
