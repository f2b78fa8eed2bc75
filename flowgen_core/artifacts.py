"""The artifact store: datasets, checkpoints and models, in a local folder or on S3."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from flowgen_core.errors import FlowgenError, UnreadableInput
from flowgen_core.settings import Settings


@dataclass(frozen=True)
class ArtifactStore:
    """A root (`/local/path` or `s3://bucket/prefix`) under which artifacts live by key.

    Keys are relative POSIX paths such as `datasets/<hash>/train.parquet`.
    """

    root: str
    s3_endpoint_url: str | None = None

    @property
    def is_s3(self) -> bool:
        """True when the root is an s3:// URI."""
        return self.root.startswith("s3://")

    def uri(self, key: str) -> str:
        """The full URI (or local path) of a key."""
        return f"{self.root.rstrip('/')}/{key.lstrip('/')}"

    # -- S3 ----------------------------------------------------------------------------
    def _s3(self):  # type: ignore[no-untyped-def]
        import boto3

        return boto3.client("s3", endpoint_url=self.s3_endpoint_url)

    def _bucket_key(self, key: str) -> tuple[str, str]:
        bucket, _, prefix = self.root[len("s3://") :].partition("/")
        full = f"{prefix.strip('/')}/{key.lstrip('/')}" if prefix.strip("/") else key.lstrip("/")
        return bucket, full

    # -- operations --------------------------------------------------------------------
    def exists(self, key: str) -> bool:
        """True when a file (or, locally, a folder) exists under the key."""
        if not self.is_s3:
            return Path(self.uri(key)).exists()
        bucket, full = self._bucket_key(key)
        resp = self._s3().list_objects_v2(Bucket=bucket, Prefix=full, MaxKeys=1)
        return resp.get("KeyCount", 0) > 0

    def put_file(self, local: Path, key: str) -> str:
        """Copy one local file to the key; returns its URI."""
        if not self.is_s3:
            dest = Path(self.uri(key))
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(dest.name + ".partial")
            shutil.copyfile(local, tmp)
            tmp.replace(dest)  # atomic: readers never see half a file
            return str(dest)
        bucket, full = self._bucket_key(key)
        self._s3().upload_file(str(local), bucket, full)
        return self.uri(key)

    def put_dir(self, local: Path, key: str) -> str:
        """Copy a local folder (recursively) under the key; returns its URI."""
        for path in sorted(p for p in local.rglob("*") if p.is_file()):
            self.put_file(path, f"{key.rstrip('/')}/{path.relative_to(local).as_posix()}")
        return self.uri(key)

    def get_file(self, key: str, local: Path) -> Path:
        """Copy the file under the key to a local path."""
        local.parent.mkdir(parents=True, exist_ok=True)
        if not self.is_s3:
            src = Path(self.uri(key))
            if not src.is_file():
                raise FlowgenError(f"artifact not found: {src}")
            shutil.copyfile(src, local)
            return local
        bucket, full = self._bucket_key(key)
        self._s3().download_file(bucket, full, str(local))
        return local

    def get_dir(self, key: str, local: Path) -> Path:
        """Copy everything under the key into a local folder."""
        if not self.is_s3:
            src = Path(self.uri(key))
            if not src.is_dir():
                raise FlowgenError(f"artifact not found: {src}")
            shutil.copytree(src, local, dirs_exist_ok=True)
            return local
        bucket, prefix = self._bucket_key(key)
        client = self._s3()
        found = False
        for page in client.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=prefix.rstrip("/") + "/"
        ):
            for obj in page.get("Contents", []):
                found = True
                rel = obj["Key"][len(prefix.rstrip("/")) + 1 :]
                dest = local / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                client.download_file(bucket, obj["Key"], str(dest))
        if not found:
            raise FlowgenError(f"artifact not found: {self.uri(key)}")
        return local


def artifact_store(settings: Settings) -> ArtifactStore:
    """The artifact store the settings name."""
    return ArtifactStore(settings.artifact_root, settings.s3_endpoint_url)


def folder_hash(folder: Path) -> str:
    """sha256 over the sorted relative file names and their bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def local_dataset(uri: str, settings: Settings) -> Path:
    """A local folder holding the dataset: the path itself, or an s3:// URI downloaded."""
    if uri.startswith("s3://"):
        parent, _, name = uri.rstrip("/").rpartition("/")
        dest = settings.state_path / "datasets" / name
        if not (dest / "manifest.json").is_file():
            ArtifactStore(parent, settings.s3_endpoint_url).get_dir(name, dest)
        return dest
    path = Path(uri.removeprefix("file://")).expanduser().resolve()
    if not (path / "manifest.json").is_file():
        raise UnreadableInput(f"--dataset {uri}: no manifest.json (not a dataset folder)")
    return path
