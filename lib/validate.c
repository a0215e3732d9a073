/* validate.c — the rules of `textloc validate` over a dataset that a reader has
 * already filled (syntax problems are the readers' to report). The kinds and their
 * severities are listed in textloc/validate.h; the reasons behind the less obvious
 * ones are given where each rule is checked.
 */
#include "tl_internal.h"
#include <math.h>          /* isfinite, trunc, fabs */
#include <stdio.h>         /* snprintf, vsnprintf */
#include <cjson/cJSON.h>   /* the id of JSON regions, kept in extra */
#include "geom_clip.h"     /* tl_clip_inter: the overlap areas, the same kernel as eval's */

#define DEFAULT_SHARE   0.5
#define DEFAULT_OVERLAP 0.5
#define DEFAULT_BUDGET  10000000ull
/* Rings longer than this skip the self-intersection test and the overlap rules
 * (a note says so): the checks are super-linear and real labels stay far below. */
#define MAX_CHECK_POINTS 4096
/* Two cared-for regions this similar (IoU) are almost certainly one word twice. */
#define NEAR_DUP_IOU 0.9
/* A don't-care region covering this share of the image swallows every detection. */
#define HUGE_DC_SHARE 0.9

typedef struct vreg {
	size_t idx;            /* index in the image's regions */
	tl_point *pts;         /* canonical copy (clockwise, from the top-left) */
	size_t n;
	double area;
	double minx, miny, maxx, maxy;
	int dc;
	int finite;            /* all coordinates finite and n >= 3 */
	int usable;            /* finite, simple, area > 0: takes part in overlap rules */
	/* One overlap finding per region is enough to act on, and keeps the list
	 * linear in the input when thousands of regions pile up on one spot. */
	unsigned char said_overlap, said_neardup;
} vreg;

typedef struct vctx {
	const tl_dataset *ds;
	tl_diags *d;
	tl_error *err;
	int rrc;               /* RRC rules on */
	int rrc_results;       /* the dataset is a submission (res_img_N.txt) */
	const char **bad_files;/* sorted files the readers reported errors for */
	size_t nbad;
	double share, overlap;
	uint64_t budget;
} vctx;

void tl_validate_opts_init(tl_validate_opts *o)
{
	memset(o, 0, sizeof *o);
	o->rrc = -1;
}

/* Bytes of s to print within max without cutting a UTF-8 sequence in two. */
static int utf8_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	if (n == max)
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	return (int)n;
}

static const char *file_of(const tl_image *im)
{
	return im->source ? im->source : im->name;
}

/* How a message names a region: by its line when the reader recorded one, else
 * by its id (the JSON readers keep it as "@id" in extra), else by its position. */
static void region_ref(const tl_image *im, const tl_region *r, char *buf, size_t size)
{
	if (r->line > 0) {
		snprintf(buf, size, "line %ld", r->line);
		return;
	}
	/* The names the JSON readers keep a record's key or id under. */
	static const char *const keys[] = { "@ufo-word-id", "@id", "id" };
	cJSON *x = r->extra ? cJSON_Parse(r->extra) : NULL;
	const cJSON *id = NULL;
	for (size_t k = 0; x && !id && k < TL_ARRAY_LEN(keys); k++) {
		id = cJSON_GetObjectItemCaseSensitive(x, keys[k]);
		if (!cJSON_IsString(id) && !cJSON_IsNumber(id))
			id = NULL;
	}
	if (cJSON_IsString(id))
		snprintf(buf, size, "word \"%.*s\"", utf8_cut(id->valuestring, 80),
			 id->valuestring);
	else if (cJSON_IsNumber(id))
		snprintf(buf, size, "word %.17g", id->valuedouble);
	else
		snprintf(buf, size, "region %zu", (size_t)(r - im->regions) + 1);
	cJSON_Delete(x);
}

/* Adds a diagnostic about region r of image im, with the file and line the reader
 * recorded (column 1: the rules are about the whole line). Without a line (JSON
 * formats), the message starts with the image and the region's id instead. */
static int rdiag(vctx *c, const tl_image *im, const tl_region *r, tl_severity sev,
		 const char *kind, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int rdiag(vctx *c, const tl_image *im, const tl_region *r, tl_severity sev,
		 const char *kind, const char *fmt, ...)
{
	char msg[900], ref[120];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->line > 0)
		return tl_diags_add(c->d, sev, file_of(im), r->line, 1, kind, "%s", msg);
	region_ref(im, r, ref, sizeof ref);
	const char *name = im->name ? im->name : "?";
	return tl_diags_add(c->d, sev, file_of(im), 0, 0, kind, "%.*s, %s: %s",
			    utf8_cut(name, 200), name, ref, msg);
}

#define RDIAG(c, im, r, sev, kind, ...) rdiag((c), (im), (r), (sev), (kind), __VA_ARGS__)

static int is_rrc_format(const char *f)
{
	return f && (!strncmp(f, "icdar", 5) || !strncmp(f, "rrc", 3) || !strncmp(f, "mlt", 3));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- per-region rules ------------------------------------------------- */

/* The orientation sum of the RRC scripts, on coordinates truncated to integers
 * first as they do: S > 0 is counter-clockwise on screen and is refused. */
static double rrc_orientation_int(const tl_point *p, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		double x0 = trunc(p[i].x), y0 = trunc(p[i].y);
		double x1 = trunc(p[(i + 1) % n].x), y1 = trunc(p[(i + 1) % n].y);
		s += (x1 - x0) * (y1 + y0);
	}
	return s;
}

static double shoelace(const tl_point *p, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += p[i].x * p[(i + 1) % n].y - p[(i + 1) % n].x * p[i].y;
	return s / 2;
}

/* A transcription that means "real text" (not one of the don't-care spellings). */
static int is_real_text(const char *t)
{
	return t && *t && strcmp(t, "###") && strcmp(t, "#") && strcmp(t, "*");
}

static int check_text(vctx *c, const tl_image *im, const tl_region *r)
{
	const char *t = r->text ? r->text : "";
	if (!r->dontcare && !strcmp(t, "###"))
		TL_TRY(RDIAG(c, im, r, TL_WARNING, "dontcare-mismatch",
			     "transcription is \"###\" but the region is not marked don't-care"));
	else if (r->dontcare && is_real_text(t))
		TL_TRY(RDIAG(c, im, r, TL_WARNING, "dontcare-mismatch",
			     "region is marked don't-care (illegible) but has the transcription "
			     "\"%.*s\"", utf8_cut(t, 60), t));
	/* RRC rule: the transcription starts right after the comma, so " ###" is not
	 * "###" and the region silently becomes a cared-for word. */
	if (strcmp(t, "###")) {
		size_t n = strlen(t), b = 0, e = n;
		while (b < n && (t[b] == ' ' || t[b] == '\t'))
			b++;
		while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\t'))
			e--;
		if (e - b == 3 && !memcmp(t + b, "###", 3))
			TL_TRY(RDIAG(c, im, r, TL_WARNING, "dontcare-spaced",
				     "transcription \"%s\" has spaces around ###: the RRC scripts "
				     "compare it exactly, so it is NOT don't-care for them", t));
	}
	for (const unsigned char *s = (const unsigned char *)t; *s; s++) {
		if ((*s < 0x20 && *s != '\t') || *s == 0x7f) {
			TL_TRY(RDIAG(c, im, r, TL_WARNING, "bad-text",
				     "transcription contains the control character 0x%02x", *s));
			break;
		}
		if (s[0] == 0xef && s[1] == 0xbf && s[2] == 0xbd) {
			TL_TRY(RDIAG(c, im, r, TL_WARNING, "bad-text",
				     "transcription contains U+FFFD (bytes that were not valid "
				     "text in the source encoding)"));
			break;
		}
	}
	return TL_OK;
}

/* Geometry rules for one region. v receives its canonical points (allocated by the
 * caller with room for the geometry's points) and what the pairwise rules need. */
static int check_geom(vctx *c, const tl_image *im, const tl_region *r, vreg *v,
		      int W, int H)
{
	const tl_geom *g = &r->geom;
	size_t n = v->n;
	tl_point *p = v->pts;
	int dc = r->dontcare;

	if (g->shape == TL_SHAPE_NONE || n == 0)
		return RDIAG(c, im, r, TL_ERROR, "too-few-points", "region has no geometry");
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(p[i].x) || !isfinite(p[i].y))
			return RDIAG(c, im, r, TL_ERROR, "non-finite",
				     "point %zu has a non-finite coordinate (%g, %g)", i + 1,
				     p[i].x, p[i].y);
	}
	if (g->shape == TL_SHAPE_RECT) {
		if (g->rect.r < g->rect.l || g->rect.b < g->rect.t)
			return RDIAG(c, im, r, TL_ERROR, "bad-rect",
				     "rectangle has right < left or bottom < top (%g,%g,%g,%g)",
				     g->rect.l, g->rect.t, g->rect.r, g->rect.b);
	}
	if (g->shape == TL_SHAPE_RBOX && (g->rbox.w < 0 || g->rbox.h < 0))
		return RDIAG(c, im, r, TL_ERROR, "bad-rect",
			     "rotated box has a negative size (%g x %g)", g->rbox.w, g->rbox.h);

	int poly = g->shape == TL_SHAPE_QUAD || g->shape == TL_SHAPE_POLY;
	/* Distinct points: fewer than 3 is not a polygon at all. The (at most two)
	 * values seen so far are kept, so this stays linear on hostile input. A flat
	 * rectangle has 2 distinct corners too, but its problem is its zero area. */
	size_t distinct = poly ? 0 : 3;
	tl_point seen[2];
	for (size_t i = 0; i < n && distinct < 3; i++) {
		size_t j = 0;
		while (j < distinct && !(seen[j].x == p[i].x && seen[j].y == p[i].y))
			j++;
		if (j == distinct) {
			if (distinct < 2)
				seen[distinct] = p[i];
			distinct++;
		}
	}
	if (distinct < 3)
		return RDIAG(c, im, r, TL_ERROR, "too-few-points",
			     "%zu point%s (%zu distinct): a region needs at least 3 distinct points",
			     n, n == 1 ? "" : "s", distinct);
	v->finite = 1;

	double area = fabs(shoelace(p, n));
	v->area = area;
	v->minx = v->maxx = p[0].x;
	v->miny = v->maxy = p[0].y;
	for (size_t i = 1; i < n; i++) {
		v->minx = fmin(v->minx, p[i].x); v->maxx = fmax(v->maxx, p[i].x);
		v->miny = fmin(v->miny, p[i].y); v->maxy = fmax(v->maxy, p[i].y);
	}

	int simple = 1;
	if (poly && n > MAX_CHECK_POINTS) {
		simple = 0;
		TL_TRY(RDIAG(c, im, r, TL_NOTE, "check-limit",
			     "%zu points: self-intersection and overlap checks skipped", n));
	} else if (poly) {
		tl_poly_issue is = tl_poly_check(g->pts, n);
		if (is == TL_POLY_SELF_INTERSECTS) {
			simple = 0;
			if (c->rrc_results)
				TL_TRY(RDIAG(c, im, r, TL_WARNING, "self-intersection",
					     "the outline crosses itself (a bow tie?): the RRC script "
					     "accepts it and nets the two lobes, Shapely-based "
					     "evaluators drop it"));
			else
				TL_TRY(RDIAG(c, im, r, TL_ERROR, "self-intersection",
					     "the outline crosses itself (a bow tie?): its area is "
					     "ambiguous and evaluators disagree on it"));
		} else if (is == TL_POLY_ZERO_AREA) {
			area = 0;
		}
	}
	/* A bow tie's lobes cancel in the shoelace sum: its "area" says nothing. */
	if (simple && (area == 0 || (dc && area < 1))) {
		if (dc)
			TL_TRY(RDIAG(c, im, r, TL_WARNING, "dontcare-degenerate",
				     "don't-care region has %s area (%g px^2): it absorbs no detection",
				     area == 0 ? "no" : "almost no", area));
		else if (c->rrc_results)
			TL_TRY(RDIAG(c, im, r, TL_WARNING, "zero-area",
				     "detection has no area: it can never match anything"));
		else
			TL_TRY(RDIAG(c, im, r, TL_ERROR, "zero-area",
				     "region has no area: no detection can ever match it"));
	}

	if (poly && (simple || c->rrc)) {
		/* The RRC scripts truncate to int, then refuse S > 0 (a bow tie too);
		 * elsewhere the winding only matters to tools that assume one, so it is a
		 * warning there, and says nothing for a ring that crosses itself. */
		double s = c->rrc ? rrc_orientation_int(g->pts, n) : -2 * shoelace(g->pts, n);
		if (s > 0) {
			if (c->rrc)
				TL_TRY(RDIAG(c, im, r, TL_ERROR, "ccw-order",
					     "points are counter-clockwise on screen (S = %g > 0 after "
					     "truncation to integers): the official ICDAR 2015 evaluation "
					     "refuses %s for one such region", s, c->rrc_results ?
					     "the whole submission" : "the whole ground truth"));
			else
				TL_TRY(RDIAG(c, im, r, TL_WARNING, "ccw-order",
					     "points are counter-clockwise on screen: the RRC "
					     "evaluations refuse such a region, others reverse it"));
		}
	}
	if (c->rrc && g->shape != TL_SHAPE_RBOX) {
		for (size_t i = 0; i < n; i++) {
			double x = p[i].x, y = p[i].y;
			if (x != trunc(x) || y != trunc(y)) {
				TL_TRY(RDIAG(c, im, r, TL_WARNING, "non-integer",
					     "point (%g, %g) is not on integers: the RRC grammar accepts "
					     "only integer coordinates", x, y));
				break;
			}
		}
	}
	if (W > 0 && H > 0) {
		size_t out = 0;
		for (size_t i = 0; i < n; i++)
			if (p[i].x < 0 || p[i].y < 0 || p[i].x > W || p[i].y > H)
				out++;
		if (v->maxx <= 0 || v->maxy <= 0 || v->minx >= W || v->miny >= H)
			TL_TRY(RDIAG(c, im, r, TL_ERROR, "outside-image",
				     "region [%g,%g]-[%g,%g] lies wholly outside the %dx%d image",
				     v->minx, v->miny, v->maxx, v->maxy, W, H));
		else if (out)
			TL_TRY(RDIAG(c, im, r, TL_WARNING, "outside-image",
				     "%zu of %zu points outside the %dx%d image (bounds [%g,%g]-[%g,%g])",
				     out, n, W, H, v->minx, v->miny, v->maxx, v->maxy));
		if (dc && area >= HUGE_DC_SHARE * (double)W * H)
			TL_TRY(RDIAG(c, im, r, TL_WARNING, "dontcare-degenerate",
				     "don't-care region covers %.0f%% of the image: every detection "
				     "would be discarded as don't-care", 100 * area / ((double)W * H)));
	}
	v->usable = simple && area > 0 && n <= MAX_CHECK_POINTS;
	return TL_OK;
}

/* ---- pairwise rules --------------------------------------------------- */

static int cmp_pts(const vreg *a, const vreg *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (size_t i = 0; i < a->n; i++) {
		if (a->pts[i].x != b->pts[i].x)
			return a->pts[i].x < b->pts[i].x ? -1 : 1;
		if (a->pts[i].y != b->pts[i].y)
			return a->pts[i].y < b->pts[i].y ? -1 : 1;
	}
	return 0;
}

static int cmp_geom_then_idx(const void *x, const void *y)
{
	const vreg *a = *(const vreg *const *)x, *b = *(const vreg *const *)y;
	int k = cmp_pts(a, b);
	if (k)
		return k;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int cmp_minx(const void *x, const void *y)
{
	const vreg *a = *(const vreg *const *)x, *b = *(const vreg *const *)y;
	if (a->minx != b->minx)
		return a->minx < b->minx ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Exact duplicates by sorting canonical point lists: O(n log n), no budget. */
static int check_duplicates(vctx *c, const tl_image *im, vreg **order, size_t m)
{
	qsort(order, m, sizeof *order, cmp_geom_then_idx);
	for (size_t i = 1, first = 0; i < m; i++) {
		if (cmp_pts(order[first], order[i])) {
			first = i;
			continue;
		}
		const tl_region *r0 = &im->regions[order[first]->idx];
		const tl_region *r = &im->regions[order[i]->idx];
		int same_text = !strcmp(r0->text ? r0->text : "", r->text ? r->text : "");
		char ref[120];
		region_ref(im, r0, ref, sizeof ref);
		/* A repeated detection only costs precision (one of the two is a false
		 * positive); a repeated ground-truth word costs recall for certain. */
		if (c->rrc_results)
			TL_TRY(RDIAG(c, im, r, TL_WARNING, "duplicate-region",
				     "same points as %s: the repeat counts as a false positive",
				     ref));
		else
			TL_TRY(RDIAG(c, im, r, TL_ERROR, "duplicate-region",
				     "same points as %s%s: one of the two can never be matched", ref,
				     same_text ? "" : " (with a different transcription)"));
	}
	return TL_OK;
}

static int check_pairs(vctx *c, const tl_image *im, vreg **order, size_t m)
{
	qsort(order, m, sizeof *order, cmp_minx);
	uint64_t work = 0;
	for (size_t i = 0; i < m; i++) {
		vreg *a = order[i];
		for (size_t j = i + 1; j < m && order[j]->minx < a->maxx; j++) {
			vreg *b = order[j];
			if (++work > c->budget)
				goto stop;
			if (b->miny >= a->maxy || a->miny >= b->maxy)
				continue;
			if (a->dc && b->dc)
				continue;
			double bx = fmin(a->maxx, b->maxx) - fmax(a->minx, b->minx);
			double by = fmin(a->maxy, b->maxy) - fmax(a->miny, b->miny);
			double bbox_inter = bx * by; /* an upper bound of the true overlap */
			if (a->dc == b->dc) {
				/* Near-duplicate cared-for words; exact ones were reported. */
				double lo = fmin(a->area, b->area), hi = fmax(a->area, b->area);
				if (lo < NEAR_DUP_IOU * hi ||
				    bbox_inter < NEAR_DUP_IOU * (a->area + b->area - bbox_inter) ||
				    !cmp_pts(a, b) || (a->idx < b->idx ? b : a)->said_neardup)
					continue;
			} else {
				const vreg *care = a->dc ? b : a, *dcr = a->dc ? a : b;
				if (bbox_inter <= c->overlap * fmin(care->area, dcr->area) ||
				    (care->said_overlap && dcr->said_overlap))
					continue;
			}
			work += (uint64_t)a->n * b->n;
			if (work > c->budget)
				goto stop;
			double inter = tl_clip_inter(a->pts, a->n, b->pts, b->n);
			if (inter < 0)
				return TL_E_NOMEM;
			if (a->dc == b->dc) {
				double iou = inter / (a->area + b->area - inter);
				vreg *later = a->idx < b->idx ? b : a;
				if (iou >= NEAR_DUP_IOU && !later->said_neardup) {
					const vreg *first = a->idx < b->idx ? a : b;
					later->said_neardup = 1;
					char ref[120];
					region_ref(im, &im->regions[first->idx], ref, sizeof ref);
					TL_TRY(RDIAG(c, im, &im->regions[later->idx], TL_WARNING,
						     "near-duplicate",
						     "overlaps %s with IoU %.2f: probably the same %s",
						     ref, iou, c->rrc_results ?
						     "detection twice, and one counts as a false positive" :
						     "word twice, and one can never be matched"));
				}
				continue;
			}
			vreg *care = a->dc ? b : a, *dcr = a->dc ? a : b;
			const tl_region *rc = &im->regions[care->idx], *rd = &im->regions[dcr->idx];
			char ref[120];
			if (inter > c->overlap * care->area) {
				if (care->said_overlap)
					continue;
				care->said_overlap = 1;
				region_ref(im, rd, ref, sizeof ref);
				TL_TRY(RDIAG(c, im, rc, TL_WARNING, "dontcare-overlap",
					     "the don't-care region at %s covers %.0f%% of this "
					     "cared-for region: under the ICDAR 2015 rule a detection of "
					     "it is discarded as don't-care, so it can never be matched",
					     ref, 100 * inter / care->area));
			} else if (inter > c->overlap * dcr->area && !dcr->said_overlap) {
				dcr->said_overlap = 1;
				region_ref(im, rc, ref, sizeof ref);
				TL_TRY(RDIAG(c, im, rd, TL_WARNING, "dontcare-overlap",
					     "the cared-for region at %s covers %.0f%% of this "
					     "don't-care region: the same text is both scored and "
					     "excused", ref, 100 * inter / dcr->area));
			}
		}
	}
	return TL_OK;
stop:
	return tl_diags_add(c->d, TL_NOTE, file_of(im), 0, 0, "check-limit",
			    "overlap checks of this image stopped after %llu steps (%zu regions)",
			    (unsigned long long)c->budget, m);
}

/* The id a JSON reader kept for a region (see region_ref), as text, or NULL.
 * The result is malloc'd. */
static char *region_id(const tl_region *r)
{
	if (!r->extra || !strstr(r->extra, "id\""))
		return NULL;
	static const char *const keys[] = { "@ufo-word-id", "@id", "id" };
	cJSON *x = cJSON_Parse(r->extra);
	char *out = NULL;
	for (size_t k = 0; x && !out && k < TL_ARRAY_LEN(keys); k++) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(x, keys[k]);
		char num[64];
		if (cJSON_IsString(id))
			out = strdup(id->valuestring);
		else if (cJSON_IsNumber(id) && snprintf(num, sizeof num, "%.17g", id->valuedouble) > 0)
			out = strdup(num);
	}
	cJSON_Delete(x);
	return out;
}

typedef struct idref { char *id; size_t idx; } idref;

static int cmp_idref(const void *a, const void *b)
{
	const idref *x = a, *y = b;
	int k = strcmp(x->id, y->id);
	return k ? k : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Two records of one image under the same key: Python's json module (and so every
 * tool built on it) keeps only the last, silently losing the other. */
static int check_ids(vctx *c, const tl_image *im)
{
	size_t nr = im->nregions, n = 0;
	if (nr < 2)
		return TL_OK;
	idref *v = malloc(nr * sizeof *v);
	if (!v)
		return TL_E_NOMEM;
	int rc = TL_OK;
	for (size_t i = 0; i < nr; i++) {
		char *id = region_id(&im->regions[i]);
		if (id)
			v[n++] = (idref){ id, i };
	}
	qsort(v, n, sizeof *v, cmp_idref);
	for (size_t i = 1; i < n && !rc; i++) {
		if (strcmp(v[i - 1].id, v[i].id))
			continue;
		char ref[120];
		region_ref(im, &im->regions[v[i - 1].idx], ref, sizeof ref);
		rc = RDIAG(c, im, &im->regions[v[i].idx], TL_ERROR, "duplicate-id",
			   "id \"%.*s\" is also used at %s in this image: Python's json module "
			   "keeps only the last of the two", utf8_cut(v[i].id, 80), v[i].id, ref);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].id);
	free(v);
	return rc;
}

static int check_image(vctx *c, const tl_image *im, int W, int H)
{
	size_t nr = im->nregions, total = 0;
	int rc = TL_OK;
	for (size_t i = 0; i < nr; i++) {
		size_t k = tl_geom_points(&im->regions[i].geom, NULL, 0);
		if (k > TL_MAX_POINTS)
			k = 0; /* refused below as "no geometry" rather than trusted */
		total += k;
	}
	vreg *v = calloc(nr ? nr : 1, sizeof *v);
	vreg **order = calloc(nr ? nr : 1, sizeof *order);
	tl_point *pool = malloc((total ? total : 1) * sizeof *pool);
	if (!v || !order || !pool) {
		rc = tl_error_set(c->err, TL_E_NOMEM, file_of(im), 0, 0, "out of memory");
		goto out;
	}
	double dc_area = 0, all_area = 0;
	size_t ndc = 0, off = 0;
	for (size_t i = 0; i < nr; i++) {
		const tl_region *r = &im->regions[i];
		size_t k = tl_geom_points(&r->geom, NULL, 0);
		if (k > TL_MAX_POINTS)
			k = 0;
		v[i].idx = i;
		v[i].dc = r->dontcare;
		v[i].pts = pool + off;
		v[i].n = k ? tl_geom_points(&r->geom, pool + off, k) : 0;
		off += k;
		if ((rc = check_geom(c, im, r, &v[i], W, H)) || (rc = check_text(c, im, r)))
			goto nomem;
		if (v[i].usable) {
			tl_poly_canonical(v[i].pts, v[i].n);
			all_area += v[i].area;
			if (r->dontcare) {
				dc_area += v[i].area;
				ndc++;
			}
		} else if (v[i].finite) {
			tl_poly_canonical(v[i].pts, v[i].n);
		}
	}
	/* An empty file is a valid image without text; one whose every line was
	 * refused by the reader is not, and has its errors already. */
	const char *f = file_of(im);
	int had_errors = c->nbad && bsearch(&f, c->bad_files, c->nbad, sizeof *c->bad_files,
					    cmp_str);
	if (nr == 0 && !had_errors &&
	    (rc = tl_diags_add(c->d, TL_NOTE, f, 0, 0, "no-regions",
			       "no regions for %s (an image without text?)",
			       im->name ? im->name : "?")))
		goto nomem;
	if ((rc = check_ids(c, im)))
		goto nomem;
	size_t m = 0;
	for (size_t i = 0; i < nr; i++)
		if (v[i].finite)
			order[m++] = &v[i];
	if ((rc = check_duplicates(c, im, order, m)))
		goto nomem;
	m = 0;
	for (size_t i = 0; i < nr; i++)
		if (v[i].usable)
			order[m++] = &v[i];
	if ((rc = check_pairs(c, im, order, m)))
		goto nomem;
	if (c->share < 1 && all_area > 0 && dc_area > c->share * all_area)
		rc = tl_diags_add(c->d, TL_WARNING, file_of(im), 0, 0, "dontcare-share",
				  "don't-care regions are %.0f%% of the text area of %s (%zu of %zu "
				  "regions); the threshold is %.0f%%", 100 * dc_area / all_area,
				  im->name, ndc, nr, 100 * c->share);
nomem:
	if (rc == TL_E_NOMEM)
		tl_error_set(c->err, TL_E_NOMEM, file_of(im), 0, 0, "out of memory");
out:
	free(v);
	free(order);
	free(pool);
	return rc;
}

/* ---- dataset rules ---------------------------------------------------- */

static int cmp_image_name(const void *a, const void *b)
{
	const tl_image *x = *(const tl_image *const *)a, *y = *(const tl_image *const *)b;
	int k = strcmp(x->name ? x->name : "", y->name ? y->name : "");
	return k ? k : (x > y) - (x < y);
}

static int check_duplicate_images(vctx *c)
{
	const tl_dataset *ds = c->ds;
	if (ds->nimages < 2)
		return TL_OK;
	const tl_image **v = malloc(ds->nimages * sizeof *v);
	if (!v)
		return tl_error_set(c->err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < ds->nimages; i++)
		v[i] = &ds->images[i];
	qsort(v, ds->nimages, sizeof *v, cmp_image_name);
	int rc = TL_OK;
	for (size_t i = 1; i < ds->nimages && !rc; i++) {
		if (strcmp(v[i - 1]->name ? v[i - 1]->name : "", v[i]->name ? v[i]->name : ""))
			continue;
		if (!strcmp(file_of(v[i]), file_of(v[i - 1])))
			rc = tl_diags_add(c->d, TL_ERROR, file_of(v[i]), 0, 0, "duplicate-image",
					  "image %s has two records in this file: Python's json "
					  "module keeps only the last", v[i]->name ? v[i]->name : "");
		else
			rc = tl_diags_add(c->d, TL_ERROR, file_of(v[i]), 0, 0, "duplicate-image",
					  "image %s is annotated twice (also in %s): only one set of "
					  "regions will be used", v[i]->name ? v[i]->name : "",
					  file_of(v[i - 1]));
	}
	free(v);
	return rc;
}

/* Python's re.match(prefix + "([0-9]+).txt", name) as the RRC scripts use it: from
 * the start, "." matching any character, not anchored at the end. */
static int rrc_name_matches(const char *name, const char *prefix)
{
	size_t k = strlen(prefix);
	if (strncmp(name, prefix, k))
		return 0;
	const char *p = name + k;
	if (*p < '0' || *p > '9')
		return 0;
	/* Backtracking of [0-9]+ followed by ".txt": some split of the digits works
	 * iff after at least one digit there is any char followed by "txt". */
	const char *q = p;
	while (*q >= '0' && *q <= '9')
		q++;
	for (const char *s = p + 1; s <= q; s++)
		if (*s && !strncmp(s + 1, "txt", 3))
			return 1;
	return 0;
}

static int check_names(vctx *c)
{
	if (!c->rrc)
		return TL_OK;
	const char *prefix = c->rrc_results ? "res_img_" : "gt_img_";
	const tl_format *fmt = c->ds->format ? tl_format_find(c->ds->format) : NULL;
	for (size_t i = 0; i < c->ds->nimages; i++) {
		const tl_image *im = &c->ds->images[i];
		/* Standard input has no name to check. */
		if (!im->source || !strcmp(im->source, "stdin") || !strcmp(im->source, "-"))
			continue;
		/* Zip members are named "archive.zip#entry": the entry must sit at the top. */
		const char *hash = strstr(im->source, ".zip#");
		const char *entry = hash ? hash + 5 : tl_basename(im->source);
		if (hash && strchr(entry, '/')) {
			TL_TRY(tl_diags_add(c->d, c->rrc_results ? TL_ERROR : TL_WARNING, im->source,
					    0, 0, "unmapped-name",
					    "zip entry is inside a folder: the official evaluation %s",
					    c->rrc_results ? "refuses the whole submission (\"ZIP entry "
					    "not valid\")" : "skips it"));
			continue;
		}
		if (rrc_name_matches(entry, prefix))
			continue;
		/* Suggest the name the format itself would give this image. */
		char hint[300] = "";
		tl_buf b = TL_BUF_INIT;
		if (fmt && fmt->file_for_image && im->name &&
		    fmt->file_for_image(im->name, &b) == TL_OK && b.data &&
		    rrc_name_matches(b.data, prefix))
			snprintf(hint, sizeof hint, " (rename it %.200s)", b.data);
		tl_buf_free(&b);
		if (c->rrc_results)
			TL_TRY(tl_diags_add(c->d, TL_ERROR, im->source, 0, 0, "unmapped-name",
					    "the official evaluation maps only %sN.txt: it refuses the "
					    "whole submission for \"%s\" (\"ZIP entry not valid\")%s",
					    prefix, entry, hint));
		else
			TL_TRY(tl_diags_add(c->d, TL_WARNING, im->source, 0, 0, "unmapped-name",
					    "the official evaluation maps only %sN.txt: it silently "
					    "skips \"%s\", and image %s drops out of the ground truth%s",
					    prefix, entry, im->name ? im->name : "?", hint));
	}
	return TL_OK;
}

/* The ICDAR 2015 script reads a confidence column only when run with confidences
 * on (default off: a 9th number makes the line invalid), and then on every line. */
static int check_confidences(vctx *c)
{
	if (!c->rrc || !c->rrc_results)
		return TL_OK;
	size_t with = 0, without = 0;
	const tl_image *first_im = NULL;
	const tl_region *first = NULL, *first_without = NULL;
	const tl_image *first_without_im = NULL;
	for (size_t i = 0; i < c->ds->nimages; i++) {
		const tl_image *im = &c->ds->images[i];
		for (size_t j = 0; j < im->nregions; j++) {
			const tl_region *r = &im->regions[j];
			if (r->has_confidence) {
				if (!with++) {
					first = r;
					first_im = im;
				}
			} else if (!without++) {
				first_without = r;
				first_without_im = im;
			}
		}
	}
	if (with && without)
		return RDIAG(c, first_without_im, first_without, TL_ERROR, "rrc-confidence",
			     "no confidence here while %zu other lines have one: the RRC "
			     "evaluation refuses a submission with and without confidences, "
			     "whichever way it is run", with);
	if (with)
		return RDIAG(c, first_im, first, TL_WARNING, "rrc-confidence",
			     "all %zu lines carry a confidence: the ICDAR 2015 evaluation refuses "
			     "them by default and accepts them only when run with confidences "
			     "on", with);
	return TL_OK;
}

/* A submission zip is refused for any entry that is not a result file, including
 * the ones every reader skips silently (folder entries, __MACOSX/ metadata, hidden
 * files): list the zip inputs and report the entries no image was read from. */
static int check_zip_entries(vctx *c, const tl_validate_opts *o)
{
	if (!c->rrc || !c->rrc_results || !o->inputs || !o->ninputs)
		return TL_OK;
	const tl_dataset *ds = c->ds;
	const char **src = malloc((ds->nimages ? ds->nimages : 1) * sizeof *src);
	if (!src)
		return TL_E_NOMEM;
	size_t ns = 0;
	for (size_t i = 0; i < ds->nimages; i++)
		if (ds->images[i].source)
			src[ns++] = ds->images[i].source;
	qsort(src, ns, sizeof *src, cmp_str);
	int rc = TL_OK;
	tl_buf path = TL_BUF_INIT;
	for (size_t k = 0; k < o->ninputs && !rc; k++) {
		const char *in = o->inputs[k];
		tl_zip *z = NULL;
		tl_error e;
		if (!in || !tl_has_suffix(in, ".zip") || tl_zip_open(in, &z, &e) != TL_OK)
			continue; /* not a zip, or the reader has said why it is unreadable */
		size_t n = tl_zip_count(z);
		for (size_t i = 0; i < n && !rc; i++) {
			const char *name = tl_zip_name(z, i);
			path.len = 0;
			if (tl_buf_printf(&path, "%s#%s", in, name)) {
				rc = TL_E_NOMEM;
				break;
			}
			const char *key = path.data;
			if (bsearch(&key, src, ns, sizeof *src, cmp_str))
				continue; /* read as an image; its name was checked above */
			size_t len = strlen(name);
			const char *what = len && name[len - 1] == '/' ? "a folder entry" :
					   strstr(name, "__MACOSX/") ? "macOS metadata" :
					   "not a result file";
			rc = tl_diags_add(c->d, TL_ERROR, path.data, 0, 0, "unmapped-name",
					  "zip entry \"%s\" is %s: the official evaluation refuses "
					  "the whole submission (\"ZIP entry not valid\")", name, what);
		}
		tl_zip_close(z);
	}
	tl_buf_free(&path);
	free(src);
	return rc;
}

/* Image files of the directory by stem ("img_1" of "img_1.png"): per-image
 * formats such as ICDAR name the image after the annotation file and guess the
 * suffix, so "img_1.jpg" must also find img_1.png or IMG_1.JPG's exact stem. */
typedef struct stem_ent { const char *name; size_t len; size_t idx; } stem_ent;

static size_t stem_len(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && dot != name ? (size_t)(dot - name) : strlen(name);
}

static int cmp_stem(const void *a, const void *b)
{
	const stem_ent *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int k = memcmp(x->name, y->name, n);
	if (k)
		return k;
	return (x->len > y->len) - (x->len < y->len);
}

/* Finds name, its last component, or an image file with the same stem. */
static long find_listed(char **names, size_t count, const stem_ent *stems, size_t nstems,
			const char *name)
{
	const char *keys[2] = { name, tl_basename(name) };
	for (int k = 0; k < 2; k++) {
		char **hit = bsearch(&keys[k], names, count, sizeof *names, cmp_str);
		if (hit)
			return (long)(hit - names);
	}
	stem_ent key = { keys[1], stem_len(keys[1]), 0 };
	const stem_ent *hit = nstems ? bsearch(&key, stems, nstems, sizeof *stems, cmp_stem) : NULL;
	return hit ? (long)hit->idx : -1;
}

static int join_path(char *buf, size_t size, const char *dir, const char *name)
{
	size_t n = strlen(dir);
	int k = snprintf(buf, size, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
	return k >= 0 && (size_t)k < size;
}

static int validate_all(vctx *c, const tl_validate_opts *o)
{
	const tl_dataset *ds = c->ds;
	char **names = NULL;
	size_t count = 0;
	unsigned char *seen = NULL;
	stem_ent *stems = NULL;
	size_t nstems = 0;
	int rc = TL_OK;
	if (o->images_dir) {
		if ((rc = tl_list_dir(o->images_dir, &names, &count, c->err)))
			return rc;
		seen = calloc(count ? count : 1, 1);
		stems = malloc((count ? count : 1) * sizeof *stems);
		if (!seen || !stems) {
			free(stems);
			free(seen);
			tl_strv_free(names, count);
			return tl_error_set(c->err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		}
		for (size_t i = 0; i < count; i++)
			if (tl_image_is_image_name(names[i]))
				stems[nstems++] = (stem_ent){ names[i], stem_len(names[i]), i };
		qsort(stems, nstems, sizeof *stems, cmp_stem);
	}
	for (size_t i = 0; i < ds->nimages && !rc; i++) {
		const tl_image *im = &ds->images[i];
		int W = im->width, H = im->height;
		if (o->images_dir && im->name) {
			char path[4096];
			long at = find_listed(names, count, stems, nstems, im->name);
			const char *found = at >= 0 ? names[at] : NULL;
			if (!found && join_path(path, sizeof path, o->images_dir, im->name) &&
			    tl_is_file(path))
				found = im->name;
			if (at >= 0)
				seen[at] = 1;
			if (!found) {
				rc = tl_diags_add(c->d, TL_ERROR, file_of(im), 0, 0, "missing-image",
						  "image %s not found in %s", im->name, o->images_dir);
			} else if (join_path(path, sizeof path, o->images_dir, found)) {
				int w = 0, h = 0;
				tl_error e;
				memset(&e, 0, sizeof e);
				if (tl_image_size(path, &w, &h, &e) != TL_OK) {
					rc = tl_diags_add(c->d, TL_WARNING, path, 0, 0, "image-size",
							  "cannot read the image size: %s", e.msg);
				} else {
					if (W > 0 && H > 0 && (W != w || H != h))
						rc = tl_diags_add(c->d, TL_ERROR, file_of(im), 0, 0,
								  "size-mismatch",
								  "annotations say %dx%d but %s is %dx%d",
								  W, H, path, w, h);
					W = w;
					H = h;
				}
			}
		}
		if (!rc)
			rc = check_image(c, im, W, H);
	}
	for (size_t i = 0; i < count && !rc; i++) {
		if (seen[i] || !tl_image_is_image_name(names[i]))
			continue;
		char path[4096];
		if (!join_path(path, sizeof path, o->images_dir, names[i]))
			continue;
		rc = tl_diags_add(c->d, TL_WARNING, path, 0, 0, "unannotated-image",
				  "image has no annotations in the input");
	}
	if (names)
		tl_strv_free(names, count);
	free(seen);
	free(stems);
	if (!rc)
		rc = check_duplicate_images(c);
	if (!rc)
		rc = check_names(c);
	if (!rc)
		rc = check_zip_entries(c, o);
	if (!rc)
		rc = check_confidences(c);
	if (rc == TL_E_NOMEM && c->err->status != TL_E_NOMEM)
		tl_error_set(c->err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	return rc;
}

int tl_validate(const tl_dataset *ds, const tl_validate_opts *o, tl_diags *d, tl_error *err)
{
	tl_validate_opts defaults;
	tl_error scratch;
	if (!o) {
		tl_validate_opts_init(&defaults);
		o = &defaults;
	}
	if (!err)
		err = &scratch;
	memset(err, 0, sizeof *err);
	vctx c = { .ds = ds, .d = d, .err = err };
	c.rrc = o->rrc < 0 ? is_rrc_format(ds->format) : o->rrc != 0;
	c.rrc_results = ds->format && !strncmp(ds->format, "rrc", 3);
	c.share = o->dontcare_share > 0 ? o->dontcare_share : DEFAULT_SHARE;
	c.overlap = o->overlap > 0 ? o->overlap : DEFAULT_OVERLAP;
	c.budget = o->work_budget ? o->work_budget : DEFAULT_BUDGET;
	size_t before = d->nerrors;
	if (d->count) {
		c.bad_files = malloc(d->count * sizeof *c.bad_files);
		if (!c.bad_files)
			return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		for (size_t i = 0; i < d->count; i++)
			if (d->items[i].severity == TL_ERROR && d->items[i].file)
				c.bad_files[c.nbad++] = d->items[i].file;
		qsort(c.bad_files, c.nbad, sizeof *c.bad_files, cmp_str);
	}
	int rc = validate_all(&c, o);
	free(c.bad_files);
	if (rc)
		return rc;
	return d->nerrors > before ? TL_E_INPUT : TL_OK;
}

/* ---- fixing ----------------------------------------------------------- */

typedef struct fkey {
	const tl_region *r;
	size_t idx;
} fkey;

/* Orders regions by shape, geometry, text and flag (not position), so that the
 * exact repeats of a region end up next to it. */
static int cmp_region_key(const tl_region *a, const tl_region *b)
{
	const tl_geom *ga = &a->geom, *gb = &b->geom;
	if (ga->shape != gb->shape)
		return ga->shape < gb->shape ? -1 : 1;
	if (ga->shape == TL_SHAPE_RECT || ga->shape == TL_SHAPE_RBOX) {
		double va[5] = { ga->rect.l, ga->rect.t, ga->rect.r, ga->rect.b, 0 };
		double vb[5] = { gb->rect.l, gb->rect.t, gb->rect.r, gb->rect.b, 0 };
		if (ga->shape == TL_SHAPE_RBOX) {
			const tl_rbox *x = &ga->rbox, *y = &gb->rbox;
			double xa[5] = { x->cx, x->cy, x->w, x->h, x->angle };
			double xb[5] = { y->cx, y->cy, y->w, y->h, y->angle };
			memcpy(va, xa, sizeof va);
			memcpy(vb, xb, sizeof vb);
		}
		for (size_t i = 0; i < 5; i++)
			if (va[i] != vb[i])
				return va[i] < vb[i] ? -1 : 1;
	} else {
		if (ga->n != gb->n)
			return ga->n < gb->n ? -1 : 1;
		for (size_t i = 0; i < ga->n; i++) {
			if (ga->pts[i].x != gb->pts[i].x)
				return ga->pts[i].x < gb->pts[i].x ? -1 : 1;
			if (ga->pts[i].y != gb->pts[i].y)
				return ga->pts[i].y < gb->pts[i].y ? -1 : 1;
		}
	}
	int k = strcmp(a->text ? a->text : "", b->text ? b->text : "");
	if (k)
		return k;
	return (a->dontcare > b->dontcare) - (a->dontcare < b->dontcare);
}

static int cmp_region_full(const void *x, const void *y)
{
	const fkey *a = x, *b = y;
	int k = cmp_region_key(a->r, b->r);
	return k ? k : (a->idx > b->idx) - (a->idx < b->idx);
}

static int geom_finite(const tl_geom *g)
{
	for (size_t i = 0; i < g->n; i++)
		if (!isfinite(g->pts[i].x) || !isfinite(g->pts[i].y))
			return 0;
	const double f[9] = { g->rect.l, g->rect.t, g->rect.r, g->rect.b, g->rbox.cx,
			      g->rbox.cy, g->rbox.w, g->rbox.h, g->rbox.angle };
	for (size_t i = 0; i < 9; i++)
		if (!isfinite(f[i]))
			return 0;
	return 1;
}

/* Only a simple ring whose area stands well clear of rounding has a winding to
 * fix: for a flat or crossing ring the sign of the shoelace sum depends on where
 * the sum starts, and "fixing" it would flip it back and forth. Those are left
 * for the validate rules to report. */
static int clear_winding(const tl_point *p, size_t n)
{
	if (n > MAX_CHECK_POINTS || tl_poly_check(p, n) != TL_POLY_OK)
		return 0;
	tl_rect b = tl_bounding_rect(p, n);
	double box = (b.r - b.l) * (b.b - b.t), a = fabs(shoelace(p, n));
	return isfinite(box) && isfinite(a) && a > 1e-9 * box;
}

static int fix_image(tl_dataset *ds, tl_image *im, tl_diags *changes, size_t *nchanged)
{
	(void)ds;
	for (size_t i = 0; i < im->nregions; i++) {
		tl_region *r = &im->regions[i];
		tl_geom *g = &r->geom;
		if ((g->shape != TL_SHAPE_QUAD && g->shape != TL_SHAPE_POLY) || g->n < 3 ||
		    !geom_finite(g) || !clear_winding(g->pts, g->n))
			continue;
		int ccw = shoelace(g->pts, g->n) < 0;
		if (!tl_poly_canonical(g->pts, g->n))
			continue;
		(*nchanged)++;
		char ref[120];
		region_ref(im, r, ref, sizeof ref);
		const char *name = im->name ? im->name : "?";
		TL_TRY(tl_diags_add(changes, TL_NOTE, file_of(im), r->line, r->line > 0 ? 1 : 0,
				    "fix-order", "%.*s, %s: %s", utf8_cut(name, 200), name, ref, ccw ?
				    "reversed a counter-clockwise ring to clockwise, starting at the "
				    "top-left point" : "rotated the ring to start at the top-left point"));
	}
	size_t n = im->nregions;
	if (n < 2)
		return TL_OK;
	fkey *k = malloc(n * sizeof *k);
	unsigned char *drop = calloc(n, 1);
	if (!k || !drop) {
		free(k);
		free(drop);
		return TL_E_NOMEM;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (geom_finite(&im->regions[i].geom))
			k[m++] = (fkey){ &im->regions[i], i };
	qsort(k, m, sizeof *k, cmp_region_full);
	int rc = TL_OK;
	for (size_t i = 1, first = 0; i < m && !rc; i++) {
		fkey a = k[first], b = k[i];
		if (cmp_region_key(a.r, b.r)) {
			first = i;
			continue;
		}
		drop[b.idx] = 1;
		(*nchanged)++;
		char ra[120], rb[120];
		region_ref(im, a.r, ra, sizeof ra);
		region_ref(im, b.r, rb, sizeof rb);
		rc = tl_diags_add(changes, TL_NOTE, file_of(im), b.r->line, b.r->line > 0 ? 1 : 0,
				  "fix-duplicate", "%.*s: dropped the region at %s: it repeats %s",
				  utf8_cut(im->name ? im->name : "?", 200), im->name ? im->name : "?",
				  rb, ra);
	}
	free(k);
	if (!rc) {
		size_t w = 0;
		for (size_t i = 0; i < n; i++) {
			if (drop[i])
				continue;
			if (w != i)
				im->regions[w] = im->regions[i];
			w++;
		}
		im->nregions = w;
	}
	free(drop);
	return rc;
}

int tl_validate_fix(tl_dataset *ds, const tl_validate_opts *o, tl_diags *changes,
		    size_t *nchanged, tl_error *err)
{
	(void)o;
	size_t count = 0;
	tl_error scratch;
	if (!err)
		err = &scratch;
	memset(err, 0, sizeof *err);
	for (size_t i = 0; i < ds->nimages; i++) {
		int rc = fix_image(ds, &ds->images[i], changes, &count);
		if (rc) {
			if (nchanged)
				*nchanged = count;
			return tl_error_set(err, rc, file_of(&ds->images[i]), 0, 0, "%s",
					    tl_status_str(rc));
		}
	}
	if (nchanged)
		*nchanged = count;
	return TL_OK;
}

/* The library's one intersection kernel (geom_clip.c) under its public name. Usable
 * regions are finite and simple, where the even-odd reading of the kernel is the
 * plain interior. Out of memory gives NaN, which no caller can mistake for an area. */
double tl_validate_inter_area(const tl_point *a, size_t na, const tl_point *b, size_t nb)
{
	if (!a || !b || na < 3 || nb < 3 || !tl_clip_finite(a, na) || !tl_clip_finite(b, nb))
		return 0;
	double v = tl_clip_inter(a, na, b, nb);
	return v < 0 ? NAN : v;
}
