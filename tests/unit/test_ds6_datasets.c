/* test_ds6_datasets.c — dataset descriptors: lookup, locating a copy laid out as a
 * re-distribution does it, the completeness report, resolving inputs, --shard. The
 * copies are built in a temporary folder, so nothing outside the checkout is needed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tl_internal.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	char *slash = strrchr(path, '/');
	*slash = 0;
	tl_error err;
	assert_int_equal(tl_mkdirs(path, &err), TL_OK);
	*slash = '/';
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "/tmp/tl_ds6_XXXXXX");
	if (!mkdtemp(root))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_lookup(void **state)
{
	(void)state;
	assert_true(tl_known_dataset_count() >= 12);
	const tl_known_dataset *k = tl_known_dataset_find("ic15");
	assert_non_null(k);
	assert_string_equal(k->name, "icdar2015");
	assert_non_null(tl_known_split_find(k, "test"));
	assert_null(tl_known_split_find(k, "nope"));
	assert_null(tl_known_dataset_find("no-such-set"));
	/* every descriptor names a format the registry knows */
	for (size_t i = 0; i < tl_known_dataset_count(); i++) {
		const tl_known_dataset *d = tl_known_dataset_at(i);
		for (size_t s = 0; s < d->nsplits; s++)
			assert_non_null(tl_format_find(d->splits[s].format));
	}
}

static void test_icdar2015_copy(void **state)
{
	(void)state;
	/* 3 train images of 1000, GT named img_N.jpg.txt for 4 of them; full-size test
	 * split missing entirely */
	for (int i = 1; i <= 3; i++) {
		char rel[64];
		snprintf(rel, sizeof rel, "train_images/img_%d.jpg", i);
		put(rel, "");
	}
	for (int i = 1; i <= 4; i++) {
		char rel[64];
		snprintf(rel, sizeof rel, "train_gt/img_%d.jpg.txt", i);
		put(rel, "1,1,5,1,5,5,1,5,A\r\n");
	}
	put("train_gt/README", "x");
	const tl_known_dataset *k = tl_known_dataset_find("icdar2015");
	tl_known_layout l;
	tl_error err;
	assert_int_equal(tl_known_locate(k, tl_known_split_find(k, "train"), root, &l, &err), TL_OK);
	assert_int_equal(l.nimages, 3);
	assert_int_equal(l.nann_names, 4);
	assert_int_equal(l.nother, 1);
	assert_false(l.official_names);
	tl_known_layout_free(&l);

	tl_diags d;
	tl_diags_init(&d);
	assert_int_equal(tl_dataset_check_layout(k, root, "train", &d, &err), TL_E_INPUT);
	int count = 0, naming = 0, pairing = 0;
	for (size_t i = 0; i < d.count; i++) {
		const tl_diag *g = &d.items[i];
		if (!strcmp(g->kind, "dataset-count") && strstr(g->msg, "3 of 1000 images")) {
			count = 1;
			assert_non_null(strstr(g->msg, "img_4.jpg"));
			assert_int_equal(g->severity, TL_ERROR);
		}
		if (!strcmp(g->kind, "dataset-naming") && strstr(g->msg, "img_N.jpg.txt") &&
		    strstr(g->msg, "gt_img_N.txt"))
			naming = 1;
		if (!strcmp(g->kind, "dataset-pairing") && strstr(g->msg, "1 annotation files"))
			pairing = 1;
	}
	assert_true(count && naming && pairing);
	tl_diags_free(&d);
	/* all splits: the missing test split is a warning, the train errors remain */
	tl_diags_init(&d);
	assert_int_equal(tl_dataset_check_layout(k, root, NULL, &d, &err), TL_E_INPUT);
	tl_diags_free(&d);
	/* resolving gives the 4 GT files and the icdar2015 reader */
	char **paths, *images;
	size_t n;
	const tl_format *fmt;
	assert_int_equal(tl_dataset_resolve(k, root, NULL, &paths, &n, &fmt, &images, &err), TL_OK);
	assert_int_equal(n, 4);
	assert_string_equal(fmt->name, "icdar2015");
	assert_non_null(strstr(images, "train_images"));
	tl_strv_free(paths, n);
	free(images);
	assert_int_equal(tl_dataset_resolve(k, root, "bogus", &paths, &n, &fmt, NULL, &err),
			 TL_E_USAGE);
}

static void test_complete_copy(void **state)
{
	(void)state;
	/* MSRA-TD500 laid out flat (images and .gt side by side) passes the pairing
	 * checks; only the counts differ from the published ones */
	put("msra/test/IMG_0059.JPG", "");
	put("msra/test/IMG_0059.gt", "0 0 1 2 3 4 0\n");
	put("msra/test/IMG_0080.JPG", "");
	char sub[128];
	snprintf(sub, sizeof sub, "%s/msra", root);
	const tl_known_dataset *k = tl_known_dataset_find("msra-td500");
	tl_diags d;
	tl_diags_init(&d);
	tl_error err;
	assert_int_equal(tl_dataset_check_layout(k, sub, "test", &d, &err), TL_E_INPUT);
	int unpaired = 0;
	for (size_t i = 0; i < d.count; i++)
		if (!strcmp(d.items[i].kind, "dataset-pairing") &&
		    strstr(d.items[i].msg, "IMG_0080.JPG"))
			unpaired = 1;
	assert_true(unpaired);
	tl_diags_free(&d);
	assert_int_equal(tl_dataset_check_layout(k, "/nonexistent/dir", NULL, &d, &err), TL_E_IO);
}

static void test_shard(void **state)
{
	(void)state;
	size_t i, n;
	assert_int_equal(tl_shard_parse("0/4", &i, &n), TL_OK);
	assert_true(i == 0 && n == 4);
	assert_int_equal(tl_shard_parse("3/4", &i, &n), TL_OK);
	assert_int_equal(tl_shard_parse("4/4", &i, &n), TL_E_USAGE);
	assert_int_equal(tl_shard_parse("1/0", &i, &n), TL_E_USAGE);
	assert_int_equal(tl_shard_parse("-1/3", &i, &n), TL_E_USAGE);
	assert_int_equal(tl_shard_parse("1/3x", &i, &n), TL_E_USAGE);
	assert_int_equal(tl_shard_parse("", &i, &n), TL_E_USAGE);
	/* shards are disjoint and cover everything */
	for (size_t k = 0; k < 50; k++) {
		int hits = 0;
		for (size_t s = 0; s < 7; s++)
			hits += tl_shard_has(k, s, 7);
		assert_int_equal(hits, 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_icdar2015_copy),
		cmocka_unit_test(test_complete_copy),
		cmocka_unit_test(test_shard),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
