"""What C findings say: the kind of shared state and both ends of a racing pair."""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes


def _findings(source: str, path: str = "demo.c"):
    outcome = check_bytes(path, source.encode(), "c")
    assert outcome.problem is None
    return outcome.findings


def test_interpreter_state_is_not_called_module_state():
    findings = _findings(
        "typedef struct { long calls; } interp_state;\n"
        "static PyObject *tick(PyObject *self, PyObject *args) {\n"
        "    interp_state *interp = get_interp_state();\n    interp->calls++;\n    Py_RETURN_NONE;\n}\n"
    )
    messages = [finding.message for finding in findings if finding.rule == "FTC001"]
    assert messages and all("interpreter state" in message for message in messages), messages
    assert not any("module state" in message for message in messages)


def test_per_thread_state_is_not_shared():
    findings = _findings(
        "typedef struct { long depth; } thread_state;\n"
        "static void enter(void) {\n    thread_state *ts = get_thread_state();\n    ts->depth++;\n}\n"
    )
    assert not [finding for finding in findings if finding.rule == "FTC001"]


def test_helper_write_names_the_call_and_the_write():
    findings = _findings(
        "typedef struct { int available; void *ptrs[8]; } bucket;\nstatic bucket datacache[16];\n"
        "static void put(bucket *cache, int n, void *p) {\n"
        "    cache[n].ptrs[cache[n].available++] = p;\n}\n"
        "void npy_free(int n, void *p) { put(datacache, n, p); }\n"
    )
    by_line = {finding.location.line: finding.message for finding in findings if finding.rule == "FTC018"}
    assert set(by_line) == {4, 6}, by_line
    assert "line 4" in by_line[6] and "datacache" in by_line[6]
    assert "line 6" in by_line[4] and "datacache" in by_line[4]
