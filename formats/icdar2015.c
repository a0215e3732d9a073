/* icdar2015.c — ICDAR 2015 Incidental Scene Text ground truth (formats.md §4.2):
 * one gt_img_N.txt per image, lines "x1,y1,x2,y2,x3,y3,x4,y4,transcription",
 * "###" = don't care, the transcription is everything after the 8th comma (commas
 * allowed, quotes undone by the RRC rule). The SROIE box files and mqhs use the same
 * layout. Reading follows formats.md §3; lenient mode accepts real numbers, blank
 * lines and a missing transcription. */
#include "tl_internal.h"
#include "text.h"

/* How many of the first lines look like an ICDAR 2015 line: 8 numbers and a text
 * that is not a lone confidence (which would make it a result file). A "text" that
 * starts with two more numbers is a polygon's tail (Total-Text, CTW1500): when most
 * lines are like that, the file is left to the polygon formats, whose readers would
 * otherwise see their points read as a quad and a transcription. */
static int probe(const char *name, const char *data, size_t len)
{
	tl_lines it;
	tl_lines_init(&it, data, len);
	const char *s, *rest;
	size_t n, restn, field;
	long col;
	double v[8];
	int good = 0, bad = 0, poly = 0;
	while (tl_probe_line(&it, good + bad + poly, &s, &n)) {
		if (tl_rrc_numbers(s, n, 8, 1, v, &rest, &restn, &field, &col) != TL_NUM_OK ||
		    !rest) {
			bad++;
			continue;
		}
		double x;
		/* text that is just a number in [0, 1] looks like a confidence column */
		if (restn && tl_parse_num(rest, restn, 1, &x) == TL_NUM_OK && x >= 0 && x <= 1)
			continue;
		const char *tail;
		size_t tailn;
		double xy[2];
		if (tl_rrc_numbers(rest, restn, 2, 1, xy, &tail, &tailn, &field, &col) == TL_NUM_OK)
			poly++;
		else
			good++;
	}
	if (poly > good)
		return good + poly > 0 ? 20 : 0;
	/* gt_img_12.txt is ICDAR's name; gt_img12.txt is Total-Text's */
	const char *base = tl_basename(name);
	int named = !strncmp(base, "gt_", 3) &&
		    !(!strncmp(base, "gt_img", 6) && base[6] >= '0' && base[6] <= '9');
	if (good && !bad)
		return 60 + (named ? 10 : 0);
	/* mostly right: still the best guess, so the reader can name the bad lines */
	if (good >= bad)
		return 30 + (named ? 10 : 0);
	if (!good && !bad && len < 8)
		return named ? 10 : 2; /* empty per-image file */
	return 0;
}

static int read_(tl_dataset *ds, const char *path, const char *data, size_t len,
		 const tl_read_opts *o, tl_diags *d)
{
	tl_image *im = tl_begin_image(ds, path, tl_gt_prefixes);
	if (!im)
		return TL_E_NOMEM;
	tl_line_reader lr;
	tl_line_reader_init(&lr, data, len, path, o->lenient, d);
	double v[8];
	while (tl_line_reader_coords(&lr, 8, v)) {
		if (!lr.rest && !o->lenient) {
			tl_diags_add(d, TL_ERROR, path, lr.it.lineno, (long)lr.n + 1, "field-count",
				     "missing transcription after the 8 coordinates");
			lr.bad = 1;
			continue;
		}
		tl_region *r = tl_line_reader_region(&lr, ds, im);
		if (!r)
			return TL_E_LIMIT;
		TL_TRY(tl_region_set_quad8(ds, r, v));
		TL_TRY(tl_region_set_rrc_text(ds, r, lr.rest, lr.restn));
		r->dontcare = !strcmp(r->text, "###");
	}
	return lr.bad ? TL_E_INPUT : TL_OK;
}

static int write_(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		  const tl_write_opts *o, tl_diags *d)
{
	(void)ds;
	(void)o;
	int bad = 0;
	for (size_t k = 0; k < im->nregions; k++) {
		const tl_region *r = &im->regions[k];
		tl_point p[4];
		if (!tl_quad_points(r, k, im->name, "ICDAR 2015 holds", d, p)) {
			bad = 1;
			continue;
		}
		TL_TRY(tl_put_int_points(out, p, 4, 1));
		TL_TRY(tl_put_line_text(out, tl_dc_text(r, NULL), 0));
		TL_TRY(tl_buf_append(out, "\r\n", 2));
	}
	return bad ? TL_E_INPUT : TL_OK;
}

const tl_format tl_fmt_icdar2015 = {
	.name = "icdar2015",
	.summary = "ICDAR 2015 ground truth: gt_img_N.txt, x1,y1,...,x4,y4,text; ### = don't care",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_INT_COORDS | TL_FMT_DC_TEXT | TL_FMT_ONE_LINE,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD),
	.probe = probe,
	.read = read_,
	.write = write_,
	.file_for_image = tl_gt_file_for_image,
	.image_for_file = tl_gt_image_for_file,
};
