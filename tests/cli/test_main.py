"""The CLI conventions: help, exit codes, one-line errors, --json as the last line."""

import json
import subprocess
import sys

import pytest

from flowgen_core.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flowgen_core.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.integration  # runs the command in a new process
def test_help_lists_every_subcommand_with_a_description() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    commands = proc.stdout.split("Commands:")[1].strip().splitlines()
    assert commands, proc.stdout
    for line in commands:
        name, _, description = line.strip().partition(" ")
        assert description.strip(), f"subcommand {name} has no description"


@pytest.mark.integration  # runs the command in a new process
def test_usage_error_is_one_line_exit_2() -> None:
    proc = run("config", "show", "--no-such-flag")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "--no-such-flag" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_command_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert "no-such-command" in capsys.readouterr().err


@pytest.mark.integration  # runs the command in a new process
def test_config_show_json_is_the_last_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    env = dict(os.environ, FLOWGEN_DATABASE_URL="postgresql://u:topsecret@h/db")
    proc = run("config", "show", "--json", env=env)
    assert proc.returncode == 0
    payload = json.loads(proc.stdout.strip().splitlines()[-1])
    assert payload["database_url"] == "postgresql://u:****@h/db"
    assert "topsecret" not in proc.stdout + proc.stderr


@pytest.mark.integration  # runs the command in a new process
def test_bad_settings_exit_2_without_traceback() -> None:
    import os

    env = dict(os.environ, FLOWGEN_ARTIFACT_STORE="ftp://x")
    proc = run("config", "show", env=env)
    assert proc.returncode == 2
    assert proc.stderr.startswith("flowgen: error: invalid settings: artifact_store")
    assert "Traceback" not in proc.stderr
