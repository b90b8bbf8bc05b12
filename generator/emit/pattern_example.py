"""Schema `pattern`s for the docs samples: a short string a pattern accepts, and whether
a string is accepted, both in time linear in the text.

Specs constrain identifiers by pattern (AWS's `^sn-[0-9a-zA-Z]{17}$`, Twilio's
`^GA[0-9a-fA-F]{32}$`, ARNs, versions) and rarely give an example; a sample that sends
"string" there is refused by the server and by mock servers (Prism refused 72 of 1,398
docs samples of 60 APIs.guru specs for a value outside such a constraint).

A pattern is spec text, so untrusted: Python's `re` backtracks, and `^(a|aa)*c$` held
against sixty `a`s never returns (a 300-byte spec hung `sdkgen generate`). So `re` never
runs a pattern here. This module reads the part of the syntax patterns use (literals,
escapes, `.`, classes with ranges and negation, groups, alternation, the quantifiers
`? * + {n} {n,} {n,m}`, the anchors `^ $ \\A \\Z`) into a small tree, writes a string
from it (each quantifier at its minimum, widened when `minLength` asks for more, a
pattern open at its end filled up; each alternation's first branch that works; each
class's first allowed character), and checks a string by simulating the pattern's
automaton over it (Thompson's construction: a set of states per character, no
backtracking). Anything else (look-arounds, back-references, `\\b`, Unicode property
escapes, flags, POSIX classes) is not read: `readable` returns None and the caller uses
its placeholder unchecked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import assert_never

MAX_EXTRA = 64  # repetitions added, in all, to reach a `minLength`
MAX_TEXT = 4096  # characters a written or checked string may have (a sample shows it)
MAX_STATES = 10_000  # automaton states a pattern may need (`.{16,2044}` is ~2,050)
# states visited, in all, by the checks made for one sample value: a bound on the time
# any pattern can take (~0.1 s), counted, not timed, so the value is the same on every
# machine and in every run
MAX_STEPS = 300_000
_PRINTABLE = "aA0_-. " + "".join(chr(c) for c in range(0x21, 0x7F))  # a negated class picks from these


class _Unsupported(Exception):
    pass


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# what `\d`, `\w`, `\s` (and their negations) and `.` accept, as Python's `re` reads them
_KINDS: dict[str, Callable[[str], bool]] = {
    "d": str.isdecimal,
    "w": _word,
    "s": str.isspace,
    "D": lambda ch: not ch.isdecimal(),
    "W": lambda ch: not _word(ch),
    "S": lambda ch: not ch.isspace(),
    ".": lambda ch: ch != "\n",
}
_KIND_SAMPLE = {"d": "0", "w": "a", "s": " ", "D": "a", "W": "-", "S": "a", ".": "a"}


@dataclass(frozen=True, slots=True)
class _Text:
    """Literal characters."""

    text: str


@dataclass(frozen=True, slots=True)
class _Set:
    """One character of a class, an escape such as `\\d`, or `.`."""

    ranges: tuple[tuple[str, str], ...]
    kinds: str  # keys of _KINDS
    negated: bool
    sample: str

    def has(self, ch: str) -> bool:
        inside = any(lo <= ch <= hi for lo, hi in self.ranges) or any(_KINDS[k](ch) for k in self.kinds)
        return inside != self.negated


@dataclass(frozen=True, slots=True)
class _Assert:
    """`^` / `\\A` (the start) or `$` (the end, or before a final newline) / `\\Z` (the end)."""

    where: str


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


_Node = _Text | _Set | _Assert | _Repeat | _Seq | _Choice


def _set_of(ranges: list[tuple[str, str]], kinds: str, negated: bool) -> _Set:
    if not negated:
        if ranges:
            sample = ranges[0][0]
        elif kinds:
            sample = _KIND_SAMPLE[kinds[0]]
        else:
            raise _Unsupported
        return _Set(tuple(ranges), kinds, False, sample)
    unsampled = _Set(tuple(ranges), kinds, True, "")
    for ch in _PRINTABLE:
        if unsampled.has(ch):
            return _Set(tuple(ranges), kinds, True, ch)
    raise _Unsupported


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0

    def peek(self, ahead: int = 0) -> str | None:
        at = self.i + ahead
        return self.p[at] if at < len(self.p) else None

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
            return self.klass()
        if ch == "\\":
            return self.escape()
        if ch == ".":
            return _set_of([], ".", False)
        if ch == "^":
            return _Assert("^")
        if ch == "$":
            return _Assert("$")
        if ch in "*+?{":
            raise _Unsupported  # a quantifier with nothing to repeat, or a brace `re` reads otherwise
        return _Text(ch)

    def escape(self) -> _Node:
        ch = self.take()
        if ch in "dwsDWS":
            return _set_of([], ch, False)
        if ch in "AZ":
            return _Assert("^" if ch == "A" else "Z")
        return _Text(self.plain_escape(ch))

    def plain_escape(self, ch: str) -> str:
        """The character an escape stands for (`\\n`, `\\x41`, `\\.`)."""
        simple = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "0": "\0"}
        if ch == "0" and (self.peek() or "").isdigit():  # an octal escape (`\012`): not read
            raise _Unsupported
        if ch in simple:
            return simple[ch]
        if ch in "xu":
            size = 2 if ch == "x" else 4
            digits = self.p[self.i : self.i + size]
            if len(digits) != size or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise _Unsupported
            self.i += size
            return chr(int(digits, 16))
        if ch.isalnum():  # \b, \p{..}, back-references, \k<..>: not read
            raise _Unsupported
        return ch

    def klass(self) -> _Set:
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        ranges: list[tuple[str, str]] = []
        kinds = ""
        first = True
        while True:
            ch = self.take()
            if ch == "]" and not first:
                break
            first = False
            if ch == "[" and self.peek() in (":", "=", "."):  # POSIX classes are not Python's
                raise _Unsupported
            if ch == "\\":
                escaped = self.take()
                if escaped in "dwsDWS":
                    kinds += escaped
                    continue
                ch = self.plain_escape(escaped)
            if self.peek() == "-" and self.peek(1) not in (None, "]"):
                self.i += 1
                end = self.take()
                if end == "\\":
                    end = self.plain_escape(self.take())
                if end < ch:
                    raise _Unsupported
                ranges.append((ch, end))
            else:
                ranges.append((ch, ch))
        return _set_of(ranges, kinds, negated)

    def quantified(self, node: _Node) -> _Node:
        low: int
        high: int | None
        ch = self.peek()
        if ch == "*":
            low, high, size = 0, None, 1
        elif ch == "+":
            low, high, size = 1, None, 1
        elif ch == "?":
            low, high, size = 0, 1, 1
        elif ch == "{":
            end = self.p.find("}", self.i)
            body = self.p[self.i + 1 : end] if end > 0 else ""
            low_text, comma, high_text = body.partition(",")
            if not (low_text.isdigit() and low_text.isascii()) or (high_text and not high_text.isdigit()):
                raise _Unsupported  # `re` reads `{,3}` and the like in ways of its own
            low = int(low_text)
            high = (int(high_text) if high_text else None) if comma else low
            size = end - self.i + 1
        else:
            return node
        if isinstance(node, _Assert) or (high is not None and high < low) or low > MAX_STATES:
            raise _Unsupported
        self.i += size
        if self.peek() == "?":  # lazy: the same strings
            self.i += 1
        elif self.peek() == "+":  # possessive (`re` only): `A*+A` matches nothing
            raise _Unsupported
        return _Repeat(node, low, high)


# -- writing a string ---------------------------------------------------------------------


def _write(node: _Node, extra: list[int]) -> str:
    """The string `node` stands for, each repeat at its minimum plus what is left of
    `extra[0]` (repetitions to add, spent left to right)."""
    match node:
        case _Text(text):
            return text
        case _Set():
            return node.sample
        case _Assert():
            return ""
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
    `((a{999}){999}){999}` would be a billion characters."""
    match node:
        case _Text(text):
            return len(text)
        case _Set():
            return 1
        case _Assert():
            return 0
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
        case _Text() | _Set() | _Assert():
            return [node]
        case _:
            assert_never(node)


# -- checking a string: the pattern's automaton ------------------------------------------

_CHAR, _CLASS, _ASSERT, _SPLIT, _MATCH = range(5)


class _Automaton:
    """A Thompson automaton: states numbered from 0, each a kind, an argument (the
    character, the class, the assertion) and up to two successors."""

    def __init__(self) -> None:
        self.kind: list[int] = []
        self.arg: list[object] = []
        self.out: list[int] = []
        self.out2: list[int] = []

    def add(self, kind: int, arg: object = None, out: int = -1, out2: int = -1) -> int:
        if len(self.kind) >= MAX_STATES:
            raise _Unsupported
        self.kind.append(kind)
        self.arg.append(arg)
        self.out.append(out)
        self.out2.append(out2)
        return len(self.kind) - 1

    def build(self, node: _Node, then: int) -> int:
        """The start state of `node`, continuing to `then` once it has matched."""
        match node:
            case _Text(text):
                for ch in reversed(text):
                    then = self.add(_CHAR, ch, then)
                return then
            case _Set():
                return self.add(_CLASS, node, then)
            case _Assert(where):
                return self.add(_ASSERT, where, then)
            case _Seq(items):
                for item in reversed(items):
                    then = self.build(item, then)
                return then
            case _Choice(branches):
                starts = [self.build(branch, then) for branch in branches]
                start = starts[-1]
                for other in reversed(starts[:-1]):
                    start = self.add(_SPLIT, None, other, start)
                return start
            case _Repeat(inner, low, high):
                if high is None:
                    loop = self.add(_SPLIT, None, -1, then)
                    self.out[loop] = self.build(inner, loop)
                    tail = loop
                else:
                    tail = then
                    for _ in range(high - low):
                        tail = self.add(_SPLIT, None, self.build(inner, tail), then)
                for _ in range(low):
                    tail = self.build(inner, tail)
                return tail
            case _:
                assert_never(node)

    def closure(self, states: list[int], at: int, text: str) -> set[int]:
        """Every state reachable from `states` without reading a character at `at`."""
        seen: set[int] = set()
        stack = list(states)
        while stack:
            s = stack.pop()
            if s in seen:
                continue
            seen.add(s)
            kind = self.kind[s]
            if kind == _SPLIT:
                stack.append(self.out[s])
                stack.append(self.out2[s])
            elif kind == _ASSERT:
                where = self.arg[s]
                n = len(text)
                holds = (
                    at == 0
                    if where == "^"
                    else at == n
                    if where == "Z"
                    else at == n or (at == n - 1 and text[-1] == "\n")
                )
                if holds:
                    stack.append(self.out[s])
        return seen

    def search(self, start: int, text: str, budget: list[int]) -> bool:
        """Whether the pattern matches somewhere in `text` (`re.search`), in time
        proportional to the text's length times the number of states; False once the
        states visited would pass `budget[0]` (what is left of it stays there)."""
        pending: list[int] = []
        for at in range(len(text) + 1):
            pending.append(start)  # a match may begin at any position
            current = self.closure(pending, at, text)
            budget[0] -= len(current)
            if budget[0] < 0:
                return False
            if any(self.kind[s] == _MATCH for s in current):
                return True
            if at == len(text):
                break
            ch = text[at]
            pending = []
            for s in current:
                kind = self.kind[s]
                arg = self.arg[s]
                if (kind == _CHAR and arg == ch) or (kind == _CLASS and isinstance(arg, _Set) and arg.has(ch)):
                    pending.append(self.out[s])
        return False


@dataclass(frozen=True, slots=True)
class Pattern:
    """A pattern this module reads: `search` checks a string, `example` writes one."""

    tree: _Choice
    automaton: _Automaton
    start: int

    def search(self, text: str, budget: list[int] | None = None) -> bool:
        """Whether `re.search` would find the pattern in `text`; False for a text over
        `MAX_TEXT` or once `budget` (states to visit, default `MAX_STEPS`) runs out."""
        return len(text) <= MAX_TEXT and self.automaton.search(self.start, text, budget or [MAX_STEPS])

    def example(
        self, min_length: int = 0, max_length: int | None = None, budget: list[int] | None = None
    ) -> str | None:
        """A string `search` accepts, of a length within the bounds, or None."""
        budget = budget or [MAX_STEPS]
        if min_length > MAX_TEXT:
            return None
        for shape in _branches(self.tree):
            if _least(shape) > MAX_TEXT:
                continue
            for extra in range(MAX_EXTRA + 1):
                left = [extra]
                text = _write(shape, left)
                if max_length is not None and len(text) > max_length:
                    break
                if len(text) >= min_length and self.search(text, budget):
                    return text
                if left[0]:  # no repeat takes more: this shape makes nothing longer
                    # a pattern open at its end (AWS's `^arn:aws:gamesparks:` with a
                    # `minLength` of 20) takes filler after what it asks for
                    padded = text + "0" * (min_length - len(text))
                    if (max_length is None or len(padded) <= max_length) and self.search(padded, budget):
                        return padded
                    break
        return None


@lru_cache(maxsize=4096)
def readable(pattern: str) -> Pattern | None:
    """`pattern` read, or None when it uses syntax this module does not read. Read once
    per pattern: the samples ask again for every value of it, sync and async (AWS DRS: 84
    asks, 14 patterns), as `re`'s own cache answered before. A `Pattern` never changes
    once built (each check brings its own budget), so sharing it changes no result."""
    try:
        parser = _Parser(pattern)
        tree = parser.choice()
        if parser.i != len(pattern):
            return None
        automaton = _Automaton()
        start = automaton.build(tree, automaton.add(_MATCH))
    except (_Unsupported, RecursionError):
        return None
    return Pattern(tree, automaton, start)


def example_for(pattern: str, min_length: int = 0, max_length: int | None = None) -> str | None:
    """A string the pattern accepts within the length bounds, or None."""
    read = readable(pattern)
    return None if read is None else read.example(min_length, max_length)
