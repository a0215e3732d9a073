/* fast_avx2.c — the vector kernels for AVX2 + FMA (8 floats per vector). Built with
 * -mavx2 -mfma by the Makefile; chosen at run time only when cpuid reports both. */
#include "tl_internal.h"
#include "nn_internal.h"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

#define VF __m256
#define VL 8
#define NRV 2
#define V_LOAD(p) _mm256_loadu_ps(p)
#define V_STORE(p, x) _mm256_storeu_ps(p, x)
#define V_SET1(x) _mm256_set1_ps(x)
#define V_ZERO() _mm256_setzero_ps()
#define V_FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define V_ADD(a, b) _mm256_add_ps(a, b)
#define V_MUL(a, b) _mm256_mul_ps(a, b)
#define V_MAX(a, b) _mm256_max_ps(a, b)
#define V_MIN(a, b) _mm256_min_ps(a, b)
#define V_DIV(a, b) _mm256_div_ps(a, b)
#define V_SUB(a, b) _mm256_sub_ps(a, b)
#define V_ROUND(a) _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
/* p * 2^n for integral n in [-126, 127]: n added to the exponent field */
#define V_POW2N(p, n) _mm256_castsi256_ps(_mm256_add_epi32(_mm256_castps_si256(p), \
	_mm256_slli_epi32(_mm256_cvtps_epi32(n), 23)))
/* two vectors stored interleaved: a0 b0 a1 b1 ... */
#define V_INTERLEAVE(dst, a, b) do { __m256 lo_ = _mm256_unpacklo_ps(a, b), hi_ = _mm256_unpackhi_ps(a, b); \
	_mm256_storeu_ps(dst, _mm256_permute2f128_ps(lo_, hi_, 0x20)); \
	_mm256_storeu_ps((dst) + 8, _mm256_permute2f128_ps(lo_, hi_, 0x31)); } while (0)
/* the even-indexed floats of p[0 .. 2 VL) */
#define V_EVENS(p) _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd( \
	_mm256_shuffle_ps(_mm256_loadu_ps(p), _mm256_loadu_ps((p) + 8), 0x88)), 0xd8))
#define KERNELS nn_kernels_avx2
#define KNAME "avx2"
#include "fast_impl.h"

#else
/* Not an x86 build: never selected (nn_cpu_isa reports no AVX2). */
const nn_kernels nn_kernels_avx2 = { "avx2-unavailable", 1, 1, NULL, NULL, NULL, NULL, NULL, NULL };
#endif
