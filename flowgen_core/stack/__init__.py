"""Where each service is: the one API every part of flowgen asks for a URL.

Each function returns the configured service when its setting is set, else the embedded
default (see docs/architecture.md, "Where each component runs"):

- `database_url`: the interactions database; default: the embedded Postgres, started on demand.
- `mlflow_tracking_uri`: default: the `mlflow` database of the embedded Postgres, which is
  also the backend of the MLflow UI server of `flowgen stack up`, so both see the same runs.
- `mlflow_artifact_root`: `<artifact_root>/mlflow`, a `file://` folder or an s3 prefix.
- `prefect_api_url`: default: the Prefect server of `flowgen stack up` when it runs, else None
  (Prefect's temporary local API).
"""

from __future__ import annotations

from pathlib import Path

from flowgen_core.settings import Settings
from flowgen_core.stack import embedded_pg
from flowgen_core.stack.embedded_pg import EmbeddedPg
from flowgen_core.stack.local import running_prefect_api

# Databases of the embedded server: the interactions store, MLflow's and Prefect's backends.
DATABASES = ("flowgen", "mlflow", "prefect")

__all__ = [
    "DATABASES",
    "database_url",
    "mlflow_artifact_root",
    "mlflow_tracking_uri",
    "prefect_api_url",
    "stop_embedded",
]


def database_url(settings: Settings, db: str = "flowgen") -> str:
    """SQLAlchemy URL of database `db`: the configured one, else the embedded Postgres."""
    if settings.database_url and db == "flowgen":
        return settings.database_url
    running = embedded_pg.acquire(EmbeddedPg.under(settings.state_path), databases=(db,))
    return running.url(db)


def mlflow_tracking_uri(settings: Settings) -> str:
    """MLflow tracking URI: the configured one, else the embedded Postgres database `mlflow`."""
    if settings.mlflow_tracking_uri:
        return settings.mlflow_tracking_uri
    return database_url(settings, db="mlflow")


def mlflow_artifact_root(settings: Settings) -> str:
    """Default MLflow artifact location: `<artifact_root>/mlflow` as a file:// URI or s3 prefix."""
    root = settings.artifact_root
    if root.startswith(("s3://", "file://")):
        return root.rstrip("/") + "/mlflow"
    return (Path(root).expanduser().resolve() / "mlflow").as_uri()


def prefect_api_url(settings: Settings) -> str | None:
    """Prefect API URL: the configured one, else a running `stack up` server, else None."""
    if settings.prefect_api_url:
        return settings.prefect_api_url
    return running_prefect_api(settings.state_path)


def stop_embedded(settings: Settings) -> bool:
    """Stop the embedded Postgres of this state dir now; True if one was running."""
    return embedded_pg.stop(EmbeddedPg.under(settings.state_path))
