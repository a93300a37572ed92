"""The records the C/C++ fact collectors produce and the rules read.

A static variable, a write to one, a function with what the collectors learnt about it,
and a static handed to a helper that writes through its parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    # The type named by each pointer parameter (`pybase64_state *state` -> "pybase64_state").
    pointer_parameter_types: dict[str, str] = field(default_factory=dict)
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
