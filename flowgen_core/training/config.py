"""The trainer's configuration: one frozen dataclass per component, saved with every checkpoint."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flowgen_core.training.packing import PackingConfig

# attention.py registers the last two with transformers (it is not imported here: the config is
# read by the CLI, which need not load transformers for it).
ATTN_IMPLEMENTATIONS = ("sdpa", "eager", "packed", "sdpa_packed")


@dataclass(frozen=True)
class ModelConfig:
    """Which base model to fine-tune and how to run it."""

    path: str  # a local directory loadable with from_pretrained (tokenizer + weights)
    # "sdpa", "eager", or "packed": document-masked attention from the position_ids resets
    # (attention.py; "sdpa_packed" is its older name, still accepted for saved configs)
    attn_implementation: str = "sdpa"
    activation_checkpointing: bool = False  # recompute each decoder layer in backward (GPU)
    bf16: bool = False  # bf16 MixedPrecisionPolicy (params and compute bf16, reductions fp32)

    def __post_init__(self) -> None:
        if self.attn_implementation not in ATTN_IMPLEMENTATIONS:
            raise ValueError(
                f"model.attn_implementation must be one of {', '.join(ATTN_IMPLEMENTATIONS)}"
            )


@dataclass(frozen=True)
class ParallelConfig:
    """How the job is distributed."""

    world_size: int = 2  # processes torchrun must start; checked against the real world size
    backend: str = "gloo"  # "gloo" (CPU) or "nccl" (GPU)
    replicate_size: int = 1  # HSDP: replica groups (nodes); 1 = plain FSDP over all ranks

    def __post_init__(self) -> None:
        if self.backend not in ("gloo", "nccl"):
            raise ValueError("parallel.backend must be 'gloo' or 'nccl'")
        if self.world_size % self.replicate_size:
            raise ValueError("parallel.world_size must be a multiple of parallel.replicate_size")


@dataclass(frozen=True)
class OptimConfig:
    """AdamW with linear warmup then cosine decay."""

    lr: float = 3e-3  # peak learning rate
    min_lr_ratio: float = 0.1  # final lr as a fraction of the peak
    warmup_steps: int = 2  # steps of linear warmup from 0
    weight_decay: float = 0.0  # AdamW decoupled weight decay
    betas: tuple[float, float] = (0.9, 0.95)  # AdamW betas
    max_grad_norm: float = 1.0  # clip the global grad norm to this; 0 = no clipping

    def __post_init__(self) -> None:
        if self.lr <= 0 or not 0 <= self.min_lr_ratio <= 1:
            raise ValueError("optim.lr must be > 0 and optim.min_lr_ratio in [0, 1]")


@dataclass(frozen=True)
class GuardConfig:
    """The silent-failure checks of guards.py, run on every run."""

    sample_size: int = 8  # examples decoded / prefix-checked / compared packed vs alone
    logits_atol: float = 1e-5  # packed-vs-alone logits tolerance
    max_drop_fraction: float = 0.05  # more over-length drops than this fails the run


@dataclass(frozen=True)
class TrainConfig:
    """One training run."""

    model: ModelConfig
    dataset: str  # local dataset folder (train/validation parquet + manifest.json)
    run_dir: str  # local folder for checkpoints, the export and the summary
    packing: PackingConfig = field(default_factory=PackingConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    parallel: ParallelConfig = field(default_factory=ParallelConfig)
    guards: GuardConfig = field(default_factory=GuardConfig)
    rows_per_rank: int = 1  # packed rows each rank processes per step
    epochs: int = 1  # passes over the data (the packing order reshuffles per epoch)
    max_steps: int = 0  # cap on the schedule's length in steps; 0 = whatever `epochs` gives
    stop_at_step: int = 0  # checkpoint and stop after this step, as preemption would; 0 = never
    checkpoint_every: int = 50  # steps between DCP checkpoints (one is always written at the end)
    artifact_root: str = ""  # artifact store root (local path or s3://); "" = keep local only
    s3_endpoint_url: str | None = None  # S3-compatible endpoint for artifact_root
    run_name: str = "train"  # names the artifact keys and the MLflow run
    mlflow_tracking_uri: str = ""  # "" = no MLflow logging
    mlflow_experiment: str = "flowgen-train"  # experiment runs are logged under
    mlflow_artifact_location: str = ""  # artifact root of a new experiment; "" = MLflow's default
    seed: int = 0  # torch seed on every rank
    log_every: int = 1  # steps between progress lines and MLflow metrics

    def __post_init__(self) -> None:
        if self.rows_per_rank < 1 or self.epochs < 1 or self.checkpoint_every < 1:
            raise ValueError("rows_per_rank, epochs and checkpoint_every must be >= 1")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready nested dict."""
        return asdict(self)

    def save(self, path: Path) -> None:
        """Write the resolved config as JSON."""
        path.write_text(json.dumps(self.to_dict(), indent=1, sort_keys=True))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        """The inverse of to_dict."""
        d = dict(data)
        optim = dict(d.pop("optim", {}))
        if "betas" in optim:
            optim["betas"] = tuple(optim["betas"])
        return cls(
            model=ModelConfig(**d.pop("model")),
            packing=PackingConfig(**d.pop("packing", {})),
            optim=OptimConfig(**optim),
            parallel=ParallelConfig(**d.pop("parallel", {})),
            guards=GuardConfig(**d.pop("guards", {})),
            **d,
        )

    @classmethod
    def load(cls, path: Path) -> TrainConfig:
        """Read a config JSON file."""
        return cls.from_dict(json.loads(path.read_text()))


def flatten(d: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested dict -> {"a.b": "value"} (MLflow params)."""
    out: dict[str, str] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            out[key] = json.dumps(v) if isinstance(v, list | tuple) else str(v)
    return out
