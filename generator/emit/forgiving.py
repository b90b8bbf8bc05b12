"""Annotations of request values that also accept what callers naturally write.

An open enum field or parameter also takes the plain value (`Address(country="FR")`,
`TaxIDFormat | str`), at the top level, under `None` and inside tuples (covariant, so
existing code that passes members still type-checks). Lists and dicts keep the exact
type: they are invariant, and widening them would reject a caller's `list[TaxIDFormat]`.
"""

from __future__ import annotations

from ..ir import types as t
from .codec import Imports, _builtin, annotation


def request_annotation(ty: t.Type, imp: Imports) -> str:
    if isinstance(ty, t.EnumRef):
        enum = imp.schemas.enums.get(ty.name)
        plain = t.Primitive("int" if enum is not None and enum.kind == "int" else "str")
        return f"{annotation(ty, imp)} | {annotation(plain, imp)}"
    if isinstance(ty, t.Nullable):
        return f"{request_annotation(ty.inner, imp)} | None"
    if isinstance(ty, t.Tuple):
        items = ", ".join(request_annotation(i, imp) for i in ty.items)
        return f"{_builtin('tuple', imp)}[{items}]"
    return annotation(ty, imp)
