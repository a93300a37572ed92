"""C/C++ findings name both statements of a race and say why the state is shared.

The rules' own VALID/INVALID examples (tests/test_rules_source_examples.py) show what is
reported; these tests pin down what a maintainer reads: the check and the act each get a
finding naming the other's line, and what makes the state reachable from other threads.
"""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes


def _findings(code: str, language: str = "c", path: str = "demo.c"):
    outcome = check_bytes(path, code.encode(), language)
    assert outcome.problem is None, outcome.problem
    return [(finding.location.line, finding.rule, finding.message) for finding in outcome.findings]


def test_free_list_pop_reports_the_check_and_the_act():
    code = (
        "typedef struct node { struct node *next; } node;\n"  # 1
        "static node *free_list;\n"  # 2
        "static void refill(void);\n"  # 3
        "static node *take(void) {\n"  # 4
        "    node *x;\n"  # 5
        "    if (!free_list)\n"  # 6
        "        refill();\n"  # 7
        "    x = free_list;\n"  # 8
        "    free_list = x->next;\n"  # 9
        "    return x;\n}\n"
    )
    findings = _findings(code)
    lines = {line for line, rule, _ in findings if rule == "FTC001"}
    assert {6, 9} <= lines
    check = next(message for line, rule, message in findings if line == 6)
    assert "line 9" in check and "check-then-act" in check


def test_lazy_static_init_reports_the_test_and_the_store():
    code = (
        "static PyObject *decimal;\n"
        "static PyObject *get(void) {\n"
        "    if (decimal == NULL) {\n"
        '        decimal = PyImport_ImportModule("decimal");\n'
        "    }\n    return decimal;\n}\n"
    )
    findings = [(line, message) for line, rule, message in _findings(code) if rule == "FTC002"]
    assert [line for line, _ in findings] == [3, 4]
    assert "line 4" in findings[0][1] and "line 3" in findings[1][1]
    assert "file-scope variable" in findings[1][1]


def test_interpreter_state_is_not_called_module_state():
    code = (
        "typedef struct { long n; } interp_state;\n"
        "static PyObject *bump(PyObject *self, PyObject *arg) {\n"
        "    interp_state *interp = get_interp_state();\n"
        "    interp->n++;\n    Py_RETURN_NONE;\n}\n"
    )
    messages = [message for _, rule, message in _findings(code) if rule == "FTC001"]
    assert messages and all("module state" not in message for message in messages)
    assert any("interpreter" in message for message in messages)


def test_borrowed_reference_finding_says_why_the_container_is_shared():
    code = (
        "static PyObject *registry;\n"
        "static PyObject *lookup(PyObject *key) {\n"
        "    PyObject *v = PyDict_GetItemWithError(registry, key);\n"
        "    return Py_XNewRef(v);\n}\n"
    )
    message = next(message for _, rule, message in _findings(code) if rule == "FTC003")
    assert "`registry` is a static" in message


def test_arms_the_free_threaded_build_never_compiles_are_quiet():
    code = (
        "static PyObject *lookup(PyObject *self, PyObject *key) {\n"
        "    PyObject *d = get_dict(self);\n"
        "#if PY_VERSION_HEX < 0x030D0000\n"
        "    PyObject *v = PyDict_GetItem(d, key);\n"
        "    return Py_XNewRef(v);\n"
        "#else\n"
        "    PyObject *v;\n    PyDict_GetItemRef(d, key, &v);\n    return v;\n"
        "#endif\n}\n"
    )
    assert not [rule for _, rule, _ in _findings(code) if rule == "FTC003"]


def test_a_macro_defined_in_the_file_is_not_an_extern_global():
    code = "#define am (GEN->gen_param[0])\nstatic void beta_init(struct gen *GEN) {\n    am = 1.0;\n}\n"
    assert not [rule for _, rule, _ in _findings(code) if rule == "FTC001"]


def test_a_helper_every_caller_calls_under_the_lock_is_protected():
    code = (
        "static PyMutex lock;\nstatic long total;\n"
        "static void add_unlocked(long n) { total += n; }\n"
        "static void add(long n) {\n    PyMutex_Lock(&lock);\n    add_unlocked(n);\n"
        "    PyMutex_Unlock(&lock);\n}\n"
    )
    assert not [rule for _, rule, _ in _findings(code) if rule == "FTC001"]


def test_project_lock_macros_protect_what_they_wrap():
    code = (
        "static long total;\n"
        "static PyObject *add(HashObject *self, PyObject *arg) {\n"
        "    ENTER_HASHLIB(self);\n    total++;\n    LEAVE_HASHLIB(self);\n    Py_RETURN_NONE;\n}\n"
    )
    assert not [rule for _, rule, _ in _findings(code) if rule == "FTC001"]


def test_cpp_class_member_race_names_the_evidence_of_sharing():
    code = (
        "#include <atomic>\n#include <vector>\nclass State {\n  public:\n"
        "    void drain() {\n        if (!this->pending.empty()) {\n"
        "            this->pending.clear();\n        }\n    }\n"
        "  private:\n    std::vector<void *> pending;\n    std::atomic<long> drained;\n};\n"
    )
    findings = [
        (line, message) for line, rule, message in _findings(code, "cpp", "demo.cpp") if rule == "FTC022"
    ]
    assert [line for line, _ in findings] == [6, 7]
    assert all("std::atomic" in message for _, message in findings)
