"""A small synthetic SFT dataset in the training contract's shape, for tests and the bench.

The real datasets come from flowgen_core/data; this writes the same layout (a folder with
`train.parquet`, `validation.parquet` and `manifest.json` holding `hash`) so the trainer can be
exercised end to end without the data pipeline. Contents are deterministic given the seed.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

SYSTEM = (
    "You build Shopify Flow workflows. Search tasks, read their configuration, then write Python."
)

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "task_search",
            "description": "Search the task catalog; returns names and one-line descriptions.",
            "parameters": {
                "type": "object",
                "properties": {"query": {"type": "string"}, "limit": {"type": "integer"}},
                "required": ["query"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "task_configuration",
            "description": "Full configuration schemas of the named tasks.",
            "parameters": {
                "type": "object",
                "properties": {"names": {"type": "array", "items": {"type": "string"}}},
                "required": ["names"],
            },
        },
    },
]

_ACTIONS = [
    ("add_order_tags", "tags", "Adds tags to an order."),
    ("send_internal_email", "address", "Sends an email to staff."),
    ("add_customer_tags", "tags", "Adds tags to a customer."),
    ("cancel_order", "reason", "Cancels an order."),
    ("hold_fulfillment_order", "reason", "Holds a fulfillment order."),
]
_TRIGGERS = [
    ("order_created", "When an order is created"),
    ("customer_created", "When a customer is created"),
    ("order_paid", "When an order is paid"),
]
_WORDS = ["vip", "wholesale", "risky", "priority", "gift", "review", "urgent", "loyal"]


def _call(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}


def make_row(rng: random.Random, index: int) -> dict[str, Any]:
    """One synthetic trajectory: search, configuration, then the workflow as Python."""
    trig, trig_doc = rng.choice(_TRIGGERS)
    action, field, _doc = rng.choice(_ACTIONS)
    word = rng.choice(_WORDS)
    amount = rng.choice([50, 100, 250, 500, 1000])
    request = f"{trig_doc.lower()} over ${amount}, {action.replace('_', ' ')} with '{word}'"
    # Lengths vary like real trajectories: searches match 1-12 tasks, programs have 1-6 steps.
    found = [
        {"description": doc, "name": name, "task_id": f"shopify::admin::{name}"}
        for name, _f, doc in rng.choices(_ACTIONS, k=rng.randint(1, 12))
    ]
    config = [
        {
            "name": action,
            "type": "ACTION",
            "fields": [
                {
                    "doc": f"The {field} ({k}).",
                    "id": f"{field}{k}",
                    "kind": "text",
                    "required": k == 0,
                }
                for k in range(rng.randint(1, 5))
            ],
        }
    ]
    steps = "".join(
        f'        {rng.choice(_ACTIONS)[0]}({field}="{rng.choice(_WORDS)}")\n'
        for _ in range(rng.randint(1, 6))
    )
    code = (
        f"@workflow(trigger={trig}())\n"
        f"def flow(order):\n"
        f"    if order.total_price > {amount}:\n"
        f'        {action}({field}="{word}")\n' + steps
    )
    messages = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": request},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [_call("task_search", {"query": request, "limit": 5})],
        },
        {"role": "tool", "name": "task_search", "content": json.dumps(found)},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [_call("task_configuration", {"names": [action]})],
        },
        {"role": "tool", "name": "task_configuration", "content": json.dumps(config)},
        {"role": "assistant", "content": code},
    ]
    return {
        "id": f"ex-{index:05d}",
        "shop_id": f"shop-{rng.randrange(20):03d}",
        "source": rng.choice(["synthetic", "real"]),
        "category": action,
        "messages": json.dumps(messages),
        "tools": json.dumps(TOOLS),
    }


def write_dataset(out_dir: Path, n_train: int, n_validation: int, seed: int = 0) -> Path:
    """Write a dataset folder (train/validation parquet + manifest.json with `hash`)."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    for split, n in (("train", n_train), ("validation", n_validation)):
        rows = [make_row(rng, i) for i in range(n)]
        for row in rows:
            digest.update(json.dumps(row, sort_keys=True).encode())
        pq.write_table(pa.Table.from_pylist(rows), out_dir / f"{split}.parquet")
    manifest = {"hash": digest.hexdigest(), "rows": {"train": n_train, "validation": n_validation}}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return out_dir
