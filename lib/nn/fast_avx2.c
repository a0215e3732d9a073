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
#define KERNELS nn_kernels_avx2
#define KNAME "avx2"
#include "fast_impl.h"

#else
/* Not an x86 build: never selected (nn_cpu_isa reports no AVX2). */
const nn_kernels nn_kernels_avx2 = { "avx2-unavailable", 1, 1, NULL, NULL, NULL };
#endif
