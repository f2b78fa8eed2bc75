"""The one-trajectory model the serving bench uses: fitted under several requests, it runs the
whole tool loop for each of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowgen_core.agent.suites import load_benchmark
from flowgen_core.evaluation.agent import Agent
from flowgen_core.training.bootstrap import bootstrap_base_model
from support.one_trajectory import SIZE, memorise, trajectory_row


@pytest.mark.slow
def test_memorise_fits_every_row(tmp_path: Path) -> None:
    cases = load_benchmark()
    requests = [cases[1].request, cases[40].request]
    rows = [trajectory_row(cases[0], request=r) for r in requests]
    bootstrap_base_model([r["messages"] for r in rows] + [rows[0]["tools"]], tmp_path, SIZE)
    assert memorise(tmp_path, rows, max_steps=600) < 0.01
    agent = Agent(tmp_path)
    for request in requests:
        result = agent.run(request)
        assert result.valid, (request, result.error_bucket, result.error)
        assert result.tool_calls == 2
        assert result.python is not None and "add_order_tags" in result.python
