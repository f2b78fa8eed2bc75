"""prepare_run: a training run's config assembled once, for `flowgen train` and the task."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowgen_core.artifacts import folder_hash
from flowgen_core.errors import InvalidInput, UnreadableInput
from flowgen_core.settings import Settings
from flowgen_core.training import RECIPES, TINY_RECIPES, launch, recipes
from flowgen_core.training import base as tiny_base_module
from flowgen_core.training.config import GuardConfig, TrainConfig
from flowgen_core.training.launch import prepare_run, torchrun_command
from flowgen_core.training.warm_start import WARM_START_OPTIM

PRODUCTION = next(r for r in RECIPES if r not in TINY_RECIPES)  # needs a base model folder


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # a configured tracking URI: nothing here may start the embedded Postgres
    return Settings(state_dir=tmp_path / "state", mlflow_tracking_uri="sqlite:///x.db")


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / "base"
    path.mkdir()
    (path / "config.json").write_text("{}")
    return path


def test_the_recipe_with_launch_options_and_where_results_go(
    settings: Settings, base: Path, tmp_path: Path
) -> None:
    run = prepare_run(
        settings,
        tmp_path / "ds",
        "tiny",
        "w47",
        nproc=2,
        max_steps=7,
        seq_len=4096,
        stop_at_step=3,
        base_model=str(base),
    )
    cfg = run.config
    assert (cfg.max_steps, cfg.packing.seq_len, cfg.stop_at_step) == (7, 4096, 3)
    assert cfg.run_name == "w47" and run.run_dir == settings.state_path / "runs/train/w47"
    assert cfg.artifact_root == settings.artifact_root
    assert cfg.mlflow_tracking_uri == "sqlite:///x.db" and cfg.model.path == str(base)
    run.write()
    assert TrainConfig.load(run.config_path) == cfg  # what the trainer reads back


def test_zero_options_keep_the_recipes_own(settings: Settings, base: Path, tmp_path: Path) -> None:
    cfg = prepare_run(settings, tmp_path / "ds", "tiny", "r", base_model=str(base)).config
    shipped = recipes.tiny(str(base), str(tmp_path / "ds"), cfg.run_dir)
    assert (cfg.max_steps, cfg.packing, cfg.optim) == (
        shipped.max_steps,
        shipped.packing,
        shipped.optim,
    )


def test_the_tiny_recipes_build_their_base_and_keep_the_tight_packed_guard(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = tmp_path / "ds"
    dataset.mkdir()
    (dataset / "manifest.json").write_text(json.dumps({"hash": "ab" * 32}))
    made: list[Path] = []

    def fresh_init(path: Path, corpus: object) -> Path:
        made.append(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "config.json").write_text("{}")
        return path

    monkeypatch.setattr(
        tiny_base_module, "SHIPPED", tmp_path / "none"
    )  # no pretrained base shipped
    monkeypatch.setattr(tiny_base_module, "fresh_init", fresh_init)
    monkeypatch.setattr(launch, "fresh_init", fresh_init)
    tiny = prepare_run(settings, dataset, "tiny", "t").config
    pretrain = prepare_run(settings, dataset, "tiny-pretrain", "p").config
    models = settings.state_path / "models"
    assert made == [models / "tiny-base", models / "tiny-init-abababababab"]
    assert (tiny.model.path, pretrain.model.path) == tuple(str(p) for p in made)
    # both start from a random init: the packed-vs-alone guard keeps its 1e-5 tolerance
    assert tiny.guards == pretrain.guards == GuardConfig() and GuardConfig().logits_atol == 1e-5
    assert (pretrain.packing.seq_len, pretrain.max_steps) == (4096, 1500)


def test_a_missing_or_wrong_base_model_is_one_clear_error(
    settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="needs a base model"):
        prepare_run(settings, tmp_path, PRODUCTION, "r")
    with pytest.raises(UnreadableInput, match=r"no config\.json"):
        prepare_run(settings, tmp_path, "tiny", "r", base_model=str(tmp_path))


def test_a_warm_start_trains_the_champion_with_its_schedule_whatever_the_base(
    settings: Settings, base: Path, tmp_path: Path
) -> None:
    # no base model needed, even for the production recipe: the champion is the start
    run = prepare_run(
        settings, tmp_path / "ds", PRODUCTION, "warm", warm_from=(base, folder_hash(base))
    )
    assert run.config.model.path == str(base)
    assert run.config.optim.lr == WARM_START_OPTIM[PRODUCTION].lr
    with pytest.raises(InvalidInput, match="not the champion's"):
        prepare_run(settings, tmp_path / "ds", "tiny", "warm", warm_from=(base, "0" * 64))


def test_torchrun_is_standalone_on_one_node_and_rendezvous_on_several(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PET_NNODES", raising=False)
    one = torchrun_command(Path("c.json"), 2, resume=False)
    assert "--standalone" in one and one[-2:] == ["--config", "c.json"]
    monkeypatch.setenv("PET_NNODES", "2")
    several = torchrun_command(Path("c.json"), 8, resume=True)
    assert "--standalone" not in several and several[-1] == "--resume"
    assert json.dumps(several).count("flowgen_core.training.trainer") == 1
