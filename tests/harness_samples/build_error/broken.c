#include <Python.h>

static PyObject *
broken(PyObject *module, PyObject *arg)
{
    return undeclared_identifier_for_the_test;
}
