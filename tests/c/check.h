/* The C tests' checks. A failed check prints file:line and what failed, and the
 * test goes on; check_finish() at the end of main finalizes the interpreter and
 * gives the exit status: non-zero if any check failed. Every test is one
 * translation unit that embeds CPython: include this after <Python.h>. */
#ifndef JC_TESTS_CHECK_H
#define JC_TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static int check_failures;

/* n scaled by JCODEC_TEST_SCALE (unset: 1), at least 1: how many random cases
 * a sweep draws. The gates that run the suites a second time, instrumented
 * (sanitizers, coverage), set it to ci/lib.sh's CI_REPEAT_SCALE; the tests
 * gate runs them in full. Deterministic cases are never scaled. */
static inline unsigned long long check_scaled(unsigned long long n)
{
    const char *text = getenv("JCODEC_TEST_SCALE");
    double scale = text != NULL ? strtod(text, NULL) : 1.0;
    if (!(scale > 0.0))
        scale = 1.0;
    double scaled = (double)n * scale;
    return scaled < 1.0 ? 1 : (unsigned long long)scaled;
}

/* Counts a failure the test has reported itself. */
static inline void check_failed(void)
{
    check_failures++;
}

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      check_failed();                                                          \
    }                                                                          \
  } while (0)

/* Equality of two integers (of any integer type, compared as 64-bit values),
 * printing both when they differ. */
#define CHECK_EQ(a, b)                                                                             \
  do {                                                                                             \
    long long check_a_ = (long long)(a);                                                           \
    long long check_b_ = (long long)(b);                                                           \
    if (check_a_ != check_b_) {                                                                    \
      fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld != %lld)\n", __FILE__, __LINE__, #a, \
              #b, check_a_, check_b_);                                                             \
      check_failed();                                                                              \
    }                                                                                              \
  } while (0)

/* Counters against the values they must have: got[i] is compared with the
 * i-th value listed and reported by names[i] when it differs, at the caller's
 * line. CHECK_COUNTERS(names, got, 1, 0, base + 64). */
#define CHECK_COUNTERS(names, got, ...)                                                  \
  do {                                                                                   \
    const long long want_[] = {__VA_ARGS__};                                             \
    check_counters(__FILE__, __LINE__, names, got, want_, sizeof want_ / sizeof *want_); \
  } while (0)

static inline void check_counters(const char *file, int line, const char *const *names,
                                  const long long *got, const long long *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (got[i] != want[i]) {
            fprintf(stderr, "%s:%d: CHECK_COUNTERS failed: %s is %lld, not %lld\n", file, line,
                    names[i], got[i], want[i]);
            check_failed();
        }
    }
}

/* The end of main: finalizes the interpreter, reports, and returns the exit
 * status. */
static inline int check_finish(const char *test)
{
    if (Py_FinalizeEx() < 0) {
        fprintf(stderr, "Py_FinalizeEx failed\n");
        check_failed();
    }
    if (check_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", test, check_failures);
        return 1;
    }
    printf("%s: all checks passed\n", test);
    return 0;
}

#endif
