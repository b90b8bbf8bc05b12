"""No private attribute of any dependency anywhere in the generator or the runtime it ships.

A private name (`_x`, not a dunder) read as an attribute, or through getattr/hasattr with a
constant name, must be one this code base defines itself: anything else belongs to a
library (`ProcessPoolExecutor._processes`, jsonschema's `_resolver`, ...) and breaks when
the library renames it.
"""

from __future__ import annotations

import ast

from helpers import ROOT

SOURCES = sorted((ROOT / "generator").rglob("*.py")) + sorted((ROOT / "templates" / "python" / "runtime").glob("*.py"))
# Public despite the underscore (documented as such): os._exit, and the enum module's
# supported _sunder_ names (https://docs.python.org/3/library/enum.html#supported-sunder-names).
DOCUMENTED = {"_exit", "_name_", "_value_", "_missing_", "_generate_next_value_", "_ignore_", "_order_"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _defined(trees: list[ast.AST]) -> set[str]:
    """Every private name the code base itself defines (functions, classes, attributes,
    variables, parameters, import aliases)."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                names.update(a.asname or a.name for a in node.names)
    return {n for n in names if _private(n)}


def _reads(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            found.append((node.lineno, node.attr))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            found.append((node.lineno, node.args[1].value))
    return found


def test_no_private_attribute_of_a_dependency() -> None:
    trees = {path: ast.parse(path.read_text("utf-8"), str(path)) for path in SOURCES}
    ours = _defined(list(trees.values()))
    foreign = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path, tree in trees.items()
        for line, name in _reads(tree)
        if name not in ours | DOCUMENTED
    ]
    assert foreign == []


def test_the_check_finds_a_private_attribute_of_a_library() -> None:
    """The check itself: the line the review found in pipeline.py would be caught."""
    tree = ast.parse('processes = list((getattr(self.pool, "_processes", None) or {}).values())\nx = pool._broken\n')
    found = {name for _, name in _reads(tree) if name not in _defined([ast.parse("def _ours(): pass")])}
    assert found == {"_processes", "_broken"}
