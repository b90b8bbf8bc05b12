"""JSON Schema -> IR types and named models, enums and aliases.

Schemas are built on demand from the operations that use them, so only reachable
schemas are emitted. Component names are claimed up front in document order, so a
component keeps its name whatever else becomes reachable; inline schemas are named from
where they stand (`Order` + `status` -> `OrderStatus`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from .. import naming
from ..diagnostics import SpecError, SpecWarning, child, unescape_pointer
from ..ir import model as m
from ..ir import types as t
from ..normalize import Spec, fold_schema, shape_problems, text
from . import unions
from .inheritance import MAX_MEMBERS, Hierarchy

_DOC_KEYS = ("description", "examples", "deprecated", "readOnly", "writeOnly", "default", "title")
# keys that say nothing of a value's shape: an `allOf` member made of them only annotates
_ANNOTATION_KEYS = frozenset({*_DOC_KEYS, "example", "externalDocs", "xml", "$comment", "nullable"})
# keys whose presence makes a schema an object's (or may: a composition): `allOf` merges those
_OBJECT_KEYS = ("properties", "additionalProperties", "patternProperties", "required", "allOf", "anyOf", "oneOf")


def _annotation_only(part: Any) -> bool:
    """An `allOf` member that only documents (AWS: `allOf: [{$ref: String}, {description}]`)."""
    return isinstance(part, dict) and all(k in _ANNOTATION_KEYS or k.startswith("x-") for k in part)


# keys of an `anyOf`/`oneOf` member that only says which of its object's properties must
# be present (urlbox's `RenderRequest`: `oneOf: [{required: [url]}, {required: [html]}]`)
_PRESENCE_KEYS = frozenset(
    {*_ANNOTATION_KEYS, "required", "not", "minProperties", "maxProperties", "dependentRequired"}
)


def _presence_only(s: dict[str, Any], key: str) -> bool:
    """An object (named properties) whose `anyOf`/`oneOf` members only require some of
    them: a choice of required keys, not of shapes."""
    members = s[key]
    return (
        isinstance(s.get("properties"), dict)
        and bool(s["properties"])
        and all(isinstance(x, dict) and all(k in _PRESENCE_KEYS or k.startswith("x-") for k in x) for x in members)
    )


def _required_sets(s: dict[str, Any], key: str) -> list[list[str]]:
    return [[str(r) for r in x.get("required") or [] if isinstance(r, str)] for x in s[key]]


MAX_NESTING = 100  # JSON pointer tokens: dozens of inline levels, far beyond any real spec


# the keywords `constraints_of` reads: a schema with none of them (most) has no constraints
_CONSTRAINT_KEYS = frozenset(
    {
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
    }
)


def constraints_of(s: dict[str, Any]) -> t.Constraints | None:
    if _CONSTRAINT_KEYS.isdisjoint(s):
        return None

    def num(key: str) -> Any:
        value = s.get(key)
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    found = t.Constraints(
        min_length=num("minLength"),
        max_length=num("maxLength"),
        pattern=s.get("pattern") if isinstance(s.get("pattern"), str) else None,
        minimum=num("minimum"),
        maximum=num("maximum"),
        exclusive_minimum=num("exclusiveMinimum"),
        exclusive_maximum=num("exclusiveMaximum"),
        multiple_of=num("multipleOf"),
        min_items=num("minItems"),
        max_items=num("maxItems"),
        unique_items=s.get("uniqueItems") is True,
        min_properties=num("minProperties"),
        max_properties=num("maxProperties"),
    )
    return None if found.is_empty() else found


def noted(description: str | None, note: str) -> str:
    """The spec's description, then `note` (the generator's) as a paragraph of its own."""
    return f"{description.strip()}\n\n{note}" if description and description.strip() else note


def doc_of(spec: Spec, node: Any, ptr: str) -> dict[str, Any]:
    """Documentation keys of a schema, looking through `$ref` and a nullable `anyOf`.

    Polar writes `{"anyOf": [{"type": "string", "description": ...}, {"type": "null"}]}`
    as often as it puts the description beside the `anyOf`; both read the same here.
    """
    if not isinstance(node, dict):
        return {}
    node = fold_schema(node)
    found = {k: node[k] for k in _DOC_KEYS if k in node}
    for part in node.get("allOf") or []:  # AWS's `allOf: [{$ref: String}, {description}]`
        if _annotation_only(part):
            for key, value in fold_schema(part).items():
                if key in _DOC_KEYS and key != "title":
                    found.setdefault(key, value)
    inner: list[Any] = [v for key in ("anyOf", "oneOf") for v in node.get(key) or [] if isinstance(v, dict)]
    non_null = [v for v in inner if v.get("type") != "null"]
    if len(non_null) == 1:
        for key, value in fold_schema(non_null[0]).items():
            if key in _DOC_KEYS and key != "title":
                found.setdefault(key, value)
    return found


class SchemaBuilder:
    def __init__(self, spec: Spec, warnings: list[SpecWarning]) -> None:
        self.spec = spec
        self.warnings = warnings
        self.names = naming.Namespace(naming.RESERVED_CLASS_NAMES)
        self.models: dict[str, m.Model] = {}
        self.enums: dict[str, m.Enum] = {}
        self.aliases: dict[str, m.Alias] = {}
        self._by_pointer: dict[str, t.Type] = {}
        self._admits_null: set[str] = set()  # schemas typed `[X, "null"]` (3.0 `nullable`)
        self._building: list[str] = []  # pointers of the schemas being built, outermost first
        self._component_names: dict[str, str] = {}
        self.skipped: list[tuple[str, SpecError]] = []  # (what, why) of component schemas left out
        self._failed: dict[str, SpecError] = {}  # schemas whose build raised, by pointer
        for key in spec.component_schemas():
            self._component_names[child("#/components/schemas", key)] = self.names.claim(naming.class_name(str(key)))
        # inheritance families (builder/inheritance.py): a `$ref` to a base is the union
        # `Any<Base>` of its subtypes and itself, named up front as components are
        self.hierarchy = Hierarchy(spec)
        self._family_names = {
            ptr: self.names.claim(naming.class_name(f"Any_{family.name}"))
            for ptr, family in self.hierarchy.families.items()
        }
        self._family_refs: dict[str, t.Type] = {}
        if self.hierarchy.left_out:
            first, more = self.hierarchy.left_out[0], len(self.hierarchy.left_out) - 1
            self.warn(
                first,
                f"the inheritance families here list more than {MAX_MEMBERS:,} subtypes in all: this schema"
                + (f" and {more} more" if more else "")
                + " are read as themselves, not as the subtype a value's tag names "
                "(a subtype's own fields are kept untyped in `unknown_fields`).",
            )

    def build_all_components(self) -> None:
        """Build the components no operation reached, in document order."""
        for ptr, name in self._component_names.items():
            try:
                target, target_ptr = self.spec.deref({"$ref": ptr}, ptr)
                built = self.type_of(target, target_ptr, name)
            except SpecError as exc:
                self.skipped.append((f"schema {name}", exc))  # and whatever needs it (partial.py)
                continue
            if target_ptr in self._failed:  # its build failed earlier, reached from an operation
                self.skipped.append((f"schema {name}", self._failed[target_ptr]))
                continue
            if target_ptr in self.hierarchy.families:
                try:
                    self._family(target_ptr, target)  # the union is public surface too
                except SpecError as exc:
                    self.skipped.append((f"schema {self._family_names[target_ptr]}", exc))
            inner, _ = t.strip_nullable(built)
            named = isinstance(inner, (t.ModelRef, t.EnumRef, t.AliasRef)) and inner.name == name
            if not named and name not in self.aliases:
                # A scalar, array or map component: fields inline its type, and the
                # package still exports the name as a type alias.
                description = target.get("description") if isinstance(target, dict) else None
                self.aliases[name] = m.Alias(name, ptr, built, description)

    # -- helpers --------------------------------------------------------------------

    def warn(self, ptr: str, message: str) -> None:
        self.warnings.append(SpecWarning(self.spec.doc.locate(ptr), message))

    def _name_for(self, ptr: str, hint: str) -> str:
        named = self._component_names.get(ptr)
        return named if named is not None else self.names.claim(naming.class_name(hint))

    # -- the entry point ------------------------------------------------------------

    def type_of(self, node: Any, ptr: str, hint: str) -> t.Type:
        """The IR type of the schema `node` found at `ptr`; `hint` names inline schemas."""
        if isinstance(node, bool):
            return t.AnyType() if node else t.AnyType("schema `false` accepts nothing")
        if not isinstance(node, dict):
            self.warn(ptr, "a schema must be an object; typed as Any.")
            return t.AnyType("not a schema object")
        if "$ref" in node:
            target, target_ptr = self.spec.deref(node, ptr)
            if target_ptr in self.hierarchy.families:
                referred = self._family(target_ptr, target)
            else:
                referred = self.type_of(target, target_ptr, hint)
            if node.get("nullable") is True and not isinstance(referred, t.Nullable):
                # `{$ref: X, nullable: true}`: OpenAPI 3.0 ignores a `$ref`'s siblings, but
                # the idiom means "X or null" (Twilio's enums, Airflow's and Svix's nested
                # objects: 42 of APIs.guru's specs under 1 MB, 1,034 times), the servers
                # send null there, and Prism's mocks do: read as written, a response with
                # that null failed to decode
                return t.Nullable(referred)
            return referred
        known = self._by_pointer.get(ptr)
        if known is not None:
            if ptr in self._admits_null and not isinstance(known, t.Nullable):
                # reached again while its model is being built (a cycle, or an allOf that
                # merges its properties): the bare model named first, but null is allowed
                return t.Nullable(known)
            return known
        if ptr in self._building and not self._named_since(ptr):
            # Models and enums are named before their insides are built, so a cycle through
            # one ends at its name; a schema that contains itself with no model in between
            # (`A: {items: {$ref: A}}`) has no finite type.
            self.warn(
                ptr, "this schema contains itself with no object in between; the inner occurrence is typed as Any."
            )
            return t.AnyType("recursive schema")
        # a pointer has at most one token more than it has slashes: most are not split at all
        if ptr.count("/") >= MAX_NESTING and len(unescape_pointer(ptr)) > MAX_NESTING:
            raise SpecError(
                self.spec.doc.locate(ptr),
                f"schemas nest more than {MAX_NESTING} levels deep here.",
                "Name the inner schemas in `components/schemas` and refer to them with `$ref`.",
            )
        problems = self._check_shape(node, ptr)
        self._building.append(ptr)
        try:
            built = self._build(fold_schema(node, problems), ptr, hint)
        except SpecError as exc:
            self._failed.setdefault(ptr, exc)  # named early, never finished: left out (partial.py)
            raise
        finally:
            self._building.pop()
        if ptr.startswith("#/"):
            self._by_pointer[ptr] = built
        return built

    def _check_shape(self, node: dict[str, Any], ptr: str) -> list[tuple[str, str]]:
        """Warn of each keyword of a schema with the wrong JSON type (`required: 3`), which
        `fold_schema` leaves out of the schema as the builder reads it; returns them."""
        problems = shape_problems(node)
        for key, must_be in problems:
            self.warn(child(ptr, key), f"`{key}` must be {must_be}: it is ignored.")
        return problems

    def _family(self, ptr: str, node: Any) -> t.Type:
        """The union a `$ref` to the inheritance base at `ptr` stands for: each subtype,
        then the base itself, which also takes any tag no subtype has."""
        family = self.hierarchy.families[ptr]
        base, nullable = t.strip_nullable(self.type_of(node, ptr, family.name))  # built once, by pointer
        known = self._family_refs.get(ptr)
        if known is not None:  # built before, or while the base was (it refers to itself)
            return known
        name = self._family_names[ptr]
        ref: t.Type = t.AliasRef(name)
        if nullable:
            ref = t.Nullable(ref)
        self._family_refs[ptr] = ref  # before the subtypes: one that refers to the base ends here
        variants: dict[t.Type, None] = {}  # ordered, each once
        mapping: list[tuple[str, str]] = []
        for member_ptr, values in family.members:
            if member_ptr == ptr:
                member: t.Type = base
            else:
                member_node, _ = self.spec.deref({"$ref": member_ptr}, member_ptr)
                member, _ = t.strip_nullable(self.type_of(member_node, member_ptr, family.name))
            if isinstance(member, t.ModelRef) and member not in variants:
                variants[member] = None
                mapping.extend((value, member.name) for value in values)
            elif member_ptr == ptr:
                variants[member] = None  # a base without properties: a map, the fallback
        base_name = base.name if isinstance(base, t.ModelRef) else None
        union = t.Union(tuple(variants), t.Discriminator(family.property, tuple(mapping), base_name))
        shown = f"`{base_name}`" if base_name is not None else "an object"
        description = (
            f"One of the schemas that extend {shown}, told apart by `{family.property}`; "
            f"{shown} itself for any other value."
        )
        self.aliases[name] = m.Alias(name, child(ptr, "discriminator"), union, description)
        return ref

    def _named_since(self, ptr: str) -> bool:
        """Whether a model or enum being built lies between `ptr`'s first entry and here."""
        start = self._building.index(ptr)
        return any(isinstance(self._by_pointer.get(p), (t.ModelRef, t.EnumRef)) for p in self._building[start + 1 :])

    def _build(self, s: dict[str, Any], ptr: str, hint: str) -> t.Type:
        kind = s.get("type")
        if isinstance(kind, list) and "null" in kind and any(s.get(k) for k in ("allOf", "anyOf", "oneOf")):
            return self._type_list(s, kind, ptr, hint)  # 3.1 `type: [object, "null"]` beside allOf
        for key in ("anyOf", "oneOf"):
            if isinstance(s.get(key), list) and s[key]:
                if _presence_only(s, key):
                    return self._build(self._presence(s, key), ptr, hint)
                self._warn_beside_union(s, key, ptr)
                return unions.build_union(self, s, key, ptr, hint)
        if isinstance(s.get("allOf"), list) and s["allOf"]:
            return self._all_of(s, ptr, hint)
        if "const" in s:
            return self._const(s["const"], ptr)
        if isinstance(kind, list):
            return self._type_list(s, kind, ptr, hint)
        if isinstance(s.get("enum"), list):
            return self._enum(s, ptr, hint)
        if kind == "object" or (kind is None and any(k in s for k in ("properties", "additionalProperties"))):
            return self._object(s, ptr, hint)
        if kind == "array" or (kind is None and ("items" in s or "prefixItems" in s)):
            return self._array(s, ptr, hint)
        return self._scalar(s, kind, ptr)

    def _warn_beside_union(self, s: dict[str, Any], key: str, ptr: str) -> None:
        """Properties written beside `anyOf`/`oneOf` are not merged into its members (snyk's
        issue results declare `issue` and `isFixed` beside a `oneOf` of `project` and
        `projects`): warned, naming those a member does not declare itself."""
        props = s.get("properties")
        if not isinstance(props, dict) or not props:
            return
        missing: dict[str, None] = {}
        for i, member in enumerate(s[key]):
            node, _ = self.spec.deref(member, child(ptr, key, i))
            if not isinstance(node, dict) or node.get("type") == "null":
                continue
            own = node.get("properties")
            missing.update((str(name), None) for name in props if not (isinstance(own, dict) and name in own))
        if missing:
            names = ", ".join(f"`{n}`" for n in list(missing)[:8]) + (", ..." if len(missing) > 8 else "")
            self.warn(
                child(ptr, "properties"),
                f"properties beside `{key}` are not part of its members' models: {names}. A value's "
                "fields of these names are kept untyped in `unknown_fields` (the Go client drops them), "
                f"and a request cannot set them. Declare them in each member of `{key}`.",
            )

    def _presence(self, s: dict[str, Any], key: str) -> dict[str, Any]:
        """The object itself, for `anyOf`/`oneOf` members that only require some of its
        properties (was: a union of schemas without shape, typed Any, the properties lost).
        A property every member requires is required; the choice is told in the
        description, as the client does not check it."""
        sets = _required_sets(s, key)
        always = [r for r in sets[0] if all(r in other for other in sets[1:])] if sets else []
        out = {k: v for k, v in s.items() if k != key}
        out["required"] = list(dict.fromkeys([*(s.get("required") or []), *always]))
        choices = [", ".join(f"`{r}`" for r in x if r not in always) for x in sets]
        choices = [c for c in choices if c]
        if choices:
            which = "one of" if key == "oneOf" else "at least one of"
            note = f"Besides the required fields, {which}: " + "; or ".join(choices) + "."
            description = s.get("description")
            out["description"] = noted(description if isinstance(description, str) else None, note)
        return out

    # -- kinds ----------------------------------------------------------------------

    def _const(self, value: Any, ptr: str) -> t.Type:
        if value is None:
            return t.Primitive("null")
        if isinstance(value, (str, int, float, bool)):
            return t.Const(value)
        self.warn(ptr, "a `const` that is not a scalar is typed as Any.")
        return t.AnyType("non-scalar const")

    def _scalar(self, s: dict[str, Any], kind: Any, ptr: str) -> t.Type:
        fmt = s.get("format") if isinstance(s.get("format"), str) else None
        c = constraints_of(s)
        if kind == "string":
            if fmt in ("binary",):
                return t.Primitive("bytes", fmt, c)
            return t.Primitive("str", fmt, c)
        if kind == "integer":
            return t.Primitive("int", fmt, c)
        if kind == "number":
            return t.Primitive("float", fmt, c)
        if kind == "boolean":
            return t.Primitive("bool")
        if kind == "null":
            return t.Primitive("null")
        if kind is not None:
            self.warn(ptr, f"unknown type {kind!r}; typed as Any.")
            return t.AnyType(f"unknown type {kind!r}")
        return t.AnyType()

    def _type_list(self, s: dict[str, Any], kinds: list[Any], ptr: str, hint: str) -> t.Type:
        nullable = "null" in kinds
        rest = [k for k in kinds if k != "null"]
        if not rest:
            return t.Primitive("null")
        if nullable:
            self._admits_null.add(ptr)
        if len(rest) == 1:
            single = dict(s, type=rest[0])
            if isinstance(single.get("enum"), list):
                single["enum"] = [v for v in single["enum"] if v is not None]
            inner = self._build(single, ptr, hint)
        else:
            inner = unions.simplify(self, [self._build(dict(s, type=k), ptr, hint) for k in rest], None, ptr)
        return t.Nullable(inner) if nullable else inner

    def _enum(self, s: dict[str, Any], ptr: str, hint: str) -> t.Type:
        values = list(s["enum"])
        nullable = None in values
        values = [v for v in values if v is not None]
        if not values:
            return t.Primitive("null")
        if len(values) == 1 and ptr not in self._component_names:
            inner: t.Type = self._const(values[0], ptr)
        elif all(isinstance(v, str) for v in values) or all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            inner = self._named_enum(s, values, ptr, hint)
        else:
            self.warn(
                ptr, "an enum whose values are not all strings or all integers is typed as the union of its values."
            )
            inner = unions.simplify(self, [self._const(v, ptr) for v in values], None, ptr)
        return t.Nullable(inner) if nullable else inner

    def _named_enum(self, s: dict[str, Any], values: list[Any], ptr: str, hint: str) -> t.Type:
        name = self._name_for(ptr, hint)
        ref = t.EnumRef(name)
        self._by_pointer[ptr] = ref
        members = naming.Namespace({"name", "value", "is_known", "mro"})
        seen: set[Any] = set()
        out = []
        for value in values:
            if value in seen:
                continue
            seen.add(value)
            out.append(m.EnumMember(members.claim(naming.enum_member(value)), value))
        kind: Literal["str", "int"] = "str" if isinstance(values[0], str) else "int"
        self.enums[name] = m.Enum(name, ptr, kind, tuple(out), text(s.get("description")), s.get("deprecated") is True)
        return ref

    def _array(self, s: dict[str, Any], ptr: str, hint: str) -> t.Type:
        prefix = s.get("prefixItems")
        c = constraints_of(s)
        if isinstance(prefix, list) and prefix:
            n = len(prefix)
            items = tuple(self.type_of(p, child(ptr, "prefixItems", i), f"{hint}Item{i}") for i, p in enumerate(prefix))
            if s.get("minItems") == n and s.get("maxItems") == n:
                return t.Tuple(items)
            rest = s.get("items")
            extra = [self.type_of(rest, child(ptr, "items"), f"{hint}Item")] if isinstance(rest, dict) else []
            return t.Array(unions.simplify(self, [*items, *extra], None, ptr), c)
        items_schema = s.get("items")
        if items_schema is None:
            return t.Array(t.AnyType(), c)
        return t.Array(self.type_of(items_schema, child(ptr, "items"), f"{hint}Item"), c)

    def _object(self, s: dict[str, Any], ptr: str, hint: str) -> t.Type:
        props = s.get("properties")
        if isinstance(props, dict) and props:
            return self._model(s, ptr, hint)
        extra = s.get("additionalProperties")
        patterns = s.get("patternProperties")
        key = constraints_of(s["propertyNames"]) if isinstance(s.get("propertyNames"), dict) else None
        c = constraints_of(s)
        if isinstance(extra, dict):
            return t.Map(self.type_of(extra, child(ptr, "additionalProperties"), f"{hint}Value"), key, c)
        if isinstance(patterns, dict) and patterns:
            values = [self.type_of(v, child(ptr, "patternProperties", k), f"{hint}Value") for k, v in patterns.items()]
            return t.Map(unions.simplify(self, values, None, ptr), key, c)
        if extra is False and (c is None or c.max_properties is None):
            # no property declared and none other allowed: an empty object (its example
            # is `{}`, its docs say so), whatever dict the caller's type checker admits
            c = t.Constraints(max_properties=0) if c is None else replace(c, max_properties=0)
        return t.Map(t.AnyType(), key, c)

    def _all_of(self, s: dict[str, Any], ptr: str, hint: str) -> t.Type:
        parts = s["allOf"]
        own = {k: v for k, v in s.items() if k != "allOf"}
        if ptr in self.hierarchy.subtypes:
            # it extends an inheritance base (builder/inheritance.py): always its own model,
            # the base's properties merged in (`Stone: allOf [Pet]` too), never the base's
            # union; one that nothing extends holds its tag as a constant, always sent
            tag = self.hierarchy.leaf_tags.get(ptr)
            return self._merged(parts, own, ptr, hint, dict([tag]) if tag is not None else None)
        if len(parts) == 1 and not own.get("properties"):
            return self.type_of(parts[0], child(ptr, "allOf", 0), hint)
        # members that only document (AWS's 300-odd specs: `allOf: [{$ref: String},
        # {description}]` on every property) are not merged as an object: one member left
        # is the type, as a single member is
        shaping = [(i, part) for i, part in enumerate(parts) if not _annotation_only(part)]
        if len(shaping) == 1 and _annotation_only(own):
            i, part = shaping[0]
            return self.type_of(part, child(ptr, "allOf", i), hint)
        if not self._object_like([part for _, part in shaping], ptr) and not any(k in own for k in _OBJECT_KEYS):
            # no member says object (a string and its constraints): one schema of them all
            flat: dict[str, Any] = {}
            for i, part in shaping:
                target, _ = self.spec.deref(part, child(ptr, "allOf", i)) if "$ref" in part else (part, ptr)
                for key, value in (target if isinstance(target, dict) else {}).items():
                    flat.setdefault(key, value)
            for key, value in own.items():
                flat[key] = value
            if flat.get("type") not in (None, "object"):
                return self._build(fold_schema(flat), ptr, hint)  # this schema, flattened
        return self._merged(parts, own, ptr, hint)

    def _merged(
        self, parts: list[Any], own: dict[str, Any], ptr: str, hint: str, consts: dict[str, str] | None = None
    ) -> t.Type:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        sources: dict[str, str] = {}
        for i, part in enumerate([*parts, own]):
            part_ptr = child(ptr, "allOf", i) if i < len(parts) else ptr
            self._merge_into(merged, sources, part, part_ptr, depth=0)
        for key in ("description", "title", "deprecated", "examples"):
            if key in own:
                merged[key] = own[key]
        for key in consts or {}:
            merged["properties"].setdefault(key, {})
            if key not in merged["required"]:
                merged["required"].append(key)
        return self._model(merged, ptr, hint, sources, consts)

    def _object_like(self, parts: list[Any], ptr: str) -> bool:
        """Whether any of `allOf`'s members (through `$ref`) is, or may be, an object's."""
        for part in parts:
            if isinstance(part, dict) and "$ref" in part:
                part, _ = self.spec.deref(part, ptr)
            if not isinstance(part, dict):
                return True  # `true`, `false`: left to the merge, as before
            kind = part.get("type")
            if kind == "object" or (isinstance(kind, list) and "object" in kind) or (kind is None and "$ref" in part):
                return True
            if any(k in part for k in _OBJECT_KEYS):
                return True
        return False

    def _merge_into(self, merged: dict[str, Any], sources: dict[str, str], part: Any, ptr: str, depth: int) -> None:
        if depth > 32 or not isinstance(part, dict):
            return
        if "$ref" in part:
            part, ptr = self.spec.deref(part, ptr)
            if not isinstance(part, dict):
                return
        part = fold_schema(part, self._check_shape(part, ptr))
        for i, sub in enumerate(part.get("allOf") or []):
            self._merge_into(merged, sources, sub, child(ptr, "allOf", i), depth + 1)
        props = part.get("properties")
        for name, prop in (props if isinstance(props, dict) else {}).items():
            merged["properties"][name] = prop
            sources[name] = child(ptr, "properties", name)
        for name in part.get("required") or []:
            if name not in merged["required"]:
                merged["required"].append(name)
        for key in ("description", "title"):
            if key in part and depth == 0:
                merged.setdefault(key, part[key])

    def _model(
        self,
        s: dict[str, Any],
        ptr: str,
        hint: str,
        sources: dict[str, str] | None = None,
        consts: dict[str, str] | None = None,
    ) -> t.Type:
        """A named model; `sources` is where each property of a merged `allOf` was written,
        `consts` the properties that hold one value (a subtype's tag)."""
        name = self._name_for(ptr, hint)
        ref = t.ModelRef(name)
        self._by_pointer[ptr] = ref  # before the fields: recursion ends here
        required = set(s.get("required") or [])
        sources = sources or {}
        # `builtins`: the module that spells a builtin another field shadows (`builtins.str`)
        names = naming.Namespace({"from_dict", "to_dict", "builtins"})
        fields = []
        for json_name, prop in (s.get("properties") or {}).items():
            prop_ptr = sources.get(json_name) or child(ptr, "properties", json_name)
            if consts is not None and json_name in consts:
                ftype: t.Type = t.Const(consts[json_name])
            else:
                ftype = self.type_of(prop, prop_ptr, f"{name}_{json_name}")
            d = doc_of(self.spec, prop, prop_ptr)
            if "$ref" in (prop if isinstance(prop, dict) else {}):
                target, target_ptr = self.spec.deref(prop, prop_ptr)
                for key, value in doc_of(self.spec, target, target_ptr).items():
                    if key not in ("title", "examples"):
                        d.setdefault(key, value)
            examples = d.get("examples")
            fields.append(
                m.Field(
                    json_name=str(json_name),
                    name=names.claim(naming.field_name(str(json_name))),
                    type=ftype,
                    required=json_name in required,
                    description=text(d.get("description")),
                    has_default="default" in d,
                    default=d.get("default"),
                    read_only=d.get("readOnly") is True,
                    write_only=d.get("writeOnly") is True,
                    deprecated=d.get("deprecated") is True,
                    examples=tuple(examples) if isinstance(examples, list) else (),
                    tag=consts is not None and json_name in consts,
                )
            )
        examples = s.get("examples")
        extra = s.get("additionalProperties")
        declared = s.get("properties") or {}
        undeclared = [str(r) for r in s.get("required") or [] if r not in declared]
        if undeclared and not (isinstance(extra, dict) or extra is True):
            # asana's SectionRequest requires `project` and declares no such property (74 of
            # APIs.guru's specs do this, typos among them): no field can carry it
            are, them = ("is", "it") if len(undeclared) == 1 else ("are", "them")
            self.warn(
                child(ptr, "required"),
                f"{', '.join(repr(r) for r in undeclared)} {are} required but not declared in `properties`: "
                f"{name} has no field for {them}, so a request built from it lacks {them} and a response "
                f"needs not hold {them}.",
            )
        additional = None
        if isinstance(extra, dict) or extra is True:
            extra_ptr = child(ptr, "additionalProperties")
            additional = self.type_of(extra, extra_ptr, f"{name}Value") if isinstance(extra, dict) else t.AnyType()
        self.models[name] = m.Model(
            name=name,
            pointer=ptr,
            fields=tuple(fields),
            description=text(s.get("description")),
            title=text(s.get("title")),
            deprecated=s.get("deprecated") is True,
            examples=tuple(examples) if isinstance(examples, list) else (),
            additional=additional,
            additional_name=names.claim("additional_properties") if additional is not None else None,
        )
        return ref

    def alias(self, ptr: str, hint: str, built: t.Type, description: str | None) -> t.Type:
        """Name a union: components get their own alias, inline unions stay anonymous."""
        name = self._component_names.get(ptr)
        if name is None:
            return built
        self.aliases[name] = m.Alias(name, ptr, built, description)
        return t.AliasRef(name)
