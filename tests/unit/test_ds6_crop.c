/* test_ds6_crop.c — word crops: an axis-aligned box comes out pixel for pixel, a
 * quad listed from another corner is turned upright, padding and fixed height give
 * the sizes asked for, and degenerate or absurd regions are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <math.h>
#include "tl_internal.h"

/* A gray image whose pixel (x, y) holds (3x + 7y) mod 256: every pixel tells where
 * it came from. */
static void gradient(tl_pixmap *p, int w, int h)
{
	tl_error err;
	assert_int_equal(tl_pixmap_alloc(p, w, h, 1, &err), TL_OK);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			p->data[y * w + x] = (uint8_t)((3 * x + 7 * y) % 256);
}

static tl_region quad_region(tl_dataset *ds, const tl_point q[4])
{
	tl_region r;
	memset(&r, 0, sizeof r);
	r.text = "w";
	assert_int_equal(tl_region_set_points(ds, &r, TL_SHAPE_QUAD, q, 4), TL_OK);
	return r;
}

static void test_axis_aligned_exact(void **state)
{
	(void)state;
	tl_pixmap img, out;
	tl_error err;
	gradient(&img, 40, 30);
	tl_region r;
	memset(&r, 0, sizeof r);
	r.geom.shape = TL_SHAPE_RECT;
	r.geom.rect = (tl_rect){ 5, 4, 17, 10 };
	assert_int_equal(tl_crop_region(&img, &r, NULL, &out, &err), TL_OK);
	assert_int_equal(out.width, 12);
	assert_int_equal(out.height, 6);
	for (int y = 0; y < 6; y++)
		for (int x = 0; x < 12; x++)
			assert_int_equal(out.data[y * 12 + x], img.data[(y + 4) * 40 + x + 5]);
	tl_pixmap_free(&out);
	tl_pixmap_free(&img);
}

static void test_quad_orientation(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	tl_pixmap img, a, b;
	tl_error err;
	gradient(&img, 40, 30);
	/* the same rectangle given clockwise from the top-left, and counter-clockwise:
	 * both come out the same way up */
	tl_point cw[4] = { { 5, 4 }, { 17, 4 }, { 17, 10 }, { 5, 10 } };
	tl_point ccw[4] = { { 5, 4 }, { 5, 10 }, { 17, 10 }, { 17, 4 } };
	tl_region r1 = quad_region(ds, cw), r2 = quad_region(ds, ccw);
	assert_int_equal(tl_crop_region(&img, &r1, NULL, &a, &err), TL_OK);
	assert_int_equal(tl_crop_region(&img, &r2, NULL, &b, &err), TL_OK);
	assert_int_equal(a.width, 12);
	assert_int_equal(b.width, 12);
	assert_memory_equal(a.data, b.data, 12 * 6);
	tl_pixmap_free(&a);
	tl_pixmap_free(&b);
	/* a word written top to bottom (its first vertex at the top-right): the crop
	 * is the region turned a quarter clockwise back, so it reads left to right */
	tl_point down[4] = { { 20, 2 }, { 20, 14 }, { 14, 14 }, { 14, 2 } };
	tl_region r3 = quad_region(ds, down);
	assert_int_equal(tl_crop_region(&img, &r3, NULL, &a, &err), TL_OK);
	assert_int_equal(a.width, 12);
	assert_int_equal(a.height, 6);
	/* output (0,0) samples near (19.5, 2.5): pixel (19, 2) */
	assert_int_equal(a.data[0], img.data[2 * 40 + 19]);
	assert_int_equal(a.data[11], img.data[13 * 40 + 19]);
	tl_pixmap_free(&a);
	tl_pixmap_free(&img);
	tl_dataset_free(ds);
}

static void test_pad_height_and_refusals(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	tl_pixmap img, out;
	tl_error err;
	gradient(&img, 64, 48);
	tl_point q[4] = { { 10, 10 }, { 50, 10 }, { 50, 20 }, { 10, 20 } };
	tl_region r = quad_region(ds, q);
	tl_crop_opts o = { .pad = 0.5, .height = 0, .include_dontcare = 0, .min_size = 0 };
	assert_int_equal(tl_crop_region(&img, &r, &o, &out, &err), TL_OK);
	assert_int_equal(out.width, 50);  /* 40 + 2 * 5 */
	assert_int_equal(out.height, 20); /* 10 + 2 * 5 */
	tl_pixmap_free(&out);
	o.pad = 0;
	o.height = 32;
	assert_int_equal(tl_crop_region(&img, &r, &o, &out, &err), TL_OK);
	assert_int_equal(out.height, 32);
	assert_int_equal(out.width, 128);
	tl_pixmap_free(&out);
	/* a polygon is cut through its minimum-area rectangle */
	tl_point poly[6] = { { 10, 10 }, { 30, 8 }, { 50, 10 }, { 50, 20 }, { 30, 22 }, { 10, 20 } };
	tl_region rp;
	memset(&rp, 0, sizeof rp);
	assert_int_equal(tl_region_set_points(ds, &rp, TL_SHAPE_POLY, poly, 6), TL_OK);
	o.height = 0;
	assert_int_equal(tl_crop_region(&img, &rp, &o, &out, &err), TL_OK);
	assert_true(out.width >= 40 && out.width <= 41 && out.height >= 14 && out.height <= 15);
	tl_pixmap_free(&out);
	/* refusals: collinear corners, too small, absurd size, non-finite */
	tl_point line[4] = { { 1, 1 }, { 20, 1 }, { 40, 1 }, { 10, 1 } };
	tl_region bad = quad_region(ds, line);
	assert_int_equal(tl_crop_region(&img, &bad, NULL, &out, &err), TL_E_INPUT);
	tl_point huge[4] = { { 0, 0 }, { 1e7, 0 }, { 1e7, 1e7 }, { 0, 1e7 } };
	bad = quad_region(ds, huge);
	assert_int_equal(tl_crop_region(&img, &bad, NULL, &out, &err), TL_E_LIMIT);
	tl_point nan[4] = { { 0, 0 }, { NAN, 0 }, { 5, 5 }, { 0, 5 } };
	bad = quad_region(ds, nan);
	assert_int_equal(tl_crop_region(&img, &bad, NULL, &out, &err), TL_E_INPUT);
	o.min_size = 20;
	assert_int_equal(tl_crop_region(&img, &r, &o, &out, &err), TL_E_INPUT);
	o.min_size = 0;
	o.pad = -1;
	assert_int_equal(tl_crop_region(&img, &r, &o, &out, &err), TL_E_USAGE);
	tl_pixmap_free(&img);
	tl_dataset_free(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_axis_aligned_exact),
		cmocka_unit_test(test_quad_orientation),
		cmocka_unit_test(test_pad_height_and_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
