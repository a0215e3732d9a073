/* heatmap.c — float maps (probability maps) as RGB images. */
#include "image_int.h"

#include <math.h>

/* Control points of the colour scale, evenly spaced over [0, 1]: dark blue for
 * nothing, through blue, cyan, yellow to red, so that DB's 0.3 binarisation
 * threshold falls between blue and cyan and stands out. */
static const uint8_t stops[][3] = {
	{ 0, 0, 48 }, { 0, 40, 200 }, { 0, 200, 230 }, { 250, 230, 0 }, { 220, 0, 0 },
};

int tl_heatmap(const float *map, int w, int h, float lo, float hi, tl_pixmap *out, tl_error *err)
{
	memset(out, 0, sizeof *out);
	if (!map || w <= 0 || h <= 0)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "invalid heatmap %dx%d", w, h);
	if (!(lo < hi))
		lo = 0.f, hi = 1.f;
	TL_TRY(tl_pixmap_alloc(out, w, h, 3, err));
	const int nseg = (int)TL_ARRAY_LEN(stops) - 1;
	size_t n = (size_t)w * h;
	for (size_t i = 0; i < n; i++) {
		uint8_t *o = out->data + 3 * i;
		float v = map[i];
		if (isnan(v)) {
			o[0] = o[1] = o[2] = 0;
			continue;
		}
		float t = (v - lo) / (hi - lo);
		t = t < 0.f ? 0.f : t > 1.f ? 1.f : t;
		float pos = t * (float)nseg;
		int s = (int)pos;
		if (s >= nseg)
			s = nseg - 1;
		float f = pos - (float)s;
		for (int k = 0; k < 3; k++)
			o[k] = (uint8_t)lrintf((float)stops[s][k] + f * (float)(stops[s + 1][k] - stops[s][k]));
	}
	return TL_OK;
}
