"""Reading helpers shared by the Python DSL's program reader and its condition reader.

`DslError` and the small checks every construct goes through (string literals, number literals,
dunder names, environment paths), so `from_python` and `pycondition_read` raise one error shape.
"""

from __future__ import annotations

import ast

from flowgen_core.errors import UnreadableInput

NOT_ALLOWED = {
    ast.Import: "imports are not allowed",
    ast.ImportFrom: "imports are not allowed",
    ast.While: "while loops are not allowed (use a for loop over a list path)",
    ast.Lambda: "lambdas are not allowed",
    ast.ClassDef: "classes are not allowed",
    ast.Return: "return is not allowed",
    ast.Try: "try is not allowed",
    ast.Raise: "raise is not allowed",
    ast.Global: "global is not allowed",
    ast.Nonlocal: "nonlocal is not allowed",
    ast.Delete: "del is not allowed",
    ast.AsyncFunctionDef: "async functions are not allowed",
    ast.AsyncFor: "async for is not allowed",
    ast.AsyncWith: "async with is not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.ListComp: "list comprehensions are not allowed (use any(...) or all(...))",
    ast.Subscript: "subscripts are not allowed (use a path such as order.customer.email)",
    ast.AugAssign: "augmented assignment is not allowed",
    ast.Break: "break is not allowed",
    ast.Continue: "continue is not allowed",
    ast.Assert: "assert is not allowed",
    ast.IfExp: "conditional expressions are not allowed (use an if statement)",
}


class DslError(UnreadableInput):
    """A program outside the DSL subset: `line`, `col` (1-based line, 0-based col) and a message."""

    def __init__(self, line: int, col: int, message: str) -> None:
        self.line, self.col, self.message = line, col, message
        super().__init__(f"line {line}, col {col}: {message}")


def err(node: ast.AST | None, message: str) -> DslError:
    """A DslError at the node's line and column (line 1, col 0 when it has none)."""
    line = getattr(node, "lineno", 1) or 1
    col = getattr(node, "col_offset", 0) or 0
    return DslError(line, col, message)


def not_allowed(node: ast.AST, what: str) -> DslError:
    """The error for a construct the DSL does not allow in `what`, naming the construct."""
    if type(node) in NOT_ALLOWED:
        return err(node, NOT_ALLOWED[type(node)])
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name in ("exec", "eval", "compile", "open", "__import__", "getattr", "setattr"):
            return err(node, f"{name}() is not allowed")
        return err(node, f"call to unknown name '{name}' in {what}")
    if isinstance(node, ast.Call):
        text = " ".join(ast.unparse(node.func).split())
        text = text if len(text) <= 60 else text[:57] + "..."
        return err(node, f"call to '{text}' is not allowed in {what}")
    return err(node, f"{type(node).__name__} is not allowed in {what}")


def dunder(name: str, node: ast.AST) -> None:
    """Refuse a dunder name (no way out of the whitelist through `__class__` and the like)."""
    if name.startswith("__"):
        raise err(node, f"dunder name '{name}' is not allowed")


def const_str(node: ast.AST, what: str) -> str:
    """The text of a string literal, else an error saying `what` must be one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    raise err(node, f"{what} must be a string literal")


def number_text(node: ast.AST) -> tuple[str, str] | None:
    """(text, scalar type) of an int/float literal, signed; None when not a number literal."""
    sign = ""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = "-", node.operand
    if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
        if isinstance(node.value, int):
            return sign + str(node.value), "Int"
        if isinstance(node.value, float):
            return sign + repr(node.value), "Decimal"
    return None


def env_path(node: ast.expr) -> str:
    """An environment path: `a.b.c` or `env("path")`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "env":
        if len(node.args) != 1 or node.keywords:
            raise err(node, 'env("path") takes one string here')
        return const_str(node.args[0], "a path")
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        dunder(node.attr, node)
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        raise not_allowed(node, "a path")
    dunder(node.id, node)
    parts.append(node.id)
    return ".".join(reversed(parts))
