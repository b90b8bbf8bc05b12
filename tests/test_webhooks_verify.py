"""`<package>.webhooks.verify_webhook`: the Standard Webhooks signature scheme.

Checked against the scheme's published test vector, and against signatures made by the
independent `standardwebhooks` package (a test dependency) for the same deliveries.
The client is generated from a small inline spec with two webhook events and checked
with mypy --strict.
"""

from __future__ import annotations

import base64
import importlib
import json
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest
from helpers import strict_client
from standardwebhooks import Webhook

from generator.config import Job
from generator.pipeline import generate
from generator.write import write_package

SPEC = """\
openapi: 3.1.0
info: {title: Hooks, version: "1"}
paths: {}
webhooks:
  order.paid:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/OrderPaid"}}}
      responses: {"200": {description: ok}}
  order.refunded:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/OrderRefunded"}}}
      responses: {"200": {description: ok}}
components:
  schemas:
    Order:
      type: object
      required: [id, amount]
      properties:
        id: {type: string}
        amount: {type: integer}
    OrderPaid:
      type: object
      required: [type, data]
      properties:
        type: {type: string, const: order.paid}
        data: {$ref: "#/components/schemas/Order"}
    OrderRefunded:
      type: object
      required: [type, data]
      properties:
        type: {type: string, const: order.refunded}
        data: {$ref: "#/components/schemas/Order"}
"""

# The Standard Webhooks / Svix published example (their libraries' test vector).
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

SECRET = "whsec_" + base64.b64encode(b"a 24-byte test secret!!!").decode()
PAID = json.dumps({"type": "order.paid", "data": {"id": "o1", "amount": 500}}).encode()


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("hooks")
    spec = out / "hooks.yaml"
    spec.write_text(SPEC)
    hooks_client = strict_client(out, "hooks_client", Job(spec, out, "hooks_client"))  # on sys.path from here
    try:
        importlib.import_module("hooks_client.webhooks")
        yield hooks_client
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "hooks_client"]:
            del sys.modules[name]


def signed(body: bytes, secret: str = SECRET, msg_id: str = "msg_1", at: float | None = None) -> dict[str, str]:
    """Headers of a delivery signed by the independent implementation."""
    stamp = datetime.fromtimestamp(int(time.time() if at is None else at), tz=UTC)
    signature = Webhook(secret).sign(msg_id, stamp, body.decode())
    return {"webhook-id": msg_id, "webhook-timestamp": str(int(stamp.timestamp())), "webhook-signature": signature}


def test_published_test_vector(pkg: ModuleType) -> None:
    headers = {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": str(VECTOR_TIMESTAMP),
        "webhook-signature": VECTOR_SIGNATURE,
    }
    verify = pkg._webhooks.verify_signature
    assert verify(VECTOR_BODY, headers, VECTOR_SECRET, now=VECTOR_TIMESTAMP + 10) == VECTOR_BODY
    with pytest.raises(pkg.errors.WebhookSignatureError):
        verify(VECTOR_BODY + b" ", headers, VECTOR_SECRET, now=VECTOR_TIMESTAMP)
    with pytest.raises(pkg.errors.WebhookTimestampError):
        verify(VECTOR_BODY, headers, VECTOR_SECRET)  # years old now


def test_independent_signature_verifies_and_parses(pkg: ModuleType) -> None:
    from hooks_client.models import Order, OrderPaid
    from hooks_client.webhooks import verify_webhook

    event = verify_webhook(PAID, signed(PAID), SECRET)
    assert event == OrderPaid(data=Order(id="o1", amount=500))
    assert verify_webhook(PAID.decode(), signed(PAID), SECRET) == event  # text body


def test_our_signature_is_what_the_independent_implementation_makes(pkg: ModuleType) -> None:
    headers = signed(PAID)
    expected = pkg._webhooks.verify_signature(PAID, headers, SECRET)
    assert expected == PAID
    Webhook(SECRET).verify(PAID, headers)  # and the other way round: same headers, same verdict


def test_several_signatures_and_header_casing(pkg: ModuleType) -> None:
    from hooks_client.webhooks import verify_webhook

    headers = signed(PAID)
    other = Webhook("whsec_" + base64.b64encode(b"another secret").decode()).sign(
        "msg_1", datetime.fromtimestamp(int(headers["webhook-timestamp"]), tz=UTC), PAID.decode()
    )
    # a rotated secret: the old signature first, a v1a (asymmetric) one ignored, ours last
    headers["webhook-signature"] = f"{other} v1a,AAAA {headers['webhook-signature']}"
    cased = {k.title(): v for k, v in headers.items()}
    assert verify_webhook(PAID, cased, SECRET).data.id == "o1"


@pytest.mark.parametrize(
    "change",
    ["body", "id", "timestamp", "secret", "no-signature", "only-v2", "missing-header"],
)
def test_bad_signatures(pkg: ModuleType, change: str) -> None:
    from hooks_client.webhooks import verify_webhook

    body, headers, secret = PAID, signed(PAID), SECRET
    if change == "body":
        body = PAID.replace(b"500", b"501")
    elif change == "id":
        headers["webhook-id"] = "msg_2"
    elif change == "timestamp":
        headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) - 1)
    elif change == "secret":
        secret = "whsec_" + base64.b64encode(b"wrong").decode()
    elif change == "no-signature":
        headers["webhook-signature"] = ""
    elif change == "only-v2":
        headers["webhook-signature"] = headers["webhook-signature"].replace("v1,", "v2,")
    else:
        del headers["webhook-id"]
    with pytest.raises(pkg.errors.WebhookSignatureError) as caught:
        verify_webhook(body, headers, secret)
    assert isinstance(caught.value, pkg.errors.WebhookVerificationError)
    message = str(caught.value)
    assert SECRET not in message and SECRET[6:] not in message
    signature = headers.get("webhook-signature", "")[3:]
    assert not signature or signature not in message


@pytest.mark.parametrize("offset", [-301, 301])
def test_stale_or_future_timestamps(pkg: ModuleType, offset: int) -> None:
    from hooks_client.webhooks import verify_webhook

    headers = signed(PAID, at=time.time() + offset)
    with pytest.raises(pkg.errors.WebhookTimestampError):
        verify_webhook(PAID, headers, SECRET)
    assert verify_webhook(PAID, headers, SECRET, tolerance=600).data.amount == 500
    # within the default tolerance
    assert verify_webhook(PAID, signed(PAID, at=time.time() + offset * 0.9), SECRET).data.amount == 500


def test_unknown_event_verifies_and_comes_back_raw(pkg: ModuleType) -> None:
    from hooks_client.webhooks import verify_webhook

    body = json.dumps({"type": "order.disputed", "data": {}}).encode()
    assert verify_webhook(body, signed(body), SECRET) == {"type": "order.disputed", "data": {}}
    with pytest.raises(pkg.errors.UnknownWebhookEventError) as caught:
        verify_webhook(body, signed(body), SECRET, allow_unknown=False)
    assert caught.value.event_type == "order.disputed"
    # an unknown event is still verified first
    with pytest.raises(pkg.errors.WebhookSignatureError):
        verify_webhook(body, signed(PAID), SECRET)


def test_payload_that_does_not_fit(pkg: ModuleType) -> None:
    from hooks_client.webhooks import verify_webhook

    body = json.dumps({"type": "order.paid", "data": {"id": "o1"}}).encode()
    with pytest.raises(pkg.errors.WebhookPayloadError) as caught:
        verify_webhook(body, signed(body), SECRET)
    assert caught.value.pointer == "/data/amount"
    with pytest.raises(pkg.errors.WebhookPayloadError):
        verify_webhook(b"not json", signed(b"not json"), SECRET)


def test_plain_string_secret_is_its_utf8_bytes(pkg: ModuleType) -> None:
    """Polar's dashboard secret: its SDK keys the HMAC with the secret's own bytes."""
    from hooks_client.webhooks import verify_webhook

    plain = "polar_whs_plain-secret"
    headers = signed(PAID, secret=base64.b64encode(plain.encode()).decode())
    assert verify_webhook(PAID, headers, plain).data.id == "o1"
    assert verify_webhook(PAID, headers, plain.encode()).data.id == "o1"
    with pytest.raises(ValueError):
        verify_webhook(PAID, headers, "whsec_not base64!")


@pytest.fixture(scope="module")
def polar(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, ModuleType]]:
    """Polar 2026-10's client, whose deliveries are signed with the Standard Webhooks scheme."""
    from helpers import shared_specs_dir

    spec = shared_specs_dir() / "polar-2026-10.openapi.json"
    assert spec.exists(), f"{spec} is missing (set SDKGEN_SPECS_DIR)"
    out = tmp_path_factory.mktemp("polar_hooks")
    result = generate(Job(spec, out, "polar_hooks"), run_validator=False)
    write_package(out, "polar_hooks", result.files)
    sys.path.insert(0, str(out))
    try:
        import polar_hooks.webhooks

        yield result.api, polar_hooks
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "polar_hooks"]:
            del sys.modules[name]


def test_polar_delivery_verifies_into_its_typed_event(polar: tuple[Any, ModuleType]) -> None:
    from generator.emit.samples import Samples

    api, pkg = polar
    payload = Samples(api, "polar_hooks").model_value("WebhookOrderPaidPayload")
    body = json.dumps(payload).encode()
    dashboard_secret = "polar_whs_4kQ1mN8rT2"  # the plain secret Polar shows; its bytes key the HMAC
    headers = signed(body, secret=base64.b64encode(dashboard_secret.encode()).decode())
    event = pkg.webhooks.verify_webhook(body, headers, dashboard_secret)
    assert type(event).__name__ == "WebhookOrderPaidPayload"
    assert event.to_dict() == pkg.webhooks.parse_webhook(body).to_dict()
    with pytest.raises(pkg.errors.WebhookSignatureError):
        pkg.webhooks.verify_webhook(body, headers, "polar_whs_other")
