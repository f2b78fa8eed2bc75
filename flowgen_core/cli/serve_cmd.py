"""`flowgen serve`: the champion behind the HTTP API (see flowgen_core/serving/app.py)."""

from __future__ import annotations

import logging
import signal

import typer

from flowgen_core import stack
from flowgen_core.errors import InvalidInput, UsageError
from flowgen_core.settings import load_settings
from flowgen_core.store.migrate import upgrade

log = logging.getLogger("flowgen.serving")

DEFAULT_MODEL = "models:/flowgen-agent@champion"


def serve(
    model: str = typer.Option(
        DEFAULT_MODEL, "--model", help="models:/flowgen-agent@<alias> | /<version>, or a folder."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="TCP port to listen on."),
    poll: float = typer.Option(
        30.0, "--poll", help="Seconds between checks that the alias moved; 0 = never."
    ),
    rate: float = typer.Option(5.0, "--rate", help="Requests per second per token, sustained."),
    burst: int = typer.Option(20, "--burst", help="Requests per token at once."),
) -> None:
    """Serve the model (reloaded when its alias moves); every request is recorded in the store.

    Every /v1/ request needs 'Authorization: Bearer <token>' ('flowgen token create').
    """
    if not 0 < port < 65536:
        raise UsageError(f"--port {port}: must be 1-65535")
    if poll < 0:
        raise UsageError(f"--poll {poll}: must be >= 0")
    if rate <= 0 or burst < 1:
        raise UsageError(f"--rate {rate} / --burst {burst}: must be > 0 and >= 1")
    settings = load_settings()
    # heavy: torch, transformers and uvicorn load only now, so bad options fail fast
    import uvicorn

    from flowgen_core.serving.champion import ServeConfig
    from flowgen_core.serving.server import build, serving_engine

    engine = serving_engine(stack.database_url(settings, db="flowgen"))
    upgrade(engine)
    tracking = stack.mlflow_tracking_uri(settings) if model.startswith("models:/") else None
    config = ServeConfig(model_uri=model, poll_s=poll, rate_per_s=rate, burst=burst)
    outbox_dir = settings.state_path / "serving" / "outbox"
    try:
        app, champion = build(config, engine, tracking, outbox_dir=outbox_dir)
    except InvalidInput as exc:
        if "has no version with alias" not in str(exc):
            raise
        raise InvalidInput(
            f"{exc}; promote a version first ('flowgen model promote N') or serve one by "
            "number (--model models:/flowgen-agent/N)"
        ) from None
    assert champion.current is not None
    log.info("serving %s (%s) on http://%s:%d", champion.current.version, model, host, port)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it with the handler it found;
    # a no-op one makes that a normal return, so exit handlers (the embedded Postgres holder)
    # run and the exit status is 0
    signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        champion.stop()
    log.info("stopped")
