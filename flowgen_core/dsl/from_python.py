"""Python DSL program (plus optional layout sidecar) -> workflow (docs/python-dsl.md).

`from_python(source, catalog, sidecar=None)` reads the program with `ast` and never runs it.
Every construct is matched against a whitelist; anything else raises `DslError` (an
UnreadableInput) with the line, the column and one line saying what is not allowed.

The reading rules are the inverse of `to_python` (its docstring describes the graph encoding):
a statement's step is linked from every exit of the current block, `if` / `for` / `with
branch()` / `with after(...)` open blocks, `link(src, dst, "port")` adds a link as written.
With the sidecar, ids, positions, uuids, key orders and the document order of steps and links
come back exactly; without it, ids are fresh and deterministic (uuid5 of the source and the
step's place in the program) and positions come from `layout.auto_positions`.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import itertools
import uuid
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from flowgen_core.catalog.model import Catalog, Task
from flowgen_core.dsl.condition import (
    Comparison,
    ConditionNode,
    Logical,
    MalformedCondition,
    Operand,
    allowed_keys,
    dump_condition,
    parse_condition,
)
from flowgen_core.dsl.flowfile import UnreadableWorkflow, check_graph
from flowgen_core.dsl.layout import auto_positions
from flowgen_core.dsl.model import (
    CONFIG_KEYS,
    LINK_KEYS,
    ROOT_KEYS,
    STEP_KEYS,
    TASK_TYPES,
    ConfigValue,
    Link,
    Step,
    Workflow,
)
from flowgen_core.dsl.pycondition_read import read_condition
from flowgen_core.dsl.pyread import DslError, const_str, dunder, env_path, err, not_allowed
from flowgen_core.dsl.pyvalues import RESOURCE_DEFAULT, default_text, to_config_string

CONDITION_TASK = "shopify::flow::condition"
FOREACH_TASK = "shopify::flow::foreach"
# uuid5 namespace for ids of workflows written without a sidecar.
ID_NAMESPACE = uuid.UUID("0d6c9a52-3f5e-4d8b-9a51-6a7b2f0c4e13")
META_KWARGS = ("description", "note", "name")
_STEP_KEYSET = frozenset(STEP_KEYS)
_REQUIRED_STEP_KEYS = frozenset(STEP_KEYS) - frozenset(META_KWARGS)
DEFAULT_PORT = {"TRIGGER": "output", "ACTION": "output", "WAIT": "output"}
# Names the DSL gives a meaning to; calling anything else that is not a catalog task is an error.
STRUCTURE_CALLS = frozenset({"task", "branch", "after", "link", "port", "meta"})
CONDITION_CALLS = frozenset(
    {"any", "all", "is_empty", "env", "env_value", "typed", "compare", "logical", "array", "each"}
)


@dataclass
class _Step:
    """A step as the program states it, before ids and positions are given."""

    task_id: str
    task_version: str
    task_type: str
    config: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, str | None] = field(default_factory=dict)
    tree: ConditionNode | None = None  # the condition of a condition step written as an `if`
    node: ast.AST | None = None


Exit = tuple[int, str]


def json_value(node: ast.AST) -> Any:
    """The JSON-like value of a literal (str, number, bool, None, list, dict with str keys)."""
    if isinstance(node, ast.Constant):
        if node.value is None or isinstance(node.value, str | bool | int | float):
            if isinstance(node.value, float) and node.value != node.value:
                raise err(node, "NaN is not allowed")
            return node.value
        raise err(node, f"{type(node.value).__name__} literals are not allowed")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = node.operand
        value = inner.value if isinstance(inner, ast.Constant) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return -value
    if isinstance(node, ast.List):
        return [json_value(e) for e in node.elts]
    if isinstance(node, ast.Dict):
        out: dict[str, Any] = {}
        for k, v in zip(node.keys, node.values, strict=True):
            if k is None:
                raise err(v, "** in a dict is not allowed")
            out[const_str(k, "a dict key")] = json_value(v)
        return out
    raise not_allowed(node, "a value")


def _meta_value(node: ast.AST, key: str) -> str | None:
    if isinstance(node, ast.Constant) and node.value is None:
        return None
    return const_str(node, key)


class _Parser:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.steps: list[_Step] = []
        self.links: list[tuple[int, str, int, str]] = []
        self.labels: dict[str, int] = {}
        self.backward = False  # a link(...) goes back to an earlier step
        self.workflow_name: str | None = ""
        self.note: str | None = None
        self.patched_fields: list[Any] = []
        self.variables: list[Any] = []

    # --- module and function -------------------------------------------------------------

    def module(self, tree: ast.Module) -> None:
        fn: ast.FunctionDef | None = None
        body = tree.body
        if body and _is_docstring(body[0]):
            body = body[1:]
        for st in body:
            if isinstance(st, ast.FunctionDef):
                if fn is not None:
                    raise err(st, "a program holds exactly one workflow function")
                fn = st
            elif isinstance(st, ast.Assign | ast.AnnAssign):
                self.setting(st)
            elif isinstance(st, ast.Expr):
                raise not_allowed(st.value, "the module")
            else:
                raise not_allowed(st, "the module")
        if fn is None:
            raise DslError(1, 0, "no workflow function (a def decorated with its trigger)")
        self.function(fn)

    def setting(self, st: ast.Assign | ast.AnnAssign) -> None:
        targets = st.targets if isinstance(st, ast.Assign) else [st.target]
        if len(targets) != 1 or not isinstance(targets[0], ast.Name) or st.value is None:
            raise err(st, "only `note = ...`, `patched_fields = [...]`, `variables = [...]`")
        name = targets[0].id
        value = json_value(st.value)
        if name == "note":
            if value is not None and not isinstance(value, str):
                raise err(st.value, "note must be a string or None")
            self.note = value
        elif name in ("patched_fields", "variables"):
            if not isinstance(value, list):
                raise err(st.value, f"{name} must be a list")
            setattr(self, name, value)
        else:
            raise err(st, f"unknown module setting '{name}' (note, patched_fields, variables)")

    def function(self, fn: ast.FunctionDef) -> None:
        a = fn.args
        if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs or a.defaults or fn.returns:
            raise err(fn, "the workflow function takes plain parameter names only")
        for arg in a.args:
            dunder(arg.arg, arg)
        if len(fn.decorator_list) != 1:
            raise err(fn, "the workflow function needs exactly one decorator: its trigger")
        self.trigger(fn.decorator_list[0])
        body = fn.body
        first = body[0]
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and (isinstance(first.value.value, str) or first.value.value is None)
        ):
            self.workflow_name = first.value.value
            body = body[1:]
        self.labels[fn.name] = 0
        self.block(body, [(0, "output")])

    def trigger(self, deco: ast.expr) -> None:
        if isinstance(deco, ast.Name):
            deco = ast.Call(
                func=deco, args=[], keywords=[], lineno=deco.lineno, col_offset=deco.col_offset
            )
        if not isinstance(deco, ast.Call) or not isinstance(deco.func, ast.Name):
            raise err(deco, "the decorator must name the trigger, e.g. @order_created")
        step = self.call_step(deco, ("TRIGGER",), "the decorator")
        self.steps.append(step)

    # --- statements -----------------------------------------------------------------------

    def block(self, stmts: list[ast.stmt], cur: list[Exit]) -> list[Exit]:
        for st in stmts:
            cur = self.statement(st, cur)
        return cur

    def add(self, step: _Step, cur: list[Exit]) -> int:
        i = len(self.steps)
        self.steps.append(step)
        for src, port in cur:
            self.links.append((src, port, i, "input"))
        return i

    def label(self, target: ast.expr, i: int) -> None:
        if not isinstance(target, ast.Name):
            raise err(target, "a step is named with a plain name")
        dunder(target.id, target)
        self.labels[target.id] = i

    def statement(self, st: ast.stmt, cur: list[Exit]) -> list[Exit]:
        if isinstance(st, ast.Pass):
            return cur
        if isinstance(st, ast.Expr) and isinstance(st.value, ast.Call):
            call = st.value
            if isinstance(call.func, ast.Name) and call.func.id == "link":
                self.link(call)
                return cur
            i = self.add(self.call_step(call, ("ACTION", "WAIT"), "a statement"), cur)
            return [(i, "output")]
        if isinstance(st, ast.Assign) and isinstance(st.value, ast.Call):
            if len(st.targets) != 1:
                raise err(st, "one name per step")
            i = self.add(self.call_step(st.value, ("ACTION", "WAIT"), "a statement"), cur)
            self.label(st.targets[0], i)
            return [(i, "output")]
        if isinstance(st, ast.If):
            i = self.add(self.if_step(st.test), cur)
            t_end = self.block(st.body, [(i, "true")])
            f_end = self.block(st.orelse, [(i, "false")])
            return list(dict.fromkeys(t_end + f_end))
        if isinstance(st, ast.For):
            if st.orelse:
                raise err(st, "for ... else is not allowed")
            if not isinstance(st.target, ast.Name):
                raise err(st.target, "the loop variable must be a plain name")
            dunder(st.target.id, st.target)
            i = self.add(self.for_step(st.iter), cur)
            self.block(st.body, [(i, "loop_body")])
            return [(i, "after")]
        if isinstance(st, ast.With):
            return self.with_block(st, cur)
        if isinstance(st, ast.Expr):
            raise not_allowed(st.value, "a statement")
        if isinstance(st, ast.Assign):
            raise not_allowed(st.value, "an assignment (only a step can be named)")
        raise not_allowed(st, "the workflow")

    def with_block(self, st: ast.With, cur: list[Exit]) -> list[Exit]:
        if len(st.items) != 1 or st.items[0].optional_vars is not None:
            raise err(st, "use `with branch():` or `with after(step, ...):`")
        ctx = st.items[0].context_expr
        if not (isinstance(ctx, ast.Call) and isinstance(ctx.func, ast.Name)) or ctx.keywords:
            raise err(st, "use `with branch():` or `with after(step, ...):`")
        if ctx.func.id == "branch":
            if ctx.args:
                raise err(ctx, "branch() takes no arguments")
            self.block(st.body, cur)
        elif ctx.func.id == "after":
            self.block(st.body, list(dict.fromkeys(self.ref(a) for a in ctx.args)))
        else:
            raise err(ctx, "use `with branch():` or `with after(step, ...):`")
        return cur

    def ref(self, node: ast.expr) -> Exit:
        """A step's output port: `label`, `label.port` or `port(label, "port")`."""
        port: str | None = None
        if isinstance(node, ast.Attribute):
            dunder(node.attr, node)
            port = node.attr
            node = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "port"
        ):
            if len(node.args) != 2 or node.keywords:
                raise err(node, 'port(step, "port") takes two arguments')
            port = const_str(node.args[1], "a port")
            node = node.args[0]
        i = self.step_label(node)
        if port is None:
            port = DEFAULT_PORT.get(self.steps[i].task_type)
            if port is None:
                raise err(node, f"name the port of '{node.id}', e.g. {node.id}.true")  # type: ignore[attr-defined]
        return (i, port)

    def step_label(self, node: ast.expr) -> int:
        if not isinstance(node, ast.Name):
            raise err(node, "expected the name of a step")
        if node.id not in self.labels:
            raise err(node, f"'{node.id}' does not name a step written before this line")
        return self.labels[node.id]

    def link(self, call: ast.Call) -> None:
        if call.keywords or len(call.args) not in (2, 3):
            raise err(call, 'link(from_step, to_step, "port") takes two or three arguments')
        src, port = self.ref(call.args[0])
        dst = self.step_label(call.args[1])
        # Every other link goes from an earlier step to a later one; only these can close a cycle.
        self.backward = self.backward or dst <= src
        to_port = const_str(call.args[2], "the port") if len(call.args) == 3 else "input"
        self.links.append((src, port, dst, to_port))

    # --- steps ----------------------------------------------------------------------------

    def call_step(self, call: ast.Call, types: tuple[str, ...], where: str) -> _Step:
        if not isinstance(call.func, ast.Name):
            raise err(call, "call a task by its name, e.g. add_order_tags(...)")
        name = call.func.id
        dunder(name, call)
        if name == "task":
            step = self.generic(call)
            if step.task_type not in types:
                raise err(call, f"a {step.task_type} step cannot be written as {where}")
            return step
        task = self.catalog.by_python_name(name)
        if task is None:
            if name in STRUCTURE_CALLS or name in CONDITION_CALLS:
                raise err(call, f"{name}(...) cannot be used as {where}")
            raise not_allowed(call, where)
        if task.type not in types:
            raise err(call, f"'{name}' is a {task.type} task and cannot be written as {where}")
        if call.args:
            raise err(call.args[0], f"{name}() takes keyword arguments only")
        task = self._version(call, name, task)
        step = _Step(task.id, task.version, task.type, node=call)
        for kw in call.keywords:
            if kw.arg is None:
                raise err(kw.value, "** arguments are not allowed")
            key = kw.arg
            if key == "_version":
                continue
            if key.startswith("_") and key[1:] in META_KWARGS:
                step.meta[key[1:]] = _meta_value(kw.value, key)
                continue
            dunder(key, kw.value)
            if key.startswith("_"):
                raise err(
                    kw.value,
                    f"unknown step setting '{key}' (_version, _description, _note, _name)",
                )
            step.config.append((key, self._config_value(task, key, kw.value)))
        return step

    def _version(self, call: ast.Call, name: str, task: Task) -> Task:
        """The task in the version `_version="..."` names (the newest when it names none)."""
        for kw in call.keywords:
            if kw.arg == "_version":
                version = const_str(kw.value, "_version")
                chosen = self.catalog.get(task.id, version)
                if chosen is None:
                    known = ", ".join(self.catalog.versions(task.id))
                    raise err(kw.value, f"{name} has no version {version!r} (versions: {known})")
                return chosen
        return task

    def _config_value(self, task: Task, key: str, node: ast.expr) -> str:
        """A config string: a literal, or for a resource id a path or `default(path)`."""
        call = (
            node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else ""
        )
        if not isinstance(node, ast.Name | ast.Attribute) and call not in ("env", RESOURCE_DEFAULT):
            return to_config_string(json_value(node))
        field = task.field(key)
        if field is None or field.kind != "resource_id":
            raise err(node, f"{key} is not a resource id: write its value as a literal")
        if isinstance(node, ast.Call) and call == RESOURCE_DEFAULT:
            if len(node.args) != 1 or node.keywords:
                raise err(node, f"{RESOURCE_DEFAULT}(path) takes one path")
            return default_text(env_path(node.args[0]))
        return env_path(node)

    def generic(self, call: ast.Call) -> _Step:
        """`task("id", "version", "TYPE", {"field": "value", ...}, _description=...)`."""
        if len(call.args) != 4:
            raise err(call, 'task("id", "version", "TYPE", {config}) takes four arguments')
        task_id = const_str(call.args[0], "the task id")
        version = const_str(call.args[1], "the task version")
        task_type = const_str(call.args[2], "the task type")
        if task_type not in TASK_TYPES:
            raise err(call.args[2], f"unknown step type {task_type!r}")
        config = call.args[3]
        if not isinstance(config, ast.Dict):
            raise err(config, "the config of task(...) is a dict of strings")
        step = _Step(task_id, version, task_type, node=call)
        for k, v in zip(config.keys, config.values, strict=True):
            if k is None:
                raise err(v, "** in a dict is not allowed")
            step.config.append((const_str(k, "a config field id"), const_str(v, "a config value")))
        for kw in call.keywords:
            if kw.arg is None or not (kw.arg.startswith("_") and kw.arg[1:] in META_KWARGS):
                raise err(kw.value, "task(...) takes only _description, _note, _name keywords")
            step.meta[kw.arg[1:]] = _meta_value(kw.value, kw.arg)
        return step

    def _unwrap(self, expr: ast.expr) -> tuple[ast.expr, ast.Name | None, dict[str, str | None]]:
        """Strip `(label := ...)` and `meta(..., description=...)` from an if test / loop head."""
        target = None
        if isinstance(expr, ast.NamedExpr):
            target, expr = expr.target, expr.value
        meta: dict[str, str | None] = {}
        if (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Name)
            and expr.func.id == "meta"
        ):
            if len(expr.args) != 1:
                raise err(
                    expr, "meta(expr, description=..., note=..., name=...) takes one expression"
                )
            for kw in expr.keywords:
                if kw.arg not in META_KWARGS:
                    raise err(expr, "meta() takes description, note and name")
                meta[kw.arg] = _meta_value(kw.value, kw.arg)
            expr = expr.args[0]
        return expr, target, meta

    def _catalog_task(self, task_id: str, node: ast.AST) -> Task:
        task = self.catalog.get(task_id)
        if task is None:
            raise err(node, f"the catalog has no {task_id}")
        return task

    def if_step(self, test: ast.expr) -> _Step:
        expr, target, meta = self._unwrap(test)
        if (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Name)
            and expr.func.id == "task"
        ):
            step = self.generic(expr)
            if step.task_type != "CONDITION":
                raise err(expr, f"a {step.task_type} step cannot be written as an if")
        else:
            task = self._catalog_task(CONDITION_TASK, test)
            step = _Step(task.id, task.version, "CONDITION", tree=read_condition(expr))
        step.meta.update(meta)
        step.node = test
        if target is not None:
            self.label(target, len(self.steps))
        return step

    def for_step(self, it: ast.expr) -> _Step:
        expr, target, meta = self._unwrap(it)
        if (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Name)
            and expr.func.id == "task"
        ):
            step = self.generic(expr)
            if step.task_type != "FOREACH":
                raise err(expr, f"a {step.task_type} step cannot be written as a for loop")
        else:
            task = self._catalog_task(FOREACH_TASK, it)
            step = _Step(task.id, task.version, "FOREACH", config=[("listpath", env_path(expr))])
        step.meta.update(meta)
        step.node = it
        if target is not None:
            self.label(target, len(self.steps))
        return step


def _is_docstring(st: ast.stmt) -> bool:
    return (
        isinstance(st, ast.Expr)
        and isinstance(st.value, ast.Constant)
        and isinstance(st.value.value, str)
    )


# --- ids, layout, sidecar --------------------------------------------------------------------


def _with_ids(node: Any, ids: list[list[Any]], pos: list[int], where: str) -> Any:
    """The tree with (uuid, parent_uuid, keys) taken in pre-order from `ids`."""
    if pos[0] >= len(ids):
        raise DslError(
            1, 0, f"layout sidecar does not match the program ({where}: condition nodes)"
        )
    uid, parent, keys = ids[pos[0]]
    pos[0] += 1
    allowed = allowed_keys(node)
    ok_ids = isinstance(uid, str) and (parent is None or isinstance(parent, str))
    if not ok_ids or not isinstance(keys, list) or not _keys_fit(keys, allowed):
        raise DslError(1, 0, f"layout sidecar does not match the program ({where}: node keys)")
    if isinstance(node, Operand):
        return replace(node, uuid=uid, parent_uuid=parent, keys=tuple(keys))
    if isinstance(node, Logical | Comparison):
        lhs = _with_ids(node.lhs, ids, pos, where)
        rhs = None if node.rhs is None else _with_ids(node.rhs, ids, pos, where)
        return replace(node, uuid=uid, parent_uuid=parent, keys=tuple(keys), lhs=lhs, rhs=rhs)
    path, key = node.array_path, node.array_item_key
    if isinstance(path, Operand):
        path = _with_ids(path, ids, pos, where)
    if isinstance(key, Operand):
        key = _with_ids(key, ids, pos, where)
    op = _with_ids(node.operation, ids, pos, where)
    return replace(
        node,
        uuid=uid,
        parent_uuid=parent,
        keys=tuple(keys),
        array_path=path,
        array_item_key=key,
        operation=op,
    )


def _keys_fit(
    keys: Any, allowed: tuple[str, ...], optional: tuple[str, ...] = ("parent_uuid",)
) -> bool:
    """True when `keys` is an order of `allowed`, optional keys possibly left out."""
    if not isinstance(keys, list | tuple) or not all(isinstance(k, str) for k in keys):
        return False
    return _fits(tuple(keys), allowed, optional)


@functools.lru_cache(maxsize=512)
def _fits(keys: tuple[str, ...], allowed: tuple[str, ...], optional: tuple[str, ...]) -> bool:
    if len(set(keys)) != len(keys):
        return False
    return set(keys) <= set(allowed) and set(allowed) - set(optional) <= set(keys)


def _fresh_ids(
    node: Any, parent: str | None, make: Callable[[], str], acc: list[list[Any]]
) -> None:
    """Pre-order (uuid, parent_uuid, keys) for a tree without a sidecar."""
    uid = make()
    if isinstance(node, Operand):
        acc.append([uid, parent, list(node.keys)])
        return
    keys = list(node.keys) if parent is not None else [k for k in node.keys if k != "parent_uuid"]
    acc.append([uid, parent, keys])
    if isinstance(node, Logical | Comparison):
        _fresh_ids(node.lhs, uid, make, acc)
        if node.rhs is not None:
            _fresh_ids(node.rhs, uid, make, acc)
    else:
        for part in (node.array_path, node.array_item_key):
            if isinstance(part, Operand):
                _fresh_ids(part, uid, make, acc)
        _fresh_ids(node.operation, uid, make, acc)


def _config_values(
    p: _Step, tree_ids: list[list[Any]] | None, strings: dict[str, str], config_keys: list | None
) -> tuple[ConfigValue, ...]:
    config = list(p.config)
    if p.tree is not None:
        if not isinstance(tree_ids, list):
            raise DslError(1, 0, "layout sidecar does not match the program (condition nodes)")
        pos = [0]
        tree = _with_ids(p.tree, tree_ids, pos, "a condition")
        if pos[0] != len(tree_ids):
            raise DslError(1, 0, "layout sidecar does not match the program (condition nodes)")
        text = dump_condition(tree)
        original = strings.get("condition")
        if original is not None:
            # The sidecar keeps the exact original text when it was not canonically encoded;
            # use it only while it still says the same thing.
            try:
                if dump_condition(parse_condition(original)) == text:
                    text = original
            except MalformedCondition:
                pass
        config = [("condition", text)]
    out = []
    for k, (fid, value) in enumerate(config):
        keys = tuple(config_keys[k]) if config_keys and k < len(config_keys) else CONFIG_KEYS
        if not _keys_fit(list(keys), CONFIG_KEYS, ()):
            raise DslError(1, 0, "layout sidecar: bad config value keys")
        out.append(ConfigValue(fid, value, keys))
    return tuple(out)


def _build_step(
    p: _Step, step_id: Any, position: Any, entry: dict[str, Any], tree_ids: Any
) -> Step:
    return Step(
        step_id=step_id,
        step_position=(position[0], position[1]),
        config_field_values=_config_values(
            p, tree_ids, entry.get("strings", {}), entry.get("config_keys")
        ),
        task_id=p.task_id,
        task_version=p.task_version,
        task_type=p.task_type,
        description=p.meta.get("description"),
        note=p.meta.get("note"),
        name=p.meta.get("name"),
        keys=tuple(entry.get("keys", STEP_KEYS)),
    )


def _without_sidecar(parser: _Parser, source: str) -> Workflow:
    seed = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    ids = [str(uuid.uuid5(ID_NAMESPACE, f"{seed}/{k}")) for k in range(len(parser.steps))]
    positions = auto_positions(len(parser.steps), [(a, b) for a, _, b, _ in parser.links])
    steps = []
    for k, p in enumerate(parser.steps):
        tree_ids: list[list[Any]] | None = None
        if p.tree is not None:
            names = (str(uuid.uuid5(ID_NAMESPACE, f"{seed}/{k}/{j}")) for j in itertools.count())
            tree_ids = []
            _fresh_ids(p.tree, None, names.__next__, tree_ids)
        steps.append(_build_step(p, ids[k], positions[k], {}, tree_ids))
    links = tuple(Link(ids[a], port, ids[b], to_port) for a, port, b, to_port in parser.links)
    return _workflow(parser, tuple(steps), links, {})


def _with_sidecar(parser: _Parser, sidecar: dict[str, Any]) -> Workflow:
    def mismatch(what: str) -> DslError:
        return DslError(1, 0, f"layout sidecar does not match the program ({what})")

    try:
        entries = sidecar["steps"]
        if len(entries) != len(parser.steps):
            raise mismatch(
                f"{len(entries)} steps in the sidecar, {len(parser.steps)} in the program"
            )
        built = [
            _build_step(
                p, e["id"], e["position"], e, e.get("nodes") if p.tree is not None else None
            )
            for p, e in zip(parser.steps, entries, strict=True)
        ]
        order = sidecar["step_order"]
        if sorted(order) != list(range(len(built))):
            raise mismatch("step order")
        raw_links = [tuple(lk) for lk in sidecar["links"]]
        if Counter(raw_links) != Counter(parser.links):
            raise mismatch("links")
        link_keys = sidecar.get("link_keys")
        links = tuple(
            Link(
                built[a].step_id,
                port,
                built[b].step_id,
                to_port,
                tuple(link_keys[k]) if link_keys else LINK_KEYS,
            )
            for k, (a, port, b, to_port) in enumerate(raw_links)
        )
        steps = tuple(built[i] for i in order)
        return _workflow(parser, steps, links, sidecar)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise mismatch(f"malformed sidecar: {type(exc).__name__} {exc}") from None


def _workflow(
    parser: _Parser, steps: tuple[Step, ...], links: tuple[Link, ...], sidecar: dict
) -> Workflow:
    # Graph shape was checked on the program (_check_links); ids and keys come from the sidecar.
    for s in steps:
        if isinstance(s.step_id, bool) or not isinstance(s.step_id, str | int):
            raise DslError(1, 0, "layout sidecar: a step id must be a string or an integer")
        pos = s.step_position
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in pos):
            raise DslError(1, 0, "layout sidecar: a position must be two numbers")
        if not set(s.keys) <= _STEP_KEYSET or not set(s.keys) >= _REQUIRED_STEP_KEYS:
            raise DslError(1, 0, "layout sidecar: bad step keys")
    for lk in links:
        if not _keys_fit(list(lk.keys), LINK_KEYS, ()):
            raise DslError(1, 0, "layout sidecar: bad link keys")
    vle = sidecar.get("vertical_layout_enabled", True)
    if vle is not None and not isinstance(vle, bool):
        raise DslError(1, 0, "layout sidecar: vertical_layout_enabled must be true, false or null")
    if len({(type(s.step_id), s.step_id) for s in steps}) != len(steps):
        raise DslError(1, 0, "layout sidecar gives two steps the same id")
    root_keys = tuple(sidecar.get("root_keys", ROOT_KEYS))
    payload_keys = tuple(sidecar.get("payload_keys", ("__metadata", "root")))
    if set(root_keys) - set(ROOT_KEYS) or set(payload_keys) - {"__metadata", "root"}:
        raise DslError(1, 0, "layout sidecar: bad root keys")
    return Workflow(
        steps=steps,
        links=links,
        workflow_name=parser.workflow_name,
        note=parser.note,
        patched_fields=tuple(parser.patched_fields),
        variables=tuple(parser.variables),
        vertical_layout_enabled=vle,
        metadata=sidecar.get("metadata", {"version": 0.1}),
        keys=root_keys,
        payload_keys=payload_keys,
    )


def _check_links(parser: _Parser) -> None:
    """Cycles made with link(...) are unreadable, as in a file (checked before any layout)."""
    if not parser.backward:
        return
    steps = tuple(
        Step(k, p.task_id, p.task_version, p.task_type) for k, p in enumerate(parser.steps)
    )
    links = tuple(Link(a, port, b, to_port) for a, port, b, to_port in parser.links)
    try:
        check_graph(steps, links)
    except UnreadableWorkflow as exc:
        raise DslError(1, 0, str(exc)) from None


def parse_program(source: str) -> ast.Module:
    """The module's syntax tree (DslError for text that is not Python)."""
    try:
        # The program is data: warnings about it (invalid escapes, ...) are not ours to print.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source, mode="exec")
    except SyntaxError as exc:
        msg = (exc.msg or "invalid syntax").splitlines()[0]
        raise DslError(
            exc.lineno or 1, max((exc.offset or 1) - 1, 0), f"not valid Python: {msg}"
        ) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise DslError(1, 0, f"not valid Python: {type(exc).__name__}") from None


def _read(source: str, catalog: Catalog) -> _Parser:
    tree = parse_program(source)
    parser = _Parser(catalog)
    try:
        parser.module(tree)
    except RecursionError:
        raise DslError(1, 0, "the program is nested too deeply") from None
    _check_links(parser)
    return parser


def from_python(source: str, catalog: Catalog, sidecar: dict[str, Any] | None = None) -> Workflow:
    """The workflow a DSL program describes (exactly the original one when given its sidecar)."""
    parser = _read(source, catalog)
    if sidecar is None:
        return _without_sidecar(parser, source)
    if not isinstance(sidecar, dict):
        raise DslError(1, 0, "the layout sidecar must be a JSON object")
    return _with_sidecar(parser, sidecar)


def step_lines(source: str, catalog: Catalog) -> dict[Any, int]:
    """Source line of each step of `from_python(source, catalog)` (no sidecar), by step id."""
    parser = _read(source, catalog)
    wf = _without_sidecar(parser, source)
    return {
        s.step_id: getattr(p.node, "lineno", 1) or 1
        for s, p in zip(wf.steps, parser.steps, strict=True)
    }
