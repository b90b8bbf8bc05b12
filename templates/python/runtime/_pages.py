"""Iterators over paginated listings whose next request is computed from the last page.

``iterate(fetch, items=..., advance=..., start=...)`` calls ``fetch(start)``, yields the
page's items, then asks ``advance(value, page, items)`` for the next value of the stepped
parameter (page number, offset or cursor); it stops on an empty page, or when ``advance``
returns None, UNSET or an empty string. Each page is fetched only when the previous one
has been consumed, with the caller's per-call options (the generated ``iter_*`` methods
pass them on).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import TypeVar

__all__ = ["iterate", "aiterate"]

C = TypeVar("C")
P = TypeVar("P")
T = TypeVar("T")


def _done(value: object) -> bool:
    from ._runtime import Unset  # imported here: _runtime imports this module

    return value is None or value == "" or isinstance(value, Unset)


def iterate(
    fetch: Callable[[C], P],
    *,
    items: Callable[[P], Sequence[T]],
    advance: Callable[[C, P, Sequence[T]], object],
    start: C,
) -> Iterator[T]:
    value = start
    while True:
        page = fetch(value)
        batch = items(page)
        if not batch:
            return
        yield from batch
        following = advance(value, page, batch)
        if _done(following):
            return
        value = following  # type: ignore[assignment]  # the step returns the parameter's type


async def aiterate(
    fetch: Callable[[C], Awaitable[P]],
    *,
    items: Callable[[P], Sequence[T]],
    advance: Callable[[C, P, Sequence[T]], object],
    start: C,
) -> AsyncIterator[T]:
    """Async counterpart of :func:`iterate`."""
    value = start
    while True:
        page = await fetch(value)
        batch = items(page)
        if not batch:
            return
        for item in batch:
            yield item
        following = advance(value, page, batch)
        if _done(following):
            return
        value = following  # type: ignore[assignment]
