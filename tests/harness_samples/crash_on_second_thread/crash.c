#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdatomic.h>
#include <unistd.h>

static atomic_int inside = 0;

/* Crashes only when two threads are inside at once: never when the threads run one
 * after another, always when the barrier releases them together. */
static PyObject *
poke(PyObject *module, PyObject *arg)
{
    if (atomic_fetch_add(&inside, 1) >= 1) {
        volatile int *nowhere = NULL;
        *nowhere = 42;  /* SIGSEGV, on purpose */
    }
    Py_BEGIN_ALLOW_THREADS
    usleep(200 * 1000);
    Py_END_ALLOW_THREADS
    atomic_fetch_sub(&inside, 1);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {{"poke", poke, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};
static struct PyModuleDef module_definition = {PyModuleDef_HEAD_INIT, "crash_on_second_thread", NULL, 0, methods,
                                               slots};
PyMODINIT_FUNC PyInit_crash_on_second_thread(void) { return PyModuleDef_Init(&module_definition); }
