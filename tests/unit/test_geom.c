/* test_geom.c — the polygon kernel: areas, winding, validity, hull, minimum-area
 * rectangles (own convention and OpenCV 4.6's), vertex orders, conversions.
 * Expected values are worked out by hand in the comments, except the few marked
 * "OpenCV 4.6", which are facts read off cv2.minAreaRect / cv2.boxPoints. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tl_internal.h"
#include "geom_internal.h"

#define P(x, y) ((tl_point){ (x), (y) })
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.17g, want %.17g (tol %g)", got, want, tol);
}

static void assert_pts(const tl_point *got, const tl_point *want, size_t n, double tol)
{
	for (size_t i = 0; i < n; i++) {
		if (!(fabs(got[i].x - want[i].x) <= tol && fabs(got[i].y - want[i].y) <= tol))
			fail_msg("point %zu: got (%.17g, %.17g), want (%.17g, %.17g)", i, got[i].x,
				 got[i].y, want[i].x, want[i].y);
	}
}

/* ---- area, orientation ---- */

static void test_area_orientation(void **state)
{
	(void)state;
	/* (0,0) (10,0) (10,5) (0,5): right along the top, down, left along the
	 * bottom: clockwise on screen. Area 50, S = (0-10)*(5+5) = -100. */
	tl_point cw[] = { P(0, 0), P(10, 0), P(10, 5), P(0, 5) };
	tl_point ccw[] = { P(0, 0), P(0, 5), P(10, 5), P(10, 0) };
	assert_true(tl_poly_signed_area(cw, 4) == 50.0);
	assert_true(tl_poly_signed_area(ccw, 4) == -50.0);
	assert_true(tl_poly_area(ccw, 4) == 50.0);
	assert_true(tl_rrc_orientation(cw, 4) == -100.0);
	assert_true(tl_rrc_orientation(ccw, 4) == 100.0);
	assert_true(tl_poly_perimeter(cw, 4) == 30.0);
	/* right triangle 4 x 3: area 6, perimeter 12 */
	tl_point tri[] = { P(0, 0), P(4, 0), P(0, 3) };
	assert_true(tl_poly_signed_area(tri, 3) == 6.0);
	assert_true(tl_poly_perimeter(tri, 3) == 12.0);
	/* a unit square far from the origin keeps its exact area */
	tl_point far[] = { P(1e9, 1e9), P(1e9 + 1, 1e9), P(1e9 + 1, 1e9 + 1), P(1e9, 1e9 + 1) };
	assert_true(tl_poly_signed_area(far, 4) == 1.0);
	/* bow tie: the two lobes cancel */
	tl_point bow[] = { P(0, 0), P(10, 10), P(10, 0), P(0, 10) };
	assert_true(tl_poly_signed_area(bow, 4) == 0.0);
	assert_true(tl_rrc_orientation(bow, 4) == 0.0);
	/* fewer than 3 points */
	assert_true(tl_poly_signed_area(cw, 2) == 0.0);
	assert_true(tl_poly_signed_area(NULL, 0) == 0.0);
	/* protocols.md §13 boxes: box(0,0,100,20) = 2000, box(60,0,110,20) = 1000,
	 * the CLEval quad 0,0,40,0,40,10,0,10 = 400; the §11.3 unclip box
	 * (10,10)-(50,20): A = 400, L = 100. */
	tl_point dc[4], det[4], q[] = { P(0, 0), P(40, 0), P(40, 10), P(0, 10) };
	tl_rect_points((tl_rect){ 0, 0, 100, 20 }, dc);
	tl_rect_points((tl_rect){ 60, 0, 110, 20 }, det);
	assert_true(tl_poly_area(dc, 4) == 2000.0);
	assert_true(tl_poly_area(det, 4) == 1000.0);
	assert_true(tl_poly_area(q, 4) == 400.0);
	tl_point ub[4];
	tl_rect_points((tl_rect){ 10, 10, 50, 20 }, ub);
	assert_true(tl_poly_area(ub, 4) == 400.0 && tl_poly_perimeter(ub, 4) == 100.0);
}

static void test_orient2d_exact(void **state)
{
	(void)state;
	assert_int_equal(tl_orient2d(P(0, 0), P(10, 0), P(10, 10)), 1); /* clockwise on screen */
	assert_int_equal(tl_orient2d(P(0, 0), P(10, 10), P(10, 0)), -1);
	assert_int_equal(tl_orient2d(P(0, 0), P(5, 5), P(10, 10)), 0);
	/* a = (0.5, 0.5 + 2^-53) lies just above the line y = x through b, c. The
	 * naive formula rounds (0.5+e) - 24 to -23.5 and returns 0; exactly,
	 * det = 12e > 0. */
	double e = ldexp(1.0, -53);
	assert_int_equal(tl_orient2d(P(0.5, 0.5 + e), P(12, 12), P(24, 24)), 1);
	assert_int_equal(tl_orient2d(P(0.5 + e, 0.5), P(12, 12), P(24, 24)), -1);
	assert_int_equal(tl_orient2d(P(0.5, 0.5), P(12, 12), P(24, 24)), 0);
	/* permutations flip the sign consistently */
	tl_point a = P(0.1, 0.2), b = P(0.30000000000000004, 0.6), c = P(0.2, 0.4);
	int s = tl_orient2d(a, b, c);
	assert_int_equal(tl_orient2d(b, c, a), s);
	assert_int_equal(tl_orient2d(b, a, c), -s);
}

/* ---- validity ---- */

static void test_poly_check(void **state)
{
	(void)state;
	tl_point sq[] = { P(0, 0), P(10, 0), P(10, 10), P(0, 10) };
	assert_int_equal(tl_poly_check(sq, 4), TL_POLY_OK);
	assert_int_equal(tl_poly_self_intersects(sq, 4), 0);

	tl_point bow[] = { P(0, 0), P(10, 10), P(10, 0), P(0, 10) };
	assert_int_equal(tl_poly_self_intersects(bow, 4), 1);
	assert_int_equal(tl_poly_check(bow, 4), TL_POLY_SELF_INTERSECTS);

	tl_point line[] = { P(0, 0), P(5, 0), P(10, 0) };
	assert_int_equal(tl_poly_check(line, 3), TL_POLY_ZERO_AREA);
	tl_point line4[] = { P(0, 0), P(5, 5), P(10, 10), P(2, 2) };
	assert_int_equal(tl_poly_check(line4, 4), TL_POLY_ZERO_AREA);

	tl_point two[] = { P(1, 1), P(2, 2), P(1, 1), P(2, 2) };
	assert_int_equal(tl_poly_check(two, 4), TL_POLY_TOO_FEW);
	tl_point one[] = { P(3, 3), P(3, 3), P(3, 3) };
	assert_int_equal(tl_poly_check(one, 3), TL_POLY_TOO_FEW);
	assert_int_equal(tl_poly_check(sq, 2), TL_POLY_TOO_FEW);
	assert_int_equal(tl_poly_check(NULL, 0), TL_POLY_TOO_FEW);

	tl_point nan[] = { P(0, 0), P(NAN, 0), P(10, 10) };
	assert_int_equal(tl_poly_check(nan, 3), TL_POLY_NONFINITE);
	tl_point inf[] = { P(0, 0), P(10, 0), P(10, INFINITY) };
	assert_int_equal(tl_poly_check(inf, 3), TL_POLY_NONFINITE);
	assert_int_equal(tl_poly_self_intersects(nan, 3), -1);

	/* repeated points, consecutive or closing the ring, are not intersections
	 * (PaddleOCR pads rings by repeating the last point) */
	tl_point dup[] = { P(0, 0), P(0, 0), P(10, 0), P(10, 10), P(0, 10), P(0, 10), P(0, 10), P(0, 0) };
	assert_int_equal(tl_poly_self_intersects(dup, N(dup)), 0);
	assert_int_equal(tl_poly_check(dup, N(dup)), TL_POLY_OK);

	/* a vertex touching a non-adjacent edge: (5,0) lies on edge (0,0)-(10,0) */
	tl_point touch[] = { P(0, 0), P(10, 0), P(10, 10), P(5, 0), P(0, 10) };
	assert_int_equal(tl_poly_self_intersects(touch, N(touch)), 1);
	/* figure eight through a vertex visited twice */
	tl_point eight[] = { P(0, 0), P(5, 5), P(10, 0), P(10, 10), P(5, 5), P(0, 10) };
	assert_int_equal(tl_poly_self_intersects(eight, N(eight)), 1);
	/* a spike that folds back along its own edge */
	tl_point spike[] = { P(0, 0), P(10, 0), P(10, 10), P(10, 5), P(0, 10) };
	assert_int_equal(tl_poly_self_intersects(spike, N(spike)), 1);
	/* concave but simple: an L */
	tl_point ell[] = { P(0, 0), P(4, 0), P(4, 6), P(10, 6), P(10, 10), P(0, 10) };
	assert_int_equal(tl_poly_check(ell, N(ell)), TL_POLY_OK);
	/* pentagram drawn as a 5-point star: every other edge crosses */
	tl_point star[5];
	for (int i = 0; i < 5; i++) {
		double a = 2 * 3.14159265358979 * (2 * i) / 5;
		star[i] = P(100 * cos(a), 100 * sin(a));
	}
	assert_int_equal(tl_poly_self_intersects(star, 5), 1);
	/* two edges collinear and overlapping, not adjacent */
	tl_point over[] = { P(0, 0), P(10, 0), P(10, 5), P(6, 5), P(6, 0), P(3, 0), P(3, 5), P(0, 5) };
	assert_int_equal(tl_poly_self_intersects(over, N(over)), 1);

	for (int i = TL_POLY_OK; i <= TL_POLY_TOO_COMPLEX; i++)
		assert_non_null(tl_poly_issue_str((tl_poly_issue)i));
	assert_string_equal(tl_poly_issue_str(TL_POLY_SELF_INTERSECTS), "self-intersecting");
}

/* Large rings: a fine circle is simple and checked quickly; the same circle with
 * one vertex pulled across the ring is caught. */
static void test_self_intersect_large(void **state)
{
	(void)state;
	size_t n = 1000000;
	tl_point *p = malloc(n * sizeof *p);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++) {
		double a = 2 * 3.14159265358979323846 * (double)i / (double)n;
		p[i] = P(1e5 * cos(a), 1e5 * sin(a));
	}
	clock_t t0 = clock();
	assert_int_equal(tl_poly_self_intersects(p, n), 0);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_true(secs < 20.0);
	p[n / 2] = P(2e5, 0); /* reaches past the far side of the circle */
	assert_int_equal(tl_poly_self_intersects(p, n), 1);
	free(p);

	/* A comb of long horizontal teeth: every tooth overlaps every other in x,
	 * which makes the pairwise test quadratic; the sweep takes over. */
	size_t teeth = 30000;
	tl_point *c = malloc((4 * teeth + 3) * sizeof *c);
	assert_non_null(c);
	/* teeth to the right of a spine at x = 1, closed down the spine's left side */
	size_t k;
	k = 0;
	for (size_t i = 0; i < teeth; i++) {
		double y = (double)i * 4;
		c[k++] = P(1, y);
		c[k++] = P(1000, y);
		c[k++] = P(1000, y + 2);
		c[k++] = P(1, y + 2);
	}
	c[k++] = P(1, (double)teeth * 4);
	c[k++] = P(0, (double)teeth * 4);
	c[k++] = P(0, 0);
	t0 = clock();
	int r = tl_poly_self_intersects(c, k);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(r, 0);
	assert_true(secs < 30.0);
	assert_int_equal(tl_poly_check(c, k), TL_POLY_OK);
	c[4 * 1000 + 1].y += 5; /* tooth 1000's tip bends onto tooth 1001 (y + 4) */
	assert_int_equal(tl_poly_self_intersects(c, k), 1);
	c[4 * 1000 + 1].y -= 5;
	c[4 * 1000 + 1].y += 4; /* exactly onto it: touching counts */
	assert_int_equal(tl_poly_self_intersects(c, k), 1);
	free(c);
}

/* The pruned pairwise test and the sweep agree, here on the hand cases and on
 * random rings over a small grid (full of touching and collinear edges). */
static void test_self_intersect_methods(void **state)
{
	(void)state;
	tl_point bow[] = { P(0, 0), P(10, 10), P(10, 0), P(0, 10) };
	tl_point eight[] = { P(0, 0), P(5, 5), P(10, 0), P(10, 10), P(5, 5), P(0, 10) };
	tl_point touch[] = { P(0, 0), P(10, 0), P(10, 10), P(5, 0), P(0, 10) };
	tl_point ell[] = { P(0, 0), P(4, 0), P(4, 6), P(10, 6), P(10, 10), P(0, 10) };
	tl_point over[] = { P(0, 0), P(10, 0), P(10, 5), P(6, 5), P(6, 0), P(3, 0), P(3, 5), P(0, 5) };
	/* end of one edge exactly on the start of a non-adjacent one, vertically */
	tl_point vert[] = { P(0, 0), P(4, 0), P(4, 2), P(2, 2), P(2, 4), P(4, 4), P(4, 6), P(0, 6),
			    P(0, 3), P(2, 3) };
	assert_int_equal(tl_poly_self_intersects_method(bow, 4, 2), 1);
	assert_int_equal(tl_poly_self_intersects_method(eight, N(eight), 2), 1);
	assert_int_equal(tl_poly_self_intersects_method(touch, N(touch), 2), 1);
	assert_int_equal(tl_poly_self_intersects_method(ell, N(ell), 2), 0);
	assert_int_equal(tl_poly_self_intersects_method(over, N(over), 2), 1);
	assert_int_equal(tl_poly_self_intersects_method(vert, N(vert), 1), 1);
	assert_int_equal(tl_poly_self_intersects_method(vert, N(vert), 2), 1);
	srand(777);
	int simple = 0;
	tl_point p[12];
	for (int t = 0; t < 20000; t++) {
		int n = 4 + rand() % 9, g = 2 + rand() % 5;
		for (int i = 0; i < n; i++)
			p[i] = P(rand() % g, rand() % g);
		int a = tl_poly_self_intersects_method(p, (size_t)n, 1);
		int b = tl_poly_self_intersects_method(p, (size_t)n, 2);
		int c = tl_poly_self_intersects_method(p, (size_t)n, 0);
		if (a != b || a != c)
			fail_msg("case %d: pruned %d, sweep %d, all pairs %d", t, a, b, c);
		simple += a == 0;
	}
	assert_true(simple > 100); /* the comparison saw both answers */
}

/* ---- hull ---- */

static void test_convex_hull(void **state)
{
	(void)state;
	/* square corners, edge midpoints, centre, duplicates: the 4 corners,
	 * clockwise on screen from the smallest x (then y) */
	tl_point in[] = { P(10, 10), P(5, 5), P(0, 5), P(0, 0), P(10, 0), P(5, 0), P(0, 10),
			  P(10, 5), P(0, 0), P(5, 10) };
	tl_point out[N(in)];
	size_t h = tl_convex_hull(in, N(in), out);
	assert_int_equal(h, 4);
	tl_point want[] = { P(0, 0), P(10, 0), P(10, 10), P(0, 10) };
	assert_pts(out, want, 4, 0);
	assert_true(tl_poly_signed_area(out, h) > 0);

	tl_point bow[] = { P(0, 0), P(10, 10), P(10, 0), P(0, 10) };
	assert_int_equal(tl_convex_hull(bow, 4, out), 4);
	assert_pts(out, want, 4, 0);

	tl_point line[] = { P(5, 5), P(0, 0), P(10, 10), P(2, 2) };
	assert_int_equal(tl_convex_hull(line, 4, out), 2);
	tl_point lw[] = { P(0, 0), P(10, 10) };
	assert_pts(out, lw, 2, 0);

	tl_point same[] = { P(3, 4), P(3, 4), P(3, 4) };
	assert_int_equal(tl_convex_hull(same, 3, out), 1);
	assert_true(out[0].x == 3 && out[0].y == 4);

	tl_point withnan[] = { P(0, 0), P(NAN, 1), P(4, 0), P(0, 3) };
	assert_int_equal(tl_convex_hull(withnan, 4, out), 3);
	assert_int_equal(tl_convex_hull(NULL, 0, out), 0);
}

/* ---- minimum-area rectangle, long-edge convention ---- */

static void test_min_area_rect(void **state)
{
	(void)state;
	tl_point box[] = { P(0, 0), P(10, 0), P(10, 4), P(0, 4) };
	tl_rbox b = tl_min_area_rect(box, 4);
	assert_true(b.cx == 5 && b.cy == 2 && b.w == 10 && b.h == 4 && b.angle == 0);

	/* upright 4 x 10: the long side is vertical, direction 90 -> -90 in [-90, 90) */
	tl_point up[] = { P(0, 0), P(4, 0), P(4, 10), P(0, 10) };
	b = tl_min_area_rect(up, 4);
	assert_true(b.cx == 2 && b.cy == 5 && b.w == 10 && b.h == 4 && b.angle == -90);

	/* rectangle at 45 degrees: sides 3*sqrt2 along (1,1), 2*sqrt2, centre (0.5, 2.5) */
	tl_point rot[] = { P(0, 0), P(3, 3), P(1, 5), P(-2, 2) };
	b = tl_min_area_rect(rot, 4);
	assert_near(b.cx, 0.5, 1e-12);
	assert_near(b.cy, 2.5, 1e-12);
	assert_near(b.w, 3 * sqrt(2), 1e-12);
	assert_near(b.h, 2 * sqrt(2), 1e-12);
	assert_near(b.angle, 45, 1e-12);

	/* a square takes the angle in [-45, 45) */
	tl_point sq[] = { P(0, 0), P(2, 0), P(2, 2), P(0, 2) };
	b = tl_min_area_rect(sq, 4);
	assert_true(b.w == 2 && b.h == 2 && b.angle == 0);

	/* hexagon (0,0),(5,-1),(10,0),(10,5),(5,6),(0,5): axis-aligned 10 x 7 = 70
	 * beats the slanted edges (5,-1)-(0,0) etc. (10.78 x 6.86 = 74) */
	tl_point hex[] = { P(0, 0), P(5, -1), P(10, 0), P(10, 5), P(5, 6), P(0, 5) };
	b = tl_min_area_rect(hex, 6);
	assert_near(b.cx, 5, 1e-12);
	assert_near(b.cy, 2.5, 1e-12);
	assert_near(b.w, 10, 1e-12);
	assert_near(b.h, 7, 1e-12);
	assert_near(b.angle, 0, 1e-12);

	/* degenerate inputs */
	tl_point pt[] = { P(7, 8) };
	b = tl_min_area_rect(pt, 1);
	assert_true(b.cx == 7 && b.cy == 8 && b.w == 0 && b.h == 0);
	tl_point seg[] = { P(0, 0), P(3, 4), P(1.5, 2) };
	b = tl_min_area_rect(seg, 3);
	assert_near(b.w, 5, 1e-12);
	assert_true(b.h == 0);
	assert_near(b.angle, atan2(4, 3) * 180 / 3.14159265358979323846, 1e-12);
	b = tl_min_area_rect(NULL, 0);
	assert_true(b.w == 0 && b.h == 0);

	/* huge or odd angles normalise without looping */
	tl_rbox odd = { 3, 4, 2, 6, 170 };
	tl_rbox le = tl_rbox_long_edge((tl_rbox){ 0, 0, 4, 2, 1e300 });
	assert_true(le.angle >= -90 && le.angle < 90);
	le = tl_rbox_long_edge((tl_rbox){ 0, 0, 4, 2, 270 });
	assert_true(le.angle == -90);
	le = tl_rbox_long_edge((tl_rbox){ 0, 0, 4, 2, -450 });
	assert_true(le.angle == -90);
	/* normalisation keeps the same corners */
	le = tl_rbox_long_edge(odd);
	assert_true(le.w == 6 && le.h == 2 && le.angle >= -90 && le.angle < 90);
	tl_point c1[4], c2[4];
	tl_rbox_points(odd, c1);
	tl_rbox_points(le, c2);
	tl_poly_canonical(c1, 4);
	tl_poly_canonical(c2, 4);
	assert_pts(c1, c2, 4, 1e-12);
}

/* Random point clouds: the long-edge rectangle contains every point and is no
 * larger than OpenCV-style rectangle, and both agree on the area. */
static void test_min_area_rect_random(void **state)
{
	(void)state;
	srand(12345);
	tl_point p[64];
	for (int t = 0; t < 2000; t++) {
		int n = 3 + rand() % 60;
		for (int i = 0; i < n; i++)
			p[i] = P(rand() % 200, rand() % 100);
		tl_rbox b = tl_min_area_rect(p, (size_t)n);
		assert_true(b.w >= b.h && b.angle >= -90 && b.angle < 90);
		double c = cos(b.angle * 3.14159265358979323846 / 180), s = sin(b.angle * 3.14159265358979323846 / 180);
		for (int i = 0; i < n; i++) {
			double dx = p[i].x - b.cx, dy = p[i].y - b.cy;
			assert_true(fabs(dx * c + dy * s) <= b.w / 2 + 1e-6);
			assert_true(fabs(-dx * s + dy * c) <= b.h / 2 + 1e-6);
		}
		tl_rbox o = tl_min_area_rect_cv(p, (size_t)n);
		assert_near(b.w * b.h, o.w * o.h, 1e-3 * (1 + b.w * b.h));
		/* no axis-aligned box is smaller */
		tl_rect r = tl_bounding_rect(p, (size_t)n);
		assert_true(b.w * b.h <= (r.r - r.l) * (r.b - r.t) + 1e-9);
	}
}

/* ---- OpenCV 4.6 compatibility ---- */

static void expect_cv(const tl_point *p, size_t n, float cx, float cy, float w, float h, float a)
{
	tl_rbox b = tl_min_area_rect_cv(p, n);
	if ((float)b.cx != cx || (float)b.cy != cy || (float)b.w != w || (float)b.h != h ||
	    (float)b.angle != a)
		fail_msg("got ((%.9g, %.9g), (%.9g, %.9g), %.9g), want ((%.9g, %.9g), (%.9g, %.9g), %.9g)",
			 b.cx, b.cy, b.w, b.h, b.angle, cx, cy, w, h, a);
}

static void test_min_area_rect_cv(void **state)
{
	(void)state;
	/* formats.md §2.2: the 10 x 4 box as 4 corners gives ((5,2),(4,10),90) */
	tl_point box[] = { P(0, 0), P(10, 0), P(10, 4), P(0, 4) };
	expect_cv(box, 4, 5, 2, 4, 10, 90);
	/* OpenCV 4.6: a 16-vertex rounded rectangle (the box (10,10)-(50,20) offset
	 * by 6 with round joins, vertices rounded) */
	tl_point round16[] = { P(56, 20), P(55, 23), P(53, 25), P(50, 26), P(10, 26), P(7, 25),
			       P(5, 23), P(4, 20), P(4, 10), P(5, 7), P(7, 5), P(10, 4),
			       P(50, 4), P(53, 5), P(55, 7), P(56, 10) };
	expect_cv(round16, 16, 30, 15, 22, 52, 90);
	tl_point q[4];
	tl_rbox b = tl_min_area_rect_cv(round16, 16);
	tl_rbox_points_cv(b, q);
	tl_quad_order_points(q, TL_ORDER_PADDLE_MINIBOX);
	tl_point want[] = { P(4, 4), P(56, 4), P(56, 26), P(4, 26) };
	assert_pts(q, want, 4, 1e-5);
	/* the long-edge form of the same rectangle */
	b = tl_min_area_rect(round16, 16);
	assert_true(b.cx == 30 && b.cy == 15 && b.w == 52 && b.h == 22 && b.angle == 0);

	/* OpenCV 4.6, bit for bit (float32 rounding shows in the last digits) */
	tl_point rot[] = { P(0, 0), P(3, 3), P(1, 5), P(-2, 2) };
	expect_cv(rot, 4, 0.4999999403953552f, 2.499999761581421f, 4.242640495300293f,
		  2.8284268379211426f, 45.0f);
	tl_point tri[] = { P(14, 12), P(2, 11), P(19, 11) };
	expect_cv(tri, 3, 10.5f, 11.5f, 17.0f, 1.0f, 0.0f);
	tl_point pent[] = { P(7, 11), P(6, 18), P(2, 17), P(8, 9), P(1, 16) };
	expect_cv(pent, 5, 6.250000953674316f, 14.250000953674316f, 4.949747085571289f,
		  9.899495124816895f, 45.0f);
	tl_point fl[] = { P(0.5, 0.25), P(7.75, 1.5), P(6.0, 9.125), P(-1.5, 4.0), P(3.3, 3.3) };
	expect_cv(fl, 5, 2.7539563179016113f, 4.3666863441467285f, 8.45637035369873f,
		  7.823241710662842f, 12.925999641418457f);
	tl_rbox fb = tl_min_area_rect_cv(fl, 5);
	tl_rbox_points_cv(fb, q);
	tl_point fq[] = { P(-2.2420859336853027, 7.233372688293457),
			  P(-0.49208593368530273, -0.39162611961364746),
			  P(7.749998569488525, 1.5), P(5.999998569488525, 9.124999046325684) };
	assert_pts(q, fq, 4, 0);
	/* boxPoints of ((5,2),(4,10),90) */
	tl_rbox_points_cv((tl_rbox){ 5, 2, 4, 10, 90 }, q);
	tl_point bq[] = { P((float)-1.2246468525851679e-16, 0), P(10, 0), P(10, 4), P(0, 4) };
	assert_pts(q, bq, 4, 0);

	/* degenerate: 1 point, 2 points, collinear, all equal */
	tl_point one[] = { P(3, 4) };
	expect_cv(one, 1, 3, 4, 0, 0, 0);
	/* OpenCV 4.6: the hull of 2 points starts at the larger one, so the angle
	 * is that of (0,0) - (3,4): -126.87 (outside the "(0, 90]" range) */
	tl_point two[] = { P(0, 0), P(3, 4) };
	expect_cv(two, 2, 1.5f, 2, 5, 0, -126.86990356445312f);
	tl_point col[] = { P(0, 0), P(2, 2), P(1, 1) };
	expect_cv(col, 3, 1, 1, 2.8284270763397217f, 0, -135.0f);
	b = tl_min_area_rect_cv(NULL, 0);
	assert_true(b.w == 0 && b.h == 0);
}

/* ---- vertex orders ---- */

static void order(tl_point *q, tl_quad_order rule, const tl_point *in)
{
	memcpy(q, in, 4 * sizeof *q);
	tl_quad_order_points(q, rule);
}

static void test_quad_orders(void **state)
{
	(void)state;
	tl_point q[4];
	tl_point want_box[] = { P(0, 0), P(10, 0), P(10, 4), P(0, 4) };
	tl_point shuffled[] = { P(10, 0), P(0, 4), P(0, 0), P(10, 4) };
	/* (a bow-tie ring: CANONICAL would keep it a bow tie, the others sort) */
	for (int r = TL_ORDER_PADDLE_MINIBOX; r <= TL_ORDER_MMOCR; r++) {
		order(q, (tl_quad_order)r, shuffled);
		assert_pts(q, want_box, 4, 0);
	}
	/* EAST keeps vertex 0 and only fixes the winding */
	tl_point ccw[] = { P(0, 0), P(0, 4), P(10, 4), P(10, 0) };
	order(q, TL_ORDER_EAST, ccw);
	assert_pts(q, want_box, 4, 0);
	tl_point cwr[] = { P(10, 4), P(0, 4), P(0, 0), P(10, 0) };
	order(q, TL_ORDER_EAST, cwr);
	assert_pts(q, cwr, 4, 0);

	/* the 45-degree diamond, where the rules are most fragile */
	tl_point dia[] = { P(0, 5), P(5, 0), P(10, 5), P(5, 10) };
	tl_point dia_tl[] = { P(5, 0), P(10, 5), P(5, 10), P(0, 5) };
	order(q, TL_ORDER_CANONICAL, dia); /* x+y ties 5 = 5: smaller y wins -> (5,0) */
	assert_pts(q, dia_tl, 4, 0);
	order(q, TL_ORDER_PADDLE_MINIBOX, dia);
	assert_pts(q, dia_tl, 4, 0);
	order(q, TL_ORDER_PADDLE_XY, dia);
	assert_pts(q, dia_tl, 4, 0);
	/* label rule: sums 5,5,15,15 -> tl = first min (0,5), br = first max
	 * (10,5); the rest (5,0),(5,10) have y-x = -5, 5 -> tr (5,0), bl (5,10) */
	order(q, TL_ORDER_PADDLE_LABEL, dia);
	tl_point lab[] = { P(0, 5), P(5, 0), P(10, 5), P(5, 10) };
	assert_pts(q, lab, 4, 0);
	/* mmocr: angles about (5,5): (5,0) -90, (10,5) 0, (5,10) 90, (0,5) 180;
	 * nearest to (0,0) is (5,0) (tie with (0,5) at distance 5; first wins) */
	order(q, TL_ORDER_MMOCR, dia);
	assert_pts(q, dia_tl, 4, 0);

	/* y tie inside the left pair: get_mini_boxes takes the second as top-left,
	 * order_points_clockwise the first */
	tl_point tie[] = { P(1, 5), P(10, 0), P(10, 10), P(0, 5) };
	order(q, TL_ORDER_PADDLE_MINIBOX, tie);
	tl_point mb[] = { P(1, 5), P(10, 0), P(10, 10), P(0, 5) };
	assert_pts(q, mb, 4, 0);
	order(q, TL_ORDER_PADDLE_XY, tie);
	tl_point xy[] = { P(0, 5), P(10, 0), P(10, 10), P(1, 5) };
	assert_pts(q, xy, 4, 0);

	/* label rule when every x+y is equal: argmin == argmax == 0, one point
	 * removed, tr/bl from the other three by y-x (2, 0, -2) */
	tl_point anti[] = { P(0, 4), P(1, 3), P(2, 2), P(3, 1) };
	order(q, TL_ORDER_PADDLE_LABEL, anti);
	tl_point al[] = { P(0, 4), P(3, 1), P(0, 4), P(1, 3) };
	assert_pts(q, al, 4, 0);

	/* a diamond with identical sums on both sides: label emulation yields the
	 * same point twice, exactly as PaddleOCR's code does */
	tl_point d2[] = { P(5, 0), P(10, 5), P(5, 10), P(0, 5) };
	order(q, TL_ORDER_PADDLE_LABEL, d2);
	tl_point dl[] = { P(5, 0), P(5, 10), P(10, 5), P(5, 10) };
	assert_pts(q, dl, 4, 0);
}

static void test_canonical(void **state)
{
	(void)state;
	tl_point want[] = { P(0, 0), P(10, 0), P(10, 4), P(0, 4) };
	tl_point a[] = { P(10, 4), P(0, 4), P(0, 0), P(10, 0) }; /* clockwise, other start */
	assert_int_equal(tl_poly_canonical(a, 4), 1);
	assert_pts(a, want, 4, 0);
	tl_point b[] = { P(0, 0), P(0, 4), P(10, 4), P(10, 0) }; /* counter-clockwise */
	assert_int_equal(tl_poly_canonical(b, 4), 1);
	assert_pts(b, want, 4, 0);
	assert_int_equal(tl_poly_canonical(b, 4), 0); /* already canonical */
	/* a polygon: CTW-like 6 points given counter-clockwise */
	tl_point poly[] = { P(0, 10), P(5, 12), P(10, 10), P(10, 0), P(5, 1), P(0, 0) };
	assert_int_equal(tl_poly_canonical(poly, 6), 1);
	tl_point pw[] = { P(0, 0), P(5, 1), P(10, 0), P(10, 10), P(5, 12), P(0, 10) };
	assert_pts(poly, pw, 6, 0);
	assert_true(tl_poly_signed_area(poly, 6) > 0);
}

/* ---- forms ---- */

static void test_geom_points_convert(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	assert_non_null(ds);
	int lossy = -1;
	tl_point buf[8];

	tl_geom g = { .shape = TL_SHAPE_RECT, .rect = { 1, 2, 11, 7 } };
	assert_int_equal(tl_geom_points(&g, buf, 8), 4);
	tl_point rq[] = { P(1, 2), P(11, 2), P(11, 7), P(1, 7) };
	assert_pts(buf, rq, 4, 0);
	assert_int_equal(tl_geom_points(&g, NULL, 0), 4); /* just the count */

	tl_geom h = g;
	assert_int_equal(tl_geom_convert(ds, &h, TL_SHAPE_QUAD, &lossy), TL_OK);
	assert_int_equal(lossy, 0);
	assert_int_equal(h.shape, TL_SHAPE_QUAD);
	assert_int_equal(h.n, 4);
	assert_pts(h.pts, rq, 4, 0);
	assert_int_equal(tl_geom_convert(ds, &h, TL_SHAPE_RECT, &lossy), TL_OK);
	assert_int_equal(lossy, 0);
	assert_true(h.rect.l == 1 && h.rect.t == 2 && h.rect.r == 11 && h.rect.b == 7);

	h = g;
	assert_int_equal(tl_geom_convert(ds, &h, TL_SHAPE_RBOX, &lossy), TL_OK);
	assert_int_equal(lossy, 0);
	assert_true(h.rbox.cx == 6 && h.rbox.cy == 4.5 && h.rbox.w == 10 && h.rbox.h == 5 &&
		    h.rbox.angle == 0);

	/* RBOX -> QUAD: corners in canonical order; at 90 degrees exact */
	tl_geom r = { .shape = TL_SHAPE_RBOX, .rbox = { 5, 2, 4, 10, 90 } };
	assert_int_equal(tl_geom_points(&r, buf, 8), 4);
	tl_point want_box[] = { P(0, 0), P(10, 0), P(10, 4), P(0, 4) };
	assert_pts(buf, want_box, 4, 0);
	tl_geom r2 = r;
	assert_int_equal(tl_geom_convert(ds, &r2, TL_SHAPE_RECT, &lossy), TL_OK);
	assert_int_equal(lossy, 0);
	assert_true(r2.rect.l == 0 && r2.rect.t == 0 && r2.rect.r == 10 && r2.rect.b == 4);
	r2 = r;
	assert_int_equal(tl_geom_convert(ds, &r2, TL_SHAPE_QUAD, &lossy), TL_OK);
	assert_int_equal(lossy, 0);
	assert_pts(r2.pts, want_box, 4, 0);
	r2 = (tl_geom){ .shape = TL_SHAPE_RBOX, .rbox = { 5, 2, 4, 10, 30 } };
	assert_int_equal(tl_geom_convert(ds, &r2, TL_SHAPE_RECT, &lossy), TL_OK);
	assert_int_equal(lossy, 1);

	/* a rotated rectangle as a quad -> rbox is exact; -> rect is not */
	tl_point rot[] = { P(0, 0), P(3, 3), P(1, 5), P(-2, 2) };
	tl_geom q = { .shape = TL_SHAPE_QUAD, .n = 4, .pts = rot };
	tl_geom q2 = q;
	assert_int_equal(tl_geom_convert(ds, &q2, TL_SHAPE_RBOX, &lossy), TL_OK);
	assert_int_equal(lossy, 0);
	assert_near(q2.rbox.w, 3 * sqrt(2), 1e-12);
	q2 = q;
	assert_int_equal(tl_geom_convert(ds, &q2, TL_SHAPE_RECT, &lossy), TL_OK);
	assert_int_equal(lossy, 1);
	assert_true(q2.rect.l == -2 && q2.rect.t == 0 && q2.rect.r == 3 && q2.rect.b == 5);
	/* a trapezoid -> rbox loses its shape */
	tl_point trap[] = { P(0, 0), P(10, 0), P(12, 5), P(0, 5) };
	q2 = (tl_geom){ .shape = TL_SHAPE_QUAD, .n = 4, .pts = trap };
	assert_int_equal(tl_geom_convert(ds, &q2, TL_SHAPE_RBOX, &lossy), TL_OK);
	assert_int_equal(lossy, 1);
	/* quad -> poly keeps everything */
	q2 = q;
	assert_int_equal(tl_geom_convert(ds, &q2, TL_SHAPE_POLY, &lossy), TL_OK);
	assert_int_equal(lossy, 0);
	assert_int_equal(q2.shape, TL_SHAPE_POLY);
	assert_pts(q2.pts, rot, 4, 0);

	/* poly (6 points) -> quad via the minimum-area rectangle: the hexagon's is
	 * the 10 x 7 axis-aligned box */
	tl_point hex[] = { P(0, 0), P(5, -1), P(10, 0), P(10, 5), P(5, 6), P(0, 5) };
	tl_geom p = { .shape = TL_SHAPE_POLY, .n = 6, .pts = hex };
	assert_int_equal(tl_geom_convert(ds, &p, TL_SHAPE_QUAD, &lossy), TL_OK);
	assert_int_equal(lossy, 1);
	assert_int_equal(p.n, 4);
	tl_point hq[] = { P(0, -1), P(10, -1), P(10, 6), P(0, 6) };
	assert_pts(p.pts, hq, 4, 1e-12);
	/* a 4-point poly -> quad keeps its points */
	p = (tl_geom){ .shape = TL_SHAPE_POLY, .n = 4, .pts = trap };
	assert_int_equal(tl_geom_convert(ds, &p, TL_SHAPE_QUAD, &lossy), TL_OK);
	assert_int_equal(lossy, 0);
	assert_pts(p.pts, trap, 4, 0);
	assert_int_equal(tl_geom_points(&p, buf, 3), 4); /* too small: count only */

	/* refusals */
	tl_point bad[] = { P(0, 0), P(NAN, 1), P(2, 2), P(3, 0) };
	p = (tl_geom){ .shape = TL_SHAPE_QUAD, .n = 4, .pts = bad };
	assert_int_equal(tl_geom_convert(ds, &p, TL_SHAPE_RECT, &lossy), TL_E_INPUT);
	p = (tl_geom){ .shape = TL_SHAPE_NONE };
	assert_int_equal(tl_geom_convert(ds, &p, TL_SHAPE_RECT, &lossy), TL_E_INPUT);
	p = (tl_geom){ .shape = TL_SHAPE_POLY, .n = 0, .pts = NULL };
	assert_int_equal(tl_geom_convert(ds, &p, TL_SHAPE_RECT, &lossy), TL_E_INPUT);
	p = q;
	assert_int_equal(tl_geom_convert(ds, &p, (tl_shape)42, &lossy), TL_E_USAGE);
	assert_int_equal(tl_geom_convert(ds, &p, TL_SHAPE_QUAD, NULL), TL_OK);
	tl_dataset_free(ds);
}

static void test_rect_rbox_points(void **state)
{
	(void)state;
	/* boxPoints at angle 0: bottom-left, top-left, top-right, bottom-right */
	tl_point q[4];
	tl_rbox_points((tl_rbox){ 5, 2, 10, 4, 0 }, q);
	tl_point w[] = { P(0, 4), P(0, 0), P(10, 0), P(10, 4) };
	assert_pts(q, w, 4, 0);
	/* 90 degrees: the w side points down; exact, no 6e-17 residue */
	tl_rbox_points((tl_rbox){ 5, 2, 4, 10, 90 }, q);
	tl_point w90[] = { P(0, 0), P(10, 0), P(10, 4), P(0, 4) };
	assert_pts(q, w90, 4, 0);
	tl_rbox_points((tl_rbox){ 5, 2, 4, 10, -270 }, q);
	assert_pts(q, w90, 4, 0);
	tl_rect br = tl_bounding_rect(w, 4);
	assert_true(br.l == 0 && br.t == 0 && br.r == 10 && br.b == 4);
	tl_point wn[] = { P(NAN, 3), P(2, -1), P(4, 8) };
	br = tl_bounding_rect(wn, 3);
	assert_true(br.l == 2 && br.t == -1 && br.r == 4 && br.b == 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_area_orientation),
		cmocka_unit_test(test_orient2d_exact),
		cmocka_unit_test(test_poly_check),
		cmocka_unit_test(test_self_intersect_large),
		cmocka_unit_test(test_self_intersect_methods),
		cmocka_unit_test(test_convex_hull),
		cmocka_unit_test(test_min_area_rect),
		cmocka_unit_test(test_min_area_rect_random),
		cmocka_unit_test(test_min_area_rect_cv),
		cmocka_unit_test(test_quad_orders),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_geom_points_convert),
		cmocka_unit_test(test_rect_rbox_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
