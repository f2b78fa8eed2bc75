"""Condition expressions of a Python DSL program -> condition trees with blank uuids.

The inverse of the rendering in `pycondition` (its docstring lists the forms); `from_python`
gives the tree its ids afterwards (fresh, or from the layout sidecar).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from flowgen_core.dsl.condition import (
    ARRAY_KEYS,
    COMPARISON_KEYS,
    ENV_OPERAND_KEYS,
    ENV_VALUE_ONLY_KEYS,
    LITERAL_OPERAND_KEYS,
    LOGICAL_KEYS,
    WRAPPER_KEYS,
    ArrayExpr,
    Comparison,
    ConditionNode,
    Logical,
    Operand,
)
from flowgen_core.dsl.pycondition import (
    DEFAULT_VALUE_TYPE,
    ENUM,
    SCALAR,
    SCALAR_TYPES,
    wrapper_value_type,
)
from flowgen_core.dsl.pyread import const_str, dunder, env_path, err, not_allowed, number_text


def read_condition(e: ast.expr) -> ConditionNode:
    """The condition tree of an `if` test or a condition call, with blank uuids."""
    return _Condition().node(e)


@dataclass
class _Side:
    """One side of a comparison as read, with the value type it states or implies."""

    operand: Operand
    explicit: str | None = None
    implied: str | None = None


def _env_operand(path: str, value: str | None = None) -> Operand:
    return Operand(
        uuid="",
        parent_uuid=None,
        value=path if value is None else value,
        comparison_value_type="EnvironmentValue",
        full_environment_path=path,
        keys=ENV_OPERAND_KEYS,
    )


def _value_only_operand(value: str) -> Operand:
    return Operand("", None, value, "EnvironmentValue", None, ENV_VALUE_ONLY_KEYS)


def _value_only(call: ast.Call) -> Operand:
    """`env_value(path)`: an environment operand without `full_environment_path`."""
    if len(call.args) != 1 or call.keywords:
        raise err(call, "env_value(path) takes one path or string")
    arg = call.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return _value_only_operand(arg.value)
    return _value_only_operand(env_path(arg))


def _call_named(node: ast.expr, name: str) -> ast.Call | None:
    """The node when it is a call of `name(...)`, else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name:
        return node
    return None


def _array_operand(node: ast.expr) -> Operand | None:
    """An array part written as an operand (`env_value(...)`, `env("full", "value")`), or None."""
    value_only = _call_named(node, "env_value")
    if value_only is not None:
        return _value_only(value_only)
    pair = _call_named(node, "env")
    if pair is not None and len(pair.args) == 2 and not pair.keywords:
        full = const_str(pair.args[0], "a path")
        return _env_operand(full, const_str(pair.args[1], "the value"))
    return None


def _literal(text: str) -> Operand:
    return Operand("", None, text, "LiteralValue", None, LITERAL_OPERAND_KEYS)


def _blank_comparison(lhs: Operand, rhs: Operand | None, vt: str, op: str) -> Comparison:
    return Comparison("", None, lhs, rhs, vt, op, COMPARISON_KEYS)


_COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<="}


class _Condition:
    """Reads a condition expression into a tree with blank uuids (see pycondition)."""

    def node(self, e: ast.expr) -> ConditionNode:
        if isinstance(e, ast.BoolOp):
            word = "AND" if isinstance(e.op, ast.And) else "OR"
            nodes = [self.node(v) for v in e.values]
            tree = nodes[-1]
            for left in reversed(nodes[:-1]):
                tree = Logical("", None, left, tree, word, LOGICAL_KEYS)
            return tree
        if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.Not):
            inner = e.operand
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
                if inner.func.id == "any":
                    return self.array(inner, "NONE")
                if inner.func.id == "is_empty":
                    return self.unary(inner, "not_empty_and_not_nil?")
            raise err(e, "`not` is only allowed before any(...) or is_empty(...)")
        if isinstance(e, ast.Compare):
            return self.compare(e)
        if isinstance(e, ast.Call):
            return self.call(e)
        if isinstance(e, ast.NamedExpr):
            raise err(e, "`:=` is only allowed around a whole if test or loop list")
        if isinstance(e, ast.Name | ast.Attribute | ast.Constant):
            raise err(
                e, "a condition compares: write `x == True`, `x is not None` or `not is_empty(x)`"
            )
        raise not_allowed(e, "a condition")

    def call(self, e: ast.Call) -> ConditionNode:
        if e.keywords:
            raise err(e, "keyword arguments are not allowed in a condition")
        f = e.func
        if isinstance(f, ast.Attribute) and f.attr in ("startswith", "endswith"):
            if len(e.args) != 1:
                raise err(e, f".{f.attr}() takes one argument")
            op = "starts_with?" if f.attr == "startswith" else "ends_with?"
            return self.binary([f.value, e.args[0]], op, swap=False)
        if not isinstance(f, ast.Name):
            raise not_allowed(e, "a condition")
        name = f.id
        if name in ("any", "all"):
            return self.array(e, name.upper())
        if name == "is_empty":
            return self.unary(e, "empty_or_nil?")
        if name == "array":
            if len(e.args) != 2:
                raise err(e, 'array("OP", (cond for item in path)) takes two arguments')
            return self.generator(e.args[1], const_str(e.args[0], "the array operator"))
        if name == "logical":
            if len(e.args) not in (2, 3):
                raise err(e, 'logical(a, "OP", b), or logical(a, "OP") for one operand')
            op = const_str(e.args[1], "the logical operator")
            if len(e.args) == 2:
                # The editor's one-operand wrapper: a Logical node without an `rhs` key.
                return Logical("", None, self.node(e.args[0]), None, op, WRAPPER_KEYS)
            return Logical("", None, self.node(e.args[0]), self.node(e.args[2]), op, LOGICAL_KEYS)
        if name == "compare":
            if len(e.args) != 4:
                raise err(e, 'compare(lhs, "op", rhs, "value_type") takes four arguments')
            lhs = self.side(e.args[0]).operand
            rhs_node = e.args[2]
            none = isinstance(rhs_node, ast.Constant) and rhs_node.value is None
            rhs = None if none else self.side(rhs_node).operand
            op = const_str(e.args[1], "the operator")
            return _blank_comparison(lhs, rhs, const_str(e.args[3], "the value type"), op)
        raise not_allowed(e, "a condition")

    def array(self, e: ast.Call, op: str) -> ArrayExpr:
        if len(e.args) != 1 or e.keywords:
            raise err(e, f"{e.func.id}(...) takes one generator: (cond for item in path)")  # type: ignore[attr-defined]
        return self.generator(e.args[0], op)

    def generator(self, g: ast.expr, op: str) -> ArrayExpr:
        if not isinstance(g, ast.GeneratorExp) or len(g.generators) != 1:
            raise err(g, "expected a generator: (cond for item in path)")
        comp = g.generators[0]
        if comp.ifs or comp.is_async or not isinstance(comp.target, ast.Name):
            raise err(g, "expected a generator: (cond for item in path)")
        dunder(comp.target.id, comp.target)
        it = comp.iter
        path: str | Operand
        key: str | Operand = comp.target.id
        each, value_only = _call_named(it, "each"), _call_named(it, "env_value")
        if each is not None:
            if len(each.args) != 2 or each.keywords:
                raise err(each, 'each(path, "item_key") takes two arguments')
            key_node = each.args[1]
            key = _array_operand(key_node) or const_str(key_node, "the item key")
            path = _array_operand(each.args[0]) or env_path(each.args[0])
        elif value_only is not None:
            # Real exports' shape: path and item key both operands with only a value.
            path = _value_only(value_only)
            key = _value_only_operand(comp.target.id)
        else:
            path = env_path(it)
        return ArrayExpr("", None, path, key, self.node(g.elt), op, ARRAY_KEYS)

    def unary(self, e: ast.Call, op: str) -> Comparison:
        if len(e.args) != 1 or e.keywords:
            raise err(e, "is_empty() takes one argument")
        side = self.side(e.args[0])
        return _blank_comparison(side.operand, None, _value_type([side]), op)

    def compare(self, e: ast.Compare) -> Comparison:
        if len(e.ops) != 1:
            raise err(e, "chained comparisons are not allowed")
        op, left, right = e.ops[0], e.left, e.comparators[0]
        if isinstance(op, ast.Is | ast.IsNot):
            if not (isinstance(right, ast.Constant) and right.value is None):
                raise err(right, "`is` only compares with None")
            side = self.side(left)
            word = "nil?" if isinstance(op, ast.Is) else "not_nil?"
            return _blank_comparison(side.operand, None, _value_type([side]), word)
        if isinstance(op, ast.In | ast.NotIn):
            if isinstance(right, ast.List):
                sides = [self.side(left)] + [self.side(x) for x in right.elts]
                for s, x in zip(sides[1:], right.elts, strict=True):
                    if s.operand.is_env:
                        raise err(x, "a list after `in` holds literals only")
                text = ",".join(s.operand.value for s in sides[1:])
                word = "in?" if isinstance(op, ast.In) else "not_in?"
                return _blank_comparison(sides[0].operand, _literal(text), _value_type(sides), word)
            word = "include?" if isinstance(op, ast.In) else "not_include?"
            return self.binary([left, right], word, swap=True)
        for kind, word in _COMPARE.items():
            if isinstance(op, kind):
                return self.binary([left, right], word, swap=False)
        raise not_allowed(e, "a condition")

    def binary(self, nodes: list[ast.expr], op: str, swap: bool) -> Comparison:
        sides = [self.side(n) for n in nodes]
        lhs, rhs = (sides[1], sides[0]) if swap else (sides[0], sides[1])
        return _blank_comparison(lhs.operand, rhs.operand, _value_type(sides), op)

    def side(self, e: ast.expr) -> _Side:
        """An operand: a literal, a path, `env(...)`, `Wrapper(...)`, `Enum.VALUE`, `typed(...)`."""
        if isinstance(e, ast.Constant):
            v = e.value
            if isinstance(v, str):
                return _Side(_literal(v), implied=SCALAR + "String")
            if isinstance(v, bool):
                return _Side(_literal("true" if v else "false"), implied=SCALAR + "Boolean")
            if v is None:
                raise err(e, "compare with None as `x is None` or `x is not None`")
        number = number_text(e)
        if number is not None:
            return _Side(_literal(number[0]), implied=SCALAR + number[1])
        if isinstance(e, ast.Call) and isinstance(e.func, ast.Name):
            name = e.func.id
            if e.keywords:
                raise err(e, "keyword arguments are not allowed in a condition")
            if name == "env_value":
                return _Side(_value_only(e))
            if name == "env":
                if len(e.args) not in (1, 2):
                    raise err(e, 'env("path") or env("path", "value")')
                path = const_str(e.args[0], "a path")
                value = const_str(e.args[1], "the value") if len(e.args) == 2 else None
                return _Side(_env_operand(path, value))
            if name == "typed":
                if len(e.args) != 2:
                    raise err(e, 'typed("value_type", value) takes two arguments')
                vt = const_str(e.args[0], "the value type")
                return replace(self._typed_inner(e.args[1]), explicit=vt)
            if name[:1].isupper():
                if len(e.args) != 1:
                    raise err(e, f"{name}(...) takes one argument")
                return replace(self._typed_inner(e.args[0]), explicit=wrapper_value_type(name))
            raise not_allowed(e, "a condition")
        if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name):
            head = e.value.id
            if head[:1].isupper():
                if head in SCALAR_TYPES:
                    raise err(e, f"{head} is a scalar type, write {head}('...')")
                dunder(e.attr, e)
                return _Side(_literal(e.attr), implied=ENUM + head)
        if isinstance(e, ast.Name) and e.id[:1].isupper():
            raise err(e, f"'{e.id}' is not a path (paths start with a lower-case name)")
        if isinstance(e, ast.Name | ast.Attribute):
            return _Side(_env_operand(env_path(e)))
        raise not_allowed(e, "a condition")

    def _typed_inner(self, e: ast.expr) -> _Side:
        if isinstance(e, ast.Constant) and isinstance(e.value, str):
            return _Side(_literal(e.value))
        side = self.side(e)
        if not side.operand.is_env or side.explicit is not None:
            raise err(e, "a type wrapper takes a string or a path")
        return side


def _value_type(sides: list[_Side]) -> str:
    """First explicit type in source order, else the first literal's type, else String."""
    for s in sides:
        if s.explicit is not None:
            return s.explicit
    for s in sides:
        if s.implied is not None:
            return s.implied
    return DEFAULT_VALUE_TYPE
