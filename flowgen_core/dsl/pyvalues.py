"""How config strings and condition literals map to natural Python values and back.

One rule each way, shared by the emitter (to_python) and the parser (from_python), so that
"render, then parse" gives back the exact original string or the emitter keeps the string form:

- Python -> string (`to_config_string`): str as is; bool -> "true"/"false"; int -> decimal
  text; float -> repr; list/dict -> compact JSON (`json.dumps(..., separators=(",", ":"),
  ensure_ascii=False)`), which is how the platform writes string lists and JSON fields.
- string -> Python (`natural_value`): only for the field kinds that hold such values, and only
  when `to_config_string` of the result is the exact original string.
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
