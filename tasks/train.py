"""The training task: FSDP fine-tuning under torchrun, resumable from its last checkpoint."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from prefect import task

from flowgen_core.artifacts import artifact_store, local_dataset
from flowgen_core.errors import InvalidInput
from tasks.common import digest, local_model, settings

log = logging.getLogger("flowgen.tasks.train")


def _train_key(context: Any, parameters: dict[str, Any]) -> str:
    # stop_at_step is left out on purpose: a stopped run fails, so it is never cached
    p = {k: v for k, v in parameters.items() if k != "stop_at_step"}
    return f"train-{p['run_name']}-{digest(p)}"


def _hand_off(cmd: list[str], nodes: int) -> None:
    """On a multi-node job, tell the other nodes what to run (infra/k8s/node-entrypoint.sh).

    Every node must start torchrun with the same trainer arguments; only node 0 runs this flow,
    so it writes them to the shared volume under the flow run's id, where the others wait.
    """
    handoff = os.environ.get("FLOWGEN_TRAIN_HANDOFF_DIR")
    run_id = os.environ.get("PREFECT__FLOW_RUN_ID")
    if handoff and run_id and nodes > 1:
        args = cmd[cmd.index("flowgen_core.training.trainer") + 1 :]
        path = Path(handoff) / run_id
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".partial").write_text(" ".join(args))
        path.with_suffix(".partial").replace(path)


@task(
    name="train-model",
    task_run_name="train-{run_name}",
    cache_key_fn=_train_key,
    persist_result=True,
)
def train_model(
    dataset_uri: str,
    recipe: str,
    run_name: str,
    nproc: int = 2,
    max_steps: int = 0,
    stop_at_step: int = 0,
    base_model: str | None = None,
    seq_len: int = 0,
    init: str = "base",
    init_model_uri: str | None = None,
    init_model_hash: str | None = None,
) -> dict[str, Any]:
    """Fine-tune on the dataset; resumes from the run's last checkpoint if one exists.

    Returns the trainer's summary (losses, model dir, URI and hash, MLflow run id); the
    summary is also written to the artifact store under `training/<run_name>/summary.json`.
    """
    # heavy: torch and transformers load when a run starts, not when the flows are imported
    from flowgen_core.training import checkpoint
    from flowgen_core.training.launch import launch, nnodes, prepare_run

    s = settings()
    dataset_dir = local_dataset(dataset_uri, s)
    warm_from: tuple[Path, str] | None = None
    if init == "champion":
        if not (init_model_uri and init_model_hash):
            raise InvalidInput("train init=champion needs init_model_uri and init_model_hash")
        warm_from = (local_model(init_model_uri, init_model_hash), init_model_hash)
    run = prepare_run(
        s,
        dataset_dir,
        recipe,
        run_name,
        nproc=nproc,
        max_steps=max_steps,
        stop_at_step=stop_at_step,
        seq_len=seq_len,
        base_model=base_model,
        warm_from=warm_from,
    )
    resume = checkpoint.latest(run.run_dir) is not None
    if resume:
        log.info("resuming %s from %s", run_name, checkpoint.latest(run.run_dir))
    run.write()
    _hand_off(run.command(resume), nnodes())
    summary = launch(run, resume)
    artifact_store(s).put_file(run.run_dir / "summary.json", f"training/{run_name}/summary.json")
    return summary
