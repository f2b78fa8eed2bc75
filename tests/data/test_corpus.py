"""The tiny base model's pretraining corpus: deterministic, well-formed, free of benchmark cases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from flowgen_core.agent.render import dataset_hash, load_split
from flowgen_core.catalog.model import load_catalog
from flowgen_core.data.checks import check_rows
from flowgen_core.data.corpus import CorpusConfig, corpus_examples, write_corpus
from flowgen_core.data.examples import benchmark_keys, normalize_request

SMALL = CorpusConfig(examples=60, validation=8)


def test_same_config_same_examples() -> None:
    a, counts_a = corpus_examples(SMALL)
    b, counts_b = corpus_examples(SMALL)
    assert [e.row() for e in a] == [e.row() for e in b]
    assert counts_a == counts_b
    other, _ = corpus_examples(CorpusConfig(examples=60, validation=8, seed=1))
    assert [e.request for e in other] != [e.request for e in a]


def test_examples_are_rows_serving_would_produce() -> None:
    examples, counts = corpus_examples(SMALL)
    assert counts["generated"] == 60 and len(examples) >= 50
    check_rows({"train": examples}, load_catalog())  # first turn, tool answers, final Python
    edits = [e for e in examples if e.existing_python is not None]
    taught = [e for e in examples if e.existing_python is None]
    assert edits and taught
    assert len({e.category for e in examples}) >= 8  # the long tail is covered too


def test_no_benchmark_case_and_no_duplicate() -> None:
    examples, _ = corpus_examples(SMALL)
    by_wf, by_req = benchmark_keys()
    assert not [e.id for e in examples if e.workflow_hash in by_wf]
    assert not [e.id for e in examples if normalize_request(e.request) in by_req]
    keys = [(e.workflow_hash, normalize_request(e.request)) for e in examples]
    assert len(keys) == len(set(keys))


def test_write_is_a_dataset_folder_with_a_stable_hash(tmp_path: Path) -> None:
    first = write_corpus(SMALL, tmp_path / "a")
    second = write_corpus(SMALL, tmp_path / "b")
    assert first.name == second.name == dataset_hash(first)
    assert (first / "train.parquet").read_bytes() == (second / "train.parquet").read_bytes()
    assert len(load_split(first, "validation")) == 8
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["rows"]["train"] == len(load_split(first, "train"))
    assert write_corpus(SMALL, tmp_path / "a") == first  # reused


def test_cli_writes_the_corpus_by_hash(tmp_path: Path) -> None:
    env = {**os.environ, "FLOWGEN_STATE_DIR": str(tmp_path / "state")}
    cmd = [sys.executable, "-m", "flowgen_core.cli", "data", "corpus", "--examples", "20"]
    done = subprocess.run([*cmd, "--json"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(result["path"]) == tmp_path / "state" / "corpus" / result["hash"]
    assert (
        result["rows"]["train"] + result["rows"]["validation"]
        == result["filters"]["not_in_benchmark"]
    )
