"""Spec -> IR. Every decision (nullable? which variant? what name?) is made here, once."""

from __future__ import annotations

from typing import Any

from .. import naming
from ..diagnostics import SpecWarning
from ..ir import model as m
from ..normalize import Spec
from . import vendor
from .operations import OperationBuilder
from .schemas import SchemaBuilder


def build_api(spec: Spec) -> tuple[m.Api, list[SpecWarning]]:
    warnings: list[SpecWarning] = []
    schemas = SchemaBuilder(spec, warnings)
    operations = OperationBuilder(spec, schemas, warnings).build_all()
    data = spec.doc.data
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    api = m.Api(
        title=str(info.get("title") or "API"),
        version=str(info.get("version") or ""),
        description=info.get("description"),
        servers=_servers(data.get("servers")),
        security_schemes=_security_schemes(data),
        operations=tuple(operations),
        models=tuple(schemas.models.values()),
        enums=tuple(schemas.enums.values()),
        aliases=tuple(schemas.aliases.values()),
    )
    return api, warnings


def _servers(raw: Any) -> tuple[m.Server, ...]:
    out = []
    names = naming.Namespace()
    for i, server in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url = server["url"]
        for var, spec in (server.get("variables") or {}).items():
            if isinstance(spec, dict) and "default" in spec:
                url = url.replace("{" + var + "}", str(spec["default"]))
        wanted = vendor.server_id(server) or ("production" if i == 0 else f"server_{i}")
        out.append(m.Server(names.claim(naming.snake(wanted) or f"server_{i}"), url, server.get("description")))
    return tuple(out)


def _security_schemes(data: dict[str, Any]) -> tuple[m.SecurityScheme, ...]:
    components = data.get("components") if isinstance(data.get("components"), dict) else {}
    out = []
    for name, s in (components.get("securitySchemes") or {}).items():
        if not isinstance(s, dict):
            continue
        kind = str(s.get("type", ""))
        if kind == "http":
            kind = str(s.get("scheme", "bearer")).lower()
        out.append(m.SecurityScheme(str(name), kind, s.get("in"), s.get("name"), s.get("description")))
    return tuple(out)
