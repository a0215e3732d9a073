/* image.c — format dispatch, file access, pixmap helpers. */
#include "image_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *nm(const char *name) { return name ? name : ""; }

int tl_img_check_size(const char *name, int64_t w, int64_t h, uint64_t max_pixels, tl_error *err)
{
	if (w <= 0 || h <= 0)
		return tl_error_set(err, TL_E_INPUT, nm(name), 0, 0,
				    "invalid image size %lldx%lld", (long long)w, (long long)h);
	/* Each side also has to fit an int and the row stride (w*4) must not overflow. */
	if (w > (1 << 28) || h > (1 << 28) || (uint64_t)w * (uint64_t)h > max_pixels)
		return tl_error_set(err, TL_E_LIMIT, nm(name), 0, 0,
				    "image of %lldx%lld pixels exceeds the limit of %llu pixels "
				    "(--max-pixels)", (long long)w, (long long)h,
				    (unsigned long long)max_pixels);
	return TL_OK;
}

const char *tl_image_sniff(const void *data, size_t len)
{
	const uint8_t *d = data;
	if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "png";
	if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return "jpeg";
	if (len >= 4 && ((d[0] == 'I' && d[1] == 'I' && (d[2] == 42 || d[2] == 43) && d[3] == 0) ||
			 (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && (d[3] == 42 || d[3] == 43))))
		return "tiff";
	return NULL;
}

int tl_image_is_image_name(const char *name)
{
	static const char *const sfx[] = { ".png", ".jpg", ".jpeg", ".jpe", ".tif", ".tiff" };
	for (size_t i = 0; i < TL_ARRAY_LEN(sfx); i++)
		if (tl_has_suffix(name, sfx[i]))
			return 1;
	return 0;
}

int tl_pixmap_alloc(tl_pixmap *p, int width, int height, int channels, tl_error *err)
{
	memset(p, 0, sizeof *p);
	if (width <= 0 || height <= 0 || channels < 1 || channels > 4)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "invalid pixmap %dx%dx%d",
				    width, height, channels);
	size_t n = (size_t)width * (size_t)height;
	if (n > SIZE_MAX / 4)
		return tl_error_set(err, TL_E_LIMIT, NULL, 0, 0, "pixmap too large");
	p->data = calloc(n * (size_t)channels, 1);
	if (!p->data)
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0,
				    "out of memory for a %dx%d image", width, height);
	p->width = width;
	p->height = height;
	p->channels = channels;
	return TL_OK;
}

void tl_pixmap_free(tl_pixmap *p)
{
	if (!p)
		return;
	free(p->data);
	memset(p, 0, sizeof *p);
}

int tl_pixmap_to_rgb(const tl_pixmap *src, tl_pixmap *dst, tl_error *err)
{
	if (!src->data || (src->channels != 1 && src->channels != 3 && src->channels != 4))
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "cannot convert a %d-channel pixmap",
				    src->channels);
	TL_TRY(tl_pixmap_alloc(dst, src->width, src->height, 3, err));
	size_t n = (size_t)src->width * (size_t)src->height;
	const uint8_t *s = src->data;
	uint8_t *d = dst->data;
	for (size_t i = 0; i < n; i++, d += 3) {
		if (src->channels == 1) {
			d[0] = d[1] = d[2] = s[i];
		} else {
			const uint8_t *q = s + i * (size_t)src->channels;
			d[0] = q[0], d[1] = q[1], d[2] = q[2];
		}
	}
	return TL_OK;
}

int tl_pixmap_to_gray(tl_pixmap *p, tl_error *err)
{
	if (p->channels == 1)
		return TL_OK;
	if (p->channels != 3)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "cannot make a %d-channel pixmap gray",
				    p->channels);
	size_t n = (size_t)p->width * (size_t)p->height;
	/* Weights 0.299/0.587/0.114 in 14-bit fixed point, rounded as OpenCV's cvtColor. */
	for (size_t i = 0; i < n; i++) {
		const uint8_t *q = p->data + 3 * i;
		p->data[i] = (uint8_t)((q[0] * 4899u + q[1] * 9617u + q[2] * 1868u + 8192u) >> 14);
	}
	uint8_t *shrunk = realloc(p->data, n);
	if (shrunk)
		p->data = shrunk;
	p->channels = 1;
	return TL_OK;
}

int tl_pixmap_orient(tl_pixmap *p, int orientation, tl_error *err)
{
	if (orientation < 2 || orientation > 8)
		return TL_OK;
	int w = p->width, h = p->height, c = p->channels;
	/* 5..8 transpose the image: the stored rows become columns. */
	int swap = orientation >= 5;
	int ow = swap ? h : w, oh = swap ? w : h;
	tl_pixmap o;
	TL_TRY(tl_pixmap_alloc(&o, ow, oh, c, err));
	for (int y = 0; y < oh; y++) {
		for (int x = 0; x < ow; x++) {
			int sx, sy; /* where output (x, y) comes from in the stored image */
			switch (orientation) {
			case 2: sx = w - 1 - x; sy = y; break;          /* mirrored horizontally */
			case 3: sx = w - 1 - x; sy = h - 1 - y; break;  /* rotated 180 */
			case 4: sx = x; sy = h - 1 - y; break;          /* mirrored vertically */
			case 5: sx = y; sy = x; break;                  /* transposed */
			case 6: sx = y; sy = h - 1 - x; break;          /* needs 90 clockwise */
			case 7: sx = w - 1 - y; sy = h - 1 - x; break;  /* transverse */
			default: sx = w - 1 - y; sy = x; break;         /* 8: needs 90 counter-clockwise */
			}
			memcpy(o.data + ((size_t)y * ow + x) * c, p->data + ((size_t)sy * w + sx) * c,
			       (size_t)c);
		}
	}
	free(p->data);
	*p = o;
	return TL_OK;
}

/* "file.tif#3": the page suffix, when the whole string is not itself a file. */
static int split_page(const char *path, char *file, size_t size, int *page)
{
	const char *hash = strrchr(path, '#');
	if (!hash || hash[1] == '\0' || tl_is_file(path))
		return 0;
	char *end;
	errno = 0;
	long k = strtol(hash + 1, &end, 10);
	if (*end || errno || k < 0 || k > 65535 || (size_t)(hash - path) >= size)
		return 0;
	memcpy(file, path, (size_t)(hash - path));
	file[hash - path] = '\0';
	*page = (int)k;
	return 1;
}

/* The file's bytes: mapped for regular files (so header probing touches only the
 * pages it reads), read for stdin and anything unmappable. */
typedef struct img_src { const uint8_t *data; size_t len; void *map; char *heap; } img_src;

static int src_open(const char *path, img_src *s, tl_error *err)
{
	memset(s, 0, sizeof *s);
	if (strcmp(path, "-") != 0) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return tl_error_set(err, TL_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			if (st.st_size == 0) {
				close(fd);
				return tl_error_set(err, TL_E_INPUT, path, 0, 0, "empty file");
			}
			if ((uint64_t)st.st_size > TL_MAX_FILE_BYTES * (uint64_t)2) {
				close(fd);
				return tl_error_set(err, TL_E_LIMIT, path, 0, 0,
						    "file of %lld bytes is too large",
						    (long long)st.st_size);
			}
			void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
			close(fd);
			if (m != MAP_FAILED) {
				s->map = m;
				s->data = m;
				s->len = (size_t)st.st_size;
				return TL_OK;
			}
		} else {
			close(fd);
		}
	}
	size_t n = 0;
	TL_TRY(tl_read_file(path, 0, &s->heap, &n, err));
	s->data = (const uint8_t *)s->heap;
	s->len = n;
	if (n == 0)
		return tl_error_set(err, TL_E_INPUT, path, 0, 0, "empty input");
	return TL_OK;
}

static void src_close(img_src *s)
{
	if (s->map)
		munmap(s->map, s->len);
	free(s->heap);
	memset(s, 0, sizeof *s);
}

static int unknown_format(const char *name, const uint8_t *d, size_t n, tl_error *err)
{
	if (n >= 2 && d[0] == 'B' && d[1] == 'M')
		return tl_error_set(err, TL_E_UNSUPPORTED, nm(name), 0, 0,
				    "BMP images are not supported (PNG, JPEG and TIFF are)");
	if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
		return tl_error_set(err, TL_E_UNSUPPORTED, nm(name), 0, 0,
				    "WebP images are not supported (PNG, JPEG and TIFF are)");
	if (n >= 6 && memcmp(d, "GIF8", 4) == 0)
		return tl_error_set(err, TL_E_UNSUPPORTED, nm(name), 0, 0,
				    "GIF images are not supported (PNG, JPEG and TIFF are)");
	return tl_error_set(err, TL_E_UNSUPPORTED, nm(name), 0, 0,
			    "not a PNG, JPEG or TIFF image");
}

static int size_mem(const void *data, size_t len, const char *name, int page, int *w, int *h,
		    tl_error *err)
{
	const uint8_t *d = data;
	const char *f = tl_image_sniff(d, len);
	if (!f)
		return unknown_format(name, d, len, err);
	if (f[0] == 'p')
		return tl_png_size_mem(d, len, name, w, h, err);
	if (f[0] == 't')
		return tl_tiff_size_mem(d, len, name, page, w, h, NULL, err);
	int orient = 0;
	TL_TRY(tl_jpeg_size_mem(d, len, name, w, h, &orient, err));
	if (orient >= 5) {
		int t = *w;
		*w = *h;
		*h = t;
	}
	return TL_OK;
}

int tl_image_size_mem(const void *data, size_t len, const char *name, int *w, int *h,
		      tl_error *err)
{
	return size_mem(data, len, name, 0, w, h, err);
}

int tl_image_size(const char *path, int *w, int *h, tl_error *err)
{
	char file[4096];
	int page = 0;
	const char *p = split_page(path, file, sizeof file, &page) ? file : path;
	img_src s;
	TL_TRY(src_open(p, &s, err));
	int rc = size_mem(s.data, s.len, path, page, w, h, err);
	src_close(&s);
	return rc;
}

static int decode_mem(const void *data, size_t len, const char *name, const tl_decode_opts *o,
		      int page, tl_pixmap *out, tl_decode_info *info, tl_error *err)
{
	const uint8_t *d = data;
	memset(out, 0, sizeof *out);
	tl_decode_info tmp;
	if (!info)
		info = &tmp;
	memset(info, 0, sizeof *info);
	info->pages = 1;
	const char *f = tl_image_sniff(d, len);
	if (!f)
		return unknown_format(name, d, len, err);
	info->format = f;
	if (page != 0 && f[0] != 't')
		return tl_error_set(err, TL_E_INPUT, nm(name), 0, 0,
				    "no page %d (a %s image has one page)", page, f);
	int rc;
	if (f[0] == 'p') {
		rc = tl_png_decode_mem(d, len, name, o, out, err);
	} else if (f[0] == 't') {
		rc = tl_tiff_decode_mem(d, len, name, o, page, out, &info->pages, err);
	} else {
		int orient = 0;
		rc = tl_jpeg_decode_mem(d, len, name, o, out, &orient, err);
		info->exif_orientation = orient;
		if (rc == TL_OK) {
			info->src_width = out->width;
			info->src_height = out->height;
			if (!(o && o->no_exif))
				rc = tl_pixmap_orient(out, orient, err);
		}
	}
	if (rc == TL_OK && !info->src_width) {
		info->src_width = out->width;
		info->src_height = out->height;
	}
	if (rc == TL_OK && o && o->gray)
		rc = tl_pixmap_to_gray(out, err);
	if (rc != TL_OK)
		tl_pixmap_free(out);
	return rc;
}

int tl_image_decode_mem(const void *data, size_t len, const char *name, const tl_decode_opts *o,
			tl_pixmap *out, tl_decode_info *info, tl_error *err)
{
	return decode_mem(data, len, name, o, o ? o->page : 0, out, info, err);
}

int tl_image_decode(const char *path, const tl_decode_opts *o, tl_pixmap *out,
		    tl_decode_info *info, tl_error *err)
{
	char file[4096];
	int page = o ? o->page : 0;
	const char *p = split_page(path, file, sizeof file, &page) ? file : path;
	img_src s;
	memset(out, 0, sizeof *out);
	TL_TRY(src_open(p, &s, err));
	int rc = decode_mem(s.data, s.len, path, o, page, out, info, err);
	src_close(&s);
	return rc;
}

int tl_image_pages(const char *path, int *pages, tl_error *err)
{
	img_src s;
	*pages = 1;
	TL_TRY(src_open(path, &s, err));
	int rc = TL_OK;
	const char *f = tl_image_sniff(s.data, s.len);
	if (!f) {
		rc = unknown_format(path, s.data, s.len, err);
	} else if (f[0] == 't') {
		int w, h;
		rc = tl_tiff_size_mem(s.data, s.len, path, 0, &w, &h, pages, err);
	}
	src_close(&s);
	return rc;
}
