#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdatomic.h>

static _Atomic long long calls = 0;

static PyObject *
increment(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    atomic_fetch_add(&calls, 1);
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
    {"increment", increment, METH_NOARGS, NULL},
    {"value", value, METH_NOARGS, NULL},
    {"reset", reset, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
/* No Py_mod_gil slot: CPython 3.13t re-enables the GIL when this module is imported. */
static struct PyModuleDef module_definition = {PyModuleDef_HEAD_INIT, "no_gil_slot", NULL, 0, methods};
PyMODINIT_FUNC PyInit_no_gil_slot(void) { return PyModuleDef_Init(&module_definition); }
