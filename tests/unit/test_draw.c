/* test_draw.c — the drawing primitives, the bitmap font, regions and whole images. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tl_internal.h"
#include "draw/draw_int.h"

static const tl_rgb RED = { 255, 0, 0 }, WHITE = { 255, 255, 255 }, BLACK = { 0, 0, 0 };

static tl_pixmap canvas(int w, int h)
{
	tl_pixmap p;
	tl_error e;
	assert_int_equal(tl_pixmap_alloc(&p, w, h, 3, &e), TL_OK);
	return p; /* black */
}

static int is(const tl_pixmap *p, int x, int y, tl_rgb c)
{
	const uint8_t *q = p->data + ((size_t)y * p->width + x) * 3;
	return q[0] == c.r && q[1] == c.g && q[2] == c.b;
}

static size_t count(const tl_pixmap *p, tl_rgb c)
{
	size_t n = 0;
	for (int y = 0; y < p->height; y++)
		for (int x = 0; x < p->width; x++)
			n += (size_t)is(p, x, y, c);
	return n;
}

static void test_font(void **state)
{
	(void)state;
	/* Every printable glyph but the space has ink, and no two are the same. */
	for (uint32_t a = 33; a < 127; a++) {
		const uint8_t *g = tl_font_glyph(a);
		int ink = 0;
		for (int r = 0; r < TL_FONT_H; r++) {
			ink |= g[r];
			assert_int_equal(g[r] & ~0x1f, 0);
		}
		assert_true(ink);
		for (uint32_t b = 32; b < a; b++)
			if (memcmp(g, tl_font_glyph(b), TL_FONT_H) == 0)
				fail_msg("glyphs '%c' and '%c' are identical", (int)a, (int)b);
	}
	/* Outside printable ASCII: one shared box. */
	assert_ptr_equal(tl_font_glyph(0xE9), tl_font_glyph(0x4E2D));
	assert_ptr_equal(tl_font_glyph(7), tl_font_glyph(0x4E2D));
	assert_int_equal(tl_font_glyph(0xE9)[0], 0x1f);
	uint32_t cp;
	assert_int_equal(tl_utf8_next("\xc3\xa9x", &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(tl_utf8_next("\xe4\xb8\xad", &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(tl_utf8_next("\xc3", &cp), 1); /* cut before the NUL */
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(tl_utf8_next("\xc0\x80", &cp), 1); /* overlong */
	assert_int_equal(tl_utf8_next("\xff", &cp), 1);
	int w, h;
	tl_text_size("CAF\xc3\x89", 1, &w, &h); /* 4 code points */
	assert_int_equal(w, 1 + 4 * TL_FONT_ADVANCE);
	assert_int_equal(h, TL_FONT_H + 2);
	tl_text_size("ab", 3, &w, &h);
	assert_int_equal(w, 3 * (1 + 2 * TL_FONT_ADVANCE));
}

static void test_text(void **state)
{
	(void)state;
	tl_pixmap p = canvas(40, 20);
	/* 'T' at scale 1: top bar at row y+1, x+1..x+5; stem below at x+3. */
	int w = tl_draw_text(&p, 2, 3, "T", 1, WHITE, RED, 255);
	assert_int_equal(w, 7);
	for (int x = 3; x <= 7; x++)
		assert_true(is(&p, x, 4, WHITE));
	assert_true(is(&p, 5, 10, WHITE));
	assert_true(is(&p, 4, 10, RED)); /* background box */
	assert_true(is(&p, 2, 3, RED));
	assert_true(is(&p, 1, 3, BLACK)); /* outside the box */
	assert_true(is(&p, 2, 12, BLACK));
	/* Clipped at every edge without harm. */
	tl_draw_text(&p, -100, -3, "clipped text", 2, WHITE, RED, 128);
	tl_draw_text(&p, 35, 15, "\xe4\xb8\xad\xe6\x96\x87", 8, WHITE, RED, 255);
	tl_draw_text(&p, INT32_MAX - 10, 0, "x", 1, WHITE, RED, 255);
	tl_pixmap_free(&p);
}

static void test_lines(void **state)
{
	(void)state;
	tl_pixmap p = canvas(20, 10);
	tl_draw_line(&p, (tl_point){ 2.5, 5.5 }, (tl_point){ 10.5, 5.5 }, 1, RED);
	for (int x = 2; x <= 10; x++)
		assert_true(is(&p, x, 5, RED));
	assert_true(is(&p, 1, 5, BLACK));
	assert_true(is(&p, 11, 5, BLACK));
	assert_int_equal(count(&p, RED), 9);
	/* Thickness 3 covers the rows on both sides. */
	tl_draw_line(&p, (tl_point){ 15.5, 1.5 }, (tl_point){ 15.5, 8.5 }, 3, WHITE);
	assert_true(is(&p, 14, 4, WHITE) && is(&p, 16, 4, WHITE));
	assert_true(is(&p, 13, 4, BLACK) && is(&p, 17, 4, BLACK));
	/* Hostile coordinates: nothing drawn for NaN/inf, huge ones clipped quickly. */
	tl_pixmap q = canvas(20, 10);
	tl_draw_line(&q, (tl_point){ NAN, 1 }, (tl_point){ 5, 5 }, 1, RED);
	tl_draw_line(&q, (tl_point){ INFINITY, 1 }, (tl_point){ 5, 5 }, 1, RED);
	assert_int_equal(count(&q, RED), 0);
	tl_draw_line(&q, (tl_point){ -1e300, 5.5 }, (tl_point){ 1e300, 5.5 }, 1, RED);
	assert_int_equal(count(&q, RED), 20);
	tl_draw_line(&q, (tl_point){ -1e300, -1e300 }, (tl_point){ -1e299, -5 }, 2, WHITE);
	assert_int_equal(count(&q, WHITE), 0);
	tl_pixmap_free(&q);
	tl_pixmap_free(&p);
}

static void test_fill_and_hatch(void **state)
{
	(void)state;
	tl_pixmap p = canvas(12, 10);
	/* The square [2, 6) x [2, 5) holds exactly the pixel centres of x 2..5, y 2..4. */
	tl_point sq[4] = { { 2, 2 }, { 6, 2 }, { 6, 5 }, { 2, 5 } };
	tl_fill_polygon(&p, sq, 4, RED, 255);
	assert_int_equal(count(&p, RED), 12);
	assert_true(is(&p, 2, 2, RED) && is(&p, 5, 4, RED));
	assert_true(is(&p, 6, 2, BLACK) && is(&p, 2, 5, BLACK));
	/* Translucent fill blends: 128 of white over red. */
	tl_fill_polygon(&p, sq, 4, WHITE, 128);
	const uint8_t *q = p.data + (3 * 12 + 3) * 3;
	assert_int_equal(q[0], 255);
	assert_int_equal(q[1], 128);
	/* Even-odd: a square inside a square, one ring (bow-tie orders handled too). */
	tl_pixmap r = canvas(12, 12);
	tl_point ring[10] = { { 0, 0 }, { 10, 0 }, { 10, 10 }, { 0, 10 }, { 0, 0 },
			      { 3, 3 }, { 7, 3 }, { 7, 7 }, { 3, 7 }, { 3, 3 } };
	tl_fill_polygon(&r, ring, 10, RED, 255);
	assert_true(is(&r, 1, 1, RED));
	assert_true(is(&r, 5, 5, BLACK));
	assert_int_equal(count(&r, RED), 100 - 16);
	tl_pixmap_free(&r);
	/* Hatching stays inside and covers part of it. */
	tl_pixmap h = canvas(30, 30);
	tl_point tri[3] = { { 5, 5 }, { 25, 5 }, { 5, 25 } };
	tl_hatch_polygon(&h, tri, 3, WHITE, 6);
	size_t n = count(&h, WHITE);
	assert_true(n > 40 && n < 150);
	assert_true(is(&h, 28, 28, BLACK));
	for (int y = 0; y < 30; y++)
		for (int x = 0; x < 30; x++)
			if (is(&h, x, y, WHITE))
				assert_true(x >= 5 && y >= 5 && x + y <= 30);
	/* Degenerate and hostile polygons. */
	tl_point bad[3] = { { NAN, 0 }, { 1, 1 }, { 2, 0 } };
	tl_fill_polygon(&h, bad, 3, RED, 255);
	tl_point huge[3] = { { -1e308, -1e308 }, { 1e308, -1e308 }, { 0, 1e308 } };
	tl_fill_polygon(&h, huge, 3, RED, 255);
	assert_true(count(&h, RED) > 0);
	tl_fill_polygon(&h, sq, 2, RED, 255);
	tl_pixmap_free(&h);
	tl_pixmap_free(&p);
}

static void test_image_regions(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	tl_image *im = tl_dataset_add_image(ds, "a.png");
	tl_region *r = tl_image_add_region(ds, im);
	tl_point q[4] = { { 10, 10 }, { 50, 10 }, { 50, 30 }, { 10, 30 } };
	tl_region_set_points(ds, r, TL_SHAPE_QUAD, q, 4);
	r->text = "AB";
	r = tl_image_add_region(ds, im);
	r->geom.shape = TL_SHAPE_RBOX;
	r->geom.rbox = (tl_rbox){ 80, 60, 30, 10, 45 };
	r->dontcare = 1;
	r->text = "###";
	r = tl_image_add_region(ds, im);
	r->geom.shape = TL_SHAPE_RECT;
	r->geom.rect = (tl_rect){ 5, 70, 40, 90 };
	r->has_confidence = 1;
	r->confidence = 0.5;
	r = tl_image_add_region(ds, im);
	tl_point tri[3] = { { 60, 5 }, { 90, 5 }, { 75, 25 } };
	tl_region_set_points(ds, r, TL_SHAPE_POLY, tri, 3);
	r = tl_image_add_region(ds, im); /* no geometry: skipped */

	tl_pixmap p = canvas(100, 100);
	tl_error e;
	tl_draw_opts o = { 1, 1, 1, 0, 0 };
	assert_int_equal(tl_draw_image(&p, im, &o, &e), TL_OK);
	tl_rgb care = TL_RGB_CARE, dc = TL_RGB_DONTCARE;
	assert_true(is(&p, 30, 10, care));        /* quad top edge */
	assert_true(is(&p, 5, 80, care));         /* rect left edge */
	assert_true(is(&p, 75, 5, care));         /* polygon top edge */
	assert_true(count(&p, dc) > 20);          /* hatched rotated box */
	assert_true(is(&p, 30, 20, BLACK));       /* inside the quad: no fill */
	/* Label "AB" above the quad: its background box (care colour at alpha 200 over
	 * black) starts at (10, 10 - 9 - 1). */
	assert_int_equal(p.data[(0 * 100 + 10) * 3 + 2], 200);
	assert_true(is(&p, 9, 0, BLACK));

	/* Per-region colours, as eval uses them. */
	tl_pixmap c = canvas(100, 100);
	tl_rgb cols[5] = { TL_RGB_MATCHED, TL_RGB_DONTCARE, TL_RGB_MISSED, TL_RGB_FALSEPOS, TL_RGB_MATCHED };
	o.labels = 0;
	o.fill_alpha = 255;
	assert_int_equal(tl_draw_image_colored(&c, im, cols, &o, &e), TL_OK);
	assert_true(is(&c, 30, 20, TL_RGB_MATCHED)); /* filled */
	assert_true(is(&c, 20, 80, TL_RGB_MISSED));
	assert_true(is(&c, 75, 10, TL_RGB_FALSEPOS));
	tl_pixmap_free(&c);

	/* A 300,000-point zig-zag whose every edge crosses the image, hatched and
	 * outlined: thinned to a few thousand vertices, so this takes milliseconds. */
	tl_image *big = tl_dataset_add_image(ds, "big.png");
	im = &ds->images[0];
	r = tl_image_add_region(ds, big);
	size_t nz = 300000;
	tl_point *z = malloc(nz * sizeof *z);
	for (size_t i = 0; i < nz; i++)
		z[i] = (tl_point){ (double)(i % 3) * 49.5, (double)i * 100.0 / (double)nz };
	tl_region_set_points(ds, r, TL_SHAPE_POLY, z, nz);
	r->dontcare = 1;
	free(z);
	tl_pixmap bp = canvas(100, 100);
	assert_int_equal(tl_draw_image(&bp, big, NULL, &e), TL_OK);
	assert_true(count(&bp, dc) > 100);
	tl_pixmap_free(&bp);

	tl_pixmap g = { 10, 10, 1, p.data };
	assert_int_equal(tl_draw_image(&g, im, NULL, &e), TL_E_USAGE);
	tl_pixmap_free(&p);
	tl_dataset_free(ds);
}

static void test_scores(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	tl_image *im = tl_dataset_add_image(ds, "d.png");
	tl_region *r = tl_image_add_region(ds, im);
	r->geom.shape = TL_SHAPE_RECT;
	r->geom.rect = (tl_rect){ 10, 30, 40, 40 };
	r->has_confidence = 1;
	r->confidence = 0.875;
	tl_error e;
	tl_draw_opts o = { 1, 1, 1, 0, 0 };
	tl_pixmap p = canvas(60, 60);
	/* Labels on, scores off: a detection without text has no label. */
	assert_int_equal(tl_draw_image(&p, im, &o, &e), TL_OK);
	assert_true(is(&p, 10, 20, BLACK));
	tl_pixmap_free(&p);
	/* Scores on: "0.88" above the box, 1 + 4 * 6 = 25 pixels wide. */
	o.scores = 1;
	p = canvas(60, 60);
	assert_int_equal(tl_draw_image(&p, im, &o, &e), TL_OK);
	/* Its background box spans x 10..34 on row 20 (the padding row above the glyphs). */
	assert_false(is(&p, 10, 20, BLACK));
	assert_false(is(&p, 34, 20, BLACK));
	assert_true(is(&p, 35, 20, BLACK));
	tl_pixmap_free(&p);
	tl_dataset_free(ds);
}

static void test_label_placement(void **state)
{
	(void)state;
	/* Two stacked lines: the lower one's label would cover the upper line, so it
	 * goes below its own box instead. */
	tl_dataset *ds = tl_dataset_new();
	tl_image *im = tl_dataset_add_image(ds, "s.png");
	tl_region *a = tl_image_add_region(ds, im);
	a->geom.shape = TL_SHAPE_RECT;
	a->geom.rect = (tl_rect){ 10, 10, 50, 20 };
	a->text = "A";
	tl_region *b = tl_image_add_region(ds, im);
	b->geom.shape = TL_SHAPE_RECT;
	b->geom.rect = (tl_rect){ 10, 22, 50, 32 };
	b->text = "B";
	tl_draw_opts o = { 1, 1, 1, 0, 0 };
	tl_pixmap p = canvas(60, 60);
	tl_error e;
	assert_int_equal(tl_draw_image(&p, im, &o, &e), TL_OK);
	assert_false(is(&p, 10, 0, BLACK));   /* A's label above A */
	assert_true(is(&p, 12, 15, BLACK));   /* inside A: nothing */
	assert_false(is(&p, 10, 33, BLACK));  /* B's label below B */
	assert_true(is(&p, 10, 43, BLACK));   /* and only 9 rows tall */
	tl_pixmap_free(&p);
	tl_dataset_free(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_font),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_fill_and_hatch),
		cmocka_unit_test(test_image_regions),
		cmocka_unit_test(test_scores),
		cmocka_unit_test(test_label_placement),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
