/* ds6util.h — helpers shared by the dataset formats of formats/ that are not
 * ICDAR-family (Total-Text, CTW1500, MSRA-TD500, COCO-Text, TextOCR, HierText, ArT,
 * mmocr, LabelMe, docTR, SROIE, WildReceipt): line iteration, strict numbers,
 * UTF-8 clean-up, and the cJSON glue that keeps unknown fields in `extra`. */
#ifndef TL_DS6UTIL_H
#define TL_DS6UTIL_H

#include <cjson/cJSON.h>

/* Lines split on LF, CRLF or a bare CR (the mqhs lists use bare CR); a leading BOM
 * is skipped. no is the 1-based number of the line last returned. */
typedef struct ds6_lines {
	const char *p, *end;
	long no;
} ds6_lines;
void ds6_lines_init(ds6_lines *it, const char *data, size_t len);
/* Returns 1 and the line (without its end) or 0 at the end of the data. */
int ds6_lines_next(ds6_lines *it, const char **s, size_t *n);
/* 1 if [s, s+n) holds only spaces and tabs. */
int ds6_blank(const char *s, size_t n);

/* A decimal number at *p (spaces and tabs before it skipped, never past end):
 * optional sign, digits with an optional fraction and exponent; no hex, inf or nan.
 * Returns 1 and advances *p past it, 0 if there is none (then *p is unchanged). */
int ds6_num(const char **p, const char *end, double *v);
/* Skips spaces/tabs, then c. Returns 1 if c was there. */
int ds6_char(const char **p, const char *end, char c);
/* The shortest decimal text of v that reads back exactly (integers without a
 * fraction, no exponent unless the magnitude needs one). */
int ds6_put_num(tl_buf *b, double v);

/* Leading comma-separated numeric fields of s[0..n) (at most max) into out->v;
 * *rest is the start of the first field that is not a number, or NULL when the
 * whole line was numbers. Returns TL_OK or TL_E_NOMEM. */
typedef struct ds6_nums { double *v; size_t n, cap; } ds6_nums;
int ds6_csv_nums(const char *s, size_t n, size_t max, ds6_nums *out, const char **rest);

/* Appends text with CR and LF turned into spaces (line formats cannot hold them;
 * a tab can stay); *changed set when that happened. */
int ds6_put_line_text(tl_buf *b, const char *text, int *changed);
/* 1 if ds was read from the format called name (writers keep `extra` only then). */
int ds6_same(const tl_dataset *ds, const char *name);

/* Copies [s, s+n) into the arena as valid UTF-8: invalid sequences become U+FFFD
 * and *bad is set. (tl_format_read has already decoded --encoding latin1 input and
 * refused invalid UTF-8, so this only guards readers called on raw bytes.) */
char *ds6_text(tl_dataset *ds, const char *s, size_t n, int *bad);

/* Parses JSON; on a syntax error adds "path:line:col: error" to d and returns NULL. */
cJSON *ds6_json_parse(const char *path, const char *data, size_t len, tl_diags *d);
const char *ds6_json_str(const cJSON *o, const char *key);
/* 1 and *v if o[key] is a number. */
int ds6_json_num(const cJSON *o, const char *key, double *v);
/* 1 if o[key] is true (or a non-zero number), 0 otherwise. */
int ds6_json_truthy(const cJSON *o, const char *key);

/* Points from [[x,y],...] (pairs) or [x1,y1,...] (flat) into the arena.
 * Returns TL_OK, TL_E_INPUT (not numbers, odd count, too many), TL_E_NOMEM. */
int ds6_json_pairs(tl_dataset *ds, const cJSON *a, tl_point **pts, size_t *n);
int ds6_json_flat(tl_dataset *ds, const cJSON *a, tl_point **pts, size_t *n);
/* Sets r's geometry to QUAD when n == 4, POLY otherwise (pts already in the arena). */
void ds6_set_poly(tl_region *r, tl_point *pts, size_t n);

/* The children of o whose keys are not in known (NULL-terminated), as compact JSON
 * text in the arena; NULL when there are none. *nomem set on allocation failure. */
const char *ds6_json_extra(tl_dataset *ds, const cJSON *o, const char *const *known,
			   int *nomem);
/* 1 if member e of object o is the first with its key (a repeated key's later
 * copies are invisible to cJSON_GetObjectItem, so readers drop them). */
int ds6_json_first(const cJSON *o, const cJSON *e);
/* Appends the fields of the JSON object text extra to o, skipping keys o already
 * has. NULL or malformed extra adds nothing. Returns 0, or -1 out of memory. */
int ds6_json_add_extra(cJSON *o, const char *extra);
/* The value of one field of an extra object (a new item the caller frees), or NULL. */
cJSON *ds6_extra_get(const char *extra, const char *key);

cJSON *ds6_json_pairs_new(const tl_point *p, size_t n);
/* A number as raw JSON text in its shortest exact form (null when not finite):
 * cJSON's own printing keeps 15 digits when 15 are within an epsilon, which moves
 * values by an ulp. */
cJSON *ds6_json_num_new(double v);
cJSON *ds6_json_flat_new(const tl_point *p, size_t n);
/* Prints root into out (pretty or compact, then a newline) and frees root. */
int ds6_json_emit(cJSON *root, tl_buf *out, int pretty);

/* A region's vertices: QUAD/POLY as stored; RECT and RBOX as 4 corners clockwise
 * from the top-left, written to buf. Returns the count (0 for no geometry). */
size_t ds6_points(const tl_region *r, tl_point buf[4], const tl_point **out);
tl_rect ds6_bounds(const tl_point *p, size_t n);

/* File-name helpers. stem: last path component (after '/' or a zip's '#') without
 * its last extension; image_stem: the same for an image name ('/' only: '#' is an
 * ordinary character there); key: an image name without a trailing ".jpg", what
 * the JSON formats that name images by key (ArT, HierText) read back as the name. */
int ds6_stem(const char *path, tl_buf *out);
int ds6_image_stem(const char *image, tl_buf *out);
int ds6_key(const char *image, tl_buf *out);
/* 1 if the last path component starts with prefix and ends with suffix (either may be ""),
 * case-insensitive for the suffix. */
int ds6_name_is(const char *path, const char *prefix, const char *suffix);

/* COCO-Text v2 and TextOCR share one layout: {imgs: {key: image}, anns: {key: ann},
 * imgToAnns: {image key: [ann keys]}}; cocotext.c implements it for both. */
typedef struct ds6_cocolike {
	const char *name;       /* format name (for same-format extras) */
	const char *points;     /* polygon member: "mask" or "points" */
	int string_ids;         /* ids are strings (TextOCR) rather than integers */
	int dc_illegible;       /* legibility == "illegible" is don't care (COCO-Text) */
	int dc_dot;             /* utf8_string == "." is don't care (TextOCR) */
} ds6_cocolike;
int ds6_cocolike_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		      const ds6_cocolike *spec, tl_diags *d);
int ds6_cocolike_write(const tl_dataset *ds, tl_buf *out, const ds6_cocolike *spec,
		       tl_diags *d);
int ds6_cocolike_probe(const char *data, size_t len, const char *must);

#endif
