"""Security schemes and webhooks in the Go target (tests/specs/security.yaml).

Go behaviour tests (tests/go/security_behaviour/) run against httptest servers: every
scheme on the wire, OR/AND requirements, OAuth2 client credentials, redirects, the
Standard Webhooks signatures; deliveries signed in Python (by the independent
`standardwebhooks` package and by hand, each first accepted by the Python client's
own `verify_webhook`) verify in Go, and deliveries signed in Go verify in the Python
client. Every usage sample compiles; the `WithSecurity` shape follows the schemes.
Without the Go toolchain the Go parts are skipped on a developer machine (CI fails).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from helpers import ROOT
from standardwebhooks import Webhook
from test_go_target import GO_TESTS, api_of, generate, go_env, go_test, go_toolchain, vet_samples
from test_security import GOOGLE

from generator.config import Job
from generator.golang.emit import derive_package, go_samples
from generator.golang.pipeline import generate_go
from generator.pipeline import generate as generate_python
from generator.write import write_package

SPEC = ROOT / "tests" / "specs" / "security.yaml"
MODULE = "example.com/guarded"
SECRET = "whsec_" + base64.b64encode(b"a 24-byte test secret!!!").decode()

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

TWO_BEARERS = """\
openapi: 3.1.0
info: {title: Portal, version: "1"}
paths:
  /orders:
    get:
      operationId: listOrders
      tags: [orders]
      security: [{pat: []}, {session: []}]
      responses: {"200": {description: ok}}
  /me:
    get:
      operationId: me
      tags: [portal]
      security: [{session: []}]
      responses: {"200": {description: ok}}
components:
  securitySchemes:
    pat: {type: http, scheme: bearer}
    session: {type: http, scheme: bearer}
"""


@pytest.fixture(scope="module")
def guarded_sdk(go_toolchain: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(SPEC, tmp_path_factory.mktemp("guarded"), MODULE)


@pytest.fixture(scope="module")
def python_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("guarded_py")
    result = generate_python(Job(SPEC, out, "guarded_py"), run_validator=False)
    write_package(out, "guarded_py", result.files)
    sys.path.insert(0, str(out))
    try:
        import guarded_py.webhooks

        yield guarded_py.webhooks
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "guarded_py"]:
            del sys.modules[name]


def _by_hand(body: str, msg_id: str, stamp: int) -> str:
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{stamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def test_go_behaviour_of_every_scheme_and_of_webhooks(
    go_toolchain: str, guarded_sdk: Path, python_client: ModuleType, tmp_path: Path
) -> None:
    now = int(time.time())
    bodies = [
        ("order.paid", json.dumps({"type": "order.paid", "data": {"id": "o1", "amount": 500}})),
        ("order.refunded", json.dumps({"type": "order.refunded", "data": {"id": "\u00e9", "amount": 3}})),
    ]
    deliveries = []
    for i, (kind, body) in enumerate(bodies):
        msg_id = f"msg_py_{i}"
        independent = Webhook(SECRET).sign(msg_id, datetime.fromtimestamp(now, tz=UTC), body)
        for signature in (independent, _by_hand(body, msg_id, now)):
            headers = {"webhook-id": msg_id, "webhook-timestamp": str(now), "webhook-signature": signature}
            event = python_client.verify_webhook(body.encode(), headers, SECRET)  # the Python client agrees
            assert event.type == kind
            deliveries.append({"secret": SECRET, "body": body, "headers": headers, "type": kind})
    assert len(deliveries) == 4
    py_file, go_file = tmp_path / "py.json", tmp_path / "go.json"
    py_file.write_text(json.dumps(deliveries), "utf-8")

    env = go_env(tmp_path) | {"SDKGEN_PY_DELIVERIES": str(py_file), "SDKGEN_GO_DELIVERIES": str(go_file)}
    output = go_test(guarded_sdk, MODULE, GO_TESTS / "security_behaviour", tmp_path, "behaviour", env)
    for name in (
        "TestEverySchemeGoesWhereItsSchemeSays",
        "TestAlternativesAndCombinations",
        "TestOAuth2ClientCredentials",
        "TestOAuth2OneFetchUnderConcurrency",
        "TestRedirectsNeverCarryCredentialsAway",
        "TestSignatureRules",
        "TestCrossCheckWithPython",
    ):
        assert f"--- PASS: {name}" in output, output
    assert "--- SKIP" not in output

    signed_in_go = json.loads(go_file.read_text("utf-8"))
    assert len(signed_in_go) == 2
    for d in signed_in_go:
        event = python_client.verify_webhook(d["body"].encode(), d["headers"], d["secret"])
        assert event.type in ("order.paid", "order.refunded")
        tampered = d["body"].replace('"amount"', '"amount" ')
        with pytest.raises(Exception, match="signature"):
            python_client.verify_webhook(tampered.encode(), d["headers"], d["secret"])


def test_every_sample_compiles_with_its_credentials(go_toolchain: str, guarded_sdk: Path, tmp_path: Path) -> None:
    assert vet_samples(SPEC, guarded_sdk, MODULE, tmp_path / "guarded") == 14
    spec = tmp_path / "portal.yaml"
    spec.write_text(TWO_BEARERS, "utf-8")
    sdk = generate(spec, tmp_path / "portal", "example.com/portal")
    assert vet_samples(spec, sdk, "example.com/portal", tmp_path / "portal-samples") == 2


def _go(spec: Path, tmp: Path, module: str = MODULE) -> tuple[dict[str, str], list[str]]:
    job = Job(spec, tmp, "guarded", target="go", go_module=module)
    result = generate_go(job, run_validator=False)
    files = {path: data.decode("utf-8") for path, data in result.files.items() if path.endswith(".go")}
    return files, [w.message for w in result.warnings]


@pytest.mark.usefixtures("go_toolchain")  # gofmt formats the output
def test_shapes_and_warnings(tmp_path: Path) -> None:
    files, warnings = _go(SPEC, tmp_path / "a")
    root = files["guarded.go"]
    assert "func WithSecurity(security components.Security) SDKOption" in root
    assert "func WithSecuritySource(" in root
    assert 'Env: "GUARDED_TOKEN"' in root  # the IR's variable names, as the Python client's
    assert "webhooks/webhooks.go" in files and "webhooks/verify.go" in files
    assert not [w for w in warnings if "Go client" in w], warnings  # every scheme and the webhooks are wired

    spec = tmp_path / "portal.yaml"
    spec.write_text(TWO_BEARERS, "utf-8")
    files, _ = _go(spec, tmp_path / "b")
    assert "func WithSecurity(token string) SDKOption" in files["guarded.go"]  # the seed's shape
    assert "webhooks/webhooks.go" not in files

    # no schemes at all: the token, if given, goes with every call (as in Python)
    bare = TWO_BEARERS.split("components:")[0].replace("      security: [{pat: []}, {session: []}]\n", "")
    spec.write_text(bare.replace("      security: [{session: []}]\n", ""), "utf-8")
    files, _ = _go(spec, tmp_path / "d")
    assert "func WithSecurity(token string) SDKOption" in files["guarded.go"]
    assert "components.Security" not in files["guarded.go"]
    assert all("Secured:   true" in files[f] for f in ("orders.go", "portal.go"))

    digest = TWO_BEARERS.replace("session: {type: http, scheme: bearer}", "session: {type: http, scheme: digest}")
    spec.write_text(digest, "utf-8")
    files, warnings = _go(spec, tmp_path / "c")
    assert [w for w in warnings if "Go client does not compute http 'digest'" in w]
    assert "func WithSecurity(token string) SDKOption" in files["guarded.go"]  # digest has no field


def test_schemes_only_the_http_client_carries(go_toolchain: str, tmp_path: Path) -> None:
    """Every scheme an `http` one Go does not compute (pay1.de's three `payone-hmac-sha256`
    schemes): the token shape had no token field to fill, and gofmt refused
    `components.Security{: &token}` (generation stopped with an internal error). The
    struct shape is left (an empty struct), and the samples pass no credential: the
    `*http.Client` given to WithClient signs the requests."""
    spec = tmp_path / "signed.yaml"
    spec.write_text(
        TWO_BEARERS.replace("scheme: bearer}", "scheme: payone-hmac-sha256}"),
        "utf-8",
    )
    sdk = generate(spec, tmp_path / "out", "example.com/signed")
    root = (sdk / "signed.go").read_text("utf-8")
    assert "func WithSecurity(security components.Security) SDKOption" in root
    assert vet_samples(spec, sdk, "example.com/signed", tmp_path) == 2
    api = api_of(spec)
    samples = go_samples(api, "example.com/signed", derive_package("example.com/signed"), None)
    assert not any("WithSecurity" in samples.operation_sample(op) for op in api.operations)


def test_go_sends_one_token_for_two_anded_bearer_schemes(go_toolchain: str, tmp_path: Path) -> None:
    """Google's shape (test_security.GOOGLE): WithSecurity(token) or either field is sent once."""
    spec = tmp_path / "lakes.yaml"
    spec.write_text(GOOGLE, "utf-8")
    sdk = generate(spec, tmp_path / "out", "example.com/lakes")
    assert "func WithSecurity(token string) SDKOption" in (sdk / "lakes_2.go").read_text("utf-8")
    output = go_test(sdk, "example.com/lakes", GO_TESTS / "google_behaviour" / "google_test.go", tmp_path, "behaviour")
    assert "--- PASS: TestOneTokenForTwoAndedBearerSchemes" in output, output
