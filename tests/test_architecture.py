"""The shape of the generator's code: layers point one way, no import cycles, no private
API of a dependency, the spec read through `Spec` alone.

These read the generator's own source (ast), so they fail on the commit that breaks a
rule, with the module and line that broke it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

from helpers import ROOT

from generator.emit.plan import strongly_connected

PACKAGE = ROOT / "generator"


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the generator package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(generator module imported, line) for every import in `path`, local ones included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target in modules and target != name and not name.startswith(target + "."):
                yield target, node.lineno


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {target for target, _ in _imports(name, path, modules)} for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (the generator's own
    Tarjan, which also groups mutually referring schemas into one module)."""
    components = strongly_connected(sorted(graph), {name: sorted(deps) for name, deps in graph.items()})
    return [c for c in components if len(c) > 1]


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_among_the_generators_modules() -> None:
    graph = _graph()
    assert len(graph) > 30  # every module was found
    assert _cycles(graph) == []


# Which stages a layer may not import: data flows load -> normalise -> build IR -> emit.
FORBIDDEN = {
    "generator.ir": (
        "generator.builder",
        "generator.emit",
        "generator.normalize",
        "generator.load",
        "generator.render",
    ),
    "generator.builder": (
        "generator.emit",
        "generator.render",
        "generator.format",
        "generator.write",
        "generator.pipeline",
    ),
    "generator.emit": ("generator.builder", "generator.normalize", "generator.load", "generator.validate"),
}


def test_layers_point_one_way() -> None:
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        for layer, forbidden in FORBIDDEN.items():
            if name == layer or name.startswith(layer + "."):
                for target, line in _imports(name, path, modules):
                    if target.startswith(forbidden):
                        wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert wrong == []


def test_the_builder_reads_the_document_only_through_spec() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sorted((PACKAGE / "builder").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.doc\.data\b|\.doc\.raw\b", line)
    ]
    assert wrong == []


# -- no private attribute of any dependency ------------------------------------------------

# Seen in earlier versions; named so that a reviewer finds them in this test. The
# generator itself uses none of these names, for anything.
KNOWN_PRIVATE = ("_get_schema_checker", "_validate_schema_meta", "_resolver", "_processes")
PRIVATE = re.compile(r"_[a-z]")
# Public, documented functions whose names start with an underscore.
DOCUMENTED = {("os", "_exit")}


def _own_private_names() -> tuple[set[str], set[str]]:
    """Every `_name` the generator itself defines (functions, attributes, imports,
    parameters), and the parameters among them."""
    names: set[str] = set()
    params: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                params.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.rpartition(".")[2])
    return {n for n in names | params if PRIVATE.match(n)}, {n for n in params if PRIVATE.match(n)}


def _private_uses(tree: ast.AST, own: set[str], own_params: set[str]) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        # `obj._x` where the generator never defines `_x`: it belongs to a dependency
        if isinstance(node, ast.Attribute) and PRIVATE.match(node.attr):
            if isinstance(node.value, ast.Name) and (node.value.id, node.attr) in DOCUMENTED:
                continue
            if node.attr not in own:
                yield node.lineno, f".{node.attr}"
            # `super()._x(...)`: a parent's private method (the generator's classes do not
            # inherit private methods from one another, so the parent is a dependency's)
            elif (
                isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id == "super"
            ):
                yield node.lineno, f"super().{node.attr}"
        # `f(_x=...)`: a private parameter of someone else's function
        if isinstance(node, ast.keyword) and node.arg and PRIVATE.match(node.arg) and node.arg not in own_params:
            yield node.lineno, f"{node.arg}="
        # `getattr(obj, "_x")` and friends
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr", "delattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and PRIVATE.match(node.args[1].value)
            and node.args[1].value not in own
        ):
            yield node.lineno, f"{node.func.id}(..., {node.args[1].value!r})"


def test_the_private_attribute_finder_finds_them() -> None:
    tree = ast.parse(
        "import jsonschema\n"
        "x = pool._processes\n"
        "v = V(schema, _resolver=r)\n"
        "p = getattr(pool, '_processes', None)\n"
        "class A(jsonschema.Validator):\n"
        "    def _own(self): return super()._own()\n"
    )
    found = sorted(what for _, what in _private_uses(tree, {"_own"}, set()))
    assert found == ["._processes", "_resolver=", "getattr(..., '_processes')", "super()._own"]


def test_no_private_attribute_of_a_dependency() -> None:
    own, own_params = _own_private_names()
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        for n, line in enumerate(source.splitlines(), 1):
            for name in KNOWN_PRIVATE:
                if re.search(rf"\b{name}\b", line):
                    wrong.append(f"{where}:{n}: {name}")
        wrong += [f"{where}:{n}: {what}" for n, what in _private_uses(ast.parse(source), own, own_params)]
    assert sorted(set(wrong)) == []


def test_no_class_overrides_a_private_method_of_a_dependency() -> None:
    wrong = []
    for name in _modules():
        if name.endswith("__main__"):
            continue  # runs the command line
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != name:
                continue
            foreign = [
                base for base in cls.__mro__[1:] if not base.__module__.startswith("generator") and base is not object
            ]
            for attr, value in vars(cls).items():
                method = inspect.isfunction(value) or isinstance(value, (property, classmethod, staticmethod))
                if method and PRIVATE.match(attr) and any(attr in vars(base) for base in foreign):
                    wrong.append(f"{name}.{cls.__name__}.{attr} overrides {attr} of a dependency")
    assert wrong == []
