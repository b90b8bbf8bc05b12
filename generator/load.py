"""Read a spec file into plain data, and find the line a JSON pointer points at.

Parsing is the hot path of every run, so lines are not tracked while parsing: the
locator re-reads the text with PyYAML's composer only when a message needs a line.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Location, SpecError, pointer, unescape_pointer
from .json_lines import JsonLines, NotJson

try:  # the C loader is ~10x faster; fall back where libyaml is absent
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on the platform's wheel
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


@dataclass
class Document:
    """A parsed spec plus what is needed to point back into its text."""

    path: Path
    text: str
    data: dict[str, Any]
    raw: bytes
    sha256: str

    @property
    def name(self) -> str:
        return str(self.path)

    @cached_property
    def _root_node(self) -> yaml.Node | None:
        try:
            return yaml.compose(self.text, Loader=_SafeLoader)
        except (yaml.YAMLError, RecursionError):  # only lines are lost: messages keep their pointer
            return None

    @cached_property
    def _json_lines(self) -> JsonLines | None:
        return JsonLines(self.text) if self.text.lstrip()[:1] in ("{", "[") else None

    def line_of(self, ptr: str) -> int | None:
        """1-based line of the node at `ptr`, or of its nearest existing ancestor."""
        scanner = self._json_lines  # JSON text: scanned directly, much faster than composing
        if scanner is not None:
            try:
                return scanner.line_of(unescape_pointer(ptr))
            except (NotJson, ValueError):
                pass  # YAML in flow style: the composer below reads it
        node = self._root_node
        line = None
        for token in unescape_pointer(ptr):
            if node is None:
                break
            line = node.start_mark.line + 1
            node = _child(node, token)
        if node is not None:
            line = node.start_mark.line + 1
        return line

    def locate(self, ptr: str) -> Location:
        return Location(self.name, ptr, self.line_of(ptr))


def _child(node: yaml.Node, token: str) -> yaml.Node | None:
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


_SYNTAX_HINT = "Fix the syntax at that line; a YAML or JSON linter points at the same place."


def load(path: str | Path) -> Document:
    """Read and parse `path` (JSON or YAML); raise SpecError for anything unreadable."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(
            Location(str(path)), f"cannot read the file: {exc.strerror or exc}.", "Check the path and its permissions."
        ) from None
    return load_bytes(raw, path)


def load_bytes(raw: bytes, path: Path) -> Document:
    """Parse a document already read (`path` names it in messages, e.g. `<stdin>`)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(
            Location(str(path)), f"the file is not UTF-8 text (byte {exc.start}).", "Save it as UTF-8."
        ) from None
    data = _parse(path, text)
    if _SURROGATE_ESCAPE.search(text):
        found = _lone_surrogate(data)
        if found is not None:
            where, value = found
            doc = Document(path, text, {}, raw, "")
            raise SpecError(
                doc.locate(where),
                f"the text {ascii(value)[:80]} holds a lone UTF-16 surrogate escape, which is not a character.",
                "Write the character itself, or both halves of its surrogate pair.",
            )
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}, not a mapping"
        raise SpecError(
            Location(str(path)),
            f"the document is {kind}.",
            "An OpenAPI description is a mapping with an `openapi` key.",
        )
    return Document(path, text, data, raw, hashlib.sha256(raw).hexdigest())


_SURROGATE_ESCAPE = re.compile(r"\\[uU][dD][89a-fA-F]")  # JSON may escape half a character


def _lone_surrogate(data: Any) -> tuple[str, str] | None:
    """The pointer and text of the first key or string holding an unpaired surrogate."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            texts = [node]
        elif isinstance(node, dict):
            texts = [k for k in node if isinstance(k, str)]
            stack.extend((v, (*where, k)) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            texts = []
            stack.extend((v, (*where, i)) for i, v in reversed(list(enumerate(node))))
        else:
            continue
        for text in texts:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return pointer(*where), text
    return None


def _parse(path: Path, text: str) -> Any:
    try:
        return _parse_text(path, text)
    except RecursionError:
        raise SpecError(
            Location(str(path)),
            "the document nests objects or lists too deeply to be read.",
            "Name the inner schemas in `components` and refer to them with `$ref`.",
        ) from None


def _parse_text(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if path.suffix.lower() == ".json":
                raise SpecError(
                    Location(str(path), "#", exc.lineno),
                    f"invalid JSON: {exc.msg} (column {exc.colno}).",
                    _SYNTAX_HINT,
                ) from None
    try:
        return yaml.load(text, Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        column = f" (column {mark.column + 1})" if mark is not None else ""
        raise SpecError(Location(str(path), "#", line), f"invalid YAML: {problem}{column}.", _SYNTAX_HINT) from None
