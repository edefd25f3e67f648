/* What the stream entry points share: their arguments, the file objects they
 * are given, and the module's set-up. See stream.h. */
#include "stream/stream.h"

int jc_stream_parse_args(const char *function, PyObject *const *args, Py_ssize_t nargs,
                         PyObject *kwnames, int positional, const char *const *names,
                         PyObject **out)
{
    int named = 0;
    while (names[named] != NULL)
        named++;
    for (int i = 0; i < positional + named; i++)
        out[i] = NULL;
    if (nargs < positional || nargs > positional + named) {
        if (named == 0)
            PyErr_Format(PyExc_TypeError, "%s() takes exactly %d positional argument%s (%zd given)",
                         function, positional, positional == 1 ? "" : "s", nargs);
        else
            PyErr_Format(PyExc_TypeError,
                         "%s() takes from %d to %d positional arguments (%zd given)", function,
                         positional, positional + named, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++)
        out[i] = args[i];
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < nkw; k++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, k);
        int slot = -1;
        for (int i = 0; i < named && slot < 0; i++)
            if (PyUnicode_CompareWithASCIIString(name, names[i]) == 0)
                slot = positional + i;
        if (slot < 0) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", function,
                         name);
            return -1;
        }
        if (out[slot] != NULL) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%U'", function,
                         name);
            return -1;
        }
        out[slot] = args[nargs + k];
    }
    return 0;
}

/* Whether fp is a text file: an instance of io.TextIOBase (open(path, "w"),
 * io.StringIO, sys.stdout). 1, 0, or -1 with the exception set. */
static int is_text_file(PyObject *fp)
{
    PyObject *io = PyImport_ImportModule("io");
    if (io == NULL)
        return -1;
    PyObject *text_base = PyObject_GetAttrString(io, "TextIOBase");
    Py_DECREF(io);
    if (text_base == NULL)
        return -1;
    int text = PyObject_IsInstance(fp, text_base);
    Py_DECREF(text_base);
    return text;
}

PyObject *jc_stream_binary_method(const char *function, PyObject *fp, const char *name)
{
    int text = is_text_file(fp);
    if (text < 0)
        return NULL;
    if (text) {
        PyErr_Format(PyExc_TypeError,
                     "%s() needs a binary file object, not the text file %.100s (open it in "
                     "binary mode: 'rb', 'wb')",
                     function, Py_TYPE(fp)->tp_name);
        return NULL;
    }
    PyObject *method = NULL;
    PyObject *attribute = PyUnicode_FromString(name);
    if (attribute == NULL)
        return NULL;
    if (jc_lookup_attr(fp, attribute, &method) == 0)
        PyErr_Format(PyExc_TypeError, "%s() needs a file object with a %s() method, not %.100s",
                     function, name, Py_TYPE(fp)->tp_name);
    Py_DECREF(attribute);
    return method;
}
