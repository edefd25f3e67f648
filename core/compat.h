/* What differs between the CPython versions jcodec builds for, in one place:
 * each helper is the newest API, with the older spelling behind a version
 * test. */
#ifndef JC_COMPAT_H
#define JC_COMPAT_H

#include <Python.h>

#include "compiler.h"

/* The exception being raised, taken as one object (its traceback attached),
 * with the error indicator cleared; NULL when none is set. 3.12 deprecates
 * PyErr_Fetch for PyErr_GetRaisedException. */
JC_INLINE PyObject *jc_err_take(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    return PyErr_GetRaisedException();
#else
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (value != NULL && traceback != NULL)
        PyException_SetTraceback(value, traceback);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    return value;
#endif
}

#endif /* JC_COMPAT_H */
