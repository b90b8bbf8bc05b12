"""A small HTTP server for tests/test_security.py, run as its own process.

`python tests/auth_server.py LIFETIME_S` binds 127.0.0.1 on a free port, prints
`PORT <n>` and serves until killed (the test stops it by PID) or for 120 s at most.

- `POST /oauth/token`: OAuth2 client credentials (HTTP Basic `app:s3cret`); answers a
  fresh `tok<n>` valid for `expires_in` seconds (settable), after a short pause so
  that concurrent callers overlap.
- `GET /control?...`: `expires_in=`, `revoke=1` (every token issued so far is refused),
  `redirect=<base URL>` (every other request is answered 307 to `<base>/final<path>`),
  `reject=1` (every token is refused).
- `GET /stats`: counters and the last token request's form, as JSON.
- any other request: if it carries a refused token, 401; else a JSON echo of the
  method, path, query and headers that arrived.
"""

from __future__ import annotations

import base64
import threading
import time
from urllib.parse import parse_qs, urlsplit

from helpers import JsonHandler, serve

STATE: dict[str, object] = {
    "token_requests": 0,
    "requests": 0,
    "issued": [],
    "revoked": set(),
    "expires_in": 3600,
    "redirect": None,
    "reject": False,
    "last_form": None,
}
LOCK = threading.Lock()
CLIENT = base64.b64encode(b"app:s3cret").decode()


class Handler(JsonHandler):
    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_POST(self) -> None:
        body = self._body()
        url = urlsplit(self.path)
        if url.path == "/oauth/token":
            time.sleep(0.3)  # concurrent callers arrive while this one is in flight
            if self.headers.get("Authorization") != f"Basic {CLIENT}":
                self._send(401, {"error": "invalid_client"})
                return
            with LOCK:
                STATE["token_requests"] = int(STATE["token_requests"]) + 1  # type: ignore[call-overload]
                token = f"tok{STATE['token_requests']}"
                STATE["issued"].append(token)  # type: ignore[union-attr]
                STATE["last_form"] = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                expires = STATE["expires_in"]
            self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": expires})
            return
        self._other(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/control":
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            with LOCK:
                if "expires_in" in query:
                    STATE["expires_in"] = float(query["expires_in"])
                if query.get("revoke"):
                    STATE["revoked"] = set(STATE["issued"])  # type: ignore[call-overload]
                if "redirect" in query:
                    STATE["redirect"] = query["redirect"] or None
                if "reject" in query:
                    STATE["reject"] = query["reject"] == "1"
            self._send(200, {})
            return
        if url.path == "/stats":
            with LOCK:
                self._send(200, {k: STATE[k] for k in ("token_requests", "requests", "last_form")})
            return
        self._other(b"")

    do_PATCH = do_PUT = do_DELETE = do_POST

    def _other(self, body: bytes) -> None:
        url = urlsplit(self.path)
        with LOCK:
            STATE["requests"] = int(STATE["requests"]) + 1  # type: ignore[call-overload]
            redirect, reject, revoked = STATE["redirect"], STATE["reject"], STATE["revoked"]
        if redirect and not url.path.startswith("/final"):
            target = f"{redirect}/final{url.path}" + (f"?{url.query}" if url.query else "")
            self._send(307, {}, {"Location": target})
            return
        auth = self.headers.get("Authorization") or ""
        if auth.startswith("Bearer tok") and (reject or auth[7:] in revoked):  # type: ignore[operator]
            self._send(401, {"detail": "token refused"})
            return
        self._send(
            200,
            {
                "method": self.command,
                "path": url.path,
                "query": url.query,
                "headers": {k.lower(): v for k, v in self.headers.items()},
            },
        )


if __name__ == "__main__":
    serve(Handler)
