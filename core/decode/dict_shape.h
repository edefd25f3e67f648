/* Decoder stage: objects built as copies of the last object with their keys.
 *
 * Inserting a member costs CPython's dict about 200 instructions (a lookup,
 * the insertion, the resizes as the table grows), and most documents are
 * records: the same keys in the same order, object after object (in
 * github.json 86% of the members are in an object whose keys came before, in
 * twitter.json and citm_catalog.json 98-99%). The keys come from the key
 * cache, the same str objects each time, so an object's keys are recognised
 * by identity. Each object built is remembered, by its keys, in a slot; the
 * next object with the same keys is a PyDict_Copy of it (the table copied
 * whole) with its own values stored into the copy's entries. That is the dict
 * the inserts would have built: the same table size and layout, the same GC
 * tracking. It needs the dict layout (dict_table.h): before 3.11 every
 * object is inserted.
 *
 * The slots hold references to objects of the result, so they cost no memory
 * of their own; they are dropped when the document is done (in a JSON Lines
 * stream, before the caller sees it, which may change it). */
#ifndef JC_DECODE_DICT_SHAPE_H
#define JC_DECODE_DICT_SHAPE_H

#include "compat.h"
#include "dict_table.h"
#include <stdbool.h>
#include <stdint.h>

#define JC_DICT_SHAPE_BITS 6
#define JC_DICT_SHAPES     (1 << JC_DICT_SHAPE_BITS)
/* Under 6 members a table built at its size (dict_table.h) costs less than
 * a copy; where none is built, a copy pays from 2. */
#define JC_SHAPE_MIN_MEMBERS (JC_DICT_TABLE_BUILDABLE ? 6 : 2)
#define JC_SHAPE_MAX_MEMBERS 64

/* The last object built with the keys of a slot, and its entries: nothing
 * changes it until the document is done (no Python code runs meanwhile). */
typedef struct jc_dict_shape {
    PyObject *dict;        /* owned, when the slot is occupied */
    PyObject *const *keys; /* its first key; the next one `stride` pointers on */
    size_t stride;
} jc_dict_shape;

/* Bit i of `occupied` says slot i holds an object: the slots are never
 * cleared as a whole, so a small document pays for the few it used. */
typedef struct jc_dict_shapes {
    uint64_t occupied;
    jc_dict_shape slots[JC_DICT_SHAPES];
} jc_dict_shapes;

JC_INLINE void jc_dict_shapes_open(jc_dict_shapes *shapes)
{
    shapes->occupied = 0;
}

/* The slow path of jc_dict_shapes_close (dict_shape.c). */
void jc_dict_shapes_release(jc_dict_shapes *shapes);

/* Drops the remembered objects; the slots are ready for another document. */
JC_INLINE void jc_dict_shapes_close(jc_dict_shapes *shapes)
{
    if (shapes->occupied != 0)
        jc_dict_shapes_release(shapes);
}

/* Whether objects of n members are built from shapes at all: not on
 * CPythons whose dict layout is unknown, not small ones (JC_SHAPE_MIN_MEMBERS:
 * on 3.11-3.13, a minimum of 6 against 2 takes loads citm_catalog -1.75% and
 * github -1.05% instructions; one member is never worth a copy), not large
 * ones (rarely repeated). */
JC_INLINE bool jc_dict_shape_applies(size_t n)
{
    return JC_DICT_TABLE_READABLE && n >= JC_SHAPE_MIN_MEMBERS && n <= JC_SHAPE_MAX_MEMBERS;
}

/* For n members where jc_dict_shape_applies: the dict of the n key, value
 * pairs at pairs[0, 2n) (keys exact str, in document order) as a copy of the
 * last object with the same keys: 1 with
 * *out set and the pairs' references taken; 0 when there is none, nothing
 * changed hands and the caller inserts them, then passes the dict and *slot to
 * jc_dict_shape_remember; -1 with an exception set, nothing changed hands. */
int jc_dict_from_shape(jc_dict_shapes *shapes, PyObject **pairs, size_t n, PyObject **out,
                       size_t *slot);

/* Remembers dict, just built by inserting the n pairs that jc_dict_from_shape
 * gave `slot` for, for the objects with its keys that follow. */
void jc_dict_shape_remember(jc_dict_shapes *shapes, size_t slot, PyObject *dict, size_t n);

#endif /* JC_DECODE_DICT_SHAPE_H */
