"""`flowgen token`: serving credentials (create, list, revoke); see flowgen_core/serving/tokens.py."""

from __future__ import annotations

import json
import sys
from datetime import timedelta

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from flowgen_core import stack
from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.errors import UnreadableInput, UsageError
from flowgen_core.serving import tokens
from flowgen_core.settings import load_settings
from flowgen_core.store.db import as_engine
from flowgen_core.store.migrate import upgrade

app = typer.Typer(
    help="Serving credentials: bearer tokens bound to a shop (create, list, revoke).",
    no_args_is_help=True,
)


def _engine() -> Engine:
    """The store `flowgen serve` reads tokens from (the same settings), migrated."""
    settings = load_settings()
    engine = as_engine(stack.database_url(settings, db="flowgen"))
    try:
        upgrade(engine)  # a fresh store gets its tables (the token table included)
    except OperationalError as exc:
        detail = " ".join(str(exc.orig).split())[:200]
        raise UnreadableInput(f"database unreachable (FLOWGEN_DATABASE_URL): {detail}") from None
    return engine


@app.command("create")
def create_cmd(
    shop: str = typer.Option(..., "--shop", help="The shop the token may act for."),
    simulation: bool = typer.Option(
        False, "--simulation", help="May set `at` (simulations and replays)."
    ),
    trusted: bool = typer.Option(
        False, "--trusted", help="Its traffic may become training data (default: kept out)."
    ),
    expires_in_days: float = typer.Option(
        None, "--expires-in-days", help="Expire after this many days; default: never."
    ),
    note: str = typer.Option(None, "--note", help="Who or what the token is for."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Issue a token; it is printed once and only its hash is stored."""
    if expires_in_days is not None and expires_in_days <= 0:
        raise UsageError(f"--expires-in-days {expires_in_days}: must be > 0")
    expires = timedelta(days=expires_in_days) if expires_in_days is not None else None
    issued = tokens.create(
        _engine(), shop, simulation=simulation, trusted=trusted, note=note, expires_in=expires
    )
    who = issued.principal
    payload = {
        "token": issued.token,
        "id": who.token_id,
        "shop_id": who.shop_id,
        "simulation": who.simulation,
        "trusted": who.trusted,
        "expires_at": None if issued.expires_at is None else issued.expires_at.isoformat(),
    }
    if as_json:
        sys.stdout.write(json.dumps(payload, sort_keys=True) + "\n")
    else:
        flags = [f for f, on in (("simulation", who.simulation), ("trusted", who.trusted)) if on]
        # written directly: the log masker would hide the one copy of the secret
        sys.stdout.write(
            f"{who.token_id} for shop {who.shop_id} ({', '.join(flags) or 'untrusted'}); "
            "shown once, store it now:\n"
            f"{issued.token}\n"
        )
    sys.stdout.flush()


@app.command("list")
def list_cmd(
    shop: str = typer.Option(None, "--shop", help="Only this shop's tokens."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Every token's id, shop, flags and state (never the secret)."""
    rows = tokens.listing(_engine(), shop)
    lines = [
        f"{r['id']:17} {r['shop_id']:24} {r['state']:8} "
        f"{'simulation' if r['simulation'] else '-':10} {'trusted' if r['trusted'] else '-':7} "
        f"{r['created_at'][:19]}  {r['note'] or ''}"
        for r in rows
    ] or ["no tokens"]
    report({"tokens": rows}, as_json, lines)


@app.command("revoke")
def revoke_cmd(
    token_id: str = typer.Argument(..., help="The token's id (tok_..., see 'flowgen token list')."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Revoke a token: a running server refuses it within 30 seconds."""
    changed = tokens.revoke(_engine(), token_id)
    state = "revoked" if changed else "was already revoked"
    report({"id": token_id, "revoked": True, "changed": changed}, as_json, [f"{token_id} {state}"])
