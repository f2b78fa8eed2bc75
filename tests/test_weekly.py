"""The typed weekly report: its lineage becomes the registered version's tags, and it survives
the round trip through the week's record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from flowgen_core.registry import LINEAGE_TAGS, Registry
from flowgen_core.weekly import (
    DataSources,
    DataWeek,
    Lineage,
    Metrics,
    Training,
    WeeklyReport,
    record_key,
)

LINEAGE = Lineage(
    week="2026-W47",
    recipe="tiny",
    dataset_hash="d" * 64,
    checkpoint_hash="c" * 64,
    model_hash="m" * 64,
    interface_version="flowgen-agent-1",
    code_version="abc123",
    flow_run_id="run-1",
)


def _report() -> WeeklyReport:
    return WeeklyReport(
        lineage=LINEAGE,
        dry_run=False,
        extraction={"hash": "e1", "interactions": 10},
        dataset_uri="/tmp/ds",
        dataset_rows={"train": 8, "validation": 1, "heldout": 1},
        dataset_report={},
        training=Training(
            steps_done=3, loss_first=2.0, loss_last=1.0, model_hash="m" * 64, model_uri="/m"
        ),
        mlflow_run_id="r1",
        metrics=Metrics(candidate={"benchmark": {"cases": 2}}),
        gate={"decision": "promote", "reasons": []},
        previous_champion_version=None,
        candidate_version="1",
        champion_version="1",
        stages={"extract": 1.0},
    )


def test_lineage_tags_cover_every_tag_the_registry_expects() -> None:
    tags = LINEAGE.tags()
    assert set(LINEAGE_TAGS) <= set(tags)
    assert tags["checkpoint_hash"] == "c" * 64 and tags["git_commit"] == "abc123"
    assert "unknown" not in tags.values()


@pytest.mark.integration
def test_a_registered_version_carries_the_checkpoint_hash(tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    registry = Registry(f"sqlite:///{tmp_path / 'mlflow.db'}")
    version = registry.register(model, None, LINEAGE.tags())
    assert registry.get(version).tags["checkpoint_hash"] == "c" * 64


def test_the_record_round_trips_and_names_its_week() -> None:
    report = _report()
    again = WeeklyReport.model_validate_json(report.model_dump_json())
    assert again == report
    assert (again.week, again.recipe, again.decision) == ("2026-W47", "tiny", "promote")
    assert record_key(report.week, report.recipe) == "weekly/2026-W47/tiny.json"


def test_an_unknown_recipe_is_refused() -> None:
    with pytest.raises(ValidationError, match="recipe"):
        Lineage.model_validate({**json.loads(LINEAGE.model_dump_json()), "recipe": "huge"})


CUMULATIVE = {  # the keys a cumulative build adds to its report (data/cumulative.py)
    "window_weeks": 0,
    "weeks": [
        {
            "week": "2026-W46",
            "extraction_hash": "e0",
            "examples": 5,
            "cached": True,
            "seconds": 0.1,
        },
        {"week": "2026-W47", "extraction_hash": "e1", "examples": 7, "cached": False, "seconds": 2},
    ],
    "merge": {"examples": 12, "one_per_origin": 11, "deduplicated": 10},
}


def test_a_warm_start_and_the_weeks_merged_are_in_the_lineage_and_its_tags() -> None:
    data = DataSources.from_report({**CUMULATIVE, "rows": {"train": 9}})
    lineage = LINEAGE.model_copy(
        update={
            "train_init": "champion",
            "init_model_version": "3",
            "init_model_hash": "h" * 64,
            "data_weeks": data.lineage(),
        }
    )
    assert [w.extraction_hash for w in lineage.data_weeks] == ["e0", "e1"]
    tags = lineage.tags()
    assert tags["train_init"] == "champion"
    assert (tags["init_model_version"], tags["init_model_hash"]) == ("3", "h" * 64)
    assert tags["data_weeks"] == "2026-W46..2026-W47 (2 weeks)"
    # from the base: no champion named
    base = LINEAGE.tags()
    assert base["train_init"] == "base" and "init_model_version" not in base
    with pytest.raises(ValidationError, match="init_model_version"):
        Lineage.model_validate({**json.loads(LINEAGE.model_dump_json()), "train_init": "champion"})


def test_the_record_carries_the_cumulative_build_typed() -> None:
    data = DataSources.from_report(CUMULATIVE)
    report = _report().model_copy(
        update={
            "lineage": LINEAGE.model_copy(update={"data_weeks": data.lineage()}),
            "dataset_report": CUMULATIVE,
            "data": data,
        }
    )
    again = WeeklyReport.model_validate_json(report.model_dump_json())
    assert again == report
    assert again.data is not None and [w.cached for w in again.data.weeks] == [True, False]
    assert again.data.merge["deduplicated"] == 10 and again.data.window_weeks == 0
    assert again.lineage.data_weeks[-1] == DataWeek(week="2026-W47", extraction_hash="e1")
    # a record written before sets were cumulative still reads (no data, from the base)
    old = json.loads(_report().model_dump_json())
    del old["data"]
    for key in ("train_init", "init_model_version", "init_model_hash", "data_weeks"):
        del old["lineage"][key]
    legacy = WeeklyReport.model_validate(old)
    assert legacy.data is None and legacy.lineage.train_init == "base"
