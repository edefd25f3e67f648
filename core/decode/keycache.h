/* Object-key cache: maps the bytes of a key, as they appear in the document, to a
 * str object, so repeated keys cost no allocation, no decoding and no hashing by
 * the dict they land in.
 *
 * 2048 slots grouped into sets of `ways` slots (1 = direct-mapped), replacement
 * round-robin within a set after empty slots. A hit is confirmed by length and
 * bytes, never by the hash alone. Keys longer than JC_KEYCACHE_MAX_KEY bytes are
 * created directly. Cached strs have their Python hash computed before they are
 * stored. The cache owns one reference per occupied slot. */
#ifndef JC_DECODE_KEYCACHE_H
#define JC_DECODE_KEYCACHE_H

#include "compat.h"
#include <stdbool.h>

#include "compiler.h"
#include "decode/hash.h"

#define JC_KEYCACHE_SLOTS   2048
#define JC_KEYCACHE_MAX_KEY 64
/* Chosen by measuring hit rates on the four reference documents (README, "Key cache"). */
#define JC_KEYCACHE_DEFAULT_WAYS 4

typedef struct jc_keycache_slot {
    uint64_t hash;
    PyObject *key; /* NULL when empty */
    uint8_t *raw;  /* copy of the document bytes; NULL when they equal the key's
                         ASCII text, which is then compared in place */
    uint32_t len;  /* length of the document bytes */
    /* Links to other slots (index + 1, 0 for none), hints only: the slot of
     * the key that followed this one in its object the last time, and of the
     * first key of the object that was this key's value. A link may name a
     * slot that has since changed hands; jc_keycache_predicted checks. */
    uint16_t next;
    uint16_t first_child;
} jc_keycache_slot;

typedef struct jc_keycache_stats {
    uint64_t hits;
    uint64_t misses;
    uint64_t inserts;
    uint64_t evictions;
    uint64_t too_long; /* keys over JC_KEYCACHE_MAX_KEY bytes, created directly */
    uint64_t bypassed; /* keys created directly because the cache is switched off */
    uint64_t unstored; /* misses not stored: the document's keys were mostly misses */
} jc_keycache_stats;

typedef struct jc_keycache {
    jc_keycache_slot slots[JC_KEYCACHE_SLOTS];
    uint16_t next_victim[JC_KEYCACHE_SLOTS]; /* per set; only the first `sets` used */
    uint64_t seed;
    uint32_t ways;
    uint32_t set_mask; /* sets - 1 */
    bool enabled;
    bool active; /* enabled, and not paused by a miss-heavy document: the hot path's one test */
    bool hash_forced; /* test hook: every key hashes to forced_hash */
    uint64_t forced_hash;
    jc_keycache_stats stats;
    /* This document's window (jc_keycache_begin_document): the counts when
     * it opened; while paused, the keys left until the cache is tried again. */
    uint64_t window_hits, window_misses, paused;
    /* The link of the slot the last find hit or insert filled; the parser
     * zeroes it before a key, so 0 after one means the key has no slot. */
    uint16_t last_link;
    /* The link of the first key of the last object that was not the value of
     * a cached key (a document's root object, an array's records). */
    uint16_t first_key;
} jc_keycache;

/* A document whose keys are nearly all misses (unique keys: ids, hashes) gains
 * nothing from the cache and would pay for hashing and storing each key and
 * evicting another. After JC_KEYCACHE_PROBE misses, a document with more than
 * JC_KEYCACHE_MISS_RATIO misses per hit pauses the cache for its next
 * JC_KEYCACHE_PAUSE keys (created directly, as with the cache off), then
 * tries it again. */
#define JC_KEYCACHE_PROBE      1024
#define JC_KEYCACHE_MISS_RATIO 8
#define JC_KEYCACHE_PAUSE      8192

/* Allocation goes through the allocator layer; NULL with MemoryError on failure. */
jc_keycache *jc_keycache_new(void);
/* Releases every reference and the cache itself. */
void jc_keycache_free(jc_keycache *cache);
/* Releases every cached key; stats are kept. */
void jc_keycache_clear(jc_keycache *cache);
/* ways must be a power of two from 1 to 64; clears the cache.
 * Returns -1 (ValueError) for an invalid value. */
int jc_keycache_set_ways(jc_keycache *cache, unsigned ways);
void jc_keycache_set_enabled(jc_keycache *cache, bool enabled);
/* Test hook: force every key onto one hash value so collisions are certain. */
void jc_keycache_force_hash(jc_keycache *cache, bool on, uint64_t value);
void jc_keycache_stats_get(const jc_keycache *cache, jc_keycache_stats *out);
void jc_keycache_stats_reset(jc_keycache *cache);
/* For a key the parser decodes itself (escapes, non-ASCII): true when the
 * cache is paused, the key then counted as unstored. */
bool jc_keycache_skip(jc_keycache *cache);
/* Starts a document: the cache is used until the document proves miss-heavy. */
void jc_keycache_begin_document(jc_keycache *cache);
/* A stream read a piece at a time (iter_lines: one call per value) keeps one
 * window across its calls, whatever other documents are parsed in between:
 * what its window counted so far and its pause, saved when a call ends and
 * put back when the next begins. */
typedef struct jc_keycache_window {
    uint64_t hits, misses, paused;
} jc_keycache_window;
/* The empty window of a stream that has not started. */
#define JC_KEYCACHE_WINDOW_NEW ((jc_keycache_window){0, 0, 0})
void jc_keycache_window_save(const jc_keycache *cache, jc_keycache_window *window);
void jc_keycache_window_restore(jc_keycache *cache, const jc_keycache_window *window);
/* Occupied slots, for tests and the bench. */
size_t jc_keycache_occupied(const jc_keycache *cache);

/* Out-of-line miss paths (keycache.c): a new key for these bytes, stored;
 * returns a new reference or NULL with MemoryError set. */
PyObject *jc_keycache_insert_ascii(jc_keycache *cache, const uint8_t *text, size_t len,
                                   uint64_t hash);
/* Stores key for the document bytes raw[0, len) under hash; -1 with
 * MemoryError set on failure (the cache is unchanged). */
int jc_keycache_insert(jc_keycache *cache, const uint8_t *raw, size_t len, uint64_t hash,
                       PyObject *key);
/* The cache is switched off or paused: a new key, counted as bypassed or
 * unstored. */
PyObject *jc_keycache_bypass_ascii(jc_keycache *cache, const uint8_t *text, size_t len);

JC_INLINE uint64_t jc_keycache_hash(const jc_keycache *cache, const uint8_t *raw, size_t len)
{
    if (jc_unlikely(cache->hash_forced))
        return cache->forced_hash;
    return jc_hash_bytes(raw, len, cache->seed);
}

/* a[0, len) == b[0, len) for key-sized len, inline: two overlapping loads
 * per side cover up to 16 bytes without reading past either end. */
JC_INLINE bool jc_short_bytes_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
    if (len >= 8) {
        if (len > 16)
            return memcmp(a, b, len) == 0;
        return ((jc_load64(a) ^ jc_load64(b)) |
                (jc_load64(a + len - 8) ^ jc_load64(b + len - 8))) == 0;
    }
    if (len >= 4)
        return ((jc_load32(a) ^ jc_load32(b)) |
                (jc_load32(a + len - 4) ^ jc_load32(b + len - 4))) == 0;
    for (size_t i = 0; i < len; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

JC_INLINE bool jc_keycache_slot_matches(const jc_keycache_slot *slot, const uint8_t *raw,
                                        size_t len, uint64_t hash)
{
    if (slot->hash != hash || slot->len != len || slot->key == NULL)
        return false;
    const uint8_t *stored = slot->raw ? slot->raw : (const uint8_t *)PyUnicode_DATA(slot->key);
    return jc_short_bytes_equal(stored, raw, len);
}

/* Returns a new reference to the cached key for these document bytes, or NULL on
 * a miss (no exception set). The caller has checked len <= JC_KEYCACHE_MAX_KEY. */
JC_INLINE PyObject *jc_keycache_find(jc_keycache *cache, const uint8_t *raw, size_t len,
                                     uint64_t hash)
{
    jc_keycache_slot *set = &cache->slots[(hash & cache->set_mask) * cache->ways];
    for (uint32_t way = 0; way < cache->ways; way++) {
        if (jc_keycache_slot_matches(&set[way], raw, len, hash)) {
            cache->stats.hits++;
            cache->last_link = (uint16_t)(set - cache->slots + way + 1);
            Py_INCREF(set[way].key);
            return set[way].key;
        }
    }
    cache->stats.misses++;
    return NULL;
}

/* The path for a key whose document bytes are plain ASCII (no escapes): the
 * bytes are the key's text. len <= JC_KEYCACHE_MAX_KEY: longer keys are the
 * caller's (the parser shares them per document). Returns a new reference or
 * NULL with an error set. */
JC_INLINE PyObject *jc_keycache_get_ascii(jc_keycache *cache, const uint8_t *text, size_t len)
{
    if (jc_unlikely(!cache->active))
        return jc_keycache_bypass_ascii(cache, text, len);
    uint64_t hash = jc_keycache_hash(cache, text, len);
    PyObject *key = jc_keycache_find(cache, text, len, hash);
    if (jc_likely(key != NULL))
        return key;
    return jc_keycache_insert_ascii(cache, text, len, hash);
}

/* Key prediction: most objects are records, the same keys in the same order
 * object after object, so the key after a given key is most often the one
 * that followed it last time (the parser keeps the links, jc_keycache_slot).
 * A predicted key is checked against the document's bytes at body, the first
 * byte after the opening quote: its text, then the closing quote. A key whose
 * document bytes are its own text (raw == NULL) has no quote or backslash in
 * it, so those bytes are the whole string body with no escape: the key the
 * scan, hash and probe would have found in that slot, counted as the same hit.
 * For an active cache (the caller checks: a paused or switched-off cache
 * counts its keys on the ordinary path). Returns the byte after the closing
 * quote with *out a new reference, or NULL (nothing set) when there is no
 * prediction or it is wrong. *end is the input's NUL sentinel, so body[len]
 * is readable when len < end - body. */
JC_INLINE const uint8_t *jc_keycache_predicted(jc_keycache *cache, uint16_t link,
                                               const uint8_t *body, const uint8_t *end,
                                               PyObject **out)
{
    if (link == 0)
        return NULL;
    const jc_keycache_slot *slot = &cache->slots[link - 1];
    size_t len = slot->len;
    if (slot->key == NULL || slot->raw != NULL || len >= (size_t)(end - body) || body[len] != '"' ||
        !jc_short_bytes_equal((const uint8_t *)PyUnicode_DATA(slot->key), body, len))
        return NULL;
    cache->stats.hits++;
    Py_INCREF(slot->key);
    *out = slot->key;
    return body + len + 1;
}

#endif /* JC_DECODE_KEYCACHE_H */
