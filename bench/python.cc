#include "python.h"

namespace bench
{

bool start_interpreter(const std::string &source_dir, std::string *error)
{
    if (PyImport_AppendInittab("jcodec", PyInit_jcodec) < 0) {
        *error = "cannot register the jcodec module";
        return false;
    }
    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    // Ctrl-C must stop the benchmark: Python's handler would only set a flag
    // that no Python code is running to see.
    config.install_signal_handlers = 0;
    // The interpreter the project was configured with: the prefix, and so the
    // standard library and site-packages (orjson), are found from its path, as
    // they are when that interpreter runs.
    PyStatus status = PyConfig_SetBytesString(&config, &config.program_name, JC_BENCH_PYTHON);
    if (!PyStatus_Exception(status))
        status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status)) {
        *error = std::string("Python initialisation failed: ") +
                 (status.err_msg ? status.err_msg : "unknown error");
        return false;
    }
    PyObject *path = PySys_GetObject("path");  // borrowed
    Ref bench_dir(PyUnicode_FromString((source_dir + "/bench").c_str()));
    if (path == nullptr || !bench_dir || PyList_Append(path, bench_dir.get()) < 0) {
        *error = take_error("cannot extend sys.path");
        return false;
    }
    return true;
}

void stop_interpreter()
{
    Py_FinalizeEx();
}

std::string take_error(const std::string &context)
{
    if (!PyErr_Occurred())
        return context;
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    std::string text = context.empty() ? "" : context + ": ";
    if (type != nullptr)
        text += reinterpret_cast<PyTypeObject *>(type)->tp_name;
    if (value != nullptr) {
        Ref message(PyObject_Str(value));
        const char *utf8 = message ? PyUnicode_AsUTF8(message.get()) : nullptr;
        if (utf8 != nullptr && *utf8 != 0)
            text += std::string(": ") + utf8;
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
    PyErr_Clear();
    return text;
}

Ref import_attribute(const char *module, const char *name, std::string *error)
{
    Ref imported(PyImport_ImportModule(module));
    if (!imported) {
        *error = take_error(std::string("import ") + module);
        return Ref();
    }
    Ref attribute(PyObject_GetAttrString(imported.get(), name));
    if (!attribute)
        *error = take_error(std::string(module) + "." + name);
    return attribute;
}

Ref call_function(const char *module, const char *function, PyObject *args, std::string *error)
{
    Ref fn = import_attribute(module, function, error);
    if (!fn)
        return Ref();
    Ref result(PyObject_CallObject(fn.get(), args));
    if (!result)
        *error = take_error(std::string(module) + "." + function);
    return result;
}

}  // namespace bench
