/* text.h — shared reading and writing utilities for the annotation formats
 * (library-internal; every formats/ file includes it after tl_internal.h).
 *
 *   lines    BOM skip, CRLF / LF / bare-CR splitting with 1-based line numbers
 *   encoding UTF-8 validation with byte positions, latin1 -> UTF-8, a whole-buffer
 *            preparation step that every reader gets its input through
 *   numbers  strict RRC integers and lenient floats with overflow / NaN / inf detection
 *   fields   comma splitting, RRC transcription unquoting and quoting (formats.md §3.6)
 *   line readers  the reading loop of the one-region-a-line formats
 *   JSON     parse with line:column on failure, numbers, point lists, the `extra`
 *            object (fields a format carries that the data model has no slot for)
 *   naming   ICDAR-style per-image names: img_N.jpg <-> gt_img_N.txt / res_img_N.txt
 */
#ifndef TL_TEXT_H
#define TL_TEXT_H

#include <cjson/cJSON.h>

/* ---- lines ------------------------------------------------------------ */

/* Iterates over the lines of a buffer. A line ends at "\r\n", "\n" or a bare "\r"
 * (mqhs lists use bare CR); the terminator is not part of the line. One leading
 * UTF-8 BOM is skipped. The last line needs no terminator. */
typedef struct tl_lines {
	const char *p, *end;
	long lineno;         /* number of the line last returned (1-based) */
	int had_bom;
	int crlf, lf, cr;    /* how many terminators of each kind were seen */
} tl_lines;

void tl_lines_init(tl_lines *it, const char *data, size_t len);
/* Returns 1 and the next line in *s, *n; 0 at the end. */
int tl_lines_next(tl_lines *it, const char **s, size_t *n);

/* The line probes' loop: returns 1 with the next non-empty line while fewer than 20
 * lines were judged, so that a probe reads the head of a large file only. */
int tl_probe_line(tl_lines *it, int judged, const char **s, size_t *n);

/* 1 if the n bytes are all ASCII white space (an all-blank line). */
int tl_is_blank(const char *s, size_t n);

/* ---- encoding --------------------------------------------------------- */

/* Length of the valid UTF-8 prefix of s[0..n) (n if all of it is valid). Overlong
 * forms, surrogates, code points above U+10FFFF and NUL bytes count as invalid. */
size_t tl_utf8_valid_prefix(const char *s, size_t n);
/* Appends s[0..n) read as ISO-8859-1 to out as UTF-8. */
int tl_latin1_to_utf8(tl_buf *out, const char *s, size_t n);

/* Brings a whole input buffer to clean UTF-8 before a reader sees it: drops one
 * leading BOM; with latin1 converts every byte; otherwise reports each invalid
 * UTF-8 sequence (and NUL byte) as an error "invalid UTF-8 at byte OFFSET" with its
 * line and column (at most 20 per file, then a count) and replaces it with U+FFFD,
 * so the reader can still report everything else. *out is a malloc'd NUL-terminated
 * copy, or NULL when data can be used as it is (BOM aside: *skip bytes to skip).
 * Returns TL_OK, TL_E_INPUT if invalid bytes were found, or TL_E_NOMEM. */
int tl_text_prepare(const char *path, const char *data, size_t len, int latin1,
		    tl_diags *d, char **out, size_t *outlen, size_t *skip);

/* ---- numbers ---------------------------------------------------------- */

typedef enum tl_num_status {
	TL_NUM_OK = 0,
	TL_NUM_EMPTY,        /* no characters (after trimming spaces) */
	TL_NUM_SYNTAX,       /* not a number */
	TL_NUM_NOT_INT,      /* a real number where the strict grammar wants an integer */
	TL_NUM_RANGE,        /* overflows (|v| > 2^53 for integers, > DBL_MAX for reals) */
	TL_NUM_NONFINITE,    /* "nan", "inf", "infinity" */
	TL_NUM_NEGATIVE,     /* a sign where the grammar allows none */
	TL_NUM_TOO_LONG,     /* more than 64 characters */
} tl_num_status;

const char *tl_num_status_str(int st);

/* Parses s[0..n) (spaces and tabs around it allowed) as a number.
 * lenient = 0: the RRC grammar -?[0-9]+ only; lenient = 1: any finite C decimal
 * real ("12.5", "-3e2"), never hex, NaN or infinity. */
int tl_parse_num(const char *s, size_t n, int lenient, double *out);

/* ---- fields ----------------------------------------------------------- */

/* Finds up to max comma-separated fields at the start of s[0..n): start[i], len[i].
 * Returns how many commas were found (capped at max); *rest points just after the
 * last comma consumed. Used as: the first k fields are numbers, the rest is text. */
size_t tl_split_commas(const char *s, size_t n, size_t max, const char **start,
		       size_t *len, const char **rest);

/* Parses the k comma-separated numbers at the start of the line s[0..n) (RRC
 * grammar; lenient adds reals) into v. Returns TL_NUM_OK and in *rest, *restn the
 * text after the comma that ends the k-th number (*rest = NULL when the k-th number
 * ends the line). On an error returns its tl_num_status with *field (0-based) and
 * *col (1-based byte column) of the bad field; a line of fewer than k numbers gives
 * TL_NUM_EMPTY with *field = how many numbers it has. */
int tl_rrc_numbers(const char *s, size_t n, size_t k, int lenient, double *v,
		   const char **rest, size_t *restn, size_t *field, long *col);
/* Reports a tl_rrc_numbers failure st at line:col: "field-count" (fewer than want
 * numbers) or "bad-number" for the field. */
void tl_coord_error(tl_diags *d, const char *path, long line, long col, int st, size_t field,
		    size_t want);
/* 1 when a line of the line-oriented formats carries nothing to parse: empty, or
 * white space only (an error unless lenient, as the RRC grammar fails it; *bad is set). */
int tl_skip_blank_line(const char *s, size_t n, int lenient, tl_diags *d, const char *path,
		       long line, int *bad);

/* The RRC transcription rule (formats.md §3.6): if s[0..n) trimmed is enclosed in
 * double quotes, the quotes go and "\\\\" -> "\\" then "\\\"" -> "\"" are undone
 * (two passes, as the official script does). The result is copied into ds's arena. */
char *tl_rrc_unquote(tl_dataset *ds, const char *s, size_t n);
/* 1 when text must be written quoted to read back the same (it is itself wrapped in
 * quotes once trimmed). */
int tl_rrc_needs_quotes(const char *text);
/* Appends text quoted and escaped so that tl_rrc_unquote gives it back. */
int tl_rrc_put_quoted(tl_buf *b, const char *text);

/* ---- line readers ----------------------------------------------------- */

/* The reading loop of the formats that hold one region a line (ICDAR 2013/2015,
 * MLT, RRC): every one skips blank lines under the same rule, reports a bad line
 * and goes on to the next, and fails the whole read (TL_E_INPUT) when any line
 * was reported, so that one pass names every bad line. */
typedef struct tl_line_reader {
	tl_lines it;         /* it.lineno: the number of the current line */
	const char *path;
	tl_diags *d;
	int lenient;
	int bad;             /* a line was reported as an error (readers set it too) */
	const char *s;       /* the current line, n bytes */
	size_t n;
	const char *rest;    /* after tl_line_reader_coords: the restn bytes after the */
	size_t restn;        /* comma that ends the numbers; NULL when they end the line */
} tl_line_reader;

void tl_line_reader_init(tl_line_reader *lr, const char *data, size_t len, const char *path,
			 int lenient, tl_diags *d);
/* Returns 1 with the next line that is not blank (tl_skip_blank_line) in s, n; 0 at
 * the end. */
int tl_line_reader_next(tl_line_reader *lr);
/* Returns 1 with the next line that starts with k numbers (tl_rrc_numbers) in v and
 * what follows in rest, restn; a line that does not is reported (tl_coord_error)
 * and passed over. 0 at the end. */
int tl_line_reader_coords(tl_line_reader *lr, size_t k, double *v);
/* 1 when v = xmin, ymin, xmax, ymax is no inverted rectangle; else 0 after
 * reporting "bad-rect" for the current line. */
int tl_line_reader_check_rect(tl_line_reader *lr, const double v[4]);
/* Appends the region of the current line to im, with its line number; NULL after
 * reporting the per-image limit (the read then stops with TL_E_LIMIT). */
tl_region *tl_line_reader_region(tl_line_reader *lr, tl_dataset *ds, tl_image *im);

/* r becomes the quadrilateral v = x1, y1, ..., x4, y4 (points in ds's arena). */
int tl_region_set_quad8(tl_dataset *ds, tl_region *r, const double v[8]);
/* r becomes the rectangle v = xmin, ymin, xmax, ymax; with inclusive (pixel indices
 * as written, formats.md §0) xmax and ymax get the +1. */
void tl_region_set_ltrb(tl_region *r, const double v[4], int inclusive);
/* r's transcription: tl_rrc_unquote of text[0..n), or "" when text is NULL (the line
 * ends with the numbers). TL_OK or TL_E_NOMEM. */
int tl_region_set_rrc_text(tl_dataset *ds, tl_region *r, const char *text, size_t n);

/* ---- numbers out ------------------------------------------------------ */

/* Appends round-half-to-even(v) as an integer (RRC-family writers). Returns 1 in
 * *rounded if v was not an integer already. */
int tl_buf_int_coord(tl_buf *b, double v, int *rounded);

/* Appends the n points as "x1,y1,...,xn,yn" integers (rounded half to even),
 * followed by one more comma when trailing_comma. */
int tl_put_int_points(tl_buf *b, const tl_point *p, size_t n, int trailing_comma);
/* Appends a transcription for a line format: quoted (tl_rrc_put_quoted) when it
 * would read back differently unquoted, or always when force_quotes; CR and LF
 * become spaces so the line stays one line (a tab is harmless and stays). */
int tl_put_line_text(tl_buf *b, const char *text, int force_quotes);

/* ---- JSON (cJSON) ----------------------------------------------------- */

/* Parses JSON text of n bytes; on failure returns NULL and the line and column of
 * the first byte cJSON could not accept. */
cJSON *tl_json_parse(const char *data, size_t n, long *line, long *col);
/* 1 if item is a finite number (cJSON turns 1e400 into inf: that is refused). */
int tl_json_finite(const cJSON *item, double *out);
/* Reads points given as [[x,y],...] or flat [x,y,...] (at most TL_MAX_POINTS).
 * Returns TL_OK, TL_E_INPUT with *why set, or TL_E_NOMEM; *pts in ds's arena. */
int tl_json_points(tl_dataset *ds, const cJSON *arr, tl_point **pts, size_t *n,
		   const char **why);
/* Serialises the members of obj whose names are not in known (NULL-terminated)
 * into a JSON object text in ds's arena; NULL when there are none (or no memory:
 * then *nomem is set). */
char *tl_json_extra(tl_dataset *ds, const cJSON *obj, const char *const *known, int *nomem);
/* Appends the members of the JSON object text extra (as written by tl_json_extra)
 * to b, each preceded by sep (e.g. ", "), skipping names in skip (NULL-terminated,
 * may be NULL). Nothing for NULL or "{}". */
int tl_json_put_members(tl_buf *b, const char *extra, const char *sep,
			const char *const *skip);
/* The same for an object already parsed (obj may be NULL). */
int tl_json_put_tree_members(tl_buf *b, const cJSON *obj, const char *sep,
			     const char *const *skip);
/* The value of member name in the JSON object text extra, parsed (caller frees
 * with cJSON_Delete), or NULL. */
cJSON *tl_json_extra_get(const char *extra, const char *name);

/* ---- writing helpers -------------------------------------------------- */

/* The transcription a "###"-family writer emits for r: "###" for don't-care regions
 * unless its text is one of the other markers in alt (NULL-terminated, may be NULL),
 * else its text. */
const char *tl_dc_text(const tl_region *r, const char *const *alt);
/* 1 if the dataset was read from a format named name: writers keep the `extra`
 * fields only then (another format's extra means nothing to them). */
int tl_same_format(const tl_dataset *ds, const char *name);

/* The part of a source path that names the annotation file: after the last '/' or
 * the '#' that separates a zip archive from its entry. */
const char *tl_source_base(const char *path);
/* Starts the image of a per-image annotation file: name from the file name
 * (tl_image_from_name with prefixes), source = path. NULL when out of memory. */
tl_image *tl_begin_image(tl_dataset *ds, const char *path, const char *const *prefixes);

/* The 4 points of r for a writer of quadrilaterals only; 0 after reporting
 * "region K has N points; WHO quadrilaterals (convert with --shape quad)" for
 * region index k of image imname (who: "ICDAR 2015 holds"). */
int tl_quad_points(const tl_region *r, size_t k, const char *imname, const char *who,
		   tl_diags *d, tl_point p[4]);
/* The points of r for a writer of polygons (3 points or more): *p is small when they
 * fit in 4, else a malloc'd array the caller frees. Returns TL_OK, TL_E_INPUT after
 * reporting "region K has N points" (nothing to free), or TL_E_NOMEM. */
int tl_poly_points(const tl_region *r, size_t k, const char *imname, tl_diags *d,
		   tl_point small[4], tl_point **p, size_t *n);

/* ---- naming ----------------------------------------------------------- */

/* "img_1.jpg" -> prefix + "img_1" + suffix (the image stem with its extension
 * dropped), e.g. ("gt_", ".txt") -> "gt_img_1.txt". */
int tl_name_from_image(const char *image, const char *prefix, const char *suffix,
		       tl_buf *out);
/* Inverse: strips one of the prefixes (NULL-terminated list, may be NULL) and the
 * ".txt"-style suffix of file; keeps an image extension that is already there
 * ("img_1.jpg.txt" -> "img_1.jpg"), else adds ".jpg". */
int tl_image_from_name(const char *file, const char *const *prefixes, tl_buf *out);
/* The ICDAR ground-truth naming, gt_img_N.txt <-> img_N.jpg, shared by the
 * formats that use it as they are (the tl_format file_for_image, image_for_file). */
extern const char *const tl_gt_prefixes[];   /* { "gt_", NULL } */
int tl_gt_file_for_image(const char *image, tl_buf *out);
int tl_gt_image_for_file(const char *file, tl_buf *out);
/* 1 if name ends in a common image extension (.jpg .jpeg .png .tif .tiff .bmp .gif). */
int tl_is_image_name(const char *name);

#endif
