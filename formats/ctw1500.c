/* ctw1500.c — SCUT-CTW1500 (formats.md §4.12), three forms, one file per image:
 *
 *  "ctw1500"        absolute polygons `x1,y1,...,xn,yn[,####text]`: the test GT
 *                   with transcriptions (28 numbers, then `####` + text; `#######`
 *                   = don't care) and the detection files the official evaluation
 *                   reads (any even count, no text). Files NNNN.txt (the test GT's
 *                   000NNNN.txt is read as NNNN.jpg too).
 *  "ctw1500-legacy" the original text_label_curve files: 32 integers a line,
 *                   xmin,ymin,xmax,ymax then 14 offsets dx,dy from (xmin, ymin).
 *  "ctw1500-xml"    the training XML: <image file><box left top width height>
 *                   <label>text</label><segs>28 numbers</segs><pts x y/>...</box>.
 *                   The box attributes and the centre-line <pts> are kept in
 *                   `extra`; every training box is care (as mmocr reads them);
 *                   a label "###" (what the writer gives don't-care regions) is
 *                   don't care. */
#include "tl_internal.h"
#include "ds6util.h"
#include "text.h"    /* tl_source_base */
#include <math.h>    /* fabs */
#include <stdio.h>   /* snprintf */

/* ---- naming ---- */

static int ctw_image_for_file(const char *file, tl_buf *out)
{
	TL_TRY(ds6_stem(file, out));
	/* mmocr's test GT names 0042.jpg 0000042.txt: drop the extra zeros */
	if (out->len == 7 && !strncmp(out->data, "000", 3) &&
	    strspn(out->data, "0123456789") == 7) {
		memmove(out->data, out->data + 3, 5);
		out->len = 4;
	}
	return tl_buf_puts(out, ".jpg");
}

static int ctw_file_for_image(const char *image, tl_buf *out)
{
	TL_TRY(ds6_image_stem(image, out));
	return tl_buf_puts(out, ".txt");
}

static int xml_file_for_image(const char *image, tl_buf *out)
{
	TL_TRY(ds6_image_stem(image, out));
	return tl_buf_puts(out, ".xml");
}

static tl_image *begin(tl_dataset *ds, const char *path, const char *name)
{
	tl_buf b = TL_BUF_INIT;
	int rc = name ? tl_buf_puts(&b, name) : ctw_image_for_file(path, &b);
	tl_image *im = rc ? NULL : tl_dataset_add_image(ds, b.data);
	tl_buf_free(&b);
	if (im && !(im->source = tl_dataset_strdup(ds, path)))
		return NULL;
	return im;
}

static int put_points_csv(tl_buf *out, const tl_point *p, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		TL_TRY(tl_buf_puts(out, k ? "," : ""));
		TL_TRY(ds6_put_num(out, p[k].x));
		TL_TRY(tl_buf_puts(out, ","));
		TL_TRY(ds6_put_num(out, p[k].y));
	}
	return TL_OK;
}

/* ---- "ctw1500": absolute polygons ---- */

static int ctw_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		    const tl_read_opts *o, tl_diags *d)
{
	tl_image *im = begin(ds, path, NULL);
	if (!im)
		return TL_E_NOMEM;
	ds6_lines it;
	const char *s, *rest;
	size_t n;
	ds6_nums v = { 0 };
	int rc = TL_OK, bad = 0;
	ds6_lines_init(&it, data, len);
	while (ds6_lines_next(&it, &s, &n)) {
		if (ds6_blank(s, n))
			continue;
		if ((rc = ds6_csv_nums(s, n, 2 * (size_t)TL_MAX_POINTS, &v, &rest)))
			break;
		if (v.n % 2 || v.n < 6) {
			tl_diags_add(d, TL_ERROR, path, it.no, 1, "bad-polygon",
				     "%zu coordinates (need an even number, at least 6)", v.n);
			bad = 1;
			continue;
		}
		const char *text = "";
		size_t tlen = 0;
		int has_text = 0;
		if (rest) {
			tlen = (size_t)(s + n - rest);
			if (tlen < 4 || memcmp(rest, "####", 4)) {
				tl_diags_add(d, TL_ERROR, path, it.no, (long)(rest - s) + 1,
					     "bad-syntax",
					     "the transcription field must start with ####");
				bad = 1;
				continue;
			}
			text = rest + 4;
			tlen -= 4;
			has_text = 1;
		}
		tl_region *r = tl_image_add_region(ds, im);
		tl_point *pts = r ? tl_dataset_points(ds, v.n / 2) : NULL;
		if (!pts || !(r->text = tl_dataset_strndup(ds, text, tlen))) {
			rc = TL_E_NOMEM;
			break;
		}
		for (size_t i = 0; i < v.n / 2; i++)
			pts[i] = (tl_point){ v.v[2 * i], v.v[2 * i + 1] };
		ds6_set_poly(r, pts, v.n / 2);
		r->dontcare = has_text && !strcmp(r->text, "###");
		r->line = it.no;
	}
	free(v.v);
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int ctw_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		     const tl_write_opts *o, tl_diags *d)
{
	if (!im)
		return TL_E_USAGE;
	for (size_t i = 0; i < im->nregions; i++) {
		const tl_region *r = &im->regions[i];
		tl_point buf[4];
		const tl_point *p;
		size_t n = ds6_points(r, buf, &p);
		if (!n)
			continue;
		TL_TRY(put_points_csv(out, p, n));
		if (r->dontcare || r->text[0]) {
			TL_TRY(tl_buf_puts(out, ",####"));
			TL_TRY(ds6_put_line_text(out, r->dontcare ? "###" : r->text, NULL));
		}
		TL_TRY(tl_buf_puts(out, "\n"));
	}
	return TL_OK;
}

/* ---- "ctw1500-legacy": box + 14 offsets ---- */

static int legacy_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		       const tl_read_opts *o, tl_diags *d)
{
	tl_image *im = begin(ds, path, NULL);
	if (!im)
		return TL_E_NOMEM;
	ds6_lines it;
	const char *s, *rest;
	size_t n;
	ds6_nums v = { 0 };
	int rc = TL_OK, bad = 0;
	ds6_lines_init(&it, data, len);
	while (ds6_lines_next(&it, &s, &n)) {
		if (ds6_blank(s, n))
			continue;
		if ((rc = ds6_csv_nums(s, n, 2 * (size_t)TL_MAX_POINTS, &v, &rest)))
			break;
		if (rest || v.n % 2 || v.n < 10) {
			tl_diags_add(d, TL_ERROR, path, it.no, 1, "bad-syntax",
				     "expected xmin,ymin,xmax,ymax and offset pairs (32 numbers), "
				     "found %zu numbers%s", v.n, rest ? " and text" : "");
			bad = 1;
			continue;
		}
		if (v.n != 32)
			tl_diags_add(d, TL_WARNING, path, it.no, 1, "point-count",
				     "%zu offset pairs (the dataset has 14)", (v.n - 4) / 2);
		size_t np = (v.n - 4) / 2;
		tl_region *r = tl_image_add_region(ds, im);
		tl_point *pts = r ? tl_dataset_points(ds, np) : NULL;
		if (!pts) {
			rc = TL_E_NOMEM;
			break;
		}
		for (size_t i = 0; i < np; i++)
			pts[i] = (tl_point){ v.v[0] + v.v[4 + 2 * i], v.v[1] + v.v[5 + 2 * i] };
		ds6_set_poly(r, pts, np);
		r->line = it.no;
		/* xmax, ymax are not implied by the offsets: keep them when they differ. */
		tl_rect b = ds6_bounds(pts, np);
		if (fabs(b.r - v.v[2]) > 1e-9 || fabs(b.b - v.v[3]) > 1e-9 ||
		    fabs(b.l - v.v[0]) > 1e-9 || fabs(b.t - v.v[1]) > 1e-9) {
			tl_buf x = TL_BUF_INIT;
			int e = tl_buf_puts(&x, "{\"box\":[");
			for (int k = 0; k < 4 && !e; k++) {
				e = ds6_put_num(&x, v.v[k]);
				if (!e)
					e = tl_buf_puts(&x, k < 3 ? "," : "]}");
			}
			r->extra = e ? NULL : tl_dataset_strdup(ds, x.data);
			tl_buf_free(&x);
			if (!r->extra) {
				rc = TL_E_NOMEM;
				break;
			}
		}
	}
	free(v.v);
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int legacy_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
			const tl_write_opts *o, tl_diags *d)
{
	if (!im)
		return TL_E_USAGE;
	int keep = ds6_same(ds, "ctw1500-legacy");
	size_t odd = 0;
	for (size_t i = 0; i < im->nregions; i++) {
		const tl_region *r = &im->regions[i];
		tl_point buf[4];
		const tl_point *p;
		size_t n = ds6_points(r, buf, &p);
		if (!n)
			continue;
		odd += n != 14;
		tl_rect b = ds6_bounds(p, n);
		double box[4] = { b.l, b.t, b.r, b.b };
		cJSON *x = keep ? ds6_extra_get(r->extra, "box") : NULL;
		if (cJSON_IsArray(x) && cJSON_GetArraySize(x) == 4)
			for (int k = 0; k < 4; k++) {
				const cJSON *e = cJSON_GetArrayItem(x, k);
				if (cJSON_IsNumber(e))
					box[k] = e->valuedouble;
			}
		cJSON_Delete(x);
		for (int k = 0; k < 4; k++) {
			TL_TRY(ds6_put_num(out, box[k]));
			TL_TRY(tl_buf_puts(out, ","));
		}
		for (size_t k = 0; k < n; k++) {
			TL_TRY(ds6_put_num(out, p[k].x - box[0]));
			TL_TRY(tl_buf_puts(out, ","));
			TL_TRY(ds6_put_num(out, p[k].y - box[1]));
			TL_TRY(tl_buf_puts(out, k + 1 < n ? "," : "\n"));
		}
	}
	if (odd)
		tl_diags_add(d, TL_WARNING, im->name, 0, 0, "point-count",
			     "%zu regions without the 14 points the CTW1500 tools expect", odd);
	return TL_OK;
}

/* ---- "ctw1500-xml" ---- */

/* Decodes the five XML entities and numeric references of s[0..n) into out. */
static int xml_text(tl_buf *out, const char *s, size_t n)
{
	out->len = 0;
	TL_TRY(tl_buf_puts(out, ""));
	for (size_t i = 0; i < n;) {
		if (s[i] != '&') {
			TL_TRY(tl_buf_append(out, s + i, 1));
			i++;
			continue;
		}
		const char *semi = memchr(s + i, ';', n - i);
		size_t k = semi ? (size_t)(semi - (s + i)) : 0;
		static const struct { const char *name; char c; } ents[] = {
			{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' }
		};
		int done = 0;
		for (size_t e = 0; semi && e < TL_ARRAY_LEN(ents) && !done; e++)
			if (k - 1 == strlen(ents[e].name) && !memcmp(s + i + 1, ents[e].name, k - 1)) {
				TL_TRY(tl_buf_append(out, &ents[e].c, 1));
				done = 1;
			}
		if (!done && semi && k >= 3 && k < 12 && s[i + 1] == '#') {
			char num[16];
			memcpy(num, s + i + 2, k - 2);
			num[k - 2] = 0;
			char *end;
			unsigned long cp = num[0] == 'x' ? strtoul(num + 1, &end, 16)
							 : strtoul(num, &end, 10);
			if (*end == 0 && cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
				char u[4];
				size_t un;
				if (cp < 0x80)
					u[0] = (char)cp, un = 1;
				else if (cp < 0x800)
					u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)),
					un = 2;
				else if (cp < 0x10000)
					u[0] = (char)(0xE0 | cp >> 12),
					u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
					u[2] = (char)(0x80 | (cp & 0x3F)), un = 3;
				else
					u[0] = (char)(0xF0 | cp >> 18),
					u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
					u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)),
					u[3] = (char)(0x80 | (cp & 0x3F)), un = 4;
				TL_TRY(tl_buf_append(out, u, un));
				done = 1;
			}
		}
		if (done) {
			i += k + 1;
		} else {
			TL_TRY(tl_buf_append(out, "&", 1));
			i++;
		}
	}
	return TL_OK;
}

static int xml_put(tl_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': TL_TRY(tl_buf_puts(b, "&amp;")); break;
		case '<': TL_TRY(tl_buf_puts(b, "&lt;")); break;
		case '>': TL_TRY(tl_buf_puts(b, "&gt;")); break;
		case '"': TL_TRY(tl_buf_puts(b, "&quot;")); break;
		default: TL_TRY(tl_buf_append(b, s, 1));
		}
	}
	return TL_OK;
}

/* A minimal scanner over the fixed CTW1500 vocabulary: finds the next tag named
 * name (as "<name" followed by space, '>' or '/') in [p, end). */
static const char *find_tag(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);
	while (p && p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		if (!lt)
			return NULL;
		if ((size_t)(end - lt) > n + 1 && !memcmp(lt + 1, name, n) &&
		    (lt[n + 1] == ' ' || lt[n + 1] == '>' || lt[n + 1] == '/' ||
		     lt[n + 1] == '\t' || lt[n + 1] == '\n' || lt[n + 1] == '\r'))
			return lt;
		p = lt + 1;
	}
	return NULL;
}

/* The end of the start tag at lt ('>' position) or NULL. */
static const char *tag_end(const char *lt, const char *end)
{
	const char *p = lt;
	char q = 0;
	for (; p < end; p++) {
		if (q) {
			if (*p == q)
				q = 0;
		} else if (*p == '"' || *p == '\'') {
			q = *p;
		} else if (*p == '>') {
			return p;
		}
	}
	return NULL;
}

/* Attribute value of name inside the start tag [lt, gt) into out; 1 if present. */
static int attr(const char *lt, const char *gt, const char *name, tl_buf *out)
{
	size_t n = strlen(name);
	for (const char *p = lt + 1; p + n + 2 < gt; p++) {
		if ((p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r') &&
		    !memcmp(p, name, n)) {
			const char *q = p + n;
			while (q < gt && (*q == ' ' || *q == '\t'))
				q++;
			if (q >= gt || *q != '=')
				continue;
			q++;
			while (q < gt && (*q == ' ' || *q == '\t'))
				q++;
			if (q >= gt || (*q != '"' && *q != '\''))
				continue;
			const char *v = q + 1, *e = memchr(v, *q, (size_t)(gt - v));
			if (!e)
				return 0;
			return xml_text(out, v, (size_t)(e - v)) == TL_OK;
		}
	}
	return 0;
}

/* Content of <name>...</name> inside [p, end) into out; 1 if found. */
static int element(const char *p, const char *end, const char *name, tl_buf *out)
{
	const char *lt = find_tag(p, end, name);
	if (!lt)
		return 0;
	const char *gt = tag_end(lt, end);
	if (!gt)
		return 0;
	if (gt[-1] == '/')
		return xml_text(out, "", 0) == TL_OK;
	char close[32];
	snprintf(close, sizeof close, "</%s>", name);
	const char *c = memmem(gt + 1, (size_t)(end - gt - 1), close, strlen(close));
	if (!c)
		return 0;
	return xml_text(out, gt + 1, (size_t)(c - gt - 1)) == TL_OK;
}

static int xml_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		    const tl_read_opts *o, tl_diags *d)
{
	const char *end = data + len;
	const char *img = find_tag(data, end, "image");
	const char *igt = img ? tag_end(img, end) : NULL;
	if (!igt) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure", "no <image> element");
		return TL_E_INPUT;
	}
	tl_buf file = TL_BUF_INIT, val = TL_BUF_INIT;
	int rc = TL_OK, bad = 0;
	tl_image *im = begin(ds, path, attr(img, igt, "file", &file) && file.len ? file.data
										: NULL);
	if (!im) {
		tl_buf_free(&file);
		return TL_E_NOMEM;
	}
	ds6_nums v = { 0 };
	const char *p = igt, *counted = data;
	size_t k = 0;
	long line = 1;
	for (const char *bx; (bx = find_tag(p, end, "box")); k++) {
		const char *bgt = tag_end(bx, end);
		const char *bend = bgt ? memmem(bgt, (size_t)(end - bgt), "</box>", 6) : NULL;
		for (; counted < bx; counted++)
			line += *counted == '\n';
		if (!bend) {
			tl_diags_add(d, TL_ERROR, path, line, 1, "bad-structure",
				     "<box> without </box>");
			bad = 1;
			break;
		}
		p = bend + 6;
		const char *rest;
		if (!element(bgt, bend, "segs", &val) ||
		    (rc = ds6_csv_nums(val.data, val.len, 2 * (size_t)TL_MAX_POINTS, &v, &rest)) ||
		    rest || v.n % 2 || v.n < 6) {
			if (rc)
				break;
			tl_diags_add(d, TL_ERROR, path, line, 1, "bad-polygon",
				     "box %zu: <segs> must hold an even number (at least 6) of "
				     "comma-separated coordinates", k);
			bad = 1;
			continue;
		}
		tl_region *r = tl_image_add_region(ds, im);
		tl_point *pts = r ? tl_dataset_points(ds, v.n / 2) : NULL;
		if (!pts) {
			rc = TL_E_NOMEM;
			break;
		}
		for (size_t i = 0; i < v.n / 2; i++)
			pts[i] = (tl_point){ v.v[2 * i], v.v[2 * i + 1] };
		ds6_set_poly(r, pts, v.n / 2);
		r->line = line;
		if (element(bgt, bend, "label", &val) && !(r->text = tl_dataset_strdup(ds, val.data))) {
			rc = TL_E_NOMEM;
			break;
		}
		/* the dataset's boxes are all care; ### is how a don't-care region from
		 * elsewhere is written, so it reads back as one */
		r->dontcare = !strcmp(r->text, "###");
		/* extra: the box attributes and the centre-line points, as JSON */
		cJSON *x = cJSON_CreateObject(), *pl = cJSON_CreateArray();
		static const char *const names[] = { "left", "top", "width", "height" };
		for (int a = 0; x && a < 4; a++) {
			double num;
			const char *q = val.data;
			if (attr(bx, bgt, names[a], &val) && (q = val.data) &&
			    ds6_num(&q, val.data + val.len, &num) && q == val.data + val.len)
				cJSON_AddNumberToObject(x, names[a], num);
		}
		for (const char *pt = bgt; pl && (pt = find_tag(pt, bend, "pts")); pt++) {
			const char *pg = tag_end(pt, bend);
			double px, py;
			const char *q;
			if (!pg)
				break;
			if (attr(pt, pg, "x", &val) && (q = val.data) &&
			    ds6_num(&q, val.data + val.len, &px) && attr(pt, pg, "y", &val) &&
			    (q = val.data) && ds6_num(&q, val.data + val.len, &py)) {
				double xy[2] = { px, py };
				cJSON_AddItemToArray(pl, cJSON_CreateDoubleArray(xy, 2));
			}
		}
		if (x && pl && cJSON_GetArraySize(pl))
			cJSON_AddItemToObject(x, "pts", pl);
		else
			cJSON_Delete(pl);
		char *txt = x && x->child ? cJSON_PrintUnformatted(x) : NULL;
		if (txt) {
			r->extra = tl_dataset_strdup(ds, txt);
			cJSON_free(txt);
		}
		cJSON_Delete(x);
	}
	free(v.v);
	tl_buf_free(&file);
	tl_buf_free(&val);
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int xml_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		     const tl_write_opts *o, tl_diags *d)
{
	if (!im)
		return TL_E_USAGE;
	int keep = ds6_same(ds, "ctw1500-xml");
	TL_TRY(tl_buf_puts(out, "<Annotations>\n  <image file=\""));
	TL_TRY(xml_put(out, im->name));
	TL_TRY(tl_buf_puts(out, "\">\n"));
	for (size_t i = 0; i < im->nregions; i++) {
		const tl_region *r = &im->regions[i];
		tl_point buf[4];
		const tl_point *p;
		size_t n = ds6_points(r, buf, &p);
		if (!n)
			continue;
		tl_rect b = ds6_bounds(p, n);
		/* the box attributes: computed, or with keep the ones that were read */
		double box[4] = { b.b - b.t, b.l, b.t, b.r - b.l };
		static const char *const names[] = { "height", "left", "top", "width" };
		TL_TRY(tl_buf_puts(out, "    <box"));
		for (int a = 0; a < 4; a++) {
			cJSON *x = keep ? ds6_extra_get(r->extra, names[a]) : NULL;
			int have = !keep || cJSON_IsNumber(x);
			if (cJSON_IsNumber(x))
				box[a] = x->valuedouble;
			cJSON_Delete(x);
			if (!have)
				continue;
			TL_TRY(tl_buf_printf(out, " %s=\"", names[a]));
			TL_TRY(ds6_put_num(out, box[a]));
			TL_TRY(tl_buf_puts(out, "\""));
		}
		TL_TRY(tl_buf_puts(out, ">\n      <label>"));
		TL_TRY(xml_put(out, r->dontcare ? "###" : r->text));
		TL_TRY(tl_buf_puts(out, "</label>\n      <segs>"));
		TL_TRY(put_points_csv(out, p, n));
		TL_TRY(tl_buf_puts(out, "</segs>\n"));
		cJSON *pl = keep ? ds6_extra_get(r->extra, "pts") : NULL, *e;
		cJSON_ArrayForEach(e, pl) {
			if (cJSON_GetArraySize(e) != 2)
				continue;
			TL_TRY(tl_buf_puts(out, "      <pts x=\""));
			TL_TRY(ds6_put_num(out, cJSON_GetArrayItem(e, 0)->valuedouble));
			TL_TRY(tl_buf_puts(out, "\" y=\""));
			TL_TRY(ds6_put_num(out, cJSON_GetArrayItem(e, 1)->valuedouble));
			TL_TRY(tl_buf_puts(out, "\" />\n"));
		}
		cJSON_Delete(pl);
		TL_TRY(tl_buf_puts(out, "    </box>\n"));
	}
	return tl_buf_puts(out, "  </image>\n</Annotations>\n");
}

/* ---- probes ---- */

static int ctw_probe(const char *name, const char *data, size_t len)
{
	ds6_lines it;
	const char *s, *rest;
	size_t n;
	ds6_nums v = { 0 };
	int lines = 0, hash = 0, long_poly = 0, bad = 0;
	ds6_lines_init(&it, data, len);
	while (lines < 30 && ds6_lines_next(&it, &s, &n)) {
		if (ds6_blank(s, n))
			continue;
		if (ds6_csv_nums(s, n, 4096, &v, &rest))
			break;
		lines++;
		if (v.n % 2 || v.n < 6 || (rest && (s + n - rest < 4 || memcmp(rest, "####", 4))))
			bad++;
		hash += rest != NULL;
		long_poly += v.n >= 20;
	}
	free(v.v);
	if (!lines || bad)
		return 0;
	if (hash)
		return 90;
	return long_poly == lines ? 55 : 0;
}

static int legacy_probe(const char *name, const char *data, size_t len)
{
	ds6_lines it;
	const char *s, *rest;
	size_t n;
	ds6_nums v = { 0 };
	int lines = 0, ok = 0;
	ds6_lines_init(&it, data, len);
	while (lines < 30 && ds6_lines_next(&it, &s, &n)) {
		if (ds6_blank(s, n))
			continue;
		if (ds6_csv_nums(s, n, 64, &v, &rest))
			break;
		lines++;
		/* offsets are small and non-negative, unlike absolute coordinates */
		int offs = !rest && v.n == 32 && v.v[2] >= v.v[0] && v.v[3] >= v.v[1];
		for (size_t i = 4; offs && i < 32; i += 2)
			offs = v.v[i] >= 0 && v.v[i] <= v.v[2] - v.v[0] + 1 && v.v[i + 1] >= 0 &&
			       v.v[i + 1] <= v.v[3] - v.v[1] + 1;
		ok += offs;
	}
	free(v.v);
	return lines && ok == lines ? 60 : 0;
}

static int xml_probe(const char *name, const char *data, size_t len)
{
	size_t n = len < 4096 ? len : 4096;
	return memmem(data, n, "<Annotations", 12) && memmem(data, len, "<segs>", 6) ? 95 : 0;
}

const tl_format tl_fmt_ctw1500 = {
	.name = "ctw1500",
	.summary = "SCUT-CTW1500 x1,y1,...,xn,yn[,####text] per line (test GT, detections)",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_DC_TEXT | TL_FMT_ONE_LINE,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = ctw_probe,
	.read = ctw_read,
	.write = ctw_write,
	.file_for_image = ctw_file_for_image,
	.image_for_file = ctw_image_for_file,
};

const tl_format tl_fmt_ctw1500_legacy = {
	.name = "ctw1500-legacy",
	.summary = "SCUT-CTW1500 text_label_curve: xmin,ymin,xmax,ymax + 14 offset pairs",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_NO_TEXT | TL_FMT_NO_DC,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = legacy_probe,
	.read = legacy_read,
	.write = legacy_write,
	.file_for_image = ctw_file_for_image,
	.image_for_file = ctw_image_for_file,
};

const tl_format tl_fmt_ctw1500_xml = {
	.name = "ctw1500-xml",
	.summary = "SCUT-CTW1500 training XML <image><box><label><segs>",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_DC_TEXT,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = xml_probe,
	.read = xml_read,
	.write = xml_write,
	.file_for_image = xml_file_for_image,
	.image_for_file = ctw_image_for_file,
};
