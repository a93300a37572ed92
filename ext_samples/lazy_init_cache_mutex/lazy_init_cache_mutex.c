/* Lazy initialisation under a PyMutex: one builder, readers wait for a complete table. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define TABLE_SIZE 2000

static PyObject *table = NULL;  /* dict: n -> n * n, built on first use */
static PyMutex table_lock = {0};

static PyObject *
build_table(void)
{
    PyObject *squares = PyDict_New();
    if (squares == NULL) {
        return NULL;
    }
    for (long n = 0; n < TABLE_SIZE; n++) {
        PyObject *key = PyLong_FromLong(n);
        PyObject *value = PyLong_FromLong(n * n);
        if (key == NULL || value == NULL || PyDict_SetItem(squares, key, value) < 0) {
            Py_XDECREF(key);
            Py_XDECREF(value);
            Py_DECREF(squares);
            return NULL;
        }
        Py_DECREF(key);
        Py_DECREF(value);
    }
    return squares;
}

static PyObject *
square(PyObject *module, PyObject *arg)
{
    PyMutex_Lock(&table_lock);
    if (table == NULL) {
        table = build_table();  /* published only once complete */
    }
    PyObject *squares = Py_XNewRef(table);
    PyMutex_Unlock(&table_lock);
    if (squares == NULL) {
        return NULL;
    }
    PyObject *found = NULL;
    /* A strong reference (PyDict_GetItemRef, new in 3.13), not a borrowed one. */
    int status = PyDict_GetItemRef(squares, arg, &found);
    Py_DECREF(squares);
    if (status == 0) {
        PyErr_Format(PyExc_KeyError, "%R is not in the table", arg);
    }
    return found;
}

static PyObject *
reset(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyMutex_Lock(&table_lock);
    PyObject *old = table;
    table = NULL;
    PyMutex_Unlock(&table_lock);
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"square", square, METH_O, "n * n from the lazily built table"},
    {"reset", reset, METH_NOARGS, "forget the table"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "lazy_init_cache_mutex", "lazily built table under a PyMutex", 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_lazy_init_cache_mutex(void)
{
    return PyModuleDef_Init(&module_definition);
}
