/* post.c — DB post-processing: probability map -> text boxes in source-image
 * coordinates, as PaddleOCR's DBPostProcess and predict_det's filtering do it
 * (protocols.md §11.3-§11.4, golden/detect/README.md steps 1-6).
 *
 * Quad mode, per contour of the thresholded map (OpenCV order, at most
 * max_candidates): minimum-area rectangle -> ordered corners (get_mini_boxes);
 * short side < min_size: skip; score (mean probability in the box, or in the
 * contour for the slow mode) < box_thresh: skip; unclip by area*ratio/perimeter;
 * minimum-area rectangle of the grown polygon; short side < min_size + 2: skip;
 * scale to the source in float32 with round-half-to-even, clip to [0, src];
 * then the caller's filter: clockwise order by x+y / y-x, clip to [0, size-1]
 * with truncation, drop boxes whose first or last edge is <= 3 px.
 * Polygon mode approximates each contour (approxPolyDP, 0.002 * perimeter)
 * and keeps the grown polygon itself. */
#include "tl_internal.h"
#include "det/det_internal.h"
#include <math.h>

/* Contour points of a whole map are bounded by its border pixels; this caps
 * what a hostile map (a checkerboard) can make us store. */
#define MAX_CONTOUR_POINTS ((size_t)1 << 26)

void tl_det_params_init(tl_det_params *p)
{
	memset(p, 0, sizeof *p);
	p->thresh = 0.3;
	p->box_thresh = 0.6;
	p->unclip_ratio = 1.5;
	p->max_candidates = 1000;
	p->min_size = 3;
	p->score_mode = TL_DET_SCORE_FAST;
	p->shape = TL_SHAPE_QUAD;
	p->limit_side = 960;
	p->limit_type = TL_DET_LIMIT_MAX;
	p->dilate = 0;
}

int tl_det_params_check(const tl_det_params *p, tl_error *err)
{
	if (!(p->thresh >= 0 && p->thresh <= 1))
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "thresh must be in [0, 1]");
	if (!(p->box_thresh >= 0 && p->box_thresh <= 1))
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "box_thresh must be in [0, 1]");
	if (!(p->unclip_ratio >= 0 && p->unclip_ratio <= 100))
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "unclip ratio must be in [0, 100]");
	if (p->max_candidates < 1 || p->max_candidates > 1000000)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0,
				    "max candidates must be in [1, 1000000]");
	if (p->min_size < 0 || p->min_size > 100000)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "min size must be in [0, 100000]");
	if (p->score_mode != TL_DET_SCORE_FAST && p->score_mode != TL_DET_SCORE_SLOW)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "unknown score mode");
	if (p->shape != TL_SHAPE_QUAD && p->shape != TL_SHAPE_POLY)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "shape must be quad or poly");
	if (p->limit_side < 32 || p->limit_side > 8192)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "limit side must be in [32, 8192]");
	if (p->limit_type != TL_DET_LIMIT_MAX && p->limit_type != TL_DET_LIMIT_MIN)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "limit type must be max or min");
	return TL_OK;
}

/* get_mini_boxes: cv2.minAreaRect, cv2.boxPoints (float32), a stable sort by x,
 * then the left pair and the right pair each split by y. On equal y the second
 * point of a pair becomes the top one ("if points[1][1] > points[0][1]"). */
static float mini_box(const tl_point *pts, size_t n, tl_fpt box[4])
{
	tl_rbox rb = tl_min_area_rect_cv(pts, n);
	tl_point c[4];
	tl_fpt s[4];
	tl_rbox_points_cv(rb, c);
	for (int i = 0; i < 4; i++) {
		s[i].x = (float)c[i].x;
		s[i].y = (float)c[i].y;
	}
	for (int i = 1; i < 4; i++) { /* insertion sort: stable */
		tl_fpt t = s[i];
		int j = i - 1;
		while (j >= 0 && s[j].x > t.x) {
			s[j + 1] = s[j];
			j--;
		}
		s[j + 1] = t;
	}
	int i1, i2, i3, i4;
	if (s[1].y > s[0].y) { i1 = 0; i4 = 1; } else { i1 = 1; i4 = 0; }
	if (s[3].y > s[2].y) { i2 = 2; i3 = 3; } else { i2 = 3; i3 = 2; }
	box[0] = s[i1];
	box[1] = s[i2];
	box[2] = s[i3];
	box[3] = s[i4];
	float w = (float)rb.w, h = (float)rb.h;
	return w < h ? w : h;
}

float tl_mini_box_i(const tl_ipt *pts, size_t n, tl_fpt box[4])
{
	tl_point stack_pts[64], *p = stack_pts;
	if (n > TL_ARRAY_LEN(stack_pts)) {
		p = malloc(n * sizeof *p);
		if (!p) {
			memset(box, 0, 4 * sizeof *box);
			return 0;
		}
	}
	for (size_t i = 0; i < n; i++) {
		p[i].x = pts[i].x;
		p[i].y = pts[i].y;
	}
	float s = mini_box(p, n, box);
	if (p != stack_pts)
		free(p);
	return s;
}

/* Shapely's area and length of a ring given by float32 points, in double. */
static void ring_area_length(const tl_fpt *p, size_t n, double *area, double *length)
{
	double a = 0, l = 0;
	double x0 = p[0].x;
	for (size_t i = 0; i < n; i++) {
		size_t j = (i + 1) % n, k = (i + n - 1) % n;
		a += ((double)p[i].x - x0) * ((double)p[j].y - (double)p[k].y);
		double dx = (double)p[j].x - p[i].x, dy = (double)p[j].y - p[i].y;
		l += sqrt(dx * dx + dy * dy);
	}
	*area = fabs(a / 2);
	*length = l;
}

static void ring_area_length_i(const tl_ipt *p, size_t n, double *area, double *length)
{
	double a = 0, l = 0;
	double x0 = p[0].x;
	for (size_t i = 0; i < n; i++) {
		size_t j = (i + 1) % n, k = (i + n - 1) % n;
		a += ((double)p[i].x - x0) * ((double)p[j].y - (double)p[k].y);
		double dx = (double)p[j].x - p[i].x, dy = (double)p[j].y - p[i].y;
		l += sqrt(dx * dx + dy * dy);
	}
	*area = fabs(a / 2);
	*length = l;
}

/* pyclipper converts coordinates with a C cast: truncation toward zero. */
static int trunc_coord(float v, int *out)
{
	if (!(v > -1e9f && v < 1e9f))
		return 0;
	*out = (int)v;
	return 1;
}

/* x / W * src in float32, rounded half to even, clipped to [0, src] (np.round,
 * np.clip on the float32 box of get_mini_boxes). */
static float scale_f32(float v, int map_size, int src_size)
{
	float r = nearbyintf(v / (float)map_size * (float)src_size);
	if (r < 0)
		r = 0;
	if (r > (float)src_size)
		r = (float)src_size;
	return r;
}

/* predict_det.order_points_clockwise: top-left = smallest x+y, bottom-right =
 * largest (first on ties), of the two others top-right = smallest y-x. */
static void order_clockwise(float q[4][2], float out[4][2])
{
	float s[4];
	int imin = 0, imax = 0;
	for (int i = 0; i < 4; i++) {
		s[i] = q[i][0] + q[i][1];
		if (s[i] < s[imin]) imin = i;
		if (s[i] > s[imax]) imax = i;
	}
	/* The other two (three when all sums are equal: np.delete then removes
	 * a single row). */
	int rest[4], nr = 0;
	for (int i = 0; i < 4; i++)
		if (i != imin && i != imax)
			rest[nr++] = i;
	int dmin = rest[0], dmax = rest[0];
	for (int k = 1; k < nr; k++) {
		float d = q[rest[k]][1] - q[rest[k]][0];
		if (d < q[dmin][1] - q[dmin][0]) dmin = rest[k];
		if (d > q[dmax][1] - q[dmax][0]) dmax = rest[k];
	}
	memcpy(out[0], q[imin], sizeof out[0]);
	memcpy(out[2], q[imax], sizeof out[2]);
	memcpy(out[1], q[dmin], sizeof out[1]);
	memcpy(out[3], q[dmax], sizeof out[3]);
}

static float clip_trunc(float v, int size)
{
	float hi = (float)(size - 1);
	float c = v > 0 ? v : 0; /* also turns -0 (from rounding -0.4) into 0 */
	if (c > hi)
		c = hi;
	return truncf(c);
}

typedef struct post_ctx {
	const float *prob;
	int W, H, src_w, src_h;
	const tl_det_params *p;
	tl_dataset *ds;
	tl_image *im;
	uint8_t *scratch;
} post_ctx;

static int emit(post_ctx *c, const tl_point *pts, size_t n, tl_shape shape, double score)
{
	tl_region *r = tl_image_add_region(c->ds, c->im);
	if (!r)
		return TL_E_NOMEM;
	TL_TRY(tl_region_set_points(c->ds, r, shape, pts, n));
	r->confidence = score;
	r->has_confidence = 1;
	return TL_OK;
}

static int quad_candidate(post_ctx *c, const tl_ipt *cpts, size_t cn)
{
	const tl_det_params *p = c->p;
	tl_fpt box[4], box2[4];
	if (tl_mini_box_i(cpts, cn, box) < (float)p->min_size)
		return TL_OK;
	double score = p->score_mode == TL_DET_SCORE_SLOW
		? tl_poly_score_i(c->prob, c->W, c->H, cpts, cn, c->scratch)
		: tl_poly_score_f(c->prob, c->W, c->H, box, 4, c->scratch);
	if (p->box_thresh > score)
		return TL_OK;
	double area, length;
	ring_area_length(box, 4, &area, &length);
	double dist = area * p->unclip_ratio / length;
	if (!isfinite(dist))
		return TL_OK;
	tl_ipt ibox[4], *grown;
	size_t ng;
	for (int i = 0; i < 4; i++)
		if (!trunc_coord(box[i].x, &ibox[i].x) || !trunc_coord(box[i].y, &ibox[i].y))
			return TL_OK;
	TL_TRY(tl_unclip(ibox, 4, dist, &grown, &ng));
	if (ng == 0) {
		free(grown);
		return TL_OK;
	}
	float sside = tl_mini_box_i(grown, ng, box2);
	free(grown);
	if (sside < (float)(p->min_size + 2))
		return TL_OK;
	float q[4][2], o[4][2];
	for (int i = 0; i < 4; i++) {
		q[i][0] = scale_f32(box2[i].x, c->W, c->src_w);
		q[i][1] = scale_f32(box2[i].y, c->H, c->src_h);
	}
	/* filter_tag_det_res */
	order_clockwise(q, o);
	tl_point out[4];
	for (int i = 0; i < 4; i++) {
		o[i][0] = clip_trunc(o[i][0], c->src_w);
		o[i][1] = clip_trunc(o[i][1], c->src_h);
		out[i].x = o[i][0];
		out[i].y = o[i][1];
	}
	float wx = o[0][0] - o[1][0], wy = o[0][1] - o[1][1];
	float hx = o[0][0] - o[3][0], hy = o[0][1] - o[3][1];
	if ((int)sqrtf(wx * wx + wy * wy) <= 3 || (int)sqrtf(hx * hx + hy * hy) <= 3)
		return TL_OK;
	return emit(c, out, 4, TL_SHAPE_QUAD, score);
}

static int poly_candidate(post_ctx *c, const tl_ipt *cpts, size_t cn, tl_ipt *approx)
{
	const tl_det_params *p = c->p;
	double eps = 0.002 * tl_arc_length_closed(cpts, cn);
	size_t an = tl_approx_poly_dp(cpts, cn, eps, approx);
	if (an < 4)
		return TL_OK;
	double score = tl_poly_score_i(c->prob, c->W, c->H, approx, an, c->scratch);
	if (p->box_thresh > score)
		return TL_OK;
	double area, length;
	ring_area_length_i(approx, an, &area, &length);
	double dist = area * p->unclip_ratio / length;
	if (!isfinite(dist))
		return TL_OK;
	tl_ipt *grown;
	size_t ng;
	tl_fpt box2[4];
	TL_TRY(tl_unclip(approx, an, dist, &grown, &ng));
	if (ng == 0 || tl_mini_box_i(grown, ng, box2) < (float)(p->min_size + 2)) {
		free(grown);
		return TL_OK;
	}
	tl_point *out = malloc(ng * sizeof *out);
	if (!out) {
		free(grown);
		return TL_E_NOMEM;
	}
	/* Integer vertices scaled in double (NumPy int64 / int), then the only-clip
	 * filter of predict_det. */
	for (size_t i = 0; i < ng; i++) {
		double x = nearbyint((double)grown[i].x / c->W * c->src_w);
		double y = nearbyint((double)grown[i].y / c->H * c->src_h);
		x = x < 0 ? 0 : x > c->src_w ? c->src_w : x;
		y = y < 0 ? 0 : y > c->src_h ? c->src_h : y;
		out[i].x = trunc(x > c->src_w - 1 ? c->src_w - 1 : x);
		out[i].y = trunc(y > c->src_h - 1 ? c->src_h - 1 : y);
	}
	free(grown);
	int rc = emit(c, out, ng, TL_SHAPE_POLY, score);
	free(out);
	return rc;
}

int tl_det_postprocess(const float *prob, int w, int h, int src_w, int src_h,
		       const tl_det_params *p, tl_dataset *ds, tl_image *im, tl_error *err)
{
	if (w <= 0 || h <= 0 || src_w <= 0 || src_h <= 0)
		return tl_error_set(err, TL_E_INPUT, NULL, 0, 0,
				    "empty probability map (%dx%d) or image (%dx%d)", w, h, src_w, src_h);
	if ((uint64_t)w * (uint64_t)h > TL_MAX_PIXELS)
		return tl_error_set(err, TL_E_LIMIT, NULL, 0, 0, "probability map %dx%d too large", w, h);
	TL_TRY(tl_det_params_check(p, err));
	size_t npix = (size_t)w * (size_t)h;
	uint8_t *bitmap = malloc(npix), *scratch = malloc(npix);
	tl_contours cs = { 0 };
	tl_ipt *approx = NULL;
	int rc = TL_OK;
	if (!bitmap || !scratch) {
		rc = tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory in post-processing");
		goto out;
	}
	/* NumPy compares the float32 map with the threshold cast to float32. */
	float th = (float)p->thresh;
	for (size_t i = 0; i < npix; i++)
		bitmap[i] = prob[i] > th;
	if (p->dilate) { /* cv2.dilate with a 2x2 kernel, anchor (1,1) */
		for (int y = h - 1; y >= 0; y--)
			for (int x = w - 1; x >= 0; x--) {
				uint8_t *b = bitmap + (size_t)y * w + x;
				uint8_t v = *b;
				if (x > 0) v |= b[-1];
				if (y > 0) v |= b[-w];
				if (x > 0 && y > 0) v |= b[-w - 1];
				*b = v;
			}
	}
	rc = tl_find_contours(bitmap, w, h, MAX_CONTOUR_POINTS, &cs);
	if (rc != TL_OK) {
		tl_error_set(err, rc, NULL, 0, 0, "finding contours: %s", tl_status_str(rc));
		goto out;
	}
	post_ctx c = { prob, w, h, src_w, src_h, p, ds, im, scratch };
	size_t ncand = cs.n < (size_t)p->max_candidates ? cs.n : (size_t)p->max_candidates;
	if (p->shape == TL_SHAPE_POLY) {
		size_t maxlen = 0;
		for (size_t i = 0; i < ncand; i++)
			if (cs.len[i] > maxlen)
				maxlen = cs.len[i];
		approx = malloc((maxlen + 1) * sizeof *approx);
		if (!approx) {
			rc = tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory in post-processing");
			goto out;
		}
	}
	for (size_t i = 0; i < ncand && rc == TL_OK; i++) {
		const tl_ipt *cp = cs.pts + cs.start[i];
		if (p->shape == TL_SHAPE_POLY)
			rc = poly_candidate(&c, cp, cs.len[i], approx);
		else
			rc = quad_candidate(&c, cp, cs.len[i]);
	}
	if (rc != TL_OK)
		tl_error_set(err, rc, NULL, 0, 0, "post-processing: %s", tl_status_str(rc));
out:
	free(bitmap);
	free(scratch);
	free(approx);
	tl_contours_free(&cs);
	return rc;
}
