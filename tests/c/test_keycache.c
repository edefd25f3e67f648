/* Unit test of the object-key cache (core/keycache.[ch]): exact statistics for
 * scripted sequences, the 64-byte limit, forced collisions (every key in one
 * set), round-robin eviction, reference counts, clearing, ways validation, the
 * disabled cache, and raw document bytes that differ from the key's text.
 * Embeds CPython (the cache stores str objects).
 *
 * Every check reports file:line and the test exits non-zero if any failed (check.h). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "alloc.h"
#include "testing.h"
#include "decode/keycache.h"
#include "decode/parse.h"

typedef struct {
    uint64_t hits, misses, inserts, evictions, too_long, bypassed;
} counts;

static counts stats_of(const jc_keycache *cache)
{
    jc_keycache_stats s;
    jc_keycache_stats_get(cache, &s);
    counts c = {s.hits, s.misses, s.inserts, s.evictions, s.too_long, s.bypassed};
    return c;
}

static const char *const count_names[] = {"hits",      "misses",   "inserts",
                                          "evictions", "too_long", "bypassed"};

/* Compares all six counters (in count_names' order), reporting the caller's
 * line. */
#define CHECK_STATS(cache, ...)                                        \
  do {                                                                 \
    counts c_ = stats_of(cache);                                       \
    const long long got_[] = {c_.hits,      c_.misses,   c_.inserts,   \
                              c_.evictions, c_.too_long, c_.bypassed}; \
    CHECK_COUNTERS(count_names, got_, __VA_ARGS__);                    \
  } while (0)

static uint64_t live_bytes(void)
{
    jc_alloc_stats s;
    jc_alloc_stats_get(&s);
    return s.live_bytes;
}

/* The parser's path for plain ASCII keys; the text is a C string. */
static PyObject *get(jc_keycache *cache, const char *text)
{
    PyObject *key = jc_keycache_get_ascii(cache, (const uint8_t *)text, strlen(text));
    if (key == NULL) {
        fprintf(stderr, "jc_keycache_get_ascii(\"%s\") failed\n", text);
        PyErr_Print();
        check_failed();
    }
    return key;
}

/* Looks the raw bytes up without inserting. New reference or NULL. */
static PyObject *find(jc_keycache *cache, const char *raw, size_t len)
{
    uint64_t hash = jc_keycache_hash(cache, (const uint8_t *)raw, len);
    return jc_keycache_find(cache, (const uint8_t *)raw, len, hash);
}

/* find() gives exactly `expected` (its reference dropped again), reporting the
 * caller's line. */
#define CHECK_FOUND(cache, raw, len, expected) \
  do {                                         \
    PyObject *found_ = find(cache, raw, len);  \
    CHECK(found_ == (expected));               \
    Py_XDECREF(found_);                        \
  } while (0)

/* Whether str `key` is exactly the ASCII text of `len` bytes at `text`. */
static bool str_is(PyObject *key, const char *text, size_t len)
{
    return key != NULL && PyUnicode_Check(key) && PyUnicode_IS_COMPACT_ASCII(key) &&
           (size_t)PyUnicode_GET_LENGTH(key) == len &&
           memcmp(PyUnicode_1BYTE_DATA(key), text, len) == 0;
}

/* The hash stored in a str object (-1 when not yet computed). */
static Py_hash_t stored_hash(PyObject *str)
{
    return ((PyASCIIObject *)str)->hash;
}

/*==============================================================================
 * Scripted sequences with exact statistics
 *============================================================================*/

static void test_new_cache(void)
{
    jc_keycache *cache = jc_keycache_new();
    CHECK(cache != NULL);
    if (cache == NULL) {
        PyErr_Clear();
        return;
    }
    CHECK_EQ(cache->ways, JC_KEYCACHE_DEFAULT_WAYS);
    CHECK_EQ(cache->set_mask, JC_KEYCACHE_SLOTS / JC_KEYCACHE_DEFAULT_WAYS - 1);
    CHECK(cache->enabled);
    CHECK(!cache->hash_forced);
    CHECK_EQ(jc_keycache_occupied(cache), 0);
    CHECK_STATS(cache, 0, 0, 0, 0, 0, 0);
    jc_keycache_free(cache);
    jc_keycache_free(NULL); /* allowed */
}

static void test_scripted_sequence(void)
{
    jc_keycache *cache = jc_keycache_new();
    /* Six distinct cacheable keys in 512 sets of 4 ways: five of them would
     * have to share a set for one to be evicted (odds ~1e-10 per seed). */
    PyObject *alpha = get(cache, "alpha");
    CHECK_STATS(cache, 0, 1, 1, 0, 0, 0);
    PyObject *alpha2 = get(cache, "alpha");
    CHECK_STATS(cache, 1, 1, 1, 0, 0, 0);
    CHECK(alpha == alpha2);
    CHECK(str_is(alpha, "alpha", 5));
    PyObject *beta = get(cache, "beta");
    CHECK_STATS(cache, 1, 2, 2, 0, 0, 0);
    CHECK(beta != alpha);
    CHECK(str_is(beta, "beta", 4));

    /* A prefix and an extension of a cached key are different keys. */
    PyObject *alph = get(cache, "alph");
    PyObject *alphas = get(cache, "alphas");
    CHECK_STATS(cache, 1, 4, 4, 0, 0, 0);
    CHECK(str_is(alph, "alph", 4));
    CHECK(str_is(alphas, "alphas", 6));
    CHECK_EQ(jc_keycache_occupied(cache), 4);

    /* Repeats of all four. */
    const char *again[] = {"beta", "alphas", "alpha", "alph", "alpha", "beta"};
    PyObject *expected[] = {beta, alphas, alpha, alph, alpha, beta};
    for (size_t i = 0; i < 6; i++) {
        PyObject *key = get(cache, again[i]);
        CHECK(key == expected[i]);
        Py_XDECREF(key);
    }
    CHECK_STATS(cache, 7, 4, 4, 0, 0, 0);

    /* 64 bytes is the longest key the cache takes (jc_keycache_get_ascii's
     * contract: len <= JC_KEYCACHE_MAX_KEY; longer keys are the parser's, see
     * test_parser_long_keys). */
    char text[80];
    memset(text, 'k', sizeof text);
    text[64] = 0;
    PyObject *k64 = get(cache, text);
    PyObject *k64b = get(cache, text);
    CHECK(k64 == k64b);
    CHECK(str_is(k64, text, 64));
    CHECK_STATS(cache, 8, 5, 5, 0, 0, 0);
    /* 4 short keys and the 64-byte one. */
    CHECK_EQ(jc_keycache_occupied(cache), 5);

    /* The empty key is cached like any other. */
    PyObject *empty = get(cache, "");
    PyObject *empty2 = get(cache, "");
    CHECK(empty == empty2);
    CHECK(empty != NULL && PyUnicode_GET_LENGTH(empty) == 0);
    CHECK_STATS(cache, 9, 6, 6, 0, 0, 0);

    /* find() alone counts a hit or a miss and inserts nothing. */
    CHECK_FOUND(cache, "beta", 4, beta);
    CHECK(find(cache, "gamma", 5) == NULL);
    CHECK(!PyErr_Occurred());
    CHECK_STATS(cache, 10, 7, 6, 0, 0, 0);

    /* Stats reset zeroes the counts and keeps the keys. */
    jc_keycache_stats_reset(cache);
    CHECK_STATS(cache, 0, 0, 0, 0, 0, 0);
    CHECK_EQ(jc_keycache_occupied(cache), 6);
    PyObject *beta2 = get(cache, "beta");
    CHECK(beta2 == beta);
    CHECK_STATS(cache, 1, 0, 0, 0, 0, 0);

    /* Clearing keeps the stats. */
    jc_keycache_clear(cache);
    CHECK_EQ(jc_keycache_occupied(cache), 0);
    CHECK_STATS(cache, 1, 0, 0, 0, 0, 0);
    PyObject *beta3 = get(cache, "beta");
    CHECK(beta3 != beta);
    CHECK(str_is(beta3, "beta", 4));
    CHECK_STATS(cache, 1, 1, 1, 0, 0, 0);

    PyObject *all[] = {alpha, alpha2, beta, alph, alphas, k64, k64b, empty, empty2, beta2, beta3};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        Py_XDECREF(all[i]);
    jc_keycache_free(cache);
}

/* Cached keys have their Python hash computed before they are stored (a dict
 * then reuses it), and it is the real str hash. */
static void test_hash_precomputed(void)
{
    jc_keycache *cache = jc_keycache_new();
    PyObject *key = get(cache, "precomputed");
    CHECK(key != NULL && stored_hash(key) != -1);
    if (key != NULL) {
        PyObject *fresh = PyUnicode_FromString("precomputed");
        CHECK(fresh != NULL && PyObject_Hash(fresh) == stored_hash(key));
        Py_XDECREF(fresh);
    }
    /* Also for a key stored with a raw copy (escaped spelling). */
    PyObject *escaped = PyUnicode_FromString("ab");
    uint64_t hash = jc_keycache_hash(cache, (const uint8_t *)"a\\u0062", 7);
    CHECK(escaped != NULL && stored_hash(escaped) == -1);
    CHECK_EQ(jc_keycache_insert(cache, (const uint8_t *)"a\\u0062", 7, hash, escaped), 0);
    CHECK(escaped != NULL && stored_hash(escaped) != -1);
    Py_XDECREF(key);
    Py_XDECREF(escaped);
    jc_keycache_free(cache);
}

/*==============================================================================
 * Forced hash: every key in one set
 *============================================================================*/

/* Key i as text: varied lengths (1..64) and shared prefixes, all distinct. */
static size_t key_text(unsigned i, char *out)
{
    static const char alphabet[] =
        "abcdefghijklmnopqrstuvwxyz0123456789_-ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    size_t len = 1 + (i * 7u) % 64;
    /* Base-64 digits of i at the end make every key distinct; the prefix is a
     * constant fill so many keys share all but their last bytes. */
    char digits[8];
    size_t ndigits = 0;
    unsigned v = i;
    do {
        digits[ndigits++] = alphabet[v % 64];
        v /= 64;
    } while (v != 0);
    if (len < ndigits + 1)
        len = ndigits + 1;
    memset(out, 'p', len);
    /* A length marker keeps keys of different lengths apart even when they
     * share digits. */
    out[0] = alphabet[len % 64];
    memcpy(out + len - ndigits, digits, ndigits);
    out[len] = 0;
    return len;
}

static void test_forced_hash_many_keys(void)
{
    jc_keycache *cache = jc_keycache_new();
    jc_keycache_force_hash(cache, true, 0);
    CHECK(cache->hash_forced);
    CHECK_EQ(jc_keycache_hash(cache, (const uint8_t *)"x", 1), 0);
    CHECK_EQ(jc_keycache_hash(cache, (const uint8_t *)"something else", 14), 0);

    enum { KEYS = 3000 };
    char text[72], previous[72];
    size_t previous_len = 0;
    bool all_equal = true;
    for (unsigned i = 0; i < KEYS; i++) {
        size_t len = key_text(i, text);
        PyObject *key = get(cache, text);
        all_equal &= str_is(key, text, len);
        Py_XDECREF(key);
        /* Look the previous key up again: it is still in the set (4 ways) and
         * must come back as itself, never as the key that just collided. */
        if (i > 0) {
            PyObject *again = get(cache, previous);
            all_equal &= str_is(again, previous, previous_len);
            Py_XDECREF(again);
        }
        memcpy(previous, text, len + 1);
        previous_len = len;
    }
    CHECK(all_equal);
    /* One set of 4 ways holds them all. */
    CHECK_EQ(jc_keycache_occupied(cache), 4);
    counts c = stats_of(cache);
    CHECK_EQ(c.misses, KEYS);
    CHECK_EQ(c.inserts, KEYS);
    CHECK_EQ(c.hits, KEYS - 1);
    CHECK_EQ(c.evictions, KEYS - 4);
    CHECK_EQ(c.too_long, 0);

    /* Same length, same hash, bytes differ only in the last position. */
    jc_keycache_clear(cache);
    PyObject *ab = get(cache, "key_a");
    PyObject *ac = get(cache, "key_b");
    PyObject *ab2 = get(cache, "key_a");
    PyObject *ac2 = get(cache, "key_b");
    CHECK(ab != ac && ab == ab2 && ac == ac2);
    CHECK(str_is(ab, "key_a", 5) && str_is(ac, "key_b", 5));
    Py_XDECREF(ab);
    Py_XDECREF(ac);
    Py_XDECREF(ab2);
    Py_XDECREF(ac2);

    /* Forcing again, or switching it off, clears the cache. */
    CHECK_EQ(jc_keycache_occupied(cache), 2);
    jc_keycache_force_hash(cache, true, UINT64_MAX);
    CHECK_EQ(jc_keycache_occupied(cache), 0);
    PyObject *last_set = get(cache, "in the last set");
    CHECK(cache->slots[JC_KEYCACHE_SLOTS - cache->ways].key == last_set);
    Py_XDECREF(last_set);
    jc_keycache_force_hash(cache, false, 0);
    CHECK(!cache->hash_forced);
    CHECK_EQ(jc_keycache_occupied(cache), 0);
    jc_keycache_free(cache);
}

/* The slot of set 0 holding `key`, or -1. */
static int way_of(const jc_keycache *cache, PyObject *key)
{
    for (uint32_t way = 0; way < cache->ways; way++)
        if (cache->slots[way].key == key)
            return (int)way;
    return -1;
}

static void test_round_robin(void)
{
    jc_keycache *cache = jc_keycache_new();
    jc_keycache_force_hash(cache, true, 0);
    const char *names[] = {"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10"};
    PyObject *keys[11];
    /* The first four fill the empty ways in order. */
    for (int i = 0; i < 4; i++) {
        keys[i] = get(cache, names[i]);
        CHECK_EQ(way_of(cache, keys[i]), i);
    }
    CHECK_STATS(cache, 0, 4, 4, 0, 0, 0);
    /* Then each new key replaces ways 0, 1, 2, 3, 0, ... whatever was hit. */
    for (int i = 4; i < 11; i++) {
        /* A hit on the next victim does not save it (round robin, not LRU). */
        PyObject *victim = cache->slots[(i - 4) % 4].key;
        Py_XINCREF(victim);
        PyObject *hit = jc_keycache_get_ascii(cache, (const uint8_t *)PyUnicode_DATA(victim),
                                              (size_t)PyUnicode_GET_LENGTH(victim));
        CHECK(hit == victim);
        Py_XDECREF(hit);

        keys[i] = get(cache, names[i]);
        CHECK_EQ(way_of(cache, keys[i]), (i - 4) % 4);
        CHECK_EQ(way_of(cache, victim), -1);
        /* The evicted key is no longer found; the other three are. */
        PyObject *gone =
            find(cache, PyUnicode_AsUTF8(victim), (size_t)PyUnicode_GET_LENGTH(victim));
        CHECK(gone == NULL);
        Py_XDECREF(gone);
        Py_XDECREF(victim);
    }
    CHECK_EQ(stats_of(cache).evictions, 7);
    CHECK_EQ(stats_of(cache).inserts, 11);
    for (int i = 0; i < 11; i++) {
        PyObject *found = find(cache, names[i], strlen(names[i]));
        CHECK((found != NULL) == (i >= 7));
        CHECK(found == NULL || found == keys[i]);
        Py_XDECREF(found);
    }

    /* Clearing restarts the rotation at way 0. */
    jc_keycache_clear(cache);
    for (int i = 0; i < 5; i++) {
        PyObject *key = get(cache, names[i]);
        CHECK_EQ(way_of(cache, key), i % 4);
        Py_XDECREF(key);
    }

    /* Direct-mapped: every new key in the set replaces the one before. */
    CHECK_EQ(jc_keycache_set_ways(cache, 1), 0);
    CHECK_EQ(jc_keycache_occupied(cache), 0);
    PyObject *one = get(cache, "one");
    PyObject *two = get(cache, "two");
    CHECK(cache->slots[0].key == two);
    PyObject *one_again = get(cache, "one");
    CHECK(one_again != one && cache->slots[0].key == one_again);
    CHECK_EQ(jc_keycache_occupied(cache), 1);
    Py_XDECREF(one);
    Py_XDECREF(two);
    Py_XDECREF(one_again);

    /* 2-way: alternate victims. */
    CHECK_EQ(jc_keycache_set_ways(cache, 2), 0);
    for (int i = 0; i < 6; i++) {
        PyObject *key = get(cache, names[i]);
        CHECK_EQ(way_of(cache, key), i % 2);
        Py_XDECREF(key);
    }
    for (int i = 0; i < 11; i++)
        Py_XDECREF(keys[i]);
    jc_keycache_free(cache);
}

/*==============================================================================
 * References
 *============================================================================*/

static void test_refcounts(void)
{
    jc_keycache *cache = jc_keycache_new();
    jc_keycache_force_hash(cache, true, 0);

    /* One reference from the cache plus the ones handed out. */
    PyObject *a1 = get(cache, "refcounted");
    CHECK_EQ(Py_REFCNT(a1), 2);
    PyObject *a2 = get(cache, "refcounted");
    PyObject *a3 = get(cache, "refcounted");
    CHECK(a1 == a2 && a2 == a3);
    CHECK_EQ(Py_REFCNT(a1), 4);
    Py_DECREF(a3);
    Py_DECREF(a2);
    CHECK_EQ(Py_REFCNT(a1), 2);

    /* Eviction drops the cache's reference. */
    PyObject *others[4];
    for (int i = 0; i < 3; i++) {
        char name[8];
        snprintf(name, sizeof name, "o%d", i);
        others[i] = get(cache, name);
        CHECK_EQ(Py_REFCNT(others[i]), 2);
    }
    CHECK_EQ(Py_REFCNT(a1), 2);
    others[3] = get(cache, "evicts way 0"); /* way 0 holds a1 */
    CHECK_EQ(Py_REFCNT(a1), 1);
    CHECK_EQ(Py_REFCNT(others[3]), 2);

    /* Clear releases every cached reference, and only those. */
    jc_keycache_clear(cache);
    CHECK_EQ(jc_keycache_occupied(cache), 0);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(Py_REFCNT(others[i]), 1);
    CHECK_EQ(Py_REFCNT(a1), 1);

    /* Many keys (hash not forced), two references held to each: the second
     * get of a key right after its insertion is a hit, so both are one object. */
    jc_keycache_force_hash(cache, false, 0);
    jc_keycache_stats_reset(cache);
    enum { MANY = 300 };
    PyObject *held[MANY][2];
    char text[72];
    bool same_object = true;
    for (unsigned i = 0; i < MANY; i++) {
        key_text(i, text);
        held[i][0] = get(cache, text);
        held[i][1] = get(cache, text);
        same_object &= held[i][0] == held[i][1];
    }
    CHECK(same_object);
    CHECK_EQ(stats_of(cache).inserts, MANY);
    CHECK_EQ(stats_of(cache).misses, MANY);
    CHECK_EQ(stats_of(cache).hits, MANY);
    /* Each key has 2 references from us, plus 1 from the cache unless a later
     * key of its set evicted it (possible: 300 keys in 512 sets of 4). */
    size_t in_cache = 0;
    bool refcounts_ok = true;
    for (unsigned i = 0; i < MANY; i++) {
        key_text(i, text);
        PyObject *probe = find(cache, text, strlen(text));
        if (probe != NULL) {
            in_cache++;
            /* cache + 2 held + the probe */
            refcounts_ok &= probe == held[i][0] && Py_REFCNT(probe) == 4;
            Py_DECREF(probe);
        } else {
            refcounts_ok &= Py_REFCNT(held[i][0]) == 2;
        }
    }
    CHECK(refcounts_ok);
    CHECK_EQ(in_cache, jc_keycache_occupied(cache));
    CHECK_EQ(in_cache, MANY - stats_of(cache).evictions);
    /* Freeing the cache releases its references and nothing else. */
    jc_keycache_free(cache);
    bool released = true;
    for (unsigned i = 0; i < MANY; i++)
        released &= Py_REFCNT(held[i][0]) == 2;
    CHECK(released);
    for (unsigned i = 0; i < MANY; i++) {
        Py_DECREF(held[i][0]);
        Py_DECREF(held[i][1]);
    }
    Py_DECREF(a1);
    for (int i = 0; i < 4; i++)
        Py_DECREF(others[i]);
}

/*==============================================================================
 * Ways and enabling
 *============================================================================*/

static void test_set_ways(void)
{
    jc_keycache *cache = jc_keycache_new();
    for (unsigned ways = 1; ways <= 64; ways *= 2) {
        PyObject *key = get(cache, "survives?");
        CHECK_EQ(Py_REFCNT(key), 2);
        CHECK_EQ(jc_keycache_set_ways(cache, ways), 0);
        CHECK(!PyErr_Occurred());
        CHECK_EQ(cache->ways, ways);
        CHECK_EQ(cache->set_mask, JC_KEYCACHE_SLOTS / ways - 1);
        /* Changing the geometry clears the cache. */
        CHECK_EQ(jc_keycache_occupied(cache), 0);
        CHECK_EQ(Py_REFCNT(key), 1);
        Py_XDECREF(key);
        /* And the cache works with it: fill one set exactly. */
        jc_keycache_force_hash(cache, true, 12345);
        PyObject *first = get(cache, "w0");
        for (unsigned i = 1; i < ways; i++) {
            char name[8];
            snprintf(name, sizeof name, "w%u", i);
            PyObject *other = get(cache, name);
            Py_XDECREF(other);
        }
        CHECK_EQ(jc_keycache_occupied(cache), ways);
        PyObject *again = get(cache, "w0");
        CHECK(again == first);
        PyObject *evictor = get(cache, "evictor");
        CHECK_EQ(jc_keycache_occupied(cache), ways);
        CHECK(find(cache, "w0", 2) == NULL);
        Py_XDECREF(first);
        Py_XDECREF(again);
        Py_XDECREF(evictor);
        jc_keycache_force_hash(cache, false, 0);
    }

    /* Invalid values: ValueError, and the cache is left as it was. */
    CHECK_EQ(jc_keycache_set_ways(cache, 4), 0);
    PyObject *kept = get(cache, "kept");
    const unsigned invalid[] = {0,  3,  5,   6,    7,    12,       48,        63,
                                65, 96, 128, 2048, 4096, 1u << 31, UINT32_MAX};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        CHECK_EQ(jc_keycache_set_ways(cache, invalid[i]), -1);
        CHECK(PyErr_ExceptionMatches(PyExc_ValueError));
        PyErr_Clear();
        CHECK_EQ(cache->ways, 4);
        CHECK_EQ(cache->set_mask, JC_KEYCACHE_SLOTS / 4 - 1);
        CHECK_EQ(jc_keycache_occupied(cache), 1);
    }
    PyObject *kept2 = get(cache, "kept");
    CHECK(kept2 == kept);
    Py_XDECREF(kept);
    Py_XDECREF(kept2);
    jc_keycache_free(cache);
}

static void test_disabled(void)
{
    jc_keycache *cache = jc_keycache_new();
    PyObject *cached = get(cache, "switch");
    CHECK_STATS(cache, 0, 1, 1, 0, 0, 0);
    jc_keycache_set_enabled(cache, false);
    CHECK(!cache->enabled);
    PyObject *b1 = get(cache, "switch");
    PyObject *b2 = get(cache, "switch");
    PyObject *b3 = get(cache, "never cached");
    /* Fresh objects, equal to the text; nothing looked up or stored. */
    CHECK(b1 != cached && b2 != cached && b1 != b2);
    CHECK(str_is(b1, "switch", 6) && str_is(b2, "switch", 6));
    CHECK(str_is(b3, "never cached", 12));
    CHECK_EQ(Py_REFCNT(b1), 1);
    CHECK_STATS(cache, 0, 1, 1, 0, 0, 3);
    CHECK_EQ(jc_keycache_occupied(cache), 1);
    /* Switching back on: the cached key is still there. */
    jc_keycache_set_enabled(cache, true);
    PyObject *again = get(cache, "switch");
    CHECK(again == cached);
    CHECK_STATS(cache, 1, 1, 1, 0, 0, 3);
    PyObject *all[] = {cached, b1, b2, b3, again};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        Py_XDECREF(all[i]);
    jc_keycache_free(cache);
}

/*==============================================================================
 * Raw bytes that differ from the key's text
 *============================================================================*/

static int insert_raw(jc_keycache *cache, const char *raw, size_t len, PyObject *key)
{
    uint64_t hash = jc_keycache_hash(cache, (const uint8_t *)raw, len);
    return jc_keycache_insert(cache, (const uint8_t *)raw, len, hash, key);
}

static void test_raw_copies(void)
{
    jc_keycache *cache = jc_keycache_new();
    uint64_t base = live_bytes();

    /* An escaped key: document bytes a\u0062, text "ab". Stored with a copy. */
    char raw[16];
    memcpy(raw, "a\\u0062", 7);
    PyObject *ab = PyUnicode_FromString("ab");
    CHECK_EQ(insert_raw(cache, raw, 7, ab), 0);
    CHECK_EQ(Py_REFCNT(ab), 2);
    CHECK(stored_hash(ab) != -1);
    CHECK_EQ(live_bytes(), base + 7);
    CHECK_EQ(jc_keycache_occupied(cache), 1);
    /* The cache copied the bytes: changing the caller's buffer changes nothing. */
    memcpy(raw, "XXXXXXX", 7);
    CHECK_FOUND(cache, "a\\u0062", 7, ab);
    /* The key's text is different document bytes: not the same entry. */
    CHECK(find(cache, "ab", 2) == NULL);
    CHECK(find(cache, "XXXXXXX", 7) == NULL);

    /* Non-ASCII UTF-8 bytes and the (non-ASCII) str they decode to. */
    const char utf8[] = "caf\xc3\xa9";
    PyObject *cafe = PyUnicode_DecodeUTF8(utf8, 5, "strict");
    CHECK(cafe != NULL && PyUnicode_GET_LENGTH(cafe) == 4);
    CHECK_EQ(insert_raw(cache, utf8, 5, cafe), 0);
    CHECK_EQ(live_bytes(), base + 12);
    CHECK_FOUND(cache, utf8, 5, cafe);

    /* The same text under its escaped spelling is a separate entry with the
     * same str. */
    CHECK_EQ(insert_raw(cache, "caf\\u00e9", 9, cafe), 0);
    CHECK_EQ(Py_REFCNT(cafe), 3);
    CHECK_EQ(live_bytes(), base + 21);

    /* A key whose bytes are its own ASCII text is compared in place: no copy. */
    PyObject *plain = PyUnicode_FromString("plain");
    CHECK_EQ(insert_raw(cache, "plain", 5, plain), 0);
    CHECK_EQ(live_bytes(), base + 21);
    CHECK_FOUND(cache, "plain", 5, plain);

    /* Same length as an ASCII str but different bytes: a copy. */
    PyObject *upper = PyUnicode_FromString("ABCDE");
    CHECK_EQ(insert_raw(cache, "abcde", 5, upper), 0);
    CHECK_EQ(live_bytes(), base + 26);
    CHECK_FOUND(cache, "abcde", 5, upper);
    CHECK(find(cache, "ABCDE", 5) == NULL);

    /* Clear frees the copies and the references. */
    jc_keycache_clear(cache);
    CHECK_EQ(live_bytes(), base);
    CHECK_EQ(Py_REFCNT(ab), 1);
    CHECK_EQ(Py_REFCNT(cafe), 1);
    CHECK_EQ(Py_REFCNT(plain), 1);
    CHECK_EQ(Py_REFCNT(upper), 1);

    /* Under forced collisions the raw copies still tell keys apart: an escaped
     * spelling, its text, and a same-length neighbour. */
    jc_keycache_force_hash(cache, true, 7);
    CHECK_EQ(insert_raw(cache, "a\\u0062", 7, ab), 0);
    PyObject *ab_text = get(cache, "ab");
    CHECK(ab_text != ab && str_is(ab_text, "ab", 2));
    PyObject *neighbour = get(cache, "a\\u0063"); /* as ASCII text, 7 bytes */
    CHECK(str_is(neighbour, "a\\u0063", 7));
    CHECK_FOUND(cache, "a\\u0062", 7, ab);
    /* Evicting a slot with a copy frees the copy. */
    for (int i = 0; i < 4; i++) {
        char name[8];
        snprintf(name, sizeof name, "e%d", i);
        PyObject *filler = get(cache, name);
        Py_XDECREF(filler);
    }
    CHECK(find(cache, "a\\u0062", 7) == NULL);
    CHECK_EQ(live_bytes(), base);
    CHECK_EQ(Py_REFCNT(ab), 1);
    Py_XDECREF(ab_text);
    Py_XDECREF(neighbour);

    jc_keycache_free(cache);
    Py_DECREF(ab);
    Py_DECREF(cafe);
    Py_DECREF(plain);
    Py_DECREF(upper);
}

/* Allocation failures on the miss paths leave the cache unchanged. */
static void test_insert_failures(void)
{
    jc_keycache *cache = jc_keycache_new();
    uint64_t base = live_bytes();
    PyObject *ab = PyUnicode_FromString("ab");

    /* The copy of the raw bytes fails. */
    jc_fault_arm(1, false);
    jc_call_enter();
    int status = insert_raw(cache, "a\\u0062", 7, ab);
    jc_call_exit();
    CHECK_EQ(status, -1);
    CHECK(PyErr_ExceptionMatches(PyExc_MemoryError));
    PyErr_Clear();
    CHECK_EQ(jc_fault_last_failures(), 1);
    CHECK_EQ(jc_keycache_occupied(cache), 0);
    CHECK_EQ(stats_of(cache).inserts, 0);
    CHECK_EQ(Py_REFCNT(ab), 1);
    CHECK_EQ(live_bytes(), base);

    /* Creating the str fails: NULL with MemoryError, nothing stored. */
    jc_fault_arm(1, false);
    jc_call_enter();
    PyObject *key = jc_keycache_get_ascii(cache, (const uint8_t *)"fresh", 5);
    jc_call_exit();
    CHECK(key == NULL);
    CHECK(PyErr_ExceptionMatches(PyExc_MemoryError));
    PyErr_Clear();
    CHECK_EQ(jc_keycache_occupied(cache), 0);
    CHECK_EQ(stats_of(cache).inserts, 0);

    /* A hit allocates nothing. */
    PyObject *warm = get(cache, "warm");
    jc_fault_arm(1, true);
    jc_call_enter();
    PyObject *warm2 = jc_keycache_get_ascii(cache, (const uint8_t *)"warm", 4);
    jc_call_exit();
    CHECK(warm2 == warm);
    CHECK_EQ(jc_fault_last_count(), 0);
    Py_XDECREF(warm);
    Py_XDECREF(warm2);

    /* A miss that needs a copy makes exactly one allocation request (the copy;
     * hashing a str allocates nothing), and it succeeds when nothing fails. */
    jc_fault_arm(0, false);
    jc_call_enter();
    status = insert_raw(cache, "caf\\u00e9", 9, ab);
    jc_call_exit();
    CHECK_EQ(status, 0);
    CHECK_EQ(jc_fault_last_count(), 1);

    jc_keycache_free(cache);
    CHECK_EQ(Py_REFCNT(ab), 1);
    CHECK_EQ(live_bytes(), base - sizeof(jc_keycache));
    Py_DECREF(ab);
}

/*==============================================================================
 * Through the parser: the 64-byte limit and the disabled cache
 *============================================================================*/

/* jc_parse over a NUL-terminated document; NULL (reported) on a parse error. */
static PyObject *parse(jc_keycache *cache, const char *json)
{
    jc_parse_error err;
    PyObject *result = jc_parse((const uint8_t *)json, strlen(json), cache, &err);
    if (result == NULL) {
        fprintf(stderr, "jc_parse failed: %s (%s at %zu)\n", jc_parse_code_name(err.code), err.msg,
                err.pos);
        PyErr_Clear();
        check_failed();
    }
    return result;
}

/* The one key of a one-member dict (borrowed), or NULL. */
static PyObject *only_key(PyObject *dict)
{
    Py_ssize_t pos = 0;
    PyObject *key = NULL, *value = NULL;
    if (dict == NULL || !PyDict_Check(dict) || PyDict_GET_SIZE(dict) != 1 ||
        !PyDict_Next(dict, &pos, &key, &value))
        return NULL;
    return key;
}

static void test_parser_long_keys(void)
{
    jc_keycache *cache = jc_keycache_new();
    char doc[256];
    char key64[65], key65[66];
    memset(key64, 'k', 64);
    key64[64] = 0;
    memset(key65, 'k', 65);
    key65[65] = 0;

    /* 64 bytes: cached, the same object in two documents. */
    snprintf(doc, sizeof doc, "{\"%s\": 1}", key64);
    PyObject *a = parse(cache, doc);
    PyObject *b = parse(cache, doc);
    CHECK(only_key(a) != NULL && only_key(a) == only_key(b));
    CHECK(str_is(only_key(a), key64, 64));
    CHECK_STATS(cache, 1, 1, 1, 0, 0, 0);
    CHECK_EQ(jc_keycache_occupied(cache), 1);
    Py_XDECREF(a);
    Py_XDECREF(b);

    /* 65 bytes: too long, a new object per document, nothing stored. */
    snprintf(doc, sizeof doc, "{\"%s\": 1}", key65);
    a = parse(cache, doc);
    b = parse(cache, doc);
    CHECK(only_key(a) != NULL && only_key(b) != NULL && only_key(a) != only_key(b));
    CHECK(str_is(only_key(a), key65, 65));
    CHECK_EQ(Py_REFCNT(only_key(a)), 1); /* the dict's only */
    CHECK_STATS(cache, 1, 1, 1, 0, 2, 0);
    CHECK_EQ(jc_keycache_occupied(cache), 1);
    Py_XDECREF(a);
    Py_XDECREF(b);

    /* 65 document bytes of escapes for 15 characters: too long as well. */
    a = parse(
        cache,
        "{\"\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061abcde\": 1}");
    CHECK(str_is(only_key(a), "aaaaaaaaaaabcde", 15));
    CHECK_STATS(cache, 1, 1, 1, 0, 3, 0);
    Py_XDECREF(a);
    /* 64 document bytes of escapes: cached, with a copy of the bytes. */
    a = parse(
        cache,
        "{\"\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061abcd\": 1}");
    b = parse(
        cache,
        "{\"\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061abcd\": 1}");
    CHECK(str_is(only_key(a), "aaaaaaaaaaabcd", 14));
    CHECK(only_key(a) != NULL && only_key(a) == only_key(b));
    CHECK_STATS(cache, 2, 2, 2, 0, 3, 0);
    Py_XDECREF(a);
    Py_XDECREF(b);

    /* Disabled: short keys are bypassed, long ones still count as too long. */
    jc_keycache_stats_reset(cache);
    jc_keycache_set_enabled(cache, false);
    snprintf(doc, sizeof doc, "{\"%s\": 1, \"short\": 2, \"\\u00e9\": 3}", key65);
    a = parse(cache, doc);
    CHECK(a != NULL && PyDict_GET_SIZE(a) == 3);
    CHECK_STATS(cache, 0, 0, 0, 0, 1, 2);
    Py_XDECREF(a);
    CHECK(!PyErr_Occurred());
    jc_keycache_free(cache);
}

int main(void)
{
    Py_InitializeEx(0);
    uint64_t start_live = live_bytes();

    test_new_cache();
    test_scripted_sequence();
    test_hash_precomputed();
    test_forced_hash_many_keys();
    test_round_robin();
    test_refcounts();
    test_set_ways();
    test_disabled();
    test_raw_copies();
    test_insert_failures();
    test_parser_long_keys();

    CHECK(!PyErr_Occurred());
    /* Every cache was freed with everything in it. */
    CHECK_EQ(live_bytes(), start_live);

    return check_finish("test_keycache");
}
