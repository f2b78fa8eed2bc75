"""The task catalog: the platform's tasks and their config schemas, as data in the package.

The agent's tools (`task_search`, `task_configuration`), the validator and the Python DSL all
read it through `load_catalog()`.
"""

from flowgen_core.catalog.model import (
    FIELD_KINDS,
    TASK_TYPES,
    Catalog,
    ConfigField,
    Environment,
    Task,
    catalog_from_json,
    load_catalog,
)

__all__ = [
    "FIELD_KINDS",
    "TASK_TYPES",
    "Catalog",
    "ConfigField",
    "Environment",
    "Task",
    "catalog_from_json",
    "load_catalog",
]
