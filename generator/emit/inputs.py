"""Digests of what a generated file's template context is made from.

With them the pipeline reads back a finished file (`format.Rendered`, by these bytes)
without building its context at all: after a one-schema edit of a 1,000-schema spec,
the ~2,000 model modules and reference pages that did not change cost a hash each.

A digest must cover everything the context reads; a missed input is a stale file, the
worst bug a cache can have. So each one over-covers, and a change outside what it names
only costs cache misses (the context is then built and keyed as before):

- the file's own IR node(s): a schema module's members, an operation;
- every named schema those reach through their types, transitively: a Merkle hash over
  the strongly connected components of the schema graph, so a schema's digest changes
  when anything it reaches changes (a referenced schema's fields, name or description);
- a global part shared by every file: the whole `Api` except its lists of schemas and
  operations (title, servers, security schemes, webhooks, every union's dispatch
  table ...), the group, name and stream name of every operation, the module every
  schema lives in, and the emitter's options.

The generator's own code, Jinja's and black's versions are in `Rendered`'s salt.
Names are found with `ir.types.referenced` on every type inside a node, walking the
node's dataclass fields generically (`names_in`), so a field added to the IR later is
covered; for schemas, the graph `emit/plan.py` groups modules by gives the same names
(a test checks it on every spec it builds) and is computed once for both.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from ..format import key_bytes
from ..ir import model as m
from ..ir import types as t
from .plan import SchemaGraph, schema_graph

_TYPE_CLASSES = frozenset(typing.get_args(t.Type))
# No schema inside: names, flags, and JSON data (the IR keeps its nodes in tuples and
# dataclasses; a list or dict in it is a JSON value: an example, a default)
_DATA = frozenset({str, int, float, bool, type(None), bytes, list, dict})
_FIELDS: dict[type, operator.attrgetter[Any] | None] = {}  # a dataclass's field values, at once


def _fields(cls: type) -> operator.attrgetter[Any] | None:
    if not dataclasses.is_dataclass(cls):  # the IR is dataclasses and JSON data only
        raise TypeError(f"cannot look for schema names inside a {cls.__name__}")
    names = [f.name for f in dataclasses.fields(cls)]
    return operator.attrgetter(*names, names[0]) if names else None  # twice the first: always a tuple


def names_in(value: Any) -> set[str]:
    """Every schema name `value` (an IR node, or plain data holding nodes) mentions."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        cls = type(item)
        if cls in _DATA:
            continue
        if cls in _TYPE_CLASSES:
            found.update(t.referenced(item))
        elif cls is tuple or cls is frozenset:
            stack.extend(item)
        else:
            get = _FIELDS[cls] if cls in _FIELDS else _FIELDS.setdefault(cls, _fields(cls))
            if get is not None:
                stack.extend(get(item))
    return found


def _sha(*parts: bytes) -> bytes:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


class InputDigests:
    """The digests of one API's keyed files (see the module docstring)."""

    def __init__(self, api: m.Api, where: Mapping[str, str], options: Any, graph: SchemaGraph | None = None) -> None:
        """`graph`: `plan.schema_graph(api)`, if the caller has it (its references are
        what `names_in` finds in each schema: `tests/test_input_keys.py` checks it)."""
        nodes: dict[str, m.Model | m.Enum | m.Alias] = {x.name: x for x in api.models}
        nodes.update((x.name, x) for x in api.enums)
        nodes.update((x.name, x) for x in api.aliases)
        graph = graph or schema_graph(api)
        deps = graph.deps
        own = {name: _sha(key_bytes(node)) for name, node in nodes.items()}
        self._deep: dict[str, bytes] = {}
        for members in graph.components:  # dependencies first
            inside = set(members)
            reached = sorted({d for n in members for d in deps[n] if d not in inside})
            digest = _sha(
                b"component",
                *(name.encode() + own[name] for name in members),
                *(name.encode() + self.deep(name) for name in reached),
            )
            for name in members:
                self._deep[name] = digest
        shell = dataclasses.replace(api, operations=(), models=(), enums=(), aliases=())
        self.global_ = _sha(
            b"global 1",
            key_bytes(shell),
            key_bytes(tuple((op.group, op.name, op.stream_name) for op in api.operations)),
            key_bytes(sorted(where.items())),
            key_bytes(options),
        )

    def deep(self, name: str) -> bytes:
        """A schema's digest with everything it reaches; a name the API does not define
        (a dangling reference) stands for itself."""
        found = self._deep.get(name)
        return found if found is not None else _sha(b"undefined", name.encode())

    def reaching(self, names: Iterable[str]) -> list[bytes]:
        return [name.encode() + self.deep(name) for name in sorted(set(names))]

    def schemas(self, kind: str, names: tuple[str, ...], extra: Any = None) -> bytes:
        """A file made from the named schemas (a model module, a schema's page), and
        `extra` (plain data the file also prints)."""
        return _sha(self.global_, kind.encode(), key_bytes((names, extra)), *self.reaching(names))

    def operation(self, kind: str, op: m.Operation) -> bytes:
        """A file made from one operation (its reference page)."""
        return _sha(self.global_, kind.encode(), key_bytes(op), *self.reaching(names_in(op)))

    def operations(self, kind: str, group: tuple[str, ...], ops: list[m.Operation]) -> bytes:
        """Files made from a group of operations (a service module and its parts); the
        groups around it (its children) are in the global part."""
        return _sha(self.global_, kind.encode(), key_bytes((group, ops)), *self.reaching(names_in(tuple(ops))))
