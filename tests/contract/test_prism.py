"""Contract test: the generated polar-2026-10 client against a real Prism mock server.

Prism (`@stoplight/prism-cli`, installed by `.ci/run` into `node_modules/`) serves the
2026-10 spec on 127.0.0.1 and checks every request it receives against it: a request
that breaks the contract (wrong path, query serialisation, body shape, content type,
missing auth) comes back with an `sl-violations` header listing what is wrong. Its
responses are generated from the spec's response schemas, so the client's decoders
must accept them.

Each case below calls one operation with valid inputs built from the generated models
and fails if Prism found the request at fault, the call raised (a response the decoder
rejects raises `ResponseValidationError`), or nothing was decoded.
Together they cover every operation group, every HTTP method, a paginated `iter_*`,
deepObject / exploded-array / date / date-time query parameters, the three
form-urlencoded bodies and the text/csv exports.

Prism is found through `PRISM_BIN`, else `node_modules/.bin/prism` under the repo,
else `prism` on PATH. Without it the module is skipped locally and fails in CI.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import importlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl
from uuid import UUID

import httpx
import pytest
from helpers import ROOT, shared_specs_dir

pytestmark = pytest.mark.slow  # a real Prism server per spec

SPEC_NAME = "polar-2026-10.openapi.json"
PACKAGE = "polar_2026_10_contract"
STARTUP_TIMEOUT = 60.0  # seconds for Prism to answer its first request
CALL_TIMEOUT = 15.0  # seconds for any one request

# Polar's ids are `format: uuid4`, a pydantic name JSON Schema does not define. Prism's
# example generator knows only `uuid`, so for `uuid4` it answers the literal "string",
# which the client's UUID decoding refuses (every response with an id would fail). The
# copy Prism serves says `uuid` instead; nothing else about the document changes.
MOCK_ONLY_REWRITES = {'"format": "uuid4"': '"format": "uuid"'}

ID = UUID("3f9c2a4e-7b1d-4c8e-9a6f-2d5e8b1c4a7f")
ID2 = UUID("b7e4d1c2-5a3f-4e9b-8c6d-1f2a3b4c5d6e")
DAY = dt.date(2026, 1, 1)
WHEN = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


# --------------------------------------------------------------------------
# The server


def find_prism() -> str | None:
    explicit = os.environ.get("PRISM_BIN")
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            pytest.fail(f"PRISM_BIN={explicit!r} is not an executable")
        return found
    local = ROOT / "node_modules" / ".bin" / "prism"
    if local.exists():
        return str(local)
    return shutil.which("prism")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Recorder:
    """httpx event hooks: every request sent and Prism's verdict on it."""

    def __init__(self) -> None:
        self.exchanges: list[dict[str, Any]] = []  # since the last clear()
        self.reached: set[tuple[str, str]] = set()  # (method, path) of every request

    def clear(self) -> None:
        self.exchanges = []

    def on_response(self, response: httpx.Response) -> None:
        response.read()
        self._record(response)

    async def aon_response(self, response: httpx.Response) -> None:
        await response.aread()
        self._record(response)

    def _record(self, response: httpx.Response) -> None:
        request = response.request
        self.reached.add((request.method, request.url.path))
        violations = response.headers.get("sl-violations")
        self.exchanges.append(
            {
                "request": f"{request.method} {request.url}",
                "url": str(request.url),
                "content-type": request.headers.get("content-type"),
                "body": request.content.decode("utf-8", "replace")[:2000],
                "status": response.status_code,
                "response": response.content.decode("utf-8", "replace")[:1500],
                "violations": json.loads(violations) if violations else [],
            }
        )


@dataclasses.dataclass
class Mock:
    base_url: str
    package: ModuleType
    recorder: Recorder
    log: Path  # Prism's own log of every request, for a failure's post-mortem


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the server we started, by its PID: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_until_ready(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"prism exited with {process.returncode} before serving:\n{log.read_text(errors='replace')[-4000:]}"
            )
        try:
            # Any HTTP answer (a 401 here: no token) means the server is up.
            httpx.get(base_url + "/v1/organizations/", timeout=2.0)
            return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(
                f"prism did not answer within {STARTUP_TIMEOUT:.0f} s:\n{log.read_text(errors='replace')[-4000:]}"
            )
        time.sleep(0.25)


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mock]:
    prism = find_prism()
    if prism is None:
        reason = "prism not found (PRISM_BIN, node_modules/.bin/prism or PATH); `.ci/run` installs it with npm"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    spec = shared_specs_dir() / SPEC_NAME
    if not spec.exists():
        pytest.fail(f"{spec} is missing (set SDKGEN_SPECS_DIR)")

    work = tmp_path_factory.mktemp("contract")
    served = work / SPEC_NAME
    text = spec.read_text(encoding="utf-8")
    for old, new in MOCK_ONLY_REWRITES.items():
        text = text.replace(old, new)
    served.write_text(text, encoding="utf-8")

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = work / "prism.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [prism, "mock", "-h", "127.0.0.1", "-p", str(port), "--errors=false", str(served)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        # Generate while Prism starts: both take seconds.
        from generator.config import Job
        from generator.pipeline import generate
        from generator.write import write_package

        out_dir = work / "client"
        result = generate(Job(spec, out_dir, PACKAGE), run_validator=False)
        write_package(out_dir, PACKAGE, result.files)
        with pytest.MonkeyPatch.context() as patch:
            for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
                patch.delitem(sys.modules, name)
            patch.syspath_prepend(str(out_dir))
            package = importlib.import_module(PACKAGE)
            importlib.import_module(PACKAGE + ".models")

            wait_until_ready(process, base_url, log)
            yield Mock(base_url, package, Recorder(), log)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def client(mock: Mock) -> Iterator[Any]:
    http = httpx.Client(
        timeout=CALL_TIMEOUT,
        event_hooks={"response": [mock.recorder.on_response]},
    )
    with http:
        # the customer-portal operations require a customer or member session token (their
        # own security schemes; some only a member session): without one the client raises
        # MissingCredentialsError before sending
        yield mock.package.Client(
            "contract-test-token",
            customer_session="contract-test-session",
            member_session="contract-test-member-session",
            base_url=mock.base_url,
            http_client=http,
        )


# --------------------------------------------------------------------------
# The cases. `call(client, models)` returns what the client parsed; `check(exchanges,
# result)` asserts more about what was sent. `bug` names a known generator bug: the case
# is a strict xfail, so it starts failing (XPASS) once the bug is fixed; then drop `bug`.

Call = Callable[[Any, Any], Any]
Check = Callable[[list[dict[str, Any]], Any], None]


@dataclasses.dataclass(frozen=True)
class Case:
    group: str  # the client attribute path, e.g. "customer_portal.orders"
    label: str  # starts with the HTTP method
    call: Call
    check: Check | None = None
    bug: str | None = None


CASES: list[Case] = []
RAN: set[Case] = set()  # the cases this session ran, for the coverage test


def op(group: str, label: str, call: Call, *, check: Check | None = None, bug: str | None = None) -> None:
    CASES.append(Case(group, label, call, check, bug))


def check_csv(exchanges: list[dict[str, Any]], result: Any) -> None:
    assert isinstance(result, str) and result, f"no CSV text: {result!r}"


def sent(*pairs: tuple[str, str], where: str = "query") -> Check:
    """A check that the query string (or form body) holds each of `pairs`."""

    def check(exchanges: list[dict[str, Any]], result: Any) -> None:
        items = query(exchanges) if where == "query" else form(exchanges)
        missing = [p for p in pairs if p not in items]
        assert not missing, f"{missing} not in {items}"

    return check


def both(*checks: Check) -> Check:
    def check(exchanges: list[dict[str, Any]], result: Any) -> None:
        for one in checks:
            one(exchanges, result)

    return check


def query(exchanges: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return httpx.URL(exchanges[-1]["url"]).params.multi_items()


def form(exchanges: list[dict[str, Any]]) -> list[tuple[str, str]]:
    assert exchanges[-1]["content-type"] == "application/x-www-form-urlencoded"
    return parse_qsl(exchanges[-1]["body"], keep_blank_values=True)


# organizations
op("organizations", "GET list", lambda c, m: c.organizations.list_organizations(page=1, limit=10))
op("organizations", "GET one", lambda c, m: c.organizations.get(ID))
op("organizations", "POST create", lambda c, m: c.organizations.create(m.OrganizationCreate(name="Acme", slug="acme")))
op(
    "organizations",
    "PATCH update",
    lambda c, m: c.organizations.update(ID, m.OrganizationUpdate(name="Acme Inc", email="ops@example.com")),
)

# subscriptions
op(
    "subscriptions",
    "GET list (deepObject metadata, exploded array)",
    lambda c, m: c.subscriptions.list(organization_id=[ID, ID2], metadata={"plan": "pro", "seats": 3}),
    check=sent(
        ("organization_id", str(ID)), ("organization_id", str(ID2)), ("metadata[plan]", "pro"), ("metadata[seats]", "3")
    ),
)


def _check_deep_object_list(exchanges: list[dict[str, Any]], result: Any) -> None:
    params = query(exchanges)
    assert [v for k, v in params if k == "metadata[tier]"] == ["a", "b"], params


op(
    "subscriptions",
    "GET list (deepObject metadata with a list value)",
    lambda c, m: c.subscriptions.list(metadata={"tier": ["a", "b"]}),
    check=_check_deep_object_list,
)
op("subscriptions", "GET one", lambda c, m: c.subscriptions.get(ID))
op(
    "subscriptions",
    "POST create",
    lambda c, m: c.subscriptions.create(m.SubscriptionCreateCustomer(product_id=ID, customer_id=ID2)),
)
op(
    "subscriptions",
    "GET export (text/csv, date-time query)",
    lambda c, m: c.subscriptions.export(
        status=[m.SubscriptionStatus.ACTIVE, m.SubscriptionStatus.TRIALING], started_after=WHEN
    ),
    check=both(
        check_csv, sent(("status", "active"), ("status", "trialing"), ("started_after", "2026-01-02T03:04:05Z"))
    ),
)
op(
    "subscriptions",
    "PATCH update",
    lambda c, m: c.subscriptions.update(ID, m.SubscriptionCancel(cancel_at_period_end=True)),
)
op("subscriptions", "DELETE revoke", lambda c, m: c.subscriptions.revoke(ID))

# oauth2 and oauth2.clients
OAUTH_CLIENT = {"client_id": "polar_ci_123", "client_secret": "polar_cs_456"}
op(
    "oauth2.clients",
    "POST create",
    lambda c, m: c.oauth2.clients.create(
        m.OAuth2ClientConfiguration(redirect_uris=["https://example.com/cb"], client_name="ci")
    ),
)
op("oauth2.clients", "GET one", lambda c, m: c.oauth2.clients.get("polar_ci_123"))
op(
    "oauth2.clients",
    "PUT update",
    lambda c, m: c.oauth2.clients.update(
        "polar_ci_123",
        m.OAuth2ClientConfigurationUpdate(
            redirect_uris=["https://example.com/cb"], client_name="ci", client_id="polar_ci_123"
        ),
    ),
)
op("oauth2.clients", "DELETE", lambda c, m: c.oauth2.clients.delete("polar_ci_123"))
op("oauth2", "GET authorize", lambda c, m: c.oauth2.authorize())
op(
    "oauth2",
    "POST token (form-urlencoded)",
    lambda c, m: c.oauth2.token(
        m.AuthorizationCodeTokenRequest(
            grant_type="authorization_code", code="abc", redirect_uri="https://example.com/cb", **OAUTH_CLIENT
        )
    ),
    check=sent(("grant_type", "authorization_code"), ("code", "abc"), ("client_secret", "polar_cs_456"), where="form"),
)
op(
    "oauth2",
    "POST revoke (form-urlencoded)",
    lambda c, m: c.oauth2.revoke(m.RevokeTokenRequest(token="tok", **OAUTH_CLIENT)),
    check=sent(("token", "tok"), ("client_id", "polar_ci_123"), where="form"),
)
op(
    "oauth2",
    "POST introspect (form-urlencoded)",
    lambda c, m: c.oauth2.introspect(
        m.IntrospectTokenRequest.from_dict({"token": "tok", "token_type_hint": "access_token", **OAUTH_CLIENT})
    ),
    check=sent(("token", "tok"), ("token_type_hint", "access_token"), where="form"),
)
op("oauth2", "GET userinfo", lambda c, m: c.oauth2.userinfo())

# benefits
op("benefits", "GET list", lambda c, m: c.benefits.list(metadata={"k": "v"}))
op(
    "benefits",
    "POST create",
    lambda c, m: c.benefits.create(
        m.BenefitCustomCreate(
            type="custom", description="Support", properties=m.BenefitCustomCreateProperties(note="hi")
        )
    ),
)
op("benefits", "GET one", lambda c, m: c.benefits.get(ID))
op(
    "benefits",
    "PATCH update",
    lambda c, m: c.benefits.update(ID, m.BenefitCustomUpdate(type="custom", description="Priority support")),
)
op("benefits", "DELETE", lambda c, m: c.benefits.delete(ID))
op("benefits", "GET files", lambda c, m: c.benefits.files(ID))
op("benefits", "GET grants", lambda c, m: c.benefits.grants(ID))

# benefit_grants
op("benefit_grants", "GET list", lambda c, m: c.benefit_grants.list(is_granted=True))

# webhooks
op("webhooks", "GET endpoints", lambda c, m: c.webhooks.list_webhook_endpoints())
op(
    "webhooks",
    "POST endpoint",
    lambda c, m: c.webhooks.create_webhook_endpoint(
        m.WebhookEndpointCreate(
            url="https://example.com/hook",
            format=m.WebhookFormat.RAW,
            events=[m.WebhookEventType.CHECKOUT_CREATED],
        )
    ),
)
op("webhooks", "GET endpoint", lambda c, m: c.webhooks.get_webhook_endpoint(ID))
op(
    "webhooks",
    "PATCH endpoint",
    lambda c, m: c.webhooks.update_webhook_endpoint(ID, m.WebhookEndpointUpdate(enabled=False)),
)
op("webhooks", "DELETE endpoint", lambda c, m: c.webhooks.delete_webhook_endpoint(ID))
op("webhooks", "PATCH secret (no body)", lambda c, m: c.webhooks.reset_webhook_endpoint_secret(ID))
op("webhooks", "GET deliveries", lambda c, m: c.webhooks.list_webhook_deliveries())
op("webhooks", "POST redeliver", lambda c, m: c.webhooks.redeliver_webhook_event(ID))

# products
op("products", "GET list", lambda c, m: c.products.list(metadata={"flag": True}))
op(
    "products",
    "POST create",
    lambda c, m: c.products.create(
        m.ProductCreateOneTime(name="Book", prices=[m.ProductPriceFixedCreate(amount_type="fixed", price_amount=1000)])
    ),
)
op("products", "GET one", lambda c, m: c.products.get(ID))
op("products", "PATCH update", lambda c, m: c.products.update(ID, m.ProductUpdate(name="Book 2")))
op(
    "products",
    "POST benefits",
    lambda c, m: c.products.update_benefits(ID, m.ProductBenefitsUpdate(benefits=[ID2])),
)

# orders
op("orders", "GET list", lambda c, m: c.orders.list(metadata={"n": 3}))
op("orders", "POST create", lambda c, m: c.orders.create(m.OrderCreate(customer_id=ID, product_id=ID2)))
op("orders", "GET export (text/csv)", lambda c, m: c.orders.export(), check=check_csv)
op("orders", "GET one", lambda c, m: c.orders.get(ID))
op(
    "orders",
    "PATCH update",
    lambda c, m: c.orders.update(
        ID, m.OrderUpdate(billing_name="Jane", billing_address=m.AddressInput(country=m.AddressInputCountry.FR))
    ),
)
op("orders", "POST finalize", lambda c, m: c.orders.finalize(ID))
op("orders", "POST invoice", lambda c, m: c.orders.generate_invoice(ID))
op("orders", "GET invoice", lambda c, m: c.orders.invoice(ID))
op("orders", "GET receipt", lambda c, m: c.orders.receipt(ID))

# refunds, disputes
op("refunds", "GET list", lambda c, m: c.refunds.list())
op(
    "refunds",
    "POST create",
    lambda c, m: c.refunds.create(
        m.RefundCreate(order_id=ID, reason=m.RefundCreateReason.CUSTOMER_REQUEST, amount=500)
    ),
)
op("disputes", "GET list", lambda c, m: c.disputes.list())
op("disputes", "GET one", lambda c, m: c.disputes.get(ID))
op("disputes", "POST accept", lambda c, m: c.disputes.accept(ID))

# checkouts
op("checkouts", "GET list", lambda c, m: c.checkouts.list())
op("checkouts", "POST create", lambda c, m: c.checkouts.create(m.CheckoutProductsCreate(products=[ID])))
op("checkouts", "GET one", lambda c, m: c.checkouts.get(ID))
op("checkouts", "PATCH update", lambda c, m: c.checkouts.update(ID, m.CheckoutUpdate(customer_name="Jane")))
op("checkouts", "GET client", lambda c, m: c.checkouts.client_get("polar_c_secret"))
op(
    "checkouts",
    "PATCH client",
    lambda c, m: c.checkouts.client_update("polar_c_secret", m.CheckoutUpdatePublic(customer_email="jane@example.com")),
)
op(
    "checkouts",
    "POST client confirm",
    lambda c, m: c.checkouts.client_confirm("polar_c_secret", m.CheckoutConfirmStripe(customer_name="Jane")),
)

# files
op("files", "GET list", lambda c, m: c.files.list())
op(
    "files",
    "POST create",
    lambda c, m: c.files.create(
        m.DownloadableFileCreate(
            name="a.pdf",
            mime_type="application/pdf",
            size=10,
            upload=m.S3FileCreateMultipart(parts=[m.S3FileCreatePart(number=1, chunk_start=0, chunk_end=10)]),
            service="downloadable",
        )
    ),
)
op(
    "files",
    "POST uploaded",
    lambda c, m: c.files.uploaded(
        ID,
        m.FileUploadCompleted(
            id="upload-1",
            path="org/a.pdf",
            parts=[m.S3FileUploadCompletedPart(number=1, checksum_etag="etag", checksum_sha256_base64=None)],
        ),
    ),
)
op("files", "PATCH update", lambda c, m: c.files.update(ID, m.FilePatch(name="b.pdf")))
op("files", "DELETE", lambda c, m: c.files.delete(ID))

# metrics
op(
    "metrics",
    "GET metrics (date query, required enum)",
    lambda c, m: c.metrics.get(start_date=DAY, end_date=DAY + dt.timedelta(days=30), interval=m.TimeInterval.DAY),
)
op(
    "metrics",
    "GET export (text/csv)",
    lambda c, m: c.metrics.export(start_date=DAY, end_date=DAY + dt.timedelta(days=7), interval=m.TimeInterval.WEEK),
    check=both(check_csv, sent(("start_date", "2026-01-01"), ("end_date", "2026-01-08"), ("interval", "week"))),
)
op("metrics", "GET limits", lambda c, m: c.metrics.limits())
op("metrics", "GET dashboards", lambda c, m: c.metrics.list_dashboards())
op("metrics", "POST dashboard", lambda c, m: c.metrics.create_dashboard(m.MetricDashboardCreate(name="Main")))
op("metrics", "GET dashboard", lambda c, m: c.metrics.get_dashboard(ID))
op(
    "metrics",
    "PATCH dashboard",
    lambda c, m: c.metrics.update_dashboard(ID, m.MetricDashboardUpdate(name="Renamed")),
)
op("metrics", "DELETE dashboard", lambda c, m: c.metrics.delete_dashboard(ID))

# license_keys
LICENSE = {"key": "POLAR-KEY", "organization_id": ID}
op("license_keys", "GET list", lambda c, m: c.license_keys.list())
op("license_keys", "GET one", lambda c, m: c.license_keys.get(ID))
op("license_keys", "PATCH update", lambda c, m: c.license_keys.update(ID, m.LicenseKeyUpdate(usage=1)))
op("license_keys", "GET activation", lambda c, m: c.license_keys.get_activation(ID, ID2))
op("license_keys", "POST validate", lambda c, m: c.license_keys.validate(m.LicenseKeyValidate(**LICENSE)))
op(
    "license_keys",
    "POST activate",
    lambda c, m: c.license_keys.activate(m.LicenseKeyActivate(label="laptop", **LICENSE)),
)
op(
    "license_keys",
    "POST deactivate",
    lambda c, m: c.license_keys.deactivate(m.LicenseKeyDeactivate(activation_id=ID2, **LICENSE)),
)

# checkout_links
op("checkout_links", "GET list", lambda c, m: c.checkout_links.list())
op(
    "checkout_links",
    "POST create",
    lambda c, m: c.checkout_links.create(m.CheckoutLinkCreateProducts(payment_processor="stripe", products=[ID])),
)
op("checkout_links", "GET one", lambda c, m: c.checkout_links.get(ID))
op(
    "checkout_links",
    "PATCH update",
    lambda c, m: c.checkout_links.update(ID, m.CheckoutLinkUpdate(label="Spring")),
)
op("checkout_links", "DELETE", lambda c, m: c.checkout_links.delete(ID))

# custom_fields
op("custom_fields", "GET list", lambda c, m: c.custom_fields.list())
op(
    "custom_fields",
    "POST create",
    lambda c, m: c.custom_fields.create(
        m.CustomFieldCreateText(type="text", slug="note", name="Note", properties=m.CustomFieldTextProperties())
    ),
)
op("custom_fields", "GET one", lambda c, m: c.custom_fields.get(ID))
op(
    "custom_fields",
    "PATCH update",
    lambda c, m: c.custom_fields.update(ID, m.CustomFieldUpdateText(type="text", name="Notes")),
)
op("custom_fields", "DELETE", lambda c, m: c.custom_fields.delete(ID))

# discounts
op("discounts", "GET list", lambda c, m: c.discounts.list())
op(
    "discounts",
    "POST create",
    lambda c, m: c.discounts.create(
        m.DiscountPercentageCreate(
            name="Spring", duration=m.DiscountDuration.ONCE, basis_points=1000, type="percentage"
        )
    ),
)
op(
    "discounts",
    "POST create (discriminator left at its default)",
    lambda c, m: c.discounts.create(
        m.DiscountPercentageCreate(name="Spring", duration=m.DiscountDuration.ONCE, basis_points=1000)
    ),
)
op("discounts", "GET one", lambda c, m: c.discounts.get(ID))
op("discounts", "PATCH update", lambda c, m: c.discounts.update(ID, m.DiscountUpdate(name="Summer")))
op("discounts", "DELETE", lambda c, m: c.discounts.delete(ID))

# customers
op(
    "customers",
    "GET list (deepObject metadata, sorting)",
    # Two sort keys: Prism (stoplightio/prism#2675) reads one exploded value of an
    # `anyOf: [array, null]` parameter as a string and flags it, wrongly.
    lambda c, m: c.customers.list(
        email="jane@example.com",
        sorting=[m.CustomerSortProperty("-created_at"), m.CustomerSortProperty("email")],
        metadata={"plan": "pro", "seats": 3, "beta": False},
        page=1,
        limit=10,
    ),
    check=sent(
        ("sorting", "-created_at"), ("sorting", "email"), ("metadata[beta]", "false"), ("email", "jane@example.com")
    ),
)
op("customers", "POST create", lambda c, m: c.customers.create(m.CustomerIndividualCreate(email="jane@example.com")))
op("customers", "GET export (text/csv)", lambda c, m: c.customers.export(), check=check_csv)
op("customers", "GET one", lambda c, m: c.customers.get(ID))
op(
    "customers",
    "PATCH update",
    lambda c, m: c.customers.update(ID, m.CustomerUpdate(name="Jane", metadata={"plan": "pro"})),
)
op("customers", "DELETE", lambda c, m: c.customers.delete(ID))
op("customers", "GET external", lambda c, m: c.customers.get_external("usr_1337"))
op(
    "customers",
    "PATCH external",
    lambda c, m: c.customers.update_external("usr_1337", m.CustomerUpdateExternalID(name="Jane")),
)
op("customers", "DELETE external", lambda c, m: c.customers.delete_external("usr_1337"))
op("customers", "GET state", lambda c, m: c.customers.get_state(ID))
op("customers", "GET state external", lambda c, m: c.customers.get_state_external("usr_1337"))
op("customers", "GET payment methods", lambda c, m: c.customers.list_payment_methods(ID))
op(
    "customers",
    "GET payment methods external",
    lambda c, m: c.customers.list_payment_methods_external("usr_1337"),
)

# customers.members, members
op(
    "customers.members",
    "POST create",
    lambda c, m: c.customers.members.create(ID, m.MemberCreateFromCustomer(email="bob@example.com")),
)
op(
    "customers.members",
    "POST create external",
    lambda c, m: c.customers.members.create_external("usr_1337", m.MemberCreateFromCustomer(email="bob@example.com")),
)
op("customers.members", "GET one", lambda c, m: c.customers.members.get(ID, ID2))
op("customers.members", "PATCH update", lambda c, m: c.customers.members.update(ID, ID2, m.MemberUpdate(name="Bob")))
op("customers.members", "DELETE", lambda c, m: c.customers.members.delete(ID, ID2))
op("customers.members", "GET external", lambda c, m: c.customers.members.get_external("usr_1337", "mem_1"))
op(
    "customers.members",
    "PATCH external",
    lambda c, m: c.customers.members.update_external("usr_1337", "mem_1", m.MemberUpdate(name="Bob")),
)
op("customers.members", "DELETE external", lambda c, m: c.customers.members.delete_external("usr_1337", "mem_1"))
op("members", "GET list", lambda c, m: c.members.list_members())

# customer_portal.*
cp = "customer_portal."
op(cp + "benefit_grants", "GET list", lambda c, m: c.customer_portal.benefit_grants.list())
op(cp + "benefit_grants", "GET one", lambda c, m: c.customer_portal.benefit_grants.get(ID))
op(
    cp + "benefit_grants",
    "PATCH update",
    lambda c, m: c.customer_portal.benefit_grants.update(ID, m.CustomerBenefitGrantCustomUpdate(benefit_type="custom")),
)
op(cp + "customers", "GET me", lambda c, m: c.customer_portal.customers.get())
op(
    cp + "customers",
    "PATCH me",
    lambda c, m: c.customer_portal.customers.update(m.CustomerPortalCustomerUpdate(billing_name="Jane")),
)
op(cp + "customers", "GET payment methods", lambda c, m: c.customer_portal.customers.list_payment_methods())
op(
    cp + "customers",
    "POST payment method",
    lambda c, m: c.customer_portal.customers.add_payment_method(
        m.CustomerPaymentMethodCreate(
            confirmation_token_id="ctoken", set_default=True, return_url="https://example.com"
        )
    ),
)
op(
    cp + "customers",
    "POST confirm payment method",
    lambda c, m: c.customer_portal.customers.confirm_payment_method(
        m.CustomerPaymentMethodConfirm(setup_intent_id="seti_1", set_default=False)
    ),
)
op(cp + "customers", "DELETE payment method", lambda c, m: c.customer_portal.customers.delete_payment_method(ID))
op(
    cp + "customers",
    "POST email update request",
    lambda c, m: c.customer_portal.customers.request_email_update(
        m.CustomerEmailUpdateRequest(email="new@example.com")
    ),
)
op(
    cp + "customers",
    "GET email update check",
    lambda c, m: c.customer_portal.customers.check_email_update(token="tok"),
)
op(
    cp + "customers",
    "POST email update verify",
    lambda c, m: c.customer_portal.customers.verify_email_update(m.CustomerEmailUpdateVerifyRequest(token="tok")),
)
op(cp + "customer_meters", "GET list", lambda c, m: c.customer_portal.customer_meters.list())
op(cp + "customer_meters", "GET one", lambda c, m: c.customer_portal.customer_meters.get(ID))
op(cp + "seats", "GET list", lambda c, m: c.customer_portal.seats.list_seats())
op(
    cp + "seats",
    "POST assign",
    lambda c, m: c.customer_portal.seats.assign_seat(m.CustomerSeatAssign(subscription_id=ID, email="bob@example.com")),
)
op(cp + "seats", "DELETE revoke", lambda c, m: c.customer_portal.seats.revoke_seat(ID))
op(cp + "seats", "POST resend", lambda c, m: c.customer_portal.seats.resend_invitation(ID))
op(cp + "seats", "GET claimed subscriptions", lambda c, m: c.customer_portal.seats.list_claimed_subscriptions())
op(cp + "customer_session", "GET introspect", lambda c, m: c.customer_portal.customer_session.introspect())
op(cp + "customer_session", "GET user", lambda c, m: c.customer_portal.customer_session.get_authenticated_user())
op(cp + "downloadables", "GET list", lambda c, m: c.customer_portal.downloadables.list())
op(cp + "license_keys", "GET list", lambda c, m: c.customer_portal.license_keys.list())
op(cp + "license_keys", "GET one", lambda c, m: c.customer_portal.license_keys.get(ID))
op(
    cp + "license_keys",
    "POST validate",
    lambda c, m: c.customer_portal.license_keys.validate(m.LicenseKeyValidate(**LICENSE)),
)
op(
    cp + "license_keys",
    "POST activate",
    lambda c, m: c.customer_portal.license_keys.activate(m.LicenseKeyActivate(label="laptop", **LICENSE)),
)
op(
    cp + "license_keys",
    "POST deactivate",
    lambda c, m: c.customer_portal.license_keys.deactivate(m.LicenseKeyDeactivate(activation_id=ID2, **LICENSE)),
)
op(cp + "members", "GET list", lambda c, m: c.customer_portal.members.list_members())
op(
    cp + "members",
    "POST add",
    lambda c, m: c.customer_portal.members.add_member(m.CustomerPortalMemberCreate(email="bob@example.com")),
)
op(
    cp + "members",
    "PATCH update",
    lambda c, m: c.customer_portal.members.update_member(ID, m.CustomerPortalMemberUpdate(name="Bob")),
)
op(cp + "members", "DELETE", lambda c, m: c.customer_portal.members.remove_member(ID))
op(cp + "orders", "GET list", lambda c, m: c.customer_portal.orders.list())
op(cp + "orders", "GET one", lambda c, m: c.customer_portal.orders.get(ID))
op(
    cp + "orders",
    "PATCH update",
    lambda c, m: c.customer_portal.orders.update(ID, m.CustomerOrderUpdate(billing_name="Jane")),
)
op(cp + "orders", "POST invoice", lambda c, m: c.customer_portal.orders.generate_invoice(ID))
op(cp + "orders", "GET invoice", lambda c, m: c.customer_portal.orders.invoice(ID))
op(cp + "orders", "GET receipt", lambda c, m: c.customer_portal.orders.receipt(ID))
op(cp + "orders", "GET payment status", lambda c, m: c.customer_portal.orders.get_payment_status(ID))
op(
    cp + "orders",
    "POST confirm payment",
    lambda c, m: c.customer_portal.orders.confirm_retry_payment(
        ID, m.CustomerOrderConfirmPayment(payment_method_id=ID2)
    ),
)
op(cp + "organizations", "GET one", lambda c, m: c.customer_portal.organizations.get("acme"))
op(cp + "subscriptions", "GET list", lambda c, m: c.customer_portal.subscriptions.list())
op(cp + "subscriptions", "GET one", lambda c, m: c.customer_portal.subscriptions.get(ID))
op(
    cp + "subscriptions",
    "PATCH update",
    lambda c, m: c.customer_portal.subscriptions.update(ID, m.CustomerSubscriptionUpdateSeats(seats=3)),
)
op(cp + "subscriptions", "DELETE cancel", lambda c, m: c.customer_portal.subscriptions.cancel(ID))
op(cp + "wallets", "GET list", lambda c, m: c.customer_portal.wallets.list())
op(cp + "wallets", "GET one", lambda c, m: c.customer_portal.wallets.get(ID))

# customer_seats
op(
    "customer_seats",
    "POST assign",
    lambda c, m: c.customer_seats.assign_seat(m.SeatAssign(subscription_id=ID, email="bob@example.com")),
)
op("customer_seats", "GET list", lambda c, m: c.customer_seats.list_seats())
op("customer_seats", "DELETE revoke", lambda c, m: c.customer_seats.revoke_seat(ID))
op("customer_seats", "POST resend", lambda c, m: c.customer_seats.resend_invitation(ID))
op("customer_seats", "GET claim info", lambda c, m: c.customer_seats.get_claim_info("invite-token"))
op(
    "customer_seats",
    "POST claim",
    lambda c, m: c.customer_seats.claim_seat(m.SeatClaim(invitation_token="invite-token")),
)

# customer_sessions
op(
    "customer_sessions",
    "POST create",
    lambda c, m: c.customer_sessions.create(m.CustomerSessionCustomerIDCreate(customer_id=ID)),
)

# events, event_types
op(
    "events",
    "GET list (date-time query, deepObject)",
    lambda c, m: c.events.list(start_timestamp=WHEN, source=m.EventSource.USER, name=["a", "b"], metadata={"k": "v"}),
    check=sent(
        ("start_timestamp", "2026-01-02T03:04:05Z"),
        ("source", "user"),
        ("name", "a"),
        ("name", "b"),
        ("metadata[k]", "v"),
    ),
)
op("events", "GET names", lambda c, m: c.events.list_names())
op("events", "GET one", lambda c, m: c.events.get(ID))
op(
    "events",
    "POST ingest",
    lambda c, m: c.events.ingest(
        m.EventsIngest(
            events=[
                m.EventCreateCustomer(name="api.call", customer_id=ID, timestamp=WHEN),
                m.EventCreateExternalCustomer(name="api.call", external_customer_id="usr_1337"),
            ]
        )
    ),
)


def _check_event_metadata(exchanges: list[dict[str, Any]], result: Any) -> None:
    sent = json.loads(exchanges[-1]["body"])
    assert sent["events"][0]["metadata"] == {"plan": "pro", "units": 3}, sent


op(
    "events",
    "POST ingest (free-form metadata)",
    lambda c, m: c.events.ingest(
        m.EventsIngest(
            events=[
                m.EventCreateCustomer(
                    name="api.call",
                    customer_id=ID,
                    metadata=m.EventMetadataInput.from_dict({"plan": "pro", "units": 3}),
                )
            ]
        )
    ),
    check=_check_event_metadata,
)
op("event_types", "GET list", lambda c, m: c.event_types.list())
op("event_types", "PATCH update", lambda c, m: c.event_types.update(ID, m.EventTypeUpdate(label="API call")))

# meters, customer_meters
op("meters", "GET list", lambda c, m: c.meters.list(metadata={"k": "v"}))
op(
    "meters",
    "POST create",
    lambda c, m: c.meters.create(
        m.MeterCreate(
            name="API calls",
            filter=m.Filter(
                conjunction=m.FilterConjunction.AND,
                clauses=[m.FilterClause(property="name", operator=m.FilterOperator.EQ, value="api.call")],
            ),
            aggregation=m.CountAggregation(),
        )
    ),
)
op("meters", "GET one", lambda c, m: c.meters.get(ID))
op("meters", "PATCH update", lambda c, m: c.meters.update(ID, m.MeterUpdate(name="Calls")))
op(
    "meters",
    "GET quantities",
    lambda c, m: c.meters.quantities(
        ID, start_timestamp=WHEN, end_timestamp=WHEN + dt.timedelta(days=1), interval=m.TimeInterval.DAY
    ),
)
op("customer_meters", "GET list", lambda c, m: c.customer_meters.list())
op("customer_meters", "GET one", lambda c, m: c.customer_meters.get(ID))

# payments
op("payments", "GET list", lambda c, m: c.payments.list())
op("payments", "GET one", lambda c, m: c.payments.get(ID))


# Paginated iteration: a few items through `iter_*` (Prism's max_page keeps it short).
op("customers", "iter_list (paginated)", lambda c, m: list(islice(c.customers.iter_list(limit=2), 3)))
op("orders", "iter_list (paginated)", lambda c, m: list(islice(c.orders.iter_list(limit=2), 3)))


# --------------------------------------------------------------------------
# The tests


def _describe(exchanges: list[dict[str, Any]]) -> str:
    return json.dumps(exchanges, indent=2, default=str)


def request_violations(exchanges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Exchanges where Prism found the *request* at fault.

    Response-side entries are left out: they judge the example Prism generated itself
    (its sampler picks, say, a `oneOf` member that matches two branches), not the client.
    Whether the client can decode that response is checked by the call not raising.
    """
    found = []
    for exchange in exchanges:
        ours = [v for v in exchange["violations"] if v.get("location", [""])[0] == "request"]
        if ours:
            found.append({**exchange, "violations": ours})
    return found


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c, id=f"{c.group}:{c.label}", marks=[pytest.mark.xfail(strict=True, reason=c.bug)] if c.bug else []
        )
        for c in CASES
    ],
)
def test_operation_honours_the_contract(mock: Mock, client: Any, case: Case) -> None:
    RAN.add(case)
    mock.recorder.clear()
    try:
        result = case.call(client, mock.package.models)
    except Exception as exc:  # the client raised: report what was sent and what came back
        pytest.fail(
            f"{case.group} {case.label}: {type(exc).__name__}: {exc}\n"
            f"body: {str(getattr(exc, 'body', None))[:1500]}\n"
            f"exchanges: {_describe(mock.recorder.exchanges)}\n(Prism's log: {mock.log})"
        )
    exchanges = mock.recorder.exchanges
    if not exchanges:
        pytest.fail("no request reached the mock server")
    violations = request_violations(exchanges)
    if violations:
        pytest.fail(f"Prism reported request violations:\n{_describe(violations)}")
    if not all(200 <= e["status"] < 300 for e in exchanges):
        pytest.fail(f"non-2xx answer:\n{_describe(exchanges)}")
    method = case.label.split()[0]
    if method.isupper():
        assert exchanges[-1]["request"].split()[0] == method, "the label names another HTTP method"
    # A parsed value whenever the server sent one (204s and JSON null decode to None).
    if exchanges[-1]["response"] not in ("", "null") and result is None:
        pytest.fail(f"nothing decoded for {case.group} {case.label}:\n{_describe(exchanges)}")
    if case.check is not None:
        case.check(exchanges, result)


# Documented error answers, asked of Prism with `Prefer: code=N`: (status, call, the names
# of the models the body may be). Polar documents 4xx bodies on every operation (422 on
# 173, 404 on 95); these cover a plain model per common status, a 403/409 of their own
# and a union of error models.
ERRORS: list[tuple[int, Call, tuple[str, ...]]] = [
    (404, lambda c, m: c.organizations.get(ID), ("ResourceNotFound",)),
    (422, lambda c, m: c.organizations.list_organizations(page=1, limit=10), ("HTTPValidationError",)),
    (403, lambda c, m: c.subscriptions.revoke(ID), ("AlreadyCanceledSubscription",)),
    (409, lambda c, m: c.subscriptions.revoke(ID), ("SubscriptionLocked",)),
    (402, lambda c, m: c.orders.finalize(ID), ("PaymentFailed", "PaymentActionRequired")),
]


@pytest.mark.parametrize(
    "status, call, models", ERRORS, ids=[f"{status}-{i}" for i, (status, _, _) in enumerate(ERRORS)]
)
def test_a_documented_error_body_is_read_as_its_model(
    mock: Mock, status: int, call: Call, models: tuple[str, ...]
) -> None:
    """The exception's `body` is the documented model (not the parsed JSON it falls back
    to when decoding fails), and it encodes back to the JSON Prism sent."""
    http = httpx.Client(timeout=CALL_TIMEOUT, headers={"Prefer": f"code={status}"})
    with http:
        client = mock.package.Client("contract-test-token", base_url=mock.base_url, http_client=http)
        with pytest.raises(mock.package.errors.APIError) as info:
            call(client, mock.package.models)
    error = info.value
    assert type(error) is mock.package.errors.error_class_for(status) and error.status_code == status
    assert type(error.body).__name__ in models, f"{type(error.body).__name__}: {error.content[:300]!r}"
    runtime = importlib.import_module(PACKAGE + "._runtime")
    assert runtime.to_json(error.body) == json.loads(error.content)


def test_async_client_honours_the_contract(mock: Mock) -> None:
    async def run() -> Any:
        http = httpx.AsyncClient(timeout=CALL_TIMEOUT, event_hooks={"response": [mock.recorder.aon_response]})
        async with http:
            client = mock.package.AsyncClient("contract-test-token", base_url=mock.base_url, http_client=http)
            page = await client.customers.list(metadata={"plan": "pro"})
            items = [item async for item in client.orders.iter_list(limit=2)]
            return page, items

    mock.recorder.clear()
    page, items = asyncio.run(asyncio.wait_for(run(), timeout=60))
    assert page.items is not None and isinstance(items, list)
    violations = request_violations(mock.recorder.exchanges)
    assert not violations, f"Prism reported request violations:\n{_describe(violations)}"


def test_cases_cover_every_group_and_method(mock: Mock) -> None:
    services = Path(str(mock.package.__file__)).parent / "services"
    groups = {p.stem.replace("__", ".") for p in services.glob("*.py") if p.stem != "__init__"}
    covered = {c.group for c in CASES}
    # A parent group with only subgroups (customer_portal) is covered through them.
    covered |= {g.split(".")[0] for g in covered}
    assert groups - covered == set(), f"groups without a contract case: {sorted(groups - covered)}"
    methods = {c.label.split()[0] for c in CASES if c.label.split()[0].isupper()}
    assert {"GET", "POST", "PATCH", "PUT", "DELETE"} <= methods


def test_every_operation_was_called(mock: Mock) -> None:
    if set(CASES) != RAN:
        pytest.skip("only with every case selected")
    spec = json.loads((shared_specs_dir() / SPEC_NAME).read_text(encoding="utf-8"))
    templates = [
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    ]
    pattern = {t: re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(t[1])) + "$") for t in templates}
    reached = set()
    for method, path in mock.recorder.reached:
        matches = [t for t in templates if t[0] == method and pattern[t].match(path)]
        if matches:  # the most literal template wins: /customers/export over /customers/{id}
            reached.add(min(matches, key=lambda t: t[1].count("{")))
    missing = sorted(set(templates) - reached, key=lambda t: (t[1], t[0]))
    assert not missing, f"{len(missing)} of {len(templates)} operations never called: {missing}"
