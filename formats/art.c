/* art.c — the ICDAR 2019 Chinese-and-curved-text family (formats.md §4.7-§4.9):
 *
 *  "art"   ArT train_labels.json: {"gt_<N>": [{transcription, points: [[x,y],...],
 *          language, illegibility}]}, images gt_<N>.jpg.
 *  "lsvt"  LSVT train_full_labels.json: the same without language. Entries of the
 *          weak part (transcription only, no points) hold no region: they are
 *          counted in one warning and left out.
 *  "rects" ReCTS, one JSON per image: {chars: [...], lines: [{transcription,
 *          points: [8 numbers], ignore}]}; detection uses lines, chars are kept in
 *          the image's `extra`.
 * Don't care: illegibility true (ArT, LSVT; the transcription is then "###"),
 * ignore 1 (ReCTS). */
#include "tl_internal.h"
#include "ds6util.h"

/* ---- ArT / LSVT ---- */

static int artlike_read(tl_dataset *ds, const char *path, const char *data, size_t len,
			int with_lang, tl_diags *d)
{
	cJSON *root = ds6_json_parse(path, data, len, d);
	if (!root)
		return TL_E_INPUT;
	if (!cJSON_IsObject(root)) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
			     "expected an object mapping image keys to region lists");
		cJSON_Delete(root);
		return TL_E_INPUT;
	}
	static const char *const known_lang[] = { "transcription", "points", "language",
						  "illegibility", NULL };
	static const char *const known[] = { "transcription", "points", "illegibility", NULL };
	int rc = TL_OK, bad = 0, nomem = 0;
	size_t weak = 0;
	const cJSON *img;
	cJSON_ArrayForEach(img, root) {
		const char *key = img->string ? img->string : "";
		if (!cJSON_IsArray(img)) {
			tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
				     "\"%s\": expected a list of regions", key);
			bad = 1;
			continue;
		}
		tl_buf name = TL_BUF_INIT;
		tl_image *im = tl_buf_printf(&name, "%s.jpg", key) ? NULL
								   : tl_dataset_add_image(ds, name.data);
		tl_buf_free(&name);
		if (!im || !(im->source = tl_dataset_strdup(ds, path))) {
			rc = TL_E_NOMEM;
			break;
		}
		size_t k = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, img) {
			const cJSON *pts = cJSON_GetObjectItemCaseSensitive(e, "points");
			if (!pts) {
				weak++;
				k++;
				continue;
			}
			tl_point *p;
			size_t n;
			int g = ds6_json_pairs(ds, pts, &p, &n);
			if (g == TL_E_NOMEM) {
				rc = g;
				break;
			}
			if (g || n < 3) {
				tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-geometry",
					     "\"%s\"[%zu]: \"points\" must be at least 3 [x,y] pairs",
					     key, k++);
				bad = 1;
				continue;
			}
			tl_region *r = tl_image_add_region(ds, im);
			if (!r) {
				rc = TL_E_NOMEM;
				break;
			}
			ds6_set_poly(r, p, n);
			const char *t = ds6_json_str(e, "transcription");
			if (t && !(r->text = tl_dataset_strdup(ds, t)))
				nomem = 1;
			r->dontcare = ds6_json_truthy(e, "illegibility") || (t && !strcmp(t, "###"));
			const char *lang = with_lang ? ds6_json_str(e, "language") : NULL;
			if (lang && !(r->lang = tl_dataset_strdup(ds, lang)))
				nomem = 1;
			r->extra = ds6_json_extra(ds, e, with_lang ? known_lang : known, &nomem);
			k++;
		}
		if (rc)
			break;
	}
	if (weak)
		tl_diags_add(d, TL_WARNING, path, 0, 0, "no-geometry",
			     "%zu entries without points (weak labels) left out", weak);
	cJSON_Delete(root);
	if (nomem)
		rc = TL_E_NOMEM;
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int artlike_write(const tl_dataset *ds, tl_buf *out, int with_lang, const char *name)
{
	int keep = ds6_same(ds, name);
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return TL_E_NOMEM;
	for (size_t i = 0; i < ds->nimages; i++) {
		const tl_image *im = &ds->images[i];
		tl_buf stem = TL_BUF_INIT;
		cJSON *list = cJSON_CreateArray();
		if (ds6_key(im->name, &stem) || !list ||
		    !cJSON_AddItemToObject(root, stem.data, list)) {
			cJSON_Delete(list);
			tl_buf_free(&stem);
			goto oom;
		}
		tl_buf_free(&stem);
		for (size_t k = 0; k < im->nregions; k++) {
			const tl_region *r = &im->regions[k];
			tl_point buf[4];
			const tl_point *p;
			size_t n = ds6_points(r, buf, &p);
			if (!n)
				continue;
			cJSON *e = cJSON_CreateObject();
			if (!e || !cJSON_AddItemToArray(list, e) ||
			    !cJSON_AddStringToObject(e, "transcription",
						     r->dontcare && !keep ? "###" : r->text) ||
			    !cJSON_AddItemToObject(e, "points", ds6_json_pairs_new(p, n)) ||
			    (with_lang && (r->lang || !keep) &&
			     !cJSON_AddStringToObject(e, "language", r->lang ? r->lang : "None")) ||
			    !cJSON_AddBoolToObject(e, "illegibility", r->dontcare) ||
			    (keep && ds6_json_add_extra(e, r->extra)))
				goto oom;
		}
	}
	return ds6_json_emit(root, out, 0);
oom:
	cJSON_Delete(root);
	return TL_E_NOMEM;
}

static int art_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		    const tl_read_opts *o, tl_diags *d)
{
	return artlike_read(ds, path, data, len, 1, d);
}

static int lsvt_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		     const tl_read_opts *o, tl_diags *d)
{
	return artlike_read(ds, path, data, len, 0, d);
}

static int art_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		     const tl_write_opts *o, tl_diags *d)
{
	return artlike_write(ds, out, 1, "art");
}

static int lsvt_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		      const tl_write_opts *o, tl_diags *d)
{
	return artlike_write(ds, out, 0, "lsvt");
}

/* An object of arrays of {transcription, points, illegibility} objects. */
static int artlike_shape(const char *data, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	const char *p = data;
	while (p < data + n && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	if (p >= data + n || *p != '{')
		return 0;
	return memmem(data, n, "\"illegibility\"", 14) && memmem(data, n, "\"transcription\"", 15)
	       && memmem(data, n, "\"points\"", 8) && !memmem(data, n, "\"images\"", 8);
}

static int art_probe(const char *name, const char *data, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	if (!artlike_shape(data, len))
		return 0;
	return memmem(data, n, "\"language\"", 10) ? 80 : 0;
}

static int lsvt_probe(const char *name, const char *data, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	if (!artlike_shape(data, len))
		return 0;
	return memmem(data, n, "\"language\"", 10) ? 0 : 75;
}

/* ---- ReCTS ---- */

static int rects_image_for_file(const char *file, tl_buf *out)
{
	TL_TRY(ds6_stem(file, out));
	return tl_buf_puts(out, ".jpg");
}

static int rects_file_for_image(const char *image, tl_buf *out)
{
	TL_TRY(ds6_image_stem(image, out));
	return tl_buf_puts(out, ".json");
}

static int rects_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		      const tl_read_opts *o, tl_diags *d)
{
	cJSON *root = ds6_json_parse(path, data, len, d);
	if (!root)
		return TL_E_INPUT;
	const cJSON *lines = cJSON_GetObjectItemCaseSensitive(root, "lines");
	if (!cJSON_IsObject(root) || !cJSON_IsArray(lines)) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
			     "expected an object with a \"lines\" array");
		cJSON_Delete(root);
		return TL_E_INPUT;
	}
	static const char *const img_known[] = { "lines", NULL };
	static const char *const known[] = { "transcription", "points", "ignore", NULL };
	int rc = TL_OK, bad = 0, nomem = 0;
	tl_buf name = TL_BUF_INIT;
	tl_image *im = rects_image_for_file(path, &name) ? NULL
							 : tl_dataset_add_image(ds, name.data);
	tl_buf_free(&name);
	if (!im || !(im->source = tl_dataset_strdup(ds, path))) {
		cJSON_Delete(root);
		return TL_E_NOMEM;
	}
	im->extra = ds6_json_extra(ds, root, img_known, &nomem);
	size_t k = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, lines) {
		tl_point *p;
		size_t n;
		int g = ds6_json_flat(ds, cJSON_GetObjectItemCaseSensitive(e, "points"), &p, &n);
		if (g == TL_E_NOMEM) {
			rc = g;
			break;
		}
		if (g || n < 3) {
			tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-geometry",
				     "lines[%zu]: \"points\" must be a flat list of x,y (8 numbers)",
				     k++);
			bad = 1;
			continue;
		}
		tl_region *r = tl_image_add_region(ds, im);
		if (!r) {
			rc = TL_E_NOMEM;
			break;
		}
		ds6_set_poly(r, p, n);
		const char *t = ds6_json_str(e, "transcription");
		if (t && !(r->text = tl_dataset_strdup(ds, t)))
			nomem = 1;
		r->dontcare = ds6_json_truthy(e, "ignore");
		r->extra = ds6_json_extra(ds, e, known, &nomem);
		k++;
	}
	cJSON_Delete(root);
	if (nomem)
		rc = TL_E_NOMEM;
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int rects_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		       const tl_write_opts *o, tl_diags *d)
{
	if (!im)
		return TL_E_USAGE;
	int keep = ds6_same(ds, "rects");
	cJSON *root = cJSON_CreateObject(), *lines;
	if (!root || (keep && ds6_json_add_extra(root, im->extra)) ||
	    (!keep && !cJSON_AddArrayToObject(root, "chars")) ||
	    !(lines = cJSON_AddArrayToObject(root, "lines")))
		goto oom;
	for (size_t k = 0; k < im->nregions; k++) {
		const tl_region *r = &im->regions[k];
		tl_point buf[4];
		const tl_point *p;
		size_t n = ds6_points(r, buf, &p);
		if (!n)
			continue;
		cJSON *e = cJSON_CreateObject();
		if (!e || !cJSON_AddItemToArray(lines, e) ||
		    !cJSON_AddStringToObject(e, "transcription",
					     r->dontcare && !r->text[0] && !keep ? "###" : r->text) ||
		    !cJSON_AddItemToObject(e, "points", ds6_json_flat_new(p, n)) ||
		    !cJSON_AddNumberToObject(e, "ignore", r->dontcare ? 1 : 0) ||
		    (keep && ds6_json_add_extra(e, r->extra)))
			goto oom;
	}
	return ds6_json_emit(root, out, 0);
oom:
	cJSON_Delete(root);
	return TL_E_NOMEM;
}

static int rects_probe(const char *name, const char *data, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	return memmem(data, n, "\"lines\"", 7) && memmem(data, n, "\"ignore\"", 8) &&
	       memmem(data, n, "\"points\"", 8) ? 85 : 0;
}

#define ART_SHAPES (TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY))

const tl_format tl_fmt_art = {
	.name = "art",
	.summary = "ICDAR 2019 ArT JSON {\"gt_N\": [{transcription, points, language, illegibility}]}",
	.flags = TL_FMT_LANG,
	.shapes = ART_SHAPES,
	.probe = art_probe,
	.read = art_read,
	.write = art_write,
};

const tl_format tl_fmt_lsvt = {
	.name = "lsvt",
	.summary = "ICDAR 2019 LSVT JSON {\"gt_N\": [{transcription, points, illegibility}]}",
	.flags = 0,
	.shapes = ART_SHAPES,
	.probe = lsvt_probe,
	.read = lsvt_read,
	.write = lsvt_write,
};

const tl_format tl_fmt_rects = {
	.name = "rects",
	.summary = "ICDAR 2019 ReCTS JSON per image {chars, lines: [{transcription, points, ignore}]}",
	.flags = TL_FMT_PER_IMAGE,
	.shapes = ART_SHAPES,
	.probe = rects_probe,
	.read = rects_read,
	.write = rects_write,
	.file_for_image = rects_file_for_image,
	.image_for_file = rects_image_for_file,
};
