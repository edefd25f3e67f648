// keys/<stream>/<mode>: the object-key cache (core/decode/keycache.h).
//
// Streams: hit_256 (256 keys cycling, warm: every lookup hits), miss_unique
// (a million distinct keys: every lookup misses and inserts), thrash_2560 and
// thrash_4096 (more distinct keys than the 2048 slots, cycling), collide_4 and
// collide_8 (every key forced onto one set by jc_keycache_force_hash: four fit
// its ways, eight evict each other), long_100B (keys over the 64-byte limit,
// never cached), and each dataset's keys in document order.
//
// Modes: cache_on / cache_off replay the stream through the parser's key path
// (the same calls core/decode/str.h makes, then the hash the dict needs),
// with the cache switched on or off at run time (jc_keycache_set_enabled), so
// the cache's gain is the ratio of the two in one run. parse_cache_on /
// parse_cache_off parse the whole dataset with jc_parse, as loads does, to show
// what that gain is worth in a full parse.
#include <cinttypes>
#include <cstdio>
#include <memory>

#include "bench.h"

namespace bench
{
namespace
{

struct StreamCase {
    std::string name;
    const KeyStream *stream;
    size_t keys_per_pass;  // lookups per iteration; passes continue where the last ended
    bool collide = false;  // force every key onto one hash (one set)
};

// Synthetic streams live as long as the registered benchmarks (they hold no
// Python objects: every key is plain).
std::vector<std::unique_ptr<KeyStream>> synthetic_streams;

const KeyStream *synthetic_stream(const std::vector<std::string> &keys)
{
    auto stream = std::make_unique<KeyStream>();
    for (const std::string &key : keys) {
        bool plain = true;
        for (unsigned char c : key)
            plain = plain && jc_plain_string_byte[c];
        stream->spans.push_back({static_cast<uint32_t>(stream->bytes.size()),
                                 static_cast<uint32_t>(key.size()), plain});
        stream->bytes += key;
    }
    stream->decoded.resize(stream->spans.size());  // all plain
    synthetic_streams.push_back(std::move(stream));
    return synthetic_streams.back().get();
}

std::vector<std::string> numbered(const char *format, size_t count)
{
    std::vector<std::string> keys;
    char buffer[128];
    for (size_t i = 0; i < count; i++) {
        std::snprintf(buffer, sizeof buffer, format, i);
        keys.emplace_back(buffer);
    }
    return keys;
}

// Field names of the kind APIs use, 4 to 21 bytes.
std::vector<std::string> schema_keys(size_t count)
{
    static const char *const words[] = {
        "id",         "name",        "created_at",      "user",     "text",
        "count",      "url",         "value",           "status",   "type",
        "lang",       "screen_name", "followers_count", "entities", "coordinates",
        "description"};
    const size_t word_count = sizeof words / sizeof words[0];
    std::vector<std::string> keys;
    for (size_t i = 0; i < count; i++)
        keys.push_back(std::string(words[i % word_count]) + "_" + std::to_string(i / word_count));
    return keys;
}

PyObject *memoize(Ref *memo, PyObject *key)
{
    if (key == nullptr)
        return nullptr;
    if (!*memo)
        *memo = Ref(PyDict_New());
    PyObject *shared = *memo ? PyDict_SetDefault(memo->get(), key, key) : nullptr;
    Py_XINCREF(shared);
    Py_DECREF(key);
    return shared;
}

// One key, by the parser's path: plain keys through jc_keycache_get_ascii (or,
// over 64 bytes, a new str shared within the document); other keys looked up by
// their raw bytes and decoded on a miss. Returns a new reference.
PyObject *replay_key(jc_keycache *cache, const KeyStream &stream, size_t k, Ref *memo)
{
    const KeySpan &span = stream.spans[k];
    const uint8_t *raw = stream.data(span);
    const bool too_long = span.length > JC_KEYCACHE_MAX_KEY;
    if (span.plain) {
        if (!too_long)
            return jc_keycache_get_ascii(cache, raw, span.length);
        cache->stats.too_long++;
        return memoize(memo, jc_str_from_ascii(raw, span.length));
    }
    const bool cacheable = !too_long && cache->enabled;
    uint64_t hash = 0;
    if (cacheable) {
        hash = jc_keycache_hash(cache, raw, span.length);
        if (PyObject *key = jc_keycache_find(cache, raw, span.length, hash))
            return key;
    } else if (too_long) {
        cache->stats.too_long++;
    } else {
        cache->stats.bypassed++;
    }
    PyObject *decoded = stream.decoded[k].get();
    PyObject *key = PyUnicode_FromKindAndData(PyUnicode_KIND(decoded), PyUnicode_DATA(decoded),
                                              PyUnicode_GET_LENGTH(decoded));
    if (key != nullptr && cacheable && jc_keycache_insert(cache, raw, span.length, hash, key) < 0)
        Py_CLEAR(key);
    return too_long ? memoize(memo, key) : key;
}

// `count` keys from position *cursor (wrapping), each hashed as the dict it
// lands in would hash it (free for a cached key: its hash was computed when it
// was stored) and dropped.
bool replay(jc_keycache *cache, const KeyStream &stream, size_t *cursor, size_t count)
{
    Ref memo;  // one pass is one document for the long-key memo
    const size_t size = stream.spans.size();
    size_t k = *cursor;
    for (size_t i = 0; i < count; i++) {
        PyObject *key = replay_key(cache, stream, k, &memo);
        if (key == nullptr)
            return false;
        Py_hash_t hash = PyObject_Hash(key);
        Py_DECREF(key);
        if (hash == -1)
            return false;
        if (++k == size)
            k = 0;
    }
    *cursor = k;
    return true;
}

jc_keycache *new_cache(bool enabled, bool collide)
{
    jc_keycache *cache = jc_keycache_new();
    if (cache == nullptr)
        return nullptr;
    if (collide)
        jc_keycache_force_hash(cache, true, UINT64_C(0x5eed));
    jc_keycache_set_enabled(cache, enabled);
    return cache;
}

void bm_key_stream(benchmark::State &state, const StreamCase &c, bool enabled)
{
    jc_keycache *cache = new_cache(enabled, c.collide);
    size_t cursor = 0;
    // One untimed pass first: the hit path is measured warm, as in a process
    // that has parsed documents of this kind before.
    if (cache == nullptr || !replay(cache, *c.stream, &cursor, c.keys_per_pass)) {
        state.SkipWithError(take_error("key replay").c_str());
        jc_keycache_free(cache);
        return;
    }
    jc_keycache_stats before, after;
    jc_keycache_stats_get(cache, &before);
    for (auto _ : state) {
        if (!replay(cache, *c.stream, &cursor, c.keys_per_pass)) {
            state.SkipWithError(take_error("key replay").c_str());
            break;
        }
    }
    jc_keycache_stats_get(cache, &after);
    set_cache_counters(state, before, after);
    state.counters["keys_per_second"] = per_second(static_cast<double>(c.keys_per_pass));
    state.counters["time_per_key"] = time_per(static_cast<double>(c.keys_per_pass));
    jc_keycache_free(cache);
}

// jc_parse as jcodec.loads calls it (the cyclic GC paused), on a given cache.
PyObject *parse(const Dataset &d, jc_keycache *cache, std::string *error)
{
    jc_parse_error err;
    int gc_was_enabled = PyGC_Disable();
    PyObject *result = jc_parse(d.data(), d.size(), cache, &err);
    if (gc_was_enabled)
        PyGC_Enable();
    if (result == nullptr)
        *error = err.code == JC_PARSE_PYTHON ? take_error("jc_parse")
                                             : std::string("jc_parse: ") + err.msg;
    return result;
}

void bm_key_parse(benchmark::State &state, const Dataset &d, bool enabled)
{
    std::string error;
    jc_keycache *cache = new_cache(enabled, false);
    Ref warm(cache ? parse(d, cache, &error) : nullptr);
    if (!warm) {
        state.SkipWithError(error.empty() ? take_error("jc_keycache_new").c_str() : error.c_str());
        jc_keycache_free(cache);
        return;
    }
    warm.reset();
    jc_keycache_stats before, after;
    jc_keycache_stats_get(cache, &before);
    for (auto _ : state) {
        PyObject *result = parse(d, cache, &error);
        if (result == nullptr) {
            state.SkipWithError(error.c_str());
            break;
        }
        Py_DECREF(result);
    }
    jc_keycache_stats_get(cache, &after);
    set_cache_counters(state, before, after);
    const double keys = static_cast<double>(d.keys.spans.size());
    state.counters["keys_per_second"] = per_second(keys);
    state.counters["time_per_key"] = time_per(keys);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                            static_cast<int64_t>(d.size()));
    jc_keycache_free(cache);
}

}  // namespace

void register_keys_benchmarks(const Datasets &datasets)
{
    std::vector<StreamCase> cases;
    cases.push_back({"hit_256", synthetic_stream(schema_keys(256)), 256});
    cases.push_back(
        {"miss_unique", synthetic_stream(numbered("unique_%07zu", size_t{1} << 20)), 4096});
    cases.push_back({"thrash_2560", synthetic_stream(numbered("thrash_%05zu", 2560)), 2560});
    cases.push_back({"thrash_4096", synthetic_stream(numbered("thrash_%05zu", 4096)), 4096});
    cases.push_back({"collide_4", synthetic_stream(numbered("collide_%zu", 4)), 1024, true});
    cases.push_back({"collide_8", synthetic_stream(numbered("collide_%zu", 8)), 1024, true});
    cases.push_back({"long_100B",
                     synthetic_stream(numbered("long_key_%03zu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                               "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                                               64)),
                     64});
    for (const auto &d : datasets) {
        if (d->keys.spans.empty())
            continue;  // no objects: nothing for the cache to do
        cases.push_back({d->name, &d->keys, d->keys.spans.size()});
    }
    for (const StreamCase &c : cases) {
        for (bool enabled : {true, false}) {
            std::string name = "keys/" + c.name + (enabled ? "/cache_on" : "/cache_off");
            benchmark::RegisterBenchmark(name.c_str(), [c, enabled](benchmark::State &state) {
                bm_key_stream(state, c, enabled);
            });
        }
    }
    for (const auto &d : datasets) {
        if (d->keys.spans.empty())
            continue;
        const Dataset *dataset = d.get();
        for (bool enabled : {true, false}) {
            std::string name =
                "keys/" + d->name + (enabled ? "/parse_cache_on" : "/parse_cache_off");
            benchmark::RegisterBenchmark(name.c_str(), [dataset, enabled](benchmark::State &state) {
                bm_key_parse(state, *dataset, enabled);
            });
        }
    }
}

}  // namespace bench
