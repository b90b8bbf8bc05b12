"""Server names and server variables (issue 15.9), on small inline specs.

Names: x-speakeasy-server-id, else a slug of the description, else server_N. Variables:
typed keyword arguments of both clients, with their defaults and enums (Literal), filled
into the URL escaped, so a value can never send the request (and the token) elsewhere.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from test_go_target import go_toolchain

from generator.builder import build_api
from generator.builder.servers import description_slug, variable_place
from generator.config import Job
from generator.ir import model as m
from generator.load import load
from generator.normalize import Spec
from generator.pipeline import generate
from generator.write import write_package

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

SPEC = textwrap.dedent(
    """\
    openapi: 3.1.0
    info: {title: Regions, version: "1"}
    servers:
      - url: "https://{region}.api.example.com/{version}"
        description: Production environment
        variables:
          region: {default: eu, enum: [eu, us], description: Data residency.}
          version: {default: v1}
      - url: https://sandbox.example.com
        description: Sandbox
      - url: https://third.example.com
        x-speakeasy-server-id: staging
      - url: https://fourth.example.com
      - url: https://fifth.example.com
        description: Sandbox server
    paths:
      /ping:
        get:
          operationId: ping
          tags: [health]
          responses: {"204": {description: ok}}
    """
)


def api_of(tmp_path: Path, text: str = SPEC) -> m.Api:
    (tmp_path / "s.yaml").write_text(text, "utf-8")
    api, _ = build_api(Spec(load(tmp_path / "s.yaml")))
    return api


def test_names_and_variables_in_the_ir(tmp_path: Path) -> None:
    api = api_of(tmp_path)
    assert [s.name for s in api.servers] == ["production", "sandbox", "staging", "server_3", "sandbox2"]
    assert api.servers[0].url == "https://{region}.api.example.com/{version}"
    assert api.servers[0].variables == ("region", "version")
    assert api.server_variables == (
        m.ServerVariable("region", "region", "eu", ("eu", "us"), "Data residency.", place="host"),
        m.ServerVariable("version", "version", "v1", (), None, place="path"),
    )


def test_a_default_outside_its_enum_is_the_first_value_with_a_warning(tmp_path: Path) -> None:
    """vtex's template spec: `environment` has `enum: [vtexcommercestable, myvtex]` and the
    placeholder default `{environment}`, which OpenAPI forbids. The constructor's default
    was then a value its own `Literal` type refuses (the package failed mypy --strict)
    and a URL no server has."""
    spec = SPEC.replace("region: {default: eu, enum: [eu, us]", "region: {default: '{region}', enum: [eu, us]")
    (tmp_path / "s.yaml").write_text(spec, "utf-8")
    api, warnings = build_api(Spec(load(tmp_path / "s.yaml")))
    assert api.server_variables[0] == m.ServerVariable(
        "region", "region", "eu", ("eu", "us"), "Data residency.", place="host"
    )
    (warning,) = [str(w) for w in warnings if "server variable" in w.message]
    assert "s.yaml:7 at #/servers/0/variables/region/default:" in warning
    assert "the default '{region}' of server variable 'region' is not one of its enum values ('eu', 'us')" in warning
    assert "the client's default is 'eu'" in warning


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Production environment", "production"),
        ("EU region (Frankfurt)", "eu_region_frankfurt"),
        ("The server", "the_server"),
        ("Sandbox API server", "sandbox"),
    ],
)
def test_description_slug(text: str, slug: str) -> None:
    assert description_slug(text) == slug


def test_variable_names_never_clash_with_constructor_arguments(tmp_path: Path) -> None:
    spec = SPEC.replace("{region}", "{token}").replace("region: {", "token: {")
    api = api_of(tmp_path, spec)
    assert [v.name for v in api.server_variables] == ["token2", "version"]


@pytest.mark.parametrize(
    ("url", "var", "default", "place"),
    [
        ("https://{region}.example.com{basePath}", "region", "eu", "host"),
        ("https://{region}.example.com{basePath}", "basePath", "/api/v1", "base_path"),  # ebay's buy-deal
        ("https://api.example.com/{version}", "version", "v1", "path"),
        ("https://{host}/v1", "host", "localhost:8080", "authority"),
        ("https://api.example.com:{port}/v1", "port", "443", "port"),
        ("{scheme}://api.example.com", "scheme", "https", "scheme"),
        ("{server}", "server", "https://api.example.com/v1", "url"),
        ("/api/{version}", "version", "v1", "path"),
    ],
)
def test_where_a_variable_sits(url: str, var: str, default: str, place: str) -> None:
    assert variable_place(url, var, default) == place


BASE_PATH = textwrap.dedent(
    """\
    openapi: 3.0.3
    info: {title: t, version: "1"}
    servers:
      - url: https://{region}.example.com{basePath}
        variables:
          region: {default: eu, enum: [eu, us]}
          basePath: {default: /api/v1}
    paths:
      /ping:
        get:
          operationId: ping
          tags: [health]
          responses: {"204": {description: ok}}
    """
)


def test_a_path_variable_keeps_its_slashes(tmp_path: Path) -> None:
    """`{basePath}` ends the authority but its value is a path: before, its `/` were
    escaped and every call went to the host `eu.example.com%2Fapi%2Fv1`."""
    (tmp_path / "spec.yaml").write_text(BASE_PATH, "utf-8")
    write_package(
        tmp_path, "base_path", generate(Job(tmp_path / "spec.yaml", tmp_path, "base_path"), run_validator=False).files
    )
    sys.path.insert(0, str(tmp_path))
    import base_path

    assert hosts(base_path) == ["https://eu.example.com/api/v1/ping"]
    assert hosts(base_path, base_path="/v2/x?y#z") == ["https://eu.example.com/v2/x%3Fy%23z/ping"]
    for value in ("@evil.com", ".evil.com", ":8080"):  # it follows the host: it cannot extend it
        with pytest.raises(ValueError, match="must start with '/'"):
            base_path.Client(base_path=value)
    (url,) = hosts(base_path, region="evil.com/x@")
    assert httpx.URL(url).host == "evil.com%2fx%40.example.com"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("servers")
    (out / "spec.yaml").write_text(SPEC, "utf-8")
    write_package(
        out, "regions_client", generate(Job(out / "spec.yaml", out, "regions_client"), run_validator=False).files
    )
    (out / "use.py").write_text(
        "from regions_client import AsyncClient, Client\n\n"
        "a = Client(region='us', version='v2')\nb = AsyncClient(region='eu')\n",
        "utf-8",
    )
    (out / "misuse.py").write_text("from regions_client import Client\n\nc = Client(region='mars')\n", "utf-8")
    sys.path.insert(0, str(out))
    import regions_client

    regions_client.__dict__["_out"] = out
    return regions_client


def hosts(pkg: Any, **kwargs: Any) -> list[str]:
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(204)

    client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handle)), **kwargs)
    client.health.ping()
    return seen


def test_variables_fill_the_url(pkg: Any) -> None:
    assert hosts(pkg) == ["https://eu.api.example.com/v1/ping"]
    assert hosts(pkg, region="us", version="v2/beta") == ["https://us.api.example.com/v2/beta/ping"]
    assert hosts(pkg, server="sandbox", region="us") == ["https://sandbox.example.com/ping"]


def test_a_variable_cannot_change_the_host(pkg: Any) -> None:
    (url,) = hosts(pkg, region="evil.example.com/x?")
    assert httpx.URL(url).host == "evil.example.com%2fx%3f.api.example.com"


def test_variables_are_typed(pkg: Any) -> None:
    out = pkg.__dict__["_out"]

    def mypy(*targets: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *targets],
            cwd=out,
            capture_output=True,
            text=True,
            timeout=600,
        )

    ok = mypy("regions_client", "use.py")
    assert ok.returncode == 0, ok.stdout
    bad = mypy("misuse.py")
    assert bad.returncode == 1 and "Literal['eu', 'us']" in bad.stdout, bad.stdout
    doc = pkg.Client.__doc__
    assert "region: the server URLs' `{region}`: one of `eu`, `us`; default `eu`. Data residency." in doc


RELATIVE = Path(__file__).parent / "go" / "relative_server" / "relative_server.yaml"


def test_a_scheme_relative_server_is_https_with_a_warning() -> None:
    """`//api.example.com/v1` (documents converted from Swagger 2 without `schemes`): the
    client could not send to it at all; the document's own scheme is https for nearly
    every published API. An operation listing it again has no server of its own."""
    api, warnings = build_api(Spec(load(RELATIVE)))
    assert [(s.name, s.url) for s in api.servers] == [
        ("relative", "/api/v2"),
        ("scheme_relative", "https://api.example.com/v1"),
    ]
    assert [(w.location.pointer, w.message) for w in warnings] == [
        (
            "#/servers/1/url",
            "the server URL '//api.example.com/v1' names no scheme: the client sends to "
            "'https://api.example.com/v1' (`base_url`, Go's `WithServerURL`, for another).",
        )
    ]


def test_a_relative_server_names_no_host(tmp_path: Path) -> None:
    """`/api/v2` is relative to wherever the spec was served: the client is not built
    without `base_url` (it was, and every call failed as a connection error). Go:
    `tests/go/relative_server`."""
    write_package(tmp_path, "relative", generate(Job(RELATIVE, tmp_path, "relative"), run_validator=False).files)
    sys.path.insert(0, str(tmp_path))
    import relative

    with pytest.raises(ValueError, match=r"the server 'relative' is '/api/v2', which names no host: pass base_url"):
        relative.Client()
    readme = (tmp_path / "relative" / "README.md").read_text("utf-8")
    assert (
        "The default server's URL is relative: it names no host, so the client needs `base_url`, the API's "
        'address (`Client(base_url="https://<host>/api/v2")`); without it, `Client()` raises `ValueError`.'
    ) in readme
    assert hosts(relative, server="scheme_relative") == ["https://api.example.com/v1/ping"]
    assert hosts(relative, base_url="http://localhost:8086/api/v2") == ["http://localhost:8086/api/v2/ping"]


@pytest.mark.parametrize(
    ("servers", "base_url"),
    [
        ([{"url": "/api/{version}", "variables": {"version": {"default": "v2"}}}], "https://<host>/api/v2"),
        ([{"url": "/"}], "https://<host>"),
        (None, "https://<host>"),  # no servers: the client needs `base_url` too
        ([{"url": "https://api.example.com/v1"}], None),
    ],
)
def test_samples_pass_a_placeholder_base_url_where_the_server_names_no_host(
    servers: list[dict[str, Any]] | None, base_url: str | None, tmp_path: Path
) -> None:
    """A sample that calls `Client()` where the client is not built without `base_url`
    stops at a `ValueError`: the docs' samples (each operation's, sync and async, and the
    README's) pass `base_url` with a `<host>` placeholder, as they pass `<YOUR_TOKEN>`;
    Go's pass `WithServerURL`. With the placeholder replaced, a sample runs as written."""
    doc = yaml.safe_load(RELATIVE.read_text("utf-8"))
    doc.pop("servers")
    if servers is not None:
        doc["servers"] = servers
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(doc), "utf-8")
    package = f"placeholder_{len(list(tmp_path.parent.iterdir()))}"
    files = generate(Job(spec, tmp_path, package, go_module="example.com/ph"), run_validator=False).files
    write_package(tmp_path, package, files)
    page = (tmp_path / package / "docs" / "operations" / "health" / "ping.md").read_text("utf-8")
    readme = (tmp_path / package / "README.md").read_text("utf-8")
    python = re.findall(r"```python\n(.*?)```", page, re.S)
    assert len(python) == 2 and "Client(" in readme
    if base_url is None:
        assert not any("base_url" in text for text in python) and "client = Client()" in readme
    else:
        for text in [*python, readme]:
            assert f'Client(base_url="{base_url}")' in text, text
    go = re.search(r"```go\n(.*?)```", page, re.S)
    assert go is not None and (f'WithServerURL("{base_url}")' in go.group(1)) == (base_url is not None), go.group(1)
    if base_url is None:
        return
    sys.path.insert(0, str(tmp_path))
    seen: list[str] = []
    real = httpx.Client.send

    def send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(204, request=request)

    try:
        httpx.Client.send = send  # type: ignore[method-assign]
        exec(compile(python[0].replace("https://<host>", "http://127.0.0.1:9"), "ping.md", "exec"), {})
    finally:
        httpx.Client.send = real  # type: ignore[method-assign]
        sys.path.remove(str(tmp_path))
    assert seen == ["http://127.0.0.1:9" + base_url.removeprefix("https://<host>") + "/ping"]


def test_the_go_client_refuses_a_relative_server_too(go_toolchain: str, tmp_path: Path) -> None:
    from test_go_target import GO_TESTS, go_tests_pass

    go_tests_pass(
        RELATIVE,
        GO_TESTS / "relative_server" / "relative_server_test.go",
        tmp_path,
        "relserver",
        "TestARelativeServerIsRefusedAndASchemeRelativeOneIsHTTPS",
    )
