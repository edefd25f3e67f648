/* dump(), dumps_lines() and dump_lines(): dumps' encoder writing to a file
 * object a chunk at a time, and one compact document per line. See stream.h. */
#include "stream/stream.h"

#include "stack_guard.h"
#include "testing.h"

/* Stack the entries need before the encoder's own checks take over (as
 * dumps'). */
#define JC_STREAM_ENTRY_STACK ((size_t)8 * 1024)

static const char *const encode_names[] = {"default", "option", NULL};

/* The one exit of a failed call: the recorded error raised as dumps raises
 * it. Returns NULL. */
JC_COLD static PyObject *raise_encode_error(jc_module_state *st, jc_encode_error *err)
{
    jc_encode_error_finish(err);
    jc_encode_error_raise(st, err);
    return NULL;
}

/* JSON Lines are one line each: OPT_INDENT_2 would break them. */
static int refuse_indent(jc_module_state *st, const char *function, uint32_t opts)
{
    if (!(opts & JC_OPT_INDENT_2))
        return 0;
    PyErr_Format(st->JSONEncodeError,
                 "%s() writes one document per line: OPT_INDENT_2 is not allowed", function);
    return -1;
}

/* The '\n' after a line; -1 with the error recorded. */
JC_INLINE int end_line(jc_encoder *e)
{
    if (jc_unlikely(jc_writer_reserve(&e->out, 1) < 0))
        return jc_encode_fail_python(&e->err);
    jc_writer_put(&e->out, '\n');
    return 0;
}

/*==============================================================================
 * dump
 *============================================================================*/

/* The end of dump and dump_lines, whatever `status` says: the stream closed
 * (what is buffered written only when status is 0), the error raised, the
 * call's entry undone. Returns the call's status. */
static int finish_stream_call(jc_module_state *st, jc_stream_encoder *s, int status)
{
    if (jc_stream_close(s, status == 0) < 0)
        status = -1;
    if (status < 0)
        raise_encode_error(st, &s->e.err);
    jc_encode_error_clear(&s->e.err);
    jc_call_exit();
    jc_recursion_leave();
    return status;
}

PyObject *jc_dump(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    jc_module_state *st = jc_state(module);
    PyObject *argv[4];
    jc_stream_encoder s;
    s.what = "dump";
    if (jc_stream_parse_args("dump", args, nargs, kwnames, 2, encode_names, argv) < 0 ||
        jc_encoder_setup(&s.e, st, argv[2], argv[3]) < 0)
        return NULL;
    s.write = jc_stream_binary_method("dump", argv[1], "write");
    if (s.write == NULL)
        return NULL;
    if (jc_recursion_enter(" while encoding a JSON object", JC_STREAM_ENTRY_STACK,
                           &s.e.stack_floor) < 0) {
        Py_DECREF(s.write);
        return NULL;
    }
    jc_call_enter();
    int status = jc_stream_open(&s);
    if (status == 0)
        status = jc_stream_encode(&s, argv[0]);
    if (status == 0 && (s.e.opts & JC_OPT_APPEND_NEWLINE))
        status = end_line(&s.e);
    status = finish_stream_call(st, &s, status);
    Py_DECREF(s.write);
    return status == 0 ? Py_NewRef(Py_None) : NULL;
}

/*==============================================================================
 * dumps_lines, dump_lines
 *============================================================================*/

/* An item of the iterable that could not be written is named by its index, as
 * if the iterable were the document's list: "... at $[3].id" is line 4. */
JC_COLD static int note_item(jc_encoder *e, PyObject *iterable, Py_ssize_t index)
{
    return jc_encode_note_path(&e->err, iterable, NULL, index);
}

/* The next item, a new reference; NULL at the end (0) or with the iterator's
 * exception recorded (-1) in *status. */
JC_INLINE PyObject *next_item(jc_encoder *e, PyObject *iterator, int *status)
{
    PyObject *item = PyIter_Next(iterator);
    *status = item == NULL && PyErr_Occurred() ? jc_encode_fail_python(&e->err) : 0;
    return item;
}

PyObject *jc_dumps_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
                         PyObject *kwnames)
{
    jc_module_state *st = jc_state(module);
    PyObject *argv[3], *iterator = NULL, *item = NULL, *result = NULL;
    jc_encoder e;
    if (jc_stream_parse_args("dumps_lines", args, nargs, kwnames, 1, encode_names, argv) < 0 ||
        jc_encoder_setup(&e, st, argv[1], argv[2]) < 0 ||
        refuse_indent(st, "dumps_lines", e.opts) < 0)
        return NULL;
    iterator = PyObject_GetIter(argv[0]);
    if (iterator == NULL)
        return NULL;
    if (jc_recursion_enter(" while encoding a JSON object", JC_STREAM_ENTRY_STACK, &e.stack_floor) <
        0) {
        Py_DECREF(iterator);
        return NULL;
    }
    jc_call_enter();
    int status = 0;
    if (jc_writer_init(&e.out, JC_WRITER_INITIAL) < 0)
        status = jc_encode_fail_python(&e.err);
    for (Py_ssize_t index = 0; status == 0; index++) {
        item = next_item(&e, iterator, &status);
        if (item == NULL)
            break;
        e.depth = 0;
        e.default_depth = 0;
        status = jc_encode_value(&e, item);
        if (status < 0)
            note_item(&e, argv[0], index);
        else
            status = end_line(&e);
        Py_CLEAR(item);
    }
    if (status == 0) {
        result = jc_writer_finish(&e.out);
        if (result == NULL)
            status = jc_encode_fail_python(&e.err);
    }
    if (status < 0) {
        jc_writer_discard(&e.out);
        raise_encode_error(st, &e.err);
    }
    jc_encode_error_clear(&e.err);
    jc_call_exit();
    jc_recursion_leave();
    Py_DECREF(iterator);
    return result;
}

PyObject *jc_dump_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
                        PyObject *kwnames)
{
    jc_module_state *st = jc_state(module);
    PyObject *argv[4], *iterator = NULL, *item = NULL;
    jc_stream_encoder s;
    s.what = "dump_lines";
    s.write = NULL;
    if (jc_stream_parse_args("dump_lines", args, nargs, kwnames, 2, encode_names, argv) < 0 ||
        jc_encoder_setup(&s.e, st, argv[2], argv[3]) < 0 ||
        refuse_indent(st, "dump_lines", s.e.opts) < 0)
        return NULL;
    s.write = jc_stream_binary_method("dump_lines", argv[1], "write");
    if (s.write == NULL)
        return NULL;
    iterator = PyObject_GetIter(argv[0]);
    if (iterator == NULL) {
        Py_DECREF(s.write);
        return NULL;
    }
    if (jc_recursion_enter(" while encoding a JSON object", JC_STREAM_ENTRY_STACK,
                           &s.e.stack_floor) < 0) {
        Py_DECREF(iterator);
        Py_DECREF(s.write);
        return NULL;
    }
    jc_call_enter();
    int status = jc_stream_open(&s);
    for (Py_ssize_t index = 0; status == 0; index++) {
        item = next_item(&s.e, iterator, &status);
        if (item == NULL)
            break;
        status = jc_stream_encode(&s, item);
        if (status < 0)
            note_item(&s.e, argv[0], index);
        else if ((status = end_line(&s.e)) == 0)
            status = jc_stream_safe_point(&s);
        Py_CLEAR(item);
    }
    status = finish_stream_call(st, &s, status);
    Py_DECREF(iterator);
    Py_DECREF(s.write);
    return status == 0 ? Py_NewRef(Py_None) : NULL;
}
