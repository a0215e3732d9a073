/* det_internal.h — the pieces of the DB post-processing, exposed to the unit tests.
 *
 * Each piece reproduces the library PaddleOCR calls (OpenCV 4.6, Clipper 6.4.2 via
 * pyclipper, NumPy float32 arithmetic) closely enough that the same probability map
 * yields the same boxes; comments name the behaviour being matched. */
#ifndef TL_DET_INTERNAL_H
#define TL_DET_INTERNAL_H

#include <stdint.h>

typedef struct tl_ipt { int x, y; } tl_ipt;
typedef struct tl_fpt { float x, y; } tl_fpt;

/* ---- contours.c: border following (Suzuki & Abe 1985) ----------------- */

/* A list of contours, all points in one array. Contour i has the points
 * pts[start[i] .. start[i] + len[i]). */
typedef struct tl_contours {
	tl_ipt *pts;
	size_t npts, cap;
	size_t *start, *len;
	size_t n, ncap;
} tl_contours;

/* Contours of the nonzero pixels of a w x h 8-bit image (row stride w), as
 * findContours(RETR_LIST, CHAIN_APPROX_SIMPLE) lists them: outer borders and hole
 * borders, each a ring of the pixels where the chain changes direction, in OpenCV's
 * order (the last border found first). max_points bounds the total point count
 * (TL_E_LIMIT past it). */
int tl_find_contours(const uint8_t *img, int w, int h, size_t max_points,
		     tl_contours *out);
void tl_contours_free(tl_contours *c);

/* ---- raster.c: OpenCV fillPoly (8-connected, shift 0) and masked mean ------ */

/* Fills the polygon (integer vertices, any winding, may self-touch) into a w x h
 * uint8 mask with value 1: scan-line spans plus the 8-connected outline, clipped
 * to the mask. */
void tl_fill_poly(uint8_t *mask, int w, int h, const tl_ipt *pts, size_t n);

/* PaddleOCR box_score_fast / box_score_slow: mean of prob (W x H floats) inside
 * the polygon, rasterised in the window floor(min)..ceil(max) clipped to the map,
 * vertices truncated toward zero after shifting into the window. Returns 0 for an
 * empty mask. scratch must hold at least W*H bytes. */
double tl_poly_score_f(const float *prob, int W, int H, const tl_fpt *pts, size_t n,
		       uint8_t *scratch);
double tl_poly_score_i(const float *prob, int W, int H, const tl_ipt *pts, size_t n,
		       uint8_t *scratch);

/* ---- unclip.c: Clipper 6.4.2 ClipperOffset, closed polygon, round joins ---- */

/* Offsets the closed polygon (already integer, as pyclipper truncates) by delta
 * with round joins and arc tolerance 0.25, then resolves self-intersections the
 * way a positive-fill union does for the outer boundary. *out is malloc'd.
 * Returns TL_OK; *nout = 0 when the result is empty. */
int tl_unclip(const tl_ipt *in, size_t n, double delta, tl_ipt **out, size_t *nout);

/* The raw offset ring before clean-up (for the unit tests). */
int tl_offset_raw(const tl_ipt *in, size_t n, double delta, tl_ipt **out, size_t *nout);

/* ---- approx.c: OpenCV approxPolyDP (closed) and arcLength -------------- */

size_t tl_approx_poly_dp(const tl_ipt *in, size_t n, double eps, tl_ipt *out);
double tl_arc_length_closed(const tl_ipt *pts, size_t n);

/* ---- post.c helpers ---------------------------------------------------- */

/* cv2.minAreaRect + cv2.boxPoints (float32) + PaddleOCR get_mini_boxes ordering.
 * Returns the short side ("sside"). */
float tl_mini_box_i(const tl_ipt *pts, size_t n, tl_fpt box[4]);

#endif
