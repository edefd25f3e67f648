/* Property: jcodec.dumps on object trees built from the input, against
 * json.dumps(expected, ensure_ascii=False, separators=(",", ":"),
 * sort_keys=..., indent=...) as the oracle:
 *   - where json can encode the expected tree, dumps returns exactly its UTF-8
 *     bytes (plus "\n" with OPT_APPEND_NEWLINE);
 *   - where it cannot (REFUSE in the tree: unsupported types, float and tuple
 *     subclasses, non-str keys without OPT_NON_STR_KEYS, lone surrogates, ints
 *     over the digit limit or over 53 bits with OPT_STRICT_INTEGER, nesting over
 *     254, cycles, invalid options), dumps raises jcodec.JSONEncodeError and
 *     nothing else.
 * fuzz_helpers.py gives the subclasses and the oracle call (both from
 * tests/python/support.py), Box (serializable through default only) and the
 * key conversion.
 *
 * Input: byte 0 = options (bit 0 INDENT_2, 1 NON_STR_KEYS, 2 SORT_KEYS,
 * 3 STRICT_INTEGER, 4 PASSTHROUGH_SUBCLASS, 5 APPEND_NEWLINE, 6 pass default,
 * 7 an odd argument chosen by byte 1), then one value (build_value). */
#include "fuzz_common.h"

#include <math.h>

#include "encode/options.h"

#define MAX_NODES        20000
#define MAX_SAFE_INTEGER ((INT64_C(1) << 53) - 1)

static struct {
    PyObject *StrSub, *IntSub, *FloatSub, *DictSub, *ListSub, *TupleSub, *Box;
    PyObject *default_fn, *REFUSE, *expected_key, *reference_dumps;
} py;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    jc_fuzz_init(argc, argv);
    PyObject *helpers = jc_fuzz_import("fuzz_helpers");
    py.StrSub = jc_fuzz_attr(helpers, "StrSub");
    py.IntSub = jc_fuzz_attr(helpers, "IntSub");
    py.FloatSub = jc_fuzz_attr(helpers, "FloatSub");
    py.DictSub = jc_fuzz_attr(helpers, "DictSub");
    py.ListSub = jc_fuzz_attr(helpers, "ListSub");
    py.TupleSub = jc_fuzz_attr(helpers, "TupleSub");
    py.Box = jc_fuzz_attr(helpers, "Box");
    py.default_fn = jc_fuzz_attr(helpers, "default");
    py.REFUSE = jc_fuzz_attr(helpers, "REFUSE");
    py.expected_key = jc_fuzz_attr(helpers, "expected_key");
    py.reference_dumps = jc_fuzz_attr(helpers, "reference_dumps");
    Py_DECREF(helpers);
    return 0;
}

typedef struct builder {
    jc_fuzz_input in;
    long opts;          /* the option bits dumps applies */
    bool with_default;  /* default=fuzz_helpers.default is passed */
    bool inexpressible; /* two keys convert to one text: json's dict cannot say it */
    size_t nodes;
    PyObject *cycles; /* lists made to contain themselves, emptied afterwards */
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
    if (!huge) {
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
    if (b->opts & JC_OPT_STRICT_INTEGER) {
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

static PyObject *build_key(builder *b)
{
    uint8_t kind = jc_fuzz_byte(&b->in) % 12;
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
    if (!(b->opts & JC_OPT_NON_STR_KEYS))
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
        JC_FUZZ_REQUIRE(PyDict_SetItem(*obj, key, o) == 0 &&
                            PyDict_SetItem(exp_values, key, e) == 0,
                        "dict insert");
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
            b->inexpressible = true;
        Py_DECREF(text);
    }
    Py_DECREF(exp_values);
    if (too_deep(depth + 1))
        Py_SETREF(*exp, refuse());
}

static void build_value(builder *b, int depth, int boxes, PyObject **obj, PyObject **exp)
{
    bool passthrough = b->opts & JC_OPT_PASSTHROUGH_SUBCLASS;
    uint8_t tag = jc_fuzz_byte(&b->in);
    if (++b->nodes > MAX_NODES)
        tag = 0;
    PyObject *o = NULL, *e = NULL, *items = NULL;
    switch (tag % 21) {
    case 0: o = Py_NewRef(Py_None); break;
    case 1: o = Py_NewRef(Py_True); break;
    case 2: o = Py_NewRef(Py_False); break;
    case 3: o = check(PyLong_FromLong((int8_t)jc_fuzz_byte(&b->in))); break;
    case 4:
    case 5:
        o = build_int(b, tag % 21 == 5);
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
        if (tag % 21 == 8) {
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
        if (!b->with_default || boxes + 1 > JC_ENCODE_MAX_DEFAULT_DEPTH)
            Py_SETREF(e, refuse());
        break;
    }
    case 18: { /* a list that contains itself */
        PyObject *inner;
        build_value(b, depth + 1, boxes, &inner, &e);
        o = check(PyList_New(0));
        JC_FUZZ_REQUIRE(PyList_Append(o, inner) == 0 && PyList_Append(o, o) == 0 &&
                            PyList_Append(b->cycles, o) == 0,
                        "cycle");
        Py_DECREF(inner);
        Py_SETREF(e, refuse());
        break;
    }
    case 19: { /* a chain of one-item lists, to pass the depth limit cheaply */
        int levels = 1 + jc_fuzz_byte(&b->in);
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
 * The property
 *============================================================================*/

/* The dumps arguments from the header: sets b->opts/with_default and returns
 * whether the call must be refused for its arguments alone. */
static bool build_arguments(builder *b, PyObject **default_fn, PyObject **option)
{
    static const long bits[] = {
        JC_OPT_INDENT_2,       JC_OPT_NON_STR_KEYS,         JC_OPT_SORT_KEYS,
        JC_OPT_STRICT_INTEGER, JC_OPT_PASSTHROUGH_SUBCLASS, JC_OPT_APPEND_NEWLINE};
    uint8_t flags = jc_fuzz_byte(&b->in);
    b->opts = 0;
    for (int i = 0; i < 6; i++)
        if (flags & (1 << i))
            b->opts |= bits[i];
    b->with_default = flags & 0x40;
    *default_fn = Py_NewRef(b->with_default ? py.default_fn : Py_None);
    *option = check(PyLong_FromLong(b->opts));
    if (!(flags & 0x80))
        return false;
    uint8_t odd = jc_fuzz_byte(&b->in);
    switch (odd % 4) {
    case 0: { /* any int: negative, huge, unknown bits */
        Py_SETREF(*option, check(PyLong_FromLong((int16_t)jc_fuzz_uint(&b->in, 2))));
        if (odd & 4) {
            PyObject *shift = check(PyLong_FromLong(3 * (odd >> 3)));
            Py_SETREF(*option, check(PyNumber_Lshift(*option, shift)));
            Py_DECREF(shift);
        }
        int overflow;
        long long value = PyLong_AsLongLongAndOverflow(*option, &overflow);
        b->opts = (long)(value & JC_OPT_ALL);
        return overflow || value < 0 || value > JC_OPT_ALL;
    }
    case 1: Py_SETREF(*option, check(PyFloat_FromDouble(1.0))); return true;
    case 2: Py_SETREF(*default_fn, check(PyLong_FromLong(5))); return true;
    default:
        Py_SETREF(*option, Py_NewRef(Py_None));
        b->opts = 0;
        return false;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > JC_FUZZ_MAX_INPUT)
        return -1;
    builder b = {{data, data + size}, 0, false, false, 0, check(PyList_New(0))};
    PyObject *default_fn, *option, *obj, *exp;
    bool bad_arguments = build_arguments(&b, &default_fn, &option);
    build_value(&b, 0, 0, &obj, &exp);

    PyObject *args[] = {obj, default_fn, option};
    PyObject *out = PyObject_Vectorcall(jc_fuzz.dumps, args, 3, NULL);
    if (out == NULL)
        Py_DECREF(jc_fuzz_take_exception(jc_fuzz.JSONEncodeError, "jcodec.dumps"));
    PyObject *want = NULL;
    if (!bad_arguments && !b.inexpressible) {
        /* reference_dumps(exp, sort_keys, indent): indent 2 or None. */
        want = PyObject_CallFunction(
            py.reference_dumps, "ONN", exp, PyBool_FromLong((b.opts & JC_OPT_SORT_KEYS) != 0),
            (b.opts & JC_OPT_INDENT_2) ? PyLong_FromLong(2) : Py_NewRef(Py_None));
        if (want == NULL)
            jc_fuzz_clear_expected("json.dumps", PyExc_TypeError, PyExc_ValueError,
                                   PyExc_RecursionError, NULL);
        else if (b.opts & JC_OPT_APPEND_NEWLINE)
            PyBytes_ConcatAndDel(&want, check(PyBytes_FromString("\n")));
    }
    if (out == NULL) {
        if (want != NULL) {
            jc_fuzz_print_input(data, size);
            jc_fuzz_fail("dumps refused %s; json.dumps gives %s", jc_fuzz_repr(obj, 400),
                         jc_fuzz_repr(want, 400));
        }
    } else if (!b.inexpressible || bad_arguments) {
        if (want == NULL) {
            jc_fuzz_print_input(data, size);
            jc_fuzz_fail("dumps(%s) must refuse (expected tree %s), returned %s",
                         jc_fuzz_repr(obj, 300), jc_fuzz_repr(exp, 300), jc_fuzz_repr(out, 300));
        }
        if (PyBytes_GET_SIZE(out) != PyBytes_GET_SIZE(want) ||
            memcmp(PyBytes_AS_STRING(out), PyBytes_AS_STRING(want),
                   (size_t)PyBytes_GET_SIZE(out))) {
            fprintf(stderr, "==jcodec-fuzz== json:   %s\n", jc_fuzz_repr(want, 800));
            jc_fuzz_print_input(data, size);
            jc_fuzz_fail("dumps output differs from json.dumps: %s", jc_fuzz_repr(out, 800));
        }
    }
    /* Break the cycles so the lists are freed now (LeakSanitizer would report
     * cyclic garbage still waiting for the collector at exit). */
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(b.cycles); i++)
        PyList_SetSlice(PyList_GET_ITEM(b.cycles, i), 0, PY_SSIZE_T_MAX, NULL);
    Py_XDECREF(want);
    Py_XDECREF(out);
    Py_DECREF(obj);
    Py_DECREF(exp);
    Py_DECREF(option);
    Py_DECREF(default_fn);
    Py_DECREF(b.cycles);
    return 0;
}
