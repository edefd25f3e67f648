/* Recursion guard: what keeps re-entry (a `default` that calls dumps or loads
 * again, at any recursion limit) from overflowing the C stack.
 *
 * Each loads and dumps call counts once against the interpreter's recursion
 * limit (Py_EnterRecursiveCall), and checks that this thread's stack still has
 * room: its lowest address plus a margin, the floor, must be below the caller's
 * frame. The encoder also checks the floor as it goes deeper (containers and
 * `default` results recurse on the C stack), so a call raises RecursionError
 * where it would otherwise overflow, whatever sys.setrecursionlimit() allows. */
#ifndef JC_STACK_GUARD_H
#define JC_STACK_GUARD_H

#include "compat.h"
#include <stdbool.h>

#include "compiler.h"

/* Room left above the floor for the Python code `default` runs from the
 * deepest point and for raising the error: 128 KiB, or a quarter of a smaller
 * thread stack. */
#define JC_STACK_MARGIN ((size_t)128 * 1024)

/* The lowest address this thread's frames may reach while jcodec runs, or
 * NULL when the thread's stack bounds are unknown (then only the recursion
 * limit applies). Computed once per thread. */
const char *jc_stack_floor(void);

/* The stack pointer. Read from the register where we can: taking a frame's
 * address would make every function that asks keep a frame pointer. */
JC_INLINE const char *jc_stack_pointer(void)
{
#if defined(__x86_64__)
    const char *sp;
    __asm__("mov %%rsp, %0" : "=r"(sp));
    return sp;
#elif defined(__aarch64__)
    const char *sp;
    __asm__("mov %0, sp" : "=r"(sp));
    return sp;
#else
    return (const char *)__builtin_frame_address(0);
#endif
}

/* Whether the stack has gone below the floor. Inline: the encoder asks once
 * per container. */
JC_INLINE bool jc_stack_exhausted(const char *floor)
{
    return jc_unlikely(jc_stack_pointer() < floor);
}

/* Raises RecursionError for a call that ran out of C stack; returns -1. `what`
 * follows "maximum recursion depth exceeded", as for Py_EnterRecursiveCall. */
int jc_stack_fail(const char *what);

/* Enters a loads or dumps call: counts it against the recursion limit and
 * checks that `need` bytes of stack are left above the floor (the call's own
 * frames before it checks again). Returns the floor (NULL: unknown) through
 * *floor. -1 with RecursionError set when either is exhausted; on success the
 * caller must call jc_recursion_leave. */
int jc_recursion_enter(const char *what, size_t need, const char **floor);
void jc_recursion_leave(void);

#endif /* JC_STACK_GUARD_H */
