/* validate_clip.c — intersection area of two simple polygons, for the overlap rules
 * of validate (don't-care vs cared-for regions, near-duplicates).
 *
 * Green's theorem: the area of a region is half the sum of cross(p, q) over the
 * directed edges p->q of its boundary, walked so that the interior is on the same
 * side throughout. The boundary of A ∩ B is made of the pieces of A's boundary that
 * lie inside B and the pieces of B's boundary that lie inside A. So: orient both
 * rings the same way, cut every edge of one ring where it meets the other ring, and
 * sum the pieces whose midpoint lies inside the other polygon. A piece that runs
 * along the other ring's boundary is counted once, from A, and only when both rings
 * run the same way there (then the interiors are on the same side; running the
 * opposite way means the polygons only touch). This handles convex and concave
 * polygons alike, which Sutherland–Hodgman (convex clipper only) does not, and is
 * O(na * nb) per pair plus the cost of classifying the pieces.
 */
#include "tl_internal.h"
#include <math.h>          /* fabs, fmax */

/* Shoelace sum, positive when the ring is clockwise on screen (y down). */
static double signed_area2(const tl_point *p, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		const tl_point *a = &p[i], *b = &p[(i + 1) % n];
		s += a->x * b->y - b->x * a->y;
	}
	return s;
}

/* Vertex i of a ring walked forward (dir > 0) or backward. */
static tl_point vtx(const tl_point *p, size_t n, size_t i, int dir)
{
	return dir > 0 ? p[i] : p[n - 1 - i];
}

/* Where m lies relative to ring q (walked in direction dq): 1 inside, 0 outside,
 * 2 on the boundary along an edge running the same way as (d), 3 on the boundary
 * running the other way. eps is the distance that counts as "on". */
static int classify(tl_point m, tl_point d, const tl_point *q, size_t nq, int dq, double eps)
{
	int inside = 0;
	for (size_t j = 0; j < nq; j++) {
		tl_point a = vtx(q, nq, j, dq), b = vtx(q, nq, (j + 1) % nq, dq);
		double ex = b.x - a.x, ey = b.y - a.y;
		double len2 = ex * ex + ey * ey;
		if (len2 > 0) {
			double t = ((m.x - a.x) * ex + (m.y - a.y) * ey) / len2;
			if (t >= 0 && t <= 1) {
				double px = a.x + t * ex - m.x, py = a.y + t * ey - m.y;
				if (px * px + py * py <= eps * eps)
					return (ex * d.x + ey * d.y) > 0 ? 2 : 3;
			}
		}
		/* Crossing number with the half-open rule on y. */
		if ((a.y > m.y) != (b.y > m.y)) {
			double x = a.x + (m.y - a.y) / (b.y - a.y) * (b.x - a.x);
			if (m.x < x)
				inside = !inside;
		}
	}
	return inside;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sum of cross(piece) over the pieces of ring p (walked in direction dp) that lie
 * inside ring q; with own_shared, pieces along q's boundary in the same direction
 * count too. ts is scratch for nq + 2 parameters. */
static double boundary_sum(const tl_point *p, size_t np, int dp, const tl_point *q, size_t nq,
			   int dq, int own_shared, double eps, double *ts)
{
	double sum = 0;
	for (size_t i = 0; i < np; i++) {
		tl_point a = vtx(p, np, i, dp), b = vtx(p, np, (i + 1) % np, dp);
		tl_point r = { b.x - a.x, b.y - a.y };
		double rr = r.x * r.x + r.y * r.y;
		if (rr == 0)
			continue;
		size_t nt = 0;
		ts[nt++] = 0;
		ts[nt++] = 1;
		for (size_t j = 0; j < nq; j++) {
			tl_point c = vtx(q, nq, j, dq), e = vtx(q, nq, (j + 1) % nq, dq);
			tl_point s = { e.x - c.x, e.y - c.y };
			double den = r.x * s.y - r.y * s.x;
			double cx = c.x - a.x, cy = c.y - a.y;
			if (den != 0) {
				double t = (cx * s.y - cy * s.x) / den;
				double u = (cx * r.y - cy * r.x) / den;
				if (t > 0 && t < 1 && u >= -1e-12 && u <= 1 + 1e-12)
					ts[nt++] = t;
			} else if (fabs(cx * r.y - cy * r.x) <= eps * sqrt(rr)) {
				/* Collinear: the other edge's end points split this one. Extra
				 * cuts are harmless, so no overlap test is needed. */
				double t1 = (cx * r.x + cy * r.y) / rr;
				double t2 = ((e.x - a.x) * r.x + (e.y - a.y) * r.y) / rr;
				if (t1 > 0 && t1 < 1)
					ts[nt++] = t1;
				if (t2 > 0 && t2 < 1)
					ts[nt++] = t2;
			}
			/* nt is at most 2 + 2 * nq; ts was sized for that. */
		}
		qsort(ts, nt, sizeof *ts, cmp_double);
		for (size_t k = 0; k + 1 < nt; k++) {
			double t0 = ts[k], t1 = ts[k + 1];
			if (t1 - t0 <= 1e-12)
				continue;
			tl_point p0 = { a.x + t0 * r.x, a.y + t0 * r.y };
			tl_point p1 = { a.x + t1 * r.x, a.y + t1 * r.y };
			if (t1 == 1)
				p1 = b;
			tl_point m = { (p0.x + p1.x) / 2, (p0.y + p1.y) / 2 };
			int c = classify(m, r, q, nq, dq, eps);
			if (c == 1 || (own_shared && c == 2))
				sum += p0.x * p1.y - p1.x * p0.y;
		}
	}
	return sum;
}

double tl_validate_inter_area(const tl_point *a, size_t na, const tl_point *b, size_t nb)
{
	if (!a || !b || na < 3 || nb < 3)
		return 0;
	double minx = a[0].x, maxx = a[0].x, miny = a[0].y, maxy = a[0].y;
	double bminx = b[0].x, bmaxx = b[0].x, bminy = b[0].y, bmaxy = b[0].y;
	for (size_t i = 0; i < na; i++) {
		if (!isfinite(a[i].x) || !isfinite(a[i].y))
			return 0;
		minx = fmin(minx, a[i].x); maxx = fmax(maxx, a[i].x);
		miny = fmin(miny, a[i].y); maxy = fmax(maxy, a[i].y);
	}
	for (size_t i = 0; i < nb; i++) {
		if (!isfinite(b[i].x) || !isfinite(b[i].y))
			return 0;
		bminx = fmin(bminx, b[i].x); bmaxx = fmax(bmaxx, b[i].x);
		bminy = fmin(bminy, b[i].y); bmaxy = fmax(bmaxy, b[i].y);
	}
	if (bminx >= maxx || minx >= bmaxx || bminy >= maxy || miny >= bmaxy)
		return 0;
	double sa = signed_area2(a, na), sb = signed_area2(b, nb);
	if (sa == 0 || sb == 0)
		return 0;
	/* Walk both clockwise on screen (positive shoelace sum). */
	int da = sa > 0 ? 1 : -1, db = sb > 0 ? 1 : -1;
	double scale = fmax(fmax(maxx - minx, maxy - miny), fmax(bmaxx - bminx, bmaxy - bminy));
	double mag = fmax(fmax(fabs(minx), fabs(maxx)), fmax(fabs(miny), fabs(maxy)));
	double eps = 1e-9 * fmax(scale, mag) + 1e-300;
	size_t cap = 2 + 2 * (na > nb ? na : nb);
	double *ts = malloc(cap * sizeof *ts);
	if (!ts)
		return 0;
	double s = boundary_sum(a, na, da, b, nb, db, 1, eps, ts) +
		   boundary_sum(b, nb, db, a, na, da, 0, eps, ts);
	free(ts);
	double area = s / 2;
	/* Rounding can leave a hair below 0 or above the smaller area. */
	double amax = fmin(fabs(sa), fabs(sb)) / 2;
	return area < 0 ? 0 : area > amax ? amax : area;
}
