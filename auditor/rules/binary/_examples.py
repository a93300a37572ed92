"""C sources shared by the binary rules' examples (whole extension modules)."""

from __future__ import annotations

MULTI_PHASE_NOT_USED = """\
#include <Python.h>

static PyModuleDef_Slot slots[] = {
#ifdef Py_GIL_DISABLED
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "example", NULL, 0, NULL, slots};

PyMODINIT_FUNC PyInit_example(void) { return PyModuleDef_Init(&def); }
"""

MULTI_PHASE_USED = MULTI_PHASE_NOT_USED.replace("Py_MOD_GIL_NOT_USED", "Py_MOD_GIL_USED")

SINGLE_PHASE_WITHOUT_DECLARATION = """\
#include <Python.h>

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "example", NULL, -1, NULL};

PyMODINIT_FUNC PyInit_example(void) { return PyModule_Create(&def); }
"""

SINGLE_PHASE_NOT_USED = """\
#include <Python.h>

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "example", NULL, -1, NULL};

PyMODINIT_FUNC PyInit_example(void) {
    PyObject *module = PyModule_Create(&def);
#ifdef Py_GIL_DISABLED
    if (module != NULL && PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED) < 0) {
        Py_CLEAR(module);
    }
#endif
    return module;
}
"""


def with_function(body: str, includes: str = "") -> str:
    """A multi-phase, GIL-free module whose one function has ``body``."""
    return (
        MULTI_PHASE_NOT_USED.replace("#include <Python.h>\n", "#include <Python.h>\n" + includes)
        .replace(
            "static PyModuleDef_Slot",
            "static PyObject *function(PyObject *self, PyObject *arg) {\n" + body + "\n}\n\n"
            'static PyMethodDef methods[] = {{"function", function, METH_O, NULL}, {NULL}};\n\n'
            "static PyModuleDef_Slot",
        )
        .replace("0, NULL, slots}", "0, methods, slots}")
    )
