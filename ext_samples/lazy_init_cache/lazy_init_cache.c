/* Lazy initialisation of a shared table: correct with the GIL, racy without it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define TABLE_SIZE 2000

static PyObject *table = NULL;  /* dict: n -> n * n, built on first use */

static PyObject *
build_table(void)
{
    PyObject *squares = PyDict_New();
    if (squares == NULL) {
        return NULL;
    }
    /* Published before it is filled: a reader that finds it non-NULL may read it half built. */
    table = squares;
    for (long n = 0; n < TABLE_SIZE; n++) {
        PyObject *key = PyLong_FromLong(n);
        PyObject *value = PyLong_FromLong(n * n);
        if (key == NULL || value == NULL || PyDict_SetItem(squares, key, value) < 0) {
            Py_XDECREF(key);
            Py_XDECREF(value);
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
    PyObject *squares = table;
    if (squares == NULL) {
        squares = build_table();
        if (squares == NULL) {
            return NULL;
        }
    }
    PyObject *found = PyDict_GetItemWithError(squares, arg);
    if (found == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_KeyError, "%R is not in the table (table seen half built)", arg);
        }
        return NULL;
    }
    return Py_NewRef(found);
}

static PyObject *
reset(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    /* Called before the threads start: forget the table so the next use builds it again. */
    table = NULL;  /* leaked on purpose: a racing thread may still hold it */
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
    PyModuleDef_HEAD_INIT, "lazy_init_cache", "lazily built table without synchronisation", 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_lazy_init_cache(void)
{
    return PyModuleDef_Init(&module_definition);
}
