"""How a request goes on the wire: OpenAPI parameter styles and request bodies.

Copied verbatim into every generated package (beside ``_runtime.py``); depends only
on the standard library and ``httpx`` (imported by the transport, not here).

Parameters follow OpenAPI's ``style`` / ``explode`` rules, which are RFC 6570 URI
template expansions: values are percent-encoded so that only unreserved characters
(``A-Z a-z 0-9 - . _ ~``) stay as they are, or, with ``allowReserved``, RFC 3986
reserved characters too (``#`` is always encoded: it would end the query). Header
values are not percent-encoded (only characters a header cannot carry are).

Conventions where OpenAPI says nothing (documented in the package README too):

- ``deepObject`` nests with brackets: ``created[gte]=1``, ``items[0][price]=p_1``;
  an array at the top of a ``deepObject`` value is indexed (``expand[0]=a``). In a
  query, an array of scalars inside an object repeats its key
  (``metadata[k]=a&metadata[k]=b``); in a form body it is indexed (``k[0]=a``).
- Objects and arrays nested inside the other styles are written as compact JSON text.
- Form bodies write a space as ``+`` (the form-urlencoded serialisation browsers use).
- ``None`` and ``UNSET`` leave a parameter (or a member) out of the URL; in a form
  body ``None`` is sent as an empty value (``key=``: "clear this field" for the APIs
  that use form bodies), ``UNSET`` is left out.
- Booleans are ``true`` / ``false``; dates and times ISO 8601; enums their value.
"""

from __future__ import annotations

import json as _json
import os
import re
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, Literal, TypeAlias
from urllib.parse import quote

from ._runtime import UNSET, FileContent, _json_default, _to_text, segment, to_json

__all__ = [
    "Style",
    "RequestBody",
    "BinaryContent",
    "AsyncBinaryContent",
    "path",
    "query",
    "query_content",
    "path_content",
    "join_query",
    "header",
    "header_content",
    "cookie",
    "cookie_content",
    "cookies",
    "json_body",
    "form_body",
    "multipart_body",
    "binary_body",
    "text_body",
    "any_body",
]

Style: TypeAlias = Literal[
    "simple", "label", "matrix", "form", "spaceDelimited", "pipeDelimited", "deepObject"
]
BinaryContent: TypeAlias = "bytes | IO[bytes] | Iterable[bytes]"
"""A binary request body: bytes, a binary file object (read in chunks), or an iterator of bytes."""
AsyncBinaryContent: TypeAlias = "bytes | IO[bytes] | Iterable[bytes] | AsyncIterable[bytes]"

CHUNK_SIZE = 64 * 1024

# RFC 3986 reserved characters kept by `allowReserved` (`#` excluded: it would end the query).
_RESERVED = ":/?[]@!$&'()*+,;="
_PCT = re.compile(r"%[0-9A-Fa-f]{2}")


# --------------------------------------------------------------------------
# Values -> plain data


def _plain(value: Any) -> Any:
    """Models become their JSON mapping (unset members are already left out),
    sequences lists, mappings dicts without UNSET members; scalars stay."""
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None and callable(to_dict):
        return to_dict()
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items() if v is not UNSET}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [v for v in value if v is not UNSET]
    return value


def _is_composite(value: Any) -> bool:
    return isinstance(value, (Mapping, list, tuple, set, frozenset)) or callable(
        getattr(value, "to_dict", None)
    )


def _text(value: Any) -> str:
    """Wire text of one value; a composite nested where no rule exists is JSON text."""
    if _is_composite(value):
        return _json.dumps(
            to_json(value), separators=(",", ":"), ensure_ascii=False, default=_json_default
        )
    return _to_text(value)


def _enc(text: str, reserved: bool = False) -> str:
    if not reserved:
        return quote(text, safe="")
    # keep reserved characters and existing %XX triplets; encode everything else
    out, last = [], 0
    for match in _PCT.finditer(text):
        out.append(quote(text[last : match.start()], safe=_RESERVED))
        out.append(match.group(0))
        last = match.end()
    out.append(quote(text[last:], safe=_RESERVED))
    return "".join(out)


# --------------------------------------------------------------------------
# RFC 6570 expansion (the styles other than deepObject)


# the separators of the delimited styles, percent-encoded (the other styles use ","), and
# back: the character each stands for, and its style
_DELIMITERS = {"spaceDelimited": "%20", "pipeDelimited": "%7C"}
_DELIMITED = {"%20": (" ", "spaceDelimited"), "%7C": ("|", "pipeDelimited")}


def _check_delimited(name: str, texts: list[str], delimiter: str) -> None:
    """A value of a `spaceDelimited` / `pipeDelimited` list or object that holds the
    separator itself cannot be told from it (both are written the same, `%20` / `%7C`, and
    the styles have no escape): refused before anything is sent, never split apart."""
    if delimiter not in _DELIMITED:
        return
    char, style = _DELIMITED[delimiter]
    for text in texts:
        if char in text:
            raise ValueError(
                f"parameter {name!r}: {text!r} holds {char!r}, the separator of its {style} "
                "style, which cannot be escaped: the server would split it apart"
            )


def _expand(
    name: str,
    value: Any,
    *,
    first: str,
    sep: str,
    named: bool,
    ifemp: str,
    explode: bool,
    reserved: bool = False,
    delimiter: str = ",",
) -> str | None:
    """One variable of an RFC 6570 expression; None when the value is undefined."""
    value = _plain(value)
    if value is None or value is UNSET:
        return None
    enc_name = _enc(name)
    if isinstance(value, list):
        texts = [_text(v) for v in value if v is not None]
        if not texts:
            return None
        if not explode:
            _check_delimited(name, texts, delimiter)
        items = [_enc(text, reserved) for text in texts]
        if explode:
            if named:
                return first + sep.join(f"{enc_name}={i}" if i else enc_name + ifemp for i in items)
            return first + sep.join(items)
        joined = delimiter.join(items)
        return first + (f"{enc_name}={joined}" if named else joined)
    if isinstance(value, dict):
        raw = [(str(k), _text(v)) for k, v in value.items() if v is not None]
        if not raw:
            return None
        if not explode:
            _check_delimited(name, [text for pair in raw for text in pair], delimiter)
        pairs = [(_enc(k), _enc(v, reserved)) for k, v in raw]
        if explode:
            return first + sep.join(f"{k}={v}" if v or not named else k + ifemp for k, v in pairs)
        joined = delimiter.join(f"{k}{delimiter}{v}" for k, v in pairs)
        return first + (f"{enc_name}={joined}" if named else joined)
    text = _enc(_text(value), reserved)
    if named:
        return first + (f"{enc_name}={text}" if text else enc_name + ifemp)
    return first + text


def path(name: str, value: Any, style: Style = "simple", explode: bool = False) -> str:
    """A path parameter in ``simple``, ``label`` or ``matrix`` style."""
    if style == "label":
        out = _expand(name, value, first=".", sep=".", named=False, ifemp="", explode=explode)
    elif style == "matrix":
        out = _expand(name, value, first=";", sep=";", named=True, ifemp="", explode=explode)
    else:
        out = _expand(name, value, first="", sep=",", named=False, ifemp="", explode=explode)
    return out or ""


def query(
    name: str,
    value: Any,
    style: Style = "form",
    explode: bool = True,
    allow_reserved: bool = False,
    *,
    index_nested: bool = False,
) -> str | None:
    """One query parameter as ``k=v`` pairs joined by ``&`` (None when left out)."""
    if style == "deepObject":
        pairs = _deep(name, _plain(value), top=True, index_nested=index_nested, empty=None)
        return "&".join(f"{_enc(k)}={_enc(v, allow_reserved)}" for k, v in pairs) or None
    delimiter = _DELIMITERS.get(style, ",")
    return _expand(
        name,
        value,
        first="",
        sep="&",
        named=True,
        ifemp="=",
        explode=explode,
        reserved=allow_reserved,
        delimiter=delimiter,
    )


def path_content(value: Any, media_type: str = "application/json") -> str:
    """A path parameter described with ``content``: the document, percent-encoded."""
    return _enc(_document(value, media_type))


def query_content(name: str, value: Any, media_type: str = "application/json") -> str | None:
    """A query parameter described with ``content``: the value as a JSON (or text) document."""
    if value is None or value is UNSET:
        return None
    return f"{_enc(name)}={_enc(_document(value, media_type))}"


def pp(
    name: str, style: Style = "simple", explode: bool = False, whole: bool = False
) -> Callable[[Any], str]:
    """The encoder of a path parameter of another style, or not a single value, for an
    ``Operation``'s path; ``whole``: it fills a path segment (see ``segment``)."""
    if whole:
        return lambda value: segment(path(name, value, style, explode))
    return lambda value: path(name, value, style, explode)


def pc(media_type: str = "application/json", whole: bool = False) -> Callable[[Any], str]:
    """The encoder of a path parameter described with ``content``."""
    if whole:
        return lambda value: segment(path_content(value, media_type))
    return lambda value: path_content(value, media_type)


def q(
    name: str, style: Style = "form", explode: bool = True, allow_reserved: bool = False
) -> Callable[[Any], str | None]:
    """The encoder of a query parameter of another style than exploded ``form`` (an
    ``Operation``'s ``query`` names the others)."""
    return lambda value: query(name, value, style, explode, allow_reserved)


def qc(name: str, media_type: str = "application/json") -> Callable[[Any], str | None]:
    """The encoder of a query parameter described with ``content``."""
    return lambda value: query_content(name, value, media_type)


def join_query(*parts: str | None) -> str | None:
    """The query string of a request from its parameters (those left out are None)."""
    return "&".join(p for p in parts if p) or None


def _document(value: Any, media_type: str) -> str:
    base = media_type.split(";")[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return _json.dumps(
            to_json(value), separators=(",", ":"), ensure_ascii=False, default=_json_default
        )
    return _text(value)


_HEADER_UNSAFE = re.compile(r"[^\t\x20-\x7e]")


def _header_text(text: str) -> str:
    # a header value carries visible ASCII; anything else (CR, LF, non-ASCII) is
    # percent-encoded as UTF-8 so it can never start another header
    return _HEADER_UNSAFE.sub(lambda m: quote(m.group(0), safe=""), text)


def _check_header_items(texts: list[str], separators: str) -> None:
    """A header list's item (or an object's key or value) holding a separator of the
    `simple` style cannot be told from it: a header value is not percent-decoded, so
    there is no escape. Refused before anything is sent, never split apart."""
    for text in texts:
        for char in separators:
            if char in text:
                raise ValueError(
                    f"{text!r} holds {char!r}, a separator of a header parameter's simple "
                    "style, which a header cannot escape: the server would split it apart"
                )


def header(value: Any, explode: bool = False) -> str | None:
    """A header parameter in ``simple`` style (None when left out)."""
    value = _plain(value)
    if value is None or value is UNSET:
        return None
    if isinstance(value, list):
        items = [_text(v) for v in value if v is not None]
        _check_header_items(items, ",")
        return _header_text(",".join(items)) if items else None
    if isinstance(value, dict):
        pairs = [(str(k), _text(v)) for k, v in value.items() if v is not None]
        if not pairs:
            return None
        _check_header_items([k for k, _ in pairs], ",=" if explode else ",")
        _check_header_items([v for _, v in pairs], ",")
        joined = ",".join(f"{k}={v}" if explode else f"{k},{v}" for k, v in pairs)
        return _header_text(joined)
    return _header_text(_text(value))


def header_content(value: Any, media_type: str = "application/json") -> str | None:
    if value is None or value is UNSET:
        return None
    return _header_text(_document(value, media_type))


def cookie(name: str, value: Any, explode: bool = True) -> str | None:
    """A cookie parameter in ``form`` style: ``name=value`` pairs joined by ``; ``."""
    return _expand(name, value, first="", sep="; ", named=True, ifemp="=", explode=explode)


def cookie_content(name: str, value: Any, media_type: str = "application/json") -> str | None:
    if value is None or value is UNSET:
        return None
    return f"{_enc(name)}={_enc(_document(value, media_type))}"


def cookies(*parts: str | None) -> str | None:
    """The ``Cookie`` header from the cookie parameters (None when all are left out)."""
    return "; ".join(p for p in parts if p) or None


# --------------------------------------------------------------------------
# deepObject and the bracket convention


def _deep(
    prefix: str, value: Any, *, top: bool, index_nested: bool, empty: str | None
) -> list[tuple[str, str]]:
    """(key, text) pairs, unencoded: ``prefix[k]``, ``prefix[i]`` for arrays.

    ``empty`` is the text sent for None (None: left out)."""
    value = _plain(value)
    if value is UNSET:
        return []
    if value is None:
        return [] if empty is None else [(prefix, empty)]
    if isinstance(value, dict):
        out: list[tuple[str, str]] = []
        for k, v in value.items():
            out.extend(_deep(f"{prefix}[{k}]", v, top=False, index_nested=index_nested, empty=empty))
        return out
    if isinstance(value, list):
        scalars = not any(_is_composite(v) for v in value)
        if scalars and not top and not index_nested:
            return [(prefix, _to_text(v)) for v in value if v is not None and v is not UNSET]
        out = []
        for i, v in enumerate(value):
            out.extend(_deep(f"{prefix}[{i}]", v, top=False, index_nested=index_nested, empty=empty))
        return out
    return [(prefix, _to_text(value))]


# --------------------------------------------------------------------------
# Request bodies


@dataclass(frozen=True, slots=True)
class RequestBody:
    """An encoded request body: what the transport hands to httpx.

    ``content`` is bytes, a sync or async iterator of bytes, or None for multipart,
    whose ``parts`` httpx streams (file objects are read in chunks, never whole).
    ``replayable``: the same request can be sent again (retries)."""

    content_type: str
    content: bytes | Iterable[bytes] | AsyncIterable[bytes] | None = None
    parts: list[tuple[str, tuple[str | None, Any, str | None]]] | None = None
    length: int | None = None
    replayable: bool = True

    def for_httpx(self, is_async: bool) -> dict[str, Any]:
        """``content=`` / ``files=`` keyword arguments of ``httpx.Client.build_request``."""
        if self.parts is not None:
            return {"files": self.parts}
        content = self.content
        if is_async and content is not None and not isinstance(content, (bytes, AsyncIterable)):
            content = _aiter(content)
        elif not is_async and isinstance(content, AsyncIterable):
            raise TypeError("an async iterator body needs the AsyncClient")
        return {"content": content}


async def _aiter(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def _dumps(value: Any) -> bytes:
    return _json.dumps(
        value, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_json_default
    ).encode()


def json_body(data: Any, media_type: str = "application/json") -> RequestBody:
    """JSON data (already encoded by the models' ``to_dict``) under its media type."""
    return RequestBody(media_type, _dumps(data))


FormField: TypeAlias = "tuple[str, Style, bool, bool] | tuple[str, Literal['json'], str]"


def form_body(
    value: Any,
    fields: Iterable[tuple[Any, ...]] = (),
    media_type: str = "application/x-www-form-urlencoded",
) -> RequestBody:
    """``application/x-www-form-urlencoded`` by each property's ``encoding``.

    ``fields``: ``(name, style, explode, allow_reserved)`` or ``(name, "json",
    content_type)``; other keys go in ``form`` style, nested values with brackets."""
    data = _plain(value)
    if not isinstance(data, dict):
        raise TypeError(f"a form body is a mapping of fields, not {type(value).__name__}")
    rules = {f[0]: f for f in fields}
    pieces: list[str] = []
    for key, item in data.items():
        rule = rules.get(key)
        if item is UNSET:
            continue
        if rule is not None and rule[1] == "json":
            pieces.append(f"{_enc(key)}={_enc(_document(item, rule[2]))}")
            continue
        style, explode, reserved = (rule[1], rule[2], rule[3]) if rule else ("form", True, False)
        if item is None:
            pieces.append(f"{_enc(key)}=")
        elif style == "deepObject" or (
            style == "form" and explode and _is_nested(_plain(item))
        ):
            pieces.extend(
                f"{_enc(k)}={_enc(v, reserved)}"
                for k, v in _deep(key, item, top=True, index_nested=True, empty="")
            )
        else:
            delimiter = _DELIMITERS.get(style, ",")
            piece = _expand(
                key,
                item,
                first="",
                sep="&",
                named=True,
                ifemp="=",
                explode=explode,
                reserved=reserved,
                delimiter=delimiter,
            )
            if piece is not None:
                pieces.append(piece)
    # the form-urlencoded serialisation (WHATWG URL, what browsers send) writes a space as `+`
    return RequestBody(media_type, "&".join(pieces).replace("%20", "+").encode("ascii"))


def _is_nested(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_is_composite(v) for v in value.values())
    if isinstance(value, list):
        return any(_is_composite(v) for v in value)
    return False


PartKind: TypeAlias = Literal["file", "text", "json"]


def multipart_body(
    value: Any,
    parts: Iterable[tuple[str, str, PartKind, str, bool]] = (),
    media_type: str = "multipart/form-data",
) -> RequestBody:
    """A multipart body, one part per property (one per item for arrays).

    ``parts``: ``(name, attribute, kind, content_type, repeated)``. A ``file`` part
    takes bytes, a binary file object (streamed) or a ``(filename, content,
    content_type)`` tuple; ``json`` parts carry a JSON document; ``text`` parts text.
    Members of a mapping body that ``parts`` does not name are sent by their value."""
    is_mapping = isinstance(value, Mapping)
    if not is_mapping and not parts:
        # nothing names a part of this value: sending none would drop it silently
        raise TypeError(f"a multipart body is a mapping of part names to values, not {type(value).__name__}")
    out: list[tuple[str, tuple[str | None, Any, str | None]]] = []
    named = set()
    for name, attr, kind, ctype, repeated in parts:
        named.add(name)
        item = value.get(name, UNSET) if is_mapping else getattr(value, attr, UNSET)
        if item is UNSET:
            continue
        items = list(item) if repeated and isinstance(item, (list, tuple)) else [item]
        for one in items:
            out.append((name, _part(name, one, kind, ctype)))
    if is_mapping:
        for name, item in value.items():
            if name in named or item is UNSET:
                continue
            kind = "file" if _is_file(item) else "json" if _is_composite(item) else "text"
            ctype = {"file": "application/octet-stream", "json": "application/json"}.get(kind, "text/plain")
            out.append((str(name), _part(str(name), item, kind, ctype)))
    boundary = os.urandom(16).hex()
    return RequestBody(f"{media_type}; boundary={boundary}", None, out)


def _is_file(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray, memoryview)) or hasattr(value, "read") or (
        isinstance(value, tuple) and len(value) == 3
    )


def _part(name: str, value: Any, kind: PartKind, ctype: str) -> tuple[str | None, Any, str | None]:
    if kind == "file":
        if isinstance(value, tuple):
            filename, content, given = value
            return (filename or name, content, given or ctype)
        if hasattr(value, "read"):
            raw_name = getattr(value, "name", None)
            filename = os.path.basename(raw_name) if isinstance(raw_name, str) and raw_name else name
            return (filename, value, ctype)
        if isinstance(value, str):
            return (name, value.encode(), ctype)
        return (name, bytes(value), ctype)
    if kind == "json":
        return (None, _dumps(to_json(value)), ctype)
    text = "" if value is None else _to_text(value)
    return (None, text.encode(), None if ctype == "text/plain" else ctype)


def _file_length(file: Any) -> int | None:
    try:
        size: int = os.fstat(file.fileno()).st_size
        position: int = file.tell()
        return max(size - position, 0)
    except (AttributeError, OSError, ValueError):
        return None


def _chunks(file: IO[bytes]) -> Iterator[bytes]:
    while chunk := file.read(CHUNK_SIZE):
        yield chunk


def binary_body(value: Any, media_type: str = "application/octet-stream") -> RequestBody:
    """Raw bytes: bytes, a binary file object (read in chunks) or an iterator of bytes."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return RequestBody(media_type, bytes(value))
    if hasattr(value, "read"):
        return RequestBody(media_type, _chunks(value), length=_file_length(value), replayable=False)
    if isinstance(value, str):
        raise TypeError("a binary body takes bytes, a binary file object or an iterator of bytes, not str")
    return RequestBody(media_type, value, replayable=False)


def text_body(value: Any, media_type: str = "text/plain", charset: str = "utf-8") -> RequestBody:
    """Text, encoded in the media type's charset (UTF-8 unless it names one)."""
    if not isinstance(value, str):
        raise TypeError(f"a {media_type} body is text (str), not {type(value).__name__}")
    return RequestBody(media_type, value.encode(charset))


def any_body(value: Any, content_type: str | None = None) -> RequestBody:
    """A body of a media type the spec leaves open (``*/*``): bytes, a file object or an
    iterator of bytes under ``content_type`` (default ``application/octet-stream``),
    or any other value as JSON (``application/json`` unless ``content_type`` is given)."""
    if isinstance(value, str) and content_type is not None:
        return RequestBody(content_type, value.encode())
    if isinstance(value, (bytes, bytearray, memoryview)) or hasattr(value, "read") or (
        isinstance(value, (Iterator, AsyncIterable))
    ):
        return binary_body(value, content_type or "application/octet-stream")
    return RequestBody(content_type or "application/json", _dumps(to_json(value)))
