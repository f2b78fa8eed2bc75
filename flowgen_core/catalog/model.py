"""Typed view of the catalog data file (`tasks.json`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

TASK_TYPES = ("TRIGGER", "CONDITION", "ACTION", "FOREACH", "WAIT")

# How a config value string is read (flow-format.md, "Config values").
FIELD_KINDS = (
    "text",  # plain text or a Liquid template
    "string_list",  # JSON array of strings
    "boolean",  # "true" / "false"
    "number",  # decimal text
    "enum",  # one of enum_values
    "duration",  # ISO-8601 duration (WAIT)
    "recurrence",  # JSON array of iCalendar text (scheduled trigger)
    "list_path",  # an environment path (FOREACH listpath)
    "json",  # JSON object text (headers, Admin API call)
    "condition",  # a condition tree as JSON text (CONDITION)
)


@dataclass(frozen=True)
class ConfigField:
    """One config field of a task."""

    id: str
    kind: str
    required: bool
    doc: str
    enum_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Task:
    """One task of the platform: a trigger, condition, action, loop, wait or data step."""

    id: str  # namespaced id, e.g. shopify::admin::add_order_tags
    version: str  # e.g. "0.1"
    type: str  # one of TASK_TYPES
    label: str  # as shown in the editor, e.g. "Add order tags"
    description: str  # one line
    python_name: str  # unique short name used by the Python DSL, e.g. add_order_tags
    area: str  # orders, customers, products, fulfillment, ..., logic, data, connectors
    fields: tuple[ConfigField, ...]
    provides: tuple[str, ...] = ()  # names a trigger or data step puts in scope
    requires: tuple[str, ...] = ()  # objects an action needs in scope (any one of them)

    def field(self, field_id: str) -> ConfigField | None:
        """The config field with this id, or None."""
        for f in self.fields:
            if f.id == field_id:
                return f
        return None


class Catalog:
    """All tasks, indexed by (id, version) and by Python name."""

    def __init__(self, tasks: list[Task]) -> None:
        self.tasks: tuple[Task, ...] = tuple(tasks)
        self._by_key = {(t.id, t.version): t for t in self.tasks}
        self._by_python = {t.python_name: t for t in self.tasks}
        self._latest: dict[str, Task] = {}
        for t in self.tasks:
            self._latest[t.id] = t
        if len(self._by_key) != len(self.tasks):
            raise ValueError("catalog has duplicate (task id, version) pairs")
        if len(self._by_python) != len(self.tasks):
            raise ValueError("catalog has duplicate python names")

    def get(self, task_id: str, version: str | None = None) -> Task | None:
        """The task with this id (and version, when given), or None."""
        if version is None:
            return self._latest.get(task_id)
        return self._by_key.get((task_id, version))

    def by_python_name(self, name: str) -> Task | None:
        """The task the DSL calls `name`, or None."""
        return self._by_python.get(name)

    def __len__(self) -> int:
        return len(self.tasks)


def _task_from_json(raw: dict) -> Task:
    fields = tuple(
        ConfigField(
            id=f["id"],
            kind=f["kind"],
            required=f["required"],
            doc=f["doc"],
            enum_values=tuple(f.get("enum_values", ())),
        )
        for f in raw["fields"]
    )
    return Task(
        id=raw["id"],
        version=raw["version"],
        type=raw["type"],
        label=raw["label"],
        description=raw["description"],
        python_name=raw["python_name"],
        area=raw["area"],
        fields=fields,
        provides=tuple(raw.get("provides", ())),
        requires=tuple(raw.get("requires", ())),
    )


@cache
def load_catalog() -> Catalog:
    """The catalog shipped in the package (read once per process)."""
    text = resources.files("flowgen_core.catalog").joinpath("tasks.json").read_text("utf-8")
    return Catalog([_task_from_json(raw) for raw in json.loads(text)["tasks"]])
