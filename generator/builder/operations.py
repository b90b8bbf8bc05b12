"""Paths -> operations -> services: parameters, bodies, responses, security, pagination."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, assert_never

from .. import naming
from ..diagnostics import SpecError, SpecWarning, child
from ..ir import model as m
from ..ir import types as t
from ..normalize import Spec
from . import vendor
from .schemas import SchemaBuilder, constraints_of, doc_of

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BODY_TYPES = (
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/octet-stream",
    "text/plain",
)
# The method's own arguments, and the names its body uses beside the parameters: the
# `result` variable, the `warnings` module (deprecated operations), the page `p` of the
# pagination lambda.
RESERVED_ARGS = frozenset({"self", "body", "request_options", "result", "warnings", "p"})


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
    def __init__(self, spec: Spec, schemas: SchemaBuilder, warnings: list[SpecWarning]) -> None:
        self.spec = spec
        self.schemas = schemas
        self.warnings = warnings
        self._method_names: dict[tuple[str, ...], naming.Namespace] = {}

    def warn(self, ptr: str, message: str) -> None:
        self.warnings.append(SpecWarning(self.spec.doc.locate(ptr), message))

    def build_all(self) -> list[m.Operation]:
        paths = self.spec.paths()
        ops = []
        for path, item in paths.items():
            item_ptr = child("#", "paths", path)
            if not isinstance(item, dict):
                raise SpecError(
                    self.spec.doc.locate(item_ptr),
                    "a path item must be a mapping.",
                    "Map each HTTP method (get, post, ...) to an operation object.",
                )
            item, item_ptr = self.spec.deref(item, item_ptr)
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    ops.append(self._operation(str(path), method, item, op, child(item_ptr, method)))
        # Named after every operation has its name, so a `<name>_stream` never takes a
        # name an operation of the spec asks for.
        return [self._with_stream_name(op) for op in ops]

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

    def _group_and_name(self, op: dict[str, Any], method: str, path: str) -> tuple[tuple[str, ...], str, str]:
        op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else ""
        group_text = vendor.group_override(op)
        if group_text is None:
            tags = op.get("tags")
            group_text = str(tags[0]) if isinstance(tags, list) and tags else "default"
        group = tuple(naming.group_name(part) for part in group_text.split(".") if naming.snake(part)) or ("default",)
        base = vendor.name_override(op)
        if base is None:
            last = op_id.replace(".", ":").replace("/", ":").split(":")[-1] if op_id else ""
            base = last or f"{method} {path}"
        # `builtins` spells the builtins that other methods shadow (`def list` -> `builtins.list`)
        spaces = self._method_names.setdefault(group, naming.Namespace({"with_options", "builtins"}))
        return group, spaces.claim(naming.safe(naming.snake(base), "call")), op_id or f"{method} {path}"

    def _operation(self, path: str, method: str, item: dict[str, Any], op: dict[str, Any], ptr: str) -> m.Operation:
        group, name, op_id = self._group_and_name(op, method, path)
        hint = naming.pascal(" ".join([*group, name]))
        params = self._parameters(item, op, ptr, hint, path)
        body = self._body(op, ptr, hint)
        responses = self._responses(op, ptr, hint)
        security_raw = op.get("security", self.spec.security()) or []
        security = tuple(
            tuple(str(k) for k in alt) for alt in security_raw if isinstance(alt, dict)
        )
        pagination = self._pagination(op, responses, params)
        tags = tuple(str(x) for x in op.get("tags") or [] if isinstance(op.get("tags"), list))
        return m.Operation(
            operation_id=op_id,
            group=group,
            name=name,
            method=method.upper(),
            path=path,
            pointer=ptr,
            parameters=params,
            body=body,
            responses=responses,
            security=security,
            summary=op.get("summary"),
            description=op.get("description"),
            deprecated=op.get("deprecated") is True,
            tags=tags,
            pagination=pagination,
        )

    def _parameters(
        self, item: dict[str, Any], op: dict[str, Any], ptr: str, hint: str, path: str
    ) -> tuple[m.Parameter, ...]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        item_ptr = ptr.rsplit("/", 1)[0]
        for source, source_ptr in ((item.get("parameters"), item_ptr), (op.get("parameters"), ptr)):
            for i, raw in enumerate(source or []):
                p_ptr = child(source_ptr, "parameters", i)
                p, p_ptr = self.spec.deref(raw, p_ptr)
                if not isinstance(p, dict) or not isinstance(p.get("name"), str) or p.get("in") not in (
                    "path", "query", "header", "cookie"
                ):
                    raise SpecError(
                        self.spec.doc.locate(p_ptr), "a parameter needs a string `name` and `in` of path/query/header/cookie."
                    )
                merged[(p["name"], p["in"])] = (p, p_ptr)
        names = naming.Namespace(RESERVED_ARGS)
        out = []
        ordered = sorted(merged.values(), key=lambda pp: (0 if pp[0]["in"] == "path" else 1 if pp[0].get("required") else 2))
        for p, p_ptr in ordered:
            schema = p.get("schema")
            if schema is None:
                media = _pick_media(p.get("content"), ("application/json",))
                schema = media[1].get("schema") if media else None
            ptype = (
                self.schemas.type_of(schema, child(p_ptr, "schema"), f"{hint} {p['name']}")
                if schema is not None
                else t.Primitive("str")
            )
            d = doc_of(self.spec, schema, child(p_ptr, "schema")) if isinstance(schema, dict) else {}
            location = p["in"]
            if location == "path" and "{" + p["name"] + "}" not in path:
                self.warn(p_ptr, f"path parameter {p['name']!r} does not appear in the path template.")
            style = p.get("style") if isinstance(p.get("style"), str) else None
            explode = p.get("explode", style in (None, "form", "deepObject") and location in ("query", "cookie"))
            examples = _examples(p) or tuple(d.get("examples") or ())
            out.append(
                m.Parameter(
                    json_name=p["name"],
                    name=names.claim(naming.field_name(p["name"])),
                    location=location,
                    type=ptype,
                    required=location == "path" or p.get("required") is True,
                    description=p.get("description") or d.get("description"),
                    style=style,
                    explode=bool(explode),
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
        return tuple(out)

    def _body(self, op: dict[str, Any], ptr: str, hint: str) -> m.Body | None:
        raw = op.get("requestBody")
        if raw is None:
            return None
        body, body_ptr = self.spec.deref(raw, child(ptr, "requestBody"))
        media = _pick_media(body.get("content") if isinstance(body, dict) else None, BODY_TYPES)
        if media is None:
            return None
        ctype, media_obj = media
        if not (ctype.startswith("application/json") or ctype.endswith("+json") or "x-www-form-urlencoded" in ctype):
            self.warn(
                child(body_ptr, "content", ctype),
                f"{ctype} request bodies are not supported yet: the client sends the body as JSON.",
            )
        schema = media_obj.get("schema")
        schema_ptr = child(body_ptr, "content", ctype, "schema")
        btype = self.schemas.type_of(schema, schema_ptr, f"{hint} Body") if schema is not None else t.AnyType()
        return m.Body(
            content_type=ctype,
            type=btype,
            required=body.get("required") is True,
            description=body.get("description"),
            examples=_examples(media_obj),
        )

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
                    resp.get("description"),
                    ctype,
                    rtype,
                    examples,
                    contents=kinds,
                    stream_switch=m.StreamSwitch(switch) if switch and streamed and str(status).startswith("2") else None,
                )
            )
        return tuple(out)

    def _contents(
        self, content: Any, r_ptr: str, hint: str
    ) -> list[tuple[m.ResponseContent, dict[str, Any]]]:
        """Each media type of a response the client can read, in the order it prefers them:
        JSON first, then the others as the spec lists them. An XML (or other structured
        text) alternative to JSON is left out: it carries the same data, less conveniently.
        Of several streamed media types the first is kept."""
        if not isinstance(content, dict):
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
            elif events and isinstance(props, dict) and "data" in props and set(props) <= {"event", "data", "id", "retry"}:
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
        self, op: dict[str, Any], responses: tuple[m.Response, ...], params: tuple[m.Parameter, ...]
    ) -> m.Pagination | None:
        found = vendor.pagination(op)
        if found is None:
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
