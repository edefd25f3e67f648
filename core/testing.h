/* Test-only machinery, apart from the product code: fault injection, and the
 * module's underscore functions (README, "Test-only helpers") that expose the
 * allocator counters, the key cache and the scanner choice to the tests and
 * the benchmarks. None of it runs unless a test asks for it; the one part on
 * every call is the bracket jc_call_enter/jc_call_exit, one thread-local add. */
#ifndef JC_TESTING_H
#define JC_TESTING_H

#include "compat.h"
#include <stdbool.h>
#include <stdint.h>

#include "module.h"

/* ---- Fault injection --------------------------------------------------------
 * A hook over CPython's MEM and OBJ domains that makes the Nth allocation
 * inside a jcodec call fail. It therefore covers the core's own blocks and
 * every Python object the core creates (str, list, dict, the output bytes),
 * so one sweep over N exercises every error path.
 *
 * jc_fault_arm(n, persistent): during the next jcodec call (loads or dumps) the
 * n-th allocation request in CPython's MEM and OBJ domains fails, and with
 * `persistent` every later one too. n == 0 arms counting only, so a test can learn
 * how many allocations a call makes. The hook is removed when that call returns. */
void jc_fault_arm(uint64_t n, bool persistent);
void jc_fault_disarm(void);
/* Allocation requests counted during the last armed call. */
uint64_t jc_fault_last_count(void);
/* Number of requests the hook made fail during the last armed call. */
uint64_t jc_fault_last_failures(void);

/* Brackets one jcodec call; cheap when nothing is armed (one thread-local add). */
void jc_call_enter(void);
void jc_call_exit(void);

/* ---- The module's test-only functions ----------------------------------------
 * Adds _alloc_stats, _fail_alloc_after, _cache_*, _isa and the CacheInfo type
 * (kept in st->CacheInfo) to the module; -1 with an exception on failure. */
int jc_testing_add_to_module(PyObject *module, jc_module_state *st);

#endif /* JC_TESTING_H */
