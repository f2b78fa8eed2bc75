"""Data tasks: the synthetic and real training sets of a week, checked and written.

Thin wrappers over `flowgen_core.data.build` (DataConfig, synthetic_set, real_set,
write_dataset) and `flowgen_core.data.cumulative` (the weekly flow's cumulative set). The
teacher is the offline stand-in unless an LLM endpoint is configured.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, Field

from flowgen_core.artifacts import artifact_store
from flowgen_core.catalog.model import load_catalog
from flowgen_core.data.cumulative import build_cumulative, earliest_week
from flowgen_core.data.interface import INTERFACE_VERSION
from flowgen_core.store.extract import Extraction, extract
from tasks.common import TRANSIENT, digest, settings
from tasks.store import database_url


class DataOptions(BaseModel):
    """Which weeks the training set is built from (the weekly flow's `data` parameter)."""

    window_weeks: int = Field(
        default=0,
        ge=0,
        description="Weeks of curated examples up to the run's week, the newest last; "
        "0 = every week since the store's first week with data.",
    )


def _teacher_id() -> str:
    from flowgen_core.data.teacher import OfflineTeacher

    s = settings()
    return f"llm:{s.llm_base_url}:{s.teacher_model}" if s.llm_base_url else OfflineTeacher.name


def _teacher() -> Any:
    from flowgen_core.data.teacher import LLMTeacher, OfflineTeacher
    from flowgen_core.llm import client_for

    client = client_for(settings(), "teacher")
    return OfflineTeacher() if client is None else LLMTeacher(client)


def _set_key(kind: str):  # type: ignore[no-untyped-def]
    def key(context: Any, parameters: dict[str, Any]) -> str:
        config = asdict(parameters["config"])
        extraction: Extraction = parameters["extraction"]
        teacher = _teacher_id() if kind == "synthetic" else "-"
        body = digest(extraction.hash, config, teacher, INTERFACE_VERSION)
        return f"{kind}-set-{extraction.week}-{body}"

    return key


@task(
    name="synthetic-set",
    task_run_name="synthetic-set-{extraction.week}",
    **TRANSIENT,  # the teacher LLM is a network call
    cache_key_fn=_set_key("synthetic"),
    persist_result=True,
)
def synthetic_set(extraction: Extraction, config: Any) -> Any:
    """Cold-start examples: real workflows worked backwards by the teacher."""
    from flowgen_core.catalog.model import load_catalog
    from flowgen_core.data.build import synthetic_set as build

    return build(extraction, load_catalog(), _teacher(), config)


@task(
    name="real-set",
    task_run_name="real-set-{extraction.week}",
    cache_key_fn=_set_key("real"),
    persist_result=True,
)
def real_set(extraction: Extraction, config: Any) -> Any:
    """Examples from interactions merchants accepted or corrected."""
    from flowgen_core.catalog.model import load_catalog
    from flowgen_core.data.build import real_set as build

    return build(extraction, load_catalog(), config)


def _write_key(context: Any, parameters: dict[str, Any]) -> str:
    # both sets are functions of (extraction, config, teacher, interface), which name the dataset
    config = asdict(parameters["config"])
    body = digest(parameters["extraction_hash"], config, _teacher_id(), INTERFACE_VERSION)
    return f"dataset-{parameters['week']}-{body}"


@task(
    name="data-checks-and-write",
    task_run_name="data-checks-and-write-{week}",
    **TRANSIENT,  # S3
    cache_key_fn=_write_key,
    persist_result=True,
)
def write_dataset(week: str, extraction_hash: str, synthetic: Any, real: Any, config: Any) -> Any:
    """Run the data checks and write the dataset (parquet + manifest) to the artifact store."""
    from flowgen_core.artifacts import artifact_store
    from flowgen_core.data.build import write_dataset as write

    return write(week, extraction_hash, synthetic, real, artifact_store(settings()), config)


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
    )
