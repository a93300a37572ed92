/* Request statistics for the pricing service: how many quotes, and their total latency.
 *
 * The module declares Py_MOD_GIL_NOT_USED (PEP 703), so a free-threaded interpreter
 * keeps the GIL off after importing it. That promise does not hold: `requests++` and
 * `total_seconds += ...` are plain loads and stores on C statics, and two threads in
 * record() at once lose updates. With the GIL, the whole call ran while holding it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static unsigned long long requests = 0;
static double total_seconds = 0.0;

static PyObject *
record(PyObject *module, PyObject *arg)
{
    double seconds = PyFloat_AsDouble(arg);
    if (seconds == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    requests++;
    total_seconds += seconds;
    Py_RETURN_NONE;
}

static PyObject *
snapshot(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(Kd)", requests, total_seconds);
}

static PyObject *
reset(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    requests = 0;
    total_seconds = 0.0;
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
    PyModuleDef_HEAD_INIT, .m_name = "_stats", .m_size = 0, .m_methods = stats_methods,
    .m_slots = stats_slots,
};

PyMODINIT_FUNC
PyInit__stats(void)
{
    return PyModuleDef_Init(&stats_module);
}
