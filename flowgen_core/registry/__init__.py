"""The MLflow model registry and the alias protocol for promotion (see `registry.py`)."""

from flowgen_core.registry.registry import (
    CHALLENGER,
    CHAMPION,
    LINEAGE_TAGS,
    MODEL_NAME,
    ModelVersion,
    Registry,
)

__all__ = ["CHALLENGER", "CHAMPION", "LINEAGE_TAGS", "MODEL_NAME", "ModelVersion", "Registry"]
