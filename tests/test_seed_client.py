"""The generated `polar_client` reproduces the seed page's behaviour, sync and async.

These tests import the committed `generated/polar_client` (kept fresh by test_generated)
and drive it through `httpx.MockTransport`: no network, real request/response objects.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from helpers import GENERATED
from seed import SEED_REQUEST_BODY, seed_customer_json

sys.path.insert(0, str(GENERATED))

import polar_client
from polar_client import UNSET, AsyncClient, Client, errors
from polar_client.models import Address, Customer, CustomerUpdate, TaxIDFormat

CUSTOMER_ID = "992fae2a-2a17-4b7a-8d9e-e287cf90131b"
Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    def __init__(self, status: int = 200, body: Any = None, content: bytes | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.status, self.body, self.content = status, body, content

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.content is not None:
            return httpx.Response(self.status, content=self.content)
        return httpx.Response(self.status, json=self.body)


def seed_body() -> CustomerUpdate:
    """The seed's Go sample, written in Python."""
    return CustomerUpdate(
        external_id="usr_1337",
        email="customer@example.com",
        name="John Doe",
        billing_address=Address(country="FR"),
        tax_id=("FR61954506077", TaxIDFormat("eu_vat")),
    )


def sync_client(handler: Handler, **kw: Any) -> Client:
    return Client("polar_oat_test", http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kw)


def async_client(handler: Handler, **kw: Any) -> AsyncClient:
    return AsyncClient("polar_oat_test", http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **kw)


def call_update(mode: str, handler: Handler, body: CustomerUpdate, cid: str = CUSTOMER_ID) -> Customer:
    if mode == "sync":
        with sync_client(handler) as client:
            return client.customers.update(cid, body)

    async def run() -> Customer:
        async with async_client(handler) as client:
            return await client.customers.update(cid, body)

    return asyncio.run(run())


MODES = ["sync", "async"]


@pytest.mark.parametrize("mode", MODES)
def test_go_sample_sends_exactly_the_seed_request(mode: str) -> None:
    rec = Recorder(200, seed_customer_json())
    call_update(mode, rec, seed_body())
    (request,) = rec.requests
    assert request.method == "PATCH"
    assert request.url == f"https://api.polar.sh/v1/customers/{CUSTOMER_ID}"
    assert request.headers["authorization"] == "Bearer polar_oat_test"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == SEED_REQUEST_BODY
    assert list(json.loads(request.content)) == list(SEED_REQUEST_BODY)  # field order too


@pytest.mark.parametrize("mode", MODES)
def test_seed_response_parses_into_typed_customer(mode: str) -> None:
    import datetime
    import uuid

    customer = call_update(mode, Recorder(200, seed_customer_json()), seed_body())
    assert isinstance(customer, Customer)
    assert customer.id == uuid.UUID(CUSTOMER_ID)
    assert customer.created_at == datetime.datetime(2023, 11, 7, 5, 31, 56, tzinfo=datetime.UTC)
    assert customer.created_at.tzinfo is not None
    assert customer.metadata == {}
    assert customer.external_id == "usr_1337"
    assert customer.email_verified is True
    assert customer.billing_address == Address(
        line1="<string>", line2="<string>", postal_code="<string>", city="<string>", state="<string>", country="US"
    )
    assert customer.tax_id == ("911144442", TaxIDFormat.US_EIN)
    assert isinstance(customer.tax_id[1], TaxIDFormat)
    assert customer.organization_id == uuid.UUID("1dbfc517-0bbf-4301-9ba8-555ca42b9737")
    assert customer.avatar_url == "https://www.gravatar.com/avatar/xxx?d=blank"


def test_seed_customer_round_trips_exactly() -> None:
    data = seed_customer_json()
    out = Customer.from_dict(data).to_dict()
    assert out == data
    assert json.dumps(out) == json.dumps(data)  # same key order, `Z` timestamps kept
    assert out["created_at"] == "2023-11-07T05:31:56Z"


def test_every_seed_field_is_a_customer_field() -> None:
    import dataclasses

    names = [f.name for f in dataclasses.fields(Customer)]
    # plus the attribute keeping keys the spec does not declare (issue 15.4)
    assert names == [*seed_customer_json(), "unknown_fields"]


def test_nullable_response_fields_accept_null() -> None:
    data = dict(
        seed_customer_json(),
        modified_at=None,
        external_id=None,
        name=None,
        billing_address=None,
        tax_id=None,
        deleted_at=None,
    )
    customer = Customer.from_dict(data)
    assert customer.billing_address is None and customer.tax_id is None and customer.deleted_at is None
    assert customer.to_dict() == data


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("body", "sent"),
    [
        (CustomerUpdate(), {}),
        (CustomerUpdate(name=None), {"name": None}),
        (CustomerUpdate(tax_id=None, billing_address=None), {"billing_address": None, "tax_id": None}),
        (
            CustomerUpdate(metadata={"plan": "pro", "seats": 3, "beta": True}),
            {"metadata": {"plan": "pro", "seats": 3, "beta": True}},
        ),
    ],
)
def test_patch_semantics_unset_is_omitted_none_is_null(mode: str, body: CustomerUpdate, sent: dict[str, Any]) -> None:
    rec = Recorder(200, seed_customer_json())
    call_update(mode, rec, body)
    assert json.loads(rec.requests[0].content) == sent


def test_unset_is_the_default_of_every_optional_request_field() -> None:
    body = CustomerUpdate()
    assert body.name is UNSET and body.tax_id is UNSET and body.metadata is UNSET
    assert body.to_dict() == {}


@pytest.mark.parametrize("mode", MODES)
def test_404_raises_not_found_with_parsed_body(mode: str) -> None:
    from polar_client.models import ResourceNotFound

    payload = {"error": "ResourceNotFound", "detail": "Customer not found"}
    with pytest.raises(errors.NotFoundError) as info:
        call_update(mode, Recorder(404, payload), seed_body())
    err = info.value
    assert isinstance(err, errors.APIError)
    assert err.status_code == 404
    assert err.body == ResourceNotFound(error="ResourceNotFound", detail="Customer not found")
    assert json.loads(err.content) == payload
    assert err.headers["content-type"] == "application/json"


@pytest.mark.parametrize("mode", MODES)
def test_422_raises_unprocessable_entity_with_parsed_validation_errors(mode: str) -> None:
    from polar_client.models import HTTPValidationError, ValidationError

    payload = {"detail": [{"loc": ["body", "tax_id", 1], "msg": "Invalid tax ID format", "type": "value_error"}]}
    with pytest.raises(errors.UnprocessableEntityError) as info:
        call_update(mode, Recorder(422, payload), seed_body())
    assert info.value.body == HTTPValidationError(
        detail=[ValidationError(loc=["body", "tax_id", 1], msg="Invalid tax ID format", type="value_error")]
    )


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (409, errors.ConflictError),
        (429, errors.RateLimitError),
        (500, errors.InternalServerError),
        (503, errors.InternalServerError),
        (418, errors.APIError),
    ],
)
def test_undocumented_statuses_raise_their_family_with_raw_json(status: int, cls: type[Exception]) -> None:
    with pytest.raises(cls) as info:
        call_update("sync", Recorder(status, {"detail": "nope"}), seed_body())
    assert type(info.value) is cls
    assert info.value.status_code == status  # type: ignore[attr-defined]
    assert info.value.body == {"detail": "nope"}  # type: ignore[attr-defined]


def test_text_error_body_is_kept_as_text() -> None:
    with pytest.raises(errors.InternalServerError) as info:
        call_update("sync", Recorder(502, content=b"Bad gateway"), seed_body())
    assert info.value.body == "Bad gateway"
    assert info.value.content == b"Bad gateway"


def test_malformed_success_body_is_a_typed_error_not_a_key_error() -> None:
    broken = dict(seed_customer_json())
    del broken["email"]
    with pytest.raises(errors.ResponseValidationError):
        call_update("sync", Recorder(200, broken), seed_body())


def test_unknown_enum_value_from_server_is_kept_and_reserialised() -> None:
    data = dict(seed_customer_json(), tax_id=["123", "xx_new_format"])
    customer = Customer.from_dict(data)
    assert customer.tax_id is not None
    assert customer.tax_id[1].value == "xx_new_format"
    assert customer.tax_id[1].is_known is False
    assert customer.to_dict() == data


def test_transport_failures_raise_connection_and_timeout_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(errors.APIConnectionError):
        call_update("sync", refuse, seed_body())
    with pytest.raises(errors.APITimeoutError):
        call_update("async", slow, seed_body())


def test_token_defaults_to_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLAR_ACCESS_TOKEN", "from_env_token")
    rec = Recorder(200, seed_customer_json())
    with Client(http_client=httpx.Client(transport=httpx.MockTransport(rec))) as client:
        client.customers.update(CUSTOMER_ID, seed_body())
    assert rec.requests[0].headers["authorization"] == "Bearer from_env_token"


def test_token_env_name_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLAR_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("MY_POLAR_TOKEN", "other")
    rec = Recorder(200, seed_customer_json())
    client = Client(token_env="MY_POLAR_TOKEN", http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    client.customers.update(CUSTOMER_ID, seed_body())
    assert rec.requests[0].headers["authorization"] == "Bearer other"


def test_token_never_in_repr_or_errors() -> None:
    secret = "polar_oat_SECRET_123"
    rec = Recorder(404, {"error": "ResourceNotFound", "detail": "x"})
    client = Client(secret, http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    assert secret not in repr(client)
    with pytest.raises(errors.NotFoundError) as info:
        client.customers.update(CUSTOMER_ID, seed_body())
    assert secret not in str(info.value) and secret not in repr(info.value)


@pytest.mark.parametrize(("server", "host"), [("production", "api.polar.sh"), ("sandbox", "sandbox-api.polar.sh")])
def test_servers(server: str, host: str) -> None:
    rec = Recorder(200, seed_customer_json())
    sync_client(rec, server=server).customers.update(CUSTOMER_ID, seed_body())
    assert rec.requests[0].url.host == host


def test_base_url_overrides_server() -> None:
    rec = Recorder(200, seed_customer_json())
    sync_client(rec, base_url="http://127.0.0.1:4010").customers.update(CUSTOMER_ID, seed_body())
    assert str(rec.requests[0].url) == f"http://127.0.0.1:4010/v1/customers/{CUSTOMER_ID}"


def test_default_timeout_is_ten_seconds() -> None:

    assert polar_client.client.DEFAULT_TIMEOUT == 10.0
    with Client("t") as client:
        assert client._core.http_client.timeout == httpx.Timeout(10.0)
        assert client._core.config.timeout == httpx.Timeout(10.0)


def test_a_given_http_client_keeps_its_own_timeout_unless_one_is_passed() -> None:
    rec = Recorder(200, seed_customer_json())
    with httpx.Client(transport=httpx.MockTransport(rec), timeout=3.0) as http:
        Client("t", http_client=http).customers.update(CUSTOMER_ID, seed_body())
        Client("t", http_client=http, timeout=7.0).customers.update(CUSTOMER_ID, seed_body())
    assert [r.extensions["timeout"]["read"] for r in rec.requests] == [3.0, 7.0]


def test_path_parameter_is_escaped() -> None:
    rec = Recorder(200, seed_customer_json())
    sync_client(rec).customers.update("../admin?x=1", seed_body())
    assert rec.requests[0].url.raw_path == b"/v1/customers/..%2Fadmin%3Fx%3D1"


def test_per_call_options_reach_the_request() -> None:
    rec = Recorder(200, seed_customer_json())
    client = sync_client(rec)
    client.customers.update(
        CUSTOMER_ID, seed_body(), request_options={"headers": {"X-Trace": "1"}, "server": "sandbox", "timeout": 3.0}
    )
    request = rec.requests[0]
    assert request.headers["x-trace"] == "1"
    assert request.url.host == "sandbox-api.polar.sh"
    assert request.extensions["timeout"]["read"] == 3.0


def test_update_docstring_comes_from_the_spec() -> None:
    from polar_client.services.customers import AsyncCustomersService, CustomersService

    for cls in (CustomersService, AsyncCustomersService):
        text = cls.update.__doc__ or ""
        assert text.startswith("Update Customer")
        assert "Update a customer." in text
        assert "The customer ID." in text
        assert "errors.NotFoundError: Customer not found." in text
    assert polar_client.__version__ == "0.1.0"


def test_package_is_typed() -> None:
    assert (GENERATED / "polar_client" / "py.typed").exists()


def iter_modules() -> Iterator[str]:
    root = GENERATED / "polar_client"
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(GENERATED).with_suffix("")
        yield ".".join(p for p in rel.parts if p != "__init__") if rel.name == "__init__" else ".".join(rel.parts)


@pytest.mark.parametrize("module", list(iter_modules()))
def test_every_generated_module_imports(module: str) -> None:
    import importlib

    importlib.import_module(module)


def test_httpx_is_imported_on_first_use_not_with_the_package() -> None:
    """Import + construct stays cheap: httpx (most of the import time) loads when the
    first request is built, and everything still works after that."""
    import subprocess

    code = """if True:
        import sys
        import polar_client
        from polar_client import errors
        client = polar_client.Client("t")
        aclient = polar_client.AsyncClient("t")
        err = errors.APIConnectionError("x")
        assert "httpx" not in sys.modules, "httpx imported with the package"
        # nor what only a rare path needs (an HTTP-date Retry-After, masking logged keys)
        assert "email.utils" not in sys.modules and "logging" not in sys.modules
        timeout = client._core.config.timeout
        assert "httpx" in sys.modules
        import httpx
        assert timeout == httpx.Timeout(10.0), timeout
        assert polar_client.Client("t", timeout=None)._core.config.timeout == httpx.Timeout(60.0, connect=10.0)
        assert errors.APIError("m", status_code=500).headers == httpx.Headers()
        print("ok")
    """
    result = subprocess.run([sys.executable, "-c", code], cwd=GENERATED, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "ok\n", result.stderr


def test_a_model_name_that_does_not_exist_is_a_type_error(tmp_path: Any) -> None:
    """`models` imports its modules on first use through a module `__getattr__`; a type
    checker that saw it would type any name as `Any`, so a misspelt model, or one a new
    version of the spec removed, passed `mypy --strict` and failed only at run time. The
    hook is defined for the interpreter only: mypy knows the real names, and nothing else."""
    from helpers import mypy_error_lines

    code = (
        "from polar_client.models import Customer, Custmer\n"
        "import polar_client.models\n"
        "def f(c: Customer) -> polar_client.models.Adress:\n"
        "    return polar_client.models.Address(country=1)\n"
    )
    assert mypy_error_lines(polar_client, tmp_path / "user.py", code) == ["1", "3", "4"]
    with pytest.raises(AttributeError, match="has no attribute 'Custmer'"):
        polar_client.models.Custmer  # noqa: B018
    assert polar_client.models.Address is Address
