/* The encoder of dump() and dump_lines(): encoder.c compiled a second time,
 * with safe points that hand the output so far to fp.write() once a chunk is
 * full (stream.h). dumps keeps its own copy, where the points are nothing.
 *
 * Why not flush from the writer's reserve, when the buffer is full: reserve
 * runs in the middle of a value (a str being copied, a list item lent by the
 * list), and write() is Python code that may change or free exactly that. At
 * a safe point the encoder holds everything it will read again (encoder.c),
 * so a write() that empties the list being written only shortens the output.
 * The cost is that a value written without safe points inside it (a long str,
 * a Fragment, a numpy array, a dataclass's fields: the type files use the
 * dumps copy) is buffered whole before it is handed over. */
#include "stream/stream.h"

#include "alloc.h"

/* The writer's capacity: a chunk and the room to finish the value that
 * crosses it before the next safe point, so the buffer rarely grows. */
#define JC_STREAM_CAPACITY (JC_STREAM_CHUNK + (size_t)16 * 1024)

JC_COLD static int stream_flush(jc_encoder *e);

/* One compare per member, in this copy only; the count of chunks handed
 * over tells a dict walk over its table that write() ran (encoder.c). */
#define JC_ENCODE_STREAM_COPY   1
#define JC_ENCODE_SAFE_POINT(e) (jc_unlikely((e)->out.len >= JC_STREAM_CHUNK) ? stream_flush(e) : 0)
#define JC_ENCODE_FLUSHES(e)    (((jc_stream_encoder *)(e))->chunks)

/* The encoder's second copy, on purpose (encoder.c, "Stream mode"). */
#include "encode/encoder.c"  // NOLINT(bugprone-suspicious-include)

/*==============================================================================
 * Handing chunks to write()
 *============================================================================*/

/* A text file's write() refuses bytes with TypeError; said once, before
 * anything was written, in terms of the call that was made. */
JC_COLD static void explain_text_file(const jc_stream_encoder *s)
{
    PyObject *cause = jc_err_take();
    if (cause == NULL)
        return;
    PyErr_Format(PyExc_TypeError,
                 "%s() needs a binary file object: fp.write(bytes) raised TypeError: %S", s->what,
                 cause);
    PyObject *error = jc_err_take();
    if (error == NULL) { /* formatting failed: that error is set instead */
        Py_DECREF(cause);
        return;
    }
    PyException_SetCause(error, Py_NewRef(cause));
    PyException_SetContext(error, cause);
    PyErr_SetObject((PyObject *)Py_TYPE(error), error);
    Py_DECREF(error);
}

/* write(data[from:]) until it has taken all of it. A raw file (FileIO with
 * buffering=0) may take less than it is given and says how much; any other
 * answer (None, as most file-like objects return) means all of it, as
 * json.dump assumes. -1 with the exception set. */
static int write_all(jc_stream_encoder *s, PyObject *chunk)
{
    Py_ssize_t size = PyBytes_GET_SIZE(chunk), done = 0;
    PyObject *piece = Py_NewRef(chunk), *result = NULL;
    int status = -1;
    for (;;) {
        result = PyObject_CallOneArg(s->write, piece);
        if (result == NULL) {
            if (s->flushed == 0 && done == 0 && PyErr_ExceptionMatches(PyExc_TypeError))
                explain_text_file(s);
            goto done;
        }
        Py_ssize_t taken = PyBytes_GET_SIZE(piece);
        if (PyLong_Check(result)) {
            taken = PyLong_AsSsize_t(result);
            if (taken == -1 && PyErr_Occurred())
                goto done;
            if (taken < 0 || taken > PyBytes_GET_SIZE(piece))
                taken = PyBytes_GET_SIZE(piece); /* not a count: all of it */
        }
        Py_CLEAR(result);
        done += taken;
        if (done == size)
            break;
        if (taken == 0) {
            PyErr_Format(PyExc_OSError, "fp.write() wrote 0 of %zd bytes", size - done);
            goto done;
        }
        Py_SETREF(piece, PyBytes_FromStringAndSize(PyBytes_AS_STRING(chunk) + done, size - done));
        if (piece == NULL)
            goto done;
    }
    s->flushed += (size_t)size;
    s->chunks++;
    status = 0;
done:
    Py_XDECREF(result);
    Py_XDECREF(piece);
    return status;
}

/* The output so far, trimmed to its length, is itself the chunk write() gets
 * (no copy; a file object may keep it, so it is never written into again),
 * and a fresh buffer takes its place once write() has returned, so that the
 * chunk's memory is free for it when write() did not keep it: one chunk
 * alive at a time. restart false: the last one. -1 with the exception set. */
static int hand_over(jc_stream_encoder *s, bool restart)
{
    jc_writer *w = &s->e.out;
    if (w->bytes == NULL)
        return 0;
    if (w->len == 0 && restart)
        return 0;
    PyObject *chunk = jc_writer_finish(w);
    w->data = NULL;
    w->len = w->cap = 0;
    if (chunk == NULL)
        return -1;
    int status = PyBytes_GET_SIZE(chunk) > 0 ? write_all(s, chunk) : 0;
    Py_DECREF(chunk);
    if (status == 0 && restart)
        status = jc_writer_init(w, JC_STREAM_CAPACITY);
    return status;
}

static int stream_flush(jc_encoder *e)
{
    if (hand_over((jc_stream_encoder *)e, true) < 0)
        return jc_encode_fail_python(&e->err);
    return 0;
}

/*==============================================================================
 * The stream encoder (stream.h)
 *============================================================================*/

/* The stream copy's own, for the type files (encoder.h): a dataclass's field
 * values are written with safe points in them, and one between fields. */
static int stream_write_value(jc_encoder *e, PyObject *obj)
{
    return encode_value(e, obj);
}

static int stream_safe_point(jc_encoder *e)
{
    return JC_ENCODE_SAFE_POINT(e);
}

int jc_stream_open(jc_stream_encoder *s)
{
    s->e.write_value = stream_write_value;
    s->e.safe_point = stream_safe_point;
    s->flushed = 0;
    s->chunks = 0;
    s->e.depth = 0;
    s->e.default_depth = 0;
    if (jc_writer_init(&s->e.out, JC_STREAM_CAPACITY) < 0)
        return jc_encode_fail_python(&s->e.err);
    return 0;
}

int jc_stream_encode(jc_stream_encoder *s, PyObject *obj)
{
    s->e.depth = 0;
    s->e.default_depth = 0;
    return encode_value(&s->e, obj);
}

int jc_stream_safe_point(jc_stream_encoder *s)
{
    return JC_ENCODE_SAFE_POINT(&s->e);
}

int jc_stream_close(jc_stream_encoder *s, bool flush)
{
    int status = 0;
    if (flush && hand_over(s, false) < 0)
        status = jc_encode_fail_python(&s->e.err);
    jc_writer_discard(&s->e.out);
    return status;
}
