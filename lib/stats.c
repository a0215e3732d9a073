/* stats.c — statistics of an annotation set: counts, box sizes, aspect ratios,
 * orientation, vertices per polygon, transcription lengths and scripts, text area
 * shares; as a table, JSON (that merges back) and PNG bar charts. */
#include "tl_internal.h"
#include <math.h>    /* log, exp, floor, fabs */
#include <stdio.h>   /* snprintf */
#include <cjson/cJSON.h>

/* ---- histograms ---- */

static void hist_init(tl_hist *h, double lo, double hi, int nbins, int logscale)
{
	memset(h, 0, sizeof *h);
	h->lo = lo;
	h->hi = hi;
	h->nbins = nbins > TL_HIST_BINS ? TL_HIST_BINS : nbins;
	h->log = logscale;
}

static void hist_add(tl_hist *h, double v)
{
	if (!isfinite(v))
		return;
	double t;
	if (h->log)
		t = v > 0 ? (log(v) - log(h->lo)) / (log(h->hi) - log(h->lo)) : 0;
	else
		t = (v - h->lo) / (h->hi - h->lo);
	long b = (long)floor(t * h->nbins);
	if (b < 0)
		b = 0;
	if (b >= h->nbins)
		b = h->nbins - 1;
	h->bins[b]++;
	if (!h->count || v < h->min)
		h->min = v;
	if (!h->count || v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
}

double tl_hist_edge(const tl_hist *h, int i)
{
	double t = (double)i / h->nbins;
	if (h->log)
		return exp(log(h->lo) + t * (log(h->hi) - log(h->lo)));
	return h->lo + t * (h->hi - h->lo);
}

double tl_hist_quantile(const tl_hist *h, double q)
{
	if (!h->count)
		return 0;
	double want = q * (double)h->count, seen = 0;
	for (int i = 0; i < h->nbins; i++) {
		if (h->bins[i] && seen + (double)h->bins[i] >= want) {
			double f = (want - seen) / (double)h->bins[i];
			double a = tl_hist_edge(h, i), b = tl_hist_edge(h, i + 1);
			double v = a + f * (b - a);
			/* the end bins also hold what fell outside [lo, hi] */
			return v < h->min ? h->min : v > h->max ? h->max : v;
		}
		seen += (double)h->bins[i];
	}
	return h->max;
}

static const struct {
	const char *name, *label;
	double lo, hi;
	int nbins, log;
} metrics[TL_STAT_COUNT] = {
	[TL_STAT_HEIGHT] = { "height", "text height (short side, px)", 1, 4096, 48, 1 },
	[TL_STAT_WIDTH] = { "width", "text width (long side, px)", 1, 4096, 48, 1 },
	[TL_STAT_ASPECT] = { "aspect", "aspect ratio (long / short side)", 1, 64, 36, 1 },
	[TL_STAT_ANGLE] = { "angle", "orientation of the long side (degrees)", -90, 90, 36, 0 },
	[TL_STAT_POINTS] = { "points", "vertices per region", 2.5, 34.5, 32, 0 },
	[TL_STAT_TEXTLEN] = { "textlen", "transcription length (characters)", -0.5, 47.5, 48, 0 },
	[TL_STAT_AREA_SHARE] = { "area_share", "region area / image area", 1e-6, 1, 48, 1 },
	[TL_STAT_TEXT_SHARE] = { "text_share", "text area / image area, per image", 0, 1, 20, 0 },
};

const char *tl_stats_metric_name(int m)
{
	return m >= 0 && m < TL_STAT_COUNT ? metrics[m].name : "?";
}

static const char *const script_names[TL_SCRIPT_COUNT] = {
	"Latin", "digits", "Han", "Kana", "Hangul", "Arabic", "Cyrillic", "Greek", "Hebrew",
	"Devanagari", "Bengali", "Thai", "other",
};

const char *tl_stats_script_name(int s)
{
	return s >= 0 && s < TL_SCRIPT_COUNT ? script_names[s] : "?";
}

void tl_stats_init(tl_stats *s)
{
	memset(s, 0, sizeof *s);
	for (int m = 0; m < TL_STAT_COUNT; m++)
		hist_init(&s->h[m], metrics[m].lo, metrics[m].hi, metrics[m].nbins, metrics[m].log);
}

/* ---- scripts ---- */

/* Next code point of a UTF-8 string (the data model holds valid UTF-8; anything
 * else counts as one U+FFFD). */
static unsigned next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned c = s[0];
	int n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
	if (!n) {
		*p = s + 1;
		return 0xFFFD;
	}
	unsigned cp = n == 1 ? c : c & (0xFF >> (n + 1));
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*p = s + n;
	return cp;
}

static int script_of(unsigned c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 &&
	    c != 0xF7) || (c >= 0x1E00 && c <= 0x1EFF))
		return TL_SCRIPT_LATIN;
	if (c >= 0x370 && c <= 0x3FF)
		return TL_SCRIPT_GREEK;
	if (c >= 0x400 && c <= 0x52F)
		return TL_SCRIPT_CYRILLIC;
	if (c >= 0x590 && c <= 0x5FF)
		return TL_SCRIPT_HEBREW;
	if ((c >= 0x600 && c <= 0x6FF) || (c >= 0x750 && c <= 0x77F) || (c >= 0xFB50 && c <= 0xFEFF))
		return TL_SCRIPT_ARABIC;
	if (c >= 0x900 && c <= 0x97F)
		return TL_SCRIPT_DEVANAGARI;
	if (c >= 0x980 && c <= 0x9FF)
		return TL_SCRIPT_BENGALI;
	if (c >= 0xE00 && c <= 0xE7F)
		return TL_SCRIPT_THAI;
	if ((c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) || (c >= 0xAC00 && c <= 0xD7AF))
		return TL_SCRIPT_HANGUL;
	if (c >= 0x3040 && c <= 0x30FF)
		return TL_SCRIPT_KANA;
	if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
	    (c >= 0x20000 && c <= 0x2FFFF))
		return TL_SCRIPT_HAN;
	return -1; /* digits, punctuation, spaces, symbols: no script of their own */
}

/* The script most letters of text belong to; digits when it has none (numbers,
 * prices); Kana wins over Han when both occur (Japanese). */
static int text_script(const char *text, size_t *len)
{
	size_t count[TL_SCRIPT_COUNT] = { 0 }, n = 0, digits = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		unsigned c = next_cp(&p);
		n++;
		int s = script_of(c);
		if (s >= 0)
			count[s]++;
		else if (c >= '0' && c <= '9')
			digits++;
		else if (c > 0x2FFF && !(c >= 0x3000 && c <= 0x303F) && !(c >= 0xFF00 && c <= 0xFFEF))
			count[TL_SCRIPT_OTHER]++;
	}
	*len = n;
	if (count[TL_SCRIPT_KANA])
		return TL_SCRIPT_KANA;
	int best = -1;
	for (int s = 0; s < TL_SCRIPT_COUNT; s++)
		if (count[s] && (best < 0 || count[s] > count[best]))
			best = s;
	if (best >= 0)
		return best;
	return digits ? TL_SCRIPT_DIGITS : TL_SCRIPT_OTHER;
}

/* ---- adding images ---- */

static double poly_area_abs(const tl_point *p, size_t n)
{
	double a = 0;
	for (size_t i = 0; i < n; i++) {
		const tl_point *q = &p[(i + 1) % n];
		a += p[i].x * q->y - q->x * p[i].y;
	}
	return fabs(a) / 2;
}

void tl_stats_add_image(tl_stats *s, const tl_image *im)
{
	s->images++;
	int sized = im->width > 0 && im->height > 0;
	double img_area = sized ? (double)im->width * im->height : 0;
	s->images_sized += sized;
	s->images_empty += im->nregions == 0;
	double text_area = 0;
	for (size_t k = 0; k < im->nregions; k++) {
		const tl_region *r = &im->regions[k];
		const tl_geom *g = &r->geom;
		s->regions++;
		if ((unsigned)g->shape < 5)
			s->shapes[g->shape]++;
		if (r->dontcare) {
			s->dontcare++;
		} else {
			s->care++;
		}
		tl_point corners[4];
		const tl_point *p = NULL;
		size_t n = 0;
		if (g->shape == TL_SHAPE_QUAD || g->shape == TL_SHAPE_POLY) {
			p = g->pts;
			n = g->pts ? g->n : 0;
		} else if (g->shape == TL_SHAPE_RECT || g->shape == TL_SHAPE_RBOX) {
			n = tl_geom_points(g, corners, 4);
			p = corners;
			if (n > 4)
				n = 0;
		}
		double area = n >= 3 ? poly_area_abs(p, n) : 0;
		text_area += area;
		if (r->dontcare)
			continue;
		if (n)
			hist_add(&s->h[TL_STAT_POINTS], (double)n);
		if (n >= 3) {
			tl_rbox b = tl_min_area_rect(p, n);
			double lw = b.w >= b.h ? b.w : b.h, sh = b.w >= b.h ? b.h : b.w;
			double ang = b.w >= b.h ? b.angle : b.angle + 90;
			while (ang >= 90)
				ang -= 180;
			while (ang < -90)
				ang += 180;
			hist_add(&s->h[TL_STAT_HEIGHT], sh);
			hist_add(&s->h[TL_STAT_WIDTH], lw);
			if (sh > 0)
				hist_add(&s->h[TL_STAT_ASPECT], lw / sh);
			hist_add(&s->h[TL_STAT_ANGLE], ang);
			if (sized)
				hist_add(&s->h[TL_STAT_AREA_SHARE], area / img_area);
		}
		if (r->text && r->text[0]) {
			size_t len;
			int sc = text_script(r->text, &len);
			s->with_text++;
			s->scripts[sc]++;
			hist_add(&s->h[TL_STAT_TEXTLEN], (double)len);
		}
	}
	if (sized)
		hist_add(&s->h[TL_STAT_TEXT_SHARE], text_area / img_area);
}

void tl_stats_merge(tl_stats *dst, const tl_stats *src)
{
	dst->images += src->images;
	dst->images_sized += src->images_sized;
	dst->images_empty += src->images_empty;
	dst->regions += src->regions;
	dst->care += src->care;
	dst->dontcare += src->dontcare;
	dst->with_text += src->with_text;
	for (int i = 0; i < 5; i++)
		dst->shapes[i] += src->shapes[i];
	for (int i = 0; i < TL_SCRIPT_COUNT; i++)
		dst->scripts[i] += src->scripts[i];
	for (int m = 0; m < TL_STAT_COUNT; m++) {
		tl_hist *a = &dst->h[m];
		const tl_hist *b = &src->h[m];
		if (!b->count)
			continue;
		if (!a->count || b->min < a->min)
			a->min = b->min;
		if (!a->count || b->max > a->max)
			a->max = b->max;
		a->count += b->count;
		a->sum += b->sum;
		for (int i = 0; i < a->nbins && i < b->nbins; i++)
			a->bins[i] += b->bins[i];
	}
}

/* ---- table ---- */

static double pct(uint64_t a, uint64_t b) { return b ? 100.0 * (double)a / (double)b : 0; }

int tl_stats_table(const tl_stats *s, tl_buf *out)
{
	TL_TRY(tl_buf_printf(out, "images      %10llu  (%llu with a known size, %llu without regions)\n",
			     (unsigned long long)s->images, (unsigned long long)s->images_sized,
			     (unsigned long long)s->images_empty));
	TL_TRY(tl_buf_printf(out, "regions     %10llu  (%.1f per image)\n",
			     (unsigned long long)s->regions,
			     s->images ? (double)s->regions / (double)s->images : 0.0));
	TL_TRY(tl_buf_printf(out, "care        %10llu  (%.1f %%)\n", (unsigned long long)s->care,
			     pct(s->care, s->regions)));
	TL_TRY(tl_buf_printf(out, "dontcare    %10llu  (%.1f %%)\n", (unsigned long long)s->dontcare,
			     pct(s->dontcare, s->regions)));
	TL_TRY(tl_buf_puts(out, "shapes     "));
	for (int i = 1; i < 5; i++)
		TL_TRY(tl_buf_printf(out, " %s %llu", tl_shape_name((tl_shape)i),
				     (unsigned long long)s->shapes[i]));
	TL_TRY(tl_buf_printf(out, "\ntranscribed %10llu  (care regions with text)\nscripts    ",
			     (unsigned long long)s->with_text));
	int any = 0;
	for (int i = 0; i < TL_SCRIPT_COUNT; i++)
		if (s->scripts[i]) {
			TL_TRY(tl_buf_printf(out, " %s %llu (%.1f %%)", script_names[i],
					     (unsigned long long)s->scripts[i],
					     pct(s->scripts[i], s->with_text)));
			any = 1;
		}
	TL_TRY(tl_buf_puts(out, any ? "\n" : " -\n"));
	TL_TRY(tl_buf_printf(out, "\n%-12s %10s %10s %10s %10s %10s %10s %10s\n", "care regions",
			     "count", "min", "p5", "median", "mean", "p95", "max"));
	for (int m = 0; m < TL_STAT_COUNT; m++) {
		const tl_hist *h = &s->h[m];
		if (!h->count) {
			TL_TRY(tl_buf_printf(out, "%-12s %10s\n", metrics[m].name, "0"));
			continue;
		}
		TL_TRY(tl_buf_printf(out, "%-12s %10llu %10.4g %10.4g %10.4g %10.4g %10.4g %10.4g\n",
				     metrics[m].name, (unsigned long long)h->count, h->min,
				     tl_hist_quantile(h, 0.05), tl_hist_quantile(h, 0.5),
				     h->sum / (double)h->count, tl_hist_quantile(h, 0.95), h->max));
	}
	return tl_buf_puts(out, "(percentiles are read from fixed histogram bins)\n");
}

/* ---- JSON ---- */

static int put_u64(tl_buf *b, const char *key, uint64_t v, const char *sep)
{
	return tl_buf_printf(b, "\"%s\": %llu%s", key, (unsigned long long)v, sep);
}

int tl_stats_json(const tl_stats *s, tl_buf *out)
{
	TL_TRY(tl_buf_puts(out, "{\"textloc_stats\": 1, "));
	TL_TRY(put_u64(out, "images", s->images, ", "));
	TL_TRY(put_u64(out, "images_sized", s->images_sized, ", "));
	TL_TRY(put_u64(out, "images_empty", s->images_empty, ", "));
	TL_TRY(put_u64(out, "regions", s->regions, ", "));
	TL_TRY(put_u64(out, "care", s->care, ", "));
	TL_TRY(put_u64(out, "dontcare", s->dontcare, ", "));
	TL_TRY(put_u64(out, "with_text", s->with_text, ",\n \"shapes\": {"));
	for (int i = 1; i < 5; i++)
		TL_TRY(put_u64(out, tl_shape_name((tl_shape)i), s->shapes[i], i < 4 ? ", " : "},\n"));
	TL_TRY(tl_buf_puts(out, " \"scripts\": {"));
	for (int i = 0; i < TL_SCRIPT_COUNT; i++)
		TL_TRY(put_u64(out, script_names[i], s->scripts[i],
			       i + 1 < TL_SCRIPT_COUNT ? ", " : "},\n"));
	TL_TRY(tl_buf_puts(out, " \"metrics\": {"));
	for (int m = 0; m < TL_STAT_COUNT; m++) {
		const tl_hist *h = &s->h[m];
		TL_TRY(tl_buf_printf(out, "%s\n  \"%s\": {\"count\": %llu, \"min\": ", m ? "," : "",
				     metrics[m].name, (unsigned long long)h->count));
		TL_TRY(tl_buf_num(out, h->min));
		TL_TRY(tl_buf_puts(out, ", \"max\": "));
		TL_TRY(tl_buf_num(out, h->max));
		TL_TRY(tl_buf_puts(out, ", \"mean\": "));
		TL_TRY(tl_buf_num(out, h->count ? h->sum / (double)h->count : 0));
		TL_TRY(tl_buf_puts(out, ", \"sum\": "));
		TL_TRY(tl_buf_num(out, h->sum));
		TL_TRY(tl_buf_puts(out, ", \"median\": "));
		TL_TRY(tl_buf_num(out, tl_hist_quantile(h, 0.5)));
		TL_TRY(tl_buf_printf(out, ", \"lo\": "));
		TL_TRY(tl_buf_num(out, h->lo));
		TL_TRY(tl_buf_puts(out, ", \"hi\": "));
		TL_TRY(tl_buf_num(out, h->hi));
		TL_TRY(tl_buf_printf(out, ", \"log\": %s, \"bins\": [", h->log ? "true" : "false"));
		for (int i = 0; i < h->nbins; i++)
			TL_TRY(tl_buf_printf(out, "%s%llu", i ? "," : "", (unsigned long long)h->bins[i]));
		TL_TRY(tl_buf_puts(out, "]}"));
	}
	return tl_buf_puts(out, "\n}}\n");
}

static int get_u64(const cJSON *o, const char *key, uint64_t *v)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsNumber(x) || x->valuedouble < 0 || x->valuedouble > 9e15)
		return 0;
	*v = (uint64_t)x->valuedouble;
	return 1;
}

int tl_stats_from_json(tl_stats *s, const char *json, size_t len, tl_error *err)
{
	tl_stats_init(s);
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *mt = cJSON_GetObjectItemCaseSensitive(root, "metrics");
	int ok = cJSON_IsObject(root) && cJSON_GetObjectItemCaseSensitive(root, "textloc_stats") &&
		 cJSON_IsObject(mt);
	ok = ok && get_u64(root, "images", &s->images) && get_u64(root, "regions", &s->regions) &&
	     get_u64(root, "care", &s->care) && get_u64(root, "dontcare", &s->dontcare);
	if (ok) {
		get_u64(root, "images_sized", &s->images_sized);
		get_u64(root, "images_empty", &s->images_empty);
		get_u64(root, "with_text", &s->with_text);
		const cJSON *sh = cJSON_GetObjectItemCaseSensitive(root, "shapes");
		for (int i = 1; i < 5; i++)
			get_u64(sh, tl_shape_name((tl_shape)i), &s->shapes[i]);
		const cJSON *sc = cJSON_GetObjectItemCaseSensitive(root, "scripts");
		for (int i = 0; i < TL_SCRIPT_COUNT; i++)
			get_u64(sc, script_names[i], &s->scripts[i]);
	}
	for (int m = 0; ok && m < TL_STAT_COUNT; m++) {
		const cJSON *h = cJSON_GetObjectItemCaseSensitive(mt, metrics[m].name);
		const cJSON *bins = cJSON_GetObjectItemCaseSensitive(h, "bins");
		tl_hist *d = &s->h[m];
		/* bins of another layout cannot be added up */
		ok = cJSON_IsArray(bins) && cJSON_GetArraySize(bins) == d->nbins &&
		     get_u64(h, "count", &d->count);
		const cJSON *x;
		ok = ok && (x = cJSON_GetObjectItemCaseSensitive(h, "lo")) && cJSON_IsNumber(x) &&
		     fabs(x->valuedouble - d->lo) <= 1e-9 * (fabs(d->lo) + 1);
		int i = 0;
		uint64_t total = 0;
		cJSON_ArrayForEach(x, bins) {
			if (!ok || !cJSON_IsNumber(x) || x->valuedouble < 0 || x->valuedouble > 9e15) {
				ok = 0;
				break;
			}
			d->bins[i++] = (uint64_t)x->valuedouble;
			total += (uint64_t)x->valuedouble;
		}
		ok = ok && total == d->count;
		if (ok && (x = cJSON_GetObjectItemCaseSensitive(h, "sum")) && cJSON_IsNumber(x))
			d->sum = x->valuedouble;
		if (ok && (x = cJSON_GetObjectItemCaseSensitive(h, "min")) && cJSON_IsNumber(x))
			d->min = x->valuedouble;
		if (ok && (x = cJSON_GetObjectItemCaseSensitive(h, "max")) && cJSON_IsNumber(x))
			d->max = x->valuedouble;
	}
	cJSON_Delete(root);
	if (!ok)
		return tl_error_set(err, TL_E_INPUT, NULL, 0, 0,
				    "not the JSON output of textloc stats --json (or of another "
				    "version)");
	return TL_OK;
}

/* ---- plots ---- */

static int plot_one(const tl_hist *h, int m, const char *dir, int force, tl_error *err)
{
	enum { W = 720, H = 420, L = 70, R = 20, T = 48, B = 62 };
	tl_pixmap p;
	TL_TRY(tl_pixmap_alloc(&p, W, H, 3, err));
	memset(p.data, 255, (size_t)W * H * 3);
	const tl_rgb ink = { 40, 40, 40 }, bar = { 60, 120, 200 }, grid = { 215, 215, 215 };
	const tl_rgb white = { 255, 255, 255 };
	uint64_t top = 1;
	for (int i = 0; i < h->nbins; i++)
		if (h->bins[i] > top)
			top = h->bins[i];
	int pw = W - L - R, ph = H - T - B;
	/* horizontal grid lines at quarters of the tallest bar, labelled */
	for (int g = 0; g <= 4; g++) {
		double y = T + ph - ph * g / 4.0;
		tl_draw_line(&p, (tl_point){ L, y }, (tl_point){ W - R, y }, 1, grid);
		char lab[32];
		snprintf(lab, sizeof lab, "%llu", (unsigned long long)(top * (uint64_t)g / 4));
		int tw, th;
		tl_text_size(lab, 1, &tw, &th);
		tl_draw_text(&p, L - 6 - tw, (int)y - th / 2, lab, 1, ink, white, 0);
	}
	double bw = (double)pw / h->nbins;
	for (int i = 0; i < h->nbins; i++) {
		if (!h->bins[i])
			continue;
		double bh = ph * (double)h->bins[i] / (double)top;
		tl_point q[4] = { { L + i * bw + 1, T + ph - bh }, { L + (i + 1) * bw - 1, T + ph - bh },
				  { L + (i + 1) * bw - 1, T + ph }, { L + i * bw + 1, T + ph } };
		tl_fill_polygon(&p, q, 4, bar, 255);
	}
	tl_draw_line(&p, (tl_point){ L, T + ph }, (tl_point){ W - R, T + ph }, 1, ink);
	tl_draw_line(&p, (tl_point){ L, T }, (tl_point){ L, T + ph }, 1, ink);
	/* x labels at 5 evenly spaced bin edges */
	for (int k = 0; k <= 4; k++) {
		int i = h->nbins * k / 4;
		double v = tl_hist_edge(h, i);
		char lab[32];
		snprintf(lab, sizeof lab, "%.3g", v);
		int tw, th;
		tl_text_size(lab, 1, &tw, &th);
		int x = L + (int)(i * bw), tx = x - tw / 2;
		tl_draw_line(&p, (tl_point){ x, T + ph }, (tl_point){ x, T + ph + 4 }, 1, ink);
		if (tx + tw > W - 2)
			tx = W - 2 - tw;
		tl_draw_text(&p, tx, T + ph + 8, lab, 1, ink, white, 0);
	}
	tl_draw_text(&p, L, 8, metrics[m].label, 2, ink, white, 0);
	char sub[160];
	snprintf(sub, sizeof sub, "n = %llu   median %.3g   mean %.3g%s",
		 (unsigned long long)h->count, tl_hist_quantile(h, 0.5),
		 h->count ? h->sum / (double)h->count : 0.0, h->log ? "   (log-scaled x axis)" : "");
	tl_draw_text(&p, L, 28, sub, 1, ink, white, 0);
	tl_draw_text(&p, L, H - 28, "bar height: number of regions in the bin", 1, ink, white, 0);
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.png", dir, metrics[m].name);
	int rc = tl_png_write(path, &p, force, err);
	tl_pixmap_free(&p);
	return rc;
}

int tl_stats_plot(const tl_stats *s, const char *dir, int force, tl_error *err)
{
	TL_TRY(tl_mkdirs(dir, err));
	for (int m = 0; m < TL_STAT_COUNT; m++)
		TL_TRY(plot_one(&s->h[m], m, dir, force, err));
	return TL_OK;
}
