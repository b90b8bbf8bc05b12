"""IR -> template contexts for a Python client package.

Everything a template prints that is not spec text is decided here: class and module
names, annotations, codec expressions, import lines. Spec text (descriptions, summaries)
travels as plain strings and is escaped by the render filters, never pasted into code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..ir import model as m
from ..ir import types as t
from ..naming import literal
from . import describe
from .codec import Imports, Schemas, annotation, decode, encode, is_identity
from .forgiving import request_annotation
from ..render import pystr
from .layout import Layout
from .plan import plan_models

RUNTIME_FILES = ("_inputs.py", "_raw.py", "_runtime.py", "errors.py", "py.typed")
# Names annotations use that a field or method may redefine in its class body.
SHADOWABLE = frozenset({"list", "dict", "tuple", "str", "int", "float", "bool", "bytes", "date", "datetime"})


@dataclass
class OutputFile:
    path: str  # posix path inside the package
    template: str | None  # a Jinja template, or None for a verbatim runtime file
    context: dict[str, Any] = field(default_factory=dict)


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
    by_module: dict[str, set[str]] = {}
    for name in imp.symbols - exclude:
        module = where.get(name) or where[name.removeprefix("decode_")]
        if name.removeprefix("decode_") in exclude:
            continue
        by_module.setdefault(module, set()).add(name)
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
        self.schemas = Schemas(self.models, self.enums, self.aliases)
        self.layout = Layout(options.line_length)

    # -- models ---------------------------------------------------------------------

    def model_context(self, model: m.Model, imp: Imports) -> dict[str, Any]:
        fields: list[dict[str, Any]] = []
        decodes: list[tuple[str, str]] = []
        required: list[tuple[str, str]] = []
        optional: list[tuple[str | None, str, str]] = []
        for f in model.fields:
            ann = request_annotation(f.type, imp) if model.in_requests else annotation(f.type, imp)
            key = literal(f.json_name)
            if isinstance(f.type, t.Const):
                # A constant (often a discriminator): defaulted, always sent, tolerated missing.
                const = literal(f.type.value)
                fields.append({"name": f.name, "annotation": ann, "default": const})
                decodes.append((f.name, f"d.get({key}, {const})"))
                if optional:
                    optional.append((None, key, f"self.{f.name}"))
                else:
                    required.append((key, f"self.{f.name}"))
                continue
            if f.required:
                fields.append({"name": f.name, "annotation": ann, "default": None})
                decodes.append((f.name, decode(f.type, f"d[{key}]", imp)))
                expr = encode(f.type, f"self.{f.name}", imp)
                if optional:  # keep spec order: after an optional field, assign in turn
                    optional.append((None, key, expr))
                else:
                    required.append((key, expr))
            else:
                fields.append({"name": f.name, "annotation": f"{ann} | _rt.Unset", "default": "_rt.UNSET"})
                value = decode(f.type, f"d[{key}]", imp)
                if value == f"d[{key}]":  # plain JSON: one lookup with a default
                    decodes.append((f.name, f"d.get({key}, _rt.UNSET)"))
                else:
                    if " if " in value:  # a conditional inside a conditional needs parentheses
                        value = f"({value})"
                    decodes.append((f.name, f"{value} if {key} in d else _rt.UNSET"))
                optional.append((f.name, key, encode(f.type, f"self.{f.name}", imp)))
        extra = None
        if model.additional is not None and model.additional_name is not None:
            # Imported as `_field`: a property named `field` (or `_`) is a class attribute
            # called `field` that the default below would otherwise call. Field names never
            # start with an underscore; builtins a field shadows are spelt `builtins.X`.
            imp.need("dataclasses", "field as _field")
            dict_ann = annotation(t.Map(model.additional), imp)
            factory = dict_ann.partition("[")[0]  # `dict`, or `builtins.dict` when a field is named `dict`
            fields.append({"name": model.additional_name, "annotation": dict_ann, "default": f"_field(default_factory={factory})"})
            decodes.append(
                (
                    model.additional_name,
                    f"{{k: {decode(model.additional, 'v', imp, 1)} for k, v in d.items() if k not in _KNOWN_{model.name}}}",
                )
            )
            extra = {
                "name": model.additional_name,
                "known": "frozenset({" + ", ".join(literal(f.json_name) for f in model.fields) + "})",
                "encode": encode(model.additional, "v", imp, 1),
            }
        elif model.unknown_name is not None:
            # keys the spec does not declare, kept apart and written back (not compared)
            imp.need("dataclasses", "field as _field")
            dict_ann = annotation(t.Map(t.AnyType()), imp)
            factory = dict_ann.partition("[")[0]
            fields.append(
                {
                    "name": model.unknown_name,
                    "annotation": dict_ann,
                    "default": f"_field(default_factory={factory}, compare=False, repr=False)",
                }
            )
            decodes.append((model.unknown_name, f"_rt.unknown_keys(d, _KNOWN_{model.name})"))
            extra = {
                "name": model.unknown_name,
                "known": "frozenset({" + ", ".join(literal(f.json_name) for f in model.fields) + "})",
                "encode": "v",
            }
        doc = (model.description or model.title or model.name).strip()
        if model.deprecated:
            doc = "Deprecated. " + doc
        return {
            "kind": "model",
            "name": model.name,
            "doc": doc,
            "attributes": [(f.name, field_doc(f)) for f in model.fields],
            "fields": fields,
            "decodes": decodes,
            "required": required,
            "optional": optional,
            "extra": extra,
            # the method signatures are read in the class body too, where fields named
            # `str` or `dict` shadow the builtins
            "mapping_type": f"Mapping[{annotation(t.Primitive('str'), imp)}, Any]",
            "json_object_type": annotation(t.Map(t.AnyType()), imp),
        }

    def enum_context(self, enum: m.Enum) -> dict[str, Any]:
        return {
            "kind": "enum",
            "name": enum.name,
            "base": "_rt.OpenStrEnum" if enum.kind == "str" else "_rt.OpenIntEnum",
            "doc": (enum.description or enum.name).strip()
            + "\n\nOpen: a value the server adds later is kept (`is_known` is False), never an error.",
            "members": [(mem.name, literal(mem.value)) for mem in enum.members],
        }

    def alias_context(self, alias: m.Alias, imp: Imports) -> dict[str, Any]:
        imp.need("typing", "Any")
        imp.need("typing", "TypeAlias")
        return {
            "kind": "alias",
            "name": alias.name,
            "annotation": annotation(alias.type, imp),
            "doc": (alias.description or alias.name).strip(),
            "decode": decode(alias.type, "value", imp),
        }

    def model_files(self) -> list[OutputFile]:
        out = []
        for plan in self.module_plans:
            fields = {f.name for name in plan.names if name in self.models for f in self.models[name].fields}
            imp = Imports(self.schemas, shadowed=frozenset(fields) & SHADOWABLE)
            items = []
            for name in plan.names:
                if name in self.models:
                    items.append(self.model_context(self.models[name], imp))
                elif name in self.enums:
                    items.append(self.enum_context(self.enums[name]))
                else:
                    items.append(self.alias_context(self.aliases[name], imp))
            for item in items:
                self._lay_out_item(item)
            if any(i["kind"] == "model" for i in items):
                imp.need("collections.abc", "Mapping")
                imp.need("typing", "Any")
                imp.need("dataclasses", "dataclass")
            out.append(
                OutputFile(
                    f"models/{plan.module}.py",
                    "model_module.py.jinja",
                    {
                        "items": items,
                        "stdlib_imports": self._imports(_stdlib_lines(imp)),
                        "local_imports": self._imports(_symbol_lines(imp, self.where, ".", set(plan.names))),
                        "helpers": self._helpers(imp),
                    },
                )
            )
        exports = sorted(self.where.items(), key=lambda kv: kv[0].lower())
        import_lines = [self.layout.import_from(f".{module}", [f"{name} as {name}"], 4) for name, module in exports]
        out.append(OutputFile("models/__init__.py", "models_init.py.jinja", {"exports": exports, "import_lines": import_lines}))
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
        out = [OutputFile("services/__init__.py", "services_init.py.jinja", {})]
        for group, ops in groups.items():
            imp = Imports(self.schemas, shadowed=frozenset(op.name for op in ops) & SHADOWABLE)
            taken = {op.name for op in ops} | {"with_raw_response"}
            children = []
            for child in groups:
                if len(child) == len(group) + 1 and child[: len(group)] == group:
                    attr = child[-1] if child[-1] not in taken else f"{child[-1]}_group"
                    children.append({"attr": attr, "module": module_of(child), "cls": class_of(child)})
                    self._lay_out_child(children[-1])
            operations = [self.operation_context(op, imp) for op in ops]
            for operation in operations:
                self._lay_out_operation(operation)
            imp.need("typing", "Any")
            out.append(
                OutputFile(
                    f"services/{module_of(group)}.py",
                    "service_module.py.jinja",
                    {
                        "cls": class_of(group),
                        "group": ".".join(group),
                        "operations": operations,
                        "children": children,
                        "stdlib_imports": self._imports(_stdlib_lines(imp)),
                        "model_imports": self._imports(_symbol_lines(imp, self.where, "..models.", set())),
                        "helpers": self._helpers(imp),
                        "deprecated": any(o["deprecated"] for o in operations),
                        "paginated": any(o["pagination"] for o in operations),
                    },
                )
            )
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

    def operation_context(self, op: m.Operation, imp: Imports) -> dict[str, Any]:
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
        path_args, keyword_args = [], []
        query: list[tuple[str, str]] = []
        headers: list[tuple[str, str]] = []
        cookies: list[tuple[str, str]] = []
        for p in op.parameters:
            ann = request_annotation(p.type, imp)
            if p.location == "path":
                if "UUID" in ann:
                    ann = f"{ann} | str"
                path_args.append({"name": p.name, "annotation": ann, "default": None})
            else:
                entry = {"name": p.name, "annotation": ann, "default": None}
                if not p.required:
                    entry["annotation"] = ann if ann.endswith("| None") else f"{ann} | None"
                    entry["default"] = "None"
                keyword_args.append(entry)
                {"query": query, "header": headers, "cookie": cookies}[p.location].append((literal(p.json_name), p.name))
            params.append(p)
        body_arg, body_kind, body_expr = None, None, None
        if op.body is not None:
            b_ann = annotation(op.body.type, imp)
            body_kind = "form" if "x-www-form-urlencoded" in op.body.content_type else "json"
            enc = encode(op.body.type, "body", imp)
            if isinstance(op.body.type, t.ModelRef):  # a wrong value inside: TypeError naming it
                enc = f"_rt.request_json(body, {op.body.type.name})"
            if op.body.required:
                body_arg = {"name": "body", "annotation": b_ann, "default": None}
                body_expr = enc
            else:
                body_arg = {"name": "body", "annotation": f"{b_ann} | None", "default": "None"}
                absent = "None" if body_kind == "form" else "_rt.UNSET"  # what `request` takes for "no body"
                body_expr = f"{absent} if body is None else {enc}"
        positional = path_args + ([body_arg] if body_arg and body_arg["default"] is None else [])
        keyword = ([body_arg] if body_arg and body_arg["default"] is not None else []) + sorted(
            keyword_args, key=lambda a: a["default"] is not None
        )
        pagination = None
        if op.pagination is not None:
            item_ann = annotation(op.pagination.item_type, imp)
            pagination = {
                "name": f"iter_{op.name}",
                "page_param": op.pagination.page_param,
                "items": op.pagination.items_field,
                "max_page": ".".join(op.pagination.max_page_path),
                "item_annotation": item_ann,
                "forward": [a["name"] for a in positional + keyword if a["name"] != op.pagination.page_param],
            }
            imp.need("collections.abc", "Iterator")
            imp.need("collections.abc", "AsyncIterator")
        return {
            "name": op.name,
            "method": literal(op.method),
            "path": _path_expr(op.path, {p.json_name: p.name for p in op.parameters if p.location == "path"}),
            "positional": positional,
            "keyword": keyword,
            "query": query,
            "headers": headers,
            "cookies": cookies,
            "body_kind": body_kind,
            "body_expr": body_expr,
            "response_kind": kind,
            "returns": ret,
            "decode": dec,
            "errors": errors,
            "deprecated": op.deprecated,
            "pagination": pagination,
            "summary": (op.summary or "").strip(),
            "description": (op.description or "").strip(),
            "args": [(p.name, (p.description or "").strip()) for p in params]
            + ([("body", (op.body.description or "The request body.").strip())] if op.body else []),
            "raises": raises,
            "label": f"{op.method} {op.path}",
        }

    # -- long lines, split the way black prints them (see emit/layout.py) -------------

    def _imports(self, lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            module, sep, names = line.removeprefix("from ").partition(" import ")
            out.append(self.layout.import_from(module, names.split(", ")) if line.startswith("from ") and sep else line)
        return out

    def _helpers(self, imp: Imports) -> list[str]:
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
        return out

    def _lay_out_item(self, item: dict[str, Any]) -> None:
        """Each printed line of a model, enum or alias (model_module.py.jinja)."""
        line, name = self.layout.line, item["name"]
        if item["kind"] == "alias":
            item["alias_line"] = line(f"{name}: TypeAlias = {pystr(item['annotation'])}", 0, "stmt")
            item["decode_def"] = line(f"def decode_{name}(value: Any) -> {name}:", 0, "def")
            item["decode_line"] = line(f"result: {name} = {item['decode']}", 4, "stmt")
        if item["kind"] == "enum":
            item["class_line"] = line(f"class {name}({item['base']}):", 0, "class")
            item["member_lines"] = [line(f"{member} = {value}", 4, "stmt") for member, value in item["members"]]
        if item["kind"] != "model":
            return
        for f in item["fields"]:
            default = f" = {f['default']}" if f["default"] else ""
            f["line"] = line(f"{f['name']}: {f['annotation']}{default}", 4, "stmt")
        item["from_dict_def"] = line(f"def from_dict(cls, d: {item['mapping_type']}) -> {name}:", 4, "def")
        item["to_dict_def"] = line(f"def to_dict(self) -> {item['json_object_type']}:", 4, "def")
        item["decode_lines"] = [line(f"{attr}={expr},", 12) for attr, expr in item["decodes"]]
        item["required_lines"] = [line(f"{key}: {expr},", 12) for key, expr in item["required"]]
        item["optional_lines"] = [
            (attr, line(f"d[{key}] = {expr}", 12 if attr else 8, "stmt")) for attr, key, expr in item["optional"]
        ]
        if item["extra"]:
            extra = item["extra"]
            extra["encode_line"] = line(f"d[k] = {extra['encode']}", 16, "stmt")
            extra["known_line"] = line(f"_KNOWN_{name} = {extra['known']}", 0, "stmt")

    def _lay_out_operation(self, op: dict[str, Any]) -> None:
        """The printed lines of one operation (service_module.py.jinja)."""
        line = self.layout.line
        for arg in op["positional"] + op["keyword"]:
            default = f" = {arg['default']}" if arg["default"] else ""
            arg["line"] = line(f"{arg['name']}: {arg['annotation']}{default},", 8, "param")
        op["path_line"] = line(f"{op['path']},", 12)
        op["decode_line"] = line(f"decode={op['decode']},", 12)
        op["body_line"] = line(f"{op['body_kind']}={op['body_expr']},", 12) if op["body_kind"] else None
        op["error_lines"] = [line(f"{key}: {fn},", 16) for key, fn in op["errors"]]
        op["query_lines"] = [line(f"{key}: {name},", 16) for key, name in op["query"]]

    def _lay_out_child(self, child: dict[str, Any]) -> None:
        module, cls = f".{child['module']}", child["cls"]
        child["import_both"] = self.layout.import_from(module, [f"Async{cls}", cls], 4)
        child["import_sync"] = self.layout.import_from(module, [cls], 8)
        child["import_async"] = self.layout.import_from(module, [f"Async{cls}"], 8)

    # -- the package ----------------------------------------------------------------

    def client_file(self) -> OutputFile:
        groups = self._groups()
        top = [g for g in groups if len(g) == 1]
        servers = [(literal(s.name), literal(s.url)) for s in self.api.servers]
        default = self.options.default_server or (self.api.servers[0].name if self.api.servers else None)
        bearer = [s for s in self.api.security_schemes if s.kind in ("bearer", "oauth2", "openidconnect")]
        return OutputFile(
            "client.py",
            "client.py.jinja",
            {
                "title": self.api.title,
                "description": (self.api.description or "").strip(),
                "servers": servers,
                "server_docs": [(s.name, s.url, s.description or "") for s in self.api.servers],
                "default_server": literal(default) if default else "None",
                "token_env": literal(self.options.token_env) if self.options.token_env else "None",
                "token_env_name": self.options.token_env,
                "token_doc": bearer[0].description if bearer else None,
                "groups": [
                    {
                        "attr": g[0],
                        "module": module_of(g),
                        "cls": class_of(g),
                        "import_line": self.layout.import_from(
                            f".services.{module_of(g)}", [f"Async{class_of(g)}", class_of(g)], 4
                        ),
                    }
                    for g in top
                ],
                "timeout": literal(float(self.options.timeout)),
                "client_doc": self._client_doc(default, bearer[0].description if bearer else None),
                # a header value is ASCII text: any other character in the version becomes `?`;
                # the runtime appends ` python/X.Y httpx/V`
                "user_agent": literal(re.sub(r"[^ -~]", "?", self._user_agent())),
            },
        )

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
        return "\n".join(lines)

    def webhooks_file(self) -> OutputFile | None:
        """`parse_webhook(body)`: a delivered event decoded into its payload model."""
        if not self.api.webhooks:
            return None
        imp = Imports(self.schemas)
        imp.need("typing", "Any")
        imp.need("typing", "TypeAlias")
        union = t.Union(tuple(dict.fromkeys(w.type for w in self.api.webhooks)))
        decoder = decode(union, "data", imp)
        return OutputFile(
            "webhooks.py",
            "webhooks.py.jinja",
            {
                "doc": "\n".join(
                    ["Webhook payloads: `parse_webhook(body)` turns a delivered event into its model.", "", "Events:"]
                    + [f"    {literal(w.event)} -> {annotation(w.type, imp)}" for w in self.api.webhooks]
                ),
                "annotation": annotation(union, imp),
                "decode": decoder,
                "stdlib_imports": self._imports(_stdlib_lines(imp)),
                "model_imports": self._imports(_symbol_lines(imp, self.where, ".models.", set())),
                "helpers": self._helpers(imp),
            },
        )

    def files(self) -> list[OutputFile]:
        out = [OutputFile(name, None) for name in RUNTIME_FILES]
        out.append(
            OutputFile(
                "__init__.py",
                "package_init.py.jinja",
                {"title": self.api.title, "version": literal(self.api.version), "package": self.options.package},
            )
        )
        out.append(self.client_file())
        out.extend(self.model_files())
        out.extend(self.service_files())
        webhooks = self.webhooks_file()
        if webhooks is not None:
            out.append(webhooks)
        from .docs import docs_files  # docs.py imports this module: import at call time

        out.extend(docs_files(self))
        return sorted(out, key=lambda f: f.path)


def module_of(group: tuple[str, ...]) -> str:
    return "__".join(group)


def class_of(group: tuple[str, ...]) -> str:
    from ..naming import pascal

    return "".join(pascal(g) for g in group) + "Service"


_ERROR_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}


def error_class_name(status: str) -> str:
    """The exception a status raises; must agree with the runtime's errors.error_class_for."""
    if status.isdigit():
        code = int(status)
        if code >= 500:
            return "InternalServerError"
        return _ERROR_CLASSES.get(code, "APIError")
    if status.upper() == "5XX":
        return "InternalServerError"
    return "APIError"


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
