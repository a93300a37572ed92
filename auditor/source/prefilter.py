"""A text pre-filter that keeps most Python files away from LibCST.

LibCST needs about 35 ms per thousand lines here (numpy+scipy+pandas: ~150 s on one
core), while these regular expressions read the same text in well under a millisecond.
The filter is deliberately generous: it answers "could the LibCST pass find an event in
this file?" and may say yes too often, never no too often. A file reaches LibCST only
if it has a ``global`` statement, or a module-level container whose name is later
mutated or iterated on an indented line, or a class-level container mutated through
``self``/``cls``/the class, or a ``cls.x is None`` style singleton check. The test
suite checks that it never hides a finding the full pass would make.
"""

from __future__ import annotations

import re

from .python_analysis import MUTABLE_FACTORIES, MUTATING_METHODS

_FACTORY_ALTERNATION = "|".join(sorted(MUTABLE_FACTORIES))
_MUTATOR_ALTERNATION = "|".join(sorted(MUTATING_METHODS))

_GLOBAL_STATEMENT = re.compile(r"^[ \t]+global[ \t]+\w", re.MULTILINE)
_MODULE_CONTAINER = re.compile(
    rf"^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*(?:[\[{{]|(?:[A-Za-z_]\w*\.)*(?:{_FACTORY_ALTERNATION})[ \t]*\()",
    re.MULTILINE)
_CLASS_LEVEL_CONTAINER = re.compile(
    rf"^[ \t]+([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*(?:[\[{{]|(?:[A-Za-z_]\w*\.)*(?:{_FACTORY_ALTERNATION})[ \t]*\()",
    re.MULTILINE)
_SINGLETON_CHECK = re.compile(r"\b(?:cls|[A-Z]\w*)\.\w+\s+(?:is|==)\s+None\b|\bnot\s+hasattr\s*\(|"
                              r"\bnot\s+(?:cls|[A-Z]\w*)\.\w+\s*:")


def _use_pattern(names: set[str], owner: str = "") -> re.Pattern[str]:
    alternation = "|".join(sorted(re.escape(name) for name in names))
    return re.compile(
        rf"^[ \t]+.*?{owner}\b(?:{alternation})\b\s*(?:\[|\.\s*(?:{_MUTATOR_ALTERNATION}|items|keys|values)\b)"
        rf"|^[ \t]+.*\bin\s+{owner}(?:{alternation})\b"
        rf"|^[ \t]+del\s+{owner}(?:{alternation})\b",
        re.MULTILINE)


def python_needs_full_analysis(text: str) -> bool:
    if _GLOBAL_STATEMENT.search(text):
        return True
    if _SINGLETON_CHECK.search(text):
        return True
    module_containers = set(_MODULE_CONTAINER.findall(text))
    if module_containers and _use_pattern(module_containers).search(text):
        return True
    class_containers = set(_CLASS_LEVEL_CONTAINER.findall(text))
    if class_containers and "class " in text:
        owner = r"(?:self|cls|mcs|metacls|[A-Z]\w*)\s*\.\s*"
        if _use_pattern(class_containers, owner).search(text):
            return True
    return False
