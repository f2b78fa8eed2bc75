"""`flowgen data build` and `flowgen data show` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import WEEK


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flowgen_core.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


@pytest.mark.integration
@pytest.mark.slow
def test_build_twice_then_show(demo_url: str, tmp_path: Path) -> None:
    env = {"FLOWGEN_DATABASE_URL": demo_url, "FLOWGEN_STATE_DIR": str(tmp_path / "state")}
    out = tmp_path / "out"
    first = run("data", "build", "--week", WEEK, "--out", str(out), "--json", env=env)
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout.strip().splitlines()[-1])
    assert {"hash", "rows", "uri", "cached"} <= set(result)
    assert result["cached"] is False and result["rows"]["train"] > 0
    assert Path(result["uri"]) == out / "datasets" / result["hash"]
    assert "synthetic set" in first.stderr  # progress on stderr

    second = run("data", "build", "--week", WEEK, "--out", str(out), env=env)
    assert second.returncode == 0, second.stderr
    assert f"dataset {result['hash']} (already stored)" in second.stdout
    assert "synthetic: workflows" in second.stdout and "ran_in_7d" in second.stdout

    shown = run("data", "show", result["uri"], "--examples", "1", env=env)
    assert shown.returncode == 0, shown.stderr
    assert result["hash"] in shown.stdout
    assert "<|im_start|>system" in shown.stdout and "<tool_call>" in shown.stdout


@pytest.mark.integration  # runs the command in a new process
def test_bad_week_and_missing_dataset_are_one_line_errors(tmp_path: Path) -> None:
    env = {"FLOWGEN_STATE_DIR": str(tmp_path / "state")}
    bad = run("data", "build", "--week", "2026-53x", env=env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "Traceback" not in bad.stderr
    missing = run("data", "show", str(tmp_path / "nowhere"), env=env)
    assert missing.returncode == 2 and "manifest.json" in missing.stderr
    assert "Traceback" not in missing.stderr
