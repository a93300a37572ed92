"""C and C++ sources through tree-sitter: the facts the FTC rules share.

tree-sitter parses a file as written, without running the preprocessor, so unexpanded
macros (``Py_BEGIN_ALLOW_THREADS``, ``PYBIND11_MODULE(...)``) become call expressions,
function definitions or small ERROR nodes instead of stopping the parse. The rules never
see raw text alone: they ask this module which variables have static storage, which
functions only run during module initialisation, and whether a given node sits inside
a lock or a critical section.

What counts as shared state here: every variable with static storage duration (file
scope, or ``static`` inside a function) that is not const, not thread-local and not
atomic. In the free-threaded build every thread sees the same copy and the GIL no
longer serialises the C code that touches it (PEP 703, "Thread Safety of C Code").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ...model.finding import Location
from .c_call_graph import mark_called_under_lock, mark_init_only
from .c_preprocessor import in_gil_only_branch
from .c_text import brace_scopes, macro_names, mask_statement_macros, released_regions
from .c_vocabulary import (
    ACQUIRE,
    BUFFER_WRITERS,
    CPP_MUTATORS,
    OUT_PARAMETER_WRITERS,
    RELEASE,
    SETREF_MACROS,
    SYNCHRONISED_TYPE,
    THREAD_LOCAL_TOKENS,
    is_input_argument,
)

_EARLY_EXIT = re.compile(r"[^;{}]*;\s*(?:return\b|goto\b|break\s*;|continue\s*;)")
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)

# `st = PyModule_GetState(m)`, `state = get_module_state(module)`, `st = find_state_by_type(tp)`.
_STATE_POINTER = re.compile(
    r"\b(\w+)\s*=\s*(?:\([^()]*\)\s*)?(PyModule_GetState|_PyModule_GetState|PyType_GetModuleState|"
    r"\w*get_\w*state|\w*find_\w*state\w*|\w*_state_from_\w+)\s*\("
)
# Module teardown (m_clear / m_free / tp_traverse) runs when no other thread uses the module.
_TEARDOWN_NAME = re.compile(r"(?:clear|free|traverse|dealloc|fini|finalize)$", re.IGNORECASE)
_TUPLE_ASSERT = r"\bassert\s*\(\s*PyTuple_Check(?:Exact)?\s*\(\s*{}\s*\)"
_NOT_GLOBALS = {"errno", "environ", "__func__", "self", "this"}
_KWARGS_NAMES = {"kwds", "kwargs", "kw", "keywds", "kwnames_dict"}
# Calls that return a new container only the caller holds.
_CONSTRUCTORS = (
    "PyDict_New|PyList_New|PyTuple_New|PyDict_Copy|PySequence_List|PySequence_Tuple|"
    "PyList_AsTuple|PyList_GetSlice|PyDict_Items|PyDict_Keys|PyDict_Values|PyMapping_Items|"
    "PyMapping_Keys|PyMapping_Values|Py_BuildValue|PyObject_Dir|_PyDict_NewPresized|"
    "PyDict_Copy|PySet_New|PyFrozenSet_New|PyObject_CallNoArgs|_PyTuple_FromArray|"
    # A list the string methods build afresh, and the dict each thread has of its own.
    "PyUnicode_Split|PyUnicode_RSplit|PyUnicode_Splitlines|PyThreadState_GetDict|_PyThreadState_GetDict|"
    "PyTuple_GetSlice"
)


@lru_cache(maxsize=2)
def _parser(language: str):
    import tree_sitter

    if language == "cpp":
        import tree_sitter_cpp as grammar
    else:
        import tree_sitter_c as grammar
    return tree_sitter.Parser(tree_sitter.Language(grammar.language()))


@dataclass
class StaticVariable:
    name: str
    line: int
    declaration_text: str
    function: str | None = None  # set for a `static` declared inside a function
    mutable: bool = True
    is_pointer: bool = False


@dataclass
class StaticWrite:
    variable: StaticVariable
    node: object  # the assignment / update / call node
    function: FunctionInfo
    protected: bool
    # Set by analysis that claims the write for a more specific rule (lazy init,
    # GIL-released region) so the general rule does not report the same line twice.
    claimed_by: str | None = None


@dataclass
class FunctionInfo:
    name: str
    node: object
    body: object
    start_byte: int
    locals: set[str] = field(default_factory=set)
    init_only: bool = False
    # The caller holds the lock: an Argument Clinic `@critical_section` wrapper, or
    # CPython's `_lock_held` / `_locked` naming convention for such helpers.
    caller_holds_lock: bool = False
    # Locals holding the module state (`st = get_module_state(module)`).
    state_pointers: set[str] = field(default_factory=set)
    # What each of them is, when it is not module state ("interpreter state").
    state_kinds: dict[str, str] = field(default_factory=dict)
    # Byte ranges (absolute) of Py_BEGIN_ALLOW_THREADS..END and PyGILState_Ensure..Release.
    released_regions: list[tuple[int, int, str]] = field(default_factory=list)
    lock_events: tuple[list[int], list[int]] | None = None
    # Parameter names in order, so a call's arguments can be matched to them.
    parameters: list[str] = field(default_factory=list)
    # Locals that point at or refer to a static (`T *arena = &default_arena;`,
    # `auto &cache = table;`), with the declaration node: writes through them are writes
    # to the static.
    aliases: dict[str, tuple[StaticVariable, object]] = field(default_factory=dict)
    # Writes through a pointer parameter (`cache[n].ptrs[--cache[n].available]`), by
    # parameter index: they hit a static whenever a caller passes one.
    parameter_writes: dict[int, list[object]] = field(default_factory=dict)


@dataclass
class HelperWrite:
    """A static handed to a function of this file that writes through that parameter."""

    variable: StaticVariable
    call: object  # the call expression in the caller
    caller: FunctionInfo
    callee: FunctionInfo
    writes: list[object]  # the callee's write nodes through the parameter
    protected: bool


class CTranslationUnit:
    """One parsed C/C++ file and the shared-state facts the FTC rules use."""

    def __init__(self, path: str, source: bytes, language: str = "c") -> None:
        self.path = path
        self.source = source
        self.language = language
        self.original = source
        self.text = source.decode("utf-8", errors="replace")
        self.lines = self.text.splitlines()
        # The tree is built from a copy where statement macros without a semicolon are
        # replaced by same-length braces, so offsets and lines still match the file.
        self.source = mask_statement_macros(source)
        self.tree = _parser(language).parse(self.source)
        self.root = self.tree.root_node
        self.statics: dict[str, StaticVariable] = {}
        self.declared_names: set[str] = macro_names(self.text)  # file-scope declarators and #defines
        self._scope_marks: tuple[list[int], list[bool]] | None = None
        self._parents: dict[int, object] | None = None
        self._function_name_set: set[str] | None = None
        self.module_state_fields: dict[str, StaticVariable] = {}
        self.function_statics: dict[tuple[str, str], StaticVariable] = {}
        self._static_names_by_function: dict[str, set[str]] = {}
        self.functions: list[FunctionInfo] = []
        self._collect()
        call_sites = mark_init_only(self)
        mark_called_under_lock(self, call_sites)
        self.writes: list[StaticWrite] = []
        # (static and alias declaration, write node, function): writes through a local alias.
        self.alias_writes: list[tuple[tuple[StaticVariable, object], object, FunctionInfo]] = []
        for function in self.functions:
            self._collect_aliases(function)
            self._collect_writes(function)
        self._claim_writes()
        self.helper_writes: list[HelperWrite] = self._collect_helper_writes()

    # -- helpers shared with the rules -------------------------------------------------
    def node_text(self, node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def location(self, node) -> Location:
        line = node.start_point[0] + 1
        return Location(
            path=self.path,
            line=line,
            column=node.start_point[1] + 1,
            end_line=node.end_point[0] + 1,
            end_column=node.end_point[1] + 1,
            snippet=self.line_text(line),
        )

    def line_text(self, line: int) -> str:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1].strip()
        return ""

    def parent_of(self, node):
        """The node's parent, from a map built in one pass.

        tree-sitter nodes do not store their parent: ``Node.parent`` searches down from
        the root, so walking up from a node ``d`` levels deep costs O(d^2) and 20k nested
        braces took 30 s (issue 8). One walk that records every child's parent makes
        each step up O(1).
        """
        if self._parents is None:
            parents: dict[int, object] = {}
            stack = [self.root]
            while stack:
                current = stack.pop()
                for child in current.children:
                    parents[child.id] = current
                    stack.append(child)
            self._parents = parents
        return self._parents.get(node.id)

    def walk(self, node=None):
        """Every node below ``node`` (pre-order), iteratively: generated files nest deep."""
        stack = [node or self.root]
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(current.children))

    def function_at(self, node) -> FunctionInfo | None:
        starts = self._function_starts
        index = bisect.bisect_right(starts, node.start_byte) - 1
        if index >= 0:
            function = self._functions_by_start[index]
            if node.start_byte < function.node.end_byte:
                return function
        return None

    @property
    def _function_starts(self) -> list[int]:
        if not hasattr(self, "_starts_cache"):
            ordered = sorted(self.functions, key=lambda function: function.node.start_byte)
            self._functions_by_start = ordered
            self._starts_cache = [function.node.start_byte for function in ordered]
        return self._starts_cache

    def runs_at_import(self, node, function: FunctionInfo | None) -> bool:
        """True for code in an init-only function, except lambdas defined there (pybind11's
        ``m.def("f", [](...) {...})`` bodies run when Python calls them, not at import)."""
        if function is None or not function.init_only:
            return False
        parent = self.parent_of(node)
        while parent is not None and parent != function.body:
            if parent.type == "lambda_expression":
                return False
            parent = self.parent_of(parent)
        return True

    def lazy_init_guard(self, write: StaticWrite):
        """The ``if`` that tests the written static for NULL/zero before the write, if any.

        ``if (cache == NULL) cache = build();`` lets two threads both see NULL, both
        build, and one leak or, worse, one read a half-initialised object.
        """
        name = write.variable.name
        node = self.parent_of(write.node)
        while node is not None and node != write.function.body:
            if node.type == "if_statement":
                condition = node.child_by_field_name("condition")
                consequence = node.child_by_field_name("consequence")
                if (
                    condition is not None
                    and consequence is not None
                    and consequence.start_byte <= write.node.start_byte < consequence.end_byte
                    and self._tests_unset(condition, name)
                ):
                    return node
            node = self.parent_of(node)
        return None

    def _tests_unset(self, condition, name: str) -> bool:
        text = " ".join(_COMMENT.sub(" ", self.node_text(condition)).split())
        escaped = re.escape(name)
        patterns = (
            rf"!\s*\(?\s*{escaped}\b(?!\s*(?:\.|->|\[|\())",
            rf"\b{escaped}\s*==\s*(?:NULL|nullptr|0|false|Py_None)\b",
            rf"\b(?:NULL|nullptr|0|false)\s*==\s*{escaped}\b",
            rf"^\(\s*{escaped}\s*\)$",  # `if (initialized)` guards the *else* branch
        )
        return any(re.search(pattern, text) for pattern in patterns[:3])

    def _claim_writes(self) -> None:
        for write in self.writes:
            if write.claimed_by:
                continue
            if write.protected or self.runs_at_import(write.node, write.function):
                continue
            if self.lazy_init_guard(write) is not None:
                write.claimed_by = "lazy-init"
            elif self.released_region_at(write.node, write.function):
                write.claimed_by = "released-region"

    def resolve(self, identifier: str, function: FunctionInfo | None) -> StaticVariable | None:
        """The static an identifier means inside ``function`` (None if a local shadows it)."""
        if function is not None:
            own = self.function_statics.get((function.name, identifier))
            if own is not None:
                return own
            if identifier in function.locals:
                return None
        return self.statics.get(identifier)

    def is_protected(self, node, function: FunctionInfo) -> bool:
        """True when more locks were taken than released between the function start and node."""
        if function.caller_holds_lock:
            return True
        ends, depths = self._lock_events(function)
        index = bisect.bisect_right(ends, node.start_byte) - 1
        return index >= 0 and depths[index] > 0

    def _lock_events(self, function: FunctionInfo) -> tuple[list[int], list[int]]:
        """End offsets of every acquire/release in the function and the lock count after each.

        Found once per function: re-reading the text from the function start for every
        write made a function of 40k statements take minutes (issue 8).
        """
        if function.lock_events is None:
            start = function.body.start_byte
            text = _COMMENT.sub(
                lambda match: " " * len(match.group(0)),
                self.source[start : function.body.end_byte].decode("latin-1"),
            )
            events = [(match.end(), 1) for match in ACQUIRE.finditer(text)]
            # `if (error) { PyMutex_Unlock(&m); return NULL; }` releases on the early-exit
            # path only; the code after the block still runs with the lock held.
            events += [
                (match.end(), -1)
                for match in RELEASE.finditer(text)
                if not _EARLY_EXIT.match(text, match.end())
            ]
            events.sort()
            ends, depths, depth = [], [], 0
            for end, delta in events:
                depth += delta
                ends.append(start + end)
                depths.append(depth)
            function.lock_events = (ends, depths)
        return function.lock_events

    def released_region_at(self, node, function: FunctionInfo) -> str | None:
        for start, end, kind in function.released_regions:
            if start <= node.start_byte < end:
                return kind
        return None

    def call_arguments(self, call) -> list:
        arguments = call.child_by_field_name("arguments")
        return [child for child in arguments.children if child.is_named] if arguments is not None else []

    def calls(self, names: set[str] | dict):
        """(call node, callee name, function) for every call of one of ``names``.

        Macros that tree-sitter could not place in a call (inside an ERROR node) are not
        seen; that is the price of not running the preprocessor.
        """
        for node in self.walk():
            if node.type != "call_expression":
                continue
            callee = node.child_by_field_name("function")
            if callee is None:
                continue
            if callee.type == "qualified_identifier":
                # std::localtime, ::strtok
                callee_name = self.node_text(callee).split("::")[-1]
                scope = self.node_text(callee)[: -len(callee_name)].strip(":")
                if scope not in ("", "std"):
                    continue
            elif callee.type == "identifier":
                callee_name = self.node_text(callee)
            else:
                continue
            if callee_name in names:
                yield node, callee_name, self.function_at(node)

    def is_private_object_name(self, name: str, function: FunctionInfo | None) -> bool:
        """``is_private_object`` for a name rather than a node."""
        if function is None or not re.fullmatch(r"[A-Za-z_]\w*", name):
            return False
        if name not in function.locals:
            return False
        body, word = _COMMENT.sub(" ", self.node_text(function.body)), re.escape(name)
        # Made here by a constructor, or asserted to be a tuple (immutable: nothing to race on).
        made = rf"\b{word}\s*=\s*(?:\([^)]*\)\s*)?(?:{_CONSTRUCTORS})\s*\(|{_TUPLE_ASSERT.format(word)}"
        return re.search(made, body) is not None

    def is_private_object(self, argument, function: FunctionInfo | None) -> bool:
        """True when ``argument`` names a container no other thread can see yet.

        A local assigned from a constructor (PyDict_New, PyList_New, a copy) in the same
        function, or the keyword-arguments dict, which CPython builds afresh for each
        call made through vectorcall (Objects/call.c, _PyStack_AsDict).
        """
        if function is None or argument is None:
            return False
        name = self.node_text(argument).strip()
        return name in _KWARGS_NAMES or self.is_private_object_name(name, function)

    # -- collection --------------------------------------------------------------------
    def _collect(self) -> None:
        for child in self.root.children:
            self._collect_top_level(child)

    def _collect_top_level(self, node) -> None:
        kind = node.type
        if kind == "declaration":
            self.declared_names.update(self._all_declarator_names(node))
            if not self._at_namespace_scope(node.start_byte):
                return  # a class member that a parse error (an export macro) lifted to the top
            for variable in self._declared_variables(node, function=None, require_static=False):
                self.statics.setdefault(variable.name, variable)
        elif kind == "function_definition":
            self._add_function(node)
        elif kind in (
            "preproc_if",
            "preproc_ifdef",
            "preproc_else",
            "preproc_elif",
            "linkage_specification",
            "declaration_list",
            "namespace_definition",
            "preproc_elifdef",
        ):
            for child in node.children:
                self._collect_top_level(child)
        elif kind == "template_declaration":
            for child in node.children:
                if child.type == "function_definition":
                    self._add_function(child)
        elif kind in ("class_specifier", "struct_specifier"):
            body = node.child_by_field_name("body")
            if body is not None:
                for child in body.children:
                    if child.type == "function_definition":
                        self._add_function(child)

    def _at_namespace_scope(self, offset: int) -> bool:
        """Whether ``offset`` is outside every brace except ``namespace`` / ``extern "C"`` ones.

        Counted on the text, not the tree: ``class ARROW_EXPORT Reader {`` (an export macro)
        breaks tree-sitter's class, and its members then surface as top-level
        declarations. Brace depth tells a member from a global whatever the parse did.
        """
        if self._scope_marks is None:
            self._scope_marks = brace_scopes(
                self.text if len(self.text) == len(self.original) else self.original.decode("latin-1")
            )
        index = bisect.bisect_right(self._scope_marks[0], offset) - 1
        return index < 0 or self._scope_marks[1][index]

    def _declared_variables(self, declaration, function: str | None, require_static: bool):
        specifiers = [child for child in declaration.children if child.type == "storage_class_specifier"]
        storage = {self.node_text(child) for child in specifiers}
        if storage & {"typedef", "register", "auto"} or declaration.type != "declaration":
            return
        if require_static and "static" not in storage:
            return
        text = self.node_text(declaration)
        if THREAD_LOCAL_TOKENS.search(text):
            return
        type_node = declaration.child_by_field_name("type")
        type_text = self.node_text(type_node) if type_node is not None else ""
        qualifiers = {
            self.node_text(child) for child in declaration.children if child.type == "type_qualifier"
        }
        if SYNCHRONISED_TYPE.search(type_text) or "_Atomic" in qualifiers:
            return
        for declarator in declaration.children_by_field_name("declarator"):
            name, is_pointer, pointer_const, is_function = self._declarator_name(declarator)
            if not name or is_function:
                continue
            const = (
                "const" in qualifiers or "constexpr" in qualifiers or "constexpr" in storage
            ) and not is_pointer
            if is_pointer:
                const = pointer_const
            yield StaticVariable(
                name=name,
                line=declaration.start_point[0] + 1,
                declaration_text=text.split("=")[0].strip(),
                function=function,
                mutable=not const,
                is_pointer=is_pointer,
            )

    def _all_declarator_names(self, declaration) -> set[str]:
        names = set()
        for declarator in declaration.children_by_field_name("declarator"):
            declared = self._declarator_name(declarator)[0]
            if declared:
                names.add(declared)
        if not names or declaration.has_error:
            # `_Thread_local int t;` parses as ERROR in tree-sitter-c: take the last identifier.
            identifiers = [child for child in self.walk(declaration) if child.type == "identifier"]
            if identifiers:
                names.add(self.node_text(identifiers[-1]))
        return names

    def _declarator_name(self, declarator):
        """(name, is_pointer, top-level pointer is const, is a function declarator)."""
        is_pointer = False
        pointer_const = False
        node = declarator
        first_pointer = True
        while node is not None:
            kind = node.type
            if kind in ("identifier", "field_identifier"):
                return self.node_text(node), is_pointer, pointer_const, False
            if kind in ("function_declarator", "abstract_function_declarator"):
                # A pointer to function is a variable; a function prototype is not.
                inner = node.child_by_field_name("declarator")
                if inner is not None and inner.type == "parenthesized_declarator":
                    node = inner
                    continue
                return None, False, False, True
            if kind == "pointer_declarator":
                if first_pointer:
                    pointer_const = any(
                        child.type == "type_qualifier" and self.node_text(child) == "const"
                        for child in node.children
                    )
                    first_pointer = False
                is_pointer = True
            if kind == "qualified_identifier":
                return self.node_text(node), is_pointer, pointer_const, False
            next_node = node.child_by_field_name("declarator")
            if next_node is None:
                next_node = next((child for child in node.children if child.is_named), None)
            node = next_node
        return None, False, False, False

    def _add_function(self, node) -> None:
        declarator = node.child_by_field_name("declarator")
        body = node.child_by_field_name("body")
        if declarator is None or body is None:
            return
        name = self._function_name(declarator) or "<anonymous>"
        function = FunctionInfo(name=name, node=node, body=body, start_byte=node.start_byte)
        # Parameters are locals.
        for descendant in self.walk(declarator):
            if descendant.type == "parameter_declaration":
                inner = descendant.child_by_field_name("declarator")
                if inner is not None:
                    param_name = self._declarator_name(inner)[0]
                    if param_name:
                        function.locals.add(param_name)
                        function.parameters.append(param_name)
        # This function's shared statics, kept as a set: scanning every function's statics
        # for each declaration made 20k functions with a static local take 20 s.
        shared_here = self._static_names_by_function.setdefault(name, set())
        for descendant in self.walk(body):
            if descendant.type == "declaration":
                storage = {
                    self.node_text(child)
                    for child in descendant.children
                    if child.type == "storage_class_specifier"
                }
                if "static" in storage:
                    for variable in self._declared_variables(descendant, function=name, require_static=True):
                        self.function_statics[(name, variable.name)] = variable
                        shared_here.add(variable.name)
                    # Thread-local / atomic / const statics are not shared state, and
                    # are not undeclared globals either.
                    function.locals.update(self._all_declarator_names(descendant) - shared_here)
                    continue
                for declarator_node in descendant.children_by_field_name("declarator"):
                    local_name = self._declarator_name(declarator_node)[0]
                    if local_name:
                        function.locals.add(local_name)
            elif descendant.type in ("for_range_loop",):
                inner = descendant.child_by_field_name("declarator")
                if inner is not None:
                    local_name = self._declarator_name(inner)[0]
                    if local_name:
                        function.locals.add(local_name)
            elif descendant.type == "lambda_expression":
                continue
        function.released_regions = released_regions(self.original, body.start_byte, body.end_byte)
        function.caller_holds_lock = self._caller_holds_lock(name, node)
        if not _TEARDOWN_NAME.search(name):
            body_text = _COMMENT.sub(" ", self.node_text(body))
            for pointer, getter in _STATE_POINTER.findall(body_text):
                lowered = getter.lower()
                if "thread" in lowered:
                    continue  # `get_thread_state()`: one per thread, not shared
                function.state_pointers.add(pointer)
                # The sample: `interp = get_interp_state()` was called "module state".
                if "interp" in lowered or "runtime" in lowered:
                    function.state_kinds[pointer] = "interpreter state"
        self.functions.append(function)

    def _caller_holds_lock(self, name: str, node) -> bool:
        if name.endswith(("_lock_held", "_locked", "_unlocked_impl")):
            return True
        # Argument Clinic: a `@critical_section` input block right before the _impl
        # function means the generated wrapper holds the object's critical section.
        before = self.original[max(0, node.start_byte - 4000) : node.start_byte].decode("latin-1")
        block = before.rfind("[clinic input]")
        if block == -1:
            return False
        end_marker = before.find("[clinic start generated code]", block)
        if end_marker == -1 or "@critical_section" not in before[block:end_marker]:
            return False
        trailing = before[end_marker:].split("*/", 1)
        return len(trailing) == 2 and not trailing[1].strip()

    def _function_name(self, declarator) -> str | None:
        node = declarator
        while node is not None:
            if node.type == "function_declarator":
                inner = node.child_by_field_name("declarator")
                if inner is None:
                    return None
                if inner.type in (
                    "identifier",
                    "field_identifier",
                    "qualified_identifier",
                    "destructor_name",
                    "operator_name",
                ):
                    return self.node_text(inner)
                node = inner
                continue
            node = node.child_by_field_name("declarator") or next(iter(node.named_children), None)
        return None

    def _undeclared_global(self, name: str, function: FunctionInfo, target) -> bool:
        if (
            self.language != "c"
            or name in function.locals
            or name in _NOT_GLOBALS
            or name in self.declared_names
        ):
            return False
        if name.isupper() or name.startswith("_Py") or name in self._function_names:
            return False  # macros, CPython internals behind macros, functions
        if function.node.has_error:
            return False  # a parse that went wrong may have hidden the local declaration
        if target.type != "identifier" and not self._dot_field_of(target, name):
            # `arena.block_size = n` on a header's global struct is a write to it; `p->x`
            # or `p[i]` on an unknown name may be a macro-made local pointer.
            return False
        word = re.compile(rf"\b{re.escape(name)}\b")
        header = self.original[function.node.start_byte : function.body.start_byte].decode("latin-1")
        if word.search(header):
            return False  # a K&R parameter declaration, or a macro-built signature
        before = self.original[function.body.start_byte : target.start_byte].decode("latin-1")
        # A local declared by a macro: `MPD_NEW_STATIC(tmp, ...)`, `DECLARE(name)`.
        return re.search(rf"\b[A-Z][A-Z0-9_]*\s*\([^;]*\b{re.escape(name)}\b", before) is None

    @property
    def _function_names(self) -> set[str]:
        # Asked once per candidate write: rebuilding the set each time made a file of 20k
        # functions quadratic.
        if self._function_name_set is None:
            self._function_name_set = {function.name for function in self.functions}
        return self._function_name_set

    def in_gil_only_branch(self, node) -> bool:
        """Inside an arm the free-threaded build never compiles (``#ifndef Py_GIL_DISABLED``,
        ``#if PY_VERSION_HEX < 0x030D0000``)."""
        return in_gil_only_branch(self, node)

    def _inside_once_lambda(self, node) -> bool:
        """A write inside the lambda given to std::call_once runs once, synchronised."""
        parent = self.parent_of(node)
        while parent is not None and parent.type != "function_definition":
            if parent.type == "lambda_expression":
                grandparent = self.parent_of(parent)
                call = self.parent_of(grandparent) if grandparent is not None else None
                if (
                    call is not None
                    and call.type == "call_expression"
                    and re.search(r"\bcall_once\b", self.node_text(call.child_by_field_name("function")))
                ):
                    return True
            parent = self.parent_of(parent)
        return False

    # -- writes -----------------------------------------------------------------------
    def base_identifier(self, node):
        """The variable an lvalue is rooted in: ``a`` for ``a``, ``a.b``, ``a->b[i]``, ``*a``."""
        while node is not None:
            kind = node.type
            if kind in ("identifier", "qualified_identifier"):  # `Counter::instances` by its full name
                return node
            if (
                kind in ("field_expression",)
                or kind == "subscript_expression"
                or kind == "pointer_expression"
            ):
                node = node.child_by_field_name("argument")
            elif kind in ("parenthesized_expression", "cast_expression"):
                node = node.child_by_field_name("value") or next(
                    (child for child in node.children if child.is_named), None
                )
            else:
                return None
        return None

    def _collect_writes(self, function: FunctionInfo) -> None:
        for node in self.walk(function.body):
            target = None
            if node.type == "assignment_expression":
                target = node.child_by_field_name("left")
            elif node.type == "update_expression":
                target = node.child_by_field_name("argument")
            elif node.type == "call_expression":
                callee = node.child_by_field_name("function")
                if callee is None:
                    continue
                if callee.type == "identifier" and self.node_text(callee) in SETREF_MACROS:
                    arguments = node.child_by_field_name("arguments")
                    named = [child for child in arguments.children if child.is_named] if arguments else []
                    target = named[0] if named else None
                elif callee.type == "identifier" and self.node_text(callee) in BUFFER_WRITERS:
                    arguments = node.child_by_field_name("arguments")
                    named = [child for child in arguments.children if child.is_named] if arguments else []
                    target = named[0] if named else None
                    if target is not None and target.type == "pointer_expression":
                        target = target.child_by_field_name("argument")  # memset(&state, ...)
                elif callee.type == "field_expression" and self.language == "cpp":
                    field_node = callee.child_by_field_name("field")
                    if field_node is not None and self.node_text(field_node) in CPP_MUTATORS:
                        target = callee.child_by_field_name("argument")
            if node.type == "call_expression" and target is None:
                self._out_parameter_writes(node, function)
                continue
            if target is None:
                continue
            base = self.base_identifier(target)
            if base is None:
                continue
            name = self.node_text(base)
            variable = self.resolve(name, function)
            if variable is None and name in function.state_pointers and target.type == "field_expression":
                kind = function.state_kinds.get(name, "module state")
                variable = self._module_state_field(target, name, kind)
            if variable is None and target.type != "identifier":
                # Through a pointer or reference: `alias->field = v`, `param[i].n--`.
                if name in function.aliases:
                    self.alias_writes.append((function.aliases[name], node, function))
                    continue
                if name in function.parameters and self._through_pointer(target, base):
                    index = function.parameters.index(name)
                    function.parameter_writes.setdefault(index, []).append(node)
                    continue
            if variable is None and self._undeclared_global(name, function, target):
                # C only: an identifier that is no local, parameter or static here, but
                # is assigned, comes from a header: a global defined in another file.
                variable = self.statics.setdefault(
                    name,
                    StaticVariable(
                        name=name, line=0, declaration_text=f"{name} (declared in a header: extern global)"
                    ),
                )
            if variable is None or not variable.mutable:
                continue
            if target.type == "identifier" and not variable.mutable:
                continue
            self.writes.append(
                StaticWrite(
                    variable=variable,
                    node=node,
                    function=function,
                    protected=self.is_protected(node, function)
                    or self.in_gil_only_branch(node)
                    or self._inside_once_lambda(node),
                )
            )

    def _dot_field_of(self, target, name: str) -> bool:
        """``name.field`` (or ``name.a.b``): a member of the named struct itself."""
        node = target
        while node is not None and node.type == "field_expression":
            operator = node.child_by_field_name("operator")
            if operator is None or self.node_text(operator) != ".":
                return False
            node = node.child_by_field_name("argument")
        return node is not None and node.type == "identifier" and self.node_text(node) == name

    def _through_pointer(self, target, base) -> bool:
        """The lvalue dereferences ``base`` (``p->x``, ``p[i]``, ``*p``), not just rebinds it."""
        node = target
        while node is not None and node is not base and node.id != base.id:
            if node.type == "subscript_expression" or node.type == "pointer_expression":
                return True
            if node.type == "field_expression":
                operator = node.child_by_field_name("operator")
                if operator is not None and self.node_text(operator) == "->":
                    return True
            node = self.base_child(node)
        return False

    def base_child(self, node):
        if node.type in ("field_expression", "subscript_expression", "pointer_expression"):
            return node.child_by_field_name("argument")
        if node.type in ("parenthesized_expression", "cast_expression"):
            return node.child_by_field_name("value") or next(
                (child for child in node.children if child.is_named), None
            )
        return None

    def static_argument(self, argument, function: FunctionInfo):
        """The static a call argument hands over by address: ``&s``, ``&s.f``, ``&s[i]``,
        an array ``s`` (decays to a pointer), ``s + k``, or a local alias of a static."""
        node = argument
        while node is not None and node.type in ("parenthesized_expression", "cast_expression"):
            node = node.child_by_field_name("value") or next(
                (child for child in node.children if child.is_named), None
            )
        if node is None:
            return None
        if node.type == "binary_expression":
            node = node.child_by_field_name("left")
        if node.type == "pointer_expression" and self.node_text(node).startswith("&"):
            base = self.base_identifier(node.child_by_field_name("argument"))
            if base is None:
                return None
            name = self.node_text(base)
            variable = self.resolve(name, function)
            if variable is None and name in function.aliases:
                return function.aliases[name][0]
            if variable is None and self._undeclared_global(name, function, base):
                # `&ImagingDefaultArena` where the struct is defined in another file.
                variable = self.statics.setdefault(
                    name,
                    StaticVariable(
                        name=name, line=0, declaration_text=f"{name} (declared in a header: extern global)"
                    ),
                )
            return variable if variable is not None and variable.mutable else None
        if node.type == "identifier":
            name = self.node_text(node)
            if name in function.aliases:
                return function.aliases[name][0]
            variable = self.resolve(name, function)
            if (
                variable is not None
                and variable.mutable
                and ("[" in variable.declaration_text or variable.is_pointer)
            ):
                return variable
        return None

    def _collect_aliases(self, function: FunctionInfo) -> None:
        """Locals initialised to the address of a static, or C++ references bound to one."""
        for node in self.walk(function.body):
            if node.type != "init_declarator":
                continue
            declarator = node.child_by_field_name("declarator")
            value = node.child_by_field_name("value")
            if declarator is None or value is None:
                continue
            name = self._declarator_name(declarator)[0]
            if not name or self.resolve(name, function) is not None:
                continue
            variable = None
            if declarator.type == "reference_declarator":
                base = self.base_identifier(value)
                if base is not None:
                    variable = self.resolve(self.node_text(base), function)
            elif declarator.type == "pointer_declarator" or value.type == "pointer_expression":
                variable = self.static_argument(value, function)
            if variable is not None and variable.mutable:
                function.aliases[name] = (variable, node)

    def _collect_helper_writes(self) -> list[HelperWrite]:
        """Calls that hand a static to a function of this file that writes through that
        parameter (numpy's ``_npy_alloc_cache(..., datacache, ...)``)."""
        writers = {function.name: function for function in self.functions if function.parameter_writes}
        found: list[HelperWrite] = []
        if not writers:
            return found
        for function in self.functions:
            for node in self.walk(function.body):
                if node.type != "call_expression":
                    continue
                callee_node = node.child_by_field_name("function")
                if callee_node is None or callee_node.type != "identifier":
                    continue
                callee = writers.get(self.node_text(callee_node))
                if callee is None:
                    continue
                for index, argument in enumerate(self.call_arguments(node)):
                    writes = callee.parameter_writes.get(index)
                    if not writes:
                        continue
                    variable = self.static_argument(argument, function)
                    if variable is None:
                        continue
                    unlocked = [
                        write
                        for write in writes
                        if not (self.is_protected(write, callee) or self.in_gil_only_branch(write))
                    ]
                    found.append(
                        HelperWrite(
                            variable=variable,
                            call=node,
                            caller=function,
                            callee=callee,
                            writes=unlocked,
                            protected=not unlocked
                            or self.is_protected(node, function)
                            or self.in_gil_only_branch(node)
                            or self.runs_at_import(node, function),
                        )
                    )
        return found

    def _out_parameter_writes(self, call, function: FunctionInfo) -> None:
        """Statics a libc/C-API call stores into through a pointer argument."""
        callee = call.child_by_field_name("function")
        if callee is None or callee.type != "identifier":
            return
        written = OUT_PARAMETER_WRITERS.get(self.node_text(callee))
        if written is None:
            return
        for index, argument in enumerate(self.call_arguments(call)):
            if written == "all":
                if argument.type != "pointer_expression" or not self.node_text(argument).startswith("&"):
                    continue
                inner = self.base_identifier(argument.child_by_field_name("argument"))
            elif index in written:
                inner = self.base_identifier(argument)
            else:
                continue
            if inner is None:
                continue
            variable = self.resolve(self.node_text(inner), function)
            if (
                variable is None
                or not variable.mutable
                or is_input_argument(self.node_text(callee), variable)
            ):
                continue
            self.writes.append(
                StaticWrite(
                    variable=variable,
                    node=call,
                    function=function,
                    protected=self.is_protected(call, function) or self.in_gil_only_branch(call),
                    claimed_by="out-parameter",
                )
            )

    def _module_state_field(self, target, pointer: str, kind: str = "module state") -> StaticVariable | None:
        """``st->field`` where ``st`` came from PyModule_GetState: one per interpreter, shared
        by every thread (PEP 687 isolation is not thread safety)."""
        node = target
        while node.type == "field_expression":
            inner = node.child_by_field_name("argument")
            if inner is not None and inner.type == "identifier":
                break
            node = inner
        field_node = node.child_by_field_name("field")
        if field_node is None:
            return None
        key = f"{pointer}->{self.node_text(field_node)}"
        return self.module_state_fields.setdefault(
            key,
            StaticVariable(name=key, line=0, declaration_text=f"{key}: {kind}, shared by all threads"),
        )


def parse_translation_unit(path: str, source: bytes, language: str) -> CTranslationUnit:
    return CTranslationUnit(path, source, language)
