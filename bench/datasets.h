// The documents the benchmarks run on: the reference corpus (../shared/corpus)
// when present, and the project's generated corpus (corpus/generate.py, through
// bench/bench_data.py), which alone is the default when ../shared is absent.
#ifndef JC_BENCH_DATASETS_H
#define JC_BENCH_DATASETS_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "python.h"

namespace bench
{

// Where things are; each has an environment override.
struct Locations {
    std::string source_dir;  // JCODEC_SOURCE_DIR, else the configured source tree
    std::string data_dir;    // JCODEC_BENCH_DATA, else <build>/bench-data (generated files)
};
const Locations &locations();

// Where the reference corpus is: bench_data.shared_corpus_dir(), which is
// scripts/project.py's SHARED_CORPUS_DIR ($JCODEC_SHARED_DIR/corpus, else
// <source>/../shared/corpus). Needs the interpreter; empty with *error set on
// failure.
std::string shared_corpus_dir(std::string *error);

// One object key as it appears in a document: the bytes between the quotes.
struct KeySpan {
    uint32_t offset;
    uint32_t length;
    bool plain;  // printable ASCII without escapes: the parser's fast key path
};

// A sequence of keys over one byte buffer; `decoded` holds the str of each
// key that is not plain (escapes or non-ASCII), for the replay's miss path.
struct KeyStream {
    std::string bytes;
    std::vector<KeySpan> spans;
    std::vector<Ref> decoded;  // parallel to spans; empty Ref for plain keys
    const uint8_t *data(const KeySpan &span) const
    {
        return reinterpret_cast<const uint8_t *>(bytes.data()) + span.offset;
    }
};

// The object keys of a JSON document in document order, found by tokenizing
// it (strings followed by ':'). Returns false with *error set.
bool extract_keys(const std::string &document, KeyStream *out, std::string *error);

struct Dataset {
    std::string name;    // "twitter" (shared file stem) or "gen_twitter" (generated)
    std::string origin;  // "shared" or "generated"
    Ref document;        // bytes
    size_t objects = 0;  // Python objects in the parsed document, containers included
    KeyStream keys;

    const uint8_t *data() const
    {
        return reinterpret_cast<const uint8_t *>(PyBytes_AS_STRING(document.get()));
    }
    size_t size() const { return static_cast<size_t>(PyBytes_GET_SIZE(document.get())); }
};

// The benchmark datasets, loaded (and generated on first use) at start-up.
// A missing shared corpus is reported on stderr and leaves the generated set.
bool load_datasets(std::vector<std::unique_ptr<Dataset>> *out, std::string *error);

// A scaling document (generate.SCALED_SHAPES[shape] at `size` bytes), generated
// on first use and kept for the process: the large ones take seconds.
PyObject *scaled_document(const std::string &shape, size_t size, std::string *error);
std::vector<std::string> scaled_shapes(std::string *error);

// Releases every document before the interpreter stops.
void release_datasets(std::vector<std::unique_ptr<Dataset>> *datasets);

// The generated documents' size in the loads/dumps/keys families.
constexpr size_t kGeneratedSize = 256 * 1024;

}  // namespace bench

#endif  // JC_BENCH_DATASETS_H
