/* Decoder stage: objects built as copies of the last object with their keys
 * (dict_shape.h). */
#include "decode/dict_shape.h"

_Static_assert(JC_DICT_SHAPES <= 64, "one bit of `occupied` a slot");

/* The slot for n keys, from n and the first and last keys' hashes: the same
 * slot in every run over the same input, so the allocations are the same too,
 * which the fault-injection sweeps rely on. A slot's object is compared key by
 * key before it is copied, so a collision costs an insertion, nothing else. */
JC_INLINE size_t slot_of(PyObject *const *pairs, size_t n)
{
    uint64_t first = (uint64_t)jc_str_hash(pairs[0]);
    uint64_t last = (uint64_t)jc_str_hash(pairs[2 * (n - 1)]);
    uint64_t mixed = (first ^ (last * UINT64_C(0x9E3779B97F4A7C15)) ^ (uint64_t)n) *
                     UINT64_C(0xD6E8FEB86659FD93);
    return (size_t)(mixed >> (64 - JC_DICT_SHAPE_BITS));
}

/* Whether the shape's object has exactly the n keys at pairs, in order. */
JC_INLINE bool same_keys(const jc_dict_shape *shape, PyObject *const *pairs, size_t n)
{
    if ((size_t)PyDict_GET_SIZE(shape->dict) != n)
        return false;
    PyObject *const *key = shape->keys;
    for (size_t i = 0; i < n; i++, key += shape->stride) {
        if (*key != pairs[2 * i])
            return false;
    }
    return true;
}

int jc_dict_from_shape(jc_dict_shapes *shapes, PyObject **pairs, size_t n, PyObject **out,
                       size_t *slot)
{
    *slot = slot_of(pairs, n);
    const jc_dict_shape *shape = &shapes->slots[*slot];
    if (!(shapes->occupied >> *slot & 1) || !same_keys(shape, pairs, n))
        return 0;
    PyObject *dict = PyDict_Copy(shape->dict);
    if (dict == NULL)
        return -1;
    jc_dict_table table;
    if (!jc_dict_table_of(dict, &table) || (size_t)table.entries != n) {
        Py_DECREF(dict);
        return 0;
    }
    /* The copy holds the keys and a reference to each of the model's values;
     * the values become the pairs'. */
    bool holds_containers = false;
    PyObject **entry = table.slots;
    for (size_t i = 0; i < n; i++, entry += table.stride) {
        PyObject *value = pairs[2 * i + 1];
        Py_DECREF(entry[1]); /* the model still holds it */
        entry[1] = value;    /* the stack's reference */
        holds_containers |= PyObject_IS_GC(value);
        Py_DECREF(pairs[2 * i]);
    }
    /* Tracked by the GC exactly when inserting the values would have tracked
     * it: when one of them may hold references (a list or a dict). */
    if (holds_containers != (bool)PyObject_GC_IsTracked(dict)) {
        if (holds_containers)
            PyObject_GC_Track(dict);
        else
            PyObject_GC_UnTrack(dict);
    }
    *out = dict;
    return 1;
}

void jc_dict_shape_remember(jc_dict_shapes *shapes, size_t slot, PyObject *dict, size_t n)
{
    jc_dict_table table;
    /* A key repeated makes fewer entries: no model of its keys. */
    if ((size_t)PyDict_GET_SIZE(dict) != n || !jc_dict_table_of(dict, &table))
        return;
    jc_dict_shape *shape = &shapes->slots[slot];
    if (shapes->occupied >> slot & 1)
        Py_SETREF(shape->dict, Py_NewRef(dict));
    else
        shape->dict = Py_NewRef(dict);
    shapes->occupied |= UINT64_C(1) << slot;
    shape->keys = table.slots;
    shape->stride = (size_t)table.stride;
}

void jc_dict_shapes_release(jc_dict_shapes *shapes)
{
    for (uint64_t left = shapes->occupied; left != 0; left &= left - 1)
        Py_DECREF(shapes->slots[jc_ctz64(left)].dict);
    shapes->occupied = 0;
}
