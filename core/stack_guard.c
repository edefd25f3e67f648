/* Recursion guard: the thread's stack floor and the call bracket. See
 * stack_guard.h. */
#include "stack_guard.h"

#include <pthread.h> /* pthread_getattr_np: Python.h defines _GNU_SOURCE */

/* Per thread: every thread has its own stack (threading.stack_size() may make
 * it small). Zero-initialised: not looked up yet. */
static _Thread_local struct {
    bool known;
    const char *floor;
} this_thread;

static const char *find_stack_floor(void)
{
    pthread_attr_t attr;
    void *low = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return NULL;
    int status = pthread_attr_getstack(&attr, &low, &size);
    pthread_attr_destroy(&attr);
    if (status != 0 || low == NULL || size == 0)
        return NULL;
    size_t margin = size / 4 < JC_STACK_MARGIN ? size / 4 : JC_STACK_MARGIN;
    return (const char *)low + margin;
}

const char *jc_stack_floor(void)
{
    if (jc_unlikely(!this_thread.known)) {
        this_thread.floor = find_stack_floor();
        this_thread.known = true;
    }
    return this_thread.floor;
}

int jc_stack_fail(const char *what)
{
    PyErr_Format(PyExc_RecursionError,
                 "maximum recursion depth exceeded%s (the C stack is nearly full)", what);
    return -1;
}

int jc_recursion_enter(const char *what, size_t need, const char **floor)
{
    if (Py_EnterRecursiveCall(what) != 0)
        return -1;
    const char *limit = jc_stack_floor();
    *floor = limit;
    if (limit != NULL && jc_stack_pointer() < limit + need) {
        Py_LeaveRecursiveCall();
        return jc_stack_fail(what);
    }
    return 0;
}

void jc_recursion_leave(void)
{
    Py_LeaveRecursiveCall();
}
