/* dataclasses as maps of their fields, in definition order: the fields
 * dataclasses.fields() lists (not ClassVar or InitVar pseudo-fields), less
 * those whose name starts with an underscore, as orjson does. A field whose
 * value jcodec cannot write goes to `default` like any value. The field list
 * is the registry's, cached per class (registry.c). Values come from the
 * instance's __dict__ when the class has one, else from the attributes
 * (__slots__, properties). */
#include "encode/types/types.h"

#include "dict_table.h"

/* The value of one field, a new reference; NULL with the error recorded.
 * `entry`: where in dict's table the field is looked for first, the entry
 * after the previous field's (__init__ assigns the fields in order, so they
 * are the dict's first entries in that order). */
static PyObject *field_value(jc_encoder *e, PyObject *obj, PyObject *dict, PyObject *name,
                             Py_ssize_t *entry)
{
    PyObject *value = NULL;
    if (dict != NULL) {
        value = jc_dict_value_at(dict, name, entry);
        if (value == NULL)
            value = PyDict_GetItemWithError(dict, name);
    }
    if (value != NULL)
        return Py_NewRef(value);
    if (PyErr_Occurred() == NULL)
        value = PyObject_GetAttr(obj, name);
    if (value == NULL)
        jc_encode_fail_raised(&e->err, JC_ENCODE_ATTRIBUTE, "dataclass field cannot be read");
    return value;
}

int jc_encode_dataclass(jc_encoder *e, PyObject *obj, const jc_dataclass_fields *fields)
{
    PyObject *names = fields->names;
    bool has_slots = fields->has_slots;
    /* Python code may run (default, a property) and replace the cache entry
     * the names came from: the reference to them is this call's own, and the
     * caller holds the object. */
    PyObject *dict = NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    int status = -1;
    bool opened = false;
    if (n == 0) {
        status = jc_encode_empty(e, '{', '}');
        goto done;
    }
    if (!has_slots) {
        dict = PyObject_GenericGetDict(obj, NULL);
        if (dict == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
                jc_encode_fail_python(&e->err);
                goto done;
            }
            PyErr_Clear(); /* no __dict__: the attributes, then */
        }
    }
    if (jc_encode_open(e, '{') < 0)
        goto done;
    opened = true;
    Py_ssize_t entry = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *name = PyTuple_GET_ITEM(names, i);
        PyObject *value = field_value(e, obj, dict, name, &entry);
        if (jc_unlikely(value == NULL)) {
            jc_encode_note_path(&e->err, obj, name, 0);
            goto done;
        }
        int written = jc_encode_next(e, i == 0) == 0 && jc_encode_key(e, name) == 0 &&
                      jc_encode_value(e, value) == 0;
        Py_DECREF(value);
        if (jc_unlikely(!written)) {
            jc_encode_note_path(&e->err, obj, name, 0);
            goto done;
        }
        /* obj, names and dict are held: dump() may write out here. */
        if (jc_encode_safe_point(e) < 0)
            goto done;
    }
    opened = false;
    status = jc_encode_close(e, '}');
done:
    if (opened)
        e->depth--;
    Py_XDECREF(dict);
    Py_DECREF(names);
    return status;
}
