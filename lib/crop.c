/* crop.c — cutting a region out of its image as an upright word image: a
 * perspective (homography) warp of the region's four corners onto a rectangle,
 * bilinear sampling, optional margin and fixed output height. */
#include "tl_internal.h"
#include <math.h>    /* hypot, floor, lround, fabs */

#define CROP_MAX_SIDE 8192
#define CROP_MAX_PIXELS ((uint64_t)1 << 26)

/* Solves the 8 unknowns of the homography that maps the rectangle (0,0), (w,0), (w,h),
 * (0,h) onto q[0..3] (h33 = 1), by Gaussian elimination with partial pivoting.
 * Returns 0 when the corners are degenerate. */
static int homography(const tl_point q[4], double w, double h, double H[9])
{
	const double u[4] = { 0, w, w, 0 }, v[4] = { 0, 0, h, h };
	double A[8][9];
	for (int i = 0; i < 4; i++) {
		double *a = A[2 * i], *b = A[2 * i + 1];
		a[0] = u[i]; a[1] = v[i]; a[2] = 1; a[3] = 0; a[4] = 0; a[5] = 0;
		a[6] = -u[i] * q[i].x; a[7] = -v[i] * q[i].x; a[8] = q[i].x;
		b[0] = 0; b[1] = 0; b[2] = 0; b[3] = u[i]; b[4] = v[i]; b[5] = 1;
		b[6] = -u[i] * q[i].y; b[7] = -v[i] * q[i].y; b[8] = q[i].y;
	}
	for (int c = 0; c < 8; c++) {
		int p = c;
		for (int r = c + 1; r < 8; r++)
			if (fabs(A[r][c]) > fabs(A[p][c]))
				p = r;
		if (fabs(A[p][c]) < 1e-12)
			return 0;
		if (p != c)
			for (int k = 0; k < 9; k++) {
				double t = A[c][k];
				A[c][k] = A[p][k];
				A[p][k] = t;
			}
		for (int r = 0; r < 8; r++) {
			if (r == c)
				continue;
			double f = A[r][c] / A[c][c];
			for (int k = c; k < 9; k++)
				A[r][k] -= f * A[c][k];
		}
	}
	for (int i = 0; i < 8; i++)
		H[i] = A[i][8] / A[i][i];
	H[8] = 1;
	for (int i = 0; i < 9; i++)
		if (!isfinite(H[i]))
			return 0;
	return 1;
}

/* Bilinear sample at continuous (x, y) (pixel (i, j) covers [i, i+1) x [j, j+1)),
 * borders replicated. */
static void sample(const tl_pixmap *img, double x, double y, uint8_t *out)
{
	int C = img->channels;
	double fx = x - 0.5, fy = y - 0.5;
	double x0f = floor(fx), y0f = floor(fy);
	double ax = fx - x0f, ay = fy - y0f;
	long x0 = (long)x0f, y0 = (long)y0f;
	long xs[2] = { x0, x0 + 1 }, ys[2] = { y0, y0 + 1 };
	for (int k = 0; k < 2; k++) {
		xs[k] = xs[k] < 0 ? 0 : xs[k] >= img->width ? img->width - 1 : xs[k];
		ys[k] = ys[k] < 0 ? 0 : ys[k] >= img->height ? img->height - 1 : ys[k];
	}
	for (int c = 0; c < C; c++) {
		double v00 = img->data[((size_t)ys[0] * img->width + xs[0]) * C + c];
		double v01 = img->data[((size_t)ys[0] * img->width + xs[1]) * C + c];
		double v10 = img->data[((size_t)ys[1] * img->width + xs[0]) * C + c];
		double v11 = img->data[((size_t)ys[1] * img->width + xs[1]) * C + c];
		double v = (v00 * (1 - ax) + v01 * ax) * (1 - ay) + (v10 * (1 - ax) + v11 * ax) * ay;
		long iv = lround(v);
		out[c] = (uint8_t)(iv < 0 ? 0 : iv > 255 ? 255 : iv);
	}
}

int tl_crop_region(const tl_pixmap *img, const tl_region *r, const tl_crop_opts *o,
		   tl_pixmap *out, tl_error *err)
{
	static const tl_crop_opts defaults;
	if (!o)
		o = &defaults;
	memset(out, 0, sizeof *out);
	if (!img->data || img->width <= 0 || img->height <= 0)
		return tl_error_set(err, TL_E_INPUT, NULL, 0, 0, "empty image");
	if (o->pad < 0 || !isfinite(o->pad) || o->pad > 10 || o->height < 0 ||
	    o->height > CROP_MAX_SIDE)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "bad crop options");
	tl_point q[4];
	const tl_geom *g = &r->geom;
	if (g->shape == TL_SHAPE_QUAD && g->n == 4 && g->pts) {
		/* the first vertex is the word's top-left in reading order (ICDAR): keep it,
		 * only a counter-clockwise ring is turned round it */
		memcpy(q, g->pts, sizeof q);
		if (tl_rrc_orientation(q, 4) > 0) {
			tl_point t = q[1];
			q[1] = q[3];
			q[3] = t;
		}
	} else if (g->shape == TL_SHAPE_POLY && g->n >= 3 && g->pts) {
		/* a curved word is cut by its minimum-area rectangle. Words run along the
		 * long side: of the two corners that start a long side (clockwise), take
		 * the one nearest the polygon's first vertex, which Total-Text and CTW1500
		 * put at the start of the reading order. */
		tl_rbox b = tl_min_area_rect(g->pts, g->n);
		tl_point c[4];
		tl_rbox_points(b, c);
		if (tl_rrc_orientation(c, 4) > 0) {
			tl_point t = c[1];
			c[1] = c[3];
			c[3] = t;
		}
		double s01 = hypot(c[1].x - c[0].x, c[1].y - c[0].y);
		double s12 = hypot(c[2].x - c[1].x, c[2].y - c[1].y);
		int a = s01 >= s12 ? 0 : 1, k0 = a;
		if (hypot(c[a + 2].x - g->pts[0].x, c[a + 2].y - g->pts[0].y) <
		    hypot(c[a].x - g->pts[0].x, c[a].y - g->pts[0].y))
			k0 = a + 2;
		for (int k = 0; k < 4; k++)
			q[k] = c[(k0 + k) % 4];
	} else if (g->shape == TL_SHAPE_RECT || g->shape == TL_SHAPE_RBOX) {
		if (tl_geom_points(g, q, 4) != 4)
			return tl_error_set(err, TL_E_INPUT, NULL, r->line, 0, "no geometry");
	} else {
		return tl_error_set(err, TL_E_INPUT, NULL, r->line, 0, "no geometry to crop");
	}
	for (int i = 0; i < 4; i++)
		if (!isfinite(q[i].x) || !isfinite(q[i].y))
			return tl_error_set(err, TL_E_INPUT, NULL, r->line, 0,
					    "non-finite coordinate");
	double w = fmax(hypot(q[1].x - q[0].x, q[1].y - q[0].y),
			hypot(q[2].x - q[3].x, q[2].y - q[3].y));
	double h = fmax(hypot(q[3].x - q[0].x, q[3].y - q[0].y),
			hypot(q[2].x - q[1].x, q[2].y - q[1].y));
	if (!(w >= 1) || !(h >= 1) || (o->min_size > 0 && fmin(w, h) < o->min_size))
		return tl_error_set(err, TL_E_INPUT, NULL, r->line, 0,
				    "region too small to crop (%.1f x %.1f px)", w, h);
	double H[9];
	if (!homography(q, w, h, H))
		return tl_error_set(err, TL_E_INPUT, NULL, r->line, 0,
				    "degenerate quadrilateral (no perspective transform)");
	double m = o->pad * h;
	double fw = w + 2 * m, fh = h + 2 * m;
	double scale = o->height > 0 ? o->height / fh : 1;
	double ow = ceil(fw * scale - 1e-9), oh = o->height > 0 ? o->height : ceil(fh - 1e-9);
	if (ow < 1)
		ow = 1;
	if (ow > CROP_MAX_SIDE || oh > CROP_MAX_SIDE || ow * oh > (double)CROP_MAX_PIXELS)
		return tl_error_set(err, TL_E_LIMIT, NULL, r->line, 0,
				    "crop of %.0f x %.0f pixels exceeds the limit", ow, oh);
	TL_TRY(tl_pixmap_alloc(out, (int)ow, (int)oh, img->channels, err));
	double sx = fw / ow, sy = fh / oh;
	for (int j = 0; j < out->height; j++) {
		double v = (j + 0.5) * sy - m;
		for (int i = 0; i < out->width; i++) {
			double u = (i + 0.5) * sx - m;
			double z = H[6] * u + H[7] * v + H[8];
			double x = (H[0] * u + H[1] * v + H[2]) / z;
			double y = (H[3] * u + H[4] * v + H[5]) / z;
			if (!isfinite(x) || !isfinite(y))
				x = y = 0;
			sample(img, x, y, out->data + ((size_t)j * out->width + i) * img->channels);
		}
	}
	return TL_OK;
}
