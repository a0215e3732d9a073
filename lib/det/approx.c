/* approx.c — polygon simplification for the polygon output mode, as OpenCV 4.6
 * approxPolyDP (closed curves) and arcLength compute it: PaddleOCR's polygon
 * mode approximates each contour with epsilon = 0.002 * perimeter, and the
 * vertices kept decide the polygon written out.
 *
 * approxPolyDP on a closed curve: three rounds of "farthest point from the
 * current start" pick two far-apart vertices, the ring is cut there into two
 * slices, and each slice is split recursively (Douglas-Peucker, an explicit
 * stack, the right half pushed first) at its farthest point while that point is
 * farther than epsilon from the chord. A final pass drops middle points that lie
 * within epsilon/sqrt(2) of the line through their neighbours. */
#include "tl_internal.h"
#include "det/det_internal.h"
#include <math.h>

double tl_arc_length_closed(const tl_ipt *pts, size_t n)
{
	double perimeter = 0;
	if (n <= 1)
		return 0;
	/* float32 differences and square roots, summed in double, as OpenCV. */
	float px = (float)pts[n - 1].x, py = (float)pts[n - 1].y;
	for (size_t i = 0; i < n; i++) {
		float x = (float)pts[i].x, y = (float)pts[i].y;
		float dx = x - px, dy = y - py;
		perimeter += sqrtf(dx * dx + dy * dy);
		px = x;
		py = y;
	}
	return perimeter;
}

typedef struct { size_t start, end; } slice;

size_t tl_approx_poly_dp(const tl_ipt *src, size_t count, double eps, tl_ipt *dst)
{
	slice stack_buf[64], *stack = stack_buf, cur = { 0, 0 }, right = { 0, 0 };
	size_t top = 0, stacksz = TL_ARRAY_LEN(stack_buf), new_count = 0, pos = 0;
	tl_ipt start_pt = { -1000000, -1000000 }, end_pt, pt;
	int le_eps = 0;

	if (count == 0)
		return 0;
	eps *= eps;
#define READ_PT(p_, pos_) do { (p_) = src[pos_]; if (++(pos_) >= count) (pos_) = 0; } while (0)
#define PUSH(s_) do { \
		if (top >= stacksz) { \
			size_t nsz = stacksz * 2; \
			slice *ns = malloc(nsz * sizeof *ns); \
			if (!ns) goto nomem; \
			memcpy(ns, stack, top * sizeof *ns); \
			if (stack != stack_buf) free(stack); \
			stack = ns; \
			stacksz = nsz; \
		} \
		stack[top++] = (s_); \
	} while (0)

	/* 1. two approximately farthest points */
	right.start = 0;
	for (int it = 0; it < 3; it++) {
		double max_dist = 0;
		pos = (pos + right.start) % count;
		READ_PT(start_pt, pos);
		for (size_t j = 1; j < count; j++) {
			READ_PT(pt, pos);
			double dx = (double)pt.x - start_pt.x, dy = (double)pt.y - start_pt.y;
			double dist = dx * dx + dy * dy;
			if (dist > max_dist) {
				max_dist = dist;
				right.start = j;
			}
		}
		le_eps = max_dist <= eps;
	}
	/* 2. the two slices */
	if (!le_eps) {
		right.end = cur.start = pos % count;
		cur.end = right.start = (right.start + cur.start) % count;
		PUSH(right);
		PUSH(cur);
	} else {
		dst[new_count++] = start_pt;
	}
	/* 3. recursive splitting */
	while (top > 0) {
		cur = stack[--top];
		end_pt = src[cur.end];
		pos = cur.start;
		READ_PT(start_pt, pos);
		if (pos != cur.end) {
			double dx = (double)end_pt.x - start_pt.x, dy = (double)end_pt.y - start_pt.y;
			double max_dist = 0;
			while (pos != cur.end) {
				READ_PT(pt, pos);
				double dist = fabs(((double)pt.y - start_pt.y) * dx -
						   ((double)pt.x - start_pt.x) * dy);
				if (dist > max_dist) {
					max_dist = dist;
					right.start = (pos + count - 1) % count;
				}
			}
			le_eps = max_dist * max_dist <= eps * (dx * dx + dy * dy);
		} else {
			le_eps = 1;
			start_pt = src[cur.start];
		}
		if (le_eps) {
			dst[new_count++] = start_pt;
		} else {
			right.end = cur.end;
			cur.end = right.start;
			PUSH(right);
			PUSH(cur);
		}
	}
	if (stack != stack_buf)
		free(stack);

	/* 4. drop points on almost straight runs */
	{
		size_t n = new_count, wpos;
		pos = n - 1;
#define READ_DST(p_, pos_) do { (p_) = dst[pos_]; if (++(pos_) >= n) (pos_) = 0; } while (0)
		READ_DST(start_pt, pos);
		wpos = pos;
		READ_DST(pt, pos);
		for (size_t i = 0; i < n && new_count > 2; i++) {
			READ_DST(end_pt, pos);
			double dx = (double)end_pt.x - start_pt.x, dy = (double)end_pt.y - start_pt.y;
			double dist = fabs(((double)pt.x - start_pt.x) * dy - ((double)pt.y - start_pt.y) * dx);
			double inner = ((double)pt.x - start_pt.x) * ((double)end_pt.x - pt.x) +
				       ((double)pt.y - start_pt.y) * ((double)end_pt.y - pt.y);
			if (dist * dist <= 0.5 * eps * (dx * dx + dy * dy) && dx != 0 && dy != 0 &&
			    inner >= 0) {
				new_count--;
				dst[wpos] = start_pt = end_pt;
				if (++wpos >= n)
					wpos = 0;
				READ_DST(pt, pos);
				i++;
				continue;
			}
			dst[wpos] = start_pt = pt;
			if (++wpos >= n)
				wpos = 0;
			pt = end_pt;
		}
#undef READ_DST
	}
	return new_count;
nomem:
	if (stack != stack_buf)
		free(stack);
	return 0;
#undef READ_PT
#undef PUSH
}
