"""`sdkgen generate --changelog FILE`: a CHANGELOG entry per regeneration, from the diff.

The entry lists what changed for the SDK's callers (the same changes `sdkgen diff`
reports, breaking ones first) and is put at the top of FILE, below its `# ` title if it
has one. A regeneration that changes nothing callers can see adds no entry; regenerating
again under the same heading replaces that entry instead of stacking a second one.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from .diff import Change

TITLE = "# Changelog"


def entry(heading: str, changes: list[Change] | None, today: datetime.date | None = None) -> str | None:
    """The Markdown entry, or None when nothing visible changed (`changes=None`: a first release)."""
    day = (today or datetime.datetime.now(datetime.UTC).date()).isoformat()
    lines = [f"## {heading} ({day})", ""]
    if changes is None:
        lines.append("- First generated version.")
    elif not changes:
        return None
    else:
        breaking = [c for c in changes if c.breaking]
        other = [c for c in changes if not c.breaking]
        for title, group in (("Breaking changes", breaking), ("Other changes", other)):
            if group:
                lines += [f"### {title}", ""]
                lines += [f"- {_line(c)}" for c in group]
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _line(c: Change) -> str:
    text = f"{c.what} `{c.path}`: {c.detail}"
    if c.affects:
        text += " (affects " + ", ".join(f"`{m}`" for m in c.affects) + ")"
    return text


def prepend(path: Path, text: str) -> None:
    """Put `text` at the top of the changelog (after its title), replacing an entry with the
    same heading line."""
    try:
        current = path.read_text("utf-8")
    except FileNotFoundError:
        current = ""
    head, _, _ = text.partition("\n")
    heading = head.rsplit(" (", 1)[0]  # the date may differ between two regenerations
    lines = current.splitlines(keepends=True)
    title: list[str] = []
    if lines and lines[0].startswith("# "):
        title, lines = lines[:1], lines[1:]
    else:
        title = [TITLE + "\n"]
    while lines and not lines[0].strip():
        lines = lines[1:]
    if lines and lines[0].rsplit(" (", 1)[0].rstrip("\n") == heading:
        end = next((i for i in range(1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines = lines[end:]
    rest = "".join(lines)
    path.write_text("".join(title) + "\n" + text + ("\n" + rest if rest else ""), "utf-8")
