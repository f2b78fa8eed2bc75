"""Benchmark: JSON -> Python + sidecar -> JSON round trips per second on one core.

Generates workflows of typical size (2 to 15 steps: a trigger, actions with catalog config,
conditions with if/else, loops, waits; seeded, so every run measures the same documents), writes
them as `.flow` files, then times the full lossless round trip per document:
`read_flow` -> `to_python` -> `from_python(source, sidecar)` -> `write_flow`, checking first that
every one comes back byte for byte. Rates are per CPU second of the one benchmark process. The same documents through `json.loads` + `json.dumps` give
the reference: `ratio` says how many times slower the round trip is than that.

    .venv/bin/python bench/transpile.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from typing import Any

from flowgen_core.catalog import load_catalog
from flowgen_core.catalog.model import Catalog, ConfigField, Task
from flowgen_core.dsl.flowfile import read_flow, write_flow
from flowgen_core.dsl.from_python import from_python
from flowgen_core.dsl.to_python import to_python

TARGET_PER_S = 1000
TRIGGERS = ["order_created", "order_paid", "order_fulfilled", "customer_created", "product_created"]
CONDITIONS = [
    'order.totalPriceSet.shopMoney.amount > Money("{n}")',
    '"vip" in order.customer.tags',
    'order.email.endswith("@example.com")',
    "order.customer.numberOfOrders >= {k}",
    'order.shippingAddress.countryCodeV2 in ["US", "CA", "MX"]',
    "order.note is None",
    'any(item.sku.startswith("PRE-") for item in order.lineItems)',
    "order.riskLevel == OrderRiskLevel.HIGH or order.totalWeight > {k}",
    'not any(t == "wholesale" for t in order.tags)',
]


def _value(rng: random.Random, f: ConfigField) -> Any:
    if f.kind == "resource_id":
        return rng.choice(["order.id", "order.customer.id", "default(order.id)"])
    if f.kind == "boolean":
        return rng.random() < 0.5
    if f.kind == "number":
        return rng.randint(1, 500)
    if f.kind == "enum" and f.enum_values:
        return rng.choice(f.enum_values)
    if f.kind == "string_list":
        return [
            rng.choice(["vip", "late", "gift", "b2b", "größe"]) for _ in range(rng.randint(1, 3))
        ]
    if f.kind == "json":
        return {"key": "{{order.id}}"}
    return rng.choice(
        ["{{order.id}}", "Order {{ order.name }} is late", "ops@example.com", "Tag me"]
    )


def _call(rng: random.Random, task: Task) -> str:
    fields = [f for f in task.fields if f.required or rng.random() < 0.4]
    # Resource ids are path expressions (order_id=order.id), not string literals.
    args = ", ".join(
        f"{f.id}={_value(rng, f) if f.kind == 'resource_id' else repr(_value(rng, f))}"
        for f in fields
    )
    return f"{task.python_name}({args})"


def program(rng: random.Random, catalog: Catalog, actions: list[Task]) -> str:
    """A random DSL program of 2..15 steps."""
    budget = [rng.randint(1, 14)]
    lines = [f"@{rng.choice(TRIGGERS)}", "def generated(order, shop):", "    'Generated workflow'"]

    def block(depth: int, in_loop: bool) -> None:
        pad = "    " * depth
        wrote = False
        while budget[0] > 0 and (not wrote or rng.random() < 0.7):
            budget[0] -= 1
            wrote = True
            roll = rng.random()
            if roll < 0.2 and depth < 4:
                cond = rng.choice(CONDITIONS).format(n=rng.randint(1, 999), k=rng.randint(1, 9))
                lines.append(f"{pad}if {cond}:")
                block(depth + 1, in_loop)
                if rng.random() < 0.5 and budget[0] > 0:
                    lines.append(f"{pad}else:")
                    block(depth + 1, in_loop)
            elif roll < 0.28 and not in_loop and depth < 4:
                lines.append(f"{pad}for lineItemsForeachitem in order.lineItems:")
                block(depth + 1, True)
            elif roll < 0.34 and not in_loop:
                lines.append(f"{pad}wait(wait_duration='P{rng.randint(1, 9)}D')")
            else:
                lines.append(pad + _call(rng, rng.choice(actions)))
        if not wrote:
            lines.append(pad + "pass")

    block(1, False)
    return "\n".join(lines) + "\n"


def documents(n: int, seed: int, catalog: Catalog) -> list[str]:
    """`n` seeded `.flow` files of typical size."""
    rng = random.Random(seed)
    actions = [t for t in catalog.tasks if t.type == "ACTION" and not t.provides][:120]
    return [write_flow(from_python(program(rng, catalog, actions), catalog)) for _ in range(n)]


def roundtrip(text: str, catalog: Catalog) -> str:
    """One lossless round trip: file -> program + sidecar -> file."""
    source, sidecar = to_python(read_flow(text), catalog)
    return write_flow(from_python(source, catalog, sidecar))


def _rate(fn: Any, docs: list[str], seconds: float) -> float:
    """Documents per CPU second of this process (best pass over about `seconds` of passes).

    CPU time rather than wall time: the figure is "per second on one core", and the machine
    the benchmark runs on is shared, so wall time would mostly measure the neighbours.
    """
    rates = []
    deadline = time.perf_counter() + seconds
    while not rates or time.perf_counter() < deadline:
        start = time.process_time()
        for d in docs:
            fn(d)
        rates.append(len(docs) / max(time.process_time() - start, 1e-9))
    return max(rates)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer documents, shorter timing")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    catalog = load_catalog()
    n, seconds = (100, 1.0) if args.quick else (500, 5.0)
    docs = documents(n, args.seed, catalog)
    exact = sum(roundtrip(d, catalog) == d for d in docs)
    steps = [len(read_flow(d).steps) for d in docs]
    per_s = _rate(lambda d: roundtrip(d, catalog), docs, seconds)
    json_per_s = _rate(
        lambda d: json.dumps(json.loads(d[65:]), separators=(",", ":"), ensure_ascii=False),
        docs,
        seconds,
    )
    result = {
        "documents": n,
        "steps_mean": round(statistics.mean(steps), 2),
        "steps_max": max(steps),
        "bytes_mean": round(statistics.mean(len(d.encode()) for d in docs)),
        "exact": exact,
        "roundtrip_per_s": round(per_s, 1),
        "json_loads_dumps_per_s": round(json_per_s, 1),
        "ratio": round(json_per_s / per_s, 1),
        "target_per_s": TARGET_PER_S,
        "meets_target": per_s >= TARGET_PER_S,
    }
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        print(
            f"{n} workflows, {result['steps_mean']} steps on average (max {result['steps_max']}), {result['bytes_mean']} bytes"
        )
        print(f"byte-exact round trips: {exact}/{n}")
        print(f"JSON -> Python -> JSON: {per_s:,.0f} round trips/s (target {TARGET_PER_S:,})")
        print(f"json.loads + json.dumps: {json_per_s:,.0f}/s, {result['ratio']}x faster")
    return 0 if exact == n else 1


if __name__ == "__main__":
    sys.exit(main())
