"""The structural judge on a table of pairs, the judge CLI, and the LLM judge over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from chat_server import Answer, ChatServer

from flowgen_core.catalog.model import load_catalog
from flowgen_core.cli import main
from flowgen_core.dsl.flowfile import workflow_to_json, write_flow
from flowgen_core.dsl.from_python import from_python
from flowgen_core.evaluation.judge import (
    LLMJudge,
    Verdict,
    agreement,
    canonical_condition,
    negate,
    parse_verdict,
    structural_judge,
)
from flowgen_core.llm import LLMConfig, OpenAIChatClient

CATALOG = load_catalog()


def flow(body: str, trigger: str = "order_created", params: str = "order, shop") -> str:
    return f"@{trigger}\ndef wf({params}):\n    'W'\n" + "".join(
        f"    {line}\n" for line in body.strip("\n").split("\n")
    )


BASE = flow(
    """
if order.totalPriceSet.shopMoney.amount > Money('500') and order.customer.numberOfOrders == 1:
    add_order_tags(order_id=order.id, tags=['big', 'new'])
else:
    send_internal_email(address='me@shop.com', subject='Small', message='{{order.name}}')
"""
)

EQUIVALENT = {
    "and operands swapped (commutative)": flow(
        """
if order.customer.numberOfOrders == 1 and order.totalPriceSet.shopMoney.amount > Money('500'):
    add_order_tags(order_id=order.id, tags=['big', 'new'])
else:
    send_internal_email(address='me@shop.com', subject='Small', message='{{order.name}}')
"""
    ),
    "mirrored comparisons (500 < x, 1 == x)": flow(
        """
if Money('500') < order.totalPriceSet.shopMoney.amount and 1 == order.customer.numberOfOrders:
    add_order_tags(order_id=order.id, tags=['big', 'new'])
else:
    send_internal_email(address='me@shop.com', subject='Small', message='{{order.name}}')
"""
    ),
    "negated condition with ports swapped": flow(
        """
if order.totalPriceSet.shopMoney.amount <= Money('500') or order.customer.numberOfOrders != 1:
    send_internal_email(address='me@shop.com', subject='Small', message='{{order.name}}')
else:
    add_order_tags(order_id=order.id, tags=['big', 'new'])
"""
    ),
    "numeric literal by value and type (500.00, Int)": flow(
        """
if order.totalPriceSet.shopMoney.amount > Money('500.00') and order.customer.numberOfOrders == 1:
    add_order_tags(order_id=order.id, tags=['big', 'new'])
else:
    send_internal_email(address='me@shop.com', subject='Small', message='{{order.name}}')
"""
    ),
    "presentation: names, liquid spaces, tag order, field order": flow(
        """
if order.totalPriceSet.shopMoney.amount > Money('500') and order.customer.numberOfOrders == 1:
    add_order_tags(tags=['new', 'big'], order_id=order.id, _name='Tag it')
else:
    send_internal_email(address='me@shop.com', subject='Small', message='{{  order.name }}')
"""
    ),
    "resource id as JSON text with that path as the default": flow(
        """
if order.totalPriceSet.shopMoney.amount > Money('500') and order.customer.numberOfOrders == 1:
    add_order_tags(order_id=default(order.id), tags=['big', 'new'])
else:
    send_internal_email(address='me@shop.com', subject='Small', message='{{order.name}}')
"""
    ),
}

DIFFERENT = {
    "threshold changed": (
        BASE.replace("Money('500')", "Money('600')"),
        "shopify::flow::condition: condition differs",
    ),
    "operator changed": (BASE.replace("> Money", ">= Money"), "condition differs"),
    "ports swapped without negation": (
        flow(
            """
if order.totalPriceSet.shopMoney.amount > Money('500') and order.customer.numberOfOrders == 1:
    send_internal_email(address='me@shop.com', subject='Small', message='{{order.name}}')
else:
    add_order_tags(order_id=order.id, tags=['big', 'new'])
"""
        ),
        "linked differently",
    ),
    "and became or": (BASE.replace(" and ", " or "), "condition differs"),
    "resource id names another object": (
        BASE.replace("order_id=order.id", "order_id=order.customer.lastOrder.id"),
        "order_id differs",
    ),
    "recipient changed": (
        BASE.replace("me@shop.com", "you@shop.com"),
        "address differs: expected 'me@shop.com', got 'you@shop.com'",
    ),
    "extra step": (
        BASE + "    archive_order(order_id=order.id)\n",
        "steps",
    ),
    "other trigger": (
        BASE.replace("@order_created", "@order_paid"),
        "order_",
    ),
}


def judge(a: str, b: str) -> Verdict:
    return structural_judge(from_python(a, CATALOG), from_python(b, CATALOG), CATALOG)


def test_identical_is_equivalent() -> None:
    assert judge(BASE, BASE) == Verdict(True)


@pytest.mark.parametrize("name", sorted(EQUIVALENT))
def test_equivalent_forms(name: str) -> None:
    verdict = judge(BASE, EQUIVALENT[name])
    assert verdict.equivalent, verdict.reason
    assert judge(EQUIVALENT[name], BASE).equivalent  # symmetric


@pytest.mark.parametrize("name", sorted(DIFFERENT))
def test_different_forms_with_reason(name: str) -> None:
    other, needle = DIFFERENT[name]
    verdict = judge(BASE, other)
    assert not verdict.equivalent
    assert needle in verdict.reason
    assert verdict.line().startswith("different: ")


def test_associative_and_chains() -> None:
    a = flow(
        """
if order.test == False and (order.totalWeight > 10 and order.email.endswith('.edu')):
    archive_order(order_id=order.id)
"""
    )
    b = flow(
        """
if (order.email.endswith('.edu') and order.test == False) and order.totalWeight > 10:
    archive_order(order_id=order.id)
"""
    )
    assert judge(a, b).equivalent
    c = flow(
        """
if order.test == True or (order.totalWeight > 10 or order.email.endswith('.edu')):
    archive_order(order_id=order.id)
"""
    )
    d = flow(
        """
if (order.email.endswith('.edu') or 10 < order.totalWeight) or order.test == True:
    archive_order(order_id=order.id)
"""
    )
    assert judge(c, d).equivalent
    assert not judge(a, c.replace("True", "False")).equivalent  # and vs or: different


def test_one_operand_wrapper_means_its_operand() -> None:
    """The editor wraps every condition in a one-operand AND (flow-format.md): same meaning."""
    bare = flow(
        """
if order.totalWeight > 10:
    archive_order(order_id='{{order.id}}')
"""
    )
    wrapped = bare.replace(
        "if order.totalWeight > 10:", "if logical(order.totalWeight > 10, 'AND'):"
    )
    assert judge(bare, wrapped).equivalent
    assert judge(wrapped, bare).equivalent
    assert not judge(wrapped, bare.replace("> 10", ">= 10")).equivalent
    negated = flow(
        """
if order.totalWeight <= 10:
    add_order_tags(order_id='{{order.id}}', tags=['light'])
else:
    archive_order(order_id='{{order.id}}')
"""
    )
    flipped = flow(
        """
if logical(order.totalWeight > 10, 'AND'):
    archive_order(order_id='{{order.id}}')
else:
    add_order_tags(order_id='{{order.id}}', tags=['light'])
"""
    )
    assert judge(negated, flipped).equivalent  # negation goes through the wrapper


def test_array_any_negates_to_none() -> None:
    cond = from_python(
        flow(
            """
if any(lineItems_item.vendor == 'Acme' for lineItems_item in order.lineItems):
    archive_order(order_id=order.id)
"""
        ),
        CATALOG,
    )
    from flowgen_core.dsl.condition import parse_condition

    node = parse_condition(
        next(s for s in cond.steps if s.task_type == "CONDITION").config("condition")
    )
    negated = negate(node)
    assert negated is not None and negated.operator == "NONE"
    assert canonical_condition(negate(negated)) == canonical_condition(node)  # type: ignore[arg-type]


def test_waits_compare_by_duration() -> None:
    a = flow("wait(wait_duration='PT30M')\narchive_order(order_id=order.id)")
    b = flow("wait(wait_duration='PT1800S')\narchive_order(order_id=order.id)")
    c = flow("wait(wait_duration='PT1H')\narchive_order(order_id=order.id)")
    assert judge(a, b).equivalent
    assert not judge(a, c).equivalent


def test_step_order_in_document_does_not_matter() -> None:
    wf = from_python(BASE, CATALOG)
    from dataclasses import replace

    shuffled = replace(wf, steps=tuple(reversed(wf.steps)), links=tuple(reversed(wf.links)))
    assert structural_judge(wf, shuffled, CATALOG).equivalent


# -- CLI --------------------------------------------------------------------------------


def test_cli_judge_accepts_py_flow_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "expected.py").write_text(BASE)
    wf = from_python(EQUIVALENT["negated condition with ports swapped"], CATALOG)
    (tmp_path / "actual.flow").write_text(write_flow(wf))
    (tmp_path / "actual.json").write_text(json.dumps(workflow_to_json(wf)))
    (tmp_path / "other.py").write_text(DIFFERENT["threshold changed"][0])
    assert (
        main(["eval", "judge", str(tmp_path / "expected.py"), str(tmp_path / "actual.flow")]) == 0
    )
    assert capsys.readouterr().out.strip() == "equivalent"
    assert (
        main(["eval", "judge", str(tmp_path / "actual.json"), str(tmp_path / "expected.py")]) == 0
    )
    capsys.readouterr()
    assert main(["eval", "judge", str(tmp_path / "expected.py"), str(tmp_path / "other.py")]) == 1
    assert capsys.readouterr().out.startswith(
        "different: step shopify::flow::condition: condition differs"
    )
    assert (
        main(["eval", "judge", "--json", str(tmp_path / "expected.py"), str(tmp_path / "other.py")])
        == 1
    )
    payload = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert payload["equivalent"] is False and payload["reason"]


def test_cli_judge_unreadable_input_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.py").write_text("import os\n")
    (tmp_path / "ok.py").write_text(BASE)
    assert main(["eval", "judge", str(tmp_path / "bad.py"), str(tmp_path / "ok.py")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "imports are not allowed" in err
    assert main(["eval", "judge", str(tmp_path / "missing.flow"), str(tmp_path / "ok.py")]) == 2


# -- LLM judge ----------------------------------------------------------------------------


def judge_answer(body: dict) -> str:
    """EQUIVALENT unless the two programs differ in their last line (a crude but real rule)."""
    expected, actual = body["messages"][-1]["content"].split("ACTUAL:")
    same = expected.strip().splitlines()[-2] == actual.strip().splitlines()[-2]
    return "EQUIVALENT" if same else "DIFFERENT: the last step differs"


@pytest.fixture
def judge_server(chat_server: Callable[[Answer], ChatServer]) -> ChatServer:
    return chat_server(judge_answer)


@pytest.mark.integration
def test_llm_judge_over_http_and_agreement(judge_server: ChatServer) -> None:
    with OpenAIChatClient(LLMConfig(base_url=judge_server.url, model="judge")) as client:
        llm = LLMJudge(client)
        same = "x = 1\nadd_order_tags(order_id='1', tags=['a'])\n"
        other = "x = 1\narchive_order(order_id='1')\n"
        verdicts = llm.judge_many([(same, same), (same, other)])
    assert verdicts == [Verdict(True), Verdict(False, "the last step differs")]
    system = judge_server.bodies[0]["messages"][0]
    assert system["role"] == "system" and "EQUIVALENT" in system["content"]
    assert llm.version == "judge-v2"
    structural = [Verdict(True), Verdict(True)]
    assert agreement(structural, verdicts) == 0.5
    assert agreement([], []) is None


def test_parse_verdict() -> None:
    assert parse_verdict("EQUIVALENT\nbecause") == Verdict(True)
    assert parse_verdict("different: wrong tag") == Verdict(False, "wrong tag")
    assert not parse_verdict("maybe?").equivalent
    assert not parse_verdict("").equivalent


def test_reason_shows_the_conditions_as_written() -> None:
    verdict = judge(BASE, BASE.replace("Money('500')", "Money('600')"))
    assert "amount > Money('500') and order.customer.numberOfOrders == 1, got" in verdict.reason
    assert verdict.reason.endswith("amount > Money('600') and order.customer.numberOfOrders == 1")


def test_message_prose_compares_by_the_values_it_shows() -> None:
    email = "send_internal_email(address='me@shop.com', subject={s!r}, message={b!r})"
    a = flow(email.format(s="Big order {{order.name}}", b="Total: {{ order.totalPrice }}"))
    reworded = flow(email.format(s="New big one: {{order.name}}!", b="{{order.totalPrice}} spent"))
    other_value = flow(email.format(s="Big order {{order.id}}", b="Total: {{order.totalPrice}}"))
    assert judge(a, reworded).equivalent
    verdict = judge(a, other_value)
    assert not verdict.equivalent and "subject differs" in verdict.reason
    assert not judge(a, a.replace("me@shop.com", "ops@shop.com")).equivalent
    # An HTTP request's body is a payload, not prose: compared as written.
    http = "send_http_request(method='POST', url='https://erp.example.com', body={b!r})"
    assert not judge(flow(http.format(b='{"id": 1}')), flow(http.format(b='{"id": 2}'))).equivalent
