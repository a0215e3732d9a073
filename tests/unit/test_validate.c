/* test_validate.c — the validate rules on datasets built in memory, the polygon
 * intersection area behind the overlap rules (the library's one kernel, shared with
 * eval), and tl_validate_fix. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tl_internal.h"
#include "geom_clip.h"  /* tl_clip_inter: the one intersection kernel */

/* ---- helpers ---------------------------------------------------------- */

static size_t count_kind(const tl_diags *d, const char *kind)
{
	size_t n = 0;
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].kind && !strcmp(d->items[i].kind, kind))
			n++;
	return n;
}

/* The first diagnostic of that kind, or NULL. */
static const tl_diag *find_kind(const tl_diags *d, const char *kind)
{
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].kind && !strcmp(d->items[i].kind, kind))
			return &d->items[i];
	return NULL;
}

static tl_region *add_poly(tl_dataset *ds, tl_image *im, const double *xy, size_t n,
			   const char *text, long line)
{
	tl_point p[64];
	assert_true(n <= 64);
	for (size_t i = 0; i < n; i++) {
		p[i].x = xy[2 * i];
		p[i].y = xy[2 * i + 1];
	}
	tl_region *r = tl_image_add_region(ds, im);
	assert_non_null(r);
	assert_int_equal(tl_region_set_points(ds, r, n == 4 ? TL_SHAPE_QUAD : TL_SHAPE_POLY,
					      p, n), TL_OK);
	r->text = tl_dataset_strdup(ds, text);
	r->dontcare = !strcmp(text, "###");
	r->line = line;
	return r;
}

static tl_image *new_image(tl_dataset *ds, const char *name, const char *source)
{
	tl_image *im = tl_dataset_add_image(ds, name);
	assert_non_null(im);
	im->source = source ? tl_dataset_strdup(ds, source) : NULL;
	return im;
}

static int run(const tl_dataset *ds, const tl_validate_opts *o, tl_diags *d)
{
	tl_error err;
	tl_diags_init(d);
	int rc = tl_validate(ds, o, d, &err);
	if (rc != TL_OK && rc != TL_E_INPUT)
		fprintf(stderr, "tl_validate: %s\n", err.msg);
	return rc;
}

static void print_diags(const tl_diags *d)
{
	for (size_t i = 0; i < d->count; i++)
		fprintf(stderr, "  %s:%ld: %d %s [%s]\n", d->items[i].file ? d->items[i].file : "",
			d->items[i].line, d->items[i].severity, d->items[i].msg, d->items[i].kind);
}

/* ---- intersection area ------------------------------------------------ */

static double inter(const double *a, size_t na, const double *b, size_t nb)
{
	tl_point pa[32] = { { 0, 0 } }, pb[32] = { { 0, 0 } };
	for (size_t i = 0; i < na; i++)
		pa[i] = (tl_point){ a[2 * i], a[2 * i + 1] };
	for (size_t i = 0; i < nb; i++)
		pb[i] = (tl_point){ b[2 * i], b[2 * i + 1] };
	double v = tl_validate_inter_area(pa, na, pb, nb);
	/* Symmetric in its arguments, and independent of either winding. */
	double w = tl_validate_inter_area(pb, nb, pa, na);
	assert_true(fabs(v - w) < 1e-9);
	tl_point ra[32];
	for (size_t i = 0; i < na; i++)
		ra[i] = pa[na - 1 - i];
	assert_true(fabs(tl_validate_inter_area(ra, na, pb, nb) - v) < 1e-9);
	return v;
}

static void test_inter_area(void **state)
{
	(void)state;
	const double sq[] = { 0, 0, 10, 0, 10, 10, 0, 10 };
	const double half[] = { 5, 0, 15, 0, 15, 10, 5, 10 };
	const double inside[] = { 2, 2, 4, 2, 4, 4, 2, 4 };
	const double apart[] = { 20, 0, 30, 0, 30, 10, 20, 10 };
	const double adjacent[] = { 10, 0, 20, 0, 20, 10, 10, 10 };
	const double tri[] = { 0, 0, 10, 0, 0, 10 };
	/* Hand-computed: half overlap 50; nested 4; disjoint and edge-sharing 0;
	 * identical 100; the triangle is half the square: 50. */
	assert_true(fabs(inter(sq, 4, half, 4) - 50) < 1e-9);
	assert_true(fabs(inter(sq, 4, inside, 4) - 4) < 1e-9);
	assert_true(fabs(inter(sq, 4, apart, 4)) < 1e-9);
	assert_true(fabs(inter(sq, 4, adjacent, 4)) < 1e-9);
	assert_true(fabs(inter(sq, 4, sq, 4) - 100) < 1e-9);
	assert_true(fabs(inter(sq, 4, tri, 3) - 50) < 1e-9);
	/* A U shape (concave) and a bar across both arms and the gap: the bar's
	 * 30 x 2 strip at y 1..3 meets the arms x 0..10 and 20..30 only: 2 * 10 * 2 = 40.
	 * A convex-clipper algorithm would count the gap too (60). */
	const double u[] = { 0, 0, 10, 0, 10, 20, 20, 20, 20, 0, 30, 0, 30, 30, 0, 30 };
	const double bar[] = { -5, 1, 35, 1, 35, 3, -5, 3 };
	assert_true(fabs(inter(u, 8, bar, 4) - 40) < 1e-9);
	/* The bar at y 25..27 crosses the closed bottom part: 30 * 2 = 60. */
	const double bar2[] = { -5, 25, 35, 25, 35, 27, -5, 27 };
	assert_true(fabs(inter(u, 8, bar2, 4) - 60) < 1e-9);
	/* Two concave shapes: the U and its mirror image (an upside-down U, arms at the
	 * bottom) overlap in the arms (2 x 10 x 10 = 200 inside y 20..30?) — computed
	 * from the pieces: U covers x 0..10 and 20..30 for y 0..20 plus all of y 20..30;
	 * the mirror covers all of y 0..10 plus x 0..10 and 20..30 for y 10..30.
	 * Overlap: y 0..10 arms (2*10*10 = 200), y 10..20 arms (200), y 20..30 arms (200). */
	const double m[] = { 0, 0, 30, 0, 30, 30, 20, 30, 20, 10, 10, 10, 10, 30, 0, 30 };
	assert_true(fabs(inter(u, 8, m, 8) - 600) < 1e-9);
	/* Rotated square (diamond) inside a square: its full area 2 * 5 * 5 / ... */
	const double diamond[] = { 5, 0, 10, 5, 5, 10, 0, 5 };
	assert_true(fabs(inter(sq, 4, diamond, 4) - 50) < 1e-9);
	/* Degenerate input gives 0, never NaN. */
	const double flat[] = { 0, 0, 10, 0, 20, 0 };
	assert_true(inter(sq, 4, flat, 3) == 0);
	tl_point nan4[4] = { { NAN, 0 }, { 1, 0 }, { 1, 1 }, { 0, 1 } };
	tl_point sqp[4] = { { 0, 0 }, { 10, 0 }, { 10, 10 }, { 0, 10 } };
	assert_true(tl_validate_inter_area(nan4, 4, sqp, 4) == 0);
	assert_true(tl_validate_inter_area(NULL, 0, sqp, 4) == 0);
}

/* A random star-shaped (hence simple) polygon: sorted angles, random radii. With
 * grid set, coordinates are small integers, so shared edges, collinear runs and
 * touching vertices are frequent. */
static size_t random_star(tl_point *p, size_t maxn, unsigned *seed, int grid)
{
	size_t n = 3 + (size_t)(rand_r(seed) % (maxn - 2));
	double ang[32];
	for (size_t i = 0; i < n; i++)
		ang[i] = 6.283185307179586 * (rand_r(seed) / ((double)RAND_MAX + 1));
	for (size_t i = 1; i < n; i++) /* insertion sort */
		for (size_t j = i; j > 0 && ang[j] < ang[j - 1]; j--) {
			double t = ang[j];
			ang[j] = ang[j - 1];
			ang[j - 1] = t;
		}
	double cx = rand_r(seed) % 20, cy = rand_r(seed) % 20;
	for (size_t i = 0; i < n; i++) {
		double r = 2 + rand_r(seed) % 12;
		p[i].x = cx + r * cos(ang[i]);
		p[i].y = cy + r * sin(ang[i]);
		if (grid) {
			p[i].x = round(p[i].x);
			p[i].y = round(p[i].y);
		}
	}
	return n;
}

/* Area of subject ∩ clip by Sutherland-Hodgman: right for any simple subject,
 * concave included, as long as the clip ring is convex (the pieces it leaves along
 * the clip edges have no area). An algorithm independent of the slab sweep; out
 * must hold 2 * ns * nc points. */
static double sh_clip_area(const tl_point *s, size_t ns, const tl_point *c, size_t nc,
			   tl_point *out, tl_point *tmp)
{
	double sg = tl_poly_signed_area(c, nc) > 0 ? 1 : -1;
	size_t n = ns;
	memcpy(tmp, s, ns * sizeof *s);
	tl_point *in = tmp, *o = out;
	for (size_t i = 0; i < nc && n > 0; i++) {
		tl_point c0 = c[i], c1 = c[(i + 1) % nc];
		size_t m = 0;
		for (size_t k = 0; k < n; k++) {
			tl_point p = in[k], q = in[(k + 1) % n];
			double sp = sg * ((c1.x - c0.x) * (p.y - c0.y) - (c1.y - c0.y) * (p.x - c0.x));
			double sq = sg * ((c1.x - c0.x) * (q.y - c0.y) - (c1.y - c0.y) * (q.x - c0.x));
			if (sp >= 0)
				o[m++] = p;
			if ((sp > 0 && sq < 0) || (sp < 0 && sq > 0)) {
				double t = sp / (sp - sq);
				o[m++] = (tl_point){ p.x + t * (q.x - p.x), p.y + t * (q.y - p.y) };
			}
		}
		tl_point *t = in;
		in = o;
		o = t;
		n = m;
	}
	return n >= 3 ? tl_poly_area(in, n) : 0;
}

static void check_inter(const tl_point *a, size_t na, const tl_point *b, size_t nb, double want,
			double tol, const char *what)
{
	double got = tl_clip_inter(a, na, b, nb), back = tl_clip_inter(b, nb, a, na);
	if (!(fabs(got - want) <= tol && fabs(back - want) <= tol))
		fail_msg("%s: got %.15g and %.15g, want %.15g", what, got, back, want);
}

/* The one intersection kernel (geom_clip.c, behind both eval and the overlap rules)
 * against clipping, on thousands of random simple polygons, concave ones and
 * degenerate grids included, each cut by a random convex polygon. */
static void test_inter_kernel_random(void **state)
{
	(void)state;
	unsigned seed = 12345;
	size_t compared = 0;
	for (int k = 0; k < 4000; k++) {
		tl_point a[32], raw[8], b[8], out[2 * 32 * 8], tmp[2 * 32 * 8];
		int grid = k % 2;
		size_t na = random_star(a, 12, &seed, grid);
		size_t nr = 3 + (size_t)(rand_r(&seed) % 6);
		for (size_t i = 0; i < nr; i++) {
			raw[i].x = rand_r(&seed) % 30 - 5;
			raw[i].y = rand_r(&seed) % 30 - 5;
			if (!grid) {
				raw[i].x += rand_r(&seed) / ((double)RAND_MAX + 1);
				raw[i].y += rand_r(&seed) / ((double)RAND_MAX + 1);
			}
		}
		size_t nb = tl_convex_hull(raw, nr, b);
		/* Skip rings that rounding made non-simple or flat: the kernel reads those
		 * with the even-odd rule, clipping does not. */
		if (tl_poly_check(a, na) != TL_POLY_OK || nb < 3)
			continue;
		double ref = sh_clip_area(a, na, b, nb, out, tmp);
		double scale = fmax(1, fmax(tl_poly_area(a, na), tl_poly_area(b, nb)));
		char what[32];
		snprintf(what, sizeof what, "case %d", k);
		check_inter(a, na, b, nb, ref, 1e-9 * scale, what);
		compared++;
	}
	assert_true(compared > 1000);
}

/* Rings beyond the old limit of 4096 edges per call, where the kernel used to answer
 * 0: areas known in closed form, or from clipping. */
static void test_inter_kernel_large(void **state)
{
	(void)state;
	const double pi = 3.14159265358979323846;
	/* Concentric regular polygons, 5000 and 4099 corners: the smaller one (radius
	 * below the larger one's inradius) lies inside, so the intersection is its area
	 * m/2 r^2 sin(2 pi / m). */
	size_t n = 5000, m = 4099;
	tl_point *big = malloc(n * sizeof *big), *small = malloc(n * sizeof *small);
	assert_non_null(big);
	assert_non_null(small);
	for (size_t i = 0; i < n; i++)
		big[i] = (tl_point){ 500 + 300 * cos(2 * pi * i / n), 400 + 300 * sin(2 * pi * i / n) };
	for (size_t i = 0; i < m; i++)
		small[i] = (tl_point){ 500 + 250 * cos(2 * pi * i / m + 0.3),
				       400 + 250 * sin(2 * pi * i / m + 0.3) };
	double want = m / 2.0 * 250 * 250 * sin(2 * pi / m);
	check_inter(big, n, small, m, want, 1e-9 * want, "nested n-gons");
	assert_true(fabs(tl_validate_inter_area(big, n, small, m) - want) <= 1e-9 * want);
	/* Same radius, turned half a step: every edge of one crosses the other's
	 * boundary twice (10000 crossings). The intersection is bounded by all 2n edge
	 * lines, each at the inradius rho from the centre: the regular 2n-gon of area
	 * 2n rho^2 tan(pi / 2n). */
	for (size_t i = 0; i < n; i++)
		small[i] = (tl_point){ 500 + 300 * cos(2 * pi * (i + 0.5) / n),
				       400 + 300 * sin(2 * pi * (i + 0.5) / n) };
	double rho = 300 * cos(pi / n);
	want = 2.0 * n * rho * rho * tan(pi / (2.0 * n));
	check_inter(big, n, small, n, want, 1e-9 * want, "crossing n-gons");
	/* A wavy (concave) ring of 6000 corners against a rectangle and against a
	 * convex 4096-gon (10096 edges), checked by clipping. */
	size_t w = 6000;
	tl_point *wavy = malloc(w * sizeof *wavy);
	tl_point *out = malloc(4 * (w + n) * sizeof *out), *tmp = malloc(4 * (w + n) * sizeof *tmp);
	assert_non_null(wavy);
	assert_non_null(out);
	assert_non_null(tmp);
	for (size_t i = 0; i < w; i++) {
		double t = 2 * pi * i / w, r = 200 + 40 * sin(37 * t);
		wavy[i] = (tl_point){ 480 + r * cos(t), 420 + r * sin(t) };
	}
	assert_int_equal(tl_poly_check(wavy, w), TL_POLY_OK);
	tl_point rect[4] = { { 350, 300 }, { 700, 300 }, { 700, 380 }, { 350, 380 } };
	double ref = sh_clip_area(wavy, w, rect, 4, out, tmp);
	assert_true(ref > 1000);
	check_inter(wavy, w, rect, 4, ref, 1e-9 * ref, "wavy ring x rectangle");
	size_t g = 4096;
	for (size_t i = 0; i < g; i++)
		big[i] = (tl_point){ 500 + 190 * cos(2 * pi * i / g), 400 + 190 * sin(2 * pi * i / g) };
	ref = sh_clip_area(wavy, w, big, g, out, tmp);
	assert_true(ref > 1000);
	check_inter(wavy, w, big, g, ref, 1e-9 * ref, "wavy ring x 4096-gon");
	free(big);
	free(small);
	free(wavy);
	free(out);
	free(tmp);
}

/* ---- the rules --------------------------------------------------------- */

static void test_clean_dataset(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	ds->format = "icdar2015";
	tl_image *im = new_image(ds, "img_1.jpg", "gt/gt_img_1.txt");
	im->width = 1280;
	im->height = 720;
	const double a[] = { 10, 10, 100, 12, 99, 40, 9, 38 };
	const double b[] = { 200, 10, 300, 10, 300, 40, 200, 40 };
	const double c[] = { 400, 400, 450, 380, 520, 390, 560, 420, 520, 450, 420, 440 };
	add_poly(ds, im, a, 4, "HELLO", 1);
	add_poly(ds, im, b, 4, "###", 2);
	add_poly(ds, im, c, 6, "curved", 3);
	tl_diags d;
	assert_int_equal(run(ds, NULL, &d), TL_OK);
	if (d.count)
		print_diags(&d);
	assert_int_equal(d.count, 0);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void test_geometry_rules(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	ds->format = "icdar2015";
	tl_image *im = new_image(ds, "img_7.jpg", "gt_img_7.txt");
	const double ccw[] = { 10, 10, 10, 40, 100, 40, 100, 10 };
	const double bowtie[] = { 200, 0, 300, 50, 300, 0, 200, 50 };
	const double collinear[] = { 0, 500, 10, 500, 20, 500, 30, 500 };
	const double two[] = { 5, 5, 6, 6, 5, 5, 6, 6 };
	/* A ring that is clockwise on floats but whose truncation to integers is
	 * counter-clockwise is what the RRC script sees: S > 0 after truncation. */
	const double ok[] = { 600, 600, 700, 600, 700, 650, 600, 650 };
	add_poly(ds, im, ccw, 4, "CCW", 1);
	add_poly(ds, im, bowtie, 4, "BOW", 2);
	add_poly(ds, im, collinear, 4, "LINE", 3);
	add_poly(ds, im, two, 4, "TWO", 4);
	add_poly(ds, im, ok, 4, "OK", 5);
	tl_region *r = add_poly(ds, im, ok, 4, "OK", 6); /* duplicate of line 5 */
	(void)r;
	const double nanq[] = { NAN, 1, 2, 1, 2, 2, 1, 2 };
	add_poly(ds, im, nanq, 4, "NAN", 7);
	tl_diags d;
	assert_int_equal(run(ds, NULL, &d), TL_E_INPUT);
	const tl_diag *g = find_kind(&d, "ccw-order");
	assert_non_null(g);
	assert_int_equal(g->severity, TL_ERROR); /* RRC mode from the format name */
	assert_int_equal(g->line, 1);
	assert_string_equal(g->file, "gt_img_7.txt");
	assert_non_null(strstr(g->msg, "refuses"));
	assert_int_equal(count_kind(&d, "ccw-order"), 1);
	g = find_kind(&d, "self-intersection");
	assert_non_null(g);
	assert_int_equal(g->line, 2);
	g = find_kind(&d, "zero-area");
	assert_non_null(g);
	assert_int_equal(g->line, 3);
	g = find_kind(&d, "too-few-points");
	assert_non_null(g);
	assert_int_equal(g->line, 4);
	g = find_kind(&d, "duplicate-region");
	assert_non_null(g);
	assert_int_equal(g->line, 6);
	assert_non_null(strstr(g->msg, "line 5"));
	assert_int_equal(count_kind(&d, "duplicate-region"), 1);
	g = find_kind(&d, "non-finite");
	assert_non_null(g);
	assert_int_equal(g->line, 7);
	assert_int_equal(count_kind(&d, "unmapped-name"), 0);
	tl_diags_free(&d);

	/* Outside RRC mode the winding is only a warning. */
	tl_validate_opts o;
	tl_validate_opts_init(&o);
	o.rrc = 0;
	assert_int_equal(run(ds, &o, &d), TL_E_INPUT);
	g = find_kind(&d, "ccw-order");
	assert_non_null(g);
	assert_int_equal(g->severity, TL_WARNING);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void test_rrc_truncation(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	ds->format = "rrc";
	tl_image *im = new_image(ds, "img_1.jpg", "res_img_1.txt");
	/* A tilted square on fractional coordinates, clockwise on screen. */
	const double q[] = { 0.9, 0.2, 1.9, 0.9, 1.1, 1.9, 0.1, 1.1 };
	add_poly(ds, im, q, 4, "x", 1);
	tl_diags d;
	run(ds, NULL, &d);
	/* The float ring is clockwise (positive shoelace); truncated it is
	 * (0,0),(1,0),(1,1),(0,1): still clockwise, so no ccw-order, but the RRC
	 * grammar wants integers. */
	assert_int_equal(count_kind(&d, "ccw-order"), 0);
	assert_int_equal(count_kind(&d, "non-integer"), 1);
	tl_diags_free(&d);
	tl_dataset_free(ds);

	/* A counter-clockwise ring on fractional coordinates is refused. */
	ds = tl_dataset_new();
	ds->format = "rrc";
	im = new_image(ds, "img_1.jpg", "res_img_1.txt");
	const double q2[] = { 2.9, 0, 0, 0, 0, 2, 2, 2.1 };
	/* floats: S = (0-2.9)(0+0) + (0-0)(2+0) + (2-0)(2.1+2) + (2.9-2)(0+2.1)
	 *       = 0 + 0 + 8.2 + 1.89 > 0: counter-clockwise either way. */
	add_poly(ds, im, q2, 4, "x", 1);
	run(ds, NULL, &d);
	assert_int_equal(count_kind(&d, "ccw-order"), 1);
	tl_diags_free(&d);
	tl_dataset_free(ds);

	/* Counter-clockwise on floats but S = 0 once truncated (every point becomes
	 * (0,0)): the RRC script lets it pass, so RRC mode does too; without RRC mode
	 * the float winding is reported. */
	ds = tl_dataset_new();
	ds->format = "rrc";
	im = new_image(ds, "img_1.jpg", "res_img_1.txt");
	const double q3[] = { 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9, 0.1 };
	add_poly(ds, im, q3, 4, "x", 1);
	run(ds, NULL, &d);
	assert_int_equal(count_kind(&d, "ccw-order"), 0);
	tl_diags_free(&d);
	tl_validate_opts o;
	tl_validate_opts_init(&o);
	o.rrc = 0;
	run(ds, &o, &d);
	assert_int_equal(count_kind(&d, "ccw-order"), 1);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

/* Result files: what only costs score is a warning; what the RRC script refuses
 * (winding, a confidence column in some lines only) is an error. */
static void test_results_mode(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	ds->format = "rrc";
	tl_image *im = new_image(ds, "img_1.jpg", "res_img_1.txt");
	const double q[] = { 0, 0, 10, 0, 10, 10, 0, 10 };
	const double flat[] = { 0, 50, 10, 50, 20, 50, 30, 50 };
	add_poly(ds, im, q, 4, "", 1);
	add_poly(ds, im, q, 4, "", 2);
	add_poly(ds, im, flat, 4, "", 3);
	tl_diags d;
	assert_int_equal(run(ds, NULL, &d), TL_OK);
	const tl_diag *g = find_kind(&d, "duplicate-region");
	assert_non_null(g);
	assert_int_equal(g->severity, TL_WARNING);
	assert_non_null(strstr(g->msg, "false positive"));
	g = find_kind(&d, "zero-area");
	assert_non_null(g);
	assert_int_equal(g->severity, TL_WARNING);
	assert_int_equal(count_kind(&d, "rrc-confidence"), 0);
	tl_diags_free(&d);

	/* Every line with a confidence: refused only by the default configuration. */
	for (size_t i = 0; i < im->nregions; i++) {
		im->regions[i].has_confidence = 1;
		im->regions[i].confidence = 0.5;
	}
	assert_int_equal(run(ds, NULL, &d), TL_OK);
	g = find_kind(&d, "rrc-confidence");
	assert_non_null(g);
	assert_int_equal(g->severity, TL_WARNING);
	tl_diags_free(&d);

	/* Some lines with and some without: refused either way. */
	im->regions[1].has_confidence = 0;
	assert_int_equal(run(ds, NULL, &d), TL_E_INPUT);
	g = find_kind(&d, "rrc-confidence");
	assert_non_null(g);
	assert_int_equal(g->severity, TL_ERROR);
	assert_int_equal(g->line, 2);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void test_dontcare_rules(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	ds->format = "ufo";
	tl_image *im = new_image(ds, "a.jpg", "train.json");
	im->width = 1000;
	im->height = 1000;
	const double care[] = { 100, 100, 200, 100, 200, 150, 100, 150 };
	/* A don't-care region covering 80% of the care word above. */
	const double dc1[] = { 100, 100, 180, 100, 180, 150, 100, 150 };
	const double care2[] = { 500, 500, 700, 500, 700, 600, 500, 600 };
	/* A small don't-care region inside care2: 100% of it is cared-for. */
	const double dc2[] = { 510, 510, 530, 510, 530, 520, 510, 520 };
	const double dcflat[] = { 800, 800, 801, 800, 801, 800.5, 800, 800.5 }; /* 0.5 px^2 */
	const double spaced[] = { 300, 300, 320, 300, 320, 310, 300, 310 };
	const double hugedc[] = { 0, 0, 1000, 0, 1000, 1000, 0, 1000 };
	add_poly(ds, im, care, 4, "CARE", 1);
	add_poly(ds, im, dc1, 4, "###", 2);
	add_poly(ds, im, care2, 4, "WIDE", 3);
	add_poly(ds, im, dc2, 4, "###", 4);
	add_poly(ds, im, dcflat, 4, "###", 5);
	add_poly(ds, im, spaced, 4, " ###", 6);
	tl_region *r = add_poly(ds, im, spaced, 4, "###", 7);
	r->dontcare = 0;        /* UFO: "###" text, illegibility false */
	r->geom.pts[0].x += 1;  /* not an exact duplicate of line 6 */
	r = add_poly(ds, im, care2, 4, "READABLE", 8);
	r->dontcare = 1;        /* illegible flag on a real transcription */
	r->geom.pts[1].x += 7;

	tl_diags d;
	run(ds, NULL, &d);
	const tl_diag *g;
	size_t n_overlap = count_kind(&d, "dontcare-overlap");
	/* line 1 (dc1 covers 80% of it), line 4 (inside care2), and line 8 (an
	 * illegible region that almost equals care2, 100% both ways). */
	int saw1 = 0, saw4 = 0;
	for (size_t i = 0; i < d.count; i++) {
		g = &d.items[i];
		if (strcmp(g->kind, "dontcare-overlap"))
			continue;
		if (g->line == 1) {
			saw1 = 1;
			assert_non_null(strstr(g->msg, "80%"));
			assert_non_null(strstr(g->msg, "at line 2"));
		}
		if (g->line == 4) {
			saw4 = 1;
			assert_non_null(strstr(g->msg, "100%"));
		}
	}
	if (!saw1 || !saw4)
		print_diags(&d);
	assert_true(saw1 && saw4);
	assert_true(n_overlap >= 2);
	g = find_kind(&d, "dontcare-degenerate");
	assert_non_null(g);
	assert_int_equal(g->line, 5);
	g = find_kind(&d, "dontcare-spaced");
	assert_non_null(g);
	assert_int_equal(g->line, 6);
	assert_int_equal(count_kind(&d, "dontcare-mismatch"), 2);
	assert_int_equal(count_kind(&d, "zero-area"), 0); /* dc5 is a warning, not an error */
	assert_int_equal(count_kind(&d, "ccw-order"), 0);
	assert_int_equal(count_kind(&d, "dontcare-share"), 0);
	tl_diags_free(&d);

	/* A don't-care region over the whole image: degenerate, and the share rule. */
	add_poly(ds, im, hugedc, 4, "###", 9);
	run(ds, NULL, &d);
	int huge = 0;
	for (size_t i = 0; i < d.count; i++)
		if (!strcmp(d.items[i].kind, "dontcare-degenerate") && d.items[i].line == 9)
			huge = 1;
	assert_true(huge);
	g = find_kind(&d, "dontcare-share");
	assert_non_null(g);
	assert_int_equal(g->severity, TL_WARNING);
	tl_diags_free(&d);

	/* The share threshold can be raised to turn the rule off. */
	tl_validate_opts o;
	tl_validate_opts_init(&o);
	o.dontcare_share = 1;
	run(ds, &o, &d);
	assert_int_equal(count_kind(&d, "dontcare-share"), 0);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void test_rect_and_rbox(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	ds->format = "icdar2013";
	tl_image *im = new_image(ds, "img_1.jpg", "gt_img_1.txt");
	im->width = 100;
	im->height = 100;
	struct { tl_shape shape; tl_rect rect; tl_rbox rbox; } cases[] = {
		{ TL_SHAPE_RECT, { 10, 10, 50, 30 }, { 0, 0, 0, 0, 0 } },    /* fine */
		{ TL_SHAPE_RECT, { 50, 10, 10, 30 }, { 0, 0, 0, 0, 0 } },    /* r < l */
		{ TL_SHAPE_RECT, { 10, 40, 10, 60 }, { 0, 0, 0, 0, 0 } },    /* no width */
		{ TL_SHAPE_RBOX, { 0, 0, 0, 0 }, { 50, 80, 20, 10, 45 } },   /* fine */
		{ TL_SHAPE_RBOX, { 0, 0, 0, 0 }, { 50, 50, -4, 10, 0 } },    /* negative */
		{ TL_SHAPE_RBOX, { 0, 0, 0, 0 }, { 99, 50, 20, 10, 30 } },   /* pokes out */
		{ TL_SHAPE_RECT, { 10.5, 70, 30, 90 }, { 0, 0, 0, 0, 0 } },  /* fraction */
	};
	for (size_t i = 0; i < TL_ARRAY_LEN(cases); i++) {
		tl_region *r = tl_image_add_region(ds, im);
		r->geom.shape = cases[i].shape;
		r->geom.rect = cases[i].rect;
		r->geom.rbox = cases[i].rbox;
		r->text = "w";
		r->line = (long)i + 1;
	}
	tl_diags d;
	assert_int_equal(run(ds, NULL, &d), TL_E_INPUT);
	const tl_diag *g = find_kind(&d, "bad-rect");
	assert_non_null(g);
	assert_int_equal(g->line, 2);
	assert_int_equal(count_kind(&d, "bad-rect"), 2); /* lines 2 and 5 */
	g = find_kind(&d, "zero-area");
	assert_non_null(g);
	assert_int_equal(g->line, 3);
	g = find_kind(&d, "outside-image");
	assert_non_null(g);
	assert_int_equal(g->line, 6);
	assert_int_equal(g->severity, TL_WARNING);
	g = find_kind(&d, "non-integer");
	assert_non_null(g);
	assert_int_equal(g->line, 7);
	/* Rectangles and rotated boxes have no stored winding to get wrong. */
	assert_int_equal(count_kind(&d, "ccw-order"), 0);
	assert_int_equal(count_kind(&d, "non-integer"), 1);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void test_outside_and_text(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	tl_image *im = new_image(ds, "x.jpg", "x.txt");
	im->width = 100;
	im->height = 50;
	const double part[] = { 90, 10, 110, 10, 110, 20, 90, 20 };
	const double gone[] = { 200, 10, 210, 10, 210, 20, 200, 20 };
	const double edge[] = { 0, 0, 100, 0, 100, 50, 0, 50 }; /* exactly the image */
	add_poly(ds, im, part, 4, "PART", 1);
	add_poly(ds, im, gone, 4, "GONE", 2);
	add_poly(ds, im, edge, 4, "ALL", 3);
	const double t1[] = { 10, 30, 20, 30, 20, 40, 10, 40 };
	add_poly(ds, im, t1, 4, "bad\x01text", 4);
	const double t2[] = { 30, 30, 40, 30, 40, 40, 30, 40 };
	add_poly(ds, im, t2, 4, "caf\xef\xbf\xbd", 5);
	tl_diags d;
	assert_int_equal(run(ds, NULL, &d), TL_E_INPUT);
	size_t warn = 0, err = 0;
	for (size_t i = 0; i < d.count; i++) {
		if (strcmp(d.items[i].kind, "outside-image"))
			continue;
		if (d.items[i].line == 1 && d.items[i].severity == TL_WARNING)
			warn++;
		if (d.items[i].line == 2 && d.items[i].severity == TL_ERROR)
			err++;
		assert_true(d.items[i].line != 3);
	}
	assert_int_equal(warn, 1);
	assert_int_equal(err, 1);
	assert_int_equal(count_kind(&d, "bad-text"), 2);
	/* Not an RRC format: no name rule, no integer rule. */
	assert_int_equal(count_kind(&d, "unmapped-name"), 0);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void test_names_and_duplicate_images(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	ds->format = "icdar2015";
	const double q[] = { 0, 0, 10, 0, 10, 10, 0, 10 };
	add_poly(ds, new_image(ds, "img_1.jpg", "train/img_1.jpg.txt"), q, 4, "a", 1);
	add_poly(ds, new_image(ds, "img_2.jpg", "train/gt_img_2.txt"), q, 4, "a", 1);
	/* The RRC regex is not anchored at the end and its "." matches anything. */
	add_poly(ds, new_image(ds, "img_3.jpg", "gt_img_3xtxt.bak"), q, 4, "a", 1);
	add_poly(ds, new_image(ds, "img_4.jpg", "gt.zip#sub/gt_img_4.txt"), q, 4, "a", 1);
	add_poly(ds, new_image(ds, "img_2.jpg", "other/gt_img_2.txt"), q, 4, "a", 1);
	add_poly(ds, new_image(ds, "img_5.jpg", "gt_img_.txt"), q, 4, "a", 1);
	tl_diags d;
	run(ds, NULL, &d);
	size_t n = 0;
	for (size_t i = 0; i < d.count; i++) {
		if (strcmp(d.items[i].kind, "unmapped-name"))
			continue;
		n++;
		assert_int_equal(d.items[i].severity, TL_WARNING); /* GT: skipped, not refused */
		assert_true(!strcmp(d.items[i].file, "train/img_1.jpg.txt") ||
			    !strcmp(d.items[i].file, "gt.zip#sub/gt_img_4.txt") ||
			    !strcmp(d.items[i].file, "gt_img_.txt"));
	}
	assert_int_equal(n, 3);
	const tl_diag *g = find_kind(&d, "duplicate-image");
	assert_non_null(g);
	assert_int_equal(g->severity, TL_ERROR);
	assert_int_equal(count_kind(&d, "duplicate-image"), 1);
	tl_diags_free(&d);

	/* A submission with a name the script does not map is refused outright. */
	ds->format = "rrc";
	run(ds, NULL, &d);
	g = find_kind(&d, "unmapped-name");
	assert_non_null(g);
	assert_int_equal(g->severity, TL_ERROR);
	assert_true(count_kind(&d, "unmapped-name") == 6); /* none is named res_img_N.txt */
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void test_duplicate_ids(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	ds->format = "ufo";
	tl_image *im = new_image(ds, "a.jpg", "train.json");
	const double q1[] = { 0, 0, 10, 0, 10, 10, 0, 10 };
	const double q2[] = { 20, 0, 30, 0, 30, 10, 20, 10 };
	const double q3[] = { 40, 0, 50, 0, 50, 10, 40, 10 };
	tl_region *r = add_poly(ds, im, q1, 4, "a", 0);
	r->extra = tl_dataset_strdup(ds, "{\"@ufo-word-id\": \"0001\"}");
	r = add_poly(ds, im, q2, 4, "b", 0);
	r->extra = tl_dataset_strdup(ds, "{\"@ufo-word-id\": \"0002\", \"tags\": []}");
	r = add_poly(ds, im, q3, 4, "c", 0);
	r->extra = tl_dataset_strdup(ds, "{\"@ufo-word-id\": \"0001\"}");
	tl_diags d;
	assert_int_equal(run(ds, NULL, &d), TL_E_INPUT);
	assert_int_equal(count_kind(&d, "duplicate-id"), 1);
	const tl_diag *g = find_kind(&d, "duplicate-id");
	/* No line in JSON: the message names the image and the word instead. */
	assert_int_equal(g->line, 0);
	assert_non_null(strstr(g->msg, "a.jpg, word \"0001\""));
	assert_non_null(strstr(g->msg, "also used at word \"0001\""));
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void test_images_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/tl_validate_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	tl_pixmap pm;
	tl_error err;
	assert_int_equal(tl_pixmap_alloc(&pm, 40, 30, 3, &err), TL_OK);
	const char *files[] = { "img_1.png", "img_2.png", "img_4.png" };
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		assert_int_equal(tl_png_write(path, &pm, 1, &err), TL_OK);
	}
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	assert_int_equal(tl_write_file_atomic(path, "x", 1, 1, &err), TL_OK);
	tl_pixmap_free(&pm);

	tl_dataset *ds = tl_dataset_new();
	const double q[] = { 30, 5, 50, 5, 50, 10, 30, 10 };   /* x past 40 */
	add_poly(ds, new_image(ds, "img_1.png", "a/img_1.txt"), q, 4, "a", 1);
	add_poly(ds, new_image(ds, "img_3.png", "a/img_3.txt"), q, 4, "a", 1);
	tl_image *im4 = new_image(ds, "sub/img_4.png", "a/img_4.txt"); /* found by basename */
	im4->width = 80;
	im4->height = 30;
	tl_validate_opts o;
	tl_validate_opts_init(&o);
	o.images_dir = dir;
	tl_diags d;
	assert_int_equal(run(ds, &o, &d), TL_E_INPUT);
	const tl_diag *g = find_kind(&d, "outside-image");
	assert_non_null(g);
	assert_string_equal(g->file, "a/img_1.txt");
	assert_non_null(strstr(g->msg, "40x30"));
	g = find_kind(&d, "missing-image");
	assert_non_null(g);
	assert_string_equal(g->file, "a/img_3.txt");
	g = find_kind(&d, "unannotated-image");
	assert_non_null(g);
	assert_non_null(strstr(g->file, "img_2.png"));
	assert_int_equal(count_kind(&d, "unannotated-image"), 1); /* notes.txt is no image */
	g = find_kind(&d, "size-mismatch");
	assert_non_null(g);
	assert_non_null(strstr(g->msg, "80x30"));
	tl_diags_free(&d);
	tl_dataset_free(ds);

	const char *all[] = { "img_1.png", "img_2.png", "img_4.png", "notes.txt" };
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, all[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void test_fix(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	ds->format = "icdar2015";
	tl_image *im = new_image(ds, "img_1.jpg", "gt_img_1.txt");
	const double ccw[] = { 10, 10, 10, 40, 100, 40, 100, 10 };
	const double rot[] = { 300, 10, 300, 40, 200, 40, 200, 10 }; /* cw, starts top-right */
	const double good[] = { 500, 10, 600, 10, 600, 40, 500, 40 };
	add_poly(ds, im, ccw, 4, "A", 1);
	add_poly(ds, im, rot, 4, "B", 2);
	add_poly(ds, im, good, 4, "C", 3);
	add_poly(ds, im, good, 4, "C", 4);     /* exact repeat: dropped */
	add_poly(ds, im, good, 4, "D", 5);     /* same box, other text: kept */
	tl_diags ch;
	tl_diags_init(&ch);
	size_t n = 0;
	tl_error err;
	assert_int_equal(tl_validate_fix(ds, NULL, &ch, &n, &err), TL_OK);
	assert_int_equal(n, 3);
	assert_int_equal(count_kind(&ch, "fix-order"), 2);
	const tl_diag *g = find_kind(&ch, "fix-duplicate");
	assert_non_null(g);
	assert_int_equal(g->line, 4);
	assert_int_equal(g->severity, TL_NOTE);
	assert_int_equal(im->nregions, 4);
	assert_string_equal(im->regions[3].text, "D");
	assert_int_equal(im->regions[3].line, 5);
	/* The reversed ring is clockwise from the top-left. */
	tl_point *p = im->regions[0].geom.pts;
	assert_true(p[0].x == 10 && p[0].y == 10);
	assert_true(p[1].x == 100 && p[1].y == 10);
	assert_true(p[3].x == 10 && p[3].y == 40);
	p = im->regions[1].geom.pts;
	assert_true(p[0].x == 200 && p[0].y == 10);
	assert_true(p[1].x == 300 && p[1].y == 10);
	tl_diags_free(&ch);

	/* Fixed data validates without ccw-order; the other-text duplicate remains. */
	tl_diags d;
	run(ds, NULL, &d);
	assert_int_equal(count_kind(&d, "ccw-order"), 0);
	assert_int_equal(count_kind(&d, "duplicate-region"), 1);
	tl_diags_free(&d);

	/* A second fix changes nothing. */
	tl_diags_init(&ch);
	assert_int_equal(tl_validate_fix(ds, NULL, &ch, &n, &err), TL_OK);
	assert_int_equal(n, 0);
	assert_int_equal(ch.count, 0);
	tl_diags_free(&ch);
	tl_dataset_free(ds);
}

/* Hostile sizes finish quickly: a ring of 200 000 points of two values, and
 * 20 000 copies of one box in one image (quadratic work is budgeted). */
static void test_hostile_sizes(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	tl_image *im = new_image(ds, "big.jpg", "big.txt");
	size_t n = 200000;
	tl_point *p = malloc(n * sizeof *p);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = i < n / 2 ? (tl_point){ 1, 1 } : (tl_point){ 2, 2 };
	tl_region *r = tl_image_add_region(ds, im);
	assert_int_equal(tl_region_set_points(ds, r, TL_SHAPE_POLY, p, n), TL_OK);
	r->line = 1;
	free(p);
	tl_image *im2 = new_image(ds, "many.jpg", "many.txt");
	const double q[] = { 0, 0, 10, 0, 10, 10, 0, 10 };
	const double q2[] = { 0, 0, 10, 0, 10, 10.5, 0, 10 };
	for (int i = 0; i < 20000; i++) {
		tl_region *x = add_poly(ds, im2, i % 2 ? q : q2, 4, i % 3 ? "w" : "###", i + 1);
		(void)x;
	}
	clock_t t0 = clock();
	tl_validate_opts o;
	tl_validate_opts_init(&o);
	o.work_budget = 2000000;
	tl_diags d;
	tl_diags_init(&d);
	tl_error err;
	int rc = tl_validate(ds, &o, &d, &err);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(rc, TL_E_INPUT);
	assert_true(secs < 20);
	const tl_diag *g = find_kind(&d, "too-few-points");
	assert_non_null(g);
	assert_string_equal(g->file, "big.txt");
	assert_non_null(find_kind(&d, "check-limit"));
	assert_true(count_kind(&d, "duplicate-region") == 19998);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

/* Random datasets with hostile values (NaN, infinities, 1e308, repeated and
 * collinear points, every shape, empty images) go through every rule and the fix
 * without a crash (the suite also runs under ASan/UBSan), and the fix is stable. */
static void test_random_stress(void **state)
{
	(void)state;
	unsigned seed = 777;
	static const double vals[] = { 0, 1, 10, 10, 100, -5, 1e308, -1e308, 0.5, 1280, 720 };
	for (int round = 0; round < 30; round++) {
		tl_dataset *ds = tl_dataset_new();
		ds->format = round % 3 == 0 ? "icdar2015" : round % 3 == 1 ? "rrc" : "ufo";
		for (int i = 0; i < 20; i++) {
			char name[32], src[32];
			snprintf(name, sizeof name, "img_%d.jpg", i % 17);
			snprintf(src, sizeof src, "gt_img_%d.txt", i);
			tl_image *im = new_image(ds, name, src);
			im->width = rand_r(&seed) % 3 ? 100 : 0;
			im->height = 80;
			int nr = rand_r(&seed) % 12;
			for (int k = 0; k < nr; k++) {
				tl_point p[9];
				size_t n = 1 + (size_t)(rand_r(&seed) % 9);
				for (size_t j = 0; j < n; j++) {
					int pick = rand_r(&seed) % 16;
					p[j].x = pick < 11 ? vals[pick] : rand_r(&seed) % 120;
					pick = rand_r(&seed) % 16;
					p[j].y = pick < 11 ? vals[pick] : rand_r(&seed) % 90;
				}
				if (rand_r(&seed) % 40 == 0)
					p[0].x = NAN;
				if (rand_r(&seed) % 40 == 0)
					p[n - 1].y = INFINITY;
				tl_region *r = tl_image_add_region(ds, im);
				int shape = rand_r(&seed) % 4;
				if (shape == 0) {
					r->geom.shape = TL_SHAPE_RECT;
					r->geom.rect = (tl_rect){ p[0].x, p[0].y, p[n - 1].x, p[n - 1].y };
				} else if (shape == 1) {
					r->geom.shape = TL_SHAPE_RBOX;
					r->geom.rbox = (tl_rbox){ p[0].x, p[0].y, p[n - 1].x, p[n - 1].y, 30 };
				} else {
					assert_int_equal(tl_region_set_points(ds, r, n == 4 ? TL_SHAPE_QUAD :
									      TL_SHAPE_POLY, p, n), TL_OK);
				}
				r->text = rand_r(&seed) % 3 ? "w" : "###";
				r->dontcare = rand_r(&seed) % 3 == 0;
				r->has_confidence = rand_r(&seed) % 2;
				r->line = k + 1;
			}
		}
		tl_diags d;
		int rc = run(ds, NULL, &d);
		assert_true(rc == TL_OK || rc == TL_E_INPUT);
		tl_diags_free(&d);
		tl_diags ch;
		tl_diags_init(&ch);
		size_t n1 = 0, n2 = 0;
		tl_error err;
		assert_int_equal(tl_validate_fix(ds, NULL, &ch, &n1, &err), TL_OK);
		tl_diags_free(&ch);
		tl_diags_init(&ch);
		assert_int_equal(tl_validate_fix(ds, NULL, &ch, &n2, &err), TL_OK);
		assert_int_equal(n2, 0);
		tl_diags_free(&ch);
		rc = run(ds, NULL, &d);
		assert_true(rc == TL_OK || rc == TL_E_INPUT);
		tl_diags_free(&d);
		tl_dataset_free(ds);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inter_area),
		cmocka_unit_test(test_inter_kernel_random),
		cmocka_unit_test(test_inter_kernel_large),
		cmocka_unit_test(test_clean_dataset),
		cmocka_unit_test(test_geometry_rules),
		cmocka_unit_test(test_rrc_truncation),
		cmocka_unit_test(test_results_mode),
		cmocka_unit_test(test_dontcare_rules),
		cmocka_unit_test(test_rect_and_rbox),
		cmocka_unit_test(test_outside_and_text),
		cmocka_unit_test(test_names_and_duplicate_images),
		cmocka_unit_test(test_duplicate_ids),
		cmocka_unit_test(test_images_dir),
		cmocka_unit_test(test_fix),
		cmocka_unit_test(test_hostile_sizes),
		cmocka_unit_test(test_random_stress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
