/* The bulk of the egress checksum with AVX2 when the CPU has it (checked at
 * run time: the DPDK build targets a baseline x86-64), 32 bytes per step. */
#include "csum.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) static uint64_t
sum_avx2(const uint8_t **pp, uint32_t *lenp)
{
	const __m256i zero = _mm256_setzero_si256();
	__m256i acc = zero;
	const uint8_t *p = *pp;
	uint32_t len = *lenp, lane[8];
	uint64_t sum = 0;

	/* 16-bit words widened to 32-bit lanes: each lane takes two words a
	 * step, so 2^15 steps (1 MiB) cannot overflow it. */
	for (; len >= 32; len -= 32, p += 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)p);

		acc = _mm256_add_epi32(acc, _mm256_unpacklo_epi16(v, zero));
		acc = _mm256_add_epi32(acc, _mm256_unpackhi_epi16(v, zero));
	}
	_mm256_storeu_si256((__m256i *)lane, acc);
	for (int i = 0; i < 8; i++)
		sum += lane[i];
	*pp = p;
	*lenp = len;
	return sum;
}
#endif

uint16_t
vg_csum_bytes(const void *data, uint32_t len, uint64_t sum)
{
#if defined(__x86_64__)
	if (len >= 64 && len <= (1u << 20) && __builtin_cpu_supports("avx2")) {
		const uint8_t *p = data;

		sum += sum_avx2(&p, &len);
		return vg_csum_raw(p, len, sum);
	}
#endif
	return vg_csum_raw(data, len, sum);
}
