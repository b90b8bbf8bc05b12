"""openapi-spec-validator's verdict, as warnings with locations, cached by content hash.

Real specs often fail strict validation yet are perfectly usable (Polar's 2025-02 spec has
duplicate operationIds), so the verdict never stops generation: it is reported. The
validator is slow on large specs (seconds), so its verdict is kept in the user cache
directory keyed by the document's hash and the validator's version.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .diagnostics import SpecWarning, pointer
from .load import Document
from .resources import cache_dir, write_cached
from .validate_fast import MetaPasses, remembering_passes, validator_classes

MAX_REPORTED = 20


# How verdicts are turned into (pointer, message) pairs is part of the cache key: a
# verdict stored by an older sdkgen would keep its older pointers.
_OWN_CODE = hashlib.sha256(
    Path(__file__).read_bytes() + Path(__file__).with_name("validate_fast.py").read_bytes()
).hexdigest()[:12]


def _cache_file(doc: Document) -> Path:
    key = f"{doc.sha256}-{version('openapi-spec-validator')}-{_OWN_CODE}"
    return cache_dir() / "validate" / f"{key}.json"


def cached_verdict(doc: Document) -> list[tuple[str, str]] | None:
    """The stored verdict for exactly these bytes, if the validator ran on them before."""
    try:
        found = json.loads(_cache_file(doc).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return [(str(p), str(msg)) for p, msg in found]


def verdict(doc: Document, *, use_cache: bool = True) -> list[tuple[str, str]]:
    """(JSON pointer, message) for each complaint; at most MAX_REPORTED, then a count."""
    if not use_cache:
        return list(_run_validator(doc.data))
    known = cached_verdict(doc)
    if known is not None:
        return known
    # schemas that passed their meta-schema check before are not checked again
    with remembering_passes(MetaPasses.load()) as passes:
        problems = list(_run_validator(doc.data))
    passes.save()
    write_cached(_cache_file(doc), json.dumps(problems))
    return problems


def warnings_from(doc: Document, problems: list[tuple[str, str]]) -> list[SpecWarning]:
    return [SpecWarning(doc.locate(p), m) for p, m in problems]


def validate(doc: Document, *, use_cache: bool = True) -> list[SpecWarning]:
    """The validator's complaints about `doc`, as warnings with file, line and pointer."""
    return warnings_from(doc, verdict(doc, use_cache=use_cache))


_OPERATION_IN_MESSAGE = re.compile(r"for '(\w+)' in '([^']+)'")


def _pointer_from_message(message: str) -> str:
    """Some validator errors carry no path but name the operation in their text."""
    found = _OPERATION_IN_MESSAGE.search(message)
    return pointer("paths", found[2], found[1]) if found else "#"


_DIALECT_IN_MESSAGE = re.compile(r"Unknown JSON Schema dialect: '([^']*)'")


class _Where:
    """Document pointers of the document's own objects, by identity (built on first need)."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self._index: dict[int, tuple[Any, ...]] | None = None

    def of(self, node: Any) -> tuple[Any, ...] | None:
        if self._index is None:
            self._index = {}
            stack: list[tuple[Any, tuple[Any, ...]]] = [(self.data, ())]
            while stack:
                item, where = stack.pop()
                if isinstance(item, dict):
                    self._index.setdefault(id(item), where)
                    stack.extend((v, (*where, k)) for k, v in item.items() if isinstance(v, (dict, list)))
                elif isinstance(item, list):
                    stack.extend((v, (*where, i)) for i, v in enumerate(item) if isinstance(v, (dict, list)))
        return self._index.get(id(node))

    def first(self, key: str, value: Any) -> tuple[Any, ...] | None:
        """The first object in document order whose `key` is `value`."""
        stack: list[tuple[Any, tuple[Any, ...]]] = [(self.data, ())]
        while stack:
            node, where = stack.pop()
            if isinstance(node, dict):
                if node.get(key) == value:
                    return (*where, key)
                stack.extend((v, (*where, k)) for k, v in reversed(list(node.items())))
            elif isinstance(node, list):
                stack.extend((v, (*where, i)) for i, v in reversed(list(enumerate(node))))
        return None


def _pointer_without_path(where: _Where, error: Any, message: str) -> str:
    """A pointer for an error that carries no path.

    A schema's `default` (or `example`) that does not match the schema comes back with
    the value and the schema object itself, which is the document's own dict: the pointer
    is that schema's keyword. An unknown `$schema` dialect names its URI.
    """
    schema, instance = getattr(error, "schema", None), getattr(error, "instance", None)
    if isinstance(schema, dict):
        found = where.of(schema)
        if found is not None:
            for key in ("default", "example"):
                if key in schema and _same(schema[key], instance):
                    return pointer(*found, key)
            return pointer(*found)
    dialect = _DIALECT_IN_MESSAGE.search(message)
    if dialect:
        at = where.first("$schema", dialect[1])
        if at is not None:
            return pointer(*at)
    return _pointer_from_message(message)


def _same(a: Any, b: Any) -> bool:
    return a is b or (type(a) is type(b) and a == b)


def _locate(data: Any, path: list[Any], instance: Any) -> str:
    """A document pointer for an error path; schema errors come relative to the schema.

    openapi-spec-validator checks each schema on its own, so `['exclusiveMaximum']` means
    "in some schema". When the path does not resolve from the root, the first node in
    document order where it resolves to the same value is named instead.
    """
    if _follow(data, path, instance):
        return pointer(*path)
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            if _follow(node, path, instance):
                return pointer(*where, *path)
            stack.extend((v, (*where, k)) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((v, (*where, i)) for i, v in reversed(list(enumerate(node))))
    return pointer(*path)


def _follow(node: Any, path: list[Any], instance: Any) -> bool:
    for token in path:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            return False
    return _same(node, instance)


def _run_validator(data: dict[str, Any], *, stock: bool = False) -> Iterable[tuple[str, str]]:
    """The validator's complaints; `stock`: the library exactly as shipped (tests compare)."""
    import openapi_spec_validator as library

    v30, v31 = (
        (library.OpenAPIV30SpecValidator, library.OpenAPIV31SpecValidator) if stock else validator_classes()
    )
    version_text = str(data.get("openapi", ""))
    cls = v30 if version_text.startswith("3.0") else v31
    count = 0
    objects = _Where(data)
    try:
        for error in cls(data).iter_errors():
            count += 1
            if count <= MAX_REPORTED:
                message = getattr(error, "message", str(error)).splitlines()[0]
                path = getattr(error, "absolute_path", None) or getattr(error, "path", ())
                where = (
                    _locate(data, list(path), getattr(error, "instance", None))
                    if path
                    else _pointer_without_path(objects, error, message)
                )
                yield where, f"openapi-spec-validator: {message}"
    except Exception as exc:  # the validator itself may choke on odd but usable input
        yield "#", f"openapi-spec-validator could not finish: {type(exc).__name__}: {exc}"
    if count > MAX_REPORTED:
        yield "#", f"openapi-spec-validator: {count - MAX_REPORTED} more problems not shown."
