/* doctr.c — docTR detection `labels.json` (formats.md §4.21): one JSON for a folder,
 * {"<image file>": {"img_dimensions": [H, W], "img_hash": "<sha256>",
 *  "polygons": [[[x,y] x 4], ...]  or  {"<class>": [polygons], ...}}}.
 * Absolute pixels. The order inside img_dimensions is not documented beyond the
 * README's example; this reader takes [height, width] and keeps the pair as read in
 * `extra` so a round trip never swaps it. The multi-class form puts the class name
 * in each region's `extra` ("class"). docTR has no transcriptions and no don't care. */
#include "tl_internal.h"
#include "ds6util.h"

static int add_polys(tl_dataset *ds, tl_image *im, const cJSON *list, const char *cls,
		     const char *path, int *bad, tl_diags *d)
{
	size_t k = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, list) {
		tl_point *p;
		size_t n;
		int g = ds6_json_pairs(ds, e, &p, &n);
		if (g == TL_E_NOMEM)
			return g;
		if (g || n < 3) {
			tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-geometry",
				     "\"%s\" polygon %zu: needs at least 3 [x,y] points", im->name, k++);
			*bad = 1;
			continue;
		}
		tl_region *r = tl_image_add_region(ds, im);
		if (!r)
			return TL_E_NOMEM;
		ds6_set_poly(r, p, n);
		if (cls) {
			cJSON *x = cJSON_CreateObject();
			char *s = x && cJSON_AddStringToObject(x, "class", cls) ? cJSON_PrintUnformatted(x)
									      : NULL;
			cJSON_Delete(x);
			r->extra = s ? tl_dataset_strdup(ds, s) : NULL;
			cJSON_free(s);
			if (!r->extra)
				return TL_E_NOMEM;
		}
		k++;
	}
	return TL_OK;
}

static int doctr_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		      const tl_read_opts *o, tl_diags *d)
{
	cJSON *root = ds6_json_parse(path, data, len, d);
	if (!root)
		return TL_E_INPUT;
	if (!cJSON_IsObject(root)) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
			     "expected an object mapping image names to records");
		cJSON_Delete(root);
		return TL_E_INPUT;
	}
	static const char *const known[] = { "polygons", NULL };
	int rc = TL_OK, bad = 0, nomem = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, root) {
		const cJSON *polys = cJSON_GetObjectItemCaseSensitive(e, "polygons");
		if (!cJSON_IsObject(e) || !(cJSON_IsArray(polys) || cJSON_IsObject(polys))) {
			tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
				     "\"%s\": expected {img_dimensions, img_hash, polygons}",
				     e->string ? e->string : "");
			bad = 1;
			continue;
		}
		tl_image *im = tl_dataset_add_image(ds, e->string ? e->string : "");
		if (!im || !(im->source = tl_dataset_strdup(ds, path))) {
			rc = TL_E_NOMEM;
			break;
		}
		const cJSON *dim = cJSON_GetObjectItemCaseSensitive(e, "img_dimensions");
		if (cJSON_IsArray(dim) && cJSON_GetArraySize(dim) == 2) {
			const cJSON *h = cJSON_GetArrayItem(dim, 0), *w = cJSON_GetArrayItem(dim, 1);
			if (cJSON_IsNumber(h) && h->valuedouble >= 0 && h->valuedouble <= 1e9)
				im->height = (int)h->valuedouble;
			if (cJSON_IsNumber(w) && w->valuedouble >= 0 && w->valuedouble <= 1e9)
				im->width = (int)w->valuedouble;
		}
		im->extra = ds6_json_extra(ds, e, known, &nomem);
		if (cJSON_IsArray(polys)) {
			rc = add_polys(ds, im, polys, NULL, path, &bad, d);
		} else {
			const cJSON *c;
			cJSON_ArrayForEach(c, polys)
				if (!rc)
					rc = add_polys(ds, im, c, c->string ? c->string : "", path, &bad, d);
		}
		if (rc)
			break;
	}
	cJSON_Delete(root);
	if (nomem)
		rc = TL_E_NOMEM;
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int doctr_write(const tl_dataset *ds, const tl_image *one, tl_buf *out,
		       const tl_write_opts *o, tl_diags *d)
{
	int keep = ds6_same(ds, "doctr");
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return TL_E_NOMEM;
	for (size_t i = 0; i < ds->nimages; i++) {
		const tl_image *im = &ds->images[i];
		cJSON *e = cJSON_CreateObject(), *polys;
		double hw[2] = { im->height, im->width };
		if (!e || !cJSON_AddItemToObject(root, im->name, e))
			goto oom_e;
		if (keep && ds6_json_add_extra(e, im->extra))
			goto oom;
		if (!keep && !cJSON_GetObjectItemCaseSensitive(e, "img_dimensions") &&
		    !cJSON_AddItemToObject(e, "img_dimensions", cJSON_CreateDoubleArray(hw, 2)))
			goto oom;
		/* classes, when any region carries one, select the multi-class form */
		int classes = 0;
		for (size_t k = 0; keep && k < im->nregions && !classes; k++) {
			cJSON *c = ds6_extra_get(im->regions[k].extra, "class");
			classes = cJSON_IsString(c);
			cJSON_Delete(c);
		}
		polys = classes ? cJSON_AddObjectToObject(e, "polygons")
				: cJSON_AddArrayToObject(e, "polygons");
		if (!polys)
			goto oom;
		for (size_t k = 0; k < im->nregions; k++) {
			const tl_region *r = &im->regions[k];
			tl_point buf[4];
			const tl_point *p;
			size_t n = ds6_points(r, buf, &p);
			if (!n)
				continue;
			cJSON *list = polys;
			if (classes) {
				cJSON *c = ds6_extra_get(r->extra, "class");
				const char *cls = cJSON_IsString(c) ? c->valuestring : "words";
				list = cJSON_GetObjectItemCaseSensitive(polys, cls);
				if (!list)
					list = cJSON_AddArrayToObject(polys, cls);
				cJSON_Delete(c);
				if (!list)
					goto oom;
			}
			if (!cJSON_AddItemToArray(list, ds6_json_pairs_new(p, n)))
				goto oom;
		}
		continue;
oom_e:
		cJSON_Delete(e);
		goto oom;
	}
	return ds6_json_emit(root, out, 0);
oom:
	cJSON_Delete(root);
	return TL_E_NOMEM;
}

static int doctr_probe(const char *name, const char *data, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	return memmem(data, n, "\"polygons\"", 10) && (memmem(data, n, "\"img_dimensions\"", 16) ||
							memmem(data, n, "\"img_hash\"", 10)) ? 90 : 0;
}

const tl_format tl_fmt_doctr = {
	.name = "doctr",
	.summary = "docTR detection labels.json {image: {img_dimensions, img_hash, polygons}}",
	.flags = TL_FMT_NO_TEXT | TL_FMT_NO_DC,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = doctr_probe,
	.read = doctr_read,
	.write = doctr_write,
};
