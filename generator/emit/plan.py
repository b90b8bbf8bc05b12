"""Which IR item goes into which generated module.

One module per model, enum or alias keeps imports lazy (a client for a 1,000-schema spec
loads only what a call needs). Schemas that refer to each other in a cycle share one
module, so the import graph between modules stays acyclic.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import naming
from ..ir import model as m
from ..ir.types import referenced


@dataclass(frozen=True)
class ModulePlan:
    module: str  # file stem under models/
    names: tuple[str, ...]  # symbols defined there, in dependency order


@dataclass(frozen=True)
class SchemaGraph:
    """Which named schemas each one refers to, and the graph's strongly connected
    components, dependencies first (module plans and input digests both use them)."""

    deps: dict[str, list[str]]
    components: list[list[str]]


def schema_graph(api: m.Api) -> SchemaGraph:
    deps: dict[str, list[str]] = {}
    for model in api.models:
        fields = [f.type for f in model.fields] + [model.additional]  # additionalProperties refer too
        deps[model.name] = sorted({n for ty in fields for n in referenced(ty)})
    for enum in api.enums:
        deps[enum.name] = []
    for alias in api.aliases:
        deps[alias.name] = sorted(set(referenced(alias.type)))
    return SchemaGraph(deps, strongly_connected(sorted(deps), deps))


def plan_models(api: m.Api, graph: SchemaGraph | None = None) -> tuple[list[ModulePlan], dict[str, str]]:
    """Group symbols into modules (strongly connected components) and name the modules."""
    components = (graph or schema_graph(api)).components
    modules = naming.Namespace({"__init__"})
    plans = []
    where: dict[str, str] = {}
    for members in components:
        stem = modules.claim(naming.module_name(members[0]))
        plans.append(ModulePlan(stem, tuple(members)))
        for name in members:
            where[name] = stem
    plans.sort(key=lambda p: p.module)
    return plans, where


def strongly_connected(nodes: list[str], deps: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components come out dependencies first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            edges = [d for d in deps.get(node, []) if d in deps]
            if i < len(edges):
                work.append((node, i + 1))
                nxt = edges[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                out.append(sorted(comp))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out
