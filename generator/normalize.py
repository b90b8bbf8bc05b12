"""One dialect for everything downstream: OpenAPI 3.1 / JSON Schema 2020-12.

`check_document` refuses what we cannot understand (Swagger 2.0, no `openapi` key, 4.x).
`Spec` resolves local `$ref`s and hands out schema views with 3.0 constructs folded into
their 3.1 form, so the IR builder never asks which dialect it is reading.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .diagnostics import SpecError, child, has_node
from .load import COMPONENT_MAPS, Document

if TYPE_CHECKING:
    import referencing

_NULL = {"type": "null"}
_MAPPING_HINT = "Write it as `name: value` pairs, as the OpenAPI specification describes this object."


def text(value: Any) -> str | None:
    """A description, summary or title as the IR keeps it: the spec's string, or None for
    anything else (a number, a list: the validator's verdict reports those)."""
    return value if isinstance(value, str) else None


def check_document(doc: Document) -> str:
    """Return the dialect ("3.0" or "3.1") or raise SpecError for anything else."""
    data = doc.data
    if "swagger" in data:
        raise SpecError(
            doc.locate("#/swagger"),
            f"this is a Swagger {data['swagger']} document, not OpenAPI 3.",
            "Convert it to OpenAPI 3 first (e.g. with swagger2openapi), then generate from that.",
        )
    raw = data.get("openapi")
    if raw is None:
        raise SpecError(
            doc.locate("#"),
            "not an OpenAPI document: there is no `openapi` version key.",
            "sdkgen reads OpenAPI 3.0 and 3.1 descriptions.",
        )
    text = str(raw)
    if text.startswith("3.0"):
        dialect = "3.0"
    elif text.startswith(("3.1", "3.2")):
        dialect = "3.1"
    else:
        raise SpecError(
            doc.locate("#/openapi"),
            f"unsupported OpenAPI version {text!r}.",
            "sdkgen reads OpenAPI 3.0 and 3.1 descriptions.",
        )
    for key in ("paths", "webhooks", "components"):
        if key in data and not isinstance(data[key], dict):
            raise SpecError(doc.locate(f"#/{key}"), f"`{key}` must be a mapping.", _MAPPING_HINT)
    components = data.get("components") or {}
    for key in COMPONENT_MAPS:
        if components.get(key) is not None and not isinstance(components[key], dict):
            raise SpecError(
                doc.locate(f"#/components/{key}"),
                f"`components.{key}` must be a mapping of names to objects.",
                _MAPPING_HINT,
            )
    return dialect


_STR = frozenset({str})
_SCHEMA_TYPES = frozenset({dict, bool})


def _names(value: Any) -> bool:
    return isinstance(value, list) and {*map(type, value)} <= _STR  # parsed JSON: exact types


def _subschemas(value: Any) -> bool:
    return isinstance(value, list) and {*map(type, value)} <= _SCHEMA_TYPES


# The JSON type each keyword that shapes a schema's values must have: with another, the
# keyword is ignored (`fold_schema`), with a warning (`shape_problems`)
_SHAPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "type": (lambda v: isinstance(v, str) or _names(v), "a type name or a list of type names"),
    "required": (_names, "a list of property names"),
    "properties": (lambda v: isinstance(v, dict), "a mapping of property names to schemas"),
    "patternProperties": (lambda v: isinstance(v, dict), "a mapping of patterns to schemas"),
    "additionalProperties": (lambda v: isinstance(v, (dict, bool)), "a schema or a boolean"),
    "allOf": (_subschemas, "a list of schemas"),
    "anyOf": (_subschemas, "a list of schemas"),
    "oneOf": (_subschemas, "a list of schemas"),
    "prefixItems": (_subschemas, "a list of schemas"),
    "enum": (lambda v: isinstance(v, list), "a list of values"),
}


_SHAPED = frozenset(_SHAPES)
_ORDER = {key: n for n, key in enumerate(_SHAPES)}


def shape_problems(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """Each keyword of `schema` whose value has the wrong JSON type (`required: 3`,
    `allOf: {...}`), with what it must be, in `_SHAPES`' order. (Called for every schema
    view: the keywords present are found by one set operation, and a `type` that is a
    string, in nearly every schema, costs no call.)"""
    found = []
    for key in _SHAPED.intersection(schema):
        value = schema[key]
        if (key != "type" or value.__class__ is not str) and not _SHAPES[key][0](value):
            found.append((key, _SHAPES[key][1]))
    if len(found) > 1:
        found.sort(key=lambda problem: _ORDER[problem[0]])
    return found


def fold_schema(schema: dict[str, Any], problems: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """A 3.1-form view of one schema object (shallow; sub-schemas are folded when read).

    - 3.0 `nullable: true` becomes a `null` member of `type`, or an `anyOf` with null
      around a `$ref`/composition;
    - boolean `exclusiveMinimum`/`exclusiveMaximum` (3.0 style, also seen in 3.1 specs)
      become the numeric 3.1 bounds;
    - a single `example` becomes `examples: [example]`;
    - a keyword with the wrong JSON type (`shape_problems`) is left out of the view, so no
      reader trips on it: the schema builder reports it where it builds the schema.
      `problems`: those keywords, when the caller has found them already.
    """
    if problems is None:
        problems = shape_problems(schema)
    if problems:
        wrong = {key for key, _ in problems}
        schema = {k: v for k, v in schema.items() if k not in wrong}
    if not any(k in schema for k in ("nullable", "exclusiveMinimum", "exclusiveMaximum", "example")):
        return schema
    out = dict(schema)
    for bound, excl in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        flag = out.get(excl)
        if isinstance(flag, bool):
            del out[excl]
            if flag and bound in out:
                out[excl] = out.pop(bound)
    if "example" in out:
        example = out.pop("example")
        out.setdefault("examples", [example])
    if out.pop("nullable", False) is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
            if isinstance(out.get("enum"), list) and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        elif isinstance(kind, list):
            if "null" not in kind:
                out["type"] = [*kind, "null"]
        else:
            keep = {
                k: v
                for k, v in out.items()
                if k in ("description", "title", "default", "examples", "deprecated", "readOnly", "writeOnly")
            }
            inner = {k: v for k, v in out.items() if k not in keep}
            out = {**keep, "anyOf": [inner, _NULL]}
    return out


class Spec:
    """The document plus `$ref` resolution; the only reader of raw spec data."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.dialect = check_document(doc)
        # the `openapi` version as written ("3.2.0" reads as the 3.1 dialect, plus its
        # own fields: `query`, `additionalOperations`)
        self.version = str(doc.data.get("openapi", ""))
        self._registry: referencing.Registry[Any] | None = None
        self._cache: dict[str, tuple[Any, str]] = {}

    def _anchored(self, ref: str) -> Any:
        """The node a plain-name reference (`#name`, an `$anchor`) names, found by the
        `referencing` library; imported (~33 ms) and given the document only for such a
        reference. Raises the library's `Unresolvable` when it names nothing."""
        import referencing.jsonschema

        uri = Path(self.doc.path).resolve().as_uri()
        if self._registry is None:
            spec = referencing.jsonschema.DRAFT202012 if self.dialect == "3.1" else referencing.jsonschema.DRAFT4
            self._registry = referencing.Registry().with_resource(uri, spec.create_resource(self.doc.data))
        return self._registry.resolver(base_uri=uri).lookup(ref).contents

    def _pointed(self, fragment: str) -> Any:
        """The node a JSON pointer fragment (`/components/schemas/A`, percent-encoded as in a
        URI) names, walked as `referencing` walks it (`Resource.pointer`: percent-decoded,
        then split at `/`; a list's segment read by `int()`, a mapping's with `~1` and `~0`
        unescaped); KeyError when it names nothing."""
        node = self.doc.data
        for segment in unquote(fragment[1:]).split("/"):
            try:
                if isinstance(node, list):
                    node = node[int(segment)]
                elif isinstance(node, dict):
                    node = node[segment.replace("~1", "/").replace("~0", "~")]
                else:
                    raise KeyError(segment)
            except (ValueError, IndexError):
                raise KeyError(segment) from None
        return node

    # -- the document's top-level parts, each as the builder reads it ------------------

    def _mapping(self, *keys: str) -> dict[str, Any]:
        node: Any = self.doc.data
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        return node if isinstance(node, dict) else {}

    def info(self) -> dict[str, Any]:
        return self._mapping("info")

    def servers(self) -> Any:
        """The raw `servers` value (a list when well-formed)."""
        return self.doc.data.get("servers")

    def paths(self) -> dict[str, Any]:
        return self._mapping("paths")

    def webhooks(self) -> dict[str, Any]:
        return self._mapping("webhooks")

    def component_schemas(self) -> dict[str, Any]:
        return self._mapping("components", "schemas")

    def security_schemes(self) -> dict[str, Any]:
        return self._mapping("components", "securitySchemes")

    def security(self) -> Any:
        """The document-wide `security` requirement (None when absent)."""
        return self.doc.data.get("security")

    def exists(self, ptr: str) -> bool:
        """Whether the document has a node at the (unresolved) pointer `ptr`."""
        return has_node(self.doc.data, ptr)

    # -- references ---------------------------------------------------------------------

    def lookup(self, ref: str, where: str) -> tuple[Any, str]:
        """Follow one `$ref` (found at pointer `where`); return the target and its pointer."""
        hit = self._cache.get(ref)
        if hit is not None:
            return hit
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise SpecError(
                self.doc.locate(where),
                f"external $ref {ref!r} is not supported.",
                "Bundle the description into one file first (e.g. `redocly bundle`).",
            )
        if ref == "#" or ref.startswith("#/"):  # a JSON pointer: nearly every reference
            try:
                target = self._pointed(ref[1:]) if ref != "#" else self.doc.data
            except KeyError:
                raise self._nowhere(ref, where) from None
        else:  # `#name`: a plain-name anchor (`$anchor`), the library's to find
            import referencing.exceptions

            try:
                target = self._anchored(ref)
            except referencing.exceptions.Unresolvable:
                raise self._nowhere(ref, where) from None
        result = (target, ref)
        self._cache[ref] = result
        return result

    def _nowhere(self, ref: str, where: str) -> SpecError:
        return SpecError(
            self.doc.locate(where),
            f"$ref {ref!r} points to nothing in this document.",
            "Check the spelling of the target; JSON pointers are case-sensitive.",
        )

    def deref(self, node: Any, where: str) -> tuple[Any, str]:
        """Follow `$ref` chains from `node` (at `where`) to a non-reference object."""
        seen: list[str] = []
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str):
                raise SpecError(
                    self.doc.locate(child(where, "$ref")),
                    f"`$ref` must be a string (a URI such as '#/components/schemas/Name'), not {type(ref).__name__}.",
                    "Quote the reference, or rename the key if this object is data rather than a reference.",
                )
            if ref in seen:
                raise SpecError(
                    self.doc.locate(where),
                    f"$ref cycle with no schema in it: {' -> '.join([*seen, ref])}.",
                    "Point one of these references at an actual object instead of another reference.",
                )
            seen.append(ref)
            node, where = self.lookup(ref, where)
        return node, where
