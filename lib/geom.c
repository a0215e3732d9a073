/* geom.c — polygon kernel: area, orientation, bounding rectangle, convex hull,
 * minimum-area rectangle (long-edge convention), vertex orders and conversions
 * between the geometric forms (docs/formats.md §1-§2).
 *
 * Coordinates are screen coordinates (y down). Read as plain math coordinates, a
 * ring that is clockwise on screen has a positive shoelace sum, so the formulas
 * below are the textbook ones and only the words "clockwise" change meaning. */
#include "tl_internal.h"
#include <math.h>
#include <stdint.h>

#define DEG_PER_RAD (180.0 / 3.14159265358979323846)

double tl_poly_signed_area(const tl_point *p, size_t n)
{
	if (!p || n < 3)
		return 0.0;
	/* Relative to p[0]: large offsets (e.g. 1e6 px) would otherwise cancel badly. */
	double x0 = p[0].x, y0 = p[0].y, s = 0.0;
	for (size_t i = 1; i + 1 < n; i++)
		s += (p[i].x - x0) * (p[i + 1].y - y0) - (p[i + 1].x - x0) * (p[i].y - y0);
	return s / 2.0;
}

double tl_poly_area(const tl_point *p, size_t n)
{
	return fabs(tl_poly_signed_area(p, n));
}

double tl_rrc_orientation(const tl_point *p, size_t n)
{
	if (!p || n < 2)
		return 0.0;
	double s = 0.0;
	for (size_t i = 0; i < n; i++) {
		const tl_point *a = &p[i], *b = &p[i + 1 < n ? i + 1 : 0];
		s += (b->x - a->x) * (b->y + a->y);
	}
	return s;
}

double tl_poly_perimeter(const tl_point *p, size_t n)
{
	if (!p || n < 2)
		return 0.0;
	double s = 0.0;
	for (size_t i = 0; i < n; i++) {
		const tl_point *a = &p[i], *b = &p[i + 1 < n ? i + 1 : 0];
		s += hypot(b->x - a->x, b->y - a->y);
	}
	return s;
}

tl_rect tl_bounding_rect(const tl_point *p, size_t n)
{
	tl_rect r = { 0, 0, 0, 0 };
	int any = 0;
	for (size_t i = 0; p && i < n; i++) {
		if (!isfinite(p[i].x) || !isfinite(p[i].y))
			continue; /* a NaN would poison every comparison after it */
		if (!any) {
			r.l = r.r = p[i].x;
			r.t = r.b = p[i].y;
			any = 1;
			continue;
		}
		if (p[i].x < r.l) r.l = p[i].x;
		if (p[i].x > r.r) r.r = p[i].x;
		if (p[i].y < r.t) r.t = p[i].y;
		if (p[i].y > r.b) r.b = p[i].y;
	}
	return r;
}

void tl_rect_points(tl_rect r, tl_point out[4])
{
	out[0] = (tl_point){ r.l, r.t };
	out[1] = (tl_point){ r.r, r.t };
	out[2] = (tl_point){ r.r, r.b };
	out[3] = (tl_point){ r.l, r.b };
}

/* cos/sin of an angle in degrees, exact at multiples of 90 so that axis-aligned
 * boxes give exact corners (cos(pi/2) is 6e-17, not 0). */
static void cos_sin_deg(double deg, double *c, double *s)
{
	double q = deg / 90.0;
	if (q == floor(q) && fabs(q) < 1e15) {
		static const double cs[4][2] = { { 1, 0 }, { 0, 1 }, { -1, 0 }, { 0, -1 } };
		long k = (long)fmod(q, 4.0);
		if (k < 0)
			k += 4;
		*c = cs[k][0];
		*s = cs[k][1];
		return;
	}
	*c = cos(deg / DEG_PER_RAD);
	*s = sin(deg / DEG_PER_RAD);
}

void tl_rbox_points(tl_rbox b, tl_point out[4])
{
	double c, s;
	cos_sin_deg(b.angle, &c, &s);
	double hb = c / 2, ha = s / 2;
	out[0] = (tl_point){ b.cx - ha * b.h - hb * b.w, b.cy + hb * b.h - ha * b.w };
	out[1] = (tl_point){ b.cx + ha * b.h - hb * b.w, b.cy - hb * b.h - ha * b.w };
	out[2] = (tl_point){ 2 * b.cx - out[0].x, 2 * b.cy - out[0].y };
	out[3] = (tl_point){ 2 * b.cx - out[1].x, 2 * b.cy - out[1].y };
}

/* ---- convex hull (Andrew's monotone chain) ----------------------------- */

static int cmp_xy(const void *a, const void *b)
{
	const tl_point *p = a, *q = b;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return 0;
}

size_t tl_convex_hull(const tl_point *p, size_t n, tl_point *out)
{
	if (!p || !out || n == 0 || n > SIZE_MAX / (2 * sizeof(tl_point)))
		return 0;
	/* Non-finite points are left out: they have no place on the plane and would
	 * make the sort order inconsistent. */
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(p[i].x) && isfinite(p[i].y))
			out[m++] = p[i];
	if (m == 0)
		return 0;
	qsort(out, m, sizeof *out, cmp_xy);
	size_t u = 1;
	for (size_t i = 1; i < m; i++) /* drop exact duplicates */
		if (out[i].x != out[u - 1].x || out[i].y != out[u - 1].y)
			out[u++] = out[i];
	m = u;
	if (m < 3)
		return m;
	tl_point *h = malloc(2 * m * sizeof *h);
	if (!h)
		return 0;
	/* Keep strict turns only (orientation > 0 in math terms = clockwise on
	 * screen), which drops collinear points. Lower chain left to right, then the
	 * upper chain right to left. */
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		while (k >= 2 && tl_orient2d(h[k - 2], h[k - 1], out[i]) <= 0)
			k--;
		h[k++] = out[i];
	}
	size_t lower = k + 1;
	for (size_t i = m - 1; i-- > 0;) {
		while (k >= lower && tl_orient2d(h[k - 2], h[k - 1], out[i]) <= 0)
			k--;
		h[k++] = out[i];
	}
	k--; /* the last point repeats the first; all collinear leaves the 2 ends */
	memcpy(out, h, k * sizeof *out);
	free(h);
	return k;
}

/* ---- minimum-area rectangle, long-edge convention ---------------------- */

static double norm_angle(double a)
{
	if (a >= 90.0 || a < -90.0) {
		a = fmod(a, 180.0); /* exact, and no endless loop on 1e300 */
		if (a >= 90.0)
			a -= 180.0;
		else if (a < -90.0)
			a += 180.0;
	}
	return a;
}

/* Direction angle (degrees) of vector (x, y), exact for axis directions. */
static double dir_angle(double x, double y)
{
	if (y == 0)
		return x >= 0 ? 0.0 : 180.0;
	if (x == 0)
		return y > 0 ? 90.0 : -90.0;
	return atan2(y, x) * DEG_PER_RAD;
}

tl_rbox tl_rbox_long_edge(tl_rbox b)
{
	if (b.h > b.w) {
		double t = b.w;
		b.w = b.h;
		b.h = t;
		b.angle += 90.0;
	}
	b.angle = norm_angle(b.angle);
	/* A square has two long sides: take the one closer to horizontal. */
	if (b.w == b.h) {
		if (b.angle >= 45.0)
			b.angle -= 90.0;
		else if (b.angle < -45.0)
			b.angle += 90.0;
	}
	if (b.angle == 0)
		b.angle = 0.0; /* no -0 */
	return b;
}

tl_rbox tl_min_area_rect_hull(const tl_point *hp, size_t h)
{
	tl_rbox best = { 0, 0, 0, 0, 0 };
	if (h == 0)
		return best;
	if (h == 1) {
		best.cx = hp[0].x;
		best.cy = hp[0].y;
		return best;
	}
	if (h == 2) {
		double dx = hp[1].x - hp[0].x, dy = hp[1].y - hp[0].y;
		best.cx = (hp[0].x + hp[1].x) / 2;
		best.cy = (hp[0].y + hp[1].y) / 2;
		best.w = hypot(dx, dy);
		best.angle = dir_angle(dx, dy);
		return tl_rbox_long_edge(best);
	}
	/* Rotating calipers: for the edge i -> i+1 (unit direction u, inward normal
	 * v = left of u in math terms), j is the vertex farthest along u, k the one
	 * farthest along v, m the one farthest against u. All three only move
	 * forward as i goes round, so the whole scan is O(h). */
	double bestarea = INFINITY;
	int have = 0;
	size_t j = 1, k = 1, m = 1;
#define NX(t) ((t) + 1 == h ? 0 : (t) + 1)
	for (size_t i = 0; i < h; i++) {
		tl_point a = hp[i], b = hp[NX(i)];
		double len = hypot(b.x - a.x, b.y - a.y);
		if (!(len > 0))
			continue;
		double ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
#define PU(t) ((hp[t].x - a.x) * ux + (hp[t].y - a.y) * uy)
#define PV(t) ((hp[t].y - a.y) * ux - (hp[t].x - a.x) * uy)
		if (i == 0) {
			j = NX(i);
		}
		for (size_t guard = 0; guard < h && PU(NX(j)) > PU(j); guard++)
			j = NX(j);
		if (i == 0)
			k = j;
		for (size_t guard = 0; guard < h && PV(NX(k)) > PV(k); guard++)
			k = NX(k);
		if (i == 0)
			m = k;
		for (size_t guard = 0; guard < h && PU(NX(m)) < PU(m); guard++)
			m = NX(m);
		double umax = PU(j), umin = PU(m), vmax = PV(k);
		double area = (umax - umin) * vmax;
		if (area < bestarea || !have) { /* !have: areas may overflow to inf */
			have = 1;
			bestarea = area;
			double cu = (umax + umin) / 2, cv = vmax / 2;
			best.cx = a.x + cu * ux - cv * uy;
			best.cy = a.y + cu * uy + cv * ux;
			best.w = umax - umin;
			best.h = vmax;
			best.angle = dir_angle(b.x - a.x, b.y - a.y);
		}
#undef PU
#undef PV
	}
#undef NX
	return tl_rbox_long_edge(best);
}

tl_rbox tl_min_area_rect(const tl_point *p, size_t n)
{
	tl_rbox none = { 0, 0, 0, 0, 0 };
	if (!p || n == 0 || n > SIZE_MAX / (2 * sizeof(tl_point)))
		return none;
	tl_point *hp = malloc(n * sizeof *hp);
	if (!hp)
		return none;
	size_t h = tl_convex_hull(p, n, hp);
	tl_rbox b = tl_min_area_rect_hull(hp, h);
	free(hp);
	return b;
}

/* ---- vertex orders (formats.md §2.5) ------------------------------------ */

int tl_poly_canonical(tl_point *p, size_t n)
{
	if (!p || n < 2)
		return 0;
	int changed = 0;
	if (tl_poly_signed_area(p, n) < 0) {
		/* Counter-clockwise on screen: reverse, keeping p[0] in place
		 * (0, n-1, ..., 1); the rotation below picks the start anyway. */
		for (size_t i = 1, j = n - 1; i < j; i++, j--) {
			tl_point t = p[i];
			p[i] = p[j];
			p[j] = t;
		}
		changed = 1;
	}
	size_t s = 0;
	for (size_t i = 1; i < n; i++) {
		double ki = p[i].x + p[i].y, ks = p[s].x + p[s].y;
		if (ki < ks || (ki == ks && p[i].y < p[s].y))
			s = i;
	}
	if (s > 0) {
		/* Rotate left by s with three reversals (no allocation). */
		tl_point t;
#define REV(lo, hi) for (size_t a_ = (lo), b_ = (hi); a_ < b_; a_++, b_--) \
			{ t = p[a_]; p[a_] = p[b_]; p[b_] = t; }
		REV(0, s - 1);
		REV(s, n - 1);
		REV(0, n - 1);
#undef REV
		changed = 1;
	}
	return changed;
}

/* Stable sort of 4 points by x (insertion sort; NumPy and Python sort small
 * arrays stably, and the tie rules below depend on it). */
static void sort4_x(tl_point s[4])
{
	for (int i = 1; i < 4; i++) {
		tl_point t = s[i];
		int j = i;
		while (j > 0 && s[j - 1].x > t.x) {
			s[j] = s[j - 1];
			j--;
		}
		s[j] = t;
	}
}

static void order_minibox(tl_point q[4])
{
	tl_point s[4];
	memcpy(s, q, sizeof s);
	sort4_x(s);
	/* get_mini_boxes: "if points[1][1] > points[0][1]" — ties go to the else
	 * branch, which makes the second of the pair the top one. */
	tl_point tl = s[1].y > s[0].y ? s[0] : s[1];
	tl_point bl = s[1].y > s[0].y ? s[1] : s[0];
	tl_point tr = s[3].y > s[2].y ? s[2] : s[3];
	tl_point br = s[3].y > s[2].y ? s[3] : s[2];
	q[0] = tl, q[1] = tr, q[2] = br, q[3] = bl;
}

static void order_xy(tl_point q[4])
{
	tl_point s[4];
	memcpy(s, q, sizeof s);
	sort4_x(s);
	/* Each pair is sorted by y stably: on a tie the first stays first. */
	tl_point tl = s[1].y < s[0].y ? s[1] : s[0];
	tl_point bl = s[1].y < s[0].y ? s[0] : s[1];
	tl_point tr = s[3].y < s[2].y ? s[3] : s[2];
	tl_point br = s[3].y < s[2].y ? s[2] : s[3];
	q[0] = tl, q[1] = tr, q[2] = br, q[3] = bl;
}

static void order_label(tl_point q[4])
{
	/* np.argmin / np.argmax return the first occurrence. */
	int imin = 0, imax = 0;
	for (int i = 1; i < 4; i++) {
		if (q[i].x + q[i].y < q[imin].x + q[imin].y)
			imin = i;
		if (q[i].x + q[i].y > q[imax].x + q[imax].y)
			imax = i;
	}
	/* np.delete of (imin, imax): when both are the same index only one point
	 * goes, and tr/bl are then picked from the three that remain. */
	tl_point rest[3];
	int nr = 0;
	for (int i = 0; i < 4; i++)
		if (i != imin && i != imax)
			rest[nr++] = q[i];
	int dmin = 0, dmax = 0;
	for (int i = 1; i < nr; i++) {
		if (rest[i].y - rest[i].x < rest[dmin].y - rest[dmin].x)
			dmin = i;
		if (rest[i].y - rest[i].x > rest[dmax].y - rest[dmax].x)
			dmax = i;
	}
	tl_point out[4] = { q[imin], rest[dmin], q[imax], rest[dmax] };
	memcpy(q, out, sizeof out);
}

static void order_mmocr(tl_point q[4])
{
	double mx = (q[0].x + q[1].x + q[2].x + q[3].x) / 4;
	double my = (q[0].y + q[1].y + q[2].y + q[3].y) / 4;
	double ang[4];
	tl_point s[4];
	for (int i = 0; i < 4; i++) {
		s[i] = q[i];
		ang[i] = atan2(q[i].y - my, q[i].x - mx);
	}
	for (int i = 1; i < 4; i++) { /* stable ascending by angle */
		tl_point t = s[i];
		double ta = ang[i];
		int j = i;
		while (j > 0 && ang[j - 1] > ta) {
			s[j] = s[j - 1];
			ang[j] = ang[j - 1];
			j--;
		}
		s[j] = t;
		ang[j] = ta;
	}
	tl_rect r = tl_bounding_rect(s, 4);
	int best = 0;
	double bd = INFINITY;
	for (int i = 0; i < 4; i++) {
		double d = hypot(s[i].x - r.l, s[i].y - r.t);
		if (d < bd) {
			bd = d;
			best = i;
		}
	}
	for (int i = 0; i < 4; i++)
		q[i] = s[(best + i) % 4];
}

void tl_quad_order_points(tl_point q[4], tl_quad_order rule)
{
	if (!q)
		return;
	switch (rule) {
	case TL_ORDER_CANONICAL:
		tl_poly_canonical(q, 4);
		break;
	case TL_ORDER_PADDLE_MINIBOX:
		order_minibox(q);
		break;
	case TL_ORDER_PADDLE_XY:
		order_xy(q);
		break;
	case TL_ORDER_PADDLE_LABEL:
		order_label(q);
		break;
	case TL_ORDER_MMOCR:
		order_mmocr(q);
		break;
	case TL_ORDER_EAST:
		if (tl_rrc_orientation(q, 4) > 0) {
			tl_point t = q[1];
			q[1] = q[3];
			q[3] = t;
		}
		break;
	}
}

/* ---- geometry forms ---------------------------------------------------- */

size_t tl_geom_points(const tl_geom *g, tl_point *out, size_t cap)
{
	if (!g)
		return 0;
	switch (g->shape) {
	case TL_SHAPE_RECT:
		if (cap >= 4 && out)
			tl_rect_points(g->rect, out);
		return 4;
	case TL_SHAPE_RBOX:
		if (cap >= 4 && out) {
			tl_rbox_points(g->rbox, out);
			tl_poly_canonical(out, 4);
		}
		return 4;
	case TL_SHAPE_QUAD:
	case TL_SHAPE_POLY:
		if (!g->pts)
			return 0;
		if (cap >= g->n && out)
			memcpy(out, g->pts, g->n * sizeof *out);
		return g->n;
	default:
		return 0;
	}
}

/* Distance below which two coordinates count as the same when deciding whether
 * a conversion lost anything: relative to the size of the numbers involved, so
 * it only absorbs the rounding of cos/sin. */
static int near(double a, double b, double scale)
{
	return fabs(a - b) <= 1e-9 * (scale > 1 ? scale : 1);
}

/* 1 if the ring p (n points) is exactly the rectangle whose corners are c:
 * 4 points, each a corner, consecutive ones sharing a side (not a bow tie). */
static int ring_is_box(const tl_point *p, size_t n, const tl_point c[4], double scale)
{
	if (n != 4)
		return 0;
	int used[4] = { 0, 0, 0, 0 }, idx[4];
	for (int i = 0; i < 4; i++) {
		idx[i] = -1;
		for (int k = 0; k < 4; k++)
			if (!used[k] && near(p[i].x, c[k].x, scale) && near(p[i].y, c[k].y, scale)) {
				used[k] = 1;
				idx[i] = k;
				break;
			}
		if (idx[i] < 0)
			return 0;
	}
	/* corners c[k] and c[k+-1 mod 4] share a side; c[k] and c[k+2] are opposite */
	for (int i = 0; i < 4; i++)
		if ((idx[i] - idx[(i + 1) % 4] + 4) % 4 == 2)
			return 0;
	return 1;
}

static double coord_scale(const tl_point *p, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		if (fabs(p[i].x) > s) s = fabs(p[i].x);
		if (fabs(p[i].y) > s) s = fabs(p[i].y);
	}
	return s;
}

static int set_pts(tl_dataset *ds, tl_geom *g, tl_shape to, const tl_point *src, size_t n)
{
	tl_point *d = tl_dataset_points(ds, n);
	if (!d)
		return TL_E_NOMEM;
	memcpy(d, src, n * sizeof *d);
	g->shape = to;
	g->pts = d;
	g->n = n;
	return TL_OK;
}

int tl_geom_convert(tl_dataset *ds, tl_geom *g, tl_shape to, int *lossy)
{
	int dummy;
	if (!lossy)
		lossy = &dummy;
	*lossy = 0;
	if (!g || to < TL_SHAPE_RECT || to > TL_SHAPE_POLY)
		return TL_E_USAGE;
	if (g->shape == to)
		return TL_OK;
	tl_point four[4];
	const tl_point *p;
	size_t n;
	switch (g->shape) {
	case TL_SHAPE_RECT:
		tl_rect_points(g->rect, four);
		p = four;
		n = 4;
		break;
	case TL_SHAPE_RBOX:
		tl_rbox_points(g->rbox, four);
		tl_poly_canonical(four, 4);
		p = four;
		n = 4;
		break;
	case TL_SHAPE_QUAD:
	case TL_SHAPE_POLY:
		p = g->pts;
		n = g->n;
		if (!p || n == 0)
			return TL_E_INPUT;
		break;
	default:
		return TL_E_INPUT;
	}
	for (size_t i = 0; i < n; i++)
		if (!isfinite(p[i].x) || !isfinite(p[i].y))
			return TL_E_INPUT;
	if (g->shape == TL_SHAPE_RBOX && !(isfinite(g->rbox.w) && isfinite(g->rbox.h) &&
					   isfinite(g->rbox.angle)))
		return TL_E_INPUT;
	double scale = coord_scale(p, n);

	switch (to) {
	case TL_SHAPE_RECT: {
		tl_rect r = tl_bounding_rect(p, n);
		tl_point c[4];
		tl_rect_points(r, c);
		*lossy = !ring_is_box(p, n, c, scale);
		g->shape = TL_SHAPE_RECT;
		g->rect = r;
		g->pts = NULL;
		g->n = 0;
		return TL_OK;
	}
	case TL_SHAPE_RBOX: {
		tl_rbox b;
		if (g->shape == TL_SHAPE_RECT)
			b = (tl_rbox){ (g->rect.l + g->rect.r) / 2, (g->rect.t + g->rect.b) / 2,
				       g->rect.r - g->rect.l, g->rect.b - g->rect.t, 0 };
		else {
			b = tl_min_area_rect(p, n);
			tl_point c[4];
			tl_rbox_points(b, c);
			*lossy = !ring_is_box(p, n, c, scale);
		}
		g->shape = TL_SHAPE_RBOX;
		g->rbox = b;
		g->pts = NULL;
		g->n = 0;
		return TL_OK;
	}
	case TL_SHAPE_QUAD:
		if (n != 4) {
			/* Polygon with other than 4 vertices: its minimum-area rectangle. */
			tl_rbox b = tl_min_area_rect(p, n);
			tl_rbox_points(b, four);
			tl_poly_canonical(four, 4);
			*lossy = 1;
			return set_pts(ds, g, to, four, 4);
		}
		return set_pts(ds, g, to, p, 4);
	case TL_SHAPE_POLY:
		return set_pts(ds, g, to, p, n);
	default:
		return TL_E_USAGE;
	}
}
