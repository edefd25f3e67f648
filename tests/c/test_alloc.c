/* Unit test of the allocator layer (core/alloc.[ch]): counters, calloc zeroing,
 * realloc semantics and fault injection. Embeds CPython, since the layer sits on
 * PyMem_* and the fault hook over CPython's MEM and OBJ domains.
 *
 * Every check reports file:line and the test exits non-zero if any failed (check.h). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "alloc.h"
#include "testing.h"

/* The last armed call made `count` allocation requests and `failed` of them
 * failed (jc_fault_last_count, jc_fault_last_failures). */
#define CHECK_FAULT_RESULT(count, failed)       \
  do {                                          \
    CHECK_EQ(jc_fault_last_count(), count);     \
    CHECK_EQ(jc_fault_last_failures(), failed); \
  } while (0)

/* One jcodec call that makes a single request. */
static void *malloc_in_call(size_t size)
{
    jc_call_enter();
    void *p = jc_malloc(size);
    jc_call_exit();
    return p;
}

/* One jcodec call that allocates twice: through `first_alloc` (jc_malloc, or
 * an allocator the hook does not see), then jc_malloc. */
static void two_in_call(void *(*first_alloc)(size_t), size_t size, void **first, void **second)
{
    jc_call_enter();
    *first = first_alloc(size);
    *second = jc_malloc(size);
    jc_call_exit();
}

static jc_alloc_stats stats_now(void)
{
    jc_alloc_stats s;
    jc_alloc_stats_get(&s);
    return s;
}

static const char *const stat_names[] = {"allocations", "reallocs",   "frees",
                                         "failed",      "live_bytes", "peak_bytes"};

/* Compares all six counters of the layer (in stat_names' order), reporting the
 * caller's line. */
#define CHECK_STATS(...)                                                     \
  do {                                                                       \
    jc_alloc_stats s_ = stats_now();                                         \
    const long long got_[] = {s_.allocations, s_.reallocs,   s_.frees,       \
                              s_.failed,      s_.live_bytes, s_.peak_bytes}; \
    CHECK_COUNTERS(stat_names, got_, __VA_ARGS__);                           \
  } while (0)

static bool all_bytes_equal(const unsigned char *p, size_t n, unsigned char value)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != value)
            return false;
    return true;
}

static void fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 31u + seed);
}

static bool has_pattern(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i * 31u + seed))
            return false;
    return true;
}

/* The MEM and OBJ allocators currently installed, to see that the fault hook is
 * removed after the armed call. */
typedef struct {
    PyMemAllocatorEx mem;
    PyMemAllocatorEx obj;
} allocators;

static allocators current_allocators(void)
{
    allocators a;
    PyMem_GetAllocator(PYMEM_DOMAIN_MEM, &a.mem);
    PyMem_GetAllocator(PYMEM_DOMAIN_OBJ, &a.obj);
    return a;
}

static bool same_allocator(const PyMemAllocatorEx *x, const PyMemAllocatorEx *y)
{
    return x->ctx == y->ctx && x->malloc == y->malloc && x->calloc == y->calloc &&
           x->realloc == y->realloc && x->free == y->free;
}

static bool same_allocators(const allocators *x, const allocators *y)
{
    return same_allocator(&x->mem, &y->mem) && same_allocator(&x->obj, &y->obj);
}

/*==============================================================================
 * Counters
 *============================================================================*/

static void test_counters(void)
{
    jc_alloc_stats_reset();
    jc_alloc_stats s0 = stats_now();
    CHECK_EQ(s0.allocations, 0);
    CHECK_EQ(s0.reallocs, 0);
    CHECK_EQ(s0.frees, 0);
    CHECK_EQ(s0.failed, 0);
    CHECK_EQ(s0.peak_bytes, s0.live_bytes);
    uint64_t base = s0.live_bytes;

    /* Each step's counters, all six: allocations, reallocs, frees, failed,
     * live and peak bytes. */
    unsigned char *a = jc_malloc(100);
    CHECK(a != NULL);
    CHECK_STATS(1, 0, 0, 0, base + 100, base + 100);

    unsigned char *b = jc_calloc(10, 20);
    CHECK(b != NULL);
    CHECK_STATS(2, 0, 0, 0, base + 300, base + 300);

    /* Growing a live block is a realloc, not an allocation. */
    a = jc_realloc(a, 100, 1000);
    CHECK(a != NULL);
    CHECK_STATS(2, 1, 0, 0, base + 1200, base + 1200);

    /* Shrinking lowers live bytes and leaves the peak. */
    a = jc_realloc(a, 1000, 10);
    CHECK(a != NULL);
    CHECK_STATS(2, 2, 0, 0, base + 210, base + 1200);

    /* realloc of NULL is an allocation. */
    unsigned char *c = jc_realloc(NULL, 0, 50);
    CHECK(c != NULL);
    CHECK_STATS(3, 2, 0, 0, base + 260, base + 1200);

    /* Size 0: a real (non-NULL) block counted as 0 bytes. */
    unsigned char *z = jc_malloc(0);
    CHECK(z != NULL);
    CHECK_STATS(4, 2, 0, 0, base + 260, base + 1200);

    jc_free(b, 200);
    jc_free(a, 10);
    jc_free(c, 50);
    jc_free(z, 0);
    /* Freeing NULL is a no-op and is not counted. */
    jc_free(NULL, 12345);
    CHECK_STATS(4, 2, 4, 0, base, base + 1200);

    /* reset: event counts to 0, peak to the current live bytes (kept). */
    unsigned char *held = jc_malloc(64);
    CHECK(held != NULL);
    jc_alloc_stats_reset();
    CHECK_STATS(0, 0, 0, 0, base + 64, base + 64);
    jc_free(held, 64);
    CHECK_STATS(0, 0, 1, 0, base, base + 64);

    /* A longer sequence: peak is the maximum of the running live total. */
    jc_alloc_stats_reset();
    enum { N = 40 };
    void *blocks[N];
    uint64_t live = base, peak = base;
    for (size_t i = 0; i < N; i++) {
        size_t size = 16 + i * 37;
        blocks[i] = jc_malloc(size);
        CHECK(blocks[i] != NULL);
        live += size;
        if (live > peak)
            peak = live;
        if (i % 3 == 2) {
            size_t freed = 16 + (i - 1) * 37;
            jc_free(blocks[i - 1], freed);
            blocks[i - 1] = NULL;
            live -= freed;
        }
    }
    jc_alloc_stats s = stats_now();
    CHECK_EQ(s.live_bytes, live);
    CHECK_EQ(s.peak_bytes, peak);
    for (size_t i = 0; i < N; i++)
        if (blocks[i] != NULL)
            jc_free(blocks[i], 16 + i * 37);
    s = stats_now();
    CHECK_EQ(s.allocations, N);
    CHECK_EQ(s.frees, N);
    CHECK_EQ(s.live_bytes, base);
    CHECK_EQ(s.peak_bytes, peak);
}

/*==============================================================================
 * calloc and realloc semantics
 *============================================================================*/

static void test_calloc_zeroes(void)
{
    /* Dirty a block of the same size first so a reused block would show. */
    for (size_t size = 8; size <= 65536; size *= 4) {
        unsigned char *dirty = jc_malloc(size);
        CHECK(dirty != NULL);
        memset(dirty, 0xAB, size);
        jc_free(dirty, size);
        unsigned char *zeroed = jc_calloc(size / 8, 8);
        CHECK(zeroed != NULL);
        CHECK(all_bytes_equal(zeroed, size, 0));
        jc_free(zeroed, size);
    }
    /* count or size 0 still gives a usable block. */
    void *empty = jc_calloc(0, 16);
    CHECK(empty != NULL);
    jc_free(empty, 0);
    empty = jc_calloc(16, 0);
    CHECK(empty != NULL);
    jc_free(empty, 0);
}

static void test_realloc_preserves(void)
{
    jc_alloc_stats_reset();
    uint64_t base = stats_now().live_bytes;
    /* Grow across pymalloc's small-block limit (512 bytes) so the block moves. */
    size_t sizes[] = {24, 200, 511, 513, 4096, 100000, 300, 7};
    size_t old = 16;
    unsigned char *p = jc_malloc(old);
    CHECK(p != NULL);
    fill_pattern(p, old, 7);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t size = sizes[i];
        unsigned char *q = jc_realloc(p, old, size);
        CHECK(q != NULL);
        if (q == NULL)
            break;
        size_t kept = old < size ? old : size;
        CHECK(has_pattern(q, kept, 7));
        fill_pattern(q, size, 7);
        p = q;
        old = size;
    }
    CHECK_EQ(stats_now().live_bytes, base + old);
    jc_free(p, old);
    CHECK_EQ(stats_now().live_bytes, base);
}

/* A failed realloc returns NULL and leaves the old block as it was. */
static void test_realloc_failure_keeps_block(void)
{
    size_t old = 300;
    unsigned char *p = jc_malloc(old);
    CHECK(p != NULL);
    fill_pattern(p, old, 99);
    jc_alloc_stats before = stats_now();

    jc_fault_arm(1, false);
    jc_call_enter();
    unsigned char *q = jc_realloc(p, old, 100000);
    jc_call_exit();
    CHECK(q == NULL);
    CHECK_EQ(jc_fault_last_failures(), 1);
    CHECK_EQ(jc_fault_last_count(), 1);

    jc_alloc_stats after = stats_now();
    CHECK_EQ(after.failed, before.failed + 1);
    CHECK_EQ(after.reallocs, before.reallocs);
    CHECK_EQ(after.allocations, before.allocations);
    CHECK_EQ(after.live_bytes, before.live_bytes);
    CHECK(has_pattern(p, old, 99));

    /* The old block is still live and usable: grow it for real now. */
    q = jc_realloc(p, old, 100000);
    CHECK(q != NULL);
    if (q != NULL) {
        CHECK(has_pattern(q, old, 99));
        jc_free(q, 100000);
    } else {
        jc_free(p, old);
    }
    CHECK_EQ(stats_now().live_bytes, before.live_bytes - old);
}

/*==============================================================================
 * Fault injection
 *============================================================================*/

static void test_fault_nth(void)
{
    allocators original = current_allocators();
    jc_alloc_stats before = stats_now();

    jc_fault_arm(3, false);
    jc_call_enter();
    void *a = jc_malloc(32);
    void *b = jc_calloc(4, 8);
    void *c = jc_malloc(32); /* the 3rd request: fails */
    void *d = jc_malloc(32);
    void *e = jc_realloc(a, 32, 4000);
    jc_call_exit();

    CHECK(a != NULL);
    CHECK(b != NULL);
    CHECK(c == NULL);
    CHECK(d != NULL);
    CHECK(e != NULL);
    CHECK_FAULT_RESULT(5, 1);
    jc_alloc_stats after = stats_now();
    CHECK_EQ(after.failed, before.failed + 1);
    CHECK_EQ(after.allocations, before.allocations + 3);
    CHECK_EQ(after.reallocs, before.reallocs + 1);

    /* The hook is gone once the call returns. */
    allocators now = current_allocators();
    CHECK(same_allocators(&now, &original));
    void *f = jc_malloc(32);
    CHECK(f != NULL);

    jc_free(b, 32);
    jc_free(d, 32);
    jc_free(e, 4000);
    jc_free(f, 32);
    CHECK_EQ(stats_now().live_bytes, before.live_bytes);
}

/* Fails each position of a fixed sequence of requests in turn. */
static void test_fault_each_position(void)
{
    enum { REQUESTS = 6 };
    for (uint64_t n = 1; n <= REQUESTS + 1; n++) {
        void *blocks[REQUESTS];
        jc_fault_arm(n, false);
        jc_call_enter();
        for (int i = 0; i < REQUESTS; i++)
            blocks[i] = (i % 2) ? jc_calloc(1, 48) : jc_malloc(48);
        jc_call_exit();
        for (int i = 0; i < REQUESTS; i++) {
            CHECK((blocks[i] == NULL) == ((uint64_t)i + 1 == n));
            jc_free(blocks[i], 48);
        }
        CHECK_FAULT_RESULT(REQUESTS, n <= REQUESTS ? 1 : 0);
    }
}

static void test_fault_persistent(void)
{
    jc_fault_arm(2, true);
    jc_call_enter();
    void *a = jc_malloc(16);
    void *b = jc_malloc(16);
    void *c = jc_calloc(2, 8);
    void *d = jc_realloc(a, 16, 64); /* fails: a stays live */
    void *e = jc_realloc(NULL, 0, 16);
    jc_call_exit();
    CHECK(a != NULL);
    CHECK(b == NULL);
    CHECK(c == NULL);
    CHECK(d == NULL);
    CHECK(e == NULL);
    CHECK_FAULT_RESULT(5, 4);
    jc_free(a, 16);

    /* persistent from the first request */
    jc_fault_arm(1, true);
    jc_call_enter();
    for (int i = 0; i < 10; i++)
        CHECK(jc_malloc(8) == NULL);
    jc_call_exit();
    CHECK_FAULT_RESULT(10, 10);

    /* The next call is not armed: everything succeeds and nothing is counted. */
    void *ok = malloc_in_call(8);
    CHECK(ok != NULL);
    jc_free(ok, 8);
    CHECK_FAULT_RESULT(10, 10);
}

static void test_fault_count_only(void)
{
    allocators original = current_allocators();
    jc_fault_arm(0, false);
    jc_call_enter();
    void *blocks[7];
    for (int i = 0; i < 7; i++) {
        blocks[i] = jc_malloc(100);
        CHECK(blocks[i] != NULL);
    }
    jc_call_exit();
    CHECK_FAULT_RESULT(7, 0);
    for (int i = 0; i < 7; i++)
        jc_free(blocks[i], 100);
    allocators now = current_allocators();
    CHECK(same_allocators(&now, &original));

    /* persistent with n == 0 still only counts. */
    jc_fault_arm(0, true);
    void *p = malloc_in_call(10);
    CHECK(p != NULL);
    jc_free(p, 10);
    CHECK_FAULT_RESULT(1, 0);
}

/* Allocations outside jcodec's own (between arming and the call, or after the
 * call) are not counted; neither are frees. Nested calls count as one. */
static void test_fault_scope(void)
{
    jc_fault_arm(0, false);
    /* Between arming and the call: the hook is installed but not counting. */
    void *outside = jc_malloc(10);
    CHECK(outside != NULL);
    jc_call_enter();
    void *a = jc_malloc(10);
    jc_call_enter(); /* nested: same call */
    void *b = jc_malloc(10);
    jc_free(a, 10); /* frees are not requests */
    jc_call_exit();
    void *c = jc_malloc(10);
    jc_call_exit();
    CHECK_EQ(jc_fault_last_count(), 3);
    jc_free(b, 10);
    jc_free(c, 10);
    jc_free(outside, 10);

    /* A failure on the inner call's allocations is still the outer call's. */
    jc_fault_arm(2, false);
    jc_call_enter();
    void *x = jc_malloc(10);
    jc_call_enter();
    void *y = jc_malloc(10);
    jc_call_exit();
    void *w = jc_malloc(10);
    jc_call_exit();
    CHECK(x != NULL);
    CHECK(y == NULL);
    CHECK(w != NULL);
    CHECK_FAULT_RESULT(3, 1);
    jc_free(x, 10);
    jc_free(w, 10);

    /* Disarming before the call: nothing fails, the hook is removed. */
    allocators original = current_allocators();
    jc_fault_arm(1, true);
    jc_fault_disarm();
    allocators now = current_allocators();
    CHECK(same_allocators(&now, &original));
    void *v = malloc_in_call(10);
    CHECK(v != NULL);
    jc_free(v, 10);

    /* Arming twice before a call: the second setting applies. */
    jc_fault_arm(1, false);
    jc_fault_arm(2, false);
    void *first, *second;
    two_in_call(jc_malloc, 10, &first, &second);
    CHECK(first != NULL && second == NULL);
    jc_free(first, 10);
    now = current_allocators();
    CHECK(same_allocators(&now, &original));
}

/* The hook counts Python object allocations too (MEM and OBJ domains), and a
 * failed one gives the usual MemoryError. */
static void test_fault_python_objects(void)
{
    jc_fault_arm(0, false);
    jc_call_enter();
    PyObject *big = PyBytes_FromStringAndSize(NULL, 5000); /* OBJ domain */
    void *mem = PyMem_Malloc(5000);                        /* MEM domain */
    jc_call_exit();
    CHECK(big != NULL);
    CHECK(mem != NULL);
    CHECK_EQ(jc_fault_last_count(), 2);
    Py_XDECREF(big);
    PyMem_Free(mem);

    jc_fault_arm(1, false);
    jc_call_enter();
    PyObject *failed = PyBytes_FromStringAndSize(NULL, 5000);
    jc_call_exit();
    CHECK(failed == NULL);
    CHECK(PyErr_ExceptionMatches(PyExc_MemoryError));
    PyErr_Clear();
    CHECK_EQ(jc_fault_last_failures(), 1);

    /* Not armed: the same call succeeds. */
    jc_call_enter();
    PyObject *fine = PyBytes_FromStringAndSize(NULL, 5000);
    jc_call_exit();
    CHECK(fine != NULL);
    Py_XDECREF(fine);

    /* The RAW domain is not hooked (it needs no GIL and is not the core's). */
    jc_fault_arm(1, true);
    void *raw, *counted;
    two_in_call(PyMem_RawMalloc, 64, &raw, &counted);
    CHECK_EQ(jc_fault_last_count(), 1);
    CHECK(raw != NULL);
    CHECK(counted == NULL);
    PyMem_RawFree(raw);
}

/* Another thread's allocations during an armed call are neither counted nor
 * failed. The main thread drops the GIL inside its call; the other thread takes
 * it, allocates, and releases it. */
typedef struct {
    void *block;
    PyObject *object;
} thread_result;

static void *other_thread(void *arg)
{
    thread_result *result = arg;
    PyGILState_STATE gil = PyGILState_Ensure();
    result->block = jc_malloc(128);
    result->object = PyBytes_FromStringAndSize(NULL, 1000);
    if (result->object == NULL)
        PyErr_Clear();
    PyGILState_Release(gil);
    return NULL;
}

static void test_fault_other_thread(void)
{
    thread_result result = {NULL, NULL};
    jc_fault_arm(1, true);
    jc_call_enter();
    int started;
    Py_BEGIN_ALLOW_THREADS pthread_t thread;
    started = pthread_create(&thread, NULL, other_thread, &result);
    if (started == 0)
        pthread_join(thread, NULL);
    Py_END_ALLOW_THREADS void *mine = jc_malloc(128);
    jc_call_exit();
    CHECK(started == 0);
    CHECK(result.block != NULL);
    CHECK(result.object != NULL);
    CHECK(mine == NULL);
    CHECK_FAULT_RESULT(1, 1);
    jc_free(result.block, 128);
    Py_XDECREF(result.object);
}

/* Another hook installed over the fault hook while it is in place (what
 * tracemalloc.start() does) and removed after the armed call (tracemalloc.stop()
 * restores what it wrapped: the fault hook). Arming again must not make the fault
 * hook wrap itself, which would forward every request to itself forever: an
 * alarm turns that hang into a failure. */
static PyMemAllocatorEx foreign_wrapped[2];
static const PyMemAllocatorDomain foreign_domains[2] = {PYMEM_DOMAIN_MEM, PYMEM_DOMAIN_OBJ};

static void *foreign_malloc(void *ctx, size_t size)
{
    PyMemAllocatorEx *w = ctx;
    return w->malloc(w->ctx, size);
}

static void *foreign_calloc(void *ctx, size_t count, size_t size)
{
    PyMemAllocatorEx *w = ctx;
    return w->calloc(w->ctx, count, size);
}

static void *foreign_realloc(void *ctx, void *block, size_t size)
{
    PyMemAllocatorEx *w = ctx;
    return w->realloc(w->ctx, block, size);
}

static void foreign_free(void *ctx, void *block)
{
    PyMemAllocatorEx *w = ctx;
    w->free(w->ctx, block);
}

static void install_foreign_hook(void)
{
    for (int i = 0; i < 2; i++) {
        PyMem_GetAllocator(foreign_domains[i], &foreign_wrapped[i]);
        PyMemAllocatorEx hook = {&foreign_wrapped[i], foreign_malloc, foreign_calloc,
                                 foreign_realloc, foreign_free};
        PyMem_SetAllocator(foreign_domains[i], &hook);
    }
}

static void remove_foreign_hook(void)
{
    for (int i = 0; i < 2; i++)
        PyMem_SetAllocator(foreign_domains[i], &foreign_wrapped[i]);
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] =
        "test_alloc.c: test_fault_under_foreign_hook: an allocation did not return within "
        "5 s (the fault hook forwards to itself after being re-armed)\n";
    if (write(2, msg, sizeof msg - 1) < 0) {
        /* nothing more to do */
    }
    _exit(1);
}

static void test_fault_under_foreign_hook(void)
{
    jc_fault_arm(0, false);
    install_foreign_hook();
    void *counted = malloc_in_call(16);
    CHECK(counted != NULL);
    CHECK_EQ(jc_fault_last_count(), 1);
    remove_foreign_hook();

    /* Still fine while nothing is armed. */
    void *plain = jc_malloc(16);
    CHECK(plain != NULL);

    signal(SIGALRM, on_alarm);
    alarm(5);
    jc_fault_arm(2, false);
    jc_call_enter();
    void *a = jc_malloc(16);
    void *b = jc_malloc(16);
    jc_call_exit();
    alarm(0);
    CHECK(a != NULL);
    CHECK(b == NULL);
    CHECK_FAULT_RESULT(2, 1);
    void *after = jc_malloc(16);
    CHECK(after != NULL);
    void *const blocks[] = {counted, plain, a, after};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        jc_free(blocks[i], 16);
}

int main(void)
{
    Py_InitializeEx(0);
    jc_alloc_stats_reset();
    uint64_t start_live = stats_now().live_bytes;

    test_counters();
    test_calloc_zeroes();
    test_realloc_preserves();
    test_realloc_failure_keeps_block();
    test_fault_nth();
    test_fault_each_position();
    test_fault_persistent();
    test_fault_count_only();
    test_fault_scope();
    test_fault_python_objects();
    test_fault_other_thread();
    /* Last: while the bug it checks for is present it ends the process. */
    test_fault_under_foreign_hook();

    /* Every block the tests made was freed with its size. */
    CHECK_EQ(stats_now().live_bytes, start_live);

    return check_finish("test_alloc");
}
