/* resize.c — bilinear resizing that reproduces OpenCV's cv2.resize(INTER_LINEAR)
 * on uint8 bit for bit (checked against OpenCV 4.6; tests/unit/test_image_resize.c
 * holds values it produced). What has to match:
 *   - the scale is 1 / (dst / src) in double; source x of output column dx is
 *     (float)((dx + 0.5) * scale - 0.5), floored, and the fraction taken in float;
 *   - columns left of 0 or at/after the last source column use weight (1, 0) on the
 *     clamped column; rows are clamped but keep their fraction;
 *   - weights are round-half-even(w * 2048) as 16-bit integers;
 *   - the horizontal pass keeps exact integer sums (value * 2048);
 *   - the vertical pass is not the exact (S0*b0 + S1*b1 + 2^21) >> 22: OpenCV's
 *     uint8 specialisation (vector loops and scalar tail alike) drops 4 bits first
 *     and keeps the high halves of 16-bit products:
 *     ((((S0 >> 4) * b0) >> 16) + (((S1 >> 4) * b1) >> 16) + 2) >> 2;
 *   - an exact 2x reduction on both axes is done as OpenCV's INTER_AREA (mean of
 *     each 2x2 block, (sum + 2) >> 2), since OpenCV switches to it there;
 *   - equal sizes copy. */
#include "image_int.h"

#include <float.h>
#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define COEF_ONE 2048 /* 11-bit fixed-point weights */

static int16_t coef(float w)
{
	/* saturate_cast<short>(float): round half to even. */
	float v = w * (float)COEF_ONE;
	long r = lrintf(v);
	return (int16_t)(r < -32768 ? -32768 : r > 32767 ? 32767 : r);
}

static int area2(const tl_pixmap *s, tl_pixmap *d)
{
	int c = s->channels;
	size_t ss = (size_t)s->width * c, ds = (size_t)d->width * c;
	for (int y = 0; y < d->height; y++) {
		const uint8_t *r0 = s->data + (size_t)(2 * y) * ss, *r1 = r0 + ss;
		uint8_t *o = d->data + (size_t)y * ds;
		for (int x = 0; x < d->width; x++) {
			for (int k = 0; k < c; k++) {
				size_t i = (size_t)(2 * x) * c + k;
				unsigned sum = r0[i] + r0[i + c] + r1[i] + r1[i + c];
				/* OpenCV's fast path (1, 3, 4 channels) rounds half up; its
				 * generic one rounds half to even. */
				o[(size_t)x * c + k] = (c == 2) ? (uint8_t)lrintf((float)sum * 0.25f)
								: (uint8_t)((sum + 2) >> 2);
			}
		}
	}
	return TL_OK;
}

/* Horizontal pass of one source row: exact integer sums value * weight. x0/x1 are
 * the element offsets of the two source pixels of each output pixel. The channel
 * count is a compile-time constant in the common cases so the inner loop unrolls. */
static inline void hpass_n(const uint8_t *row, int dw, const int *x0, const int *x1,
			   const int16_t *alpha, int32_t *out, const int c)
{
	for (int dx = 0; dx < dw; dx++) {
		const uint8_t *p0 = row + x0[dx], *p1 = row + x1[dx];
		int a0 = alpha[2 * dx], a1 = alpha[2 * dx + 1];
		for (int k = 0; k < c; k++)
			out[k] = p0[k] * a0 + p1[k] * a1;
		out += c;
	}
}

static void hpass(const uint8_t *row, int c, int dw, const int *x0, const int *x1,
		  const int16_t *alpha, int32_t *out)
{
	switch (c) {
	case 1: hpass_n(row, dw, x0, x1, alpha, out, 1); break;
	case 3: hpass_n(row, dw, x0, x1, alpha, out, 3); break;
	case 4: hpass_n(row, dw, x0, x1, alpha, out, 4); break;
	default: hpass_n(row, dw, x0, x1, alpha, out, c); break;
	}
}

int tl_resize_bilinear(const tl_pixmap *src, int dst_w, int dst_h, tl_pixmap *dst, tl_error *err)
{
	memset(dst, 0, sizeof *dst);
	if (!src || !src->data || src->width <= 0 || src->height <= 0 || src->channels < 1 ||
	    src->channels > 4)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "invalid source image for resize");
	if (dst_w <= 0 || dst_h <= 0 || (uint64_t)dst_w * (uint64_t)dst_h > TL_MAX_PIXELS)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "invalid resize target %dx%d",
				    dst_w, dst_h);
	int sw = src->width, sh = src->height, c = src->channels;
	TL_TRY(tl_pixmap_alloc(dst, dst_w, dst_h, c, err));
	if (sw == dst_w && sh == dst_h) {
		memcpy(dst->data, src->data, (size_t)sw * sh * c);
		return TL_OK;
	}
	double scale_x = 1.0 / ((double)dst_w / sw), scale_y = 1.0 / ((double)dst_h / sh);
	double isx = rint(scale_x), isy = rint(scale_y);
	if (isx == 2 && isy == 2 && fabs(scale_x - isx) < DBL_EPSILON &&
	    fabs(scale_y - isy) < DBL_EPSILON)
		return area2(src, dst);

	int *xofs = malloc((size_t)dst_w * 2 * sizeof *xofs), *xofs1 = xofs + dst_w;
	int16_t *alpha = malloc((size_t)dst_w * 2 * sizeof *alpha);
	size_t rowlen = (size_t)dst_w * c;
	int32_t *buf0 = malloc(rowlen * sizeof *buf0), *buf1 = malloc(rowlen * sizeof *buf1);
	if (!xofs || !alpha || !buf0 || !buf1) {
		free(xofs), free(alpha), free(buf0), free(buf1);
		tl_pixmap_free(dst);
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	for (int dx = 0; dx < dst_w; dx++) {
		float fx = (float)((dx + 0.5) * scale_x - 0.5);
		int sx = (int)floorf(fx);
		fx -= (float)sx;
		if (sx < 0)
			fx = 0, sx = 0;
		if (sx >= sw - 1)
			fx = 0, sx = sw - 1;
		xofs[dx] = sx * c;
		xofs1[dx] = (sx + 1 < sw ? sx + 1 : sx) * c;
		alpha[2 * dx] = coef(1.f - fx);
		alpha[2 * dx + 1] = coef(fx);
	}
	size_t n = rowlen;
	int have0 = -1, have1 = -1; /* source rows held in buf0 / buf1 */
	size_t sstride = (size_t)sw * c;
	for (int dy = 0; dy < dst_h; dy++) {
		float fy = (float)((dy + 0.5) * scale_y - 0.5);
		int sy = (int)floorf(fy);
		fy -= (float)sy;
		int b0 = coef(1.f - fy), b1 = coef(fy);
		int y0 = sy < 0 ? 0 : sy >= sh ? sh - 1 : sy;
		int y1 = sy + 1 < 0 ? 0 : sy + 1 >= sh ? sh - 1 : sy + 1;
		if (have0 != y0) {
			if (have1 == y0) { /* moving down one row: reuse */
				int32_t *t = buf0;
				buf0 = buf1, buf1 = t;
				have0 = y0, have1 = -1;
			} else {
				hpass(src->data + (size_t)y0 * sstride, c, dst_w, xofs, xofs1, alpha, buf0);
				have0 = y0;
			}
		}
		if (have1 != y1) {
			if (y1 == y0)
				memcpy(buf1, buf0, rowlen * sizeof *buf1);
			else
				hpass(src->data + (size_t)y1 * sstride, c, dst_w, xofs, xofs1, alpha, buf1);
			have1 = y1;
		}
		uint8_t *o = dst->data + (size_t)dy * rowlen;
		/* Sums are at most 255 * 2048 and b0 + b1 = 2048, so the result is at most
		 * (1020 + 2) >> 2 = 255: no clamping, and the loop vectorises. */
		const int32_t *r0 = buf0, *r1 = buf1;
		size_t x = 0;
#ifdef __SSE2__
		/* The same arithmetic 16 lanes at a time: S >> 4 fits int16 (at most 32640),
		 * and _mm_mulhi_epi16 is exactly (a * b) >> 16. */
		const __m128i vb0 = _mm_set1_epi16((short)b0), vb1 = _mm_set1_epi16((short)b1);
		const __m128i two = _mm_set1_epi16(2);
		for (; x + 16 <= n; x += 16) {
			__m128i out[2];
			for (int h = 0; h < 2; h++) {
				const int32_t *a = r0 + x + 8 * h, *b = r1 + x + 8 * h;
				__m128i s0 = _mm_packs_epi32(_mm_srai_epi32(_mm_loadu_si128((const __m128i *)a), 4),
							     _mm_srai_epi32(_mm_loadu_si128((const __m128i *)(a + 4)), 4));
				__m128i s1 = _mm_packs_epi32(_mm_srai_epi32(_mm_loadu_si128((const __m128i *)b), 4),
							     _mm_srai_epi32(_mm_loadu_si128((const __m128i *)(b + 4)), 4));
				__m128i v = _mm_add_epi16(_mm_mulhi_epi16(s0, vb0), _mm_mulhi_epi16(s1, vb1));
				out[h] = _mm_srai_epi16(_mm_add_epi16(v, two), 2);
			}
			_mm_storeu_si128((__m128i *)(o + x), _mm_packus_epi16(out[0], out[1]));
		}
#endif
		for (; x < n; x++)
			o[x] = (uint8_t)(((((r0[x] >> 4) * b0) >> 16) + (((r1[x] >> 4) * b1) >> 16) + 2) >> 2);
	}
	free(xofs), free(alpha), free(buf0), free(buf1);
	return TL_OK;
}
