/* png.c — PNG decoding and encoding with libpng. libpng reports errors through
 * callbacks: they copy the message into our tl_error and longjmp back, so the
 * library never prints. */
#include "image_int.h"

#include <png.h>
#include <setjmp.h>

typedef struct png_ctx {
	const uint8_t *data;
	size_t len, pos;
	char msg[256];
} png_ctx;

static void on_error(png_structp png, png_const_charp msg)
{
	png_ctx *c = png_get_error_ptr(png);
	snprintf(c->msg, sizeof c->msg, "%s", msg);
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg; /* warnings (bad ancillary chunks, sRGB profiles) never stop a decode */
}

static void on_read(png_structp png, png_bytep out, size_t n)
{
	png_ctx *c = png_get_io_ptr(png);
	if (n > c->len - c->pos)
		png_error(png, "file is truncated");
	memcpy(out, c->data + c->pos, n);
	c->pos += n;
}

int tl_png_size_mem(const uint8_t *d, size_t n, const char *name, int *w, int *h, tl_error *err)
{
	/* Signature, IHDR length and type, then width and height big-endian. */
	if (n < 24 || memcmp(d + 12, "IHDR", 4) != 0)
		return tl_error_set(err, TL_E_INPUT, name, 0, 0, "PNG without an IHDR header");
	uint32_t ww = (uint32_t)d[16] << 24 | (uint32_t)d[17] << 16 | (uint32_t)d[18] << 8 | d[19];
	uint32_t hh = (uint32_t)d[20] << 24 | (uint32_t)d[21] << 16 | (uint32_t)d[22] << 8 | d[23];
	if (ww == 0 || hh == 0 || ww > 0x7fffffff || hh > 0x7fffffff)
		return tl_error_set(err, TL_E_INPUT, name, 0, 0, "PNG with invalid size %ux%u",
				    (unsigned)ww, (unsigned)hh);
	*w = (int)ww;
	*h = (int)hh;
	return TL_OK;
}

int tl_png_decode_mem(const uint8_t *d, size_t n, const char *name, const tl_decode_opts *o,
		      tl_pixmap *out, tl_error *err)
{
	png_ctx c = { d, n, 0, "" };
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &c, on_error, on_warning);
	if (!png)
		return tl_error_set(err, TL_E_NOMEM, name, 0, 0, "out of memory");
	png_infop info = png_create_info_struct(png);
	/* volatile: assigned between setjmp and a possible longjmp. */
	uint8_t *volatile rgba = NULL;
	png_bytep *volatile rows = NULL;
	volatile int rc = TL_OK;
	memset(out, 0, sizeof *out);
	if (!info) {
		png_destroy_read_struct(&png, NULL, NULL);
		return tl_error_set(err, TL_E_NOMEM, name, 0, 0, "out of memory");
	}
	if (setjmp(png_jmpbuf(png))) {
		if (rc == TL_OK)
			rc = tl_error_set(err, TL_E_INPUT, name, 0, 0, "corrupt PNG: %s", c.msg);
		goto done;
	}
	png_set_read_fn(png, &c, on_read);
	/* Ancillary chunks (text, ICC) may be huge in hostile files: cap them. */
	png_set_chunk_malloc_max(png, 16u << 20);
	png_read_info(png, info);
	png_uint_32 w, h;
	int depth, ctype, interlace;
	png_get_IHDR(png, info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
	tl_error e2;
	if (tl_img_check_size(name, w, h, tl_img_max_pixels(o), &e2) != TL_OK) {
		*err = e2;
		rc = e2.status;
		goto done;
	}
	/* Everything to 8-bit gray/gray+alpha/RGB/RGBA. 16-bit keeps the high byte, as
	 * OpenCV's imread does, so pixels agree with the reference pipeline. */
	if (depth == 16)
		png_set_strip_16(png);
	if (ctype == PNG_COLOR_TYPE_PALETTE)
		png_set_palette_to_rgb(png);
	if (ctype == PNG_COLOR_TYPE_GRAY && depth < 8)
		png_set_expand_gray_1_2_4_to_8(png);
	if (png_get_valid(png, info, PNG_INFO_tRNS))
		png_set_tRNS_to_alpha(png);
	if (interlace != PNG_INTERLACE_NONE)
		png_set_interlace_handling(png);
	png_read_update_info(png, info);
	int ch = png_get_channels(png, info);
	size_t rowbytes = png_get_rowbytes(png, info);
	if (ch < 1 || ch > 4 || rowbytes != (size_t)w * (size_t)ch) {
		rc = tl_error_set(err, TL_E_UNSUPPORTED, name, 0, 0, "unsupported PNG layout");
		goto done;
	}
	rgba = malloc((size_t)h * rowbytes);
	rows = malloc((size_t)h * sizeof *rows);
	if (!rgba || !rows) {
		rc = tl_error_set(err, TL_E_NOMEM, name, 0, 0, "out of memory for a %ux%u image",
				  (unsigned)w, (unsigned)h);
		goto done;
	}
	for (png_uint_32 y = 0; y < h; y++)
		rows[y] = rgba + (size_t)y * rowbytes;
	png_read_image(png, rows);
	png_read_end(png, NULL);

	/* Gray stays one channel; alpha is composited on white. */
	int oc = ch <= 2 ? 1 : 3;
	if (ch == oc) {
		out->data = rgba;
		rgba = NULL;
	} else {
		uint8_t *o8 = malloc((size_t)w * h * oc);
		if (!o8) {
			rc = tl_error_set(err, TL_E_NOMEM, name, 0, 0, "out of memory");
			goto done;
		}
		size_t np = (size_t)w * h;
		for (size_t i = 0; i < np; i++) {
			const uint8_t *s = rgba + i * ch;
			unsigned a = s[ch - 1];
			for (int k = 0; k < oc; k++)
				o8[i * oc + k] = tl_img_over_white(s[k], a);
		}
		out->data = o8;
	}
	out->width = (int)w;
	out->height = (int)h;
	out->channels = oc;
done:
	png_destroy_read_struct(&png, &info, NULL);
	free(rgba);
	free(rows);
	return rc;
}

static void on_write(png_structp png, png_bytep data, size_t n)
{
	tl_buf *b = png_get_io_ptr(png);
	if (tl_buf_append(b, data, n) != TL_OK)
		png_error(png, "out of memory");
}

static void on_flush(png_structp png) { (void)png; }

int tl_png_encode(const tl_pixmap *p, tl_buf *out, tl_error *err)
{
	if (!p || !p->data || p->width <= 0 || p->height <= 0 || p->channels < 1 || p->channels > 4)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "invalid pixmap to encode");
	png_ctx c = { NULL, 0, 0, "" };
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &c, on_error, on_warning);
	if (!png)
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	png_infop info = png_create_info_struct(png);
	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return tl_error_set(err, TL_E_IO, NULL, 0, 0, "cannot encode PNG: %s", c.msg);
	}
	static const int types[] = { PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
				      PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA };
	png_set_write_fn(png, out, on_write, on_flush);
	/* Overlays are mostly photographs, which barely compress: on a 1280x720 ICDAR
	 * image zlib level 1 with the Paeth filter alone takes ~48 ms and 1.33 MB where
	 * libpng's defaults (level 6, adaptive filters) take ~250 ms for 1.31 MB. */
	png_set_compression_level(png, 1);
	png_set_filter(png, 0, PNG_FILTER_PAETH);
	png_set_IHDR(png, info, (png_uint_32)p->width, (png_uint_32)p->height, 8,
		     types[p->channels - 1], PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	size_t stride = (size_t)p->width * (size_t)p->channels;
	for (int y = 0; y < p->height; y++)
		png_write_row(png, p->data + (size_t)y * stride);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return TL_OK;
}

int tl_png_write(const char *path, const tl_pixmap *p, int force, tl_error *err)
{
	tl_buf b = TL_BUF_INIT;
	int rc = tl_png_encode(p, &b, err);
	if (rc == TL_OK)
		rc = tl_write_file_atomic(path, b.data, b.len, force, err);
	else
		snprintf(err->file, sizeof err->file, "%s", path);
	tl_buf_free(&b);
	return rc;
}
