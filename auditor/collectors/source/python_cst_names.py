"""LibCST helpers shared by the Python analyses: names, calls and the names a function binds."""

from __future__ import annotations

import libcst as cst

from .python_vocabulary import (
    MUTABLE_FACTORIES,
    PROCESS_CONTAINERS,
)


def _call_name(node: cst.BaseExpression) -> str | None:
    """``dict`` for ``dict()``, ``defaultdict`` for ``collections.defaultdict(list)``."""
    if isinstance(node, cst.Call):
        func = node.func
        if isinstance(func, cst.Name):
            return func.value
        if isinstance(func, cst.Attribute):
            return func.attr.value
    return None


def is_mutable_container(value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)):
        return True
    return _call_name(value) in MUTABLE_FACTORIES


def _dotted(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


class _BoundNames(cst.CSTVisitor):
    """Names a function binds locally (its own scope only, nested defs excluded)."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        self.depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        if self.depth > 1:
            self.names.add(node.name.value)
            return False
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Param(self, node: cst.Param) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_Global(self, node: cst.Global) -> None:
        self.globals.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.nonlocals.update(item.name.value for item in node.names)

    def _targets(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.names.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._targets(element.value)
        elif isinstance(target, cst.StarredElement):
            self._targets(target.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._targets(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._targets(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._targets(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._targets(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._targets(node.target)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            name = _dotted(node.name)
            if name:
                self.names.add(name.split(".")[0])

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._targets(node.name.name)


def _globals_key(target: cst.Subscript) -> str | None:
    """``flag`` for the target ``globals()["flag"]``."""
    if not (
        isinstance(target.value, cst.Call) and _call_name(target.value) == "globals" and not target.value.args
    ):
        return None
    if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
        return None
    key = target.slice[0].slice.value
    return key.evaluated_value if isinstance(key, cst.SimpleString) else None


def _strip_get(expression: cst.BaseExpression) -> cst.BaseExpression:
    """``cache`` for ``cache.get(key)`` so ``if cache.get(k) is None`` tests the container."""
    if (
        isinstance(expression, cst.Call)
        and isinstance(expression.func, cst.Attribute)
        and expression.func.attr.value == "get"
    ):
        return expression.func.value
    return expression


def _body_returns(body: cst.BaseSuite) -> bool:
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    for statement in statements:
        small = (
            statement.body
            if isinstance(statement, cst.SimpleStatementLine)
            else (statement.body if isinstance(statement, cst.SimpleStatementSuite) else [])
        )
        if any(isinstance(item, (cst.Return, cst.Raise)) for item in small):
            return True
    return False


def process_container(expression: cst.BaseExpression) -> str | None:
    """``sys.modules`` (see python_vocabulary.PROCESS_CONTAINERS) when ``expression`` names it."""
    if (
        isinstance(expression, cst.Attribute)
        and isinstance(expression.value, cst.Name)
        and f"{expression.value.value}.{expression.attr.value}" in PROCESS_CONTAINERS
    ):
        return f"{expression.value.value}.{expression.attr.value}"
    return None
