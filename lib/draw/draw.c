/* draw.c — overlays on RGB pixmaps. Everything clips to the image, and any
 * coordinate (huge, NaN, infinite — annotations are untrusted) is handled: work
 * is bounded by the image size, never by the numbers in a file. */
#include "draw_int.h"

#include <math.h>
#include <stdio.h>

static int usable(const tl_pixmap *p)
{
	return p && p->data && p->channels == 3 && p->width > 0 && p->height > 0;
}

static inline void put(tl_pixmap *p, int x, int y, tl_rgb c)
{
	uint8_t *q = p->data + ((size_t)y * p->width + x) * 3;
	q[0] = c.r, q[1] = c.g, q[2] = c.b;
}

static inline uint8_t mix8(uint8_t a, uint8_t b, int alpha)
{
	return (uint8_t)((a * (255 - alpha) + b * alpha + 127) / 255);
}

static inline void blend(tl_pixmap *p, int x, int y, tl_rgb c, int alpha)
{
	uint8_t *q = p->data + ((size_t)y * p->width + x) * 3;
	q[0] = mix8(q[0], c.r, alpha);
	q[1] = mix8(q[1], c.g, alpha);
	q[2] = mix8(q[2], c.b, alpha);
}

static void fill_rect(tl_pixmap *p, int x0, int y0, int x1, int y1, tl_rgb c, int alpha)
{
	/* [x0, x1) x [y0, y1), clipped */
	if (x0 < 0) x0 = 0;
	if (y0 < 0) y0 = 0;
	if (x1 > p->width) x1 = p->width;
	if (y1 > p->height) y1 = p->height;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			if (alpha >= 255)
				put(p, x, y, c);
			else
				blend(p, x, y, c, alpha);
		}
}

/* Cohen-Sutherland: clips the segment to [xlo, xhi] x [ylo, yhi]; 0 if nothing is
 * left. Each crossing is computed from the ratio along the segment and lands exactly
 * on the boundary, so a segment from -1e300 to 1e300 clips to the right pixels
 * (a parametric t would lose them to cancellation). */
static int outcode(double x, double y, double xlo, double ylo, double xhi, double yhi)
{
	return (x < xlo) | (x > xhi) << 1 | (y < ylo) << 2 | (y > yhi) << 3;
}

static int clip_segment(double *ax, double *ay, double *bx, double *by, double xlo, double ylo,
			double xhi, double yhi)
{
	int ca = outcode(*ax, *ay, xlo, ylo, xhi, yhi), cb = outcode(*bx, *by, xlo, ylo, xhi, yhi);
	for (int iter = 0; iter < 8; iter++) { /* each step clears a bit: at most 4 per end */
		if (!(ca | cb))
			return 1;
		if (ca & cb)
			return 0;
		int out = ca ? ca : cb;
		double x, y;
		if (out & 1) {
			x = xlo, y = *ay + (*by - *ay) * ((xlo - *ax) / (*bx - *ax));
		} else if (out & 2) {
			x = xhi, y = *ay + (*by - *ay) * ((xhi - *ax) / (*bx - *ax));
		} else if (out & 4) {
			y = ylo, x = *ax + (*bx - *ax) * ((ylo - *ay) / (*by - *ay));
		} else {
			y = yhi, x = *ax + (*bx - *ax) * ((yhi - *ay) / (*by - *ay));
		}
		if (!isfinite(x) || !isfinite(y))
			return 0;
		if (out == ca) {
			*ax = x, *ay = y;
			ca = outcode(x, y, xlo, ylo, xhi, yhi);
		} else {
			*bx = x, *by = y;
			cb = outcode(x, y, xlo, ylo, xhi, yhi);
		}
	}
	return !(ca | cb);
}

void tl_draw_line(tl_pixmap *p, tl_point a, tl_point b, int thickness, tl_rgb c)
{
	if (!usable(p) || !isfinite(a.x) || !isfinite(a.y) || !isfinite(b.x) || !isfinite(b.y))
		return;
	int t = thickness < 1 ? 1 : thickness > 64 ? 64 : thickness;
	double m = t + 2.0;
	if (!clip_segment(&a.x, &a.y, &b.x, &b.y, -m, -m, p->width + m, p->height + m))
		return;
	/* A t x t square brush stamped every half pixel along the segment; the brush
	 * is centred on the continuous point (pixel i covers [i, i+1)). */
	double len = fmax(fabs(b.x - a.x), fabs(b.y - a.y));
	long steps = (long)ceil(len * 2.0) + 1;
	double half = (t - 1) / 2.0;
	int lastx = INT32_MIN, lasty = INT32_MIN;
	for (long i = 0; i <= steps; i++) {
		double f = steps ? (double)i / (double)steps : 0.0;
		double x = a.x + (b.x - a.x) * f - 0.5 - half;
		double y = a.y + (b.y - a.y) * f - 0.5 - half;
		int ix = (int)floor(x + 0.5), iy = (int)floor(y + 0.5);
		if (ix == lastx && iy == lasty)
			continue;
		lastx = ix, lasty = iy;
		fill_rect(p, ix, iy, ix + t, iy + t, c, 255);
	}
}

void tl_draw_polygon(tl_pixmap *p, const tl_point *pts, size_t n, int thickness, tl_rgb c)
{
	if (!usable(p) || !pts || n < 2)
		return;
	for (size_t i = 0; i < n; i++)
		tl_draw_line(p, pts[i], pts[(i + 1) % n], thickness, c);
}

/* Even-odd scan conversion, sampling pixel centres: calls span() for each run of
 * pixels [x0, x1) of row y inside the polygon. */
typedef void (*span_fn)(tl_pixmap *p, int y, int x0, int x1, void *ctx);

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void scan_polygon(tl_pixmap *p, const tl_point *pts, size_t n, span_fn span, void *ctx)
{
	if (!usable(p) || !pts || n < 3 || n > TL_MAX_POINTS)
		return;
	double miny = INFINITY, maxy = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(pts[i].x) || !isfinite(pts[i].y))
			return;
		miny = fmin(miny, pts[i].y);
		maxy = fmax(maxy, pts[i].y);
	}
	double ylo = fmax(miny - 0.5, 0.0), yhi = fmin(maxy - 0.5, (double)p->height - 1);
	if (ylo > yhi)
		return;
	double *xs = malloc(n * sizeof *xs);
	if (!xs)
		return; /* drawing is best effort: an overlay without a fill is still useful */
	for (int y = (int)ceil(ylo); y <= (int)floor(yhi); y++) {
		double yc = y + 0.5;
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			tl_point a = pts[i], b = pts[(i + 1) % n];
			if ((a.y <= yc) != (b.y <= yc))
				xs[k++] = a.x + (yc - a.y) * (b.x - a.x) / (b.y - a.y);
		}
		qsort(xs, k, sizeof *xs, cmp_double);
		for (size_t i = 0; i + 1 < k; i += 2) {
			/* pixel i is inside when its centre i + 0.5 is in [xa, xb) */
			double xa = fmax(ceil(xs[i] - 0.5), 0.0);
			double xb = fmin(ceil(xs[i + 1] - 0.5), (double)p->width);
			if (xa < xb)
				span(p, y, (int)xa, (int)xb, ctx);
		}
	}
	free(xs);
}

typedef struct fill_ctx { tl_rgb c; int alpha, spacing; } fill_ctx;

static void span_fill(tl_pixmap *p, int y, int x0, int x1, void *ctx)
{
	fill_ctx *f = ctx;
	fill_rect(p, x0, y, x1, y + 1, f->c, f->alpha);
}

static void span_hatch(tl_pixmap *p, int y, int x0, int x1, void *ctx)
{
	fill_ctx *f = ctx;
	/* Lines of slope -1 (rising to the right) every `spacing` pixels, two wide so
	 * they read on busy photos. */
	for (int x = x0; x < x1; x++) {
		int m = (x + y) % f->spacing;
		if (m == 0 || m == 1)
			put(p, x, y, f->c);
	}
}

void tl_fill_polygon(tl_pixmap *p, const tl_point *pts, size_t n, tl_rgb c, int alpha)
{
	if (alpha <= 0)
		return;
	fill_ctx f = { c, alpha > 255 ? 255 : alpha, 0 };
	scan_polygon(p, pts, n, span_fill, &f);
}

void tl_hatch_polygon(tl_pixmap *p, const tl_point *pts, size_t n, tl_rgb c, int spacing)
{
	fill_ctx f = { c, 255, spacing < 3 ? 3 : spacing > 1000 ? 1000 : spacing };
	scan_polygon(p, pts, n, span_hatch, &f);
}

size_t tl_utf8_next(const char *s, uint32_t *cp)
{
	const uint8_t *u = (const uint8_t *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	int len = (u[0] & 0xE0) == 0xC0 ? 2 : (u[0] & 0xF0) == 0xE0 ? 3 : (u[0] & 0xF8) == 0xF0 ? 4 : 0;
	uint32_t v = len == 2 ? u[0] & 0x1Fu : len == 3 ? u[0] & 0x0Fu : u[0] & 0x07u;
	for (int i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80) { /* also stops at the NUL terminator */
			len = 0;
			break;
		}
		v = v << 6 | (u[i] & 0x3Fu);
	}
	if (len == 0 || (len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
	    v > 0x10FFFF) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return (size_t)len;
}

static size_t count_chars(const char *s)
{
	size_t n = 0;
	uint32_t cp;
	while (*s && n < TL_LABEL_MAX_CHARS) {
		s += tl_utf8_next(s, &cp);
		n++;
	}
	return n;
}

static int clamp_scale(int scale) { return scale < 1 ? 1 : scale > 8 ? 8 : scale; }

void tl_text_size(const char *utf8, int scale, int *w, int *h)
{
	int s = clamp_scale(scale);
	size_t n = utf8 ? count_chars(utf8) : 0;
	/* one pixel of padding all round; each glyph cell carries its own right gap */
	*w = s * (1 + TL_FONT_ADVANCE * (int)n);
	*h = s * (TL_FONT_H + 2);
}

int tl_draw_text(tl_pixmap *p, int x, int y, const char *utf8, int scale, tl_rgb fg, tl_rgb bg,
		 int bg_alpha)
{
	int s = clamp_scale(scale), w, h;
	tl_text_size(utf8, s, &w, &h);
	if (!usable(p) || !utf8)
		return w;
	/* Far outside the image nothing shows; the bound also keeps x + w from overflowing. */
	if (x >= p->width || y >= p->height || x < -(1 << 20) || y < -(1 << 20))
		return w;
	if (bg_alpha > 0)
		fill_rect(p, x, y, x + w, y + h, bg, bg_alpha > 255 ? 255 : bg_alpha);
	int gx = x + s;
	uint32_t cp;
	for (size_t i = 0; *utf8 && i < TL_LABEL_MAX_CHARS; i++, gx += TL_FONT_ADVANCE * s) {
		utf8 += tl_utf8_next(utf8, &cp);
		if (gx >= p->width)
			break;
		const uint8_t *g = tl_font_glyph(cp == '\t' ? ' ' : cp);
		for (int r = 0; r < TL_FONT_H; r++)
			for (int col = 0; col < TL_FONT_W; col++)
				if (g[r] >> (TL_FONT_W - 1 - col) & 1)
					fill_rect(p, gx + col * s, y + s + r * s, gx + (col + 1) * s,
						  y + s + (r + 1) * s, fg, 255);
	}
	return w;
}

/* ---- regions ------------------------------------------------------------- */

static int auto_thickness(const tl_pixmap *p)
{
	int m = p->width < p->height ? p->width : p->height;
	return m < 400 ? 1 : m < 1000 ? 2 : m < 2000 ? 3 : 4;
}

static int auto_scale(const tl_pixmap *p)
{
	int m = p->width < p->height ? p->width : p->height;
	return m < 800 ? 1 : m < 1600 ? 2 : 3;
}

/* The region's outline: QUAD/POLY as stored, RECT/RBOX as their four corners.
 * Returns the count (0 when unusable); *pts points at r's points or at box. */
static size_t region_points(const tl_region *r, tl_point box[4], const tl_point **pts)
{
	const tl_geom *g = &r->geom;
	if ((g->shape == TL_SHAPE_QUAD || g->shape == TL_SHAPE_POLY) && g->pts && g->n >= 2) {
		*pts = g->pts;
		return g->n;
	}
	if (g->shape == TL_SHAPE_RECT || g->shape == TL_SHAPE_RBOX) {
		size_t n = tl_geom_points(g, box, 4);
		if (n != 4)
			return 0;
		*pts = box;
		return 4;
	}
	return 0;
}

static tl_rgb label_fg(tl_rgb bg)
{
	/* black on light backgrounds, white on dark ones */
	unsigned luma = (bg.r * 299u + bg.g * 587u + bg.b * 114u) / 1000u;
	return luma > 140 ? (tl_rgb){ 0, 0, 0 } : (tl_rgb){ 255, 255, 255 };
}

enum { PASS_FILL = 1, PASS_LINE = 2, PASS_LABEL = 4, PASS_ALL = 7 };

/* Rings longer than this are drawn through every k-th vertex: a hostile file can
 * hold a million-point polygon whose edges all cross the image, and the outline and
 * scan-fill costs grow with vertices times image size. Real outlines have tens. */
#define DRAW_MAX_VERTICES 4096

/* Bounding boxes of an image's regions, used to keep labels off other regions. */
typedef struct boxes { const tl_rect *r; size_t n, self; } boxes;

static int hits_other(const boxes *bx, double x0, double y0, double x1, double y1)
{
	if (!bx)
		return 0;
	for (size_t i = 0; i < bx->n; i++)
		if (i != bx->self && bx->r[i].l < x1 && x0 < bx->r[i].r && bx->r[i].t < y1 &&
		    y0 < bx->r[i].b)
			return 1;
	return 0;
}

static void draw_region_pass(tl_pixmap *p, const tl_region *r, tl_rgb c, const tl_draw_opts *o,
			     int passes, const boxes *bx)
{
	tl_point box[4];
	const tl_point *pts = NULL;
	size_t n = region_points(r, box, &pts);
	if (n == 0)
		return;
	tl_point *thin = NULL;
	if (n > DRAW_MAX_VERTICES) {
		size_t k = (n + DRAW_MAX_VERTICES - 1) / DRAW_MAX_VERTICES, m = 0;
		thin = malloc((n / k + 1) * sizeof *thin);
		if (!thin)
			return;
		for (size_t i = 0; i < n; i += k)
			thin[m++] = pts[i];
		pts = thin;
		n = m;
	}
	int th = o && o->thickness > 0 ? o->thickness : auto_thickness(p);
	if (passes & PASS_FILL) {
		if (r->dontcare)
			tl_hatch_polygon(p, pts, n, c, 6);
		else if (o && o->fill_alpha > 0)
			tl_fill_polygon(p, pts, n, c, o->fill_alpha);
	}
	if (passes & PASS_LINE)
		tl_draw_polygon(p, pts, n, th, c);
	if ((passes & PASS_LABEL) && o && o->labels) {
		char label[256];
		const char *text = r->text ? r->text : "";
		if (r->has_confidence && o->scores)
			snprintf(label, sizeof label, "%s%s%.2f", text, *text ? " " : "", r->confidence);
		else
			snprintf(label, sizeof label, "%s", text);
		/* "###" only repeats what the hatching says */
		if (!label[0] || (r->dontcare && strcmp(label, "###") == 0))
			goto done;
		double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
		for (size_t i = 0; i < n; i++) {
			if (!isfinite(pts[i].x) || !isfinite(pts[i].y))
				goto done;
			minx = fmin(minx, pts[i].x);
			miny = fmin(miny, pts[i].y);
			maxx = fmax(maxx, pts[i].x);
			maxy = fmax(maxy, pts[i].y);
		}
		int s = o->font_scale > 0 ? o->font_scale : auto_scale(p), w, h;
		tl_text_size(label, s, &w, &h);
		/* Above the region's top-left corner; where that would cover another
		 * region (stacked lines of text), below it, then to its right, else just
		 * inside. Always kept on the image so labels of edge regions stay readable. */
		double cx[4] = { minx, minx, maxx + th, minx };
		double cy[4] = { miny - h - th, maxy + th, miny, miny + th };
		double lx = 0, ly = 0;
		for (int k = 0; k < 4; k++) {
			lx = fmax(0.0, fmin(cx[k], (double)p->width - w));
			ly = fmax(0.0, fmin(cy[k], (double)p->height - h));
			if (ly != cy[k] && k < 3)
				continue; /* that side is off the image */
			if (!hits_other(bx, lx, ly, lx + w, ly + h))
				break;
		}
		tl_draw_text(p, (int)fmax(lx, 0.0), (int)fmax(ly, 0.0), label, s, label_fg(c), c, 200);
	}
done:
	free(thin);
}

int tl_draw_region(tl_pixmap *p, const tl_region *r, tl_rgb c, const tl_draw_opts *o,
		   tl_error *err)
{
	if (!usable(p))
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "drawing needs an RGB image");
	draw_region_pass(p, r, c, o, PASS_ALL, NULL);
	return TL_OK;
}

int tl_draw_image_colored(tl_pixmap *p, const tl_image *im, const tl_rgb *colors,
			  const tl_draw_opts *o, tl_error *err)
{
	if (!usable(p))
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "drawing needs an RGB image");
	tl_draw_opts def = { 0, 1, 0, 0, 0 };
	if (!o)
		o = &def;
	/* Label placement looks at every other region: affordable for real images
	 * (tens to hundreds of regions), skipped for huge lists. */
	tl_rect *rects = NULL;
	if (o->labels && im->nregions <= 2000)
		rects = malloc((im->nregions ? im->nregions : 1) * sizeof *rects);
	if (rects) {
		for (size_t i = 0; i < im->nregions; i++) {
			tl_point box[4];
			const tl_point *pts = NULL;
			size_t n = region_points(&im->regions[i], box, &pts);
			rects[i] = n ? tl_bounding_rect(pts, n) : (tl_rect){ 0, 0, 0, 0 };
			if (!isfinite(rects[i].l) || !isfinite(rects[i].t) || !isfinite(rects[i].r) ||
			    !isfinite(rects[i].b))
				rects[i] = (tl_rect){ 0, 0, 0, 0 };
		}
	}
	/* Fills under every outline, outlines under every label. */
	static const int passes[] = { PASS_FILL, PASS_LINE, PASS_LABEL };
	for (size_t k = 0; k < TL_ARRAY_LEN(passes); k++)
		for (size_t i = 0; i < im->nregions; i++) {
			const tl_region *r = &im->regions[i];
			tl_rgb c = colors ? colors[i] : r->dontcare ? TL_RGB_DONTCARE : TL_RGB_CARE;
			boxes bx = { rects, im->nregions, i };
			draw_region_pass(p, r, c, o, passes[k], rects ? &bx : NULL);
		}
	free(rects);
	return TL_OK;
}

int tl_draw_image(tl_pixmap *p, const tl_image *im, const tl_draw_opts *o, tl_error *err)
{
	return tl_draw_image_colored(p, im, NULL, o, err);
}
