/* dumps options and limits: orjson's option names and bit values, and
 * jcodec's own, in X-macro tables read by the module (the OPT_* constants),
 * by dumps.c (which bits are valid) and by the harness. */
#ifndef JC_ENCODE_OPTIONS_H
#define JC_ENCODE_OPTIONS_H

/* orjson's option names and bit values, X(name, bit). */
#define JC_OPTIONS(X)             \
  X(INDENT_2, 1 << 0)             \
  X(NAIVE_UTC, 1 << 1)            \
  X(NON_STR_KEYS, 1 << 2)         \
  X(OMIT_MICROSECONDS, 1 << 3)    \
  X(SERIALIZE_NUMPY, 1 << 4)      \
  X(SORT_KEYS, 1 << 5)            \
  X(STRICT_INTEGER, 1 << 6)       \
  X(UTC_Z, 1 << 7)                \
  X(PASSTHROUGH_SUBCLASS, 1 << 8) \
  X(PASSTHROUGH_DATETIME, 1 << 9) \
  X(APPEND_NEWLINE, 1 << 10)      \
  X(PASSTHROUGH_DATACLASS, 1 << 11)

/* jcodec's own options, X(name, bit), on a bit far above orjson's (it
 * numbers its options from 1 << 0 up, and keeps them below 1 << 16): a
 * program using them is one that does not run on orjson anyway. */
#define JC_OWN_OPTIONS(X) X(SERIALIZE_DECIMAL, 1 << 24)

enum {
#define JC_OPTION_ENUM(name, bit) JC_OPT_##name = (bit),
    JC_OPTIONS(JC_OPTION_ENUM) JC_OWN_OPTIONS(JC_OPTION_ENUM)
#undef JC_OPTION_ENUM
    /* orjson's bits (every combination valid). */
    JC_OPT_ALL = (1 << 12) - 1,
    /* Every bit dumps accepts: orjson's and jcodec's own. */
    JC_OPT_VALID = JC_OPT_ALL | JC_OPT_SERIALIZE_DECIMAL,
};

/* orjson's recursion limits, as the project specifies them: containers nested
 * deeper than this, or `default` calls nested deeper, are refused. */
#define JC_ENCODE_MAX_DEPTH         254
#define JC_ENCODE_MAX_DEFAULT_DEPTH 254

#endif /* JC_ENCODE_OPTIONS_H */
