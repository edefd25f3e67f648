/* Seeded 64-bit hash for object keys (at most 64 bytes in practice, any length
 * accepted). Multiply-fold mixing: each 16-byte block is folded through one
 * 64x64->128 multiply, which is what makes short keys cheap. The seed is drawn
 * per process (keycache.c) so input cannot be crafted to aim at cache slots. */
#ifndef JC_DECODE_HASH_H
#define JC_DECODE_HASH_H

#include "compiler.h"

#define JC_HASH_K0 UINT64_C(0xa0761d6478bd642f)
#define JC_HASH_K1 UINT64_C(0xe7037ed1a0b428db)
#define JC_HASH_K2 UINT64_C(0x8ebc6af09c88c6e3)

/* Folds the 128-bit product of a and b into 64 bits. */
JC_INLINE uint64_t jc_hash_fold(uint64_t a, uint64_t b)
{
    __uint128_t product = (__uint128_t)a * b;
    return (uint64_t)product ^ (uint64_t)(product >> 64);
}

JC_INLINE uint64_t jc_hash_bytes(const uint8_t *p, size_t len, uint64_t seed)
{
    uint64_t h = seed ^ jc_hash_fold(seed ^ JC_HASH_K0, (uint64_t)len ^ JC_HASH_K1);
    uint64_t a, b;
    if (jc_likely(len <= 16)) {
        /* Overlapping reads cover 4..16 bytes without a loop or a byte past the end. */
        if (len >= 8) {
            a = jc_load64(p);
            b = jc_load64(p + len - 8);
        } else if (len >= 4) {
            a = jc_load32(p);
            b = jc_load32(p + len - 4);
        } else if (len > 0) {
            a = ((uint64_t)p[0] << 16) | ((uint64_t)p[len >> 1] << 8) | p[len - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        size_t i = 0;
        for (; i + 16 < len; i += 16)
            h = jc_hash_fold(jc_load64(p + i) ^ JC_HASH_K1, jc_load64(p + i + 8) ^ h);
        a = jc_load64(p + len - 16);
        b = jc_load64(p + len - 8);
    }
    return jc_hash_fold(JC_HASH_K1 ^ (uint64_t)len,
                        jc_hash_fold(a ^ JC_HASH_K1, b ^ h) ^ JC_HASH_K2);
}

#endif /* JC_DECODE_HASH_H */
