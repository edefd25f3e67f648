// The embedded interpreter: start-up with the jcodec module built in, owned
// references, and Python errors as text for SkipWithError. The benchmarks run
// on the main thread, which holds the GIL from start to finish.
#ifndef JC_BENCH_PYTHON_H
#define JC_BENCH_PYTHON_H

#include <string>

#include "core.h"

namespace bench
{

// An owned reference (released on destruction), move-only.
class Ref
{
  public:
    Ref() = default;
    explicit Ref(PyObject *object) : object_(object) {}
    Ref(const Ref &) = delete;
    Ref &operator=(const Ref &) = delete;
    Ref(Ref &&other) noexcept : object_(other.release()) {}
    Ref &operator=(Ref &&other) noexcept
    {
        reset(other.release());
        return *this;
    }
    ~Ref() { Py_XDECREF(object_); }

    PyObject *get() const { return object_; }
    PyObject *release()
    {
        PyObject *object = object_;
        object_ = nullptr;
        return object;
    }
    void reset(PyObject *object = nullptr)
    {
        PyObject *old = object_;
        object_ = object;
        Py_XDECREF(old);
    }
    explicit operator bool() const { return object_ != nullptr; }

  private:
    PyObject *object_ = nullptr;
};

// Starts CPython with `jcodec` registered as a built-in module and the
// project's bench/ directory on sys.path. Returns false with *error set.
bool start_interpreter(const std::string &source_dir, std::string *error);
void stop_interpreter();

// The pending Python exception as "Type: message" (cleared); `context` is
// prefixed. For a failure without an exception, just the context.
std::string take_error(const std::string &context);

// module.name as a new reference, or empty with *error set.
Ref import_attribute(const char *module, const char *name, std::string *error);

// module.function(*args), or module.function() when args is null; empty with
// *error set on failure (the bench_*.py helpers' calls).
Ref call_function(const char *module, const char *function, PyObject *args, std::string *error);

}  // namespace bench

#endif  // JC_BENCH_PYTHON_H
