"""The demo population: deterministic, appendable, realistic enough to exercise the pipeline."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import create_engine, text

from flowgen_core.errors import UsageError
from flowgen_core.store.extract import extract
from flowgen_core.store.seed import SeedConfig, outcome_weights, seed
from flowgen_core.weeks import parse_week

pytestmark = pytest.mark.integration

W45, W46, W47 = parse_week("2026-W45"), parse_week("2026-W46"), parse_week("2026-W47")


def _cfg(weeks: int, end: str, seed_: int = 11, shops: int = 25) -> SeedConfig:
    return SeedConfig(shops=shops, weeks=weeks, end_week=parse_week(end), seed=seed_)


def test_same_seed_same_extraction_hash(make_db) -> None:  # type: ignore[no-untyped-def]
    a, b, c = make_db(), make_db(), make_db()
    seed(a, _cfg(2, "2026-W46"))
    seed(b, _cfg(2, "2026-W46"))
    seed(c, _cfg(2, "2026-W46", seed_=12))
    for week in (W45, W46):
        assert extract(a, week).hash == extract(b, week).hash
        assert extract(a, week).hash != extract(c, week).hash


def test_adding_weeks_later_does_not_change_earlier_weeks(make_db) -> None:  # type: ignore[no-untyped-def]
    grown, at_once = make_db(), make_db()
    first = seed(grown, _cfg(2, "2026-W46"))
    assert first.weeks_written == ("2026-W45", "2026-W46")
    before = {w: extract(grown, w).hash for w in (W45, W46)}
    second = seed(grown, _cfg(3, "2026-W47"))
    assert second.weeks_written == ("2026-W47",)
    assert second.weeks_skipped == ("2026-W45", "2026-W46")
    assert second.rows["shops"] == 0
    assert {w: extract(grown, w).hash for w in (W45, W46)} == before
    seed(at_once, _cfg(3, "2026-W47"))
    for week in (W45, W46, W47):
        assert extract(at_once, week).hash == extract(grown, week).hash
    # re-running the same call writes nothing
    assert seed(grown, _cfg(3, "2026-W47")).weeks_written == ()


def test_refuses_a_different_population_or_inserting_before(make_db) -> None:  # type: ignore[no-untyped-def]
    url = make_db()
    seed(url, _cfg(1, "2026-W46"))
    with pytest.raises(UsageError, match="needs a fresh database"):
        seed(url, _cfg(1, "2026-W46", seed_=99))
    with pytest.raises(UsageError, match="only be added after 2026-W46"):
        seed(url, _cfg(3, "2026-W46"))


def test_population_shape(make_db) -> None:  # type: ignore[no-untyped-def]
    url = make_db()
    seed(url, _cfg(3, "2026-W47", shops=60))
    engine = create_engine(url)
    with engine.connect() as conn:
        descriptors = Counter(
            dict(
                conn.execute(
                    text(
                        "SELECT descriptor, count(*) FROM workflows WHERE built_by = 'merchant' GROUP BY 1"
                    )
                ).all()
            )
        )
        never_ran = conn.execute(
            text(
                "SELECT count(*) FROM workflows w WHERE NOT EXISTS "
                "(SELECT 1 FROM workflow_run_days r WHERE r.workflow_id = w.id)"
            )
        ).scalar_one()
        edits = conn.execute(
            text("SELECT count(*) FROM conversations WHERE existing_revision_id IS NOT NULL")
        ).scalar_one()
        kinds = dict(conn.execute(text("SELECT kind, count(*) FROM feedback GROUP BY 1")).all())
    engine.dispose()
    top = descriptors.most_common()
    assert top[0][0] == "tag_high_value_orders"  # a few very common patterns, a long tail
    assert len(descriptors) >= 12
    assert never_ran > 0
    assert edits > 0
    assert set(kinds) == {"accepted", "edited", "discarded", "activated"}

    result = extract(url, W46)
    assert result.quarantined, "the seed inserts a few bad rows"
    assert any(i.existing_definition for i in result.interactions)
    assert any(w.runs_7d > 0 for w in result.workflows)
    assert any(w.runs_7d == 0 and w.changed_in_week for w in result.workflows)
    requests = [i.request for i in result.interactions]
    assert len(set(requests)) > 0.8 * len(requests)  # varied phrasing
    for i in result.interactions:
        for call in i.tool_trajectory:
            assert call["tool"] in ("task_search", "task_configuration")
        if i.target_definition:
            json.loads(i.target_definition)


def test_emails_and_complex_conditions_fail_more() -> None:
    plain = outcome_weights(frozenset(), editing=False, two_intents=False)
    email = outcome_weights(frozenset({"email"}), editing=False, two_intents=False)
    hard = outcome_weights(frozenset({"email", "complex"}), editing=True, two_intents=True)
    assert plain["discarded"] < email["discarded"] < hard["discarded"]
    assert plain["accepted"] > email["accepted"] > hard["accepted"]
    for weights in (plain, email, hard):
        assert abs(sum(weights.values()) - 1) < 0.06
