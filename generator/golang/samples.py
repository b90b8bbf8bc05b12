"""Go usage samples for the docs, in the style of the seed page's Go sample.

Values are the Python samples' values (`emit/samples.py`: the spec's examples, else
placeholders valid for their type), written as Go expressions in the generated module's
names; the layout (tab-indented imports, four-space body, one argument per line) is
the seed page's, so the sample for `PATCH /v1/customers/{id}` is that page's program.
A string parameter with no example is `"<value>"`, as on the page.
"""

from __future__ import annotations

import json
from typing import Any, Protocol, assert_never

from ..emit.samples import NO_VALUE, Samples, rfc3339, success_response
from ..ir import model as m
from ..ir import types as t
from ..ir.kinds import raw_content
from .contexts import Field, ModelView, OperationView, UnionView, op_key
from .naming import go_string
from .security import SecurityPlan, sample_option

PAD = "    "


class _Options(Protocol):
    @property
    def package(self) -> str: ...

    @property
    def module(self) -> str: ...


class Emitter(Protocol):
    """What samples read of the Go emitter (`golang.emit.GoEmitter`): the names it claimed."""

    api: m.Api

    @property
    def options(self) -> _Options: ...

    models: dict[str, m.Model]
    enums: dict[str, m.Enum]
    aliases: dict[str, m.Alias]
    names: dict[str, str]
    unions: dict[str, UnionView]
    alias_union: dict[str, str]
    enum_members: dict[str, list[tuple[str, str]]]
    op_contexts: dict[tuple[str, str], OperationView]
    security: SecurityPlan

    def files(self) -> Any: ...

    def go_type(self, ty: t.Type, ctx: str, pkg: str = "components") -> str: ...

    def model_context(self, model: m.Model) -> ModelView: ...

    def by_pointer(self, model: m.Model, f: m.Field) -> bool: ...


class GoSamples:
    def __init__(self, emitter: Emitter, token_env: str | None) -> None:
        self.go = emitter
        if not emitter.op_contexts:
            emitter.files()  # names (unions above all) are claimed in emission order
        self.pkg = emitter.options.package
        self.values = Samples(emitter.api, "client", token_env=token_env)
        self.token_env = token_env
        self.used: set[str] = set()

    # -- values ---------------------------------------------------------------------

    def expr(self, ty: t.Type, v: Any, ctx: str, level: int, optional: bool = False) -> str:
        """A Go expression for the JSON value `v` of `ty`; `optional`: the pointer form."""
        inner_pad, pad = PAD * (level + 1), PAD * level
        match ty:
            case t.Nullable(inner=inner):
                return "nil" if v is None else self.expr(inner, v, ctx, level, optional=True)
            case t.Primitive(kind="null"):
                return "nil"
            case t.Primitive(kind=kind, format=fmt):
                return self._scalar(kind, fmt, v, optional)
            case t.StringOnly():
                return self._scalar("str", None, v, optional)
            case t.Const(value=value):
                kind = (
                    "bool"
                    if isinstance(value, bool)
                    else "int"
                    if isinstance(value, int)
                    else ("float" if isinstance(value, float) else "str")
                )
                return self._scalar(kind, None, v, optional)
            case t.EnumRef(name=name):
                self.used.add("components")
                enum_go = self.go.names[name]
                member = next((c for c, lit in self.go.enum_members[name] if lit == self._enum_literal(name, v)), None)
                value = f"components.{member}" if member else f"components.{enum_go}({self._enum_literal(name, v)})"
                return f"{value}.ToPointer()" if optional else value
            case t.ModelRef(name=name):
                self.used.add("components")
                model = self.go.models[name]
                mctx = self.go.model_context(model)
                lines = []
                nulls = []  # explicit nulls of the value: a nil field is left out, these are sent
                by_json = {f.json: f for f in mctx.fields if isinstance(f, Field)}
                for f in model.fields:
                    if f.constant or not isinstance(v, dict) or f.json_name not in v:
                        continue
                    gf = by_json[go_string(f.json_name)]
                    if v[f.json_name] is None and gf.null_field:
                        nulls.append(go_string(gf.name))
                        continue
                    pointer = self.go.by_pointer(model, f)
                    value = self.expr(f.type, v[f.json_name], mctx.name + gf.name, level + 1, optional=pointer)
                    lines.append(f"{inner_pad}{gf.name}: {value},")
                if nulls:
                    lines.append(f"{inner_pad}NullFields: []string{{{', '.join(nulls)}}},")
                head = ("&" if optional else "") + f"components.{mctx.name}"
                return head + "{}" if not lines else head + "{\n" + "\n".join(lines) + f"\n{pad}}}"
            case t.Array(item=item):
                go_type = self.go.go_type(ty, ctx, "operations")
                self._uses(go_type)
                items = [f"{inner_pad}{self.expr(item, x, ctx, level + 1)}," for x in v]
                return go_type + ("{}" if not items else "{\n" + "\n".join(items) + f"\n{pad}}}")
            case t.Tuple(items=types):
                go_type = self.go.go_type(ty, ctx, "operations")
                self._uses(go_type)
                if not go_type.startswith("[]*"):
                    parts = [f"{inner_pad}{self.expr(i, x, ctx, level + 1)}," for i, x in zip(types, v)]
                else:
                    union = t.Union(tuple(dict.fromkeys(types)), None)
                    parts = [
                        f"{inner_pad}{self._union(union, go_type[3:].removeprefix('components.'), x, level + 1, True)},"
                        for x in v
                    ]
                return go_type + ("{}" if not parts else "{\n" + "\n".join(parts) + f"\n{pad}}}")
            case t.Map(value=value_type):
                go_type = self.go.go_type(ty, ctx, "operations")
                self._uses(go_type)
                entries = [
                    f"{inner_pad}{go_string(k)}: {self.expr(value_type, x, ctx, level + 1)}," for k, x in v.items()
                ]
                return go_type + ("{}" if not entries else "{\n" + "\n".join(entries) + f"\n{pad}}}")
            case t.Union():
                go_type = self.go.go_type(ty, ctx, "operations")
                if not go_type.startswith("components."):  # a union of one variant
                    only = next(x for x in ty.variants if x != t.Primitive("null"))
                    return self.expr(only, v, ctx, level, optional)
                return self._union(ty, go_type.removeprefix("components."), v, level, optional)
            case t.AliasRef(name=name):
                alias = self.go.aliases[name]
                if name in self.go.alias_union:
                    inner, _ = t.strip_nullable(alias.type)
                    assert isinstance(inner, t.Union)
                    return self._union(inner, self.go.alias_union[name], v, level, optional)
                return self.expr(alias.type, v, self.go.names[name], level, optional)
            case t.AnyType():
                return self._any(v, level)
            case _:
                assert_never(ty)

    def _uses(self, go_type: str) -> None:
        """The packages a composite literal's type names (`[]time.Time{...}`, `[]components.X{}`)."""
        for pkg in ("components", "operations", "time"):
            if f"{pkg}." in go_type:
                self.used.add(pkg)

    def _union(self, ty: t.Union, name: str, v: Any, level: int, optional: bool) -> str:
        self.used.add("components")
        plan = self.go.unions[name]
        variants = [x for x in ty.variants if x != t.Primitive("null")]
        index = next((i for i, x in enumerate(variants) if self.values.fits(x, v)), None)
        if index is None or index >= len(plan.variants):
            return "nil" if optional else f"components.{name}{{}}"
        variant = plan.variants[index]
        arg = self.expr(variants[index], v, name + variant.name, level + 1)
        call = f"components.{variant.constructor}(\n{PAD * (level + 1)}{arg},\n{PAD * level})"
        return f"{self.pkg}.Pointer({call})" if optional else call

    def _enum_literal(self, name: str, v: Any) -> str:
        return go_string(v) if self.go.enums[name].kind == "str" else str(v)

    def _scalar(self, kind: str, fmt: str | None, v: Any, optional: bool) -> str:
        if kind == "str" and fmt == "date-time":
            value = f"{self.pkg}.MustParseTime({go_string(rfc3339(v))})"
            return f"{self.pkg}.Pointer({value})" if optional else value
        if kind == "bytes":
            return f"[]byte({go_string(v)})"
        if kind == "bool":
            literal = "true" if v else "false"
            helper = "Bool"
        elif kind == "int":
            literal, helper = str(int(v)), "Int64"
        elif kind == "float":
            literal, helper = repr(float(v)), "Float64"
        else:
            literal, helper = go_string(v), "String"
        return f"{self.pkg}.{helper}({literal})" if optional else literal

    def _any(self, v: Any, level: int) -> str:
        inner_pad, pad = PAD * (level + 1), PAD * level
        if v is None:
            return "nil"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return json.dumps(v)
        if isinstance(v, str):
            return go_string(v)
        if isinstance(v, list):
            items = [f"{inner_pad}{self._any(x, level + 1)}," for x in v]
            return "[]any{" + ("" if not items else "\n" + "\n".join(items) + f"\n{pad}") + "}"
        entries = [f"{inner_pad}{go_string(k)}: {self._any(x, level + 1)}," for k, x in v.items()]
        return "map[string]any{" + ("" if not entries else "\n" + "\n".join(entries) + f"\n{pad}") + "}"

    # -- one operation ----------------------------------------------------------------

    def parameter_value(self, p: m.Parameter) -> Any:
        inner, _ = t.strip_nullable(p.type)
        if (
            p.location == "path"
            and not p.examples
            and isinstance(inner, t.Primitive)
            and inner.kind == "str"
            and inner.format != "date-time"  # a time.Time in Go: `MustParseTime("<value>")` panics
        ):
            return "<value>"
        return self.values.parameter_value(p)

    def _body_expr(self, body: m.Body, value: Any, ctx: str, level: int) -> str:
        """The body's Go expression; a `*/*` body without a schema (or a binary one) is bytes,
        which `Samples.body_value` already made of the value (UTF-8 text, as in Python's `b"..."`)."""
        if isinstance(body.encoding, m.WildcardBody) and raw_content(body.type):
            return f"[]byte({go_string(value.decode() if isinstance(value, bytes) else value)})"
        return self.expr(body.type, value, ctx, level, optional=not body.required)

    def operation_sample(self, op: m.Operation) -> str:
        self.used = set()
        octx = self.go.op_contexts[op_key(op)]
        level = 1
        args: list[str] = ["ctx"]
        by_name = {p.name: octx.params[i] for i, p in enumerate(op.parameters)}
        body_value = self.values.body_value(op)
        if octx.positional:
            for p in op.parameters:
                if by_name[p.name].var is None:  # a constant: always sent, not an argument
                    continue
                args.append(
                    self.expr(
                        p.type,
                        self.parameter_value(p),
                        by_name[p.name].type_context,
                        level,
                        optional=not p.required,
                    )
                )
            if op.body is not None:
                if body_value is NO_VALUE:
                    args.append("nil")
                else:
                    args.append(self._body_expr(op.body, body_value, octx.base + "Body", level))
        else:
            self.used.add("operations")
            fields = []
            for p in op.parameters:
                gp = by_name[p.name]
                if gp.field is None:  # a constant: always sent, not a field
                    continue
                value = self.parameter_value(p)
                if value is NO_VALUE:
                    continue
                fields.append(
                    f"{PAD * 2}{gp.field}: {self.expr(p.type, value, gp.type_context, level + 1, not p.required)},"
                )
            if octx.body is not None and op.body is not None and body_value is not NO_VALUE:
                fields.append(
                    f"{PAD * 2}{octx.body.var}: {self._body_expr(op.body, body_value, octx.base + 'Body', level + 1)},"
                )
            args.append(
                f"operations.{octx.request_type}{{"
                + ("" if not fields else "\n" + "\n".join(fields) + f"\n{PAD}")
                + "}"
            )
        call = f"s.{octx.service_path}.{octx.method_name}"
        option, uses_os = sample_option(self.go.security, op, self.pkg, self.token_env)
        if self.values.base_url:  # the API's server names no host (`placeholder_base_url`)
            option = [f"{self.pkg}.WithServerURL({go_string(self.values.base_url)}),", *option]
        if not option:
            ctor = [f"{PAD}s := {self.pkg}.New()"]
        else:
            ctor = [
                f"{PAD}s := {self.pkg}.New(",
                *(f"{PAD * 2}{line.replace(chr(9), PAD)}" for line in option),
                f"{PAD})",
            ]
            if any("components." in line for line in option):
                self.used.add("components")
        lines = ["func main() {", f"{PAD}ctx := context.Background()", "", *ctor, ""]
        if octx.pagination is not None:
            lines += [
                f"{PAD}it := s.{octx.service_path}.{octx.pagination.method}({', '.join(args)})",
                f"{PAD}for it.Next() {{",
                f"{PAD * 2}// handle it.Item()",
                f"{PAD}}}",
                f"{PAD}if err := it.Err(); err != nil {{",
                f"{PAD * 2}log.Fatal(err)",
                f"{PAD}}}",
            ]
        else:
            field = next((s.field for s in octx.success if s.field), None)
            check = f"res.{field} != nil" if field else "res != nil"
            lines += [
                f"{PAD}res, err := {call}({', '.join(args)})",
                f"{PAD}if err != nil {{",
                f"{PAD * 2}log.Fatal(err)",
                f"{PAD}}}",
                f"{PAD}if {check} {{",
                f"{PAD * 2}// handle response",
                f"{PAD}}}",
            ]
        lines.append("}")
        module = self.go.options.module
        imports = ['\t"context"']
        if uses_os:
            imports.append('\t"os"')
        imports.append(f'\t{self.pkg} "{module}"')
        imports += [f'\t"{module}/models/{pkg}"' for pkg in ("components", "operations") if pkg in self.used]
        imports.append('\t"log"')
        if "time" in self.used:
            imports.append('\t"time"')
        return "\n".join(["package main", "", "import(", *imports, ")", "", *lines]) + "\n"


__all__ = ["Emitter", "GoSamples", "success_response"]
