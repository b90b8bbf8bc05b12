"""The line a JSON pointer points at in JSON text, scanning only what the pointer passes.

Composing a 13 MB JSON document into YAML nodes just to name the line of a warning costs
seconds; walking the text costs a fraction of that. Each object and array is scanned at
most once, however many pointers go through it: member offsets found on the way are kept,
and a later search resumes where the last one stopped.
"""

from __future__ import annotations

import json
import re

MAX_DIGITS = 308  # an integer longer than this is no JSON tool's number (floats end at 1e308)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SCALAR = re.compile(r"[^\s,\]}]*")
_SPACE = re.compile(r"\s*")


def _nothing(_: object) -> None:
    return None


# skips an object or array at C speed: json's own scanner, told to keep nothing (every
# object, number and constant becomes None as soon as it is read, so only one object's
# members are alive at a time). The Python loop over its strings and brackets it replaced
# took 0.064 s to name the line of Codat's validator warning, this 0.008 s.
_SKIP = json.JSONDecoder(
    object_pairs_hook=_nothing, parse_int=_nothing, parse_float=_nothing, parse_constant=_nothing
).raw_decode


class NotJson(Exception):
    """The text is not the JSON this scanner expects (the caller falls back to YAML)."""


class _Container:
    __slots__ = ("found", "order", "resume")

    def __init__(self, start: int) -> None:
        self.found: dict[str, int] = {}  # member name -> offset of its value
        self.order: list[int] = []  # array item offsets, in order
        self.resume: int | None = start + 1  # where scanning goes on; None once at the end


class JsonLines:
    def __init__(self, text: str) -> None:
        self.text = text
        self._containers: dict[int, _Container] = {}

    def line_of(self, tokens: list[str]) -> int:
        """1-based line of the value at `tokens`, or of its nearest existing ancestor."""
        pos = self._space(0)
        for token in tokens:
            found = self._child(pos, token)
            if found is None:
                break
            pos = found
        return self.text.count("\n", 0, pos) + 1

    # -- scanning -------------------------------------------------------------------------

    def _space(self, pos: int) -> int:
        end = _SPACE.match(self.text, pos)
        assert end is not None  # `\s*` always matches
        return end.end()

    def _expect(self, pos: int, char: str) -> int:
        if self.text[pos : pos + 1] != char:
            raise NotJson(f"expected {char!r} at offset {pos}")
        return self._space(pos + 1)

    def _end_of_value(self, pos: int) -> int:
        text = self.text
        first = text[pos : pos + 1]
        if first == '"':
            found = _STRING.match(text, pos)
            if found is None:
                raise NotJson(f"unterminated string at offset {pos}")
            return found.end()
        if first in ("{", "["):
            try:
                return _SKIP(text, pos)[1]
            except (ValueError, RecursionError):  # not JSON (YAML in flow style), or too deep
                raise NotJson(f"no JSON value at offset {pos}") from None
        end = _SCALAR.match(text, pos)
        if end is None or end.end() == pos:
            raise NotJson(f"no value at offset {pos}")
        return end.end()

    def _child(self, pos: int, token: str) -> int | None:
        first = self.text[pos : pos + 1]
        if first not in ("{", "["):
            return None
        box = self._containers.get(pos)
        if box is None:
            box = self._containers[pos] = _Container(pos)
        if first == "{":
            return self._member(box, token)
        if not token.isdigit():
            return None
        return self._item(box, int(token))

    def _member(self, box: _Container, name: str) -> int | None:
        if name in box.found:
            return box.found[name]
        text = self.text
        while box.resume is not None:
            pos = self._space(box.resume)
            if text[pos : pos + 1] == "}":
                box.resume = None
                break
            if box.found or box.order:  # not the first member: a comma comes first
                pos = self._expect(pos, ",")
            key = _STRING.match(text, pos)
            if key is None:
                raise NotJson(f"expected a member name at offset {pos}")
            member = json.loads(key.group())
            pos = self._expect(self._space(key.end()), ":")
            box.found.setdefault(member, pos)  # the first of duplicate names, as YAML reads it
            box.order.append(pos)
            box.resume = self._end_of_value(pos)
            if member == name:
                return pos
        return None

    def _item(self, box: _Container, index: int) -> int | None:
        text = self.text
        while len(box.order) <= index and box.resume is not None:
            pos = self._space(box.resume)
            if text[pos : pos + 1] == "]":
                box.resume = None
                break
            if box.order:
                pos = self._expect(pos, ",")
            box.order.append(pos)
            box.resume = self._end_of_value(pos)
        return box.order[index] if index < len(box.order) else None
