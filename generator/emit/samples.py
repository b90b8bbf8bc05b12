"""Usage samples for the generated client, built from the IR alone.

Values come from the spec's own examples (a request body's media example, then each
field's and parameter's `examples`, then server defaults); whatever is required and has
no example gets a placeholder that is still valid for its type (a UUID string, an
enum's first member, a date-time, a value inside its bounds). The same values serve
twice: as Python source for the samples and as JSON for example responses, so an
example response always decodes with the generated client.

`overlay(api, package)` packs the samples into an OpenAPI Overlay 1.0 document that adds
`x-codeSamples` to every operation of the spec.
"""

from __future__ import annotations

import builtins
import datetime as _dt
import json
import keyword
import math
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, assert_never

from ..format import format_source
from ..ir import model as m
from ..ir import types as t
from ..ir.kinds import is_scalar, raw_content
from ..naming import enum_member, literal, snake
from .codec import UUID_FORMATS, Schemas
from .layout import Layout
from .pattern_example import MAX_STEPS, MAX_TEXT, readable
from .security import first_bearer

PLACEHOLDER_UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
PLACEHOLDER_DATETIME = "2024-01-01T00:00:00Z"
PLACEHOLDER_DATE = "2024-01-01"
PLACEHOLDER_TOKEN = "<YOUR_TOKEN>"
PLACEHOLDER_HOST = "https://<host>"  # the API's address, where the spec names none


def placeholder_base_url(api: m.Api) -> str | None:
    """The `base_url` (Go: `WithServerURL`) a sample passes because the client is not
    built without one: the API lists no server, or its first server's URL, with its
    variables' defaults, is relative (`/api/v1` names no host; both runtimes refuse it).
    `<host>` stands for the address as `<YOUR_TOKEN>` does for a credential; None when the
    first server is absolute."""
    if not api.servers:
        return PLACEHOLDER_HOST
    url = api.servers[0].url
    for var in api.server_variables:
        url = url.replace("{" + var.json_name + "}", var.default)
    if "://" in url:
        return None
    return PLACEHOLDER_HOST + ("/" + url.lstrip("/")).rstrip("/")


MAX_DEPTH = 8  # nested models beyond this depth are left out when optional
# Values one example may hold before its optional fields are left out: a response shows
# every field, and in a dense graph of models (Microsoft Graph: thousands of entities,
# each linking dozens) the tree below one model grows exponentially with the depth
# (the generator grew past 9 GB in the first minutes of its docs). The largest example
# of Polar's three specs holds 438 values, of Kubernetes', Stripe's and GitHub's
# 1,038-1,181: none of them reaches the budget, their pages are unchanged.
EXAMPLE_BUDGET = 5_000

_STRING_CANDIDATES = ("string", "US", "abc123", "ABC", "abc", "123", "a", "value", "example")
# tried after those when a `pattern` refuses them all: shapes patterns often ask for (an
# E.164 phone number, numbers joined by a hyphen, a path, a slug, a date, a version, a
# UUID written as a pattern)
_PATTERN_CANDIDATES = (
    "+15555550123",
    "123-456",
    "/string",
    "a-b",
    "abc_123",
    "2024-01-01",
    "1.0.0",
    "A1",
    PLACEHOLDER_UUID,
)
_FORMAT_STRINGS = {
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "iri": "https://example.com",
    "uri-reference": "https://example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "time": "12:00:00",
    "duration": "P1D",
    "password": "secret",
    "byte": "c3RyaW5n",  # base64 (OpenAPI 3.0 `format: byte`): "string"
}
NO_VALUE = object()
_RESERVED_VARS = frozenset({"client", "main", "asyncio", "models", "errors", "item", "result"})


@dataclass
class SampleNames:
    """What one sample imports: stdlib names and the package's models."""

    stdlib: set[tuple[str, str]] = field(default_factory=set)
    models: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Call:
    """One operation call as source pieces: the service path, the arguments, the result variable."""

    service: str  # `customers` / `customer_portal.customers`
    method: str
    positional: tuple[str, ...]
    keyword: tuple[tuple[str, str], ...]
    result: str | None  # variable for the return value, None when nothing is returned
    paginated: bool
    streamed: str | None = None  # the loop variable when the method returns a stream


class Samples:
    """Sample values and code for every operation of one API."""

    def __init__(
        self,
        api: m.Api,
        package: str,
        *,
        token_env: str | None = None,
        line_length: int = 88,
    ) -> None:
        self.api = api
        self.package = package
        self.token_env = token_env
        self.line_length = line_length
        self.layout = Layout(line_length)
        self.schemas = Schemas.of(api)
        self._content: dict[str, bool] = {}
        self._spent = 0  # values in the example being built (`EXAMPLE_BUDGET`)
        self._service_paths = _service_paths(api)
        self.base_url = placeholder_base_url(api)

    # -- does a value fit a type? ---------------------------------------------------

    def fits(self, ty: t.Type, v: Any) -> bool:
        """True when the JSON value `v` is a valid (decodable) value of `ty`."""
        match ty:
            case t.Nullable(inner):
                return v is None or self.fits(inner, v)
            case t.Primitive():
                return _fits_primitive(ty, v)
            case t.Const(value):
                return type(v) is type(value) and v == value
            case t.StringOnly():
                return isinstance(v, str)
            case t.Array(item):
                return isinstance(v, list) and all(self.fits(item, x) for x in v)
            case t.Tuple(items):
                return isinstance(v, list) and len(v) == len(items) and all(self.fits(i, x) for i, x in zip(items, v))
            case t.Map(value):
                return isinstance(v, dict) and all(self.fits(value, x) for x in v.values())
            case t.Union(variants):
                return any(self.fits(variant, v) for variant in variants)
            case t.EnumRef(name):
                enum = self.schemas.enums.get(name)
                return enum is not None and any(_same(mem.value, v) for mem in enum.members)
            case t.ModelRef(name):
                model = self.schemas.models.get(name)
                if model is None or not isinstance(v, dict):
                    return False
                for f in model.fields:
                    if f.json_name in v:
                        if not self.fits(f.type, v[f.json_name]):
                            return False
                    elif f.required:
                        return False
                return True
            case t.AliasRef(name):
                alias = self.schemas.aliases.get(name)
                return alias is not None and self.fits(alias.type, v)
            case t.AnyType():
                return True
            case _:
                assert_never(ty)

    # -- JSON values ----------------------------------------------------------------

    def value(
        self,
        ty: t.Type,
        examples: tuple[Any, ...] = (),
        *,
        direction: str = "response",
        stack: tuple[str, ...] = (),
    ) -> Any:
        """A JSON value of `ty`: the first example that fits, else a placeholder."""
        if not stack:  # a new example
            self._spent = 0
        self._spent += 1
        for example in examples:
            if self.fits(ty, example):
                return example
        return self._placeholder(ty, direction, stack)

    def _placeholder(self, ty: t.Type, direction: str, stack: tuple[str, ...]) -> Any:
        match ty:
            case t.Nullable(inner):
                if self.leads_back(inner, stack) or (isinstance(inner, t.ModelRef) and len(stack) > MAX_DEPTH):
                    return None
                return self._placeholder(inner, direction, stack)
            case t.Primitive():
                return _primitive_placeholder(ty)
            case t.Const(value):
                return value
            case t.StringOnly(known, constraints=c):
                return known[0] if known else _string_placeholder(None, c)
            case t.Array(item_type, c):
                if len(stack) > MAX_DEPTH or self.leads_back(item_type, stack):
                    return []  # a list may be empty: that ends a cycle through its items
                count = 0 if c is not None and c.max_items == 0 else max(1, c.min_items or 0 if c is not None else 0)
                return [self._placeholder(item_type, direction, stack)] * count
            case t.Tuple(items):
                return [self._placeholder(i, direction, stack) for i in items]
            case t.Map(value, key, c):
                if len(stack) > MAX_DEPTH or (c is not None and c.max_properties == 0):
                    return {}
                key_text = _string_placeholder(None, key) if key is not None else "key"
                return {key_text: self._placeholder(value, direction, stack)}
            case t.Union():
                return self._union_placeholder(ty, direction, stack)
            case t.EnumRef(name):
                enum = self.schemas.enums.get(name)
                return enum.members[0].value if enum is not None and enum.members else "string"
            case t.ModelRef(name):
                return self.model_value(name, direction=direction, stack=stack)
            case t.AliasRef(name):
                alias = self.schemas.aliases.get(name)
                return self._placeholder(alias.type, direction, stack) if alias is not None else {}
            case t.AnyType():
                return {}  # any JSON value is valid
            case _:
                assert_never(ty)

    def _union_placeholder(self, ty: t.Union, direction: str, stack: tuple[str, ...]) -> Any:
        """A value of the first variant, of the object the generated decoder picks first."""
        chosen = self._union_choice(ty)
        if chosen is None:
            return None
        variant, overrides = chosen
        if overrides is not None and isinstance(variant, t.ModelRef):
            return self.model_value(variant.name, direction=direction, stack=stack, overrides=overrides)
        return self._placeholder(variant, direction, stack)

    def _union_choice(self, ty: t.Union) -> tuple[t.Type, dict[str, Any] | None] | None:
        """The variant a union's example is a value of (None: only null), and the
        discriminator value it must hold (None: no tag to set)."""
        plan = self.schemas.plan(ty)
        variants = [
            (v, kind)
            for v, kind in zip(ty.variants, plan.kinds)
            if not (isinstance(v, t.Primitive) and v.kind == "null")
        ]
        if not variants:
            return None
        first, kind = variants[0]
        if kind not in (None, "object"):
            return first, None
        if plan.tag is not None and plan.by_tag:
            value, _, variant = plan.by_tag[0]
            if isinstance(variant, t.ModelRef):
                # a tag one level down is the nested model's constant, which its value holds
                return variant, {} if plan.tag_at else {plan.tag: value}
        if plan.by_key:
            return plan.by_key[0][2], None
        if plan.object_fallback is not None:
            return plan.object_fallback, None
        return first, None

    def model_value(
        self,
        name: str,
        *,
        direction: str = "response",
        stack: tuple[str, ...] = (),
        overrides: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A model's JSON: its required fields, plus the optional ones the spec illustrates."""
        model = self.schemas.models.get(name)
        if model is None or name in stack:
            # in the stack: a chain of required fields leads back to this model, so no
            # finite value exists (the spec's own contradiction); the cycle stops here
            return {}
        for example in model.examples:
            if self.fits(t.ModelRef(name), example) and all(example.get(k) == v for k, v in (overrides or {}).items()):
                return dict(example)
        inner = (*stack, name)
        out: dict[str, Any] = {}
        for f in model.fields:
            if overrides and f.json_name in overrides:
                out[f.json_name] = overrides[f.json_name]
            elif f.required or self.shows_optional(f, direction, inner):
                out[f.json_name] = self.value(f.type, f.examples, direction=direction, stack=inner)
        return out

    def leads_back(self, ty: t.Type, stack: tuple[str, ...], seen: frozenset[str] = frozenset()) -> bool:
        """Whether the example of `ty` is (as the variant a union's example takes, through
        named aliases) a model being built further up: it would repeat until the cycle is
        cut with `{}`, which no model accepts (an inheritance base's `friend: Pet`)."""
        match ty:
            case t.ModelRef(name):
                return name in stack
            case t.Nullable(inner):
                return self.leads_back(inner, stack, seen)
            case t.Union():
                chosen = self._union_choice(ty)  # the variant its example takes
                return chosen is not None and self.leads_back(chosen[0], stack, seen)
            case t.AliasRef(name):
                alias = self.schemas.aliases.get(name)
                return alias is not None and name not in seen and self.leads_back(alias.type, stack, seen | {name})
            case (
                t.Primitive() | t.Const() | t.StringOnly() | t.Array() | t.Tuple() | t.Map() | t.EnumRef() | t.AnyType()
            ):
                return False  # a list or a map may be empty: that ends a cycle through its items
            case _:
                assert_never(ty)

    def shows_optional(self, f: m.Field, direction: str, stack: tuple[str, ...]) -> bool:
        """Whether an optional field appears in an example.

        Responses show every field, as reference pages do (a model already being built
        further up is left out, so cycles end); requests show only what the spec
        illustrates: a field with an example, or a model that has some.
        """
        if (direction == "request" and (f.read_only or f.deprecated)) or (direction == "response" and f.write_only):
            return False
        if self._spent >= EXAMPLE_BUDGET:
            return False
        ref, _ = t.strip_nullable(f.type)
        if direction == "response":
            return not self.leads_back(f.type, stack) and len(stack) <= MAX_DEPTH
        if any(self.fits(f.type, e) for e in f.examples):
            return True
        return (
            isinstance(ref, t.ModelRef)
            and ref.name not in stack
            and len(stack) <= MAX_DEPTH
            and self.has_examples(ref.name)
        )

    def has_examples(self, name: str) -> bool:
        """Whether a model (or one of its nested models) carries any example."""
        known = self._content.get(name)
        if known is not None:
            return known
        self._content[name] = False  # a cycle adds nothing
        model = self.schemas.models.get(name)
        found = model is not None and (
            bool(model.examples)
            or any(
                f.examples or (isinstance(r := t.strip_nullable(f.type)[0], t.ModelRef) and self.has_examples(r.name))
                for f in model.fields
            )
        )
        self._content[name] = found
        return found

    # -- Python source for a JSON value ----------------------------------------------

    def py(self, ty: t.Type, v: Any, names: SampleNames, *, path: bool = False) -> str:
        """A Python expression for the JSON value `v` of type `ty`, in the client's types."""
        match ty:
            case t.Nullable(inner):
                return "None" if v is None else self.py(inner, v, names, path=path)
            case t.Primitive():
                return _py_primitive(ty, v, names, path=path)
            case t.Const() | t.StringOnly() | t.AnyType():
                return _q(v)
            case t.Array(item):
                return "[" + ", ".join(self.py(item, x, names) for x in v) + "]"
            case t.Tuple(items):
                parts = [self.py(i, x, names) for i, x in zip(items, v)]
                return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
            case t.Map(value):
                return "{" + ", ".join(f"{_q(k)}: {self.py(value, x, names)}" for k, x in v.items()) + "}"
            case t.Union(variants):
                variant = next((x for x in variants if self.fits(x, v)), None)
                return self.py(variant, v, names, path=path) if variant is not None else _q(v)
            case t.EnumRef(name):
                names.models.add(name)
                enum = self.schemas.enums.get(name)
                member = next((mem for mem in enum.members if _same(mem.value, v)), None) if enum else None
                if member is not None and member.name == enum_member(member.value):
                    return f"{name}.{member.name}"
                return f"{name}({_q(v)})"  # an unknown value, or a member whose name hides it
            case t.ModelRef(name):
                names.models.add(name)
                model = self.schemas.models[name]
                args = [f"{f.name}={self.py(f.type, v[f.json_name], names)}" for f in model.fields if f.json_name in v]
                return f"{name}({', '.join(args)})"
            case t.AliasRef(name):
                return self.py(self.schemas.aliases[name].type, v, names, path=path)
            case _:
                assert_never(ty)

    # -- one operation ----------------------------------------------------------------

    def parameter_value(self, p: m.Parameter) -> Any:
        """The value a sample passes for `p`, or `NO_VALUE` when it leaves `p` out."""
        for example in p.examples:
            if self.fits(p.type, example):
                return example
        if p.required:
            return self._shown(p.type)
        if p.deprecated:
            return NO_VALUE
        if p.has_default and p.default is not None and self.fits(p.type, p.default):
            return p.default
        if p.style == "deepObject":  # the wire form (`?key[sub]=value`) is worth showing
            return self._shown(p.type)
        return NO_VALUE

    def _shown(self, ty: t.Type) -> Any:
        """A parameter's placeholder; an object that needs no field gets one, as a body
        does (readme's `style: label` path object was sampled empty, which the client
        refuses in a path: "a path parameter cannot be ''")."""
        value = self._placeholder(ty, "request", ())
        return (self._one_optional_field(ty) or value) if value == {} else value

    def body_value(self, op: m.Operation) -> Any:
        """The body a sample sends: the media example, else one built from the fields."""
        body = op.body
        if body is None:
            return NO_VALUE
        value = next((example for example in body.examples if self.fits(body.type, example)), NO_VALUE)
        if value is NO_VALUE:
            value = self.value(body.type, direction="request")
            if value == {}:
                value = self._one_optional_field(body.type)
            if not body.required and value in ({}, None):
                return NO_VALUE
        if isinstance(body.encoding, m.WildcardBody) and raw_content(body.type) and not isinstance(value, bytes):
            # the caller's bytes (`*/*` without a schema): a value would go as JSON instead
            value = (value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))).encode()
        return value

    def _one_optional_field(self, ty: t.Type) -> dict[str, Any]:
        """A request body whose model needs no field and illustrates none (Polar's
        `ProductUpdate`, conjur's `{enabled}`): one optional field, a scalar if it has
        one, so the sample shows what the call is for instead of an empty body (which a
        server may refuse: "Body parameter is required")."""
        ref, _ = t.strip_nullable(ty)
        model = self.schemas.models.get(ref.name) if isinstance(ref, t.ModelRef) else None
        if model is None:
            return {}
        settable = [f for f in model.fields if not (f.read_only or f.deprecated or isinstance(f.type, t.Const))]
        scalars = [f for f in settable if is_scalar(f.type, self.schemas.aliases)]
        named = [f for f in scalars if f.json_name.lower() in ("name", "title")]  # what the object is called
        for f in named[:1] or scalars[:1] or settable[:1]:
            return {f.json_name: self.value(f.type, f.examples, direction="request", stack=(model.name,))}
        return {}

    def call(self, op: m.Operation, names: SampleNames) -> Call:
        positional: list[str] = []
        keyword_args: list[tuple[str, str]] = []
        for p in op.parameters:
            if p.location == "path":
                positional.append(self.py(p.type, self.parameter_value(p), names, path=True))
        body = self.body_value(op)
        if body is not NO_VALUE and op.body is not None:
            expr = self.py(op.body.type, body, names)
            if op.body.required:
                positional.append(expr)
            else:
                keyword_args.append(("body", expr))
        for p in op.parameters:
            # a constant (AWS's `Action`) is the Python method's default: left out here
            if p.location != "path" and not p.constant:
                value = self.parameter_value(p)
                if value is not NO_VALUE:
                    keyword_args.append((p.name, self.py(p.type, value, names)))
        paginated = op.pagination is not None
        streamed = None
        if paginated:
            assert op.pagination is not None
            result = _variable(op.pagination.item_type, names) or "item"
        else:
            ok = success_response(op)
            result = None
            if ok is not None and ok.content_type is not None and ok.type is not None:
                result = _variable(ok.type, names) or "result"
            stream = m.streamed_content(ok) if ok is not None and not m.plain_contents(ok) else None
            if stream is not None:
                streamed, result = stream.element, "stream"
        return Call(
            service=self._service_paths[op.group],
            method=f"iter_{op.name}" if paginated else op.name,
            positional=tuple(positional),
            keyword=tuple(keyword_args),
            result=result,
            paginated=paginated,
            streamed=streamed,
        )

    def _client_line(self, cls: str, op: m.Operation) -> tuple[str, str]:
        """The client construction and its trailing comment (no token for a public call);
        `base_url` first among the keywords when the API's server names no host."""
        where = [f"base_url={_q(self.base_url)}"] if self.base_url else []
        if not op.security or any(len(alt) == 0 for alt in op.security):
            return f"{cls}({', '.join(where)})", ""
        bearer = first_bearer(self.api)
        first = [u.scheme for u in op.security[0]]
        if self.api.security_schemes and (bearer is None or first != [bearer.key]):
            # the positional token fills the bearer scheme only: others are keywords
            return f"{cls}({', '.join([*where, *self._credential_args(op.security[0])])})", ""
        if self.token_env:
            return f"{cls}({', '.join(where)})", f"  # the token is read from ${self.token_env}"
        return f"{cls}({', '.join([_q(PLACEHOLDER_TOKEN), *where])})", ""

    def _credential_args(self, alternative: m.SecurityRequirement) -> list[str]:
        """Keyword arguments with placeholders for the schemes of one requirement."""
        schemes = {s.key: s for s in self.api.security_schemes}
        out = []
        for use in alternative:
            scheme = schemes[use.scheme]
            kind = scheme.kind
            match kind:
                case m.HttpBasic():
                    out.append(f'{scheme.arg}=("<USERNAME>", "<PASSWORD>")')
                case m.HttpBearer() | m.OpenIdConnect() | m.OAuth2():
                    out.append(f"{scheme.arg}={_q(PLACEHOLDER_TOKEN)}")
                case m.ApiKey():
                    out.append(f'{scheme.arg}="<YOUR_KEY>"')
                case m.HttpOther() | m.MutualTLS():
                    pass  # an httpx.Auth / a certificate on http_client: see the README
                case _:
                    assert_never(kind)
        return out

    def operation_sample(self, op: m.Operation, *, is_async: bool = False) -> str:
        """A complete program calling `op`, formatted by black."""
        source = self.operation_source(op, is_async=is_async)
        return format_source(source, path=f"sample of {op.operation_id}", line_length=self.line_length)

    def all_sources(self) -> list[str]:
        """The sources `operation_sample` formats for every operation, sync then async:
        the pipeline has black format them ahead, in its pool (`format.Prepared`)."""
        return [self.operation_source(op, is_async=a) for op in self.api.operations for a in (False, True)]

    def operation_source(self, op: m.Operation, *, is_async: bool = False) -> str:
        """`operation_sample`'s program before black."""
        names = SampleNames()
        call = self.call(op, names)
        args = ", ".join([*call.positional, *(f"{k}={v}" for k, v in call.keyword)])
        invocation = f"client.{call.service}.{call.method}({args})"
        cls = "AsyncClient" if is_async else "Client"
        ctor, comment = self._client_line(cls, op)
        # the statements laid out as black prints them (emit/layout.py): black, which still
        # formats the program, then finds nothing to change and makes one pass, not two
        at = 8 if is_async else 0
        line = self.layout.line
        body: list[str]
        if call.paginated:
            loop = "async for" if is_async else "for"
            body = [
                line(f"{loop} {call.result} in {invocation}:", at, "for"),
                "    " + line(f"print({call.result})", at + 4, "stmt"),
            ]
        elif call.streamed is not None:
            opener = "async with await" if is_async else "with"
            loop = "async for" if is_async else "for"
            shown = f"{call.streamed}.data" if call.streamed == "event" else call.streamed
            body = [
                f"{opener} {invocation} as stream:",
                f"    {loop} {call.streamed} in stream:",
                f"        print({shown})",
            ]
        elif call.result is None:
            body = [line(("await " if is_async else "") + invocation, at, "stmt")]
        else:
            assigned = f"{call.result} = " + ("await " if is_async else "") + invocation
            body = [line(assigned, at, "stmt"), line(f"print({call.result})", at, "stmt")]
        lines = _import_lines(names, self.package, cls, is_async, self.layout)
        lines.append("")
        if is_async:
            lines += ["", "async def main() -> None:", f"    async with {ctor} as client:{comment}"]
            lines += ["        " + text for text in body]  # laid out at 8: continuations indented
            lines += ["", "", "asyncio.run(main())"]
        else:
            lines += [f"client = {ctor}{comment}", ""] + body
        return "\n".join(lines) + "\n"

    def response_example(self, op: m.Operation) -> tuple[m.Response, Any, bool] | None:
        """(success response, its JSON example, whether the spec gave it) for a JSON response."""
        ok = success_response(op)
        if ok is None or ok.type is None or not ok.contents or not isinstance(ok.contents[0], m.JsonContent):
            return None
        for example in ok.examples:
            if self.fits(ok.type, example):
                return ok, example, True
        return ok, self.value(ok.type, direction="response"), False


def success_response(op: m.Operation) -> m.Response | None:
    return next((r for r in op.responses if r.status.startswith("2")), None)


def _service_paths(api: m.Api) -> dict[tuple[str, ...], str]:
    """The attribute path from the client to each group's service (as client.py names them)."""
    ops_by_group: dict[tuple[str, ...], set[str]] = {}
    for op in api.operations:
        ops_by_group.setdefault(op.group, set()).add(op.name)
    out: dict[tuple[str, ...], str] = {}
    for group in ops_by_group:
        parts = [group[0]]
        for depth in range(1, len(group)):
            name = group[depth]
            parts.append(f"{name}_group" if name in ops_by_group.get(group[:depth], set()) else name)
        out[group] = ".".join(parts)
    return out


def _variable(ty: t.Type, names: SampleNames) -> str | None:
    ty, _ = t.strip_nullable(ty)
    if not isinstance(ty, (t.ModelRef, t.AliasRef)):  # narrowing: only these name a variable
        return None
    name = snake(ty.name)
    if (
        not name.isidentifier()
        or keyword.iskeyword(name)
        or name in dir(builtins)
        or name in _RESERVED_VARS
        or any(name == n for _, n in names.stdlib)
    ):
        return None
    return name


def _import_lines(names: SampleNames, package: str, cls: str, is_async: bool, layout: Layout) -> list[str]:
    by_module: dict[str, set[str]] = {}
    for module, name in names.stdlib:
        by_module.setdefault(module, set()).add(name)
    lines = ["import asyncio"] if is_async else []
    lines += [layout.import_from(mod, sorted(ns)) for mod, ns in sorted(by_module.items())]
    if lines:
        lines.append("")
    lines.append(f"from {package} import {cls}")
    if names.models:
        lines.append(layout.import_from(f"{package}.models", sorted(names.models)))
    return lines


# -- primitives -----------------------------------------------------------------------


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _parse_datetime(v: str) -> _dt.datetime | None:
    try:
        return _dt.datetime.fromisoformat(v.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None


def rfc3339(v: str) -> str:
    """A date-time example as RFC 3339 text (what OpenAPI's `date-time` is): examples in
    the other forms Python reads (data2crm's `2015-01-01T05:18:23-0700`) are rewritten
    with a `+hh:mm` offset (none: UTC, as the Python client sends a naive datetime), so
    every target's sample reads them (Go's `time.Parse`)."""
    parsed = _parse_datetime(v)
    if parsed is None or re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", v):
        return v
    return parsed.isoformat() + ("Z" if parsed.tzinfo is None else "")


def _fits_primitive(ty: t.Primitive, v: Any) -> bool:
    if ty.kind == "null":
        return v is None
    if ty.kind == "bool":
        return isinstance(v, bool)
    if ty.kind == "int":
        return isinstance(v, int) and not isinstance(v, bool)
    if ty.kind == "float":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if not isinstance(v, str):
        return False
    if ty.kind == "str" and ty.format == "date-time":
        parsed = _parse_datetime(v)
        return parsed is not None and "T" in v.upper()
    if ty.kind == "str" and ty.format == "date":
        try:
            _dt.date.fromisoformat(v)
        except ValueError:
            return False
        return True
    if ty.kind == "str" and ty.format in UUID_FORMATS:
        try:
            uuid.UUID(v)
        except ValueError:
            return False
    return True


def _number_placeholder(c: t.Constraints | None, integer: bool) -> int | float:
    """0 when the bounds allow it, else the value inside them nearest to 0 (a multiple of
    `multipleOf` if set). gsmtasks' `minimum: -9223372036854776000` (an int64 bound written
    through a float) was the sample's value: past int64, the Go sample did not compile."""
    step = 1 if integer else 0.5
    lo: float | None = None
    hi: float | None = None
    if c is not None:
        lows = [
            x for x in (c.minimum, None if c.exclusive_minimum is None else c.exclusive_minimum + step) if x is not None
        ]
        highs = [
            x for x in (c.maximum, None if c.exclusive_maximum is None else c.exclusive_maximum - step) if x is not None
        ]
        lo = max(lows) if lows else None
        hi = min(highs) if highs else None
    value: float = 0
    if lo is not None and value < lo:
        value = lo
    elif hi is not None and value > hi:
        value = hi
    if c is not None and c.multiple_of:
        value = math.ceil(value / c.multiple_of) * c.multiple_of
    return math.ceil(value) if integer else float(value)


def _string_placeholder(fmt: str | None, c: t.Constraints | None) -> str:
    candidates = [_FORMAT_STRINGS[fmt]] if fmt in _FORMAT_STRINGS else []
    candidates += list(_STRING_CANDIDATES)
    if c is not None and c.pattern is not None:
        candidates += list(_PATTERN_CANDIDATES)
    # a `minLength` past what a sample can show is not padded to (a spec's 10**9 was a
    # string of that many characters)
    lo = min(c.min_length if c is not None and c.min_length is not None else 0, MAX_TEXT)
    hi = c.max_length if c is not None and c.max_length is not None else None
    # a pattern is checked by its automaton, never by `re` (spec text: `re` can backtrack
    # for ever); one the module does not read leaves the candidates unchecked, as before
    pattern = readable(c.pattern) if c is not None and c.pattern is not None else None
    budget = [MAX_STEPS]  # for this value's checks, whatever came before (incremental runs)
    for text in candidates:
        if len(text) < lo:
            text = (text * (lo // max(len(text), 1) + 1))[:lo]
        if hi is not None and len(text) > hi:
            text = text[:hi]
        if len(text) >= lo and (pattern is None or pattern.search(text, budget)):
            return text
    if pattern is not None:
        written = pattern.example(lo, hi, budget)  # read from the pattern: AWS's `^sn-[0-9a-zA-Z]{17}$`
        if written is not None:
            return written
    return candidates[0][: hi if hi is not None else None]


def _primitive_placeholder(ty: t.Primitive) -> Any:
    if ty.kind == "null":
        return None
    if ty.kind == "bool":
        return True
    if ty.kind in ("int", "float"):
        return _number_placeholder(ty.constraints, ty.kind == "int")
    if ty.kind == "bytes":
        return "data"
    if ty.format == "date-time":
        return PLACEHOLDER_DATETIME
    if ty.format == "date":
        return PLACEHOLDER_DATE
    if ty.format in UUID_FORMATS:
        return PLACEHOLDER_UUID
    return _string_placeholder(ty.format, ty.constraints)


def _py_primitive(ty: t.Primitive, v: Any, names: SampleNames, *, path: bool) -> str:
    if ty.kind == "bytes":
        return _q(v.encode("utf-8") if isinstance(v, str) else bytes(v))
    if ty.kind != "str" or not isinstance(v, str):
        return _q(v)
    if ty.format == "date-time":
        parsed = _parse_datetime(v)
        if parsed is None:
            return _q(v)
        names.stdlib.add(("datetime", "datetime"))
        if parsed.tzinfo is None or parsed.utcoffset() == _dt.timedelta(0):
            names.stdlib.add(("datetime", "timezone"))
            parts = [
                parsed.year,
                parsed.month,
                parsed.day,
                parsed.hour,
                parsed.minute,
                parsed.second,
                parsed.microsecond,
            ]
            while len(parts) > 3 and parts[-1] == 0:
                parts.pop()
            return f"datetime({', '.join(map(str, parts))}, tzinfo=timezone.utc)"
        return f"datetime.fromisoformat({_q(parsed.isoformat())})"
    if ty.format == "date":
        names.stdlib.add(("datetime", "date"))
        d = _dt.date.fromisoformat(v)
        return f"date({d.year}, {d.month}, {d.day})"
    if ty.format in UUID_FORMATS and not path:  # path parameters also take the plain string
        names.stdlib.add(("uuid", "UUID"))
        return f"UUID({_q(v)})"
    return _q(v)


def _q(v: Any) -> str:
    """A Python literal for a JSON value (or bytes), its strings quoted as black quotes
    them (black then leaves the sample's text as it is: one pass instead of two)."""
    if isinstance(v, str):
        return literal(v)
    if isinstance(v, bytes):
        text = repr(v)
        if text.startswith("b'") and '"' not in text and "\\'" not in text:
            return 'b"' + text[2:-1] + '"'
        return text
    if isinstance(v, list):
        return "[" + ", ".join(_q(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_q(k)}: {_q(x)}" for k, x in v.items()) + "}"
    return repr(v)


# -- the overlay ------------------------------------------------------------------------


def _path_target(path: str, method: str) -> str:
    quoted = path.replace("\\", "\\\\").replace("'", "\\'")
    if not m.is_method_field(method):  # OpenAPI 3.2's, kept as written: a token
        return f"$.paths['{quoted}'].additionalOperations['{method}']"
    return f"$.paths['{quoted}'].{method.lower()}"


def overlay(api: m.Api, package: str, *, token_env: str | None = None, line_length: int = 88) -> dict[str, Any]:
    """An OpenAPI Overlay 1.0 document adding a Python `x-codeSamples` entry to every operation.

    Applying it appends `{lang: python, label: <package>, source: <sample>}` to each
    operation's `x-codeSamples` (an Overlay `update` concatenates arrays).
    """
    samples = Samples(api, package, token_env=token_env, line_length=line_length)
    actions = [
        {
            "target": _path_target(op.key, op.method),
            "description": f"Python usage sample for {op.method} {op.target}",
            "update": {"x-codeSamples": [{"lang": "python", "label": package, "source": samples.operation_sample(op)}]},
        }
        for op in api.operations
    ]
    return {
        "overlay": "1.0.0",
        "info": {"title": f"{package} code samples for {api.title}", "version": api.version},
        "actions": actions,
    }
