"""tasks.json is generated from source.py and must match it byte for byte."""

from __future__ import annotations

from flowgen_core.catalog.source import TASKS_JSON, render


def test_tasks_json_is_up_to_date_with_the_source() -> None:
    assert TASKS_JSON.read_text(encoding="utf-8") == render(), (
        "tasks.json is stale: run `python -m flowgen_core.catalog.source`"
    )
