#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <atomic>

static std::atomic<long long> calls{0};

static PyObject *increment(PyObject *, PyObject *)
{
    calls.fetch_add(1, std::memory_order_relaxed);
    Py_RETURN_NONE;
}

static PyObject *value(PyObject *, PyObject *) { return PyLong_FromLongLong(calls.load()); }

static PyObject *reset(PyObject *, PyObject *)
{
    calls.store(0);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"increment", increment, METH_NOARGS, nullptr},
    {"value", value, METH_NOARGS, nullptr},
    {"reset", reset, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, nullptr},
};

static PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "cpp_atomic_counter", nullptr, 0, methods, slots, nullptr, nullptr, nullptr,
};

extern "C" PyMODINIT_FUNC PyInit_cpp_atomic_counter(void) { return PyModuleDef_Init(&module_definition); }
