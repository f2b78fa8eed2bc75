"""Data tasks: week W's training set, from the examples of every week of its window.

A thin wrapper over `flowgen_core.data.cumulative.build_cumulative` (each week's synthetic and
real sets built once and cached by extraction hash, merged, checked, written). The teacher is
the offline stand-in unless an LLM endpoint is configured.
"""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, Field

from flowgen_core.artifacts import artifact_store
from flowgen_core.catalog.model import load_catalog
from flowgen_core.data.teacher import LLMTeacher, OfflineTeacher
from flowgen_core.llm import client_for
from flowgen_core.store.extract import Extraction, extract
from tasks.common import TRANSIENT, settings
from tasks.store import database_url


class DataOptions(BaseModel):
    """Which weeks the training set is built from (the weekly flow's `data` parameter)."""

    window_weeks: int = Field(
        default=0,
        ge=0,
        description="Weeks of curated examples up to the run's week, the newest last; "
        "0 = every week since the store's first week with data.",
    )


def _teacher() -> Any:
    client = client_for(settings(), "teacher")
    return OfflineTeacher() if client is None else LLMTeacher(client)


@task(
    name="cumulative-dataset",
    task_run_name="cumulative-dataset-{week}",
    **TRANSIENT,  # the database, S3, the teacher LLM
    # Not cached by Prefect: the key would need every week's extraction hash. The library
    # caches instead: each week's examples by its extraction hash, the set by its hash.
    cache_policy=NO_CACHE,
)
def cumulative_dataset(week: str, window_weeks: int, extraction: Extraction, config: Any) -> Any:
    """Week W's set from the examples of every week of its window, merged, checked, written."""
    # heavy: the data build loads transformers and pyarrow; importing the flows stays cheap
    from flowgen_core.data.cumulative import build_cumulative, earliest_week, source_id

    s = settings()
    url = database_url()
    return build_cumulative(
        week,
        earliest_week(url),
        # W is already extracted by the flow; earlier weeks are read here
        lambda w: extraction if w == extraction.week else extract(url, w),
        load_catalog(),
        _teacher(),
        config,
        artifact_store(s),
        window_weeks,
        source_id(s),  # past weeks already built are not extracted again
    )
