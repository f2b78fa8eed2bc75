"""Which stored definitions cannot be used, and why: the reasons rows are quarantined."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flowgen_core.catalog.model import TASK_TYPES, Catalog

STEP_KEYS = ("step_id", "config_field_values", "task_id", "task_version", "task_type")
LINK_KEYS = ("from_step_id", "from_port_id", "to_step_id", "to_port_id")


def split_prefix(text: str) -> tuple[str | None, str]:
    """(sha256 hex prefix or None, payload) of a stored definition, with or without prefix."""
    if len(text) > 65 and text[64] == ":" and all(c in "0123456789abcdef" for c in text[:64]):
        return text[:64], text[65:]
    return None, text


def definition_problem(text: str, catalog: Catalog) -> str | None:
    """Why a stored definition is unusable (one line), or None when it reads as the platform
    format and names only tasks the catalog knows.

    A structural check of the envelope, steps and links; full validation
    (graph rules, config kinds) is the DSL's job downstream.
    """
    prefix, payload = split_prefix(text)
    if prefix is not None and hashlib.sha256(payload.encode()).hexdigest() != prefix:
        return "bad_prefix: the sha256 prefix does not match the payload"
    try:
        doc = json.loads(payload)
    except json.JSONDecodeError as exc:
        return f"not_json: {exc.msg} at char {exc.pos}"
    shape = _shape_problem(doc)
    if shape is not None:
        return f"wrong_shape: {shape}"
    for step in doc["root"]["steps"]:
        if catalog.get(step["task_id"], step["task_version"]) is None:
            return f"unknown_task: {step['task_id']} version {step['task_version']}"
    return None


def _shape_problem(doc: Any) -> str | None:
    if not isinstance(doc, dict) or not isinstance(doc.get("root"), dict):
        return "no root object"
    root = doc["root"]
    steps, links = root.get("steps"), root.get("links")
    if not isinstance(steps, list) or not steps:
        return "root.steps is not a non-empty list"
    if not isinstance(links, list):
        return "root.links is not a list"
    ids = set()
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or any(k not in step for k in STEP_KEYS):
            return f"root.steps[{i}] lacks one of {', '.join(STEP_KEYS)}"
        if step["task_type"] not in TASK_TYPES:
            return f"root.steps[{i}].task_type {step['task_type']!r} is not a step type"
        if not isinstance(step["task_id"], str) or not isinstance(step["task_version"], str):
            return f"root.steps[{i}] task_id and task_version must be strings"
        values = step["config_field_values"]
        if not isinstance(values, list) or not all(
            isinstance(v, dict)
            and isinstance(v.get("config_field_id"), str)
            and isinstance(v.get("value"), str)
            for v in values
        ):
            return f"root.steps[{i}].config_field_values must be {{config_field_id, value}} strings"
        ids.add(json.dumps(step["step_id"]))
    if sum(1 for s in steps if s["task_type"] == "TRIGGER") != 1:
        return "not exactly one TRIGGER step"
    for i, link in enumerate(links):
        if not isinstance(link, dict) or any(k not in link for k in LINK_KEYS):
            return f"root.links[{i}] lacks one of {', '.join(LINK_KEYS)}"
        for end in ("from_step_id", "to_step_id"):
            if json.dumps(link[end]) not in ids:
                return f"root.links[{i}].{end} names no step"
    return None
