/* Compiler and platform hints shared by every file in core/, fuzz/ and bench/.
 *
 * Hot paths are written as small static inline functions; these macros tell the
 * compiler which branches are cold so the common case stays a straight line. */
#ifndef JC_COMPILER_H
#define JC_COMPILER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#  define jc_likely(x)   __builtin_expect(!!(x), 1)
#  define jc_unlikely(x) __builtin_expect(!!(x), 0)
#  define JC_INLINE      static inline __attribute__((always_inline))
#  define JC_NOINLINE    __attribute__((noinline))
#  define JC_COLD        __attribute__((cold, noinline))
#  define jc_ctz64(x)    ((unsigned)__builtin_ctzll(x))
#  define jc_clz64(x)    ((unsigned)__builtin_clzll(x))
#  define jc_ctz32(x)    ((unsigned)__builtin_ctz(x))
#else
#  error "jcodec needs GCC or Clang (builtins for bit scanning and branch hints)"
#endif

/* The x86-64 ABI guarantees SSE2, so it is the baseline; wider instruction sets are
 * chosen at import time (simd/scan.h). Other architectures use the portable
 * scalar code; -DJC_PORTABLE (CMake's JCODEC_PORTABLE) builds that code on
 * x86-64 too, so that it is tested here (ci/gate_portable.sh). */
#if (defined(__x86_64__) || defined(_M_X64)) && !defined(JC_PORTABLE)
#  define JC_HAVE_SSE2 1
#else
#  define JC_HAVE_SSE2 0
#endif

/* Unaligned loads and stores without undefined behaviour; compile to one mov. */
JC_INLINE uint64_t jc_load64(const void *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
JC_INLINE uint32_t jc_load32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
JC_INLINE uint16_t jc_load16(const void *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}
JC_INLINE void jc_store64(void *p, uint64_t v)
{
    memcpy(p, &v, 8);
}
JC_INLINE void jc_store32(void *p, uint32_t v)
{
    memcpy(p, &v, 4);
}
JC_INLINE void jc_store16(void *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#  error "jcodec assumes a little-endian target"
#endif

#endif /* JC_COMPILER_H */
