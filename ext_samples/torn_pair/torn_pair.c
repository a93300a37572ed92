/* Two fields updated one after the other: readers can see them torn without the GIL. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define WIDTH 10

static struct {
    long long start;
    long long end;  /* always start + WIDTH, or so the code believes */
} range = {0, WIDTH};

static PyObject *
set_start(PyObject *module, PyObject *arg)
{
    long long start = PyLong_AsLongLong(arg);
    if (start == -1 && PyErr_Occurred()) {
        return NULL;
    }
    range.start = start;
    range.end = start + WIDTH;
    Py_RETURN_NONE;
}

static PyObject *
get(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    long long start = range.start;
    long long end = range.end;
    return Py_BuildValue("(LL)", start, end);
}

static PyMethodDef methods[] = {
    {"set_start", set_start, METH_O, "move the range"},
    {"get", get, METH_NOARGS, "(start, end)"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "torn_pair", "two fields updated without a lock", 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_torn_pair(void)
{
    return PyModuleDef_Init(&module_definition);
}
