"""Validate a workflow against the task catalog, reporting errors in the platform's four buckets.

`validate(workflow, catalog)` takes the typed workflow (flowgen_core.dsl.model.Workflow);
`validate_document(doc, catalog)` takes the parsed payload of a `.flow` file (the dict under
the checksum prefix). Both return a sorted list of `ValidationError`; an empty list means valid.
`validation_report(workflow, catalog)` gives the errors and the warnings.

Warnings (bucket `taskErrors`, never counted as errors): a task the catalog does not know at
all (a custom app's trigger with a UUID id, a third-party action such as `slack::send_message`
from an app the catalog does not model). The platform runs such tasks for shops that have the
app, so they are not wrong; their fields cannot be checked, and what they put in scope is not
known, so after one (on every path) any name may be in scope.

Every function takes `unknown_tasks="error"` to make such a task an error instead (same
bucket, the rest of the checks unchanged). That is the rule wherever the model's output or its
training data is judged: the model only knows the catalog's tasks (through task_search), so
an unknown task in its answer is a hallucination, and an example that needs one cannot be
learned through the tools. `flowgen dsl validate` keeps the default, "warning".

Buckets and what lands in each:

- `configFieldErrors`: a required field missing, a field the task does not have, a field given
  twice, a value that does not read as its kind (boolean `"true"`/`"false"`; number: decimal
  text or a Liquid template, within the field's bounds; string_list: JSON array of strings;
  enum: one of the values; duration: ISO-8601; recurrence: JSON array of iCalendar text with an
  RRULE at least 10 minutes apart; json: valid JSON; list_path: a dotted path whose root is in
  scope and, when its type is known, a list; resource_id: an environment path whose root is in
  scope, or JSON text `{"value": ..., "default_value": path}`, never Liquid).
- `conditionErrors` (field `condition`): malformed nodes, unknown operators, a unary operator
  with a right side or a binary one without, Liquid (`{{`, `{%`) anywhere in the tree, a path
  whose root is a known scope name that is not in scope at that step, operand types that
  disagree with `value_type` or the operator where the catalog's environment knows the type,
  literals that do not read as the compared type. The shapes real exports write are checked
  like the others: the editor's one-operand wrapper (a Logical node with no `rhs` key) through
  its operand, array paths and item keys given as EnvironmentValue operand objects (the item
  key's `value` names the item inside the operation), and an EnvironmentValue operand without
  `full_environment_path` by its `value`.
- `foreachBodyErrors`: a FOREACH, WAIT or get-data step reachable from a FOREACH's `loop_body`.
  The 100-item limit of a FOREACH cannot be checked statically (the list's length is only known
  at run time); get-data steps are bounded by their `first` field (0-100) instead.
- `taskErrors`: unknown version of a known task, `task_type` disagreeing with the catalog, an
  action whose `requires` nothing before it put in scope (on every path to it), graph problems
  (no or several triggers, links to missing steps, ports the step type does not have,
  `to_port_id` other than `input`, steps nothing links to, links into a trigger, cycles), and
  the total of WAIT durations on a path above 90 days (reported once, at the WAIT where a path
  first crosses the limit, with field `wait_duration`).

Scope ("context") is computed along the graph: the trigger's `provides` plus `shop`, then each
step's own `provides` (numbered for repeats: getOrderData, getOrderData1, ... in step-list
order), the loop item `<last path segment>Foreachitem` inside a FOREACH body; a name is in
scope at a step only when it is on every path to it. An object in scope also brings the objects
it implies (order -> customer), from the catalog's environment.

Errors are sorted by bucket, the step's position in the step list (workflow-level errors
first), field and message, and deduplicated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from flowgen_core.catalog.model import Catalog, Environment, Task, kind_of, list_item_type
from flowgen_core.dsl import condition
from flowgen_core.dsl.field_values import (
    NUMBER,
    PATH,
    bounds_problem,
    duration_seconds,
    field_value_problem,
    is_liquid,
    resource_path,
    short_number,
)
from flowgen_core.dsl.model import PORTS, Workflow

BUCKETS = ("configFieldErrors", "conditionErrors", "foreachBodyErrors", "taskErrors")
CONFIG, CONDITION, FOREACH_BODY, TASK = BUCKETS

BINARY_OPERATORS = frozenset(condition.BINARY_OPERATORS)
UNARY_OPERATORS = frozenset(condition.UNARY_OPERATORS)
LIST_OPERATORS = frozenset({"in?", "not_in?"})
ORDERING_OPERATORS = frozenset({">", ">=", "<", "<="})
AFFIX_OPERATORS = frozenset({"starts_with?", "ends_with?"})

MAX_WAIT_SECONDS = 90 * 86400
GET_DATA_AREA = "get_data"

_NUMERIC = frozenset({"Int", "Float", "Decimal", "Money"})
_TEXT = frozenset({"String", "ID", "URL", "HTML"})
_TIME = frozenset({"DateTime", "Date"})

_VALUE_TYPE = re.compile(r"^[A-Za-z]+:[A-Za-z_][A-Za-z0-9_]*$")

StepId = str | int
# What a task the catalog does not know is: a warning (the platform runs it) or an error.
UnknownTasks = Literal["warning", "error"]
UNKNOWN_TASK_RULES: tuple[UnknownTasks, ...] = ("warning", "error")


@dataclass(frozen=True)
class ValidationError:
    """One problem, in the platform's shape."""

    bucket: str  # one of BUCKETS
    step_id: StepId | None  # the step it is about; None for the workflow as a whole
    field: str | None  # the config field it is about, or None
    message: str  # one line a merchant or the model can act on


@dataclass(frozen=True)
class StepView:
    """The parts of a step validation reads."""

    step_id: StepId
    task_id: str
    task_version: str
    task_type: str
    config: tuple[tuple[str, str], ...]  # (config_field_id, value) in order


@dataclass(frozen=True)
class LinkView:
    """One link."""

    from_step_id: StepId
    from_port_id: str
    to_step_id: StepId
    to_port_id: str


@dataclass(frozen=True)
class ValidationReport:
    """Errors (the workflow is invalid when there is one) and warnings (it is not)."""

    errors: list[ValidationError]
    warnings: list[ValidationError]


def validate(
    workflow: Workflow, catalog: Catalog, *, unknown_tasks: UnknownTasks = "warning"
) -> list[ValidationError]:
    """Errors of a typed workflow (flowgen_core.dsl.model.Workflow) against the catalog."""
    return validation_report(workflow, catalog, unknown_tasks=unknown_tasks).errors


def validation_report(
    workflow: Workflow, catalog: Catalog, *, unknown_tasks: UnknownTasks = "warning"
) -> ValidationReport:
    """Errors and warnings of a typed workflow against the catalog."""
    steps = [
        StepView(
            step_id=s.step_id,
            task_id=s.task_id,
            task_version=s.task_version,
            task_type=s.task_type,
            config=tuple((c.config_field_id, c.value) for c in s.config_field_values),
        )
        for s in workflow.steps
    ]
    links = [
        LinkView(lk.from_step_id, lk.from_port_id, lk.to_step_id, lk.to_port_id)
        for lk in workflow.links
    ]
    return check_all(steps, links, catalog, unknown_tasks=unknown_tasks)


def validate_document(
    doc: Mapping[str, Any], catalog: Catalog, *, unknown_tasks: UnknownTasks = "warning"
) -> list[ValidationError]:
    """Errors of a parsed `.flow` payload ({"__metadata": ..., "root": ...}) against the catalog."""
    return document_report(doc, catalog, unknown_tasks=unknown_tasks).errors


def document_report(
    doc: Mapping[str, Any], catalog: Catalog, *, unknown_tasks: UnknownTasks = "warning"
) -> ValidationReport:
    """Errors and warnings of a parsed `.flow` payload against the catalog."""
    root = doc["root"]
    steps = [
        StepView(
            step_id=s["step_id"],
            task_id=s["task_id"],
            task_version=s["task_version"],
            task_type=s["task_type"],
            config=tuple((c["config_field_id"], c["value"]) for c in s["config_field_values"]),
        )
        for s in root["steps"]
    ]
    links = [
        LinkView(lk["from_step_id"], lk["from_port_id"], lk["to_step_id"], lk["to_port_id"])
        for lk in root["links"]
    ]
    return check_all(steps, links, catalog, unknown_tasks=unknown_tasks)


def errors_by_bucket(errors: Iterable[ValidationError]) -> dict[str, list[dict[str, Any]]]:
    """The platform's JSON shape: every bucket, each a list of {step_id, field, message}."""
    out: dict[str, list[dict[str, Any]]] = {b: [] for b in BUCKETS}
    for e in errors:
        out[e.bucket].append({"step_id": e.step_id, "field": e.field, "message": e.message})
    return out


# --- the checks -----------------------------------------------------------------------------


class _Report:
    def __init__(self, steps: list[StepView]) -> None:
        self.order: dict[tuple[str, str], int] = {}
        for i, s in enumerate(steps):
            self.order.setdefault(_key(s.step_id), i)
        self.errors: set[ValidationError] = set()
        self.warnings: set[ValidationError] = set()

    def add(self, bucket: str, step_id: StepId | None, field: str | None, message: str) -> None:
        self.errors.add(ValidationError(bucket, step_id, field, message))

    def warn(self, bucket: str, step_id: StepId | None, field: str | None, message: str) -> None:
        self.warnings.add(ValidationError(bucket, step_id, field, message))

    def sorted(self, which: set[ValidationError] | None = None) -> list[ValidationError]:
        def sort_key(e: ValidationError) -> tuple:
            pos = -1 if e.step_id is None else self.order.get(_key(e.step_id), -1)
            return (BUCKETS.index(e.bucket), pos, e.field or "", e.message)

        return sorted(self.errors if which is None else which, key=sort_key)

    def result(self) -> ValidationReport:
        return ValidationReport(self.sorted(), self.sorted(self.warnings))


def _key(step_id: StepId) -> tuple[str, str]:
    # 1 and "1" are different step ids; bool is never a valid one.
    return (type(step_id).__name__, str(step_id))


def check(
    steps: list[StepView],
    links: list[LinkView],
    catalog: Catalog,
    *,
    unknown_tasks: UnknownTasks = "warning",
) -> list[ValidationError]:
    """All checks over the step and link views: the errors."""
    return check_all(steps, links, catalog, unknown_tasks=unknown_tasks).errors


def check_all(
    steps: list[StepView],
    links: list[LinkView],
    catalog: Catalog,
    *,
    unknown_tasks: UnknownTasks = "warning",
) -> ValidationReport:
    """All checks over the step and link views: errors and warnings."""
    if unknown_tasks not in UNKNOWN_TASK_RULES:
        raise ValueError(f"unknown_tasks must be 'warning' or 'error', not {unknown_tasks!r}")
    report = _Report(steps)
    env = catalog.environment
    by_id: dict[tuple[str, str], StepView] = {}
    for s in steps:
        if _key(s.step_id) in by_id:
            report.add(TASK, s.step_id, None, f"step id {s.step_id!r} is used by two steps")
        by_id.setdefault(_key(s.step_id), s)

    tasks: dict[tuple[str, str], Task] = {}
    for s in steps:
        task = _check_task(s, catalog, report, unknown_tasks)
        if task is not None:
            tasks[_key(s.step_id)] = task
            _check_config(s, task, report)

    unknown = {_key(s.step_id) for s in steps if catalog.get(s.task_id) is None}
    graph = _check_graph(steps, links, by_id, report)
    if graph is None:  # a cycle: path-based checks would not terminate meaningfully
        return report.result()
    succ, preds, order, trigger = graph
    _check_foreach_bodies(steps, succ, tasks, by_id, report)
    _check_waits(order, preds, by_id, report)
    if trigger is not None:
        _check_scope(trigger, order, preds, by_id, tasks, unknown, env, report)
    return report.result()


def _check_task(
    s: StepView, catalog: Catalog, report: _Report, unknown_tasks: UnknownTasks
) -> Task | None:
    latest = catalog.get(s.task_id)
    if latest is None:
        if unknown_tasks == "error":
            report.add(TASK, s.step_id, None, f"unknown task {s.task_id} (not in the catalog)")
        else:
            report.warn(
                TASK, s.step_id, None, f"unknown task {s.task_id} (not in the catalog; not checked)"
            )
        return None
    task = catalog.get(s.task_id, s.task_version)
    if task is None:
        known = catalog.versions(s.task_id)
        report.add(
            TASK,
            s.step_id,
            None,
            f"unknown version {s.task_version!r} of {s.task_id} (known: {', '.join(known)})",
        )
        return None
    if s.task_type != task.type:
        report.add(
            TASK,
            s.step_id,
            None,
            f"task_type {s.task_type} disagrees with the catalog, which says {task.type}",
        )
    return task


# --- config fields --------------------------------------------------------------------------


def _check_config(s: StepView, task: Task, report: _Report) -> None:
    seen: set[str] = set()
    for fid, value in s.config:
        if fid in seen:
            report.add(CONFIG, s.step_id, fid, f"field {fid} is given more than once")
            continue
        seen.add(fid)
        if not isinstance(value, str):
            report.add(CONFIG, s.step_id, fid, f"{fid}: config values are strings, got {value!r}")
            continue
        field = task.field(fid)
        if field is None:
            known = ", ".join(f.id for f in task.fields) or "none"
            report.add(CONFIG, s.step_id, fid, f"{task.label} has no field {fid} (fields: {known})")
            continue
        if field.kind == "condition":
            continue  # checked with scope, in the conditionErrors bucket
        problem = field_value_problem(field.kind, value, field.enum_values)
        if problem is None and field.kind == "number" and not is_liquid(value):
            problem = bounds_problem(float(value), field.minimum, field.maximum)
        if problem is not None:
            report.add(CONFIG, s.step_id, fid, f"{fid}: {problem}")
    for field in task.fields:
        if field.required and field.id not in seen:
            report.add(CONFIG, s.step_id, field.id, f"required field {field.id} is missing")


# --- graph ------------------------------------------------------------------------------------


def _check_graph(
    steps: list[StepView],
    links: list[LinkView],
    by_id: dict[tuple[str, str], StepView],
    report: _Report,
) -> tuple[dict, dict, list[tuple[str, str]], tuple[str, str] | None] | None:
    triggers = [s for s in steps if s.task_type == "TRIGGER"]
    if not triggers:
        report.add(TASK, None, None, "the workflow has no trigger")
    for extra in triggers[1:]:
        report.add(TASK, extra.step_id, None, "a workflow has exactly one trigger")
    trigger = _key(triggers[0].step_id) if triggers else None

    succ: dict[tuple[str, str], list[tuple[str, tuple[str, str]]]] = {k: [] for k in by_id}
    preds: dict[tuple[str, str], list[tuple[tuple[str, str], str]]] = {k: [] for k in by_id}
    for lk in links:
        a, b = _key(lk.from_step_id), _key(lk.to_step_id)
        if a not in by_id or b not in by_id:
            missing = lk.from_step_id if a not in by_id else lk.to_step_id
            present = lk.to_step_id if a not in by_id else lk.from_step_id
            report.add(
                TASK,
                present if _key(present) in by_id else None,
                None,
                f"a link refers to step {missing!r}, which does not exist",
            )
            continue
        src = by_id[a]
        ports = PORTS.get(src.task_type, ())
        if lk.from_port_id not in ports:
            report.add(
                TASK,
                src.step_id,
                None,
                f"{src.task_type} steps have no output port {lk.from_port_id!r} "
                f"(ports: {', '.join(ports) or 'none'})",
            )
        if lk.to_port_id != "input":
            report.add(
                TASK,
                lk.to_step_id,
                None,
                f"links must end at port 'input', not {lk.to_port_id!r}",
            )
        if by_id[b].task_type == "TRIGGER":
            report.add(TASK, lk.to_step_id, None, "nothing can link into a trigger")
        succ[a].append((lk.from_port_id, b))
        preds[b].append((a, lk.from_port_id))

    for s in steps:
        k = _key(s.step_id)
        if s.task_type != "TRIGGER" and not preds[k]:
            report.add(TASK, s.step_id, None, "no step links to this step (orphan)")

    order = _topological(by_id, succ)
    if order is None:
        report.add(TASK, None, None, "the links form a cycle")
        return None
    return succ, preds, order, trigger


def _topological(
    by_id: dict[tuple[str, str], StepView], succ: dict[tuple[str, str], list]
) -> list[tuple[str, str]] | None:
    indegree = {k: 0 for k in by_id}
    for outs in succ.values():
        for _, b in outs:
            indegree[b] += 1
    ready = [k for k in by_id if indegree[k] == 0]
    order = []
    while ready:
        k = ready.pop(0)
        order.append(k)
        for _, b in succ[k]:
            indegree[b] -= 1
            if indegree[b] == 0:
                ready.append(b)
    return order if len(order) == len(by_id) else None


# --- FOREACH bodies and waits ------------------------------------------------------------------


def _check_foreach_bodies(
    steps: list[StepView],
    succ: dict[tuple[str, str], list[tuple[str, tuple[str, str]]]],
    tasks: dict[tuple[str, str], Task],
    by_id: dict[tuple[str, str], StepView],
    report: _Report,
) -> None:
    for loop in steps:
        if loop.task_type != "FOREACH":
            continue
        body = _reachable([b for port, b in succ[_key(loop.step_id)] if port == "loop_body"], succ)
        for k in sorted(body, key=lambda k: report.order.get(k, -1)):
            s = by_id[k]
            task = tasks.get(k)
            if s.task_type == "FOREACH":
                what = "a For each"
            elif s.task_type == "WAIT":
                what = "a Wait"
            elif task is not None and task.area == GET_DATA_AREA:
                what = f"a get-data step ({task.label})"
            else:
                continue
            report.add(
                FOREACH_BODY,
                s.step_id,
                None,
                f"{what} cannot run inside the body of For each {loop.step_id!r}",
            )


def _reachable(start: list[tuple[str, str]], succ: dict) -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    todo = list(start)
    while todo:
        k = todo.pop()
        if k not in seen:
            seen.add(k)
            todo.extend(b for _, b in succ[k])
    return seen


def _wait_seconds(s: StepView) -> float:
    if s.task_type != "WAIT":
        return 0.0
    for fid, value in s.config:
        if fid == "wait_duration" and isinstance(value, str):
            return duration_seconds(value) or 0.0
    return 0.0


def _check_waits(
    order: list[tuple[str, str]],
    preds: dict[tuple[str, str], list[tuple[tuple[str, str], str]]],
    by_id: dict[tuple[str, str], StepView],
    report: _Report,
) -> None:
    total: dict[tuple[str, str], float] = {}
    for k in order:
        before = max((total[p] for p, _ in preds[k]), default=0.0)
        total[k] = before + _wait_seconds(by_id[k])
        if before <= MAX_WAIT_SECONDS < total[k]:
            report.add(
                TASK,
                by_id[k].step_id,
                "wait_duration",
                f"waits on a path to this step total {short_number(round(total[k] / 86400, 2))} days; "
                "the limit is 90 days",
            )


# --- scope: context and conditions --------------------------------------------------------------

Scope = dict[str, str]  # name -> type ("JSON" when not known)


class _OpenScope(dict):
    """A scope after a task the catalog does not know: any name may be in it (as JSON)."""

    def __contains__(self, name: object) -> bool:
        return True

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(name, "JSON")


def _scope_like(template: Scope, names: Mapping[str, str]) -> Scope:
    """`names` as a scope, open when `template` is."""
    return _OpenScope(names) if isinstance(template, _OpenScope) else dict(names)


def _check_scope(
    trigger: tuple[str, str],
    order: list[tuple[str, str]],
    preds: dict[tuple[str, str], list[tuple[tuple[str, str], str]]],
    by_id: dict[tuple[str, str], StepView],
    tasks: dict[tuple[str, str], Task],
    unknown: set[tuple[str, str]],
    env: Environment,
    report: _Report,
) -> None:
    provided = _provided_names(order, by_id, tasks, report)
    scope_at: dict[tuple[str, str], Scope] = {}
    out_of: dict[tuple[tuple[str, str], str], Scope] = {}
    for k in order:
        s = by_id[k]
        if k == trigger:
            scope = {n: env.root_type(n) or "JSON" for n in env.always_in_scope}
            if k in unknown:
                scope = _OpenScope(scope)
        else:
            incoming = [out_of[(p, port)] for p, port in preds[k] if (p, port) in out_of]
            if not incoming:
                continue  # not reachable from the trigger: reported as an orphan
            # A name is in scope when every path brings it; an open scope brings any name.
            names: dict[str, str] = {}
            for x in incoming:
                for n, t in x.items():
                    if n not in names and all(n in y for y in incoming):
                        names[n] = t
            everywhere_open = all(isinstance(x, _OpenScope) for x in incoming)
            scope = _OpenScope(names) if everywhere_open else names
        scope_at[k] = scope
        task = tasks.get(k)
        if task is not None:
            _check_step_in_scope(s, task, scope, env, report)
        after = _OpenScope(scope) if k in unknown else _scope_like(scope, scope)
        for name in provided.get(k, ()):
            after[name] = env.root_type(name) or "JSON"
        for port in PORTS.get(s.task_type, ()):
            out_of[(k, port)] = after
        if s.task_type == "FOREACH":
            out_of[(k, "loop_body")] = _scope_like(after, {**after, **_loop_item(s, scope, env)})


def _provided_names(
    order: list[tuple[str, str]],
    by_id: dict[tuple[str, str], StepView],
    tasks: dict[tuple[str, str], Task],
    report: _Report,
) -> dict[tuple[str, str], list[str]]:
    counts: dict[str, int] = {}
    out: dict[tuple[str, str], list[str]] = {}
    # Repeats are numbered in step-list order (the order the editor created them).
    for k in sorted(order, key=lambda k: report.order.get(k, -1)):
        task = tasks.get(k)
        if task is None:
            continue
        names = []
        for name in task.provides:
            if by_id[k].task_type == "TRIGGER":
                names.append(name)
                continue
            n = counts.get(name, 0)
            counts[name] = n + 1
            names.append(name if n == 0 else f"{name}{n}")
        out[k] = names
    return out


def _loop_item(s: StepView, scope: Scope, env: Environment) -> Scope:
    path = dict(s.config).get("listpath")
    if not isinstance(path, str) or not PATH.match(path):
        return {}
    name = path.split(".")[-1] + "Foreachitem"
    list_type = env.path_type(path, scope)
    item = list_item_type(list_type) if list_type else None
    return {name: item or "JSON"}


def _is_scope_name(name: str, env: Environment) -> bool:
    return env.root_type(name) is not None or name.endswith("Foreachitem")


def _check_step_in_scope(
    s: StepView, task: Task, scope: Scope, env: Environment, report: _Report
) -> None:
    if task.type == "ACTION" and task.requires and not isinstance(scope, _OpenScope):
        kinds = set(env.always_in_scope)
        for name, type_name in scope.items():
            kinds.add(name)
            if type_name in env.objects:
                kinds.add(kind_of(type_name))
        available = env.closure(kinds)
        if not any(r in available for r in task.requires):
            report.add(
                TASK,
                s.step_id,
                None,
                f"{task.label} needs {' or '.join(task.requires)} in scope, and nothing "
                "before this step provides it on every path",
            )
    config = dict(s.config)
    for field in task.fields:
        value = config.get(field.id)
        if not isinstance(value, str):
            continue
        if field.kind == "list_path" and PATH.match(value):
            problem = _list_path_problem(value, scope, env)
            if problem:
                report.add(CONFIG, s.step_id, field.id, f"{field.id}: {problem}")
        elif field.kind == "resource_id":
            path = resource_path(value)
            root = path.split(".")[0] if path else ""
            if path and root not in scope and _is_scope_name(root, env):
                report.add(
                    CONFIG, s.step_id, field.id, f"{field.id}: {root} is not in scope at this step"
                )
        elif field.kind == "condition":
            try:
                node = json.loads(value)
            except ValueError:
                report.add(CONDITION, s.step_id, field.id, "the condition is not valid JSON")
                continue
            problems: list[str] = []
            _ConditionChecker(env, scope, problems).node(node, None)
            for p in problems:
                report.add(CONDITION, s.step_id, field.id, p)
        elif is_liquid(value):
            for name in liquid_out_of_scope(value, scope, env):
                report.add(
                    CONFIG, s.step_id, field.id, f"{field.id}: {name} is not in scope at this step"
                )


_LIQUID_TAG = re.compile(r"\{\{(.*?)\}\}|\{%-?(.*?)-?%\}", re.S)
_LIQUID_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
_LIQUID_DECLARE = re.compile(r"^\s*(?:for|tablerow|assign|capture|cycle)\s+([A-Za-z_][\w-]*)")
_LIQUID_WORDS = re.compile(r"(?<![\w.\]])([A-Za-z_][\w-]*)")


def liquid_out_of_scope(template: str, scope: Mapping[str, str], env: Environment) -> list[str]:
    """Scope names a Liquid template reads that are not in scope (its own variables aside)."""
    declared: set[str] = set()
    used: list[str] = []
    for output, tag in _LIQUID_TAG.findall(template):
        body = _LIQUID_STRING.sub("''", output or tag)
        if tag:
            m = _LIQUID_DECLARE.match(body)
            if m:
                declared.add(m.group(1))
                body = body[m.end() :]
        # In `x | filter: arg`, the filter names are not variables; their arguments may be.
        parts = body.split("|")
        texts = [parts[0]] + [p.split(":", 1)[1] if ":" in p else "" for p in parts[1:]]
        for text in texts:
            used.extend(_LIQUID_WORDS.findall(text))
    out = []
    for name in dict.fromkeys(used):
        if name in declared or name in scope or not _is_scope_name(name, env):
            continue
        out.append(name)
    return out


def _list_path_problem(path: str, scope: Scope, env: Environment) -> str | None:
    root = path.split(".")[0]
    if root not in scope:
        if _is_scope_name(root, env):
            return f"{root} is not in scope at this step"
        return None
    list_type = env.path_type(path, scope)
    if list_type is not None and list_type != "JSON" and list_item_type(list_type) is None:
        return f"{path} is a {list_type}, not a list"
    return None


class _ConditionChecker:
    """Walks one condition tree, collecting problems as messages."""

    def __init__(self, env: Environment, scope: Scope, problems: list[str]) -> None:
        self.env = env
        self.scope = scope
        self.problems = problems

    def say(self, message: str) -> None:
        self.problems.append(message)

    def node(self, node: Any, parent: str | None, items: Scope | None = None) -> None:
        items = items or {}
        if not isinstance(node, dict):
            self.say("a condition node is not an object")
            return
        self._uuid(node, parent)
        kind = node.get("operation_type")
        if kind == "LogicalExpression":
            if node.get("operator") not in ("AND", "OR"):
                self.say(f"unknown logical operator {node.get('operator')!r} (AND, OR)")
            # The editor wraps even a single comparison in a Logical node with no `rhs` key at
            # all (flow-format.md): its one operand is the whole test. An `rhs` that is present
            # must be a node (null is malformed, as the reader says too).
            sides = ("lhs", "rhs") if "rhs" in node else ("lhs",)
            for side in sides:
                self.node(node.get(side), node.get("uuid"), items)
        elif kind == "ArrayExpression":
            self._array(node, items)
        elif kind == "Comparison":
            self._comparison(node, items)
        else:
            self.say(f"unknown operation_type {kind!r}")

    def _uuid(self, node: dict, parent: str | None) -> None:
        if not isinstance(node.get("uuid"), str) or not node.get("uuid"):
            self.say("a condition node has no uuid")
        if parent is not None and node.get("parent_uuid") != parent:
            self.say(
                f"node {node.get('uuid')!r} names parent {node.get('parent_uuid')!r}, "
                f"not {parent!r}"
            )

    def _array(self, node: dict, items: Scope) -> None:
        if node.get("operator") not in ("ANY", "ALL", "NONE"):
            self.say(f"unknown array operator {node.get('operator')!r} (ANY, ALL, NONE)")
        path = self._array_part(node, "array_path")
        key = self._array_part(node, "array_item_key")
        if path is None or key is None:
            return
        if self._liquid(path) or self._liquid(key):
            return
        item_type = "JSON"
        if not PATH.match(path):
            self.say(f"array_path {path!r} is not an environment path")
        else:
            list_type = self._path(path, items)
            if list_type is not None and list_type != "JSON":
                inner = list_item_type(list_type)
                if inner is None:
                    self.say(f"array_path {path} is a {list_type}, not a list")
                else:
                    item_type = inner
        self.node(node.get("operation"), node.get("uuid"), {**items, key: item_type})

    def _array_part(self, node: dict, name: str) -> str | None:
        """The path (array_path) or item name (array_item_key); None when malformed (reported).

        Older documents give a string; real exports give an EnvironmentValue operand object,
        often without `full_environment_path`, whose `value` is the path or the item's name.
        """
        part = node.get(name)
        if isinstance(part, str):
            return part
        if not isinstance(part, dict):
            self.say("an array expression needs array_path and array_item_key")
            return None
        self._uuid(part, node.get("uuid"))
        kind = part.get("comparison_value_type")
        if kind != "EnvironmentValue":
            self.say(f"{name} must be an EnvironmentValue operand, not {kind!r}")
            return None
        value = part.get("value")
        if not isinstance(value, str):
            self.say(f"{name} has no string value")
            return None
        if "full_environment_path" not in part or name == "array_item_key":
            return value
        full = part["full_environment_path"]
        if not isinstance(full, str):
            self.say(f"{name}: full_environment_path {full!r} is not a string")
            return None
        return full

    def _liquid(self, text: str) -> bool:
        if is_liquid(text):
            self.say(f"Liquid is not allowed in conditions: {text!r}")
            return True
        return False

    def _path(self, path: str, items: Scope) -> str | None:
        """The path's type; says so when its root is a scope name not in scope here."""
        root = path.split(".")[0]
        if root not in items and root not in self.scope:
            if _is_scope_name(root, self.env):
                self.say(f"{root} is not in scope at this step ({path})")
            return None
        return self.env.path_type(path, {**self.scope, **items})

    def _operand(
        self, operand: Any, parent: str | None, items: Scope
    ) -> tuple[str, str | None] | None:
        """("env", type) or ("literal", value); None when malformed (already reported)."""
        if not isinstance(operand, dict):
            self.say("a comparison operand is not an object")
            return None
        self._uuid(operand, parent)
        value = operand.get("value")
        if not isinstance(value, str):
            self.say("a comparison operand has no string value")
            return None
        kind = operand.get("comparison_value_type")
        if kind == "EnvironmentValue":
            # Real exports leave `full_environment_path` out (a path compared with a path):
            # then `value` is the path. When the key is there it must be a string.
            path = operand.get("full_environment_path", value)
            if not isinstance(path, str):
                self.say(f"full_environment_path {path!r} is not a string")
                return None
            if self._liquid(path) or self._liquid(value):
                return None
            if not PATH.match(path):
                self.say(f"{path!r} is not an environment path")
                return None
            return ("env", self._path(path, items))
        if kind == "LiteralValue":
            if self._liquid(value):
                return None
            return ("literal", value)
        self.say(f"unknown comparison_value_type {kind!r}")
        return None

    def _comparison(self, node: dict, items: Scope) -> None:
        op = node.get("operator")
        me = node.get("uuid")
        lhs = self._operand(node.get("lhs"), me, items)
        rhs_raw = node.get("rhs")
        rhs = None if rhs_raw is None else self._operand(rhs_raw, me, items)
        value_type = node.get("value_type")
        if op in UNARY_OPERATORS:
            if rhs_raw is not None:
                self.say(f"{op} takes no right-hand side")
            return
        if op not in BINARY_OPERATORS:
            self.say(f"unknown comparison operator {op!r}")
            return
        if rhs_raw is None:
            self.say(f"{op} needs a right-hand side")
            return
        if not isinstance(value_type, str) or not _VALUE_TYPE.match(value_type):
            self.say(f"value_type {value_type!r} is not like EnvironmentScalarDefinition:String")
            return
        declared = value_type.split(":", 1)[1]
        if op in ORDERING_OPERATORS and declared not in _NUMERIC | _TIME:
            self.say(f"{op} compares numbers or dates, not {declared}")
        if op in AFFIX_OPERATORS and declared not in _TEXT:
            self.say(f"{op} compares text, not {declared}")
        for side in (lhs, rhs):
            if side is None:
                continue
            if side[0] == "env" and side[1] is not None:
                self._type_agrees(side[1], declared)
            elif side[0] == "literal":
                self._literal(side[1] or "", declared, op)

    def _type_agrees(self, path_type: str, declared: str) -> None:
        base = list_item_type(path_type) or path_type
        if base == "JSON" or base in self.env.objects:
            return
        for group in (_NUMERIC, _TEXT, _TIME, frozenset({"Boolean"})):
            if base in group:
                if declared not in group:
                    self.say(f"the path is a {base}, compared as {declared}")
                return
        if base in self.env.enums and declared not in (base, "String"):
            self.say(f"the path is a {base}, compared as {declared}")

    def _literal(self, value: str, declared: str, op: str) -> None:
        values = [v.strip() for v in value.split(",")] if op in LIST_OPERATORS else [value]
        for v in values:
            if declared in _NUMERIC and not NUMBER.match(v.strip()):
                self.say(f"{v!r} is not a number ({declared})")
            elif declared == "Boolean" and v.lower() not in ("true", "false"):
                self.say(f"{v!r} is not true or false")
            elif declared in self.env.enums and v.upper() not in self.env.enums[declared]:
                self.say(
                    f"{v!r} is not a value of {declared} ({', '.join(self.env.enums[declared])})"
                )
