"""Every vendor extension sdkgen understands, read here and nowhere else.

Specs published through Speakeasy carry `x-speakeasy-*` keys; Polar adds `x-polar-*`.
The rest of the builder asks these functions and never looks at an `x-` key itself.
"""

from __future__ import annotations

from typing import Any


def group_override(operation: dict[str, Any]) -> str | None:
    value = operation.get("x-speakeasy-group")
    return value if isinstance(value, str) and value.strip() else None


def name_override(operation: dict[str, Any]) -> str | None:
    value = operation.get("x-speakeasy-name-override")
    return value if isinstance(value, str) and value.strip() else None


def server_id(server: dict[str, Any]) -> str | None:
    value = server.get("x-speakeasy-server-id")
    return value if isinstance(value, str) and value.strip() else None


def pagination(operation: dict[str, Any]) -> dict[str, Any] | None:
    """Normalised page/limit pagination: {"page": param, "results": path, "pages": path}.

    Speakeasy's `offsetLimit` form with `type: page` input and `$.a.b` output paths, or
    Polar's own `x-polar-pagination: {type: page_limit}` (items/pagination.max_page).
    """
    speakeasy = operation.get("x-speakeasy-pagination")
    if isinstance(speakeasy, dict) and speakeasy.get("type") == "offsetLimit":
        inputs = speakeasy.get("inputs") or []
        page = next((i.get("name") for i in inputs if isinstance(i, dict) and i.get("type") == "page"), None)
        outputs = speakeasy.get("outputs") or {}
        results, pages = outputs.get("results"), outputs.get("numPages")
        if isinstance(page, str) and isinstance(results, str) and isinstance(pages, str):
            return {"page": page, "results": _json_path(results), "pages": _json_path(pages)}
    polar = operation.get("x-polar-pagination")
    if isinstance(polar, dict) and polar.get("type") == "page_limit":
        return {"page": "page", "results": ("items",), "pages": ("pagination", "max_page")}
    return None


def _json_path(path: str) -> tuple[str, ...]:
    """`$.pagination.max_page` -> ("pagination", "max_page")."""
    return tuple(p for p in path.removeprefix("$").split(".") if p)


def discriminator_value(schema: dict[str, Any]) -> str | None:
    """Azure's `x-ms-discriminator-value`: the tag a subtype of an inheritance hierarchy
    is known by, where its schema's name is not it (autorest's specs)."""
    value = schema.get("x-ms-discriminator-value")
    return value if isinstance(value, str) and value else None
