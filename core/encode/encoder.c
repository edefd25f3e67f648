/* Encoder stage: dispatch and containers, and the rare cases out of line
 * (subclasses, non-str keys, `default`). See encoder.h for the pipeline. */
#include "encode/encoder.h"

#include <math.h>

#include "alloc.h"
#include "dict_table.h"
#include "encode/float_print.h"
#include "encode/number.h"
#include "encode/str.h"
#include "encode/types/types.h"
#include "stack_guard.h"

/* Stream mode: core/stream/encode_stream.c compiles this file a second time
 * for dump() and dump_lines(), with JC_ENCODE_STREAM_COPY defined to 1 and
 * its own JC_ENCODE_SAFE_POINT and JC_ENCODE_FLUSHES. A safe point is a place
 * between two members of a container where the encoder holds every object it
 * will touch again (the container, held while it is written; in the stream
 * copy its keys too, as they are with `default`), so Python code may run
 * there: the stream copy hands the output so far to fp.write() at these
 * points, never in the middle of a value (a write() that empties the list
 * being written then frees nothing the encoder still reads).
 * JC_ENCODE_FLUSHES(e) counts the times it did, so a dict walked through its
 * table (which write() may have replaced) knows to stop trusting it. Here,
 * for dumps, all three are 0 and compile to nothing. */
#ifndef JC_ENCODE_STREAM_COPY
#  define JC_ENCODE_STREAM_COPY   0
#  define JC_ENCODE_SAFE_POINT(e) 0
#  define JC_ENCODE_FLUSHES(e)    0
#endif

/*==============================================================================
 * Literals
 *============================================================================*/

JC_INLINE int write_literal(jc_encoder *e, const char *text, size_t len)
{
    if (jc_unlikely(jc_writer_reserve(&e->out, 8) < 0))
        return jc_encode_fail_python(&e->err);
    memcpy(jc_writer_pos(&e->out), text, 8); /* whole word; len counts */
    e->out.len += len;
    return 0;
}

/*==============================================================================
 * Scalars in their container's reservation
 *============================================================================*/

/* Room for a comma and any scalar write_scalar_at writes: a float's
 * JC_DOUBLE_REPR_MAX covers its whole-word stores, and more than a 64-bit
 * int's 21 bytes or a literal's 8-byte store. */
#define SCALAR_ROOM (1 + JC_DOUBLE_REPR_MAX)

/* An exact float, an int of 64 bits, None, True or False, written at o with
 * SCALAR_ROOM there; returns the end, or NULL for anything else, then having
 * written nothing that counts. The general path (encode_value_inline) takes
 * what this one leaves, and reports what it does not check: an int outside
 * OPT_STRICT_INTEGER's range is left to it too. */
JC_INLINE char *write_scalar_at(const jc_encoder *e, PyObject *obj, char *o)
{
    PyTypeObject *type = Py_TYPE(obj);
    if (type == &PyFloat_Type) {
        double v = PyFloat_AS_DOUBLE(obj);
        if (jc_likely(isfinite(v)))
            return o + jc_write_double_repr(v, o);
        memcpy(o, "null", 4);
        return o + 4;
    }
    if (type == &PyLong_Type) {
        int64_t v;
        if (jc_unlikely(!jc_long_is_small(obj, &v)) && !jc_long_is_two_digits(obj, &v))
            return NULL;
        if (outside_strict_range(e, v))
            return NULL;
        return write_i64_at(o, v);
    }
    const char *literal = obj == Py_None    ? "null    "
                          : obj == Py_True  ? "true    "
                          : obj == Py_False ? "false   "
                                            : NULL;
    if (literal == NULL)
        return NULL;
    memcpy(o, literal, 8); /* whole word; the length counts */
    return o + 4 + (obj == Py_False);
}

/* Sequences of at most this many members are tried as a leaf. */
#define LEAF_MAX_ITEMS 32

/* Whether a sequence is worth trying as a leaf: 1 to LEAF_MAX_ITEMS members,
 * the first a number (lists of literals alone are rare). */
JC_INLINE bool may_be_leaf(PyObject *seq, PyObject *const *items)
{
    if ((size_t)Py_SIZE(seq) - 1 >= LEAF_MAX_ITEMS)
        return false;
    PyTypeObject *first = Py_TYPE(items[0]);
    return first == &PyFloat_Type || first == &PyLong_Type;
}

/* A list or tuple of 1 to LEAF_MAX_ITEMS members (may_be_leaf) that are all
 * scalars write_scalar_at writes (a coordinate pair, a row of numbers),
 * written in one reservation with the comma before it when `comma`, without
 * entering it: no Python code runs and nothing recurses, so it needs no
 * reference, no stack check and no safe point. 1 when written, 0 when seq is
 * not such a leaf (nothing counted: the output length moves only at the end),
 * -1 on failure. */
JC_INLINE int write_leaf_sequence(jc_encoder *e, PyObject *seq, PyObject *const *items, bool comma)
{
    Py_ssize_t n = Py_SIZE(seq);
    if (e->depth >= JC_ENCODE_MAX_DEPTH || (e->opts & JC_OPT_INDENT_2))
        return 0;
    if (jc_unlikely(jc_writer_reserve(&e->out, (size_t)n * SCALAR_ROOM + 2) < 0))
        return jc_encode_fail_python(&e->err);
    char *o = jc_writer_pos(&e->out);
    *o = ',';
    o += comma;
    *o++ = '[';
    for (Py_ssize_t i = 0; i < n; i++) {
        o = write_scalar_at(e, items[i], o);
        if (o == NULL)
            return 0;
        *o++ = ',';
    }
    o[-1] = ']';
    e->out.len = (size_t)(o - e->out.data);
    return 1;
}

/*==============================================================================
 * Containers
 *============================================================================*/

static int encode_value(jc_encoder *e, PyObject *obj);
JC_INLINE int encode_value_inline(jc_encoder *e, PyObject *obj);
static int encode_dict(jc_encoder *e, PyObject *dict);
static int encode_sequence(jc_encoder *e, PyObject *seq, bool is_list);
static int encode_entered_sequence(jc_encoder *e, PyObject *seq, bool is_list);
static int encode_other(jc_encoder *e, PyObject *obj);
static PyObject *key_to_str(jc_encoder *e, PyObject *key);

/* OPT_INDENT_2: a newline and two spaces per level. */
JC_INLINE int write_newline_indent(jc_encoder *e, int depth)
{
    size_t spaces = 2 * (size_t)depth;
    if (jc_unlikely(jc_writer_reserve(&e->out, spaces + 1) < 0))
        return jc_encode_fail_python(&e->err);
    char *o = jc_writer_pos(&e->out);
    o[0] = '\n';
    memset(o + 1, ' ', spaces);
    e->out.len += spaces + 1;
    return 0;
}

JC_INLINE int write_byte(jc_encoder *e, char c)
{
    if (jc_unlikely(jc_writer_reserve(&e->out, 1) < 0))
        return jc_encode_fail_python(&e->err);
    jc_writer_put(&e->out, c);
    return 0;
}

/* An empty container is written without entering it, but it is one level
 * all the same (orjson counts it too). */
JC_INLINE int check_empty_depth(jc_encoder *e)
{
    if (jc_unlikely(e->depth >= JC_ENCODE_MAX_DEPTH))
        return jc_encode_fail(&e->err, JC_ENCODE_DEPTH, "maximum nesting depth of %d exceeded",
                              JC_ENCODE_MAX_DEPTH);
    return 0;
}

/* Containers recurse on the C stack: each level checks it has room (a
 * re-entrant call may start with little left). */
JC_INLINE int enter_container(jc_encoder *e)
{
    if (jc_unlikely(++e->depth > JC_ENCODE_MAX_DEPTH))
        return jc_encode_fail(&e->err, JC_ENCODE_DEPTH, "maximum nesting depth of %d exceeded",
                              JC_ENCODE_MAX_DEPTH);
    if (jc_stack_exhausted(e->stack_floor)) {
        e->depth--;
        jc_stack_fail(" while encoding a JSON object");
        return jc_encode_fail_python(&e->err);
    }
    return 0;
}

/* A container of n members: written at once when empty ("[]" or "{}", a
 * level all the same: returns 1), else opened (its bracket, one level deeper,
 * the container held while its members are written: returns 0); -1 on
 * failure. */
JC_INLINE int open_container(jc_encoder *e, PyObject *container, Py_ssize_t n, char bracket,
                             const char *empty)
{
    if (n == 0) {
        if (check_empty_depth(e) < 0 || write_literal(e, empty, 2) < 0)
            return -1;
        return 1;
    }
    if (jc_unlikely(enter_container(e) < 0))
        return -1;
    Py_INCREF(container);
    if (jc_unlikely(write_byte(e, bracket) < 0)) {
        e->depth--;
        Py_DECREF(container);
        return -1;
    }
    return 0;
}

/* After the members (status: how writing them went): one level up, the
 * newline before the bracket under OPT_INDENT_2, the bracket; the container
 * released. */
JC_INLINE int close_container(jc_encoder *e, PyObject *container, int status, bool indent,
                              char bracket)
{
    e->depth--;
    if (status == 0 && indent)
        status = write_newline_indent(e, e->depth);
    if (status == 0)
        status = write_byte(e, bracket);
    Py_DECREF(container);
    return status;
}

/* The next item's table when it is a dict, one item ahead: a table lives
 * apart from its dict, and in a list of records each is a cache miss (dumps
 * citm_catalog, ./bench medians of 3, two runs: jcodec/orjson 0.598 and 0.574
 * before, 0.546 and 0.537 after; twitter 0.380 and 0.382, 0.342 and 0.339; the
 * same one member ahead in a dict's members gained nothing and lost on github
 * and twitter). */
JC_INLINE void prefetch_dict_table(PyObject *next)
{
    if (Py_TYPE(next) == &PyDict_Type)
        jc_dict_table_prefetch(next);
}

/* list and tuple. The size is read on every step: `default` may shrink a
 * list while it is being written (the rest is then simply not there), and the
 * reference held on the sequence keeps it alive meanwhile. */
JC_NOINLINE static int encode_entered_sequence(jc_encoder *e, PyObject *seq, bool is_list)
{
    int opened = open_container(e, seq, Py_SIZE(seq), '[', "[]      ");
    if (opened != 0)
        return opened < 0 ? -1 : 0;
    bool indent = e->opts & JC_OPT_INDENT_2;
    int status = 0;
    for (Py_ssize_t i = 0; status == 0 && i < Py_SIZE(seq); i++) {
        PyObject *item = is_list ? PyList_GET_ITEM(seq, i) : PyTuple_GET_ITEM(seq, i);
        /* in a list of records, the next record's table */
        if (Py_TYPE(item) == &PyDict_Type && i + 1 < Py_SIZE(seq))
            prefetch_dict_table(is_list ? PyList_GET_ITEM(seq, i + 1)
                                        : PyTuple_GET_ITEM(seq, i + 1));
        /* A list of leaves (coordinates, rows of a matrix): each written here,
         * with its comma, without a call. */
        if (Py_TYPE(item) == &PyList_Type && may_be_leaf(item, ((PyListObject *)item)->ob_item)) {
            int leaf = write_leaf_sequence(e, item, ((PyListObject *)item)->ob_item, i > 0);
            if (leaf != 0) {
                status = leaf < 0 ? -1 : JC_ENCODE_SAFE_POINT(e);
                continue;
            }
        }
        if (i > 0)
            status = write_byte(e, ',');
        if (status == 0 && indent)
            status = write_newline_indent(e, e->depth);
        if (status < 0)
            break;
        if (jc_unlikely(encode_value_inline(e, item) < 0))
            status = jc_encode_note_path(&e->err, seq, NULL, i);
        else /* before the size is read again */
            status = JC_ENCODE_SAFE_POINT(e);
    }
    return close_container(e, seq, status, indent, ']');
}

/* A sequence that may_be_leaf: as a leaf when it is one, else entered. */
JC_NOINLINE static int encode_leaf_or_entered(jc_encoder *e, PyObject *seq, PyObject *const *items,
                                              bool is_list)
{
    int leaf = write_leaf_sequence(e, seq, items, false);
    if (leaf != 0)
        return leaf < 0 ? -1 : 0;
    return encode_entered_sequence(e, seq, is_list);
}

/* A list or tuple: "[]" when empty, as a leaf when it is one, else entered.
 * Small and out of line, so that the dispatch inlined in every container
 * loop stays small and a sequence costs a few compares before the call that
 * writes it. */
JC_NOINLINE static int encode_sequence(jc_encoder *e, PyObject *seq, bool is_list)
{
    if (Py_SIZE(seq) == 0)
        return check_empty_depth(e) < 0 ? -1 : write_literal(e, "[]      ", 2);
    PyObject *const *items =
        is_list ? ((PyListObject *)seq)->ob_item : ((PyTupleObject *)seq)->ob_item;
    if (may_be_leaf(seq, items))
        return encode_leaf_or_entered(e, seq, items, is_list);
    return encode_entered_sequence(e, seq, is_list);
}

/* A key of one of the further types, as the text it is written as. */
JC_NOINLINE static PyObject *rich_key_to_str(jc_encoder *e, PyObject *key, int *handled)
{
    jc_types *types = e->types;
    PyTypeObject *type = Py_TYPE(key);
    char text[JC_DATETIME_MAX];
    int len = -2;
    *handled = 1;
    /* OPT_PASSTHROUGH_DATETIME is about values: keys are converted (orjson). */
    if (type == types->datetime)
        len = jc_format_datetime(e, key, text);
    else if (type == types->date)
        len = jc_format_date(key, text);
    else if (type == types->time)
        len = jc_format_time(e, key, text);
    if (len == -2 && jc_types_is_uuid(types, type))
        len = jc_format_uuid(e, key, text);
    if (len == -2 && (e->opts & JC_OPT_SERIALIZE_DECIMAL) && jc_types_is_decimal(types, type))
        return jc_decimal_key(e, key);
    if (len == -2 && jc_types_is_enum(types, type)) {
        /* The member's value, converted as a key of its own type is; a chain
         * of members counts hops as jc_encode_enum does. */
        if (jc_enum_hop_enter(e) < 0)
            return NULL;
        PyObject *value = jc_enum_value(e, key);
        if (value == NULL) {
            e->default_depth--;
            return NULL;
        }
        PyObject *str = PyUnicode_CheckExact(value) ? Py_NewRef(value) : key_to_str(e, value);
        e->default_depth--;
        Py_DECREF(value);
        return str;
    }
    if (len == -2) {
        *handled = 0;
        return NULL;
    }
    if (len < 0)
        return NULL;
    PyObject *str = PyUnicode_FromStringAndSize(text, len);
    if (str == NULL)
        jc_encode_fail_python(&e->err);
    return str;
}

/* A dict key that is not an exact str, as a new str (OPT_NON_STR_KEYS), or
 * NULL with the error recorded. Conversions follow orjson: str subclasses
 * as is, bool and None as their JSON literals, int in decimal, an exact float
 * as repr() writes it (non-finite: "null"), datetime, date, time and UUID as
 * their text, an enum member as its value would be; and, not orjson's, a
 * Decimal with OPT_SERIALIZE_DECIMAL as its digits. */
JC_NOINLINE static PyObject *key_to_str(jc_encoder *e, PyObject *key)
{
    e->rare_entries++;
    if (!(e->opts & JC_OPT_NON_STR_KEYS)) {
        jc_encode_fail(&e->err, JC_ENCODE_KEY_NOT_STR, "Dict key must be str");
        return NULL;
    }
    char buffer[JC_DOUBLE_REPR_MAX + 8];
    PyObject *str = NULL;
    if (PyUnicode_Check(key)) {
        str = PyUnicode_FromObject(key);
    } else if (key == Py_True || key == Py_False || key == Py_None) {
        str = PyUnicode_FromString(key == Py_True ? "true" : key == Py_False ? "false" : "null");
    } else if (PyLong_Check(key)) {
        return jc_int_to_decimal(e, key);
    } else if (PyFloat_CheckExact(key)) {
        /* Exact floats only: a subclass (numpy.float64 is one) is refused
         * below, as orjson refuses it, unless it is an enum member. */
        double v = PyFloat_AS_DOUBLE(key);
        size_t len = isfinite(v) ? jc_write_double_repr(v, buffer) : 4;
        if (!isfinite(v))
            memcpy(buffer, "null", 4);
        str = PyUnicode_FromStringAndSize(buffer, (Py_ssize_t)len);
    } else {
        int handled;
        str = rich_key_to_str(e, key, &handled);
        if (handled)
            return str;
        jc_encode_fail(&e->err, JC_ENCODE_KEY_TYPE,
                       "Dict key must be a type serializable with OPT_NON_STR_KEYS, not %s",
                       jc_type_name(key));
        return NULL;
    }
    if (str == NULL)
        jc_encode_fail_python(&e->err);
    return str;
}

/* Whether key, compared by identity and never dereferenced, is still one of
 * dict's keys. */
static bool dict_has_key_object(PyObject *dict, PyObject *key)
{
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(dict, &pos, &k, &v)) {
        if (k == key)
            return true;
    }
    return false;
}

/* The path step of a member that failed. Without `default` the encoder holds
 * no reference to the key (the dict's suffices while no Python code runs),
 * but a rich type's Python code (a tzinfo's utcoffset(), an enum key's value)
 * may have deleted the member meanwhile, freeing the key: it is named only
 * while the dict still holds it, else the step says the key was deleted. */
JC_NOINLINE static int note_member(jc_encoder *e, PyObject *dict, PyObject *key)
{
    bool held = e->default_fn != NULL || (e->opts & JC_OPT_SORT_KEYS);
    if (!held && !dict_has_key_object(dict, key))
        return jc_encode_note_path(&e->err, dict, NULL, JC_PATH_DELETED_KEY);
    return jc_encode_note_path(&e->err, dict, key, 0);
}

/* A member's comma (unless first), OPT_INDENT_2's newline, key and colon, for
 * the keys encode_member_named does not write in one reservation; -1 with the
 * error recorded (and the member noted where its key failed). */
JC_INLINE int write_member_key(jc_encoder *e, PyObject *dict, PyObject *key, PyObject *named,
                               bool first, bool indent)
{
    if (!first && jc_unlikely(write_byte(e, ',') < 0))
        return -1;
    if (indent && jc_unlikely(write_newline_indent(e, e->depth) < 0))
        return -1;
    int status;
    if (jc_likely(PyUnicode_CheckExact(key))) {
        status = write_str(e, key);
    } else {
        PyObject *text = key_to_str(e, key);
        if (text == NULL)
            return note_member(e, dict, named);
        status = write_str(e, text);
        Py_DECREF(text);
    }
    if (jc_unlikely(status < 0)) {
        if (e->err.code == JC_ENCODE_OK)
            jc_encode_fail_python(&e->err);
        return note_member(e, dict, named);
    }
    if (jc_unlikely(jc_writer_reserve(&e->out, 2) < 0))
        return jc_encode_fail_python(&e->err);
    jc_writer_put(&e->out, ':');
    if (indent)
        jc_writer_put(&e->out, ' ');
    return 0;
}

/* One "key": value member; `first` says whether a comma goes before it. An
 * error's path names `named`: the dict's own key, where `key` is the text it
 * was converted to (encode_dict_sorted). */
JC_INLINE int encode_member_named(jc_encoder *e, PyObject *dict, PyObject *key, PyObject *named,
                                  PyObject *value, bool first, bool indent)
{
    if (jc_likely(!indent && PyUnicode_CheckExact(key) && PyUnicode_IS_COMPACT_ASCII(key))) {
        /* the common case: ',"key":' in one reservation */
        if (jc_unlikely(write_ascii_str_framed(&e->out, jc_compact_ascii_data(key),
                                               (size_t)PyUnicode_GET_LENGTH(key), !first,
                                               true) < 0)) {
            jc_encode_fail_python(&e->err);
            return note_member(e, dict, named);
        }
    } else if (jc_unlikely(write_member_key(e, dict, key, named, first, indent) < 0)) {
        return -1;
    }
    if (jc_unlikely(encode_value_inline(e, value) < 0))
        return note_member(e, dict, named);
    return 0;
}

JC_INLINE int encode_member(jc_encoder *e, PyObject *dict, PyObject *key, PyObject *value,
                            bool first, bool indent)
{
    return encode_member_named(e, dict, key, key, value, first, indent);
}

/* encode_member of a member lent by the dict, its key held meanwhile when
 * hold_key: Python code that runs while the value is written may delete the
 * member, and an error's path names the key after that (encode_members). */
JC_INLINE int encode_lent_member(jc_encoder *e, PyObject *dict, PyObject *key, PyObject *value,
                                 bool first, bool indent, bool hold_key)
{
    if (hold_key)
        Py_INCREF(key);
    int status = encode_member(e, dict, key, value, first, indent);
    if (hold_key)
        Py_DECREF(key);
    return status;
}

/* The refusal when a dict changes size while its members are written. */
JC_COLD static int dict_changed(jc_encoder *e)
{
    return jc_encode_fail(&e->err, JC_ENCODE_DICT_CHANGED,
                          "dict changed size during serialization");
}

typedef struct sort_item {
    PyObject *text; /* the key as a str (converted for OPT_NON_STR_KEYS) */
    PyObject *key;
    PyObject *value;
    size_t order; /* insertion order, so equal texts keep it */
} sort_item;

static int compare_sort_items(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    int c = PyUnicode_Compare(x->text, y->text);
    if (c != 0)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* OPT_SORT_KEYS: members ordered by key text (code point order, as sorted()). */
JC_NOINLINE static int encode_dict_sorted(jc_encoder *e, PyObject *dict, bool indent)
{
    Py_ssize_t n = PyDict_GET_SIZE(dict);
    sort_item *items = jc_calloc((size_t)n, sizeof *items);
    if (items == NULL) {
        PyErr_NoMemory();
        return jc_encode_fail_python(&e->err);
    }
    Py_ssize_t pos = 0, count = 0;
    PyObject *key, *value;
    int status = 0;
    while (count < n && PyDict_Next(dict, &pos, &key, &value)) {
        sort_item *item = &items[count];
        item->key = Py_NewRef(key);
        item->value = Py_NewRef(value);
        item->order = (size_t)count++;
        item->text = PyUnicode_CheckExact(key) ? Py_NewRef(key) : key_to_str(e, key);
        if (item->text == NULL) {
            status = jc_encode_note_path(&e->err, dict, key, 0);
            break;
        }
    }
    if (status == 0) {
        qsort(items, (size_t)count, sizeof *items, compare_sort_items);
        for (Py_ssize_t i = 0; status == 0 && i < count; i++) {
            status = encode_member_named(e, dict, items[i].text, items[i].key, items[i].value,
                                         i == 0, indent);
            if (status == 0) /* every member is held in items */
                status = JC_ENCODE_SAFE_POINT(e);
        }
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_XDECREF(items[i].text);
        Py_DECREF(items[i].key);
        Py_DECREF(items[i].value);
    }
    jc_free(items, (size_t)n * sizeof *items);
    return status;
}

/* The members in insertion order. PyDict_Next lends the key and the value;
 * with `default` given, Python code runs while a member is written and may
 * delete it from the dict, so the key, which an error's path names after the
 * value is written, is held meanwhile (the value is held by whatever writes
 * it: encode_dict, encode_sequence, encode_with_default). Without `default`
 * only the rich types run Python code (a tzinfo's utcoffset(), an enum key's
 * value), rarely: the dict's own references suffice for the walk, the size is
 * checked after each member, and an error's path names the key only if the
 * dict still holds it (note_member). */
JC_INLINE int encode_members(jc_encoder *e, PyObject *dict, bool indent, bool hold_keys)
{
    Py_ssize_t n = PyDict_GET_SIZE(dict), pos = 0;
    PyObject *key, *value;
    bool first = true;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        int status = encode_lent_member(e, dict, key, value, first, indent, hold_keys);
        if (jc_unlikely(status < 0))
            return -1;
        /* Nothing lent by PyDict_Next is used past here. */
        if (JC_ENCODE_SAFE_POINT(e) < 0)
            return -1;
        /* `default` (or, in the stream copy, write()) changed the dict under
         * us: its iteration order is no longer defined, so stop rather than
         * write a mix. */
        if (jc_unlikely(PyDict_GET_SIZE(dict) != n))
            return dict_changed(e);
        first = false;
    }
    return 0;
}

JC_NOINLINE static int encode_members_holding_keys(jc_encoder *e, PyObject *dict, bool indent)
{
    return encode_members(e, dict, indent, true);
}

/* encode_members without `default`, over the dict's table (dict_table.h)
 * when it has one. Python code may still run while a value is written (a
 * tzinfo's utcoffset, a dataclass field's descriptor): the size and the table
 * are checked after each member, so a resize never leaves the walk on a freed
 * array. */
/* The stream copy, once write() has run during a walk over a dict's table:
 * the members after entry pos - 1 through PyDict_Next, which reads whatever
 * table the dict has now (a table write() freed may have been replaced by
 * another at the same address, which jc_dict_table_current cannot tell), and
 * keys held. Unused (and so not compiled) in the dumps copy. */
static inline int encode_members_after(jc_encoder *e, PyObject *dict, bool indent, Py_ssize_t pos,
                                       Py_ssize_t n)
{
    PyObject *key, *value;
    /* The write() that brought us here may have resized the dict already. */
    if (PyDict_GET_SIZE(dict) != n)
        return dict_changed(e);
    while (PyDict_Next(dict, &pos, &key, &value)) {
        if (encode_lent_member(e, dict, key, value, false, indent, true) < 0 ||
            JC_ENCODE_SAFE_POINT(e) < 0)
            return -1;
        if (PyDict_GET_SIZE(dict) != n)
            return dict_changed(e);
    }
    return 0;
}

JC_INLINE int encode_table_members(jc_encoder *e, PyObject *dict, bool indent)
{
    jc_dict_table table;
    if (!jc_dict_table_of(dict, &table))
        return encode_members(e, dict, indent, JC_ENCODE_STREAM_COPY);
    Py_ssize_t n = PyDict_GET_SIZE(dict);
    bool first = true;
    PyObject **slot = table.slots, **end = table.slots + table.entries * table.stride;
    for (; slot < end; slot += table.stride) {
        PyObject *value = slot[1];
        if (jc_unlikely(value == NULL))
            continue; /* a deleted entry */
        uint64_t flushes = JC_ENCODE_FLUSHES(e);
        size_t rare_entries = e->rare_entries;
        /* Held in the stream copy: an error's path names it after write() ran. */
        int status =
            encode_lent_member(e, dict, slot[0], value, first, indent, JC_ENCODE_STREAM_COPY);
        if (jc_unlikely(status < 0))
            return -1;
        /* Only the rare paths (and, in the stream copy, write()) run Python
         * code that could have changed the dict. */
        bool may_have_changed = e->rare_entries != rare_entries || JC_ENCODE_STREAM_COPY;
        if (jc_unlikely(may_have_changed) &&
            (PyDict_GET_SIZE(dict) != n || !jc_dict_table_current(dict, &table)))
            return dict_changed(e);
        first = false;
        if (JC_ENCODE_SAFE_POINT(e) < 0)
            return -1;
        if (jc_unlikely(JC_ENCODE_FLUSHES(e) != flushes))
            return encode_members_after(e, dict, indent,
                                        (Py_ssize_t)((slot - table.slots) / table.stride) + 1, n);
    }
    return 0;
}

static int encode_dict(jc_encoder *e, PyObject *dict)
{
    int opened = open_container(e, dict, PyDict_GET_SIZE(dict), '{', "{}      ");
    if (opened != 0)
        return opened < 0 ? -1 : 0;
    bool indent = e->opts & JC_OPT_INDENT_2;
    int status;
    if (jc_unlikely(e->opts & JC_OPT_SORT_KEYS))
        status = encode_dict_sorted(e, dict, indent);
    else if (e->default_fn != NULL)
        status = encode_members_holding_keys(e, dict, indent);
    else
        status = encode_table_members(e, dict, indent);
    return close_container(e, dict, status, indent, '}');
}

/*==============================================================================
 * The rare types: subclasses and `default`
 *============================================================================*/

JC_NOINLINE static int encode_with_default(jc_encoder *e, PyObject *obj)
{
    if (e->default_fn == NULL)
        return jc_encode_fail(&e->err, JC_ENCODE_UNSUPPORTED_TYPE,
                              "Type is not JSON serializable: %s", jc_type_name(obj));
    if (e->default_depth >= JC_ENCODE_MAX_DEFAULT_DEPTH)
        return jc_encode_fail(&e->err, JC_ENCODE_DEFAULT_DEPTH,
                              "default serializer exceeds recursion limit");
    /* default's result is encoded from here, one level deeper on the C stack. */
    if (jc_stack_exhausted(e->stack_floor)) {
        jc_stack_fail(" while encoding a JSON object");
        return jc_encode_fail_python(&e->err);
    }
    /* obj may be borrowed from a container default empties: it must outlive
     * the call, whose failure names its type. */
    Py_INCREF(obj);
    int status = -1;
    PyObject *replacement = PyObject_CallOneArg(e->default_fn, obj);
    if (replacement == NULL) {
        /* Running out of memory or of recursion depth (a default that calls
         * dumps again, without end), or an interrupt, is not default's answer
         * about obj: those propagate. */
        jc_encode_fail_raised(&e->err, JC_ENCODE_DEFAULT_RAISED,
                              "Type is not JSON serializable: %s", jc_type_name(obj));
        goto done;
    }
    e->default_depth++;
    status = encode_value(e, replacement);
    e->default_depth--;
done:
    Py_XDECREF(replacement);
    Py_DECREF(obj);
    return status;
}

/* Everything but the exact built-in types: the further types (types/), the
 * subclasses of str, int, dict and list, and `default`, in orjson's order. */
JC_NOINLINE static int encode_other(jc_encoder *e, PyObject *obj)
{
    e->rare_entries++;
    jc_types *types = e->types;
    PyTypeObject *type = Py_TYPE(obj);
    uint32_t opts = e->opts;
    if (!(opts & JC_OPT_PASSTHROUGH_DATETIME)) {
        if (type == types->datetime)
            return jc_encode_datetime(e, obj);
        if (type == types->date)
            return jc_encode_date(e, obj);
        if (type == types->time)
            return jc_encode_time(e, obj);
    }
    if (jc_types_is_uuid(types, type))
        return jc_encode_uuid(e, obj);
    if (type == types->fragment)
        return jc_encode_fragment(e, obj);
    if (jc_types_is_enum(types, type))
        return jc_encode_enum(e, obj);
    if ((opts & JC_OPT_SERIALIZE_DECIMAL) && jc_types_is_decimal(types, type))
        return jc_encode_decimal(e, obj);
    if (!(opts & JC_OPT_PASSTHROUGH_SUBCLASS)) {
        if (PyUnicode_Check(obj)) {
            if (write_str(e, obj) < 0)
                return e->err.code == JC_ENCODE_OK ? jc_encode_fail_python(&e->err) : -1;
            return 0;
        }
        if (PyLong_Check(obj))
            return write_int(e, obj);
        if (PyDict_Check(obj))
            return encode_dict(e, obj);
        if (PyList_Check(obj))
            return encode_sequence(e, obj, true);
    }
    if (!(opts & JC_OPT_PASSTHROUGH_DATACLASS)) {
        /* obj may be borrowed from a container that Python code empties
         * while the fields are read (a Field's attribute, an evicted entry's
         * release) or written: held meanwhile, and its class with it. */
        bool failed = false;
        jc_dataclass_fields fields;
        Py_INCREF(obj);
        bool found = jc_types_dataclass_fields(types, type, &fields, &failed);
        int status = found ? jc_encode_dataclass(e, obj, &fields) : 0;
        Py_DECREF(obj);
        if (found)
            return status;
        if (failed)
            return jc_encode_fail_python(&e->err);
    }
    if (opts & JC_OPT_SERIALIZE_NUMPY) {
        const jc_numpy_types *np = jc_types_numpy(types);
        if (np != NULL && jc_is_numpy_type(np, type)) {
            int status = jc_encode_numpy(e, obj, np);
            if (status != JC_TYPE_DEFAULT)
                return status;
        }
    }
    return encode_with_default(e, obj);
}

/*==============================================================================
 * For the type files: one value, and containers of their own
 *============================================================================*/

/* Compiled once, in the dumps copy: the type files reach the copy that is
 * writing (dumps' or the stream's) through e->write_value and e->safe_point. */
#if !JC_ENCODE_STREAM_COPY

int jc_encode_value_buffered(jc_encoder *e, PyObject *obj)
{
    return encode_value(e, obj);
}

int jc_encode_value(jc_encoder *e, PyObject *obj)
{
    return e->write_value(e, obj);
}

int jc_encode_safe_point(jc_encoder *e)
{
    return e->safe_point != NULL ? e->safe_point(e) : 0;
}

int jc_encode_open(jc_encoder *e, char bracket)
{
    if (jc_unlikely(enter_container(e) < 0))
        return -1;
    if (write_byte(e, bracket) < 0) {
        e->depth--;
        return -1;
    }
    return 0;
}

int jc_encode_next(jc_encoder *e, bool first)
{
    if (!first && write_byte(e, ',') < 0)
        return -1;
    if ((e->opts & JC_OPT_INDENT_2) && write_newline_indent(e, e->depth) < 0)
        return -1;
    return 0;
}

int jc_encode_key(jc_encoder *e, PyObject *key)
{
    if (jc_unlikely(write_str(e, key) < 0))
        return e->err.code == JC_ENCODE_OK ? jc_encode_fail_python(&e->err) : -1;
    bool indent = e->opts & JC_OPT_INDENT_2;
    if (jc_unlikely(jc_writer_reserve(&e->out, 2) < 0))
        return jc_encode_fail_python(&e->err);
    jc_writer_put(&e->out, ':');
    if (indent)
        jc_writer_put(&e->out, ' ');
    return 0;
}

int jc_encode_close(jc_encoder *e, char bracket)
{
    e->depth--;
    if ((e->opts & JC_OPT_INDENT_2) && write_newline_indent(e, e->depth) < 0)
        return -1;
    return write_byte(e, bracket);
}

int jc_encode_empty(jc_encoder *e, char open, char close)
{
    if (check_empty_depth(e) < 0 || jc_writer_reserve(&e->out, 2) < 0)
        return e->err.code == JC_ENCODE_OK ? jc_encode_fail_python(&e->err) : -1;
    jc_writer_put(&e->out, open);
    jc_writer_put(&e->out, close);
    return 0;
}

int jc_encode_raw(jc_encoder *e, const char *text, size_t len, bool quoted)
{
    if (jc_unlikely(jc_writer_reserve(&e->out, len + 2) < 0))
        return jc_encode_fail_python(&e->err);
    if (quoted)
        jc_writer_put(&e->out, '"');
    jc_writer_put_bytes(&e->out, text, len);
    if (quoted)
        jc_writer_put(&e->out, '"');
    return 0;
}

#endif /* JC_ENCODE_STREAM_COPY */

/*==============================================================================
 * Dispatch
 *============================================================================*/

/* Exact type pointers for the common types, most frequent first; containers
 * and everything rare leave the inline path. Inlined into the container loops,
 * so a scalar member costs no call. */
JC_INLINE int encode_value_inline(jc_encoder *e, PyObject *obj)
{
    PyTypeObject *type = Py_TYPE(obj);
    if (type == &PyUnicode_Type) {
        if (jc_likely(write_str(e, obj) == 0))
            return 0;
        return e->err.code == JC_ENCODE_OK ? jc_encode_fail_python(&e->err) : -1;
    }
    if (type == &PyLong_Type)
        return write_int(e, obj);
    if (type == &PyDict_Type)
        return encode_dict(e, obj);
    if (type == &PyList_Type)
        return encode_sequence(e, obj, true);
    if (type == &PyFloat_Type) {
        if (jc_unlikely(write_double(&e->out, PyFloat_AS_DOUBLE(obj)) < 0))
            return jc_encode_fail_python(&e->err);
        return 0;
    }
    if (obj == Py_None)
        return write_literal(e, "null    ", 4);
    if (obj == Py_True)
        return write_literal(e, "true    ", 4);
    if (obj == Py_False)
        return write_literal(e, "false   ", 5);
    if (type == &PyTuple_Type)
        return encode_sequence(e, obj, false);
    return encode_other(e, obj);
}

static int encode_value(jc_encoder *e, PyObject *obj)
{
    return encode_value_inline(e, obj);
}

#if !JC_ENCODE_STREAM_COPY
PyObject *jc_serialize(jc_encoder *e, PyObject *obj)
{
    e->depth = 0;
    e->default_depth = 0;
    if (jc_writer_init(&e->out, JC_WRITER_INITIAL) < 0) {
        jc_encode_fail_python(&e->err);
        return NULL;
    }
    int status = encode_value(e, obj);
    if (status == 0 && (e->opts & JC_OPT_APPEND_NEWLINE))
        status = write_byte(e, '\n');
    if (status == 0) {
        PyObject *result = jc_writer_finish(&e->out);
        if (result == NULL)
            jc_encode_fail_python(&e->err);
        return result;
    }
    jc_encode_error_finish(&e->err);
    jc_writer_discard(&e->out);
    return NULL;
}
#endif /* JC_ENCODE_STREAM_COPY */
