"""A small HTTP server for tests/test_pagination_links.py, run as its own process.

`python tests/paging_server.py LIFETIME_S` binds 127.0.0.1 on a free port, prints
`PORT <n>` and serves until killed (the test stops it by PID) or for 120 s at most.
Every listing answers one item per page, `{"id": "<path><page>"}`, the page number
being the `page` (Link header) or `cursor` (body) query parameter, 1 when absent:

- `GET /links`: a JSON array; a `Link` header naming several links (a quoted `title`
  with a comma and `<`, `rel="next"`, then on page 2 a relative `rel="next last"`);
  page 3 has only `rel="prev"`;
- `GET /body`: `{"data": [...], "links": {"next": ...}}`: page 1 names a relative URL,
  page 2 an absolute one on this server, page 3 null;
- `GET /evil`: like /body, but page 1 names the same path on `localhost` (same port,
  another origin);
- `GET /keyed`: like /body, 2 pages, the next URL carrying a stale `api_key`;
- `GET /loop`: names `/loop?cursor=1` as the next page, every time;
- `GET /hal`: `{"data": [...], "_links": {"next": {"href": ...}}}`, 2 pages;
- `GET /odata`: `{"value": [...], "@odata.nextLink": ...}`, 2 pages;
- `GET /azure`: `{"value": [...], "nextLink": ...}` by `page`, 3 pages: page 1 names an
  absolute URL keeping `api-version`, page 2 has no `value`, page 3 no `nextLink`;
- `GET /google`: `{"things": [...], "nextPageToken": ..., "unreachable": []}` by
  `pageToken`; page 3 is `{}`;
- `GET /ebay`: `{"dealItems": [...], "next": ...}` by `offset` (1-based here), 2 pages;
- `GET /log`: every request received so far (host, path with query, authorization,
  x-trace), as JSON; `DELETE /log` empties it.
"""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlsplit

from helpers import JsonHandler, serve

LOG: list[dict[str, str | None]] = []
LOCK = threading.Lock()


class Handler(JsonHandler):
    def do_DELETE(self) -> None:
        with LOCK:
            LOG.clear()
        self._send(200, {})

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/log":
            with LOCK:
                self._send(200, list(LOG))
            return
        with LOCK:
            LOG.append(
                {
                    "host": self.headers.get("Host"),
                    "target": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "x-trace": self.headers.get("X-Trace"),
                }
            )
        port = self.server.server_address[1]
        here = f"http://127.0.0.1:{port}"
        name = url.path.strip("/")
        if name == "links":
            page = int(query.get("page", "1"))
            links = {
                1: f'<{here}/links?page=1>; rel="first"; title="a, <b>; c", '
                f'<{here}/links?page=2&per_page=1>; rel="next"',
                2: '</links?page=1>; rel=prev, </links?page=3&per_page=1>; rel="next last"',
                3: '</links?page=2>; rel="prev"',
            }[page]
            self._send(200, [{"id": f"links{page}"}], {"Link": links})
            return
        page = int(query.get("cursor") or query.get("page") or query.get("pageToken") or query.get("offset") or "1")
        item = [{"id": f"{name}{page}"}]
        match name:
            case "azure":
                link = {
                    1: f"{here}/azure?api-version=1&page=2",
                    2: "/azure?page=3",
                    3: None,
                }[page]
                self._send(
                    200,
                    {
                        **({} if page == 2 else {"value": item}),
                        **({"nextLink": link} if link else {}),
                    },
                )
            case "google":
                body = {
                    "things": item,
                    "nextPageToken": str(page + 1),
                    "unreachable": [],
                }
                self._send(200, body if page < 3 else {})
            case "ebay":
                limit = query.get("limit", "1")
                self._send(
                    200,
                    {
                        "dealItems": item,
                        **({"next": f"/ebay?offset=2&limit={limit}"} if page == 1 else {}),
                    },
                )
            case "body":
                nxt = {1: "/body?cursor=2", 2: f"{here}/body?cursor=3", 3: None}[page]
                self._send(200, {"data": item, "links": {"next": nxt}})
            case "evil":
                self._send(
                    200,
                    {
                        "data": item,
                        "links": {"next": f"http://localhost:{port}/body?cursor=2"},
                    },
                )
            case "keyed":
                nxt = {1: "/keyed?api_key=stale&cursor=2", 2: None}[page]
                self._send(200, {"data": item, "links": {"next": nxt}})
            case "loop":
                self._send(200, {"data": item, "links": {"next": "/loop?cursor=1"}})
            case "hal":
                self._send(
                    200,
                    {
                        "data": item,
                        "_links": ({"next": {"href": "/hal?cursor=2"}} if page == 1 else {}),
                    },
                )
            case "odata":
                self._send(
                    200,
                    {
                        "value": item,
                        **({"@odata.nextLink": f"{here}/odata?cursor=2"} if page == 1 else {}),
                    },
                )
            case _:
                self.send_error(404)


if __name__ == "__main__":
    serve(Handler)
