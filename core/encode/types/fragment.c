/* jcodec.Fragment: JSON that is already serialized (from a cache, a database,
 * another encoder), written as it is: no validation, no reformatting (also
 * under OPT_INDENT_2), no escaping. The contents are bytes, or a str, which
 * must encode to UTF-8 (a lone surrogate is refused). Anything else is
 * refused when the fragment is written, as orjson does. */
#include "compat.h"
#include "encode/types/types.h"

typedef struct {
    PyObject_HEAD PyObject *contents;
} jc_fragment;

static PyObject *fragment_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) != 1 || (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0)) {
        PyErr_SetString(PyExc_TypeError, "jcodec.Fragment() takes exactly 1 positional argument");
        return NULL;
    }
    jc_fragment *self = (jc_fragment *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->contents = Py_NewRef(PyTuple_GET_ITEM(args, 0));
    return (PyObject *)self;
}

static int fragment_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(((jc_fragment *)self)->contents);
    return 0;
}

static int fragment_clear(PyObject *self)
{
    Py_CLEAR(((jc_fragment *)self)->contents);
    return 0;
}

static void fragment_dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    fragment_clear(self);
    type->tp_free(self);
    Py_DECREF(type);
}

/* Pickles as the call that makes it again. */
static PyObject *fragment_reduce(PyObject *self, PyObject *unused)
{
    (void)unused;
    return Py_BuildValue("O(O)", (PyObject *)Py_TYPE(self), ((jc_fragment *)self)->contents);
}

static PyMemberDef fragment_members[] = {
    {"contents", JC_MEMBER_OBJECT, offsetof(jc_fragment, contents), JC_MEMBER_READONLY,
     "The JSON this fragment stands for (bytes or str), written as it is."},
    {NULL, 0, 0, 0, NULL},
};

static PyMethodDef fragment_methods[] = {
    {"__reduce__", fragment_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

PyDoc_STRVAR(fragment_doc, "Fragment(contents, /)\n--\n\n"
                           "Already serialized JSON (bytes or str), which dumps writes as it is,\n"
                           "without validating or reformatting it.");

static PyType_Slot fragment_slots[] = {
    {Py_tp_new, fragment_new},           {Py_tp_dealloc, fragment_dealloc},
    {Py_tp_traverse, fragment_traverse}, {Py_tp_clear, fragment_clear},
    {Py_tp_members, fragment_members},   {Py_tp_methods, fragment_methods},
    {Py_tp_doc, (void *)fragment_doc},   {0, NULL},
};

static PyType_Spec fragment_spec = {
    .name = "jcodec.Fragment",
    .basicsize = sizeof(jc_fragment),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | JC_TPFLAGS_IMMUTABLETYPE,
    .slots = fragment_slots,
};

PyTypeObject *jc_fragment_type_new(PyObject *module)
{
    PyObject *type = PyType_FromModuleAndSpec(module, &fragment_spec, NULL);
    if (type == NULL)
        return NULL;
    if (PyModule_AddObjectRef(module, "Fragment", type) < 0) {
        Py_DECREF(type);
        return NULL;
    }
    return (PyTypeObject *)type;
}

int jc_encode_fragment(jc_encoder *e, PyObject *obj)
{
    PyObject *contents = ((jc_fragment *)obj)->contents;
    if (PyBytes_Check(contents))
        return jc_encode_raw(e, PyBytes_AS_STRING(contents), (size_t)PyBytes_GET_SIZE(contents),
                             false);
    if (PyUnicode_Check(contents)) {
        Py_ssize_t len;
        const char *text = PyUnicode_AsUTF8AndSize(contents, &len);
        if (text != NULL)
            return jc_encode_raw(e, text, (size_t)len, false);
        if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError))
            return jc_encode_fail_python(&e->err);
        PyErr_Clear();
        return jc_encode_fail(&e->err, JC_ENCODE_FRAGMENT,
                              "Fragment str is not valid UTF-8: surrogates not allowed");
    }
    return jc_encode_fail(&e->err, JC_ENCODE_FRAGMENT,
                          "Fragment contents must be bytes or str, not %s", jc_type_name(contents));
}
