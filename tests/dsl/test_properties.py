"""Hypothesis properties of the transpiler over generated workflows.

Generated documents cover random DAG shapes (fan-out, joins, links into any port, duplicate
links, links into the trigger, orphans), random condition trees (every operator and node kind,
unknown operators and value types, odd key orders), catalog and unknown tasks, typed config
values in canonical and odd spellings, and awkward strings everywhere, and the shapes of real
exports (flow-format.md): the one-operand Logical wrapper without `rhs`, operand-object array
paths and item keys, operands without `full_environment_path`, absent root keys, patched
fields in their real key order, versions that are not numbers, UUID task ids, prefixes that
are not the payload's SHA-256. Properties: exact with
the sidecar, semantic without it, Python fixpoint; fuzzed bytes and mutated programs only ever
raise the typed error.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowgen_core.catalog import load_catalog
from flowgen_core.catalog.model import Catalog, ConfigField
from flowgen_core.dsl.condition import (
    ARRAY_KEYS,
    BINARY_OPERATORS,
    COMPARISON_KEYS,
    ENV_OPERAND_KEYS,
    LITERAL_OPERAND_KEYS,
    LOGICAL_KEYS,
    UNARY_OPERATORS,
    WRAPPER_KEYS,
)
from flowgen_core.dsl.flowfile import checksum, read_envelope, read_flow, write_flow
from flowgen_core.dsl.from_python import DslError, from_python
from flowgen_core.dsl.model import OPTIONAL_ROOT_KEYS, PORTS, ROOT_KEYS, STEP_KEYS
from flowgen_core.dsl.sameness import canonical, same_workflow
from flowgen_core.dsl.to_python import to_python
from flowgen_core.errors import UnreadableInput

CATALOG: Catalog = load_catalog()
BARE_PAYLOAD = (
    Path(__file__).parent / "corpus" / "real_shapes" / "no_prefix_bare_payload.flow"
).read_text(encoding="utf-8")
BY_TYPE = {t: [task for task in CATALOG.tasks if task.type == t] for t in PORTS}
SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)

AWKWARD = st.text(
    alphabet=st.sampled_from(
        [
            *list("aZ09 _-.,:;{}[]()#%"),
            "'",
            '"',
            "\\",
            "\n",
            "\r",
            "\t",
            "\x00",
            "\x1f",
            "\u2028",
            "é",
            "注",
            "🇨",
            "\ufeff",
            "\ud7ff",
        ]
    ),
    max_size=10,
)
IDENT = st.from_regex(r"[a-z][A-Za-z0-9_]{0,6}", fullmatch=True)
PATH = st.one_of(
    st.lists(IDENT, min_size=1, max_size=3).map(".".join),
    AWKWARD,
    st.sampled_from(["class", "order.class", "Order.x", "_x", "a..b", "order.__class__"]),
)
VALUE_TYPES = st.sampled_from(
    [
        "EnvironmentScalarDefinition:String",
        "EnvironmentScalarDefinition:Int",
        "EnvironmentScalarDefinition:Decimal",
        "EnvironmentScalarDefinition:Boolean",
        "EnvironmentScalarDefinition:Money",
        "EnvironmentScalarDefinition:DateTime",
        "EnvironmentScalarDefinition:Unknown",
        "EnvironmentEnumDefinition:OrderRiskLevel",
        "EnvironmentEnumDefinition:lowercase",
        "EnvironmentEnumDefinition:Money",
        "Other:Thing",
        "",
    ]
)
LITERALS = st.one_of(
    AWKWARD,
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(
        ["true", "false", "True", "-0", "-0.0", "007", "1.50", "1e5", "HIGH", "a,b", ",", "0.1"]
    ),
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | AWKWARD,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(AWKWARD, inner, max_size=3),
    max_leaves=6,
)


# A patched field as real exports write it: this key order, `arguments` as JSON text.
PATCHED_FIELD = st.fixed_dictionaries(
    {
        "id": AWKWARD,
        "handle": AWKWARD,
        "field": st.just("metafield"),
        "patched_type": st.sampled_from(["Order", "Product", "Customer"]),
        "arguments": st.tuples(AWKWARD, AWKWARD).map(
            lambda kn: json.dumps({"key": kn[0], "namespace": kn[1]}, separators=(",", ":"))
        ),
        "merchant_configured": st.booleans(),
    }
)


@st.composite
def key_order(draw, keys: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[str]:
    """Mostly the export order; sometimes permuted, sometimes with optional keys dropped."""
    chosen = [k for k in keys if k not in optional or draw(st.integers(0, 9)) > 0]
    if draw(st.integers(0, 9)) == 0:
        chosen = draw(st.permutations(chosen))
    return list(chosen)


@st.composite
def env_operand(draw, parent: str) -> dict:
    """A path operand; real exports often leave `full_environment_path` out."""
    path = draw(PATH)
    value = path if draw(st.integers(0, 4)) else draw(AWKWARD)
    obj = {
        "uuid": draw(AWKWARD),
        "parent_uuid": parent,
        "value": value,
        "comparison_value_type": "EnvironmentValue",
        "full_environment_path": path,
    }
    keys = draw(key_order(ENV_OPERAND_KEYS, ("parent_uuid",)))
    if draw(st.integers(0, 2)) == 0:
        keys = [k for k in keys if k != "full_environment_path"]
    return {k: obj[k] for k in keys}


@st.composite
def operand(draw, parent: str) -> dict:
    uid = draw(AWKWARD)
    if draw(st.booleans()):
        return draw(env_operand(parent))
    else:
        obj = {
            "uuid": uid,
            "parent_uuid": parent,
            "value": draw(LITERALS),
            "comparison_value_type": "LiteralValue",
        }
        keys = draw(key_order(LITERAL_OPERAND_KEYS, ("parent_uuid",)))
    return {k: obj[k] for k in keys}


@st.composite
def condition(draw, parent: str | None, depth: int = 0) -> dict:
    uid = draw(AWKWARD)
    kinds = ["cmp", "cmp", "logical", "wrapper", "array"] if depth < 3 else ["cmp"]
    kind = draw(st.sampled_from(kinds))
    if kind == "cmp":
        op = draw(st.sampled_from([*BINARY_OPERATORS, *UNARY_OPERATORS, "matches?"]))
        unary = op in UNARY_OPERATORS
        rhs = (
            None
            if (unary and draw(st.integers(0, 5))) or (not unary and not draw(st.integers(0, 8)))
            else draw(operand(uid))
        )
        obj = {
            "lhs": draw(operand(uid)),
            "rhs": rhs,
            "value_type": draw(VALUE_TYPES),
            "operator": op,
            "operation_type": "Comparison",
        }
        keys = COMPARISON_KEYS
    elif kind == "logical":
        op = draw(st.sampled_from(["AND", "OR", "AND", "OR", "XOR"]))
        obj = {
            "lhs": draw(condition(uid, depth + 1)),
            "rhs": draw(condition(uid, depth + 1)),
            "operator": op,
            "operation_type": "LogicalExpression",
        }
        keys = LOGICAL_KEYS
    elif kind == "wrapper":
        # The editor's one-operand wrapper: no `rhs` key at all.
        obj = {
            "lhs": draw(condition(uid, depth + 1)),
            "operator": draw(st.sampled_from(["AND", "AND", "OR"])),
            "operation_type": "LogicalExpression",
        }
        keys = WRAPPER_KEYS
    else:
        # Strings (older documents) or operand objects (real exports), mixed freely.
        obj = {
            "array_path": draw(st.one_of(PATH, env_operand(uid))),
            "array_item_key": draw(st.one_of(IDENT, AWKWARD, env_operand(uid))),
            "operation": draw(condition(uid, depth + 1)),
            "operator": draw(st.sampled_from(["ANY", "ALL", "NONE", "SOME"])),
            "operation_type": "ArrayExpression",
        }
        keys = ARRAY_KEYS
    obj.update(uuid=uid, parent_uuid=parent)
    order = draw(key_order(keys, ("parent_uuid",)))
    if parent is None:
        order = [k for k in order if k != "parent_uuid"]
    return {k: obj[k] for k in order}


def field_value(draw, f: ConfigField) -> str:
    kind = f.kind
    if kind == "string_list" or kind == "recurrence":
        items = draw(st.lists(AWKWARD, max_size=3))
        return draw(
            st.sampled_from(
                [
                    json.dumps(items, separators=(",", ":"), ensure_ascii=False),
                    json.dumps(items),
                    draw(AWKWARD),
                ]
            )
        )
    if kind == "resource_id":
        # A path, the platform's JSON with a default (compact or not, a chosen value), Liquid.
        path = draw(PATH)
        return draw(
            st.sampled_from(
                [
                    path,
                    json.dumps({"value": "", "default_value": path}, separators=(",", ":")),
                    json.dumps({"value": "", "default_value": path}),
                    json.dumps({"value": path, "default_value": path}, separators=(",", ":")),
                    "{{" + path + "}}",
                ]
            )
        )
    if kind == "boolean":
        return draw(st.sampled_from(["true", "false", "True", "yes"]))
    if kind == "number":
        return draw(LITERALS)
    if kind == "enum" and f.enum_values:
        return draw(st.sampled_from([*f.enum_values, "nope"]))
    if kind == "json":
        value = draw(JSON_VALUES)
        return draw(
            st.sampled_from(
                [
                    json.dumps(value, separators=(",", ":"), ensure_ascii=False),
                    json.dumps(value),
                    draw(AWKWARD),
                ]
            )
        )
    return draw(st.one_of(AWKWARD, st.just("Order {{ order.name }}")))


@st.composite
def step(draw, step_id, task_type: str) -> dict:
    tasks = BY_TYPE[task_type]
    config: list[tuple[str, str]]
    roll = draw(st.integers(0, 9))
    if task_type == "CONDITION" and roll < 8:
        task_id, version = tasks[0].id, tasks[0].version
        text = json.dumps(draw(condition(None)), separators=(",", ":"), ensure_ascii=False)
        if draw(st.integers(0, 9)) == 0:
            text = json.dumps(json.loads(text), indent=1)
        config = [("condition", text)]
    elif task_type == "FOREACH" and roll < 8:
        task_id, version = tasks[0].id, tasks[0].version
        config = [("listpath", draw(PATH))]
    elif roll < 8 and tasks:
        task = draw(st.sampled_from(tasks))
        task_id, version = task.id, task.version
        fields = (
            draw(st.lists(st.sampled_from(task.fields), unique_by=lambda f: f.id, max_size=5))
            if task.fields
            else []
        )
        config = [(f.id, field_value(draw, f)) for f in fields]
        if draw(st.integers(0, 9)) == 0:
            config.append(
                (draw(st.sampled_from(["colour", "a-b", "_x", "class", "tags"])), draw(AWKWARD))
            )
    else:
        task_id = draw(
            st.sampled_from(
                [
                    "acme::teleport",
                    "slack::send_message",
                    "shopify::admin::add_order_tags",
                    "x",
                    "0b3f6a42-9c1d-4e7a-8f25-6d4c3b2a1e90",  # a custom app's trigger
                ]
            )
        )
        version = draw(st.sampled_from(["0.1", "9.9", "", "v1", "draft", "1.0"]))
        config = draw(st.lists(st.tuples(st.one_of(IDENT, AWKWARD), AWKWARD), max_size=3))
    obj = {
        "step_id": step_id,
        "step_position": [
            draw(st.one_of(st.integers(-5000, 5000), st.floats(-1e6, 1e6))),
            draw(st.integers(-5000, 5000)),
        ],
        "config_field_values": [
            {
                k: {"config_field_id": fid, "value": v}[k]
                for k in (
                    ("value", "config_field_id")
                    if draw(st.integers(0, 19)) == 0
                    else ("config_field_id", "value")
                )
            }
            for fid, v in config
        ],
        "task_id": task_id,
        "task_version": version,
        "task_type": task_type,
        "description": draw(st.none() | AWKWARD),
        "note": draw(st.none() | AWKWARD),
        "name": draw(st.none() | AWKWARD),
    }
    return {k: obj[k] for k in draw(key_order(STEP_KEYS, ("description", "note", "name")))}


@st.composite
def documents(draw) -> dict:
    """A readable workflow payload: one trigger, an acyclic link graph, awkward content."""
    n = draw(st.integers(1, 12))
    types = ["TRIGGER"] + [
        draw(st.sampled_from(["ACTION", "ACTION", "CONDITION", "FOREACH", "WAIT"]))
        for _ in range(n - 1)
    ]
    id_kind = draw(st.sampled_from(["uuid", "int", "text"]))
    if id_kind == "int":
        ids: list = draw(st.lists(st.integers(0, 10**12), min_size=n, max_size=n, unique=True))
    elif id_kind == "text":
        ids = draw(st.lists(AWKWARD, min_size=n, max_size=n, unique=True))
    else:
        ids = [f"00000000-0000-4000-8000-{k:012d}" for k in range(n)]
    # Links follow a random topological order, so any step (the trigger too) may receive links.
    topo = draw(st.permutations(range(n)))
    links = []
    for pos, dst in enumerate(topo):
        for _ in range(draw(st.integers(0, 3)) if pos else 0):
            src = topo[draw(st.integers(0, pos - 1))]
            ports = PORTS[types[src]]
            port = draw(st.sampled_from([*ports, *ports, *ports, "output", "weird port"]))
            to_port = "input" if draw(st.integers(0, 9)) else draw(st.sampled_from(["in", "true"]))
            links.append(
                {
                    "from_step_id": ids[src],
                    "from_port_id": port,
                    "to_step_id": ids[dst],
                    "to_port_id": to_port,
                }
            )
    steps = [draw(step(ids[k], types[k])) for k in range(n)]
    steps = draw(st.permutations(steps))
    links = draw(st.permutations(links))
    root = {
        "steps": steps,
        "links": links,
        "patched_fields": draw(st.lists(JSON_VALUES | PATCHED_FIELD, max_size=2)),
        "variables": draw(st.lists(JSON_VALUES, max_size=2)),
        "note": draw(st.none() | AWKWARD),
        "vertical_layout_enabled": draw(st.booleans()),
        "workflow_name": draw(
            st.none()
            | AWKWARD
            | st.sampled_from(
                ["Tag VIP orders", "S1", "count", "getOrderData", "class", "__init__"]
            )
        ),
    }
    root = {k: root[k] for k in draw(key_order(ROOT_KEYS, OPTIONAL_ROOT_KEYS))}
    meta = draw(st.sampled_from([{"version": 0.1}, {"version": 1}, None]))
    return {"__metadata": meta, "root": root} if meta is not None else {"root": root}


def payload(doc: dict) -> str:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


@SETTINGS
@given(documents())
def test_exact_with_the_sidecar(doc):
    text = payload(doc)
    wf = read_flow(text)
    source, sidecar = to_python(wf, CATALOG)
    sidecar = json.loads(json.dumps(sidecar, ensure_ascii=False))
    assert write_flow(from_python(source, CATALOG, sidecar), prefix=False) == text


@SETTINGS
@given(documents())
def test_semantic_without_the_sidecar_and_a_python_fixpoint(doc):
    wf = read_flow(payload(doc))
    source, _ = to_python(wf, CATALOG)
    plain = from_python(source, CATALOG)
    assert same_workflow(wf, plain) is None
    assert to_python(plain, CATALOG)[0] == source
    assert read_flow(write_flow(plain)) == plain


@SETTINGS
@given(documents(), st.from_regex(r"[0-9a-f]{64}", fullmatch=True))
def test_any_64_hex_prefix_reads_and_only_a_wrong_one_is_stale(doc, digest):
    text = payload(doc)
    envelope = read_envelope(f"{digest}:{text}")
    assert envelope == (text, digest)
    assert envelope.stale is (digest != checksum(text))
    assert read_flow(f"{digest}:{text}") == read_flow(text)
    assert not read_envelope(f"{checksum(text)}:{text}").stale


@settings(max_examples=50, deadline=None, derandomize=True)
@given(
    st.from_regex(r"[0-9A-Za-z]{1,70}", fullmatch=True).filter(
        lambda p: len(p) != 64 or not set(p) <= set("0123456789abcdef")
    )
)
def test_a_prefix_that_is_not_64_lowercase_hex_is_unreadable(prefix):
    with pytest.raises(UnreadableInput) as info:
        read_flow(f"{prefix}:{BARE_PAYLOAD}")
    assert "64 lowercase hex" in str(info.value)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.binary(max_size=300))
def test_fuzzed_bytes_only_give_the_typed_error(data):
    try:
        wf = read_flow(data)
    except UnreadableInput:
        return
    source, sidecar = to_python(wf, CATALOG)
    assert from_python(source, CATALOG, sidecar) == wf


@settings(
    max_examples=50, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(documents(), st.data())
def test_mutated_files_only_give_the_typed_error(doc, data):
    raw = bytearray(write_flow(read_flow(payload(doc))).encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i : i + data.draw(st.integers(0, 3))] = data.draw(st.binary(max_size=3))
    try:
        wf = read_flow(bytes(raw))
    except UnreadableInput:
        return
    to_python(wf, CATALOG)


TOKENS = [
    "import os\n",
    "while x:\n",
    "exec('1')",
    "eval",
    "__import__",
    ".__class__",
    "lambda: 0",
    "(",
    ")",
    ":",
    "\n",
    "    ",
    "if ",
    "for ",
    " in ",
    "not ",
    "and ",
    "==",
    "'",
    '"',
    "\\",
    "with branch():\n",
    "link(",
    "task(",
    "any(",
    "Money(",
    "=",
    ",",
    "yield",
    "[0]",
    "**",
    "logical(",
    ", 'AND')",
    "env_value(",
    "each(",
]


@settings(
    max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(documents(), st.data())
def test_mutated_python_only_gives_the_typed_error(doc, data):
    source, sidecar = to_python(read_flow(payload(doc)), CATALOG)
    text = source
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(text)))
        j = i + data.draw(st.integers(0, 6))
        text = text[:i] + data.draw(st.sampled_from(TOKENS) | st.text(max_size=3)) + text[j:]
    use_sidecar = data.draw(st.booleans())
    try:
        wf = from_python(text, CATALOG, sidecar if use_sidecar else None)
    except DslError as exc:
        assert exc.line >= 1 and exc.col >= 0 and "\n" not in str(exc)
        return
    # Whatever was accepted is a readable workflow, and its canonical program behaves like any.
    assert read_flow(write_flow(wf)) == wf
    program, layout = to_python(wf, CATALOG)
    assert from_python(program, CATALOG, layout) == wf
    plain = from_python(program, CATALOG)
    assert same_workflow(wf, plain) is None
    assert to_python(plain, CATALOG)[0] == program


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00",
        "def",
        "@\n",
        "if True:\n  pass\n",
        "x" * 5000,
        "(" * 500,
        "not " * 2000 + "x",
    ],
)
def test_odd_programs_give_the_typed_error(text):
    with pytest.raises(DslError):
        from_python(text, CATALOG)


@SETTINGS
@given(documents(), st.randoms(use_true_random=False))
def test_sameness_ignores_ids_positions_and_order(doc, rnd):
    wf = read_flow(payload(doc))
    new_id = {s.step_id: f"id-{k}" for k, s in enumerate(wf.steps)}
    steps = [
        replace(s, step_id=new_id[s.step_id], step_position=(0, k)) for k, s in enumerate(wf.steps)
    ]
    links = [
        replace(lk, from_step_id=new_id[lk.from_step_id], to_step_id=new_id[lk.to_step_id])
        for lk in wf.links
    ]
    rnd.shuffle(steps)
    rnd.shuffle(links)
    other = replace(wf, steps=tuple(steps), links=tuple(links))
    assert same_workflow(wf, other) is None
    assert canonical(wf) == canonical(other)
    if wf.links:
        dropped = replace(other, links=tuple(links[1:]))
        assert same_workflow(wf, dropped) is not None


def _paths(obj: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    items = (
        obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    )
    for k, v in items:
        out.extend(_paths(v, (*prefix, k)))
    return out


@settings(
    max_examples=50, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(documents(), st.data())
def test_a_mutated_layout_only_gives_the_typed_error(doc, data):
    source, sidecar = to_python(read_flow(payload(doc)), CATALOG)
    layout = json.loads(json.dumps(sidecar))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(layout)))
        value = data.draw(JSON_VALUES | st.integers(-3, 30) | st.sampled_from(["input", "true"]))
        target = layout
        try:
            for k in path[:-1]:
                target = target[k]
            target[path[-1]] = value
        except (TypeError, KeyError, IndexError):
            continue  # an earlier mutation replaced a container on this path
    try:
        wf = from_python(source, CATALOG, layout)
    except DslError:
        return
    read_flow(write_flow(wf))  # whatever was accepted is a readable file
