/* cocotext.c — COCO-Text v2 (`cocotext.v2.json`, formats.md §4.14) and the layout it
 * shares with TextOCR (§4.15, textocr.c):
 *
 *   {"imgs": {key: {id, file_name, width, height, set, ...}},
 *    "anns": {key: {id, image_id, bbox: [x,y,w,h], mask|points: [x1,y1,...],
 *                   utf8_string, legibility, language, class, area, ...}},
 *    "imgToAnns": {image key: [ann ids]}, "cats": {}, "info": {}}
 *
 * Images keep the order of "imgs"; each image's regions the order of "anns". The
 * polygon is the region; an annotation without a usable polygon (COCO-Text has a
 * few with fewer than 3 points) falls back to its bbox's 4 corners. Record keys travel
 * as "@id" in `extra`, with every field the data model has no slot for (bbox, area,
 * class, set ...), so a same-format round trip writes the same members back.
 * Don't care: COCO-Text legibility "illegible" (language "not english" is kept as the
 * region's language, not as don't care: which rule the RRC challenge used is not
 * documented); TextOCR utf8_string ".". */
#include "tl_internal.h"
#include "ds6util.h"
#include <math.h>    /* fabs */
#include <stdio.h>   /* snprintf */

typedef struct key_index { const char *key; size_t image; } key_index;

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const key_index *)a)->key, ((const key_index *)b)->key);
}

/* The id of a record as text (numbers without a fraction print as integers). */
static const char *id_text(const cJSON *v, char *buf, size_t size)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
		if (v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 1e15)
			snprintf(buf, size, "%.0f", v->valuedouble);
		else
			snprintf(buf, size, "%.17g", v->valuedouble);
		return buf;
	}
	return NULL;
}

/* extra of a record: unknown members plus "@id" = its key when that is not simply
 * its "id". */
static const char *record_extra(tl_dataset *ds, const cJSON *rec, const char *key,
				const char *const *known, int *nomem)
{
	cJSON *x = cJSON_CreateObject();
	const cJSON *e;
	char buf[40];
	const char *id = id_text(cJSON_GetObjectItemCaseSensitive(rec, "id"), buf, sizeof buf);
	if (!x)
		goto oom;
	if (key && (!id || strcmp(id, key)) && !cJSON_AddStringToObject(x, "@id", key))
		goto oom;
	cJSON_ArrayForEach(e, rec) {
		/* "@id" is the bookkeeping name of the key: a member of that name is dropped */
		int skip = !ds6_json_first(rec, e) || (e->string && !strcmp(e->string, "@id"));
		for (const char *const *k = known; *k && !skip; k++)
			skip = e->string && !strcmp(e->string, *k);
		if (skip)
			continue;
		cJSON *c = cJSON_Duplicate(e, 1);
		if (!c || !cJSON_AddItemToObject(x, e->string ? e->string : "", c)) {
			cJSON_Delete(c);
			goto oom;
		}
	}
	const char *s = NULL;
	if (x->child) {
		char *t = cJSON_PrintUnformatted(x);
		if (!t)
			goto oom;
		s = tl_dataset_strdup(ds, t);
		cJSON_free(t);
		if (!s)
			goto oom;
	}
	cJSON_Delete(x);
	return s;
oom:
	cJSON_Delete(x);
	*nomem = 1;
	return NULL;
}

static const char *const img_known[] = { "file_name", "width", "height", NULL };

int ds6_cocolike_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		      const ds6_cocolike *spec, tl_diags *d)
{
	cJSON *root = ds6_json_parse(path, data, len, d);
	if (!root)
		return TL_E_INPUT;
	const cJSON *imgs = cJSON_GetObjectItemCaseSensitive(root, "imgs");
	const cJSON *anns = cJSON_GetObjectItemCaseSensitive(root, "anns");
	if (!cJSON_IsObject(imgs) || !cJSON_IsObject(anns)) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
			     "expected \"imgs\" and \"anns\" objects");
		cJSON_Delete(root);
		return TL_E_INPUT;
	}
	const char *known_ann[8] = { spec->points, "utf8_string", "image_id", NULL };
	size_t nk = 3;
	if (spec->dc_illegible)
		known_ann[nk++] = "legibility";
	if (!strcmp(spec->points, "mask"))
		known_ann[nk++] = "language";
	known_ann[nk] = NULL;
	static const char *const top_known[] = { "imgs", "anns", "imgToAnns", NULL };
	int rc = TL_OK, bad = 0, nomem = 0;
	size_t nimg = (size_t)cJSON_GetArraySize(imgs), m = 0;
	key_index *ix = calloc(nimg ? nimg : 1, sizeof *ix);
	char *idbufs = calloc(nimg ? nimg : 1, 40);
	if (!ix || !idbufs) {
		free(ix);
		free(idbufs);
		cJSON_Delete(root);
		return TL_E_NOMEM;
	}
	const char *dsx = ds6_json_extra(ds, root, top_known, &nomem);
	if (dsx && !ds->extra)
		ds->extra = dsx;
	const cJSON *e;
	cJSON_ArrayForEach(e, imgs) {
		if (!cJSON_IsObject(e)) {
			tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
				     "imgs[\"%s\"] is not an object", e->string ? e->string : "");
			bad = 1;
			continue;
		}
		const char *fn = ds6_json_str(e, "file_name");
		tl_buf name = TL_BUF_INIT;
		int brc = fn ? tl_buf_puts(&name, fn)
			     : tl_buf_printf(&name, "%s.jpg", e->string ? e->string : "");
		tl_image *im = brc ? NULL : tl_dataset_add_image(ds, name.data);
		tl_buf_free(&name);
		if (!im || !(im->source = tl_dataset_strdup(ds, path))) {
			rc = TL_E_NOMEM;
			goto out;
		}
		double v;
		if (ds6_json_num(e, "width", &v) && v >= 0 && v <= 1e9)
			im->width = (int)v;
		if (ds6_json_num(e, "height", &v) && v >= 0 && v <= 1e9)
			im->height = (int)v;
		im->extra = record_extra(ds, e, e->string, img_known, &nomem);
		const char *id = id_text(cJSON_GetObjectItemCaseSensitive(e, "id"), idbufs + 40 * m,
					 40);
		ix[m].key = id ? id : e->string ? e->string : "";
		ix[m].image = ds->nimages - 1;
		m++;
	}
	qsort(ix, m, sizeof *ix, cmp_key);
	cJSON_ArrayForEach(e, anns) {
		const char *akey = e->string ? e->string : "";
		char buf[40];
		key_index want = { id_text(cJSON_GetObjectItemCaseSensitive(e, "image_id"), buf,
					   sizeof buf), 0 }, *hit = NULL;
		if (want.key)
			hit = bsearch(&want, ix, m, sizeof *ix, cmp_key);
		if (!hit) {
			tl_diags_add(d, TL_ERROR, path, 0, 0, "unknown-image",
				     "anns[\"%s\"]: image_id names no image of \"imgs\"", akey);
			bad = 1;
			continue;
		}
		tl_image *im = &ds->images[hit->image];
		tl_region *r = tl_image_add_region(ds, im);
		if (!r) {
			rc = TL_E_NOMEM;
			goto out;
		}
		tl_point *p;
		size_t n = 0;
		int g = ds6_json_flat(ds, cJSON_GetObjectItemCaseSensitive(e, spec->points), &p, &n);
		if (g == TL_E_NOMEM) {
			rc = g;
			goto out;
		}
		if (!g && n >= 3) {
			ds6_set_poly(r, p, n);
		} else {
			const cJSON *bb = cJSON_GetObjectItemCaseSensitive(e, "bbox");
			double b[4];
			int ok = cJSON_IsArray(bb) && cJSON_GetArraySize(bb) == 4;
			for (int i = 0; ok && i < 4; i++) {
				const cJSON *x = cJSON_GetArrayItem(bb, i);
				ok = cJSON_IsNumber(x) && isfinite(x->valuedouble);
				if (ok)
					b[i] = x->valuedouble;
			}
			if (!ok || b[2] < 0 || b[3] < 0) {
				tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-geometry",
					     "anns[\"%s\"]: neither a polygon \"%s\" of at least 3 "
					     "points nor a bbox [x,y,w,h]", akey, spec->points);
				bad = 1;
				im->nregions--;
				continue;
			}
			/* the box's corners stand in for the polygon (as mmocr reads them) */
			tl_point *q = tl_dataset_points(ds, 4);
			if (!q) {
				rc = TL_E_NOMEM;
				goto out;
			}
			q[0] = (tl_point){ b[0], b[1] };
			q[1] = (tl_point){ b[0] + b[2], b[1] };
			q[2] = (tl_point){ b[0] + b[2], b[1] + b[3] };
			q[3] = (tl_point){ b[0], b[1] + b[3] };
			ds6_set_poly(r, q, 4);
		}
		const char *t = ds6_json_str(e, "utf8_string");
		if (t && !(r->text = tl_dataset_strdup(ds, t)))
			nomem = 1;
		if (spec->dc_illegible) {
			const char *lg = ds6_json_str(e, "legibility");
			r->dontcare = lg && !strcmp(lg, "illegible");
		}
		if (spec->dc_dot)
			r->dontcare = t && !strcmp(t, ".");
		const char *lang = strcmp(spec->points, "mask") ? NULL : ds6_json_str(e, "language");
		if (lang && !(r->lang = tl_dataset_strdup(ds, lang)))
			nomem = 1;
		r->extra = record_extra(ds, e, akey, known_ann, &nomem);
	}
out:
	free(ix);
	free(idbufs);
	cJSON_Delete(root);
	if (nomem)
		rc = TL_E_NOMEM;
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

/* ---- writer ---- */

static cJSON *id_value(const ds6_cocolike *spec, const char *text, double num)
{
	if (spec->string_ids)
		return cJSON_CreateString(text);
	return cJSON_CreateNumber(num);
}

int ds6_cocolike_write(const tl_dataset *ds, tl_buf *out, const ds6_cocolike *spec,
		       tl_diags *d)
{
	int keep = ds6_same(ds, spec->name);
	cJSON *root = cJSON_CreateObject(), *imgs, *anns, *map;
	if (!root || !(imgs = cJSON_AddObjectToObject(root, "imgs")) ||
	    !(anns = cJSON_AddObjectToObject(root, "anns")) ||
	    !(map = cJSON_AddObjectToObject(root, "imgToAnns")))
		goto oom;
	if (keep && ds6_json_add_extra(root, ds->extra))
		goto oom;
	if (!spec->string_ids && !keep && !cJSON_GetObjectItemCaseSensitive(root, "cats") &&
	    (!cJSON_AddObjectToObject(root, "cats") || !cJSON_AddObjectToObject(root, "info")))
		goto oom;
	double next_ann = 1;
	size_t dc_replaced = 0;
	for (size_t i = 0; i < ds->nimages; i++) {
		const tl_image *im = &ds->images[i];
		cJSON *image_ref = NULL;
		cJSON *x = keep ? cJSON_Parse(im->extra ? im->extra : "{}") : NULL;
		cJSON *ji = cJSON_CreateObject(), *list;
		if (!ji)
			goto oom_x;
		/* the image id: kept, else its position (COCO-Text) or the file stem */
		char key[64];
		const cJSON *kid = cJSON_GetObjectItemCaseSensitive(x, "id");
		const cJSON *kat = cJSON_GetObjectItemCaseSensitive(x, "@id");
		char idb[40];
		const char *idt = id_text(kid, idb, sizeof idb);
		tl_buf stem = TL_BUF_INIT;
		if (ds6_image_stem(im->name, &stem)) {
			cJSON_Delete(ji);
			goto oom_x;
		}
		if (idt)
			snprintf(key, sizeof key, "%s", idt);
		else if (spec->string_ids)
			snprintf(key, sizeof key, "%s", stem.data);
		else
			snprintf(key, sizeof key, "%zu", i + 1);
		tl_buf_free(&stem);
		const char *okey = cJSON_IsString(kat) ? kat->valuestring : key;
		/* what the annotations call the image: its id, else (a kept record that had
		 * none) its key, as the reader matched them */
		image_ref = kid ? cJSON_Duplicate(kid, 1) : NULL;
		if (!image_ref) {
			char *e;
			double num = strtod(okey, &e);
			image_ref = keep && (spec->string_ids || *e || !*okey || strlen(okey) > 15)
				    ? cJSON_CreateString(okey)
				    : keep ? cJSON_CreateNumber(num) : id_value(spec, key, (double)(i + 1));
		}
		if (!cJSON_AddItemToObject(imgs, okey, ji)) {
			cJSON_Delete(ji);
			goto oom_x;
		}
		if (!kid && !keep && !cJSON_AddItemToObject(ji, "id", id_value(spec, key, (double)(i + 1))))
			goto oom_x;
		if (kid && !cJSON_AddItemToObject(ji, "id", cJSON_Duplicate(kid, 1)))
			goto oom_x;
		if (!cJSON_AddStringToObject(ji, "file_name", im->name) ||
		    !cJSON_AddNumberToObject(ji, "width", im->width) ||
		    !cJSON_AddNumberToObject(ji, "height", im->height))
			goto oom_x;
		if (x && ds6_json_add_extra(ji, im->extra) < 0)
			goto oom_x;
		cJSON_DeleteItemFromObjectCaseSensitive(ji, "@id");
		if (!(list = cJSON_AddArrayToObject(map, okey)))
			goto oom_x;
		for (size_t k = 0; k < im->nregions; k++) {
			const tl_region *r = &im->regions[k];
			tl_point buf[4];
			const tl_point *p;
			size_t n = ds6_points(r, buf, &p);
			if (!n)
				continue;
			cJSON *rx = keep ? cJSON_Parse(r->extra ? r->extra : "{}") : NULL;
			const cJSON *rid = cJSON_GetObjectItemCaseSensitive(rx, "id");
			const cJSON *rat = cJSON_GetObjectItemCaseSensitive(rx, "@id");
			char akey[96], ab[40];
			const char *ridt = id_text(rid, ab, sizeof ab);
			if (ridt)
				snprintf(akey, sizeof akey, "%s", ridt);
			else if (spec->string_ids)
				snprintf(akey, sizeof akey, "%s_%zu", key, k + 1);
			else
				snprintf(akey, sizeof akey, "%.0f", next_ann);
			if (rid && cJSON_IsNumber(rid) && rid->valuedouble >= next_ann)
				next_ann = rid->valuedouble + 1;
			else if (!rid)
				next_ann++;
			const char *oakey = cJSON_IsString(rat) ? rat->valuestring : akey;
			cJSON *a = cJSON_CreateObject();
			if (!a || !cJSON_AddItemToObject(anns, oakey, a)) {
				cJSON_Delete(a);
				cJSON_Delete(rx);
				goto oom_x;
			}
			tl_rect b = ds6_bounds(p, n);
			double bb[4] = { b.l, b.t, b.r - b.l, b.b - b.t };
			const char *text = r->dontcare && spec->dc_dot ? "." : r->text;
			dc_replaced += text != r->text && r->text[0] && strcmp(r->text, ".");
			int ok = (rid ? cJSON_AddItemToObject(a, "id", cJSON_Duplicate(rid, 1))
				      : keep || cJSON_AddItemToObject(a, "id",
								       id_value(spec, akey, next_ann - 1))) &&
				 cJSON_AddItemToObject(a, "image_id", cJSON_Duplicate(image_ref, 1)) &&
				 cJSON_AddItemToObject(a, spec->points, ds6_json_flat_new(p, n)) &&
				 /* COCO-Text leaves the text out of illegible regions */
				 ((spec->dc_illegible && r->dontcare && !text[0]) ||
				  cJSON_AddStringToObject(a, "utf8_string", text));
			if (ok && spec->dc_illegible)
				ok = cJSON_AddStringToObject(a, "legibility",
							     r->dontcare ? "illegible" : "legible") &&
				     (!r->lang || cJSON_AddStringToObject(a, "language", r->lang));
			if (ok && rx) {
				ok = ds6_json_add_extra(a, r->extra) == 0;
				cJSON_DeleteItemFromObjectCaseSensitive(a, "@id");
			}
			/* derived members: computed for data from elsewhere, kept as read */
			if (ok && !keep)
				ok = cJSON_AddItemToObject(a, "bbox", cJSON_CreateDoubleArray(bb, 4)) != 0;
			if (ok && !keep)
				ok = cJSON_AddNumberToObject(a, "area", tl_poly_area(p, n)) != NULL;
			/* imgToAnns lists the annotations by id (by key when they have none) */
			const cJSON *aidv = cJSON_GetObjectItemCaseSensitive(a, "id");
			cJSON *aref = !ok ? NULL : aidv ? cJSON_Duplicate(aidv, 1)
						       : cJSON_CreateString(oakey);
			cJSON_Delete(rx);
			if (!aref || !cJSON_AddItemToArray(list, aref)) {
				cJSON_Delete(aref);
				goto oom_x;
			}
		}
		cJSON_Delete(x);
		cJSON_Delete(image_ref);
		continue;
oom_x:
		cJSON_Delete(x);
		cJSON_Delete(image_ref);
		goto oom;
	}
	if (dc_replaced)
		tl_diags_add(d, TL_WARNING, NULL, 0, 0, "lossy",
			     "%zu transcriptions of don't-care regions written as \".\", %s's "
			     "don't-care marker", dc_replaced, spec->name);
	return ds6_json_emit(root, out, 0);
oom:
	cJSON_Delete(root);
	return TL_E_NOMEM;
}

int ds6_cocolike_probe(const char *data, size_t len, const char *must)
{
	size_t n = len < 16384 ? len : 16384;
	if (!memchr(data, '{', n))
		return 0;
	int imgs = memmem(data, n, "\"imgs\"", 6) != NULL;
	int anns = memmem(data, n, "\"anns\"", 6) != NULL;
	int key = memmem(data, n, must, strlen(must)) != NULL;
	return imgs && anns ? (key ? 90 : 40) : 0;
}

/* ---- COCO-Text ---- */

static const ds6_cocolike cocotext = {
	.name = "cocotext", .points = "mask", .string_ids = 0, .dc_illegible = 1, .dc_dot = 0,
};

static int ct_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		   const tl_read_opts *o, tl_diags *d)
{
	return ds6_cocolike_read(ds, path, data, len, &cocotext, d);
}

static int ct_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		    const tl_write_opts *o, tl_diags *d)
{
	return ds6_cocolike_write(ds, out, &cocotext, d);
}

static int ct_probe(const char *name, const char *data, size_t len)
{
	return ds6_cocolike_probe(data, len, "\"legibility\"");
}

const tl_format tl_fmt_cocotext = {
	.name = "cocotext",
	.summary = "COCO-Text v2 JSON {imgs, anns: {mask, utf8_string, legibility}, imgToAnns}",
	.flags = TL_FMT_LANG,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = ct_probe,
	.read = ct_read,
	.write = ct_write,
};
