/* jpeg.c — JPEG decoding with libjpeg(-turbo), EXIF orientation. libjpeg's
 * error_exit longjmps back here with the formatted message; its messages and
 * warnings are never printed. */
#include "image_int.h"

#include <setjmp.h>
#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>

/* A progressive file can hold thousands of tiny scans that each re-walk the whole
 * coefficient buffer: a few KB taking minutes. Real encoders use ~10 scans. */
#define MAX_SCANS 1000
#define MAX_WARNINGS 1000

typedef struct jerr_ctx {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
	char msg[JMSG_LENGTH_MAX];
	int truncated;
	long warnings;
} jerr_ctx;

static void on_exit_(j_common_ptr ci)
{
	jerr_ctx *e = (jerr_ctx *)ci->err;
	e->pub.format_message(ci, e->msg);
	longjmp(e->jb, 1);
}

static void on_emit(j_common_ptr ci, int level)
{
	jerr_ctx *e = (jerr_ctx *)ci->err;
	if (level >= 0)
		return; /* trace messages */
	/* libjpeg fills a truncated file with grey and calls it a warning: for us a
	 * truncated image is an error, since detection on half an image misleads. */
	if (e->pub.msg_code == JWRN_JPEG_EOF) {
		e->truncated = 1;
		snprintf(e->msg, sizeof e->msg, "file is truncated");
		longjmp(e->jb, 1);
	}
	if (++e->warnings > MAX_WARNINGS) {
		snprintf(e->msg, sizeof e->msg, "too many corrupt-data warnings");
		longjmp(e->jb, 1);
	}
}

static void on_output(j_common_ptr ci) { (void)ci; }

static void on_progress(j_common_ptr ci)
{
	j_decompress_ptr d = (j_decompress_ptr)ci;
	jerr_ctx *e = (jerr_ctx *)ci->err;
	if (d->input_scan_number > MAX_SCANS) {
		snprintf(e->msg, sizeof e->msg, "more than %d scans", MAX_SCANS);
		longjmp(e->jb, 1);
	}
}

static unsigned rd16(const uint8_t *p, int le) { return le ? p[0] | p[1] << 8 : p[0] << 8 | p[1]; }
static uint32_t rd32(const uint8_t *p, int le)
{
	return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
		  : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Orientation tag (0x0112) of IFD0 inside a TIFF block t of n bytes. */
static int exif_tiff_orientation(const uint8_t *t, size_t n)
{
	if (n < 8)
		return 0;
	int le;
	if (t[0] == 'I' && t[1] == 'I')
		le = 1;
	else if (t[0] == 'M' && t[1] == 'M')
		le = 0;
	else
		return 0;
	if (rd16(t + 2, le) != 42)
		return 0;
	uint32_t ifd = rd32(t + 4, le);
	if (ifd > n - 2)
		return 0;
	unsigned count = rd16(t + ifd, le);
	for (unsigned i = 0; i < count; i++) {
		size_t e = (size_t)ifd + 2 + (size_t)i * 12;
		if (e + 12 > n)
			return 0;
		if (rd16(t + e, le) == 0x0112 && rd16(t + e + 2, le) == 3) {
			unsigned v = rd16(t + e + 8, le);
			return v >= 1 && v <= 8 ? (int)v : 0;
		}
	}
	return 0;
}

int tl_jpeg_exif_orientation(const uint8_t *d, size_t n)
{
	size_t p = 2; /* after SOI */
	while (p + 4 <= n) {
		if (d[p] != 0xFF)
			return 0;
		uint8_t m = d[p + 1];
		if (m == 0xFF) { /* fill byte */
			p++;
			continue;
		}
		if (m == 0xDA || m == 0xD9) /* start of scan, end of image: no more headers */
			return 0;
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
			p += 2;
			continue;
		}
		size_t len = rd16(d + p + 2, 0);
		if (len < 2 || p + 2 + len > n)
			return 0;
		if (m == 0xE1 && len >= 8 && memcmp(d + p + 4, "Exif\0\0", 6) == 0)
			return exif_tiff_orientation(d + p + 10, len - 8);
		p += 2 + len;
	}
	return 0;
}

typedef struct jdec {
	struct jpeg_decompress_struct ci;
	jerr_ctx e;
	struct jpeg_progress_mgr prog;
} jdec;

static void jdec_init(jdec *j, const uint8_t *d, size_t n)
{
	memset(j, 0, sizeof *j);
	j->ci.err = jpeg_std_error(&j->e.pub);
	j->e.pub.error_exit = on_exit_;
	j->e.pub.emit_message = on_emit;
	j->e.pub.output_message = on_output;
	jpeg_create_decompress(&j->ci);
	j->prog.progress_monitor = on_progress;
	j->ci.progress = &j->prog;
	/* libjpeg-turbo's memory source takes a non-const pointer but never writes. */
	jpeg_mem_src(&j->ci, (unsigned char *)(uintptr_t)d, (unsigned long)n);
}

int tl_jpeg_size_mem(const uint8_t *d, size_t n, const char *name, int *w, int *h,
		     int *orientation, tl_error *err)
{
	jdec *j = malloc(sizeof *j);
	if (!j)
		return tl_error_set(err, TL_E_NOMEM, name, 0, 0, "out of memory");
	jdec_init(j, d, n);
	int rc = TL_OK;
	if (setjmp(j->e.jb)) {
		rc = tl_error_set(err, TL_E_INPUT, name, 0, 0, "corrupt JPEG: %s", j->e.msg);
	} else {
		jpeg_read_header(&j->ci, TRUE);
		*w = (int)j->ci.image_width;
		*h = (int)j->ci.image_height;
		*orientation = tl_jpeg_exif_orientation(d, n);
	}
	jpeg_destroy_decompress(&j->ci);
	free(j);
	return rc;
}

int tl_jpeg_decode_mem(const uint8_t *d, size_t n, const char *name, const tl_decode_opts *o,
		       tl_pixmap *out, int *orientation, tl_error *err)
{
	/* Everything that changes after setjmp lives in heap memory reached through
	 * pointers that do not change, so nothing is clobbered by longjmp. */
	jdec *j = malloc(sizeof *j);
	if (!j)
		return tl_error_set(err, TL_E_NOMEM, name, 0, 0, "out of memory");
	jdec_init(j, d, n);
	memset(out, 0, sizeof *out);
	*orientation = tl_jpeg_exif_orientation(d, n);
	uint8_t *volatile row = NULL;
	volatile int rc = TL_OK;
	if (setjmp(j->e.jb)) {
		if (rc == TL_OK)
			rc = tl_error_set(err, TL_E_INPUT, name, 0, 0, "%s JPEG: %s",
					  j->e.truncated ? "truncated" : "corrupt", j->e.msg);
		goto done;
	}
	jpeg_read_header(&j->ci, TRUE);
	tl_error e2;
	if (tl_img_check_size(name, j->ci.image_width, j->ci.image_height, tl_img_max_pixels(o),
			      &e2) != TL_OK) {
		*err = e2;
		rc = e2.status;
		goto done;
	}
	int cmyk = 0;
	switch (j->ci.jpeg_color_space) {
	case JCS_GRAYSCALE:
		j->ci.out_color_space = JCS_GRAYSCALE;
		break;
	case JCS_CMYK:
	case JCS_YCCK:
		j->ci.out_color_space = JCS_CMYK;
		cmyk = 1;
		break;
	default:
		j->ci.out_color_space = JCS_RGB;
		break;
	}
	jpeg_start_decompress(&j->ci);
	int w = (int)j->ci.output_width, h = (int)j->ci.output_height;
	int nc = j->ci.output_components;
	int oc = nc == 1 ? 1 : 3;
	if (nc != 1 && nc != 3 && nc != 4) {
		rc = tl_error_set(err, TL_E_UNSUPPORTED, name, 0, 0, "JPEG with %d components", nc);
		goto done;
	}
	tl_error e3;
	if (tl_pixmap_alloc(out, w, h, oc, &e3) != TL_OK) {
		*err = e3;
		rc = e3.status;
		goto done;
	}
	row = malloc((size_t)w * (size_t)nc);
	if (!row) {
		rc = tl_error_set(err, TL_E_NOMEM, name, 0, 0, "out of memory");
		goto done;
	}
	/* Adobe's CMYK JPEGs (the only common kind) store inverted inks, so the
	 * stored value already is 255 - ink. */
	int inverted = j->ci.saw_Adobe_marker;
	while (j->ci.output_scanline < j->ci.output_height) {
		int y = (int)j->ci.output_scanline;
		JSAMPROW rp = row;
		if (jpeg_read_scanlines(&j->ci, &rp, 1) != 1) {
			/* The memory source never suspends; no progress means broken data. */
			rc = tl_error_set(err, TL_E_INPUT, name, 0, 0, "corrupt JPEG: no scanline");
			goto done;
		}
		uint8_t *dst = out->data + (size_t)y * (size_t)w * (size_t)oc;
		if (!cmyk) {
			memcpy(dst, row, (size_t)w * (size_t)oc);
			continue;
		}
		for (int x = 0; x < w; x++) {
			const uint8_t *s = row + 4 * x;
			unsigned k = inverted ? s[3] : 255u - s[3];
			for (int c = 0; c < 3; c++) {
				unsigned v = inverted ? s[c] : 255u - s[c];
				dst[3 * x + c] = (uint8_t)((v * k + 127u) / 255u);
			}
		}
	}
	jpeg_finish_decompress(&j->ci);
done:
	if (rc != TL_OK)
		tl_pixmap_free(out);
	jpeg_destroy_decompress(&j->ci);
	free(row);
	free(j);
	return rc;
}
