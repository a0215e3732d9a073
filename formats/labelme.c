/* labelme.c — LabelMe JSON, one file per image (formats.md §4.20).
 *
 * {version, flags, shapes: [{label, points, group_id, shape_type, flags, ...}],
 *  imagePath, imageData, imageHeight, imageWidth}. The transcription is `label`;
 * `###` is read and written as don't care (LabelMe itself defines none). polygon
 * shapes become QUAD (4 points) or POLY; rectangle shapes (two opposite corners in
 * any order) become RECT. Shapes without area (point, line, linestrip, circle) are
 * reported and left out. Points are in LabelMe's displayed frame: the EXIF rotation
 * of the image is already applied. */
#include "tl_internal.h"
#include "ds6util.h"

static const char *const img_known[] = { "shapes", "imagePath", "imageHeight", "imageWidth",
					 NULL };
static const char *const shape_known[] = { "label", "points", "shape_type", NULL };

static int lm_image_for_file(const char *file, tl_buf *out)
{
	TL_TRY(ds6_stem(file, out));
	return tl_buf_puts(out, ".jpg");
}

static int lm_file_for_image(const char *image, tl_buf *out)
{
	TL_TRY(ds6_image_stem(image, out));
	return tl_buf_puts(out, ".json");
}

static int lm_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		   const tl_read_opts *o, tl_diags *d)
{
	cJSON *root = ds6_json_parse(path, data, len, d);
	if (!root)
		return TL_E_INPUT;
	const cJSON *shapes = cJSON_GetObjectItemCaseSensitive(root, "shapes");
	if (!cJSON_IsObject(root) || !cJSON_IsArray(shapes)) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
			     "expected a LabelMe object with a \"shapes\" array");
		cJSON_Delete(root);
		return TL_E_INPUT;
	}
	int rc = TL_OK, bad = 0, nomem = 0;
	const char *ip = ds6_json_str(root, "imagePath");
	tl_buf name = TL_BUF_INIT;
	if (ip && *ip)
		rc = tl_buf_puts(&name, ip);
	else
		rc = lm_image_for_file(path, &name);
	tl_image *im = rc ? NULL : tl_dataset_add_image(ds, name.data);
	tl_buf_free(&name);
	if (!im || !(im->source = tl_dataset_strdup(ds, path))) {
		cJSON_Delete(root);
		return TL_E_NOMEM;
	}
	double w, h;
	if (ds6_json_num(root, "imageWidth", &w) && w >= 0 && w <= 1e9)
		im->width = (int)w;
	if (ds6_json_num(root, "imageHeight", &h) && h >= 0 && h <= 1e9)
		im->height = (int)h;
	im->extra = ds6_json_extra(ds, root, img_known, &nomem);
	size_t k = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, shapes) {
		const char *type = ds6_json_str(e, "shape_type");
		if (!type)
			type = "polygon";
		int rect = !strcmp(type, "rectangle");
		if (!rect && strcmp(type, "polygon")) {
			tl_diags_add(d, TL_WARNING, path, 0, 0, "unsupported-shape",
				     "shapes[%zu]: shape_type \"%s\" holds no text region; left out",
				     k++, type);
			continue;
		}
		tl_point *p;
		size_t n;
		int g = ds6_json_pairs(ds, cJSON_GetObjectItemCaseSensitive(e, "points"), &p, &n);
		if (g == TL_E_NOMEM) {
			rc = g;
			break;
		}
		if (g || (rect ? n != 2 : n < 3)) {
			tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-geometry",
				     rect ? "shapes[%zu]: a rectangle needs 2 points [x,y]"
					  : "shapes[%zu]: a polygon needs at least 3 points [x,y]", k);
			bad = 1;
			k++;
			continue;
		}
		tl_region *r = tl_image_add_region(ds, im);
		if (!r) {
			rc = TL_E_NOMEM;
			break;
		}
		if (rect) {
			r->geom.shape = TL_SHAPE_RECT;
			r->geom.rect = (tl_rect){ p[0].x < p[1].x ? p[0].x : p[1].x,
						  p[0].y < p[1].y ? p[0].y : p[1].y,
						  p[0].x > p[1].x ? p[0].x : p[1].x,
						  p[0].y > p[1].y ? p[0].y : p[1].y };
		} else {
			ds6_set_poly(r, p, n);
		}
		const char *label = ds6_json_str(e, "label");
		if (label && !(r->text = tl_dataset_strdup(ds, label)))
			nomem = 1;
		r->dontcare = label && !strcmp(label, "###");
		r->extra = ds6_json_extra(ds, e, shape_known, &nomem);
		k++;
	}
	cJSON_Delete(root);
	if (nomem)
		rc = TL_E_NOMEM;
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int lm_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		    const tl_write_opts *o, tl_diags *d)
{
	if (!im)
		return TL_E_USAGE;
	int keep = ds6_same(ds, "labelme");
	/* shapes, imagePath, imageHeight and imageWidth first, then the kept members in
	 * the order they were read (the same data, not always the same member order);
	 * LabelMe's own defaults (version, flags, imageData, group_id, flags) only for
	 * data from elsewhere. */
	cJSON *root = cJSON_CreateObject(), *shapes;
	if (!root || (!keep && (!cJSON_AddStringToObject(root, "version", "5.2.1") ||
				!cJSON_AddObjectToObject(root, "flags"))) ||
	    !(shapes = cJSON_AddArrayToObject(root, "shapes")) ||
	    !cJSON_AddStringToObject(root, "imagePath", im->name) ||
	    (!keep && !cJSON_AddNullToObject(root, "imageData")) ||
	    !cJSON_AddNumberToObject(root, "imageHeight", im->height) ||
	    !cJSON_AddNumberToObject(root, "imageWidth", im->width) ||
	    (keep && ds6_json_add_extra(root, im->extra)))
		goto oom;
	for (size_t i = 0; i < im->nregions; i++) {
		const tl_region *r = &im->regions[i];
		tl_point buf[4], two[2];
		const tl_point *p;
		size_t n = ds6_points(r, buf, &p);
		if (!n)
			continue;
		int rect = r->geom.shape == TL_SHAPE_RECT;
		if (rect) {
			two[0] = (tl_point){ r->geom.rect.l, r->geom.rect.t };
			two[1] = (tl_point){ r->geom.rect.r, r->geom.rect.b };
			p = two;
			n = 2;
		}
		cJSON *s = cJSON_CreateObject();
		if (!s || !cJSON_AddItemToArray(shapes, s) ||
		    !cJSON_AddStringToObject(s, "label", r->dontcare ? "###" : r->text) ||
		    !cJSON_AddItemToObject(s, "points", ds6_json_pairs_new(p, n)) ||
		    !cJSON_AddStringToObject(s, "shape_type", rect ? "rectangle" : "polygon") ||
		    (!keep && (!cJSON_AddNullToObject(s, "group_id") ||
			       !cJSON_AddObjectToObject(s, "flags"))) ||
		    (keep && ds6_json_add_extra(s, r->extra)))
			goto oom;
	}
	return ds6_json_emit(root, out, 1);
oom:
	cJSON_Delete(root);
	return TL_E_NOMEM;
}

static int lm_probe(const char *name, const char *data, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	if (!memchr(data, '{', n))
		return 0;
	int sh = memmem(data, n, "\"shapes\"", 8) != NULL;
	int ip = memmem(data, n, "\"imagePath\"", 11) != NULL ||
		 memmem(data, n, "\"shape_type\"", 12) != NULL;
	return sh && ip ? 90 : 0;
}

const tl_format tl_fmt_labelme = {
	.name = "labelme",
	.summary = "LabelMe JSON per image (polygon and rectangle shapes; label = text)",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_DC_TEXT,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_RECT) | TL_SHAPE_BIT(TL_SHAPE_QUAD) |
		  TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = lm_probe,
	.read = lm_read,
	.write = lm_write,
	.file_for_image = lm_file_for_image,
	.image_for_file = lm_image_for_file,
};
