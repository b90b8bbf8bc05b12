"""Iterators over paginated listings.

``iterate(fetch, items=..., advance=..., start=...)`` calls ``fetch(start)``, yields the
page's items, then asks ``advance(value, page, items)`` for the next value of the stepped
parameter (page number, offset or cursor); it stops on an empty page, or when ``advance``
returns None, UNSET or an empty string.

``follow(fetch, items=..., next_url=...)`` is for listings whose server names the next
page: ``next_url(page, headers)`` reads it from the body (``dig``) or from an RFC 8288
``Link`` header (``next_link``). The URL is resolved against the URL the page came from,
and the same call is made again with the request sent to it instead: the server's query
replaces the call's, the call's headers, timeout, retries and credentials stay. The
transport follows it only on the configured server's origin (scheme, host, port), else
raises ``errors.PaginationError`` before sending; a URL already fetched also stops it
with that error. It stops when there is no next URL.

A listing whose items field may be absent or null reads it through ``listed``: a page
without it is an empty page (``iterate`` stops there, ``follow`` goes on to the next URL).

Each page is fetched only when the previous one has been consumed, with the caller's
per-call options (the generated ``iter_*`` methods pass them on).
"""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from ._raw import acapture, capture
from .errors import PaginationError

if TYPE_CHECKING:
    import httpx

    from ._runtime import Unset

__all__ = ["iterate", "aiterate", "follow", "afollow", "dig", "listed", "next_link", "parse_links", "next_target"]

C = TypeVar("C")
P = TypeVar("P")
T = TypeVar("T")

# The URL the current call goes to instead of its own: set by `follow` only for the
# duration of one call, so concurrent calls (threads, asyncio tasks) never see it.
_NEXT: contextvars.ContextVar[httpx.URL | None] = contextvars.ContextVar("next_page_url", default=None)


def next_target() -> httpx.URL | None:
    """The next page's URL when the current call is one `follow` makes, else None."""
    return _NEXT.get()


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


def listed(value: Sequence[T] | None | Unset) -> Sequence[T]:
    """The items of a page whose items field may be absent (UNSET) or null: none then."""
    return value or ()


def dig(value: object, *names: str) -> object:
    """``value.a.b.c`` for ``names`` (a, b, c); None as soon as a step is None or UNSET."""
    for name in names:
        if _done(value):
            return None
        value = getattr(value, name, None)
    return value


def _next_url(
    page: P, response: httpx.Response, next_url: Callable[[P, httpx.Headers], object], seen: set[str]
) -> httpx.URL | None:
    seen.add(str(response.request.url))
    found = next_url(page, response.headers)
    if _done(found) or not isinstance(found, str):
        return None
    url = response.request.url.join(found.strip())
    if str(url) in seen:
        raise PaginationError("the server named a page already fetched as the next one: stopped")
    return url


def follow(
    fetch: Callable[[], P],
    *,
    items: Callable[[P], Sequence[T]],
    next_url: Callable[[P, httpx.Headers], object],
) -> Iterator[T]:
    """Yield every item, page after page, each next page at the URL the server named."""
    seen: set[str] = set()
    target: httpx.URL | None = None
    while True:
        token = _NEXT.set(target)
        try:
            page, response = capture(fetch)
        finally:
            _NEXT.reset(token)
        yield from items(page)
        target = _next_url(page, response, next_url, seen)
        if target is None:
            return


async def afollow(
    fetch: Callable[[], Awaitable[P]],
    *,
    items: Callable[[P], Sequence[T]],
    next_url: Callable[[P, httpx.Headers], object],
) -> AsyncIterator[T]:
    """Async counterpart of :func:`follow`."""
    seen: set[str] = set()
    target: httpx.URL | None = None
    while True:
        token = _NEXT.set(target)
        try:
            page, response = await acapture(fetch)
        finally:
            _NEXT.reset(token)
        for item in items(page):
            yield item
        target = _next_url(page, response, next_url, seen)
        if target is None:
            return


# RFC 8288 `Link` header values (RFC 9110 tokens and quoted strings):
#   Link = #link-value ; link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
#   link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
# Written out here because httpx's own parser is private and splits on ", <", which a
# quoted parameter may contain; the runtime depends on httpx only.
_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_OWS = " \t"


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _OWS:
        i += 1
    return i


def _token(text: str, i: int) -> tuple[str, int]:
    start = i
    while i < len(text) and text[i] in _TCHAR:
        i += 1
    return text[start:i], i


def _quoted(text: str, i: int) -> tuple[str, int]:
    """The quoted-string at ``text[i] == '"'``: its value and the index after it."""
    out: list[str] = []
    i += 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        elif char == '"':
            return "".join(out), i + 1
        else:
            out.append(char)
            i += 1
    raise ValueError("unterminated quoted string")


def _link_value(text: str, i: int) -> tuple[tuple[str, dict[str, str]], int]:
    """One link-value from ``text[i] == '<'``: (target, params) and the index after it."""
    end = text.find(">", i)
    if end < 0:
        raise ValueError("unterminated <URI-Reference>")
    target = text[i + 1 : end].strip()
    if any(c in target for c in '<" \t'):  # none can be part of a URI-Reference
        raise ValueError("malformed <URI-Reference>")
    params: dict[str, str] = {}
    i = _skip(text, end + 1)
    while i < len(text) and text[i] == ";":
        name, i = _token(text, _skip(text, i + 1))
        if not name:
            raise ValueError("missing parameter name")
        i = _skip(text, i)
        value = ""
        if i < len(text) and text[i] == "=":
            i = _skip(text, i + 1)
            if i < len(text) and text[i] == '"':
                value, i = _quoted(text, i)
            else:
                value, i = _token(text, i)
            i = _skip(text, i)
        params.setdefault(name.lower(), value)  # the first occurrence counts (RFC 8288 3.3)
    if i < len(text) and text[i] != ",":
        raise ValueError(f"unexpected {text[i]!r}")
    return (target, params), i


def _resync(text: str, i: int) -> int:
    """The index after the next comma that is outside quotes and <...>."""
    quoted = angled = False
    while i < len(text):
        char = text[i]
        if quoted and char == "\\":
            i += 1
        elif char == '"' and not angled:
            quoted = not quoted
        elif char == "<" and not quoted:
            angled = True
        elif char == ">" and not quoted:
            angled = False
        elif char == "," and not quoted and not angled:
            return i + 1
        i += 1
    return i


def parse_links(values: Iterable[str]) -> list[tuple[str, dict[str, str]]]:
    """Every link of the given ``Link`` header values, in order: (target, parameters with
    lower-case names). A malformed link-value is skipped, the others are kept."""
    links: list[tuple[str, dict[str, str]]] = []
    for text in values:
        i = 0
        while i < len(text):
            i = _skip(text, i)
            if i >= len(text):
                break
            if text[i] == ",":
                i += 1
                continue
            try:
                if text[i] != "<":
                    raise ValueError("a link-value starts with <")
                link, i = _link_value(text, i)
            except ValueError:
                i = _resync(text, i)
                continue
            links.append(link)
    return links


def next_link(headers: httpx.Headers) -> str | None:
    """The target of the first ``Link`` whose ``rel`` (a space-separated list of relation
    types, compared case-insensitively) includes ``next``; None if there is none."""
    for target, params in parse_links(headers.get_list("link")):
        if "next" in params.get("rel", "").lower().split():
            return target
    return None
