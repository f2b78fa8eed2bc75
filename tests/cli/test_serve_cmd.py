"""`flowgen serve` as a process: starts, answers, records, stops on SIGTERM; bad options fail fast."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from flowgen_core.cli import main
from flowgen_core.serving.server import free_port
from flowgen_core.store.db import as_engine


@pytest.mark.integration
@pytest.mark.slow
def test_serve_command_answers_and_records(
    migrated_url: str,
    trained_model: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FLOWGEN_DATABASE_URL", migrated_url)
    assert main(["token", "create", "--shop", "s1", "--json"]) == 0
    token = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["token"]
    port = free_port()
    env = {**os.environ, "FLOWGEN_DATABASE_URL": migrated_url, "FLOWGEN_STATE_DIR": str(tmp_path)}
    cmd = "import sys; from flowgen_core.cli import main; sys.exit(main())"
    proc = subprocess.Popen(
        [sys.executable, "-c", cmd, "serve", "--model", str(trained_model), "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                health = httpx.get(f"{url}/health").json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "flowgen serve did not come up"
                time.sleep(0.3)
        assert health["model_version"] == f"local:{trained_model.name}"
        r = httpx.post(
            f"{url}/v1/workflows",
            json={"request": "tag vip orders", "shop_id": "s1"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )
        assert r.status_code == 200, r.text
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    assert proc.returncode == 0  # a graceful stop
    stderr = proc.stderr.read() if proc.stderr else ""
    assert "Traceback" not in stderr and token not in stderr
    with as_engine(migrated_url).connect() as conn:
        (row,) = conn.execute(text("SELECT id, model_version FROM conversations")).all()
    assert row.id == r.json()["conversation_id"] and row.model_version == health["model_version"]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--port", "70000"], 2, "--port 70000: must be 1-65535"),
        (["--poll", "-1"], 2, "--poll -1"),
        (["--model", "/nonexistent/model"], 2, "--model /nonexistent/model: not a model folder"),
        (["--model", "models:/other@champion"], 1, "model other has no version with alias"),
    ],
)
def test_bad_serve_options_fail_with_one_line(
    args: list[str],
    code: int,
    says: str,
    migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("FLOWGEN_DATABASE_URL", migrated_url)
    monkeypatch.setenv("FLOWGEN_MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    assert main(["serve", *args]) == code
    # (a fresh MLflow store logs its table creation first)
    err = [line for line in capsys.readouterr().err.splitlines() if "mlflow.store" not in line]
    assert len(err) == 1 and says in err[0], err
