/* test_formats_rt.c — each format of issue 2 reads a hand-written sample, writes it
 * back (checked byte for byte where the output is fixed), and the result reads back
 * to the same data model (compared through the lossless textloc dump); probing,
 * diagnostics with positions, loss accounting, and directory/zip input and output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tl_internal.h"
#include "text.h"

/* The lossless dump of a dataset, malloc'd. */
static char *dump(const tl_dataset *ds)
{
	tl_buf b = TL_BUF_INIT;
	const tl_format *t = tl_format_find("textloc");
	assert_non_null(t);
	tl_diags d;
	tl_diags_init(&d);
	assert_int_equal(t->write(ds, NULL, &b, NULL, &d), TL_OK);
	tl_diags_free(&d);
	return b.data;
}

static tl_dataset *read_ok(const tl_format *f, const char *path, const char *data,
			   const tl_read_opts *o)
{
	tl_dataset *ds = tl_dataset_new();
	tl_diags d;
	tl_diags_init(&d);
	int rc = tl_format_read(ds, f, path, data, strlen(data), o, &d);
	for (size_t i = 0; i < d.count; i++)
		fprintf(stderr, "  diag %ld:%ld %s\n", d.items[i].line, d.items[i].col,
			d.items[i].msg);
	assert_int_equal(rc, TL_OK);
	assert_int_equal(d.nerrors, 0);
	tl_diags_free(&d);
	return ds;
}

/* Reads input as fmt, writes it (checking the bytes when want is given), reads that
 * back and checks both readings are the same model. Returns the first dataset. */
static tl_dataset *roundtrip(const char *fmt, const char *path, const char *input,
			     const char *want)
{
	const tl_format *f = tl_format_find(fmt);
	assert_non_null(f);
	/* the probe must recognise the sample without --from */
	char *copy = strdup(input);
	const char *body = copy;
	if (!strncmp(body, "\xEF\xBB\xBF", 3))
		body += 3;
	const tl_format *p = tl_format_probe(tl_basename(path), body, strlen(body));
	assert_non_null(p);
	assert_string_equal(p->name, f->name);
	free(copy);

	tl_dataset *ds = read_ok(f, path, input, NULL);
	tl_buf out = TL_BUF_INIT;
	tl_diags d;
	tl_diags_init(&d);
	assert_int_equal(f->write(ds, (f->flags & TL_FMT_PER_IMAGE) ? &ds->images[0] : NULL, &out,
				  NULL, &d),
			 TL_OK);
	assert_int_equal(d.nerrors, 0);
	tl_diags_free(&d);
	if (want)
		assert_string_equal(out.data ? out.data : "", want);
	tl_dataset *ds2 = read_ok(f, path, out.data ? out.data : "", NULL);
	char *a = dump(ds), *b = dump(ds2);
	assert_string_equal(a, b);
	free(a);
	free(b);
	tl_buf_free(&out);
	tl_dataset_free(ds2);
	return ds;
}

static void test_icdar2015(void **state)
{
	(void)state;
	const char *in = "\xEF\xBB\xBF" "512,233,590,236,589,258,511,255,EXIT\r\n"
			 "600,240,655,241,655,262,600,261,###\r\n"
			 "\r\n"
			 "131,40,260,44,258,70,129,66,$3,99\r\n"
			 "1, 2 ,3,4,5,6,7,8,\"\\\"Q\\\"\"\r\n"
			 "10,20,30,20,30,40,10,40,CAF\xC3\x89\r\n"
			 "10,20,30,20,30,40,10,40, ###";
	const char *want = "512,233,590,236,589,258,511,255,EXIT\r\n"
			   "600,240,655,241,655,262,600,261,###\r\n"
			   "131,40,260,44,258,70,129,66,$3,99\r\n"
			   "1,2,3,4,5,6,7,8,\"\\\"Q\\\"\"\r\n"
			   "10,20,30,20,30,40,10,40,CAF\xC3\x89\r\n"
			   "10,20,30,20,30,40,10,40, ###\r\n";
	tl_dataset *ds = roundtrip("icdar2015", "dir/gt_img_42.txt", in, want);
	assert_int_equal(ds->nimages, 1);
	assert_string_equal(ds->images[0].name, "img_42.jpg");
	const tl_image *im = &ds->images[0];
	assert_int_equal(im->nregions, 6);
	assert_int_equal(im->regions[1].dontcare, 1);
	assert_string_equal(im->regions[2].text, "$3,99");
	assert_int_equal(im->regions[2].line, 4);
	assert_string_equal(im->regions[3].text, "\"Q\"");
	assert_int_equal(im->regions[5].dontcare, 0); /* " ###" is not don't care (§3.6) */
	assert_int_equal(im->regions[0].geom.shape, TL_SHAPE_QUAD);
	assert_true(im->regions[0].geom.pts[2].x == 589);
	tl_dataset_free(ds);
}

static void test_icdar2013(void **state)
{
	(void)state;
	const char *test = "56, 97, 301, 160, \"OPENING\"\n318, 99, 402, 158, \"1,200\"\n";
	tl_dataset *ds = roundtrip("icdar2013", "gt_img_42.txt", test,
				   "56, 97, 301, 160, \"OPENING\"\r\n318, 99, 402, 158, \"1,200\"\r\n");
	assert_int_equal(ds->images[0].regions[1].geom.shape, TL_SHAPE_RECT);
	assert_true(ds->images[0].regions[1].geom.rect.r == 402);
	assert_string_equal(ds->images[0].regions[1].text, "1,200");
	tl_dataset_free(ds);
	/* the training set's space-separated style */
	ds = roundtrip("icdar2013", "gt_117.txt", "212 340 388 391 \"Harbour\"\n",
		       "212, 340, 388, 391, \"Harbour\"\r\n");
	assert_string_equal(ds->images[0].name, "117.jpg");
	assert_string_equal(ds->images[0].regions[0].text, "Harbour");
	tl_dataset_free(ds);
	/* inclusive reading adds one to xmax/ymax and writing takes it off again */
	const tl_format *f = tl_format_find("icdar2013");
	tl_read_opts ro = { .rect_inclusive = 1 };
	ds = read_ok(f, "gt_1.txt", "0, 0, 9, 4, \"x\"", &ro);
	assert_true(ds->images[0].regions[0].geom.rect.r == 10);
	tl_write_opts wo = { .rect_inclusive = 1 };
	tl_buf b = TL_BUF_INIT;
	tl_diags d;
	tl_diags_init(&d);
	assert_int_equal(f->write(ds, &ds->images[0], &b, &wo, &d), TL_OK);
	assert_string_equal(b.data, "0, 0, 9, 4, \"x\"\r\n");
	tl_buf_free(&b);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void test_rrc(void **state)
{
	(void)state;
	tl_dataset *ds = roundtrip("rrc", "res_img_7.txt",
				   "511,232,591,235,590,259,510,256\n"
				   "511,232,591,235,590,259,510,256,0.912\n"
				   "511,232,591,235,590,259,510,256,1,\"EXIT\"\n"
				   "511,232,591,235,590,259,510,256,A,B\n",
				   "511,232,591,235,590,259,510,256\n"
				   "511,232,591,235,590,259,510,256,0.912\n"
				   "511,232,591,235,590,259,510,256,1,EXIT\n"
				   "511,232,591,235,590,259,510,256,A,B\n");
	const tl_image *im = &ds->images[0];
	assert_string_equal(im->name, "img_7.jpg");
	assert_false(im->regions[0].has_confidence);
	assert_true(im->regions[1].has_confidence);
	assert_true(im->regions[1].confidence == 0.912);
	assert_string_equal(im->regions[2].text, "EXIT");
	assert_false(im->regions[3].has_confidence);
	assert_string_equal(im->regions[3].text, "A,B");
	tl_dataset_free(ds);
	/* a text that looks like a number is quoted so it does not turn into a confidence */
	const tl_format *f = tl_format_find("rrc");
	ds = read_ok(f, "res_img_1.txt", "1,2,3,4,5,6,7,8,0.5,\"0.25\"\n", NULL);
	tl_buf b = TL_BUF_INIT;
	tl_diags d;
	tl_diags_init(&d);
	assert_int_equal(f->write(ds, &ds->images[0], &b, NULL, &d), TL_OK);
	assert_string_equal(b.data, "1,2,3,4,5,6,7,8,0.5,\"0.25\"\n");
	tl_buf_free(&b);
	tl_dataset_free(ds);
	/* LTRB */
	ds = roundtrip("rrc-ltrb", "res_img_3.txt", "-5,10,30,40,0.5\n0,0,10,10\n",
		       "-5,10,30,40,0.5\n0,0,10,10\n");
	assert_int_equal(ds->images[0].regions[0].geom.shape, TL_SHAPE_RECT);
	assert_true(ds->images[0].regions[0].geom.rect.l == -5);
	tl_dataset_free(ds);
	/* negative xmax and swapped corners are errors */
	ds = tl_dataset_new();
	const char *lt = "0,0,-3,4\n9,0,3,4\n";
	tl_diags_free(&d);
	tl_diags_init(&d);
	assert_int_equal(tl_format_read(ds, tl_format_find("rrc-ltrb"), "res_img_1.txt", lt,
					strlen(lt), NULL, &d),
			 TL_E_INPUT);
	assert_int_equal(d.nerrors, 2);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void test_mlt(void **state)
{
	(void)state;
	const char *in = "88,410,231,402,233,447,90,455,Latin,Bahnhof\n"
			 "300,120,362,118,363,150,301,152,Korean,###\n"
			 "12,30,95,30,95,61,12,61,Symbols,+49,1\n"
			 "1021,55,1180,61,1178,101,1019,95,Hindi,\xE0\xA4\xA8\n";
	tl_dataset *ds = roundtrip("mlt", "tr_img_00001.txt", in,
				   "88,410,231,402,233,447,90,455,Latin,Bahnhof\r\n"
				   "300,120,362,118,363,150,301,152,Korean,###\r\n"
				   "12,30,95,30,95,61,12,61,Symbols,+49,1\r\n"
				   "1021,55,1180,61,1178,101,1019,95,Hindi,\xE0\xA4\xA8\r\n");
	assert_string_equal(ds->images[0].name, "tr_img_00001.jpg");
	assert_string_equal(ds->images[0].regions[1].lang, "Korean");
	assert_true(ds->images[0].regions[1].dontcare);
	assert_string_equal(ds->images[0].regions[2].text, "+49,1");
	tl_dataset_free(ds);
	/* an unknown script warns, a missing one is an error */
	tl_diags d;
	tl_diags_init(&d);
	ds = tl_dataset_new();
	const char *bad = "1,2,3,4,5,6,7,8,Klingon,x\n1,2,3,4,5,6,7,8,x\n";
	assert_int_equal(tl_format_read(ds, tl_format_find("mlt"), "gt_img_1.txt", bad,
					strlen(bad), NULL, &d),
			 TL_E_INPUT);
	assert_int_equal(d.nwarnings, 1);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.items[1].line, 2);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static const char ufo_sample[] =
	"{\"images\": {\n"
	" \"receipt_0001.jpg\": {\"img_w\": 1080, \"img_h\": 1920,\n"
	"  \"words\": {\n"
	"   \"0001\": {\"transcription\": \"TOTAL\", \"points\": [[102.0, 410.5], [188.0, 410.5], "
	"[188.0, 437.0], [102.0, 437.0]], \"orientation\": \"Horizontal\", \"language\": [\"en\"], "
	"\"tags\": [], \"confidence\": null, \"illegibility\": false},\n"
	"   \"0002\": {\"transcription\": null, \"points\": [[300, 900], [340, 880], [385, 884], "
	"[420, 905], [418, 930], [302, 931]], \"orientation\": \"Irregular\", \"language\": null, "
	"\"tags\": [\"occlusion\"], \"illegibility\": true, \"confidence\": 0.5},\n"
	"   \"7\": {\"transcription\": \"\\u00e9t\\u00e9\", \"points\": [[1, 1], [9, 1], [9, 5], [1, 5]], "
	"\"language\": [\"ko\", \"en\"], \"illegibility\": false, \"new_field\": {\"a\": [1, 2]}}},\n"
	"  \"paragraphs\": {}, \"chars\": {}, \"tags\": [], \"relations\": {}, \"num_patches\": null,\n"
	"  \"annotation_log\": {\"worker\": \"w07\", \"timestamp\": null, \"tool_version\": \"\", "
	"\"source\": null},\n"
	"  \"license_tag\": {\"usability\": true, \"public\": false, \"commercial\": true, "
	"\"type\": null, \"holder\": \"Upstage\"}},\n"
	" \"empty.jpg\": {\"words\": {}}\n"
	"}, \"version\": \"0.1\"}\n";

static void test_ufo(void **state)
{
	(void)state;
	tl_dataset *ds = roundtrip("ufo", "train.json", ufo_sample, NULL);
	assert_int_equal(ds->nimages, 2);
	const tl_image *im = &ds->images[0];
	assert_int_equal(im->width, 1080);
	assert_int_equal(im->height, 1920);
	assert_int_equal(im->nregions, 3);
	assert_int_equal(im->regions[0].geom.shape, TL_SHAPE_QUAD);
	assert_true(im->regions[0].geom.pts[0].y == 410.5);
	assert_int_equal(im->regions[0].line, 4); /* the line of its key */
	assert_int_equal(im->regions[2].line, 6);
	assert_int_equal(im->regions[1].geom.shape, TL_SHAPE_POLY);
	assert_int_equal(im->regions[1].geom.n, 6);
	assert_true(im->regions[1].dontcare);
	assert_string_equal(im->regions[1].text, "");
	assert_true(im->regions[1].has_confidence);
	assert_string_equal(im->regions[2].lang, "ko,en");
	assert_string_equal(im->regions[2].text, "\xC3\xA9t\xC3\xA9");
	assert_non_null(strstr(im->regions[2].extra, "new_field"));
	assert_non_null(strstr(im->extra, "license_tag"));
	assert_non_null(strstr(ds->extra, "version"));

	/* Every field survives the writer: compare the parsed JSON trees. */
	tl_buf out = TL_BUF_INIT;
	tl_diags d;
	tl_diags_init(&d);
	assert_int_equal(tl_format_find("ufo")->write(ds, NULL, &out, NULL, &d), TL_OK);
	cJSON *a = cJSON_Parse(ufo_sample), *b = cJSON_Parse(out.data);
	assert_non_null(b);
	assert_true(cJSON_Compare(a, b, 1));
	cJSON_Delete(a);
	cJSON_Delete(b);
	tl_buf_free(&out);
	tl_diags_free(&d);
	tl_dataset_free(ds);

	/* broken JSON: an error with its line */
	tl_diags_init(&d);
	ds = tl_dataset_new();
	const char *bad = "{\"images\": {\n \"a.jpg\": {\"words\": {\n  \"1\": {\"points\": [[1, 2],]}}}}";
	assert_int_equal(tl_format_read(ds, tl_format_find("ufo"), "u.json", bad, strlen(bad), NULL,
					&d),
			 TL_E_INPUT);
	assert_int_equal(d.items[0].line, 3);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void test_paddleocr(void **state)
{
	(void)state;
	const char *in =
		"train_imgs/img_7.jpg\t[{\"transcription\": \"HOTEL\", \"points\": [[120, 44], [300, 48], "
		"[299, 96], [119, 92]]}, {\"transcription\": \"###\", \"points\": [[10, 500], [60, 500], "
		"[60, 520], [10, 520]]}]\n"
		"train_imgs/img_8.jpg\t[{\"transcription\": \"Route 9\", \"points\": [[5, 5], [90, 5], "
		"[90, 30], [5, 30]], \"difficult\": false}, {\"transcription\": \"*\", \"points\": "
		"[[1, 1], [2, 1], [3, 2], [2, 3], [1, 2]]}]\n"
		"train_imgs/img_9.jpg\t[]";
	const char *want =
		"train_imgs/img_7.jpg\t[{\"transcription\": \"HOTEL\", \"points\": [[120, 44], [300, 48], "
		"[299, 96], [119, 92]]}, {\"transcription\": \"###\", \"points\": [[10, 500], [60, 500], "
		"[60, 520], [10, 520]]}]\n"
		"train_imgs/img_8.jpg\t[{\"transcription\": \"Route 9\", \"points\": [[5, 5], [90, 5], "
		"[90, 30], [5, 30]], \"difficult\": false}, {\"transcription\": \"*\", \"points\": "
		"[[1, 1], [2, 1], [3, 2], [2, 3], [1, 2]]}]\n"
		"train_imgs/img_9.jpg\t[]\n";
	tl_dataset *ds = roundtrip("paddleocr", "Label.txt", in, want);
	assert_int_equal(ds->nimages, 3);
	assert_string_equal(ds->images[1].name, "train_imgs/img_8.jpg");
	assert_true(ds->images[0].regions[1].dontcare);
	assert_true(ds->images[1].regions[1].dontcare);
	assert_int_equal(ds->images[1].regions[1].geom.n, 5);
	assert_int_equal(ds->images[2].nregions, 0);
	tl_dataset_free(ds);
}

/* Diagnostics name line and column; what can be read is kept. */
static void test_diagnostics(void **state)
{
	(void)state;
	const tl_format *f = tl_format_find("icdar2015");
	const char *in = "1,2,3\n"
			 "1,2,3,4,5,6,7,NaN,x\n"
			 "1,2,3.5,4,5,6,7,8,x\n"
			 "   \n"
			 "1,2,3,4,5,6,7,8\n"
			 "1,2,3,4,5,6,7,1e308,x\n"
			 "1,2,3,4,5,6,7,8,ok\n";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = tl_dataset_new();
	assert_int_equal(tl_format_read(ds, f, "gt_img_1.txt", in, strlen(in), NULL, &d),
			 TL_E_INPUT);
	assert_int_equal(d.nerrors, 6);
	assert_int_equal(d.items[0].line, 1);
	assert_string_equal(d.items[0].kind, "field-count");
	assert_int_equal(d.items[1].line, 2);
	assert_int_equal(d.items[1].col, 15);
	assert_non_null(strstr(d.items[1].msg, "NaN"));
	assert_non_null(strstr(d.items[2].msg, "not an integer"));
	assert_string_equal(d.items[3].kind, "blank-line");
	assert_non_null(strstr(d.items[4].msg, "missing transcription"));
	assert_non_null(strstr(d.items[5].msg, "not an integer")); /* 1e308, strict */
	assert_int_equal(ds->images[0].nregions, 1);
	assert_int_equal(ds->images[0].regions[0].line, 7);
	tl_diags_free(&d);
	tl_dataset_free(ds);
	/* lenient: reals, blank lines and a missing transcription pass */
	tl_read_opts ro = { .lenient = 1 };
	tl_diags_init(&d);
	ds = tl_dataset_new();
	assert_int_equal(tl_format_read(ds, f, "gt_img_1.txt", in, strlen(in), &ro, &d), TL_E_INPUT);
	assert_int_equal(d.nerrors, 3); /* too few fields, NaN, 1e308 */
	assert_non_null(strstr(d.items[2].msg, "out of range"));
	assert_int_equal(ds->images[0].nregions, 3);
	assert_true(ds->images[0].regions[0].geom.pts[1].x == 3.5);
	tl_diags_free(&d);
	tl_dataset_free(ds);
	/* invalid UTF-8: an error with the byte position, the rest still read */
	tl_diags_init(&d);
	ds = tl_dataset_new();
	const char *bad = "1,2,3,4,5,6,7,8,ok\n1,2,3,4,5,6,7,8,caf\xE9\n";
	assert_int_equal(tl_format_read(ds, f, "gt_img_1.txt", bad, strlen(bad), NULL, &d),
			 TL_E_INPUT);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.items[0].line, 2);
	assert_int_equal(d.items[0].col, 20);
	assert_int_equal(ds->images[0].nregions, 2);
	tl_diags_free(&d);
	tl_dataset_free(ds);
	ro.lenient = 0;
	ro.latin1 = 1;
	ds = read_ok(f, "gt_img_1.txt", bad, &ro);
	assert_string_equal(ds->images[0].regions[1].text, "caf\xC3\xA9");
	tl_dataset_free(ds);
	/* paddle: a line without TAB, broken JSON at its column */
	tl_diags_init(&d);
	ds = tl_dataset_new();
	const char *pb = "a.jpg [..]\nb.jpg\t[{\"transcription\": 1}]\nc.jpg\t[{,]\n";
	assert_int_equal(tl_format_read(ds, tl_format_find("paddleocr"), "L.txt", pb, strlen(pb),
					NULL, &d),
			 TL_E_INPUT);
	assert_int_equal(d.nerrors, 3);
	assert_int_equal(d.items[2].line, 3);
	assert_true(d.items[2].col >= 8);
	tl_diags_free(&d);
	tl_dataset_free(ds);
	/* nothing fits: the probe says so */
	tl_diags_init(&d);
	ds = tl_dataset_new();
	assert_int_equal(tl_format_read(ds, NULL, "x.bin", "\x01\x02junk", 6, NULL, &d), TL_E_INPUT);
	assert_string_equal(d.items[d.count - 1].kind, "format");
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static int count_lossy(const tl_diags *d, const char *needle)
{
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].kind && !strcmp(d->items[i].kind, "lossy") &&
		    strstr(d->items[i].msg, needle))
			return atoi(d->items[i].msg);
	return 0;
}

static void test_prepare(void **state)
{
	(void)state;
	tl_dataset *ds = read_ok(tl_format_find("ufo"), "t.json", ufo_sample, NULL);
	tl_diags d;
	tl_diags_init(&d);
	tl_error err;
	/* UFO -> ICDAR 2015: the 6-point polygon becomes a rectangle, languages and
	 * orientations go, the DC word's (empty) text becomes ###, the fields only UFO has
	 * are dropped, the confidence is dropped, 410.5 is rounded */
	assert_int_equal(tl_format_prepare(ds, tl_format_find("icdar2015"), NULL, &d, &err), TL_OK);
	assert_int_equal(count_lossy(&d, "minimum-area"), 1);
	assert_int_equal(count_lossy(&d, "language"), 2);
	assert_int_equal(count_lossy(&d, "orientation label"), 2);
	assert_int_equal(count_lossy(&d, "replaced by ###"), 1);
	assert_int_equal(count_lossy(&d, "confidence dropped"), 1);
	/* 410.5, and the corners of the polygon's minimum-area rectangle */
	assert_int_equal(count_lossy(&d, "rounded"), 2);
	/* tags and a null confidence, tags, new_field */
	assert_int_equal(count_lossy(&d, "regions lost fields"), 3);
	assert_int_equal(count_lossy(&d, "image lost fields"), 1);
	assert_int_equal(ds->images[0].regions[1].geom.shape, TL_SHAPE_QUAD);
	assert_int_equal(ds->images[0].regions[1].geom.n, 4);
	tl_diags_free(&d);
	/* then to ICDAR 2013: every quad goes to its bounding rectangle */
	tl_diags_init(&d);
	assert_int_equal(tl_format_prepare(ds, tl_format_find("icdar2013"), NULL, &d, &err), TL_OK);
	assert_int_equal(count_lossy(&d, "bounding rectangle"), 1); /* the min-area rect was tilted */
	assert_int_equal(ds->images[0].regions[0].geom.shape, TL_SHAPE_RECT);
	tl_diags_free(&d);
	/* a shape the writer cannot hold is a usage error */
	tl_write_opts wo = { .shape = TL_SHAPE_POLY };
	tl_diags_init(&d);
	assert_int_equal(tl_format_prepare(ds, tl_format_find("icdar2015"), &wo, &d, &err),
			 TL_E_USAGE);
	tl_diags_free(&d);
	tl_dataset_free(ds);
}

static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

static void test_inputs_outputs(void **state)
{
	(void)state;
	char dir[] = "/tmp/tl_fmt_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char p[512], q[512];
	snprintf(p, sizeof p, "%s/in", dir);
	tl_error err;
	assert_int_equal(tl_mkdirs(p, &err), TL_OK);
	snprintf(q, sizeof q, "%s/in/gt_img_10.txt", dir);
	write_file(q, "1,2,3,2,3,4,1,4,ten\n");
	snprintf(q, sizeof q, "%s/in/gt_img_2.txt", dir);
	write_file(q, "1,2,3,2,3,4,1,4,two\n");
	snprintf(q, sizeof q, "%s/in/gt_img_3.txt", dir); /* empty: an image without text */
	write_file(q, "");
	snprintf(q, sizeof q, "%s/in/img_2.jpg", dir); /* not an annotation */
	write_file(q, "\xFF\xD8");
	snprintf(q, sizeof q, "%s/list.txt", dir);
	write_file(q, "in/gt_img_2.txt\nin/gt_img_10.txt\n");

	tl_dataset *ds = tl_dataset_new();
	tl_diags d;
	tl_diags_init(&d);
	const char *in[] = { p };
	assert_int_equal(tl_read_inputs(ds, in, 1, NULL, NULL, &d, &err), TL_OK);
	assert_int_equal(ds->nimages, 3);
	assert_string_equal(ds->images[0].name, "img_2.jpg"); /* natural order */
	assert_string_equal(ds->images[2].name, "img_10.jpg");
	assert_string_equal(ds->format, "icdar2015");

	/* per-image output to a directory, then refused without force */
	snprintf(q, sizeof q, "%s/out", dir);
	const tl_format *f = tl_format_find("rrc");
	assert_int_equal(tl_write_output(ds, f, q, NULL, 0, &d, &err), TL_OK);
	snprintf(p, sizeof p, "%s/out/res_img_10.txt", dir);
	assert_true(tl_is_file(p));
	snprintf(p, sizeof p, "%s/out/res_img_3.txt", dir);
	assert_true(tl_is_file(p));
	assert_int_equal(tl_write_output(ds, f, q, NULL, 0, &d, &err), TL_E_IO);
	assert_int_equal(tl_write_output(ds, f, q, NULL, 1, &d, &err), TL_OK);
	/* several images cannot go to stdout in a per-image format */
	assert_int_equal(tl_write_output(ds, f, NULL, NULL, 0, &d, &err), TL_E_USAGE);
	/* a zip of per-image files reads back the same */
	snprintf(q, sizeof q, "%s/out.zip", dir);
	assert_int_equal(tl_write_output(ds, tl_format_find("icdar2015"), q, NULL, 0, &d, &err),
			 TL_OK);
	tl_dataset *dz = tl_dataset_new();
	const char *zin[] = { q };
	assert_int_equal(tl_read_inputs(dz, zin, 1, NULL, NULL, &d, &err), TL_OK);
	char *a = dump(ds), *b = dump(dz);
	assert_string_equal(a, b);
	free(a);
	free(b);
	tl_dataset_free(dz);

	/* a list file */
	snprintf(q, sizeof q, "%s/list.txt", dir);
	tl_dataset *dl = tl_dataset_new();
	const char *lin[] = { q };
	assert_int_equal(tl_read_inputs(dl, lin, 1, NULL, NULL, &d, &err), TL_OK);
	assert_int_equal(dl->nimages, 2);
	assert_string_equal(dl->images[1].regions[0].text, "ten");
	tl_dataset_free(dl);
	/* a missing input is an I/O error */
	snprintf(q, sizeof q, "%s/nope.txt", dir);
	dl = tl_dataset_new();
	const char *miss[] = { q };
	assert_int_equal(tl_read_inputs(dl, miss, 1, NULL, NULL, &d, &err), TL_E_IO);
	tl_dataset_free(dl);
	tl_diags_free(&d);
	tl_dataset_free(ds);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icdar2015),   cmocka_unit_test(test_icdar2013),
		cmocka_unit_test(test_rrc),         cmocka_unit_test(test_mlt),
		cmocka_unit_test(test_ufo),         cmocka_unit_test(test_paddleocr),
		cmocka_unit_test(test_diagnostics), cmocka_unit_test(test_prepare),
		cmocka_unit_test(test_inputs_outputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
