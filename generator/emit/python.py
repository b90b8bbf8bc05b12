"""IR -> template contexts for a Python client package.

Everything a template prints that is not spec text is decided here: class and module
names, annotations, codec expressions, import lines. Spec text (descriptions, summaries)
travels as plain strings and is escaped by the render filters, never pasted into code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, assert_never
from urllib.parse import quote

from ..ir import model as m
from ..ir import types as t
from ..naming import literal
from . import describe
from .codec import Imports, Schemas, annotation, decode, encode, is_identity
from ..render import pystr
from .layout import Layout
from .plan import plan_models

RUNTIME_FILES = ("_runtime.py", "_wire.py", "errors.py", "py.typed")
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
            ann = annotation(f.type, imp)
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
            taken = {op.name for op in ops}
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
                        "uses_wire": any(o["uses_wire"] for o in operations),
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
        query: list[str] = []
        headers: list[tuple[str, str]] = []
        cookies: list[str] = []
        for p in op.parameters:
            ann = annotation(p.type, imp)
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
                wire = param_expr(p, self._is_scalar(p.type))
                if p.location == "query":
                    query.append(wire)
                elif p.location == "header":
                    headers.append((literal(p.json_name), wire))
                else:
                    cookies.append(wire)
            params.append(p)
        body_arg, body_expr, choice_arg = None, None, None
        if op.body is not None:
            body_arg, body_expr, choice_arg = self._body(op.body, imp)
        positional = path_args + ([body_arg] if body_arg and body_arg["default"] is None else [])
        keyword = (
            ([body_arg] if body_arg and body_arg["default"] is not None else [])
            + ([choice_arg] if choice_arg else [])
            + sorted(keyword_args, key=lambda a: a["default"] is not None)
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
            "path": _path_expr(
                op.path, {p.json_name: param_expr(p, self._is_scalar(p.type)) for p in op.parameters if p.location == "path"}
            ),
            "positional": positional,
            "keyword": keyword,
            "query": query,
            "headers": headers,
            "cookies": cookies,
            "body_expr": body_expr,
            "response_kind": kind,
            "returns": ret,
            "decode": dec,
            "errors": errors,
            "deprecated": op.deprecated,
            "pagination": pagination,
            "uses_wire": uses_wire(op, self._is_scalar),
            "summary": (op.summary or "").strip(),
            "description": (op.description or "").strip(),
            "args": [(p.name, " ".join(x for x in [(p.description or "").strip(), wire_doc(p)] if x)) for p in params]
            + ([("body", body_doc(op.body))] if op.body else [])
            + ([("content_type", content_type_doc(op.body))] if choice_arg and op.body else []),
            "raises": raises,
            "label": f"{op.method} {op.path}",
        }

    def _is_scalar(self, ty: t.Type) -> bool:
        """A value written as one piece of text (no style rule applies to it)."""
        match ty:
            case t.Nullable(inner):
                return self._is_scalar(inner)
            case t.Primitive() | t.Const() | t.StringOnly() | t.EnumRef():
                return True
            case t.AliasRef(name):
                return name in self.aliases and self._is_scalar(self.aliases[name].type)
            case t.Union(variants):
                return all(self._is_scalar(v) for v in variants)
            case t.Array() | t.Tuple() | t.Map() | t.ModelRef() | t.AnyType():
                return False
            case _:
                assert_never(ty)

    def _body_media(self, media: m.BodyMedia, imp: Imports, several: bool) -> tuple[str, str]:
        """(annotation, expression turning `body` into a `_w.RequestBody`) for one media type."""
        ctype = literal(media.content_type)
        enc = media.encoding
        match enc:
            case m.JsonBody():
                # with several media the argument is a union: encode by the value's run-time type
                data = "_rt.to_json(body)" if several else encode(media.type, "body", imp)
                if media.content_type == "application/json" and not several:
                    return annotation(media.type, imp), f"json={data}"  # the transport's own JSON path
                args = data if media.content_type == "application/json" else f"{data}, {ctype}"
                return annotation(media.type, imp), f"_w.json_body({args})"
            case m.FormBody(fields):
                rules = [r for r in (_form_rule(f) for f in fields) if r is not None]
                if not rules and media.content_type == "application/x-www-form-urlencoded":
                    return annotation(media.type, imp), "_w.form_body(body)"
                tup = "(" + ", ".join(rules) + ("," if len(rules) == 1 else "") + ")"
                return annotation(media.type, imp), f"_w.form_body(body, {tup}, {ctype})"
            case m.MultipartBody(parts):
                attrs = self._attrs(media.type)
                specs = [
                    f"({literal(p.json_name)}, {literal(attrs.get(p.json_name, p.json_name))}, {literal(p.kind)}, "
                    f"{literal(p.content_type)}, {p.repeated})"
                    for p in parts
                ]
                tup = "(" + ", ".join(specs) + ("," if len(specs) == 1 else "") + ")"
                return annotation(media.type, imp), f"_w.multipart_body(body, {tup}, {ctype})"
            case m.BinaryBody():
                return "_w.BinaryContent", f"_w.binary_body(body, {ctype})"
            case m.TextBody(charset):
                extra = "" if charset.lower() == "utf-8" else f", {literal(charset)}"
                return annotation(t.Primitive("str"), imp), f"_w.text_body(body, {ctype}{extra})"
            case m.WildcardBody():
                ann = annotation(media.type, imp)
                ann = "_w.BinaryContent | Any" if ann == "Any" else f"_w.BinaryContent | {ann}"
                return ann, "_w.any_body(body, content_type)"
            case _:
                assert_never(enc)

    def _attrs(self, ty: t.Type) -> dict[str, str]:
        """json name -> Python attribute of a model body (multipart parts read attributes)."""
        while isinstance(ty, t.Nullable):
            ty = ty.inner
        if isinstance(ty, t.ModelRef) and ty.name in self.models:
            return {f.json_name: f.name for f in self.models[ty.name].fields}
        return {}

    def _body(
        self, body: m.Body, imp: Imports
    ) -> tuple[dict[str, Any], str, dict[str, Any] | None]:
        """The `body` argument, the expression encoding it, and the `content_type` choice."""
        several = len(body.media) > 1
        built = [self._body_media(media, imp, several) for media in body.media]
        ann = " | ".join(dict.fromkeys(part for a, _ in built for part in a.split(" | ")))
        if several:
            expr = built[-1][1]
            for media, (_, one) in zip(reversed(body.media[:-1]), reversed(built[:-1])):
                expr = f"{one} if content_type == {literal(media.content_type)} else {expr}"
            imp.need("typing", "Literal")
            choices = ", ".join(literal(media.content_type) for media in body.media)
            choice = {"name": "content_type", "annotation": f"Literal[{choices}]", "default": literal(body.content_type)}
        elif isinstance(body.encoding, m.WildcardBody):
            expr = built[0][1]
            choice = {"name": "content_type", "annotation": "str | None", "default": "None"}
        else:
            expr, choice = built[0][1], None
        if "Any" in ann.split(" | "):
            imp.need("typing", "Any")
        keyword = "body"
        if expr.startswith("json="):  # plain JSON keeps the transport's `json=` argument
            keyword, expr = "json", expr.removeprefix("json=")
        if body.required:
            return {"name": "body", "annotation": ann, "default": None}, f"{keyword}={expr}", choice
        if " if " in expr:
            expr = f"({expr})"
        absent = "_rt.UNSET" if keyword == "json" else "None"  # what `request` takes for "no body"
        return (
            {"name": "body", "annotation": ann if ann.endswith("| None") else f"{ann} | None", "default": "None"},
            f"{keyword}={absent} if body is None else {expr}",
            choice,
        )

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
        op["body_line"] = line(f"{op['body_expr']},", 12) if op["body_expr"] else None
        op["error_lines"] = [line(f"{key}: {fn},", 16) for key, fn in op["errors"]]
        op["query_lines"] = [line(f"{expr},", 16) for expr in op["query"]]
        op["header_lines"] = [line(f"{key}: {expr},", 16) for key, expr in op["headers"]]
        op["cookie_lines"] = [line(f"{expr},", 20) for expr in op["cookies"]]

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
                # a header value is ASCII text: any other character in the version becomes `?`
                "user_agent": literal(
                    re.sub(r"[^ -~]", "?", f"{self.options.package}/{self.api.version} sdkgen/{self.options.generator_version}")
                ),
            },
        )

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
    """`/v1/customers/{id}` -> `"/v1/customers/" + _rt.path_param(id)` (no format strings);
    `names` maps each placeholder to the expression of its serialised value."""
    parts: list[str] = []
    rest = path
    while "{" in rest:
        start = rest.index("{")
        end = rest.index("}", start)
        if rest[:start]:
            parts.append(literal(quote(rest[:start], safe=_PATH_SAFE)))
        parts.append(names[rest[start + 1 : end]])
        rest = rest[end + 1 :]
    if rest:
        parts.append(literal(quote(rest, safe=_PATH_SAFE)))
    return " + ".join(parts) or literal("")


# -- how each request part goes on the wire (the IR decided it; this only spells it) ----


def uses_wire(op: m.Operation, is_scalar: Callable[[t.Type], bool]) -> bool:
    """Whether an operation's request needs the `_w` encoders (read from the IR)."""
    plain_path = all(
        p.location == "path"
        and isinstance(p.serialization, m.StyleSerialization)
        and p.serialization.style == "simple"
        and is_scalar(p.type)
        for p in op.parameters
    )
    plain_body = op.body is None or (len(op.body.media) == 1 and op.body.content_type == "application/json")
    return not (plain_path and plain_body)


def param_expr(p: m.Parameter, scalar: bool) -> str:
    """The expression of a parameter's wire text (`_w` encoders; `_rt.path_param` for a
    plain path value)."""
    name = literal(p.json_name)
    ser = p.serialization
    match ser:
        case m.ContentSerialization(media_type):
            mt = "" if media_type == "application/json" else f", {literal(media_type)}"
            match p.location:
                case "path":
                    return f"_rt.path_param(_w.header_content({p.name}{mt}))"
                case "query":
                    return f"_w.query_content({name}, {p.name}{mt})"
                case "header":
                    return f"_w.header_content({p.name}{mt})"
                case "cookie":
                    return f"_w.cookie_content({name}, {p.name}{mt})"
                case _:
                    assert_never(p.location)
        case m.StyleSerialization(style, explode, allow_reserved):
            match p.location:
                case "path":
                    if style == "simple" and scalar:
                        return f"_rt.path_param({p.name})"
                    return f"_w.path({name}, {p.name}, {literal(style)}, {explode})"
                case "query":
                    args = [name, p.name]
                    if (style, explode, allow_reserved) != ("form", True, False):
                        args += [literal(style), str(explode)]
                    if allow_reserved:
                        args.append("True")
                    return f"_w.query({', '.join(args)})"
                case "header":
                    return f"_w.header({p.name}, True)" if explode else f"_w.header({p.name})"
                case "cookie":
                    return f"_w.cookie({name}, {p.name})" if explode else f"_w.cookie({name}, {p.name}, False)"
                case _:
                    assert_never(p.location)
        case _:
            assert_never(ser)


def _form_rule(f: m.FormField) -> str | None:
    ser = f.serialization
    match ser:
        case m.ContentSerialization(media_type):
            return f"({literal(f.json_name)}, 'json', {literal(media_type)})"
        case m.StyleSerialization(style, explode, allow_reserved):
            if (style, explode, allow_reserved) == ("form", True, False):
                return None
            return f"({literal(f.json_name)}, {literal(style)}, {explode}, {allow_reserved})"
        case _:
            assert_never(ser)


_STYLE_DOC = {
    "simple": "simple style (comma-separated)",
    "label": "label style (`.a.b`)",
    "matrix": "matrix style (`;name=a`)",
    "form": "form style",
    "spaceDelimited": "spaceDelimited style (`name=a%20b`)",
    "pipeDelimited": "pipeDelimited style (`name=a%7Cb`)",
    "deepObject": "deepObject style (`name[key]=value`, arrays `name[0]=a`)",
}


def wire_doc(p: m.Parameter, always: bool = False) -> str:
    """How a parameter is serialised, in words (docstrings: only when not the location's
    default; the docs page: always)."""
    ser = p.serialization
    where = {"path": "in the path", "query": "in the query", "header": "as a header", "cookie": "as a cookie"}[p.location]
    match ser:
        case m.ContentSerialization(media_type):
            return f"Sent {where} as {media_type} text."
        case m.StyleSerialization(style, explode, allow_reserved):
            if (p.location, style) in (("path", "simple"), ("query", "form"), ("header", "simple"), ("cookie", "form")) and (
                explode == (style == "form")
            ) and not allow_reserved and not always:
                return ""  # the default: nothing worth saying in a docstring
            text = f"Sent {where} in {_STYLE_DOC[style]}" + (", exploded" if explode and style != "deepObject" else "")
            return text + (", reserved characters unencoded." if allow_reserved else ".")
        case _:
            assert_never(ser)


def _media_doc(media: m.BodyMedia) -> str:
    enc = media.encoding
    ctype = media.content_type
    match enc:
        case m.JsonBody():
            return f"sent as {ctype}"
        case m.FormBody(fields):
            styled = [
                f"`{f.json_name}` {_STYLE_DOC[f.serialization.style]}"
                + ("" if f.serialization.explode or f.serialization.style == "deepObject" else ", not exploded")
                if isinstance(f.serialization, m.StyleSerialization)
                else f"`{f.json_name}` as {f.serialization.media_type} text"
                for f in fields
                if _form_rule(f) is not None
            ]
            extra = f" ({'; '.join(styled)})" if styled else ""
            return f"sent as {ctype}{extra}; None is sent as an empty value, unset fields are left out"
        case m.MultipartBody(parts):
            files = [p.json_name for p in parts if p.kind == "file"]
            jsons = [p.json_name for p in parts if p.kind == "json"]
            text = f"sent as {ctype}, one part per field"
            if files:
                text += (
                    "; " + ", ".join(f"`{n}`" for n in files)
                    + " accept bytes, a binary file object (streamed, never read whole) or a"
                    " (filename, content, content_type) tuple"
                )
            if jsons:
                text += "; " + ", ".join(f"`{n}`" for n in jsons) + " go as JSON parts"
            if any(p.repeated for p in parts):
                text += "; lists are sent as one part per item"
            return text
        case m.BinaryBody():
            return f"bytes, a binary file object or an iterator of bytes (streamed), sent as {ctype}"
        case m.TextBody(charset):
            return f"text, sent as {ctype} ({charset})"
        case m.WildcardBody():
            return (
                "bytes, a binary file object or an iterator of bytes (sent as `content_type`, default"
                " application/octet-stream), or a JSON-able value (sent as JSON)"
            )
        case _:
            assert_never(enc)


def body_doc(body: m.Body) -> str:
    text = (body.description or "The request body.").strip()
    if len(body.media) == 1 and body.content_type == "application/json":
        return text
    if len(body.media) == 1:
        return f"{text} Wire: {_media_doc(body.media[0])}."
    return text + " Wire, by `content_type`: " + "; ".join(f"{m_.content_type}: {_media_doc(m_)}" for m_ in body.media) + "."


def body_wire_doc(body: m.Body) -> str:
    """The body's wire format for the docs page ("" for a plain JSON body)."""
    if len(body.media) == 1 and body.content_type == "application/json":
        return ""
    if len(body.media) == 1:
        return _media_doc(body.media[0])[0].upper() + _media_doc(body.media[0])[1:] + "."
    choices = "; ".join(f"`{x.content_type}`: {_media_doc(x)}" for x in body.media)
    return f"Pick the media type with `content_type=` (default `{body.content_type}`): {choices}."


def content_type_doc(body: m.Body) -> str:
    if len(body.media) == 1:
        return "the Content-Type of a bytes body (default application/octet-stream); ignored for JSON values."
    return f"which media type the body is sent as (default {body.content_type})."
