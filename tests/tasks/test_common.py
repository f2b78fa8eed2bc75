"""Task results on an S3 artifact store (a real S3-compatible server, moto in server mode):
a second flow run finds the first run's cached result there."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer
from prefect import flow, task

from tasks.common import persisted

pytestmark = [pytest.mark.slow, pytest.mark.integration]

CALLS: list[int] = []


@task(cache_key_fn=lambda context, parameters: f"square-{parameters['x']}", persist_result=True)
def square(x: int) -> int:
    CALLS.append(x)
    return x * x


@flow
def squares(x: int) -> tuple[int, str]:
    state = persisted(square)(x, return_state=True)
    return state.result(), state.name


@pytest.fixture
def s3_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "FLOWGEN_ARTIFACT_STORE": "s3://flowgen/artifacts",
        "FLOWGEN_S3_ENDPOINT_URL": endpoint,
    }.items():
        monkeypatch.setenv(key, value)
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="flowgen")
    try:
        yield endpoint
    finally:
        server.stop()


def _keys(endpoint: str) -> list[Any]:
    listing = boto3.client("s3", endpoint_url=endpoint).list_objects_v2(Bucket="flowgen")
    return [o["Key"] for o in listing.get("Contents", [])]


def test_cached_results_live_in_the_s3_artifact_store(prefect_api: None, s3_root: str) -> None:
    CALLS.clear()
    assert squares(7) == (49, "Completed")
    assert "artifacts/prefect-results/square-7" in _keys(s3_root)
    assert squares(7) == (49, "Cached")  # a new flow run, same store: no work
    assert CALLS == [7]
