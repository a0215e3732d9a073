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

typedef enum tl_poly_issue {
	TL_POLY_OK = 0,
	TL_POLY_NONFINITE,      /* NaN or infinite coordinate */
	TL_POLY_TOO_FEW,        /* fewer than 3 distinct points */
	TL_POLY_ZERO_AREA,
	TL_POLY_SELF_INTERSECTS,
} tl_poly_issue;
TL_API tl_poly_issue tl_poly_check(const tl_point *p, size_t n);
TL_API const char *tl_poly_issue_str(tl_poly_issue issue);
/* 1 if two non-adjacent edges touch or cross. O(n log n) or O(n^2) for small n. */
TL_API int tl_poly_self_intersects(const tl_point *p, size_t n);

/* Convex hull, clockwise on screen, no collinear points; out holds n points.
 * Returns the number of hull points. */
TL_API size_t tl_convex_hull(const tl_point *p, size_t n, tl_point *out);

/* Minimum-area rectangle (rotating calipers on the hull), "long-edge" convention:
 * w >= h, angle in [-90, 90) is the direction of the long side. */
TL_API tl_rbox tl_min_area_rect(const tl_point *p, size_t n);
/* The same rectangle in OpenCV 4.5.1-4.12 cv2.minAreaRect convention (float32
 * arithmetic, angle in (0, 90]), for bit-compatibility with PaddleOCR / mmocr. */
TL_API tl_rbox tl_min_area_rect_cv(const tl_point *p, size_t n);

/* OpenCV boxPoints order: at angle 0, bottom-left, top-left, top-right, bottom-right. */
TL_API void tl_rbox_points(tl_rbox b, tl_point out[4]);
/* l,t, r,t, r,b, l,b: clockwise from the top-left. */
TL_API void tl_rect_points(tl_rect r, tl_point out[4]);
TL_API tl_rect tl_bounding_rect(const tl_point *p, size_t n);

/* Quad vertex orders of docs/formats.md §2.5. */
typedef enum tl_quad_order {
	TL_ORDER_CANONICAL = 0, /* textloc: clockwise on screen (reversed if not), starting at
	                           the vertex with the smallest x+y (ties: smaller y) */
	TL_ORDER_PADDLE_MINIBOX,/* get_mini_boxes: stable sort by x, pairs by y */
	TL_ORDER_PADDLE_XY,     /* order_points_clockwise of predict_det.py */
	TL_ORDER_PADDLE_LABEL,  /* argmin/argmax of x+y, then y-x */
	TL_ORDER_MMOCR,         /* atan2 about the centroid, start nearest (min x, min y) */
	TL_ORDER_EAST,          /* reverse (0,3,2,1) when counter-clockwise */
} tl_quad_order;
TL_API void tl_quad_order_points(tl_point q[4], tl_quad_order rule);
/* Same as CANONICAL for any ring: clockwise, start at smallest x+y. Returns 1 if changed. */
TL_API int tl_poly_canonical(tl_point *p, size_t n);

/* The points of any geometry: QUAD/POLY as stored, RECT and RBOX as 4 corners
 * clockwise from the top-left. Returns the count (or the needed cap if cap is too small). */
TL_API size_t tl_geom_points(const tl_geom *g, tl_point *out, size_t cap);
/* Converts g to another form in place (points allocated in ds's arena).
 * *lossy is set when the conversion loses information (poly -> quad, any -> rect, ...).
 * POLY -> QUAD goes through the minimum-area rectangle; QUAD -> RBOX likewise. */
TL_API int tl_geom_convert(tl_dataset *ds, tl_geom *g, tl_shape to, int *lossy);

#endif
