"""OpenAPI's "Style Examples" table, byte for byte, through a generated client.

One inline spec holds an operation per (location, style, explode, value kind); each is
called with the table's values - the string `blue`, the array `[blue, black, brown]` and
the object `{R: 100, G: 200, B: 150}` (as a model, and as a map) - and the request that
reaches an `httpx.MockTransport` is compared with the table's text. The expected strings
are written from the specification's rules (RFC 6570 expansion, percent-encoding shown
as OpenAPI 3.1.1 shows it), not produced by the generator.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import strict_client
from test_go_target import go_toolchain

from generator.config import Job
from generator.pipeline import generate
from generator.write import write_package

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

PRIM, ARRAY, OBJECT, MAP, EMPTY = "prim", "array", "object", "map", "empty"
SCHEMAS: dict[str, Any] = {
    PRIM: {"type": "string"},
    EMPTY: {"type": "string"},
    ARRAY: {"type": "array", "items": {"type": "string"}},
    OBJECT: {"$ref": "#/components/schemas/Color"},
    MAP: {"type": "object", "additionalProperties": {"type": "integer"}},
}

# (location, style, explode, kind) -> what goes on the wire: the path after /p/, the
# query string, the X-Color header, or the Cookie header.
TABLE: dict[tuple[str, str, bool, str], str] = {
    ("path", "simple", False, EMPTY): "",
    ("path", "simple", False, PRIM): "blue",
    ("path", "simple", False, ARRAY): "blue,black,brown",
    ("path", "simple", False, OBJECT): "R,100,G,200,B,150",
    ("path", "simple", True, PRIM): "blue",
    ("path", "simple", True, ARRAY): "blue,black,brown",
    ("path", "simple", True, OBJECT): "R=100,G=200,B=150",
    ("path", "label", False, EMPTY): ".",
    ("path", "label", False, PRIM): ".blue",
    ("path", "label", False, ARRAY): ".blue,black,brown",
    ("path", "label", False, OBJECT): ".R,100,G,200,B,150",
    ("path", "label", True, PRIM): ".blue",
    ("path", "label", True, ARRAY): ".blue.black.brown",
    ("path", "label", True, OBJECT): ".R=100.G=200.B=150",
    ("path", "matrix", False, EMPTY): ";color",
    ("path", "matrix", False, PRIM): ";color=blue",
    ("path", "matrix", False, ARRAY): ";color=blue,black,brown",
    ("path", "matrix", False, OBJECT): ";color=R,100,G,200,B,150",
    ("path", "matrix", True, PRIM): ";color=blue",
    ("path", "matrix", True, ARRAY): ";color=blue;color=black;color=brown",
    ("path", "matrix", True, OBJECT): ";R=100;G=200;B=150",
    ("query", "form", False, EMPTY): "color=",
    ("query", "form", False, PRIM): "color=blue",
    ("query", "form", False, ARRAY): "color=blue,black,brown",
    ("query", "form", False, OBJECT): "color=R,100,G,200,B,150",
    ("query", "form", True, EMPTY): "color=",
    ("query", "form", True, PRIM): "color=blue",
    ("query", "form", True, ARRAY): "color=blue&color=black&color=brown",
    ("query", "form", True, OBJECT): "R=100&G=200&B=150",
    ("query", "spaceDelimited", False, ARRAY): "color=blue%20black%20brown",
    ("query", "spaceDelimited", False, OBJECT): "color=R%20100%20G%20200%20B%20150",
    ("query", "pipeDelimited", False, ARRAY): "color=blue%7Cblack%7Cbrown",
    ("query", "pipeDelimited", False, OBJECT): "color=R%7C100%7CG%7C200%7CB%7C150",
    ("query", "deepObject", True, OBJECT): "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150",
    ("header", "simple", False, PRIM): "blue",
    ("header", "simple", False, ARRAY): "blue,black,brown",
    ("header", "simple", False, OBJECT): "R,100,G,200,B,150",
    ("header", "simple", True, PRIM): "blue",
    ("header", "simple", True, ARRAY): "blue,black,brown",
    ("header", "simple", True, OBJECT): "R=100,G=200,B=150",
    ("cookie", "form", False, PRIM): "color=blue",
    ("cookie", "form", False, ARRAY): "color=blue,black,brown",
    ("cookie", "form", False, OBJECT): "color=R,100,G,200,B,150",
    ("cookie", "form", True, PRIM): "color=blue",
    ("cookie", "form", True, ARRAY): "color=blue; color=black; color=brown",
    ("cookie", "form", True, OBJECT): "R=100; G=200; B=150",
}
# a map is an object too: the same text as the model
TABLE.update({(loc, style, ex, MAP): text for (loc, style, ex, kind), text in list(TABLE.items()) if kind == OBJECT})


def op_id(loc: str, style: str, explode: bool, kind: str) -> str:
    return f"{loc}_{style}_{'x' if explode else 'n'}_{kind}".lower()


def build_spec() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for loc, style, explode, kind in TABLE:
        oid = op_id(loc, style, explode, kind)
        name = "X-Color" if loc == "header" else "color"
        param = {"name": name, "in": loc, "required": True, "style": style, "explode": explode, "schema": SCHEMAS[kind]}
        # `c` before the value: a lone `.` segment (label, empty) is a dot segment URLs drop
        path = f"/p/{oid}/c{{color}}" if loc == "path" else f"/p/{oid}"
        paths[path] = {
            "get": {
                "operationId": oid,
                "tags": ["styles"],
                "parameters": [param],
                "responses": {"204": {"description": "none"}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Styles", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {
            "schemas": {
                "Color": {
                    "type": "object",
                    "required": ["R", "G", "B"],
                    "properties": {"R": {"type": "integer"}, "G": {"type": "integer"}, "B": {"type": "integer"}},
                }
            }
        },
    }


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("styles")
    spec = out / "styles.json"
    spec.write_text(json.dumps(build_spec()), encoding="utf-8")
    return strict_client(out, "styles_client", Job(spec, out, "styles_client"))


def value(pkg: Any, kind: str) -> Any:
    from styles_client.models import Color

    return {
        PRIM: "blue",
        EMPTY: "",
        ARRAY: ["blue", "black", "brown"],
        OBJECT: Color(r=100, g=200, b=150),
        MAP: {"R": 100, "G": 200, "B": 150},
    }[kind]


@pytest.mark.parametrize("case", list(TABLE), ids=lambda c: op_id(*c))
def test_style_examples_table(pkg: Any, case: tuple[str, str, bool, str]) -> None:
    loc, style, explode, kind = case
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = pkg.Client("tok", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    service = client.styles
    oid = op_id(*case)
    method = getattr(service, oid)
    given = value(pkg, kind)
    if loc == "path":
        method(given)
    elif loc == "header":
        method(x_color=given)
    else:
        method(color=given)
    (request,) = seen
    expected = TABLE[case]
    raw_path = request.url.raw_path.decode("ascii")
    if loc == "path":
        assert raw_path == f"/p/{oid}/c{expected}"
    elif loc == "query":
        assert raw_path == f"/p/{oid}?{expected}"
    elif loc == "header":
        assert request.headers["X-Color"] == expected
    else:
        assert request.headers["Cookie"] == expected


def test_percent_encoding_and_allow_reserved(tmp_path: Path) -> None:
    """RFC 6570: only unreserved characters stay in a value, unless allowReserved."""
    from generator.emit.python import RUNTIME_FILES  # noqa: F401  (the runtime is what is shipped)

    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Enc", "version": "1"},
        "paths": {
            "/c/{doc}": {
                "get": {
                    "operationId": "content_path",
                    "parameters": [
                        {
                            "name": "doc",
                            "in": "path",
                            "required": True,
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                    ],
                    "responses": {"204": {"description": "none"}},
                }
            },
            "/e/{key}": {
                "get": {
                    "operationId": "enc",
                    "parameters": [
                        {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        {"name": "r", "in": "query", "allowReserved": True, "schema": {"type": "string"}},
                        {"name": "flag", "in": "query", "schema": {"type": "boolean"}},
                        {"name": "X-Note", "in": "header", "schema": {"type": "string"}},
                    ],
                    "responses": {"204": {"description": "none"}},
                }
            },
        },
    }
    path = tmp_path / "enc.json"
    path.write_text(json.dumps(spec))
    result = generate(Job(path, tmp_path, "enc_client"), run_validator=False)
    write_package(tmp_path, "enc_client", result.files)
    sys.path.insert(0, str(tmp_path))
    try:
        import enc_client
    finally:
        sys.path.remove(str(tmp_path))
    seen: list[httpx.Request] = []
    client = enc_client.Client(
        "t",
        base_url="https://h",
        http_client=httpx.Client(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204))),
    )
    client.e.enc("a b/c?d", q="x y&z=1#é", r="/p?a=b,c[0]#f", flag=False, x_note="line\r\nInjected: 1")
    (request,) = seen
    assert request.url.raw_path == b"/e/a%20b%2Fc%3Fd?q=x%20y%26z%3D1%23%C3%A9&r=/p?a=b,c[0]%23f&flag=false"
    assert request.headers["X-Note"] == "line%0D%0AInjected: 1"
    client.c.content_path({"a": [1, "x/y"]})
    assert seen[1].url.raw_path == b"/c/%7B%22a%22%3A%5B1%2C%22x%2Fy%22%5D%7D"


REFUSALS = Path(__file__).parent / "go" / "refusals" / "refusals.yaml"


def test_a_delimited_item_holding_its_separator_is_refused(tmp_path: Path) -> None:
    """spaceDelimited and pipeDelimited write the separator as `%20` / `%7C` and have no
    escape: an item holding a space or a pipe was sent, and the server split it apart
    (`["a", "b|c"]` arrived as three tags). So was a header list's item holding a comma.
    Such a call now raises before anything is sent; a comma or the other style's separator
    in a query is encoded as before. Go: refusals_test.go."""
    pkg = strict_client(tmp_path, "refusals_client", Job(REFUSALS, tmp_path / "refusals_client", "refusals_client"))
    from refusals_client.models import RefusalsPostFormBody

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    with pytest.raises(ValueError, match=r"'b\|c' holds '\|', the separator of its pipeDelimited style"):
        client.refusals.search(tags=["a", "b|c"])
    with pytest.raises(ValueError, match="spaceDelimited"):
        client.refusals.search(words=["x y"])
    with pytest.raises(ValueError, match="spaceDelimited"):
        client.refusals.post_form(RefusalsPostFormBody(words=["x y"]))
    # a header value is never percent-decoded: a comma inside an item has no escape at all
    with pytest.raises(ValueError, match="'b,c' holds ',', a separator of a header parameter's simple style"):
        client.refusals.search(x_tags=["a", "b,c"])
    assert seen == []
    client.refusals.search(tags=["a", "b,c"], words=["x", "y|z"], x_tags=["a b", "c|d"])
    assert seen[0].headers["x-tags"] == "a b,c|d"
    client.refusals.post_form(RefusalsPostFormBody(words=["x", "y"]))
    assert [r.url.raw_path.decode() for r in seen] == ["/search?tags=a%7Cb%2Cc&words=x%20y%7Cz", "/form"]
    assert seen[1].content == b"words=x+y"


def test_go_refuses_the_same_delimited_items(go_toolchain: str, tmp_path: Path) -> None:
    from test_go_target import GO_TESTS, go_tests_pass

    go_tests_pass(
        REFUSALS,
        GO_TESTS / "refusals" / "refusals_test.go",
        tmp_path,
        "refusals",
        "TestDelimitedItemsHoldingTheirSeparatorAreRefused",
    )
