"""Condition trees as Python expressions, both ways (shared by to_python and from_python).

Rendering rules (docs/python-dsl.md, "Conditions"):

- `a and b`, `a or b` for AND / OR (right-nested chains flatten, other nesting is parenthesised);
- `x == 2`, `x != "a"`, `>`, `>=`, `<`, `<=`; `x.startswith(s)`, `x.endswith(s)`;
  `s in x` / `s not in x` (include? / not_include?); `x in [a, b]` / `x not in [a, b]`
  (in? / not_in? with a literal comma list); `x is None` / `x is not None` (nil? / not_nil?);
  `is_empty(x)` / `not is_empty(x)` (empty_or_nil? / not_empty_and_not_nil?);
- `any(<cond> for item in path)`, `all(...)`, `not any(...)` for ANY / ALL / NONE;
- environment paths as attribute chains (`order.customer.email`), else `env("path")`;
- literals as Python values whose type names the comparison's `value_type`: str -> String,
  int -> Int, float -> Decimal, True/False -> Boolean, `Enum.VALUE` -> that enum; any other
  type as a wrapper: `Money("10.00")`, `DateTime(order.createdAt)`, or
  `typed("Full:ValueType", "text")` for value types outside the two usual families;
- anything else (unknown operators, a unary operator with a right side, ...) in the generic
  forms `compare(lhs, "op", rhs, "value_type")`, `logical(a, "OP", b)`,
  `array("OP", cond, path, "item_key")`;
- shapes of real exports: the editor's one-operand wrapper as `logical(a, "AND")`, an
  environment operand without `full_environment_path` as `env_value(path)`, and an array whose
  path and item key are such operands as `any(c for item in env_value(path))`; other operand
  forms of array parts as `each(P, K)` (P a path, `env_value(...)` or `env("full", "value")`,
  K the key text, `env_value("key")` or `env("full", "key")`).
"""

from __future__ import annotations

import functools
import keyword
import re

from flowgen_core.dsl.condition import ArrayExpr, Comparison, ConditionNode, Logical, Operand
from flowgen_core.dsl.pyvalues import _INT

SCALAR = "EnvironmentScalarDefinition:"
ENUM = "EnvironmentEnumDefinition:"
DEFAULT_VALUE_TYPE = SCALAR + "String"
# Wrapper names read as scalar types; any other capitalised wrapper is an enum.
SCALAR_TYPES = frozenset(
    {
        "String",
        "Int",
        "Float",
        "Decimal",
        "Money",
        "Boolean",
        "DateTime",
        "Date",
        "ID",
        "URL",
        "HTML",
        "JSON",
        "UnsignedInt64",
    }
)
COMPARE_OPS = {"==": "==", "!=": "!=", ">": ">", ">=": ">=", "<": "<", "<=": "<="}
# Names the condition language gives a meaning when called.
CONDITION_CALLS = frozenset(
    {"any", "all", "is_empty", "env", "env_value", "typed", "compare", "logical", "array", "each"}
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@functools.lru_cache(maxsize=4096)
def is_name(text: str) -> bool:
    """A plain Python identifier that is not a keyword nor dunder (the parser refuses those)."""
    return (
        bool(_IDENT.fullmatch(text)) and not keyword.iskeyword(text) and not text.startswith("__")
    )


def path_expr(path: str) -> str:
    """An environment path as an attribute chain, or `env("path")` when it cannot be one."""
    parts = path.split(".")
    if all(is_name(p) for p in parts) and parts[0][:1].islower() and not parts[0].startswith("_"):
        return path
    return f"env({path!r})"


def literal_type_of(vt: str) -> str | None:
    """The wrapper name for a value type, or None when it needs `typed(...)`."""
    if vt.startswith(SCALAR) and vt[len(SCALAR) :] in SCALAR_TYPES:
        return vt[len(SCALAR) :]
    name = vt[len(ENUM) :]
    if vt.startswith(ENUM) and is_name(name) and name[:1].isupper() and name not in SCALAR_TYPES:
        return name
    return None


def wrapper_value_type(name: str) -> str:
    """The value type a wrapper name stands for."""
    return (SCALAR if name in SCALAR_TYPES else ENUM) + name


def natural_literal(text: str, vt: str) -> str | None:
    """The literal as a bare Python value whose inferred type is `vt`, or None."""
    if vt == SCALAR + "String":
        return repr(text)
    if vt == SCALAR + "Int" and _INT.fullmatch(text):
        return text
    if vt == SCALAR + "Decimal" and "." in text:
        try:
            if repr(float(text)) == text:
                return text
        except ValueError:
            return None
    if vt == SCALAR + "Boolean" and text in ("true", "false"):
        return "True" if text == "true" else "False"
    if vt.startswith(ENUM) and is_name(text):
        wrapper = literal_type_of(vt)
        if wrapper is not None:
            return f"{wrapper}.{text}"
    return None


def wrapped_literal(text: str, vt: str) -> str:
    """A literal with its value type stated explicitly."""
    wrapper = literal_type_of(vt)
    if wrapper is None:
        return f"typed({vt!r}, {text!r})"
    return f"{wrapper}({text!r})"


def _value_only(text: str) -> str:
    """`env_value(path)` for an environment operand that has no `full_environment_path`."""
    return f"env_value({text if path_expr(text) == text else repr(text)})"


def _env(op: Operand) -> str:
    path = op.full_environment_path
    if path is None:
        return _value_only(op.value)
    if op.value == path:
        return path_expr(path)
    return f"env({path!r}, {op.value!r})"


def _operand(op: Operand, vt: str, carry: bool) -> str:
    """Source for an operand; a literal always states `vt`, an env path only when `carry`."""
    if op.is_env:
        src = _env(op)
        if carry:
            wrapper = literal_type_of(vt)
            src = f"{wrapper}({src})" if wrapper else f"typed({vt!r}, {src})"
        return src
    natural = natural_literal(op.value, vt)
    return natural if natural is not None else wrapped_literal(op.value, vt)


def _list_literal(text: str, vt: str) -> str:
    parts = text.split(",")
    rendered = [natural_literal(p, vt) for p in parts]
    if all(r is not None for r in rendered):
        return "[" + ", ".join(r for r in rendered if r is not None) + "]"
    return "[" + ", ".join(wrapped_literal(p, vt) for p in parts) + "]"


def _generic_operand(op: Operand | None, vt: str) -> str:
    if op is None:
        return "None"
    return _env(op) if op.is_env else wrapped_literal(op.value, vt)


_UNARY = {
    "nil?": "{} is None",
    "not_nil?": "{} is not None",
    "empty_or_nil?": "is_empty({})",
    "not_empty_and_not_nil?": "not is_empty({})",
}
_BINARY = frozenset({*COMPARE_OPS, "starts_with?", "ends_with?", "include?", "not_include?"})


def _comparison(node: Comparison) -> str:
    # The parser takes the first explicit type, else the first bare literal's type, else String,
    # reading operands in source order; a literal always states the type, so only an all-env
    # comparison of another type needs its first path wrapped.
    vt, op, lhs, rhs = node.value_type, node.operator, node.lhs, node.rhs
    default = vt == DEFAULT_VALUE_TYPE
    if rhs is None and op in _UNARY:
        return _UNARY[op].format(_operand(lhs, vt, carry=not default))
    if rhs is not None and op in ("in?", "not_in?") and not rhs.is_env:
        word = "in" if op == "in?" else "not in"
        return f"{_operand(lhs, vt, False)} {word} {_list_literal(rhs.value, vt)}"
    if rhs is None or op not in _BINARY:
        return f"compare({_generic_operand(lhs, vt)}, {op!r}, {_generic_operand(rhs, vt)}, {vt!r})"
    first, second = (rhs, lhs) if op in ("include?", "not_include?") else (lhs, rhs)
    carry = not default and first.is_env and second.is_env
    a, b = _operand(first, vt, carry), _operand(second, vt, False)
    if op in COMPARE_OPS:
        return f"{a} {op} {b}"
    if a[:1] in "-0123456789" and op in ("starts_with?", "ends_with?"):
        a = f"({a})"  # `5.endswith(...)` is not Python and `-5 .endswith` would bind to 5
    if op == "starts_with?":
        return f"{a}.startswith({b})"
    if op == "ends_with?":
        return f"{a}.endswith({b})"
    return f"{a} {'in' if op == 'include?' else 'not in'} {b}"


def _chain(node: ConditionNode) -> bool:
    """True for a node written with `and` / `or` (it needs parentheses inside another)."""
    return isinstance(node, Logical) and node.operator in ("AND", "OR") and node.rhs is not None


def _array_source(node: ArrayExpr) -> str:
    """`item in path` of an array's generator, stating which parts are operand objects."""
    path, key = node.array_path, node.array_item_key
    if isinstance(path, str) and isinstance(key, str):
        if is_name(key):
            return f"{key} in {path_expr(path)}"
        return f"_ in each({path_expr(path)}, {key!r})"
    if (
        isinstance(path, Operand)
        and isinstance(key, Operand)
        and path.full_environment_path is None
        and key.full_environment_path is None
        and is_name(key.value)
    ):
        # The shape real exports write: both parts are operands with only a value.
        return f"{key.value} in {_value_only(path.value)}"
    if isinstance(path, str):
        p = path_expr(path)
    else:
        p = _env(path) if path.full_environment_path is None else _env_pair(path)
    if isinstance(key, str):
        k = repr(key)
    elif key.full_environment_path is None:
        k = f"env_value({key.value!r})"
    else:
        k = _env_pair(key)
    return f"_ in each({p}, {k})"


def _env_pair(op: Operand) -> str:
    return f"env({op.full_environment_path!r}, {op.value!r})"


def condition_expr(node: ConditionNode) -> str:
    """The Python expression for a condition tree."""
    if isinstance(node, Comparison):
        return _comparison(node)
    if isinstance(node, Logical):
        if node.rhs is None:
            return f"logical({condition_expr(node.lhs)}, {node.operator!r})"
        if node.operator not in ("AND", "OR"):
            return f"logical({condition_expr(node.lhs)}, {node.operator!r}, {condition_expr(node.rhs)})"
        word = node.operator.lower()
        lhs = condition_expr(node.lhs)
        if _chain(node.lhs):
            lhs = f"({lhs})"
        rhs = condition_expr(node.rhs)
        same = isinstance(node.rhs, Logical) and node.rhs.operator == node.operator
        if _chain(node.rhs) and not same:
            rhs = f"({rhs})"
        return f"{lhs} {word} {rhs}"
    gen = f"{condition_expr(node.operation)} for {_array_source(node)}"
    if node.operator == "ANY":
        return f"any({gen})"
    if node.operator == "ALL":
        return f"all({gen})"
    if node.operator == "NONE":
        return f"not any({gen})"
    return f"array({node.operator!r}, ({gen}))"
