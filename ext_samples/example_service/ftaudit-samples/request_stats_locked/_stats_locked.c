/* Request statistics, fixed: the safe twin of the service's _stats module.
 *
 * The fix for src/example_service/_stats.c: one PyMutex (CPython 3.13+, Include/cpython/lock.h)
 * guards both counters, so every record() is one indivisible update and snapshot() never
 * sees a count without its latency. Uncontended, PyMutex is one atomic compare-and-swap. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static unsigned long long requests = 0;
static double total_seconds = 0.0;
static PyMutex stats_lock = {0};

static PyObject *
record(PyObject *module, PyObject *arg)
{
    double seconds = PyFloat_AsDouble(arg);
    if (seconds == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    PyMutex_Lock(&stats_lock);
    requests++;
    total_seconds += seconds;
    PyMutex_Unlock(&stats_lock);
    Py_RETURN_NONE;
}

static PyObject *
snapshot(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyMutex_Lock(&stats_lock);
    unsigned long long seen_requests = requests;
    double seen_seconds = total_seconds;
    PyMutex_Unlock(&stats_lock);
    return Py_BuildValue("(Kd)", seen_requests, seen_seconds);
}

static PyObject *
reset(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyMutex_Lock(&stats_lock);
    requests = 0;
    total_seconds = 0.0;
    PyMutex_Unlock(&stats_lock);
    Py_RETURN_NONE;
}

static PyMethodDef stats_methods[] = {
    {"record", record, METH_O, "Count one request that took `seconds`."},
    {"snapshot", snapshot, METH_NOARGS, "(requests, total_seconds)"},
    {"reset", reset, METH_NOARGS, "Start counting from zero."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot stats_slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef stats_module = {
    PyModuleDef_HEAD_INIT, .m_name = "_stats_locked", .m_size = 0, .m_methods = stats_methods,
    .m_slots = stats_slots,
};

PyMODINIT_FUNC
PyInit__stats_locked(void)
{
    return PyModuleDef_Init(&stats_module);
}
