"""MLflow logging for a training run; only rank 0 talks to MLflow."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from flowgen_core.training.config import TrainConfig, flatten


class Tracker:
    """Rank 0 logs params, per-step metrics and artifacts; other ranks (or no URI) do nothing."""

    def __init__(self, cfg: TrainConfig, rank: int, dataset_hash: str) -> None:
        self.enabled = rank == 0 and bool(cfg.mlflow_tracking_uri)
        self.run_id: str | None = None
        if not self.enabled:
            return
        import mlflow

        self._mlflow = mlflow
        mlflow.set_tracking_uri(cfg.mlflow_tracking_uri)
        if mlflow.get_experiment_by_name(cfg.mlflow_experiment) is None:
            mlflow.create_experiment(
                cfg.mlflow_experiment, artifact_location=cfg.mlflow_artifact_location or None
            )
        mlflow.set_experiment(cfg.mlflow_experiment)
        id_file = Path(cfg.run_dir) / "mlflow_run_id"
        resumed = id_file.read_text().strip() if id_file.exists() else None
        run = mlflow.start_run(run_id=resumed, run_name=None if resumed else cfg.run_name)
        self.run_id = run.info.run_id
        id_file.write_text(self.run_id)
        if not resumed:
            mlflow.log_params(flatten(cfg.to_dict()))
        mlflow.set_tags({"dataset_hash": dataset_hash, "flowgen.stage": "train"})

    def metrics(self, values: dict[str, float], step: int) -> None:
        """Per-step metrics."""
        if self.enabled:
            self._mlflow.log_metrics(values, step=step)

    def packing(self, stats: dict[str, Any]) -> None:
        """Packing efficiency as metrics, the length histogram as a JSON and PNG artifact."""
        if not self.enabled:
            return
        self._mlflow.log_metrics(
            {
                "packing_efficiency": float(stats["packing_efficiency"]),
                "packing_trained_fraction": float(stats["trained_fraction"]),
                "examples_dropped_over_length": float(stats["dropped_over_length"]),
            }
        )
        self._mlflow.log_dict(stats, "packing/stats.json")
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        hist = stats["length_histogram"]
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.bar([int(k) for k in hist], list(hist.values()), width=max(1, _bin(hist)), align="edge")
        ax.set_xlabel("example length (tokens)")
        ax.set_ylabel("examples")
        self._mlflow.log_figure(fig, "packing/length_histogram.png")
        plt.close(fig)

    def guards(self, results: dict[str, Any]) -> None:
        """Guard results as a JSON artifact and one tag per guard."""
        if self.enabled:
            self._mlflow.log_dict(results, "guards.json")
            self._mlflow.set_tags(
                {f"guard.{k}": "passed" if v["passed"] else "FAILED" for k, v in results.items()}
            )

    def model(self, model_dir: Path, model_hash: str) -> None:
        """The exported HF directory as artifacts, its hash as a tag."""
        if self.enabled:
            self._mlflow.log_artifacts(str(model_dir), "model")
            self._mlflow.set_tag("model_hash", model_hash)

    def summary(self, summary: dict[str, Any]) -> None:
        """The run summary as a JSON artifact."""
        if self.enabled:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "summary.json"
                path.write_text(json.dumps(summary, indent=1, sort_keys=True, default=str))
                self._mlflow.log_artifact(str(path))

    def close(self, failed: bool = False) -> None:
        """End the MLflow run."""
        if self.enabled:
            self._mlflow.end_run(status="FAILED" if failed else "FINISHED")


def _bin(hist: dict[str, int]) -> int:
    keys = sorted(int(k) for k in hist)
    return keys[1] - keys[0] if len(keys) > 1 else 1
