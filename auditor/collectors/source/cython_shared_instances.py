"""Cython classes whose instances the code shows to be shared, and their unlocked state.

Evidence that one instance is used by several threads: the class takes ``self.lock``
in some methods, a module-level variable holds an instance (of the class, a subclass,
or typed with the class or a base), or a field is locked with
``cython.critical_section`` somewhere. See
:class:`~auditor.rules.c_source.cython_unlocked_instance_state.CythonUnlockedInstanceState`
for what is reported.
"""

from __future__ import annotations

import re

from .cython_analysis_services import CythonAnalysisServices
from .cython_method_facts import _MethodFacts
from .cython_tree import (
    _CONSTRUCTION,
    _LOCK_NAME,
    CythonEvent,
    _children,
    _declarator_name,
    _declared_type,
    _type_name,
    function_name,
)

# `call_soon_threadsafe`, `run_threadsafe`: the one door other threads may use.
_THREADSAFE_NAME = re.compile(r"thread_?safe", re.IGNORECASE)
# Classes named for serving many callers (the Python rules' word for it, in
# python_shared_evidence): a pool of memory or connections, a cache, a registry.
_SERVING_CLASS = re.compile(r"(?:Registry|Cache|Client|Pool|Locator)(?:Manager)?$|^_?Cached[A-Z]")


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

    def __init__(self, analysis: CythonAnalysisServices, class_node) -> None:
        self.analysis = analysis
        self.class_node = class_node
        self.class_name = getattr(class_node, "class_name", None) or class_node.name
        self.is_cdef_class = _type_name(class_node) == "CClassDefNode"
        self.methods: dict[str, object] = {}
        self.fields: set[str] = set()  # declared with cdef in the class body
        self.c_fields: set[str] = set()
        self.lock_fields: set[str] = set()
        self._thread_affine_only: set[str] | None = None
        # Evidence from the class's name alone: only compound updates are reported then
        # (a single append or store is atomic on its own; two of them, or an `+=`, are not).
        self._named_only = False
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
        if _SERVING_CLASS.search(self.class_name):
            self._named_only = True
            return (
                f"{self.class_name} is a registry/cache/client/pool/locator class: one instance is there "
                "to serve every caller"
            )
        return None

    def analyse(self) -> None:
        facts = {name: _MethodFacts(self, method) for name, method in self.methods.items()}
        construction = self._construction(facts)
        evidence = self._evidence(facts)
        if evidence and " takes `" not in evidence:  # a lock in some methods says they all race
            self._thread_affine_only = self._cross_thread_methods(facts)
        if self._thread_affine_only is not None:
            entries = sorted(name for name in self._thread_affine_only if _THREADSAFE_NAME.search(name))
            evidence += f", and {self.class_name} names {entries[0]}() as the method other threads may call"
        # One statement, one finding: the check-then-set message over the plain write.
        self._reported_lines: set[int] = set()
        if evidence is not None or self.is_cdef_class:
            self._report_lazy_fields(facts, construction, evidence)
        if evidence is not None:
            self._report_membership(facts, construction, evidence)
            self._report_unlocked_state(facts, construction, evidence)
        if self.is_cdef_class:
            self._report_flags(facts, construction)
            self._report_buffer_exports(facts, construction)

    def _cross_thread_methods(self, facts: dict[str, _MethodFacts]) -> set[str] | None:
        """An event loop's ``call_soon_threadsafe()`` says the class's other methods belong
        to the thread that runs it: only the methods named thread-safe, and what they call,
        run on other threads. None when the class names no such method."""
        reached = {name for name in facts if _THREADSAFE_NAME.search(name)}
        if not reached:
            return None
        pending = list(reached)
        while pending:
            for called in facts[pending.pop()].self_calls:
                matches = [name for name in facts if name.rstrip("'") == called.rstrip("'")]
                for name in matches:
                    if name not in reached:
                        reached.add(name)
                        pending.append(name)
        return reached

    def _runs_on_other_threads(self, name: str) -> bool:
        return self._thread_affine_only is None or name in self._thread_affine_only

    def _report_flags(self, facts, construction: set[str]) -> None:
        """``freeze()`` sets ``self.frozen = True`` while ``__setitem__`` tests it: a plain C
        field that one method flips and others decide on, with nothing ordering the two."""
        sets = {
            path: (name, node)
            for name, fact in facts.items()
            if name not in construction
            for path, node in fact.flag_sets
            if path in self.c_fields
        }
        for name, fact in facts.items():
            if name in construction:
                continue
            for path, test in fact.flag_tests:
                setter = sets.get(path)
                if setter is None or setter[0] == name:
                    continue
                setter_name, store = setter
                evidence = (
                    f"`self.{path}` is a plain C field of cdef class {self.class_name}: {setter_name}() sets "
                    f"it (line {store.pos[1]}) while {name.rstrip(chr(39))}() decides on it, with no lock or "
                    "atomic ordering the two"
                )
                self._event(
                    name, test, f"tests `self.{path}`, which {setter_name}() flips", evidence, store.pos[1]
                )
                self._event(
                    setter_name, store, f"sets `self.{path}`, which {name}() tests", evidence, test.pos[1]
                )

    def _report_buffer_exports(self, facts, construction: set[str]) -> None:
        """``__getbuffer__``/``__releasebuffer__`` run on whichever thread makes or drops a
        memoryview of the object: their counter updates and reads of state that other
        methods change race with each other and with those methods."""
        written = {
            path for name, fact in facts.items() if name not in construction for path, _node in fact.writes
        }
        evidence = (
            f"memoryviews of one {self.class_name} can be made and released on any thread, each "
            "calling its buffer methods"
        )
        for name in ("__getbuffer__", "__releasebuffer__"):
            fact = facts.get(name)
            if fact is None:
                continue
            for path, node in fact.unlocked_writes:
                self._event(name, node, f"updates `self.{path}`", evidence)
            reads = [(path, node) for path, node in fact.unlocked_reads if path in written]
            for path, node in reads[:1]:
                self._event(name, node, f"reads `self.{path}`, which other methods write", evidence)

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
            if name in construction or not self._runs_on_other_threads(name):
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

    def _report_membership(self, facts, construction: set[str], evidence: str) -> None:
        """``if k not in self._d: raise`` then ``self._d[k]``: another thread can remove the
        key between the test and the use (both statements, one finding each)."""
        for name, fact in facts.items():
            if name in construction or not self._runs_on_other_threads(name):
                continue
            reported: set[int] = set()
            for path, check, use in fact.membership_pairs:
                if id(check) not in reported:
                    reported.add(id(check))
                    self._event(
                        name,
                        check,
                        f"tests a key in `self.{path}` and uses `self.{path}[...]` on line {use.pos[1]}",
                        evidence,
                        use.pos[1],
                    )
                self._event(
                    name,
                    use,
                    f"uses `self.{path}[...]` after the key test on line {check.pos[1]}",
                    evidence,
                    check.pos[1],
                )

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
            if name in construction or not self._runs_on_other_threads(name):
                continue
            unlocked_writes = fact.unlocked_writes
            if self._named_only:
                compound = {id(node) for _path, _read, node in fact.read_then_update}
                compound |= {id(node) for _path, node in fact.compound_writes}
                if len({path for path, _node in unlocked_writes}) < 2:
                    unlocked_writes = [(path, node) for path, node in unlocked_writes if id(node) in compound]
            statements = [(node, f"writes `self.{path}`") for path, node in unlocked_writes]
            statements += [
                (node, f"calls `self.{call}()`, which writes the instance's state")
                for call, node in fact.unlocked_self_calls
                if call.rstrip("'") in {writer.rstrip("'") for writer in writers}
            ]
            if statements and not self._named_only:
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
