"""`flowgen retrain` and `flowgen backfill` as a user runs them: one full weekly cycle on a
fresh, empty database (seeded with the demo population), its JSON summary, the re-run that does
nothing, and one-line errors before any work."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_process import flowgen

KEYS = {"week", "dataset_hash", "gate", "candidate_version", "champion_version", "mlflow_run_id"}


def _last_json(proc: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _versions(env: dict[str, str]) -> list[dict]:
    from flowgen_core.registry import Registry

    return Registry(env["FLOWGEN_MLFLOW_TRACKING_URI"]).list_versions()


@pytest.mark.integration  # runs the command in a new process
@pytest.mark.parametrize(
    ("args", "params", "code", "message"),
    [
        (("retrain", "--week", "2026-W99"), None, 2, "week 2026-W99 does not exist"),
        (("retrain", "--week", "last"), None, 2, "expected an ISO week like 2026-W45"),
        (("backfill", "--start", "2026-W47", "--end", "2026-W45"), None, 2, "is before --start"),
        (("retrain",), "{not json", 2, "not a readable JSON or TOML file"),
        (("retrain",), '{"recipe": "huge"}', 1, "field recipe: Input should be 'tiny'"),
        (("retrain",), '{"train": {"nproc": 0}}', 1, "field train.nproc:"),
        (("retrain",), '{"week": "2025-W53"}', 1, "field week: week 2025-W53 does not exist"),
        (("backfill", "--start", "2020-W01", "--end", "2026-W01"), "{}", 1, "more than 104"),
    ],
)
def test_bad_input_is_refused_in_one_line_before_any_work(
    tmp_path: Path, args: tuple[str, ...], params: str | None, code: int, message: str
) -> None:
    state = tmp_path / "state"
    if params is not None:
        (tmp_path / "params.json").write_text(params)
        args = (*args, "--params", str(tmp_path / "params.json"))
    env = {"FLOWGEN_STATE_DIR": str(state), "PREFECT_HOME": str(state / "prefect")}
    proc = flowgen(*args, env=env, timeout=120)
    assert proc.returncode == code, proc.stderr[-2000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("flowgen: error:") and message in last, last
    if params is not None:
        assert "params.json" in last  # the file is named
    assert "Traceback" not in proc.stderr
    assert not (state / "pg").exists()  # nothing was started


@pytest.mark.slow
@pytest.mark.integration
def test_retrain_on_an_empty_database_then_again_does_nothing(
    tmp_path: Path, make_db: Callable[[], str]
) -> None:
    env = {
        "FLOWGEN_STATE_DIR": str(tmp_path / "state"),
        "PREFECT_HOME": str(tmp_path / "state" / "prefect"),
        "FLOWGEN_DATABASE_URL": make_db(),  # empty: the demo population gets seeded
        "FLOWGEN_MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path / 'mlflow.db'}",
    }
    params = tmp_path / "tiny.toml"  # the test's sizes; the fields of the Prefect UI form
    params.write_text(
        "[train]\nmax_steps = 4\n"
        "[evaluation]\nmax_cases = 2\n"
        "[gate]\nfloors = {}\n"  # a tiny model meets no real floor
    )
    proc = flowgen(
        "retrain", "--week", "2026-W45", "--params", str(params), "--json", env=env, timeout=900
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = _last_json(proc)
    assert set(out) >= KEYS and out["week"] == "2026-W45"
    assert out["seeded"]["reason"] == "the database was empty"
    assert "the database was empty: seeded the demo population" in proc.stderr
    for stage in ("extract", "datasets", "train", "register", "evaluate", "promote", "report"):
        assert f"stage {stage}: done" in proc.stderr  # progress per stage on stderr
    assert out["extraction"]["interactions"] > 0 and all(out["dataset_rows"].values())
    assert out["training"]["loss_last"] < out["training"]["loss_first"]
    assert out["metrics"]["candidate"]["benchmark"]["cases"] == 2
    assert out["gate"]["decision"] == "promote"  # no champion yet, no floors
    assert out["candidate_version"] == out["champion_version"] == "1"
    assert out["previous_champion_version"] is None and out["mlflow_run_id"]

    [version] = _versions(env)
    assert version["aliases"] == ["champion"] and version["gate"] == "promote"
    assert version["tags"]["week"] == "2026-W45"
    assert version["tags"]["dataset_hash"] == out["dataset_hash"]
    assert version["tags"]["checkpoint_hash"] == out["lineage"]["checkpoint_hash"] != "unknown"
    from mlflow import MlflowClient

    logged = MlflowClient(env["FLOWGEN_MLFLOW_TRACKING_URI"]).list_artifacts(
        out["mlflow_run_id"], "evaluation"
    )
    assert "evaluation/report.md" in {a.path for a in logged}  # the review page, with plots

    again = flowgen(
        "retrain", "--week", "2026-W45", "--params", str(params), "--json", env=env, timeout=900
    )
    assert again.returncode == 0, again.stderr[-4000:]
    rerun = _last_json(again)
    assert rerun["skipped"] and rerun["seeded"] is None
    assert rerun["candidate_version"] == "1" and rerun["mlflow_run_id"] == out["mlflow_run_id"]
    assert "stage extract" not in again.stderr  # no stage ran
    assert len(_versions(env)) == 1
