/* test_image.c — decoding every image form the issue lists from files this test
 * writes itself with libpng, libjpeg and libtiff; sizes from headers; limits and
 * corrupt input; PNG encoding; heatmaps. Resize is in test_image_resize.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tl_internal.h"
#include "image/image_int.h"

#include <png.h>
#include <jpeglib.h>
#include <tiffio.h>

static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tl_test_image_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *tpath(const char *name)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) & 3;
	snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
	return buf[k];
}

/* The lossless test pattern. */
static uint8_t pat(int x, int y, int c) { return (uint8_t)(x * 31 + y * 17 + c * 80); }

static void decode_ok(const char *path, tl_pixmap *p, tl_decode_info *info)
{
	tl_error e;
	memset(&e, 0, sizeof e);
	int rc = tl_image_decode(path, NULL, p, info, &e);
	if (rc != TL_OK)
		fail_msg("%s: %s", path, e.msg);
}

/* ---- PNG -------------------------------------------------------------- */

/* Writes a PNG whose samples are given as 16-bit values (the low byte is used for
 * depth <= 8; sub-byte depths are packed by libpng from one sample per byte). */
static void write_png(const char *path, int w, int h, int depth, int ctype, int interlace,
		      const png_color *pal, int npal, const uint8_t *trns, int ntrns,
		      unsigned (*sample)(int x, int y, int c))
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	assert_int_equal(setjmp(png_jmpbuf(png)), 0);
	png_init_io(png, f);
	png_set_IHDR(png, info, w, h, depth, ctype, interlace, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	if (pal)
		png_set_PLTE(png, info, pal, npal);
	if (trns)
		png_set_tRNS(png, info, trns, ntrns, NULL);
	png_write_info(png, info);
	if (depth < 8)
		png_set_packing(png);
	int ch = ctype == PNG_COLOR_TYPE_GRAY || ctype == PNG_COLOR_TYPE_PALETTE ? 1
		 : ctype == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : ctype == PNG_COLOR_TYPE_RGB ? 3 : 4;
	int bps = depth == 16 ? 2 : 1;
	uint8_t *img = malloc((size_t)w * h * ch * bps);
	png_bytep *rows = malloc(sizeof *rows * h);
	for (int y = 0; y < h; y++) {
		rows[y] = img + (size_t)y * w * ch * bps;
		for (int x = 0; x < w; x++)
			for (int c = 0; c < ch; c++) {
				unsigned v = sample(x, y, c);
				uint8_t *q = rows[y] + ((size_t)x * ch + c) * bps;
				if (bps == 2)
					q[0] = (uint8_t)(v >> 8), q[1] = (uint8_t)v;
				else
					q[0] = (uint8_t)v;
			}
	}
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	fclose(f);
	free(img);
	free(rows);
}

static unsigned s_pat8(int x, int y, int c) { return pat(x, y, c); }
static unsigned s_pat16(int x, int y, int c) { return pat(x, y, c) * 256u + 0x7Fu; }
static unsigned s_idx(int x, int y, int c) { (void)c; return (unsigned)(x + y) % 4; }
static int g_depth;
static unsigned s_lowbits(int x, int y, int c) { (void)c; return (unsigned)(x * 3 + y) % (1u << g_depth); }
static unsigned s_ga(int x, int y, int c) { (void)y; return c == 0 ? 100u : (unsigned)(x * 85 % 256); }
static unsigned s_rgba(int x, int y, int c) { return c < 3 ? pat(x, y, c) : (x == 0 ? 0u : x == 1 ? 255u : 128u); }

static void test_png_gray_depths(void **state)
{
	(void)state;
	for (int d = 1; d <= 8; d *= 2) {
		g_depth = d;
		write_png(tpath("g.png"), 13, 5, d, PNG_COLOR_TYPE_GRAY, 0, NULL, 0, NULL, 0, s_lowbits);
		tl_pixmap p;
		tl_decode_info in;
		decode_ok(tpath("g.png"), &p, &in);
		assert_string_equal(in.format, "png");
		assert_int_equal(p.channels, 1);
		assert_int_equal(p.width, 13);
		assert_int_equal(p.height, 5);
		for (int y = 0; y < 5; y++)
			for (int x = 0; x < 13; x++) {
				unsigned v = (unsigned)(x * 3 + y) % (1u << d);
				/* libpng scales a d-bit sample to 8 bits by bit replication:
				 * v * 255 / (2^d - 1) exactly. */
				unsigned want = v * 255u / ((1u << d) - 1u);
				assert_int_equal(p.data[y * 13 + x], want);
			}
		tl_pixmap_free(&p);
	}
	/* 16-bit gray: the high byte, as OpenCV's imread. */
	write_png(tpath("g16.png"), 7, 3, 16, PNG_COLOR_TYPE_GRAY, 0, NULL, 0, NULL, 0, s_pat16);
	tl_pixmap p;
	decode_ok(tpath("g16.png"), &p, NULL);
	assert_int_equal(p.channels, 1);
	assert_int_equal(p.data[2 * 7 + 5], pat(5, 2, 0));
	tl_pixmap_free(&p);
}

static void test_png_color_forms(void **state)
{
	(void)state;
	tl_pixmap p;
	/* RGB 8 and 16 bit, also interlaced. */
	for (int k = 0; k < 3; k++) {
		int depth = k == 1 ? 16 : 8;
		write_png(tpath("c.png"), 11, 9, depth, PNG_COLOR_TYPE_RGB,
			  k == 2 ? PNG_INTERLACE_ADAM7 : 0, NULL, 0, NULL, 0,
			  depth == 16 ? s_pat16 : s_pat8);
		decode_ok(tpath("c.png"), &p, NULL);
		assert_int_equal(p.channels, 3);
		for (int y = 0; y < 9; y++)
			for (int x = 0; x < 11; x++)
				for (int c = 0; c < 3; c++)
					assert_int_equal(p.data[(y * 11 + x) * 3 + c], pat(x, y, c));
		tl_pixmap_free(&p);
	}
	/* Palette with a transparent entry: index 3 is fully transparent -> white. */
	png_color pal[4] = { { 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 }, { 10, 20, 30 } };
	uint8_t trns[4] = { 255, 255, 255, 0 };
	write_png(tpath("p.png"), 6, 4, 8, PNG_COLOR_TYPE_PALETTE, 0, pal, 4, trns, 4, s_idx);
	decode_ok(tpath("p.png"), &p, NULL);
	assert_int_equal(p.channels, 3);
	assert_memory_equal(p.data + (0 * 6 + 1) * 3, "\x00\xff\x00", 3);   /* index 1 */
	assert_memory_equal(p.data + (1 * 6 + 1) * 3, "\x00\x00\xff", 3);   /* index 2 */
	assert_memory_equal(p.data + (1 * 6 + 2) * 3, "\xff\xff\xff", 3);   /* index 3, transparent */
	tl_pixmap_free(&p);
	/* Palette without alpha, 2-bit indices. */
	write_png(tpath("p2.png"), 6, 4, 2, PNG_COLOR_TYPE_PALETTE, 0, pal, 4, NULL, 0, s_idx);
	decode_ok(tpath("p2.png"), &p, NULL);
	assert_memory_equal(p.data + (1 * 6 + 2) * 3, "\x0a\x14\x1e", 3);
	tl_pixmap_free(&p);
	/* Gray + alpha composited on white: 100 at alpha x*85. */
	write_png(tpath("ga.png"), 4, 2, 8, PNG_COLOR_TYPE_GRAY_ALPHA, 0, NULL, 0, NULL, 0, s_ga);
	decode_ok(tpath("ga.png"), &p, NULL);
	assert_int_equal(p.channels, 1);
	for (int x = 0; x < 4; x++) {
		unsigned a = (unsigned)(x * 85);
		assert_int_equal(p.data[4 + x], (100 * a + 255 * (255 - a) + 127) / 255);
	}
	assert_int_equal(p.data[0], 255);
	assert_int_equal(p.data[3], 100);
	tl_pixmap_free(&p);
	/* RGBA: alpha 0 -> white, 255 -> colour, 128 -> halfway. */
	write_png(tpath("rgba.png"), 3, 2, 8, PNG_COLOR_TYPE_RGB_ALPHA, 0, NULL, 0, NULL, 0, s_rgba);
	decode_ok(tpath("rgba.png"), &p, NULL);
	assert_int_equal(p.channels, 3);
	assert_memory_equal(p.data, "\xff\xff\xff", 3);
	assert_int_equal(p.data[3], pat(1, 0, 0));
	assert_int_equal(p.data[6 + 1], (pat(2, 0, 1) * 128u + 255u * 127u + 127u) / 255u);
	tl_pixmap_free(&p);
}

/* ---- JPEG ------------------------------------------------------------- */

typedef struct jpg_spec {
	int w, h, comps;
	J_COLOR_SPACE in, out;
	int progressive;
	int orientation; /* EXIF, 0 = no APP1 */
	uint8_t (*sample)(int x, int y, int c);
} jpg_spec;

static uint8_t j_flat(int x, int y, int c) { (void)x, (void)y; return (uint8_t)(60 + 50 * c); }
/* Two 8x8 blocks: left red-ish, right blue-ish. */
static uint8_t j_halves(int x, int y, int c)
{
	(void)y;
	static const uint8_t l[3] = { 200, 40, 40 }, r[3] = { 40, 40, 200 };
	return x < 8 ? l[c] : r[c];
}
static uint8_t j_cmyk(int x, int y, int c) { (void)x, (void)y; return c < 3 ? (uint8_t)(100 + 50 * c) : 200; }

static void write_jpeg(const char *path, const jpg_spec *s)
{
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr jerr;
	ci.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&ci);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	jpeg_stdio_dest(&ci, f);
	ci.image_width = (JDIMENSION)s->w;
	ci.image_height = (JDIMENSION)s->h;
	ci.input_components = s->comps;
	ci.in_color_space = s->in;
	jpeg_set_defaults(&ci);
	jpeg_set_colorspace(&ci, s->out);
	jpeg_set_quality(&ci, 95, TRUE);
	if (s->progressive)
		jpeg_simple_progression(&ci);
	jpeg_start_compress(&ci, TRUE);
	if (s->orientation) {
		/* A minimal big-endian EXIF block: IFD0 with the Orientation tag alone. */
		uint8_t ex[] = { 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1,
				 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (uint8_t)s->orientation, 0, 0,
				 0, 0, 0, 0 };
		jpeg_write_marker(&ci, JPEG_APP0 + 1, ex, sizeof ex);
	}
	uint8_t *row = malloc((size_t)s->w * s->comps);
	while (ci.next_scanline < ci.image_height) {
		int y = (int)ci.next_scanline;
		for (int x = 0; x < s->w; x++)
			for (int c = 0; c < s->comps; c++)
				row[x * s->comps + c] = s->sample(x, y, c);
		JSAMPROW rp = row;
		jpeg_write_scanlines(&ci, &rp, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	fclose(f);
	free(row);
}

static void assert_near(int got, int want, int tol)
{
	if (got < want - tol || got > want + tol)
		fail_msg("pixel %d, expected %d +- %d", got, want, tol);
}

static void test_jpeg_forms(void **state)
{
	(void)state;
	tl_pixmap p;
	tl_decode_info in;
	/* Baseline and progressive RGB (YCbCr inside), flat colour: lossless enough. */
	for (int prog = 0; prog < 2; prog++) {
		jpg_spec s = { 24, 16, 3, JCS_RGB, JCS_YCbCr, prog, 0, j_flat };
		write_jpeg(tpath("a.jpg"), &s);
		decode_ok(tpath("a.jpg"), &p, &in);
		assert_string_equal(in.format, "jpeg");
		assert_int_equal(in.exif_orientation, 0);
		assert_int_equal(p.channels, 3);
		assert_int_equal(p.width, 24);
		for (int i = 0; i < 24 * 16; i++)
			for (int c = 0; c < 3; c++)
				assert_near(p.data[i * 3 + c], 60 + 50 * c, 2);
		tl_pixmap_free(&p);
	}
	/* Grayscale. */
	jpg_spec g = { 9, 7, 1, JCS_GRAYSCALE, JCS_GRAYSCALE, 0, 0, j_flat };
	write_jpeg(tpath("g.jpg"), &g);
	decode_ok(tpath("g.jpg"), &p, NULL);
	assert_int_equal(p.channels, 1);
	assert_near(p.data[5 * 9 + 4], 60, 1);
	tl_pixmap_free(&p);
	/* CMYK and YCCK with an Adobe marker: stored values are inverted inks, so
	 * R = C * K / 255 with C = 100, K = 200. */
	J_COLOR_SPACE outs[2] = { JCS_CMYK, JCS_YCCK };
	for (int k = 0; k < 2; k++) {
		jpg_spec s = { 16, 16, 4, JCS_CMYK, outs[k], 0, 0, j_cmyk };
		write_jpeg(tpath("k.jpg"), &s);
		decode_ok(tpath("k.jpg"), &p, NULL);
		assert_int_equal(p.channels, 3);
		for (int c = 0; c < 3; c++)
			assert_near(p.data[(8 * 16 + 8) * 3 + c], (100 + 50 * c) * 200 / 255, 3);
		tl_pixmap_free(&p);
	}
}

static void test_jpeg_exif(void **state)
{
	(void)state;
	tl_pixmap p;
	tl_decode_info in;
	tl_error e;
	/* 16x8 stored, left half red; orientation 6 means "rotate 90 clockwise to view":
	 * the result is 8x16 with the red half on top. */
	jpg_spec s = { 16, 8, 3, JCS_RGB, JCS_YCbCr, 0, 6, j_halves };
	write_jpeg(tpath("o6.jpg"), &s);
	int w = 0, h = 0;
	assert_int_equal(tl_image_size(tpath("o6.jpg"), &w, &h, &e), TL_OK);
	assert_int_equal(w, 8);
	assert_int_equal(h, 16);
	decode_ok(tpath("o6.jpg"), &p, &in);
	assert_int_equal(in.exif_orientation, 6);
	assert_int_equal(p.width, 8);
	assert_int_equal(p.height, 16);
	assert_int_equal(in.src_width, 16);
	assert_near(p.data[(3 * 8 + 4) * 3 + 0], 200, 12);   /* top: red */
	assert_near(p.data[(12 * 8 + 4) * 3 + 2], 200, 12);  /* bottom: blue */
	tl_pixmap_free(&p);
	/* Orientation 3 (180): red goes right. no_exif keeps the stored layout. */
	s.orientation = 3;
	write_jpeg(tpath("o3.jpg"), &s);
	decode_ok(tpath("o3.jpg"), &p, NULL);
	assert_int_equal(p.width, 16);
	assert_near(p.data[(4 * 16 + 12) * 3 + 0], 200, 12);
	tl_pixmap_free(&p);
	tl_decode_opts o = { 0 };
	o.no_exif = 1;
	assert_int_equal(tl_image_decode(tpath("o3.jpg"), &o, &p, &in, &e), TL_OK);
	assert_int_equal(in.exif_orientation, 3);
	assert_near(p.data[(4 * 16 + 3) * 3 + 0], 200, 12);
	tl_pixmap_free(&p);
	/* The EXIF parser alone, on orientation 8 (little-endian this time). */
	uint8_t le[] = { 0xFF, 0xD8, 0xFF, 0xE1, 0, 30, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0,
			 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0, 0xFF, 0xDA };
	assert_int_equal(tl_jpeg_exif_orientation(le, sizeof le), 8);
	le[30] = 0; /* orientation value 0 is invalid: ignored */
	assert_int_equal(tl_jpeg_exif_orientation(le, sizeof le), 0);
	assert_int_equal(tl_jpeg_exif_orientation(le, 12), 0); /* cut short */
}

/* ---- TIFF ------------------------------------------------------------- */

typedef struct tif_spec {
	int w, h, spp, bps;
	uint16_t photometric, compression;
	int tile;              /* tile side (multiple of 16), 0 = strips */
	int alpha;             /* last sample is unassociated alpha */
	int pages;
	uint16_t orientation;  /* Orientation tag, 0 = none */
} tif_spec;

/* Sample of page pg at (x, y, c) for the bit depth (1, 8, 16). */
static unsigned t_sample(const tif_spec *s, int pg, int x, int y, int c)
{
	if (s->bps == 1)
		return (x + y) % 3 == 0; /* 1 = black in min-is-white */
	if (s->compression == COMPRESSION_JPEG)
		return 90u + 40u * (unsigned)c;
	if (s->alpha && c == s->spp - 1)
		return x == 0 ? 0u : x == 1 ? 255u : 128u;
	unsigned v = (unsigned)(pat(x, y, c) + pg * 50) & 255u;
	if (s->photometric == PHOTOMETRIC_PALETTE)
		v = (unsigned)(x + y) % 4u;
	if (s->bps == 16)
		return s->photometric == PHOTOMETRIC_MINISBLACK ? v * 256u + 0x7Fu : v * 257u;
	return v;
}

static void write_tiff(const char *path, const tif_spec *s)
{
	TIFF *t = TIFFOpen(path, "w");
	assert_non_null(t);
	for (int pg = 0; pg < (s->pages ? s->pages : 1); pg++) {
		TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)s->w);
		TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)s->h);
		TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, (uint16_t)s->spp);
		TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, (uint16_t)s->bps);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, s->photometric);
		TIFFSetField(t, TIFFTAG_COMPRESSION, s->compression);
		TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
		if (s->alpha) {
			uint16_t ex = EXTRASAMPLE_UNASSALPHA;
			TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, &ex);
		}
		if (s->compression == COMPRESSION_JPEG)
			TIFFSetField(t, TIFFTAG_JPEGQUALITY, 95);
		if (s->orientation)
			TIFFSetField(t, TIFFTAG_ORIENTATION, s->orientation);
		if (s->photometric == PHOTOMETRIC_PALETTE) {
			uint16_t r[256] = { 0 }, g[256] = { 0 }, b[256] = { 0 };
			r[1] = 255 * 257, g[2] = 255 * 257, b[3] = 200 * 257, r[3] = 10 * 257;
			TIFFSetField(t, TIFFTAG_COLORMAP, r, g, b);
		}
		if (s->pages > 1) {
			TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
			TIFFSetField(t, TIFFTAG_PAGENUMBER, (uint16_t)pg, (uint16_t)s->pages);
		}
		int bits = s->spp * s->bps;
		if (s->tile) {
			TIFFSetField(t, TIFFTAG_TILEWIDTH, (uint32_t)s->tile);
			TIFFSetField(t, TIFFTAG_TILELENGTH, (uint32_t)s->tile);
			size_t tsz = (size_t)TIFFTileSize(t);
			uint8_t *tb = malloc(tsz);
			for (int ty = 0; ty < s->h; ty += s->tile)
				for (int tx = 0; tx < s->w; tx += s->tile) {
					memset(tb, 0, tsz);
					for (int y = 0; y < s->tile; y++)
						for (int x = 0; x < s->tile; x++)
							for (int c = 0; c < s->spp; c++) {
								int X = tx + x, Y = ty + y;
								unsigned v = X < s->w && Y < s->h ? t_sample(s, pg, X, Y, c) : 0;
								size_t i = ((size_t)y * s->tile + x) * s->spp + c;
								if (s->bps == 16)
									((uint16_t *)tb)[i] = (uint16_t)v;
								else
									tb[i] = (uint8_t)v;
							}
					assert_true(TIFFWriteTile(t, tb, (uint32_t)tx, (uint32_t)ty, 0, 0) > 0);
				}
			free(tb);
		} else {
			TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, s->compression == COMPRESSION_JPEG ? 16u : 3u);
			size_t rowbytes = ((size_t)s->w * bits + 7) / 8;
			uint8_t *row = malloc(rowbytes);
			for (int y = 0; y < s->h; y++) {
				memset(row, 0, rowbytes);
				for (int x = 0; x < s->w; x++)
					for (int c = 0; c < s->spp; c++) {
						unsigned v = t_sample(s, pg, x, y, c);
						size_t i = (size_t)x * s->spp + c;
						if (s->bps == 1)
							row[i / 8] |= (uint8_t)(v << (7 - i % 8));
						else if (s->bps == 16)
							((uint16_t *)row)[i] = (uint16_t)v;
						else
							row[i] = (uint8_t)v;
					}
				assert_true(TIFFWriteScanline(t, row, (uint32_t)y, 0) == 1);
			}
			free(row);
		}
		assert_true(TIFFWriteDirectory(t));
	}
	TIFFClose(t);
}

static void check_tiff(const tif_spec *s, const char *name)
{
	write_tiff(tpath(name), s);
	tl_pixmap p;
	tl_decode_info in;
	decode_ok(tpath(name), &p, &in);
	assert_string_equal(in.format, "tiff");
	assert_int_equal(p.width, s->w);
	assert_int_equal(p.height, s->h);
	int gray = s->photometric == PHOTOMETRIC_MINISBLACK || s->photometric == PHOTOMETRIC_MINISWHITE;
	assert_int_equal(p.channels, gray ? 1 : 3);
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++)
			for (int c = 0; c < p.channels; c++) {
				int got = p.data[((size_t)y * s->w + x) * p.channels + c];
				int want;
				if (s->bps == 1) {
					want = t_sample(s, 0, x, y, 0) ? 0 : 255;
				} else if (s->compression == COMPRESSION_JPEG) {
					assert_near(got, 90 + 40 * c, 3);
					continue;
				} else if (s->photometric == PHOTOMETRIC_PALETTE) {
					static const uint8_t map[4][3] = { { 0, 0, 0 }, { 255, 0, 0 },
									  { 0, 255, 0 }, { 10, 0, 200 } };
					want = map[(x + y) % 4][c];
				} else if (s->alpha) {
					unsigned a = (unsigned)t_sample(s, 0, x, y, s->spp - 1);
					unsigned v = pat(x, y, c);
					want = (int)((v * a + 255u * (255u - a) + 127u) / 255u);
					assert_near(got, want, 1); /* libtiff premultiplies with its own rounding */
					continue;
				} else {
					want = pat(x, y, c);
				}
				if (got != want)
					fail_msg("%s: (%d,%d,%d) = %d, expected %d", name, x, y, c, got, want);
			}
	tl_pixmap_free(&p);
}

static void test_tiff_forms(void **state)
{
	(void)state;
	uint16_t comps[] = { COMPRESSION_NONE, COMPRESSION_LZW, COMPRESSION_ADOBE_DEFLATE,
			     COMPRESSION_PACKBITS };
	for (size_t i = 0; i < TL_ARRAY_LEN(comps); i++) {
		tif_spec rgb = { 21, 10, 3, 8, PHOTOMETRIC_RGB, comps[i], 0, 0, 1, 0 };
		check_tiff(&rgb, "rgb.tif");
		tif_spec gray = { 21, 10, 1, 8, PHOTOMETRIC_MINISBLACK, comps[i], 0, 0, 1, 0 };
		check_tiff(&gray, "gray.tif");
	}
	tif_spec tiled = { 40, 24, 3, 8, PHOTOMETRIC_RGB, COMPRESSION_LZW, 16, 0, 1, 0 };
	check_tiff(&tiled, "tiled.tif");
	tif_spec tiled_gray = { 33, 17, 1, 8, PHOTOMETRIC_MINISBLACK, COMPRESSION_ADOBE_DEFLATE, 16, 0, 1, 0 };
	check_tiff(&tiled_gray, "tiledg.tif");
	tif_spec g16 = { 9, 6, 1, 16, PHOTOMETRIC_MINISBLACK, COMPRESSION_NONE, 0, 0, 1, 0 };
	check_tiff(&g16, "g16.tif");
	tif_spec rgb16 = { 9, 6, 3, 16, PHOTOMETRIC_RGB, COMPRESSION_LZW, 0, 0, 1, 0 };
	check_tiff(&rgb16, "rgb16.tif");
	tif_spec pal = { 9, 6, 1, 8, PHOTOMETRIC_PALETTE, COMPRESSION_PACKBITS, 0, 0, 1, 0 };
	check_tiff(&pal, "pal.tif");
	tif_spec rgba = { 5, 4, 4, 8, PHOTOMETRIC_RGB, COMPRESSION_NONE, 0, 1, 1, 0 };
	check_tiff(&rgba, "rgba.tif");
	tif_spec jpg = { 32, 16, 3, 8, PHOTOMETRIC_RGB, COMPRESSION_JPEG, 0, 0, 1, 0 };
	check_tiff(&jpg, "jpeg.tif");
}

static void test_tiff_bilevel(void **state)
{
	(void)state;
	uint16_t comps[] = { COMPRESSION_CCITTFAX3, COMPRESSION_CCITTFAX4, COMPRESSION_CCITTRLE,
			     COMPRESSION_NONE, COMPRESSION_PACKBITS };
	for (size_t i = 0; i < TL_ARRAY_LEN(comps); i++) {
		tif_spec s = { 50, 12, 1, 1, PHOTOMETRIC_MINISWHITE, comps[i], 0, 0, 1, 0 };
		check_tiff(&s, "fax.tif");
	}
}

static void test_tiff_orientation(void **state)
{
	(void)state;
	/* Stored 5x3 gray; each Orientation value gives what EXIF's would. */
	for (uint16_t ori = 1; ori <= 8; ori++) {
		tif_spec s = { 5, 3, 1, 8, PHOTOMETRIC_MINISBLACK, COMPRESSION_NONE, 0, 0, 1, ori };
		write_tiff(tpath("o.tif"), &s);
		tl_pixmap p, ref;
		tl_error e;
		int w, h;
		decode_ok(tpath("o.tif"), &p, NULL);
		assert_int_equal(tl_image_size(tpath("o.tif"), &w, &h, &e), TL_OK);
		assert_int_equal(w, p.width);
		assert_int_equal(h, p.height);
		assert_int_equal(tl_pixmap_alloc(&ref, 5, 3, 1, &e), TL_OK);
		for (int y = 0; y < 3; y++)
			for (int x = 0; x < 5; x++)
				ref.data[y * 5 + x] = pat(x, y, 0);
		assert_int_equal(tl_pixmap_orient(&ref, ori, &e), TL_OK);
		assert_int_equal(p.width, ref.width);
		assert_memory_equal(p.data, ref.data, 15);
		tl_pixmap_free(&p);
		tl_pixmap_free(&ref);
	}
}

static void test_tiff_pages(void **state)
{
	(void)state;
	tif_spec s = { 8, 4, 1, 8, PHOTOMETRIC_MINISBLACK, COMPRESSION_LZW, 0, 0, 3, 0 };
	write_tiff(tpath("multi.tif"), &s);
	tl_pixmap p;
	tl_decode_info in;
	tl_error e;
	char path[600];
	int pages = 0;
	assert_int_equal(tl_image_pages(tpath("multi.tif"), &pages, &e), TL_OK);
	assert_int_equal(pages, 3);
	for (int pg = 0; pg < 3; pg++) {
		snprintf(path, sizeof path, "%s#%d", tpath("multi.tif"), pg);
		decode_ok(path, &p, &in);
		assert_int_equal(in.pages, 3);
		assert_int_equal(p.data[1 * 8 + 2], (pat(2, 1, 0) + pg * 50) & 255);
		tl_pixmap_free(&p);
	}
	tl_decode_opts o = { 0 };
	o.page = 1;
	assert_int_equal(tl_image_decode(tpath("multi.tif"), &o, &p, NULL, &e), TL_OK);
	assert_int_equal(p.data[0], (pat(0, 0, 0) + 50) & 255);
	tl_pixmap_free(&p);
	/* Only TIFF has pages. */
	write_png(tpath("one.png"), 5, 3, 8, PNG_COLOR_TYPE_RGB, 0, NULL, 0, NULL, 0, s_pat8);
	snprintf(path, sizeof path, "%s#0", tpath("one.png"));
	assert_int_equal(tl_image_decode(path, NULL, &p, NULL, &e), TL_OK);
	tl_pixmap_free(&p);
	snprintf(path, sizeof path, "%s#1", tpath("one.png"));
	assert_int_equal(tl_image_decode(path, NULL, &p, NULL, &e), TL_E_INPUT);
	assert_non_null(strstr(e.msg, "one page"));
	snprintf(path, sizeof path, "%s#3", tpath("multi.tif"));
	assert_int_equal(tl_image_decode(path, NULL, &p, NULL, &e), TL_E_INPUT);
	assert_non_null(strstr(e.msg, "3 pages"));
	assert_null(p.data);
}

/* ---- sizes, limits, corrupt input, stdin -------------------------------- */

static void test_sizes_and_limits(void **state)
{
	(void)state;
	tl_error e;
	int w, h;
	write_png(tpath("s.png"), 64, 48, 8, PNG_COLOR_TYPE_RGB, 0, NULL, 0, NULL, 0, s_pat8);
	jpg_spec js = { 64, 48, 3, JCS_RGB, JCS_YCbCr, 0, 0, j_flat };
	write_jpeg(tpath("s.jpg"), &js);
	tif_spec ts = { 64, 48, 3, 8, PHOTOMETRIC_RGB, COMPRESSION_LZW, 0, 0, 1, 0 };
	write_tiff(tpath("s.tif"), &ts);
	const char *names[] = { "s.png", "s.jpg", "s.tif" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(tl_image_size(tpath(names[i]), &w, &h, &e), TL_OK);
		assert_int_equal(w, 64);
		assert_int_equal(h, 48);
		tl_decode_opts o = { 0 };
		o.max_pixels = 64 * 48 - 1;
		tl_pixmap p;
		assert_int_equal(tl_image_decode(tpath(names[i]), &o, &p, NULL, &e), TL_E_LIMIT);
		assert_null(p.data);
		assert_non_null(strstr(e.msg, "exceeds"));
		o.max_pixels = 64 * 48;
		assert_int_equal(tl_image_decode(tpath(names[i]), &o, &p, NULL, &e), TL_OK);
		tl_pixmap_free(&p);
		/* gray option: OpenCV's luma weights. */
		o.gray = 1;
		assert_int_equal(tl_image_decode(tpath(names[i]), &o, &p, NULL, &e), TL_OK);
		assert_int_equal(p.channels, 1);
		tl_pixmap_free(&p);
	}
	/* A PNG header claiming 2^30 x 2^30: the header probe reports it, the decoder
	 * refuses before allocating. */
	uint8_t big[64];
	FILE *f = fopen(tpath("s.png"), "rb");
	assert_int_equal(fread(big, 1, sizeof big, f), sizeof big);
	fclose(f);
	big[16] = 0x40, big[17] = 0, big[18] = 0, big[19] = 0;
	big[20] = 0x40, big[21] = 0, big[22] = 0, big[23] = 0;
	assert_int_equal(tl_image_size_mem(big, sizeof big, "big.png", &w, &h, &e), TL_OK);
	assert_int_equal(w, 1 << 30);
	tl_pixmap p;
	int rc = tl_image_decode_mem(big, sizeof big, "big.png", NULL, &p, NULL, &e);
	assert_true(rc == TL_E_INPUT || rc == TL_E_LIMIT); /* CRC now wrong: either is a refusal */
	assert_null(p.data);
}

static void truncate_copy(const char *src, const char *dst, double frac)
{
	char *d;
	size_t n;
	tl_error e;
	assert_int_equal(tl_read_file(src, 0, &d, &n, &e), TL_OK);
	assert_int_equal(tl_write_file_atomic(dst, d, (size_t)(n * frac), 1, &e), TL_OK);
	free(d);
}

static void test_corrupt(void **state)
{
	(void)state;
	tl_error e;
	tl_pixmap p;
	write_png(tpath("c.png"), 64, 64, 8, PNG_COLOR_TYPE_RGB, 0, NULL, 0, NULL, 0, s_pat8);
	jpg_spec js = { 64, 64, 3, JCS_RGB, JCS_YCbCr, 0, 0, j_halves };
	write_jpeg(tpath("c.jpg"), &js);
	js.progressive = 1;
	write_jpeg(tpath("cp.jpg"), &js);
	tif_spec ts = { 64, 64, 3, 8, PHOTOMETRIC_RGB, COMPRESSION_LZW, 0, 0, 1, 0 };
	write_tiff(tpath("c.tif"), &ts);
	const char *names[] = { "c.png", "c.jpg", "cp.jpg", "c.tif" };
	for (int i = 0; i < 4; i++) {
		truncate_copy(tpath(names[i]), tpath("cut"), 0.6);
		memset(&e, 0, sizeof e);
		int rc = tl_image_decode(tpath("cut"), NULL, &p, NULL, &e);
		if (rc == TL_OK)
			fail_msg("truncated %s decoded", names[i]);
		assert_int_equal(rc, TL_E_INPUT);
		assert_null(p.data);
		assert_true(e.msg[0] != '\0');
		assert_non_null(strstr(e.file, "cut"));
	}
	truncate_copy(tpath("c.jpg"), tpath("cut"), 0.6);
	tl_image_decode(tpath("cut"), NULL, &p, NULL, &e);
	assert_non_null(strstr(e.msg, "truncated"));
	/* Unknown and unsupported formats, empty and missing files. */
	assert_int_equal(tl_image_decode_mem("BM\0\0\0\0", 6, "x.bmp", NULL, &p, NULL, &e),
			 TL_E_UNSUPPORTED);
	assert_non_null(strstr(e.msg, "BMP"));
	assert_int_equal(tl_image_decode_mem("hello", 5, "x", NULL, &p, NULL, &e), TL_E_UNSUPPORTED);
	assert_int_equal(tl_image_decode_mem("II*\0\xff\xff\xff\x7f", 8, "x.tif", NULL, &p, NULL, &e),
			 TL_E_INPUT);
	assert_int_equal(tl_write_file_atomic(tpath("empty.png"), "", 0, 1, &e), TL_OK);
	assert_int_equal(tl_image_decode(tpath("empty.png"), NULL, &p, NULL, &e), TL_E_INPUT);
	assert_int_equal(tl_image_decode(tpath("missing.png"), NULL, &p, NULL, &e), TL_E_IO);
	assert_string_equal(tl_image_sniff("\xff\xd8\xff", 3), "jpeg");
	assert_null(tl_image_sniff("\xff\xd8", 2));
	assert_true(tl_image_is_image_name("A.JPG"));
	assert_false(tl_image_is_image_name("gt.txt"));
}

static void test_stdin(void **state)
{
	(void)state;
	write_png(tpath("in.png"), 5, 3, 8, PNG_COLOR_TYPE_RGB, 0, NULL, 0, NULL, 0, s_pat8);
	int saved = dup(0);
	int fd = open(tpath("in.png"), O_RDONLY);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, 0);
	close(fd);
	tl_pixmap p;
	tl_error e;
	int rc = tl_image_decode("-", NULL, &p, NULL, &e);
	dup2(saved, 0);
	close(saved);
	assert_int_equal(rc, TL_OK);
	assert_int_equal(p.width, 5);
	assert_int_equal(p.data[(2 * 5 + 4) * 3 + 1], pat(4, 2, 1));
	tl_pixmap_free(&p);
}

/* ---- encoding, pixmap helpers, heatmaps -------------------------------- */

static void test_png_roundtrip(void **state)
{
	(void)state;
	tl_error e;
	for (int ch = 1; ch <= 4; ch++) {
		tl_pixmap p;
		assert_int_equal(tl_pixmap_alloc(&p, 17, 9, ch, &e), TL_OK);
		for (int i = 0; i < 17 * 9 * ch; i++)
			p.data[i] = (uint8_t)(i * 7);
		if (ch == 2 || ch == 4) /* keep alpha opaque so the decode is exact */
			for (int i = 0; i < 17 * 9; i++)
				p.data[i * ch + ch - 1] = 255;
		assert_int_equal(tl_png_write(tpath("rt.png"), &p, 0, &e), TL_OK);
		/* Existing files are kept without force. */
		assert_int_not_equal(tl_png_write(tpath("rt.png"), &p, 0, &e), TL_OK);
		assert_int_equal(tl_png_write(tpath("rt.png"), &p, 1, &e), TL_OK);
		tl_pixmap q;
		decode_ok(tpath("rt.png"), &q, NULL);
		int oc = ch <= 2 ? 1 : 3;
		assert_int_equal(q.channels, oc);
		for (int i = 0; i < 17 * 9; i++)
			for (int c = 0; c < oc; c++)
				assert_int_equal(q.data[i * oc + c], p.data[i * ch + c]);
		tl_pixmap_free(&q);
		tl_pixmap_free(&p);
		unlink(tpath("rt.png"));
	}
	tl_pixmap bad = { 0, 0, 3, NULL };
	tl_buf b = TL_BUF_INIT;
	assert_int_equal(tl_png_encode(&bad, &b, &e), TL_E_USAGE);
}

static void test_pixmap_helpers(void **state)
{
	(void)state;
	tl_error e;
	tl_pixmap g, rgb;
	assert_int_equal(tl_pixmap_alloc(&g, 3, 2, 1, &e), TL_OK);
	g.data[4] = 77;
	assert_int_equal(tl_pixmap_to_rgb(&g, &rgb, &e), TL_OK);
	assert_memory_equal(rgb.data + 12, "\x4d\x4d\x4d", 3);
	/* OpenCV's gray of (255, 0, 0) is 76, of (0, 255, 0) is 150, of (0, 0, 255) is 29. */
	memcpy(rgb.data, "\xff\x00\x00\x00\xff\x00\x00\x00\xff", 9);
	assert_int_equal(tl_pixmap_to_gray(&rgb, &e), TL_OK);
	assert_int_equal(rgb.data[0], 76);
	assert_int_equal(rgb.data[1], 150);
	assert_int_equal(rgb.data[2], 29);
	tl_pixmap_free(&rgb);
	/* Orientations: a 3x2 image numbered 0..5 row by row. */
	static const uint8_t want[9][6] = {
		{ 0 }, { 0, 1, 2, 3, 4, 5 }, { 2, 1, 0, 5, 4, 3 }, { 5, 4, 3, 2, 1, 0 },
		{ 3, 4, 5, 0, 1, 2 }, { 0, 3, 1, 4, 2, 5 }, { 3, 0, 4, 1, 5, 2 },
		{ 5, 2, 4, 1, 3, 0 }, { 2, 5, 1, 4, 0, 3 },
	};
	for (int o = 1; o <= 8; o++) {
		for (int i = 0; i < 6; i++)
			g.data[i] = (uint8_t)i;
		g.width = 3, g.height = 2;
		assert_int_equal(tl_pixmap_orient(&g, o, &e), TL_OK);
		assert_int_equal(g.width, o >= 5 ? 2 : 3);
		assert_memory_equal(g.data, want[o], 6);
	}
	tl_pixmap_free(&g);
	assert_int_not_equal(tl_pixmap_alloc(&g, 0, 5, 1, &e), TL_OK);
	assert_null(g.data);
}

static void test_heatmap(void **state)
{
	(void)state;
	float m[4] = { 0.f, 1.f, 0.5f, -3.f };
	m[3] = m[3] / 0.f * 0.f; /* NaN without <math.h> */
	tl_pixmap p;
	tl_error e;
	assert_int_equal(tl_heatmap(m, 2, 2, 0, 0, &p, &e), TL_OK);
	assert_int_equal(p.channels, 3);
	assert_memory_equal(p.data, "\x00\x00\x30", 3);     /* 0: dark blue */
	assert_memory_equal(p.data + 3, "\xdc\x00\x00", 3); /* 1: red */
	assert_memory_equal(p.data + 6, "\x00\xc8\xe6", 3); /* 0.5: cyan */
	assert_memory_equal(p.data + 9, "\x00\x00\x00", 3); /* NaN: black */
	tl_pixmap_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_gray_depths),
		cmocka_unit_test(test_png_color_forms),
		cmocka_unit_test(test_jpeg_forms),
		cmocka_unit_test(test_jpeg_exif),
		cmocka_unit_test(test_tiff_forms),
		cmocka_unit_test(test_tiff_bilevel),
		cmocka_unit_test(test_tiff_orientation),
		cmocka_unit_test(test_tiff_pages),
		cmocka_unit_test(test_sizes_and_limits),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_png_roundtrip),
		cmocka_unit_test(test_pixmap_helpers),
		cmocka_unit_test(test_heatmap),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
