"""A deterministic JSON dump of the IR: for snapshot tests and for diffing two SDKs."""

from __future__ import annotations

import dataclasses
import json
from typing import Any


def to_data(value: Any) -> Any:
    """Plain JSON data; every node tagged with its kind so dumps read unambiguously."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"node": type(value).__name__}
        for f in dataclasses.fields(value):
            if not f.compare:
                continue
            item = getattr(value, f.name)
            if item is None or item == () or (item is False and f.default is False):
                continue
            out[f.name] = to_data(item)
        return out
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def dumps(value: Any) -> str:
    return json.dumps(to_data(value), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
