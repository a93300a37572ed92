/* Two fields that must be seen together, guarded by one PyMutex. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define WIDTH 10

static struct {
    long long start;
    long long end;  /* always start + WIDTH, or so the code believes */
} range = {0, WIDTH};
static PyMutex range_lock = {0};  /* guards both fields of range */

static PyObject *
set_start(PyObject *module, PyObject *arg)
{
    long long start = PyLong_AsLongLong(arg);
    if (start == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyMutex_Lock(&range_lock);
    range.start = start;
    range.end = start + WIDTH;
    PyMutex_Unlock(&range_lock);
    Py_RETURN_NONE;
}

static PyObject *
get(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyMutex_Lock(&range_lock);
    long long start = range.start;
    long long end = range.end;
    PyMutex_Unlock(&range_lock);
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
    PyModuleDef_HEAD_INIT, "torn_pair_mutex", "two fields guarded by a PyMutex", 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_torn_pair_mutex(void)
{
    return PyModuleDef_Init(&module_definition);
}
