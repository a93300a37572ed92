"""What a Python module's body says about its shared state, read once with ``ast``.

Module-level containers and objects, locks and thread-locals, class-level mutable
attributes, methods that change ``self``, and the functions import-time code calls:
the facts every FTP rule agrees on (see :class:`ModuleFacts`). LibCST reads the same
facts for syntax the host's ``ast`` cannot parse (:meth:`ModuleFacts.from_libcst`).
"""

from __future__ import annotations

import ast
import re

import libcst as cst

from .python_ast_walk import walk
from .python_cst_names import (
    _call_name,
    _dotted,
    is_mutable_container,
)
from .python_vocabulary import (
    LOCK_FACTORIES,
    MUTABLE_FACTORIES,
    MUTATING_METHODS,
    RANDOM_STATE_FACTORIES,
    is_module_object_factory,
)


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


# Methods that run once per class and give each class its own containers: a metaclass's
# `__init__`/`__new__` (``cls.__cache = {}``) and `__init_subclass__`. What they make is
# class state, shared by every thread that uses the class.
_PER_CLASS_SETUP = {"__init__", "__new__", "__init_subclass__"}
_PLAIN_BASES = {"object", "type", "ABCMeta", "ABC"}


def _plain_class(node: ast.ClassDef) -> bool:
    """No decorator and no base but ``object``/``type``: nothing turns annotated class-body
    assignments into per-instance fields (as ``@dataclass``, attrs or a pydantic base do)."""
    return not node.decorator_list and all(
        (_ast_dotted(base) or "").split(".")[-1] in _PLAIN_BASES for base in node.bases
    )


def _per_class_containers(methods: list, metaclass: bool) -> set[str]:
    """``x`` for each ``cls.x = {}`` (a mutable container) on the first parameter of a
    method that sets each class up (``__init__`` only in a metaclass)."""
    found = set()
    for method in methods:
        if method.name not in _PER_CLASS_SETUP or not method.args.args:
            continue
        if method.name == "__init__" and not metaclass:
            continue
        owner = method.args.args[0].arg
        for child in walk(method):
            if isinstance(child, ast.Assign) and _ast_is_mutable_container(child.value):
                for target in child.targets:
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                        if target.value.id == owner:
                            found.add(target.attr)
    return found


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
        for child in walk(method):
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
        self.metaclasses: set[str] = set()  # classes derived from `type`: their instances are classes
        self.functions_called_from_module_level: set[str] = set()
        self.module_objects: set[str] = set()
        self.object_factories: dict[str, str] = {}
        self.call_factories: dict[str, str] = {}  # every module-level `name = factory(...)`
        for statement in tree.body:
            self._module_statement(statement)
        self._global_containers(tree)
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

    def _global_containers(self, tree: ast.Module) -> None:
        """``global _table; _table = [0] * n`` in a function makes ``_table`` a module-level
        container as much as a top-level binding does: once rebound, every thread reads the
        list while the function is still filling it in."""
        if "global" not in self.text:
            return  # an ast.Global comes only from the `global` keyword
        for function in tree.body:
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            declared = {
                name for node in walk(function) if isinstance(node, ast.Global) for name in node.names
            }
            for node in walk(function) if declared else ():
                if not isinstance(node, ast.Assign) or len(node.targets) != 1:
                    continue
                target, value = node.targets[0], node.value
                if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mult):
                    value = value.left if isinstance(value.left, ast.List) else value.right
                if (
                    isinstance(target, ast.Name)
                    and target.id in declared
                    and target.id not in self.module_names
                    and _ast_is_mutable_container(value)
                ):
                    self.containers.setdefault(target.id, node.lineno)

    def _module_statement(self, statement: ast.stmt) -> None:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.module_names.add(statement.name)
            for decorator in statement.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Name):
                    self.functions_called_from_module_level.add(target.id)
            return
        for node in walk(statement):
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
            if isinstance(target, ast.Name):
                self._module_binding(target.id, value, statement.lineno)

    def _module_binding(self, name: str, value: ast.expr | None, line: int) -> None:
        """``name = value`` at module level: what kind of shared thing ``name`` now is."""
        self.module_names.add(name)
        if value is not None and _ast_is_mutable_container(value):
            self.containers.setdefault(name, line)
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

    def _note_metaclass(self, node: ast.ClassDef) -> bool:
        """Whether ``node`` derives from ``type`` (here or through a metaclass of the module)."""
        bases = {(_ast_dotted(base) or "").split(".")[-1] for base in node.bases}
        if bases & ({"type", "ABCMeta"} | self.metaclasses):
            self.metaclasses.add(node.name)
            return True
        return False

    def _class(self, node: ast.ClassDef) -> None:
        attributes = self.class_mutable_attrs.setdefault(node.name, set())
        assigned = self.instance_assigned.setdefault(node.name, set())
        methods = []
        metaclass = self._note_metaclass(node)
        for statement in node.body:
            if isinstance(statement, ast.Assign) and _ast_call_name(statement.value) in LOCK_FACTORIES:
                self.locks.update(target.id for target in statement.targets if isinstance(target, ast.Name))
            elif isinstance(statement, ast.Assign) and _ast_is_mutable_container(statement.value):
                attributes.update(target.id for target in statement.targets if isinstance(target, ast.Name))
            elif (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and _ast_is_mutable_container(statement.value)
                and ("ClassVar" in ast.dump(statement.annotation) or _plain_class(node))
            ):
                # Other annotated class-body assignments are dataclass / attrs / pydantic
                # fields, copied per instance (or rejected when mutable), not shared state;
                # those need a decorator or a model base, which a plain class has neither of.
                attributes.add(statement.target.id)
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.append(statement)
                # `self._guard = threading.Lock()` makes `with self._guard:` a lock.
                for child in walk(statement):
                    if isinstance(child, ast.Assign) and _ast_call_name(child.value) in LOCK_FACTORIES:
                        self.locks.update(
                            target.attr for target in child.targets if isinstance(target, ast.Attribute)
                        )
            elif isinstance(statement, ast.ClassDef):
                self._class(statement)
        attributes.update(_per_class_containers(methods, metaclass))
        if not attributes:
            return
        for method in methods:
            for child in walk(method):
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
        facts.metaclasses = set()
        facts.functions_called_from_module_level = set()
        facts.module_objects = set()
        facts.object_factories = {}
        # Methods that change an instance are read with `ast` only; a module that only
        # LibCST parses (3.12+ syntax on the 3.11 host) gets no FTP007 findings.
        facts.stateful_methods, facts.object_lines, facts.call_factories = {}, {}, {}
        calls = _CallNames()
        for statement in module.body:
            facts._libcst_statement(statement, calls)
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

    def _libcst_statement(self, statement: cst.CSTNode, calls: _CallNames) -> None:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            self.module_names.add(statement.name.value)
            for decorator in statement.decorators:
                target = decorator.decorator
                target = target.func if isinstance(target, cst.Call) else target
                if isinstance(target, cst.Name):
                    self.functions_called_from_module_level.add(target.value)
            if isinstance(statement, cst.ClassDef):
                self._libcst_class(statement)
            return
        statement.visit(calls)
        if not isinstance(statement, cst.SimpleStatementLine):
            return
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
                        self.module_names.add(name.split(".")[0])
            for target, value in pairs:
                if isinstance(target, cst.Name):
                    self._libcst_binding(target.value, value)

    def _libcst_binding(self, name: str, value: cst.BaseExpression | None) -> None:
        self.module_names.add(name)
        if value is not None and is_mutable_container(value):
            self.containers.setdefault(name, 0)
        elif value is not None:
            self.containers.pop(name, None)
        factory = _call_name(value) if value is not None else None
        if factory in LOCK_FACTORIES:
            self.locks.add(name)
        if factory == "local":
            self.thread_locals.add(name)
        if is_module_object_factory(factory):
            self.module_objects.add(name)
            self.object_factories[name] = factory
        else:
            self.module_objects.discard(name)

    def _libcst_class(self, node: cst.ClassDef) -> None:
        attributes = self.class_mutable_attrs.setdefault(node.name.value, set())
        assigned = self.instance_assigned.setdefault(node.name.value, set())
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
        # The same class-state facts as the `ast` reading (`_note_metaclass`, `_plain_class`,
        # `_per_class_containers`), so that both parsers report the same events.
        bases = {(_dotted(base.value) or "").split(".")[-1] for base in node.bases}
        metaclass = bool(bases & ({"type", "ABCMeta"} | self.metaclasses))
        if metaclass:
            self.metaclasses.add(node.name.value)
        plain = not node.decorators and bases <= _PLAIN_BASES
        for statement in body:
            if isinstance(statement, cst.ClassDef):
                self._libcst_class(statement)
            elif isinstance(statement, cst.FunctionDef):
                collector = _SelfAssignments()
                statement.visit(collector)
                assigned |= collector.assigned
                self.locks |= collector.locks
                name = statement.name.value
                parameters = statement.params.params
                if name in _PER_CLASS_SETUP and (name != "__init__" or metaclass) and parameters:
                    owner = _OwnerContainers(parameters[0].name.value)
                    statement.visit(owner)
                    attributes |= owner.found
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
                        and ("ClassVar" in cst.Module([]).code_for_node(item.annotation.annotation) or plain)
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


class _OwnerContainers(cst.CSTVisitor):
    """``x`` for each ``owner.x = {}`` (a mutable container) in a function."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.found: set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        if not is_mutable_container(node.value):
            return
        for target in node.targets:
            attribute = target.target
            if isinstance(attribute, cst.Attribute) and isinstance(attribute.value, cst.Name):
                if attribute.value.value == self.owner:
                    self.found.add(attribute.attr.value)


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
