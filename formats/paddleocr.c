/* paddleocr.c — PaddleOCR detection labels (formats.md §4.18): one text file per
 * split, one line per image: "<image path>\t<JSON array>", each element
 * {"transcription": str, "points": [[x, y], ...]} plus PPOCRLabel's "difficult" and
 * "key_cls" (kept, with any other field, in the region's extra). Don't care is the
 * transcription "###" or "*". Written as json.dumps(ensure_ascii=False) would. */
#include "tl_internal.h"
#include "text.h"

static const char *const dc_alt[] = { "*", NULL };

static int probe(const char *name, const char *data, size_t len)
{
	tl_lines it;
	tl_lines_init(&it, data, len);
	const char *s;
	size_t n;
	int good = 0, bad = 0;
	while (good + bad < 5 && tl_lines_next(&it, &s, &n)) {
		if (!n)
			continue;
		const char *t = memchr(s, '\t', n);
		if (t && t > s && t + 1 < s + n && t[1] == '[')
			good++;
		else
			bad++;
	}
	if (good && !bad)
		return 90;
	return good > bad ? 40 : 0;
}

static int read_line(tl_dataset *ds, const char *path, long lineno, const char *s, size_t n,
		     tl_diags *d)
{
	const char *t = memchr(s, '\t', n);
	if (!t) {
		tl_diags_add(d, TL_ERROR, path, lineno, 1, "field-count",
			     "expected an image path, a TAB and a JSON array");
		return TL_E_INPUT;
	}
	long jcol0 = (long)(t - s) + 2;
	long jl, jc;
	cJSON *arr = tl_json_parse(t + 1, (size_t)(s + n - t - 1), &jl, &jc);
	if (!arr) {
		tl_diags_add(d, TL_ERROR, path, lineno, jcol0 + jc - 1, "json", "invalid JSON");
		return TL_E_INPUT;
	}
	int rc = TL_OK;
	if (!cJSON_IsArray(arr)) {
		tl_diags_add(d, TL_ERROR, path, lineno, jcol0, "json-shape",
			     "the labels are not a JSON array");
		cJSON_Delete(arr);
		return TL_E_INPUT;
	}
	char *name = tl_dataset_strndup(ds, s, (size_t)(t - s));
	tl_image *im = name ? tl_dataset_add_image(ds, name) : NULL;
	if (!im || !(im->source = tl_dataset_strdup(ds, path))) {
		cJSON_Delete(arr);
		return name && ds->nimages < TL_MAX_IMAGES ? TL_E_NOMEM : TL_E_LIMIT;
	}
	size_t idx = 0;
	static const char *const known[] = { "transcription", "points", NULL };
	for (const cJSON *e = arr->child; e; e = e->next, idx++) {
		const cJSON *tr = cJSON_GetObjectItemCaseSensitive(e, "transcription");
		const cJSON *pts = cJSON_GetObjectItemCaseSensitive(e, "points");
		if (!cJSON_IsObject(e) || !cJSON_IsString(tr) || !pts) {
			tl_diags_add(d, TL_ERROR, path, lineno, jcol0, "json-shape",
				     "label %zu needs a \"transcription\" string and \"points\"",
				     idx + 1);
			rc = TL_E_INPUT;
			continue;
		}
		tl_point *p;
		size_t np;
		const char *why;
		int prc = tl_json_points(ds, pts, &p, &np, &why);
		if (prc == TL_E_NOMEM) {
			cJSON_Delete(arr);
			return prc;
		}
		if (prc == TL_OK && np < 3) {
			why = "fewer than 3 points";
			prc = TL_E_INPUT;
		}
		if (prc != TL_OK) {
			tl_diags_add(d, TL_ERROR, path, lineno, jcol0, "bad-points", "label %zu: %s",
				     idx + 1, why);
			rc = TL_E_INPUT;
			continue;
		}
		tl_region *r = tl_image_add_region(ds, im);
		if (!r) {
			tl_diags_add(d, TL_ERROR, path, lineno, 0, "limit", "too many labels");
			cJSON_Delete(arr);
			return TL_E_LIMIT;
		}
		r->geom.shape = np == 4 ? TL_SHAPE_QUAD : TL_SHAPE_POLY;
		r->geom.pts = p;
		r->geom.n = np;
		r->text = tl_dataset_strdup(ds, tr->valuestring);
		int nomem;
		r->extra = tl_json_extra(ds, e, known, &nomem);
		if (!r->text || nomem) {
			cJSON_Delete(arr);
			return TL_E_NOMEM;
		}
		r->dontcare = !strcmp(r->text, "###") || !strcmp(r->text, "*");
		r->line = lineno;
	}
	cJSON_Delete(arr);
	return rc;
}

static int read_(tl_dataset *ds, const char *path, const char *data, size_t len,
		 const tl_read_opts *o, tl_diags *d)
{
	tl_lines it;
	tl_lines_init(&it, data, len);
	const char *s;
	size_t n;
	int bad = 0;
	while (tl_lines_next(&it, &s, &n)) {
		if (!n || (o->lenient && tl_is_blank(s, n)))
			continue;
		int rc = read_line(ds, path, it.lineno, s, n, d);
		if (rc == TL_E_NOMEM || rc == TL_E_LIMIT)
			return rc;
		if (rc != TL_OK)
			bad = 1;
	}
	return bad ? TL_E_INPUT : TL_OK;
}

static int write_(const tl_dataset *ds, const tl_image *only, tl_buf *out,
		  const tl_write_opts *o, tl_diags *d)
{
	(void)o;
	(void)only;
	int same = tl_same_format(ds, "paddleocr");
	int bad = 0;
	for (size_t i = 0; i < ds->nimages; i++) {
		const tl_image *im = &ds->images[i];
		/* the path is the first field: a TAB or line break in it would break the line */
		if (strpbrk(im->name, "\t\r\n")) {
			tl_diags_add(d, TL_ERROR, im->name, 0, 0, "name",
				     "image name holds a TAB or line break");
			bad = 1;
			continue;
		}
		TL_TRY(tl_buf_puts(out, im->name));
		TL_TRY(tl_buf_puts(out, "\t["));
		int first = 1;
		for (size_t k = 0; k < im->nregions; k++) {
			const tl_region *r = &im->regions[k];
			tl_point small[4], *p;
			size_t n;
			int rc = tl_poly_points(r, k, im->name, d, small, &p, &n);
			if (rc == TL_E_INPUT) {
				bad = 1;
				continue;
			}
			TL_TRY(rc);
			rc = tl_buf_puts(out, first ? "{\"transcription\": "
							: ", {\"transcription\": ");
			first = 0;
			if (rc == TL_OK)
				rc = tl_buf_json_string(out, tl_dc_text(r, dc_alt));
			if (rc == TL_OK)
				rc = tl_buf_puts(out, ", \"points\": [");
			for (size_t j = 0; j < n && rc == TL_OK; j++) {
				rc = tl_buf_puts(out, j ? ", [" : "[");
				if (rc == TL_OK)
					rc = tl_buf_num(out, p[j].x);
				if (rc == TL_OK)
					rc = tl_buf_append(out, ", ", 2);
				if (rc == TL_OK)
					rc = tl_buf_num(out, p[j].y);
				if (rc == TL_OK)
					rc = tl_buf_append(out, "]", 1);
			}
			if (p != small)
				free(p);
			TL_TRY(rc);
			TL_TRY(tl_buf_append(out, "]", 1));
			TL_TRY(tl_json_put_members(out, same ? r->extra : NULL, ", ", NULL));
			TL_TRY(tl_buf_append(out, "}", 1));
		}
		TL_TRY(tl_buf_puts(out, "]\n"));
	}
	return bad ? TL_E_INPUT : TL_OK;
}

const tl_format tl_fmt_paddleocr = {
	.name = "paddleocr",
	.summary = "PaddleOCR detection labels: image path, TAB, JSON array of "
		   "{transcription, points}; ### or * = don't care",
	.flags = TL_FMT_DC_TEXT,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = probe,
	.read = read_,
	.write = write_,
};
