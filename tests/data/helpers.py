"""Builders shared by the data tests: workflow records, extractions, a teacher's answers."""

from __future__ import annotations

from dataclasses import replace

from flowgen_core.agent.suites import load_benchmark
from flowgen_core.dsl.flowfile import dump_payload
from flowgen_core.store.extract import Extraction, WorkflowRecord

WEEK = "2026-W46"


# -- hand-made workflow records ----------------------------------------------------------------
def payloads() -> list[str]:
    """Valid platform payloads of distinct benchmark workflows."""
    seen: dict[str, str] = {}
    for case in load_benchmark():
        if case.existing is None:
            seen.setdefault(case.category, dump_payload(case.expected))
    return list(seen.values())


def record(
    id: str, shop: str, descriptor: str, runs: int, definition: str, days: int | None = None
) -> WorkflowRecord:
    return WorkflowRecord(
        id=id,
        revision_id=f"rev-{id}",
        shop_id=shop,
        descriptor=descriptor,
        category="orders",
        built_by="merchant",
        active=True,
        created_at="2026-11-01T00:00:00.000000Z",
        updated_at="2026-11-01T00:00:00.000000Z",
        definition=definition,
        runs_7d=runs,
        failures_7d=0,
        run_days_7d=min(runs, 7) if days is None else days,
        changed_in_week=False,
    )


def extraction_of(workflows: list[WorkflowRecord], base: Extraction | None = None) -> Extraction:
    empty = Extraction(WEEK, "", "", (), (), (), {}, "h")
    return replace(base or empty, workflows=tuple(sorted(workflows, key=lambda w: w.id)))


# -- a teacher's answers, for a real chat-completions server (the `chat_server` fixture) -------
def teacher_answer(body: dict) -> str:
    """A merchant request naming the program's function."""
    program = body["messages"][-1]["content"]
    name = program.split("def ", 1)[1].split("(", 1)[0].replace("_", " ")
    return f'"please set up: {name}"\n\nThis workflow does that.'
