/* inputs.c — ground truth or results in any format textloc reads (UFO, PaddleOCR
 * labels, Total-Text, COCO-Text ...), turned into the items the protocols evaluate. */
#include "eval_int.h"
#include "geom_clip.h"
#include <stdio.h>

int ev_ds_open(ev_ds *d, const char *path, const char *format, tl_error *err)
{
	const tl_format *fmt = NULL;
	memset(d, 0, sizeof *d);
	if (format && strcmp(format, "auto") != 0) {
		fmt = tl_format_find(format);
		if (!fmt)
			return tl_error_set(err, TL_E_USAGE, NULL, 0, 0,
					    "unknown format '%s' (see textloc convert --help)", format);
	}
	d->ds = tl_dataset_new();
	if (!d->ds)
		return tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
	tl_read_opts ro = { 1, 0, 0 }; /* lenient numbers: these are not RRC submissions */
	tl_diags dg;
	tl_diags_init(&dg);
	dg.max = 1;
	const char *paths[1] = { path };
	int rc = tl_read_inputs(d->ds, paths, 1, fmt, &ro, &dg, err);
	if (rc == TL_OK && dg.nerrors > 0 && dg.count > 0) {
		const tl_diag *x = &dg.items[0];
		rc = tl_error_set(err, TL_E_INPUT, x->file, x->line, x->col,
				  "%s (check it with textloc validate)", x->msg);
	}
	tl_diags_free(&dg);
	if (rc != TL_OK) {
		tl_dataset_free(d->ds);
		d->ds = NULL;
	}
	return rc;
}

void ev_ds_close(ev_ds *d)
{
	if (d->ds)
		tl_dataset_free(d->ds);
	d->ds = NULL;
}

void ev_image_key(const char *name, char *out, size_t cap)
{
	const char *b = tl_basename(name);
	size_t n = strcspn(b, "."); /* img_1.jpg.txt -> img_1 */
	if (strncmp(b, "gt_", 3) == 0 && n > 3) {
		b += 3;
		n -= 3;
	} else if (strncmp(b, "res_", 4) == 0 && n > 4) {
		b += 4;
		n -= 4;
	}
	if (n > 4 && strncmp(b, "img_", 4) == 0 && strspn(b + 4, "0123456789") >= n - 4) {
		b += 4;
		n -= 4;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(out, b, n);
	out[n] = 0;
}

int ev_ds_items(const ev_ds *d, size_t idx, const ev_grammar *g, ev_list *out, tl_error *err)
{
	const tl_image *im = &d->ds->images[idx];
	out->n = 0;
	if (im->nregions > out->cap) {
		ev_item *ni = realloc(out->items, im->nregions * sizeof *ni);
		if (!ni)
			return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		out->items = ni;
		out->cap = im->nregions;
	}
	for (size_t k = 0; k < im->nregions; k++) {
		const tl_region *rg = &im->regions[k];
		ev_item *it = &out->items[out->n];
		memset(it, 0, sizeof *it);
		size_t np = tl_geom_points(&rg->geom, it->p, EV_MAXPTS);
		if (np > EV_MAXPTS)
			return tl_error_set(err, TL_E_LIMIT, im->source ? im->source : im->name, rg->line,
					    0, "a polygon of %zu points (at most %d are evaluated)", np,
					    EV_MAXPTS);
		it->np = (int)np;
		it->dc = rg->dontcare;
		for (const char *c = rg->text; *c; c++)
			it->tlen += ((unsigned char)*c & 0xC0) != 0x80;
		it->conf = rg->has_confidence ? rg->confidence : 1.0;
		it->line = rg->line;
		ev_item_bbox(it);
		if (g->ltrb) {
			/* DetEval rectangles: the region's own RECT, else its bounding box */
			it->nv = 4;
			if (rg->geom.shape == TL_SHAPE_RECT) {
				it->v[0] = rg->geom.rect.l;
				it->v[1] = rg->geom.rect.t;
				it->v[2] = rg->geom.rect.r;
				it->v[3] = rg->geom.rect.b;
			} else {
				memcpy(it->v, it->bb, sizeof it->bb);
			}
		}
		it->area = tl_clip_raw_area(it->p, np);
		it->varea = it->area;
		out->n++;
	}
	return TL_OK;
}
