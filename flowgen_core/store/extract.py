"""Windowed extraction: one ISO week of interactions and workflows, anonymized, with a hash.

What a week holds (the window is [start, end) in UTC):
- interactions: trusted conversations created in the window, with the trusted feedback given
  before `end`
  (a reaction that comes after the week closed belongs to no week's training data; this
  keeps a past week's content fixed);
- workflows: every workflow that was saved (created or changed) in the window or ran at
  least once in the 7 days before `end` (for an ISO week, the week's own days), each in its
  state as of `end` (the newest revision saved before `end`).

Reads happen in one repeatable-read snapshot; a dropped connection is retried from the
start with backoff, so a retry returns exactly what a clean run would. Every query is an
index range scan over the window, so the cost follows the rows of the week, not the tables.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from flowgen_core.catalog.model import load_catalog
from flowgen_core.store.anonymize import KINDS, Scrubber
from flowgen_core.store.db import EngineOrUrl, as_engine
from flowgen_core.store.quarantine import definition_problem
from flowgen_core.weeks import IsoWeek, parse_week

log = logging.getLogger("flowgen.store.extract")

RUN_LOOKBACK = timedelta(days=7)  # "ran in the last 7 days" before the week's end


@dataclass(frozen=True)
class ExtractConfig:
    """How hard to try."""

    attempts: int = 4  # tries in total when the connection drops (1: no retry)
    backoff_s: float = 0.5  # wait before the 2nd try, doubled before each later one

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.backoff_s < 0:
            raise ValueError("ExtractConfig: attempts must be >= 1 and backoff_s >= 0")


@dataclass(frozen=True)
class FeedbackEvent:
    """One merchant reaction, in time order."""

    kind: str  # accepted | edited | discarded | activated
    created_at: str  # ISO-8601 UTC, e.g. 2026-11-09T10:22:13.123000Z
    saved_definition: str | None  # the merchant's saved payload (kind == edited), scrubbed


@dataclass(frozen=True)
class Interaction:
    """A conversation of the week, scrubbed, with its feedback."""

    id: str
    shop_id: str  # anonymized shop id
    created_at: str  # ISO-8601 UTC
    request: str  # what the merchant typed, scrubbed
    existing_workflow_id: str | None  # set when the request edits a workflow
    existing_definition: str | None  # that workflow's payload as the merchant saw it, scrubbed
    model_version: str
    tool_trajectory: list[Any]  # the agent's tool calls as logged (JSON), strings scrubbed
    generated_python: str | None  # the model's Python as logged, scrubbed
    delivered_definition: str | None  # the payload the agent delivered, scrubbed
    latency_ms: int
    prompt_tokens: int
    completion_tokens: int
    feedback: tuple[FeedbackEvent, ...]  # reactions before the week's end, oldest first
    outcome: str  # the verdict: edited | accepted | discarded | none (no verdict yet)
    activated: bool  # the merchant turned the workflow on (before the week's end)
    target_definition: str | None  # saved payload if edited, delivered if accepted, else None


@dataclass(frozen=True)
class WorkflowRecord:
    """A workflow relevant to the week, in its state at the week's end, scrubbed."""

    id: str
    revision_id: str  # the revision this state comes from
    shop_id: str
    descriptor: str  # e.g. tag_high_value_orders
    category: str  # template category, e.g. orders
    built_by: str  # merchant | agent
    active: bool
    created_at: str  # ISO-8601 UTC
    updated_at: str  # when this revision was saved
    definition: str  # payload text, scrubbed
    runs_7d: int  # runs in the 7 days before the week's end
    failures_7d: int
    run_days_7d: int  # days with at least one run among those 7
    changed_in_week: bool  # created or saved during the week


@dataclass(frozen=True)
class Quarantined:
    """A row left out of the extraction, and why."""

    table: str  # conversations | workflows
    id: str
    reason: str  # "<field>: <kind>: <detail>", kind in not_json | wrong_shape | unknown_task | bad_prefix


@dataclass(frozen=True)
class Extraction:
    """What `extract` read for one week."""

    week: str  # 2026-W45
    start: str  # ISO-8601 UTC, inclusive
    end: str  # ISO-8601 UTC, exclusive
    interactions: tuple[Interaction, ...]  # sorted by id
    workflows: tuple[WorkflowRecord, ...]  # sorted by id
    quarantined: tuple[Quarantined, ...]  # sorted by (table, id)
    scrubbed: dict[str, int]  # replacements per kind: email, phone, name, secret
    hash: str  # sha256 of the canonical JSON of everything above but the hash

    def summary(self) -> dict[str, Any]:
        """Counts for reports and the CLI."""
        reasons = Counter(q.reason.split(": ")[1] for q in self.quarantined)
        return {
            "week": self.week,
            "hash": self.hash,
            "interactions": len(self.interactions),
            "workflows": len(self.workflows),
            "quarantined": len(self.quarantined),
            "quarantine_reasons": dict(sorted(reasons.items())),
            "scrubbed": self.scrubbed,
            "outcomes": dict(sorted(Counter(i.outcome for i in self.interactions).items())),
        }

    def records(self) -> dict[str, Any]:
        """Everything as plain JSON-ready data (what the hash covers)."""
        return _content(
            self.week, self.interactions, self.workflows, self.quarantined, self.scrubbed
        )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _content(
    week: str,
    interactions: tuple[Interaction, ...],
    workflows: tuple[WorkflowRecord, ...],
    quarantined: tuple[Quarantined, ...],
    scrubbed: dict[str, int],
) -> dict[str, Any]:
    return {
        "week": week,
        "interactions": [asdict(i) for i in interactions],
        "workflows": [asdict(w) for w in workflows],
        "quarantined": [asdict(q) for q in quarantined],
        "scrubbed": scrubbed,
    }


def content_hash(content: dict[str, Any]) -> str:
    """sha256 of canonical JSON (sorted keys, no spaces, UTF-8)."""
    blob = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# -- queries ------------------------------------------------------------------------------------
CONVERSATIONS = text(
    """
    SELECT c.id, c.shop_id, c.request_text, c.existing_workflow_id,
           r.definition AS existing_definition, c.model_version, c.tool_trajectory,
           c.generated_python, c.delivered_definition, c.latency_ms, c.prompt_tokens,
           c.completion_tokens, c.created_at
    FROM conversations c
    LEFT JOIN workflow_revisions r ON r.id = c.existing_revision_id
    WHERE c.created_at >= :start AND c.created_at < :end AND c.trusted
    """
)
# Only rows a trusted credential wrote become training data (`trusted` is true for seeded
# rows and for traffic from tokens issued with --trusted; see flowgen_core/serving/tokens.py).
# Keyed by the window's conversation ids, so it is an index lookup per conversation whatever
# the planner thinks of the feedback table's size.
FEEDBACK = text(
    """
    SELECT f.conversation_id, f.id, f.kind, f.saved_definition, f.created_at
    FROM feedback f
    WHERE f.conversation_id = ANY(:ids) AND f.created_at < :end AND f.trusted
    """
)
WORKFLOWS = text(
    """
    WITH relevant AS (
        SELECT workflow_id FROM workflow_revisions WHERE saved_at >= :start AND saved_at < :end
        UNION
        SELECT workflow_id FROM workflow_run_days WHERE day >= :run_from AND day < :run_to
    ), runs AS (
        SELECT workflow_id, sum(runs) AS runs, sum(failures) AS failures, count(*) AS days
        FROM workflow_run_days WHERE day >= :run_from AND day < :run_to
        GROUP BY workflow_id
    )
    SELECT w.id, w.shop_id, w.descriptor, w.category, w.built_by, w.created_at,
           l.id AS revision_id, l.definition, l.active, l.saved_at,
           coalesce(runs.runs, 0) AS runs, coalesce(runs.failures, 0) AS failures,
           coalesce(runs.days, 0) AS days
    FROM relevant rel
    CROSS JOIN LATERAL (
        SELECT r.id, r.definition, r.active, r.saved_at FROM workflow_revisions r
        WHERE r.workflow_id = rel.workflow_id AND r.saved_at < :end
        ORDER BY r.saved_at DESC, r.id DESC LIMIT 1
    ) l
    JOIN workflows w ON w.id = rel.workflow_id
    LEFT JOIN runs ON runs.workflow_id = rel.workflow_id
    """
)


def _read(conn: Connection, week: IsoWeek) -> tuple[list[Any], list[Any], list[Any]]:
    params = {
        "start": week.start,
        "end": week.end,
        "run_from": (week.end - RUN_LOOKBACK).date(),
        "run_to": week.end.date(),
    }
    conversations = list(conn.execute(CONVERSATIONS, params).all())
    ids = [c.id for c in conversations]
    feedback = list(conn.execute(FEEDBACK, {**params, "ids": ids}).all())
    workflows = list(conn.execute(WORKFLOWS, params).all())
    return conversations, feedback, workflows


def read_window(target: EngineOrUrl, week: IsoWeek) -> tuple[list[Any], list[Any], list[Any]]:
    """The raw rows of the week (conversations, feedback, workflows) from one snapshot."""
    engine = as_engine(target)
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            return _read(conn, week)


# -- assembly -----------------------------------------------------------------------------------
_VERDICTS = ("accepted", "edited", "discarded")


def _assemble(
    week: IsoWeek, conversations: list[Any], feedback: list[Any], workflows: list[Any]
) -> Extraction:
    catalog = load_catalog()
    quarantined: list[Quarantined] = []
    by_conv: dict[str, list[Any]] = defaultdict(list)
    for f in feedback:
        by_conv[f.conversation_id].append(f)

    def problem(fields: dict[str, str | None]) -> str | None:
        for name, value in fields.items():
            if value is not None:
                found = definition_problem(value, catalog)
                if found:
                    return f"{name}: {found}"
        return None

    good_convs = []
    for c in conversations:
        events = sorted(by_conv.get(c.id, []), key=lambda f: (f.created_at, f.id))
        fields = {
            "existing_definition": c.existing_definition,
            "delivered_definition": c.delivered_definition,
        }
        for i, f in enumerate(events):
            fields[f"feedback[{i}].saved_definition"] = f.saved_definition
        reason = problem(fields)
        if reason:
            quarantined.append(Quarantined("conversations", c.id, reason))
        else:
            good_convs.append((c, events))
    good_wfs = []
    for w in workflows:
        reason = problem({"definition": w.definition})
        if reason:
            quarantined.append(Quarantined("workflows", w.id, reason))
        else:
            good_wfs.append(w)

    # Scrub shop by shop in a fixed order so placeholder numbers never depend on read order.
    shops = sorted({c.shop_id for c, _ in good_convs} | {w.shop_id for w in good_wfs})
    wfs_by_shop: dict[str, list[Any]] = defaultdict(list)
    for w in good_wfs:
        wfs_by_shop[w.shop_id].append(w)
    convs_by_shop: dict[str, list[Any]] = defaultdict(list)
    for c, events in good_convs:
        convs_by_shop[c.shop_id].append((c, events))
    totals: Counter[str] = Counter()
    interactions: list[Interaction] = []
    records: list[WorkflowRecord] = []
    for shop in shops:
        scrub = Scrubber()
        for w in sorted(wfs_by_shop[shop], key=lambda w: w.id):
            records.append(_workflow_record(w, week, scrub))
        for c, events in sorted(convs_by_shop[shop], key=lambda x: (x[0].created_at, x[0].id)):
            interactions.append(_interaction(c, events, scrub))
        totals.update(scrub.counts)
    scrubbed = {k: totals.get(k, 0) for k in KINDS}
    inter = tuple(sorted(interactions, key=lambda i: i.id))
    wfs = tuple(sorted(records, key=lambda w: w.id))
    quar = tuple(sorted(quarantined, key=lambda q: (q.table, q.id)))
    digest = content_hash(_content(str(week), inter, wfs, quar, scrubbed))
    return Extraction(
        week=str(week),
        start=_iso(week.start),
        end=_iso(week.end),
        interactions=inter,
        workflows=wfs,
        quarantined=quar,
        scrubbed=scrubbed,
        hash=digest,
    )


def _workflow_record(w: Any, week: IsoWeek, scrub: Scrubber) -> WorkflowRecord:
    return WorkflowRecord(
        id=w.id,
        revision_id=w.revision_id,
        shop_id=w.shop_id,
        descriptor=w.descriptor,
        category=w.category,
        built_by=w.built_by,
        active=bool(w.active),
        created_at=_iso(w.created_at),
        updated_at=_iso(w.saved_at),
        definition=scrub.definition(w.definition),
        runs_7d=int(w.runs),
        failures_7d=int(w.failures),
        run_days_7d=int(w.days),
        changed_in_week=w.saved_at >= week.start,
    )


def _interaction(c: Any, events: list[Any], scrub: Scrubber) -> Interaction:
    request = scrub.text(c.request_text)
    existing = scrub.definition(c.existing_definition) if c.existing_definition else None
    trajectory = scrub.json_value(c.tool_trajectory)
    python = scrub.text(c.generated_python) if c.generated_python is not None else None
    delivered = scrub.definition(c.delivered_definition) if c.delivered_definition else None
    fb = tuple(
        FeedbackEvent(
            kind=f.kind,
            created_at=_iso(f.created_at),
            saved_definition=scrub.definition(f.saved_definition) if f.saved_definition else None,
        )
        for f in events
    )
    verdicts = [f for f in fb if f.kind in _VERDICTS]
    outcome = verdicts[-1].kind if verdicts else "none"
    target = None
    if outcome == "edited":
        target = verdicts[-1].saved_definition
    elif outcome == "accepted":
        target = delivered
    return Interaction(
        id=c.id,
        shop_id=c.shop_id,
        created_at=_iso(c.created_at),
        request=request,
        existing_workflow_id=c.existing_workflow_id,
        existing_definition=existing,
        model_version=c.model_version,
        tool_trajectory=trajectory,
        generated_python=python,
        delivered_definition=delivered,
        latency_ms=int(c.latency_ms),
        prompt_tokens=int(c.prompt_tokens),
        completion_tokens=int(c.completion_tokens),
        feedback=fb,
        outcome=outcome,
        activated=any(f.kind == "activated" for f in fb),
        target_definition=target,
    )


def extract(
    target: EngineOrUrl, week: IsoWeek | str, config: ExtractConfig | None = None
) -> Extraction:
    """Read one ISO week [start, end): interactions and workflows, anonymized and hashed."""
    week = parse_week(week) if isinstance(week, str) else week
    config = config or ExtractConfig()
    started = time.perf_counter()
    for attempt in range(1, config.attempts + 1):
        try:
            rows = read_window(target, week)
            break
        except OperationalError as exc:  # connection dropped, server restarting
            if attempt == config.attempts:
                raise
            wait = config.backoff_s * 2 ** (attempt - 1)
            log.warning(
                "extract %s: connection lost (%s); retry %d/%d in %.1fs",
                week,
                " ".join(str(exc.orig).split())[:120],
                attempt,
                config.attempts - 1,
                wait,
            )
            time.sleep(wait)
    result = _assemble(week, *rows)
    log.info(
        "extract %s: %d interactions, %d workflows, %d quarantined in %.2fs",
        week,
        len(result.interactions),
        len(result.workflows),
        len(result.quarantined),
        time.perf_counter() - started,
    )
    return result
