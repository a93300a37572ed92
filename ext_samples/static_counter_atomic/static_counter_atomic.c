/* The static counter made safe with a C11 atomic (<stdatomic.h>). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdatomic.h>

static _Atomic long long calls = 0;

static PyObject *
increment(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    /* One indivisible read-modify-write; relaxed order is enough for a pure counter. */
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
    Py_RETURN_NONE;
}

static PyObject *
value(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLongLong(atomic_load(&calls));
}

static PyObject *
reset(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    atomic_store(&calls, 0);
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
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "static_counter_atomic", "static counter with C11 atomics", 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_static_counter_atomic(void)
{
    return PyModuleDef_Init(&module_definition);
}
