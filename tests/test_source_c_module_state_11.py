"""Module state handed to a helper as a typed pointer (pybase64's set_simd_path), and
PyDict_SetDefaultRef after a lookup, which FTC021 must not call a race."""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes

HELPER = """\
#include <Python.h>
typedef struct { int active_flag; int allowed; } codec_state;

static void set_path(codec_state *state, int flag)
{
    flag &= state->allowed;
    state->active_flag = flag;
}

static PyObject *codec_set_path(PyObject *self, PyObject *arg)
{
    codec_state *state = (codec_state *)PyModule_GetState(self);
    set_path(state, (int)PyLong_AsLong(arg));
    Py_RETURN_NONE;
}

static int codec_exec(PyObject *m)
{
    codec_state *state = (codec_state *)PyModule_GetState(m);
    state->allowed = 7;
    return 0;
}

static PyModuleDef_Slot codec_slots[] = {{Py_mod_exec, codec_exec}, {0, NULL}};
"""


def _findings(code: str, rule: str):
    outcome = check_bytes("codec.c", code.encode(), "c")
    assert outcome.problem is None, outcome.problem
    return [(finding.location.line, finding.message) for finding in outcome.findings if finding.rule == rule]


def test_a_helper_handed_the_module_state_writes_state_every_thread_shares():
    found = _findings(HELPER, "FTC001")
    assert [line for line, _ in found] == [7]
    assert "module state" in found[0][1]


def test_a_pointer_of_another_type_is_not_module_state():
    code = HELPER.replace("static void set_path(codec_state *state", "static void set_path(other_t *state")
    assert _findings(code, "FTC001") == []


def test_a_lookup_before_setdefault_is_a_fast_path_not_a_race():
    code = (
        "#include <Python.h>\nstatic PyObject *cache;\n"
        "static PyObject *get(PyObject *key, PyObject *made) {\n    PyObject *value;\n"
        "    if (PyDict_GetItemRef(cache, key, &value) == 0) {\n"
        "        PyDict_SetDefaultRef(cache, key, made, &value);\n    }\n    return value;\n}\n"
    )
    assert _findings(code, "FTC021") == []
    assert _findings(
        code.replace("PyDict_SetDefaultRef(cache, key, made, &value)", "PyDict_SetItem(cache, key, made)"),
        "FTC021",
    )


def test_twin_block_openings_in_preprocessor_arms_keep_the_function_readable():
    # c-blosc's init_shuffle_implementation: `__builtin_expect` on GCC, a plain test elsewhere.
    code = (
        "static int initialized;\nstatic int impl;\nint get_impl(void);\n"
        "void init_impl(void) {\n"
        "#if defined(__GNUC__)\n  if (__builtin_expect(!initialized, 0)) {\n"
        "#else\n  if (!initialized) {\n#endif\n"
        "    impl = get_impl();\n    initialized = 1;\n  }\n}\n"
    )
    assert sorted(line for line, _ in _findings(code, "FTC002")) == [8, 11]
