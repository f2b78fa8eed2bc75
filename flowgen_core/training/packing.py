"""Packing: examples into fixed-length rows, position_ids restarting per example, no padding waste.

Rows carry `input_ids`, `position_ids` (0.. per example, so transformers builds a block-diagonal
mask when called with no attention mask and `use_cache=False`) and `labels` (next-token targets,
-100 where not trained, on padding and across example boundaries). Over-length examples are
dropped and counted, never truncated (truncation would cut the final assistant turn).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

import torch

from flowgen_core.training.render import IGNORE, Example


@dataclass(frozen=True)
class PackingConfig:
    """How examples become rows."""

    seq_len: int = 1024  # tokens per packed row; longer examples are dropped and counted
    seed: int = 0  # shuffle seed; the same seed gives the same rows
    histogram_bin: int = 128  # width of a length-histogram bucket, in tokens

    def __post_init__(self) -> None:
        if self.seq_len < 16:
            raise ValueError("packing.seq_len must be at least 16 tokens")


@dataclass
class PackStats:
    """What packing did: kept/dropped counts, the length histogram, efficiency."""

    examples_in: int = 0
    dropped_over_length: int = 0
    dropped_ids: list[str] = field(default_factory=list)
    rows: int = 0
    real_tokens: int = 0  # tokens of examples (not padding)
    trained_tokens: int = 0  # tokens with a label
    total_tokens: int = 0  # rows x seq_len: what the forward pass processes
    histogram: dict[int, int] = field(default_factory=dict)  # bucket start -> examples

    @property
    def packing_efficiency(self) -> float:
        """Non-pad tokens over tokens processed."""
        return self.real_tokens / self.total_tokens if self.total_tokens else 0.0

    @property
    def trained_fraction(self) -> float:
        """Trained tokens over tokens processed."""
        return self.trained_tokens / self.total_tokens if self.total_tokens else 0.0

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return {
            "examples_in": self.examples_in,
            "dropped_over_length": self.dropped_over_length,
            "dropped_ids": self.dropped_ids[:20],
            "rows": self.rows,
            "real_tokens": self.real_tokens,
            "trained_tokens": self.trained_tokens,
            "total_tokens": self.total_tokens,
            "packing_efficiency": round(self.packing_efficiency, 6),
            "trained_fraction": round(self.trained_fraction, 6),
            "length_histogram": {str(k): v for k, v in sorted(self.histogram.items())},
        }


def length_histogram(lengths: list[int], bin_width: int) -> dict[int, int]:
    """Examples per length bucket (bucket start in tokens)."""
    return dict(sorted(Counter((n // bin_width) * bin_width for n in lengths).items()))


def pack(
    examples: list[Example], cfg: PackingConfig, pad_id: int, epoch: int = 0
) -> tuple[list[dict[str, torch.Tensor]], PackStats]:
    """Best-fit-decreasing packing of the examples into rows of `cfg.seq_len`, in seeded order."""
    stats = PackStats(examples_in=len(examples))
    stats.histogram = length_histogram([len(e.input_ids) for e in examples], cfg.histogram_bin)
    kept: list[Example] = []
    for e in examples:
        if len(e.input_ids) > cfg.seq_len:
            stats.dropped_over_length += 1
            stats.dropped_ids.append(e.id)
        else:
            kept.append(e)
    # Best fit decreasing: longest first into the fullest row it still fits.
    order = sorted(range(len(kept)), key=lambda i: (-len(kept[i].input_ids), kept[i].id))
    bins: list[list[int]] = []
    free: list[int] = []
    for i in order:
        n = len(kept[i].input_ids)
        best = -1
        for b, room in enumerate(free):
            if n <= room and (best < 0 or room < free[best]):
                best = b
        if best < 0:
            bins.append([i])
            free.append(cfg.seq_len - n)
        else:
            bins[best].append(i)
            free[best] -= n
    rng = random.Random(cfg.seed * 1_000_003 + epoch)
    rng.shuffle(bins)
    rows = [_row([kept[i] for i in b], cfg.seq_len, pad_id) for b in bins]
    stats.rows = len(rows)
    stats.total_tokens = len(rows) * cfg.seq_len
    stats.real_tokens = sum(len(e.input_ids) for e in kept)
    stats.trained_tokens = sum(int((r["labels"] != IGNORE).sum()) for r in rows)
    return rows, stats


def _row(members: list[Example], seq_len: int, pad_id: int) -> dict[str, torch.Tensor]:
    ids: list[int] = []
    pos: list[int] = []
    labels: list[int] = []
    for e in members:
        ids.extend(e.input_ids)
        pos.extend(range(len(e.input_ids)))
        labels.extend(e.targets())
    pad = seq_len - len(ids)
    # Padding is its own run of positions from 0 so it forms a separate (untrained) document.
    ids.extend([pad_id] * pad)
    pos.extend(range(pad))
    labels.extend([IGNORE] * pad)
    return {
        "input_ids": torch.tensor(ids, dtype=torch.long),
        "position_ids": torch.tensor(pos, dtype=torch.long),
        "labels": torch.tensor(labels, dtype=torch.long),
    }


def pad_to_longest_efficiency(lengths: list[int], batch_size: int) -> float:
    """Non-pad over processed tokens when batches of `batch_size` are padded to their longest."""
    total = sum(
        max(lengths[i : i + batch_size]) * len(lengths[i : i + batch_size])
        for i in range(0, len(lengths), batch_size)
    )
    return sum(lengths) / total if total else 0.0
