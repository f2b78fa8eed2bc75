"""Condition trees: the CONDITION step's `condition` value (flow-format.md, "Condition trees").

`parse_condition(text)` reads the JSON text into typed nodes (raising MalformedCondition, an
UnreadableInput, with one line), `dump_condition(node)` writes it back compactly with every
node's key order kept. Node ids (`uuid`, `parent_uuid`) are kept; `parent_uuid` is None where
the key is absent (the root).

Real exports also hold: a Logical node with one operand and no `rhs` key (the editor's wrapper,
`rhs` is None), an EnvironmentValue operand without `full_environment_path` (None), and array
paths and item keys given as operand objects instead of strings; all are kept as read.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from flowgen_core.errors import UnreadableInput

BINARY_OPERATORS = (
    "==",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "starts_with?",
    "ends_with?",
    "include?",
    "not_include?",
    "in?",
    "not_in?",
)
UNARY_OPERATORS = ("nil?", "not_nil?", "empty_or_nil?", "not_empty_and_not_nil?")
LOGICAL_OPERATORS = ("AND", "OR")
ARRAY_OPERATORS = ("ANY", "ALL", "NONE")

LOGICAL_KEYS = ("uuid", "parent_uuid", "lhs", "rhs", "operator", "operation_type")
COMPARISON_KEYS = ("uuid", "parent_uuid", "lhs", "rhs", "value_type", "operator", "operation_type")
ARRAY_KEYS = (
    "uuid",
    "parent_uuid",
    "array_path",
    "array_item_key",
    "operation",
    "operator",
    "operation_type",
)
ENV_OPERAND_KEYS = (
    "uuid",
    "parent_uuid",
    "value",
    "comparison_value_type",
    "full_environment_path",
)
LITERAL_OPERAND_KEYS = ("uuid", "parent_uuid", "value", "comparison_value_type")
# Shapes real exports write with keys left out (flow-format.md, "Condition trees").
WRAPPER_KEYS = ("uuid", "parent_uuid", "lhs", "operator", "operation_type")
ENV_VALUE_ONLY_KEYS = LITERAL_OPERAND_KEYS


class MalformedCondition(UnreadableInput):
    """A condition value that is not a well-formed condition tree."""


@dataclass(frozen=True)
class Operand:
    """A side of a comparison: an environment path (`is_env`) or a literal string."""

    uuid: str
    parent_uuid: str | None
    value: str
    comparison_value_type: str  # "EnvironmentValue" or "LiteralValue"
    full_environment_path: str | None = None  # None for literals, or when the key is absent
    keys: tuple[str, ...] = LITERAL_OPERAND_KEYS

    @property
    def is_env(self) -> bool:
        """True for a path into the workflow's data."""
        return self.comparison_value_type == "EnvironmentValue"


@dataclass(frozen=True)
class Comparison:
    """`lhs operator rhs`; `rhs` is None for unary operators (nil?, not_nil?, ...)."""

    uuid: str
    parent_uuid: str | None
    lhs: Operand
    rhs: Operand | None
    value_type: str
    operator: str
    keys: tuple[str, ...] = COMPARISON_KEYS


@dataclass(frozen=True)
class Logical:
    """`lhs AND rhs` or `lhs OR rhs`; `rhs` is None for the one-operand wrapper (no `rhs` key)."""

    uuid: str
    parent_uuid: str | None
    lhs: ConditionNode
    rhs: ConditionNode | None
    operator: str  # AND | OR
    keys: tuple[str, ...] = LOGICAL_KEYS


@dataclass(frozen=True)
class ArrayExpr:
    """ANY / ALL / NONE of the items at `array_path` satisfy `operation` (item under `array_item_key`)."""

    uuid: str
    parent_uuid: str | None
    array_path: str | Operand  # a string, or an EnvironmentValue operand (real exports)
    array_item_key: str | Operand
    operation: ConditionNode
    operator: str  # ANY | ALL | NONE
    keys: tuple[str, ...] = ARRAY_KEYS


ConditionNode = Logical | Comparison | ArrayExpr

_OPERATION_TYPES = {
    Logical: "LogicalExpression",
    Comparison: "Comparison",
    ArrayExpr: "ArrayExpression",
}


def _str(obj: dict, key: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise MalformedCondition(f"{where}: '{key}' must be a string")
    return value


def _parent(obj: dict, where: str) -> str | None:
    if "parent_uuid" not in obj or obj["parent_uuid"] is None:
        return None
    return _str(obj, "parent_uuid", where)


def _check_keys(obj: dict, allowed: tuple[str, ...], where: str) -> tuple[str, ...]:
    for key in obj:
        if key not in allowed:
            raise MalformedCondition(f"{where}: unexpected key '{key}'")
    return tuple(obj)


def _operand(obj: Any, where: str) -> Operand:
    if not isinstance(obj, dict):
        raise MalformedCondition(f"{where}: an operand must be an object")
    kind = obj.get("comparison_value_type")
    if kind == "EnvironmentValue":
        keys = _check_keys(obj, ENV_OPERAND_KEYS, where)
        # Real exports leave the key out when a path is compared with a path: keep it absent.
        path = (
            _str(obj, "full_environment_path", where) if "full_environment_path" in keys else None
        )
    elif kind == "LiteralValue":
        keys = _check_keys(obj, LITERAL_OPERAND_KEYS, where)
        path = None
    else:
        raise MalformedCondition(f"{where}: unknown comparison_value_type {kind!r}")
    return Operand(
        uuid=_str(obj, "uuid", where),
        parent_uuid=_parent(obj, where),
        value=_str(obj, "value", where),
        comparison_value_type=kind,
        full_environment_path=path,
        keys=keys,
    )


def _array_part(obj: dict, key: str, where: str) -> str | Operand:
    """A string (older documents) or an EnvironmentValue operand object (real exports)."""
    value = obj.get(key)
    if isinstance(value, dict):
        op = _operand(value, f"{where} {key}")
        if not op.is_env:
            raise MalformedCondition(f"{where}: '{key}' must be an EnvironmentValue operand")
        return op
    if not isinstance(value, str):
        raise MalformedCondition(f"{where}: '{key}' must be a string or an operand object")
    return value


def node_from_json(obj: Any, where: str = "condition") -> ConditionNode:
    """A typed node from its parsed JSON object (MalformedCondition when it is not one)."""
    if not isinstance(obj, dict):
        raise MalformedCondition(f"{where}: a node must be an object")
    kind = obj.get("operation_type")
    if kind == "LogicalExpression":
        keys = _check_keys(obj, LOGICAL_KEYS, where)
        return Logical(
            uuid=_str(obj, "uuid", where),
            parent_uuid=_parent(obj, where),
            lhs=node_from_json(obj.get("lhs"), where),
            # The editor wraps a single condition in a Logical root without an `rhs` key.
            rhs=node_from_json(obj["rhs"], where) if "rhs" in obj else None,
            operator=_str(obj, "operator", where),
            keys=keys,
        )
    if kind == "Comparison":
        keys = _check_keys(obj, COMPARISON_KEYS, where)
        if "rhs" not in obj:
            raise MalformedCondition(f"{where}: a comparison needs 'rhs' (null when unary)")
        rhs = obj["rhs"]
        return Comparison(
            uuid=_str(obj, "uuid", where),
            parent_uuid=_parent(obj, where),
            lhs=_operand(obj.get("lhs"), where),
            rhs=None if rhs is None else _operand(rhs, where),
            value_type=_str(obj, "value_type", where),
            operator=_str(obj, "operator", where),
            keys=keys,
        )
    if kind == "ArrayExpression":
        keys = _check_keys(obj, ARRAY_KEYS, where)
        return ArrayExpr(
            uuid=_str(obj, "uuid", where),
            parent_uuid=_parent(obj, where),
            array_path=_array_part(obj, "array_path", where),
            array_item_key=_array_part(obj, "array_item_key", where),
            operation=node_from_json(obj.get("operation"), where),
            operator=_str(obj, "operator", where),
            keys=keys,
        )
    raise MalformedCondition(f"{where}: unknown operation_type {kind!r}")


def parse_condition(text: str, where: str = "condition") -> ConditionNode:
    """The condition tree in a `condition` config value (MalformedCondition when it is not one)."""
    # Reading a file parses each condition, and the transpiler reads it again right after;
    # the nodes are frozen, so a small cache shares them.
    return _parse_condition(text, where)


@functools.lru_cache(maxsize=256)
def _parse_condition(text: str, where: str) -> ConditionNode:
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise MalformedCondition(f"{where}: not JSON ({exc})") from None
    try:
        return node_from_json(obj, where)
    except RecursionError:
        raise MalformedCondition(f"{where}: nested too deeply") from None


def _operand_json(op: Operand) -> dict[str, Any]:
    values = {
        "uuid": op.uuid,
        "parent_uuid": op.parent_uuid,
        "value": op.value,
        "comparison_value_type": op.comparison_value_type,
        "full_environment_path": op.full_environment_path,
    }
    return {k: values[k] for k in op.keys}


def allowed_keys(node: ConditionNode | Operand) -> tuple[str, ...]:
    """The keys a node or operand of this shape has (`parent_uuid` may still be left out)."""
    if isinstance(node, Operand):
        if node.is_env and node.full_environment_path is not None:
            return ENV_OPERAND_KEYS
        return LITERAL_OPERAND_KEYS
    if isinstance(node, Logical):
        return LOGICAL_KEYS if node.rhs is not None else WRAPPER_KEYS
    return COMPARISON_KEYS if isinstance(node, Comparison) else ARRAY_KEYS


def _part_json(part: str | Operand) -> Any:
    return part if isinstance(part, str) else _operand_json(part)


def node_to_json(node: ConditionNode) -> dict[str, Any]:
    """The JSON object of a node, keys in the node's order."""
    values: dict[str, Any]
    if isinstance(node, Logical):
        values = {"lhs": node_to_json(node.lhs)}
        if node.rhs is not None:
            values["rhs"] = node_to_json(node.rhs)
    elif isinstance(node, Comparison):
        values = {
            "lhs": _operand_json(node.lhs),
            "rhs": None if node.rhs is None else _operand_json(node.rhs),
            "value_type": node.value_type,
        }
    else:
        values = {
            "array_path": _part_json(node.array_path),
            "array_item_key": _part_json(node.array_item_key),
            "operation": node_to_json(node.operation),
        }
    values.update(
        uuid=node.uuid,
        parent_uuid=node.parent_uuid,
        operator=node.operator,
        operation_type=_OPERATION_TYPES[type(node)],
    )
    return {k: values[k] for k in node.keys}


def dump_condition(node: ConditionNode) -> str:
    """The compact JSON text of a condition tree, as the platform exports it."""
    return json.dumps(node_to_json(node), separators=(",", ":"), ensure_ascii=False)
