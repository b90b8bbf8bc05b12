"""The seed page's data, read from the page itself (and the spec written from it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from helpers import ROOT, SEED_SPEC

SEED_PAGE = ROOT.parent / "shared" / "seeds" / "000_6e9a2a1d75fd6b1e.txt"

# What the seed's Go sample sends, as issue #2 states it.
SEED_REQUEST_BODY = {
    "external_id": "usr_1337",
    "email": "customer@example.com",
    "name": "John Doe",
    "billing_address": {"country": "FR"},
    "tax_id": ["FR61954506077", "eu_vat"],
}


def seed_customer_json() -> dict[str, Any]:
    """The example `Customer` of the seed page (from the page when it is present)."""
    spec = yaml.safe_load(SEED_SPEC.read_text("utf-8"))
    example: dict[str, Any] = spec["paths"]["/v1/customers/{id}"]["patch"]["responses"]["200"]["content"][
        "application/json"
    ]["example"]
    if SEED_PAGE.exists():
        text = SEED_PAGE.read_text("utf-8")
        start = text.index("\n{\n") + 1
        end = text.index("\n}\n", start) + 2
        from_page = json.loads(text[start:end])
        assert from_page == example, "the spec's example drifted from the seed page"
        return from_page
    return example


def seed_page_text() -> str | None:
    return SEED_PAGE.read_text("utf-8") if SEED_PAGE.exists() else None


def seed_path() -> Path:
    return SEED_PAGE
