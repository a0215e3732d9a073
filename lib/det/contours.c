/* contours.c — border following on a binary image, reproducing what OpenCV 4.6
 * findContours(RETR_LIST, CHAIN_APPROX_SIMPLE) returns: the same contours, the
 * same points, in the same order. The DB post-processing keeps the first
 * max_candidates contours in that order, so the order is part of the result.
 *
 * The algorithm is Suzuki & Abe's border following. The working image is a
 * signed byte copy with a one-pixel zero frame (OpenCV pads the same way, then
 * shifts the points back by one). Pixel values during the scan:
 *   0     background
 *   1     foreground not yet on a followed border
 *   2     on a followed border
 *   -126  on a followed border, and its right neighbour is background (the
 *         "right bound" mark that stops a second start on the same border)
 * A raster scan starts an outer border at a 0 -> 1 transition and a hole border
 * at a (>= 1) -> 0 transition; RETR_LIST keeps both kinds without hierarchy. */
#include "tl_internal.h"
#include "det/det_internal.h"
#include <stddef.h>

#define MARK_RIGHT ((int8_t)(2 | -128))
#define MARK_SEEN  ((int8_t)2)

/* Chain code directions: 0 = +x, then counter-clockwise on screen (2 = up). */
static const int code_dx[8] = { 1, 1, 0, -1, -1, -1, 0, 1 };
static const int code_dy[8] = { 0, -1, -1, -1, 0, 1, 1, 1 };

void tl_contours_free(tl_contours *c)
{
	if (!c)
		return;
	free(c->pts);
	free(c->start);
	free(c->len);
	memset(c, 0, sizeof *c);
}

static int push_point(tl_contours *c, int x, int y, size_t max_points)
{
	if (c->npts >= max_points)
		return TL_E_LIMIT;
	if (c->npts == c->cap &&
	    tl_grow((void **)&c->pts, &c->cap, c->npts + 1, sizeof *c->pts) != TL_OK)
		return TL_E_NOMEM;
	c->pts[c->npts].x = x;
	c->pts[c->npts].y = y;
	c->npts++;
	return TL_OK;
}

static int begin_contour(tl_contours *c)
{
	if (c->n == c->ncap) {
		size_t cap = c->ncap;
		if (tl_grow((void **)&c->start, &cap, c->n + 1, sizeof *c->start) != TL_OK)
			return TL_E_NOMEM;
		cap = c->ncap;
		if (tl_grow((void **)&c->len, &cap, c->n + 1, sizeof *c->len) != TL_OK)
			return TL_E_NOMEM;
		c->ncap = cap;
	}
	c->start[c->n] = c->npts;
	c->len[c->n] = 0;
	c->n++;
	return TL_OK;
}

/* Follows one border from the pixel at (x0, y0) of the padded image a (row
 * stride W), marking it, and appends its corner points (shifted back by the
 * frame). A hole border starts its search towards +x, an outer border towards
 * -x, as OpenCV does; the neighbourhood is scanned clockwise from there to find
 * the first foreground neighbour, then counter-clockwise while following. */
static int follow_border(int8_t *a, ptrdiff_t W, int x0, int y0, int is_hole,
			 size_t max_steps, size_t max_points, tl_contours *c)
{
	ptrdiff_t d[16];
	int8_t *i0 = a + (ptrdiff_t)y0 * W + x0, *i1, *i3, *i4 = NULL;
	int s, s_end, prev_s, px = x0, py = y0;
	size_t steps = 0;

	for (int k = 0; k < 8; k++)
		d[k] = d[k + 8] = (ptrdiff_t)code_dy[k] * W + code_dx[k];
	TL_TRY(begin_contour(c));

	s_end = s = is_hole ? 0 : 4;
	do {
		s = (s - 1) & 7;
		i1 = i0 + d[s];
	} while (*i1 == 0 && s != s_end);

	if (s == s_end) { /* an isolated pixel */
		*i0 = MARK_RIGHT;
		TL_TRY(push_point(c, x0 - 1, y0 - 1, max_points));
		c->len[c->n - 1] = 1;
		return TL_OK;
	}
	i3 = i0;
	prev_s = s ^ 4;
	for (;;) {
		s_end = s;
		while (s < 15) {
			i4 = i3 + d[++s];
			if (*i4 != 0)
				break;
		}
		s &= 7;
		/* The pixel right of i3 was examined and is background when the new
		 * direction lies strictly past direction 0 in this sweep. */
		if ((unsigned)(s - 1) < (unsigned)s_end)
			*i3 = MARK_RIGHT;
		else if (*i3 == 1)
			*i3 = MARK_SEEN;
		/* CHAIN_APPROX_SIMPLE: a point only where the direction changes. */
		if (s != prev_s) {
			TL_TRY(push_point(c, px - 1, py - 1, max_points));
			prev_s = s;
		}
		px += code_dx[s];
		py += code_dy[s];
		if (i4 == i0 && i3 == i1)
			break;
		/* Each border pixel is left at most 4 times (once per adjacent
		 * background run); anything longer is a bug, not an input. */
		if (++steps > max_steps)
			return TL_E_LIMIT;
		i3 = i4;
		s = (s + 4) & 7;
	}
	c->len[c->n - 1] = c->npts - c->start[c->n - 1];
	return TL_OK;
}

static void reverse_sizes(size_t *v, size_t n)
{
	for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
		size_t t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

int tl_find_contours(const uint8_t *img, int w, int h, size_t max_points,
		     tl_contours *out)
{
	memset(out, 0, sizeof *out);
	if (w <= 0 || h <= 0)
		return TL_OK;
	if ((uint64_t)(w + 2) * (uint64_t)(h + 2) > ((uint64_t)1 << 31))
		return TL_E_LIMIT;
	ptrdiff_t W = (ptrdiff_t)w + 2, H = (ptrdiff_t)h + 2;
	int8_t *a = calloc((size_t)(W * H), 1);
	if (!a)
		return TL_E_NOMEM;
	for (int y = 0; y < h; y++) {
		const uint8_t *src = img + (size_t)y * (size_t)w;
		int8_t *dst = a + (y + 1) * W + 1;
		for (int x = 0; x < w; x++)
			dst[x] = src[x] != 0;
	}
	size_t max_steps = 4 * (size_t)W * (size_t)H + 16;
	int rc = TL_OK;
	/* OpenCV scans rows 1 .. H-2 and columns 1 .. W-2 of the padded image. */
	for (ptrdiff_t y = 1; y < H - 1 && rc == TL_OK; y++) {
		int8_t *row = a + y * W;
		int prev = 0;
		for (ptrdiff_t x = 1; x < W - 1; x++) {
			/* Runs of background or of unvisited foreground are most of the
			 * map: skip them eight pixels at a time. */
			if (prev == 0 || prev == 1) {
				uint64_t pat = prev ? 0x0101010101010101ull : 0, chunk;
				while (x + 8 <= W - 1) {
					memcpy(&chunk, row + x, 8);
					if (chunk != pat)
						break;
					x += 8;
				}
				if (x >= W - 1)
					break;
			}
			int p = row[x];
			if (p == prev)
				continue;
			int is_hole = 0;
			if (!(prev == 0 && p == 1)) {
				if (p != 0 || prev < 1) {
					prev = p;
					continue;
				}
				is_hole = 1;
			}
			rc = follow_border(a, W, (int)(x - is_hole), (int)y, is_hole,
					   max_steps, max_points, out);
			if (rc != TL_OK)
				break;
			/* OpenCV resumes after the start pixel with prev = its value
			 * now (marked for an outer border, 0 for a hole's pixel). */
			prev = row[x];
		}
	}
	free(a);
	if (rc != TL_OK) {
		tl_contours_free(out);
		return rc;
	}
	/* OpenCV links each new contour in front of the previous ones. */
	reverse_sizes(out->start, out->n);
	reverse_sizes(out->len, out->n);
	return TL_OK;
}
