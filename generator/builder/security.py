"""Security schemes and per-operation requirements: what each credential is and where it goes.

Decided here, once: each scheme's kind (a closed set, see `ir.model.SchemeKind`), the
keyword argument and environment variable that configure it, the apiKey prefix, the
OAuth2 token URL; and for each operation, the alternatives (OR) of scheme sets (AND)
with the scopes it needs, root `security` as the default and `security: []` as none.
An AND-set of schemes writing one slot with the same kind of credential (Google's
`{Oauth2: [..], Oauth2c: [..]}`: two bearer tokens for one Authorization header) becomes
one alternative per scheme: one credential, sent once (`_one_per_slot`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, assert_never

from .. import naming
from ..diagnostics import SpecError, SpecWarning, child
from ..ir import model as m
from ..normalize import Spec


@dataclass(frozen=True)
class SecurityOptions:
    """Job settings that shape the schemes: package (environment variable names), the
    legacy `token-env` (the first bearer scheme's variable) and per-scheme overrides."""

    package: str = ""
    token_env: str | None = None
    env: tuple[tuple[str, str], ...] = ()  # (scheme key, variable)
    prefix: tuple[tuple[str, str], ...] = ()  # (scheme key, apiKey prefix)


class AuthSetting(Protocol):
    """A job's settings of one scheme (config.AuthOverride)."""

    @property
    def scheme(self) -> str: ...
    @property
    def env(self) -> str | None: ...
    @property
    def prefix(self) -> str | None: ...


def options_for(package: str, token_env: str | None, auth: Iterable[AuthSetting]) -> SecurityOptions:
    """A job's settings that shape security schemes (variable names, apiKey prefixes),
    the same for every target."""
    settings = tuple(auth)
    return SecurityOptions(
        package=package,
        token_env=token_env,
        env=tuple((a.scheme, a.env) for a in settings if a.env),
        prefix=tuple((a.scheme, a.prefix) for a in settings if a.prefix is not None),
    )


def _env_name(package: str, key: str) -> str:
    """`polar_client` + `basicAuth` -> `POLAR_CLIENT_BASIC_AUTH`."""
    return "_".join(x for x in (naming.upper_snake(package), naming.upper_snake(key) or "AUTH") if x)


@dataclass(frozen=True)
class _Node:
    """One security scheme object of the spec, as its reader sees it."""

    key: str
    node: dict[str, Any]
    ptr: str
    prefix: str  # the apiKey prefix the job sets for it ("" when none)


class SecurityBuilder:
    def __init__(self, spec: Spec, warnings: list[SpecWarning], options: SecurityOptions | None = None) -> None:
        self.spec = spec
        self.warnings = warnings
        self.options = options or SecurityOptions()
        self.schemes: dict[str, m.SecurityScheme] = {}
        self._root: tuple[m.SecurityRequirement, ...] | None = None
        self._clashes: set[tuple[str, ...]] = set()  # AND-sets warned about

    def warn(self, ptr: str, message: str) -> None:
        self.warnings.append(SpecWarning(self.spec.doc.locate(ptr), message))

    def build_schemes(self) -> tuple[m.SecurityScheme, ...]:
        raw = self.spec.security_schemes()
        args = naming.Namespace(
            {
                "token",
                "server",
                "base_url",
                "timeout",
                "http_client",
                "retries",
                "token_env",
                "headers",
                "deadline",
                "self",
                "functools",
                "httpx",
            }
        )
        env_over, prefix_over = dict(self.options.env), dict(self.options.prefix)
        first_bearer = True
        env_names = naming.Namespace(
            set(env_over.values()) | ({self.options.token_env} if self.options.token_env else set())
        )
        for key, node in (raw or {}).items() if isinstance(raw, dict) else ():
            ptr = child("#", "components", "securitySchemes", str(key))
            node, ptr = self.spec.deref(node, ptr)
            if not isinstance(node, dict):
                continue
            kind = self._kind(str(key), node, ptr, prefix_over.get(str(key), ""))
            if kind is None:
                continue
            source = m.credential_source(kind)
            env: str | None = env_over.get(str(key))
            if env is None and source == "bearer" and first_bearer:
                env = self.options.token_env
            if source == "bearer":
                first_bearer = False
            if env is None:  # derived: two keys spelled alike (`apiKey`, `api_key`) get distinct ones
                env = env_names.claim(_env_name(self.options.package, str(key)))
            if source == "code":
                env = None  # configured in code (a certificate, an httpx.Auth), not by a variable
            arg = args.claim(naming.safe(naming.field_name(str(key)), "auth"))
            description = node.get("description") if isinstance(node.get("description"), str) else None
            self.schemes[str(key)] = m.SecurityScheme(str(key), arg, kind, env, description)
        for name in sorted((set(env_over) | set(prefix_over)) - set(self.schemes)):
            self.warn("#/components", f"[tool.sdkgen] auth settings name {name!r}, which is not a security scheme.")
        return tuple(self.schemes.values())

    def _kind(self, key: str, node: dict[str, Any], ptr: str, prefix: str) -> m.SchemeKind | None:
        kind = node.get("type")
        read = _READERS.get(kind) if isinstance(kind, str) else None
        if read is None:
            self.warn(
                ptr,
                f"security scheme {key!r} has unknown type {kind!r}: operations needing it cannot be called "
                "with credentials from this client.",
            )
            return None
        return read(self, _Node(key, node, ptr, prefix))

    def _http(self, n: _Node) -> m.SchemeKind:
        scheme = str(n.node.get("scheme") or "").lower()
        if scheme == "bearer":
            fmt = n.node.get("bearerFormat")
            return m.HttpBearer(fmt if isinstance(fmt, str) else None)
        if scheme == "basic":
            return m.HttpBasic()
        self.warn(
            n.ptr,
            f"http scheme {scheme or '(none)'!r} of {n.key!r} is not built in: the client takes an `httpx.Auth` "
            "for it (e.g. `httpx.DigestAuth(username, password)`).",
        )
        return m.HttpOther(scheme)

    def _api_key(self, n: _Node) -> m.SchemeKind:
        where, name = n.node.get("in"), n.node.get("name")
        if where not in ("header", "query", "cookie") or not isinstance(name, str) or not name:
            raise SpecError(
                self.spec.doc.locate(n.ptr),
                f"apiKey scheme {n.key!r} needs `in` (header, query or cookie) and a non-empty `name`.",
            )
        if where == "header" and not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
            raise SpecError(self.spec.doc.locate(child(n.ptr, "name")), f"{name!r} is not a valid header name.")
        return m.ApiKey(where, name, n.prefix)

    def _oauth2(self, n: _Node) -> m.SchemeKind:
        raw_flows = n.node.get("flows")
        flows: dict[str, Any] = raw_flows if isinstance(raw_flows, dict) else {}
        cc = flows.get("clientCredentials")
        token_url = cc.get("tokenUrl") if isinstance(cc, dict) else None
        if cc is not None and not isinstance(token_url, str):
            where = child(n.ptr, "flows", "clientCredentials")
            self.warn(where, "clientCredentials has no `tokenUrl`: only access tokens can be configured.")
        return m.OAuth2(tuple(str(f) for f in flows), token_url if isinstance(token_url, str) else None)

    def _open_id_connect(self, n: _Node) -> m.SchemeKind:
        url = n.node.get("openIdConnectUrl")
        return m.OpenIdConnect(url if isinstance(url, str) else None)

    def _mutual_tls(self, n: _Node) -> m.SchemeKind:
        return m.MutualTLS()

    def root_requirements(self) -> tuple[m.SecurityRequirement, ...]:
        """The root `security`: the default of every operation without its own."""
        if self._root is None:
            self._root = self.requirements(self.spec.security(), "#/security")
        return self._root

    def requirements(self, raw: Any, ptr: str) -> tuple[m.SecurityRequirement, ...]:
        """An operation's alternatives; `raw` is its `security` (or the root's)."""
        if raw is None:
            return ()
        # read otherwise, the operations would be sent without credentials
        if not isinstance(raw, list) or not all(isinstance(alt, dict) for alt in raw):
            raise SpecError(
                self.spec.doc.locate(ptr),
                "`security` must be a list of security requirements (mappings of scheme names to scopes).",
                "Write it as, e.g., `security: [{bearerAuth: []}]`; `[]` for an operation that needs none.",
            )
        out: list[m.SecurityRequirement] = []
        for i, alt in enumerate(raw):
            uses = []
            usable = True
            for name, scopes in alt.items():
                if str(name) not in self.schemes:
                    self.warn(
                        child(ptr, i),
                        f"security requirement names {name!r}, which is not a declared "
                        "security scheme: this alternative is left out.",
                    )
                    usable = False
                    break
                scope_list = tuple(str(s) for s in scopes) if isinstance(scopes, list) else ()
                uses.append(m.SchemeUse(str(name), scope_list))
            if usable:
                for one in self._one_per_slot(tuple(uses), child(ptr, i)):
                    if one not in out:
                        out.append(one)
        return tuple(out)

    def credential_headers(self, requirements: tuple[m.SecurityRequirement, ...]) -> dict[str, str]:
        """Header names (lower-cased) every alternative of `requirements` sends a credential
        in, with the scheme that sends it; none when an alternative is anonymous (or no
        security applies): a header parameter is then the only way to send that header."""
        common: dict[str, str] | None = None
        for requirement in requirements:
            sent = {}
            for use in requirement:
                place = _place(self.schemes[use.scheme].kind) if use.scheme in self.schemes else None
                if place is not None and place[0] == "header":
                    sent[place[1]] = use.scheme
            common = sent if common is None else {k: v for k, v in common.items() if k in sent}
        return common or {}

    def sends_header(self, requirements: tuple[m.SecurityRequirement, ...], name: str) -> bool:
        """Whether any alternative of `requirements` sends a credential in header `name`
        (lower-cased)."""
        for requirement in requirements:
            for use in requirement:
                scheme = self.schemes.get(use.scheme)
                if scheme is not None and _place(scheme.kind) == ("header", name):
                    return True
        return False

    def _one_per_slot(self, uses: m.SecurityRequirement, ptr: str) -> tuple[m.SecurityRequirement, ...]:
        """An AND-set whose schemes write one slot (header, query parameter, cookie) with the
        same kind of credential (e.g. two oauth2 flows, both `Authorization: Bearer`) needs one
        credential there, sent once: it becomes one alternative per scheme of that slot, each
        fed by that scheme's credential. Two different credentials for one slot (basic AND
        bearer) cannot travel in one request: warned once per such set, kept as it is (the
        client never sends it)."""
        slots: dict[tuple[str, str], list[m.SchemeUse]] = {}
        for use in uses:
            where = _place(self.schemes[use.scheme].kind)
            if where is not None:
                slots.setdefault(where, []).append(use)
        shared: dict[tuple[str, str], list[m.SchemeUse]] = {}
        clash: list[tuple[str, str]] = []
        for where, group in slots.items():
            if len(group) < 2:
                continue
            forms = {_form(self.schemes[u.scheme].kind) for u in group}
            if len(forms) == 1 and None not in forms:
                shared[where] = group
            else:
                clash.append(where)
        if clash:
            names = tuple(sorted(u.scheme for where in clash for u in slots[where]))
            if names not in self._clashes:
                self._clashes.add(names)
                places = ", ".join(f"{w} {n}" for w, n in sorted(clash))
                self.warn(
                    ptr,
                    f"this alternative needs two different credentials in {places} (schemes "
                    f"{', '.join(repr(n) for n in names)}), which one request cannot carry: the client never "
                    "sends this alternative, and raises MissingCredentialsError when no other one fits "
                    "(said once for every requirement alike).",
                )
        if not shared:
            return (uses,)
        choices: list[list[m.SchemeUse]] = []
        for use in uses:
            where = _place(self.schemes[use.scheme].kind)
            if where in shared:
                if shared[where][0] is use:
                    choices.append(shared[where])
            else:
                choices.append([use])
        return tuple(tuple(one) for one in itertools.product(*choices))


def _form(kind: m.SchemeKind) -> str | None:
    """The kind of credential a scheme writes into its slot: two schemes of one AND-set with
    the same place and form are satisfied by one credential; None: never shared."""
    match kind:
        case m.HttpBearer() | m.OAuth2() | m.OpenIdConnect():
            return "bearer"
        case m.HttpBasic():
            return "basic"
        case m.ApiKey(prefix=prefix):
            return f"key {prefix}"
        case m.HttpOther() | m.MutualTLS():
            return None
        case _:
            assert_never(kind)


def _place(kind: m.SchemeKind) -> tuple[str, str] | None:
    """Where a scheme's credential travels: two in one alternative must not share it."""
    match kind:
        case m.ApiKey(location=location, parameter=parameter):
            return location, parameter.lower() if location == "header" else parameter
        case m.HttpBearer() | m.HttpBasic() | m.HttpOther() | m.OAuth2() | m.OpenIdConnect():
            return "header", "authorization"
        case m.MutualTLS():
            return None
        case _:
            assert_never(kind)


# How each OpenAPI scheme `type` is read into its IR kind.
_READERS: dict[str, Callable[[SecurityBuilder, _Node], m.SchemeKind]] = {
    "http": SecurityBuilder._http,
    "apiKey": SecurityBuilder._api_key,
    "oauth2": SecurityBuilder._oauth2,
    "openIdConnect": SecurityBuilder._open_id_connect,
    "mutualTLS": SecurityBuilder._mutual_tls,
}
