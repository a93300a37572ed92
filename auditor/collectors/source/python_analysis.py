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

The parts live beside this module: the facts of the module body
(``python_module_facts``), the LibCST pass over a segment (``python_event_collector``),
and the whole-module ``ast`` analyses (``python_shared_instances`` with
``python_shared_evidence``, ``python_module_checks``, ``python_process_state``).

Built-in ``dict``/``list``/``set`` operations are individually atomic in free-threaded
CPython (each takes the object's lock), so the risk these rules point to is the
unsynchronised *combination*: check-then-act, read-modify-write, iterate-while-mutated,
and state that other threads see half-updated.
"""

from __future__ import annotations

import ast
import re

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
    process_iteration,
    python_needs_full_analysis,
)
from .python_ast_walk import walk
from .python_check_outside_lock import checks_outside_lock
from .python_class_sequences import class_state_sequences
from .python_container_aliases import container_alias_events
from .python_event_collector import (
    Event,
    _EventCollector,
)
from .python_fork_children import fork_child_functions
from .python_imported_containers import imported_container_events
from .python_lock_discipline import lock_discipline_events
from .python_lock_sequences import lock_sequence_events
from .python_locked_helpers import functions_called_under_lock
from .python_module_checks import module_check_events
from .python_module_facts import (
    ModuleFacts,
    _ast_call_name,
)
from .python_per_call_state import per_call_state_events
from .python_process_state import process_state_events
from .python_shared_instances import shared_instance_races
from .python_vocabulary import PROCESS_CONTAINERS

_MAIN_FUNCTIONS = {"main", "_main", "cli", "_cli"}
# Later reads of a rebound global in one function, each of which can disagree with the first.
_REREADS_REPORTED = 3


def _rebound_names(tree: ast.Module, text: str) -> set[str]:
    """Names that a ``global`` statement inside a function declares, or that
    ``globals()["name"] = ...`` stores."""
    names: set[str] = set()
    if "global" not in text and text.isascii():
        # Both need the word in the text (a non-ASCII name can normalise to `globals`):
        # no walk of the whole module.
        return names
    for node in walk(tree):
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
        self._locked_helpers: set[str] = set()
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
        self._fork_children = fork_child_functions(tree)
        self._locked_helpers = functions_called_under_lock(tree, self.facts.locks)
        class_attributes = (
            set().union(*self.facts.class_mutable_attrs.values()) if self.facts.class_mutable_attrs else set()
        )
        class_names = set(self.facts.class_mutable_attrs)
        containers = set(self.facts.containers)
        objects = self.facts.module_objects
        stateful = set(self.facts.stateful_objects)
        shared_names = containers | objects
        # A name some function rebinds at run time is read in pieces wherever it is read.
        rebound = _rebound_names(tree, text)
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
                or process_iteration(segment)
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
        self._say_why_class_state_is_shared()

    def _say_why_class_state_is_shared(self) -> None:
        """A metaclass's ``cls.x = {}`` is one container per class, not per instance."""
        for event in self.events:
            owner = event.name.split(".")[0]
            if event.kind == "class-attr-mutation" and owner in self.facts.metaclasses and not event.evidence:
                event.evidence = (
                    f"is made once per class by the metaclass {owner} (one container that every thread "
                    "calling that class shares)"
                )

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
        instances = {
            name: (factory, set(self.facts.stateful_methods.get(factory, {}).values()))
            for name, factory in self.facts.stateful_objects.items()
        }
        for found in module_check_events(
            tree, self.path, self.lines, changed, writers, self.facts.locks, instances
        ):
            if self._runs_once(found.function):
                continue
            event = Event(found.kind, found.name, None, found.function, found.detail, location=found.location)
            event.evidence = found.evidence
            if found.other_line:
                event.check_location = self._line_location(found.other_line)
            self.events.append(event)
        # The passes added for issue 14 look for what the text pre-filter does not: where it
        # would reject the text (a file reached here without it), they stay silent, so that
        # the pre-filter never hides a finding.
        accepted = python_needs_full_analysis(self.text)
        races = shared_instance_races(
            tree, self.path, self.lines, set(self.facts.containers), self.facts.locks, accepted
        )
        for race in races:
            name = f"{race.class_name}.{race.field_name}"
            event = Event("instance-race", name, None, race.function, race.what, location=race.location)
            event.evidence = race.evidence
            self.events.append(event)
        if accepted:
            self._sequence_events(tree, changed)
        for found in process_state_events(tree, self.path, self.lines, self.facts.locks):
            if self._runs_once(found.function):
                continue
            event = Event(found.kind, found.name, None, found.function, found.detail, location=found.location)
            if found.other_line:
                event.check_location = self._line_location(found.other_line)
            self.events.append(event)
        # An act that several tests lead to is one statement: one finding (the first test's).
        reported = {event.location.line for event in self.events if event.kind != "class-act-after-check"}
        kept = []
        for event in self.events:
            if event.kind == "class-act-after-check":
                if event.location.line in reported:
                    continue
                reported.add(event.location.line)
            kept.append(event)
        self.events = kept

    def _sequence_events(self, tree: ast.Module, changed: set[str]) -> None:
        """Changes through a local alias of a module container, state used under a lock
        and changed without it, and tests of class state followed by a change to it."""
        aliased = container_alias_events(
            tree, self.path, self.lines, set(self.facts.containers), changed, self.facts.locks
        )
        aliased += imported_container_events(tree, self.path, self.lines, self.facts.locks)
        mutated_lines = {event.location.line for event in self.events if event.kind == "container-mutation"}
        for found in aliased:
            if self._runs_once(found.function) or found.line in mutated_lines:
                continue
            if found.detail in ("entry", "test"):
                event = Event("check-then-use", found.container, None, found.function, found.evidence)
            else:
                event = Event("container-mutation", found.container, None, found.function, found.detail)
                event.evidence = found.evidence
            event.location = found.location
            self.events.append(event)
        race_lines = {event.location.line for event in self.events if event.kind == "instance-race"}
        for state in per_call_state_events(tree, self.path, self.lines):
            if state.line in race_lines:
                continue  # an FTP008 sequence on the same statement says more
            event = Event(
                "per-call-state",
                f"{state.class_name}.{state.field_name}",
                None,
                state.function,
                state.detail,
                location=state.location,
            )
            event.evidence = state.evidence
            self.events.append(event)
        unlocked_checks = checks_outside_lock(tree, self.path, self.lines, self.facts.locks)
        for found in [
            *lock_discipline_events(tree, self.path, self.lines, self.facts.locks),
            *unlocked_checks,
        ]:
            if self._runs_once(found.function) or found.line in race_lines:
                continue  # an FTP008 sequence on the same statement says more
            event = Event(found.kind, found.name, None, found.function, found.detail)
            event.location, event.evidence = found.location, found.evidence
            self.events.append(event)
        facts = self.facts
        for found in lock_sequence_events(
            tree, self.path, self.lines, set(facts.containers), facts.locks, self._runs_once
        ):
            event = Event(found.kind, found.name, None, found.function, found.detail)
            event.location, event.evidence = found.location, found.evidence
            if found.other_line:
                event.check_location = self._line_location(found.other_line)
            self.events.append(event)
        for found in class_state_sequences(tree, self.path, self.lines, facts.metaclasses, facts.locks):
            if self._runs_once(found.function):
                continue
            event = Event("class-check-then-act", found.name, None, found.function, found.detail)
            event.location, event.evidence = found.location, found.evidence
            event.check_location = self._line_location(found.other_line)  # here: the act
            self.events.append(event)
            # The act is the sequence's other statement: a finding of its own, unless another
            # finding already sits on it (see _drop_acts_reported_otherwise).
            act = Event("class-act-after-check", found.name, None, found.function, found.detail)
            act.location, act.evidence = self._line_location(found.other_line), found.evidence
            act.check_location = found.location
            self.events.append(act)

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
        seen: dict[tuple[str, str], list[int]] = {}  # (function, name) -> lines read
        kept = []
        for event in self.events:
            if event.kind == "global-read":
                key = (event.function, event.name)
                if event.name not in rebinds or (event.name, event.location.line) in written:
                    continue
                if event.location.line > first_rebind.get(key, event.location.line):
                    continue  # after its own function's rebind: that finding covers it
                read_lines = seen.setdefault(key, [])
                if event.location.line in read_lines or len(read_lines) > _REREADS_REPORTED:
                    continue
                if read_lines:
                    # `last['ex']`, then `last['argnames']`: each read can see another rebind.
                    event.evidence = f"read again (first on line {read_lines[0]})"
                read_lines.append(event.location.line)
                rebinder = rebinds[event.name]
                event.detail = rebinder.function
                event.check_location = rebinder.location
            kept.append(event)
        # A class attribute set after an unset check is FTP003's lazy initialisation.
        lazy_lines = {event.location.line for event in kept if event.kind == "lazy-init"}
        lazy_lines |= {
            event.check_location.line for event in kept if event.kind == "lazy-init" and event.check_location
        }
        self.events = [
            event
            for event in kept
            if event.kind not in ("class-state", "class-check-then-act", "class-act-after-check")
            or event.location.line not in lazy_lines
        ]

    def _drop_unmutated_iteration(self) -> None:
        """Iterating a container nothing mutates after import is no event at all."""
        self._keep_reads_of_rebound_globals()
        mutated = {event.name for event in self.events if event.kind != "iteration"} | self.locked_mutations
        mutated |= set(PROCESS_CONTAINERS)
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
        self.locked_mutations |= collector.locked_mutations
        found = [*collector.events, *collector.snapshots, *collector.reads]
        positions = wrapper.resolve(PositionProvider) if found else {}
        for event in found:
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

    def _fork_child_functions(self) -> set[str]:
        if "_fork_children" not in self.__dict__:  # the module's newer syntax than `ast` reads
            try:
                self._fork_children = fork_child_functions(ast.parse(self.text))
            except SyntaxError:
                self._fork_children = set()
        return self._fork_children

    def _runs_once(self, function: str) -> bool:
        """Functions that only import-time code (or a script's main) calls, those that
        run only in a forked child, where one thread exists, and private helpers that
        every caller calls with a lock held: no other thread interleaves with them."""
        short = function.rsplit(".", 1)[-1]
        # (absent where a caller builds the analysis its own way, as the pre-filter test does)
        if function in _MAIN_FUNCTIONS or short in self.__dict__.get("_locked_helpers", ()):
            return True
        if short in self._fork_child_functions():
            return True
        return (
            function.startswith("_")
            and not function.startswith("__")
            and function in self.facts.functions_called_from_module_level
            and not self.facts.used_inside_functions(function)
        )

    def events_of(self, kind: str) -> list[Event]:
        return [event for event in self.events if event.kind == kind]
