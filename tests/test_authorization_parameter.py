"""Header parameters named `Authorization` (tests/go/authorization/authorization.yaml).

OpenAPI says such a parameter SHALL be ignored: the client's security schemes send that
header. That holds only where the operation's security sends it. just-eat's partner
operations (`security` absent, no root `security`) take a required `Authorization:
JE-API-KEY <key>`, NPR's token revocation and station finder a `Bearer <token>` on
operations that declare no security: the parameter was dropped with a warning, the page
said "this operation is public", and every call went without the header the server
requires (found by validating every docs sample's request with openapi-core). Over the
2,584 APIs.guru specs under 1 MB: 49 such operations in 6 specs, and 5 in 2 more whose
security is only an API key in another header (azure's LUIS authoring, vtex).

Now such a parameter is the method's argument, with a warning; where a requirement of the
operation does send `Authorization` it is ignored as before. In a document without
security schemes (15 of those specs, 728 operations) the parameter was dropped and a token
given to the client went as `Bearer <token>`, a guess the parameters' own descriptions
contradict (ecwid's `Element <token>, User <secret>`, payrun's OAuth 1 signature): the
parameter is the argument there too, and replaces the bearer token when given."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from helpers import mypy_error_lines, strict_client

from generator.builder import build_api
from generator.config import Job
from generator.load import load
from generator.normalize import Spec

SPEC = Path(__file__).parent / "go" / "authorization" / "authorization.yaml"
PACKAGE = "authorization_client"


def test_the_parameter_is_an_argument_only_where_no_scheme_sends_the_header() -> None:
    api, warnings = build_api(Spec(load(SPEC)))
    params = {op.name: [(p.json_name, p.required) for p in op.parameters] for op in api.operations}
    assert params == {
        "post_public": [("Authorization", True)],
        "get_keyed": [("Authorization", False)],
        "get_bearer": [],
    }
    said = {w.location.pointer: w.message for w in warnings}
    kept = (
        "a header parameter named 'Authorization' is kept as the method's argument, though OpenAPI "
        "says to ignore it: no security requirement of the operation sends an Authorization header, "
        "so without the argument the client would never send the header."
    )
    assert said["#/components/parameters/partnerKey"] == kept
    assert said["#/paths/~1keyed/get/parameters/0"] == kept
    assert said["#/paths/~1bearer/get/parameters/0"].endswith(
        "is ignored, as OpenAPI says: the client sends the credentials of its security scheme (or `headers=`)."
    )


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("authorization")
    return strict_client(root / "out", PACKAGE, Job(SPEC, root / "out" / PACKAGE, PACKAGE))  # type: ignore[no-any-return]


def test_the_server_receives_the_header_the_caller_gives(pkg: ModuleType, server: str) -> None:
    client = pkg.Client(token="tok", key="k", base_url=server)
    sent = client.auth.post_public(authorization="JE-API-KEY ABC")
    assert sent["headers"]["authorization"] == "JE-API-KEY ABC"  # not the client's bearer token
    assert "x-key" not in sent["headers"]
    sent = client.auth.get_keyed(authorization="Bearer user")
    assert (sent["headers"]["authorization"], sent["headers"]["x-key"]) == ("Bearer user", "k")
    assert "authorization" not in client.auth.get_keyed()["headers"]
    assert client.auth.get_bearer()["headers"]["authorization"] == "Bearer tok"


def test_the_page_says_which_argument_carries_the_header(pkg: ModuleType) -> None:
    page = (Path(pkg.__file__).parent / "docs" / "operations" / "auth" / "post_public.md").read_text()
    assert (
        "None: the operation requires no security scheme, so the client sends no credentials of its own. "
        "The `Authorization` header is the `authorization` argument's value, sent as given."
    ) in page


def test_mypy_requires_the_required_header(pkg: ModuleType, tmp_path: Path) -> None:
    code = (
        f"from {PACKAGE} import Client\n"
        "client = Client(token='t', key='k')\n"
        "client.auth.post_public(authorization='JE-API-KEY ABC')\n"
        "client.auth.post_public()\n"
    )
    assert mypy_error_lines(pkg, tmp_path / "user.py", code) == ["4"]


NO_SCHEMES = {
    "openapi": "3.0.3",
    "info": {"title": "No schemes", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/element": {
            "get": {
                "operationId": "getElement",
                "tags": ["auth"],
                "parameters": [
                    {
                        "name": "Authorization",
                        "in": "header",
                        "required": False,
                        "description": "`Element <token>, User <secret>`",
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "What the server received.",
                        "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}},
                    }
                },
            }
        }
    },
}


def test_without_schemes_the_argument_replaces_the_clients_bearer_token(tmp_path: Path, server: str) -> None:
    """A document without security schemes: the client sends a token it is given as a
    bearer token (a guess), and the argument, when given, is the header instead."""
    spec = tmp_path / "no_schemes.json"
    spec.write_text(json.dumps(NO_SCHEMES))
    pkg = strict_client(
        tmp_path / "out", "no_schemes_client", Job(spec, tmp_path / "out" / "no_schemes_client", "no_schemes_client")
    )
    client = pkg.Client("tok", base_url=server)
    assert client.auth.get_element()["headers"]["authorization"] == "Bearer tok"
    sent = client.auth.get_element(authorization="Element e, User u")
    assert sent["headers"]["authorization"] == "Element e, User u"
    page = (Path(pkg.__file__).parent / "docs" / "operations" / "auth" / "get_element.md").read_text()
    assert "The `authorization` argument, when given, is sent as the `Authorization` header instead." in page
