"""What a spec change does to the generated SDK's callers: the public-surface diff.

Two IRs are reduced to their surfaces (operations with parameters, bodies, results and
errors; models with fields; enums with values), then compared. A change is breaking
when code written against the old SDK can fail against the new one: something removed,
a type changed, a request field or parameter becoming required, an enum value removed,
or a response field becoming nullable.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from .builder import closure
from .emit.describe import kind_name
from .ir import model as m
from .ir import types as t


@dataclass(frozen=True, order=True)
class Change:
    breaking: bool
    what: str  # "operation", "parameter", "field", "enum value", "model", ...
    path: str  # e.g. customers.update(id) or Customer.tax_id
    detail: str
    location: str  # pointer in the new spec (old one for removals)
    affects: tuple[str, ...] = ()  # the Python methods whose calls this changes


def surface(api: m.Api) -> dict[str, Any]:
    """The caller-visible shape of an API as plain, JSON-able data."""
    inputs = closure([op.body.type if op.body else None for op in api.operations], api)
    outputs = closure([r.type for op in api.operations for r in op.responses] + [w.type for w in api.webhooks], api)
    ops = {}
    for op in api.operations:
        ok = next((r for r in op.responses if r.status.startswith("2")), None)
        ops[".".join([*op.group, op.name])] = {
            "label": f"{op.method} {op.path}",
            "pointer": op.pointer,
            "params": {
                p.name: {"type": kind_name(p.type), "required": p.required, "pointer": f"{op.pointer}/parameters"}
                for p in op.parameters
            },
            "body": kind_name(op.body.type) if op.body else None,
            "body_required": bool(op.body and op.body.required),
            "returns": kind_name(ok.type) if ok and ok.type is not None else None,
            "errors": sorted(r.status for r in op.responses if not r.status.startswith("2")),
            "deprecated": op.deprecated,
        }
    models = {}
    for model in api.models:
        models[model.name] = {
            "pointer": model.pointer,
            "input": model.name in inputs,
            "output": model.name in outputs,
            "fields": {
                f.name: {
                    "type": kind_name(t.strip_nullable(f.type)[0]),
                    "nullable": isinstance(f.type, t.Nullable),
                    "required": f.required,
                }
                for f in model.fields
            },
        }
    enums = {e.name: {"pointer": e.pointer, "values": [str(x.value) for x in e.members]} for e in api.enums}
    aliases = {a.name: {"pointer": a.pointer, "type": kind_name(a.type)} for a in api.aliases}
    return {"operations": ops, "models": models, "enums": enums, "aliases": aliases}


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out: list[Change] = []
    out += _operations(old["operations"], new["operations"])
    out += _models(old["models"], new["models"])
    out += _enums(old["enums"], new["enums"])
    out += _aliases(old, new)
    return sorted(out, key=lambda c: (not c.breaking, c.path, c.what, c.detail))


def _operations(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if b is None:
            assert a is not None
            out.append(Change(True, "operation", name, f"removed ({a['label']})", a["pointer"]))
            continue
        if a is None:
            out.append(Change(False, "operation", name, f"added ({b['label']})", b["pointer"]))
            continue
        where = b["pointer"]
        for p in sorted(set(a["params"]) | set(b["params"])):
            pa, pb = a["params"].get(p), b["params"].get(p)
            path = f"{name}({p})"
            if pb is None:
                out.append(Change(True, "parameter", path, "removed", where))
            elif pa is None:
                out.append(Change(pb["required"], "parameter", path, f"added, {'required' if pb['required'] else 'optional'} ({pb['type']})", where))
            else:
                if pa["type"] != pb["type"]:
                    out.append(Change(True, "parameter", path, f"type {pa['type']} -> {pb['type']}", where))
                if pb["required"] and not pa["required"]:
                    out.append(Change(True, "parameter", path, "became required", where))
        if a["body"] != b["body"]:
            out.append(Change(True, "body", name, f"request body {a['body']} -> {b['body']}", where))
        elif b["body_required"] and not a["body_required"]:
            out.append(Change(True, "body", name, "request body became required", where))
        if a["returns"] != b["returns"]:
            out.append(Change(True, "result", name, f"returns {a['returns']} -> {b['returns']}", where))
        for status in sorted(set(b["errors"]) - set(a["errors"])):
            out.append(Change(False, "error", name, f"documents a new error status {status}", where))
        for status in sorted(set(a["errors"]) - set(b["errors"])):
            out.append(Change(False, "error", name, f"no longer documents status {status}", where))
        if b["deprecated"] and not a["deprecated"]:
            out.append(Change(False, "operation", name, "deprecated", where))
    return out


def _models(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if b is None:
            assert a is not None
            out.append(Change(True, "model", name, "removed", a["pointer"]))
            continue
        if a is None:
            out.append(Change(False, "model", name, "added", b["pointer"]))
            continue
        for f in sorted(set(a["fields"]) | set(b["fields"])):
            fa, fb = a["fields"].get(f), b["fields"].get(f)
            path, where = f"{name}.{f}", f"{b['pointer']}/properties/{f}"
            if fb is None:
                out.append(Change(True, "field", path, "removed", a["pointer"]))
                continue
            if fa is None:
                breaking = b["input"] and fb["required"]
                out.append(Change(breaking, "field", path, f"added, {'required' if fb['required'] else 'optional'} ({fb['type']})", where))
                continue
            if fa["type"] != fb["type"]:
                out.append(Change(True, "field", path, f"type {fa['type']} -> {fb['type']}", where))
            if fb["required"] and not fa["required"] and b["input"]:
                out.append(Change(True, "field", path, "became required in a request model", where))
            if not fb["required"] and fa["required"] and b["output"]:
                out.append(Change(True, "field", path, "may now be missing from responses", where))
            if fb["nullable"] and not fa["nullable"] and b["output"]:
                out.append(Change(True, "field", path, "became nullable in a response model", where))
            if fa["nullable"] and not fb["nullable"] and b["input"]:
                out.append(Change(True, "field", path, "no longer accepts null in requests", where))
    return out


def _enums(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if b is None:
            assert a is not None
            out.append(Change(True, "enum", name, "removed", a["pointer"]))
            continue
        if a is None:
            out.append(Change(False, "enum", name, "added", b["pointer"]))
            continue
        for value in [v for v in a["values"] if v not in b["values"]]:
            out.append(Change(True, "enum value", f"{name}.{value}", "removed", b["pointer"]))
        for value in [v for v in b["values"] if v not in a["values"]]:
            out.append(Change(False, "enum value", f"{name}.{value}", "added", b["pointer"]))
    return out


def _aliases(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    a_all, b_all = old.get("aliases", {}), new.get("aliases", {})
    for name in sorted(set(a_all) | set(b_all)):
        a, b = a_all.get(name), b_all.get(name)
        if b is None:
            assert a is not None
            kind_now = "model" if name in new["models"] else "enum" if name in new["enums"] else None
            detail = f"type alias became a {kind_now}" if kind_now else "removed"
            out.append(Change(True, "type alias", name, detail, a["pointer"]))
        elif a is None:
            was = "model" if name in old["models"] else "enum" if name in old["enums"] else None
            detail = f"a {was} became the type alias {b['type']}" if was else f"added ({b['type']})"
            out.append(Change(was is not None, "type alias", name, detail, b["pointer"]))
        elif a["type"] != b["type"]:
            out.append(Change(True, "type alias", name, f"type {a['type']} -> {b['type']}", b["pointer"]))
    return out


def as_text(changes: list[Change]) -> str:
    if not changes:
        return "No change to the public surface.\n"
    breaking = [c for c in changes if c.breaking]
    lines = [f"{len(breaking)} breaking change(s), {len(changes) - len(breaking)} other change(s)."]
    for title, group in (("Breaking", breaking), ("Other", [c for c in changes if not c.breaking])):
        if group:
            lines += ["", f"{title}:"]
            lines += [f"  {c.what:<10} {c.path}: {c.detail}  [{c.location}]" for c in group]
    return "\n".join(lines) + "\n"


def as_json(changes: list[Change]) -> str:
    return json.dumps([asdict(c) for c in changes], indent=1) + "\n"
