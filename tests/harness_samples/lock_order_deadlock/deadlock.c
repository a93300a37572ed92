#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdatomic.h>
#include <unistd.h>

static PyMutex first = {0};
static PyMutex second = {0};
static atomic_int holders = 0;

static PyObject *
transfer(PyObject *module, PyObject *arg)
{
    long thread_index = PyLong_AsLong(arg);
    if (thread_index > 1) {
        Py_RETURN_NONE;
    }
    PyMutex *mine = thread_index == 0 ? &first : &second;
    PyMutex *theirs = thread_index == 0 ? &second : &first;
    PyMutex_Lock(mine);
    atomic_fetch_add(&holders, 1);
    /* Wait (without the GIL) until the other thread holds its lock too: the deadlock
     * is then certain, not a matter of timing. Alone, give up after a second. */
    Py_BEGIN_ALLOW_THREADS
    for (int waited = 0; atomic_load(&holders) < 2 && waited < 1000; waited++) {
        usleep(1000);
    }
    Py_END_ALLOW_THREADS
    PyMutex_Lock(theirs);
    PyMutex_Unlock(theirs);
    PyMutex_Unlock(mine);
    atomic_fetch_sub(&holders, 1);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {{"transfer", transfer, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};
static struct PyModuleDef module_definition = {PyModuleDef_HEAD_INIT, "lock_order_deadlock", NULL, 0, methods,
                                               slots};
PyMODINIT_FUNC PyInit_lock_order_deadlock(void) { return PyModuleDef_Init(&module_definition); }
