/* geom_clip.h — areas of boolean combinations of polygons (internal to the library).
 *
 * Every polygon is read with the even-odd rule, as the GPC clipper behind the RRC
 * scripts reads its operands: a bow-tie covers both of its lobes. The area of a
 * combination is computed by a vertical-slab sweep: the x-axis is cut at every
 * vertex and every edge crossing, so that inside each slab no two edges cross and
 * the covered length varies linearly; the area is then a sum of trapezoids. For
 * integer inputs whose answer has integer vertices (axis-aligned boxes, nested
 * quads) the result is exact; otherwise it is within a few ulps of the true value.
 */
#ifndef TL_GEOM_CLIP_H
#define TL_GEOM_CLIP_H

#include "textloc.h"

/* Operand classes of a combination. Class C is a union of any number of polygons. */
enum { TL_CLIP_A = 1, TL_CLIP_B = 2, TL_CLIP_C = 4 };

typedef struct tl_clip_poly {
	const tl_point *p;
	size_t n;
	int cls;                /* TL_CLIP_A, TL_CLIP_B or TL_CLIP_C */
} tl_clip_poly;

/* Area of the set of points whose membership mask m (bit A, B, C set when the point
 * lies inside some operand of that class) satisfies want[m] != 0. `want` has 8
 * entries. Any number of edges up to two rings of TL_MAX_POINTS is handled (memory
 * is allocated above a few dozen). Returns -1 on allocation failure, on a non-finite
 * coordinate, or when the edges or their crossings exceed the limits. */
double tl_clip_area(const tl_clip_poly *polys, size_t npolys, const unsigned char want[8]);

/* |A ∩ B| with the even-odd rule: the one intersection-area kernel of the library
 * (eval's overlaps, validate's overlap rules). For simple rings of any winding,
 * convex or not, it is the area of the common interior; a bow-tie counts both of
 * its lobes, as GPC does. 0 when the bounding boxes are disjoint or either ring has
 * fewer than three points; -1 only when memory runs out or the limits of
 * tl_clip_area are exceeded, never a partial area or a wrong 0. Coordinates must be finite
 * (a non-finite one gives 0 or NaN). */
double tl_clip_inter(const tl_point *a, size_t na, const tl_point *b, size_t nb);
/* 1 when every coordinate of the n points is finite (the sweep refuses others). */
int tl_clip_finite(const tl_point *p, size_t n);

/* Exact sign of m·(2·|A ∩ B|) − c2 for convex A and B (three or four corners) with
 * integer coordinates of magnitude <= 2^24 and an integer c2: 1, 0 or -1. Returns -2
 * when the inputs are outside that domain (the caller then trusts the double area).
 * With c2 the doubled areas, this decides IoU > 1/2 (m = 3, c2 = 2|A| + 2|B|) and
 * |A ∩ B| / |B| > 1/2 (m = 2, c2 = 2|B|) without rounding. */
int tl_clip_inter_cmp(const tl_point *a, size_t na, const tl_point *b, size_t nb, int m, double c2);

/* |shoelace| of the raw ring, as Polygon2 and Shapely report the area of a polygon
 * (a bow-tie's lobes cancel). */
double tl_clip_raw_area(const tl_point *p, size_t n);

/* 1 when Shapely (GEOS) would call the polygon valid and simple: at least three
 * distinct points, non-zero area, no two edges touching except neighbours at their
 * shared vertex, no spike. Consecutive duplicate points are ignored as GEOS does. */
int tl_clip_valid_simple(const tl_point *p, size_t n);

#endif
