/* textloc/formats.h — annotation formats: a registry of readers and writers
 * (one file per format under formats/), content probing, and the input expansion
 * shared by every command (files, directories, list files, zip archives). */
#ifndef TEXTLOC_FORMATS_H
#define TEXTLOC_FORMATS_H

typedef struct tl_read_opts {
	int lenient;           /* accept floats, skip whitespace-only lines (RRC strict otherwise) */
	int latin1;            /* decode text as ISO-8859-1 instead of UTF-8 */
	int rect_inclusive;    /* RECT integers are inclusive pixel indices (+1 on max) */
} tl_read_opts;

typedef struct tl_write_opts {
	tl_shape shape;        /* convert every region to this form first; NONE = keep */
	int with_confidence;   /* write confidences where the format has a slot */
	int rect_inclusive;
} tl_write_opts;

enum {
	TL_FMT_PER_IMAGE = 1 << 0,  /* one annotation file per image */
	TL_FMT_NEEDS_SIZE = 1 << 1, /* the writer needs image width/height */
	TL_FMT_NO_TEXT = 1 << 2,    /* the format holds no transcriptions */
	/* Slots the writer has (anything without a slot is reported as lost): */
	TL_FMT_CONFIDENCE = 1 << 3, /* per-region confidence */
	TL_FMT_LANG = 1 << 4,       /* language or script */
	TL_FMT_ORIENT = 1 << 5,     /* orientation label */
	TL_FMT_INT_COORDS = 1 << 6, /* coordinates are written as integers (rounded) */
	TL_FMT_DC_TEXT = 1 << 7,    /* don't-care is spelled as the text "###" */
	TL_FMT_NO_DC = 1 << 8,      /* the format has no don't-care marker at all */
	TL_FMT_READ_ONLY = 1 << 9,  /* no writer */
	TL_FMT_ONE_LINE = 1 << 10,  /* a transcription must fit on one line (no CR/LF) */
	TL_FMT_ANY_EXTRA = 1 << 11, /* keeps the extra fields of any source format */
};
#define TL_SHAPE_BIT(s) (1u << (s))

typedef struct tl_format {
	const char *name;       /* "icdar2015", "rrc", "ufo", "paddleocr", ... */
	const char *summary;
	unsigned flags;         /* TL_FMT_* */
	unsigned shapes;        /* TL_SHAPE_BIT()s the writer can hold as they are */
	/* 0..100: how sure the content (and name) says this format. */
	int (*probe)(const char *name, const char *data, size_t len);
	/* Parses one file (data is NUL-terminated) into ds; per-image formats add one
	 * image. Every problem goes to d with file:line:col; returns TL_E_INPUT if any
	 * error was found (what could be read is kept), other codes for failures. */
	int (*read)(tl_dataset *ds, const char *path, const char *data, size_t len,
		    const tl_read_opts *o, tl_diags *d);
	/* Serialises one image (per-image formats) or the whole dataset (im == NULL). */
	int (*write)(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		     const tl_write_opts *o, tl_diags *d);
	/* Per-image formats: annotation file name for an image name ("img_1.jpg" ->
	 * "gt_img_1.txt") and the image name for an annotation file name. */
	int (*file_for_image)(const char *image, tl_buf *out);
	int (*image_for_file)(const char *file, tl_buf *out);
} tl_format;

TL_API size_t tl_format_count(void);
TL_API const tl_format *tl_format_at(size_t i);
TL_API const tl_format *tl_format_find(const char *name);
/* Best format for this content (then the suffix); NULL if nothing fits. */
TL_API const tl_format *tl_format_probe(const char *name, const char *data, size_t len);

/* Reads one buffer with fmt (NULL: probe) after bringing it to clean UTF-8
 * (BOM, --encoding latin1, invalid bytes reported: see lib/text.h). What readers,
 * fuzzers and tests call instead of fmt->read. */
TL_API int tl_format_read(tl_dataset *ds, const tl_format *fmt, const char *path,
			  const char *data, size_t len, const tl_read_opts *o, tl_diags *d);

/* Makes every region of ds fit fmt before writing: converts shapes the writer cannot
 * hold (o->shape when set, else the nearest form the writer has) and counts each
 * kind of loss (shape, text, confidence, language, orientation, rounding, other
 * fields). One warning diagnostic of kind "lossy" per kind, with its count. */
TL_API int tl_format_prepare(tl_dataset *ds, const tl_format *fmt, const tl_write_opts *o,
			     tl_diags *d, tl_error *err);

/* Reads inputs — files, directories (their files), list files, zip archives — with
 * fmt, or probing each file when fmt is NULL. */
TL_API int tl_read_inputs(tl_dataset *ds, const char *const *paths, size_t n,
			  const tl_format *fmt, const tl_read_opts *o, tl_diags *d, tl_error *err);
/* Writes ds with fmt: per-image formats into directory (or zip if out ends in .zip),
 * others into one file. Atomic; refuses to overwrite without force. */
TL_API int tl_write_output(const tl_dataset *ds, const tl_format *fmt, const char *out,
			   const tl_write_opts *o, int force, tl_diags *d, tl_error *err);

#endif
