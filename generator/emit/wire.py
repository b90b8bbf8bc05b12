"""How each request part goes on the wire, spelt from the IR's decisions: the `_w`
encoder expression of a parameter or body, and the words docstrings and docs use."""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never
from urllib.parse import quote

from ..ir import model as m
from ..ir import types as t
from ..naming import literal


def uses_wire(op: m.Operation, is_scalar: Callable[[t.Type], bool]) -> bool:
    """Whether an operation's request needs the `_w` encoders (read from the IR)."""
    plain_path = all(
        p.location == "path"
        and isinstance(p.serialization, m.StyleSerialization)
        and p.serialization.style == "simple"
        and is_scalar(p.type)
        for p in op.parameters
    )
    plain_body = op.body is None or (len(op.body.media) == 1 and op.body.content_type == "application/json")
    return not (plain_path and plain_body)


def param_expr(p: m.Parameter, scalar: bool) -> str:
    """The expression of a parameter's wire text (`_w` encoders; `_rt.path_param` for a
    plain path value)."""
    name = literal(p.json_name)
    ser = p.serialization
    match ser:
        case m.ContentSerialization(media_type):
            mt = "" if media_type == "application/json" else f", {literal(media_type)}"
            match p.location:
                case "path":
                    return f"_w.path_content({p.name}{mt})"
                case "query":
                    return f"_w.query_content({name}, {p.name}{mt})"
                case "header":
                    return f"_w.header_content({p.name}{mt})"
                case "cookie":
                    return f"_w.cookie_content({name}, {p.name}{mt})"
                case _:
                    assert_never(p.location)
        case m.StyleSerialization(style, explode, allow_reserved):
            match p.location:
                case "path":
                    if style == "simple" and scalar:
                        return f"_rt.path_param({p.name})"
                    return f"_w.path({name}, {p.name}, {literal(style)}, {explode})"
                case "query":
                    args = [name, p.name]
                    if (style, explode, allow_reserved) != ("form", True, False):
                        args += [literal(style), str(explode)]
                    if allow_reserved:
                        args.append("True")
                    return f"_w.query({', '.join(args)})"
                case "header":
                    return f"_w.header({p.name}, True)" if explode else f"_w.header({p.name})"
                case "cookie":
                    return f"_w.cookie({name}, {p.name})" if explode else f"_w.cookie({name}, {p.name}, False)"
                case _:
                    assert_never(p.location)
        case _:
            assert_never(ser)


def path_spec(p: m.Parameter, scalar: bool, whole: bool) -> str:
    """The encoder of a path parameter's value in an `_rt.Operation`'s path (what
    `param_expr` writes for it, `whole`: through `_rt.segment`, as it fills a segment)."""
    ser = p.serialization
    match ser:
        case m.ContentSerialization(media_type):
            args = [literal(media_type)] if media_type != "application/json" or whole else []
            return f"_w.pc({', '.join(args + (['True'] if whole else []))})"
        case m.StyleSerialization(style, explode, _):
            if style == "simple" and scalar:
                return "_rt.segment_param" if whole else "_rt.path_param"
            return f"_w.pp({literal(p.json_name)}, {literal(style)}, {explode}{', True' if whole else ''})"
        case _:
            assert_never(ser)


def query_spec(p: m.Parameter) -> str:
    """A query parameter as an `_rt.Operation` declares it (its value comes with each
    call): its name for the default style (exploded `form`), else the encoder of the
    value (`_w.q`, `_w.qc`), which sends what `param_expr`'s `_w.query` would."""
    name = literal(p.json_name)
    ser = p.serialization
    match ser:
        case m.ContentSerialization(media_type):
            return f"_w.qc({name})" if media_type == "application/json" else f"_w.qc({name}, {literal(media_type)})"
        case m.StyleSerialization(style, explode, allow_reserved):
            if (style, explode, allow_reserved) == ("form", True, False):
                return name
            return f"_w.q({name}, {literal(style)}, {explode}{', True' if allow_reserved else ''})"
        case _:
            assert_never(ser)


def fixed_query_text(op: m.Operation) -> str:
    """The query pairs a path key fixes (`/rest?method=x`), percent-encoded as the
    runtime encodes a query value: what every call of the operation sends first."""
    return "&".join(
        quote(name, safe="") + ("" if value is None else "=" + quote(value, safe="")) for name, value in op.fixed_query
    )


def form_rule(f: m.FormField) -> str | None:
    ser = f.serialization
    match ser:
        case m.ContentSerialization(media_type):
            return f"({literal(f.json_name)}, 'json', {literal(media_type)})"
        case m.StyleSerialization(style, explode, allow_reserved):
            if (style, explode, allow_reserved) == ("form", True, False):
                return None
            return f"({literal(f.json_name)}, {literal(style)}, {explode}, {allow_reserved})"
        case _:
            assert_never(ser)


_STYLE_DOC = {
    "simple": "simple style (comma-separated)",
    "label": "label style (`.a.b`)",
    "matrix": "matrix style (`;name=a`)",
    "form": "form style",
    "spaceDelimited": "spaceDelimited style (`name=a%20b`)",
    "pipeDelimited": "pipeDelimited style (`name=a%7Cb`)",
    "deepObject": "deepObject style (`name[key]=value`, arrays `name[0]=a`)",
}


def wire_doc(p: m.Parameter, always: bool = False) -> str:
    """How a parameter is serialised, in words (docstrings: only when not the location's
    default; the docs page: always)."""
    ser = p.serialization
    where = {"path": "in the path", "query": "in the query", "header": "as a header", "cookie": "as a cookie"}[
        p.location
    ]
    match ser:
        case m.ContentSerialization(media_type):
            return f"Sent {where} as {media_type} text."
        case m.StyleSerialization(style, explode, allow_reserved):
            if (
                (p.location, style) in (("path", "simple"), ("query", "form"), ("header", "simple"), ("cookie", "form"))
                and (explode == (style == "form"))
                and not allow_reserved
                and not always
            ):
                return ""  # the default: nothing worth saying in a docstring
            text = f"Sent {where} in {_STYLE_DOC[style]}" + (", exploded" if explode and style != "deepObject" else "")
            return text + (", reserved characters unencoded." if allow_reserved else ".")
        case _:
            assert_never(ser)


def _way_doc(way: tuple[m.BodyMedia, ...], quote: str = "") -> str:
    """`media type: how it is sent`, for one of `Body.ways` (its media types listed once)."""
    names = ", ".join(f"{quote}{media.content_type}{quote}" for media in way)
    return f"{names}: {_media_doc(way[0], None if len(way) == 1 else 'the media type picked')}"


def _media_doc(media: m.BodyMedia, ctype: str | None = None) -> str:
    enc = media.encoding
    ctype = ctype or media.content_type
    match enc:
        case m.JsonBody():
            return f"sent as {ctype}"
        case m.FormBody(fields):
            styled = [
                f"`{f.json_name}` {_STYLE_DOC[f.serialization.style]}"
                + ("" if f.serialization.explode or f.serialization.style == "deepObject" else ", not exploded")
                if isinstance(f.serialization, m.StyleSerialization)
                else f"`{f.json_name}` as {f.serialization.media_type} text"
                for f in fields
                if form_rule(f) is not None
            ]
            extra = f" ({'; '.join(styled)})" if styled else ""
            return f"sent as {ctype}{extra}; None is sent as an empty value, unset fields are left out"
        case m.MultipartBody(parts):
            files = [p.json_name for p in parts if p.kind == "file"]
            jsons = [p.json_name for p in parts if p.kind == "json"]
            if not parts:
                return (
                    f"sent as {ctype}, one part per key of the mapping: bytes, binary file objects and "
                    "(filename, content, content_type) tuples as file parts, mappings and lists as JSON "
                    "parts, other values as text"
                )
            text = f"sent as {ctype}, one part per field"
            if files:
                text += (
                    "; "
                    + ", ".join(f"`{n}`" for n in files)
                    + " accept bytes, a binary file object (streamed, never read whole) or a"
                    " (filename, content, content_type) tuple"
                )
            if jsons:
                text += "; " + ", ".join(f"`{n}`" for n in jsons) + " go as JSON parts"
            if any(p.repeated for p in parts):
                text += "; lists are sent as one part per item"
            return text
        case m.BinaryBody():
            return f"bytes, a binary file object or an iterator of bytes (streamed), sent as {ctype}"
        case m.TextBody(charset):
            return f"text, sent as {ctype} ({charset})"
        case m.WildcardBody():
            return (
                "bytes, a binary file object or an iterator of bytes (sent as `content_type`, default"
                " application/octet-stream), or a JSON-able value (sent as JSON)"
            )
        case _:
            assert_never(enc)


def sentence(text: str) -> str:
    """`text` ending as a sentence, so that another one can follow it."""
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", ":")) else text + "."


def body_doc(body: m.Body) -> str:
    text = sentence(body.description or "The request body.")
    if len(body.media) == 1 and body.content_type == "application/json":
        return text
    if len(body.media) == 1:
        return f"{text} Wire: {_media_doc(body.media[0])}."
    return text + " Wire, by `content_type`: " + "; ".join(_way_doc(way) for way in body.ways) + "."


def body_python(body: m.Body, python_type: Callable[[t.Type], str]) -> str:
    """What the `body` argument accepts, for the docs page."""
    out = []
    for media in body.media:
        enc = media.encoding
        match enc:
            case m.JsonBody() | m.FormBody() | m.MultipartBody():
                out.append(python_type(media.type))
            case m.BinaryBody():
                out.append("bytes | IO[bytes] | Iterable[bytes]")
            case m.TextBody():
                out.append("str")
            case m.WildcardBody():
                out.append("bytes | IO[bytes] | Iterable[bytes] | " + python_type(media.type))
            case _:
                assert_never(enc)
    return " | ".join(dict.fromkeys(out))


def takes_files(body: m.Body) -> bool:
    """Whether some media type of the body takes files or streams (binary, file parts)."""
    for media in body.media:
        enc = media.encoding
        match enc:
            case m.BinaryBody() | m.WildcardBody():
                return True
            case m.MultipartBody(parts):
                if any(p.kind == "file" for p in parts):
                    return True
            case m.JsonBody() | m.FormBody() | m.TextBody():
                pass
            case _:
                assert_never(enc)
    return False


def body_wire_doc(body: m.Body) -> str:
    """The body's wire format for the docs page ("" for a plain JSON body)."""
    if len(body.media) == 1 and body.content_type == "application/json":
        return ""
    if len(body.media) == 1:
        return _media_doc(body.media[0])[0].upper() + _media_doc(body.media[0])[1:] + "."
    choices = "; ".join(_way_doc(way, "`") for way in body.ways)
    return f"Pick the media type with `content_type=` (default `{body.content_type}`): {choices}."


def content_type_doc(body: m.Body) -> str:
    if len(body.media) == 1:
        return "the Content-Type of a bytes body (default application/octet-stream); ignored for JSON values."
    return f"which media type the body is sent as (default {body.content_type})."
