"""IR -> template contexts for the generated package's Markdown reference and README.

`docs/index.md`, one page per operation (`docs/operations/<group path>/<method>.md`) and
one per named schema (`docs/models/<Name>.md`), plus the package's `README.md`. Every
decision is made here (links, type names, which sections exist, the usage samples from
`samples.py`); the templates in `templates/python/docs/` only lay the text out, and spec
text reaches Markdown through the `md_*` filters of `render.py`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, assert_never

from .. import json_indent, naming
from ..format import format_source
from ..ir import model as m
from ..ir import types as t
from ..ir.types import referenced
from ..render import md_code
from . import contexts as ctx
from . import describe
from . import security as sec
from .codec import Imports, annotation, plain_annotation
from .output import OutputFile, error_class_name, specific_error
from .samples import NO_VALUE, SampleNames, Samples, success_response
from .wire import body_python, body_wire_doc, takes_files, wire_doc

if TYPE_CHECKING:
    from ..golang.samples import GoSamples
    from .inputs import InputDigests

Href = Callable[[str], str]


def op_page(op: m.Operation) -> str:
    """Where an operation's page lives, relative to `docs/`."""
    return "operations/" + "/".join(op.group) + f"/{naming.file_stem(op.name)}.md"


def model_page(name: str) -> str:
    """The file name of a model's, enum's or alias's page (in `docs/models/`)."""
    return f"{naming.file_stem(name)}.md"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _pretty(value: Any) -> str:
    return json_indent.dumps(value, indent=2, ensure_ascii=False)


def _first_line(text: str | None) -> str:
    return (text or "").strip().split("\n\n")[0].replace("\n", " ").strip()


def _string_only_md(ty: t.StringOnly, href: Href) -> str:
    """An open string: its known values linked, when the enums are named."""
    if not ty.enums:
        return "string"
    return "string (" + ", ".join(f"[{e}]({href(e)})" for e in ty.enums) + " or any string)"


class DocsBuilder:
    """The Markdown reference and README of one API, written around `samples` (the
    package, token variable and line length are the samples')."""

    def __init__(self, samples: Samples, *, go_module: str | None = None, distribution: str | None = None) -> None:
        api = self.api = samples.api
        self.samples = samples
        self.package = samples.package
        self.token_env = samples.token_env
        self.line_length = samples.line_length
        self.distribution = distribution  # the PyPI name of a publishable project
        self.go_module = go_module
        self.go_samples: GoSamples | None = None
        if go_module:  # the Go SDK's program beside the Python one (see generator/golang/)
            from ..golang.emit import derive_package, go_samples

            self.go_samples = go_samples(api, go_module, derive_package(go_module), self.token_env)
        self.schemas = self.samples.schemas
        # inheritance families (`_family`), by the name of their union and of their base
        # (the first union naming it: a request twin's union, `AnyPetInput`, comes after)
        self._families: dict[str, tuple[str, t.Discriminator]] = {}
        for alias in self.schemas.aliases.values():
            inner, _ = t.strip_nullable(alias.type)
            disc = inner.discriminator if isinstance(inner, t.Union) else None
            if disc is not None and disc.base is not None:
                self._families[alias.name] = (alias.name, disc)
                self._families.setdefault(disc.base, (alias.name, disc))
        self.schemes = {s.key: s for s in api.security_schemes}
        self._referenced_by = self._references()

    # -- types --------------------------------------------------------------------------

    def type_md(self, ty: t.Type, href: Href) -> str:
        """A JSON-ish type name, as the reference pages write them, named schemas linked."""
        return describe.type_name(
            ty,
            describe.TypeSpelling(
                ref=lambda name: f"[{name}]({href(name)})",
                const=lambda value: f"{md_code(_json(value))} (constant)",
                string_only=lambda s: _string_only_md(s, href),
                merge_variants=True,
            ),
        )

    def python_type(self, ty: t.Type) -> str:
        return annotation(ty, Imports(self.schemas))

    # -- tables -------------------------------------------------------------------------

    def _row(
        self, item: m.Field | m.Parameter, href: Href, cons: list[str], notes: list[str], example: Any
    ) -> ctx.FieldRow:
        """One table row of a model field or an operation parameter."""
        _, nullable = t.strip_nullable(item.type)
        return ctx.FieldRow(
            name=item.json_name,
            python=item.name if item.name != item.json_name else "",
            type=self.type_md(item.type, href),
            required="required" if item.required else "optional",
            nullable="yes" if nullable else "no",
            default=md_code(_json(item.default))
            if item.has_default
            else md_code(_json(item.type.value))  # a constant parameter: the method's default
            if isinstance(item, m.Parameter) and isinstance(item.type, t.Const) and item.constant
            else "",  # a constant in the path is an argument without a default: the caller writes it
            constraints="; ".join(cons),
            description="\n\n".join(x for x in [(item.description or "").strip(), *notes] if x),
            example=md_code(_json(example)) if example is not NO_VALUE else "",
        )

    def field_rows(self, fields: tuple[m.Field, ...], href: Href) -> tuple[ctx.FieldRow, ...]:
        rows = []
        for f in fields:
            notes = []
            if f.read_only:
                notes.append("Read-only: set by the server.")
            if f.write_only:
                notes.append("Write-only: never returned.")
            if f.deprecated:
                notes.append("Deprecated.")
            example = f.examples[0] if f.examples else NO_VALUE
            rows.append(self._row(f, href, describe.type_constraints(f.type), notes, example))
        return tuple(rows)

    def parameter_rows(self, params: list[m.Parameter], href: Href) -> tuple[ctx.FieldRow, ...]:
        rows = []
        for p in params:
            cons = describe.type_constraints(p.type) or describe.constraints(p.constraints)
            notes = [x for x in (wire_doc(p, always=True), "Deprecated." if p.deprecated else "") if x]
            example = p.examples[0] if p.examples else NO_VALUE
            rows.append(self._row(p, href, cons, notes, example))
        return tuple(rows)

    def _shape(self, ty: t.Type, href: Href, direction: str) -> ctx.Shape:
        """What a body or response holds: a model's field table, a union's variants, or a type."""
        inner, _ = t.strip_nullable(ty)
        list_of = False
        if isinstance(inner, t.Array) and isinstance(t.strip_nullable(inner.item)[0], t.ModelRef):
            inner, list_of = t.strip_nullable(inner.item)[0], True
        if isinstance(inner, t.AliasRef) and inner.name in self.schemas.aliases:
            inner = self.schemas.aliases[inner.name].type
            inner, _ = t.strip_nullable(inner)
        model = None
        fields: tuple[ctx.FieldRow, ...] = ()
        variants: tuple[str, ...] = ()
        match inner:
            case t.ModelRef(name) if name in self.schemas.models:
                found = self.schemas.models[name]
                model = ctx.ModelLink(found.name, href(found.name), (found.description or "").strip())
                shown = tuple(
                    f
                    for f in found.fields
                    if not (
                        (direction == "request" and f.read_only and not f.required)
                        or (direction == "response" and f.write_only and not f.required)
                    )
                )
                fields = self.field_rows(shown, href)
            case t.Union(members):
                variants = tuple(self.type_md(v, href) for v in members)
            case (
                t.ModelRef()  # a model left out of the client: shown by its type name alone
                | t.Primitive()
                | t.Const()
                | t.StringOnly()
                | t.Array()
                | t.Tuple()
                | t.Map()
                | t.Nullable()
                | t.EnumRef()
                | t.AliasRef()
                | t.AnyType()
            ):
                pass  # the type's name says it all
            case _:
                assert_never(inner)
        return ctx.Shape(self.type_md(ty, href), model, fields, variants, list_of)

    # -- pages ----------------------------------------------------------------------------

    def authorizations(self, op: m.Operation) -> ctx.Authorizations:
        """The operation's security requirements and what the client sends for each."""
        found = sec.requirement_rows(self.api, op)
        return ctx.Authorizations(
            rows=tuple(ctx.AuthRow(**row) for row in found.rows),
            alternatives=found.alternatives,
            any_of=found.any_of,
            optional=found.optional,
            combined=found.combined,
            declared=bool(self.api.security_schemes),
            header_argument=next(
                (p.name for p in op.parameters if p.location == "header" and p.json_name.lower() == "authorization"),
                None,
            ),
        )

    def returned(self, r: m.Response) -> str:
        """What the operation's method returns for this success response."""
        plain, stream = m.plain_contents(r), m.streamed_content(r)
        if plain:
            return " | ".join(dict.fromkeys(plain_annotation(c, Imports(self.schemas)) for c in plain))
        match stream:
            case None:
                return "None"
            case m.EventStreamContent():
                return f"streaming.EventStream[{self.python_type(stream.item)}]"
            case m.JsonLinesContent():
                return f"streaming.JsonLinesStream[{self.python_type(stream.item)}]"
            case _:
                assert_never(stream)

    def responses(self, op: m.Operation, href: Href) -> tuple[ctx.ResponseRow, ...]:
        out = []
        for r in op.responses:
            ok = r.status.startswith("2")
            python = self.returned(r) if ok else "None"
            out.append(
                ctx.ResponseRow(
                    status=r.status,
                    content_type=r.content_type or "",
                    type=self.type_md(r.type, href) if r.type is not None else "",
                    description=(r.description or "").strip(),
                    outcome=f"returns {md_code(python)}"
                    if ok
                    else f"raises {md_code('errors.' + error_class_name(r.status))}",
                )
            )
        return tuple(out)

    def operation_page(self, op: m.Operation) -> ctx.OperationPage:
        up = "../" * (len(op.group) + 1)

        def href(name: str) -> str:
            return f"{up}models/{model_page(name)}"

        call = self.samples.call(op, SampleNames())
        by_location: dict[str, list[m.Parameter]] = {}
        for p in op.parameters:
            by_location.setdefault(p.location, []).append(p)
        body = None
        if op.body is not None:
            body = ctx.BodySection(
                content_type=op.body.content_type,
                wire=body_wire_doc(op.body),
                required="required" if op.body.required else "optional",
                description=(op.body.description or "").strip(),
                python=body_python(op.body, self.python_type),
                shape=self._shape(op.body.type, href, "request"),
            )
        example = self.samples.response_example(op)
        ok = success_response(op)
        success = None
        if ok is not None and ok.type is not None and ok.content_type is not None:
            success = ctx.SuccessSection(
                status=ok.status,
                content_type=ok.content_type,
                description=(ok.description or "").strip(),
                shape=self._shape(ok.type, href, "response"),
            )
        summary, description = (op.summary or "").strip(), (op.description or "").strip()
        return ctx.OperationPage(
            title=summary or f"{op.method} {op.target}",
            method=op.method,
            path=op.target,
            call=f"client.{call.service}.{op.name}()",
            iter_call=f"client.{call.service}.{call.method}()" if call.paginated else "",
            description=description if description != summary else "",
            deprecated=op.deprecated,
            sample=self.samples.operation_sample(op),
            async_sample=self.samples.operation_sample(op, is_async=True),
            go_sample=self.go_samples.operation_sample(op) if self.go_samples else None,
            go_module=self.go_module,
            example=None
            if example is None
            else ctx.ResponseExample(
                status=example[0].status,
                content_type=example[0].content_type,
                json=_pretty(example[1]),
                from_spec=example[2],
                spec_mismatch=bool(example[0].examples) and not example[2],
            ),
            auth=self.authorizations(op),
            servers=op.servers,
            token_env=self.token_env,
            parameters=tuple(
                ctx.ParameterTable(title, "Name", self.parameter_rows(by_location[loc], href))
                for loc, title in (
                    ("path", "Path parameters"),
                    ("query", "Query parameters"),
                    ("header", "Header parameters"),
                    ("cookie", "Cookie parameters"),
                )
                if loc in by_location
            ),
            body=body,
            responses=self.responses(op, href),
            success=success,
            index=f"{up}index.md",
            reading=tuple(describe.response_reading(op, f"client.{call.service}.")),
        )

    def schema_page(self, name: str) -> ctx.SchemaPage:
        def href(other: str) -> str:
            return model_page(other)

        referenced_by = tuple(self._referenced_by.get(name, []))
        import_line = f"from {self.package}.models import {name}"
        family = self._family(name, href)
        if name in self.schemas.models:
            model = self.schemas.models[name]
            return ctx.SchemaPage(
                name=name,
                kind="model",
                description=(model.description or (model.title if model.title != name else None) or "").strip(),
                deprecated=model.deprecated,
                import_line=import_line,
                fields=self.field_rows(model.fields, href),
                members=(),
                base="",
                alias=None,
                variants=(),
                referenced_by=referenced_by,
                index="../index.md",
                family=family,
            )
        if name in self.schemas.enums:
            enum = self.schemas.enums[name]
            return ctx.SchemaPage(
                name=name,
                kind="enum",
                description=(enum.description or "").strip(),
                deprecated=enum.deprecated,
                import_line=import_line,
                fields=(),
                members=tuple(
                    ctx.EnumMemberRow(md_code(_json(mem.value)), f"{name}.{mem.name}") for mem in enum.members
                ),
                base="string" if enum.kind == "str" else "integer",
                alias=None,
                variants=(),
                referenced_by=referenced_by,
                index="../index.md",
            )
        alias = self.schemas.aliases[name]
        inner, _ = t.strip_nullable(alias.type)
        return ctx.SchemaPage(
            name=name,
            kind="alias",
            description=(alias.description or "").strip(),
            deprecated=False,
            import_line=import_line,
            fields=(),
            members=(),
            base="",
            alias=ctx.AliasType(self.type_md(alias.type, href), self.python_type(alias.type)),
            variants=tuple(self.type_md(v, href) for v in inner.variants) if isinstance(inner, t.Union) else (),
            referenced_by=referenced_by,
            index="../index.md",
            family=family,
        )

    def _family(self, name: str, href: Href) -> ctx.Family | None:
        """The inheritance family `name` is the union of (an alias) or the base of (a
        model): its tag values and the model each is read as."""
        found = self._families.get(name)
        if found is None:
            return None
        union, disc = found
        assert disc.base is not None
        return ctx.Family(
            key=disc.property,
            tags=tuple(ctx.TagRow(md_code(_json(v)), self.type_md(t.ModelRef(m), href)) for v, m in disc.mapping),
            base=self.type_md(t.ModelRef(disc.base), href),
            union=self.type_md(t.AliasRef(union), href),
        )

    def _references(self) -> dict[str, list[ctx.Reference]]:
        """Who mentions each named schema: operations first, then other schemas."""
        found: dict[str, dict[str, ctx.Reference]] = {}

        def note(ty: t.Type | None, title: str, href: str) -> None:
            for name in dict.fromkeys(referenced(ty)):
                found.setdefault(name, {}).setdefault(href, ctx.Reference(title, href))

        for op in self.api.operations:
            title = f"{(op.summary or '').strip() or op.operation_id} ({op.method} {op.target})"
            href = "../" + op_page(op)
            for p in op.parameters:
                note(p.type, title, href)
            if op.body is not None:
                note(op.body.type, title, href)
            for r in op.responses:
                note(r.type, title, href)
        for model in self.api.models:
            for f in model.fields:
                note(f.type, model.name, model_page(model.name))
            note(model.additional, model.name, model_page(model.name))
        for alias in self.api.aliases:
            note(alias.type, alias.name, model_page(alias.name))
        return {name: list(refs.values()) for name, refs in found.items()}

    def index_page(self) -> ctx.IndexPage:
        groups: dict[tuple[str, ...], list[m.Operation]] = {}
        for op in self.api.operations:
            groups.setdefault(op.group, []).append(op)
        kinds = [(x.name, "model", x.description or (x.title if x.title != x.name else None)) for x in self.api.models]
        kinds += [(x.name, "enum", x.description) for x in self.api.enums]
        kinds += [(x.name, "type alias", x.description) for x in self.api.aliases]
        return ctx.IndexPage(
            heading=self._heading(),
            groups=tuple(
                ctx.IndexGroup(
                    name=".".join(group),
                    service=self.samples.call(ops[0], SampleNames()).service,
                    operations=tuple(
                        ctx.IndexOperation(
                            title=(op.summary or "").strip() or f"{op.method} {op.target}",
                            method=op.method,
                            path=op.target,
                            python=f"{op.name}()",
                            href=op_page(op),
                            deprecated=op.deprecated,
                        )
                        for op in ops
                    ),
                )
                for group, ops in sorted(groups.items())
            ),
            schemas=tuple(
                ctx.IndexSchema(name, kind, f"models/{model_page(name)}", _first_line(text))
                for name, kind, text in sorted(kinds, key=lambda k: k[0].lower())
            ),
        )

    def _heading(self) -> ctx.ApiHeading:
        default = self.api.servers[0].name if self.api.servers else None
        return ctx.ApiHeading(
            title=self.api.title,
            version=self.api.version,
            description=(self.api.description or "").strip(),
            package=self.package,
            servers=tuple(
                ctx.ServerRow(s.name, s.url, (s.description or "").strip(), s.name == default) for s in self.api.servers
            ),
        )

    # -- the package README -------------------------------------------------------------

    def _format(self, source: str, what: str) -> str:
        return format_source(source, path=f"README sample ({what})", line_length=self.line_length)

    def readme_page(self) -> ctx.ReadmePage:
        first = self.api.operations[0] if self.api.operations else None
        return ctx.ReadmePage(
            distribution=self.distribution,
            heading=self._heading(),
            token_env=self.token_env,
            has_security=bool(self.api.security_schemes),
            default_server=self.api.servers[0].name if self.api.servers else None,
            auth_sample=self._format(self._auth_source(), "authenticate"),
            first=None
            if first is None
            else ctx.FirstOperation(
                title=(first.summary or "").strip() or f"{first.method} {first.target}",
                href="docs/" + op_page(first),
                sample=self.samples.operation_sample(first),
                async_sample=self.samples.operation_sample(first, is_async=True),
            ),
            errors_sample=None if first is None else self._errors_sample(first),
            retries_sample=None if first is None else self._retries_sample(first),
            pagination=self._pagination(),
            own_servers=tuple(
                (f"{op.method} {op.target}", "docs/" + op_page(op), op.servers[0])
                for op in self.api.operations
                if op.servers
            ),
            uploads=any(op.body is not None and takes_files(op.body) for op in self.api.operations),
            request_bodies=tuple(
                (f"{op.method} {op.target}", "docs/" + op_page(op), body_wire_doc(op.body))
                for op in self.api.operations
                if op.body is not None and body_wire_doc(op.body)
            ),
            streams=self._streams(),
            webhooks=bool(self.api.webhooks),
            schemes=tuple(sec.view(s) for s in self.api.security_schemes),
            token_arg=bearer.arg if (bearer := sec.first_bearer(self.api)) is not None else None,
            error_classes=tuple(
                (error_class_name(code), code) for code in ("400", "401", "403", "404", "409", "422", "429")
            )
            + (
                (error_class_name("500"), ">= 500"),
                ("APIError", "any other non-2xx status (the base class of all of the above)"),
                (
                    "ResponseValidationError",
                    "a 2xx body that does not match its documented schema (`pointer` says where)",
                ),
                ("APIConnectionError", "the request never got a usable response (APITimeoutError: it timed out)"),
            ),
        )

    def _streams(self) -> tuple[str, ...]:
        """One line per operation whose response is streamed (or can be): what reads it."""
        out = []
        for op in self.api.operations:
            call = self.samples.call(op, SampleNames())
            line = describe.stream_reading(op, f"client.{call.service}.")
            if line is not None:
                out.append(f"{line} ([its page](docs/{op_page(op)}))")
        return tuple(out)

    def _errors_sample(self, op: m.Operation) -> str:
        callee, args, result = self._invocation(op)
        assign = f"{result} = " if result else ""
        raised = (specific_error(r.status) for r in op.responses if not r.status.startswith("2"))
        specific = next((e for e in raised if e is not None), None)
        lines = [f"from {self.package} import errors", "", "try:", f"    {assign}{callee}({', '.join(args)})"]
        if specific:
            lines += [f"except errors.{specific} as exc:", "    print(exc.status_code, exc.body)"]
        lines += ["except errors.APIError as exc:", "    print(exc.status_code, exc.content)"]
        lines += ["except errors.APIConnectionError as exc:", "    print('network problem:', exc)"]
        return self._format("\n".join(lines) + "\n", "errors")

    def _retries_sample(self, op: m.Operation) -> str:
        callee, args, result = self._invocation(op)
        options = 'request_options={"retries": 2, "timeout": 5.0}'
        lines = [
            f"from {self.package} import Client, RetryConfig",
            "",
            "client = Client(retries=3)",
            "client = Client(retries=RetryConfig(max_retries=5, initial_delay=1.0, max_delay=30.0))",
            (f"{result} = " if result else "") + f"{callee}({', '.join([*args, options])})",
        ]
        return self._format("\n".join(lines) + "\n", "retries")

    def _pagination(self) -> ctx.PaginationSample | None:
        """The first paginated operation: its iterator, then one page of it."""
        op = next((op for op in self.api.operations if op.pagination is not None), None)
        if op is None or op.pagination is None:
            return None
        page_param = op.pagination.page_param
        names = SampleNames()
        call = self.samples.call(op, names)
        every = [*call.positional, *(f"{k}={v}" for k, v in call.keyword)]
        one = [*call.positional, *(f"{k}={v}" for k, v in call.keyword if k != page_param)]
        if page_param:  # else the server names the next page (a URL in the body, a Link header)
            one.append(f"{page_param}=1")
        items = f"page.{op.pagination.items_field}" if op.pagination.items_field else "page"
        lines = _model_imports(names, self.package) + [
            f"for {call.result} in client.{call.service}.{call.method}({', '.join(every)}):",
            f"    print({call.result})",
            "",
            f"page = client.{call.service}.{op.name}({', '.join(one)})",
            f"print({items})",
        ]
        return ctx.PaginationSample(
            sample=self._format("\n".join(lines) + "\n", "pagination"),
            method=f"client.{call.service}.{call.method}()",
            page_method=f"client.{call.service}.{op.name}()",
            page_param=page_param,
            href="docs/" + op_page(op),
        )

    def _auth_source(self) -> str:
        lines = [f"from {self.package} import Client", ""]
        where = [f"base_url={naming.literal(self.samples.base_url)}"] if self.samples.base_url else []

        def client(*args: str) -> str:  # `base_url` when the API's server names no host
            return f"client = Client({', '.join([*args, *where])})"

        bearer = sec.first_bearer(self.api)
        if bearer is not None and bearer.env:
            lines.append(f"{client()}  # reads ${bearer.env}")
        elif bearer is not None:
            lines.append(client('"<YOUR_TOKEN>"'))
        elif self.token_env and not self.api.security_schemes:
            lines.append(f"{client()}  # reads ${self.token_env}")
        elif self.api.security_schemes:
            first = sec.view(self.api.security_schemes[0])
            lines.append(f"{client()}  # configure `{first.arg}`: see below")
        else:
            lines.append(client())
        return "\n".join(lines) + "\n"

    def _invocation(self, op: m.Operation) -> tuple[str, list[str], str | None]:
        """(`client.group.op`, its arguments, the variable for its result) for one page-less call."""
        call = self.samples.call(op, SampleNames())
        args = [*call.positional, *(f"{k}={v}" for k, v in call.keyword)]
        if call.paginated:
            return f"client.{call.service}.{op.name}", args, "page"
        return f"client.{call.service}.{call.method}", args, call.result

    # -- files ----------------------------------------------------------------------------

    def files(self, inputs: InputDigests | None = None) -> list[OutputFile]:
        """With `inputs`, the pages of operations and schemas carry their digest and are
        built when asked (not with a Go program beside the samples: its names are global)."""
        keyed = inputs if self.go_samples is None else None
        readme = OutputFile("README.md", "package_readme.md.jinja", shows_samples=True)
        if keyed is None:
            readme.context = self.readme_page()
        else:  # its samples may still be formatting (`format.Prepared`): built when rendered, last
            readme.make = self.readme_page  # (not keyed by inputs: it reads the whole API)
        out = [readme, OutputFile("docs/index.md", "docs/index.md.jinja", self.index_page())]
        for op in self.api.operations:
            path, template = "docs/" + op_page(op), "docs/operation.md.jinja"
            if keyed is None:
                out.append(OutputFile(path, template, self.operation_page(op), shows_samples=True))
            else:
                digest = keyed.operation("operation page", op)
                make = partial(self.operation_page, op)
                out.append(OutputFile(path, template, inputs=digest, make=make, shows_samples=True))
        for name in [*self.schemas.models, *self.schemas.enums, *self.schemas.aliases]:
            path, template = f"docs/models/{model_page(name)}", "docs/schema.md.jinja"
            if keyed is None:
                out.append(OutputFile(path, template, self.schema_page(name)))
            else:
                digest = keyed.schemas("schema page", (name,), self._referenced_by.get(name, []))
                out.append(OutputFile(path, template, inputs=digest, make=partial(self.schema_page, name)))
        return out


def _model_imports(names: SampleNames, package: str) -> list[str]:
    lines = []
    by_module: dict[str, set[str]] = {}
    for module, name in names.stdlib:
        by_module.setdefault(module, set()).add(name)
    lines += [f"from {mod} import {', '.join(sorted(ns))}" for mod, ns in sorted(by_module.items())]
    if names.models:
        lines.append(f"from {package}.models import {', '.join(sorted(names.models))}")
    return lines + ([""] if lines else [])
