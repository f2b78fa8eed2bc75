"""Packing: examples into fixed-length rows, position_ids restarting per example, no padding waste.

Rows carry `input_ids`, `position_ids` (0.. per example, so transformers builds a block-diagonal
mask when called with no attention mask and `use_cache=False`) and `labels` (next-token targets,
-100 where not trained, on padding and across example boundaries). Over-length examples are
dropped and counted, never truncated (truncation would cut the final assistant turn).
"""

from __future__ import annotations

import bisect
import random
from collections import Counter
from dataclasses import dataclass, field

import torch

from flowgen_core.agent.render import IGNORE, Example


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


# Bound on the repair pass's pair trials: a few seconds of work at worst, whatever the week's size.
MAX_PAIR_TRIALS = 200_000


Row = dict[str, torch.Tensor]


def pack(
    examples: list[Example], cfg: PackingConfig, pad_id: int, epoch: int = 0
) -> tuple[list[Row], PackStats]:
    """The examples packed into rows of `cfg.seq_len`, in the epoch's seeded order."""
    rows, stats = pack_rows(examples, cfg, pad_id)
    return epoch_order(rows, cfg, epoch), stats


def epoch_order(rows: list[Row], cfg: PackingConfig, epoch: int) -> list[Row]:
    """The rows shuffled for one epoch (by seed and epoch); their contents never change."""
    order = list(rows)
    random.Random(cfg.seed * 1_000_003 + epoch).shuffle(order)
    return order


def pack_rows(
    examples: list[Example], cfg: PackingConfig, pad_id: int
) -> tuple[list[Row], PackStats]:
    """Pack the examples into rows of `cfg.seq_len` (best fit decreasing, then a repair pass),
    once for every epoch: `epoch_order` gives an epoch's order."""
    stats = PackStats(examples_in=len(examples))
    stats.histogram = length_histogram([len(e.input_ids) for e in examples], cfg.histogram_bin)
    kept: list[Example] = []
    for e in examples:
        if len(e.input_ids) > cfg.seq_len:
            stats.dropped_over_length += 1
            stats.dropped_ids.append(e.id)
        else:
            kept.append(e)
    # Ties in length are broken by example id, so the rows do not depend on the input order.
    kept.sort(key=lambda e: e.id)
    lengths = [len(e.input_ids) for e in kept]
    bins = repair(best_fit_decreasing(lengths, cfg.seq_len), lengths, cfg.seq_len)
    rows = [_row([kept[i] for i in b], cfg.seq_len, pad_id) for b in bins]
    stats.rows = len(rows)
    stats.total_tokens = len(rows) * cfg.seq_len
    stats.real_tokens = sum(lengths)
    stats.trained_tokens = sum(int((r["labels"] != IGNORE).sum()) for r in rows)
    return rows, stats


def best_fit_decreasing(lengths: list[int], capacity: int) -> list[list[int]]:
    """Indices of `lengths` in bins: longest first, each into the fullest bin it still fits."""
    bins: list[list[int]] = []
    rooms: list[tuple[int, int]] = []  # (free tokens, bin), sorted: best fit is a bisection
    for i in sorted(range(len(lengths)), key=lambda i: (-lengths[i], i)):
        n = lengths[i]
        k = bisect.bisect_left(rooms, (n, -1))
        if k == len(rooms):
            bins.append([i])
            bisect.insort(rooms, (capacity - n, len(bins) - 1))
        else:
            room, b = rooms.pop(k)
            bins[b].append(i)
            bisect.insort(rooms, (room - n, b))
    return bins


def repair(bins: list[list[int]], lengths: list[int], capacity: int) -> list[list[int]]:
    """Move free space into the emptiest bins until they empty; fewer rows, same examples.

    Best fit decreasing leaves its last bins part-empty when lengths sit in a narrow band
    (0.938 of the bench's rows of 4,096 were real tokens). Each trial takes an emptier bin and a
    fuller one and refills the fuller one with the subset of both bins' examples that fills it
    best (a subset sum); it is kept only when that fill beats both bins' current fills. The sum of
    squared fills rises with every kept trial, so the pass ends; it also stops after
    `MAX_PAIR_TRIALS` trials.
    """
    bins = [list(b) for b in bins]
    fills = [sum(lengths[i] for i in b) for b in bins]
    trials = 0
    changed = True
    while changed and trials < MAX_PAIR_TRIALS:
        changed = False
        order = sorted(range(len(bins)), key=lambda b: (fills[b], b))
        for a in order[: max(1, len(order) // 4)]:
            for b in reversed(order):
                if not bins[a] or trials >= MAX_PAIR_TRIALS:
                    break
                if b == a or fills[b] == capacity:
                    continue
                trials += 1
                members = sorted(bins[a] + bins[b])
                top = _fullest_subset(members, lengths, capacity)
                fill = sum(lengths[i] for i in top)
                if fill > max(fills[a], fills[b]):
                    chosen = set(top)
                    bins[b] = top
                    bins[a] = [i for i in members if i not in chosen]
                    fills[a], fills[b] = fills[a] + fills[b] - fill, fill
                    changed = True
        fills = [f for b, f in zip(bins, fills, strict=True) if b]
        bins = [b for b in bins if b]
    return bins


def _fullest_subset(members: list[int], lengths: list[int], capacity: int) -> list[int]:
    """The members whose lengths sum closest to `capacity` without passing it (bitset DP)."""
    mask = (1 << (capacity + 1)) - 1
    reach = 1  # bit s set: some subset of the members seen so far sums to s
    before: list[int] = []
    for i in members:
        before.append(reach)
        reach = (reach | (reach << lengths[i])) & mask
    total = reach.bit_length() - 1
    chosen: list[int] = []
    for k in range(len(members) - 1, -1, -1):
        if not (before[k] >> total) & 1:  # the sum needs member k
            chosen.append(members[k])
            total -= lengths[members[k]]
    return chosen[::-1]


def _row(members: list[Example], seq_len: int, pad_id: int) -> Row:
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
