"""Forgiving inputs, shared by every generated service.

- :func:`request_json`: a request body model as JSON; a value of the wrong type anywhere
  inside (a ``dict`` where a model belongs, say) raises a ``TypeError`` naming the field
  before anything is sent, never an ``AttributeError`` from generated code.

(Undeclared keys of a response object are kept by the model codecs, ``_codec.py``.)
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any

__all__ = ["request_json"]


def request_json(value: Any, model: type) -> Any:
    """``value.to_dict()``, or a ``TypeError`` naming where a value has the wrong type."""
    try:
        return value.to_dict()
    except AttributeError as exc:
        problem = _misplaced(value, model, "body", 0)
        if problem is None:
            raise
        raise TypeError(problem) from exc


def _model_types(hint: Any) -> list[type]:
    """The generated model classes an annotation allows (they have ``from_dict``)."""
    args = typing.get_args(hint)
    if args:
        return [m for a in args for m in _model_types(a)]
    return [hint] if isinstance(hint, type) and hasattr(hint, "from_dict") else []


def _misplaced(value: Any, expected: type, where: str, depth: int) -> str | None:
    """Slow path, after a failure: the first value that is not of its declared model."""
    from ._runtime import Unset  # imported here: _runtime imports this module

    if depth > 50:
        return None
    if not isinstance(value, expected):
        got = type(value).__name__
        hint = f"build it with {expected.__name__}(...)"
        if isinstance(value, Mapping):
            hint += f", or {expected.__name__}.from_dict(...) from JSON data"
        return f"{where}: expected {expected.__name__}, got {got}; {hint}."
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return None
    try:
        hints = typing.get_type_hints(type(value))
    except Exception:  # an annotation that cannot be resolved: no better message
        return None
    for f in dataclasses.fields(value):
        models = _model_types(hints.get(f.name))
        if not models:
            continue
        item = getattr(value, f.name)
        items = item if isinstance(item, (list, tuple)) else [item]
        for i, element in enumerate(items):
            if element is None or isinstance(element, Unset):
                continue
            path = f"{type(value).__name__}.{f.name}" + (f"[{i}]" if items is item else "")
            fits = next((m for m in models if isinstance(element, m)), None)
            if fits is None:
                if isinstance(element, (str, int, float, bool)) and not isinstance(element, Mapping):
                    continue  # a scalar variant of a union, not a model
                return _misplaced(element, models[0], path, depth + 1)
            found = _misplaced(element, fits, path, depth + 1)
            if found is not None:
                return found
    return None
