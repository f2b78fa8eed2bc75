"""The training task: FSDP fine-tuning under torchrun, resumable from its last checkpoint."""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from prefect import task

from flowgen_core import stack
from flowgen_core.artifacts import artifact_store
from flowgen_core.cli.train_cmd import nnodes, run_trainer, torchrun_command
from flowgen_core.errors import InvalidInput
from tasks.common import digest, local_model, settings

log = logging.getLogger("flowgen.tasks.train")


def _train_key(context: Any, parameters: dict[str, Any]) -> str:
    # stop_at_step is left out on purpose: a stopped run fails, so it is never cached
    p = {k: v for k, v in parameters.items() if k != "stop_at_step"}
    return f"train-{p['run_name']}-{digest(p)}"


def start_weights(init: str, champion: dict[str, Any] | None) -> dict[str, Any]:
    """The train parameters for where training starts: the champion's model when `init` is
    champion and there is one, else the base (saying so in one line)."""
    if init != "champion":
        return {"init": "base"}
    if champion is None:
        log.warning("train.init=champion but there is no champion yet: starting from the base")
        return {"init": "base"}
    return {
        "init": "champion",
        "init_model_uri": champion["model_uri"],
        "init_model_hash": champion["model_hash"],
    }


def _hand_off(cmd: list[str]) -> None:
    """On a multi-node job, tell the other nodes what to run (infra/k8s/node-entrypoint.sh).

    Every node must start torchrun with the same trainer arguments; only node 0 runs this flow,
    so it writes them to the shared volume under the flow run's id, where the others wait.
    """
    handoff = os.environ.get("FLOWGEN_TRAIN_HANDOFF_DIR")
    run_id = os.environ.get("PREFECT__FLOW_RUN_ID")
    if handoff and run_id and nnodes() > 1:
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
    from flowgen_core.cli.train_cmd import domain_corpus, local_dataset
    from flowgen_core.training import checkpoint, recipes
    from flowgen_core.training.warm_start import warm_start

    s = settings()
    dataset_dir = local_dataset(dataset_uri, s)
    model_path = Path(base_model) if base_model else s.state_path / "models" / "tiny-base"
    warm_from: tuple[Path, str] | None = None
    if init == "champion":
        if not (init_model_uri and init_model_hash):
            raise InvalidInput("train init=champion needs init_model_uri and init_model_hash")
        warm_from = (local_model(init_model_uri, init_model_hash), init_model_hash)
    if warm_from is None and base_model is None and not (model_path / "config.json").is_file():
        if recipe != "tiny":
            raise InvalidInput(f"recipe {recipe} needs base_model (a local Qwen3-32B folder)")
        from flowgen_core.training.bootstrap import TinyModelConfig, bootstrap_base_model

        log.info("bootstrapping the tiny base model into %s", model_path)
        bootstrap_base_model(domain_corpus(dataset_dir), model_path, TinyModelConfig())
    run_dir = s.state_path / "runs" / "train" / run_name
    resume = checkpoint.latest(run_dir) is not None
    if resume:
        log.info("resuming %s from %s", run_name, checkpoint.latest(run_dir))
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "failure.json").unlink(missing_ok=True)
    cfg = recipes.by_name(recipe, str(model_path), str(dataset_dir), str(run_dir), nproc)
    if warm_from is not None:
        cfg = warm_start(cfg, recipe, *warm_from)
        log.info("warm start from the champion %s (%s)", warm_from[1][:16], warm_from[0])
    cfg = replace(
        cfg,
        packing=replace(cfg.packing, seq_len=seq_len or cfg.packing.seq_len),
        max_steps=max_steps or cfg.max_steps,
        stop_at_step=stop_at_step,
        artifact_root=s.artifact_root,
        s3_endpoint_url=s.s3_endpoint_url,
        run_name=run_name,
        mlflow_tracking_uri=stack.mlflow_tracking_uri(s),
        mlflow_artifact_location=stack.mlflow_artifact_root(s),
    )
    config_path = run_dir / "config.json"
    cfg.save(config_path)
    cmd = torchrun_command(config_path, nproc, resume)
    _hand_off(cmd)
    summary = run_trainer(cmd, run_dir)
    store = artifact_store(s)
    store.put_file(run_dir / "summary.json", f"training/{run_name}/summary.json")
    return summary
