/* A counter whose API splits one update into two calls: racy with or without the GIL. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static long long value = 0;

static PyObject *
get(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLongLong(value);
}

static PyObject *
set(PyObject *module, PyObject *arg)
{
    long long new_value = PyLong_AsLongLong(arg);
    if (new_value == -1 && PyErr_Occurred()) {
        return NULL;
    }
    value = new_value;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, "the counter"},
    {"set", set, METH_O, "replace the counter"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "get_then_set_counter", "a counter updated in two calls", 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_get_then_set_counter(void)
{
    return PyModuleDef_Init(&module_definition);
}
