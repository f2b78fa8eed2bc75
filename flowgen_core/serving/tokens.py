"""Serving credentials: bearer tokens bound to one shop, stored as their sha256 only.

A token is `fgt_` + 43 URL-safe characters (32 random bytes). It is shown once, when it is
issued; the store keeps its sha256 (the secret has 256 bits of entropy, so a fast hash is
enough: there is nothing to brute-force) under an id (`tok_<12 hex>`) that lists, logs and
rows name instead. Each token carries:

- `shop_id`: the only shop it may send requests and feedback for;
- `simulation`: it may set `at` (client-supplied times, for `flowgen simulate`, the demo and
  replays); without it the server stamps the time itself, so nobody backdates into a closed week;
- `trusted`: its traffic may become training data. Rows record the flag of the token that
  wrote them and `extract` reads trusted rows only, so a new or unreviewed credential cannot
  steer next week's model.

`Authenticator` checks a presented token against the store with a short cache: a revocation
reaches a running server within `cache_s`; while the store is down, a token seen in the last
`stale_s` is still honoured so answers keep flowing into the outbox.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from flowgen_core.errors import InvalidInput, UsageError
from flowgen_core.store.models import ApiToken

PREFIX = "fgt_"
SHOP_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"  # as the API's shop_id


@dataclass(frozen=True)
class Principal:
    """Who a valid token speaks for."""

    token_id: str
    shop_id: str
    simulation: bool
    trusted: bool


@dataclass(frozen=True)
class Issued:
    """A new token: the secret (shown once) and its record."""

    token: str
    principal: Principal
    expires_at: datetime | None


def digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create(
    engine: Engine,
    shop_id: str,
    *,
    simulation: bool = False,
    trusted: bool = False,
    note: str | None = None,
    expires_in: timedelta | None = None,
) -> Issued:
    """Issue a token for `shop_id`; the secret is in the result and nowhere else."""
    if not re.fullmatch(SHOP_PATTERN, shop_id):
        raise UsageError(f"--shop {shop_id!r}: letters, digits, _ and - only (1-64)")
    token = PREFIX + secrets.token_urlsafe(32)
    token_id = f"tok_{secrets.token_hex(6)}"
    now = datetime.now(UTC)
    expires_at = now + expires_in if expires_in is not None else None
    with engine.begin() as conn:
        conn.execute(
            insert(ApiToken).values(
                id=token_id,
                secret_sha256=digest(token),
                shop_id=shop_id,
                simulation=simulation,
                trusted=trusted,
                note=note,
                created_at=now,
                expires_at=expires_at,
            )
        )
    return Issued(token, Principal(token_id, shop_id, simulation, trusted), expires_at)


def listing(engine: Engine, shop_id: str | None = None) -> list[dict[str, Any]]:
    """Every token's record (never the secret or its hash), oldest first."""
    query = select(ApiToken).order_by(ApiToken.created_at, ApiToken.id)
    if shop_id is not None:
        query = query.where(ApiToken.shop_id == shop_id)
    now = datetime.now(UTC)
    out = []
    with engine.connect() as conn:
        for row in conn.execute(query).mappings():
            state = "active"
            if row["revoked_at"] is not None:
                state = "revoked"
            elif row["expires_at"] is not None and row["expires_at"] <= now:
                state = "expired"
            out.append(
                {
                    "id": row["id"],
                    "shop_id": row["shop_id"],
                    "simulation": row["simulation"],
                    "trusted": row["trusted"],
                    "state": state,
                    "note": row["note"],
                    "created_at": _iso(row["created_at"]),
                    "expires_at": _iso(row["expires_at"]),
                    "revoked_at": _iso(row["revoked_at"]),
                }
            )
    return out


def revoke(engine: Engine, token_id: str) -> bool:
    """Revoke a token by id; False when it was already revoked. InvalidInput if unknown."""
    with engine.begin() as conn:
        found = conn.execute(
            select(ApiToken.revoked_at).where(ApiToken.id == token_id)
        ).one_or_none()
        if found is None:
            raise InvalidInput(f"token {token_id!r}: no such token (see 'flowgen token list')")
        if found.revoked_at is not None:
            return False
        conn.execute(
            update(ApiToken).where(ApiToken.id == token_id).values(revoked_at=datetime.now(UTC))
        )
    return True


def lookup(engine: Engine, token: str) -> Principal | None:
    """The principal of a valid (known, unrevoked, unexpired) token, or None."""
    with engine.connect() as conn:
        row = conn.execute(
            select(ApiToken).where(ApiToken.secret_sha256 == digest(token))
        ).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= datetime.now(UTC):
        return None
    return Principal(row.id, row.shop_id, row.simulation, row.trusted)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class StoreUnavailable(Exception):
    """The token could not be checked: the store is down and the token is not remembered."""


class Authenticator:
    """Token -> Principal, with a positive cache (revocation delay) and a negative one (so
    a flood of bad tokens does not become a flood of queries)."""

    def __init__(
        self, engine: Engine, cache_s: float = 30.0, stale_s: float = 600.0, size: int = 10_000
    ) -> None:
        self.engine = engine
        self.cache_s = cache_s
        self.stale_s = stale_s
        self.size = size
        self._known: OrderedDict[str, tuple[float, Principal | None]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, token: str) -> Principal | None:
        """The principal, None for an invalid token; StoreUnavailable when it cannot tell."""
        key = digest(token)
        now = time.monotonic()
        with self._lock:
            cached = self._known.get(key)
        if cached is not None and now - cached[0] < self.cache_s:
            return cached[1]
        try:
            principal = lookup(self.engine, token)
        except SQLAlchemyError:
            # the store is down: a token verified recently keeps working (its answers go to
            # the outbox); an unknown one cannot be vouched for
            if cached is not None and cached[1] is not None and now - cached[0] < self.stale_s:
                return cached[1]
            raise StoreUnavailable("the credential store is unavailable; retry later") from None
        with self._lock:
            self._known[key] = (now, principal)
            self._known.move_to_end(key)
            while len(self._known) > self.size:
                self._known.popitem(last=False)
        return principal
