"""PyYAML's safe loader narrowed to JSON's data model (YAML 1.2 core schema), and the
walk from a composed node to a JSON pointer's child.

Apart from `load.py` so that PyYAML is imported only for a YAML document, or when a
message needs a line of one: a JSON spec, the usual case, never pays for it.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar

import yaml

from .json_lines import MAX_DIGITS

try:  # the C loader is ~10x faster; fall back where libyaml is absent
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on the platform's wheel
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_KEY_TAGS = {f"{_TAG}{kind}" for kind in ("str", "int", "float", "bool", "null")}


class YamlNotJson(yaml.MarkedYAMLError):
    """A YAML value with no JSON equivalent, refused at its line with a hint."""

    def __init__(self, node: yaml.Node, problem: str, hint: str) -> None:
        super().__init__(problem=problem, problem_mark=node.start_mark)
        self.hint = hint


_ONLY_JSON = (
    "An OpenAPI document holds JSON values only (strings, numbers, true/false, null, lists, mappings with string keys)."
)


class JsonLoader(_SafeLoader):
    """PyYAML's safe loader with the YAML 1.2 core schema and JSON's data model."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML declares it so
    yaml_constructors: ClassVar[dict[Any, Any]] = {
        tag: constructor
        for tag, constructor in _SafeLoader.yaml_constructors.items()
        if tag in {f"{_TAG}{kind}" for kind in ("null", "str", "seq", "map")}
    }

    def construct_json_bool(self, node: yaml.ScalarNode) -> bool:
        return str(node.value).lower() == "true"

    def construct_json_int(self, node: yaml.ScalarNode) -> int:
        text = str(node.value)
        digits = text.lstrip("+-")
        if len(digits) > MAX_DIGITS:
            raise YamlNotJson(
                node, f"an integer of {len(digits)} digits is too long to be a number", "Write it as a string."
            )
        if digits[:2] in ("0o", "0x"):
            value = int(digits[2:], 8 if digits[1] == "o" else 16)
            return -value if text.startswith("-") else value
        try:
            return int(text)
        except ValueError:  # an explicit !!int on text that is not one
            raise YamlNotJson(
                node, f"{text[:40]!r} is tagged as an integer but is not one", "Remove the tag."
            ) from None

    def construct_json_float(self, node: yaml.ScalarNode) -> float:
        text = str(node.value)
        try:
            value = float(text)
        except ValueError:
            value = float("nan") if text.lower() == ".nan" else None  # type: ignore[assignment]
            if value is None and text.lower().lstrip("+-") == ".inf":
                value = float("-inf" if text.startswith("-") else "inf")
            if value is None:
                raise YamlNotJson(
                    node, f"{text[:40]!r} is tagged as a number but is not one", "Remove the tag."
                ) from None
        if not math.isfinite(value):
            raise YamlNotJson(
                node,
                f"{text[:40]} is not a finite number (JSON has no infinity or NaN)",
                "Use a finite bound, or leave the keyword out.",
            )
        return value

    def construct_not_json(self, node: yaml.Node) -> Any:
        what = node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else node.tag
        raise YamlNotJson(node, f"a value tagged {what!r} has no JSON equivalent", f"Remove the tag. {_ONLY_JSON}")

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Keys are strings, as written (`200:` is "200", `on:` is "on")."""
        self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _KEY_TAGS:
                raise YamlNotJson(
                    key_node, "a mapping key must be plain text", f"Write the key as a string. {_ONLY_JSON}"
                )
            mapping[str(key_node.value)] = self.construct_object(value_node, deep=deep)
        return mapping


def _core_schema() -> None:
    """YAML 1.2 core schema resolution (the JSON schema's superset), nothing of 1.1's."""
    resolve = JsonLoader.add_implicit_resolver
    resolve(f"{_TAG}null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
    resolve(f"{_TAG}bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    resolve(f"{_TAG}int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
    resolve(
        f"{_TAG}float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+.0123456789"),
    )
    resolve(f"{_TAG}merge", re.compile(r"^(?:<<)$"), ["<"])
    JsonLoader.add_constructor(f"{_TAG}bool", JsonLoader.construct_json_bool)
    JsonLoader.add_constructor(f"{_TAG}int", JsonLoader.construct_json_int)
    JsonLoader.add_constructor(f"{_TAG}float", JsonLoader.construct_json_float)
    JsonLoader.add_constructor(None, JsonLoader.construct_not_json)


_core_schema()


def child(node: yaml.Node, token: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == token:
                assert isinstance(value, yaml.Node)
                return value
        return None
    if isinstance(node, yaml.SequenceNode) and token.isdigit():
        index = int(token)
        found: yaml.Node | None = node.value[index] if index < len(node.value) else None
        return found
    return None
