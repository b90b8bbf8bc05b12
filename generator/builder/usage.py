"""How each model is used, decided once: in requests (forgiving inputs) and in responses
(undeclared keys kept).

- A model reachable from a request body is marked `in_requests`: its open-enum fields
  also accept the plain value (`Address(country="FR")`).
- A model reachable from a response or webhook with no typed `additionalProperties` gets
  `unknown_name`, the attribute that keeps keys the spec does not declare, so a
  read-modify-write round trip (`from_dict` -> `to_dict`) loses nothing. The name never
  clashes with a field (`unknown_fields`, else a suffixed variant).
"""

from __future__ import annotations

from dataclasses import replace

from .. import naming
from ..ir import model as m


def mark_usage(models: dict[str, m.Model], inputs: set[str], outputs: set[str]) -> dict[str, m.Model]:
    """`inputs`/`outputs`: names reachable from request bodies / from responses and webhooks."""
    out = {}
    for name, model in models.items():
        unknown = None
        if name in outputs and model.additional is None:
            taken = {"from_dict", "to_dict", "builtins", *(f.name for f in model.fields)}
            unknown = naming.Namespace(taken).claim("unknown_fields")
        out[name] = replace(model, in_requests=name in inputs, unknown_name=unknown)
    return out
