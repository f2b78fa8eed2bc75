"""Which workflows become cold-start examples, and the round-trip gate every target passes.

The cold-start rule: workflows that ran at least once in the 7 days
before the week's end, from shops with at least 2 such workflows, one example per workflow
descriptor (diversity). Held-out shops are left out here too, so nothing a held-out merchant
built reaches training. Every candidate must round-trip exactly through the transpiler
(payload -> Python -> payload byte for byte with the layout sidecar, and the bare Python, as
the model will write it, back to the same workflow) and validate against the catalog, a task
the catalog does not know being an error here; a workflow that does not is quarantined with the
reason, never silently trained on.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from flowgen_core.catalog.model import Catalog
from flowgen_core.dsl.flowfile import dump_payload, read_flow, split_envelope
from flowgen_core.dsl.from_python import from_python
from flowgen_core.dsl.model import Workflow
from flowgen_core.dsl.sameness import same_workflow
from flowgen_core.dsl.to_python import to_python
from flowgen_core.dsl.validate import validate
from flowgen_core.errors import FlowgenError
from flowgen_core.store.extract import Extraction, WorkflowRecord


class RoundTripError(FlowgenError):
    """A workflow that cannot be a training target; the message is the quarantine reason."""


def round_trip(payload: str, catalog: Catalog) -> tuple[Workflow, str]:
    """The workflow and its Python when the payload round-trips exactly and validates."""
    try:
        text, _prefixed = split_envelope(payload)
        wf = read_flow(payload)
    except FlowgenError as exc:
        raise RoundTripError(f"unreadable: {exc}") from None
    try:
        python, sidecar = to_python(wf, catalog, payload=text)
        sidecar = json.loads(json.dumps(sidecar, ensure_ascii=False))
        if dump_payload(from_python(python, catalog, sidecar)) != text:
            raise RoundTripError("round_trip: payload bytes differ after JSON -> Python -> JSON")
        reason = same_workflow(wf, from_python(python, catalog))
    except RoundTripError:
        raise
    except (FlowgenError, SyntaxError, ValueError, KeyError, RecursionError) as exc:
        raise RoundTripError(f"round_trip: {' '.join(str(exc).split())[:200]}") from None
    if reason is not None:
        raise RoundTripError(f"round_trip: the bare Python reads back differently: {reason}")
    # A target that needs a task outside the catalog cannot be learned through the tools.
    errors = validate(wf, catalog, unknown_tasks="error")
    if errors:
        raise RoundTripError(f"invalid: {errors[0].bucket}: {errors[0].message}")
    return wf, python


@dataclass(frozen=True)
class Selected:
    """A workflow chosen for the synthetic set, with its target Python."""

    record: WorkflowRecord
    python: str


def stable_rank(*parts: str) -> str:
    """A hex key that orders items deterministically but without bias by id."""
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def select_workflows(
    extraction: Extraction, catalog: Catalog, heldout_shops: frozenset[str]
) -> tuple[list[Selected], dict[str, int], list[tuple[str, str]]]:
    """Selected workflows, the count after each filter, and (workflow id, reason) quarantined."""
    counts = {"workflows": len(extraction.workflows)}
    ran = [w for w in extraction.workflows if w.runs_7d >= 1]
    counts["ran_in_7d"] = len(ran)
    per_shop = Counter(w.shop_id for w in ran)
    busy = [w for w in ran if per_shop[w.shop_id] >= 2]
    counts["shop_has_2plus"] = len(busy)
    kept = [w for w in busy if w.shop_id not in heldout_shops]
    counts["not_heldout_shop"] = len(kept)
    good: list[Selected] = []
    quarantined: list[tuple[str, str]] = []
    for w in kept:
        try:
            _wf, python = round_trip(w.definition, catalog)
        except RoundTripError as exc:
            quarantined.append((w.id, str(exc)))
            continue
        good.append(Selected(w, python))
    counts["round_trip_ok"] = len(good)
    # One per descriptor: the most-used workflow of each (run days, then runs), ties by hash.
    best: dict[str, Selected] = {}
    for s in sorted(
        good,
        key=lambda s: (
            -s.record.run_days_7d,
            -s.record.runs_7d,
            stable_rank(extraction.week, s.record.id),
        ),
    ):
        best.setdefault(s.record.descriptor, s)
    chosen = sorted(best.values(), key=lambda s: s.record.descriptor)
    counts["one_per_descriptor"] = len(chosen)
    return chosen, counts, quarantined
