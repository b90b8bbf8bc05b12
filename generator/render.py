"""The Jinja environment: templates lay out text; these filters alone print spec text.

Spec text is untrusted. It reaches generated code only as a docstring body or a string
literal, both escaped here so that no description can close its quotes and become code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import textwrap
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from .naming import literal
from .resources import cache_dir, distribution_version, templates_dir, write_cached

if TYPE_CHECKING:
    from .emit.contexts import ModelItem, OperationItem
    from .emit.output import Context

_CONTROL: dict[int, str | None] = {c: " " for c in range(32) if c not in (9, 10)}
_CONTROL.update({0x2028: " ", 0x2029: " ", 0x85: " ", 0x7F: " "})
# Bidirectional embedding, override and isolate controls reorder how text is displayed
# (a "Trojan Source" comment or docstring can show code other than what runs): spec text
# copied into docstrings and docs loses them. String literals keep their value: repr()
# writes these characters as \u escapes.
_BIDI = dict.fromkeys((*range(8234, 8239), *range(8294, 8298)))
_TEXT = {**_CONTROL, **_BIDI}


def pystr(value: object) -> str:
    """A Python string literal for any text: `literal` keeps it a valid, inert literal."""
    return literal(str(value).translate(_CONTROL))


def _doc_line(line: str) -> str:
    """One line as black leaves it in a docstring: trailing space gone, leading tabs
    expanded to four columns (black's `lines_with_leading_tabs_expanded`)."""
    line = line.rstrip()
    if "\t" in line:
        body = line.lstrip()
        line = line[: len(line) - len(body)].expandtabs(4) + body
    return line


def _doc_text(text: str) -> str:
    text = str(text).translate(_TEXT).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = "\n".join(_doc_line(line) for line in text.strip().split("\n"))
    return text or "."


def docstring(text: Any, indent: int = 0) -> str:
    """A complete triple-quoted docstring, indented for its block, safe for any text,
    printed as black prints it (black then leaves it alone)."""
    body = _doc_text(text)
    pad = " " * indent
    if "\n" not in body:
        if body.endswith('"'):  # the closing quotes follow: a space keeps them apart
            body += " "
        return f'"""{body}"""'
    lines = body.split("\n")
    rest = "\n".join(pad + line if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{rest}\n{pad}"""'


@lru_cache(maxsize=8192)
def _wrap_item(name: str, text: str) -> tuple[str, ...]:
    """One `name: text` entry of a docstring's list, wrapped at 70 columns. Remembered:
    the same parameters with the same descriptions recur across operations (Kubernetes:
    94,290 entries, 1,699 distinct; textwrap was a third of emit + render there)."""
    wrapped = textwrap.wrap(text, width=70, break_long_words=False, break_on_hyphens=False) or [""]
    return (f"    {name}: {wrapped[0]}", *(f"        {w}" for w in wrapped[1:]))


def model_docstring(item: ModelItem, indent: int = 0) -> str:
    lines = [item.doc]
    if item.attributes:
        lines += ["", "Attributes:"]
        for name, text in item.attributes:
            lines += _wrap_item(name, " ".join(text.split()))
    return docstring("\n".join(lines), indent)


def operation_docstring(op: OperationItem, indent: int = 0) -> str:
    lines = [op.summary or op.label]
    if op.description and op.description != op.summary:
        lines += ["", op.description]
    lines += ["", f"`{op.label}`"]
    if op.deprecated:
        lines += ["", "Deprecated: calling it emits a DeprecationWarning."]
    if op.args:
        lines += ["", "Args:"]
        for name, text in op.args:
            lines += _wrap_item(name, " ".join(text.split()) or "-")
    lines += ["", "Returns:", f"    {op.returns_doc or op.returns}"]
    if op.raises:
        lines += ["", "Raises:"]
        for cls, text in op.raises:
            lines += _wrap_item(f"errors.{cls}", " ".join(text.split()) or "-")
    return docstring("\n".join(lines), indent)


# -- Markdown (the generated docs) ---------------------------------------------------


def _md_text(value: object) -> str:
    text = str(value).translate(_TEXT).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


_ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # CommonMark's backslash escapes


def _escape_html_outside_code(text: str) -> str:
    """`<` outside code spans becomes `&lt;`: spec text cannot open an HTML tag or block.

    Code spans are found as CommonMark finds them (a backslash-escaped backtick opens
    none; a run of N backticks closes at the next run of exactly N), so text that only
    looks like a code span to a simpler pattern (`\\`<img onerror=...>\\``) is escaped;
    inside a real code span a Markdown renderer shows `<` as text. Callers pass one line:
    a span CommonMark would let run over lines is escaped too (shown as `&lt;`, inert).
    """
    if "<" not in text:
        return text  # only `<` is ever changed (the docs' 36,000 cells of polar-2026-10: most have none)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE:
            out.append(text[i : i + 2])  # an escaped `<` or backtick is plain text already
            i += 2
        elif char == "`":
            run = i
            while run < n and text[run] == "`":
                run += 1
            fence = text[i:run]
            close = _closing_run(text, run, len(fence))
            if close < 0:  # no closing run: the backticks are plain text
                out.append(fence)
                i = run
            else:
                out.append(text[i : close + len(fence)])
                i = close + len(fence)
        else:
            out.append("&lt;" if char == "<" else char)
            i += 1
    return "".join(out)


def _closing_run(text: str, start: int, length: int) -> int:
    """Where the next run of exactly `length` backticks begins, or -1."""
    i = text.find("`", start)
    while i >= 0:
        end = i
        while end < len(text) and text[end] == "`":
            end += 1
        if end - i == length:
            return i
        i = text.find("`", end)
    return -1


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def md_cell(value: object) -> str:
    """Any text as the content of one Markdown table cell, on one line.

    Pipes are escaped (`\\|`, which GFM honours even inside code spans), line breaks become
    `<br>`, and `<` outside code spans becomes `&lt;`, so no text can end a cell or a row.
    """
    text = _md_text(value)
    if not text:
        return ""
    text = _escape_html_outside_code(text).replace("|", "\\|")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.replace("\n", "<br>")


def md_code(value: object) -> str:
    """An inline code span for any text: the fence is longer than any backtick run inside."""
    text = " ".join(str(value).translate(_TEXT).split("\n"))
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def md_fence(value: object, language: str = "") -> str:
    """A fenced code block for any text: the fence is longer than any backtick run inside."""
    text = str(value).translate(_TEXT).replace("\r\n", "\n").rstrip("\n")
    runs = [len(r) for r in re.findall(r"`{3,}", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def md_block(value: object) -> str:
    """Spec text that is Markdown already (descriptions), as a block: normalised lines,
    raw HTML made inert (`<` outside code spans and fenced code blocks becomes `&lt;`,
    so `<script>`, `<iframe>` or `<img onerror=...>` show as text)."""
    out: list[str] = []
    fence: str | None = None
    for line in _md_text(value).split("\n"):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)
            out.append(line)
        elif fence is not None:
            out.append(line)  # code: shown as written
            closing = _FENCE.match(line)
            if (
                closing
                and closing.group(1)[0] == fence[0]
                and len(closing.group(1)) >= len(fence)
                and not line.strip(" `~")
            ):
                fence = None
        else:
            out.append(_escape_html_outside_code(line))
    return "\n".join(out)


def md_inline(value: object) -> str:
    """Spec text on one line (headings, list items): whitespace collapsed, HTML inert."""
    return _escape_html_outside_code(" ".join(_md_text(value).split()))


# -- TOML (a publishable project's pyproject.toml) -------------------------------------


def toml_str(value: object) -> str:
    """A TOML basic string for any text: quotes, backslashes and control characters escaped,
    on one line, so no value can end the string or start a new key."""
    out = ['"']
    for ch in str(value):
        code = ord(ch)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F or ch in ("\u2028", "\u2029"):
            out.append(f"\\u{code:04X}")
        else:
            out.append(ch)
    return "".join(out) + '"'


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once, kept in the user cache: a one-schema edit of
    polar-2026-10 renders 16 files from 5 templates, ~7 ms of compiling each.

    Jinja checks each entry against its template's source checksum and against its own
    and Python's bytecode versions; the folder is named after the generator fingerprint
    (which covers this module's environment options) and Jinja's version, so compiled
    code from another generator or Jinja is never read. The folder is looked up on each
    use (it follows `SDKGEN_CACHE_DIR`); an unreadable or unwritable cache only costs time.
    """

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return cache_dir() / "jinja" / _compiled_folder() / bucket.key

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        bucket.bytecode_from_string(data)  # a stale or damaged entry resets the bucket

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        write_cached(self._path(bucket), bucket.bytecode_to_string())


@cache
def _compiled_folder() -> str:
    from .manifest import generator_fingerprint

    return hashlib.sha256(f"{generator_fingerprint()}\0jinja2 {distribution_version('jinja2')}".encode()).hexdigest()[
        :32
    ]


@lru_cache(maxsize=4)
def environment(root: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root),
        bytecode_cache=_CompiledTemplates(),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a run's templates do not change: no `stat` per `get_template` (6,000 on polar-2026-10)
    )
    env.filters.update(
        pystr=pystr,
        docstring=docstring,
        model_docstring=model_docstring,
        operation_docstring=operation_docstring,
        md_cell=md_cell,
        md_code=md_code,
        md_fence=md_fence,
        md_block=md_block,
        md_inline=md_inline,
        toml_str=toml_str,
    )
    return env


def render(template: str, context: Context | None, language: str = "python") -> str:
    """`template` filled from a typed context (emit/contexts.py): its fields are the names."""
    names = {} if context is None else {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    return environment(str(templates_dir() / language)).get_template(template).render(**names)


def runtime_file(name: str, language: str = "python") -> bytes:
    return (templates_dir() / language / "runtime" / name).read_bytes()
