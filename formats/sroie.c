/* sroie.c — SROIE 2019 word boxes, `box/NNN.csv` next to `img/NNN.jpg`
 * (formats.md §4.22): `x1,y1,x2,y2,x3,y3,x4,y4,text` per line, the text raw (no
 * quoting; it holds commas and double quotes freely), mixed LF/CRLF. The dataset
 * defines no don't-care marker; `###` is read and written as one so that ICDAR
 * data survives a round trip. */
#include "tl_internal.h"
#include "ds6util.h"

static int sroie_image_for_file(const char *file, tl_buf *out)
{
	TL_TRY(ds6_stem(file, out));
	return tl_buf_puts(out, ".jpg");
}

static int sroie_file_for_image(const char *image, tl_buf *out)
{
	TL_TRY(ds6_image_stem(image, out));
	return tl_buf_puts(out, ".csv");
}

static int sroie_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		      const tl_read_opts *o, tl_diags *d)
{
	tl_buf name = TL_BUF_INIT;
	if (sroie_image_for_file(path, &name)) {
		tl_buf_free(&name);
		return TL_E_NOMEM;
	}
	tl_image *im = tl_dataset_add_image(ds, name.data);
	tl_buf_free(&name);
	if (!im || !(im->source = tl_dataset_strdup(ds, path)))
		return TL_E_NOMEM;
	ds6_lines it;
	const char *s, *rest;
	size_t n;
	ds6_nums v = { 0 };
	int bad = 0, rc = TL_OK;
	ds6_lines_init(&it, data, len);
	while (ds6_lines_next(&it, &s, &n)) {
		if (n == 0 || (o && o->lenient && ds6_blank(s, n)))
			continue;
		if ((rc = ds6_csv_nums(s, n, 8, &v, &rest)))
			break;
		if (v.n < 8) {
			tl_diags_add(d, TL_ERROR, path, it.no, 1, "bad-syntax",
				     "expected 8 coordinates then the text, found %zu numbers",
				     v.n);
			bad = 1;
			continue;
		}
		tl_region *r = tl_image_add_region(ds, im);
		tl_point *pts = r ? tl_dataset_points(ds, 4) : NULL;
		if (!pts) {
			rc = TL_E_NOMEM;
			break;
		}
		for (int i = 0; i < 4; i++)
			pts[i] = (tl_point){ v.v[2 * i], v.v[2 * i + 1] };
		ds6_set_poly(r, pts, 4);
		int badtext = 0;
		r->text = ds6_text(ds, rest ? rest : "", rest ? (size_t)(s + n - rest) : 0, &badtext);
		if (!r->text) {
			rc = TL_E_NOMEM;
			break;
		}
		r->dontcare = !strcmp(r->text, "###");
		r->line = it.no;
		if (badtext)
			tl_diags_add(d, TL_WARNING, path, it.no, 1, "bad-utf8",
				     "invalid UTF-8 in the text replaced by U+FFFD (try latin1)");
	}
	free(v.v);
	return rc != TL_OK ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int sroie_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		       const tl_write_opts *o, tl_diags *d)
{
	if (!im)
		return TL_E_USAGE;
	int nl = 0, lossy = 0;
	for (size_t i = 0; i < im->nregions; i++) {
		const tl_region *r = &im->regions[i];
		tl_point buf[4], q[4];
		const tl_point *p;
		size_t n = ds6_points(r, buf, &p);
		if (!n)
			continue;
		if (n != 4) {
			/* Only quadrilaterals fit: a polygon becomes its bounding box. */
			tl_rect b = ds6_bounds(p, n);
			q[0] = (tl_point){ b.l, b.t };
			q[1] = (tl_point){ b.r, b.t };
			q[2] = (tl_point){ b.r, b.b };
			q[3] = (tl_point){ b.l, b.b };
			p = q;
			lossy = 1;
		}
		for (int k = 0; k < 4; k++) {
			TL_TRY(ds6_put_num(out, p[k].x));
			TL_TRY(tl_buf_puts(out, ","));
			TL_TRY(ds6_put_num(out, p[k].y));
			TL_TRY(tl_buf_puts(out, ","));
		}
		TL_TRY(ds6_put_line_text(out, r->dontcare ? "###" : r->text, &nl));
		TL_TRY(tl_buf_puts(out, "\n"));
	}
	if (lossy)
		tl_diags_add(d, TL_WARNING, im->name, 0, 0, "lossy",
			     "sroie holds quadrilaterals: polygons written as their bounding box");
	return TL_OK;
}

static int sroie_probe(const char *name, const char *data, size_t len)
{
	/* The lines look like ICDAR 2015; only the .csv name tells them apart. */
	if (!tl_has_suffix(name, ".csv"))
		return 0;
	ds6_lines it;
	const char *s, *rest;
	size_t n;
	ds6_nums v = { 0 };
	int ok = 0, bad = 0;
	ds6_lines_init(&it, data, len);
	while (ok + bad < 20 && ds6_lines_next(&it, &s, &n)) {
		if (!n)
			continue;
		if (ds6_csv_nums(s, n, 8, &v, &rest))
			break;
		if (v.n == 8)
			ok++;
		else
			bad++;
	}
	free(v.v);
	return ok && !bad ? 80 : 0;
}

const tl_format tl_fmt_sroie = {
	.name = "sroie",
	.summary = "SROIE 2019 receipt word boxes box/NNN.csv: x1,y1,...,x4,y4,text",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_DC_TEXT | TL_FMT_ONE_LINE,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD),
	.probe = sroie_probe,
	.read = sroie_read,
	.write = sroie_write,
	.file_for_image = sroie_file_for_image,
	.image_for_file = sroie_image_for_file,
};
