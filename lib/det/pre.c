/* pre.c — DB pre-processing as PaddleOCR's DetResizeForTest + NormalizeImage +
 * ToCHWImage compute it (protocols.md §11.2, golden/detect/README.md).
 *
 * Facts reproduced: ratio = limit/longer side only when the longer side exceeds
 * the limit (max), or limit/shorter side when the shorter side is below it (min),
 * in double; sides truncated; sides above 4000 scaled down again; each side then
 * max(round_half_even(side / 32) * 32, 32). The resize is OpenCV's uint8 bilinear
 * (tl_resize_bilinear). Normalisation runs in float32: px * float(1/255) - mean,
 * divided by std, the ImageNet RGB constants applied to the B, G, R planes in
 * that order (PaddleOCR's accepted quirk: its weights were trained that way). */
#include "tl_internal.h"
#include "det/det_internal.h"
#include <math.h>

#define MAX_SIDE_LIMIT 4000 /* PaddleOCR's max_side_limit */

static int round32(int side)
{
	double r = nearbyint((double)side / 32.0) * 32.0;
	int v = (int)r;
	return v < 32 ? 32 : v;
}

int tl_det_input_size(int src_w, int src_h, const tl_det_params *p, int *w, int *h)
{
	if (src_w <= 0 || src_h <= 0 || src_w > (1 << 24) || src_h > (1 << 24) || !p ||
	    p->limit_side <= 0)
		return TL_E_USAGE;
	int iw = src_w, ih = src_h;
	if (iw + ih < 64) { /* image_padding */
		iw = iw < 32 ? 32 : iw;
		ih = ih < 32 ? 32 : ih;
	}
	double ratio = 1.0, L = p->limit_side;
	if (p->limit_type == TL_DET_LIMIT_MIN) {
		if ((ih < iw ? ih : iw) < p->limit_side)
			ratio = ih < iw ? L / ih : L / iw;
	} else {
		if ((ih > iw ? ih : iw) > p->limit_side)
			ratio = ih > iw ? L / ih : L / iw;
	}
	int rh = (int)(ih * ratio), rw = (int)(iw * ratio);
	int mx = rh > rw ? rh : rw;
	if (mx > MAX_SIDE_LIMIT) {
		double r2 = (double)MAX_SIDE_LIMIT / mx;
		rh = (int)(rh * r2);
		rw = (int)(rw * r2);
	}
	*h = round32(rh);
	*w = round32(rw);
	return TL_OK;
}

int tl_det_preprocess(const tl_pixmap *src, const tl_det_params *p, float **tensor,
		      int *w, int *h, tl_error *err)
{
	*tensor = NULL;
	if (!src || !src->data || (src->channels != 1 && src->channels != 3))
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0,
				    "detector input must be a gray or RGB image");
	int tw, th;
	if (tl_det_input_size(src->width, src->height, p, &tw, &th) != TL_OK)
		return tl_error_set(err, TL_E_INPUT, NULL, 0, 0, "bad image size %dx%d",
				    src->width, src->height);
	tl_pixmap padded = { 0 }, resized = { 0 };
	const tl_pixmap *in = src;
	int c = src->channels;
	if (src->width + src->height < 64) {
		int pw = src->width < 32 ? 32 : src->width, ph = src->height < 32 ? 32 : src->height;
		TL_TRY(tl_pixmap_alloc(&padded, pw, ph, c, err));
		for (int y = 0; y < src->height; y++)
			memcpy(padded.data + (size_t)y * pw * c, src->data + (size_t)y * src->width * c,
			       (size_t)src->width * c);
		in = &padded;
	}
	int rc = tl_resize_bilinear(in, tw, th, &resized, err);
	tl_pixmap_free(&padded);
	if (rc != TL_OK)
		return rc;
	size_t plane = (size_t)tw * (size_t)th;
	float *t = malloc(3 * plane * sizeof *t);
	if (!t) {
		tl_pixmap_free(&resized);
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory for the input tensor");
	}
	static const float mean[3] = { 0.485f, 0.456f, 0.406f };
	static const float stdv[3] = { 0.229f, 0.224f, 0.225f };
	const float scale = (float)(1.0 / 255.0);
	/* Plane k takes BGR channel k: source channel 2 - k of RGB, 0 of gray. */
	for (int k = 0; k < 3; k++) {
		int sc = c == 3 ? 2 - k : 0;
		float *dst = t + (size_t)k * plane;
		const uint8_t *s = resized.data + sc;
		for (size_t i = 0; i < plane; i++) {
			float v = (float)s[i * (size_t)c] * scale;
			v = v - mean[k];
			dst[i] = v / stdv[k];
		}
	}
	tl_pixmap_free(&resized);
	*tensor = t;
	*w = tw;
	*h = th;
	return TL_OK;
}
