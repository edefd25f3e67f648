/* Decimal to binary64 for the decoder's number stage (number.h).
 *
 * The parser splits a literal into up to 19 significant digits `w` and a decimal
 * exponent `q` (value = w * 10^q). This converts them with Clinger's exact fast
 * path when w and 10^q are both exact doubles, else with the Eisel-Lemire
 * algorithm over a 128-bit table of powers of five (scripts/gen_pow5_table.py).
 * In the rare cases neither can decide, the caller falls back to CPython's
 * correctly rounded conversion, the one float() uses. */
#ifndef JC_DECODE_FLOAT_PARSE_H
#define JC_DECODE_FLOAT_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* Stores the correctly rounded double for (negative ? -1 : 1) * w * 10^q and
 * returns true, or returns false when the caller must use the exact fallback.
 * Overflow yields +-infinity and underflow +-0.0 (both decided exactly). */
bool jc_decimal_to_double(uint64_t w, int64_t q, bool negative, double *out);

#endif /* JC_DECODE_FLOAT_PARSE_H */
