"""Bad input, table-driven: every odd spec either becomes a working package or a clear error.

A *refused* case must exit 2 with one paragraph `error: FILE[:LINE] at POINTER: what is
wrong. What to do.`, print no traceback, and leave an existing package in the output
folder byte-identical. An *accepted* case must exit 0, and its package must import
(every module, every lazy export, both clients, every service group), pass
`mypy --strict`, and behave as its case says (names, docstrings, enum members, requests).

tests/test_cli.py covers the first bad inputs (malformed YAML and JSON, an empty file, a
list document, a document with no `openapi` key, versions 2.5 and 4.0, Swagger 2.0, an
unresolvable and an external `$ref` in a schema, a two-schema `$ref` cycle, a path
template with no parameter, a missing file); this module adds the rest. The accepted
cases are generated once per module through the CLI, then imported in one interpreter
and type-checked in one mypy run.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import keyword
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from output_checks import CliRun, cli_generate, import_everything, mypy_strict

from generator.builder import build_api
from generator.load import load
from generator.normalize import Spec

HEAD = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n'


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (hidden ones included, caches skipped)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


# -- refused ----------------------------------------------------------------------------


@dataclass
class Refused:
    text: str | bytes  # the spec file's content
    pointer: str  # the JSON pointer the message must name
    wants: tuple[str, ...]  # substrings of the paragraph: what is wrong, and what to do
    line: int | None = None  # the line the message must name, where it can know one
    suffix: str = ".yaml"
    any_of: tuple[str, ...] = ()  # the message holds one of these, where Pythons word it differently


def _ref_chain(n: int) -> str:
    """n components, each referring to the next: recursion one level per link."""
    schemas = {
        f"S{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/S{i + 1}"}}}
        for i in range(n)
    }
    schemas[f"S{n}"] = {"type": "object", "properties": {"v": {"type": "string"}}}
    return json.dumps(
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}},
                            }
                        }
                    }
                }
            },
            "components": {"schemas": schemas},
        }
    )


def _deep_inline(levels: int) -> str:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}}
    return json.dumps(
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"A": schema}},
        }
    )


def _deep_document(levels: int) -> str:
    inner = '{"type": "array", "items": ' * levels + '{"type": "string"}' + "}" * levels
    return (
        '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {"A": '
        + inner
        + "}}}"
    )


def _op(body: str) -> str:
    """One GET /a operation whose lines under `get:` are `body` (indented by the caller)."""
    return HEAD + "paths:\n  /a:\n    get:\n" + textwrap.indent(textwrap.dedent(body), "      ")


_UNRESOLVED_PARAMETER = _op(
    """\
    parameters:
      - $ref: "#/components/parameters/Limit"
    responses:
      "204": {description: done}
    """
)
_UNRESOLVED_RESPONSE = _op(
    """\
    responses:
      "200": {$ref: "#/components/responses/Missing"}
    """
)
_UNRESOLVED_BODY = HEAD + textwrap.dedent(
    """\
    paths:
      /a:
        post:
          requestBody: {$ref: "#/components/requestBodies/Missing"}
          responses:
            "204": {description: done}
    """
)
_UNRESOLVED_MAPPING = HEAD + textwrap.dedent(
    """\
    paths: {}
    components:
      schemas:
        Pet:
          oneOf: [{$ref: "#/components/schemas/Cat"}]
          discriminator:
            propertyName: kind
            mapping:
              cat: "#/components/schemas/Cat"
              dog: "#/components/schemas/Dog"
        Cat:
          type: object
          properties: {kind: {type: string}}
    """
)
_EXTERNAL_URL = _op(
    """\
    responses:
      "200":
        description: ok
        content:
          application/json:
            schema: {$ref: "https://example.com/schemas/pet.json#/Pet"}
    """
)
_EXTERNAL_PATH_ITEM = HEAD + 'paths:\n  /a: {$ref: "paths.yaml#/a"}\n'
_PARAMETER_CYCLE = _op(
    """\
    parameters: [{$ref: "#/components/parameters/P"}]
    responses:
      "204": {description: done}
    """
) + textwrap.dedent(
    """\
    components:
      parameters:
        P: {$ref: "#/components/parameters/Q"}
        Q: {$ref: "#/components/parameters/P"}
    """
)
_PATH_ITEM_CYCLE = HEAD + 'paths:\n  /a: {$ref: "#/paths/~1b"}\n  /b: {$ref: "#/paths/~1a"}\n'
_SELF_REF = HEAD + 'paths: {}\ncomponents:\n  schemas:\n    A: {$ref: "#/components/schemas/A"}\n'
_REF_NOT_A_STRING = (
    HEAD + "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: 42}\n"
)
_RESPONSES_LIST = _op(
    """\
    responses:
      - "200"
    """
)
_PARAMETER_WITHOUT_IN = _op(
    """\
    parameters:
      - {name: limit, schema: {type: integer}}
    responses:
      "204": {description: done}
    """
)
_CASE_MISMATCH = HEAD + textwrap.dedent(
    """\
    paths:
      /a/{id}:
        get:
          parameters:
            - {name: ID, in: path, required: true, schema: {type: string}}
          responses:
            "204": {description: done}
    """
)
_UNBALANCED = HEAD + 'paths:\n  /a/{id:\n    get:\n      responses:\n        "204": {description: done}\n'
_NESTED_BRACES = HEAD + 'paths:\n  /a/{{id}}:\n    get:\n      responses:\n        "204": {description: done}\n'
_TAB = HEAD + "paths:\n  /a:\n\tget: {}\n"
_JSON_TRAILING_COMMA = '{\n  "openapi": "3.1.0",\n  "info": {"title": "t", "version": "1"},\n  "paths": {},\n}\n'
_SWAGGER_JSON = '{\n  "info": {"title": "t", "version": "1"},\n  "swagger": "2.0",\n  "paths": {}\n}\n'


def _alias_bomb() -> str:
    """The review's 551-byte document: nine levels of lists of aliases to the level below."""
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        name, below = chr(ord("a") + i), chr(ord("a") + i - 1)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{below}"] * 9) + "]")
    return HEAD + "paths: {}\n" + "\n".join(f"x-{line}" for line in levels) + "\n"


def _schema_dag(levels: int = 12) -> str:
    """Anchors reused as schemas: each level an object with three properties aliasing the
    level below. About 1 KB, and 3**12 inline models once expanded."""
    lines = ["    S0: &s0 {type: object, properties: {v: {type: string}}}"]
    for i in range(1, levels + 1):
        lines.append(f"    S{i}: &s{i} {{type: object, properties: {{a: *s{i - 1}, b: *s{i - 1}, c: *s{i - 1}}}}}")
    return HEAD + "paths: {}\ncomponents:\n  schemas:\n" + "\n".join(lines) + "\n"


# The documents below are built by functions, not kept as module-level strings: other
# test modules collect this module's documents (tests/test_validate.py runs both
# validators on each), and these are meant only for the loader, which refuses them.


def _alias_cycle() -> str:
    return HEAD + "paths: {}\nx-loop: &loop [1, *loop]\n"


def _number_in_schema(literal: str) -> str:
    return (
        HEAD + "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n" + f"      x-v: {{const: {literal}}}\n"
    )


def _huge_int_json() -> str:
    return '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},\n "paths": {},\n "x-n": ' + "7" * 5000 + "}"


REFUSED: dict[str, Refused] = {
    # reading the file
    "yaml-tab-indentation": Refused(
        _TAB, "#", ("invalid YAML", "column", "Fix the syntax"), line=line_of(_TAB, "\tget")
    ),
    "yaml-unclosed-quote": Refused('openapi: "3.1.0\ninfo: {title: t}\n', "#", ("invalid YAML", "Fix the syntax")),
    # Python 3.13's json names the comma's line (4), earlier versions the brace's (5)
    "json-trailing-comma": Refused(
        _JSON_TRAILING_COMMA, "#", ("invalid JSON", "column", "Fix the syntax"), line=4, suffix=".json"
    ),
    "json-truncated": Refused(
        '{"openapi": "3.1.0", "paths": {', "#", ("invalid JSON", "Fix the syntax"), suffix=".json"
    ),
    "not-utf8": Refused(
        b'openapi: 3.1.0\ninfo: {title: "caf\xe9", version: "1"}\n', "#", ("not UTF-8", "Save it as UTF-8")
    ),
    "comments-only": Refused("# an API, some day\n", "#", ("empty", "mapping with an `openapi` key")),
    "a-plain-string": Refused("just some text\n", "#", ("a str, not a mapping", "`openapi` key")),
    "json-array": Refused("[]\n", "#", ("a list, not a mapping", "`openapi` key"), suffix=".json"),
    # json stops at its recursion limit up to Python 3.12 ("too deeply"); 3.13's reads it,
    # and the builder refuses the nesting where it passes 100 levels ("levels deep")
    "nested-too-deeply-to-parse": Refused(
        _deep_document(5000), "#", ("components",), suffix=".json", any_of=("too deeply", "levels deep")
    ),
    # only JSON values (issue 11: alias bombs, YAML 1.1 types, non-finite and huge numbers)
    "yaml-alias-bomb": Refused(
        _alias_bomb(),
        "#/x-b/0",
        ("YAML aliases expand this document to", "limit", "`$ref`"),
        line=line_of(_alias_bomb(), "x-b:"),
    ),
    "yaml-anchors-as-a-schema-dag": Refused(
        _schema_dag(),
        "#/components/schemas/S1/properties/a",
        ("YAML aliases expand", "`$ref`"),
        line=line_of(_schema_dag(), "S1:"),
    ),
    "yaml-alias-inside-its-anchor": Refused(
        _alias_cycle(), "#/x-loop/1", ("contains it", "cannot contain itself"), line=line_of(_alias_cycle(), "x-loop")
    ),
    "yaml-binary-tag": Refused(
        HEAD + "paths: {}\nx-logo: !!binary aGVsbG8=\n",
        "#",
        ("'binary'", "no JSON equivalent", "Remove the tag"),
        line=4,
    ),
    "yaml-set-tag": Refused(HEAD + "paths: {}\nx-s: !!set {a, b}\n", "#", ("'set'", "no JSON equivalent"), line=4),
    "yaml-timestamp-tag": Refused(
        HEAD + "paths: {}\nx-t: !!timestamp 2024-01-01\n", "#", ("'timestamp'", "no JSON equivalent"), line=4
    ),
    "yaml-list-as-key": Refused(
        HEAD + "paths: {}\n? [a, b]\n: c\n", "#", ("key must be plain text", "string keys"), line=4
    ),
    "yaml-nan": Refused(
        _number_in_schema(".nan"),
        "#",
        (".nan is not a finite number", "leave the keyword out"),
        line=8,
    ),
    "yaml-1e400": Refused(_number_in_schema("1e400"), "#", ("1e400 is not a finite number",), line=8),
    "yaml-5000-digit-integer": Refused(
        _number_in_schema("7" * 5000),
        "#",
        ("5000 digits", "Write it as a string"),
        line=8,
    ),
    "json-1e400": Refused(
        '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},\n "components": {"schemas": {"A": {"const": 1e400}}}}',
        "#",
        ("1e400 is too large to be a finite number",),
        line=2,
        suffix=".json",
    ),
    "json-nan": Refused('{"openapi": "3.1.0",\n "x-v": NaN}', "#", ("NaN is not JSON",), line=2, suffix=".json"),
    "json-5000-digit-integer": Refused(
        _huge_int_json(), "#", ("5000 digits", "Write it as a string"), line=3, suffix=".json"
    ),
    # not an OpenAPI 3 document
    "asyncapi": Refused(
        'asyncapi: 2.6.0\ninfo: {title: t, version: "1"}\nchannels: {}\n', "#", ("no `openapi`", "OpenAPI 3.0 and 3.1")
    ),
    "openapi-as-integer": Refused(
        'openapi: 3\ninfo: {title: t, version: "1"}\npaths: {}\n', "#/openapi", ("'3'", "OpenAPI 3.0 and 3.1"), line=1
    ),
    "openapi-1.0": Refused(
        'info: {title: t, version: "1"}\nopenapi: "1.0"\npaths: {}\n',
        "#/openapi",
        ("'1.0'", "OpenAPI 3.0 and 3.1"),
        line=2,
    ),
    "swagger-2-json": Refused(
        _SWAGGER_JSON,
        "#/swagger",
        ("Swagger 2.0", "Convert it to OpenAPI 3 first"),
        line=line_of(_SWAGGER_JSON, "swagger"),
        suffix=".json",
    ),
    # references
    "unresolvable-parameter-ref": Refused(
        _UNRESOLVED_PARAMETER,
        "#/paths/~1a/get/parameters/0",
        ("#/components/parameters/Limit", "points to nothing", "Check the spelling"),
        line=line_of(_UNRESOLVED_PARAMETER, "$ref"),
    ),
    "unresolvable-response-ref": Refused(
        _UNRESOLVED_RESPONSE,
        "#/paths/~1a/get/responses/200",
        ("#/components/responses/Missing", "Check the spelling"),
        line=line_of(_UNRESOLVED_RESPONSE, '"200"'),
    ),
    "unresolvable-request-body-ref": Refused(
        _UNRESOLVED_BODY,
        "#/paths/~1a/post/requestBody",
        ("#/components/requestBodies/Missing", "Check the spelling"),
        line=line_of(_UNRESOLVED_BODY, "requestBody"),
    ),
    # an unresolvable discriminator mapping leaves its union out, the rest is generated:
    # tests/test_partial.py (issue 15.6)
    "external-ref-url": Refused(
        _EXTERNAL_URL,
        "#/paths/~1a/get/responses/200/content/application~1json/schema",
        ("https://example.com/schemas/pet.json#/Pet", "Bundle"),
        line=line_of(_EXTERNAL_URL, "schema:"),
    ),
    "external-ref-path-item": Refused(
        _EXTERNAL_PATH_ITEM, "#/paths/~1a", ("paths.yaml#/a", "Bundle"), line=line_of(_EXTERNAL_PATH_ITEM, "/a:")
    ),
    "ref-cycle-parameters": Refused(
        _PARAMETER_CYCLE,
        "#/components/parameters/",
        ("cycle", "#/components/parameters/P", "#/components/parameters/Q", "Point one of these"),
    ),
    "ref-cycle-path-items": Refused(
        _PATH_ITEM_CYCLE, "#/paths/", ("cycle", "#/paths/~1a", "#/paths/~1b", "Point one of these")
    ),
    "ref-to-itself": Refused(
        _SELF_REF, "#/components/schemas/A", ("cycle", "#/components/schemas/A", "Point one of these")
    ),
    "ref-not-a-string": Refused(
        _REF_NOT_A_STRING,
        "#/components/schemas/A/properties/b/$ref",
        ("must be a string", "Quote the reference"),
        line=line_of(_REF_NOT_A_STRING, "$ref"),
    ),
    "ref-chain-too-long": Refused(
        _ref_chain(4000), "#/components/schemas", ("too long", "Shorten the chain"), suffix=".json"
    ),
    # structure
    "paths-is-a-list": Refused(HEAD + "paths: [/a]\n", "#/paths", ("`paths` must be a mapping", "name: value"), line=3),
    "path-item-is-a-list": Refused(
        HEAD + "paths:\n  /a: [get]\n", "#/paths/~1a", ("path item must be a mapping", "Map each HTTP method"), line=4
    ),
    "responses-is-a-list": Refused(
        _RESPONSES_LIST,
        "#/paths/~1a/get/responses",
        ("`responses` must be a mapping", '"200"'),
        line=line_of(_RESPONSES_LIST, '- "200"'),
    ),
    "schemas-is-a-list": Refused(
        HEAD + "paths: {}\ncomponents:\n  schemas: [A, B]\n",
        "#/components/schemas",
        ("`components.schemas` must be a mapping", "name: value"),
        line=5,
    ),
    "parameter-without-in": Refused(
        _PARAMETER_WITHOUT_IN,
        "#/paths/~1a/get/parameters/0",
        ("string `name` and `in` of path/query/header/cookie",),
        line=line_of(_PARAMETER_WITHOUT_IN, "name: limit"),
    ),
    "nothing-to-generate": Refused(
        HEAD + "paths: {}\n", "#/paths", ("no operations and no schemas", "Describe at least one operation"), line=3
    ),
    "schemas-nested-too-deeply": Refused(
        _deep_inline(400),
        "#/components/schemas/A/properties/a/",
        ("nest more than", "Name the inner schemas"),
        suffix=".json",
    ),
    # path templates
    "path-template-case-mismatch": Refused(
        _CASE_MISMATCH, "#/paths/~1a~1{id}/get", ("{id}", "Add it to `parameters` with `in: path`")
    ),
    "path-template-unbalanced-brace": Refused(
        _UNBALANCED, "#/paths/~1a~1{id", ("'/a/{id'", "braces", "percent-encode"), line=line_of(_UNBALANCED, "/a/")
    ),
    "path-template-nested-braces": Refused(_NESTED_BRACES, "#/paths/~1a~1{{id}}", ("braces", "percent-encode")),
}


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder holding a package `pkg` generated from a tiny good spec."""
    work = tmp_path_factory.mktemp("good")
    spec = work / "good.yaml"
    spec.write_text(_op('responses:\n  "204": {description: done}\n'), "utf-8")
    run = cli_generate(spec, work / "out", "pkg", cwd=work, cache=work / "cache")
    assert run.code == 0, run
    return work / "out"


@dataclass
class RefusedRun:
    spec: Path
    run: CliRun
    before: dict[str, bytes]  # the output folder before the run
    after: dict[str, bytes]


@pytest.fixture(scope="module")
def refused(good_output: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, RefusedRun]:
    """Every refused case run through the CLI over a copy of a good output, two at a time."""

    def run(case: str) -> RefusedRun:
        work = tmp_path_factory.mktemp(case)
        out = work / "out"
        shutil.copytree(good_output, out)
        spec = work / f"spec{REFUSED[case].suffix}"
        text = REFUSED[case].text
        spec.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        before = tree(out)
        found = cli_generate(spec, out, "pkg", cwd=work, cache=work / "cache", timeout=120)
        return RefusedRun(spec, found, before, tree(out))

    with ThreadPoolExecutor(max_workers=2) as pool:  # independent processes
        return dict(zip(REFUSED, pool.map(run, REFUSED)))


@pytest.mark.parametrize("name", list(REFUSED), ids=list(REFUSED))
def test_refused_with_a_clear_error_and_the_previous_output_kept(name: str, refused: dict[str, RefusedRun]) -> None:
    case, spec, run = REFUSED[name], refused[name].spec, refused[name].run
    assert run.code == 2, run
    assert not run.crashed, run
    paragraph = run.stderr.strip()
    assert paragraph.startswith("error: "), run
    assert "\n" not in paragraph, f"more than one line:\n{run}"
    found = re.match(r"error: (?P<file>.+?)(?::(?P<line>\d+))? at (?P<pointer>#\S*): (?P<message>.+)$", paragraph)
    assert found, f"not `error: FILE[:LINE] at POINTER: message`:\n{run}"
    assert found["file"] == str(spec), run
    assert found["pointer"].startswith(case.pointer), (
        f"pointer {found['pointer']!r}, expected {case.pointer!r}...\n{run}"
    )
    for want in case.wants:
        assert want in found["message"], f"{want!r} missing:\n{run}"
    if case.any_of:
        assert any(want in found["message"] for want in case.any_of), f"none of {case.any_of}:\n{run}"
    if case.line is not None:
        # A YAML block mapping starts at its first member, one line below its key.
        assert found["line"] in (str(case.line), str(case.line + 1)), f"line {case.line} expected:\n{run}"
    assert refused[name].after == refused[name].before, "the previous output changed"


@pytest.mark.parametrize(
    "package", ["..", "../pkg", "a/b", "/tmp/sdkgen-test-pkg", "pkg/..", "", "class", "pkg.sub", "ｐｋｇ"]
)
def test_package_names_that_could_leave_the_output_folder_are_refused(
    package: str, good_output: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    out = work / "out"
    shutil.copytree(good_output, out)
    spec = work / "spec.yaml"
    spec.write_text(_op('responses:\n  "204": {description: done}\n'), "utf-8")
    before = tree(work)
    assert not Path("/tmp/sdkgen-test-pkg").exists()
    run = cli_generate(spec, out, package, cwd=work, cache=tmp_path / "cache")
    assert run.code == 2, run
    assert not run.crashed, run
    assert run.stderr.startswith("error: "), run
    assert (repr(package) if package else "--package") in run.stderr, run
    assert tree(work) == before, "something was written"
    assert {p.name for p in tmp_path.iterdir()} <= {"work", "cache"}
    assert not Path("/tmp/sdkgen-test-pkg").exists()


# -- accepted ---------------------------------------------------------------------------


Check = Callable[[ModuleType, CliRun], None]


@dataclass
class Accepted:
    text: str
    check: Check | None = None  # what the generated package must do, beyond importing and mypy
    warns: tuple[str, ...] = ()  # substrings that some warning line must contain
    suffix: str = ".yaml"


def _module(pkg: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{pkg.__name__}.{name}")


def decoder(pkg: ModuleType, alias: str) -> Callable[[Any], Any]:
    """`decode_<alias>` from the module that defines the type alias."""
    module = _module(pkg, "models")._WHERE[alias]
    return getattr(_module(pkg, f"models.{module}"), f"decode_{alias}")  # type: ignore[no-any-return]


class Recorder:
    def __init__(self, body: Any = None, status: int = 200) -> None:
        self.requests: list[httpx.Request] = []
        self.body, self.status = body, status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.body is None:
            return httpx.Response(204)
        return httpx.Response(self.status, json=self.body)


def client(pkg: ModuleType, recorder: Recorder) -> Any:
    return pkg.Client(
        "token", base_url="https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(recorder))
    )


# $ref inside example values is data: it must neither be resolved nor refused.
REF_IN_EXAMPLES = HEAD + textwrap.dedent(
    """\
    paths:
      /things:
        post:
          operationId: createThing
          parameters:
            - name: filter
              in: query
              schema: {type: object, additionalProperties: {type: string}}
              example: {$ref: "#/not/a/reference/param"}
          requestBody:
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Thing"}
                examples:
                  one: {value: {link: {$ref: "#/not/a/reference/body"}}}
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Thing"}
    components:
      schemas:
        Thing:
          type: object
          examples: [{link: {$ref: "../elsewhere.yaml#/not/a/reference/model"}}]
          properties:
            link:
              type: object
              additionalProperties: {type: string}
              default: {$ref: "#/not/a/reference/default"}
              examples: [{$ref: "#/not/a/reference/field"}]
            $ref:
              type: string
              description: A property that happens to be called $ref.
    """
)


def check_ref_in_examples(pkg: ModuleType, run: CliRun) -> None:
    thing = _module(pkg, "models").Thing
    data = {"link": {"$ref": "#/x"}, "$ref": "#/y"}
    assert thing.from_dict(data).to_dict() == data
    assert not [w for w in run.warnings if "points to nothing" in w or "external" in w], run
    # Every example is printed as the data it is (the model's becomes the example response).
    docs = "\n".join(
        p.read_text("utf-8") for p in sorted(Path(str(pkg.__file__)).parent.joinpath("docs").rglob("*.md"))
    )
    for where in ("model", "field", "default", "body", "param"):
        assert f"#/not/a/reference/{where}" in docs, f"the {where} example is missing from the docs"


DUPLICATE_OPERATION_IDS = HEAD + textwrap.dedent(
    """\
    paths:
      /cats:
        get:
          operationId: list
          tags: [animals]
          responses: {"204": {description: done}}
      /dogs:
        get:
          operationId: list
          tags: [animals]
          responses: {"204": {description: done}}
      /birds:
        get:
          operationId: list
          tags: [animals]
          responses: {"204": {description: done}}
        post:
          operationId: list
          tags: [other]
          responses: {"204": {description: done}}
    """
)


def check_duplicate_operation_ids(pkg: ModuleType, run: CliRun) -> None:
    rec = Recorder()
    c = client(pkg, rec)
    c.animals.list()
    c.animals.list2()
    c.animals.list3()
    c.other.list()
    assert [(r.method, r.url.path) for r in rec.requests] == [
        ("GET", "/cats"),
        ("GET", "/dogs"),
        ("GET", "/birds"),
        ("POST", "/birds"),
    ]


PATH_TEMPLATES = HEAD + textwrap.dedent(
    """\
    paths:
      /a/{id}/b/{id}:
        parameters:
          - {name: id, in: path, required: true, schema: {type: string}, description: from the path item}
        get:
          operationId: twice
          responses: {"204": {description: done}}
      /c/{c-id}.{format}:
        parameters:
          - {name: c-id, in: path, required: true, schema: {type: integer}}
        get:
          operationId: dotted
          parameters:
            - {name: format, in: path, required: true, schema: {type: string, enum: [json, csv]}}
          responses: {"204": {description: done}}
      /unused:
        get:
          operationId: unused
          parameters:
            - {name: ghost, in: path, required: true, schema: {type: string}}
          responses: {"204": {description: done}}
    """
)


def check_path_templates(pkg: ModuleType, run: CliRun) -> None:
    rec = Recorder()
    c = client(pkg, rec)
    c.a.twice("x/y")
    c.c.dotted(7, "csv")
    c.unused.unused("boo")
    assert [r.url.raw_path.decode() for r in rec.requests] == ["/a/x%2Fy/b/x%2Fy", "/c/7.csv", "/unused"]
    assert any("'ghost'" in w and "does not appear in the path template" in w for w in run.warnings), run


ODD_IDENTIFIERS = HEAD + textwrap.dedent(
    """\
    paths:
      /a:
        get:
          operationId: ""
          tags: [""]
          parameters:
            - {name: "", in: query, schema: {type: string}}
            - {name: class, in: query, schema: {type: string}}
            - {name: 1st, in: header, schema: {type: string}}
            - {name: é, in: query, schema: {type: string}}
            - {name: 日本, in: query, schema: {type: string}}
            - {name: self, in: query, schema: {type: string}}
            - {name: request_options, in: query, schema: {type: string}}
            - {name: body, in: query, schema: {type: string}}
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/日本"}
      /b:
        get:
          operationId: 2fa.import
          tags: [None, 123]
          responses: {"204": {description: done}}
    components:
      schemas:
        "":
          type: object
          properties: {x: {type: string}}
        日本:
          type: object
          properties:
            "": {type: string}
            日本: {type: string}
            語: {type: string}
            class: {type: string}
            def: {type: integer}
            None: {type: string}
            "1": {type: string}
            2nd: {type: string}
            from_dict: {type: string}
            to_dict: {type: string}
            additional_properties: {type: string}
            __init__: {type: string}
            café: {type: string}
            builtins: {type: string}
            str: {type: string}
            dict: {type: string}
            field: {type: string}
            date: {type: string, format: date}
            datetime: {type: string, format: date-time}
            later: {type: string, format: date}
          additionalProperties: {type: integer}
        class: {type: object, properties: {a: {type: string}}}
        1st: {type: object, properties: {a: {type: string}}}
        None: {type: string, enum: [a, b]}
        import: {type: string, format: date}
    """
)


def check_odd_identifiers(pkg: ModuleType, run: CliRun) -> None:
    models = _module(pkg, "models")
    for name in models.__all__:
        assert name.isidentifier() and name.isascii() and not keyword.iskeyword(name), name
    assert len({n.lower() for n in models.__all__}) == len(models.__all__)
    model = next(
        getattr(models, n)
        for n in models.__all__
        if hasattr(getattr(models, n), "__dataclass_fields__") and "class_" in getattr(models, n).__dataclass_fields__
    )
    for name in model.__dataclass_fields__:
        assert name.isidentifier() and name.isascii() and not keyword.iskeyword(name), name
    data = {
        "": "e",
        "日本": "j",
        "語": "g",
        "class": "c",
        "def": 1,
        "None": "n",
        "1": "o",
        "2nd": "t",
        "from_dict": "f",
        "to_dict": "t",
        "additional_properties": "a",
        "__init__": "i",
        "café": "k",
        "builtins": "b",
        "str": "s",
        "dict": "d",
        "field": "f",
        "date": "2024-02-29",
        "datetime": "2024-02-29T12:00:00Z",
        "later": "2024-03-01",
        "extra key": 5,
    }
    decoded = model.from_dict(data)
    assert decoded.to_dict() == data
    assert decoded.class_ == "c"
    assert decoded.date == datetime.date(2024, 2, 29) and decoded.later == datetime.date(2024, 3, 1)
    rec = Recorder(body=data)
    c = client(pkg, rec)
    params = inspect.signature(c.default.get_a).parameters
    assert all(p.isidentifier() and p.isascii() and not keyword.iskeyword(p) for p in params), list(params)
    result = c.default.get_a(**{p: f"v-{p}" for p in params if p != "request_options"})
    assert result == decoded
    c.none.import_()
    sent = rec.requests[0]
    assert sorted(sent.url.params) == sorted(["", "class", "é", "日本", "self", "request_options", "body"])
    assert sent.headers["1st"].startswith("v-")


ENUM_COLLISIONS = HEAD + textwrap.dedent(
    """\
    paths: {}
    components:
      schemas:
        Word:
          type: string
          enum: [a-b, a_b, A B, a.b, AB, ab, "", " ", "-", _, +, é, e, "1", "01", name, value, is_known, mro,
                 NAME, _missing_, __init__, class, None, "True", V1, v1, _1, __, "\\n", "\\t", 日本, 語, a-b]
        Number:
          type: integer
          enum: [-1, 1, 0, 10, 2, -10, 1099511627776]
    """
)
WORDS = [
    "a-b",
    "a_b",
    "A B",
    "a.b",
    "AB",
    "ab",
    "",
    " ",
    "-",
    "_",
    "+",
    "é",
    "e",
    "1",
    "01",
    "name",
    "value",
    "is_known",
    "mro",
    "NAME",
    "_missing_",
    "__init__",
    "class",
    "None",
    "True",
    "V1",
    "v1",
    "_1",
    "__",
    "\n",
    "\t",
    "日本",
    "語",
]


def check_enum_collisions(pkg: ModuleType, run: CliRun) -> None:
    models = _module(pkg, "models")
    for cls, values in ((models.Word, WORDS), (models.Number, [-1, 1, 0, 10, 2, -10, 1099511627776])):
        assert [m.value for m in cls] == values  # every value once, in spec order
        assert len({m.name for m in cls}) == len(values)
        for value in values:
            member = cls(value)
            assert member.value == value and member.is_known, value
    assert models.Word("brand new").is_known is False


ENUM_10K = json.dumps(
    {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Code": {"type": "string", "enum": [f"code-{i}" for i in range(10_000)]}}},
    }
)


def check_enum_10k(pkg: ModuleType, run: CliRun) -> None:
    code = _module(pkg, "models").Code
    assert len(code) == 10_000
    assert code("code-9999").is_known and code("code-9999").name == "CODE_9999"


NASTY_TEXT = "Ends \"\"\" here, ''' there, C:\\path\\ {{ 7*7 }} {% if x %}{% endif %} ${x} %s {0}\n\n```python\nimport os\n```\n\\N{BULLET} \\x41 \\"
QUOTED_TEXT = 'quote: "'
TEXT_IN_DOCS = HEAD + textwrap.dedent(
    f"""\
    paths:
      /a:
        get:
          operationId: get
          summary: {json.dumps(QUOTED_TEXT)}
          description: {json.dumps(NASTY_TEXT)}
          parameters:
            - {{name: q, in: query, description: {json.dumps(NASTY_TEXT)}, schema: {{type: string}}}}
          responses:
            "200":
              description: {json.dumps(NASTY_TEXT)}
              content:
                application/json:
                  schema: {{$ref: "#/components/schemas/Note"}}
    components:
      schemas:
        Note:
          description: {json.dumps(NASTY_TEXT)}
          type: object
          properties:
            text: {{type: string, description: {json.dumps(NASTY_TEXT)}, default: {json.dumps(NASTY_TEXT)}}}
            mood: {{$ref: "#/components/schemas/Mood"}}
        Mood:
          description: {json.dumps(QUOTED_TEXT)}
          type: string
          enum: [ok]
    """
)


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def check_text_in_docs(pkg: ModuleType, run: CliRun) -> None:
    models = _module(pkg, "models")
    want = _words(NASTY_TEXT)
    assert want in _words(models.Note.__doc__)
    assert _words(QUOTED_TEXT) in _words(models.Mood.__doc__)
    method = _module(pkg, "services.a").AService.get
    assert _words(QUOTED_TEXT) in _words(method.__doc__)
    assert want in _words(method.__doc__)
    assert models.Note.from_dict({"text": NASTY_TEXT}).to_dict() == {"text": NASTY_TEXT}


# Names chosen to close a string literal they might be pasted into.
BREAKOUT_NAMES = ['a"b', "a'b", "a\\b", 'x"]; y = d["', "'''", '"""', "end\\", "new\nline", "{x}", "%(x)s"]
BREAKOUT = json.dumps(
    {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a/{" + BREAKOUT_NAMES[0] + "}": {
                "post": {
                    "operationId": "send",
                    "parameters": [
                        {"name": BREAKOUT_NAMES[0], "in": "path", "required": True, "schema": {"type": "string"}},
                        *({"name": n, "in": "query", "schema": {"type": "string"}} for n in BREAKOUT_NAMES[1:]),
                        {"name": "X-" + BREAKOUT_NAMES[2], "in": "header", "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": BREAKOUT_NAMES[:3],
                    "properties": {n: {"type": "string", "default": n} for n in BREAKOUT_NAMES}
                    | {"kind": {"type": "string", "enum": BREAKOUT_NAMES}, "tag": {"const": BREAKOUT_NAMES[1]}},
                }
            }
        },
    }
)


def check_breakout(pkg: ModuleType, run: CliRun) -> None:
    thing = _module(pkg, "models").Thing
    data = {n: n for n in BREAKOUT_NAMES} | {"kind": BREAKOUT_NAMES[5], "tag": BREAKOUT_NAMES[1]}
    decoded = thing.from_dict(data)
    assert decoded.to_dict() == data
    assert decoded.kind.is_known
    rec = Recorder(body=data)
    c = client(pkg, rec)
    params = inspect.signature(c.a.send).parameters
    args = {p: f"value of {p}" for p in params if p not in ("body", "request_options")}
    assert len(args) == len(BREAKOUT_NAMES) + 1
    result = c.a.send(**args, body=decoded)
    assert result == decoded
    sent = rec.requests[0]
    assert json.loads(sent.content) == data
    assert sent.url.raw_path.decode().startswith("/a/value%20of%20")
    assert sorted(k for k in sent.url.params if k in BREAKOUT_NAMES) == sorted(BREAKOUT_NAMES[1:])
    assert sent.headers["X-" + BREAKOUT_NAMES[2]].startswith("value of")


SELF_CONTAINING = HEAD + textwrap.dedent(
    """\
    paths: {}
    components:
      schemas:
        Nested: {type: array, items: {$ref: "#/components/schemas/Nested"}}
        Json: {type: object, additionalProperties: {$ref: "#/components/schemas/Json"}}
        Either: {anyOf: [{$ref: "#/components/schemas/Either"}, {type: string}]}
        Same: {allOf: [{$ref: "#/components/schemas/Same"}]}
        Forest: {anyOf: [{type: string}, {type: array, items: {$ref: "#/components/schemas/Forest"}}]}
        Node: {anyOf: [{$ref: "#/components/schemas/Leaf"}, {$ref: "#/components/schemas/Branch"}]}
        Leaf:
          type: object
          required: [value]
          properties: {value: {type: integer}}
        Branch:
          type: object
          required: [children]
          properties:
            children: {type: array, items: {$ref: "#/components/schemas/Node"}}
    """
)


def check_self_containing(pkg: ModuleType, run: CliRun) -> None:
    models = _module(pkg, "models")
    assert decoder(pkg, "Nested")([[[]]]) == [[[]]]
    assert decoder(pkg, "Json")({"a": {"b": {}}}) == {"a": {"b": {}}}
    assert decoder(pkg, "Forest")(["a", ["b"]]) == ["a", ["b"]]
    # A cycle through a model ends at the model's name: full types all the way down.
    branch = decoder(pkg, "Node")({"children": [{"value": 1}, {"children": [{"value": 2}]}]})
    assert isinstance(branch, models.Branch)
    assert isinstance(branch.children[0], models.Leaf) and isinstance(branch.children[1].children[0], models.Leaf)
    pointers = {w.split(" at ", 1)[1].split(":", 1)[0] for w in run.warnings if "contains itself" in w}
    names = ("Nested", "Json", "Either", "Same", "Forest")
    assert pointers == {f"#/components/schemas/{n}" for n in names}, run


FLOAT_CONSTANTS = HEAD + textwrap.dedent(
    """\
    paths: {}
    components:
      schemas:
        Ratio: {type: number, enum: [0.5, 1.5]}
        Reading:
          type: object
          required: [scale]  # required: the client writes it (test_constants.py)
          properties:
            scale: {const: 2.5}
            ratio: {$ref: "#/components/schemas/Ratio"}
    """
)


def check_float_constants(pkg: ModuleType, run: CliRun) -> None:
    reading = _module(pkg, "models").Reading
    assert reading().to_dict() == {"scale": 2.5}
    assert reading.from_dict({"ratio": 1.5, "scale": 2.5}).ratio == 1.5


# Shapes the validator rejects but that do not stop a client being made.
ODD_SHAPES = HEAD + textwrap.dedent(
    """\
    servers:
      - {url: "https://{region}.api.test", variables: [region]}
    paths:
      /a:
        get:
          tags: {animals: true}
          responses:
            "200":
              description: ok
              content:
                application/json: [not, a, media, object]
    components:
      securitySchemes:
        token: [bearer]
      schemas:
        Pet:
          oneOf: [{$ref: "#/components/schemas/Cat"}, {type: string}]
          discriminator: {propertyName: kind, mapping: [cat]}
        Cat:
          allOf: [{properties: [kind]}, {type: object, properties: {kind: {type: string}}}]
    """
)


def check_odd_shapes(pkg: ModuleType, run: CliRun) -> None:
    assert run.warnings, "the validator should have reported these shapes"
    rec = Recorder(body={"x": 1})
    assert client(pkg, rec).a.get_a() == {"x": 1}


BARE_MAPPING_NAMES = HEAD + textwrap.dedent(
    """\
    paths: {}
    components:
      schemas:
        Pet:
          oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
          discriminator: {propertyName: kind, mapping: {cat: Cat, dog: "#/components/schemas/Dog"}}
        Cat:
          type: object
          required: [kind]
          properties: {kind: {type: string}, purrs: {type: boolean}}
        Dog:
          type: object
          required: [kind]
          properties: {kind: {type: string}, barks: {type: boolean}}
    """
)


def check_bare_mapping_names(pkg: ModuleType, run: CliRun) -> None:
    models = _module(pkg, "models")
    decode_pet = decoder(pkg, "Pet")
    assert isinstance(decode_pet({"kind": "cat"}), models.Cat)
    assert isinstance(decode_pet({"kind": "dog"}), models.Dog)


ONLY_AN_ENUM = 'openapi: "3.0.3"\npaths: {}\ncomponents:\n  schemas:\n    Color: {type: string, enum: [red, green], nullable: true}\n'


def check_only_an_enum(pkg: ModuleType, run: CliRun) -> None:
    assert _module(pkg, "models").Color("red").is_known
    assert pkg.Client.__doc__.startswith("API")  # no `info`: the title falls back


# Parameters named like what a generated method uses besides them: its `result`, the
# `warnings` module (deprecated), the pagination lambda's `p`, its own arguments.
METHOD_LOCALS = HEAD + textwrap.dedent(
    """\
    paths:
      /things:
        get:
          operationId: list
          deprecated: true
          x-polar-pagination: {type: page_limit}
          parameters:
            - {name: page, in: query, schema: {type: integer}}
            - {name: p, in: query, schema: {type: string}}
            - {name: result, in: query, schema: {type: string}}
            - {name: warnings, in: query, schema: {type: string}}
            - {name: self, in: query, schema: {type: string}}
            - {name: body, in: query, schema: {type: string}}
            - {name: request_options, in: query, schema: {type: string}}
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema:
                    type: object
                    required: [items, pagination]
                    properties:
                      items: {type: array, items: {type: string}}
                      pagination:
                        type: object
                        required: [max_page]
                        properties: {max_page: {type: integer}}
    """
)
LOCAL_NAMES = ["p", "result", "warnings", "self", "body", "request_options"]


def check_method_locals(pkg: ModuleType, run: CliRun) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        number = int(request.url.params.get("page", "1"))
        return httpx.Response(200, json={"items": [f"item{number}"], "pagination": {"max_page": 2}})

    seen: list[httpx.Request] = []
    c = pkg.Client("token", base_url="https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(page)))
    params = [p for p in inspect.signature(c.things.list).parameters if p not in ("page", "request_options")]
    assert len(params) == len(LOCAL_NAMES)
    args = {p: f"v-{p}" for p in params}
    with pytest.warns(DeprecationWarning):
        first = c.things.list(**args)
    assert first.items == ["item1"]
    with pytest.warns(DeprecationWarning):
        assert list(c.things.iter_list(**args)) == ["item1", "item2"]
    for request in seen:
        sent = dict(request.url.params)
        assert {k: v for k, v in sent.items() if k != "page"} == {n: sent[n] for n in LOCAL_NAMES}
        assert all(sent[n].startswith("v-") for n in LOCAL_NAMES)
    assert [r.url.params.get("page") for r in seen[1:]] == ["1", "2"]


PATH_LIKE_NAMES = json.dumps(
    {
        "openapi": "3.1.0",
        "info": {"title": "../../../title", "version": "../1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "../../op",
                    "tags": ["../../evil"],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/~1etc~1passwd"}}},
                        }
                    },
                }
            },
            "/b": {"get": {"operationId": "/abs/op", "tags": ["/etc"], "responses": {"204": {"description": "done"}}}},
            "/c": {
                "get": {
                    "operationId": "..",
                    "x-speakeasy-group": "../../x/..",
                    "responses": {"204": {"description": "done"}},
                }
            },
            "/d": {
                "get": {
                    "operationId": ".hidden",
                    "tags": ["a/../../b", ".", ".."],
                    "responses": {"204": {"description": "done"}},
                }
            },
        },
        "components": {
            "schemas": {
                name: {"type": "object", "properties": {"x": {"type": "string"}}}
                for name in (
                    "../../evil",
                    "/etc/passwd",
                    "a/b",
                    ".",
                    "..",
                    ".hidden",
                    "..\\..\\win",
                    "~",
                    "__init__",
                    "models",
                )
            }
        },
    }
)


def check_path_like_names(pkg: ModuleType, run: CliRun) -> None:
    root = Path(str(pkg.__file__)).parent
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        assert not path.is_symlink() and path.resolve().is_relative_to(root.resolve()), rel
        assert all(part not in (".", "..") and "\\" not in part for part in rel.parts), rel
        if path.suffix == ".py":
            assert path.stem.isidentifier(), rel
    models = _module(pkg, "models")
    assert len(models.__all__) == 10 and all(n.isidentifier() for n in models.__all__)


# YAML 1.1 would make `NO` and `off` booleans, the key `on` True, `200` an integer and
# `2024-01-01` a date (a TypeError later); read as YAML 1.2 / JSON they stay strings.
YAML_11_LOOKALIKES = HEAD + textwrap.dedent(
    """\
    paths:
      /settings:
        put:
          operationId: putSetting
          requestBody:
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Setting"}
          responses:
            200:
              description: ok
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Setting"}
    components:
      schemas:
        Country:
          type: string
          enum: [SE, NO, DK, on, off, yes]
        Setting:
          type: object
          required: [on, country]
          properties:
            on: {type: boolean}
            country: {$ref: "#/components/schemas/Country"}
            since: {type: string, format: date, example: 2024-01-01}
            at: {type: string, example: 2024-01-01T10:00:00Z}
            mode: {type: string, default: no}
            octal: {type: integer, default: 0o17}
    """
)


def check_yaml_11_lookalikes(pkg: ModuleType, run: CliRun) -> None:
    models = _module(pkg, "models")
    assert sorted(member.value for member in models.Country) == sorted(["SE", "NO", "DK", "on", "off", "yes"])
    setting = models.Setting.from_dict({"on": True, "country": "NO"})
    assert setting.country == models.Country("NO")
    assert setting.to_dict()["on"] is True and "True" not in setting.to_dict()
    recorder = Recorder({"on": False, "country": "off"})
    answer = client(pkg, recorder).settings.put_setting(body=setting)
    assert json.loads(recorder.requests[0].content)["on"] is True
    assert answer.country == models.Country("off") and answer.on is False
    doc = models.Setting.__doc__ or ""
    assert 'Server default: "no".' in doc and "Server default: 15." in doc  # a string; 0o17 in YAML 1.2
    assert 'Example: "2024-01-01".' in doc  # a date in YAML 1.1 (a TypeError then), text here


def test_yaml_is_read_with_json_semantics(tmp_path: Path) -> None:
    """The YAML 1.1 lookalikes stay strings at the source (keys included), 1.2 numbers hold."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        YAML_11_LOOKALIKES + "x-values: [2024-01-01, 12:30:00, NO, on, y, ~, 012, 0x1F, 1_000, 1e3, .5]\n", "utf-8"
    )
    data = load(spec).data
    assert data["components"]["schemas"]["Country"]["enum"] == ["SE", "NO", "DK", "on", "off", "yes"]
    assert list(data["paths"]["/settings"]["put"]["responses"]) == ["200"]
    assert "on" in data["components"]["schemas"]["Setting"]["properties"]
    assert data["x-values"] == ["2024-01-01", "12:30:00", "NO", "on", "y", None, 12, 31, "1_000", 1000.0, 0.5]


# Raw HTML in every docs context a spec's text reaches, and bidirectional controls that
# would make the text display differently from what it is (Trojan Source).
_HTML = ("<script>alert(1)</script>", "<iframe src=https://evil.test></iframe>", "<img src=x onerror=alert(1)>")
_IMG_IN_CODE = "`<img src=x onerror=alert(2)>`"
_ESCAPED_TICKS = "\\`<img src=x onerror=alert(3)>\\`"
_BIDI_TEXT = "admin\u202e\u2066 // check later\u2069\u202c"
HOSTILE_DOCS = json.dumps(
    {
        "openapi": "3.1.0",
        "info": {
            "title": f"Shop {_IMG_IN_CODE} {_ESCAPED_TICKS}",
            "version": "1 <script>v</script>",
            "description": "\n\n".join(_HTML)
            + f"\n\n{_BIDI_TEXT}\n\n<div>\n{_HTML[0]}\n</div>\n\n```html\n<b>code</b>\n```",
        },
        "tags": [{"name": "items", "description": f"Items {_HTML[1]}"}],
        "paths": {
            "/items/{id}": {
                "get": {
                    "operationId": "getItem",
                    "tags": ["items"],
                    "summary": f"Get {_IMG_IN_CODE} {_HTML[2]} {_ESCAPED_TICKS}",
                    "description": f"{_HTML[0]} {_BIDI_TEXT}",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "description": f"{_HTML[2]} | {_BIDI_TEXT}",
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "schema": {"type": "string", "example": _HTML[0], "default": _HTML[1]},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": f"{_HTML[1]} {_ESCAPED_TICKS}",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                        },
                        "404": {"description": _HTML[0]},
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Item": {
                    "type": "object",
                    "title": f"Item {_HTML[2]}",
                    "description": f"{_HTML[0]}\n{_BIDI_TEXT}\n{_ESCAPED_TICKS}",
                    "properties": {
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "note": {
                            "type": "string",
                            "description": f"{_HTML[1]} {_IMG_IN_CODE}",
                            "examples": [_HTML[2]],
                            "pattern": "<script>",
                        },
                    },
                },
                "Kind": {"type": "string", "enum": ["plain", _HTML[0], f"rtl{_BIDI_TEXT}"], "description": _HTML[2]},
            }
        },
    }
)
_BIDI_CHARS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def check_hostile_docs(pkg: ModuleType, run: CliRun) -> None:
    from markdown_it import MarkdownIt

    root = Path(str(pkg.__file__)).parent
    render = MarkdownIt("commonmark", {"html": True}).enable("table")  # as a static-site generator would
    pages = sorted(root.rglob("*.md"))
    assert len(pages) >= 4
    for page in pages:
        text = page.read_text("utf-8")
        html = render.render(text)
        tags = re.findall(r"<(?:script|iframe|img|div|b)\b[^>]*>", html, re.I)
        assert not tags, f"{page.relative_to(root)} renders raw HTML from the spec: {tags}"
    readme = (root / "README.md").read_text("utf-8")
    assert "alert(1)" in readme  # the text is there, shown as text
    for path in root.rglob("*"):
        if path.is_file():
            found = _BIDI_CHARS & set(path.read_text("utf-8"))
            assert not found, f"{path.relative_to(root)} holds bidi controls {found!r}"
    kind = _module(pkg, "models").Kind
    assert f"rtl{_BIDI_TEXT}" in {member.value for member in kind}  # wire values keep them (as \\u escapes)


# Names a Windows checkout cannot hold (device names, whatever the case and extension)
# and names longer than a file system allows (255 bytes).
_LONG = "Very" + "Long" * 80  # 324 characters
_DEVICE_NAMES = ["Con", "nul", "AUX", "prn", "com1", "LPT9"]
DEVICE_AND_LONG_NAMES = json.dumps(
    {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            f"/{name.lower()}/{i}": {
                "get": {
                    "operationId": name.lower() if i < len(_DEVICE_NAMES) else _LONG,
                    "tags": [name.lower()],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                        }
                    },
                }
            }
            for i, name in enumerate([*_DEVICE_NAMES, _LONG])
        },
        "components": {
            "schemas": {
                name: {"type": "object", "properties": {"v": {"type": "string"}}} for name in [*_DEVICE_NAMES, _LONG]
            }
        },
    }
)


def check_device_and_long_names(pkg: ModuleType, run: CliRun) -> None:
    root = Path(str(pkg.__file__)).parent
    reserved = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
    files = [p for p in root.rglob("*") if "__pycache__" not in p.parts]
    for path in files:
        assert path.name.split(".")[0].lower() not in reserved, path.relative_to(root)
        assert len(path.name.encode()) <= 255, path.relative_to(root)
    models = _module(pkg, "models")
    for name in ["Con", "Nul", "AUX", "Prn", "Com1", "LPT9", _LONG]:
        assert getattr(models, name).from_dict({"v": "x"}).v == "x"  # class names are not changed
    for page in root.rglob("*.md"):  # every link between pages leads to a page
        for target in re.findall(r"\]\(([^)#\s]+\.md)\)", page.read_text("utf-8")):
            assert (page.parent / target).resolve().is_file(), f"{page.relative_to(root)} -> {target}"


ACCEPTED: dict[str, Accepted] = {
    "ref-key-in-examples": Accepted(REF_IN_EXAMPLES, check_ref_in_examples),
    "ref-key-in-examples-3.0": Accepted(
        REF_IN_EXAMPLES.replace("openapi: 3.1.0", "openapi: 3.0.3"), check_ref_in_examples
    ),
    "duplicate-operation-ids": Accepted(DUPLICATE_OPERATION_IDS, check_duplicate_operation_ids, warns=("list",)),
    "path-templates": Accepted(PATH_TEMPLATES, check_path_templates),
    "odd-identifiers": Accepted(ODD_IDENTIFIERS, check_odd_identifiers),
    "enum-collisions": Accepted(ENUM_COLLISIONS, check_enum_collisions),
    "enum-10000-values": Accepted(ENUM_10K, check_enum_10k, suffix=".json"),
    "text-in-docstrings": Accepted(TEXT_IN_DOCS, check_text_in_docs),
    "names-that-close-literals": Accepted(BREAKOUT, check_breakout, suffix=".json"),
    "schemas-containing-themselves": Accepted(SELF_CONTAINING, check_self_containing, warns=("contains itself",)),
    "float-enum-and-const": Accepted(FLOAT_CONSTANTS, check_float_constants),
    "odd-shapes": Accepted(ODD_SHAPES, check_odd_shapes),
    "discriminator-mapping-by-name": Accepted(BARE_MAPPING_NAMES, check_bare_mapping_names),
    "only-an-enum-no-info": Accepted(ONLY_AN_ENUM, check_only_an_enum, warns=("info",)),
    "path-like-names": Accepted(PATH_LIKE_NAMES, check_path_like_names, suffix=".json"),
    "parameters-named-like-method-locals": Accepted(METHOD_LOCALS, check_method_locals),
    "yaml-1.1-lookalikes-stay-strings": Accepted(YAML_11_LOOKALIKES, check_yaml_11_lookalikes),
    "html-and-bidi-in-docs": Accepted(HOSTILE_DOCS, check_hostile_docs, suffix=".json"),
    "windows-device-and-overlong-names": Accepted(DEVICE_AND_LONG_NAMES, check_device_and_long_names, suffix=".json"),
}


def package_of(case: str) -> str:
    return "bad_" + re.sub(r"\W", "_", case)


@dataclass
class Generated:
    out: Path
    runs: dict[str, CliRun] = field(default_factory=dict)
    imports: dict[str, list[str]] = field(default_factory=dict)
    mypy: dict[str, list[str]] = field(default_factory=dict)
    mypy_output: str = ""


BIG = "enum-10000-values"  # mypy alone takes seconds on it: checked beside the rest


@pytest.fixture(scope="module")
def accepted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    """Every accepted case generated through the CLI, then imported in one interpreter and
    type-checked in one mypy run (the big enum in a second run, alongside)."""
    work = tmp_path_factory.mktemp("accepted")
    found = Generated(work / "out")

    def generate(case: str) -> CliRun:
        path = work / f"{case}{ACCEPTED[case].suffix}"
        path.write_text(ACCEPTED[case].text, "utf-8")
        return cli_generate(path, found.out, package_of(case), cwd=work, cache=work / "cache", timeout=300)

    def big() -> tuple[CliRun, dict[str, list[str]]]:
        run = generate(BIG)
        return run, (mypy_strict(found.out, [package_of(BIG)])[0] if run.code == 0 else {})

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(big)
        found.runs = {case: generate(case) for case in ACCEPTED if case != BIG}
        ok = [package_of(c) for c, r in found.runs.items() if r.code == 0]
        found.mypy, found.mypy_output = mypy_strict(found.out, ok) if ok else ({}, "")
        found.runs[BIG], big_mypy = pending.result()
    for key, errors in big_mypy.items():
        found.mypy.setdefault(key, []).extend(errors)
    ok = [package_of(c) for c, r in found.runs.items() if r.code == 0]
    found.imports = import_everything(found.out, ok)
    sys.path.insert(0, str(found.out))
    yield found
    sys.path.remove(str(found.out))
    for name in [m for m in sys.modules if m.split(".")[0] in ok]:
        del sys.modules[name]


@pytest.mark.slow  # mypy --strict over every accepted case (a 10,000-value enum among them)
@pytest.mark.parametrize("case", list(ACCEPTED), ids=list(ACCEPTED))
def test_accepted_generates_imports_and_type_checks(case: str, accepted: Generated) -> None:
    spec, run, package = ACCEPTED[case], accepted.runs[case], package_of(case)
    assert run.code == 0 and not run.crashed, run
    assert not [line for line in run.stderr.splitlines() if line.startswith("error")], run
    for want in spec.warns:
        assert any(want in w for w in run.warnings), f"no warning mentions {want!r}:\n{run}"
    assert accepted.imports.get(package) == [], accepted.imports.get(package)
    assert package not in accepted.mypy and "" not in accepted.mypy, "\n".join(
        accepted.mypy.get(package) or accepted.mypy.get("", [])
    )
    if spec.check is not None:
        spec.check(importlib.import_module(package), run)


@pytest.mark.slow  # mypy --strict over every accepted case (a 10,000-value enum among them)
def test_accepted_cases_write_only_their_own_packages(accepted: Generated) -> None:
    """Names made of `..` and `/` (components, tags, groups, operations) stay names."""
    assert sorted(p.name for p in accepted.out.iterdir()) == sorted(
        package_of(c) for c, r in accepted.runs.items() if r.code == 0
    )
    work = accepted.out.parent
    assert {p.name for p in work.iterdir()} == {"out", "cache"} | {f"{c}{spec.suffix}" for c, spec in ACCEPTED.items()}


def test_a_long_ref_chain_is_followed(tmp_path: Path) -> None:
    """300 components each referring to the next: deeper than Python's default recursion
    limit allows the builder to go, yet a valid spec (checked at the IR: emitting 600
    files would cost seconds)."""
    spec = tmp_path / "chain.json"
    spec.write_text(_ref_chain(300), "utf-8")
    api, warnings = build_api(Spec(load(spec)))
    assert len(api.models) == 301 and not warnings
    assert sys.getrecursionlimit() < 10_000  # the builder's headroom is given back
