"""Spec text never becomes code: escaped in docstrings and literals, sanitised in names.

Each payload below tries to break out of one quoting context (a docstring, a string
literal, a line, a Jinja template, a format string) and then create a marker file. It is
placed everywhere spec text lands: titles, descriptions and summaries of the API,
models, fields, enums, aliases, operations, parameters, bodies and responses; property,
parameter, component, tag, group, operation and server names; enum values, constants,
defaults and examples; server URLs; webhook event names; discriminator values. The
package README and docs receive all of it too.

For every payload the generated package must:
- generate (exit 0, no traceback), import completely, pass `mypy --strict`, and the
  marker must not exist afterwards, nor after calling an operation with every argument;
- contain no `__import__` (nor a call of exec/eval/compile) in its modules, nor in the
  Python samples of its README and docs (escaped text that ran only inside a method body
  would not show up at import time);
- still carry the text where it belongs, unchanged: docstrings read it back, enum
  members and constants hold it, property and parameter names reach the wire exactly.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import json
import keyword
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from output_checks import import_everything, mypy_strict

from generator.builder.operations import split_path_key
from generator.config import Job
from generator.naming import literal
from generator.pipeline import generate
from generator.write import write_package

MARK = "@MARKER@"  # replaced by the marker file's path

PAYLOADS: dict[str, str] = {
    "close-docstring": f'"""\n__import__("pathlib").Path(r"{MARK}").touch()\n"""',
    "backslash-before-quotes": f'\\"""; __import__("pathlib").Path(r"{MARK}").touch(); """\\',
    "single-triple-quotes": f"'''; __import__('pathlib').Path(r'{MARK}').touch(); '''",
    "close-double-literal": f'"); __import__("pathlib").Path(r"{MARK}").touch(); ("',
    "close-single-literal": f"'); __import__('pathlib').Path(r'{MARK}').touch(); ('",
    "trailing-backslash": f'"; __import__("pathlib").Path(r"{MARK}").touch() #\\',
    "newline": f'\n__import__("pathlib").Path(r"{MARK}").touch()\n#',
    "other-line-breaks": f'\r\u2028\x0c\x0b\x85__import__("pathlib").Path(r"{MARK}").touch()\u2029\r\n',
    "jinja": '{{ self.__init__.__globals__.__builtins__.__import__("pathlib").Path("'
    + MARK
    + '").touch() }}{% if 1 %}x{% endif %}',
    "format-string": '{__import__("pathlib").Path("' + MARK + '").touch()}',
}


def spec_for(p: str) -> dict[str, Any]:
    """A document with the payload `p` in every place spec text can land."""
    # In a path, braces are a template and control characters no valid URL: the rest stays.
    in_path = "".join(c for c in p if c.isprintable()).replace("{", "(").replace("}", ")")
    string = {"type": "string"}
    return {
        "openapi": "3.1.0",
        "info": {"title": p, "version": p, "description": p},
        "servers": [
            {"url": "https://api.test/" + p, "description": p},
            {"url": "https://sandbox.test/", "x-speakeasy-server-id": p},
        ],
        "security": [{"token": []}],
        "tags": [{"name": p, "description": p}],
        "paths": {
            "/items/{id}/" + in_path: {
                "post": {
                    "operationId": p,
                    "summary": p,
                    "description": p,
                    "tags": [p],
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": string,
                            "description": p,
                            "example": p,
                        },
                        {
                            "name": "qqq" + p,
                            "in": "query",
                            "description": p,
                            "schema": {"type": "string", "default": p, "examples": [p]},
                        },
                        {"name": "ccc" + p, "in": "cookie", "schema": string},
                        {"name": "hhh" + p, "in": "header", "schema": string},
                    ],
                    "requestBody": {
                        "description": p,
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Model"}, "example": {p: p}}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": p,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Model"},
                                    "example": {p: p},
                                }
                            },
                        },
                        "404": {
                            "description": p,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                        },
                    },
                }
            },
            "/grouped": {
                "get": {
                    "operationId": "grouped",
                    "x-speakeasy-group": p + "." + p,
                    "x-speakeasy-name-override": p,
                    "responses": {
                        "200": {
                            "description": p,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                        }
                    },
                }
            },
        },
        "webhooks": {
            p: {
                "post": {
                    "description": p,
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Titled"}}}
                    },
                    "responses": {"200": {"description": p}},
                }
            }
        },
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer", "description": p}},
            "schemas": {
                "Model": {
                    "title": p,
                    "description": p,
                    "type": "object",
                    "examples": [{p: p}],
                    "properties": {
                        p: {"type": "string", "title": p, "description": p, "default": p, "examples": [p]},
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        # defaulted to itself: the client writes it (an optional constant without
                        # the default is the caller's to send, test_constants.py)
                        "fixed": {"const": p, "default": p},
                        "extra": {"type": "object", "additionalProperties": {"type": "string"}, "description": p},
                    },
                },
                "Titled": {"title": p, "type": "object", "properties": {"a": string}},
                "Kind": {"type": "string", "description": p, "enum": [p, "plain", p + p]},
                "Words": {"type": "array", "items": string, "description": p},
                "Problem": {"type": "object", "description": p, "properties": {"detail": string}},
                p: {"type": "object", "description": p, "properties": {"x": string}},
                "Pet": {
                    "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {
                        "propertyName": p,
                        "mapping": {p: "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
                    },
                    "description": p,
                },
                "Cat": {"type": "object", "required": [p], "properties": {p: string, "purrs": {"type": "boolean"}}},
                "Dog": {"type": "object", "required": [p], "properties": {p: string, "barks": {"type": "boolean"}}},
            },
        },
    }


def package_of(case: str) -> str:
    return "inj_" + re.sub(r"\W", "_", case)


@dataclass
class Generated:
    root: Path
    marker: Path
    payloads: dict[str, str]  # case -> the payload with the marker's path in it
    failures: dict[str, str | None] = field(default_factory=dict)  # case -> traceback of a failed generation
    imports: dict[str, list[str]] = field(default_factory=dict)
    mypy: dict[str, list[str]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    """One package per payload, generated in-process (the pipeline and the writer the CLI
    runs; test_bad_input.py covers the CLI itself), then imported in one interpreter and
    type-checked in one mypy run."""
    work = tmp_path_factory.mktemp("injection")
    marker = work / "PWNED"
    found = Generated(work / "out", marker, {case: p.replace(MARK, str(marker)) for case, p in PAYLOADS.items()})
    for case, payload in found.payloads.items():
        spec = work / f"{case}.json"
        spec.write_text(json.dumps(spec_for(payload)), "utf-8")
        try:
            result = generate(Job(spec, found.root, package_of(case)), run_validator=False, use_cache=False)
            write_package(found.root, package_of(case), result.files)
            found.failures[case] = None
        except Exception:  # recorded: the case's own tests fail with it
            found.failures[case] = traceback.format_exc()
    ok = [package_of(c) for c, failure in found.failures.items() if failure is None]
    if ok:
        found.imports = import_everything(found.root, ok)
        found.mypy, _ = mypy_strict(found.root, ok)
    sys.path.insert(0, str(found.root))
    yield found
    sys.path.remove(str(found.root))
    for name in [m for m in sys.modules if m.split(".")[0] in ok]:
        del sys.modules[name]


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _forbidden_calls(tree: ast.AST) -> list[str]:
    """What in `tree` would run a payload: any `__import__`, or a call of exec/eval/compile.

    (Sanitised names may well read `touch` or `path`: an identifier made from spec text is
    fine; `__import__` cannot be one, since generated names never start with `_`.)
    """
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "__import__":
            out.append(f"line {node.lineno}: __import__")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("exec", "eval", "compile")
        ):
            out.append(f"line {node.lineno}: {node.func.id}()")
    return out


_FENCE = re.compile(r"^(`{3,})python\n(.*?)\n\1$", re.S | re.M)
# hand-written runtime files, copied unchanged (_codec.py compiles model codecs from synthesized
# names only: tests/test_codec_tables.py checks that no spec text reaches that source)
_VERBATIM = ("_runtime.py", "_codec.py", "errors.py")


# -- every payload: generates, imports, type-checks, runs nothing -----------------------


@pytest.mark.parametrize("case", list(PAYLOADS), ids=list(PAYLOADS))
def test_payload_generates_imports_type_checks_and_never_runs(case: str, generated: Generated) -> None:
    package = package_of(case)
    assert generated.failures[case] is None, generated.failures[case]
    assert generated.imports.get(package) == [], generated.imports.get(package)
    assert package not in generated.mypy and "" not in generated.mypy, "\n".join(
        generated.mypy.get(package) or generated.mypy.get("", [])
    )
    assert not generated.marker.exists(), "importing the package ran spec text"


@pytest.mark.parametrize("case", list(PAYLOADS), ids=list(PAYLOADS))
def test_no_module_or_sample_contains_the_payload_as_code(case: str, generated: Generated) -> None:
    root = generated.root / package_of(case)
    assert generated.failures[case] is None, generated.failures[case]
    found = []
    modules = [p for p in sorted(root.rglob("*.py")) if p.relative_to(root).as_posix() not in _VERBATIM]
    assert len(modules) > 8
    for path in modules:
        found += [f"{path.relative_to(root)} {hit}" for hit in _forbidden_calls(ast.parse(path.read_text("utf-8")))]
    docs = [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
    samples = 0
    for path in docs:
        for match in _FENCE.finditer(path.read_text("utf-8")):
            samples += 1
            tree = ast.parse(match.group(2))  # every sample is valid Python
            found += [f"{path.relative_to(root)} {hit}" for hit in _forbidden_calls(tree)]
    assert samples >= 4, "the README and docs should carry Python samples"
    assert found == []
    # The text did reach the package and its docs, as text.
    marker = str(generated.marker)
    assert all(marker in p.read_text("utf-8") for p in (root / "__init__.py", root / "client.py", root / "README.md"))


# -- the text is kept, where it belongs ----------------------------------------------


def _import(case: str, name: str = "") -> ModuleType:
    return importlib.import_module(package_of(case) + (f".{name}" if name else ""))


def _post_method(client: Any) -> Any:
    """The operation with a body: its group (nested, as the payload holds dots) and its
    name are made from the payload, so it is found by walking the services."""
    todo = [client]
    while todo:
        obj = todo.pop()
        for name, value in vars(type(obj)).items():
            if isinstance(value, functools.cached_property):
                todo.append(getattr(obj, name))
            elif (
                obj is not client
                and not name.startswith("_")
                and inspect.isfunction(value)
                and "body" in inspect.signature(value).parameters
            ):
                return getattr(obj, name)
    raise AssertionError("no operation with a body")


def _strings(module: ModuleType) -> list[str]:
    """Every string constant of a module's source, docstrings of module-level names included."""
    tree = ast.parse(Path(str(module.__file__)).read_text("utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def check_docstrings(p: str, case: str) -> None:
    pkg, models = _import(case), _import(case, "models")
    want = _words(p)
    assert want in _words(pkg.__doc__)  # the title
    assert want in _words(pkg.Client.__doc__)  # the description and the security scheme's
    for name in ("Model", "Titled", "Kind", "Problem"):
        assert want in _words(getattr(models, name).__doc__), name
    assert _words(json.dumps(p, ensure_ascii=False)) in _words(models.Model.__doc__)  # the field default and example
    alias_module = _import(case, f"models.{models._WHERE['Words']}")
    assert any(want in _words(text) for text in _strings(alias_module))  # a type alias's docstring
    method = _post_method(pkg.Client("t", base_url="https://x.test"))
    # summary, description, path and query parameters, body, 200 and 404 responses
    assert _words(method.__doc__).count(want) >= 5


def check_values(p: str, case: str) -> None:
    pkg, models = _import(case), _import(case, "models")
    assert pkg.__version__ == p
    client = _import(case, "client")
    assert "https://api.test/" + p in client.SERVERS.values()
    assert all(name.isidentifier() and name.isascii() for name in client.SERVERS)
    kind = models.Kind
    assert [m.value for m in kind] == [p, "plain", p + p] and kind(p).is_known
    model = models.Model.from_dict({p: p, "kind": p, "extra": {p: p}, "fixed": p})
    assert model.to_dict() == {p: p, "kind": p, "fixed": p, "extra": {p: p}}
    assert models.Model().to_dict() == {"fixed": p}  # the constant is the default, sent as is
    pet = models.Cat.from_dict({p: p})
    assert pet.to_dict() == {p: p}


def check_names(p: str, case: str) -> None:
    pkg, models = _import(case), _import(case, "models")
    for name in models.__all__:
        assert name.isidentifier() and name.isascii() and not keyword.iskeyword(name), name
    client = pkg.Client("t", base_url="https://x.test")
    attributes = [a for a in vars(type(client)) if not a.startswith("_")]
    assert all(a.isidentifier() and a.isascii() and not keyword.iskeyword(a) for a in attributes), attributes
    webhooks = _import(case, "webhooks")
    assert literal(p) in (webhooks.__doc__ or "") or _words(literal(p)) in _words(webhooks.__doc__)


def check_request(p: str, case: str) -> None:
    pkg, models = _import(case), _import(case, "models")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={p: p})

    client = pkg.Client(
        "t", base_url="https://x.test", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    method = _post_method(client)
    params = inspect.signature(method).parameters
    query = next(n for n in params if n.startswith("qqq"))
    cookie = next(n for n in params if n.startswith("ccc"))
    result = method("the id", models.Model.from_dict({p: p}), **{query: p, cookie: p})
    assert result.to_dict() == {p: p, "fixed": p}  # the constant, defaulted when absent
    sent = seen[0]
    assert dict(sent.url.params) == {"qqq" + p: p}
    assert sent.headers["cookie"] == f"{quote('ccc' + p, safe='')}={quote(p, safe='')}"
    assert json.loads(sent.content) == {p: p, "fixed": p}
    assert sent.url.raw_path.decode().startswith("/items/the%20id/")
    in_path = "".join(c for c in p if c.isprintable()).replace("{", "(").replace("}", ")")
    # a `#` in a path key starts a fragment, which HTTP never sends (test_path_keys.py)
    assert httpx.URL(sent.url.raw_path.decode()).path == "/items/the id/" + split_path_key(in_path)[0]
    decode_pet = _import(case, f"models.{models._WHERE['Pet']}").decode_Pet
    assert isinstance(decode_pet({p: p}), models.Cat)  # the discriminator value, as a literal


CHECKS: dict[str, Callable[[str, str], None]] = {
    "docstrings": check_docstrings,
    "values": check_values,
    "names": check_names,
    "request": check_request,
}


@pytest.mark.parametrize("check", list(CHECKS), ids=list(CHECKS))
@pytest.mark.parametrize("case", list(PAYLOADS), ids=list(PAYLOADS))
def test_the_text_arrives_unchanged(case: str, check: str, generated: Generated) -> None:
    assert generated.failures[case] is None, generated.failures[case]
    CHECKS[check](generated.payloads[case], case)
    assert not generated.marker.exists()
