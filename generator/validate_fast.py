"""openapi-spec-validator, made cheaper without changing its verdict.

Two changes, both measured first (docs/performance.md) and both checked against the
stock validator by `tests/test_validate_fast.py`:

- The 3.1 document check runs through a registry crawled once. Stock, `jsonschema`
  roots that check at an uncrawled copy of the OAS 3.1 schema, and every
  `$dynamicRef: "#meta"` lookup that misses in some scope (about one per schema object
  in the document) re-crawls the whole schema: a third of the validator's time.
- Each schema's meta-schema check (most of what is left) is a pure function of the
  schema's content and the checker used, so the schemas that passed are remembered by
  content hash in the user cache: after a one-schema edit only that schema is checked
  again. Only passes are remembered; a schema that fails is checked, and reported, on
  every run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .resources import cache_dir, write_cached

MAX_REMEMBERED = 200_000  # content hashes kept (about 7 MB of cache file)


class MetaPasses:
    """Content hashes of schemas that passed their meta-schema check."""

    def __init__(self, known: set[str] | None = None) -> None:
        self.known: set[str] = known or set()
        self.found: set[str] = set()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def file() -> Path:
        return cache_dir() / "validate" / _passes_file_name()

    @classmethod
    def load(cls) -> MetaPasses:
        try:
            found = json.loads(cls.file().read_text("utf-8"))
        except (OSError, ValueError):
            return cls()
        return cls({str(h) for h in found} if isinstance(found, list) else set())

    def save(self) -> None:
        """Adds this run's passes to the file (last writer wins: a lost entry costs time)."""
        if not self.found - self.known:
            return
        merged = sorted(self.found) + sorted(self.known - self.found)
        write_cached(self.file(), json.dumps(merged[:MAX_REMEMBERED]))

    @staticmethod
    def key(checker: Callable[[Any], None], schema_value: Any) -> str | None:
        """Hash of the checker's identity and the schema's content; None if unknown."""
        func = getattr(checker, "func", checker)  # functools.partial or a bound method
        owner = getattr(func, "__self__", None)
        meta = getattr(owner, "META_SCHEMA", None)
        if owner is None or not isinstance(meta, dict):
            return None
        options = getattr(checker, "keywords", {})
        format_checker = options.get("format_checker")
        checks = sorted(getattr(format_checker, "checkers", {})) if format_checker is not None else None
        try:
            text = json.dumps(
                [owner.__module__, owner.__qualname__, meta.get("$id", meta.get("id")), checks, schema_value],
                sort_keys=True,
                separators=(",", ":"),
                allow_nan=False,
            )
        except (TypeError, ValueError):  # not plain JSON (e.g. a YAML date): always checked
            return None
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@lru_cache(maxsize=1)
def _passes_file_name() -> str:
    """Keyed by the versions of the libraries that decide a check, and by this code."""
    versions = []
    for dist in ("openapi-spec-validator", "openapi-schema-validator", "jsonschema"):
        try:
            versions.append(version(dist))
        except PackageNotFoundError:
            versions.append("-")
    own = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    return f"meta-passes-{'-'.join(versions)}-{own}.json"


_ACTIVE: list[MetaPasses] = []  # the run in progress, if it remembers passes


def _remembering(base: type[Any]) -> type[Any]:
    """`base` (a keyword schema validator) with its meta-schema check remembered."""

    class Remembering(base):  # type: ignore[misc]
        def _validate_schema_meta(self, schema: Any, schema_value: Any) -> Any:
            passes = _ACTIVE[-1] if _ACTIVE else None
            key = None
            if passes is not None:
                try:
                    key = MetaPasses.key(self._get_schema_checker(schema, schema_value), schema_value)
                except ValueError:  # an unknown dialect: the stock call reports it
                    key = None
                if key is not None and key in passes.known:
                    passes.hits += 1
                    return None
                passes.misses += 1
            error = super()._validate_schema_meta(schema, schema_value)
            if error is None and key is not None and passes is not None:
                passes.found.add(key)
            return error

    Remembering.__name__ = Remembering.__qualname__ = f"Remembering{base.__name__}"
    return Remembering


@lru_cache(maxsize=1)
def validator_classes() -> tuple[type[Any], type[Any]]:
    """openapi-spec-validator's 3.0 and 3.1 spec validators with both changes; the
    library's own classes when its layout is not the one these changes know."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    try:
        from jsonschema.validators import validator_for  # type: ignore[import-untyped]
        from jsonschema_specifications import REGISTRY as specifications  # type: ignore[import-untyped]
        from openapi_spec_validator.schemas import schema_v31
        from openapi_spec_validator.schemas.backend import get_validator_backend
        from openapi_spec_validator.validation import keywords
        from referencing import Resource

        if get_validator_backend() != "jsonschema":
            return OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
        schema = dict(schema_v31)
        uri = schema["$id"]
        registry = specifications.with_resource(uri, Resource.from_contents(schema)).crawl()
        crawled = validator_for(schema)(schema, registry=registry, _resolver=registry.resolver(base_uri=uri))
        schema30 = _remembering(keywords.OpenAPIV30SchemaValidator)
        schema31 = _remembering(keywords.OpenAPIV31SchemaValidator)
    except (ImportError, AttributeError, KeyError, TypeError, ValueError):
        return OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    class SpecValidator30(OpenAPIV30SpecValidator):
        keyword_validators = {**OpenAPIV30SpecValidator.keyword_validators, "schema": schema30}

    class SpecValidator31(OpenAPIV31SpecValidator):
        schema_validator = crawled
        keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators, "schema": schema31}

    return SpecValidator30, SpecValidator31


@contextmanager
def remembering_passes(passes: MetaPasses) -> Iterator[MetaPasses]:
    """While active, meta-schema passes are looked up in and added to `passes`."""
    _ACTIVE.append(passes)
    try:
        yield passes
    finally:
        _ACTIVE.remove(passes)
