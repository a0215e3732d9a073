/* fast_avx512.c — the vector kernels for AVX-512F (16 floats per vector). Built with
 * -mavx512f... by the Makefile; chosen at run time only when cpuid reports it. */
#include "tl_internal.h"
#include "nn_internal.h"

#if defined(__AVX512F__)
#include <immintrin.h>

#define VF __m512
#define VL 16
#define NRV 4
#define V_LOAD(p) _mm512_loadu_ps(p)
#define V_STORE(p, x) _mm512_storeu_ps(p, x)
#define V_SET1(x) _mm512_set1_ps(x)
#define V_ZERO() _mm512_setzero_ps()
#define V_FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define V_ADD(a, b) _mm512_add_ps(a, b)
#define V_MUL(a, b) _mm512_mul_ps(a, b)
#define V_MAX(a, b) _mm512_max_ps(a, b)
#define V_MIN(a, b) _mm512_min_ps(a, b)
#define V_DIV(a, b) _mm512_div_ps(a, b)
#define V_SUB(a, b) _mm512_sub_ps(a, b)
#define V_ROUND(a) _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define V_POW2N(p, n) _mm512_scalef_ps(p, n)
/* two vectors stored interleaved: a0 b0 a1 b1 ... */
#define V_INTERLEAVE(dst, a, b) do { VF a_ = (a), b_ = (b); \
	_mm512_storeu_ps(dst, _mm512_permutex2var_ps(a_, _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, \
		19, 3, 18, 2, 17, 1, 16, 0), b_)); \
	_mm512_storeu_ps((dst) + 16, _mm512_permutex2var_ps(a_, _mm512_set_epi32(31, 15, 30, 14, 29, 13, \
		28, 12, 27, 11, 26, 10, 25, 9, 24, 8), b_)); } while (0)
/* the even-indexed floats of p[0 .. 2 VL) */
#define V_EVENS(p) _mm512_permutex2var_ps(_mm512_loadu_ps(p), _mm512_set_epi32(30, 28, 26, 24, \
	22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0), _mm512_loadu_ps((p) + 16))
#define KERNELS nn_kernels_avx512
#define KNAME "avx512"
#include "fast_impl.h"

#else
const nn_kernels nn_kernels_avx512 = { "avx512-unavailable", 1, 1, NULL, NULL, NULL, NULL, NULL, NULL };
#endif
