/* CPU detection and JCODEC_ISA (cpu.h). */
#include "simd/cpu.h"

#include <stdlib.h>
#include <string.h>

static const char *const isa_names[] = {"scalar", "sse2", "avx2", "avx512"};

const char *jc_isa_name(jc_isa isa)
{
    return isa_names[isa];
}

jc_isa jc_cpu_isa(void)
{
#if JC_HAVE_SSE2
    /* __builtin_cpu_supports reports AVX2 and AVX-512 only when the OS saves
     * their registers (XCR0), so a supported ISA is a usable one. */
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl"))
        return JC_ISA_AVX512;
    if (__builtin_cpu_supports("avx2"))
        return JC_ISA_AVX2;
    return JC_ISA_SSE2;
#else
    return JC_ISA_SCALAR;
#endif
}

jc_isa jc_isa_wanted(void)
{
    jc_isa cpu = jc_cpu_isa();
    const char *forced = getenv("JCODEC_ISA");
    if (forced == NULL)
        return cpu;
    for (int isa = JC_ISA_SCALAR; isa <= (int)cpu; isa++)
        if (strcmp(forced, isa_names[isa]) == 0)
            return (jc_isa)isa;
    return cpu;
}

int jc_cpu_has_avx2(void)
{
    return jc_cpu_isa() >= JC_ISA_AVX2;
}
