"""IR -> template contexts for a Go module (the `go` target).

The same IR the Python emitter reads; every Go decision is made here (names, Go types,
which fields are pointers, how a union decodes, how each parameter goes on the wire), and
the templates in `templates/go/` only lay the text out. Spec text reaches Go source only
through `go_string` (string literals) and `go_comment` (comment lines).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, assert_never

from ..diagnostics import Location, SpecWarning
from ..ir import model as m
from ..ir import types as t
from ..ir.kinds import json_kind
from . import contexts as c
from .contexts import GoContext, UnionPlan

if TYPE_CHECKING:
    from .samples import GoSamples
from .naming import Scope, camel, file_name, go_comment, go_string, pascal, tag_safe

# Files copied from templates/go/runtime/ (only the module path is substituted).
RUNTIME_FILES = (
    "internal/sdk/auth.go",
    "internal/sdk/client.go",
    "internal/sdk/json.go",
    "internal/sdk/redirect.go",
    "internal/sdk/wire.go",
    "models/apierrors/apierrors.go",
    "models/components/httpmetadata.go",
    "models/operations/options.go",
    "pagination/pagination.go",
    "retry/retry.go",
)
RUNTIME_MODULE = "sdkgen.invalid/module"  # the placeholder import path inside runtime files

# Names the root package defines itself.
ROOT_NAMES = frozenset(
    {
        "SDK",
        "SDKOption",
        "HTTPClient",
        "New",
        "WithSecurity",
        "WithServerURL",
        "WithServer",
        "WithClient",
        "WithTimeout",
        "WithRetryConfig",
        "String",
        "Int64",
        "Bool",
        "Float64",
        "Pointer",
        "MustParseTime",
        "ServerList",
        "DefaultServer",
        "UserAgent",
    }
)
COMPONENT_NAMES = frozenset({"HTTPMetadata"})
STRUCT_RESERVED = frozenset(
    {"NullFields", "AdditionalProperties", "MarshalJSON", "UnmarshalJSON", "ToPointer", "IsKnown"}
)
UNION_RESERVED = frozenset({"Type", "Unknown", "MarshalJSON", "UnmarshalJSON"})
# Identifiers a method body uses besides its parameters.
LOCALS = frozenset(
    {
        "ctx",
        "opts",
        "s",
        "o",
        "call",
        "res",
        "out",
        "err",
        "v",
        "data",
        "request",
        "page",
        "first",
        "component",
        "components",
        "operations",
        "sdk",
        "pagination",
        "http",
        "url",
        "context",
        "time",
        "json",
        "fmt",
        "errors",
    }
)


@dataclass(frozen=True)
class GoOptions:
    module: str
    package: str
    token_env: str | None = None
    default_server: str | None = None
    timeout: float = 10.0
    generator_version: str = ""


@dataclass
class GoFile:
    path: str
    template: str | None  # None: a runtime file copied from templates/go/runtime/
    context: GoContext | None = None


def derive_package(module: str) -> str:
    """`github.com/polarsource/polar-go` -> `polargo`: the last segment, letters and digits."""
    last = module.rstrip("/").rsplit("/", 1)[-1]
    if re.fullmatch(r"v[0-9]+", last) and "/" in module.rstrip("/"):
        last = module.rstrip("/").rsplit("/", 2)[-2]  # a major-version suffix is not the name
    name = re.sub(r"[^a-z0-9]", "", last.lower())
    if not name or name[0].isdigit():
        name = "sdk" + name
    return name


_KIND_TEST: dict[t.JsonKind, str] = {
    "object": 'kind == "object"',
    "array": 'kind == "array"',
    "string": 'kind == "string"',
    "boolean": 'kind == "boolean"',
    "integer": 'kind == "integer"',
    "number": '(kind == "number" || kind == "integer")',
}


def _uses_time(types: list[str]) -> bool:
    return any("time.Time" in go for go in types)


class GoEmitter:
    def __init__(self, api: m.Api, options: GoOptions, locate: Any = None) -> None:
        self.api = api
        self.options = options
        self.locate = locate or (lambda ptr: Location("spec", ptr))
        self.warnings: list[SpecWarning] = []
        self.models = {x.name: x for x in api.models}
        self.enums = {x.name: x for x in api.enums}
        self.aliases = {x.name: x for x in api.aliases}
        self.scope = Scope(COMPONENT_NAMES)
        # Named schemas keep their names first, in document order.
        self.names: dict[str, str] = {}
        for name in [*(x.name for x in api.models), *(x.name for x in api.enums), *(x.name for x in api.aliases)]:
            self.names[name] = self.scope.claim(pascal(name, "Model"))
        self.unions: dict[str, UnionPlan] = {}
        self.dispatch = {d.union: d for d in api.dispatch}
        self.op_contexts: dict[str, dict[str, Any]] = {}  # by operation pointer, once files() ran
        self._union_cache: dict[tuple[str, t.Type], str] = {}
        self.enum_members: dict[str, list[tuple[str, str]]] = {}
        for enum in api.enums:
            self.enum_members[enum.name] = self._members(enum)
        self.alias_union: dict[str, str] = {}
        for alias in api.aliases:
            inner, _ = t.strip_nullable(alias.type)
            if isinstance(inner, t.Union):
                self.alias_union[alias.name] = self._register_union(inner, self.names[alias.name], named=True)

    # -- Go types -------------------------------------------------------------------

    def ref(self, name: str, pkg: str) -> str:
        go = self.names[name]
        return go if pkg == "components" else f"components.{go}"

    def go_type(self, ty: t.Type, ctx: str, pkg: str = "components") -> str:
        """The Go type of a value (nullable scalars and structs become pointers)."""
        match ty:
            case t.Primitive(kind=kind, format=fmt):
                if kind == "str" and fmt == "date-time":
                    return "time.Time"
                return {
                    "str": "string",
                    "int": "int64",
                    "float": "float64",
                    "bool": "bool",
                    "bytes": "[]byte",
                    "null": "any",
                }[kind]
            case t.Const(value=value):
                if isinstance(value, bool):
                    return "bool"
                if isinstance(value, int):
                    return "int64"
                return "float64" if isinstance(value, float) else "string"
            case t.StringOnly():
                return "string"
            case t.Array(item=item):
                return "[]" + self.go_type(item, ctx, pkg)
            case t.Tuple(items=items):
                kinds = {self.go_type(i, ctx, pkg) for i in items}
                if len(kinds) == 1:
                    return "[]" + kinds.pop()
                name = self._register_union(t.Union(tuple(dict.fromkeys(items)), None), ctx, tuple_items=True)
                return "[]*" + (name if pkg == "components" else f"components.{name}")
            case t.Map(value=value):
                return "map[string]" + self.go_type(value, ctx, pkg)
            case t.Nullable(inner=inner):
                return self.pointer(self.go_type(inner, ctx, pkg))
            case t.Union():
                variants = [v for v in ty.variants if v != t.Primitive("null")]
                if len(variants) == 1:
                    return self.go_type(variants[0], ctx, pkg)
                name = self._register_union(ty, ctx)
                return name if pkg == "components" else f"components.{name}"
            case t.EnumRef(name=name) | t.ModelRef(name=name) | t.AliasRef(name=name):
                return self.ref(name, pkg)
            case t.AnyType():
                return "any"
            case _:
                assert_never(ty)

    @staticmethod
    def pointer(go: str) -> str:
        """The optional form of a Go type: nil means unset (slices, maps, any are nil already)."""
        if go.startswith(("[]", "map[", "*")) or go == "any":
            return go
        return "*" + go

    def variant_name(self, ty: t.Type) -> str:
        match ty:
            case t.Primitive(kind=kind, format=fmt):
                if fmt == "date-time":
                    return "DateTime"
                return {
                    "str": "Str",
                    "int": "Integer",
                    "float": "Number",
                    "bool": "Boolean",
                    "bytes": "Bytes",
                    "null": "Null",
                }[kind]
            case t.Const(value=value):
                return pascal(str(value), "Const")
            case t.StringOnly():
                return "Str"
            case t.Array(item=item):
                return "ArrayOf" + self.variant_name(item)
            case t.Tuple():
                return "Tuple"
            case t.Map(value=value):
                return "MapOf" + self.variant_name(value)
            case t.Nullable(inner=inner):
                return self.variant_name(inner)
            case t.Union():
                return "Union"
            case t.EnumRef(name=name) | t.ModelRef(name=name) | t.AliasRef(name=name):
                return self.names[name]
            case t.AnyType():
                return "Any"
            case _:
                assert_never(ty)

    def _register_union(self, ty: t.Union, ctx: str, named: bool = False, tuple_items: bool = False) -> str:
        key = (ctx, ty)
        if key in self._union_cache:
            return self._union_cache[key]
        name = ctx if named else self.scope.claim(ctx)
        self._union_cache[key] = name
        fields = Scope(UNION_RESERVED)
        variants: list[dict[str, Any]] = []
        for v in ty.variants:
            if v == t.Primitive("null"):
                continue
            vname = fields.claim(self.variant_name(v))
            vtype = self.go_type(v, name + vname)
            variants.append(
                {
                    "ir": v,
                    "name": vname,
                    "type": vtype,
                    "field_type": self.pointer(vtype),
                    "by_pointer": not vtype.startswith(("[]", "map[")) and vtype != "any",
                    "param": camel(vname, "value") if camel(vname, "value") not in LOCALS else "value",
                    "const": self.scope.claim(f"{name}Type{vname}"),
                    "constructor": self.scope.claim(f"Create{name}{vname}"),
                    "wire": vname,
                }
            )
        type_name = self.scope.claim(f"{name}Type")
        unknown = self.scope.claim(f"{name}TypeUnknown")
        plan = UnionPlan(name, type_name, variants, unknown, {})
        self.unions[name] = plan
        plan.decode = self._decode_plan(ty, variants, tuple_items)
        return name

    def _decode_plan(self, ty: t.Union, variants: list[dict[str, Any]], tuple_items: bool) -> dict[str, Any]:
        """How the union's UnmarshalJSON tells its variants apart: the builder's dispatch
        table for it (the same evidence the Python client uses, no trial decoding)."""
        table = self.dispatch.get(ty)
        if table is None:
            if not tuple_items:
                raise AssertionError(f"the builder's dispatch table has no entry for {ty}")
            # A tuple's items as one Go union (Go has no tuples): a model decodes its tuple
            # fields position by position; elsewhere an item goes by its JSON kind.
            by_kind = []
            seen: set[str] = set()
            for v in variants:
                kind = json_kind(v["ir"], self.enums, self.aliases)
                if kind is not None and kind not in seen:
                    seen.add(kind)
                    by_kind.append({"cond": _KIND_TEST[kind], "decode": self._decode_into(v["ir"], variants)})
            return {"tag": None, "by_tag": [], "by_key": [], "fallback": None, "by_kind": by_kind}
        by_kind = []
        for kind, variant in table.by_kind:
            cond = _KIND_TEST[kind]
            if isinstance(variant, t.Const):
                cond += f" && sdk.Equal(data, {go_string(json.dumps(variant.value))})"
            by_kind.append({"cond": cond, "decode": self._decode_into(variant, variants)})
        return {
            "tag": go_string(table.tag) if table.tag is not None else None,
            "by_tag": [
                {"value": go_string(value), "decode": self._decode_into(v, variants)} for value, v in table.by_tag
            ],
            "by_key": [
                {"keys": [go_string(k) for k in keys], "decode": self._decode_into(v, variants)}
                for keys, v in table.by_key
            ],
            "fallback": self._decode_into(table.object_fallback, variants)
            if table.object_fallback is not None
            else None,
            "by_kind": by_kind,
        }

    def _decode_into(self, target: t.Type, variants: list[dict[str, Any]]) -> dict[str, str]:
        """Which Go variant a dispatched type lands in: itself, or the named union among the
        variants whose own variants include it (the builder flattens those)."""
        for v in variants:
            if v["ir"] == target:
                return {"type": v["type"], "constructor": v["constructor"]}
        for v in variants:
            ir = v["ir"]
            if isinstance(ir, t.AliasRef) and ir.name in self.aliases:
                inner, _ = t.strip_nullable(self.aliases[ir.name].type)
                if isinstance(inner, t.Union) and target in self._spread(inner):
                    return {"type": v["type"], "constructor": v["constructor"]}
        raise AssertionError(f"dispatch names {target} outside the union's variants")

    def _spread(self, union: t.Union) -> set[t.Type]:
        out: set[t.Type] = set()
        for v in union.variants:
            out.add(v)
            if isinstance(v, t.AliasRef) and v.name in self.aliases:
                inner, _ = t.strip_nullable(self.aliases[v.name].type)
                if isinstance(inner, t.Union):
                    out |= self._spread(inner)
        return out

    @staticmethod
    def go_const(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return repr(value)
        return go_string(value)

    def _members(self, enum: m.Enum) -> list[tuple[str, str]]:
        out = []
        base = self.names[enum.name]
        for member in enum.members:
            suffix = pascal(str(member.value), "") or pascal(member.name, "Value")
            const = self.scope.claim(base + suffix)
            literal = go_string(member.value) if enum.kind == "str" else str(member.value)
            out.append((const, literal))
        return out

    # -- components -----------------------------------------------------------------

    def model_context(self, model: m.Model) -> dict[str, Any]:
        go_name = self.names[model.name]
        scope = Scope(STRUCT_RESERVED)
        fields: list[dict[str, Any]] = []
        consts: list[dict[str, Any]] = []
        has_nullable_optional = False
        custom_decode = model.additional is not None
        for f in model.fields:
            name = scope.claim(pascal(f.name if f.name else f.json_name, "Field"))
            if isinstance(f.type, t.Const):
                consts.append(
                    {
                        "json": go_string(f.json_name),
                        "raw": go_string(json.dumps(f.type.value)),
                        "name": name,
                        "value": self.go_const(f.type.value),
                        "go_type": self.go_type(f.type, go_name + name),
                        "doc": go_comment(f.description, "\t"),
                    }
                )
                fields.append(
                    {"const": True, "json": go_string(f.json_name), "raw": go_string(json.dumps(f.type.value))}
                )
                continue
            base = self.go_type(f.type, go_name + name)
            nullable = isinstance(f.type, (t.Nullable, t.AnyType))
            go = base if f.required else self.pointer(base)
            optional_nullable = not f.required and nullable
            has_nullable_optional |= optional_nullable
            safe = tag_safe(f.json_name)
            custom_decode |= not safe
            inner, _ = t.strip_nullable(f.type)
            tuple_items = None
            if isinstance(inner, t.Tuple) and base.startswith("[]*"):
                # Go has no tuples: items are decoded by position, as the IR lists them
                union = base[3:]
                tuple_items = [self._decode_into(i, self.unions[union].variants) for i in inner.items]
                custom_decode = True
            fields.append(
                {
                    "const": False,
                    "name": name,
                    "go_type": go,
                    "tag": f'`json:"{f.json_name}{"" if f.required else ",omitempty"}"`'
                    if safe and tuple_items is None
                    else '`json:"-"`',
                    "json": go_string(f.json_name),
                    "tag_safe": safe,
                    "tuple": None if tuple_items is None else {"union": base[3:], "items": tuple_items},
                    "required": f.required,
                    "nilable": go.startswith(("*", "[]", "map[")) or go == "any",
                    "null_field": optional_nullable,
                    "doc": go_comment(f.description, "\t"),
                    "deprecated": f.deprecated,
                }
            )
        # a missing required key is a decoding error, as in the Python client
        required = [go_string(f.json_name) for f in model.fields if f.required and not isinstance(f.type, t.Const)]
        custom_decode |= bool(required)
        additional = None
        if model.additional is not None:
            additional = {
                "go_type": self.go_type(model.additional, go_name + "AdditionalProperties"),
                "known": [x["json"] for x in fields],
            }
        return {
            "name": go_name,
            "doc": go_comment(model.description or model.title, ""),
            "deprecated": model.deprecated,
            "fields": fields,
            "consts": consts,
            "null_fields": has_nullable_optional,
            "additional": additional,
            "custom_decode": custom_decode,
            "unsafe_fields": [x for x in fields if not x["const"] and not x["tag_safe"] and not x["tuple"]],
            "tuple_fields": [x for x in fields if not x["const"] and x["tuple"]],
            "required": required,
            "uses_time": _uses_time(
                [x.get("go_type", "") for x in [*fields, *consts]] + [additional["go_type"] if additional else ""]
            ),
        }

    def enum_context(self, enum: m.Enum) -> dict[str, Any]:
        return {
            "name": self.names[enum.name],
            "base": "string" if enum.kind == "str" else "int64",
            "doc": go_comment(enum.description, ""),
            "members": self.enum_members[enum.name],
        }

    def alias_context(self, alias: m.Alias) -> dict[str, Any] | None:
        if alias.name in self.alias_union:
            return None  # the union's own file
        go = self.go_type(alias.type, self.names[alias.name])
        return {
            "name": self.names[alias.name],
            "go_type": go,
            "doc": go_comment(alias.description, ""),
            "uses_time": _uses_time([go]),
        }

    def union_context(self, plan: UnionPlan) -> dict[str, Any]:
        return {
            "name": plan.name,
            "type_name": plan.type_name,
            "unknown": plan.unknown_const,
            "variants": [{k: v for k, v in x.items() if k != "ir"} for x in plan.variants],
            "decode": plan.decode,
            "uses_time": _uses_time([v["type"] for v in plan.variants]),
        }

    # -- operations -----------------------------------------------------------------

    def warn(self, pointer: str, message: str) -> None:
        self.warnings.append(SpecWarning(self.locate(pointer), message))

    def _groups(self) -> dict[tuple[str, ...], dict[str, Any]]:
        """Every group path (and its parents), with its Go type name and members."""
        groups: dict[tuple[str, ...], dict[str, Any]] = {}
        root_scope = Scope(ROOT_NAMES)

        def ensure(path: tuple[str, ...]) -> dict[str, Any]:
            if path in groups:
                return groups[path]
            parent = ensure(path[:-1]) if len(path) > 1 else None
            type_name = root_scope.claim(pascal("_".join(path), "Service"))
            if parent is not None:
                field_name = parent["scope"].claim(pascal(path[-1], "Service"))
            else:
                field_name = top_scope.claim(pascal(path[-1], "Service"))
            g = {
                "path": path,
                "type": type_name,
                "field": field_name,
                "scope": Scope({"config"}),
                "children": [],
                "operations": [],
            }
            groups[path] = g
            if parent is not None:
                parent["children"].append(g)
            return g

        top_scope = Scope({"config"})
        for op in self.api.operations:
            ensure(op.group or ("default",))
        return groups

    def operation_context(self, op: m.Operation, group: dict[str, Any], op_scope: Scope) -> dict[str, Any]:
        method = group["scope"].claim(pascal(op.name, "Call"))
        base = op_scope.claim(pascal("_".join(op.group) + "_" + op.name, "Operation"))
        request_type = f"{base}Request"
        response_type = f"{base}Response"
        positional = all(p.location == "path" for p in op.parameters)
        locals_scope = Scope(LOCALS)
        req_scope = Scope(set())
        params: list[dict[str, Any]] = []
        for p in op.parameters:
            go = self.go_type(p.type, base + pascal(p.name), "operations")
            go = go if p.required else self.pointer(go)
            entry: dict[str, Any] = {
                "json": go_string(p.json_name),
                "location": p.location,
                "doc": go_comment(p.description, "\t"),
                "required": p.required,
            }
            match p.serialization:
                case m.StyleSerialization(style=style, explode=explode, allow_reserved=reserved):
                    entry["style"], entry["content"] = go_string(style), None
                    entry["explode"] = "true" if explode else "false"
                    entry["reserved"] = "true" if reserved else "false"
                case m.ContentSerialization(media_type=media):
                    entry["style"], entry["content"] = None, go_string(media)
                case _:
                    assert_never(p.serialization)
            entry["go_type"] = go
            if positional:
                entry["var"] = locals_scope.claim(camel(p.name))
                entry["expr"] = entry["var"]
            else:
                entry["field"] = req_scope.claim(pascal(p.name, "Param"))
                entry["expr"] = f"request.{entry['field']}"
            params.append(entry)
        body = None
        if op.body is not None:
            kind, btype, extra = self._body(op, base)
            btype = btype if op.body.required else self.pointer(btype)
            if positional:
                var = locals_scope.claim(
                    camel(self.variant_name(op.body.type))
                    if isinstance(op.body.type, (t.ModelRef, t.AliasRef))
                    else "body"
                )
                expr = var
            else:
                var = req_scope.claim(
                    self.names[op.body.type.name]
                    if isinstance(op.body.type, (t.ModelRef, t.AliasRef))
                    else "RequestBody"
                )
                expr = f"request.{var}"
            body = {
                "var": var,
                "expr": expr,
                "go_type": btype,
                "kind": kind,
                **extra,
                "nilable": btype.startswith(("*", "[]", "map[")) or btype == "any",
                "doc": go_comment(op.body.description, "\t"),
            }
            if kind == "multipart":
                body["parts"] = [{**part, "expr": f"{expr}.{part['field']}"} for part in extra["parts"]]
        path_parts = self._path_parts(op, params)
        success, failures, fields = self._responses(op, base)
        secured = self._secured(op)
        accept = next((r.content_type for r in op.responses if r.status.startswith("2") and r.content_type), None)
        ctx = {
            "method_name": method,
            "http_method": go_string(op.method),
            "summary": go_comment(op.summary or op.operation_id, ""),
            "description": go_comment(op.description if op.description != op.summary else None, ""),
            "label": f"{op.method} {op.path}",
            "deprecated": op.deprecated,
            "positional": positional,
            "params": params,
            "query": [p for p in params if p["location"] == "query"],
            "headers": [p for p in params if p["location"] == "header"],
            "cookies": [p for p in params if p["location"] == "cookie"],
            "body": body,
            "path_parts": path_parts,
            "request_type": request_type,
            "response_type": response_type,
            "response_fields": fields,
            "success": success,
            "failures": failures,
            "secured": "true" if secured else "false",
            "accept": go_string(accept or "application/json"),
            "pagination": None,
            "uses_time": _uses_time(
                [p["go_type"] for p in params]
                + [f["go_type"] for f in fields]
                + ([body["go_type"]] if body and not positional else [])
            ),
        }
        if op.pagination is not None:
            ctx["pagination"] = self._pagination(op, ctx)
            if ctx["pagination"] is not None:
                ctx["pagination"]["method"] = group["scope"].claim(method + "Iter")
        return ctx

    def _body(self, op: m.Operation, base: str) -> tuple[str, str, dict[str, Any]]:
        """(kind, Go type, template data) of the body's default media type."""
        assert op.body is not None
        media = op.body.media[0]
        if len(op.body.media) > 1:
            others = ", ".join(x.content_type for x in op.body.media[1:])
            self.warn(op.pointer + "/requestBody", f"the Go client sends {media.content_type} only (not {others}).")
        ctype = go_string(media.content_type)
        match media.encoding:
            case m.JsonBody():
                return "json", self.go_type(media.type, base + "Body", "operations"), {"content_type": ctype}
            case m.FormBody(fields=fields):
                rules = []
                for f in fields:
                    match f.serialization:
                        case m.StyleSerialization(style=style, explode=explode, allow_reserved=reserved):
                            rules.append(
                                {
                                    "json": go_string(f.json_name),
                                    "style": go_string(style),
                                    "explode": "true" if explode else "false",
                                    "reserved": "true" if reserved else "false",
                                    "content": None,
                                }
                            )
                        case m.ContentSerialization(media_type=media_type):
                            rules.append({"json": go_string(f.json_name), "content": go_string(media_type)})
                        case _:
                            assert_never(f.serialization)
                return (
                    "form",
                    self.go_type(media.type, base + "Body", "operations"),
                    {"content_type": ctype, "rules": rules},
                )
            case m.MultipartBody(parts=parts):
                inner, _ = t.strip_nullable(media.type)
                if not isinstance(inner, t.ModelRef):
                    self.warn(
                        op.pointer + "/requestBody",
                        "a multipart body that is not an object is sent as JSON by the Go client.",
                    )
                    return (
                        "json",
                        self.go_type(media.type, base + "Body", "operations"),
                        {"content_type": go_string("application/json")},
                    )
                mctx = self.model_context(self.models[inner.name])
                by_json = {x["json"]: x for x in mctx["fields"] if not x["const"]}
                out = []
                for part in parts:
                    found = by_json.get(go_string(part.json_name))
                    if found is None:
                        continue
                    out.append(
                        {
                            "field": found["name"],
                            "json": go_string(part.json_name),
                            "kind": go_string(part.kind),
                            "content_type": go_string(part.content_type),
                            "repeated": part.repeated,
                            "nilable": found["nilable"],
                        }
                    )
                return "multipart", self.go_type(media.type, base + "Body", "operations"), {"parts": out}
            case m.BinaryBody():
                return "raw", "[]byte", {"content_type": ctype}
            case m.TextBody(charset=charset):
                if charset.lower().replace("-", "") not in ("utf8", "usascii", "ascii"):
                    self.warn(op.pointer + "/requestBody", f"the Go client sends text bodies as UTF-8, not {charset}.")
                return "text", "string", {"content_type": ctype}
            case m.WildcardBody():
                return "raw", "[]byte", {"content_type": go_string("application/octet-stream")}
            case _:
                assert_never(media.encoding)

    def _path_parts(self, op: m.Operation, params: list[dict[str, Any]]) -> list[str]:
        by_json = {p.json_name: params[i] for i, p in enumerate(op.parameters) if p.location == "path"}
        parts: list[str] = []
        rest = op.path
        while "{" in rest:
            start = rest.index("{")
            end = rest.index("}", start)
            if rest[:start]:
                parts.append(go_string(rest[:start]))
            p = by_json[rest[start + 1 : end]]
            if p["content"] is not None:
                parts.append(f"sdk.PathContent({p['expr']}, {p['content']})")
            else:
                parts.append(f"sdk.PathParam({p['json']}, {p['expr']}, {p['style']}, {p['explode']})")
            rest = rest[end + 1 :]
        if rest or not parts:
            parts.append(go_string(rest))
        return parts

    def _secured(self, op: m.Operation) -> bool:
        kinds = {s.key: _kind_name(s.kind) for s in self.api.security_schemes}
        bearer = any(kinds.get(u.scheme) == "bearer" for alt in op.security for u in alt)
        others = sorted({kinds.get(u.scheme, "unknown") for alt in op.security for u in alt} - {"bearer"})
        if others and not bearer:
            self.warn(
                op.pointer,
                f"the Go client does not send {', '.join(others)} credentials yet: "
                "set the header with operations.WithHeader.",
            )
        return bearer

    @staticmethod
    def _status_cond(status: str) -> str:
        if status.isdigit():
            return f"res.StatusCode == {int(status)}"
        if len(status) == 3 and status.endswith("XX") and status[0].isdigit():
            return f"res.StatusCode/100 == {status[0]}"
        return "true"

    def _response_kind(self, op: m.Operation, r: m.Response) -> tuple[str, t.Type | None]:
        """How a response body is read: the first of the media types the IR lists."""
        if not r.contents:
            return "empty", None
        match r.contents[0]:
            case m.JsonContent(type=ty):
                return "json", ty
            case m.TextContent():
                return "text", None
            case m.BinaryContent():
                return "binary", None
            case m.EventStreamContent() | m.JsonLinesContent():
                if r.status.startswith("2"):
                    self.warn(
                        op.pointer + "/responses",
                        f"the Go client does not parse {r.contents[0].media_type} "
                        "streams yet: the response holds the body's raw bytes.",
                    )
                return "binary", None
            case _:
                assert_never(r.contents[0])

    def _responses(
        self, op: m.Operation, base: str
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        scope = Scope({"HTTPMeta"})
        field_for: dict[str, dict[str, Any]] = {}
        success: list[dict[str, Any]] = []
        failures: list[dict[str, Any]] = []
        ordered = sorted(op.responses, key=lambda r: 0 if r.status.isdigit() else 1 if "X" in r.status else 2)
        for r in ordered:
            kind, body_type = self._response_kind(op, r)
            is_success = r.status.startswith("2")
            cond = self._status_cond(r.status)
            if r.status == "DEFAULT":
                cond = "res.StatusCode/100 != 2" if not is_success else "true"
            if is_success:
                if kind == "empty":
                    success.append({"cond": cond, "kind": "empty"})
                    continue
                if kind == "json":
                    assert body_type is not None
                    go = self.go_type(body_type, base + "ResponseBody", "operations")
                    label = self.variant_name(t.strip_nullable(body_type)[0])
                else:
                    go = "string" if kind == "text" else "[]byte"
                    label = "Res" if kind == "text" else "Bytes"
                key = go
                if key not in field_for:
                    field_for[key] = {
                        "name": scope.claim(label),
                        "go_type": self.pointer(go) if kind != "binary" else go,
                        "value_type": go,
                        "doc": go_comment(r.description, "\t"),
                    }
                entry = field_for[key]
                success.append(
                    {
                        "cond": cond,
                        "kind": kind,
                        "field": entry["name"],
                        "value_type": go,
                        "by_pointer": entry["go_type"] != go,
                    }
                )
            elif kind == "json":
                assert body_type is not None
                go = self.go_type(body_type, base + "Error" + pascal(r.status), "operations")
                failures.append({"cond": cond, "value_type": go})
        return success, failures, list(field_for.values())

    def _pagination(self, op: m.Operation, ctx: dict[str, Any]) -> dict[str, Any] | None:
        pag = op.pagination
        assert pag is not None
        match pag.kind:
            case "page" if pag.max_page_path:
                pass
            case "page" | "offset" | "cursor":
                how = "until an empty page" if pag.kind == "page" else f"by {pag.kind}"
                self.warn(
                    op.pointer,
                    f"Go: pagination {how} is not wired yet: no `{op.name}` iterator; call the method page by page.",
                )
                return None
            case _:
                assert_never(pag.kind)
        page = next((p for p, raw in zip(ctx["params"], op.parameters) if raw.name == pag.page_param), None)
        ok = next((r for r in op.responses if r.status.startswith("2") and isinstance(r.type, t.ModelRef)), None)
        if page is None or ok is None or ctx["positional"]:
            return None
        assert isinstance(ok.type, t.ModelRef)
        success = next(s for s in ctx["success"] if s.get("field"))
        model = self.models[ok.type.name]
        items_field = next((f for f in model.fields if f.name == pag.items_field), None)
        if items_field is None or not isinstance(items_field.type, t.Array):
            return None
        go_model = self.names[model.name]
        item_type = self.go_type(items_field.type.item, go_model + pascal(items_field.name), "operations")
        mctx = self.model_context(model)
        items_name = next(
            f["name"] for f in mctx["fields"] if not f["const"] and f["json"] == go_string(items_field.json_name)
        )
        # the last page: follow the JSON names through the models
        chain: list[dict[str, Any]] = []
        current: m.Model | None = model
        for step in pag.max_page_path:
            if current is None:
                return None
            cctx = self.model_context(current)
            fld = next((f for f in current.fields if f.json_name == step), None)
            if fld is None:
                return None
            gname = next(f["name"] for f in cctx["fields"] if not f["const"] and f["json"] == go_string(step))
            gtype = next(f["go_type"] for f in cctx["fields"] if not f["const"] and f["json"] == go_string(step))
            chain.append({"name": gname, "pointer": gtype.startswith("*")})
            inner, _ = t.strip_nullable(fld.type)
            current = self.models.get(inner.name) if isinstance(inner, t.ModelRef) else None
        return {
            "item_type": item_type,
            "page_field": page["field"],
            "page_pointer": page["go_type"].startswith("*"),
            "result_field": success["field"],
            "items_field": items_name,
            "chain": chain,
        }

    # -- files ----------------------------------------------------------------------

    def files(self) -> list[GoFile]:
        out: list[GoFile] = []
        opts = self.options
        header = {"module": opts.module, "package": opts.package}
        for model in self.api.models:
            out.append(
                GoFile(
                    f"models/components/{file_name(self.names[model.name])}",
                    "model.go.jinja",
                    c.ModelFile(**header, model=self.model_context(model)),
                )
            )
        for enum in self.api.enums:
            out.append(
                GoFile(
                    f"models/components/{file_name(self.names[enum.name])}",
                    "enum.go.jinja",
                    c.EnumFile(**header, enum=self.enum_context(enum)),
                )
            )
        for alias in self.api.aliases:
            actx = self.alias_context(alias)
            if actx is not None:
                out.append(
                    GoFile(
                        f"models/components/{file_name(actx['name'])}",
                        "alias.go.jinja",
                        c.AliasFile(**header, alias=actx),
                    )
                )
        groups = self._groups()
        op_scope = Scope({"Options", "Option", "Apply", "WithRetries", "WithTimeout", "WithServerURL", "WithHeader"})
        for op in self.api.operations:
            g = groups[op.group or ("default",)]
            octx = self.operation_context(op, g, op_scope)
            g["operations"].append(octx)
            octx["service_path"] = ".".join(
                groups[(op.group or ("default",))[: i + 1]]["field"] for i in range(len(op.group or ("default",)))
            )
            self.op_contexts[op.pointer] = octx
            out.append(
                GoFile(
                    f"models/operations/{file_name(octx['request_type'][:-7])}",
                    "operation.go.jinja",
                    c.OperationFile(**header, op=octx),
                )
            )
        # unions are registered while the contexts above are built: emit them last
        for name in sorted(self.unions):
            out.append(
                GoFile(
                    f"models/components/{file_name(name)}",
                    "union.go.jinja",
                    c.UnionFile(**header, union=self.union_context(self.unions[name])),
                )
            )
        top = [g for g in groups.values() if len(g["path"]) == 1]
        for g in groups.values():
            if len(g["path"]) == 1:
                flat = self._flatten(g)
                ops = [x for sub in flat for x in sub["operations"]]
                out.append(
                    GoFile(
                        file_name(g["type"]),
                        "service.go.jinja",
                        c.ServiceFile(
                            **header,
                            groups=flat,
                            uses_http=any(x["headers"] or x["cookies"] for x in ops),
                            uses_time=_uses_time(
                                [p["go_type"] for x in ops if x["positional"] for p in x["params"]]
                                + [x["body"]["go_type"] for x in ops if x["positional"] and x["body"]]
                            ),
                            uses_pagination=any(x["pagination"] for x in ops),
                        ),
                    )
                )
        servers = [
            {
                "name": s.name,
                "const": "Server" + pascal(s.name, "Default"),
                "url": go_string(s.url),
                "doc": go_comment(s.description, "\t"),
            }
            for s in self.api.servers
        ]
        default = opts.default_server or (self.api.servers[0].name if self.api.servers else None)
        version = re.sub(r"[^ -~]", "?", f"{opts.package}/{self.api.version} sdkgen/{opts.generator_version}")
        out.append(
            GoFile(
                f"{opts.package}.go",
                "sdk.go.jinja",
                c.SdkFile(
                    **header,
                    services=top,
                    servers=servers,
                    default_server=go_string(default) if default else None,
                    token_env=go_string(opts.token_env) if opts.token_env else None,
                    timeout_ms=round(opts.timeout * 1000),
                    user_agent=go_string(version),
                    package_doc=go_comment(f"Package {opts.package} is the Go client of {self.api.title}.", ""),
                ),
            )
        )
        out.append(GoFile("go.mod", "go.mod.jinja", c.GoModFile(**header)))
        from .samples import GoSamples  # samples read the names claimed above

        first = (
            GoSamples(self, opts.token_env).operation_sample(self.api.operations[0]) if self.api.operations else None
        )
        out.append(
            GoFile(
                "README.md",
                "README.md.jinja",
                c.ReadmeFile(**header, title=self.api.title, token_env=opts.token_env, sample=first),
            )
        )
        out.extend(GoFile(path, None) for path in RUNTIME_FILES)
        if any(_kind_name(s.kind) != "bearer" for s in self.api.security_schemes):
            kinds = sorted({_kind_name(s.kind) for s in self.api.security_schemes} - {"bearer"})
            self.warn(
                "#/components/securitySchemes",
                f"the Go client does not wire {', '.join(kinds)} security "
                "schemes yet (only bearer tokens): send the credentials with operations.WithHeader.",
            )
        if self.api.webhooks:
            self.warn(
                "#/webhooks", "the Go client has no webhook parser yet: its payload types are in models/components."
            )
        if len({f.path for f in out}) != len(out):
            seen: set[str] = set()
            for f in out:
                while f.path in seen:
                    f.path = f.path[:-3] + "_2.go"
                seen.add(f.path)
        return sorted(out, key=lambda f: f.path)

    def _flatten(self, g: dict[str, Any]) -> list[dict[str, Any]]:
        out = [g]
        for child in g["children"]:
            out.extend(self._flatten(child))
        return out


def _kind_name(kind: m.SchemeKind) -> str:
    """A security scheme kind as the Go target names it (it wires `bearer` only)."""
    match kind:
        case m.HttpBearer():
            return "bearer"
        case m.HttpBasic():
            return "basic"
        case m.HttpOther(scheme=scheme):
            return scheme or "http"
        case m.ApiKey():
            return "apiKey"
        case m.OAuth2():
            return "oauth2"
        case m.OpenIdConnect():
            return "openIdConnect"
        case m.MutualTLS():
            return "mutualTLS"
        case _:
            assert_never(kind)


def go_samples(api: m.Api, module: str, package: str, token_env: str | None) -> GoSamples:
    """Go usage samples for the docs of a Python job that names a Go module."""
    from .samples import GoSamples

    return GoSamples(GoEmitter(api, GoOptions(module=module, package=package, token_env=token_env)), token_env)
