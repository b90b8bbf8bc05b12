"""The Accept header a client sends for the media types an answer is documented in: one
rule for every target (the Python and Go clients ask for the same thing)."""

from __future__ import annotations

__all__ = ["accept_entry", "accept_header", "answer_accept"]


def accept_entry(media: str) -> str:
    """A documented media type as an Accept entry: `charset` (a property of the text,
    not of the media type asked for) and spaces dropped."""
    base, *params = (part.strip() for part in media.split(";"))
    kept = [p for p in params if p and not p.lower().startswith("charset=")]
    return ";".join([base, *kept])


def accept_header(media_types: list[str]) -> str:
    """An Accept header for the media types, in the order the client prefers them."""
    out = []
    for n, media in enumerate(dict.fromkeys(accept_entry(mt) for mt in media_types)):
        text = "application/json" if media.lower() in ("*/*", "application/*") and n == 0 else media
        out.append(text if n == 0 else f"{text};q={max(1, 10 - n) / 10:.1f}")
    return ", ".join(out)


def answer_accept(media: str, json: bool) -> str:
    """The Accept header for an answer documented in one media type: a JSON answer
    documented as `*/*` or `application/*` asks for application/json, the type the
    client decodes (as `accept_header` does for the first of several)."""
    entry = accept_entry(media)
    return "application/json" if json and entry.lower() in ("*/*", "application/*") else entry
