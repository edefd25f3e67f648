/* Parser stage: structure. An iterative loop over values, arrays and objects;
 * nesting lives in an explicit frame array, never on the C stack. See parse.h
 * for the pipeline. */
#include "parse.h"

#include "parse_number.h"
#include "parse_state.h"
#include "parse_string.h"

/*==============================================================================
 * Whitespace
 *============================================================================*/

JC_INLINE const uint8_t *skip_whitespace(const uint8_t *p)
{
    /* Minified documents have none; indented ones mostly a newline and spaces. */
    if (jc_likely(*p > ' '))
        return p;
    while (jc_whitespace_byte[*p])
        p++;
    return p;
}

/*==============================================================================
 * Value stack
 *============================================================================*/

JC_COLD static bool grow_values(jc_parser *ps)
{
    size_t cap = ps->values_cap * 2;
    PyObject **grown;
    if (ps->values == ps->inline_values) {
        grown = jc_malloc(cap * sizeof(PyObject *));
        if (grown != NULL)
            memcpy(grown, ps->values, ps->values_len * sizeof(PyObject *));
    } else {
        grown =
            jc_realloc(ps->values, ps->values_cap * sizeof(PyObject *), cap * sizeof(PyObject *));
    }
    if (grown == NULL) {
        PyErr_NoMemory();
        return false;
    }
    ps->values = grown;
    ps->values_cap = cap;
    return true;
}

/* Takes the reference. */
JC_INLINE bool push_value(jc_parser *ps, PyObject *value)
{
    if (jc_unlikely(ps->values_len == ps->values_cap) && !grow_values(ps)) {
        Py_DECREF(value);
        return false;
    }
    ps->values[ps->values_len++] = value;
    return true;
}

/* The values from `first` up become the list's items, references and all. */
JC_INLINE PyObject *build_list(jc_parser *ps, size_t first)
{
    size_t count = ps->values_len - first;
    PyObject *list = PyList_New((Py_ssize_t)count);
    if (jc_unlikely(list == NULL))
        return NULL;
    if (count != 0) /* an empty list has no item array to copy into */
        memcpy(((PyListObject *)list)->ob_item, ps->values + first, count * sizeof(PyObject *));
    ps->values_len = first;
    return list;
}

/* The values from `first` up are key, value pairs in document order; inserting
 * them in that order makes the last of duplicate keys win, as json does. */
JC_INLINE PyObject *build_dict(jc_parser *ps, size_t first)
{
    PyObject *dict = PyDict_New();
    if (jc_unlikely(dict == NULL))
        return NULL;
    PyObject **pair = ps->values + first;
    PyObject **stop = ps->values + ps->values_len;
    for (; pair < stop; pair += 2) {
        if (jc_unlikely(PyDict_SetItem(dict, pair[0], pair[1]) < 0)) {
            Py_DECREF(dict);
            return NULL;
        }
    }
    for (pair = ps->values + first; pair < stop; pair++)
        Py_DECREF(*pair);
    ps->values_len = first;
    return dict;
}

/*==============================================================================
 * Literals
 *============================================================================*/

JC_COLD static const uint8_t *fail_literal(jc_parser *ps, const uint8_t *p)
{
    const uint8_t *end = ps->end;
    if (end - p >= 3 && memcmp(p, "NaN", 3) == 0)
        fail_at(ps, p, JC_PARSE_LITERAL, "NaN is not valid JSON");
    else if (end - p >= 8 && memcmp(p, "Infinity", 8) == 0)
        fail_at(ps, p, JC_PARSE_LITERAL, "Infinity is not valid JSON");
    else if (*p == 't' || *p == 'f' || *p == 'n')
        fail_at(ps, p, JC_PARSE_LITERAL, "invalid literal: expected '%s'",
                *p == 't'   ? "true"
                : *p == 'f' ? "false"
                            : "null");
    else
        fail_expected(ps, p, "a value");
    return NULL;
}

/* p: the first letter. Returns the byte after the literal, or NULL. */
JC_INLINE const uint8_t *parse_literal(jc_parser *ps, const uint8_t *p, PyObject **out)
{
    ptrdiff_t left = ps->end - p;
    if (*p == 't' && left >= 4 && jc_load32(p) == jc_load32("true")) {
        *out = Py_NewRef(Py_True);
        return p + 4;
    }
    if (*p == 'f' && left >= 5 && jc_load32(p + 1) == jc_load32("alse")) {
        *out = Py_NewRef(Py_False);
        return p + 5;
    }
    if (*p == 'n' && left >= 4 && jc_load32(p) == jc_load32("null")) {
        *out = Py_NewRef(Py_None);
        return p + 4;
    }
    return fail_literal(ps, p);
}

/*==============================================================================
 * Structure
 *============================================================================*/

typedef struct frame {
    size_t first_value; /* where this container's values start on the value stack */
    size_t is_object;
} frame;

static PyObject *parse_document(jc_parser *ps)
{
    const uint8_t *p = ps->start;
    const uint8_t *end = ps->end;
    /* frames[0] stands for the document itself, so "no container is open" is
     * top == frames rather than a pointer before the array. */
    frame frames[JC_PARSE_MAX_DEPTH + 1];
    frame *top = frames; /* the innermost open container */
    const uint8_t *comma = NULL;
    PyObject *value = NULL;

    if (p == end) {
        fail_at(ps, p, JC_PARSE_EMPTY, "empty document");
        return NULL;
    }
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        fail_at(ps, p, JC_PARSE_BOM, "byte order mark is not allowed at the start of JSON");
        return NULL;
    }
    p = skip_whitespace(p);

value:
    /* p is at the first byte of a value (whitespace already skipped). */
    switch (*p) {
    case '"':
        p = parse_string(ps, p + 1, &value);
        if (jc_unlikely(p == NULL))
            goto error;
        break;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        p = parse_number(ps, p, &value);
        if (jc_unlikely(p == NULL))
            goto error;
        break;
    case '{':
    case '[':
        if (jc_unlikely(top == frames + JC_PARSE_MAX_DEPTH)) {
            fail_at(ps, p, JC_PARSE_DEPTH, "nesting depth exceeds %d", JC_PARSE_MAX_DEPTH);
            goto error;
        }
        ++top;
        top->first_value = ps->values_len;
        top->is_object = *p == '{';
        p = skip_whitespace(p + 1);
        if (top->is_object) {
            if (*p == '}') {
                p++;
                goto close_object;
            }
            goto object_key;
        }
        if (*p == ']') {
            p++;
            goto close_array;
        }
        goto value;
    default:
        p = parse_literal(ps, p, &value);
        if (jc_unlikely(p == NULL))
            goto error;
        break;
    }
    if (jc_unlikely(!push_value(ps, value)))
        goto python_error;

after_value:
    if (jc_unlikely(top == frames))
        goto done;
    p = skip_whitespace(p);
    if (top->is_object) {
        if (jc_likely(*p == ',')) {
            comma = p;
            p = skip_whitespace(p + 1);
            goto object_key;
        }
        if (jc_likely(*p == '}')) {
            p++;
            goto close_object;
        }
        fail_expected(ps, p, "',' or '}' after object member");
        goto error;
    }
    if (jc_likely(*p == ',')) {
        comma = p;
        p = skip_whitespace(p + 1);
        if (jc_unlikely(*p == ']')) {
            fail_at(ps, comma, JC_PARSE_TRAILING_COMMA, "trailing comma before ']'");
            goto error;
        }
        goto value;
    }
    if (jc_likely(*p == ']')) {
        p++;
        goto close_array;
    }
    fail_expected(ps, p, "',' or ']' after array element");
    goto error;

object_key:
    if (jc_unlikely(*p != '"')) {
        if (*p == '}' && comma != NULL && ps->values_len > top->first_value)
            fail_at(ps, comma, JC_PARSE_TRAILING_COMMA, "trailing comma before '}'");
        else
            fail_expected(ps, p, "'\"' to start an object key");
        goto error;
    }
    p = parse_key(ps, p + 1, &value);
    if (jc_unlikely(p == NULL))
        goto error;
    if (jc_unlikely(!push_value(ps, value)))
        goto python_error;
    p = skip_whitespace(p);
    if (jc_unlikely(*p != ':')) {
        fail_expected(ps, p, "':' after object key");
        goto error;
    }
    p = skip_whitespace(p + 1);
    goto value;

close_array:
    value = build_list(ps, top->first_value);
    goto close_container;
close_object:
    value = build_dict(ps, top->first_value);
close_container:
    if (jc_unlikely(value == NULL))
        goto python_error;
    top--;
    if (jc_unlikely(!push_value(ps, value)))
        goto python_error;
    goto after_value;

done:
    p = skip_whitespace(p);
    if (jc_unlikely(p != end)) {
        char found[32];
        describe_character(ps, p, found, sizeof found);
        fail_at(ps, p, JC_PARSE_EXTRA_DATA, "extra data after the JSON value: %s", found);
        goto error;
    }
    ps->values_len = 0;
    return ps->values[0];

python_error:
    fail_python(ps, p);
error:
    return NULL;
}

/*==============================================================================
 * Entry
 *============================================================================*/

PyObject *jc_parse(const uint8_t *data, size_t len, jc_keycache *keys, jc_parse_error *err)
{
    jc_parser ps;
    ps.start = data;
    ps.end = data + len;
    ps.keys = keys;
    ps.err = err;
    ps.values = ps.inline_values;
    ps.values_len = 0;
    ps.values_cap = JC_INLINE_STACK;
    ps.code_points = NULL;
    ps.code_points_cap = 0;
    ps.text = NULL;
    ps.text_cap = 0;
    ps.long_keys = NULL;
    err->code = JC_PARSE_OK;

    PyObject *result = parse_document(&ps);

    for (size_t i = 0; i < ps.values_len; i++)
        Py_DECREF(ps.values[i]);
    if (ps.values != ps.inline_values)
        jc_free(ps.values, ps.values_cap * sizeof(PyObject *));
    jc_free(ps.code_points, ps.code_points_cap * sizeof(uint32_t));
    jc_free(ps.text, ps.text_cap);
    Py_XDECREF(ps.long_keys);
    return result;
}

const char *jc_parse_code_name(jc_parse_code code)
{
    switch (code) {
#define JC_PARSE_NAME(name, what) \
  case JC_PARSE_##name: return #name;
        JC_PARSE_ERRORS(JC_PARSE_NAME)
#undef JC_PARSE_NAME
    }
    return "UNKNOWN";
}
