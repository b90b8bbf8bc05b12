"""Build one valid example instance of a schema of an OpenAPI document.

The walk is deliberately simple and deterministic:
- `$ref` is followed (local `#/...` pointers only);
- objects get their `required` properties (and every property when `all_properties`);
- `anyOf` / `oneOf` take the first non-null branch; with a `discriminator` the first
  mapping entry is taken and its tag written into the discriminator property;
- `allOf` merges the branches' objects;
- scalars use `const`, else the first `enum` value, else the first `examples` / `example`,
  else `default`, else a value made from `type` and `format` (date-time, date, uuid, email,
  uri, ...) within `minimum` / `minLength`;
- arrays get `minItems` items (at least one) until the recursion depth runs out, then none.

Stdlib only, so both the harness and the tool interpreters can import it.
"""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

_NULL = object()

_FORMATS: dict[str, Any] = {
    "date-time": "2024-05-01T12:30:00Z",
    "date": "2024-05-01",
    "time": "12:30:00",
    "uuid": "5b7e2f6a-7d1c-4c2e-9a51-2f0c4d7e8a10",
    "uuid4": "5b7e2f6a-7d1c-4c2e-9a51-2f0c4d7e8a10",
    "email": "customer@example.com",
    "idn-email": "customer@example.com",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "iri": "https://example.com/resource",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "hostname": "example.com",
    "duration": "P1D",
    "binary": "",
    "byte": "",
}


_ANNOTATIONS = {"title", "description", "examples", "example", "default", "deprecated", "readOnly", "writeOnly"}


class Synthesiser:
    def __init__(self, document: dict[str, Any], *, max_depth: int = 8, all_properties: bool = False) -> None:
        self.document = document
        self.max_depth = max_depth
        self.all_properties = all_properties

    def resolve(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise ValueError(f"only local $refs are supported: {ref}")
        node: Any = self.document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def example(self, schema: dict[str, Any] | bool, depth: int = 0) -> Any:
        value = self._example(schema, depth)
        return None if value is _NULL else value

    def _example(self, schema: dict[str, Any] | bool, depth: int) -> Any:
        if schema is True or schema == {}:
            return "value"
        if schema is False:
            return _NULL
        assert isinstance(schema, dict)
        if "$ref" in schema:
            target = self.resolve(schema["$ref"])
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            if set(siblings) <= _ANNOTATIONS:
                return self._example(target, depth)
            return self._example({"allOf": [target, siblings]}, depth)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            non_null = [v for v in schema["enum"] if v is not None]
            return non_null[0] if non_null else None
        if "allOf" in schema:
            return self._all_of(schema, depth)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self._one_of(schema, schema[key], depth)
        types = schema.get("type")
        if isinstance(types, list):
            non_null = [t for t in types if t != "null"]
            kind = non_null[0] if non_null else "null"
        elif types is None:
            kind = "object" if "properties" in schema or "additionalProperties" in schema else "string"
        else:
            kind = types
        if kind not in ("object", "array"):
            for key in ("examples",):
                if isinstance(schema.get(key), list) and schema[key]:
                    return schema[key][0]
            for key in ("example", "default"):
                if key in schema:
                    return schema[key]
        if kind == "null":
            return None
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, depth)
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            return int(max(schema.get("minimum", 1), schema.get("exclusiveMinimum", 0) + 1))
        if kind == "number":
            return float(max(schema.get("minimum", 1.5), schema.get("exclusiveMinimum", 0) + 1.5))
        if kind == "boolean":
            return True
        raise ValueError(f"unknown type {kind!r}")

    def _one_of(self, schema: dict[str, Any], branches: list[Any], depth: int) -> Any:
        disc = schema.get("discriminator")
        if isinstance(disc, dict) and disc.get("mapping"):
            tag, ref = next(iter(disc["mapping"].items()))
            value = self._example({"$ref": ref}, depth)
            if isinstance(value, dict):
                value[disc["propertyName"]] = tag
            return value
        non_null = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
        if not non_null:
            return None
        # Past the depth limit a nullable field is left null: it ends recursive schemas.
        if depth >= self.max_depth and len(non_null) < len(branches):
            return None
        return self._example(non_null[0], depth)

    def _all_of(self, schema: dict[str, Any], depth: int) -> Any:
        merged: dict[str, Any] = {}
        scalar: Any = _NULL
        for branch in schema["allOf"]:
            value = self._example(branch, depth)
            if isinstance(value, dict):
                merged.update(value)
            else:
                scalar = value
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        if rest.get("properties"):
            merged.update(self._object(rest, depth))
        return merged if merged or scalar is _NULL else scalar

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        props = schema.get("properties", {})
        names = list(props) if self.all_properties else list(schema.get("required", []))
        out: dict[str, Any] = {}
        for name in names:
            sub = props.get(name, True)
            value = self._example(sub, depth + 1)
            if value is _NULL:
                continue
            out[name] = value
        return out

    def _array(self, schema: dict[str, Any], depth: int) -> list[Any]:
        if "prefixItems" in schema:
            return [self.example(s, depth + 1) for s in schema["prefixItems"]]
        count = max(1, int(schema.get("minItems", 1)))
        if depth >= self.max_depth:
            if schema.get("minItems", 0) == 0:
                return []
        items = schema.get("items", True)
        return [self.example(items, depth + 1) for _ in range(count)]

    @staticmethod
    def _string(schema: dict[str, Any]) -> str:
        fmt = schema.get("format")
        if fmt in _FORMATS:
            return _FORMATS[fmt]
        value = "string"
        min_len = int(schema.get("minLength", 0))
        max_len = schema.get("maxLength")
        if len(value) < min_len:
            value = value + "x" * (min_len - len(value))
        if max_len is not None and len(value) > int(max_len):
            value = value[: int(max_len)]
        return value


def component_example(document: dict[str, Any], name: str, **options: Any) -> Any:
    """One example instance of `#/components/schemas/<name>`."""
    return Synthesiser(document, **options).example({"$ref": f"#/components/schemas/{name}"})


def varied_list(instance: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """`count` deep copies of `instance`, each with its own `id` (a deterministic UUID)."""
    out = []
    for i in range(count):
        item = copy.deepcopy(instance)
        if "id" in item:
            item["id"] = str(uuid.UUID(int=(0x5B7E << 112) + i, version=4))
        out.append(item)
    return out


def validate(document: dict[str, Any], name: str, instance: Any) -> list[str]:
    """Messages of jsonschema's Draft 2020-12 validator, or a note when it is not installed."""
    try:
        import jsonschema
    except ImportError:
        return []
    schema = {"$ref": f"#/components/schemas/{name}", "components": document.get("components", {})}
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(instance)]


if __name__ == "__main__":  # python benchmarks/synth.py SPEC.json SCHEMA
    import sys

    with open(sys.argv[1], encoding="utf-8") as fh:
        doc = json.load(fh)
    example = component_example(doc, sys.argv[2])
    print(json.dumps(example, indent=2))
    for message in validate(doc, sys.argv[2], example):
        print("INVALID:", message, file=sys.stderr)
