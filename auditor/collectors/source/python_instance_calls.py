"""Which ``self.method()`` calls of a method run with a lock held, and which branch of an
``if lock.acquire(False):`` holds it: shared by the passes over shared instances."""

from __future__ import annotations

import ast

from .python_ast_walk import walk


def self_calls(statements: list[ast.stmt], self_name: str, is_lock, held: bool):
    """``(method, lock held)`` for every ``self.method(...)`` call in ``statements``."""
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            inner = held or any(is_lock(item.context_expr) for item in statement.items)
            for item in statement.items:
                yield from _calls_in(item.context_expr, self_name, held)
            yield from self_calls(statement.body, self_name, is_lock, inner)
            continue
        acquired = acquired_branch(statement.test, is_lock) if isinstance(statement, ast.If) else None
        blocks = [
            (getattr(statement, name), held or name == acquired)
            for name in ("body", "orelse", "finalbody")
            if hasattr(statement, name)
        ]
        blocks += [(handler.body, held) for handler in getattr(statement, "handlers", [])]
        for child in ast.iter_child_nodes(statement):
            if not isinstance(child, (ast.stmt, ast.excepthandler)):
                yield from _calls_in(child, self_name, held)
        for block, block_held in blocks:
            yield from self_calls(block, self_name, is_lock, block_held)


def _calls_in(expression: ast.AST, self_name: str, held: bool):
    for node in walk(expression):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == self_name
        ):
            yield node.func.attr, held


def acquired_branch(test: ast.AST, is_lock) -> str | None:
    """``"body"`` for ``if lock.acquire(False):``, ``"orelse"`` for ``if not lock.acquire(...)``."""
    negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
    call = test.operand if negated else test
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "acquire"
        and is_lock(call.func.value)
    ):
        return "orelse" if negated else "body"
    return None
