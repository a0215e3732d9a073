/* registry.c — the table of annotation formats, content probing, the common read
 * entry point, and the preparation step that fits a dataset to a writer and names
 * every loss.
 *
 * Adding a format: write formats/<name>.c defining `const tl_format tl_fmt_<name>`,
 * then add one extern line and one row to the table below. */
#include "tl_internal.h"
#include "text.h"
#include <ctype.h>   /* toupper */
#include <math.h>    /* rint */
#include <stdlib.h>  /* free */

extern const tl_format tl_fmt_icdar2013;
extern const tl_format tl_fmt_icdar2015;
extern const tl_format tl_fmt_mlt;
extern const tl_format tl_fmt_paddleocr;
extern const tl_format tl_fmt_rrc;
extern const tl_format tl_fmt_rrc_ltrb;
extern const tl_format tl_fmt_ufo;
extern const tl_format tl_fmt_art;
extern const tl_format tl_fmt_lsvt;
extern const tl_format tl_fmt_rects;
extern const tl_format tl_fmt_doctr;
extern const tl_format tl_fmt_hiertext;
extern const tl_format tl_fmt_hiertext_lines;
extern const tl_format tl_fmt_hiertext_paragraphs;
extern const tl_format tl_fmt_textloc;
extern const tl_format tl_fmt_cocotext;
extern const tl_format tl_fmt_textocr;
extern const tl_format tl_fmt_ctw1500;
extern const tl_format tl_fmt_ctw1500_legacy;
extern const tl_format tl_fmt_ctw1500_xml;
extern const tl_format tl_fmt_totaltext;
extern const tl_format tl_fmt_totaltext_legacy;
extern const tl_format tl_fmt_msra;
extern const tl_format tl_fmt_sroie;
extern const tl_format tl_fmt_mmocr;
extern const tl_format tl_fmt_mmocr_coco;
extern const tl_format tl_fmt_mmocr_jsonl;
extern const tl_format tl_fmt_labelme;
extern const tl_format tl_fmt_wildreceipt;

/* Order matters only for equal probe scores: the earlier row wins. */
static const tl_format *const formats[] = {
	&tl_fmt_icdar2015,
	&tl_fmt_mlt,
	&tl_fmt_rrc,
	&tl_fmt_rrc_ltrb,
	&tl_fmt_icdar2013,
	&tl_fmt_ufo,
	&tl_fmt_paddleocr,
	&tl_fmt_textloc,
	&tl_fmt_totaltext,
	&tl_fmt_totaltext_legacy,
	&tl_fmt_msra,
	&tl_fmt_sroie,
	&tl_fmt_mmocr,
	&tl_fmt_mmocr_coco,
	&tl_fmt_mmocr_jsonl,
	&tl_fmt_labelme,
	&tl_fmt_wildreceipt,
	&tl_fmt_ctw1500,
	&tl_fmt_ctw1500_legacy,
	&tl_fmt_ctw1500_xml,
	&tl_fmt_cocotext,
	&tl_fmt_textocr,
	&tl_fmt_hiertext,
	&tl_fmt_hiertext_lines,
	&tl_fmt_hiertext_paragraphs,
	&tl_fmt_art,
	&tl_fmt_lsvt,
	&tl_fmt_rects,
	&tl_fmt_doctr,
};

/* Other names people use for the same formats. */
static const struct { const char *alias, *name; } aliases[] = {
	{ "ic13", "icdar2013" },
	{ "ic15", "icdar2015" },
	{ "mlt2017", "mlt" },
	{ "mlt2019", "mlt" },
	{ "paddle", "paddleocr" },
	{ "ppocr", "paddleocr" },
};

size_t tl_format_count(void) { return TL_ARRAY_LEN(formats); }

const tl_format *tl_format_at(size_t i)
{
	return i < TL_ARRAY_LEN(formats) ? formats[i] : NULL;
}

const tl_format *tl_format_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < TL_ARRAY_LEN(aliases); i++)
		if (!strcmp(name, aliases[i].alias))
			name = aliases[i].name;
	for (size_t i = 0; i < TL_ARRAY_LEN(formats); i++)
		if (!strcmp(name, formats[i]->name))
			return formats[i];
	return NULL;
}

const tl_format *tl_format_probe(const char *name, const char *data, size_t len)
{
	const tl_format *best = NULL;
	int best_score = 0;
	for (size_t i = 0; i < TL_ARRAY_LEN(formats); i++) {
		if (!formats[i]->probe)
			continue;
		int s = formats[i]->probe(name ? name : "", data, len);
		if (s > best_score) {
			best_score = s;
			best = formats[i];
		}
	}
	return best;
}

/* Refuses a binary file given as annotations when it is a kind people mix up with
 * annotation files (the official Total-Text GT is MATLAB; images sit beside their
 * annotations), saying what it is. 1 when refused. */
static int refuse_binary(const char *path, const char *data, size_t len, tl_diags *d)
{
	static const char mat[] = "MATLAB 5.0 MAT-file";
	const char *img = tl_image_sniff(data, len);
	if (img) {
		char up[8] = "";
		for (size_t i = 0; img[i] && i + 1 < sizeof up; i++)
			up[i] = (char)toupper((unsigned char)img[i]);
		tl_diags_add(d, TL_ERROR, path, 0, 0, "format", "this is a %s image, not annotations",
			     up);
		return 1;
	}
	if (len >= sizeof mat - 1 && !memcmp(data, mat, sizeof mat - 1)) {
		tl_diags_add(d, TL_ERROR, path, 0, 0, "format",
			     "this is a MATLAB .mat file; textloc reads the text form of such ground "
			     "truth (Total-Text ships it under Groundtruth/Text; see "
			     "textloc-formats(5))");
		return 1;
	}
	return 0;
}

int tl_format_read(tl_dataset *ds, const tl_format *fmt, const char *path, const char *data,
		   size_t len, const tl_read_opts *o, tl_diags *d)
{
	static const tl_read_opts defaults;
	if (!o)
		o = &defaults;
	if (refuse_binary(path, data, len, d))
		return TL_E_INPUT;
	char *clean = NULL;
	size_t clen = 0, skip = 0;
	int enc = tl_text_prepare(path, data, len, o->latin1, d, &clean, &clen, &skip);
	if (enc == TL_E_NOMEM)
		return TL_E_NOMEM;
	const char *text = clean ? clean : data + skip;
	size_t tlen = clean ? clen : len - skip;
	if (!fmt)
		fmt = tl_format_probe(tl_source_base(path), text, tlen);
	if (!fmt) {
		free(clean);
		tl_diags_add(d, TL_ERROR, path, 0, 0, "format",
			     "cannot tell the annotation format; name it with --from");
		return TL_E_INPUT;
	}
	if (!fmt->read) {
		free(clean);
		tl_diags_add(d, TL_ERROR, path, 0, 0, "format", "format '%s' cannot be read",
			     fmt->name);
		return TL_E_UNSUPPORTED;
	}
	int rc = fmt->read(ds, path, text, tlen, o, d);
	free(clean);
	if (!ds->format)
		ds->format = fmt->name;
	if (rc == TL_OK && enc == TL_E_INPUT)
		rc = TL_E_INPUT;
	return rc;
}

/* ---- fitting a dataset to a writer ---- */

enum loss {
	L_POLY_QUAD, L_POLY_RBOX, L_TO_RECT, L_QUAD_RBOX, L_OTHER_SHAPE, L_TEXT, L_DC_TEXT,
	L_TEXT_DC, L_DC_FLAG, L_CONF, L_LANG, L_ORIENT, L_ROUND, L_NEWLINE, L_EXTRA,
	L_IMAGE_EXTRA, L_COUNT
};

/* Each kind of loss, for a count of one and for more. */
static const char *const loss_msg[L_COUNT][2] = {
	[L_POLY_QUAD] = { "polygon of more or fewer than 4 points written as its minimum-area rectangle",
			  "polygons of more or fewer than 4 points written as minimum-area rectangles" },
	[L_POLY_RBOX] = { "polygon written as its minimum-area rotated rectangle",
			  "polygons written as minimum-area rotated rectangles" },
	[L_TO_RECT] = { "region that was not an axis-aligned rectangle written as its bounding rectangle",
			"regions that were not axis-aligned rectangles written as bounding rectangles" },
	[L_QUAD_RBOX] = { "quadrilateral that was not a rectangle written as its minimum-area rotated rectangle",
			  "quadrilaterals that were not rectangles written as minimum-area rotated rectangles" },
	[L_OTHER_SHAPE] = { "region changed shape with loss", "regions changed shape with loss" },
	[L_TEXT] = { "transcription dropped (the format holds no text)",
		     "transcriptions dropped (the format holds no text)" },
	[L_DC_TEXT] = { "transcription of a don't-care region replaced by ###",
			"transcriptions of don't-care regions replaced by ###" },
	[L_TEXT_DC] = { "care region whose text is ### becomes don't-care",
			"care regions whose text is ### become don't-care" },
	[L_DC_FLAG] = { "don't-care flag dropped (the format has no don't-care marker)",
			"don't-care flags dropped (the format has no don't-care marker)" },
	[L_CONF] = { "confidence dropped", "confidences dropped" },
	[L_LANG] = { "language or script dropped", "languages or scripts dropped" },
	[L_ORIENT] = { "orientation label dropped", "orientation labels dropped" },
	[L_ROUND] = { "region with non-integer coordinates rounded to integers (half to even)",
		      "regions with non-integer coordinates rounded to integers (half to even)" },
	[L_NEWLINE] = { "transcription with line breaks written with spaces instead",
			"transcriptions with line breaks written with spaces instead" },
	[L_EXTRA] = { "region lost fields that only its source format holds",
		      "regions lost fields that only their source format holds" },
	[L_IMAGE_EXTRA] = { "image lost fields that only its source format holds",
			    "images lost fields that only their source format holds" },
};

/* The form a region of shape s goes to when the writer cannot hold s. */
static tl_shape nearest_shape(const tl_geom *g, unsigned shapes)
{
	static const tl_shape pref[5][4] = {
		[TL_SHAPE_RECT] = { TL_SHAPE_RECT, TL_SHAPE_QUAD, TL_SHAPE_POLY, TL_SHAPE_RBOX },
		[TL_SHAPE_RBOX] = { TL_SHAPE_RBOX, TL_SHAPE_QUAD, TL_SHAPE_POLY, TL_SHAPE_RECT },
		[TL_SHAPE_QUAD] = { TL_SHAPE_QUAD, TL_SHAPE_POLY, TL_SHAPE_RBOX, TL_SHAPE_RECT },
		[TL_SHAPE_POLY] = { TL_SHAPE_POLY, TL_SHAPE_QUAD, TL_SHAPE_RBOX, TL_SHAPE_RECT },
	};
	if (g->shape == TL_SHAPE_POLY && g->n == 4 && (shapes & TL_SHAPE_BIT(TL_SHAPE_QUAD)))
		return TL_SHAPE_QUAD;
	if (g->shape <= TL_SHAPE_NONE || g->shape > TL_SHAPE_POLY)
		return TL_SHAPE_NONE;
	for (int i = 0; i < 4; i++)
		if (shapes & TL_SHAPE_BIT(pref[g->shape][i]))
			return pref[g->shape][i];
	return TL_SHAPE_NONE;
}

/* 1 if the extra object holds a member other than the ones a reader keeps only for
 * bookkeeping (names starting with '@', such as UFO's "@ufo-word-id", a record's key)
 * and other than nulls (dropping "word_tags": null loses nothing). */
static int extra_has_fields(const char *extra)
{
	if (!extra)
		return 0;
	cJSON *j = cJSON_Parse(extra);
	int has = 0;
	if (j)
		for (const cJSON *e = j->child; e && !has; e = e->next)
			has = (!e->string || e->string[0] != '@') && !cJSON_IsNull(e);
	cJSON_Delete(j);
	return has;
}

static int convert_geom(tl_dataset *ds, tl_region *r, tl_shape to, size_t *loss)
{
	tl_geom *g = &r->geom;
	if (g->shape == to)
		return TL_OK;
	/* A 4-point polygon is a quadrilateral and vice versa: relabel, nothing lost. */
	if ((g->shape == TL_SHAPE_POLY && g->n == 4 && to == TL_SHAPE_QUAD) ||
	    (g->shape == TL_SHAPE_QUAD && to == TL_SHAPE_POLY)) {
		g->shape = to;
		return TL_OK;
	}
	tl_shape from = g->shape;
	size_t n = g->n;
	int lossy = 0;
	TL_TRY(tl_geom_convert(ds, g, to, &lossy));
	if (!lossy)
		return TL_OK;
	if (to == TL_SHAPE_RECT)
		loss[L_TO_RECT]++;
	else if (from == TL_SHAPE_POLY && to == TL_SHAPE_QUAD && n != 4)
		loss[L_POLY_QUAD]++;
	else if (from == TL_SHAPE_POLY && to == TL_SHAPE_RBOX)
		loss[L_POLY_RBOX]++;
	else if (from == TL_SHAPE_QUAD && to == TL_SHAPE_RBOX)
		loss[L_QUAD_RBOX]++;
	else
		loss[L_OTHER_SHAPE]++;
	return TL_OK;
}

static int non_integer(double v) { return rint(v) != v; }

int tl_format_prepare(tl_dataset *ds, const tl_format *fmt, const tl_write_opts *o,
		      tl_diags *d, tl_error *err)
{
	static const tl_write_opts defaults;
	if (!o)
		o = &defaults;
	if (o->shape != TL_SHAPE_NONE && !(fmt->shapes & TL_SHAPE_BIT(o->shape)))
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0,
				    "format '%s' cannot hold the shape '%s'", fmt->name,
				    tl_shape_name(o->shape));
	size_t loss[L_COUNT] = { 0 };
	int same = tl_same_format(ds, fmt->name) || (fmt->flags & TL_FMT_ANY_EXTRA);
	for (size_t i = 0; i < ds->nimages; i++) {
		tl_image *im = &ds->images[i];
		if (!same && im->extra && extra_has_fields(im->extra))
			loss[L_IMAGE_EXTRA]++;
		for (size_t k = 0; k < im->nregions; k++) {
			tl_region *r = &im->regions[k];
			tl_shape to = o->shape != TL_SHAPE_NONE ? o->shape
								: nearest_shape(&r->geom, fmt->shapes);
			if (to != TL_SHAPE_NONE && convert_geom(ds, r, to, loss) != TL_OK)
				return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
			if (fmt->flags & TL_FMT_NO_TEXT) {
				if (r->text[0] && !(r->dontcare && !strcmp(r->text, "###")))
					loss[L_TEXT]++;
			} else if (fmt->flags & TL_FMT_DC_TEXT) {
				if (r->dontcare && tl_dc_text(r, NULL) != r->text)
					loss[L_DC_TEXT]++;
				else if (!r->dontcare && !strcmp(r->text, "###"))
					loss[L_TEXT_DC]++;
			}
			if ((fmt->flags & TL_FMT_ONE_LINE) && !(fmt->flags & TL_FMT_NO_TEXT) &&
			    strpbrk(r->text, "\r\n"))
				loss[L_NEWLINE]++;
			if ((fmt->flags & TL_FMT_NO_DC) && r->dontcare)
				loss[L_DC_FLAG]++;
			if (r->has_confidence && !(fmt->flags & TL_FMT_CONFIDENCE))
				loss[L_CONF]++;
			if (r->lang && r->lang[0] && !(fmt->flags & TL_FMT_LANG))
				loss[L_LANG]++;
			if (r->orient && r->orient[0] && !(fmt->flags & TL_FMT_ORIENT))
				loss[L_ORIENT]++;
			if (!same && r->extra && extra_has_fields(r->extra))
				loss[L_EXTRA]++;
			if (fmt->flags & TL_FMT_INT_COORDS) {
				const tl_geom *g = &r->geom;
				int frac = 0;
				if (g->shape == TL_SHAPE_RECT)
					frac = non_integer(g->rect.l) || non_integer(g->rect.t) ||
					       non_integer(g->rect.r) || non_integer(g->rect.b);
				else if (g->shape == TL_SHAPE_RBOX)
					frac = non_integer(g->rbox.cx) || non_integer(g->rbox.cy) ||
					       non_integer(g->rbox.w) || non_integer(g->rbox.h);
				else
					for (size_t p = 0; p < g->n && !frac; p++)
						frac = non_integer(g->pts[p].x) ||
						       non_integer(g->pts[p].y);
				if (frac)
					loss[L_ROUND]++;
			}
		}
	}
	for (int k = 0; k < L_COUNT; k++)
		if (loss[k])
			tl_diags_add(d, TL_WARNING, NULL, 0, 0, "lossy", "%zu %s (%s)", loss[k],
				     loss_msg[k][loss[k] > 1], fmt->name);
	return TL_OK;
}
