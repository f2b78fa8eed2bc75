"""Judges: does the agent's workflow do what the expected workflow does?

The structural judge (the default) rewrites both workflows into a normal form and compares the
forms with `flowgen_core.dsl.sameness.same_workflow` (which already sets aside step ids,
positions, node uuids and the order of steps and links). The rewrites, each a way merchants'
and models' workflows differ without doing anything different:

- AND / OR are commutative and associative: chains are flattened, their operands sorted;
- mirrored comparisons: `500 < x` is `x > 500`; operands are put in a fixed order (a path
  before a literal, then by text) and the operator mirrored;
- a negated condition with its ports swapped: each condition is compared in whichever of its
  two forms (as is, or negated with `true` / `false` links swapped) sorts first; negation goes
  through De Morgan, ANY <-> NONE, ALL -> ANY of the negation and each operator's opposite;
- numbers by value: numeric literals (`500`, `500.0`, `500.00`) and number config fields are
  compared as decimals, and numeric value types (Int, Decimal, Money, ...) as one type;
- resource ids: a path and JSON text with that path as the default (`order.id` and
  `{"value":"","default_value":"order.id"}`) name the same object;
- presentation: workflow name and note, step names / descriptions / notes, config field order,
  whitespace inside Liquid `{{ }}`, JSON spacing and key order, tag list order;
- message prose: an email's (or chat message's) subject and body compare by the Liquid
  values they show (`{{ order.name }}`), not their wording; recipients compare exactly.

The LLM judge asks an OpenAI-compatible model with a versioned prompt; `agreement` reports how
often it agrees with the structural judge when both ran.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from flowgen_core.catalog.model import Catalog
from flowgen_core.dsl.condition import (
    ArrayExpr,
    Comparison,
    ConditionNode,
    Logical,
    MalformedCondition,
    Operand,
    dump_condition,
    parse_condition,
)
from flowgen_core.dsl.field_values import duration_seconds, resource_path
from flowgen_core.dsl.flowfile import read_flow, workflow_from_json
from flowgen_core.dsl.from_python import from_python
from flowgen_core.dsl.model import ConfigValue, Link, Step, Workflow
from flowgen_core.dsl.pycondition import condition_expr
from flowgen_core.dsl.sameness import condition_form, same_workflow
from flowgen_core.errors import UnreadableInput
from flowgen_core.llm import OpenAIChatClient

NUMERIC_TYPES = frozenset(
    {"Int", "Float", "Decimal", "Money", "UnsignedInt64"}
)  # value types compared by value
NUMBER_VALUE_TYPE = "EnvironmentScalarDefinition:Decimal"  # the one type numbers compare as
MIRROR = {"==": "==", "!=": "!=", ">": "<", "<": ">", ">=": "<=", "<=": ">="}
OPPOSITE = {
    "==": "!=",
    "!=": "==",
    ">": "<=",
    "<=": ">",
    "<": ">=",
    ">=": "<",
    "include?": "not_include?",
    "not_include?": "include?",
    "in?": "not_in?",
    "not_in?": "in?",
    "nil?": "not_nil?",
    "not_nil?": "nil?",
    "empty_or_nil?": "not_empty_and_not_nil?",
    "not_empty_and_not_nil?": "empty_or_nil?",
}
UNORDERED_LIST_FIELDS = frozenset({"tags", "collection_ids", "catalog_ids", "publication_ids"})
# Message prose (an email's subject and body, a chat message): merchants ask for "an email
# with the order number", not for wording, so these compare by the Liquid values they show.
# Only in tasks without a `url` field: an HTTP request's body is a payload, compared exactly.
PROSE_FIELDS = frozenset({"subject", "body", "message", "text"})
_LIQUID = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.S)
_LIQUID_TAG = re.compile(r"\{%-?\s*(.*?)\s*-?%\}", re.S)


@dataclass(frozen=True)
class Verdict:
    """A judge's decision: equivalent or not, and why not (one line)."""

    equivalent: bool
    reason: str = ""

    def line(self) -> str:
        """`equivalent` or `different: <reason>`."""
        return "equivalent" if self.equivalent else f"different: {self.reason}"


# -- conditions -------------------------------------------------------------------------


def _number(text: str) -> str | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite():
        return None
    return format(value.normalize(), "f") if value != 0 else "0"


def _value_type(vt: str) -> str:
    return NUMBER_VALUE_TYPE if vt.rsplit(":", 1)[-1] in NUMERIC_TYPES else vt


def _literal(op: Operand, vt: str, comma_list: bool) -> Operand:
    value = op.value
    if comma_list:
        items = (
            [_number(v) or v.strip() for v in value.split(",")]
            if vt == NUMBER_VALUE_TYPE
            else [v.strip() for v in value.split(",")]
        )
        value = ",".join(sorted(items))
    elif vt == NUMBER_VALUE_TYPE:
        value = _number(value) or value
    return replace(op, value=value, uuid="", parent_uuid=None)


def _key(node: Any) -> str:
    return json.dumps(condition_form(node), sort_keys=True)


def _operand_key(op: Operand) -> tuple[int, str]:
    return (0 if op.is_env else 1, op.full_environment_path or op.value)


def _comparison(node: Comparison) -> Comparison:
    vt = _value_type(node.value_type)
    lhs = node.lhs if node.lhs.is_env else _literal(node.lhs, vt, False)
    lhs = replace(lhs, uuid="", parent_uuid=None)
    rhs = node.rhs
    if rhs is not None:
        rhs = rhs if rhs.is_env else _literal(rhs, vt, node.operator in ("in?", "not_in?"))
        rhs = replace(rhs, uuid="", parent_uuid=None)
    op = node.operator
    if rhs is not None and op in MIRROR and _operand_key(rhs) < _operand_key(lhs):
        lhs, rhs, op = rhs, lhs, MIRROR[op]
    return replace(node, lhs=lhs, rhs=rhs, operator=op, value_type=vt, uuid="", parent_uuid=None)


def _flatten(node: ConditionNode, operator: str) -> list[ConditionNode]:
    if isinstance(node, Logical) and node.operator == operator:
        rest = [] if node.rhs is None else _flatten(node.rhs, operator)
        return _flatten(node.lhs, operator) + rest
    return [node]


def canonical_condition(node: ConditionNode) -> ConditionNode:
    """The normal form of a condition tree (flattened, sorted, mirrored, numbers by value)."""
    if isinstance(node, Comparison):
        return _comparison(node)
    if isinstance(node, ArrayExpr):
        inner = canonical_condition(node.operation)
        return replace(node, operation=inner, uuid="", parent_uuid=None)
    if node.rhs is None:
        return canonical_condition(node.lhs)  # the editor's one-operand wrapper means its operand
    if node.operator not in ("AND", "OR"):
        return replace(
            node,
            lhs=canonical_condition(node.lhs),
            rhs=canonical_condition(node.rhs),
            uuid="",
            parent_uuid=None,
        )
    parts = [canonical_condition(p) for p in _flatten(node, node.operator)]
    # Canonical children may themselves be chains of the same operator after negation.
    flat: list[ConditionNode] = []
    for p in parts:
        flat.extend(_flatten(p, node.operator))
    unique = {_key(p): p for p in flat}
    ordered = [unique[k] for k in sorted(unique)]
    out = ordered[-1]
    for p in reversed(ordered[:-1]):
        out = Logical(uuid="", parent_uuid=None, lhs=p, rhs=out, operator=node.operator)
    return out


def negate(node: ConditionNode) -> ConditionNode | None:
    """The negation of a condition, or None when the language cannot say it."""
    if isinstance(node, Comparison):
        if node.operator not in OPPOSITE:
            return None
        return replace(node, operator=OPPOSITE[node.operator])
    if isinstance(node, Logical):
        if node.rhs is None:
            return negate(node.lhs)
        if node.operator not in ("AND", "OR"):
            return None
        lhs, rhs = negate(node.lhs), negate(node.rhs)
        if lhs is None or rhs is None:
            return None
        return replace(node, lhs=lhs, rhs=rhs, operator="OR" if node.operator == "AND" else "AND")
    if node.operator == "ANY":
        return replace(node, operator="NONE")
    if node.operator == "NONE":
        return replace(node, operator="ANY")
    if node.operator == "ALL":
        inner = negate(node.operation)
        return None if inner is None else replace(node, operation=inner, operator="ANY")
    return None


# -- workflows --------------------------------------------------------------------------


def _liquid(text: str) -> str:
    text = _LIQUID.sub(lambda m: "{{" + re.sub(r"\s+", " ", m.group(1)) + "}}", text)
    return _LIQUID_TAG.sub(lambda m: "{%" + re.sub(r"\s+", " ", m.group(1)) + "%}", text)


def _config_value(kind: str | None, field_id: str, value: str) -> str:
    if kind == "resource_id":
        return resource_path(value) or _liquid(value)
    if kind == "number":
        return _number(value) or value
    if kind == "duration":
        seconds = duration_seconds(value)  # PT30M, PT0.5H and PT1800S are one wait
        return value if seconds is None else f"{seconds:g}s"
    if kind in ("string_list", "json", "recurrence"):
        try:
            parsed = json.loads(value)
        except ValueError:
            return _liquid(value)
        if kind == "string_list" and isinstance(parsed, list) and field_id in UNORDERED_LIST_FIELDS:
            parsed = sorted(set(map(str, parsed)))
        if kind == "json" and isinstance(parsed, dict):
            # Admin API calls carry a JSON text inside JSON; compare that as JSON too.
            parsed = {k: _maybe_json(v) for k, v in parsed.items()}
        return _liquid(
            json.dumps(parsed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        )
    return _liquid(value)


def _prose(text: str) -> str:
    """Message prose as the sorted set of Liquid outputs it shows (wording set aside)."""
    shown = {re.sub(r"\s+", " ", m.group(1)) for m in _LIQUID.finditer(text)}
    return "prose:" + json.dumps(sorted(shown)) if text.strip() else ""


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def normalize(wf: Workflow, catalog: Catalog) -> Workflow:
    """The workflow rewritten into the judge's normal form (see the module docstring)."""
    steps: list[Step] = []
    swapped: set[Any] = set()
    for s in wf.steps:
        task = catalog.get(s.task_id, s.task_version)
        values = []
        for c in s.config_field_values:
            f = task.field(c.config_field_id) if task else None
            if s.task_type == "CONDITION" and c.config_field_id == "condition":
                text, negated = _condition_value(c.value)
                if negated:
                    swapped.add(s.step_id)
                values.append(ConfigValue(c.config_field_id, text))
            else:
                kind = f.kind if f else None
                if (
                    task is not None
                    and kind == "text"
                    and c.config_field_id in PROSE_FIELDS
                    and task.field("url") is None
                ):
                    value = _prose(c.value)
                else:
                    value = _config_value(kind, c.config_field_id, c.value)
                values.append(ConfigValue(c.config_field_id, value))
        values.sort(key=lambda v: v.config_field_id)
        steps.append(
            replace(
                s,
                config_field_values=tuple(values),
                description=None,
                note=None,
                name=None,
                step_position=(0, 0),
            )
        )
    flip = {"true": "false", "false": "true"}
    links = tuple(
        Link(lk.from_step_id, flip[lk.from_port_id], lk.to_step_id, lk.to_port_id)
        if lk.from_step_id in swapped and lk.from_port_id in flip
        else Link(lk.from_step_id, lk.from_port_id, lk.to_step_id, lk.to_port_id)
        for lk in wf.links
    )
    return replace(wf, steps=tuple(steps), links=links, workflow_name="", note=None)


def _condition_value(text: str) -> tuple[str, bool]:
    """The canonical condition text, and whether it is the negated form (ports swap)."""
    try:
        node = parse_condition(text)
    except MalformedCondition:
        return text, False
    plain = canonical_condition(node)
    neg = negate(node)
    if neg is not None:
        negated = canonical_condition(neg)
        if _key(negated) < _key(plain):
            return dump_condition(negated), True
    return dump_condition(plain), False


def structural_judge(expected: Workflow, actual: Workflow, catalog: Catalog) -> Verdict:
    """Equivalent when both workflows have the same normal form; else the first difference."""
    a, b = normalize(expected, catalog), normalize(actual, catalog)
    reason = same_workflow(a, b)
    if reason is None:
        return Verdict(True)
    if reason.endswith("config differs"):
        reason = _field_reason(a, b, expected, actual) or reason
    return Verdict(False, reason)


def _field_reason(a: Workflow, b: Workflow, orig_a: Workflow, orig_b: Workflow) -> str | None:
    """Which config field differs, for a step of the same task unmatched on both sides; the
    values shown are the ones as written (`orig_*`), not the normal form."""

    def form(s: Step) -> str:
        return json.dumps(
            [s.task_id, s.task_type, [[c.config_field_id, c.value] for c in s.config_field_values]]
        )

    forms_a, forms_b = {form(s) for s in a.steps}, {form(s) for s in b.steps}
    only_a = [s for s in a.steps if form(s) not in forms_b]
    only_b = [s for s in b.steps if form(s) not in forms_a]
    for sa in only_a:
        for sb in only_b:
            if (sa.task_id, sa.task_type) != (sb.task_id, sb.task_type):
                continue
            ca = {c.config_field_id: c.value for c in sa.config_field_values}
            cb = {c.config_field_id: c.value for c in sb.config_field_values}
            for key in sorted(ca.keys() | cb.keys()):
                if ca.get(key) != cb.get(key):
                    va = _show(key, _written(orig_a, sa.step_id, key))
                    vb = _show(key, _written(orig_b, sb.step_id, key))
                    return f"step {sa.task_id}: {key} differs: expected {va}, got {vb}"
    return None


def _written(wf: Workflow, step_id: str | int, field_id: str) -> str | None:
    """A step's config value as the workflow has it."""
    for s in wf.steps:
        if s.step_id == step_id:
            return next(
                (c.value for c in s.config_field_values if c.config_field_id == field_id), None
            )
    return None


def _show(field_id: str, value: str | None) -> str:
    """A config value for a reason line (a condition as its Python expression)."""
    if value is None:
        return "nothing"
    if field_id == "condition":
        try:
            return condition_expr(parse_condition(value))[:200]
        except MalformedCondition:
            pass
    return repr(value[:80])


def read_workflow(path: Path, catalog: Catalog) -> Workflow:
    """A workflow from a `.flow`, `.json` (the payload) or `.py` (the DSL) file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read ({exc.strerror})") from None
    if path.suffix == ".py":
        try:
            return from_python(data.decode("utf-8"), catalog)
        except UnicodeDecodeError:
            raise UnreadableInput(f"{path}: not UTF-8 text") from None
    if path.suffix == ".json":
        try:
            doc = json.loads(data)
        except ValueError as exc:
            raise UnreadableInput(f"{path}: not JSON ({exc})") from None
        return workflow_from_json(doc)
    return read_flow(data)


# -- LLM judge --------------------------------------------------------------------------

# Bump with any change to the prompt: reports record it, so verdicts compare like with like.
JUDGE_PROMPT_VERSION = "judge-v2"
JUDGE_PROMPT = """You compare two Shopify Flow workflows written in a Python DSL.
The EXPECTED workflow is what the merchant needed; the ACTUAL one is what an agent wrote.
Decide whether ACTUAL does the same thing as EXPECTED for every possible input: same trigger,
same conditions (logically, in any form), same actions with the same settings, in the same
order where order matters. Names, comments, step order of independent branches and formatting
do not matter; nor does the wording of an email's subject and body or a chat message, as long
as they show the same values (the same {{ ... }} expressions) to the same recipients.
Answer with exactly one line: `EQUIVALENT` or `DIFFERENT: <one short reason>`."""


class LLMJudge:
    """The production judge: an OpenAI-compatible model with the versioned prompt above."""

    version = JUDGE_PROMPT_VERSION

    def __init__(self, client: OpenAIChatClient) -> None:
        self.client = client

    def messages(self, expected_python: str, actual_python: str) -> list[dict[str, str]]:
        """The conversation sent for one comparison."""
        user = (
            f"EXPECTED:\n```python\n{expected_python}```\n\nACTUAL:\n```python\n{actual_python}```"
        )
        return [{"role": "system", "content": JUDGE_PROMPT}, {"role": "user", "content": user}]

    def judge_many(self, pairs: list[tuple[str, str]]) -> list[Verdict]:
        """Verdicts for (expected, actual) Python pairs, in order."""
        answers = self.client.complete_many([self.messages(e, a) for e, a in pairs], temperature=0)
        return [parse_verdict(a) for a in answers]


def parse_verdict(answer: str) -> Verdict:
    """Read `EQUIVALENT` / `DIFFERENT: reason`; anything else is a difference (unreadable)."""
    line = answer.strip().splitlines()[0].strip() if answer.strip() else ""
    upper = line.upper()
    if upper.startswith("EQUIVALENT"):
        return Verdict(True)
    if upper.startswith("DIFFERENT"):
        return Verdict(False, line.partition(":")[2].strip() or "the judge gave no reason")
    return Verdict(False, f"unreadable judge answer: {line[:80]!r}")


def agreement(a: list[Verdict], b: list[Verdict]) -> float | None:
    """Share of cases where two judges decided the same (None when there are none)."""
    if not a:
        return None
    return sum(x.equivalent == y.equivalent for x, y in zip(a, b, strict=True)) / len(a)
