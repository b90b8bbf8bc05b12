"""Pagination from the schema alone, when no vendor extension says how.

Recognised on an operation whose 2xx response is an object with a required array of
items (`data`, `items`, `results`, ... or its only array field):

- page: a `page` query parameter; stops past `max_page` / `total_pages` / `page_count`
  (top level or under `pagination` / `meta` / `page_info`), else on an empty page;
- offset: an `offset` / `skip` query parameter, stepped by the items received, until an
  empty page;
- cursor: a cursor query parameter (`cursor`, `after`, `starting_after`, `page_token`...)
  fed from a next-cursor field (`next_cursor`, `next_page_token`, `end_cursor`, ...),
  or, with a `has_more` flag and `starting_after`/`after`, from the last item's `id`.

A per-job override (`[tool.sdkgen.jobs.pagination]`, by operationId) names the kind,
the parameter and the result fields; vendor extensions keep priority over both. An
operation that has such a parameter and a list of items but cannot be wired gets a
warning saying why. `next` URLs in the body and RFC 8288 `Link` headers are not wired.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..ir import model as m
from ..ir import types as t

ITEM_FIELDS = ("data", "items", "results", "records", "entries", "values", "list", "content", "objects")
PAGE_PARAMS = ("page", "page_number", "pageNumber", "page_num")
OFFSET_PARAMS = ("offset", "skip", "start")
CURSOR_PARAMS = (
    "cursor",
    "starting_after",
    "after",
    "page_token",
    "pageToken",
    "next_token",
    "continuation_token",
    "continuationToken",
    "next_cursor",
    "page_cursor",
)
LAST_ID_PARAMS = ("starting_after", "after")
MAX_PAGE_FIELDS = ("max_page", "total_pages", "totalPages", "page_count", "pageCount", "num_pages", "last_page")
NEXT_FIELDS = (
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "end_cursor",
    "endCursor",
    "next_token",
    "cursor",
    "next_page_cursor",
)
HAS_MORE_FIELDS = ("has_more", "hasMore", "has_next_page", "hasNextPage", "has_next")
CONTAINERS = ("pagination", "meta", "page_info", "pageInfo", "paging")


class Unwired(Exception):
    """The operation looks paginated, but this is why no iterator can be generated."""


def infer(
    params: tuple[m.Parameter, ...],
    responses: tuple[m.Response, ...],
    models: Mapping[str, m.Model],
    override: Mapping[str, Any] | None = None,
) -> m.Pagination | None:
    """The pagination the schema implies, None if it does not look paginated; raises
    Unwired when it looks paginated but cannot be wired."""
    query = {p.json_name: p for p in params if p.location == "query"}
    if override is None:
        page = _first(query, PAGE_PARAMS + OFFSET_PARAMS + CURSOR_PARAMS)
        if page is None:
            return None
    ok = next((r for r in responses if r.status.startswith("2") and r.type is not None), None)
    model = models.get(ok.type.name) if ok is not None and isinstance(ok.type, t.ModelRef) else None
    if model is None:
        if override is None:
            return None  # a paged parameter alone (say `page` of a report) is not enough
        raise Unwired("its success response is not an object")
    items = _items(model, override.get("items") if override else None)
    if items is None:
        if override is not None:
            raise Unwired(f"its response has no required list field {override.get('items')!r}")
        return None
    assert isinstance(items.type, t.Array)
    assert ok is not None
    if any(not isinstance(c, m.JsonContent) for c in ok.contents):
        # a page may then come back as text or bytes, which has no next page to read
        media = ", ".join(c.media_type for c in ok.contents)
        raise Unwired(f"its success response is not only JSON ({media}): call the method page by page")
    if override is not None:
        return _from_override(override, query, model, models, items)
    kind, param = _kind(query)
    match kind:
        case "page":
            max_page = _find_path(model, models, MAX_PAGE_FIELDS, (t.Primitive("int"),))
            return m.Pagination(param.name, items.name, max_page or (), items.type.item, kind="page")
        case "offset":
            return m.Pagination(param.name, items.name, (), items.type.item, kind="offset")
        case "cursor":
            nxt = _find_path(model, models, NEXT_FIELDS, (t.Primitive("str"),), optional_last=True)
            if nxt is not None:
                return m.Pagination(param.name, items.name, (), items.type.item, kind="cursor", next_path=nxt)
            more = _find_path(model, models, HAS_MORE_FIELDS, (t.Primitive("bool"),), optional_last=True)
            item_id = _item_id(items.type.item, models)
            if more is not None and param.json_name in LAST_ID_PARAMS and item_id is not None:
                return m.Pagination(
                    param.name,
                    items.name,
                    (),
                    items.type.item,
                    kind="cursor",
                    has_more_path=more,
                    cursor_item_field=item_id,
                )
            raise Unwired(
                f"the cursor parameter {param.json_name!r} has no next-cursor field in the response"
                + (" (nor `has_more` with an `id` on the items)" if param.json_name in LAST_ID_PARAMS else "")
            )
        case _:
            raise AssertionError(kind)


def _first(query: Mapping[str, m.Parameter], names: tuple[str, ...]) -> m.Parameter | None:
    return next((query[n] for n in names if n in query), None)


def _kind(query: Mapping[str, m.Parameter]) -> tuple[str, m.Parameter]:
    for kind, names in (("cursor", CURSOR_PARAMS), ("page", PAGE_PARAMS), ("offset", OFFSET_PARAMS)):
        found = _first(query, names)
        if found is not None:
            if kind != "cursor" and not _is(found.type, t.Primitive("int")):
                raise Unwired(f"the {kind} parameter {found.json_name!r} is not an integer")
            return kind, found
    raise AssertionError("no paging parameter")


def _is(ty: t.Type, want: t.Primitive) -> bool:
    inner, _ = t.strip_nullable(ty)
    return isinstance(inner, t.Primitive) and inner.kind == want.kind


def _items(model: m.Model, name: str | None) -> m.Field | None:
    arrays = [f for f in model.fields if f.required and isinstance(f.type, t.Array)]
    if name is not None:
        return next((f for f in arrays if f.json_name == name), None)
    named = next((f for n in ITEM_FIELDS for f in arrays if f.json_name == n), None)
    return named or (arrays[0] if len(arrays) == 1 else None)


def _find_path(
    model: m.Model,
    models: Mapping[str, m.Model],
    names: tuple[str, ...],
    kinds: tuple[t.Primitive, ...],
    *,
    optional_last: bool = False,
) -> tuple[str, ...] | None:
    """Attribute path to a field named like `names` (top level, or under a required
    container model), of one of `kinds`; the last field may be optional/nullable only
    with `optional_last`."""

    def fits(f: m.Field) -> bool:
        if not any(_is(f.type, k) for k in kinds):
            return False
        return optional_last or (f.required and not isinstance(f.type, t.Nullable))

    for name in names:
        found = next((f for f in model.fields if f.json_name == name and fits(f)), None)
        if found is not None:
            return (found.name,)
    for box in (f for f in model.fields if f.json_name in CONTAINERS and f.required and isinstance(f.type, t.ModelRef)):
        assert isinstance(box.type, t.ModelRef)
        inner = models.get(box.type.name)
        if inner is None:
            continue
        for name in names:
            found = next((f for f in inner.fields if f.json_name == name and fits(f)), None)
            if found is not None:
                return (box.name, found.name)
    return None


def _item_id(item: t.Type, models: Mapping[str, m.Model]) -> str | None:
    if not isinstance(item, t.ModelRef) or item.name not in models:
        return None
    found = next((f for f in models[item.name].fields if f.json_name == "id" and f.required), None)
    return found.name if found is not None and not isinstance(found.type, t.Nullable) else None


def _attr_path(model: m.Model, models: Mapping[str, m.Model], dotted: str) -> tuple[str, ...]:
    """`pagination.max_page` (JSON names) -> Python attribute names, through required models."""
    out: list[str] = []
    current: m.Model | None = model
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        found = next((f for f in current.fields if f.json_name == part), None) if current else None
        if found is None:
            raise Unwired(f"the response has no field {dotted!r}")
        out.append(found.name)
        if i < len(parts) - 1:
            if not found.required or not isinstance(found.type, t.ModelRef):
                raise Unwired(f"{'.'.join(parts[: i + 1])!r} is not a required object")
            current = models.get(found.type.name)
    return tuple(out)


def _from_override(
    o: Mapping[str, Any],
    query: Mapping[str, m.Parameter],
    model: m.Model,
    models: Mapping[str, m.Model],
    items: m.Field,
) -> m.Pagination:
    assert isinstance(items.type, t.Array)
    param = query.get(str(o.get("param")))
    if param is None:
        raise Unwired(f"it has no query parameter {o.get('param')!r}")
    kind = o.get("type")
    match kind:
        case "page":
            pages = _attr_path(model, models, o["max-page"]) if "max-page" in o else ()
            return m.Pagination(param.name, items.name, pages, items.type.item, kind="page")
        case "offset":
            return m.Pagination(param.name, items.name, (), items.type.item, kind="offset")
        case "cursor":
            if "next" in o:
                nxt = _attr_path(model, models, o["next"])
                return m.Pagination(param.name, items.name, (), items.type.item, kind="cursor", next_path=nxt)
            if "has-more" in o and _item_id(items.type.item, models) is not None:
                more = _attr_path(model, models, o["has-more"])
                return m.Pagination(
                    param.name,
                    items.name,
                    (),
                    items.type.item,
                    kind="cursor",
                    has_more_path=more,
                    cursor_item_field=_item_id(items.type.item, models),
                )
            raise Unwired("a cursor override needs `next`, or `has-more` with items that have an `id`")
        case _:
            raise Unwired(f"unknown pagination type {kind!r} (page, offset or cursor)")
