"""Workflow -> Python DSL program plus layout sidecar (docs/python-dsl.md).

`to_python(workflow, catalog)` returns `(source, sidecar)`. The source alone carries the whole
workflow up to what "the same workflow" sets aside (ids, positions, uuids, list order); the
sidecar (a JSON-able dict) carries exactly that, so `from_python(source, sidecar)` gives the
original bytes back.

How the graph becomes statements: a block runs from a set of exits (step, port). A statement's
step is linked from every exit of the block's current set, which then becomes the step's own
exits (`if`: the ends of both branches; `for`: the loop's `after` port). `with branch():` runs
a block from the current exits and leaves them unchanged (parallel branches). Steps whose
incoming links no block produces (joins of unrelated exits, orphans) are written at the end in
`with after(ref, ...):` blocks naming every incoming exit; links that end at a port other than
`input` (or repeat a link) become `link(ref, ref, "port")` statements.

Labels: a data step is assigned to the name it puts in scope (`getOrderData`, `getOrderData1`,
`count`, ...); any other step a `with after(...)` or `link(...)` names is `s<k>`, k its place in
the program; the trigger's label is the function name. Labels follow program order, never
document order, so Python -> JSON -> Python gives the same program back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flowgen_core.catalog.model import Catalog, Task, load_catalog
from flowgen_core.dsl.condition import (
    ArrayExpr,
    Comparison,
    ConditionNode,
    Logical,
    Operand,
    dump_condition,
    parse_condition,
)
from flowgen_core.dsl.flowfile import dump_payload
from flowgen_core.dsl.model import CONFIG_KEYS, LINK_KEYS, ROOT_KEYS, STEP_KEYS, Step, Workflow
from flowgen_core.dsl.pycondition import condition_expr, is_name, path_expr
from flowgen_core.dsl.pyvalues import (
    RESOURCE_DEFAULT,
    TYPED_KINDS,
    natural_value,
    py_literal,
    resource_parts,
)

CONDITION_TASK = "shopify::flow::condition"
FOREACH_TASK = "shopify::flow::foreach"
SIDECAR_FORMAT = 1
INDENT = "    "

Exit = tuple[int, str]  # (step index in the document, output port)


@dataclass
class _Stmt:
    kind: str  # call | if | for | branch | after | link
    step: int = -1
    body: list[_Stmt] = field(default_factory=list)
    orelse: list[_Stmt] = field(default_factory=list)
    refs: list[Exit] = field(default_factory=list)
    link: tuple[Exit, int, str] | None = None


class _Emitter:
    """Turns the link graph into nested statements (see the module docstring)."""

    def __init__(self, wf: Workflow) -> None:
        self.wf = wf
        index = {(type(s.step_id), s.step_id): i for i, s in enumerate(wf.steps)}
        self.inset: list[set[Exit]] = [set() for _ in wf.steps]
        self.inorder: list[list[Exit]] = [[] for _ in wf.steps]
        self.extra_links: list[tuple[Exit, int, str]] = []
        trig = next(i for i, s in enumerate(wf.steps) if s.task_type == "TRIGGER")
        self.trigger = trig
        for lk in wf.links:
            src = (index[(type(lk.from_step_id), lk.from_step_id)], lk.from_port_id)
            dst = index[(type(lk.to_step_id), lk.to_step_id)]
            if lk.to_port_id != "input" or src in self.inset[dst] or dst == trig:
                self.extra_links.append((src, dst, lk.to_port_id))
            else:
                self.inset[dst].add(src)
                self.inorder[dst].append(src)
        self.done = [False] * len(wf.steps)

    def block(self, cur: frozenset[Exit]) -> tuple[list[_Stmt], frozenset[Exit]]:
        out: list[_Stmt] = []
        while cur:
            cands = [i for i, s in enumerate(self.inset) if not self.done[i] and s == cur]
            if not cands:
                break
            if len(cands) == 1:
                stmts, cur = self.step(cands[0])
                out.extend(stmts)
                continue
            for c in cands:
                self.done[c] = True
            for c in cands:
                stmts, end = self.step(c)
                rest, _ = self.block(end)
                out.append(_Stmt("branch", body=stmts + rest))
        return out, cur

    def step(self, i: int) -> tuple[list[_Stmt], frozenset[Exit]]:
        self.done[i] = True
        kind = self.wf.steps[i].task_type
        if kind == "CONDITION":
            body, t_end = self.block(frozenset({(i, "true")}))
            orelse, f_end = self.block(frozenset({(i, "false")}))
            return [_Stmt("if", i, body, orelse)], t_end | f_end
        if kind == "FOREACH":
            body, _ = self.block(frozenset({(i, "loop_body")}))
            return [_Stmt("for", i, body)], frozenset({(i, "after")})
        return [_Stmt("call", i)], frozenset({(i, "output")})

    def program(self) -> list[_Stmt]:
        self.done[self.trigger] = True
        body, _ = self.block(frozenset({(self.trigger, "output")}))
        while not all(self.done):
            pending = [i for i, d in enumerate(self.done) if not d]
            ready = next(i for i in pending if all(self.done[src] for src, _ in self.inorder[i]))
            stmts, end = self.step(ready)
            rest, _ = self.block(end)
            body.append(_Stmt("after", refs=list(self.inorder[ready]), body=stmts + rest))
        for src, dst, port in self.extra_links:
            body.append(_Stmt("link", link=(src, dst, port)))
        return body


def _slug(name: str | None) -> str:
    slug = re.sub(r"[^0-9a-zA-Z]+", "_", name or "").strip("_").lower()
    if not slug or not is_name(slug) or slug[0].isdigit():
        return "workflow"
    return slug


class _Renderer:
    def __init__(self, wf: Workflow, catalog: Catalog, stmts: list[_Stmt]) -> None:
        self.wf, self.catalog = wf, catalog
        self._generic: dict[int, bool] = {}
        self.trees: dict[int, ConditionNode] = {}  # parsed condition per step index
        self.lines: list[str] = []
        self.order: list[int] = []  # document index of each step in program order
        self.overrides: dict[int, dict[str, str]] = {}
        self.fn_name = _slug(wf.workflow_name)
        referenced: set[int] = set()
        self._collect_refs(stmts, referenced)
        # Labels follow program order (not document order) so that Python -> JSON -> Python
        # gives the same names back; they never collide with each other or the function name.
        order = [self._trigger_index()]
        self._walk(stmts, order)
        self.labels: dict[int, str] = {}
        used = {self.fn_name}
        counts: dict[str, int] = {}
        for k, i in enumerate(order):
            s = wf.steps[i]
            task = self.task(s)
            base = None
            if i == order[0]:
                if i in referenced:
                    self.labels[i] = self.fn_name
                continue
            if (
                task is not None
                and task.provides
                and s.task_type == "ACTION"
                and not self.generic(s)
            ) and is_name(task.provides[0]):
                base = task.provides[0]
            if base is None and i in referenced:
                base = f"s{k}"
            if base is None:
                continue
            n = counts.get(base, 0)
            label = base if n == 0 else f"{base}{n}"
            while label in used:
                n += 1
                label = f"{base}{n}"
            counts[base] = n + 1
            used.add(label)
            self.labels[i] = label
        self.referenced = referenced
        self.stmts = stmts

    def _trigger_index(self) -> int:
        return next(i for i, s in enumerate(self.wf.steps) if s.task_type == "TRIGGER")

    def _walk(self, stmts: list[_Stmt], order: list[int]) -> None:
        """Step indices in the order `emit` writes them."""
        for st in stmts:
            if st.kind in ("call", "if", "for"):
                order.append(st.step)
            self._walk(st.body, order)
            self._walk(st.orelse, order)

    def _collect_refs(self, stmts: list[_Stmt], acc: set[int]) -> None:
        for st in stmts:
            acc.update(src for src, _ in st.refs)
            if st.link is not None:
                acc.add(st.link[0][0])
                acc.add(st.link[1])
            self._collect_refs(st.body, acc)
            self._collect_refs(st.orelse, acc)

    def task(self, s: Step) -> Task | None:
        task = self.catalog.get(s.task_id, s.task_version)
        return task if task is not None and task.type == s.task_type else None

    def generic(self, s: Step) -> bool:
        """True when the step needs the generic `task(...)` form."""
        key = id(s)
        if key not in self._generic:
            self._generic[key] = self._needs_generic(s)
        return self._generic[key]

    def _needs_generic(self, s: Step) -> bool:
        task = self.task(s)
        if task is None:
            return True  # a task (or version) the catalog does not know
        newest = self.catalog.get(s.task_id) is task
        ids = [c.config_field_id for c in s.config_field_values]
        if len(set(ids)) != len(ids) or not all(is_name(i) and not i.startswith("_") for i in ids):
            return True
        # An `if` or a `for` names no version: only the newest one reads back as itself.
        if s.task_type == "CONDITION":
            return s.task_id != CONDITION_TASK or ids != ["condition"] or not newest
        if s.task_type == "FOREACH":
            return s.task_id != FOREACH_TASK or ids != ["listpath"] or not newest
        return False

    def version(self, s: Step) -> list[str]:
        """`_version=...` when the step's version is not the catalog's newest of its task."""
        newest = self.catalog.get(s.task_id)
        if newest is not None and newest.version != s.task_version:
            return [f"_version={s.task_version!r}"]
        return []

    def extras(self, s: Step) -> list[str]:
        return [
            f"{k}={getattr(s, k)!r}"
            for k in ("description", "note", "name")
            if getattr(s, k) is not None
        ]

    def kwargs(self, s: Step, task: Task | None) -> list[str]:
        out = []
        for c in s.config_field_values:
            f = task.field(c.config_field_id) if task else None
            value: Any = c.value
            if f is not None and f.kind == "resource_id":
                wrapped, path = resource_parts(c.value)
                if path_expr(path) == path:
                    expr = f"{RESOURCE_DEFAULT}({path})" if wrapped else path
                    out.append(f"{c.config_field_id}={expr}")
                    continue
            if f is not None and f.kind in TYPED_KINDS:
                value = natural_value(f.kind, c.value)
            out.append(f"{c.config_field_id}={py_literal(value)}")
        return out

    def generic_call(self, s: Step, extras: list[str]) -> str:
        config = ", ".join(f"{c.config_field_id!r}: {c.value!r}" for c in s.config_field_values)
        args = [repr(s.task_id), repr(s.task_version), repr(s.task_type), "{" + config + "}"]
        return f"task({', '.join(args + extras)})"

    def call(self, s: Step) -> str:
        extras = [f"_{e}" for e in self.extras(s)]
        if self.generic(s):
            return self.generic_call(s, extras)
        task = self.task(s)
        assert task is not None
        args = self.kwargs(s, task) + self.version(s) + extras
        return f"{task.python_name}({', '.join(args)})"

    def ref(self, ex: tuple[int, str]) -> str:
        i, port = ex
        label = self.labels[i]
        default = {"TRIGGER": "output", "ACTION": "output", "WAIT": "output"}.get(
            self.wf.steps[i].task_type
        )
        if port == default:
            return label
        return f"{label}.{port}" if is_name(port) else f"port({label}, {port!r})"

    def emit(self, stmts: list[_Stmt], depth: int) -> None:
        pad = INDENT * depth
        if not stmts:
            self.lines.append(pad + "pass")
        for st in stmts:
            if st.kind == "call":
                self.order.append(st.step)
                s = self.wf.steps[st.step]
                label = self.labels.get(st.step)
                self.lines.append(pad + (f"{label} = " if label else "") + self.call(s))
            elif st.kind == "if":
                self.order.append(st.step)
                self.lines.append(f"{pad}if {self.test(st.step)}:")
                self.emit(st.body, depth + 1)
                if st.orelse:
                    self.lines.append(pad + "else:")
                    self.emit(st.orelse, depth + 1)
            elif st.kind == "for":
                self.order.append(st.step)
                self.lines.append(f"{pad}for {self.loop_head(st.step)}:")
                self.emit(st.body, depth + 1)
            elif st.kind == "branch":
                self.lines.append(pad + "with branch():")
                self.emit(st.body, depth + 1)
            elif st.kind == "after":
                refs = ", ".join(self.ref(r) for r in st.refs)
                self.lines.append(f"{pad}with after({refs}):")
                self.emit(st.body, depth + 1)
            else:
                assert st.link is not None
                src, dst, port = st.link
                self.lines.append(f"{pad}link({self.ref(src)}, {self.labels[dst]}, {port!r})")

    def _named(self, i: int, expr: str) -> str:
        label = self.labels.get(i) if i in self.referenced else None
        return f"({label} := {expr})" if label else expr

    def test(self, i: int) -> str:
        s = self.wf.steps[i]
        if self.generic(s):
            return self._named(i, self.generic_call(s, [f"_{e}" for e in self.extras(s)]))
        text = s.config_field_values[0].value
        node = self.trees[i] = parse_condition(text)
        if dump_condition(node) != text:
            self.overrides.setdefault(i, {})["condition"] = text
        expr = condition_expr(node)
        extras = self.extras(s)
        if extras:
            expr = f"meta({expr}, {', '.join(extras)})"
        return self._named(i, expr)

    def loop_head(self, i: int) -> str:
        s = self.wf.steps[i]
        if self.generic(s):
            target = "item"
            iterable = self.generic_call(s, [f"_{e}" for e in self.extras(s)])
        else:
            path = s.config_field_values[0].value
            target = path.split(".")[-1] + "Foreachitem"
            if not is_name(target):
                target = "item"
            iterable = path_expr(path)
            extras = self.extras(s)
            if extras:
                iterable = f"meta({iterable}, {', '.join(extras)})"
        return f"{target} in {self._named(i, iterable)}"

    def source(self) -> str:
        wf = self.wf
        trig_i = self._trigger_index()
        trig = wf.steps[trig_i]
        self.order.append(trig_i)
        head: list[str] = []
        if wf.note is not None:
            head.append(f"note = {wf.note!r}")
        if wf.patched_fields:
            head.append(f"patched_fields = {py_literal(list(wf.patched_fields))}")
        if wf.variables:
            head.append(f"variables = {py_literal(list(wf.variables))}")
        task = self.task(trig)
        if self.generic(trig):
            deco = self.generic_call(trig, [f"_{e}" for e in self.extras(trig)])
            params: list[str] = []
        else:
            assert task is not None
            args = self.kwargs(trig, task) + self.version(trig)
            args += [f"_{e}" for e in self.extras(trig)]
            deco = task.python_name + (f"({', '.join(args)})" if args else "")
            params = [p for p in task.provides if is_name(p)]
        lines = [
            *head,
            *([""] if head else []),
            f"@{deco}",
            f"def {self.fn_name}({', '.join(params)}):",
        ]
        if wf.workflow_name is not None:
            lines.append(f"{INDENT}{wf.workflow_name!r}" if wf.workflow_name else f"{INDENT}''")
        else:
            lines.append(f"{INDENT}None")
        self.lines = lines
        self.emit(self.stmts, 1) if self.stmts else None
        return "\n".join(self.lines) + "\n"


def _node_ids(node: ConditionNode | Operand | None, acc: list[list[Any]]) -> None:
    """Pre-order (uuid, parent_uuid, keys) of every node and operand, for the sidecar."""
    if node is None:
        return
    acc.append([node.uuid, node.parent_uuid, list(node.keys)])
    if isinstance(node, (Logical, Comparison)):
        _node_ids(node.lhs, acc)
        _node_ids(node.rhs, acc)
    elif isinstance(node, ArrayExpr):
        # Operand-object array parts carry ids too; strings carry none.
        for part in (node.array_path, node.array_item_key):
            if isinstance(part, Operand):
                _node_ids(part, acc)
        _node_ids(node.operation, acc)


def to_python(
    wf: Workflow, catalog: Catalog | None = None, payload: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The DSL program for a workflow and its layout sidecar.

    Give `payload` (the original payload text) to keep it in the sidecar when it is not in the
    platform's canonical encoding (whitespace, number spelling), so that bytes still come back.
    """
    catalog = catalog or load_catalog()
    stmts = _Emitter(wf).program()
    r = _Renderer(wf, catalog, stmts)
    source = r.source()
    steps = []
    for doc_i in r.order:
        s = wf.steps[doc_i]
        entry: dict[str, Any] = {"id": s.step_id, "position": list(s.step_position)}
        if s.keys != STEP_KEYS:
            entry["keys"] = list(s.keys)
        if any(c.keys != CONFIG_KEYS for c in s.config_field_values):
            entry["config_keys"] = [list(c.keys) for c in s.config_field_values]
        if s.task_type == "CONDITION" and not r.generic(s):
            ids: list[list[Any]] = []
            _node_ids(r.trees[doc_i], ids)
            entry["nodes"] = ids
        if doc_i in r.overrides:
            entry["strings"] = r.overrides[doc_i]
        steps.append(entry)
    position = {doc_i: prog_i for prog_i, doc_i in enumerate(r.order)}
    index = {(type(s.step_id), s.step_id): i for i, s in enumerate(wf.steps)}
    sidecar: dict[str, Any] = {
        "format": SIDECAR_FORMAT,
        "steps": steps,
        "step_order": [position[i] for i in range(len(wf.steps))],
        "links": [
            [
                position[index[(type(lk.from_step_id), lk.from_step_id)]],
                lk.from_port_id,
                position[index[(type(lk.to_step_id), lk.to_step_id)]],
                lk.to_port_id,
            ]
            for lk in wf.links
        ],
        "metadata": wf.metadata,
        "vertical_layout_enabled": wf.vertical_layout_enabled,
    }
    if wf.keys != ROOT_KEYS:
        sidecar["root_keys"] = list(wf.keys)
    if wf.payload_keys != ("__metadata", "root"):
        sidecar["payload_keys"] = list(wf.payload_keys)
    if any(lk.keys != LINK_KEYS for lk in wf.links):
        sidecar["link_keys"] = [list(lk.keys) for lk in wf.links]
    if payload is not None and dump_payload(wf) != payload:
        sidecar["original_payload"] = payload
    return source, sidecar
