"""load.py looks for a run of more than MAX_DIGITS ASCII digits (then every integer is
checked) with a byte translation instead of a regular expression: same answers."""

from __future__ import annotations

import re

import pytest

from generator import load

LONG = re.compile(rf"[0-9]{{{load.MAX_DIGITS + 1}}}")  # the expression it replaced, as the reference


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1" * load.MAX_DIGITS,
        "1" * (load.MAX_DIGITS + 1),
        '{"a": ' + "9" * 5000 + "}",
        "x" + "2" * load.MAX_DIGITS + "é" + "3" * load.MAX_DIGITS,  # a two-byte character between runs
        "٣" * 400,  # digits, but not ASCII ones: JSON numbers are ASCII
        "١" + "4" * (load.MAX_DIGITS + 1) + "\U0001f600",
        "5" * load.MAX_DIGITS + "\ud800" + "6",  # a lone surrogate does not stop the check
    ],
)
def test_long_digit_runs_are_found_as_the_regular_expression_finds_them(text: str) -> None:
    assert load._has_long_digits(text) is (LONG.search(text) is not None)
