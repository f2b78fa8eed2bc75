"""End to end on a seeded week: sets, split, checks, the written folder read back by training
and evaluation, determinism and reuse, S3, the first turn as the agent renders it."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from flowgen_core.agent.interface import TOOLS, first_messages
from flowgen_core.agent.render import load_split, parse_row, render_prompt, tokenize_row
from flowgen_core.agent.suites import load_traffic
from flowgen_core.agent.tokenizer import train_tokenizer
from flowgen_core.artifacts import ArtifactStore
from flowgen_core.catalog.model import Catalog
from flowgen_core.data.build import (
    DataConfig,
    Dataset,
    SetResult,
    is_heldout_shop,
    real_set,
    write_dataset,
)
from flowgen_core.dsl.flowfile import read_flow
from flowgen_core.dsl.sameness import canonical_hash, same_workflow
from flowgen_core.store.extract import Extraction


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
    demo_week: Extraction,
    demo_sets: tuple[SetResult, SetResult],
    config: DataConfig,
) -> tuple[Dataset, ArtifactStore]:
    store = ArtifactStore(str(tmp_path_factory.mktemp("store")))
    return write_dataset(demo_week.week, demo_week.hash, *demo_sets, store, config), store


def test_the_folder_loads_in_training_and_evaluation(
    built: tuple[Dataset, ArtifactStore], demo_week: Extraction, catalog: Catalog
) -> None:
    dataset, _ = built
    folder = Path(dataset.uri)
    train, validation = load_split(folder, "train"), load_split(folder, "validation")
    assert (len(train), len(validation)) == (dataset.rows["train"], dataset.rows["validation"])
    assert train and validation
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["hash"] == dataset.hash and manifest["extraction_hash"] == demo_week.hash
    assert manifest["interface_version"] and manifest["rows_by_source"]["synthetic"] > 0
    cases = load_traffic(folder)
    assert len(cases) == dataset.rows["heldout"] > 0
    by_id = {i.id: i for i in demo_week.interactions}
    for case in cases:
        it = by_id[case.id]
        assert it.outcome in ("accepted", "edited")
        assert same_workflow(case.expected, read_flow(it.target_definition)) is None
        assert (case.existing is None) == (it.existing_definition is None)
    report = dataset.report
    assert report["filters"]["synthetic"]["workflows"] == len(demo_week.workflows)
    assert report["filters"]["real"]["outcome_discarded"] == report["discarded"]
    assert report["checks"]["parity_turns"] > 0


def test_no_shop_is_on_two_sides(built: tuple[Dataset, ArtifactStore]) -> None:
    dataset, _ = built
    folder = Path(dataset.uri)
    train = {r["shop_id"] for r in load_split(folder, "train")}
    validation = {r["shop_id"] for r in load_split(folder, "validation")}
    heldout = {
        json.loads(line)["shop_id"] for line in (folder / "heldout.jsonl").read_text().splitlines()
    }
    assert not (train & validation) and not (heldout & (train | validation))


def test_real_targets_follow_the_verdict(
    demo_sets: tuple[SetResult, SetResult], demo_week: Extraction, config: DataConfig
) -> None:
    real = demo_sets[1]
    by_id = {f"real-{i.id}": i for i in demo_week.interactions}
    edited = 0
    for ex in real.examples:
        it = by_id[ex.id]
        assert not is_heldout_shop(it.shop_id, config)
        target = it.target_definition
        if it.outcome == "edited":
            edited += 1
            target = (
                it.feedback[-1].saved_definition if it.feedback[-1].kind == "edited" else target
            )
        assert it.outcome in ("accepted", "edited")
        assert ex.workflow_hash == canonical_hash(read_flow(target))
    assert edited > 0
    discarded = {i.id for i in demo_week.interactions if i.outcome == "discarded"}
    assert set(real.discarded) == discarded
    assert not discarded & {e.id.removeprefix("real-") for e in real.examples}


def test_same_week_same_hash_and_the_second_write_reuses_the_first(
    built: tuple[Dataset, ArtifactStore],
    demo_week: Extraction,
    catalog: Catalog,
    config: DataConfig,
) -> None:
    from flowgen_core.data.build import synthetic_set
    from flowgen_core.data.teacher import OfflineTeacher

    first, store = built
    again = write_dataset(
        demo_week.week,
        demo_week.hash,
        synthetic_set(demo_week, catalog, OfflineTeacher(catalog), config),
        real_set(demo_week, catalog, config),
        store,
        config,
    )
    assert again.hash == first.hash and again.cached and not first.cached
    assert again.uri == first.uri and again.rows == first.rows


def test_a_rows_first_turn_is_what_the_agent_renders(
    built: tuple[Dataset, ArtifactStore], demo_sets: tuple[SetResult, SetResult]
) -> None:
    from flowgen_core.evaluation.agent import _parsed  # the agent's own message preparation

    rows = load_split(Path(built[0].uri), "train")
    tokenizer = train_tokenizer([r["messages"] for r in rows[:20]], vocab_size=512)
    examples = {e.id: e for s in demo_sets for e in s.examples}
    edits = [r for r in rows if examples[r["id"]].existing_python][:3]
    for row in [*rows[:3], *edits]:
        ex = examples[row["id"]]
        trained = tokenize_row(tokenizer, row)
        served = render_prompt(
            tokenizer, _parsed(first_messages(ex.request, ex.existing_python)), TOOLS
        )
        from_row = render_prompt(tokenizer, parse_row(row)[0][:2], json.loads(row["tools"]))
        assert served == from_row
        assert trained.input_ids[: len(served)] == tuple(served)
        assert trained.assistant_starts[0] == len(served)


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.mark.integration
def test_s3_round_trip(
    s3_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    built: tuple[Dataset, ArtifactStore],
    demo_week: Extraction,
    demo_sets: tuple[SetResult, SetResult],
    config: DataConfig,
) -> None:
    for name, value in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ]:
        monkeypatch.setenv(name, value)
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket="flowgen")
    store = ArtifactStore("s3://flowgen/artifacts", s3_endpoint)
    on_s3 = write_dataset(demo_week.week, demo_week.hash, *demo_sets, store, config)
    assert on_s3.uri == f"s3://flowgen/artifacts/datasets/{on_s3.hash}"
    assert on_s3.hash == built[0].hash and not on_s3.cached
    local = store.get_dir(f"datasets/{on_s3.hash}", tmp_path / "copy")
    assert load_split(local, "train") == load_split(Path(built[0].uri), "train")
    assert len(load_traffic(local)) == on_s3.rows["heldout"]
    again = write_dataset(demo_week.week, demo_week.hash, *demo_sets, store, config)
    assert again.cached


def test_the_report_is_logged_to_an_active_mlflow_run(
    tmp_path: Path,
    demo_week: Extraction,
    demo_sets: tuple[SetResult, SetResult],
    config: DataConfig,
) -> None:
    import mlflow

    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    experiment = mlflow.create_experiment("data", artifact_location=str(tmp_path / "artifacts"))
    store = ArtifactStore(str(tmp_path / "store"))
    try:
        with mlflow.start_run(experiment_id=experiment) as run:
            write_dataset(demo_week.week, demo_week.hash, *demo_sets, store, config)
        logged = mlflow.artifacts.load_dict(f"runs:/{run.info.run_id}/data/report.json")
    finally:
        mlflow.set_tracking_uri("")
    assert logged["filters"]["synthetic"]["one_per_descriptor"] > 0


def test_set_results_survive_pickling(demo_sets: tuple[SetResult, SetResult]) -> None:
    import pickle

    for result in demo_sets:  # Prefect persists them between tasks
        assert pickle.loads(pickle.dumps(result)) == result


def test_bad_real_rows_are_quarantined_and_counted(
    demo_week: Extraction, catalog: Catalog, config: DataConfig
) -> None:
    from dataclasses import replace

    accepted = [i for i in demo_week.interactions if i.outcome == "accepted"]
    broken = {
        accepted[0].id: replace(accepted[0], target_definition="{not json"),
        accepted[1].id: replace(accepted[1], request="   "),
    }
    week = replace(
        demo_week,
        interactions=tuple(broken.get(i.id, i) for i in demo_week.interactions),
    )
    result = real_set(week, catalog, config)
    reasons = dict(result.quarantined)
    assert reasons[accepted[0].id].startswith("unreadable: ")
    assert reasons[accepted[1].id] == "request: empty"
    good = real_set(demo_week, catalog, config)
    assert result.counts["target_ok"] == good.counts["target_ok"] - 2


def test_a_week_without_examples_fails_loudly(
    tmp_path: Path, catalog: Catalog, config: DataConfig
) -> None:
    from flowgen_core.data.build import synthetic_set
    from flowgen_core.data.teacher import OfflineTeacher
    from flowgen_core.errors import InvalidInput

    empty = Extraction("2026-W40", "", "", (), (), (), {}, "h")
    synthetic = synthetic_set(empty, catalog, OfflineTeacher(catalog), config)
    real = real_set(empty, catalog, config)
    with pytest.raises(InvalidInput, match="no training examples"):
        write_dataset("2026-W40", "h", synthetic, real, ArtifactStore(str(tmp_path)), config)


def test_near_duplicate_requests_for_one_workflow_are_one_example() -> None:
    from flowgen_core.data.build import near_duplicate, normalize_request

    a = normalize_request("When an order over $500 is paid, tag it VIP and email the team!")
    b = normalize_request("when an order over $500 is paid tag it vip and email the team")
    c = normalize_request("When an order over $500 is paid, tag it VIP and email the team now")
    other = normalize_request("Tag big orders so the warehouse ships them first")
    assert a == b and near_duplicate(a, c) and not near_duplicate(a, other)


def test_dedup_keeps_phrasings_and_drops_near_copies(
    demo_sets: tuple[SetResult, SetResult], config: DataConfig
) -> None:
    from flowgen_core.data.build import _finish

    ex = demo_sets[1].examples[0]
    copies = [
        replace(ex, id="a-1", request="Tag orders over $500 as VIP and notify the team"),
        replace(ex, id="a-2", request="tag orders over $500 as vip and notify the team please"),
        replace(ex, id="a-3", request="Big spenders: anything above 500 gets the VIP tag"),
    ]
    counts: dict[str, int] = {}
    kept = _finish("real", copies, counts, replace(config, drop_benchmark_overlap=False))
    assert [e.id for e in kept] == ["a-1", "a-3"] and counts["deduplicated"] == 2


def test_a_training_example_with_a_heldout_request_is_kept_out(
    tmp_path: Path, demo_sets: tuple[SetResult, SetResult], config: DataConfig
) -> None:
    synthetic, real = demo_sets
    case = real.heldout[0]
    leak = replace(real.examples[0], id="leak-heldout", request=case.request.upper() + "!")
    with_leak = replace(real, examples=(*real.examples, leak))
    store = ArtifactStore(str(tmp_path))
    dataset = write_dataset("2026-W46", "h", synthetic, with_leak, store, config)
    ids = {r["id"] for s in ("train", "validation") for r in load_split(Path(dataset.uri), s)}
    assert "leak-heldout" not in ids and real.examples[0].id in ids
    assert dataset.report["dropped_heldout_request_overlap"] >= 1
