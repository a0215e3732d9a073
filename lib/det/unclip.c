/* unclip.c — DB "unclip": growing a text kernel polygon by a distance D, as
 * PaddleOCR does it with pyclipper (Clipper 6.4.2): PyclipperOffset, round joins,
 * closed polygon, arc tolerance 0.25, miter limit 2.
 *
 * Why a port: boxes are the minimum-area rectangle of the offset polygon, whose
 * integer vertices depend on Clipper's exact arc stepping and rounding; a generic
 * buffer moves a few percent of the boxes by a pixel or two. What is reproduced:
 * - the input is integer (pyclipper truncates the float corners before calling);
 * - duplicate points are dropped, fewer than 3 distinct points give nothing;
 * - the ring is reversed when its Clipper area is negative, so +D grows it;
 * - each vertex gets a round join: an arc from the previous edge's normal to the
 *   next edge's normal in max(round(steps_per_rad * |angle|), 1) steps, with
 *   steps = pi / acos(1 - tol / D) per full turn (capped at D * pi); nearly
 *   straight joins get one point; concave joins get the three-point notch;
 * - every vertex is rounded half away from zero.
 * Clipper then unions the ring with itself (positive fill) to remove the loops
 * that concave notches create. Here a ring that does not cross itself only loses
 * duplicate and collinear points, as in Clipper's output; a ring that does cross
 * itself is replaced by its outer boundary (walked on the arrangement of its
 * edges), which is what the union gives for a grown polygon. For convex input
 * (every quad of the quad mode) the offset ring never crosses itself. */
#include "tl_internal.h"
#include "det/det_internal.h"
#include <math.h>
#include <stdint.h>

#define CLIPPER_PI 3.141592653589793238
#define CLIPPER_TWO_PI (CLIPPER_PI * 2)
#define ARC_TOLERANCE 0.25
#define MAX_UNCLIP_POINTS 100000

typedef struct { double x, y; } dpt;

static int64_t clipper_round(double v)
{
	return v < 0 ? (int64_t)(v - 0.5) : (int64_t)(v + 0.5);
}

static double clipper_area(const tl_ipt *p, size_t n)
{
	double a = 0;
	if (n < 3)
		return 0;
	for (size_t i = 0, j = n - 1; i < n; j = i++)
		a += ((double)p[j].x + p[i].x) * ((double)p[j].y - p[i].y);
	return -a * 0.5;
}

static dpt unit_normal(tl_ipt a, tl_ipt b)
{
	dpt r = { 0, 0 };
	if (a.x == b.x && a.y == b.y)
		return r;
	double dx = (double)(b.x - a.x), dy = (double)(b.y - a.y);
	double f = 1 * 1.0 / sqrt(dx * dx + dy * dy);
	dx *= f;
	dy *= f;
	r.x = dy;
	r.y = -dx;
	return r;
}

typedef struct {
	tl_ipt *p;
	size_t n, cap;
	int overflow;
} ring;

static int ring_push(ring *r, int64_t x, int64_t y)
{
	if (r->n >= MAX_UNCLIP_POINTS || x < -INT32_MAX || x > INT32_MAX ||
	    y < -INT32_MAX || y > INT32_MAX) {
		r->overflow = 1;
		return TL_E_LIMIT;
	}
	if (r->n == r->cap && tl_grow((void **)&r->p, &r->cap, r->n + 1, sizeof *r->p) != TL_OK)
		return TL_E_NOMEM;
	r->p[r->n].x = (int)x;
	r->p[r->n].y = (int)y;
	r->n++;
	return TL_OK;
}

int tl_offset_raw(const tl_ipt *in, size_t n, double delta, tl_ipt **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	if (n == 0 || !isfinite(delta) || n > MAX_UNCLIP_POINTS)
		return n > MAX_UNCLIP_POINTS ? TL_E_LIMIT : TL_OK;
	/* AddPath: drop a closing duplicate and consecutive duplicates. */
	size_t high = n - 1;
	while (high > 0 && in[0].x == in[high].x && in[0].y == in[high].y)
		high--;
	tl_ipt *src = malloc((high + 1) * sizeof *src);
	if (!src)
		return TL_E_NOMEM;
	size_t len = 0;
	src[len++] = in[0];
	for (size_t i = 1; i <= high; i++)
		if (src[len - 1].x != in[i].x || src[len - 1].y != in[i].y)
			src[len++] = in[i];
	if (len < 3) {
		free(src);
		return TL_OK;
	}
	/* FixOrientations: the only (hence lowest) ring must have area >= 0. */
	if (clipper_area(src, len) < 0)
		for (size_t i = 0, j = len - 1; i < j; i++, j--) {
			tl_ipt t = src[i];
			src[i] = src[j];
			src[j] = t;
		}
	ring r = { 0 };
	int rc = TL_OK;
	if (fabs(delta) < 1.0E-20) { /* NEAR_ZERO: the ring as it is */
		for (size_t i = 0; i < len && rc == TL_OK; i++)
			rc = ring_push(&r, src[i].x, src[i].y);
		goto done;
	}
	double y = ARC_TOLERANCE;
	if (ARC_TOLERANCE > fabs(delta) * ARC_TOLERANCE)
		y = fabs(delta) * ARC_TOLERANCE;
	double steps = CLIPPER_PI / acos(1 - y / fabs(delta));
	if (steps > fabs(delta) * CLIPPER_PI)
		steps = fabs(delta) * CLIPPER_PI;
	double s_sin = sin(CLIPPER_TWO_PI / steps), s_cos = cos(CLIPPER_TWO_PI / steps);
	double steps_per_rad = steps / CLIPPER_TWO_PI;
	if (delta < 0.0)
		s_sin = -s_sin;
	if (delta <= 0 && len < 3)
		goto done;
	dpt *nrm = malloc(len * sizeof *nrm);
	if (!nrm) {
		rc = TL_E_NOMEM;
		goto done;
	}
	for (size_t j = 0; j + 1 < len; j++)
		nrm[j] = unit_normal(src[j], src[j + 1]);
	nrm[len - 1] = unit_normal(src[len - 1], src[0]);
	size_t k = len - 1;
	for (size_t j = 0; j < len && rc == TL_OK; j++) {
		double sin_a = nrm[k].x * nrm[j].y - nrm[j].x * nrm[k].y;
		double px = src[j].x, py = src[j].y;
		if (fabs(sin_a * delta) < 1.0) {
			double cos_a = nrm[k].x * nrm[j].x + nrm[j].y * nrm[k].y;
			if (cos_a > 0) { /* nearly straight: one point */
				rc = ring_push(&r, clipper_round(px + nrm[k].x * delta),
					       clipper_round(py + nrm[k].y * delta));
				k = j;
				continue;
			}
		} else if (sin_a > 1.0) {
			sin_a = 1.0;
		} else if (sin_a < -1.0) {
			sin_a = -1.0;
		}
		if (sin_a * delta < 0) { /* concave: notch through the vertex */
			rc = ring_push(&r, clipper_round(px + nrm[k].x * delta),
				       clipper_round(py + nrm[k].y * delta));
			if (rc == TL_OK)
				rc = ring_push(&r, src[j].x, src[j].y);
			if (rc == TL_OK)
				rc = ring_push(&r, clipper_round(px + nrm[j].x * delta),
					       clipper_round(py + nrm[j].y * delta));
		} else { /* DoRound */
			double a = atan2(sin_a, nrm[k].x * nrm[j].x + nrm[k].y * nrm[j].y);
			int64_t nsteps = clipper_round(steps_per_rad * fabs(a));
			if (nsteps < 1)
				nsteps = 1;
			double X = nrm[k].x, Y = nrm[k].y, X2;
			for (int64_t i = 0; i < nsteps && rc == TL_OK; i++) {
				rc = ring_push(&r, clipper_round(px + X * delta),
					       clipper_round(py + Y * delta));
				X2 = X;
				X = X * s_cos - s_sin * Y;
				Y = X2 * s_sin + Y * s_cos;
			}
			if (rc == TL_OK)
				rc = ring_push(&r, clipper_round(px + nrm[j].x * delta),
					       clipper_round(py + nrm[j].y * delta));
		}
		k = j;
	}
	free(nrm);
done:
	free(src);
	if (rc != TL_OK) {
		free(r.p);
		return rc;
	}
	*out = r.p;
	*nout = r.n;
	return TL_OK;
}

/* ---- clean-up -------------------------------------------------------- */

static int64_t cross3(tl_ipt o, tl_ipt a, tl_ipt b)
{
	return (int64_t)(a.x - o.x) * (b.y - o.y) - (int64_t)(a.y - o.y) * (b.x - o.x);
}

/* Removes consecutive duplicates and collinear vertices of a closed ring in place
 * (Clipper's output has neither). Returns the new count. */
static size_t simplify_ring(tl_ipt *p, size_t n)
{
	int changed = 1;
	while (changed && n >= 3) {
		changed = 0;
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			tl_ipt prev = m ? p[m - 1] : p[n - 1];
			tl_ipt next = p[(i + 1) % n];
			if ((p[i].x == prev.x && p[i].y == prev.y) || cross3(prev, p[i], next) == 0) {
				changed = 1;
				continue;
			}
			p[m++] = p[i];
		}
		n = m;
	}
	return n < 3 ? 0 : n;
}

/* Intersection of segments ab and cd when they cross or touch; 1 if so. */
static int seg_intersect(tl_ipt a, tl_ipt b, tl_ipt c, tl_ipt d, double *t, double *u)
{
	double rx = b.x - a.x, ry = b.y - a.y, sx = d.x - c.x, sy = d.y - c.y;
	double den = rx * sy - ry * sx;
	if (den == 0)
		return 0; /* parallel or collinear overlap: left to the walk */
	double qx = c.x - a.x, qy = c.y - a.y;
	*t = (qx * sy - qy * sx) / den;
	*u = (qx * ry - qy * rx) / den;
	return *t >= 0 && *t <= 1 && *u >= 0 && *u <= 1;
}

static int ring_crosses(const tl_ipt *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 2; j < n; j++) {
			if (i == 0 && j == n - 1)
				continue;
			double t, u;
			if (seg_intersect(p[i], p[(i + 1) % n], p[j], p[(j + 1) % n], &t, &u))
				return 1;
		}
	return 0;
}

typedef struct { double t; tl_ipt p; } split_pt;

static int cmp_split(const void *a, const void *b)
{
	double ta = ((const split_pt *)a)->t, tb = ((const split_pt *)b)->t;
	return ta < tb ? -1 : ta > tb;
}

static int node_index(tl_ipt *nodes, size_t *nn, tl_ipt p)
{
	for (size_t i = 0; i < *nn; i++)
		if (nodes[i].x == p.x && nodes[i].y == p.y)
			return (int)i;
	nodes[*nn] = p;
	return (int)(*nn)++;
}

/* The outer boundary of a self-crossing ring: split every edge where others cross
 * it (crossings rounded to integers as Clipper does), then walk from the topmost
 * node, always taking the first edge clockwise (on screen) from the way back. */
static int outer_boundary(const tl_ipt *p, size_t n, tl_ipt **out, size_t *nout)
{
	size_t maxsplit = 2 + 2 * n; /* per edge, generous for small rings */
	split_pt *sp = malloc(n * maxsplit * sizeof *sp);
	size_t *ns = calloc(n, sizeof *ns);
	size_t cap_nodes = n * maxsplit + 1;
	tl_ipt *nodes = malloc(cap_nodes * sizeof *nodes);
	int *ea = malloc(n * maxsplit * sizeof *ea), *eb = malloc(n * maxsplit * sizeof *eb);
	int rc = TL_E_NOMEM;
	size_t nn = 0, ne = 0;
	if (!sp || !ns || !nodes || !ea || !eb)
		goto out;
	for (size_t i = 0; i < n; i++) {
		split_pt *s = sp + i * maxsplit;
		s[ns[i]++] = (split_pt){ 0.0, p[i] };
		s[ns[i]++] = (split_pt){ 1.0, p[(i + 1) % n] };
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double t, u;
			if (!seg_intersect(p[i], p[(i + 1) % n], p[j], p[(j + 1) % n], &t, &u))
				continue;
			double ix = p[i].x + t * (p[(i + 1) % n].x - p[i].x);
			double iy = p[i].y + t * (p[(i + 1) % n].y - p[i].y);
			tl_ipt q = { (int)clipper_round(ix), (int)clipper_round(iy) };
			if (ns[i] < maxsplit)
				sp[i * maxsplit + ns[i]++] = (split_pt){ t, q };
			if (ns[j] < maxsplit)
				sp[j * maxsplit + ns[j]++] = (split_pt){ u, q };
		}
	for (size_t i = 0; i < n; i++) {
		split_pt *s = sp + i * maxsplit;
		qsort(s, ns[i], sizeof *s, cmp_split);
		for (size_t k = 0; k + 1 < ns[i]; k++) {
			int a = node_index(nodes, &nn, s[k].p), b = node_index(nodes, &nn, s[k + 1].p);
			if (a == b)
				continue;
			ea[ne] = a;
			eb[ne] = b;
			ne++;
		}
	}
	/* Start at the topmost node (then leftmost), as if arriving from its left. */
	size_t start = 0;
	for (size_t i = 1; i < nn; i++)
		if (nodes[i].y < nodes[start].y ||
		    (nodes[i].y == nodes[start].y && nodes[i].x < nodes[start].x))
			start = i;
	tl_ipt *res = malloc((2 * ne + 1) * sizeof *res);
	if (!res)
		goto out;
	size_t nres = 0, cur = start;
	double back = CLIPPER_PI; /* direction pointing back along the arrival */
	int first_next = -1, closed = 0;
	for (size_t guard = 0; guard <= 2 * ne; guard++) {
		int best = -1;
		double best_rel = 0;
		for (size_t e = 0; e < ne; e++) {
			int other;
			if ((size_t)ea[e] == cur)
				other = eb[e];
			else if ((size_t)eb[e] == cur)
				other = ea[e];
			else
				continue;
			double ang = atan2((double)nodes[other].y - nodes[cur].y,
					   (double)nodes[other].x - nodes[cur].x);
			double rel = ang - back;
			while (rel <= 1e-12)
				rel += CLIPPER_TWO_PI;
			while (rel > CLIPPER_TWO_PI + 1e-12)
				rel -= CLIPPER_TWO_PI;
			if (best < 0 || rel < best_rel) {
				best = other;
				best_rel = rel;
			}
		}
		if (best < 0)
			break;
		if (cur == start) {
			if (first_next == best) {
				closed = 1;
				break;
			}
			if (first_next < 0)
				first_next = best;
		}
		res[nres++] = nodes[cur];
		back = atan2((double)nodes[cur].y - nodes[best].y,
			     (double)nodes[cur].x - nodes[best].x);
		cur = (size_t)best;
	}
	/* Rounded crossings can tie the walk into a small loop that never returns
	 * to the start; the caller then keeps the raw ring. */
	if (!closed) {
		free(res);
		res = NULL;
		nres = 0;
	}
	*out = res;
	*nout = nres;
	rc = TL_OK;
out:
	free(sp);
	free(ns);
	free(nodes);
	free(ea);
	free(eb);
	return rc;
}

int tl_unclip(const tl_ipt *in, size_t n, double delta, tl_ipt **out, size_t *nout)
{
	tl_ipt *raw;
	size_t nraw;
	*out = NULL;
	*nout = 0;
	TL_TRY(tl_offset_raw(in, n, delta, &raw, &nraw));
	nraw = simplify_ring(raw, nraw);
	if (nraw == 0) {
		free(raw);
		return TL_OK;
	}
	/* The arrangement walk is quadratic; rings this long do not come from a
	 * probability map, so they are kept as they are. */
	if (nraw <= 4096 && ring_crosses(raw, nraw)) {
		tl_ipt *outer;
		size_t nouter;
		int rc = outer_boundary(raw, nraw, &outer, &nouter);
		if (rc != TL_OK) {
			free(raw);
			return rc;
		}
		nouter = outer ? simplify_ring(outer, nouter) : 0;
		if (nouter > 0) {
			free(raw);
			raw = outer;
			nraw = nouter;
		} else {
			free(outer);
		}
	}
	/* Clipper's outer rings have a non-negative area in its convention. */
	if (clipper_area(raw, nraw) < 0)
		for (size_t i = 0, j = nraw - 1; i < j; i++, j--) {
			tl_ipt t = raw[i];
			raw[i] = raw[j];
			raw[j] = t;
		}
	*out = raw;
	*nout = nraw;
	return TL_OK;
}
