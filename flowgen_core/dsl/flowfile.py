"""Read and write `.flow` files (flow-format.md, "File envelope" and "Payload").

- `read_flow(data)` accepts `<sha256>:<payload>` or the bare payload (str or bytes) and returns a
  `Workflow`; anything unreadable raises `UnreadableWorkflow` (an UnreadableInput, exit 2) with
  a one-line message.
- `write_flow(workflow, prefix=True)` returns the file text; `dump_payload(workflow)` the
  compact payload alone, byte for byte as the platform exports it (key order kept, absent
  optional keys left absent).
- `has_prefix(data)` tells whether a file carries the checksum prefix.
- `read_envelope(data)` gives the payload and the prefix as found; a prefix that is not the
  SHA-256 of the payload (older real exports) is kept and reported, never an error.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, NamedTuple

from flowgen_core.dsl.condition import MalformedCondition, parse_condition
from flowgen_core.dsl.model import (
    CONFIG_KEYS,
    LINK_KEYS,
    OPTIONAL_ROOT_KEYS,
    OPTIONAL_STEP_KEYS,
    PORTS,
    ROOT_KEYS,
    STEP_KEYS,
    ConfigValue,
    Link,
    Step,
    Workflow,
)
from flowgen_core.errors import UnreadableInput

_PREFIX = re.compile(r"[0-9a-f]{64}:")
# Text before the first colon that is not where a bare payload begins: a prefix attempt.
_PREFIX_LIKE = re.compile(r"[^\s{\[\"]+:")


class UnreadableWorkflow(UnreadableInput):
    """A workflow file or program that cannot be read: bad checksum, bad JSON, broken graph, ..."""


def _fail(message: str) -> UnreadableWorkflow:
    return UnreadableWorkflow(message)


def checksum(payload: str) -> str:
    """The SHA-256 hex of the payload's UTF-8 bytes (the `.flow` prefix)."""
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _as_text(data: str | bytes) -> str:
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(f"not UTF-8 text (byte {exc.start})") from None
    return data


def has_prefix(data: str | bytes) -> bool:
    """True when the file starts with a `<64 hex>:` checksum prefix."""
    text = _as_text(data)
    return _PREFIX.match(text) is not None


class Envelope(NamedTuple):
    """A file's payload text and its prefix (None when the file has none)."""

    payload: str
    prefix: str | None

    @property
    def stale(self) -> bool:
        """True when the prefix is not the SHA-256 of the payload (older real exports)."""
        return self.prefix is not None and checksum(self.payload) != self.prefix


STALE_PREFIX_WARNING = (
    "the prefix is not the SHA-256 of the payload (as in older exports); kept as it is"
)


def read_envelope(data: str | bytes) -> Envelope:
    """The payload and the prefix as found (UnreadableWorkflow for a malformed prefix)."""
    text = _as_text(data)
    if not text.strip():
        raise _fail("empty file")
    if _PREFIX.match(text):
        return Envelope(text[65:], text[:64])
    if _PREFIX_LIKE.match(text):
        raise _fail("the prefix before ':' is not 64 lowercase hex digits")
    return Envelope(text, None)


def split_envelope(data: str | bytes) -> tuple[str, bool]:
    """The payload text and whether a checksum prefix was present (matching or not)."""
    payload, prefix = read_envelope(data)
    return payload, prefix is not None


def read_flow(data: str | bytes) -> Workflow:
    """The workflow in a `.flow` file or bare payload (UnreadableWorkflow when it cannot be read)."""
    return parse_payload(read_envelope(data).payload)


def parse_payload(payload: str) -> Workflow:
    """The workflow in a compact JSON payload."""
    if not payload.strip():
        raise _fail("empty payload")
    try:
        doc = json.loads(payload)
    except RecursionError:
        raise _fail("invalid JSON: nested too deeply") from None
    except ValueError as exc:
        at_end = getattr(exc, "pos", 0) >= len(payload.rstrip())
        kind = "truncated JSON" if at_end else "invalid JSON"
        raise _fail(f"{kind}: {exc}") from None
    return workflow_from_json(doc)


def _obj(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise _fail(f"{where} must be a JSON object")
    return value


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise _fail(f"{where} must be a JSON list")
    return value


def _keys(
    obj: dict, allowed: tuple[str, ...], required: tuple[str, ...], where: str
) -> tuple[str, ...]:
    for key in obj:
        if key not in allowed:
            raise _fail(f"{where}: unexpected key '{key}'")
    for key in required:
        if key not in obj:
            raise _fail(f"{where}: missing key '{key}'")
    return tuple(obj)


def _opt_str(obj: dict, key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise _fail(f"{where}: '{key}' must be a string or null")
    return value


def _step_id(value: Any, where: str) -> str | int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _fail(f"{where}: step id must be a string or an integer")
    return value


def _step(raw: Any, index: int) -> Step:
    where = f"step {index}"
    obj = _obj(raw, where)
    required = tuple(k for k in STEP_KEYS if k not in OPTIONAL_STEP_KEYS)
    keys = _keys(obj, STEP_KEYS, required, where)
    step_id = _step_id(obj["step_id"], where)
    where = f"step {step_id!r}"
    pos = obj["step_position"]
    if (
        not isinstance(pos, list)
        or len(pos) != 2
        or any(isinstance(v, bool) or not isinstance(v, int | float) for v in pos)
    ):
        raise _fail(f"{where}: step_position must be [x, y] numbers")
    task_type = obj["task_type"]
    if task_type not in PORTS:
        raise _fail(f"{where}: unknown step type {task_type!r}")
    for key in ("task_id", "task_version"):
        if not isinstance(obj[key], str):
            raise _fail(f"{where}: '{key}' must be a string")
    values = []
    for raw_cv in _list(obj["config_field_values"], f"{where} config_field_values"):
        cv = _obj(raw_cv, f"{where} config value")
        cv_keys = _keys(cv, CONFIG_KEYS, CONFIG_KEYS, f"{where} config value")
        field_id, value = cv["config_field_id"], cv["value"]
        if not isinstance(field_id, str):
            raise _fail(f"{where}: config_field_id must be a string")
        if not isinstance(value, str):
            raise _fail(f"{where}: config value '{field_id}' is not a string")
        if task_type == "CONDITION" and field_id == "condition":
            try:
                parse_condition(value, f"{where} condition")
            except MalformedCondition as exc:
                raise _fail(f"malformed condition: {exc}") from None
        values.append(ConfigValue(field_id, value, cv_keys))
    return Step(
        step_id=step_id,
        step_position=(pos[0], pos[1]),
        config_field_values=tuple(values),
        task_id=obj["task_id"],
        task_version=obj["task_version"],
        task_type=task_type,
        description=_opt_str(obj, "description", where),
        note=_opt_str(obj, "note", where),
        name=_opt_str(obj, "name", where),
        keys=keys,
    )


def _link(raw: Any, index: int) -> Link:
    where = f"link {index}"
    obj = _obj(raw, where)
    keys = _keys(obj, LINK_KEYS, LINK_KEYS, where)
    for key in ("from_port_id", "to_port_id"):
        if not isinstance(obj[key], str):
            raise _fail(f"{where}: '{key}' must be a string")
    return Link(
        from_step_id=_step_id(obj["from_step_id"], where),
        from_port_id=obj["from_port_id"],
        to_step_id=_step_id(obj["to_step_id"], where),
        to_port_id=obj["to_port_id"],
        keys=keys,
    )


def check_graph(steps: tuple[Step, ...], links: tuple[Link, ...]) -> None:
    """Raise UnreadableWorkflow for duplicate ids, trigger count, dangling links or a cycle."""
    ids: set[tuple[type, str | int]] = set()
    for s in steps:
        key = (type(s.step_id), s.step_id)
        if key in ids:
            raise _fail(f"duplicate step id {s.step_id!r}")
        ids.add(key)
    triggers = sum(1 for s in steps if s.task_type == "TRIGGER")
    if triggers != 1:
        raise _fail(f"a workflow needs exactly one TRIGGER step, found {triggers}")
    succ: dict[tuple[type, str | int], list[tuple[type, str | int]]] = {k: [] for k in ids}
    for lk in links:
        for end in (lk.from_step_id, lk.to_step_id):
            if (type(end), end) not in ids:
                raise _fail(f"dangling link: no step with id {end!r}")
        succ[(type(lk.from_step_id), lk.from_step_id)].append((type(lk.to_step_id), lk.to_step_id))
    # Iterative three-colour DFS: workflows are small but fuzzed input must not hit recursion.
    state: dict[tuple[type, str | int], int] = {}
    for start in succ:
        if start in state:
            continue
        stack = [(start, iter(succ[start]))]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                raise _fail(f"links form a cycle through step {nxt[1]!r}")
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))


def workflow_from_json(doc: Any) -> Workflow:
    """The workflow in a parsed payload (`{"__metadata": ..., "root": ...}`)."""
    top = _obj(doc, "payload")
    payload_keys = _keys(top, ("__metadata", "root"), ("root",), "payload")
    root = _obj(top["root"], "root")
    required = tuple(k for k in ROOT_KEYS if k not in OPTIONAL_ROOT_KEYS)
    keys = _keys(root, ROOT_KEYS, required, "root")
    steps = tuple(_step(raw, i) for i, raw in enumerate(_list(root["steps"], "root.steps")))
    links = tuple(_link(raw, i) for i, raw in enumerate(_list(root["links"], "root.links")))
    check_graph(steps, links)
    vle = root.get("vertical_layout_enabled")
    if vle is not None and not isinstance(vle, bool):
        raise _fail("root: 'vertical_layout_enabled' must be true or false")
    for key in ("note", "workflow_name"):
        if root.get(key) is not None and not isinstance(root[key], str):
            raise _fail(f"root: '{key}' must be a string or null")
    return Workflow(
        steps=steps,
        links=links,
        workflow_name=root["workflow_name"],
        note=root.get("note"),
        patched_fields=tuple(_list(root["patched_fields"], "root.patched_fields")),
        variables=tuple(_list(root.get("variables", []), "root.variables")),
        vertical_layout_enabled=vle,
        metadata=top.get("__metadata"),
        keys=keys,
        payload_keys=payload_keys,
    )


def _step_json(s: Step) -> dict[str, Any]:
    values = {
        "step_id": s.step_id,
        "step_position": list(s.step_position),
        "config_field_values": [
            {k: (c.config_field_id if k == "config_field_id" else c.value) for k in c.keys}
            for c in s.config_field_values
        ],
        "task_id": s.task_id,
        "task_version": s.task_version,
        "task_type": s.task_type,
        "description": s.description,
        "note": s.note,
        "name": s.name,
    }
    return {k: values[k] for k in s.keys}


def workflow_to_json(wf: Workflow) -> dict[str, Any]:
    """The payload object of a workflow, keys in the workflow's order."""
    root_values = {
        "steps": [_step_json(s) for s in wf.steps],
        "links": [
            {
                k: {
                    "from_step_id": lk.from_step_id,
                    "from_port_id": lk.from_port_id,
                    "to_step_id": lk.to_step_id,
                    "to_port_id": lk.to_port_id,
                }[k]
                for k in lk.keys
            }
            for lk in wf.links
        ],
        "patched_fields": list(wf.patched_fields),
        "variables": list(wf.variables),
        "note": wf.note,
        "vertical_layout_enabled": wf.vertical_layout_enabled,
        "workflow_name": wf.workflow_name,
    }
    top = {"__metadata": wf.metadata, "root": {k: root_values[k] for k in wf.keys}}
    return {k: top[k] for k in wf.payload_keys}


def dump_payload(wf: Workflow) -> str:
    """The compact payload, byte for byte as the platform exports it."""
    return json.dumps(workflow_to_json(wf), separators=(",", ":"), ensure_ascii=False)


def write_flow(wf: Workflow, prefix: bool = True) -> str:
    """The `.flow` file text: `<sha256>:<payload>` (or the bare payload with prefix=False)."""
    payload = dump_payload(wf)
    return f"{checksum(payload)}:{payload}" if prefix else payload
