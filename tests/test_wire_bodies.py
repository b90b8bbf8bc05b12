"""Request bodies by media type, through a generated client (tests/specs/wire.yaml),
against a real Starlette server (python-multipart) that parses what it receives with
the framework's own form and multipart parsers and echoes it back.

The server runs in its own process on 127.0.0.1 (a free port), is waited for with a
bound, and is stopped by its PID. A 100 MB upload (a binary body and a multipart file)
runs in a child process that measures its own peak RSS: the client streams files, so
the growth stays far below the file's size.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.config import Job
from generator.pipeline import generate
from generator.write import write_package

pytest.importorskip("starlette")
pytest.importorskip("multipart")
pytest.importorskip("uvicorn")

HERE = Path(__file__).parent
SPEC = HERE / "specs" / "wire.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wire")
    result = generate(Job(SPEC, folder, "wire_client"), run_validator=False)
    write_package(folder, "wire_client", result.files)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "wire_client"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout
    return folder


@pytest.fixture(scope="module")
def pkg(out: Path) -> Any:
    sys.path.insert(0, str(out))
    import wire_client

    return wire_client


def test_form_body_with_encoding_and_query_styles(pkg: Any, server: str) -> None:
    from wire_client.models import ItemForm, Line, Range

    client = pkg.Client("tok", base_url=server)
    echo = client.items.create_item(
        ["a", "b"],
        ItemForm(
            name="n x",
            active=True,
            tags=["t1", "t2"],
            metadata={"k": "v"},
            items=[Line(price="p_1", quantity=2), Line(price="p_2")],
            note=None,
        ),
        created=Range(gte=1),
        expand=["a", "b"],
        ids=[1, 2],
        filter={"a": 1},
        x_tags=["x", "y"],
    )
    assert echo["content_type"] == "application/x-www-form-urlencoded"
    assert echo["form"] == [
        ["name", "n x"],
        ["active", "true"],
        ["tags", "t1,t2"],
        ["metadata[k]", "v"],
        ["items[0][price]", "p_1"],
        ["items[0][quantity]", "2"],
        ["items[1][price]", "p_2"],
        ["note", ""],
    ]
    assert echo["query"] == [
        ["created[gte]", "1"],
        ["expand[0]", "a"],
        ["expand[1]", "b"],
        ["ids", "1|2"],
        ["filter", '{"a":1}'],
    ]


def test_form_body_bytes(pkg: Any) -> None:
    from wire_client.models import ItemForm, Line

    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200, json={}))
    client = pkg.Client("tok", http_client=httpx.Client(transport=transport))
    client.items.create_item(["a"], ItemForm(name="é &=", items=[Line(price="p")], tags=[]))
    assert seen[0].content == b"name=%C3%A9+%26%3D&items%5B0%5D%5Bprice%5D=p"
    assert seen[0].url.raw_path == b"/items/.a"


def test_multipart_parts(pkg: Any, server: str) -> None:
    from wire_client.models import FilesUploadBody, Range

    client = pkg.Client("tok", base_url=server)
    echo = client.files.upload(
        FilesUploadBody(
            file=("a.txt", b"hello", "text/plain"),
            extra=[b"x", io.BytesIO(b"yy")],
            title="T",
            labels=["l1", "l2"],
            meta=Range(gte=1),
        )
    )
    assert echo["content_type"].startswith("multipart/form-data; boundary=")
    by_name: dict[str, list[Any]] = {}
    for key, value in echo["form"]:
        by_name.setdefault(key, []).append(value)
    assert by_name["file"] == [
        {
            "filename": "a.txt",
            "content_type": "text/plain",
            "size": 5,
            "sha256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        }
    ]
    assert [(f["filename"], f["content_type"], f["size"]) for f in by_name["extra"]] == [
        ("extra", "application/octet-stream", 1),
        ("extra", "application/octet-stream", 2),
    ]
    assert by_name["title"] == ["T"]
    assert by_name["labels"] == ["l1", "l2"]
    assert json.loads(by_name["meta"][0]) == {"gte": 1}


def test_binary_text_json_flavours_and_wildcard(pkg: Any, server: str, tmp_path: Path) -> None:
    from wire_client.models import Range

    client = pkg.Client("tok", base_url=server)
    echo = client.files.put_blob(b"abc")
    assert (echo["content_type"], echo["size"]) == ("application/octet-stream", 3)
    path = tmp_path / "blob.bin"
    path.write_bytes(b"z" * 200_000)
    with path.open("rb") as f:
        echo = client.files.put_blob(f)
    assert (echo["size"], echo["content_length"]) == (200_000, "200000")
    echo = client.files.put_blob(iter([b"ab", b"cd"]))  # an iterator: chunked
    assert (echo["size"], echo["content_length"]) == (4, None)

    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204))
    mock = pkg.Client("tok", http_client=httpx.Client(transport=transport))
    mock.files.put_note(body="héllo")
    mock.things.patch_thing("1", Range(gte=1))
    mock.things.patch_thing("1", [{"op": "remove", "path": "/a"}], content_type="application/json-patch+json")
    mock.things.post_any(b"\x89PNG", content_type="image/png")
    mock.things.post_any({"a": [1]})
    mock.things.choose(Range(lt=2))
    mock.things.choose(Range(lt=2), content_type="multipart/form-data")
    got = [(r.headers["content-type"].split(";")[0], r.content if r.method else b"") for r in seen]
    assert got[:6] == [
        ("text/plain", "héllo".encode()),
        ("application/merge-patch+json", b'{"gte":1}'),
        ("application/json-patch+json", b'[{"op":"remove","path":"/a"}]'),
        ("image/png", b"\x89PNG"),
        ("application/json", b'{"a":[1]}'),
        ("application/json", b'{"lt":2}'),
    ]
    assert got[6][0] == "multipart/form-data"
    assert b'name="lt"\r\n\r\n2\r\n' in got[6][1]


def test_async_multipart_streams_a_file(pkg: Any, server: str, tmp_path: Path) -> None:
    from wire_client.models import FilesUploadBody

    path = tmp_path / "up.bin"
    path.write_bytes(os.urandom(300_000))

    async def run() -> Any:
        async with pkg.AsyncClient("tok", base_url=server) as client:
            with path.open("rb") as f:
                multipart = await client.files.upload(FilesUploadBody(file=f))
            with path.open("rb") as f:
                binary = await client.files.put_blob(f)
            return multipart, binary

    multipart, binary = asyncio.run(run())
    (part,) = [v for k, v in multipart["form"] if k == "file"]
    assert (part["filename"], part["size"]) == ("up.bin", 300_000)
    assert binary["size"] == 300_000 and binary["sha256"] == part["sha256"]


MEMORY_SCRIPT = textwrap.dedent(
    """
    import resource, sys
    import wire_client
    from wire_client.models import FilesUploadBody

    path, url = sys.argv[1], sys.argv[2]
    client = wire_client.Client("tok", base_url=url)
    client.files.put_blob(b"warm-up")  # httpx, its transport and the server connection loaded
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(path, "rb") as f:
        binary = client.files.put_blob(f)
    with open(path, "rb") as f:
        multipart = client.files.upload(FilesUploadBody(file=f))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = [v for k, v in multipart["form"] if k == "file"][0]["size"]
    print(binary["size"], size, (after - before) * 1024)
    """
)


def test_100mb_uploads_are_streamed(out: Path, server: str, tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    chunk = os.urandom(1 << 20)
    with path.open("wb") as f:
        for _ in range(100):
            f.write(chunk)
    env = {**os.environ, "PYTHONPATH": str(out)}
    proc = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(path), server],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    binary_size, multipart_size, growth = map(int, proc.stdout.split())
    assert binary_size == multipart_size == 100 * (1 << 20)
    print(f"peak RSS growth while uploading 100 MB twice: {growth / 1e6:.1f} MB")
    assert growth < 50 * 1000 * 1000


def test_streamed_bodies_are_sent_once_bytes_are_retried(pkg: Any) -> None:
    """A file object or an iterator is read once: such a call is not retried."""
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.read())
        return httpx.Response(503 if len(seen) == 1 else 200, json={}, headers={"Retry-After": "0"})

    client = pkg.Client("tok", http_client=httpx.Client(transport=httpx.MockTransport(handler)), retries=2)
    client.files.put_blob(b"abc")
    assert seen == [b"abc", b"abc"]
    seen.clear()
    with pytest.raises(pkg.errors.InternalServerError):
        client.files.put_blob(iter([b"ab", b"c"]))
    assert seen == [b"abc"]


def test_each_media_type_has_its_body_type(out: Path) -> None:
    """Several media types with different schemas: `@overload`s tie the body type to
    `content_type`, so mypy rejects a body sent under the other media type."""
    (out / "use_overloads.py").write_text(
        textwrap.dedent(
            """\
            from wire_client import Client
            from wire_client.models import Range

            c = Client("t")
            c.things.patch_thing("1", Range(gte=1))
            c.things.patch_thing("1", [{"op": "add"}], content_type="application/json-patch+json")
            c.things.patch_thing("1", [{"op": "add"}])
            c.things.patch_thing("1", Range(), content_type="application/json-patch+json")
            """
        )
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "use_overloads.py"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    assert [e.split(":")[1] for e in errors] == ["7", "8"], proc.stdout


SHARED_BODY_TYPE = """\
openapi: 3.1.0
info: {title: k, version: "1"}
servers: [{url: "http://localhost"}]
paths:
  /things/{name}:
    patch:
      operationId: patch_thing
      tags: [things]
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json-patch+json: {schema: {type: array, items: {type: object}}}
          application/merge-patch+json: {schema: {type: object}}
          application/strategic-merge-patch+json: {schema: {type: object}}
      responses:
        "204": {description: ok}
"""


def test_media_types_with_one_body_type_share_an_overload(tmp_path: Path) -> None:
    """Kubernetes' PATCH: merge and strategic-merge patches take the same body type, so
    they share one `@overload` (`Literal` of both); JSON Patch keeps its own. Every media
    type is still sent as chosen, and mypy still ties each body type to its media types."""
    (tmp_path / "spec.yaml").write_text(SHARED_BODY_TYPE, "utf-8")
    write_package(
        tmp_path, "kpatch", generate(Job(tmp_path / "spec.yaml", tmp_path, "kpatch"), run_validator=False).files
    )
    text = (tmp_path / "kpatch" / "services" / "things.py").read_text("utf-8")
    assert text.count("@overload\n    def patch_thing(") == 2
    flat = "".join(text.split())  # long annotations are split over lines
    assert 'content_type:Literal["application/merge-patch+json","application/strategic-merge-patch+json"],' in flat
    (tmp_path / "use_patch.py").write_text(
        textwrap.dedent(
            """\
            from kpatch import Client

            c = Client()
            c.things.patch_thing("a", [{"op": "add"}])
            c.things.patch_thing("a", {"k": 1}, content_type="application/merge-patch+json")
            c.things.patch_thing("a", {"k": 1}, content_type="application/strategic-merge-patch+json")
            c.things.patch_thing("a", [{"op": "add"}], content_type="application/strategic-merge-patch+json")
            c.things.patch_thing("a", {"k": 1})
            """
        ),
        "utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "kpatch", "use_patch.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    assert [e.split(":")[:2] for e in errors] == [["use_patch.py", "7"], ["use_patch.py", "8"]], proc.stdout

    sys.path.insert(0, str(tmp_path))
    import kpatch

    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204))
    client = kpatch.Client(http_client=httpx.Client(transport=transport))
    client.things.patch_thing("a", [{"op": "add"}])
    client.things.patch_thing("a", {"k": 1}, content_type="application/merge-patch+json")
    client.things.patch_thing("a", {"k": 1}, content_type="application/strategic-merge-patch+json")
    assert [(r.headers["content-type"], r.content) for r in seen] == [
        ("application/json-patch+json", b'[{"op":"add"}]'),
        ("application/merge-patch+json", b'{"k":1}'),
        ("application/strategic-merge-patch+json", b'{"k":1}'),
    ]
