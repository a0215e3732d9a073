/* test_image_golden.c — decoding plus resizing reproduces, bit for bit, the network
 * inputs of the reference pipeline (OpenCV imread + resize, then PaddleOCR's
 * normalisation) stored in ../shared/golden/detect/tensors. Skipped when the shared
 * data is absent. */
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

#define GOLDEN "../shared/golden/detect"

/* A float32 .npy of shape (1, 3, H, W): the data pointer and H, W. */
static const float *npy_f32(const char *data, size_t len, int *h, int *w)
{
	if (len < 10 || memcmp(data, "\x93NUMPY", 6) != 0)
		return NULL;
	size_t hl = (uint8_t)data[8] | (size_t)(uint8_t)data[9] << 8;
	if (10 + hl > len || !strstr(data + 10, "'<f4'"))
		return NULL;
	const char *shape = strstr(data + 10, "'shape': (");
	if (!shape || sscanf(shape, "'shape': (1, 3, %d, %d)", h, w) != 2)
		return NULL;
	if ((len - 10 - hl) / 4 < (size_t)3 * *h * *w)
		return NULL;
	return (const float *)(const void *)(data + 10 + hl);
}

static void check(const char *image, const char *tensor)
{
	char *raw;
	size_t len;
	tl_error e;
	if (tl_read_file(tensor, 0, &raw, &len, &e) != TL_OK) {
		printf("skipped: %s absent\n", tensor);
		return;
	}
	int H = 0, W = 0;
	const float *ref = npy_f32(raw, len, &H, &W);
	assert_non_null(ref);
	tl_pixmap src, rgb, dst;
	assert_int_equal(tl_image_decode(image, NULL, &src, NULL, &e), TL_OK);
	assert_int_equal(tl_pixmap_to_rgb(&src, &rgb, &e), TL_OK);
	assert_int_equal(tl_resize_bilinear(&rgb, W, H, &dst, &e), TL_OK);
	/* BGR planes normalised with the RGB ImageNet constants, as PaddleOCR does. */
	static const float mean[3] = { 0.485f, 0.456f, 0.406f }, sd[3] = { 0.229f, 0.224f, 0.225f };
	size_t diff = 0;
	for (int c = 0; c < 3; c++)
		for (int i = 0; i < H * W; i++) {
			float v = (float)dst.data[(size_t)i * 3 + (2 - c)];
			float x = (v * (1.0f / 255.0f) - mean[c]) / sd[c];
			diff += x != ref[(size_t)c * H * W + i];
		}
	if (diff)
		fail_msg("%s: %zu of %d input values differ from the reference", image, diff, 3 * H * W);
	tl_pixmap_free(&src);
	tl_pixmap_free(&rgb);
	tl_pixmap_free(&dst);
	free(raw);
}

static void test_golden_inputs(void **state)
{
	(void)state;
	check(GOLDEN "/images/doc1.png", GOLDEN "/tensors/input_doc1.npy");
	check("../shared/data/icdar2015/train_images/img_3.jpg",
	      GOLDEN "/tensors/input_ic15train_img_3.npy");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
