/* wildreceipt.c — WildReceipt (mmocr KIE) JSON lines: one image a line,
 * {file_name, height, width, annotations: [{box: [8 numbers], text, label}]}.
 *
 * Winding: the dataset's boxes run bottom-left, bottom-right, top-right, top-left —
 * counter-clockwise on screen, the opposite of ICDAR. The reader reverses every box
 * so the model holds the ICDAR order (top-left, then clockwise) and conversions to
 * RRC-style formats pass their winding check; the writer reverses back, so a round
 * trip gives the file's own order. `label` (the key-information class, 0 = Ignore)
 * is kept in `extra`; it is not a don't-care marker for detection. The dataset has
 * no don't care; a text "###" is read and written as one (as in ICDAR files). */
#include "tl_internal.h"
#include "ds6util.h"

static const char *const img_known[] = { "file_name", "height", "width", "annotations", NULL };
static const char *const ann_known[] = { "box", "text", NULL };

static int wr_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		   const tl_read_opts *o, tl_diags *d)
{
	ds6_lines it;
	const char *s;
	size_t n;
	int bad = 0, nomem = 0;
	ds6_lines_init(&it, data, len);
	while (ds6_lines_next(&it, &s, &n)) {
		if (ds6_blank(s, n))
			continue;
		tl_diags tmp;
		tl_diags_init(&tmp);
		cJSON *e = ds6_json_parse(path, s, n, &tmp);
		long col = tmp.count ? tmp.items[0].col : 1;
		tl_diags_free(&tmp);
		if (!e) {
			tl_diags_add(d, TL_ERROR, path, it.no, col, "bad-json", "malformed JSON");
			bad = 1;
			continue;
		}
		const char *name = ds6_json_str(e, "file_name");
		const cJSON *anns = cJSON_GetObjectItemCaseSensitive(e, "annotations");
		if (!name || !cJSON_IsArray(anns)) {
			tl_diags_add(d, TL_ERROR, path, it.no, 1, "bad-structure",
				     "expected {\"file_name\": ..., \"annotations\": [...]}");
			bad = 1;
			cJSON_Delete(e);
			continue;
		}
		tl_image *im = tl_dataset_add_image(ds, name);
		if (!im || !(im->source = tl_dataset_strdup(ds, path))) {
			cJSON_Delete(e);
			return TL_E_NOMEM;
		}
		double v;
		if (ds6_json_num(e, "width", &v) && v >= 0 && v <= 1e9)
			im->width = (int)v;
		if (ds6_json_num(e, "height", &v) && v >= 0 && v <= 1e9)
			im->height = (int)v;
		im->extra = ds6_json_extra(ds, e, img_known, &nomem);
		const cJSON *a;
		size_t k = 0;
		cJSON_ArrayForEach(a, anns) {
			tl_point *p;
			size_t np;
			int g = ds6_json_flat(ds, cJSON_GetObjectItemCaseSensitive(a, "box"), &p, &np);
			if (g == TL_E_NOMEM) {
				cJSON_Delete(e);
				return g;
			}
			if (g || np < 3) {
				tl_diags_add(d, TL_ERROR, path, it.no, 1, "bad-geometry",
					     "annotations[%zu]: \"box\" must be a flat list of at "
					     "least 3 x,y pairs", k++);
				bad = 1;
				continue;
			}
			for (size_t i = 0; i < np / 2; i++) {
				tl_point t = p[i];
				p[i] = p[np - 1 - i];
				p[np - 1 - i] = t;
			}
			tl_region *r = tl_image_add_region(ds, im);
			if (!r) {
				cJSON_Delete(e);
				return TL_E_NOMEM;
			}
			ds6_set_poly(r, p, np);
			const char *t = ds6_json_str(a, "text");
			if (t && !(r->text = tl_dataset_strdup(ds, t)))
				nomem = 1;
			/* no don't care in the dataset; ### is how the writer marks one */
			r->dontcare = t && !strcmp(t, "###");
			r->extra = ds6_json_extra(ds, a, ann_known, &nomem);
			r->line = it.no;
			k++;
		}
		cJSON_Delete(e);
	}
	return nomem ? TL_E_NOMEM : bad ? TL_E_INPUT : TL_OK;
}

static int wr_write(const tl_dataset *ds, const tl_image *one, tl_buf *out,
		    const tl_write_opts *o, tl_diags *d)
{
	int keep = ds6_same(ds, "wildreceipt");
	for (size_t i = 0; i < ds->nimages; i++) {
		const tl_image *im = &ds->images[i];
		cJSON *ji = cJSON_CreateObject(), *anns = NULL;
		if (!ji || !cJSON_AddStringToObject(ji, "file_name", im->name) ||
		    !cJSON_AddNumberToObject(ji, "height", im->height) ||
		    !cJSON_AddNumberToObject(ji, "width", im->width) ||
		    !(anns = cJSON_AddArrayToObject(ji, "annotations")) ||
		    (keep && ds6_json_add_extra(ji, im->extra)))
			goto oom;
		for (size_t k = 0; k < im->nregions; k++) {
			const tl_region *r = &im->regions[k];
			tl_point buf[4];
			const tl_point *p;
			size_t n = ds6_points(r, buf, &p);
			if (!n)
				continue;
			tl_point *rev = malloc(n * sizeof *rev);
			if (!rev)
				goto oom;
			for (size_t j = 0; j < n; j++)
				rev[j] = p[n - 1 - j];
			cJSON *a = cJSON_CreateObject();
			int ok = a && cJSON_AddItemToArray(anns, a) &&
				 cJSON_AddItemToObject(a, "box", ds6_json_flat_new(rev, n)) &&
				 cJSON_AddStringToObject(a, "text", r->dontcare ? "###" : r->text) &&
				 (!keep || !ds6_json_add_extra(a, r->extra)) &&
				 (keep || cJSON_AddNumberToObject(a, "label", 0));
			free(rev);
			if (!ok)
				goto oom;
		}
		TL_TRY(ds6_json_emit(ji, out, 0));
		continue;
oom:
		cJSON_Delete(ji);
		return TL_E_NOMEM;
	}
	return TL_OK;
}

static int wr_probe(const char *name, const char *data, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	const char *nl = memchr(data, '\n', n);
	size_t first = nl ? (size_t)(nl - data) : n;
	if (!first || data[0] != '{')
		return 0;
	int fn = memmem(data, first, "\"file_name\"", 11) != NULL;
	int box = memmem(data, first, "\"box\"", 5) != NULL;
	int an = memmem(data, first, "\"annotations\"", 13) != NULL;
	return fn && box && an ? 85 : 0;
}

const tl_format tl_fmt_wildreceipt = {
	.name = "wildreceipt",
	.summary = "WildReceipt JSON lines {file_name, annotations: [{box, text, label}]}; "
		   "boxes wound BL,BR,TR,TL",
	.flags = TL_FMT_DC_TEXT,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = wr_probe,
	.read = wr_read,
	.write = wr_write,
};
