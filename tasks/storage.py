"""Prefect result storage on an S3 artifact store, so cached results outlive ephemeral workers.

Prefect ships a local-folder result storage only (S3 needs the prefect-aws collection); this
block writes results next to the datasets and models, under `<s3 root>/prefect-results/`, with
the same boto3 settings as `flowgen_core.artifacts.ArtifactStore`.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from prefect.filesystems import WritableFileSystem
from pydantic import Field


class S3ResultStorage(WritableFileSystem):
    """Task results as objects under an s3://bucket/prefix root."""

    _block_type_name = "flowgen S3 result storage"

    basepath: str = Field(description="s3://bucket/prefix the results go under.")
    endpoint_url: str | None = Field(
        default=None, description="S3-compatible endpoint; unset: AWS."
    )

    def _client(self) -> Any:
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint_url)

    def _where(self, path: str) -> tuple[str, str]:
        bucket, _, prefix = self.basepath.removeprefix("s3://").partition("/")
        key = f"{prefix.strip('/')}/{path.lstrip('/')}" if prefix.strip("/") else path
        return bucket, key

    # Prefect's sync engine calls these directly with `_sync=True`, its async engine the
    # a-prefixed forms below; the base class only declares coroutines, hence the ignores.
    def read_path(self, path: str, _sync: bool | None = None) -> bytes:  # type: ignore[override]
        """The bytes stored under `path` (raises when there are none)."""
        bucket, key = self._where(path)
        return self._client().get_object(Bucket=bucket, Key=key)["Body"].read()

    def write_path(  # type: ignore[override]
        self, path: str, content: bytes, _sync: bool | None = None
    ) -> str:
        """Store `content` under `path`; the object's URI."""
        bucket, key = self._where(path)
        self._client().put_object(Bucket=bucket, Key=key, Body=content)
        return f"s3://{bucket}/{key}"

    async def aread_path(self, path: str) -> bytes:
        """Async form of read_path (Prefect's async engine calls this)."""
        return self.read_path(path)

    async def awrite_path(self, path: str, content: bytes) -> str:
        """Async form of write_path."""
        return self.write_path(path, content)


@functools.cache
def saved_s3_storage(basepath: str, endpoint_url: str | None) -> S3ResultStorage:
    """The block for `basepath`, saved on the Prefect server (tasks accept saved blocks only).

    Saved once per process under a name derived from the location, so every worker that
    resolves the same artifact store shares one block document.
    """
    block = S3ResultStorage(basepath=basepath, endpoint_url=endpoint_url)
    name = (
        "flowgen-results-" + hashlib.sha256(f"{basepath}|{endpoint_url}".encode()).hexdigest()[:12]
    )
    block.save(name, overwrite=True)
    return block
