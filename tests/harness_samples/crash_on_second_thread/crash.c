#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
poke(PyObject *module, PyObject *arg)
{
    long thread_index = PyLong_AsLong(arg);
    if (thread_index == 1) {
        volatile int *nowhere = NULL;
        *nowhere = 42;  /* SIGSEGV, on purpose */
    }
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
