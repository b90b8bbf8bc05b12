"""IR -> template contexts for a Python client package.

Everything a template prints that is not spec text is decided here: class and module
names, annotations, codec expressions, import lines. Spec text (descriptions, summaries)
travels as plain strings and is escaped by the render filters, never pasted into code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, assert_never
from urllib.parse import quote

from ..ir import model as m
from ..ir import types as t
from ..naming import literal
from . import contexts as ctx
from . import describe
from .codec import Imports, Schemas, annotation, builtin_name, decode, encode, has_conditional, is_identity, is_uuid
from .forgiving import request_annotation
from ..render import pystr
from .docs import DocsBuilder
from .layout import Layout
from .output import OutputFile, error_class_name
from .plan import plan_models

RUNTIME_FILES = ("_inputs.py", "_pages.py", "_raw.py", "_runtime.py", "errors.py", "py.typed")
# Names annotations use that a field or method may redefine in its class body.
SHADOWABLE = frozenset({"list", "dict", "tuple", "str", "int", "float", "bool", "bytes", "date", "datetime"})


@dataclass(frozen=True, slots=True)
class _Arg:
    """One argument of an operation's method, before it is laid out."""

    name: str
    annotation: str
    default: str | None = None


@dataclass(frozen=True)
class Options:
    package: str
    token_env: str | None = None
    default_server: str | None = None
    timeout: float = 10.0
    generator_version: str = ""
    line_length: int = 88
    distribution: str | None = None  # a publishable project: its PyPI name and version
    distribution_version: str | None = None


def _stdlib_lines(imp: Imports) -> list[str]:
    by_module: dict[str, set[str]] = {}
    for module, name in imp.stdlib:
        by_module.setdefault(module, set()).add(name)
    return [
        f"import {mod}" if names == {""} else f"from {mod} import {', '.join(sorted(names - {''}))}"
        for mod, names in sorted(by_module.items())
    ]


def _symbol_lines(imp: Imports, where: dict[str, str], prefix: str, exclude: set[str]) -> list[str]:
    """Imports of the generated names `imp` uses: classes, aliases and alias decoders."""
    by_module: dict[str, set[str]] = {}
    for name in imp.symbols - exclude:
        by_module.setdefault(where[name], set()).add(name)
    for name in imp.decoders - exclude:
        by_module.setdefault(where[name], set()).add(f"decode_{name}")
    return [f"from {prefix}{mod} import {', '.join(sorted(names))}" for mod, names in sorted(by_module.items())]


def field_doc(f: m.Field) -> str:
    parts = [f"{describe.kind_name(f.type)}, {'required' if f.required else 'optional'}."]
    if f.description:
        parts.append(f.description.strip())
    cons = describe.type_constraints(f.type)
    if cons:
        parts.append("Constraints: " + "; ".join(cons) + ".")
    if f.has_default:
        parts.append(f"Server default: {json.dumps(f.default)}.")
    if f.read_only:
        parts.append("Read-only: set by the server.")
    if f.deprecated:
        parts.append("Deprecated.")
    if f.examples:
        parts.append(f"Example: {json.dumps(f.examples[0], ensure_ascii=False)}.")
    return " ".join(parts)


class PythonEmitter:
    def __init__(self, api: m.Api, options: Options) -> None:
        self.api = api
        self.options = options
        self.module_plans, self.where = plan_models(api)
        self.models = {x.name: x for x in api.models}
        self.enums = {x.name: x for x in api.enums}
        self.aliases = {x.name: x for x in api.aliases}
        self.schemas = Schemas.of(api)
        self.layout = Layout(options.line_length)

    # -- models ---------------------------------------------------------------------

    def model_item(self, model: m.Model, imp: Imports) -> ctx.ModelItem:
        line = self.layout.line
        fields: list[ctx.FieldLine] = []
        decodes: list[str] = []
        required: list[str] = []
        optional: list[tuple[str | None, str]] = []  # (attribute checked for UNSET, line)

        def add_field(name: str, ann: str, default: str | None = None) -> None:
            fields.append(ctx.FieldLine(name, line(f"{name}: {ann}{f' = {default}' if default else ''}", 4, "stmt")))

        def send(key: str, expr: str, attr: str | None = None) -> None:
            if attr is None and not optional:
                required.append(line(f"{key}: {expr},", 12))
            else:  # keep spec order: after an optional field, assign in turn
                optional.append((attr, line(f"d[{key}] = {expr}", 12 if attr else 8, "stmt")))

        for f in model.fields:
            ann = request_annotation(f.type, imp) if model.in_requests else annotation(f.type, imp)
            key = literal(f.json_name)
            if isinstance(f.type, t.Const):
                # A constant (often a discriminator): defaulted, always sent, tolerated missing.
                const = literal(f.type.value)
                add_field(f.name, ann, const)
                decodes.append(line(f"{f.name}=d.get({key}, {const}),", 12))
                send(key, f"self.{f.name}")
            elif f.required:
                add_field(f.name, ann)
                decodes.append(line(f"{f.name}={decode(f.type, f'd[{key}]', imp)},", 12))
                send(key, encode(f.type, f"self.{f.name}", imp))
            else:
                add_field(f.name, f"{ann} | _rt.Unset", "_rt.UNSET")
                value = decode(f.type, f"d[{key}]", imp)
                if is_identity(f.type):  # plain JSON: one lookup with a default
                    decodes.append(line(f"{f.name}=d.get({key}, _rt.UNSET),", 12))
                else:
                    if has_conditional(f.type):  # a conditional inside a conditional: parenthesised
                        value = f"({value})"
                    decodes.append(line(f"{f.name}={value} if {key} in d else _rt.UNSET,", 12))
                send(key, encode(f.type, f"self.{f.name}", imp), f.name)
        extra = None
        if model.additional is not None and model.additional_name is not None:
            # Imported as `_field`: a property named `field` (or `_`) is a class attribute
            # called `field` that the default below would otherwise call. Field names never
            # start with an underscore; builtins a field shadows are spelt `builtins.X`.
            imp.need("dataclasses", "field as _field")
            dict_ann = annotation(t.Map(model.additional), imp)
            factory = builtin_name("dict", imp)  # `builtins.dict` when a field is named `dict`
            add_field(model.additional_name, dict_ann, f"_field(default_factory={factory})")
            value = decode(model.additional, "v", imp, 1)
            decodes.append(
                line(f"{model.additional_name}={{k: {value} for k, v in d.items() if k not in _KNOWN_{model.name}}},", 12)
            )
            known = "frozenset({" + ", ".join(literal(f.json_name) for f in model.fields) + "})"
            extra = ctx.ExtraProperties(
                model.additional_name,
                encode_line=line(f"d[k] = {encode(model.additional, 'v', imp, 1)}", 16, "stmt"),
                known_line=line(f"_KNOWN_{model.name} = {known}", 0, "stmt"),
            )
        elif model.unknown_name is not None:
            # keys the spec does not declare, kept apart and written back (not compared)
            imp.need("dataclasses", "field as _field")
            factory = builtin_name("dict", imp)
            default = f"_field(default_factory={factory}, compare=False, repr=False)"
            add_field(model.unknown_name, annotation(t.Map(t.AnyType()), imp), default)
            decodes.append(line(f"{model.unknown_name}=_rt.unknown_keys(d, _KNOWN_{model.name}),", 12))
            known = "frozenset({" + ", ".join(literal(f.json_name) for f in model.fields) + "})"
            extra = ctx.ExtraProperties(
                model.unknown_name,
                encode_line=line("d[k] = v", 16, "stmt"),
                known_line=line(f"_KNOWN_{model.name} = {known}", 0, "stmt"),
            )
        doc = (model.description or model.title or model.name).strip()
        if model.deprecated:
            doc = "Deprecated. " + doc
        # the method signatures are read in the class body too, where fields named `str`
        # or `dict` shadow the builtins
        mapping_type = f"Mapping[{annotation(t.Primitive('str'), imp)}, Any]"
        json_object_type = annotation(t.Map(t.AnyType()), imp)
        return ctx.ModelItem(
            name=model.name,
            doc=doc,
            attributes=tuple((f.name, field_doc(f)) for f in model.fields),
            fields=tuple(fields),
            from_dict_def=line(f"def from_dict(cls, d: {mapping_type}) -> {model.name}:", 4, "def"),
            to_dict_def=line(f"def to_dict(self) -> {json_object_type}:", 4, "def"),
            decode_lines=tuple(decodes),
            required_lines=tuple(required),
            optional_lines=tuple(optional),
            extra=extra,
        )

    def enum_item(self, enum: m.Enum) -> ctx.EnumItem:
        line = self.layout.line
        base = "_rt.OpenStrEnum" if enum.kind == "str" else "_rt.OpenIntEnum"
        return ctx.EnumItem(
            name=enum.name,
            doc=(enum.description or enum.name).strip()
            + "\n\nOpen: a value the server adds later is kept (`is_known` is False), never an error.",
            class_line=line(f"class {enum.name}({base}):", 0, "class"),
            member_lines=tuple(line(f"{mem.name} = {literal(mem.value)}", 4, "stmt") for mem in enum.members),
        )

    def alias_item(self, alias: m.Alias, imp: Imports) -> ctx.AliasItem:
        line, name = self.layout.line, alias.name
        imp.need("typing", "Any")
        imp.need("typing", "TypeAlias")
        ann = annotation(alias.type, imp)
        return ctx.AliasItem(
            name=name,
            doc=(alias.description or alias.name).strip(),
            alias_line=line(f"{name}: TypeAlias = {pystr(ann)}", 0, "stmt"),
            decode_def=line(f"def decode_{name}(value: Any) -> {name}:", 0, "def"),
            decode_line=line(f"result: {name} = {decode(alias.type, 'value', imp)}", 4, "stmt"),
        )

    def model_files(self) -> list[OutputFile]:
        out = []
        for plan in self.module_plans:
            fields = {f.name for name in plan.names if name in self.models for f in self.models[name].fields}
            imp = Imports(self.schemas, shadowed=frozenset(fields) & SHADOWABLE)
            items: list[ctx.ModelItem | ctx.EnumItem | ctx.AliasItem] = []
            for name in plan.names:
                if name in self.models:
                    items.append(self.model_item(self.models[name], imp))
                elif name in self.enums:
                    items.append(self.enum_item(self.enums[name]))
                else:
                    items.append(self.alias_item(self.aliases[name], imp))
            if any(isinstance(i, ctx.ModelItem) for i in items):
                imp.need("collections.abc", "Mapping")
                imp.need("typing", "Any")
                imp.need("dataclasses", "dataclass")
            module = ctx.ModelModule(
                items=tuple(items),
                stdlib_imports=self._imports(_stdlib_lines(imp)),
                local_imports=self._imports(_symbol_lines(imp, self.where, ".", set(plan.names))),
                helpers=self._helpers(imp),
            )
            out.append(OutputFile(f"models/{plan.module}.py", "model_module.py.jinja", module))
        exports = tuple(sorted(self.where.items(), key=lambda kv: kv[0].lower()))
        import_lines = tuple(self.layout.import_from(f".{module}", [f"{name} as {name}"], 4) for name, module in exports)
        out.append(OutputFile("models/__init__.py", "models_init.py.jinja", ctx.ModelsInit(exports, import_lines)))
        return out

    # -- services -------------------------------------------------------------------

    def _groups(self) -> dict[tuple[str, ...], list[m.Operation]]:
        groups: dict[tuple[str, ...], list[m.Operation]] = {}
        for op in self.api.operations:
            for depth in range(1, len(op.group)):
                groups.setdefault(op.group[:depth], [])
            groups.setdefault(op.group, []).append(op)
        return dict(sorted(groups.items()))

    def service_files(self) -> list[OutputFile]:
        groups = self._groups()
        out = [OutputFile("services/__init__.py", "services_init.py.jinja", ctx.ServicesInit())]
        for group, ops in groups.items():
            imp = Imports(self.schemas, shadowed=frozenset(op.name for op in ops) & SHADOWABLE)
            taken = {op.name for op in ops} | {"with_raw_response"}
            children = []
            for child in groups:
                if len(child) == len(group) + 1 and child[: len(group)] == group:
                    attr = child[-1] if child[-1] not in taken else f"{child[-1]}_group"
                    module, cls = f".{module_of(child)}", class_of(child)
                    children.append(
                        ctx.ChildService(
                            attr=attr,
                            cls=cls,
                            import_both=self.layout.import_from(module, [f"Async{cls}", cls], 4),
                            import_sync=self.layout.import_from(module, [cls], 8),
                            import_async=self.layout.import_from(module, [f"Async{cls}"], 8),
                        )
                    )
            operations = tuple(self.operation_item(op, imp) for op in ops)
            imp.need("typing", "Any")
            module_ctx = ctx.ServiceModule(
                cls=class_of(group),
                group=".".join(group),
                operations=operations,
                children=tuple(children),
                stdlib_imports=self._imports(_stdlib_lines(imp)),
                model_imports=self._imports(_symbol_lines(imp, self.where, "..models.", set())),
                helpers=self._helpers(imp),
                deprecated=any(o.deprecated for o in operations),
                paginated=any(o.pagination for o in operations),
            )
            out.append(OutputFile(f"services/{module_of(group)}.py", "service_module.py.jinja", module_ctx))
        return out

    def _callable(self, ty: t.Type | None, imp: Imports) -> str:
        if ty is None:
            return "_rt.ignore"
        if isinstance(ty, t.ModelRef):
            imp.symbols.add(ty.name)
            return f"{ty.name}.from_dict"
        if is_identity(ty):
            return "_rt.identity"
        return f"lambda v: {decode(ty, 'v', imp, 1)}"

    def operation_item(self, op: m.Operation, imp: Imports) -> ctx.OperationItem:
        line = self.layout.line
        ok = next((r for r in op.responses if r.status.startswith("2")), None)
        kind, ret, dec = "empty", "None", "_rt.ignore"
        if ok is not None and ok.content_type is not None and ok.type is not None:
            ctype = ok.content_type
            if ctype.startswith("application/json") or ctype.endswith("+json"):
                kind, ret, dec = "json", annotation(ok.type, imp), self._callable(ok.type, imp)
            elif ctype.startswith("text/"):
                kind, ret, dec = "text", "str", "_rt.identity"
            else:
                kind, ret, dec = "bytes", "bytes", "_rt.identity"
        errors = []
        raises = []
        for r in op.responses:
            if r.status.startswith("2"):
                continue
            key = int(r.status) if r.status.isdigit() else r.status.lower()
            if r.type is not None and r.content_type and "json" in r.content_type:
                errors.append((literal(key), self._callable(r.type, imp)))
            raises.append((error_class_name(r.status), (r.description or "").strip()))
        params = []
        path_args: list[_Arg] = []
        keyword_args: list[_Arg] = []
        query: list[tuple[str, str]] = []
        headers: list[tuple[str, str]] = []
        cookies: list[tuple[str, str]] = []
        for p in op.parameters:
            ann = request_annotation(p.type, imp)
            if p.location == "path":
                if is_uuid(p.type):  # a path takes the id as text too
                    ann = f"{ann} | str"
                path_args.append(_Arg(p.name, ann))
            elif p.required:
                keyword_args.append(_Arg(p.name, ann))
            else:
                keyword_args.append(_Arg(p.name, ann if isinstance(p.type, t.Nullable) else f"{ann} | None", "None"))
            if p.location != "path":
                {"query": query, "header": headers, "cookie": cookies}[p.location].append((literal(p.json_name), p.name))
            params.append(p)
        body_arg: _Arg | None = None
        body_kind: str | None = None
        body_expr: str | None = None
        if op.body is not None:
            b_ann = annotation(op.body.type, imp)
            body_kind = "form" if "x-www-form-urlencoded" in op.body.content_type else "json"
            enc = encode(op.body.type, "body", imp)
            if isinstance(op.body.type, t.ModelRef):  # a wrong value inside: TypeError naming it
                enc = f"_rt.request_json(body, {op.body.type.name})"
            if op.body.required:
                body_arg = _Arg("body", b_ann)
                body_expr = enc
            else:
                body_arg = _Arg("body", f"{b_ann} | None", "None")
                absent = "None" if body_kind == "form" else "_rt.UNSET"  # what `request` takes for "no body"
                body_expr = f"{absent} if body is None else {enc}"
        positional = path_args + ([body_arg] if body_arg and body_arg.default is None else [])
        keyword = ([body_arg] if body_arg and body_arg.default is not None else []) + sorted(
            keyword_args, key=lambda a: a.default is not None
        )

        def argument(a: _Arg) -> ctx.Argument:
            default = f" = {a.default}" if a.default else ""
            return ctx.Argument(a.name, line(f"{a.name}: {a.annotation}{default},", 8, "param"))

        path = _path_expr(op.path, {p.json_name: p.name for p in op.parameters if p.location == "path"})
        pagination = None
        if op.pagination is not None:
            item_ann = annotation(op.pagination.item_type, imp)
            start, advance = _page_steps(op.pagination)
            pagination = ctx.Pagination(
                name=f"iter_{op.name}",
                page_param=op.pagination.page_param,
                items=op.pagination.items_field,
                max_page=".".join(op.pagination.max_page_path),
                item_annotation=item_ann,
                forward=tuple(a.name for a in positional + keyword if a.name != op.pagination.page_param),
                start=start,
                advance=advance,
            )
            imp.need("collections.abc", "Iterator")
            imp.need("collections.abc", "AsyncIterator")
        return ctx.OperationItem(
            name=op.name,
            method=literal(op.method),
            positional=tuple(argument(a) for a in positional),
            keyword=tuple(argument(a) for a in keyword),
            headers=tuple(headers),
            cookies=tuple(cookies),
            response_kind=kind,
            returns=ret,
            deprecated=op.deprecated,
            pagination=pagination,
            summary=(op.summary or "").strip(),
            description=(op.description or "").strip(),
            args=tuple((p.name, (p.description or "").strip()) for p in params)
            + ((("body", (op.body.description or "The request body.").strip()),) if op.body else ()),
            raises=tuple(raises),
            label=f"{op.method} {op.path}",
            path_line=line(f"{path},", 12),
            decode_line=line(f"decode={dec},", 12),
            body_line=line(f"{body_kind}={body_expr},", 12) if body_kind else None,
            error_lines=tuple(line(f"{key}: {fn},", 16) for key, fn in errors),
            query_lines=tuple(line(f"{key}: {name},", 16) for key, name in query),
        )

    # -- long lines, split the way black prints them (see emit/layout.py) -------------

    def _imports(self, lines: list[str]) -> tuple[str, ...]:
        out = []
        for line in lines:
            module, sep, names = line.removeprefix("from ").partition(" import ")
            out.append(self.layout.import_from(module, names.split(", ")) if line.startswith("from ") and sep else line)
        return tuple(out)

    def _helpers(self, imp: Imports) -> tuple[str, ...]:
        """Module-level helpers (codec.union_decoder), one simple statement per line."""
        out = []
        for helper in imp.helpers:
            lines = []
            for line in helper.split("\n"):
                text = line.lstrip(" ")
                indent = len(line) - len(text)
                kind = "def" if text.startswith("def ") else "if" if text.startswith("if ") else "stmt"
                lines.append(" " * indent + self.layout.line(text, indent, kind))
            out.append("\n".join(lines))
        return tuple(out)

    # -- the package ----------------------------------------------------------------

    def client_file(self) -> OutputFile:
        groups = self._groups()
        top = [g for g in groups if len(g) == 1]
        default = self.options.default_server or (self.api.servers[0].name if self.api.servers else None)
        bearer = [s for s in self.api.security_schemes if s.kind in ("bearer", "oauth2", "openidconnect")]
        client = ctx.ClientModule(
            title=self.api.title,
            servers=tuple((literal(s.name), literal(s.url)) for s in self.api.servers),
            default_server=literal(default) if default else "None",
            token_env=literal(self.options.token_env) if self.options.token_env else "None",
            groups=tuple(
                ctx.ClientGroup(
                    attr=g[0],
                    module=module_of(g),
                    cls=class_of(g),
                    import_line=self.layout.import_from(f".services.{module_of(g)}", [f"Async{class_of(g)}", class_of(g)], 4),
                )
                for g in top
            ),
            timeout=literal(float(self.options.timeout)),
            client_doc=self._client_doc(default, bearer[0].description if bearer else None),
            # a header value is ASCII text: any other character in the version becomes `?`;
            # the runtime appends ` python/X.Y httpx/V`
            user_agent=literal(re.sub(r"[^ -~]", "?", self._user_agent())),
            variables=tuple(
                ctx.ServerVariableArg(
                    name=v.name,
                    placeholder=literal("{" + v.json_name + "}"),
                    annotation=f"Literal[{', '.join(literal(x) for x in v.values)}]" if v.values else "str",
                    default=literal(v.default),
                    safe=literal("-._~" if v.in_host else "-._~/"),
                )
                for v in self.api.server_variables
            ),
        )
        return OutputFile("client.py", "client.py.jinja", client)

    def _user_agent(self) -> str:
        """`<distribution>/<version>` of a publishable project, else `<package>/<API version>`."""
        if self.options.distribution is not None:
            return f"{self.options.distribution}/{self.options.distribution_version or ''}"
        return f"{self.options.package}/{self.api.version}"

    def _client_doc(self, default: str | None, token_doc: str | None) -> str:
        lines = [f"{self.api.title} {self.api.version}".strip() + "."]
        if self.api.description:
            lines += ["", self.api.description.strip()]
        env = self.options.token_env
        lines += ["", "Args:"]
        lines.append(
            "    token: bearer token sent as `Authorization: Bearer ...`"
            + (f"; defaults to the `{env}` environment variable." if env else ".")
            + (f" {token_doc.strip()}" if token_doc else "")
        )
        names = ", ".join(f"`{s.name}` ({s.url})" for s in self.api.servers)
        lines.append(f"    server: one of {names}; default `{default}`." if names else "    server: unused.")
        lines.append("    base_url: overrides `server` (a proxy or a mock server).")
        lines.append(
            f"    timeout: seconds (or an `httpx.Timeout`); default {self.options.timeout}, or"
            " the timeout of `http_client` when one is given."
        )
        lines.append("    http_client: your own httpx client (e.g. with `httpx.MockTransport` in tests).")
        lines.append(
            "    retries: opt-in retries on 429/502/503/504 and connection errors"
            " (POST/PATCH only when the server cannot have acted on the request)."
        )
        lines.append("    token_env: the environment variable read when `token` is None.")
        lines.append("    headers: extra headers sent with every request.")
        for v in self.api.server_variables:
            choices = f"one of {', '.join(f'`{x}`' for x in v.values)}; " if v.values else ""
            about = f" {v.description.strip()}" if v.description else ""
            lines.append(f"    {v.name}: the server URLs' `{{{v.json_name}}}`: {choices}default `{v.default}`.{about}")
        return "\n".join(lines)

    def webhooks_file(self) -> OutputFile | None:
        """`parse_webhook(body)`: a delivered event decoded into its payload model."""
        union = self.api.webhook_payload
        if union is None:
            return None
        imp = Imports(self.schemas)
        imp.need("typing", "Any")
        imp.need("typing", "TypeAlias")
        decoder = decode(union, "data", imp)
        doc = "\n".join(
            ["Webhook payloads: `parse_webhook(body)` turns a delivered event into its model.", "", "Events:"]
            + [f"    {literal(w.event)} -> {annotation(w.type, imp)}" for w in self.api.webhooks]
        )
        ann = annotation(union, imp)
        webhooks = ctx.WebhooksModule(
            doc=doc,
            annotation=ann,
            decode=decoder,
            stdlib_imports=self._imports(_stdlib_lines(imp)),
            model_imports=self._imports(_symbol_lines(imp, self.where, ".models.", set())),
            helpers=self._helpers(imp),
        )
        return OutputFile("webhooks.py", "webhooks.py.jinja", webhooks)

    def files(self) -> list[OutputFile]:
        out = [OutputFile(name, None) for name in RUNTIME_FILES]
        out.append(OutputFile("__init__.py", "package_init.py.jinja", ctx.PackageInit(self.api.title, literal(self.api.version))))
        out.append(self.client_file())
        out.extend(self.model_files())
        out.extend(self.service_files())
        webhooks = self.webhooks_file()
        if webhooks is not None:
            out.append(webhooks)
        options = self.options
        out.extend(
            DocsBuilder(
                self.api,
                options.package,
                token_env=options.token_env,
                line_length=options.line_length,
                distribution=options.distribution,
            ).files()
        )
        return sorted(out, key=lambda f: f.path)


def _page_steps(pg: m.Pagination) -> tuple[str, str | None]:
    """(first value of the stepped parameter, the `advance(value, page, items)` lambda);
    no lambda for page numbers up to a max page (`_rt.iterate_pages`)."""
    param = pg.page_param
    match pg.kind:
        case "page":
            if pg.max_page_path:
                return f"{param} or 1", None
            return f"{param} or 1", "lambda n, r, b: n + 1"
        case "offset":
            return f"{param} or 0", "lambda n, r, b: n + len(b)"
        case "cursor":
            if pg.next_path:
                return param, f"lambda c, r, b: r.{'.'.join(pg.next_path)}"
            more = ".".join(pg.has_more_path)
            return param, f"lambda c, r, b: str(b[-1].{pg.cursor_item_field}) if r.{more} is True else None"
        case other:
            assert_never(other)


def module_of(group: tuple[str, ...]) -> str:
    return "__".join(group)


def class_of(group: tuple[str, ...]) -> str:
    from ..naming import pascal

    return "".join(pascal(g) for g in group) + "Service"


# Characters a path may carry as they are (RFC 3986 pchar and `/`), `%` for text the spec
# already percent-encoded; anything else (`?`, `#`, spaces, quotes, non-ASCII) is encoded,
# so the request goes to the path the spec names and never gains a query or fragment.
_PATH_SAFE = "/!$&'()*+,;=:@-._~%"


def _path_expr(path: str, names: dict[str, str]) -> str:
    """`/v1/customers/{id}` -> `"/v1/customers/" + _rt.path_param(id)` (no format strings)."""
    parts: list[str] = []
    rest = path
    while "{" in rest:
        start = rest.index("{")
        end = rest.index("}", start)
        if rest[:start]:
            parts.append(literal(quote(rest[:start], safe=_PATH_SAFE)))
        parts.append(f"_rt.path_param({names[rest[start + 1 : end]]})")
        rest = rest[end + 1 :]
    if rest:
        parts.append(literal(quote(rest, safe=_PATH_SAFE)))
    return " + ".join(parts) or literal("")
