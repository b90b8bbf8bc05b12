"""Graceful partial specs: what cannot be generated is left out, the rest is generated.

An operation or component schema whose description is broken (a `$ref` to nothing, a
path template naming no parameter, a parameter without `in` ...) raises a SpecError
while it is built. The builder catches it for that item alone and it lands here: every
such problem becomes an error-level warning naming the pointer and the reason, and so
does everything that needs a left-out schema (a model whose field refers to it, an
operation that sends or returns it), so generated code never names a missing class.
`generate --strict` refuses the spec when any item was left out; a spec with nothing
left at all is refused with its first problem (exit 2), as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..diagnostics import Location, SpecError, SpecWarning
from ..ir import model as m
from ..ir.types import referenced


@dataclass
class Kept:
    operations: list[m.Operation]
    models: dict[str, m.Model]
    enums: dict[str, m.Enum]
    aliases: dict[str, m.Alias]
    webhooks: list[m.Webhook]


def skipped_warning(what: str, exc: SpecError) -> SpecWarning:
    reason = exc.message + (f" {exc.hint}" if exc.hint else "")
    return SpecWarning(exc.location, f"{what} left out of the client: {reason}", "error")


Item = TypeVar("Item", m.Model, m.Alias)


def _model_needs(model: m.Model) -> set[str]:
    return {n for f in model.fields for n in referenced(f.type)} | set(referenced(model.additional))


def _drop_needy(
    what: str,
    items: dict[str, Item],
    needs: Callable[[Item], set[str]],
    defined: set[str],
    where: Callable[[str], Location],
    warnings: list[SpecWarning],
) -> bool:
    """Drop from `items` each one needing a name nothing defines; whether any was dropped."""
    dropped = False
    for name, item in list(items.items()):
        missing = sorted(n for n in needs(item) if n not in defined)
        if missing:
            del items[name]
            warnings.append(
                SpecWarning(
                    where(item.pointer),
                    f"{what} {name} left out of the client: it needs {', '.join(missing)}, which could not be generated.",
                    "error",
                )
            )
            dropped = True
    return dropped


def prune(kept: Kept, where: Callable[[str], Location], warnings: list[SpecWarning]) -> Kept:
    """Drop, until nothing changes, every item that refers to a name nothing defines."""
    while True:
        defined = set(kept.models) | set(kept.enums) | set(kept.aliases)
        dropped = _drop_needy("model", kept.models, _model_needs, defined, where, warnings)
        dropped |= _drop_needy("type alias", kept.aliases, lambda a: set(referenced(a.type)), defined, where, warnings)
        if not dropped:
            break
    defined = set(kept.models) | set(kept.enums) | set(kept.aliases)
    operations = []
    for op in kept.operations:
        types = [p.type for p in op.parameters] + [op.body.type if op.body else None] + [r.type for r in op.responses]
        missing = sorted({n for ty in types for n in referenced(ty)} - defined)
        if missing:
            warnings.append(
                SpecWarning(
                    where(op.pointer),
                    f"operation {op.method} {op.target} left out of the client: it needs {', '.join(missing)}, which could not be generated.",
                    "error",
                )
            )
            continue
        operations.append(op)
    webhooks = [w for w in kept.webhooks if set(referenced(w.type)) <= defined]
    return Kept(operations, kept.models, kept.enums, kept.aliases, webhooks)
