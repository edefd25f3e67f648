/* The registry of the further types (types.h): which Python types they are,
 * found once per interpreter and kept in the module state. The datetime C API
 * is read at import; uuid.UUID, enum.Enum, decimal.Decimal, dataclasses'
 * field marker and numpy's types only once their module is in sys.modules
 * (jcodec imports none of them itself, and an object of such a type cannot
 * exist before its module is loaded), except decimal for loads(decimal=True),
 * which makes Decimals. Dataclass field lists are cached per class. */
#ifndef JC_ENCODE_TYPES_REGISTRY_H
#define JC_ENCODE_TYPES_REGISTRY_H

#include "compat.h"
#include <stdbool.h>
#include <stdint.h>

/* Per-type facts about a dataclass, cached (registry.c) and checked against
 * the class's version tag, which CPython changes whenever the class or one of
 * its bases is modified (so a new __dataclass_fields__ or __slots__ is
 * seen), and against a snapshot of __dataclass_fields__, which may be
 * changed in place without the class being modified. */
typedef struct jc_dataclass_info {
    PyTypeObject *type;    /* borrowed: the tag below tells a new class at the
                              same address from the old one */
    unsigned int version;  /* the type's tp_version_tag when cached */
    PyObject *fields_dict; /* owned: the class's __dataclass_fields__ when cached */
    PyObject *fields;      /* owned tuple: its keys and Field objects then
                              (key, field, ...), compared by identity */
    PyObject *names;       /* owned tuple: the serialized fields, in definition order */
    bool has_slots;        /* the class defines __slots__: attributes, not __dict__ */
} jc_dataclass_info;

/* Entries, in sets of JC_DATACLASS_WAYS chosen by the class's address: two
 * classes of one set are both kept, where a direct-mapped cache would have
 * them take an entry in turn and read their fields again on every instance. */
#define JC_DATACLASS_CACHE 64
#define JC_DATACLASS_WAYS  2

/* What dumps writes of a dataclass (jc_types_dataclass_fields). */
typedef struct jc_dataclass_fields {
    PyObject *names; /* a new reference: the serialized fields, in definition order */
    bool has_slots;  /* read as attributes, not from __dict__ */
} jc_dataclass_fields;

/* numpy's types, found through sys.modules when OPT_SERIALIZE_NUMPY meets an
 * unknown type (numpy.c). */
typedef struct jc_numpy_types {
    bool looked; /* numpy was in sys.modules and these were read */
    PyTypeObject *ndarray;
    PyTypeObject *float64, *float32, *float16;
    PyTypeObject *int64, *int32, *int16, *int8;
    PyTypeObject *uint64, *uint32, *uint16, *uint8;
    PyTypeObject *bool_, *datetime64;
} jc_numpy_types;

/* Everything here belongs to one interpreter (it lives in the module state). */
typedef struct jc_types {
    /* The datetime C API (datetime.h's capsule, read at import). */
    PyTypeObject *datetime, *date, *time, *delta, *tzinfo;
    PyObject *utc; /* datetime.timezone.utc */

    /* Found once their module is loaded; NULL until then. Strong references. */
    PyTypeObject *uuid;         /* uuid.UUID */
    Py_ssize_t uuid_int_offset; /* where UUID's `int` slot is in an instance, or -1 */
    unsigned int uuid_version;  /* UUID's version tag when that was found */
    PyTypeObject *enum_base;    /* enum.Enum */
    PyTypeObject *decimal;      /* decimal.Decimal (imported by loads(decimal=True)) */
    PyObject *field_marker;     /* dataclasses._FIELD (field._field_type of a real field) */
    jc_numpy_types numpy;       /* strong references while looked */

    PyTypeObject *fragment; /* jcodec.Fragment, a type of this module (strong) */

    jc_gc_switches gc; /* for jc_gc_pause (compat.h): gc's builtins on 3.9 */

    /* Interned attribute names. */
    PyObject *s_utcoffset, *s_normalize, *s_convert, *s_int, *s_value_, *s_value,
        *s_dataclass_fields, *s_field_type, *s_slots, *s_array_struct, *s_dtype, *s_str;

    jc_dataclass_info dataclasses[JC_DATACLASS_CACHE];
} jc_types;

/* registry.c: called by the module's exec, traverse and clear. */
int jc_types_init(PyObject *module, jc_types *t);
int jc_types_traverse(jc_types *t, visitproc visit, void *arg);
void jc_types_clear(jc_types *t);
/* Empties the dataclass cache (part of jc_types_clear; also
 * _cache_clear(dataclasses=True), so that a test can start from no entry). A
 * dumps running meanwhile holds what it read from its entry. */
void jc_types_forget_dataclasses(jc_types *t);

/* Whether `type` is uuid.UUID exactly (looked up once uuid is loaded). */
bool jc_types_is_uuid(jc_types *t, PyTypeObject *type);
/* Where UUID's `int` is read from (uuid_int_offset), found again when the
 * class's version tag changed. */
void jc_types_find_uuid_slot(jc_types *t);
/* Whether `type` is decimal.Decimal exactly (looked up once decimal is
 * loaded; OPT_SERIALIZE_DECIMAL). */
bool jc_types_is_decimal(jc_types *t, PyTypeObject *type);
/* decimal.Decimal, the decimal module imported when it is not loaded yet
 * (loads(decimal=True)); NULL with an error set. Borrowed: the registry
 * holds it. */
PyTypeObject *jc_types_decimal(jc_types *t);
/* Whether `type` is a subclass of enum.Enum. */
bool jc_types_is_enum(jc_types *t, PyTypeObject *type);
/* What dumps writes of a dataclass type (cached), into *out: true. False when
 * `type` is not one (no __dataclass_fields__ in its own dict), with *failed
 * set when looking raised (MemoryError and the like: the exception is set).
 * *out holds its own reference to the names, since Python code that runs
 * while they are written may replace the cache entry. */
bool jc_types_dataclass_fields(jc_types *t, PyTypeObject *type, jc_dataclass_fields *out,
                               bool *failed);
/* numpy's types when numpy is loaded, else NULL. */
const jc_numpy_types *jc_types_numpy(jc_types *t);

#endif /* JC_ENCODE_TYPES_REGISTRY_H */
