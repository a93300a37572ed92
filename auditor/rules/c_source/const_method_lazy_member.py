"""FTC032: a C++ ``const`` member function that fills a member of the object on first use."""

from __future__ import annotations

import re

from ...collectors.source.c_model import FunctionInfo
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
# `if (!index_)`, `if (index_ == nullptr)`, `if (!this->index_)`, `if (!index_.get())`.
_UNSET = (
    r"!\s*\(?\s*(?:this\s*->\s*)?({name})\s*(?:\.\s*get\s*\(\s*\))?\s*\)?\s*$"
    r"|^\s*\(?\s*(?:this\s*->\s*)?({name})\s*(?:\.\s*get\s*\(\s*\))?\s*==\s*(?:nullptr|NULL|0)\s*\)?\s*$"
)
_MEMBER_NAME = r"[A-Za-z_]\w*"
# A store that fills the member: `m = ...`, `m.reset(...)`, `m = std::make_unique<...>(...)`.
_FILL = r"(?<![\w.>])(?:this\s*->\s*)?{member}\s*(?:=(?!=)|\.\s*reset\s*\(\s*[^)\s])"


def _qualified_method(unit, function) -> tuple[str, str] | None:
    """(class, method) for an out-of-line definition ``T *Class::method(...) const``."""
    header = unit.source[function.node.start_byte : function.body.start_byte].decode("latin-1")
    match = re.search(r"\b(\w+)\s*::\s*(~?\w+)\s*\(", header)
    return (match.group(1), match.group(2)) if match else None


def _is_const_method(unit, function) -> bool:
    header = unit.source[function.node.start_byte : function.body.start_byte].decode("latin-1")
    return re.search(r"\)\s*const\b[^()]*$", _COMMENT.sub(" ", header).strip()) is not None


def _const_cast_classes(text: str) -> set[str]:
    """Classes whose const methods cast ``this`` to non-const: the object's non-const
    methods then run from calls that the class presents as read-only."""
    return set(re.findall(r"const_cast\s*<\s*(?:const\s+)?(\w+)\s*[*&]\s*>\s*\(\s*\*?\s*this\s*\)", text))


@register
class ConstMethodLazyMember(CSourceRule):
    """``if (!index_) index_.reset(new Index(...));`` inside ``Geometry::index() const``.

    The C++ standard library's rule, which every C++ codebase that shares objects relies
    on, is that ``const`` member functions may be called on one object from several
    threads at once. A ``const`` method that builds a cache on first use (a ``mutable``
    member, or one reached through ``const_cast<T *>(this)``) breaks it: two threads find
    the member empty, both build, and one ``reset`` frees the index the other thread is
    already walking. Python bindings make this the common case: a wrapped geometry or
    font object is read from every thread of a free-threaded interpreter.

    Reported: in a ``const`` method of a class (or any method of a class whose ``const``
    methods ``const_cast`` away ``this``), an ``if`` that tests a member for empty and
    then fills it, with no lock; the test and the fill are both reported. Not reported:
    locals and parameters, code under a lock, ``std::call_once``.
    """

    code = "FTC032"
    name = "const-method-lazy-member"
    severity = Severity.WARNING
    summary = "a const member function fills a member on first use, with no lock"
    languages = frozenset({"cpp"})
    fix = (
        "Build the member eagerly in the constructor, guard the test and the fill with a mutex "
        "(std::lock_guard) or std::call_once, or publish it with std::atomic<std::shared_ptr<T>> "
        "and compare_exchange."
    )
    references = ["https://en.cppreference.com/w/cpp/language/cv#mutable_specifier"]
    invalid = [
        Example(
            '#include <memory>\n#include "Prepared.h"\n'
            "Index *Prepared::getIndex() const {\n"
            "    if (!index) {\n        index.reset(new Index(&getGeometry()));\n    }\n"
            "    return index.get();\n}\n",
            language="cpp",
            note="a mutable cache filled by a const method",
        ),
        Example(
            '#include "Prepared.h"\n'
            "Finder *Prepared::finder() {\n"
            "    if (finder_ == nullptr)\n        finder_ = new Finder(segments);\n    return finder_;\n}\n"
            "bool Prepared::intersects(const Geometry *g) const {\n"
            "    Prepared &self = *(const_cast<Prepared *>(this));\n"
            "    return self.finder()->intersects(g);\n}\n",
            language="cpp",
            note="a const method reaches the lazy getter by casting away const",
        ),
    ]
    valid = [
        Example(
            '#include <mutex>\n#include "Prepared.h"\n'
            "Index *Prepared::getIndex() const {\n"
            "    std::lock_guard<std::mutex> guard(mutex_);\n"
            "    if (!index) {\n        index.reset(new Index(&getGeometry()));\n    }\n"
            "    return index.get();\n}\n",
            language="cpp",
        ),
        Example(
            '#include "Builder.h"\n'
            "Index *Builder::getIndex() {\n"
            "    if (!index) {\n        index.reset(new Index(items));\n    }\n"
            "    return index.get();\n}\n",
            language="cpp",
            note="a non-const method of a class that never bends const: the caller owns the object",
        ),
    ]

    @classmethod
    def check(cls, unit):
        bent = _const_cast_classes(_COMMENT.sub(" ", unit.text))
        for function in unit.functions:
            qualified = _qualified_method(unit, function)
            if qualified is None or function.caller_holds_lock:
                continue
            class_name, method = qualified
            if method.lstrip("~") == class_name:
                continue  # construction and destruction: nobody else holds the object
            const = _is_const_method(unit, function)
            if not const and class_name not in bent:
                continue
            evidence = (
                f"{class_name}::{method}() is const, and C++ lets threads call const methods of one object "
                "at once"
                if const
                else f"{class_name}'s const methods cast away const on `this` to reach it, so it runs from "
                "calls presented as read-only that threads make at once"
            )
            yield from cls._lazy_fills(unit, function, class_name, method, evidence)

    @classmethod
    def _lazy_fills(cls, unit, function: FunctionInfo, class_name: str, method: str, evidence: str):
        declared = set(function.parameters) | function.locals
        for node in unit.walk(function.body):
            if node.type != "if_statement":
                continue
            condition = node.child_by_field_name("condition")
            consequence = node.child_by_field_name("consequence")
            if condition is None or consequence is None or unit.is_protected(node, function):
                continue
            test = " ".join(_COMMENT.sub(" ", unit.node_text(condition)).split())
            test = test[1:-1] if test.startswith("(") and test.endswith(")") else test
            match = re.search(_UNSET.format(name=_MEMBER_NAME), test)
            if match is None:
                continue
            member = match.group(1) or match.group(2)
            if member in declared or unit.resolve(member, function) is not None:
                continue  # a local, a parameter or a static (FTC001/FTC002 judge statics)
            fill = re.compile(_FILL.format(member=re.escape(member)))
            body = unit.node_text(consequence)
            found = fill.search(body)
            if found is None:
                continue
            fill_line = consequence.start_point[0] + 1 + body.count("\n", 0, found.start())
            check_line = condition.start_point[0] + 1
            yield cls.finding(
                f"{class_name}::{method}() tests the member `{member}` here and fills it on line {fill_line} "
                f"with no lock: two threads can both find it unset and both fill it ({evidence})",
                unit.location(condition),
            )
            yield cls.finding(
                f"{class_name}::{method}() fills `{member}` here after the unlocked test on line "
                f"{check_line}: a second thread fills it again over what the first is already using "
                f"({evidence})",
                unit.line_location(fill_line),
            )
