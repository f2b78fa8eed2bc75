"""Registry tasks: the champion of a week, register the candidate as challenger, record the gate
and promote or reject. Thin wrappers over `flowgen_core.registry.Registry` (MLflow model
registry, aliases `challenger` and `champion`).
"""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from flowgen_core import stack
from flowgen_core.registry import Registry
from tasks.common import TRANSIENT, digest, local_model, settings


def _registry() -> Any:
    return Registry(stack.mlflow_tracking_uri(settings()))


def _store_id() -> str:
    s = settings()
    return s.mlflow_tracking_uri or f"embedded:{s.state_path}"


def _champion_key(context: Any, parameters: dict[str, Any]) -> str:
    return f"champion-{parameters['week']}-{digest(parameters, _store_id())}"


def _register_key(context: Any, parameters: dict[str, Any]) -> str:
    body = digest(parameters["week"], parameters["model_hash"], _store_id())
    return f"register-{parameters['week']}-{body}"


def _decide_key(context: Any, parameters: dict[str, Any]) -> str:
    decision = parameters["decision"]["decision"]
    body = digest(parameters["week"], parameters["version"], decision, _store_id())
    return f"{decision}-{parameters['week']}-{body}"


@task(
    name="champion",
    task_run_name="champion-{week}",
    **TRANSIENT,
    # a week is judged against the champion of its first attempt, so a re-run after a
    # failure (even one after the promotion) compares against the same baseline
    cache_key_fn=_champion_key,
    persist_result=True,
)
def champion_of_week(week: str, recipe: str) -> dict[str, Any] | None:
    """The champion when the week started: {version, model_uri, model_hash, tags}, or None.

    `model_uri` is the artifact-store copy the version was registered with (tag `model_uri`),
    so a worker on another machine can fetch it; the registered local folder otherwise.
    """
    current = _registry().champion()
    if current is None:
        return None
    return {
        "version": current.version,
        "model_uri": current.tags.get("model_uri") or str(current.model_dir),
        "model_hash": current.tags.get("model_hash") or digest(current.version, current.source),
        "tags": current.tags,
    }


@task(
    name="register",
    task_run_name="register-{week}",
    **TRANSIENT,
    cache_key_fn=_register_key,  # one version per (week, model): a re-run adds none
    persist_result=True,
)
def register_candidate(
    week: str, model_uri: str, model_hash: str, run_id: str | None, tags: dict[str, str]
) -> str:
    """Register the candidate (lineage tags) and point `challenger` at it; its version."""
    registry = _registry()
    model_dir = local_model(model_uri, model_hash)
    lineage = {**tags, "model_hash": model_hash, "model_uri": model_uri}
    version = registry.register(model_dir, run_id, lineage)
    registry.set_alias("challenger", version)
    return str(version)


@task(
    name="decide",
    task_run_name="decide-{week}-v{version}",
    **TRANSIENT,
    cache_key_fn=_decide_key,
    persist_result=True,
)
def apply_decision(week: str, version: str, decision: dict[str, Any]) -> str | None:
    """Tag the version with the gate's decision, then promote it or drop its challenger alias.

    Returns the champion afterwards (None when there is none yet).
    """
    registry = _registry()
    registry.record_gate(version, decision)
    if decision["decision"] == "promote":
        registry.promote(version)
    else:
        registry.reject(version)
    current = registry.champion()
    return None if current is None else current.version


@task(name="model-versions", cache_policy=NO_CACHE)
def model_versions() -> list[dict[str, Any]]:
    """Every registered version, newest first."""
    return _registry().list_versions()
