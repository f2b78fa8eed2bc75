"""Cumulative sets on a seeded two-week store (real PostgreSQL): the merge of the per-week
sets, one build per week, the hash, the window, and edits that supersede deliveries."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from flowgen_core.agent.render import load_split
from flowgen_core.artifacts import ArtifactStore
from flowgen_core.catalog.model import Catalog
from flowgen_core.data.build import near_duplicate
from flowgen_core.data.cumulative import (
    Merged,
    WeekSet,
    build_cumulative,
    earliest_week,
    merge,
    origin,
    remember_week,
    week_set,
    window,
)
from flowgen_core.data.examples import DataConfig, Example, normalize_request
from flowgen_core.data.teacher import OfflineTeacher
from flowgen_core.store.extract import Extraction, extract

from .helpers import WEEK

PREVIOUS = "2026-W45"  # the demo store holds PREVIOUS and WEEK


@pytest.fixture(scope="module")
def extractions(demo_url: str) -> dict[str, Extraction]:
    return {w: extract(demo_url, w) for w in (PREVIOUS, WEEK)}


def _build(
    week: str,
    store: ArtifactStore,
    extractions: dict[str, Extraction],
    catalog: Catalog,
    config: DataConfig,
    window_weeks: int = 0,
):  # type: ignore[no-untyped-def]
    return build_cumulative(
        week,
        PREVIOUS,
        extractions.__getitem__,
        catalog,
        OfflineTeacher(catalog),
        config,
        store,
        window_weeks,
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ArtifactStore:
    return ArtifactStore(str(tmp_path_factory.mktemp("artifacts")))


@pytest.fixture(scope="module")
def built(
    store: ArtifactStore,
    extractions: dict[str, Extraction],
    catalog: Catalog,
    config: DataConfig,
):  # type: ignore[no-untyped-def]
    return _build(WEEK, store, extractions, catalog, config)


def _fresh_weeks(
    tmp_path: Path, extractions: dict[str, Extraction], catalog: Catalog, config: DataConfig
) -> list[WeekSet]:
    fresh = ArtifactStore(str(tmp_path / "fresh"))
    teacher = OfflineTeacher(catalog)
    return [week_set(extractions[w], catalog, teacher, config, fresh) for w in (PREVIOUS, WEEK)]


def _rows(uri: str) -> dict[str, list[dict]]:
    return {s: load_split(Path(uri), s) for s in ("train", "validation")}


def _accounted_for(e: Example, week: str, merged: Merged) -> bool:
    """In the merged set, or replaced there by a newer example of its origin or of its request
    and workflow (near duplicates included), or left out for a held-out traffic request."""
    kept = [k for rows in merged.splits.values() for k in rows]
    request = normalize_request(e.request)
    return (
        e in kept
        or any(origin(k, WEEK) == origin(e, week) for k in kept)
        or any(
            k.workflow_hash == e.workflow_hash
            and near_duplicate(normalize_request(k.request), request)
            for k in kept
        )
        or request in {normalize_request(h.request) for h in merged.window_heldout}
    )


def test_the_store_starts_at_its_first_week_with_data(demo_url: str, migrated_url: str) -> None:
    assert earliest_week(demo_url) == PREVIOUS
    assert earliest_week(migrated_url) is None  # an empty store: the window is W alone


def test_the_window_runs_from_the_first_week_and_is_bounded_by_window_weeks() -> None:
    assert window(WEEK, PREVIOUS) == [PREVIOUS, WEEK]
    assert window(WEEK, PREVIOUS, window_weeks=1) == [WEEK]
    assert window(WEEK, "2026-W40", window_weeks=3) == ["2026-W44", PREVIOUS, WEEK]
    assert window(WEEK, None) == [WEEK]
    assert window(PREVIOUS, WEEK) == [PREVIOUS]  # data only after W: W alone
    with pytest.raises(ValueError, match="window_weeks"):
        window(WEEK, PREVIOUS, window_weeks=-1)


def test_the_cumulative_set_equals_the_merge_of_the_per_week_sets(
    built, tmp_path: Path, extractions, catalog: Catalog, config: DataConfig
) -> None:  # type: ignore[no-untyped-def]
    weeks = _fresh_weeks(tmp_path, extractions, catalog, config)
    merged = merge(weeks, config)
    rows = _rows(built.uri)
    for split in ("train", "validation"):
        assert [r["id"] for r in rows[split]] == [e.id for e in merged.splits[split]]
        assert rows[split] == [e.row() for e in merged.splits[split]]
    # nothing is lost without a reason
    for w in weeks:
        for e in [*w.synthetic.examples, *w.real.examples]:
            assert _accounted_for(e, w.week, merged), e.id
    assert len(weeks[0].synthetic.examples) + len(weeks[0].real.examples) > 0
    total = sum(len(r) for r in rows.values())
    assert total > max(len(w.synthetic.examples) + len(w.real.examples) for w in weeks) // 2
    manifest = json.loads((Path(built.uri) / "manifest.json").read_text())
    assert manifest["weeks"] == [
        {"week": w, "extraction_hash": extractions[w].hash} for w in (PREVIOUS, WEEK)
    ]
    assert manifest["week"] == WEEK and manifest["extraction_hash"] == extractions[WEEK].hash
    # the traffic suite is the week's own held-out traffic
    heldout_ids = [
        json.loads(line)["id"]
        for line in (Path(built.uri) / "heldout.jsonl").read_text().splitlines()
    ]
    assert heldout_ids == [h.id for h in weeks[-1].real.heldout]


def test_rebuilding_a_week_gives_the_same_hash_and_reuses_every_week(
    built, store: ArtifactStore, tmp_path: Path, extractions, catalog: Catalog, config: DataConfig
) -> None:  # type: ignore[no-untyped-def]
    again = _build(WEEK, store, extractions, catalog, config)
    assert again.hash == built.hash and again.cached
    assert [w["cached"] for w in again.report["weeks"]] == [True, True]
    # a backfill on a machine that never built anything builds the same set
    elsewhere = _build(WEEK, ArtifactStore(str(tmp_path / "other")), extractions, catalog, config)
    assert elsewhere.hash == built.hash and not elsewhere.cached
    assert [w["cached"] for w in elsewhere.report["weeks"]] == [False, False]
    # the hash follows from the weeks it was built from
    assert again.report["weeks"][0]["extraction_hash"] == extractions[PREVIOUS].hash


def test_a_backfill_of_an_earlier_week_builds_what_its_weekly_run_built(
    built, store: ArtifactStore, tmp_path: Path, extractions, catalog: Catalog, config: DataConfig
) -> None:  # type: ignore[no-untyped-def]
    # WEEK was built first in `store`; PREVIOUS now reuses its cached week and must equal a
    # build of PREVIOUS from scratch, as the weekly run of PREVIOUS made it before WEEK existed
    backfilled = _build(PREVIOUS, store, extractions, catalog, config)
    assert backfilled.report["weeks"] == [
        {**backfilled.report["weeks"][0], "week": PREVIOUS, "cached": True}
    ]
    first = _build(PREVIOUS, ArtifactStore(str(tmp_path / "first")), extractions, catalog, config)
    assert first.hash == backfilled.hash


def test_window_weeks_bounds_the_weeks_used(
    store: ArtifactStore, extractions, catalog: Catalog, config: DataConfig
) -> None:  # type: ignore[no-untyped-def]
    one = _build(WEEK, store, extractions, catalog, config, window_weeks=1)
    assert [w["week"] for w in one.report["weeks"]] == [WEEK]
    manifest = json.loads((Path(one.uri) / "manifest.json").read_text())
    assert manifest["weeks"] == [{"week": WEEK, "extraction_hash": extractions[WEEK].hash}]
    assert manifest["window_weeks"] == 1
    ids = [r["id"] for rows in _rows(one.uri).values() for r in rows]
    assert not [i for i in ids if i.startswith(f"syn-{PREVIOUS}-")]
    both = _build(WEEK, store, extractions, catalog, config, window_weeks=2)
    assert [w["week"] for w in both.report["weeks"]] == [PREVIOUS, WEEK]
    assert sum(both.rows[s] for s in ("train", "validation")) > sum(
        one.rows[s] for s in ("train", "validation")
    )


def test_a_refused_weeks_examples_are_in_the_next_weeks_set(
    built, tmp_path: Path, extractions, catalog: Catalog, config: DataConfig
) -> None:  # type: ignore[no-untyped-def]
    # whatever the gate decided for PREVIOUS, the next week's set is built from its examples
    # (the build reads the store of examples, never the registry)
    previous = _fresh_weeks(tmp_path, extractions, catalog, config)[0]
    rows = _rows(built.uri)
    ids = {r["id"] for split in rows.values() for r in split}
    mine = [*previous.synthetic.examples, *previous.real.examples]
    carried = [e for e in mine if e.id in ids]
    assert any(e.source == "real" for e in carried)
    # the rest are there as the newer week's example of the same origin, request or workflow
    merged = merge(_fresh_weeks(tmp_path / "again", extractions, catalog, config), config)
    for e in mine:
        assert e.id in ids or _accounted_for(e, PREVIOUS, merged), e.id


def test_an_edit_supersedes_the_delivered_answer(
    tmp_path: Path, extractions, catalog: Catalog, config: DataConfig
) -> None:  # type: ignore[no-untyped-def]
    older, newer = _fresh_weeks(tmp_path, extractions, catalog, config)
    accepted = next(e for e in older.real.examples if e.outcome == "accepted")
    edited = next(e for e in newer.real.examples if e.outcome == "edited")
    # the same conversation: delivered and accepted in one week, corrected by the merchant in
    # a later week's data
    correction = replace(edited, id=accepted.id, shop_id=accepted.shop_id)
    without = [e for e in newer.real.examples if e.id != edited.id]
    later = replace(newer, real=replace(newer.real, examples=(*without, correction)))
    merged = merge([older, later], config)
    found = [e for rows in merged.splits.values() for e in rows if e.id == accepted.id]
    assert found == [correction]
    assert merged.counts["superseded_by_edit"] == 1
    # an acceptance that comes later never undoes the merchant's correction
    flipped = merge(
        [
            replace(older, real=replace(older.real, examples=(correction,))),
            replace(newer, real=replace(newer.real, examples=(accepted,))),
        ],
        config,
    )
    assert [e for rows in flipped.splits.values() for e in rows if e.id == accepted.id] == [
        correction
    ]


def test_the_newest_example_of_a_request_and_workflow_wins(
    tmp_path: Path, extractions, catalog: Catalog, config: DataConfig
) -> None:  # type: ignore[no-untyped-def]
    older, newer = _fresh_weeks(tmp_path, extractions, catalog, config)
    example = next(e for e in older.synthetic.examples)
    again = replace(example, id=f"syn-{WEEK}-another", request=example.request + "!")
    merged = merge(
        [
            replace(
                older,
                synthetic=replace(older.synthetic, examples=(example,)),
                real=replace(older.real, examples=()),
            ),
            replace(
                newer,
                synthetic=replace(newer.synthetic, examples=(again,)),
                real=replace(newer.real, examples=()),
            ),
        ],
        config,
    )
    assert [e.id for rows in merged.splits.values() for e in rows] == [again.id]
    assert merged.counts["deduplicated"] == 1


def test_a_cached_week_reads_back_as_it_was_built(
    tmp_path: Path, extractions, catalog: Catalog, config: DataConfig
) -> None:  # type: ignore[no-untyped-def]
    store = ArtifactStore(str(tmp_path / "store"))
    teacher = OfflineTeacher(catalog)
    built = week_set(extractions[WEEK], catalog, teacher, config, store)
    again = week_set(extractions[WEEK], catalog, teacher, config, store)
    assert not built.cached and again.cached
    assert again.synthetic == built.synthetic and again.real == built.real
    assert list(again.synthetic.counts) == list(built.synthetic.counts)  # filter order
    # another config is another cache entry
    other = week_set(extractions[WEEK], catalog, teacher, replace(config, seed=1), store)
    assert not other.cached


def test_past_weeks_already_built_are_not_extracted_again(
    tmp_path: Path, extractions, catalog: Catalog, config: DataConfig
) -> None:  # type: ignore[no-untyped-def]
    store = ArtifactStore(str(tmp_path / "store"))
    teacher = OfflineTeacher(catalog)

    def build(extract_week):  # type: ignore[no-untyped-def]
        return build_cumulative(
            WEEK, PREVIOUS, extract_week, catalog, teacher, config, store, source="db1"
        )

    first = build(extractions.__getitem__)
    asked: list[str] = []

    def only_this_week(week: str) -> Extraction:
        asked.append(week)
        return extractions[week]

    again = build(only_this_week)
    assert asked == [WEEK]  # the run's own week is always read; the past week is not
    assert again.hash == first.hash
    assert [w["cached"] for w in again.report["weeks"]] == [True, True]
    # another database (or none named) extracts every week
    asked.clear()
    build_cumulative(WEEK, PREVIOUS, only_this_week, catalog, teacher, config, store, source="db2")
    assert asked == [PREVIOUS, WEEK]
    # a week that has not ended yet is never indexed: its content may still change
    future = replace(extractions[WEEK], week="2099-W01")
    remember_week("db1", future, store)
    assert not store.exists("data/weeks/index/db1/2099-W01.json")
    assert store.exists(f"data/weeks/index/db1/{PREVIOUS}.json")
