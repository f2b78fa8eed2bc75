"""`flowgen config`: inspect the resolved settings."""

from __future__ import annotations

import typer

from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.settings import load_settings

app = typer.Typer(help="Show the resolved settings (secrets masked).", no_args_is_help=True)


@app.command("show")
def show(as_json: bool = JSON_OPTION) -> None:
    """Print every setting after env, flowgen.toml and defaults are applied; secrets masked."""
    values = load_settings().masked()
    width = max(len(k) for k in values)
    lines = [f"{k.ljust(width)}  {'(unset)' if v is None else v}" for k, v in values.items()]
    report(values, as_json, lines)
