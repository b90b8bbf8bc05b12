"""Long generated lines split the way black splits them, before black sees them.

black formats every generated module and its output is what gets written. Most of its
time on a raw module goes into splitting lines longer than the line length: trying a
split, measuring it, trying another. Emitting those lines already split the way black
would print them leaves black nothing to change, and formatting code that is already
formatted costs it about half as much.

Only the Python that sdkgen itself emits is understood here (expressions, annotations,
signatures, simple statements), through a small model of black's line splitting: the
right-hand split at the last bracket, with its optional (invisible) parentheses around
assigned values, conditions, annotations and conditional expressions; the split at the
lowest-priority delimiters; the left-hand split of a `def`. Whenever a line falls outside
that model, or a decision is not certain, the whole statement stays on one line and black
splits it as before. A wrong guess could only change black's output by adding brackets
or a trailing comma black would not have added, so both are added by black's rules only;
mere line breaks inside brackets black re-joins and re-splits itself.

`Layout(line_length).line(text, indent, kind)` returns `text` (one logical line, spaced
the way black spaces it) with its continuation lines indented; the first line carries no
indent, the template prints it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from itertools import pairwise
from typing import Literal, assert_never

LineKind = Literal["item", "param", "stmt", "if", "for", "def", "class"]

# Delimiter priorities: a line inside brackets splits at its highest-priority delimiters.
COMPREHENSION, COMMA, TERNARY, LOGIC, COMPARATOR, DOT = 20, 18, 16, 14, 10, 1
_MATH = {"|": 9, "^": 8, "&": 7, "<<": 6, ">>": 6, "+": 5, "-": 5, "*": 4, "/": 4, "//": 4, "%": 4, "@": 4}
_COMPARE = {"<", ">", "==", "!=", "<=", ">="}
_KEYWORDS = frozenset(
    [
        "if",
        "else",
        "for",
        "in",
        "not",
        "and",
        "or",
        "is",
        "lambda",
        "return",
        "def",
        "from",
        "import",
        "await",
        "async",
        "yield",
        "del",
        "pass",
        "class",
        "while",
        "with",
        "as",
        "assert",
        "raise",
        "global",
        "nonlocal",
        "try",
        "except",
        "finally",
        "elif",
        "break",
        "continue",
    ]
)
_CLOSERS = {"(": ")", "[": "]", "{": "}"}
_TOKEN = re.compile(
    r"""(?P<ws>\ +)
    |(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    |(?P<num>\d(?:[\w.]|(?<=[eE])[-+])*)
    |(?P<name>[A-Za-z_]\w*)
    |(?P<op>->|\*\*|//|<<|>>|==|!=|<=|>=|:=|[-+*/%@|&^~<>=.,:;()\[\]{}])""",
    re.X,
)


class _Unsure(Exception):
    """Outside the model: the statement stays on one line for black to split."""


class _CannotSplit(Exception):
    """This split does not apply; black moves on to its next way of splitting."""


class _Tok:
    __slots__ = ("atom", "br", "end", "kind", "match", "role", "start", "text")

    def __init__(self, text: str, kind: str, start: int, end: int) -> None:
        self.text = text  # "" for an invisible parenthesis until a split shows it
        self.kind = kind  # name kw str num op open close
        self.start = start
        self.end = end
        self.br = ""  # the opening bracket's character, for both brackets of a pair
        self.match: _Tok | None = None  # the other bracket of the pair
        self.atom = False  # brackets of a display or parenthesised atom, not a call/subscript
        self.role = ""  # ternary / compif / comp / forin / cmp for keywords


def _paren(kind: str, at: int) -> _Tok:
    tok = _Tok("", kind, at, at)
    tok.br = "("
    tok.atom = True
    return tok


def _pair(opening: _Tok, closing: _Tok) -> None:
    opening.match, closing.match = closing, opening
    closing.br, closing.atom = opening.br, opening.atom


def _tokens(text: str, statement: bool = False) -> list[_Tok]:
    """The tokens of one logical line; `statement`: a whole statement, which may start
    with `async` (`async for`) and hold `await` (the layout follows black there only)."""
    if not text.isascii():
        raise _Unsure  # black measures wide characters differently
    toks: list[_Tok] = []
    pos = 0
    stack: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        if m.start() != pos:
            raise _Unsure
        pos = m.end()
        kind = m.lastgroup or ""
        if kind == "ws":
            continue
        value = m.group()
        if kind == "name" and value in _KEYWORDS:
            kind = "kw"
        elif kind == "op" and value in "([{":
            kind = "open"
        elif kind == "op" and value in ")]}":
            kind = "close"
        tok = _Tok(value, kind, m.start(), m.end())
        prev = toks[-1] if toks else None
        if kind == "str" and prev is not None and prev.end == tok.start and prev.kind in ("name", "str"):
            raise _Unsure  # string prefixes, implicit concatenation
        if kind == "open":
            tok.br = value
            tok.atom = value == "{" or not _operand(prev)
            stack.append(tok)
        elif kind == "close":
            if not stack or _CLOSERS[stack[-1].br] != value:
                raise _Unsure
            _pair(stack.pop(), tok)
        elif (
            kind == "kw"
            and value in ("lambda", "await", "async", "yield")
            and not (statement and (value == "await" or (value == "async" and not toks)))
        ) or (kind == "op" and value in ("**", "*", "~", ":=", ";")):
            raise _Unsure
        toks.append(tok)
    if pos != len(text) or stack:
        raise _Unsure
    _roles(toks)
    return toks


def _operand(tok: _Tok | None) -> bool:
    return tok is not None and (tok.kind in ("name", "str", "num") or tok.kind == "close")


def _roles(toks: list[_Tok]) -> None:
    """What each keyword is: comprehension `for`/`if`, the `in` of a `for`, a comparison..."""
    levels: list[dict[str, bool]] = [{}]
    for i, tok in enumerate(toks):
        if tok.kind == "open":
            levels.append({})
        elif tok.kind == "close":
            levels.pop()
        elif tok.kind == "kw":
            level = levels[-1]
            if tok.text == "for":
                tok.role = "comp"
                level["comp"] = level["target"] = True
            elif tok.text == "in":
                tok.role = "forin" if level.pop("target", False) else "cmp"
            elif tok.text == "if":
                tok.role = "compif" if level.get("comp") else "ternary"
            elif tok.text == "else":
                tok.role = "ternary"
            elif tok.text == "not":
                nxt = toks[i + 1] if i + 1 < len(toks) else None
                tok.role = "cmp" if nxt is not None and nxt.text == "in" else ""


def _wrap_ternaries(toks: list[_Tok]) -> list[_Tok]:
    """black puts invisible parentheses around every conditional expression that is not
    the only thing inside a pair of parentheses already."""
    spans: list[tuple[int, int]] = []
    for i, tok in enumerate(toks):
        if tok.kind != "kw" or tok.text != "if" or tok.role != "ternary":
            continue
        start = i
        while start > 0:
            prev = toks[start - 1]
            if prev.kind == "close":
                assert prev.match is not None
                start = toks.index(prev.match, 0, start)
                continue
            if prev.kind == "open" or prev.text in (",", "=", ":", "->") or prev.role in ("forin", "comp", "compif"):
                break
            if prev.kind == "kw" and prev.text in ("return", "else", "if", "lambda", "import", "from", "def"):
                if prev.text in ("else", "if", "lambda"):
                    raise _Unsure  # nested conditional expressions
                break
            start -= 1
        end = i + 1
        seen_else = False
        while end < len(toks):
            nxt = toks[end]
            if nxt.kind == "open":
                assert nxt.match is not None
                end = toks.index(nxt.match, end) + 1
                continue
            if nxt.kind == "close" or nxt.text in (",", ":", "=") or nxt.role in ("comp", "compif"):
                break
            if nxt.kind == "kw" and nxt.text in ("if", "lambda"):
                raise _Unsure
            if nxt.kind == "kw" and nxt.text == "else":
                if seen_else:
                    raise _Unsure
                seen_else = True
            end += 1
        if not seen_else:
            raise _Unsure
        before = toks[start - 1] if start > 0 else None
        after = toks[end] if end < len(toks) else None
        if before is not None and before.kind == "open" and before.br == "(" and before.match is after:
            continue  # already parenthesised
        spans.append((start, end))
    if not spans:
        return toks
    opens: dict[int, list[_Tok]] = {}
    closes: dict[int, list[_Tok]] = {}
    for start, end in spans:
        o, c = _paren("open", toks[start].start), _paren("close", toks[end - 1].end)
        _pair(o, c)
        opens.setdefault(start, []).append(o)
        closes.setdefault(end - 1, []).insert(0, c)
    out: list[_Tok] = []
    for i, tok in enumerate(toks):
        out.extend(opens.get(i, ()))
        out.append(tok)
        out.extend(closes.get(i, ()))
    return out


def _delimiters(toks: list[_Tok]) -> dict[int, int]:
    """Priority of each depth-0 delimiter, keyed by the index of the token a split follows."""
    delims: dict[int, int] = {}
    depth = 0
    for_depths: list[int] = []
    prev = -1
    for i, tok in enumerate(toks):
        if tok.kind == "close" and depth == 0:
            continue  # the closing bracket of a pair opened on an earlier line
        if for_depths and for_depths[-1] == depth and tok.kind == "kw" and tok.text == "in":
            depth -= 1
            for_depths.pop()
        if tok.kind == "close":
            depth -= 1
        if depth == 0:
            before = _split_before(tok, toks[prev] if prev >= 0 else None)
            if before and prev >= 0:
                delims[prev] = before
            elif tok.text == "," and tok.kind == "op":
                delims[i] = COMMA
        if tok.kind == "open":
            depth += 1
        prev = i
        if tok.kind == "kw" and tok.text == "for":
            depth += 1
            for_depths.append(depth)
    return delims


def _split_before(tok: _Tok, prev: _Tok | None) -> int:
    if tok.kind == "op":
        if tok.text == ".":
            return DOT if prev is None or prev.kind == "close" else 0
        if tok.text in _MATH:
            return _MATH[tok.text] if tok.text not in "+-" or _operand(prev) else 0
        return COMPARATOR if tok.text in _COMPARE else 0
    if tok.kind != "kw":
        return 0
    if tok.role in ("comp", "compif"):
        return COMPREHENSION
    if tok.role == "ternary":
        return TERNARY
    if tok.text == "is":
        return COMPARATOR
    if tok.text == "in" and tok.role == "cmp":
        return 0 if prev is not None and prev.text == "not" else COMPARATOR
    if tok.text == "not" and tok.role == "cmp":
        return 0 if prev is not None and prev.text == "is" else COMPARATOR
    if tok.text in ("and", "or"):
        return LOGIC
    return 0


class _Line:
    __slots__ = ("_delims", "indent", "inside", "split_rhs", "toks")

    def __init__(self, toks: list[_Tok], indent: int, inside: bool = False) -> None:
        self.toks = toks
        self.indent = indent
        self.inside = inside
        self.split_rhs = False
        self._delims: dict[int, int] | None = None

    @property
    def delims(self) -> dict[int, int]:
        if self._delims is None:
            self._delims = _delimiters(self.toks)
        return self._delims

    @property
    def is_def(self) -> bool:
        return bool(self.toks) and self.toks[0].text == "def"

    def lengths(self) -> list[int]:
        """Each token's width with the space before it (black's `enumerate_with_length`)."""
        out = []
        prev: _Tok | None = None
        for tok in self.toks:
            gap = 0 if prev is None else tok.start - prev.end
            out.append(gap + len(tok.text))
            prev = tok
        return out

    def render(self) -> str:
        parts = [" " * self.indent]
        prev: _Tok | None = None
        for tok in self.toks:
            if prev is not None and tok.start > prev.end:
                parts.append(" " * (tok.start - prev.end))
            parts.append(tok.text)
            prev = tok
        return "".join(parts)


class _RHS:
    __slots__ = ("body", "closing", "head", "opening", "tail")

    def __init__(self, head: _Line, body: _Line, tail: _Line, opening: _Tok, closing: _Tok) -> None:
        self.head, self.body, self.tail = head, body, tail
        self.opening, self.closing = opening, closing


# (line length, text, indent, kind) -> the laid-out line: `line()` is a pure function of
# these (and of this module's code), so results may be kept across runs (`remembering`).
Memo = MutableMapping[tuple[int, str, int, str], str]
_memo: Memo | None = None


@contextmanager
def remembering(memo: Memo) -> Iterator[None]:
    """Every `Layout.line` split inside the block is read from, or added to, `memo`.

    The caller keys a memo kept across runs by this module's code (the generator
    fingerprint does): the splits of lines a run saw before are then not redone.
    """
    global _memo
    previous, _memo = _memo, memo
    try:
        yield
    finally:
        _memo = previous


class Layout:
    """Splits one logical line at a time the way black would, or leaves it whole."""

    def __init__(self, line_length: int = 88) -> None:
        self.line_length = line_length

    # -- the statement shapes sdkgen emits ------------------------------------------

    def line(self, text: str, indent: int, kind: LineKind = "item") -> str:
        """`text` laid out at `indent` columns; continuation lines carry their indent.

        kind: "item" (an argument, dict entry or element inside brackets, with its comma),
        "param" (a `name: annotation = default,` parameter), "stmt" (an assignment,
        annotated assignment or `return`), "if" (an `if ...:` header), "def" (a whole
        `def name(...) -> annotation:` header), "class" (a `class Name(Base):` header).
        """
        if indent + len(text) <= self.line_length:
            return text
        memo = _memo
        if memo is None:
            return self._split(text, indent, kind)
        key = (self.line_length, text, indent, kind)
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._split(text, indent, kind)
        return found

    def _split(self, text: str, indent: int, kind: LineKind) -> str:
        try:
            toks = _tokens(text, statement=kind in ("stmt", "for"))
            if kind == "item":
                line = _Line(_wrap_ternaries(toks), indent, inside=True)
            elif kind == "param":
                line = _Line(_wrap_ternaries(_param_parens(toks)), indent, inside=True)
            elif kind == "stmt":
                line = _Line(_wrap_ternaries(_statement_parens(toks)), indent)
            elif kind == "if":
                line = _Line(_wrap_ternaries(_condition_parens(toks)), indent)
            elif kind == "for":
                line = _Line(_wrap_ternaries(_for_parens(toks)), indent)
            elif kind == "def":
                line = _Line(_wrap_ternaries(_def_parens(toks)), indent)
            elif kind == "class":
                if toks[0].text != "class" or toks[-1].text != ":":
                    raise _Unsure
                line = _Line(_wrap_ternaries(toks), indent)
            else:
                assert_never(kind)
            lines = self._transform(line)
        except (_Unsure, RecursionError):  # too deep for this model: black lays it out
            return text
        return "\n".join(lines)[indent:]

    def import_from(self, module: str, names: list[str], indent: int = 0) -> str:
        """`from module import a, b`, exploded one name per line when it is too long."""
        text = f"from {module} import {', '.join(names)}"
        if indent + len(text) <= self.line_length:
            return text
        if not text.isascii():
            return text
        pad = " " * (indent + 4)  # exploded even when `from ... import (` is too long itself
        return "\n".join([f"from {module} import (", *(f"{pad}{name}," for name in names), " " * indent + ")"])

    # -- black's line splitting, for the lines above ----------------------------------

    def _fits(self, line: _Line, length: int | None = None) -> bool:
        return len(line.render()) <= (self.line_length if length is None else length)

    def _transform(self, line: _Line, force: bool = False) -> list[str]:
        """black's `transform_line`; `force` is its FORCE_OPTIONAL_PARENTHESES feature
        (the second opinion's: optional parentheses are never omitted)."""
        text = line.render()
        if _magic_comma(line.toks):
            raise _Unsure
        if not line.split_rhs and len(text) <= self.line_length:
            return [text]
        if line.is_def:
            try:
                parts = self._lhs(line)
            except _CannotSplit:
                return [text]  # black leaves it too long
            return self._run(parts, text, force)
        if line.inside:
            try:
                split: list[_Line] | None = self._delimiter_split(line)
            except _CannotSplit:
                split = None
            if split is not None and not any(p.render().strip() == text.strip() for p in split):
                return self._run(split, text, force)
        invisible = [t for t in line.toks if t.text == ""]
        optional = _depth0_parens(line.toks) if invisible else []
        try:
            out = self._run(self._right_hand_split_with_omits(line, force), text, force)
        except _CannotSplit:
            return [text]  # black leaves it too long
        if force or not invisible or any(t.text for t in optional) or len(out[0]) <= self.line_length:
            return out
        # black's second opinion (`run_transformer`): the same split of the same tokens
        # (made visible where the first try showed them), keeping every optional paren;
        # taken when all its lines fit
        again = _Line(line.toks, line.indent, line.inside)
        again.split_rhs = line.split_rhs
        try:
            second = self._run(self._right_hand_split_with_omits(again, True), text, True)
        except _CannotSplit:
            raise _Unsure from None  # outside what this model has followed black into
        return second if all(len(s) <= self.line_length for s in second) else out

    def _run(self, parts: list[_Line], text: str, force: bool) -> list[str]:
        """Each part transformed in turn (black's `run_transformer` loop)."""
        out: list[str] = []
        for part in parts:
            if part.render().strip() == text.strip():
                raise _Unsure
            out.extend(self._transform(part, force))
        return out

    def _delimiter_split(self, line: _Line) -> list[_Line]:
        delims = line.delims
        last = len(line.toks) - 1
        candidates = [p for i, p in delims.items() if i != last]
        if not candidates:
            raise _CannotSplit
        top = max(candidates)
        if top == DOT and sum(1 for p in delims.values() if p == DOT) == 1:
            raise _CannotSplit
        out: list[_Line] = []
        current: list[_Tok] = []
        for i, tok in enumerate(line.toks):
            current.append(tok)
            if delims.get(i) == top:
                out.append(_Line(current, line.indent, line.inside))
                current = []
        if current:
            if top == COMMA and current[-1].text != ",":
                current.append(_comma_after(current[-1]))
            out.append(_Line(current, line.indent, line.inside))
        return out

    def _right_hand_split_with_omits(self, line: _Line, force: bool = False) -> list[_Line]:
        """The split at the last bracket; failing a short enough first line, at an
        earlier one, the trailers after it kept whole; failing all, the first try."""
        first: list[_Line] | None = None
        starts: dict[int, int] = {}
        length = line.indent
        for tok, width in zip(line.toks, line.lengths()):
            starts[id(tok)] = length
            length += width
        for omit in self._trailers_to_omit(line):
            if omit:
                target = next((t for t in reversed(line.toks) if t.kind == "close" and id(t) not in omit), None)
                opening = target.match if target is not None else None
                if opening is not None and opening.text and starts.get(id(opening), 0) > self.line_length:
                    continue
            lines = self._right_hand_split(line, omit, force)
            if first is None and not omit:
                first = lines
            if self._fits(lines[0]):
                return lines
        return first if first is not None else self._right_hand_split(line, frozenset(), force)

    def _trailers_to_omit(self, line: _Line) -> Iterator[frozenset[int]]:
        omit: set[int] = set()
        yield frozenset(omit)  # lines here never have a magic trailing comma
        length = line.indent
        opening: _Tok | None = None
        closing: _Tok | None = None
        inner: set[int] = set()
        toks = line.toks
        for index in range(len(toks) - 1, -1, -1):
            tok = toks[index]
            prev = toks[index - 1] if index > 0 else None
            # measured as reached: a split tried meanwhile may have shown a paren
            length += len(tok.text) + (tok.start - prev.end if prev is not None else 0)
            if length > self.line_length:
                break
            if opening is not None:
                if tok is opening:
                    opening = None
                elif tok.kind == "close":
                    if prev is not None and prev.text == ",":
                        raise _Unsure
                    inner.add(id(tok))
            elif tok.kind == "close":
                if prev is not None and prev.kind == "open":
                    inner.add(id(tok))  # empty brackets
                    continue
                if closing is not None:
                    omit.add(id(closing))
                    omit.update(inner)
                    inner.clear()
                    yield frozenset(omit)
                if prev is not None and prev.text == ",":
                    raise _Unsure
                if tok.text:
                    opening, closing = tok.match, tok

    def _right_hand_split(self, line: _Line, omit: frozenset[int], force: bool = False) -> list[_Line]:
        return self._maybe_omit_optional_parens(self._first_rhs(line, omit), line, omit, force)

    def _first_rhs(self, line: _Line, omit: frozenset[int]) -> _RHS:
        tail: list[_Tok] = []
        body: list[_Tok] = []
        head: list[_Tok] = []
        current = tail
        opening = closing = None
        for tok in reversed(line.toks):
            if current is body and tok is opening:
                current = head if body else tail
            current.append(tok)
            if current is tail and tok.kind == "close" and id(tok) not in omit:
                opening, closing = tok.match, tok
                current = body
        if opening is None or closing is None or not head:
            raise _CannotSplit
        tail.reverse()
        body.reverse()
        head.reverse()
        result = _RHS(
            _Line(head, line.indent),
            self._body(body, line, opening),
            _Line(tail, line.indent),
            opening,
            closing,
        )
        _split_succeeded_or_raise(result.head, result.body, result.tail)
        return result

    def _body(self, toks: list[_Tok], original: _Line, opening: _Tok) -> _Line:
        toks = list(toks)
        if toks and original.is_def and opening.text == "(" and not _has_depth0_comma(toks) and toks[-1].text != ",":
            toks.append(_comma_after(toks[-1]))  # a lone parameter gets its trailing comma
        body = _Line(toks, original.indent + 4, inside=True)
        if toks:
            last = len(toks) - 1
            trailing = toks[-1].text == ","
            rest = [p for i, p in body.delims.items() if not (trailing and i == last)]
            if rest and max(rest) == COMMA and (trailing or opening.atom):
                body.split_rhs = True
        return body

    def _maybe_omit_optional_parens(
        self, rhs: _RHS, line: _Line, omit: frozenset[int], force: bool = False
    ) -> list[_Line]:
        if not force and rhs.opening.text == "" and rhs.closing.text == "" and self._can_omit_invisible_parens(rhs):
            inner = omit | {id(rhs.closing)}
            try:
                oop = self._first_rhs(line, inner)
                if self._prefer_split_omitting_parens(oop, rhs):
                    return self._maybe_omit_optional_parens(oop, line, inner, force)
            except _CannotSplit:
                if not _can_be_split(rhs.body) and not self._fits(rhs.body):
                    raise
        if rhs.opening.text == "":
            rhs.opening.text, rhs.closing.text = "(", ")"  # black's `ensure_visible`
        return [part for part in (rhs.head, rhs.body, rhs.tail) if part.toks]

    def _can_omit_invisible_parens(self, rhs: _RHS) -> bool:
        body = rhs.body
        delims = body.delims
        if not delims:
            return True
        top = max(delims.values())
        if sum(1 for p in delims.values() if p == top) > 1:
            return False
        if top == DOT:
            return True
        toks = body.toks
        if len(toks) < 2:
            raise _Unsure
        first, second = toks[0], toks[1]
        if first.kind == "open" and second.kind != "close" and self._can_omit_opening_paren(body, first):
            return True
        penultimate, last = toks[-2], toks[-1]
        if last.kind == "close" and (last.br in "({" or (last.br == "[" and last.atom)):
            if penultimate.kind == "open":
                return False
            if self._can_omit_closing_paren(body, last):
                return True
        return False

    def _can_omit_opening_paren(self, line: _Line, first: _Tok) -> bool:
        remainder = False
        length = line.indent
        for tok, width in zip(line.toks, line.lengths()):
            if tok.kind == "close" and tok.match is first:
                remainder = True
            if remainder:
                length += width
                if length > self.line_length:
                    return False
                if tok.kind == "open":
                    remainder = False
        return True  # the whole line was checked and stayed within the length

    def _can_omit_closing_paren(self, line: _Line, last: _Tok) -> bool:
        length = line.indent
        seen_other_brackets = False
        for tok, width in zip(line.toks, line.lengths()):
            length += width
            if tok is last.match:
                if seen_other_brackets or length <= self.line_length:
                    return True
            elif tok.kind == "open":
                seen_other_brackets = True
        return False

    def _prefer_split_omitting_parens(self, oop: _RHS, rhs: _RHS) -> bool:
        head = rhs.head.toks
        if not (len(head) >= 2 and head[-2].text == "=" and head[-2].kind == "op"):
            return True
        if not any(t.kind in ("open", "close") for t in head[:-1]):
            return True
        if not self._fits(rhs.head, self.line_length - 1):
            return True
        if _magic_comma(head):
            raise _Unsure
        equals = sum(1 for t in head if t.text == "=" and t.kind == "op")
        if equals > 1 and equals > sum(1 for t in oop.head.toks if t.text == "=" and t.kind == "op"):
            return False
        for tok in reversed(oop.head.toks):
            if tok.text == "=" and tok.kind == "op":
                break
            if tok.kind == "close":
                return True
        return any(t.text == "=" and t.kind == "op" for t in oop.head.toks) and self._fits(oop.head)

    def _lhs(self, line: _Line) -> list[_Line]:
        head: list[_Tok] = []
        body: list[_Tok] = []
        tail: list[_Tok] = []
        matching: _Tok | None = None
        for bracket in "([":
            head, body, tail = [], [], []
            current = head
            matching = None
            for tok in line.toks:
                if current is body and tok.kind == "close" and tok.match is matching:
                    current = tail if body else head
                current.append(tok)
                if current is head and tok.kind == "open" and tok.br == bracket:
                    matching = tok
                    current = body
            if matching is not None and tail:
                break
        if matching is None or not tail:
            raise _CannotSplit
        parts = (_Line(head, line.indent), self._body(body, line, matching), _Line(tail, line.indent))
        _split_succeeded_or_raise(*parts)
        return [part for part in parts if part.toks]


def _depth0_parens(toks: list[_Tok]) -> list[_Tok]:
    """The invisible parentheses at bracket depth 0 of a line."""
    out = []
    depth = 0
    for tok in toks:
        if tok.kind == "close":
            if depth == 0:
                continue
            depth -= 1
        if depth == 0 and tok.text == "":
            out.append(tok)
        if tok.kind == "open":
            depth += 1
    return out


def _comma_after(tok: _Tok) -> _Tok:
    return _Tok(",", "op", tok.end, tok.end)


def _has_depth0_comma(toks: list[_Tok]) -> bool:
    depth = 0
    for tok in toks:
        if tok.kind == "open":
            depth += 1
        elif tok.kind == "close":
            depth -= 1
        elif depth == 0 and tok.text == ",":
            return True
    return False


def _magic_comma(toks: list[_Tok]) -> bool:
    """A comma right before a closing bracket (other than a one-tuple's) makes black
    explode the brackets whatever the length."""
    for prev, tok in pairwise(toks):
        if tok.kind == "close" and tok.text and prev.text == ",":
            if tok.br == "(" and tok.atom and tok.match is not None and tok.match in toks:
                inner = toks[toks.index(tok.match) + 1 : toks.index(tok) - 1]
                if not _has_depth0_comma(inner):
                    continue  # (x,)
            return True
    return False


def _can_be_split(line: _Line) -> bool:
    toks = line.toks
    if len(toks) < 2:
        return False
    if toks[0].kind == "str" and toks[1].text == ".":
        raise _Unsure
    return True


def _split_succeeded_or_raise(head: _Line, body: _Line, tail: _Line) -> None:
    if not body.toks:
        tail_len = len(tail.render().strip())
        if tail_len < 3:
            raise _CannotSplit


def _depth0(toks: list[_Tok], start: int, text: str, kind: str = "op") -> int:
    """Index of the first depth-0 `text` token of `kind` (an operator, or "kw": a
    keyword) at or after `start`, or -1."""
    depth = 0
    for i in range(start, len(toks)):
        tok = toks[i]
        if tok.kind == "open":
            depth += 1
        elif tok.kind == "close":
            depth -= 1
        elif depth == 0 and tok.kind == kind and tok.text == text:
            return i
    return -1


def _wrap(toks: list[_Tok], start: int, end: int) -> list[_Tok]:
    """Invisible parentheses around toks[start:end]."""
    if start >= end:
        raise _Unsure
    o, c = _paren("open", toks[start].start), _paren("close", toks[end - 1].end)
    _pair(o, c)
    return toks[:start] + [o] + toks[start:end] + [c] + toks[end:]


def _child_parens(toks: list[_Tok], start: int, end: int) -> list[_Tok]:
    """black's invisible parentheses around a statement's child (a value, a condition,
    an annotation): always, except around a display that has commas or a comprehension."""
    first = toks[start]
    if first.kind == "open" and first.match is toks[end - 1]:
        if first.br == "(":
            raise _Unsure  # black decides whether these are redundant
        inner = toks[start + 1 : end - 1]
        if any(p >= COMMA for p in _delimiters(inner).values()):
            return toks
    return _wrap(toks, start, end)


def _statement_parens(toks: list[_Tok]) -> list[_Tok]:
    if toks[0].text == "await" and _call_statement(toks[1:]):
        return toks  # `await f(...)`: an expression statement too
    if toks[0].kind == "kw":
        if toks[0].text != "return" or len(toks) < 2:
            raise _Unsure
        return _child_parens(toks, 1, len(toks))
    equal = _depth0(toks, 0, "=")
    colon = _depth0(toks, 0, ":")
    if colon != -1 and (equal == -1 or colon < equal):
        if colon != 1 or toks[0].kind != "name":
            raise _Unsure
        if equal == -1:
            return _child_parens(toks, 2, len(toks))
        if _depth0(toks, equal + 1, "=") != -1:
            raise _Unsure
        value = _child_parens(toks, equal + 1, len(toks))
        return _child_parens(value, 2, equal)
    if equal == -1 and colon == -1 and _call_statement(toks):
        return toks  # black puts no invisible parentheses around an expression statement
    if equal == -1 or _depth0(toks, equal + 1, "=") != -1:
        raise _Unsure
    return _child_parens(toks, equal + 1, len(toks))


def _call_statement(toks: list[_Tok]) -> bool:
    """A statement that is one call on a dotted name (`warnings.warn(...)`), nothing else."""
    if len(toks) < 3 or toks[0].kind != "name" or toks[-1].text != ")":
        return False
    opening = toks[-1].match
    if opening is None or opening.atom:
        return False
    head = toks[: toks.index(opening)]
    return all(t.kind == "name" if i % 2 == 0 else t.text == "." for i, t in enumerate(head))


def _condition_parens(toks: list[_Tok]) -> list[_Tok]:
    if toks[0].text != "if" or toks[-1].text != ":" or len(toks) < 3:
        raise _Unsure
    toks[0].role = "statement"
    return _child_parens(toks, 1, len(toks) - 1)


def _for_parens(toks: list[_Tok]) -> list[_Tok]:
    """`[async] for target in iterable:`: black's invisible parentheses around the target
    and around the iterable; neither keyword is a delimiter there."""
    start = 1 if toks[0].text == "async" else 0
    if len(toks) < start + 5 or toks[start].text != "for" or toks[-1].text != ":":
        raise _Unsure
    at = _depth0(toks, start + 1, "in", "kw")
    if at == -1:
        raise _Unsure
    toks[start].role = toks[at].role = "statement"
    return _child_parens(_child_parens(toks, at + 1, len(toks) - 1), start + 1, at)


def _param_parens(toks: list[_Tok]) -> list[_Tok]:
    """`name: annotation = default,`: black parenthesises (invisibly) a union annotation."""
    if len(toks) < 3 or toks[0].kind != "name" or toks[1].text != ":":
        raise _Unsure
    end = _depth0(toks, 2, "=")
    if end == -1:
        end = len(toks) - 1 if toks[-1].text == "," else len(toks)
    if _depth0(toks[:end], 2, "|") == -1:
        return toks
    return _wrap(toks, 2, end)


def _def_parens(toks: list[_Tok]) -> list[_Tok]:
    """`def name(params) -> annotation:` (or `...: ...`, a stub's body on its line):
    parentheses around the return annotation and around each union parameter annotation."""
    colon = len(toks) - 4 if [t.text for t in toks[-4:]] == [":", ".", ".", "."] else len(toks) - 1
    if len(toks) < 6 or toks[1].kind != "name" or toks[2].text != "(" or toks[colon].text != ":":
        raise _Unsure
    close = toks[2].match
    assert close is not None
    arrow = toks.index(close) + 1
    if toks[arrow].text != "->":
        raise _Unsure
    if toks[arrow + 1].text == "(":
        raise _Unsure
    out = _wrap(toks, arrow + 1, colon)
    params = out[3 : out.index(close)]
    start = 0
    result = out[:3]
    while start < len(params):
        end = _depth0(params, start, ",")
        end = len(params) if end == -1 else end + 1
        result.extend(
            _param_parens(params[start:end]) if any(t.text == ":" for t in params[start:end]) else params[start:end]
        )
        start = end
    return result + out[out.index(close) :]
