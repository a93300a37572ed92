"""Which preprocessor arms a C/C++ node sits in, and whether a free-threaded build compiles them.

tree-sitter keeps ``#if``/``#else`` arms as nodes, so the arms around a statement can be
read off the tree. Two kinds of arm never run in the code the rules care about: the GIL
build's (``#ifndef Py_GIL_DISABLED``, or an ``#if PY_VERSION_HEX < 0x030D0000`` arm, since
the free-threaded build only exists from 3.13), and the portable fallback of a check for a
reentrant libc variant (the ``#else`` of ``#ifdef HAVE_GETPWNAM_R``): a platform that
builds it has no reentrant call to use.
"""

from __future__ import annotations

import re

_ELSE_ARMS = ("preproc_else", "preproc_elif", "preproc_elifdef")
# `PY_VERSION_HEX < 0x030D0000`, `PY_VERSION_HEX >= 0x030C0000`: one comparison with a version.
_VERSION_TEST = re.compile(r"PY_VERSION_HEX\s*(<=|>=|<|>)\s*(0x[0-9A-Fa-f]+)")
_FREE_THREADED_SINCE = 0x030D0000
_REENTRANT_CHECK = re.compile(r"\bHAVE_\w+_R\b")


def enclosing_arms(unit, node):
    """(first line of the ``#if``, whether ``node`` is in an ``#else``/``#elif`` arm), innermost first."""
    text_arms = getattr(unit, "text_arms", None)
    if text_arms is not None:  # the file was parsed with its directives blanked
        around = [arm for arm in text_arms if arm[0] <= node.start_byte < arm[1]]
        for _, _, chain in sorted(around, key=lambda arm: -arm[0]):
            yield from chain
        return
    child = node
    parent = unit.parent_of(node)
    while parent is not None:
        # An `#elif B` arm is an `#if B` of its own inside the `#else` of the `#if` before it.
        if parent.type in ("preproc_ifdef", "preproc_if", "preproc_elif", "preproc_elifdef"):
            condition = unit.node_text(parent).split("\n", 1)[0]
            yield re.sub(r"^\s*#\s*elif", "#if", condition), child.type in _ELSE_ARMS
        child, parent = parent, unit.parent_of(parent)


def _gil_only_arm(condition: str, in_else: bool) -> bool:
    if "Py_GIL_DISABLED" in condition:
        negated = condition.lstrip().startswith("#ifndef") or "!" in condition
        return negated != in_else
    version = _VERSION_TEST.search(condition)
    if version is None or "&&" in condition or "||" in condition:
        return False
    operator, value = version.group(1), int(version.group(2), 16)
    if operator in ("<", "<="):
        # True only on versions before 3.13: the `#if` arm is GIL-only.
        return not in_else and (
            value < _FREE_THREADED_SINCE or (operator == "<" and value == _FREE_THREADED_SINCE)
        )
    # `>=`/`>` an older version: the `#else` arm is what only older versions compile.
    return in_else and (value < _FREE_THREADED_SINCE or (operator == ">=" and value == _FREE_THREADED_SINCE))
    return False


# A build without threads: `#elif defined(BOOST_MATH_BERNOULLI_NOTHREADS)`, `#ifndef WITH_THREAD`.
_NO_THREADS = re.compile(r"NO_?THREADS?\b|UNTHREADED|SINGLE_?THREAD", re.IGNORECASE)
_THREADS = re.compile(r"\b(?:\w*_)?(?:HAS_THREADS|WITH_THREADS?|USE_THREADS)\b")


def _single_threaded_arm(condition: str, in_else: bool) -> bool:
    if "&&" in condition or "||" in condition:
        return False
    negated = condition.lstrip().startswith("#ifndef") or "!" in condition
    if _NO_THREADS.search(condition):
        return negated == in_else
    if _THREADS.search(condition):
        return negated != in_else
    return False


# `#ifdef XML_TESTING`, `#if defined(UNIT_TEST)`: code only a project's own test build has.
_TEST_BUILD = re.compile(r"\b(?:\w+_)?(?:TESTING|UNIT_TESTS?|UNITTESTS?|TEST_BUILD)\b")


def _test_build_arm(condition: str, in_else: bool) -> bool:
    if "&&" in condition or "||" in condition or not _TEST_BUILD.search(condition):
        return False
    negated = condition.lstrip().startswith("#ifndef") or "!" in condition
    return negated == in_else


def in_gil_only_branch(unit, node) -> bool:
    """Inside an arm the free-threaded build never compiles (see the module docstring), one
    only a build without threads compiles, or one only the project's test build compiles."""
    return any(
        _gil_only_arm(condition, in_else)
        or _single_threaded_arm(condition, in_else)
        or _test_build_arm(condition, in_else)
        for condition, in_else in enclosing_arms(unit, node)
    )


def in_reentrant_fallback(unit, node) -> bool:
    """Inside the ``#else`` of ``#ifdef HAVE_*_R`` (or ``#if defined(HAVE_*_R)``)."""
    for condition, in_else in enclosing_arms(unit, node):
        if _REENTRANT_CHECK.search(condition):
            negated = condition.lstrip().startswith("#ifndef") or "!" in condition
            return in_else != negated
    return False
