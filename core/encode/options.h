/* dumps options and limits: orjson's option names and bit values, in one
 * X-macro table read by the module (the OPT_* constants), by dumps.c (which
 * bits are valid) and by the harness. */
#ifndef JC_ENCODE_OPTIONS_H
#define JC_ENCODE_OPTIONS_H

/* orjson 3.8.3's option names and bit values (X(name, bit, built)): `built` is
 * 0 for options whose feature jcodec does not have yet; dumps refuses them by
 * name instead of ignoring them. */
#define JC_OPTIONS(X)                \
  X(INDENT_2, 1 << 0, 1)             \
  X(NAIVE_UTC, 1 << 1, 0)            \
  X(NON_STR_KEYS, 1 << 2, 1)         \
  X(OMIT_MICROSECONDS, 1 << 3, 0)    \
  X(SERIALIZE_NUMPY, 1 << 4, 0)      \
  X(SORT_KEYS, 1 << 5, 1)            \
  X(STRICT_INTEGER, 1 << 6, 1)       \
  X(UTC_Z, 1 << 7, 0)                \
  X(PASSTHROUGH_SUBCLASS, 1 << 8, 1) \
  X(PASSTHROUGH_DATETIME, 1 << 9, 0) \
  X(APPEND_NEWLINE, 1 << 10, 1)      \
  X(PASSTHROUGH_DATACLASS, 1 << 11, 0)

enum {
#define JC_OPTION_ENUM(name, bit, built) JC_OPT_##name = (bit),
    JC_OPTIONS(JC_OPTION_ENUM)
#undef JC_OPTION_ENUM
        JC_OPT_ALL = (1 << 12) - 1,
};

/* orjson's recursion limits, as the project specifies them: containers nested
 * deeper than this, or `default` calls nested deeper, are refused. */
#define JC_ENCODE_MAX_DEPTH         254
#define JC_ENCODE_MAX_DEFAULT_DEPTH 254

#endif /* JC_ENCODE_OPTIONS_H */
