"""Forgiving inputs, shared by every generated service.

- :func:`request_json`: a request body model as JSON; a value of the wrong type anywhere
  inside (a ``dict`` where a model belongs, say) raises a ``TypeError`` naming the field
  before anything is sent, never an ``AttributeError`` from generated code. So does
  another model where one belongs, unless it sends exactly what the right one would: a
  ``Pet`` read from a response where its request twin ``PetInput`` belongs would send
  the fields the server sets.

(Undeclared keys of a response object are kept by the model codecs, ``_codec.py``.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["request_json"]


def request_json(value: Any, model: type) -> Any:
    """``value.to_dict()``, or a ``TypeError`` naming where a value has the wrong type.

    A model where another belongs is looked for first (a walk over the body's models:
    each class's model-typed fields are found once); anything else (a ``dict``, a
    string) shows when ``to_dict`` fails, and is then looked for the same way."""
    problem = _misplaced(value, model, "body", 0, models_only=True)
    if problem is not None:
        raise TypeError(problem)
    try:
        return value.to_dict()
    except AttributeError as exc:
        problem = _misplaced(value, model, "body", 0)
        if problem is None:
            raise
        raise TypeError(problem) from exc


@functools.cache
def _runtime() -> tuple[type, type, Callable[[type], tuple[tuple[str, Any], ...]]]:
    """`Model`, `Unset` and `model_slots`, imported at the first call: `_runtime` imports
    this module."""
    from ._runtime import Model, Unset, model_slots

    return Model, Unset, model_slots


def _is_model(value: Any) -> bool:
    return isinstance(value, _runtime()[0])


def _sends_the_same(value: Any, expected: type) -> bool:
    """Whether another model sends exactly the JSON an `expected` built from it would send
    (Polar's `Address` where `AddressInput` belongs: two schemas, one shape); a `Pet` read
    with the server's `id` where `PetInput` belongs does not."""
    try:
        sent = value.to_dict()
        same: bool = expected.from_dict(sent).to_dict() == sent  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 (any failure to rebuild it: not the same)
        return False
    return same


def _misplaced(value: Any, expected: type, where: str, depth: int, *, models_only: bool = False) -> str | None:
    """The first value that is not of its declared model; `models_only`: only a model
    where another belongs counts (a dict or a string is for `to_dict` to refuse)."""
    if depth > 50:
        return None
    if not isinstance(value, expected):
        if models_only and (not _is_model(value) or _sends_the_same(value, expected)):
            return None
        got = type(value).__name__
        hint = f"build it with {expected.__name__}(...)"
        if isinstance(value, Mapping):
            hint += f", or {expected.__name__}.from_dict(...) from JSON data"
        elif _is_model(value):
            hint += f", or convert it: {expected.__name__}.from_dict(value.to_dict())"
        return f"{where}: expected {expected.__name__}, got {got}; {hint}."
    if not _is_model(value):
        return None
    for attr, slot in _runtime()[2](type(value)):
        found = _in_slot(getattr(value, attr), slot, f"{type(value).__name__}.{attr}", depth, models_only)
        if found is not None:
            return found
    return None


def _in_slot(item: Any, slot: Any, where: str, depth: int, models_only: bool) -> str | None:
    """The first misplaced model in `item`, held where `slot` says (`_codec.model_slots`)."""
    if item is None or isinstance(item, _runtime()[1]):
        return None
    if isinstance(slot, type):
        return _misplaced(item, slot, where, depth + 1, models_only=models_only)
    kind, inner = slot
    pairs: list[tuple[str, Any, Any]] = []
    if kind == "null":
        pairs = [(where, item, inner)]
    elif kind == "list" and isinstance(item, (list, tuple)):
        pairs = [(f"{where}[{i}]", x, inner) for i, x in enumerate(item)]
    elif kind == "map" and isinstance(item, Mapping):
        pairs = [(f"{where}[{k!r}]", x, inner) for k, x in item.items()]
    elif kind == "tuple" and isinstance(item, (list, tuple)):
        pairs = [(f"{where}[{i}]", x, s) for i, (x, s) in enumerate(zip(item, inner)) if s is not None]
    for path, x, s in pairs:
        found = _in_slot(x, s, path, depth, models_only)
        if found is not None:
            return found
    return None
