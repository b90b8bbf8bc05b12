"""The Jinja environment: templates lay out text; these filters alone print spec text.

Spec text is untrusted. It reaches generated code only as a docstring body or a string
literal, both escaped here so that no description can close its quotes and become code.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

_CONTROL = {c: " " for c in range(32) if c not in (9, 10)}
_CONTROL.update({0x2028: " ", 0x2029: " ", 0x85: " ", 0x7F: " "})


def templates_dir() -> Path:
    """Installed wheels carry templates inside the package; a checkout has them at the top."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("sdkgen's templates are missing from this installation")


def pystr(value: object) -> str:
    """A Python string literal for any text: repr() always yields a valid, inert literal."""
    return repr(str(value).translate(_CONTROL))


def _doc_text(text: str) -> str:
    text = str(text).translate(_CONTROL).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    if text.endswith('"'):
        text += " "
    return text or "."


def docstring(text: Any, indent: int = 0) -> str:
    """A complete triple-quoted docstring, indented for its block, safe for any text."""
    body = _doc_text(text)
    pad = " " * indent
    if "\n" not in body:
        return f'"""{body}"""'
    lines = body.split("\n")
    rest = "\n".join(pad + line if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{rest}\n{pad}"""'


def _wrap_item(name: str, text: str) -> list[str]:
    wrapped = textwrap.wrap(text, width=70, break_long_words=False, break_on_hyphens=False) or [""]
    return [f"    {name}: {wrapped[0]}"] + [f"        {w}" for w in wrapped[1:]]


def model_docstring(item: dict[str, Any], indent: int = 0) -> str:
    lines = [item["doc"]]
    if item["attributes"]:
        lines += ["", "Attributes:"]
        for name, text in item["attributes"]:
            lines += _wrap_item(name, " ".join(text.split()))
    return docstring("\n".join(lines), indent)


def operation_docstring(op: dict[str, Any], indent: int = 0) -> str:
    lines = [op["summary"] or op["label"]]
    if op["description"] and op["description"] != op["summary"]:
        lines += ["", op["description"]]
    lines += ["", f"`{op['label']}`"]
    if op["deprecated"]:
        lines += ["", "Deprecated: calling it emits a DeprecationWarning."]
    if op["args"]:
        lines += ["", "Args:"]
        for name, text in op["args"]:
            lines += _wrap_item(name, " ".join(text.split()) or "-")
    lines += ["", "Returns:", f"    {op['returns']}"]
    if op["raises"]:
        lines += ["", "Raises:"]
        for cls, text in op["raises"]:
            lines += _wrap_item(f"errors.{cls}", " ".join(text.split()) or "-")
    return docstring("\n".join(lines), indent)


@lru_cache(maxsize=4)
def environment(root: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root),
        autoescape=False,  # noqa: S701 - output is Python; escaping is the filters' job
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        pystr=pystr,
        docstring=docstring,
        model_docstring=model_docstring,
        operation_docstring=operation_docstring,
    )
    return env


def render(template: str, context: dict[str, Any], language: str = "python") -> str:
    return environment(str(templates_dir() / language)).get_template(template).render(**context)


def runtime_file(name: str, language: str = "python") -> bytes:
    return (templates_dir() / language / "runtime" / name).read_bytes()
