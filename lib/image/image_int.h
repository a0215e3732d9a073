/* image_int.h — shared between the decoders of lib/image. */
#ifndef TL_IMAGE_INT_H
#define TL_IMAGE_INT_H

#include "tl_internal.h"

/* Effective pixel limit of a decode. */
static inline uint64_t tl_img_max_pixels(const tl_decode_opts *o)
{
	return (o && o->max_pixels) ? o->max_pixels : TL_MAX_PIXELS;
}

/* Refuses w x h (and w*h*channels bytes) before anything is allocated. */
int tl_img_check_size(const char *name, int64_t w, int64_t h, uint64_t max_pixels,
		      tl_error *err);

int tl_png_size_mem(const uint8_t *d, size_t n, const char *name, int *w, int *h, tl_error *err);
int tl_png_decode_mem(const uint8_t *d, size_t n, const char *name, const tl_decode_opts *o,
		      tl_pixmap *out, tl_error *err);
int tl_jpeg_size_mem(const uint8_t *d, size_t n, const char *name, int *w, int *h,
		     int *orientation, tl_error *err);
int tl_jpeg_decode_mem(const uint8_t *d, size_t n, const char *name, const tl_decode_opts *o,
		       tl_pixmap *out, int *orientation, tl_error *err);
/* EXIF orientation (1..8) from a JPEG's APP1 segment; 0 when there is none. */
int tl_jpeg_exif_orientation(const uint8_t *d, size_t n);
int tl_tiff_size_mem(const uint8_t *d, size_t n, const char *name, int page, int *w, int *h,
		     int *pages, tl_error *err);
int tl_tiff_decode_mem(const uint8_t *d, size_t n, const char *name, const tl_decode_opts *o,
		       int page, tl_pixmap *out, int *pages, tl_error *err);

/* Applies an EXIF orientation (2..8) in place of p (new buffer). */
int tl_pixmap_orient(tl_pixmap *p, int orientation, tl_error *err);
/* RGB -> one channel, OpenCV's fixed-point luma. */
int tl_pixmap_to_gray(tl_pixmap *p, tl_error *err);

/* Composites a premultiplied-free alpha over white: v*a + 255*(255-a), /255 rounded. */
static inline uint8_t tl_img_over_white(unsigned v, unsigned a)
{
	return (uint8_t)((v * a + 255u * (255u - a) + 127u) / 255u);
}

#endif
