"""The records a week's data is made of, shared by the build and its checks: the data config,
a training example, a held-out case, and the keys dedup and contamination compare.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from flowgen_core.agent.interface import TOOLS
from flowgen_core.agent.suites import load_benchmark
from flowgen_core.dsl.sameness import canonical_hash

TOOLS_JSON = json.dumps(TOOLS)


@dataclass(frozen=True)
class DataConfig:
    """How a week's data is selected, split and checked."""

    seed: int = 0  # salt of the shop split and of every per-example choice
    heldout_share: float = 0.15  # share of shops whose conversations are held out for eval
    validation_share: float = 0.1  # share of the remaining shops used for validation
    max_examples: int = 0  # cap per set (synthetic, real), by stable hash order; 0 = no cap
    parity_samples: int = 16  # examples whose every turn is checked token by token
    tokenizer_dir: str = ""  # tokenizer for the parity check; "" = one trained on the samples
    drop_benchmark_overlap: bool = True  # drop examples that repeat a benchmark case

    def __post_init__(self) -> None:
        if not 0 <= self.heldout_share < 1 or not 0 <= self.validation_share < 1:
            raise ValueError("data heldout_share and validation_share must be in [0, 1)")
        if self.max_examples < 0 or self.parity_samples < 0:
            raise ValueError("data max_examples and parity_samples must be >= 0")


@dataclass(frozen=True)
class Example:
    """One training conversation and what the checks need to verify it."""

    id: str
    shop_id: str
    source: str  # synthetic | real
    category: str
    request: str
    existing_python: str | None  # the edited workflow as Python (edits only)
    python: str  # the target, as the final assistant message holds it
    workflow_hash: str  # canonical hash of the target (dedup, contamination)
    messages: str  # JSON text, the row format
    tools: str = TOOLS_JSON  # JSON text of the tool schemas (always the interface's)
    outcome: str = ""  # real examples: the merchant's verdict (accepted | edited); "" synthetic

    def row(self) -> dict[str, Any]:
        """The parquet row (the training contract's columns)."""
        return {
            "id": self.id,
            "shop_id": self.shop_id,
            "source": self.source,
            "category": self.category,
            "messages": self.messages,
            "tools": self.tools,
        }


@dataclass(frozen=True)
class HeldoutCase:
    """One held-out conversation, the shape `agent.suites.load_traffic` reads."""

    id: str
    shop_id: str
    category: str
    request: str
    expected: str  # the target payload (platform JSON)
    existing_workflow: str | None  # the edited workflow's payload, or None


def normalize_request(text: str) -> str:
    """Lowercased words: the key near-duplicate requests share."""
    return " ".join(re.findall(r"[a-z0-9$]+", text.lower()))


@cache
def benchmark_keys() -> tuple[dict[str, str], dict[str, str]]:
    """Benchmark cases by normalized workflow hash and by normalized request."""
    by_wf: dict[str, str] = {}
    by_req: dict[str, str] = {}
    for case in load_benchmark():
        by_wf.setdefault(canonical_hash(case.expected), case.id)
        by_req.setdefault(normalize_request(case.request), case.id)
    return by_wf, by_req
