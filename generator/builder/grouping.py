"""Which service an operation without `x-speakeasy-group` or tags belongs to.

Its path's first segment that is neither a version (`v1`, `v2beta`, `2024-01-01`, `api`)
nor a parameter (`{id}`): `/v1/customers/{id}/notes` -> `customers`. A path with no
such segment (`/`, `/{id}`, `/v2`) goes to `default`. So a spec without tags gets one
service per resource instead of a single `default` service holding every method.
"""

from __future__ import annotations

import re

DEFAULT = "default"
_VERSION = re.compile(r"^(v\d+([._-]?\w*)?|\d{4}-\d{2}(-\d{2})?|\d+(\.\d+)*|api|rest)$", re.IGNORECASE)


def path_group(path: str) -> str:
    for segment in path.split("/"):
        if not segment or "{" in segment or _VERSION.match(segment):
            continue
        return segment
    return DEFAULT
