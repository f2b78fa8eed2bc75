"""What every flowgen task shares: transient-error retries, cache keys, result storage.

Tasks are thin: they take ids, paths and small configs (hashable, so cache keys stay stable),
build clients inside, call one library function and return its result. Expensive tasks are
cached on their inputs with results persisted under `<artifact root>/prefect-results`, so a
re-run after a failure resumes where it broke.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import httpx
from prefect.tasks import exponential_backoff
from sqlalchemy.exc import DBAPIError, OperationalError

from flowgen_core.artifacts import ArtifactStore
from flowgen_core.settings import Settings, load_settings
from tasks.storage import saved_s3_storage

log = logging.getLogger("flowgen.tasks")

RETRIES = 3  # tries after the first for a transient failure
RETRY_DELAYS = exponential_backoff(backoff_factor=2)  # 2 s, 4 s, 8 s
RETRY_JITTER = 0.5  # each delay varies by up to +50%, so parallel retries do not stampede
RESULTS_DIR = "prefect-results"  # under the artifact root


def _botocore_transient(exc: BaseException) -> bool:
    import botocore.exceptions as bex

    if isinstance(
        exc, bex.EndpointConnectionError | bex.ConnectionClosedError | bex.ReadTimeoutError
    ):
        return True
    if isinstance(exc, bex.ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return status >= 500 or code in {"Throttling", "SlowDown", "RequestTimeout"}
    return False


def is_transient(exc: BaseException) -> bool:
    """True for failures a retry can fix: a dropped database, S3 or network connection."""
    if isinstance(exc, OperationalError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, httpx.TransportError | ConnectionError | TimeoutError):
        return True
    return _botocore_transient(exc)


def retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect retry condition: retry only transient failures, never a bug or bad data."""
    try:
        state.result()
    except Exception as exc:
        transient = is_transient(exc)
        if transient:
            log.warning("%s: transient failure, retrying: %s", task.name, exc)
        return transient
    return False


TRANSIENT: dict[str, Any] = {
    "retries": RETRIES,
    "retry_delay_seconds": RETRY_DELAYS,
    "retry_jitter_factor": RETRY_JITTER,
    "retry_condition_fn": retry_transient,
}
"""Retry policy of every task that talks to the database, S3 or the network (`@task(**TRANSIENT)`)."""


def digest(*parts: Any) -> str:
    """A short stable hash of JSON-able parts: the body of a cache key."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def result_storage(settings: Settings) -> Any:
    """Where task results persist: `<artifact root>/prefect-results`, a folder or S3 objects."""
    root = settings.artifact_root
    if root.startswith("s3://"):
        return saved_s3_storage(f"{root.rstrip('/')}/{RESULTS_DIR}", settings.s3_endpoint_url)
    return Path(root.removeprefix("file://")).expanduser().resolve() / RESULTS_DIR


def settings() -> Settings:
    """The settings of this process (the environment of the worker that runs the task)."""
    return load_settings()


def persisted(task: Any) -> Any:
    """The task with its results (and cache records) persisted under the artifact root."""
    return task.with_options(result_storage=result_storage(settings()))


def local_model(uri: str, model_hash: str) -> Path:
    """A local folder holding the model at `uri` (a path, or downloaded from the artifact store)."""
    path = Path(uri.removeprefix("file://"))
    if not uri.startswith("s3://") and path.is_dir():
        return path
    s = settings()
    dest = s.state_path / "models" / model_hash[:16]
    if not (dest / "config.json").is_file():
        parent, _, name = uri.rstrip("/").rpartition("/")
        ArtifactStore(parent, s.s3_endpoint_url).get_dir(name, dest)
    return dest
