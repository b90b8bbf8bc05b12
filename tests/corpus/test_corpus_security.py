"""Every security scheme of the corpus goes where its scheme says (issue 14 acceptance).

For each readme example (tests/corpus/test_corpus.py fetches the pinned package) that
declares `components/securitySchemes`: the IR is built, every scheme's runtime descriptor
is taken from what the generated client.py would hold, a value is configured for each,
and for every operation the runtime's chosen credentials are compared with the raw
document: the alternative is one the operation lists, and each credential is in the
place (header, query, cookie) and form (`Bearer`, `Basic`, the raw key) its scheme
declares. `http` schemes other than bearer/basic must have warned at generation time.
No generation or network beyond the corpus fetch: a few seconds.
"""

from __future__ import annotations

import base64
import importlib
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers import ROOT
from test_corpus import OAS_EXAMPLES, fetch

from generator.builder import build_api
from generator.builder.security import SecurityOptions
from generator.emit import security as sec
from generator.load import load
from generator.normalize import Spec

RUNTIME = ROOT / "templates" / "python" / "runtime"


@pytest.fixture(scope="module")
def auth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The hand-written runtime's `_auth`, as a generated package holds it."""
    root = tmp_path_factory.mktemp("corpus_rt")
    pkg = root / "corpus_rt"
    pkg.mkdir()
    for name in ("_auth.py", "_runtime.py", "errors.py"):
        shutil.copy(RUNTIME / name, pkg / name)
    (pkg / "__init__.py").write_text("")
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("corpus_rt._auth")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.split(".")[0] == "corpus_rt"]:
            del sys.modules[name]


def secured_specs() -> list[Path]:
    root = fetch(OAS_EXAMPLES)
    out = []
    for path in sorted(root.rglob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        if "openapi" in data and (data.get("components") or {}).get("securitySchemes"):
            out.append(path)
    return out


def value_for(kind: str, key: str) -> Any:
    if kind == "basic":
        return ("user", f"pw-{key}")
    if kind in ("http_auth", "mutual_tls"):
        return None  # an httpx.Auth / a certificate: not configurable by value
    return f"v-{key}"


def test_corpus_credentials_go_where_their_scheme_says(auth: ModuleType) -> None:
    specs = secured_specs()
    assert len(specs) >= 20, "the pinned corpus lost its secured examples"
    checked = 0
    for path in specs:
        raw = json.loads(path.read_text("utf-8"))
        raw_schemes = raw["components"]["securitySchemes"]
        api, warnings = build_api(Spec(load(path)), SecurityOptions(package="corpus"))
        runtime = {s.key: eval(sec.view(s).runtime, {"_auth": auth}) for s in api.security_schemes}
        for key, node in raw_schemes.items():
            if node.get("type") == "http" and str(node.get("scheme")).lower() not in ("bearer", "basic"):
                assert any(repr(key) in w.message for w in warnings), (path.name, key)
        values = {k: value_for(s.kind, k) for k, s in runtime.items()}
        creds = auth.Credentials(runtime, values, environ={})
        for op in api.operations:
            raw_op = _raw_operation(raw, op)
            raw_security = raw_op.get("security", raw.get("security")) or []
            required = eval(sec.requirement_expr(api, op) or "()")
            try:
                uses = creds.select(required)
            except auth.MissingCredentialsError:
                # only alternatives that cannot be configured by value (an httpx.Auth) or
                # sent at all (two schemes in one header), each warned about
                # (warned once per AND-set, naming its schemes)
                for alt in raw_security:
                    clash = _clashing(raw_schemes, alt)
                    assert clash or any(runtime[k].kind == "http_auth" for k in alt), (path.name, op.operation_id)
                    if clash:
                        assert any(
                            "two different credentials" in w.message and all(repr(k) in w.message for k in clash)
                            for w in warnings
                        ), (path.name, op.operation_id)
                continue
            if not uses:
                assert raw_security == [] or {} in raw_security, (path.name, op.operation_id)
                continue
            # an alternative the operation lists, less schemes filling a slot a chosen one
            # fills with the same kind of credential (one token for two ANDed bearer schemes)
            chosen = {k for k, _ in uses}
            assert any(
                chosen <= set(alt)
                and all(any(_slot(raw_schemes[k]) == _slot(raw_schemes[c]) for c in chosen) for k in set(alt) - chosen)
                for alt in raw_security
            ), (path.name, op.operation_id)
            applied = creds.apply(uses, None, "https://example.test")
            for key, _ in uses:
                _assert_placed(raw_schemes[key], key, applied, path.name)
            checked += 1
    assert checked > 50


def _wire(node: dict[str, Any]) -> tuple[str, str] | None:
    if node["type"] == "apiKey":
        return node["in"], node["name"].lower() if node["in"] == "header" else node["name"]
    return None if node["type"] == "mutualTLS" else ("header", "authorization")


def _slot(node: dict[str, Any]) -> tuple[tuple[str, str] | None, str]:
    """Where a scheme's credential goes, and its form (no prefixes are configured here)."""
    kind, scheme = node["type"], str(node.get("scheme")).lower()
    if kind == "apiKey":
        return _wire(node), "key"
    if kind in ("oauth2", "openIdConnect") or (kind == "http" and scheme == "bearer"):
        return _wire(node), "bearer"
    return _wire(node), "basic" if kind == "http" and scheme == "basic" else f"other {kind} {scheme}"


def _clashing(raw_schemes: dict[str, Any], alt: dict[str, Any]) -> set[str]:
    """The schemes of `alt` whose slot another one fills with a different credential."""
    out = set()
    for k in alt:
        where, form = _slot(raw_schemes[k])
        others = [_slot(raw_schemes[o]) for o in alt if o != k]
        if where is not None and any(w == where and (f != form or f.startswith("other")) for w, f in others):
            out.add(k)
    return out


def _raw_operation(raw: dict[str, Any], op: Any) -> dict[str, Any]:
    node: dict[str, Any] = raw["paths"][op.path][op.method.lower()]
    return node


def _assert_placed(node: dict[str, Any], key: str, applied: Any, where: str) -> None:
    kind = node["type"]
    if kind == "apiKey":
        name, location = node["name"], node["in"]
        if location == "header":
            assert applied.headers[name.lower()] == f"v-{key}", (where, key)
        elif location == "query":
            assert (name, f"v-{key}") in applied.params, (where, key)
        else:
            assert (name, f"v-{key}") in applied.cookies, (where, key)
        return
    if kind == "http" and str(node["scheme"]).lower() == "basic":
        expected = "Basic " + base64.b64encode(f"user:pw-{key}".encode()).decode()
        assert applied.headers["authorization"] == expected, (where, key)
        return
    if kind in ("oauth2", "openIdConnect") or (kind == "http" and str(node["scheme"]).lower() == "bearer"):
        assert applied.headers["authorization"] == f"Bearer v-{key}", (where, key)
        return
    assert kind == "mutualTLS", (where, key, kind)
