"""Codemod for FTP003: guard a check-then-act lazy initialisation with a module lock.

    global _client                      global _client
    if _client is None:                 if _client is None:
        _client = connect()     ->          with _client_lock:
                                                if _client is None:
                                                    _client = connect()

plus ``_client_lock = threading.Lock()`` next to the module-level ``_client`` and an
``import threading`` when the module has none. The outer check keeps the fast path
lock-free (reads of a module global are atomic in CPython, free-threaded or not); the
inner check under the lock makes the initialisation happen once.

Applied only where it is mechanical: an ``if`` without ``else`` in a function, testing a
name the function declares ``global`` (or a module-level container, for
``if key not in _cache: _cache[key] = ...``) and assigning it in its body, not already
inside a ``with`` block. Anything else is left for a person.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ...collectors.source.python_cst_names import _BoundNames, _dotted, is_mutable_container
from ...collectors.source.suppression_comments import parse_suppressions

RULE_CODE = "FTP003"


def lock_name_for(name: str) -> str:
    return f"{name}_lock" if name.startswith("_") else f"_{name}_lock"


def _unset_tested(test: cst.BaseExpression) -> set[str]:
    names: set[str] = set()
    if isinstance(test, cst.BooleanOperation):
        return _unset_tested(test.left) | _unset_tested(test.right)
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        name = _dotted(test.expression)
        if name:
            names.add(name)
    elif isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        comparison = test.comparisons[0]
        if (
            isinstance(comparison.operator, (cst.Is, cst.Equal))
            and isinstance(comparison.comparator, cst.Name)
            and comparison.comparator.value == "None"
        ):
            name = _dotted(test.left)
            if name:
                names.add(name)
        elif isinstance(comparison.operator, cst.NotIn):
            name = _dotted(comparison.comparator)
            if name:
                names.add(name)
    return names


class _AssignedNames(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()
        self.contains_with = False

    def visit_With(self, node: cst.With) -> None:
        self.contains_with = True

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        target = node.target
        if isinstance(target, cst.Name):
            self.names.add(target.value)
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            self.names.add(target.value.value)


class LazyInitLockTransformer(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(
        self, module_containers: set[str], module_names: set[str], suppressed_lines: set[int] | None = None
    ) -> None:
        super().__init__()
        self.module_containers = module_containers
        self.module_names = module_names
        self.suppressed_lines = suppressed_lines or set()
        self.locks_needed: dict[str, str] = {}  # shared name -> lock name
        self._globals: list[set[str]] = []
        self._locals: list[set[str]] = []
        self._with_depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        bound = _BoundNames()
        node.visit(bound)
        self._globals.append(bound.globals)
        self._locals.append(bound.names - bound.globals)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self._globals.pop()
        self._locals.pop()
        return updated_node

    def visit_With(self, node: cst.With) -> None:
        self._with_depth += 1

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        self._with_depth -= 1
        return updated_node

    def _shared_target(self, node: cst.If) -> str | None:
        if not self._globals or self._with_depth or node.orelse is not None:
            return None
        assigned = _AssignedNames()
        node.body.visit(assigned)
        if assigned.contains_with:
            return None  # already guarded (e.g. by an earlier run of this codemod)
        for name in sorted(_unset_tested(node.test)):
            if name not in assigned.names:
                continue
            if name in self._globals[-1]:
                return name
            if name in self.module_containers and name not in self._locals[-1]:
                return name
        return None

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.BaseStatement:
        name = self._shared_target(original_node)
        if name is None:
            return updated_node
        position = self.get_metadata(PositionProvider, original_node)
        if self.suppressed_lines & set(range(position.start.line, position.end.line + 1)):
            return updated_node  # `# ftaudit: ignore[FTP003]`: the author decided
        lock = lock_name_for(name)
        self.locks_needed[name] = lock
        inner_if = updated_node.with_changes(leading_lines=())
        with_block = cst.With(
            items=[cst.WithItem(item=cst.Name(lock))],
            body=cst.IndentedBlock(body=[inner_if]),
        )
        return updated_node.with_changes(body=cst.IndentedBlock(body=[with_block]))


def _is_import(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(item, (cst.Import, cst.ImportFrom)) for item in statement.body
    )


def _imports_threading(module: cst.Module) -> bool:
    for statement in module.body:
        if _is_import(statement):
            for item in statement.body:
                if isinstance(item, cst.Import) and any(
                    _dotted(alias.name) == "threading" and alias.asname is None for alias in item.names
                ):
                    return True
    return False


def _module_level_assignments(module: cst.Module) -> tuple[dict[str, int], set[str]]:
    positions: dict[str, int] = {}
    containers: set[str] = set()
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine):
            for item in statement.body:
                targets = []
                value = None
                if isinstance(item, cst.Assign):
                    targets = [target.target for target in item.targets]
                    value = item.value
                elif isinstance(item, cst.AnnAssign):
                    targets = [item.target]
                    value = item.value
                for target in targets:
                    if isinstance(target, cst.Name):
                        positions.setdefault(target.value, index)
                        if value is not None and is_mutable_container(value):
                            containers.add(target.value)
    return positions, containers


def fix_lazy_init(source: str) -> str:
    """Return ``source`` with every mechanical FTP003 site guarded; unchanged if none."""
    module = cst.parse_module(source)
    positions, containers = _module_level_assignments(module)
    suppressed = {line for line, codes in parse_suppressions(source).items() if codes & {RULE_CODE, "*"}}
    transformer = LazyInitLockTransformer(containers, set(positions), suppressed)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    updated = wrapper.visit(transformer)
    if not transformer.locks_needed:
        return source
    body = list(updated.body)
    # Insert each lock right after the shared name's module-level binding (or after the
    # imports when the name is only created inside functions), last position first.
    insertions: list[tuple[int, cst.SimpleStatementLine]] = []
    last_import = max((index for index, statement in enumerate(body) if _is_import(statement)), default=-1)
    existing = set(positions)
    for name, lock in sorted(transformer.locks_needed.items()):
        if lock in existing:
            continue
        after = positions.get(name, last_import)
        statement = cst.parse_statement(f"{lock} = threading.Lock()\n")
        insertions.append((after + 1, statement))
    for index, statement in sorted(insertions, key=lambda pair: pair[0], reverse=True):
        body.insert(index, statement)
    if not _imports_threading(updated):
        import_statement = cst.parse_statement("import threading\n")
        insert_at = 0
        for index, statement in enumerate(body):
            is_docstring = (
                index == 0
                and isinstance(statement, cst.SimpleStatementLine)
                and isinstance(statement.body[0], cst.Expr)
                and isinstance(statement.body[0].value, cst.SimpleString)
            )
            is_future = (
                isinstance(statement, cst.SimpleStatementLine)
                and isinstance(statement.body[0], cst.ImportFrom)
                and _dotted(statement.body[0].module or cst.Name("x")) == "__future__"
            )
            if is_docstring or is_future:
                insert_at = index + 1
        body.insert(insert_at, import_statement)
        following = insert_at + 1
        if following < len(body) and not _is_import(body[following]):
            body[following] = body[following].with_changes(
                leading_lines=[cst.EmptyLine(), *body[following].leading_lines]
            )
    return updated.with_changes(body=body).code
