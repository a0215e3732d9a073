/* test_ds6_formats.c — the dataset formats of formats/ beyond the ICDAR family:
 * what each reader makes of a sample written from docs/formats.md, that a same-format
 * round trip gives the same bytes (or the same regions where the writer normalises
 * spacing), and that broken input is reported rather than crashing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <math.h>
#include "tl_internal.h"

static tl_dataset *read_as(const char *fmt, const char *path, const char *text, int want_rc,
			   tl_diags *d)
{
	const tl_format *f = tl_format_find(fmt);
	assert_non_null(f);
	tl_dataset *ds = tl_dataset_new();
	assert_non_null(ds);
	int rc = tl_format_read(ds, f, path, text, strlen(text), NULL, d);
	assert_int_equal(rc, want_rc);
	return ds;
}

/* Writes ds with fmt (one image or the whole set) into a malloc'd string. */
static char *write_as(const char *fmt, tl_dataset *ds, size_t image)
{
	const tl_format *f = tl_format_find(fmt);
	tl_diags d;
	tl_diags_init(&d);
	tl_buf b = TL_BUF_INIT;
	tl_error err;
	assert_int_equal(tl_format_prepare(ds, f, NULL, &d, &err), TL_OK);
	int rc = f->write(ds, (f->flags & TL_FMT_PER_IMAGE) ? &ds->images[image] : NULL, &b, NULL,
			  &d);
	assert_int_equal(rc, TL_OK);
	tl_diags_free(&d);
	if (!b.data)
		tl_buf_puts(&b, "");
	return b.data;
}

/* Reads text, writes it back, and expects exactly the same bytes. */
static void roundtrip_exact(const char *fmt, const char *path, const char *text)
{
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as(fmt, path, text, TL_OK, &d);
	char *out = write_as(fmt, ds, 0);
	if (strcmp(out, text))
		fprintf(stderr, "%s round trip:\n--- in\n%s--- out\n%s", fmt, text, out);
	assert_string_equal(out, text);
	free(out);
	tl_dataset_free(ds);
	tl_diags_free(&d);
}

static const tl_region *reg(const tl_dataset *ds, size_t im, size_t k)
{
	assert_true(im < ds->nimages);
	assert_true(k < ds->images[im].nregions);
	return &ds->images[im].regions[k];
}

/* ---- Total-Text ---- */

static void test_totaltext_flat(void **state)
{
	(void)state;
	const char *t = "206,633,251,811,386,931,542,946,PETRO,SAINS\n"
			"10,10,20,10,20,20,2014\n"
			"1,1,5,1,5,5,1,5,###\n";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as("totaltext", "test_gts/img12.jpg.txt", t, TL_OK, &d);
	assert_string_equal(ds->images[0].name, "img12.jpg");
	assert_int_equal(ds->images[0].nregions, 3);
	assert_string_equal(reg(ds, 0, 0)->text, "PETRO,SAINS");
	assert_int_equal(reg(ds, 0, 0)->geom.shape, TL_SHAPE_QUAD);
	/* a numeric transcription after an even number of coordinates */
	assert_int_equal(reg(ds, 0, 1)->geom.n, 3);
	assert_string_equal(reg(ds, 0, 1)->text, "2014");
	assert_true(reg(ds, 0, 2)->dontcare);
	tl_dataset_free(ds);
	tl_diags_free(&d);
	roundtrip_exact("totaltext", "img1.jpg.txt", t);

	/* texts that would read as more coordinates are written in RRC quotes */
	tl_dataset *q = read_as("totaltext", "img5.jpg.txt", "1,1,9,1,9,5,1,5,A\n", TL_OK, &d);
	tl_region *qr = &q->images[0].regions[0];
	qr->text = "2,000";
	char *qo = write_as("totaltext", q, 0);
	assert_string_equal(qo, "1,1,9,1,9,5,1,5,\"2,000\"\n");
	tl_dataset_free(q);
	q = read_as("totaltext", "img5.jpg.txt", qo, TL_OK, &d);
	assert_string_equal(q->images[0].regions[0].text, "2,000");
	assert_int_equal(q->images[0].regions[0].geom.n, 4);
	free(qo);
	tl_dataset_free(q);
	roundtrip_exact("totaltext", "img6.jpg.txt", "1,1,9,1,9,5,1,5,12,50 EUR\n");

	ds = read_as("totaltext", "img2.jpg.txt", "1,2,3,4,TEXT\n", TL_E_INPUT, &d);
	assert_int_equal(ds->images[0].nregions, 0);
	assert_true(d.nerrors >= 1);
	assert_int_equal(d.items[0].line, 1);
	tl_dataset_free(ds);
	tl_diags_free(&d);
}

static void test_totaltext_legacy(void **state)
{
	(void)state;
	const char *t = "x: [[ 120 188 260 258 187 119]], y: [[ 300 280 301 330 310 329]], "
			"ornt: [u'c'], transcriptions: [u'SALE']\n"
			"x: [[ 400 452 452 400]], y: [[ 61 61\n 90 90]], ornt: [u'#'], "
			"transcriptions: [u'#']\n"
			"x: [[1 9 9 1]], y: [[1 1 5 5]], ornt: [u'h'], transcriptions: [u\"Joe's\"]\n";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as("totaltext-legacy", "poly_gt_img7.txt", t, TL_OK, &d);
	assert_string_equal(ds->images[0].name, "img7.jpg");
	assert_int_equal(ds->images[0].nregions, 3);
	assert_int_equal(reg(ds, 0, 0)->geom.n, 6);
	assert_string_equal(reg(ds, 0, 0)->orient, "c");
	/* the wrapped record joined, don't care from the orientation */
	assert_true(reg(ds, 0, 1)->dontcare);
	assert_true(reg(ds, 0, 1)->geom.pts[3].y == 90);
	assert_string_equal(reg(ds, 0, 2)->text, "Joe's");
	char *out = write_as("totaltext-legacy", ds, 0);
	assert_non_null(strstr(out, "transcriptions: [u\"Joe's\"]"));
	assert_non_null(strstr(out, "x: [[400 452 452 400]], y: [[61 61 90 90]], ornt: [u'#']"));
	free(out);
	/* the flattened writer turns the same regions into comma lines */
	out = write_as("totaltext", ds, 0);
	assert_string_equal(out, "120,300,188,280,260,301,258,330,187,310,119,329,SALE\n"
				 "400,61,452,61,452,90,400,90,###\n"
				 "1,1,9,1,9,5,1,5,Joe's\n");
	free(out);
	tl_dataset_free(ds);
	ds = read_as("totaltext-legacy", "poly_gt_img8.txt", "x: [[1 2 3]], y: [[1 2]], "
		     "ornt: [u'c'], transcriptions: [u'A']\n", TL_E_INPUT, &d);
	assert_int_equal(ds->images[0].nregions, 0);
	tl_dataset_free(ds);
	tl_diags_free(&d);
}

/* ---- MSRA-TD500 ---- */

static void test_msra(void **state)
{
	(void)state;
	const char *t = "0 0 210 155 340 62 -0.052300\r\n1 1 600 480 150 40 0.785400\r\n";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as("msra-td500", "test/IMG_0059.gt", t, TL_OK, &d);
	assert_string_equal(ds->images[0].name, "IMG_0059.JPG");
	const tl_region *r = reg(ds, 0, 0);
	assert_int_equal(r->geom.shape, TL_SHAPE_RBOX);
	/* the rotation is about the centre of the unrotated rectangle */
	assert_true(fabs(r->geom.rbox.cx - 380) < 1e-9);
	assert_true(fabs(r->geom.rbox.cy - 186) < 1e-9);
	assert_true(fabs(r->geom.rbox.angle - (-0.0523 * 180 / 3.14159265358979323846)) < 1e-9);
	assert_false(r->dontcare);
	assert_true(reg(ds, 0, 1)->dontcare);
	tl_dataset_free(ds);
	tl_diags_free(&d);
	roundtrip_exact("msra-td500", "IMG_0059.gt", t);
	/* six decimals as the dataset has them; more when the angle needs them */
	roundtrip_exact("msra-td500", "IMG_0060.gt", "0 0 1 2 3 4 0.12345678901\r\n");
	ds = read_as("msra-td500", "x.gt", "0 0 1 2 3\n0 2 1 2 3 4 0\n", TL_E_INPUT, &d);
	assert_int_equal(d.nerrors, 2);
	tl_dataset_free(ds);
	tl_diags_free(&d);
}

/* ---- SROIE, WildReceipt ---- */

static void test_sroie(void **state)
{
	(void)state;
	const char *t = "72,25,326,25,326,64,72,64,TAN WOON YANN\n"
			"309,563,619,563,619,580,309,580,SR: 11\" PROWESS, H/DUTY\n"
			"1,2,3,2,3,4,1,4,12,50\n";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as("sroie", "box/000.csv", t, TL_OK, &d);
	assert_string_equal(ds->images[0].name, "000.jpg");
	assert_string_equal(reg(ds, 0, 1)->text, "SR: 11\" PROWESS, H/DUTY");
	assert_string_equal(reg(ds, 0, 2)->text, "12,50");
	tl_dataset_free(ds);
	tl_diags_free(&d);
	roundtrip_exact("sroie", "box/000.csv", t);
}

static void test_wildreceipt_winding(void **state)
{
	(void)state;
	const char *t = "{\"file_name\":\"img/1.jpeg\",\"height\":1200,\"width\":1600,"
			"\"annotations\":[{\"box\":[550,190,937,190,937,104,550,104],"
			"\"text\":\"SAFEWAY\",\"label\":1}]}\n";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as("wildreceipt", "data.txt", t, TL_OK, &d);
	const tl_region *r = reg(ds, 0, 0);
	/* BL,BR,TR,TL in the file; TL first and clockwise on screen in the model */
	assert_true(r->geom.pts[0].x == 550 && r->geom.pts[0].y == 104);
	assert_true(r->geom.pts[1].x == 937 && r->geom.pts[1].y == 104);
	assert_true(tl_rrc_orientation(r->geom.pts, 4) < 0);
	assert_int_equal(ds->images[0].width, 1600);
	assert_false(r->dontcare);
	tl_dataset_free(ds);
	tl_diags_free(&d);
	roundtrip_exact("wildreceipt", "data.txt", t);
	ds = read_as("wildreceipt", "data.txt", "{\"file_name\":\"a.jpg\",\"annotations\":[{\"box\":"
		     "[0,9,9,9,9,0,0,0],\"text\":\"###\",\"label\":0}]}\n", TL_OK, &d);
	assert_true(reg(ds, 0, 0)->dontcare);
	tl_dataset_free(ds);
	tl_diags_free(&d);
}

/* ---- mmocr, LabelMe ---- */

static void test_mmocr(void **state)
{
	(void)state;
	const char *v1 = "{\"metainfo\":{\"dataset_type\":\"TextDetDataset\",\"task_name\":\"textdet\","
			 "\"category\":[{\"id\":0,\"name\":\"text\"}]},\"data_list\":[{\"instances\":"
			 "[{\"polygon\":[512,233,590,236,589,258,511,255],\"bbox\":[511,233,590,258],"
			 "\"bbox_label\":0,\"ignore\":false},{\"polygon\":[600,240,655,241,655,262,600,"
			 "261],\"bbox\":[600,240,655,262],\"bbox_label\":0,\"ignore\":true}],"
			 "\"img_path\":\"textdet_imgs/test/img_3.jpg\",\"height\":720,\"width\":1280,"
			 "\"seg_map\":\"x.txt\"}]}\n";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as("mmocr", "textdet_test.json", v1, TL_OK, &d);
	assert_string_equal(ds->images[0].name, "textdet_imgs/test/img_3.jpg");
	assert_true(reg(ds, 0, 1)->dontcare);
	assert_int_equal(ds->images[0].height, 720);
	tl_dataset_free(ds);
	tl_diags_free(&d);
	roundtrip_exact("mmocr", "textdet_test.json", v1);

	const char *coco = "{\"images\":[{\"file_name\":\"test/img_10.jpg\",\"height\":720,\"width\":"
			   "1280,\"id\":7}],\"categories\":[{\"id\":1,\"name\":\"text\"}],"
			   "\"annotations\":[{\"segmentation\":[[261,138,284,140,279,158,260,158]],"
			   "\"iscrowd\":1,\"image_id\":7,\"bbox\":[260,138,24,20],\"category_id\":1,"
			   "\"area\":402,\"id\":0}]}\n";
	roundtrip_exact("mmocr-coco", "instances_test.json", coco);
	ds = read_as("mmocr-coco", "i.json", coco, TL_OK, &d);
	assert_true(reg(ds, 0, 0)->dontcare);
	tl_dataset_free(ds);
	const char *jl = "{\"file_name\":\"test/img_10.jpg\",\"height\":720,\"width\":1280,"
			 "\"annotations\":[{\"segmentation\":[[1,1,9,1,9,5,1,5]],\"iscrowd\":0,"
			 "\"bbox\":[1,1,8,4],\"category_id\":1}]}\n";
	roundtrip_exact("mmocr-jsonl", "instances_test.txt", jl);
	ds = read_as("mmocr", "bad.json", "{\"data_list\": [{\"img_path\": \"a.jpg\", "
		     "\"instances\": [{\"polygon\": [1, 2, 3]}]}", TL_E_INPUT, &d);
	assert_true(d.nerrors >= 1);
	tl_dataset_free(ds);
	tl_diags_free(&d);
}

static void test_labelme(void **state)
{
	(void)state;
	const char *t = "{\"version\": \"5.2.1\", \"flags\": {}, \"imagePath\": \"sign_3.jpg\", "
			"\"imageData\": null, \"imageHeight\": 600, \"imageWidth\": 800, \"shapes\": ["
			"{\"label\": \"PARKING\", \"points\": [[100.5, 80.0], [310.0, 95.2], [305.1, "
			"150.0], [98.0, 140.3]], \"group_id\": null, \"shape_type\": \"polygon\", "
			"\"flags\": {}}, {\"label\": \"###\", \"points\": [[460, 430], [400, 400]], "
			"\"group_id\": 3, \"shape_type\": \"rectangle\", \"flags\": {}}, "
			"{\"label\": \"dot\", \"points\": [[1, 1]], \"shape_type\": \"point\"}]}";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as("labelme", "sign_3.json", t, TL_OK, &d);
	assert_int_equal(d.nwarnings, 1); /* the point shape */
	assert_int_equal(ds->images[0].nregions, 2);
	const tl_region *r = reg(ds, 0, 1);
	assert_int_equal(r->geom.shape, TL_SHAPE_RECT);
	assert_true(r->geom.rect.l == 400 && r->geom.rect.b == 430);
	assert_true(r->dontcare);
	char *out = write_as("labelme", ds, 0);
	tl_dataset *again = read_as("labelme", "sign_3.json", out, TL_OK, &d);
	assert_int_equal(again->images[0].nregions, 2);
	assert_string_equal(reg(again, 0, 0)->text, "PARKING");
	assert_true(reg(again, 0, 0)->geom.pts[1].y == 95.2);
	assert_non_null(strstr(out, "\"group_id\":\t3"));
	free(out);
	tl_dataset_free(again);
	tl_dataset_free(ds);
	tl_diags_free(&d);
}

/* ---- CTW1500 ---- */

static void test_ctw1500(void **state)
{
	(void)state;
	const char *t = "95,230,135,215,175,211,215,212,255,214,295,219,335,229,331,271,293,262,"
			"255,256,214,255,176,256,137,260,99,268,####GRAND\n"
			"10,12,20,12,30,12,40,12,50,12,60,12,70,12,70,30,60,30,50,30,40,30,30,30,"
			"20,30,10,30,#######\n";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as("ctw1500", "test/0000042.txt", t, TL_OK, &d);
	assert_string_equal(ds->images[0].name, "0042.jpg");
	assert_int_equal(reg(ds, 0, 0)->geom.n, 14);
	assert_string_equal(reg(ds, 0, 0)->text, "GRAND");
	assert_true(reg(ds, 0, 1)->dontcare);
	tl_dataset_free(ds);
	roundtrip_exact("ctw1500", "0042.txt", t);
	roundtrip_exact("ctw1500", "1001.txt", "1,2,3,4,5,6,7,8\n");

	const char *lg = "95,211,335,271,0,19,40,4,80,0,120,1,160,3,200,8,240,18,236,60,198,51,"
			 "160,45,119,44,81,45,42,49,4,57\n";
	ds = read_as("ctw1500-legacy", "0042.txt", lg, TL_OK, &d);
	assert_true(reg(ds, 0, 0)->geom.pts[0].x == 95 && reg(ds, 0, 0)->geom.pts[0].y == 230);
	tl_dataset_free(ds);
	roundtrip_exact("ctw1500-legacy", "0042.txt", lg);

	const char *xml = "<Annotations>\n  <image file=\"0042.jpg\">\n"
			  "    <box height=\"61\" left=\"95\" top=\"210\" width=\"240\">\n"
			  "      <label>A &amp; B</label>\n"
			  "      <segs>95,230,135,215,175,211,215,212,255,214,295,219,335,229,331,"
			  "271,293,262,255,256,214,255,176,256,137,260,99,268</segs>\n"
			  "      <pts x=\"120\" y=\"245\" />\n    </box>\n  </image>\n</Annotations>\n";
	ds = read_as("ctw1500-xml", "0042.xml", xml, TL_OK, &d);
	assert_string_equal(reg(ds, 0, 0)->text, "A & B");
	tl_dataset_free(ds);
	roundtrip_exact("ctw1500-xml", "0042.xml", xml);
	ds = read_as("ctw1500-xml", "1.xml", "<Annotations><image file=\"1.jpg\"><box>"
		     "<segs>1,2,3</segs></box></image></Annotations>", TL_E_INPUT, &d);
	tl_dataset_free(ds);
	tl_diags_free(&d);
}

/* ---- COCO-Text, TextOCR, HierText ---- */

static void test_cocotext_textocr(void **state)
{
	(void)state;
	const char *ct = "{\"imgs\":{\"4242\":{\"id\":4242,\"file_name\":\"COCO_train2014_000000004242"
			 ".jpg\",\"width\":640,\"height\":480,\"set\":\"train\"}},\"anns\":{\"9001\":"
			 "{\"id\":9001,\"image_id\":4242,\"mask\":[10.5,20,54.5,20,54.5,32.5,10.5,32.5],"
			 "\"utf8_string\":\"STOP\",\"legibility\":\"legible\",\"language\":\"english\","
			 "\"bbox\":[10.5,20,44,12.5],\"area\":550,\"class\":\"machine printed\"},"
			 "\"9002\":{\"id\":9002,\"image_id\":4242,\"mask\":[1,1,9,1,9,5],"
			 "\"legibility\":\"illegible\",\"language\":\"not english\",\"bbox\":[1,1,8,4],"
			 "\"area\":16,\"class\":\"others\"}},\"imgToAnns\":{\"4242\":[9001,9002]},"
			 "\"cats\":{},\"info\":{}}\n";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as("cocotext", "cocotext.v2.json", ct, TL_OK, &d);
	assert_string_equal(reg(ds, 0, 0)->lang, "english");
	assert_true(reg(ds, 0, 1)->dontcare);
	assert_int_equal(reg(ds, 0, 1)->geom.n, 3);
	tl_dataset_free(ds);
	roundtrip_exact("cocotext", "cocotext.v2.json", ct);

	const char *to = "{\"imgs\":{\"a1\":{\"id\":\"a1\",\"file_name\":\"train/a1.jpg\",\"width\":"
			 "1024,\"height\":768,\"set\":\"train\"}},\"anns\":{\"a1_1\":{\"id\":\"a1_1\","
			 "\"image_id\":\"a1\",\"points\":[100,50,180,50,180,70,100,70],\"utf8_string\":"
			 "\".\",\"bbox\":[100,50,80,20],\"area\":1600}},\"imgToAnns\":{\"a1\":[\"a1_1\"]}}\n";
	ds = read_as("textocr", "TextOCR_0.1_val.json", to, TL_OK, &d);
	assert_true(reg(ds, 0, 0)->dontcare);
	tl_dataset_free(ds);
	roundtrip_exact("textocr", "TextOCR_0.1_val.json", to);
	ds = read_as("textocr", "t.json", "{\"imgs\":{},\"anns\":{\"x\":{\"image_id\":\"nope\"}}}",
		     TL_E_INPUT, &d);
	tl_dataset_free(ds);
	tl_diags_free(&d);
}

static void test_hiertext_levels(void **state)
{
	(void)state;
	const char *t = "{\"info\":{\"date\":\"2022\",\"version\":\"v1\"},\"annotations\":[{\"image_id\":"
			"\"0f1e\",\"image_width\":1600,\"image_height\":1200,\"paragraphs\":[{\"vertices\":"
			"[[10,10],[400,10],[400,80],[10,80]],\"legible\":true,\"lines\":[{\"vertices\":"
			"[[12,12],[398,12],[398,78],[12,78]],\"text\":\"OPEN DAILY\",\"legible\":true,"
			"\"handwritten\":false,\"vertical\":false,\"words\":[{\"vertices\":[[12,12],"
			"[180,12],[180,78],[12,78]],\"text\":\"OPEN\",\"legible\":true,\"handwritten\":"
			"false,\"vertical\":false},{\"vertices\":[[200,12],[398,12],[398,78],[200,78]],"
			"\"text\":\"\",\"legible\":false,\"handwritten\":true,\"vertical\":false}]}]}]}]}\n";
	tl_diags d;
	tl_diags_init(&d);
	static const char *const fmts[] = { "hiertext", "hiertext-lines", "hiertext-paragraphs" };
	static const size_t counts[] = { 2, 1, 1 };
	for (int i = 0; i < 3; i++) {
		tl_dataset *ds = read_as(fmts[i], "validation.jsonl", t, TL_OK, &d);
		assert_int_equal(ds->images[0].nregions, counts[i]);
		tl_dataset_free(ds);
		roundtrip_exact(fmts[i], "validation.jsonl", t);
	}
	tl_dataset *ds = read_as("hiertext", "v.jsonl", t, TL_OK, &d);
	assert_string_equal(reg(ds, 0, 0)->text, "OPEN");
	assert_true(reg(ds, 0, 1)->dontcare);
	tl_dataset_free(ds);
	ds = read_as("hiertext-lines", "v.jsonl", t, TL_OK, &d);
	assert_string_equal(reg(ds, 0, 0)->text, "OPEN DAILY");
	tl_dataset_free(ds);
	tl_diags_free(&d);
}

/* ---- ArT, LSVT, ReCTS, docTR ---- */

static void test_art_family(void **state)
{
	(void)state;
	const char *art = "{\"gt_77\":[{\"transcription\":\"CAFE\",\"points\":[[40,200],[90,180],"
			  "[150,175],[210,188],[206,215],[150,203],[92,208],[44,228]],\"language\":"
			  "\"Latin\",\"illegibility\":false},{\"transcription\":\"###\",\"points\":"
			  "[[300,40],[360,40],[360,70],[300,70]],\"language\":\"None\","
			  "\"illegibility\":true}]}\n";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as("art", "train_labels.json", art, TL_OK, &d);
	assert_string_equal(ds->images[0].name, "gt_77.jpg");
	assert_int_equal(reg(ds, 0, 0)->geom.n, 8);
	assert_true(reg(ds, 0, 1)->dontcare);
	tl_dataset_free(ds);
	roundtrip_exact("art", "train_labels.json", art);
	const char *lsvt = "{\"gt_5\":[{\"transcription\":\"营业时间\",\"points\":[[15,30],[188,33],"
			   "[186,70],[14,66]],\"illegibility\":false},{\"transcription\":\"弱\"}]}";
	ds = read_as("lsvt", "train_full_labels.json", lsvt, TL_OK, &d);
	assert_int_equal(ds->images[0].nregions, 1);
	assert_int_equal(d.nwarnings, 1);
	tl_dataset_free(ds);
	const char *rects = "{\"chars\":[{\"transcription\":\"茶\",\"points\":[30,40,80,40,80,95,30,95],"
			    "\"ignore\":0}],\"lines\":[{\"transcription\":\"茶餐厅\",\"points\":[28,38,"
			    "190,41,189,97,27,94],\"ignore\":0},{\"transcription\":\"###\",\"points\":"
			    "[300,500,350,500,350,520,300,520],\"ignore\":1}]}\n";
	ds = read_as("rects", "train_ReCTS_000001.json", rects, TL_OK, &d);
	assert_string_equal(ds->images[0].name, "train_ReCTS_000001.jpg");
	assert_true(reg(ds, 0, 1)->dontcare);
	tl_dataset_free(ds);
	roundtrip_exact("rects", "train_ReCTS_000001.json", rects);
	const char *doctr = "{\"a.png\":{\"img_dimensions\":[900,600],\"img_hash\":\"00\",\"polygons\":"
			    "{\"words\":[[[1,1],[5,1],[5,4],[1,4]]],\"artefacts\":[[[50,50],[70,50],"
			    "[70,60],[50,60]]]}}}\n";
	ds = read_as("doctr", "labels.json", doctr, TL_OK, &d);
	assert_int_equal(ds->images[0].height, 900);
	assert_int_equal(ds->images[0].nregions, 2);
	tl_dataset_free(ds);
	roundtrip_exact("doctr", "labels.json", doctr);
	tl_diags_free(&d);
}

/* ---- conversion between the families ---- */

static void test_cross_conversion(void **state)
{
	(void)state;
	/* Total-Text -> UFO -> Total-Text keeps every polygon and text */
	const char *t = "1,1,9,1,12,4,9,8,1,8,WORD\n2,2,6,2,6,5,2,5,###\n";
	tl_diags d;
	tl_diags_init(&d);
	tl_dataset *ds = read_as("totaltext", "img3.jpg.txt", t, TL_OK, &d);
	char *ufo = write_as("ufo", ds, 0);
	tl_dataset *back = read_as("ufo", "train.json", ufo, TL_OK, &d);
	char *tt = write_as("totaltext", back, 0);
	assert_string_equal(tt, t);
	free(ufo);
	free(tt);
	tl_dataset_free(back);
	/* to MSRA-TD500 the polygon becomes its minimum-area rectangle (named loss) */
	tl_diags w;
	tl_diags_init(&w);
	tl_error err;
	assert_int_equal(tl_format_prepare(ds, tl_format_find("msra-td500"), NULL, &w, &err), TL_OK);
	assert_true(w.nwarnings >= 1);
	assert_int_equal(reg(ds, 0, 0)->geom.shape, TL_SHAPE_RBOX);
	tl_diags_free(&w);
	tl_dataset_free(ds);
	tl_diags_free(&d);
}

static void test_hostile(void **state)
{
	(void)state;
	static const char *const fmts[] = { "totaltext", "totaltext-legacy", "msra-td500", "sroie",
		"wildreceipt", "mmocr", "mmocr-coco", "mmocr-jsonl", "labelme", "ctw1500",
		"ctw1500-legacy", "ctw1500-xml", "cocotext", "textocr", "hiertext", "hiertext-lines",
		"hiertext-paragraphs", "art", "lsvt", "rects", "doctr" };
	static const char *const inputs[] = { "", "{", "[[[[", "x: [[", "1,2,3,4,5,6,7,8,9,",
		"{\"data_list\":[{\"img_path\":1}]}", "<Annotations><image><box>",
		"{\"imgs\":{\"1\":5},\"anns\":[]}", "{\"annotations\":[{\"paragraphs\":7}]}",
		"{\"a\":{\"polygons\":[[1,2]]}}", "nan,1,2,3,4,5,6,7,x", "1e999,0,0,0,0,0,x" };
	for (size_t f = 0; f < TL_ARRAY_LEN(fmts); f++)
		for (size_t i = 0; i < TL_ARRAY_LEN(inputs); i++) {
			tl_diags d;
			tl_diags_init(&d);
			tl_dataset *ds = tl_dataset_new();
			int rc = tl_format_read(ds, tl_format_find(fmts[f]), "x.txt", inputs[i],
						strlen(inputs[i]), NULL, &d);
			assert_true(rc == TL_OK || rc == TL_E_INPUT);
			tl_dataset_free(ds);
			tl_diags_free(&d);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totaltext_flat),
		cmocka_unit_test(test_totaltext_legacy),
		cmocka_unit_test(test_msra),
		cmocka_unit_test(test_sroie),
		cmocka_unit_test(test_wildreceipt_winding),
		cmocka_unit_test(test_mmocr),
		cmocka_unit_test(test_labelme),
		cmocka_unit_test(test_ctw1500),
		cmocka_unit_test(test_cocotext_textocr),
		cmocka_unit_test(test_hiertext_levels),
		cmocka_unit_test(test_art_family),
		cmocka_unit_test(test_cross_conversion),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
