/* eval_int.h — internals shared by the evaluation modules. */
#ifndef TL_EVAL_INT_H
#define TL_EVAL_INT_H

#include "tl_internal.h"

/* One input: a zip archive or a directory, seen as a list of entry names. */
typedef struct ev_src {
	const char *path;
	tl_zip *zip;
	char **names;          /* directory listing (owned) */
	size_t count;
} ev_src;

int ev_src_open(ev_src *s, const char *path, tl_error *err);
void ev_src_close(ev_src *s);
const char *ev_src_name(const ev_src *s, size_t i);
int ev_src_read(ev_src *s, size_t i, char **data, size_t *len, tl_error *err);

/* A sample key and the entry it came from, in Python 2 dict iteration order. */
typedef struct ev_key {
	char *key;
	size_t entry;
} ev_key;

/* Orders keys as CPython 2.7's dict(pairs) would iterate them: later duplicates
 * replace the value but keep the first key's slot. *n is updated (duplicates merged;
 * their key strings stay the caller's to free). */
int ev_py2_dict_order(ev_key *keys, size_t *n);

/* Python 'match at start' of PREFIX([0-9]+).txt (the '.' is any character but a
 * newline). Returns the key length (digits) or 0; *key points into name. */
size_t ev_match_name(const char *name, const char *prefix, const char **key);

/* NumPy 1.x argsort(kind='quicksort') of -v: the exact introsort NumPy used, so that
 * ties between equal confidences are ordered as the reference ordered them. */
void ev_np_argsort_desc(const double *v, size_t n, size_t *idx);

/* Most points of one region: RRC files hold quads; polygons read through the format
 * readers (Total-Text up to 19 points, CTW1500 results up to 40) fit. */
#define EV_MAXPTS 64

/* GT x detection pairs evaluated in one image (tables, greedy loops): a hostile file
 * with huge region counts is refused instead of running for hours. */
#define EV_MAX_PAIRS ((size_t)1 << 24)

/* One region as a protocol sees it. */
typedef struct ev_item {
	double v[8];           /* raw numbers as read (quad: x1,y1..x4,y4; ltrb: 4) */
	int nv;
	tl_point p[EV_MAXPTS]; /* polygon used for areas */
	int np;
	int dc;
	int tlen;              /* characters of the transcription (code points) */
	double conf;
	double area;
	double varea;          /* area after Shapely's make-valid (mmocr); = area if valid */
	double bb[4];          /* bounding box l, t, r, b of p */
	long line;
} ev_item;

/* Sets bb from p[0..np). */
void ev_item_bbox(ev_item *it);

/* Intersection area of two items; bounding boxes that do not overlap give 0 without
 * touching the polygon kernel (most pairs of an image). */
double ev_inter(const ev_item *a, const ev_item *b);

typedef struct ev_list {
	ev_item *items;
	size_t n, cap;
} ev_list;

enum { EV_GT = 0, EV_DET = 1 };

/* Grammar switches of one file parse. */
typedef struct ev_grammar {
	int ltrb;              /* xmin,ymin,xmax,ymax */
	int transcription;     /* GT lines */
	int confidence;        /* a confidence column */
	int clockwise;         /* refuse counter-clockwise quads */
	int loose;             /* Shapely-tool loaders: any numbers, extra fields ignored */
} ev_grammar;

/* Parses one file's bytes. On a refusal returns TL_E_INPUT with *msg set to the
 * reference's text (malloc'd) and *line to the 1-based line number. */
int ev_parse(const char *data, size_t len, const ev_grammar *g, ev_list *out, char **msg,
	     long *line);

/* The GT and detection grammars of a protocol (shared by the driver and the report). */
void ev_grammars(const tl_eval_opts *o, ev_grammar *gg, ev_grammar *dg);
/* Re-orders detections by descending confidence as the RRC loader does. */
int ev_sort_conf(ev_list *D);
/* Drops polygons that Shapely would call invalid or not simple. */
void ev_drop_invalid(ev_list *L);
/* mmocr's poly_make_valid, approximated: an invalid polygon becomes its convex hull. */
void ev_make_valid(ev_list *L);

/* A side (GT or results) read through the format readers instead of the RRC rules:
 * any format textloc reads, keys from image names (img_12.jpg, gt_img_12.txt and
 * res_img_12.txt all give "12"). */
typedef struct ev_ds {
	tl_dataset *ds;
} ev_ds;
/* 1 when a side goes through the format readers: a format is named, or the side is
 * a single file that is not a zip (a UFO JSON, a PaddleOCR label file ...); else the
 * RRC rules read it. */
int ev_use_formats(const char *path, const char *format);
int ev_ds_open(ev_ds *d, const char *path, const char *format, tl_error *err);
void ev_ds_close(ev_ds *d);
/* The key of an image name, into out (cap bytes). */
void ev_image_key(const char *name, char *out, size_t cap);
/* Regions of image i as protocol items (ltrb: v holds the bounding rectangle). */
int ev_ds_items(const ev_ds *d, size_t i, const ev_grammar *g, ev_list *out, tl_error *err);

#endif
