/* Shortest round-trip printing of doubles, in exactly the text Python's repr(float)
 * produces, so dumps() output matches json.dumps() for every finite float. */
#ifndef JC_ENCODE_FLOAT_PRINT_H
#define JC_ENCODE_FLOAT_PRINT_H

#include <stddef.h>

#define JC_DOUBLE_REPR_MAX 32 /* enough for any output plus slack */

/* Writes the shortest decimal that round-trips to x, formatted exactly as Python's
 * repr(x) (float_repr_style 'short'). x must be finite. Writes no NUL. Returns bytes written.
 * out must have room for JC_DOUBLE_REPR_MAX bytes: the writer stores whole words and
 * may scribble past the returned length (never past JC_DOUBLE_REPR_MAX). */
size_t jc_write_double_repr(double x, char *out);

/* The shortest decimal that reads back as the same float32 (numpy.float32 and
 * float16 values), in the same repr layout: 1.1f is "1.1", not the widened
 * double's "1.100000023841858". x must be finite; the same room is needed. */
size_t jc_write_float32_repr(float x, char *out);

#endif /* JC_ENCODE_FLOAT_PRINT_H */
