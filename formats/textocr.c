/* textocr.c — TextOCR (`TextOCR_0.1_{train,val}.json`, formats.md §4.15): the
 * COCO-Text layout with string ids, `points` (at least 4 points) for the polygon,
 * bbox [x, y, w, h], and utf8_string "." marking don't care. Images are OpenImages
 * files named in file_name ("train/<id>.jpg"). The shared reader and writer live in
 * cocotext.c. */
#include "tl_internal.h"
#include "ds6util.h"

static const ds6_cocolike textocr = {
	.name = "textocr", .points = "points", .string_ids = 1, .dc_illegible = 0, .dc_dot = 1,
};

static int to_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		   const tl_read_opts *o, tl_diags *d)
{
	return ds6_cocolike_read(ds, path, data, len, &textocr, d);
}

static int to_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		    const tl_write_opts *o, tl_diags *d)
{
	return ds6_cocolike_write(ds, out, &textocr, d);
}

static int to_probe(const char *name, const char *data, size_t len)
{
	/* "points" inside anns tells TextOCR from COCO-Text's "mask" */
	size_t n = len < 16384 ? len : 16384;
	if (memmem(data, n, "\"legibility\"", 12))
		return 0;
	return ds6_cocolike_probe(data, len, "\"points\"");
}

const tl_format tl_fmt_textocr = {
	.name = "textocr",
	.summary = "TextOCR JSON {imgs, anns: {points, utf8_string (\".\" = DC)}, imgToAnns}",
	.flags = 0,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_QUAD) | TL_SHAPE_BIT(TL_SHAPE_POLY),
	.probe = to_probe,
	.read = to_read,
	.write = to_write,
};
