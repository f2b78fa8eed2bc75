"""Typed in-memory model of a workflow in the platform format (flow-format.md).

The model keeps everything needed to write the payload back byte for byte: the key order of the
root, of every step, link and config value, and which optional keys were absent. Attribute names
follow the format's keys (`step_id`, `task_id`, `config_field_values`, `from_port_id`, ...), so
code reading the model reads like the format.

Public names (stable): Workflow, Step, Link, ConfigValue, PORTS, TASK_TYPES, ABSENT-free key
order constants STEP_KEYS / ROOT_KEYS / LINK_KEYS / CONFIG_KEYS, and the condition tree types
in `flowgen_core.dsl.condition` (re-exported here: Logical, Comparison, ArrayExpr, Operand).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flowgen_core.dsl.condition import (
    ArrayExpr,
    Comparison,
    ConditionNode,
    Logical,
    Operand,
)

__all__ = [
    "CONFIG_KEYS",
    "LINK_KEYS",
    "PORTS",
    "ROOT_KEYS",
    "STEP_KEYS",
    "TASK_TYPES",
    "ArrayExpr",
    "Comparison",
    "ConditionNode",
    "ConfigValue",
    "Link",
    "Logical",
    "Operand",
    "Step",
    "StepId",
    "Workflow",
]

StepId = str | int
Number = int | float

TASK_TYPES = ("TRIGGER", "CONDITION", "ACTION", "FOREACH", "WAIT")

# Output ports each step type has (flow-format.md, "Link"); every link enters at "input".
PORTS: dict[str, tuple[str, ...]] = {
    "TRIGGER": ("output",),
    "ACTION": ("output",),
    "CONDITION": ("true", "false"),
    "FOREACH": ("loop_body", "after"),
    "WAIT": ("output",),
}

# Key orders as the platform exports them; a read document may differ and keeps its own.
STEP_KEYS = (
    "step_id",
    "step_position",
    "config_field_values",
    "task_id",
    "task_version",
    "task_type",
    "description",
    "note",
    "name",
)
ROOT_KEYS = (
    "steps",
    "links",
    "patched_fields",
    "variables",
    "note",
    "vertical_layout_enabled",
    "workflow_name",
)
LINK_KEYS = ("from_step_id", "from_port_id", "to_step_id", "to_port_id")
CONFIG_KEYS = ("config_field_id", "value")
# Step keys that may be missing in older exports (absent must stay absent).
OPTIONAL_STEP_KEYS = ("description", "note", "name")
# Root keys many real exports leave out (flow-format.md, "Payload"): absent stays absent.
OPTIONAL_ROOT_KEYS = ("variables", "note", "vertical_layout_enabled")


@dataclass(frozen=True)
class ConfigValue:
    """One `{"config_field_id", "value"}` entry; the value is always the exact string."""

    config_field_id: str
    value: str
    keys: tuple[str, ...] = CONFIG_KEYS  # key order as read


@dataclass(frozen=True)
class Step:
    """One step. `description`, `note`, `name` are None for null; absent keys are not in `keys`."""

    step_id: StepId
    task_id: str
    task_version: str
    task_type: str  # one of TASK_TYPES
    config_field_values: tuple[ConfigValue, ...] = ()
    step_position: tuple[Number, Number] = (0, 0)
    description: str | None = None
    note: str | None = None
    name: str | None = None
    keys: tuple[str, ...] = STEP_KEYS  # key order as read; absent optional keys are left out

    def config(self, field_id: str) -> str | None:
        """The value of the first config field with this id, or None."""
        for c in self.config_field_values:
            if c.config_field_id == field_id:
                return c.value
        return None

    @property
    def ports(self) -> tuple[str, ...]:
        """The output ports this step's type has."""
        return PORTS[self.task_type]


@dataclass(frozen=True)
class Link:
    """One link from a step's output port to another step's `input`."""

    from_step_id: StepId
    from_port_id: str
    to_step_id: StepId
    to_port_id: str = "input"
    keys: tuple[str, ...] = LINK_KEYS  # key order as read


@dataclass(frozen=True)
class Workflow:
    """A whole workflow: the payload of a `.flow` file.

    `patched_fields` and `variables` are kept as the parsed JSON objects (dicts keep key order).
    `vertical_layout_enabled` is None when the key is absent (older exports).
    `metadata` is the `__metadata` object; `payload_keys` the top-level key order.
    """

    steps: tuple[Step, ...]
    links: tuple[Link, ...] = ()
    workflow_name: str | None = ""
    note: str | None = None
    patched_fields: tuple[Any, ...] = ()
    variables: tuple[Any, ...] = ()
    vertical_layout_enabled: bool | None = True
    metadata: Any = field(default_factory=lambda: {"version": 0.1})
    keys: tuple[str, ...] = ROOT_KEYS  # key order of "root" as read
    payload_keys: tuple[str, ...] = ("__metadata", "root")  # top-level key order as read

    @property
    def trigger(self) -> Step:
        """The one TRIGGER step (a read workflow always has exactly one)."""
        return next(s for s in self.steps if s.task_type == "TRIGGER")

    def step(self, step_id: StepId) -> Step:
        """The step with this id (KeyError when there is none)."""
        for s in self.steps:
            if s.step_id == step_id:
                return s
        raise KeyError(step_id)

    def links_from(self, step_id: StepId, port: str | None = None) -> list[Link]:
        """Links leaving a step (from one port when given), in document order."""
        return [
            lk
            for lk in self.links
            if lk.from_step_id == step_id and (port is None or lk.from_port_id == port)
        ]

    def links_to(self, step_id: StepId) -> list[Link]:
        """Links entering a step, in document order."""
        return [lk for lk in self.links if lk.to_step_id == step_id]
