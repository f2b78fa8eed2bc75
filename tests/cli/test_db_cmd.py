"""`flowgen db ...` end to end against a real PostgreSQL (tests flowgen_core/cli/db_cmd.py)."""

from __future__ import annotations

import json

import pytest

from flowgen_core.cli import main

pytestmark = pytest.mark.integration


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_migrate_seed_extract_stats(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FLOWGEN_DATABASE_URL", db_url)
    code, out, _ = _run(capsys, "db", "migrate", "--json")
    assert code == 0 and json.loads(out.splitlines()[-1]) == {"revision": "0002_api_tokens"}

    args = ("db", "seed", "--shops", "15", "--weeks", "2", "--end-week", "2026-W46", "--seed", "5")
    code, out, _ = _run(capsys, *args, "--json")
    seeded = json.loads(out.splitlines()[-1])
    assert code == 0 and seeded["weeks_written"] == ["2026-W45", "2026-W46"]
    assert seeded["rows"]["shops"] == 15 and seeded["rows"]["conversations"] > 0

    code, out, _ = _run(capsys, "db", "extract", "--week", "2026-W46", "--json")
    summary = json.loads(out.splitlines()[-1])
    assert code == 0
    assert {"hash", "interactions", "workflows", "quarantined", "scrubbed"} <= set(summary)
    assert len(summary["hash"]) == 64 and summary["interactions"] > 0
    assert set(summary["scrubbed"]) == {"email", "phone", "name", "secret"}

    code, out, _ = _run(capsys, "db", "extract", "--week", "2026-W46")
    assert code == 0 and f"hash {summary['hash']}" in out

    code, out, _ = _run(capsys, "db", "stats", "--json")
    stats = json.loads(out.splitlines()[-1])
    assert code == 0 and stats["tables"]["shops"] == 15
    # every conversation of the week is either extracted or quarantined
    in_week = stats["weeks"]["2026-W46"]["conversations"]
    assert summary["interactions"] <= in_week <= summary["interactions"] + summary["quarantined"]


@pytest.mark.parametrize("week", ["2026-46", "W46", "2026-W60"])
def test_bad_week_is_exit_2_with_one_line(week: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "db", "extract", "--week", week, "--json")
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("flowgen: error: ") and "week" in lines[0]


def test_unreachable_database_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(
        "FLOWGEN_DATABASE_URL", f"postgresql+psycopg://postgres:@/nope?host={tmp_path}"
    )
    code, _, err = _run(capsys, "db", "stats")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "database unreachable" in lines[0]
