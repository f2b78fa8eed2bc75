"""The training data plan: tokenized examples, packed rows per epoch, and each step's batch.

Every rank builds the same plan from the same seed, so a step number alone says which rows a
rank trains on; resuming needs nothing but the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
from transformers import PreTrainedTokenizerBase

from flowgen_core.agent.render import IGNORE, Example, load_split, tokenize_row
from flowgen_core.training.packing import PackingConfig, PackStats, epoch_order, pack_rows


@dataclass
class DataPlan:
    """Rows of every epoch and how they split into per-rank steps."""

    rows: list[dict[str, Any]]  # the dataset rows (contract)
    examples: list[Example]  # tokenized rows, same order
    kept: list[Example]  # examples that fit packing.seq_len
    stats: PackStats  # the packing (the same rows every epoch, in another order)
    epoch_rows: list[list[dict[str, torch.Tensor]]]  # packed rows per epoch
    global_rows: int  # rows per step over all ranks
    steps_per_epoch: int
    total_steps: int  # the schedule's length
    pad_id: int  # the padding token (never part of an example)

    def batch(self, step: int, rank: int, rows_per_rank: int) -> dict[str, torch.Tensor]:
        """This rank's rows for `step` (0-based), stacked."""
        rows = self._step_rows(step)[rank * rows_per_rank : (rank + 1) * rows_per_rank]
        return {k: torch.stack([r[k] for r in rows]) for k in rows[0]}

    def trained_tokens(self, step: int) -> int:
        """Trained tokens of the step over all ranks (what the all-reduce must give)."""
        return sum(int((r["labels"] != IGNORE).sum()) for r in self._step_rows(step))

    def real_tokens(self, step: int) -> int:
        """Non-pad tokens of the step over all ranks."""
        return sum(int((r["input_ids"] != self.pad_id).sum()) for r in self._step_rows(step))

    def _step_rows(self, step: int) -> list[dict[str, torch.Tensor]]:
        epoch = (step // self.steps_per_epoch) % len(self.epoch_rows)
        j = step % self.steps_per_epoch
        return self.epoch_rows[epoch][j * self.global_rows : (j + 1) * self.global_rows]


def build_plan(
    dataset_dir: Path,
    tokenizer: PreTrainedTokenizerBase,
    packing: PackingConfig,
    world_size: int,
    rows_per_rank: int,
    epochs: int,
    max_steps: int,
    rank: int = 0,
) -> DataPlan:
    """Tokenize the train split, pack it once, order the rows per epoch and size the schedule.

    With world_size > 1 (collective) each rank tokenizes every world_size-th row and the
    ranks exchange the results: chat-template rendering is the slow part of start-up.
    """
    rows = load_split(dataset_dir, "train")
    mine = [tokenize_row(tokenizer, r) for r in rows[rank::world_size]]
    if world_size > 1:
        shares: list[list[Example]] = [[] for _ in range(world_size)]
        dist.all_gather_object(shares, mine)
        examples = [shares[i % world_size][i // world_size] for i in range(len(rows))]
    else:
        examples = mine
    packed, stats = pack_rows(examples, packing, tokenizer.pad_token_id)
    epoch_rows = [epoch_order(packed, packing, epoch) for epoch in range(epochs)]
    global_rows = world_size * rows_per_rank
    steps_per_epoch = stats.rows // global_rows
    if steps_per_epoch == 0:
        raise ValueError(
            f"{stats.rows} packed rows cannot fill one step of {global_rows} rows "
            "(world_size x rows_per_rank); use more data or fewer processes"
        )
    kept = [e for e in examples if len(e.input_ids) <= packing.seq_len]
    total = min(max_steps, steps_per_epoch * epochs) if max_steps else steps_per_epoch * epochs
    return DataPlan(
        rows,
        examples,
        kept,
        stats,
        epoch_rows,
        global_rows,
        steps_per_epoch,
        total,
        tokenizer.pad_token_id,
    )
