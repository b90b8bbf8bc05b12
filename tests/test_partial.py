"""Graceful partial specs (issue 15.6): what cannot be generated is left out with an
error-level warning naming its pointer and reason, every problem in one run, the rest is
generated; `--strict` refuses instead (exit 2, nothing written)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from helpers import ROOT

from generator.builder import build_api
from generator.load import load
from generator.normalize import Spec

SPEC = textwrap.dedent(
    """\
    openapi: 3.1.0
    info: {title: Partial, version: "1"}
    paths:
      /certs/{certificate_id}:
        get:
          operationId: getCert
          tags: [certs]
          responses: {"204": {description: ok}}
      /certs:
        get:
          operationId: listCerts
          tags: [certs]
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/Missing"}}}
        post:
          operationId: createCert
          tags: [certs]
          parameters: [{name: dry_run, schema: {type: boolean}}]
          responses: {"204": {description: ok}}
      /pets/{id}:
        get:
          operationId: getPet
          tags: [pets]
          parameters: [{name: id, in: path, required: true, schema: {type: string}}]
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
      /owners:
        get:
          operationId: listOwners
          tags: [owners]
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/Owner"}}}
    components:
      schemas:
        Pet:
          type: object
          required: [id]
          properties: {id: {type: string}}
        Broken:
          type: object
          properties: {x: {$ref: "#/components/schemas/Nowhere"}}
        Owner:
          type: object
          properties: {pet: {$ref: "#/components/schemas/Broken"}}
    """
)


def test_builder_keeps_what_it_can(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SPEC, "utf-8")
    api, warnings = build_api(Spec(load(tmp_path / "s.yaml")))
    assert [".".join([*op.group, op.name]) for op in api.operations] == ["pets.get_pet"]
    assert [x.name for x in api.models] == ["Pet"]
    errors = [w for w in warnings if w.level == "error"]
    found = sorted((w.location.pointer, w.message.split(" left out of the client: ")[0]) for w in errors)
    broken = "#/components/schemas/Broken/properties/x"
    assert found == [
        (broken, "operation GET /owners"),  # reached Broken through Owner
        (broken, "schema Broken"),
        (broken, "schema Owner"),
        ("#/paths/~1certs/get/responses/200/content/application~1json/schema", "operation GET /certs"),
        ("#/paths/~1certs/post/parameters/0", "operation POST /certs"),
        ("#/paths/~1certs~1{certificate_id}/get", "operation GET /certs/{certificate_id}"),
    ]
    reasons = {w.message.split(" left out of the client: ")[0]: w.message for w in errors}
    assert "{certificate_id}" in reasons["operation GET /certs/{certificate_id}"]
    assert "'#/components/schemas/Nowhere' points to nothing" in reasons["schema Owner"]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDKGEN_CACHE_DIR=str(cwd / "cache"))
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_generate_reports_every_problem_and_writes_the_rest(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SPEC, "utf-8")
    proc = cli("generate", "s.yaml", "-o", "out", "-p", "partial", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 6, proc.stderr
    assert all(re.match(r"error: s\.yaml:\d+ at #/\S+: .*left out of the client", line) for line in errors), errors
    assert "Traceback" not in proc.stderr
    services = sorted(p.name for p in (tmp_path / "out" / "partial" / "services").glob("*.py"))
    assert services == ["__init__.py", "pets.py"]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "partial"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert mypy.returncode == 0, mypy.stdout


def test_strict_refuses_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SPEC, "utf-8")
    proc = cli("generate", "s.yaml", "-o", "out", "-p", "partial", "--strict", cwd=tmp_path)
    assert proc.returncode == 2
    assert "6 item(s) could not be generated" in proc.stderr and "--strict" in proc.stderr
    assert not (tmp_path / "out" / "partial").exists()
    good = (
        SPEC.split("  /certs/{certificate_id}:")[0]
        + "  /pets/{id}:"
        + SPEC.split("  /pets/{id}:")[1].split("  /owners:")[0]
    )
    good += "components:\n  schemas:\n    Pet:\n      type: object\n      properties: {id: {type: string}}\n"
    (tmp_path / "good.yaml").write_text(good, "utf-8")
    ok = cli("generate", "good.yaml", "-o", "out", "-p", "partial", "--strict", "-q", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr


def test_one_broken_schema_leaves_the_others(tmp_path: Path) -> None:
    from test_bad_input import _UNRESOLVED_MAPPING

    (tmp_path / "s.yaml").write_text(_UNRESOLVED_MAPPING, "utf-8")
    api, warnings = build_api(Spec(load(tmp_path / "s.yaml")))
    assert [x.name for x in api.models] == ["Cat"] and not api.aliases
    (error,) = [w for w in warnings if w.level == "error"]
    assert error.location.pointer == "#/components/schemas/Pet/discriminator/mapping/dog"
    assert error.message.startswith("schema Pet left out of the client: ") and "Check the spelling" in error.message
