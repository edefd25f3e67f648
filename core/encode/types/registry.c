/* The registry of the further types: found once per interpreter. See
 * registry.h. */
#include "encode/types/registry.h"

#include <datetime.h> /* after Python.h */

#include "compat.h"
#include "compiler.h"
#include "dict_table.h"
#include "encode/types/types.h"

/*==============================================================================
 * At import
 *============================================================================*/

static int intern(PyObject **slot, const char *text)
{
    *slot = PyUnicode_InternFromString(text);
    return *slot == NULL ? -1 : 0;
}

int jc_types_init(PyObject *module, jc_types *t)
{
    memset(t, 0, sizeof *t);
    /* The capsule is read into this interpreter's state, not datetime.h's
     * process-wide PyDateTimeAPI. An interpreter may have no C datetime (a
     * 3.12 isolated sub-interpreter gets the pure-Python _pydatetime): its
     * datetimes are then not recognised, and go to default. */
    PyDateTime_CAPI *api = (PyDateTime_CAPI *)PyCapsule_Import(PyDateTime_CAPSULE_NAME, 0);
    if (api == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_ImportError) &&
            !PyErr_ExceptionMatches(PyExc_AttributeError))
            return -1;
        PyErr_Clear();
    } else {
        t->datetime = (PyTypeObject *)Py_NewRef(api->DateTimeType);
        t->date = (PyTypeObject *)Py_NewRef(api->DateType);
        t->time = (PyTypeObject *)Py_NewRef(api->TimeType);
        t->delta = (PyTypeObject *)Py_NewRef(api->DeltaType);
        t->tzinfo = (PyTypeObject *)Py_NewRef(api->TZInfoType);
        t->utc = Py_NewRef(api->TimeZone_UTC);
    }
    t->fragment = jc_fragment_type_new(module);
    if (t->fragment == NULL)
        return -1;
    if (jc_gc_switches_init(&t->gc) < 0)
        return -1;
    if (intern(&t->s_utcoffset, "utcoffset") < 0 || intern(&t->s_normalize, "normalize") < 0 ||
        intern(&t->s_convert, "convert") < 0 || intern(&t->s_int, "int") < 0 ||
        intern(&t->s_value_, "_value_") < 0 || intern(&t->s_value, "value") < 0 ||
        intern(&t->s_dataclass_fields, "__dataclass_fields__") < 0 ||
        intern(&t->s_field_type, "_field_type") < 0 || intern(&t->s_slots, "__slots__") < 0 ||
        intern(&t->s_array_struct, "__array_struct__") < 0 || intern(&t->s_dtype, "dtype") < 0 ||
        intern(&t->s_str, "str") < 0)
        return -1;
    return 0;
}

/* Every reference the registry owns, for traverse and clear. */
/* One field a line, left as written: clang-format 14 reflows these lists
 * differently on each run. */
// clang-format off
#define JC_NUMPY_TYPES(X) \
    X(numpy.ndarray)      \
    X(numpy.float64)      \
    X(numpy.float32)      \
    X(numpy.float16)      \
    X(numpy.int64)        \
    X(numpy.int32)        \
    X(numpy.int16)        \
    X(numpy.int8)         \
    X(numpy.uint64)       \
    X(numpy.uint32)       \
    X(numpy.uint16)       \
    X(numpy.uint8)        \
    X(numpy.bool_)        \
    X(numpy.datetime64)
#define JC_OWNED(X)       \
    X(datetime)           \
    X(date)               \
    X(time)               \
    X(delta)              \
    X(tzinfo)             \
    X(utc)                \
    X(fragment)           \
    X(uuid)               \
    X(enum_base)          \
    X(decimal)            \
    X(field_marker)       \
    JC_NUMPY_TYPES(X)     \
    X(s_utcoffset)        \
    X(s_normalize)        \
    X(s_convert)          \
    X(s_int)              \
    X(s_value_)           \
    X(s_value)            \
    X(s_dataclass_fields) \
    X(s_field_type)       \
    X(s_slots)            \
    X(s_array_struct)     \
    X(s_dtype)            \
    X(s_str)              \
    X(gc.isenabled)       \
    X(gc.disable)         \
    X(gc.enable)
// clang-format on

int jc_types_traverse(jc_types *t, visitproc visit, void *arg)
{
#define JC_VISIT(field) Py_VISIT(t->field);
    JC_OWNED(JC_VISIT)
#undef JC_VISIT
    /* The cached __dataclass_fields__ and snapshots hold Field objects,
     * which may be in reference cycles. */
    for (size_t i = 0; i < JC_DATACLASS_CACHE; i++) {
        Py_VISIT(t->dataclasses[i].fields_dict);
        Py_VISIT(t->dataclasses[i].fields);
    }
    return 0;
}

void jc_types_clear(jc_types *t)
{
#define JC_CLEAR(field) Py_CLEAR(t->field);
    JC_OWNED(JC_CLEAR)
#undef JC_CLEAR
    t->numpy.looked = false;
    jc_types_forget_dataclasses(t);
}

/* The references of an entry already taken out of the cache: releasing them
 * can run Python code, which may dump a dataclass and so read or fill the
 * cache, so the entry must no longer be in it. */
static void release_dataclass_entry(jc_dataclass_info old)
{
    Py_XDECREF(old.names);
    Py_XDECREF(old.fields);
    Py_XDECREF(old.fields_dict);
}

void jc_types_forget_dataclasses(jc_types *t)
{
    /* each entry emptied first (a field removed from __dataclass_fields__ in
     * place, which only the snapshot still holds, may have a finalizer) */
    for (size_t i = 0; i < JC_DATACLASS_CACHE; i++) {
        jc_dataclass_info old = t->dataclasses[i];
        t->dataclasses[i] = (jc_dataclass_info){.type = NULL};
        release_dataclass_entry(old);
    }
}

/*==============================================================================
 * Found through sys.modules
 *============================================================================*/

/* sys.modules[module].name, a new reference, or NULL (no error) when the
 * module is not loaded or has no such attribute: then no object of the type
 * can exist yet, and nothing is cached. */
static PyObject *loaded_attribute(const char *module, const char *name)
{
    PyObject *module_name = PyUnicode_FromString(module);
    if (module_name == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *loaded = PyImport_GetModule(module_name);
    Py_DECREF(module_name);
    if (loaded == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *value = PyObject_GetAttrString(loaded, name);
    Py_DECREF(loaded);
    if (value == NULL)
        PyErr_Clear();
    return value;
}

static PyTypeObject *loaded_type(const char *module, const char *name)
{
    PyObject *value = loaded_attribute(module, name);
    if (value != NULL && !PyType_Check(value))
        Py_CLEAR(value);
    return (PyTypeObject *)value;
}

/* The version tag CPython gives a class and changes when it (or a base) is
 * modified; 0 when it has none, and then nothing about it is cached. */
static unsigned int type_version(PyTypeObject *type, PyObject *name)
{
#if PY_VERSION_HEX >= 0x030C0000
    (void)name;
    return PyUnstable_Type_AssignVersionTag(type) ? type->tp_version_tag : 0;
#else
    (void)jc_type_lookup(type, name); /* assigns a tag when it can */
    return PyType_HasFeature(type, Py_TPFLAGS_VALID_VERSION_TAG) ? type->tp_version_tag : 0;
#endif
}

bool jc_types_is_uuid(jc_types *t, PyTypeObject *type)
{
    if (jc_likely(t->uuid != NULL))
        return type == t->uuid;
    /* Only a class named UUID can be it: the name filters every other type
     * before sys.modules is consulted, mostly by its first letter (this runs
     * for every dataclass instance of a program that never imports uuid). */
    if (type->tp_name[0] != 'U' || strcmp(type->tp_name, "UUID") != 0)
        return false;
    t->uuid = loaded_type("uuid", "UUID");
    if (t->uuid != NULL)
        jc_types_find_uuid_slot(t);
    return type == t->uuid;
}

void jc_types_find_uuid_slot(jc_types *t)
{
    /* UUID keeps `int` in a __slots__ member: read straight from the
     * instance while the class is unchanged (its version tag says so). */
    t->uuid_int_offset = -1;
    t->uuid_version = type_version(t->uuid, t->s_int);
    PyObject *descr = jc_type_lookup(t->uuid, t->s_int);
    if (t->uuid_version != 0 && descr != NULL && Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
        if (member->type == JC_MEMBER_OBJECT && !(member->flags & JC_MEMBER_READONLY))
            t->uuid_int_offset = member->offset;
    }
}

bool jc_types_is_decimal(jc_types *t, PyTypeObject *type)
{
    if (jc_likely(t->decimal != NULL))
        return type == t->decimal;
    /* The C type is "decimal.Decimal", the pure-Python one "Decimal": the
     * name after the last dot filters every other type first. */
    const char *dot = strrchr(type->tp_name, '.');
    if (strcmp(dot != NULL ? dot + 1 : type->tp_name, "Decimal") != 0)
        return false;
    t->decimal = loaded_type("decimal", "Decimal");
    return type == t->decimal;
}

PyTypeObject *jc_types_decimal(jc_types *t)
{
    if (jc_likely(t->decimal != NULL))
        return t->decimal;
    PyObject *module = PyImport_ImportModule("decimal");
    PyObject *type = module != NULL ? PyObject_GetAttrString(module, "Decimal") : NULL;
    Py_XDECREF(module);
    if (type != NULL && !PyType_Check(type)) {
        Py_CLEAR(type);
        PyErr_SetString(PyExc_TypeError, "decimal.Decimal is not a type");
    }
    t->decimal = (PyTypeObject *)type;
    return t->decimal;
}

bool jc_types_is_enum(jc_types *t, PyTypeObject *type)
{
    /* Enum classes are made by enum's metaclass, not by type itself. */
    if (jc_likely(Py_IS_TYPE(type, &PyType_Type)))
        return false;
    if (t->enum_base == NULL && (t->enum_base = loaded_type("enum", "Enum")) == NULL)
        return false;
    return PyType_IsSubtype(type, t->enum_base);
}

const jc_numpy_types *jc_types_numpy(jc_types *t)
{
    if (jc_likely(t->numpy.looked))
        return &t->numpy;
    PyObject *module_name = PyUnicode_FromString("numpy");
    PyObject *numpy = module_name ? PyImport_GetModule(module_name) : NULL;
    Py_XDECREF(module_name);
    if (numpy == NULL) {
        PyErr_Clear();
        return NULL;
    }
    Py_DECREF(numpy);
    /* numpy's attribute is the field's name after "numpy.". A lookup that
     * failed (a failed allocation: loaded_type clears the error) is not
     * cached, or that type would go unrecognised for the interpreter's
     * life: the types are looked up again by the next call that needs them. */
    bool complete = true;
#define JC_FIND_NUMPY(field)                                                  \
  {                                                                           \
    PyTypeObject *found = loaded_type("numpy", &#field[sizeof "numpy." - 1]); \
    Py_XSETREF(t->field, found);                                              \
    complete &= found != NULL;                                                \
  }
    JC_NUMPY_TYPES(JC_FIND_NUMPY)
#undef JC_FIND_NUMPY
    t->numpy.looked = complete;
    return &t->numpy;
}

/*==============================================================================
 * Dataclasses
 *============================================================================*/

/* __dataclass_fields__'s keys and values as they are now, a tuple (key,
 * field, key, field...) in the dict's order; NULL with an error set. No
 * Python code runs while it is read. */
static PyObject *fields_snapshot(PyObject *fields)
{
    Py_ssize_t n = PyDict_GET_SIZE(fields), pos = 0, i = 0;
    PyObject *snapshot = PyTuple_New(2 * n);
    if (snapshot == NULL)
        return NULL;
    PyObject *key, *value;
    while (i < n && PyDict_Next(fields, &pos, &key, &value)) {
        PyTuple_SET_ITEM(snapshot, 2 * i, Py_NewRef(key));
        PyTuple_SET_ITEM(snapshot, 2 * i + 1, Py_NewRef(value));
        i++;
    }
    return snapshot; /* i == n: PyDict_Next gives the dict's size in members */
}

/* Whether `fields` holds what `snapshot` holds: the same key and field
 * objects, in the same order. The snapshot owns them, so none can have been
 * freed and another made at its address. Read from the dict's table where it
 * has one (dict_table.h): a few instructions a field, against one dict
 * lookup and one write a field for the instance itself. */
JC_INLINE bool fields_unchanged(PyObject *fields, PyObject *snapshot)
{
    Py_ssize_t n = PyTuple_GET_SIZE(snapshot), i = 0;
    if (PyDict_GET_SIZE(fields) * 2 != n)
        return false;
    PyObject *const *held = &PyTuple_GET_ITEM(snapshot, 0);
    jc_dict_table table;
    if (jc_likely(jc_dict_table_of(fields, &table))) {
        /* No deleted entry, and a table of (key, value) pairs: the
         * snapshot's own layout. */
        if (jc_likely(table.stride == 2 && table.entries * 2 == n))
            return memcmp(table.slots, held, (size_t)n * sizeof(PyObject *)) == 0;
        PyObject *const *slot = table.slots, *const *end = slot + table.entries * table.stride;
        for (; slot < end; slot += table.stride) {
            if (slot[1] == NULL)
                continue; /* a deleted entry */
            if (i == n || slot[0] != held[i] || slot[1] != held[i + 1])
                return false;
            i += 2;
        }
        return i == n;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(fields, &pos, &key, &value)) {
        if (i == n || key != held[i] || value != held[i + 1])
            return false;
        i += 2;
    }
    return i == n;
}

/* The names of the fields dumps writes, from a snapshot of
 * __dataclass_fields__ (fields_snapshot): a Field whose _field_type is
 * dataclasses._FIELD (not a ClassVar or InitVar), with a str name not
 * starting with '_'. NULL with an error set on failure. */
static PyObject *serialized_fields(jc_types *t, PyObject *snapshot)
{
    if (t->field_marker == NULL &&
        (t->field_marker = loaded_attribute("dataclasses", "_FIELD")) == NULL) {
        PyErr_SetString(PyExc_TypeError, "__dataclass_fields__ without the dataclasses module");
        return NULL;
    }
    PyObject *names = PyList_New(0);
    if (names == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(snapshot); i += 2) {
        PyObject *name = PyTuple_GET_ITEM(snapshot, i);
        PyObject *kind = PyObject_GetAttr(PyTuple_GET_ITEM(snapshot, i + 1), t->s_field_type);
        if (kind == NULL)
            goto error;
        bool serialized = kind == t->field_marker && PyUnicode_Check(name) &&
                          PyUnicode_GET_LENGTH(name) > 0 && PyUnicode_READ_CHAR(name, 0) != '_';
        Py_DECREF(kind);
        if (serialized && PyList_Append(names, name) < 0)
            goto error;
    }
    PyObject *tuple = PyList_AsTuple(names);
    Py_DECREF(names);
    return tuple;
error:
    Py_DECREF(names);
    return NULL;
}

_Static_assert(JC_DATACLASS_CACHE % JC_DATACLASS_WAYS == 0 &&
                   JC_DATACLASS_CACHE >= JC_DATACLASS_WAYS,
               "the dataclass cache is whole sets");

/* The first entry of the set for `type`: Fibonacci hashing of the address,
 * whose low bits are the allocator's alignment and whose next ones repeat with
 * the size of a type object. */
static jc_dataclass_info *dataclass_set(jc_types *t, PyTypeObject *type)
{
    enum { SETS = JC_DATACLASS_CACHE / JC_DATACLASS_WAYS };
    uint64_t mixed = (uint64_t)(uintptr_t)type * UINT64_C(0x9E3779B97F4A7C15);
    return &t->dataclasses[(size_t)(mixed >> 32) % SETS * JC_DATACLASS_WAYS];
}

/* While the class is unmodified (its version tag valid and the one cached:
 * setting or deleting any attribute of a class modifies it), it holds the
 * __dataclass_fields__ cached, which the entry holds too; that dict may have
 * been changed in place all the same (the class is not modified then), which
 * the snapshot tells. */
JC_INLINE bool dataclass_entry_current(const jc_dataclass_info *info, PyTypeObject *type)
{
    return info->type == type && info->version != 0 && info->version == type->tp_version_tag &&
           PyType_HasFeature(type, Py_TPFLAGS_VALID_VERSION_TAG) &&
           fields_unchanged(info->fields_dict, info->fields);
}

/* The entry's facts, with a reference to its names of the caller's own. */
JC_INLINE bool dataclass_fields_of(const jc_dataclass_info *info, jc_dataclass_fields *out)
{
    out->names = Py_NewRef(info->names);
    out->has_slots = info->has_slots;
    return true;
}

bool jc_types_dataclass_fields(jc_types *t, PyTypeObject *type, jc_dataclass_fields *out,
                               bool *failed)
{
    jc_dataclass_info *set = dataclass_set(t, type);
    if (jc_likely(dataclass_entry_current(&set[0], type)))
        return dataclass_fields_of(&set[0], out);
    for (int way = 1; way < JC_DATACLASS_WAYS; way++) {
        if (dataclass_entry_current(&set[way], type)) {
            /* the set's entries stay in order of last use: this one to the front */
            jc_dataclass_info hit = set[way];
            memmove(&set[1], &set[0], (size_t)way * sizeof *set);
            set[0] = hit;
            return dataclass_fields_of(&set[0], out);
        }
    }
    PyObject *own = type->tp_dict;
    if (own == NULL || !PyDict_Check(own))
        return false;
    PyObject *fields = PyDict_GetItemWithError(own, t->s_dataclass_fields);
    if (fields == NULL) {
        *failed = PyErr_Occurred() != NULL;
        return false;
    }
    if (!PyDict_Check(fields))
        return false;
    /* A new class, or one changed since: read its fields again. The tag is
     * taken first: should Python code run meanwhile (a Field's attribute)
     * and modify the class, the entry is stale at once and read again next
     * time. */
    PyObject *snapshot = NULL, *names = NULL;
    bool found = false;
    unsigned int version = type_version(type, t->s_dataclass_fields);
    Py_INCREF(fields);
    snapshot = fields_snapshot(fields);
    names = snapshot != NULL ? serialized_fields(t, snapshot) : NULL;
    int slots = names != NULL ? PyDict_Contains(own, t->s_slots) : -1;
    if (slots < 0) {
        *failed = true;
        goto done;
    }
    /* The least recently used entry goes (the class's own stale entry
     * wherever it is, else the last); the rest move back one. Its references
     * are released once the set is whole again and the result held. */
    int victim = JC_DATACLASS_WAYS - 1;
    for (int way = 0; way < victim; way++)
        if (set[way].type == type)
            victim = way;
    jc_dataclass_info evicted = set[victim];
    memmove(&set[1], &set[0], (size_t)victim * sizeof *set);
    set[0] = (jc_dataclass_info){
        .type = type,
        .version = version,
        .fields_dict = Py_NewRef(fields),
        .fields = snapshot,
        .names = names,
        .has_slots = slots,
    };
    found = dataclass_fields_of(&set[0], out);
    snapshot = names = NULL; /* the entry's now */
    release_dataclass_entry(evicted);
done:
    Py_XDECREF(names);
    Py_XDECREF(snapshot);
    Py_DECREF(fields);
    return found;
}
