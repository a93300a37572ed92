/* A borrowed reference from a shared list, then a store into the same slot. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
bump(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyList_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "bump(list, index)");
        return NULL;
    }
    PyObject *list = args[0];
    Py_ssize_t index = PyLong_AsSsize_t(args[1]);
    if (index == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *item = PyList_GetItem(list, index);  /* borrowed: nothing keeps it alive */
    if (item == NULL) {
        return NULL;
    }
    long long value = PyLong_AsLongLong(item);
    if (value == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *bumped = PyLong_FromLongLong(value + 1);
    if (bumped == NULL) {
        return NULL;
    }
    /* Steals `bumped` and releases the old item, which another thread may be reading. */
    if (PyList_SetItem(list, index, bumped) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"bump", (PyCFunction)(void (*)(void))bump, METH_FASTCALL, "list[index] += 1"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "borrowed_list_item", "borrowed list item, then a store", 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_borrowed_list_item(void)
{
    return PyModuleDef_Init(&module_definition);
}
