"""The import-linter contracts in pyproject.toml: kept by the tree, broken by a violation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}  # the tree's packages, not the installed ones
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _copy_tree(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.jsonl", "*.json")  # code is all it reads
    for package in ("flowgen_core", "flows", "tasks"):
        shutil.copytree(ROOT / package, dest / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def test_a_task_importing_the_command_line_breaks_the_layers(tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path)
    kept = _lint(tree)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "2 kept, 0 broken" in kept.stdout

    task = tree / "tasks" / "store.py"
    task.write_text(task.read_text() + "\nfrom flowgen_core.cli import train_cmd  # noqa\n")
    broken = _lint(tree)
    assert broken.returncode == 1
    assert "Layers point one way" in broken.stdout and "BROKEN" in broken.stdout
    assert "tasks.store -> flowgen_core.cli.train_cmd" in broken.stdout


def test_the_library_importing_prefect_breaks_its_contract(tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path)
    module = tree / "flowgen_core" / "weeks.py"
    module.write_text(module.read_text() + "\nimport prefect  # noqa\n")
    broken = _lint(tree)
    assert broken.returncode == 1
    assert "never imports Prefect" in broken.stdout
    assert "flowgen_core.weeks -> prefect" in broken.stdout
