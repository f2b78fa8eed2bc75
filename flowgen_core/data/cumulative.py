"""Cumulative training sets: week W's dataset from the curated examples of every week up to W.

    weeks in the window --extract--> Extraction --week_set (cached by extraction hash)--> WeekSet
    WeekSets, oldest first --merge--> splits + held-out --checks--> datasets/<hash>

- The window: from the earliest week with data in the store (`earliest_week`: the first
  conversation or workflow run, two MIN() lookups on indexed columns) to W, or the last
  `window_weeks` of those weeks (0 = all). Weeks before the store's first data hold nothing.
- `week_set`: one week's synthetic and real sets (build.py), their rows checked against the
  interface (`check_rows`), stored as JSON under `data/weeks/<extraction hash>/<key>.json` in
  the artifact store, keyed by what they depend on (config, teacher, interface version). A
  past week's extraction is fixed by design (store/extract.py), so each week is built once and
  a rebuild of W costs one new week of work. Given the database's `source_id`, a past week
  already built is found by week (`data/weeks/index/<source>/<week>.json` names its
  extraction hash, written once the week has ended) and not even extracted again.
- `merge`: newest week first. One example per origin (a real conversation, a synthetic
  workflow): a merchant's edit supersedes the model's delivered answer for the same
  conversation, otherwise the newest week's example wins. Then one example per normalized
  request and workflow (near duplicates included, as within a week): the newest wins. Shops
  split by hash exactly as within a week, so a shop never changes side between weeks.
  Training drops any example whose normalized request is a held-out traffic case's of any
  week of the window; `heldout.jsonl` (the traffic suite) is W's own held-out cases, so each
  week is evaluated on its newest traffic.
- Checks on the merged set: shops, duplicates, contamination (benchmark and held-out
  traffic) and token parity (`parity_samples` rows, whatever the history's size); the
  per-row interface check ran when each week was built.
- The manifest lists the weeks and extraction hashes the set came from; the dataset hash
  covers them with the rows, so the same weeks, config and teacher always give the same hash
  and a backfill of W builds what the weekly run of W built.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from flowgen_core.agent.interface import INTERFACE_VERSION
from flowgen_core.artifacts import ArtifactStore
from flowgen_core.catalog.model import Catalog
from flowgen_core.data.build import (
    SPLITS,
    Dataset,
    SetResult,
    build_report,
    content_hash,
    dataset_content,
    log_report,
    near_duplicate,
    real_set,
    split_of,
    store_dataset,
    synthetic_set,
)
from flowgen_core.data.checks import (
    check_contamination,
    check_duplicates,
    check_parity,
    check_rows,
    check_shops,
)
from flowgen_core.data.examples import DataConfig, Example, HeldoutCase, normalize_request
from flowgen_core.data.teacher import Teacher
from flowgen_core.errors import InvalidInput
from flowgen_core.settings import Settings
from flowgen_core.store.db import EngineOrUrl, as_engine
from flowgen_core.store.extract import Extraction
from flowgen_core.weeks import IsoWeek, parse_week, week_of

log = logging.getLogger("flowgen.data.cumulative")

WEEK_SETS = "data/weeks"  # artifact-store prefix of the per-week example caches


@dataclass(frozen=True)
class WeekSet:
    """One week's curated examples, as built once and cached by its extraction hash."""

    week: str
    extraction_hash: str
    synthetic: SetResult
    real: SetResult
    cached: bool = False  # True when read back from the artifact store
    seconds: float = 0.0  # time to build (or read back)


# -- the window ----------------------------------------------------------------------------------
# Both columns are indexed (ix_conversations_created_at, ix_workflow_run_days_day), so each
# MIN() reads one index entry whatever the tables' size.
EARLIEST = text(
    "SELECT (SELECT min(created_at) FROM conversations), (SELECT min(day) FROM workflow_run_days)"
)


def earliest_week(target: EngineOrUrl) -> str | None:
    """The first ISO week with a conversation or a workflow run in the store; None if empty."""
    with as_engine(target).connect() as conn:
        row = conn.execute(EARLIEST).one()
    found = [week_of(moment) for moment in row if moment is not None]
    return str(min(found)) if found else None


def window(week: str, first: str | None, window_weeks: int = 0) -> list[str]:
    """The weeks W's set is built from, oldest first: `first`..W, at most `window_weeks` of them."""
    if window_weeks < 0:
        raise ValueError("data window_weeks must be >= 0 (0 = all weeks)")
    last = parse_week(week)
    start: IsoWeek = parse_week(first) if first else last
    if window_weeks:
        start = max(start, last.shift(1 - window_weeks))
    start = min(start, last)  # W itself is always in its own window
    out = []
    while start <= last:
        out.append(str(start))
        start = start.shift(1)
    return out


# -- one week, built once ------------------------------------------------------------------------
def week_key(extraction_hash: str, config: DataConfig, teacher: str) -> str:
    """Artifact-store key of a week's cached examples: what the sets depend on, and only that."""
    # the parity check's tokenizer and sample count shape the merge's checks, not the examples
    shaping = {
        k: v for k, v in asdict(config).items() if k not in ("tokenizer_dir", "parity_samples")
    }
    body = json.dumps([shaping, teacher, INTERFACE_VERSION], sort_keys=True)
    digest = hashlib.sha256(body.encode()).hexdigest()[:24]
    return f"{WEEK_SETS}/{extraction_hash}/{digest}.json"


def _set_from(data: dict[str, Any]) -> SetResult:
    return SetResult(
        source=data["source"],
        examples=tuple(Example(**e) for e in data["examples"]),
        heldout=tuple(HeldoutCase(**h) for h in data["heldout"]),
        counts=dict(data["counts"]),
        quarantined=tuple((i, r) for i, r in data["quarantined"]),
        discarded=tuple(data["discarded"]),
        teacher=data["teacher"],
    )


def _read_week(
    week: str, extraction_hash: str, key: str, store: ArtifactStore, began: float
) -> WeekSet:
    with tempfile.TemporaryDirectory() as tmp:
        data = json.loads(store.get_file(key, Path(tmp) / "week.json").read_text("utf-8"))
    log.info("week %s: examples cached (%s)", week, extraction_hash[:12])
    return WeekSet(
        week,
        extraction_hash,
        _set_from(data["synthetic"]),
        _set_from(data["real"]),
        cached=True,
        seconds=round(time.perf_counter() - began, 3),
    )


def week_set(
    extraction: Extraction,
    catalog: Catalog,
    teacher: Teacher,
    config: DataConfig,
    store: ArtifactStore,
) -> WeekSet:
    """A week's synthetic and real sets: read from the store, or built, checked and stored."""
    began = time.perf_counter()
    key = week_key(extraction.hash, config, teacher.name)
    if store.exists(key):
        return _read_week(extraction.week, extraction.hash, key, store, began)
    synthetic = synthetic_set(extraction, catalog, teacher, config)
    real = real_set(extraction, catalog, config)
    # the per-row interface check runs here, once per week, so a merge never repeats it
    check_rows({"week": [*synthetic.examples, *real.examples]}, catalog)
    blob: dict[str, Any] = {"week": extraction.week, "extraction_hash": extraction.hash}
    blob |= {"synthetic": asdict(synthetic), "real": asdict(real)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "week.json"
        # key order kept: the filter counts are in filter order
        path.write_text(json.dumps(blob, ensure_ascii=False), "utf-8")
        store.put_file(path, key)
    seconds = round(time.perf_counter() - began, 3)
    log.info(
        "week %s: examples built in %.1fs (%s)", extraction.week, seconds, extraction.hash[:12]
    )
    return WeekSet(extraction.week, extraction.hash, synthetic, real, seconds=seconds)


# -- the merge -----------------------------------------------------------------------------------
def origin(example: Example, week: str) -> str:
    """What an example comes from: a real conversation, or a synthetic workflow."""
    if example.source == "real":
        return example.id  # real-<conversation id>
    return "workflow-" + example.id.removeprefix(f"syn-{week}-")


@dataclass(frozen=True)
class Merged:
    """The merged examples by split, W's held-out cases, and what the merge dropped."""

    splits: dict[str, list[Example]]
    heldout: list[HeldoutCase]
    window_heldout: list[HeldoutCase]  # every held-out case of the window (contamination)
    counts: dict[str, int]


def merge(weeks: list[WeekSet], config: DataConfig) -> Merged:
    """Merge weeks (oldest first) into one set: supersede, dedup, split by shop."""
    if not weeks:
        raise ValueError("merge needs at least one week")
    # newest week first; within a week by id, the order a week's own dedup keeps
    tagged = [
        (w.week, e)
        for w in reversed(weeks)
        for e in sorted([*w.synthetic.examples, *w.real.examples], key=lambda e: e.id)
    ]
    counts = {"examples": len(tagged)}
    by_origin: dict[str, tuple[str, Example]] = {}
    superseded_by_edit = 0
    for pair in tagged:
        key = origin(pair[1], pair[0])
        kept = by_origin.get(key)
        if kept is None:
            by_origin[key] = pair
        elif pair[1].outcome == "edited" and kept[1].outcome != "edited":
            by_origin[key] = pair  # the merchant's correction beats a later acceptance
            superseded_by_edit += 1
        elif kept[1].outcome == "edited" and pair[1].outcome != "edited":
            superseded_by_edit += 1
    newest = [pair for pair in tagged if by_origin[origin(pair[1], pair[0])] is pair]
    counts["one_per_origin"] = len(newest)
    counts["superseded_by_edit"] = superseded_by_edit
    kept_requests: dict[str, list[str]] = {}  # workflow hash -> normalized requests kept
    unique: list[Example] = []
    for _week, ex in newest:
        request = normalize_request(ex.request)
        same = kept_requests.setdefault(ex.workflow_hash, [])
        if not any(request == r or near_duplicate(request, r) for r in same):
            same.append(request)
            unique.append(ex)
    counts["deduplicated"] = len(unique)
    window_heldout = sorted(
        {h.id: h for w in weeks for h in w.real.heldout}.values(), key=lambda h: h.id
    )
    heldout_requests = {normalize_request(h.request) for h in window_heldout}
    splits: dict[str, list[Example]] = {s: [] for s in SPLITS}
    for ex in sorted(unique, key=lambda e: e.id):
        if normalize_request(ex.request) in heldout_requests:
            continue  # the same words as a held-out traffic case: kept out of training
        splits[split_of(ex.shop_id, config)].append(ex)
    counts["not_heldout_request"] = sum(len(r) for r in splits.values())
    return Merged(splits, list(weeks[-1].real.heldout), window_heldout, counts)


def sources(weeks: list[WeekSet]) -> list[dict[str, str]]:
    """The weeks and extraction hashes a set is built from, oldest first."""
    return [{"week": w.week, "extraction_hash": w.extraction_hash} for w in weeks]


def cumulative_hash(merged: Merged, weeks: list[WeekSet]) -> str:
    """The dataset hash: its rows, held-out cases and interface, and the weeks it came from."""
    return content_hash({**dataset_content(merged.splits, merged.heldout), "weeks": sources(weeks)})


def write_cumulative(
    weeks: list[WeekSet],
    config: DataConfig,
    catalog: Catalog,
    store: ArtifactStore,
    window_weeks: int = 0,
) -> Dataset:
    """Merge the weeks, check the result and write it to the store (reused if already there)."""
    merged = merge(weeks, config)
    if not merged.splits["train"]:
        raise InvalidInput(
            "data check 'rows' failed: no training examples in "
            f"{weeks[0].week}..{weeks[-1].week} (is the store seeded and extracted?)"
        )
    check_shops(merged.splits, merged.window_heldout)
    check_duplicates(merged.splits)
    check_contamination(merged.splits, merged.window_heldout)
    turns = check_parity(merged.splits, config, catalog)
    target = weeks[-1]
    digest = cumulative_hash(merged, weeks)
    report = build_report(
        target.week, target.extraction_hash, target.synthetic, target.real, merged.splits, config
    )
    report["checks"] = {
        "rows_checked": sum(len(r) for r in merged.splits.values()),
        "parity_turns": turns,
    }
    report["dropped_heldout_request_overlap"] = (
        merged.counts["deduplicated"] - merged.counts["not_heldout_request"]
    )
    report["window_weeks"] = window_weeks
    report["weeks"] = [
        {
            **s,
            "examples": len(w.synthetic.examples) + len(w.real.examples),
            "cached": w.cached,
            "seconds": w.seconds,
        }
        for s, w in zip(sources(weeks), weeks, strict=True)
    ]
    report["merge"] = merged.counts
    report["hash"] = digest
    log_report(report)
    manifest = {
        "hash": digest,
        "week": target.week,
        "extraction_hash": target.extraction_hash,
        "weeks": sources(weeks),
        "window_weeks": window_weeks,
        "interface_version": INTERFACE_VERSION,
        "teacher": target.synthetic.teacher,
        "rows": report["rows"],
        "rows_by_source": report["rows_by_source"],
        "rows_by_category": report["rows_by_category"],
        "config": asdict(config),
    }
    return store_dataset(merged.splits, merged.heldout, report, manifest, store)


def source_id(settings: Settings) -> str:
    """Names the interactions database: its configured URL, or the embedded one of this state
    dir (whose URL changes with its port), digested so no password reaches a key."""
    source = settings.database_url or f"embedded:{settings.state_path}"
    return hashlib.sha256(source.encode()).hexdigest()[:24]


def _index_key(source: str, week: str) -> str:
    return f"{WEEK_SETS}/index/{source}/{week}.json"


def _known_week(
    source: str, week: str, config: DataConfig, teacher: Teacher, store: ArtifactStore
) -> WeekSet | None:
    """A past week's cached examples found by week alone, without extracting it again."""
    began = time.perf_counter()
    if not source or not store.exists(_index_key(source, week)):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = store.get_file(_index_key(source, week), Path(tmp) / "index.json")
        extraction_hash = json.loads(path.read_text("utf-8"))["extraction_hash"]
    key = week_key(extraction_hash, config, teacher.name)
    if not store.exists(key):
        return None
    return _read_week(week, extraction_hash, key, store, began)


def remember_week(source: str, extraction: Extraction, store: ArtifactStore) -> None:
    """Index a week's extraction hash by week, once the week has ended (its content is then
    fixed, store/extract.py), so later builds need not extract it."""
    if not source or parse_week(extraction.week).end > datetime.now(UTC):
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.json"
        path.write_text(json.dumps({"extraction_hash": extraction.hash}), "utf-8")
        store.put_file(path, _index_key(source, extraction.week))


def build_cumulative(
    week: str,
    first: str | None,
    extract_week: Callable[[str], Extraction],
    catalog: Catalog,
    teacher: Teacher,
    config: DataConfig,
    store: ArtifactStore,
    window_weeks: int = 0,
    source: str = "",
) -> Dataset:
    """Week W's cumulative dataset: extract each week of the window, build or reuse its
    examples, merge, check and write.

    With `source` (`source_id`), a past week already built from that database is read back
    by week without extracting it again: a past week's content never changes. W itself is
    always extracted.
    """
    began = time.perf_counter()
    weeks = []
    for w in window(week, first, window_weeks):
        known = None if w == week else _known_week(source, w, config, teacher, store)
        if known is None:
            extraction = extract_week(w)
            known = week_set(extraction, catalog, teacher, config, store)
            remember_week(source, extraction, store)
        weeks.append(known)
    built = write_cumulative(weeks, config, catalog, store, window_weeks)
    log.info(
        "cumulative set %s: %d weeks (%d cached), %s rows in %.1fs",
        built.hash[:12],
        len(weeks),
        sum(w.cached for w in weeks),
        built.rows,
        time.perf_counter() - began,
    )
    return built
