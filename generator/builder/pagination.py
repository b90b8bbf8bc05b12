"""Pagination from the schema alone, when no vendor extension says how.

A listing is a 2xx JSON response that is an object with an array of items (`data`,
`items`, `results`, `value`, ... or its only array field, or its only array of objects;
a required one first), or, for `Link` headers, an array itself. The array may be
optional or nullable: a page without it is an empty page. Recognised, first match wins:

- link_header: the 2xx response declares a `Link` header (RFC 8288; GitHub's list
  operations): the iterator follows its `rel="next"` target until there is none;
- next_url: the object has a string field with the next page's URL: `next_url`,
  `next_page_url`, `links.next`, `_links.next.href`, `@odata.nextLink`, ... (also under
  `pagination` / `meta` / `paging`), or `next` when it is `format: uri` or the operation
  has no paging parameter; it may be absent or null, as may the objects around it;
- page: a `page` query parameter; stops past `max_page` / `total_pages` / `page_count`
  (top level or under `pagination` / `meta` / `page_info`), else on an empty page;
- offset: an `offset` / `skip` query parameter, stepped by the items received, until an
  empty page;
- cursor: a cursor query parameter (`cursor`, `after`, `starting_after`, `page_token`...)
  fed from a next-cursor field (`next_cursor`, `next_page_token`, `end_cursor`, ...),
  or, with a `has_more` flag and `starting_after`/`after`, from the last item's `id`.

A URL the server names is followed only on the configured server's origin (the runtime,
`_pages.py`, checks it on every page). A per-job override (`[tool.sdkgen.jobs.pagination]`,
by operationId) names the kind, the parameter and the result fields; vendor extensions
keep priority over both. An operation that has such a parameter and a list of items but
cannot be wired gets a warning saying why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..diagnostics import SpecError, child
from ..ir import model as m
from ..ir import types as t
from ..normalize import Spec

ITEM_FIELDS = ("data", "items", "results", "records", "entries", "values", "value", "list", "content", "objects")
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
# JSON paths to the next page's URL; `next` alone (bare or in a container) only with
# `format: uri`, or when the operation has no paging parameter it could be a cursor for
_URL_NAMES = ("next_url", "nextUrl", "next_page_url", "nextPageUrl", "next_link", "nextLink")
NEXT_URL_PATHS: tuple[tuple[str, ...], ...] = (
    *((n,) for n in _URL_NAMES),
    ("@odata.nextLink",),
    ("links", "next"),
    ("_links", "next", "href"),
    ("_links", "next"),
    *((c, n) for c in ("pagination", "meta", "paging") for n in _URL_NAMES),
)
BARE_NEXT_PATHS: tuple[tuple[str, ...], ...] = (("next",), *((c, "next") for c in ("pagination", "meta", "paging")))
URL_FORMATS = (None, "uri", "uri-reference", "url", "iri", "iri-reference")


def operation_ids(spec: Spec) -> set[str]:
    """Every operationId under `paths` (what a job's pagination overrides may name),
    including operations that are later skipped as unusable."""
    found: set[str] = set()
    for path, item in spec.paths().items():
        try:
            item, _ = spec.deref(item, child("#", "paths", str(path)))
        except SpecError:
            continue
        for op in item.values() if isinstance(item, dict) else ():
            if isinstance(op, dict) and isinstance(op.get("operationId"), str):
                found.add(op["operationId"])
    return found


class Unwired(Exception):
    """The operation looks paginated, but this is why no iterator can be generated."""


@dataclass(frozen=True, slots=True)
class _Listing:
    """Where a page's items are: `field` of `model`, or the response itself (no model)."""

    model: m.Model | None
    field: str  # Python attribute name, "" for the response itself
    item: t.Type
    optional: bool = False  # the field may be absent or null (an empty page)


def infer(
    params: tuple[m.Parameter, ...],
    responses: tuple[m.Response, ...],
    models: Mapping[str, m.Model],
    override: Mapping[str, Any] | None = None,
    *,
    link_header: bool = False,
) -> m.Pagination | None:
    """The pagination the schema implies, None if it does not look paginated; raises
    Unwired when it looks paginated but cannot be wired. `link_header`: the success
    response declares a `Link` header."""
    query = {p.json_name: p for p in params if p.location == "query"}
    ok = next((r for r in responses if r.status.startswith("2") and r.type is not None), None)
    if override is not None:
        return _from_override(override, query, ok, models)
    listing = _listing(ok, models, None)
    if listing is None:
        _no_listing(ok, models, query, link_header=link_header)
        return None
    if link_header:
        _one_json_type(ok)
        return _make("link_header", listing)
    page = _first(query, PAGE_PARAMS + OFFSET_PARAMS + CURSOR_PARAMS)
    if listing.model is None:
        return None  # a list alone has nowhere to say where the next page is
    url = _next_url(listing.model, models, bare=page is None)
    if url is not None:
        _one_json_type(ok)
        return _make("next_url", listing, next_path=url)
    if page is None:
        return None  # no paging parameter
    _one_json_type(ok)
    kind, param = _kind(query)
    match kind:
        case "page":
            max_page = _find_path(listing.model, models, MAX_PAGE_FIELDS, (t.Primitive("int"),))
            return _make("page", listing, param, max_page=max_page or ())
        case "offset":
            return _make("offset", listing, param)
        case "cursor":
            nxt = _find_path(listing.model, models, NEXT_FIELDS, (t.Primitive("str"),), optional_last=True)
            if nxt is not None:
                return _make("cursor", listing, param, next_path=nxt)
            more = _find_path(listing.model, models, HAS_MORE_FIELDS, (t.Primitive("bool"),), optional_last=True)
            if more is not None and param.json_name in LAST_ID_PARAMS:
                found = _by_last_id(listing, param, models, more)
                if found is not None:
                    return found
            raise Unwired(
                f"the cursor parameter {param.json_name!r} has no next-cursor field in the response"
                + (" (nor `has_more` with an `id` on the items)" if param.json_name in LAST_ID_PARAMS else "")
            )
        case _:
            raise AssertionError(kind)


def _make(
    kind: m.PaginationKind,
    listing: _Listing,
    param: m.Parameter | None = None,
    *,
    max_page: tuple[str, ...] = (),
    next_path: tuple[str, ...] = (),
    has_more: tuple[str, ...] = (),
    item_id: str | None = None,
) -> m.Pagination:
    """The one place a `Pagination` is made (inferred or overridden)."""
    return m.Pagination(
        param.name if param is not None else "",
        listing.field,
        max_page,
        listing.item,
        kind=kind,
        next_path=next_path,
        has_more_path=has_more,
        cursor_item_field=item_id,
        items_optional=listing.optional,
    )


def _by_last_id(
    listing: _Listing, param: m.Parameter, models: Mapping[str, m.Model], more: tuple[str, ...]
) -> m.Pagination | None:
    """A cursor fed from the last item's `id` while `more` is true; None without an `id`."""
    item_id = _item_id(listing.item, models)
    if item_id is None:
        return None
    return _make("cursor", listing, param, has_more=more, item_id=item_id)


def _one_json_type(ok: m.Response | None) -> None:
    """Raise Unwired unless the success response is one JSON media type (else a page has
    no single shape to read items and the next page from)."""
    if ok is not None and any(not isinstance(c, m.JsonContent) for c in ok.contents):
        # a page may then come back as text or bytes, which has no next page to read
        media = ", ".join(c.media_type for c in ok.contents)
        raise Unwired(f"its success response is not only JSON ({media}): call the method page by page")
    if ok is not None and len(ok.contents) > 1:
        # negotiated: a page is one of several types, whose items are not one type
        media = ", ".join(c.media_type for c in ok.contents)
        raise Unwired(f"its success response has several media types ({media}): call the method page by page")


def _listing(ok: m.Response | None, models: Mapping[str, m.Model], name: str | None) -> _Listing | None:
    """The items of the success response: an array field (named `name`, else see
    `_items`), or, with no `name`, the response when it is an array."""
    if ok is None or ok.type is None:
        return None
    if isinstance(ok.type, t.Array):
        return _Listing(None, "", ok.type.item) if not name else None
    model = models.get(ok.type.name) if isinstance(ok.type, t.ModelRef) else None
    if model is None:
        return None
    items = _items(model, name)
    if items is None:
        return None
    array, nullable = t.strip_nullable(items.type)
    assert isinstance(array, t.Array)
    return _Listing(model, items.name, array.item, optional=nullable or not items.required)


def _no_listing(
    ok: m.Response | None, models: Mapping[str, m.Model], query: Mapping[str, m.Parameter], *, link_header: bool
) -> None:
    """Raise Unwired when the operation looks paginated (a paging parameter or a `Link`
    header) and its object response has list fields, none of which is clearly the items."""
    if not link_header and _first(query, PAGE_PARAMS + OFFSET_PARAMS + CURSOR_PARAMS) is None:
        return
    model = models.get(ok.type.name) if ok is not None and isinstance(ok.type, t.ModelRef) else None
    arrays = [f.json_name for f in model.fields if _array(f)] if model is not None else []
    if len(arrays) > 1:
        raise Unwired(
            f"its response has several list fields ({', '.join(arrays)}) and none is clearly the items: "
            "name it with a `[tool.sdkgen.jobs.pagination]` override"
        )


def _next_url(model: m.Model, models: Mapping[str, m.Model], *, bare: bool) -> tuple[str, ...] | None:
    for path in NEXT_URL_PATHS:
        found = _walk(model, models, path, uri_only=False)
        if found is not None:
            return found
    for path in BARE_NEXT_PATHS:
        found = _walk(model, models, path, uri_only=not bare)
        if found is not None:
            return found
    return None


def _walk(
    model: m.Model, models: Mapping[str, m.Model], path: tuple[str, ...], *, uri_only: bool
) -> tuple[str, ...] | None:
    """Attribute names along JSON names `path` to a string field (a URL), through objects
    that may be absent or null; None when the path does not lead to one."""
    out: list[str] = []
    current: m.Model | None = model
    for i, part in enumerate(path):
        found = next((f for f in current.fields if f.json_name == part), None) if current else None
        if found is None:
            return None
        out.append(found.name)
        inner, _ = t.strip_nullable(found.type)
        if i < len(path) - 1:
            current = models.get(inner.name) if isinstance(inner, t.ModelRef) else None
        elif not _is_url(inner, uri_only=uri_only):
            return None
    return tuple(out)


def _is_url(ty: t.Type, *, uri_only: bool) -> bool:
    """A string that may hold a URL: no format or a URL one (`uri_only`: a URL one)."""
    if not isinstance(ty, t.Primitive) or ty.kind != "str" or ty.format not in URL_FORMATS:
        return False
    return ty.format is not None or not uri_only


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


def _array(f: m.Field) -> bool:
    return isinstance(t.strip_nullable(f.type)[0], t.Array)


def _items(model: m.Model, name: str | None) -> m.Field | None:
    """The array field `name` (required or not), else, among the required array fields,
    then among all of them: one with a usual name (ITEM_FIELDS), the only one, or the
    only one whose items are objects."""
    arrays = [f for f in model.fields if _array(f)]
    if name is not None:
        return next((f for f in arrays if f.json_name == name), None)
    for group in ([f for f in arrays if f.required and not isinstance(f.type, t.Nullable)], arrays):
        named = next((f for n in ITEM_FIELDS for f in group if f.json_name == n), None)
        if named is not None:
            return named
        if len(group) == 1:
            return group[0]
        objects = [f for f in group if isinstance(_item_of(f), t.ModelRef)]
        if len(objects) == 1:
            return objects[0]
    return None


def _item_of(f: m.Field) -> t.Type:
    array = t.strip_nullable(f.type)[0]
    assert isinstance(array, t.Array)
    return t.strip_nullable(array.item)[0]


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
    ok: m.Response | None,
    models: Mapping[str, m.Model],
) -> m.Pagination:
    kind = o.get("type")
    listing = _listing(ok, models, o.get("items"))
    if listing is None:
        if ok is None or not isinstance(ok.type, (t.ModelRef, t.Array)):
            raise Unwired("its success response is not an object")
        raise Unwired(f"its response has no list field {o.get('items')!r}")
    _one_json_type(ok)
    if kind == "link-header":
        return _make("link_header", listing)
    model = listing.model
    if model is None:
        raise Unwired("its success response is not an object")
    if kind == "next-url":
        nxt = _walk(model, models, _json_path(model, o["next"]), uri_only=False)
        if nxt is None:
            raise Unwired(f"the response has no string field {o['next']!r}")
        return _make("next_url", listing, next_path=nxt)
    param = query.get(str(o.get("param")))
    if param is None:
        raise Unwired(f"it has no query parameter {o.get('param')!r}")
    match kind:
        case "page":
            pages = _attr_path(model, models, o["max-page"]) if "max-page" in o else ()
            return _make("page", listing, param, max_page=pages)
        case "offset":
            return _make("offset", listing, param)
        case "cursor":
            if "next" in o:
                return _make("cursor", listing, param, next_path=_attr_path(model, models, o["next"]))
            found = (
                _by_last_id(listing, param, models, _attr_path(model, models, o["has-more"]))
                if "has-more" in o
                else None
            )
            if found is None:
                raise Unwired("a cursor override needs `next`, or `has-more` with items that have an `id`")
            return found
        case _:
            raise Unwired(f"unknown pagination type {kind!r} (page, offset, cursor, next-url or link-header)")


def _json_path(model: m.Model, dotted: str) -> tuple[str, ...]:
    """`links.next` -> ("links", "next"); a top-level name with a dot (`@odata.nextLink`) is kept whole."""
    if any(f.json_name == dotted for f in model.fields):
        return (dotted,)
    return tuple(dotted.split("."))
