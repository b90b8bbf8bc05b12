"""`emit/pattern_example.py`: a docs sample's string for a `pattern`, and the check of a
string against it, without Python's backtracking `re`.

The patterns below are the ones real specs held samples to (APIs.guru, 2026-12-01: Prism
refused 72 of 1,398 docs samples of 60 specs for a placeholder outside such a constraint);
every written string is checked with `re.search`, as the samples are.
"""

from __future__ import annotations

import random
import re
import warnings

import pytest

from generator.emit.pattern_example import example_for, readable

REAL = [
    r"^GA[0-9a-fA-F]{32}$",  # Twilio's service SIDs
    r"^sn-[0-9a-zA-Z]{17}$",  # AWS DRS ids
    r"^vol-([0-9a-fA-F]{8}|[0-9a-fA-F]{17})$",
    r"^arn:(?:[0-9a-zA-Z_-]+:){3}([0-9]{12,}):source-server/(s-[0-9a-zA-Z]{17})$",
    r"^arn:.{16,2044}$",
    r"^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+$",
    r"^Snapshot_\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z$",  # GameSparks
    r"AppleCloudExtension/([0-9]+\.[0-9]+\.[0-9]+) *.*",  # Apple's User-Agent parameter
    r"^(indices)|(A[A-F0-9]{6})$",  # Weber Gesamtausgabe
    r"^(us(-gov)?|ap|ca|cn|eu|sa|af|me)-(central|north|(north(?:east|west))|south|south(?:east|west)|east|west)-[0-9]$",
    r"^[1-9][0-9]*-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([0-1][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?Z$",
    r"([0-9]+[.]){2}[0-9]+",
    r'["][ -~]{10}["]',
    r"[^a-z]{3}",
    r"^[\w.+-]+@[\w-]+\.[\w.]+$",
    r"^\d+\.\d+\.\d+$",
    r"(?P<major>\d+)\.x",
    r"^[a-z]{2,3}\\[A-Z]$",
]


@pytest.mark.parametrize("pattern", REAL)
def test_the_written_string_matches(pattern: str) -> None:
    text = example_for(pattern)
    assert text is not None
    assert re.search(pattern, text), text


@pytest.mark.parametrize(
    ("pattern", "low", "high"),
    [(r"^s-[0-9a-z]+$", 20, None), (r"^[a-z]*$", 5, 5), ("x+", 8, 9), ("^arn:aws:gamesparks:", 20, 1011)],
)
def test_the_length_bounds_are_kept(pattern: str, low: int, high: int | None) -> None:
    text = example_for(pattern, low, high)
    assert text is not None and re.search(pattern, text)
    assert len(text) >= low and (high is None or len(text) <= high)


def test_a_string_the_bounds_cannot_hold_is_none() -> None:
    assert example_for(r"^GA[0-9a-f]{32}$", 0, 10) is None
    assert example_for(r"^(ab|cd)$", 3) is None


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?=x)y",  # look-ahead
        r"(?!x)y",
        r"(a)\1",  # back-reference
        r"\p{L}+",  # a Unicode property (not Python's syntax: re refuses it too)
        r"(?i)abc",  # flags
        r"[[:alpha:]]+",  # POSIX class
        "(unclosed",
        r"A*+A",  # possessive (Python's `re` only, not ECMA-262): no string matches
        r"\00[a-c]",  # an octal escape
    ],
)
def test_syntax_it_does_not_read_gives_none(pattern: str) -> None:
    assert example_for(pattern) is None


def test_a_pattern_for_another_engine_is_read_without_a_warning() -> None:
    """`[[:alpha:]]` (POSIX) made `re` print a FutureWarning naming the generator's own
    line on the user's terminal; `re` no longer reads spec patterns at all."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert readable("[[:alpha:]]+") is None
        assert readable("(unclosed") is None
        assert example_for("[[:alpha:]]+") is None
    assert seen == []


def test_a_pattern_that_would_write_a_huge_string_gives_none_at_once() -> None:
    """Spec text is untrusted: nested repeats are counted before anything is written."""
    assert example_for("((a{999}){999}){999}") is None  # past MAX_STATES
    assert example_for("x{500}") == "x" * 500
    assert example_for("x{4000}") is None  # its check would visit ~8 million states


# texts held against each pattern: the written example, the common placeholders, and the
# example cut, extended and with a character changed
def _texts(pattern: str) -> list[str]:
    texts = ["", "string", "US", "abc123", "a", "aaaa", "0", "+15555550123", "2024-01-01", "a-b", "/string", "\n"]
    written = example_for(pattern)
    if written:
        texts += [written, written[:-1], written[1:], written + "x", "x" + written, written + "\n"]
        texts += [written[:i] + "~" + written[i + 1 :] for i in range(0, len(written), max(1, len(written) // 5))]
    return texts


CHECKED = [
    *REAL,
    r"^\w{2}$",
    r"a|b|",
    r"^$",
    r"x*",
    r"(ab)+c?$",
    r"[^\d\s]+",
    r"[a\-z]",
    r"[]a]",
    r"\Aabc\Z",
    r"^(a|aa)*c$",
    r"(a*)*b",
    r"colou?r",
    r"\x41\u0042",
]


@pytest.mark.parametrize("pattern", CHECKED)
def test_the_check_agrees_with_re(pattern: str) -> None:
    """The automaton accepts exactly what `re.search` accepts (on texts short enough for
    `re` to answer at once)."""
    read = readable(pattern)
    assert read is not None, pattern
    for text in _texts(pattern):
        assert read.search(text) == bool(re.search(pattern, text)), (pattern, text)


def test_a_backtracking_pattern_is_checked_at_once() -> None:
    """`re.search("^(a|aa)*c$", "a" * 60)` does not return in any time a user waits; the
    automaton answers in the length of the text times its states."""
    read = readable("^(a|aa)*c$")
    assert read is not None
    assert read.search("a" * 60) is False
    assert read.search("a" * 4000 + "c") is True
    assert read.example(60) == "a" * 59 + "c"


def test_the_check_agrees_with_re_on_random_patterns() -> None:
    """3,000 patterns drawn (fixed seed) from the syntax this module reads and some it does
    not: none raises, and wherever it reads a pattern that `re` compiles, both accept the
    same short texts, the written example among them. (A run of 120,000 such patterns,
    ~1,000,000 checks, found possessive quantifiers and octal escapes read wrongly; both
    are refused now.)"""
    pieces = [*"ab01^$.|()[]-*+?{},\\dwsDWSAZ:xP<>=!é\n "]
    pieces += ["\\x41", "\\u00e9", "{0}", "{0,0}", "[\\d\\s]", "[^\\w]", "\\n", "[\\]a]", "(a|)", "{2}"]
    pieces += ["{1,3}", "{2,}", "[a-c]", "[^a]", "\\d", "\\w", "(?:", "(?P<n>", "\\.", "\\-"]
    texts = ["", "a", "b", "ab", "ba", "0", "a0", "aab", "\n", "a\n", "A", "é", "a\nb", "aaaa", "_", " ", "-", "{"]
    rng = random.Random(20261201)
    read_count = 0
    for _ in range(3000):
        pattern = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        read = readable(pattern)
        example = read.example(rng.randint(0, 5), rng.choice([None, 8, 20])) if read is not None else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                compiled = re.compile(pattern)
            except re.error:
                continue
        if read is None:
            continue
        read_count += 1
        for text in texts + ([example] if example is not None else []):
            assert read.search(text) == bool(compiled.search(text)), (pattern, text)
    assert read_count > 800  # the draw reaches what the module reads
