/* Encoder stage: a dict's members read from its table.
 *
 * PyDict_Next costs about 50 instructions a member on CPython 3.11 (a call
 * into the interpreter, the dict's layout checked again on every step); the
 * members of a combined table, which is what loads, dict literals and dict()
 * build, sit in one array in insertion order, so the encoder walks that array
 * itself. Split tables (instance __dict__s) and CPythons whose dict layout is
 * not in their installed headers (before 3.11) report no table and take
 * PyDict_Next; dict_table.c is the one file that reads CPython's internals. */
#ifndef JC_ENCODE_DICT_TABLE_H
#define JC_ENCODE_DICT_TABLE_H

#include "compat.h"

typedef struct jc_dict_table {
    PyObject **slots;   /* entry i: key at slots[i * stride], value at +1 */
    Py_ssize_t stride;  /* pointers per entry */
    Py_ssize_t entries; /* entries in use, deleted ones included (value NULL) */
    const void *keys;   /* the table: the dict was resized if it changed */
} jc_dict_table;

/* dict's table (true), or false when it must be walked with PyDict_Next. */
bool jc_dict_table_of(PyObject *dict, jc_dict_table *table);

/* Whether dict still has the table read by jc_dict_table_of: Python code run
 * while a member was written (a tzinfo's utcoffset, `default`) may resize it. */
JC_INLINE bool jc_dict_table_current(PyObject *dict, const jc_dict_table *table)
{
    return (const void *)((PyDictObject *)dict)->ma_keys == table->keys;
}

#endif /* JC_ENCODE_DICT_TABLE_H */
