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
			if (cos_a > 0) {
				/* Nearly straight: one point, and Clipper returns before
				 * k = j, so the next vertex still measures its turn from
				 * this vertex's incoming edge. */
				rc = ring_push(&r, clipper_round(px + nrm[k].x * delta),
					       clipper_round(py + nrm[k].y * delta));
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

static int sgn64(int64_t v) { return (v > 0) - (v < 0); }

/* 1 when q lies strictly inside segment ab (collinear, between the ends). */
static int on_open_segment(tl_ipt a, tl_ipt b, tl_ipt q)
{
	if (cross3(a, b, q) != 0)
		return 0;
	int64_t d1 = (int64_t)(q.x - a.x) * (b.x - a.x) + (int64_t)(q.y - a.y) * (b.y - a.y);
	int64_t len = (int64_t)(b.x - a.x) * (b.x - a.x) + (int64_t)(b.y - a.y) * (b.y - a.y);
	return d1 > 0 && d1 < len;
}

static int ring_crosses(const tl_ipt *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tl_ipt a = p[i], b = p[(i + 1) % n];
		for (size_t j = i + 1; j < n; j++) {
			tl_ipt c = p[j], d = p[(j + 1) % n];
			int o1 = sgn64(cross3(a, b, c)), o2 = sgn64(cross3(a, b, d));
			int o3 = sgn64(cross3(c, d, a)), o4 = sgn64(cross3(c, d, b));
			if (o1 * o2 < 0 && o3 * o4 < 0)
				return 1;
			if ((j != i + 1 && on_open_segment(a, b, c)) ||
			    (!(i == 0 && j == n - 1) && on_open_segment(a, b, d)) ||
			    on_open_segment(c, d, a) || on_open_segment(c, d, b))
				return 1;
			if (j != i + 1 && !(i == 0 && j == n - 1) &&
			    ((a.x == c.x && a.y == c.y) || (a.x == d.x && a.y == d.y) ||
			     (b.x == c.x && b.y == c.y) || (b.x == d.x && b.y == d.y)))
				return 1;
		}
	}
	return 0;
}

typedef struct { double t; int node; } split_pt;

static int cmp_split(const void *a, const void *b)
{
	double ta = ((const split_pt *)a)->t, tb = ((const split_pt *)b)->t;
	return ta < tb ? -1 : ta > tb;
}

/* Winding number of q about the ring (counter-clockwise in the literal
 * coordinates, i.e. positive Clipper area, counts +1). */
static int winding(const tl_ipt *p, size_t n, double qx, double qy)
{
	int wn = 0;
	for (size_t i = 0; i < n; i++) {
		double ax = p[i].x, ay = p[i].y, bx = p[(i + 1) % n].x, by = p[(i + 1) % n].y;
		double side = (bx - ax) * (qy - ay) - (qx - ax) * (by - ay);
		if (ay <= qy) {
			if (by > qy && side > 0)
				wn++;
		} else if (by <= qy && side < 0) {
			wn--;
		}
	}
	return wn;
}

/* An edge as Clipper's sweep sees it: Bot has the larger y; dx is the inverse
 * slope (x change per unit of y), HORIZ for horizontal edges. */
#define HORIZ (-1.0E40)
typedef struct { tl_ipt bot, top; double dx; } cedge;

static cedge make_cedge(tl_ipt a, tl_ipt b)
{
	cedge e;
	if (a.y >= b.y) {
		e.bot = a;
		e.top = b;
	} else {
		e.bot = b;
		e.top = a;
	}
	int dy = e.top.y - e.bot.y;
	e.dx = dy == 0 ? HORIZ : (double)(e.top.x - e.bot.x) / dy;
	return e;
}

static int64_t top_x(const cedge *e, int64_t y)
{
	if (y == e->top.y)
		return e->top.x;
	return e->bot.x + clipper_round(e->dx * (double)(y - e->bot.y));
}

/* Where Clipper puts the crossing of two edges (IntersectPoint): y rounded,
 * x taken on the steeper edge, then kept inside both edges and inside the
 * scan beam whose lower end (larger y) is beam_bot. */
static tl_ipt clipper_crossing(tl_ipt a, tl_ipt b, tl_ipt c, tl_ipt d, int64_t beam_bot)
{
	cedge e1 = make_cedge(a, b), e2 = make_cedge(c, d);
	int64_t x, y;
	if (e1.dx == e2.dx) {
		y = beam_bot;
		x = top_x(&e1, y);
	} else if (e1.dx == 0) {
		x = e1.bot.x;
		if (e2.dx == HORIZ) {
			y = e2.bot.y;
		} else {
			double b2 = e2.bot.y - (e2.bot.x / e2.dx);
			y = clipper_round(x / e2.dx + b2);
		}
	} else if (e2.dx == 0) {
		x = e2.bot.x;
		if (e1.dx == HORIZ) {
			y = e1.bot.y;
		} else {
			double b1 = e1.bot.y - (e1.bot.x / e1.dx);
			y = clipper_round(x / e1.dx + b1);
		}
	} else if (e1.dx == HORIZ || e2.dx == HORIZ) {
		/* horizontals are swept separately: the crossing is on their line */
		const cedge *h = e1.dx == HORIZ ? &e1 : &e2, *o = e1.dx == HORIZ ? &e2 : &e1;
		y = h->bot.y;
		x = top_x(o, y);
		return (tl_ipt){ (int)x, (int)y };
	} else {
		double b1 = e1.bot.x - e1.bot.y * e1.dx, b2 = e2.bot.x - e2.bot.y * e2.dx;
		double q = (b2 - b1) / (e1.dx - e2.dx);
		y = clipper_round(q);
		x = fabs(e1.dx) < fabs(e2.dx) ? clipper_round(e1.dx * q + b1)
					      : clipper_round(e2.dx * q + b2);
	}
	if (y < e1.top.y || y < e2.top.y) {
		y = e1.top.y > e2.top.y ? e1.top.y : e2.top.y;
		x = fabs(e1.dx) < fabs(e2.dx) ? top_x(&e1, y) : top_x(&e2, y);
	}
	if (y > beam_bot) {
		y = beam_bot;
		x = fabs(e1.dx) > fabs(e2.dx) ? top_x(&e2, y) : top_x(&e1, y);
	}
	return (tl_ipt){ (int)x, (int)y };
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

typedef struct { int from, to, used; } dedge;

/* What a Clipper union with the positive fill rule makes of a self-crossing ring:
 * the boundary of { q : winding(q) > 0 }. Every edge is split where other edges
 * cross or touch it; a piece is kept when exactly one of its sides lies in the
 * region, oriented with the region on its left; the pieces are then linked into
 * rings. Crossing points are rounded to integers, as Clipper does. One ring is
 * returned; none when the region is empty or falls apart into several rings
 * (PaddleOCR skips those candidates). */
static int union_positive(const tl_ipt *p, size_t n, tl_ipt **out, size_t *nout)
{
	/* Bounded tables: an edge crossed more than 254 times, or more than 2^16
	 * crossings, only come from hostile input; the extra ones are dropped
	 * (the result is then rough, but bounded). */
	size_t maxsplit = n + 2 < 256 ? n + 2 : 256;
	size_t maxnodes = n + (n * n / 2 < 65536 ? n * n / 2 : 65536) + 1;
	split_pt *sp = malloc(n * maxsplit * sizeof *sp);
	size_t *ns = calloc(n, sizeof *ns);
	dpt *nodes = malloc(maxnodes * sizeof *nodes);
	tl_ipt *outpt = malloc(maxnodes * sizeof *outpt);
	int *ys = malloc(n * sizeof *ys);
	dedge *es = malloc(n * maxsplit * sizeof *es);
	int *vnode = malloc(n * sizeof *vnode);
	tl_ipt *res = NULL;
	size_t nn = 0, ne = 0, nres = 0;
	int rc = TL_E_NOMEM;
	*out = NULL;
	*nout = 0;
	if (!sp || !ns || !nodes || !es || !vnode || !outpt || !ys)
		goto done;
	/* Scan lines: every vertex y, ascending. */
	for (size_t i = 0; i < n; i++)
		ys[i] = p[i].y;
	qsort(ys, n, sizeof *ys, cmp_int);
	/* Ring vertices with equal coordinates share a node. */
	for (size_t i = 0; i < n; i++) {
		vnode[i] = -1;
		for (size_t k = 0; k < i; k++)
			if (p[k].x == p[i].x && p[k].y == p[i].y) {
				vnode[i] = vnode[k];
				break;
			}
		if (vnode[i] < 0) {
			nodes[nn] = (dpt){ p[i].x, p[i].y };
			outpt[nn] = p[i];
			vnode[i] = (int)nn++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		split_pt *s = sp + i * maxsplit;
		s[ns[i]++] = (split_pt){ 0.0, vnode[i] };
		s[ns[i]++] = (split_pt){ 1.0, vnode[(i + 1) % n] };
	}
	for (size_t i = 0; i < n; i++) {
		tl_ipt a = p[i], b = p[(i + 1) % n];
		double rx = b.x - a.x, ry = b.y - a.y, rr = rx * rx + ry * ry;
		for (size_t j = 0; j < n; j++) {
			if (j == i)
				continue;
			tl_ipt c = p[j], d = p[(j + 1) % n];
			/* a vertex of edge j inside edge i splits edge i there */
			if (ns[i] < maxsplit && rr > 0 && on_open_segment(a, b, c))
				sp[i * maxsplit + ns[i]++] =
					(split_pt){ ((c.x - a.x) * rx + (c.y - a.y) * ry) / rr, vnode[j] };
			if (j < i)
				continue;
			int o1 = sgn64(cross3(a, b, c)), o2 = sgn64(cross3(a, b, d));
			int o3 = sgn64(cross3(c, d, a)), o4 = sgn64(cross3(c, d, b));
			if (!(o1 * o2 < 0 && o3 * o4 < 0) || nn >= maxnodes)
				continue;
			double sx = d.x - c.x, sy = d.y - c.y, qx = c.x - a.x, qy = c.y - a.y;
			double den = rx * sy - ry * sx;
			double t = (qx * sy - qy * sx) / den, u = (qx * ry - qy * rx) / den;
			/* A crossing that lands exactly on a known node is that node. */
			dpt x = { a.x + t * rx, a.y + t * ry };
			size_t id = 0;
			while (id < nn && (nodes[id].x != x.x || nodes[id].y != x.y))
				id++;
			if (id == nn) {
				/* the scan beam holding the crossing: its lower end is
				 * the first scan line at or below it */
				size_t lo = 0, hi = n;
				while (lo < hi) {
					size_t mid = (lo + hi) / 2;
					if ((double)ys[mid] < x.y)
						lo = mid + 1;
					else
						hi = mid;
				}
				int64_t beam_bot = lo < n ? ys[lo] : ys[n - 1];
				outpt[nn] = clipper_crossing(a, b, c, d, beam_bot);
				nodes[nn++] = x;
			}
			if (ns[i] < maxsplit)
				sp[i * maxsplit + ns[i]++] = (split_pt){ t, (int)id };
			if (ns[j] < maxsplit)
				sp[j * maxsplit + ns[j]++] = (split_pt){ u, (int)id };
		}
	}
	for (size_t i = 0; i < n; i++) {
		split_pt *s = sp + i * maxsplit;
		qsort(s, ns[i], sizeof *s, cmp_split);
		for (size_t k = 0; k + 1 < ns[i]; k++) {
			int a = s[k].node, b = s[k + 1].node;
			if (a == b)
				continue;
			double mx = (nodes[a].x + nodes[b].x) / 2, my = (nodes[a].y + nodes[b].y) / 2;
			double dx = nodes[b].x - nodes[a].x, dy = nodes[b].y - nodes[a].y;
			double len = sqrt(dx * dx + dy * dy), e = 1e-4 / len;
			int left = winding(p, n, mx - dy * e, my + dx * e) > 0;
			int right = winding(p, n, mx + dy * e, my - dx * e) > 0;
			if (left == right)
				continue;
			dedge de = left ? (dedge){ a, b, 0 } : (dedge){ b, a, 0 };
			int dup = 0;
			for (size_t q = 0; q < ne && !dup; q++)
				dup = es[q].from == de.from && es[q].to == de.to;
			if (!dup)
				es[ne++] = de;
		}
	}
	/* Link the pieces: at a node with several ways on, take the first one
	 * clockwise (in these coordinates) from the way back. */
	res = malloc((ne + 1) * sizeof *res);
	if (!res)
		goto done;
	rc = TL_OK;
	size_t rings = 0;
	for (size_t s0 = 0; s0 < ne; s0++) {
		if (es[s0].used)
			continue;
		rings++;
		size_t cur = s0, start_n = nres;
		while (!es[cur].used) {
			es[cur].used = 1;
			res[nres++] = outpt[es[cur].from];
			int at = es[cur].to;
			double back = atan2(nodes[es[cur].from].y - nodes[at].y,
					    nodes[es[cur].from].x - nodes[at].x);
			long best = -1;
			double best_rel = 0;
			for (size_t q = 0; q < ne; q++) {
				if (es[q].used || es[q].from != at)
					continue;
				double ang = atan2(nodes[es[q].to].y - nodes[at].y,
						   nodes[es[q].to].x - nodes[at].x);
				double rel = back - ang;
				while (rel <= 1e-12)
					rel += CLIPPER_TWO_PI;
				while (rel > CLIPPER_TWO_PI + 1e-12)
					rel -= CLIPPER_TWO_PI;
				if (best < 0 || rel < best_rel) {
					best = (long)q;
					best_rel = rel;
				}
			}
			if (best < 0)
				break;
			cur = (size_t)best;
		}
		(void)start_n;
	}
	if (rings != 1) {
		free(res);
		res = NULL;
		nres = 0;
	}
	*out = res;
	*nout = nres;
	res = NULL;
done:
	free(res);
	free(sp);
	free(ns);
	free(nodes);
	free(outpt);
	free(ys);
	free(es);
	free(vnode);
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
	/* The clean-up is cubic at worst; rings this long do not come from a
	 * probability map, so they are kept as they are. */
	if (nraw <= 1024 && ring_crosses(raw, nraw)) {
		tl_ipt *u;
		size_t nu;
		int rc = union_positive(raw, nraw, &u, &nu);
		free(raw);
		if (rc != TL_OK)
			return rc;
		raw = u;
		nraw = u ? simplify_ring(u, nu) : 0;
		if (nraw == 0) {
			free(raw);
			return TL_OK;
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
