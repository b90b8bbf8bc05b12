"""Security schemes -> what the client, services and docs print (reads the IR only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from ..ir import model as m
from ..naming import literal
from ..render import md_code
from .contexts import SchemeView


def first_bearer(api: m.Api) -> m.SecurityScheme | None:
    """The scheme the positional `token` argument fills."""
    return next((s for s in api.security_schemes if m.credential_source(s.kind) == "bearer"), None)


def view(s: m.SecurityScheme) -> SchemeView:
    env = s.env
    kind = s.kind
    arg = f"`{s.arg}=`"
    provider = "or a zero-argument callable (sync or async) returning it"
    keyword = True  # the Client takes a keyword argument for the scheme
    match kind:
        case m.HttpBearer():
            ann = "_auth.TokenArg | None"
            rt = f'_auth.Scheme("bearer", {literal(s.arg)}, env={literal(env)})'
            sends = "`Authorization: Bearer <token>`"
            passes = f"a token string, {provider}"
            envs: tuple[str, ...] = (env,) if env else ()
        case m.OpenIdConnect():
            ann = "_auth.TokenArg | None"
            rt = f'_auth.Scheme("bearer", {literal(s.arg)}, env={literal(env)})'
            sends = "`Authorization: Bearer <access token>` (OpenID Connect)"
            passes = f"an access token obtained from the OpenID provider, {provider}"
            envs = (env,) if env else ()
        case m.HttpBasic():
            ann = "_auth.BasicArg | None"
            rt = f'_auth.Scheme("basic", {literal(s.arg)}, env={literal(env)})'
            sends = "`Authorization: Basic <base64(username:password)>`"
            passes = f"a `(username, password)` tuple, {provider}"
            envs = (f"{env}_USERNAME", f"{env}_PASSWORD") if env else ()
        case m.HttpOther(scheme=scheme):
            ann = "httpx.Auth | None"
            rt = f'_auth.Scheme("http_auth", {literal(s.arg)})'
            sends = f"HTTP {md_code(scheme)} authentication, computed by the `httpx.Auth` you pass"
            passes = "an `httpx.Auth` (for digest: `httpx.DigestAuth(username, password)`)"
            envs = ()
        case m.ApiKey(location=location, parameter=parameter, prefix=prefix):
            ann = "_auth.TokenArg | None"
            rt = (
                f'_auth.Scheme("api_key", {literal(s.arg)}, env={literal(env)}, '
                f"location={literal(location)}, name={literal(parameter)}, prefix={literal(prefix)})"
            )
            shown = f"{prefix}<key>" if prefix else "<key>"
            where = {"header": "header", "query": "query parameter", "cookie": "cookie"}[location]
            sends = f"the {where} {md_code(parameter)}: {md_code(shown)}"
            passes = f"the key string, {provider}"
            envs = (env,) if env else ()
        case m.OAuth2(flows=flows, token_url=token_url):
            ann = "_auth.OAuth2Arg | None"
            rt = f'_auth.Scheme("oauth2", {literal(s.arg)}, env={literal(env)}, token_url={literal(token_url)})'
            sends = "`Authorization: Bearer <access token>` (OAuth2)"
            passes = f"an access token, {provider}"
            envs = (env,) if env else ()
            if token_url is not None:
                passes += (
                    f"; or `ClientCredentials(client_id=..., client_secret=...)`: the client then fetches "
                    f"tokens from {md_code(token_url)} with the scopes each operation needs, caches them until "
                    "shortly before they expire and fetches a new one once if the server answers 401"
                )
                envs += (f"{env}_CLIENT_ID", f"{env}_CLIENT_SECRET") if env else ()
            elif flows:
                passes += f" (flows: {', '.join(md_code(f) for f in flows)})"
        case m.MutualTLS():
            ann = ""
            rt = f'_auth.Scheme("mutual_tls", {literal(s.arg)})'
            sends = "a TLS client certificate"
            keyword, passes = False, ""  # no keyword argument: configured on the HTTP client
            envs = ()
        case _:
            assert_never(kind)
    how = (
        f"{arg} {passes}"
        if keyword
        else 'your own `http_client`, e.g. `httpx.Client(cert=("client.pem", "client.key"))`'
    )
    return SchemeView(s.key, s.arg, ann, rt, sends, how, envs, (s.description or "").strip(), keyword, passes)


def runtime_use(api: m.Api, use: m.SchemeUse) -> str:
    """One scheme of a requirement as the runtime reads it: `"key"`, or for OAuth2
    with scopes `"key scope1 scope2"` (scopes never hold spaces, RFC 6749 3.3)."""
    scheme = next((s for s in api.security_schemes if s.key == use.scheme), None)
    if scheme is not None and isinstance(scheme.kind, m.OAuth2) and use.scopes:
        return " ".join([use.scheme, *use.scopes])
    return use.scheme


def requirement_expr(api: m.Api, op: m.Operation) -> str | None:
    """The `security=` argument of an operation call; None when the spec declares no
    schemes at all (the client then sends the `token`, if given, with every call)."""
    if not api.security_schemes:
        return None
    # a trailing comma only where a one-tuple needs it: elsewhere black would take it for a
    # "magic" one and print the tuple one name per line
    alts = [
        "(" + ", ".join(literal(runtime_use(api, u)) for u in alt) + ("," if len(alt) == 1 else "") + ")"
        for alt in op.security
    ]
    if not alts:
        return "()"
    return "(" + ", ".join(alts) + ("," if len(alts) == 1 else "") + ")"


def wire_place(s: m.SecurityScheme) -> tuple[str, str]:
    """(name, location) of what a scheme puts on the request, for the docs table."""
    kind = s.kind
    match kind:
        case m.ApiKey(location=location, parameter=parameter):
            return parameter, location
        case m.MutualTLS():
            return "client certificate", "TLS"
        case m.HttpBearer() | m.HttpBasic() | m.HttpOther() | m.OAuth2() | m.OpenIdConnect():
            return "Authorization", "header"
        case _:
            assert_never(kind)


@dataclass(frozen=True)
class Requirements:
    """Docs: what an operation requires, one row per scheme it may use."""

    rows: tuple[dict[str, str], ...]  # the fields of contexts.AuthRow
    alternatives: tuple[str, ...]
    any_of: bool
    optional: bool
    combined: bool


def requirement_rows(api: m.Api, op: m.Operation) -> Requirements:
    """Docs: one row per scheme the operation may use, and its alternatives in words."""
    schemes = {s.key: s for s in api.security_schemes}
    optional = any(not alt for alt in op.security)
    any_of = len([alt for alt in op.security if alt]) > 1
    rows = []
    for key in dict.fromkeys(u.scheme for alt in op.security for u in alt):
        s = schemes[key]
        v = view(s)
        name, where = wire_place(s)
        scopes = sorted({x for alt in op.security for u in alt if u.scheme == key for x in u.scopes})
        rows.append(
            {
                "name": name,
                "type": "string",
                "location": where,
                "required": "optional" if optional else "any one" if any_of else "required",
                "scheme": f"{v.sends} ({md_code(s.key)})"
                + (f"; scopes: {', '.join(md_code(x) for x in scopes)}" if scopes else ""),
                "argument": (f"`{s.arg}=`" if v.keyword else "`http_client`")
                + (f" or {', '.join(f'`{e}`' for e in v.env_names)}" if v.env_names else ""),
                "description": v.description,
            }
        )
    alternatives = tuple(
        " and ".join(f"`{schemes[u.scheme].arg}`" for u in alt) if alt else "no credentials" for alt in op.security
    )
    return Requirements(tuple(rows), alternatives, any_of, optional, any(len(alt) > 1 for alt in op.security))
