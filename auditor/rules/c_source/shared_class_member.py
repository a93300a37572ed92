"""FTC022: plain members of a C++ class that other threads use, tested and changed with no lock."""

from __future__ import annotations

import re

from ...collectors.source.c_model import FunctionInfo
from ...collectors.source.c_vocabulary import ACQUIRE, CPP_MUTATORS, SYNCHRONISED_TYPE
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
# A class that synchronises some of its own work says that threads share its objects.
_SHARING_EVIDENCE = re.compile(rf"(?:{SYNCHRONISED_TYPE.pattern})|\bcall_once\b|(?:{ACQUIRE.pattern})")
_CLASS_TYPES = ("class_specifier", "struct_specifier")


def _member_names(unit, body) -> set[str]:
    """Data members that are neither synchronised, const, static constants, nor methods."""
    names = set()
    for field in body.named_children:
        if field.type != "field_declaration":
            continue
        text = unit.node_text(field)
        if SYNCHRONISED_TYPE.search(text) or re.search(r"\b(?:const|constexpr|thread_local)\b", text):
            continue
        for declarator in field.children_by_field_name("declarator"):
            node = declarator
            while node is not None and node.type not in ("field_identifier", "function_declarator"):
                node = node.child_by_field_name("declarator")
            if node is not None and node.type == "field_identifier":
                names.add(unit.node_text(node))
    return names


def _method_name(unit, declarator) -> str:
    node = declarator
    while node is not None and node.type != "function_declarator":
        node = node.child_by_field_name("declarator") or next(iter(node.named_children), None)
    inner = node.child_by_field_name("declarator") if node is not None else None
    return unit.node_text(inner) if inner is not None else "<method>"


def _methods(body):
    for child in body.named_children:
        if child.type == "function_definition":
            yield child
        elif child.type == "template_declaration":
            yield from (part for part in child.named_children if part.type == "function_definition")


def _declared_names(unit, method) -> set[str]:
    """Parameters and locals of a method: a bare name among them is not the member."""
    names = set()
    for node in unit.walk(method):
        if node.type not in ("parameter_declaration", "declaration", "optional_parameter_declaration"):
            continue
        for declarator in node.children_by_field_name("declarator"):
            inner = declarator
            while inner is not None and inner.type != "identifier":
                inner = inner.child_by_field_name("declarator") or next(iter(inner.named_children), None)
            if inner is not None:
                names.add(unit.node_text(inner))
    return names


def _member_at(unit, node, members: set[str], shadowed: frozenset[str] = frozenset()) -> str | None:
    """The member ``node`` names: ``this->m``, or a bare ``m`` that no parameter or local hides."""
    if node.type == "field_expression":
        argument = node.child_by_field_name("argument")
        field = node.child_by_field_name("field")
        if argument is not None and argument.type == "this" and field is not None:
            name = unit.node_text(field)
            return name if name in members else None
    if node.type == "identifier" and unit.node_text(node) in members and unit.node_text(node) not in shadowed:
        parent = unit.parent_of(node)
        if (
            parent is not None
            and parent.type == "field_expression"
            and parent.child_by_field_name("field") == node
        ):
            return None
        return unit.node_text(node)
    return None


def _writes(unit, body, members: set[str], shadowed: frozenset[str]):
    """(member, node) for each assignment to a member, mutator call on one, or std::swap with one."""
    for node in unit.walk(body):
        if node.type == "assignment_expression":
            left = node.child_by_field_name("left")
            member = _member_at(unit, left, members, shadowed) if left is not None else None
            if member:
                yield member, node
        elif node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if callee is None:
                continue
            if callee.type == "field_expression":
                field = callee.child_by_field_name("field")
                target = callee.child_by_field_name("argument")
                if field is not None and unit.node_text(field) in CPP_MUTATORS and target is not None:
                    member = _member_at(unit, target, members, shadowed)
                    if member:
                        yield member, node
            elif re.fullmatch(r"(?:std::)?swap", unit.node_text(callee)):
                for argument in unit.call_arguments(node):
                    member = _member_at(unit, argument, members, shadowed)
                    if member:
                        yield member, node


@register
class SharedClassMember(CSourceRule):
    """A C++ object that threads share, whose plain members are tested and then changed.

    A class that holds a ``std::atomic`` or a mutex, or calls ``std::call_once`` or a
    lock guard in some method, tells the reader that its objects are reached from
    several threads; so does binding it to Python with ``py::class_<T>``/``nb::class_<T>``,
    since any thread can then call its methods on the same instance. Its other, plain
    members are then only safe under a lock:
    ``if (!this->pending.empty()) std::swap(copy, this->pending);`` run by two threads
    at once swaps the same list twice, and a pointer member read, tested and then
    rewritten (``T *r = last_; if (!valid()) r = last_ = make();``) is read while
    another thread writes it. ``this->pending.push_back(x)`` from another thread while
    the owner walks the vector reallocates it under the walk.

    Reported, in such a class only: an ``if`` that tests a plain member and then
    changes it (both lines), a member read and later rewritten in one method (both
    lines), a container member grown or cleared outside the lock, and a member stored
    inside ``std::call_once`` but read elsewhere outside the once with no lock or atomic.
    Not reported: constructors and destructors, code under a lock, ``call_once`` stores
    that every reader reaches through the once, members that are atomic, const or
    thread-local, and classes that show no sign of being shared.
    """

    code = "FTC022"
    name = "shared-class-member"
    severity = Severity.WARNING
    summary = "plain member of a C++ class shared between threads tested and changed with no lock"
    languages = frozenset({"cpp"})
    fix = (
        "Take the class's mutex (std::lock_guard) around the test and the change, make the member "
        "std::atomic (and publish with compare_exchange), or confine the object to one thread."
    )
    references = ["https://en.cppreference.com/w/cpp/language/memory_model#Threads_and_data_races"]
    invalid = [
        Example(
            "#include <atomic>\n#include <vector>\nclass State {\n  public:\n"
            "    void defer(void *p) { this->pending.push_back(p); }\n"
            "    void drain() {\n        if (!this->pending.empty()) {\n"
            "            std::vector<void *> copy;\n"
            "            std::swap(copy, this->pending);\n        }\n    }\n"
            "  private:\n    std::vector<void *> pending;\n    static std::atomic<long> drained;\n};\n",
            language="cpp",
        ),
        Example(
            "#include <mutex>\ntemplate <typename T> class Store {\n  public:\n    T &get() {\n"
            "        T *result = last_;\n        if (result == nullptr) {\n"
            "            result = last_ = make();\n        }\n        return *result;\n    }\n"
            "  private:\n    T *make();\n    std::once_flag once_;\n    T *last_ = nullptr;\n};\n",
            language="cpp",
            note="a pointer cache read, tested and rewritten",
        ),
        Example(
            "#include <pybind11/pybind11.h>\n#include <vector>\nnamespace py = pybind11;\n"
            "struct Log {\n    void add(int v) { if (items.size() < 64) items.push_back(v); }\n"
            "    std::vector<int> items;\n};\n"
            'PYBIND11_MODULE(demo, m) {\n    py::class_<Log>(m, "Log").def("add", &Log::add);\n}\n',
            language="cpp",
            note="a class bound to Python: threads share its instances",
        ),
        Example(
            "#include <mutex>\ntemplate <typename T> class Once {\n  public:\n"
            "    void init() { std::call_once(flag_, [&] { value_ = new T(); }); }\n"
            "    T &get() { return *value_; }\n"
            "  private:\n    std::once_flag flag_;\n    T *value_ = nullptr;\n};\n",
            language="cpp",
            note="stored inside call_once, read outside it with no ordering",
        ),
    ]
    valid = [
        Example(
            "#include <mutex>\n#include <vector>\nclass State {\n  public:\n"
            "    void defer(void *p) { std::lock_guard<std::mutex> guard(lock_); pending.push_back(p); }\n"
            "  private:\n    std::mutex lock_;\n    std::vector<void *> pending;\n};\n",
            language="cpp",
        ),
        Example(
            "#include <vector>\nclass Builder {\n  public:\n"
            "    void add(int v) { if (items.empty()) items.reserve(8); items.push_back(v); }\n"
            "  private:\n    std::vector<int> items;\n};\n",
            language="cpp",
            note="nothing says objects of this class are shared between threads",
        ),
    ]

    @classmethod
    def check(cls, unit):
        reported: set[int] = set()
        for node in unit.walk():
            if node.type not in _CLASS_TYPES:
                continue
            body = node.child_by_field_name("body")
            name_node = node.child_by_field_name("name")
            if body is None or name_node is None:
                continue
            class_name = unit.node_text(name_node).split("<")[0]
            evidence_text = cls._sharing_evidence(unit, body, class_name)
            if evidence_text is None:
                continue
            members = _member_names(unit, body)
            if not members:
                continue
            locked_helpers = cls._called_only_under_lock(unit, body)
            for method in _methods(body):
                if _method_name(unit, method.child_by_field_name("declarator")) in locked_helpers:
                    continue  # every caller in the class holds the lock
                why = f"{class_name} {evidence_text}, so its objects are reached from several threads"
                yield from cls._check_method(unit, class_name, method, members, why, reported)

    @classmethod
    def _check_method(cls, unit, class_name, method, members, why, reported):
        declarator = method.child_by_field_name("declarator")
        method_body = method.child_by_field_name("body")
        if declarator is None or method_body is None:
            return
        name = _method_name(unit, declarator)
        if name.split("::")[-1].lstrip("~") == class_name or name.startswith("operator"):
            return  # construction, destruction, assignment: the object is not shared yet or any more
        function = unit.function_at(method) or FunctionInfo(
            name=name, node=method, body=method_body, start_byte=method.start_byte
        )
        shadowed = frozenset(_declared_names(unit, method))
        for member, write in _writes(unit, method_body, members, shadowed):
            if cls._in_once_lambda(unit, write, method_body):
                yield from cls._published_once(unit, class_name, name, member, write, method, why, reported)
                continue
            if unit.is_protected(write, function):
                continue
            if unit.in_gil_only_branch(write):
                continue  # an arm only a build without threads (or with the GIL) compiles
            check = cls._check_before(unit, method_body, write, member, shadowed)
            write_line = write.start_point[0] + 1
            if check is not None:
                check_line = check.start_point[0] + 1
                if check_line not in reported:
                    reported.add(check_line)
                    verb = "tests" if check.type not in ("identifier", "field_expression") else "reads"
                    yield cls.finding(
                        f"{class_name}::{name}() {verb} `{member}` here and changes it on line {write_line} "
                        f"with no lock: two threads can both act on what they saw ({why})",
                        unit.location(check),
                    )
            elif write.type != "call_expression" or not cls._is_growth(unit, write):
                continue  # a plain store with no test before it is an ordinary member write
            if write_line in reported:
                continue
            reported.add(write_line)
            what = (
                f"after the test on line {check.start_point[0] + 1}" if check is not None else "with no lock"
            )
            yield cls.finding(
                f"{class_name}::{name}() changes `{member}` here {what}: another thread using the same "
                f"object can read or change it at the same time ({why})",
                unit.location(write),
            )

    @staticmethod
    def _sharing_evidence(unit, body, class_name: str) -> str | None:
        """What shows that objects of the class are used from several threads, if anything."""
        evidence = _SHARING_EVIDENCE.search(_COMMENT.sub(" ", unit.node_text(body)))
        if evidence is not None:
            return f"uses `{evidence.group(0).strip()}` elsewhere"
        # Bound to Python (pybind11 / nanobind): any thread can call its methods on one instance.
        if re.search(rf"\b(?:py|pybind11|nb|nanobind)::class_\s*<\s*{re.escape(class_name)}\b", unit.text):
            return "is exposed to Python as a class (py::class_/nb::class_)"
        return None

    @staticmethod
    def _called_only_under_lock(unit, body) -> set[str]:
        """Methods that the class only calls from code holding its lock (private helpers)."""
        methods = {}
        for method in _methods(body):
            method_body = method.child_by_field_name("body")
            declarator = method.child_by_field_name("declarator")
            if method_body is not None and declarator is not None:
                name = _method_name(unit, declarator)
                methods[name] = unit.function_at(method) or FunctionInfo(
                    name=name, node=method, body=method_body, start_byte=method.start_byte
                )
        sites: dict[str, list] = {}  # callee -> [(call, caller)]
        for function in methods.values():
            for node in unit.walk(function.body):
                if node.type != "call_expression":
                    continue
                callee = node.child_by_field_name("function")
                if callee is None:
                    continue
                text = unit.node_text(callee)
                name = text[len("this->") :] if text.startswith("this->") else text
                if name in methods and name != function.name:
                    sites.setdefault(name, []).append((node, function))
        # A helper of a locked helper is locked too: grow the set until it stops changing.
        locked: set[str] = set()
        changed = True
        while changed:
            changed = False
            for name, calls in sites.items():
                if name not in locked and all(
                    caller.name in locked or unit.is_protected(call, caller) or unit.in_gil_only_branch(call)
                    for call, caller in calls
                ):
                    locked.add(name)
                    changed = True
        return locked

    @classmethod
    def _published_once(cls, unit, class_name, name, member, write, method, why, reported):
        """A member stored inside ``std::call_once`` but read, elsewhere in the class, outside
        the once and any lock: the reader can see the store before what it points at is built
        (nothing orders a plain load after another thread's call_once)."""
        klass = unit.parent_of(method)
        while klass is not None and klass.type not in _CLASS_TYPES:
            klass = unit.parent_of(klass)
        if klass is None:
            return
        for other in _methods(klass.child_by_field_name("body")):
            other_body = other.child_by_field_name("body")
            if other is method or other_body is None:
                continue
            other_name = _method_name(unit, other.child_by_field_name("declarator"))
            function = unit.function_at(other) or FunctionInfo(
                name=other_name, node=other, body=other_body, start_byte=other.start_byte
            )
            shadowed = frozenset(_declared_names(unit, other))
            for node in unit.walk(other_body):
                if node.type not in ("identifier", "field_expression"):
                    continue
                if not _member_at(unit, node, {member}, shadowed) or unit.is_protected(node, function):
                    continue
                if cls._in_once_lambda(unit, node, other_body):
                    continue
                line = write.start_point[0] + 1
                if line in reported:
                    return
                reported.add(line)
                yield cls.finding(
                    f"{class_name}::{name}() stores `{member}` inside std::call_once, but "
                    f"{class_name}::{other_name}() reads it on line {node.start_point[0] + 1} outside the "
                    f"once and without a lock or atomic: that read can see the store before the object it "
                    f"publishes is complete ({why})",
                    unit.location(write),
                )
                return

    @staticmethod
    def _is_growth(unit, call) -> bool:
        callee = call.child_by_field_name("function")
        field = callee.child_by_field_name("field") if callee is not None else None
        return field is not None and unit.node_text(field) in CPP_MUTATORS

    @staticmethod
    def _in_once_lambda(unit, node, stop) -> bool:
        parent = unit.parent_of(node)
        while parent is not None and parent != stop:
            if parent.type == "lambda_expression":
                call = unit.parent_of(unit.parent_of(parent))
                callee = call.child_by_field_name("function") if call is not None else None
                if callee is not None and re.search(r"\bcall_once\b", unit.node_text(callee)):
                    return True
            parent = unit.parent_of(parent)
        return False

    @staticmethod
    def _check_before(unit, body, write, member, shadowed):
        """An ``if`` test of the member around the write, or a read of it on an earlier line."""
        parent = unit.parent_of(write)
        while parent is not None and parent != body:
            if parent.type == "if_statement":
                condition = parent.child_by_field_name("condition")
                if condition is not None and condition.start_byte <= write.start_byte < condition.end_byte:
                    break  # `if (!tn.resize(m))`: the change is the test, one call
                if condition is not None and any(
                    _member_at(unit, node, {member}, shadowed) for node in unit.walk(condition)
                ):
                    return condition
            parent = unit.parent_of(parent)
        for node in unit.walk(body):
            if node.start_point[0] >= write.start_point[0]:
                break
            if _member_at(unit, node, {member}, shadowed) and node.type in ("identifier", "field_expression"):
                holder = unit.parent_of(node)
                if holder is not None and holder.type in ("init_declarator", "assignment_expression"):
                    if holder.type == "assignment_expression" and holder.child_by_field_name("left") == node:
                        continue
                    return node  # `T *result = last_;`: the value the later write replaces
        return None
