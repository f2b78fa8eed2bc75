"""How config strings and condition literals map to natural Python values and back.

One rule each way, shared by the emitter (to_python) and the parser (from_python), so that
"render, then parse" gives back the exact original string or the emitter keeps the string form:

- Python -> string (`to_config_string`): str as is; bool -> "true"/"false"; int -> decimal
  text; float -> repr; list/dict -> compact JSON (`json.dumps(..., separators=(",", ":"),
  ensure_ascii=False)`), which is how the platform writes string lists and JSON fields.
- string -> Python (`natural_value`): only for the field kinds that hold such values, and only
  when `to_config_string` of the result is the exact original string.
- resource ids (`resource_parts`): the platform writes an environment path (`order.id`) or, in
  newer exports, compact JSON text `{"value":"","default_value":"order.id"}`. The DSL writes
  them as a bare path expression (`order_id=order.id`) and `default(order.id)`; any other
  string (another key order, spacing, a chosen value) stays a string.
"""

from __future__ import annotations

import json
import re
from typing import Any

_INT = re.compile(r"-?(0|[1-9][0-9]*)")

# Config field kinds whose strings may be shown as Python values.
TYPED_KINDS = frozenset({"string_list", "boolean", "number", "json", "recurrence"})


def to_config_string(value: Any) -> str:
    """The config string for a Python value (str, bool, int, float, list, dict, None in JSON)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def natural_value(kind: str, text: str) -> Any:
    """The natural Python value for a config string of this kind, or the string itself."""
    value: Any = text
    if kind == "boolean":
        if text in ("true", "false"):
            value = text == "true"
    elif kind == "number":
        if _INT.fullmatch(text):
            value = int(text)
        else:
            try:
                f = float(text)
            except ValueError:
                return text
            if repr(f) == text:
                value = f
    elif kind in ("string_list", "recurrence", "json"):
        if text[:1] not in "[{" or not text:
            return text
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            return text
        if kind != "json" and not (
            isinstance(parsed, list) and all(isinstance(x, str) for x in parsed)
        ):
            return text
        value = parsed
    if value is not text and to_config_string(value) != text:
        return text
    return value


# The DSL call that spells a resource id given as JSON text with a default.
RESOURCE_DEFAULT = "default"


def default_text(path: str) -> str:
    """The config string for `default(path)`: compact JSON with an empty chosen value."""
    return json.dumps(
        {"value": "", "default_value": path}, separators=(",", ":"), ensure_ascii=False
    )


def resource_parts(text: str) -> tuple[bool, str]:
    """(wrapped, path) of a resource-id string: wrapped when it is exactly `default_text(path)`.

    A string that is not such JSON comes back as (False, text): whether it is a path the DSL
    can write bare is the caller's question.
    """
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            return False, text
        if isinstance(parsed, dict) and isinstance(parsed.get("default_value"), str):
            path = parsed["default_value"]
            if default_text(path) == text:
                return True, path
    return False, text


def py_literal(value: Any) -> str:
    """Python source for a JSON-like value (str, bool, int, float, None, list, dict)."""
    if value is None:
        return "None"
    if isinstance(value, bool | int | str):
        return repr(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")
