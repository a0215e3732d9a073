/* geom_cv.c — minimum-area rectangle and box corners exactly as OpenCV 4.5.1-4.12
 * compute them (cv2.minAreaRect, cv2.boxPoints), for bit-compatible DB
 * post-processing (protocols.md §11.3, formats.md §2.2).
 *
 * What has to match, step by step (all observable facts of OpenCV 4.6):
 * - points are float32;
 * - convexHull(points, clockwise=false): sort by (x, y, input position); Sklansky's
 *   scan on the four monotone pieces between the leftmost, lowest-y, rightmost and
 *   highest-y points; the ring starts at the last point of the sort; differences
 *   are taken in float and the turn test in double;
 * - rotating calipers in float32 arithmetic, in the same operation order (the
 *   result's last bits depend on it); the caliper that advances is chosen by a
 *   cross-product sign (4.5.1+); on equal areas the later edge wins;
 * - centre, size and angle derived as OpenCV does, angle converted to degrees
 *   through a float multiply by 180 and a double divide by pi.
 * A fused multiply-add would change the last bits, so contraction is turned off
 * here whatever the build flags (-std=gnu11 or clang with -march=native would
 * otherwise fuse a*b+c). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif
#include "tl_internal.h"
#include <float.h>
#include <math.h>
#include <stdint.h>

typedef struct fpt {
	float x, y;
	size_t idx; /* position in the input, the last sort key */
} fpt;

/* double -> float without undefined behaviour: out of range gives +-inf. */
static float to_f(double v)
{
	if (v > FLT_MAX)
		return INFINITY;
	if (v < -FLT_MAX)
		return -INFINITY;
	return (float)v;
}

static int sgn_f(float v) { return (v > 0) - (v < 0); }
static int sgn_d(double v) { return (v > 0) - (v < 0); }

static int cmp_fpt(const void *a, const void *b)
{
	const fpt *p = a, *q = b;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return (p->idx > q->idx) - (p->idx < q->idx);
}

/* Sklansky's scan over the sorted points from index `start` towards `end`
 * (inclusive, either direction). `ysign` is the sign of y steps that are skipped
 * outright, `turn` the sign of a turn that is kept. Fills st with sorted-array
 * indices and returns how many belong to the chain. st needs |end-start|+3 slots. */
static long sklansky(const fpt *a, long start, long end, long *st, int ysign, int turn)
{
	long step = end > start ? 1 : -1;
	if (start == end || (a[start].x == a[end].x && a[start].y == a[end].y)) {
		st[0] = start;
		return 1;
	}
	long prev = start, cur = start + step, next = cur + step, size = 3;
	st[0] = prev;
	st[1] = cur;
	st[2] = next;
	long stop = end + step;
	while (next != stop) {
		float by = a[next].y - a[cur].y;
		if (sgn_f(by) == ysign) {
			next += step;
			st[size - 1] = next;
			continue;
		}
		float ax = a[cur].x - a[prev].x, bx = a[next].x - a[cur].x;
		float ay = a[cur].y - a[prev].y;
		double conv = (double)ay * bx - (double)ax * by;
		if (sgn_d(conv) == turn && (ax != 0 || ay != 0)) {
			prev = cur;
			cur = next;
			next += step;
			st[size++] = next;
		} else if (prev == start) {
			cur = next;
			st[1] = cur;
			next += step;
			st[2] = next;
		} else {
			st[size - 2] = next;
			cur = prev;
			prev = st[size - 4];
			size--;
		}
	}
	return size - 1;
}

/* Hull in OpenCV's order (clockwise=false); writes indices into the sorted array
 * `a` (n points) to hull and returns their count. Scratch: 4 stacks of n+3. */
static size_t cv_hull(const fpt *a, long n, long *scratch, size_t *hull)
{
	size_t nh = 0;
	if (a[0].x == a[n - 1].x && a[0].y == a[n - 1].y) {
		hull[nh++] = 0;
		return nh;
	}
	long miny = 0, maxy = 0;
	for (long i = 1; i < n; i++) {
		if (a[miny].y > a[i].y)
			miny = i;
		if (a[maxy].y < a[i].y)
			maxy = i;
	}
	long *s1 = scratch, *s2 = scratch + (n + 3), *s3 = scratch + 2 * (n + 3),
	     *s4 = scratch + 3 * (n + 3);
	/* Upper part (largest y side): from the last sorted point to maxy, then
	 * from maxy back to the first one. */
	long c2 = sklansky(a, 0, maxy, s2, -1, 1);
	long c1 = sklansky(a, n - 1, maxy, s1, -1, -1);
	for (long i = 0; i < c1 - 1; i++)
		hull[nh++] = (size_t)s1[i];
	for (long i = c2 - 1; i > 0; i--)
		hull[nh++] = (size_t)s2[i];
	long stop = c2 > 2 ? s2[1] : c1 > 2 ? s1[c1 - 2] : -1;
	/* Lower part: from the first point to miny, then on to the last. */
	long c3 = sklansky(a, 0, miny, s3, 1, -1);
	long c4 = sklansky(a, n - 1, miny, s4, 1, 1);
	if (stop >= 0) {
		long check = c3 > 2 ? s3[1] : c3 + c4 > 2 ? s4[2 - c3] : -1;
		if (check == stop || (check >= 0 && a[check].x == a[stop].x &&
				      a[check].y == a[stop].y)) {
			/* All points on one line: the lower chain mirrors the upper one. */
			if (c3 > 2) c3 = 2;
			if (c4 > 2) c4 = 2;
		}
	}
	for (long i = 0; i < c3 - 1; i++)
		hull[nh++] = (size_t)s3[i];
	for (long i = c4 - 1; i > 0; i--)
		hull[nh++] = (size_t)s4[i];
	return nh;
}

/* OpenCV 4.6 then turns the ring (never reverses it) so that, when the input
 * positions of the hull points increase or decrease monotonically round the
 * ring except at one place, the ring starts at that place — the hull of a
 * contour then follows the contour's own order. pos[] holds input positions;
 * tmp is scratch of nh entries. Reorders hull[] (sorted-array indices). */
static void cv_hull_rotate(size_t *hull, const size_t *pos, size_t nh, size_t *tmp)
{
	if (nh < 3)
		return;
	size_t imin = 0, imax = 0, rises = 0;
	for (size_t i = 1; i < nh; i++) {
		rises += pos[i - 1] < pos[i];
		if (rises > 1 && rises + 2 <= i)
			break; /* neither mostly rising nor mostly falling */
		if (pos[i] < pos[imin])
			imin = i;
		if (pos[i] > pos[imax])
			imax = i;
	}
	size_t dist = imax > imin ? imax - imin : imin - imax;
	if (!(dist == 1 || dist == nh - 1) || !(rises <= 1 || rises + 2 >= nh))
		return;
	int up = (imax + 1) % nh == imin;
	size_t i0 = up ? imin : imax, j = i0, i;
	if (i0 == 0)
		return;
	for (i = 0; i < nh; i++) {
		size_t nj = j + 1 < nh ? j + 1 : 0;
		tmp[i] = j;
		if (i + 1 < nh && up != (pos[j] < pos[nj]))
			break;
		j = nj;
	}
	if (i < nh)
		return;
	size_t *old = malloc(nh * sizeof *old);
	if (!old)
		return;
	memcpy(old, hull, nh * sizeof *old);
	for (i = 0; i < nh; i++)
		hull[i] = old[tmp[i]];
	free(old);
}

/* Rotating calipers over the float hull h (n > 2 points), OpenCV's
 * CALIPERS_MINAREARECT: returns the rectangle's corner and its two side vectors. */
static int cv_calipers(const fpt *h, long n, float out[6], float *vx, float *vy, float *inv)
{
	long left = 0, bottom = 0, right = 0, top = 0;
	float lx = h[0].x, rx = h[0].x, ty = h[0].y, byv = h[0].y;
	for (long i = 0; i < n; i++) {
		fpt p0 = h[i], p1 = h[i + 1 < n ? i + 1 : 0];
		if (p0.x < lx) lx = p0.x, left = i;
		if (p0.x > rx) rx = p0.x, right = i;
		if (p0.y > ty) ty = p0.y, top = i;
		if (p0.y < byv) byv = p0.y, bottom = i;
		double dx = p1.x - p0.x, dy = p1.y - p0.y; /* float differences */
		vx[i] = (float)dx;
		vy[i] = (float)dy;
		inv[i] = (float)(1. / sqrt(dx * dx + dy * dy));
	}
	float orient = 0;
	double ax = vx[n - 1], ay = vy[n - 1];
	for (long i = 0; i < n; i++) {
		double bx = vx[i], by = vy[i], c = ax * by - ay * bx;
		if (c != 0) {
			orient = c > 0 ? 1.f : -1.f;
			break;
		}
		ax = bx;
		ay = by;
	}
	if (orient == 0)
		return -1;
	float base_a = 0, base_b = 0;
	long seq[4] = { bottom, right, top, left };
	float minarea = FLT_MAX;
	long keep_left = 0, keep_bottom = 0;
	float keep_a = 0, keep_b = 0, keep_w = 0, keep_h = 0;
	for (long k = 0; k < n; k++) {
		/* Each caliper side's next hull edge, turned into the frame of side 0;
		 * the side whose edge is furthest clockwise is the one that touches
		 * first. (OpenCV >= 4.5.1 compares by this cross-product sign; older
		 * releases compared cosines.) */
		float ex[4] = { vx[seq[0]], vy[seq[1]], -vx[seq[2]], -vy[seq[3]] };
		float ey[4] = { vy[seq[0]], -vx[seq[1]], -vy[seq[2]], vx[seq[3]] };
		int main = 0;
		for (int i = 1; i < 4; i++)
			if (ey[i] * ex[main] + (-ex[i]) * ey[main] < 0)
				main = i;
		long pi = seq[main];
		float lead_x = vx[pi] * inv[pi], lead_y = vy[pi] * inv[pi];
		switch (main) {
		case 0: base_a = lead_x; base_b = lead_y; break;
		case 1: base_a = lead_y; base_b = -lead_x; break;
		case 2: base_a = -lead_x; base_b = -lead_y; break;
		default: base_a = -lead_y; base_b = lead_x; break;
		}
		seq[main] = seq[main] + 1 == n ? 0 : seq[main] + 1;
		float dx = h[seq[1]].x - h[seq[3]].x, dy = h[seq[1]].y - h[seq[3]].y;
		float width = dx * base_a + dy * base_b;
		dx = h[seq[2]].x - h[seq[0]].x;
		dy = h[seq[2]].y - h[seq[0]].y;
		float height = -dx * base_b + dy * base_a;
		float area = width * height;
		if (area <= minarea) {
			minarea = area;
			keep_left = seq[3];
			keep_bottom = seq[0];
			keep_a = base_a;
			keep_b = base_b;
			keep_w = width;
			keep_h = height;
		}
	}
	float A1 = keep_a, B1 = keep_b, A2 = -keep_b, B2 = keep_a;
	float C1 = A1 * h[keep_left].x + h[keep_left].y * B1;
	float C2 = A2 * h[keep_bottom].x + h[keep_bottom].y * B2;
	float idet = 1.f / (A1 * B2 - A2 * B1);
	out[0] = (C1 * B2 - C2 * B1) * idet;
	out[1] = (A1 * C2 - A2 * C1) * idet;
	out[2] = A1 * keep_w;
	out[3] = B1 * keep_w;
	out[4] = A2 * keep_h;
	out[5] = B2 * keep_h;
	return 0;
}

static double cv_degrees(float rad)
{
	float t = rad * 180; /* float * int is a float multiply in C++ too */
	return (float)(t / 3.14159265358979323846);
}

tl_rbox tl_min_area_rect_cv(const tl_point *p, size_t n)
{
	tl_rbox box = { 0, 0, 0, 0, 0 };
	if (!p || n == 0 || n > (size_t)1 << 40)
		return box;
	fpt *a = malloc(n * sizeof *a);
	size_t *hi = malloc(n * sizeof *hi);
	long *scratch = malloc(4 * (n + 3) * sizeof *scratch);
	fpt *h = malloc(n * sizeof *h);
	float *vec = malloc(3 * n * sizeof *vec);
	if (!a || !hi || !scratch || !h || !vec)
		goto out;
	/* Non-finite points cannot be ordered; OpenCV's result on them is
	 * meaningless anyway, so they are left out. */
	long m = 0;
	for (size_t i = 0; i < n; i++) {
		float x = to_f(p[i].x), y = to_f(p[i].y);
		if (isfinite(x) && isfinite(y))
			a[m++] = (fpt){ x, y, i };
	}
	if (m == 0)
		goto out;
	qsort(a, (size_t)m, sizeof *a, cmp_fpt);
	size_t nh = cv_hull(a, m, scratch, hi);
	{
		/* positions and scratch for the rotation reuse the stacks' memory */
		size_t *pos = (size_t *)scratch, *tmp = pos + nh;
		for (size_t i = 0; i < nh; i++)
			pos[i] = a[hi[i]].idx;
		cv_hull_rotate(hi, pos, nh, tmp);
	}
	for (size_t i = 0; i < nh; i++)
		h[i] = a[hi[i]];
	if (nh > 2) {
		float o[6];
		if (cv_calipers(h, (long)nh, o, vec, vec + n, vec + 2 * n) == 0) {
			box.cx = o[0] + (o[2] + o[4]) * 0.5f;
			box.cy = o[1] + (o[3] + o[5]) * 0.5f;
			box.w = to_f(sqrt((double)o[2] * o[2] + (double)o[3] * o[3]));
			box.h = to_f(sqrt((double)o[4] * o[4] + (double)o[5] * o[5]));
			box.angle = cv_degrees((float)atan2((double)o[3], (double)o[2]));
			goto out;
		}
		/* A degenerate hull (OpenCV would assert): fall back to its ends. */
		h[1] = h[nh - 1];
		nh = 2;
	}
	if (nh == 2) {
		box.cx = (h[0].x + h[1].x) * 0.5f;
		box.cy = (h[0].y + h[1].y) * 0.5f;
		double dx = h[1].x - h[0].x, dy = h[1].y - h[0].y;
		box.w = to_f(sqrt(dx * dx + dy * dy));
		box.angle = cv_degrees((float)atan2(dy, dx));
	} else if (nh == 1) {
		box.cx = h[0].x;
		box.cy = h[0].y;
	}
out:
	free(a);
	free(hi);
	free(scratch);
	free(h);
	free(vec);
	return box;
}

void tl_rbox_points_cv(tl_rbox b, tl_point out[4])
{
	float cx = to_f(b.cx), cy = to_f(b.cy), w = to_f(b.w), hh = to_f(b.h);
	float ang = to_f(b.angle);
	double rad = ang * 3.14159265358979323846 / 180.;
	float cb = (float)cos(rad) * 0.5f, sa = (float)sin(rad) * 0.5f;
	float x0 = cx - sa * hh - cb * w, y0 = cy + cb * hh - sa * w;
	float x1 = cx + sa * hh - cb * w, y1 = cy - cb * hh - sa * w;
	out[0] = (tl_point){ x0, y0 };
	out[1] = (tl_point){ x1, y1 };
	out[2] = (tl_point){ 2 * cx - x0, 2 * cy - y0 };
	out[3] = (tl_point){ 2 * cx - x1, 2 * cy - y1 };
}
