"""What every emitter hands to rendering: files with their template and context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, assert_never


class Context(Protocol):
    """A template context: any dataclass instance (emit/contexts.py)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]


@dataclass
class OutputFile:
    """One file of the package. A keyed file (`inputs`, emit/inputs.py) may have its
    context built only when asked (`make`): a file read back by its inputs never needs it."""

    path: str  # posix path inside the package
    template: str | None  # a Jinja template, or None for a verbatim runtime file
    context: Context | None = None  # a typed context (emit/contexts.py); None for a verbatim file
    inputs: bytes | None = None  # digest of everything the context is made from; None: not keyed
    make: Callable[[], Context] | None = None  # builds `context` on first use
    # shows code samples formatted by black (`format_source`): rendered last, when the
    # samples formatted ahead in forked children are more likely done (pipeline._render)
    shows_samples: bool = False

    def built(self) -> Context | None:
        """The context, built now if it was left to `make`."""
        if self.context is None and self.make is not None:
            self.context = self.make()
            self.make = None
        return self.context


@dataclass
class OutputGroup:
    """Files made together, keyed by one digest of their inputs (emit/inputs.py): a
    service group's module and the part modules it may be split into, which rendering
    decides. `make` builds them (contexts included); `path` is the group's main file."""

    path: str
    inputs: bytes
    make: Callable[[], list[OutputFile]]


def expand(item: OutputFile | OutputGroup) -> list[OutputFile]:
    """The files of an output item, a group's made now."""
    match item:
        case OutputFile():
            return [item]
        case OutputGroup():
            return item.make()
        case _:
            assert_never(item)


_ERROR_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}


def specific_error(status: str) -> str | None:
    """The exception class of its own a status raises (None: the generic `APIError`);
    must agree with the runtime's errors.error_class_for."""
    if status.isdigit():
        code = int(status)
        if code >= 500:
            return "InternalServerError"
        return _ERROR_CLASSES.get(code)
    if status.upper() == "5XX":
        return "InternalServerError"
    return None


def error_class_name(status: str) -> str:
    """The exception a status raises."""
    return specific_error(status) or "APIError"
