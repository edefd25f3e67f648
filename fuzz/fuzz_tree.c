/* The object trees of fuzz_dumps (and fuzz_alloc_fail's tree mode): see
 * fuzz_tree.h for the input format. The built-in kinds are made here, with
 * their expected tree for the json oracle; the further types by
 * fuzz_helpers.py (build_rich, build_rich_key). */
#include "fuzz_tree.h"

#include <math.h>

#include "encode/options.h"

#define MAX_NODES        20000
#define MAX_SAFE_INTEGER ((INT64_C(1) << 53) - 1)

/* The built-in value kinds (tags 0-20) and key kinds (0-11), then the further
 * types (fuzz_helpers.RICH_KINDS, RICH_KEY_KINDS). */
#define BUILTIN_KINDS     21
#define RICH_KINDS        10
#define BUILTIN_KEY_KINDS 12
#define RICH_KEY_KINDS    8
/* The further types that take children: enum, dataclass, array, fragment. */
#define RICH_HAS_CHILDREN ((1u << 4) | (1u << 5) | (1u << 6) | (1u << 8))
#define RICH_MAX_TAKE     8192 /* fuzz_helpers.MAX_TAKE */
#define RICH_ARRAY        6    /* fuzz_helpers.RICH_KINDS.index("array") */

/* What the trees are made with from fuzz_helpers, X(field, attribute): one a
 * line, left as written (clang-format 14 reflows such lists differently on
 * each run, core/encode/types/registry.c). */
// clang-format off
#define HELPER_ATTRS(X)                 \
    X(StrSub, "StrSub")                 \
    X(IntSub, "IntSub")                 \
    X(FloatSub, "FloatSub")             \
    X(DictSub, "DictSub")               \
    X(ListSub, "ListSub")               \
    X(TupleSub, "TupleSub")             \
    X(Box, "Box")                       \
    X(default_fn, "default")            \
    X(REFUSE, "REFUSE")                 \
    X(expected_key, "expected_key")     \
    X(build_rich, "build_rich")         \
    X(build_rich_key, "build_rich_key") \
    X(begin_input, "begin_input")
// clang-format on

static struct {
    PyObject *helpers;
#define HELPER_FIELD(field, attribute) PyObject *field;
    HELPER_ATTRS(HELPER_FIELD)
#undef HELPER_FIELD
} py;

PyObject *jc_fuzz_tree_helpers(void)
{
    if (py.helpers != NULL)
        return py.helpers;
    /* It imports the zone modules (pytz, dateutil, pendulum) and warms numpy
     * up (fuzz_helpers.py): LeakSanitizer is told to ignore that. */
    jc_fuzz_lsan_disable();
    PyObject *helpers = py.helpers = jc_fuzz_import("fuzz_helpers");
    jc_fuzz_lsan_enable();
#define HELPER_LOAD(field, attribute) py.field = jc_fuzz_attr(helpers, attribute);
    HELPER_ATTRS(HELPER_LOAD)
#undef HELPER_LOAD
    return helpers;
}

/* A cycle's contents are written once per level until the depth limit (254
 * times): they are kept small (16 nodes, chains of at most 8 levels, no
 * repeated strs, huge ints or numpy arrays), and hold no cycle of their own
 * (else the encoders' work grows as 254 to the power of the nesting). */
#define CYCLE_NODES 16

typedef struct builder {
    jc_fuzz_input in;
    jc_fuzz_tree *t;
    size_t nodes;
    size_t node_limit; /* MAX_NODES, or less inside a cycle */
    bool in_cycle;
} builder;

static PyObject *check(PyObject *obj)
{
    JC_FUZZ_REQUIRE(obj != NULL, "building the input tree failed");
    return obj;
}

static PyObject *refuse(void)
{
    return Py_NewRef(py.REFUSE);
}

static PyObject *call1(PyObject *fn, PyObject *arg)
{
    return check(PyObject_CallOneArg(fn, arg));
}

/*==============================================================================
 * Scalars
 *============================================================================*/

/* Code points of every class: the characters dumps escapes, printable ASCII,
 * the BMP (surrogates included) and the supplementary planes. */
static PyObject *build_str(builder *b)
{
    Py_UCS4 units[128] = {0};
    size_t n = 0;
    uint8_t header = jc_fuzz_byte(&b->in);
    size_t pattern_len = header & 0x80 ? (header & 7) + 1 : header & 0x7F;
    size_t repeat = header & 0x80 ? (size_t)jc_fuzz_byte(&b->in) + 1 : 1;
    if (b->in_cycle) /* written 254 times */
        repeat = 1;
    for (size_t i = 0; i < pattern_len; i++) {
        uint8_t c = jc_fuzz_byte(&b->in);
        Py_UCS4 u;
        switch (c >> 6) {
        case 0: u = c < 0x20 ? c : "\"\\/\x7f aZ09~"[(c - 0x20) % 11]; break;
        case 1: u = 0x20 + (c & 0x3F) + ((c & 0x20) ? 0x20 : 0); break;
        case 2: u = 0x80 + (Py_UCS4)(jc_fuzz_uint(&b->in, 2) % (0x10000 - 0x80)); break;
        default: u = 0x10000 + (Py_UCS4)(jc_fuzz_uint(&b->in, 3) % 0x100000); break;
        }
        units[n++] = u;
    }
    PyObject *pattern =
        check(PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, units, (Py_ssize_t)n));
    if (repeat == 1)
        return pattern;
    PyObject *repeated = check(PySequence_Repeat(pattern, (Py_ssize_t)repeat));
    Py_DECREF(pattern);
    return repeated;
}

/* Ints up to 192 bits from the input, or shifted far past the digit limit. */
static PyObject *build_int(builder *b, bool huge)
{
    if (!huge || b->in_cycle) { /* a cycle's contents are written 254 times */
        const uint8_t *bytes;
        size_t n = jc_fuzz_take(&b->in, jc_fuzz_byte(&b->in) % 25, &bytes);
        if (n == 0)
            return PyLong_FromLong(0);
        return check(_PyLong_FromByteArray(bytes, n, 1, 1));
    }
    long base = (int16_t)jc_fuzz_uint(&b->in, 2);
    long shift = 64L * jc_fuzz_byte(&b->in) + jc_fuzz_byte(&b->in) % 64;
    PyObject *value = check(PyLong_FromLong(base ? base : 1));
    PyObject *bits = check(PyLong_FromLong(shift));
    PyObject *shifted = check(PyNumber_Lshift(value, bits));
    Py_DECREF(value);
    Py_DECREF(bits);
    return shifted;
}

static double build_double(builder *b)
{
    uint64_t bits = jc_fuzz_uint(&b->in, 8);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* What dumps must write for an int (exact type int in the expected tree). */
static PyObject *expected_int(builder *b, PyObject *value)
{
    if (b->t->opts & JC_OPT_STRICT_INTEGER) {
        int overflow;
        long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow || v > MAX_SAFE_INTEGER || v < -MAX_SAFE_INTEGER)
            return refuse();
    }
    return check(PyNumber_Index(value)); /* an exact int for an int subclass */
}

/*==============================================================================
 * Values and containers
 *============================================================================*/

static void build_value(builder *b, int depth, int boxes, PyObject **obj, PyObject **exp);
static PyObject *build_rich(builder *b, unsigned kind, int depth, int boxes);

/* A container at this depth, empty or not, is over dumps' limit. */
static bool too_deep(int depth)
{
    return depth > JC_ENCODE_MAX_DEPTH;
}

/* Items of a list or tuple: obj_items and exp_items are new lists. */
static void build_items(builder *b, int depth, int boxes, PyObject **obj_items,
                        PyObject **exp_items)
{
    size_t n = jc_fuzz_byte(&b->in) % 9;
    *obj_items = check(PyList_New(0));
    *exp_items = check(PyList_New(0));
    for (size_t i = 0; i < n; i++) {
        PyObject *o, *e;
        build_value(b, depth + 1, boxes, &o, &e);
        JC_FUZZ_REQUIRE(PyList_Append(*obj_items, o) == 0 && PyList_Append(*exp_items, e) == 0,
                        "append");
        Py_DECREF(o);
        Py_DECREF(e);
    }
}

static PyObject *build_rich_key(builder *b, unsigned kind);

static PyObject *build_key(builder *b)
{
    unsigned kind = jc_fuzz_byte(&b->in);
    if (kind >= BUILTIN_KEY_KINDS) {
        kind = (kind - BUILTIN_KEY_KINDS) % (BUILTIN_KEY_KINDS + RICH_KEY_KINDS);
        if (kind >= BUILTIN_KEY_KINDS)
            return build_rich_key(b, kind - BUILTIN_KEY_KINDS);
    }
    switch (kind) {
    case 6: {
        PyObject *s = build_str(b), *sub = call1(py.StrSub, s);
        Py_DECREF(s);
        return sub;
    }
    case 7: return check(PyLong_FromLong((int8_t)jc_fuzz_byte(&b->in)));
    case 8: return build_int(b, jc_fuzz_byte(&b->in) & 1);
    case 9: return check(PyFloat_FromDouble(build_double(b)));
    case 10: {
        uint8_t which = jc_fuzz_byte(&b->in) % 3;
        return Py_NewRef(which == 0 ? Py_True : which == 1 ? Py_False : Py_None);
    }
    case 11: return check(Py_BuildValue("(i)", jc_fuzz_byte(&b->in)));
    default: return build_str(b);
    }
}

/* The key dumps writes, as json.dumps would write it, or REFUSE. */
static PyObject *expected_key(builder *b, PyObject *key)
{
    if (PyUnicode_CheckExact(key))
        return Py_NewRef(key);
    if (!(b->t->opts & JC_OPT_NON_STR_KEYS))
        return refuse();
    return call1(py.expected_key, key);
}

static void build_dict(builder *b, PyObject *type, int depth, int boxes, PyObject **obj,
                       PyObject **exp)
{
    size_t n = jc_fuzz_byte(&b->in) % 9;
    *obj = type ? check(PyObject_CallNoArgs(type)) : check(PyDict_New());
    /* Expected values by key, with the dict's own rules for equal keys
     * (True == 1, say): the last value wins, the first key object stays. */
    PyObject *exp_values = check(PyDict_New());
    for (size_t i = 0; i < n; i++) {
        PyObject *key = build_key(b), *o, *e;
        build_value(b, depth + 1, boxes, &o, &e);
        if (PyDict_SetItem(*obj, key, o) == 0) {
            JC_FUZZ_REQUIRE(PyDict_SetItem(exp_values, key, e) == 0, "expected dict insert");
        } else { /* a key that does not hash (or compare): left out */
            jc_fuzz_clear_expected("dict insert", PyExc_TypeError, PyExc_ValueError, NULL);
        }
        Py_DECREF(key);
        Py_DECREF(o);
        Py_DECREF(e);
    }
    *exp = check(PyDict_New());
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(*obj, &pos, &key, &value)) {
        PyObject *e = PyDict_GetItemWithError(exp_values, key);
        JC_FUZZ_REQUIRE(e != NULL, "expected value lookup");
        PyObject *text = expected_key(b, key);
        int seen = PyDict_Contains(*exp, text);
        JC_FUZZ_REQUIRE(seen >= 0 && PyDict_SetItem(*exp, text, e) == 0, "expected dict");
        if (seen)
            b->t->inexpressible = true;
        Py_DECREF(text);
    }
    Py_DECREF(exp_values);
    if (too_deep(depth + 1))
        Py_SETREF(*exp, refuse());
}

static void build_value(builder *b, int depth, int boxes, PyObject **obj, PyObject **exp)
{
    bool passthrough = b->t->opts & JC_OPT_PASSTHROUGH_SUBCLASS;
    unsigned tag = jc_fuzz_byte(&b->in);
    if (++b->nodes > b->node_limit)
        tag = 0;
    if (tag >= BUILTIN_KINDS) {
        tag = (tag - BUILTIN_KINDS) % (BUILTIN_KINDS + RICH_KINDS);
        if (tag >= BUILTIN_KINDS) {
            /* No numpy array in a cycle's contents (written 254 times). */
            *obj = b->in_cycle && tag - BUILTIN_KINDS == RICH_ARRAY
                       ? Py_NewRef(Py_None)
                       : build_rich(b, tag - BUILTIN_KINDS, depth, boxes);
            *exp = Py_NewRef(Py_None); /* no json oracle for it */
            return;
        }
    }
    PyObject *o = NULL, *e = NULL, *items = NULL;
    switch (tag) {
    case 0: o = Py_NewRef(Py_None); break;
    case 1: o = Py_NewRef(Py_True); break;
    case 2: o = Py_NewRef(Py_False); break;
    case 3: o = check(PyLong_FromLong((int8_t)jc_fuzz_byte(&b->in))); break;
    case 4:
    case 5:
        o = build_int(b, tag == 5);
        e = expected_int(b, o);
        break;
    case 6: {
        double d = build_double(b);
        o = check(PyFloat_FromDouble(d));
        e = isfinite(d) ? Py_NewRef(o) : Py_NewRef(Py_None);
        break;
    }
    case 7: o = build_str(b); break;
    case 8:  /* list */
    case 15: /* list subclass */
        build_items(b, depth, boxes, &items, &e);
        if (tag == 8) {
            o = Py_NewRef(items);
        } else {
            o = call1(py.ListSub, items);
            if (passthrough)
                Py_SETREF(e, refuse());
        }
        if (too_deep(depth + 1))
            Py_SETREF(e, refuse());
        break;
    case 9: build_dict(b, NULL, depth, boxes, &o, &e); break;
    case 14:
        build_dict(b, py.DictSub, depth, boxes, &o, &e);
        if (passthrough)
            Py_SETREF(e, refuse());
        break;
    case 10: /* tuple: written as a list */
        build_items(b, depth, boxes, &items, &e);
        o = check(PyList_AsTuple(items));
        if (too_deep(depth + 1))
            Py_SETREF(e, refuse());
        break;
    case 11: {
        PyObject *s = build_str(b);
        o = call1(py.StrSub, s);
        e = passthrough ? refuse() : s;
        if (passthrough)
            Py_DECREF(s);
        break;
    }
    case 12:
        items = build_int(b, jc_fuzz_byte(&b->in) & 1);
        o = call1(py.IntSub, items);
        e = passthrough ? refuse() : expected_int(b, items);
        break;
    case 13: /* float subclasses are not serialized (orjson) */
        items = check(PyFloat_FromDouble(build_double(b)));
        o = call1(py.FloatSub, items);
        e = refuse();
        break;
    case 16: /* nor tuple subclasses (namedtuples) */
        build_items(b, depth, boxes, &items, &e);
        o = call1(py.TupleSub, items);
        Py_SETREF(e, refuse());
        break;
    case 17: { /* through default: one more nested default call */
        PyObject *payload;
        build_value(b, depth, boxes + 1, &payload, &e);
        o = call1(py.Box, payload);
        Py_DECREF(payload);
        if (!b->t->with_default || boxes + 1 > JC_ENCODE_MAX_DEFAULT_DEPTH)
            Py_SETREF(e, refuse());
        break;
    }
    case 18: {             /* a list that contains itself */
        if (b->in_cycle) { /* no cycle in a cycle */
            o = Py_NewRef(Py_None);
            break;
        }
        PyObject *inner;
        size_t limit = b->node_limit;
        b->in_cycle = true;
        b->node_limit = b->nodes + CYCLE_NODES < limit ? b->nodes + CYCLE_NODES : limit;
        build_value(b, depth + 1, boxes, &inner, &e);
        b->in_cycle = false;
        b->node_limit = limit;
        o = check(PyList_New(0));
        JC_FUZZ_REQUIRE(PyList_Append(o, inner) == 0 && PyList_Append(o, o) == 0 &&
                            PyList_Append(b->t->cycles, o) == 0,
                        "cycle");
        Py_DECREF(inner);
        Py_SETREF(e, refuse());
        break;
    }
    case 19: { /* a chain of one-item lists, to pass the depth limit cheaply */
        int levels = 1 + jc_fuzz_byte(&b->in) % (b->in_cycle ? 8 : 256); /* short in a cycle */
        PyObject *inner;
        build_value(b, depth + levels, boxes, &inner, &e);
        o = inner;
        for (int i = 0; i < levels; i++) {
            o = check(Py_BuildValue("[N]", o));
            if (!too_deep(depth + levels))
                e = check(Py_BuildValue("[N]", e));
        }
        if (too_deep(depth + levels))
            Py_SETREF(e, refuse());
        break;
    }
    default: /* 20: a type dumps has no serializer for */
        o = check(PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type));
        e = refuse();
        break;
    }
    Py_XDECREF(items);
    *obj = o;
    *exp = e ? e : Py_NewRef(o);
}

/*==============================================================================
 * The further types (made by fuzz_helpers.py)
 *============================================================================*/

/* (value, consumed) from a helper called with the rest of the input (at most
 * RICH_MAX_TAKE bytes) as its last-but-children argument; the cursor moves
 * past what it read. */
static PyObject *call_rich(builder *b, PyObject *fn, unsigned kind, PyObject *children)
{
    size_t left = jc_fuzz_left(&b->in);
    if (left > RICH_MAX_TAKE)
        left = RICH_MAX_TAKE;
    PyObject *data = check(PyBytes_FromStringAndSize((const char *)b->in.p, (Py_ssize_t)left));
    PyObject *result = children ? PyObject_CallFunction(fn, "IOO", kind, data, children)
                                : PyObject_CallFunction(fn, "IO", kind, data);
    Py_DECREF(data);
    JC_FUZZ_REQUIRE(result != NULL && PyTuple_Check(result) && PyTuple_GET_SIZE(result) == 2,
                    "fuzz_helpers.%s(%u) failed", children ? "build_rich" : "build_rich_key", kind);
    size_t consumed = PyLong_AsSize_t(PyTuple_GET_ITEM(result, 1));
    JC_FUZZ_REQUIRE(consumed <= left, "fuzz_helpers consumed %zu of %zu bytes", consumed, left);
    b->in.p += consumed;
    PyObject *value = Py_NewRef(PyTuple_GET_ITEM(result, 0));
    Py_DECREF(result);
    b->t->rich = true;
    return value;
}

/* A value of one of the further types; its children (field values, member
 * values, object-array items, a Fragment's odd contents) first. */
static PyObject *build_rich(builder *b, unsigned kind, int depth, int boxes)
{
    PyObject *children = check(PyList_New(0));
    if (RICH_HAS_CHILDREN & (1u << kind)) {
        size_t n = jc_fuzz_byte(&b->in) % 4;
        for (size_t i = 0; i < n; i++) {
            PyObject *o, *e;
            build_value(b, depth + 1, boxes, &o, &e);
            JC_FUZZ_REQUIRE(PyList_Append(children, o) == 0, "append");
            Py_DECREF(o);
            Py_DECREF(e);
        }
    }
    PyObject *value = call_rich(b, py.build_rich, kind, children);
    Py_DECREF(children);
    return value;
}

static PyObject *build_rich_key(builder *b, unsigned kind)
{
    return call_rich(b, py.build_rich_key, kind, NULL);
}

/*==============================================================================
 * The arguments, and the tree
 *============================================================================*/

/* The dumps arguments from the header: sets opts/with_default, and
 * bad_arguments when the call must be refused for its arguments alone. */
static void build_arguments(builder *b)
{
    static const long bits[] = {
        JC_OPT_INDENT_2,       JC_OPT_NON_STR_KEYS,         JC_OPT_SORT_KEYS,
        JC_OPT_STRICT_INTEGER, JC_OPT_PASSTHROUGH_SUBCLASS, JC_OPT_APPEND_NEWLINE};
    static const long more_bits[] = {JC_OPT_NAIVE_UTC,
                                     JC_OPT_OMIT_MICROSECONDS,
                                     JC_OPT_UTC_Z,
                                     JC_OPT_PASSTHROUGH_DATETIME,
                                     JC_OPT_PASSTHROUGH_DATACLASS,
                                     JC_OPT_SERIALIZE_NUMPY};
    jc_fuzz_tree *t = b->t;
    uint8_t flags = jc_fuzz_byte(&b->in);
    uint8_t more = flags & 0x80 ? jc_fuzz_byte(&b->in) : 0;
    t->opts = 0;
    for (int i = 0; i < 6; i++) {
        if (flags & (1 << i))
            t->opts |= bits[i];
        if (more & (1 << i))
            t->opts |= more_bits[i];
    }
    t->with_default = flags & 0x40;
    t->default_fn = Py_NewRef(t->with_default ? py.default_fn : Py_None);
    t->option = check(PyLong_FromLong(t->opts));
    t->bad_arguments = false;
    if (!(more & 0x40))
        return;
    uint8_t odd = jc_fuzz_byte(&b->in);
    switch (odd % 4) {
    case 0: { /* any int: negative, huge, unknown bits */
        Py_SETREF(t->option, check(PyLong_FromLong((int16_t)jc_fuzz_uint(&b->in, 2))));
        if (odd & 4) {
            PyObject *shift = check(PyLong_FromLong(3 * (odd >> 3)));
            Py_SETREF(t->option, check(PyNumber_Lshift(t->option, shift)));
            Py_DECREF(shift);
        }
        int overflow;
        long long value = PyLong_AsLongLongAndOverflow(t->option, &overflow);
        t->opts = (long)(value & JC_OPT_ALL);
        t->bad_arguments = overflow || value < 0 || value > JC_OPT_ALL;
        return;
    }
    case 1:
        Py_SETREF(t->option, check(PyFloat_FromDouble(1.0)));
        t->bad_arguments = true;
        return;
    case 2:
        Py_SETREF(t->default_fn, check(PyLong_FromLong(5)));
        t->bad_arguments = true;
        return;
    default:
        Py_SETREF(t->option, Py_NewRef(Py_None));
        t->opts = 0;
        return;
    }
}

void jc_fuzz_tree_build(jc_fuzz_tree *t, const uint8_t *data, size_t size)
{
    jc_fuzz_tree_helpers();
    memset(t, 0, sizeof *t);
    t->cycles = check(PyList_New(0));
    Py_DECREF(check(PyObject_CallNoArgs(py.begin_input)));
    builder b = {{data, data + size}, t, 0, MAX_NODES, false};
    build_arguments(&b);
    build_value(&b, 0, 0, &t->obj, &t->exp);
}

void jc_fuzz_tree_release(jc_fuzz_tree *t)
{
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(t->cycles); i++)
        PyList_SetSlice(PyList_GET_ITEM(t->cycles, i), 0, PY_SSIZE_T_MAX, NULL);
    Py_CLEAR(t->obj);
    Py_CLEAR(t->exp);
    Py_CLEAR(t->option);
    Py_CLEAR(t->default_fn);
    Py_CLEAR(t->cycles);
}
