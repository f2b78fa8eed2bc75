"""Run the `flowgen` CLI in a subprocess, as a user does, for the end-to-end CLI tests."""

from __future__ import annotations

import os
import subprocess
import sys


def flowgen(
    *args: str, env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """`python -m flowgen_core.cli ARGS` with `env` on top of this process's environment minus
    every PREFECT_* and FLOWGEN_* variable, so nothing of the test run's setup leaks in."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "FLOWGEN_"))}
    return subprocess.run(
        [sys.executable, "-m", "flowgen_core.cli", *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=timeout,
        check=False,
    )
