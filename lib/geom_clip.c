/* geom_clip.c — even-odd areas of polygon combinations by a vertical-slab sweep.
 *
 * Why a sweep rather than a clipper that builds the output polygon: the protocols only
 * need areas, the operands may be self-intersecting (GPC reads them with the even-odd
 * rule and the reference figures depend on it), and a sweep has no special cases for
 * coincident edges or touching vertices — those produce zero-width gaps that add
 * nothing. Cost is O(S·E log E) for S slabs and E edges, tiny for quads.
 */
#include "tl_internal.h"
#include "geom_clip.h"
#include <math.h>

typedef struct cedge {
	double x0, y0, x1, y1; /* x0 < x1 */
	int poly, cls;
	size_t seq;            /* rank in the order the operands list the edges */
} cedge;

typedef struct cact {
	double ym, yl, yr;
	int poly, cls;
} cact;

/*
 * Bounds of one call: any pair of rings the library reads (TL_MAX_POINTS each) fits;
 * beyond them, or out of memory, the caller gets -1, never a partial area. Work is
 * O((E + X) log E + S·A) for E edges, X crossings, S slabs and A edges spanning a
 * slab: a ring of thousands of vertices against a quad costs little more than the
 * part of the ring over the quad.
 */
#define CLIP_MAX_EDGES ((size_t)TL_MAX_POINTS * 2)
#define CLIP_MAX_XS ((size_t)1 << 25) /* slab boundaries: vertices and crossings */
#define CLIP_STACK_EDGES 32

static double edge_y(const cedge *e, double x)
{
	if (x <= e->x0)
		return e->y0;
	if (x >= e->x1)
		return e->y1;
	if (e->y0 == e->y1)
		return e->y0;
	return e->y0 + (x - e->x0) * (e->y1 - e->y0) / (e->x1 - e->x0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Left end first, then the operands' order: a total order, so any sort gives it. */
static int edge_before(const cedge *e, const cedge *f)
{
	return e->x0 < f->x0 || (e->x0 == f->x0 && e->seq < f->seq);
}

static int cmp_edge(const void *a, const void *b)
{
	const cedge *e = a, *f = b;
	return edge_before(e, f) ? -1 : edge_before(f, e);
}

static void sort_edges(cedge *e, size_t n)
{
	if (n > CLIP_STACK_EDGES) {
		qsort(e, n, sizeof *e, cmp_edge);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		cedge t = e[i];
		size_t j = i;
		while (j > 0 && edge_before(&t, &e[j - 1])) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = t;
	}
}

double tl_clip_raw_area(const tl_point *p, size_t n)
{
	double s = 0;
	if (n < 3)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const tl_point *a = &p[i], *b = &p[(i + 1) % n];
		s += a->x * b->y - b->x * a->y;
	}
	return fabs(s) * 0.5;
}

/* Parameter of the proper crossing of edges e and f, written into *x; 0 if none. */
static int edge_cross(const cedge *e, const cedge *f, double *x)
{
	double ex = e->x1 - e->x0, ey = e->y1 - e->y0;
	double fx = f->x1 - f->x0, fy = f->y1 - f->y0;
	double d = ex * fy - ey * fx;
	if (d == 0)
		return 0;
	double gx = f->x0 - e->x0, gy = f->y0 - e->y0;
	double t = (gx * fy - gy * fx) / d;
	double u = (gx * ey - gy * ex) / d;
	if (!(t > 0 && t < 1 && u > 0 && u < 1))
		return 0;
	*x = e->x0 + t * ex;
	return 1;
}

/* Appends x to the slab boundaries, growing the array; 0 when out of memory or over
 * CLIP_MAX_XS. */
static int push_x(double **xs, size_t *nx, size_t *cap, const double *stack, double x)
{
	if (*nx == *cap) {
		if (*cap >= CLIP_MAX_XS)
			return 0;
		size_t ncap = *cap * 2 < CLIP_MAX_XS ? *cap * 2 : CLIP_MAX_XS;
		double *n = malloc(ncap * sizeof *n);
		if (!n)
			return 0;
		memcpy(n, *xs, *nx * sizeof *n);
		if (*xs != stack)
			free(*xs);
		*xs = n;
		*cap = ncap;
	}
	(*xs)[(*nx)++] = x;
	return 1;
}

/*
 * The edges are sorted by left end, and two sweeps walk them with the list of edges
 * still open: the first finds the crossings (only edges whose x-ranges overlap are
 * tried), the second gives each slab the edges that span it. Each edge keeps its rank
 * in the operands' order (seq): crossings are computed with the earlier edge first and
 * a slab's edges are stacked in that order before the sort by height, so the area is
 * the same, to the bit, whatever the sort did.
 */
double tl_clip_area(const tl_clip_poly *polys, size_t npolys, const unsigned char want[8])
{
	cedge ebuf[CLIP_STACK_EDGES];
	cact abuf[CLIP_STACK_EDGES];
	size_t obuf[CLIP_STACK_EDGES];
	double xbuf[CLIP_STACK_EDGES * 6];
	unsigned char pbuf[CLIP_STACK_EDGES];
	cedge *edges = ebuf;
	cact *act = abuf;
	size_t *open = obuf;
	double *xs = xbuf;
	unsigned char *par = pbuf;
	size_t xcap = TL_ARRAY_LEN(xbuf);
	size_t nv = 0;
	double area = -1;

	for (size_t i = 0; i < npolys; i++) {
		if (polys[i].n > CLIP_MAX_EDGES - nv)
			return -1;
		nv += polys[i].n;
	}
	if (npolys > CLIP_MAX_EDGES)
		return -1;

	/* The x-range where the wanted set can be non-empty: a class that every wanted
	 * mask contains bounds it by its operands' extent. */
	double lo = -INFINITY, hi = INFINITY;
	for (int c = 1; c <= 4; c <<= 1) {
		int required = 1;
		for (int m = 0; m < 8; m++)
			if (want[m] && !(m & c))
				required = 0;
		if (!required)
			continue;
		double clo = INFINITY, chi = -INFINITY;
		for (size_t i = 0; i < npolys; i++) {
			if (polys[i].cls != c)
				continue;
			for (size_t k = 0; k < polys[i].n; k++) {
				if (polys[i].p[k].x < clo)
					clo = polys[i].p[k].x;
				if (polys[i].p[k].x > chi)
					chi = polys[i].p[k].x;
			}
		}
		if (clo > lo)
			lo = clo;
		if (chi < hi)
			hi = chi;
	}
	if (!(lo < hi))
		return 0;

	if (nv > CLIP_STACK_EDGES || npolys > CLIP_STACK_EDGES) {
		edges = malloc(nv * sizeof *edges);
		act = malloc(nv * sizeof *act);
		open = malloc(nv * sizeof *open);
		par = calloc(npolys, 1);
		xcap = nv * 6 + 2; /* nv <= CLIP_MAX_EDGES keeps this under CLIP_MAX_XS */
		xs = malloc(xcap * sizeof *xs);
		if (!edges || !act || !open || !par || !xs)
			goto done;
	} else {
		memset(par, 0, npolys);
	}

	size_t ne = 0, nx = 0;
	for (size_t i = 0; i < npolys; i++) {
		const tl_point *p = polys[i].p;
		size_t n = polys[i].n;
		if (n < 3)
			continue;
		for (size_t k = 0; k < n; k++) {
			const tl_point *a = &p[k], *b = &p[(k + 1) % n];
			if (!isfinite(a->x) || !isfinite(a->y))
				goto done;
			if (a->x > lo && a->x < hi)
				xs[nx++] = a->x;
			if (a->x == b->x)
				continue; /* vertical edges bound no slab interior */
			cedge *e = &edges[ne];
			if (a->x < b->x) {
				e->x0 = a->x; e->y0 = a->y; e->x1 = b->x; e->y1 = b->y;
			} else {
				e->x0 = b->x; e->y0 = b->y; e->x1 = a->x; e->y1 = a->y;
			}
			e->poly = (int)i;
			e->cls = polys[i].cls;
			e->seq = ne++;
		}
	}
	if (!push_x(&xs, &nx, &xcap, xbuf, lo) || !push_x(&xs, &nx, &xcap, xbuf, hi))
		goto done;
	sort_edges(edges, ne);

	/* crossings: an edge meets only the open edges, those not ended left of it */
	size_t nopen = 0;
	for (size_t i = 0; i < ne; i++) {
		const cedge *f = &edges[i];
		size_t m = 0;
		for (size_t k = 0; k < nopen; k++) {
			const cedge *e = &edges[open[k]];
			if (e->x1 <= f->x0)
				continue;
			open[m++] = open[k];
			double x;
			if (!(e->seq < f->seq ? edge_cross(e, f, &x) : edge_cross(f, e, &x)) ||
			    !(x > lo && x < hi))
				continue;
			if (!push_x(&xs, &nx, &xcap, xbuf, x))
				goto done;
		}
		open[m++] = i;
		nopen = m;
	}
	qsort(xs, nx, sizeof *xs, cmp_double);

	area = 0;
	nopen = 0;
	size_t next = 0;
	for (size_t s = 0; s + 1 < nx; s++) {
		double xl = xs[s], xr = xs[s + 1];
		if (!(xr > xl))
			continue;
		/* open edges stay in seq order; those ended before xr never span again */
		for (; next < ne && edges[next].x0 <= xl; next++) {
			size_t k = nopen++;
			while (k > 0 && edges[open[k - 1]].seq > edges[next].seq) {
				open[k] = open[k - 1];
				k--;
			}
			open[k] = next;
		}
		double xm = 0.5 * (xl + xr);
		size_t na = 0, m = 0;
		for (size_t k = 0; k < nopen; k++) {
			const cedge *e = &edges[open[k]];
			if (e->x1 < xr)
				continue;
			open[m++] = open[k];
			cact *a = &act[na++];
			a->ym = edge_y(e, xm);
			a->yl = edge_y(e, xl);
			a->yr = edge_y(e, xr);
			a->poly = e->poly;
			a->cls = e->cls;
		}
		nopen = m;
		/* insertion sort by height at mid-slab; the active lists are short */
		for (size_t i = 1; i < na; i++) {
			cact t = act[i];
			size_t j = i;
			while (j > 0 && act[j - 1].ym > t.ym) {
				act[j] = act[j - 1];
				j--;
			}
			act[j] = t;
		}
		int cnt[3] = { 0, 0, 0 };
		double strip = 0;
		for (size_t k = 0; k + 1 < na; k++) {
			int ci = act[k].cls == TL_CLIP_A ? 0 : act[k].cls == TL_CLIP_B ? 1 : 2;
			par[act[k].poly] ^= 1;
			cnt[ci] += par[act[k].poly] ? 1 : -1;
			int mask = (cnt[0] > 0 ? TL_CLIP_A : 0) | (cnt[1] > 0 ? TL_CLIP_B : 0) |
				   (cnt[2] > 0 ? TL_CLIP_C : 0);
			if (want[mask])
				strip += (act[k + 1].yl - act[k].yl) + (act[k + 1].yr - act[k].yr);
		}
		for (size_t k = 0; k < na; k++)
			par[act[k].poly] = 0;
		area += strip * 0.5 * (xr - xl);
	}
done:
	if (edges != ebuf)
		free(edges);
	if (act != abuf)
		free(act);
	if (open != obuf)
		free(open);
	if (xs != xbuf)
		free(xs);
	if (par != pbuf)
		free(par);
	return area;
}

/* Turn direction of a quad or triangle: +1 / -1 when every corner turns the same way
 * (convex, simple), 0 otherwise (bow-tie, dent, degenerate). For at most four vertices
 * same-sign turns imply a simple convex ring. */
static int convex_sign(const tl_point *p, size_t n)
{
	int sg = 0;
	if (n < 3 || n > 4)
		return 0;
	for (size_t i = 0; i < n; i++) {
		tl_point a = p[i], b = p[(i + 1) % n], c = p[(i + 2) % n];
		double t = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
		if (t == 0)
			return 0; /* collinear or repeated corners: let the sweep handle it */
		int s = t > 0 ? 1 : -1;
		if (sg && s != sg)
			return 0;
		sg = s;
	}
	return sg;
}

/* Sutherland-Hodgman clipping of convex b by convex a (orientation sign sa). Corners
 * that lie inside or on the clip edges are kept as they are, so when one quad contains
 * the other the result has the original integer corners and its area is exact. */
static double convex_inter(const tl_point *a, size_t na, int sa, const tl_point *b, size_t nb)
{
	tl_point buf1[16], buf2[16];
	tl_point *in = buf1, *out = buf2;
	size_t n = nb;
	memcpy(in, b, nb * sizeof *b);
	for (size_t i = 0; i < na && n > 0; i++) {
		tl_point c0 = a[i], c1 = a[(i + 1) % na];
		double ex = c1.x - c0.x, ey = c1.y - c0.y;
		size_t m = 0;
		for (size_t k = 0; k < n; k++) {
			tl_point p = in[k], q = in[(k + 1) % n];
			double sp = (ex * (p.y - c0.y) - ey * (p.x - c0.x)) * sa;
			double sq = (ex * (q.y - c0.y) - ey * (q.x - c0.x)) * sa;
			if (sp >= 0)
				out[m++] = p;
			if ((sp > 0 && sq < 0) || (sp < 0 && sq > 0)) {
				double t = sp / (sp - sq);
				out[m++] = (tl_point){ p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t };
			}
		}
		tl_point *t = in;
		in = out;
		out = t;
		n = m;
	}
	return tl_clip_raw_area(in, n);
}

double tl_clip_inter(const tl_point *a, size_t na, const tl_point *b, size_t nb)
{
	static const unsigned char want[8] = { 0, 0, 0, 1, 0, 0, 0, 1 };
	if (na < 3 || nb < 3)
		return 0;
	tl_rect ra = { a[0].x, a[0].y, a[0].x, a[0].y }, rb = { b[0].x, b[0].y, b[0].x, b[0].y };
	for (size_t i = 1; i < na; i++) {
		ra.l = fmin(ra.l, a[i].x); ra.r = fmax(ra.r, a[i].x);
		ra.t = fmin(ra.t, a[i].y); ra.b = fmax(ra.b, a[i].y);
	}
	for (size_t i = 1; i < nb; i++) {
		rb.l = fmin(rb.l, b[i].x); rb.r = fmax(rb.r, b[i].x);
		rb.t = fmin(rb.t, b[i].y); rb.b = fmax(rb.b, b[i].y);
	}
	if (ra.r <= rb.l || rb.r <= ra.l || ra.b <= rb.t || rb.b <= ra.t)
		return 0;
	int sa = convex_sign(a, na);
	if (sa && convex_sign(b, nb))
		return convex_inter(a, na, sa, b, nb);
	tl_clip_poly ps[2] = { { a, na, TL_CLIP_A }, { b, nb, TL_CLIP_B } };
	double v = tl_clip_area(ps, 2, want);
	if (v >= 0)
		return v;
	/* the sweep refuses a non-finite corner: no area; otherwise memory ran out */
	return tl_clip_finite(a, na) && tl_clip_finite(b, nb) ? -1 : 0;
}

int tl_clip_finite(const tl_point *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(p[i].x) || !isfinite(p[i].y))
			return 0;
	return 1;
}

static double orient(tl_point a, tl_point b, tl_point c)
{
	return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

static int on_segment(tl_point a, tl_point b, tl_point c)
{
	return fmin(a.x, b.x) <= c.x && c.x <= fmax(a.x, b.x) && fmin(a.y, b.y) <= c.y &&
	       c.y <= fmax(a.y, b.y);
}

/* Closed segments ab and cd share at least one point. */
static int seg_touch(tl_point a, tl_point b, tl_point c, tl_point d)
{
	double o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
	if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
		return 1;
	if (o1 == 0 && on_segment(a, b, c))
		return 1;
	if (o2 == 0 && on_segment(a, b, d))
		return 1;
	if (o3 == 0 && on_segment(c, d, a))
		return 1;
	if (o4 == 0 && on_segment(c, d, b))
		return 1;
	return 0;
}

int tl_clip_valid_simple(const tl_point *p, size_t n)
{
	tl_point sbuf[64];
	tl_point *q = n <= 64 ? sbuf : malloc(n * sizeof *q);
	size_t m = 0;
	int ok = 0;
	if (!q)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(p[i].x) || !isfinite(p[i].y))
			goto done;
		if (m > 0 && q[m - 1].x == p[i].x && q[m - 1].y == p[i].y)
			continue;
		q[m++] = p[i];
	}
	while (m > 1 && q[m - 1].x == q[0].x && q[m - 1].y == q[0].y)
		m--;
	if (m < 3 || tl_clip_raw_area(q, m) == 0)
		goto done;
	for (size_t i = 0; i < m; i++) {
		tl_point a = q[i], b = q[(i + 1) % m];
		for (size_t j = i + 1; j < m; j++) {
			tl_point c = q[j], d = q[(j + 1) % m];
			int adjacent = j == i + 1 || (i == 0 && j == m - 1);
			if (adjacent) {
				/* neighbours meet at one vertex; folding back on each other is a spike */
				double dx1 = b.x - a.x, dy1 = b.y - a.y, dx2 = d.x - c.x, dy2 = d.y - c.y;
				if (dx1 * dy2 - dy1 * dx2 == 0 && dx1 * dx2 + dy1 * dy2 < 0)
					goto done;
				if (m == 3)
					continue;
				/* a non-shared endpoint lying on the neighbour also folds the ring */
				if (j == i + 1 ? (orient(a, b, d) == 0 && on_segment(a, b, d)) ||
						 (orient(c, d, a) == 0 && on_segment(c, d, a))
					       : (orient(a, b, c) == 0 && on_segment(a, b, c)) ||
						 (orient(c, d, b) == 0 && on_segment(c, d, b)))
					goto done;
				continue;
			}
			if (seg_touch(a, b, c, d))
				goto done;
		}
	}
	ok = 1;
done:
	if (q != sbuf)
		free(q);
	return ok;
}

/* ---- exact decisions for integer quads ----------------------------------------------
 *
 * A tie such as IoU = 1/2 exactly is decided by exact arithmetic: the intersection of two
 * convex polygons with integer corners has rational corners, each the crossing of two
 * edge lines, and its doubled area is a sum of fractions. Numerators reach ~2^155 and
 * the common denominator grows with the corner count, so a small signed big integer
 * (schoolbook, 32-bit limbs) carries the sum. Used only near a tie, so speed is moot. */

__extension__ typedef __int128 cl_i128;
__extension__ typedef unsigned __int128 cl_u128;

#define BIG_LIMBS 64

typedef struct big {
	int neg;
	int n;                  /* limbs in use; 0 = zero */
	uint32_t d[BIG_LIMBS];
} big;

static void big_norm(big *a)
{
	while (a->n > 0 && a->d[a->n - 1] == 0)
		a->n--;
	if (a->n == 0)
		a->neg = 0;
}

static void big_from(big *a, cl_i128 v)
{
	cl_u128 m = v < 0 ? (cl_u128)0 - (cl_u128)v : (cl_u128)v;
	a->neg = v < 0;
	a->n = 0;
	while (m) {
		a->d[a->n++] = (uint32_t)m;
		m >>= 32;
	}
	big_norm(a);
}

/* c = a * b; returns 0 on overflow of the fixed size */
static int big_mul(big *c, const big *a, const big *b)
{
	big r;
	memset(&r, 0, sizeof r);
	if (a->n + b->n > BIG_LIMBS)
		return 0;
	for (int i = 0; i < a->n; i++) {
		uint64_t carry = 0;
		for (int j = 0; j < b->n; j++) {
			uint64_t t = (uint64_t)a->d[i] * b->d[j] + r.d[i + j] + carry;
			r.d[i + j] = (uint32_t)t;
			carry = t >> 32;
		}
		r.d[i + b->n] = (uint32_t)carry;
	}
	r.n = a->n + b->n;
	r.neg = a->neg != b->neg;
	big_norm(&r);
	*c = r;
	return 1;
}

static int big_cmp_mag(const big *a, const big *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (int i = a->n - 1; i >= 0; i--)
		if (a->d[i] != b->d[i])
			return a->d[i] < b->d[i] ? -1 : 1;
	return 0;
}

/* c = a + b (signed); returns 0 on overflow */
static int big_add(big *c, const big *a, const big *b)
{
	big r;
	memset(&r, 0, sizeof r);
	if (a->neg == b->neg) {
		int n = a->n > b->n ? a->n : b->n;
		uint64_t carry = 0;
		for (int i = 0; i < n; i++) {
			uint64_t t = (uint64_t)(i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0) + carry;
			r.d[i] = (uint32_t)t;
			carry = t >> 32;
		}
		if (carry) {
			if (n >= BIG_LIMBS)
				return 0;
			r.d[n++] = (uint32_t)carry;
		}
		r.n = n;
		r.neg = a->neg;
	} else {
		const big *x = a, *y = b; /* |x| >= |y| */
		if (big_cmp_mag(a, b) < 0) {
			x = b;
			y = a;
		}
		int64_t borrow = 0;
		for (int i = 0; i < x->n; i++) {
			int64_t t = (int64_t)x->d[i] - (i < y->n ? y->d[i] : 0) - borrow;
			borrow = t < 0;
			r.d[i] = (uint32_t)(t + (borrow << 32));
		}
		r.n = x->n;
		r.neg = x->neg;
	}
	big_norm(&r);
	*c = r;
	return 1;
}

/* A point X/D, Y/D with D > 0. */
typedef struct xpt {
	cl_i128 x, y, d;
} xpt;

typedef struct xline {
	int64_t x0, y0, x1, y1;
} xline;

/* Crossing of two lines that are known to cross (den != 0). */
static xpt line_cross(const xline *l, const xline *c)
{
	cl_i128 d1x = l->x1 - l->x0, d1y = l->y1 - l->y0, d2x = c->x1 - c->x0, d2y = c->y1 - c->y0;
	cl_i128 den = d1x * d2y - d1y * d2x;
	cl_i128 t = (cl_i128)(c->x0 - l->x0) * d2y - (cl_i128)(c->y0 - l->y0) * d2x;
	xpt p = { (cl_i128)l->x0 * den + d1x * t, (cl_i128)l->y0 * den + d1y * t, den };
	if (den < 0) {
		p.x = -p.x;
		p.y = -p.y;
		p.d = -p.d;
	}
	return p;
}

static int sgn128(cl_i128 v)
{
	return (v > 0) - (v < 0);
}

/* Side of p relative to the directed line c, times the clip orientation. */
static int xside(const xpt *p, const xline *c, int sa)
{
	cl_i128 ex = c->x1 - c->x0, ey = c->y1 - c->y0;
	cl_i128 v = ex * (p->y - (cl_i128)c->y0 * p->d) - ey * (p->x - (cl_i128)c->x0 * p->d);
	return sgn128(v) * sa;
}

/* Exact doubled area (as P/Q, Q > 0) of convex a ∩ convex b by Sutherland-Hodgman
 * on rational points. Returns 0 when out of range. */
#define XMAX 24
static int exact_inter2(const tl_point *a, size_t na, int sa, const tl_point *b, size_t nb, big *P,
			big *Q)
{
	xpt buf[2][24];
	xline lines[2][24]; /* supporting line of the edge that starts at each vertex */
	int cur = 0;
	size_t n = nb;
	for (size_t k = 0; k < nb; k++) {
		buf[0][k] = (xpt){ (cl_i128)b[k].x, (cl_i128)b[k].y, 1 };
		lines[0][k] = (xline){ (int64_t)b[k].x, (int64_t)b[k].y, (int64_t)b[(k + 1) % nb].x,
				       (int64_t)b[(k + 1) % nb].y };
	}
	for (size_t i = 0; i < na && n > 0; i++) {
		xline c = { (int64_t)a[i].x, (int64_t)a[i].y, (int64_t)a[(i + 1) % na].x,
			    (int64_t)a[(i + 1) % na].y };
		xpt *in = buf[cur], *out = buf[!cur];
		xline *lin = lines[cur], *lout = lines[!cur];
		size_t m = 0;
		for (size_t k = 0; k < n; k++) {
			const xpt *p = &in[k], *q = &in[(k + 1) % n];
			int sp = xside(p, &c, sa), sq = xside(q, &c, sa);
			if (m + 2 > 24)
				return 0;
			if (sp >= 0) {
				out[m] = *p;
				/* a corner on the clip line whose edge leaves the half-plane is
				 * followed by the point where the boundary re-enters: along c */
				lout[m++] = (sp == 0 && sq < 0) ? c : lin[k];
			}
			if ((sp > 0 && sq < 0) || (sp < 0 && sq > 0)) {
				out[m] = line_cross(&lin[k], &c);
				if (out[m].d == 0)
					return 0; /* parallel: a mislabelled edge, give up exactness */
				/* leaving the half-plane, the boundary runs along the clip line;
				 * entering it, along the subject edge */
				lout[m++] = sp > 0 ? c : lin[k];
			}
		}
		cur = !cur;
		n = m;
	}
	big_from(P, 0);
	big_from(Q, 1);
	const xpt *v = buf[cur];
	for (size_t i = 0; i < n; i++) {
		const xpt *p = &v[i], *q = &v[(i + 1) % n];
		big t1, t2, xa, yb, num, den, dd, pq;
		big_from(&xa, p->x);
		big_from(&yb, q->y);
		if (!big_mul(&t1, &xa, &yb))
			return 0;
		big_from(&xa, q->x);
		big_from(&yb, p->y);
		if (!big_mul(&t2, &xa, &yb))
			return 0;
		t2.neg = t2.n ? !t2.neg : 0;
		if (!big_add(&num, &t1, &t2))
			return 0;
		big_from(&den, p->d);
		big_from(&dd, q->d);
		if (!big_mul(&den, &den, &dd))
			return 0;
		/* P/Q += num/den */
		if (!big_mul(&pq, P, &den) || !big_mul(&t1, &num, Q) || !big_add(P, &pq, &t1) ||
		    !big_mul(Q, Q, &den))
			return 0;
	}
	return 1;
}

static int int_coords(const tl_point *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(fabs(p[i].x) <= (double)(1 << XMAX) && fabs(p[i].y) <= (double)(1 << XMAX)) ||
		    p[i].x != trunc(p[i].x) || p[i].y != trunc(p[i].y))
			return 0;
	return 1;
}

int tl_clip_inter_cmp(const tl_point *a, size_t na, const tl_point *b, size_t nb, int m, double c2)
{
	int sa = convex_sign(a, na);
	if (!sa || !convex_sign(b, nb) || !int_coords(a, na) || !int_coords(b, nb) ||
	    !(fabs(c2) < 9007199254740992.0) || c2 != trunc(c2))
		return -2;
	big P, Q, mp, cq, cc, r;
	if (!exact_inter2(a, na, sa, b, nb, &P, &Q))
		return -2;
	P.neg = 0; /* the doubled area is |P/Q| */
	big_from(&mp, m);
	big_from(&cc, (cl_i128)c2);
	if (!big_mul(&mp, &mp, &P) || !big_mul(&cq, &cc, &Q))
		return -2;
	cq.neg = cq.n ? !cq.neg : 0;
	if (!big_add(&r, &mp, &cq))
		return -2;
	return r.n == 0 ? 0 : r.neg ? -1 : 1;
}
