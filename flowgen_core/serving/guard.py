"""The trust boundary in front of `/v1/*`: body size, bearer token, rate limit, in that order.

It runs as plain ASGI middleware, before FastAPI reads or parses a byte of the body, so an
unauthenticated or oversized request costs a header check and nothing else:

1. a `Content-Length` over `max_body_bytes` -> 413 (a body sent without a length is counted
   as it streams in and refused the same way once it passes the limit);
2. no `Authorization: Bearer <token>`, or a token that is unknown, revoked or expired -> 401;
3. more than the token's bucket allows (`rate_per_s` sustained, `burst` at once) -> 429 with
   `Retry-After`.

The principal (shop, simulation, trusted) is put in the request's state for the handlers,
which enforce the shop binding. `/health`, `/ready` and the schema stay open: probes and
clients need them without credentials. The token itself is never logged: only its id.
"""

from __future__ import annotations

import json
import math
import time
from typing import Any

from anyio import to_thread
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flowgen_core.serving.tokens import Authenticator, Principal, StoreUnavailable

PROTECTED = "/v1/"


class BodyTooLarge(HTTPException):
    """A streamed body passed the limit (FastAPI re-raises HTTPExceptions from body reading)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over the limit of {limit} bytes")


class RateLimiter:
    """A token bucket per credential, in process (one server; counts are not shared)."""

    def __init__(self, rate_per_s: float, burst: int) -> None:
        self.rate = rate_per_s
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}  # id -> (tokens, last refill)

    def take(self, key: str) -> float:
        """0 when the request may go; else the seconds until one more is allowed."""
        now = time.monotonic()
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / self.rate


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            if scheme.lower() == "bearer" and token and len(token) <= 256:
                return token
            return None
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(
    send: Send, status: int, message: str, kind: str, headers: dict[str, str] | None = None
) -> None:
    body = json.dumps({"error": {"message": message, "type": kind}}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: size, authentication and rate limit for every `/v1/` request."""

    def __init__(
        self, app: ASGIApp, auth: Authenticator, limiter: RateLimiter, max_body_bytes: int
    ) -> None:
        self.app = app
        self.auth = auth
        self.limiter = limiter
        self.max_body = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PROTECTED):
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None and length > self.max_body:
            await _refuse(
                send,
                413,
                f"request body of {length} bytes is over the limit of {self.max_body}",
                "invalid_request_error",
                {"Connection": "close"},
            )
            return
        token = _bearer(scope)
        if token is None:
            await _refuse(
                send,
                401,
                "missing credentials: send 'Authorization: Bearer <token>' "
                "(issued with 'flowgen token create')",
                "authentication_error",
                {"WWW-Authenticate": "Bearer"},
            )
            return
        principal = await self._principal(token, send)
        if principal is None:
            return
        wait = self.limiter.take(principal.token_id)
        if wait > 0:
            await _refuse(
                send,
                429,
                f"rate limit of {self.limiter.rate:g} requests/s for this token; retry later",
                "rate_limit_error",
                {"Retry-After": str(max(1, math.ceil(wait)))},
            )
            return
        # a fresh dict: a server that shared one state dict between requests must not let one
        # request's principal be seen by another
        scope["state"] = {**scope.get("state", {}), "principal": principal}
        await self.app(scope, self._counting(receive), send)

    async def _principal(self, token: str, send: Send) -> Principal | None:
        try:
            principal = await to_thread.run_sync(self.auth.check, token)
        except StoreUnavailable as exc:
            await _refuse(send, 503, str(exc), "unavailable", {"Retry-After": "5"})
            return None
        if principal is None:
            await _refuse(
                send,
                401,
                "invalid credentials: the token is unknown, revoked or expired",
                "authentication_error",
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return principal

    def _counting(self, receive: Receive) -> Receive:
        seen = 0
        limit = self.max_body

        async def counted() -> Message:
            nonlocal seen
            message: dict[str, Any] = dict(await receive())
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        return counted
