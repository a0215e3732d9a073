/* mlt.c — ICDAR 2017 / 2019 MLT ground truth (formats.md §4.5, §4.6): one file per
 * image (gt_img_N.txt, or tr_img_NNNNN.txt for MLT 2019 training), lines
 * "x1,y1,...,x4,y4,script,transcription"; "###" = don't care. The script goes to the
 * region's language slot; an unknown script is a warning (the official script set
 * may grow), a missing one an error. */
#include "tl_internal.h"
#include "text.h"

static const char *const scripts[] = { "Arabic", "Latin",  "Chinese", "Japanese", "Korean",
				       "Bangla", "Symbols", "Mixed",  "None",     "Hindi",
				       NULL };

static int known_script(const char *s, size_t n)
{
	for (size_t i = 0; scripts[i]; i++)
		if (strlen(scripts[i]) == n && !memcmp(scripts[i], s, n))
			return 1;
	return 0;
}

static int probe(const char *name, const char *data, size_t len)
{
	tl_lines it;
	tl_lines_init(&it, data, len);
	const char *s, *rest;
	size_t n, restn, field;
	long col;
	double v[8];
	int good = 0, bad = 0;
	while (tl_probe_line(&it, good + bad, &s, &n)) {
		const char *c;
		if (tl_rrc_numbers(s, n, 8, 1, v, &rest, &restn, &field, &col) != TL_NUM_OK ||
		    !rest || !(c = memchr(rest, ',', restn)) ||
		    !known_script(rest, (size_t)(c - rest)))
			bad++;
		else
			good++;
	}
	return good && !bad ? 80 : 0;
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
		const char *s = lr.s, *rest = lr.rest;
		const char *c = rest ? memchr(rest, ',', lr.restn) : NULL;
		if (!c) {
			tl_diags_add(d, TL_ERROR, path, lr.it.lineno,
				     rest ? (long)(rest - s) + 1 : (long)lr.n + 1, "field-count",
				     "expected a script and a transcription after the 8 coordinates");
			lr.bad = 1;
			continue;
		}
		size_t sn = (size_t)(c - rest);
		if (!known_script(rest, sn))
			tl_diags_add(d, TL_WARNING, path, lr.it.lineno, (long)(rest - s) + 1, "script",
				     "unknown script '%.*s'", (int)(sn > 40 ? 40 : sn), rest);
		tl_region *r = tl_line_reader_region(&lr, ds, im);
		if (!r)
			return TL_E_LIMIT;
		TL_TRY(tl_region_set_quad8(ds, r, v));
		r->lang = tl_dataset_strndup(ds, rest, sn);
		if (!r->lang)
			return TL_E_NOMEM;
		TL_TRY(tl_region_set_rrc_text(ds, r, c + 1, lr.restn - sn - 1));
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
		if (!tl_quad_points(r, k, im->name, "MLT holds", d, p)) {
			bad = 1;
			continue;
		}
		TL_TRY(tl_put_int_points(out, p, 4, 1));
		/* A script with a comma would shift the transcription: write it spaced. */
		const char *script = r->lang ? r->lang : "None";
		for (const char *c = script; *c; c++)
			TL_TRY(tl_buf_append(out, *c == ',' || *c == '\r' || *c == '\n' ? " " : c, 1));
		TL_TRY(tl_buf_append(out, ",", 1));
		TL_TRY(tl_put_line_text(out, tl_dc_text(r, NULL), 0));
		TL_TRY(tl_buf_append(out, "\r\n", 2));
	}
	return bad ? TL_E_INPUT : TL_OK;
}

const tl_format tl_fmt_mlt = {
	.name = "mlt",
	.summary = "ICDAR 2017/2019 MLT ground truth: x1,y1,...,x4,y4,script,text; ### = don't care",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_INT_COORDS | TL_FMT_DC_TEXT | TL_FMT_ONE_LINE |
		 TL_FMT_LANG,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD),
	.probe = probe,
	.read = read_,
	.write = write_,
	.file_for_image = tl_gt_file_for_image,
	.image_for_file = tl_gt_image_for_file,
};
