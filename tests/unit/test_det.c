/* test_det.c — the DB pipeline: input sizes, normalisation, contours, polygon
 * filling, unclip, approxPolyDP, whole post-processing, hostile maps, and (when
 * ../shared is present) the golden probability maps reproduced box for box.
 * Expected values come from protocols.md §11 and from OpenCV 4.6 / pyclipper
 * runs of the same inputs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>

#include "tl_internal.h"
#include "det/det_internal.h"

static void input_size(int w, int h, int limit, int type, int ew, int eh)
{
	tl_det_params p;
	tl_det_params_init(&p);
	p.limit_side = limit;
	p.limit_type = type;
	int ow = 0, oh = 0;
	assert_int_equal(tl_det_input_size(w, h, &p, &ow, &oh), TL_OK);
	if (ow != ew || oh != eh)
		fail_msg("%dx%d -> %dx%d, want %dx%d", w, h, ow, oh, ew, eh);
}

static void test_input_size(void **state)
{
	(void)state;
	input_size(1280, 720, 960, TL_DET_LIMIT_MAX, 960, 544); /* 540 -> 544 */
	input_size(1200, 1600, 960, TL_DET_LIMIT_MAX, 704, 960);
	input_size(1414, 1000, 960, TL_DET_LIMIT_MAX, 960, 672);
	input_size(1000, 1300, 960, TL_DET_LIMIT_MAX, 736, 960);
	input_size(500, 300, 960, TL_DET_LIMIT_MAX, 512, 288);
	input_size(80, 80, 960, TL_DET_LIMIT_MAX, 64, 64);   /* 2.5 rounds to even */
	input_size(40, 20, 960, TL_DET_LIMIT_MAX, 32, 32);   /* padded first */
	input_size(4032, 3024, 960, TL_DET_LIMIT_MAX, 960, 704);
	input_size(1600, 1600, 960, TL_DET_LIMIT_MAX, 960, 960);
	input_size(100, 50, 960, TL_DET_LIMIT_MIN, 1920, 960);
	input_size(20000, 100, 960, TL_DET_LIMIT_MIN, 4000, 32); /* max side 4000 */
	tl_det_params p;
	tl_det_params_init(&p);
	int w, h;
	assert_int_not_equal(tl_det_input_size(0, 10, &p, &w, &h), TL_OK);
}

static void test_normalise(void **state)
{
	(void)state;
	tl_pixmap pix;
	tl_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(tl_pixmap_alloc(&pix, 40, 40, 3, &err), TL_OK);
	for (int i = 0; i < 40 * 40; i++) { /* pure red (RGB) */
		pix.data[3 * i] = 255;
		pix.data[3 * i + 1] = 0;
		pix.data[3 * i + 2] = 10;
	}
	tl_det_params p;
	tl_det_params_init(&p);
	float *t;
	int w, h;
	assert_int_equal(tl_det_preprocess(&pix, &p, &t, &w, &h, &err), TL_OK);
	assert_int_equal(w, 32);
	assert_int_equal(h, 32);
	/* Plane 0 is blue with the "red" ImageNet constants: PaddleOCR's order. */
	float b = ((float)10 * (float)(1.0 / 255.0) - 0.485f) / 0.229f;
	float g = (0.0f - 0.456f) / 0.224f;
	float r = ((float)255 * (float)(1.0 / 255.0) - 0.406f) / 0.225f;
	assert_true(t[0] == b);
	assert_true(t[32 * 32] == g);
	assert_true(t[2 * 32 * 32 + 5] == r);
	free(t);
	tl_pixmap_free(&pix);
}

static void test_tiny_padded(void **state)
{
	(void)state;
	/* A 10x5 white image is padded with black to 32x32 (w + h < 64), then
	 * kept at that size: white stays top-left, the padding is black. */
	tl_pixmap pix;
	tl_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(tl_pixmap_alloc(&pix, 10, 5, 1, &err), TL_OK);
	memset(pix.data, 255, 50);
	tl_det_params p;
	tl_det_params_init(&p);
	float *t;
	int w, h;
	assert_int_equal(tl_det_preprocess(&pix, &p, &t, &w, &h, &err), TL_OK);
	assert_int_equal(w, 32);
	assert_int_equal(h, 32);
	float white = ((float)255 * (float)(1.0 / 255.0) - 0.485f) / 0.229f;
	float black = (0.0f - 0.485f) / 0.229f;
	assert_true(t[4 * 32 + 9] == white);
	assert_true(t[4 * 32 + 10] == black);
	assert_true(t[5 * 32 + 0] == black);
	free(t);
	tl_pixmap_free(&pix);
}

static void test_contours(void **state)
{
	(void)state;
	/* A 5x6 block with a hole, a single pixel, a 2x2 block. */
	uint8_t b[8 * 10] = { 0 };
	for (int y = 1; y < 7; y++)
		for (int x = 1; x < 6; x++)
			b[y * 10 + x] = 1;
	b[3 * 10 + 3] = b[4 * 10 + 3] = 0;
	b[2 * 10 + 8] = 1;
	for (int y = 5; y < 7; y++)
		for (int x = 7; x < 9; x++)
			b[y * 10 + x] = 255;
	tl_contours cs;
	assert_int_equal(tl_find_contours(b, 10, 8, 1000, &cs), TL_OK);
	/* OpenCV 4.6 lists them last-found first, with these exact points. */
	static const int want[4][12] = {
		{ 7, 5, 7, 6, 8, 6, 8, 5 },
		{ 2, 3, 3, 2, 4, 3, 4, 4, 3, 5, 2, 4 },
		{ 8, 2 },
		{ 1, 1, 1, 6, 5, 6, 5, 1 },
	};
	static const size_t wantn[4] = { 4, 6, 1, 4 };
	assert_int_equal(cs.n, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(cs.len[i], wantn[i]);
		for (size_t k = 0; k < wantn[i]; k++) {
			assert_int_equal(cs.pts[cs.start[i] + k].x, want[i][2 * k]);
			assert_int_equal(cs.pts[cs.start[i] + k].y, want[i][2 * k + 1]);
		}
	}
	tl_contours_free(&cs);
	/* The point budget is enforced. */
	assert_int_equal(tl_find_contours(b, 10, 8, 5, &cs), TL_E_LIMIT);
}

static void test_fill_poly(void **state)
{
	(void)state;
	uint8_t m[6 * 7] = { 0 };
	tl_ipt tri[3] = { { 0, 0 }, { 6, 2 }, { 2, 5 } };
	tl_fill_poly(m, 7, 6, tri, 3);
	const char *want = "110000011111000111111011111000111000010000";
	for (int i = 0; i < 42; i++)
		if (m[i] != want[i] - '0')
			fail_msg("pixel %d,%d is %d", i % 7, i / 7, m[i]);
	/* Vertices far outside are clipped, never written out of bounds. */
	uint8_t big[4 * 4] = { 0 };
	tl_ipt out[4] = { { -1000000, -5 }, { 1000000, -5 }, { 1000000, 100 }, { -1000000, 100 } };
	tl_fill_poly(big, 4, 4, out, 4);
	for (int i = 0; i < 16; i++)
		assert_int_equal(big[i], 1);
}

static void test_unclip_worked_example(void **state)
{
	(void)state;
	/* protocols.md §11.3: box (10,10)-(50,20), D = 400 * 1.5 / 100 = 6. */
	tl_ipt box[4] = { { 10, 10 }, { 50, 10 }, { 50, 20 }, { 10, 20 } };
	tl_ipt *g;
	size_t n;
	assert_int_equal(tl_unclip(box, 4, 6.0, &g, &n), TL_OK);
	assert_int_equal(n, 16);
	tl_fpt q[4];
	float sside = tl_mini_box_i(g, n, q);
	assert_true(fabsf(sside - 22.0f) < 1e-4f);
	const float want[4][2] = { { 4, 4 }, { 56, 4 }, { 56, 26 }, { 4, 26 } };
	for (int i = 0; i < 4; i++) {
		assert_true(fabsf(q[i].x - want[i][0]) < 1e-4f);
		assert_true(fabsf(q[i].y - want[i][1]) < 1e-4f);
	}
	for (size_t i = 0; i < n; i++) { /* every vertex within D + rounding of the box */
		double dx = g[i].x < 10 ? 10 - g[i].x : g[i].x > 50 ? g[i].x - 50 : 0;
		double dy = g[i].y < 10 ? 10 - g[i].y : g[i].y > 20 ? g[i].y - 20 : 0;
		assert_true(sqrt(dx * dx + dy * dy) <= 6.0 + 0.75);
	}
	free(g);
	/* Fewer than three distinct points: nothing. */
	tl_ipt line[3] = { { 0, 0 }, { 0, 0 }, { 5, 5 } };
	assert_int_equal(tl_unclip(line, 3, 2.0, &g, &n), TL_OK);
	assert_int_equal(n, 0);
	free(g);
}

static void test_approx(void **state)
{
	(void)state;
	/* A rectangle outline with collinear points in between keeps its corners. */
	tl_ipt c[8] = { { 0, 0 }, { 0, 5 }, { 0, 10 }, { 10, 10 }, { 20, 10 }, { 20, 5 }, { 20, 0 }, { 10, 0 } };
	tl_ipt out[8];
	size_t n = tl_approx_poly_dp(c, 8, 0.002 * tl_arc_length_closed(c, 8), out);
	assert_int_equal(n, 4);
	assert_true(fabs(tl_arc_length_closed(c, 8) - 60.0) < 1e-9);
}

static int region_is(const tl_region *r, const int *xy, double score)
{
	if (r->geom.shape != TL_SHAPE_QUAD || r->geom.n != 4)
		return 0;
	for (int k = 0; k < 4; k++)
		if (r->geom.pts[k].x != xy[2 * k] || r->geom.pts[k].y != xy[2 * k + 1])
			return 0;
	return fabs(r->confidence - score) < 1e-6;
}

static void test_postprocess(void **state)
{
	(void)state;
	float *p = calloc(64 * 96, sizeof *p);
	assert_non_null(p);
	for (int y = 20; y < 30; y++)
		for (int x = 10; x < 60; x++)
			p[y * 96 + x] = 0.9f;
	for (int y = 40; y < 44; y++)
		for (int x = 70; x < 74; x++)
			p[y * 96 + x] = 0.8f;
	tl_det_params prm;
	tl_det_params_init(&prm);
	tl_dataset *ds = tl_dataset_new();
	tl_image *im = tl_dataset_add_image(ds, "x.png");
	tl_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(tl_det_postprocess(p, 96, 64, 192, 128, &prm, ds, im, &err), TL_OK);
	/* As PaddleOCR gives them (OpenCV order: the lower blob first). */
	static const int b0[8] = { 138, 78, 148, 78, 148, 88, 138, 88 };
	static const int b1[8] = { 8, 28, 130, 28, 130, 70, 8, 70 };
	assert_int_equal(im->nregions, 2);
	assert_true(region_is(&im->regions[0], b0, 0.8));
	assert_true(region_is(&im->regions[1], b1, 0.9));
	/* A higher box threshold drops the weaker box; polygon mode keeps both. */
	prm.box_thresh = 0.85;
	tl_image *im2 = tl_dataset_add_image(ds, "y.png");
	assert_int_equal(tl_det_postprocess(p, 96, 64, 192, 128, &prm, ds, im2, &err), TL_OK);
	assert_int_equal(im2->nregions, 1);
	prm.box_thresh = 0.6;
	prm.shape = TL_SHAPE_POLY;
	tl_image *im3 = tl_dataset_add_image(ds, "z.png");
	assert_int_equal(tl_det_postprocess(p, 96, 64, 192, 128, &prm, ds, im3, &err), TL_OK);
	assert_int_equal(im3->nregions, 2);
	assert_int_equal(im3->regions[0].geom.shape, TL_SHAPE_POLY);
	/* Bad parameters are refused. */
	prm.thresh = 2;
	assert_int_equal(tl_det_postprocess(p, 96, 64, 192, 128, &prm, ds, im3, &err), TL_E_USAGE);
	tl_dataset_free(ds);
	free(p);
}

static void test_hostile_maps(void **state)
{
	(void)state;
	int w = 257, h = 131;
	float *p = malloc((size_t)w * h * sizeof *p);
	assert_non_null(p);
	tl_det_params prm;
	tl_det_params_init(&prm);
	prm.max_candidates = 1000000;
	tl_error err;
	memset(&err, 0, sizeof err);
	for (int mode = 0; mode < 3; mode++) {
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				float v = ((x + y) & 1) ? 0.95f : 0.0f;      /* checkerboard */
				if (mode == 1)
					v = (x % 3 && y % 3) ? 1.0f : 0.0f;  /* grid of holes */
				if (mode == 2)
					v = (x * 7 + y * 13) % 5 == 0 ? NAN : 0.9f;
				p[y * w + x] = v;
			}
		for (int shape = 0; shape < 2; shape++) {
			prm.shape = shape ? TL_SHAPE_POLY : TL_SHAPE_QUAD;
			tl_dataset *ds = tl_dataset_new();
			tl_image *im = tl_dataset_add_image(ds, "h");
			int rc = tl_det_postprocess(p, w, h, 1000, 500, &prm, ds, im, &err);
			assert_true(rc == TL_OK || rc == TL_E_LIMIT);
			for (size_t i = 0; i < im->nregions; i++)
				for (size_t k = 0; k < im->regions[i].geom.n; k++) {
					assert_true(im->regions[i].geom.pts[k].x >= 0);
					assert_true(im->regions[i].geom.pts[k].x <= 999);
					assert_true(im->regions[i].geom.pts[k].y >= 0);
					assert_true(im->regions[i].geom.pts[k].y <= 499);
				}
			tl_dataset_free(ds);
		}
	}
	free(p);
}

/* ---- golden maps (skipped without ../shared) ---------------------------- */

static float *load_npy(const char *path, int *h, int *w)
{
	FILE *f = fopen(path, "rb");
	unsigned char pre[10];
	if (!f)
		return NULL;
	if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
		fclose(f);
		return NULL;
	}
	size_t hl = (size_t)pre[8] | (size_t)pre[9] << 8;
	char hdr[1024];
	if (hl >= sizeof hdr || fread(hdr, 1, hl, f) != hl) {
		fclose(f);
		return NULL;
	}
	hdr[hl] = 0;
	char *s = strstr(hdr, "shape");
	s = s ? strchr(s, '(') : NULL;
	long dims[4] = { 0 }, n = 1;
	int nd = 0;
	for (s = s ? s + 1 : NULL; s && *s && *s != ')' && nd < 4;) {
		dims[nd++] = strtol(s, &s, 10);
		n *= dims[nd - 1];
		while (*s == ',' || *s == ' ')
			s++;
	}
	if (nd != 4 || !strstr(hdr, "<f4") || n <= 0 || n > (1L << 24)) {
		fclose(f);
		return NULL;
	}
	float *p = malloc((size_t)n * sizeof *p);
	if (p && fread(p, sizeof *p, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*h = (int)dims[2];
	*w = (int)dims[3];
	return p;
}

static void golden_case(const char *npy, const char *res, int src_w, int src_h)
{
	int h = 0, w = 0;
	float *p = load_npy(npy, &h, &w);
	char *ref;
	size_t len;
	tl_error err;
	memset(&err, 0, sizeof err);
	assert_non_null(p);
	assert_int_equal(tl_read_file(res, 0, &ref, &len, &err), TL_OK);
	tl_det_params prm;
	tl_det_params_init(&prm);
	tl_dataset *ds = tl_dataset_new();
	tl_image *im = tl_dataset_add_image(ds, "g");
	assert_int_equal(tl_det_postprocess(p, w, h, src_w, src_h, &prm, ds, im, &err), TL_OK);
	tl_buf out = TL_BUF_INIT;
	for (size_t i = 0; i < im->nregions; i++) {
		const tl_region *r = &im->regions[i];
		for (size_t k = 0; k < r->geom.n; k++)
			tl_buf_printf(&out, "%.0f,%.0f,", r->geom.pts[k].x, r->geom.pts[k].y);
		tl_buf_printf(&out, "%.6f\n", r->confidence);
	}
	if (out.len != len || memcmp(out.data, ref, len) != 0)
		fail_msg("%s differs from %s:\n%s", npy, res, out.data ? out.data : "");
	tl_buf_free(&out);
	free(ref);
	free(p);
	tl_dataset_free(ds);
}

static void test_golden_prob_maps(void **state)
{
	(void)state;
	const char *g = "../shared/golden/detect";
	if (!tl_is_dir(g)) {
		printf("SKIP: %s absent\n", g);
		skip();
	}
	golden_case("../shared/golden/detect/tensors/prob_doc1.npy",
		    "../shared/golden/detect/images/res_doc1.txt", 1200, 1600);
	golden_case("../shared/golden/detect/tensors/prob_ic15train_img_3.npy",
		    "../shared/golden/detect/images/res_ic15train_img_3.txt", 1280, 720);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input_size),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_tiny_padded),
		cmocka_unit_test(test_contours),
		cmocka_unit_test(test_fill_poly),
		cmocka_unit_test(test_unclip_worked_example),
		cmocka_unit_test(test_approx),
		cmocka_unit_test(test_postprocess),
		cmocka_unit_test(test_hostile_maps),
		cmocka_unit_test(test_golden_prob_maps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
