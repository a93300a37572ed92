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

from ...model.finding import Location
from .cython_function_walker import _FunctionWalker
from .cython_shared_instances import _SharedInstance
from .cython_tree import (
    _LOCK_NAME,
    _PYTHON_TYPES,
    CythonEvent,
    _argument_names,
    _call_function_name,
    _children,
    _declarator_default,
    _declarator_name,
    _declared_type,
    _dotted,
    _is_container_value,
    _is_python_visible,
    _ModuleName,
    _NameUses,
    _Scope,
    _type_name,
    _walk_nodes,
    function_name,
)
from .python_vocabulary import LOCK_FACTORIES

# Weak containers lose entries whenever a referent dies, on whichever thread drops the last
# reference (or runs the collector): iterating one races with that even if no function
# here writes it.
_GC_EMPTIED = {"WeakValueDictionary", "WeakKeyDictionary", "WeakSet"}


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
        self.gc_emptied: set[str] = set()
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
        mutated_by_code = set(mutated)
        mutated |= self.gc_emptied
        self.events = [
            event
            for event in self.events
            if event.kind not in ("iteration", "borrowed-read") or event.name in mutated
        ]
        for event in self.events:
            if event.kind == "iteration" and event.name in self.gc_emptied - mutated_by_code:
                event.detail = "weak"
        self._reads_of_rebound_globals()
        self._calls_to_buffer_pointers()
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
                    what=self.module_names[name].what if name in self.module_names else "object",
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
            if "&&" in text:
                # `vector[T]&& items`, a C++ rvalue reference newer Cython accepts and this
                # parser does not; `&&` is no Cython operator, so reading it as `&` (same
                # length: positions hold) loses nothing the rules look at.
                return self._parse(text.replace("&&", "& "))
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
            self._collect_class(node, in_class)
            return
        if in_class is not None:
            return
        if kind == "CVarDefNode":
            self._collect_declaration(node)
            return
        if kind in ("SingleAssignmentNode", "CascadedAssignmentNode"):
            self._collect_assignment(node, node.lhs_list if kind == "CascadedAssignmentNode" else [node.lhs])
        if kind in ("FromImportStatNode",):
            for name, _target in getattr(node, "items", []):
                self.module_names.setdefault(name, _ModuleName("imported"))
        self._mentions(node, self.module_calls)
        for child in _children(node):
            if _type_name(child) in ("StatListNode", "IfStatNode", "IfClauseNode", "TryExceptStatNode"):
                self._collect_module(child, None)

    def _collect_class(self, node, in_class: str | None) -> None:
        class_name = getattr(node, "class_name", None) or node.name
        if in_class is None:
            self.classes[class_name] = node
            self.module_names[class_name] = _ModuleName("class")
            bases = getattr(node, "bases", None)
            self.class_bases[class_name] = [
                (_dotted(base) or "").split(".")[-1] for base in getattr(bases, "args", None) or []
            ]
        self._collect_module(node.body, class_name)

    def _collect_declaration(self, node) -> None:
        """``cdef double _buf[64]``, ``cdef dict _cache = {}``, ``cdef _Log _LOG = _Log()``."""
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
            if default_class in _GC_EMPTIED:
                self.gc_emptied.add(name)
            if declared.what == "lock":
                self.locks.add(name)
            elif (declared.what in _PYTHON_TYPES or declared.what == "object") and _is_container_value(
                _declarator_default(declarator)
            ):
                declared.container = True
            self.module_names[name] = declared

    def _collect_assignment(self, node, targets) -> None:
        for target in targets:
            if _type_name(target) != "NameNode":
                continue
            made = _call_function_name(node.rhs)
            if made in _GC_EMPTIED:
                self.gc_emptied.add(target.name)
            if made:
                self.module_instances.append((target.name, made, node.pos[1]))
            previous = self.module_names.get(target.name)
            if made in LOCK_FACTORIES:
                self.locks.add(target.name)
            if previous is not None and previous.what not in ("object", "function", "class"):
                # `cdef dict _x` then `_x = {}`: keep the declared type.
                previous.container = previous.container or _is_container_value(node.rhs)
            else:
                self.module_names[target.name] = _ModuleName(
                    "object", container=_is_container_value(node.rhs)
                )

    def _calls_to_buffer_pointers(self) -> None:
        """``_init_writer(&writer)`` where ``_init_writer`` points ``writer.buf`` at a module
        buffer: the call is where this function's caller starts sharing the buffer."""
        pointing = {
            event.function: event
            for event in self.events
            if event.kind == "module-write" and event.detail == "address"
        }
        if not pointing:
            return
        for function, _class_name in self.functions:
            name = function_name(function)
            for node in _walk_nodes(function.body):
                callee = _call_function_name(node)
                if callee in pointing and callee != name:
                    source = pointing[callee]
                    self.events.append(
                        CythonEvent(
                            "module-write",
                            source.name,
                            node.pos[1],
                            node.pos[2],
                            name,
                            f"address via {callee}",
                            source.what,
                            related_line=source.line,
                        )
                    )

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


def cython_analysis_of(unit) -> CythonModuleAnalysis:
    """The analysis of a :class:`~auditor.collectors.source.text_units.TokenizedSource`, parsed once
    however many Cython rules read it."""
    analysis = getattr(unit, "cython_analysis", None)
    if analysis is None:
        analysis = CythonModuleAnalysis(unit.path, unit.text)
        unit.cython_analysis = analysis
        unit.problem = analysis.problem
    return analysis
