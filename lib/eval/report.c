/* report.c — an HTML report of an evaluation: every image drawn with its GT and
 * detections coloured by outcome (matched green, missed red, false positive orange,
 * don't care grey and hatched), an index sorted worst first, and the precision/recall
 * curve when confidences were given. */
#include "eval_int.h"
#include <math.h>
#include <stdio.h>

typedef struct rkey {
	const char *key;
	size_t klen, entry;
} rkey;

static int cmp_rkey(const void *a, const void *b)
{
	const rkey *x = a, *y = b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);
	return c ? c : (x->klen > y->klen) - (x->klen < y->klen);
}

/* Keys of a source (later duplicates win, as in the reference's dict). */
static rkey *index_src(const ev_src *s, const char *prefix, size_t *n)
{
	rkey *k = malloc((s->count ? s->count : 1) * sizeof *k);
	size_t m = 0;
	if (!k)
		return NULL;
	for (size_t i = 0; i < s->count; i++) {
		const char *key;
		size_t kl = ev_match_name(ev_src_name(s, i), prefix, &key);
		if (kl)
			k[m++] = (rkey){ key, kl, i };
	}
	/* stable order for equal keys: insertion sort is fine for the duplicates case,
	 * qsort then a pass keeping the highest entry index */
	qsort(k, m, sizeof *k, cmp_rkey);
	size_t w = 0;
	for (size_t i = 0; i < m; i++) {
		if (w > 0 && cmp_rkey(&k[w - 1], &k[i]) == 0) {
			if (k[i].entry > k[w - 1].entry)
				k[w - 1] = k[i];
			continue;
		}
		k[w++] = k[i];
	}
	*n = w;
	return k;
}

static const rkey *find_rkey(const rkey *k, size_t n, const char *key)
{
	rkey q = { key, strlen(key), 0 };
	return bsearch(&q, k, n, sizeof q, cmp_rkey);
}

static int load(ev_src *s, const rkey *k, const ev_grammar *g, ev_list *out, tl_error *err)
{
	char *data = NULL, *msg = NULL;
	size_t len = 0;
	long line = 0;
	out->n = 0;
	if (!k)
		return TL_OK;
	TL_TRY(ev_src_read(s, k->entry, &data, &len, err));
	int rc = ev_parse(data, len, g, out, &msg, &line);
	free(data);
	if (rc != TL_OK)
		tl_error_set(err, rc, s->path, line, 0, "%s", msg ? msg : tl_status_str(rc));
	free(msg);
	return rc;
}

/* One side of the evaluation: RRC entries or a dataset read through the formats. */
typedef struct rside {
	int ds;
	ev_src src;
	ev_ds d;
	rkey *k;
	size_t nk;
	tl_arena *a;
} rside;

static int side_open(rside *sd, const char *path, const char *format, const char *prefix,
		     tl_error *err)
{
	memset(sd, 0, sizeof *sd);
	sd->ds = ev_use_formats(path, format);
	if (!sd->ds) {
		TL_TRY(ev_src_open(&sd->src, path, err));
		sd->k = index_src(&sd->src, prefix, &sd->nk);
		return sd->k ? TL_OK : tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	TL_TRY(ev_ds_open(&sd->d, path, format, err));
	size_t n = sd->d.ds->nimages;
	sd->a = tl_arena_new(1 << 14);
	sd->k = malloc((n ? n : 1) * sizeof *sd->k);
	if (!sd->a || !sd->k)
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < n; i++) {
		char buf[512];
		ev_image_key(sd->d.ds->images[i].name, buf, sizeof buf);
		size_t kl = strlen(buf);
		char *key = tl_arena_alloc(sd->a, kl + 1);
		if (!key)
			return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		memcpy(key, buf, kl + 1);
		sd->k[i] = (rkey){ key, kl, i };
	}
	qsort(sd->k, n, sizeof *sd->k, cmp_rkey);
	sd->nk = n;
	return TL_OK;
}

static void side_close(rside *sd)
{
	free(sd->k);
	if (sd->ds)
		ev_ds_close(&sd->d);
	else
		ev_src_close(&sd->src);
	tl_arena_free(sd->a);
}

static int load(ev_src *s, const rkey *k, const ev_grammar *g, ev_list *out, tl_error *err);

static int side_load(rside *sd, const char *key, const ev_grammar *g, ev_list *out,
		     const char **imname, tl_error *err)
{
	const rkey *k = find_rkey(sd->k, sd->nk, key);
	out->n = 0;
	if (!k)
		return TL_OK;
	if (!sd->ds)
		return load(&sd->src, k, g, out, err);
	if (imname)
		*imname = sd->d.ds->images[k->entry].name;
	return ev_ds_items(&sd->d, k->entry, g, out, err);
}

/* The image of a sample: IMAGES/<the GT's image name>, else IMAGES/img_<key> with a
 * usual suffix. */
static int find_image(const char *dir, const char *key, const char *imname, char *path,
		      size_t size)
{
	static const char *const sfx[] = { ".jpg", ".png", ".jpeg", ".JPG", ".PNG", ".tif" };
	if (!dir)
		return 0;
	if (imname) {
		snprintf(path, size, "%s/%s", dir, tl_basename(imname));
		if (tl_is_file(path))
			return 1;
	}
	for (size_t i = 0; i < TL_ARRAY_LEN(sfx); i++) {
		snprintf(path, size, "%s/img_%s%s", dir, key, sfx[i]);
		if (tl_is_file(path))
			return 1;
	}
	return 0;
}

static void scaled(const ev_item *it, double s, tl_point *out)
{
	for (int i = 0; i < it->np && i < EV_MAXPTS; i++)
		out[i] = (tl_point){ it->p[i].x * s, it->p[i].y * s };
}

static int draw_sample(const tl_eval_result *r, const tl_eval_sample *sm, const ev_list *G,
		       const ev_list *D, const char *images, const char *imname, int maxw,
		       const char *outpath, int force, tl_error *err)
{
	tl_pixmap img = { 0 }, rgb = { 0 }, canvas = { 0 };
	char ipath[1024];
	int rc = TL_OK;
	double s = 1;
	if (find_image(images, sm->key, imname, ipath, sizeof ipath) &&
	    tl_image_decode(ipath, NULL, &img, NULL, err) == TL_OK &&
	    tl_pixmap_to_rgb(&img, &rgb, err) == TL_OK) {
		if (rgb.width > maxw) {
			s = (double)maxw / rgb.width;
			int h = (int)lround(rgb.height * s);
			rc = tl_resize_bilinear(&rgb, maxw, h > 0 ? h : 1, &canvas, err);
		} else {
			canvas = rgb;
			rgb = (tl_pixmap){ 0 };
		}
	} else {
		/* no image: a white page as large as the regions need */
		double mx = 200, my = 100;
		for (size_t i = 0; i < G->n; i++) {
			mx = fmax(mx, G->items[i].bb[2] + 20);
			my = fmax(my, G->items[i].bb[3] + 20);
		}
		for (size_t i = 0; i < D->n; i++) {
			mx = fmax(mx, D->items[i].bb[2] + 20);
			my = fmax(my, D->items[i].bb[3] + 20);
		}
		mx = fmin(mx, 4096);
		my = fmin(my, 4096);
		if (mx > maxw) {
			s = maxw / mx;
			my *= s;
			mx = maxw;
		}
		rc = tl_pixmap_alloc(&canvas, (int)mx, (int)my, 3, err);
		if (rc == TL_OK)
			memset(canvas.data, 255, (size_t)canvas.width * canvas.height * 3);
	}
	tl_pixmap_free(&img);
	tl_pixmap_free(&rgb);
	if (rc != TL_OK) {
		tl_pixmap_free(&canvas);
		return rc;
	}
	unsigned char *gm = calloc(G->n + 1, 1), *dm = calloc(D->n + 1, 1);
	unsigned char *gd = calloc(G->n + 1, 1), *dd = calloc(D->n + 1, 1);
	if (!gm || !dm || !gd || !dd) {
		rc = tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < sm->npairs; k++) {
		for (int i = 0; i < sm->pairs[k].ngt; i++)
			if ((size_t)sm->pairs[k].gt[i] < G->n)
				gm[sm->pairs[k].gt[i]] = 1;
		for (int i = 0; i < sm->pairs[k].ndet; i++)
			if ((size_t)sm->pairs[k].det[i] < D->n)
				dm[sm->pairs[k].det[i]] = 1;
	}
	for (size_t k = 0; k < sm->ngt_dc; k++)
		if ((size_t)sm->gt_dc[k] < G->n)
			gd[sm->gt_dc[k]] = 1;
	for (size_t k = 0; k < sm->ndet_dc; k++)
		if ((size_t)sm->det_dc[k] < D->n)
			dd[sm->det_dc[k]] = 1;
	tl_point q[EV_MAXPTS];
	/* GT thick, detections thin on top, so both stay visible where they coincide */
	for (size_t i = 0; i < G->n; i++) {
		scaled(&G->items[i], s, q);
		if (gd[i]) {
			tl_hatch_polygon(&canvas, q, (size_t)G->items[i].np, TL_RGB_DONTCARE, 6);
			tl_draw_polygon(&canvas, q, (size_t)G->items[i].np, 1, TL_RGB_DONTCARE);
		} else {
			tl_draw_polygon(&canvas, q, (size_t)G->items[i].np, 3, gm[i] ? TL_RGB_MATCHED : TL_RGB_MISSED);
		}
	}
	for (size_t i = 0; i < D->n; i++) {
		scaled(&D->items[i], s, q);
		tl_rgb c = dd[i] ? TL_RGB_DONTCARE : dm[i] ? (tl_rgb){ 0, 110, 0 } : TL_RGB_FALSEPOS;
		tl_draw_polygon(&canvas, q, (size_t)D->items[i].np, 1, c);
	}
	char label[160];
	snprintf(label, sizeof label, "%s  P %.3f R %.3f H %.3f", sm->key, sm->precision, sm->recall,
		 sm->hmean);
	/* bottom left: text in scene photos tends to sit near the top */
	tl_draw_text(&canvas, 4, canvas.height - 20, label, 2, (tl_rgb){ 255, 255, 255 }, (tl_rgb){ 0, 0, 0 }, 160);
	rc = tl_png_write(outpath, &canvas, force, err);
	(void)r;
out:
	free(gm);
	free(dm);
	free(gd);
	free(dd);
	tl_pixmap_free(&canvas);
	return rc;
}

static int cmp_worst(const void *a, const void *b)
{
	const tl_eval_sample *x = *(const tl_eval_sample *const *)a;
	const tl_eval_sample *y = *(const tl_eval_sample *const *)b;
	if (x->hmean != y->hmean)
		return x->hmean < y->hmean ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Precision/recall along the confidence-sorted list of care detections, as SVG. */
static int pr_curve(const tl_eval_result *r, tl_buf *b)
{
	if (!r->opts.confidences || r->nall == 0 || r->gt_care == 0)
		return TL_OK;
	size_t *idx = malloc(r->nall * sizeof *idx);
	if (!idx)
		return TL_E_NOMEM;
	ev_np_argsort_desc(r->all_conf, r->nall, idx);
	TL_TRY(tl_buf_puts(b, "<h2>Precision / recall by confidence</h2>\n<svg width=\"420\" "
			      "height=\"420\" viewBox=\"-40 -10 420 420\" style=\"background:#fff\">"
			      "<rect x=\"0\" y=\"0\" width=\"360\" height=\"360\" fill=\"none\" "
			      "stroke=\"#888\"/><text x=\"150\" y=\"395\">recall</text><text x=\"-35\" "
			      "y=\"180\">P</text><polyline fill=\"none\" stroke=\"#06c\" "
			      "stroke-width=\"2\" points=\""));
	size_t tp = 0, step = r->nall / 400 + 1;
	for (size_t k = 0; k < r->nall; k++) {
		tp += r->all_match[idx[k]] != 0;
		if (k % step && k + 1 != r->nall)
			continue;
		double p = (double)tp / (double)(k + 1), rc = (double)tp / (double)r->gt_care;
		TL_TRY(tl_buf_printf(b, "%.1f,%.1f ", rc * 360, (1 - p) * 360));
	}
	free(idx);
	return tl_buf_printf(b, "\"/></svg>\n<p>AP %.6f</p>\n", r->ap);
}

static int write_index(const tl_eval_result *r, const char *outdir, int force, tl_error *err)
{
	tl_buf b = TL_BUF_INIT;
	int rc = TL_OK;
	const tl_eval_sample **v = malloc((r->nsamples ? r->nsamples : 1) * sizeof *v);
	if (!v)
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < r->nsamples; i++)
		v[i] = &r->samples[i];
	qsort(v, r->nsamples, sizeof *v, cmp_worst);
	rc |= tl_buf_printf(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>textloc "
				"eval: %s</title>\n<style>body{font-family:sans-serif;margin:1em}"
				"table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:"
				"1px solid #ddd;text-align:right}td.k{text-align:left}.g{color:#0a0}"
				".r{color:#d00}.o{color:#e80}.d{color:#888}</style></head><body>\n",
			    tl_eval_protocol_name(r->opts.protocol));
	rc |= tl_buf_printf(&b, "<h1>%s%s%s</h1>\n<p>%zu images &mdash; precision <b>%.6f</b>, recall "
				"<b>%.6f</b>, hmean <b>%.6f</b> (%ld matched of %ld care GT and %ld "
				"care detections)</p>\n",
			    tl_eval_protocol_name(r->opts.protocol), r->opts.lenient ? " (lenient)" : "",
			    r->opts.confidences ? " (confidences)" : "", r->nimages, r->precision,
			    r->recall, r->hmean, r->matched, r->gt_care, r->det_care);
	rc |= tl_buf_puts(&b, "<p><span class=\"g\">&#9632; matched</span> &nbsp; <span class=\"r\">"
			      "&#9632; missed GT</span> &nbsp; <span class=\"o\">&#9632; false "
			      "positive</span> &nbsp; <span class=\"d\">&#9632; don't care "
			      "(hatched)</span> &mdash; GT drawn thick, detections thin.</p>\n");
	if (rc == TL_OK)
		rc = pr_curve(r, &b);
	rc |= tl_buf_puts(&b, "<h2>Images, worst hmean first</h2>\n<table><tr><th>image</th>"
			      "<th>care GT</th><th>care det</th><th>matched</th><th>precision</th>"
			      "<th>recall</th><th>hmean</th><th></th></tr>\n");
	for (size_t i = 0; i < r->nsamples && rc == TL_OK; i++) {
		rc |= tl_buf_printf(&b, "<tr><td class=\"k\"><a href=\"img_%s.png\">img_%s</a>%s</td>"
					"<td>%ld</td><td>%ld</td><td>%ld</td><td>%.4f</td><td>%.4f</td>"
					"<td>%.4f</td><td><a href=\"img_%s.png\"><img src=\"img_%s.png\" "
					"width=\"240\" loading=\"lazy\"></a></td></tr>\n",
				    v[i]->key, v[i]->key, v[i]->has_det ? "" : " (no result file)",
				    v[i]->gt_care, v[i]->det_care, v[i]->matched, v[i]->precision,
				    v[i]->recall, v[i]->hmean, v[i]->key, v[i]->key);
	}
	rc |= tl_buf_puts(&b, "</table></body></html>\n");
	free(v);
	if (rc != TL_OK) {
		tl_buf_free(&b);
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	char path[1024];
	snprintf(path, sizeof path, "%s/index.html", outdir);
	rc = tl_write_file_atomic(path, b.data, b.len, force, err);
	tl_buf_free(&b);
	return rc;
}

int tl_eval_report(const tl_eval_result *r, const char *gt_path, const char *det_path,
		   const char *outdir, const tl_eval_report_opts *o, tl_error *err)
{
	tl_eval_report_opts def = { 0 };
	if (!o)
		o = &def;
	int maxw = o->max_width > 0 ? o->max_width : 800;
	if (!r->accepted)
		return tl_error_set(err, TL_E_INPUT, det_path, 0, 0, "no report: the submission was refused");
	TL_TRY(tl_mkdirs(outdir, err));
	rside gs, ds;
	ev_grammar gg, dg;
	ev_list G = { 0 }, D = { 0 };
	ev_grammars(&r->opts, &gg, &dg);
	int rc = side_open(&gs, gt_path, r->opts.gt_format, "gt_img_", err);
	if (rc != TL_OK) {
		side_close(&gs);
		return rc;
	}
	rc = side_open(&ds, det_path, r->opts.det_format, "res_img_", err);
	if (rc != TL_OK)
		goto out;
	for (size_t i = 0; i < r->nsamples; i++) {
		const tl_eval_sample *sm = &r->samples[i];
		const char *imname = NULL;
		/* keys become file names and HTML text: letters, digits, '_', '-', '.' only */
		size_t kl = strlen(sm->key);
		if (kl == 0 || kl > 200 || sm->key[0] == '.' ||
		    strspn(sm->key, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-.") !=
			    kl) {
			rc = tl_error_set(err, TL_E_INPUT, gt_path, 0, 0,
					  "sample key '%.40s' cannot name a file; no report", sm->key);
			goto out;
		}
		if ((rc = side_load(&gs, sm->key, &gg, &G, &imname, err)) != TL_OK ||
		    (rc = side_load(&ds, sm->key, &dg, &D, NULL, err)) != TL_OK)
			goto out;
		if (dg.confidence && (rc = ev_sort_conf(&D)) != TL_OK)
			goto out;
		if (r->opts.min_conf > 0) {
			size_t m = 0;
			for (size_t k = 0; k < D.n; k++)
				if (D.items[k].conf >= r->opts.min_conf)
					D.items[m++] = D.items[k];
			D.n = m;
		}
		if (r->opts.protocol == TL_EVAL_MMOCR) {
			ev_make_valid(&G);
			ev_make_valid(&D);
		} else if (gg.loose && r->opts.protocol != TL_EVAL_UFO_DETEVAL) {
			ev_drop_invalid(&G);
			ev_drop_invalid(&D);
		}
		char path[1024];
		snprintf(path, sizeof path, "%s/img_%s.png", outdir, sm->key);
		if ((rc = draw_sample(r, sm, &G, &D, o->images, imname, maxw, path, o->force, err)) !=
		    TL_OK)
			goto out;
	}
	rc = write_index(r, outdir, o->force, err);
out:
	free(G.items);
	free(D.items);
	side_close(&gs);
	side_close(&ds);
	return rc;
}
