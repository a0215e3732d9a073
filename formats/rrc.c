/* rrc.c — Robust Reading Competition result files (formats.md §4.3): one
 * res_img_N.txt per image, lines "x1,y1,...,x4,y4[,confidence][,transcription]"
 * (format "rrc") or "xmin,ymin,xmax,ymax[,confidence][,transcription]"
 * ("rrc-ltrb"). A field after the coordinates is a confidence when it fits the RRC
 * confidence grammar (a digit 0 or 1, then optionally a point and digits; any finite
 * number with --lenient), otherwise it starts the transcription. Results have no
 * don't-care marker. */
#include "tl_internal.h"
#include "text.h"
#include <stdio.h>   /* snprintf */

static const char *const res_prefixes[] = { "res_", "gt_", NULL };

/* The confidence grammar of rrc_evaluation_funcs: [0-1].?[0-9]* — "0.93", "1", "0"
 * pass; ".93", "1e-3", "-0.1" do not. */
static int conf_strict(const char *s, size_t n)
{
	if (!n || (s[0] != '0' && s[0] != '1'))
		return 0;
	size_t i = 1;
	if (i < n && !(s[i] >= '0' && s[i] <= '9'))
		i++; /* the one optional character, normally '.' */
	for (; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9'))
			return 0;
	return 1;
}

/* Length of the first comma-separated field of s[0..n): the one that may be a
 * confidence. */
static size_t first_field(const char *s, size_t n)
{
	const char *c = memchr(s, ',', n);
	return c ? (size_t)(c - s) : n;
}

/* Splits what follows the coordinates into confidence and transcription. */
static void split_tail(const char *rest, size_t restn, int lenient, double *conf,
		       int *has_conf, const char **text, size_t *textn)
{
	*has_conf = 0;
	*text = rest;
	*textn = restn;
	if (!rest)
		return;
	size_t fn = first_field(rest, restn);
	double v;
	if (tl_parse_num(rest, fn, 1, &v) != TL_NUM_OK)
		return;
	/* "059" fits the grammar but is no confidence in [0, 1]: take it as text */
	if (!lenient && (!conf_strict(rest, fn) || v < 0 || v > 1))
		return;
	*conf = v;
	*has_conf = 1;
	*text = fn < restn ? rest + fn + 1 : NULL;
	*textn = fn < restn ? restn - fn - 1 : 0;
}

static int probe_k(const char *name, const char *data, size_t len, size_t k)
{
	tl_lines it;
	tl_lines_init(&it, data, len);
	const char *s, *rest;
	size_t n, restn, field;
	long col;
	double v[8];
	int good = 0, bad = 0;
	while (tl_probe_line(&it, good + bad, &s, &n)) {
		if (tl_rrc_numbers(s, n, k, 1, v, &rest, &restn, &field, &col) != TL_NUM_OK) {
			bad++;
			continue;
		}
		double c;
		int has;
		const char *t;
		size_t tn;
		split_tail(rest, restn, 0, &c, &has, &t, &tn); /* the strict grammar decides */
		/* With k = 4 a quad line also starts with 4 numbers: refuse more numbers. */
		if (t && k == 4 && tn && tl_parse_num(t, first_field(t, tn), 1, &c) == TL_NUM_OK)
			bad++;
		else if (!rest || has)
			good++;
		/* coordinates and a text: an end-to-end result, or ground truth — neutral */
	}
	int named = !strncmp(tl_basename(name), "res_", 4);
	if (good && !bad)
		return (k == 8 ? 75 : 65) + (named ? 10 : 0);
	if (!good && !bad && len < 8 && named)
		return k == 8 ? 15 : 0; /* an empty result file: no detections */
	return 0;
}

static int probe_quad(const char *name, const char *data, size_t len)
{
	return probe_k(name, data, len, 8);
}

static int probe_ltrb(const char *name, const char *data, size_t len)
{
	return probe_k(name, data, len, 4);
}

static int read_k(tl_dataset *ds, const char *path, const char *data, size_t len,
		  const tl_read_opts *o, tl_diags *d, size_t k)
{
	tl_image *im = tl_begin_image(ds, path, res_prefixes);
	if (!im)
		return TL_E_NOMEM;
	tl_line_reader lr;
	tl_line_reader_init(&lr, data, len, path, o->lenient, d);
	double v[8];
	while (tl_line_reader_coords(&lr, k, v)) {
		if (k == 4) {
			/* LTRB grammar: xmax, ymax unsigned; max >= min. */
			const char *s = lr.s, *f = s;
			for (int i = 0; i < 3; i++)
				f = (const char *)memchr(f, ',', (size_t)(s + lr.n - f)) + 1;
			const char *g = f;
			while (*g == ' ' || *g == '\t')
				g++;
			if (!o->lenient && (v[2] < 0 || v[3] < 0 || *g == '-')) {
				tl_diags_add(d, TL_ERROR, path, lr.it.lineno, (long)(f - s) + 1,
					     "bad-number", "xmax and ymax must not be negative");
				lr.bad = 1;
				continue;
			}
			if (!tl_line_reader_check_rect(&lr, v))
				continue;
		}
		double conf = 0;
		int has_conf;
		const char *text;
		size_t textn;
		split_tail(lr.rest, lr.restn, o->lenient, &conf, &has_conf, &text, &textn);
		tl_region *r = tl_line_reader_region(&lr, ds, im);
		if (!r)
			return TL_E_LIMIT;
		if (k == 8)
			TL_TRY(tl_region_set_quad8(ds, r, v));
		else
			tl_region_set_ltrb(r, v, o->rect_inclusive);
		r->confidence = conf;
		r->has_confidence = has_conf;
		TL_TRY(tl_region_set_rrc_text(ds, r, text, textn));
	}
	return lr.bad ? TL_E_INPUT : TL_OK;
}

static int read_quad(tl_dataset *ds, const char *path, const char *data, size_t len,
		     const tl_read_opts *o, tl_diags *d)
{
	return read_k(ds, path, data, len, o, d, 8);
}

static int read_ltrb(tl_dataset *ds, const char *path, const char *data, size_t len,
		     const tl_read_opts *o, tl_diags *d)
{
	return read_k(ds, path, data, len, o, d, 4);
}

/* A confidence in fixed notation (the RRC grammar has no exponent), as short as
 * reads back exactly. */
static int put_conf(tl_buf *out, double c)
{
	/* fixed notation of a tiny value needs up to ~330 digits */
	char tmp[400];
	if (!(c > -1e15 && c < 1e15))
		return tl_buf_num(out, c); /* no reader gives these; never truncate */
	for (int prec = 1; prec <= 340; prec++) {
		snprintf(tmp, sizeof tmp, "%.*f", prec, c);
		if (strtod(tmp, NULL) == c)
			break;
	}
	/* trim trailing zeros of "0.500" but keep "1.0" -> "1" readable */
	size_t n = strlen(tmp);
	if (memchr(tmp, '.', n)) {
		while (n > 1 && tmp[n - 1] == '0')
			n--;
		if (tmp[n - 1] == '.')
			n--;
	}
	return tl_buf_append(out, tmp, n);
}

static int write_k(const tl_image *im, tl_buf *out, const tl_write_opts *o, tl_diags *d,
		   size_t k)
{
	int bad = 0;
	for (size_t i = 0; i < im->nregions; i++) {
		const tl_region *r = &im->regions[i];
		if (k == 8) {
			tl_point p[4];
			if (!tl_quad_points(r, i, im->name, "RRC results hold", d, p)) {
				bad = 1;
				continue;
			}
			TL_TRY(tl_put_int_points(out, p, 4, 0));
		} else {
			tl_rect b = r->geom.rect;
			if (r->geom.shape != TL_SHAPE_RECT) {
				tl_point p[64];
				size_t n = tl_geom_points(&r->geom, p, 64);
				if (n > 64 || n == 0) {
					tl_diags_add(d, TL_ERROR, im->name, 0, 0, "shape",
						     "region %zu is not a rectangle (convert with "
						     "--shape rect)", i + 1);
					bad = 1;
					continue;
				}
				b = tl_bounding_rect(p, n);
			}
			double inc = o && o->rect_inclusive ? 1 : 0;
			tl_point lt[2] = { { b.l, b.t }, { b.r - inc, b.b - inc } };
			TL_TRY(tl_put_int_points(out, lt, 2, 0));
		}
		if (r->has_confidence) {
			TL_TRY(tl_buf_append(out, ",", 1));
			TL_TRY(put_conf(out, r->confidence));
		}
		if (r->text[0]) {
			TL_TRY(tl_buf_append(out, ",", 1));
			/* Quote a text that would read back as a confidence. */
			double c;
			const char *t = r->text;
			int numeric = tl_parse_num(t, first_field(t, strlen(t)), 1, &c) == TL_NUM_OK;
			TL_TRY(tl_put_line_text(out, t, numeric));
		}
		TL_TRY(tl_buf_append(out, "\n", 1));
	}
	return bad ? TL_E_INPUT : TL_OK;
}

static int write_quad(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		      const tl_write_opts *o, tl_diags *d)
{
	(void)ds;
	return write_k(im, out, o, d, 8);
}

static int write_ltrb(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		      const tl_write_opts *o, tl_diags *d)
{
	(void)ds;
	return write_k(im, out, o, d, 4);
}

static int file_for_image(const char *image, tl_buf *out)
{
	return tl_name_from_image(image, "res_", ".txt", out);
}

static int image_for_file(const char *file, tl_buf *out)
{
	return tl_image_from_name(file, res_prefixes, out);
}

const tl_format tl_fmt_rrc = {
	.name = "rrc",
	.summary = "RRC result files: res_img_N.txt, x1,y1,...,x4,y4[,confidence][,text]",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_INT_COORDS | TL_FMT_CONFIDENCE | TL_FMT_NO_DC |
		 TL_FMT_ONE_LINE,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD),
	.probe = probe_quad,
	.read = read_quad,
	.write = write_quad,
	.file_for_image = file_for_image,
	.image_for_file = image_for_file,
};

const tl_format tl_fmt_rrc_ltrb = {
	.name = "rrc-ltrb",
	.summary = "RRC result files, LTRB variant: xmin,ymin,xmax,ymax[,confidence][,text]",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_INT_COORDS | TL_FMT_CONFIDENCE | TL_FMT_NO_DC |
		 TL_FMT_ONE_LINE,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_RECT),
	.probe = probe_ltrb,
	.read = read_ltrb,
	.write = write_ltrb,
	.file_for_image = file_for_image,
	.image_for_file = image_for_file,
};
