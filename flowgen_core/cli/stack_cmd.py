"""`flowgen stack`: the long-lived local stack (embedded Postgres, Prefect server and worker,
MLflow server) behind the Prefect and MLflow UIs."""

from __future__ import annotations

import time

import typer

from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.errors import UsageError
from flowgen_core.settings import load_settings
from flowgen_core.stack import mlflow_artifact_root, mlflow_tracking_uri
from flowgen_core.stack.local import StackConfig, down, status, up

app = typer.Typer(
    help="Local stack: Postgres, Prefect server and worker, MLflow server (up, down, status).",
    no_args_is_help=True,
)


@app.command("up")
def up_cmd(
    prefect_port: int = typer.Option(4200, "--prefect-port", help="Prefect server and UI port."),
    mlflow_port: int = typer.Option(5000, "--mlflow-port", help="MLflow server and UI port."),
    timeout: float = typer.Option(
        180.0, "--timeout", help="Seconds each part may take to answer its health check."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Start the stack (what already runs is kept) and wait until every part is healthy."""
    settings = load_settings()
    backend = mlflow_tracking_uri(settings)
    if backend.startswith(("http://", "https://", "databricks")):
        raise UsageError(
            f"FLOWGEN_MLFLOW_TRACKING_URI is a server ({backend}); stack up runs a local MLflow "
            "server only over a database: unset it or set a database URL"
        )
    config = StackConfig(
        state_dir=settings.state_path,
        mlflow_backend_uri=backend,
        mlflow_artifact_root=mlflow_artifact_root(settings),
        prefect_port=prefect_port,
        mlflow_port=mlflow_port,
        timeout_s=timeout,
    )
    began = time.monotonic()
    result = up(config)
    parts = status(settings.state_path)
    seconds = round(time.monotonic() - began, 1)
    lines = (
        [f"started {', '.join(result['started'])} in {seconds}s"]
        if result["started"]
        else ["the stack is already up; nothing started"]
    )
    lines += [
        f"Prefect UI  {config.prefect_url}  (API {config.prefect_url}/api, work pool 'local')",
        f"MLflow UI   {config.mlflow_url}",
        f"logs        {settings.state_path / 'logs'}",
    ]
    payload = {
        "started": result["started"],
        "seconds": seconds,
        "prefect_url": config.prefect_url,
        "prefect_api_url": config.prefect_url + "/api",
        "mlflow_url": config.mlflow_url,
        "parts": {name: part.as_dict() for name, part in parts.items()},
    }
    report(payload, as_json, lines)


@app.command("status")
def status_cmd(as_json: bool = JSON_OPTION) -> None:
    """Report each part: up or down, pid, URL, health; exit 1 if any part is down."""
    parts = status(load_settings().state_path)
    lines = [
        f"{name:15} {'up' if p.up else 'down':4}  pid {p.pid or '-':<8} {p.url or ''}  log {p.log}"
        for name, p in parts.items()
    ]
    all_up = all(p.up for p in parts.values())
    payload = {"up": all_up, "parts": {name: p.as_dict() for name, p in parts.items()}}
    report(payload, as_json, lines)
    if not all_up:
        raise typer.Exit(1)


@app.command("down")
def down_cmd(as_json: bool = JSON_OPTION) -> None:
    """Stop every part `up` started, then the embedded Postgres."""
    result = down(load_settings().state_path)
    stopped = result["stopped"]
    lines = [f"stopped {', '.join(stopped)}" if stopped else "nothing was running"]
    report(result, as_json, lines)
