/* test_core.c — the data model, arena, diagnostics, buffers, zip archives and gzip
 * files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "tl_internal.h"

static void test_dataset_basics(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	assert_non_null(ds);
	tl_image *im = tl_dataset_add_image(ds, "img_1.jpg");
	assert_non_null(im);
	for (int i = 0; i < 1000; i++) {
		tl_region *r = tl_image_add_region(ds, im);
		assert_non_null(r);
		tl_point q[4] = { { i, 0 }, { i + 10, 0 }, { i + 10, 5 }, { i, 5 } };
		assert_int_equal(tl_region_set_points(ds, r, TL_SHAPE_QUAD, q, 4), TL_OK);
		r->text = tl_dataset_strdup(ds, "word");
	}
	assert_int_equal(im->nregions, 1000);
	assert_int_equal(im->regions[999].id_index, 999);
	assert_true(im->regions[999].geom.pts[1].x == 1009.0);
	assert_string_equal(im->regions[0].text, "word");
	assert_ptr_equal(tl_dataset_find_image(ds, "img_1.jpg"), &ds->images[0]);
	assert_null(tl_dataset_find_image(ds, "img_2.jpg"));

	tl_dataset *copy = tl_dataset_new();
	tl_error err;
	assert_int_equal(tl_dataset_merge(copy, ds, &err), TL_OK);
	tl_dataset_free(ds);
	assert_int_equal(copy->images[0].nregions, 1000);
	assert_true(copy->images[0].regions[5].geom.pts[2].y == 5.0);
	assert_string_equal(copy->images[0].regions[5].text, "word");
	tl_dataset_free(copy);
}

static void test_shape_names(void **state)
{
	(void)state;
	assert_int_equal(tl_shape_from_name("quad"), TL_SHAPE_QUAD);
	assert_int_equal(tl_shape_from_name("rbox"), TL_SHAPE_RBOX);
	assert_int_equal(tl_shape_from_name("circle"), TL_SHAPE_NONE);
	assert_string_equal(tl_shape_name(TL_SHAPE_POLY), "poly");
}

static void test_arena_alignment(void **state)
{
	(void)state;
	tl_arena *a = tl_arena_new(64);
	for (size_t i = 1; i < 5000; i += 7) {
		unsigned char *p = tl_arena_alloc(a, i);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal(p[i - 1], 0);
		p[i - 1] = 1;
	}
	tl_arena_free(a);
}

static void test_diags(void **state)
{
	(void)state;
	tl_diags d;
	tl_diags_init(&d);
	d.max = 2;
	tl_diags_add(&d, TL_ERROR, "a.txt", 3, 7, "bad-number", "not a number: '%s'", "x");
	tl_diags_add(&d, TL_WARNING, "a.txt", 4, 0, "ccw-order", "counter-clockwise");
	tl_diags_add(&d, TL_ERROR, "a.txt", 5, 0, "bad-number", "dropped from the list");
	assert_int_equal(d.count, 2);
	assert_int_equal(d.nerrors, 2);
	assert_int_equal(d.nwarnings, 1);
	assert_string_equal(d.items[0].msg, "not a number: 'x'");
	assert_int_equal(d.items[0].col, 7);
	tl_diags_free(&d);
}

static void test_error_format(void **state)
{
	(void)state;
	tl_error e;
	char buf[256];
	tl_error_set(&e, TL_E_INPUT, "gt_img_1.txt", 12, 4, "expected %d numbers", 8);
	tl_error_format(&e, buf, sizeof buf);
	assert_string_equal(buf, "gt_img_1.txt:12:4: expected 8 numbers");
	tl_error_set(&e, TL_E_IO, "x.zip", 0, 0, "cannot open");
	tl_error_format(&e, buf, sizeof buf);
	assert_string_equal(buf, "x.zip: cannot open");
}

static void test_buf(void **state)
{
	(void)state;
	tl_buf b = TL_BUF_INIT;
	assert_int_equal(tl_buf_json_string(&b, "a\"b\\c\n\x01"), TL_OK);
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001\"");
	b.len = 0;
	tl_buf_num(&b, 12);
	tl_buf_puts(&b, " ");
	tl_buf_num(&b, 0.1);
	tl_buf_puts(&b, " ");
	tl_buf_num(&b, -2.5);
	tl_buf_puts(&b, " ");
	tl_buf_num(&b, 1.0 / 3.0);
	assert_string_equal(b.data, "12 0.1 -2.5 0.3333333333333333");
	b.len = 0;
	for (int i = 0; i < 1000; i++)
		tl_buf_printf(&b, "%0300d", i);
	assert_int_equal(b.len, 300000);
	tl_buf_free(&b);
}

static void test_zip_roundtrip(void **state)
{
	(void)state;
	char dir[] = "/tmp/tl_zipXXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/t.zip", dir);
	static char big[100000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 7);
	const char *names[] = { "res_img_1.txt", "res_img_2.txt", "empty.txt" };
	const char *datas[] = { "1,2,3,4,5,6,7,8\n", big, "" };
	size_t lens[] = { 16, sizeof big, 0 };
	tl_error err;
	assert_int_equal(tl_zip_write(path, names, datas, lens, 3, 0, &err), TL_OK);
	/* never overwrite without force */
	assert_int_equal(tl_zip_write(path, names, datas, lens, 3, 0, &err), TL_E_IO);
	tl_zip *z;
	assert_int_equal(tl_zip_open(path, &z, &err), TL_OK);
	assert_int_equal(tl_zip_count(z), 3);
	assert_string_equal(tl_zip_name(z, 1), "res_img_2.txt");
	char *data;
	size_t len;
	assert_int_equal(tl_zip_read(z, 1, &data, &len, &err), TL_OK);
	assert_int_equal(len, sizeof big);
	assert_memory_equal(data, big, sizeof big);
	free(data);
	assert_int_equal(tl_zip_read(z, 2, &data, &len, &err), TL_OK);
	assert_int_equal(len, 0);
	free(data);
	tl_zip_close(z);

	/* A truncated archive is refused with a message, not a crash. */
	char *whole;
	size_t wl;
	assert_int_equal(tl_read_file(path, 0, &whole, &wl, &err), TL_OK);
	for (size_t cut = 0; cut < wl; cut += 13) {
		char tpath[80];
		snprintf(tpath, sizeof tpath, "%s/cut.zip", dir);
		assert_int_equal(tl_write_file_atomic(tpath, whole, cut, 1, &err), TL_OK);
		if (tl_zip_open(tpath, &z, &err) == TL_OK) {
			for (size_t i = 0; i < tl_zip_count(z); i++)
				if (tl_zip_read(z, i, &data, &len, &err) == TL_OK)
					free(data);
			tl_zip_close(z);
		}
		unlink(tpath);
	}
	free(whole);
	unlink(path);
	rmdir(dir);
}

static void test_read_file_limits(void **state)
{
	(void)state;
	char path[] = "/tmp/tl_readXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello", 5), 5);
	close(fd);
	char *d;
	size_t n;
	tl_error err;
	assert_int_equal(tl_read_file(path, 0, &d, &n, &err), TL_OK);
	assert_int_equal(n, 5);
	assert_string_equal(d, "hello");
	free(d);
	assert_int_equal(tl_read_file(path, 4, &d, &n, &err), TL_E_LIMIT);
	unlink(path);
	assert_int_equal(tl_read_file("/nonexistent/x", 0, &d, &n, &err), TL_E_IO);
	assert_string_equal(err.file, "/nonexistent/x");
}

/* gzip of text into out (one member); returns its size. */
static size_t gz(const char *text, unsigned char *out, size_t cap)
{
	z_stream s;
	memset(&s, 0, sizeof s);
	assert_int_equal(deflateInit2(&s, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	s.next_in = (unsigned char *)text;
	s.avail_in = (unsigned)strlen(text);
	s.next_out = out;
	s.avail_out = (unsigned)cap;
	assert_int_equal(deflate(&s, Z_FINISH), Z_STREAM_END);
	size_t n = s.total_out;
	deflateEnd(&s);
	return n;
}

/* Writes n bytes to a temporary file, reads it back with tl_read_file(max). */
static int read_bytes(const unsigned char *b, size_t n, size_t max, char **d, size_t *len,
		      tl_error *err)
{
	char path[] = "/tmp/tl_gzXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, n), (ssize_t)n);
	close(fd);
	int rc = tl_read_file(path, max, d, len, err);
	unlink(path);
	return rc;
}

static void test_read_gzip(void **state)
{
	(void)state;
	unsigned char b[4096];
	char *d;
	size_t n, len;
	tl_error err;
	/* one member, then two concatenated, then zero padding after them */
	n = gz("gt_img_1\n", b, sizeof b);
	assert_int_equal(read_bytes(b, n, 0, &d, &len, &err), TL_OK);
	assert_string_equal(d, "gt_img_1\n");
	free(d);
	size_t m = n + gz("second\n", b + n, sizeof b - n);
	assert_int_equal(read_bytes(b, m, 0, &d, &len, &err), TL_OK);
	assert_string_equal(d, "gt_img_1\nsecond\n");
	assert_int_equal(len, 16);
	free(d);
	memset(b + m, 0, 32);
	assert_int_equal(read_bytes(b, m + 32, 0, &d, &len, &err), TL_OK);
	free(d);
	/* truncated at every length: an error (or, from 3 bytes, not gzip at all), never a crash */
	for (size_t cut = 18; cut < n; cut++) {
		assert_int_equal(read_bytes(b, cut, 0, &d, &len, &err), TL_E_INPUT);
		assert_non_null(strstr(err.msg, "gzip"));
	}
	/* garbage after the stream, and a corrupt body */
	memcpy(b + m, "junk", 4);
	assert_int_equal(read_bytes(b, m + 4, 0, &d, &len, &err), TL_E_INPUT);
	assert_non_null(strstr(err.msg, "after the end"));
	n = gz("x", b, sizeof b);
	b[10] ^= 0xff;
	assert_int_equal(read_bytes(b, n, 0, &d, &len, &err), TL_E_INPUT);
	/* a small file that inflates past the limit (a decompression bomb) */
	char *big = malloc(100001);
	assert_non_null(big);
	memset(big, 'a', 100000);
	big[100000] = 0;
	n = gz(big, b, sizeof b);
	free(big);
	assert_true(n < 1000);
	assert_int_equal(read_bytes(b, n, 50000, &d, &len, &err), TL_E_LIMIT);
	assert_int_equal(read_bytes(b, n, 0, &d, &len, &err), TL_OK);
	assert_int_equal(len, 100000);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dataset_basics),
		cmocka_unit_test(test_shape_names),
		cmocka_unit_test(test_arena_alignment),
		cmocka_unit_test(test_diags),
		cmocka_unit_test(test_error_format),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_zip_roundtrip),
		cmocka_unit_test(test_read_file_limits),
		cmocka_unit_test(test_read_gzip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
