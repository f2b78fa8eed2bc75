"""`flowgen model`: the registered agent versions, their aliases and gate results; promote by
hand (an override, with a reason) and roll back."""

from __future__ import annotations

import typer

from flowgen_core import stack
from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.errors import UsageError
from flowgen_core.registry import Registry
from flowgen_core.settings import load_settings

app = typer.Typer(
    help="List registered model versions; promote one by hand; roll the champion back.",
    no_args_is_help=True,
)


def _registry():  # type: ignore[no-untyped-def]
    return Registry(stack.mlflow_tracking_uri(load_settings()))


@app.command("list")
def list_cmd(as_json: bool = JSON_OPTION) -> None:
    """Every version, newest first, with its aliases, gate decision and lineage."""
    rows = _registry().list_versions()
    lines = [f"{'version':>7}  {'aliases':<20}  {'gate':<8}  {'created':<19}  dataset / model hash"]
    for r in rows:
        tags = r["tags"]
        lines.append(
            f"{r['version']:>7}  {','.join(r['aliases']) or '-':<20}  {r['gate'] or '-':<8}  "
            f"{r['created']:<19}  {tags.get('dataset_hash', '?')[:12]} / {tags.get('model_hash', '?')[:12]}"
        )
    if not rows:
        lines = ["no registered versions"]
    report({"versions": rows}, as_json, lines)


@app.command("rollback")
def rollback_cmd(as_json: bool = JSON_OPTION) -> None:
    """Point the champion alias back at the previous champion."""
    registry = _registry()
    before = registry.champion()
    version = registry.rollback()
    report(
        {"champion": version, "previous": before.version if before else None},
        as_json,
        [f"champion: version {before.version if before else '-'} -> version {version}"],
    )


@app.command("promote")
def promote_cmd(
    version: str = typer.Argument(..., help="The version to make champion."),
    reason: str = typer.Option(
        "", "--reason", help="Why (required unless the gate already said promote)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Make a version the champion; against the gate's decision only with --reason."""
    registry = _registry()
    before = registry.champion()
    gate = registry.get(version).tags.get("gate.decision", "")
    if gate == "promote" and not reason:
        registry.promote(version)
    elif not reason:
        raise UsageError(
            f"version {version}: the gate said {gate or 'nothing'}; "
            "promote it anyway only with --reason TEXT (kept on the version)"
        )
    else:
        registry.override(version, reason)
    report(
        {
            "champion": version,
            "previous": before.version if before else None,
            "override": bool(reason),
        },
        as_json,
        [f"champion: version {before.version if before else '-'} -> version {version}"],
    )
