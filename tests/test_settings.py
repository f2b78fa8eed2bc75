from pathlib import Path

import pytest

from flowgen_core.errors import UsageError
from flowgen_core.settings import load_settings


def test_defaults_put_everything_under_the_state_dir(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.state_path == tmp_path / ".flowgen"
    assert settings.artifact_root == str(tmp_path / ".flowgen" / "artifacts")
    assert settings.mlflow_tracking_uri is None  # flowgen_core.stack resolves it
    assert settings.database_url is None


def test_env_over_file_over_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "flowgen.toml").write_text(
        'state_dir = "from-file"\nteacher_model = "file-model"\n'
    )
    settings = load_settings()
    assert settings.state_dir == Path("from-file")
    assert settings.teacher_model == "file-model"
    assert settings.judge_model == "gpt-4.1"  # default where neither says

    monkeypatch.setenv("FLOWGEN_STATE_DIR", "from-env")
    settings = load_settings()
    assert settings.state_dir == Path("from-env")
    assert settings.teacher_model == "file-model"


def test_explicit_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text('artifact_store = "s3://bucket/prefix"\n')
    monkeypatch.setenv("FLOWGEN_CONFIG", str(other))
    assert load_settings().artifact_root == "s3://bucket/prefix"

    monkeypatch.setenv("FLOWGEN_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(UsageError, match=r"missing\.toml"):
        load_settings()


def test_invalid_settings_name_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWGEN_ARTIFACT_STORE", "ftp://nowhere")
    with pytest.raises(UsageError, match="artifact_store"):
        load_settings()


def test_unknown_key_in_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "flowgen.toml").write_text('stat_dir = "typo"\n')
    with pytest.raises(UsageError, match="stat_dir"):
        load_settings()


def test_masked_hides_url_passwords_and_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWGEN_DATABASE_URL", "postgresql+psycopg://app:s3cr3t-pw@db:5432/x")
    monkeypatch.setenv("FLOWGEN_LLM_API_KEY", "sk-live-0123456789")
    masked = load_settings().masked()
    assert masked["database_url"] == "postgresql+psycopg://app:****@db:5432/x"
    assert masked["llm_api_key"] == "****"
    assert "s3cr3t-pw" not in str(masked) and "0123456789" not in str(masked)
