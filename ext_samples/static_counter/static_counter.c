/* A call counter in a C static: correct with the GIL, loses increments without it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static long long calls = 0;

static PyObject *
increment(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    /* Load, add, store: three steps that the GIL made indivisible. */
    calls++;
    Py_RETURN_NONE;
}

static PyObject *
value(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLongLong(calls);
}

static PyObject *
reset(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    calls = 0;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"increment", increment, METH_NOARGS, "count one call"},
    {"value", value, METH_NOARGS, "calls counted so far"},
    {"reset", reset, METH_NOARGS, "start counting from zero"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    /* Declares the module free-threading ready (it is not: that is the point). */
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "static_counter", "static counter without synchronisation", 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_static_counter(void)
{
    return PyModuleDef_Init(&module_definition);
}
