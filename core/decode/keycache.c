/* Key cache: construction, miss paths and test hooks. The hit path is inline in
 * keycache.h. */
#include "decode/keycache.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "decode/py_hash.h"
#include "decode/str.h"

_Static_assert(JC_KEYCACHE_SLOTS < 65536, "a slot's link (index + 1) fits in 16 bits");

/* One seed per process, drawn from the kernel when the first cache is made;
 * atomic because interpreters with their own GIL may import at once (the
 * first to publish its draw wins, the others use it). */
static _Atomic uint64_t process_seed;

static uint64_t draw_process_seed(void)
{
    /* Test hook: CI's instruction-count and hit-rate gates need the same slots
     * in every run. Documented as not for production use. */
    const char *fixed = getenv("JCODEC_HASH_SEED");
    if (fixed != NULL && *fixed != 0)
        return strtoull(fixed, NULL, 0) | 1;
    uint64_t seed = 0;
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != (ssize_t)sizeof seed) {
        /* No entropy yet (early boot): still unpredictable enough across
         * processes to spread keys, which is all a cache seed has to do. */
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        seed = (uint64_t)now.tv_nsec * JC_HASH_K0 ^ (uint64_t)getpid() * JC_HASH_K1 ^
               (uint64_t)(uintptr_t)&now;
    }
    return seed | 1;
}

jc_keycache *jc_keycache_new(void)
{
    jc_keycache *cache = jc_calloc(1, sizeof *cache);
    if (cache == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    uint64_t seed = atomic_load(&process_seed);
    if (seed == 0) {
        uint64_t drawn = draw_process_seed();
        seed = atomic_compare_exchange_strong(&process_seed, &seed, drawn) ? drawn : seed;
    }
    cache->seed = seed;
    cache->ways = JC_KEYCACHE_DEFAULT_WAYS;
    cache->set_mask = JC_KEYCACHE_SLOTS / JC_KEYCACHE_DEFAULT_WAYS - 1;
    cache->enabled = true;
    jc_keycache_begin_document(cache);
    return cache;
}

static void release_slot(jc_keycache_slot *slot)
{
    if (slot->raw != NULL)
        jc_free(slot->raw, slot->len);
    PyObject *key = slot->key;
    memset(slot, 0, sizeof *slot);
    Py_XDECREF(key);
}

void jc_keycache_clear(jc_keycache *cache)
{
    for (size_t i = 0; i < JC_KEYCACHE_SLOTS; i++)
        if (cache->slots[i].key != NULL)
            release_slot(&cache->slots[i]);
    memset(cache->next_victim, 0, sizeof cache->next_victim);
}

void jc_keycache_free(jc_keycache *cache)
{
    if (cache == NULL)
        return;
    jc_keycache_clear(cache);
    jc_free(cache, sizeof *cache);
}

int jc_keycache_set_ways(jc_keycache *cache, unsigned ways)
{
    if (ways == 0 || (ways & (ways - 1)) != 0 || ways > 64) {
        PyErr_Format(PyExc_ValueError, "ways must be a power of two from 1 to 64, not %u", ways);
        return -1;
    }
    jc_keycache_clear(cache);
    cache->ways = ways;
    cache->set_mask = JC_KEYCACHE_SLOTS / ways - 1;
    return 0;
}

void jc_keycache_set_enabled(jc_keycache *cache, bool enabled)
{
    cache->enabled = enabled;
    cache->active = enabled && cache->paused == 0;
}

void jc_keycache_force_hash(jc_keycache *cache, bool on, uint64_t value)
{
    jc_keycache_clear(cache);
    cache->hash_forced = on;
    cache->forced_hash = value;
}

void jc_keycache_stats_get(const jc_keycache *cache, jc_keycache_stats *out)
{
    *out = cache->stats;
}

void jc_keycache_stats_reset(jc_keycache *cache)
{
    memset(&cache->stats, 0, sizeof cache->stats);
}

size_t jc_keycache_occupied(const jc_keycache *cache)
{
    size_t n = 0;
    for (size_t i = 0; i < JC_KEYCACHE_SLOTS; i++)
        n += cache->slots[i].key != NULL;
    return n;
}

/* Picks the slot a new key goes to: an empty way if there is one, else the set's
 * round-robin victim. */
static jc_keycache_slot *choose_slot(jc_keycache *cache, uint64_t hash)
{
    size_t set_index = hash & cache->set_mask;
    jc_keycache_slot *set = &cache->slots[set_index * cache->ways];
    for (uint32_t way = 0; way < cache->ways; way++)
        if (set[way].key == NULL)
            return &set[way];
    uint16_t victim = cache->next_victim[set_index];
    cache->next_victim[set_index] = (uint16_t)((victim + 1) & (cache->ways - 1));
    cache->stats.evictions++;
    release_slot(&set[victim]);
    return &set[victim];
}

void jc_keycache_begin_document(jc_keycache *cache)
{
    cache->window_hits = cache->stats.hits;
    cache->window_misses = cache->stats.misses;
    cache->paused = 0;
    cache->active = cache->enabled;
}

/* Counts are kept relative to the statistics (stats.hits - window_hits), so
 * what other documents counted meanwhile stays out of the stream's window;
 * the unsigned differences stay right even if the statistics were reset in
 * between (_cache_clear(stats=True)). */
void jc_keycache_window_save(const jc_keycache *cache, jc_keycache_window *window)
{
    window->hits = cache->stats.hits - cache->window_hits;
    window->misses = cache->stats.misses - cache->window_misses;
    window->paused = cache->paused;
}

void jc_keycache_window_restore(jc_keycache *cache, const jc_keycache_window *window)
{
    cache->window_hits = cache->stats.hits - window->hits;
    cache->window_misses = cache->stats.misses - window->misses;
    cache->paused = window->paused;
    cache->active = cache->enabled && window->paused == 0;
}

/* After a miss: pauses the cache when this window's keys are mostly misses
 * (see JC_KEYCACHE_PROBE). Decided from the counts since the window opened,
 * so the hit path pays nothing for it. */
static void consider_pausing(jc_keycache *cache)
{
    uint64_t misses = cache->stats.misses - cache->window_misses;
    uint64_t hits = cache->stats.hits - cache->window_hits;
    if (misses >= JC_KEYCACHE_PROBE && misses > JC_KEYCACHE_MISS_RATIO * hits) {
        cache->paused = JC_KEYCACHE_PAUSE;
        cache->active = false;
    }
}

int jc_keycache_insert(jc_keycache *cache, const uint8_t *raw, size_t len, uint64_t hash,
                       PyObject *key)
{
    consider_pausing(cache);
    uint8_t *copy = NULL;
    /* A key whose document bytes are its own ASCII text is compared in place. */
    bool in_place = PyUnicode_IS_COMPACT_ASCII(key) && (size_t)PyUnicode_GET_LENGTH(key) == len &&
                    memcmp(PyUnicode_DATA(key), raw, len) == 0;
    if (!in_place) {
        copy = jc_malloc(len);
        if (copy == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(copy, raw, len);
    }
    /* Dicts reuse a str's stored hash; computing it once here is what makes a
     * cache hit free of hashing. */
    jc_py_hash_prime(key);
    jc_keycache_slot *slot = choose_slot(cache, hash);
    slot->hash = hash;
    slot->len = (uint32_t)len;
    slot->raw = copy;
    Py_INCREF(key);
    slot->key = key;
    cache->stats.inserts++;
    cache->last_link = (uint16_t)(slot - cache->slots + 1);
    return 0;
}

PyObject *jc_keycache_insert_ascii(jc_keycache *cache, const uint8_t *text, size_t len,
                                   uint64_t hash)
{
    PyObject *key = jc_str_from_ascii(text, len);
    if (key == NULL)
        return NULL;
    if (jc_keycache_insert(cache, text, len, hash, key) < 0) {
        Py_DECREF(key);
        return NULL;
    }
    return key;
}

bool jc_keycache_skip(jc_keycache *cache)
{
    if (jc_likely(cache->paused == 0))
        return false;
    cache->stats.unstored++;
    if (--cache->paused == 0)
        jc_keycache_begin_document(cache); /* try the cache again */
    return true;
}

PyObject *jc_keycache_bypass_ascii(jc_keycache *cache, const uint8_t *text, size_t len)
{
    if (!cache->enabled)
        cache->stats.bypassed++;
    else
        (void)jc_keycache_skip(cache);
    PyObject *key = jc_str_from_ascii(text, len);
    if (key != NULL)
        jc_py_hash_prime(key);
    return key;
}
