/* hiertext.c — HierText ground truth (formats.md §4.16): one JSON object
 * {info, annotations: [{image_id, image_width, image_height, paragraphs: [{vertices,
 * legible, lines: [{vertices, text, legible, handwritten, vertical, words: [...]}]}]}]}.
 * The distributed gt/NAME.jsonl.gz files hold this one object once gunzipped.
 *
 * The hierarchy is flattened to one level, chosen by the format name:
 *   "hiertext"            words (tight polygons) — what detection is scored on
 *   "hiertext-lines"      lines (4-point loose boxes), text of the line
 *   "hiertext-paragraphs" paragraphs, text = their lines joined by newlines
 * Don't care: legible false. What sits above the chosen level is kept in the image's
 * `extra` ("paragraphs" without the flattened children) and each region records its
 * parents ("@p", "@l"; a node's own member whose name starts with @ is kept as "@" + name), what sits below travels in the region's `extra` ("words",
 * "lines"): the same format writes the full hierarchy back. Regions from another
 * format each become a paragraph of one line. */
#include "tl_internal.h"
#include "ds6util.h"

enum { LV_PARA = 0, LV_LINE = 1, LV_WORD = 2 };

/* ---- reading ---- */

static int add_region(tl_dataset *ds, tl_image *im, const cJSON *node, int level, int pi,
		      int li, const char *path, int *bad, tl_diags *d)
{
	tl_point *p;
	size_t n;
	int g = ds6_json_pairs(ds, cJSON_GetObjectItemCaseSensitive(node, "vertices"), &p, &n);
	if (g == TL_E_NOMEM)
		return g;
	if (g || n < 3) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-geometry",
			     "image %s, paragraph %d%s: \"vertices\" must be at least 3 [x,y] "
			     "pairs", im->name, pi, level == LV_PARA ? "" : level == LV_LINE
			     ? " line" : " word");
		*bad = 1;
		return TL_OK;
	}
	tl_region *r = tl_image_add_region(ds, im);
	if (!r)
		return TL_E_NOMEM;
	ds6_set_poly(r, p, n);
	const cJSON *lg = cJSON_GetObjectItemCaseSensitive(node, "legible");
	r->dontcare = cJSON_IsFalse(lg);
	static const char *const known[] = { "vertices", "text", "legible", NULL };
	cJSON *x = cJSON_CreateObject();
	const cJSON *e;
	if (!x)
		return TL_E_NOMEM;
	if (level >= LV_LINE)
		cJSON_AddNumberToObject(x, "@p", pi);
	if (level == LV_WORD)
		cJSON_AddNumberToObject(x, "@l", li);
	tl_buf text = TL_BUF_INIT;
	int rc = TL_OK;
	const char *t = ds6_json_str(node, "text");
	if (level == LV_PARA) {
		/* a paragraph has no text of its own: its lines', one per line */
		const cJSON *ln;
		int first = 1;
		cJSON_ArrayForEach(ln, cJSON_GetObjectItemCaseSensitive(node, "lines")) {
			const char *lt = ds6_json_str(ln, "text");
			if (!rc && !first)
				rc = tl_buf_puts(&text, "\n");
			if (!rc)
				rc = tl_buf_puts(&text, lt ? lt : "");
			first = 0;
		}
		t = text.data;
	}
	cJSON_ArrayForEach(e, node) {
		int skip = !ds6_json_first(node, e);
		for (const char *const *k = known; *k && !skip; k++)
			skip = e->string && !strcmp(e->string, *k);
		if (skip || rc)
			continue;
		/* escaped, so that no member of the data can pass for an index */
		tl_buf key = TL_BUF_INIT;
		if ((e->string && e->string[0] == '@' && tl_buf_puts(&key, "@")) ||
		    tl_buf_puts(&key, e->string ? e->string : "") ||
		    !cJSON_AddItemToObject(x, key.data, cJSON_Duplicate(e, 1)))
			rc = TL_E_NOMEM;
		tl_buf_free(&key);
	}
	if (!rc && t && !(r->text = tl_dataset_strdup(ds, t)))
		rc = TL_E_NOMEM;
	tl_buf_free(&text);
	if (!rc && x->child) {
		char *s = cJSON_PrintUnformatted(x);
		if (!s || !(r->extra = tl_dataset_strdup(ds, s)))
			rc = TL_E_NOMEM;
		cJSON_free(s);
	}
	cJSON_Delete(x);
	return rc;
}

/* Removes the later of members with the same name: what the readers see of a node
 * is its first (cJSON's lookup), and the skeleton kept above the chosen level must
 * say the same, or the child list refilled on writing is not the one read. */
static void drop_repeated_keys(cJSON *o)
{
	if (!cJSON_IsObject(o))
		return;
	for (cJSON *c = o->child, *next; c; c = next) {
		next = c->next;
		if (!ds6_json_first(o, c))
			cJSON_Delete(cJSON_DetachItemViaPointer(o, c));
	}
}

static int read_level(tl_dataset *ds, const char *path, const char *data, size_t len,
		      int level, tl_diags *d)
{
	cJSON *root = ds6_json_parse(path, data, len, d);
	if (!root)
		return TL_E_INPUT;
	const cJSON *anns = cJSON_GetObjectItemCaseSensitive(root, "annotations");
	if (!cJSON_IsArray(anns)) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
			     "expected an object with an \"annotations\" array");
		cJSON_Delete(root);
		return TL_E_INPUT;
	}
	static const char *const top_known[] = { "annotations", NULL };
	static const char *const img_known[] = { "image_id", "image_width", "image_height",
						 "paragraphs", NULL };
	int rc = TL_OK, bad = 0, nomem = 0;
	const char *dsx = ds6_json_extra(ds, root, top_known, &nomem);
	if (dsx && !ds->extra)
		ds->extra = dsx;
	size_t idx = 0;
	const cJSON *a;
	cJSON_ArrayForEach(a, anns) {
		const char *id = ds6_json_str(a, "image_id");
		const cJSON *paras = cJSON_GetObjectItemCaseSensitive(a, "paragraphs");
		if (!id || !cJSON_IsArray(paras)) {
			tl_diags_add(d, TL_ERROR, path, 0, 0, "bad-structure",
				     "annotations[%zu]: needs \"image_id\" and \"paragraphs\"", idx++);
			bad = 1;
			continue;
		}
		idx++;
		tl_buf name = TL_BUF_INIT;
		tl_image *im = tl_buf_printf(&name, "%s.jpg", id) ? NULL
								  : tl_dataset_add_image(ds, name.data);
		tl_buf_free(&name);
		if (!im || !(im->source = tl_dataset_strdup(ds, path))) {
			rc = TL_E_NOMEM;
			break;
		}
		double v;
		if (ds6_json_num(a, "image_width", &v) && v >= 0 && v <= 1e9)
			im->width = (int)v;
		if (ds6_json_num(a, "image_height", &v) && v >= 0 && v <= 1e9)
			im->height = (int)v;
		/* image extra: unknown members + the skeleton above the chosen level */
		cJSON *x = cJSON_CreateObject(), *skel = NULL;
		if (!x) {
			rc = TL_E_NOMEM;
			break;
		}
		const cJSON *e;
		cJSON_ArrayForEach(e, a) {
			int skip = !ds6_json_first(a, e);
			for (const char *const *k = img_known; *k && !skip; k++)
				skip = e->string && !strcmp(e->string, *k);
			if (!skip)
				cJSON_AddItemToObject(x, e->string ? e->string : "",
						      cJSON_Duplicate(e, 1));
		}
		if (level > LV_PARA) {
			skel = cJSON_Duplicate(paras, 1);
			cJSON *pp, *ll;
			cJSON_ArrayForEach(pp, skel) {
				drop_repeated_keys(pp);
				if (level == LV_LINE) {
					cJSON_DeleteItemFromObjectCaseSensitive(pp, "lines");
					continue;
				}
				cJSON_ArrayForEach(ll, cJSON_GetObjectItemCaseSensitive(pp, "lines")) {
					drop_repeated_keys(ll);
					cJSON_DeleteItemFromObjectCaseSensitive(ll, "words");
				}
			}
			if (skel)
				cJSON_AddItemToObject(x, "paragraphs", skel);
		}
		if (x->child) {
			char *s = cJSON_PrintUnformatted(x);
			if (!s || !(im->extra = tl_dataset_strdup(ds, s)))
				nomem = 1;
			cJSON_free(s);
		}
		cJSON_Delete(x);
		int pi = 0;
		const cJSON *p;
		cJSON_ArrayForEach(p, paras) {
			if (level == LV_PARA) {
				rc = add_region(ds, im, p, LV_PARA, pi, 0, path, &bad, d);
			} else {
				int li = 0;
				const cJSON *l;
				cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(p, "lines")) {
					if (level == LV_LINE) {
						rc = add_region(ds, im, l, LV_LINE, pi, li, path, &bad, d);
					} else {
						const cJSON *w;
						cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(l, "words"))
							if (!rc)
								rc = add_region(ds, im, w, LV_WORD, pi, li, path,
										&bad, d);
					}
					if (rc)
						break;
					li++;
				}
			}
			if (rc)
				break;
			pi++;
		}
		if (rc)
			break;
	}
	cJSON_Delete(root);
	if (nomem)
		rc = TL_E_NOMEM;
	return rc ? rc : bad ? TL_E_INPUT : TL_OK;
}

static int ht_read_words(tl_dataset *ds, const char *path, const char *data, size_t len,
			 const tl_read_opts *o, tl_diags *d)
{
	return read_level(ds, path, data, len, LV_WORD, d);
}

static int ht_read_lines(tl_dataset *ds, const char *path, const char *data, size_t len,
			 const tl_read_opts *o, tl_diags *d)
{
	return read_level(ds, path, data, len, LV_LINE, d);
}

static int ht_read_paras(tl_dataset *ds, const char *path, const char *data, size_t len,
			 const tl_read_opts *o, tl_diags *d)
{
	return read_level(ds, path, data, len, LV_PARA, d);
}

/* ---- writing ---- */

/* A node {vertices, text?, legible} for r plus (keep) its extra minus the indices
 * "@p"/"@l", escaped names ("@@x") restored in place. */
static cJSON *node_new(const tl_region *r, int with_text, int keep)
{
	tl_point buf[4];
	const tl_point *p;
	size_t n = ds6_points(r, buf, &p);
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddItemToObject(o, "vertices", ds6_json_pairs_new(p, n)) ||
	    /* HierText gives illegible nodes an empty text; a text read from this
	     * format is written back as it was */
	    (with_text && !cJSON_AddStringToObject(o, "text", r->dontcare && !keep ? "" : r->text)) ||
	    !cJSON_AddBoolToObject(o, "legible", !r->dontcare) ||
	    (keep && ds6_json_add_extra(o, r->extra))) {
		cJSON_Delete(o);
		return NULL;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(o, "@p");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "@l");
	for (cJSON *c = o->child; c; c = c->next) {
		if (!c->string || strncmp(c->string, "@@", 2) || (c->type & cJSON_StringIsConst))
			continue;
		memmove(c->string, c->string + 1, strlen(c->string));
	}
	return o;
}

static int extra_index(const char *extra, const char *key)
{
	cJSON *v = ds6_extra_get(extra, key);
	int i = cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e6
		? (int)v->valuedouble : -1;
	cJSON_Delete(v);
	return i;
}

static int write_level(const tl_dataset *ds, tl_buf *out, int level, const char *name,
		       tl_diags *d)
{
	int keep = ds6_same(ds, name);
	size_t dc_text = 0;
	cJSON *root = cJSON_CreateObject(), *anns;
	if (!root)
		return TL_E_NOMEM;
	if (keep && ds6_json_add_extra(root, ds->extra))
		goto oom;
	if (!keep && !cJSON_GetObjectItemCaseSensitive(root, "info")) {
		cJSON *info = cJSON_AddObjectToObject(root, "info");
		if (!info || !cJSON_AddStringToObject(info, "version", "v1"))
			goto oom;
	}
	if (!(anns = cJSON_AddArrayToObject(root, "annotations")))
		goto oom;
	for (size_t i = 0; i < ds->nimages; i++) {
		const tl_image *im = &ds->images[i];
		cJSON *a = cJSON_CreateObject(), *paras = NULL;
		tl_buf stem = TL_BUF_INIT;
		if (!a || !cJSON_AddItemToArray(anns, a) || ds6_key(im->name, &stem) ||
		    !cJSON_AddStringToObject(a, "image_id", stem.data) ||
		    !cJSON_AddNumberToObject(a, "image_width", im->width) ||
		    !cJSON_AddNumberToObject(a, "image_height", im->height)) {
			tl_buf_free(&stem);
			goto oom;
		}
		tl_buf_free(&stem);
		if (keep && level > LV_PARA)
			paras = ds6_extra_get(im->extra, "paragraphs");
		if (!cJSON_IsArray(paras)) {
			cJSON_Delete(paras);
			paras = cJSON_CreateArray();
		}
		if (!paras || !cJSON_AddItemToObject(a, "paragraphs", paras))
			goto oom;
		if (keep && ds6_json_add_extra(a, im->extra))
			goto oom;
		/* empty the child lists the regions refill; a node that is not an object
		 * held no regions and is kept as it was read */
		cJSON *pp, *ll;
		cJSON_ArrayForEach(pp, paras) {
			if (!cJSON_IsObject(pp))
				continue;
			if (level == LV_LINE) {
				cJSON_DeleteItemFromObjectCaseSensitive(pp, "lines");
				if (!cJSON_AddArrayToObject(pp, "lines"))
					goto oom;
			} else if (level == LV_WORD) {
				cJSON_ArrayForEach(ll, cJSON_GetObjectItemCaseSensitive(pp, "lines")) {
					if (!cJSON_IsObject(ll))
						continue;
					cJSON_DeleteItemFromObjectCaseSensitive(ll, "words");
					if (!cJSON_AddArrayToObject(ll, "words"))
						goto oom;
				}
			}
		}
		for (size_t k = 0; k < im->nregions; k++) {
			const tl_region *r = &im->regions[k];
			if (!r->geom.shape)
				continue;
			/* illegible nodes carry an empty text in HierText */
			dc_text += !keep && r->dontcare && r->text[0] && level != LV_PARA;
			cJSON *node = node_new(r, level != LV_PARA, keep);
			if (!node)
				goto oom;
			int pi = keep ? extra_index(r->extra, "@p") : -1;
			int li = keep ? extra_index(r->extra, "@l") : -1;
			cJSON *para = pi >= 0 ? cJSON_GetArrayItem(paras, pi) : NULL;
			cJSON *lines = cJSON_GetObjectItemCaseSensitive(para, "lines");
			cJSON *line = level == LV_WORD && li >= 0 ? cJSON_GetArrayItem(lines, li) : NULL;
			if (level == LV_LINE && para && cJSON_IsArray(lines)) {
				if (!cJSON_AddItemToArray(lines, node))
					goto oom_node;
				continue;
			}
			cJSON *words = cJSON_GetObjectItemCaseSensitive(line, "words");
			if (level == LV_WORD && cJSON_IsArray(words)) {
				if (!cJSON_AddItemToArray(words, node))
					goto oom_node;
				continue;
			}
			/* no parent known: a paragraph of its own (of one line of one word) */
			if (level == LV_PARA) {
				if (!keep && !cJSON_GetObjectItemCaseSensitive(node, "lines")) {
					cJSON *ln = node_new(r, 1, 0), *w = node_new(r, 1, 0), *wl;
					cJSON *lns = cJSON_AddArrayToObject(node, "lines");
					if (!ln || !w || !lns || !(wl = cJSON_AddArrayToObject(ln, "words")) ||
					    !cJSON_AddItemToArray(wl, w) || !cJSON_AddItemToArray(lns, ln)) {
						cJSON_Delete(ln);
						cJSON_Delete(w);
						goto oom_node;
					}
				}
				if (!cJSON_AddItemToArray(paras, node))
					goto oom_node;
				continue;
			}
			cJSON *np = node_new(r, 0, 0), *nl;
			cJSON_DeleteItemFromObjectCaseSensitive(np, "text");
			cJSON *nls = np ? cJSON_AddArrayToObject(np, "lines") : NULL;
			if (!nls || !cJSON_AddItemToArray(paras, np)) {
				cJSON_Delete(np);
				goto oom_node;
			}
			if (level == LV_LINE) {
				if (!cJSON_AddItemToArray(nls, node))
					goto oom_node;
				continue;
			}
			nl = node_new(r, 1, 0);
			cJSON *ws = nl ? cJSON_AddArrayToObject(nl, "words") : NULL;
			if (!ws || !cJSON_AddItemToArray(nls, nl)) {
				cJSON_Delete(nl);
				goto oom_node;
			}
			if (!cJSON_AddItemToArray(ws, node))
				goto oom_node;
			continue;
oom_node:
			cJSON_Delete(node);
			goto oom;
		}
	}
	if (dc_text)
		tl_diags_add(d, TL_WARNING, NULL, 0, 0, "lossy",
			     "%zu transcriptions of don't-care regions dropped (illegible text is "
			     "empty in HierText)", dc_text);
	return ds6_json_emit(root, out, 0);
oom:
	cJSON_Delete(root);
	return TL_E_NOMEM;
}

static int ht_write_words(const tl_dataset *ds, const tl_image *im, tl_buf *out,
			  const tl_write_opts *o, tl_diags *d)
{
	return write_level(ds, out, LV_WORD, "hiertext", d);
}

static int ht_write_lines(const tl_dataset *ds, const tl_image *im, tl_buf *out,
			  const tl_write_opts *o, tl_diags *d)
{
	return write_level(ds, out, LV_LINE, "hiertext-lines", d);
}

static int ht_write_paras(const tl_dataset *ds, const tl_image *im, tl_buf *out,
			  const tl_write_opts *o, tl_diags *d)
{
	return write_level(ds, out, LV_PARA, "hiertext-paragraphs", d);
}

static int ht_probe(const char *name, const char *data, size_t len)
{
	size_t n = len < 16384 ? len : 16384;
	return memmem(data, n, "\"annotations\"", 13) && memmem(data, n, "\"paragraphs\"", 12) &&
	       memmem(data, n, "\"vertices\"", 10) ? 90 : 0;
}

static int ht_probe_other(const char *name, const char *data, size_t len)
{
	/* the levels other than words are chosen by name, never by content */
	return 0;
}

#define HT_SHAPES (TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY))

const tl_format tl_fmt_hiertext = {
	.name = "hiertext",
	.summary = "HierText JSON, word level (paragraphs > lines > words kept in extra)",
	.flags = 0,
	.shapes = HT_SHAPES,
	.probe = ht_probe,
	.read = ht_read_words,
	.write = ht_write_words,
};

const tl_format tl_fmt_hiertext_lines = {
	.name = "hiertext-lines",
	.summary = "HierText JSON, line level",
	.flags = 0,
	.shapes = HT_SHAPES,
	.probe = ht_probe_other,
	.read = ht_read_lines,
	.write = ht_write_lines,
};

const tl_format tl_fmt_hiertext_paragraphs = {
	.name = "hiertext-paragraphs",
	.summary = "HierText JSON, paragraph level (text = the lines joined by newlines)",
	.flags = 0,
	.shapes = HT_SHAPES,
	.probe = ht_probe_other,
	.read = ht_read_paras,
	.write = ht_write_paras,
};
