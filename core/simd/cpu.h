/* The instruction sets the kernels are written for, what the running CPU
 * supports, and which one JCODEC_ISA asks for. Both dispatches read it once per
 * process: the string scanner (scan.c) and the str writers (utf8.c). */
#ifndef JC_SIMD_CPU_H
#define JC_SIMD_CPU_H

#include "compiler.h"

/* Ordered: each one implies the ones before it (on x86-64; elsewhere only
 * JC_ISA_SCALAR exists). JC_ISA_AVX512 means AVX-512 F, BW and VL. */
typedef enum jc_isa {
    JC_ISA_SCALAR,
    JC_ISA_SSE2,
    JC_ISA_AVX2,
    JC_ISA_AVX512,
} jc_isa;

/* The widest instruction set the CPU (and the OS, for the AVX register state)
 * supports. */
jc_isa jc_cpu_isa(void);

/* The instruction set to use: JCODEC_ISA=scalar|sse2|avx2|avx512 from the
 * environment when it names one the CPU supports, else jc_cpu_isa() (a forced
 * ISA the CPU lacks, or an unknown name, is ignored). */
jc_isa jc_isa_wanted(void);

/* "scalar", "sse2", "avx2" or "avx512". */
const char *jc_isa_name(jc_isa isa);

/* Whether the running CPU supports AVX2 (tests skip the AVX2 comparison if not). */
int jc_cpu_has_avx2(void);

#endif /* JC_SIMD_CPU_H */
