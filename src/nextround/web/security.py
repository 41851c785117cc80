"""The page's safety rules, as one ASGI middleware around the app.

- Every request carries the token that `nextround web` printed: GET in the `token` query parameter or in the
  cookie that the first visit sets; anything that changes something (every method but GET and HEAD) in the
  `X-Nextround-Token` header, whatever the cookie says (a cookie alone would let another site's form post here).
  No token: 401. A wrong token: 403.
- The first visit's token moves from the address bar into a cookie (HttpOnly, SameSite=Strict), so the token
  does not stay in the browser's history or get copied with the address.
- Every response says: load nothing from anywhere but this server (Content-Security-Policy), send no referrer,
  cache nothing.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlencode

TOKEN_HEADER = "x-nextround-token"
TOKEN_PARAM = "token"
#: Only this server: no CDN, no fonts, no analytics; no inline script; no framing; forms post only here.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
SAFE_METHODS = {"GET", "HEAD"}
MISSING = "This page needs the link that `nextround web` printed: it carries the page's key. Open that link again."
WRONG = "This key does not open this page: open the link that `nextround web` printed this time."
NOT_WITHOUT_HEADER = "Changes need the page's key in the X-Nextround-Token header; use the page to make them."

HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
]


def cookie_name(port: int | None) -> str:
    # Cookies are shared by every port of a host: two pages on two ports must not overwrite each other's key.
    return f"nextround_token_{port or 0}"


def _same(given: str | None, token: str) -> bool:
    return given is not None and secrets.compare_digest(given.encode(), token.encode())


def _cookies(headers: dict[bytes, bytes]) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            found[name] = value
    return found


class TokenGuard:
    """ASGI middleware: refuses requests without the token and adds the safety headers to every response."""

    def __init__(self, app, token: str):
        self.app = app
        self.token = token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        method = scope["method"]
        port = (scope.get("server") or (None, None))[1]
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if method in SAFE_METHODS:
            given = query.get(TOKEN_PARAM) or _cookies(headers).get(cookie_name(port))
            refusal = None if _same(given, self.token) else (401 if given is None else 403)
        else:
            header = headers.get(TOKEN_HEADER.encode())
            given = header.decode("latin-1") if header is not None else None
            refusal = None if _same(given, self.token) else (401 if given is None else 403)
        if refusal is not None:
            message = WRONG if refusal == 403 else (MISSING if method in SAFE_METHODS else NOT_WITHOUT_HEADER)
            await _plain(send, refusal, message)
            return
        if method in SAFE_METHODS and TOKEN_PARAM in query:
            set_cookie = (f"{cookie_name(port)}={self.token}; Path=/; HttpOnly; SameSite=Strict").encode()
            if scope["path"] == "/":
                # The page itself: move the token out of the address bar into the cookie.
                rest = urlencode([(k, v) for k, v in query.items() if k != TOKEN_PARAM])
                await _redirect(send, "/" + (f"?{rest}" if rest else ""), set_cookie)
                return
            send = _with_cookie(send, set_cookie)
        await self.app(scope, receive, _with_headers(send))


def _with_headers(send):
    async def wrapped(message):
        if message["type"] == "http.response.start":
            message = dict(message)
            message["headers"] = [*message.get("headers", []), *HEADERS]
        await send(message)

    return wrapped


def _with_cookie(send, cookie: bytes):
    async def wrapped(message):
        if message["type"] == "http.response.start":
            message = dict(message)
            message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie)]
        await send(message)

    return wrapped


async def _plain(send, status: int, text: str) -> None:
    body = (text + "\n").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *HEADERS]})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send, location: str, cookie: bytes) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode()), (b"set-cookie", cookie),
                            (b"content-length", b"0"), *HEADERS]})
    await send({"type": "http.response.body", "body": b""})
