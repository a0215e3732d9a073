/* textloc/det.h — the DB (Differentiable Binarization) text detector as
 * PaddleOCR runs it: pre-processing (resize to multiples of 32, BGR planes
 * normalised with the ImageNet constants), the network (textloc/nn.h), and the
 * post-processing that turns the probability map into boxes (protocols.md §11).
 * With the default parameters and model the boxes match PaddleOCR's. */
#ifndef TEXTLOC_DET_H
#define TEXTLOC_DET_H

enum { TL_DET_SCORE_FAST = 0, TL_DET_SCORE_SLOW = 1 };   /* box score over the box / contour */
enum { TL_DET_LIMIT_MAX = 0, TL_DET_LIMIT_MIN = 1 };     /* which side limit_side bounds */

typedef struct tl_det_params {
	double thresh;        /* binarisation: prob > thresh (0.3) */
	double box_thresh;    /* keep a box whose score >= box_thresh (0.6) */
	double unclip_ratio;  /* growth distance = area * ratio / perimeter (1.5) */
	int max_candidates;   /* contours looked at, in OpenCV's order (1000) */
	int min_size;         /* minimum short side before growing (3); after: +2 */
	int score_mode;       /* TL_DET_SCORE_FAST (default) or _SLOW */
	tl_shape shape;       /* TL_SHAPE_QUAD (default) or TL_SHAPE_POLY */
	int limit_side;       /* 960 */
	int limit_type;       /* TL_DET_LIMIT_MAX: longer side <= limit_side (no enlarging);
	                         TL_DET_LIMIT_MIN: shorter side >= limit_side */
	int dilate;           /* 1: dilate the bitmap with a 2x2 kernel first (0) */
} tl_det_params;

/* PaddleOCR's inference defaults (the values in parentheses above). */
TL_API void tl_det_params_init(tl_det_params *p);
/* TL_E_USAGE with a message when a parameter is out of range. */
TL_API int tl_det_params_check(const tl_det_params *p, tl_error *err);

/* The network input size for a source image: scaled by limit_side/limit_type with
 * truncation, then each side rounded half to even to a multiple of 32 (at least
 * 32). Images with w + h < 64 are first padded to at least 32x32. */
TL_API int tl_det_input_size(int src_w, int src_h, const tl_det_params *p, int *w, int *h);

/* Pre-processing of a decoded image (gray or RGB): padding of tiny images,
 * OpenCV-exact bilinear resize to tl_det_input_size, and the 1x3xHxW float32
 * tensor with planes B, G, R each (px * float(1/255) - mean[c]) / std[c] with
 * mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225). *tensor is malloc'd. */
TL_API int tl_det_preprocess(const tl_pixmap *src, const tl_det_params *p, float **tensor,
			     int *w, int *h, tl_error *err);

/* Post-processing: prob is the w x h probability map (row-major); boxes go to im
 * (QUAD, or POLY in polygon mode) with their score as confidence, in the
 * coordinates of a src_w x src_h source image. */
TL_API int tl_det_postprocess(const float *prob, int w, int h, int src_w, int src_h,
			      const tl_det_params *p, tl_dataset *ds, tl_image *im, tl_error *err);

/* A detector: a model plus parameters. Not safe to run from two threads at once;
 * tl_detector_clone makes another one over the same model bytes (no re-reading)
 * for a second worker. */
typedef struct tl_detector tl_detector;

TL_API int  tl_detector_new(const char *model_path, const tl_det_params *p, tl_detector **out,
			    tl_error *err);
TL_API int  tl_detector_clone(const tl_detector *d, tl_detector **out, tl_error *err);
TL_API void tl_detector_free(tl_detector *d);
/* Threads inside the network (<= 0: all cores). */
TL_API void tl_detector_set_threads(tl_detector *d, int nthreads);
TL_API const tl_det_params *tl_detector_params(const tl_detector *d);

typedef struct tl_det_timing { double pre_ms, net_ms, post_ms; } tl_det_timing;

/* Detects text in a decoded image: regions are appended to im (whose width and
 * height are set to the image's). timing may be NULL. */
TL_API int  tl_detector_run(tl_detector *d, const tl_pixmap *pix, tl_dataset *ds, tl_image *im,
			    tl_det_timing *timing, tl_error *err);
/* The probability map of the last run (network input size), owned by d and valid
 * until the next run; NULL before the first. */
TL_API const float *tl_detector_prob(const tl_detector *d, int *w, int *h);

#endif
