"""black, in-process, on every generated Python module."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import black


class FormatError(Exception):
    """Generated code black could not parse: a generator bug, never the user's fault."""


def _mode(line_length: int) -> black.Mode:
    import black

    return black.Mode(target_versions={black.mode.TargetVersion.PY310}, line_length=line_length)


def format_source(source: str, *, path: str, line_length: int = 88) -> str:
    import black

    try:
        return black.format_str(source, mode=_mode(line_length))
    except black.parsing.InvalidInput as exc:
        raise FormatError(f"{path}: generated code does not parse: {exc}") from None
