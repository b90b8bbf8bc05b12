"""IR -> template contexts for a Go module (the `go` target).

The same IR the Python emitter reads; every Go decision is made here (names, Go types,
which fields are pointers, how a union decodes, how each parameter goes on the wire), and
the templates in `templates/go/` only lay the text out. Spec text reaches Go source only
through `go_string` (string literals) and `go_comment` (comment lines).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, assert_never

from ..diagnostics import Location, SpecWarning, child
from ..emit.accept import accept_entry, accept_header, answer_accept  # one Accept rule for both clients
from ..emit.plan import strongly_connected
from ..emit.wire import fixed_query_text  # and one spelling of a path key's fixed query
from ..ir import model as m
from ..ir import types as t
from ..ir.kinds import json_kind, raw_content, scheme_name
from . import contexts as c
from .contexts import GoContext, op_key

if TYPE_CHECKING:
    from .samples import GoSamples
from .naming import Scope, camel, file_name, go_comment, go_string, pascal, tag_safe
from .security import BASIC_TYPE, OAUTH2_TYPE, plan_security, requirement_literal

# Files copied from templates/go/runtime/ (only the module path is substituted).
RUNTIME_FILES = (
    "internal/sdk/auth.go",
    "internal/sdk/client.go",
    "internal/sdk/json.go",
    "internal/sdk/redirect.go",
    "internal/sdk/servers.go",
    "internal/sdk/stream.go",
    "internal/sdk/wire.go",
    "models/apierrors/apierrors.go",
    "models/components/httpmetadata.go",
    "models/components/security_schemes.go",
    "models/operations/options.go",
    "pagination/pagination.go",
    "retry/retry.go",
    "stream/stream.go",
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
        "WithSecuritySource",
        "WithServerURL",
        "WithServer",
        "WithClient",
        "WithUserAgent",
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
COMPONENT_NAMES = frozenset({"HTTPMetadata", BASIC_TYPE, OAUTH2_TYPE})
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


# The kinds `sdk.JSONKind` names that a value of each JSON kind may have (a number
# written without a fraction or exponent is "integer").
_GO_KINDS: dict[t.JsonKind, tuple[str, ...]] = {
    "object": ("object",),
    "array": ("array",),
    "string": ("string",),
    "boolean": ("boolean",),
    "integer": ("integer",),
    "number": ("number", "integer"),
}
# the kinds as arguments of `sdk.KeyIs` / `sdk.FirstItemIs`, and as a test of `kind`
_KEY_KINDS = {k: ", ".join(f'"{n}"' for n in names) for k, names in _GO_KINDS.items()}


def _kind_test(names: tuple[str, ...]) -> str:
    tests = [f'kind == "{n}"' for n in names]
    return tests[0] if len(tests) == 1 else f"({' || '.join(tests)})"


_KIND_TEST = {k: _kind_test(names) for k, names in _GO_KINDS.items()}


def _uses_time(types: list[str]) -> bool:
    return any("time.Time" in go for go in types)


def _answer_types(x: c.OperationView) -> list[str]:
    """The Go types a service method declares to read its answers into (`var v T`): a
    2xx body (`map[string]time.Time`: britbox's bookmarks), a stream's item, an error's
    body, a page's item."""
    answers = [a for answer in (*x.success, *x.failures) for a in (answer, *answer.variants)]
    found = [a.value_type for a in answers if a.value_type is not None]
    found += [a.stream.type for a in answers if a.stream is not None]
    return found + ([x.pagination.item_type] if x.pagination is not None else [])


class GoEmitter:
    def __init__(self, api: m.Api, options: GoOptions, locate: Any = None) -> None:
        self.api = api
        self.options = options
        self.locate = locate or (lambda ptr: Location("spec", ptr))
        self.warnings: list[SpecWarning] = []
        self.models = {x.name: x for x in api.models}
        self.self_held = _self_held(api.models)
        self.enums = {x.name: x for x in api.enums}
        self.aliases = {x.name: x for x in api.aliases}
        self.scope = Scope(COMPONENT_NAMES)
        self.root_scope = Scope(ROOT_NAMES)
        # Named schemas keep their names first, in document order.
        self.names: dict[str, str] = {}
        for name in [*(x.name for x in api.models), *(x.name for x in api.enums), *(x.name for x in api.aliases)]:
            self.names[name] = self.scope.claim(pascal(name, "Model"))
        self.unions: dict[str, c.UnionView] = {}
        self.dispatch = {d.union: d for d in api.dispatch}
        self.op_contexts: dict[tuple[str, str], c.OperationView] = {}  # by op_key(), once files() ran
        self._model_views: dict[str, c.ModelView] = {}
        self._twins: dict[tuple[str, str], list[c.Answer]] = {}  # by op_key(): the stream twin's cases
        self._union_cache: dict[tuple[str, t.Type], str] = {}
        self.enum_members: dict[str, list[tuple[str, str]]] = {}
        for enum in api.enums:
            self.enum_members[enum.name] = self._members(enum)
        self.alias_union: dict[str, str] = {}
        for alias in api.aliases:
            inner, _ = t.strip_nullable(alias.type)
            if isinstance(inner, t.Union):
                self.alias_union[alias.name] = self._register_union(inner, self.names[alias.name], named=True)
        self.security = plan_security(api, self.scope, options.package)
        # what webhooks.Verify decodes: any webhook's payload (a union of them)
        self.webhook_type = (
            self.go_type(api.webhook_payload, "WebhookEvent", "webhooks") if api.webhook_payload is not None else None
        )

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

    def by_pointer(self, model: m.Model, f: m.Field) -> bool:
        """Whether a field's struct member is a pointer: an optional one, or a required
        model field that leads back to its own struct by value (Go has no infinite types:
        readme's `TreeNode.parent`, a spec no value fits)."""
        return not f.required or (model.name, f.json_name) in self.self_held

    @staticmethod
    def pointer(go: str) -> str:
        """The optional form of a Go type: nil means unset (slices, maps, any are nil already)."""
        if _nilable(go):
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
        variants: list[c.Variant] = []
        for v in ty.variants:
            if v == t.Primitive("null"):
                continue
            vname = fields.claim(self.variant_name(v))
            vtype = self.go_type(v, name + vname)
            variants.append(
                c.Variant(
                    ir=v,
                    name=vname,
                    type=vtype,
                    field_type=self.pointer(vtype),
                    by_pointer=not vtype.startswith(("[]", "map[")) and vtype != "any",
                    param=camel(vname, "value") if camel(vname, "value") not in LOCALS else "value",
                    const=self.scope.claim(f"{name}Type{vname}"),
                    constructor=self.scope.claim(f"Create{name}{vname}"),
                    wire=vname,
                )
            )
        type_name = self.scope.claim(f"{name}Type")
        unknown = self.scope.claim(f"{name}TypeUnknown")
        self.unions[name] = c.UnionView(
            name=name,
            type_name=type_name,
            unknown=unknown,
            variants=tuple(variants),
            decode=self._decode_plan(ty, variants, tuple_items),
            uses_time=_uses_time([v.type for v in variants]),
        )
        return name

    def _decode_plan(self, ty: t.Union, variants: list[c.Variant], tuple_items: bool) -> c.Decoding:
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
                kind = json_kind(v.ir, self.enums, self.aliases)
                if kind is not None and kind not in seen:
                    seen.add(kind)
                    by_kind.append(c.Case(_KIND_TEST[kind], self._decode_into(v.ir, variants)))
            return c.Decoding(None, (), (), None, tuple(by_kind))
        by_kind = []
        for kind, variant in table.by_kind:
            if kind == "array":  # arrays told apart by their first item first
                for item_kind, keys, array in table.by_item:
                    first = f"sdk.FirstItemIs(data, {_KEY_KINDS[item_kind]})"
                    has = f" && sdk.FirstItemHasKeys(data, {', '.join(go_string(k) for k in keys)})" if keys else ""
                    by_kind.append(c.Case(f"{_KIND_TEST[kind]} && {first}{has}", self._decode_into(array, variants)))
            cond = _KIND_TEST[kind]
            if isinstance(variant, t.Const):
                cond += f" && sdk.Equal(data, {go_string(json.dumps(variant.value))})"
            by_kind.append(c.Case(cond, self._decode_into(variant, variants)))
        return c.Decoding(
            tag=", ".join(go_string(k) for k in (*table.tag_at, table.tag)) if table.tag is not None else None,
            by_tag=self._tag_cases(table, variants),
            by_key=tuple(
                c.Case(
                    " && ".join(
                        [f"sdk.HasKeys(data, {', '.join(go_string(k) for k in keys)})"]
                        + [f"sdk.KeyIs(data, {go_string(k)}, {_KEY_KINDS[kind]})" for k, kind in kinds]
                    ),
                    self._decode_into(v, variants),
                )
                for keys, kinds, v in table.by_key
            ),
            fallback=self._decode_into(table.object_fallback, variants) if table.object_fallback is not None else None,
            by_kind=tuple(by_kind),
        )

    def _tag_cases(self, table: t.Dispatch, variants: Sequence[c.Variant]) -> tuple[c.TagCase, ...]:
        """The dispatch's discriminator rules grouped by value (one `case` each in Go)."""
        grouped: dict[str, tuple[list[c.Case], list[c.Variant]]] = {}
        for value, keys, v in table.by_tag:
            guarded, plain = grouped.setdefault(value, ([], []))
            into = self._decode_into(v, variants)
            if keys:
                guarded.append(c.Case(", ".join(go_string(k) for k in keys), into))
            elif not plain:
                plain.append(into)
        return tuple(
            c.TagCase(go_string(value), tuple(guarded), plain[0] if plain else None)
            for value, (guarded, plain) in grouped.items()
        )

    def _decode_into(self, target: t.Type, variants: Sequence[c.Variant]) -> c.Variant:
        """Which Go variant a dispatched type lands in: itself, or the named union among the
        variants whose own variants include it (the builder flattens those)."""
        for v in variants:
            if v.ir == target:
                return v
        for v in variants:
            if isinstance(v.ir, t.AliasRef) and v.ir.name in self.aliases:
                inner, _ = t.strip_nullable(self.aliases[v.ir.name].type)
                if isinstance(inner, t.Union) and target in self._spread(inner):
                    return v
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

    def model_context(self, model: m.Model) -> c.ModelView:
        if model.name not in self._model_views:
            self._model_views[model.name] = self._model_view(model)
        return self._model_views[model.name]

    def _model_view(self, model: m.Model) -> c.ModelView:
        go_name = self.names[model.name]
        scope = Scope(STRUCT_RESERVED)
        fields: list[c.Field | c.ConstField] = []
        consts: list[c.ConstField] = []
        has_nullable_optional = False
        custom_decode = model.additional is not None
        for f in model.fields:
            name = scope.claim(pascal(f.name if f.name else f.json_name, "Field"))
            if f.constant and isinstance(f.type, t.Const):
                const = c.ConstField(
                    json=go_string(f.json_name),
                    raw=go_string(json.dumps(f.type.value)),
                    name=name,
                    value=self.go_const(f.type.value),
                    go_type=self.go_type(f.type, go_name + name),
                    doc=go_comment(f.description, "\t"),
                )
                consts.append(const)
                fields.append(const)
                continue
            base = self.go_type(f.type, go_name + name)
            # `type: null` (vercel's `ssoUserId`) too: NullFields is how a caller sends its null
            nullable = isinstance(f.type, (t.Nullable, t.AnyType)) or f.type == t.Primitive("null")
            go = self.pointer(base) if self.by_pointer(model, f) else base
            optional_nullable = not f.required and nullable
            has_nullable_optional |= optional_nullable
            safe = tag_safe(f.json_name)
            custom_decode |= not safe
            inner, _ = t.strip_nullable(f.type)
            tuple_of = None
            if isinstance(inner, t.Tuple) and base.startswith("[]*"):
                # Go has no tuples: items are decoded by position, as the IR lists them
                union = base[3:]
                variants = self.unions[union].variants
                tuple_of = c.TupleDecoding(union, tuple(self._decode_into(i, variants) for i in inner.items))
                custom_decode = True
            fields.append(
                c.Field(
                    name=name,
                    go_type=go,
                    tag=f'`json:"{f.json_name}{"" if f.required else ",omitempty"}"`'
                    if safe and tuple_of is None
                    else '`json:"-"`',
                    json=go_string(f.json_name),
                    tag_safe=safe,
                    tuple_of=tuple_of,
                    required=f.required,
                    nilable=_nilable(go),
                    null_field=optional_nullable,
                    doc=go_comment(f.description, "\t"),
                    deprecated=f.deprecated,
                )
            )
        # a missing required key is a decoding error, as in the Python client
        required = tuple(go_string(f.json_name) for f in model.fields if f.required and not f.constant)
        custom_decode |= bool(required)
        additional = None
        if model.additional is not None:
            additional = self.go_type(model.additional, go_name + "AdditionalProperties")
        plain = [x for x in fields if isinstance(x, c.Field)]
        return c.ModelView(
            name=go_name,
            doc=go_comment(model.description or model.title, ""),
            deprecated=model.deprecated,
            fields=tuple(fields),
            consts=tuple(consts),
            null_fields=has_nullable_optional,
            additional=additional,
            custom_decode=custom_decode,
            unsafe_fields=tuple(x for x in plain if not x.tag_safe and not x.tuple_of),
            tuple_fields=tuple(x for x in plain if x.tuple_of),
            required=required,
            uses_time=_uses_time([x.go_type for x in fields] + [additional or ""]),
        )

    def enum_context(self, enum: m.Enum) -> c.EnumView:
        return c.EnumView(
            name=self.names[enum.name],
            base="string" if enum.kind == "str" else "int64",
            doc=go_comment(enum.description, ""),
            members=tuple(self.enum_members[enum.name]),
        )

    def alias_context(self, alias: m.Alias) -> c.AliasView | None:
        if alias.name in self.alias_union:
            return None  # the union's own file
        go = self.go_type(alias.type, self.names[alias.name])
        return c.AliasView(
            name=self.names[alias.name],
            go_type=go,
            doc=go_comment(alias.description, ""),
            uses_time=_uses_time([go]),
        )

    # -- operations -----------------------------------------------------------------

    def warn(self, pointer: str, message: str) -> None:
        self.warnings.append(SpecWarning(self.locate(pointer), message))

    def _groups(self) -> dict[tuple[str, ...], _Group]:
        """Every group path (and its parents), with its Go type name and field."""
        groups: dict[tuple[str, ...], _Group] = {}
        root_scope = self.root_scope = Scope(ROOT_NAMES)  # the server variables' names come next
        top_scope = Scope({"config"})

        def ensure(path: tuple[str, ...]) -> _Group:
            if path in groups:
                return groups[path]
            parent = ensure(path[:-1]) if len(path) > 1 else None
            type_name = root_scope.claim(pascal("_".join(path), "Service"))
            field_name = (parent.scope if parent is not None else top_scope).claim(pascal(path[-1], "Service"))
            g = _Group(path, type_name, field_name)
            groups[path] = g
            if parent is not None:
                parent.children.append(g)
            return g

        for op in self.api.operations:
            ensure(op.group or ("default",))
        return groups

    def operation_context(
        self, op: m.Operation, group: _Group, names: tuple[str, str], service_path: str
    ) -> c.OperationView:
        """`names`: the method's name and the stem of its request/response types."""
        method, base = names
        positional = all(p.location == "path" or p.constant for p in op.parameters)
        locals_scope = Scope(LOCALS)
        req_scope = Scope(set())
        params: list[c.Param] = []
        for p in op.parameters:
            type_context = base + pascal(p.name)
            go = self.go_type(p.type, type_context, "operations")
            go = go if p.required else self.pointer(go)
            style: str | None = None
            content: str | None = None
            explode = reserved = "false"
            match p.serialization:
                case m.StyleSerialization(style=style_, explode=explode_, allow_reserved=reserved_):
                    style, explode, reserved = go_string(style_), _go_bool(explode_), _go_bool(reserved_)
                case m.ContentSerialization(media_type=media):
                    content = go_string(media)
                case _:
                    assert_never(p.serialization)
            var = field = None
            if p.constant:
                # its only value, always sent (as the Python method's default): no field to set
                assert isinstance(p.type, t.Const)
                expr = self.go_const(p.type.value)
                wanted = None
            elif positional:
                var = expr = locals_scope.claim(camel(p.name))
                wanted = camel(p.name)
            else:
                field = req_scope.claim(pascal(p.name, "Param"))
                expr = f"request.{field}"
                wanted = pascal(p.name, "Param")
            if wanted is not None and (var or field) != wanted:
                self.warn(
                    op.pointer,
                    f"{p.location} parameter {p.json_name!r} becomes the Go name {var or field}: "
                    f"{wanted} is already taken in this method.",
                )
            params.append(
                c.Param(
                    json=go_string(p.json_name),
                    location=p.location,
                    doc=go_comment(p.description, "\t"),
                    required=p.required,
                    style=style,
                    explode=explode,
                    reserved=reserved,
                    content=content,
                    go_type=go,
                    var=var,
                    field=field,
                    expr=expr,
                    type_context=type_context,
                )
            )
        body = None
        if op.body is not None:
            body = self._body(op, op.body.media[0], base, locals_scope if positional else req_scope, positional)
        path_parts = self._path_parts(op, params)
        success, twin, failures, fields = self._responses(op, base)
        ok = m.success_response(op)
        if body is not None and twin is not None and ok is not None and ok.stream_switch is not None:
            body = dataclasses.replace(body, switch=self._switch(body, op, ok.stream_switch))
        secured = not self.api.security_schemes  # no schemes: WithSecurity's token goes with every call
        accept = next((r.content_type for r in op.responses if r.status.startswith("2") and r.content_type), None)
        offered = m.plain_contents(ok) if ok is not None else ()
        if len(offered) > 1:  # every media type the method decodes, in its order (as Python asks)
            accept = accept_header([x.media_type for x in offered])
        elif offered:  # `*/*` documenting JSON asks for JSON; a charset is not asked for (as Python)
            accept = answer_accept(offered[0].media_type, isinstance(offered[0], m.JsonContent))
        elif accept is not None:
            accept = accept_entry(accept)
        if twin is not None:
            self._twins[op_key(op)] = twin
        pagination = None
        if op.pagination is not None:
            pagination = self._pagination(op, method, params, positional, success, group)
        return c.OperationView(
            method_name=method,
            http_method=go_string(op.method),
            summary=go_comment(op.summary or op.operation_id, ""),
            description=go_comment(op.description if op.description != op.summary else None, ""),
            label=f"{op.method} {op.target}",
            deprecated=op.deprecated,
            positional=positional,
            params=tuple(params),
            args=tuple(p for p in params if p.var or p.field),
            query=tuple(p for p in params if p.location == "query"),
            fixed_query=go_string(fixed_query_text(op)) if op.fixed_query else None,
            servers="[]string{" + ", ".join(go_string(u) for u in op.servers) + "}" if op.servers else None,
            headers=tuple(p for p in params if p.location == "header"),
            cookies=tuple(p for p in params if p.location == "cookie"),
            body=body,
            path_parts=tuple(path_parts),
            request_type=f"{base}Request",
            response_type=f"{base}Response",
            response_fields=tuple(fields),
            success=tuple(success),
            failures=tuple(failures),
            secured=_go_bool(secured),
            security=requirement_literal(op),
            accept=go_string(accept or "application/json"),
            pagination=pagination,
            uses_time=_uses_time(  # what this operation's file declares (a positional call's arguments are the service's)
                [p.go_type for p in params if p.field]
                + [f.go_type for f in fields]
                + ([body.go_type] if body and not positional else [])
            ),
            service_path=service_path,
            streamed=any(x.stream is not None or x.kind == "download" for x in success),
            response_streams=any(x.stream is not None or x.kind == "download" for x in [*success, *(twin or [])]),
            response_owner=True,
            uses_components=True,
        )

    def _switch(self, body: c.BodyView, op: m.Operation, switch: m.StreamSwitch) -> c.Switch | None:
        """The Go field of the body's stream switch (None when the body is not a model
        that has it: nothing is set)."""
        assert op.body is not None
        inner, _ = t.strip_nullable(op.body.media[0].type)
        if body.kind != "json" or not isinstance(inner, t.ModelRef) or inner.name not in self.models:
            return None
        view = self.model_context(self.models[inner.name])
        found = next((f for f in view.fields if isinstance(f, c.Field) and f.json == go_string(switch.field)), None)
        if found is None or found.go_type.removeprefix("*") != "bool":
            return None
        return c.Switch(found.name, found.go_type.startswith("*"), "false")

    def _stream_twin(self, op: m.Operation, view: c.OperationView, group: _Group) -> list[c.OperationView]:
        """`<Method>Stream`: the same call asking for the streamed media type a 2xx
        response offers after JSON (the Python client's `<name>_stream()`); it shares the
        request and response types, and sets the body's stream switch to true."""
        twin = self._twins.get(op_key(op))
        media = self._twin_media(op)
        if twin is None or media is None:
            return []
        body = view.body
        if body is not None and body.switch is not None:
            body = dataclasses.replace(body, switch=dataclasses.replace(body.switch, value="true"))
        note = f"// The answer comes as a stream of {media} ({view.method_name} reads it whole)."
        ok = m.success_response(op)
        if ok is not None and m.streamed_content(ok) is None:  # a download: every binary type, as Python asks
            media = accept_header([x.media_type for x in m.plain_contents(ok) if isinstance(x, m.BinaryContent)])
        return [
            dataclasses.replace(
                view,
                method_name=group.scope.claim(view.method_name + "Stream"),
                description=(*view.description, "//", note) if view.description else (note,),
                success=tuple(twin),
                accept=go_string(media),
                body=body,
                pagination=None,
                streamed=True,
                response_owner=False,
            )
        ]

    def _media_methods(
        self, op: m.Operation, view: c.OperationView, group: _Group, op_scope: Scope
    ) -> list[c.OperationView]:
        """One more method per further request media type (`<Method><Media>`, e.g.
        `ChooseMultipart`), taking the body typed for that media type; the response
        type is the first method's, and so are the parameters."""
        assert op.body is not None
        out = []
        further = op.body.media[1:]
        suffixes = [_media_suffix(media) for media in further]
        # media types of one encoding (Google's uploads: ~350 binary ones) are told apart by
        # their names (`InsertImageJpeg`), not by a number that moves when the spec
        # lists one more
        counts = Counter(suffixes)
        for media, suffix in zip(further, suffixes):
            if counts[suffix] > 1:
                suffix = _media_type_words(media.content_type)
            base = op_scope.claim(view.base + suffix)
            if view.positional:
                scope = Scope(LOCALS | {p.var for p in view.args if p.var})
            else:
                scope = Scope({p.field for p in view.args if p.field})
            body = self._body(op, media, base, scope, view.positional)
            request_types = [p.go_type for p in view.args] + ([body.go_type] if not view.positional else [])
            note = f"// The body goes as {media.content_type} ({view.method_name} sends {op.body.content_type})."
            out.append(
                dataclasses.replace(
                    view,
                    method_name=group.scope.claim(view.method_name + suffix),
                    description=(*view.description, "//", note) if view.description else (note,),
                    request_type=f"{base}Request",
                    body=body,
                    pagination=None,
                    uses_time=_uses_time(request_types),
                    response_owner=False,
                    uses_components=any("components." in go for go in request_types),
                )
            )
        return out

    def _body(self, op: m.Operation, media: m.BodyMedia, base: str, scope: Scope, positional: bool) -> c.BodyView:
        """How the body goes as one of its media types: its argument (positional
        operations) or request field, its Go type and its encoding."""
        assert op.body is not None
        named = media.type if isinstance(media.type, (t.ModelRef, t.AliasRef)) else None
        if positional:
            var = expr = scope.claim(camel(self.variant_name(named)) if named else "body")
        else:
            var = scope.claim(self.names[named.name] if named else "RequestBody")
            expr = f"request.{var}"
        ctype = go_string(media.content_type)
        kind: c.BodyKind
        rules: list[c.FormRule] = []
        parts: list[c.PartView] = []
        match media.encoding:
            case m.JsonBody():
                kind, go = "json", self.go_type(media.type, base + "Body", "operations")
            case m.FormBody(fields=form_fields):
                kind, go = "form", self.go_type(media.type, base + "Body", "operations")
                rules = [self._form_rule(f) for f in form_fields]
            case m.MultipartBody(parts=multipart):
                inner, _ = t.strip_nullable(media.type)
                go = self.go_type(media.type, base + "Body", "operations")
                union = None  # the Go union the body's type registered (by its IR, not its Go name)
                if isinstance(inner, t.Union) and len([v for v in inner.variants if v != t.Primitive("null")]) > 1:
                    union = self.unions[self._register_union(inner, base + "Body")]
                elif isinstance(inner, t.AliasRef) and inner.name in self.alias_union:
                    union = self.unions[self.alias_union[inner.name]]
                if isinstance(inner, (t.Map, t.AnyType)):  # no named parts: the caller's map names them
                    kind = "parts"
                elif isinstance(inner, t.ModelRef):
                    kind = "multipart"
                    parts = self._parts(multipart, inner.name, expr, None)
                elif union is not None and all(isinstance(v.ir, t.ModelRef) for v in union.variants):
                    kind = "multipart"  # a oneOf of objects (zoom's settings): the parts of the variant held
                    for v in union.variants:
                        assert isinstance(v.ir, t.ModelRef)
                        parts += self._parts(
                            multipart, v.ir.name, f"{expr}.{v.name}", f"{expr}.Type == components.{v.const}"
                        )
                else:
                    self.warn(
                        op.pointer + "/requestBody",
                        "a multipart body that is not an object is sent as JSON by the Go client.",
                    )
                    kind, ctype = "json", go_string("application/json")
            case m.BinaryBody():
                kind, go = "raw", "[]byte"
            case m.TextBody(charset=charset):
                if charset.lower().replace("-", "") not in ("utf8", "usascii", "ascii"):
                    self.warn(op.pointer + "/requestBody", f"the Go client sends text bodies as UTF-8, not {charset}.")
                kind, go = "text", "string"
            case m.WildcardBody() if raw_content(media.type):
                kind, go, ctype = "raw", "[]byte", go_string("application/octet-stream")
            case m.WildcardBody():  # a typed `*/*` body (Kubernetes' objects): JSON, as Python sends a model
                kind, go = "json", self.go_type(media.type, base + "Body", "operations")
                ctype = go_string("application/json")
            case _:
                assert_never(media.encoding)
        go = go if op.body.required else self.pointer(go)
        return c.BodyView(
            var=var,
            expr=expr,
            go_type=go,
            kind=kind,
            content_type=ctype,
            rules=tuple(rules),
            parts=tuple(parts),
            nilable=_nilable(go),
            doc=go_comment(op.body.description, "\t"),
        )

    def _parts(
        self, multipart: tuple[m.MultipartPart, ...], model: str, expr: str, guard: str | None
    ) -> list[c.PartView]:
        """The parts a model's fields hold (`expr`: the model value; `guard`: when it is set)."""
        view = self.model_context(self.models[model])
        by_json = {x.json: x for x in view.fields if isinstance(x, c.Field)}
        out = []
        for part in multipart:
            found = by_json.get(go_string(part.json_name))
            if found is not None:
                out.append(
                    c.PartView(
                        field=found.name,
                        json=go_string(part.json_name),
                        kind=go_string(part.kind),
                        content_type=go_string(part.content_type),
                        repeated=part.repeated,
                        nilable=found.nilable,
                        expr=f"{expr}.{found.name}",
                        guard=guard,
                    )
                )
        return out

    @staticmethod
    def _form_rule(f: m.FormField) -> c.FormRule:
        match f.serialization:
            case m.StyleSerialization(style=style, explode=explode, allow_reserved=reserved):
                return c.FormRule(go_string(f.json_name), go_string(style), _go_bool(explode), _go_bool(reserved), None)
            case m.ContentSerialization(media_type=media_type):
                return c.FormRule(go_string(f.json_name), None, "false", "false", go_string(media_type))
            case _:
                assert_never(f.serialization)

    def _path_parts(self, op: m.Operation, params: list[c.Param]) -> list[str]:
        by_json = {p.json_name: params[i] for i, p in enumerate(op.parameters) if p.location == "path"}
        parts: list[str] = []
        for piece in m.path_pieces(op.path):
            if not piece.parameter:
                parts.append(go_string(piece.text))
                continue
            p = by_json[piece.text]
            if p.content is not None:
                part = f"sdk.PathContent({p.expr}, {p.content})"
            else:
                part = f"sdk.PathParam({p.json}, {p.expr}, {p.style}, {p.explode})"
            parts.append(f"sdk.Segment({part})" if piece.whole else part)
        return parts or [go_string("")]

    @staticmethod
    def _status_cond(status: str) -> str:
        if status.isdigit():
            return f"res.StatusCode == {int(status)}"
        if len(status) == 3 and status.endswith("XX") and status[0].isdigit():
            return f"res.StatusCode/100 == {status[0]}"
        return "true"

    @staticmethod
    def _content_kind(content: m.ResponseContent) -> tuple[c.ResponseKind, t.Type | None]:
        """How one media type of a response is read (the item type for a stream)."""
        match content:
            case m.JsonContent(type=ty):
                return "json", ty
            case m.TextContent():
                return "text", None
            case m.BinaryContent():
                return "binary", None
            case m.EventStreamContent(item=item):
                return "events", item
            case m.JsonLinesContent(item=item):
                return "lines", item
            case _:
                assert_never(content)

    def _responses(
        self, op: m.Operation, base: str
    ) -> tuple[list[c.Answer], list[c.Answer] | None, list[c.Answer], list[c.ResponseField]]:
        """What each status decodes into: the method's cases (the first media type of
        each response), the stream twin's (the streamed media type where a 2xx response
        offers one after JSON: `<Method>Stream`; None when there is no twin), the
        failures, and the response struct's fields (shared by both methods)."""
        scope = Scope({"HTTPMeta"})
        field_for: dict[str, c.ResponseField] = {}
        success: list[c.Answer] = []
        failures: list[c.Answer] = []
        twin: list[c.Answer] | None = [] if self._twin_media(op) is not None else None
        ordered = sorted(op.responses, key=lambda r: 0 if r.status.isdigit() else 1 if "X" in r.status else 2)
        for r in ordered:
            is_success = r.status.startswith("2")
            cond = self._status_cond(r.status)
            if r.status == "DEFAULT":
                cond = "res.StatusCode/100 != 2" if not is_success else "true"
            if is_success:
                first = self._success(r, r.contents[0] if r.contents else None, cond, base, scope, field_for)
                plain = m.plain_contents(r)
                if len(plain) > 1 and r.contents[0] in plain:
                    first = dataclasses.replace(
                        first,
                        offers=tuple(
                            f"{{Media: {go_string(x.media_type)}, JSON: {_go_bool(isinstance(x, m.JsonContent))}}}"
                            for x in plain
                        ),
                        variants=tuple(self._success(r, x, cond, base, scope, field_for) for x in plain),
                    )
                success.append(first)
                if twin is not None:
                    streamed = m.streamed_content(r)
                    download = next((x for x in r.contents if isinstance(x, m.BinaryContent)), None)
                    if streamed is not None:
                        twin.append(self._success(r, streamed, cond, base, scope, field_for))
                    elif download is not None:
                        twin.append(self._download(r, cond, scope, field_for))
                    else:
                        twin.append(first)
            elif r.contents and self._content_kind(r.contents[0])[0] == "json":
                body_type = self._content_kind(r.contents[0])[1]
                assert body_type is not None
                go = self.go_type(body_type, base + "Error" + pascal(r.status), "operations")
                failures.append(c.Answer(cond, "json", None, go, False))
        return success, twin, failures, list(field_for.values())

    def _success(
        self,
        r: m.Response,
        content: m.ResponseContent | None,
        cond: str,
        base: str,
        scope: Scope,
        field_for: dict[str, c.ResponseField],
    ) -> c.Answer:
        """One 2xx case: the response field its body lands in (claimed once per Go type)."""
        if content is None:
            return c.Answer(cond, "empty", None, None, False)
        kind, body_type = self._content_kind(content)
        item = None
        match content:
            case m.JsonContent():
                assert body_type is not None
                go = self.go_type(body_type, base + "ResponseBody", "operations")
                label = self.variant_name(t.strip_nullable(body_type)[0])
            case m.TextContent():
                go, label = "string", "Res"
            case m.BinaryContent():
                go, label = "[]byte", "Bytes"
            case m.EventStreamContent() | m.JsonLinesContent():
                assert body_type is not None
                item = self._stream_item(content, self.go_type(body_type, base + "Item", "operations"))
                label = "Events" if kind == "events" else "Lines"
                go = f"*stream.{label}[{item.type}]"
            case _:
                assert_never(content)
        if go not in field_for:
            field_for[go] = c.ResponseField(
                name=scope.claim(label),
                go_type=self.pointer(go) if kind != "binary" else go,
                value_type=go,
                doc=go_comment(r.description, "\t"),
            )
        entry = field_for[go]
        return c.Answer(cond, kind, entry.name, go, entry.go_type != go, item)

    @staticmethod
    def _download(r: m.Response, cond: str, scope: Scope, field_for: dict[str, c.ResponseField]) -> c.Answer:
        """A binary 2xx case of a stream twin: the body as an io.ReadCloser (stream.Download)."""
        go = "*stream.Download"
        if go not in field_for:
            field_for[go] = c.ResponseField(scope.claim("Download"), go, go, go_comment(r.description, "\t"))
        return c.Answer(cond, "download", field_for[go].name, go, False)

    @staticmethod
    def _twin_media(op: m.Operation) -> str | None:
        """The media type a `...Stream` twin asks for (as the Python client's
        `<name>_stream()`): the success response's stream, else its binary download,
        when the method itself reads the answer whole; None: no twin."""
        ok = m.success_response(op)
        plain = m.plain_contents(ok) if ok is not None else ()
        if ok is None or not plain:
            return None
        streamed = m.streamed_content(ok)
        if streamed is not None:
            return streamed.media_type
        return next((x.media_type for x in plain if isinstance(x, m.BinaryContent)), None)

    @staticmethod
    def _stream_item(content: m.EventStreamContent | m.JsonLinesContent, go: str) -> c.StreamItem:
        match content:
            case m.EventStreamContent(item_json=item_json, terminal=terminal):
                if not item_json:
                    return c.StreamItem("string", False, go_string(terminal) if terminal is not None else None)
                return c.StreamItem(go, True, go_string(terminal) if terminal is not None else None)
            case m.JsonLinesContent():
                return c.StreamItem(go, True, None)
            case _:
                assert_never(content)

    def _pagination(
        self,
        op: m.Operation,
        method: str,
        params: list[c.Param],
        positional: bool,
        success: list[c.Answer],
        group: _Group,
    ) -> c.PagingView | None:
        """The iterator of a paginated operation, as the Python client walks it (same
        stepped parameter or next-page URL, same stop rules), or None with a warning
        when Go cannot read what it needs."""
        pag = op.pagination
        assert pag is not None

        def unwired(why: str) -> None:
            self.warn(
                op.pointer,
                f"Go: the {pag.kind} pagination of `{op.name}` is not wired ({why}): no iterator; call the method page by page.",
            )

        ok = next((r for r in op.responses if r.status.startswith("2") and r.type is not None), None)
        result = next((s for s in success if s.field and s.value_type), None)
        if ok is None or ok.type is None or result is None or result.field is None or result.value_type is None:
            unwired("no typed success answer")
            return None
        model = self.models[ok.type.name] if isinstance(ok.type, t.ModelRef) else None
        if pag.items_field and model is not None:
            items_field = next((f for f in model.fields if f.name == pag.items_field), None)
            # a nullable list (gettyimages' `boards`): a nil slice, an empty page, as in Python
            listed = t.strip_nullable(items_field.type)[0] if items_field is not None else None
            if items_field is None or not isinstance(listed, t.Array):
                unwired("the items field is not a list")
                return None
            item = self.go_type(listed.item, self.names[model.name] + pascal(items_field.name), "operations")
            items = "data." + self.model_context(model).field(go_string(items_field.json_name)).name
        elif not pag.items_field and isinstance(ok.type, t.Array):
            item, items = result.value_type.removeprefix("[]"), "data"
        else:
            unwired("the answer is neither a model holding the items nor the list itself")
            return None
        page = next((p for p, raw in zip(params, op.parameters) if raw.name == pag.page_param), None)
        kind: c.PagingKind
        path: tuple[str, ...] = ()
        start, value_type, want, last_id = '""', "string", "", None
        match pag.kind:
            case "page":
                start, value_type = "int64(1)", "int64"
                kind, path, want = ("max_page", pag.max_page_path, "int64") if pag.max_page_path else ("page", (), "")
            case "offset":
                kind, start, value_type = "offset", "int64(0)", "int64"
            case "cursor":
                if pag.next_path:
                    kind, path, want = "next", pag.next_path, "string"
                else:
                    kind, path, want = "last_id", pag.has_more_path, "bool"
                    entry = t.strip_nullable(pag.item_type)[0]
                    if isinstance(entry, t.ModelRef) and entry.name in self.models and pag.cursor_item_field:
                        found = next(f for f in self.models[entry.name].fields if f.name == pag.cursor_item_field)
                        last_id = self.model_context(self.models[entry.name]).field(go_string(found.json_name)).name
            case "next_url":
                kind, path, want = "next_url", pag.next_path, "string"
            case "link_header":
                kind = "link_header"
            case _:
                assert_never(pag.kind)
        followed = self._follow(model, path) if model is not None else ((), "", "") if not path else None
        stepped = kind in ("next_url", "link_header")
        if (
            followed is None
            or (want and followed[2] != want)
            or (kind == "last_id" and last_id is None)
            or (not stepped and (page is None or page.field is None or page.go_type.removeprefix("*") != value_type))
        ):
            unwired("a paging parameter or next-page field Go cannot read")
            return None
        guards, value, _ = followed
        return c.PagingView(
            method=group.scope.claim(method + "Iter"),
            kind=kind,
            item_type=item,
            page_field=page.field if page is not None and page.field is not None else "",
            page_pointer=page is not None and page.go_type.startswith("*"),
            value_type=value_type,
            start=start,
            result_field=result.field,
            items=items,
            guards=guards,
            value=value,
            last_id=last_id,
        )

    def _follow(self, model: m.Model, path: tuple[str, ...]) -> tuple[tuple[str, ...], str, str] | None:
        """The Go reading of a field path (IR attribute names, else JSON names) from a
        page `data`: the pointers to check for nil on the way, the expression through
        them, and the Go type it has; None when the path leads nowhere."""
        guards: list[str] = []
        expr, go = "data", ""
        current: m.Model | None = model
        for step in path:
            if current is None:
                return None
            fld = next((f for f in current.fields if f.name == step), None) or next(
                (f for f in current.fields if f.json_name == step), None
            )
            if fld is None or fld.constant:
                return None
            gfield = self.model_context(current).field(go_string(fld.json_name))
            go = gfield.go_type
            if go.startswith("*"):
                guards.append(f"{expr}.{gfield.name}")
                expr, go = f"(*{expr}.{gfield.name})", go[1:]
            else:
                expr = f"{expr}.{gfield.name}"
            inner, _ = t.strip_nullable(fld.type)
            current = self.models.get(inner.name) if isinstance(inner, t.ModelRef) else None
        return tuple(guards), expr, go

    # -- files ----------------------------------------------------------------------

    def _server_variable(self, v: m.ServerVariable) -> c.ServerVariableView:
        """`With<Name>(value)` sets a `{name}` of the server URLs; an `enum` is a typed
        string with a constant per value (names claimed after the services')."""
        stem = pascal(v.json_name, "Variable")
        type_name = self.root_scope.claim(stem) if v.values else None
        return c.ServerVariableView(
            json_name=go_string(v.json_name),
            option=self.root_scope.claim("With" + stem),
            type_name=type_name,
            go_type=type_name or "string",
            default=go_string(v.default),
            values=tuple((self.root_scope.claim(type_name + pascal(x, "Value")), go_string(x)) for x in v.values)
            if type_name
            else (),
            keep=go_string(m.server_variable_keeps(v.place)),
            path_start=v.place == "base_path",
            doc=go_comment(v.description, ""),
            placeholder="{" + v.json_name + "}",
        )

    def files(self) -> list[GoFile]:
        opts = self.options

        def unit(path: str, template: str, view: c.View) -> GoFile:
            return GoFile(path, template, c.Unit(opts.module, opts.package, view))

        out: list[GoFile] = []
        out += [
            unit(f"models/components/{file_name(self.names[x.name])}", "model.go.jinja", self.model_context(x))
            for x in self.api.models
        ]
        out += [
            unit(f"models/components/{file_name(self.names[x.name])}", "enum.go.jinja", self.enum_context(x))
            for x in self.api.enums
        ]
        for alias in self.api.aliases:
            view = self.alias_context(alias)
            if view is not None:
                out.append(unit(f"models/components/{file_name(view.name)}", "alias.go.jinja", view))
        groups = self._groups()
        op_scope = Scope({"Options", "Option", "Apply", "WithRetries", "WithTimeout", "WithServerURL", "WithHeader"})
        # every operation's own names first: an added method (Iter, Stream, a media type)
        # never takes the name of an operation of the spec
        names = {
            op_key(op): (
                groups[op.group or ("default",)].scope.claim(pascal(op.name, "Call")),
                op_scope.claim(pascal("_".join(op.group) + "_" + op.name, "Operation")),
            )
            for op in self.api.operations
        }
        for op in self.api.operations:
            if names[op_key(op)][0] != pascal(op.name, "Call"):
                self.warn(
                    op.pointer,
                    f"the Go method for {'.'.join([*op.group, op.name])}() is {names[op_key(op)][0]}: "
                    f"{pascal(op.name, 'Call')} is already taken in its service.",
                )
        for op in self.api.operations:
            path = op.group or ("default",)
            g = groups[path]
            service_path = ".".join(groups[path[: i + 1]].field for i in range(len(path)))
            octx = self.operation_context(op, g, names[op_key(op)], service_path)
            self.op_contexts[op_key(op)] = octx
            more = [*self._stream_twin(op, octx, g), *(self._media_methods(op, octx, g, op_scope) if op.body else [])]
            for method_view in [octx, *more]:
                g.operations.append(method_view)
                own_request = not method_view.positional and method_view.request_type != octx.request_type
                if method_view.response_owner or own_request:
                    where = f"models/operations/{file_name(method_view.base)}"
                    out.append(unit(where, "operation.go.jinja", method_view))
        # unions are registered while the contexts above are built: emit them last
        for name in sorted(self.unions):
            out.append(unit(f"models/components/{file_name(name)}", "union.go.jinja", self.unions[name]))
        top = [g.view() for g in groups.values() if len(g.path) == 1]
        for top_group in top:
            flat = _flatten(top_group)
            ops = [x for sub in flat for x in sub.operations]
            service = c.ServiceView(
                groups=flat,
                uses_http=any(x.headers or x.cookies for x in ops),
                uses_time=_uses_time(
                    [p.go_type for x in ops if x.positional for p in x.args]
                    + [x.body.go_type for x in ops if x.positional and x.body]
                    + [go for x in ops for go in _answer_types(x)]
                ),
                uses_pagination=any(x.pagination for x in ops),
                uses_stream=any(x.streamed for x in ops),
            )
            out.append(unit(file_name(top_group.type), "service.go.jinja", service))
        servers = tuple(
            c.ServerView(
                name=s.name,
                const="Server" + pascal(s.name, "Default"),
                url=go_string(s.url),
                doc=go_comment(s.description, "\t"),
            )
            for s in self.api.servers
        )
        default = opts.default_server or (self.api.servers[0].name if self.api.servers else None)
        variables = tuple(self._server_variable(v) for v in self.api.server_variables)
        # a header value is ASCII text (as Python's); the client appends ` go/<runtime version>`
        version = re.sub(r"[^ -~]", "?", f"{opts.package}/{self.api.version}")
        sdk = c.SdkView(
            services=tuple(top),
            servers=servers,
            variables=variables,
            default_server=go_string(default) if default else None,
            token_env=go_string(opts.token_env) if opts.token_env else None,
            timeout_ms=round(opts.timeout * 1000),
            user_agent=go_string(version),
            package_doc=go_comment(f"Package {opts.package} is the Go client of {self.api.title}.", ""),
            security=self.security,
            operation_servers=tuple(go_string(url) for url in m.operation_servers(self.api)),
        )
        out.append(unit(f"{opts.package}.go", "sdk.go.jinja", sdk))
        out.append(unit("go.mod", "go.mod.jinja", None))
        from .samples import GoSamples  # samples read the names claimed above

        first = (
            GoSamples(self, opts.token_env).operation_sample(self.api.operations[0]) if self.api.operations else None
        )
        out.append(
            unit(
                "README.md",
                "README.md.jinja",
                c.ReadmeView(
                    self.api.title,
                    opts.token_env,
                    first,
                    self.security,
                    self.webhook_type is not None,
                    sum(1 for op in self.api.operations if op.servers),
                ),
            )
        )
        out.extend(GoFile(path, None) for path in RUNTIME_FILES)
        if self.security.type_name:
            security_file = f"models/components/{file_name(self.security.type_name)}"
            out.append(unit(security_file, "security.go.jinja", self.security))
        for s in self.api.security_schemes:
            if isinstance(s.kind, m.HttpOther):
                self.warn(
                    child("#/components/securitySchemes", s.key),
                    f"the Go client does not compute http {scheme_name(s.kind)!r} credentials: pass WithClient an "
                    "*http.Client whose Transport authenticates (operations needing it are sent without them).",
                )
        if self.webhook_type is not None:
            union = self.unions.get(self.webhook_type.removeprefix("components."))
            webhooks = c.WebhooksView(
                event_type=self.webhook_type,
                unknown=f"components.{union.unknown}" if union is not None else None,
                uses_components="components." in self.webhook_type,
                uses_time=_uses_time([self.webhook_type]),
            )
            out.append(unit("webhooks/webhooks.go", "webhooks.go.jinja", webhooks))
            out.append(GoFile("webhooks/verify.go", None))
        if len({f.path for f in out}) != len(out):
            # a runtime file keeps its path (it is copied from templates/go/runtime/ by it): a
            # generated file that would take it moves (jira's schema `SecuritySchemes`)
            seen = {f.path for f in out if f.template is None}
            for f in out:
                if f.template is None:
                    continue
                while f.path in seen:
                    f.path = f.path[:-3] + "_2.go"
                seen.add(f.path)
        return sorted(out, key=lambda f: f.path)


@dataclass
class _Group:
    """A group of operations while the emitter fills it (its view is made once it is full)."""

    path: tuple[str, ...]
    type: str
    field: str
    scope: Scope = dataclasses.field(default_factory=lambda: Scope({"config"}))
    children: list[_Group] = dataclasses.field(default_factory=list)
    operations: list[c.OperationView] = dataclasses.field(default_factory=list)

    def view(self) -> c.GroupView:
        return c.GroupView(
            self.path, self.type, self.field, tuple(x.view() for x in self.children), tuple(self.operations)
        )


def _flatten(g: c.GroupView) -> tuple[c.GroupView, ...]:
    return (g, *(x for child in g.children for x in _flatten(child)))


def _words(text: str) -> str:
    """`merge-patch+json` -> `MergePatchJSON`: the alphanumeric runs, capitalised."""
    words = [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]
    return "".join(w.upper() if w in ("json", "xml") else w.capitalize() for w in words)


def _media_type_words(content_type: str) -> str:
    """`image/svg+xml; charset=utf-8` -> `ImageSvgXML` (parameters left out)."""
    return _words(content_type.split(";", 1)[0]) or "Media"


def _media_suffix(media: m.BodyMedia) -> str:
    """What a method sending the body as this media type adds to its name: the JSON
    flavour (`MergePatchJSON`), else the encoding (`Form`, `Multipart`, `Text`...)."""
    match media.encoding:
        case m.JsonBody():
            subtype = media.content_type.split(";", 1)[0].strip().rsplit("/", 1)[-1]
            return _words(subtype) or "JSON"
        case m.FormBody() | m.MultipartBody() | m.BinaryBody() | m.TextBody() | m.WildcardBody():
            return type(media.encoding).__name__.removesuffix("Body")
        case _:
            assert_never(media.encoding)


def _go_bool(value: bool) -> str:
    return "true" if value else "false"


def _self_held(models: Sequence[m.Model]) -> set[tuple[str, str]]:
    """The (model, JSON name) of required, non-nullable model fields that lead back to
    their own model through such fields: held by value, they would make an invalid
    recursive Go type."""
    names = {x.name for x in models}

    def edges(x: m.Model) -> list[tuple[str, str]]:
        return [
            (f.json_name, f.type.name)
            for f in x.fields
            if f.required and isinstance(f.type, t.ModelRef) and f.type.name in names
        ]

    deps = {x.name: [target for _, target in edges(x)] for x in models}
    groups = strongly_connected(sorted(deps), deps)
    component = {n: i for i, group in enumerate(groups) for n in group}
    return {
        (x.name, key)
        for x in models
        for key, target in edges(x)
        if component[target] == component[x.name] and (target == x.name or len(groups[component[x.name]]) > 1)
    }


def _nilable(go: str) -> bool:
    """Whether a Go type has nil as its zero value (pointers, slices, maps, any)."""
    return go.startswith(("*", "[]", "map[")) or go == "any"


def go_samples(api: m.Api, module: str, package: str, token_env: str | None) -> GoSamples:
    """Go usage samples for the docs of a Python job that names a Go module."""
    from .samples import GoSamples

    return GoSamples(GoEmitter(api, GoOptions(module=module, package=package, token_env=token_env)), token_env)
