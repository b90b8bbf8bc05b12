"""Annotations of request values that also accept what callers naturally write.

An open enum field or parameter also takes the plain value (`Address(country="FR")`,
`TaxIDFormat | str`), at the top level, under `None` and inside tuples (covariant, so
existing code that passes members still type-checks). Lists and dicts keep the exact
type: they are invariant, and widening them would reject a caller's `list[TaxIDFormat]`.
"""

from __future__ import annotations

from typing import assert_never

from ..ir import types as t
from .codec import Imports, annotation, builtin_name


def request_annotation(ty: t.Type, imp: Imports) -> str:
    match ty:
        case t.EnumRef(name):
            enum = imp.schemas.enums.get(name)
            plain = t.Primitive("int" if enum is not None and enum.kind == "int" else "str")
            return f"{annotation(ty, imp)} | {annotation(plain, imp)}"
        case t.Nullable(inner):
            return f"{request_annotation(inner, imp)} | None"
        case t.Tuple(items):
            return f"{builtin_name('tuple', imp)}[{', '.join(request_annotation(i, imp) for i in items)}]"
        case t.Array() | t.Map():
            return annotation(ty, imp)  # invariant containers keep the exact type
        case t.Union() | t.AliasRef():
            return annotation(ty, imp)  # decoded by evidence; the variants are typed as they are
        case t.Primitive() | t.Const() | t.StringOnly() | t.ModelRef() | t.AnyType():
            return annotation(ty, imp)  # nothing to widen
        case _:
            assert_never(ty)
