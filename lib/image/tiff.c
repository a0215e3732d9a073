/* tiff.c — TIFF decoding with libtiff from memory. Errors and warnings go to
 * per-handle callbacks (libtiff >= 4.5 open options) that keep the first error
 * message, so nothing is printed and threads do not share state. Pixels come
 * through TIFFRGBAImage, which covers strips and tiles, bilevel CCITT, palette,
 * 8/16-bit, separate planes, YCbCr/JPEG and CMYK, a band of rows at a time. */
#include "image_int.h"

#include <stdio.h>
#include <tiffio.h>

typedef struct tmem {
	const uint8_t *data;
	uint64_t len, pos;
	char msg[512];
	int nerr;
} tmem;

static tmsize_t t_read(thandle_t h, void *buf, tmsize_t n)
{
	tmem *m = (tmem *)h;
	if (n < 0)
		return -1;
	uint64_t left = m->pos < m->len ? m->len - m->pos : 0;
	uint64_t k = (uint64_t)n < left ? (uint64_t)n : left;
	memcpy(buf, m->data + m->pos, (size_t)k);
	m->pos += k;
	return (tmsize_t)k;
}

static tmsize_t t_write(thandle_t h, void *buf, tmsize_t n)
{
	(void)h, (void)buf, (void)n;
	return -1;
}

static toff_t t_seek(thandle_t h, toff_t off, int whence)
{
	tmem *m = (tmem *)h;
	uint64_t base = whence == SEEK_CUR ? m->pos : whence == SEEK_END ? m->len : 0;
	if (off > UINT64_MAX - base)
		return (toff_t)-1;
	m->pos = base + off;
	return m->pos;
}

static int t_close(thandle_t h) { (void)h; return 0; }
static toff_t t_size(thandle_t h) { return ((tmem *)h)->len; }

static int t_map(thandle_t h, void **base, toff_t *size)
{
	tmem *m = (tmem *)h;
	*base = (void *)(uintptr_t)m->data; /* opened read-only: libtiff never writes */
	*size = m->len;
	return 1;
}

static void t_unmap(thandle_t h, void *base, toff_t size) { (void)h, (void)base, (void)size; }

static int t_error(TIFF *tif, void *ud, const char *module, const char *fmt, va_list ap)
{
	(void)tif, (void)module;
	tmem *m = ud;
	if (m->nerr++ == 0)
		vsnprintf(m->msg, sizeof m->msg, fmt, ap);
	return 1; /* handled: the global handler (which prints) is not called */
}

static int t_warning(TIFF *tif, void *ud, const char *module, const char *fmt, va_list ap)
{
	(void)tif, (void)ud, (void)module, (void)fmt, (void)ap;
	return 1;
}

static TIFF *t_open(tmem *m, const char *name, tl_error *err)
{
	TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
	if (!opts) {
		tl_error_set(err, TL_E_NOMEM, name, 0, 0, "out of memory");
		return NULL;
	}
	TIFFOpenOptionsSetErrorHandlerExtR(opts, t_error, m);
	TIFFOpenOptionsSetWarningHandlerExtR(opts, t_warning, m);
	/* One allocation inside libtiff (a strip, a tile, a colour map) stays bounded
	 * whatever the header claims. */
	TIFFOpenOptionsSetMaxSingleMemAlloc(opts, (tmsize_t)256 << 20);
	TIFF *t = TIFFClientOpenExt(name && *name ? name : "tiff", "rm", (thandle_t)m, t_read,
				    t_write, t_seek, t_close, t_size, t_map, t_unmap, opts);
	TIFFOpenOptionsFree(opts);
	if (!t)
		tl_error_set(err, TL_E_INPUT, name, 0, 0, "corrupt TIFF: %s",
			     m->msg[0] ? m->msg : "cannot read the header");
	return t;
}

static int count_pages(TIFF *t)
{
	/* TIFFNumberOfDirectories guards against IFD loops; cap it anyway. */
	tdir_t n = TIFFNumberOfDirectories(t);
	return n > 65535 ? 65535 : (int)n;
}

static int set_page(TIFF *t, tmem *m, const char *name, int page, int pages, tl_error *err)
{
	if (page < 0 || page >= pages)
		return tl_error_set(err, TL_E_INPUT, name, 0, 0, "no page %d (the TIFF has %d page%s)",
				    page, pages, pages == 1 ? "" : "s");
	if (page > 0 && !TIFFSetDirectory(t, (tdir_t)page))
		return tl_error_set(err, TL_E_INPUT, name, 0, 0, "cannot read page %d: %s", page,
				    m->msg[0] ? m->msg : "bad directory");
	return TL_OK;
}

int tl_tiff_size_mem(const uint8_t *d, size_t n, const char *name, int page, int *w, int *h,
		     int *pages, tl_error *err)
{
	tmem m = { d, n, 0, "", 0 };
	TIFF *t = t_open(&m, name, err);
	if (!t)
		return err ? err->status : TL_E_INPUT;
	int np = count_pages(t);
	if (pages)
		*pages = np;
	int rc = set_page(t, &m, name, page, np, err);
	uint32_t ww = 0, hh = 0;
	if (rc == TL_OK && (!TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &ww) ||
			    !TIFFGetField(t, TIFFTAG_IMAGELENGTH, &hh) || ww == 0 || hh == 0 ||
			    ww > 0x7fffffff || hh > 0x7fffffff))
		rc = tl_error_set(err, TL_E_INPUT, name, 0, 0, "TIFF without a valid image size");
	if (rc == TL_OK) {
		/* Orientations 5..8 transpose the image, as the decoder applies them. */
		uint16_t ori = ORIENTATION_TOPLEFT;
		TIFFGetFieldDefaulted(t, TIFFTAG_ORIENTATION, &ori);
		int swap = ori >= ORIENTATION_LEFTTOP && ori <= ORIENTATION_LEFTBOT;
		*w = (int)(swap ? hh : ww);
		*h = (int)(swap ? ww : hh);
	}
	TIFFClose(t);
	return rc;
}

int tl_tiff_decode_mem(const uint8_t *d, size_t n, const char *name, const tl_decode_opts *o,
		       int page, tl_pixmap *out, int *pages, tl_error *err)
{
	tmem m = { d, n, 0, "", 0 };
	memset(out, 0, sizeof *out);
	TIFF *t = t_open(&m, name, err);
	if (!t)
		return err ? err->status : TL_E_INPUT;
	int np = count_pages(t);
	*pages = np;
	int rc = set_page(t, &m, name, page, np, err);
	uint32_t *band = NULL;
	TIFFRGBAImage img;
	int img_ok = 0;
	if (rc != TL_OK)
		goto done;
	uint32_t w = 0, h = 0;
	TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
	if ((rc = tl_img_check_size(name, w, h, tl_img_max_pixels(o), err)) != TL_OK)
		goto done;
	char emsg[1024] = "";
	if (!TIFFRGBAImageOK(t, emsg)) {
		rc = tl_error_set(err, TL_E_UNSUPPORTED, name, 0, 0, "unsupported TIFF: %s", emsg);
		goto done;
	}
	if (!TIFFRGBAImageBegin(&img, t, 0, emsg)) {
		rc = tl_error_set(err, TL_E_INPUT, name, 0, 0, "corrupt TIFF: %s",
				  emsg[0] ? emsg : m.msg);
		goto done;
	}
	img_ok = 1;
	/* Rows come out as stored (asking for the file's own orientation means no
	 * flip); the Orientation tag, whose values mean what EXIF's do, is applied
	 * afterwards by tl_pixmap_orient, since libtiff flips but never transposes. */
	int orient = img.orientation >= 1 && img.orientation <= 8 ? img.orientation : 1;
	img.req_orientation = (uint16_t)orient;
	uint32_t ow = img.width, oh = img.height;
	if ((rc = tl_img_check_size(name, ow, oh, tl_img_max_pixels(o), err)) != TL_OK)
		goto done;
	uint16_t photo = PHOTOMETRIC_RGB, spp = 1;
	TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photo);
	int gray = (photo == PHOTOMETRIC_MINISBLACK || photo == PHOTOMETRIC_MINISWHITE) && spp <= 2;
	int oc = gray ? 1 : 3;
	if ((rc = tl_pixmap_alloc(out, (int)ow, (int)oh, oc, err)) != TL_OK)
		goto done;
	/* A band of rows at a time keeps the 4-byte RGBA raster small. */
	uint32_t bandh = (uint32_t)((1u << 22) / ow);
	if (bandh < 1)
		bandh = 1;
	if (bandh > oh)
		bandh = oh;
	band = malloc((size_t)ow * bandh * sizeof *band);
	if (!band) {
		rc = tl_error_set(err, TL_E_NOMEM, name, 0, 0, "out of memory");
		goto done;
	}
	for (uint32_t y0 = 0; y0 < oh; y0 += bandh) {
		uint32_t rows = oh - y0 < bandh ? oh - y0 : bandh;
		img.row_offset = (int)y0;
		img.col_offset = 0;
		memset(band, 0xff, (size_t)ow * rows * sizeof *band);
		if (!TIFFRGBAImageGet(&img, band, ow, rows) || m.nerr) {
			rc = tl_error_set(err, TL_E_INPUT, name, 0, 0, "corrupt TIFF: %s",
					  m.msg[0] ? m.msg : "cannot decode the pixels");
			goto done;
		}
		for (uint32_t r = 0; r < rows; r++) {
			const uint32_t *s = band + (size_t)r * ow;
			uint8_t *dst = out->data + ((size_t)(y0 + r) * ow) * (size_t)oc;
			for (uint32_t x = 0; x < ow; x++) {
				uint32_t px = s[x];
				unsigned a = TIFFGetA(px);
				/* TIFFRGBAImage hands out premultiplied colour for associated
				 * alpha and for unassociated it multiplies too: compositing on
				 * white is then c + (255 - a). */
				unsigned cr = TIFFGetR(px) + (255u - a);
				unsigned cg = TIFFGetG(px) + (255u - a);
				unsigned cb = TIFFGetB(px) + (255u - a);
				if (gray) {
					dst[x] = (uint8_t)(cr > 255 ? 255 : cr);
				} else {
					dst[3 * x] = (uint8_t)(cr > 255 ? 255 : cr);
					dst[3 * x + 1] = (uint8_t)(cg > 255 ? 255 : cg);
					dst[3 * x + 2] = (uint8_t)(cb > 255 ? 255 : cb);
				}
			}
		}
	}
	rc = tl_pixmap_orient(out, orient, err);
done:
	if (img_ok)
		TIFFRGBAImageEnd(&img);
	free(band);
	TIFFClose(t);
	if (rc != TL_OK)
		tl_pixmap_free(out);
	return rc;
}
