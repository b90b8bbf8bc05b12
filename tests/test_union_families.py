"""A union without a discriminator of unions discriminated by one property (Polar's
`Product.prices`: `oneOf [LegacyRecurringProductPrice, ProductPrice]`, both by
`amount_type`, whose values "fixed" and "custom" each family uses): every price is decoded
as the model its family's discriminator names, a value both families use told apart by a
key only one of the two models has (the legacy prices' `type`). Before, every price went
to the first family: a current fixed price failed (the legacy model's required
`recurring_interval`), a seat-based one stayed a raw dict, silently.

A union without a discriminator of models with the same keys, told apart only by the
constant of a property's model (Polar's `CustomerBenefitGrant`: eight grants, each with
its `benefit`, whose `type` differs): the tag is read one level down. Before, the first
grant (Discord) took every grant: a custom one failed on Discord's `guild_id`, a grant
whose properties fit Discord's was read as a Discord grant.

Variants without a key of their own, tried from the most required keys down, are also
told apart by the JSON kind of a required key another of them types otherwise (vercel's
`gitSource`: `repoId` a number in one variant, a string or a number in another). Before, a
string `repoId` went to the number's variant: Python kept the string in a number field,
silently; Go failed the whole answer.

Two arrays in one union were both read as the first: an array of their own items is
told apart by its first item's JSON kind (ably's channels: objects or names), or by a
required key only its item's model has (vercel's webhooks: `projectsMetadata`); an empty
array, or one without either, goes to the first array no rule names.

Python: the builder's dispatch table and the generated client (mypy --strict) against
the JSON of tests/go/union_families; Go: the same JSON through families_test.go."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers import strict_client
from test_go_target import GO_TESTS, go_tests_pass, go_toolchain

from generator.builder import build_api
from generator.config import Job
from generator.ir import types as t
from generator.load import load, load_bytes
from generator.normalize import Spec

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

SPEC = GO_TESTS / "union_families" / "families.yaml"
PACKAGE = "union_families_client"
PRICES: list[dict[str, Any]] = [
    {"amount_type": "fixed", "type": "recurring", "recurring_interval": "month", "price_amount": 100},
    {"amount_type": "fixed", "price_amount": 200},
    {"amount_type": "custom", "type": "recurring", "recurring_interval": "year"},
    {"amount_type": "custom", "minimum_amount": 5},
    {"amount_type": "seat_based", "seats": 3},
    {"amount_type": "metered", "unit": "GB"},
]


def test_the_builders_dispatch_tables() -> None:
    api, _ = build_api(Spec(load(SPEC)))
    union = next(d for d in api.dispatch if t.AliasRef("LegacyPrice") in d.union.variants)
    assert union.tag == "amount_type"
    assert union.by_tag == (
        ("fixed", ("type",), t.ModelRef("LegacyFixed")),
        ("fixed", (), t.ModelRef("Fixed")),
        ("custom", ("type",), t.ModelRef("LegacyCustom")),
        ("custom", (), t.ModelRef("Custom")),
        ("seat_based", (), t.ModelRef("Seats")),
    )
    assert union.by_key == () and union.object_fallback is None and union.tag_at == ()
    grant = next(d for d in api.dispatch if t.ModelRef("DiscordGrant") in d.union.variants)
    assert (grant.tag_at, grant.tag) == (("benefit",), "type")
    assert grant.by_tag == (("discord", (), t.ModelRef("DiscordGrant")), ("custom", (), t.ModelRef("CustomGrant")))
    assert grant.by_key == () and grant.object_fallback is None
    source = next(d for d in api.dispatch if t.ModelRef("RepoSource") in d.union.variants)
    assert source.by_key == (
        (("repoId", "sha", "type"), (("repoId", "number"),), t.ModelRef("PinnedSource")),
        (("repoId", "type"), (), t.ModelRef("RepoSource")),
    )


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("families")
    strict_client(root / "out", PACKAGE, Job(SPEC, root / "out" / PACKAGE, PACKAGE))
    return importlib.import_module(f"{PACKAGE}.models")


def test_each_price_is_decoded_as_the_model_its_family_names(models: ModuleType) -> None:
    data = {"name": "p", "prices": PRICES}
    product = models.Product.from_dict(json.loads(json.dumps(data)))
    kinds = [type(p).__name__ for p in product.prices]
    assert kinds == ["LegacyFixed", "Fixed", "LegacyCustom", "Custom", "Seats", "dict"]
    assert product.prices[0].recurring_interval == "month" and product.prices[1].price_amount == 200
    assert product.prices[5] == PRICES[5]  # an unknown value: kept as it came
    assert product.to_dict() == data


def test_each_grant_is_told_apart_by_its_benefits_type(models: ModuleType) -> None:
    decode = importlib.import_module(f"{PACKAGE}.models.grant").decode_Grant
    discord = {"id": "g1", "benefit": {"type": "discord", "id": "b1"}, "properties": {"guild_id": "x"}}
    custom = {"id": "g2", "benefit": {"type": "custom", "id": "b2"}, "properties": {}}
    unknown = {"id": "g3", "benefit": {"type": "slack", "id": "b3"}, "properties": {}}
    odd = {"id": "g4", "benefit": "custom", "properties": {}}  # no object where the tag is
    assert type(decode(discord)) is models.DiscordGrant
    assert type(decode(custom)) is models.CustomGrant and decode(custom).to_dict() == custom
    assert decode(unknown) == unknown and decode(odd) == odd  # kept as they came


def test_a_source_is_told_apart_by_the_kind_of_its_repo_id(models: ModuleType) -> None:
    decode = importlib.import_module(f"{PACKAGE}.models.source").decode_Source
    pinned = {"type": "github", "repoId": 12, "sha": "abc"}
    named = {"type": "github", "repoId": "octo/repo", "sha": "abc"}
    assert type(decode(pinned)) is models.PinnedSource
    assert type(decode(named)) is models.RepoSource and decode(named).to_dict() == named
    assert type(decode({"type": "github", "repoId": "octo/repo"})) is models.RepoSource


def test_arrays_are_told_apart_by_their_first_item(models: ModuleType) -> None:
    channels = importlib.import_module(f"{PACKAGE}.models.channels").decode_Channels
    assert channels(["a", "b"]) == ["a", "b"]
    assert channels([{"channelId": "a"}]) == [models.Channel(channel_id="a")]
    assert channels([]) == []
    hooks = importlib.import_module(f"{PACKAGE}.models.hooks").decode_Hooks
    assert type(hooks([{"id": "1", "projectsMetadata": ["p"]}])[0]) is models.ProjectHook
    assert type(hooks([{"id": "1"}])[0]) is models.Hook


def test_go_decodes_each_value_as_the_python_client_does(go_toolchain: str, tmp_path: Path) -> None:
    go_tests_pass(
        SPEC,
        GO_TESTS / "union_families" / "families_test.go",
        tmp_path,
        "families",
        "TestEachPriceLandsInTheFamilyThatNamesIt",
        "TestEachGrantIsToldApartByItsBenefitsType",
        "TestASourceIsToldApartByTheKindOfItsRepoID",
        "TestArraysAreToldApartByTheirFirstItem",
    )


def test_a_mapping_names_a_nullable_model() -> None:
    """stream-io's `ChatEvent`: a `oneOf` whose `mapping` names models marked `nullable:
    true` (OpenAPI 3.0). Those entries were dropped, so the tag values fell back to the
    schema names (`ChannelCreatedEvent`) and every event the server tags
    `channel.created` stayed a raw dict."""
    s = "#/components/schemas/"
    event = {
        "type": "object",
        "nullable": True,
        "required": ["type"],
        "properties": {"type": {"type": "string"}, "channel": {"type": "string"}},
    }
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "ChatEvent": {
                    "oneOf": [{"$ref": s + "ChannelCreated"}, {"$ref": s + "Health"}],
                    "discriminator": {
                        "propertyName": "type",
                        "mapping": {"channel.created": s + "ChannelCreated", "health.check": s + "Health"},
                    },
                },
                "ChannelCreated": event,
                "Health": {**event, "nullable": False},
            }
        },
    }
    api, _ = build_api(Spec(load_bytes(json.dumps(doc).encode(), Path("chat.json"))))
    plan = next(d for d in api.dispatch if d.tag == "type")
    assert plan.by_tag == (
        ("channel.created", (), t.ModelRef("ChannelCreated")),
        ("health.check", (), t.ModelRef("Health")),
    )
