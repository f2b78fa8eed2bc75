"""Python DSL -> workflow: byte-exact with the sidecar, semantic without, fixpoint, typed errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowgen_core.catalog import load_catalog
from flowgen_core.dsl.flowfile import has_prefix, read_flow, write_flow
from flowgen_core.dsl.from_python import DslError, from_python
from flowgen_core.dsl.sameness import same_workflow
from flowgen_core.dsl.to_python import to_python
from flowgen_core.dsl.validate import validate
from flowgen_core.errors import UnreadableInput

CORPUS = Path(__file__).parent / "corpus"
SAMPLES = Path(__file__).parent / "samples"  # copies of ../shared/examples/flows
FILES = sorted(CORPUS.glob("*.flow")) + sorted(SAMPLES.glob("*.flow"))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_the_corpus_and_samples_are_there():
    assert len(list(CORPUS.glob("*.flow"))) >= 100
    assert len(FILES) > len(list(CORPUS.glob("*.flow")))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_round_trip_with_sidecar_is_byte_exact(path: Path, catalog):
    text = path.read_text(encoding="utf-8")
    source, sidecar = to_python(read_flow(text), catalog)
    # The sidecar travels as a JSON file: it must survive being written and read.
    sidecar = json.loads(json.dumps(sidecar, ensure_ascii=False))
    back = from_python(source, catalog, sidecar)
    assert write_flow(back, prefix=has_prefix(text)) == text


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_round_trip_without_sidecar_is_semantic_and_a_fixpoint(path: Path, catalog):
    original = read_flow(path.read_text(encoding="utf-8"))
    source, _ = to_python(original, catalog)
    plain = from_python(source, catalog)
    assert same_workflow(original, plain) is None
    assert to_python(plain, catalog)[0] == source
    # The written JSON reads back (valid envelope, acyclic, one trigger) and is deterministic.
    assert read_flow(write_flow(plain)) == plain
    assert write_flow(from_python(source, catalog)) == write_flow(plain)


MODEL_PROGRAM = """
@order_created
def tag_big_orders(order, shop):
    "Tag big orders"
    if order.totalPriceSet.shopMoney.amount > Money("100") and "vip" in order.customer.tags:
        add_order_tags(order_id=order.id, tags=["big", "vip"])
    else:
        wait(wait_duration="P1D")
        send_internal_email(address="ops@example.com", subject="Small", message="{{order.name}}")
"""


def test_resource_ids_and_versions_as_the_platform_writes_them(catalog):
    source = """
@order_created
def w(order, shop):
    "Ids"
    update_order_metafield(order_id=order.id, namespace="c", key="k", value="v", value_type="date", _version="0.1")
    update_order_metafield(order_id=default(order.id), metafield={"namespace": "c", "key": "k", "type": "date"}, value="v")
    add_order_tags(order_id=env("order.id"), tags=["x"])
"""
    wf = from_python(source, catalog)
    old, new, tag = wf.steps[1:]
    assert (old.task_version, old.config("order_id")) == ("0.1", "order.id")
    assert [c.config_field_id for c in old.config_field_values][1:] == [
        "namespace", "key", "value", "value_type",
    ]  # fmt: skip
    assert new.task_version == "1.0"
    assert new.config("order_id") == '{"value":"","default_value":"order.id"}'
    assert new.config("metafield") == '{"namespace":"c","key":"k","type":"date"}'
    assert tag.config("order_id") == "order.id"
    assert validate(wf, catalog) == []
    program, _ = to_python(wf, catalog)
    assert "update_order_metafield(order_id=order.id, namespace='c'" in program
    assert "value_type='date', _version='0.1')" in program
    assert "update_order_metafield(order_id=default(order.id), metafield=" in program
    assert "add_order_tags(order_id=order.id, tags=['x'])" in program
    assert same_workflow(wf, from_python(program, catalog)) is None


def test_a_program_as_a_model_writes_it(catalog):
    wf = from_python(MODEL_PROGRAM, catalog)
    assert wf.workflow_name == "Tag big orders"
    assert [s.task_type for s in wf.steps] == ["TRIGGER", "CONDITION", "ACTION", "WAIT", "ACTION"]
    trigger, cond, tag, wait, _mail = wf.steps
    assert trigger.task_id == "shopify::admin::order_created"
    assert tag.config("tags") == '["big","vip"]'
    assert wait.config("wait_duration") == "P1D"
    ports = {
        (wf.step(lk.from_step_id).task_type, lk.from_port_id, wf.step(lk.to_step_id).task_type)
        for lk in wf.links
    }
    assert ports == {
        ("TRIGGER", "output", "CONDITION"),
        ("CONDITION", "true", "ACTION"),
        ("CONDITION", "false", "WAIT"),
        ("WAIT", "output", "ACTION"),
    }
    tree = json.loads(cond.config("condition"))
    assert tree["operator"] == "AND" and "parent_uuid" not in tree
    money, include = tree["lhs"], tree["rhs"]
    assert money["value_type"] == "EnvironmentScalarDefinition:Money"
    assert money["rhs"] == {
        "uuid": money["rhs"]["uuid"],
        "parent_uuid": money["uuid"],
        "value": "100",
        "comparison_value_type": "LiteralValue",
    }
    # `"vip" in tags` is include? with the list on the left.
    assert include["operator"] == "include?"
    assert include["lhs"]["full_environment_path"] == "order.customer.tags"
    assert include["rhs"]["value"] == "vip"
    ids = [s.step_id for s in wf.steps]
    assert len(set(ids)) == len(ids)
    assert len({s.step_position for s in wf.steps}) == len(ids)


def test_joins_fan_out_and_explicit_links(catalog):
    source = """
@order_created
def w(order, shop):
    "Join"
    with branch():
        if (a := order.email is None):
            pass
    with branch():
        b = add_order_tags(order_id=order.id, tags=["x"])
    with after(a.true, b):
        archive_order(order_id=order.id)
    link(b, a, "input")
"""
    wf = from_python(source, catalog)
    _t, cond, _tag, archive = wf.steps
    edges = sorted(
        (
            wf.steps.index(wf.step(lk.from_step_id)),
            lk.from_port_id,
            wf.steps.index(wf.step(lk.to_step_id)),
        )
        for lk in wf.links
    )
    assert edges == [
        (0, "output", 1),
        (0, "output", 2),
        (1, "true", 3),
        (2, "output", 1),
        (2, "output", 3),
    ]
    assert cond.task_type == "CONDITION" and archive.task_id.endswith("archive_order")


def test_link_statements_that_make_a_cycle_are_unreadable(catalog):
    source = """
@order_created
def w(order, shop):
    a = add_order_tags(order_id="1", tags=["x"])
    b = archive_order(order_id="1")
    link(b, a, "input")
"""
    with pytest.raises(DslError, match="cycle"):
        from_python(source, catalog)


@pytest.mark.parametrize(
    ("source", "line", "needle"),
    [
        ("import os\n", 1, "imports"),
        ("@order_created\ndef w(order):\n    while True:\n        pass\n", 3, "while"),
        ("@order_created\ndef w(order):\n    exec('print(1)')\n", 3, "exec"),
        ("@order_created\ndef w(order):\n    eval('1')\n", 3, "eval"),
        (
            "@order_created\ndef w(order):\n    add_order_tags(order_id=order.__class__)\n",
            3,
            "dunder",
        ),
        (
            "@order_created\ndef w(order):\n    add_order_tags(order_id=order.id, tags=order.tags)\n",
            3,
            "tags is not a resource id",
        ),
        (
            "@order_created\ndef w(order):\n    add_order_tags(order_id=default(order.id, 1))\n",
            3,
            "default(path) takes one path",
        ),
        (
            "@order_created\ndef w(order):\n    add_order_tags(order_id=order.id, _version='7.0')\n",
            3,
            "add_order_tags has no version '7.0' (versions: 0.1)",
        ),
        (
            "@order_created\ndef w(order):\n    if order.__class__ == 'x':\n        pass\n",
            3,
            "dunder",
        ),
        ("@order_created\ndef w(order):\n    x = lambda: 1\n", 3, "lambda"),
        ("@order_created\ndef w(order):\n    os.system('rm -rf /')\n", 3, "call"),
        ("@order_created\ndef w(order):\n    frobnicate(x=1)\n", 3, "unknown name 'frobnicate'"),
        ("@order_created\ndef w(order):\n    if 1 < order.x < 3:\n        pass\n", 3, "chained"),
        ("@order_created\ndef w(order):\n    if not order.x == 1:\n        pass\n", 3, "not"),
        ("@order_created\ndef w(order:\n", 2, "not valid Python"),
        ("@add_order_tags\ndef w(order):\n    pass\n", 1, "ACTION task"),
        ("def w(order):\n    pass\n", 1, "decorator"),
        ("@order_created\ndef w(order):\n    order_paid()\n", 3, "TRIGGER"),
        ("@order_created\ndef w(order):\n    add_order_tags('x')\n", 3, "keyword"),
        ("@order_created\ndef w(order):\n    with after(nope):\n        pass\n", 3, "'nope'"),
        ("@order_created\ndef w(order):\n    import os\n", 3, "imports"),
        ("x = 1\n@order_created\ndef w(order):\n    pass\n", 1, "unknown module setting"),
        ("", 1, "no workflow function"),
        (
            "@order_created\ndef w(order):\n    pass\n@order_paid\ndef v(order):\n    pass\n",
            5,
            "exactly one",
        ),
        (
            "@order_created\ndef w(order):\n    task('a::b', '0.1', 'CONDITION', {})\n",
            3,
            "CONDITION",
        ),
        (
            "@order_created\ndef w(order):\n    task('a::b', '0.1', 'ACTION', {'x': 1})\n",
            3,
            "string",
        ),
        ("@order_created\ndef w(order):\n    add_order_tags(tags=b'x')\n", 3, "bytes"),
        (
            "@order_created\ndef w(order):\n    add_order_tags(tags=[x for x in y])\n",
            3,
            "comprehensions",
        ),
        (
            "@order_created\ndef w(order):\n    add_order_tags(tags=order.tags[0])\n",
            3,
            "subscripts",
        ),
    ],
    ids=lambda v: str(v)[:12] if isinstance(v, str) else None,
)
def test_anything_outside_the_subset_is_a_typed_error_with_position(catalog, source, line, needle):
    with pytest.raises(DslError) as info:
        from_python(source, catalog)
    err = info.value
    assert isinstance(err, UnreadableInput) and err.exit_code == 2
    assert err.line == line, str(err)
    assert needle.lower() in err.message.lower(), err.message
    assert "\n" not in str(err)
    assert str(err).startswith(f"line {line}, col {err.col}: ")


def test_the_program_is_never_executed(catalog, tmp_path):
    marker = tmp_path / "ran"
    source = f"open({str(marker)!r}, 'w').write('x')\n"
    with pytest.raises(DslError, match="open"):
        from_python(source, catalog)
    assert not marker.exists()


def test_a_sidecar_that_does_not_fit_the_program_is_an_error(catalog):
    text = (SAMPLES / "paid_order_fan_out.flow").read_text(encoding="utf-8")
    source, sidecar = to_python(read_flow(text), catalog)
    edited = source.replace(
        "    with branch():\n        send_internal_email",
        "    with branch():\n        archive_order(order_id='1')\n    with branch():\n        send_internal_email",
    )
    assert edited != source
    with pytest.raises(DslError, match="sidecar does not match"):
        from_python(edited, catalog, sidecar)
    with pytest.raises(DslError, match="sidecar"):
        from_python(source, catalog, {"steps": "nope"})


def test_an_edited_condition_keeps_its_edit_with_the_sidecar(catalog):
    text = (SAMPLES / "repeat_customers_if_else.flow").read_text(encoding="utf-8")
    original = read_flow(text)
    source, sidecar = to_python(original, catalog)
    edited = source.replace(">= 2", ">= 3")
    assert edited != source
    back = from_python(edited, catalog, sidecar)
    assert [s.step_id for s in back.steps] == [s.step_id for s in original.steps]
    assert same_workflow(original, back) == (
        f"step CONDITION shopify::flow::condition@{original.steps[1].task_version}: config differs"
    )


def test_a_sidecar_from_another_condition_form_is_a_typed_error(catalog):
    text = (CORPUS / "invalid_unknown_operator.flow").read_text(encoding="utf-8")
    source, sidecar = to_python(read_flow(text), catalog)
    edited = source.replace(
        "compare(order.email, 'matches?', String('.*'), 'EnvironmentScalarDefinition:String')",
        "order.email == 'x'",
    )
    assert edited != source
    for step in sidecar["steps"]:
        step.pop("nodes", None)
    with pytest.raises(DslError, match="sidecar does not match"):
        from_python(edited, catalog, sidecar)
    broken = json.loads(json.dumps(to_python(read_flow(text), catalog)[1]))
    for step in broken["steps"]:
        if "nodes" in step:
            step["nodes"] = step["nodes"][:-1]
    with pytest.raises(DslError, match="sidecar does not match"):
        from_python(source, catalog, broken)
