"""Real documents with one to three values broken: a package or a clear error, never a crash.

Each case takes one of the readme examples (tests/corpus/test_corpus.py fetches the pinned
package), and, with a random generator seeded by the case's number, swaps values for
another JSON type (a number, a string, a list, a mapping, a boolean, null, a `$ref` to
nowhere), deletes keys, or renames keys to odd names (`1`, `null`, `../x`, a keyword).
The result goes through the whole pipeline in this process (validator off: its verdict is
only reported). It must either give a package whose every module compiles, or stop with
a `SpecError` (the CLI's exit 2 with file, line and pointer); any other exception is a
generator bug.

This is how the tracebacks of `tests/test_wrong_types.py` were found (about 2,000 cases
through the CLI, on these documents and on small APIs.guru specs); 7 of the 120 fixed
cases here failed before those fixes. About 40 s on the 2-core machine.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_corpus import OAS_EXAMPLES, OPENAPI_3, fetch

from generator.config import Job
from generator.diagnostics import SpecError
from generator.pipeline import generate

pytestmark = pytest.mark.slow  # the corpus is fetched with npm

CASES = 120
_VALUES: list[Any] = [None, 42, -1, 3.5, "x", "", [], {}, True, {"$ref": "#/nope"}, {"type": "wat"}, ["a"], {"a": 1}]
_KEYS: list[Any] = [1, None, True, "", "a b", "../x", "x/y", "class", "0", "__init__", "é", "-", "$ref", "x-y"]


def _nodes(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _nodes(value, (*path, i))


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def mutate(doc: dict[str, Any], rng: random.Random) -> str:
    """Break one thing in `doc` (in place); says what."""
    if rng.random() < 0.2:
        mappings = [p for p, v in _nodes(doc) if isinstance(v, dict) and v]
        where = rng.choice(mappings)
        node = _at(doc, where)
        old, new = rng.choice(list(node)), rng.choice(_KEYS)
        node[new] = node.pop(old)
        return f"rename {where}/{old!r} to {new!r}"
    path = rng.choice([p for p, _ in _nodes(doc) if p])
    parent = _at(doc, path[:-1])
    if rng.random() < 0.25 and isinstance(parent, dict):
        del parent[path[-1]]
        return f"delete {path}"
    value = copy.deepcopy(rng.choice(_VALUES))
    parent[path[-1]] = value
    return f"set {path} to {value!r}"


@pytest.fixture(scope="module")
def documents() -> list[tuple[str, dict[str, Any]]]:
    folder = fetch(OAS_EXAMPLES)
    return [(name, json.loads((folder / name).read_text("utf-8"))) for name in OPENAPI_3]


@pytest.mark.parametrize("case", range(CASES))
def test_a_broken_document_gives_a_package_or_a_clear_error(
    case: int, documents: list[tuple[str, dict[str, Any]]], tmp_path: Path
) -> None:
    rng = random.Random(case)
    name, original = rng.choice(documents)
    doc = copy.deepcopy(original)
    done = [mutate(doc, rng) for _ in range(rng.randint(1, 3))]
    spec = tmp_path / "spec.yaml"  # YAML: a mapping key may be a number, a boolean or null there
    spec.write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
    try:
        result = generate(Job(spec, tmp_path / "out", "pkg"), run_validator=False, use_cache=False)
    except SpecError:
        return  # refused with a located, readable error
    except Exception as exc:  # any other exception is the bug under test
        pytest.fail(f"{name} after {done}: {type(exc).__name__}: {exc}")
    for path, data in result.files.items():
        if path.endswith(".py"):
            compile(data, f"{name} after {done}: {path}", "exec")
