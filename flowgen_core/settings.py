"""Settings: environment variables `FLOWGEN_*` over an optional `flowgen.toml` over defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from flowgen_core.errors import UsageError
from flowgen_core.redact import is_secret_name, mask_text, register_secret

CONFIG_ENV = "FLOWGEN_CONFIG"
DEFAULT_CONFIG_FILE = "flowgen.toml"


class Settings(BaseSettings):
    """The resolved configuration of one flowgen process."""

    model_config = SettingsConfigDict(env_prefix="FLOWGEN_", extra="forbid", frozen=True)

    state_dir: Path = Field(
        Path(".flowgen"), description="Every local file flowgen writes goes under this folder."
    )
    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the interactions database; unset: embedded Postgres."
    )
    mlflow_tracking_uri: str | None = Field(
        None, description="MLflow tracking URI; unset: the embedded Postgres database `mlflow`."
    )
    artifact_store: str | None = Field(
        None, description="Local path or s3://bucket/prefix; unset: <state_dir>/artifacts."
    )
    s3_endpoint_url: str | None = Field(
        None, description="S3-compatible endpoint (MinIO, moto); unset: AWS."
    )
    prefect_api_url: str | None = Field(
        None, description="Prefect API URL; unset: Prefect's temporary local API."
    )
    llm_base_url: str | None = Field(
        None,
        description="OpenAI-compatible endpoint for teacher and judge; unset: offline stand-ins.",
    )
    llm_api_key: SecretStr | None = Field(None, description="API key for llm_base_url.")
    teacher_model: str = Field("gpt-4.1", description="Model name the teacher asks for.")
    judge_model: str = Field("gpt-4.1", description="Model name the LLM judge asks for.")

    @field_validator("artifact_store")
    @classmethod
    def _artifact_store_scheme(cls, value: str | None) -> str | None:
        if value and "://" in value and not value.startswith(("s3://", "file://")):
            raise ValueError("artifact_store must be a local path or s3://bucket/prefix")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = _config_file()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)

    # -- derived locations -------------------------------------------------------------
    @property
    def state_path(self) -> Path:
        """The state dir as an absolute path."""
        return self.state_dir.expanduser().resolve()

    @property
    def artifact_root(self) -> str:
        """Where datasets, checkpoints and models go: a local path or an s3:// URI."""
        if self.artifact_store:
            return self.artifact_store
        return str(self.state_path / "artifacts")

    def masked(self) -> dict[str, Any]:
        """Every setting as printable text, secrets masked."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                out[name] = None if value is None else "****"
            elif value is None:
                out[name] = None
            elif is_secret_name(name):
                out[name] = "****"
            else:
                out[name] = mask_text(str(value))
        out["config_file"] = str(_config_file()) if _config_file() else None
        return out


def _config_file() -> Path | None:
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(f"{CONFIG_ENV}={explicit}: no such file")
        return path
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Resolve the settings, registering secret values so logs never show them."""
    try:
        settings = Settings(**overrides)
    except UsageError:
        raise
    except Exception as exc:  # pydantic ValidationError or a TOML syntax error
        raise UsageError(f"invalid settings: {_one_line(exc)}") from exc
    if settings.llm_api_key is not None:
        register_secret(settings.llm_api_key.get_secret_value())
    for url in (settings.database_url, settings.mlflow_tracking_uri, settings.prefect_api_url):
        if url and "@" in url and "://" in url:
            userinfo = url.split("://", 1)[1].split("@", 1)[0]
            if ":" in userinfo:
                register_secret(userinfo.split(":", 1)[1])
    return settings


def _one_line(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        parts = []
        for err in errors():
            loc = ".".join(str(p) for p in err.get("loc", ()))
            parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
        return "; ".join(parts)
    return " ".join(str(exc).split())
