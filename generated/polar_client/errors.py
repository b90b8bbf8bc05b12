"""Exceptions raised by this client package.

Everything derives from :class:`SDKError`, so ``except SDKError`` catches all of
them. Messages never contain request headers, so credentials cannot leak into
logs or tracebacks.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import parse_qsl, urlencode

if TYPE_CHECKING:
    import httpx  # imported on first use, not with the package (see _runtime)

__all__ = [
    "SDKError",
    "APIError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "ResponseValidationError",
    "APIConnectionError",
    "APITimeoutError",
    "MissingCredentialsError",
    "InvalidCredentialError",
    "PaginationError",
    "WebhookVerificationError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "WebhookPayloadError",
    "UnknownWebhookEventError",
    "error_class_for",
    "redact_url",
]

_EXCERPT_CHARS = 300
_E = TypeVar("_E", bound="APIError")


class SDKError(Exception):
    """Base class of every exception this package raises."""


class APIError(SDKError):
    """The server answered with a non-2xx status (or an undecodable body).

    ``body`` holds the documented error model when the status is documented
    and decodes, else the parsed JSON, else the text (``None`` if empty).
    """

    status_code: int
    headers: httpx.Headers
    content: bytes
    body: object
    request: httpx.Request | None
    response: httpx.Response | None

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        headers: httpx.Headers | None = None,
        content: bytes = b"",
        body: object = None,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        if headers is None:
            import httpx

            headers = httpx.Headers()
        self.headers = headers
        self.content = content
        self.body = body
        self.request = request
        self.response = response

    @classmethod
    def from_response(
        cls: type[_E],
        response: httpx.Response,
        body: object,
        detail: str | None = None,
        *,
        secret_params: Collection[str] = (),
    ) -> _E:
        """Build the error from a received response; the message names the
        status, method and URL (``secret_params`` of its query masked) plus a
        short excerpt of the body."""
        request = _request_of(response)
        where = (
            f" for {request.method} {redact_url(request.url, secret_params)}"
            if request is not None
            else ""
        )
        message = f"{response.status_code} {response.reason_phrase}{where}"
        if detail:
            message += f": {detail}"
        excerpt = _excerpt(response.content, body)
        if excerpt:
            message += f": {excerpt}"
        return cls(
            message,
            status_code=response.status_code,
            headers=response.headers,
            content=response.content,
            body=body,
            request=request,
            response=response,
        )


class BadRequestError(APIError):
    """HTTP 400."""


class AuthenticationError(APIError):
    """HTTP 401: missing or invalid credentials."""


class PermissionDeniedError(APIError):
    """HTTP 403."""


class NotFoundError(APIError):
    """HTTP 404."""


class ConflictError(APIError):
    """HTTP 409."""


class UnprocessableEntityError(APIError):
    """HTTP 422: the request was well-formed but failed validation."""


class RateLimitError(APIError):
    """HTTP 429."""


class InternalServerError(APIError):
    """Any HTTP status >= 500."""


class ResponseValidationError(APIError):
    """A 2xx response whose body could not be decoded into the documented
    type (not JSON, empty, a required member missing, a value of the wrong
    kind); the decoding exception is chained as ``__cause__``.

    ``pointer`` is the RFC 6901 JSON pointer of the value that did not fit
    (``"/billing_address/country"``; ``""`` for the body as a whole), or None
    when the body is not JSON or the place cannot be told. ``body`` is the
    parsed JSON (the text if it is not JSON)."""

    pointer: str | None = None


class APIConnectionError(SDKError):
    """No usable response: the connection failed or broke, the body could not
    be read (cut short, bad ``Content-Encoding``) or redirects looped (after
    retries). The httpx exception is chained as ``__cause__``."""

    request: httpx.Request | None

    def __init__(
        self,
        message: str = "Connection error.",
        *,
        request: httpx.Request | None = None,
    ) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (after retries)."""

    def __init__(
        self,
        message: str = "Request timed out.",
        *,
        request: httpx.Request | None = None,
    ) -> None:
        super().__init__(message, request=request)


class MissingCredentialsError(SDKError):
    """The operation needs credentials this client was not given; raised
    before anything is sent. ``alternatives`` lists the keyword-argument sets
    that would satisfy it (any one of them)."""

    def __init__(self, message: str, *, alternatives: tuple[tuple[str, ...], ...] = ()) -> None:
        super().__init__(message)
        self.alternatives = alternatives


class InvalidCredentialError(SDKError, ValueError):
    """A credential or header value cannot be sent (a line break, a control or
    non-ASCII character, an empty or wrongly shaped value). The message names
    the argument or header and the problem, never the value."""


class PaginationError(SDKError):
    """An iterator cannot follow the next page the server named: its URL is on
    another origin than the configured server (credentials are never sent
    there), or the server named a page already fetched. Raised before
    anything is sent; the items yielded so far were all received."""


def redact_url(url: object, secret_params: Collection[str] = ()) -> str:
    """The URL as text with the value of each query parameter named in
    ``secret_params`` (e.g. an API key) replaced by ``***``."""
    text = str(url)
    if not secret_params or "?" not in text:
        return text
    base, _, rest = text.partition("?")
    query, hash_mark, fragment = rest.partition("#")
    pairs = parse_qsl(query, keep_blank_values=True)
    masked = [(k, "***" if k in secret_params else v) for k, v in pairs]
    return base + "?" + urlencode(masked, safe="*") + hash_mark + fragment


class WebhookVerificationError(SDKError):
    """A webhook delivery that must not be trusted: ``verify_webhook`` raises
    one of the subclasses. Messages never contain the secret or signatures."""


class WebhookSignatureError(WebhookVerificationError):
    """A signature header is missing, or no ``v1`` signature matches the secret."""


class WebhookTimestampError(WebhookVerificationError):
    """The ``webhook-timestamp`` is not a Unix time, or is further from now
    than the tolerance (5 minutes by default): a replayed or delayed delivery."""


class WebhookPayloadError(SDKError):
    """A verified webhook payload that is not JSON, or does not fit its
    documented event type; ``pointer`` is the JSON pointer of the value that
    did not fit (None when unknown), ``payload`` the parsed JSON."""

    pointer: str | None = None
    payload: object = None


class UnknownWebhookEventError(SDKError):
    """A verified event of a type this client does not know yet (raised only
    when unknown events are not allowed; by default they come back raw)."""

    def __init__(self, message: str, *, event_type: str | None, payload: object) -> None:
        super().__init__(message)
        self.event_type = event_type
        self.payload = payload


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for(status: int) -> type[APIError]:
    """The exception class raised for an HTTP status code."""
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIError)


def _request_of(response: httpx.Response) -> httpx.Request | None:
    # httpx raises RuntimeError for responses built without a request.
    try:
        return response.request
    except RuntimeError:
        return None


def _excerpt(content: bytes, body: object) -> str:
    if content:
        text = content[: _EXCERPT_CHARS * 4].decode("utf-8", "replace")
    elif body is not None:
        text = repr(body)
    else:
        return ""
    text = " ".join(text.split())
    if len(text) > _EXCERPT_CHARS:
        text = text[: _EXCERPT_CHARS - 3] + "..."
    return text
