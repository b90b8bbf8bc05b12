"""emit/layout.py splits long generated lines the way black does, so black (which still
formats every module) leaves them as they are; it must never change black's output.

Each case puts one line in a small module at the indent it has in generated code and
checks black(laid out) == black(one line), and, for the shapes sdkgen emits most, that
black leaves the laid-out text unchanged. A black upgrade that splits differently fails
here before it can change (or merely slow down) generated packages.
"""

from __future__ import annotations

import random
import re
import string

import black
import pytest

from generator.emit.codec import Imports, annotation, decode, encode
from generator.emit.layout import Layout
from generator.ir import types as t
from generator.naming import literal

MODE = black.Mode(target_versions={black.mode.TargetVersion.PY310})
LAYOUT = Layout(88)


def _module(kind: str, indent: int, line: str) -> str:
    """`line` (continuation lines indented already) in a module where it is valid."""
    depth = indent // 4
    pre: list[str] = []
    post: list[str] = []
    if kind == "item":  # an argument or a dict entry of a bracket black explodes
        pre = ["    " * d + "def f():" for d in range(depth - 1)]
        call = re.match(r"[A-Za-z_]\w*=", line) is not None
        pre.append("    " * (depth - 1) + ("x = f(" if call else "x = {"))
        post = ["    " * (depth - 1) + (")" if call else "}")]
    elif kind == "param":
        pre = ["    " * d + "class A:" for d in range(depth - 1)] + [
            "    " * (depth - 1) + "def f(",
            "    " * depth + "self,",
        ]
        post = [
            "    " * depth + "request_options: int = 0,",
            "    " * (depth - 1) + ") -> None:",
            "    " * depth + "pass",
        ]
    else:
        pre = ["    " * d + "def f():" for d in range(depth)]
        if kind in ("if", "def", "class"):
            post = ["    " * (depth + 1) + "pass"]
    return "\n".join([*pre, " " * indent + line, *post]) + "\n"


def _check(kind: str, indent: int, text: str, *, unchanged: bool) -> None:
    laid_out = LAYOUT.line(text, indent, kind)
    raw = black.format_str(_module(kind, indent, text), mode=MODE)
    mine = _module(kind, indent, laid_out)
    assert black.format_str(mine, mode=MODE) == raw, f"layout changes black's output for {text!r}"
    if unchanged:
        assert mine == raw, f"black still changes {text!r}:\n{mine}\n---\n{raw}"


SHAPES = [
    ("item", 12, 'modified_at=None if d["modified_at"] is None else _rt.parse_datetime(d["modified_at"]),'),
    ("stmt", 8, 'obj.modified_at = None if d["modified_at"] is None else _rt.parse_datetime(d["modified_at"])'),
    (
        "stmt",
        8,
        'obj.billing_reason = _MEMBERS_OrderBillingReason.get(d["billing_reason"]) or OrderBillingReason(d["billing_reason"])',
    ),
    (
        "stmt",
        8,
        'obj.tax_id = None if d["tax_id"] is None else (d["tax_id"][0], _MEMBERS_TaxIDFormat.get(d["tax_id"][1]) or TaxIDFormat(d["tax_id"][1]))',
    ),
    (
        "item",
        12,
        'data=({k0: None if v0 is None else _decode_union1(v0) for k0, v0 in d["data"].items()}) if "data" in d else _rt.UNSET,',
    ),
    (
        "item",
        12,
        'attached_custom_fields=None if d["attached_custom_fields"] is None else [AttachedCustomField.from_dict(v0) for v0 in d["attached_custom_fields"]],',
    ),
    ("item", 12, 'billing_address_fields=CheckoutBillingAddressFields.from_dict(d["billing_address_fields"]),'),
    (
        "item",
        12,
        'prices=None if d["prices"] is None else {k0: [_decode_union2(v1) for v1 in v0] for k0, v0 in d["prices"].items()},',
    ),
    ("item", 12, '"modified_at": None if self.modified_at is None else _rt.format_datetime(self.modified_at),'),
    ("item", 12, '"/v1/license-keys/" + _rt.path_param(id) + "/activations/" + _rt.path_param(activation_id),'),
    (
        "stmt",
        12,
        'd["custom_field_data"] = {k0: None if v0 is None else _rt.to_json(v0) for k0, v0 in self.custom_field_data.items()}',
    ),
    (
        "stmt",
        12,
        'd["prices"] = None if self.prices is None else {k0: [_rt.to_json(v1) for v1 in v0] for k0, v0 in self.prices.items()}',
    ),
    ("stmt", 8, 'd["billing_address_fields_and_more_and_more_words"] = self.billing_address_fields.to_dict()'),
    ("stmt", 12, 'd["billing_address_fields_and_more_words"] = _rt.format_datetime(self.billing_address_fields)'),
    ("stmt", 4, "custom_field_data: dict[str, str | int | bool | datetime | None] | _rt.Unset = _rt.UNSET"),
    (
        "stmt",
        4,
        "discount: DiscountFixedOnceForeverDuration | DiscountFixedRepeatDuration | DiscountPercentageRepeatDuration | dict[str, Any] | None",
    ),
    ("stmt", 4, "discount_with_a_long_name: CheckoutDiscountFixedOnceForeverDuration | None | _rt.Unset = _rt.UNSET"),
    (
        "stmt",
        0,
        'Benefit: TypeAlias = "BenefitCustom | BenefitDiscord | BenefitGitHubRepository | BenefitDownloadables | dict[str, Any]"',
    ),
    ("def", 4, "def from_dict(cls, d: Mapping[str, Any]) -> BenefitDownloadablesSubscriberProperties:"),
    ("def", 0, "def decode_BenefitFeatureFlagCreateProperties(value: Any) -> BenefitFeatureFlagCreateProperties:"),
    (
        "def",
        0,
        "def _decode_union1(v: Any) -> TextBlock | MetricChartBlock | InsightCardsBlock | EntityListBlock | dict[str, Any]:",
    ),
    (
        "if",
        8,
        'if "amount" in v and "amounts" in v and "code" in v and "currency" in v and "duration" in v and "id" in v:',
    ),
    ("param", 8, "product_billing_type: ProductBillingType | builtins.list[ProductBillingType] | None = None,"),
    ("param", 8, "body: BenefitCustomUpdate | BenefitDiscordUpdate | BenefitGitHubRepositoryUpdate | dict[str, Any],"),
    ("class", 0, "class ApiReferenceCreateReferenceResponse201DataContentNextPagesItem0Type(_rt.OpenStrEnum):"),
    ("stmt", 4, 'SETUP_READINESS_CHECKOUT_LINK_NOT_FULFILLABLE = "setup_readiness.checkout_link_not_fulfillable"'),
    # black's second opinion (the split omitting the optional parentheses leaves the first
    # line too long: the same split keeping them, taken because all its lines fit)
    (
        "stmt",
        8,
        "self.list_admissionregistration_v1_alpha1_validating_admission_policy = _raw.raw(service.list_admissionregistration_v1_alpha1_validating_admission_policy)",
    ),
    ("stmt", 8, "self.read_namespaced_horizontal_pod_autoscaler_status = _raw.araw(service.read_status_x)"),
    # a call statement (no invisible parentheses around it)
    (
        "stmt",
        8,
        'warnings.warn("GET /companies/{companyId}/data/accounts/{accountId} is deprecated.", DeprecationWarning, stacklevel=2)',
    ),
    (
        "stmt",
        0,
        "_op4: _rt.Operation[IoK8SApiextensionsApiserverPkgApisApiextensionsV1CustomResourceDefinitionList | bytes]",
    ),
    (
        "class",
        0,
        "class BatchV1Service(BatchV1ServicePart1, BatchV1ServicePart2, BatchV1ServicePart3, BatchV1ServicePart4):",
    ),
    (
        "item",
        4,
        '"auth_header": _auth.Scheme("api_key", "auth_header", env="PKG_AUTH_HEADER", location="header", name="Authorization", prefix=""),',
    ),
    ("def", 4, "def admissionregistration_v1_alpha1(self) -> AsyncAdmissionregistrationV1Alpha1Service:"),
    ("def", 4, "def __init__(self, service: AsyncIntegrationsGithubRepositoryBenefitService) -> None:"),
    # a conditional inside another's `else`, in the parentheses black would print
    (
        "item",
        12,
        'body=_w.json_body(_rt.to_json(body), "application/json-patch+json") if content_type == "application/json-patch+json" else (_w.json_body(_rt.to_json(body), "application/merge-patch+json") if content_type == "application/merge-patch+json" else _w.text_body(body, "application/apply-patch+yaml")),',
    ),
    ("def", 4, "def _(self) -> IoK8SApiextensionsApiserverPkgApisApiextensionsV1CustomResourceDefinitionList | bytes:"),
    (
        "def",
        4,
        "def _(self) -> _st.JsonLinesStream[IoK8SApiextensionsApiserverPkgApisApiextensionsV1CustomResourceList]:",
    ),
]


@pytest.mark.parametrize(("kind", "indent", "text"), SHAPES)
def test_common_shapes_are_printed_as_black_prints_them(kind: str, indent: int, text: str) -> None:
    assert indent + len(text) > 88
    _check(kind, indent, text, unchanged=True)


SAMPLE_STATEMENTS = [
    (
        "for",
        0,
        "for organization in client.organizations.iter_list_organizations(page=1, limit=10, sorting=[OrganizationSortProperty.CREATED_AT]):",
    ),
    (
        "for",
        8,
        "async for organization in client.organizations.iter_list_organizations(page=1, limit=10, sorting=[OrganizationSortProperty.CREATED_AT]):",
    ),
    ("for", 0, 'for x in client.customer_portal.benefit_grants.get("3fa85f64-5717-4562-b3fc-2c963f66afa6", "abc"):'),
    ("stmt", 8, 'organization = await client.organizations.get("1dbfc517-0bbf-4301-9ba8-555ca42b9737")'),
    (
        "stmt",
        8,
        'result = await client.oauth2.clients.update("string", OAuth2ClientConfigurationUpdate(redirect_uris=["https://example.com"], client_name="string"))',
    ),
    (
        "stmt",
        8,
        'await client.oauth2.clients.update("string", OAuth2ClientConfigurationUpdate(redirect_uris=["https://example.com"], client_name="string"))',
    ),
    (
        "stmt",
        0,
        'customer_benefit_grant = client.customer_portal.benefit_grants.get("3fa85f64-5717-4562-b3fc-2c963f66afa6")',
    ),
]


@pytest.mark.parametrize(("kind", "indent", "text"), SAMPLE_STATEMENTS)
def test_sample_statements_are_printed_as_black_prints_them(kind: str, indent: int, text: str) -> None:
    """The docs' code samples: `for` headers and `await` inside `async def main()`."""

    def program(line: str) -> str:
        pre = ["async def main():", "    async with make() as client:"] if indent == 8 else []
        post = [" " * (indent + 4) + "print(x)"] if kind == "for" else []
        return "\n".join([*pre, " " * indent + line, *post]) + "\n"

    assert indent + len(text) > 88
    laid_out = LAYOUT.line(text, indent, kind)  # type: ignore[arg-type]
    assert program(laid_out) == black.format_str(program(text), mode=MODE)


def test_long_imports_are_exploded_as_black_explodes_them() -> None:
    for names in (["CheckoutDiscountPercentageOnceForeverDuration"], ["LegacyRecurringProductPrice", "decode_Legacy"]):
        laid_out = LAYOUT.import_from(".checkout_discount_percentage_once_forever_duration", names)
        assert black.format_str(laid_out + "\n", mode=MODE) == laid_out + "\n"


def _random_type(rng: random.Random, depth: int = 0) -> t.Type:
    def name() -> str:
        return "".join(rng.choice(string.ascii_letters) for _ in range(rng.randint(3, 70))).capitalize()

    r = rng.random()
    if depth > 3 or r < 0.3:
        kind = rng.choice(["str", "str", "int", "bool", "bytes"])
        return t.Primitive(kind, rng.choice([None, "date-time", "date", "uuid"]) if kind == "str" else None)
    if r < 0.42:
        return t.Nullable(_random_type(rng, depth + 1))
    if r < 0.54:
        return t.Array(_random_type(rng, depth + 1))
    if r < 0.64:
        return t.Map(_random_type(rng, depth + 1))
    if r < 0.74:
        return t.ModelRef(name())
    if r < 0.82:
        return t.EnumRef(name())
    if r < 0.88:
        return t.Tuple(tuple(_random_type(rng, depth + 1) for _ in range(rng.randint(1, 3))))
    return t.Const(rng.choice(["x" * rng.randint(1, 40), rng.randint(-3, 3), True]))


def test_generated_codecs_never_change_blacks_output() -> None:
    rng = random.Random(20261124)
    checked = 0
    for _ in range(60):
        ty = _random_type(rng)
        imp = Imports()
        field = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 40)))
        key = literal("".join(rng.choice(string.ascii_letters + "_- ") for _ in range(rng.randint(1, 40))))
        dec, enc, ann = decode(ty, f"d[{key}]", imp), encode(ty, f"self.{field}", imp), annotation(ty, imp)
        optional = f"{f'({dec})' if ' if ' in dec else dec} if {key} in d else _rt.UNSET"
        for kind, indent, text in [
            ("item", 12, f"{field}={dec},"),
            ("item", 12, f"{field}={optional},"),
            ("stmt", 8, f"obj.{field} = {dec}"),  # from_dict's assignments
            ("stmt", 8, f"obj.{field} = {optional}"),
            ("item", 12, f"{key}: {enc},"),
            ("stmt", 12, f"d[{key}] = {enc}"),
            ("stmt", 4, f"{field}: {ann} | _rt.Unset = _rt.UNSET"),
            ("param", 8, f"{field}: {ann} | None = None,"),
        ]:
            if indent + len(text) > 88:
                _check(kind, indent, text, unchanged=False)
                checked += 1
    assert checked > 100


RETURNS = [
    "_st.BinaryStream",
    "Iterator[OrganizationAccessTokenWithSecretAndMoreAndMoreAndMoreWordsXXXXXXXX]",
    "AsyncIterator[CustomerBenefitGrantDiscordXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX]",
    "OrganizationAccessTokenWithSecretAndMoreAndMoreAndMoreWordsXXXX | None",
    "OrganizationAccessTokenWithSecretAndMoreAndMoreAndMoreWordsXXXXXXXXX | None",
    "OrganizationAccessTokenWithSecretAndMoreAndMoreAndMoreWordsXXXXXXXXXXXXXXXXXXX",
    "IoK8SApiextensionsApiserverPkgApisApiextensionsV1CustomResourceDefinitionList | bytes",
    "IoK8SApiextensionsApiserverPkgApisApiextensionsV1CustomResourceDefinitionListXXXXXXX",
    "_st.JsonLinesStream[IoK8SApiextensionsApiserverPkgApisApiextensionsV1CustomResourceList]",
    "list[A] | dict[str, B] | OrganizationAccessTokenWithSecretAndMoreAndMoreAndMoreWordsXXXX",
]


@pytest.mark.parametrize("end", [":", ": ..."])
@pytest.mark.parametrize("returns", RETURNS)
def test_signature_closing_lines_are_printed_as_black_prints_them(returns: str, end: str) -> None:
    """`) -> <annotation>:` closing an exploded signature (an `@overload` stub's with
    ` ...`): on one line, in parentheses, split in the annotation's brackets or at `|`."""
    from generator.emit.python import PythonEmitter

    class Emitter:
        layout = LAYOUT

    close = PythonEmitter._head_close(Emitter(), returns, end)  # type: ignore[arg-type]
    body = "\n        pass\n" if end == ":" else "\n"
    module = "class A:\n    def f(\n        self,\n        *,\n        x: int = 1,\n    " + close + body
    assert black.format_str(module, mode=MODE) == module
