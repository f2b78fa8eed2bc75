"""Field values of a workflow step: the checks `validate` runs on one config value (kinds,
bounds, durations, recurrence rules, resource paths), usable on their own (the judge reads
durations and resource paths with them).
"""

from __future__ import annotations

import itertools
import json
import re

MIN_RECURRENCE_SECONDS = 600

PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
_DURATION = re.compile(
    r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
    r"(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
_FREQ_SECONDS = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3600,
    "DAILY": 86400,
    "WEEKLY": 7 * 86400,
    "MONTHLY": 28 * 86400,
    "YEARLY": 365 * 86400,
}


def is_liquid(value: str) -> bool:
    """Whether the value holds a Liquid tag or output (`{{ ... }}`, `{% ... %}`)."""
    return "{{" in value or "{%" in value


def bounds_problem(number: float, lo: float | None, hi: float | None) -> str | None:
    """The sentence saying the number is outside [lo, hi], or None when it is inside."""
    if lo is not None and number < lo:
        return f"{short_number(number)} is below the minimum {short_number(lo)}"
    if hi is not None and number > hi:
        return f"{short_number(number)} is above the maximum {short_number(hi)}"
    return None


def short_number(x: float) -> str:
    """The number as a user wrote it: `3` for 3.0, `2.5` for 2.5."""
    return str(int(x)) if float(x).is_integer() else str(x)


def field_value_problem(kind: str, value: str, enum_values: tuple[str, ...] = ()) -> str | None:
    """Why `value` does not read as a config value of `kind`, or None when it does."""
    if not isinstance(value, str):
        return f"config values are strings, got {type(value).__name__}"
    if kind == "boolean":
        return None if value in ("true", "false") else f'{value!r} is not "true" or "false"'
    if kind == "number":
        if is_liquid(value) or (NUMBER.match(value.strip()) and value == value.strip()):
            return None
        return f"{value!r} is not a decimal number"
    if kind == "enum":
        if value in enum_values:
            return None
        return f"{value!r} is not one of {', '.join(enum_values)}"
    if kind == "string_list":
        try:
            parsed = json.loads(value)
        except ValueError:
            return f"{value!r} is not a JSON array of strings"
        if not isinstance(parsed, list) or not all(isinstance(x, str) for x in parsed):
            return f"{value!r} is not a JSON array of strings"
        return None
    if kind == "duration":
        return None if duration_seconds(value) is not None else f"{value!r} is not ISO-8601"
    if kind == "recurrence":
        return recurrence_problem(value)
    if kind == "json":
        try:
            json.loads(value)
        except ValueError:
            return f"{value!r} is not valid JSON"
        return None
    if kind == "list_path":
        return None if PATH.match(value) else f"{value!r} is not an environment path"
    if kind == "resource_id":
        if resource_path(value) is not None:
            return None
        if is_liquid(value):
            return f"{value!r} is Liquid; a resource id is an environment path such as order.id"
        return f"{value!r} is not an environment path such as order.id"
    if kind == "condition":
        try:
            json.loads(value)
        except ValueError:
            return "the condition is not valid JSON"
        return None
    return None  # text: anything, Liquid included


def resource_path(value: str) -> str | None:
    """The environment path a resource id names (`order.id`, or JSON text with a default).

    Real exports write the path itself or, in newer files, `{"value":"","default_value":path}`;
    None when the value is neither.
    """
    if PATH.match(value):
        return value
    if value.startswith("{"):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        if isinstance(parsed, dict) and set(parsed) == {"value", "default_value"}:
            chosen, default = parsed["value"], parsed["default_value"]
            if isinstance(chosen, str) and isinstance(default, str):
                path = chosen or default
                return path if PATH.match(path) else None
    return None


def duration_seconds(value: str) -> float | None:
    """Seconds in an ISO-8601 duration (a year is 365 days, a month 30), or None if invalid."""
    m = _DURATION.match(value)
    if m is None:
        return None
    y, mo, w, d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    return (((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60 + s


def recurrence_problem(value: str) -> str | None:
    """Why a recurrence value is not a valid schedule at least 10 minutes apart, or None."""
    try:
        rules = json.loads(value)
    except ValueError:
        return "not a JSON array of iCalendar text"
    if not isinstance(rules, list) or not rules or not all(isinstance(r, str) for r in rules):
        return "not a non-empty JSON array of iCalendar text"
    for text in rules:
        lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n") if ln.strip()]
        rrules = [ln for ln in lines if ln.upper().startswith("RRULE:")]
        if len(rrules) != 1:
            return f"{text!r} needs exactly one RRULE line"
        params: dict[str, str] = {}
        for part in rrules[0][len("RRULE:") :].split(";"):
            name, _, val = part.partition("=")
            params[name.strip().upper()] = val.strip().upper()
        freq = params.get("FREQ")
        if freq not in _FREQ_SECONDS:
            return f"{text!r} has no valid FREQ"
        interval_text = params.get("INTERVAL", "1")
        if not interval_text.isdigit() or int(interval_text) < 1:
            return f"{text!r} has an invalid INTERVAL"
        gap = _FREQ_SECONDS[freq] * int(interval_text)
        for name, unit, cycle in (("BYSECOND", 1, 60), ("BYMINUTE", 60, 60), ("BYHOUR", 3600, 24)):
            if name in params:
                values = sorted({int(v) for v in params[name].split(",") if v.isdigit()})
                if len(values) > 1:
                    diffs = [b - a for a, b in itertools.pairwise(values)]
                    diffs.append(values[0] + cycle - values[-1])
                    gap = min(gap, min(diffs) * unit)
        if gap < MIN_RECURRENCE_SECONDS:
            minutes = gap / 60
            return (
                f"runs every {short_number(minutes)} minutes; scheduled workflows must run at least "
                "10 minutes apart"
            )
    return None
