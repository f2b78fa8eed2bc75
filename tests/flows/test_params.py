"""Flow parameters: one pydantic model per flow, validated before any work starts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from flowgen_core.weeks import last_complete_week
from flows.backfill import BackfillParams
from flows.weekly_retrain import WeeklyRetrainParams


def test_weekly_params_default_to_the_last_complete_week() -> None:
    params = WeeklyRetrainParams()
    assert params.week is None and params.resolved_week() == str(last_complete_week())
    assert WeeklyRetrainParams(week="2026-W45").resolved_week() == "2026-W45"


@pytest.mark.parametrize("week", ["2026-45", "2025-W53", "W45", ""])
def test_weekly_params_reject_a_bad_week(week: str) -> None:
    with pytest.raises(ValidationError, match="week"):
        WeeklyRetrainParams(week=week)


def test_backfill_weeks_run_oldest_first_across_the_year_end() -> None:
    params = BackfillParams(start="2026-W52", end="2027-W02")
    assert params.weeks() == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]


def test_backfill_rejects_a_reversed_or_huge_range() -> None:
    with pytest.raises(ValidationError, match="before start"):
        BackfillParams(start="2026-W47", end="2026-W40")
    with pytest.raises(ValidationError, match="more than 104"):
        BackfillParams(start="2020-W01", end="2026-W01")


def test_a_flow_failure_is_one_line_naming_what_failed_and_what_to_do() -> None:
    from flowgen_core.cli.retrain_cmd import RetrainFailed, failures_as
    from flowgen_core.errors import InvalidInput

    with pytest.raises(RetrainFailed) as caught, failures_as("weekly run 2026-W45", "re-run it"):
        raise RuntimeError("worker\n  crashed")
    assert str(caught.value) == (
        "weekly run 2026-W45 failed: RuntimeError: worker crashed; fix the cause and re-run it"
    )
    assert caught.value.exit_code == 1
    with pytest.raises(InvalidInput, match="bad row"), failures_as("backfill", "run it again"):
        raise InvalidInput("bad row")  # flowgen's own errors keep their message and exit code


def test_the_data_window_defaults_to_every_week_and_refuses_a_negative_one() -> None:
    assert WeeklyRetrainParams().data.window_weeks == 0
    assert WeeklyRetrainParams(data={"window_weeks": 4}).data.window_weeks == 4
    with pytest.raises(ValidationError, match="window_weeks"):
        WeeklyRetrainParams(data={"window_weeks": -1})
    assert BackfillParams(start="2026-W45", end="2026-W46", data={"window_weeks": 2}).data == (
        WeeklyRetrainParams(data={"window_weeks": 2}).data
    )
