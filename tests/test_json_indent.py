"""`generator.json_indent.dumps` writes `json.dumps`'s text (with an indent), and raises
json's own errors for what json refuses: on generated values of every JSON kind, on the
specs themselves (what the docs pages show comes from them) and on the edge cases json
treats apart (non-string keys, NaN and infinities, subclasses of str and int, cycles)."""

from __future__ import annotations

import enum
import json
import math
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, shared_specs_dir
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.json_indent import dumps
from generator.load import load

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**305)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
KEYS = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8), inner, max_size=5)
        | st.dictionaries(KEYS, inner, max_size=4)
    ),
    max_leaves=40,
)


def _both(value: Any, **options: Any) -> tuple[str | type, str | type]:
    """(json's text or error type, ours)."""
    out: list[str | type] = []
    for encode in (json.dumps, dumps):
        try:
            out.append(encode(value, **options))
        except (TypeError, ValueError) as exc:
            out.append(type(exc))
    return out[0], out[1]


@settings(max_examples=400, deadline=None)
@given(VALUES, st.sampled_from([0, 1, 2, 4]), st.booleans(), st.booleans())
def test_same_text_as_json_dumps(value: Any, indent: int, sort_keys: bool, ensure_ascii: bool) -> None:
    expected, got = _both(value, indent=indent, sort_keys=sort_keys, ensure_ascii=ensure_ascii)
    assert got == expected


def _specs() -> list[Path]:
    found = sorted((ROOT / "specs").glob("*.yaml")) + sorted((ROOT / "tests" / "specs").glob("*.yaml"))
    return found + sorted(shared_specs_dir().glob("*.json"))


@pytest.mark.parametrize("path", _specs(), ids=lambda p: p.name)
def test_same_text_as_json_dumps_on_the_specs(path: Path) -> None:
    data = load(path).data  # as the generator reads them (the docs' examples come from here)
    assert dumps(data, indent=2, ensure_ascii=False) == json.dumps(data, indent=2, ensure_ascii=False)
    assert dumps(data, indent=0, sort_keys=True) == json.dumps(data, indent=0, sort_keys=True)


class Colour(enum.IntEnum):
    RED = 1


class Name(str):
    def __str__(self) -> str:  # json writes the string itself, not str(x)
        return "not this"


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        [[], {}, [[]], {"a": {}}],
        {"é": "\u2028 \x00 \ud800 😀", "b": [1.0, -0.0, 1e300, 5e-324]},
        {"n": math.nan, "i": math.inf, "j": -math.inf},
        {3: "int", 2.5: "float", True: "bool", None: "none", "s": "str"},
        [Colour.RED, Name("x"), {Name("k"): Colour.RED}, (1, (2, 3))],
        {"deep": [[[[[[[[[[1]]]]]]]]]]},
        json.loads("[" * 300 + "]" * 300),  # deeper than json_indent goes itself: json's text
    ],
)
@pytest.mark.parametrize("indent", [0, 2])
@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_edge_cases(value: Any, indent: int, ensure_ascii: bool) -> None:
    expected, got = _both(value, indent=indent, ensure_ascii=ensure_ascii)
    assert isinstance(expected, str)
    assert got == expected
    expected, got = _both(value, indent=indent, ensure_ascii=ensure_ascii, sort_keys=True)
    assert got == expected  # text, or json's TypeError for keys it cannot order


def test_json_s_errors_for_what_json_refuses() -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(cycle, indent=2)
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"a": [1, {2}]}, indent=2)
    with pytest.raises(TypeError, match="keys must be"):
        dumps({(1, 2): 3}, indent=0)
    with pytest.raises(TypeError, match="not supported between"):
        dumps({1: 1, "a": 2}, indent=0, sort_keys=True)
