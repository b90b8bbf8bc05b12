"""A request body offered in many media types (Google's upload endpoints list ~350: audio,
image and video types sent as bytes, `image/svg+xml` as text) gets one branch per way of
sending, not one conditional per media type: before, the chain of conditionals nested
past what emit/layout.py (RecursionError, a traceback) and Python's parser ("too many
nested parentheses": a client that does not import) accept. More ways than a method can
choose among leave the operation out with a located error.

Each way is checked on the wire against the real Starlette echo server."""

from __future__ import annotations

import asyncio
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import echo_server as _echo_server
from helpers import strict_client

from generator.builder import build_api
from generator.builder.operations import MAX_BODY_WAYS
from generator.config import Job
from generator.emit.layout import Layout
from generator.ir import model as m
from generator.load import load
from generator.normalize import Spec

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

BINARY = [f"image/x-k{i}" for i in range(40)] + ["audio/ogg", "video/mp4"]


def _spec(extra_ways: int = 0) -> dict[str, Any]:
    content: dict[str, Any] = {
        "application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}},
        **{c: {"schema": {"type": "string", "format": "binary"}} for c in BINARY[:20]},
        "text/plain; charset=iso-8859-1": {"schema": {"type": "string"}},
        **{c: {"schema": {"type": "string", "format": "binary"}} for c in BINARY[20:]},
        "image/svg+xml": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}},
        # each charset is another way of sending text
        **{f"text/x-e{i}; charset=x-cs{i}": {"schema": {"type": "string"}} for i in range(extra_ways)},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "media", "version": "1"},
        "paths": {
            "/upload": {
                "post": {
                    "operationId": "upload",
                    "tags": ["media"],
                    "requestBody": {"required": True, "content": content},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
                }
            },
            "/ping": {"get": {"operationId": "ping", "tags": ["media"], "responses": {"204": {"description": "ok"}}}},
        },
    }


def test_media_types_sent_alike_share_a_way(tmp_path: Path) -> None:
    path = tmp_path / "media.json"
    path.write_text(json.dumps(_spec()))
    api, _ = build_api(Spec(load(path)))
    (op,) = [o for o in api.operations if o.name == "upload"]
    assert op.body is not None
    ways = [[media.content_type for media in way] for way in op.body.ways]
    assert ways == [
        ["application/json"],
        BINARY,
        ["text/plain; charset=iso-8859-1"],
        ["image/svg+xml", "text/csv"],  # both text in UTF-8
    ]
    kinds = [type(way[0].encoding) for way in op.body.ways]
    assert kinds == [m.JsonBody, m.BinaryBody, m.TextBody, m.TextBody]


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("many_media")
    spec = out / "media.json"
    spec.write_text(json.dumps(_spec()))
    return strict_client(out, "many_media_client", Job(spec, out, "many_media_client"))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with _echo_server() as url:
        yield url


def test_one_conditional_per_way_not_per_media_type(pkg: Any) -> None:
    source = (Path(pkg.__file__).parent / "services" / "media.py").read_text()
    # four ways: three conditionals in the sync method, three in the async one
    assert source.count("if content_type ") == 6
    assert source.count("_w.binary_body(body, content_type)") == 2  # once per method, for all 42
    # the docstrings and the docs page list each way once, its media types together
    page = next((Path(pkg.__file__).parent / "docs").rglob("*upload*.md")).read_text()
    for text, quote, count in ((" ".join(source.split()), "", 2), (" ".join(page.split()), "`", 1)):
        assert f"{quote}image/x-k0{quote}, {quote}image/x-k1{quote}," in text
        assert "sent as image/x-k1" not in text
        bytes_way = "bytes, a binary file object or an iterator of bytes (streamed), sent as the media type picked"
        assert text.count(bytes_way) == count  # sync and async docstrings; the page
        assert (
            f"{quote}image/svg+xml{quote}, {quote}text/csv{quote}: text, sent as the media type picked (utf-8)" in text
        )


def test_every_way_sends_its_bytes(pkg: Any, server: str) -> None:
    client = pkg.Client("tok", base_url=server)

    def sent(echo: dict[str, Any]) -> tuple[str, str]:
        return echo["content_type"], echo.get("sha256", "")

    def sha(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    from many_media_client.models import MediaUploadBody

    assert sent(client.media.upload(MediaUploadBody(name="n"))) == ("application/json", sha(b'{"name":"n"}'))
    for ctype in ("image/x-k0", "image/x-k33", "audio/ogg", "video/mp4"):
        assert sent(client.media.upload(b"\x89PNG" + ctype.encode(), content_type=ctype)) == (
            ctype,
            sha(b"\x89PNG" + ctype.encode()),
        )
    latin = "text/plain; charset=iso-8859-1"
    assert sent(client.media.upload("héllo", content_type=latin)) == (latin, sha("héllo".encode("iso-8859-1")))
    svg = "<svg>é</svg>"
    assert sent(client.media.upload(svg, content_type="image/svg+xml")) == ("image/svg+xml", sha(svg.encode()))
    assert sent(client.media.upload("a,b\n", content_type="text/csv")) == ("text/csv", sha(b"a,b\n"))
    with pytest.raises(TypeError, match="not str"):  # a binary media type takes bytes
        client.media.upload("text", content_type="video/mp4")

    async def main() -> tuple[str, str]:
        async with pkg.AsyncClient("tok", base_url=server) as aclient:
            return sent(await aclient.media.upload(b"abc", content_type="image/x-k39"))

    assert asyncio.run(main()) == ("image/x-k39", sha(b"abc"))


def test_more_ways_than_a_method_takes_leave_the_operation_out(tmp_path: Path) -> None:
    extra = MAX_BODY_WAYS - 3  # 3 ways above plus these: one more than the limit
    path = tmp_path / "many.json"
    path.write_text(json.dumps(_spec(extra), indent=1))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if '"content": {' in text)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "generator", "generate", str(path), "-o", str(out), "-p", "many"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert (
        f"error: {path}:{line} at #/paths/~1upload/post/requestBody/content: operation POST /upload left out "
        f"of the client: the request body's {len(_spec(extra)['paths']['/upload']['post']['requestBody']['content'])}"
        f" media types are sent {MAX_BODY_WAYS + 1} different ways"
    ) in run.stderr
    service = (out / "many" / "services" / "media.py").read_text()
    assert "def ping(" in service and "def upload(" not in service
    strict = subprocess.run([*cmd, "--strict"], capture_output=True, text=True, timeout=300)
    assert strict.returncode == 2 and "left out" in strict.stderr

    path.write_text(json.dumps(_spec(extra - 1)))  # at the limit: generated
    api, _ = build_api(Spec(load(path)))
    (op,) = [o for o in api.operations if o.name == "upload"]
    assert op.body is not None and len(op.body.ways) == MAX_BODY_WAYS


def test_layout_leaves_a_too_deep_line_to_black() -> None:
    text = "body=" + "".join(f'(_w.f(body, "t{i}") if content_type == "t{i}" else ' for i in range(400))
    text += "None" + ")" * 400 + ","
    assert Layout().line(text, 12, "item") == text


def test_go_methods_per_media_type_are_named_by_it(tmp_path: Path) -> None:
    """The Go client has a method per further media type; those of one encoding are named
    after their media type, not numbered (`UploadBinary2` moved whenever the spec listed
    one more). No Go toolchain needed: the emitter's views."""
    from generator.golang.emit import GoEmitter, GoOptions

    content = {
        "image/png": {"schema": {"type": "string", "format": "binary"}},
        "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
        "video/mp4": {"schema": {"type": "string", "format": "binary"}},
        "image/svg+xml": {"schema": {"type": "string"}},
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
    }
    spec = _spec()
    spec["paths"]["/upload"]["post"]["requestBody"]["content"] = content
    path = tmp_path / "go.json"
    path.write_text(json.dumps(spec))
    api, _ = build_api(Spec(load(path)))
    emitter = GoEmitter(api, GoOptions(module="example.com/media", package="media"))
    (service,) = [f.context.x for f in emitter.files() if f.template == "service.go.jinja" and f.context is not None]
    sends = {
        op.method_name: op.body.content_type
        for group in service.groups
        for op in group.operations
        if op.body is not None
    }
    assert sends == {
        "Upload": '"image/png"',
        "UploadImageJpeg": '"image/jpeg"',
        "UploadVideoMp4": '"video/mp4"',
        "UploadText": '"image/svg+xml"',  # the only text one keeps the encoding's name
        "UploadForm": '"application/x-www-form-urlencoded"',
    }
