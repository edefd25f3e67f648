/* load(): a binary file object's contents, parsed as loads parses them. A
 * regular file is read once, straight into the bytes object the parser reads
 * (and a JSONDecodeError's doc is): no second copy of the document, where
 * BufferedReader.read() joins what it has buffered with the rest (two copies
 * at once for a moment). Anything else is read with one fp.read(). See
 * stream.h. */
#include "stream/stream.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testing.h"

/* fp is an io.FileIO, or a BufferedReader or BufferedRandom over one, whose
 * file is readable: then its fileno() and tell() are the file's and nothing
 * stands between them and the bytes (a GzipFile also has a fileno(), that of
 * the compressed file). 1, 0, or -1 with the exception set. */
static int is_plain_file(PyObject *fp)
{
    PyObject *io = PyImport_ImportModule("io"), *file_io = NULL, *raw = NULL;
    int plain = -1;
    if (io == NULL)
        goto done;
    file_io = PyObject_GetAttrString(io, "FileIO");
    if (file_io == NULL)
        goto done;
    plain = 0;
    if ((PyObject *)Py_TYPE(fp) == file_io) {
        plain = 1;
    } else {
        const char *buffered[] = {"BufferedReader", "BufferedRandom"};
        for (size_t i = 0; i < 2 && plain == 0; i++) {
            PyObject *type = PyObject_GetAttrString(io, buffered[i]);
            if (type == NULL) {
                plain = -1;
                goto done;
            }
            bool match = (PyObject *)Py_TYPE(fp) == type;
            Py_DECREF(type);
            if (!match)
                continue;
            raw = PyObject_GetAttrString(fp, "raw");
            if (raw == NULL) {
                plain = -1;
                goto done;
            }
            plain = (PyObject *)Py_TYPE(raw) == file_io;
        }
    }
    if (plain == 1) {
        PyObject *readable = PyObject_CallMethod(fp, "readable", NULL);
        plain = readable == NULL ? -1 : PyObject_IsTrue(readable);
        Py_XDECREF(readable);
    }
done:
    Py_XDECREF(raw);
    Py_XDECREF(file_io);
    Py_XDECREF(io);
    return plain;
}

/* n bytes of fd from offset into buf, the GIL released meanwhile; the count
 * read (fewer at the end of the file), or -1 with OSError set. */
static Py_ssize_t read_at(int fd, char *buf, Py_ssize_t n, off_t offset)
{
    Py_ssize_t done = 0;
    while (done < n) {
        ssize_t got;
        int error = 0;
        Py_BEGIN_ALLOW_THREADS got = pread(fd, buf + done, (size_t)(n - done), offset + done);
        if (got < 0)
            error = errno;
        Py_END_ALLOW_THREADS if (got == 0) break;
        if (got < 0) {
            /* A signal: its handler runs (and may raise), then the read goes on. */
            if (error == EINTR && PyErr_CheckSignals() == 0)
                continue;
            if (error != EINTR) {
                errno = error;
                PyErr_SetFromErrno(PyExc_OSError);
            }
            return -1;
        }
        done += got;
    }
    return done;
}

/* A plain regular file's contents from its current position, in a bytes
 * object of their size; the file left at its end, as fp.read() leaves it.
 * 1 with *out set, 0 when fp is not such a file (*out NULL), -1 with the
 * exception set. */
static int read_regular_file(PyObject *fp, PyObject **out)
{
    *out = NULL;
    int plain = is_plain_file(fp);
    if (plain <= 0)
        return plain;
    int fd = PyObject_AsFileDescriptor(fp);
    if (fd < 0)
        return -1;
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode))
        return 0; /* a pipe, a device: read() knows how */
    PyObject *position = PyObject_CallMethod(fp, "tell", NULL), *data = NULL, *moved = NULL;
    if (position == NULL)
        return -1;
    Py_ssize_t start = PyLong_AsSsize_t(position);
    Py_DECREF(position);
    if (start == -1 && PyErr_Occurred())
        return -1;
    Py_ssize_t size = info.st_size > start ? (Py_ssize_t)(info.st_size - start) : 0;
    data = PyBytes_FromStringAndSize(NULL, size);
    if (data == NULL)
        return -1;
    Py_ssize_t got = read_at(fd, PyBytes_AS_STRING(data), size, (off_t)start);
    /* A file that shrank meanwhile gives what it still has. */
    if (got < 0 || (got < size && _PyBytes_Resize(&data, got) < 0))
        goto fail;
    moved = PyObject_CallMethod(fp, "seek", "n", start + got);
    if (moved == NULL)
        goto fail;
    Py_DECREF(moved);
    *out = data;
    return 1;
fail:
    Py_XDECREF(data);
    return -1;
}

/* fp.read(), which must give bytes-like data. A new reference, or NULL with
 * the exception set. */
static PyObject *read_all(PyObject *read)
{
    PyObject *data = PyObject_CallNoArgs(read);
    if (data == NULL || PyBytes_Check(data) || PyByteArray_Check(data) || PyMemoryView_Check(data))
        return data;
    PyErr_Format(PyExc_TypeError, "load() needs a binary file object: fp.read() returned %.100s",
                 Py_TYPE(data)->tp_name);
    Py_DECREF(data);
    return NULL;
}

PyObject *jc_load(PyObject *module, PyObject *fp)
{
    PyObject *data = NULL, *result = NULL, *read = NULL;
    jc_call_enter();
    /* A text file is refused before anything is read from it. */
    read = jc_stream_binary_method("load", fp, "read");
    if (read == NULL)
        goto done;
    if (read_regular_file(fp, &data) < 0)
        goto done;
    if (data == NULL && (data = read_all(read)) == NULL)
        goto done;
    result = jc_loads(module, &data, 1, NULL);
done:
    Py_XDECREF(read);
    Py_XDECREF(data);
    jc_call_exit();
    return result;
}
