"""An OpenAPI 3.2 document as the validators can check it: by 3.1's rules.

Neither validator (openapi-spec-validator 0.9, its Rust port 0.2) has a 3.2 schema, and
3.1's flags every 3.2 addition: the version itself, a path item's `query` and
`additionalOperations`, `in: querystring`, a tag's `parent`. Those warnings are wrong, and
warnings that are wrong teach users to ignore the right ones. So a 3.2 document is
validated as the 3.1 document it would be without what 3.2 adds (`view`): every other
rule still applies, at the same JSON pointers (keys are only removed, and two values
renamed to their 3.1 spelling, never moved). What 3.2 adds is read, and checked where the
client uses it, by the builder (`builder/operations.py`: the `query` method,
`additionalOperations`, `querystring` parameters).

The additions, by the object that holds them (OpenAPI 3.2.0, "Appendix: Changes"):
`$self` on the document; `name` on a server; `summary`, `parent` and `kind` on a tag;
`query` and `additionalOperations` on a path item; `in: querystring` and `style: cookie` on
a parameter; `itemSchema`, `itemEncoding` and `prefixEncoding` on a media type (and the
last two, with a nested `encoding`, on an encoding); `summary` on a response; `dataValue`
and `serializedValue` on an example; `defaultMapping` on a discriminator; `nodeType` on an
XML object; `deprecated` and `oauth2MetadataUrl` on a security scheme and the
`deviceAuthorization` flow; `mediaTypes` among the components.
"""

from __future__ import annotations

import json
from typing import Any

VALIDATED_AS = "3.1.2"  # the version the view declares: 3.1's schema accepts 3.1.x

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum", "value"})


def is_32(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("openapi"), str) and data["openapi"].startswith("3.2")


def view(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the 3.2 document `data` without what 3.2 adds (see the module docstring)."""
    doc: dict[str, Any] = json.loads(json.dumps(data))  # the loader admits JSON values only
    doc["openapi"] = VALIDATED_AS
    doc.pop("$self", None)
    _each(doc.get("servers"), _server)
    _each(doc.get("tags"), lambda tag: _drop(tag, "summary", "parent", "kind"))
    _values(doc.get("paths"), _path_item)
    _values(doc.get("webhooks"), _path_item)
    components = doc.get("components")
    if isinstance(components, dict):
        components.pop("mediaTypes", None)
        _values(components.get("pathItems"), _path_item)
        _values(components.get("parameters"), _parameter)
        _values(components.get("requestBodies"), _body)
        _values(components.get("responses"), _response)
        _values(components.get("headers"), _header)
        _values(components.get("examples"), _example)
        _values(components.get("callbacks"), lambda callback: _values(callback, _path_item))
        _values(components.get("securitySchemes"), _security_scheme)
    _schema_objects(doc)
    return doc


def _drop(node: Any, *keys: str) -> None:
    if isinstance(node, dict):
        for key in keys:
            node.pop(key, None)


def _each(items: Any, visit: Any) -> None:
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict):
                visit(item)


def _values(mapping: Any, visit: Any) -> None:
    if isinstance(mapping, dict):
        for item in mapping.values():
            if isinstance(item, dict):
                visit(item)


def _server(server: dict[str, Any]) -> None:
    server.pop("name", None)


def _path_item(item: dict[str, Any]) -> None:
    _drop(item, "query", "additionalOperations")
    _each(item.get("servers"), _server)
    _each(item.get("parameters"), _parameter)
    for method in _METHODS:
        operation = item.get(method)
        if isinstance(operation, dict):
            _operation(operation)


def _operation(operation: dict[str, Any]) -> None:
    _each(operation.get("parameters"), _parameter)
    _each(operation.get("servers"), _server)
    body = operation.get("requestBody")
    if isinstance(body, dict):
        _body(body)
    _values(operation.get("responses"), _response)
    _values(operation.get("callbacks"), lambda callback: _values(callback, _path_item))


def _parameter(parameter: dict[str, Any]) -> None:
    if parameter.get("in") == "querystring":
        parameter["in"] = "query"
    if parameter.get("style") == "cookie":
        parameter["style"] = "form"
    _content(parameter.get("content"))
    _values(parameter.get("examples"), _example)


def _header(header: dict[str, Any]) -> None:
    _content(header.get("content"))
    _values(header.get("examples"), _example)


def _body(body: dict[str, Any]) -> None:
    _content(body.get("content"))


def _response(response: dict[str, Any]) -> None:
    response.pop("summary", None)
    _values(response.get("headers"), _header)
    _content(response.get("content"))


def _content(content: Any) -> None:
    _values(content, _media_type)


def _media_type(media: dict[str, Any]) -> None:
    _drop(media, "itemSchema", "itemEncoding", "prefixEncoding")
    _values(media.get("encoding"), _encoding)
    _values(media.get("examples"), _example)


def _encoding(encoding: dict[str, Any]) -> None:
    _drop(encoding, "encoding", "itemEncoding", "prefixEncoding")
    _values(encoding.get("headers"), _header)


def _example(example: dict[str, Any]) -> None:
    _drop(example, "dataValue", "serializedValue")


def _security_scheme(scheme: dict[str, Any]) -> None:
    _drop(scheme, "deprecated", "oauth2MetadataUrl")
    _drop(scheme.get("flows"), "deviceAuthorization")


def _schema_objects(doc: dict[str, Any]) -> None:
    """`defaultMapping` and `nodeType` wherever a Schema Object may be: every `discriminator`
    and `xml` keyword outside data (examples, defaults, extensions) and outside maps of
    names (a property called `xml` is a schema, not an XML object)."""
    stack: list[tuple[Any, bool]] = [(doc, False)]
    while stack:
        node, names = stack.pop()
        if isinstance(node, list):
            stack.extend((item, False) for item in node if isinstance(item, (dict, list)))
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if not isinstance(value, (dict, list)):
                continue
            if names:
                stack.append((value, False))
                continue
            if key in _DATA_KEYS or (isinstance(key, str) and key.startswith("x-")):
                continue
            if key == "discriminator":
                _drop(value, "defaultMapping")
            elif key == "xml":
                _drop(value, "nodeType")
            stack.append((value, key in ("properties", "patternProperties", "$defs", "dependentSchemas", "schemas")))
