"""Shared fixtures: every test runs in its own folder with no FLOWGEN_* leaking in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("FLOWGEN_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
