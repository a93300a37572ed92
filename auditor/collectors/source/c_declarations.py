"""What a C/C++ file declares: its statics, its functions and what each function holds.

One pass over the top level finds file-scope variables (shared unless const, atomic or
thread-local) and function definitions; each function's parameters, locals,
function-level statics, GIL-released regions and state pointers come from its body.
"""

from __future__ import annotations

import bisect
import re

from .c_model import FunctionInfo, StaticVariable
from .c_text import brace_scopes, released_regions
from .c_vocabulary import SYNCHRONISED_TYPE, THREAD_LOCAL_TOKENS, THREAD_SPECIFIER_MACRO

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
# `st = PyModule_GetState(m)`, `state = get_module_state(module)`, `st = find_state_by_type(tp)`.
_STATE_GETTERS = (
    r"PyModule_GetState|_PyModule_GetState|PyType_GetModuleState|"
    r"\w*get_\w*state|\w*find_\w*state\w*|\w*_state_from_\w+"
)
_STATE_POINTER_FORM = r"\b(\w+)\s*=\s*(?:\([^()]*\)\s*)?({getters})\s*\("
_STATE_POINTER = re.compile(_STATE_POINTER_FORM.format(getters=_STATE_GETTERS))
# Module teardown (m_clear / m_free / tp_traverse) runs when no other thread uses the module;
# an object's tp_dealloc / tp_finalize does not: any thread drops the last reference.
_TEARDOWN_NAME = re.compile(r"(?:clear|free|traverse|fini)$", re.IGNORECASE)


def collect_declarations(unit) -> None:
    for child in unit.root.children:
        collect_top_level(unit, child)
    # After every function is known, so a file's own state getter counts wherever it sits.
    getters = _state_getters(unit)
    state_pointer = _state_pointer_pattern(getters)
    state_types = _module_state_types(unit, getters)
    for function in unit.functions:
        if not _TEARDOWN_NAME.search(function.name):
            _collect_state_pointers(unit, function, function.body, state_pointer)
            # `static void set_simd_path(pybase64_state *state, ...)`: a helper handed the
            # module state works on the one object every thread's calls share.
            for parameter, type_name in function.pointer_parameter_types.items():
                if type_name in state_types:
                    function.state_pointers.add(parameter)


# `(pybase64_state *)PyModule_GetState(m)`, `my_state *st = get_my_state(m)`: the struct
# type the module keeps its state in.
_STATE_CAST = re.compile(
    r"\(\s*(?:struct\s+)?(\w+)\s*\*\s*\)\s*(?:PyModule_GetState|_PyModule_GetState|PyType_GetModuleState)\s*\("
)
_STATE_DECLARATION_FORM = r"\b(\w+)\s*\*\s*\w+\s*=\s*(?:\([^()]*\)\s*)?(?:{getters})\s*\("
_NOT_STATE_TYPES = {"void", "PyObject", "char", "PyInterpreterState", "PyThreadState"}


def _module_state_types(unit, getters: set[str]) -> set[str]:
    text = _COMMENT.sub(" ", unit.text)
    names = "|".join([_STATE_GETTERS, *(re.escape(name) for name in sorted(getters))])
    found = set(_STATE_CAST.findall(text)) | set(
        re.findall(_STATE_DECLARATION_FORM.format(getters=names), text)
    )
    return {name for name in found if name not in _NOT_STATE_TYPES and "thread" not in name.lower()}


# `return (my_state *)PyModule_GetState(module);`: the function is a state getter, whatever
# it is called (`stringzilla_state_()`, `mod_st()`), and locals set from it hold module state.
_RETURNS_STATE = re.compile(
    r"\breturn\b[^;]*\b(?:PyModule_GetState|_PyModule_GetState|PyType_GetModuleState|"
    r"PyType_GetModuleByDef|PyState_FindModule)\s*\("
)


def _state_getters(unit) -> set[str]:
    getters: set[str] = set()
    for function in unit.functions:
        if function.body.end_byte - function.body.start_byte > 1200:
            continue  # a getter is a few lines; a long function that returns state is not one
        if _RETURNS_STATE.search(_COMMENT.sub(" ", unit.node_text(function.body))):
            getters.add(function.name)
    return getters


def _state_pointer_pattern(getters: set[str]) -> re.Pattern:
    if not getters:
        return _STATE_POINTER
    names = "|".join(re.escape(name) for name in sorted(getters, key=len, reverse=True))
    return re.compile(_STATE_POINTER_FORM.format(getters=f"{_STATE_GETTERS}|{names}"))


def collect_top_level(unit, node) -> None:
    kind = node.type
    if kind == "declaration":
        unit.declared_names.update(all_declarator_names(unit, node))
        if not at_namespace_scope(unit, node.start_byte):
            return  # a class member that a parse error (an export macro) lifted to the top
        for variable in declared_variables(unit, node, function=None, require_static=False):
            unit.statics.setdefault(variable.name, variable)
    elif kind == "function_definition":
        add_function(unit, node)
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
            collect_top_level(unit, child)
    elif kind == "template_declaration":
        for child in node.children:
            if child.type == "function_definition":
                add_function(unit, child)
    elif kind in ("class_specifier", "struct_specifier"):
        body = node.child_by_field_name("body")
        if body is not None:
            for child in body.children:
                if child.type == "function_definition":
                    add_function(unit, child)


def at_namespace_scope(unit, offset: int) -> bool:
    """Whether ``offset`` is outside every brace except ``namespace`` / ``extern "C"`` ones.

    Counted on the text, not the tree: ``class ARROW_EXPORT Reader {`` (an export macro)
    breaks tree-sitter's class, and its members then surface as top-level
    declarations. Brace depth tells a member from a global whatever the parse did.
    """
    if unit._scope_marks is None:
        unit._scope_marks = brace_scopes(
            unit.text if len(unit.text) == len(unit.original) else unit.original.decode("latin-1")
        )
    index = bisect.bisect_right(unit._scope_marks[0], offset) - 1
    return index < 0 or unit._scope_marks[1][index]


def declared_variables(unit, declaration, function: str | None, require_static: bool):
    specifiers = [child for child in declaration.children if child.type == "storage_class_specifier"]
    storage = {unit.node_text(child) for child in specifiers}
    if storage & {"typedef", "register", "auto"} or declaration.type != "declaration":
        return
    if require_static and "static" not in storage:
        return
    text = unit.node_text(declaration)
    if THREAD_LOCAL_TOKENS.search(text):
        return
    first = declaration.child_by_field_name("declarator")
    prefix = unit.source[declaration.start_byte : first.start_byte].decode("latin-1") if first else ""
    if THREAD_SPECIFIER_MACRO.search(prefix):
        return  # `static SPEC___THREAD char *fmt;`: a project's macro for __thread
    type_node = declaration.child_by_field_name("type")
    type_text = unit.node_text(type_node) if type_node is not None else ""
    qualifiers = {unit.node_text(child) for child in declaration.children if child.type == "type_qualifier"}
    if SYNCHRONISED_TYPE.search(type_text) or "_Atomic" in qualifiers:
        return
    for declarator in declaration.children_by_field_name("declarator"):
        name, is_pointer, pointer_const, is_function = declarator_name(unit, declarator)
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


def all_declarator_names(unit, declaration) -> set[str]:
    names = set()
    for declarator in declaration.children_by_field_name("declarator"):
        declared = declarator_name(unit, declarator)[0]
        if declared:
            names.add(declared)
    if not names or declaration.has_error:
        # `_Thread_local int t;` parses as ERROR in tree-sitter-c: take the last identifier.
        identifiers = [child for child in unit.walk(declaration) if child.type == "identifier"]
        if identifiers:
            names.add(unit.node_text(identifiers[-1]))
    return names


def declarator_name(unit, declarator):
    """(name, is_pointer, top-level pointer is const, is a function declarator)."""
    is_pointer = False
    pointer_const = False
    node = declarator
    first_pointer = True
    while node is not None:
        kind = node.type
        if kind in ("identifier", "field_identifier"):
            return unit.node_text(node), is_pointer, pointer_const, False
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
                    child.type == "type_qualifier" and unit.node_text(child) == "const"
                    for child in node.children
                )
                first_pointer = False
            is_pointer = True
        if kind == "qualified_identifier":
            return unit.node_text(node), is_pointer, pointer_const, False
        next_node = node.child_by_field_name("declarator")
        if next_node is None:
            next_node = next((child for child in node.children if child.is_named), None)
        node = next_node
    return None, False, False, False


def add_function(unit, node) -> None:
    declarator = node.child_by_field_name("declarator")
    body = node.child_by_field_name("body")
    if declarator is None or body is None:
        return
    name = function_name(unit, declarator) or "<anonymous>"
    function = FunctionInfo(name=name, node=node, body=body, start_byte=node.start_byte)
    # Parameters are locals.
    for descendant in unit.walk(declarator):
        if descendant.type == "parameter_declaration":
            inner = descendant.child_by_field_name("declarator")
            param_name = declarator_name(unit, inner)[0] if inner is not None else None
            if param_name:
                function.locals.add(param_name)
                function.parameters.append(param_name)
                type_node = descendant.child_by_field_name("type")
                if inner.type == "pointer_declarator" and type_node is not None:
                    function.pointer_parameter_types[param_name] = unit.node_text(type_node).strip()
    _collect_locals(unit, function, body)
    function.released_regions = released_regions(unit.original, body.start_byte, body.end_byte)
    function.caller_holds_lock = caller_holds_lock(unit, name, node)
    unit.functions.append(function)


def _collect_locals(unit, function: FunctionInfo, body) -> None:
    """Locals and function-level statics declared in the body."""
    name = function.name
    # This function's shared statics, kept as a set: scanning every function's statics
    # for each declaration made 20k functions with a static local take 20 s.
    shared_here = unit._static_names_by_function.setdefault(name, set())
    for descendant in unit.walk(body):
        if descendant.type == "declaration":
            storage = {
                unit.node_text(child)
                for child in descendant.children
                if child.type == "storage_class_specifier"
            }
            if "static" in storage:
                for variable in declared_variables(unit, descendant, function=name, require_static=True):
                    unit.function_statics[(name, variable.name)] = variable
                    shared_here.add(variable.name)
                # Thread-local / atomic / const statics are not shared state, and
                # are not undeclared globals either.
                function.locals.update(all_declarator_names(unit, descendant) - shared_here)
                continue
            declarators = descendant.children_by_field_name("declarator")
        elif descendant.type == "for_range_loop":
            declarators = [descendant.child_by_field_name("declarator")]
        else:
            continue
        for declarator_node in declarators:
            local_name = declarator_name(unit, declarator_node)[0] if declarator_node is not None else None
            if local_name:
                function.locals.add(local_name)


def _collect_state_pointers(unit, function: FunctionInfo, body, state_pointer: re.Pattern) -> None:
    """Locals holding the module (or interpreter) state: ``st = get_module_state(module)``."""
    body_text = _COMMENT.sub(" ", unit.node_text(body))
    for pointer, getter in state_pointer.findall(body_text):
        lowered = getter.lower()
        if "thread" in lowered:
            continue  # `get_thread_state()`: one per thread, not shared
        function.state_pointers.add(pointer)
        # The sample: `interp = get_interp_state()` was called "module state".
        if "interp" in lowered or "runtime" in lowered:
            function.state_kinds[pointer] = "interpreter state"


def caller_holds_lock(unit, name: str, node) -> bool:
    if name.endswith(("_lock_held", "_locked", "_unlocked_impl")):
        return True
    # Argument Clinic: a `@critical_section` input block right before the _impl
    # function means the generated wrapper holds the object's critical section.
    before = unit.original[max(0, node.start_byte - 4000) : node.start_byte].decode("latin-1")
    block = before.rfind("[clinic input]")
    if block == -1:
        return False
    end_marker = before.find("[clinic start generated code]", block)
    if end_marker == -1 or "@critical_section" not in before[block:end_marker]:
        return False
    trailing = before[end_marker:].split("*/", 1)
    return len(trailing) == 2 and not trailing[1].strip()


def function_name(unit, declarator) -> str | None:
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
                return unit.node_text(inner)
            node = inner
            continue
        node = node.child_by_field_name("declarator") or next(iter(node.named_children), None)
    return None
