"""The go target: the seed page's Go sample compiles unchanged against the module
generated from specs/customers-update.yaml and sends the request the seed describes;
behaviour tests in Go (tests/go/) against httptest servers; Polar's three specs build,
vet and are gofmt-clean; output is deterministic.

Needs the Go toolchain. Without `go` the module is skipped on a developer machine,
but fails in CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import GENERATED, ROOT, SEED_SPEC, shared_specs_dir
from seed import SEED_PAGE, SEED_REQUEST_BODY, seed_customer_json

GO = shutil.which("go")
MODULE = "github.com/polarsource/polar-go"
GO_TESTS = Path(__file__).resolve().parent / "go"
POLAR_SPECS = ("polar-2025-01", "polar-2025-02", "polar-2026-10")


@pytest.fixture(scope="module")
def go_toolchain() -> str:
    if GO is None or shutil.which("gofmt") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the Go toolchain is missing in CI: .ci/run installs golang-go")
        pytest.skip("the Go toolchain (go, gofmt) is not installed")
    return GO


def go_env(tmp: Path) -> dict[str, str]:
    """Nothing is fetched: the generated module uses the standard library only."""
    env = dict(os.environ)
    env.update(GOFLAGS="-mod=mod", GOPROXY="off", GOTOOLCHAIN="local", GOWORK="off", CGO_ENABLED="0")
    env.setdefault("GOCACHE", str(Path.home() / ".cache" / "go-build"))
    env.setdefault("GOPATH", str(tmp / "gopath"))
    return env


def run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(cmd)} failed in {cwd}:\n{done.stdout}\n{done.stderr}"
    return done


def generate(spec: Path, out: Path, module: str = MODULE, *extra: str, seed: str = "0") -> Path:
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
    run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(spec),
            "--target",
            "go",
            "--go-module",
            module,
            "-o",
            str(out),
            "-q",
            *extra,
        ],
        ROOT,
        env,
    )
    package = module.rstrip("/").rsplit("/", 1)[-1].replace("-", "")
    return out / package


def user_module(tmp: Path, name: str, sdk: Path, module: str = MODULE) -> Path:
    """A module that depends on the generated one through a local replace."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "go.mod").write_text(
        f"module sdkgen.test/{name}\n\ngo 1.19\n\nrequire {module} v0.0.0\n\nreplace {module} => {sdk}\n", "utf-8"
    )
    return tmp


def go_test(sdk: Path, module: str, tests: Path, tmp: Path, name: str, env: dict[str, str] | None = None) -> str:
    """`go test -v` of Go test files (`tests`: one file, or a folder's `*.go`) in a user
    module `name` of the generated `sdk`; its output (a failing test fails the run)."""
    mod = user_module(tmp / name, name, sdk, module)
    for source in sorted(tests.glob("*.go")) if tests.is_dir() else [tests]:
        shutil.copy(source, mod / source.name)
    return run([GO or "go", "test", "-count=1", "-v", "./..."], mod, env or go_env(tmp)).stdout


def go_tests_pass(spec: Path, test_file: Path, tmp: Path, name: str, *tests: str) -> None:
    """The Go SDK of `spec` (module `example.com/<name>`) and `test_file` run against it
    (`go_test`): each of `tests` passed."""
    module = f"example.com/{name}"
    sdk = generate(spec, tmp / "out", module)
    output = go_test(sdk, module, test_file, tmp, name)
    for test in tests:
        assert f"--- PASS: {test}" in output, output


@pytest.fixture(scope="module")
def seed_sdk(go_toolchain: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(SEED_SPEC, tmp_path_factory.mktemp("seed"), MODULE, "--token-env", "POLAR_ACCESS_TOKEN")


def seed_sample() -> str:
    sample = (GO_TESTS / "seed_sample" / "main.go").read_text("utf-8")
    if SEED_PAGE.exists():  # the test program is the page's sample, character for character
        text = SEED_PAGE.read_text("utf-8")
        start = text.index("package main")
        assert text[start : start + len(sample)] == sample
    return sample


def test_seed_sample_compiles_unchanged_and_sends_the_seed_request(
    go_toolchain: str, seed_sdk: Path, tmp_path: Path
) -> None:
    mod = user_module(tmp_path / "sample", "sample", seed_sdk)
    (mod / "main.go").write_text(seed_sample(), "utf-8")
    shutil.copy(GO_TESTS / "seed_sample" / "capture.go", mod / "capture.go")
    answer = tmp_path / "customer.json"
    answer.write_text(json.dumps(seed_customer_json()), "utf-8")
    capture = tmp_path / "captured.json"
    env = go_env(tmp_path) | {
        "POLAR_ACCESS_TOKEN": "polar_oat_test",
        "SDKGEN_CAPTURE": str(capture),
        "SDKGEN_RESPONSE": str(answer),
    }
    run([GO or "go", "run", "."], mod, env)
    seen = json.loads(capture.read_text("utf-8"))
    assert seen["method"] == "PATCH"
    assert seen["request_uri"] == "/v1/customers/%3Cvalue%3E"
    headers = {k.lower(): v for k, v in seen["headers"].items()}
    assert headers["x-original-host"] == ["api.polar.sh"]  # the default server
    assert headers["authorization"] == ["Bearer polar_oat_test"]
    assert headers["content-type"] == ["application/json"]
    assert headers["accept"] == ["application/json"]
    assert re.fullmatch(r"polargo/0\.1\.0 go/[0-9][0-9.a-z]*", headers["user-agent"][0])  # as Python: python/<x.y>
    # the exact bytes the Python client sends for the same call
    assert seen["body"] == json.dumps(SEED_REQUEST_BODY, separators=(",", ":"), ensure_ascii=False)


def test_docs_page_shows_the_seed_go_sample() -> None:
    """The committed docs of the seed client show the seed page's Go program verbatim."""
    page = (GENERATED / "polar_client" / "docs" / "operations" / "customers" / "update.md").read_text("utf-8")
    assert "```go\n" + seed_sample() + "```\n" in page
    assert page.index("```go") > page.index("```python")


def api_of(spec: Path) -> Any:
    """The IR of a spec, built as the generator builds it."""
    sys.path.insert(0, str(ROOT))
    from generator.builder import build_api
    from generator.load import load
    from generator.normalize import Spec

    api, _ = build_api(Spec(load(spec)))
    return api


def vet_samples(api_spec: Path, sdk: Path, module: str, tmp: Path) -> int:
    """Every operation's docs sample is a program that compiles against the module."""
    from generator.golang.emit import derive_package, go_samples

    api = api_of(api_spec)
    samples = go_samples(api, module, derive_package(module), "API_TOKEN")
    mod = user_module(tmp / "samples", "samples", sdk, module)
    for i, op in enumerate(api.operations):
        (mod / f"op{i:04d}").mkdir()
        (mod / f"op{i:04d}" / "main.go").write_text(samples.operation_sample(op), "utf-8")
    run([GO or "go", "vet", "./..."], mod, go_env(tmp), timeout=900)
    return len(api.operations)


def test_every_sample_compiles(go_toolchain: str, seed_sdk: Path, tmp_path: Path) -> None:
    assert vet_samples(SEED_SPEC, seed_sdk, MODULE, tmp_path / "seed") == 1
    module = "example.com/constructs"
    sdk = generate(ROOT / "tests" / "specs" / "constructs.yaml", tmp_path / "out", module)
    assert vet_samples(ROOT / "tests" / "specs" / "constructs.yaml", sdk, module, tmp_path / "constructs") == 5
    # wire.yaml: every body encoding (a `*/*` body is bytes in Go, whatever its schema)
    module = "example.com/wire"
    sdk = generate(ROOT / "tests" / "specs" / "wire.yaml", tmp_path / "wire_out", module)
    assert vet_samples(ROOT / "tests" / "specs" / "wire.yaml", sdk, module, tmp_path / "wire") == 7


def test_go_behaviour_of_the_seed_client(go_toolchain: str, seed_sdk: Path, tmp_path: Path) -> None:
    customer = tmp_path / "customer.json"
    customer.write_text(json.dumps(seed_customer_json()), "utf-8")
    env = go_env(tmp_path) | {"SDKGEN_SEED_CUSTOMER": str(customer)}
    output = go_test(seed_sdk, MODULE, GO_TESTS / "seed_behaviour", tmp_path, "behaviour", env)
    assert "--- PASS: TestSeedCustomerDecodesEveryField" in output
    assert "--- PASS: TestDotAndEmptyPathParametersAreRefused" in output


def test_go_behaviour_of_the_constructs_client(go_toolchain: str, tmp_path: Path) -> None:
    """Pagination, discriminated unions, query/header/cookie parameters, form bodies."""
    module = "example.com/constructs"
    sdk = generate(ROOT / "tests" / "specs" / "constructs.yaml", tmp_path / "out", module)
    output = go_test(sdk, module, GO_TESTS / "constructs_behaviour", tmp_path, "constructs")
    assert "--- PASS: TestPaginationWalksEveryPage" in output


def test_go_iterators_for_every_pagination_kind(go_toolchain: str, tmp_path: Path) -> None:
    """tests/go/paging_behaviour: page numbers (max page, empty page), offsets, cursors
    (next-cursor field; has_more + the last item's id), next URLs in the body and Link
    headers (same origin only, a page named twice stops), errors, cancelled contexts."""
    module = "example.com/paging"
    folder = GO_TESTS / "paging_behaviour"
    sdk = generate(folder / "paging.yaml", tmp_path / "out", module)
    output = go_test(sdk, module, folder / "paging_test.go", tmp_path, "paging")
    for name in (
        *("MaxPage", "EmptyPage", "NullPage", "ItemsReceived", "UntilNull", "WhileHasMore"),
        *("ItemsBeforeIt", "NextPage", "OriginOnly", "StopOnARepeat", "NamesNone", "SentOnce"),
    ):
        assert re.search(rf"--- PASS: Test\w*{name}\b", output), output


def test_go_streams_of_events_and_json_lines(go_toolchain: str, tmp_path: Path) -> None:
    """tests/go/streams_behaviour against the client of tests/specs/responses.yaml: SSE
    (typed and text), NDJSON and watch streams, a misfit item, an error status, Close,
    a cancelled context, the timeout (headers only), the stream twin of a JSON answer
    (CreateChatStream: Accept and the body's stream switch, as Python sends) and of a
    binary one (DownloadFileStream: read as it arrives)."""
    module = "example.com/responses"
    sdk = generate(ROOT / "tests" / "specs" / "responses.yaml", tmp_path / "out", module)
    output = go_test(sdk, module, GO_TESTS / "streams_behaviour" / "streams_test.go", tmp_path, "streams")
    for name in ("StandardParsesThem", "KeepTheirData", "WatchStreams", "ValidationError", "BeforeAnyStream"):
        assert re.search(rf"--- PASS: Test\w*{name}\b", output), output
    for name in (
        "CloseEndsTheStreamAndTheRequest",
        "CancellingTheContextEndsTheStream",
        "HeadersOnly",
        "SetsTheSwitch",
        "DownloadsAreReadAsTheyArrive",
    ):
        assert re.search(rf"--- PASS: Test\w*{name}\b", output), output


def test_seed_module_builds_vets_and_is_gofmt_clean(go_toolchain: str, seed_sdk: Path, tmp_path: Path) -> None:
    env = go_env(tmp_path)
    run([GO or "go", "build", "./..."], seed_sdk, env)
    run([GO or "go", "vet", "./..."], seed_sdk, env)
    assert run(["gofmt", "-l", "."], seed_sdk).stdout == ""
    assert (seed_sdk / "go.mod").read_text("utf-8") == f"module {MODULE}\n\ngo 1.19\n"
    # the standard library only: no require lines, so nothing can be fetched
    assert "require" not in (seed_sdk / "go.mod").read_text("utf-8")


def test_output_is_deterministic(go_toolchain: str, tmp_path: Path) -> None:
    first = generate(SEED_SPEC, tmp_path / "a", MODULE, seed="1")
    second = generate(SEED_SPEC, tmp_path / "b", MODULE, seed="4242")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_check_passes_on_fresh_output_and_fails_on_edits(go_toolchain: str, seed_sdk: Path) -> None:
    args = [
        sys.executable,
        "-m",
        "generator",
        "check",
        str(SEED_SPEC),
        "--target",
        "go",
        "--go-module",
        MODULE,
        "-o",
        str(seed_sdk.parent),
        "--token-env",
        "POLAR_ACCESS_TOKEN",
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    assert subprocess.run(args, cwd=ROOT, env=env, capture_output=True).returncode == 0
    target = seed_sdk / "customers.go"
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"// edited\n")
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 1 and "customers.go" in done.stdout
    finally:
        target.write_bytes(original)


def test_missing_gofmt_is_a_clear_error(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PATH=str(tmp_path))  # no gofmt on PATH
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(SEED_SPEC),
            "--target",
            "go",
            "--go-module",
            MODULE,
            "-o",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "gofmt" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_bad_go_module_is_refused(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(SEED_SPEC),
            "--target",
            "go",
            "--go-module",
            "bad path",
            "-o",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "go-module" in done.stderr


def test_pyproject_go_job(go_toolchain: str, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[[tool.sdkgen.jobs]]\n"
        f'spec = "{SEED_SPEC.as_posix()}"\noutput = "out"\ntarget = "go"\ngo-module = "{MODULE}"\n',
        "utf-8",
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "polargo" / "go.mod").is_file()
    assert (tmp_path / "out" / "polargo" / "polargo.go").is_file()


def _python_requests(tmp: Path) -> list[dict[str, str]]:
    """The wire.yaml calls through the Python client, recorded by httpx.MockTransport."""
    import importlib

    import httpx

    from generator.config import Job
    from generator.pipeline import generate as generate_python
    from generator.write import write_package

    result = generate_python(Job(ROOT / "tests" / "specs" / "wire.yaml", tmp, "wire_parity"), run_validator=False)
    write_package(tmp, "wire_parity", result.files)
    sys.path.insert(0, str(tmp))
    try:
        pkg = importlib.import_module("wire_parity")
        models = importlib.import_module("wire_parity.models")
    finally:
        sys.path.remove(str(tmp))
    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(
            {
                "method": request.method,
                "target": request.url.raw_path.decode("ascii"),
                "content_type": request.headers.get("content-type", ""),
                "cookie": request.headers.get("cookie", ""),
                "x_tags": request.headers.get("x-tags", ""),
                "body": request.read().decode("utf-8"),
            }
        )
        return httpx.Response(200, json={})

    client = pkg.Client(
        "tok", base_url="http://127.0.0.1", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    client.items.create_item(
        ["a", "b"],
        models.ItemForm(
            name="n x",
            active=True,
            tags=["t1", "t2"],
            metadata={"k": "v"},
            items=[models.Line(price="p_1", quantity=2), models.Line(price="p_2")],
            note=None,
        ),
        created=models.Range(gte=1),
        expand=["a", "b"],
        ids=[1, 2],
        filter={"a": 1},
        x_tags=["x", "y"],
        session="s 1",
    )
    client.files.upload(
        models.FilesUploadBody(
            file=b"abc", extra=[b"1", b"2"], title="T", labels=["l1", "l2"], meta=models.Range(gte=1, lt=2)
        )
    )
    client.files.put_blob(b"\x00\x01bin")
    client.files.put_note(body="h\u00e9llo")
    client.things.patch_thing("a b/c", models.Range(gte=1))
    client.things.post_any(b"raw")
    client.things.choose(models.Range(gte=1))
    client.things.patch_thing("x", [{"op": "remove", "path": "/lt"}], content_type="application/json-patch+json")
    client.things.choose(models.Range(gte=1, lt=5), content_type="multipart/form-data")
    return [_unbound(r) for r in seen]


def _unbound(record: dict[str, str]) -> dict[str, str]:
    """A multipart boundary is random: it becomes BOUNDARY in the type and the body."""
    import re

    found = re.search(r"boundary=([^;\s]+)", record["content_type"])
    if found:
        record = {k: v.replace(found.group(1), "BOUNDARY") for k, v in record.items()}
    return record


def test_go_and_python_send_the_same_bytes(go_toolchain: str, tmp_path: Path) -> None:
    """tests/specs/wire.yaml: parameter styles, content parameters, cookies, form,
    multipart, binary, text, merge-patch and wildcard bodies; same target, headers, body."""
    module = "example.com/wire"
    sdk = generate(ROOT / "tests" / "specs" / "wire.yaml", tmp_path / "out", module)
    mod = user_module(tmp_path / "parity", "parity", sdk, module)
    shutil.copy(GO_TESTS / "wire_parity" / "main.go", mod / "main.go")
    done = run([GO or "go", "run", "."], mod, go_env(tmp_path))
    go = [_unbound(json.loads(line)) for line in done.stdout.splitlines()]
    python = _python_requests(tmp_path / "py")
    assert len(go) == len(python) == 9
    for g, p in zip(go, python):
        assert g == p


GAPS_SPEC = """\
openapi: 3.1.0
info: {title: Gaps, version: "1"}
servers: [{url: "https://api.example.test"}]
paths:
  /keyed:
    get:
      operationId: keyed:get
      security: [{key: []}]
      responses: {"204": {description: ok}}
  /upload:
    post:
      operationId: upload:post
      requestBody:
        content:
          application/json: {schema: {type: object, properties: {name: {type: string}}}}
          text/plain: {schema: {type: string}}
      responses: {"204": {description: ok}}
webhooks:
  thing.created:
    post:
      requestBody: {content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}}
      responses: {"200": {description: ok}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    other: {type: http, scheme: digest}
"""


def test_what_the_go_client_lacks_is_a_warning(go_toolchain: str, tmp_path: Path) -> None:
    spec = tmp_path / "gaps.yaml"
    spec.write_text(GAPS_SPEC, "utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(spec),
            "--target",
            "go",
            "--go-module",
            "example.com/gaps",
            "-o",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    # API keys and webhooks are wired (tests/test_go_security.py): no warning; another http scheme is not
    assert not any("apiKey" in w or "webhook" in w for w in warnings), warnings
    assert any("#/components/securitySchemes/other" in w and "'digest'" in w for w in warnings), warnings
    # several request media types: one method per media type (the text one ends in Text), no gap
    assert not any("requestBody" in w for w in warnings), warnings
    run([GO or "go", "vet", "./..."], tmp_path / "out" / "gaps", go_env(tmp_path))


@pytest.mark.slow  # three large modules: go build, vet and test (~60 s of CPU)
@pytest.mark.parametrize("name", POLAR_SPECS)
def test_polar_spec_module_builds_and_vets(go_toolchain: str, name: str, tmp_path: Path) -> None:
    spec = shared_specs_dir() / f"{name}.openapi.json"
    assert spec.is_file(), f"{spec} is missing (SDKGEN_SPECS_DIR moves it)"
    started = time.perf_counter()
    sdk = generate(spec, tmp_path, MODULE)
    generated = time.perf_counter() - started
    env = go_env(tmp_path)
    run([GO or "go", "build", "./..."], sdk, env, timeout=900)
    run([GO or "go", "vet", "./..."], sdk, env, timeout=900)
    assert run(["gofmt", "-l", "."], sdk).stdout == ""
    built = time.perf_counter() - started - generated
    count = vet_samples(spec, sdk, MODULE, tmp_path)
    vetted = time.perf_counter() - started - generated - built
    # Go tests inside the module: the list iterator, PATCH null vs unset, typed 404/422
    shutil.copy(GO_TESTS / "polar" / "polar_test.go", sdk / "polar_test.go")
    fixtures = tmp_path / "fixtures.json"
    fixtures.write_text(json.dumps(polar_fixtures(spec)), "utf-8")
    done = run([GO or "go", "test", "-count=1", "-v", "."], sdk, env | {"SDKGEN_POLAR_FIXTURES": str(fixtures)})
    for test in (
        "ListWalksEveryPageWithTheIterator",
        "UpdateSendsSetFieldsAndNullFieldsOnly",
        "TypedNotFoundAndValidationErrors",
    ):
        assert f"--- PASS: Test{test} " in done.stdout, done.stdout
    print(
        f"{name}: generate {generated:.1f} s, build + vet {built:.1f} s, {count} samples vetted {vetted:.1f} s, "
        f"go test {time.perf_counter() - started - generated - built - vetted:.1f} s"
    )


def polar_fixtures(spec: Path) -> dict[str, Any]:
    """Two pages of customers and a customer for tests/go/polar/polar_test.go, from the
    spec's examples (or placeholders valid for their types), with known ids."""
    from generator.emit.samples import Samples

    api = api_of(spec)
    ops = {(op.method, op.path): op for op in api.operations}
    samples = Samples(api, "polar")
    found = [samples.response_example(ops[key]) for key in (("GET", "/v1/customers/"), ("GET", "/v1/customers/{id}"))]
    assert found[0] is not None and found[1] is not None
    page, customer = found[0][1], found[1][1]
    ids = ["cus_1", "cus_2", "cus_3"]

    def listing(*names: str) -> dict[str, Any]:
        return {
            **page,
            "items": [{**customer, "id": x} for x in names],
            "pagination": {**page["pagination"], "max_page": 2},
        }

    return {
        "page1": listing(*ids[:2]),
        "page2": listing(ids[2]),
        "customer": {**customer, "id": ids[0]},
        "ids": ids,
    }


NAMES_SPEC = """\
openapi: 3.1.0
info: {title: Names, version: "1"}
paths:
  /chat:
    post:
      operationId: createChat
      tags: [chat]
      requestBody:
        content:
          application/json: {schema: {type: object, properties: {stream: {type: boolean}}}}
          text/plain: {schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json: {schema: {type: object, properties: {text: {type: string}}}}
            text/event-stream: {schema: {type: object, properties: {delta: {type: string}}}}
  /chat/stream:
    post:
      operationId: createChatStream
      tags: [chat]
      responses: {"204": {description: ok}}
  /chat/text:
    post:
      operationId: createChatText
      tags: [chat]
      responses: {"204": {description: ok}}
"""


def test_added_methods_never_take_an_operations_name(tmp_path: Path) -> None:
    """The stream twin and the per-media-type methods are named after the spec's own
    operations have their names (no Go toolchain needed: the emitter's views)."""
    from generator.golang.emit import GoEmitter, GoOptions

    spec = tmp_path / "names.yaml"
    spec.write_text(NAMES_SPEC, "utf-8")
    api = api_of(spec)
    emitter = GoEmitter(api, GoOptions(module="example.com/names", package="names"))
    files = emitter.files()
    (service,) = [f.context.x for f in files if f.template == "service.go.jinja" and f.context is not None]
    methods = [op.method_name for group in service.groups for op in group.operations]
    assert methods == ["CreateChat", "CreateChatStream2", "CreateChatText2", "CreateChatStream", "CreateChatText"]
    twin = next(op for group in service.groups for op in group.operations if op.method_name == "CreateChatStream2")
    assert twin.streamed and twin.body is not None and twin.body.switch is not None
    assert twin.body.switch.value == "true" and twin.accept == '"text/event-stream"'


GO_CLASH_SPEC = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: get_a_2
      tags: [a]
      parameters:
        - {name: a_2, in: query, schema: {type: string}}
        - {name: a2, in: query, schema: {type: string}}
      responses: {"204": {description: ok}}
  /b:
    get:
      operationId: get_a2
      tags: [a]
      responses: {"204": {description: ok}}
"""


@pytest.mark.usefixtures("go_toolchain")  # gofmt formats the output
def test_a_go_only_name_clash_is_a_located_warning(tmp_path: Path) -> None:
    """Distinct Python names (`get_a_2`, `get_a2`; `a_2`, `a2`) that meet in Go (`GetA2`,
    `A2`) are renamed there deterministically, each with one warning (QA round 2)."""
    spec = tmp_path / "clash.yaml"
    spec.write_text(GO_CLASH_SPEC, "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec), "--target", "go"]
        + ["--go-module", "example.com/clash", "-o", str(tmp_path / "out")],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    warnings = [line.split(" at ", 1)[1] for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "#/paths/~1b/get: the Go method for a.get_a2() is GetA22: GetA2 is already taken in its service.",
        "#/paths/~1a/get: query parameter 'a2' becomes the Go name A22: A2 is already taken in this method.",
    ], done.stderr


REF_PATH_ITEM_SPEC = """\
{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {
 "/status": {"get": {"tags": ["support"], "responses": {"200": {"description": "ok"}}}},
 "/support/status": {"$ref": "#/paths/~1status"}}}
"""


def test_a_path_item_ref_to_another_builds(go_toolchain: str, tmp_path: Path) -> None:
    """Both operations of a path item that `$ref`s another carry the target's pointer:
    the Go client keys its methods by method and path, so each keeps its own method and
    response type (QA round 3: `SupportGetSupportStatusResponse redeclared`)."""
    spec = tmp_path / "ref_item.json"
    spec.write_text(REF_PATH_ITEM_SPEC, "utf-8")
    sdk = generate(spec, tmp_path / "out", "example.com/refitem")
    run([go_toolchain, "build", "./..."], sdk, go_env(tmp_path))
    service = (sdk / "support.go").read_text("utf-8")
    assert re.findall(r"^func \(s \*Support\) (\w+)\(", service, re.M) == ["GetStatus", "GetSupportStatus"]
    assert sorted(p.name for p in (sdk / "models" / "operations").glob("support_*.go")) == [
        "support_get_status.go",
        "support_get_support_status.go",
    ]


def test_a_type_name_longer_than_a_file_name_is_cut(go_toolchain: str, tmp_path: Path) -> None:
    """A 260-character schema name: its Go file name is cut with a hash of the whole name
    (the Python target's rule), distinct from a name sharing the first 200 characters
    (QA round 3: OSError ENAMETOOLONG)."""
    long_a, long_b = "A" + "b" * 259, "A" + "b" * 258 + "c"

    def ok(name: str) -> dict[str, Any]:
        ref = {"$ref": f"#/components/schemas/{name}"}
        return {"200": {"description": "ok", "content": {"application/json": {"schema": ref}}}}

    obj = {"type": "object", "properties": {"id": {"type": "string"}}}
    spec = tmp_path / "long.json"
    spec.write_text(
        json.dumps(
            {
                "openapi": "3.0.0",
                "info": {"title": "t", "version": "1"},
                "paths": {"/x": {"get": {"responses": ok(long_a)}}, "/y": {"get": {"responses": ok(long_b)}}},
                "components": {"schemas": {long_a: obj, long_b: obj}},
            }
        ),
        "utf-8",
    )
    sdk = generate(spec, tmp_path / "out", "example.com/longname")
    run([go_toolchain, "build", "./..."], sdk, go_env(tmp_path))
    long_files = [p.name for p in (sdk / "models" / "components").glob("abbb*.go")]
    assert len(long_files) == 2, long_files
    assert all(len(name.encode("utf-8")) <= 255 and re.search(r"_[0-9a-f]{12}\.go$", name) for name in long_files)


TIMES_SPEC = """
openapi: 3.0.3
info: {title: times, version: "1"}
paths:
  /bookmarks:
    get:
      operationId: getBookmarks
      tags: [profile]
      responses:
        "200":
          description: when each item was bookmarked
          content:
            application/json:
              schema: {type: object, additionalProperties: {type: string, format: date-time}}
        "400":
          description: when the error happened
          content: {application/json: {schema: {type: array, items: {type: string, format: date-time}}}}
"""


def test_a_service_file_imports_time_for_an_answer_it_reads(go_toolchain: str, tmp_path: Path) -> None:
    """britbox's `GET /bookmarks` answers a map of date-times: the service method declares
    `var v map[string]time.Time` to read it, and its file did not import `time` (the
    module did not compile). Its error body is read in that file the same way."""
    spec = tmp_path / "times.yaml"
    spec.write_text(TIMES_SPEC, "utf-8")
    sdk = generate(spec, tmp_path / "out", "example.com/times")
    source = (sdk / "profile.go").read_text("utf-8")
    assert "var v map[string]time.Time" in source and "var v []time.Time" in source
    run([GO or "go", "vet", "./..."], sdk, go_env(tmp_path))


def test_a_schema_named_like_a_runtime_file_moves_its_own_file(go_toolchain: str, tmp_path: Path) -> None:
    """jira's schema `SecuritySchemes` would be `models/components/security_schemes.go`,
    the path of a runtime file: the runtime file was the one moved (`..._2.go`), and the
    generator then failed with a traceback looking for a template of that name."""
    spec = tmp_path / "clash.yaml"
    spec.write_text(
        "openapi: 3.0.3\n"
        "info: {title: C, version: '1'}\n"
        "paths:\n"
        "  /schemes:\n"
        "    get:\n"
        "      operationId: getSchemes\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content: {application/json: {schema: {$ref: '#/components/schemas/SecuritySchemes'}}}\n"
        "components:\n"
        "  schemas:\n"
        "    SecuritySchemes: {type: object, properties: {schemes: {type: array, items: {type: string}}}}\n"
        "    HTTPMetadata: {type: object, properties: {status: {type: integer}}}\n",
        "utf-8",
    )
    sdk = generate(spec, tmp_path / "out", "example.com/clash")
    components = sdk / "models" / "components"
    runtime = (ROOT / "templates" / "go" / "runtime" / "models" / "components" / "security_schemes.go").read_text()
    first_type = next(line for line in runtime.splitlines() if line.startswith("type "))
    assert first_type in (components / "security_schemes.go").read_text("utf-8")  # the runtime file, in place
    assert "type SecuritySchemes struct" in (components / "security_schemes_2.go").read_text("utf-8")
    run([go_toolchain, "vet", "./..."], sdk, go_env(tmp_path))


def test_a_required_field_that_leads_back_to_its_struct_is_a_pointer(go_toolchain: str, tmp_path: Path) -> None:
    """readme's circular examples: `TreeNode.parent` is a required TreeNode, and Person and
    Company require each other. Held by value they were invalid recursive Go types, and
    the module did not build. Such fields are pointers; a required model field outside a
    cycle stays a value, and every sample still compiles."""
    spec = tmp_path / "cycles.yaml"
    spec.write_text(
        "openapi: 3.0.3\n"
        "info: {title: C, version: '1'}\n"
        "paths:\n"
        "  /trees:\n"
        "    post:\n"
        "      operationId: postTree\n"
        "      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/TreeNode'}}}}\n"
        "      responses: {'204': {description: ok}}\n"
        "  /people:\n"
        "    post:\n"
        "      operationId: postPerson\n"
        "      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Person'}}}}\n"
        "      responses: {'204': {description: ok}}\n"
        "components:\n"
        "  schemas:\n"
        "    TreeNode:\n"
        "      type: object\n"
        "      required: [id, parent, leaf]\n"
        "      properties:\n"
        "        id: {type: string}\n"
        "        parent: {$ref: '#/components/schemas/TreeNode'}\n"
        "        leaf: {$ref: '#/components/schemas/Leaf'}\n"
        "    Leaf: {type: object, required: [v], properties: {v: {type: string}}}\n"
        "    Person:\n"
        "      type: object\n"
        "      required: [name, employer]\n"
        "      properties: {name: {type: string}, employer: {$ref: '#/components/schemas/Company'}}\n"
        "    Company:\n"
        "      type: object\n"
        "      required: [name, ceo]\n"
        "      properties: {name: {type: string}, ceo: {$ref: '#/components/schemas/Person'}}\n",
        "utf-8",
    )
    sdk = generate(spec, tmp_path / "out", "example.com/cycles")
    components = sdk / "models" / "components"
    tree = (components / "tree_node.go").read_text("utf-8")
    assert re.search(r"\bParent +\*TreeNode +`json:\"parent\"`", tree), tree
    assert re.search(r"\bLeaf +Leaf +`json:\"leaf\"`", tree), tree  # no cycle: a value
    assert re.search(r"\bEmployer +\*Company ", (components / "person.go").read_text("utf-8"))
    assert re.search(r"\bCeo +\*Person ", (components / "company.go").read_text("utf-8"))
    run([go_toolchain, "vet", "./..."], sdk, go_env(tmp_path))
    assert vet_samples(spec, sdk, "example.com/cycles", tmp_path) == 2
