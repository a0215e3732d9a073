/* fuzz_detect.c — libFuzzer harness of the DB post-processing: the input is a
 * small probability map (2 bytes of size, then one byte per pixel), run in quad,
 * slow-score, dilated and polygon modes; then the same bytes as a polygon for the
 * unclip, fillPoly and approxPolyDP ports. Nothing may crash, hang or leave the
 * bounds of the image. */
#include "tl_internal.h"
#include "det/det_internal.h"
#include <stdint.h>

static void post(const float *prob, int w, int h, int mode)
{
	tl_det_params p;
	tl_det_params_init(&p);
	p.score_mode = mode == 1 ? TL_DET_SCORE_SLOW : TL_DET_SCORE_FAST;
	p.dilate = mode == 2;
	p.shape = mode == 3 ? TL_SHAPE_POLY : TL_SHAPE_QUAD;
	p.box_thresh = 0.3;
	tl_dataset *ds = tl_dataset_new();
	tl_image *im = ds ? tl_dataset_add_image(ds, "f") : NULL;
	tl_error err;
	if (im && tl_det_postprocess(prob, w, h, 3 * w + 1, 2 * h + 1, &p, ds, im, &err) == TL_OK)
		for (size_t i = 0; i < im->nregions; i++)
			for (size_t k = 0; k < im->regions[i].geom.n; k++)
				if (im->regions[i].geom.pts[k].x < 0 || im->regions[i].geom.pts[k].x > 3 * w ||
				    im->regions[i].geom.pts[k].y < 0 || im->regions[i].geom.pts[k].y > 2 * h)
					__builtin_trap();
	tl_dataset_free(ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	int w = 1 + data[0] % 64, h = 1 + data[1] % 64;
	size_t npix = (size_t)w * h;
	float *prob = calloc(npix, sizeof *prob);
	if (!prob)
		return 0;
	for (size_t i = 0; i < npix && 2 + i < size; i++)
		prob[i] = data[2 + i] / 255.0f;
	for (int mode = 0; mode < 4; mode++)
		post(prob, w, h, mode);
	free(prob);

	/* The bytes as a polygon of signed coordinates. */
	size_t n = (size - 2) / 2;
	if (n > 64)
		n = 64;
	tl_ipt pts[64], approx[65];
	for (size_t i = 0; i < n; i++) {
		pts[i].x = (int8_t)data[2 + 2 * i];
		pts[i].y = (int8_t)data[3 + 2 * i];
	}
	if (n >= 1) {
		uint8_t mask[40 * 30] = { 0 };
		tl_fill_poly(mask, 40, 30, pts, n);
		size_t an = tl_approx_poly_dp(pts, n, data[0] / 16.0, approx);
		if (an > n)
			__builtin_trap();
		tl_ipt *g;
		size_t ng;
		if (tl_unclip(pts, n, data[1] / 8.0, &g, &ng) == TL_OK)
			free(g);
	}
	return 0;
}
