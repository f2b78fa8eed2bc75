"""A simulated week through the real server comes back in that week's extraction."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from flowgen_core.catalog.model import load_catalog
from flowgen_core.cli import main
from flowgen_core.errors import UsageError
from flowgen_core.serving.simulate import Need, SimulateConfig, needs, react, simulate
from flowgen_core.store.db import as_engine
from flowgen_core.store.extract import extract
from flowgen_core.weeks import parse_week

WEEK = parse_week("2026-W45")
NOW = datetime(2026, 11, 27, tzinfo=UTC)


def test_needs_are_deterministic_dated_in_the_week_and_from_the_population() -> None:
    config = SimulateConfig(requests=60)
    a, b = needs(WEEK, config, NOW), needs(WEEK, config, NOW)
    assert a == b
    assert all(WEEK.start <= n.at < WEEK.end for n in a)
    assert [n.at for n in a] == sorted(n.at for n in a)
    assert any(n.existing is not None for n in a) and any(n.existing is None for n in a)
    assert needs(parse_week("2026-W46"), config, NOW) != a
    with pytest.raises(UsageError, match="not started"):
        needs(parse_week("2026-W49"), config, NOW)


def test_reactions_follow_the_structural_judge() -> None:
    catalog = load_catalog()
    config = SimulateConfig(discard_rate=0.0, activate_rate=0.0)
    (need,) = needs(WEEK, SimulateConfig(requests=1), NOW)
    assert react(need, need.wanted, config, catalog) == [("accepted", None)]
    other: Need = next(
        n for n in needs(WEEK, SimulateConfig(requests=20), NOW) if n.wanted != need.wanted
    )
    assert react(need, other.wanted, config, catalog) == [("edited", need.wanted)]
    assert react(need, None, config, catalog) == [("edited", need.wanted)]
    always = SimulateConfig(discard_rate=1.0, activate_rate=1.0)
    assert react(need, other.wanted, always, catalog) == [("discarded", None)]
    assert react(need, need.wanted, always, catalog) == [("accepted", None), ("activated", None)]


@pytest.mark.integration
@pytest.mark.slow
def test_a_simulated_week_is_what_the_next_extraction_returns(
    serve: Callable[..., Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = serve()
    report = simulate(s.url, WEEK, SimulateConfig(requests=10, concurrency=4), db=s.db_url)
    assert report.answered == 10 and not report.errors
    assert sum(report.outcomes.values()) == 10

    got = {i.id: i for i in extract(s.db_url, WEEK).interactions}
    assert set(got) == set(report.conversation_ids)
    assert Counter(i.outcome for i in got.values()) == Counter(report.outcomes)
    wanted = {n.request for n in needs(WEEK, SimulateConfig(requests=10))}
    for i in got.values():
        assert i.model_version == f"{s.registry.name}/1"
        assert i.outcome != "edited" or i.target_definition is not None
    assert len(wanted) >= 8  # the requests vary (scrubbing may change a few words)
    assert sum(i.activated for i in got.values()) == report.activated

    # the simulation's tokens were revoked at the end of the run
    with as_engine(s.db_url).connect() as conn:
        states = conn.execute(text("SELECT simulation, trusted, revoked_at FROM api_tokens")).all()
    assert states and all(sim and trusted and revoked for sim, trusted, revoked in states)

    # the CLI: the same week again (twice the traffic now), one JSON line; it issues its
    # tokens in the store its settings name, the one the server reads
    monkeypatch.setenv("FLOWGEN_DATABASE_URL", s.db_url)
    code = main(["simulate", "--week", str(WEEK), "--requests", "3", "--url", s.url, "--json"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert payload["answered"] == 3 and payload["model_versions"] == {f"{s.registry.name}/1": 3}
    assert len(extract(s.db_url, WEEK).interactions) == 13


def test_simulate_cli_without_a_server_fails_with_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["simulate", "--week", "2026-W45", "--url", "http://127.0.0.1:9"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("flowgen: error: --url http://127.0.0.1:9: no flowgen server")
    assert len(err.strip().splitlines()) == 1
