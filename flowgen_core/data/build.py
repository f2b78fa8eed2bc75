"""A week's training data: the synthetic set, the real set, the checks, the dataset folder.

    extraction --synthetic_set(teacher)--> SetResult --+
               --real_set--------------->  SetResult --+--> write_dataset --> Dataset (hash, uri)

- `synthetic_set`: selected workflows (select.py) worked backwards by the teacher into a
  request, then the ideal trajectory (trajectory.py).
- `real_set`: the week's conversations. Accepted: the delivered workflow is the target;
  edited: the merchant's saved definition is (the trajectory is rebuilt to reach it);
  discarded: never a target, counted and listed for failure analysis; no verdict: skipped.
  Conversations of held-out shops become `heldout.jsonl` (the traffic evaluation suite).
- Shops are split by a hash of (seed, shop id): held out, validation or train, so no shop is
  on two sides. Dedup: per normalized workflow, one example per request up to near
  duplicates (word-pair Jaccard >= NEAR_DUPLICATE, so "Tag orders over $500 as VIP!" and
  "tag orders over $500 as vip" are one example, while different phrasings of the same
  workflow all stay: they are what the model learns from).
  Contamination: an example whose normalized workflow or request is a benchmark case's is
  dropped (counted); so is one whose normalized request is a held-out traffic case's. (The
  held-out shops' workflows are the common patterns by design, so training keeps those
  workflows, built from other shops' requests; the shop split is what keeps that suite
  honest.) The write checks fail the build if any overlap remains.
- `write_dataset` runs the checks (checks.py), writes train/validation parquet (explicit
  schema), heldout.jsonl, report.json and manifest.json (hash, rows per source and category,
  interface version, extraction hash, teacher), and stores the folder under
  `datasets/<hash>` in the artifact store; an existing folder is reused (`cached`).

Both set builders return plain picklable dataclasses (Prefect persists them) and never raise
on a bad row: it is quarantined with its reason and counted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from flowgen_core.agent.interface import INTERFACE_VERSION
from flowgen_core.artifacts import ArtifactStore
from flowgen_core.catalog.model import Catalog
from flowgen_core.data.checks import run_checks
from flowgen_core.data.examples import (
    TOOLS_JSON,
    DataConfig,
    Example,
    HeldoutCase,
    benchmark_keys,
    normalize_request,
)
from flowgen_core.data.select import RoundTripError, round_trip, select_workflows, stable_rank
from flowgen_core.data.teacher import Teacher
from flowgen_core.data.trajectory import build_messages
from flowgen_core.dsl.flowfile import read_flow
from flowgen_core.dsl.model import Workflow
from flowgen_core.dsl.sameness import canonical_hash
from flowgen_core.errors import FlowgenError
from flowgen_core.store.extract import Extraction

log = logging.getLogger("flowgen.data")

SPLITS = ("train", "validation")


@dataclass(frozen=True)
class SetResult:
    """What one set builder produced: examples, held-out cases, counts and quarantine."""

    source: str
    examples: tuple[Example, ...]
    heldout: tuple[HeldoutCase, ...]
    counts: dict[str, int]  # rows after each filter, in order
    quarantined: tuple[tuple[str, str], ...]  # (id, reason)
    discarded: tuple[str, ...] = ()  # interaction ids merchants discarded (failure analysis)
    teacher: str = ""


@dataclass(frozen=True)
class Dataset:
    """A written dataset."""

    hash: str
    uri: str
    rows: dict[str, int]  # split -> rows (train, validation, heldout)
    report: dict[str, Any]
    cached: bool = False  # True when the store already held this dataset


# -- shared helpers ------------------------------------------------------------------------------
def _share(seed: int, salt: str, shop_id: str) -> float:
    return int(stable_rank(str(seed), salt, shop_id)[:12], 16) / float(1 << 48)


def is_heldout_shop(shop_id: str, config: DataConfig) -> bool:
    """True when the shop's conversations are held out for evaluation."""
    return _share(config.seed, "heldout", shop_id) < config.heldout_share


def split_of(shop_id: str, config: DataConfig) -> str:
    """train or validation, by shop (held-out shops never reach this)."""
    return (
        "validation"
        if _share(config.seed, "validation", shop_id) < config.validation_share
        else "train"
    )


NEAR_DUPLICATE = 0.8  # word-pair Jaccard at or above which two requests are one


def _shingles(normalized: str) -> frozenset[str]:
    words = normalized.split()
    return frozenset(f"{a} {b}" for a, b in pairwise(words)) or frozenset(words)


def near_duplicate(a: str, b: str) -> bool:
    """True when two normalized requests share most of their word pairs."""
    sa, sb = _shingles(a), _shingles(b)
    return bool(sa | sb) and len(sa & sb) / len(sa | sb) >= NEAR_DUPLICATE


_TASK_ID = re.compile(r'"task_id"\s*:\s*"([^"]+)"')


def _categories(extraction: Extraction) -> dict[str, str]:
    """Task-set key -> category, from the week's workflows (most common wins, ties by name)."""
    votes: dict[str, Counter[str]] = {}
    for w in extraction.workflows:
        key = ",".join(sorted(set(_TASK_ID.findall(w.definition))))
        votes.setdefault(key, Counter())[w.category] += 1
    return {k: max(sorted(c), key=lambda cat: c[cat]) for k, c in votes.items()}


def _task_key(wf: Workflow) -> str:
    return ",".join(sorted({s.task_id for s in wf.steps}))


def _finish(
    source: str,
    examples: list[Example],
    counts: dict[str, int],
    config: DataConfig,
) -> list[Example]:
    """Dedup, contamination and the cap, counting after each."""
    kept: dict[str, list[str]] = {}  # workflow hash -> normalized requests kept
    unique = []
    for ex in sorted(examples, key=lambda e: e.id):
        request = normalize_request(ex.request)
        same_workflow = kept.setdefault(ex.workflow_hash, [])
        if not any(request == r or near_duplicate(request, r) for r in same_workflow):
            same_workflow.append(request)
            unique.append(ex)
    counts["deduplicated"] = len(unique)
    if config.drop_benchmark_overlap:
        by_wf, by_req = benchmark_keys()
        unique = [
            e
            for e in unique
            if e.workflow_hash not in by_wf and normalize_request(e.request) not in by_req
        ]
    counts["not_in_benchmark"] = len(unique)
    if config.max_examples:
        unique = sorted(unique, key=lambda e: stable_rank(str(config.seed), e.id))
        unique = sorted(unique[: config.max_examples], key=lambda e: e.id)
    counts["capped"] = len(unique)
    log.info("%s set: %s", source, ", ".join(f"{k} {v}" for k, v in counts.items()))
    return unique


# -- the synthetic set ---------------------------------------------------------------------------
def heldout_shops(extraction: Extraction, config: DataConfig) -> frozenset[str]:
    """Shops of the week held out for evaluation."""
    shops = {w.shop_id for w in extraction.workflows} | {i.shop_id for i in extraction.interactions}
    return frozenset(s for s in shops if is_heldout_shop(s, config))


def synthetic_set(
    extraction: Extraction, catalog: Catalog, teacher: Teacher, config: DataConfig
) -> SetResult:
    """Cold-start examples: selected real workflows, a teacher-written request, the trajectory."""
    selected, counts, quarantined = select_workflows(
        extraction, catalog, heldout_shops(extraction, config)
    )
    started = time.perf_counter()
    requests = teacher.requests([s.python for s in selected], [s.record.id for s in selected])
    log.info(
        "teacher %s: %d requests in %.1fs",
        teacher.name,
        len(requests),
        time.perf_counter() - started,
    )
    examples = []
    taught = 0
    for s, request in zip(selected, requests, strict=True):
        w = s.record
        if not request.strip():
            quarantined.append((w.id, "teacher: empty request"))
            continue
        taught += 1
        try:
            messages = build_messages(request, s.python, catalog, f"{config.seed}:{w.id}")
        except FlowgenError as exc:
            quarantined.append((w.id, str(exc)))
            continue
        wf = read_flow(w.definition)
        examples.append(
            Example(
                id=f"syn-{extraction.week}-{w.id}",
                shop_id=w.shop_id,
                source="synthetic",
                category=w.category,
                request=request,
                existing_python=None,
                python=s.python,
                workflow_hash=canonical_hash(wf),
                messages=json.dumps(messages, ensure_ascii=False),
            )
        )
    counts["teacher_ok"] = taught
    counts["trajectory_ok"] = len(examples)
    kept = _finish("synthetic", examples, counts, config)
    return SetResult(
        "synthetic", tuple(kept), (), counts, tuple(sorted(quarantined)), teacher=teacher.name
    )


# -- the real set --------------------------------------------------------------------------------
def real_set(extraction: Extraction, catalog: Catalog, config: DataConfig) -> SetResult:
    """Examples from conversations merchants accepted or corrected; held-out shops -> eval."""
    counts = {"interactions": len(extraction.interactions)}
    outcomes = Counter(i.outcome for i in extraction.interactions)
    for kind in ("accepted", "edited", "discarded", "none"):
        counts[f"outcome_{kind}"] = outcomes.get(kind, 0)
    categories = _categories(extraction)
    quarantined: list[tuple[str, str]] = []
    discarded: list[str] = []
    examples: list[Example] = []
    heldout: list[HeldoutCase] = []
    for it in extraction.interactions:
        if it.outcome == "discarded":
            discarded.append(it.id)
        if it.outcome not in ("accepted", "edited"):
            continue
        try:
            if not it.request.strip():
                raise RoundTripError("request: empty")
            if not it.target_definition:
                raise RoundTripError(f"target: the {it.outcome} conversation has no workflow")
            wf, python = round_trip(it.target_definition, catalog)
            existing_python = None
            if it.existing_definition:
                try:
                    existing_python = round_trip(it.existing_definition, catalog)[1]
                except RoundTripError as exc:
                    raise RoundTripError(f"existing: {exc}") from None
        except RoundTripError as exc:
            quarantined.append((it.id, str(exc)))
            continue
        category = categories.get(_task_key(wf), "uncategorized")
        if is_heldout_shop(it.shop_id, config):
            heldout.append(
                HeldoutCase(
                    it.id,
                    it.shop_id,
                    category,
                    it.request,
                    it.target_definition,
                    it.existing_definition,
                )
            )
            continue
        try:
            messages = build_messages(
                it.request, python, catalog, f"{config.seed}:{it.id}", existing_python
            )
        except FlowgenError as exc:
            quarantined.append((it.id, str(exc)))
            continue
        examples.append(
            Example(
                id=f"real-{it.id}",
                shop_id=it.shop_id,
                source="real",
                category=category,
                request=it.request,
                existing_python=existing_python,
                python=python,
                workflow_hash=canonical_hash(wf),
                messages=json.dumps(messages, ensure_ascii=False),
                outcome=it.outcome,
            )
        )
    counts["target_ok"] = len(examples) + len(heldout)
    counts["heldout_cases"] = len(heldout)
    counts["train_side"] = len(examples)
    kept = _finish("real", examples, counts, config)
    return SetResult(
        "real",
        tuple(kept),
        tuple(sorted(heldout, key=lambda h: h.id)),
        counts,
        tuple(sorted(quarantined)),
        tuple(sorted(discarded)),
    )


# -- writing -------------------------------------------------------------------------------------
def dataset_content(splits: dict[str, list[Example]], heldout: list[HeldoutCase]) -> dict[str, Any]:
    """What the dataset hash covers: the interface version, every row, every held-out case."""
    return {
        "interface_version": INTERFACE_VERSION,
        "tools": TOOLS_JSON,
        **{s: [e.row() for e in rows] for s, rows in splits.items()},
        "heldout": [asdict(h) for h in heldout],
    }


def content_hash(content: dict[str, Any]) -> str:
    """sha256 of canonical JSON."""
    blob = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    from datasets import Dataset as HFDataset
    from datasets import Features, Value
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()  # progress goes to the flowgen log, not a tqdm bar per split

    features = Features(
        {c: Value("string") for c in ("id", "shop_id", "source", "category", "messages", "tools")}
    )
    columns = {c: [r[c] for r in rows] for c in features}  # also right for an empty split
    HFDataset.from_dict(columns, features=features).to_parquet(str(path))


def build_report(
    week: str,
    extraction_hash: str,
    synthetic: SetResult,
    real: SetResult,
    splits: dict[str, list[Example]],
    config: DataConfig,
) -> dict[str, Any]:
    """Counts per filter, source, category and split, and the quarantine reasons."""
    all_rows = [e for rows in splits.values() for e in rows]
    quarantined = list(synthetic.quarantined) + list(real.quarantined)
    return {
        "week": week,
        "extraction_hash": extraction_hash,
        "interface_version": INTERFACE_VERSION,
        "teacher": synthetic.teacher,
        "config": asdict(config),
        "filters": {"synthetic": synthetic.counts, "real": real.counts},
        "rows": {**{s: len(r) for s, r in splits.items()}, "heldout": len(real.heldout)},
        "rows_by_source": dict(sorted(Counter(e.source for e in all_rows).items())),
        "rows_by_category": dict(sorted(Counter(e.category for e in all_rows).items())),
        "rows_by_source_split": {
            s: dict(sorted(Counter(e.source for e in r).items())) for s, r in splits.items()
        },
        "edits": sum(1 for e in all_rows if e.existing_python is not None),
        "quarantined": len(quarantined),
        "quarantine_reasons": dict(
            sorted(Counter(r.split(":")[0] for _, r in quarantined).items())
        ),
        "quarantined_ids": [f"{i}: {r}" for i, r in quarantined[:50]],
        "discarded": len(real.discarded),
        "discarded_ids": list(real.discarded[:50]),
    }


def write_dataset(
    week: str,
    extraction_hash: str,
    synthetic: SetResult,
    real: SetResult,
    artifact_store: ArtifactStore,
    config: DataConfig,
) -> Dataset:
    """Check both sets together, then write the dataset folder to the store (reused if there)."""

    heldout = list(real.heldout)
    heldout_requests = {normalize_request(h.request) for h in heldout}
    splits: dict[str, list[Example]] = {s: [] for s in SPLITS}
    overlap = 0
    for ex in sorted([*synthetic.examples, *real.examples], key=lambda e: e.id):
        if normalize_request(ex.request) in heldout_requests:
            overlap += 1  # the same words as a held-out traffic case: kept out of training
            continue
        splits[split_of(ex.shop_id, config)].append(ex)
    checked = run_checks(splits, heldout, config)
    digest = content_hash(dataset_content(splits, heldout))
    report = build_report(week, extraction_hash, synthetic, real, splits, config)
    report["dropped_heldout_request_overlap"] = overlap
    report["checks"] = checked
    report["hash"] = digest
    log_report(report)
    manifest = {
        "hash": digest,
        "week": week,
        "extraction_hash": extraction_hash,
        "interface_version": INTERFACE_VERSION,
        "teacher": synthetic.teacher,
        "rows": report["rows"],
        "rows_by_source": report["rows_by_source"],
        "rows_by_category": report["rows_by_category"],
        "config": asdict(config),
    }
    return store_dataset(splits, heldout, report, manifest, artifact_store)


def store_dataset(
    splits: dict[str, list[Example]],
    heldout: list[HeldoutCase],
    report: dict[str, Any],
    manifest: dict[str, Any],
    artifact_store: ArtifactStore,
) -> Dataset:
    """Write a checked dataset folder under `datasets/<manifest hash>` (reused if complete)."""
    digest, rows = manifest["hash"], report["rows"]
    key = f"datasets/{digest}"
    uri = artifact_store.uri(key)
    if artifact_store.exists(f"{key}/manifest.json"):
        log.info("dataset %s already stored at %s", digest[:12], uri)
        return Dataset(digest, uri, rows, report, cached=True)
    with tempfile.TemporaryDirectory(prefix="flowgen-dataset-") as tmp:
        out = Path(tmp)
        for split, examples in splits.items():
            _write_parquet([e.row() for e in examples], out / f"{split}.parquet")
        lines = [json.dumps(asdict(h), sort_keys=True, ensure_ascii=False) for h in heldout]
        (out / "heldout.jsonl").write_text("".join(line + "\n" for line in lines), "utf-8")
        (out / "report.json").write_text(json.dumps(report, indent=1, sort_keys=True), "utf-8")
        # The manifest goes last: its presence marks a complete dataset (see `cached` above).
        for name in ("train.parquet", "validation.parquet", "heldout.jsonl", "report.json"):
            artifact_store.put_file(out / name, f"{key}/{name}")
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), "utf-8")
        artifact_store.put_file(out / "manifest.json", f"{key}/manifest.json")
    log.info("dataset %s: %s -> %s", digest[:12], rows, uri)
    return Dataset(digest, uri, rows, report)


def log_report(report: dict[str, Any]) -> None:
    """The build report as an artifact of the active MLflow run, when there is one."""
    mlflow = sys.modules.get("mlflow")  # no import, no run: importing it alone costs seconds
    if mlflow is not None and mlflow.active_run() is not None:
        mlflow.log_dict(report, "data/report.json")
