/* test_formats_text.c — the shared reading utilities of lib/text.c: line splitting,
 * encodings, numbers, RRC fields and quoting, JSON helpers, file naming. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tl_internal.h"
#include "text.h"

static void collect_lines(const char *data, char out[][32], size_t *n, tl_lines *it)
{
	tl_lines_init(it, data, strlen(data));
	const char *s;
	size_t len;
	*n = 0;
	while (tl_lines_next(it, &s, &len)) {
		snprintf(out[*n], 32, "%.*s", (int)len, s);
		(*n)++;
	}
}

static void test_lines(void **state)
{
	(void)state;
	char l[8][32];
	size_t n;
	tl_lines it;
	collect_lines("\xEF\xBB\xBF" "a\r\nb\nc\rd", l, &n, &it);
	assert_int_equal(n, 4);
	assert_true(it.had_bom);
	assert_string_equal(l[0], "a");
	assert_string_equal(l[1], "b");
	assert_string_equal(l[2], "c");
	assert_string_equal(l[3], "d");
	assert_int_equal(it.crlf, 1);
	assert_int_equal(it.lf, 1);
	assert_int_equal(it.cr, 1);
	assert_int_equal(it.lineno, 4);
	/* empty lines are returned (the reader skips them) and counted */
	collect_lines("a\n\n\nb\n", l, &n, &it);
	assert_int_equal(n, 4);
	assert_string_equal(l[1], "");
	assert_string_equal(l[3], "b");
	collect_lines("", l, &n, &it);
	assert_int_equal(n, 0);
	/* "\r\r\n" is a bare CR then a CRLF: two line ends */
	collect_lines("x\r\r\ny", l, &n, &it);
	assert_int_equal(n, 3);
	assert_string_equal(l[1], "");
	assert_true(tl_is_blank(" \t ", 3));
	assert_false(tl_is_blank(" x", 2));
}

static void test_utf8(void **state)
{
	(void)state;
	const char ok[] = "CAF\xC3\x89 \xE2\x82\xAC \xF0\x9F\x98\x80 plain ascii text here";
	assert_int_equal(tl_utf8_valid_prefix(ok, strlen(ok)), strlen(ok));
	assert_int_equal(tl_utf8_valid_prefix("ab\xC3", 3), 2);          /* truncated */
	assert_int_equal(tl_utf8_valid_prefix("ab\xC0\x80", 4), 2);      /* overlong NUL */
	assert_int_equal(tl_utf8_valid_prefix("\xED\xA0\x80", 3), 0);    /* surrogate */
	assert_int_equal(tl_utf8_valid_prefix("\xF4\x90\x80\x80", 4), 0); /* > U+10FFFF */
	assert_int_equal(tl_utf8_valid_prefix("abcdefghij\xFFz", 12), 10);
	assert_int_equal(tl_utf8_valid_prefix("abcdefgh\0ij", 11), 8);   /* NUL */

	tl_buf b = TL_BUF_INIT;
	assert_int_equal(tl_latin1_to_utf8(&b, "caf\xE9", 4), TL_OK);
	assert_string_equal(b.data, "caf\xC3\xA9");
	tl_buf_free(&b);

	/* prepare: reports the position and replaces the bad byte */
	tl_diags d;
	tl_diags_init(&d);
	char *out;
	size_t outlen, skip;
	const char bad[] = "1,2\nab\xE9z\n";
	assert_int_equal(tl_text_prepare("f.txt", bad, strlen(bad), 0, &d, &out, &outlen, &skip),
			 TL_E_INPUT);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.items[0].line, 2);
	assert_int_equal(d.items[0].col, 3);
	assert_non_null(strstr(d.items[0].msg, "byte 6"));
	assert_string_equal(out, "1,2\nab\xEF\xBF\xBDz\n");
	free(out);
	tl_diags_free(&d);
	/* latin1 converts instead */
	tl_diags_init(&d);
	assert_int_equal(tl_text_prepare("f.txt", bad, strlen(bad), 1, &d, &out, &outlen, &skip),
			 TL_OK);
	assert_int_equal(d.nerrors, 0);
	assert_string_equal(out, "1,2\nab\xC3\xA9z\n");
	free(out);
	/* many bad runs: 20 reported, then one line counting the rest */
	tl_diags_free(&d);
	tl_diags_init(&d);
	char many[100];
	for (int i = 0; i < 50; i++) {
		many[2 * i] = 'a';
		many[2 * i + 1] = (char)0xFF;
	}
	assert_int_equal(tl_text_prepare("m.txt", many, 100, 0, &d, &out, &outlen, &skip),
			 TL_E_INPUT);
	assert_int_equal(d.count, 21);
	assert_non_null(strstr(d.items[20].msg, "30 more"));
	assert_int_equal(outlen, 50 + 50 * 3);
	free(out);
	/* clean input: no copy, BOM skipped */
	assert_int_equal(tl_text_prepare("f.txt", "\xEF\xBB\xBFok", 5, 0, &d, &out, &outlen, &skip),
			 TL_OK);
	assert_null(out);
	assert_int_equal(skip, 3);
	tl_diags_free(&d);
}

static void test_numbers(void **state)
{
	(void)state;
	double v = 0;
	assert_int_equal(tl_parse_num("12", 2, 0, &v), TL_NUM_OK);
	assert_true(v == 12);
	assert_int_equal(tl_parse_num(" -7 ", 4, 0, &v), TL_NUM_OK);
	assert_true(v == -7);
	assert_int_equal(tl_parse_num("007", 3, 0, &v), TL_NUM_OK);
	assert_true(v == 7);
	assert_int_equal(tl_parse_num("12.5", 4, 0, &v), TL_NUM_NOT_INT);
	assert_int_equal(tl_parse_num("12.5", 4, 1, &v), TL_NUM_OK);
	assert_true(v == 12.5);
	assert_int_equal(tl_parse_num("+3", 2, 0, &v), TL_NUM_NOT_INT); /* the RRC grammar has no '+' */
	assert_int_equal(tl_parse_num("+3", 2, 1, &v), TL_NUM_OK);
	assert_int_equal(tl_parse_num("", 0, 1, &v), TL_NUM_EMPTY);
	assert_int_equal(tl_parse_num("  ", 2, 1, &v), TL_NUM_EMPTY);
	assert_int_equal(tl_parse_num("1x", 2, 1, &v), TL_NUM_SYNTAX);
	assert_int_equal(tl_parse_num("0x10", 4, 1, &v), TL_NUM_SYNTAX);
	assert_int_equal(tl_parse_num("NaN", 3, 1, &v), TL_NUM_NONFINITE);
	assert_int_equal(tl_parse_num("-inf", 4, 1, &v), TL_NUM_NONFINITE);
	assert_int_equal(tl_parse_num("Infinity", 8, 0, &v), TL_NUM_NONFINITE);
	assert_int_equal(tl_parse_num("1e308", 5, 1, &v), TL_NUM_RANGE);
	assert_int_equal(tl_parse_num("1e999", 5, 1, &v), TL_NUM_RANGE);
	assert_int_equal(tl_parse_num("99999999999999999999", 20, 0, &v), TL_NUM_RANGE);
	assert_int_equal(tl_parse_num("9007199254740992", 16, 0, &v), TL_NUM_OK);
	assert_int_equal(tl_parse_num("9007199254740993", 16, 0, &v), TL_NUM_RANGE);
	assert_int_equal(tl_parse_num("1e-400", 6, 1, &v), TL_NUM_OK); /* underflow is 0 */
	char longnum[80];
	memset(longnum, '1', sizeof longnum);
	assert_int_equal(tl_parse_num(longnum, sizeof longnum, 1, &v), TL_NUM_TOO_LONG);
	assert_non_null(strstr(tl_num_status_str(TL_NUM_NOT_INT), "integer"));

	tl_buf b = TL_BUF_INIT;
	int rounded;
	assert_int_equal(tl_buf_int_coord(&b, 2.5, &rounded), TL_OK); /* half to even */
	assert_true(rounded);
	assert_int_equal(tl_buf_int_coord(&b, -3, &rounded), TL_OK);
	assert_false(rounded);
	assert_int_equal(tl_buf_int_coord(&b, 3.5, NULL), TL_OK);
	assert_string_equal(b.data, "2-34");
	tl_buf_free(&b);
}

static void test_fields(void **state)
{
	(void)state;
	double v[8];
	const char *rest;
	size_t restn, field;
	long col;
	const char *line = "1,2,3,4,5,6,7,8,$5,50";
	assert_int_equal(tl_rrc_numbers(line, strlen(line), 8, 0, v, &rest, &restn, &field, &col),
			 TL_NUM_OK);
	assert_true(v[7] == 8);
	assert_int_equal(restn, 5);
	assert_memory_equal(rest, "$5,50", 5);
	line = "1, 2 ,3,4,5,6,7,8";
	assert_int_equal(tl_rrc_numbers(line, strlen(line), 8, 0, v, &rest, &restn, &field, &col),
			 TL_NUM_OK);
	assert_null(rest);
	line = "1,2,3";
	assert_int_equal(tl_rrc_numbers(line, strlen(line), 8, 0, v, &rest, &restn, &field, &col),
			 TL_NUM_EMPTY);
	assert_int_equal(field, 3);
	line = "1,2,x,4,5,6,7,8,t";
	assert_int_equal(tl_rrc_numbers(line, strlen(line), 8, 0, v, &rest, &restn, &field, &col),
			 TL_NUM_SYNTAX);
	assert_int_equal(field, 2);
	assert_int_equal(col, 5);

	const char *start[4];
	size_t len[4];
	assert_int_equal(tl_split_commas("a,b,,c", 6, 4, start, len, &rest), 3);
	assert_int_equal(len[2], 0);
	assert_string_equal(rest, "c");
}

static void test_quoting(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	assert_string_equal(tl_rrc_unquote(ds, " \"EXIT\" ", 8), "EXIT");
	assert_string_equal(tl_rrc_unquote(ds, " ###", 4), " ###"); /* leading space kept */
	assert_string_equal(tl_rrc_unquote(ds, "\"a\\\"b\"", 6), "a\"b");
	assert_string_equal(tl_rrc_unquote(ds, "\"a\\\\b\"", 6), "a\\b");
	assert_string_equal(tl_rrc_unquote(ds, "\"", 1), "\"");
	assert_string_equal(tl_rrc_unquote(ds, "1,200", 5), "1,200");
	/* what tl_rrc_put_quoted writes reads back the same, for awkward texts */
	const char *texts[] = { "\"quoted\"", "a\\\"b", "\\", "\\\\\"", " \"x\" ", "\"", "" };
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		tl_buf b = TL_BUF_INIT;
		assert_int_equal(tl_rrc_put_quoted(&b, texts[i]), TL_OK);
		assert_string_equal(tl_rrc_unquote(ds, b.data, b.len), texts[i]);
		tl_buf_free(&b);
	}
	assert_true(tl_rrc_needs_quotes(" \"x\""));
	assert_false(tl_rrc_needs_quotes("x\""));
	tl_buf b = TL_BUF_INIT;
	assert_int_equal(tl_put_line_text(&b, "a\nb\tc", 0), TL_OK);
	assert_string_equal(b.data, "a b\tc"); /* a TAB stays: it does not end a line */
	tl_buf_free(&b);
	tl_dataset_free(ds);
}

static void test_json(void **state)
{
	(void)state;
	tl_dataset *ds = tl_dataset_new();
	long line, col;
	assert_null(tl_json_parse("{\n  \"a\": [1,\n  x]}", 17, &line, &col));
	assert_int_equal(line, 3);
	cJSON *j = tl_json_parse("{\"p\": [[1, 2], [3.5, 4]], \"f\": [1, 2, 3, 4, 5, 6], "
				 "\"bad\": [[1, 2], [3]], \"huge\": [1e400, 2], \"odd\": [1, 2, 3], "
				 "\"k\": {\"z\": null}, \"s\": \"x\"}",
				 200, &line, &col);
	assert_non_null(j);
	tl_point *p;
	size_t n;
	const char *why;
	assert_int_equal(tl_json_points(ds, cJSON_GetObjectItem(j, "p"), &p, &n, &why), TL_OK);
	assert_int_equal(n, 2);
	assert_true(p[1].x == 3.5);
	assert_int_equal(tl_json_points(ds, cJSON_GetObjectItem(j, "f"), &p, &n, &why), TL_OK);
	assert_int_equal(n, 3);
	assert_true(p[2].y == 6);
	assert_int_equal(tl_json_points(ds, cJSON_GetObjectItem(j, "bad"), &p, &n, &why),
			 TL_E_INPUT);
	assert_int_equal(tl_json_points(ds, cJSON_GetObjectItem(j, "huge"), &p, &n, &why),
			 TL_E_INPUT);
	assert_int_equal(tl_json_points(ds, cJSON_GetObjectItem(j, "odd"), &p, &n, &why),
			 TL_E_INPUT);
	static const char *const known[] = { "p", "f", "bad", "huge", "odd", NULL };
	int nomem;
	char *extra = tl_json_extra(ds, j, known, &nomem);
	assert_non_null(extra);
	assert_string_equal(extra, "{\"k\": {\"z\":null}, \"s\": \"x\"}");
	tl_buf b = TL_BUF_INIT;
	static const char *const skip[] = { "s", NULL };
	assert_int_equal(tl_json_put_members(&b, extra, ", ", skip), TL_OK);
	assert_string_equal(b.data, ", \"k\": {\"z\":null}");
	tl_buf_free(&b);
	cJSON *s = tl_json_extra_get(extra, "s");
	assert_string_equal(cJSON_GetStringValue(s), "x");
	cJSON_Delete(s);
	cJSON_Delete(j);
	tl_dataset_free(ds);
}

static void test_naming(void **state)
{
	(void)state;
	tl_buf b = TL_BUF_INIT;
	assert_int_equal(tl_name_from_image("dir/img_1.jpg", "gt_", ".txt", &b), TL_OK);
	assert_string_equal(b.data, "gt_img_1.txt");
	assert_int_equal(tl_image_from_name("gt_img_12.txt", (const char *[]){ "gt_", NULL }, &b),
			 TL_OK);
	assert_string_equal(b.data, "img_12.jpg");
	assert_int_equal(tl_image_from_name("x/img_7.jpg.txt", (const char *[]){ "gt_", NULL }, &b),
			 TL_OK);
	assert_string_equal(b.data, "img_7.jpg");
	assert_int_equal(tl_image_from_name("res_img_3.txt",
					    (const char *[]){ "res_", "gt_", NULL }, &b), TL_OK);
	assert_string_equal(b.data, "img_3.jpg");
	assert_int_equal(tl_image_from_name("tr_img_00001.txt", (const char *[]){ "gt_", NULL }, &b),
			 TL_OK);
	assert_string_equal(b.data, "tr_img_00001.jpg");
	assert_string_equal(tl_source_base("a/b.zip#gt_img_1.txt"), "gt_img_1.txt");
	assert_string_equal(tl_source_base("a/b/gt_img_1.txt"), "gt_img_1.txt");
	tl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),   cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_numbers), cmocka_unit_test(test_fields),
		cmocka_unit_test(test_quoting), cmocka_unit_test(test_json),
		cmocka_unit_test(test_naming),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
