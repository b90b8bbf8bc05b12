"""Webhook signatures: the Standard Webhooks scheme (https://www.standardwebhooks.com).

Copied verbatim into every generated package whose API has webhooks; standard
library only. ``webhooks.verify_webhook`` is the public entry point.

A delivery carries three headers: ``webhook-id``, ``webhook-timestamp`` (Unix
seconds) and ``webhook-signature``, a space-separated list of ``v1,<base64>``
signatures (other versions are skipped). Each ``v1`` signature is
HMAC-SHA256 over ``<id>.<timestamp>.<raw body>``, keyed with the secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ._runtime import _describe, _locate
from .errors import (
    UnknownWebhookEventError,
    WebhookPayloadError,
    WebhookSignatureError,
    WebhookTimestampError,
)

__all__ = ["DEFAULT_TOLERANCE", "verify_signature", "secret_key", "parse_payload"]

T = TypeVar("T")

DEFAULT_TOLERANCE = 300.0
"""Seconds a delivery's timestamp may be away from now (either way): 5 minutes."""

_PREFIX = "whsec_"


def secret_key(secret: str | bytes) -> bytes:
    """The HMAC key of a webhook secret.

    ``whsec_<base64>`` (the Standard Webhooks form) is the base64-decoded
    rest; ``bytes`` are the key itself; any other string is its UTF-8 bytes
    (the way Polar's own SDK uses the secret its dashboard shows).
    """
    if isinstance(secret, bytes):
        key = secret
    elif secret.startswith(_PREFIX):
        try:
            key = base64.b64decode(secret[len(_PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("the webhook secret after `whsec_` is not valid base64") from None
    else:
        key = secret.encode("utf-8")
    if not key:
        raise ValueError("the webhook secret is empty")
    return key


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:  # a plain dict with other casing ("Webhook-Id")
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value


def verify_signature(
    body: bytes | str,
    headers: Mapping[str, str],
    secret: str | bytes,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bytes:
    """Check a delivery's signature and timestamp; returns the body's bytes.

    Raises WebhookSignatureError (a header missing, no ``v1`` signature
    matching) or WebhookTimestampError (not a number, or more than
    ``tolerance`` seconds from ``now``). Signatures are compared in constant
    time; neither the secret nor the expected signature appear in messages.
    """
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    msg_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    missing = [
        name
        for name, value in (
            ("webhook-id", msg_id),
            ("webhook-timestamp", stamp),
            ("webhook-signature", signatures),
        )
        if not value
    ]
    if msg_id is None or stamp is None or signatures is None or missing:
        raise WebhookSignatureError(f"the delivery has no {', '.join(missing)} header")
    signed = msg_id.encode("utf-8") + b"." + stamp.encode("utf-8") + b"." + raw
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    expected = base64.b64encode(digest)
    matched = False
    for entry in signatures.split():
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(signature.encode("utf-8", "replace"), expected):
            matched = True  # no early exit: the time taken does not depend on which matched
    if not matched:
        raise WebhookSignatureError("no v1 signature of the delivery matches the secret")
    if not (stamp.isascii() and stamp.isdigit()):
        raise WebhookTimestampError(f"the webhook-timestamp header is not a Unix time: {stamp[:40]!r}")
    current = time.time() if now is None else now
    age = current - int(stamp)
    if age > tolerance:
        raise WebhookTimestampError(f"the delivery is {age:.0f} s old (tolerance {tolerance:.0f} s)")
    if -age > tolerance:
        raise WebhookTimestampError(f"the delivery is {-age:.0f} s in the future (tolerance {tolerance:.0f} s)")
    return raw


def parse_payload(
    raw: bytes | str | Mapping[str, Any],
    decode: Callable[[Any], T],
    *,
    raw_means_unknown: bool,
    allow_unknown: bool = True,
) -> T:
    """Decode a (verified) payload into its event; WebhookPayloadError when it
    is not JSON or does not fit, with the JSON pointer of the value.

    With ``raw_means_unknown`` a dict result is an event type this client does
    not know: returned as it is, or UnknownWebhookEventError when not
    ``allow_unknown``.
    """
    data: Any = raw
    if isinstance(raw, (bytes, str)):
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise WebhookPayloadError(f"the webhook payload is not valid JSON ({_describe(exc)})") from exc
    try:
        event = decode(data)
    except (ValueError, LookupError, TypeError, AttributeError, ArithmeticError, RecursionError) as exc:
        pointer, missing = _locate(decode, data)
        where = "" if pointer is None else f" {'missing' if missing else 'at'} {pointer or 'the root'}"
        error = WebhookPayloadError(f"the webhook payload does not match its documented type{where} ({_describe(exc)})")
        error.pointer = pointer
        error.payload = data
        raise error from exc
    if raw_means_unknown and isinstance(event, dict) and not allow_unknown:
        kind = event.get("type")
        raise UnknownWebhookEventError(
            f"unknown webhook event type {str(kind)[:80]!r}", event_type=kind if isinstance(kind, str) else None, payload=event
        )
    return event
