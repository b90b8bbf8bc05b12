"""The OpenAPI validator's verdict, as warnings with locations, cached by content hash.

Real specs often fail strict validation yet are perfectly usable (Polar's 2025-02 spec has
duplicate operationIds), so the verdict never stops generation: it is reported.

Two validators can give it, chosen with the environment variable `SDKGEN_VALIDATOR`:

- `fast` (the default): openapi-spec-validator-rs, a rule-for-rule Rust port of
  openapi-spec-validator 0.9.0 with the same messages in the same order (0.07 s on
  polar-2026-10, where the reference takes 7 s of CPU);
- `reference`: openapi-spec-validator itself, exactly as shipped. `tests/test_validate.py`
  checks that both give the same verdict, pointers included, on Polar's specs and on
  invalid documents of many kinds.

Either way the verdict is kept in the user cache directory, keyed by the document's
hash, the validator and its version.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, assert_never

from . import openapi32
from .diagnostics import ConfigError, SpecWarning, pointer
from .load import COMPONENT_MAPS, Document
from .resources import cache_dir, distribution_version, write_cached

MAX_REPORTED = 20

Validator = Literal["fast", "reference"]
VALIDATOR_ENV = "SDKGEN_VALIDATOR"
# the distribution behind each setting: its version keys the cached verdicts
DISTRIBUTIONS: dict[Validator, str] = {"fast": "openapi-spec-validator-rs", "reference": "openapi-spec-validator"}


def chosen_validator() -> Validator:
    """The validator `SDKGEN_VALIDATOR` names (`fast` when unset or empty)."""
    name = os.environ.get(VALIDATOR_ENV, "").strip() or "fast"
    for known in DISTRIBUTIONS:
        if name == known:
            return known
    raise ConfigError(f"{VALIDATOR_ENV}={name!r} is not a validator; use `fast` (the default) or `reference`.")


# How verdicts are turned into (pointer, message) pairs is part of the cache key: a
# verdict stored by an older sdkgen would keep its older pointers.
# (`openapi32.py` decides what a 3.2 document is checked as: its code is in the key too.)
_OWN_CODE = hashlib.sha256(Path(__file__).read_bytes() + Path(openapi32.__file__).read_bytes()).hexdigest()[:12]


def _cache_file(doc: Document, validator: Validator) -> Path:
    key = f"{doc.sha256}-{validator}-{distribution_version(DISTRIBUTIONS[validator])}-{_OWN_CODE}"
    return cache_dir() / "validate" / f"{key}.json"


def cached_verdict(doc: Document) -> list[tuple[str, str]] | None:
    """The stored verdict for exactly these bytes, if the validator ran on them before."""
    try:
        found = json.loads(_cache_file(doc, chosen_validator()).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return [(str(p), str(msg)) for p, msg in found]


# Keys whose values are data, not description: a `$ref` key in there is a value, never
# followed (an example, a default, a constant, an Example Object's `value`, an extension).
_DATA_KEYS = frozenset({"example", "default", "const", "enum", "value"})
# Keys whose value maps names to objects: there a key called `default` or `value` is a
# name (a property, a response, a component), so it is looked into like any other.
_NAME_MAPS = frozenset(
    {
        *COMPONENT_MAPS,
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "links",
        "callbacks",
        "paths",
        "webhooks",
        "content",
        "encoding",
        "variables",
    }
)


def _is_data(key: Any, listed: bool) -> bool:
    """Whether a keyword's value is data (an example, a default, an extension...), where a
    `$ref` is a value like any other; `examples` is data when it is a list (a schema's
    example values), not when it maps names to Example objects (a media type's)."""
    return key in _DATA_KEYS or (isinstance(key, str) and key.startswith("x-")) or (key == "examples" and listed)


def external_ref(data: Any) -> tuple[str, str] | None:
    """The first `$ref` that leaves the document (pointer, target), in document order.

    Both validators would fetch such a target (a URL or a file named by untrusted spec
    text), so a document that has one is not validated at all (see `verdict`). Values
    that are data (examples, defaults, ...) are not looked into."""
    if not _leaves(data):
        return None
    stack: list[tuple[Any, tuple[Any, ...], bool]] = [(data, (), False)]
    while stack:
        node, where, names = stack.pop()  # names: the keys of `node` are names, not keywords
        if isinstance(node, dict):
            ref = node.get("$ref")
            if not names and isinstance(ref, str) and not ref.startswith("#"):
                return pointer(*where, "$ref"), ref
            children = []
            for key, value in node.items():
                if not isinstance(value, (dict, list)):
                    continue
                if not names and _is_data(key, isinstance(value, list)):
                    continue
                children.append((value, (*where, key), not names and key in _NAME_MAPS))
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(
                (v, (*where, i), False) for i, v in reversed(list(enumerate(node))) if isinstance(v, (dict, list))
            )
    return None


def _leaves(data: Any) -> bool:
    """Whether any `$ref` leaves the document: `external_ref`'s walk without the pointers
    and the order, half its cost (the answer is almost always no)."""
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, names = stack.pop()
        if isinstance(node, dict):
            if names:
                stack.extend((value, False) for value in node.values() if isinstance(value, (dict, list)))
                continue
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                return True
            for key, value in node.items():
                if isinstance(value, (dict, list)) and not _is_data(key, isinstance(value, list)):
                    stack.append((value, key in _NAME_MAPS))
        elif isinstance(node, list):
            stack.extend((value, False) for value in node if isinstance(value, (dict, list)))
    return False


def verdict(doc: Document, *, use_cache: bool = True) -> list[tuple[str, str]]:
    """(JSON pointer, message) for each complaint; at most MAX_REPORTED, then a count."""
    outside = external_ref(doc.data)
    if outside is not None:
        return [
            (
                outside[0],
                f"external $ref {outside[1]!r}: the document was not validated, since the validator would "
                "fetch it (spec text never makes sdkgen open a URL or a file); bundle the description into "
                "one file first (e.g. `redocly bundle`).",
            )
        ]
    validator = chosen_validator()
    if not use_cache:
        return list(run_validator(doc.data, validator))
    known = cached_verdict(doc)
    if known is not None:
        return known
    problems = list(run_validator(doc.data, validator))
    write_cached(_cache_file(doc, validator), json.dumps(problems))
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


def _in_order(data: Any) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """Every object and array of the document with its path, in document order."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, where = stack.pop()
        yield node, where
        if isinstance(node, dict):
            stack.extend((v, (*where, k)) for k, v in reversed(node.items()) if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, (*where, i)) for i, v in reversed(list(enumerate(node))) if isinstance(v, (dict, list)))


class _Where:
    """Where the document holds a given object (built on first need)."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self._index: dict[int, tuple[Any, ...]] | None = None

    def of(self, node: dict[Any, Any]) -> tuple[Any, ...] | None:
        """The document's own object (the reference validator hands those out), else the
        first object in document order equal to `node` (the fast one hands out copies)."""
        if self._index is None:
            self._index = {}
            for item, where in _in_order(self.data):
                self._index.setdefault(id(item), where)
        found = self._index.get(id(node))
        if found is not None:
            return found
        return next((where for item, where in _in_order(self.data) if _same(item, node)), None)

    def first(self, key: str, value: Any) -> tuple[Any, ...] | None:
        """The first object in document order whose `key` is `value`."""
        for node, where in _in_order(self.data):
            if isinstance(node, dict) and node.get(key) == value:
                return (*where, key)
        return None


def _pointer_without_path(where: _Where, error: Any, message: str) -> str:
    """A pointer for an error that carries no path.

    A schema's `default` (or `example`) that does not match the schema comes back with
    the value and the schema object: the pointer is that schema's keyword. An unknown
    `$schema` dialect names its URI.
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
    for node, where in _in_order(data):
        if isinstance(node, dict) and _follow(node, path, instance):
            return pointer(*where, *path)
    return pointer(*path)


def _follow(node: Any, path: list[Any], instance: Any) -> bool:
    for token in path:
        if (isinstance(node, dict) and token in node) or (
            isinstance(node, list) and isinstance(token, int) and token < len(node)
        ):
            node = node[token]
        else:
            return False
    return _same(node, instance)


def _errors(data: dict[str, Any], validator: Validator) -> Iterator[Any]:
    """The chosen library's errors for the document, in its order.

    The reference validator yields errors as it finds them and may then stop on a shape it
    cannot walk (an exception); the fast one computes them all first and, when it stops,
    raises before yielding any. So when the fast one stops, the reference validator gives
    the verdict, which keeps the problems found before the stop (rare: broken documents).
    """
    three_oh = str(data.get("openapi", "")).startswith("3.0")
    match validator:
        case "fast":
            import openapi_spec_validator_rs as fast

            try:
                found = list(
                    (fast.OpenAPIV30SpecValidator if three_oh else fast.OpenAPIV31SpecValidator)(data).iter_errors()
                )
            except fast.ValidationAbortedError:
                yield from _errors(data, "reference")
                return
            yield from found
        case "reference":
            import openapi_spec_validator as reference

            yield from (reference.OpenAPIV30SpecValidator if three_oh else reference.OpenAPIV31SpecValidator)(
                data
            ).iter_errors()
        case _:
            assert_never(validator)


def run_validator(data: dict[str, Any], validator: Validator) -> Iterable[tuple[str, str]]:
    """The validator's complaints as (pointer, message), uncached. An OpenAPI 3.2
    document is checked by 3.1's rules, without what 3.2 adds (`openapi32.view`)."""
    if openapi32.is_32(data):
        data = openapi32.view(data)
    count = 0
    objects = _Where(data)
    try:
        for error in _errors(data, validator):
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
        # the reference raises the underlying exception (KeyError, RecursionError, ...),
        # the fast one a ValidationAbortedError with the same text: the text is the verdict
        where, text = _abort_text(exc, objects)
        yield where, f"openapi-spec-validator could not finish: {text}"
    if count > MAX_REPORTED:
        yield "#", f"openapi-spec-validator: {count - MAX_REPORTED} more problems not shown."


MAX_ABORT_TEXT = 300  # characters of a validator's own text kept in the warning
# a dangling `$ref`: the text goes on with the whole document the pointer was looked up in
_DANGLING_REF = re.compile(r"'([^']*)' does not exist within ")
_BARE_KEY = re.compile(r"'[^'\n]{0,100}'")  # a KeyError's text: the key alone


def _data_key(path: tuple[Any, ...]) -> str | None:
    """The first key on `path` whose value is data (an example, a default, ...), where a
    `$ref` is a value like any other; keys of name maps (properties, ...) are names."""
    parent: Any = None
    for n, key in enumerate(path):
        listed = n + 1 < len(path) and isinstance(path[n + 1], int)
        if parent not in _NAME_MAPS and _is_data(key, listed):
            return str(key)
        parent = key
    return None


def _abort_text(exc: Exception, where: _Where) -> tuple[str, str]:
    """Where and why the validator stopped, in a line: a dangling `$ref` is named and
    located (never the document it was looked up in); any other text is capped."""
    text = str(exc).strip()
    dangling = _DANGLING_REF.match(text)
    if dangling:
        ref = dangling[1] if dangling[1].startswith("#") else "#" + dangling[1]
        at = where.first("$ref", ref)
        data = _data_key(at[:-1]) if at is not None else None
        if at is not None and data is not None:
            return pointer(*at), (
                f"it followed {ref!r} inside a `{data}` value, which is data, not a reference (sdkgen reads it"
                " as data), and stopped there: the rest of the document went unchecked."
            )
        return pointer(*at) if at is not None else "#", f"$ref {ref!r} points to nothing in this document."
    if _BARE_KEY.fullmatch(text):
        return (
            "#",
            f"it stopped on a shape it cannot walk (a key {text} missing or not an object); the problems located with it say where.",
        )
    if "recursion" in text:
        return "#", "it stopped on nesting too deep to walk (a $ref cycle?); the problems located with it say where."
    if len(text) > MAX_ABORT_TEXT:
        text = text[:MAX_ABORT_TEXT] + "... (cut)"
    return "#", text or "it stopped without a message (a shape it does not expect)"
