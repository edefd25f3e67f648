#include "datasets.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

namespace bench
{
namespace
{

// Scaling documents by (shape, size), generated on first use.
std::map<std::pair<std::string, size_t>, Ref> scaled_documents;

std::string environment_or(const char *name, const std::string &fallback)
{
    const char *value = std::getenv(name);
    return value != nullptr && *value != 0 ? value : fallback;
}

bool read_file(const std::string &path, std::string *out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

std::string file_stem(const std::string &path)
{
    size_t slash = path.rfind('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    size_t dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(0, dot);
}

// Containers and scalars, as a parse creates them (keys included).
size_t count_objects(PyObject *value)
{
    size_t count = 1;
    if (PyDict_Check(value)) {
        Py_ssize_t position = 0;
        PyObject *key, *item;
        while (PyDict_Next(value, &position, &key, &item))
            count += 1 + count_objects(item);
    } else if (PyList_Check(value)) {
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(value); i++)
            count += count_objects(PyList_GET_ITEM(value, i));
    }
    return count;
}

// bench_data.function(*args), or bench_data.function() when args is null.
Ref call_bench_data(const char *function, PyObject *args, std::string *error)
{
    return call_function("bench_data", function, args, error);
}

bool finish_dataset(Dataset *d, std::string *error)
{
    Ref json_loads = import_attribute("json", "loads", error);
    if (!json_loads)
        return false;
    Ref parsed(PyObject_CallOneArg(json_loads.get(), d->document.get()));
    if (!parsed) {
        *error = take_error("json.loads(" + d->name + ")");
        return false;
    }
    d->objects = count_objects(parsed.get());
    std::string text(reinterpret_cast<const char *>(d->data()), d->size());
    return extract_keys(text, &d->keys, error);
}

std::vector<std::string> string_list(PyObject *list, std::string *error)
{
    std::vector<std::string> out;
    for (Py_ssize_t i = 0; list != nullptr && i < PyList_Size(list); i++) {
        const char *text = PyUnicode_AsUTF8(PyList_GET_ITEM(list, i));
        if (text == nullptr) {
            *error = take_error("bench_data");
            return {};
        }
        out.emplace_back(text);
    }
    return out;
}

}  // namespace

const Locations &locations()
{
    static const Locations where = [] {
        Locations l;
        l.source_dir = environment_or("JCODEC_SOURCE_DIR", JC_BENCH_SOURCE_DIR);
        l.data_dir = environment_or("JCODEC_BENCH_DATA", JC_BENCH_DATA_DIR);
        return l;
    }();
    return where;
}

bool extract_keys(const std::string &document, KeyStream *out, std::string *error)
{
    out->bytes = document;
    out->spans.clear();
    out->decoded.clear();
    const char *text = out->bytes.data();
    const size_t length = out->bytes.size();
    // Outside strings JSON has no '"', so every string starts at the next quote;
    // inside one an escaped byte never closes it.
    for (size_t i = 0; i < length; i++) {
        if (text[i] != '"')
            continue;
        size_t body = i + 1, close = body;
        bool plain = true;
        while (close < length && text[close] != '"') {
            uint8_t byte = static_cast<uint8_t>(text[close]);
            plain = plain && jc_plain_string_byte[byte];
            close += byte == '\\' ? 2 : 1;
        }
        if (close >= length) {
            *error = "extract_keys: unterminated string";
            return false;
        }
        size_t after = close + 1;
        while (after < length && jc_whitespace_byte[static_cast<uint8_t>(text[after])])
            after++;
        if (after < length && text[after] == ':')
            out->spans.push_back(
                {static_cast<uint32_t>(body), static_cast<uint32_t>(close - body), plain});
        i = close;
    }
    // The str of each key the parser decodes on its slow path.
    Ref json_loads = import_attribute("json", "loads", error);
    if (!json_loads)
        return false;
    out->decoded.resize(out->spans.size());
    for (size_t k = 0; k < out->spans.size(); k++) {
        const KeySpan &span = out->spans[k];
        if (span.plain)
            continue;
        Ref quoted(PyBytes_FromStringAndSize(nullptr, span.length + 2));
        if (!quoted) {
            *error = take_error("extract_keys");
            return false;
        }
        char *q = PyBytes_AS_STRING(quoted.get());
        q[0] = q[span.length + 1] = '"';
        std::copy(text + span.offset, text + span.offset + span.length, q + 1);
        out->decoded[k] = Ref(PyObject_CallOneArg(json_loads.get(), quoted.get()));
        if (!out->decoded[k]) {
            *error = take_error("extract_keys: json.loads of a key");
            return false;
        }
    }
    return true;
}

std::string shared_corpus_dir(std::string *error)
{
    Ref dir = call_bench_data("shared_corpus_dir", nullptr, error);
    const char *text = dir ? PyUnicode_AsUTF8(dir.get()) : nullptr;
    if (dir && text == nullptr)
        *error = take_error("bench_data.shared_corpus_dir");
    return text != nullptr ? text : "";
}

bool load_datasets(std::vector<std::unique_ptr<Dataset>> *out, std::string *error)
{
    const Locations &where = locations();
    Ref paths = call_bench_data("shared_documents", nullptr, error);
    if (!paths)
        return false;
    std::vector<std::string> shared = string_list(paths.get(), error);
    if (!error->empty())
        return false;
    if (shared.empty()) {
        const std::string corpus = shared_corpus_dir(error);
        if (!error->empty())
            return false;
        std::fprintf(stderr,
                     "bench: %s is absent (set JCODEC_SHARED_DIR to its parent); "
                     "running on the generated corpus only\n",
                     corpus.c_str());
    }
    for (const std::string &path : shared) {
        auto d = std::make_unique<Dataset>();
        d->name = file_stem(path);
        d->origin = "shared";
        std::string bytes;
        if (!read_file(path, &bytes)) {
            *error = "cannot read " + path;
            return false;
        }
        d->document =
            Ref(PyBytes_FromStringAndSize(bytes.data(), static_cast<Py_ssize_t>(bytes.size())));
        if (!d->document) {
            *error = take_error(path);
            return false;
        }
        if (!finish_dataset(d.get(), error))
            return false;
        out->push_back(std::move(d));
    }

    Ref shapes = call_bench_data("shapes", nullptr, error);
    if (!shapes)
        return false;
    for (const std::string &shape : string_list(shapes.get(), error)) {
        auto d = std::make_unique<Dataset>();
        d->name = shape;
        d->origin = "generated";
        Ref call_args(Py_BuildValue("(snN)", shape.c_str(), static_cast<Py_ssize_t>(kGeneratedSize),
                                    PyUnicode_FromString(where.data_dir.c_str())));
        d->document = call_args ? call_bench_data("generated", call_args.get(), error) : Ref();
        if (!d->document || !PyBytes_Check(d->document.get())) {
            if (error->empty())
                *error = "bench_data.generated(" + shape + ") did not return bytes";
            return false;
        }
        if (!finish_dataset(d.get(), error))
            return false;
        out->push_back(std::move(d));
    }
    return error->empty();
}

std::vector<std::string> scaled_shapes(std::string *error)
{
    Ref shapes = call_bench_data("scaled_shapes", nullptr, error);
    return shapes ? string_list(shapes.get(), error) : std::vector<std::string>();
}

PyObject *scaled_document(const std::string &shape, size_t size, std::string *error)
{
    Ref &slot = scaled_documents[{shape, size}];
    if (!slot) {
        Ref args(Py_BuildValue("(snN)", shape.c_str(), static_cast<Py_ssize_t>(size),
                               PyUnicode_FromString(locations().data_dir.c_str())));
        slot = args ? call_bench_data("scaled", args.get(), error) : Ref();
        if (slot && !PyBytes_Check(slot.get())) {
            slot.reset();
            *error = "bench_data.scaled did not return bytes";
        }
    }
    return slot.get();
}

void release_datasets(std::vector<std::unique_ptr<Dataset>> *datasets)
{
    datasets->clear();
    scaled_documents.clear();
}

}  // namespace bench
