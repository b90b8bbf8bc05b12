"""Spec -> IR. Every decision (nullable? which variant? what name?) is made here, once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from .. import naming, processes
from ..diagnostics import SpecError, SpecWarning, child
from ..ir import model as m
from ..ir import types as t
from ..normalize import Spec, text
from .directions import reach, request_roots, response_roots, split_directions
from .operations import OperationBuilder
from .partial import Kept, prune, skipped_warning
from .schemas import SchemaBuilder
from .security import SecurityBuilder, SecurityOptions
from .servers import build_servers
from .unions import dispatch_table, with_tags
from .usage import mark_usage

RECURSION_LIMIT = 10_000  # a `$ref` chain through components costs a few frames per link


@contextmanager
def _recursion_room(spec: Spec) -> Iterator[None]:
    """Room for long `$ref` chains (A -> B -> C ...), and a clear error past it."""
    try:
        with processes.recursion_limit(RECURSION_LIMIT):
            yield
    except RecursionError:
        raise SpecError(
            spec.doc.locate("#/components/schemas"),
            "schemas refer to each other through a chain of `$ref`s too long to follow.",
            "Shorten the chain (thousands of schemas each referring to the next), or split the description.",
        ) from None


def build_api(
    spec: Spec,
    security: SecurityOptions | None = None,
    *,
    pagination: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[m.Api, list[SpecWarning]]:
    """`security`: the job's scheme settings (builder/security.py); `pagination`: the job's
    per-operation overrides, by operationId (builder/pagination.py)."""
    with _recursion_room(spec):
        return _build_api(spec, security, pagination)


def _build_api(
    spec: Spec,
    security_options: SecurityOptions | None = None,
    pagination: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[m.Api, list[SpecWarning]]:
    warnings: list[SpecWarning] = []
    schemas = SchemaBuilder(spec, warnings)
    security = SecurityBuilder(spec, warnings, security_options)
    security_schemes = security.build_schemes()
    builder = OperationBuilder(spec, schemas, warnings, pagination, security)
    operations = builder.build_all()
    webhooks = _webhooks(spec, schemas)
    schemas.build_all_components()  # every component is public surface, used or not
    # what could not be generated is left out, each with an error-level warning (partial.py)
    skipped = builder.skipped + schemas.skipped
    warnings += [skipped_warning(what, exc) for what, exc in skipped]
    kept = prune(Kept(operations, schemas.models, schemas.enums, schemas.aliases, webhooks), spec.doc.locate, warnings)
    if skipped and not (kept.operations or kept.models or kept.enums or kept.aliases):
        raise skipped[0][1]  # nothing left to generate: the first problem is the answer
    operations, webhooks = kept.operations, kept.webhooks
    schemas.aliases = kept.aliases
    shapes = split_directions(kept.models, kept.aliases, kept.operations, webhooks, schemas.names)
    models, operations = shapes.models, shapes.operations
    schemas.aliases = shapes.aliases
    models = mark_usage(
        models,
        closure(request_roots(operations), models=models, aliases=schemas.aliases),
        closure(response_roots(operations, webhooks), models=models, aliases=schemas.aliases),
    )
    _warn_required_cycles(spec, models, warnings)
    info = spec.info()
    # `parse_webhook` decodes a payload of any webhook: one union of them all
    payload = t.Union(tuple(dict.fromkeys(w.type for w in webhooks))) if webhooks else None
    roots: list[t.Type | None] = [payload]
    for op in operations:
        roots += [p.type for p in op.parameters]
        # every media type of the body and of each response: a union may appear in only one
        roots += [media.type for media in op.body.media] if op.body else []
        roots += [ty for r in op.responses for ty in (r.type, *m.content_types(r))]
        roots += [op.pagination.item_type if op.pagination else None]
    for model in models.values():
        roots += [f.type for f in model.fields] + [model.additional]
    roots += [a.type for a in schemas.aliases.values()] + [w.type for w in webhooks]
    dispatch = dispatch_table(roots, models, schemas.enums, schemas.aliases)
    models = with_tags(models, dispatch)  # the dispatch reads types, not these flags
    servers, server_variables = build_servers(
        spec.servers(),
        lambda ptr, message: warnings.append(SpecWarning(spec.doc.locate(ptr), message)),
        [builder.server_lists[op.pointer] for op in operations if op.pointer in builder.server_lists],
    )
    api = m.Api(
        title=text(info.get("title")) or "API",
        # a YAML `version: 1.0` is a number: its text; a list or a mapping is no version
        version=str(version) if isinstance(version := info.get("version"), (str, int, float)) and version else "",
        description=text(info.get("description")),
        servers=servers,
        server_variables=server_variables,
        security_schemes=security_schemes,
        operations=tuple(operations),
        models=tuple(models.values()),
        enums=tuple(schemas.enums.values()),
        aliases=tuple(schemas.aliases.values()),
        webhooks=tuple(webhooks),
        webhook_payload=payload,
        dispatch=dispatch,
    )
    # a shared component met through many operations (ndhm's `Authorization` parameter,
    # in 26) is warned about once
    return api, list(dict.fromkeys(warnings))


def closure(
    roots: list[t.Type | None],
    api: m.Api | None = None,
    *,
    models: dict[str, m.Model] | None = None,
    aliases: dict[str, m.Alias] | None = None,
) -> set[str]:
    """Names of every model, enum and alias reachable from `roots`."""
    if api is not None:
        models = {x.name: x for x in api.models}
        aliases = {x.name: x for x in api.aliases}
    return reach(roots, models or {}, aliases or {}, sent=False)


def _webhooks(spec: Spec, schemas: SchemaBuilder) -> list[m.Webhook]:
    """Payload types of `webhooks` (3.1): what a receiver parses from a delivered event."""
    out = []
    names = naming.Namespace()
    for event, item in spec.webhooks().items():
        item_ptr = child("#", "webhooks", str(event))
        item, item_ptr = spec.deref(item, item_ptr)
        for method in ("post", "put"):
            op = item.get(method) if isinstance(item, dict) else None
            if not isinstance(op, dict) or "requestBody" not in op:
                continue
            body, body_ptr = spec.deref(op["requestBody"], child(item_ptr, method, "requestBody"))
            media = (body.get("content") or {}).get("application/json") if isinstance(body, dict) else None
            if not isinstance(media, dict) or "schema" not in media:
                continue
            hint = f"Webhook {event} Payload"
            ty = schemas.type_of(media["schema"], child(body_ptr, "content", "application/json", "schema"), hint)
            out.append(
                m.Webhook(names.claim(naming.snake(str(event)) or "event"), str(event), ty, text(op.get("description")))
            )
            break
    return out


def _warn_required_cycles(spec: Spec, models: dict[str, m.Model], warnings: list[SpecWarning]) -> None:
    """A model that requires itself through required, non-nullable model fields has no
    finite JSON value (`TreeNode.parent` required, a TreeNode): the model is generated as
    written, the spec's contradiction is reported once per cycle."""
    edges: dict[str, list[tuple[str, m.Field]]] = {
        name: [
            (f.type.name, f)
            for f in model.fields
            if f.required and isinstance(f.type, t.ModelRef) and f.type.name in models
        ]
        for name, model in models.items()
    }
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        chain = _cycle_from(start, edges)
        if chain is None or frozenset(n for n, _ in chain) in reported:
            continue
        reported.add(frozenset(n for n, _ in chain))
        model_name, first = chain[0]
        model = models[model_name]
        where = child(model.pointer, "properties", first.json_name)
        if not spec.exists(where):
            where = model.pointer  # not a plain `properties` member (e.g. merged from allOf)
        path = " -> ".join(f"{n}.{f.json_name}" for n, f in chain) + f" -> {model_name}"
        warnings.append(
            SpecWarning(
                spec.doc.locate(where),
                f"required fields lead from {model_name} back to itself ({path}), so no finite value fits the "
                "schema; the model is generated as written.",
            )
        )


def _cycle_from(start: str, edges: dict[str, list[tuple[str, m.Field]]]) -> list[tuple[str, m.Field]] | None:
    """The first chain of required model fields from `start` back to `start`, if any."""
    seen = {start}
    stack: list[tuple[str, list[tuple[str, m.Field]]]] = [(start, [])]
    while stack:
        name, chain = stack.pop()
        for target, f in reversed(edges[name]):
            step = [*chain, (name, f)]
            if target == start:
                return step
            if target not in seen:
                seen.add(target)
                stack.append((target, step))
    return None
