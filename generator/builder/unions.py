"""anyOf/oneOf: nullable folding, string-only unions, discriminated and open unions."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, Protocol, assert_never

from ..diagnostics import child, unescape_pointer
from ..ir import model as m
from ..ir import types as t
from ..ir.kinds import json_kind
from ..normalize import Spec, text


class SchemaBuilder(Protocol):
    """What union building needs of the schema builder (builder/schemas.py)."""

    @property
    def spec(self) -> Spec: ...

    @property
    def enums(self) -> dict[str, m.Enum]: ...

    def type_of(self, node: Any, ptr: str, hint: str) -> t.Type: ...

    def alias(self, ptr: str, hint: str, built: t.Type, description: str | None) -> t.Type: ...


def build_union(b: SchemaBuilder, s: dict[str, Any], key: str, ptr: str, hint: str) -> t.Type:
    raw = s[key]
    non_null = [v for v in raw if not (isinstance(v, dict) and v.get("type") == "null")]
    variants = [
        b.type_of(v, child(ptr, key, i), hint if len(non_null) == 1 else f"{hint}{i}") for i, v in enumerate(raw)
    ]
    disc = _explicit_discriminator(b, s, ptr, hint)
    built = simplify(b, variants, disc, ptr)
    inner, nullable = t.strip_nullable(built)
    if isinstance(inner, t.Union):
        named = b.alias(ptr, hint, inner, text(s.get("description")))
        return t.Nullable(named) if nullable else named
    return built


def _explicit_discriminator(b: SchemaBuilder, s: dict[str, Any], ptr: str, hint: str) -> t.Discriminator | None:
    d = s.get("discriminator")
    if not isinstance(d, dict) or not isinstance(d.get("propertyName"), str):
        return None
    pairs = []
    mapping = d.get("mapping")
    for value, ref in (mapping if isinstance(mapping, dict) else {}).items():
        if not isinstance(ref, str):
            continue  # the validator reports it
        # the schema itself, not the family a `$ref` to an inheritance base stands for
        node, node_ptr = b.spec.deref(
            {"$ref": mapping_ref(b.spec, ref)}, child(ptr, "discriminator", "mapping", str(value))
        )
        target, _ = t.strip_nullable(b.type_of(node, node_ptr, hint))
        if isinstance(target, t.ModelRef):
            pairs.append((str(value), target.name))
    return t.Discriminator(d["propertyName"], tuple(pairs))


def mapping_ref(spec: Spec, ref: str) -> str:
    """A mapping value is a reference or, as OpenAPI allows, the bare name of a component."""
    if "#" not in ref and "/" not in ref and ref in spec.component_schemas():
        return child("#/components/schemas", ref)
    return ref


def _is_stringish(b: SchemaBuilder, v: t.Type) -> bool:
    """Whether every JSON value of `v` is a string that decodes to a Python `str`."""
    match v:
        case t.Primitive(kind):
            return kind == "str"
        case t.Const(value):
            return isinstance(value, str)
        case t.EnumRef(name):
            enum = b.enums.get(name)
            return enum is not None and enum.kind == "str"
        case t.StringOnly():
            return True
        case t.Array() | t.Tuple() | t.Map() | t.Nullable() | t.Union() | t.ModelRef() | t.AliasRef() | t.AnyType():
            return False
        case _:
            assert_never(v)


def simplify(b: SchemaBuilder, variants: list[t.Type], disc: t.Discriminator | None, ptr: str) -> t.Type:
    """Fold null members into Nullable, flatten, dedupe, and recognise string-only unions."""
    nullable = False
    flat: list[t.Type] = []
    for v in variants:
        v, was_null = t.strip_nullable(v)
        nullable = nullable or was_null
        if isinstance(v, t.Primitive) and v.kind == "null":
            nullable = True
        elif isinstance(v, t.Union) and v.discriminator is None and disc is None:
            flat.extend(v.variants)
        elif v not in flat:
            flat.append(v)
    if any(isinstance(v, t.AnyType) for v in flat):
        result: t.Type = t.AnyType()
    elif not flat:
        return t.Primitive("null")
    elif len(flat) == 1:
        result = flat[0]
    elif all(_is_stringish(b, v) for v in flat) and disc is None:
        result = _string_only(b, flat)
    else:
        # Several members that are JSON strings (base64 `binary` too) beside other kinds: no
        # evidence tells which one a string is, so they are one `str` with known values,
        # as in a string-only union, instead of the first one's decoder for every string.
        strings = [v for v in flat if _is_stringish(b, v) or (isinstance(v, t.Primitive) and v.kind == "bytes")]
        if len(strings) > 1 and disc is None:
            at = flat.index(strings[0])
            rest = [v for v in flat if v not in strings]
            flat = [*rest[:at], _string_only(b, strings), *rest[at:]]
        result = flat[0] if len(flat) == 1 else t.Union(tuple(flat), disc)
    return t.Nullable(result) if nullable else result


def _string_only(b: SchemaBuilder, variants: list[t.Type]) -> t.StringOnly:
    """One `str` type for string members (`_is_stringish`, or base64 `bytes`) and their known values."""
    known: list[str] = []
    enums: list[str] = []
    for v in variants:
        match v:
            case t.Const(value):
                if isinstance(value, str):
                    known.append(value)
            case t.EnumRef(name):
                enums.append(name)
                known.extend(str(member.value) for member in b.enums[name].members)
            case t.StringOnly():
                known.extend(v.known)
                enums.extend(v.enums)
            case t.Primitive():
                pass  # any string: no known values to add
            case t.Array() | t.Tuple() | t.Map() | t.Nullable() | t.Union() | t.ModelRef() | t.AliasRef() | t.AnyType():
                raise AssertionError(f"not a string member: {v}")
            case _:
                assert_never(v)
    return t.StringOnly(tuple(dict.fromkeys(known)), tuple(dict.fromkeys(enums)))


# -- dispatch: how a decoder tells the variants apart, by evidence only ----------------


def _implicit_tag(model: m.Model) -> str:
    """OpenAPI's implicit discriminator value: the schema's name under components/schemas
    (`my-pet`), not the Python class it became (`MyPet`)."""
    tokens = unescape_pointer(model.pointer)
    if len(tokens) == 3 and tokens[:2] == ["components", "schemas"]:
        return tokens[2]
    return model.name


def _const_tags(model: m.Model) -> dict[str, str]:
    return {
        f.json_name: f.type.value for f in model.fields if isinstance(f.type, t.Const) and isinstance(f.type.value, str)
    }


def _spread(variants: tuple[t.Type, ...], aliases: Mapping[str, m.Alias], seen: tuple[str, ...] = ()) -> list[t.Type]:
    """Variants with each named union among them (a `$ref` to an undiscriminated union
    component) replaced by its own variants, as an inline union is flattened: the value
    is then told apart by its own kind or keys, and decoded by that variant's decoder."""
    out: dict[t.Type, None] = {}  # ordered, each once (a union of thousands: no list scans)
    for v in variants:
        alias = aliases.get(v.name) if isinstance(v, t.AliasRef) and v.name not in seen else None
        inner = t.strip_nullable(alias.type)[0] if alias is not None else None
        if isinstance(v, t.AliasRef) and isinstance(inner, t.Union) and inner.discriminator is None:
            out.update(dict.fromkeys(_spread(inner.variants, aliases, (*seen, v.name))))
        else:
            out[v] = None
    return list(out)


def _kind_candidates(variants: list[t.Type]) -> list[t.Type]:
    """The variants of one JSON kind a decoder tries: every constant (told apart by its
    value), then the first other variant, which takes any other value of that kind."""
    consts = [v for v in variants if isinstance(v, t.Const)]
    others = [v for v in variants if not isinstance(v, t.Const)]
    return consts + others[:1]


def _mapped(disc: t.Discriminator) -> dict[str, list[str]]:
    """The `mapping`'s values of each model it names, in order."""
    named: dict[str, list[str]] = {}
    for value, name in disc.mapping:
        named.setdefault(name, []).append(value)
    return named


def _tag_values(
    ref: t.ModelRef, disc: t.Discriminator, models: Mapping[str, m.Model], mapped: Mapping[str, list[str]]
) -> list[str]:
    """The discriminator values that name `ref`: its `mapping` entries (`mapped`, from
    `_mapped`), else its constant for the property, else OpenAPI's implicit value (the
    schema's name)."""
    values = list(mapped.get(ref.name, ()))
    if not values:
        const = _const_tags(models[ref.name]).get(disc.property)
        values = [const] if const is not None else [_implicit_tag(models[ref.name])]
    return values


def _families(
    variants: list[t.Type], models: Mapping[str, m.Model], aliases: Mapping[str, m.Alias]
) -> tuple[str, list[tuple[str, t.ModelRef]]] | None:
    """For a union without a discriminator whose object variants are all named unions of
    models discriminated by one property (Polar's `Product.prices`: `LegacyRecurringProductPrice`
    or `ProductPrice`, both by `amount_type`): that property and its values across them, in
    order, each with the model it names (a value two of them use comes twice)."""
    prop: str | None = None
    pairs: list[tuple[str, t.ModelRef]] = []
    for v in variants:
        alias = aliases.get(v.name) if isinstance(v, t.AliasRef) else None
        inner = t.strip_nullable(alias.type)[0] if alias is not None else None
        if not isinstance(inner, t.Union) or inner.discriminator is None:
            return None
        disc = inner.discriminator
        if prop is not None and disc.property != prop:
            return None
        prop = disc.property
        mapped = _mapped(disc)
        for member in inner.variants:
            if member == t.Primitive("null"):
                continue
            if not isinstance(member, t.ModelRef) or member.name not in models:
                return None
            pairs.extend(
                (value, member) for value in _tag_values(member, disc, models, mapped) if (value, member) not in pairs
            )
    return (prop, pairs) if prop is not None and pairs else None


def _distinct_tag(tag_sets: list[dict[str, str]]) -> tuple[str, list[str]] | None:
    """A constant's key every one of the tag sets has with a value of its own (sorted
    keys tried first): the key and each set's value."""
    common = set(tag_sets[0]).intersection(*tag_sets[1:])
    for candidate in sorted(common):
        values = [ts[candidate] for ts in tag_sets]
        if len(set(values)) == len(values):
            return candidate, values
    return None


def _nested_tag(refs: list[t.ModelRef], models: Mapping[str, m.Model]) -> tuple[str, str, list[str]] | None:
    """A required property every one of `refs` has, holding a model whose constant tells
    them apart (Polar's `CustomerBenefitGrant`: eight grants with the same keys, told apart
    by their `benefit`'s `type`): the property, the constant's key and each ref's value."""
    first = models[refs[0].name]
    for f in first.fields:
        if not f.required:
            continue
        tag_sets = []
        for r in refs:
            field = next((g for g in models[r.name].fields if g.json_name == f.json_name and g.required), None)
            inner = models.get(field.type.name) if field is not None and isinstance(field.type, t.ModelRef) else None
            if inner is None:
                break
            tag_sets.append(_const_tags(inner))
        else:
            found = _distinct_tag(tag_sets)
            if found is not None:
                return f.json_name, *found
    return None


KeyRule = tuple[tuple[str, ...], tuple[tuple[str, t.JsonKind], ...], t.Type]


def _unique_key(r: t.ModelRef, among: list[t.ModelRef], models: Mapping[str, m.Model]) -> str | None:
    """The first required key of `r` that no other of `among` declares."""
    others = [{f.json_name for f in models[o.name].fields} for o in among if o is not r]
    return next(
        (f.json_name for f in models[r.name].fields if f.required and all(f.json_name not in o for o in others)), None
    )


def _kinds(
    r: t.ModelRef,
    among: list[t.ModelRef],
    models: Mapping[str, m.Model],
    enums: Mapping[str, m.Enum],
    aliases: Mapping[str, m.Alias],
) -> tuple[tuple[str, t.JsonKind], ...]:
    """The JSON kind of each required key of `r` that another of `among` types otherwise
    (another kind, or several: vercel's `gitSource` variants, `repoId` a number in one, a
    string or a number in another), in `r`'s order: a value of another kind is not `r`."""
    out: list[tuple[str, t.JsonKind]] = []
    for f in models[r.name].fields:
        kind = json_kind(f.type, enums, aliases) if f.required else None
        if kind is None:
            continue
        for o in among:
            if o is r:
                continue
            g = next((g for g in models[o.name].fields if g.json_name == f.json_name), None)
            if g is not None and json_kind(g.type, enums, aliases) != kind:
                out.append((f.json_name, kind))
                break
    return tuple(out)


def _keyed(
    refs: list[t.ModelRef],
    models: Mapping[str, m.Model],
    others: bool,
    enums: Mapping[str, m.Enum],
    aliases: Mapping[str, m.Alias],
) -> tuple[list[KeyRule], t.Type | None, int]:
    """Objects told apart by keys: a required key only one of `refs` has, else (no such
    key) the most specific first, all its required keys present and of the kinds it
    types them where another such variant does not (`_kinds`); the one left without
    evidence (and without `others` beside it) is the fallback. Last: how many had no key
    of their own."""
    by_key: list[KeyRule] = []
    fallback: t.Type | None = None
    unexplained = []
    for r in refs:
        unique = _unique_key(r, refs, models)
        if unique is not None:
            by_key.append(((unique,), (), r))
        else:
            unexplained.append(r)
    if len(unexplained) == 1 and not others:
        fallback = unexplained[0]
    elif unexplained:
        # No evidence tells these apart: the most specific (most required keys) wins only
        # if its keys are all present, checked in order from most to least specific.
        ranked = sorted(unexplained, key=lambda r: -sum(f.required for f in models[r.name].fields))
        for r in ranked:
            required = sorted(f.json_name for f in models[r.name].fields if f.required)
            if required:
                by_key.append((tuple(required), _kinds(r, unexplained, models, enums, aliases), r))
            elif fallback is None and not others:
                fallback = r
    return by_key, fallback, len(unexplained)


def _by_item(
    arrays: list[t.Type], models: Mapping[str, m.Model], enums: Mapping[str, m.Enum], aliases: Mapping[str, m.Alias]
) -> list[tuple[t.JsonKind, tuple[str, ...], t.Type]]:
    """Rules telling arrays apart by their first item: its JSON kind where no other array's
    items share it, else, for arrays of models, a required key of that item's model no
    other such model has (vercel's webhooks: `projectsMetadata`). An array without either
    is left to the first array (`by_kind`)."""
    items: list[tuple[t.Type, t.Type]] = []
    for a in arrays:
        alias = aliases.get(a.name) if isinstance(a, t.AliasRef) else None
        inner = t.strip_nullable(alias.type)[0] if alias is not None else a
        if isinstance(inner, t.Array):
            items.append((a, inner.item))
    kinds = [json_kind(item, enums, aliases) for _, item in items]
    objects = [item for (_, item), kind in zip(items, kinds, strict=True) if kind == "object"]
    # the models of object items (all of them, or their keys are not all known: no key rule)
    object_models = [o for o in objects if isinstance(o, t.ModelRef) and o.name in models]
    rules: list[tuple[t.JsonKind, tuple[str, ...], t.Type]] = []
    for (a, item), kind in zip(items, kinds, strict=True):
        if kind is None:
            continue
        if kinds.count(kind) == 1:
            rules.append((kind, (), a))
        elif kind == "object" and isinstance(item, t.ModelRef) and len(object_models) == len(objects):
            unique = _unique_key(item, object_models, models)
            if unique is not None:
                rules.append(("object", (unique,), a))
    return rules


def dispatch(
    union: t.Union,
    models: Mapping[str, m.Model],
    enums: Mapping[str, m.Enum],
    aliases: Mapping[str, m.Alias],
) -> t.Dispatch:
    kinds: dict[t.JsonKind, list[t.Type]] = {}
    for v in _spread(union.variants, aliases):
        kinds.setdefault(json_kind(v, enums, aliases) or "object", []).append(v)
    objects = kinds.pop("object", [])
    refs = [v for v in objects if isinstance(v, t.ModelRef) and v.name in models]
    others = [v for v in objects if not (isinstance(v, t.ModelRef) and v.name in models)]

    tag: str | None = None
    by_tag: list[tuple[str, tuple[str, ...], t.Type]] = []
    families = _families(objects, models, aliases) if union.discriminator is None else None
    if union.discriminator is not None:
        tag = union.discriminator.property
        base, mapped = union.discriminator.base, _mapped(union.discriminator)
        for ref in refs:
            if ref.name != base:  # the family's base takes its own tag as any other (below)
                by_tag.extend((value, (), ref) for value in _tag_values(ref, union.discriminator, models, mapped))
    elif families is not None:
        # each family's own discriminator, as one table; a value two families use is told
        # apart by keys among the models it names (the legacy price's `type`)
        tag, pairs = families
        for value in dict.fromkeys(v for v, _ in pairs):
            named = [r for v, r in pairs if v == value]
            keyed, last, _ = _keyed(named, models, False, enums, aliases) if len(named) > 1 else ([], named[0], 0)
            by_tag.extend((value, keys, r) for keys, _, r in keyed)
            if last is not None:
                by_tag.append((value, (), last))
        refs, others = [], []
    elif refs:
        found = _distinct_tag([_const_tags(models[r.name]) for r in refs])
        if found is not None:
            tag, values = found
            by_tag = [(value, (), ref) for value, ref in zip(values, refs)]

    by_key: list[KeyRule] = []
    fallback: t.Type | None = None
    tag_at: tuple[str, ...] = ()
    if tag is None and refs:
        by_key, fallback, unexplained = _keyed(refs, models, bool(others), enums, aliases)
        nested = _nested_tag(refs, models) if unexplained > 1 else None
        if nested is not None:
            # two or more without a key of their own: a constant one level down is better
            # evidence than trying the one with the most required keys first
            key, tag, values = nested
            tag_at, by_tag = (key,), [(value, (), ref) for value, ref in zip(values, refs)]
            by_key, fallback = [], None
    if union.discriminator is not None and union.discriminator.base is not None:
        fallback = t.ModelRef(union.discriminator.base)  # any other tag: the family's base
    if others and fallback is None:
        fallback = others[0]
    arrays: list[t.Type] = [v for v in kinds.get("array", []) if not isinstance(v, t.Const)]
    by_item = tuple(_by_item(arrays, models, enums, aliases)) if len(arrays) > 1 else ()
    if by_item:  # any other array (an empty one too) goes to the first array no rule names
        ruled = [v for _, _, v in by_item]
        kinds["array"] = [v for v in kinds["array"] if v not in ruled] or kinds["array"]
    by_kind = tuple((k, v) for k in t.JSON_KINDS if k != "object" for v in _kind_candidates(kinds.get(k, [])))
    variant_kinds = tuple(json_kind(v, enums, aliases) for v in union.variants)
    return t.Dispatch(union, tag, tuple(by_tag), tuple(by_key), fallback, by_kind, variant_kinds, tag_at, by_item)


def dispatch_table(
    roots: Iterable[t.Type | None],
    models: Mapping[str, m.Model],
    enums: Mapping[str, m.Enum],
    aliases: Mapping[str, m.Alias],
) -> tuple[t.Dispatch, ...]:
    """The dispatch of every union inside `roots` (and inside the variants a dispatch
    names), each once, in the order first met."""
    table: dict[t.Union, t.Dispatch] = {}
    todo = deque(roots)
    while todo:
        root = todo.popleft()
        for union in t.unions_in(root):
            if union in table:
                continue
            plan = dispatch(union, models, enums, aliases)
            table[union] = plan
            todo.extend(v for _, _, v in plan.by_tag)
            todo.extend(v for _, _, v in plan.by_key)
            todo.append(plan.object_fallback)
            todo.extend(v for _, v in plan.by_kind)
            todo.extend(v for _, _, v in plan.by_item)
    return tuple(table.values())


def with_tags(models: Mapping[str, m.Model], dispatches: Iterable[t.Dispatch]) -> dict[str, m.Model]:
    """`models` with `Field.tag` set on every property a union's dispatch reads its tag
    from (in the variant, or `tag_at` levels down in it), so that a constant there is
    always sent even where the spec leaves it optional: the server tells the variants
    apart by it. Marked by schema: a request twin (`directions.py`, same pointer) is
    marked with the model it was made from."""
    marked: dict[str, set[str]] = {}  # model pointer -> JSON names of its tag properties
    for plan in dispatches:
        if plan.tag is None:
            continue
        for _, _, variant in plan.by_tag:
            model = _model_of(variant, models)
            for key in plan.tag_at:
                field = next((f for f in model.fields if f.json_name == key), None) if model else None
                model = _model_of(field.type, models) if field else None
            if model is not None:
                marked.setdefault(model.pointer, set()).add(plan.tag)
    out = {}
    for name, model in models.items():
        names = marked.get(model.pointer)
        if names and any(f.json_name in names and not f.tag for f in model.fields):
            fields = tuple(replace(f, tag=True) if f.json_name in names else f for f in model.fields)
            model = replace(model, fields=fields)
        out[name] = model
    return out


def _model_of(ty: t.Type, models: Mapping[str, m.Model]) -> m.Model | None:
    inner, _ = t.strip_nullable(ty)
    return models.get(inner.name) if isinstance(inner, t.ModelRef) else None
