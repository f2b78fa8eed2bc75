"""`flowgen simulate`: demo merchants send a week of requests to a running server and react."""

from __future__ import annotations

import typer

from flowgen_core import stack
from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.errors import UsageError
from flowgen_core.serving.simulate import SimulateConfig
from flowgen_core.serving.simulate import simulate as run
from flowgen_core.settings import load_settings
from flowgen_core.weeks import parse_week


def simulate(
    week: str = typer.Option(..., "--week", help="ISO week YYYY-Www the requests are dated in."),
    requests: int = typer.Option(40, "--requests", help="Requests to send."),
    url: str = typer.Option("http://127.0.0.1:8000", "--url", help="The flowgen server."),
    seed: int = typer.Option(7, "--seed", help="Seed of the demo population (as db seed)."),
    concurrency: int = typer.Option(4, "--concurrency", help="Requests in flight at once."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Simulated merchants ask the server and accept, edit or discard what they get.

    Each shop gets a simulation token for the run in the store the server reads (the same
    FLOWGEN_DATABASE_URL / state dir as `flowgen serve`), revoked at the end.
    """
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--url {url}: expected http(s)://host:port")
    config = SimulateConfig(requests=requests, seed=seed, concurrency=concurrency)
    settings = load_settings()
    result = run(
        url, parse_week(week), config, db=lambda: stack.database_url(settings, db="flowgen")
    )
    payload = result.as_dict()
    rate = payload["syntactic_rate"]
    lines = [
        f"week {result.week}: {result.answered}/{result.requests} answered by "
        f"{', '.join(sorted(result.model_versions)) or '-'} in {result.seconds:.0f}s",
        f"valid workflows {rate:.0%}, accepted {result.acceptance_rate:.0%}; "
        f"outcomes {dict(sorted(result.outcomes.items()))}, activated {result.activated}",
        f"latency p50 {result.latency_p50_ms:.0f} ms, p95 {result.latency_p95_ms:.0f} ms",
        *[f"error: {e}" for e in result.errors[:5]],
    ]
    report(payload, as_json, lines)
    if result.errors:
        raise typer.Exit(1)
