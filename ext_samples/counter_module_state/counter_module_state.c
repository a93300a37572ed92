/* The counter in per-module state, updated in one call under a PyMutex. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyMutex lock;  /* guards value */
    long long value;
} counter_state;

static counter_state *
state_of(PyObject *module)
{
    return (counter_state *)PyModule_GetState(module);
}

static PyObject *
get(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    counter_state *state = state_of(module);
    PyMutex_Lock(&state->lock);
    long long value = state->value;
    PyMutex_Unlock(&state->lock);
    return PyLong_FromLongLong(value);
}

static PyObject *
add(PyObject *module, PyObject *arg)
{
    long long amount = PyLong_AsLongLong(arg);
    if (amount == -1 && PyErr_Occurred()) {
        return NULL;
    }
    counter_state *state = state_of(module);
    PyMutex_Lock(&state->lock);
    state->value += amount;
    PyMutex_Unlock(&state->lock);
    Py_RETURN_NONE;
}

static PyObject *
set(PyObject *module, PyObject *arg)
{
    long long new_value = PyLong_AsLongLong(arg);
    if (new_value == -1 && PyErr_Occurred()) {
        return NULL;
    }
    counter_state *state = state_of(module);
    PyMutex_Lock(&state->lock);
    state->value = new_value;
    PyMutex_Unlock(&state->lock);
    Py_RETURN_NONE;
}

static int
exec_module(PyObject *module)
{
    counter_state *state = state_of(module);
    state->lock = (PyMutex){0};
    state->value = 0;
    return 0;
}

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, "the counter"},
    {"add", add, METH_O, "add to the counter in one step"},
    {"set", set, METH_O, "replace the counter"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
#ifdef Py_mod_multiple_interpreters
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "counter_module_state", "a counter in per-module state under a PyMutex",
    sizeof(counter_state), methods, slots,
};

PyMODINIT_FUNC
PyInit_counter_module_state(void)
{
    return PyModuleDef_Init(&module_definition);
}
