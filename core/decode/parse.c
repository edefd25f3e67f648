/* Decoder stage: structure. An iterative loop over values, arrays and objects;
 * nesting lives in an explicit frame array, never on the C stack. See parse.h
 * for the pipeline. */
#include "decode/parse.h"

#include "decode/number.h"
#include "decode/state.h"
#include "decode/str.h"
#include "tables/char_tables.h"

/*==============================================================================
 * Whitespace
 *============================================================================*/

/* Past the whitespace at p. Minified documents have none (one compare); in
 * indented ones a newline and a run of spaces precede most tokens, skipped 16
 * bytes at a time. */
JC_INLINE const uint8_t *skip_whitespace(const uint8_t *p, const uint8_t *end)
{
    if (jc_likely(*p > ' '))
        return p;
    /* A lone space, as after ':' in indented output. Testing *p first keeps
     * p < end before p[1] is read (*end is the NUL sentinel, not whitespace). */
    if (jc_whitespace_byte[*p] && p[1] > ' ')
        return p + 1;
#if JC_HAVE_SSE2
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)p);
        __m128i space = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
        __m128i tab_cr = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
        unsigned other = ~(unsigned)_mm_movemask_epi8(_mm_or_si128(space, tab_cr)) & 0xFFFF;
        if (other != 0)
            return p + jc_ctz32(other);
        p += 16;
    }
#else
    (void)end;
#endif
    while (jc_whitespace_byte[*p])
        p++;
    return p;
}

/*==============================================================================
 * Value stack
 *============================================================================*/

/* An open container. Its pending values are on the value stack from
 * first_value up to the next frame's first_value (or the top of the stack). */
typedef struct jc_frame {
    size_t first_value;
    uint32_t is_object;
    /* An object's last key's key cache slot (a link, keycache.h), 0 before
     * its first key or when that key has no slot: where the next key is
     * predicted from (expected_key_link). */
    uint16_t key_link;
    /* Keys of this object mispredicted in a row: at JC_KEY_MISPREDICTIONS
     * the object is taken for one whose keys do not repeat (a map of ids)
     * and its keys are no longer predicted. */
    uint16_t mispredicted;
    /* What a flush built of the container so far, or NULL. Set only in the
     * frames up to ps->partial_top (open during a flush), so opening a
     * container costs nothing for it. */
    PyObject *partial;
} frame;

/* Grows the stack to twice its size, but not past `window` values. */
JC_COLD static bool grow_values(jc_parser *ps, size_t window)
{
    size_t cap = ps->values_cap * 2 < window ? ps->values_cap * 2 : window;
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

/* The item array of a list being built, grown to exactly `capacity` slots, so
 * the finished list has no slack. A list's items are MEM-domain memory
 * (CPython's list_resize), hence PyMem_Realloc here rather than jc_realloc:
 * they are the result, not scratch. Slots past the list's size are left for
 * the caller to fill before it sets the size. Returns -1 with MemoryError set
 * on failure, the list unchanged. */
static int list_reserve(PyObject *list, size_t capacity)
{
    PyListObject *self = (PyListObject *)list;
    if (capacity > (size_t)PY_SSIZE_T_MAX / sizeof(PyObject *)) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject **items = PyMem_Realloc(self->ob_item, capacity * sizeof(PyObject *));
    if (jc_unlikely(items == NULL)) {
        PyErr_NoMemory();
        return -1;
    }
    self->ob_item = items;
    self->allocated = (Py_ssize_t)capacity;
    return 0;
}

/* Appends items[0, count) to f's list, creating it on the first flush; the list
 * takes the references. The item array grows to its exact size, as a list
 * built at close has, so nothing of it is slack. */
static bool extend_partial_list(frame *f, PyObject **items, size_t count)
{
    size_t size = 0;
    if (f->partial == NULL) {
        if ((f->partial = PyList_New((Py_ssize_t)count)) == NULL)
            return false;
    } else {
        size = (size_t)Py_SIZE(f->partial);
        if (list_reserve(f->partial, size + count) < 0)
            return false;
    }
    memcpy(((PyListObject *)f->partial)->ob_item + size, items, count * sizeof(PyObject *));
    Py_SET_SIZE(f->partial, (Py_ssize_t)(size + count));
    return true;
}

/* Inserts the key, value pairs at items[0, count) into dict in document order,
 * so that the last of duplicate keys wins, as json does. The stack keeps its
 * references (the dict takes its own): on failure nothing has changed hands. */
JC_INLINE bool insert_pairs(PyObject *dict, PyObject **items, size_t count)
{
    PyObject **pair = items;
    PyObject **stop = items + count;
    for (; pair < stop; pair += 2) {
        if (jc_unlikely(PyDict_SetItem(dict, pair[0], pair[1]) < 0))
            return false;
    }
    return true;
}

JC_INLINE void release_values(PyObject **items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        Py_DECREF(items[i]);
}

/* Moves the complete values of every open container, bottom..top, into the
 * container itself (frame.partial), leaving on the stack only the key of each
 * object whose value is being parsed (one a level: at most JC_PARSE_MAX_DEPTH,
 * under JC_STACK_WINDOW, so room is made). Frames are done bottom up, each
 * compacted to the stack's bottom as soon as its values have moved; on failure
 * the values not moved yet are moved down too, so the stack holds each
 * reference it still owns once, and the frames the others. */
JC_COLD static bool flush_pending(jc_parser *ps, frame *bottom, frame *top)
{
    for (frame *f = ps->partial_top + 1; f <= top; f++)
        f->partial = NULL;
    ps->partial_top = top;
    PyObject **values = ps->values;
    size_t kept = 0;
    for (frame *f = bottom; f <= top; f++) {
        size_t first = f->first_value;
        size_t stop = f < top ? f[1].first_value : ps->values_len;
        size_t count = f->is_object ? (stop - first) & ~(size_t)1 : stop - first;
        if (count != 0) {
            bool moved;
            if (f->is_object) {
                moved = (f->partial != NULL || (f->partial = PyDict_New()) != NULL) &&
                        insert_pairs(f->partial, values + first, count);
                if (moved)
                    release_values(values + first, count);
            } else {
                moved = extend_partial_list(f, values + first, count);
            }
            if (!moved) {
                size_t rest = ps->values_len - first;
                memmove(values + kept, values + first, rest * sizeof(PyObject *));
                ps->values_len = kept + rest;
                return false;
            }
            ps->values_flushed += count;
        }
        f->first_value = kept;
        if (stop - first != count) /* the key of the value being parsed */
            values[kept++] = values[stop - 1];
    }
    ps->values_len = kept;
    return true;
}

/* The stack is full: grows it up to its window (state.h), else flushes, which
 * moves ps->partial_top up to top. */
JC_COLD static bool make_room(jc_parser *ps, frame *bottom, frame *top)
{
    size_t window = ps->values_flushed / JC_STACK_SHARE;
    if (window < JC_STACK_WINDOW)
        window = JC_STACK_WINDOW;
    if (ps->values_cap < window)
        return grow_values(ps, window);
    if (!flush_pending(ps, bottom, top))
        return false;
    return ps->values_len < ps->values_cap || grow_values(ps, ps->values_cap * 2);
}

/* Takes the reference. bottom..top: the open containers; *partial_top: the
 * caller's copy of ps->partial_top, refreshed when the stack was full. */
JC_INLINE bool push_value(jc_parser *ps, frame *bottom, frame *top, frame **partial_top,
                          PyObject *value)
{
    if (jc_unlikely(ps->values_len == ps->values_cap)) {
        bool room = make_room(ps, bottom, top);
        *partial_top = ps->partial_top;
        if (!room) {
            Py_DECREF(value);
            return false;
        }
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
    PyObject **pair = ps->values + first;
    PyObject **stop = ps->values + ps->values_len;
    size_t members = (size_t)(stop - pair) / 2, slot = JC_DICT_SHAPES;
    PyObject *dict = NULL;
    int shaped = jc_dict_shape_applies(members)
                     ? jc_dict_from_shape(&ps->shapes, pair, members, &dict, &slot)
                     : 0;
    if (shaped != 0) {
        if (jc_likely(shaped > 0))
            ps->values_len = first;
        return dict;
    }
    int built = members != 0 ? jc_dict_from_pairs(pair, members, &dict) : 0;
    if (jc_unlikely(built < 0))
        return NULL;
    if (built == 0) { /* inserted, on CPythons whose dict layout is not known */
        dict = PyDict_New();
        if (jc_unlikely(dict == NULL))
            return NULL;
        for (; pair < stop; pair += 2) {
            if (jc_unlikely(PyDict_SetItem(dict, pair[0], pair[1]) < 0)) {
                Py_DECREF(dict);
                return NULL;
            }
        }
        for (pair = ps->values + first; pair < stop; pair++)
            Py_DECREF(*pair);
    }
    if (slot != JC_DICT_SHAPES)
        jc_dict_shape_remember(&ps->shapes, slot, dict, members);
    ps->values_len = first;
    return dict;
}

/* Closes a container that was open during a flush (f == ps->partial_top): its
 * last values join f->partial, which the frame gives up (on failure it keeps
 * it). One that had no values to flush yet has none, and is built as usual. */
JC_COLD static PyObject *finish_partial(jc_parser *ps, frame *f)
{
    size_t first = f->first_value;
    size_t count = ps->values_len - first;
    PyObject *container = NULL;
    if (f->partial == NULL) {
        container = f->is_object ? build_dict(ps, first) : build_list(ps, first);
        if (container != NULL)
            ps->partial_top = f - 1;
        return container;
    }
    if (count != 0) {
        if (f->is_object) {
            if (!insert_pairs(f->partial, ps->values + first, count))
                return NULL;
            release_values(ps->values + first, count);
        } else if (!extend_partial_list(f, ps->values + first, count)) {
            return NULL;
        }
    }
    ps->values_len = first;
    container = f->partial;
    f->partial = NULL;
    ps->partial_top = f - 1;
    return container;
}

/*==============================================================================
 * Literals
 *============================================================================*/

JC_COLD static const uint8_t *fail_literal(jc_parser *ps, const uint8_t *p)
{
    const uint8_t *end = ps->end;
    if (end - p >= 3 && memcmp(p, "NaN", 3) == 0)
        jc_parse_fail_at(ps, p, JC_PARSE_LITERAL, "NaN is not valid JSON");
    else if (end - p >= 8 && memcmp(p, "Infinity", 8) == 0)
        jc_parse_fail_at(ps, p, JC_PARSE_LITERAL, "Infinity is not valid JSON");
    else if (*p == 't' || *p == 'f' || *p == 'n')
        jc_parse_fail_at(ps, p, JC_PARSE_LITERAL, "invalid literal: expected '%s'",
                         *p == 't'   ? "true"
                         : *p == 'f' ? "false"
                                     : "null");
    else
        jc_parse_fail_expected(ps, p, "a value");
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

#define JC_KEY_MISPREDICTIONS 8

/* Where the key expected next in the object at top is linked from: the
 * previous key's `next`; for a first key, the `first_child` of the key whose
 * value the object is, or the cache's first_key for an object that is no
 * key's value (or a key without a slot's). Written with the key found, so
 * the next object of the same shape follows the same links. */
JC_INLINE uint16_t *expected_key_link(jc_keycache *keys, const frame *top)
{
    if (top->key_link != 0)
        return &keys->slots[top->key_link - 1].next;
    const frame *parent = top - 1;
    if (parent->is_object && parent->key_link != 0)
        return &keys->slots[parent->key_link - 1].first_child;
    return &keys->first_key;
}

static PyObject *parse_document(jc_parser *ps)
{
    const uint8_t *p = ps->start;
    const uint8_t *end = ps->end;
    /* frames[0] stands for the document itself, so "no container is open" is
     * top == frames rather than a pointer before the array. */
    frame frames[JC_PARSE_MAX_DEPTH + 1];
    frame *top = frames;         /* the innermost open container */
    frames[0].is_object = false; /* read as a first key's parent (expected_key_link) */
    frames[0].key_link = 0;
    const uint8_t *comma = NULL;
    PyObject *value = NULL;

    if (p == end) {
        jc_parse_fail_at(ps, p, JC_PARSE_EMPTY, "empty document");
        return NULL;
    }
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        jc_parse_fail_at(ps, p, JC_PARSE_BOM,
                         "byte order mark is not allowed at the start of JSON");
        return NULL;
    }
    /* ps->partial_top, copied where the hot loop reads it: only the cold
     * paths that move it (a flush, closing a flushed container) write it. */
    frame *partial_top = ps->partial_top = frames;
    p = skip_whitespace(p, end);

value:
    /* p is at the first byte of a value (whitespace already skipped). */
    switch (*p) {
    case '"':
        p = jc_parse_string(ps, p + 1, &value);
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
        p = jc_parse_number(ps, p, &value);
        if (jc_unlikely(p == NULL))
            goto error;
        break;
    case '{':
    case '[':
        if (jc_unlikely(top == frames + JC_PARSE_MAX_DEPTH)) {
            jc_parse_fail_at(ps, p, JC_PARSE_DEPTH, "nesting depth exceeds %d", JC_PARSE_MAX_DEPTH);
            goto error;
        }
        ++top;
        top->first_value = ps->values_len;
        top->is_object = *p == '{';
        p = skip_whitespace(p + 1, end);
        /* An empty container is made at once: nothing to take off the stack. */
        if (top->is_object) {
            top->key_link = 0;
            top->mispredicted = 0;
            if (*p == '}') {
                p++;
                value = PyDict_New();
                goto close_container;
            }
            goto object_key;
        }
        if (*p == ']') {
            p++;
            value = PyList_New(0);
            goto close_container;
        }
        goto value;
    default:
        p = parse_literal(ps, p, &value);
        if (jc_unlikely(p == NULL))
            goto error;
        break;
    }
    if (jc_unlikely(!push_value(ps, frames + 1, top, &partial_top, value)))
        goto python_error;

after_value:
    p = skip_whitespace(p, end);
    /* One test for two rare cases: the document's value is complete (top ==
     * frames), or top is a container flushed into, whose closing bracket must
     * finish what the flush built. Every other container was opened after the
     * last flush, so close_array and close_object need no test of their own. */
    if (jc_unlikely(top <= partial_top))
        goto after_flushed_value;
after_separator:
    if (jc_likely(*p == ',')) {
        comma = p;
        p = skip_whitespace(p + 1, end);
        if (top->is_object)
            goto object_key;
        if (jc_unlikely(*p == ']')) {
            jc_parse_fail_at(ps, comma, JC_PARSE_TRAILING_COMMA, "trailing comma before ']'");
            goto error;
        }
        goto value;
    }
    if (jc_likely(*p == (top->is_object ? '}' : ']'))) {
        p++;
        if (top->is_object)
            goto close_object;
        goto close_array;
    }
    jc_parse_fail_expected(ps, p,
                           top->is_object ? "',' or '}' after object member"
                                          : "',' or ']' after array element");
    goto error;

after_flushed_value:
    if (top == frames)
        goto done;
    /* A large flushed container takes this path for each of its values: its
     * closing bracket finishes what the flushes built, anything else is
     * handled as in any container. */
    if (*p != (top->is_object ? '}' : ']'))
        goto after_separator;
    p++;
    value = finish_partial(ps, top);
    partial_top = ps->partial_top;
    goto close_container;

object_key:
    if (jc_unlikely(*p != '"')) {
        if (*p == '}' && comma != NULL &&
            (ps->values_len > top->first_value || (top <= ps->partial_top && top->partial != NULL)))
            jc_parse_fail_at(ps, comma, JC_PARSE_TRAILING_COMMA, "trailing comma before '}'");
        else
            jc_parse_fail_expected(ps, p, "'\"' to start an object key");
        goto error;
    }
    if (jc_likely(top->mispredicted < JC_KEY_MISPREDICTIONS)) {
        /* A paused or switched-off cache counts its keys on the ordinary
         * path; its keys have no slots to link (last_link stays 0). */
        jc_keycache *keys = ps->keys;
        uint16_t *expected = expected_key_link(keys, top);
        const uint8_t *after =
            keys->active ? jc_keycache_predicted(keys, *expected, p + 1, end, &value) : NULL;
        if (jc_likely(after != NULL)) {
            p = after;
            top->key_link = *expected;
            top->mispredicted = 0;
            goto key_done;
        }
        top->mispredicted++;
        keys->last_link = 0;
        p = jc_parse_key(ps, p + 1, &value);
        if (jc_unlikely(p == NULL))
            goto error;
        *expected = top->key_link = keys->last_link;
        goto key_done;
    }
    /* An object whose keys do not repeat: the key alone, no links. */
    p = jc_parse_key(ps, p + 1, &value);
    if (jc_unlikely(p == NULL))
        goto error;
key_done:
    if (jc_unlikely(!push_value(ps, frames + 1, top, &partial_top, value)))
        goto python_error;
    p = skip_whitespace(p, end);
    if (jc_unlikely(*p != ':')) {
        jc_parse_fail_expected(ps, p, "':' after object key");
        goto error;
    }
    p = skip_whitespace(p + 1, end);
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
    if (jc_unlikely(!push_value(ps, frames + 1, top, &partial_top, value)))
        goto python_error;
    goto after_value;

done:
    p = skip_whitespace(p, end);
    if (jc_unlikely(p != end)) {
        char found[32];
        jc_parse_describe(ps, p, found, sizeof found);
        jc_parse_fail_at(ps, p, JC_PARSE_EXTRA_DATA, "extra data after the JSON value: %s", found);
        goto error;
    }
    ps->values_len = 0;
    ps->partial_top = NULL; /* frames is gone after the return */
    return ps->values[0];

python_error:
    jc_parse_fail_python(ps, p);
error:
    for (frame *f = frames + 1; f <= ps->partial_top; f++)
        Py_XDECREF(f->partial);
    ps->partial_top = NULL;
    return NULL;
}

/*==============================================================================
 * Entry
 *============================================================================*/

PyObject *jc_parse(const uint8_t *data, size_t len, jc_keycache *keys, jc_parse_error *err)
{
    static const jc_parse_options orjson_options = {NULL};
    return jc_parse_with(data, len, keys, &orjson_options, err);
}

/* A parser with no document yet: the value stack in its inline array, no
 * scratch. */
JC_INLINE void parser_open(jc_parser *ps, jc_keycache *keys, const jc_parse_options *options)
{
    ps->keys = keys;
    ps->decimal = options->decimal;
    ps->values = ps->inline_values;
    ps->values_len = 0;
    ps->values_cap = JC_INLINE_STACK;
    ps->values_flushed = 0;
    ps->partial_top = NULL;
    ps->code_points = NULL;
    ps->code_points_cap = 0;
    ps->text = NULL;
    ps->text_cap = 0;
    ps->long_keys = NULL;
    jc_dict_shapes_open(&ps->shapes);
}

/* One document, data[0, len) with data[len] == 0; the stack is empty after it. */
JC_INLINE PyObject *parser_run(jc_parser *ps, const uint8_t *data, size_t len, jc_parse_error *err)
{
    ps->start = data;
    ps->end = data + len;
    ps->err = err;
    err->code = JC_PARSE_OK;
    PyObject *result = parse_document(ps);
    jc_dict_shapes_close(&ps->shapes);
    /* What a failed document left on the stack. */
    for (size_t i = 0; i < ps->values_len; i++)
        Py_DECREF(ps->values[i]);
    ps->values_len = 0;
    return result;
}

JC_INLINE void parser_close(jc_parser *ps)
{
    if (ps->values != ps->inline_values)
        jc_free(ps->values, ps->values_cap * sizeof(PyObject *));
    jc_free(ps->code_points, ps->code_points_cap * sizeof(uint32_t));
    jc_free(ps->text, ps->text_cap);
    Py_XDECREF(ps->long_keys);
}

PyObject *jc_parse_with(const uint8_t *data, size_t len, jc_keycache *keys,
                        const jc_parse_options *options, jc_parse_error *err)
{
    jc_parser ps;
    parser_open(&ps, keys, options);
    jc_keycache_begin_document(keys);
    PyObject *result = parser_run(&ps, data, len, err);
    parser_close(&ps);
    return result;
}

/*==============================================================================
 * A stream of documents (JSON Lines)
 *============================================================================*/

jc_parser *jc_parser_new(jc_keycache *keys, const jc_parse_options *options)
{
    jc_parser *ps = jc_malloc(sizeof *ps);
    if (ps == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    parser_open(ps, keys, options);
    return ps;
}

PyObject *jc_parser_parse(jc_parser *ps, const uint8_t *data, size_t len, jc_parse_error *err)
{
    ps->values_flushed = 0;
    PyObject *result = parser_run(ps, data, len, err);
    /* Each document shares its long keys within itself only (as loads), and
     * a stack grown past its window by one large document goes back to the
     * inline array: what the stream keeps between documents stays small. */
    Py_CLEAR(ps->long_keys);
    if (ps->values_cap > JC_STACK_WINDOW) {
        jc_free(ps->values, ps->values_cap * sizeof(PyObject *));
        ps->values = ps->inline_values;
        ps->values_cap = JC_INLINE_STACK;
    }
    return result;
}

void jc_parser_free(jc_parser *ps)
{
    if (ps == NULL)
        return;
    parser_close(ps);
    jc_free(ps, sizeof *ps);
}
