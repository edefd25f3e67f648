/* The object trees of fuzz_dumps, built from the input (also fuzz_alloc_fail's
 * tree mode): the object handed to jcodec.dumps, its option and default
 * arguments, and, while the tree holds only built-in types, the expected tree
 * in json's vocabulary (fuzz/fuzz_helpers.py explains it).
 *
 * Input: byte 0 = options (bit 0 INDENT_2, 1 NON_STR_KEYS, 2 SORT_KEYS,
 * 3 STRICT_INTEGER, 4 PASSTHROUGH_SUBCLASS, 5 APPEND_NEWLINE, 6 pass default,
 * 7 a second options byte follows); the second options byte (bit 0
 * NAIVE_UTC, 1 OMIT_MICROSECONDS, 2 UTC_Z, 3 PASSTHROUGH_DATETIME,
 * 4 PASSTHROUGH_DATACLASS, 5 SERIALIZE_NUMPY, 6 an odd argument chosen by the
 * next byte); then one value:
 *
 *   tag byte: 0-20 the built-in kinds (fuzz_tree.c, build_value); from 21 on,
 *   k = (tag - 21) % 31: k < 21 the built-in kind k, else the further type
 *   k - 21 (fuzz_helpers.RICH_KINDS: datetime, date, time, uuid, enum,
 *   dataclass, array, scalar, fragment, subclass). A further type that takes
 *   children (enum, dataclass, array, fragment) is followed by a count byte
 *   (modulo 4) and that many values, then its parameters, which
 *   fuzz_helpers.build_rich reads (formats documented there).
 *
 *   dict keys: kind byte 0-11 the built-in key kinds (build_key); from 12 on,
 *   k = (kind - 12) % 20: k < 12 the built-in kind k, else the further key
 *   type k - 12 (fuzz_helpers.RICH_KEY_KINDS), parameters read by
 *   fuzz_helpers.build_rich_key.
 *
 * corpus/seeds/generate.py encodes the format (dumps_seeds). */
#ifndef JC_FUZZ_TREE_H
#define JC_FUZZ_TREE_H

#include "fuzz_common.h"

typedef struct jc_fuzz_tree {
    PyObject *obj;        /* the value handed to dumps */
    PyObject *exp;        /* the expected tree, for the json oracle (only when !rich) */
    PyObject *default_fn; /* dumps' default argument */
    PyObject *option;     /* dumps' option argument */
    long opts;            /* the option bits dumps applies */
    bool with_default;    /* default=fuzz_helpers.default is passed */
    bool bad_arguments;   /* the arguments alone must be refused */
    bool inexpressible;   /* two keys convert to one text: json's dict cannot say it */
    bool rich;            /* a value or key of the further types: json has no oracle for it */
    PyObject *cycles;     /* lists made to contain themselves, emptied by release */
} jc_fuzz_tree;

/* fuzz_helpers, imported once (after jc_fuzz_init); a borrowed reference. */
PyObject *jc_fuzz_tree_helpers(void);

/* Builds the tree of the input; aborts when the harness itself fails. */
void jc_fuzz_tree_build(jc_fuzz_tree *t, const uint8_t *data, size_t size);

/* Breaks the cycles (so the lists are freed now: LeakSanitizer would report
 * cyclic garbage still waiting for the collector at exit) and releases all. */
void jc_fuzz_tree_release(jc_fuzz_tree *t);

#endif /* JC_FUZZ_TREE_H */
