/* totaltext.c — Total-Text ground truth (formats.md §4.11).
 *
 * Two text forms, both one file per image:
 *  - "totaltext": the flattened comma form of DB/TIoU/CLEval redistributions,
 *    `x1,y1,...,xn,yn,text`, `###` = don't care, files `img<N>.jpg.txt`;
 *  - "totaltext-legacy": the original `x: [[X...]], y: [[Y...]], ornt: [u'O'],
 *    transcriptions: [u'T']` records (a record may wrap onto following lines),
 *    files `poly_gt_img<N>.txt`; orientation `#` = don't care.
 * Either reader accepts either form, so a folder of mixed files reads. Winding is
 * kept as read (the dataset mixes both). The .mat form is not read: its columns map
 * as x = 1, y = 3, transcription = 4, orientation = 5. */
#include "tl_internal.h"
#include "ds6util.h"
#include "text.h"     /* tl_source_base */
#include <stdio.h>   /* snprintf */

/* ---- naming ---- */

static int tt_image_for_file(const char *file, tl_buf *out)
{
	const char *b = tl_source_base(file);
	out->len = 0;
	size_t n = strlen(b);
	if (n > 4 && tl_has_suffix(b, ".txt"))
		n -= 4;
	const char *s = b;
	if (!strncmp(s, "poly_gt_", 8))
		s += 8, n -= 8;
	else if (!strncmp(s, "gt_", 3))
		s += 3, n -= 3;
	TL_TRY(tl_buf_append(out, s, n));
	/* "img1.jpg.txt" keeps its image extension; "poly_gt_img1.txt" gets .jpg */
	const char *dot = strrchr(out->data, '.');
	if (!dot)
		TL_TRY(tl_buf_puts(out, ".jpg"));
	return TL_OK;
}

static int tt_file_for_image(const char *image, tl_buf *out)
{
	out->len = 0;
	return tl_buf_printf(out, "%s.txt", tl_basename(image));
}

static int ttl_file_for_image(const char *image, tl_buf *out)
{
	TL_TRY(ds6_image_stem(image, out));
	tl_buf tmp = TL_BUF_INIT;
	int rc = tl_buf_printf(&tmp, "poly_gt_%s.txt", out->data);
	out->len = 0;
	if (rc == TL_OK)
		rc = tl_buf_puts(out, tmp.data);
	tl_buf_free(&tmp);
	return rc;
}

/* ---- legacy record parsing ---- */

static int skip_ws(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	return *p < end;
}

static int expect(const char **p, const char *end, const char *lit)
{
	skip_ws(p, end);
	size_t n = strlen(lit);
	if ((size_t)(end - *p) < n || memcmp(*p, lit, n))
		return 0;
	*p += n;
	return 1;
}

/* "[[ 1 2 3]]": whitespace-separated numbers (a comma between them is tolerated). */
static int num_list(const char **p, const char *end, ds6_nums *v)
{
	v->n = 0;
	if (!expect(p, end, "[["))
		return 0;
	for (;;) {
		skip_ws(p, end);
		if (expect(p, end, "]]"))
			return 1;
		double x;
		if (!ds6_num(p, end, &x) || v->n >= TL_MAX_POINTS)
			return 0;
		if (tl_grow((void **)&v->v, &v->cap, v->n + 1, sizeof *v->v))
			return -1;
		v->v[v->n++] = x;
		if (*p < end && **p == ',')
			(*p)++;
	}
}

static int put_utf8(tl_buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp >= 0xD800 && cp <= 0xDFFF)
		cp = 0xFFFD;
	if (cp < 0x80)
		u[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	else if (cp < 0x10000)
		u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
		u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	else
		u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	return tl_buf_append(b, u, n);
}

static int hexval(const char *s, int n, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
		else return 0;
	}
	*out = v;
	return 1;
}

/* A Python 2 literal u'...' or u"..." (the u optional) inside "[...]". */
static int py_string(const char **p, const char *end, tl_buf *out)
{
	out->len = 0;
	if (out->data)
		out->data[0] = 0;
	if (!expect(p, end, "["))
		return 0;
	skip_ws(p, end);
	if (*p < end && (**p == 'u' || **p == 'U'))
		(*p)++;
	if (*p >= end || (**p != '\'' && **p != '"'))
		return 0;
	char q = *(*p)++;
	while (*p < end && **p != q) {
		char c = *(*p)++;
		if (c != '\\') {
			if (tl_buf_append(out, &c, 1))
				return -1;
			continue;
		}
		if (*p >= end)
			return 0;
		c = *(*p)++;
		unsigned cp;
		int rc = 0;
		switch (c) {
		case 'n': rc = tl_buf_puts(out, "\n"); break;
		case 't': rc = tl_buf_puts(out, "\t"); break;
		case 'r': rc = tl_buf_puts(out, "\r"); break;
		case 'x':
			if (end - *p < 2 || !hexval(*p, 2, &cp))
				return 0;
			*p += 2;
			rc = put_utf8(out, cp);
			break;
		case 'u':
			if (end - *p < 4 || !hexval(*p, 4, &cp))
				return 0;
			*p += 4;
			rc = put_utf8(out, cp);
			break;
		default: rc = tl_buf_append(out, &c, 1); break;
		}
		if (rc)
			return -1;
	}
	if (*p >= end)
		return 0;
	(*p)++;
	if (!out->data && tl_buf_puts(out, ""))
		return -1;
	return expect(p, end, "]");
}

/* One legacy record; returns TL_OK, TL_E_INPUT (diag added) or TL_E_NOMEM. */
static int legacy_record(tl_dataset *ds, tl_image *im, const char *path, long line,
			 const char *s, size_t n, const tl_read_opts *o, tl_diags *d)
{
	const char *p = s, *end = s + n;
	ds6_nums xs = { 0 }, ys = { 0 };
	tl_buf ornt = TL_BUF_INIT, text = TL_BUF_INIT;
	int rc = TL_E_INPUT, r = 0;
	const char *what = "x: [[...]]";
	if (!expect(&p, end, "x:") || (r = num_list(&p, end, &xs)) <= 0)
		goto bad;
	what = "y: [[...]]";
	if (!expect(&p, end, ",") || !expect(&p, end, "y:") || (r = num_list(&p, end, &ys)) <= 0)
		goto bad;
	what = "ornt: [u'...']";
	if (!expect(&p, end, ",") || !expect(&p, end, "ornt:") || (r = py_string(&p, end, &ornt)) <= 0)
		goto bad;
	what = "transcriptions: [u'...']";
	if (!expect(&p, end, ",") || !expect(&p, end, "transcriptions:") ||
	    (r = py_string(&p, end, &text)) <= 0)
		goto bad;
	skip_ws(&p, end);
	if (p < end) {
		what = "end of record";
		r = 0;
		goto bad;
	}
	if (xs.n != ys.n || xs.n < 3) {
		tl_diags_add(d, TL_ERROR, path, line, 1, "bad-polygon",
			     "%zu x and %zu y coordinates (need the same number, at least 3)",
			     xs.n, ys.n);
		goto out;
	}
	rc = TL_E_NOMEM;
	tl_region *reg = tl_image_add_region(ds, im);
	tl_point *pts = tl_dataset_points(ds, xs.n);
	if (!reg || !pts)
		goto out;
	for (size_t i = 0; i < xs.n; i++)
		pts[i] = (tl_point){ xs.v[i], ys.v[i] };
	ds6_set_poly(reg, pts, xs.n);
	int badtext = 0;
	reg->text = ds6_text(ds, text.data, text.len, &badtext);
	reg->orient = tl_dataset_strdup(ds, ornt.data);
	if (!reg->text || !reg->orient)
		goto out;
	reg->line = line;
	reg->dontcare = !strcmp(ornt.data, "#") || !strcmp(text.data, "#");
	if (badtext)
		tl_diags_add(d, TL_WARNING, path, line, 1, "bad-utf8",
			     "invalid UTF-8 in the transcription replaced by U+FFFD");
	rc = TL_OK;
	goto out;
bad:
	if (r < 0) {
		rc = TL_E_NOMEM;
		goto out;
	}
	tl_diags_add(d, TL_ERROR, path, line, (long)(p - s) + 1, "bad-syntax",
		     "expected %s in a Total-Text record", what);
out:
	free(xs.v);
	free(ys.v);
	tl_buf_free(&ornt);
	tl_buf_free(&text);
	return rc;
}

static int is_legacy(const char *data, size_t len)
{
	ds6_lines it;
	const char *s;
	size_t n;
	ds6_lines_init(&it, data, len);
	while (ds6_lines_next(&it, &s, &n)) {
		if (ds6_blank(s, n))
			continue;
		const char *p = s;
		return expect(&p, s + n, "x:");
	}
	return 0;
}

static int read_legacy(tl_dataset *ds, tl_image *im, const char *path, const char *data,
		       size_t len, const tl_read_opts *o, tl_diags *d)
{
	ds6_lines it;
	const char *s;
	size_t n;
	tl_buf rec = TL_BUF_INIT;
	long recline = 0;
	int rc = TL_OK, bad = 0;
	ds6_lines_init(&it, data, len);
	for (;;) {
		int more = ds6_lines_next(&it, &s, &n);
		const char *p = s;
		int starts = more && expect(&p, s + n, "x:");
		if ((!more || starts) && rec.len) {
			int r = legacy_record(ds, im, path, recline, rec.data, rec.len, o, d);
			if (r == TL_E_NOMEM) {
				rc = r;
				break;
			}
			bad |= r != TL_OK;
			rec.len = 0;
		}
		if (!more)
			break;
		if (ds6_blank(s, n))
			continue;
		if (starts) {
			recline = it.no;
		} else if (!rec.len) {
			tl_diags_add(d, TL_ERROR, path, it.no, 1, "bad-syntax",
				     "a Total-Text record must start with 'x:'");
			bad = 1;
			continue;
		} else if (tl_buf_puts(&rec, " ")) {
			rc = TL_E_NOMEM;
			break;
		}
		if (rec.len + n > TL_MAX_LINE_BYTES || tl_buf_append(&rec, s, n)) {
			rc = rec.len + n > TL_MAX_LINE_BYTES ? TL_E_LIMIT : TL_E_NOMEM;
			break;
		}
	}
	tl_buf_free(&rec);
	return rc != TL_OK ? rc : bad ? TL_E_INPUT : TL_OK;
}

/* ---- flattened comma form ---- */

static int read_flat(tl_dataset *ds, tl_image *im, const char *path, const char *data,
		     size_t len, const tl_read_opts *o, tl_diags *d)
{
	ds6_lines it;
	const char *s;
	size_t n;
	ds6_nums v = { 0 };
	int rc = TL_OK, bad = 0;
	ds6_lines_init(&it, data, len);
	while (ds6_lines_next(&it, &s, &n)) {
		if (n == 0 || (o && o->lenient && ds6_blank(s, n)))
			continue;
		const char *rest;
		if ((rc = ds6_csv_nums(s, n, 2 * (size_t)TL_MAX_POINTS, &v, &rest)))
			break;
		const char *tstart = rest;
		size_t tlen = rest ? (size_t)(s + n - rest) : 0;
		size_t k = v.n;
		if (k % 2) {
			/* A numeric transcription ("2014") looks like one more coordinate. */
			const char *q = s;
			for (size_t c = 0; c + 1 < k; q++)
				if (*q == ',')
					c++;
			k--;
			tstart = q;
			tlen = (size_t)(s + n - q);
		}
		if (k < 6) {
			tl_diags_add(d, TL_ERROR, path, it.no, 1, "bad-polygon",
				     "%zu coordinates before the transcription (need an even "
				     "number, at least 6)", v.n);
			bad = 1;
			continue;
		}
		tl_region *r = tl_image_add_region(ds, im);
		tl_point *pts = r ? tl_dataset_points(ds, k / 2) : NULL;
		if (!pts) {
			rc = TL_E_NOMEM;
			break;
		}
		for (size_t i = 0; i < k / 2; i++)
			pts[i] = (tl_point){ v.v[2 * i], v.v[2 * i + 1] };
		ds6_set_poly(r, pts, k / 2);
		int badtext = 0;
		r->text = ds6_text(ds, tstart ? tstart : "", tlen, &badtext);
		/* a text in double quotes is unquoted by the RRC rule (formats.md §3.6): the
		 * writer quotes texts that would otherwise read as coordinates ("2,000") */
		if (r->text)
			r->text = tl_rrc_unquote(ds, r->text, strlen(r->text));
		if (!r->text) {
			rc = TL_E_NOMEM;
			break;
		}
		r->dontcare = !strcmp(r->text, "###");
		r->line = it.no;
		if (badtext)
			tl_diags_add(d, TL_WARNING, path, it.no, 1, "bad-utf8",
				     "invalid UTF-8 in the transcription replaced by U+FFFD");
	}
	free(v.v);
	return rc != TL_OK ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int tt_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		   const tl_read_opts *o, tl_diags *d)
{
	tl_buf name = TL_BUF_INIT;
	if (tt_image_for_file(path, &name)) {
		tl_buf_free(&name);
		return TL_E_NOMEM;
	}
	tl_image *im = tl_dataset_add_image(ds, name.data);
	tl_buf_free(&name);
	if (!im || !(im->source = tl_dataset_strdup(ds, path)))
		return TL_E_NOMEM;
	if (is_legacy(data, len))
		return read_legacy(ds, im, path, data, len, o, d);
	return read_flat(ds, im, path, data, len, o, d);
}

/* ---- writers ---- */

static int put_coord(tl_buf *b, double v) { return ds6_put_num(b, v); }

/* One region as a line of the flattened form: x1,y1,...,xn,yn,text. */
static int put_flat_line(tl_buf *out, const tl_region *r, const tl_point *p, size_t n)
{
	int nl = 0;
	for (size_t k = 0; k < n; k++) {
		TL_TRY(put_coord(out, p[k].x));
		TL_TRY(tl_buf_puts(out, ","));
		TL_TRY(put_coord(out, p[k].y));
		TL_TRY(tl_buf_puts(out, ","));
	}
	const char *t = r->dontcare ? "###" : r->text;
	/* A text that starts with two number fields ("2,000") would read as one
	 * more vertex, one in quotes would lose them: those go in RRC quotes. */
	ds6_nums tv = { 0 };
	const char *trest;
	int quote = tl_rrc_needs_quotes(t);
	if (!quote && !strpbrk(t, "\r\n")) {
		TL_TRY(ds6_csv_nums(t, strlen(t), 2, &tv, &trest));
		quote = tv.n >= 2;
		free(tv.v);
	}
	if (quote && !strpbrk(t, "\r\n"))
		TL_TRY(tl_rrc_put_quoted(out, t));
	else
		TL_TRY(ds6_put_line_text(out, t, &nl));
	return tl_buf_puts(out, "\n");
}

static int tt_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		    const tl_write_opts *o, tl_diags *d)
{
	if (!im)
		return TL_E_USAGE;
	for (size_t i = 0; i < im->nregions; i++) {
		const tl_region *r = &im->regions[i];
		tl_point buf[4];
		const tl_point *p;
		size_t n = ds6_points(r, buf, &p);
		if (n)
			TL_TRY(put_flat_line(out, r, p, n));
	}
	return TL_OK;
}

static int put_pystr(tl_buf *b, const char *s)
{
	/* Python 2 repr style: u'...' unless the text holds a quote, then u"...". */
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
	TL_TRY(tl_buf_printf(b, "[u%c", q));
	for (; *s; s++) {
		if (*s == '\\' || *s == q)
			TL_TRY(tl_buf_append(b, "\\", 1));
		if (*s == '\n')
			TL_TRY(tl_buf_puts(b, "\\n"));
		else if (*s == '\r')
			TL_TRY(tl_buf_puts(b, "\\r"));
		else
			TL_TRY(tl_buf_append(b, s, 1));
	}
	return tl_buf_printf(b, "%c]", q);
}

static int ttl_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		     const tl_write_opts *o, tl_diags *d)
{
	if (!im)
		return TL_E_USAGE;
	int keep = ds6_same(ds, "totaltext-legacy");
	for (size_t i = 0; i < im->nregions; i++) {
		const tl_region *r = &im->regions[i];
		tl_point buf[4];
		const tl_point *p;
		size_t n = ds6_points(r, buf, &p);
		if (!n)
			continue;
		/* Either reader reads either form: a region this format read from a file
		 * in the flattened form has no orientation, and goes back in that form
		 * rather than with an invented one. */
		if (keep && !r->orient) {
			TL_TRY(put_flat_line(out, r, p, n));
			continue;
		}
		TL_TRY(tl_buf_puts(out, "x: [["));
		for (size_t k = 0; k < n; k++) {
			TL_TRY(tl_buf_puts(out, k ? " " : ""));
			TL_TRY(put_coord(out, p[k].x));
		}
		TL_TRY(tl_buf_puts(out, "]], y: [["));
		for (size_t k = 0; k < n; k++) {
			TL_TRY(tl_buf_puts(out, k ? " " : ""));
			TL_TRY(put_coord(out, p[k].y));
		}
		TL_TRY(tl_buf_puts(out, "]], ornt: "));
		/* don't care is ornt '#' or text '#': keep what was read, mark the rest */
		const char *orn = r->orient, *txt = r->text;
		if (!orn || (!r->dontcare && !strcmp(orn, "#")))
			orn = n == 4 ? "h" : "c";
		if (r->dontcare && strcmp(orn, "#") && strcmp(txt, "#"))
			orn = "#";
		if (r->dontcare && !txt[0])
			txt = "#";
		TL_TRY(put_pystr(out, orn));
		TL_TRY(tl_buf_puts(out, ", transcriptions: "));
		TL_TRY(put_pystr(out, txt));
		TL_TRY(tl_buf_puts(out, "\n"));
	}
	return TL_OK;
}

/* ---- probes ---- */

static int tt_probe(const char *name, const char *data, size_t len)
{
	if (is_legacy(data, len))
		return 60;
	/* The flattened form is ICDAR-like text; claim it only by name or by polygons
	 * with other than 4 points, so ICDAR 2015 files stay with their reader. */
	ds6_lines it;
	const char *s, *rest;
	size_t n;
	ds6_nums v = { 0 };
	int lines = 0, poly = 0, bad = 0;
	ds6_lines_init(&it, data, len);
	while (lines < 50 && ds6_lines_next(&it, &s, &n)) {
		if (!n)
			continue;
		if (ds6_csv_nums(s, n, 4096, &v, &rest))
			break;
		size_t k = v.n & ~(size_t)1;
		lines++;
		if (k < 6)
			bad++;
		else if (k != 8)
			poly++;
	}
	free(v.v);
	if (!lines || bad)
		return 0;
	int named = ds6_name_is(name, "img", ".jpg.txt") || ds6_name_is(name, "gt_img", ".txt");
	return poly ? (named ? 70 : 45) : (named && !ds6_name_is(name, "gt_img", "") ? 35 : 0);
}

static int ttl_probe(const char *name, const char *data, size_t len)
{
	return is_legacy(data, len) ? 95 : 0;
}

const tl_format tl_fmt_totaltext = {
	.name = "totaltext",
	.summary = "Total-Text, flattened x1,y1,...,xn,yn,text per line (img<N>.jpg.txt)",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_DC_TEXT | TL_FMT_ONE_LINE,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = tt_probe,
	.read = tt_read,
	.write = tt_write,
	.file_for_image = tt_file_for_image,
	.image_for_file = tt_image_for_file,
};

const tl_format tl_fmt_totaltext_legacy = {
	.name = "totaltext-legacy",
	.summary = "Total-Text original x: [[...]], y: [[...]], ornt, transcriptions records",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_ORIENT,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = ttl_probe,
	.read = tt_read,
	.write = ttl_write,
	.file_for_image = ttl_file_for_image,
	.image_for_file = tt_image_for_file,
};
