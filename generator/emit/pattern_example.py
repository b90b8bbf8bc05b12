"""A short string that a schema's `pattern` accepts, for the docs samples.

Specs constrain identifiers by pattern (AWS's `^sn-[0-9a-zA-Z]{17}$`, Twilio's
`^GA[0-9a-fA-F]{32}$`, ARNs, versions) and rarely give an example; a sample that sends
"string" there is refused by the server and by mock servers (Prism refused 72 of 1,398
docs samples of 60 APIs.guru specs for a value outside such a constraint). This reads the
part of the regular-expression syntax such patterns use (literals, escapes, `.`, classes
with ranges and negation, groups, alternation, the quantifiers `? * + {n} {n,} {n,m}` and
anchors) and writes a string from it: each quantifier at its minimum (widened when the
schema's `minLength` asks for more; a pattern open at its end takes filler), each
alternation's first branch that works, each class's first allowed character. Anything else (look-arounds, back-references, Unicode
property escapes) gives None, and the caller keeps its own placeholder. The result is
checked with Python's `re` (the same `search` the caller uses), never trusted as built.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import assert_never

MAX_EXTRA = 64  # repetitions added, in all, to reach a `minLength`
MAX_TEXT = 4096  # characters a written string may start from (a sample shows it)
_PRINTABLE = "aA0_-. " + "".join(chr(c) for c in range(0x21, 0x7F))  # a negated class picks from these


class _Unsupported(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Text:
    text: str


@dataclass(frozen=True, slots=True)
class _Repeat:
    node: _Node
    low: int
    high: int | None  # None: unbounded


@dataclass(frozen=True, slots=True)
class _Seq:
    items: tuple[_Node, ...]


@dataclass(frozen=True, slots=True)
class _Choice:
    branches: tuple[_Seq, ...]


_Node = _Text | _Repeat | _Seq | _Choice

_CLASS_ESCAPES = {"d": "0123456789", "w": "a_0", "s": " "}
_NEGATED_ESCAPES = {"D": "a", "W": "-", "S": "a"}
_ZERO_WIDTH = frozenset("bBAZz")


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0

    def peek(self) -> str | None:
        return self.p[self.i] if self.i < len(self.p) else None

    def take(self) -> str:
        if self.i >= len(self.p):
            raise _Unsupported
        ch = self.p[self.i]
        self.i += 1
        return ch

    def choice(self) -> _Choice:
        branches = [self.seq()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.seq())
        return _Choice(tuple(branches))

    def seq(self) -> _Seq:
        items: list[_Node] = []
        while self.peek() not in (None, "|", ")"):
            items.append(self.quantified(self.atom()))
        return _Seq(tuple(items))

    def atom(self) -> _Node:
        ch = self.take()
        if ch == "(":
            if self.peek() == "?":
                self.i += 1
                kind = self.take()
                if kind == "P" and self.peek() == "<":  # (?P<name>...)
                    end = self.p.find(">", self.i)
                    if end < 0:
                        raise _Unsupported
                    self.i = end + 1
                elif kind != ":":  # look-arounds, flags, conditionals
                    raise _Unsupported
            inner = self.choice()
            if self.take() != ")":
                raise _Unsupported
            return inner
        if ch == "[":
            return _Text(self.klass())
        if ch == "\\":
            return _Text(self.escape(in_class=False))
        if ch == ".":
            return _Text("a")
        if ch in "^$":
            return _Text("")
        if ch in "*+?{)":
            if ch == "{" and not re.match(r"\d+(,\d*)?\}", self.p[self.i :]):
                return _Text("{")  # a literal brace, as `re` reads it
            raise _Unsupported  # a quantifier with nothing to repeat
        return _Text(ch)

    def escape(self, *, in_class: bool) -> str:
        ch = self.take()
        if ch in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[ch][0]
        if ch in _NEGATED_ESCAPES:
            return _NEGATED_ESCAPES[ch]
        if ch in _ZERO_WIDTH and not in_class:
            return ""
        simple = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "0": "\0"}
        if ch in simple:
            return simple[ch]
        if ch in "xu":
            size = 2 if ch == "x" else 4
            digits = self.p[self.i : self.i + size]
            if len(digits) != size or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise _Unsupported
            self.i += size
            return chr(int(digits, 16))
        if ch.isalnum():  # \p{..}, back-references, \k<..>: not read
            raise _Unsupported
        return ch

    def klass(self) -> str:
        """The first character of a `[...]` class (its ranges in order), or for a negated
        one, the first of `_PRINTABLE` it does not hold."""
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        allowed: list[tuple[str, str]] = []
        first = True
        while True:
            ch = self.take()
            if ch == "]" and not first:
                break
            first = False
            if ch == "[" and self.peek() == ":":  # POSIX classes are not Python's
                raise _Unsupported
            if ch == "\\":
                nxt = self.peek()
                if nxt in _CLASS_ESCAPES:
                    self.i += 1
                    allowed.extend((c, c) for c in _CLASS_ESCAPES[nxt or ""])
                    continue
                if nxt in _NEGATED_ESCAPES or nxt in ("b",):
                    raise _Unsupported
                ch = self.escape(in_class=True)
            if self.peek() == "-" and self.i + 1 < len(self.p) and self.p[self.i + 1] != "]":
                self.i += 1
                end = self.take()
                if end == "\\":
                    end = self.escape(in_class=True)
                if end < ch:
                    raise _Unsupported
                allowed.append((ch, end))
            else:
                allowed.append((ch, ch))
        if not negated:
            if not allowed:
                raise _Unsupported
            return allowed[0][0]
        for c in _PRINTABLE:
            if not any(lo <= c <= hi for lo, hi in allowed):
                return c
        raise _Unsupported

    def quantified(self, node: _Node) -> _Node:
        ch = self.peek()
        low: int
        high: int | None
        if ch == "*":
            low, high = 0, None
        elif ch == "+":
            low, high = 1, None
        elif ch == "?":
            low, high = 0, 1
        elif ch == "{":
            found = re.match(r"\{(\d+)(,(\d*))?\}", self.p[self.i :])
            if found is None:
                return node
            low = int(found[1])
            high = low if found[2] is None else (int(found[3]) if found[3] else None)
            self.i += len(found[0]) - 1
        else:
            return node
        self.i += 1
        if self.peek() in ("?", "+"):  # lazy or possessive: the same strings
            self.i += 1
        if low > 10_000:
            raise _Unsupported
        return _Repeat(node, low, high)


def _write(node: _Node, extra: list[int]) -> str:
    """The string `node` stands for, each repeat at its minimum plus what is left of
    `extra[0]` (repetitions to add, spent left to right)."""
    match node:
        case _Text(text):
            return text
        case _Seq(items):
            return "".join(_write(item, extra) for item in items)
        case _Choice(branches):
            return _write(branches[0], extra)
        case _Repeat(inner, low, high):
            count = low
            if extra[0] and (high is None or high > low):
                more = extra[0] if high is None else min(extra[0], high - low)
                count += more
                extra[0] -= more
            return "".join(_write(inner, extra) for _ in range(count))
        case _:
            assert_never(node)


def _least(node: _Node) -> int:
    """The length `_write` gives `node` with nothing extra, counted before it is written:
    spec text is untrusted, and `((a{999}){999}){999}` would be a billion characters."""
    match node:
        case _Text(text):
            return len(text)
        case _Seq(items):
            return sum(_least(item) for item in items)
        case _Choice(branches):
            return _least(branches[0])
        case _Repeat(inner, low, _):
            return low * _least(inner) if low else 0
        case _:
            assert_never(node)


def _branches(node: _Node) -> list[_Node]:
    """`node` with each alternation's branch chosen in turn (first branches first): the
    first one may be refused by an anchor outside it."""
    match node:
        case _Choice(branches) if len(branches) > 1:
            return [b for branch in branches for b in _branches(branch)][:16]
        case _Choice(branches):
            return _branches(branches[0])
        case _Seq(items):
            out: list[_Node] = [node]
            for i, item in enumerate(items):
                for alt in _branches(item)[1:4]:
                    out.append(_Seq(items[:i] + (alt,) + items[i + 1 :]))
            return out[:16]
        case _Repeat(inner, low, high):
            repeats: list[_Node] = [_Repeat(b, low, high) for b in _branches(inner)]
            return repeats[:16]
        case _Text():
            return [node]
        case _:
            assert_never(node)


def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """A schema's `pattern` as Python reads it, or None when it cannot. Spec text written
    for other engines (`[[:alpha:]]`) makes `re` warn about syntax it may read otherwise
    one day: the warning would name this module's line on the user's terminal, so it is
    kept quiet (the pattern is only used to check a sample's placeholder)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return re.compile(pattern)
        except (re.error, RecursionError, OverflowError):
            return None


def example_for(pattern: str, min_length: int = 0, max_length: int | None = None) -> str | None:
    """A string that `re.search(pattern, ...)` accepts, of a length within the bounds, or
    None when the pattern uses syntax this does not read or no string fits."""
    regex = compile_pattern(pattern)
    if regex is None:
        return None
    try:
        parser = _Parser(pattern)
        tree = parser.choice()
        if parser.i != len(pattern):
            return None
    except (_Unsupported, RecursionError):
        return None
    for shape in _branches(tree):
        if _least(shape) > MAX_TEXT:
            continue
        for extra in range(MAX_EXTRA + 1):
            left = [extra]
            text = _write(shape, left)
            if max_length is not None and len(text) > max_length:
                break
            if len(text) >= min_length and regex.search(text):
                return text
            if left[0]:  # no repeat takes more: this shape makes nothing longer
                # a pattern open at its end (AWS's `^arn:aws:gamesparks:` with a
                # `minLength` of 20) takes filler after what it asks for
                padded = text + "0" * (min_length - len(text))
                if (max_length is None or len(padded) <= max_length) and regex.search(padded):
                    return padded
                break
    return None
