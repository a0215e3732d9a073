/* textloc.h — the public interface of libtextloc.
 *
 * libtextloc reads and writes OCR text-localization annotations, converts between
 * geometric forms, validates, evaluates detections, and runs a DB text detector.
 * This header holds the core: status codes, errors and diagnostics, and the data
 * model (dataset -> image -> region). Each module has its own header under
 * textloc/, all included from here.
 *
 * Conventions
 * - Functions return a tl_status (TL_OK = 0) and fill a tl_error on failure.
 * - Nothing in the library prints, exits, or reads global state.
 * - Coordinates are doubles in the continuous convention (docs/formats.md §0):
 *   origin top-left, x right, y down; "clockwise" means clockwise on screen.
 * - Strings are UTF-8 and owned by the dataset that holds them (its arena).
 */
#ifndef TEXTLOC_H
#define TEXTLOC_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TL_API __attribute__((visibility("default")))

/* Status codes. Values are pinned: the CLI maps them to exit codes. */
typedef enum tl_status {
	TL_OK = 0,
	TL_E_INPUT = 1,       /* the input has errors (syntax, geometry, refused submission) */
	TL_E_USAGE = 2,       /* bad argument or option */
	TL_E_IO = 3,          /* cannot read or write a file */
	TL_E_NOMEM = 4,       /* out of memory */
	TL_E_LIMIT = 5,       /* input exceeds a safety limit (size, count) */
	TL_E_UNSUPPORTED = 6, /* a valid input that this build cannot handle */
	TL_E_MODEL = 7,       /* a broken or unsupported model */
} tl_status;

TL_API const char *tl_status_str(int status);
TL_API const char *tl_version(void);

/* An error, reported once where it is found, then passed up. */
typedef struct tl_error {
	int status;          /* a tl_status */
	long line, col;      /* 1-based; 0 when not applicable */
	char file[512];      /* file (or file#entry inside a zip); may be empty */
	char msg[512];
} tl_error;

TL_API int tl_error_set(tl_error *err, int status, const char *file, long line, long col,
			const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* "file:line:col: message" (parts that are unknown left out) into buf. */
TL_API void tl_error_format(const tl_error *err, char *buf, size_t size);

/* Diagnostics: a growing list of errors and warnings (validate keeps them all). */
typedef enum tl_severity { TL_NOTE = 0, TL_WARNING = 1, TL_ERROR = 2 } tl_severity;

typedef struct tl_diag {
	tl_severity severity;
	long line, col;
	char *file;          /* owned by the list */
	char *kind;          /* short stable identifier, e.g. "ccw-order", "bad-number" */
	char *msg;
} tl_diag;

typedef struct tl_diags {
	tl_diag *items;
	size_t count, cap;
	size_t nerrors, nwarnings;
	size_t max;          /* stop storing past this many (counts still grow); 0 = unlimited */
} tl_diags;

TL_API void tl_diags_init(tl_diags *d);
TL_API void tl_diags_free(tl_diags *d);
TL_API int tl_diags_add(tl_diags *d, tl_severity sev, const char *file, long line, long col,
			const char *kind, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* ---- data model ------------------------------------------------------- */

typedef struct tl_point { double x, y; } tl_point;

typedef enum tl_shape {
	TL_SHAPE_NONE = 0,
	TL_SHAPE_RECT,       /* axis-aligned l,t,r,b (continuous) */
	TL_SHAPE_RBOX,       /* rotated rectangle: centre, size, angle */
	TL_SHAPE_QUAD,       /* four points */
	TL_SHAPE_POLY,       /* n >= 3 points */
} tl_shape;

TL_API const char *tl_shape_name(tl_shape s);
TL_API tl_shape tl_shape_from_name(const char *name); /* TL_SHAPE_NONE if unknown */

typedef struct tl_rect { double l, t, r, b; } tl_rect;
/* OpenCV RotatedRect sense: the "w" side has direction (cos a, sin a), a in degrees,
 * so a positive angle turns the box clockwise on screen. */
typedef struct tl_rbox { double cx, cy, w, h, angle; } tl_rbox;

/* A region's geometry keeps the form it was read in. For QUAD and POLY the points
 * live in pts (n of them, owned by the dataset arena); RECT and RBOX use their fields. */
typedef struct tl_geom {
	tl_shape shape;
	size_t n;
	tl_point *pts;
	tl_rect rect;
	tl_rbox rbox;
} tl_geom;

typedef struct tl_region {
	tl_geom geom;
	const char *text;     /* UTF-8, never NULL ("" when absent) */
	int dontcare;         /* 1: neither rewards nor punishes a detector */
	const char *lang;     /* language or script, or NULL */
	const char *orient;   /* orientation label as the format spells it, or NULL */
	double confidence;    /* valid when has_confidence */
	int has_confidence;
	const char *extra;    /* JSON object text of fields the model has no slot for, or NULL */
	long line;            /* source line (1-based), 0 if unknown */
	long id_index;        /* position within its image as read (0-based) */
} tl_region;

typedef struct tl_image {
	const char *name;     /* file name relative to the dataset root */
	const char *source;   /* annotation file it was read from, or NULL */
	int width, height;    /* 0 when unknown */
	const char *extra;    /* JSON object text, or NULL */
	tl_region *regions;
	size_t nregions, cap;
} tl_image;

typedef struct tl_arena tl_arena;

typedef struct tl_dataset {
	tl_arena *arena;
	tl_image *images;
	size_t nimages, cap;
	const char *extra;    /* JSON object text of dataset-level fields, or NULL */
	const char *format;   /* name of the format it was read from, or NULL */
} tl_dataset;

TL_API tl_dataset *tl_dataset_new(void);
TL_API void tl_dataset_free(tl_dataset *ds);
/* Adds an image (name copied); returns NULL on allocation failure.
 * The pointer stays valid until the next tl_dataset_add_image. */
TL_API tl_image *tl_dataset_add_image(tl_dataset *ds, const char *name);
TL_API tl_image *tl_dataset_find_image(const tl_dataset *ds, const char *name);
/* Adds a zeroed region (text = ""); valid until the next add to the same image. */
TL_API tl_region *tl_image_add_region(tl_dataset *ds, tl_image *im);
/* Arena memory that lives as long as the dataset. */
TL_API void *tl_dataset_alloc(tl_dataset *ds, size_t size);
TL_API char *tl_dataset_strdup(tl_dataset *ds, const char *s);
TL_API char *tl_dataset_strndup(tl_dataset *ds, const char *s, size_t n);
TL_API tl_point *tl_dataset_points(tl_dataset *ds, size_t n);
/* Appends every image of src to dst (deep copy into dst's arena). */
TL_API int tl_dataset_merge(tl_dataset *dst, const tl_dataset *src, tl_error *err);

/* Sets a region's geometry; points are copied into the arena. */
TL_API int tl_region_set_points(tl_dataset *ds, tl_region *r, tl_shape shape,
				const tl_point *pts, size_t n);

/* ---- arena (also used internally by modules) ------------------------- */
TL_API tl_arena *tl_arena_new(size_t block_size);
TL_API void tl_arena_free(tl_arena *a);
TL_API void *tl_arena_alloc(tl_arena *a, size_t size); /* 16-byte aligned, zeroed */
TL_API size_t tl_arena_used(const tl_arena *a);

#include "textloc/io.h"
#include "textloc/geom.h"
#include "textloc/formats.h"
#include "textloc/image.h"
#include "textloc/nn.h"
#include "textloc/det.h"
#include "textloc/eval.h"
#include "textloc/draw.h"
#include "textloc/validate.h"
#include "textloc/datasets.h"

#ifdef __cplusplus
}
#endif
#endif
