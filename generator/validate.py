"""openapi-spec-validator's verdict, as warnings with locations, cached by content hash.

Real specs often fail strict validation yet are perfectly usable (Polar's 2025-02 spec has
duplicate operationIds), so the verdict never stops generation: it is reported. The
validator is slow on large specs (seconds), so its verdict is kept in the user cache
directory keyed by the document's hash and the validator's version.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .diagnostics import SpecWarning, pointer
from .load import Document

MAX_REPORTED = 20


def cache_dir() -> Path:
    """Where sdkgen keeps caches that should outlive an output folder."""
    explicit = os.environ.get("SDKGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sdkgen"


def _cache_file(doc: Document) -> Path:
    key = f"{doc.sha256}-{version('openapi-spec-validator')}"
    return cache_dir() / "validate" / f"{key}.json"


def validate(doc: Document, *, use_cache: bool = True) -> list[SpecWarning]:
    """Return the validator's complaints about `doc` (at most MAX_REPORTED, then a count)."""
    cached = _cache_file(doc)
    if use_cache:
        try:
            found: list[list[str]] = json.loads(cached.read_text("utf-8"))
        except (OSError, ValueError):
            pass
        else:
            return [SpecWarning(doc.locate(p), m) for p, m in found]
    problems = list(_run_validator(doc.data))
    if use_cache:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(problems), "utf-8")
            os.replace(tmp, cached)
        except OSError:
            pass  # a read-only cache only costs time
    return [SpecWarning(doc.locate(p), m) for p, m in problems]


_OPERATION_IN_MESSAGE = re.compile(r"for '(\w+)' in '([^']+)'")


def _pointer_from_message(message: str) -> str:
    """Some validator errors carry no path but name the operation in their text."""
    found = _OPERATION_IN_MESSAGE.search(message)
    return pointer("paths", found[2], found[1]) if found else "#"


def _run_validator(data: dict[str, Any]) -> Iterable[tuple[str, str]]:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    version_text = str(data.get("openapi", ""))
    cls = OpenAPIV30SpecValidator if version_text.startswith("3.0") else OpenAPIV31SpecValidator
    count = 0
    try:
        for error in cls(data).iter_errors():
            count += 1
            if count <= MAX_REPORTED:
                message = getattr(error, "message", str(error)).splitlines()[0]
                path = getattr(error, "absolute_path", None) or getattr(error, "path", ())
                where = pointer(*path) if path else _pointer_from_message(message)
                yield where, f"openapi-spec-validator: {message}"
    except Exception as exc:  # the validator itself may choke on odd but usable input
        yield "#", f"openapi-spec-validator could not finish: {type(exc).__name__}: {exc}"
    if count > MAX_REPORTED:
        yield "#", f"openapi-spec-validator: {count - MAX_REPORTED} more problems not shown."
