/* textloc/geom.h — the polygon kernel: area, orientation, validity, convex hull,
 * minimum-area rectangle, and conversions between the geometric forms
 * (docs/formats.md §1-§2). All coordinates are screen coordinates (y down). */
#ifndef TEXTLOC_GEOM_H
#define TEXTLOC_GEOM_H

/* Shoelace area, positive when the ring is clockwise on screen. */
TL_API double tl_poly_signed_area(const tl_point *p, size_t n);
TL_API double tl_poly_area(const tl_point *p, size_t n);
/* The RRC orientation sum S = sum (x[i+1]-x[i])*(y[i+1]+y[i]): S < 0 clockwise on
 * screen, S > 0 counter-clockwise, 0 degenerate. */
TL_API double tl_rrc_orientation(const tl_point *p, size_t n);
/* Length of the closed ring (the edge from the last point back to the first
 * included), as Shapely's `length` of a polygon. */
TL_API double tl_poly_perimeter(const tl_point *p, size_t n);

typedef enum tl_poly_issue {
	TL_POLY_OK = 0,
	TL_POLY_NONFINITE,      /* NaN or infinite coordinate */
	TL_POLY_TOO_FEW,        /* fewer than 3 distinct points */
	TL_POLY_ZERO_AREA,
	TL_POLY_SELF_INTERSECTS,
	TL_POLY_TOO_COMPLEX,    /* the self-intersection test could not run (out of memory) */
} tl_poly_issue;
/* Checks in this order: NONFINITE, TOO_FEW (fewer than 3 distinct points anywhere
 * in the ring), ZERO_AREA (all points on one line, exactly), SELF_INTERSECTS
 * (see tl_poly_self_intersects), TOO_COMPLEX. A ring whose
 * signed area is 0 but whose points are not collinear (the bow tie) is reported as
 * SELF_INTERSECTS. */
TL_API tl_poly_issue tl_poly_check(const tl_point *p, size_t n);
TL_API const char *tl_poly_issue_str(tl_poly_issue issue);
/* 1 if two non-adjacent edges touch or cross, or two adjacent edges overlap along
 * a line (a spike that folds back); 0 if the ring is simple; -1 if it cannot
 * tell (a non-finite coordinate, out of memory). Consecutive repeated points
 * (including last == first) are ignored. Exact orientation predicates. A pruned
 * pairwise test handles real outlines; shapes that would make it quadratic go to
 * a Shamos-Hoey sweep, so any ring takes O(n log n). */
TL_API int tl_poly_self_intersects(const tl_point *p, size_t n);
/* Sign of the orientation of a, b, c, computed exactly (adaptive: a fast filter,
 * then exact expansion arithmetic): > 0 when a -> b -> c turns clockwise on screen
 * (counter-clockwise in y-up math), < 0 the other way, 0 when collinear. Exact for
 * finite coordinates up to 1e150 in magnitude. */
TL_API int tl_orient2d(tl_point a, tl_point b, tl_point c);

/* Convex hull, clockwise on screen, no collinear points, starting at the point with
 * the smallest x (then smallest y); out holds n points. Non-finite points are
 * ignored; all points equal gives 1 point, all collinear the 2 end points.
 * Returns the number of hull points (0 also on allocation failure). */
TL_API size_t tl_convex_hull(const tl_point *p, size_t n, tl_point *out);

/* Minimum-area rectangle (rotating calipers on the hull), "long-edge" convention:
 * w >= h, angle in [-90, 90) is the direction of the long side. */
TL_API tl_rbox tl_min_area_rect(const tl_point *p, size_t n);
/* The same from a convex hull as tl_convex_hull returns it (no allocation). */
TL_API tl_rbox tl_min_area_rect_hull(const tl_point *hull, size_t h);
/* Normalises any rbox to the long-edge convention (w >= h, angle in [-90, 90);
 * a square takes the angle in [-45, 45)). Same rectangle, same corners. */
TL_API tl_rbox tl_rbox_long_edge(tl_rbox b);
/* The same rectangle as OpenCV 4.5.1-4.12 cv2.minAreaRect returns it, bit for bit
 * (checked against OpenCV 4.6.0): float32 arithmetic, OpenCV's own hull order and
 * caliper rules, angle nominally in (0, 90] — but w/h and the angle are whatever
 * OpenCV gives (an axis-aligned box may come back as w/h swapped at 90, 2-point
 * hulls at any angle). Coordinates are rounded to float32 first; non-finite
 * points are left out. For compatibility with PaddleOCR / mmocr outputs. */
TL_API tl_rbox tl_min_area_rect_cv(const tl_point *p, size_t n);
/* cv::RotatedRect::points in float32 as OpenCV computes it (boxPoints), the
 * companion of tl_min_area_rect_cv for bit-exact DB post-processing. */
TL_API void tl_rbox_points_cv(tl_rbox b, tl_point out[4]);

/* OpenCV boxPoints order: at angle 0, bottom-left, top-left, top-right, bottom-right. */
TL_API void tl_rbox_points(tl_rbox b, tl_point out[4]);
/* l,t, r,t, r,b, l,b: clockwise from the top-left. */
TL_API void tl_rect_points(tl_rect r, tl_point out[4]);
TL_API tl_rect tl_bounding_rect(const tl_point *p, size_t n);

/* Quad vertex orders of docs/formats.md §2.5. */
typedef enum tl_quad_order {
	TL_ORDER_CANONICAL = 0, /* textloc: clockwise on screen (reversed if not), starting at
	                           the vertex with the smallest x+y (ties: smaller y) */
	TL_ORDER_PADDLE_MINIBOX,/* get_mini_boxes: stable sort by x; in each pair the
	                           smaller y is on top, equal y: the second one */
	TL_ORDER_PADDLE_XY,     /* old order_points_clockwise of predict_det.py: stable
	                           sort by x, each pair stably by y (equal y: first) */
	TL_ORDER_PADDLE_LABEL,  /* tl/br = first argmin/argmax of x+y, tr/bl = first
	                           argmin/argmax of y-x among the rest (as NumPy does,
	                           even when that repeats a point) */
	TL_ORDER_MMOCR,         /* stable sort by atan2 about the centroid, start at the
	                           first vertex nearest (min x, min y) */
	TL_ORDER_EAST,          /* reindex (0,3,2,1) when the RRC sum S > 0 */
} tl_quad_order;
TL_API void tl_quad_order_points(tl_point q[4], tl_quad_order rule);
/* CANONICAL for any ring: if the signed area is negative (counter-clockwise on
 * screen) the ring is reversed (p[0] stays, the rest flips); then it is rotated
 * to start at the vertex with the smallest x+y, ties to the smaller y, then to
 * the first such vertex. Idempotent. Returns 1 if the order was changed. */
TL_API int tl_poly_canonical(tl_point *p, size_t n);

/* The points of any geometry: QUAD/POLY as stored, RECT and RBOX as 4 corners
 * clockwise from the top-left. Returns the count (or the needed cap if cap is too small). */
TL_API size_t tl_geom_points(const tl_geom *g, tl_point *out, size_t cap);
/* Converts g to another form in place (points allocated in ds's arena).
 * *lossy (may be NULL) is set when the region changes, not merely its encoding:
 *   RECT -> QUAD/POLY  4 corners l,t r,t r,b l,b; never lossy
 *   RECT -> RBOX       centre, w = r-l, h = b-t, angle 0; never lossy
 *   RBOX -> QUAD/POLY  boxPoints, then CANONICAL order; never lossy
 *   QUAD -> POLY, 4-point POLY -> QUAD: same points; never lossy
 *   POLY (n != 4) -> QUAD: minimum-area rectangle corners, CANONICAL; lossy
 *   QUAD/POLY -> RBOX  minimum-area rectangle (long-edge); lossy unless the ring
 *                      is that rectangle
 *   any -> RECT        bounding rectangle; lossy unless the region was exactly it
 * Returns TL_E_INPUT for no geometry, no points or non-finite values, TL_E_USAGE
 * for a bad target, TL_E_NOMEM. Same form: nothing to do. */
TL_API int tl_geom_convert(tl_dataset *ds, tl_geom *g, tl_shape to, int *lossy);

#endif
