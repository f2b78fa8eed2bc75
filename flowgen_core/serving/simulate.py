"""Simulated merchants: the demo population asks the running server and reacts to what it gets.

Each simulated request is one need of a demo shop (`flowgen_core.store.seed` draws shops,
patterns, parameters and the merchant's wording the same way): a new workflow, or a change to
one of the shop's workflows. The merchant compares the delivered workflow with the one they
wanted using the structural judge: equivalent -> `accepted`; otherwise `edited` with the wanted
workflow saved, or now and then `discarded`. Requests and reactions are stamped inside the
given week, so the next weekly run's extraction of that week reads them back: the model's own
traffic becomes its next training data.

Everything the merchants do is drawn from (seed, week, request index), so a week simulates
the same needs and the same reactions to the same answers however the requests interleave.

Each simulated shop speaks with a token of its own, issued in the store the server reads for
this run (`simulation`: the requests carry their `at`; `trusted`: the demo's traffic is what
the next weekly run trains on), valid for 12 hours and revoked when the run ends.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import numpy as np

from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.dsl.flowfile import workflow_from_json
from flowgen_core.errors import InvalidInput, UnreadableInput, UsageError
from flowgen_core.evaluation.judge import structural_judge
from flowgen_core.serving import tokens
from flowgen_core.store import patterns as P
from flowgen_core.store.db import EngineOrUrl, as_engine
from flowgen_core.store.seed import (
    SeedConfig,
    _decorate,
    edit_request,
    new_request,
    plan_population,
)
from flowgen_core.weeks import IsoWeek

log = logging.getLogger("flowgen.serving.simulate")


@dataclass(frozen=True)
class SimulateConfig:
    """How many merchants ask, and how they react."""

    requests: int = 40  # requests sent over the week
    seed: int = SeedConfig.seed  # the demo population's seed (same shops as `flowgen db seed`)
    shops: int = SeedConfig.shops  # the demo population's size
    edit_share: float = 0.18  # share of requests that change an existing workflow (as seeded)
    discard_rate: float = 0.2  # share of wrong answers thrown away instead of fixed and saved
    activate_rate: float = 0.5  # share of kept workflows turned on afterwards
    concurrency: int = 4  # requests in flight at once
    timeout_s: float = 600.0  # per request, seconds

    def __post_init__(self) -> None:
        if self.requests < 1 or self.concurrency < 1 or self.shops < 1:
            raise UsageError("--requests, --concurrency and the shop count must be >= 1")
        for name in ("edit_share", "discard_rate", "activate_rate"):
            if not 0 <= getattr(self, name) <= 1:
                raise UsageError(f"simulate {name} must be within [0, 1]")


@dataclass(frozen=True)
class Need:
    """What one merchant wants, and when they ask."""

    index: int
    shop_id: str
    request: str
    existing: dict[str, Any] | None  # the workflow to change (platform JSON), if any
    wanted: dict[str, Any]  # the workflow the merchant has in mind (platform JSON)
    at: datetime


@dataclass
class SimulationReport:
    """What a simulated week sent and got back."""

    week: str
    url: str
    requests: int
    answered: int = 0
    errors: list[str] = field(default_factory=list)  # one line per failed request
    syntactic_ok: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # accepted | edited | discarded
    activated: int = 0
    model_versions: dict[str, int] = field(default_factory=dict)
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    seconds: float = 0.0
    conversation_ids: list[str] = field(default_factory=list)

    @property
    def acceptance_rate(self) -> float:
        """Accepted answers over answered requests."""
        return self.outcomes.get("accepted", 0) / self.answered if self.answered else 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (conversation ids left out: they are in the store)."""
        out = asdict(self)
        out.pop("conversation_ids")
        out["acceptance_rate"] = round(self.acceptance_rate, 4)
        out["syntactic_rate"] = round(self.syntactic_ok / self.answered, 4) if self.answered else 0
        return out


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def window(week: IsoWeek, now: datetime | None = None) -> tuple[datetime, datetime]:
    """[start, end) of the week in which simulated merchants ask: up to now, an hour to spare."""
    now = now or datetime.now(UTC)
    end = min(week.end, now) - timedelta(hours=1)
    if end <= week.start:
        raise UsageError(f"--week {week}: it has not started yet (or began less than an hour ago)")
    return week.start, end


def needs(week: IsoWeek, config: SimulateConfig, now: datetime | None = None) -> list[Need]:
    """The week's requests, drawn from the demo population (deterministic in seed and week)."""
    start, end = window(week, now)
    shops = plan_population(config.seed, config.shops, week)
    weights = [s.chattiness for s in shops]
    rng = _rng(config.seed, "simulate", week)
    span = (end - start).total_seconds()
    times = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(config.requests))
    out = []
    for i, at in enumerate(times):
        shop = rng.choices(shops, weights=weights)[0]
        targets = [w for w in shop.workflows if w.bad is None and P.editable(w.params)]
        existing = None
        if targets and rng.random() < config.edit_share:
            chosen = rng.choice(targets)
            edit = P.propose_edit(chosen.params, rng, shop.persona)
            assert edit is not None  # editable() promised something to change
            pattern, params = chosen.pattern, edit.params
            core = edit_request(pattern, edit, rng)
            existing = json.loads(chosen.definition)
        else:
            pattern = P.pick_pattern(rng)
            params = pattern.params(rng, shop.persona)
            core, _ = new_request(pattern, params, rng)
        wanted = json.loads(P.instantiate(pattern, params, rng))
        request = _decorate(core, rng, shop.persona)
        out.append(Need(i, shop.id, request, existing, wanted, at.replace(microsecond=0)))
    return out


def react(
    need: Need, delivered: dict[str, Any] | None, config: SimulateConfig, catalog: Catalog
) -> list[tuple[str, dict[str, Any] | None]]:
    """The merchant's reactions, in order: (kind, saved definition)."""
    rng = _rng(config.seed, "react", need.at.isoformat(), need.index)
    if delivered is not None:
        verdict = structural_judge(
            workflow_from_json(need.wanted), workflow_from_json(delivered), catalog
        )
        if verdict.equivalent:
            first: tuple[str, dict[str, Any] | None] = ("accepted", None)
        else:
            first = ("edited", need.wanted)
    else:
        first = ("edited", need.wanted)  # nothing usable came back: built by hand in the editor
    if rng.random() < config.discard_rate and first[0] == "edited":
        return [("discarded", None)]
    if rng.random() < config.activate_rate:
        return [first, ("activated", None)]
    return [first]


@dataclass(frozen=True)
class _Outcome:
    need: Need
    answer: dict[str, Any] | None  # the /v1/workflows answer; None on error
    error: str | None
    reactions: tuple[str, ...]


TOKEN_LIFETIME = timedelta(hours=12)  # a run that dies leaves no long-lived credential


def simulate(
    url: str,
    week: IsoWeek,
    config: SimulateConfig,
    catalog: Catalog | None = None,
    *,
    db: EngineOrUrl | Callable[[], EngineOrUrl],
) -> SimulationReport:
    """Send the week's requests to the server at `url` and give feedback on every answer.

    `db`: the store the server checks tokens in (or a function giving it, called once a server
    answers at `url`); each shop gets a simulation token there for the run (revoked at the end).
    """
    catalog = catalog or load_catalog()
    todo = needs(week, config)
    _, end = window(week)
    t0 = time.perf_counter()
    with httpx.Client(base_url=url.rstrip("/"), timeout=config.timeout_s) as client:
        try:
            client.get("/health").raise_for_status()
        except httpx.HTTPError as exc:
            raise UnreadableInput(f"--url {url}: no flowgen server answers there ({exc})") from None
        engine = as_engine(db() if callable(db) else db)
        issued = {
            shop: tokens.create(
                engine,
                shop,
                simulation=True,
                trusted=True,
                note=f"flowgen simulate {week}",
                expires_in=TOKEN_LIFETIME,
            )
            for shop in sorted({n.shop_id for n in todo})
        }
        try:
            outcomes = _run(client, todo, issued, end, config, catalog)
        finally:
            for credential in issued.values():
                tokens.revoke(engine, credential.principal.token_id)
    report = summarize(week, url, outcomes)
    report.seconds = round(time.perf_counter() - t0, 2)
    return report


def _run(
    client: httpx.Client,
    todo: list[Need],
    issued: dict[str, tokens.Issued],
    end: datetime,
    config: SimulateConfig,
    catalog: Catalog,
) -> list[_Outcome]:
    """Every need through the server, `concurrency` at a time."""

    def one(need: Need) -> _Outcome:
        body: dict[str, Any] = {
            "request": need.request,
            "shop_id": need.shop_id,
            "at": need.at.isoformat(),
        }
        if need.existing is not None:
            body["existing_workflow"] = need.existing
        auth = {"Authorization": f"Bearer {issued[need.shop_id].token}"}
        try:
            r = client.post("/v1/workflows", json=body, headers=auth)
        except httpx.HTTPError as exc:
            return _Outcome(need, None, f"request {need.index}: {type(exc).__name__}", ())
        if r.status_code != 200:
            error = f"request {need.index}: HTTP {r.status_code}: {r.text[:200]}"
            return _Outcome(need, None, error, ())
        answer = r.json()
        at = need.at
        kinds = []
        for kind, saved in react(need, answer["workflow"], config, catalog):
            at = min(at + timedelta(minutes=_rng(need.index, kind).uniform(1, 30)), end)
            f = client.post(
                "/v1/feedback",
                json={
                    "conversation_id": answer["conversation_id"],
                    "kind": kind,
                    "saved_definition": saved,
                    "at": at.isoformat(),
                },
                headers=auth,
            )
            if f.status_code != 200:
                raise InvalidInput(f"feedback refused: HTTP {f.status_code}: {f.text[:200]}")
            kinds.append(kind)
        return _Outcome(need, answer, None, tuple(kinds))

    with ThreadPoolExecutor(config.concurrency) as pool:
        outcomes = []
        for outcome in pool.map(one, todo):
            outcomes.append(outcome)
            if len(outcomes) % 10 == 0:
                log.info("simulated %d/%d requests", len(outcomes), len(todo))
    return outcomes


def summarize(week: IsoWeek, url: str, outcomes: list[_Outcome]) -> SimulationReport:
    """Counts, rates and latency percentiles over the simulated requests."""
    report = SimulationReport(week=str(week), url=url, requests=len(outcomes))
    latencies = []
    for o in outcomes:
        if o.answer is None:
            report.errors.append(o.error or "no answer")
            continue
        report.answered += 1
        report.syntactic_ok += bool(o.answer["syntactic_ok"])
        version = o.answer["model_version"]
        report.model_versions[version] = report.model_versions.get(version, 0) + 1
        report.conversation_ids.append(o.answer["conversation_id"])
        latencies.append(o.answer["latency_ms"])
        for kind in o.reactions:
            if kind == "activated":
                report.activated += 1
            else:
                report.outcomes[kind] = report.outcomes.get(kind, 0) + 1
    if latencies:
        report.latency_p50_ms = float(np.percentile(latencies, 50))
        report.latency_p95_ms = float(np.percentile(latencies, 95))
    return report
