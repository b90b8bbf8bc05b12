"""Paths -> operations -> services: parameters, bodies, responses, security, pagination."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal, assert_never
from urllib.parse import unquote

from .. import naming
from ..diagnostics import SpecError, SpecWarning, child
from ..ir import model as m
from ..ir import types as t
from ..normalize import Spec, text
from . import pagination, vendor
from .grouping import path_group
from .schemas import SchemaBuilder, constraints_of, doc_of
from .security import SecurityBuilder
from .servers import own_servers

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP method name (RFC 9110 `token`)
# The styles OpenAPI defines for each parameter location; the first is the default.
STYLES: dict[str, tuple[m.ParamStyle, ...]] = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}
# OpenAPI: header parameters with these names SHALL be ignored (the client sets them).
IGNORED_HEADERS = {
    "accept": "the client sends Accept for what it can decode.",
    "content-type": "the client sends the request body's media type.",
    "authorization": "the client sends the credentials of its security scheme (or `headers=`).",
}
# ... but kept as an argument when no security requirement of the operation sends an
# Authorization header (none is required, or only API keys elsewhere): just-eat's partner
# `JE-API-KEY ...`, NPR's `Bearer <token>` on operations that declare no security. Ignored,
# the request could not carry the header the parameter asks for at all. The same in a
# document without security schemes, whose client sends a token it is given as a bearer
# token: that is a guess there (ecwid's `Element <token>, User <secret>`, payrun's OAuth 1
# signature, GoTo's access tokens), so the argument, when given, replaces it.
KEPT_AUTHORIZATION = (
    "is kept as the method's argument, though OpenAPI says to ignore it: no security "
    "requirement of the operation sends an Authorization header, so without the argument "
    "the client would never send the header."
)
KEPT_AUTHORIZATION_NO_SCHEME = (
    "is kept as the method's argument, though OpenAPI says to ignore it: the document has no "
    "security scheme to send that header. A token given to the client goes as "
    "`Authorization: Bearer <token>` only where the argument is not given."
)
# Header parameters with these names are left out too: the HTTP client writes them from
# the request it sends, and a caller's value that disagrees (vercel's required
# `Content-Length` of an upload) makes it refuse the request or send a wrong one.
TRANSPORT_HEADERS = {
    "content-length": "the HTTP client sends the body's length.",
    "transfer-encoding": "the HTTP client chooses how the body is framed.",
    "host": "the HTTP client sends the server's host.",
}
FORM_STYLES: tuple[m.ParamStyle, ...] = ("form", "spaceDelimited", "pipeDelimited", "deepObject")
# The method's own arguments, and the names its body uses beside the parameters: the
# `result` variable, the `warnings` module (deprecated operations), the page `p` of the
# pagination lambda.
RESERVED_ARGS = frozenset({"self", "body", "content_type", "request_options", "result", "warnings", "p"})


def _examples(node: dict[str, Any]) -> tuple[Any, ...]:
    if "example" in node:
        return (node["example"],)
    found = node.get("examples")
    if isinstance(found, dict):
        return tuple(e["value"] for e in found.values() if isinstance(e, dict) and "value" in e)
    if isinstance(found, list):
        return tuple(found)
    return ()


def _pick_media(content: Any, preferred: tuple[str, ...]) -> tuple[str, dict[str, Any]] | None:
    if not isinstance(content, dict) or not content:
        return None

    def media(ctype: str) -> dict[str, Any]:
        found = content[ctype]
        return found if isinstance(found, dict) else {}  # the validator reports other shapes

    for wanted in preferred:
        if wanted in content:
            return wanted, media(wanted)
    for ctype in content:
        if str(ctype).endswith("+json") or str(ctype).startswith("application/json"):
            return str(ctype), media(ctype)
    ctype = next(iter(content))
    return str(ctype), media(ctype)


class OperationBuilder:
    def __init__(
        self,
        spec: Spec,
        schemas: SchemaBuilder,
        warnings: list[SpecWarning],
        pagination_overrides: Mapping[str, Mapping[str, Any]] | None = None,
        security: SecurityBuilder | None = None,
    ) -> None:
        self.pagination_overrides = pagination_overrides or {}  # by operationId, from the job
        self.spec = spec
        self.security = security or SecurityBuilder(spec, warnings)
        self.schemas = schemas
        self.warnings = warnings
        self._method_names: dict[tuple[str, ...], naming.Namespace] = {}
        self.skipped: list[tuple[str, SpecError]] = []  # (what, why) of operations left out
        # (pointer, raw `servers`) of each operation with servers of its own, by the
        # operation's pointer: their variables are the client's too (`build_servers`)
        self.server_lists: dict[str, tuple[str, Any]] = {}

    def warn(self, ptr: str, message: str) -> None:
        self.warnings.append(SpecWarning(self.spec.doc.locate(ptr), message))

    def build_all(self) -> list[m.Operation]:
        paths = self.spec.paths()
        ops = []
        for path, item in paths.items():
            item_ptr = child("#", "paths", path)
            if not isinstance(item, dict):
                self.skipped.append(
                    (
                        f"path {path}",
                        SpecError(
                            self.spec.doc.locate(item_ptr),
                            "a path item must be a mapping.",
                            "Map each HTTP method (get, post, ...) to an operation object.",
                        ),
                    )
                )
                continue
            try:
                item, item_ptr = self.spec.deref(item, item_ptr)
            except SpecError as exc:
                self.skipped.append((f"path {path}", exc))  # every operation under it
                continue
            key = str(path)
            found = self._methods(item, item_ptr)
            if found:
                self._warn_key(key, child("#", "paths", path))
            for field, method, op, op_ptr in found:
                try:
                    ops.append(self._operation(key, field, method, item, item_ptr, op, op_ptr))
                except SpecError as exc:
                    # this operation only; the rest is generated (partial.py)
                    self.skipped.append((f"operation {method} {path}", exc))
        # Named after every operation has its name, so a `<name>_stream` never takes a
        # name an operation of the spec asks for.
        return [self._with_stream_name(op) for op in ops]

    def _methods(self, item: dict[str, Any], item_ptr: str) -> list[tuple[str, str, dict[str, Any], str]]:
        """(its name in the spec, method as sent, operation, pointer) of each operation of a
        path item: the fixed fields (`get` is `GET`, ...; OpenAPI 3.2's `query`), then 3.2's
        `additionalOperations`, whose keys are sent as written (`COPY`, `PURGE`): a fixed
        field's method written there, or a key that is no HTTP method token, is left out
        with a warning."""
        three_two = self.spec.version.startswith("3.2")
        fixed = m.METHOD_FIELDS + ((m.QUERY_FIELD,) if three_two else ())
        out = [
            (field, field.upper(), item[field], child(item_ptr, field))
            for field in fixed
            if isinstance(item.get(field), dict)
        ]
        extra = item.get("additionalOperations") if three_two else None
        for method, op in extra.items() if isinstance(extra, dict) else ():
            ptr = child(item_ptr, "additionalOperations", str(method))
            if not isinstance(op, dict):
                continue  # the validator reports it
            if str(method).lower() in fixed:
                self.warn(
                    ptr,
                    f"{method!r} is a fixed field of the path item (`{str(method).lower()}`), "
                    "which `additionalOperations` must not repeat: this operation is left out.",
                )
            elif not _TOKEN.fullmatch(str(method)):
                self.warn(
                    ptr,
                    f"{method!r} is not an HTTP method name (a token: letters, digits, "
                    "!#$%&'*+-.^_`|~): this operation is left out.",
                )
            else:
                out.append((str(method), str(method), op, ptr))
        return out

    def _with_stream_name(self, op: m.Operation) -> m.Operation:
        """`<name>_stream` when the success response is returned whole by the method
        and can also be streamed (events, JSON lines, a binary download)."""
        ok = m.success_response(op)
        if ok is None or not m.plain_contents(ok):
            return op
        if m.streamed_content(ok) is None and not any(isinstance(c, m.BinaryContent) for c in ok.contents):
            return op
        spaces = self._method_names[op.group]
        return replace(op, stream_name=spaces.claim(f"{op.name}_stream"))

    def _group_and_name(
        self, op: dict[str, Any], method: str, path: str, ptr: str, key: str
    ) -> tuple[tuple[str, ...], str, str]:
        op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else ""
        group_text = vendor.group_override(op)
        if group_text is None:
            tags = op.get("tags")
            group_text = str(tags[0]) if isinstance(tags, list) and tags else path_group(path)
        group = tuple(naming.group_name(part) for part in group_text.split(".") if naming.snake(part)) or ("default",)
        base = vendor.name_override(op)
        if base is None:
            last = op_id.replace(".", ":").replace("/", ":").split(":")[-1] if op_id else ""
            base = last or f"{method} {key}"
        # `builtins` spells the builtins that other methods shadow (`def list` -> `builtins.list`)
        spaces = self._method_names.setdefault(
            group, naming.Namespace({"with_options", "with_raw_response", "builtins"})
        )
        wanted = naming.safe(naming.snake(base), "call")
        name = spaces.claim(wanted)
        if name != wanted:  # deterministic, but a caller looking for `wanted` must be told
            self.warn(
                ptr,
                f"operation {op_id or f'{method.upper()} {key}'!r} becomes the Python method "
                f"{'.'.join([*group, name])}(): {wanted!r} is already taken in that group.",
            )
        return group, name, op_id or f"{method} {key}"

    def _warn_key(self, key: str, ptr: str) -> None:
        """A path key holding a query string or a fragment: what is sent instead, said once."""
        path, query, fragment = split_path_key(key)
        if fragment is not None:
            self.warn(
                ptr,
                f"the path {key!r} holds a fragment ('#{fragment}'), which HTTP never sends: "
                f"its operations are sent to {path!r}"
                + (" with their declared parameters." if query is None else ", with the query the next warning reads."),
            )
        if query is not None:
            self.warn(
                ptr,
                f"the path {key!r} holds a query string ('?{query}'), which belongs in `in: query` "
                f"parameters: its operations are sent to {path!r}, each fixed pair in the query of "
                "every call and each `name={param}` as that parameter's query value.",
            )

    def _operation(
        self, key: str, field: str, method: str, item: dict[str, Any], item_ptr: str, op: dict[str, Any], ptr: str
    ) -> m.Operation:
        """`field`: the operation's name in the path item (`get`, an `additionalOperations`
        key); `method`: as sent (`GET`, the key)."""
        path, query, _ = split_path_key(key)
        group, name, op_id = self._group_and_name(op, field, path, ptr, key)
        hint = naming.pascal(" ".join([*group, name]))
        security = (
            self.security.requirements(op["security"], child(ptr, "security"))
            if "security" in op
            else self.security.root_requirements()
        )
        credentials = self.security.credential_headers(security)
        keep_authorization = not self.security.sends_header(security, "authorization")
        params, fixed = self._parameters(item, item_ptr, op, ptr, hint, path, query, credentials, keep_authorization)
        body = self._body(op, ptr, hint)
        responses = self._responses(op, ptr, hint)
        pagination = self._pagination(op, responses, params, op_id, ptr)
        listed = op.get("tags")
        tags = tuple(str(x) for x in listed) if isinstance(listed, list) else ()
        # an operation's `servers` replace its path item's, which replace the document's
        # (an empty list replaces nothing)
        listed, listed_ptr = (
            (op["servers"], child(ptr, "servers"))
            if op.get("servers")
            else (item.get("servers"), child(item_ptr, "servers"))
        )
        servers = own_servers(listed, self.spec.servers())
        if servers:
            self.server_lists[ptr] = (listed_ptr, listed)
        return m.Operation(
            operation_id=op_id,
            group=group,
            name=name,
            method=method,
            path=path,
            fixed_query=fixed,
            path_key=key if key != path else None,
            pointer=ptr,
            parameters=params,
            body=body,
            responses=responses,
            security=security,
            summary=text(op.get("summary")),
            description=text(op.get("description")),
            deprecated=op.get("deprecated") is True,
            tags=tags,
            pagination=pagination,
            servers=servers,
        )

    def _parameters(
        self,
        item: dict[str, Any],
        item_ptr: str,
        op: dict[str, Any],
        ptr: str,
        hint: str,
        path: str,
        query: str | None,
        credentials: dict[str, str],
        keep_authorization: bool,
    ) -> tuple[tuple[m.Parameter, ...], tuple[tuple[str, str | None], ...]]:
        """The operation's parameters; `credentials`: header names its security always
        sends (vtex's `X-VTEX-API-AppKey` is an API key scheme and a required header
        parameter): such a parameter would send the header twice over, one value lost.
        `keep_authorization`: an `Authorization` header parameter is an argument (see
        `KEPT_AUTHORIZATION`)."""
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for source, source_ptr in ((item.get("parameters"), item_ptr), (op.get("parameters"), ptr)):
            if source is not None and not isinstance(source, list):
                raise SpecError(
                    self.spec.doc.locate(child(source_ptr, "parameters")),
                    "`parameters` must be a list of parameter objects.",
                    "Write it as `- {name: ..., in: query, schema: ...}` items.",
                )
            for i, raw in enumerate(source or []):
                p_ptr = child(source_ptr, "parameters", i)
                p, p_ptr = self.spec.deref(raw, p_ptr)
                if isinstance(p, dict) and p.get("in") == "querystring":
                    raise SpecError(
                        self.spec.doc.locate(p_ptr),
                        "`in: querystring` (OpenAPI 3.2: the whole query string as one value) is not supported yet.",
                        "Describe the query as `in: query` parameters, or leave the operation out.",
                    )
                if (
                    not isinstance(p, dict)
                    or not isinstance(p.get("name"), str)
                    or p.get("in") not in ("path", "query", "header", "cookie")
                ):
                    raise SpecError(
                        self.spec.doc.locate(p_ptr),
                        "a parameter needs a string `name` and `in` of path/query/header/cookie.",
                    )
                lower = p["name"].lower()
                if p["in"] == "header" and lower == "authorization" and keep_authorization:
                    kept = KEPT_AUTHORIZATION if self.spec.security_schemes() else KEPT_AUTHORIZATION_NO_SCHEME
                    self.warn(p_ptr, f"a header parameter named {p['name']!r} {kept}")
                elif p["in"] == "header" and (why := IGNORED_HEADERS.get(lower) or TRANSPORT_HEADERS.get(lower)):
                    said = "is ignored, as OpenAPI says" if lower in IGNORED_HEADERS else "is left out of the method"
                    self.warn(p_ptr, f"a header parameter named {p['name']!r} {said}: {why}")
                    continue
                if p["in"] == "header" and (scheme := credentials.get(lower)) is not None:
                    self.warn(
                        p_ptr,
                        f"a header parameter named {p['name']!r} is left out of the method: the "
                        f"client sends that header from the credential of security scheme {scheme!r}.",
                    )
                    continue
                merged[(p["name"], p["in"])] = (p, p_ptr)
        fixed = self._key_query(merged, query, ptr) if query is not None else ()
        names = naming.Namespace(RESERVED_ARGS)
        out = []
        ordered = sorted(
            merged.values(), key=lambda pp: 0 if pp[0]["in"] == "path" else 1 if pp[0].get("required") else 2
        )
        for p, p_ptr in ordered:
            schema = p.get("schema")
            if schema is None:
                media = _pick_media(p.get("content"), ("application/json",))
                schema = media[1].get("schema") if media else None
                if isinstance(p.get("content"), dict) and len(p["content"]) > 1:
                    self.warn(
                        child(p_ptr, "content"),
                        f"parameter {p['name']!r} offers several media types: the client uses the first, {media[0] if media else '?'}.",
                    )
            ptype = (
                self.schemas.type_of(schema, child(p_ptr, "schema"), f"{hint} {p['name']}")
                if schema is not None
                else t.Primitive("str")
            )
            binary = t.strip_nullable(ptype)[0]
            if isinstance(binary, t.Primitive) and binary.kind == "bytes":  # sinao's `invoice` file
                self.warn(
                    p_ptr,
                    f"parameter {p['name']!r} is binary (`format: binary`), which a {p['in']} cannot "
                    "carry as it is: the clients send it base64-encoded (as `format: byte`).",
                )
            d = doc_of(self.spec, schema, child(p_ptr, "schema")) if isinstance(schema, dict) else {}
            location = p["in"]
            if location == "path" and "{" + p["name"] + "}" not in path:
                self.warn(p_ptr, f"path parameter {p['name']!r} does not appear in the path template.")
            serialization = self._serialization(p, p_ptr, location, ptype)
            examples = _examples(p) or tuple(d.get("examples") or ())
            wanted = naming.field_name(p["name"])
            name = names.claim(wanted)
            if name != wanted:
                self.warn(
                    p_ptr,
                    f"{location} parameter {p['name']!r} becomes the Python argument {name!r}: "
                    f"{wanted!r} is already taken in this method.",
                )
            out.append(
                m.Parameter(
                    json_name=p["name"],
                    name=name,
                    location=location,
                    type=ptype,
                    required=location == "path" or p.get("required") is True,
                    description=text(p.get("description")) or text(d.get("description")),
                    serialization=serialization,
                    has_default="default" in d,
                    default=d.get("default"),
                    deprecated=p.get("deprecated") is True,
                    examples=examples,
                    constraints=constraints_of(schema) if isinstance(schema, dict) else None,
                )
            )
        if path.count("{") != path.count("}") or any("{" in p or "}" in p for p in _placeholders(path)):
            raise SpecError(
                self.spec.doc.locate(ptr.rsplit("/", 1)[0]),
                f"the path template {path!r} has unbalanced or nested braces.",
                "Each parameter is written `{name}`; percent-encode a literal brace (%7B, %7D).",
            )
        for placeholder in _placeholders(path):
            if not any(p.location == "path" and p.json_name == placeholder for p in out):
                raise SpecError(
                    self.spec.doc.locate(ptr),
                    f"the path template has {{{placeholder}}} but the operation declares no such path parameter.",
                    "Add it to `parameters` with `in: path`.",
                )
        return tuple(out), fixed

    def _key_query(
        self, merged: dict[tuple[str, str], tuple[dict[str, Any], str]], query: str, ptr: str
    ) -> tuple[tuple[str, str | None], ...]:
        """The query string of a path key (`/rest?method=x&id={id}`), read as OpenAPI would
        have it written: a `name=value` pair is sent by every call (a declared query
        parameter of that name is left out: the path fixes its value); `name={p}` sends
        parameter `p` (declared in the path or the query) as the query parameter `name`,
        its value as the template wrote it (form style, not exploded). Anything else
        leaves the operation out: guessing would send a wrong request."""
        fixed: list[tuple[str, str | None]] = []
        for piece in query.split("&"):
            if not piece:
                continue
            raw_name, eq, value = piece.partition("=")
            name = unquote(raw_name)
            if "{" not in piece and "}" not in piece:
                fixed.append((name, unquote(value) if eq else None))
                dropped = merged.pop((name, "query"), None)
                if dropped is not None:
                    self.warn(
                        dropped[1],
                        f"query parameter {name!r} is left out of the method: the path key fixes it "
                        f"to {fixed[-1][1]!r}, which every call sends.",
                    )
                continue
            placeholder = re.fullmatch(r"\{([^{}]+)\}", value) if eq else None
            source = None
            if placeholder is not None and "{" not in name and "}" not in name:
                source = merged.pop((placeholder[1], "path"), None) or merged.pop((placeholder[1], "query"), None)
            if source is None:
                raise SpecError(
                    self.spec.doc.locate(ptr.rsplit("/", 1)[0]),
                    f"the query string of the path key ({piece!r}) is neither a fixed `name=value` "
                    "pair nor `name={parameter}` of a declared parameter: its request cannot be known.",
                    "Declare the query parameters with `in: query` and take the query out of the path key.",
                )
            p, p_ptr = source
            if p["in"] == "path":
                p = {**p, "in": "query", "name": name, "required": True, "style": "form", "explode": False}
            else:
                p = {**p, "name": name}
            merged[(name, "query")] = (p, p_ptr)
        return tuple(fixed)

    # -- how parameters go on the wire --------------------------------------------------

    def _serialization(self, p: dict[str, Any], p_ptr: str, location: str, ptype: t.Type) -> m.Serialization:
        """`style`/`explode`/`allowReserved`, or `content`: decided once, here."""
        name = p["name"]
        if p.get("schema") is None and isinstance(p.get("content"), dict) and p["content"]:
            media = _pick_media(p["content"], ("application/json",))
            media_type = media[0] if media else "application/json"
            return m.ContentSerialization(media_type, "json" if _is_json(media_type) else "text")
        allowed = STYLES[location]
        raw = p.get("style")
        style: m.ParamStyle = allowed[0]
        if isinstance(raw, str) and raw in allowed:
            style = raw
        elif raw is not None:
            self.warn(
                child(p_ptr, "style"),
                f"style {raw!r} is not defined for {location} parameters: the client sends {name!r} in {style!r} style.",
            )
        raw_explode = p.get("explode")
        explode = raw_explode if isinstance(raw_explode, bool) else style == "form"
        if style == "deepObject":
            if raw_explode is False:
                self.warn(
                    child(p_ptr, "explode"),
                    f"deepObject is only defined with explode: true: the client sends {name}[key]=value.",
                )
            explode = True
        if style in ("spaceDelimited", "pipeDelimited") and explode:
            self.warn(
                p_ptr,
                f"{style} with explode: true is not defined by OpenAPI: the client sends {name!r} in form style "
                f"({name}=a&{name}=b).",
            )
            style, explode = "form", True
        if style != "deepObject" and self._shape(ptype) == "nested":
            self.warn(
                child(p_ptr, "schema"),
                f"the {style} style has no rule for objects or arrays nested inside {name!r}: "
                "the client writes each nested value as compact JSON text.",
            )
        allow_reserved = location == "query" and p.get("allowReserved") is True
        return m.StyleSerialization(style, bool(explode), allow_reserved)

    def _shape(self, ty: t.Type, depth: int = 0) -> str:
        """scalar / list / object / nested (composite inside composite) / any."""
        match ty:
            case t.Nullable(inner):
                return self._shape(inner, depth)
            case t.Primitive() | t.Const() | t.StringOnly() | t.EnumRef():
                return "scalar"
            case t.AliasRef(name):
                alias = self.schemas.aliases.get(name)
                return self._shape(alias.type, depth) if alias is not None and depth < 8 else "any"
            case t.Array(item):
                return "list" if self._shape(item, depth + 1) == "scalar" else "nested"
            case t.Map(item):
                return "object" if self._shape(item, depth + 1) == "scalar" else "nested"
            case t.Tuple(items):
                return "list" if all(self._shape(i, depth + 1) == "scalar" for i in items) else "nested"
            case t.ModelRef(name):
                model = self.schemas.models.get(name)
                if model is None or depth > 8:
                    return "any"
                shapes = {self._shape(f.type, depth + 1) for f in model.fields}
                if model.additional is not None:
                    shapes.add(self._shape(model.additional, depth + 1))
                return "object" if shapes <= {"scalar"} else "nested"
            case t.Union(variants):
                shapes = {self._shape(v, depth) for v in variants}
                if "nested" in shapes or "any" in shapes:
                    return "nested"
                return shapes.pop() if len(shapes) == 1 else "mixed"
            case t.AnyType():
                return "any"
            case _:
                assert_never(ty)

    # -- request bodies, by media type ------------------------------------------------------

    def _body(self, op: dict[str, Any], ptr: str, hint: str) -> m.Body | None:
        raw = op.get("requestBody")
        if raw is None:
            return None
        body, body_ptr = self.spec.deref(raw, child(ptr, "requestBody"))
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict):
            # the client would send no body where the operation takes one
            raise SpecError(
                self.spec.doc.locate(child(body_ptr, "content") if isinstance(body, dict) else body_ptr),
                "a request body needs `content`: a mapping of media types to media type objects.",
                "Write it as, e.g., `content: {application/json: {schema: ...}}`.",
            )
        if not content:
            return None
        ordered = [str(c) for c in content]
        json_types = [c for c in ordered if _body_kind(c) == "json"]
        if json_types:  # JSON is the default where offered: plain application/json first
            first = next(
                (c for c in json_types if c.split(";")[0].strip().lower() == "application/json"), json_types[0]
            )
            ordered.remove(first)
            ordered.insert(0, first)
        if len(ordered) > 1:
            for ctype in [c for c in ordered if _body_kind(c) == "wildcard"]:
                self.warn(
                    child(body_ptr, "content", ctype),
                    f"{ctype} beside other media types: the client offers only "
                    f"{', '.join(c for c in ordered if _body_kind(c) != 'wildcard')}.",
                )
                ordered.remove(ctype)
        media = []
        for n, ctype in enumerate(ordered):
            media_obj = content[ctype] if isinstance(content[ctype], dict) else {}
            m_ptr = child(body_ptr, "content", ctype)
            media.append(
                self._body_media(ctype, media_obj, m_ptr, f"{hint} Body" if n == 0 else f"{hint} Body {ctype}")
            )
        built = m.Body(
            media=tuple(media),
            required=body.get("required") is True,
            description=text(body.get("description")),
        )
        ways = len(built.ways)
        if ways > MAX_BODY_WAYS:
            raise SpecError(
                self.spec.doc.locate(child(body_ptr, "content")),
                f"the request body's {len(media)} media types are sent {ways} different ways "
                f"(by charset, form fields or multipart parts); a client method takes at most "
                f"{MAX_BODY_WAYS}.",
                "Describe the media types that share a schema and encoding alike, or split the operation.",
            )
        return built

    def _body_media(self, ctype: str, media_obj: dict[str, Any], m_ptr: str, hint: str) -> m.BodyMedia:
        schema = media_obj.get("schema")
        schema_ptr = child(m_ptr, "schema")
        examples = _examples(media_obj)
        kind = _body_kind(ctype)

        def schema_type() -> t.Type:
            return self.schemas.type_of(schema, schema_ptr, hint) if schema is not None else t.AnyType()

        if kind == "json":
            btype = schema_type()
            if _base(ctype) == "application/json-patch+json" and not isinstance(t.strip_nullable(btype)[0], t.Array):
                # RFC 6902: a JSON Patch document is a list of operation objects, whatever the schema says
                btype = t.Array(t.Map(t.AnyType()))
            return m.BodyMedia(ctype, btype, m.JsonBody(), examples)
        if kind == "form":
            btype = schema_type()
            if isinstance(btype, t.Primitive) and btype.kind in ("str", "bytes"):
                # spoonacular: `schema: {type: string}`, example `instructions=...`: the
                # caller holds the encoded form; a mapping is not what the method takes
                self.warn(
                    schema_ptr,
                    f"a {ctype} body whose schema is a string: the client sends the "
                    f"{'text' if btype.kind == 'str' else 'bytes'} it is given, as they are "
                    "(already form-encoded: name=value&...).",
                )
                if btype.kind == "bytes":
                    return m.BodyMedia(ctype, t.Primitive("bytes", "binary"), m.BinaryBody(), examples)
                return m.BodyMedia(ctype, t.Primitive("str"), m.TextBody("utf-8"), examples)
            named = self._named_fields_type(btype, ctype, schema_ptr, "form")
            return m.BodyMedia(ctype, named, self._form(media_obj, m_ptr, named, warned=named != btype), examples)
        if kind == "multipart":
            btype = schema_type()
            if _base(ctype) not in ("multipart/form-data", "multipart/mixed"):
                self.warn(
                    m_ptr,
                    f"{ctype} bodies are sent as named parts, as multipart/form-data is, under the declared media type.",
                )
            btype = self._named_fields_type(btype, ctype, schema_ptr, "multipart")
            return m.BodyMedia(ctype, btype, self._multipart(media_obj, m_ptr, btype), examples)
        if kind == "text":
            charset = next(
                (
                    part.split("=", 1)[1].strip().strip('"')
                    for part in ctype.split(";")[1:]
                    if part.strip().lower().startswith("charset=")
                ),
                "utf-8",
            )
            # the text's length and pattern still describe it (docs, samples: conjur's
            # tokens are text/plain of at least 55 characters)
            try:
                node = self.spec.deref(schema, schema_ptr)[0] if isinstance(schema, dict) else None
            except SpecError:  # the text is sent as given whatever the schema: nothing to refuse
                node = None
            limits = constraints_of(node) if isinstance(node, dict) else None
            return m.BodyMedia(ctype, t.Primitive("str", constraints=limits), m.TextBody(charset), examples)
        if kind == "binary":
            return m.BodyMedia(ctype, t.Primitive("bytes", "binary"), m.BinaryBody(), examples)
        if kind == "wildcard":
            return m.BodyMedia(ctype, schema_type(), m.WildcardBody(), examples)
        raise AssertionError(kind)

    def _properties(self, btype: t.Type, depth: int = 0) -> list[tuple[str, t.Type]] | None:
        """The named properties of a body: a model's fields; for a union of models
        (zoom's `oneOf` settings), every variant's, each name once (the first variant
        declaring it gives its type): the caller's instance carries those of its variant."""
        match btype:
            case t.ModelRef(name) if name in self.schemas.models:
                model = self.schemas.models[name]
                return [(f.json_name, f.type) for f in model.fields]
            case t.Nullable(inner):
                return self._properties(inner, depth)
            case t.AliasRef(name) if name in self.schemas.aliases and depth < 8:
                return self._properties(self.schemas.aliases[name].type, depth + 1)
            case t.Union(variants) if depth < 8:
                merged: dict[str, t.Type] = {}
                for variant in variants:
                    if variant == t.Primitive("null"):
                        continue
                    props = self._properties(variant, depth + 1)
                    if props is None:
                        return None
                    for name, ftype in props:
                        merged.setdefault(name, ftype)
                return list(merged.items())
            case _:
                return None

    def _named_fields_type(
        self, btype: t.Type, ctype: str, schema_ptr: str, kind: Literal["form", "multipart"]
    ) -> t.Type:
        """A form or multipart body is a set of named fields (parts). A schema without names
        for them (a binary or text string, an array, a union with such a variant) would leave
        the client nothing it can send (peertube's studio edit declares an array of tasks as
        its form body: the method took a list, and every call was refused): the method takes
        a mapping of names to values instead, and the generation says so."""
        if self._properties(btype) is not None:
            return btype
        inner, nullable = t.strip_nullable(btype)
        while isinstance(inner, t.AliasRef) and inner.name in self.schemas.aliases:
            inner, _ = t.strip_nullable(self.schemas.aliases[inner.name].type)
        if isinstance(inner, (t.Map, t.AnyType)):
            return btype
        sends = (
            "its parts have no names, so the method takes a mapping of part names to values "
            "and sends one part per key (bytes and binary files as file parts, mappings and "
            "lists as JSON parts, other values as text)."
            if kind == "multipart"
            else "its fields have no names, so the method takes a mapping of field names to values "
            "and sends one field per key (nested values with brackets, name[key]=value)."
        )
        self.warn(schema_ptr, f"a {ctype} body whose schema has no named properties ({_what(inner)}): {sends}")
        mapping: t.Type = t.Map(t.AnyType())
        return t.Nullable(mapping) if nullable else mapping

    def _encoding(self, media_obj: dict[str, Any], m_ptr: str, names: set[str] | None) -> dict[str, dict[str, Any]]:
        raw = media_obj.get("encoding")
        if not isinstance(raw, dict):
            return {}
        out = {}
        for key, value in raw.items():
            e_ptr = child(m_ptr, "encoding", str(key))
            if not isinstance(value, dict):
                continue
            if names is not None and key not in names:
                self.warn(e_ptr, f"`encoding` names {key!r}, which is not a property of the body: it is ignored.")
                continue
            out[str(key)] = value
        return out

    def _form(self, media_obj: dict[str, Any], m_ptr: str, btype: t.Type, *, warned: bool) -> m.FormBody:
        """`warned`: the body's schema had no named properties, and that was said."""
        props = self._properties(btype)
        encoding = self._encoding(media_obj, m_ptr, {n for n, _ in props} if props is not None else None)
        if props is None:
            if self._shape(btype) not in ("object", "any") and not warned:
                self.warn(
                    child(m_ptr, "schema"),
                    "a form body that is not an object of named properties: the client sends each key of the "
                    "mapping it is given, nested values with brackets (name[key]=value).",
                )
            props = [(name, t.AnyType()) for name in encoding]
        fields = []
        for name, ftype in props:
            enc = encoding.get(name, {})
            e_ptr = child(m_ptr, "encoding", name)
            style_given = any(k in enc for k in ("style", "explode", "allowReserved"))
            ctype = enc.get("contentType")
            serialization: m.Serialization
            if isinstance(ctype, str) and not style_given and _body_kind(ctype) == "json":
                serialization = m.ContentSerialization(ctype, "json")
            else:
                raw = enc.get("style")
                style: m.ParamStyle = "form"
                if isinstance(raw, str) and raw in FORM_STYLES:
                    style = raw
                elif raw is not None:
                    self.warn(
                        child(e_ptr, "style"), f"style {raw!r} is not defined for form bodies: the client uses 'form'."
                    )
                explode = enc.get("explode") if isinstance(enc.get("explode"), bool) else style == "form"
                if style == "deepObject":
                    explode = True
                elif style in ("spaceDelimited", "pipeDelimited") and explode:
                    style = "form"
                if style != "deepObject" and self._shape(ftype) == "nested":
                    self.warn(
                        e_ptr if enc else child(m_ptr, "schema"),
                        f"form style has no rule for objects or arrays nested inside {name!r}: the client sends "
                        f"them with brackets ({name}[key]=value, {name}[0][key]=value), as deepObject.",
                    )
                    style, explode = "deepObject", True
                serialization = m.StyleSerialization(style, bool(explode), enc.get("allowReserved") is True)
            if "headers" in enc:
                self.warn(child(e_ptr, "headers"), "form fields carry no headers: `headers` is ignored.")
            fields.append(m.FormField(name, serialization))
        return m.FormBody(tuple(fields))

    def _multipart(self, media_obj: dict[str, Any], m_ptr: str, btype: t.Type) -> m.MultipartBody:
        props = self._properties(btype)
        encoding = self._encoding(media_obj, m_ptr, {n for n, _ in props} if props is not None else None)
        parts = []
        for name, ftype in props or []:
            enc = encoding.get(name, {})
            e_ptr = child(m_ptr, "encoding", name)
            repeated = False
            inner = ftype
            while isinstance(inner, t.Nullable):
                inner = inner.inner
            if isinstance(inner, t.Array):
                repeated, inner = True, inner.item
                while isinstance(inner, t.Nullable):
                    inner = inner.inner
            kind: m.PartKind
            default_ct: str
            if isinstance(inner, t.Primitive) and inner.kind == "bytes":
                kind, default_ct = "file", "application/octet-stream"
            elif self._shape(inner) == "scalar":
                kind, default_ct = "text", "text/plain"
            else:
                kind, default_ct = "json", "application/json"
            given = enc.get("contentType")
            ctype: str = given if isinstance(given, str) else default_ct
            if kind == "text" and _body_kind(ctype) == "json":
                kind = "json"
            elif kind == "text" and _body_kind(ctype) == "binary":
                kind = "file"
            if "," in ctype or "*" in ctype:  # a list or a range of types: the caller's tuple may name one
                ctype = default_ct
            if "headers" in enc:
                self.warn(child(e_ptr, "headers"), f"part headers of {name!r} are not sent: only its Content-Type is.")
            styled = [key for key in ("style", "explode", "allowReserved") if key in enc]
            if styled:
                keys = ", ".join(f"`{key}`" for key in styled)
                self.warn(
                    child(e_ptr, styled[0]),
                    f"{keys} of a multipart part are not used: {name!r} is sent as a {kind} part"
                    + (", one part per item." if repeated else "."),
                )
            parts.append(m.MultipartPart(name, kind, ctype, repeated))
        return m.MultipartBody(tuple(parts))

    def _responses(self, op: dict[str, Any], ptr: str, hint: str) -> tuple[m.Response, ...]:
        out = []
        responses = op.get("responses") or {}
        if not isinstance(responses, dict):
            raise SpecError(
                self.spec.doc.locate(child(ptr, "responses")),
                "`responses` must be a mapping of status codes to response objects.",
                'Write it as, e.g., `"200": {description: ..., content: ...}`.',
            )
        switch = self._stream_switch(op, ptr)
        for status, raw in responses.items():
            r_ptr = child(ptr, "responses", str(status))
            resp, r_ptr = self.spec.deref(raw, r_ptr)
            if not isinstance(resp, dict):
                continue
            contents = self._contents(resp.get("content"), r_ptr, f"{hint} Response {status}")
            ctype, rtype, examples = None, None, ()
            if contents:
                first, media_obj = contents[0]
                ctype, rtype, examples = first.media_type, _content_type_of(first), _examples(media_obj)
            kinds = tuple(c for c, _ in contents)
            streamed = any(isinstance(c, m.STREAMED_CONTENT) for c in kinds)
            out.append(
                m.Response(
                    str(status).upper(),
                    text(resp.get("description")),
                    ctype,
                    rtype,
                    examples,
                    contents=kinds,
                    stream_switch=m.StreamSwitch(switch)
                    if switch and streamed and str(status).startswith("2")
                    else None,
                )
            )
        return tuple(out)

    def _contents(self, content: Any, r_ptr: str, hint: str) -> list[tuple[m.ResponseContent, dict[str, Any]]]:
        """Each media type of a response the client can read, in the order it prefers them:
        JSON first, then the others as the spec lists them. An XML (or other structured
        text) alternative to JSON is left out: it carries the same data, less conveniently.
        Of several streamed media types the first is kept."""
        if not isinstance(content, dict):
            if content is not None:
                self.warn(
                    child(r_ptr, "content"),
                    "`content` must be a mapping of media types to media type objects: "
                    "the response is read as having no body.",
                )
            return []
        entries = [(str(ctype), media if isinstance(media, dict) else {}) for ctype, media in content.items()]
        ordered = [e for e in entries if _family(e[0]) == "json"] + [e for e in entries if _family(e[0]) != "json"]
        has_json = any(_family(ctype) == "json" for ctype, _ in entries)
        out: list[tuple[m.ResponseContent, dict[str, Any]]] = []
        for n, (ctype, media) in enumerate(ordered):
            family = _family(ctype)
            m_ptr = child(r_ptr, "content", ctype)
            schema, s_ptr = media.get("schema"), child(m_ptr, "schema")
            name = hint if n == 0 else f"{hint} {ctype}"
            if family == "structured" and has_json:
                continue
            if family in ("sse", "jsonl") and any(isinstance(c, m.STREAMED_CONTENT) for c, _ in out):
                self.warn(m_ptr, f"only one streamed media type per response is read: {ctype} is not requested.")
                continue
            found: m.ResponseContent
            if family == "json":
                ty = self.schemas.type_of(schema, s_ptr, name) if schema is not None else t.AnyType()
                plain = t.strip_nullable(ty)[0]
                if isinstance(plain, t.Primitive) and plain.kind == "bytes":  # `format: binary`
                    found = m.BinaryContent(ctype)
                else:
                    found = m.JsonContent(ctype, ty)
            elif family == "sse":
                item, item_json = self._stream_item(media, m_ptr, name, events=True)
                found = m.EventStreamContent(ctype, item, item_json)
            elif family == "jsonl":
                item, _ = self._stream_item(media, m_ptr, name, events=False)
                found = m.JsonLinesContent(ctype, item)
            elif family in ("text", "structured"):
                if family == "structured":
                    self.warn(m_ptr, f"{ctype} responses are not parsed: the client returns the body as text.")
                found = m.TextContent(ctype)
            elif family == "wildcard":
                ty = self.schemas.type_of(schema, s_ptr, name) if schema is not None else t.AnyType()
                plain = t.strip_nullable(ty)[0]
                if schema is None or (isinstance(plain, t.Primitive) and plain.kind in ("str", "bytes")):
                    found = m.BinaryContent(ctype)
                else:
                    found = m.JsonContent(ctype, ty)  # a JSON schema under `*/*` (springdoc writes these)
            else:
                if family == "unsupported":
                    self.warn(m_ptr, f"{ctype} responses are not parsed: the client returns the body as bytes.")
                found = m.BinaryContent(ctype)
            out.append((found, media))
        return out

    def _stream_item(self, media: dict[str, Any], m_ptr: str, hint: str, *, events: bool) -> tuple[t.Type, bool]:
        """The type of one streamed item: `itemSchema` (OpenAPI 3.2), the `items` of an array
        schema, the `data` member of a schema that describes the SSE event itself
        (`{event, data, id, retry}`), or the schema. Undocumented SSE data stays text."""
        if "itemSchema" in media:
            node, ptr = media["itemSchema"], child(m_ptr, "itemSchema")
        elif "schema" in media:
            node, ptr = media["schema"], child(m_ptr, "schema")
        else:
            return (t.Primitive("str"), False) if events else (t.AnyType(), True)
        target, target_ptr = self.spec.deref(node, ptr)
        if isinstance(target, dict):
            props = target.get("properties")
            if target.get("type") == "array" and "items" in target and "itemSchema" not in media:
                node, ptr = target["items"], child(target_ptr, "items")
            elif (
                events
                and isinstance(props, dict)
                and "data" in props
                and set(props) <= {"event", "data", "id", "retry"}
            ):
                node, ptr = props["data"], child(target_ptr, "properties", "data")
        item = self.schemas.type_of(node, ptr, f"{hint} Item")
        plain = t.strip_nullable(item)[0]
        return item, not (events and isinstance(plain, t.Primitive) and plain.kind == "str" and plain.format is None)

    def _stream_switch(self, op: dict[str, Any], ptr: str) -> str | None:
        """`stream`, when the JSON request body has a boolean member of that name."""
        raw = op.get("requestBody")
        if raw is None:
            return None
        body, body_ptr = self.spec.deref(raw, child(ptr, "requestBody"))
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict):
            return None
        for ctype, media in content.items():
            if _family(str(ctype)) != "json" or not isinstance(media, dict) or "schema" not in media:
                continue
            schema, s_ptr = self.spec.deref(media["schema"], child(body_ptr, "content", str(ctype), "schema"))
            props = schema.get("properties") if isinstance(schema, dict) else None
            if isinstance(props, dict) and "stream" in props:
                prop, _ = self.spec.deref(props["stream"], child(s_ptr, "properties", "stream"))
                kinds = prop.get("type") if isinstance(prop, dict) else None
                if kinds == "boolean" or (isinstance(kinds, list) and "boolean" in kinds):
                    return "stream"
        return None

    def _pagination(
        self,
        op: dict[str, Any],
        responses: tuple[m.Response, ...],
        params: tuple[m.Parameter, ...],
        op_id: str,
        ptr: str,
    ) -> m.Pagination | None:
        found = vendor.pagination(op)
        if found is None:  # no vendor extension: the job's override, else the schema's shape
            try:
                return pagination.infer(
                    params,
                    responses,
                    self.schemas.models,
                    self.pagination_overrides.get(op_id),
                    link_header=self._declares_link(op, ptr),
                )
            except pagination.Unwired as why:
                self.warn(ptr, f"looks paginated, but no iter_ method is generated: {why}.")
                return None
        ok = next((r for r in responses if r.status.startswith("2") and r.type is not None), None)
        page = next((p for p in params if p.json_name == found["page"] and p.location == "query"), None)
        if ok is None or page is None or not isinstance(ok.type, t.ModelRef) or len(found["results"]) != 1:
            return None
        page_model = self.schemas.models.get(ok.type.name)
        items = next((f for f in page_model.fields if f.json_name == found["results"][0]), None) if page_model else None
        if items is None or not isinstance(items.type, t.Array):
            return None
        return m.Pagination(page.name, items.name, found["pages"], items.type.item)

    def _declares_link(self, op: dict[str, Any], ptr: str) -> bool:
        """A 2xx response declares a `Link` header (RFC 8288 pagination)."""
        raw = op.get("responses")
        for status, node in raw.items() if isinstance(raw, dict) else ():
            if not str(status).startswith("2"):
                continue
            response, _ = self.spec.deref(node, child(ptr, "responses", str(status)))
            headers = response.get("headers") if isinstance(response, dict) else None
            if isinstance(headers, dict) and any(str(name).lower() == "link" for name in headers):
                return True
        return False


# JSON lines / NDJSON and the like: one JSON value per line.
_JSON_LINES = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-jsonl",
        "application/jsonlines",
        "application/x-jsonlines",
        "application/json-lines",
        "application/x-json-stream",
        "application/stream+json",
    }
)
# The most ways of sending one request body (`Body.ways`) a method chooses among: the
# Python client picks one by a chain of conditionals, which Python's parser refuses past
# 200 nested brackets; real APIs have a handful (Google's uploads: ~350 media types, 2 ways)
MAX_BODY_WAYS = 32

# Structured text the client does not parse (returned as text; left out beside JSON).
_STRUCTURED = frozenset({"application/xml", "text/xml", "application/yaml", "application/x-yaml", "text/yaml"})
# Framings the client does not read (returned as bytes, with a warning).
_UNSUPPORTED_PREFIXES = ("multipart/", "application/json-seq")


def _family(ctype: str) -> str:
    """How a response media type is read: json, sse, jsonl, text, structured, wildcard,
    unsupported or binary. Parameters matter only for `application/json;stream=watch`."""
    base, _, params = ctype.partition(";")
    base = base.strip().lower()
    params_l = params.replace(" ", "").lower()
    if base == "text/event-stream":
        return "sse"
    if base in _JSON_LINES or (base == "application/json" and "stream=" in params_l):
        return "jsonl"
    if base.startswith(_UNSUPPORTED_PREFIXES):
        return "unsupported"
    if base == "application/json" or base.endswith("+json"):
        return "json"
    if base in _STRUCTURED or base.endswith("+xml"):
        return "structured"
    if base.startswith("text/"):
        return "text"
    if base in ("*/*", "application/*"):
        return "wildcard"
    return "binary"


def _content_type_of(content: m.ResponseContent) -> t.Type:
    """The type `Response.type` records for a media type (a stream's: its item)."""
    match content:
        case m.JsonContent():
            return content.type
        case m.EventStreamContent() | m.JsonLinesContent():
            return content.item
        case m.TextContent():
            return t.Primitive("str")
        case m.BinaryContent():
            return t.Primitive("bytes", "binary")
        case _:
            assert_never(content)


def split_path_key(key: str) -> tuple[str, str | None, str | None]:
    """A Paths Object key as (path, query string, fragment): `/a?b=1#c` -> ("/a", "b=1",
    "c"). OpenAPI's keys are paths only, but real specs carry a query (`/rest?method=x`)
    or a fragment telling operations of one path apart (`/#Action=List`, Azure's
    `#overload=`); sending those characters percent-encoded in the path reaches
    another endpoint."""
    rest, hashed, fragment = key.partition("#")
    path, asked, query = rest.partition("?")
    return path, query if asked else None, fragment if hashed else None


def _placeholders(path: str) -> list[str]:
    out, rest = [], path
    while "{" in rest:
        start = rest.index("{")
        end = rest.find("}", start)
        if end < 0:
            break
        out.append(rest[start + 1 : end])
        rest = rest[end + 1 :]
    return out


def _base(ctype: str) -> str:
    return ctype.split(";")[0].strip().lower()


def _is_json(ctype: str) -> bool:
    base = _base(ctype)
    return base == "application/json" or (base.endswith("+json") and "*" not in base)


def _what(ty: t.Type) -> str:
    """A few words for a schema's type, in a warning."""
    match ty:
        case t.Primitive(kind="bytes"):
            return "a binary string"
        case t.Primitive(kind=kind):
            return {"str": "a string", "int": "an integer", "float": "a number", "bool": "a boolean"}.get(kind, kind)
        case t.Const() | t.StringOnly() | t.EnumRef():
            return "a scalar"
        case t.Array() | t.Tuple():
            return "an array"
        case t.Union():
            return "a union whose variants are not all objects"
        case t.Nullable(inner):
            return _what(inner)
        case t.ModelRef() | t.AliasRef() | t.Map() | t.AnyType():
            return "an object"
        case _:
            assert_never(ty)


def _body_kind(ctype: str) -> str:
    """json / form / multipart / text / binary / wildcard, from a media type alone."""
    base = _base(ctype)
    if _is_json(base):
        return "json"
    if "*" in base:
        return "wildcard"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if (
        base.startswith("text/")
        or base in ("application/xml", "application/yaml", "application/x-yaml")
        or base.endswith(("+xml", "+yaml"))
    ):
        return "text"
    return "binary"
