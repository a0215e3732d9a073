/* textloc.c — the toolkit's own lossless form of the data model, JSON lines:
 *
 *   {"textloc": 1, "format": "<source format>", "extra": {...}}      (header)
 *   {"image": "img_1.jpg", "width": 1280, "height": 720, "extra": {...},
 *    "regions": [{"quad": [[x, y], ...], "text": "...", "dontcare": false,
 *                 "lang": "...", "orient": "...", "confidence": 0.9, "extra": {...}}]}
 *
 * The geometry member is named after its form: "rect": [l, t, r, b],
 * "rbox": [cx, cy, w, h, angle], "quad" or "poly": points. Numbers are written so
 * they read back exactly. The header keeps the source format's name so that the
 * `extra` fields still count as that format's when converted back to it. Used to
 * compare datasets (tests diff two dumps) and to pass a dataset between tools. */
#include "tl_internal.h"
#include "text.h"

static int probe(const char *name, const char *data, size_t len)
{
	(void)name;
	static const char head[] = "{\"textloc\":";
	return len >= sizeof head - 1 && !memcmp(data, head, sizeof head - 1) ? 100 : 0;
}

static int num_array(const cJSON *a, double *v, size_t n)
{
	if (!cJSON_IsArray(a) || (size_t)cJSON_GetArraySize(a) != n)
		return 0;
	size_t i = 0;
	for (const cJSON *e = a->child; e; e = e->next)
		if (!tl_json_finite(e, &v[i++]))
			return 0;
	return 1;
}

static char *opt_string(tl_dataset *ds, const cJSON *o, const char *name, int *nomem)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsString(e))
		return NULL;
	char *s = tl_dataset_strdup(ds, e->valuestring);
	if (!s)
		*nomem = 1;
	return s;
}

static char *opt_object(tl_dataset *ds, const cJSON *o, const char *name, int *nomem)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsObject(e))
		return NULL;
	return tl_json_extra(ds, e, NULL, nomem);
}

static int read_region(tl_dataset *ds, tl_image *im, const cJSON *rj, const char *path,
		       long lineno, tl_diags *d)
{
	tl_region *r = tl_image_add_region(ds, im);
	if (!r) {
		tl_diags_add(d, TL_ERROR, path, lineno, 0, "limit", "too many regions");
		return TL_E_LIMIT;
	}
	double v[5];
	const cJSON *g;
	const char *why = "no geometry (rect, rbox, quad or poly)";
	int rc = TL_E_INPUT;
	if ((g = cJSON_GetObjectItemCaseSensitive(rj, "rect"))) {
		why = "rect needs 4 finite numbers";
		if (num_array(g, v, 4)) {
			r->geom.shape = TL_SHAPE_RECT;
			r->geom.rect = (tl_rect){ v[0], v[1], v[2], v[3] };
			rc = TL_OK;
		}
	} else if ((g = cJSON_GetObjectItemCaseSensitive(rj, "rbox"))) {
		why = "rbox needs 5 finite numbers";
		if (num_array(g, v, 5)) {
			r->geom.shape = TL_SHAPE_RBOX;
			r->geom.rbox = (tl_rbox){ v[0], v[1], v[2], v[3], v[4] };
			rc = TL_OK;
		}
	} else if ((g = cJSON_GetObjectItemCaseSensitive(rj, "quad")) ||
		   (g = cJSON_GetObjectItemCaseSensitive(rj, "poly"))) {
		int quad = !strcmp(g->string, "quad");
		tl_point *p;
		size_t n;
		rc = tl_json_points(ds, g, &p, &n, &why);
		if (rc == TL_OK && (quad ? n != 4 : n < 1)) {
			why = quad ? "a quad has 4 points" : "a poly without points";
			rc = TL_E_INPUT;
		}
		if (rc == TL_OK) {
			r->geom.shape = quad ? TL_SHAPE_QUAD : TL_SHAPE_POLY;
			r->geom.pts = p;
			r->geom.n = n;
		}
	}
	if (rc == TL_E_NOMEM)
		return rc;
	if (rc != TL_OK) {
		im->nregions--; /* the region just added stays unused */
		tl_diags_add(d, TL_ERROR, path, lineno, 0, "bad-points", "image '%s': %s", im->name,
			     why);
		return TL_E_INPUT;
	}
	int nomem = 0;
	char *t = opt_string(ds, rj, "text", &nomem);
	r->text = t ? t : "";
	r->dontcare = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rj, "dontcare"));
	r->lang = opt_string(ds, rj, "lang", &nomem);
	r->orient = opt_string(ds, rj, "orient", &nomem);
	r->has_confidence =
		tl_json_finite(cJSON_GetObjectItemCaseSensitive(rj, "confidence"), &r->confidence);
	r->extra = opt_object(ds, rj, "extra", &nomem);
	r->line = lineno;
	return nomem ? TL_E_NOMEM : TL_OK;
}

static int read_(tl_dataset *ds, const char *path, const char *data, size_t len,
		 const tl_read_opts *o, tl_diags *d)
{
	(void)o;
	tl_lines it;
	tl_lines_init(&it, data, len);
	const char *s;
	size_t n;
	int bad = 0;
	while (tl_lines_next(&it, &s, &n)) {
		if (!n || tl_is_blank(s, n))
			continue;
		long jl, jc;
		cJSON *j = tl_json_parse(s, n, &jl, &jc);
		if (!j || !cJSON_IsObject(j)) {
			tl_diags_add(d, TL_ERROR, path, it.lineno, j ? 1 : jc, "json",
				     j ? "a line is not a JSON object" : "invalid JSON");
			cJSON_Delete(j);
			bad = 1;
			continue;
		}
		int nomem = 0, rc = TL_OK;
		const cJSON *e;
		if ((e = cJSON_GetObjectItemCaseSensitive(j, "textloc"))) {
			const tl_format *f = tl_format_find(
				cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "format")));
			if (f && !ds->format)
				ds->format = f->name;
			char *x = opt_object(ds, j, "extra", &nomem);
			if (x && !ds->extra)
				ds->extra = x;
		} else if (cJSON_IsString(e = cJSON_GetObjectItemCaseSensitive(j, "image"))) {
			tl_image *im = tl_dataset_add_image(ds, e->valuestring);
			if (!im) {
				cJSON_Delete(j);
				tl_diags_add(d, TL_ERROR, path, it.lineno, 0, "limit", "too many images");
				return TL_E_LIMIT;
			}
			double w = 0, h = 0;
			tl_json_finite(cJSON_GetObjectItemCaseSensitive(j, "width"), &w);
			tl_json_finite(cJSON_GetObjectItemCaseSensitive(j, "height"), &h);
			im->width = w > 0 && w < 1e9 ? (int)w : 0;
			im->height = h > 0 && h < 1e9 ? (int)h : 0;
			im->extra = opt_object(ds, j, "extra", &nomem);
			im->source = tl_dataset_strdup(ds, path);
			nomem |= !im->source;
			const cJSON *regs = cJSON_GetObjectItemCaseSensitive(j, "regions");
			for (const cJSON *r = cJSON_IsArray(regs) ? regs->child : NULL; r && !nomem;
			     r = r->next) {
				rc = read_region(ds, im, r, path, it.lineno, d);
				if (rc == TL_E_NOMEM)
					nomem = 1;
				else if (rc == TL_E_LIMIT)
					break;
				else if (rc != TL_OK)
					bad = 1;
			}
		} else {
			tl_diags_add(d, TL_ERROR, path, it.lineno, 1, "json-shape",
				     "expected an \"image\" or \"textloc\" member");
			bad = 1;
		}
		cJSON_Delete(j);
		if (nomem)
			return TL_E_NOMEM;
		if (rc == TL_E_LIMIT)
			return rc;
	}
	return bad ? TL_E_INPUT : TL_OK;
}

static int put_nums(tl_buf *b, const double *v, size_t n)
{
	TL_TRY(tl_buf_append(b, "[", 1));
	for (size_t i = 0; i < n; i++) {
		if (i)
			TL_TRY(tl_buf_append(b, ", ", 2));
		TL_TRY(tl_buf_num(b, v[i]));
	}
	return tl_buf_append(b, "]", 1);
}

static int put_extra(tl_buf *b, const char *extra)
{
	if (!extra)
		return TL_OK;
	TL_TRY(tl_buf_puts(b, ", \"extra\": {"));
	tl_buf m = TL_BUF_INIT;
	int rc = tl_json_put_members(&m, extra, ", ", NULL);
	/* members come with a leading ", " */
	if (rc == TL_OK && m.len >= 2)
		rc = tl_buf_append(b, m.data + 2, m.len - 2);
	tl_buf_free(&m);
	TL_TRY(rc);
	return tl_buf_append(b, "}", 1);
}

static int write_region(tl_buf *b, const tl_region *r)
{
	const tl_geom *g = &r->geom;
	switch (g->shape) {
	case TL_SHAPE_RECT: {
		double v[4] = { g->rect.l, g->rect.t, g->rect.r, g->rect.b };
		TL_TRY(tl_buf_puts(b, "{\"rect\": "));
		TL_TRY(put_nums(b, v, 4));
		break;
	}
	case TL_SHAPE_RBOX: {
		double v[5] = { g->rbox.cx, g->rbox.cy, g->rbox.w, g->rbox.h, g->rbox.angle };
		TL_TRY(tl_buf_puts(b, "{\"rbox\": "));
		TL_TRY(put_nums(b, v, 5));
		break;
	}
	default:
		TL_TRY(tl_buf_puts(b, g->shape == TL_SHAPE_QUAD ? "{\"quad\": [" : "{\"poly\": ["));
		for (size_t i = 0; i < g->n; i++) {
			double v[2] = { g->pts[i].x, g->pts[i].y };
			if (i)
				TL_TRY(tl_buf_append(b, ", ", 2));
			TL_TRY(put_nums(b, v, 2));
		}
		TL_TRY(tl_buf_append(b, "]", 1));
	}
	TL_TRY(tl_buf_puts(b, ", \"text\": "));
	TL_TRY(tl_buf_json_string(b, r->text));
	TL_TRY(tl_buf_puts(b, r->dontcare ? ", \"dontcare\": true" : ", \"dontcare\": false"));
	if (r->lang) {
		TL_TRY(tl_buf_puts(b, ", \"lang\": "));
		TL_TRY(tl_buf_json_string(b, r->lang));
	}
	if (r->orient) {
		TL_TRY(tl_buf_puts(b, ", \"orient\": "));
		TL_TRY(tl_buf_json_string(b, r->orient));
	}
	if (r->has_confidence) {
		TL_TRY(tl_buf_puts(b, ", \"confidence\": "));
		TL_TRY(tl_buf_num(b, r->confidence));
	}
	TL_TRY(put_extra(b, r->extra));
	return tl_buf_append(b, "}", 1);
}

static int write_(const tl_dataset *ds, const tl_image *only, tl_buf *b,
		  const tl_write_opts *o, tl_diags *d)
{
	(void)only;
	(void)o;
	(void)d;
	TL_TRY(tl_buf_puts(b, "{\"textloc\": 1"));
	if (ds->format) {
		TL_TRY(tl_buf_puts(b, ", \"format\": "));
		TL_TRY(tl_buf_json_string(b, ds->format));
	}
	TL_TRY(put_extra(b, ds->extra));
	TL_TRY(tl_buf_puts(b, "}\n"));
	for (size_t i = 0; i < ds->nimages; i++) {
		const tl_image *im = &ds->images[i];
		TL_TRY(tl_buf_puts(b, "{\"image\": "));
		TL_TRY(tl_buf_json_string(b, im->name));
		if (im->width > 0)
			TL_TRY(tl_buf_printf(b, ", \"width\": %d", im->width));
		if (im->height > 0)
			TL_TRY(tl_buf_printf(b, ", \"height\": %d", im->height));
		TL_TRY(put_extra(b, im->extra));
		TL_TRY(tl_buf_puts(b, ", \"regions\": ["));
		for (size_t k = 0; k < im->nregions; k++) {
			if (k)
				TL_TRY(tl_buf_append(b, ", ", 2));
			TL_TRY(write_region(b, &im->regions[k]));
		}
		TL_TRY(tl_buf_puts(b, "]}\n"));
	}
	return TL_OK;
}

const tl_format tl_fmt_textloc = {
	.name = "textloc",
	.summary = "textloc's own lossless JSON lines: every field of the data model",
	.flags = TL_FMT_CONFIDENCE | TL_FMT_LANG | TL_FMT_ORIENT | TL_FMT_ANY_EXTRA,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_RECT) | TL_SHAPE_BIT(TL_SHAPE_RBOX) |
		  TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = probe,
	.read = read_,
	.write = write_,
};
