"""Credentials: the API's security schemes, the values configured for them, and
how each is put on a request.

Copied verbatim into every generated package (like ``_runtime``); not public API
except :class:`ClientCredentials`, which the package root re-exports.

Hygiene rules kept here: values are checked when the client is built (and when
a provider returns one), never shown in ``repr`` or error messages; a query
API key is masked wherever a URL is printed; credentials do not follow a
redirect to another origin (see ``_runtime``).
"""

from __future__ import annotations

import base64
import inspect
import math
import os
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, Union
from urllib.parse import quote, urlencode

from .errors import (
    APIConnectionError,
    APITimeoutError,
    InvalidCredentialError,
    MissingCredentialsError,
    error_class_for,
    redact_url,
)

if TYPE_CHECKING:
    import asyncio
    import logging

    import httpx

__all__ = [
    "ClientCredentials",
    "TokenArg",
    "BasicArg",
    "OAuth2Arg",
    "Scheme",
    "Credential",
    "Credentials",
    "Applied",
    "check_header_value",
]

# Seconds before a token's stated expiry at which it is fetched again.
_EXPIRY_MARGIN = 30.0
_TOKEN_LIMIT = 64  # cached tokens (one per scope set) kept at most


@dataclass(frozen=True, slots=True)
class ClientCredentials:
    """OAuth2 client-credentials grant: the client fetches (and caches,
    refreshes) access tokens from the scheme's token URL itself.

    ``scopes`` None: the scopes each operation needs (from the spec); a
    sequence: always exactly those."""

    client_id: str
    client_secret: str = field(repr=False)
    scopes: Sequence[str] | None = None
    # RFC 6749 2.3.1: HTTP Basic (the default every server must support), or
    # the id and secret in the form body.
    auth_method: Literal["client_secret_basic", "client_secret_post"] = "client_secret_basic"

    def __repr__(self) -> str:
        return (
            f"ClientCredentials(client_id={self.client_id!r}, client_secret=<hidden>, "
            f"scopes={self.scopes!r})"
        )


SchemeKind: TypeAlias = Literal["bearer", "basic", "api_key", "oauth2", "http_auth", "mutual_tls"]


@dataclass(frozen=True, slots=True)
class Scheme:
    """One security scheme as the client applies it (generated from the spec)."""

    kind: SchemeKind
    arg: str  # the Client keyword argument
    env: str | None = None  # environment variable (base name) read when unset
    location: Literal["header", "query", "cookie"] = "header"  # api_key
    name: str = "Authorization"  # api_key: header, query or cookie name
    prefix: str = ""  # api_key: text before the value (e.g. "Bot ")
    token_url: str | None = None  # oauth2: the clientCredentials token URL


TokenArg: TypeAlias = Union[str, Callable[[], Union[str, Awaitable[str]]]]
"""A token or key, or a zero-argument callable (sync or async) returning one."""
BasicArg: TypeAlias = Union[
    "tuple[str, str]", Callable[[], Union["tuple[str, str]", Awaitable["tuple[str, str]"]]]
]
"""A (username, password) pair, or a callable returning one."""
OAuth2Arg: TypeAlias = Union[
    str,
    ClientCredentials,
    Callable[[], Union[str, ClientCredentials, Awaitable[Union[str, ClientCredentials]]]],
]
"""An access token or client credentials, or a callable returning one."""

Secret: TypeAlias = Union[str, "tuple[str, str]", ClientCredentials, "httpx.Auth"]
Credential: TypeAlias = Union[
    Secret, Callable[[], Union[Secret, Awaitable[Secret]]]
]
"""A credential value, or a zero-argument callable (sync or async) returning one."""


# --------------------------------------------------------------------------
# Checking values


def _problem(value: str, *, ascii_only: bool = True) -> str | None:
    for i, ch in enumerate(value):
        if ch in "\r\n":
            return f"a line break at index {i}"
        if ord(ch) < 0x20 or ord(ch) == 0x7F:
            return f"a control character at index {i}"
        if ord(ch) > 0x7E and ascii_only:
            return f"a non-ASCII character at index {i}"
    return None


def _clean(value: object, what: str, *, ascii_only: bool = True) -> str:
    """``value`` as a sendable string: one trailing newline (``\\n`` or
    ``\\r\\n``, as ``open(path).read()`` leaves) is removed; any other line
    break, control character or (if ``ascii_only``) non-ASCII character is
    refused with an error that names ``what`` but never shows the value."""
    if not isinstance(value, str):
        raise InvalidCredentialError(f"{what} must be a string, not {type(value).__name__}")
    if value.endswith("\r\n"):
        value = value[:-2]
    elif value.endswith("\n"):
        value = value[:-1]
    problem = _problem(value, ascii_only=ascii_only)
    if problem is not None:
        raise InvalidCredentialError(f"{what} contains {problem} (the value is not shown)")
    return value


def check_header_value(name: str, value: str) -> str:
    """A header value that can be sent as is (ASCII, no line breaks); raises
    :class:`InvalidCredentialError` naming the header, never the value.
    Unlike credentials, a trailing newline is not removed."""
    if not isinstance(value, str):
        raise InvalidCredentialError(f"header {name!r} must be a string, not {type(value).__name__}")
    problem = _problem(value)
    if problem is not None:
        raise InvalidCredentialError(f"header {name!r} contains {problem} (the value is not shown)")
    return value


def _check_secret(scheme: Scheme, value: object, *, source: str = "") -> Secret:
    """Validate (and normalise) one configured value for ``scheme``; ``source``
    says where it came from (a provider, an environment variable)."""
    what = f"the credential for `{scheme.arg}`{source}"
    kind = scheme.kind
    if kind == "basic":
        if not (isinstance(value, tuple) and len(value) == 2):
            raise InvalidCredentialError(f"{what} must be a (username, password) tuple")
        user = _clean(value[0], f"the username of `{scheme.arg}`", ascii_only=False)
        password = _clean(value[1], f"the password of `{scheme.arg}`", ascii_only=False)
        if ":" in user:
            raise InvalidCredentialError(f"the username of `{scheme.arg}` contains ':' (RFC 7617)")
        return (user, password)
    if kind == "http_auth":
        import httpx

        if not isinstance(value, httpx.Auth):
            raise InvalidCredentialError(f"{what} must be an httpx.Auth (e.g. httpx.DigestAuth)")
        return value
    if kind == "oauth2" and isinstance(value, ClientCredentials):
        _clean(value.client_id, f"the client_id of `{scheme.arg}`")
        _clean(value.client_secret, f"the client_secret of `{scheme.arg}`")
        if scheme.token_url is None:
            raise InvalidCredentialError(
                f"`{scheme.arg}` declares no clientCredentials token URL: pass an access token"
            )
        return value
    if kind == "mutual_tls":
        raise InvalidCredentialError(
            f"`{scheme.arg}` is mutual TLS: configure the certificate on http_client"
        )
    text = _clean(value, what)
    if kind == "api_key" and scheme.location == "header":
        check_header_value(scheme.name, scheme.prefix + text)
    return text


# --------------------------------------------------------------------------
# Configured credentials


def _from_env(scheme: Scheme, environ: Mapping[str, str]) -> object | None:
    """The value the scheme's environment variables hold, if any."""
    env = scheme.env
    if not env:
        return None
    if scheme.kind == "basic":
        user, password = environ.get(f"{env}_USERNAME"), environ.get(f"{env}_PASSWORD")
        return (user, password) if user and password is not None else None
    if scheme.kind == "oauth2" and scheme.token_url is not None:
        cid, secret = environ.get(f"{env}_CLIENT_ID"), environ.get(f"{env}_CLIENT_SECRET")
        if cid and secret:
            return ClientCredentials(cid, secret)
    return environ.get(env) or None


@dataclass(slots=True)
class Applied:
    """What one call sends: headers, query pairs, cookies, an httpx.Auth;
    ``oauth`` names the client-credentials tokens used (for refresh on 401)."""

    headers: dict[str, str] = field(default_factory=dict)
    params: list[tuple[str, str]] = field(default_factory=list)
    cookies: list[tuple[str, str]] = field(default_factory=list)
    auth: httpx.Auth | None = None
    oauth: list[tuple[_TokenCache, tuple[Any, ...], str]] = field(default_factory=list)

    def cookie_text(self) -> str:
        return "; ".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in self.cookies)


class Credentials:
    """The schemes of the API and the value configured for each (explicitly,
    as a provider, or from the environment). Never shows a value in ``repr``."""

    __slots__ = ("schemes", "_values", "_providers", "_caches", "secret_params", "secret_headers")

    def __init__(
        self,
        schemes: Mapping[str, Scheme],
        values: Mapping[str, object | None],
        *,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        environ = os.environ if environ is None else environ
        self.schemes: dict[str, Scheme] = dict(schemes)
        self._values: dict[str, Secret] = {}
        self._providers: dict[str, Callable[[], Any]] = {}
        self._caches: dict[str, _TokenCache] = {}
        for key, scheme in self.schemes.items():
            value, source = values.get(key), ""
            if value is None or value == "":
                value = _from_env(scheme, environ)
                source = f" (from the environment, {scheme.env}*)"
            if value is None or value == "" or scheme.kind == "mutual_tls":
                continue
            if callable(value) and not _is_auth(value) and not isinstance(value, ClientCredentials):
                self._providers[key] = value
            else:
                self._values[key] = _check_secret(scheme, value, source=source)
            if scheme.kind == "oauth2":
                self._caches[key] = _TokenCache()
        self.secret_params = frozenset(
            s.name for s in self.schemes.values() if s.kind == "api_key" and s.location == "query"
        )
        if self.secret_params:
            _mask_in_logs(self.secret_params)
        self.secret_headers = frozenset(
            s.name.lower() for s in self.schemes.values() if s.kind == "api_key" and s.location == "header"
        ) | {"authorization", "proxy-authorization", "cookie"}

    def configured(self, key: str) -> bool:
        scheme = self.schemes.get(key)
        if scheme is None:
            return False
        return scheme.kind == "mutual_tls" or key in self._values or key in self._providers

    def __repr__(self) -> str:
        names = ", ".join(self.schemes[k].arg for k in self.schemes if self.configured(k))
        return f"Credentials(set=[{names}])"

    def select(self, security: Sequence[Sequence[str]]) -> list[tuple[str, tuple[str, ...]]]:
        """The first alternative whose schemes are all configured, as (scheme,
        scopes) pairs; ``[]`` when the operation needs none. An empty
        alternative (anonymous) is taken only when no other one fits. Raises
        :class:`MissingCredentialsError` (nothing sent) when none fits."""
        if not security:
            return []
        sendable: list[Sequence[str]] = []
        clashing: list[Sequence[str]] = []
        for alternative in security:
            if not alternative:
                continue
            uses = [_split_use(item) for item in alternative]
            places = [_place_of(self.schemes[k]) for k, _ in uses if k in self.schemes]
            if len(set(p for p in places if p)) < len([p for p in places if p]):
                clashing.append(alternative)  # e.g. basic AND bearer: one Authorization header
                continue
            sendable.append(alternative)
            if all(self.configured(key) for key, _ in uses):
                return uses
        if any(not alternative for alternative in security):
            return []

        def args(alts: list[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
            return tuple(
                tuple(self.schemes[key].arg if key in self.schemes else key for key, _ in map(_split_use, alt))
                for alt in alts
            )

        def words(alts: tuple[tuple[str, ...], ...]) -> str:
            return " or ".join("(" + " and ".join(f"`{a}`" for a in alt) + ")" for alt in alts)

        options = args(sendable)
        if not options:
            raise MissingCredentialsError(
                f"this operation cannot be called by this client: it accepts only {words(args(clashing))}, "
                "schemes that put two different credentials in one header (e.g. both in Authorization), "
                "which one request cannot carry",
            )
        note = (
            f" ({words(args(clashing))} is not offered: those schemes share one header)" if clashing else ""
        )
        raise MissingCredentialsError(
            f"this operation needs credentials the client was not given: pass {words(options)} to the "
            f"client (or set the environment variables the README lists){note}",
            alternatives=options,
        )

    # -- resolving values (providers, tokens) -----------------------------------------

    def _provided(self, key: str, value: object) -> Secret:
        if inspect.isawaitable(value):
            if hasattr(value, "close"):
                value.close()  # a coroutine never awaited would warn
            raise InvalidCredentialError(
                f"the provider for `{self.schemes[key].arg}` is async: use AsyncClient"
            )
        return _check_secret(self.schemes[key], value, source=" (returned by its provider)")

    def apply(self, uses: list[tuple[str, tuple[str, ...]]], client: httpx.Client, base_url: str) -> Applied:
        """Resolve and place the credentials of ``uses`` (blocking client)."""
        out = Applied()
        for key, scopes in uses:
            scheme = self.schemes[key]
            if scheme.kind == "mutual_tls":
                continue
            value = self._values.get(key)
            if value is None:
                value = self._provided(key, self._providers[key]())
            if isinstance(value, ClientCredentials):
                cache = self._caches[key]
                wanted = _scopes(value, scopes)
                token = cache.get(client, scheme, value, wanted, base_url)
                out.oauth.append((cache, (value.client_id, wanted), token))
                value = token
            _place(scheme, value, out)
        return out

    async def aapply(
        self, uses: list[tuple[str, tuple[str, ...]]], client: httpx.AsyncClient, base_url: str
    ) -> Applied:
        """Resolve and place the credentials of ``uses`` (asyncio client)."""
        out = Applied()
        for key, scopes in uses:
            scheme = self.schemes[key]
            if scheme.kind == "mutual_tls":
                continue
            value: object = self._values.get(key)
            if value is None:
                value = self._providers[key]()
                if inspect.isawaitable(value):
                    value = await value
                value = _check_secret(scheme, value, source=" (returned by its provider)")
            if isinstance(value, ClientCredentials):
                cache = self._caches[key]
                wanted = _scopes(value, scopes)
                token = await cache.aget(client, scheme, value, wanted, base_url)
                out.oauth.append((cache, (value.client_id, wanted), token))
                value = token
            _place(scheme, value, out)  # type: ignore[arg-type]
        return out


class _MaskQuery:
    """Masks query API keys in the request lines httpx logs (``HTTP Request: GET url``).
    A logging filter by its `filter` method (no `logging.Filter` base: `logging` is
    imported when the first filter is installed, not with the client)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and self.names:
            record.args = tuple(
                redact_url(a, self.names)
                if not isinstance(a, (int, float)) and "?" in str(a)
                else a
                for a in record.args
            )
        return True


_LOG_MASK = _MaskQuery()
_LOG_MASK_LOCK = threading.Lock()


def _mask_in_logs(names: frozenset[str]) -> None:
    import logging

    with _LOG_MASK_LOCK:
        if not _LOG_MASK.names:
            for logger in ("httpx", "httpcore"):
                logging.getLogger(logger).addFilter(_LOG_MASK)
        _LOG_MASK.names.update(names)


def _is_auth(value: object) -> bool:
    import httpx

    return isinstance(value, httpx.Auth)


def _place_of(scheme: Scheme) -> tuple[str, str] | None:
    """Where a scheme's credential travels (two in one request must not share it)."""
    if scheme.kind == "mutual_tls":
        return None
    if scheme.kind == "api_key":
        name = scheme.name.lower() if scheme.location == "header" else scheme.name
        return scheme.location, name
    return "header", "authorization"


def _split_use(item: str) -> tuple[str, tuple[str, ...]]:
    """``"scheme scope1 scope2"`` -> ("scheme", ("scope1", "scope2"))."""
    key, *scopes = item.split(" ")
    return key, tuple(scopes)


def _scopes(value: ClientCredentials, needed: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(value.scopes) if value.scopes is not None else needed


def _place(scheme: Scheme, value: Secret, out: Applied) -> None:
    kind = scheme.kind
    if kind == "basic":
        assert isinstance(value, tuple)
        raw = f"{value[0]}:{value[1]}".encode()
        out.headers["authorization"] = "Basic " + base64.b64encode(raw).decode("ascii")
    elif kind == "http_auth":
        out.auth = value  # type: ignore[assignment]
    elif kind == "api_key":
        text = scheme.prefix + str(value)
        if scheme.location == "header":
            out.headers[scheme.name.lower()] = text
        elif scheme.location == "query":
            out.params.append((scheme.name, text))
        else:
            out.cookies.append((scheme.name, text))
    else:  # bearer, oauth2 access token, OpenID Connect
        out.headers["authorization"] = f"Bearer {value}"


# --------------------------------------------------------------------------
# OAuth2 client credentials


class _TokenCache:
    """Access tokens per (client id, scopes), each until shortly before its
    expiry. One fetch at a time: threads wait on a lock, asyncio tasks on an
    asyncio lock, then find the token the first one stored."""

    __slots__ = ("_tokens", "_lock", "_alock")

    def __init__(self) -> None:
        self._tokens: dict[tuple[Any, ...], tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._alock: asyncio.Lock | None = None

    def _valid(self, key: tuple[Any, ...]) -> str | None:
        found = self._tokens.get(key)
        if found is not None and time.monotonic() < found[1]:
            return found[0]
        return None

    def _store(self, key: tuple[Any, ...], token: str, expires_in: float | None) -> None:
        if len(self._tokens) >= _TOKEN_LIMIT:
            self._tokens.clear()
        if expires_in is None:
            until = math.inf  # no stated expiry: until the server answers 401
        else:
            until = time.monotonic() + expires_in - min(_EXPIRY_MARGIN, expires_in / 10.0)
        self._tokens[key] = (token, until)

    def invalidate(self, key: tuple[Any, ...], token: str) -> None:
        """Forget ``token`` (the server refused it), unless already replaced."""
        with self._lock:
            found = self._tokens.get(key)
            if found is not None and found[0] == token:
                del self._tokens[key]

    def get(
        self, client: httpx.Client, scheme: Scheme, creds: ClientCredentials,
        scopes: tuple[str, ...], base_url: str,
    ) -> str:
        key = (creds.client_id, scopes)
        token = self._valid(key)
        if token is not None:
            return token
        with self._lock:
            token = self._valid(key)
            if token is None:
                request = _token_request(client, scheme, creds, scopes, base_url)
                import httpx

                try:
                    response = client.send(request, auth=None, follow_redirects=False)
                except httpx.RequestError as exc:
                    raise _token_transport_error(exc, request) from exc
                try:
                    response.read()
                finally:
                    response.close()
                token, expires_in = _token_from(response)
                self._store(key, token, expires_in)
            return token

    async def aget(
        self, client: httpx.AsyncClient, scheme: Scheme, creds: ClientCredentials,
        scopes: tuple[str, ...], base_url: str,
    ) -> str:
        key = (creds.client_id, scopes)
        token = self._valid(key)
        if token is not None:
            return token
        if self._alock is None:
            import asyncio

            self._alock = asyncio.Lock()
        async with self._alock:
            token = self._valid(key)
            if token is None:
                request = _token_request(client, scheme, creds, scopes, base_url)
                import httpx

                try:
                    response = await client.send(request, auth=None, follow_redirects=False)
                except httpx.RequestError as exc:
                    raise _token_transport_error(exc, request) from exc
                try:
                    await response.aread()
                finally:
                    await response.aclose()
                token, expires_in = _token_from(response)
                with self._lock:
                    self._store(key, token, expires_in)
            return token


def _token_request(
    client: httpx.Client | httpx.AsyncClient, scheme: Scheme, creds: ClientCredentials,
    scopes: tuple[str, ...], base_url: str,
) -> httpx.Request:
    import httpx

    assert scheme.token_url is not None
    url = httpx.URL(base_url + "/").join(scheme.token_url)
    form = [("grant_type", "client_credentials")]
    if scopes:
        form.append(("scope", " ".join(scopes)))
    headers = {"content-type": "application/x-www-form-urlencoded", "accept": "application/json"}
    if creds.auth_method == "client_secret_post":
        form += [("client_id", creds.client_id), ("client_secret", creds.client_secret)]
    else:  # RFC 6749 2.3.1: each part form-encoded, then HTTP Basic
        pair = f"{quote(creds.client_id, safe='')}:{quote(creds.client_secret, safe='')}"
        headers["authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    return client.build_request("POST", url, headers=headers, content=urlencode(form).encode("ascii"))


def _token_transport_error(exc: Exception, request: httpx.Request) -> APIConnectionError:
    import httpx

    where = f"token request POST {redact_url(request.url)}"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"Request timed out: {where}", request=request)
    return APIConnectionError(f"Connection error: {where}: {type(exc).__name__}", request=request)


def _token_from(response: httpx.Response) -> tuple[str, float | None]:
    """(access token, seconds it lives) from a token endpoint's answer."""
    import json

    try:
        data = json.loads(response.content) if response.content else None
    except ValueError:
        data = None
    if not response.is_success:
        raise error_class_for(response.status_code).from_response(
            response, data, detail="the OAuth2 token request was refused"
        )
    token = data.get("access_token") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token or _problem(token) is not None:
        # built by hand: from_response would quote the body, which holds the token
        raise error_class_for(401)(
            f"{response.status_code} for POST {redact_url(response.request.url)}: "
            "the OAuth2 token response holds no usable access_token",
            status_code=response.status_code,
            request=response.request,
        )
    lifetime = data.get("expires_in") if isinstance(data, dict) else None
    if isinstance(lifetime, str):
        try:
            lifetime = float(lifetime)
        except ValueError:
            lifetime = None
    if isinstance(lifetime, bool) or not isinstance(lifetime, (int, float)) or not math.isfinite(lifetime):
        return token, None
    return token, max(float(lifetime), 0.0)
