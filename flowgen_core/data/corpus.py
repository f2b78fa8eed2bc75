"""The pretraining corpus of the tiny base model: many generated shops' workflows, each with a
merchant request and the ideal trajectory, in the weekly dataset's row format.

The weekly demo fine-tunes a tiny model on one week of ~370 examples for 300 steps: enough to
learn the trajectory format, not the request -> workflow mapping (docs/benchmarks.md, "Tiny
demo model"). Production fine-tunes a pretrained model; the tiny recipe's analogue is a base
trained once on this corpus and only fine-tuned weekly (`flowgen train --recipe tiny-pretrain`
builds it, see docs/training.md).

What one example is: a shop persona and a workflow pattern of the demo population's library
(`store.patterns`, drawn with flattened popularity so the long tail is covered), its parameters,
the platform payload, then a request for it, written either by the offline teacher from the
program (`data.teacher`) or from the pattern's merchant phrasings with the population's openers,
closers and typos (`store.seed`); a share are edits of an existing workflow. Emails, phones and
names are scrubbed as the extraction scrubs them, the payload must pass `select.round_trip`, and
the conversation is `trajectory.build_messages`: every tool answer is serving's text.

Contamination: an example whose normalized workflow or request is a benchmark case's is dropped,
as the weekly build drops it. The corpus is generated from its own seed (not the demo
population's), so its shops are not the held-out shops; its workflows are the same *kinds* the
demo population builds, exactly as a weekly set's are.

Deterministic: the same `CorpusConfig` gives the same rows and the same hash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from flowgen_core.agent.interface import INTERFACE_VERSION
from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.data.build import _write_parquet, content_hash, dataset_content
from flowgen_core.data.examples import Example, benchmark_keys, normalize_request
from flowgen_core.data.select import round_trip
from flowgen_core.data.teacher import OfflineTeacher
from flowgen_core.data.trajectory import build_messages
from flowgen_core.dsl.sameness import canonical_hash
from flowgen_core.errors import FlowgenError
from flowgen_core.store import patterns as P
from flowgen_core.store.anonymize import Scrubber
from flowgen_core.store.seed import _decorate, edit_request, new_request

log = logging.getLogger("flowgen.data.corpus")

CORPUS_VERSION = "corpus-1"  # bump with any change to how an example is generated


@dataclass(frozen=True)
class CorpusConfig:
    """How many examples, from which seed, in which mix."""

    examples: int = 12000  # examples generated (before dedup and benchmark overlap)
    seed: int = 20261203  # not the demo population's seed: other shops, other parameters
    edit_share: float = 0.18  # edits of an existing workflow (the population's rate)
    teacher_share: float = 0.5  # requests by the offline teacher; the rest by merchant phrasing
    popularity_power: float = 0.5  # pattern weight ** power: < 1 flattens towards the tail
    validation: int = 64  # examples of the validation split (the first ones by id)

    def __post_init__(self) -> None:
        if self.examples < 1 or self.validation < 0:
            raise ValueError("corpus examples must be >= 1 and validation >= 0")
        if not 0 <= self.edit_share <= 1 or not 0 <= self.teacher_share <= 1:
            raise ValueError("corpus edit_share and teacher_share must be in [0, 1]")


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def corpus_example(
    index: int, config: CorpusConfig, catalog: Catalog, teacher: OfflineTeacher
) -> Example | None:
    """The example at `index`, or None when its payload or trajectory cannot be a target."""
    rng = _rng(CORPUS_VERSION, config.seed, index)
    persona = P.make_persona(rng)
    weights = [p.weight**config.popularity_power for p in P.PATTERNS]
    pattern = rng.choices(P.PATTERNS, weights=weights)[0]
    params = pattern.params(rng, persona)
    existing_payload: str | None = None
    by_teacher = False
    if rng.random() < config.edit_share and P.editable(params):
        edit = P.propose_edit(params, rng, persona)
        assert edit is not None
        existing_payload = P.instantiate(pattern, params, rng)
        params = edit.params
        request = _decorate(edit_request(pattern, edit, rng), rng, persona)
    elif rng.random() < config.teacher_share:
        by_teacher, request = True, ""
    else:
        request = _decorate(new_request(pattern, params, rng)[0], rng, persona)
    payload = P.instantiate(pattern, params, rng)
    scrub = Scrubber()
    request = scrub.text(request)
    existing = scrub.definition(existing_payload) if existing_payload else None
    payload = scrub.definition(payload)
    try:
        wf, python = round_trip(payload, catalog)
        existing_python = round_trip(existing, catalog)[1] if existing else None
        if by_teacher:
            request = teacher.requests([python], [f"{config.seed}:{index}"])[0]
        if not request.strip():
            return None
        key = f"{CORPUS_VERSION}:{config.seed}:{index}"
        messages = build_messages(request, python, catalog, key, existing_python)
    except FlowgenError:
        return None
    return Example(
        id=f"corpus-{index:07d}",
        shop_id=f"corpus-shop-{index:07d}",
        source="synthetic",
        category=pattern.category,
        request=request,
        existing_python=existing_python,
        python=python,
        workflow_hash=canonical_hash(wf),
        messages=json.dumps(messages, ensure_ascii=False),
    )


def corpus_examples(
    config: CorpusConfig, catalog: Catalog | None = None
) -> tuple[list[Example], dict[str, int]]:
    """The corpus's examples in id order, and the count after each filter."""
    catalog = catalog or load_catalog()
    teacher = OfflineTeacher(catalog)
    by_wf, by_req = benchmark_keys()
    counts = {"generated": config.examples}
    made = [corpus_example(i, config, catalog, teacher) for i in range(config.examples)]
    examples = [e for e in made if e is not None]
    counts["target_ok"] = len(examples)
    seen: set[tuple[str, str]] = set()
    unique = []
    for e in examples:
        key = (e.workflow_hash, normalize_request(e.request))
        if key not in seen:
            seen.add(key)
            unique.append(e)
    counts["deduplicated"] = len(unique)
    kept = [
        e
        for e in unique
        if e.workflow_hash not in by_wf and normalize_request(e.request) not in by_req
    ]
    counts["not_in_benchmark"] = len(kept)
    return kept, counts


def write_corpus(config: CorpusConfig, out_root: Path) -> Path:
    """Write the corpus as a dataset folder `<out_root>/<hash>` (reused when already there)."""
    started = time.perf_counter()
    examples, counts = corpus_examples(config)
    splits = {"train": examples[config.validation :], "validation": examples[: config.validation]}
    digest = content_hash({"corpus": CORPUS_VERSION, **dataset_content(splits, [])})
    out = out_root / digest
    if (out / "manifest.json").is_file():
        return out
    rows = {s: len(r) for s, r in splits.items()}
    manifest = {
        "hash": digest,
        "week": "",
        "corpus": CORPUS_VERSION,
        "interface_version": INTERFACE_VERSION,
        "teacher": OfflineTeacher.name,
        "rows": {**rows, "heldout": 0},
        "filters": counts,
        "config": asdict(config),
    }
    out_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="flowgen-corpus-", dir=out_root) as tmp:
        folder = Path(tmp)
        for split, rows_ in splits.items():
            _write_parquet([e.row() for e in rows_], folder / f"{split}.parquet")
        (folder / "heldout.jsonl").write_text("", "utf-8")
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        folder.rename(out)
    log.info(
        "corpus %s: %s in %.1fs -> %s",
        digest[:12],
        ", ".join(f"{k} {v}" for k, v in counts.items()),
        time.perf_counter() - started,
        out,
    )
    return out
