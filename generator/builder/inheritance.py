"""OpenAPI's inheritance: a component schema with a `discriminator` (and no `oneOf` /
`anyOf` of its own) is the base of the components that `allOf` it, directly or through
each other (`Lion: allOf [Cat]`, `Cat: allOf [Pet]`). A value typed as such a schema is
any of its subtypes, told apart by the tag property, or the schema itself for a tag none
of them has (a subtype the client does not know yet).

This module only reads the document: which schemas form a family, each member's tag
values, and which subtypes end a hierarchy (their tag is a constant). The schema builder
turns a family into a union (`builder/schemas.py`).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from ..diagnostics import SpecError, child
from ..normalize import Spec, fold_schema
from . import vendor
from .unions import mapping_ref

_COMPONENTS = "#/components/schemas"
# subtypes listed across all families (each schema with subtypes is a union of all of
# them): real specs list under 300 (Azure's servicefabric 289, bitbucket's 167); an
# inheritance chain thousands deep would list millions
MAX_MEMBERS = 10_000


@dataclass(frozen=True, slots=True)
class Family:
    """A schema with subtypes: `members` are each subtype's pointer and tag values, in
    document order, then the schema's own (last: it takes any other tag)."""

    name: str  # the component's key
    property: str
    members: tuple[tuple[str, tuple[str, ...]], ...]


class Hierarchy:
    """The inheritance families of a document's component schemas."""

    def __init__(self, spec: Spec) -> None:
        components = spec.component_schemas()
        keys = {child(_COMPONENTS, key): str(key) for key in components}
        schemas = {ptr: fold_schema(components[key]) for ptr, key in keys.items() if isinstance(components[key], dict)}
        self._parents: dict[str, list[str]] = {}
        for ptr, s in schemas.items():
            refs = [part.get("$ref") for part in s.get("allOf") or [] if isinstance(part, dict)]
            parents = [r for r in refs if isinstance(r, str) and r in schemas and r != ptr]
            if parents:
                self._parents[ptr] = parents
        # bases: the tag's key; and the values each `mapping` of a component gives, by key
        # (a base's, or a `oneOf`'s that lists subtypes: a constant tag must agree with it)
        self._tag_key: dict[str, str] = {}
        mapped: dict[tuple[str, str], list[str]] = {}
        for ptr, s in schemas.items():
            prop = _tag_key(spec, s, ptr)
            if prop is not None:
                self._tag_key[ptr] = prop
            d = s.get("discriminator")
            if not isinstance(d, dict) or not isinstance(d.get("propertyName"), str):
                continue
            prop, mapping = d["propertyName"], d.get("mapping")
            for value, ref in (mapping if isinstance(mapping, dict) else {}).items():
                target = mapping_ref(spec, ref) if isinstance(ref, str) else None
                if target in schemas:
                    named = mapped.setdefault((prop, target), [])
                    if str(value) not in named:
                        named.append(str(value))
        order = {ptr: i for i, ptr in enumerate(schemas)}
        children: dict[str, list[str]] = {}
        for ptr, parents in self._parents.items():
            for p in parents:
                children.setdefault(p, []).append(ptr)
        self.families: dict[str, Family] = {}
        self.subtypes: set[str] = set()  # schemas an inherited tag governs: always merged
        self.leaf_tags: dict[str, tuple[str, str]] = {}  # a last subtype's tag: (key, its one value)
        self.left_out: list[str] = []  # schemas with subtypes past MAX_MEMBERS: read as themselves

        def tags_of(prop: str, ptr: str) -> tuple[str, ...]:
            named = mapped.get((prop, ptr))
            if named:
                return tuple(named)
            ms = vendor.discriminator_value(schemas[ptr])
            return (ms if ms is not None else keys[ptr],)

        inherited = self._inherited(children)
        budget = MAX_MEMBERS
        for ptr in schemas:
            tag = inherited.get(ptr)
            if tag is not None:
                self.subtypes.add(ptr)
                if ptr not in children:
                    tags = tags_of(tag, ptr)
                    if len(tags) == 1:
                        self.leaf_tags[ptr] = (tag, tags[0])
            prop = self._tag_key.get(ptr) or tag
            if prop is None or ptr not in children:
                continue
            below = _descendants(ptr, children, order, budget)
            if below is None:
                self.left_out.append(ptr)
                budget = 0
                continue
            budget -= len(below)
            members = tuple((d, tags_of(prop, d)) for d in below) + ((ptr, tags_of(prop, ptr)),)
            self.families[ptr] = Family(keys[ptr], prop, members)

    def _inherited(self, children: dict[str, list[str]]) -> dict[str, str]:
        """The tag's key each schema inherits: the one its first parent declares or
        inherits, else its next parent's. Parents before children (a schema in a circle of
        `allOf`s inherits nothing through it), so each is looked at once."""
        waiting = {ptr: len(parents) for ptr, parents in self._parents.items()}
        ready = deque(p for p in children if p not in waiting)
        found: dict[str, str] = {}
        while ready:
            p = ready.popleft()
            for c in children.get(p, []):
                waiting[c] -= 1
                if waiting[c] == 0:
                    ready.append(c)
                    for q in self._parents[c]:
                        tag = self._tag_key.get(q) or found.get(q)
                        if tag is not None:
                            found[c] = tag
                            break
        return found


def _tag_key(spec: Spec, s: dict[str, Any], ptr: str) -> str | None:
    """The discriminator's property of a base schema: a `discriminator` beside no
    `oneOf` / `anyOf` (those are unions, built as such), whose property may hold a string
    (zalando's `Page` names an array: no tag to read)."""
    d = s.get("discriminator")
    if not isinstance(d, dict) or not isinstance(d.get("propertyName"), str) or s.get("oneOf") or s.get("anyOf"):
        return None
    prop: str = d["propertyName"]
    declared = (s.get("properties") or {}).get(prop) if isinstance(s.get("properties"), dict) else None
    if isinstance(declared, dict) and "$ref" in declared:
        try:
            declared, _ = spec.deref(declared, child(ptr, "properties", prop))
        except SpecError:
            return None  # the schema builder reports the reference where it is built
    kind = declared.get("type") if isinstance(declared, dict) else None
    if kind is None or kind == "string" or (isinstance(kind, list) and "string" in kind):
        return prop
    return None


def _descendants(ptr: str, children: dict[str, list[str]], order: dict[str, int], budget: int) -> list[str] | None:
    """Every schema below `ptr`, each once, in document order; None past `budget`."""
    found: set[str] = set()
    todo = list(children.get(ptr, []))
    while todo:
        p = todo.pop()
        if p != ptr and p not in found:
            if len(found) >= budget:
                return None
            found.add(p)
            todo.extend(children.get(p, []))
    return sorted(found, key=order.__getitem__)
