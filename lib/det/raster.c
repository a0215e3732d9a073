/* raster.c — polygon filling as OpenCV 4.6 cv::fillPoly does it (8-connected
 * lines, shift 0), and the DB box scores built on it.
 *
 * Why a port rather than any scan-line fill: the score of a candidate box is a
 * mean over exactly the pixels fillPoly sets, and a box is kept when that mean
 * reaches box_thresh, so a different pixel rule changes which boxes survive.
 * fillPoly draws every edge as an 8-connected Bresenham line and then fills
 * spans between edge pairs in 16.16 fixed point: [ceil(left), floor(right)]. */
#include "tl_internal.h"
#include "det/det_internal.h"
#include <math.h>

#define XY_SHIFT 16
#define XY_ONE ((int64_t)1 << XY_SHIFT)
/* Right shifts of negative fixed-point values floor them (arithmetic shift on
 * every compiler this builds with), as OpenCV relies on too. */

/* Cohen-Sutherland clipping of a segment to [0,w-1] x [0,h-1], with OpenCV's
 * arithmetic (double products, truncation to integer). Returns 1 when some of
 * the segment is inside. */
static int clip_line(int64_t w, int64_t h, int64_t *x1, int64_t *y1, int64_t *x2, int64_t *y2)
{
	int64_t right = w - 1, bottom = h - 1;
	if (w <= 0 || h <= 0)
		return 0;
	int c1 = (*x1 < 0) + (*x1 > right) * 2 + (*y1 < 0) * 4 + (*y1 > bottom) * 8;
	int c2 = (*x2 < 0) + (*x2 > right) * 2 + (*y2 < 0) * 4 + (*y2 > bottom) * 8;
	if ((c1 & c2) == 0 && (c1 | c2) != 0) {
		int64_t a;
		if (c1 & 12) {
			a = c1 < 8 ? 0 : bottom;
			*x1 += (int64_t)((double)(a - *y1) * (double)(*x2 - *x1) / (double)(*y2 - *y1));
			*y1 = a;
			c1 = (*x1 < 0) + (*x1 > right) * 2;
		}
		if (c2 & 12) {
			a = c2 < 8 ? 0 : bottom;
			*x2 += (int64_t)((double)(a - *y2) * (double)(*x2 - *x1) / (double)(*y2 - *y1));
			*y2 = a;
			c2 = (*x2 < 0) + (*x2 > right) * 2;
		}
		if ((c1 & c2) == 0 && (c1 | c2) != 0) {
			if (c1) {
				a = c1 == 1 ? 0 : right;
				*y1 += (int64_t)((double)(a - *x1) * (double)(*y2 - *y1) / (double)(*x2 - *x1));
				*x1 = a;
				c1 = 0;
			}
			if (c2) {
				a = c2 == 1 ? 0 : right;
				*y2 += (int64_t)((double)(a - *x2) * (double)(*y2 - *y1) / (double)(*x2 - *x1));
				*x2 = a;
				c2 = 0;
			}
		}
	}
	return (c1 | c2) == 0;
}

/* An 8-connected line as cv::LineIterator walks it (left to right). */
static void draw_line(uint8_t *img, int w, int h, int64_t ax, int64_t ay, int64_t bx, int64_t by)
{
	if ((uint64_t)ax >= (uint64_t)w || (uint64_t)bx >= (uint64_t)w ||
	    (uint64_t)ay >= (uint64_t)h || (uint64_t)by >= (uint64_t)h) {
		if (!clip_line(w, h, &ax, &ay, &bx, &by))
			return;
	}
	int64_t dx = bx - ax, dy = by - ay;
	int sx = 1, sy = 1;
	if (dx < 0) { /* left to right: swap the ends */
		dx = -dx;
		dy = -dy;
		int64_t t = ax; ax = bx; bx = t;
		t = ay; ay = by; by = t;
	}
	if (dy < 0) {
		dy = -dy;
		sy = -1;
	}
	int vert = dy > dx;
	if (vert) {
		int64_t t = dx; dx = dy; dy = t;
	}
	/* Major axis steps always; the minor one when err goes negative. */
	int64_t err = dx - (dy + dy), count = dx + 1;
	int64_t x = ax, y = ay;
	for (int64_t i = 0; i < count; i++) {
		if (x >= 0 && x < w && y >= 0 && y < h)
			img[y * w + x] = 1;
		int minor = err < 0;
		err += -(dy + dy) + (minor ? dx + dx : 0);
		if (vert) {
			y += sy;
			if (minor)
				x += sx;
		} else {
			x += sx;
			if (minor)
				y += sy;
		}
	}
}

typedef struct poly_edge {
	int y0, y1;
	int64_t x, dx;
	struct poly_edge *next;
} poly_edge;

static int cmp_edges(const void *pa, const void *pb)
{
	const poly_edge *a = pa, *b = pb;
	if (a->y0 != b->y0)
		return a->y0 < b->y0 ? -1 : 1;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->dx != b->dx)
		return a->dx < b->dx ? -1 : 1;
	return 0;
}

/* The edges of one ring, its outline drawn on the way (CollectPolyEdges of
 * OpenCV 4.6: edges start at the exact vertex x in 16.16 fixed point, the
 * slope truncated toward zero). */
static size_t collect_edges(uint8_t *img, int w, int h, const tl_ipt *v, size_t n, poly_edge *edges)
{
	size_t ne = 0;
	int64_t p0x = (int64_t)v[n - 1].x * XY_ONE, p0y = v[n - 1].y;
	for (size_t i = 0; i < n; i++) {
		int64_t p1x = (int64_t)v[i].x * XY_ONE, p1y = v[i].y;
		draw_line(img, w, h, (p0x + (XY_ONE >> 1)) >> XY_SHIFT, p0y,
			  (p1x + (XY_ONE >> 1)) >> XY_SHIFT, p1y);
		if (p0y != p1y) {
			poly_edge *e = &edges[ne++];
			if (p0y < p1y) {
				e->y0 = (int)p0y;
				e->y1 = (int)p1y;
				e->x = p0x;
			} else {
				e->y0 = (int)p1y;
				e->y1 = (int)p0y;
				e->x = p1x;
			}
			e->dx = (p1x - p0x) / (p1y - p0y);
			e->next = NULL;
		}
		p0x = p1x;
		p0y = p1y;
	}
	return ne;
}

/* Span filling over an active edge list (FillEdgeCollection); edges has room for
 * total + 1 entries. */
static void fill_edges(uint8_t *img, int w, int h, poly_edge *edges, size_t total)
{
	int64_t x_max = INT64_MIN, x_min = INT64_MAX;
	int y_max = INT32_MIN, y_min = INT32_MAX;
	if (total < 2)
		return;
	for (size_t i = 0; i < total; i++) {
		poly_edge *e1 = &edges[i];
		int64_t x1 = e1->x + (int64_t)(e1->y1 - e1->y0) * e1->dx;
		if (e1->y0 < y_min) y_min = e1->y0;
		if (e1->y1 > y_max) y_max = e1->y1;
		if (e1->x < x_min) x_min = e1->x;
		if (e1->x > x_max) x_max = e1->x;
		if (x1 < x_min) x_min = x1;
		if (x1 > x_max) x_max = x1;
	}
	if (y_max < 0 || y_min >= h || x_max < 0 || x_min >= (int64_t)w * XY_ONE)
		return;
	qsort(edges, total, sizeof *edges, cmp_edges);
	poly_edge tmp = { INT32_MAX, 0, 0, 0, NULL };
	edges[total] = tmp; /* sentinel: y0 never reached */
	size_t i = 0;
	poly_edge *e = &edges[0];
	if (y_max > h)
		y_max = h;
	for (int y = e->y0; y < y_max; y++) {
		poly_edge *last, *prelast, *keep_prelast;
		int draw = 0, clipline = y < 0;
		prelast = &tmp;
		last = tmp.next;
		while (last || e->y0 == y) {
			if (last && last->y1 == y) { /* the edge ends here */
				prelast->next = last->next;
				last = last->next;
				continue;
			}
			keep_prelast = prelast;
			if (last && (e->y0 > y || last->x < e->x)) {
				prelast = last;
				last = last->next;
			} else if (i < total) { /* an edge starts here */
				prelast->next = e;
				e->next = last;
				prelast = e;
				e = &edges[++i];
			} else {
				break;
			}
			if (draw) {
				if (!clipline) {
					int64_t x1, x2;
					if (keep_prelast->x > prelast->x) {
						x1 = (prelast->x + XY_ONE - 1) >> XY_SHIFT;
						x2 = keep_prelast->x >> XY_SHIFT;
					} else {
						x1 = (keep_prelast->x + XY_ONE - 1) >> XY_SHIFT;
						x2 = prelast->x >> XY_SHIFT;
					}
					if (x1 < w && x2 >= 0) {
						if (x1 < 0) x1 = 0;
						if (x2 >= w) x2 = w - 1;
						if (x2 >= x1)
							memset(img + (size_t)y * (size_t)w + x1, 1, (size_t)(x2 - x1 + 1));
					}
				}
				keep_prelast->x += keep_prelast->dx;
				prelast->x += prelast->dx;
			}
			draw ^= 1;
		}
		/* Keep the active list sorted by x (bubble sort, as the original). */
		keep_prelast = NULL;
		do {
			prelast = &tmp;
			last = tmp.next;
			poly_edge *last_exchange = NULL;
			while (last != keep_prelast && last->next != NULL) {
				poly_edge *te = last->next;
				if (last->x > te->x) {
					prelast->next = te;
					last->next = te->next;
					te->next = last;
					prelast = te;
					last_exchange = prelast;
				} else {
					prelast = last;
					last = te;
				}
			}
			if (last_exchange == NULL)
				break;
			keep_prelast = last_exchange;
		} while (keep_prelast != tmp.next && keep_prelast != &tmp);
	}
}

void tl_fill_poly(uint8_t *mask, int w, int h, const tl_ipt *pts, size_t n)
{
	poly_edge stack_edges[17], *edges = stack_edges;
	if (n == 0 || w <= 0 || h <= 0)
		return;
	if (n + 1 > TL_ARRAY_LEN(stack_edges)) {
		edges = malloc((n + 1) * sizeof *edges);
		if (!edges) /* only the outline then; callers bound n */
			return;
	}
	size_t ne = collect_edges(mask, w, h, pts, n, edges);
	fill_edges(mask, w, h, edges, ne);
	if (edges != stack_edges)
		free(edges);
}

static double masked_mean(const float *prob, int W, int x0, int y0, int mw, int mh,
			  const uint8_t *mask)
{
	double sum = 0;
	size_t count = 0;
	for (int y = 0; y < mh; y++) {
		const float *row = prob + (size_t)(y0 + y) * (size_t)W + x0;
		const uint8_t *m = mask + (size_t)y * (size_t)mw;
		for (int x = 0; x < mw; x++)
			if (m[x]) {
				sum += row[x];
				count++;
			}
	}
	return count ? sum / (double)count : 0.0;
}

static int clampi(long v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : (int)v;
}

double tl_poly_score_f(const float *prob, int W, int H, const tl_fpt *pts, size_t n,
		       uint8_t *scratch)
{
	tl_ipt stack_pts[16], *ip = stack_pts;
	if (n == 0 || W <= 0 || H <= 0)
		return 0.0;
	float mnx = pts[0].x, mxx = pts[0].x, mny = pts[0].y, mxy = pts[0].y;
	for (size_t i = 1; i < n; i++) {
		if (pts[i].x < mnx) mnx = pts[i].x;
		if (pts[i].x > mxx) mxx = pts[i].x;
		if (pts[i].y < mny) mny = pts[i].y;
		if (pts[i].y > mxy) mxy = pts[i].y;
	}
	if (!isfinite(mnx) || !isfinite(mxx) || !isfinite(mny) || !isfinite(mxy))
		return 0.0;
	int xmin = clampi((long)floorf(fmaxf(mnx, -1e9f)), 0, W - 1);
	int xmax = clampi((long)ceilf(fminf(mxx, 1e9f)), 0, W - 1);
	int ymin = clampi((long)floorf(fmaxf(mny, -1e9f)), 0, H - 1);
	int ymax = clampi((long)ceilf(fminf(mxy, 1e9f)), 0, H - 1);
	if (n > TL_ARRAY_LEN(stack_pts)) {
		ip = malloc(n * sizeof *ip);
		if (!ip)
			return 0.0;
	}
	int mw = xmax - xmin + 1, mh = ymax - ymin + 1;
	/* float32 subtraction, then truncation toward zero (NumPy astype). Boxes
	 * of contours stay near the map; a far vertex (only from a direct API call)
	 * is pulled in so that the scan over rows stays bounded. */
	float lim = 4.0f * (float)(mw > mh ? mw : mh) + 16.0f;
	for (size_t i = 0; i < n; i++) {
		float fx = pts[i].x - (float)xmin, fy = pts[i].y - (float)ymin;
		ip[i].x = (int)fmaxf(fminf(fx, lim), -lim);
		ip[i].y = (int)fmaxf(fminf(fy, lim), -lim);
	}
	memset(scratch, 0, (size_t)mw * (size_t)mh);
	tl_fill_poly(scratch, mw, mh, ip, n);
	if (ip != stack_pts)
		free(ip);
	return masked_mean(prob, W, xmin, ymin, mw, mh, scratch);
}

double tl_poly_score_i(const float *prob, int W, int H, const tl_ipt *pts, size_t n,
		       uint8_t *scratch)
{
	tl_ipt stack_pts[16], *ip = stack_pts;
	if (n == 0 || W <= 0 || H <= 0)
		return 0.0;
	int mnx = pts[0].x, mxx = pts[0].x, mny = pts[0].y, mxy = pts[0].y;
	for (size_t i = 1; i < n; i++) {
		if (pts[i].x < mnx) mnx = pts[i].x;
		if (pts[i].x > mxx) mxx = pts[i].x;
		if (pts[i].y < mny) mny = pts[i].y;
		if (pts[i].y > mxy) mxy = pts[i].y;
	}
	int xmin = clampi(mnx, 0, W - 1), xmax = clampi(mxx, 0, W - 1);
	int ymin = clampi(mny, 0, H - 1), ymax = clampi(mxy, 0, H - 1);
	if (n > TL_ARRAY_LEN(stack_pts)) {
		ip = malloc(n * sizeof *ip);
		if (!ip)
			return 0.0;
	}
	int mw = xmax - xmin + 1, mh = ymax - ymin + 1;
	long lim = 4L * (mw > mh ? mw : mh) + 16;
	for (size_t i = 0; i < n; i++) {
		long x = (long)pts[i].x - xmin, y = (long)pts[i].y - ymin;
		ip[i].x = (int)(x < -lim ? -lim : x > lim ? lim : x);
		ip[i].y = (int)(y < -lim ? -lim : y > lim ? lim : y);
	}
	memset(scratch, 0, (size_t)mw * (size_t)mh);
	tl_fill_poly(scratch, mw, mh, ip, n);
	if (ip != stack_pts)
		free(ip);
	return masked_mean(prob, W, xmin, ymin, mw, mh, scratch);
}
