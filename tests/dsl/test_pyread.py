"""The reading checks shared by the program and condition readers: one error shape, with the
position of the offending node and a sentence saying what is not allowed."""

from __future__ import annotations

import ast

import pytest

from flowgen_core.dsl.pyread import (
    DslError,
    const_str,
    dunder,
    env_path,
    err,
    not_allowed,
    number_text,
)
from flowgen_core.errors import UnreadableInput


def expr(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def test_an_error_carries_the_nodes_line_and_column_and_is_unreadable_input() -> None:
    node = ast.parse("x = 1\n\n  ", mode="exec").body[0]
    e = err(node, "no")
    assert (e.line, e.col, e.message) == (1, 0, "no")
    assert isinstance(e, UnreadableInput) and e.exit_code == 2
    inner = ast.parse("if a:\n    y = b[0]\n").body[0].body[0].value  # type: ignore[attr-defined]
    assert str(err(inner, "bad")) == "line 2, col 8: bad"
    assert (err(None, "m").line, err(None, "m").col) == (1, 0)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("import os", "imports are not allowed"),
        ("while x:\n    pass", "while loops are not allowed (use a for loop over a list path)"),
        ("eval('1')", "eval() is not allowed"),
        ("frobnicate(1)", "call to unknown name 'frobnicate' in a value"),
        ("a.b.c(1)", "call to 'a.b.c' is not allowed in a value"),
        ("x ** 2", "BinOp is not allowed in a value"),
    ],
)
def test_not_allowed_names_the_construct(source: str, message: str) -> None:
    node = ast.parse(source).body[0]
    if isinstance(node, ast.Expr):
        node = node.value  # type: ignore[assignment]
    assert not_allowed(node, "a value").message == message


def test_paths_read_from_attribute_chains_and_env_calls() -> None:
    assert env_path(expr("order.customer.email")) == "order.customer.email"
    assert env_path(expr('env("order.lineItems[0]")')) == "order.lineItems[0]"
    with pytest.raises(DslError, match="dunder name '__class__' is not allowed"):
        env_path(expr("order.__class__"))
    with pytest.raises(DslError, match="subscripts are not allowed"):
        env_path(expr("order.items[0]"))
    with pytest.raises(DslError, match=r'env\("path"\) takes one string here'):
        env_path(expr('env("a", "b")'))


def test_number_literals_keep_their_sign_and_type_and_booleans_are_not_numbers() -> None:
    assert number_text(expr("-3")) == ("-3", "Int")
    assert number_text(expr("2.50")) == ("2.5", "Decimal")
    assert number_text(expr("True")) is None
    assert number_text(expr('"3"')) is None


def test_string_literals_and_dunder_names() -> None:
    assert const_str(expr('"x"'), "a port") == "x"
    with pytest.raises(DslError, match="a port must be a string literal"):
        const_str(expr("3"), "a port")
    dunder("_private", expr("x"))  # one underscore is a plain name
    with pytest.raises(DslError, match="dunder name '__init__'"):
        dunder("__init__", expr("x"))
