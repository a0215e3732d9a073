/* icdar2013.c — ICDAR 2013 Focused Scene Text, task 2.1 (formats.md §4.1): one
 * file per image (gt_img_N.txt, or gt_N.txt for the training set), lines
 * "xmin ymin xmax ymax "text"" (training, space separated) or
 * "xmin, ymin, xmax, ymax, "text"" (test, comma + space); the text is always quoted
 * and may hold commas; a bare "xmin,ymin,xmax,ymax" is a submission line.
 * Coordinates are inclusive pixel indices; they are kept as written unless
 * rect_inclusive asks for the +1 on xmax/ymax (formats.md §0). Written in the
 * test-set style. */
#include "tl_internal.h"
#include "text.h"

static int is_sep(char c) { return c == ' ' || c == '\t' || c == ','; }

/* Parses the four numbers; *text, *textn get what follows the separator after the
 * fourth (NULL if the line ends there). Returns a tl_num_status, *field, *col. */
static int parse4(const char *s, size_t n, int lenient, double v[4], const char **text,
		  size_t *textn, size_t *field, long *col)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (size_t f = 0; f < 4; f++) {
		size_t b = i;
		while (i < n && !is_sep(s[i]))
			i++;
		*field = f;
		*col = (long)b + 1;
		if (i == b)
			return TL_NUM_EMPTY;
		int st = tl_parse_num(s + b, i - b, lenient, &v[f]);
		if (st != TL_NUM_OK)
			return st;
		/* separator: spaces, at most one comma, spaces */
		size_t sb = i;
		int comma = 0;
		while (i < n && is_sep(s[i])) {
			if (s[i] == ',') {
				if (comma)
					break;
				comma = 1;
			}
			i++;
			/* after the fourth number the text starts right after the comma */
			if (f == 3 && comma)
				break;
		}
		if (f < 3 && (i == sb || i == n)) {
			*field = f + 1;
			*col = (long)i + 1;
			return TL_NUM_EMPTY;
		}
		if (f == 3) {
			if (i == n && i == sb) {
				*text = NULL;
				*textn = 0;
			} else {
				*text = s + i;
				*textn = n - i;
			}
		}
	}
	return TL_NUM_OK;
}

static int probe(const char *name, const char *data, size_t len)
{
	tl_lines it;
	tl_lines_init(&it, data, len);
	const char *s, *t;
	size_t n, tn, field;
	long col;
	double v[4];
	int good = 0, bad = 0;
	while (tl_probe_line(&it, good + bad, &s, &n)) {
		if (parse4(s, n, 1, v, &t, &tn, &field, &col) != TL_NUM_OK || !t) {
			bad++;
			continue;
		}
		while (tn && (*t == ' ' || *t == '\t')) {
			t++;
			tn--;
		}
		while (tn && (t[tn - 1] == ' ' || t[tn - 1] == '\t'))
			tn--;
		if (tn >= 2 && t[0] == '"' && t[tn - 1] == '"')
			good++;
		else
			bad++;
	}
	if (good && !bad)
		return 75 + (strncmp(tl_basename(name), "gt_", 3) ? 0 : 5);
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
	while (tl_line_reader_next(&lr)) {
		const char *text;
		size_t textn, field;
		long col;
		double v[4];
		int st = parse4(lr.s, lr.n, o->lenient, v, &text, &textn, &field, &col);
		if (st != TL_NUM_OK) {
			tl_coord_error(d, path, lr.it.lineno, col, st, field, 4);
			lr.bad = 1;
			continue;
		}
		if (!tl_line_reader_check_rect(&lr, v))
			continue;
		tl_region *r = tl_line_reader_region(&lr, ds, im);
		if (!r)
			return TL_E_LIMIT;
		tl_region_set_ltrb(r, v, o->rect_inclusive);
		TL_TRY(tl_region_set_rrc_text(ds, r, text, textn));
		r->dontcare = !strcmp(r->text, "###");
	}
	return lr.bad ? TL_E_INPUT : TL_OK;
}

static int write_(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		  const tl_write_opts *o, tl_diags *d)
{
	(void)ds;
	int bad = 0;
	double inc = o && o->rect_inclusive ? 1 : 0;
	for (size_t k = 0; k < im->nregions; k++) {
		const tl_region *r = &im->regions[k];
		if (r->geom.shape != TL_SHAPE_RECT) {
			tl_diags_add(d, TL_ERROR, im->name, 0, 0, "shape",
				     "region %zu is a %s; ICDAR 2013 holds rectangles (convert with "
				     "--shape rect)", k + 1, tl_shape_name(r->geom.shape));
			bad = 1;
			continue;
		}
		const tl_rect *b = &r->geom.rect;
		double v[4] = { b->l, b->t, b->r - inc, b->b - inc };
		for (int i = 0; i < 4; i++) {
			TL_TRY(tl_buf_int_coord(out, v[i], NULL));
			TL_TRY(tl_buf_append(out, ", ", 2));
		}
		TL_TRY(tl_put_line_text(out, tl_dc_text(r, NULL), 1));
		TL_TRY(tl_buf_append(out, "\r\n", 2));
	}
	return bad ? TL_E_INPUT : TL_OK;
}

const tl_format tl_fmt_icdar2013 = {
	.name = "icdar2013",
	.summary = "ICDAR 2013 ground truth: gt_img_N.txt, xmin, ymin, xmax, ymax, \"text\"",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_INT_COORDS | TL_FMT_DC_TEXT | TL_FMT_ONE_LINE,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_RECT),
	.probe = probe,
	.read = read_,
	.write = write_,
	.file_for_image = tl_gt_file_for_image,
	.image_for_file = tl_gt_image_for_file,
};
