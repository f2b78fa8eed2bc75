"""A deterministic synthetic merchant population for the embedded demo.

What it writes: shops with workflows built from `patterns` (skewed popularity, varied
parameters), run histories (some workflows never run, some went stale), and weeks of agent
conversations with merchant feedback whose rates depend on the kind of request, including
requests to edit an existing workflow. A small share of rows is bad on purpose (a definition
that is not JSON, has the wrong shape, or names an unknown task) so quarantine is exercised.

Determinism: a shop's plan comes from (seed, shop index), a week's runs and conversations from
(seed, week) plus the database as it was before that week. Weeks are only appended, so adding
weeks later never changes an earlier week's rows.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import random
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine, text

from flowgen_core.catalog.model import load_catalog
from flowgen_core.errors import UsageError
from flowgen_core.store import patterns as P
from flowgen_core.store.db import EngineOrUrl, as_engine
from flowgen_core.store.migrate import upgrade
from flowgen_core.weeks import IsoWeek, last_complete_week, parse_week, week_range

log = logging.getLogger("flowgen.store.seed")

BAD_TASK_ID = "shopify::admin::teleport_order"
BAD_KINDS = ("not_json", "wrong_shape", "unknown_task")


@dataclass(frozen=True)
class SeedConfig:
    """What population to write."""

    # number of shops (20000 works; about 4 workflows each). 400 gives the tiny demo model a
    # week of ~370 training examples (60 gave ~100, too few to learn the format); seeding it
    # takes ~2 s and the data build ~9 s.
    shops: int = 400
    weeks: int = 4  # weeks of conversations and runs, ending with end_week
    end_week: IsoWeek | None = None  # newest week to write; None: the last complete week
    seed: int = 7  # the population and every week derive from it
    conversations_per_shop_week: float = 1.2  # mean requests per shop per week

    def __post_init__(self) -> None:
        if self.shops < 1:
            raise UsageError(f"--shops {self.shops}: must be at least 1")
        if not 1 <= self.weeks <= 520:
            raise UsageError(f"--weeks {self.weeks}: must be between 1 and 520")

    @property
    def resolved_end(self) -> IsoWeek:
        """The newest week to write."""
        return self.end_week or last_complete_week()


@dataclass(frozen=True)
class SeedReport:
    """What one seed call wrote."""

    weeks_written: tuple[str, ...]
    weeks_skipped: tuple[str, ...]
    rows: dict[str, int]
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "weeks_written": list(self.weeks_written),
            "weeks_skipped": list(self.weeks_skipped),
            "rows": self.rows,
            "seconds": round(self.seconds, 2),
        }


# -- deterministic keys ------------------------------------------------------------------------
def _key(*parts: object) -> int:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _uid(*parts: object) -> str:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def _ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


# -- the population ----------------------------------------------------------------------------
@dataclass
class PlannedWorkflow:
    """A workflow of the population and how it runs."""

    id: str
    revision_id: str
    pattern: P.Pattern
    params: dict[str, Any]
    definition: str
    bad: str | None  # one of BAD_KINDS for a deliberately bad row
    built_by: str
    active: bool
    created_at: datetime
    profile: str  # never | stale | regular
    daily_rate: float  # mean runs per day while running
    stale_after: datetime | None  # no runs after this time (stale profile)


@dataclass
class PlannedShop:
    """A shop of the population."""

    index: int
    id: str
    persona: P.Persona
    created_at: datetime
    chattiness: float  # relative rate of requests to the agent
    workflows: list[PlannedWorkflow] = field(default_factory=list)


def _bad_definition(kind: str, good: str) -> str:
    if kind == "not_json":
        return good[: len(good) // 2]  # a truncated write
    if kind == "wrong_shape":
        doc = json.loads(good)
        return json.dumps({"__metadata": doc["__metadata"], "root": {"steps": {}, "links": None}})
    doc = json.loads(good)
    doc["root"]["steps"][-1]["task_id"] = BAD_TASK_ID
    return P.compact(doc)


def plan_shop(seed: int, index: int, anchor: IsoWeek) -> PlannedShop:
    """The shop at `index`: persona, workflows and run profiles, from (seed, index) only."""
    rng = random.Random(_key(seed, "shop", index))
    shop_id = "shop_" + hashlib.sha256(f"{seed}:shop:{index}".encode()).hexdigest()[:12]
    created = anchor.start - timedelta(days=rng.uniform(60, 900))
    shop = PlannedShop(
        index=index,
        id=shop_id,
        persona=P.make_persona(rng),
        created_at=_ms(created),
        chattiness=rng.lognormvariate(0, 0.8),
    )
    count = min(12, 1 + int(rng.paretovariate(1.3)))
    seen: set[str] = set()
    for j in range(count):
        pattern = P.pick_pattern(rng)
        if pattern.descriptor in seen:  # merchants rarely build the same thing twice
            pattern = P.pick_pattern(rng)
        seen.add(pattern.descriptor)
        params = pattern.params(rng, shop.persona)
        definition = P.instantiate(pattern, params, rng)
        wf_created = _ms(created + (anchor.start - created) * rng.uniform(0.05, 0.98))
        bad = BAD_KINDS[(index // 17) % 3] if j == 0 and index % 17 == 5 else None
        profile = rng.choices(("never", "stale", "regular"), weights=(12, 15, 73))[0]
        if bad:
            profile = "regular"  # bad rows must show up in extractions
        rate = min(60.0, rng.lognormvariate(0.0, 1.4))
        stale_after = None
        if profile == "stale":
            stale_after = _ms(anchor.start + timedelta(days=rng.uniform(-40, 28)))
        shop.workflows.append(
            PlannedWorkflow(
                id=_uid(seed, "wf", index, j),
                revision_id=_uid(seed, "rev", index, j, 0),
                pattern=pattern,
                params=params,
                definition=_bad_definition(bad, definition) if bad else definition,
                bad=bad,
                built_by="agent" if rng.random() < 0.2 else "merchant",
                active=bad is not None or rng.random() < 0.85,
                created_at=wf_created,
                profile=profile,
                daily_rate=rate,
                stale_after=stale_after,
            )
        )
    return shop


def plan_population(seed: int, shops: int, anchor: IsoWeek) -> list[PlannedShop]:
    """Every shop of the population."""
    return [plan_shop(seed, i, anchor) for i in range(shops)]


# -- request text --------------------------------------------------------------------------------
_OPENERS = ("", "", "", "hi, ", "hey can you ", "pls ", "Hello! ", "quick one: ", "I need to ")
_CLOSERS = ("", "", "", " thanks!", " thx", ". Thank you", " asap", "?")


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    k = rng.randrange(1, len(w) - 1)
    how = rng.randrange(3)
    if how == 0:
        w = w[: k - 1] + w[k] + w[k - 1] + w[k + 1 :]
    elif how == 1:
        w = w[:k] + w[k + 1 :]
    else:
        w = w[:k] + w[k] + w[k:]
    words[i] = w
    return " ".join(words)


def _decorate(core: str, rng: random.Random, persona: P.Persona) -> str:
    opener = rng.choice(_OPENERS)
    text = opener + (core[0].lower() + core[1:] if opener else core) + rng.choice(_CLOSERS)
    if rng.random() < 0.25:
        text = _typo(text, rng)
    if rng.random() < 0.1:
        text = _typo(text, rng)
    if rng.random() < 0.3:
        text = text.lower()
    if rng.random() < 0.08:
        text += f" - {persona.owner}"
    if rng.random() < 0.05:
        text += f". call me on {persona.phone} if anything is unclear"
    return text


def new_request(pattern: P.Pattern, params: dict[str, Any], rng: random.Random) -> tuple[str, bool]:
    """The core of a request for a new workflow; True when it leaves details out."""
    vague = rng.random() < 0.2
    template = rng.choice(pattern.vague if vague else pattern.phrasings)
    return template.format(**P.slots(params)), vague


def edit_request(pattern: P.Pattern, edit: P.Edit, rng: random.Random) -> str:
    """The core of a request that changes an existing workflow."""
    what = pattern.title.lower()
    return rng.choice(
        (
            f"on my '{pattern.title}' workflow, {edit.phrase}",
            f"{edit.phrase} in the {what} flow",
            f"Edit the {what} workflow: {edit.phrase}",
            f"for the existing {what} automation {edit.phrase}",
        )
    )


# -- what the agent logged -----------------------------------------------------------------------
def render_python(payload: str) -> str:
    """A stand-in for the model's Python output, as logged with the conversation.

    The demo does not run the model; this text only has the shape of a program. Nothing
    downstream should parse it: the delivered definition is the source of truth.
    """
    root = json.loads(payload)["root"]
    names = {s["step_id"]: f"s{i}" for i, s in enumerate(root["steps"])}
    lines = [f"wf = Workflow({root['workflow_name']!r})"]
    for s in root["steps"]:
        fn = s["task_id"].rsplit("::", 1)[1]
        args = ", ".join(f"{v['config_field_id']}={v['value']!r}" for v in s["config_field_values"])
        lines.append(f"{names[s['step_id']]} = wf.add({fn}({args}))")
    for link in root["links"]:
        a, b = names[link["from_step_id"]], names[link["to_step_id"]]
        lines.append(f"wf.link({a}, {link['from_port_id']!r}, {b})")
    return "\n".join(lines) + "\n"


def trajectory(payload: str, rng: random.Random) -> list[dict[str, Any]]:
    """The tool calls the agent made: searches by task label, then one configuration call."""
    catalog = load_catalog()
    steps = json.loads(payload)["root"]["steps"]
    ids = [s["task_id"] for s in steps if s["task_type"] != "CONDITION"]
    calls: list[dict[str, Any]] = []
    for task_id in ids:
        task = catalog.get(task_id)
        query = task.label.lower() if task else task_id.rsplit("::", 1)[1].replace("_", " ")
        if rng.random() < 0.3:
            query = " ".join(query.split()[:2])
        calls.append(
            {"tool": "task_search", "arguments": {"query": query}, "results": rng.randint(3, 40)}
        )
    calls.append({"tool": "task_configuration", "arguments": {"task_ids": sorted(set(ids))}})
    return calls


# -- feedback rates ------------------------------------------------------------------------------
def outcome_weights(kinds: frozenset[str], editing: bool, two_intents: bool) -> dict[str, float]:
    """Chances of accepted / edited / discarded / no answer for a kind of request.

    Emails and complex conditions fail more often, as they did in the field.
    """
    discard, edit = 0.10, 0.12
    if "email" in kinds:
        discard, edit = discard + 0.15, edit + 0.10
    if "complex" in kinds:
        discard, edit = discard + 0.10, edit + 0.08
    if editing:
        discard, edit = discard + 0.05, edit + 0.05
    if two_intents:
        discard += 0.15
    silent = 0.05
    return {
        "accepted": max(0.05, 1 - discard - edit - silent),
        "edited": edit,
        "discarded": discard,
        "none": silent,
    }


# -- writing -------------------------------------------------------------------------------------
COLUMNS = {
    "shops": ("id", "created_at"),
    "workflows": ("id", "shop_id", "descriptor", "category", "built_by", "created_at"),
    "workflow_revisions": ("id", "workflow_id", "definition", "active", "saved_at"),
    "workflow_run_days": ("workflow_id", "day", "runs", "failures"),
    "conversations": (
        "id",
        "shop_id",
        "request_text",
        "existing_workflow_id",
        "existing_revision_id",
        "model_version",
        "tool_trajectory",
        "generated_python",
        "delivered_definition",
        "latency_ms",
        "prompt_tokens",
        "completion_tokens",
        "created_at",
    ),
    "feedback": ("id", "conversation_id", "kind", "saved_definition", "created_at"),
}
# Parents before children, so foreign keys hold at every COPY.
TABLE_ORDER = tuple(COLUMNS)


def copy_rows(raw_conn: Any, table: str, rows: Sequence[Sequence[Any]]) -> None:
    """Write rows with COPY on a psycopg connection (the caller owns the transaction)."""
    if not rows:
        return
    cols = ", ".join(COLUMNS[table])
    with raw_conn.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _write(engine: Engine, batches: dict[str, list[tuple]], marker: tuple | None, what: str) -> int:
    started = time.perf_counter()
    total = sum(len(v) for v in batches.values())
    raw = engine.raw_connection()
    conn = raw.driver_connection  # the psycopg connection, for COPY
    assert conn is not None
    try:
        for table in TABLE_ORDER:
            copy_rows(conn, table, batches.get(table, []))
        if marker is not None:
            with conn.cursor() as cur:
                cur.execute(
                    "INSERT INTO seed_weeks (week, seed, shops, anchor_week, rows, created_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    marker,
                )
        raw.commit()
    except Exception:
        raw.rollback()
        raise
    finally:
        raw.close()
    seconds = max(time.perf_counter() - started, 1e-6)
    log.info("%s: %d rows in %.1fs (%.0f rows/s)", what, total, seconds, total / seconds)
    return total


def population_rows(shops: Iterable[PlannedShop]) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {"shops": [], "workflows": [], "workflow_revisions": []}
    for shop in shops:
        out["shops"].append((shop.id, shop.created_at))
        for wf in shop.workflows:
            p = wf.pattern
            out["workflows"].append(
                (wf.id, shop.id, p.descriptor, p.category, wf.built_by, wf.created_at)
            )
            out["workflow_revisions"].append(
                (wf.revision_id, wf.id, wf.definition, wf.active, wf.created_at)
            )
    return out


def run_rows(seed: int, week: IsoWeek, shops: list[PlannedShop]) -> list[tuple]:
    workflows = [wf for shop in shops for wf in shop.workflows]
    if not workflows:
        return []
    gen = np.random.default_rng([seed, week.year, week.week, 1])
    rates = np.array([wf.daily_rate for wf in workflows])
    runs = gen.poisson(rates[:, None], size=(len(workflows), 7))
    fail = gen.binomial(runs, 0.03)
    rows = []
    for i, wf in enumerate(workflows):
        if wf.profile == "never" or not wf.active:
            continue
        for d, day in enumerate(week.days()):
            start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
            if start < wf.created_at or (wf.stale_after is not None and start > wf.stale_after):
                continue
            if runs[i, d] > 0:
                rows.append((wf.id, day, int(runs[i, d]), int(fail[i, d])))
    return rows


def _edited_before(engine: Engine) -> set[str]:
    """Workflows that already have a revision after their first one (edited earlier)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT workflow_id FROM workflow_revisions GROUP BY workflow_id HAVING count(*) > 1"
            )
        )
        return {r[0] for r in rows}


def week_rows(
    seed: int, week: IsoWeek, shops: list[PlannedShop], edited: set[str], rate: float
) -> dict[str, list[tuple]]:
    rng = random.Random(_key(seed, "week", week))
    gen = np.random.default_rng([seed, week.year, week.week, 2])
    counts = gen.poisson([rate * s.chattiness for s in shops])
    out: dict[str, list[tuple]] = {t: [] for t in ("workflows", "workflow_revisions")}
    out["conversations"], out["feedback"] = [], []
    model_version = f"flowgen-qwen3-32b-{week.shift(-1)}"
    for shop, n in zip(shops, counts, strict=True):
        for k in range(int(n)):
            _conversation(seed, week, shop, k, rng, edited, model_version, out)
    return out


def _conversation(
    seed: int,
    week: IsoWeek,
    shop: PlannedShop,
    k: int,
    rng: random.Random,
    edited: set[str],
    model_version: str,
    out: dict[str, list[tuple]],
) -> None:
    conv_id = _uid(seed, "conv", week, shop.index, k)
    created = _ms(week.start + timedelta(seconds=rng.uniform(0, 7 * 86400)))
    targets = [
        wf
        for wf in shop.workflows
        if wf.bad is None and wf.id not in edited and P.editable(wf.params)
    ]
    existing: PlannedWorkflow | None = None
    two_intents = False
    if targets and rng.random() < 0.18:
        existing = rng.choice(targets)
        edit = P.propose_edit(existing.params, rng, shop.persona)
        assert edit is not None
        pattern, target = existing.pattern, edit.params
        core = edit_request(pattern, edit, rng)
        kinds = pattern.kinds | (frozenset({"email"}) if edit.kind == "email" else frozenset())
        edited.add(existing.id)
    else:
        pattern = P.pick_pattern(rng)
        target = pattern.params(rng, shop.persona)
        core, _ = new_request(pattern, target, rng)
        kinds = pattern.kinds
        if rng.random() < 0.08:
            other = P.pick_pattern(rng)
            extra, _ = new_request(other, other.params(rng, shop.persona), rng)
            joiner = rng.choice((" and also ", ". Also ", " + ", ", oh and "))
            core = core + joiner + extra[0].lower() + extra[1:]
            two_intents = True
    request = _decorate(core, rng, shop.persona)
    weights = outcome_weights(kinds, existing is not None, two_intents)
    outcome = rng.choices(list(weights), weights=list(weights.values()))[0]

    target_def = P.instantiate(pattern, target, rng)
    wrong = P.propose_edit(target, rng, shop.persona)
    delivered: str | None = target_def
    if outcome == "edited" or (outcome == "discarded" and rng.random() < 0.6):
        delivered = P.instantiate(pattern, wrong.params, rng) if wrong else target_def
    elif outcome == "discarded":
        delivered = None
    python = render_python(delivered) if delivered is not None else None
    if delivered is not None and rng.random() < 0.01:
        delivered = delivered[: len(delivered) // 3]  # a logging bug truncated the payload
    complex_ = "complex" in kinds
    latency = int(rng.lognormvariate(math.log(14000 if complex_ else 9000), 0.35))
    out["conversations"].append(
        (
            conv_id,
            shop.id,
            request,
            existing.id if existing else None,
            existing.revision_id if existing else None,
            model_version,
            json.dumps(trajectory(target_def, rng)),
            python,
            delivered,
            latency,
            rng.randint(2500, 6500),
            rng.randint(180, 900 if complex_ else 600),
            created,
        )
    )
    if outcome == "none":
        return
    at = _ms(created + timedelta(minutes=rng.uniform(0.5, 30)))
    if outcome == "discarded":
        out["feedback"].append((_uid(conv_id, "discarded"), conv_id, "discarded", None, at))
        return
    saved = target_def if outcome == "edited" else None
    out["feedback"].append((_uid(conv_id, outcome), conv_id, outcome, saved, at))
    activated_at = None
    if rng.random() < 0.6:
        activated_at = _ms(at + timedelta(minutes=rng.uniform(1, 240)))
        out["feedback"].append(
            (_uid(conv_id, "activated"), conv_id, "activated", None, activated_at)
        )
    # What the platform stored when the merchant saved: a new workflow or a new revision.
    if existing is None:
        wf_id = _uid(conv_id, "workflow")
        out["workflows"].append((wf_id, shop.id, pattern.descriptor, pattern.category, "agent", at))
        active = False
    else:
        wf_id, active = existing.id, existing.active
    out["workflow_revisions"].append((_uid(conv_id, "rev", 0), wf_id, target_def, active, at))
    if activated_at is not None and not active:
        out["workflow_revisions"].append(
            (_uid(conv_id, "rev", 1), wf_id, target_def, True, activated_at)
        )


# -- entry point ---------------------------------------------------------------------------------
def seed(target: EngineOrUrl, config: SeedConfig) -> SeedReport:
    """Write the population (once) and every missing week of the requested range."""
    started = time.perf_counter()
    engine = as_engine(target)
    upgrade(engine)
    weeks = week_range(config.resolved_end, config.weeks)
    with engine.connect() as conn:
        existing = {
            r.week: r
            for r in conn.execute(text("SELECT week, seed, shops, anchor_week FROM seed_weeks"))
        }
        has_shops = conn.execute(text("SELECT EXISTS (SELECT 1 FROM shops)")).scalar_one()
    if existing:
        first = next(iter(existing.values()))
        if (first.seed, first.shops) != (config.seed, config.shops):
            raise UsageError(
                f"the database holds seed {first.seed} with {first.shops} shops; "
                f"--seed {config.seed} --shops {config.shops} needs a fresh database"
            )
        anchor = parse_week(first.anchor_week)
    elif has_shops:
        raise UsageError("the database already holds shops that the seeder did not write")
    else:
        anchor = weeks[0]
    todo = [w for w in weeks if str(w) not in existing]
    newest = max((parse_week(w) for w in existing), default=None)
    if newest is not None and any(w < newest for w in todo):
        raise UsageError(
            f"weeks can only be added after {newest}, the newest seeded week; "
            f"use --end-week later than {newest}"
        )
    if newest is None and todo and todo[0] < anchor:
        raise UsageError(f"week {todo[0]} is before the population's first week {anchor}")
    t0 = time.perf_counter()
    shops = plan_population(config.seed, config.shops, anchor)
    log.info("planned %d shops in %.1fs", len(shops), time.perf_counter() - t0)
    rows: dict[str, int] = dict.fromkeys(TABLE_ORDER, 0)
    if not existing:
        batches = population_rows(shops)
        _write(engine, batches, None, "population")
        for table, batch in batches.items():
            rows[table] += len(batch)
    for week in todo:
        t0 = time.perf_counter()
        batches = week_rows(
            config.seed, week, shops, _edited_before(engine), config.conversations_per_shop_week
        )
        batches["workflow_run_days"] = run_rows(config.seed, week, shops)
        total = sum(len(b) for b in batches.values())
        log.info("generated week %s: %d rows in %.1fs", week, total, time.perf_counter() - t0)
        marker = (str(week), config.seed, config.shops, str(anchor), total, datetime.now(UTC))
        _write(engine, batches, marker, f"week {week}")
        for table, batch in batches.items():
            rows[table] += len(batch)
    return SeedReport(
        weeks_written=tuple(str(w) for w in todo),
        weeks_skipped=tuple(str(w) for w in weeks if str(w) in existing),
        rows=rows,
        seconds=time.perf_counter() - started,
    )
