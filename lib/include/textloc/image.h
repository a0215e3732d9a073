/* textloc/image.h — decoding PNG, JPEG and TIFF into pixmaps, header-only size
 * probing, OpenCV-exact bilinear resizing, PNG encoding, heatmaps. */
#ifndef TEXTLOC_IMAGE_H
#define TEXTLOC_IMAGE_H

/* Interleaved rows, channels 1 (gray) or 3 (RGB order), stride = width*channels.
 * Decoders always produce 1 or 3 channels; alpha is composited on white.
 * Free with tl_pixmap_free. */
typedef struct tl_pixmap { int width, height, channels; uint8_t *data; } tl_pixmap;

typedef struct tl_decode_opts {
	uint64_t max_pixels;   /* refuse larger images before allocating; 0 = TL_MAX_PIXELS (2^28) */
	int page;              /* TIFF page, 0-based (overridden by a "#k" suffix on the path) */
	int no_exif;           /* 1: ignore the EXIF orientation of JPEG files */
	int gray;              /* 1: convert to one channel (ITU-R 601 luma, like OpenCV) */
} tl_decode_opts;

typedef struct tl_decode_info {
	int exif_orientation;  /* 1..8 as stored (1 = none); 0 when absent */
	int pages;             /* TIFF pages in the file; 1 for PNG/JPEG */
	const char *format;    /* "png", "jpeg", "tiff" (static string) */
	int src_width, src_height; /* as stored, before EXIF rotation */
} tl_decode_info;

/* Width and height read from the file headers only (no pixel data decoded), with
 * the EXIF / TIFF orientation applied (5..8 swap them). TIFF: the first page, or
 * page k of "file.tif#k". */
TL_API int tl_image_size(const char *path, int *w, int *h, tl_error *err);
TL_API int tl_image_size_mem(const void *data, size_t len, const char *name, int *w, int *h,
			     tl_error *err);

/* Decodes a whole image. path "-" = stdin; "file.tif#k" = page k (0-based) when
 * "file.tif#k" itself does not exist (a page other than 0 of a PNG or JPEG is an
 * error). JPEG EXIF and TIFF Orientation tags are applied. o and info may be NULL.
 * Truncated or corrupt data gives TL_E_INPUT, an unknown format TL_E_UNSUPPORTED,
 * too many pixels TL_E_LIMIT (before any pixel memory is allocated). Thread-safe. */
TL_API int tl_image_decode(const char *path, const tl_decode_opts *o, tl_pixmap *out,
			   tl_decode_info *info, tl_error *err);
/* Same from memory; name is only used in error messages (may be NULL). */
TL_API int tl_image_decode_mem(const void *data, size_t len, const char *name,
			       const tl_decode_opts *o, tl_pixmap *out, tl_decode_info *info,
			       tl_error *err);
/* Number of pages of a TIFF (1 for other formats). */
TL_API int tl_image_pages(const char *path, int *pages, tl_error *err);
/* Recognised by its magic bytes: "png", "jpeg", "tiff", or NULL. */
TL_API const char *tl_image_sniff(const void *data, size_t len);
/* True when the file name ends in an image suffix textloc decodes. */
TL_API int tl_image_is_image_name(const char *name);

/* Pixmap helpers. tl_pixmap_alloc zero-fills; on failure p is left empty. */
TL_API int tl_pixmap_alloc(tl_pixmap *p, int width, int height, int channels, tl_error *err);
TL_API void tl_pixmap_free(tl_pixmap *p);
/* Gray -> RGB (or a copy when already RGB). */
TL_API int tl_pixmap_to_rgb(const tl_pixmap *src, tl_pixmap *dst, tl_error *err);

/* OpenCV cv2.resize(..., interpolation=INTER_LINEAR) on uint8, bit-exact: half-pixel
 * centres, 11-bit fixed-point coefficients, the same rounding and border clamping.
 * Any channel count 1..4. dst is allocated. */
TL_API int tl_resize_bilinear(const tl_pixmap *src, int dst_w, int dst_h, tl_pixmap *dst,
			      tl_error *err);

/* PNG encoding (8-bit gray or RGB). tl_png_write is atomic and keeps an existing
 * file unless force; "-" = stdout. */
TL_API int tl_png_write(const char *path, const tl_pixmap *p, int force, tl_error *err);
TL_API int tl_png_encode(const tl_pixmap *p, tl_buf *out, tl_error *err);

/* A float map (w*h, row-major) as an RGB heatmap: values in [lo, hi] go through a
 * dark-blue -> cyan -> yellow -> red colour scale; NaN is black. lo == hi = [0, 1]. */
TL_API int tl_heatmap(const float *map, int w, int h, float lo, float hi, tl_pixmap *out,
		      tl_error *err);

#endif
