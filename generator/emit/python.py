"""IR -> template contexts for a Python client package.

Everything a template prints that is not spec text is decided here: class and module
names, annotations, codec expressions, import lines. Spec text (descriptions, summaries)
travels as plain strings and is escaped by the render filters, never pasted into code.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import assert_never
from urllib.parse import quote

from ..ir import model as m
from ..ir import types as t
from ..ir.kinds import is_scalar
from ..naming import literal, pascal
from ..render import pystr, render
from . import contexts as ctx
from . import describe
from . import security as sec
from .accept import accept_header, answer_accept
from .codec import (
    Imports,
    Schemas,
    annotation,
    builtin_name,
    decode,
    encode,
    has_conditional,
    is_identity,
    is_uuid,
    plain_annotation,
    table_literal,
    table_token,
    table_type,
)
from .docs import DocsBuilder
from .forgiving import request_annotation
from .inputs import InputDigests
from .layout import Layout
from .output import OutputFile, OutputGroup, error_class_name, expand
from .plan import ModulePlan, plan_models, schema_graph
from .samples import Samples
from .wire import (
    body_doc,
    content_type_doc,
    fixed_query_text,
    form_rule,
    param_expr,
    path_spec,
    query_spec,
    sentence,
    uses_wire,
    wire_doc,
)

RUNTIME_FILES = (
    "_auth.py",
    "_codec.py",
    "_inputs.py",
    "_pages.py",
    "_raw.py",
    "_runtime.py",
    "_wire.py",
    "errors.py",
    "py.typed",
    "streaming.py",
)
# Names annotations use that a field or method may redefine in its class body.
# A service module over this many rendered lines (black adds ~2%) is split into part
# modules whose operations render to at most PART_LINES lines, under the 3,000-line cap
# the README promises with room for imports and helpers.
SERVICE_LINES = 2500
PART_LINES = 2000
SHADOWABLE = frozenset({"list", "dict", "tuple", "str", "int", "float", "bool", "bytes", "date", "datetime"})


@dataclass(frozen=True, slots=True)
class _Arg:
    """One argument of an operation's method, before it is laid out."""

    name: str
    annotation: str
    default: str | None = None


@dataclass(frozen=True)
class _BodyMedia:
    """A request body in one media type: the `body` annotation, the expression sending it,
    and two facts read from the IR that shape the method around them."""

    annotation: str
    expr: str
    nullable: bool  # the annotation already admits None (a nullable body type)
    conditional: bool = False  # the expression holds a conditional (`None if ... else ...`)


@dataclass(frozen=True)
class Options:
    package: str
    token_env: str | None = None
    default_server: str | None = None
    timeout: float = 10.0
    generator_version: str = ""
    line_length: int = 88
    go_module: str | None = None  # docs show the Go SDK's sample too
    distribution: str | None = None  # a publishable project: its PyPI name and version
    distribution_version: str | None = None


# One import statement: `import module` (names None) or `from module import names`.
Import = tuple[str, list[str] | None]


def _stdlib_imports(imp: Imports) -> list[Import]:
    by_module: dict[str, set[str]] = {}
    for module, name in imp.stdlib:
        by_module.setdefault(module, set()).add(name)
    return [(mod, None if names == {""} else sorted(names - {""})) for mod, names in sorted(by_module.items())]


def _symbol_imports(imp: Imports, where: dict[str, str], prefix: str, exclude: set[str]) -> list[Import]:
    """Imports of the generated names `imp` uses: classes, aliases and alias decoders."""
    by_module: dict[str, set[str]] = {}
    for name in imp.symbols - exclude:
        by_module.setdefault(where[name], set()).add(name)
    for name in imp.decoders - exclude:
        by_module.setdefault(where[name], set()).add(f"decode_{name}")
    return [(f"{prefix}{mod}", sorted(names)) for mod, names in sorted(by_module.items())]


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
    if f.write_only:
        parts.append("Write-only: never returned.")
    if f.deprecated:
        parts.append("Deprecated.")
    if f.examples:
        parts.append(f"Example: {json.dumps(f.examples[0], ensure_ascii=False)}.")
    return " ".join(parts)


class PythonEmitter:
    """`keyed`: model modules and reference pages carry the digest of their inputs
    (emit/inputs.py) and build their contexts only when asked (`OutputFile.built`)."""

    def __init__(self, api: m.Api, options: Options, *, keyed: bool = False) -> None:
        self.api = api
        self.options = options
        graph = schema_graph(api)
        self.module_plans, self.where = plan_models(api, graph)
        self.inputs = InputDigests(api, self.where, options, graph) if keyed else None
        self.models = {x.name: x for x in api.models}
        self.enums = {x.name: x for x in api.enums}
        self.aliases = {x.name: x for x in api.aliases}
        self.schemas = Schemas.of(api)
        self.layout = Layout(options.line_length)
        self.service_class = service_classes(self._groups(), [*self.models, *self.enums, *self.aliases])

    # -- models ---------------------------------------------------------------------

    def model_item(self, model: m.Model, imp: Imports) -> ctx.ModelItem:
        line = self.layout.line
        fields: list[ctx.FieldLine] = []
        # the field table (runtime/_codec.py's grammar), one field per line in spec order:
        # the runtime compiles from_dict / to_dict from it at first use
        table: list[str] = []

        def add_field(name: str, ann: str, default: str | None = None) -> None:
            fields.append(ctx.FieldLine(name, line(f"{name}: {ann}{f' = {default}' if default else ''}", 4, "stmt")))

        for f in model.fields:
            ann = request_annotation(f.type, imp) if model.in_requests else annotation(f.type, imp)
            key = table_token(f.json_name)
            if f.constant and isinstance(f.type, t.Const):
                # required, a tag or defaulted to its value: defaulted, always sent, tolerated missing
                add_field(f.name, ann, literal(f.type.value))
                table.append(f"const {f.name} {key} {table_token(f.type.value)}")
            elif f.required:
                add_field(f.name, ann)
                table.append(f"req {f.name} {key} {table_type(f.type, imp)}")
            else:
                add_field(f.name, f"{ann} | _rt.Unset", "_rt.UNSET")
                table.append(f"opt {f.name} {key} {table_type(f.type, imp)}")
        if model.additional is not None and model.additional_name is not None:
            # Imported as `_field`: a property named `field` (or `_`) is a class attribute
            # called `field` that the default below would otherwise call. Field names never
            # start with an underscore; builtins a field shadows are spelt `builtins.X`.
            imp.need("dataclasses", "field as _field")
            dict_ann = annotation(t.Map(model.additional), imp)
            factory = builtin_name("dict", imp)  # `builtins.dict` when a field is named `dict`
            add_field(model.additional_name, dict_ann, f"_field(default_factory={factory})")
            table.append(f"extra {model.additional_name} {table_type(model.additional, imp)}")
        elif model.unknown_name is not None:
            # keys the spec does not declare, kept apart and written back (not compared)
            imp.need("dataclasses", "field as _field")
            factory = builtin_name("dict", imp)
            default = f"_field(default_factory={factory}, compare=False, repr=False)"
            add_field(model.unknown_name, annotation(t.Map(t.AnyType()), imp), default)
            table.append(f"unknown {model.unknown_name}")
        doc = (model.description or model.title or model.name).strip()
        if model.deprecated:
            doc = "Deprecated. " + doc
        name, fields_name = model.name, f"_FIELDS_{model.name}"  # the name runtime/_codec.py looks up
        rows = "".join("\n" + row for row in table) + "\n"  # a row per line, after the opening quotes
        return ctx.ModelItem(
            name=name,
            doc=doc,
            attributes=tuple((f.name, field_doc(f)) for f in model.fields),
            # from_dict / to_dict: the runtime's, compiled from the table at the first call
            class_line=line(f"class {name}(_rt.Model):", 0, "class"),
            fields=tuple(fields),
            table_line=f"{fields_name} = {table_literal(rows)}",
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

    def model_module(self, plan: ModulePlan) -> ctx.ModelModule:
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
            imp.need("dataclasses", "dataclass")
        return ctx.ModelModule(
            items=tuple(items),
            head=self._head(imp, ".", set(plan.names)),
        )

    def model_files(self) -> list[OutputFile]:
        out = []
        for plan in self.module_plans:
            path, template = f"models/{plan.module}.py", "model_module.py.jinja"
            if self.inputs is None:
                out.append(OutputFile(path, template, self.model_module(plan)))
            else:
                inputs = self.inputs.schemas("model module", (plan.module, *plan.names))
                out.append(OutputFile(path, template, inputs=inputs, make=partial(self.model_module, plan)))
        exports = tuple(sorted(self.where.items(), key=lambda kv: kv[0].lower()))
        import_lines = tuple(
            self.layout.import_from(f".{module}", [f"{name} as {name}"], 4) for name, module in exports
        )
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
        return [f for item in self.service_outputs() for f in expand(item)]

    def service_outputs(self) -> list[OutputFile | OutputGroup]:
        """The services package: with input digests, each group's files as one
        `OutputGroup` (how many files it has is decided by rendering them)."""
        groups = self._groups()
        out: list[OutputFile | OutputGroup] = [
            OutputFile("services/__init__.py", "services_init.py.jinja", ctx.ServicesInit())
        ]
        for group, ops in groups.items():
            make = partial(self._group_files, group, ops, groups)
            if self.inputs is None:
                out.extend(make())
            else:
                digest = self.inputs.operations("service group", group, ops)
                out.append(OutputGroup(f"services/{module_of(group)}.py", digest, make))
        return out

    def _group_files(
        self, group: tuple[str, ...], ops: list[m.Operation], groups: dict[tuple[str, ...], list[m.Operation]]
    ) -> list[OutputFile]:
        """One module per group; a group whose module would pass `SERVICE_LINES` has its
        operations in part modules (`_<group>_part<n>.py`, contiguous runs of operations,
        each under the budget), whose mixin classes the group's class inherits from."""
        out = []
        taken = {op.name for op in ops} | {op.stream_name for op in ops if op.stream_name} | {"with_raw_response"}
        children = []
        for child in groups:
            if len(child) == len(group) + 1 and child[: len(group)] == group:
                attr = child[-1] if child[-1] not in taken else f"{child[-1]}_group"
                module, cls = f".{module_of(child)}", self.service_class[child]
                children.append(
                    ctx.ChildService(
                        attr=attr,
                        cls=cls,
                        import_both=self.layout.import_from(module, [f"Async{cls}", cls], 4),
                        import_sync=self.layout.import_from(module, [cls], 8),
                        import_async=self.layout.import_from(module, [f"Async{cls}"], 8),
                    )
                )
        whole = self._service_module(group, ops, tuple(children))
        if len(ops) < 2 or render("service_module.py.jinja", whole).count("\n") <= SERVICE_LINES:
            out.append(OutputFile(f"services/{module_of(group)}.py", "service_module.py.jinja", whole))
            return out
        parts = self._service_parts(group, ops)
        names = []
        for n, part_ops in enumerate(parts, 1):
            part = self._service_module(group, part_ops, (), part=n)
            names.append((f"._{module_of(group)}_part{n}", part.cls))
            out.append(OutputFile(f"services/_{module_of(group)}_part{n}.py", "service_module.py.jinja", part))
        bases = tuple(cls for _, cls in names)
        composed = dataclasses.replace(
            self._service_module(group, (), tuple(children)),
            raw_names=whole.raw_names,
            raw_lines=whole.raw_lines,
            bases=bases,
            class_lines=(
                self.layout.line(f"class {whole.cls}({', '.join(bases)}):", 0, "class"),
                self.layout.line(f"class Async{whole.cls}({', '.join('Async' + b for b in bases)}):", 0, "class"),
            ),
            part_imports=tuple(self.layout.import_from(mod, [f"Async{cls}", cls]) for mod, cls in names),
        )
        out.append(OutputFile(f"services/{module_of(group)}.py", "service_module.py.jinja", composed))
        return out

    def _service_module(
        self,
        group: tuple[str, ...],
        ops: Sequence[m.Operation],
        children: tuple[ctx.ChildService, ...],
        *,
        part: int = 0,
    ) -> ctx.ServiceModule:
        """The context of a group's module (`part` 0), or of its part `part` (a mixin of `ops`)."""
        imp = Imports(self.schemas, shadowed=frozenset(op.name for op in ops) & SHADOWABLE)
        consts = _Constants()
        items = []
        for op in ops:
            items.append(self.operation_item(op, imp, consts))
            if op.stream_name is not None:
                items.append(self.operation_item(op, imp, consts, streamed=True))
        operations = tuple(items)
        if operations:
            imp.need("typing", "Any")
        return ctx.ServiceModule(
            cls=self.service_class[group] + (f"Part{part}" if part else ""),
            group=".".join(group),
            operations=operations,
            children=children,
            head=self._head(imp, "..models.", set()),
            deprecated=any(o.deprecated for o in operations),
            paginated=any(o.pagination for o in operations),
            uses_wire=any(o.uses_wire for o in operations),
            streaming=any(o.streaming for o in operations),
            raw_names=() if part else tuple(o.name for o in operations),
            part=bool(part),
            constants=consts.statements(self.layout),
            raw_defs=self._raw_defs(self.service_class[group]),
            raw_inits=(
                self.layout.line(f"def __init__(self, service: {self.service_class[group]}) -> None:", 4, "def"),
                self.layout.line(f"def __init__(self, service: Async{self.service_class[group]}) -> None:", 4, "def"),
            ),
            raw_lines=() if part else self._raw_lines(tuple(o.name for o in operations)),
        )

    def _head_close(self, returns: str, end: str) -> str:
        """The last line of a method's exploded signature (at 4 columns): a return
        annotation too long for it black puts in parentheses on a line of its own, or
        splits in its own brackets (`Iterator[\n    X\n]`), or further (the layout of
        `def _(self) -> <annotation>:` gives the same last lines: black splits that line
        on its own)."""
        text = f") -> {returns}{end}"
        if 4 + len(text) <= self.layout.line_length:
            return text
        laid = self.layout.line(f"def _(self) -> {returns}{end}", 4, "def")
        at = laid.find("\n    ) -> ")
        if at == -1:
            return text  # outside the layout's model: black splits it itself
        return laid[at + 5 :]

    def _raw_lines(self, names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        line = self.layout.line
        return tuple(
            (
                line(f"self.{name} = _raw.raw(service.{name})", 8, "stmt"),
                line(f"self.{name} = _raw.araw(service.{name})", 8, "stmt"),
            )
            for name in names
        )

    def _raw_defs(self, cls: str) -> tuple[str, str]:
        line = self.layout.line
        return (
            line(f"def with_raw_response(self) -> {cls}WithRawResponse:", 4, "def"),
            line(f"def with_raw_response(self) -> Async{cls}WithRawResponse:", 4, "def"),
        )

    def _service_parts(self, group: tuple[str, ...], ops: Sequence[m.Operation]) -> list[list[m.Operation]]:
        """Contiguous runs of `ops`, each run's methods within `PART_LINES` rendered lines
        (an operation larger than that alone in its part): deterministic, in spec order."""
        empty = render("service_module.py.jinja", self._service_module(group, (), (), part=1)).count("\n")
        parts: list[list[m.Operation]] = [[]]
        used = 0
        for op in ops:
            size = render("service_module.py.jinja", self._service_module(group, (op,), (), part=1)).count("\n") - empty
            if parts[-1] and used + size > PART_LINES:
                parts.append([])
                used = 0
            parts[-1].append(op)
            used += size
        return parts

    def _callable(self, ty: t.Type | None, imp: Imports) -> str:
        if ty is None:
            return "_rt.ignore"
        if isinstance(ty, t.ModelRef):
            imp.symbols.add(ty.name)
            return f"{ty.name}.from_dict"
        if is_identity(ty):
            return "_rt.identity"
        return f"lambda v: {decode(ty, 'v', imp, 1)}"

    def operation_item(
        self, op: m.Operation, imp: Imports, consts: _Constants, *, streamed: bool = False
    ) -> ctx.OperationItem:
        """One method: `op.name`, or with `streamed` its `op.stream_name` twin, which
        returns the success response as a stream instead of whole. The static part of
        its request goes to `consts` as the method's `_rt.Operation` constant (one for
        sync and async, two when their decoders differ)."""
        line = self.layout.line
        ok = m.success_response(op)
        result = self._method_result(ok, imp, streamed=streamed)
        # a boolean member of the JSON body picks the media type the server answers
        # with: true for the method that returns the stream
        switch = ok.stream_switch if ok is not None else None
        flag = (switch.field, streamed or not m.plain_contents(ok)) if ok is not None and switch is not None else None
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
        query: list[str] = []  # the values, in the order of the constant's `query`
        query_specs: list[str] = []
        headers: list[tuple[str, str]] = []
        cookies: list[str] = []
        for p in op.parameters:
            ann = request_annotation(p.type, imp)
            if p.location == "path":
                if is_uuid(p.type):  # a path takes the id as text too
                    ann = f"{ann} | str"
                path_args.append(_Arg(p.name, ann))
            elif p.constant:
                # its only value (AWS's `Action`, `X-Amz-Target`): defaulted and always sent, as
                # a constant field is; passing it still type-checks
                assert isinstance(p.type, t.Const)
                keyword_args.append(_Arg(p.name, ann, literal(p.type.value)))
            elif p.required:
                keyword_args.append(_Arg(p.name, ann))
            else:
                keyword_args.append(_Arg(p.name, ann if isinstance(p.type, t.Nullable) else f"{ann} | None", "None"))
            if p.location != "path":
                expr = param_expr(p, self._is_scalar(p.type))
                if p.location == "query":
                    query.append(p.name)
                    query_specs.append(query_spec(p))
                elif p.location == "header":
                    headers.append((literal(p.json_name), expr))
                else:
                    cookies.append(expr)
            params.append(p)
        body_arg: _Arg | None = None
        body_expr: str | None = None
        choice_arg: _Arg | None = None
        overload_args: list[tuple[_Arg, _Arg]] = []
        if op.body is not None:
            body_arg, body_expr, choice_arg, overload_args = self._body(op.body, imp, flag)
        positional = path_args + ([body_arg] if body_arg and body_arg.default is None else [])
        keyword = (
            ([body_arg] if body_arg and body_arg.default is not None else [])
            + ([choice_arg] if choice_arg else [])
            + sorted(keyword_args, key=lambda a: a.default is not None)
        )

        def argument(a: _Arg) -> ctx.Argument:
            default = f" = {a.default}" if a.default else ""
            return ctx.Argument(a.name, line(f"{a.name}: {a.annotation}{default},", 8, "param"))

        def overload(body_: _Arg, choice_: _Arg) -> ctx.Overload:
            """One `@overload` signature: the body type that goes with one media type."""
            swap = {"body": body_, "content_type": choice_}
            return ctx.Overload(
                positional=tuple(argument(swap.get(a.name, a)) for a in positional),
                keyword=tuple(argument(swap.get(a.name, a)) for a in keyword),
            )

        path_spec = _path_spec(
            op.path,
            {p.json_name: (p, self._is_scalar(p.type)) for p in op.parameters if p.location == "path"},
        )
        pagination = None
        if op.pagination is not None and not streamed:
            item_ann = annotation(op.pagination.item_type, imp)
            start, advance, next_url = _page_steps(op.pagination)
            items = op.pagination.items_field
            pagination = ctx.Pagination(
                name=f"iter_{op.name}",
                page_param=op.pagination.page_param,
                items=items,
                max_page=".".join(op.pagination.max_page_path),
                item_annotation=item_ann,
                heads=(
                    self._head_close(f"Iterator[{item_ann}]", ":"),
                    self._head_close(f"AsyncIterator[{item_ann}]", ":"),
                ),
                forward=tuple(a.name for a in positional + keyword if a.name != op.pagination.page_param),
                start=start,
                advance=advance,
                next_url=next_url,
                items_lambda=(
                    f"lambda r: _rt.listed(r.{items})"
                    if items and op.pagination.items_optional
                    else f"lambda r: r.{items}"
                    if items
                    else "lambda r: r"
                ),
            )
            imp.need("collections.abc", "Iterator")
            imp.need("collections.abc", "AsyncIterator")
        label = f"{op.method} {op.target}"
        name = op.stream_name if streamed and op.stream_name else op.name
        path, path_names = path_spec
        static: list[tuple[str, str | _Lit, str | None]] = [("", literal(op.method), None), ("", path, None)]
        if result.kind != "json":
            static.append(("", literal(result.kind), None))
        if result.accept:
            static.append(("accept=", literal(result.accept), None))
        if errors:
            static.append(("errors=", _Lit("{", tuple(f"{key}: {fn}" for key, fn in errors), "}"), "err"))
        if (security := sec.requirement_expr(self.api, op)) is not None:
            static.append(("security=", security, "sec"))
        if query_specs:
            static.append(("query=", _Lit("(", tuple(query_specs), ")"), "query"))
        if path_names or query:
            static.append(("params=", _Lit("(", tuple(literal(n) for n in path_names + query), ")"), "params"))
        if op.fixed_query:
            static.append(("fixed_query=", literal(fixed_query_text(op)), None))
        if op.servers:
            static.append(("servers=", _Lit("(", tuple(literal(u) for u in op.servers), ")"), "srv"))
        sync_const = consts.operation(result.returns, result.decode, static)
        async_const = sync_const
        if (result.async_decode, result.async_returns) != (result.decode, result.returns):
            async_const = consts.operation(result.async_returns, result.async_decode, base=sync_const)
        varying = ["locals()"]  # the arguments `params` names, and `request_options`
        if body_expr:
            varying.append(body_expr)
        entries = [f"{key}: {expr}" for key, expr in headers]
        if cookies:
            entries.append(f'"Cookie": _w.cookies({", ".join(cookies)})')
        if entries:
            varying.append("headers={" + ", ".join(entries) + "}")

        def call(const: str, is_async: bool) -> str:
            head = ("" if result.kind == "empty" else "return ") + ("await " if is_async else "")
            return _bracketed(self.layout, f"{head}self._core.call(", [("", a) for a in [const, *varying]], 8)

        # A stream twin that differs from `op.name` only by its `Operation` constant is
        # declared as `<name>_stream = _rt.StreamTwin(<name>, _opN)`: the same method run
        # with the twin's constant (its parameters reach type checkers through a
        # ParamSpec), not a second copy of the signature and docstring (Kubernetes: 2,464
        # of its 4,938 methods, ~40% of black's time on its services). Written out in full
        # when it differs more: a `stream` flag in the body, `@overload`s (a ParamSpec
        # would keep only one of them), or a deprecation warning (its `stacklevel`).
        twin = None
        if streamed and flag is None and not overload_args and not op.deprecated:
            twin = ctx.Twin(
                line(f"{name} = _rt.StreamTwin({op.name}, {sync_const})", 4, "stmt"),
                line(f"{name} = _rt.AsyncStreamTwin({op.name}, {async_const})", 4, "stmt"),
                f"`{op.name}` with the same arguments, its success response streamed.\n\n"
                f"Returns:\n    {result.shown or result.returns}" + (f": {result.doc}." if result.doc else "."),
            )

        return ctx.OperationItem(
            name=name,
            positional=tuple(argument(a) for a in positional),
            keyword=tuple(argument(a) for a in keyword),
            overloads=tuple(overload(b, c) for b, c in overload_args),
            returns=result.returns,
            deprecated=op.deprecated,
            pagination=pagination,
            summary=f"{(op.summary or label).strip()} (streamed)" if streamed else (op.summary or "").strip(),
            description=(op.description or "").strip(),
            args=tuple((p.name, _param_doc(p)) for p in params)
            + ((("body", body_doc(op.body)),) if op.body else ())
            + ((("content_type", content_type_doc(op.body)),) if choice_arg and op.body else ()),
            raises=tuple(raises),
            label=label,
            call=call(sync_const, False),
            uses_wire=uses_wire(op, self._is_scalar),
            async_returns=result.async_returns,
            heads=(self._head_close(result.returns, ":"), self._head_close(result.returns, ": ...")),
            async_heads=(self._head_close(result.async_returns, ":"), self._head_close(result.async_returns, ": ...")),
            async_call=call(async_const, True),
            returns_doc=f"{result.shown or result.returns}: {result.doc}." if result.doc else None,
            streaming=result.streaming or flag is not None,
            warn_line=(
                line(f"warnings.warn({pystr(label + ' is deprecated.')}, DeprecationWarning, stacklevel=2)", 8, "stmt")
                if op.deprecated
                else ""
            ),
            twin=twin,
        )

    def _method_result(self, ok: m.Response | None, imp: Imports, *, streamed: bool) -> _Result:
        """How a method reads its success response: the core's `response_kind`, the
        `decode` it passes (sync and async), the Accept header, the return annotation."""
        plain = m.plain_contents(ok) if ok is not None else ()
        stream = m.streamed_content(ok) if ok is not None else None
        if not streamed and plain:
            return self._plain_result(plain, imp)
        if stream is not None:
            return self._stream_result(stream, imp)
        binary = [c.media_type for c in plain if isinstance(c, m.BinaryContent)]
        if streamed and binary:
            return _Result(
                "stream",
                "_st.BinaryStream",
                "_st.binary_stream",
                accept_header(binary),
                "_st.AsyncBinaryStream",
                "_st.abinary_stream",
                doc="a streamed download (iterate the chunks, `write_to(path)`, `read()`); use it in a `with` block",
                shown="streaming.BinaryStream (async: streaming.AsyncBinaryStream)",
            )
        return _Result("empty", "None", "_rt.ignore", None)

    def _plain_result(
        self, plain: tuple[m.JsonContent | m.TextContent | m.BinaryContent, ...], imp: Imports
    ) -> _Result:
        decodings: list[tuple[str, str, str, str]] = []  # media type, kind, decoder, annotation
        for c in plain:
            match c:
                case m.JsonContent():
                    kind, dec = "json", self._callable(c.type, imp)
                case m.TextContent():
                    kind, dec = "text", "_rt.identity"
                case m.BinaryContent():
                    kind, dec = "bytes", "_rt.identity"
                case _:
                    assert_never(c)
            decodings.append((c.media_type, kind, dec, plain_annotation(c, imp)))
        if len(decodings) == 1:
            media, kind, dec, ret = decodings[0]
            return _Result(
                kind, ret, dec, None if _accept_default(media, kind) else answer_accept(media, kind == "json")
            )
        returns = " | ".join(dict.fromkeys(ret for _, _, _, ret in decodings))
        dec = (
            "_st.by_content_type("
            + ", ".join(f"({literal(mt)}, {literal(kd)}, {fn})" for mt, kd, fn, _ in decodings)
            + ")"
        )
        return _Result(
            "negotiated",
            returns,
            dec,
            accept_header([mt for mt, _, _, _ in decodings]),
            doc=f"decoded by the response's Content-Type ({', '.join(mt for mt, _, _, _ in decodings)})",
            streaming=True,
        )

    def _stream_result(self, stream: m.EventStreamContent | m.JsonLinesContent, imp: Imports) -> _Result:
        item = annotation(stream.item, imp)
        fn = self._callable(stream.item, imp)
        match stream:
            case m.EventStreamContent():
                extra = ("" if stream.item_json else ", parse_json=False") + (
                    ""
                    if stream.terminal == "[DONE]"
                    else f", terminal={literal(stream.terminal) if stream.terminal else None}"
                )
                return _Result(
                    "stream",
                    f"_st.EventStream[{item}]",
                    f"_st.event_stream({fn}{extra})",
                    accept_header([stream.media_type]),
                    f"_st.AsyncEventStream[{item}]",
                    f"_st.aevent_stream({fn}{extra})",
                    doc=f"Server-Sent Events ({stream.media_type}); each event's `data` is {'a' if stream.item_json else 'the text'}"
                    f" `{item}`; use it in a `with` block",
                    shown=f"streaming.EventStream[{item}] (async: streaming.AsyncEventStream)",
                )
            case m.JsonLinesContent():
                return _Result(
                    "stream",
                    f"_st.JsonLinesStream[{item}]",
                    f"_st.json_lines({fn})",
                    accept_header([stream.media_type]),
                    f"_st.AsyncJsonLinesStream[{item}]",
                    f"_st.ajson_lines({fn})",
                    doc=f"JSON lines ({stream.media_type}), one `{item}` per line; use it in a `with` block",
                    shown=f"streaming.JsonLinesStream[{item}] (async: streaming.AsyncJsonLinesStream)",
                )
            case _:
                assert_never(stream)

    def _is_scalar(self, ty: t.Type) -> bool:
        """A value written as one piece of text (no style rule applies to it)."""
        return is_scalar(ty, self.aliases)

    def _body_media(
        self, media: m.BodyMedia, imp: Imports, several: bool, flag: tuple[str, bool] | None = None
    ) -> _BodyMedia:
        """The annotation of `body` and the expression turning it into a `_w.RequestBody`,
        for one media type, and what the IR says of both (see `_BodyMedia`). With `several`
        media types the expression names the `content_type` argument (its value in the
        branch that sends this media type), so media types sent alike share one branch."""
        ctype = "content_type" if several else literal(media.content_type)
        enc = media.encoding
        nullable = t.strip_nullable(media.type)[1]
        match enc:
            case m.JsonBody():
                # with several media the argument is a union: encode by the value's run-time type
                data = "_rt.to_json(body)" if several else encode(media.type, "body", imp)
                conditional = not several and has_conditional(media.type)
                if not several and isinstance(media.type, t.ModelRef):  # a wrong value inside: TypeError naming it
                    data = f"_rt.request_json(body, {media.type.name})"
                if flag is not None:
                    data = f"_st.with_member({data}, {literal(flag[0])}, {flag[1]})"
                if media.content_type == "application/json" and not several:
                    # sent through the transport's `json=`
                    return _BodyMedia(annotation(media.type, imp), data, nullable, conditional)
                args = data if media.content_type == "application/json" and not several else f"{data}, {ctype}"
                return _BodyMedia(annotation(media.type, imp), f"_w.json_body({args})", nullable, conditional)
            case m.FormBody(fields):
                rules = [r for r in (form_rule(f) for f in fields) if r is not None]
                if not rules and media.content_type == "application/x-www-form-urlencoded":
                    return _BodyMedia(annotation(media.type, imp), "_w.form_body(body)", nullable)
                tup = "(" + ", ".join(rules) + ("," if len(rules) == 1 else "") + ")"
                return _BodyMedia(annotation(media.type, imp), f"_w.form_body(body, {tup}, {ctype})", nullable)
            case m.MultipartBody(parts):
                attrs = self._attrs(media.type)
                specs = [
                    f"({literal(p.json_name)}, {literal(attrs.get(p.json_name, p.json_name))}, {literal(p.kind)}, "
                    f"{literal(p.content_type)}, {p.repeated})"
                    for p in parts
                ]
                tup = "(" + ", ".join(specs) + ("," if len(specs) == 1 else "") + ")"
                return _BodyMedia(annotation(media.type, imp), f"_w.multipart_body(body, {tup}, {ctype})", nullable)
            case m.BinaryBody():
                return _BodyMedia("_w.BinaryContent", f"_w.binary_body(body, {ctype})", False)
            case m.TextBody(charset):
                extra = "" if charset.lower() == "utf-8" else f", {literal(charset)}"
                return _BodyMedia(annotation(t.Primitive("str"), imp), f"_w.text_body(body, {ctype}{extra})", False)
            case m.WildcardBody():
                ann = annotation(media.type, imp)  # `Any` is imported by `annotation`
                return _BodyMedia(f"_w.BinaryContent | {ann}", "_w.any_body(body, content_type)", nullable)
            case _:
                assert_never(enc)

    def _attrs(self, ty: t.Type) -> dict[str, str]:
        """json name -> Python attribute of a model body (multipart parts read attributes)."""
        while isinstance(ty, t.Nullable):
            ty = ty.inner
        if isinstance(ty, t.ModelRef) and ty.name in self.models:
            return {f.json_name: f.name for f in self.models[ty.name].fields}
        if isinstance(ty, t.AliasRef) and ty.name in self.aliases:
            return self._attrs(self.aliases[ty.name].type)
        if isinstance(ty, t.Union):  # a union of models: every variant's (the builder merged their parts)
            merged: dict[str, str] = {}
            for variant in ty.variants:
                for json_name, attr in self._attrs(variant).items():
                    merged.setdefault(json_name, attr)
            return merged
        return {}

    def _body(
        self, body: m.Body, imp: Imports, flag: tuple[str, bool] | None = None
    ) -> tuple[_Arg, str, _Arg | None, list[tuple[_Arg, _Arg]]]:
        """The `body` argument, the keyword and expression handing it to the transport, the
        `content_type` choice, and (several media types) the (body, content_type) pair of
        each `@overload`; `flag`: a member the JSON body always carries (the stream switch)."""
        several = len(body.media) > 1
        built = [self._body_media(media, imp, several, flag) for media in body.media]
        ann = " | ".join(dict.fromkeys(b.annotation for b in built))
        optional = not body.required

        def body_arg(annotation_: str, admits_none: bool) -> _Arg:
            if not optional:
                return _Arg("body", annotation_)
            return _Arg("body", annotation_ if admits_none else f"{annotation_} | None", "None")

        overloads: list[tuple[_Arg, _Arg]] = []
        keyword, expr = "body", built[0].expr
        conditional = built[0].conditional
        choice: _Arg | None = None
        if several:
            # one branch per way of sending (`Body.ways`: Google's upload endpoints list
            # ~350 media types, nearly all sent as bytes; a conditional per media type
            # nests past what Python's parser accepts); the largest group is the `else`
            # (of equal ones, the later), so it needs no list of its media types
            expr_of = {media.content_type: one for media, one in zip(body.media, built)}
            ways = body.ways
            last = max(reversed(ways), key=len)
            tail = expr_of[last[0].content_type]
            expr, nested = tail.expr, tail.conditional
            for way in reversed([w for w in ways if w is not last]):
                # the `else` branch in parentheses when it is a conditional itself: black
                # prints them whenever it splits the line, and emit/layout.py follows
                # black through one conditional at a time only
                rest = f"({expr})" if nested else expr
                ctypes = [literal(media.content_type) for media in way]
                test = f"== {ctypes[0]}" if len(ctypes) == 1 else f"in ({', '.join(ctypes)})"
                expr = f"{expr_of[way[0].content_type].expr} if content_type {test} else {rest}"
                nested = True
            conditional = nested
            imp.need("typing", "Literal")
            choices = ", ".join(literal(media.content_type) for media in body.media)
            choice = _Arg("content_type", f"Literal[{choices}]", literal(body.content_type))
            # one `@overload` per body type, for the media types that take it (Kubernetes'
            # merge and strategic-merge patches are both `dict[str, Any]`); the first
            # holds the default media type. One body type for all of them: no overloads.
            ctypes_of: dict[str, list[str]] = {}
            nullable: dict[str, bool] = {}
            for media, one in zip(body.media, built):
                ctypes_of.setdefault(one.annotation, []).append(literal(media.content_type))
                nullable[one.annotation] = nullable.get(one.annotation, False) or one.nullable
            if len(ctypes_of) > 1:
                imp.need("typing", "overload")
                for n, (annotation_, ctypes) in enumerate(ctypes_of.items()):
                    overloads.append(
                        (
                            body_arg(annotation_, nullable[annotation_]),
                            _Arg("content_type", f"Literal[{', '.join(ctypes)}]", ctypes[0] if n == 0 else None),
                        )
                    )
        else:
            enc = body.encoding
            match enc:
                case m.WildcardBody():
                    choice = _Arg("content_type", "str | None", "None")
                case m.JsonBody():
                    if body.content_type == "application/json":
                        keyword = "json"  # plain JSON keeps the transport's `json=` argument
                case m.FormBody() | m.MultipartBody() | m.BinaryBody() | m.TextBody():
                    pass  # sent as `body=`, its media type fixed
                case _:
                    assert_never(enc)
        admits_none = any(b.nullable for b in built)  # a member's `| None` is the union's
        if not optional:
            return body_arg(ann, admits_none), f"{keyword}={expr}", choice, overloads
        if conditional:
            expr = f"({expr})"
        absent = "_rt.UNSET" if keyword == "json" else "None"  # what `request` takes for "no body"
        return body_arg(ann, admits_none), f"{keyword}={absent} if body is None else {expr}", choice, overloads

    # -- long lines, split the way black prints them (see emit/layout.py) -------------

    def _imports(self, imports: list[Import]) -> tuple[str, ...]:
        return tuple(
            f"import {module}" if names is None else self.layout.import_from(module, names) for module, names in imports
        )

    def _head(self, imp: Imports, prefix: str, own: set[str]) -> ctx.ModuleHead:
        """The imports and helpers of a module, once its code is emitted (`imp` is complete);
        `prefix` leads to the models package, `own` names the module defines itself."""
        return ctx.ModuleHead(
            self._imports(_stdlib_imports(imp)),
            self._imports(_symbol_imports(imp, self.where, prefix, own)),
            self._helpers(imp),
        )

    def _helpers(self, imp: Imports) -> tuple[str, ...]:
        """Module-level helpers (codec.union_decoder), one simple statement per line."""
        return tuple(
            "\n".join(" " * h.indent + self.layout.line(h.text, h.indent, h.kind) for h in helper)
            for helper in imp.helpers
        )

    # -- the package ----------------------------------------------------------------

    def client_file(self) -> OutputFile:
        groups = self._groups()
        top = [g for g in groups if len(g) == 1]
        default = self.options.default_server or (self.api.servers[0].name if self.api.servers else None)
        bearer = sec.first_bearer(self.api)
        schemes = tuple(sec.view(s) for s in self.api.security_schemes)
        client = ctx.ClientModule(
            title=self.api.title,
            servers=tuple((literal(s.name), literal(s.url)) for s in self.api.servers),
            default_server=literal(default) if default else "None",
            token_env=(
                literal(bearer.env)
                if bearer is not None and bearer.env
                else literal(self.options.token_env)
                if self.options.token_env and bearer is None
                else "None"
            ),
            groups=tuple(
                ctx.ClientGroup(
                    attr=g[0],
                    module=module_of(g),
                    cls=self.service_class[g],
                    import_line=self.layout.import_from(
                        f".services.{module_of(g)}", [f"Async{self.service_class[g]}", self.service_class[g]], 4
                    ),
                    heads=(
                        self.layout.line(f"def {g[0]}(self) -> {self.service_class[g]}:", 4, "def"),
                        self.layout.line(f"def {g[0]}(self) -> Async{self.service_class[g]}:", 4, "def"),
                    ),
                    imports=(
                        self.layout.import_from(f".services.{module_of(g)}", [self.service_class[g]], 8),
                        self.layout.import_from(f".services.{module_of(g)}", [f"Async{self.service_class[g]}"], 8),
                    ),
                )
                for g in top
            ),
            timeout=literal(float(self.options.timeout)),
            client_doc=self._client_doc(default, bearer),
            # a header value is ASCII text: any other character in the version becomes `?`;
            # the runtime appends ` python/X.Y httpx/V`
            user_agent=literal(re.sub(r"[^ -~]", "?", self._user_agent())),
            variables=tuple(
                ctx.ServerVariableArg(
                    name=v.name,
                    placeholder=literal("{" + v.json_name + "}"),
                    annotation=f"Literal[{', '.join(literal(x) for x in v.values)}]" if v.values else "str",
                    default=literal(v.default),
                    safe=literal(m.server_variable_keeps(v.place)),
                    path_start=v.place == "base_path",
                )
                for v in self.api.server_variables
            ),
            schemes=schemes,
            security_lines=tuple(self.layout.line(f"{pystr(v.key)}: {v.runtime},", 4, "item") for v in schemes),
            operation_servers=tuple(literal(url) for url in m.operation_servers(self.api)),
        )
        return OutputFile("client.py", "client.py.jinja", client)

    def _user_agent(self) -> str:
        """`<distribution>/<version>` of a publishable project, else `<package>/<API version>`."""
        if self.options.distribution is not None:
            return f"{self.options.distribution}/{self.options.distribution_version or ''}"
        return f"{self.options.package}/{self.api.version}"

    def _client_doc(self, default: str | None, bearer: m.SecurityScheme | None) -> str:
        lines = [f"{self.api.title} {self.api.version}".strip() + "."]
        if self.api.description:
            lines += ["", self.api.description.strip()]
        lines += ["", "Args:"]
        if bearer is not None:
            env = bearer.env
            lines.append(
                f"    token: shorthand for `{bearer.arg}` (sent as `Authorization: Bearer ...`)"
                + (f"; defaults to the `{env}` environment variable." if env else ".")
                + (f" {bearer.description.strip()}" if bearer.description else "")
            )
        elif self.api.security_schemes:  # schemes, none of them takes a bearer token
            args = ", ".join(f"`{v.arg}`" for v in map(sec.view, self.api.security_schemes) if v.keyword)
            lines.append(
                "    token: unused: this API has no bearer-token scheme, and a token raises"
                " `errors.InvalidCredentialError`" + (f"; pass its credentials by keyword ({args})." if args else ".")
            )
        else:
            env = self.options.token_env
            lines.append(
                "    token: bearer token sent as `Authorization: Bearer ...` with every call"
                + (f"; defaults to the `{env}` environment variable." if env else ".")
            )
        for scheme in self.api.security_schemes:
            v = sec.view(scheme)
            if not v.keyword:
                continue
            envs = " and ".join(f"`{e}`" for e in v.env_names)
            lines.append(
                f"    {v.arg}: security scheme `{v.key}`, sent as {v.sends}. Pass {v.passes}"
                + (f"; defaults to {envs}." if envs else ".")
                + (f" {v.description}" if v.description else "")
            )
        names = ", ".join(f"`{s.name}` ({s.url})" for s in self.api.servers)
        own = any(op.servers for op in self.api.operations)
        lines.append(
            (f"    server: one of {names}; default `{default}`." if names else "    server: unused.")
            + (" Operations with servers of their own go to those, unless this is one of them." if own else "")
        )
        lines.append(
            "    base_url: overrides `server` (a proxy or a mock server)"
            + (", and the servers some operations have of their own: every call goes there." if own else ".")
        )
        lines.append(
            f"    timeout: seconds (or an `httpx.Timeout`); default {self.options.timeout}, or"
            " the timeout of `http_client` when one is given."
        )
        lines.append("    http_client: your own httpx client (e.g. with `httpx.MockTransport` in tests).")
        lines.append(
            "    retries: opt-in retries on 429/502/503/504 and connection errors"
            " (POST/PATCH only when the server cannot have acted on the request)."
        )
        lines.append(
            "    token_env: the environment variable read when `token` is None."
            if bearer is not None or not self.api.security_schemes
            else "    token_env: unused (no bearer-token scheme)."
        )
        lines.append("    headers: extra headers sent with every request (never to another origin after a redirect).")
        lines.append(
            "    deadline: seconds a whole call may take, retries and waits included (None: no limit);"
            " `timeout` bounds each connect/read/write separately."
        )
        for var in self.api.server_variables:
            choices = f"one of {', '.join(f'`{x}`' for x in var.values)}; " if var.values else ""
            about = f" {var.description.strip()}" if var.description else ""
            lines.append(
                f"    {var.name}: the server URLs' `{{{var.json_name}}}`: {choices}default `{var.default}`.{about}"
            )
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
            [
                "Webhook payloads: `verify_webhook(body, headers, secret)` checks a delivery's",
                "Standard Webhooks signature and turns its event into a model; `parse_webhook(body)`",
                "decodes without checking.",
                "",
                "Events:",
            ]
            + [f"    {literal(w.event)} -> {annotation(w.type, imp)}" for w in self.api.webhooks]
        )
        ann = annotation(union, imp)
        webhooks = ctx.WebhooksModule(
            doc=doc,
            annotation=ann,
            alias_line=self.layout.line(f"WebhookEvent: TypeAlias = {pystr(ann)}", 0, "stmt"),
            decode=decoder,
            # an open union of models leaves an event of an unknown type as its dict
            raw_means_unknown=literal(all(isinstance(w.type, t.ModelRef) for w in self.api.webhooks)),
            head=self._head(imp, ".models.", set()),
        )
        return OutputFile("webhooks.py", "webhooks.py.jinja", webhooks)

    def files(self) -> list[OutputFile]:
        """Every file of the package, contexts built."""
        return sorted((f for item in self.outputs() for f in expand(item)), key=lambda f: f.path)

    def outputs(self) -> list[OutputFile | OutputGroup]:
        """Every file of the package; keyed ones (`keyed=True`) built when asked."""
        out: list[OutputFile | OutputGroup] = [OutputFile(name, None) for name in RUNTIME_FILES]
        out.append(
            OutputFile(
                "__init__.py", "package_init.py.jinja", ctx.PackageInit(self.api.title, literal(self.api.version))
            )
        )
        out.append(self.client_file())
        out.extend(self.model_files())
        out.extend(self.service_outputs())
        webhooks = self.webhooks_file()
        if webhooks is not None:
            out.append(webhooks)
            out.append(OutputFile("_webhooks.py", None))  # signature checks (runtime)
        options = self.options
        out.extend(
            DocsBuilder(
                Samples(self.api, options.package, token_env=options.token_env, line_length=options.line_length),
                go_module=options.go_module,
                distribution=options.distribution,
            ).files(self.inputs)
        )
        return sorted(out, key=lambda f: f.path)


def _page_steps(pg: m.Pagination) -> tuple[str, str | None, str | None]:
    """(first value of the stepped parameter, the `advance(value, page, items)` lambda,
    the `next_url(page, headers)` lambda of `_rt.follow`); no lambda for page numbers up
    to a max page (`_rt.iterate_pages`), no stepped parameter for URLs the server names."""
    param = pg.page_param
    match pg.kind:
        case "page":  # unset: page 1; a page the caller names (0 for a 0-based API) is where it starts
            first = f"1 if {param} is None else {param}"
            if pg.max_page_path:
                return first, None, None
            return first, "lambda n, r, b: n + 1", None
        case "offset":
            return f"{param} or 0", "lambda n, r, b: n + len(b)", None
        case "cursor":
            if pg.next_path:
                return param, f"lambda c, r, b: r.{'.'.join(pg.next_path)}", None
            more = ".".join(pg.has_more_path)
            return param, f"lambda c, r, b: str(b[-1].{pg.cursor_item_field}) if r.{more} is True else None", None
        case "next_url":
            names = ", ".join(literal(n) for n in pg.next_path)
            return "", None, f"lambda r, h: _rt.dig(r, {names})"
        case "link_header":
            return "", None, "lambda r, h: _rt.next_link(h)"
        case other:
            assert_never(other)


def _param_doc(p: m.Parameter) -> str:
    """A parameter's docstring line: its description, then how it is sent when that is
    not the location's default."""
    wire = wire_doc(p)
    if not wire:
        return (p.description or "").strip()
    return " ".join(x for x in [sentence(p.description or ""), wire] if x)


def module_of(group: tuple[str, ...]) -> str:
    from ..naming import file_stem

    return file_stem("__".join(group))  # nested groups: each part is short, the join may not be


def service_classes(groups: Iterable[tuple[str, ...]], schema_names: Iterable[str]) -> dict[tuple[str, ...], str]:
    """Each group's class, `<Group>Service`, numbered past a schema whose name it or a class
    made from it (`Async...`, `...WithRawResponse`, `...Part<n>`) would take: a service
    module imports the models its operations use, and a class of the same name (linode's
    model `ManagedService` beside its tag `managed`) would shadow one of them."""
    taken = {n.lower() for n in schema_names}
    out: dict[tuple[str, ...], str] = {}
    for group in sorted(groups):
        base = "".join(pascal(g) for g in group) + "Service"
        name, n = base, 1
        while _service_clash(name.lower(), taken):
            n += 1
            name = f"{base}{n}"
        taken.add(name.lower())
        out[group] = name
    return out


def _service_clash(name: str, taken: set[str]) -> bool:
    made = (name, f"async{name}", f"{name}withrawresponse", f"async{name}withrawresponse")
    return any(x in taken for x in made) or any(
        x.startswith(f"{name}part") and x[len(name) + 4 :].isdigit() for x in taken
    )


# Characters a path may carry as they are (RFC 3986 pchar and `/`), `%` for text the spec
# already percent-encoded; anything else (`?`, `#`, spaces, quotes, non-ASCII) is encoded,
# so the request goes to the path the spec names and never gains a query or fragment.
_PATH_SAFE = "/!$&'()*+,;=:@-._~%"


def _path_spec(path: str, params: dict[str, tuple[m.Parameter, bool]]) -> tuple[str | _Lit, list[str]]:
    """An operation's path as its `_rt.Operation` declares it, and the arguments holding
    its parameters' values, in order: `/v1/customers/{id}` -> `("/v1/customers/",
    _rt.segment_param)`, `["id"]`; a path without parameters is its text. The text is
    percent-encoded here; a parameter that is a whole segment goes through `_rt.segment`,
    which refuses an empty, `.` or `..` value: those would address another endpoint.
    `params`: json name -> (parameter, whether its value is one piece of text)."""
    parts: list[str] = []
    names: list[str] = []
    for piece in m.path_pieces(path):
        if not piece.parameter:
            parts.append(literal(quote(piece.text, safe=_PATH_SAFE)))
            continue
        p, scalar = params[piece.text]
        parts.append(path_spec(p, scalar, piece.whole))
        names.append(p.name)
    if not names:
        return " + ".join(parts) or literal(""), names
    return _Lit("(", tuple(parts), ")"), names


@dataclass(frozen=True)
class _Lit:
    """A tuple or dict literal of an `_rt.Operation` constant, kept as its items so that
    it is printed the way black prints it (see `_bracketed`)."""

    open: str
    items: tuple[str, ...]
    close: str

    @property
    def text(self) -> str:
        one = "," if self.open == "(" and len(self.items) == 1 else ""
        return f"{self.open}{', '.join(self.items)}{one}{self.close}"


_Static = tuple[str, "str | _Lit", "str | None"]  # keyword (or ""), value, share prefix


class _Constants:
    """The module-level statements of a service module: an `_rt.Operation` constant per
    method (or per sync/async pair), built from literals and decoder expressions only.
    A literal several constants use (a security requirement, error decoders, the query
    parameters, the argument names) is named once (`_sec1`, `_err1`, `_query1`,
    `_params1`: numbered in order of first use) and defined before them; a literal
    used once stays in place."""

    def __init__(self) -> None:
        # name, annotation, decode, static arguments after the decoder, base constant
        self.ops: list[tuple[str, str, str, Sequence[_Static], str]] = []
        self.used: dict[tuple[str, str], tuple[int, str | _Lit]] = {}

    def operation(self, returns: str, decode: str, static: Sequence[_Static] = (), base: str = "") -> str:
        """Declare an operation read by `decode` and return its name (`_op<n>`, numbered
        in order: method names are too long for one line on some specs): made of
        `static` ((keyword, value, share prefix) of its arguments, the method and the
        path first), or the same as the constant `base` but for its decoder."""
        name = f"_op{len(self.ops) + 1}"
        self.ops.append((name, returns, decode, static, base))
        for _, value, prefix in static:
            if prefix is not None:
                key = (prefix, _text(value))
                self.used[key] = (self.used.get(key, (0, value))[0] + 1, value)
        return name

    def statements(self, layout: Layout) -> tuple[str, ...]:
        names: dict[tuple[str, str], str] = {}
        numbers: dict[str, int] = {}
        shared: list[str] = []
        for key, (count, value) in self.used.items():  # in order of first use
            if count > 1:
                numbers[key[0]] = numbers.get(key[0], 0) + 1
                names[key] = f"_{key[0]}{numbers[key[0]]}"
                typed = ": _rt.ErrorDecoders" if key[0] == "err" else ""  # a dict's key type is invariant
                shared.append(_assigned(layout, f"{names[key]}{typed} = ", value))
        out = []
        for name, returns, decoder, static, base in self.ops:
            # declared apart: the assignment's first line stays short
            out.append(layout.line(f"{name}: _rt.Operation[{returns}]", 0, "stmt"))
            if base:
                out.append(layout.line(f"{name} = {base}.using({decoder})", 0, "stmt"))
                continue
            args: list[tuple[str, str | _Lit]] = [("", static[0][1]), ("", static[1][1]), ("", decoder)]
            for kw, value, prefix in static[2:]:
                shared_name = names.get((prefix, _text(value))) if prefix is not None else None
                args.append((kw, shared_name or value))
            out.append(_bracketed(layout, f"{name} = _rt.Operation(", args, 0))
        return tuple(shared + out)


def _text(value: str | _Lit) -> str:
    return value if isinstance(value, str) else value.text


def _assigned(layout: Layout, head: str, value: str | _Lit) -> str:
    """`head` + a literal, at the top level, printed as black prints it."""
    if isinstance(value, str) or len(head) + len(value.text) <= layout.line_length:
        return layout.line(head + _text(value), 0, "stmt")
    return _exploded(layout, head + value.open, value.items, value.close, 0)


def _exploded(layout: Layout, head: str, items: Sequence[str], close: str, indent: int) -> str:
    """One item per line with a trailing comma, the way black splits a collection."""
    pad = " " * (indent + 4)
    lines = [f"{pad}{layout.line(item + ',', indent + 4, 'item')}" for item in items]
    return "\n".join([head, *lines, " " * indent + close])


def _bracketed(layout: Layout, head: str, args: Sequence[tuple[str, str | _Lit]], indent: int) -> str:
    """`head` (ending with a call's `(`) + the (keyword, value) arguments + `)` printed
    the way black prints a call statement: on one line when it fits, else the arguments
    on one line of their own when they fit, else one argument per line with a trailing
    comma, a literal that does not fit its line exploded in turn. Done here because
    `layout` leaves a line holding `lambda` or `await` to black, which then splits such
    statements again on every cold run."""
    texts = [kw + _text(value) for kw, value in args]
    text = f"{head}{', '.join(texts)})"
    limit = layout.line_length
    if indent + len(text) <= limit:
        return text
    pad = " " * (indent + 4)
    body = ", ".join(texts)
    if len(pad) + len(body) <= limit and indent + len(head) <= limit:
        return f"{head}\n{pad}{body}\n{' ' * indent})"
    lines = []
    for (kw, value), one in zip(args, texts):
        if isinstance(value, _Lit) and len(pad) + len(one) + 1 > limit:
            lines.append(pad + _exploded(layout, kw + value.open, value.items, value.close + ",", indent + 4))
        else:
            lines.append(pad + layout.line(one + ",", indent + 4, "item"))
    return "\n".join([head, *lines, " " * indent + ")"])


@dataclass(frozen=True)
class _Result:
    """How a method reads its success response (see PythonEmitter._method_result)."""

    kind: str  # the core's response_kind
    returns: str
    decode: str
    accept: str | None  # the Accept header, when the kind's default is not right
    async_returns_: str | None = None
    async_decode_: str | None = None
    doc: str | None = None
    shown: str | None = None  # the return type as the docs name it
    streaming: bool = False  # uses the package's `streaming` module

    @property
    def async_returns(self) -> str:
        return self.async_returns_ or self.returns

    @property
    def async_decode(self) -> str:
        return self.async_decode_ or self.decode

    def __post_init__(self) -> None:
        if self.kind == "stream":
            object.__setattr__(self, "streaming", True)


def _accept_default(media: str, kind: str) -> bool:
    """Whether the core's default Accept for `kind` (application/json for JSON, `*/*`
    otherwise) is already what the answer's media type asks for (`answer_accept`, the
    rule the Go client follows too)."""
    return answer_accept(media, kind == "json").lower() == ("application/json" if kind == "json" else "*/*")
