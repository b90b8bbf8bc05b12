"""A Starlette app that parses request bodies with the framework's own parsers and
echoes what it received as JSON (a JSON body of up to 1 MB as the value it parsed). Run
by tests/test_wire_bodies.py and tests/test_inheritance.py:
`python wire_echo_server.py PORT` (uvicorn on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartParser
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def echo(request: Request) -> JSONResponse:
    ctype = request.headers.get("content-type", "")
    out: dict[str, Any] = {
        "method": request.method,
        "host": request.headers.get("host"),
        "path": request.url.path,
        "headers": {k: v for k, v in request.headers.items() if k not in ("content-length", "host")},
        "content_type": ctype,
        "query": [[k, v] for k, v in request.query_params.multi_items()],
        "cookies": dict(request.cookies),
    }
    if ctype.startswith(("multipart/", "application/x-www-form-urlencoded")):
        # large uploads are spooled to disk by Starlette, never held whole in memory;
        # `request.form()` reads multipart/form-data only, so other multipart types
        # (multipart/mixed) go through the same parser Starlette uses for it
        if ctype.startswith("multipart/") and not ctype.startswith("multipart/form-data"):
            parser = MultiPartParser(request.headers, request.stream(), max_files=10, max_fields=1000)
            form = await parser.parse()
        else:
            form = await request.form(max_files=10, max_fields=1000, max_part_size=1024 * 1024)
        try:
            fields = []
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    digest, size = hashlib.sha256(), 0
                    while chunk := await value.read(1 << 20):
                        digest.update(chunk)
                        size += len(chunk)
                    fields.append(
                        [
                            key,
                            {
                                "filename": value.filename,
                                "content_type": value.content_type,
                                "size": size,
                                "sha256": digest.hexdigest(),
                            },
                        ]
                    )
                else:
                    fields.append([key, value])
            out["form"] = fields
        finally:
            await form.close()
    else:
        digest, size = hashlib.sha256(), 0
        small: list[bytes] = []  # a JSON body up to 1 MB: parsed and echoed as a value
        async for chunk in request.stream():
            digest.update(chunk)
            size += len(chunk)
            if ctype.startswith("application/json") and size <= 1 << 20:
                small.append(chunk)
        out["size"], out["sha256"] = size, digest.hexdigest()
        if small and size <= 1 << 20:
            out["json"] = json.loads(b"".join(small))
        out["content_length"] = request.headers.get("content-length")
    return JSONResponse(out)


# QUERY, COPY, PURGE: OpenAPI 3.2's `query` and `additionalOperations` (test_openapi32.py)
app = Starlette(
    routes=[Route("/{path:path}", echo, methods=["GET", "POST", "PUT", "PATCH", "DELETE", "QUERY", "COPY", "PURGE"])]
)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
