/* A scratch buffer per thread (C11 _Thread_local): no sharing, no lock. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>

static _Thread_local char scratch[128];

static PyObject *
describe(PyObject *module, PyObject *arg)
{
    long long n = PyLong_AsLongLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    snprintf(scratch, sizeof scratch, "item #%lld of the catalogue, checksum %lld", n, n * 7 + 3);
    return PyUnicode_FromString(scratch);
}

static PyMethodDef methods[] = {
    {"describe", describe, METH_O, "a description of item n"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "thread_local_scratch_buffer", "formatting into a thread-local buffer", 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_thread_local_scratch_buffer(void)
{
    return PyModuleDef_Init(&module_definition);
}
