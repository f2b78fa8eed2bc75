"""The registry's alias protocol on a real MLflow tracking store (sqlite; Postgres for the CLI)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowgen_core.cli import main
from flowgen_core.errors import InvalidInput, UnreadableInput, UsageError
from flowgen_core.registry import CHALLENGER, CHAMPION, MODEL_NAME, Registry
from flowgen_core.settings import load_settings
from flowgen_core.stack import mlflow_tracking_uri, stop_embedded

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One sqlite tracking store for the module (creating it costs seconds); tests use
    their own registered-model names."""
    return f"sqlite:///{tmp_path_factory.mktemp('mlflow') / 'mlflow.db'}"


def model_dir(root: Path, name: str) -> Path:
    d = root / name
    d.mkdir(parents=True)
    (d / "config.json").write_text(json.dumps({"name": name}))
    return d


LINEAGE = {
    "dataset_hash": "d1",
    "model_hash": "m1",
    "git_commit": "abc",
    "prefect_flow_run_id": "f1",
}


def test_register_tags_and_challenger(store: str, tmp_path: Path) -> None:
    reg = Registry(store, name="t-register")
    v = reg.register(model_dir(tmp_path, "m1"), None, LINEAGE)
    assert v == "1"
    got = reg.get(v)
    assert got.tags["dataset_hash"] == "d1" and got.tags["git_commit"] == "abc"
    assert got.tags["interface_version"] == "unknown"  # every lineage tag is present
    assert got.model_dir == (tmp_path / "m1").resolve()
    reg.set_alias(CHALLENGER, v)
    assert reg.alias(CHALLENGER) is not None and reg.champion() is None
    with pytest.raises(UnreadableInput, match=r"no config\.json"):
        reg.register(tmp_path, None, {})
    with pytest.raises(InvalidInput, match="no version 9"):
        reg.get("9")


def test_promote_reject_keeps_champion_and_rollback(store: str, tmp_path: Path) -> None:
    reg = Registry(store, name="t-flow")
    v1 = reg.register(model_dir(tmp_path, "a"), None, {})
    reg.set_alias(CHALLENGER, v1)
    reg.record_gate(v1, {"decision": "promote", "reasons": []})
    reg.promote(v1)
    assert reg.champion().version == v1  # type: ignore[union-attr]
    assert reg.alias(CHALLENGER) is None  # removed on promotion

    v2 = reg.register(model_dir(tmp_path, "b"), None, {})
    reg.set_alias(CHALLENGER, v2)
    reg.record_gate(v2, {"decision": "reject", "reasons": ["benchmark semantic below floor"]})
    reg.reject(v2)
    assert reg.champion().version == v1  # type: ignore[union-attr]
    assert reg.alias(CHALLENGER) is None
    assert reg.get(v2).tags["gate.reasons"] == "benchmark semantic below floor"

    v3 = reg.register(model_dir(tmp_path, "c"), None, {})
    reg.promote(v3)
    assert reg.champion().version == v3  # type: ignore[union-attr]
    assert reg.rollback() == v1
    assert reg.champion().version == v1  # type: ignore[union-attr]
    assert reg.get(v3).tags["rolled_back"] == "true"
    with pytest.raises(InvalidInput, match="first champion"):
        reg.rollback()

    rows = reg.list_versions()
    assert [r["version"] for r in rows] == [v3, v2, v1]
    assert rows[2]["aliases"] == [CHAMPION] and rows[1]["gate"] == "reject"


def test_resolve_model_uris(store: str, tmp_path: Path) -> None:
    reg = Registry(store, name="t-resolve")
    v = reg.register(model_dir(tmp_path, "m"), None, {})
    reg.promote(v)
    assert reg.resolve("models:/t-resolve@champion").version == v
    assert reg.resolve(f"models:/t-resolve/{v}").version == v
    with pytest.raises(InvalidInput, match="alias 'challenger'"):
        reg.resolve("models:/t-resolve@challenger")
    with pytest.raises(UsageError):
        reg.resolve("models:/other@champion")


def test_registered_source_and_fetch(store: str, tmp_path: Path) -> None:
    reg = Registry(store, name="t-source")
    folder = model_dir(tmp_path, "m")
    v = reg.register(folder, None, {"model_hash": "ab" * 32}, source="s3://bucket/models/m")
    assert reg.get(v).source == "s3://bucket/models/m"
    with pytest.raises(UnreadableInput, match="not a local folder"):
        _ = reg.get(v).model_dir
    local = reg.register(folder, None, {})
    assert reg.get(local).fetch(tmp_path / "cache") == folder.resolve()
    with pytest.raises(UsageError, match="needs a reason"):
        reg.override(local, " ")


def test_rollback_without_champion_is_refused(store: str) -> None:
    with pytest.raises(InvalidInput, match="no champion"):
        Registry(store, name="t-empty").rollback()


@pytest.fixture
def pg_settings() -> Iterator[None]:
    settings = load_settings()
    try:
        yield
    finally:
        stop_embedded(settings)


@pytest.mark.slow
def test_cli_list_and_rollback_on_embedded_postgres(
    pg_settings: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = Registry(mlflow_tracking_uri(load_settings()))
    assert reg.client.tracking_uri.startswith("postgresql")
    v1 = reg.register(model_dir(tmp_path, "one"), None, LINEAGE)
    reg.promote(v1)
    v2 = reg.register(model_dir(tmp_path, "two"), None, {"dataset_hash": "d2"})
    reg.record_gate(v2, {"decision": "promote", "reasons": []})
    reg.promote(v2)

    assert main(["model", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["versions"]
    assert [(r["version"], r["aliases"], r["gate"]) for r in listed] == [
        (v2, [CHAMPION], "promote"),
        (v1, [], ""),
    ]
    assert main(["model", "list"]) == 0
    assert "champion" in capsys.readouterr().out

    assert main(["model", "rollback"]) == 0
    assert capsys.readouterr().out.strip() == f"champion: version {v2} -> version {v1}"
    assert Registry(mlflow_tracking_uri(load_settings()), MODEL_NAME).champion().version == v1  # type: ignore[union-attr]
    assert main(["model", "rollback"]) == 1
    assert "nothing to roll back to" in capsys.readouterr().err

    # By hand: a version the gate passed is promoted; one it refused only with a reason.
    assert main(["model", "promote", v2]) == 0
    assert capsys.readouterr().out.strip() == f"champion: version {v1} -> version {v2}"
    v3 = reg.register(model_dir(tmp_path, "three"), None, {})
    reg.record_gate(v3, {"decision": "reject", "reasons": ["below the floor"]})
    assert main(["model", "promote", v3]) == 2
    assert "only with --reason" in capsys.readouterr().err
    assert main(["model", "promote", v3, "--reason", "hotfix for INC-42", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert payload == {"champion": v3, "previous": v2, "override": True}
    assert reg.get(v3).tags["gate.override"] == "hotfix for INC-42"
    assert main(["model", "rollback"]) == 0 and reg.champion().version == v2  # type: ignore[union-attr]
