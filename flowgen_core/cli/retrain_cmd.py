"""`flowgen retrain`: the main job, one full weekly cycle on the configured stack."""

from __future__ import annotations

import typer

from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.settings import load_settings

# Stages of the weekly cycle, in order, and whether this build has them yet.
STAGES: list[tuple[str, bool]] = [
    ("settings", True),
    ("embedded stack", False),
    ("extract the week", False),
    ("build training sets", False),
    ("train (FSDP)", False),
    ("evaluate and gate", False),
    ("register and promote", False),
]


def retrain(
    week: str = typer.Option(None, "--week", help="ISO week YYYY-Www; default: last complete."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run one full weekly retrain on the configured stack (the main job)."""
    settings = load_settings()
    done = [name for name, built in STAGES if built]
    missing = [name for name, built in STAGES if not built]
    lines = [
        f"state dir: {settings.state_path}",
        f"ran: {', '.join(done)}",
        f"not built yet, skipped: {', '.join(missing)}",
        "the weekly cycle is incomplete in this build; nothing was trained or promoted",
    ]
    report({"week": week, "ran": done, "not_built": missing}, as_json, lines)
