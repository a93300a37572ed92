"""Cython sources through Cython's own parser: module state and shared instances.

A ``.pyx`` is Python with C declarations, and only Cython's parser reads it right
(``cdef double _buf[64]``, ``with nogil:``, ``cdef class``, ``<char*>`` casts, ``include``
lines), so the module is parsed with ``Cython.Compiler`` (``TreeFragment.parse_from_strings``
over a ``StringSourceDescriptor``), never with text patterns. Nothing is compiled or
imported; ``include``d files are not followed (each ``.pxi`` is scanned on its own).

One walk records *events* the Cython FTC rules turn into findings, with the same
vocabulary as the Python analysis (:mod:`auditor.collectors.source.python_analysis`):

* module state: names declared with ``cdef`` at module level (C scalars, arrays,
  pointers, structs, typed Python objects) and names bound by module-level code.
  ``def``/``cpdef`` functions are callable from any Python thread, and so is every
  ``cdef`` function they reach; a ``cdef`` function that only module-level code calls
  runs once, at import, and is left alone;
* protected: statements inside ``with <lock>:`` (a ``threading.Lock``, a
  ``cython.pymutex``, anything named like a lock, ``cython.critical_section``) or
  between ``PyMutex_Lock``/``acquire()`` and the matching release. ``with nogil:`` is
  *not* protection: it releases the GIL, which a free-threaded build does not have;
* shared instances: a class whose own methods take ``self.<lock>`` says its instances
  are used from several threads, so its state touched outside that lock is a race.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model.finding import Location
from .python_vocabulary import LOCK_FACTORIES, MUTABLE_FACTORIES, MUTATING_METHODS

_LOCK_NAME = re.compile(r"lock|mutex|_cond\b|condition|semaphore|\bsem\b", re.IGNORECASE)
# Cython 3.1 `cython.pymutex`, CPython's PyMutex and the old PyThread lock type.
_LOCK_TYPES = {"pymutex", "PyMutex", "PyThread_type_lock"}
_ACQUIRE_CALLS = {"PyMutex_Lock", "PyThread_acquire_lock", "pthread_mutex_lock", "acquire"}
_RELEASE_CALLS = {"PyMutex_Unlock", "PyThread_release_lock", "pthread_mutex_unlock", "release"}
_PYTHON_TYPES = {
    "object",
    "dict",
    "list",
    "set",
    "frozenset",
    "tuple",
    "str",
    "bytes",
    "unicode",
    "bytearray",
    "type",
    "int",
    "float",
    "complex",
    "slice",
}
_CONTAINER_TYPES = {"dict", "list", "set", "bytearray"}
# C-API lookups that return a borrowed reference owned by the container.
_BORROWING_LOOKUPS = {"PyDict_GetItem", "PyDict_GetItemString", "PyDict_GetItemWithError", "PyList_GET_ITEM"}
_CONSTRUCTION = {"__init__", "__cinit__", "__dealloc__", "__del__", "__new__"}


@dataclass
class CythonEvent:
    # "module-write" | "container-mutation" | "iteration" | "lazy-init" | "lazy-check"
    # | "instance-write" | "instance-call" | "instance-read"
    kind: str
    name: str  # the shared name ("_cache", "RandomState._aug_state.gauss")
    line: int
    column: int
    function: str
    detail: str = ""  # "=", "+=", "subscript", "del", "append", ...
    what: str = ""  # "C array", "C variable", "dict", ... (module state) / evidence (instances)
    related_line: int = 0  # the other half of a check-then-act
    in_nogil: bool = False
    location: Location | None = None


@dataclass
class _ModuleName:
    what: str  # "C array", "C pointer", "C variable", "C struct", a Python type, "object"
    container: bool = False


@dataclass
class _Scope:
    name: str
    locals: set[str]
    globals: set[str]
    class_name: str | None = None
    self_name: str | None = None
    acquired: int = 0
    checked: dict[str, int] = field(default_factory=dict)  # early-return checks: name -> line


def _children(node):
    for attribute in getattr(node, "child_attrs", ()):
        child = getattr(node, attribute, None)
        if child is None:
            continue
        if isinstance(child, list):
            yield from (item for item in child if hasattr(item, "pos"))
        elif hasattr(child, "pos"):
            yield child


def _type_name(node) -> str:
    return type(node).__name__


def _dotted(node) -> str | None:
    kind = _type_name(node)
    if kind == "NameNode":
        return node.name
    if kind == "AttributeNode":
        base = _dotted(node.obj)
        return f"{base}.{node.attribute}" if base else None
    return None


def _root_name(node) -> str | None:
    """``_buf`` for ``_buf[i]``, ``_state.a.b``, ``_arr[i].f``."""
    while _type_name(node) in ("AttributeNode", "IndexNode", "SliceIndexNode"):
        node = node.obj if _type_name(node) == "AttributeNode" else node.base
    return node.name if _type_name(node) == "NameNode" else None


def _declarator_name(declarator) -> tuple[str | None, str]:
    """The declared name and its shape: ``("_buf", "C array")`` for ``_buf[64]``."""
    shape = ""
    while True:
        kind = _type_name(declarator)
        if kind == "CNameDeclaratorNode":
            return declarator.name or None, shape
        if kind == "CArrayDeclaratorNode":
            shape = shape or "C array"
        elif kind in ("CPtrDeclaratorNode", "CReferenceDeclaratorNode"):
            shape = shape or "C pointer"
        elif kind == "CFuncDeclaratorNode":
            shape = shape or "function"
        base = getattr(declarator, "base", None)
        if base is None:
            return None, shape
        declarator = base


def _declarator_default(declarator):
    while declarator is not None:
        if _type_name(declarator) == "CNameDeclaratorNode":
            return declarator.default
        declarator = getattr(declarator, "base", None)
    return None


def _declared_type(var_def, declarator, known_classes: set[str]) -> _ModuleName:
    name, shape = _declarator_name(declarator)
    base = var_def.base_type
    type_name = getattr(base, "name", None) or ""
    if shape in ("C array", "C pointer"):
        return _ModuleName(shape)
    if getattr(base, "is_basic_c_type", False):
        return _ModuleName("C variable")
    if type_name in _PYTHON_TYPES or type_name in known_classes:
        default = _declarator_default(declarator)
        return _ModuleName(type_name, container=type_name in _CONTAINER_TYPES and default is not None)
    if type_name in _LOCK_TYPES:
        return _ModuleName("lock")
    if _type_name(base) == "CSimpleBaseTypeNode" and not type_name[:1].isupper() and "." not in type_name:
        # A C typedef / struct (`bitgen_t`, `aug_state`): extension types are CamelCase.
        return _ModuleName("C struct")
    return _ModuleName("object")


def _call_function_name(node) -> str | None:
    if _type_name(node) not in ("SimpleCallNode", "GeneralCallNode"):
        return None
    function = node.function
    if _type_name(function) == "NameNode":
        return function.name
    if _type_name(function) == "AttributeNode":
        return function.attribute
    return None


def _is_container_value(node) -> bool:
    if node is None:
        return False
    if _type_name(node) in ("ListNode", "DictNode", "SetNode", "ComprehensionNode"):
        return True
    return _call_function_name(node) in MUTABLE_FACTORIES


def _is_unset_value(node) -> bool:
    kind = _type_name(node)
    if kind in ("NoneNode", "NullNode"):
        return True
    if kind == "IntNode":
        return str(node.value) in ("0", "-1")
    if kind == "BoolNode":
        return not node.value
    return False


class _NameUses:
    """Names a function binds, declares global, and mentions (nested functions excluded)."""

    def __init__(self, body) -> None:
        self.bound: set[str] = set()
        self.globals: set[str] = set()
        self._walk(body)

    def _targets(self, node) -> None:
        kind = _type_name(node)
        if kind == "NameNode":
            self.bound.add(node.name)
        elif kind in ("TupleNode", "ListNode"):
            for item in node.args:
                self._targets(item)
        elif kind == "StarredUnpackingNode":
            self._targets(node.target)

    def _walk(self, node) -> None:
        kind = _type_name(node)
        if kind in ("DefNode", "CFuncDefNode", "LambdaNode", "PyClassDefNode", "CClassDefNode"):
            return
        if kind == "GlobalNode":
            self.globals.update(node.names)
        elif kind == "CVarDefNode":
            for declarator in node.declarators:
                name, _shape = _declarator_name(declarator)
                if name:
                    self.bound.add(name)
        elif kind in ("SingleAssignmentNode", "InPlaceAssignmentNode"):
            self._targets(node.lhs)
        elif kind == "CascadedAssignmentNode":
            for target in node.lhs_list:
                self._targets(target)
        elif kind in ("ForInStatNode", "ForFromStatNode", "ComprehensionNode"):
            target = getattr(node, "target", None)
            if target is not None:
                self._targets(target)
        elif kind == "WithStatNode" and node.target is not None:
            self._targets(node.target)
        elif kind == "ExceptClauseNode" and getattr(node, "target", None) is not None:
            self._targets(node.target)
        for child in _children(node):
            self._walk(child)


def _argument_names(function) -> set[str]:
    names = set()
    arguments = list(getattr(function, "args", []) or [])
    if _type_name(function) == "CFuncDefNode":
        declarator = function.declarator
        while declarator is not None and _type_name(declarator) != "CFuncDeclaratorNode":
            declarator = getattr(declarator, "base", None)
        arguments = list(declarator.args) if declarator is not None else []
    for argument in arguments:
        name, _shape = _declarator_name(argument.declarator)
        # An untyped argument (`def f(x)`) is parsed as a type named `x` with no name.
        names.add(name or getattr(argument.base_type, "name", None) or "")
    for star in ("star_arg", "starstar_arg"):
        value = getattr(function, star, None)
        if value is not None:
            names.add(getattr(value, "name", None) or "")  # a PyArgDeclNode
    names.discard("")
    return names


def function_name(function) -> str:
    if _type_name(function) == "CFuncDefNode":
        return _declarator_name(function.declarator)[0] or "?"
    return function.name


def _is_python_visible(function) -> bool:
    """``def`` and ``cpdef`` functions can be called from Python code."""
    return _type_name(function) == "DefNode" or bool(getattr(function, "overridable", False))


class CythonModuleAnalysis:
    """The events of one Cython module."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.events: list[CythonEvent] = []
        self.problem: str | None = None
        self.module_names: dict[str, _ModuleName] = {}
        self.locks: set[str] = set()
        # Containers some function mutates under a lock: iterating them unlocked races too.
        self._locked_container_mutations: set[str] = set()
        tree = self._parse(text)
        if tree is None:
            return
        self._tree = tree
        self.classes: dict[str, object] = {}
        self.class_bases: dict[str, list[str]] = {}
        # Module-level variables holding an instance: (variable, class or declared type, line).
        self.module_instances: list[tuple[str, str, int]] = []
        self.functions: list = []
        self.global_reads: list[tuple[str, object, str]] = []  # (name, node, function)
        self.guarded_fields: dict[str, str] = {}  # field -> function that locks it
        self.module_calls: set[str] = set()
        self._collect_module(tree.body)
        self.called_in_functions: set[str] = set()
        for function, _class_name in self.functions:
            self._mentions(function.body, self.called_in_functions)
        for function, class_name in self.functions:
            if self._runs_once(function, class_name):
                continue
            self._walk_function(function, class_name)
        mutated = {event.name for event in self.events if event.kind == "container-mutation"}
        mutated |= self._locked_container_mutations
        self.events = [
            event
            for event in self.events
            if event.kind not in ("iteration", "borrowed-read") or event.name in mutated
        ]
        self._reads_of_rebound_globals()
        for class_node in self.classes.values():
            _SharedInstance(self, class_node).analyse()
        for event in self.events:
            snippet = self.lines[event.line - 1].strip() if 0 < event.line <= len(self.lines) else ""
            event.location = Location(path=path, line=event.line, column=event.column + 1, snippet=snippet)

    def _reads_of_rebound_globals(self) -> None:
        """A global that a function rebinds at run time (not only lazily, under an unset
        check) is read by other code in pieces: each read can see a different value, and
        a read-then-rebind in one function loses another thread's rebind. One finding per
        function and name, and not on the rebinding statement itself."""
        rebinds: dict[str, tuple[str, int]] = {}
        lazy = set()
        for event in self.events:
            if event.kind == "module-write" and event.detail in ("=", "+=", "del"):
                rebinds.setdefault(event.name, (event.function, event.line))
            elif event.kind == "lazy-init" and event.detail == "=":
                lazy.add(event.name)
        write_lines = {(event.name, event.line) for event in self.events if event.kind != "lazy-check"}
        seen = set()
        for name, node, function in self.global_reads:
            if name not in rebinds or name in lazy or (name, node.pos[1]) in write_lines:
                continue
            if (function, name) in seen:
                continue
            seen.add((function, name))
            rebinder, line = rebinds[name]
            self.events.append(
                CythonEvent(
                    "rebound-read",
                    name,
                    node.pos[1],
                    node.pos[2],
                    function,
                    detail=rebinder,
                    what=self.module_names[name].what,
                    related_line=line,
                )
            )

    # -- parsing ---------------------------------------------------------------------
    def _parse(self, text: str):
        from Cython.Compiler import Errors
        from Cython.Compiler.TreeFragment import StringParseContext, parse_from_strings

        class _NoIncludes(StringParseContext):
            # `include "x.pxi"` is textual inclusion; each .pxi is scanned as its own file.
            def find_include_file(self, filename, pos=None, source_file_path=None):
                return None

        name = "scanned_module"
        try:
            with Errors.local_errors(ignore=True):
                return parse_from_strings(name, text, context=_NoIncludes(name))
        except Errors.CompileError as error:
            position = getattr(error, "position", None)
            where = f" at line {position[1]}, column {position[2] + 1}" if position else ""
            message = getattr(error, "message_only", str(error)).strip()
            self.problem = f"Cython syntax error{where}: {message}"
        except Exception as error:  # Cython's parser is not written for hostile input
            self.problem = f"Cython's parser failed: {type(error).__name__}: {error}"
        return None

    # -- module facts ----------------------------------------------------------------
    def _collect_module(self, node, in_class: str | None = None) -> None:
        kind = _type_name(node)
        if kind == "StatListNode":
            for statement in node.stats:
                self._collect_module(statement, in_class)
            return
        if kind in ("DefNode", "CFuncDefNode"):
            self.functions.append((node, in_class))
            if in_class is None:
                self.module_names[function_name(node)] = _ModuleName("function")
                for decorator in getattr(node, "decorators", None) or []:
                    self._mentions(decorator, self.module_calls)
            return
        if kind == "PropertyNode":
            self._collect_module(node.body, in_class)
            return
        if kind in ("CClassDefNode", "PyClassDefNode"):
            class_name = getattr(node, "class_name", None) or node.name
            if in_class is None:
                self.classes[class_name] = node
                self.module_names[class_name] = _ModuleName("class")
                bases = getattr(node, "bases", None)
                self.class_bases[class_name] = [
                    (_dotted(base) or "").split(".")[-1] for base in getattr(bases, "args", None) or []
                ]
            self._collect_module(node.body, class_name)
            return
        if in_class is not None:
            return
        if kind == "CVarDefNode":
            known = set(self.classes)
            for declarator in node.declarators:
                name, shape = _declarator_name(declarator)
                if not name or shape == "function":
                    continue
                declared = _declared_type(node, declarator, known)
                line = node.pos[1]
                self.module_instances.append((name, getattr(node.base_type, "name", None) or "", line))
                default_class = _call_function_name(_declarator_default(declarator))
                if default_class:
                    self.module_instances.append((name, default_class, line))
                if declared.what == "lock":
                    self.locks.add(name)
                elif (declared.what in _PYTHON_TYPES or declared.what == "object") and _is_container_value(
                    _declarator_default(declarator)
                ):
                    declared.container = True
                self.module_names[name] = declared
            return
        if kind in ("SingleAssignmentNode", "CascadedAssignmentNode"):
            targets = node.lhs_list if kind == "CascadedAssignmentNode" else [node.lhs]
            for target in targets:
                if _type_name(target) != "NameNode":
                    continue
                made = _call_function_name(node.rhs)
                if made:
                    self.module_instances.append((target.name, made, node.pos[1]))
                previous = self.module_names.get(target.name)
                if _call_function_name(node.rhs) in LOCK_FACTORIES:
                    self.locks.add(target.name)
                if previous is not None and previous.what not in ("object", "function", "class"):
                    # `cdef dict _x` then `_x = {}`: keep the declared type.
                    previous.container = previous.container or _is_container_value(node.rhs)
                else:
                    self.module_names[target.name] = _ModuleName(
                        "object", container=_is_container_value(node.rhs)
                    )
        if kind in ("FromImportStatNode",):
            for name, _target in getattr(node, "items", []):
                self.module_names.setdefault(name, _ModuleName("imported"))
        self._mentions(node, self.module_calls)
        for child in _children(node):
            if _type_name(child) in ("StatListNode", "IfStatNode", "IfClauseNode", "TryExceptStatNode"):
                self._collect_module(child, None)

    def _mentions(self, node, into: set[str]) -> None:
        if _type_name(node) == "NameNode":
            into.add(node.name)
        for child in _children(node):
            self._mentions(child, into)

    def _runs_once(self, function, class_name: str | None) -> bool:
        """A module-level helper that only module-level (import-time) code calls."""
        if class_name is not None:
            return False
        name = function_name(function)
        if _is_python_visible(function) and not name.startswith("_"):
            return False
        return name in self.module_calls and name not in self.called_in_functions

    # -- function walk ---------------------------------------------------------------
    def _walk_function(self, function, class_name: str | None) -> None:
        uses = _NameUses(function.body)
        arguments = _argument_names(function)
        scope = _Scope(
            name=function_name(function),
            locals=(uses.bound - uses.globals) | arguments,
            globals=uses.globals,
            class_name=class_name,
        )
        _FunctionWalker(self, scope).walk(function.body)

    def ancestors(self, class_name: str) -> set[str]:
        found: set[str] = set()
        pending = list(self.class_bases.get(class_name, []))
        while pending:
            base = pending.pop()
            if base and base not in found:
                found.add(base)
                pending.extend(self.class_bases.get(base, []))
        return found

    def module_instance_of(self, class_name: str) -> tuple[str, str, int] | None:
        """A module-level variable whose object runs this class's methods: an instance of
        the class or of a subclass, or a variable declared with the class or a base as its
        type (``cdef _BaseLog _GLOBAL_LOG = ...`` may hold any subclass)."""
        family = self.ancestors(class_name) | {class_name}
        for variable, made, line in self.module_instances:
            if made in _PYTHON_TYPES:
                continue
            if made in family or (made in self.classes and class_name in self.ancestors(made)):
                return variable, made, line
        return None

    def module_state(self, name: str | None, scope: _Scope) -> _ModuleName | None:
        if not name or name in scope.locals:
            return None
        declared = self.module_names.get(name)
        if declared is None or declared.what in ("function", "class", "imported", "lock"):
            return None
        return declared

    def attribute_calls_outside(self, class_node) -> set[str]:
        """Method names called as ``<something>.name(...)`` anywhere but through the
        class's own ``self``: calls on instances held elsewhere."""
        if not hasattr(self, "_attribute_calls"):
            self._attribute_calls: list[tuple[str, str | None, object]] = []
            self._collect_attribute_calls(self._tree, None)
        return {
            name
            for name, receiver, owner in self._attribute_calls
            if not (owner is class_node and receiver in ("self",))
        }

    def _collect_attribute_calls(self, node, owner) -> None:
        kind = _type_name(node)
        if kind in ("CClassDefNode", "PyClassDefNode"):
            owner = node
        if kind in ("SimpleCallNode", "GeneralCallNode") and _type_name(node.function) == "AttributeNode":
            receiver = node.function.obj
            receiver_name = receiver.name if _type_name(receiver) == "NameNode" else None
            self._attribute_calls.append((node.function.attribute, receiver_name, owner))
        for child in _children(node):
            self._collect_attribute_calls(child, owner)

    def is_lock_expression(self, node) -> bool:
        if _type_name(node) in ("SimpleCallNode", "GeneralCallNode"):
            called = _call_function_name(node)
            if called in LOCK_FACTORIES or called == "critical_section":
                return True
            node = node.function
        name = _dotted(node)
        if not name:
            return False
        last = name.split(".")[-1]
        return name in self.locks or last in self.locks or bool(_LOCK_NAME.search(last))


class _FunctionWalker:
    """Walks one function body in order, tracking locks, ``nogil`` and if-tests."""

    def __init__(self, analysis: CythonModuleAnalysis, scope: _Scope) -> None:
        self.analysis = analysis
        self.scope = scope
        self.lock_depth = 0
        self.nogil_depth = 0
        self.unset_tests: list[dict[str, int]] = []  # name -> line of the test
        self._check_columns: dict[tuple[int, str], int] = {}  # (line, name) -> column of the test
        self._store_targets: set[int] = set()  # names stored to, not read

    def _protected(self) -> bool:
        return self.lock_depth > 0 or self.scope.acquired > 0

    def _record(self, kind: str, name: str, node, detail: str, what: str, check_line: int = 0) -> None:
        if self._protected():
            if kind == "container-mutation" or (kind == "lazy-init" and detail in ("subscript", "del")):
                self.analysis._locked_container_mutations.add(name)
            return
        line, column = node.pos[1], node.pos[2]
        self.analysis.events.append(
            CythonEvent(
                kind,
                name,
                line,
                column,
                self.scope.name,
                detail,
                what,
                related_line=check_line,
                in_nogil=self.nogil_depth > 0,
            )
        )
        if kind == "lazy-init" and check_line:
            self.analysis.events.append(
                CythonEvent(
                    "lazy-check",
                    name,
                    check_line,
                    self._check_columns.get((check_line, name), 0),
                    self.scope.name,
                    detail,
                    what,
                    related_line=line,
                    in_nogil=self.nogil_depth > 0,
                )
            )

    def _check_line(self, name: str) -> int:
        for tests in reversed(self.unset_tests):
            if name in tests:
                return tests[name]
        return self.scope.checked.get(name, 0)

    # -- statements ------------------------------------------------------------------
    def walk(self, node) -> None:
        kind = _type_name(node)
        if kind in ("DefNode", "CFuncDefNode", "LambdaNode", "PyClassDefNode", "CClassDefNode"):
            return  # nested functions are walked on their own
        handler = getattr(self, f"_visit_{kind}", None)
        if handler is not None and handler(node) is False:
            return
        for child in _children(node):
            self.walk(child)

    def _visit_WithStatNode(self, node) -> bool:
        locked = self.analysis.is_lock_expression(node.manager)
        if _call_function_name(node.manager) == "critical_section":
            for argument in getattr(node.manager, "args", None) or []:
                if _type_name(argument) == "AttributeNode":
                    # `critical_section(lookup._registries)`: the code itself says that
                    # field is used by several threads.
                    self.analysis.guarded_fields.setdefault(argument.attribute, self.scope.name)
        self.walk(node.manager)
        self.lock_depth += locked
        self.walk(node.body)
        self.lock_depth -= locked
        return False

    def _visit_GILStatNode(self, node) -> bool:
        nogil = node.state == "nogil"
        self.nogil_depth += nogil
        self.walk(node.body)
        self.nogil_depth -= nogil
        return False

    def _visit_IfStatNode(self, node) -> bool:
        for clause in node.if_clauses:
            self.walk(clause.condition)
            tests = self._unset_names(clause.condition)
            for name, column in tests.items():
                self._check_columns[(clause.condition.pos[1], name)] = column
            self.unset_tests.append({name: clause.condition.pos[1] for name in tests})
            self.walk(clause.body)
            self.unset_tests.pop()
            if _returns(clause.body):
                for name in self._set_names(clause.condition):
                    self.scope.checked.setdefault(name, clause.condition.pos[1])
                    self._check_columns[(clause.condition.pos[1], name)] = clause.condition.pos[2]
        if node.else_clause is not None:
            self.walk(node.else_clause)
        return False

    def _unset_names(self, test) -> dict[str, int]:
        """Module names / containers the test checks for being unset: name -> column."""
        kind = _type_name(test)
        if kind == "BoolBinopNode":
            return {**self._unset_names(test.operand1), **self._unset_names(test.operand2)}
        operand = None
        if kind == "NotNode":
            operand = test.operand
        elif kind == "PrimaryCmpNode" and test.cascade is None:
            if test.operator in ("is", "==") and _is_unset_value(test.operand2):
                operand = test.operand1
            elif test.operator == "not_in":
                operand = test.operand2
        if operand is None:
            return {}
        operand = _strip_get(operand)
        name = _dotted(operand)
        if name and self.analysis.module_state(name.split(".")[0], self.scope):
            return {name: operand.pos[2]}
        return {}

    def _set_names(self, test) -> set[str]:
        kind = _type_name(test)
        operand = None
        if kind == "PrimaryCmpNode" and test.cascade is None:
            if test.operator in ("is_not", "!=") and _is_unset_value(test.operand2):
                operand = test.operand1
            elif test.operator == "in":
                operand = test.operand2
        elif kind in ("NameNode", "AttributeNode"):
            operand = test
        if operand is None:
            return set()
        name = _dotted(_strip_get(operand))
        return {name} if name and self.analysis.module_state(name.split(".")[0], self.scope) else set()

    def _visit_ExprStatNode(self, node) -> None:
        call = node.expr
        name = _call_function_name(call)
        if name in _ACQUIRE_CALLS or name in _RELEASE_CALLS:
            target = call.function.obj if _type_name(call.function) == "AttributeNode" else None
            if target is None:
                arguments = getattr(call, "args", None) or []
                target = arguments[0] if arguments else None
                if target is not None and _type_name(target) == "AmpersandNode":
                    target = target.operand
            if target is not None and self.analysis.is_lock_expression(target):
                if name in _ACQUIRE_CALLS:
                    self.scope.acquired += 1
                else:
                    self.scope.acquired = max(0, self.scope.acquired - 1)

    def _visit_ReturnStatNode(self, node) -> None:
        if _type_name(node.value) == "NameNode":
            # A getter's one load hands back one whole reference, old or new: nothing tears.
            self._store_targets.add(id(node.value))

    def _visit_AttributeNode(self, node) -> None:
        if _type_name(node.obj) == "NameNode":
            # `_module.attr`: a module-like global used for its attributes.
            self._store_targets.add(id(node.obj))

    def _visit_NameNode(self, node) -> None:
        if id(node) in self._store_targets or self._protected():
            return
        if self.analysis.module_state(node.name, self.scope) is not None:
            self.analysis.global_reads.append((node.name, node, self.scope.name))

    def _visit_TryExceptStatNode(self, node) -> bool:
        """``try: return _cache[k]`` / ``except KeyError: _cache[k] = make()``: the lookup
        is the check of a check-then-insert."""
        self.walk(node.body)
        lookups = {}
        for child in _walk_nodes(node.body):
            if _type_name(child) == "IndexNode" and id(child) not in self._store_targets:
                name = _dotted(child.base)
                if name and self.analysis.module_state(name, self.scope):
                    lookups.setdefault(name, child.pos)
        for clause in node.except_clauses:
            catches = {_dotted(pattern) for pattern in getattr(clause, "pattern", None) or []}
            tests = {}
            if catches & {"KeyError", "LookupError", "IndexError"}:
                for name, position in lookups.items():
                    tests[name] = position[1]
                    self._check_columns[(position[1], name)] = position[2]
            self.unset_tests.append(tests)
            self.walk(clause)
            self.unset_tests.pop()
        if node.else_clause is not None:
            self.walk(node.else_clause)
        return False

    def _visit_SimpleCallNode(self, node) -> None:
        function = node.function
        if _call_function_name(node) in _BORROWING_LOOKUPS and node.args:
            # `PyDict_GetItem(_cache, key)` hands back a reference the dict owns: a
            # thread that replaces or deletes the entry frees it under the caller.
            name = _dotted(node.args[0])
            declared = self.analysis.module_state(name, self.scope)
            if declared is not None and declared.container:
                self._record("borrowed-read", name, node, _call_function_name(node), declared.what)
        if _type_name(function) != "AttributeNode":
            return
        method = function.attribute
        if method not in MUTATING_METHODS or method == "setdefault":
            return  # dict.setdefault is the atomic insert-if-absent, the fix not the bug
        name = _dotted(function.obj)
        declared = self.analysis.module_state(name, self.scope)
        if declared is not None and declared.container:
            self._record("container-mutation", name, node, method, declared.what)

    def _store(self, target, node, detail: str) -> None:
        kind = _type_name(target)
        if kind in ("TupleNode", "ListNode"):
            for item in target.args:
                self._store(item, node, detail)
            return
        root = _root_name(target)
        if root is None:
            return
        if kind == "NameNode":
            if root not in self.scope.globals:
                return
            declared = self.analysis.module_names.get(root)
            if declared is None or declared.what in ("function", "class", "lock"):
                declared = _ModuleName("object")
            check = self._check_line(root) if detail == "=" else 0
            self._record("lazy-init" if check else "module-write", root, target, detail, declared.what, check)
            return
        declared = self.analysis.module_state(root, self.scope)
        if declared is None:
            return
        shape = "subscript" if kind == "IndexNode" else "attribute"
        if detail == "del":
            shape = "del"
        check = self._check_line(root)
        if not check and kind == "AttributeNode":
            check = self._check_line(_dotted(target) or "")
        if declared.container and shape in ("subscript", "del"):
            kind_of_write = "lazy-init" if check else "container-mutation"
            self._record(kind_of_write, root, target, shape, declared.what, check)
        else:
            compound = "+=" if detail == "+=" else ""
            self._record(
                "lazy-init" if check else "module-write",
                root,
                target,
                shape + compound,
                declared.what,
                check,
            )

    def _visit_SingleAssignmentNode(self, node) -> None:
        self._store_targets.add(id(node.lhs))
        self._store(node.lhs, node, "=")

    def _visit_CascadedAssignmentNode(self, node) -> None:
        for target in node.lhs_list:
            self._store_targets.add(id(target))
            self._store(target, node, "=")

    def _visit_InPlaceAssignmentNode(self, node) -> None:
        self._store_targets.add(id(node.lhs))
        self._store(node.lhs, node, "+=")

    def _visit_DelStatNode(self, node) -> None:
        self._store_targets.update(id(target) for target in node.args)
        for target in node.args:
            if _type_name(target) == "IndexNode":
                self._store(target, node, "del")
            elif _type_name(target) == "NameNode" and target.name in self.scope.globals:
                self._store(target, node, "del")

    def _visit_ForInStatNode(self, node) -> None:
        sequence = node.iterator.sequence
        if _type_name(sequence) == "SimpleCallNode" and _type_name(sequence.function) == "AttributeNode":
            if sequence.function.attribute in ("items", "keys", "values") and not sequence.args:
                sequence = sequence.function.obj
        name = _dotted(sequence)
        declared = self.analysis.module_state(name, self.scope)
        if declared is not None and declared.container:
            self._record("iteration", name, node, "for", declared.what)


def _walk_nodes(node):
    """Every node under ``node`` (nested functions included; a try body rarely has any)."""
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(_children(current))


def _strip_get(node):
    if (
        _type_name(node) == "SimpleCallNode"
        and _type_name(node.function) == "AttributeNode"
        and node.function.attribute == "get"
    ):
        return node.function.obj
    return node


def _returns(body) -> bool:
    statements = body.stats if _type_name(body) == "StatListNode" else [body]
    return any(_type_name(statement) in ("ReturnStatNode", "RaiseStatNode") for statement in statements)


class _SharedInstance:
    """Instance state of a class whose instances the code itself shows to be shared.

    The evidence is one of: the class's own methods take ``self.lock`` (its authors
    serialised the methods they thought of), or a module-level variable holds an
    instance (of the class, of a subclass, or declared with the class or a base as its
    type). A method that then writes the instance's state, or reads two pieces of it
    that other methods write, without the lock races with the other threads.

    A ``cdef class`` also gets its check-then-set lazy fields and its read-then-add
    counters reported without further evidence: its fields are plain C struct members,
    and two threads storing an object field at once can release the old value twice.
    Construction (``__init__``/``__cinit__`` and helpers only they call) runs before the
    instance is shared and is left alone.
    """

    def __init__(self, analysis: CythonModuleAnalysis, class_node) -> None:
        self.analysis = analysis
        self.class_node = class_node
        self.class_name = getattr(class_node, "class_name", None) or class_node.name
        self.is_cdef_class = _type_name(class_node) == "CClassDefNode"
        self.methods: dict[str, object] = {}
        self.fields: set[str] = set()  # declared with cdef in the class body
        self.c_fields: set[str] = set()
        self.lock_fields: set[str] = set()
        self._collect(class_node.body)

    def _add_method(self, key: str, node) -> None:
        # A property's getter and setter share one name; keep both.
        while key in self.methods:
            key += "'"
        self.methods[key] = node

    def _collect(self, node) -> None:
        kind = _type_name(node)
        if kind == "StatListNode":
            for statement in node.stats:
                self._collect(statement)
        elif kind in ("DefNode", "CFuncDefNode"):
            self._add_method(function_name(node), node)
        elif kind == "PropertyNode":
            # `property tree:` holds one accessor as its body, or a list of them.
            accessors = [node.body] if _type_name(node.body) == "DefNode" else list(_children(node.body))
            for accessor in accessors:
                if _type_name(accessor) == "StatListNode":
                    for item in accessor.stats:
                        if _type_name(item) == "DefNode":
                            self._add_method(f"{node.name}.{item.name}", item)
                elif _type_name(accessor) == "DefNode":
                    self._add_method(f"{node.name}.{accessor.name}", accessor)
        elif kind == "CVarDefNode":
            for declarator in node.declarators:
                name, _shape = _declarator_name(declarator)
                declared = _declared_type(node, declarator, set(self.analysis.classes))
                if not name:
                    continue
                self.fields.add(name)
                if declared.what == "lock" or _LOCK_NAME.search(name):
                    self.lock_fields.add(name)
                elif declared.what.startswith("C "):
                    self.c_fields.add(name)

    def _self_name(self, method) -> str | None:
        arguments = list(getattr(method, "args", []) or [])
        if _type_name(method) == "CFuncDefNode":
            declarator = method.declarator
            while declarator is not None and _type_name(declarator) != "CFuncDeclaratorNode":
                declarator = getattr(declarator, "base", None)
            arguments = list(declarator.args) if declarator is not None else []
        if not arguments:
            return None
        first = arguments[0]
        return _declarator_name(first.declarator)[0] or getattr(first.base_type, "name", None)

    def _construction(self, facts: dict[str, _MethodFacts]) -> set[str]:
        """Construction methods and the helpers that only they (or, for a ``cdef``
        helper, only callers holding the lock) call. A call through another name
        (``singleton._init(...)``) is a caller we cannot see the lock of, so it counts
        as unlocked."""
        external = self.analysis.attribute_calls_outside(self.class_node)
        construction = {name for name in facts if name in _CONSTRUCTION}
        changed = True
        while changed:
            changed = False
            for name in facts:
                if name in construction or name in external:
                    continue
                callers = [other for other, fact_other in facts.items() if name in fact_other.self_calls]
                unlocked_callers = [
                    other
                    for other, fact_other in facts.items()
                    if any(call == name for call, _node in fact_other.unlocked_self_calls)
                ]
                if callers and all(caller in construction for caller in callers):
                    construction.add(name)
                    changed = True
                elif (
                    callers
                    and _type_name(self.methods[name]) == "CFuncDefNode"
                    and not getattr(self.methods[name], "overridable", False)
                    and all(caller in construction for caller in unlocked_callers)
                ):
                    construction.add(name)  # guarded by its callers' lock
                    changed = True
        return construction

    def _evidence(self, facts: dict[str, _MethodFacts]) -> str | None:
        lock_method = next((name for name, fact in facts.items() if fact.takes_lock), None)
        if lock_method is not None:
            return f"{self.class_name} takes `{facts[lock_method].lock_text}` in {lock_method}()"
        instance = self.analysis.module_instance_of(self.class_name)
        if instance is not None:
            variable, made, line = instance
            return f"module-level `{variable}` (line {line}, a {made}) is one object every thread uses"
        written = {path.split(".")[0] for fact in facts.values() for path, _node in fact.writes}
        guarded = sorted((self.fields | written) & set(self.analysis.guarded_fields))
        if guarded:
            function = self.analysis.guarded_fields[guarded[0]]
            return f"`{guarded[0]}` is locked with cython.critical_section in {function}()"
        return None

    def analyse(self) -> None:
        facts = {name: _MethodFacts(self, method) for name, method in self.methods.items()}
        construction = self._construction(facts)
        evidence = self._evidence(facts)
        # One statement, one finding: the check-then-set message over the plain write.
        self._reported_lines: set[int] = set()
        if evidence is not None or self.is_cdef_class:
            self._report_lazy_fields(facts, construction, evidence)
        if evidence is not None:
            self._report_unlocked_state(facts, construction, evidence)

    def _event(self, method: str, node, what: str, evidence: str, related_line: int = 0) -> None:
        if node.pos[1] in self._reported_lines:
            return
        self._reported_lines.add(node.pos[1])
        self.analysis.events.append(
            CythonEvent(
                "instance-state",
                f"{self.class_name}.{method}",
                node.pos[1],
                node.pos[2],
                method.rstrip("'"),
                detail=what,
                what=evidence,
                related_line=related_line,
            )
        )

    def _report_lazy_fields(self, facts, construction: set[str], evidence: str | None) -> None:
        """Check-then-set lazy fields and read-then-add counters: both statements."""
        shared = evidence is not None
        evidence = evidence or (
            f"{self.class_name} is a cdef class: its fields are C struct members with no lock of their own"
        )
        for name, fact in facts.items():
            if name in construction:
                continue
            for path, check, store in fact.lazy_pairs:
                for node, what, other in (
                    (check, f"checks `self.{path}` unset and sets it on line {store.pos[1]}", store),
                    (store, f"sets `self.{path}` after the check on line {check.pos[1]}", check),
                ):
                    self._event(name, node, what, evidence, other.pos[1])
            # A counter read then added to is only a race on an object something shows
            # to be shared; streams and parsers advance their positions this way.
            for path, read, update in fact.read_then_update if shared else ():
                for node, what in (
                    (read, f"reads `self.{path}` and updates it on line {update.pos[1]}"),
                    (update, f"updates `self.{path}` it read on line {read.pos[1]} (read-modify-write)"),
                ):
                    self._event(name, node, what, evidence)

    def _report_unlocked_state(self, facts, construction: set[str], evidence: str) -> None:
        # Methods that write the instance's state outside a lock (directly or through
        # another such method) make an unlocked call to them a write too.
        writers = {name for name, fact in facts.items() if fact.unlocked_writes}
        changed = True
        while changed:
            changed = False
            for name, fact in facts.items():
                if name not in writers and any(call in writers for call, _node in fact.unlocked_self_calls):
                    writers.add(name)
                    changed = True
        written_fields = {
            path for name, fact in facts.items() if name not in construction for path, _node in fact.writes
        }
        for name, fact in facts.items():
            if name in construction:
                continue
            statements = [(node, f"writes `self.{path}`") for path, node in fact.unlocked_writes]
            statements += [
                (node, f"calls `self.{call}()`, which writes the instance's state")
                for call, node in fact.unlocked_self_calls
                if call.rstrip("'") in {writer.rstrip("'") for writer in writers}
            ]
            if statements:
                statements += [
                    (node, f"calls `self.{path}()` in the same unlocked update")
                    for path, node in fact.unlocked_attribute_calls
                ]
            first_reads: dict[str, object] = {}
            for path, node in fact.unlocked_reads:
                if path in written_fields:
                    first_reads.setdefault(path, node)
            if len(first_reads) >= 2:
                statements += [
                    (node, f"reads `self.{path}`, which other methods write")
                    for path, node in first_reads.items()
                ]
            for node, what in statements:
                self._event(name, node, what, evidence)


class _MethodFacts:
    """What one method does to ``self``: writes, calls and reads, locked or not, and
    the check-then-set and read-then-update pairs on its fields."""

    def __init__(self, owner: _SharedInstance, method) -> None:
        self.owner = owner
        self.self_name = owner._self_name(method)
        self.takes_lock = False
        self.lock_text = ""
        self.lock_depth = 0
        self.writes: list[tuple[str, object]] = []
        self.unlocked_writes: list[tuple[str, object]] = []
        self.self_calls: set[str] = set()
        self.unlocked_self_calls: list[tuple[str, object]] = []
        self.unlocked_attribute_calls: list[tuple[str, object]] = []
        self.unlocked_reads: list[tuple[str, object]] = []
        self.lazy_pairs: list[tuple[str, object, object]] = []
        self.read_then_update: list[tuple[str, object, object]] = []
        self._unset_tests: list[dict[str, object]] = []
        self._checked: dict[str, object] = {}  # early-return `if self._x is not None: return`
        self._store_targets: set[int] = set()
        if self.self_name:
            self._walk(method.body)

    def _self_path(self, node) -> str | None:
        """``_aug_state.gauss`` for ``self._aug_state.gauss`` / ``self._x[i]``."""
        parts = []
        while _type_name(node) in ("AttributeNode", "IndexNode", "SliceIndexNode"):
            if _type_name(node) == "AttributeNode":
                parts.append(node.attribute)
                node = node.obj
            else:
                parts = []  # `self._x[i].f` is the container `_x`
                node = node.base
        if _type_name(node) == "NameNode" and node.name == self.self_name and parts:
            return ".".join(reversed(parts))
        return None

    def _is_lock_field(self, path: str) -> bool:
        return path.split(".")[0] in self.owner.lock_fields or bool(_LOCK_NAME.search(path.split(".")[0]))

    def _tested_paths(self, test, unset: bool) -> set[str]:
        """Fields the test checks for being unset (``self._x is None``, ``not self._x``)
        or, with ``unset=False``, for being set."""
        kind = _type_name(test)
        if kind == "BoolBinopNode":
            if (test.operator == "and") == unset:
                return self._tested_paths(test.operand1, unset) | self._tested_paths(test.operand2, unset)
            return set()
        operand = None
        if kind == "NotNode":
            operand = test.operand if unset else None
        elif kind == "PrimaryCmpNode" and test.cascade is None and _is_unset_value(test.operand2):
            if test.operator in (("is", "==") if unset else ("is_not", "!=")):
                operand = test.operand1
        elif kind == "AttributeNode" and not unset:
            operand = test
        path = (
            self._self_path(operand)
            if operand is not None and _type_name(operand) == "AttributeNode"
            else None
        )
        return {path} if path and not self._is_lock_field(path) else set()

    def _lazy_check_of(self, path: str):
        for tests in reversed(self._unset_tests):
            if path in tests:
                return tests[path]
        return self._checked.get(path)

    def _walk_if(self, node) -> None:
        for clause in node.if_clauses:
            self._walk(clause.condition)
            self._unset_tests.append(
                dict.fromkeys(self._tested_paths(clause.condition, True), clause.condition)
            )
            self._walk(clause.body)
            self._unset_tests.pop()
            if _returns(clause.body):
                for path in self._tested_paths(clause.condition, False):
                    self._checked.setdefault(path, clause.condition)
        if node.else_clause is not None:
            self._walk(node.else_clause)

    def _walk_try(self, node) -> None:
        """``try: return self._by_name[k]`` / ``except KeyError: self._by_name[k] = ...``."""
        self._walk(node.body)
        lookups = {}
        for child in _walk_nodes(node.body):
            if _type_name(child) == "IndexNode" and id(child) not in self._store_targets:
                path = self._self_path(child)
                if path and "." not in path:
                    lookups.setdefault(path, child)
        for clause in node.except_clauses:
            catches = {_dotted(pattern) for pattern in getattr(clause, "pattern", None) or []}
            missing = catches & {"KeyError", "LookupError", "IndexError"}
            self._unset_tests.append(lookups if missing else {})
            self._walk(clause)
            self._unset_tests.pop()
        if node.else_clause is not None:
            self._walk(node.else_clause)

    def _store(self, target, compound: bool) -> None:
        path = self._self_path(target)
        if not path or self._is_lock_field(path):
            return
        self.writes.append((path, target))
        if not self.lock_depth:
            self.unlocked_writes.append((path, target))
            check = None
            if not compound and _type_name(target) in ("AttributeNode", "IndexNode"):
                check = self._lazy_check_of(path)
            if check is not None:
                self.lazy_pairs.append((path, check, target))
            earlier = next((node for read, node in self.unlocked_reads if read == path), None)
            if compound and earlier is not None:
                self.read_then_update.append((path, earlier, target))
        self._store_targets.add(id(target))

    def _walk(self, node) -> None:
        kind = _type_name(node)
        if kind in ("DefNode", "CFuncDefNode", "LambdaNode", "PyClassDefNode", "CClassDefNode"):
            return
        if kind == "WithStatNode":
            path = self._self_path(node.manager)
            locked = bool(path and self._is_lock_field(path)) or self.owner.analysis.is_lock_expression(
                node.manager
            )
            if locked and path:
                self.takes_lock = True
                self.lock_text = self.lock_text or f"self.{path}"
            self.lock_depth += locked
            self._walk(node.body)
            self.lock_depth -= locked
            return
        if kind == "IfStatNode":
            self._walk_if(node)
            return
        if kind == "TryExceptStatNode":
            self._walk_try(node)
            return
        if kind == "AmpersandNode":
            return  # `&self._state` hands the address on; it reads nothing here
        if kind in ("SingleAssignmentNode", "InPlaceAssignmentNode", "CascadedAssignmentNode"):
            if kind == "InPlaceAssignmentNode":
                self._walk(node.rhs)
            targets = node.lhs_list if kind == "CascadedAssignmentNode" else [node.lhs]
            for target in targets:
                self._store(target, compound=kind == "InPlaceAssignmentNode")
        if kind == "DelStatNode":
            for target in node.args:
                self._store(target, compound=False)
        if kind in ("SimpleCallNode", "GeneralCallNode") and _type_name(node.function) == "AttributeNode":
            self._call(node)
        if (
            kind == "SimpleCallNode"
            and _type_name(node.function) == "NameNode"
            and not self._hands_lock(node)
        ):
            for argument in node.args:
                path = self._self_path(argument.operand) if _type_name(argument) == "AmpersandNode" else None
                if path and not self._is_lock_field(path):
                    # `advance(&self.rng_state, ...)`: a C function given the field's
                    # address changes it (or reads it whole) behind the compiler's back.
                    self.writes.append((path, node))
                    if not self.lock_depth:
                        self.unlocked_writes.append((path, node))
        if kind == "AttributeNode" and id(node) not in self._store_targets and not self.lock_depth:
            path = self._self_path(node)
            root = path.split(".")[0] if path else ""
            if path and not self._is_lock_field(path) and ("." not in path or root in self.owner.c_fields):
                # `self.a.b` through a Python object is that object's business; through
                # a C struct or pointer field it is one read of the instance's memory.
                self.unlocked_reads.append((path, node))
                if "." in path:
                    return
        for child in _children(node):
            self._walk(child)

    def _hands_lock(self, call) -> bool:
        """``fill(&self._state, size, self.lock)``: the callee takes the lock itself."""
        for argument in call.args:
            path = self._self_path(argument)
            if (path and self._is_lock_field(path)) or self.owner.analysis.is_lock_expression(argument):
                return True
        return False

    def _call(self, node) -> None:
        path = self._self_path(node.function)
        if not path:
            return
        self._store_targets.add(id(node.function))
        if "." not in path:
            self.self_calls.add(path)
            if not self.lock_depth:
                self.unlocked_self_calls.append((path, node))
            return
        owner, method = path.rsplit(".", 1)
        if self._is_lock_field(path):
            if method in ("acquire",):
                self.takes_lock = True
                self.lock_text = self.lock_text or f"self.{owner}"
        elif method in MUTATING_METHODS and method != "setdefault":
            # `self._entries.append(x)`: the container is the instance's state.
            self._store_targets.add(id(node.function.obj))
            self.writes.append((owner, node))
            if not self.lock_depth:
                self.unlocked_writes.append((owner, node))
        elif not self.lock_depth:
            self.unlocked_attribute_calls.append((path, node))


def cython_analysis_of(unit) -> CythonModuleAnalysis:
    """The analysis of a :class:`~auditor.collectors.source.text_units.TokenizedSource`, parsed once
    however many Cython rules read it."""
    analysis = getattr(unit, "cython_analysis", None)
    if analysis is None:
        analysis = CythonModuleAnalysis(unit.path, unit.text)
        unit.cython_analysis = analysis
        unit.problem = analysis.problem
    return analysis
