"""The weekly flow on real parts at tiny sizes: Postgres, torchrun, MLflow, Prefect.

A training failure, then a re-run that resumes from the cached upstream results; a backfill of
3 weeks, warm-started from the champion, in which each week compares against (and starts from)
the champion the week before left, then its re-run that does no work and registers nothing.
(One week end to end through `flowgen retrain`, and its re-run: tests/flows/test_cli.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flowgen_core.artifacts import folder_hash

pytestmark = [pytest.mark.slow, pytest.mark.integration]

WEEKS = ("2026-W44", "2026-W45", "2026-W46")
OPEN_GATE = {"floors": {}}  # a tiny model meets no real floor; the tests need promotions
# The longest demo conversations run to ~2500 tokens of the tiny tokenizer, over the tiny
# recipe's 2048; any week with more than 5% of them would trip the over_length guard.
SEQ_LEN = 4096


@pytest.fixture
def seeded(stack_env: dict[str, str]) -> dict[str, str]:
    from flowgen_core.store.seed import SeedConfig, seed
    from flowgen_core.weeks import parse_week

    seed(
        stack_env["FLOWGEN_DATABASE_URL"],
        SeedConfig(weeks=len(WEEKS), end_week=parse_week(WEEKS[-1])),
    )
    return stack_env


def _params(week: str, **train: Any) -> Any:
    from flows.weekly_retrain import WeeklyRetrainParams

    return WeeklyRetrainParams(
        week=week,
        train={"max_steps": 3, "seq_len": SEQ_LEN, **train},
        evaluation={"max_cases": 2},
        gate=OPEN_GATE,
    )


def _versions() -> list[dict[str, Any]]:
    from flowgen_core import stack
    from flowgen_core.registry import Registry
    from flowgen_core.settings import load_settings

    return Registry(stack.mlflow_tracking_uri(load_settings())).list_versions()


def _task_states(flow_run_id: str) -> dict[str, str]:
    """task run name -> state name of one flow run (and its subflows' task runs)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return {r.name: r.state.name for r in runs if r.state}


def _child_flow_runs(flow_run_id: Any) -> list[Any]:
    """The subflow runs of one flow run."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId

    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[flow_run_id])
            )
        )


def test_a_training_failure_then_a_rerun_resumes_from_cached_results(
    prefect_api: None, seeded: dict[str, str]
) -> None:
    from prefect.client.orchestration import get_client

    from flows.weekly_retrain import weekly_retrain

    failed = weekly_retrain(_params("2026-W45", stop_at_step=2), return_state=True)
    assert failed.is_failed()
    assert _versions() == []

    report = weekly_retrain(_params("2026-W45"))
    states = _task_states(report.lineage.flow_run_id)
    cached = [name for name, state in states.items() if state == "Cached"]
    assert "extract-2026-W45" in cached, states
    # the cumulative set is cached by the library: every week's examples and the set itself
    assert report.data is not None
    assert [w.week for w in report.data.weeks] == list(WEEKS[:2])  # the store starts at W44
    assert all(w.cached for w in report.data.weeks), report.data.weeks
    # the lineage names the weeks and extraction hashes the set merged
    assert report.lineage.data_weeks == report.data.lineage()
    assert report.lineage.data_weeks[-1].extraction_hash == report.extraction["hash"]
    assert report.lineage.train_init == "base"
    assert report.training.steps_done == 3
    run_dir = Path(seeded["FLOWGEN_STATE_DIR"]) / "runs" / "train"
    [resumed] = list(run_dir.iterdir())
    assert (resumed / "mlflow_run_id").read_text() == report.mlflow_run_id
    # the candidate is registered once, with its lineage, and promoted
    [version] = _versions()
    assert version["version"] == report.candidate_version == report.champion_version
    assert version["aliases"] == ["champion"] and version["gate"] == "promote"
    assert version["tags"]["week"] == "2026-W45"
    assert {k: version["tags"][k] for k in report.lineage.tags()} == report.lineage.tags()
    # the checkpoint tag names the final checkpoint the model was exported from
    [final] = (resumed / "checkpoints").glob("step_000003")
    assert version["tags"]["checkpoint_hash"] == folder_hash(final) != "unknown"
    assert version["tags"]["model_hash"] == report.training.model_hash
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(failed.state_details.flow_run_id).state.is_failed()

    # a dry run of the finished week: every stage from the cache up to the gate, nothing new
    dry = weekly_retrain(_params("2026-W45").model_copy(update={"dry_run": True}))
    assert dry.dry_run and dry.candidate_version is None
    assert dry.lineage.dataset_hash == report.lineage.dataset_hash and dry.decision == "promote"
    assert "promote" not in dry.stages
    dry_states = _task_states(dry.lineage.flow_run_id)
    assert not [n for n in dry_states if n.startswith(("register", "decide", "write-record"))]
    assert len(_versions()) == 1


def test_a_backfill_of_three_weeks_compares_each_week_with_the_last_champion(
    prefect_api: None, seeded: dict[str, str]
) -> None:
    from flows.backfill import BackfillParams, backfill

    params = BackfillParams(
        start=WEEKS[0],
        end=WEEKS[-1],
        # warm starts: the first week has no champion (base), the later ones start from it
        train={"max_steps": 3, "seq_len": SEQ_LEN, "init": "champion"},
        evaluation={"max_cases": 2},
        gate=OPEN_GATE,
    )
    result = backfill(params)
    assert result["ran"] == list(WEEKS) and result["skipped"] == []
    reports = result["reports"]
    first, second = reports[WEEKS[0]], reports[WEEKS[1]]
    assert first["gate"] == "promote" and first["champion_version"] == first["candidate_version"]
    # week 2 was judged against week 1's champion
    assert second["previous_champion_version"] == first["champion_version"]
    assert second["champion_metrics"]
    versions = {v["version"]: v for v in _versions()}
    assert len(versions) == 3
    # lineage: where each version's training started
    assert versions[first["candidate_version"]]["tags"]["train_init"] == "base"
    warm = versions[second["candidate_version"]]["tags"]
    assert warm["train_init"] == "champion"
    assert warm["init_model_version"] == first["champion_version"]
    assert warm["init_model_hash"] == versions[first["champion_version"]]["tags"]["model_hash"]

    again = backfill(params, return_state=True)
    result = again.result()
    assert result["ran"] == [] and result["skipped"] == list(WEEKS)
    assert len(_versions()) == 3
    # each week's re-run did one thing: read the week's record
    for week_run in _child_flow_runs(again.state_details.flow_run_id):
        assert week_run.name.startswith("weekly-retrain-2026-W4")
        assert list(_task_states(str(week_run.id))) == [f"finished-week-{week_run.name[-8:]}"]
