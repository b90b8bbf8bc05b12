"""Paths -> operations -> services: parameters, bodies, responses, security, pagination."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import naming
from ..diagnostics import SpecError, SpecWarning, child
from ..ir import model as m
from ..ir import types as t
from ..normalize import Spec
from . import pagination, vendor
from .grouping import path_group
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
    def __init__(
        self,
        spec: Spec,
        schemas: SchemaBuilder,
        warnings: list[SpecWarning],
        pagination_overrides: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.pagination_overrides = pagination_overrides or {}  # by operationId, from the job
        self.spec = spec
        self.schemas = schemas
        self.warnings = warnings
        self._method_names: dict[tuple[str, ...], naming.Namespace] = {}
        self.skipped: list[tuple[str, SpecError]] = []  # (what, why) of operations left out

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
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    try:
                        ops.append(self._operation(str(path), method, item, op, child(item_ptr, method)))
                    except SpecError as exc:
                        # this operation only; the rest is generated
                        self.skipped.append((f"operation {method.upper()} {path}", exc))
        return ops

    def _group_and_name(self, op: dict[str, Any], method: str, path: str) -> tuple[tuple[str, ...], str, str]:
        op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else ""
        group_text = vendor.group_override(op)
        if group_text is None:
            tags = op.get("tags")
            group_text = str(tags[0]) if isinstance(tags, list) and tags else path_group(path)
        group = tuple(naming.group_name(part) for part in group_text.split(".") if naming.snake(part)) or ("default",)
        base = vendor.name_override(op)
        if base is None:
            last = op_id.replace(".", ":").replace("/", ":").split(":")[-1] if op_id else ""
            base = last or f"{method} {path}"
        # `builtins` spells the builtins that other methods shadow (`def list` -> `builtins.list`)
        spaces = self._method_names.setdefault(group, naming.Namespace({"with_options", "with_raw_response", "builtins"}))
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
        pagination = self._pagination(op, responses, params, op_id, ptr)
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
        for status, raw in responses.items():
            r_ptr = child(ptr, "responses", str(status))
            resp, r_ptr = self.spec.deref(raw, r_ptr)
            if not isinstance(resp, dict):
                continue
            media = _pick_media(resp.get("content"), ("application/json",))
            ctype, rtype, examples = None, None, ()
            if media is not None:
                ctype, media_obj = media
                schema = media_obj.get("schema")
                s_ptr = child(r_ptr, "content", ctype, "schema")
                rtype = (
                    self.schemas.type_of(schema, s_ptr, f"{hint} Response {status}")
                    if schema is not None
                    else t.AnyType()
                )
                examples = _examples(media_obj)
            out.append(m.Response(str(status).upper(), resp.get("description"), ctype, rtype, examples))
        return tuple(out)

    def _pagination(
        self, op: dict[str, Any], responses: tuple[m.Response, ...], params: tuple[m.Parameter, ...],
        op_id: str, ptr: str,
    ) -> m.Pagination | None:
        found = vendor.pagination(op)
        if found is None:  # no vendor extension: the job's override, else the schema's shape
            try:
                return pagination.infer(params, responses, self.schemas.models, self.pagination_overrides.get(op_id))
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
