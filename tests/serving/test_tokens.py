"""`flowgen token create|list|revoke` against a real store: shown once, stored hashed."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from flowgen_core.cli import main
from flowgen_core.serving.tokens import Authenticator, create, lookup
from flowgen_core.store.db import as_engine

pytestmark = pytest.mark.integration


def _last_json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_create_list_revoke(
    migrated_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FLOWGEN_DATABASE_URL", migrated_url)
    assert main(["token", "create", "--shop", "shop_a", "--json"]) == 0
    made = _last_json(capsys)
    token = made["token"]
    assert token.startswith("fgt_") and len(token) > 40
    assert made["shop_id"] == "shop_a" and not made["simulation"] and not made["trusted"]
    assert main(["token", "create", "--shop", "shop_b", "--simulation", "--trusted"]) == 0
    human = capsys.readouterr().out
    assert "shown once" in human and "(simulation, trusted)" in human
    assert human.strip().splitlines()[-1].startswith("fgt_")  # the secret, unmasked, once

    engine = as_engine(migrated_url)
    with engine.connect() as conn:
        stored = " ".join(
            str(v) for row in conn.execute(text("SELECT * FROM api_tokens")) for v in row
        )
    assert token not in stored  # only the hash is kept
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    principal = lookup(engine, token)
    assert principal is not None and principal.shop_id == "shop_a"

    assert main(["token", "list", "--json"]) == 0
    listed = _last_json(capsys)["tokens"]
    assert [(t["shop_id"], t["state"], t["trusted"]) for t in listed] == [
        ("shop_a", "active", False),
        ("shop_b", "active", True),
    ]
    assert token not in json.dumps(listed) and "sha256" not in json.dumps(listed)
    assert main(["token", "list", "--shop", "shop_b", "--json"]) == 0
    assert [t["shop_id"] for t in _last_json(capsys)["tokens"]] == ["shop_b"]

    assert main(["token", "revoke", made["id"], "--json"]) == 0
    assert _last_json(capsys)["changed"] is True
    assert main(["token", "revoke", made["id"]]) == 0
    assert "was already revoked" in capsys.readouterr().out
    assert lookup(engine, token) is None
    assert Authenticator(engine, cache_s=0).check(token) is None


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["revoke", "tok_nope"], 1, "token 'tok_nope': no such token"),
        (["create", "--shop", "no spaces"], 2, "--shop 'no spaces': letters, digits"),
        (["create", "--shop", "s", "--expires-in-days", "0"], 2, "--expires-in-days 0"),
    ],
)
def test_bad_token_commands_fail_with_one_line(
    args: list[str],
    code: int,
    says: str,
    migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FLOWGEN_DATABASE_URL", migrated_url)
    assert main(["token", *args]) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0], err


def test_an_expired_token_is_refused(migrated_url: str) -> None:
    engine = as_engine(migrated_url)
    issued = create(engine, "shop_x", expires_in=timedelta(seconds=-1))
    assert lookup(engine, issued.token) is None
