"""Runs docs samples under whichever Python starts it (tests/test_other_pythons.py runs
it under the oldest and newest Pythons a generated package admits, and under this
suite's own): `python samples_runner.py SAMPLES.json PACKAGE_ROOT URL`.

SAMPLES.json holds `[[page, code], ...]`, each code a sample whose clients take
`base_url=BASE_URL` and whose loops over pages stop after one item (the test rewrites
them). Prints one JSON line per sample: the page, the requests it sent (counted at
httpx's public `send`), what it printed and the exception it ended with, if any.
Standard library and httpx only, and Python 3.10 syntax: no generator import."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import sys
from typing import Any

import httpx


def main() -> None:
    samples_file, root, url = sys.argv[1:4]
    sys.path.insert(0, root)
    sent: list[str] = []
    sync_send, async_send = httpx.Client.send, httpx.AsyncClient.send

    def send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        sent.append(f"{request.method} {request.url}")
        return sync_send(self, request, **kwargs)

    async def asend(self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        sent.append(f"{request.method} {request.url}")
        return await async_send(self, request, **kwargs)

    httpx.Client.send = send  # type: ignore[method-assign]
    httpx.AsyncClient.send = asend  # type: ignore[method-assign]

    def first(items: Any) -> Any:
        return itertools.islice(items, 1)

    async def afirst(items: Any) -> Any:
        async for item in items:
            yield item
            return

    with open(samples_file, encoding="utf-8") as fh:
        samples = json.load(fh)
    for page, code in samples:
        sent.clear()
        printed = io.StringIO()
        error = None
        scope = {"BASE_URL": url, "_first": first, "_afirst": afirst, "__name__": "__main__"}
        with contextlib.redirect_stdout(printed):
            try:
                exec(compile(code, page, "exec"), scope)
            except Exception as exc:  # what a sample ends with is compared, not judged
                error = f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}"
        print(json.dumps({"page": page, "sent": list(sent), "printed": printed.getvalue(), "error": error}))


if __name__ == "__main__":
    main()
