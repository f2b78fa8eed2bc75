"""The MLflow model registry and the alias protocol for promotion.

Every candidate is registered as a version of `flowgen-agent`, tagged with what it was built
from (dataset hash, checkpoint and model hash, interface version, git commit, Prefect flow
run id). Aliases, never stages: `challenger` while a version is under evaluation, `champion`
once promoted; the challenger alias is removed when the gate has decided. Serving and
evaluation load `models:/flowgen-agent@champion`, never "latest".

Rollback needs to know who was champion before: the registered model carries the promotion
history as a tag (`champion_history`, a JSON list of versions, oldest first); `rollback` drops
the current champion from it and points the alias at the one before.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowgen_core.artifacts import ArtifactStore
from flowgen_core.errors import InvalidInput, UnreadableInput, UsageError

MODEL_NAME = "flowgen-agent"
CHAMPION = "champion"
CHALLENGER = "challenger"
HISTORY_TAG = "champion_history"
# Tags every registered version should carry (missing ones are recorded as "unknown").
LINEAGE_TAGS = (
    "dataset_hash",
    "checkpoint_hash",
    "model_hash",
    "interface_version",
    "git_commit",
    "prefect_flow_run_id",
)


@dataclass(frozen=True)
class ModelVersion:
    """A registered version: its number, where its files are, its tags and aliases."""

    version: str
    source: str
    tags: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()

    @property
    def model_dir(self) -> Path:
        """The local model directory (sources are local paths or file:// URIs)."""
        return local_path(self.source)

    def fetch(self, cache_root: Path, s3_endpoint_url: str | None = None) -> Path:
        """A local folder with the version's files: the source itself, or an s3:// source
        downloaded once into `cache_root/<model_hash[:16] or v<version>>`."""
        if not self.source.startswith("s3://"):
            return self.model_dir
        name = self.tags.get("model_hash", "unknown")
        dest = cache_root / (name[:16] if name != "unknown" else f"v{self.version}")
        if not (dest / "config.json").is_file():
            parent, _, key = self.source.rstrip("/").rpartition("/")
            ArtifactStore(parent, s3_endpoint_url).get_dir(key, dest)
        return dest


def local_path(source: str) -> Path:
    """The local folder of a version's source (file:// URI or a path)."""
    if source.startswith("file://"):
        return Path(source[len("file://") :])
    if "://" in source or source.startswith(("runs:/", "models:/")):
        raise UnreadableInput(
            f"model source {source!r} is not a local folder; download it to a folder first"
        )
    return Path(source)


class Registry:
    """The registered model `name` in the MLflow tracking store at `tracking_uri`."""

    def __init__(self, tracking_uri: str, name: str = MODEL_NAME) -> None:
        import mlflow

        self.name = name
        self.client = mlflow.MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)

    # -- reading ---------------------------------------------------------------------
    def _ensure(self) -> Any:
        from mlflow.exceptions import MlflowException

        try:
            return self.client.get_registered_model(self.name)
        except MlflowException:
            return self.client.create_registered_model(
                self.name, description="The workflow-building agent (flowgen)."
            )

    def _aliases(self) -> dict[str, str]:
        return {k: str(v) for k, v in self._ensure().aliases.items()}

    def _history(self) -> list[str]:
        return json.loads(self._ensure().tags.get(HISTORY_TAG, "[]"))

    def get(self, version: str) -> ModelVersion:
        """One version (InvalidInput when there is no such version)."""
        from mlflow.exceptions import MlflowException

        try:
            mv = self.client.get_model_version(self.name, str(version))
        except MlflowException:
            raise InvalidInput(f"model {self.name} has no version {version}") from None
        aliases = tuple(sorted(a for a, v in self._aliases().items() if v == str(mv.version)))
        return ModelVersion(str(mv.version), str(mv.source), dict(mv.tags), aliases)

    def alias(self, alias: str) -> ModelVersion | None:
        """The version an alias points at, or None."""
        version = self._aliases().get(alias)
        return None if version is None else self.get(version)

    def champion(self) -> ModelVersion | None:
        """The current champion, or None before the first promotion."""
        return self.alias(CHAMPION)

    def resolve(self, uri: str) -> ModelVersion:
        """`models:/<name>@<alias>` or `models:/<name>/<version>` to its version."""
        rest = uri[len("models:/") :] if uri.startswith("models:/") else ""
        name, _, ref = rest.partition("@") if "@" in rest else rest.partition("/")
        if name != self.name or not ref:
            raise UsageError(
                f"model URI {uri!r}: expected models:/{self.name}@<alias> or models:/{self.name}/<version>"
            )
        if "@" in rest:
            found = self.alias(ref)
            if found is None:
                raise InvalidInput(f"model {self.name} has no version with alias {ref!r}")
            return found
        return self.get(ref)

    def list_versions(self) -> list[dict[str, Any]]:
        """Every version, newest first: version, aliases, gate result, lineage tags, source."""
        aliases = self._aliases()
        rows = []
        for mv in self.client.search_model_versions(f"name='{self.name}'"):
            v = str(mv.version)
            rows.append(
                {
                    "version": v,
                    "aliases": sorted(a for a, x in aliases.items() if x == v),
                    "gate": mv.tags.get("gate.decision", ""),
                    "created": time.strftime(
                        "%Y-%m-%d %H:%M:%S", time.gmtime(mv.creation_timestamp / 1000)
                    ),
                    "source": mv.source,
                    "tags": dict(mv.tags),
                }
            )
        return sorted(rows, key=lambda r: int(r["version"]), reverse=True)

    # -- writing ---------------------------------------------------------------------
    def register(
        self, model_dir: Path, run_id: str | None, tags: dict[str, str], source: str | None = None
    ) -> str:
        """Register a model folder as a new version with its lineage tags; the version.

        `source` is where the version's files live for other machines (an s3:// URI of the
        artifact store); unset: the folder itself.
        """
        if not (model_dir / "config.json").is_file():
            raise UnreadableInput(f"{model_dir}: not a model directory (no config.json)")
        self._ensure()
        all_tags = {k: "unknown" for k in LINEAGE_TAGS} | {k: str(v) for k, v in tags.items()}
        mv = self.client.create_model_version(
            self.name, source=source or str(model_dir.resolve()), run_id=run_id, tags=all_tags
        )
        return str(mv.version)

    def set_alias(self, alias: str, version: str) -> None:
        """Point an alias at a version."""
        self.get(version)
        self.client.set_registered_model_alias(self.name, alias, str(version))

    def _drop_alias(self, alias: str) -> None:
        if alias in self._aliases():
            self.client.delete_registered_model_alias(self.name, alias)

    def record_gate(self, version: str, decision: dict[str, Any]) -> None:
        """Tag a version with the gate's decision and reasons."""
        self.client.set_model_version_tag(self.name, version, "gate.decision", decision["decision"])
        reasons = "; ".join(decision.get("reasons", [])) or "all checks passed"
        self.client.set_model_version_tag(self.name, version, "gate.reasons", reasons[:4000])

    def promote(self, version: str) -> None:
        """Make a version the champion (history kept for rollback); the challenger alias goes."""
        self.get(version)
        history = [v for v in self._history() if v != str(version)] + [str(version)]
        self.client.set_registered_model_tag(self.name, HISTORY_TAG, json.dumps(history))
        self.client.set_registered_model_alias(self.name, CHAMPION, str(version))
        self._drop_alias(CHALLENGER)

    def override(self, version: str, reason: str) -> None:
        """Promote against (or without) the gate's decision, by hand; the reason is kept."""
        if not reason.strip():
            raise UsageError("an override needs a reason (it is kept on the version)")
        self.get(version)
        self.client.set_model_version_tag(self.name, version, "gate.override", reason[:4000])
        self.promote(version)

    def reject(self, version: str) -> None:
        """The gate refused the version: the challenger alias goes, the champion stays."""
        self.get(version)
        if self._aliases().get(CHALLENGER) == str(version):
            self._drop_alias(CHALLENGER)

    def rollback(self) -> str:
        """Point `champion` back at the previous champion; the version it now points at."""
        history = self._history()
        current = self._aliases().get(CHAMPION)
        if current is None:
            raise InvalidInput(f"model {self.name} has no champion to roll back")
        if current in history:
            history = history[: history.index(current)]
        if not history:
            raise InvalidInput(
                f"model {self.name}: version {current} is the first champion; nothing to roll back to"
            )
        previous = history[-1]
        self.client.set_model_version_tag(self.name, current, "rolled_back", "true")
        self.client.set_registered_model_tag(self.name, HISTORY_TAG, json.dumps(history))
        self.client.set_registered_model_alias(self.name, CHAMPION, previous)
        return previous
