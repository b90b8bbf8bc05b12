"""What every emitter hands to rendering: files with their template and context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


@dataclass
class OutputFile:
    path: str  # posix path inside the package
    template: str | None  # a Jinja template, or None for a verbatim runtime file
    context: DataclassInstance | Mapping[str, Any] | None = None  # a typed context of emit/contexts.py


_ERROR_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}


def error_class_name(status: str) -> str:
    """The exception a status raises; must agree with the runtime's errors.error_class_for."""
    if status.isdigit():
        code = int(status)
        if code >= 500:
            return "InternalServerError"
        return _ERROR_CLASSES.get(code, "APIError")
    if status.upper() == "5XX":
        return "InternalServerError"
    return "APIError"
