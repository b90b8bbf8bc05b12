"""The wire model in the IR: each parameter's serialization and each body's kind, decided
in the builder (tests/specs/wire.yaml, dumped whole), and the located warnings for what
OpenAPI leaves undefined."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.builder import build_api
from generator.ir import model as m
from generator.ir import types as t
from generator.ir.dump import dumps
from generator.load import load
from generator.normalize import Spec

SPEC = Path(__file__).parent / "specs" / "wire.yaml"


def op(api: m.Api, name: str) -> m.Operation:
    return next(o for o in api.operations if o.operation_id == name)


def test_wire_ir_dump(snapshot: Callable[[str, str], None]) -> None:
    api, warnings = build_api(Spec(load(SPEC)))
    create = op(api, "createItem")
    ser = {p.json_name: p.serialization for p in create.parameters}
    assert ser["id"] == m.StyleSerialization("label", True)
    assert ser["created"] == m.StyleSerialization("deepObject", True)
    assert ser["ids"] == m.StyleSerialization("pipeDelimited", False)
    assert ser["filter"] == m.ContentSerialization("application/json", "json")
    assert ser["X-Tags"] == m.StyleSerialization("simple", False)
    assert ser["session"] == m.StyleSerialization("form", True)
    assert create.body is not None and isinstance(create.body.encoding, m.FormBody)
    fields = {f.json_name: f.serialization for f in create.body.encoding.fields}
    assert fields["tags"] == m.StyleSerialization("form", False)
    assert fields["items"] == m.StyleSerialization("deepObject", True)
    upload = op(api, "upload").body
    assert upload is not None and isinstance(upload.encoding, m.MultipartBody)
    assert {p.json_name: (p.kind, p.content_type, p.repeated) for p in upload.encoding.parts} == {
        "file": ("file", "application/octet-stream", False),
        "extra": ("file", "application/octet-stream", True),
        "title": ("text", "text/plain", False),
        "labels": ("text", "text/plain", True),
        "meta": ("json", "application/json", False),
    }
    patch = op(api, "patchThing").body
    assert patch is not None and [x.content_type for x in patch.media] == [
        "application/merge-patch+json",
        "application/json-patch+json",
    ]
    assert patch.media[1].type == t.Array(t.Map(t.AnyType()))  # RFC 6902: a list, whatever the schema says
    choose = op(api, "choose").body
    assert choose is not None and choose.content_type == "application/json"  # JSON is the default where offered
    assert isinstance(op(api, "putBlob").body.encoding, m.BinaryBody)  # type: ignore[union-attr]
    assert isinstance(op(api, "putNote").body.encoding, m.TextBody)  # type: ignore[union-attr]
    assert isinstance(op(api, "postAny").body.encoding, m.WildcardBody)  # type: ignore[union-attr]
    assert not [w for w in warnings if "not supported" in w.message]
    snapshot("ir/wire.json", dumps(api))


def test_undefined_serializations_warn_with_pointer(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "W", "version": "1"},
        "paths": {
            "/w/{p}": {
                "post": {
                    "operationId": "w",
                    "parameters": [
                        {"name": "p", "in": "path", "required": True, "style": "form", "schema": {"type": "string"}},
                        {
                            "name": "s",
                            "in": "query",
                            "style": "spaceDelimited",
                            "explode": True,
                            "schema": {"type": "array", "items": {"type": "string"}},
                        },
                        {
                            "name": "n",
                            "in": "query",
                            "schema": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
                        },
                    ],
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"f": {"type": "string", "format": "binary"}},
                                },
                                "encoding": {"f": {"headers": {"X-A": {"schema": {"type": "string"}}}}},
                            }
                        }
                    },
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
    }
    path = tmp_path / "w.json"
    path.write_text(json.dumps(spec))
    api, warnings = build_api(Spec(load(path)))
    found = {w.location.pointer: w.message for w in warnings}
    assert "the client sends 'p' in 'simple' style" in found["#/paths/~1w~1{p}/post/parameters/0/style"]
    assert "form style (s=a&s=b)" in found["#/paths/~1w~1{p}/post/parameters/1"]
    assert "compact JSON text" in found["#/paths/~1w~1{p}/post/parameters/2/schema"]
    assert (
        "part headers of 'f' are not sent"
        in found["#/paths/~1w~1{p}/post/requestBody/content/multipart~1form-data/encoding/f/headers"]
    )
    params = {p.json_name: p.serialization for p in op(api, "w").parameters}
    assert params["p"] == m.StyleSerialization("simple", False)
    assert params["s"] == m.StyleSerialization("form", True)


def test_accept_content_type_and_authorization_header_parameters_are_ignored(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "H", "version": "1"},
        "paths": {
            "/h": {
                "post": {
                    "operationId": "h",
                    "parameters": [
                        {"name": name, "in": "header", "schema": {"type": "string"}}
                        for name in ("Content-Type", "accept", "Authorization", "X-Kept")
                    ],
                    "requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}},
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
        # the scheme sends Authorization (test_authorization_parameter.py: where none does)
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }
    path = tmp_path / "h.json"
    path.write_text(json.dumps(spec))
    api, warnings = build_api(Spec(load(path)))
    assert [p.json_name for p in op(api, "h").parameters] == ["X-Kept"]
    ignored = sorted(w.location.pointer for w in warnings if "is ignored, as OpenAPI says" in w.message)
    assert ignored == [f"#/paths/~1h/post/parameters/{i}" for i in range(3)]


def test_a_shared_authorization_parameter_is_warned_about_once(tmp_path: Path) -> None:
    """ndhm's gateway APIs declare no security scheme and a required `Authorization`
    header parameter, one component used by 26 operations: it was warned about 26 times,
    each saying the client sends "the credentials of its security scheme", which the
    document has none of. One warning now says what the client does: the parameter is
    each method's argument (the document says nothing else of the header's form: ecwid's
    is `Element <token>, User <secret>`), and a token given to the client goes as a
    bearer token only where the argument is not given."""
    shared = {"$ref": "#/components/parameters/auth"}
    spec: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "H", "version": "1"},
        "paths": {
            f"/{name}": {
                "get": {"operationId": name, "parameters": [shared], "responses": {"204": {"description": "ok"}}}
            }
            for name in ("a", "b", "c")
        },
        "components": {
            "parameters": {
                "auth": {"name": "Authorization", "in": "header", "required": True, "schema": {"type": "string"}}
            }
        },
    }
    path = tmp_path / "h.json"
    path.write_text(json.dumps(spec))
    api, warnings = build_api(Spec(load(path)))
    assert [(w.location.pointer, w.message) for w in warnings] == [
        (
            "#/components/parameters/auth",
            "a header parameter named 'Authorization' is kept as the method's argument, though OpenAPI says to "
            "ignore it: the document has no security scheme to send that header. A token given to the client "
            "goes as `Authorization: Bearer <token>` only where the argument is not given.",
        )
    ]
    assert {o.name: [p.name for p in o.parameters] for o in api.operations} == {key: ["authorization"] for key in "abc"}
    # with a scheme that sends the header (test_authorization_parameter.py: one that does not)
    spec["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    spec["security"] = [{"bearer": []}]
    path.write_text(json.dumps(spec))
    api, warnings = build_api(Spec(load(path)))
    assert [w.message.split(": ", 1)[1] for w in warnings] == [
        "the client sends the credentials of its security scheme (or `headers=`)."
    ]
    assert [p for o in api.operations for p in o.parameters] == []


def test_header_parameters_the_http_client_writes_are_left_out(tmp_path: Path) -> None:
    """vercel's artifact upload declares a required `Content-Length` header: the caller's
    value went out beside the body, and one that disagreed with it made httpx refuse the
    request ("bad Content-Length"; a laxer client would send a wrong one)."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "H", "version": "1"},
        "paths": {
            "/u": {
                "put": {
                    "operationId": "u",
                    "parameters": [
                        {"name": name, "in": "header", "required": True, "schema": {"type": "number"}}
                        for name in ("Content-Length", "transfer-encoding", "Host", "X-Artifact-Duration")
                    ],
                    "requestBody": {"content": {"application/octet-stream": {"schema": {}}}},
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
    }
    path = tmp_path / "u.json"
    path.write_text(json.dumps(spec))
    api, warnings = build_api(Spec(load(path)))
    assert [p.json_name for p in op(api, "u").parameters] == ["X-Artifact-Duration"]
    left = sorted(w.location.pointer for w in warnings if "is left out of the method: the HTTP client" in w.message)
    assert left == [f"#/paths/~1u/put/parameters/{i}" for i in range(3)]


def test_header_parameters_a_credential_always_sends_are_left_out(tmp_path: Path) -> None:
    """vtex's APIs declare `X-VTEX-API-AppKey` both as an API key scheme and as a required
    header parameter: the caller had to pass the key twice, and the two clients kept
    different ones (Python the parameter, Go the credential). The credential sends it; the
    parameter stays where some alternative of the operation's security does not."""

    def one(op_id: str, security: list[dict[str, list[str]]] | None) -> dict[str, object]:
        op: dict[str, object] = {
            "operationId": op_id,
            "parameters": [
                {"name": name, "in": "header", "required": True, "schema": {"type": "string"}}
                for name in ("X-App-Key", "X-Other")
            ],
            "responses": {"204": {"description": "none"}},
        }
        if security is not None:
            op["security"] = security
        return {"get": op}

    spec = {
        "openapi": "3.1.0",
        "info": {"title": "H", "version": "1"},
        "security": [{"appKey": []}],
        "paths": {
            "/root": one("root", None),
            "/both": one("both", [{"appKey": [], "bearer": []}, {"appKey": []}]),
            "/open": one("open", []),
            "/either": one("either", [{"appKey": []}, {}]),
            "/bearer": one("bearer", [{"bearer": []}]),
        },
        "components": {
            "securitySchemes": {
                "appKey": {"type": "apiKey", "in": "header", "name": "x-app-key"},
                "bearer": {"type": "http", "scheme": "bearer"},
            }
        },
    }
    path = tmp_path / "k.json"
    path.write_text(json.dumps(spec))
    api, warnings = build_api(Spec(load(path)))
    kept = {o.operation_id: [p.json_name for p in o.parameters] for o in api.operations}
    assert kept == {
        "root": ["X-Other"],
        "both": ["X-Other"],
        "open": ["X-App-Key", "X-Other"],
        "either": ["X-App-Key", "X-Other"],
        "bearer": ["X-App-Key", "X-Other"],
    }
    said = [w for w in warnings if "credential of security scheme 'appKey'" in w.message]
    assert [w.location.pointer for w in said] == ["#/paths/~1root/get/parameters/0", "#/paths/~1both/get/parameters/0"]


def test_a_binary_parameter_is_sent_as_base64_with_a_warning(tmp_path: Path) -> None:
    """sinao's `invoice` (a file, `format: binary`, in the query): the Python client sent
    Python's repr of the bytes (`b'...'`); both clients now send base64, and say so."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "B", "version": "1"},
        "paths": {
            "/p": {
                "post": {
                    "operationId": "p",
                    "parameters": [
                        {"name": "invoice", "in": "query", "schema": {"type": "string", "format": "binary"}}
                    ],
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
    }
    path = tmp_path / "b.json"
    path.write_text(json.dumps(spec))
    _, warnings = build_api(Spec(load(path)))
    said = [w for w in warnings if "is binary (`format: binary`)" in w.message]
    assert [w.location.pointer for w in said] == ["#/paths/~1p/post/parameters/0"]
    assert "base64-encoded" in said[0].message
