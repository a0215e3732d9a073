/* msra.c — MSRA-TD500 `.gt` files (formats.md §4.13).
 *
 * One file per image (IMG_0059.gt <-> IMG_0059.JPG), one line per text line:
 * `index difficult x y w h angle`, space separated. (x, y, w, h) is the unrotated
 * rectangle, turned about its centre by angle radians (positive = clockwise on
 * screen), so the region is the RBOX ((x + w/2, y + h/2), (w, h), angle·180/π).
 * difficult = 1 is don't care. There are no transcriptions. An index that is not
 * the line's position is kept in `extra` so a round trip writes it back. */
#include "tl_internal.h"
#include "ds6util.h"
#include <math.h>    /* nextafter, INFINITY */
#include <stdio.h>   /* snprintf */

#define PI 3.14159265358979323846
#define RAD2DEG (180.0 / PI)

static int msra_image_for_file(const char *file, tl_buf *out)
{
	TL_TRY(ds6_stem(file, out));
	return tl_buf_puts(out, ".JPG");
}

static int msra_file_for_image(const char *image, tl_buf *out)
{
	TL_TRY(ds6_image_stem(image, out));
	return tl_buf_puts(out, ".gt");
}

/* The angle in radians, as the shortest text that reads back to the same degrees
 * (a file's "0.053651" is written back as it was). The reader computed
 * deg = rad * RAD2DEG, so some double within a few ulps of deg / RAD2DEG gives deg
 * back exactly; then its shortest exact decimal form is printed. */
static size_t shortest(double v, char *tmp, size_t size)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, size, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	return strlen(tmp);
}

static int put_radians(tl_buf *b, double deg)
{
	/* six decimals as the dataset writes them, when they are exact enough */
	char tmp[48], best[48];
	double r0 = deg / RAD2DEG;
	snprintf(tmp, sizeof tmp, "%.6f", r0);
	if (strtod(tmp, NULL) * RAD2DEG == deg)
		return tl_buf_puts(b, tmp);
	/* else the shortest text among the doubles near deg / RAD2DEG that give deg */
	size_t bestlen = shortest(r0, best, sizeof best);
	int found = r0 * RAD2DEG == deg;
	double up = r0, down = r0;
	for (int k = 1; k <= 8; k++) {
		up = nextafter(up, INFINITY);
		down = nextafter(down, -INFINITY);
		const double cand[2] = { up, down };
		for (int c = 0; c < 2; c++) {
			if (cand[c] * RAD2DEG != deg)
				continue;
			size_t n = shortest(cand[c], tmp, sizeof tmp);
			if (!found || n < bestlen) {
				memcpy(best, tmp, n + 1);
				bestlen = n;
				found = 1;
			}
		}
	}
	return tl_buf_puts(b, best);
}

static int msra_read(tl_dataset *ds, const char *path, const char *data, size_t len,
		     const tl_read_opts *o, tl_diags *d)
{
	tl_buf name = TL_BUF_INIT;
	if (msra_image_for_file(path, &name)) {
		tl_buf_free(&name);
		return TL_E_NOMEM;
	}
	tl_image *im = tl_dataset_add_image(ds, name.data);
	tl_buf_free(&name);
	if (!im || !(im->source = tl_dataset_strdup(ds, path)))
		return TL_E_NOMEM;
	ds6_lines it;
	const char *s;
	size_t n;
	int bad = 0;
	ds6_lines_init(&it, data, len);
	while (ds6_lines_next(&it, &s, &n)) {
		if (ds6_blank(s, n))
			continue;
		const char *p = s, *end = s + n;
		double v[7];
		int k = 0;
		while (k < 7 && ds6_num(&p, end, &v[k]))
			k++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (k < 7 || p < end) {
			tl_diags_add(d, TL_ERROR, path, it.no, (long)(p - s) + 1, "bad-syntax",
				     k < 7 ? "expected 7 numbers 'index difficult x y w h angle', "
				     "got %d" : "unexpected text after 7 numbers (%d read)", k);
			bad = 1;
			continue;
		}
		if (v[1] != 0 && v[1] != 1) {
			tl_diags_add(d, TL_ERROR, path, it.no, 1, "bad-flag",
				     "difficult must be 0 or 1, not %g", v[1]);
			bad = 1;
			continue;
		}
		if (v[4] < 0 || v[5] < 0) {
			tl_diags_add(d, TL_ERROR, path, it.no, 1, "bad-box",
				     "negative width or height (%g x %g)", v[4], v[5]);
			bad = 1;
			continue;
		}
		tl_region *r = tl_image_add_region(ds, im);
		if (!r)
			return TL_E_NOMEM;
		r->geom.shape = TL_SHAPE_RBOX;
		r->geom.rbox = (tl_rbox){ v[2] + v[4] / 2, v[3] + v[5] / 2, v[4], v[5],
					  v[6] * RAD2DEG };
		r->dontcare = v[1] == 1;
		r->line = it.no;
		if (v[0] != (double)(im->nregions - 1)) {
			tl_buf x = TL_BUF_INIT;
			int rc = tl_buf_puts(&x, "{\"index\":");
			if (!rc)
				rc = ds6_put_num(&x, v[0]);
			if (!rc)
				rc = tl_buf_puts(&x, "}");
			r->extra = rc ? NULL : tl_dataset_strdup(ds, x.data);
			tl_buf_free(&x);
			if (!r->extra)
				return TL_E_NOMEM;
		}
	}
	return bad ? TL_E_INPUT : TL_OK;
}

static int msra_write(const tl_dataset *ds, const tl_image *im, tl_buf *out,
		      const tl_write_opts *o, tl_diags *d)
{
	if (!im)
		return TL_E_USAGE;
	int keep = ds6_same(ds, "msra-td500"), lossy = 0;
	for (size_t i = 0; i < im->nregions; i++) {
		const tl_region *r = &im->regions[i];
		tl_rbox b;
		if (r->geom.shape == TL_SHAPE_RBOX) {
			b = r->geom.rbox;
		} else if (r->geom.shape == TL_SHAPE_RECT) {
			tl_rect t = r->geom.rect;
			b = (tl_rbox){ (t.l + t.r) / 2, (t.t + t.b) / 2, t.r - t.l, t.b - t.t, 0 };
		} else if (r->geom.n >= 3 && r->geom.pts) {
			/* The format holds only rotated rectangles: quads and polygons become
			 * their minimum-area rectangle. */
			b = tl_min_area_rect(r->geom.pts, r->geom.n);
			lossy = 1;
		} else {
			continue;
		}
		double index = (double)i;
		cJSON *ix = keep ? ds6_extra_get(r->extra, "index") : NULL;
		if (cJSON_IsNumber(ix))
			index = ix->valuedouble;
		cJSON_Delete(ix);
		TL_TRY(ds6_put_num(out, index));
		TL_TRY(tl_buf_puts(out, r->dontcare ? " 1 " : " 0 "));
		TL_TRY(ds6_put_num(out, b.cx - b.w / 2));
		TL_TRY(tl_buf_puts(out, " "));
		TL_TRY(ds6_put_num(out, b.cy - b.h / 2));
		TL_TRY(tl_buf_puts(out, " "));
		TL_TRY(ds6_put_num(out, b.w));
		TL_TRY(tl_buf_puts(out, " "));
		TL_TRY(ds6_put_num(out, b.h));
		TL_TRY(tl_buf_puts(out, " "));
		TL_TRY(put_radians(out, b.angle));
		TL_TRY(tl_buf_puts(out, "\r\n"));
	}
	if (lossy)
		tl_diags_add(d, TL_WARNING, im->name, 0, 0, "lossy",
			     "msra-td500 holds rotated rectangles: polygons written as their "
			     "minimum-area rectangle");
	return TL_OK;
}

static int msra_probe(const char *name, const char *data, size_t len)
{
	ds6_lines it;
	const char *s;
	size_t n;
	int lines = 0;
	ds6_lines_init(&it, data, len);
	while (lines < 20 && ds6_lines_next(&it, &s, &n)) {
		if (ds6_blank(s, n))
			continue;
		const char *p = s, *end = s + n;
		double v;
		int k = 0;
		while (ds6_num(&p, end, &v))
			k++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (k != 7 || p < end)
			return 0;
		lines++;
	}
	if (tl_has_suffix(name, ".gt"))
		return 90;
	return lines ? 50 : 0;
}

const tl_format tl_fmt_msra = {
	.name = "msra-td500",
	.summary = "MSRA-TD500 .gt: index difficult x y w h angle (radians about the centre)",
	.flags = TL_FMT_PER_IMAGE | TL_FMT_NO_TEXT,
	.shapes = TL_SHAPE_BIT(TL_SHAPE_RBOX),
	.probe = msra_probe,
	.read = msra_read,
	.write = msra_write,
	.file_for_image = msra_file_for_image,
	.image_for_file = msra_image_for_file,
};
