/* ufo.c — UFO, Upstage Format for OCR (formats.md §4.17): one JSON file
 * {"images": {<file name>: {img_w, img_h, words: {<id>: word}, ...}}}.
 *
 * Mapping to the data model: points -> QUAD (4 points) or POLY; transcription
 * (string) -> text; illegibility (bool) -> don't care; orientation (string) -> orient;
 * language (array of strings) -> lang, joined with ','; confidence (number) ->
 * confidence; img_w / img_h (integers) -> image size. Every other field, and any of
 * those with a value of another type (null transcription, null language ...), goes
 * to the region's or image's extra object, and top-level fields other than "images"
 * to the dataset's; the word id travels as "@ufo-word-id" in the region's extra.
 * Writing the same format puts everything back, so a round trip loses nothing. */
#include "tl_internal.h"
#include "text.h"
#include <math.h>    /* rint */

#define MAX_KNOWN 16

static int probe(const char *name, const char *data, size_t len)
{
	size_t i = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i >= len || data[i] != '{')
		return 0;
	size_t head = len - i < 512 ? len - i : 512;
	const char *p = data + i;
	int images = 0;
	for (size_t k = 0; k + 8 <= head; k++)
		if (!memcmp(p + k, "\"images\"", 8)) {
			images = 1;
			break;
		}
	if (!images)
		return 0;
	size_t body = len - i < 8192 ? len - i : 8192;
	for (size_t k = 0; k + 7 <= body; k++)
		if (!memcmp(p + k, "\"words\"", 7))
			return 90;
	return tl_has_suffix(name, ".json") ? 50 : 30;
}

/* Line numbers for JSON records: cJSON keeps no positions, so the text is searched
 * forward for each key ("key" then optional white space and ':') in document order.
 * A key not found (written with other escapes) gets line 0 and moves nothing. */
struct seeker { const char *cur, *end; long line; };

static long seek_key(struct seeker *sk, const char *key)
{
	tl_buf pat = TL_BUF_INIT;
	long found = 0;
	if (tl_buf_json_string(&pat, key) == TL_OK) {
		const char *p = sk->cur;
		while (p < sk->end) {
			const char *m = memmem(p, (size_t)(sk->end - p), pat.data, pat.len);
			if (!m)
				break;
			const char *q = m + pat.len;
			while (q < sk->end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
				q++;
			if (q < sk->end && *q == ':') {
				for (const char *c = sk->cur; c < m; c++)
					sk->line += *c == '\n';
				sk->cur = m;
				found = sk->line;
				break;
			}
			p = m + 1;
		}
	}
	tl_buf_free(&pat);
	return found;
}

static void add_known(const char **known, size_t *nk, const char *name)
{
	if (*nk < MAX_KNOWN - 1)
		known[(*nk)++] = name;
	known[*nk] = NULL;
}

/* Reads one word record into a region; returns TL_OK, TL_E_INPUT (reported) or
 * TL_E_NOMEM. */
static int read_word(tl_dataset *ds, tl_image *im, const cJSON *w, const char *path,
		     tl_diags *d, long line)
{
	const char *id = w->string ? w->string : "";
	if (!cJSON_IsObject(w)) {
		tl_diags_add(d, TL_ERROR, path, line, 0, "json-shape",
			     "image '%s': word '%s' is not an object", im->name, id);
		return TL_E_INPUT;
	}
	const cJSON *pts = cJSON_GetObjectItemCaseSensitive(w, "points");
	if (!pts) {
		tl_diags_add(d, TL_ERROR, path, line, 0, "json-shape",
			     "image '%s': word '%s' has no points", im->name, id);
		return TL_E_INPUT;
	}
	tl_point *p;
	size_t n;
	const char *why;
	int rc = tl_json_points(ds, pts, &p, &n, &why);
	if (rc == TL_E_NOMEM)
		return rc;
	if (rc == TL_OK && n < 3) {
		why = "fewer than 3 points";
		rc = TL_E_INPUT;
	}
	if (rc != TL_OK) {
		tl_diags_add(d, TL_ERROR, path, line, 0, "bad-points", "image '%s': word '%s': %s",
			     im->name, id, why);
		return TL_E_INPUT;
	}
	tl_region *r = tl_image_add_region(ds, im);
	if (!r) {
		tl_diags_add(d, TL_ERROR, path, line, 0, "limit", "image '%s': too many words", im->name);
		return TL_E_LIMIT;
	}
	r->line = line;
	r->geom.shape = n == 4 ? TL_SHAPE_QUAD : TL_SHAPE_POLY;
	r->geom.pts = p;
	r->geom.n = n;
	const char *known[MAX_KNOWN];
	size_t nk = 0;
	add_known(known, &nk, "points");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(w, "transcription");
	if (cJSON_IsString(e)) {
		r->text = tl_dataset_strdup(ds, e->valuestring);
		add_known(known, &nk, "transcription");
	}
	e = cJSON_GetObjectItemCaseSensitive(w, "illegibility");
	if (cJSON_IsBool(e)) {
		r->dontcare = cJSON_IsTrue(e);
		add_known(known, &nk, "illegibility");
	}
	e = cJSON_GetObjectItemCaseSensitive(w, "orientation");
	if (cJSON_IsString(e)) {
		r->orient = tl_dataset_strdup(ds, e->valuestring);
		add_known(known, &nk, "orientation");
	}
	e = cJSON_GetObjectItemCaseSensitive(w, "language");
	if (cJSON_IsArray(e)) {
		tl_buf b = TL_BUF_INIT;
		int ok = 1;
		for (const cJSON *l = e->child; l && ok; l = l->next) {
			/* an empty language or one with a comma could not be split back apart */
			ok = cJSON_IsString(l) && l->valuestring[0] &&
			     !strchr(l->valuestring, ',');
			if (ok && ((l != e->child && tl_buf_puts(&b, ",")) ||
				   tl_buf_puts(&b, l->valuestring))) {
				tl_buf_free(&b);
				return TL_E_NOMEM;
			}
		}
		if (ok) {
			r->lang = tl_dataset_strdup(ds, b.data ? b.data : "");
			add_known(known, &nk, "language");
		}
		tl_buf_free(&b);
	}
	e = cJSON_GetObjectItemCaseSensitive(w, "confidence");
	if (tl_json_finite(e, &r->confidence)) {
		r->has_confidence = 1;
		add_known(known, &nk, "confidence");
	}
	/* The id travels in extra under "@ufo-word-id", ahead of the other fields. */
	int nomem;
	char *rest = tl_json_extra(ds, w, known, &nomem);
	if (nomem || !r->text)
		return TL_E_NOMEM;
	tl_buf b = TL_BUF_INIT;
	if (tl_buf_puts(&b, "{\"@ufo-word-id\": ") || tl_buf_json_string(&b, id) ||
	    (rest && (tl_buf_puts(&b, ", ") || tl_buf_puts(&b, rest + 1))) ||
	    (!rest && tl_buf_puts(&b, "}"))) {
		tl_buf_free(&b);
		return TL_E_NOMEM;
	}
	r->extra = tl_dataset_strndup(ds, b.data, b.len);
	tl_buf_free(&b);
	return r->extra ? TL_OK : TL_E_NOMEM;
}

static int read_(tl_dataset *ds, const char *path, const char *data, size_t len,
		 const tl_read_opts *o, tl_diags *d)
{
	(void)o;
	long line, col;
	cJSON *root = tl_json_parse(data, len, &line, &col);
	if (!root) {
		tl_diags_add(d, TL_ERROR, path, line, col, "json", "invalid JSON");
		return TL_E_INPUT;
	}
	int bad = 0, rc = TL_OK;
	const cJSON *images = cJSON_GetObjectItemCaseSensitive(root, "images");
	if (!cJSON_IsObject(root) || !cJSON_IsObject(images)) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "json-shape",
			     "a UFO file is an object with an \"images\" object");
		cJSON_Delete(root);
		return TL_E_INPUT;
	}
	static const char *const top_known[] = { "images", NULL };
	int nomem;
	char *top = tl_json_extra(ds, root, top_known, &nomem);
	if (nomem)
		goto nomem;
	if (top && !ds->extra)
		ds->extra = top;
	struct seeker sk = { data, data + len, 1 };
	seek_key(&sk, "images");
	for (const cJSON *ij = images->child; ij; ij = ij->next) {
		long imline = ij->string ? seek_key(&sk, ij->string) : 0;
		if (!cJSON_IsObject(ij)) {
			tl_diags_add(d, TL_ERROR, path, imline, 0, "json-shape",
				     "image '%s' is not an object", ij->string ? ij->string : "");
			bad = 1;
			continue;
		}
		tl_image *im = tl_dataset_add_image(ds, ij->string ? ij->string : "");
		if (!im) {
			rc = TL_E_LIMIT;
			tl_diags_add(d, TL_ERROR, path, 0, 0, "limit", "too many images");
			break;
		}
		im->source = tl_dataset_strdup(ds, path);
		const char *known[MAX_KNOWN];
		size_t nk = 0;
		add_known(known, &nk, "words");
		double v;
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(ij, "img_w");
		if (tl_json_finite(e, &v) && v > 0 && v <= 1e9 && rint(v) == v) {
			im->width = (int)v;
			add_known(known, &nk, "img_w");
		}
		e = cJSON_GetObjectItemCaseSensitive(ij, "img_h");
		if (tl_json_finite(e, &v) && v > 0 && v <= 1e9 && rint(v) == v) {
			im->height = (int)v;
			add_known(known, &nk, "img_h");
		}
		im->extra = tl_json_extra(ds, ij, known, &nomem);
		if (nomem || !im->source)
			goto nomem;
		const cJSON *words = cJSON_GetObjectItemCaseSensitive(ij, "words");
		if (words && !cJSON_IsObject(words)) {
			tl_diags_add(d, TL_ERROR, path, imline, 0, "json-shape",
				     "image '%s': \"words\" is not an object", im->name);
			bad = 1;
			continue;
		}
		if (!words) {
			/* the writer will give it an empty "words" */
			tl_diags_add(d, TL_WARNING, path, imline, 0, "json-shape",
				     "image '%s' has no \"words\"", im->name);
			continue;
		}
		for (const cJSON *w = words->child; w; w = w->next) {
			int r = read_word(ds, im, w, path, d, w->string ? seek_key(&sk, w->string) : 0);
			if (r == TL_E_NOMEM)
				goto nomem;
			if (r == TL_E_LIMIT) {
				rc = r;
				break;
			}
			if (r != TL_OK)
				bad = 1;
		}
	}
	cJSON_Delete(root);
	return rc != TL_OK ? rc : bad ? TL_E_INPUT : TL_OK;
nomem:
	cJSON_Delete(root);
	return TL_E_NOMEM;
}

static int put_points(tl_buf *out, const tl_point *p, size_t n)
{
	TL_TRY(tl_buf_append(out, "[", 1));
	for (size_t i = 0; i < n; i++) {
		TL_TRY(tl_buf_puts(out, i ? ", [" : "["));
		TL_TRY(tl_buf_num(out, p[i].x));
		TL_TRY(tl_buf_append(out, ", ", 2));
		TL_TRY(tl_buf_num(out, p[i].y));
		TL_TRY(tl_buf_append(out, "]", 1));
	}
	return tl_buf_append(out, "]", 1);
}

static int put_lang(tl_buf *out, const char *lang)
{
	TL_TRY(tl_buf_append(out, "[", 1));
	const char *s = lang;
	int first = 1;
	while (*lang) {
		const char *c = strchr(s, ',');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		char *one = strndup(s, n);
		if (!one)
			return TL_E_NOMEM;
		int rc = (first ? TL_OK : tl_buf_append(out, ", ", 2));
		if (rc == TL_OK)
			rc = tl_buf_json_string(out, one);
		free(one);
		TL_TRY(rc);
		first = 0;
		if (!c)
			break;
		s = c + 1;
	}
	return tl_buf_append(out, "]", 1);
}

static int write_word(const tl_dataset *ds, const tl_region *r, size_t k, tl_buf *out,
		      tl_diags *d, const char *imname, int same, int *first)
{
	tl_point small[4], *p;
	size_t n;
	TL_TRY(tl_poly_points(r, k, imname, d, small, &p, &n));
	/* the extra fields, parsed once: the id, and which mapped fields it overrides */
	cJSON *ex = same && r->extra ? cJSON_Parse(r->extra) : NULL;
	const cJSON *idj = cJSON_GetObjectItemCaseSensitive(ex, "@ufo-word-id");
	int rc = tl_buf_puts(out, *first ? "\n      " : ",\n      ");
	*first = 0;
	if (rc == TL_OK) {
		if (cJSON_IsString(idj))
			rc = tl_buf_json_string(out, idj->valuestring);
		else
			rc = tl_buf_printf(out, "\"%04zu\"", k + 1);
	}
	if (rc == TL_OK)
		rc = tl_buf_puts(out, ": {\"points\": ");
	if (rc == TL_OK)
		rc = put_points(out, p, n);
	if (p != small)
		free(p);
	/* a null transcription or a non-boolean illegibility stays in extra */
	if (rc == TL_OK && !cJSON_GetObjectItemCaseSensitive(ex, "transcription")) {
		rc = tl_buf_puts(out, ", \"transcription\": ");
		if (rc == TL_OK)
			rc = tl_buf_json_string(out, r->text);
	}
	if (rc == TL_OK && r->lang) {
		rc = tl_buf_puts(out, ", \"language\": ");
		if (rc == TL_OK)
			rc = put_lang(out, r->lang);
	}
	if (rc == TL_OK && !cJSON_GetObjectItemCaseSensitive(ex, "illegibility"))
		rc = tl_buf_puts(out, r->dontcare ? ", \"illegibility\": true"
						  : ", \"illegibility\": false");
	if (rc == TL_OK && r->orient) {
		rc = tl_buf_puts(out, ", \"orientation\": ");
		if (rc == TL_OK)
			rc = tl_buf_json_string(out, r->orient);
	}
	if (rc == TL_OK && r->has_confidence) {
		rc = tl_buf_puts(out, ", \"confidence\": ");
		if (rc == TL_OK)
			rc = tl_buf_num(out, r->confidence);
	}
	/* Only the reader's own id member (always first) is skipped: a word may hold a
	 * field of the same name itself, and that one is written back. */
	for (const cJSON *e = ex ? ex->child : NULL; e && rc == TL_OK; e = e->next) {
		if (e == idj && e == ex->child)
			continue;
		rc = tl_buf_puts(out, ", ");
		if (rc == TL_OK) {
			cJSON one = *e; /* print this member alone, without its siblings */
			one.next = one.prev = NULL;
			cJSON wrap = { 0 };
			wrap.type = cJSON_Object;
			wrap.child = &one;
			one.prev = &one;
			rc = tl_json_put_tree_members(out, &wrap, "", NULL);
		}
	}
	cJSON_Delete(ex);
	TL_TRY(rc);
	return tl_buf_append(out, "}", 1);
}

static int write_(const tl_dataset *ds, const tl_image *only, tl_buf *out,
		  const tl_write_opts *o, tl_diags *d)
{
	(void)o;
	(void)only;
	int same = tl_same_format(ds, "ufo");
	int bad = 0;
	TL_TRY(tl_buf_puts(out, "{\"images\": {"));
	for (size_t i = 0; i < ds->nimages; i++) {
		const tl_image *im = &ds->images[i];
		TL_TRY(tl_buf_puts(out, i ? ",\n  " : "\n  "));
		TL_TRY(tl_buf_json_string(out, im->name));
		TL_TRY(tl_buf_puts(out, ": {"));
		if (im->height > 0)
			TL_TRY(tl_buf_printf(out, "\"img_h\": %d, ", im->height));
		if (im->width > 0)
			TL_TRY(tl_buf_printf(out, "\"img_w\": %d, ", im->width));
		TL_TRY(tl_buf_puts(out, "\"words\": {"));
		int first = 1;
		for (size_t k = 0; k < im->nregions; k++) {
			int rc = write_word(ds, &im->regions[k], k, out, d, im->name, same, &first);
			if (rc == TL_E_INPUT)
				bad = 1;
			else
				TL_TRY(rc);
		}
		TL_TRY(tl_buf_puts(out, first ? "}" : "\n    }"));
		TL_TRY(tl_json_put_members(out, same ? im->extra : NULL, ", ", NULL));
		TL_TRY(tl_buf_append(out, "}", 1));
	}
	TL_TRY(tl_buf_puts(out, ds->nimages ? "\n}" : "}"));
	TL_TRY(tl_json_put_members(out, same ? ds->extra : NULL, ", ", NULL));
	TL_TRY(tl_buf_puts(out, "}\n"));
	return bad ? TL_E_INPUT : TL_OK;
}

const tl_format tl_fmt_ufo = {
	.name = "ufo",
	.summary = "UFO (Upstage Format for OCR) JSON: images -> words with points, "
		   "transcription, illegibility, language, orientation, tags",
	.flags = TL_FMT_CONFIDENCE | TL_FMT_LANG | TL_FMT_ORIENT,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = probe,
	.read = read_,
	.write = write_,
};
