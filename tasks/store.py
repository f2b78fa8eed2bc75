"""Store tasks: the database URL and one week's extraction."""

from __future__ import annotations

from typing import Any

from prefect import task

from flowgen_core.stack import database_url as url_of
from flowgen_core.store.extract import Extraction, extract
from tasks.common import TRANSIENT, digest, settings


def database_url() -> str:
    """The interactions database: the configured URL, else the embedded Postgres (started)."""
    return url_of(settings(), db="flowgen")


def _extract_key(context: Any, parameters: dict[str, Any]) -> str:
    # a past week's content is fixed by design (see flowgen_core/store/extract.py), so the
    # week and the database it came from identify the extraction
    s = settings()
    source = s.database_url or f"embedded:{s.state_path}"
    return f"extract-{parameters['week']}-{digest(source)}"


@task(
    name="extract",
    task_run_name="extract-{week}",
    **TRANSIENT,
    cache_key_fn=_extract_key,
    persist_result=True,
)
def extract_week(week: str) -> Extraction:
    """Read one ISO week of interactions and workflows, anonymized, with its content hash."""
    return extract(database_url(), week)
