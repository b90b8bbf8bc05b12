"""Read a spec file into plain data, and find the line a JSON pointer points at.

Parsing is the hot path of every run, so lines are not tracked while parsing: the
locator re-reads the text with PyYAML's composer only when a message needs a line.

Only JSON values come out, whatever the syntax (OpenAPI 3.1 asks for YAML 1.2 / JSON
semantics): YAML is read with the YAML 1.2 core schema, so `2024-01-01`, `NO` and `on`
stay strings; mapping keys are always strings (`200:` is "200"); tags without a JSON
equivalent (`!!binary`, `!!set`, `!!timestamp`, ...) and non-finite or absurdly long
numbers are refused with their line; aliases that would expand the document past a
budget (an "alias bomb") are refused before anything walks the expansion.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Location, SpecError, pointer, unescape_pointer
from .json_lines import MAX_DIGITS, JsonLines, NotJson

if TYPE_CHECKING:
    import yaml


# The maps of the Components Object that sdkgen reads, each of names to objects (the
# others, `links` and `callbacks`, are never read).
COMPONENT_MAPS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "pathItems",
)


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
        import yaml

        from .yaml_json import JsonLoader

        try:
            return yaml.compose(self.text, Loader=JsonLoader)
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
        from .yaml_json import child

        node = self._root_node
        line = None
        for token in unescape_pointer(ptr):
            if node is None:
                break
            line = node.start_mark.line + 1
            node = child(node, token)
        if node is not None:
            line = node.start_mark.line + 1
        return line

    def locate(self, ptr: str) -> Location:
        return Location(self.name, ptr, self.line_of(ptr))

    def text_only(self) -> Document:
        """This document without its parsed data (`data` is empty) nor its bytes: it still
        names its file, locates pointers (from the text) and has its digest. A run keeps
        only this once the IR is built: the data is ~36 MB of Python objects on Kubernetes,
        the largest item left at a cold run's peak, and the bytes a copy of the text
        (`parsed_again` reads the text if ever needed)."""
        return Document(self.path, self.text, {}, b"", self.sha256)

    def digest_only(self) -> Document:
        """This document's file name and digest alone, once nothing is left to locate (its
        text is 8.7 MB on Kubernetes, whose few non-ASCII characters make every character
        of the string two bytes): its pointers are then located without lines."""
        return Document(self.path, "", {}, b"", self.sha256)

    def parsed_again(self) -> Document:
        """The document with its data, parsed again from the text (after `text_only`)."""
        if self.data:
            return self
        return Document(self.path, self.text, _parse(self.path, self.text), self.raw, self.sha256)


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


class _BadNumber(Exception):
    def __init__(self, literal: str, problem: str, hint: str) -> None:
        self.literal, self.problem, self.hint = literal, problem, hint


def _json_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _BadNumber(
            literal,
            f"{literal[:40]} is too large to be a finite number",
            "Use a finite bound, or leave the keyword out.",
        )
    return value


def _json_constant(literal: str) -> Any:
    raise _BadNumber(
        literal,
        f"{literal} is not JSON (JSON has no infinity or NaN)",
        "Use a finite number, or leave the keyword out.",
    )


def _json_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_DIGITS:
        raise _BadNumber(
            literal,
            f"an integer of {len(literal.lstrip('-'))} digits is too long to be a number",
            "Write it as a string.",
        )
    return int(literal)


# A run of MAX_DIGITS + 1 ASCII digits, looked for in the UTF-8 text with every digit
# byte made "0" and every other byte " " (`bytes.translate`): ~0.01 s on a 4 MB spec,
# where the regular expression `[0-9]{309}` took ~0.06 s
_DIGITS_ONLY = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_RUN = b"0" * (MAX_DIGITS + 1)


def _has_long_digits(text: str) -> bool:
    return _LONG_RUN in text.encode("utf-8", "surrogatepass").translate(_DIGITS_ONLY)


def _parse_json(text: str) -> Any:
    # checking every integer costs time; only a text with a long run of digits needs it
    parse_int = _json_int if _has_long_digits(text) else None
    return json.loads(text, parse_float=_json_float, parse_constant=_json_constant, parse_int=parse_int)


def _parse_text(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            return _parse_json(text)
        except _BadNumber as exc:
            line = text[: text.find(exc.literal)].count("\n") + 1 if exc.literal in text else None
            raise SpecError(Location(str(path), "#", line), f"{exc.problem}.", exc.hint) from None
        except json.JSONDecodeError as exc:
            if path.suffix.lower() == ".json":
                raise SpecError(
                    Location(str(path), "#", exc.lineno),
                    f"invalid JSON: {exc.msg} (column {exc.colno}).",
                    _SYNTAX_HINT,
                ) from None
    import yaml  # only now: a JSON document never needs PyYAML

    from .yaml_json import JsonLoader, YamlNotJson

    try:
        data = yaml.load(text, Loader=JsonLoader)
    except YamlNotJson as exc:
        mark = exc.problem_mark
        raise SpecError(
            Location(str(path), "#", mark.line + 1 if mark is not None else None), f"{exc.problem}.", exc.hint
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        column = f" (column {mark.column + 1})" if mark is not None else ""
        raise SpecError(Location(str(path), "#", line), f"invalid YAML: {problem}{column}.", _SYNTAX_HINT) from None
    if "*" in text:  # an alias may share a node: count what sharing expands to
        _check_expansion(path, text, data)
    return data


EXPANSION_FLOOR = 100_000  # nodes aliases may add to any document
EXPANSION_RATIO = 10  # and, beyond that, this many times the nodes written


def _check_expansion(path: Path, text: str, data: Any) -> None:
    """Refuse a document whose aliases expand it past the budget (an "alias bomb"): the
    generator walks every expanded node, so a 600-byte file could take gigabytes.
    Also refuses an alias inside its own anchor (a document containing itself)."""
    sizes: dict[int, int] = {}  # id(container) -> nodes in its expansion
    stack: list[tuple[Any, bool]] = [(data, False)]
    open_: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = node.values() if isinstance(node, dict) else node
            sizes[key] = 1 + sum(sizes.get(id(c), 1) for c in children)
            open_.discard(key)
            continue
        if key in sizes:
            continue
        if key in open_:
            _refuse_alias(path, text, data, "an alias refers to the mapping or list that contains it", cyclic=True)
        open_.add(key)
        stack.append((node, True))
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, False) for c in children if isinstance(c, (dict, list)) and id(c) not in sizes)
    written = len(sizes)
    expanded = sizes.get(id(data), 1)
    if expanded > written * EXPANSION_RATIO + EXPANSION_FLOOR:
        _refuse_alias(
            path,
            text,
            data,
            f"YAML aliases expand this document to {expanded:,} values from {written:,} mappings and lists written "
            f"(the limit is {written * EXPANSION_RATIO + EXPANSION_FLOOR:,})",
        )


def _refuse_alias(path: Path, text: str, data: Any, problem: str, *, cyclic: bool = False) -> None:
    """Name the first place where a mapping or list is reused (where an alias stands)."""
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    where: tuple[str | int, ...] = ()
    while stack:
        node, at = stack.pop()
        if id(node) in seen:
            where = at
            break
        seen.add(id(node))
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        stack.extend((v, (*at, k)) for k, v in reversed(items) if isinstance(v, (dict, list)))
    doc = Document(path, text, data, b"", "")
    # the alias itself has no node of its own (it is its anchor's node): name the line of
    # the mapping or list it stands in
    location = Location(str(path), pointer(*where), doc.line_of(pointer(*where[:-1])))
    hint = (
        "Remove the alias: a document cannot contain itself."
        if cyclic
        else "Share parts with `$ref` to a component instead of YAML anchors and aliases."
    )
    raise SpecError(location, f"{problem}.", hint)
