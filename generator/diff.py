"""What a spec change does to the generated SDK's callers: the public-surface diff.

`surface(api)` reduces an IR to plain JSON data, structural and complete: every operation
(HTTP method and path, security, each parameter's location, requiredness, nullability,
type, constraints and default, the request body's media type, requiredness and type,
every response's status, media type and type, the models it reaches), every model (each
field's wire name, requiredness, nullability, type, constraints, default, read/write-only,
deprecation; typed additional properties; whether requests or responses use it), enums,
aliases, servers and security schemes. Types are structural data from the IR, never
English descriptions. The surface is stored beside each generated package
(`.sdkgen-surface.json`) so `generate --report` / `--changelog` compare with what is on
disk.

`compare(old, new)` lists each difference as a `Change`: breaking when code written
against the old SDK can fail against the new one, and naming the Python methods
(`group.method`) whose calls it affects. docs/diff-output.schema.json describes the JSON
output of `sdkgen diff --format json`.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal, assert_never

from .ir import model as m
from .ir import types as t
from .ir.kinds import scheme_name

FORMAT = 2  # the surface's layout; surfaces of another layout are not compared


class SurfaceFormatError(ValueError):
    """A stored surface written by another version of sdkgen."""


@dataclass(frozen=True, order=True)
class Change:
    breaking: bool
    what: str  # "operation", "parameter", "body", "result", "field", "enum value", "model", ...
    path: str  # e.g. customers.update(id) or Customer.tax_id
    detail: str
    location: str  # pointer in the new spec (old one for removals)
    affects: tuple[str, ...] = ()  # the Python methods whose calls this changes


# -- the surface -------------------------------------------------------------------------


def shape(ty: t.Type) -> Any:
    """A type as structural JSON data, constraints left out (they are compared apart)."""
    match ty:
        case t.Primitive(kind, fmt):
            if fmt is not None and fmt.startswith("uuid"):
                fmt = "uuid"  # uuid, uuid4, ...: one Python type (UUID), one wire form
            return {"kind": kind, "format": fmt} if fmt else {"kind": kind}
        case t.Const(value):
            return {"const": value}
        case t.Array(item):
            return {"array": shape(item)}
        case t.Tuple(items):
            return {"tuple": [shape(i) for i in items]}
        case t.Map(value):
            return {"map": shape(value)}
        case t.Nullable(inner):
            return {"nullable": shape(inner)}
        case t.StringOnly():
            return {"kind": "str"}  # known values are documentation: any string is accepted
        case t.Union(variants):
            return {"union": [shape(v) for v in variants]}
        case t.EnumRef(name):
            return {"enum": name}
        case t.ModelRef(name):
            return {"model": name}
        case t.AliasRef(name):
            return {"alias": name}
        case t.AnyType():
            return {"any": True}
        case _:
            assert_never(ty)


_CONSTRAINTS = tuple(f.name for f in fields(t.Constraints))
_constraint_values = operator.attrgetter(*_CONSTRAINTS)  # not `asdict` (a deep copy): ~0.005 s less a surface


def constraints_of(ty: t.Type) -> dict[str, Any]:
    """The constraints a value of `ty` must meet (its own; array items under `items.`)."""
    ty, _ = t.strip_nullable(ty)
    own: t.Constraints | None = None
    nested: dict[str, Any] = {}
    match ty:
        case t.Primitive() | t.StringOnly():
            own = ty.constraints
        case t.Array(item):
            own = ty.constraints
            nested = {f"items.{k}": v for k, v in constraints_of(item).items()}
        case t.Map():
            own = ty.constraints
        case t.Const() | t.Tuple() | t.Union() | t.EnumRef() | t.ModelRef() | t.AliasRef() | t.AnyType() | t.Nullable():
            pass
        case _:
            assert_never(ty)
    found = (
        {k: v for k, v in zip(_CONSTRAINTS, _constraint_values(own)) if v is not None and v is not False} if own else {}
    )
    return found | nested


def _value(ty: t.Type) -> dict[str, Any]:
    inner, nullable = t.strip_nullable(ty)
    return {"type": shape(inner), "nullable": nullable, "constraints": constraints_of(ty)}


def _default(has: bool, value: Any) -> dict[str, Any]:
    return {"default": value} if has else {}


def _content(c: m.ResponseContent) -> dict[str, Any]:
    """One media type of a response: how the client reads it, and into what."""
    match c:
        case m.JsonContent():
            return {"media_type": c.media_type, "read": "json", "type": shape(c.type)}
        case m.TextContent():
            return {"media_type": c.media_type, "read": "text"}
        case m.BinaryContent():
            return {"media_type": c.media_type, "read": "bytes"}
        case m.EventStreamContent():
            return {"media_type": c.media_type, "read": "events", "type": shape(c.item)}
        case m.JsonLinesContent():
            return {"media_type": c.media_type, "read": "json lines", "type": shape(c.item)}
        case _:
            assert_never(c)


def method_name(op: m.Operation) -> str:
    return ".".join([*op.group, op.name])


class _Reach:
    """`builder.closure` for many root lists over one API: each name's direct references
    are found once (surface() asks for one closure per operation; 0.03 s less on
    polar-2026-10). `tests/test_diff.py` compares the two."""

    def __init__(self, api: m.Api) -> None:
        self.models = {x.name: x for x in api.models}
        self.aliases = {x.name: x for x in api.aliases}
        self.direct: dict[str, tuple[str, ...]] = {}

    def _refs(self, name: str) -> tuple[str, ...]:
        found = self.direct.get(name)
        if found is None:
            found = ()  # an enum references nothing
            if name in self.models:
                model = self.models[name]
                found = (*(n for f in model.fields for n in t.referenced(f.type)), *t.referenced(model.additional))
            elif name in self.aliases:
                found = tuple(t.referenced(self.aliases[name].type))
            self.direct[name] = found
        return found

    def __call__(self, roots: list[t.Type | None]) -> set[str]:
        seen: set[str] = set()
        todo = [n for r in roots for n in t.referenced(r)]
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(self._refs(name))
        return seen


def surface(api: m.Api) -> dict[str, Any]:
    """The caller-visible shape of an API as plain, JSON-able data."""
    reach = _Reach(api)
    inputs = reach([op.body.type if op.body else None for op in api.operations])
    outputs = reach(
        [ty for op in api.operations for r in op.responses for ty in (r.type, *m.content_types(r))]
        + [w.type for w in api.webhooks]
    )
    ops: dict[str, Any] = {}
    for op in api.operations:
        roots = [p.type for p in op.parameters] + [op.body.type if op.body else None]
        roots += [ty for r in op.responses for ty in (r.type, *m.content_types(r))]
        ops[method_name(op)] = {
            "label": f"{op.method} {op.target}",
            "pointer": op.pointer,
            "deprecated": op.deprecated,
            "security": sorted(sorted(u.scheme for u in alt) for alt in op.security),
            "paginated": op.pagination is not None,
            "stream": op.stream_name,
            **({"servers": list(op.servers)} if op.servers else {}),  # absent: the client's server
            "params": {
                p.name: {
                    "in": p.location,
                    "json_name": p.json_name,
                    "required": p.required,
                    **_value(p.type),
                    **_default(p.has_default, p.default),
                }
                for p in op.parameters
            },
            "body": None
            if op.body is None
            else {"media_type": op.body.content_type, "required": op.body.required, **_value(op.body.type)},
            "responses": {
                r.status: {
                    "media_type": r.content_type,
                    "kind": _content(r.contents[0])["read"] if r.contents else "empty",
                    "type": None if r.type is None else shape(r.type),
                    "contents": [_content(c) for c in r.contents],
                }
                for r in op.responses
            },
            "uses": sorted(reach(roots)),
        }
    models = {
        model.name: {
            "pointer": model.pointer,
            "input": model.name in inputs,
            "output": model.name in outputs,
            "additional": None if model.additional is None else shape(model.additional),
            "fields": {
                f.name: {
                    "json_name": f.json_name,
                    "required": f.required,
                    **_value(f.type),
                    **_default(f.has_default, f.default),
                    "read_only": f.read_only,
                    "write_only": f.write_only,
                    "deprecated": f.deprecated,
                }
                for f in model.fields
            },
        }
        for model in api.models
    }
    return {
        "format": FORMAT,
        "version": api.version,
        "servers": {s.name: s.url for s in api.servers},
        "security_schemes": {s.key: _scheme_surface(s) for s in api.security_schemes},
        "operations": ops,
        "models": models,
        "enums": {
            e.name: {"pointer": e.pointer, "kind": e.kind, "values": [x.value for x in e.members]} for e in api.enums
        },
        "aliases": {a.name: {"pointer": a.pointer, "type": shape(a.type)} for a in api.aliases},
    }


# -- showing types -------------------------------------------------------------------------


def shape_text(s: Any) -> str:
    """A short, JSON-ish rendering of a shape for messages (`string | null`, `Thing[]`)."""
    if s is None:
        return "nothing"
    if "kind" in s:
        base = t.JSON_NAMES.get(s["kind"], s["kind"])
        return f"{base} ({s['format']})" if s.get("format") and s["kind"] != "bytes" else base
    if "const" in s:
        return f"{s['const']!r} (constant)"
    if "array" in s:
        inner = shape_text(s["array"])
        return f"({inner})[]" if " | " in inner else f"{inner}[]"
    if "tuple" in s:
        return "[" + ", ".join(shape_text(i) for i in s["tuple"]) + "]"
    if "map" in s:
        return f"object (map of {shape_text(s['map'])})"
    if "nullable" in s:
        return f"{shape_text(s['nullable'])} | null"
    if "union" in s:
        return " | ".join(shape_text(v) for v in s["union"])
    for key in ("enum", "model", "alias"):
        if key in s:
            return str(s[key])
    return "any"


def _value_text(v: dict[str, Any]) -> str:
    text = shape_text(v["type"])
    return f"{text} | null" if v.get("nullable") else text


# -- comparing -----------------------------------------------------------------------------


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    for which, data in (("old", old), ("new", new)):
        if data.get("format") != FORMAT:
            raise SurfaceFormatError(
                f"the {which} surface has format {data.get('format', 1)!r}, this sdkgen writes {FORMAT}: regenerate it first."
            )
    users = _Users(old, new)
    out: list[Change] = []
    out += _operations(old["operations"], new["operations"])
    out += _models(old["models"], new["models"], users)
    out += _enums(old["enums"], new["enums"], users)
    out += _aliases(old, new, users)
    out += _servers(old, new)
    out += _schemes(old, new)
    return sorted(out, key=lambda c: (not c.breaking, c.path, c.what, c.detail))


class _Users:
    """Which operations use a named schema (in the new surface, or the old for removals)."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.by_name: dict[str, set[str]] = {}
        for surface_data in (old, new):
            for op, data in surface_data["operations"].items():
                for name in data["uses"]:
                    self.by_name.setdefault(name, set()).add(op)
        self.new_ops = set(new["operations"])

    def of(self, name: str) -> tuple[str, ...]:
        return tuple(sorted(self.by_name.get(name, ())))


# Constraints where a larger number accepts fewer values, and the reverse.
_LOWER_BOUNDS = ("min_length", "minimum", "exclusive_minimum", "min_items", "min_properties")
_UPPER_BOUNDS = ("max_length", "maximum", "exclusive_maximum", "max_items", "max_properties")


def _paired(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """Every name of either side, sorted, with its old and its new entry (None where absent)."""
    for name in sorted(set(old) | set(new)):
        yield name, old.get(name), new.get(name)


def _narrowed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Constraint changes that reject values the old ones accepted."""
    out = []
    for key, a, b in _paired(old, new):
        if a == b or b is None:
            continue
        base = key.rsplit(".", 1)[-1]
        if a is None or (base in _LOWER_BOUNDS and b > a) or (base in _UPPER_BOUNDS and b < a):
            out.append(key)
        elif base not in _LOWER_BOUNDS + _UPPER_BOUNDS:
            out.append(key)  # pattern, multiple_of, unique_items: any new value may reject
    return out


def _constraint_changes(
    path: str, what: str, a: dict[str, Any], b: dict[str, Any], *, request: bool, where: str, affects: tuple[str, ...]
) -> list[Change]:
    if a == b:
        return []
    narrowed = _narrowed(a, b)
    parts = []
    for key, was, now in _paired(a, b):
        if was != now:
            parts.append(f"{key} {_show(was)} -> {_show(now)}")
    breaking = request and bool(narrowed)
    detail = "constraints " + ", ".join(parts) + (" (narrowed)" if narrowed else "")
    return [Change(breaking, what, path, detail, where, affects)]


def _show(value: Any) -> str:
    return "none" if value is None else json.dumps(value, ensure_ascii=False)


def _value_changes(
    path: str,
    what: str,
    a: dict[str, Any],
    b: dict[str, Any],
    *,
    request: bool,
    response: bool,
    where: str,
    affects: tuple[str, ...],
) -> list[Change]:
    """Type, nullability, requiredness, constraints and default of one parameter, field or body."""
    out = []
    if a["type"] != b["type"]:
        out.append(
            _type_change(
                path, what, a["type"], b["type"], request=request, response=response, where=where, affects=affects
            )
        )
    flips: list[tuple[bool, str]] = []  # (breaking, detail)
    if a["nullable"] != b["nullable"]:
        flips.append(
            (response, "became nullable in a response model" if response and what == "field" else "became nullable")
            if b["nullable"]
            else (request, "no longer accepts null in requests" if request else "no longer nullable")
        )
    if "required" in b and a.get("required") != b["required"]:
        flips.append(
            (request, "became required in a request model" if request and what == "field" else "became required")
            if b["required"]
            else (response, "may now be missing from responses" if response else "became optional")
        )
    out += [Change(breaking, what, path, detail, where, affects) for breaking, detail in flips]
    out += _constraint_changes(
        path, what, a["constraints"], b["constraints"], request=request, where=where, affects=affects
    )
    if a.get("default", _MISSING) != b.get("default", _MISSING):
        out.append(
            Change(False, what, path, f"default {_show(a.get('default'))} -> {_show(b.get('default'))}", where, affects)
        )
    return out


_MISSING = object()

Relation = Literal["same", "wider", "narrower", "changed"]

# String/binary formats that change the client's type (Python: datetime, date, UUID, a file
# upload; Go: time.Time); any other format (email, uri, int64, ...) is documentation only.
_TYPED_FORMATS = frozenset({"date-time", "date", "uuid", "binary"})


def _key(s: Any) -> str:
    return json.dumps(s, sort_keys=True)


def _combine(relations: Iterator[Relation] | list[Relation]) -> Relation:
    found = set(relations) - {"same"}
    if not found:
        return "same"
    return found.pop() if len(found) == 1 else "changed"


def relation(a: Any, b: Any) -> Relation:
    """How the values a client sees of shape `b` relate to those of shape `a`: the same
    client type (only a documentation format changed), wider (every old value is still
    valid, and more), narrower (the reverse), or changed (neither)."""
    if a == b:
        return "same"
    if "any" in b:
        return "wider"
    if "any" in a:
        return "narrower"
    if "nullable" in a or "nullable" in b:
        inner_a, inner_b = a.get("nullable", a), b.get("nullable", b)
        own: Relation = "same" if ("nullable" in a) == ("nullable" in b) else "wider" if "nullable" in b else "narrower"
        return _combine([own, relation(inner_a, inner_b)])
    if "union" in a or "union" in b:
        va = {_key(v) for v in a.get("union", [a])}
        vb = {_key(v) for v in b.get("union", [b])}
        if va < vb:
            return "wider"
        if va > vb:
            return "narrower"
        return "changed"
    if "kind" in a and "kind" in b:
        if a["kind"] == b["kind"]:
            fa, fb = a.get("format"), b.get("format")
            typed_a = fa if fa in _TYPED_FORMATS else None
            typed_b = fb if fb in _TYPED_FORMATS else None
            return "same" if typed_a == typed_b else "changed"
        if (a["kind"], b["kind"]) == ("int", "float") and a.get("format") is None is b.get("format"):
            return "wider"
        if (a["kind"], b["kind"]) == ("float", "int") and a.get("format") is None is b.get("format"):
            return "narrower"
        return "changed"
    for key in ("array", "map"):
        if key in a and key in b:
            return relation(a[key], b[key])
    if "tuple" in a and "tuple" in b and len(a["tuple"]) == len(b["tuple"]):
        return _combine([relation(x, y) for x, y in zip(a["tuple"], b["tuple"], strict=True)])
    return "changed"


def _type_change(
    path: str,
    what: str,
    a: Any,
    b: Any,
    *,
    request: bool,
    response: bool,
    where: str,
    affects: tuple[str, ...],
) -> Change:
    """A changed type, breaking by direction: in what a client sends (requests) a narrower
    type rejects values that worked; in what it reads (responses) a wider type brings
    values its code does not expect. A schema used neither way counts as both."""
    if not (request or response):
        request = response = True
    rel = relation(a, b)
    detail = f"type {shape_text(a)} -> {shape_text(b)}"
    match rel:
        case "same":
            return Change(False, what, path, detail + " (format only: same client type)", where, affects)
        case "wider":
            return Change(response, what, path, detail + " (widened)", where, affects)
        case "narrower":
            return Change(request, what, path, detail + " (narrowed)", where, affects)
        case "changed":
            return Change(True, what, path, detail, where, affects)
        case _:
            assert_never(rel)


def _operations(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    for name, a, b in _paired(old, new):
        me = (name,)
        if b is None:
            assert a is not None
            out.append(Change(True, "operation", name, f"removed ({a['label']})", a["pointer"], me))
            continue
        if a is None:
            out.append(Change(False, "operation", name, f"added ({b['label']})", b["pointer"], me))
            continue
        where = b["pointer"]
        if a["label"] != b["label"]:
            out.append(Change(False, "operation", name, f"now sends {b['label']} (was {a['label']})", where, me))
        for p, pa, pb in _paired(a["params"], b["params"]):
            path = f"{name}({p})"
            if pb is None:
                out.append(Change(True, "parameter", path, "removed", where, me))
            elif pa is None:
                state = "required" if pb["required"] else "optional"
                out.append(Change(pb["required"], "parameter", path, f"added, {state} ({_value_text(pb)})", where, me))
            else:
                out += _value_changes(path, "parameter", pa, pb, request=True, response=False, where=where, affects=me)
                if (pa["in"], pa["json_name"]) != (pb["in"], pb["json_name"]):
                    out.append(
                        Change(
                            False,
                            "parameter",
                            path,
                            f"sent as {pb['in']} {pb['json_name']!r} (was {pa['in']} {pa['json_name']!r})",
                            where,
                            me,
                        )
                    )
        out += _body(name, a["body"], b["body"], where)
        out += _responses(name, a["responses"], b["responses"], where)
        if a["security"] != b["security"]:
            newly_needed = not any(alt == [] for alt in b["security"]) and (
                not a["security"] or any(alt == [] for alt in a["security"])
            )
            detail = f"security {_alternatives(a['security'])} -> {_alternatives(b['security'])}"
            out.append(Change(newly_needed, "security", name, detail, where, me))
        if b["deprecated"] != a["deprecated"]:
            out.append(
                Change(False, "operation", name, "deprecated" if b["deprecated"] else "no longer deprecated", where, me)
            )
        if a["stream"] != b["stream"]:
            detail = f"{b['stream']}() added" if b["stream"] else f"{a['stream']}() removed"
            out.append(Change(a["stream"] is not None and b["stream"] is None, "operation", name, detail, where, me))
        if a["paginated"] != b["paginated"]:
            detail = f"iter_{name.rsplit('.', 1)[-1]}() " + ("added" if b["paginated"] else "removed")
            out.append(Change(a["paginated"], "operation", name, detail, where, me))
        if a.get("servers", []) != b.get("servers", []):
            # where the call goes: not a change of the method's signature, but of its effect
            detail = f"sent to {_servers_text(b.get('servers', []))} (was {_servers_text(a.get('servers', []))})"
            out.append(Change(False, "operation", name, detail, where, me))
    return out


def _servers_text(urls: list[str]) -> str:
    return " or ".join(urls) if urls else "the client's server"


def _alternatives(alts: list[list[str]]) -> str:
    if not alts:
        return "none"
    return " or ".join("+".join(alt) if alt else "anonymous" for alt in alts)


def _body(name: str, a: dict[str, Any] | None, b: dict[str, Any] | None, where: str) -> list[Change]:
    me = (name,)
    if a is None and b is None:
        return []
    if b is None:
        return [Change(True, "body", name, "request body removed", where, me)]
    if a is None:
        return [Change(b["required"], "body", name, f"request body added ({_value_text(b)})", where, me)]
    out = []
    if a["type"] != b["type"]:
        change = _type_change(name, "body", a["type"], b["type"], request=True, response=False, where=where, affects=me)
        out.append(replace(change, detail="request body " + change.detail.removeprefix("type ")))
    if b["required"] and not a["required"]:
        out.append(Change(True, "body", name, "request body became required", where, me))
    elif a["required"] and not b["required"]:
        out.append(Change(False, "body", name, "request body became optional", where, me))
    if a["nullable"] != b["nullable"]:
        out.append(
            Change(
                a["nullable"],
                "body",
                name,
                "request body " + ("accepts null" if b["nullable"] else "no longer accepts null"),
                where,
                me,
            )
        )
    if a["media_type"] != b["media_type"]:
        out.append(Change(False, "body", name, f"request media type {a['media_type']} -> {b['media_type']}", where, me))
    out += _constraint_changes(name, "body", a["constraints"], b["constraints"], request=True, where=where, affects=me)
    return out


def _success(responses: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    return next(((s, r) for s, r in sorted(responses.items()) if s.startswith("2")), None)


def _responses(name: str, a: dict[str, Any], b: dict[str, Any], where: str) -> list[Change]:
    me = (name,)
    out = []
    ok_a, ok_b = _success(a), _success(b)
    reads_a = [(c["read"], c.get("type")) for c in ok_a[1].get("contents", [])] if ok_a else []
    reads_b = [(c["read"], c.get("type")) for c in ok_b[1].get("contents", [])] if ok_b else []
    # what a call returns is read from its first (preferred) media type, as the IR decided
    result_a = reads_a[0] if reads_a else ("empty", None)
    result_b = reads_b[0] if reads_b else ("empty", None)
    if result_a != result_b:
        detail = f"returns {_result_text(*result_a)} -> {_result_text(*result_b)}"
        if result_a[0] == result_b[0] and result_a[1] is not None and result_b[1] is not None:
            # the same way of reading, another type: classified as a response value
            change = _type_change(
                name, "result", result_a[1], result_b[1], request=False, response=True, where=where, affects=me
            )
            out.append(
                replace(
                    change,
                    detail=detail
                    + change.detail.removeprefix(f"type {shape_text(result_a[1])} -> {shape_text(result_b[1])}"),
                )
            )
        else:
            out.append(Change(True, "result", name, detail, where, me))
    elif reads_a != reads_b:
        # only added media types: what a caller reads today is still there
        dropped = any(read not in reads_b for read in reads_a)
        detail = f"response contents {_reads_text(reads_a)} -> {_reads_text(reads_b)}"
        out.append(Change(dropped, "result", name, detail, where, me))
    elif ok_a and ok_b and ok_a[1]["media_type"] != ok_b[1]["media_type"]:
        out.append(
            Change(
                False,
                "result",
                name,
                f"response media type {ok_a[1]['media_type']} -> {ok_b[1]['media_type']}",
                where,
                me,
            )
        )
    errors_a = {s for s in a if not s.startswith("2")}
    errors_b = {s for s in b if not s.startswith("2")}
    for status in sorted(errors_b - errors_a):
        out.append(Change(False, "error", name, f"documents a new error status {status}", where, me))
    for status in sorted(errors_a - errors_b):
        out.append(Change(False, "error", name, f"no longer documents status {status}", where, me))
    for status in sorted(errors_a & errors_b):
        if a[status]["type"] != b[status]["type"]:
            detail = f"error {status} body {shape_text(a[status]['type'])} -> {shape_text(b[status]['type'])}"
            out.append(Change(False, "error", name, detail, where, me))
    return out


def _reads_text(reads: list[tuple[str, Any]]) -> str:
    return " | ".join(read + (f" of {shape_text(ty)}" if ty is not None else "") for read, ty in reads) or "nothing"


def _result_text(kind: str, ty: Any) -> str:
    match kind:
        case "json":
            return shape_text(ty)
        case "text":
            return "text (str)"
        case "bytes":
            return "bytes"
        case "events":
            return f"events of {shape_text(ty)}"
        case "json lines":
            return f"JSON lines of {shape_text(ty)}"
        case _:
            return "nothing"


def _models(old: dict[str, Any], new: dict[str, Any], users: _Users) -> list[Change]:
    out = []
    for name, a, b in _paired(old, new):
        affects = users.of(name)
        if b is None:
            assert a is not None
            out.append(Change(True, "model", name, "removed", a["pointer"], affects))
            continue
        if a is None:
            out.append(Change(False, "model", name, "added", b["pointer"], affects))
            continue
        request, response = b["input"], b["output"]
        if a["additional"] != b["additional"]:
            detail = f"additional properties {shape_text(a['additional'])} -> {shape_text(b['additional'])}"
            if a["additional"] is None or b["additional"] is None:
                out.append(Change(True, "model", name, detail, b["pointer"], affects))
            else:
                change = _type_change(
                    name,
                    "model",
                    a["additional"],
                    b["additional"],
                    request=request,
                    response=response,
                    where=b["pointer"],
                    affects=affects,
                )
                out.append(
                    replace(
                        change,
                        detail=detail
                        + change.detail.removeprefix(
                            f"type {shape_text(a['additional'])} -> {shape_text(b['additional'])}"
                        ),
                    )
                )
        for f, fa, fb in _paired(a["fields"], b["fields"]):
            path, where = f"{name}.{f}", f"{b['pointer']}/properties/{(fb or fa)['json_name']}"
            if fb is None:
                out.append(Change(True, "field", path, "removed", a["pointer"], affects))
                continue
            if fa is None:
                breaking = request and fb["required"]
                state = "required" if fb["required"] else "optional"
                out.append(Change(breaking, "field", path, f"added, {state} ({_value_text(fb)})", where, affects))
                continue
            out += _value_changes(
                path, "field", fa, fb, request=request, response=response, where=where, affects=affects
            )
            for flag, words in (("read_only", "read-only"), ("write_only", "write-only"), ("deprecated", "deprecated")):
                if fa[flag] != fb[flag]:
                    out.append(
                        Change(False, "field", path, words if fb[flag] else f"no longer {words}", where, affects)
                    )
            if fa["json_name"] != fb["json_name"]:
                out.append(
                    Change(True, "field", path, f"wire name {fa['json_name']!r} -> {fb['json_name']!r}", where, affects)
                )
    return out


def _enums(old: dict[str, Any], new: dict[str, Any], users: _Users) -> list[Change]:
    out = []
    for name, a, b in _paired(old, new):
        affects = users.of(name)
        if b is None:
            assert a is not None
            out.append(Change(True, "enum", name, "removed", a["pointer"], affects))
            continue
        if a is None:
            out.append(Change(False, "enum", name, "added", b["pointer"], affects))
            continue
        if a["kind"] != b["kind"]:
            out.append(
                Change(True, "enum", name, f"values are now {b['kind']} (were {a['kind']})", b["pointer"], affects)
            )
        for value in [v for v in a["values"] if v not in b["values"]]:
            out.append(Change(True, "enum value", f"{name}.{value}", "removed", b["pointer"], affects))
        for value in [v for v in b["values"] if v not in a["values"]]:
            out.append(Change(False, "enum value", f"{name}.{value}", "added", b["pointer"], affects))
    return out


def _aliases(old: dict[str, Any], new: dict[str, Any], users: _Users) -> list[Change]:
    out = []
    for name, a, b in _paired(old["aliases"], new["aliases"]):
        affects = users.of(name)
        if b is None:
            assert a is not None
            kind_now = "model" if name in new["models"] else "enum" if name in new["enums"] else None
            detail = f"type alias became a {kind_now}" if kind_now else "removed"
            out.append(Change(True, "type alias", name, detail, a["pointer"], affects))
        elif a is None:
            was = "model" if name in old["models"] else "enum" if name in old["enums"] else None
            text = shape_text(b["type"])
            detail = f"a {was} became the type alias {text}" if was else f"added ({text})"
            out.append(Change(was is not None, "type alias", name, detail, b["pointer"], affects))
        elif a["type"] != b["type"]:
            detail = f"type {shape_text(a['type'])} -> {shape_text(b['type'])}"
            out.append(Change(True, "type alias", name, detail, b["pointer"], affects))
    return out


def _servers(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    for name, a, b in _paired(old["servers"], new["servers"]):
        if a != b:
            detail = f"removed ({a})" if b is None else f"added ({b})" if a is None else f"URL {a} -> {b}"
            out.append(Change(b is None, "server", name, detail, "#/servers"))
    return out


def _schemes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    for name, a, b in _paired(old["security_schemes"], new["security_schemes"]):
        if a != b:
            if b is None:
                detail = "removed"
            elif a is None:
                detail = f"added ({b['kind']})"
            else:
                detail = f"{_scheme_text(a)} -> {_scheme_text(b)}"
            changed = a is not None and b is not None  # a scheme's new credentials break callers
            out.append(Change(changed, "security scheme", name, detail, f"#/components/securitySchemes/{name}"))
    return out


def _scheme_text(s: dict[str, Any]) -> str:
    return str(s["kind"]) + (f" in {s['in']} {s['name']!r}" if s.get("in") else "")


# -- output ----------------------------------------------------------------------------------


def as_text(changes: list[Change]) -> str:
    if not changes:
        return "No change to the public surface.\n"
    breaking = [c for c in changes if c.breaking]
    lines = [f"{len(breaking)} breaking change(s), {len(changes) - len(breaking)} other change(s)."]
    for title, group in (("Breaking", breaking), ("Other", [c for c in changes if not c.breaking])):
        if group:
            lines += ["", f"{title}:"]
            for c in group:
                lines.append(f"  {c.what:<10} {c.path}: {c.detail}  [{c.location}]")
                if c.affects and c.affects != (c.path.partition("(")[0],):
                    lines.append(f"             affects: {', '.join(c.affects)}")
    return "\n".join(lines) + "\n"


def as_json(changes: list[Change]) -> str:
    return json.dumps([asdict(c) for c in changes], indent=1) + "\n"


def _scheme_surface(s: m.SecurityScheme) -> dict[str, Any]:
    """What callers see of a security scheme: its kind, where it goes, its argument."""
    if isinstance(s.kind, m.ApiKey):
        return {"kind": "apiKey", "in": s.kind.location, "name": s.kind.parameter, "arg": s.arg}
    return {"kind": scheme_name(s.kind), "in": None, "name": None, "arg": s.arg}
