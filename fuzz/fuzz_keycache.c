/* Property: the key cache (core/decode/keycache.h) under operation sequences from the
 * input, with forced hash collisions and tiny key alphabets:
 *   - every returned key equals its bytes: the ASCII text for
 *     jc_keycache_get_ascii, the decoded JSON string body (json.loads) for the
 *     parser's find/insert path;
 *   - a key that is in its set is found (a hit returns that very object);
 *   - refcounts balance: each tracked key's count is our reference plus one per
 *     slot holding it, and after jc_keycache_free only ours is left;
 *   - stats add up: hits, misses, inserts, evictions and bypassed follow the
 *     model exactly; occupied slots = inserts into empty ways since the last
 *     clear; a full set evicts its round-robin victim;
 *   - structure: each slot is in the set its hash selects, its hash is the
 *     hash of its bytes, and in-place slots (raw == NULL) hold their ASCII text;
 *   - the allocator layer's live bytes return to where they were.
 *   - an allocation failure (injected into get, insert and new when the
 *     operation byte is 240 or more) raises MemoryError and leaves the cache
 *     as it was, apart from the miss it counted.
 * Input: byte 0 = alphabets (low nibble ASCII size, high nibble escaped-token
 * count), then one operation per byte (op_* below) with its arguments. */
#include "fuzz_common.h"

#include "alloc.h"
#include "testing.h"
#include "decode/keycache.h"

#define MAX_TRACKED 64
#define MAX_OPS     400

typedef struct tracked {
    uint8_t raw[JC_KEYCACHE_MAX_KEY];
    size_t len;
    PyObject *key; /* our reference */
} tracked;

typedef struct model {
    jc_keycache *cache;
    jc_keycache_stats stats; /* expected */
    size_t occupied;         /* expected */
    tracked keys[MAX_TRACKED];
    size_t count;
    size_t next; /* replacement cursor once keys[] is full */
    const char *ascii;
    size_t ascii_size;
    size_t token_count;
} model;

/* Escaped and non-ASCII spellings: several decode to the same text ("a" and
 * "\u0061"), so one key has several raw forms. */
static const char *const tokens[] = {
    "a",
    "\\u0061",
    "b",
    "\\n",
    "\\\\",
    "\\\"",
    "\xc3\xa9",
    "\\u00e9",
    "\\ud83d\\ude00",
    "\xf0\x9f\x98\x80",
    "\\/",
    "\\u0000",
    "c",
    "\\t",
    "\xe2\x82\xac",
    "\\u20AC",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    jc_fuzz_init(argc, argv);
    return 0;
}

/*==============================================================================
 * Checks
 *============================================================================*/

static void require_stats(model *m, const char *op)
{
    jc_keycache_stats s;
    jc_keycache_stats_get(m->cache, &s);
    const jc_keycache_stats *e = &m->stats;
    JC_FUZZ_REQUIRE(
        s.hits == e->hits && s.misses == e->misses && s.inserts == e->inserts &&
            s.evictions == e->evictions && s.bypassed == e->bypassed && s.too_long == 0,
        "after %s: stats hits/misses/inserts/evictions/bypassed %llu/%llu/%llu/%llu/%llu,"
        " expected %llu/%llu/%llu/%llu/%llu",
        op, (unsigned long long)s.hits, (unsigned long long)s.misses, (unsigned long long)s.inserts,
        (unsigned long long)s.evictions, (unsigned long long)s.bypassed,
        (unsigned long long)e->hits, (unsigned long long)e->misses, (unsigned long long)e->inserts,
        (unsigned long long)e->evictions, (unsigned long long)e->bypassed);
}

static const uint8_t *slot_bytes(const jc_keycache_slot *slot)
{
    return slot->raw ? slot->raw : (const uint8_t *)PyUnicode_DATA(slot->key);
}

/* Structure of every slot, and every tracked key's reference count. The
 * cache's own count of occupied slots (jc_keycache_occupied, a scan too) is
 * checked once per input, after the last operation; here the slots are
 * counted by this loop. */
JC_FUZZ_ORACLE static void require_consistent(model *m, const char *op)
{
    jc_keycache *c = m->cache;
    Py_ssize_t holders[MAX_TRACKED] = {0};
    size_t occupied = 0;
    for (size_t i = 0; i < JC_KEYCACHE_SLOTS; i++) {
        const jc_keycache_slot *slot = &c->slots[i];
        if (slot->key == NULL) {
            JC_FUZZ_REQUIRE(slot->raw == NULL && slot->len == 0,
                            "after %s: empty slot %zu not clear", op, i);
            continue;
        }
        occupied++;
        JC_FUZZ_REQUIRE(PyUnicode_CheckExact(slot->key) && slot->len <= JC_KEYCACHE_MAX_KEY,
                        "after %s: slot %zu holds a bad key", op, i);
        if (slot->raw == NULL)
            JC_FUZZ_REQUIRE(PyUnicode_IS_COMPACT_ASCII(slot->key) &&
                                (size_t)PyUnicode_GET_LENGTH(slot->key) == slot->len,
                            "after %s: in-place slot %zu is not its ASCII text", op, i);
        uint64_t hash = jc_keycache_hash(c, slot_bytes(slot), slot->len);
        JC_FUZZ_REQUIRE(slot->hash == hash, "after %s: slot %zu stores a stale hash", op, i);
        JC_FUZZ_REQUIRE(i / c->ways == (hash & c->set_mask),
                        "after %s: slot %zu is in the wrong set", op, i);
        for (size_t k = 0; k < m->count; k++)
            holders[k] += slot->key == m->keys[k].key;
    }
    JC_FUZZ_REQUIRE(occupied == m->occupied, "after %s: %zu slots occupied, expected %zu", op,
                    occupied, m->occupied);
    for (size_t k = 0; k < m->count; k++) {
        PyObject *key = m->keys[k].key;
        if (PyUnicode_GET_LENGTH(key) < 2) /* CPython's shared one-character strs */
            continue;
        JC_FUZZ_REQUIRE(Py_REFCNT(key) == 1 + holders[k],
                        "after %s: key %s has %zd references, expected 1 + %zd in slots", op,
                        jc_fuzz_repr(key, 100), Py_REFCNT(key), holders[k]);
    }
}

/* The slot holding these bytes in their set, if any (what a lookup must hit). */
static jc_keycache_slot *present(model *m, const uint8_t *raw, size_t len, uint64_t hash)
{
    jc_keycache *c = m->cache;
    jc_keycache_slot *set = &c->slots[(hash & c->set_mask) * c->ways];
    for (uint32_t w = 0; w < c->ways; w++)
        if (set[w].key != NULL && set[w].len == len && memcmp(slot_bytes(&set[w]), raw, len) == 0)
            return &set[w];
    return NULL;
}

/* Expected effect of inserting into hash's set: an empty way, or eviction of
 * the round-robin victim. Returns the slot the key must land in. */
static jc_keycache_slot *expect_insert(model *m, uint64_t hash)
{
    jc_keycache *c = m->cache;
    size_t set_index = hash & c->set_mask;
    jc_keycache_slot *set = &c->slots[set_index * c->ways];
    m->stats.inserts++;
    for (uint32_t w = 0; w < c->ways; w++) {
        if (set[w].key == NULL) {
            m->occupied++;
            return &set[w];
        }
    }
    m->stats.evictions++;
    return &set[c->next_victim[set_index]];
}

/* Remembers (raw -> key), taking the reference. */
static void track(model *m, const uint8_t *raw, size_t len, PyObject *key)
{
    for (size_t k = 0; k < m->count; k++) {
        if (m->keys[k].len == len && memcmp(m->keys[k].raw, raw, len) == 0) {
            Py_SETREF(m->keys[k].key, key);
            return;
        }
    }
    tracked *t;
    if (m->count < MAX_TRACKED) {
        t = &m->keys[m->count++];
    } else {
        t = &m->keys[m->next++ % MAX_TRACKED];
        Py_DECREF(t->key);
    }
    memcpy(t->raw, raw, len);
    t->len = len;
    t->key = key;
}

/*==============================================================================
 * Operations
 *============================================================================*/

/* Operations run with an allocation failure injected when `faulty`: the
 * first request of the call fails (jc_fault_arm), as it would in the parser. */
static bool faulty;

static void fault_begin(void)
{
    if (faulty) {
        jc_fault_arm(1, false);
        jc_call_enter();
    }
}

/* Whether the injected failure hit (then MemoryError must be set, and is
 * cleared). */
static bool fault_end(bool call_failed)
{
    if (!faulty)
        return false;
    jc_call_exit();
    bool hit = jc_fault_last_failures() != 0;
    JC_FUZZ_REQUIRE(call_failed == hit, "an injected allocation failure %s",
                    hit ? "was not reported" : "did not happen, yet the call failed");
    if (hit) {
        JC_FUZZ_REQUIRE(PyErr_ExceptionMatches(PyExc_MemoryError), "failure without MemoryError");
        PyErr_Clear();
    }
    return hit;
}

/* What an insertion changes in the model, saved so that a failed one can be
 * undone: it changes nothing but the miss count. */
typedef struct saved {
    uint64_t inserts, evictions;
    size_t occupied;
} saved;

static saved save(const model *m)
{
    return (saved){m->stats.inserts, m->stats.evictions, m->occupied};
}

static void undo_insert(model *m, saved before)
{
    m->stats.inserts = before.inserts;
    m->stats.evictions = before.evictions;
    m->occupied = before.occupied;
}

/* jc_keycache_get_ascii: the parser's path for keys without escapes. */
static void op_get_ascii(model *m, jc_fuzz_input *in)
{
    uint8_t text[JC_KEYCACHE_MAX_KEY];
    size_t len = jc_fuzz_byte(in) % (JC_KEYCACHE_MAX_KEY + 1);
    for (size_t i = 0; i < len; i++)
        text[i] = (uint8_t)m->ascii[jc_fuzz_byte(in) % m->ascii_size];
    jc_keycache *c = m->cache;
    jc_keycache_slot *hit = NULL, *target = NULL;
    saved before = save(m);
    if (c->enabled) {
        uint64_t hash = jc_keycache_hash(c, text, len);
        hit = present(m, text, len, hash);
        if (hit != NULL) {
            m->stats.hits++;
        } else {
            m->stats.misses++;
            target = expect_insert(m, hash);
        }
    } else {
        m->stats.bypassed++;
    }
    PyObject *expected_hit = hit ? hit->key : NULL;
    fault_begin();
    PyObject *key = jc_keycache_get_ascii(c, text, len);
    if (fault_end(key == NULL)) {
        undo_insert(m, before);
        return;
    }
    JC_FUZZ_REQUIRE(key != NULL, "jc_keycache_get_ascii failed");
    JC_FUZZ_REQUIRE(PyUnicode_CheckExact(key) && PyUnicode_IS_COMPACT_ASCII(key) &&
                        (size_t)PyUnicode_GET_LENGTH(key) == len &&
                        memcmp(PyUnicode_1BYTE_DATA(key), text, len) == 0,
                    "get_ascii(%.*s) returned %s", (int)len, (const char *)text,
                    jc_fuzz_repr(key, 100));
    if (expected_hit != NULL)
        JC_FUZZ_REQUIRE(key == expected_hit, "get_ascii missed a key present in its set");
    if (target != NULL)
        JC_FUZZ_REQUIRE(target->key == key, "get_ascii stored the key in the wrong way");
    track(m, text, len, key);
}

/* The decoded text of a JSON string body, or NULL when it is not one. */
static PyObject *decode_body(const uint8_t *raw, size_t len)
{
    PyObject *doc = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)len + 2);
    char *d = PyBytes_AS_STRING(doc);
    d[0] = '"';
    memcpy(d + 1, raw, len);
    d[len + 1] = '"';
    PyObject *text = PyObject_CallOneArg(jc_fuzz.json_loads, doc);
    Py_DECREF(doc);
    if (text == NULL)
        jc_fuzz_clear_expected("json.loads", PyExc_ValueError, NULL);
    else if (!PyUnicode_CheckExact(text))
        Py_CLEAR(text);
    return text;
}

/* jc_keycache_find then jc_keycache_insert: the parser's path for keys with
 * escapes or non-ASCII bytes, keyed by the raw document bytes. */
static void op_find_insert(model *m, jc_fuzz_input *in)
{
    uint8_t raw[JC_KEYCACHE_MAX_KEY];
    size_t len = 0, want = jc_fuzz_byte(in) % 12;
    for (size_t i = 0; i < want; i++) {
        const char *t = tokens[jc_fuzz_byte(in) % m->token_count];
        size_t n = strlen(t);
        if (len + n > sizeof raw)
            break;
        memcpy(raw + len, t, n);
        len += n;
    }
    PyObject *text = decode_body(raw, len);
    jc_keycache *c = m->cache;
    if (text == NULL || !c->enabled) { /* the parser does not look such keys up */
        Py_XDECREF(text);
        return;
    }
    uint64_t hash = jc_keycache_hash(c, raw, len);
    jc_keycache_slot *hit = present(m, raw, len, hash);
    PyObject *expected_hit = hit ? hit->key : NULL;
    PyObject *key = jc_keycache_find(c, raw, len, hash);
    if (hit != NULL) {
        m->stats.hits++;
        JC_FUZZ_REQUIRE(key == expected_hit, "find missed a key present in its set");
        JC_FUZZ_REQUIRE(PyUnicode_Compare(key, text) == 0 && !PyErr_Occurred(),
                        "find returned %s for bytes that decode to %s", jc_fuzz_repr(key, 100),
                        jc_fuzz_repr(text, 100));
        Py_DECREF(text);
        track(m, raw, len, key);
        return;
    }
    m->stats.misses++;
    JC_FUZZ_REQUIRE(key == NULL && !PyErr_Occurred(), "find returned a key not in its set");
    saved before = save(m);
    jc_keycache_slot *target = expect_insert(m, hash);
    fault_begin();
    int status = jc_keycache_insert(c, raw, len, hash, text);
    if (fault_end(status < 0)) {
        undo_insert(m, before);
        Py_DECREF(text);
        return;
    }
    JC_FUZZ_REQUIRE(status == 0, "jc_keycache_insert failed");
    JC_FUZZ_REQUIRE(target->key == text, "insert stored the key in the wrong way");
    track(m, raw, len, text);
}

static void op_clear(model *m)
{
    jc_keycache_clear(m->cache);
    m->occupied = 0;
}

static void op_set_ways(model *m, jc_fuzz_input *in)
{
    static const unsigned choices[] = {1, 2, 4, 8, 16, 32, 64, 0, 3, 128, 6, 4096};
    unsigned ways = choices[jc_fuzz_byte(in) % (sizeof choices / sizeof choices[0])];
    bool valid = ways != 0 && (ways & (ways - 1)) == 0 && ways <= 64;
    uint32_t old_ways = m->cache->ways;
    int status = jc_keycache_set_ways(m->cache, ways);
    if (!valid) {
        JC_FUZZ_REQUIRE(status == -1 && PyErr_ExceptionMatches(PyExc_ValueError),
                        "set_ways(%u) must fail with ValueError", ways);
        PyErr_Clear();
        JC_FUZZ_REQUIRE(m->cache->ways == old_ways, "a refused set_ways changed the cache");
        return;
    }
    JC_FUZZ_REQUIRE(status == 0 && m->cache->ways == ways &&
                        m->cache->set_mask == JC_KEYCACHE_SLOTS / ways - 1,
                    "set_ways(%u)", ways);
    m->occupied = 0;
}

static void op_force_hash(model *m, jc_fuzz_input *in)
{
    uint8_t arg = jc_fuzz_byte(in);
    /* A few small values put every key in set 0 or 1; high bits must not
     * matter (the set index is a mask). */
    uint64_t value = (uint64_t)(arg & 3) | ((uint64_t)(arg >> 2) << 58);
    jc_keycache_force_hash(m->cache, !(arg & 0x80) || (arg & 0x40), value);
    m->occupied = 0;
}

/* Frees the cache with whatever it holds, and starts a new one (first
 * trying once with its allocation failing, when `faulty`). */
static void op_renew(model *m)
{
    jc_keycache_free(m->cache);
    if (faulty) {
        fault_begin();
        jc_keycache *none = jc_keycache_new();
        fault_end(none == NULL);
        JC_FUZZ_REQUIRE(none == NULL, "jc_keycache_new succeeded without memory");
    }
    m->cache = jc_keycache_new();
    JC_FUZZ_REQUIRE(m->cache != NULL, "jc_keycache_new failed");
    memset(&m->stats, 0, sizeof m->stats);
    m->occupied = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > JC_FUZZ_MAX_INPUT)
        return -1;
    jc_fuzz_input in = {data, data + size};
    jc_alloc_stats before, after;
    jc_alloc_stats_get(&before);

    /* Bytes a plain key can hold: the parser passes get_ascii no '"', '\\',
     * control or non-ASCII byte (those keys take find/insert). */
    static const char ascii[] = "abAB01_ xyz~-\x7f";
    uint8_t alphabets = jc_fuzz_byte(&in);
    model m = {.ascii = ascii};
    m.ascii_size = 1 + (alphabets & 0x0F) % (sizeof ascii - 1);
    m.token_count = 1 + (alphabets >> 4);
    m.cache = jc_keycache_new();
    JC_FUZZ_REQUIRE(m.cache != NULL, "jc_keycache_new failed");

    static const char *const names[] = {"get_ascii",   "get_ascii", "find_insert", "find_insert",
                                        "clear",       "set_ways",  "set_enabled", "force_hash",
                                        "stats_reset", "renew"};
    for (int ops = 0; ops < MAX_OPS && jc_fuzz_left(&in) > 0; ops++) {
        uint8_t op_byte = jc_fuzz_byte(&in);
        unsigned op = op_byte % 10;
        faulty = op_byte >= 240; /* 240-249: operations 0-9 with a failure injected */
        switch (op) {
        case 0:
        case 1: op_get_ascii(&m, &in); break;
        case 2:
        case 3: op_find_insert(&m, &in); break;
        case 4: op_clear(&m); break;
        case 5: op_set_ways(&m, &in); break;
        case 6: jc_keycache_set_enabled(m.cache, jc_fuzz_byte(&in) & 1); break;
        case 7: op_force_hash(&m, &in); break;
        case 8:
            jc_keycache_stats_reset(m.cache);
            memset(&m.stats, 0, sizeof m.stats);
            break;
        default: op_renew(&m); break;
        }
        require_stats(&m, names[op]);
        /* The full scan walks all 2048 slots: after every operation that
         * restructures the cache, and every eighth one otherwise. */
        if (op >= 4 || ops % 8 == 7)
            require_consistent(&m, names[op]);
    }
    require_consistent(&m, "the last operation");
    JC_FUZZ_REQUIRE(jc_keycache_occupied(m.cache) == m.occupied,
                    "jc_keycache_occupied counts %zu slots, expected %zu",
                    jc_keycache_occupied(m.cache), m.occupied);

    jc_keycache_free(m.cache);
    for (size_t k = 0; k < m.count; k++) {
        PyObject *key = m.keys[k].key;
        JC_FUZZ_REQUIRE(PyUnicode_GET_LENGTH(key) < 2 || Py_REFCNT(key) == 1,
                        "after jc_keycache_free, key %s has %zd references, expected ours only",
                        jc_fuzz_repr(key, 100), Py_REFCNT(key));
        Py_DECREF(key);
    }
    jc_alloc_stats_get(&after);
    JC_FUZZ_REQUIRE(after.live_bytes == before.live_bytes,
                    "allocator layer: %llu live bytes before, %llu after",
                    (unsigned long long)before.live_bytes, (unsigned long long)after.live_bytes);
    return 0;
}
