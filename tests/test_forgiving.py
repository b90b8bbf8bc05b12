"""Forgiving inputs and kept unknowns (issue 15.3, 15.4), on a small inline spec.

- a plain str where an open enum is typed (request models and parameters), typed so;
- a dict where a model belongs in a request: a TypeError naming the field, before any
  request is sent, never an AttributeError from generated code;
- undeclared keys of a response survive from_dict -> to_dict, kept apart from fields.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import httpx
import pytest

from generator.builder import build_api
from generator.config import Job
from generator.load import load
from generator.normalize import Spec
from generator.pipeline import generate
from generator.write import write_package

SPEC = textwrap.dedent(
    """\
    openapi: 3.1.0
    info: {title: Shop, version: "1"}
    servers: [{url: "https://api.example.com"}]
    paths:
      /orders:
        post:
          operationId: createOrder
          tags: [orders]
          parameters:
            - {name: channel, in: query, schema: {$ref: "#/components/schemas/Channel"}}
          requestBody:
            required: true
            content: {application/json: {schema: {$ref: "#/components/schemas/OrderCreate"}}}
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
    components:
      schemas:
        Channel: {type: string, enum: [web, shop]}
        Priority: {type: integer, enum: [1, 2]}
        Line:
          type: object
          required: [sku]
          properties: {sku: {type: string}, channel: {$ref: "#/components/schemas/Channel"}}
        Address:
          type: object
          required: [country]
          properties: {country: {type: string}}
        OrderCreate:
          type: object
          required: [channel, address]
          properties:
            channel: {$ref: "#/components/schemas/Channel"}
            priority: {$ref: "#/components/schemas/Priority"}
            address: {$ref: "#/components/schemas/Address"}
            lines: {type: array, items: {$ref: "#/components/schemas/Line"}}
        Order:
          type: object
          required: [id, channel]
          properties:
            id: {type: string}
            channel: {$ref: "#/components/schemas/Channel"}
            unknown_fields: {type: string}
            address: {$ref: "#/components/schemas/Address"}
    """
)


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("forgiving")
    (out / "spec.yaml").write_text(SPEC, "utf-8")
    write_package(out, "shop_client", generate(Job(out / "spec.yaml", out, "shop_client"), run_validator=False).files)
    (out / "use.py").write_text(
        textwrap.dedent(
            """\
            from shop_client import Client
            from shop_client.models import Address, Channel, OrderCreate


            def create(client: Client) -> str:
                body = OrderCreate(channel="web", priority=2, address=Address(country="FR"))
                also = OrderCreate(channel=Channel.SHOP, address=Address(country="FR"))
                return client.orders.create_order(body, channel="shop").id + str(also.channel)
            """
        ),
        "utf-8",
    )
    sys.path.insert(0, str(out))
    import shop_client

    shop_client.__dict__["_out"] = out
    return shop_client


def test_usage_decided_in_the_ir(tmp_path: Any) -> None:
    (tmp_path / "s.yaml").write_text(SPEC, "utf-8")
    api, _ = build_api(Spec(load(tmp_path / "s.yaml")))
    models = {x.name: x for x in api.models}
    assert models["OrderCreate"].in_requests and models["Line"].in_requests and models["Address"].in_requests
    assert not models["Order"].in_requests
    assert models["Order"].unknown_name == "unknown_fields2"  # a declared field has the plain name
    assert models["Address"].unknown_name == "unknown_fields"  # also in a response
    assert models["OrderCreate"].unknown_name is None and models["Line"].unknown_name is None


def recorder(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "o1", "channel": "web"})

    return httpx.MockTransport(handle)


def test_plain_values_for_open_enums(pkg: Any) -> None:
    from shop_client.models import Address, Channel, OrderCreate

    seen: list[httpx.Request] = []
    client = pkg.Client(http_client=httpx.Client(transport=recorder(seen)))
    client.orders.create_order(OrderCreate(channel="web", priority=2, address=Address(country="FR")), channel="shop")
    assert json.loads(seen[-1].content) == {"channel": "web", "priority": 2, "address": {"country": "FR"}}
    assert seen[-1].url.params["channel"] == "shop"
    client.orders.create_order(OrderCreate(channel=Channel.SHOP, address=Address(country="FR")), channel=Channel.WEB)
    assert json.loads(seen[-1].content)["channel"] == "shop" and seen[-1].url.params["channel"] == "web"


def test_dict_where_a_model_belongs_is_a_type_error_naming_it(pkg: Any) -> None:
    from shop_client.models import Address, Line, OrderCreate

    seen: list[httpx.Request] = []
    client = pkg.Client(http_client=httpx.Client(transport=recorder(seen)))
    with pytest.raises(TypeError, match=r"OrderCreate\.address: expected Address, got dict; .*Address\.from_dict"):
        client.orders.create_order(OrderCreate(channel="web", address={"country": "FR"}))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"OrderCreate\.lines\[1\]: expected Line, got dict"):
        body = OrderCreate(channel="web", address=Address(country="FR"), lines=[Line(sku="a"), {"sku": "b"}])  # type: ignore[list-item]
        client.orders.create_order(body)
    with pytest.raises(TypeError, match=r"body: expected OrderCreate, got dict"):
        client.orders.create_order({"channel": "web"})
    assert seen == []  # nothing was sent


def test_unknown_response_fields_round_trip(pkg: Any) -> None:
    from shop_client.models import Order

    data = {
        "id": "o1",
        "channel": "web",
        "unknown_fields": "declared",
        "address": {"country": "FR", "zip": "75001"},
        "loyalty": {"tier": 2},
        "channel_v2": "x",
    }
    order = Order.from_dict(data)
    assert order.unknown_fields == "declared"  # the declared field keeps its name
    assert order.unknown_fields2 == {"loyalty": {"tier": 2}, "channel_v2": "x"}
    assert order.address.unknown_fields == {"zip": "75001"}
    assert order.to_dict() == data
    assert Order.from_dict({"id": "o1", "channel": "web"}).unknown_fields2 == {}
    assert order == Order.from_dict({**data, "loyalty": None})  # not part of equality, nor repr
    assert "loyalty" not in repr(order)


def test_typed_so(pkg: Any) -> None:
    out = pkg.__dict__["_out"]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "shop_client", "use.py"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout
