"""Evaluation tasks: score a model on the suites, and the promotion gate.

Thin wrappers over `flowgen_core.evaluation.run.evaluate` and
`flowgen_core.evaluation.gate.decide`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from flowgen_core.artifacts import local_dataset
from flowgen_core.evaluation.gate import decide
from flowgen_core.evaluation.judge import JUDGE_PROMPT_VERSION, LLMJudge
from flowgen_core.llm import client_for
from tasks.common import TRANSIENT, digest, local_model, settings

SUITES = ("benchmark", "traffic")  # the hand-written benchmark and held-out real traffic


def _judge_id() -> str:
    s = settings()
    if not s.llm_base_url:
        return "offline"
    # a new judge prompt must not reuse evaluations cached under the old one
    return f"llm:{s.llm_base_url}:{s.judge_model}:{JUDGE_PROMPT_VERSION}"


def _llm_judge() -> Any:
    """The LLM judge when an endpoint is configured; None: the structural judge alone."""
    client = client_for(settings(), "judge")
    return None if client is None else LLMJudge(client)


def _eval_key(context: Any, parameters: dict[str, Any]) -> str:
    # a model is named by its content hash, the held-out set by the dataset's hash
    config = asdict(parameters["config"])
    body = digest(parameters["model_hash"], parameters["dataset_uri"], config, _judge_id())
    return f"evaluate-{parameters['model_hash'][:16]}-{body}"


@task(
    name="evaluate",
    task_run_name="evaluate-{role}",
    **TRANSIENT,  # the judge LLM is a network call
    cache_key_fn=_eval_key,
    persist_result=True,
)
def evaluate_model(
    role: str, model_uri: str, model_hash: str, dataset_uri: str, config: Any
) -> Any:
    """Run the benchmark and held-out traffic suites on one model; the EvalReport."""
    # heavy: evaluation loads torch and transformers; importing the flows stays cheap
    from flowgen_core.evaluation.run import evaluate

    dataset_dir = local_dataset(dataset_uri, settings())
    model_dir = local_model(model_uri, model_hash)
    return evaluate(
        model_dir,
        list(SUITES),
        config,
        dataset_dir,
        llm_judge=_llm_judge(),
        expected_hash=model_hash,
    )


@task(name="gate", cache_policy=NO_CACHE)
def gate(candidate: Any, champion: Any | None, config: Any) -> Any:
    """Promote or reject: floors, and non-inferiority against the champion."""
    return decide(candidate, champion, config)
