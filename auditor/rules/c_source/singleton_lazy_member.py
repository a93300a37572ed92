"""FTC031: a member of a process-wide C++ singleton filled on first use with no lock."""

from __future__ import annotations

import re

from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
# The object itself (`this->`) or its private implementation (`d->`, the pimpl idiom of
# Qt, KDE and TagLib, whose members live in a class only the .cpp file sees).
_OWNER = r"(?:this|d|d_ptr|m_d|pimpl|impl_|d_)"
_EMPTY_TEST = re.compile(
    rf"{_OWNER}\s*->\s*(\w+)\s*(?:\.|->)\s*(?:isEmpty|empty|isNull|is_null)\s*\(\s*\)"
    rf"|!\s*\(?\s*{_OWNER}\s*->\s*(\w+)\b(?!\s*(?:\.|->|\[|\(|\w))"
    rf"|{_OWNER}\s*->\s*(\w+)\s*==\s*(?:nullptr|NULL|0)\b"
)


def _stores(member: str) -> re.Pattern:
    """``d->m = ...``, ``d->m[k] = ...``, ``d->m.insert(...)`` and other growth of the member."""
    return re.compile(
        rf"(?<![\w>.]){_OWNER}\s*->\s*{re.escape(member)}\s*(?:\[[^\]\n]*\]\s*)?=(?!=)"
        rf"|(?<![\w>.]){_OWNER}\s*->\s*{re.escape(member)}\s*(?:\.|->)\s*"
        r"(?:insert|emplace\w*|push_back|append|insert_or_assign|try_emplace)\s*\("
    )


def _blank_comments(text: str) -> str:
    return _COMMENT.sub(lambda match: " " * len(match.group(0)), text)


def singleton_classes(text: str) -> dict[str, str]:
    """Class name -> how the file makes one instance for the whole process."""
    found: dict[str, str] = {}
    # `ItemFactory ItemFactory::factory;`: a static member of the class's own type.
    for match in re.finditer(r"^\s*(?:static\s+)?(\w+)\s+\1::(\w+)\s*(?:;|=|\{|\()", text, re.MULTILINE):
        found.setdefault(match.group(1), f"`{match.group(1)}::{match.group(2)}` is its one static instance")
    # `Registry &Registry::instance() { static Registry r; return r; }`: a Meyers singleton.
    for match in re.finditer(
        r"\b(\w+)\s*[&*]\s*\1::(\w+)\s*\([^()]*\)\s*\{[^{}]*?\bstatic\s+\1\s+(\w+)\s*[;({]", text
    ):
        found.setdefault(
            match.group(1), f"`{match.group(1)}::{match.group(2)}()` hands out one static instance"
        )
    return found


@register
class SingletonLazyMember(CSourceRule):
    """``if (d->table.isEmpty()) d->table = build();`` in a method of a process-wide singleton.

    A class whose one instance the file defines (``Factory Factory::factory;``) or hands
    out from ``instance()`` (``static Factory f; return f;``) is shared by every thread
    that calls it. A member it fills on first use, tested and then assigned with no
    lock, is built by two threads at once: one thread reads the map while the other
    assigns or grows it, which frees the storage under the reader. A ``const`` method
    that fills a cache looks safe to call from many threads, and is not.

    Reported, in methods of such a class defined in the file: the ``if`` that tests a
    member (``this->m`` or the pimpl's ``d->m``) for empty or null, and each store to
    that member in the block. Not reported: constructors and destructors, code under a
    lock, classes with no singleton in the file (C++ function-local statics of other
    types are FTC002's).
    """

    code = "FTC031"
    name = "singleton-lazy-member"
    severity = Severity.WARNING
    summary = "a member of a process-wide singleton is filled on first use with no lock"
    languages = frozenset({"cpp"})
    fix = (
        "Fill the member in the constructor, guard the test and the fill with a std::mutex (or "
        "std::call_once), or build it in a function-local static, which C++11 initialises once."
    )
    references = ["https://en.cppreference.com/w/cpp/language/storage_duration#Static_block_variables"]
    invalid = [
        Example(
            "class Factory::Private {\n public:\n  Map<String, int> byName;\n};\n"
            "Factory Factory::factory;\n"
            "Factory *Factory::instance() { return &factory; }\n"
            "int Factory::lookup(const String &name) const {\n"
            "  if (d->byName.isEmpty()) {\n    d->byName = buildNameMap();\n  }\n"
            "  return d->byName.value(name);\n}\n",
            language="cpp",
            note="every thread asks the one factory; two of them build and assign the map at once",
        ),
        Example(
            "#include <map>\n#include <string>\n"
            "Registry &Registry::instance() {\n  static Registry registry;\n  return registry;\n}\n"
            "int Registry::code(const std::string &key) {\n"
            '  if (this->codes.empty()) {\n    this->codes.insert({"a", 1});\n  }\n'
            "  return this->codes[key];\n}\n",
            language="cpp",
        ),
    ]
    valid = [
        Example(
            "#include <mutex>\nclass Factory::Private {\n public:\n  Map<String, int> byName;\n"
            "  std::mutex lock;\n};\nFactory Factory::factory;\n"
            "int Factory::lookup(const String &name) const {\n"
            "  std::lock_guard<std::mutex> guard(d->lock);\n"
            "  if (d->byName.isEmpty()) {\n    d->byName = buildNameMap();\n  }\n"
            "  return d->byName.value(name);\n}\n",
            language="cpp",
            note="the test and the fill are under the lock",
        ),
        Example(
            "int Reader::lookup(const String &name) const {\n"
            "  if (d->byName.isEmpty()) {\n    d->byName = buildNameMap();\n  }\n"
            "  return d->byName.value(name);\n}\n",
            language="cpp",
            note="nothing in the file makes one Reader for the whole process",
        ),
    ]

    @classmethod
    def check(cls, unit):
        singletons = singleton_classes(_blank_comments(unit.text))
        if not singletons:
            return
        for function in unit.functions:
            owner_class, _, method = function.name.rpartition("::")
            owner_class = owner_class.split("::")[-1]
            if owner_class not in singletons or method.lstrip("~") == owner_class:
                continue
            if function.caller_holds_lock:
                continue
            why = f"{owner_class} is a process-wide singleton: {singletons[owner_class]}"
            for node in unit.walk(function.body):
                if node.type == "if_statement":
                    yield from cls._lazy_fill(unit, function, node, why)

    @classmethod
    def _lazy_fill(cls, unit, function, node, why):
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        if condition is None or consequence is None or unit.is_protected(node, function):
            return
        tested = _EMPTY_TEST.search(_blank_comments(unit.node_text(condition)))
        if tested is None:
            return
        member = next(group for group in tested.groups() if group)
        block = _blank_comments(unit.node_text(consequence))
        block_line = consequence.start_point[0] + 1
        store_lines = sorted(
            {block_line + block[: store.start()].count("\n") for store in _stores(member).finditer(block)}
        )
        if not store_lines:
            return
        check_line = node.start_point[0] + 1
        yield cls.finding(
            f"{function.name}() tests `{member}` here and fills it on line {store_lines[0]} with no lock: "
            f"two threads can both find it empty and fill it at once, one reading while the other "
            f"assigns ({why})",
            unit.location(condition),
        )
        for line in store_lines:
            location = unit.line_location(line)
            yield cls.finding(
                f"{function.name}() fills `{member}` here after the unlocked test on line {check_line}: "
                f"another thread can be filling or reading it at the same time ({why})",
                location,
            )
