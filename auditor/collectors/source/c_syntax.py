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
from functools import lru_cache

from ...model.finding import Location
from .c_call_graph import mark_called_under_lock, mark_init_only
from .c_declarations import collect_declarations
from .c_model import FunctionInfo, HelperWrite, StaticVariable, StaticWrite
from .c_preprocessor import in_gil_only_branch
from .c_text import (
    blank_conditional_directives,
    blank_twin_openings,
    conditional_arms,
    macro_names,
    mask_statement_macros,
    platform_only_ranges,
)
from .c_vocabulary import (
    ACQUIRE,
    RELEASE,
)
from .c_writes import (
    collect_aliases,
    collect_helper_writes,
    collect_writes,
)

_EARLY_EXIT = re.compile(r"[^;{}]*;\s*(?:return\b|goto\b|break\s*;|continue\s*;)")
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)

_TUPLE_ASSERT = r"\bassert\s*\(\s*PyTuple_Check(?:Exact)?\s*\(\s*{}\s*\)"
_KWARGS_NAMES = {"kwds", "kwargs", "kw", "keywds", "kwnames_dict"}
# Calls that return a new container only the caller holds.
CONTAINER_CONSTRUCTORS = (
    "PyDict_New|PyList_New|PyTuple_New|PyDict_Copy|PySequence_List|PySequence_Tuple|"
    "PyList_AsTuple|PyList_GetSlice|PyDict_Items|PyDict_Keys|PyDict_Values|PyMapping_Items|"
    "PyMapping_Keys|PyMapping_Values|Py_BuildValue|PyObject_Dir|_PyDict_NewPresized|"
    "PyDict_Copy|PySet_New|PyFrozenSet_New|PyObject_CallNoArgs|_PyTuple_FromArray|"
    # A list the string methods build afresh, and the dict each thread has of its own.
    "PyUnicode_Split|PyUnicode_RSplit|PyUnicode_Splitlines|PyThreadState_GetDict|_PyThreadState_GetDict|"
    "PyTuple_GetSlice"
)
# What makes a new object no other thread holds yet: a container constructor or an
# object allocator (`self = PyObject_GC_New(ElementObject, type)` in create_new_element).
_FRESH_MAKERS = rf"(?:{CONTAINER_CONSTRUCTORS}|PyObject_(?:GC_)?New(?:Var)?|PyType_GenericAlloc)"


# An ERROR node longer than this hides functions, not just one unexpanded macro.
_LARGE_PARSE_ERROR = 40


def _unparsed_lines(root) -> int:
    """Lines covered by the top-level ERROR nodes of a parse (a nested one is inside them)."""
    total, pending = 0, [root]
    while pending:
        node = pending.pop()
        if node.type == "ERROR":
            total += node.end_point[0] - node.start_point[0] + 1
        elif node.has_error:
            pending.extend(node.children)
    return total


def _count_functions(root) -> int:
    total, pending = 0, [root]
    while pending:
        node = pending.pop()
        if node.type == "function_definition":
            total += 1
        else:
            pending.extend(node.children)
    return total


@lru_cache(maxsize=2)
def _parser(language: str):
    import tree_sitter

    if language == "cpp":
        import tree_sitter_cpp as grammar
    else:
        import tree_sitter_c as grammar
    return tree_sitter.Parser(tree_sitter.Language(grammar.language()))


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
        self.source = blank_twin_openings(mask_statement_macros(source))
        # Set when the tree had to be built with the #if lines blanked: the arms, from the text.
        self.text_arms: list | None = None
        self.tree = _parser(language).parse(self.source)
        if _unparsed_lines(self.tree.root_node) > _LARGE_PARSE_ERROR:
            # Preprocessor arms woven through the syntax: read the file with all arms in place
            # when that loses less of it (the preprocessor-arm questions then see no arms).
            flattened = blank_conditional_directives(self.source)
            tree = _parser(language).parse(flattened)
            # Taken only when it reads far more of the file and loses no function: arms that
            # each open a brace (`#if A\n f(int a) {\n#else\n f(void) {`) merge functions.
            if 2 * _unparsed_lines(tree.root_node) < _unparsed_lines(
                self.tree.root_node
            ) and _count_functions(tree.root_node) >= _count_functions(self.tree.root_node):
                self.source, self.tree = flattened, tree
                self.text_arms = conditional_arms(self.original.decode("latin-1"))
        self.root = self.tree.root_node
        self.statics: dict[str, StaticVariable] = {}
        self.declared_names: set[str] = macro_names(self.text)  # file-scope declarators and #defines
        self._scope_marks: tuple[list[int], list[bool]] | None = None
        self._parents: dict[int, object] | None = None
        self._function_name_set: set[str] | None = None
        self._fresh_returning: str | None = None
        self.module_state_fields: dict[str, StaticVariable] = {}
        self.function_statics: dict[tuple[str, str], StaticVariable] = {}
        self._static_names_by_function: dict[str, set[str]] = {}
        self.functions: list[FunctionInfo] = []
        collect_declarations(self)
        # (call node, calling function) per helper only ever called, never put in a table.
        self.call_sites: dict[str, list] = mark_init_only(self)
        mark_called_under_lock(self, self.call_sites)
        self.writes: list[StaticWrite] = []
        # (static and alias declaration, write node, function): writes through a local alias.
        self.alias_writes: list[tuple[tuple[StaticVariable, object], object, FunctionInfo]] = []
        for function in self.functions:
            collect_aliases(self, function)
            collect_writes(self, function)
        self._claim_writes()
        self.helper_writes: list[HelperWrite] = collect_helper_writes(self)

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

    def line_location(self, line: int) -> Location:
        """A whole line, for the second statement of a pair found in text (a store inside a
        block, the read of a result), where there is no node of its own to point at."""
        text = self.lines[line - 1] if 1 <= line <= len(self.lines) else ""
        return Location(
            path=self.path,
            line=line,
            column=len(text) - len(text.lstrip()) + 1,
            end_line=line,
            end_column=len(text) + 1,
            snippet=text.strip(),
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

    def takes_a_lock(self, function: FunctionInfo) -> bool:
        """Whether the function holds a lock anywhere (or its caller does)."""
        return function.caller_holds_lock or any(depth > 0 for depth in self._lock_events(function)[1])

    def _platform_only_ranges(self) -> list[tuple[int, int]]:
        cached = getattr(self, "_platform_ranges", None)
        if cached is None:
            cached = self._platform_ranges = platform_only_ranges(self.original.decode("latin-1"))
        return cached

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
            # A lock only some platforms take (`#if defined(__APPLE__)`) guards nothing elsewhere.
            platform_only = self._platform_only_ranges()
            if platform_only:
                events = [
                    event
                    for event in events
                    if not any(low <= start + event[0] < high for low, high in platform_only)
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
        constructors = f"{CONTAINER_CONSTRUCTORS}|{self._fresh_returning_functions()}"
        if not self._made_here(name, function, constructors):
            return False
        # `cache = self->cache; if (cache == NULL) cache = PyDict_New();`: made here on one
        # path only; on the other it is the object's shared dict.
        body = _COMMENT.sub(" ", self.node_text(function.body))
        if re.search(_TUPLE_ASSERT.format(re.escape(name)), body):
            return True  # asserted to be a tuple: immutable, whoever made it
        sources = re.findall(rf"(?<![\w.>]){re.escape(name)}\s*=(?!=)\s*(?:\([^()]*\)\s*)?([^;,]*)[;,]", body)
        return all(
            re.match(rf"\s*(?:{constructors})\s*\(", source)
            or re.fullmatch(r"\s*(?:NULL|nullptr|0)\s*", source)
            for source in sources
        )

    def _made_here(self, name: str, function: FunctionInfo, constructors: str) -> bool:
        body, word = _COMMENT.sub(" ", self.node_text(function.body)), re.escape(name)
        # Made here by a constructor, or asserted to be a tuple (immutable: nothing to race on).
        made = rf"\b{word}\s*=\s*(?:\([^)]*\)\s*)?(?:{constructors})\s*\(|{_TUPLE_ASSERT.format(word)}"
        return re.search(made, body) is not None

    def _only_ever_made(self, name: str, function: FunctionInfo, body: str) -> bool:
        """Every assignment to local ``name`` is a constructor call and it is never stored in a
        container: ``x = PyDict_GetItem(...); if (!x) x = PyDict_New();`` returns a shared one."""
        if name not in function.locals:
            return False
        word = re.escape(name)
        assignments = re.findall(rf"\b{word}\s*=(?!=)\s*(?:\([^)]*\)\s*)?(\w*)", body)
        # Stored into another container (`PyList_Append(out, name)`); filling it, with the
        # name as the first argument (`PyList_Append(name, item)`), keeps it private.
        published = re.search(
            rf"\b\w*(?:SetItem\w*|Append|Insert|SET_ITEM|SetAttr\w*)\s*\((?!\s*{word}\s*,)[^;]*\b{word}\b",
            body,
        )
        return (
            bool(assignments)
            and not published
            and all(re.fullmatch(_FRESH_MAKERS, callee) for callee in assignments)
        )

    def _fresh_returning_functions(self) -> str:
        """This file's helpers that return only containers they made (``get_dotted_path``
        returning its ``PyUnicode_Split`` list), as a regex alternation: what they hand back
        is as private to the caller as a constructor's result."""
        if self._fresh_returning is None:
            names = []
            for function in self.functions:
                body = _COMMENT.sub(" ", self.node_text(function.body))
                returned = set(
                    re.findall(r"\breturn\s+(?:\([^()]*\)\s*)?\(?\s*([A-Za-z_]\w*)\s*\)?\s*;", body)
                ) - {
                    "NULL",
                    "nullptr",
                }
                if returned and all(self._only_ever_made(name, function, body) for name in returned):
                    names.append(re.escape(function.name))
            self._fresh_returning = "|".join(names) or r"(?!)"
        return self._fresh_returning

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

    # -- writes -----------------------------------------------------------------------


def parse_translation_unit(path: str, source: bytes, language: str) -> CTranslationUnit:
    return CTranslationUnit(path, source, language)
