"""The artifact store, locally and against a real S3-compatible server (moto server mode)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from flowgen_core.artifacts import ArtifactStore
from flowgen_core.errors import FlowgenError


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _sample_dir(root: Path) -> Path:
    src = root / "src"
    (src / "nested").mkdir(parents=True)
    (src / "manifest.json").write_text('{"hash": "abc"}')
    (src / "nested" / "train.parquet").write_bytes(bytes(range(256)) * 10)
    return src


def test_local_round_trip(tmp_path: Path) -> None:
    store = ArtifactStore(str(tmp_path / "store"))
    src = _sample_dir(tmp_path)
    uri = store.put_dir(src, "datasets/abc")
    assert uri == str(tmp_path / "store" / "datasets" / "abc")
    assert store.exists("datasets/abc/manifest.json")
    assert not store.exists("datasets/other")
    out = store.get_dir("datasets/abc", tmp_path / "out")
    assert _tree(out) == _tree(src)
    assert not list((tmp_path / "store").rglob("*.partial"))
    with pytest.raises(FlowgenError, match="artifact not found"):
        store.get_dir("datasets/missing", tmp_path / "x")


@pytest.mark.integration
def test_s3_round_trip(tmp_path: Path, s3_endpoint: str, s3_env: None) -> None:
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket="flowgen-test")
    store = ArtifactStore("s3://flowgen-test/weekly", s3_endpoint_url=s3_endpoint)
    src = _sample_dir(tmp_path)
    assert store.put_dir(src, "datasets/abc") == "s3://flowgen-test/weekly/datasets/abc"
    keys = sorted(
        o["Key"]
        for o in boto3.client("s3", endpoint_url=s3_endpoint)
        .list_objects_v2(Bucket="flowgen-test")
        .get("Contents", [])
    )
    assert keys == [
        "weekly/datasets/abc/manifest.json",
        "weekly/datasets/abc/nested/train.parquet",
    ]
    assert store.exists("datasets/abc/manifest.json")
    assert not store.exists("datasets/nope")
    out = store.get_dir("datasets/abc", tmp_path / "out")
    assert _tree(out) == _tree(src)
    one = store.get_file("datasets/abc/manifest.json", tmp_path / "one.json")
    assert one.read_text() == '{"hash": "abc"}'
    with pytest.raises(FlowgenError, match="artifact not found"):
        store.get_dir("datasets/missing", tmp_path / "x")
