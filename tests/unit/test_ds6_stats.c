/* test_ds6_stats.c — the statistics of textloc stats on hand-built datasets:
 * counts, sizes from the minimum-area rectangle, orientation, scripts, quantiles,
 * and that the JSON form merges back to the same numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include "tl_internal.h"

static void add_quad(tl_dataset *ds, tl_image *im, double x, double y, double w, double h,
		     const char *text, int dc)
{
	tl_point p[4] = { { x, y }, { x + w, y }, { x + w, y + h }, { x, y + h } };
	tl_region *r = tl_image_add_region(ds, im);
	assert_non_null(r);
	assert_int_equal(tl_region_set_points(ds, r, TL_SHAPE_QUAD, p, 4), TL_OK);
	r->text = tl_dataset_strdup(ds, text);
	r->dontcare = dc;
}

static tl_dataset *sample(void)
{
	tl_dataset *ds = tl_dataset_new();
	tl_image *im = tl_dataset_add_image(ds, "a.jpg");
	im->width = 100;
	im->height = 50;
	add_quad(ds, im, 0, 0, 10, 4, "HELLO", 0);     /* horizontal, 10 x 4 */
	add_quad(ds, im, 50, 0, 4, 20, "세계", 0);      /* vertical: long side upright */
	add_quad(ds, im, 60, 30, 10, 10, "###", 1);
	im = tl_dataset_add_image(ds, "b.jpg");         /* no size, no regions */
	im = tl_dataset_add_image(ds, "c.jpg");
	add_quad(ds, im, 1, 1, 30, 10, "東京タワー", 0);
	add_quad(ds, im, 1, 20, 30, 10, "2024", 0);
	tl_region *r = tl_image_add_region(ds, im);     /* an RBOX turned by 30 degrees */
	r->geom.shape = TL_SHAPE_RBOX;
	r->geom.rbox = (tl_rbox){ 50, 50, 40, 8, 30 };
	r->text = "";
	return ds;
}

static void test_counts_and_sizes(void **state)
{
	(void)state;
	tl_dataset *ds = sample();
	tl_stats s;
	tl_stats_init(&s);
	for (size_t i = 0; i < ds->nimages; i++)
		tl_stats_add_image(&s, &ds->images[i]);
	assert_int_equal(s.images, 3);
	assert_int_equal(s.images_sized, 1);
	assert_int_equal(s.images_empty, 1);
	assert_int_equal(s.regions, 6);
	assert_int_equal(s.dontcare, 1);
	assert_int_equal(s.care, 5);
	assert_int_equal(s.shapes[TL_SHAPE_QUAD], 5);
	assert_int_equal(s.shapes[TL_SHAPE_RBOX], 1);
	assert_int_equal(s.with_text, 4);
	assert_int_equal(s.scripts[TL_SCRIPT_LATIN], 1);
	assert_int_equal(s.scripts[TL_SCRIPT_HANGUL], 1);
	assert_int_equal(s.scripts[TL_SCRIPT_KANA], 1); /* kana beside Han reads Japanese */
	assert_int_equal(s.scripts[TL_SCRIPT_DIGITS], 1);
	const tl_hist *h = &s.h[TL_STAT_HEIGHT];
	assert_int_equal(h->count, 5);
	assert_true(fabs(h->min - 4) < 1e-9);
	assert_true(fabs(h->max - 10) < 1e-9);
	assert_true(fabs(s.h[TL_STAT_WIDTH].max - 40) < 1e-9);
	assert_true(fabs(s.h[TL_STAT_ASPECT].max - 5) < 1e-9);
	/* the vertical word's long side points at +-90 degrees, the RBOX at 30 */
	const tl_hist *a = &s.h[TL_STAT_ANGLE];
	assert_true(fabs(fabs(a->min) - 90) < 1e-6 || fabs(a->max - 90) < 1e-6);
	assert_true(a->max >= 30 - 1e-6);
	/* text lengths count code points, not bytes */
	assert_true(fabs(s.h[TL_STAT_TEXTLEN].max - 5) < 1e-9);
	assert_true(fabs(s.h[TL_STAT_TEXTLEN].min - 2) < 1e-9);
	/* text share of the sized image: (40 + 80 + 100) / 5000, the DC region included */
	assert_int_equal(s.h[TL_STAT_TEXT_SHARE].count, 1);
	assert_true(fabs(s.h[TL_STAT_TEXT_SHARE].sum - 220.0 / 5000) < 1e-12);
	assert_int_equal(s.h[TL_STAT_AREA_SHARE].count, 2);
	tl_dataset_free(ds);
}

static void test_quantile(void **state)
{
	(void)state;
	tl_stats s;
	tl_stats_init(&s);
	assert_true(tl_hist_quantile(&s.h[TL_STAT_TEXT_SHARE], 0.5) == 0);
	tl_dataset *ds = tl_dataset_new();
	for (int i = 0; i < 100; i++) {
		tl_image *im = tl_dataset_add_image(ds, "x.jpg");
		add_quad(ds, im, 0, 0, 10, 1 + i % 10, "abc", 0);
	}
	for (size_t i = 0; i < ds->nimages; i++)
		tl_stats_add_image(&s, &ds->images[i]);
	double med = tl_hist_quantile(&s.h[TL_STAT_HEIGHT], 0.5);
	assert_true(med >= 4 && med <= 7);
	assert_true(tl_hist_quantile(&s.h[TL_STAT_HEIGHT], 0) >= 1);
	assert_true(tl_hist_quantile(&s.h[TL_STAT_HEIGHT], 1) <= 10 + 1e-9);
	tl_dataset_free(ds);
}

static void test_json_merge(void **state)
{
	(void)state;
	tl_dataset *ds = sample();
	tl_stats all, a, b;
	tl_stats_init(&all);
	tl_stats_init(&a);
	tl_stats_init(&b);
	for (size_t i = 0; i < ds->nimages; i++) {
		tl_stats_add_image(&all, &ds->images[i]);
		tl_stats_add_image(tl_shard_has(i, 0, 2) ? &a : &b, &ds->images[i]);
	}
	/* shard outputs through JSON, added up, equal the whole */
	tl_buf ja = TL_BUF_INIT, jb = TL_BUF_INIT, jall = TL_BUF_INIT, jm = TL_BUF_INIT;
	assert_int_equal(tl_stats_json(&a, &ja), TL_OK);
	assert_int_equal(tl_stats_json(&b, &jb), TL_OK);
	tl_stats ra, rb;
	tl_error err;
	assert_int_equal(tl_stats_from_json(&ra, ja.data, ja.len, &err), TL_OK);
	assert_int_equal(tl_stats_from_json(&rb, jb.data, jb.len, &err), TL_OK);
	tl_stats_merge(&ra, &rb);
	assert_int_equal(tl_stats_json(&all, &jall), TL_OK);
	assert_int_equal(tl_stats_json(&ra, &jm), TL_OK);
	assert_string_equal(jm.data, jall.data);
	assert_int_equal(tl_stats_from_json(&ra, "{\"images\": 1}", 13, &err), TL_E_INPUT);
	assert_int_equal(tl_stats_from_json(&ra, "nonsense", 8, &err), TL_E_INPUT);
	tl_buf t = TL_BUF_INIT;
	assert_int_equal(tl_stats_table(&all, &t), TL_OK);
	assert_non_null(strstr(t.data, "Hangul 1"));
	tl_buf_free(&t);
	tl_buf_free(&ja);
	tl_buf_free(&jb);
	tl_buf_free(&jall);
	tl_buf_free(&jm);
	tl_dataset_free(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_sizes),
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_json_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
