"""Typed view of the catalog data file (`tasks.json`), checked against its schema when read.

`tasks.json` is the source of truth: edit it by hand (one task per entry of `tasks`, the
environment's types under `environment`). Reading it checks every key and value type, so a typo
fails at start-up with one line naming the file and the field, not later inside the validator.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from importlib import resources
from typing import Any

from flowgen_core.errors import InvalidInput

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
    "resource_id",  # an environment path (order.id), or JSON text {"value","default_value"}
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
    minimum: float | None = None  # for number fields: smallest allowed value, None = no bound
    maximum: float | None = None  # for number fields: largest allowed value, None = no bound


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
    keywords: tuple[str, ...] = ()  # merchant words for search (synonyms, not shown to the agent)

    def field(self, field_id: str) -> ConfigField | None:
        """The config field with this id, or None."""
        for f in self.fields:
            if f.id == field_id:
                return f
        return None


def list_item_type(type_name: str) -> str | None:
    """`X` for a list type `[X]`, else None."""
    if type_name.startswith("[") and type_name.endswith("]"):
        return type_name[1:-1]
    return None


def kind_of(type_name: str) -> str:
    """The scope name of an object type as `requires` spells it: ProductVariant -> productVariant."""
    return type_name[:1].lower() + type_name[1:]


@dataclass(frozen=True)
class Environment:
    """What the workflow's data looks like: names in scope, object fields, enums, relations.

    Types are spelled as in GraphQL: a scalar (`String`, `Int`, `Decimal`, `Money`, `Boolean`,
    `DateTime`, `ID`, `URL`, ...), an enum name (a key of `enums`), an object name (a key of
    `objects`), `[X]` for a list of X, or `JSON` for data whose shape is not known statically.
    """

    roots: Mapping[str, str] = dataclass_field(
        default_factory=dict
    )  # scope name -> type (order -> Order)
    objects: Mapping[str, Mapping[str, str]] = dataclass_field(
        default_factory=dict
    )  # type -> field -> type
    enums: Mapping[str, tuple[str, ...]] = dataclass_field(default_factory=dict)  # enum -> values
    # object kind -> kinds reachable through a to-one relation an action may use
    # (order -> customer via order.customer); the closure is taken
    implies: Mapping[str, tuple[str, ...]] = dataclass_field(default_factory=dict)
    always_in_scope: tuple[str, ...] = ()  # names every step can read (shop)

    def root_type(self, name: str) -> str | None:
        """The type of a scope name; numbered repeats (getOrderData1) share the base's type."""
        if name in self.roots:
            return self.roots[name]
        base = name.rstrip("0123456789")
        if base != name and base in self.roots:
            return self.roots[base]
        return None

    def field_type(self, type_name: str, field_name: str) -> str | None:
        """The type of `field_name` on an object type, or None when not known."""
        return self.objects.get(type_name, {}).get(field_name)

    def path_type(self, path: str, extra_roots: Mapping[str, str] | None = None) -> str | None:
        """The type a dotted environment path reads, or None when any part is not known."""
        parts = path.split(".")
        current = (extra_roots or {}).get(parts[0]) or self.root_type(parts[0])
        for part in parts[1:]:
            if current is None or current == "JSON":
                return current
            if current not in self.objects:
                return None
            current = self.field_type(current, part)
        return current

    def closure(self, kinds: Iterable[str]) -> frozenset[str]:
        """The kinds plus every kind they imply, transitively."""
        seen: set[str] = set()
        todo = list(kinds)
        while todo:
            k = todo.pop()
            if k not in seen:
                seen.add(k)
                todo.extend(self.implies.get(k, ()))
        return frozenset(seen)


class Catalog:
    """All tasks, indexed by (id, version) and by Python name.

    A task id may come in several versions with different fields; they share one Python name.
    The version declared last is the newest: what `get(id)` and `by_python_name` give.
    """

    def __init__(self, tasks: list[Task], environment: Environment | None = None) -> None:
        self.tasks: tuple[Task, ...] = tuple(tasks)
        self.environment: Environment = environment or Environment()
        self._by_key = {(t.id, t.version): t for t in self.tasks}
        self._latest: dict[str, Task] = {}
        for t in self.tasks:
            self._latest[t.id] = t
        self._by_python = {t.python_name: t for t in self._latest.values()}
        if len(self._by_key) != len(self.tasks):
            raise ValueError("catalog has duplicate (task id, version) pairs")
        if len(self._by_python) != len(self._latest) or any(
            self._latest[t.id].python_name != t.python_name for t in self.tasks
        ):
            raise ValueError("catalog has duplicate python names")
        # The newest version of each task, in catalog order: what search shows the agent.
        self.newest: tuple[Task, ...] = tuple(t for t in self.tasks if self._latest[t.id] is t)

    def get(self, task_id: str, version: str | None = None) -> Task | None:
        """The task with this id (and version, when given), or None."""
        if version is None:
            return self._latest.get(task_id)
        return self._by_key.get((task_id, version))

    def versions(self, task_id: str) -> tuple[str, ...]:
        """The catalog's versions of a task id, oldest first (empty when the id is unknown)."""
        return tuple(t.version for t in self.tasks if t.id == task_id)

    def by_python_name(self, name: str) -> Task | None:
        """The task the DSL calls `name` (its newest version), or None."""
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
            minimum=f.get("minimum"),
            maximum=f.get("maximum"),
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
        keywords=tuple(raw.get("keywords", ())),
    )


def _environment_from_json(raw: dict) -> Environment:
    return Environment(
        roots=dict(raw.get("roots", {})),
        objects={name: dict(fields) for name, fields in raw.get("objects", {}).items()},
        enums={name: tuple(values) for name, values in raw.get("enums", {}).items()},
        implies={kind: tuple(kinds) for kind, kinds in raw.get("implies", {}).items()},
        always_in_scope=tuple(raw.get("always_in_scope", ())),
    )


@cache
def load_catalog() -> Catalog:
    """The catalog shipped in the package (read once per process)."""
    text = resources.files("flowgen_core.catalog").joinpath(CATALOG_FILE).read_text("utf-8")
    return catalog_from_json(json.loads(text))


def catalog_from_json(data: dict, where: str = "tasks.json") -> Catalog:
    """A catalog from the parsed content of a tasks.json document (schema-checked)."""
    check_document(data, where)
    try:
        return Catalog(
            [_task_from_json(raw) for raw in data["tasks"]],
            _environment_from_json(data.get("environment", {})),
        )
    except ValueError as exc:  # duplicates: name the file like every other schema error
        raise InvalidInput(f"{where}: tasks: {exc}") from None


# --- the schema of tasks.json ----------------------------------------------------------------

CATALOG_FILE = "tasks.json"
_STR, _BOOL, _NUMBER, _STRS = "a string", "true or false", "a number or null", "a list of strings"
# key -> (required, expected value); a key not listed is a typo and refused
_DOCUMENT = {"catalog_version": (True, _STR), "environment": (True, dict), "tasks": (True, list)}
_TASK = {
    **{key: (True, _STR) for key in ("id", "version", "label", "description", "python_name")},
    "type": (True, TASK_TYPES),
    "area": (True, _STR),
    "fields": (True, list),
    **{key: (False, _STRS) for key in ("provides", "requires", "keywords")},
}
_FIELD = {
    "id": (True, _STR),
    "kind": (True, FIELD_KINDS),
    "required": (True, _BOOL),
    "doc": (True, _STR),
    "enum_values": (False, _STRS),
    "minimum": (False, _NUMBER),
    "maximum": (False, _NUMBER),
}


def _is(value: Any, expected: Any) -> bool:
    if expected == _STR:
        return isinstance(value, str)
    if expected == _BOOL:
        return isinstance(value, bool)
    if expected == _NUMBER:
        return value is None or (isinstance(value, int | float) and not isinstance(value, bool))
    if expected == _STRS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if isinstance(expected, tuple):
        return value in expected
    return isinstance(value, expected)


def _check(raw: Any, schema: dict[str, tuple[bool, Any]], where: str) -> None:
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: expected an object")
    for key in raw:
        if key not in schema:
            raise InvalidInput(f"{where}.{key}: unknown key (expected one of {sorted(schema)})")
    for key, (required, expected) in schema.items():
        if key not in raw:
            if required:
                raise InvalidInput(f"{where}.{key}: missing")
            continue
        if not _is(raw[key], expected):
            want = expected if isinstance(expected, str) else f"one of {expected}"
            if isinstance(expected, type):
                want = "a list" if expected is list else "an object"
            raise InvalidInput(f"{where}.{key}: {raw[key]!r} is not {want}")


def _check_mapping(raw: Any, where: str, values: str) -> None:
    """An object of name -> value, where value is a string or a list of strings."""
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: expected an object")
    for name, value in raw.items():
        if not _is(value, values):
            raise InvalidInput(f"{where}.{name}: {value!r} is not {values}")


def check_document(data: Any, where: str = CATALOG_FILE) -> None:
    """Raise InvalidInput naming the file and field of the first thing out of schema."""
    _check(data, _DOCUMENT, where)
    env = data["environment"]
    env_schema = {
        "always_in_scope": (False, _STRS),
        **{key: (False, dict) for key in ("roots", "objects", "enums", "implies")},
    }
    _check(env, env_schema, f"{where}: environment")
    _check_mapping(env.get("roots", {}), f"{where}: environment.roots", _STR)
    for name, fields in env.get("objects", {}).items():
        _check_mapping(fields, f"{where}: environment.objects.{name}", _STR)
    _check_mapping(env.get("enums", {}), f"{where}: environment.enums", _STRS)
    _check_mapping(env.get("implies", {}), f"{where}: environment.implies", _STRS)
    for n, task in enumerate(data["tasks"]):
        name = task.get("id", "?") if isinstance(task, dict) else "?"
        at = f"{where}: tasks[{n}] ({name})"
        _check(task, _TASK, at)
        for m, field in enumerate(task["fields"]):
            _check(field, _FIELD, f"{at}.fields[{m}]")
            if field["kind"] == "enum" and not field.get("enum_values"):
                raise InvalidInput(f"{at}.fields[{m}].enum_values: an enum field needs values")
