"""The generated Markdown reference: samples that run, tables that hold, the seed page matched.

Every operation page's Python blocks are executed (each in a fresh namespace) against the
generated client, whose `Client` / `AsyncClient` are patched to use an
`httpx.MockTransport` that answers with the page's own example response: so the docs
cannot drift from the code. The customers-update page is snapshot-tested and checked
field by field against the seed page it must stand beside.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from helpers import GENERATED, ROOT, SEED_SPEC, shared_specs_dir
from seed import SEED_PAGE, seed_customer_json

from generator.config import Job
from generator.emit.docs import op_page
from generator.emit.samples import Samples, overlay, success_response
from generator.ir import model as m
from generator.pipeline import build, generate
from generator.render import md_cell, md_code, md_fence
from generator.write import write_package

TOKEN_ENV = "POLAR_ACCESS_TOKEN"
SEED_JOB = Job(SEED_SPEC, GENERATED, "polar_client", token_env=TOKEN_ENV, go_module="github.com/polarsource/polar-go")
SEED_DOCS = GENERATED / "polar_client" / "docs"
FENCE = re.compile(r"^(`{3,})(\w*)\n(.*?)\n\1$", re.S | re.M)
LINK = re.compile(r"\]\(([^)\s]+)\)")

# polar-2026-10 operations whose samples run: several groups, pagination, deepObject
# query parameters, form bodies, union bodies and responses, empty and CSV responses.
POLAR_2026_OPERATIONS = (
    "customers:list",
    "customers:create",
    "customers:get",
    "customers:update",
    "customers:delete",
    "customers:export",
    "subscriptions:list",
    "subscriptions:create",
    "subscriptions:update",
    "meters:quantities",
    "oauth2:request_token",
    "oauth2:revoke_token",
    "benefits:create",
    "benefits:update",
    "products:create",
    "discounts:create",
    "custom-fields:update",
    "metrics:get",
    "orders:get",
    "organizations:list",
    "customer_portal:license_keys:validate",
    "customer-sessions:create",
    "customers:members:delete",
)


# -- Markdown helpers -------------------------------------------------------------------


def blocks(text: str, language: str) -> list[str]:
    return [body for _, lang, body in FENCE.findall(text) if lang == language]


def section(text: str, heading: str) -> str:
    """The text under `## heading` up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no `## {heading}` section"
    return match.group(1)


def split_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [c.strip().replace("\\|", "|") for c in cells]


def table(text: str) -> list[dict[str, str]]:
    """The first Markdown table in `text`, as dicts keyed by its header."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = split_row(lines[0])
    return [dict(zip(header, split_row(line))) for line in lines[2:]]


def plain(cell: str) -> str:
    """Cell text with links, code spans and emphasis taken out."""
    cell = re.sub(r"\[([^\[\]]*)\]\([^)]*\)", r"\1", cell)
    return cell.replace("`", "").replace("**", "")


def words(text: str) -> str:
    text = text.replace("<br>", " ").replace("•", " ").replace("*", " ")
    return " ".join(text.split())


# -- running samples --------------------------------------------------------------------


def _route(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def _status(status: str) -> int:
    return int(status) if status.isdigit() else 200


class MockServer:
    """Answers every operation of `api` with its example (or a schema-built) response."""

    def __init__(self, api: m.Api, examples: dict[str, Any] | None = None) -> None:
        self.samples = Samples(api, "x")
        self.examples = examples or {}
        # literal segments win over placeholders (`/customers/export` before `/customers/{id}`)
        self.routes = sorted(
            ((op.method, _route(op.path), op) for op in api.operations),
            key=lambda r: (r[2].path.count("{"), -len(r[2].path)),
        )
        self.seen: list[tuple[str, httpx.Request]] = []

    def response(self, op: m.Operation) -> httpx.Response:
        ok = success_response(op)
        if ok is None:
            return httpx.Response(204)
        if ok.content_type is None or ok.type is None:
            return httpx.Response(_status(ok.status))
        if op.operation_id in self.examples:
            return httpx.Response(_status(ok.status), json=self.examples[op.operation_id])
        found = self.samples.response_example(op)
        if found is not None:
            return httpx.Response(_status(ok.status), json=found[1])
        if ok.content_type.startswith("text/"):
            return httpx.Response(
                _status(ok.status), text="id,name\n1,example\n", headers={"content-type": ok.content_type}
            )
        return httpx.Response(_status(ok.status), content=b"data", headers={"content-type": ok.content_type})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        for method, route, op in self.routes:
            if request.method == method and route.fullmatch(request.url.path):
                self.seen.append((op.operation_id, request))
                if op.body is not None and request.content:
                    if "json" in op.body.content_type:
                        json.loads(request.content)
                    else:
                        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
                if op.security and not any(len(alt) == 0 for alt in op.security):
                    assert request.headers["authorization"] == "Bearer polar_oat_test"
                return self.response(op)
        raise AssertionError(f"no operation answers {request.method} {request.url}")


def patch_clients(monkeypatch: pytest.MonkeyPatch, package: Any, server: MockServer) -> None:
    """Make `Client(...)` / `AsyncClient(...)` (as samples write them) talk to `server`."""
    real_sync, real_async = package.Client, package.AsyncClient

    def sync_client(*args: Any, **kwargs: Any) -> Any:
        return real_sync(*args, http_client=httpx.Client(transport=httpx.MockTransport(server)), **kwargs)

    def async_client(*args: Any, **kwargs: Any) -> Any:
        return real_async(*args, http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)), **kwargs)

    monkeypatch.setattr(package, "Client", sync_client)
    monkeypatch.setattr(package, "AsyncClient", async_client)
    monkeypatch.setenv(TOKEN_ENV, "polar_oat_test")


def run_page_samples(page: str, op: m.Operation, server: MockServer) -> None:
    """Execute each Python block of an operation page; each must call that operation."""
    codes = blocks(page, "python")
    assert len(codes) == 2, "a sync and an async sample"
    for code in codes:
        before = len(server.seen)
        exec(compile(code, f"<sample of {op.operation_id}>", "exec"), {"__name__": "__sample__"})
        called = [oid for oid, _ in server.seen[before:]]
        assert called and set(called) == {op.operation_id}, called


def page_example(page: str) -> Any:
    found = blocks(page, "json")
    return json.loads(found[0]) if found else None


# -- the seed client ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_api() -> m.Api:
    api, _, _ = build(SEED_JOB, run_validator=False)
    return api


@pytest.fixture
def seed_package(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(GENERATED))
    import polar_client

    return polar_client


def _seed_pages() -> list[Path]:
    return sorted((SEED_DOCS / "operations").rglob("*.md"))


def test_every_operation_has_a_page(seed_api: m.Api) -> None:
    expected = {op_page(op) for op in seed_api.operations}
    found = {p.relative_to(SEED_DOCS).as_posix() for p in _seed_pages()}
    assert found == expected
    for name in [x.name for x in seed_api.models] + [x.name for x in seed_api.enums]:
        assert (SEED_DOCS / "models" / f"{name}.md").is_file()


@pytest.mark.parametrize("page_path", _seed_pages(), ids=lambda p: p.relative_to(SEED_DOCS).as_posix())
def test_seed_operation_samples_run(
    page_path: Path, seed_api: m.Api, seed_package: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    op = next(op for op in seed_api.operations if SEED_DOCS / op_page(op) == page_path)
    page = page_path.read_text("utf-8")
    example = page_example(page)
    server = MockServer(seed_api, {op.operation_id: example} if example is not None else None)
    patch_clients(monkeypatch, seed_package, server)
    run_page_samples(page, op, server)


def test_seed_readme_samples_run_in_order(seed_api: m.Api, seed_package: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The package README reads as one session: its blocks run in order, in one namespace."""
    readme = (GENERATED / "polar_client" / "README.md").read_text("utf-8")
    for heading in ("Install", "Authenticate", "A first call", "Errors", "Retries", "Pagination", "Async"):
        section(readme, heading)
    assert f"`{TOKEN_ENV}`" in readme
    server = MockServer(seed_api)
    patch_clients(monkeypatch, seed_package, server)
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    for code in blocks(readme, "python"):
        exec(compile(code, "<README>", "exec"), namespace)
    assert len(server.seen) >= 4  # first call, errors, retries, async


def test_links_resolve() -> None:
    _check_links(GENERATED / "polar_client")


def _check_links(package: Path) -> None:
    for md in [package / "README.md", *sorted((package / "docs").rglob("*.md"))]:
        for target in LINK.findall(md.read_text("utf-8")):
            if "://" in target or target.startswith(("/", "#", "mailto:")):
                continue  # the web, or a site-relative link in spec text
            assert (md.parent / target.split("#")[0]).resolve().is_file(), f"{md}: broken link {target}"


# -- the customers update page -------------------------------------------------------------

UPDATE_PAGE = SEED_DOCS / "operations" / "customers" / "update.md"


def test_customers_update_page_snapshot(snapshot: Callable[[str, str], None]) -> None:
    fresh = generate(SEED_JOB, run_validator=False).files["docs/operations/customers/update.md"].decode()
    assert fresh == UPDATE_PAGE.read_text("utf-8"), "generated/ is stale: regenerate"
    snapshot("docs/customers-update.md", fresh)


def test_customers_update_page_sections() -> None:
    page = UPDATE_PAGE.read_text("utf-8")
    assert page.splitlines()[1] == "# Update Customer"
    assert "`PATCH /v1/customers/{id}`" in page
    assert "Update a customer." in page
    for heading in ("Usage", "Example response", "Authorizations", "Path parameters", "Body", "Responses"):
        section(page, heading)
    assert page_example(page) == seed_customer_json()
    usage = blocks(page, "python")[0]
    for value in (
        '"usr_1337"',
        '"customer@example.com"',
        '"John Doe"',
        '("FR61954506077", TaxIDFormat.EU_VAT)',
        'Address(country="FR")',
        "CustomerUpdate(",
    ):
        assert value in usage
    responses = {r["Status"]: r for r in table(section(page, "Responses"))}
    assert responses["200"]["Python"] == "returns `Customer`"
    assert responses["200"]["Description"] == "Customer updated."
    assert responses["404"]["Python"] == "raises `errors.NotFoundError`"
    assert responses["422"]["Python"] == "raises `errors.UnprocessableEntityError`"
    body = {r["Field"].split()[0].strip("`"): r for r in table(section(page, "Body"))}
    metadata = body["metadata"]["Constraints"]
    assert "keys: 1..40 characters" in metadata
    assert "string values: 1..500 characters" in metadata
    assert "at most 50 pairs" in metadata


# What the seed page writes as a type, and how our (richer) type names begin.
def _type_matches(seed_type: str, ours: str) -> bool:
    seed_base, seed_null = seed_type.removesuffix(" | null"), seed_type.endswith(" | null")
    ours = plain(ours)
    if seed_null != ours.endswith(" | null"):
        return False
    ours = ours.removesuffix(" | null")
    if seed_base == "any[]":
        return ours.startswith("[") or ours.endswith("[]")
    if seed_base == "object":
        return ours.startswith("object") or ours[:1].isupper()  # a map, or a linked model
    return ours == seed_base or ours.startswith(seed_base + " (")


def _seed_sections() -> dict[str, list[str]]:
    text = SEED_PAGE.read_text("utf-8")
    text = text[: text.index("Was this page helpful?")]
    lines = [line.strip() for line in text.splitlines()]
    names = ("Authorizations", "Path Parameters", "Body", "Response")
    marks = [lines.index(n) for n in names]
    return {n: lines[start + 1 : end] for n, start, end in zip(names, marks, [*marks[1:], len(lines)])}


SEED_TYPE = re.compile(r"^(string|integer|number|boolean|object|any\[\])( \| null)?$")


def _seed_fields(lines: list[str]) -> list[dict[str, Any]]:
    """Entries of one seed section: name, type, `required`, description, `Example:`."""
    fields: list[dict[str, Any]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if re.fullmatch(r"[a-z_][a-z0-9_]*", line) and i + 1 < len(lines) and SEED_TYPE.match(lines[i + 1]):
            fields.append({"name": line, "type": lines[i + 1], "required": False, "example": None, "text": []})
            i += 2
            continue
        if fields:
            if line == "required":
                fields[-1]["required"] = True
            elif line == "Example:":
                i += 1
                while not lines[i]:
                    i += 1
                fields[-1]["example"] = json.loads(lines[i])
            elif line:
                fields[-1]["text"].append(line)
        i += 1
    return fields


def _check_rows(seed: list[dict[str, Any]], rows: list[dict[str, str]], key: str) -> None:
    ours = {r[key].split()[0].strip("`"): r for r in rows}
    assert [f["name"] for f in seed] == list(ours), "the same fields, in the same order"
    for f in seed:
        row = ours[f["name"]]
        assert _type_matches(f["type"], row["Type"]), (f["name"], f["type"], row["Type"])
        assert row["Nullable"] == ("yes" if f["type"].endswith("| null") else "no"), f["name"]
        assert row["Required"] == ("required" if f["required"] else "optional"), f["name"]
        if f["example"] is not None:
            assert json.loads(plain(row["Example"])) == f["example"], f["name"]
        if f["text"]:
            assert words(" ".join(f["text"])) in words(plain(row["Description"])), f["name"]


@pytest.mark.skipif(not SEED_PAGE.exists(), reason="the seed page is not on this machine")
def test_customers_update_page_lists_everything_the_seed_page_lists() -> None:
    page = UPDATE_PAGE.read_text("utf-8")
    seed = _seed_sections()

    auth = table(section(page, "Authorizations"))
    assert seed["Authorizations"][:4] == ["", "Authorization", "string", "header"]
    assert [(a["Name"], a["Type"], a["In"], a["Required"]) for a in auth] == [
        ("`Authorization`", "string", "header", "required")
    ]
    assert words(" ".join(seed["Authorizations"][5:])) in words(auth[0]["Description"])

    path_seed = _seed_fields(seed["Path Parameters"])
    assert [f["name"] for f in path_seed] == ["id"]
    _check_rows(path_seed, table(section(page, "Path parameters")), "Name")

    body_seed = _seed_fields(seed["Body"])
    assert seed["Body"][1] == "application/json" and "`application/json`" in section(page, "Body")
    assert [f["name"] for f in body_seed] == ["metadata", "external_id", "email", "name", "billing_address", "tax_id"]
    _check_rows(body_seed, table(section(page, "Body")), "Field")

    response_seed = _seed_fields(seed["Response"])
    assert seed["Response"][1:4] == ["200", "application/json", "Customer updated."]
    responses = section(page, "Responses")
    success = responses[responses.index("### 200") :]
    assert "Customer updated." in success and "A customer in an organization." in success
    assert len(response_seed) == 13
    _check_rows(response_seed, table(success), "Field")


# -- escaping ------------------------------------------------------------------------------


def test_md_cell_keeps_any_text_inside_one_cell() -> None:
    nasty = "a | b\n\nc <div> `x|y` \\|"
    row = f"| {md_cell(nasty)} | {md_cell('second')} |"
    assert split_row(row)[1] == "second"
    assert "<div>" not in row and "\n" not in row
    assert md_code("a`b") == "``a`b``"
    assert md_fence("```\nx", "json").startswith("````json\n")


def test_spec_text_cannot_break_tables(tmp_path: Path, write_spec: Callable[[str, str], Path]) -> None:
    spec = write_spec(
        """
openapi: 3.1.0
info: {title: "Pipes | API", version: "1"}
servers: [{url: "https://example.com"}]
paths:
  /things/{thing_id}:
    get:
      operationId: things:get
      tags: [things]
      summary: "Get | thing"
      parameters:
        - name: thing_id
          in: path
          required: true
          description: "pipe | here\\nnew line <b>bold"
          schema: {type: integer, minimum: 1}
      responses:
        "200":
          description: "ok | fine"
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name:
          type: string
          description: "a|b\\n\\n| not a row |"
          examples: ["x | y `z`"]
""",
        "spec.yaml",
    )
    result = generate(Job(spec, tmp_path, "things"), run_validator=False)
    page = result.files["docs/operations/things/get.md"].decode()
    for chunk in re.split(r"\n(?!\|)", page):  # each table: consecutive `|` lines
        rows = [line for line in chunk.splitlines() if line.startswith("|")]
        for line in rows:
            assert len(split_row(line)) == len(split_row(rows[0])), line
    params = table(section(page, "Path parameters"))
    assert (
        params[0]["Description"]
        == "pipe | here<br>new line &lt;b>bold<br><br>Sent in the path in simple style (comma-separated)."
    )
    assert params[0]["Constraints"] == "at least 1"
    fields = table(section(page, "Responses").split("### 200")[1])
    assert fields[0]["Example"] == '``"x | y `z`"``'
    assert len(fields) == 1


# -- samples and the overlay ----------------------------------------------------------------


def test_body_media_example_wins(tmp_path: Path, write_spec: Callable[[str, str], Path]) -> None:
    """With the seed's Go sample as the request example, the Python sample says the same."""
    data = yaml.safe_load(SEED_SPEC.read_text("utf-8"))
    media = data["paths"]["/v1/customers/{id}"]["patch"]["requestBody"]["content"]["application/json"]
    media["example"] = {
        "external_id": "usr_1337",
        "email": "customer@example.com",
        "name": "John Doe",
        "billing_address": {"country": "FR"},
        "tax_id": ["FR61954506077", "eu_vat"],
    }
    spec = write_spec(json.dumps(data), "spec.json")
    api, _, _ = build(Job(spec, tmp_path, "polar_client"), run_validator=False)
    sample = Samples(api, "polar_client", token_env=TOKEN_ENV).operation_sample(api.operations[0])
    assert 'billing_address=Address(country="FR")' in sample
    assert 'tax_id=("FR61954506077", TaxIDFormat.EU_VAT)' in sample


def test_overlay_adds_the_page_sample_to_every_operation(seed_api: m.Api) -> None:
    doc = overlay(seed_api, "polar_client", token_env=TOKEN_ENV)
    assert doc["overlay"] == "1.0.0" and doc["info"]["version"] == seed_api.version
    (action,) = doc["actions"]
    assert action["target"] == "$.paths['/v1/customers/{id}'].patch"
    (entry,) = action["update"]["x-codeSamples"]
    assert entry["lang"] == "python" and entry["label"] == "polar_client"
    assert entry["source"] == blocks(UPDATE_PAGE.read_text("utf-8"), "python")[0] + "\n"
    spec = yaml.safe_load(SEED_SPEC.read_text("utf-8"))
    target = re.fullmatch(r"\$\.paths\['(.+)'\]\.(\w+)", action["target"])
    assert target is not None and target.group(2) in spec["paths"][target.group(1)]


# -- polar-2026-10 ---------------------------------------------------------------------------

POLAR_2026 = shared_specs_dir() / "polar-2026-10.openapi.json"


@pytest.fixture(scope="module")
def polar_2026(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[m.Api, Path]]:
    if not POLAR_2026.exists():
        pytest.skip("polar-2026-10.openapi.json is not on this machine")
    out = tmp_path_factory.mktemp("polar2026")
    result = generate(Job(POLAR_2026, out, "polar_sdk", token_env=TOKEN_ENV), run_validator=False)
    write_package(out, "polar_sdk", result.files)
    sys.path.insert(0, str(out))
    try:
        yield result.api, out / "polar_sdk"
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == "polar_sdk" or n.startswith("polar_sdk.")]:
            del sys.modules[name]


@pytest.mark.slow  # generates Polar's 2026 spec
@pytest.mark.parametrize("operation_id", POLAR_2026_OPERATIONS)
def test_polar_2026_samples_run(
    operation_id: str, polar_2026: tuple[m.Api, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    api, package_dir = polar_2026
    op = next(op for op in api.operations if op.operation_id == operation_id)
    page = (package_dir / "docs" / op_page(op)).read_text("utf-8")
    example = page_example(page)
    server = MockServer(api, {op.operation_id: example} if example is not None else None)
    import polar_sdk

    patch_clients(monkeypatch, polar_sdk, server)
    run_page_samples(page, op, server)
    if op.pagination is not None:
        sample = blocks(page, "python")[0]
        assert "\nfor " in sample and f".iter_{op.name}(" in sample
    if any(p.style == "deepObject" for p in op.parameters):
        request = server.seen[-1][1]
        assert any(key.endswith("]") and "[" in key for key in request.url.params), request.url


@pytest.mark.slow  # generates Polar's 2026 spec
def test_polar_2026_selection_covers_the_hard_cases(polar_2026: tuple[m.Api, Path]) -> None:
    api, _ = polar_2026
    chosen = [op for op in api.operations if op.operation_id in POLAR_2026_OPERATIONS]
    assert len(chosen) == len(POLAR_2026_OPERATIONS)
    assert len({op.group[0] for op in chosen}) >= 8
    assert any(op.pagination for op in chosen)
    assert any(p.style == "deepObject" for op in chosen for p in op.parameters)
    assert any(op.body is not None and "form" in op.body.content_type for op in chosen)


@pytest.mark.slow  # generates Polar's 2026 spec
def test_polar_2026_readme_and_links(polar_2026: tuple[m.Api, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    api, package_dir = polar_2026
    readme = (package_dir / "README.md").read_text("utf-8")
    assert ".iter_" in section(readme, "Pagination")
    import polar_sdk

    server = MockServer(api)
    patch_clients(monkeypatch, polar_sdk, server)
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    for code in blocks(readme, "python"):
        exec(compile(code, "<README>", "exec"), namespace)
    _check_links(package_dir)
    pages = sorted((package_dir / "docs" / "operations").rglob("*.md"))
    assert len(pages) == len(api.operations)


def test_absent_optional_nullable_field_decodes(seed_package: Any) -> None:
    """An absent optional nullable field that needs conversion is UNSET, not a KeyError."""
    from polar_client.models import CustomerUpdate

    assert CustomerUpdate.from_dict({}) == CustomerUpdate()


def test_placeholders_stay_inside_their_constraints(seed_api: m.Api) -> None:
    from generator.ir import types as t

    samples = Samples(seed_api, "polar_client")
    c = t.Constraints
    assert samples.value(t.Primitive("str", constraints=c(min_length=8))) == "stringst"
    assert samples.value(t.Primitive("str", constraints=c(max_length=3))) == "str"
    # a length no sample can show is not padded to (10**9 characters were built before)
    assert len(samples.value(t.Primitive("str", constraints=c(min_length=10**9)))) == 4096
    assert samples.value(t.Primitive("str", constraints=c(pattern=r"^\w{2}$"))) == "US"
    assert samples.value(t.Primitive("str", "uuid4")) == "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    assert samples.value(t.Primitive("str", "date-time")) == "2024-01-01T00:00:00Z"
    assert samples.value(t.Primitive("int", constraints=c(exclusive_minimum=0))) == 1
    assert samples.value(t.Primitive("int", constraints=c(minimum=5, multiple_of=4))) == 8
    assert samples.value(t.Primitive("float", constraints=c(maximum=-2))) == -2.0
    # 0 when the bounds allow it: gsmtasks' int64 bound written through a float, taken as
    # the value, overflowed the Go sample's int64
    assert samples.value(t.Primitive("int", "int64", c(minimum=-9223372036854776000))) == 0
    assert samples.value(t.Primitive("int", constraints=c(minimum=-90, maximum=90))) == 0
    assert samples.value(t.Primitive("int", constraints=c(minimum=-9, maximum=-3))) == -3
    assert samples.value(t.EnumRef("TaxIDFormat")) == "ad_nrt"
    assert samples.value(t.Array(t.Primitive("bool"), c(min_items=2))) == [True, True]
    assert samples.value(t.Primitive("str"), ("not used", 1)) == "not used"
    assert samples.value(t.Primitive("int"), ("a string: does not fit",)) == 0
    address = samples.model_value("Address", direction="request")
    assert address == {"country": "US"}  # required, from its example; optional ones left out
    assert set(samples.model_value("Address")) == {"line1", "line2", "postal_code", "city", "state", "country"}


def test_samples_command_writes_an_overlay(tmp_path: Path) -> None:
    import subprocess
    import sys

    from helpers import ROOT, SEED_SPEC

    out = tmp_path / "overlay.json"
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "samples", str(SEED_SPEC), "-p", "polar_client", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text("utf-8"))
    (action,) = data["actions"]
    assert action["target"] == "$.paths['/v1/customers/{id}'].patch"
    (sample,) = action["update"]["x-codeSamples"]
    assert sample["lang"] == "python"
    compile(sample["source"], "<sample>", "exec")
    assert 'tax_id=("FR61954506077", TaxIDFormat.EU_VAT)' in sample["source"]


def test_a_closed_object_without_properties_is_sampled_empty(tmp_path: Path) -> None:
    """`{type: object, properties: {}, additionalProperties: false}` (Apideck's token
    endpoint) admits only `{}`: its sample sent `{"key": {}}`, which Prism refused ("must
    NOT have additional properties"). An open one still shows a key."""
    closed = {"type": "object", "properties": {}, "additionalProperties": False}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            f"/{name}": {
                "post": {
                    "operationId": name,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
                    "responses": {"204": {"description": "ok"}},
                }
            }
            for name, schema in (("closed", closed), ("open", {"type": "object"}))
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    api, _, _ = build(Job(path, tmp_path, "closed_client"), run_validator=False)
    ops = {op.name: op for op in api.operations}
    samples = Samples(api, "closed_client")
    assert "closed({})" in samples.operation_sample(ops["closed"])
    assert 'open({"key": {}})' in samples.operation_sample(ops["open"])
    closed_type = ops["closed"].body.type if ops["closed"].body else None
    assert closed_type is not None and closed_type.constraints is not None
    assert closed_type.constraints.max_properties == 0


def _nodes(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(_nodes(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_nodes(v) for v in value)
    return 1


def test_a_response_example_stays_within_its_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A response example shows every field, so in a dense graph of models the tree below
    one model grows exponentially (Microsoft Graph's docs took the generator past 9 GB).
    Past `EXAMPLE_BUDGET` values optional fields are left out; required ones stay."""
    from generator.emit import samples as samples_module

    schemas: dict[str, Any] = {}
    for i in range(14):  # each model links the next three, all optional: no cycle
        props: dict[str, Any] = {"name": {"type": "string"}}
        for k in (1, 2, 3):
            if i + k < 14:
                props[f"link{k}"] = {"$ref": f"#/components/schemas/M{i + k}"}
        schemas[f"M{i}"] = {"type": "object", "required": ["name"], "properties": props}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/m": {
                "get": {
                    "operationId": "getM",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/M0"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }
    path = tmp_path / "dense.json"
    path.write_text(json.dumps(spec))
    api, _, _ = build(Job(path, tmp_path, "dense"), run_validator=False)
    (op,) = api.operations

    def example() -> Any:
        _, value, _ = Samples(api, "dense").response_example(op)
        return value

    monkeypatch.setattr(samples_module, "EXAMPLE_BUDGET", 10**9)
    unbounded = _nodes(example())
    monkeypatch.setattr(samples_module, "EXAMPLE_BUDGET", 1_000)
    bounded = example()
    assert unbounded > 5_000  # the tree the budget cuts
    assert 1_000 <= _nodes(bounded) <= 1_000 + 50
    assert bounded["name"] == "string" and "link1" in bounded  # the top keeps its fields

    def names_everywhere(value: Any) -> bool:  # every model still has its required field
        if isinstance(value, dict):
            return "name" in value and all(names_everywhere(v) for k, v in value.items() if k != "name")
        return True

    assert names_everywhere(bounded)


def test_a_text_body_sample_keeps_the_schemas_length(tmp_path: Path) -> None:
    """A `text/plain` body's schema (conjur: API keys of at least 55 characters, through a
    `$ref`) still bounds its sample: the IR kept only `str`, so the sample was "string"
    and Prism refused it ("must NOT have fewer than 55 characters")."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/auth": {
                "post": {
                    "operationId": "auth",
                    "requestBody": {
                        "required": True,
                        "content": {"text/plain": {"schema": {"$ref": "#/components/schemas/Key"}}},
                    },
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
        "components": {"schemas": {"Key": {"type": "string", "minLength": 55, "maxLength": 60}}},
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    api, _, _ = build(Job(path, tmp_path, "text_client"), run_validator=False)
    (op,) = api.operations
    sample = Samples(api, "text_client").operation_sample(op)
    (text,) = re.findall(r'auth\("([^"]*)"\)', sample)
    assert 55 <= len(text) <= 60, sample


def test_a_base64_string_is_sampled_as_base64(tmp_path: Path) -> None:
    """`format: byte` is base64 text (OpenAPI 3.0): its sample was "string", which is not
    base64, and Prism refused it (hetras' query parameters, id4i's body)."""
    import base64

    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/b": {
                "get": {
                    "operationId": "b",
                    "parameters": [
                        {"name": "tag", "in": "query", "required": True, "schema": {"type": "string", "format": "byte"}}
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    api, _, _ = build(Job(path, tmp_path, "b64_client"), run_validator=False)
    (op,) = api.operations
    sample = Samples(api, "b64_client").operation_sample(op)
    (text,) = re.findall(r'tag="([^"]*)"', sample)
    assert base64.b64decode(text, validate=True) == b"string", sample


def test_a_body_that_needs_no_field_is_sampled_with_one(tmp_path: Path) -> None:
    """An update body whose fields are all optional and carry no example (Polar's
    `ProductUpdate`, conjur's `{enabled}`) was sampled empty: `update(id, Body())`, which
    shows nothing of the call and which a server may refuse ("Body parameter is
    required"). One field is shown: `name` or `title` if there is one, else the first
    scalar, else the first field; read-only, deprecated and constant fields never."""

    def body(properties: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "properties": properties}

    bodies = {
        "named": body(
            {
                "tags": {"type": "array", "items": {"type": "string"}},
                "level": {"type": "integer"},
                "name": {"type": "string"},
            }
        ),
        "scalar": body(
            {
                "id": {"type": "string", "readOnly": True},
                "old": {"type": "boolean", "deprecated": True},
                "kind": {"const": "x"},
                "nested": body({"a": {"type": "string"}}),
                "enabled": {"type": "boolean"},
            }
        ),
        "nested": body({"inner": body({"a": {"type": "string"}})}),
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            f"/{name}": {
                "patch": {
                    "operationId": name,
                    "requestBody": {"required": name != "nested", "content": {"application/json": {"schema": schema}}},
                    "responses": {"204": {"description": "ok"}},
                }
            }
            for name, schema in bodies.items()
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    api, _, _ = build(Job(path, tmp_path, "one_client"), run_validator=False)
    samples = Samples(api, "one_client")
    ops = {op.name: op for op in api.operations}
    assert samples.body_value(ops["named"]) == {"name": "string"}
    assert samples.body_value(ops["scalar"]) == {"enabled": True}
    assert samples.body_value(ops["nested"]) == {"inner": {}}  # optional body: shown, as it has a field
    assert "NamedBody(name=" in samples.operation_sample(ops["named"])


def test_an_object_parameter_that_needs_no_field_is_sampled_with_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """readme's `parameters-style` examples: an object path parameter in `label` style
    whose fields are all optional was sampled empty, and the sample raised ("a path
    parameter cannot be ''"); an optional `deepObject` filter showed `?` nothing. Each
    now shows one field, as a body that needs none does."""
    obj = {"type": "object", "properties": {"name": {"type": "string"}, "size": {"type": "integer"}}}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.test"}],
        "paths": {
            "/things/{thing}": {
                "get": {
                    "operationId": "getThing",
                    "parameters": [
                        {"name": "thing", "in": "path", "required": True, "style": "label", "schema": obj},
                        {"name": "filter", "in": "query", "style": "deepObject", "explode": True, "schema": obj},
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    job = Job(path, tmp_path / "out", "obj_params")
    api, _, _ = build(job, run_validator=False)
    samples = Samples(api, "obj_params")
    (op,) = api.operations
    assert [samples.parameter_value(p) for p in op.parameters] == [{"name": "string"}, {"name": "string"}]
    write_package(tmp_path / "out", "obj_params", generate(job, run_validator=False).files)
    monkeypatch.syspath_prepend(str(tmp_path / "out"))
    import obj_params

    seen: list[httpx.Request] = []

    def client(*args: Any, **kwargs: Any) -> Any:
        def record(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(204)

        return real(*args, http_client=httpx.Client(transport=httpx.MockTransport(record)), **kwargs)

    real = obj_params.Client
    monkeypatch.setattr(obj_params, "Client", client)
    page = (tmp_path / "out" / "obj_params" / "docs" / "operations").rglob("get_thing.md")
    code = blocks(next(page).read_text("utf-8"), "python")[0]
    exec(compile(code, "<sample>", "exec"), {"__name__": "__sample__"})
    assert [str(r.url) for r in seen] == ["https://api.test/things/.name,string?filter%5Bname%5D=string"]  # label style


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\+[1-9]\d{1,14}$",
        r"^([0-9]{1,19}-[0-9]{1,19})$",
        "^/",
        r"^[a-z]+-[a-z]+$",
        r"^\d{4}-\d{2}-\d{2}$",
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",  # Red Hat's ids
        # written from the pattern itself (emit/pattern_example.py)
        r"^GA[0-9a-fA-F]{32}$",  # Twilio's service SIDs
        r"^sn-[0-9a-zA-Z]{17}$",  # AWS DRS ids
        r"^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+$",
        r"^Snapshot_\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z$",  # GameSparks
    ],
)
def test_a_patterned_string_is_sampled_to_match(tmp_path: Path, pattern: str) -> None:
    """Patterns Prism held samples to in real specs (Velo's E.164 phone numbers, Twitter's
    `id-id` conversation ids, Kinto's paths; Twilio's SIDs, AWS's ids and ARNs): no
    common word matched them, and the sample sent "string"."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/p": {
                "get": {
                    "operationId": "p",
                    "parameters": [
                        {"name": "v", "in": "query", "required": True, "schema": {"type": "string", "pattern": pattern}}
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    api, _, _ = build(Job(path, tmp_path, "pat_client"), run_validator=False)
    (op,) = api.operations
    (text,) = re.findall(r'v="([^"]*)"', Samples(api, "pat_client").operation_sample(op))
    assert re.search(pattern, text), text


def test_a_backtracking_pattern_does_not_hang_generation(tmp_path: Path) -> None:
    """Spec text is untrusted: `pattern: "^(a|aa)*c$"` with `minLength: 60` held Python's
    `re` against sixty `a`s while the sample value was chosen, and `sdkgen generate` never
    returned. Patterns are now checked by their automaton (emit/pattern_example.py)."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://x.test"}],
        "paths": {
            "/a": {
                "get": {
                    "operationId": "a",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "pattern": "^(a|aa)*c$", "minLength": 60},
                        }
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(path), "-o", str(tmp_path / "out"), "-p", "rd", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    page = next((tmp_path / "out" / "rd" / "docs" / "operations").rglob("a.md")).read_text("utf-8")
    assert 'q="' + "a" * 59 + 'c"' in page


def test_a_constant_in_the_path_shows_no_default(tmp_path: Path, write_spec: Callable[[str, str], Path]) -> None:
    """A one-value parameter outside the path is the method's default (the caller never
    writes it), so its row shows it; one in the path is a positional argument without a
    default, which the row said it had."""
    spec = write_spec(
        "openapi: 3.0.3\n"
        "info: {title: C, version: '1'}\n"
        "paths:\n"
        "  /v/{version}/items:\n"
        "    get:\n"
        "      operationId: listItems\n"
        "      tags: [items]\n"
        "      parameters:\n"
        "        - {name: version, in: path, required: true, schema: {type: string, enum: [v1]}}\n"
        "        - {name: mode, in: query, required: true, schema: {type: string, enum: [fast]}}\n"
        "      responses:\n"
        "        '200': {description: ok, content: {application/json: {schema: {type: object}}}}\n",
        "const.yaml",
    )
    files = generate(Job(spec, tmp_path / "out", "const_client"), run_validator=False).files
    page = files["docs/operations/items/list_items.md"].decode("utf-8")
    rows = {plain(r["Name"]): r for r in table(section(page, "Path parameters"))}
    rows.update({plain(r["Name"]): r for r in table(section(page, "Query parameters"))})
    assert rows["version"]["Default"] == "" and plain(rows["mode"]["Default"]) == '"fast"'
    service = files["services/items.py"].decode("utf-8")
    assert 'version: Literal["v1"],' in service and 'mode: Literal["fast"] = "fast",' in service
