"""Where training starts: the base model (`base`), or the current champion's weights (`champion`).

A warm start fine-tunes the exported champion (an HF folder with its tokenizer, so the chat
template and vocabulary are the base's) on the week's set with its own schedule: a lower peak
learning rate and a shorter warmup than from the base, because the weights already know the
format and a base-sized first step would undo it. The folder must hash to the champion's
registered model hash (`artifacts.folder_hash`), so a stale or partial download never trains.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from flowgen_core.artifacts import folder_hash
from flowgen_core.errors import InvalidInput
from flowgen_core.training.config import OptimConfig, TrainConfig

# Per recipe: peak lr a third of the base schedule's (3e-3 tiny, 1e-5 production), warmup a
# third; cosine to the same floor. The step budget stays the recipe's.
WARM_START_OPTIM = {
    "tiny": OptimConfig(lr=1e-3, warmup_steps=5),
    "qwen3-32b-2x8h200": OptimConfig(lr=3e-6, warmup_steps=7),
}


def warm_start(
    cfg: TrainConfig, recipe: str, champion_dir: Path, champion_hash: str
) -> TrainConfig:
    """`cfg` starting from the champion's weights with the recipe's warm-start schedule;
    InvalidInput when the folder is not the champion's."""
    found = folder_hash(champion_dir)
    if found != champion_hash:
        raise InvalidInput(
            f"warm start: {champion_dir} hashes to {found[:16]}, not the champion's "
            f"{champion_hash[:16]}; remove the folder to fetch it again"
        )
    optim = WARM_START_OPTIM.get(recipe)
    if optim is None:
        raise InvalidInput(f"warm start: no schedule for recipe {recipe!r}")
    optim = replace(optim, betas=cfg.optim.betas)
    return replace(cfg, model=replace(cfg.model, path=str(champion_dir)), optim=optim)
