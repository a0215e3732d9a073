/* geom_simple.c — exact orientation predicate and polygon validity: non-finite
 * coordinates, too few points, zero area, self-intersection (formats.md §1.5). */
#include "tl_internal.h"
#include <math.h>
#include <stdint.h>
#include "geom_internal.h"

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

/* A ring v[0..m-1] without consecutive repeats, m >= 4: edge i joins v[i] and
 * v[i+1 mod m]; edges i and i±1 (mod m) are adjacent. */
typedef struct ring {
	const tl_point *v;
	size_t m;
} ring;

static tl_point rv(const ring *r, size_t i) { return r->v[i % r->m]; }

static int adjacent(const ring *r, size_t a, size_t b)
{
	size_t d = a > b ? a - b : b - a;
	return d == 1 || d == r->m - 1;
}

static int edges_touch(const ring *r, size_t a, size_t b)
{
	return !adjacent(r, a, b) && segs_touch(rv(r, a), rv(r, a + 1), rv(r, b), rv(r, b + 1));
}

/* Sweep and prune along x: after sorting the edges by their left end, an edge
 * only needs testing against the edges that start before it ends. Returns 1, 0,
 * or -1 when more than `budget` candidate pairs come up (or out of memory). */
static int si_prune(const ring *r, uint64_t budget)
{
	size_t m = r->m;
	edge_key *ek = malloc(m * sizeof *ek);
	if (!ek)
		return -1;
	for (size_t i = 0; i < m; i++) {
		tl_point a = rv(r, i), b = rv(r, i + 1);
		ek[i] = (edge_key){ fmin(a.x, b.x), fmax(a.x, b.x), fmin(a.y, b.y), fmax(a.y, b.y), i };
	}
	qsort(ek, m, sizeof *ek, cmp_minx);
	uint64_t work = 0;
	int res = 0;
	for (size_t s = 0; s < m && !res; s++) {
		const edge_key *e = &ek[s];
		for (size_t t = s + 1; t < m && ek[t].minx <= e->maxx; t++) {
			const edge_key *f = &ek[t];
			if (++work > budget) {
				res = -1;
				break;
			}
			if (f->miny > e->maxy || f->maxy < e->miny)
				continue;
			if (edges_touch(r, e->i, f->i)) {
				res = 1;
				break;
			}
		}
	}
	free(ek);
	return res;
}

/* ---- Shamos-Hoey sweep: O(m log m) whatever the shape ----------------------
 * Events are the edge end points in (x, y) order (a line swept left to right,
 * tilted a hair so that equal x is taken bottom to top). The edges cut by the
 * sweep line are kept in a treap ordered bottom to top, with a linked list for
 * the neighbours. As long as no two non-adjacent edges have met, two edges
 * that are both cut by the line compare by where the later-starting one's left
 * end lies against the earlier one's line, which needs no sweep position. The
 * first meeting of two non-adjacent edges is always between edges that are
 * neighbours at some moment before it, so checking every new pair of
 * neighbours finds it. */

#define NIL SIZE_MAX

typedef struct sh_node {
	size_t l, r, prev, next;
	uint32_t pri;
} sh_node;

typedef struct sh {
	const ring *g;
	sh_node *n;
	tl_point *lo, *hi; /* each edge's ends in sweep order */
	size_t root;
	int found;
} sh;

static int lex_less(tl_point a, tl_point b)
{
	return a.x < b.x || (a.x == b.x && a.y < b.y);
}

static void seg_ends(const ring *g, size_t i, tl_point *lo, tl_point *hi)
{
	tl_point a = rv(g, i), b = rv(g, i + 1);
	if (lex_less(b, a)) {
		tl_point t = a;
		a = b;
		b = t;
	}
	*lo = a;
	*hi = b;
}

/* > 0 when edge s lies above edge t on the sweep line, < 0 below. Sets found
 * when the two are seen to touch. */
static int sh_cmp(sh *S, size_t s, size_t t)
{
	if (s == t)
		return 0;
	tl_point ls = S->lo[s], hs = S->hi[s], lt = S->lo[t], ht = S->hi[t];
	int flip = 1;
	if (lex_less(ls, lt)) { /* make t the earlier-starting edge */
		tl_point a = ls, b = hs;
		ls = lt, hs = ht, lt = a, ht = b;
		size_t k = s;
		s = t, t = k;
		flip = -1;
	}
	int o = tl_orient2d(lt, ht, ls);
	if (o == 0) {
		if (in_box(lt, ht, ls) && !adjacent(S->g, s, t))
			S->found = 1;
		o = tl_orient2d(lt, ht, hs);
		if (o == 0) /* collinear, meeting at most in a shared end: any fixed order */
			o = s > t ? 1 : -1;
	}
	return o * flip;
}

static size_t sh_insert(sh *S, size_t root, size_t x, size_t *pred, size_t *succ)
{
	if (root == NIL)
		return x;
	sh_node *n = S->n;
	if (sh_cmp(S, x, root) > 0) {
		*pred = root;
		n[root].r = sh_insert(S, n[root].r, x, pred, succ);
		size_t c = n[root].r;
		if (n[c].pri > n[root].pri) { /* rotate left */
			n[root].r = n[c].l;
			n[c].l = root;
			return c;
		}
	} else {
		*succ = root;
		n[root].l = sh_insert(S, n[root].l, x, pred, succ);
		size_t c = n[root].l;
		if (n[c].pri > n[root].pri) { /* rotate right */
			n[root].l = n[c].r;
			n[c].r = root;
			return c;
		}
	}
	return root;
}

static size_t sh_merge(sh *S, size_t a, size_t b)
{
	if (a == NIL)
		return b;
	if (b == NIL)
		return a;
	if (S->n[a].pri > S->n[b].pri) {
		S->n[a].r = sh_merge(S, S->n[a].r, b);
		return a;
	}
	S->n[b].l = sh_merge(S, a, S->n[b].l);
	return b;
}

static size_t sh_remove(sh *S, size_t root, size_t x)
{
	if (root == NIL)
		return NIL;
	if (root == x)
		return sh_merge(S, S->n[x].l, S->n[x].r);
	if (sh_cmp(S, x, root) > 0)
		S->n[root].r = sh_remove(S, S->n[root].r, x);
	else
		S->n[root].l = sh_remove(S, S->n[root].l, x);
	return root;
}

typedef struct sh_event {
	tl_point p;
	size_t seg;
	int del; /* 0 insert (left end), 1 delete (right end) */
} sh_event;

static int cmp_event(const void *a, const void *b)
{
	const sh_event *e = a, *f = b;
	if (e->p.x != f->p.x)
		return e->p.x < f->p.x ? -1 : 1;
	if (e->p.y != f->p.y)
		return e->p.y < f->p.y ? -1 : 1;
	/* at one point, every edge starting there goes in before any leaves, so
	 * that edges meeting end to start are compared */
	if (e->del != f->del)
		return e->del - f->del;
	return (e->seg > f->seg) - (e->seg < f->seg);
}

static int si_sweep(const ring *g)
{
	size_t m = g->m;
	if (m > SIZE_MAX / (2 * sizeof(sh_event)))
		return -1;
	sh_event *ev = malloc(2 * m * sizeof *ev);
	sh_node *nodes = malloc(m * sizeof *nodes);
	tl_point *ends = malloc(2 * m * sizeof *ends);
	int res = 0;
	if (!ev || !nodes || !ends) {
		res = -1;
		goto out;
	}
	uint32_t seed = 2463534242u;
	for (size_t i = 0; i < m; i++) {
		seg_ends(g, i, &ends[i], &ends[m + i]);
		ev[2 * i] = (sh_event){ ends[i], i, 0 };
		ev[2 * i + 1] = (sh_event){ ends[m + i], i, 1 };
		seed ^= seed << 13; /* xorshift32: treap priorities */
		seed ^= seed >> 17;
		seed ^= seed << 5;
		nodes[i] = (sh_node){ NIL, NIL, NIL, NIL, seed };
	}
	qsort(ev, 2 * m, sizeof *ev, cmp_event);
	sh S = { g, nodes, ends, ends + m, NIL, 0 };
	for (size_t k = 0; k < 2 * m; k++) {
		size_t x = ev[k].seg;
		if (!ev[k].del) {
			size_t pred = NIL, succ = NIL;
			S.root = sh_insert(&S, S.root, x, &pred, &succ);
			nodes[x].prev = pred;
			nodes[x].next = succ;
			if (pred != NIL)
				nodes[pred].next = x;
			if (succ != NIL)
				nodes[succ].prev = x;
			if (S.found || (pred != NIL && edges_touch(g, pred, x)) ||
			    (succ != NIL && edges_touch(g, x, succ))) {
				res = 1;
				break;
			}
		} else {
			size_t pred = nodes[x].prev, succ = nodes[x].next;
			S.root = sh_remove(&S, S.root, x);
			if (pred != NIL)
				nodes[pred].next = succ;
			if (succ != NIL)
				nodes[succ].prev = pred;
			if (S.found || (pred != NIL && succ != NIL && edges_touch(g, pred, succ))) {
				res = 1;
				break;
			}
		}
	}
out:
	free(ev);
	free(nodes);
	free(ends);
	return res;
}

int tl_poly_self_intersects_method(const tl_point *p, size_t n, int method)
{
	if (!p || n < 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(p[i].x) || !isfinite(p[i].y))
			return -1;
	/* Vertex list without consecutive repeats (PaddleOCR pads rings by repeating
	 * the last point; a closed ring may repeat the first at the end). */
	tl_point small[64];
	tl_point *v = n <= 64 ? small : malloc(n * sizeof *v);
	if (!v)
		return -1;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || !same(p[i], v[m - 1]))
			v[m++] = p[i];
	while (m > 1 && same(v[m - 1], v[0]))
		m--;
	int res = 0;
	ring g = { v, m };
	if (m < 3)
		goto out;
	/* Adjacent edges a-b, b-c share b; beyond it they meet only when they fold
	 * back along one line. */
	for (size_t i = 0; i < m; i++) {
		tl_point a = rv(&g, i), b = rv(&g, i + 1), c = rv(&g, i + 2);
		if (tl_orient2d(a, b, c) == 0 && (in_box(a, b, c) || in_box(b, c, a))) {
			res = 1;
			goto out;
		}
	}
	if (m == 3)
		goto out;
	/* Quads and other small rings: every pair, no sorting, no allocation. */
	if (method == 0 && m <= 32) {
		for (size_t a = 0; a < m && !res; a++)
			for (size_t b = a + 2; b < m && !res; b++)
				res = edges_touch(&g, a, b);
		goto out;
	}
	/* The pruned pairwise test is quickest on real outlines; a shape that
	 * makes it quadratic (a comb of long parallel teeth) goes to the sweep. */
	if (method != 2)
		res = si_prune(&g, method == 1 ? UINT64_MAX : 32 * (uint64_t)m + 1000000);
	if (method == 2 || (method == 0 && res < 0))
		res = si_sweep(&g);
out:
	if (v != small)
		free(v);
	return res;
}

int tl_poly_self_intersects(const tl_point *p, size_t n)
{
	return tl_poly_self_intersects_method(p, n, 0);
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
	case TL_POLY_TOO_COMPLEX: return "could not be checked for self-intersection";
	}
	return "unknown polygon issue";
}
