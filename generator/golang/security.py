"""Security schemes and webhooks in the Go target: what the IR's schemes become in Go.

Decided here from the IR only (the builder decided kinds, requirements, environment
variables): the `components.Security` struct (one field per scheme), the shape of
`WithSecurity` (a token string when every scheme takes a bearer token, as the seed's
sample uses it; the struct otherwise), each scheme's runtime descriptor and each
operation's requirement as a Go literal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, assert_never

from ..ir import model as m
from .naming import Scope, go_comment, go_string, pascal

SecurityShape = Literal["token", "struct"]

# Runtime types of models/components/security_schemes.go (reserved in components).
BASIC_TYPE = "SchemeBasicAuth"
OAUTH2_TYPE = "SchemeOAuth2"


@dataclass(frozen=True, slots=True)
class SchemeField:
    """One scheme: its field of components.Security and its runtime descriptor."""

    key: str  # Go literal of the scheme key
    field: str  # the components.Security field ("" for schemes configured on the client)
    field_type: str  # the field's Go type inside package components
    descriptor: str  # the sdk.Scheme literal
    convert: str  # sdk.Credential literal built from `v` (the dereferenced field)
    doc: tuple[str, ...]
    sample: str  # a placeholder value of the field, inside package main ("" when none)
    what: str = ""  # what the field holds and where it goes (generated text, for the README)
    env: tuple[str, ...] = ()  # the environment variables FromEnv reads for it


@dataclass(frozen=True, slots=True)
class SecurityPlan:
    shape: SecurityShape
    type_name: str  # the components type of all credentials ("" when the API has no schemes)
    schemes: tuple[SchemeField, ...]
    token_field: str  # token shape: the field WithSecurity(token) fills ("" when no schemes)

    @property
    def fields(self) -> tuple[SchemeField, ...]:
        return tuple(s for s in self.schemes if s.field)


def _token_like(kind: m.SchemeKind) -> bool:
    """A scheme whose whole credential is one bearer token."""
    match kind:
        case m.HttpBearer() | m.OpenIdConnect():
            return True
        case m.OAuth2(token_url=token_url):
            return token_url is None
        case m.HttpBasic() | m.HttpOther() | m.ApiKey() | m.MutualTLS():
            return False
        case _:
            assert_never(kind)


def plan_security(api: m.Api, scope: Scope, pkg: str) -> SecurityPlan:
    """`scope` is the components namespace (the struct's name is claimed there);
    `pkg` is the root package's name (samples call `<pkg>.String`)."""
    if not api.security_schemes:
        return SecurityPlan("token", "", (), "")
    type_name = scope.claim("Security")
    fields = Scope(frozenset())
    out: list[SchemeField] = []
    for s in api.security_schemes:
        kind = s.kind
        env = go_string(s.env or "")
        key = go_string(s.key)
        name = fields.claim(pascal(s.key, "Scheme"))
        text = f'"<{s.key.upper()}>"'
        token_sample = f"{pkg}.String({text})"
        match kind:
            case m.HttpBearer() | m.OpenIdConnect():
                sdk_kind, ftype, convert, sample = (
                    "sdk.SchemeBearer",
                    "*string",
                    "sdk.Credential{Token: *v}",
                    token_sample,
                )
                doc = "a bearer token, sent as `Authorization: Bearer <token>`."
                if isinstance(kind, m.OpenIdConnect):
                    doc = "an access token from the OpenID Connect provider, sent as `Authorization: Bearer <token>`."
            case m.HttpBasic():
                sdk_kind, ftype = "sdk.SchemeBasic", f"*{BASIC_TYPE}"
                convert = "sdk.Credential{Username: v.Username, Password: v.Password}"
                sample = f'&components.{BASIC_TYPE}{{Username: "<USERNAME>", Password: "<PASSWORD>"}}'
                doc = "a username and password, sent as `Authorization: Basic ...`."
            case m.ApiKey(location=location, parameter=parameter):
                sdk_kind, ftype, convert, sample = (
                    "sdk.SchemeAPIKey",
                    "*string",
                    "sdk.Credential{Token: *v}",
                    token_sample,
                )
                where = {"header": "header", "query": "query parameter", "cookie": "cookie"}[location]
                doc = f"an API key, sent in the {where} {parameter!r}."
            case m.OAuth2(token_url=token_url):
                if token_url is None:
                    sdk_kind, ftype = "sdk.SchemeOAuth2", "*string"
                    convert, sample = "sdk.Credential{Token: *v}", token_sample
                    doc = "an OAuth2 access token, sent as `Authorization: Bearer <token>`."
                else:
                    sdk_kind, ftype = "sdk.SchemeOAuth2", f"*{OAUTH2_TYPE}"
                    convert = (
                        "sdk.Credential{Token: v.AccessToken, ClientID: v.ClientID, ClientSecret: v.ClientSecret, "
                        "Scopes: v.Scopes, ClientSecretPost: v.ClientSecretPost}"
                    )
                    sample = f'&components.{OAUTH2_TYPE}{{ClientID: "<CLIENT_ID>", ClientSecret: "<CLIENT_SECRET>"}}'
                    doc = (
                        f"an OAuth2 access token, or client credentials: tokens are then fetched from {token_url!r}, "
                        "cached until shortly before they expire and fetched again once on a 401."
                    )
            case m.HttpOther() | m.MutualTLS():
                # configured on the HTTP client (WithClient): a TLS certificate, or a
                # RoundTripper computing the other http scheme
                out.append(
                    SchemeField(key, "", "", f"{{Key: {key}, Field: {key}, Kind: sdk.SchemeExternal}}", "", (), "")
                )
                continue
            case _:
                assert_never(kind)
        envs: tuple[str, ...] = ()
        if s.env:
            envs = (s.env,)
            if isinstance(kind, m.HttpBasic):
                envs = (f"{s.env}_USERNAME", f"{s.env}_PASSWORD")
            elif isinstance(kind, m.OAuth2) and kind.token_url is not None:
                envs += (f"{s.env}_CLIENT_ID", f"{s.env}_CLIENT_SECRET")
        descriptor = f"{{Key: {key}, Field: {go_string(name)}, Kind: {sdk_kind}, Env: {env}"
        if isinstance(kind, m.ApiKey):
            descriptor += (
                f", In: {go_string(kind.location)}, Name: {go_string(kind.parameter)}, Prefix: {go_string(kind.prefix)}"
            )
        if isinstance(kind, m.OAuth2) and kind.token_url is not None:
            descriptor += f", TokenURL: {go_string(kind.token_url)}"
        descriptor += "}"
        lines = f"{name} is {doc}"
        if s.description:
            lines += " " + s.description
        out.append(SchemeField(key, name, ftype, descriptor, convert, go_comment(lines, "\t"), sample, doc, envs))
    first = next((f.field for s, f in zip(api.security_schemes, out) if _token_like(s.kind)), "")
    # the token shape needs a token field: schemes all configured on the HTTP client
    # (pay1.de's three `payone-hmac-sha256` ones) leave an empty struct to set
    token_shape = first != "" and all(_token_like(s.kind) for s, f in zip(api.security_schemes, out) if f.field)
    return SecurityPlan("token" if token_shape else "struct", type_name, tuple(out), first)


def requirement_literal(op: m.Operation) -> str:
    """An operation's alternatives as a `[]sdk.Requirement` literal ("nil": none needed)."""
    if not op.security:
        return "nil"
    alts = []
    for alt in op.security:
        uses = []
        for use in alt:
            scopes = "".join(f", {go_string(x)}" for x in use.scopes)
            uses.append(
                f"{{Scheme: {go_string(use.scheme)}"
                + (f", Scopes: []string{{{scopes[2:]}}}" if use.scopes else "")
                + "}"
            )
        alts.append("{" + ", ".join(uses) + "}")
    return "[]sdk.Requirement{" + ", ".join(alts) + "}"


def sample_option(plan: SecurityPlan, op: m.Operation, pkg: str, token_env: str | None) -> tuple[list[str], bool]:
    """The client option a usage sample passes for `op`'s first alternative, as lines
    (without indentation) and whether they need `os`; ([], False) for a public call."""
    if not op.security or any(len(alt) == 0 for alt in op.security):
        return [], False
    by_key = {s.key: s for s in plan.schemes}
    wanted = [by_key[go_string(u.scheme)] for u in op.security[0] if go_string(u.scheme) in by_key]
    wanted = [s for s in wanted if s.field]
    if plan.schemes and not wanted:  # only schemes the HTTP client carries (WithClient)
        return [], False
    if plan.shape == "token" and (not plan.schemes or [s.field for s in wanted] == [plan.token_field]):
        if token_env:
            return [f"{pkg}.WithSecurity(os.Getenv({go_string(token_env)})),"], True
        return [f'{pkg}.WithSecurity("<YOUR_BEARER_TOKEN_HERE>"),'], False
    values = [f"\t{s.field}: {s.sample}," for s in wanted]
    struct = [f"components.{plan.type_name}{{", *values, "}"]
    if plan.shape == "struct":
        return [f"{pkg}.WithSecurity({struct[0]}", *values, "}),"], False
    return [
        f"{pkg}.WithSecuritySource(func(context.Context) ({struct[0][:-1]}, error) {{",
        f"\treturn {struct[0]}",
        *(f"\t{v}" for v in values),
        "\t}, nil",
        "}),",
    ], False
