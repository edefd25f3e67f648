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

#endif /* JC_ENCODE_FLOAT_PRINT_H */
