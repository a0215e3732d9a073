/* fuzz_image.c — libFuzzer harness for the image decoders (PNG, JPEG, TIFF),
 * the header-only size probe, and the resize and drawing paths the detector and
 * `textloc draw` run on whatever decodes. A small pixel limit keeps each input fast;
 * the decoders must refuse bigger ones before allocating. */
#include "tl_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tl_error err;
	int w, h;
	tl_image_size_mem(data, size, "fuzz", &w, &h, &err);
	tl_decode_opts o;
	memset(&o, 0, sizeof o);
	o.max_pixels = 1 << 20;
	/* TIFF pages 0..2 (the last byte picks one); other formats have only page 0. */
	const char *fmt = tl_image_sniff(data, size);
	o.page = fmt && fmt[0] == 't' ? data[size - 1] % 3 : 0;
	tl_pixmap p, r, rgb;
	if (tl_image_decode_mem(data, size, "fuzz", &o, &p, NULL, &err) != TL_OK)
		return 0;
	if (tl_resize_bilinear(&p, 1 + p.width / 3, 1 + p.height * 2 % 97, &r, &err) == TL_OK)
		tl_pixmap_free(&r);
	if (tl_pixmap_to_rgb(&p, &rgb, &err) == TL_OK) {
		tl_point q[4] = { { -5, 2 }, { rgb.width + 5.0, 1 }, { rgb.width / 2.0, rgb.height + 3.0 },
				  { 1, rgb.height / 2.0 } };
		tl_fill_polygon(&rgb, q, 4, (tl_rgb){ 1, 2, 3 }, 100);
		tl_hatch_polygon(&rgb, q, 4, (tl_rgb){ 1, 2, 3 }, 5);
		tl_draw_polygon(&rgb, q, 4, 3, (tl_rgb){ 9, 9, 9 });
		tl_draw_text(&rgb, 0, 0, (const char *)"fuzz \xc3\xa9", 2, (tl_rgb){ 0, 0, 0 },
			     (tl_rgb){ 255, 255, 255 }, 128);
		tl_buf b = TL_BUF_INIT;
		tl_png_encode(&rgb, &b, &err);
		tl_buf_free(&b);
		tl_pixmap_free(&rgb);
	}
	tl_pixmap_free(&p);
	return 0;
}
