"""Python sources through LibCST: where module-level and class-level state is shared.

One pass over a module (with LibCST's position metadata) records *events* that the FTP
rules turn into findings: a module-level container mutated in a function, a ``global``
rebound, a check-then-act lazy initialisation, a class attribute mutated through the
class or an instance, a shared container iterated. Facts that decide whether an event
is a risk at all are worked out here once, so every rule agrees on them:

* what is shared: names bound at module level (and class attributes), not locals;
* what is protected: statements inside ``with <lock>:`` or between ``lock.acquire()``
  and ``lock.release()``; ``threading.local()`` attributes are per thread;
* what runs once: module-level code, ``if __name__ == "__main__":`` and private helpers
  that only module-level code calls run while the module is imported.

Built-in ``dict``/``list``/``set`` operations are individually atomic in free-threaded
CPython (each takes the object's lock), so the risk these rules point to is the
unsynchronised *combination*: check-then-act, read-modify-write, iterate-while-mutated,
and state that other threads see half-updated.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ...model.finding import Location
from .prefilter import (
    GLOBAL_STATEMENT,
    class_attribute_assignment,
    global_random_seeding,
    has_shared_use,
    object_attribute_store,
    object_method_call,
    passed_as_default,
)
from .python_module_checks import module_check_events
from .python_process_state import process_state_events
from .python_shared_instances import shared_instance_races
from .python_vocabulary import (
    LOCK_FACTORIES,
    MUTABLE_FACTORIES,
    MUTATING_METHODS,
    RANDOM_STATE_FACTORIES,
    is_module_object_factory,
)

# Methods that change a module-level object of unknown type (an LRU cache class, a
# registry) the way they change a dict or list; `get`/`keys` and the like read.
_OBJECT_MUTATORS = {"pop", "popitem", "clear", "update", "append", "extend", "remove", "add", "discard"}
_LOCK_NAME = re.compile(r"lock|mutex|_cond\b|condition|semaphore|\bsem\b", re.IGNORECASE)
_MAIN_FUNCTIONS = {"main", "_main", "cli", "_cli"}


@dataclass
class Event:
    kind: str  # "container-mutation" | "global-rebind" | "lazy-init" | "class-attr-mutation" | "iteration"
    name: str  # the shared name (container, global, "Class.attr")
    node: cst.CSTNode
    function: str
    detail: str = ""  # e.g. "append", "+=", "subscript"
    compound: bool = False  # read-modify-write (x += 1, d[k] += 1)
    location: Location | None = None
    # The `if` test of a check-then-act ("lazy-init"), reported as well as the store.
    check_node: cst.CSTNode | None = None
    check_location: Location | None = None
    evidence: str = ""  # why the state is shared, when that is not plain module state


@dataclass
class _FunctionScope:
    name: str
    locals: set[str]
    globals: set[str]
    class_name: str | None
    first_parameter: str | None
    # Names/containers tested for "unset" earlier in this function (early-return form).
    checked: dict[str, cst.CSTNode] = field(default_factory=dict)
    acquired: int = 0
    # Parameters whose default is a module-level container/object: the same object.
    aliases: dict[str, str] = field(default_factory=dict)


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


def _ast_call_name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            return node.func.id
        if isinstance(node.func, ast.Attribute):
            return node.func.attr
    return None


def _ast_dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _ast_dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _ast_is_mutable_container(node: ast.AST | None) -> bool:
    if isinstance(node, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    return _ast_call_name(node) in MUTABLE_FACTORIES


# Seeded pseudo-random generators: one call draws and advances the state, so `seed()`
# then a draw on a shared generator is a pair another thread's draw can split.
RANDOM_SEEDING = {"seed", "set_state", "setstate", "bit_generator"}
GLOBAL_RANDOM_MODULES = {"np.random", "numpy.random", "random"}
_CONSTRUCTION_METHODS = {"__init__", "__new__", "__post_init__", "__init_subclass__", "__set_name__"}


def _self_root(node: ast.AST, self_name: str) -> str | None:
    """``cache`` for ``self.cache`` / ``self.cache[k]`` / ``self.cache[k][j]``."""
    attribute = None
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            attribute = node.attr
        node = node.value
    return attribute if isinstance(node, ast.Name) and node.id == self_name else None


def _stateful_methods(node: ast.ClassDef) -> dict[str, str]:
    """Methods (not construction) that change ``self``, directly or through another
    method: name -> the attribute written (for the message)."""
    direct: dict[str, str] = {}
    calls: dict[str, set[str]] = {}
    for method in node.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or not method.args.args:
            continue
        if method.name in _CONSTRUCTION_METHODS or any(
            isinstance(decorator, ast.Name) and decorator.id in ("staticmethod", "classmethod")
            for decorator in method.decorator_list
        ):
            continue
        self_name = method.args.args[0].arg
        calls[method.name] = set()
        for child in ast.walk(method):
            targets = (
                child.targets
                if isinstance(child, ast.Assign)
                else ([child.target] if isinstance(child, (ast.AugAssign, ast.AnnAssign)) else [])
            )
            for target in targets:
                written = _self_root(target, self_name)
                if written:
                    direct.setdefault(method.name, written)
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
                owner = child.func.value
                if isinstance(owner, ast.Name) and owner.id == self_name:
                    calls[method.name].add(child.func.attr)
                elif child.func.attr in MUTATING_METHODS:
                    written = _self_root(owner, self_name)
                    if written:
                        direct.setdefault(method.name, written)
    changed = True
    while changed:
        changed = False
        for name, called in calls.items():
            if name in direct:
                continue
            through = next((callee for callee in called if callee in direct), None)
            if through:
                direct[name] = direct[through]
                changed = True
    return direct


class ModuleFacts:
    """Module-level bindings, locks, thread-locals and class-level mutable attributes.

    Read with ``ast`` (the C parser) from the module body: a *module-level container*
    is a name bound directly in the module body (column 0) to a list/dict/set literal,
    comprehension or factory call, and not rebound there to something else. The text
    pre-filter uses the same definition, so the two never disagree.
    """

    def __init__(self, tree: ast.Module, text: str) -> None:
        self.text = text
        self.containers: dict[str, int] = {}
        self.module_names: set[str] = set()
        self.locks: set[str] = set()
        self.thread_locals: set[str] = set()
        self.class_mutable_attrs: dict[str, set[str]] = {}
        self.instance_assigned: dict[str, set[str]] = {}
        self.functions_called_from_module_level: set[str] = set()
        self.module_objects: set[str] = set()
        self.object_factories: dict[str, str] = {}
        self.call_factories: dict[str, str] = {}  # every module-level `name = factory(...)`
        for statement in tree.body:
            self._module_statement(statement)
        self._drop_thread_local_objects(
            {
                statement.name
                for statement in tree.body
                if isinstance(statement, ast.ClassDef)
                and any((_ast_dotted(base) or "").lower().endswith("local") for base in statement.bases)
            }
        )
        self.stateful_methods: dict[str, dict[str, str]] = {}
        self.object_lines: dict[str, int] = {}
        for statement in tree.body:
            if isinstance(statement, ast.ClassDef):
                self._class(statement)
                self.stateful_methods[statement.name] = _stateful_methods(statement)
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                for target in statement.targets if isinstance(statement, ast.Assign) else [statement.target]:
                    if isinstance(target, ast.Name):
                        self.object_lines.setdefault(target.id, statement.lineno)

    @property
    def stateful_objects(self) -> dict[str, str]:
        """Module-level instances whose methods change the instance: name -> factory."""
        # `_MWU` is upper case, which `is_module_object_factory` takes for a constant
        # maker; a class defined right here is known to build instances.
        return {
            name: factory
            for name, factory in self.call_factories.items()
            if name not in self.thread_locals
            and (self.stateful_methods.get(factory) or factory in RANDOM_STATE_FACTORIES)
        }

    def _module_statement(self, statement: ast.stmt) -> None:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.module_names.add(statement.name)
            for decorator in statement.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Name):
                    self.functions_called_from_module_level.add(target.id)
            return
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                self.functions_called_from_module_level.add(node.func.id)
        targets: list[ast.expr] = []
        value = None
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign):
            targets, value = [statement.target], statement.value
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                self.module_names.add((alias.asname or alias.name).split(".")[0])
        for target in targets:
            if not isinstance(target, ast.Name):
                continue
            name = target.id
            self.module_names.add(name)
            if value is not None and _ast_is_mutable_container(value):
                self.containers.setdefault(name, statement.lineno)
            elif value is not None:
                self.containers.pop(name, None)
            factory = _ast_call_name(value)
            if factory in LOCK_FACTORIES:
                self.locks.add(name)
            if factory == "local":
                self.thread_locals.add(name)
            if is_module_object_factory(factory):
                self.module_objects.add(name)
                self.object_factories[name] = factory
            else:
                self.module_objects.discard(name)
            if factory:
                self.call_factories[name] = factory
            else:
                self.call_factories.pop(name, None)

    def _drop_thread_local_objects(self, local_classes: set[str]) -> None:
        """Instances of ``class X(threading.local)`` hold per-thread attributes."""
        for name, factory in list(self.object_factories.items()):
            if factory in local_classes:
                self.module_objects.discard(name)
                self.thread_locals.add(name)

    def _class(self, node: ast.ClassDef) -> None:
        attributes = self.class_mutable_attrs.setdefault(node.name, set())
        assigned = self.instance_assigned.setdefault(node.name, set())
        methods = []
        for statement in node.body:
            if isinstance(statement, ast.Assign) and _ast_call_name(statement.value) in LOCK_FACTORIES:
                self.locks.update(target.id for target in statement.targets if isinstance(target, ast.Name))
            elif isinstance(statement, ast.Assign) and _ast_is_mutable_container(statement.value):
                attributes.update(target.id for target in statement.targets if isinstance(target, ast.Name))
            elif (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and _ast_is_mutable_container(statement.value)
                and "ClassVar" in ast.dump(statement.annotation)
            ):
                # Other annotated class-body assignments are dataclass / attrs / pydantic
                # fields, copied per instance (or rejected when mutable), not shared state.
                attributes.add(statement.target.id)
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.append(statement)
                # `self._guard = threading.Lock()` makes `with self._guard:` a lock.
                for child in ast.walk(statement):
                    if isinstance(child, ast.Assign) and _ast_call_name(child.value) in LOCK_FACTORIES:
                        self.locks.update(
                            target.attr for target in child.targets if isinstance(target, ast.Attribute)
                        )
            elif isinstance(statement, ast.ClassDef):
                self._class(statement)
        if not attributes:
            return
        for method in methods:
            for child in ast.walk(method):
                targets = (
                    child.targets
                    if isinstance(child, ast.Assign)
                    else ([child.target] if isinstance(child, (ast.AugAssign, ast.AnnAssign)) else [])
                )
                for target in targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == "self"
                        and not isinstance(child, ast.AugAssign)
                    ):
                        assigned.add(target.attr)

    @classmethod
    def from_libcst(cls, module: cst.Module, text: str) -> ModuleFacts:
        """The same facts read from a LibCST tree, for syntax the host's ``ast`` cannot
        parse (ftaudit runs on 3.11; PEP 701 f-strings and PEP 695 type parameters are
        3.12+, and free-threaded code is written for 3.13)."""
        facts = cls.__new__(cls)
        facts.text = text
        facts.containers, facts.module_names, facts.locks, facts.thread_locals = {}, set(), set(), set()
        facts.class_mutable_attrs, facts.instance_assigned = {}, {}
        facts.functions_called_from_module_level = set()
        facts.module_objects = set()
        facts.object_factories = {}
        # Methods that change an instance are read with `ast` only; a module that only
        # LibCST parses (3.12+ syntax on the 3.11 host) gets no FTP007 findings.
        facts.stateful_methods, facts.object_lines, facts.call_factories = {}, {}, {}
        calls = _CallNames()
        for statement in module.body:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                facts.module_names.add(statement.name.value)
                for decorator in statement.decorators:
                    target = (
                        decorator.decorator.func
                        if isinstance(decorator.decorator, cst.Call)
                        else decorator.decorator
                    )
                    if isinstance(target, cst.Name):
                        facts.functions_called_from_module_level.add(target.value)
                if isinstance(statement, cst.ClassDef):
                    facts._libcst_class(statement)
                continue
            statement.visit(calls)
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for item in statement.body:
                pairs = []
                if isinstance(item, cst.Assign):
                    pairs = [(target.target, item.value) for target in item.targets]
                elif isinstance(item, cst.AnnAssign):
                    pairs = [(item.target, item.value)]
                elif isinstance(item, cst.Import):
                    for alias in item.names:
                        name = _dotted(alias.asname.name) if alias.asname else _dotted(alias.name)
                        if name:
                            facts.module_names.add(name.split(".")[0])
                for target, value in pairs:
                    if not isinstance(target, cst.Name):
                        continue
                    facts.module_names.add(target.value)
                    if value is not None and is_mutable_container(value):
                        facts.containers.setdefault(target.value, 0)
                    elif value is not None:
                        facts.containers.pop(target.value, None)
                    factory = _call_name(value) if value is not None else None
                    if factory in LOCK_FACTORIES:
                        facts.locks.add(target.value)
                    if factory == "local":
                        facts.thread_locals.add(target.value)
                    if is_module_object_factory(factory):
                        facts.module_objects.add(target.value)
                        facts.object_factories[target.value] = factory
                    else:
                        facts.module_objects.discard(target.value)
        facts.functions_called_from_module_level |= calls.names
        facts._drop_thread_local_objects(
            {
                statement.name.value
                for statement in module.body
                if isinstance(statement, cst.ClassDef)
                and any((_dotted(base.value) or "").lower().endswith("local") for base in statement.bases)
            }
        )
        return facts

    def _libcst_class(self, node: cst.ClassDef) -> None:
        attributes = self.class_mutable_attrs.setdefault(node.name.value, set())
        assigned = self.instance_assigned.setdefault(node.name.value, set())
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
        for statement in body:
            if isinstance(statement, cst.ClassDef):
                self._libcst_class(statement)
            elif isinstance(statement, cst.FunctionDef):
                collector = _SelfAssignments()
                statement.visit(collector)
                assigned |= collector.assigned
                self.locks |= collector.locks
            elif isinstance(statement, cst.SimpleStatementLine):
                for item in statement.body:
                    if isinstance(item, cst.Assign):
                        names = {
                            target.target.value
                            for target in item.targets
                            if isinstance(target.target, cst.Name)
                        }
                        if _call_name(item.value) in LOCK_FACTORIES:
                            self.locks |= names
                        elif is_mutable_container(item.value):
                            attributes |= names
                    elif (
                        isinstance(item, cst.AnnAssign)
                        and isinstance(item.target, cst.Name)
                        and item.value is not None
                        and is_mutable_container(item.value)
                        and "ClassVar" in cst.Module([]).code_for_node(item.annotation.annotation)
                    ):
                        attributes.add(item.target.value)

    def used_inside_functions(self, name: str) -> bool:
        """Whether ``name`` appears on an indented line (conservative: any indented mention)."""
        return re.search(rf"\n[ \t]+[^\n]*\b{re.escape(name)}\b", "\n" + self.text) is not None


class _CallNames(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            self.names.add(node.func.value)


class _SelfAssignments(cst.CSTVisitor):
    def __init__(self) -> None:
        self.assigned: set[str] = set()
        self.locks: set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Attribute) and isinstance(target.target.value, cst.Name):
                if target.target.value.value == "self":
                    self.assigned.add(target.target.attr.value)
                if _call_name(node.value) in LOCK_FACTORIES:
                    self.locks.add(target.target.attr.value)


class _EventCollector(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self.events: list[Event] = []
        self.scopes: list[_FunctionScope] = []
        self.class_stack: list[str] = []
        self.lock_depth = 0
        # Stack of "unset" tests of enclosing ifs: sets of names / containers / attrs.
        self.unset_tests: list[tuple[set[str], cst.CSTNode]] = []
        self.main_guard_depth = 0
        self.locked_mutations: set[str] = set()
        self.snapshots: list[Event] = []  # whole reads of module containers (see _whole_read)
        # Unlocked loads of module-level names; kept only for names a function rebinds.
        self.reads: list[Event] = []
        self._not_reads: set[int] = set()  # Name nodes that bind or label, never load

    # -- reads of module names ---------------------------------------------------------
    def visit_Name(self, node: cst.Name) -> None:
        scope = self.scope
        if scope is None or id(node) in self._not_reads or self._protected():
            return
        name = node.value
        declared_global = name in scope.globals  # bound at module level, maybe inside a `try:`
        if not declared_global and (name in scope.locals or name not in self.facts.module_names):
            return
        self.reads.append(Event("global-read", name, node, scope.name))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._not_reads.add(id(node.attr))
        if isinstance(node.value, cst.Name):
            # `_bootstrap._verbose_message(...)`: a module-like global used for its
            # attributes; the race is in what the attribute is, not in this load.
            self._not_reads.add(id(node.value))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        # `self is _current` compares identities: one load, nothing to tear.
        for target in node.comparisons:
            identity = isinstance(target.operator, (cst.Is, cst.IsNot))
            other = target.comparator
            if identity and not (isinstance(other, cst.Name) and other.value == "None"):
                for side in (node.left, other):
                    if isinstance(side, cst.Name):
                        self._not_reads.add(id(side))

    def visit_Return(self, node: cst.Return) -> None:
        if isinstance(node.value, cst.Name):
            # A getter's one load hands back one whole reference, old or new: nothing tears.
            self._not_reads.add(id(node.value))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._not_reads.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self._not_reads.add(id(node.name))

    def visit_NameItem(self, node: cst.NameItem) -> None:
        self._not_reads.add(id(node.name))

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        return False

    def visit_AsName(self, node: cst.AsName) -> None:
        self._not_reads.add(id(node.name))

    # -- scopes ----------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._not_reads.add(id(node.name))
        self.class_stack.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._not_reads.add(id(node.name))
        bound = _BoundNames()
        node.visit(bound)
        locals_ = (bound.names - bound.globals) | bound.nonlocals
        if self.scopes:
            # Names local to an enclosing function are closures, not module state.
            locals_ |= self.scopes[-1].locals
        params = node.params.params
        first = params[0].name.value if params else None
        in_class = bool(self.class_stack) and (
            not self.scopes or self.scopes[-1].class_name != self.class_stack[-1]
        )
        self.scopes.append(
            _FunctionScope(
                name=node.name.value,
                locals=locals_,
                globals=bound.globals,
                class_name=self.class_stack[-1]
                if self.class_stack and in_class
                else (self.scopes[-1].class_name if self.scopes else None),
                first_parameter=first,
            )
        )
        for param in [*node.params.params, *node.params.kwonly_params]:
            default = param.default
            if (
                isinstance(default, cst.Name)
                and default.value not in locals_ - {param.name.value}
                and (default.value in self.facts.containers or default.value in self.facts.module_objects)
            ):
                # `def f(x, cache=_cache)`: the default is evaluated once, so every call
                # that does not pass its own gets the one module-level object.
                self.scopes[-1].aliases[param.name.value] = default.value

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    @property
    def scope(self) -> _FunctionScope | None:
        return self.scopes[-1] if self.scopes else None

    def _protected(self) -> bool:
        return self.lock_depth > 0 or (self.scope is not None and self.scope.acquired > 0)

    # -- locks -----------------------------------------------------------------------
    def _is_lock_expression(self, expression: cst.BaseExpression) -> bool:
        if isinstance(expression, cst.Call):
            expression = expression.func if _call_name(expression) not in LOCK_FACTORIES else expression
        name = _dotted(expression)
        if name is None:
            return False
        last = name.split(".")[-1]
        return last in self.facts.locks or name in self.facts.locks or bool(_LOCK_NAME.search(last))

    def visit_With(self, node: cst.With) -> None:
        if any(self._is_lock_expression(item.item) for item in node.items):
            self.lock_depth += 1
            self._with_locked = getattr(self, "_with_locked", [])
            self._with_locked.append(node)

    def leave_With(self, original_node: cst.With) -> None:
        locked = getattr(self, "_with_locked", [])
        if locked and locked[-1] is original_node:
            locked.pop()
            self.lock_depth -= 1

    def visit_Expr(self, node: cst.Expr) -> None:
        call = node.value
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and self.scope is not None:
            method = call.func.attr.value
            if method == "acquire" and self._is_lock_expression(call.func.value):
                self.scope.acquired += 1
            elif method == "release" and self._is_lock_expression(call.func.value):
                self.scope.acquired = max(0, self.scope.acquired - 1)

    # -- if-tests: main guard and check-then-act --------------------------------------
    def visit_If(self, node: cst.If) -> None:
        test_code = cst.Module([]).code_for_node(node.test)
        if self.scope is None and "__name__" in test_code and "__main__" in test_code:
            self.main_guard_depth += 1
        self.unset_tests.append((self._unset_names(node.test), node.test))
        # Early-return form: `if _x is not None: return _x` then `_x = ...` below.
        if self.scope is not None and _body_returns(node.body):
            for name in self._set_names(node.test):
                self.scope.checked.setdefault(name, node.test)

    def leave_If(self, original_node: cst.If) -> None:
        test_code = cst.Module([]).code_for_node(original_node.test)
        if self.scope is None and "__name__" in test_code and "__main__" in test_code:
            self.main_guard_depth -= 1
        self.unset_tests.pop()

    def _unset_names(self, test: cst.BaseExpression) -> set[str]:
        """Names / containers / attributes that ``test`` checks for being unset or missing."""
        names: set[str] = set()
        if isinstance(test, cst.BooleanOperation):
            return self._unset_names(test.left) | self._unset_names(test.right)
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            operand = test.expression
            if isinstance(operand, cst.Call) and _call_name(operand) == "hasattr" and len(operand.args) >= 2:
                target = _dotted(operand.args[0].value)
                attribute = operand.args[1].value
                if target and isinstance(attribute, cst.SimpleString):
                    names.add(f"{target}.{attribute.evaluated_value}")
            else:
                name = _dotted(_strip_get(operand))
                if name:
                    names.add(name)
        elif isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            comparison = test.comparisons[0]
            operator = comparison.operator
            right = comparison.comparator
            if (
                isinstance(operator, (cst.Is, cst.Equal))
                and isinstance(right, cst.Name)
                and right.value in ("None", "False")
            ):
                name = _dotted(_strip_get(test.left))
                if name:
                    names.add(name)
            elif isinstance(operator, cst.NotIn):
                name = _dotted(right)
                if name:
                    names.add(name)
        return names

    def _set_names(self, test: cst.BaseExpression) -> set[str]:
        """Names the test checks for being *set* (``x is not None``, ``key in cache``, ``x``)."""
        names: set[str] = set()
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            comparison = test.comparisons[0]
            if (
                isinstance(comparison.operator, cst.IsNot)
                and isinstance(comparison.comparator, cst.Name)
                and comparison.comparator.value == "None"
            ):
                name = _dotted(_strip_get(test.left))
                if name:
                    names.add(name)
            elif isinstance(comparison.operator, cst.In):
                name = _dotted(comparison.comparator)
                if name:
                    names.add(name)
        else:
            name = _dotted(test)
            if name:
                names.add(name)
        return names

    def _under_unset_test(self, name: str) -> bool:
        return self._unset_test_of(name) is not None

    def _unset_test_of(self, name: str) -> cst.CSTNode | None:
        """The ``if`` test that checked ``name`` unset around (or before) this point."""
        for tested, test in reversed(self.unset_tests):
            if name in tested:
                return test
        return self.scope.checked.get(name) if self.scope is not None else None

    # -- shared-name resolution --------------------------------------------------------
    def _module_container(self, expression: cst.BaseExpression) -> str | None:
        if not isinstance(expression, cst.Name) or self.scope is None:
            return None
        name = expression.value
        if name in self.scope.aliases:
            return self.scope.aliases[name]
        if name in self.scope.locals:
            return None
        return name if name in self.facts.containers else None

    def _module_object(self, expression: cst.BaseExpression) -> str | None:
        if not isinstance(expression, cst.Name) or self.scope is None:
            return None
        name = expression.value
        if name in self.scope.aliases:
            name = self.scope.aliases[name]
        elif name in self.scope.locals:
            return None
        return name if name in self.facts.module_objects or name in self.facts.stateful_objects else None

    def _class_attribute(self, expression: cst.BaseExpression) -> str | None:
        """``Class.attr`` when ``expression`` is self.attr / cls.attr / Class.attr of a shared mutable "
        "attr."""
        if not isinstance(expression, cst.Attribute) or not isinstance(expression.value, cst.Name):
            return None
        owner = expression.value.value
        attribute = expression.attr.value
        scope = self.scope
        if scope is None:
            return None
        if owner in self.facts.class_mutable_attrs and owner not in scope.locals:
            class_name = owner
        elif (
            scope.class_name and owner == scope.first_parameter and owner in ("self", "cls", "mcs", "metacls")
        ):
            class_name = scope.class_name
            if owner == "self" and attribute in self.facts.instance_assigned.get(class_name, set()):
                return None  # the instance has its own attribute that shadows the class one
        else:
            return None
        if attribute in self.facts.class_mutable_attrs.get(class_name, set()):
            return f"{class_name}.{attribute}"
        return None

    def _record(
        self, kind: str, name: str, node: cst.CSTNode, detail: str = "", compound: bool = False
    ) -> None:
        if self.scope is None:
            return
        if self._protected():
            if kind != "iteration":
                self.locked_mutations.add(name)
            return
        event = Event(kind, name, node, self.scope.name, detail, compound)
        if kind == "lazy-init":
            event.check_node = self._check_of(name)
        self.events.append(event)

    def _check_of(self, name: str) -> cst.CSTNode | None:
        """The test a lazy-init store follows: ``Class._x`` was tested as ``cls._x``."""
        last = name.split(".")[-1]
        for tested, test in reversed(self.unset_tests):
            if any(item == name or item.split(".")[-1] == last for item in tested):
                return test
        if self.scope is not None:
            for item, test in self.scope.checked.items():
                if item == name or item.split(".")[-1] == last:
                    return test
        return None

    def _element_root(self, expression: cst.BaseExpression) -> cst.BaseExpression:
        """``_cache`` for ``_cache[k]`` / ``_cache.setdefault(k, [])`` / ``_cache.get(k)``:
        mutating what a shared container holds mutates shared state."""
        while True:
            if isinstance(expression, cst.Subscript):
                expression = expression.value
            elif (
                isinstance(expression, cst.Call)
                and isinstance(expression.func, cst.Attribute)
                and expression.func.attr.value in ("setdefault", "get", "__getitem__")
            ):
                expression = expression.func.value
            else:
                return expression

    def _record_mutation(
        self, target_object: cst.BaseExpression, node: cst.CSTNode, detail: str, compound: bool = False
    ) -> None:
        container = self._module_container(target_object)
        if container is None and detail != "subscript":
            root = self._element_root(target_object)
            if root is not target_object:
                # `_cache[k].append(v)`, `_cache.setdefault(k, []).pop()`: the element is shared.
                container = self._module_container(root) or self._module_object(root)
                if container:
                    self._record("container-mutation", container, node, f"element {detail}", compound)
                    return
        if container is None and self._module_object(target_object) and detail in _OBJECT_MUTATORS:
            self._record("container-mutation", self._module_object(target_object), node, detail, compound)
            return
        if container:
            kind = (
                "lazy-init"
                if detail == "subscript" and self._under_unset_test(container)
                else "container-mutation"
            )
            self._record(kind, container, node, detail, compound)
            return
        attribute = self._class_attribute(target_object)
        if attribute:
            short = _dotted(target_object) or attribute
            kind = (
                "lazy-init"
                if detail == "subscript"
                and (self._under_unset_test(short) or self._under_unset_test(attribute))
                else "class-attr-mutation"
            )
            self._record(kind, attribute, node, detail, compound)

    # -- writes ----------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self._stateful_call(node)
        self._whole_read(node)
        # dict.setdefault is the atomic insert-if-absent of free-threaded CPython (the
        # dict's lock covers the lookup and the store): the fix, not the bug.
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value in MUTATING_METHODS
            and node.func.attr.value != "setdefault"
        ):
            self._record_mutation(node.func.value, node, node.func.attr.value)

    def _stateful_call(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        owner = self._module_object(node.func.value)
        stateful = self.facts.stateful_objects
        if owner and owner in stateful:
            factory = stateful[owner]
            line = self.facts.object_lines.get(owner)
            where = f" (line {line})" if line else ""
            evidence = f"`{owner}` is one module-level {factory} instance{where} that every thread calls"
            written = self.facts.stateful_methods.get(factory, {}).get(method)
            if written:
                self._record("stateful-call", owner, node, method)
                self._set_evidence(node, f"{evidence}; {factory}.{method}() writes `self.{written}`")
            elif factory in RANDOM_STATE_FACTORIES and not method.startswith("get"):
                self._record("random-call", owner, node, method)
                self._set_evidence(node, evidence)
            return
        dotted = _dotted(node.func.value)
        if (
            dotted in GLOBAL_RANDOM_MODULES
            and self.scope is not None
            and dotted.split(".")[0] not in self.scope.locals
        ):
            if not method.startswith("get") and method[:1].islower():
                self._record("random-call", dotted, node, method)
                self._set_evidence(node, f"`{dotted}` functions share one process-wide generator")

    def _set_evidence(self, node: cst.CSTNode, evidence: str) -> None:
        if self.events and self.events[-1].node is node:
            self.events[-1].evidence = evidence

    def _whole_read(self, node: cst.Call) -> None:
        """``list(_cache)``, ``_cache.items()``, ``set(_cache.keys())``: one snapshot of a
        shared container; two in one function need not agree with each other."""
        target = None
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value in ("items", "keys", "values", "copy")
            and not node.args
        ):
            target = node.func.value
        elif (
            _call_name(node) in ("list", "set", "tuple", "sorted", "dict", "frozenset")
            and len(node.args) == 1
        ):
            target = node.args[0].value
        if target is None:
            return
        container = self._module_container(target)
        if container and not self._protected():
            self.snapshots.append(Event("snapshot", container, node, self.scope.name if self.scope else ""))

    def _assignment_target(self, target: cst.BaseExpression, node: cst.CSTNode, compound: bool) -> None:
        scope = self.scope
        if scope is None:
            return
        if isinstance(target, cst.Name):
            self._not_reads.add(id(target))
            name = target.value
            if name in scope.globals:
                kind = "lazy-init" if self._under_unset_test(name) and not compound else "global-rebind"
                self._record(kind, name, node, "+=" if compound else "=", compound)
        elif isinstance(target, cst.Subscript):
            rebound = _globals_key(target)
            if rebound:
                # `globals()["flag"] = value` rebinds the module global `flag`.
                self._record("global-rebind", rebound, node, "globals()[...]", compound)
                return
            self._record_mutation(target.value, node, "subscript", compound)
        elif isinstance(target, cst.Attribute):
            owner_object = target.value.value if isinstance(target.value, cst.Name) else None
            if owner_object in self.facts.module_objects and owner_object not in scope.locals:
                self._record(
                    "object-mutation",
                    f"{owner_object}.{target.attr.value}",
                    node,
                    "+=" if compound else "=",
                    compound,
                )
                return
            # cls._instance = ... / Class._instance = ... on a class attribute that is None
            if isinstance(target.value, cst.Name):
                owner = target.value.value
                class_name = None
                if owner in self.facts.class_mutable_attrs and owner not in scope.locals:
                    class_name = owner
                elif (
                    owner == scope.first_parameter and owner in ("cls", "mcs", "metacls") and scope.class_name
                ):
                    class_name = scope.class_name
                dotted = f"{owner}.{target.attr.value}"
                if class_name and self._under_unset_test(dotted):
                    self._record("lazy-init", f"{class_name}.{target.attr.value}", node, "=")
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._assignment_target(element.value, node, compound)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assignment_target(target.target, node, compound=False)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assignment_target(node.target, node, compound=False)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._assignment_target(node.target, node, compound=True)

    def visit_Del(self, node: cst.Del) -> None:
        target = node.target
        targets = (
            [element.value for element in target.elements] if isinstance(target, cst.Tuple) else [target]
        )
        for item in targets:
            if isinstance(item, cst.Subscript):
                self._record_mutation(item.value, node, "del")
            elif isinstance(item, cst.Name) and self.scope is not None and item.value in self.scope.globals:
                self._record("global-rebind", item.value, node, "del")

    # -- iteration -------------------------------------------------------------------
    def _iterated_container(self, iterable: cst.BaseExpression) -> str | None:
        if (
            isinstance(iterable, cst.Call)
            and isinstance(iterable.func, cst.Attribute)
            and iterable.func.attr.value in ("items", "keys", "values")
            and not iterable.args
        ):
            iterable = iterable.func.value
        return self._module_container(iterable) or self._class_attribute(iterable)

    def visit_For(self, node: cst.For) -> None:
        container = self._iterated_container(node.iter)
        if container:
            self._record("iteration", container, node, "for")

    def visit_CompFor(self, node: cst.CompFor) -> None:
        container = self._iterated_container(node.iter)
        if container:
            self._record("iteration", container, node, "comprehension")


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


def _rebound_names(tree: ast.Module) -> set[str]:
    """Names that a ``global`` statement inside a function declares, or that
    ``globals()["name"] = ...`` stores."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            names.update(node.names)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Store)
            and _ast_call_name(node.value) == "globals"
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            names.add(node.slice.value)
    return names


class PythonModuleAnalysis:
    """The events of one module; what every FTP rule reads.

    ``ast`` parses the whole module (fast, C) for the facts; LibCST then reads only the
    top-level statements (functions, classes, ``if``/``try`` blocks holding them) whose
    text could hold an event, each parsed on its own with positions shifted back to
    the file's lines. A module of a thousand functions with one risky cache pays for
    one function's LibCST parse.
    """

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.lines = text.splitlines()
        self.events: list[Event] = []
        self.locked_mutations: set[str] = set()
        self.segments_parsed = 0
        try:
            tree = ast.parse(text, filename=path)
        except SyntaxError:
            # Newer syntax than the host's parser knows: LibCST reads the whole module.
            # A real syntax error raises libcst.ParserSyntaxError from here.
            module = cst.parse_module(text)
            self.facts = ModuleFacts.from_libcst(module, text)
            self._analyse_module(module, 0)
            self._drop_unmutated_iteration()
            return
        self.facts = ModuleFacts(tree, text)
        class_attributes = (
            set().union(*self.facts.class_mutable_attrs.values()) if self.facts.class_mutable_attrs else set()
        )
        class_names = set(self.facts.class_mutable_attrs)
        containers = set(self.facts.containers)
        objects = self.facts.module_objects
        stateful = set(self.facts.stateful_objects)
        shared_names = containers | objects
        # A name some function rebinds at run time is read in pieces wherever it is read.
        rebound = _rebound_names(tree)
        rebound_reads = (
            re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(rebound))) + r")\b") if rebound else None
        )
        # Iteration only matters for containers something mutates (FTP005), so those
        # are the only ones whose mere reading sends a function to LibCST.
        mutated_containers = {name for name in containers if has_shared_use(text, {name})}
        mutated_attributes = {
            name for name in class_attributes if has_shared_use(text, {name}, through_owner=True)
        }

        def is_candidate(segment: str) -> bool:
            return bool(
                GLOBAL_STATEMENT.search("\n" + segment)
                or (mutated_containers and has_shared_use(segment, mutated_containers, mutation_only=False))
                or (
                    mutated_attributes
                    and has_shared_use(segment, mutated_attributes, through_owner=True, mutation_only=False)
                )
                or class_attribute_assignment(segment, class_names)
                or (objects and object_attribute_store(segment, objects))
                or (stateful and object_method_call(segment, stateful))
                or (shared_names and passed_as_default(segment, shared_names))
                or global_random_seeding(segment)
                or (rebound_reads is not None and rebound_reads.search(segment) is not None)
            )

        for statement in tree.body:
            if not isinstance(
                statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.Try, ast.With)
            ):
                continue
            first_line = self._first_line(statement)
            segment = "\n".join(self.lines[first_line - 1 : statement.end_lineno]) + "\n"
            if not is_candidate(segment):
                continue
            if isinstance(statement, ast.ClassDef) and statement.end_lineno - first_line > 60:
                # A big class: read only its candidate methods, each under a one-line
                # `class Name:` header so LibCST sees the same nesting.
                header = f"class {statement.name}:\n"
                for member in statement.body:
                    if not isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        continue
                    member_first = self._first_line(member)
                    member_text = "\n".join(self.lines[member_first - 1 : member.end_lineno]) + "\n"
                    if is_candidate(member_text):
                        self._analyse_segment(header + member_text, member_first - 2)
                continue
            self._analyse_segment(segment, first_line - 1)

        self._ast_events(tree)
        self._drop_unmutated_iteration()

    def _line_location(self, line: int) -> Location:
        snippet = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        return Location(path=self.path, line=line, column=1, snippet=snippet)

    def _ast_events(self, tree: ast.Module) -> None:
        """What the whole module's ``ast`` shows, never split into segments: races on
        instances shown to be shared, and process-wide settings, class objects and
        function objects changed at run time."""
        # The containers something changes at run time, and which function changes which.
        writers: dict[str, set[str]] = {}
        for event in self.events:
            if event.kind in ("container-mutation", "lazy-init") and event.name in self.facts.containers:
                writers.setdefault(event.function, set()).add(event.name)
        changed = set().union(*writers.values()) | (self.locked_mutations & set(self.facts.containers))
        for found in module_check_events(tree, self.path, self.lines, changed, writers, self.facts.locks):
            if self._runs_once(found.function):
                continue
            event = Event(found.kind, found.name, None, found.function, found.detail, location=found.location)
            event.evidence = found.evidence
            if found.other_line:
                event.check_location = self._line_location(found.other_line)
            self.events.append(event)
        races = shared_instance_races(
            tree, self.path, self.lines, set(self.facts.containers), self.facts.locks
        )
        for race in races:
            name = f"{race.class_name}.{race.field_name}"
            event = Event("instance-race", name, None, race.function, race.what, location=race.location)
            event.evidence = race.evidence
            self.events.append(event)
        for found in process_state_events(tree, self.path, self.lines, self.facts.locks):
            if self._runs_once(found.function):
                continue
            event = Event(found.kind, found.name, None, found.function, found.detail, location=found.location)
            if found.other_line:
                event.check_location = self._line_location(found.other_line)
            self.events.append(event)

    def _keep_reads_of_rebound_globals(self) -> None:
        """Reads matter only of a global that a function rebinds at run time (a lazy
        initialisation alone makes it constant once set): one per function and name,
        never on the rebinding statement itself."""
        rebinds: dict[str, Event] = {}
        first_rebind: dict[tuple[str, str], int] = {}  # (function, name) -> line
        for event in self.events:
            if event.kind == "global-rebind":
                rebinds.setdefault(event.name, event)
                key = (event.function, event.name)
                first_rebind[key] = min(first_rebind.get(key, event.location.line), event.location.line)
        written = {(event.name, event.location.line) for event in self.events if event.kind != "global-read"}
        seen: set[tuple[str, str]] = set()
        kept = []
        for event in self.events:
            if event.kind == "global-read":
                key = (event.function, event.name)
                if event.name not in rebinds or key in seen or (event.name, event.location.line) in written:
                    continue
                if event.location.line > first_rebind.get(key, event.location.line):
                    continue  # after its own function's rebind: that finding covers it
                seen.add(key)
                rebinder = rebinds[event.name]
                event.detail = rebinder.function
                event.check_location = rebinder.location
            kept.append(event)
        # A class attribute set after an unset check is FTP003's lazy initialisation.
        lazy_lines = {event.location.line for event in kept if event.kind == "lazy-init"}
        self.events = [
            event for event in kept if event.kind != "class-state" or event.location.line not in lazy_lines
        ]

    def _drop_unmutated_iteration(self) -> None:
        """Iterating a container nothing mutates after import is no event at all."""
        self._keep_reads_of_rebound_globals()
        mutated = {event.name for event in self.events if event.kind != "iteration"} | self.locked_mutations
        self.events = [event for event in self.events if event.kind != "iteration" or event.name in mutated]
        # A second snapshot (or iteration) of a container something mutates, in the same
        # function, need not agree with the first: keep only those.
        seen: set[tuple[str, str]] = set()
        kept = []
        for event in sorted(self.events, key=lambda event: event.location.line if event.location else 0):
            key = (event.function, event.name)
            if event.kind in ("snapshot", "iteration"):
                if event.kind == "snapshot" and (key not in seen or event.name not in mutated):
                    seen.add(key)
                    continue
                seen.add(key)
            kept.append(event)
        self.events = kept

    @staticmethod
    def _first_line(statement: ast.stmt) -> int:
        decorators = getattr(statement, "decorator_list", [])
        return min([statement.lineno, *(decorator.lineno for decorator in decorators)])

    def _analyse_segment(self, segment: str, line_offset: int) -> None:
        self._analyse_module(cst.parse_module(segment), line_offset)

    def _analyse_module(self, module: cst.Module, line_offset: int) -> None:
        self.segments_parsed += 1
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        collector = _EventCollector(self.facts)
        wrapper.visit(collector)
        positions = wrapper.resolve(PositionProvider)
        self.locked_mutations |= collector.locked_mutations
        for event in [*collector.events, *collector.snapshots, *collector.reads]:
            if self._runs_once(event.function):
                continue
            if event.check_node is not None and event.check_node in positions:
                check = positions[event.check_node]
                check_line = check.start.line + line_offset
                event.check_location = Location(
                    path=self.path,
                    line=check_line,
                    column=check.start.column + 1,
                    snippet=self.lines[check_line - 1].strip() if 0 < check_line <= len(self.lines) else "",
                )
            position = positions[event.node]
            line = position.start.line + line_offset
            event.location = Location(
                path=self.path,
                line=line,
                column=position.start.column + 1,
                end_line=position.end.line + line_offset,
                end_column=position.end.column + 1,
                snippet=self.lines[line - 1].strip() if 0 < line <= len(self.lines) else "",
            )
            self.events.append(event)

    def _runs_once(self, function: str) -> bool:
        """Functions that only import-time code (or a script's main) calls."""
        if function in _MAIN_FUNCTIONS:
            return True
        return (
            function.startswith("_")
            and not function.startswith("__")
            and function in self.facts.functions_called_from_module_level
            and not self.facts.used_inside_functions(function)
        )

    def events_of(self, kind: str) -> list[Event]:
        return [event for event in self.events if event.kind == kind]
