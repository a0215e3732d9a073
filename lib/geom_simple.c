/* geom_simple.c — exact orientation predicate and polygon validity: non-finite
 * coordinates, too few points, zero area, self-intersection (formats.md §1.5). */
#include "tl_internal.h"
#include <math.h>
#include <stdint.h>

/* ---- exact orientation ------------------------------------------------- */

/* a*b = *p + *e exactly (fma gives the rounding error of the product). */
static void two_prod(double a, double b, double *p, double *e)
{
	*p = a * b;
	*e = fma(a, b, -*p);
}

/* a+b = *s + *e exactly (Knuth's branch-free two-sum). */
static void two_sum(double a, double b, double *s, double *e)
{
	double x = a + b, bv = x - a, av = x - bv;
	*s = x;
	*e = (a - av) + (b - bv);
}

/* Sign of the exact sum of t[0..n-1]: the terms are folded into a
 * non-overlapping expansion (each new term is two-summed through the components
 * already there); the largest non-zero component then has the sign of the sum. */
static int sign_of_sum(const double *t, int n)
{
	double e[16];
	int m = 0;
	for (int i = 0; i < n; i++) {
		double q = t[i];
		for (int j = 0; j < m; j++) {
			double s, err;
			two_sum(q, e[j], &s, &err);
			e[j] = err;
			q = s;
		}
		e[m++] = q;
	}
	for (int j = m - 1; j >= 0; j--)
		if (e[j] != 0)
			return e[j] > 0 ? 1 : -1;
	return 0;
}

int tl_orient2d(tl_point a, tl_point b, tl_point c)
{
	double l = (a.x - c.x) * (b.y - c.y), r = (a.y - c.y) * (b.x - c.x);
	double det = l - r;
	/* Shewchuk's first error bound for this expression: when |det| exceeds it,
	 * its sign is right despite the roundings. */
	double bound = 3.3306690738754716e-16 * (fabs(l) + fabs(r));
	if (det > bound)
		return 1;
	if (-det > bound)
		return -1;
	if (isnan(det))
		return 0;
	/* det = ax*by - ay*bx + bx*cy - by*cx + cx*ay - cy*ax, every product split
	 * into two doubles, summed exactly. */
	double t[12];
	two_prod(a.x, b.y, &t[0], &t[1]);
	two_prod(-a.y, b.x, &t[2], &t[3]);
	two_prod(b.x, c.y, &t[4], &t[5]);
	two_prod(-b.y, c.x, &t[6], &t[7]);
	two_prod(c.x, a.y, &t[8], &t[9]);
	two_prod(-c.y, a.x, &t[10], &t[11]);
	return sign_of_sum(t, 12);
}

/* ---- self-intersection ------------------------------------------------- */

static int same(tl_point a, tl_point b)
{
	return a.x == b.x && a.y == b.y;
}

/* c (known collinear with a, b) lies on the closed segment a-b. */
static int in_box(tl_point a, tl_point b, tl_point c)
{
	return fmin(a.x, b.x) <= c.x && c.x <= fmax(a.x, b.x) &&
	       fmin(a.y, b.y) <= c.y && c.y <= fmax(a.y, b.y);
}

/* Closed segments a-b and c-d share at least one point. */
static int segs_touch(tl_point a, tl_point b, tl_point c, tl_point d)
{
	int o1 = tl_orient2d(a, b, c), o2 = tl_orient2d(a, b, d);
	int o3 = tl_orient2d(c, d, a), o4 = tl_orient2d(c, d, b);
	if (o1 * o2 < 0 && o3 * o4 < 0)
		return 1;
	return (o1 == 0 && in_box(a, b, c)) || (o2 == 0 && in_box(a, b, d)) ||
	       (o3 == 0 && in_box(c, d, a)) || (o4 == 0 && in_box(c, d, b));
}

typedef struct edge_key {
	double minx, maxx, miny, maxy;
	size_t i;
} edge_key;

static int cmp_minx(const void *a, const void *b)
{
	const edge_key *p = a, *q = b;
	if (p->minx != q->minx)
		return p->minx < q->minx ? -1 : 1;
	return p->i < q->i ? -1 : p->i > q->i;
}

int tl_poly_self_intersects(const tl_point *p, size_t n)
{
	if (!p || n < 3)
		return 0;
	if (n > SIZE_MAX / sizeof(edge_key))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(p[i].x) || !isfinite(p[i].y))
			return -1;
	/* Vertex list without consecutive repeats (PaddleOCR pads rings by repeating
	 * the last point; a closed ring may repeat the first at the end). */
	tl_point *v = malloc(n * sizeof *v);
	edge_key *ek = malloc(n * sizeof *ek);
	int res = 0;
	if (!v || !ek) {
		res = -1;
		goto out;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || !same(p[i], v[m - 1]))
			v[m++] = p[i];
	while (m > 1 && same(v[m - 1], v[0]))
		m--;
	if (m < 3)
		goto out;
#define V(i) v[(i) % m]
	/* Adjacent edges a-b, b-c share b; beyond it they meet only when they fold
	 * back along one line. */
	for (size_t i = 0; i < m; i++) {
		tl_point a = V(i), b = V(i + 1), c = V(i + 2);
		if (tl_orient2d(a, b, c) == 0 && (in_box(a, b, c) || in_box(b, c, a))) {
			res = 1;
			goto out;
		}
	}
	if (m == 3)
		goto out;
	/* Sweep and prune along x: after sorting the edges by their left end, edge
	 * a only needs testing against the edges that start before it ends. */
	for (size_t i = 0; i < m; i++) {
		tl_point a = V(i), b = V(i + 1);
		ek[i] = (edge_key){ fmin(a.x, b.x), fmax(a.x, b.x), fmin(a.y, b.y), fmax(a.y, b.y), i };
	}
	qsort(ek, m, sizeof *ek, cmp_minx);
	uint64_t work = 0;
	for (size_t s = 0; s < m; s++) {
		const edge_key *e = &ek[s];
		for (size_t t = s + 1; t < m && ek[t].minx <= e->maxx; t++) {
			const edge_key *f = &ek[t];
			if (++work > TL_GEOM_SI_BUDGET) {
				res = -1;
				goto out;
			}
			if (f->miny > e->maxy || f->maxy < e->miny)
				continue;
			size_t d = e->i > f->i ? e->i - f->i : f->i - e->i;
			if (d == 1 || d == m - 1)
				continue; /* adjacent: handled above */
			if (segs_touch(V(e->i), V(e->i + 1), V(f->i), V(f->i + 1))) {
				res = 1;
				goto out;
			}
		}
	}
#undef V
out:
	free(v);
	free(ek);
	return res;
}

tl_poly_issue tl_poly_check(const tl_point *p, size_t n)
{
	if (!p || n == 0)
		return TL_POLY_TOO_FEW;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(p[i].x) || !isfinite(p[i].y))
			return TL_POLY_NONFINITE;
	/* Two distinct points a, b, then a third off their line, if any. */
	size_t ib = 0;
	for (size_t i = 1; i < n && !ib; i++)
		if (!same(p[i], p[0]))
			ib = i;
	if (!ib)
		return TL_POLY_TOO_FEW;
	int third = 0, off_line = 0;
	for (size_t i = 1; i < n; i++) {
		if (same(p[i], p[0]) || same(p[i], p[ib]))
			continue;
		third = 1;
		if (tl_orient2d(p[0], p[ib], p[i]) != 0) {
			off_line = 1;
			break;
		}
	}
	if (!third)
		return TL_POLY_TOO_FEW;
	if (!off_line)
		return TL_POLY_ZERO_AREA;
	int si = tl_poly_self_intersects(p, n);
	if (si > 0)
		return TL_POLY_SELF_INTERSECTS;
	if (si < 0)
		return TL_POLY_TOO_COMPLEX;
	return TL_POLY_OK;
}

const char *tl_poly_issue_str(tl_poly_issue issue)
{
	switch (issue) {
	case TL_POLY_OK: return "valid";
	case TL_POLY_NONFINITE: return "non-finite coordinate";
	case TL_POLY_TOO_FEW: return "fewer than 3 distinct points";
	case TL_POLY_ZERO_AREA: return "zero area (all points on one line)";
	case TL_POLY_SELF_INTERSECTS: return "self-intersecting";
	case TL_POLY_TOO_COMPLEX: return "too complex to check for self-intersection";
	}
	return "unknown polygon issue";
}
