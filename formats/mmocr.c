/* mmocr.c — mmocr annotation files (formats.md §4.19).
 *
 *  "mmocr"       1.x text-detection JSON: {metainfo, data_list: [{img_path, height,
 *                width, instances: [{polygon, bbox, bbox_label, ignore, text?}]}]}
 *  "mmocr-coco"  0.x COCO-style instances_*.json: {images, categories, annotations:
 *                [{image_id, segmentation: [[...]], bbox: [x,y,w,h], iscrowd, ...}]}
 *  "mmocr-jsonl" 0.x JSON lines: one {file_name, height, width, annotations} a line
 *
 * Don't care: `ignore` (1.x), `iscrowd` (0.x). bbox is derived from the polygon; a
 * bbox that differs from the polygon's bounds, and every field the data model has
 * no slot for, travel in `extra` and are written back by the same format. */
#include "tl_internal.h"
#include "ds6util.h"
#include <math.h>    /* fabs */

static int same_rect(tl_rect a, const double *v)
{
	return fabs(a.l - v[0]) < 1e-9 && fabs(a.t - v[1]) < 1e-9 && fabs(a.r - v[2]) < 1e-9 &&
	       fabs(a.b - v[3]) < 1e-9;
}

static int json_box4(const cJSON *a, double *v)
{
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 4)
		return 0;
	for (int i = 0; i < 4; i++) {
		const cJSON *e = cJSON_GetArrayItem(a, i);
		if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble))
			return 0;
		v[i] = e->valuedouble;
	}
	return 1;
}

/* Sets r from a flat polygon, else from a box (xywh: COCO order, else l,t,r,b).
 * Returns TL_OK, TL_E_INPUT (with *why) or TL_E_NOMEM. *keep_bbox is set when the box
 * says something the polygon does not. */
static int geom_from(tl_dataset *ds, tl_region *r, const cJSON *poly, const cJSON *bbox,
		     int xywh, int *keep_bbox, const char **why)
{
	double v[4];
	int hasbox = json_box4(bbox, v);
	if (hasbox && xywh)
		v[2] += v[0], v[3] += v[1];
	*keep_bbox = bbox != NULL;
	if (poly && !cJSON_IsNull(poly)) {
		tl_point *p;
		size_t n;
		int rc = ds6_json_flat(ds, poly, &p, &n);
		if (rc == TL_E_NOMEM)
			return rc;
		if (rc || n < 3) {
			*why = "polygon must be a flat list of at least 3 x,y pairs";
			return TL_E_INPUT;
		}
		ds6_set_poly(r, p, n);
		if (hasbox && same_rect(ds6_bounds(p, n), v))
			*keep_bbox = 0;
		return TL_OK;
	}
	if (!hasbox) {
		*why = "neither a polygon nor a 4-number bbox";
		return TL_E_INPUT;
	}
	if (v[2] < v[0] || v[3] < v[1]) {
		*why = "bbox with negative width or height";
		return TL_E_INPUT;
	}
	/* a box alone stands for its 4 corners, clockwise from the top-left, as
	 * mmocr's converters write such sources */
	tl_point *p = tl_dataset_points(ds, 4);
	if (!p)
		return TL_E_NOMEM;
	p[0] = (tl_point){ v[0], v[1] };
	p[1] = (tl_point){ v[2], v[1] };
	p[2] = (tl_point){ v[2], v[3] };
	p[3] = (tl_point){ v[0], v[3] };
	ds6_set_poly(r, p, 4);
	*keep_bbox = 0;
	return TL_OK;
}

static void image_size(tl_image *im, const cJSON *o, const char *wkey, const char *hkey)
{
	double w, h;
	if (ds6_json_num(o, wkey, &w) && w >= 0 && w <= 1e9 && w == (int)w)
		im->width = (int)w;
	if (ds6_json_num(o, hkey, &h) && h >= 0 && h <= 1e9 && h == (int)h)
		im->height = (int)h;
}

/* ---- 1.x ---- */

static const char *const v1_inst_known[] = { "polygon", "bbox", "ignore", "text", NULL };
static const char *const v1_inst_known_nobox[] = { "polygon", "ignore", "text", NULL };
static const char *const v1_img_known[] = { "img_path", "height", "width", "instances", NULL };
static const char *const v1_top_known[] = { "data_list", NULL };

static int v1_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		   const tl_read_opts *o, tl_diags *d)
{
	cJSON *root = ds6_json_parse(path, data, len, d);
	if (!root)
		return TL_E_INPUT;
	int rc = TL_OK, bad = 0, nomem = 0;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "data_list");
	if (!cJSON_IsObject(root) || !cJSON_IsArray(list)) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
			     "expected an object with a \"data_list\" array");
		cJSON_Delete(root);
		return TL_E_INPUT;
	}
	const char *dsx = ds6_json_extra(ds, root, v1_top_known, &nomem);
	if (dsx && !ds->extra)
		ds->extra = dsx;
	size_t idx = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, list) {
		const char *name = ds6_json_str(e, "img_path");
		if (!cJSON_IsObject(e) || !name) {
			tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
				     "data_list[%zu]: no \"img_path\" string", idx);
			bad = 1;
			idx++;
			continue;
		}
		tl_image *im = tl_dataset_add_image(ds, name);
		if (!im || !(im->source = tl_dataset_strdup(ds, path))) {
			rc = TL_E_NOMEM;
			break;
		}
		image_size(im, e, "width", "height");
		im->extra = ds6_json_extra(ds, e, v1_img_known, &nomem);
		const cJSON *insts = cJSON_GetObjectItemCaseSensitive(e, "instances");
		size_t k = 0;
		const cJSON *in;
		cJSON_ArrayForEach(in, insts) {
			tl_region *r = tl_image_add_region(ds, im);
			if (!r) {
				rc = TL_E_NOMEM;
				break;
			}
			const char *why = NULL;
			int keepbox = 0;
			int g = geom_from(ds, r, cJSON_GetObjectItemCaseSensitive(in, "polygon"),
					  cJSON_GetObjectItemCaseSensitive(in, "bbox"), 0, &keepbox,
					  &why);
			if (g == TL_E_NOMEM) {
				rc = g;
				break;
			}
			if (g) {
				tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-geometry",
					     "data_list[%zu].instances[%zu]: %s", idx, k, why);
				bad = 1;
				im->nregions--;
				k++;
				continue;
			}
			r->dontcare = ds6_json_truthy(in, "ignore");
			const char *t = ds6_json_str(in, "text");
			if (t && !(r->text = tl_dataset_strdup(ds, t)))
				nomem = 1;
			r->extra = ds6_json_extra(ds, in, keepbox ? v1_inst_known_nobox
								: v1_inst_known, &nomem);
			k++;
		}
		if (rc)
			break;
		idx++;
	}
	cJSON_Delete(root);
	if (nomem)
		rc = TL_E_NOMEM;
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int add_num(cJSON *o, const char *k, double v)
{
	return cJSON_AddNumberToObject(o, k, v) ? 0 : -1;
}

static cJSON *rect_array(tl_rect b, int xywh)
{
	double v[4] = { b.l, b.t, xywh ? b.r - b.l : b.r, xywh ? b.b - b.t : b.b };
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; a && i < 4; i++)
		if (!cJSON_AddItemToArray(a, ds6_json_num_new(v[i]))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

static int v1_write(const tl_dataset *ds, const tl_image *one, tl_buf *out,
		    const tl_write_opts *o, tl_diags *d)
{
	int keep = ds6_same(ds, "mmocr");
	cJSON *root = cJSON_CreateObject(), *list = NULL;
	if (!root)
		return TL_E_NOMEM;
	/* the kept top-level members in their order (metainfo among them), or for data
	 * from elsewhere mmocr's own metainfo; data_list comes last, and each image
	 * writes instances before img_path */
	if (keep) {
		if (ds6_json_add_extra(root, ds->extra))
			goto oom;
	} else {
		cJSON *meta = cJSON_Parse("{\"dataset_type\":\"TextDetDataset\",\"task_name\":"
					  "\"textdet\",\"category\":[{\"id\":0,\"name\":\"text\"}]}");
		if (!meta || !cJSON_AddItemToObject(root, "metainfo", meta)) {
			cJSON_Delete(meta);
			goto oom;
		}
	}
	if (!(list = cJSON_AddArrayToObject(root, "data_list")))
		goto oom;
	for (size_t i = 0; i < ds->nimages; i++) {
		const tl_image *im = &ds->images[i];
		cJSON *ji = cJSON_CreateObject(), *insts;
		if (!ji || !cJSON_AddItemToArray(list, ji))
			goto oom;
		if (!(insts = cJSON_AddArrayToObject(ji, "instances")) ||
		    !cJSON_AddStringToObject(ji, "img_path", im->name) ||
		    add_num(ji, "height", im->height) || add_num(ji, "width", im->width) ||
		    (keep && ds6_json_add_extra(ji, im->extra)))
			goto oom;
		for (size_t k = 0; k < im->nregions; k++) {
			const tl_region *r = &im->regions[k];
			tl_point buf[4];
			const tl_point *p;
			size_t n = ds6_points(r, buf, &p);
			if (!n)
				continue;
			cJSON *jr = cJSON_CreateObject();
			if (!jr || !cJSON_AddItemToArray(insts, jr)) {
				cJSON_Delete(jr);
				goto oom;
			}
			/* a bbox kept in extra (it differed from the polygon) comes back with
			 * the other kept members, in its place */
			cJSON *eb = keep ? ds6_extra_get(r->extra, "bbox") : NULL;
			int kept_box = eb != NULL;
			cJSON_Delete(eb);
			eb = kept_box ? NULL : rect_array(ds6_bounds(p, n), 0);
			if (!cJSON_AddItemToObject(jr, "polygon", ds6_json_flat_new(p, n)) ||
			    (!kept_box && (!eb || !cJSON_AddItemToObject(jr, "bbox", eb)))) {
				cJSON_Delete(eb);
				goto oom;
			}
			if (keep && ds6_json_add_extra(jr, r->extra))
				goto oom;
			if (!keep && add_num(jr, "bbox_label", 0))
				goto oom;
			if (!cJSON_AddBoolToObject(jr, "ignore", r->dontcare))
				goto oom;
			if (r->text[0] && !cJSON_AddStringToObject(jr, "text", r->text))
				goto oom;
		}
	}
	return ds6_json_emit(root, out, 0);
oom:
	cJSON_Delete(root);
	return TL_E_NOMEM;
}

/* ---- 0.x: shared annotation parsing ---- */

static const char *const coco_ann_known[] = { "segmentation", "bbox", "iscrowd", "image_id",
					      NULL };
static const char *const coco_ann_known_nobox[] = { "segmentation", "iscrowd", "image_id",
						    NULL };

static int coco_ann(tl_dataset *ds, tl_image *im, const cJSON *a, const char *path,
		    const char *where, size_t k, tl_diags *d, int *nomem)
{
	tl_region *r = tl_image_add_region(ds, im);
	if (!r)
		return TL_E_NOMEM;
	const cJSON *seg = cJSON_GetObjectItemCaseSensitive(a, "segmentation");
	/* COCO segmentation is a list of polygons; text instances have one. */
	const cJSON *poly = cJSON_IsArray(seg) ? cJSON_GetArrayItem(seg, 0) : NULL;
	const char *why = NULL;
	int keepbox = 0;
	int g = geom_from(ds, r, poly, cJSON_GetObjectItemCaseSensitive(a, "bbox"), 1, &keepbox,
			  &why);
	if (g == TL_E_NOMEM)
		return g;
	if (g) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-geometry", "%s[%zu]: %s", where, k, why);
		im->nregions--;
		return TL_E_INPUT;
	}
	if (cJSON_IsArray(seg) && cJSON_GetArraySize(seg) > 1)
		tl_diags_add(d, TL_WARNING, path, 0, 0, "multi-polygon",
			     "%s[%zu]: only the first of %d segmentation polygons is used", where,
			     k, cJSON_GetArraySize(seg));
	r->dontcare = ds6_json_truthy(a, "iscrowd");
	r->extra = ds6_json_extra(ds, a, keepbox ? coco_ann_known_nobox : coco_ann_known, nomem);
	return TL_OK;
}

static cJSON *coco_ann_new(const tl_region *r, int keep, double image_id, int with_image_id)
{
	tl_point buf[4];
	const tl_point *p;
	size_t n = ds6_points(r, buf, &p);
	if (!n)
		return NULL;
	cJSON *a = cJSON_CreateObject(), *seg = cJSON_CreateArray();
	if (!a || !seg || !cJSON_AddItemToObject(a, "segmentation", seg)) {
		cJSON_Delete(a);
		cJSON_Delete(seg);
		return NULL;
	}
	/* a bbox kept in extra (it differed from the polygon) comes back with the other
	 * kept members, in its place */
	cJSON *eb = keep ? ds6_extra_get(r->extra, "bbox") : NULL;
	int kept_box = eb != NULL;
	cJSON_Delete(eb);
	eb = kept_box ? NULL : rect_array(ds6_bounds(p, n), 1);
	if (!cJSON_AddItemToArray(seg, ds6_json_flat_new(p, n)) ||
	    !cJSON_AddNumberToObject(a, "iscrowd", r->dontcare ? 1 : 0) ||
	    (with_image_id && !cJSON_AddNumberToObject(a, "image_id", image_id)) ||
	    (!kept_box && (!eb || !cJSON_AddItemToObject(a, "bbox", eb)))) {
		cJSON_Delete(eb);
		cJSON_Delete(a);
		return NULL;
	}
	if ((keep && ds6_json_add_extra(a, r->extra)) ||
	    (!keep && !cJSON_AddNumberToObject(a, "category_id", 1))) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

/* ---- 0.x COCO ---- */

static const char *const coco_img_known[] = { "file_name", "height", "width", NULL };
static const char *const coco_top_known[] = { "images", "annotations", NULL };

typedef struct id_index { double id; size_t image; } id_index;

static int cmp_id(const void *a, const void *b)
{
	double x = ((const id_index *)a)->id, y = ((const id_index *)b)->id;
	return x < y ? -1 : x > y;
}

static int coco_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		     const tl_read_opts *o, tl_diags *d)
{
	cJSON *root = ds6_json_parse(path, data, len, d);
	if (!root)
		return TL_E_INPUT;
	const cJSON *imgs = cJSON_GetObjectItemCaseSensitive(root, "images");
	const cJSON *anns = cJSON_GetObjectItemCaseSensitive(root, "annotations");
	if (!cJSON_IsArray(imgs) || !cJSON_IsArray(anns)) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
			     "expected \"images\" and \"annotations\" arrays");
		cJSON_Delete(root);
		return TL_E_INPUT;
	}
	int rc = TL_OK, bad = 0, nomem = 0;
	size_t nimg = (size_t)cJSON_GetArraySize(imgs), m = 0;
	id_index *ix = calloc(nimg ? nimg : 1, sizeof *ix);
	if (!ix) {
		cJSON_Delete(root);
		return TL_E_NOMEM;
	}
	const char *dsx = ds6_json_extra(ds, root, coco_top_known, &nomem);
	if (dsx && !ds->extra)
		ds->extra = dsx;
	const cJSON *e;
	size_t i = 0;
	cJSON_ArrayForEach(e, imgs) {
		const char *name = ds6_json_str(e, "file_name");
		double id;
		if (!name || !ds6_json_num(e, "id", &id)) {
			tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
				     "images[%zu]: needs \"file_name\" and a numeric \"id\"", i++);
			bad = 1;
			continue;
		}
		i++;
		tl_image *im = tl_dataset_add_image(ds, name);
		if (!im || !(im->source = tl_dataset_strdup(ds, path))) {
			rc = TL_E_NOMEM;
			goto out;
		}
		image_size(im, e, "width", "height");
		im->extra = ds6_json_extra(ds, e, coco_img_known, &nomem);
		ix[m].id = id;
		ix[m].image = ds->nimages - 1;
		m++;
	}
	qsort(ix, m, sizeof *ix, cmp_id);
	i = 0;
	cJSON_ArrayForEach(e, anns) {
		double id;
		id_index key, *hit = NULL;
		if (ds6_json_num(e, "image_id", &id)) {
			key.id = id;
			hit = bsearch(&key, ix, m, sizeof *ix, cmp_id);
		}
		if (!hit) {
			tl_diags_add(d, TL_ERROR, path, 0, 0, "unknown-image",
				     "annotations[%zu]: \"image_id\" names no image", i++);
			bad = 1;
			continue;
		}
		int r = coco_ann(ds, &ds->images[hit->image], e, path, "annotations", i, d, &nomem);
		if (r == TL_E_NOMEM) {
			rc = r;
			goto out;
		}
		bad |= r != TL_OK;
		i++;
	}
out:
	free(ix);
	cJSON_Delete(root);
	if (nomem)
		rc = TL_E_NOMEM;
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int coco_write(const tl_dataset *ds, const tl_image *one, tl_buf *out,
		      const tl_write_opts *o, tl_diags *d)
{
	int keep = ds6_same(ds, "mmocr-coco");
	cJSON *root = cJSON_CreateObject(), *imgs, *anns;
	if (!root || !(imgs = cJSON_AddArrayToObject(root, "images")))
		goto oom;
	if (keep && ds6_json_add_extra(root, ds->extra))
		goto oom;
	if (!keep && !cJSON_GetObjectItemCaseSensitive(root, "categories")) {
		cJSON *c = cJSON_Parse("[{\"id\":1,\"name\":\"text\"}]");
		if (!c || !cJSON_AddItemToObject(root, "categories", c))
			goto oom;
	}
	if (!(anns = cJSON_AddArrayToObject(root, "annotations")))
		goto oom;
	double next_ann = 0;
	for (size_t i = 0; i < ds->nimages; i++) {
		const tl_image *im = &ds->images[i];
		cJSON *ji = cJSON_CreateObject();
		if (!ji || !cJSON_AddItemToArray(imgs, ji) ||
		    !cJSON_AddStringToObject(ji, "file_name", im->name) ||
		    add_num(ji, "height", im->height) || add_num(ji, "width", im->width) ||
		    (keep && ds6_json_add_extra(ji, im->extra)))
			goto oom;
		if (!cJSON_GetObjectItemCaseSensitive(ji, "id") && add_num(ji, "id", (double)i))
			goto oom;
		double image_id = cJSON_GetObjectItemCaseSensitive(ji, "id")->valuedouble;
		for (size_t k = 0; k < im->nregions; k++) {
			if (im->regions[k].geom.shape == TL_SHAPE_NONE)
				continue;
			cJSON *a = coco_ann_new(&im->regions[k], keep, image_id, 1);
			if (!a || !cJSON_AddItemToArray(anns, a))
				goto oom;
			cJSON *aid = cJSON_GetObjectItemCaseSensitive(a, "id");
			if (cJSON_IsNumber(aid) && aid->valuedouble >= next_ann)
				next_ann = aid->valuedouble + 1;
			else if (!aid && !keep && add_num(a, "id", next_ann++))
				goto oom;
		}
	}
	return ds6_json_emit(root, out, 0);
oom:
	cJSON_Delete(root);
	return TL_E_NOMEM;
}

/* ---- 0.x JSON lines ---- */

static const char *const jl_known[] = { "file_name", "height", "width", "annotations", NULL };

static int jsonl_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		      const tl_read_opts *o, tl_diags *d)
{
	ds6_lines it;
	const char *s;
	size_t n;
	int rc = TL_OK, bad = 0, nomem = 0;
	ds6_lines_init(&it, data, len);
	while (!rc && ds6_lines_next(&it, &s, &n)) {
		if (ds6_blank(s, n))
			continue;
		tl_diags tmp;
		tl_diags_init(&tmp);
		cJSON *e = ds6_json_parse(path, s, n, &tmp);
		if (!e) {
			long col = tmp.count ? tmp.items[0].col : 1;
			tl_diags_free(&tmp);
			tl_diags_add(d, TL_ERROR, path, it.no, col, "bad-json", "malformed JSON");
			bad = 1;
			continue;
		}
		tl_diags_free(&tmp);
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
		image_size(im, e, "width", "height");
		im->extra = ds6_json_extra(ds, e, jl_known, &nomem);
		const cJSON *a;
		size_t k = 0;
		cJSON_ArrayForEach(a, anns) {
			int r = coco_ann(ds, im, a, path, "annotations", k++, d, &nomem);
			if (r == TL_E_NOMEM) {
				rc = r;
				break;
			}
			if (r) {
				bad = 1;
				/* the diagnostic has no line: give it this one */
				if (d->count && d->items[d->count - 1].line == 0)
					d->items[d->count - 1].line = it.no;
			}
			if (im->nregions)
				im->regions[im->nregions - 1].line = it.no;
		}
		cJSON_Delete(e);
	}
	if (nomem)
		rc = TL_E_NOMEM;
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int jsonl_write(const tl_dataset *ds, const tl_image *one, tl_buf *out,
		       const tl_write_opts *o, tl_diags *d)
{
	int keep = ds6_same(ds, "mmocr-jsonl");
	for (size_t i = 0; i < ds->nimages; i++) {
		const tl_image *im = &ds->images[i];
		cJSON *ji = cJSON_CreateObject(), *anns;
		if (!ji || !cJSON_AddStringToObject(ji, "file_name", im->name) ||
		    add_num(ji, "height", im->height) || add_num(ji, "width", im->width) ||
		    !(anns = cJSON_AddArrayToObject(ji, "annotations")) ||
		    (keep && ds6_json_add_extra(ji, im->extra)))
			goto oom;
		for (size_t k = 0; k < im->nregions; k++) {
			cJSON *a = coco_ann_new(&im->regions[k], keep, 0, 0);
			if (a && !cJSON_AddItemToArray(anns, a))
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

/* ---- probes ---- */

static int v1_probe(const char *name, const char *data, size_t len)
{
	size_t n = len < 4096 ? len : 4096;
	const char *p = memchr(data, '{', n);
	if (!p)
		return 0;
	int dl = memmem(data, n, "\"data_list\"", 11) != NULL;
	int meta = memmem(data, n, "\"metainfo\"", 10) != NULL;
	int inst = memmem(data, n, "\"instances\"", 11) != NULL;
	return dl && (meta || inst) ? 90 : dl ? 60 : 0;
}

static int coco_probe(const char *name, const char *data, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	if (!memchr(data, '{', n) || memmem(data, n, "\"imgToAnns\"", 11))
		return 0;
	int im = memmem(data, n, "\"images\"", 8) != NULL;
	int an = memmem(data, n, "\"annotations\"", 13) != NULL;
	int seg = memmem(data, n, "\"segmentation\"", 14) != NULL;
	return im && an ? (seg ? 85 : 60) : 0;
}

static int jsonl_probe(const char *name, const char *data, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	const char *nl = memchr(data, '\n', n);
	size_t first = nl ? (size_t)(nl - data) : n;
	if (!first || data[0] != '{')
		return 0;
	int fn = memmem(data, first, "\"file_name\"", 11) != NULL;
	int an = memmem(data, first, "\"annotations\"", 13) != NULL;
	int seg = memmem(data, first, "\"segmentation\"", 14) != NULL ||
		  memmem(data, first, "\"iscrowd\"", 9) != NULL;
	return fn && an && seg ? 85 : 0;
}

const tl_format tl_fmt_mmocr = {
	.name = "mmocr",
	.summary = "mmocr 1.x textdet JSON {metainfo, data_list: [{img_path, instances}]}",
	.flags = 0,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = v1_probe,
	.read = v1_read,
	.write = v1_write,
};

const tl_format tl_fmt_mmocr_coco = {
	.name = "mmocr-coco",
	.summary = "mmocr 0.x COCO-style instances JSON (segmentation, bbox xywh, iscrowd = DC)",
	.flags = TL_FMT_NO_TEXT,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = coco_probe,
	.read = coco_read,
	.write = coco_write,
};

const tl_format tl_fmt_mmocr_jsonl = {
	.name = "mmocr-jsonl",
	.summary = "mmocr 0.x JSON lines {file_name, height, width, annotations} per image",
	.flags = TL_FMT_NO_TEXT,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = jsonl_probe,
	.read = jsonl_read,
	.write = jsonl_write,
};
