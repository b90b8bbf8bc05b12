"""Untagged operations are grouped by their path (issue 15.7)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.builder import build_api
from generator.builder.grouping import path_group
from generator.config import Job
from generator.load import load
from generator.normalize import Spec
from generator.pipeline import generate


@pytest.mark.parametrize(
    ("path", "group"),
    [
        ("/v1/customers/{id}", "customers"),
        ("/v2beta/customer-notes", "customer-notes"),
        ("/api/2024-01-01/orders/{order_id}/lines", "orders"),
        ("/{tenant}/invoices", "invoices"),
        ("/1.0/files", "files"),
        ("/", "default"),
        ("/v3/{id}", "default"),
        ("/version", "version"),
    ],
)
def test_path_group(path: str, group: str) -> None:
    assert path_group(path) == group


SPEC = textwrap.dedent(
    """\
    openapi: 3.1.0
    info: {title: Untagged, version: "1"}
    paths:
      /v1/customers/:
        get: {operationId: listCustomers, responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Customer"}}}}}}
      /v1/customers/{id}:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        get: {operationId: getCustomer, responses: {"200": {description: ok}}}
      /v1/orders/{id}:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        get: {operationId: getOrder, responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}}}
      /v1/tagged:
        get: {operationId: tagged, tags: [misc], responses: {"200": {description: ok}}}
      /:
        get: {operationId: root, responses: {"200": {description: ok}}}
    components:
      schemas:
        Customer: {type: object, properties: {id: {type: string}}}
        Order: {type: object, properties: {id: {type: string}}}
    """
)


def test_untagged_operations_get_one_service_per_resource(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SPEC, "utf-8")
    api, _ = build_api(Spec(load(tmp_path / "s.yaml")))
    assert {".".join([*op.group, op.name]) for op in api.operations} == {
        "customers.list_customers",
        "customers.get_customer",
        "orders.get_order",
        "misc.tagged",
        "default.root",
    }
    files = generate(Job(tmp_path / "s.yaml", tmp_path / "out", "untagged"), run_validator=False).files
    orders = files["services/orders.py"].decode()
    # a service imports the models it uses, not every model
    assert "from ..models.order import Order" in orders and "Customer" not in orders


CLASH = textwrap.dedent(
    """
    openapi: 3.0.3
    info: {title: t, version: "1"}
    paths:
      /managed/services:
        post:
          tags: [managed]
          operationId: createManagedService
          requestBody:
            content: {application/json: {schema: {$ref: "#/components/schemas/ManagedService"}}}
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/ManagedService"}}}
      /stats:
        get:
          tags: [stats]
          operationId: getStats
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/AsyncStatsServiceWithRawResponse"}}}
    components:
      schemas:
        ManagedService: {type: object, properties: {label: {type: string}}}
        AsyncStatsServiceWithRawResponse: {type: object, properties: {n: {type: integer}}}
    """
)


def test_a_service_class_never_takes_a_models_name(tmp_path: Path) -> None:
    """linode's model `ManagedService` and its tag `managed`: the service module imported
    the model and then defined a class of the same name, so the operation decoded its
    answer with the service class (and mypy --strict failed on the package)."""
    from helpers import strict_client

    (tmp_path / "s.yaml").write_text(CLASH, "utf-8")
    pkg = strict_client(tmp_path / "out", "clash", Job(tmp_path / "s.yaml", tmp_path / "out" / "clash", "clash"))
    import httpx
    from clash.models import ManagedService  # type: ignore[import-not-found]
    from clash.services.managed import ManagedService2  # type: ignore[import-not-found]
    from clash.services.stats import StatsService2  # type: ignore[import-not-found]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"label": "db"} if request.method == "POST" else {"n": 1})

    client = pkg.Client(base_url="http://api.test", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    assert isinstance(client.managed, ManagedService2) and isinstance(client.stats, StatsService2)
    assert client.managed.create_managed_service(body=ManagedService(label="db")) == ManagedService(label="db")
    assert client.stats.get_stats().n == 1
