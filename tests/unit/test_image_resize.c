/* test_image_resize.c — tl_resize_bilinear against values OpenCV 4.6's
 * cv2.resize(src, (dw, dh), interpolation=cv2.INTER_LINEAR) produced for a fixed
 * pattern (facts recorded once with python3-opencv; OpenCV is not needed here). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tl_internal.h"

static void pattern(tl_pixmap *p, int w, int h, int c)
{
	tl_error e;
	assert_int_equal(tl_pixmap_alloc(p, w, h, c, &e), TL_OK);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int k = 0; k < c; k++)
				p->data[((size_t)y * w + x) * c + k] =
					(uint8_t)((x * 7 + y * 13 + k * 29 + (x * y) % 17) & 255);
}

/* sum of v[i] * (i * 2654435761 + 1) modulo 2^64, then its low 32 bits. */
static uint32_t mix(const tl_pixmap *p)
{
	size_t n = (size_t)p->width * p->height * p->channels;
	uint64_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc += (uint64_t)p->data[i] * ((uint64_t)i * 2654435761u + 1u);
	return (uint32_t)acc;
}

typedef struct rcase {
	int w, h, c, dw, dh;
	uint32_t hash;
	uint8_t first[6], last[3];
} rcase;

static const rcase cases[] = {
	{ 37, 23, 3, 50, 31, 3946624779u, { 0, 29, 58, 4, 33, 62 }, { 36, 65, 94 } },        /* up */
	{ 37, 23, 3, 19, 11, 299636458u, { 11, 39, 69, 25, 54, 83 }, { 22, 51, 80 } },        /* down */
	{ 37, 23, 1, 64, 40, 737427285u, { 0, 3, 6, 11, 15, 19 }, { 24, 31, 36 } },          /* gray up */
	{ 36, 22, 3, 18, 11, 1906255422u, { 10, 39, 68, 25, 54, 83 }, { 190, 27, 56 } },      /* exact 2x: area */
	{ 1280, 720, 3, 960, 544, 673686217u, { 3, 32, 61, 13, 42, 71 }, { 127, 156, 185 } }, /* ICDAR -> DB input */
};

static void test_opencv_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < TL_ARRAY_LEN(cases); i++) {
		const rcase *k = &cases[i];
		tl_pixmap s, d;
		tl_error e;
		pattern(&s, k->w, k->h, k->c);
		assert_int_equal(tl_resize_bilinear(&s, k->dw, k->dh, &d, &e), TL_OK);
		assert_int_equal(d.width, k->dw);
		assert_int_equal(d.height, k->dh);
		assert_int_equal(d.channels, k->c);
		assert_memory_equal(d.data, k->first, 6);
		size_t n = (size_t)k->dw * k->dh * k->c;
		assert_memory_equal(d.data + n - 3, k->last, 3);
		if (mix(&d) != k->hash)
			fail_msg("case %zu (%dx%d -> %dx%d): hash %u, OpenCV gives %u", i, k->w, k->h,
				 k->dw, k->dh, (unsigned)mix(&d), (unsigned)k->hash);
		tl_pixmap_free(&s);
		tl_pixmap_free(&d);
	}
}

static void test_edges(void **state)
{
	(void)state;
	tl_error e;
	tl_pixmap s, d;
	/* Same size copies. */
	pattern(&s, 5, 4, 3);
	assert_int_equal(tl_resize_bilinear(&s, 5, 4, &d, &e), TL_OK);
	assert_memory_equal(s.data, d.data, 60);
	tl_pixmap_free(&d);
	/* A constant image stays constant at any scale (weights sum to 2048). */
	memset(s.data, 201, 60);
	int sizes[][2] = { { 1, 1 }, { 13, 2 }, { 2, 17 }, { 40, 33 }, { 3, 3 } };
	for (size_t i = 0; i < TL_ARRAY_LEN(sizes); i++) {
		assert_int_equal(tl_resize_bilinear(&s, sizes[i][0], sizes[i][1], &d, &e), TL_OK);
		for (int j = 0; j < sizes[i][0] * sizes[i][1] * 3; j++)
			assert_int_equal(d.data[j], 201);
		tl_pixmap_free(&d);
	}
	tl_pixmap_free(&s);
	/* One pixel wide and tall sources. */
	pattern(&s, 1, 1, 1);
	assert_int_equal(tl_resize_bilinear(&s, 4, 3, &d, &e), TL_OK);
	assert_int_equal(d.data[11], s.data[0]);
	tl_pixmap_free(&d);
	tl_pixmap_free(&s);
	/* Upscaling 2 -> 4 of (0, 200): OpenCV gives 0, 50, 150, 200. */
	assert_int_equal(tl_pixmap_alloc(&s, 2, 1, 1, &e), TL_OK);
	s.data[1] = 200;
	assert_int_equal(tl_resize_bilinear(&s, 4, 1, &d, &e), TL_OK);
	assert_memory_equal(d.data, "\x00\x32\x96\xc8", 4);
	tl_pixmap_free(&d);
	/* Bad arguments. */
	assert_int_equal(tl_resize_bilinear(&s, 0, 5, &d, &e), TL_E_USAGE);
	assert_null(d.data);
	assert_int_equal(tl_resize_bilinear(&s, 1 << 20, 1 << 20, &d, &e), TL_E_USAGE);
	tl_pixmap_free(&s);
	tl_pixmap empty = { 0, 0, 0, NULL };
	assert_int_equal(tl_resize_bilinear(&empty, 5, 5, &d, &e), TL_E_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opencv_values),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
