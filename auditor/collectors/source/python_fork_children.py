"""Functions that run only in a freshly forked child, which has one thread.

``os.register_at_fork(after_in_child=reset)`` runs ``reset`` in the child before any
other thread exists there; so does a function whose name says it runs after a fork
(``_after_fork``, ``reset_after_fork``, ``_at_fork_reinit``) or whose docstring says it
is called only in a forked process. Their writes to module state re-create what the
parent's threads left behind and race with nothing.
"""

from __future__ import annotations

import ast
import re

_AFTER_FORK_NAME = re.compile(r"(after|at|post)_?fork|fork_?child|in_child", re.IGNORECASE)
# `register_after_fork(obj, func)` is called in the parent, from any thread.
_REGISTERS_HANDLER = re.compile(r"^_*(register|unregister|add|install|remove|set)_", re.IGNORECASE)
_FORK_ONLY_SENTENCE = re.compile(
    r"\bonly\b[^.]*\bfork(ed)?\b[^.]*\b(child|process)\b|\bfork(ed)?\b[^.]*\b(child|process)\b[^.]*\bonly\b",
    re.IGNORECASE,
)
_CALLER_WORDS = re.compile(r"\b(call|called|run|runs|invoked)\b", re.IGNORECASE)


def _says_fork_child_only(docstring: str | None) -> bool:
    if not docstring:
        return False
    sentences = re.split(r"\.\s", " ".join(docstring.split()))
    return any(_FORK_ONLY_SENTENCE.search(text) and _CALLER_WORDS.search(text) for text in sentences)


def fork_child_functions(tree: ast.Module) -> set[str]:
    """Names of the module's functions that run only in a forked child."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called != "register_at_fork":
                continue
            for keyword in node.keywords:
                if keyword.arg != "after_in_child":
                    continue
                value = keyword.value
                name = value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", None)
                if name:
                    names.add(name)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            named = _AFTER_FORK_NAME.search(node.name) and not _REGISTERS_HANDLER.search(node.name)
            if named or _says_fork_child_only(ast.get_docstring(node)):
                names.add(node.name)
    return names
