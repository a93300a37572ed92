#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
answer(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(42);
}

static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};
static struct PyModuleDef module_definition = {PyModuleDef_HEAD_INIT, "sleepers", NULL, 0, methods,
                                               slots};
PyMODINIT_FUNC PyInit_sleepers(void) { return PyModuleDef_Init(&module_definition); }
