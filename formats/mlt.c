/* mlt.c — ICDAR 2017 / 2019 MLT ground truth (formats.md §4.5, §4.6): one file per
 * image (gt_img_N.txt, or tr_img_NNNNN.txt for MLT 2019 training), lines
 * "x1,y1,...,x4,y4,script,transcription"; "###" = don't care. The script goes to the
 * region's language slot; an unknown script is a warning (the official script set
 * may grow), a missing one an error. */
#include "tl_internal.h"
#include "text.h"

static const char *const gt_prefixes[] = { "gt_", NULL };

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
	while (good + bad < 20 && tl_lines_next(&it, &s, &n)) {
		if (!n)
			continue;
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
	tl_image *im = tl_begin_image(ds, path, gt_prefixes);
	if (!im)
		return TL_E_NOMEM;
	tl_lines it;
	tl_lines_init(&it, data, len);
	const char *s, *rest;
	size_t n, restn, field;
	long col;
	int bad = 0;
	while (tl_lines_next(&it, &s, &n)) {
		if (tl_skip_blank_line(s, n, o->lenient, d, path, it.lineno, &bad))
			continue;
		double v[8];
		int st = tl_rrc_numbers(s, n, 8, o->lenient, v, &rest, &restn, &field, &col);
		if (st != TL_NUM_OK) {
			tl_coord_error(d, path, it.lineno, col, st, field, 8);
			bad = 1;
			continue;
		}
		const char *c = rest ? memchr(rest, ',', restn) : NULL;
		if (!c) {
			tl_diags_add(d, TL_ERROR, path, it.lineno, rest ? (long)(rest - s) + 1 : (long)n + 1,
				     "field-count", "expected a script and a transcription after the "
				     "8 coordinates");
			bad = 1;
			continue;
		}
		size_t sn = (size_t)(c - rest);
		if (!known_script(rest, sn))
			tl_diags_add(d, TL_WARNING, path, it.lineno, (long)(rest - s) + 1, "script",
				     "unknown script '%.*s'", (int)(sn > 40 ? 40 : sn), rest);
		tl_region *r = tl_image_add_region(ds, im);
		if (!r) {
			tl_diags_add(d, TL_ERROR, path, it.lineno, 0, "limit",
				     "too many regions in one image");
			return TL_E_LIMIT;
		}
		tl_point p[4] = { { v[0], v[1] }, { v[2], v[3] }, { v[4], v[5] }, { v[6], v[7] } };
		TL_TRY(tl_region_set_points(ds, r, TL_SHAPE_QUAD, p, 4));
		r->lang = tl_dataset_strndup(ds, rest, sn);
		r->text = tl_rrc_unquote(ds, c + 1, restn - sn - 1);
		if (!r->text || !r->lang)
			return TL_E_NOMEM;
		r->dontcare = !strcmp(r->text, "###");
		r->line = it.lineno;
	}
	return bad ? TL_E_INPUT : TL_OK;
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
		size_t n = tl_geom_points(&r->geom, p, 4);
		if (n != 4) {
			tl_diags_add(d, TL_ERROR, im->name, 0, 0, "shape",
				     "region %zu has %zu points; MLT holds quadrilaterals "
				     "(convert with --shape quad)", k + 1, n);
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

static int file_for_image(const char *image, tl_buf *out)
{
	return tl_name_from_image(image, "gt_", ".txt", out);
}

static int image_for_file(const char *file, tl_buf *out)
{
	return tl_image_from_name(file, gt_prefixes, out);
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
	.file_for_image = file_for_image,
	.image_for_file = image_for_file,
};
