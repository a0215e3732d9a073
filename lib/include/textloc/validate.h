/* textloc/validate.h — rules that find what a broken annotation set can hide:
 * invalid or counter-clockwise geometry, duplicates, points outside the image,
 * ambiguous don't-care regions, images without annotations and the reverse, and
 * file names the official evaluation will not map.
 *
 * Syntax problems (field counts, bad numbers, encodings, JSON shape) are found by
 * the format readers; read with a tl_diags whose max is 0 to keep them all, then
 * run tl_validate over what was read into the same list.
 *
 * Every diagnostic carries a stable kind (the table below) and the file and line of
 * the region (tl_image.source, tl_region.line) when the reader recorded them.
 *
 * In result files (format rrc, rrc-ltrb) what only costs score is a warning:
 * zero-area, self-intersection and duplicate-region; what the RRC script refuses
 * stays an error.
 *
 *   kind                 sev  what
 *   non-finite           E    a NaN or infinite coordinate
 *   too-few-points       E    fewer than 3 distinct points
 *   zero-area            E    a cared-for region with no area (care regions only)
 *   bad-rect             E    a RECT with right < left or bottom < top
 *   self-intersection    E    two non-adjacent edges of the ring cross or touch
 *   ccw-order            E/W  counter-clockwise on screen after truncation to int (the
 *                             RRC evaluation refuses the whole submission or ground
 *                             truth); E in RRC mode, W otherwise (float winding)
 *   non-integer          W    fractional coordinates where the RRC grammar wants integers
 *   outside-image        W/E  points outside [0,W]x[0,H]; E when the region lies wholly outside
 *   duplicate-region     E    the same geometry twice in one image
 *   near-duplicate       W    two regions of one image with IoU >= 0.9
 *   duplicate-image      E    one image annotated twice (two files or two records)
 *   duplicate-id         E    two regions of one image under the same id (JSON key)
 *   dontcare-mismatch    W    "###" text on a cared-for region, or a don't-care flag on
 *                             a region with a real transcription when the format stores
 *                             both (UFO illegibility, PaddleOCR "###", ...)
 *   dontcare-spaced      W    text like " ###": not don't-care for the RRC scripts
 *   dontcare-overlap     W    a don't-care region covers > 50% of a cared-for region or
 *                             the reverse (scoring becomes ambiguous)
 *   dontcare-degenerate  W    a don't-care region with (almost) no area, or one covering
 *                             most of the image
 *   dontcare-share       W    don't-care area above the threshold share of an image's text
 *   size-mismatch        E    image size in the annotations differs from the image file
 *   missing-image        E    annotated image not found in the images directory
 *   unannotated-image    W    image in the images directory without annotations
 *   unmapped-name        W/E  a file name or zip entry the official evaluation will not
 *                             map: W for ground truth (skipped), E for result files
 *                             (the whole submission is refused)
 *   rrc-confidence       W/E  result lines carry a confidence: W when all do (the
 *                             default ICDAR 2015 run refuses them), E when only some do
 *   bad-text             W    U+FFFD or control characters in a transcription
 *   check-limit          N    a quadratic check stopped at its work budget
 *   no-regions           N    an image without regions (valid: an image without text)
 *   image-size           W    the image header could not be read
 */
#ifndef TEXTLOC_VALIDATE_H
#define TEXTLOC_VALIDATE_H

typedef struct tl_validate_opts {
	/* Directory of the images: sizes come from their headers, and presence is
	 * checked both ways. NULL: sizes from the annotations when they carry them. */
	const char *images_dir;
	/* Warn when don't-care area / all text area of an image exceeds this share.
	 * 0 = default (0.5); a value >= 1 turns the rule off. */
	double dontcare_share;
	/* Share of either region's area that a don't-care/care overlap must exceed
	 * to be reported. 0 = default (0.5, the ICDAR 2015 don't-care rule). */
	double overlap;
	/* RRC rules (winding is an error, integer coordinates, RRC file names):
	 * -1 = decide from the dataset's format (icdar2013/2015, rrc, mlt), 0 off, 1 on. */
	int rrc;
	/* Upper bound on polygon edge-pair tests per image for the overlap and
	 * duplicate rules (hostile input must not hang). 0 = default (1e7). */
	uint64_t work_budget;
	/* The paths the dataset was read from (may be NULL). In RRC mode for result
	 * files, zip archives among them are listed to find the entries the readers
	 * skip (folder entries, __MACOSX/, hidden files): the official evaluation
	 * refuses a submission for any of them. */
	const char *const *inputs;
	size_t ninputs;
} tl_validate_opts;

/* Zero-initialised opts are the defaults except rrc, which this sets to -1. */
TL_API void tl_validate_opts_init(tl_validate_opts *o);

/* Runs every rule over ds and appends to d. o may be NULL (defaults). Returns
 * TL_E_INPUT when any error was added, TL_OK otherwise, or a failure status
 * (TL_E_NOMEM, TL_E_IO for an unreadable images directory) with err filled. */
TL_API int tl_validate(const tl_dataset *ds, const tl_validate_opts *o, tl_diags *d,
		       tl_error *err);

/* Corrects what can be corrected without guessing: QUAD and POLY rings are put in
 * canonical order (clockwise on screen, starting at the smallest x+y, see
 * tl_poly_canonical), and a region whose geometry, text and don't-care flag repeat
 * an earlier region of the same image is dropped. Each change is added to changes
 * as a TL_NOTE of kind "fix-order" or "fix-duplicate" with the region's position.
 * Rings without a clear winding (flat, crossing, over 4096 points) are left as
 * they are: the validate rules report them.
 * *nchanged (may be NULL) receives the number of changes. */
TL_API int tl_validate_fix(tl_dataset *ds, const tl_validate_opts *o, tl_diags *changes,
			   size_t *nchanged, tl_error *err);

/* Area of the intersection of two simple polygons (any winding, convex or not),
 * exact up to floating-point rounding. Self-intersecting input gives an
 * unspecified value. Used by the overlap rules; exported for tests and tools. */
TL_API double tl_validate_inter_area(const tl_point *a, size_t na, const tl_point *b,
				     size_t nb);

#endif
