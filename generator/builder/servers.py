"""`servers` -> named servers and typed server variables.

Names: `x-speakeasy-server-id`, else a slug of the `description` ("Production
environment" -> `production`, generic words like "environment" or "server" dropped when
something else remains), else `server_N`; always unique. Variables (`{region}`) become
keyword arguments of the client constructors with their default and, when the spec
lists an `enum`, a `Literal` of its values; a variable used by several servers is one
argument (its first definition wins).

An operation's own `servers` (or its path item's), when they are not the document's, are
its `Operation.servers` (`own_servers`): URL templates whose variables are the client's
arguments too, after the document's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .. import naming
from ..diagnostics import child
from ..ir import model as m
from . import vendor

# Words that say "a server" rather than which one
_GENERIC = frozenset({"environment", "env", "server", "servers", "api", "endpoint", "url", "the", "base", "host"})
# Constructor arguments the client already has
RESERVED = frozenset(
    {"self", "token", "server", "base_url", "timeout", "http_client", "retries", "token_env", "headers"}
)


def description_slug(text: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text.lower())[:6]
    specific = [w for w in words if w not in _GENERIC]
    return naming.snake(" ".join(specific or words)[:40])


def variable_place(url: str, var: str, default: str) -> m.ServerVariablePlace:
    """Where `{var}` sits in the URL template `url` (its first use decides)."""
    start = url.index("{" + var + "}")
    end = start + len(var) + 2
    sep = url.find("://")
    if sep < 0 or start < sep:
        if start == 0 and "://" in default:
            return "url"
        if sep >= 0:
            return "scheme"
        return "path" if "/" in url[:start] else "host"  # a relative server URL (`/api/{v}`)
    authority = sep + 3
    stops = [i for i in (url.find(c, authority) for c in "/?#") if i >= 0]
    authority_end = min(stops, default=len(url))
    if start >= authority_end:
        return "path"
    if end == authority_end and default.startswith("/"):
        return "base_path"  # `https://api.example.com{basePath}`, default `/v1`
    if ":" in url[authority:start].rsplit("@", 1)[-1]:
        return "port"
    return "authority" if end == authority_end else "host"


def own_servers(raw: Any, document: Any) -> tuple[str, ...]:
    """The URL templates of an operation's (or its path item's) `servers`, or () when it
    has none, or the same URLs as the document's (a trailing `/` aside): then the client's
    server applies."""
    urls = _urls(raw)
    return () if [u.rstrip("/") for u in urls] == [u.rstrip("/") for u in _urls(document)] else urls


def _urls(raw: Any) -> tuple[str, ...]:
    return (
        tuple(absolute(s["url"]) for s in raw if isinstance(s, dict) and isinstance(s.get("url"), str))
        if isinstance(raw, list)
        else ()
    )


def absolute(url: str) -> str:
    """A scheme-relative server URL (`//api.example.com`, common in documents converted
    from Swagger 2 without `schemes`) on https: the scheme of the document's own URL,
    which a client cannot know, is https for nearly every published API."""
    return "https:" + url if url.startswith("//") else url


def build_servers(
    raw: Any,
    warn: Callable[[str, str], None] = lambda pointer, message: None,
    operations: Sequence[tuple[str, Any]] = (),
) -> tuple[tuple[m.Server, ...], tuple[m.ServerVariable, ...]]:
    """The document's servers and every server variable: the document's first, then those
    of `operations` ((pointer, raw `servers`) of each operation with its own servers,
    `own_servers`), each name once (its first definition wins). `warn(pointer, message)`:
    a located warning (a default outside its `enum`)."""
    servers: list[m.Server] = []
    variables: dict[str, m.ServerVariable] = {}
    names = naming.Namespace()
    args = naming.Namespace(RESERVED)

    def collect(server: dict[str, Any], pointer: str) -> tuple[str, list[str]]:
        """`server`'s URL (`absolute`) and the variables it uses (those with a default),
        each new one declared."""
        url = absolute(server["url"])
        if url != server["url"]:
            warn(
                child(pointer, "url"),
                f"the server URL {server['url']!r} names no scheme: the client sends to {url!r} "
                "(`base_url`, Go's `WithServerURL`, for another).",
            )
        found = server.get("variables")
        declared: dict[str, Any] = found if isinstance(found, dict) else {}
        used: list[str] = []
        for var in re.findall(r"\{([^{}]+)\}", url):
            spec = declared.get(var)
            if not isinstance(spec, dict) or "default" not in spec:
                continue  # the validator reports a variable without a default
            used.append(var)
            if var in variables:
                continue
            enum = spec.get("enum")
            values = tuple(str(v) for v in enum) if isinstance(enum, list) else ()
            default = str(spec["default"])
            if values and default not in values:
                # OpenAPI: the default MUST be one of the values (vtex's `{environment}`, a
                # placeholder): a constructor default its own type refuses, and a URL no
                # server has. The first value is the client's default.
                warn(
                    child(pointer, "variables", var, "default"),
                    f"the default {default!r} of server variable {var!r} is not one of its enum values "
                    f"({', '.join(repr(v) for v in values)}): the client's default is {values[0]!r}.",
                )
                default = values[0]
            variables[var] = m.ServerVariable(
                json_name=var,
                name=args.claim(naming.safe(naming.field_name(var), "variable")),
                default=default,
                values=values,
                description=spec.get("description") if isinstance(spec.get("description"), str) else None,
                place=variable_place(url, var, default),
            )
        return url, used

    for i, server in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url, used = collect(server, child("#/servers", i))
        description = server.get("description") if isinstance(server.get("description"), str) else None
        slug = description_slug(description) if description else ""
        wanted = vendor.server_id(server) or slug or f"server_{i}"
        servers.append(
            m.Server(names.claim(naming.snake(wanted) or f"server_{i}"), url, description, tuple(dict.fromkeys(used)))
        )
    for pointer, listed in operations:
        for i, server in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(server, dict) and isinstance(server.get("url"), str):
                collect(server, child(pointer, i))
    return tuple(servers), tuple(variables.values())
