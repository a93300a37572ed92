"""Check-then-act sequences in C/C++ functions: the read that a racing write completes.

A write to shared state is only half of most real races: ``size = g_size; if (size == 0)
{ ...; g_size = size; }`` or ``if (!free_list) refill(); x = free_list; free_list =
x->next;`` go wrong because another thread writes between this thread's read and its
write. A maintainer judging a finding needs both lines, so the rules ask here for the
read that comes first.
"""

from __future__ import annotations

import re

# Nodes an lvalue is built from: the identifier at their root is what the write changes.
_LVALUE_WRAPPERS = {
    "field_expression",
    "subscript_expression",
    "parenthesized_expression",
    "pointer_expression",
}
_NOT_A_READ_PARENTS = {"sizeof_expression", "alignof_expression"}


def _is_write_target(unit, node) -> bool:
    """Whether ``node`` (an identifier) is the root of an assignment's left-hand side."""
    child = node
    parent = unit.parent_of(node)
    while parent is not None and parent.type in _LVALUE_WRAPPERS:
        if parent.type == "subscript_expression" and parent.child_by_field_name("argument") != child:
            return False  # used as an index: `table[n]` reads `n`
        if parent.type == "pointer_expression" and unit.node_text(parent).startswith("&"):
            return True  # its address is taken, not its value read
        child, parent = parent, unit.parent_of(parent)
    if parent is None:
        return False
    if parent.type == "assignment_expression":
        operator = parent.child_by_field_name("operator")
        plain = operator is None or unit.node_text(operator) == "="
        return parent.child_by_field_name("left") == child and plain
    return parent.type in _NOT_A_READ_PARENTS


def _mentions(unit, node, write) -> bool:
    """``node`` names the written variable: the static itself, or the ``st->field`` written."""
    name = write.variable.name
    if node.type == "identifier":
        return unit.node_text(node) == name and unit.resolve(name, write.function) is write.variable
    if node.type == "field_expression" and "->" in name:
        return re.sub(r"\s+", "", unit.node_text(node)) == name
    return False


def prior_read(unit, write):
    """The first unlocked read of ``write``'s variable in its function, on an earlier line.

    That read and the write are the two statements of a check-then-act (or of a
    read-modify-write split over statements); returns None when the function only ever
    writes the variable, or reads it on the write's own line (``n++``, ``x = x + 1``).
    """
    write_line = write.node.start_point[0]
    for node in unit.walk(write.function.body):
        if node.start_point[0] >= write_line:
            break
        if node.type not in ("identifier", "field_expression") or not _mentions(unit, node, write):
            continue
        if _is_write_target(unit, node):
            continue
        if unit.is_protected(node, write.function) or unit.in_gil_only_branch(node):
            continue
        return node
    return None
