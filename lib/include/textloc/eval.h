/* textloc/eval.h — text-detection evaluation protocols (docs/protocols.md).
 *
 * Each protocol reproduces a reference script: its loading rules and refusals, its
 * don't-care decisions, its matching, its figures. GT and detections are RRC-style
 * zips or directories (gt_img_N.txt / res_img_N.txt).
 */
#ifndef TEXTLOC_EVAL_H
#define TEXTLOC_EVAL_H

typedef enum tl_eval_protocol {
	TL_EVAL_ICDAR2015 = 0,  /* RRC Challenge 4 task 1 (protocols §1) */
	TL_EVAL_TIOU,           /* Tightness-aware IoU on top of §1 (§4) */
	TL_EVAL_DETEVAL,        /* ICDAR 2013 RRC script, LTRB, inclusive areas (§2; the golden
	                           figures show its variant: no single-overlap test, splits
	                           always credited 0.8 and labelled OM) */
	TL_EVAL_DETEVAL_POLY,   /* DetEval logic on Shapely polygons, DB's deteval.py (§3 note) */
	TL_EVAL_PADDLE_IOU,     /* PaddleOCR / DB IoU evaluator (§9) */
	TL_EVAL_MMOCR,          /* mmocr 1.x HmeanIOUMetric, vanilla strategy (§8): the best of
	                           seven score thresholds 0.3 ... 0.9 */
	TL_EVAL_UFO_DETEVAL,    /* Upstage/boostcamp deteval.py for UFO (§6): DetEval on
	                           bounding rectangles, inclusive areas, no don't care */
	TL_EVAL_CLEVAL,         /* CLEval 2023 detection scores, QUAD geometry (§5), from the
	                           specification (no reference outputs to check against) */
	TL_EVAL_NPROTOCOLS
} tl_eval_protocol;

TL_API const char *tl_eval_protocol_name(tl_eval_protocol p);
/* -1 if unknown. Accepts the golden folder names (icdar2015, tiou, deteval,
 * deteval-ic13, deteval-poly, paddleocr-iou) and mmocr-hmean. */
TL_API int tl_eval_protocol_from_name(const char *name);

/* mmocr's score thresholds: np.arange(0.3, 0.9, 0.1) as float64 (0.9000000000000001
 * included by rounding); scores and thresholds are compared in float32. */
TL_API double tl_eval_mmocr_threshold(int i);

typedef struct tl_eval_opts {
	tl_eval_protocol protocol;
	int lenient;        /* §1 without the clockwise check (DB/PSENet/PAN copies) */
	int confidences;    /* a 9th column of confidences; detections re-ordered; AP */
	double min_conf;    /* drop detections with a lower confidence (sweeps); 0 = keep all */
	int shard_index, shard_count; /* evaluate GT samples i with i % count == index
	                       (count 0 = all); results combine with tl_eval_merge_json */
	const char *gt_format;  /* read GT with this format (textloc-formats(5), "auto" =
	                           probe) instead of the RRC rules; NULL = RRC, or probe
	                           when the path is a single file that is not a zip */
	const char *det_format; /* the same for the results */
	int summary_only;   /* keep the dataset totals only, not the per-sample records:
	                       memory stays flat however many images there are */
} tl_eval_opts;

/* One matched relation. For one-to-one pairs ngt = ndet = 1. `list` records that the
 * reference prints the detection (or GT) side as a list even with one member. */
typedef struct tl_eval_pair {
	int ngt, ndet;
	int *gt, *det;
	char type[3];       /* "OO", "OM", "MO" (DetEval) or "" */
	int gt_list, det_list;
} tl_eval_pair;

typedef struct tl_eval_sample {
	const char *key;                 /* sample key, e.g. "17" */
	long order;                      /* position in the reference's GT order */
	int has_det;                     /* a result file existed */
	double precision, recall, hmean, ap;
	long ngt, ndet;                  /* regions read (after any filtering) */
	long gt_care, det_care, matched; /* micro-average terms */
	double recall_accum, precision_accum;         /* DetEval credits */
	double iou_sum, tiou_r_sum, tiou_p_sum;       /* TIoU sums over matches */
	size_t npairs;
	tl_eval_pair *pairs;
	size_t ngt_dc, ndet_dc;
	int *gt_dc, *det_dc;
	long mm_hits[7], mm_preds[7];    /* mmocr: matches and kept predictions per threshold */
	double cl[6];                    /* CLEval: tp recall, penalty recall, chars in GT,
	                                    tp precision, penalty precision, chars detected */
	size_t nconf;                    /* care detections: confidence and match */
	double *conf;
	unsigned char *conf_match;
} tl_eval_sample;

typedef struct tl_eval_result {
	tl_eval_opts opts;
	int accepted;
	char *error;                     /* the reference's refusal text, or NULL */
	double precision, recall, hmean, ap;
	double iou_precision, iou_recall, iou_hmean;    /* TIoU: SIoU figures */
	double tiou_precision, tiou_recall, tiou_hmean; /* TIoU figures */
	long gt_care, det_care, matched;
	double recall_accum, precision_accum, iou_sum, tiou_r_sum, tiou_p_sum;
	long mm_hits[7], mm_preds[7];    /* mmocr totals per score threshold */
	double cl[6];                    /* CLEval totals (see tl_eval_sample) */
	int mm_best;                     /* the threshold whose figures are reported */
	size_t nimages;                  /* samples evaluated (or merged) */
	size_t nsamples, cap;
	tl_eval_sample *samples;         /* in the reference's evaluation order (none when
	                                    summary_only) */
	double *all_conf;                /* every care detection's confidence and match, */
	unsigned char *all_match;        /* in evaluation order (for the dataset AP) */
	size_t nall, allcap;
	tl_arena *arena;
	size_t n_unmapped;               /* result images whose key is not in GT (non-RRC runs) */
	char *unmapped;                  /* the first of their keys, comma-separated, or NULL */
	size_t n_misnamed;               /* result entries skipped for their names (non-RRC runs) */
} tl_eval_result;

/* Evaluates detections against ground truth. On a refusal returns TL_E_INPUT, fills
 * err (file, line, what to do) and still returns *out with accepted = 0 and the
 * reference's message in error. */
TL_API int tl_eval_run(const char *gt_path, const char *det_path, const tl_eval_opts *opts,
		       tl_eval_result **out, tl_error *err);
TL_API void tl_eval_free(tl_eval_result *r);

/* Adds one sample's terms to the dataset totals (done by tl_eval_run and merges). */
TL_API int tl_eval_account(tl_eval_result *r, const tl_eval_sample *s);
/* Computes the dataset figures from the totals. */
TL_API void tl_eval_finish(tl_eval_result *r);

/* JSON in the golden shape: {"submission", "accepted", "error", "method",
 * ["iouMethod", "tiouMethod"], "samples": {key: {...}}}; with partial != 0 each sample
 * also carries the micro terms so that tl_eval_merge can combine shards. */
TL_API int tl_eval_json(const tl_eval_result *r, const char *submission, int samples, int partial,
			tl_buf *out);
/* Adds the samples of a partial JSON (written by tl_eval_json with partial) to r
 * (r may be a fresh result from tl_eval_result_new). */
TL_API tl_eval_result *tl_eval_result_new(const tl_eval_opts *opts);
TL_API int tl_eval_merge_json(tl_eval_result *r, const char *json, size_t len, const char *name,
			      tl_error *err);

/* An HTML report in outdir: index.html (figures, P/R curve with confidences, images
 * sorted worst hmean first) and img_<key>.png for every sample (matched green, missed
 * red, false positive orange, don't care grey and hatched). r must hold its samples
 * (not summary_only); gt_path and det_path are read again for the geometry. */
typedef struct tl_eval_report_opts {
	const char *images;    /* directory holding img_<key>.jpg/.png; NULL: white pages */
	int max_width;         /* drawings wider than this are scaled down; 0 = 800 */
	int force;             /* overwrite existing files */
} tl_eval_report_opts;
TL_API int tl_eval_report(const tl_eval_result *r, const char *gt_path, const char *det_path,
			  const char *outdir, const tl_eval_report_opts *o, tl_error *err);

/* Threshold sweep over confidences (ICDAR 2015 rules re-run at each threshold: only
 * detections with confidence >= t are kept, then don't-care and greedy matching as
 * usual). Needs the original inputs, so it re-reads them. */
typedef struct tl_eval_sweep_point { double thr, precision, recall, hmean; } tl_eval_sweep_point;
TL_API int tl_eval_sweep(const char *gt_path, const char *det_path, const tl_eval_opts *opts,
			 const double *thr, size_t n, tl_eval_sweep_point *out, tl_error *err);

#endif
