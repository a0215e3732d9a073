/* eval.c — the evaluation driver and the protocols of docs/protocols.md §1, §2, §4, §9
 * and DB's polygon DetEval. Each protocol follows its reference script step by step,
 * including the orders in which it walks GTs and detections, since those orders decide
 * greedy matches and don't-care flags. */
#include "eval_int.h"
#include "geom_clip.h"
#include <math.h>
#include <stdio.h>

static const char *const PROTO_NAMES[TL_EVAL_NPROTOCOLS] = {
	"icdar2015", "tiou", "deteval", "deteval-poly", "paddleocr-iou", "mmocr-hmean",
	"ufo-deteval", "cleval",
};

double tl_eval_mmocr_threshold(int i)
{
	return 0.3 + i * 0.1; /* numpy.arange: start + i * step */
}

const char *tl_eval_protocol_name(tl_eval_protocol p)
{
	return (unsigned)p < TL_EVAL_NPROTOCOLS ? PROTO_NAMES[p] : "?";
}

int tl_eval_protocol_from_name(const char *name)
{
	for (int i = 0; i < TL_EVAL_NPROTOCOLS; i++)
		if (strcmp(name, PROTO_NAMES[i]) == 0)
			return i;
	if (strcmp(name, "deteval-ic13") == 0 || strcmp(name, "ic13") == 0)
		return TL_EVAL_DETEVAL;
	if (strcmp(name, "paddle") == 0 || strcmp(name, "db-iou") == 0)
		return TL_EVAL_PADDLE_IOU;
	if (strcmp(name, "clova") == 0)
		return TL_EVAL_CLEVAL;
	if (strcmp(name, "ufo") == 0 || strcmp(name, "boostcamp") == 0)
		return TL_EVAL_UFO_DETEVAL;
	if (strcmp(name, "mmocr") == 0 || strcmp(name, "hmean-iou") == 0)
		return TL_EVAL_MMOCR;
	if (strcmp(name, "ic15") == 0 || strcmp(name, "rrc") == 0)
		return TL_EVAL_ICDAR2015;
	return -1;
}

tl_eval_result *tl_eval_result_new(const tl_eval_opts *opts)
{
	tl_eval_result *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->arena = tl_arena_new(1 << 16);
	if (!r->arena) {
		free(r);
		return NULL;
	}
	if (opts)
		r->opts = *opts;
	r->accepted = 1;
	return r;
}

void tl_eval_free(tl_eval_result *r)
{
	if (!r)
		return;
	tl_arena_free(r->arena);
	free(r->samples);
	free(r->all_conf);
	free(r->all_match);
	free(r->unmapped);
	free(r->error);
	free(r);
}

/* ---- figures -------------------------------------------------------------- */

/* Python's 2.0 * precision * recall / (precision + recall), same operation order
 * (tl_eval_finish passes recall first, for its 2 * recall * precision). */
static double hmean_pr(double p, double r)
{
	return (p + r) == 0 ? 0 : 2.0 * p * r / (p + r);
}

/* compute_ap of the RRC script: non-interpolated AP over NumPy's argsort order. */
static double compute_ap(const double *conf, const unsigned char *match, size_t n, long ngt)
{
	if (n == 0)
		return 0;
	size_t *idx = malloc(n * sizeof *idx);
	if (!idx)
		return NAN;
	ev_np_argsort_desc(conf, n, idx);
	double ap = 0;
	long correct = 0;
	for (size_t k = 0; k < n; k++) {
		if (match[idx[k]]) {
			correct++;
			ap += (double)correct / (double)(k + 1);
		}
	}
	free(idx);
	if (ngt > 0)
		ap /= (double)ngt;
	return ap;
}

int tl_eval_account(tl_eval_result *r, const tl_eval_sample *s)
{
	r->nimages++;
	r->gt_care += s->gt_care;
	r->det_care += s->det_care;
	r->matched += s->matched;
	r->recall_accum += s->recall_accum;
	r->precision_accum += s->precision_accum;
	r->iou_sum += s->iou_sum;
	r->tiou_r_sum += s->tiou_r_sum;
	r->tiou_p_sum += s->tiou_p_sum;
	for (int k = 0; k < 6; k++)
		r->cl[k] += s->cl[k];
	for (int t = 0; t < 7; t++) {
		r->mm_hits[t] += s->mm_hits[t];
		r->mm_preds[t] += s->mm_preds[t];
	}
	if (s->nconf == 0)
		return TL_OK;
	if (r->nall + s->nconf > r->allcap) {
		size_t c = r->allcap ? r->allcap : 1024;
		while (c < r->nall + s->nconf)
			c *= 2;
		double *a = realloc(r->all_conf, c * sizeof *a);
		if (!a)
			return TL_E_NOMEM;
		r->all_conf = a;
		unsigned char *m = realloc(r->all_match, c);
		if (!m)
			return TL_E_NOMEM;
		r->all_match = m;
		r->allcap = c;
	}
	memcpy(r->all_conf + r->nall, s->conf, s->nconf * sizeof *s->conf);
	memcpy(r->all_match + r->nall, s->conf_match, s->nconf);
	r->nall += s->nconf;
	return TL_OK;
}

/* mmocr's compute_hmean: no GT gives R = 1, P = 0 with predictions (1 without). */
static void mm_hmean(long hits, long ngt, long npred, double *p, double *r)
{
	if (ngt == 0) {
		*r = 1.0;
		*p = npred > 0 ? 0.0 : 1.0;
	} else {
		*r = (double)hits / (double)ngt;
		*p = npred == 0 ? 0.0 : (double)hits / (double)npred;
	}
}

void tl_eval_finish(tl_eval_result *r)
{
	long gc = r->gt_care, dc = r->det_care, m = r->matched;
	double ra = r->recall_accum, pa = r->precision_accum, is = r->iou_sum, tr = r->tiou_r_sum,
	       tp = r->tiou_p_sum;
	if (r->opts.protocol == TL_EVAL_DETEVAL || r->opts.protocol == TL_EVAL_DETEVAL_POLY ||
	    r->opts.protocol == TL_EVAL_UFO_DETEVAL) {
		r->recall = gc == 0 ? 0 : ra / (double)gc;
		r->precision = dc == 0 ? 0 : pa / (double)dc;
	} else {
		r->recall = gc == 0 ? 0 : (double)m / (double)gc;
		r->precision = dc == 0 ? 0 : (double)m / (double)dc;
	}
	r->hmean = hmean_pr(r->recall, r->precision);
	r->ap = 0;
	if (r->opts.confidences && r->nall > 0)
		r->ap = compute_ap(r->all_conf, r->all_match, r->nall, gc);
	if (r->opts.protocol == TL_EVAL_CLEVAL) {
		/* counts summed over images first, then the granularity penalties */
		r->recall = r->cl[2] > 0 ? fmax(0, r->cl[0] - r->cl[1]) / r->cl[2] : 0;
		r->precision = r->cl[5] > 0 ? fmax(0, r->cl[3] - r->cl[4]) / r->cl[5] : 0;
		r->hmean = hmean_pr(r->recall, r->precision);
	}
	if (r->opts.protocol == TL_EVAL_MMOCR) {
		double best = -1;
		r->mm_best = 0;
		for (int t = 0; t < 7; t++) {
			double rec, prec;
			mm_hmean(r->mm_hits[t], gc, r->mm_preds[t], &prec, &rec);
			double h = hmean_pr(rec, prec);
			if (h > best) {
				best = h;
				r->mm_best = t;
				r->precision = prec;
				r->recall = rec;
				r->hmean = h;
			}
		}
	}
	if (r->opts.protocol == TL_EVAL_TIOU) {
		r->iou_recall = gc == 0 ? 0 : is / (double)gc;
		r->iou_precision = dc == 0 ? 0 : is / (double)dc;
		r->iou_hmean = hmean_pr(r->iou_recall, r->iou_precision);
		r->tiou_recall = gc == 0 ? 0 : tr / (double)gc;
		r->tiou_precision = dc == 0 ? 0 : tp / (double)dc;
		r->tiou_hmean = hmean_pr(r->tiou_recall, r->tiou_precision);
	}
}

/* ---- per-sample scratch ----------------------------------------------------------- */

typedef struct ev_scratch {
	unsigned char *gdc, *ddc, *gm, *dm;
	size_t cap;
	int *ilist;
	double *rmat, *pmat; /* DetEval tables */
	size_t mcap;
} ev_scratch;

static int grow_bytes(unsigned char **p, size_t n)
{
	unsigned char *q = realloc(*p, n);
	if (!q)
		return TL_E_NOMEM;
	*p = q;
	return TL_OK;
}

static int scratch_need(ev_scratch *w, size_t ng, size_t nd)
{
	size_t n = (ng > nd ? ng : nd) + 1;
	if (n > w->cap) {
		TL_TRY(grow_bytes(&w->gdc, n));
		TL_TRY(grow_bytes(&w->ddc, n));
		TL_TRY(grow_bytes(&w->gm, n));
		TL_TRY(grow_bytes(&w->dm, n));
		int *l = realloc(w->ilist, n * sizeof *l);
		if (!l)
			return TL_E_NOMEM;
		w->ilist = l;
		w->cap = n;
	}
	memset(w->gdc, 0, ng + 1);
	memset(w->ddc, 0, nd + 1);
	memset(w->gm, 0, ng + 1);
	memset(w->dm, 0, nd + 1);
	return TL_OK;
}

static void scratch_free(ev_scratch *w)
{
	free(w->gdc);
	free(w->ddc);
	free(w->gm);
	free(w->dm);
	free(w->ilist);
	free(w->rmat);
	free(w->pmat);
}

/* ---- sample bookkeeping ----------------------------------------------------------- */

static char *arena_strdup(tl_arena *a, const char *s)
{
	size_t n = strlen(s);
	char *p = tl_arena_alloc(a, n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

static int *arena_ints(tl_eval_result *r, const int *v, size_t n)
{
	int *p = tl_arena_alloc(r->arena, (n ? n : 1) * sizeof *p);
	if (p && n)
		memcpy(p, v, n * sizeof *p);
	return p;
}

typedef struct pair_acc {
	tl_eval_pair *v;
	size_t n, cap;
} pair_acc;

static int add_pair(pair_acc *pa, const int *g, int ng, int gl, const int *d, int nd, int dl,
		    const char *type, tl_eval_result *r)
{
	if (pa->n == pa->cap) {
		size_t c = pa->cap ? pa->cap * 2 : 16;
		tl_eval_pair *nv = realloc(pa->v, c * sizeof *nv);
		if (!nv)
			return TL_E_NOMEM;
		pa->v = nv;
		pa->cap = c;
	}
	tl_eval_pair *p = &pa->v[pa->n++];
	memset(p, 0, sizeof *p);
	p->ngt = ng;
	p->ndet = nd;
	p->gt = arena_ints(r, g, (size_t)ng);
	p->det = arena_ints(r, d, (size_t)nd);
	if (!p->gt || !p->det)
		return TL_E_NOMEM;
	p->gt_list = gl;
	p->det_list = dl;
	if (type)
		memcpy(p->type, type, 2);
	return TL_OK;
}

static int finish_sample(tl_eval_result *r, tl_eval_sample *s, pair_acc *pa,
			 const unsigned char *gdc, size_t ng, const unsigned char *ddc, size_t nd)
{
	s->npairs = pa->n;
	s->pairs = tl_arena_alloc(r->arena, (pa->n ? pa->n : 1) * sizeof *s->pairs);
	if (!s->pairs)
		return TL_E_NOMEM;
	if (pa->n)
		memcpy(s->pairs, pa->v, pa->n * sizeof *s->pairs);
	size_t a = 0, b = 0;
	for (size_t i = 0; i < ng; i++)
		a += gdc[i] != 0;
	for (size_t i = 0; i < nd; i++)
		b += ddc[i] != 0;
	s->gt_dc = tl_arena_alloc(r->arena, (a ? a : 1) * sizeof(int));
	s->det_dc = tl_arena_alloc(r->arena, (b ? b : 1) * sizeof(int));
	if (!s->gt_dc || !s->det_dc)
		return TL_E_NOMEM;
	s->ngt_dc = s->ndet_dc = 0;
	for (size_t i = 0; i < ng; i++)
		if (gdc[i])
			s->gt_dc[s->ngt_dc++] = (int)i;
	for (size_t i = 0; i < nd; i++)
		if (ddc[i])
			s->det_dc[s->ndet_dc++] = (int)i;
	return TL_OK;
}

/* ---- don't care ----------------------------------------------------------------------- */

/* Flags the don't-care GTs in w->gdc; returns their count. */
static long mark_dc_gts(const ev_list *G, ev_scratch *w)
{
	long n = 0;
	for (size_t i = 0; i < G->n; i++)
		if (G->items[i].dc) {
			w->gdc[i] = 1;
			n++;
		}
	return n;
}

/* The protocol's test of a detection d against a don't-care GT g. */
typedef int dc_covers_fn(const ev_item *g, const ev_item *d, int poly);

/* Flags as don't care (w->ddc = 1) each detection that covers() finds covered by a
 * don't-care GT, trying them in GT order; detections already flagged are skipped.
 * Returns how many were flagged. */
static long mark_dc_dets(const ev_list *G, const ev_list *D, ev_scratch *w, long ngdc,
			 dc_covers_fn *covers, int poly)
{
	long n = 0;
	if (ngdc == 0)
		return 0;
	for (size_t j = 0; j < D->n; j++) {
		if (w->ddc[j])
			continue;
		for (size_t i = 0; i < G->n; i++) {
			if (w->gdc[i] && covers(&G->items[i], &D->items[j], poly)) {
				w->ddc[j] = 1;
				n++;
				break;
			}
		}
	}
	return n;
}

/* ---- exact-tie aware comparisons --------------------------------------------------- */

/* The references compare ratios with a strict '>'. The areas of integer polygons are
 * rationals and a tie (IoU exactly 0.5) is common (golden `split`), so the test is made
 * on a - b*k with a tolerance far below any non-tie difference at image scale but far
 * above the few-ulp error of the area sweep. */
#define EV_TIE_REL 1e-10

/* Near a tie, integer convex quads get an exact answer from the rational kernel. */
#define EV_NEAR_REL 1e-7

/* inter(g, d) / |d| > k, where |d| <= 0 makes the ratio 0. */
static int ratio_gt(double inter, double a, double k, const ev_item *g, const ev_item *d)
{
	if (!(a > 0))
		return 0 > k;
	double diff = inter - k * a;
	if (k == 0.5 && fabs(diff) <= EV_NEAR_REL * a && g && d) {
		int s = tl_clip_inter_cmp(g->p, (size_t)g->np, d->p, (size_t)d->np, 2, 2 * a);
		if (s != -2)
			return s > 0;
	}
	return diff > EV_TIE_REL * a;
}

/* IoU > 0.5 with union = aD + aG - inter; a zero union gives IoU 0 (caught division). */
static int iou_gt_half(double inter, const ev_item *d, const ev_item *g)
{
	double ad = d->area, ag = g->area;
	double u = ad + ag - inter;
	if (!(u > 0))
		return 0;
	double diff = 3 * inter - (ad + ag);
	if (fabs(diff) <= EV_NEAR_REL * (ad + ag)) {
		int s = tl_clip_inter_cmp(d->p, (size_t)d->np, g->p, (size_t)g->np, 3, 2 * (ad + ag));
		if (s != -2)
			return s > 0;
	}
	return diff > EV_TIE_REL * (ad + ag);
}

/* ---- §1 ICDAR 2015 and §4 TIoU ------------------------------------------------------- */

static double f_tight(double x)
{
	return x <= 0.01 ? 1 : 1 - x;
}

/* TIoU-recall term of a matched pair. */
static double tiou_recall_term(const ev_item *d, const ev_item *g, double inter)
{
	double ct = g->area - inter;
	if (!(ct >= 0 && ct <= g->area) || !(g->area > 0))
		return 0;
	double u = d->area + g->area - inter;
	if (u == 0)
		return 0;
	return inter * f_tight(ct * 1.0 / g->area) / u;
}

/* TIoU-precision term: Ot = |d ∩ U| - |(d ∩ g) ∩ U|, U = the other GTs touching d
 * (don't-care ones included: the reference tests the target's flag, not theirs). */
static double tiou_precision_term(const ev_list *G, size_t gi, const ev_item *d, double inter)
{
	static const unsigned char want_dc[8] = { 0, 0, 0, 0, 0, 1, 0, 1 };
	static const unsigned char want_dgc[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
	const ev_item *g = &G->items[gi];
	tl_clip_poly sbuf[16], *ps = sbuf;
	size_t np = 0;
	double ot = 0;
	if (G->n + 2 > TL_ARRAY_LEN(sbuf)) {
		ps = malloc((G->n + 2) * sizeof *ps);
		if (!ps)
			return 0;
	}
	ps[np++] = (tl_clip_poly){ d->p, (size_t)d->np, TL_CLIP_A };
	ps[np++] = (tl_clip_poly){ g->p, (size_t)g->np, TL_CLIP_B };
	for (size_t i = 0; i < G->n; i++) {
		if (i == gi)
			continue;
		if (ev_inter(d, &G->items[i]) == 0)
			continue;
		ps[np++] = (tl_clip_poly){ G->items[i].p, (size_t)G->items[i].np, TL_CLIP_C };
	}
	if (np > 2) {
		double a1 = tl_clip_area(ps, np, want_dc), a2 = tl_clip_area(ps, np, want_dgc);
		ot = a1 - a2;
		if (ot <= 1.0e-10)
			ot = 0;
	}
	if (ps != sbuf)
		free(ps);
	if (!(ot >= 0 && ot <= d->area + 0.001) || !(d->area > 0))
		return 0;
	double u = d->area + g->area - inter;
	if (u == 0)
		return 0;
	return inter * f_tight(ot * 1.0 / d->area) / u;
}

/* more than half of d inside the don't-care g */
static int icdar_covers(const ev_item *g, const ev_item *d, int poly)
{
	(void)poly;
	return ratio_gt(ev_inter(g, d), d->area, 0.5, g, d);
}

static int eval_icdar(tl_eval_result *r, tl_eval_sample *s, const ev_list *G, const ev_list *D,
		      ev_scratch *w)
{
	size_t ng = G->n, nd = D->n;
	int tiou = r->opts.protocol == TL_EVAL_TIOU;
	int paddle = r->opts.protocol == TL_EVAL_PADDLE_IOU;
	pair_acc pa = { 0 };
	TL_TRY(scratch_need(w, ng, nd));
	long matched = 0;
	long ngdc = mark_dc_gts(G, w);
	long nddc = mark_dc_dets(G, D, w, ngdc, icdar_covers, 0);
	int rc = TL_OK;
	if (ng > 0 && nd > 0) {
		for (size_t i = 0; i < ng; i++) {
			if (w->gdc[i])
				continue;
			const ev_item *g = &G->items[i];
			for (size_t j = 0; j < nd; j++) {
				if (w->gm[i] || w->dm[j] || w->ddc[j])
					continue;
				const ev_item *d = &D->items[j];
				double inter = ev_inter(d, g);
				if (!iou_gt_half(inter, d, g))
					continue;
				w->gm[i] = w->dm[j] = 1;
				matched++;
				int gi = (int)i, dj = (int)j;
				if ((rc = add_pair(&pa, &gi, 1, 0, &dj, 1, 0, NULL, r)) != TL_OK)
					goto out;
				if (tiou) {
					double u = d->area + g->area - inter;
					s->iou_sum += u == 0 ? 0 : inter / u;
					s->tiou_r_sum += tiou_recall_term(d, g, inter);
					s->tiou_p_sum += tiou_precision_term(G, i, d, inter);
				}
			}
		}
	}
	if (r->opts.confidences && !paddle && s->has_det) {
		size_t nc = 0;
		for (size_t j = 0; j < nd; j++)
			nc += !w->ddc[j];
		s->conf = tl_arena_alloc(r->arena, (nc ? nc : 1) * sizeof *s->conf);
		s->conf_match = tl_arena_alloc(r->arena, nc ? nc : 1);
		if (!s->conf || !s->conf_match) {
			rc = TL_E_NOMEM;
			goto out;
		}
		for (size_t j = 0; j < nd; j++) {
			if (w->ddc[j])
				continue;
			s->conf[s->nconf] = D->items[j].conf;
			s->conf_match[s->nconf++] = w->dm[j];
		}
	}
	long gcare = (long)ng - ngdc, dcare = (long)nd - nddc;
	s->gt_care = gcare;
	s->det_care = dcare;
	s->matched = matched;
	s->ap = 0;
	if (gcare == 0) {
		s->recall = 1;
		s->precision = dcare > 0 ? 0 : 1;
		s->ap = s->precision;
	} else {
		s->recall = (double)matched / (double)gcare;
		s->precision = dcare == 0 ? 0 : (double)matched / (double)dcare;
		if (r->opts.confidences && !paddle)
			s->ap = compute_ap(s->conf, s->conf_match, s->nconf, gcare);
	}
	s->hmean = hmean_pr(s->precision, s->recall);
	rc = finish_sample(r, s, &pa, w->gdc, ng, w->ddc, nd);
out:
	free(pa.v);
	return rc;
}

/* ---- §2 DetEval (rectangles, inclusive) and DB's polygon DetEval ---------------------- */

typedef struct de_ctx {
	const ev_list *G, *D;
	ev_scratch *w;
	double *rm, *pm; /* recall (σ) and precision (τ) tables, row-major ng x nd */
	size_t ng, nd;
	double tr, tp;
} de_ctx;

#define RM(c, g, d) ((c)->rm[(g) * (c)->nd + (d)])
#define PM(c, g, d) ((c)->pm[(g) * (c)->nd + (d)])

/*
 * The tests below read a line of the tables: GT row k against every detection
 * (col = 0), or detection column k against every GT (col = 1). What a split does for
 * a GT, a merge does for a detection with the tables and thresholds swapped.
 */
typedef struct de_line {
	size_t at, step, n; /* first cell, stride to the next partner's cell, partners */
} de_line;

static de_line de_line_of(const de_ctx *c, size_t k, int col)
{
	return col ? (de_line){ k, c->nd, c->ng } : (de_line){ k * c->nd, 1, c->nd };
}

static int de_ok(const de_ctx *c, size_t at)
{
	return c->rm[at] >= c->tr && c->pm[at] >= c->tp;
}

/* cells of line k that pass both thresholds */
static int de_count_ok(const de_ctx *c, size_t k, int col)
{
	de_line l = de_line_of(c, k, col);
	int cont = 0;
	for (size_t p = 0; p < l.n; p++, l.at += l.step)
		cont += de_ok(c, l.at);
	return cont;
}

static int de_one_to_one(const de_ctx *c, size_t row, size_t col)
{
	return de_count_ok(c, row, 0) == 1 && de_count_ok(c, col, 1) == 1 &&
	       de_ok(c, row * c->nd + col);
}

/* care partners of line k with σ > 0 (both directions test σ, as the reference does) */
static int de_overlaps(const de_ctx *c, size_t k, int col)
{
	const unsigned char *pdc = col ? c->w->gdc : c->w->ddc;
	de_line l = de_line_of(c, k, col);
	int cont = 0;
	for (size_t p = 0; p < l.n; p++, l.at += l.step)
		if (!pdc[p] && c->rm[l.at] > 0)
			cont++;
	return cont;
}

/* Python's round(x, 4) for the sums compared against the thresholds (ties to even on
 * the decimal representation are irrelevant at these magnitudes). */
static double round4(double x)
{
	return nearbyint(x * 10000.0) / 10000.0;
}

/* One-to-many match of care GT k (a split) or, with col, many-to-one match of care
 * detection k (a merge): its unmatched care partners whose τ (split) or σ (merge)
 * reaches its threshold, when their σ (τ) sums to the other threshold and, under
 * DetEval, k overlaps two care partners or more. On a match k and the partners are
 * marked matched, w->ilist holds the partners and their count is returned; else 0.
 * The credits of a match are the caller's: they differ between the two. */
static int de_many(const de_ctx *c, size_t k, int col, int deteval)
{
	ev_scratch *w = c->w;
	unsigned char *m = col ? w->dm : w->gm, *pm = col ? w->gm : w->dm;
	const unsigned char *dc = col ? w->ddc : w->gdc, *pdc = col ? w->gdc : w->ddc;
	const double *sel = col ? c->rm : c->pm, *val = col ? c->pm : c->rm;
	double tsel = col ? c->tr : c->tp, tsum = col ? c->tp : c->tr;
	de_line l = de_line_of(c, k, col);
	double sum = 0;
	int n = 0;
	if (dc[k] || m[k])
		return 0;
	for (size_t p = 0; p < l.n; p++, l.at += l.step) {
		if (pm[p] == 0 && !pdc[p] && sel[l.at] >= tsel) {
			sum += val[l.at];
			w->ilist[n++] = (int)p;
		}
	}
	if (!(round4(sum) >= tsum) || n == 0)
		return 0;
	if (deteval && !(de_overlaps(c, k, col) >= 2))
		return 0;
	m[k] = 1;
	for (int q = 0; q < n; q++)
		pm[w->ilist[q]] = 1;
	return n;
}

static void rect_of(const ev_item *it, double r[4])
{
	r[0] = it->v[0];
	r[1] = it->v[1];
	r[2] = it->v[2];
	r[3] = it->v[3];
}

static double ic13_area(const double a[4], const double b[4])
{
	double dx = fmin(a[2], b[2]) - fmax(a[0], b[0]) + 1;
	double dy = fmin(a[3], b[3]) - fmax(a[1], b[1]) + 1;
	return (dx >= 0 && dy >= 0) ? dx * dy : 0.;
}

static double ic13_dim(const double a[4])
{
	return (a[2] - a[0] + 1) * (a[3] - a[1] + 1);
}

/* Centre distance over the mean diagonal, times 2 (the DetEval one-to-one test). */
static double de_norm_dist(const de_ctx *c, size_t g, size_t d, int poly)
{
	const ev_item *a = &c->G->items[g], *b = &c->D->items[d];
	if (!poly) {
		double ra[4], rb[4];
		rect_of(a, ra);
		rect_of(b, rb);
		double cax = ra[0] + (ra[2] - ra[0] + 1) / 2., cay = ra[1] + (ra[3] - ra[1] + 1) / 2.;
		double cbx = rb[0] + (rb[2] - rb[0] + 1) / 2., cby = rb[1] + (rb[3] - rb[1] + 1) / 2.;
		double dx = fabs(cax - cbx), dy = fabs(cay - cby);
		double dist = sqrt(dx * dx + dy * dy);
		double wa = ra[2] - ra[0] + 1, ha = ra[3] - ra[1] + 1;
		double wb = rb[2] - rb[0] + 1, hb = rb[3] - rb[1] + 1;
		dist /= sqrt(ha * ha + wa * wa) + sqrt(hb * hb + wb * wb);
		return dist * 2.0;
	}
	/* polygons: vertex means and bounding-box diagonals */
	double ax = 0, ay = 0, bx = 0, by = 0;
	tl_rect ba = tl_bounding_rect(a->p, (size_t)a->np), bb = tl_bounding_rect(b->p, (size_t)b->np);
	for (int i = 0; i < a->np; i++) {
		ax += a->p[i].x;
		ay += a->p[i].y;
	}
	for (int i = 0; i < b->np; i++) {
		bx += b->p[i].x;
		by += b->p[i].y;
	}
	ax /= a->np;
	ay /= a->np;
	bx /= b->np;
	by /= b->np;
	double dist = sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by));
	double da = sqrt((ba.r - ba.l) * (ba.r - ba.l) + (ba.b - ba.t) * (ba.b - ba.t));
	double db = sqrt((bb.r - bb.l) * (bb.r - bb.l) + (bb.b - bb.t) * (bb.b - bb.t));
	dist /= da + db;
	return dist * 2.0;
}

/* |g ∩ d|, |g| and |d|: polygon areas, or ICDAR 2013's inclusive pixel rectangles. */
static void de_areas(const ev_item *g, const ev_item *d, int poly, double *inter, double *ag,
		     double *ad)
{
	if (poly) {
		*inter = ev_inter(g, d);
		*ag = g->area;
		*ad = d->area;
		return;
	}
	double rg[4], rd[4];
	rect_of(g, rg);
	rect_of(d, rd);
	*inter = ic13_area(rg, rd);
	*ag = ic13_dim(rg);
	*ad = ic13_dim(rd);
}

/* τ of d with the don't-care g above 0.4 */
static int de_covers(const ev_item *g, const ev_item *d, int poly)
{
	double inter, ag, ad;
	de_areas(g, d, poly, &inter, &ag, &ad);
	return ratio_gt(inter, ad, 0.4, NULL, NULL);
}

static int eval_deteval(tl_eval_result *r, tl_eval_sample *s, const ev_list *G, const ev_list *D,
			ev_scratch *w, int poly, int deteval)
{
	size_t ng = G->n, nd = D->n;
	pair_acc pa = { 0 };
	int rc = TL_OK;
	TL_TRY(scratch_need(w, ng, nd));
	de_ctx c = { G, D, w, NULL, NULL, ng, nd, 0.8, 0.4 };
	double recall = 0, precision = 0, hmean = 0, racc = 0, pacc = 0;
	long ngdc = mark_dc_gts(G, w);
	long nddc = mark_dc_dets(G, D, w, ngdc, de_covers, poly);
	if (s->has_det) {
		if (ng == 0) {
			recall = 1;
			precision = nd > 0 ? 0 : 1;
		}
		if (nd > 0) {
			size_t cells = ng * nd;
			if (cells > w->mcap) {
				double *a = realloc(w->rmat, (cells ? cells : 1) * sizeof *a);
				if (a)
					w->rmat = a;
				double *b = realloc(w->pmat, (cells ? cells : 1) * sizeof *b);
				if (b)
					w->pmat = b;
				if (!a || !b)
					return TL_E_NOMEM;
				w->mcap = cells;
			}
			c.rm = w->rmat;
			c.pm = w->pmat;
			for (size_t i = 0; i < ng; i++) {
				const ev_item *g = &G->items[i];
				for (size_t j = 0; j < nd; j++) {
					double inter, ag, ad;
					de_areas(g, &D->items[j], poly, &inter, &ag, &ad);
					RM(&c, i, j) = ag == 0 ? 0 : inter / ag;
					PM(&c, i, j) = ad == 0 ? 0 : inter / ad;
				}
			}
			/* one-to-one */
			for (size_t i = 0; i < ng; i++) {
				for (size_t j = 0; j < nd; j++) {
					if (w->gm[i] || w->dm[j] || w->gdc[i] || w->ddc[j])
						continue;
					if (!de_one_to_one(&c, i, j))
						continue;
					if (deteval && !(de_overlaps(&c, i, 0) == 1 && de_overlaps(&c, j, 1) == 1))
						continue;
					if (!(de_norm_dist(&c, i, j, poly) < 1))
						continue;
					w->gm[i] = w->dm[j] = 1;
					racc += 1.0;
					pacc += 1.0;
					int gi = (int)i, dj = (int)j;
					if ((rc = add_pair(&pa, &gi, 1, 0, &dj, 1, 0, "OO", r)) != TL_OK)
						goto out;
				}
			}
			/* one-to-many (split): the split GT gets 0.8 of recall, its
			 * detections 0.8 of precision each. DetEval treats a one-member split
			 * as one-to-one; the ICDAR 2013 script always credits and labels it a
			 * split. */
			for (size_t i = 0; i < ng; i++) {
				int n = de_many(&c, i, 0, deteval);
				if (n == 0)
					continue;
				int oo = deteval && n == 1;
				racc += oo ? 1.0 : 0.8;
				pacc += oo ? 1.0 : 0.8 * n;
				int gi = (int)i;
				if ((rc = add_pair(&pa, &gi, 1, 0, w->ilist, n, 1, oo ? "OO" : "OM", r)) !=
				    TL_OK)
					goto out;
			}
			/* many-to-one (merge): full recall for each merged GT, full precision
			 * for the detection */
			for (size_t j = 0; j < nd; j++) {
				int n = de_many(&c, j, 1, deteval);
				if (n == 0)
					continue;
				int oo = deteval && n == 1;
				racc += oo ? 1.0 : 1.0 * n;
				pacc += 1.0;
				int dj = (int)j;
				if ((rc = add_pair(&pa, w->ilist, n, 1, &dj, 1, 0, oo ? "OO" : "MO", r)) !=
				    TL_OK)
					goto out;
			}
			long gcare = (long)ng - ngdc;
			if (gcare == 0) {
				recall = 1;
				precision = nd > 0 ? 0 : 1;
			} else {
				recall = racc / (double)gcare;
				long dcare = (long)nd - nddc;
				precision = dcare == 0 ? 0 : pacc / (double)dcare;
			}
			hmean = hmean_pr(precision, recall);
		}
	}
	s->recall = recall;
	s->precision = precision;
	s->hmean = hmean;
	s->recall_accum = racc;
	s->precision_accum = pacc;
	s->gt_care = (long)ng - ngdc;
	s->det_care = (long)nd - nddc;
	s->matched = (long)pa.n;
	rc = finish_sample(r, s, &pa, w->gdc, ng, w->ddc, nd);
out:
	free(pa.v);
	return rc;
}

/* ---- §8 mmocr HmeanIOUMetric ------------------------------------------------------- */

/* more than half of d (plus 1e-5) inside the ignored g, plain division */
static int mm_covers(const ev_item *g, const ev_item *d, int poly)
{
	(void)poly;
	return ev_inter(g, d) / (d->area + 1e-5) > 0.5;
}

static int eval_mmocr(tl_eval_result *r, tl_eval_sample *s, const ev_list *G, const ev_list *D,
		      ev_scratch *w)
{
	size_t ng = G->n, nd = D->n;
	pair_acc pa = { 0 };
	int rc = TL_OK;
	TL_TRY(scratch_need(w, ng, nd));
	float thr[7];
	for (int t = 0; t < 7; t++)
		thr[t] = (float)tl_eval_mmocr_threshold(t);
	/* w->ddc: 1 = ignored (inside ignored GT), 2 = score below the lowest threshold
	 * (ignored, but not listed as don't care) */
	long ngdc = mark_dc_gts(G, w);
	for (size_t j = 0; j < nd; j++)
		if ((float)D->items[j].conf < thr[0])
			w->ddc[j] = 2;
	mark_dc_dets(G, D, w, ngdc, mm_covers, 0);
	/* qualifying pairs (IoU > 0.5) between care GT and kept predictions */
	size_t cells = ng * nd;
	unsigned char *q = calloc(cells ? cells : 1, 1);
	if (!q)
		return TL_E_NOMEM;
	for (size_t i = 0; i < ng; i++) {
		if (w->gdc[i])
			continue;
		for (size_t j = 0; j < nd; j++) {
			if (w->ddc[j])
				continue;
			const ev_item *g = &G->items[i], *d = &D->items[j];
			if (g->np < 3 || d->np < 3)
				continue;
			double inter = ev_inter(g, d);
			/* union of the made-valid polygons; the exact tie test needs raw = valid */
			if (g->varea == g->area && d->varea == d->area)
				q[i * nd + j] = (unsigned char)iou_gt_half(inter, d, g);
			else {
				double u = g->varea + d->varea - inter;
				q[i * nd + j] = u > 0 && inter / u > 0.5;
			}
		}
	}
	for (int t = 0; t < 7; t++) {
		memset(w->gm, 0, ng + 1);
		memset(w->dm, 0, nd + 1);
		long hits = 0, preds = 0;
		for (size_t j = 0; j < nd; j++)
			preds += !w->ddc[j] && (float)D->items[j].conf >= thr[t];
		for (size_t i = 0; i < ng; i++)
			for (size_t j = 0; j < nd; j++) {
				if (!q[i * nd + j] || w->gm[i] || w->dm[j] || (float)D->items[j].conf < thr[t])
					continue;
				w->gm[i] = w->dm[j] = 1;
				hits++;
				if (t == 0) {
					int gi = (int)i, dj = (int)j;
					if ((rc = add_pair(&pa, &gi, 1, 0, &dj, 1, 0, NULL, r)) != TL_OK)
						goto out;
				}
			}
		s->mm_hits[t] = hits;
		s->mm_preds[t] = preds;
	}
	s->gt_care = (long)ng - ngdc;
	s->det_care = s->mm_preds[0];
	s->matched = s->mm_hits[0];
	mm_hmean(s->matched, s->gt_care, s->det_care, &s->precision, &s->recall);
	s->hmean = hmean_pr(s->recall, s->precision);
	for (size_t j = 0; j < nd; j++)
		if (w->ddc[j] == 2)
			w->ddc[j] = 0;
	rc = finish_sample(r, s, &pa, w->gdc, ng, w->ddc, nd);
out:
	free(q);
	free(pa.v);
	return rc;
}

/* ---- §5 CLEval (2023 defaults, QUAD geometry) --------------------------------------- */

#define CL_THETA 0.3
/* ap >= θ as NumPy compares a float32 matrix with a Python float (in float32) */
#define CL_APB(v) ((float)(v) >= (float)CL_THETA)
#define CL_VERT_THRESH 0.5

static double pdist(tl_point a, tl_point b)
{
	return hypot(a.x - b.x, a.y - b.y);
}

/* The four corners CLEval's QUAD code works on: the numbers as read (its aspect ratio
 * and character centres use them before integer truncation); other shapes: their
 * bounding box. */
static void cl_quad(const ev_item *it, tl_point q[4])
{
	if (it->nv == 8) {
		for (int i = 0; i < 4; i++)
			q[i] = (tl_point){ it->v[2 * i], it->v[2 * i + 1] };
		return;
	}
	if (it->np == 4) {
		memcpy(q, it->p, 4 * sizeof *q);
		return;
	}
	q[0] = (tl_point){ it->bb[0], it->bb[1] };
	q[1] = (tl_point){ it->bb[2], it->bb[1] };
	q[2] = (tl_point){ it->bb[2], it->bb[3] };
	q[3] = (tl_point){ it->bb[0], it->bb[3] };
}

/* (mean(top, bottom) + 1e-5) / (mean(left, right) + 1e-5), sides p0p1, p1p2, p2p3, p3p0 */
static double cl_aspect(const tl_point q[4])
{
	double top = pdist(q[0], q[1]), right = pdist(q[1], q[2]);
	double bottom = pdist(q[2], q[3]), left = pdist(q[3], q[0]);
	return ((top + bottom) / 2 + 1e-5) / ((right + left) / 2 + 1e-5);
}

/* Python round() of 0.5 + x (half to even), capped at 10. */
static int cl_pseudo(double x)
{
	double r = nearbyint(0.5 + x);
	return r > 10 ? 10 : r < 0 ? 0 : (int)r;
}

/* Closed point-in-polygon (a point on the outline counts as inside). */
static int cl_inside(const ev_item *it, tl_point pt)
{
	int in = 0;
	for (int i = 0, j = it->np - 1; i < it->np; j = i++) {
		tl_point a = it->p[j], b = it->p[i];
		double cr = (b.x - a.x) * (pt.y - a.y) - (b.y - a.y) * (pt.x - a.x);
		if (cr == 0 && fmin(a.x, b.x) <= pt.x && pt.x <= fmax(a.x, b.x) &&
		    fmin(a.y, b.y) <= pt.y && pt.y <= fmax(a.y, b.y))
			return 1;
		if ((a.y > pt.y) != (b.y > pt.y) &&
		    pt.x < (b.x - a.x) * (pt.y - a.y) / (b.y - a.y) + a.x)
			in = !in;
	}
	return in;
}

static int eval_cleval(tl_eval_result *r, tl_eval_sample *s, const ev_list *G, const ev_list *D,
		       ev_scratch *w)
{
	size_t ng = G->n, nd = D->n;
	pair_acc pa = { 0 };
	int rc = TL_OK;
	TL_TRY(scratch_need(w, ng, nd));
	/* pseudo-character centres of every GT */
	size_t *off = calloc(ng + 1, sizeof *off);
	size_t total = 0;
	if (!off)
		return TL_E_NOMEM;
	int *len = calloc(ng + 1, sizeof *len);
	if (!len) {
		free(off);
		return TL_E_NOMEM;
	}
	for (size_t i = 0; i < ng; i++) {
		tl_point q[4];
		cl_quad(&G->items[i], q);
		double a = cl_aspect(q);
		len[i] = G->items[i].dc ? cl_pseudo(fmax(a, 1 / a)) : G->items[i].tlen;
		if (len[i] > 4096)
			len[i] = 4096;
		off[i] = total;
		total += (size_t)len[i];
	}
	off[ng] = total;
	tl_point *pcc = malloc((total ? total : 1) * sizeof *pcc);
	unsigned char *claimed = calloc(total ? total : 1, 1);
	double *ap = calloc(ng * nd + 1, sizeof *ap);
	int *pc = calloc(ng * nd + 1, sizeof *pc);
	unsigned char *m = calloc(ng * nd + 1, 1);
	char *type = calloc(ng * nd + 1, 1);
	if (!pcc || !claimed || !ap || !pc || !m || !type) {
		rc = TL_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < ng; i++) {
		tl_point q[4], st, en;
		cl_quad(&G->items[i], q);
		/* the word runs from the middle of its left side to the middle of its right
		 * side; a tall box is read bottom to top */
		tl_point lt = q[0], rt = q[1], rb = q[2], lb = q[3];
		if (!(cl_aspect(q) >= CL_VERT_THRESH)) {
			lt = q[3];
			rt = q[0];
			rb = q[1];
			lb = q[2];
		}
		st = (tl_point){ (lt.x + lb.x) / 2, (lt.y + lb.y) / 2 };
		en = (tl_point){ (rt.x + rb.x) / 2, (rt.y + rb.y) / 2 };
		double ux = (en.x - st.x) / len[i], uy = (en.y - st.y) / len[i];
		for (int k = 0; k < len[i]; k++)
			pcc[off[i] + (size_t)k] = (tl_point){ st.x + ux / 2 + ux * k, st.y + uy / 2 + uy * k };
	}
	/* area precision and PCC counts; a DC GT loses the parts covered by care GTs */
	long ngdc = mark_dc_gts(G, w);
	for (size_t i = 0; i < ng; i++) {
		const ev_item *g = &G->items[i];
		for (size_t j = 0; j < nd; j++) {
			const ev_item *d = &D->items[j];
			double inter = ev_inter(g, d);
			if (inter > 0 && w->gdc[i]) {
				static const unsigned char ab_not_c[8] = { 0, 0, 0, 1, 0, 0, 0, 0 };
				tl_clip_poly ps[64];
				size_t np = 0;
				ps[np++] = (tl_clip_poly){ d->p, (size_t)d->np, TL_CLIP_A };
				ps[np++] = (tl_clip_poly){ g->p, (size_t)g->np, TL_CLIP_B };
				for (size_t k = 0; k < ng && np < 64; k++)
					if (!w->gdc[k] && ev_inter(&G->items[k], g) > 0)
						ps[np++] = (tl_clip_poly){ G->items[k].p, (size_t)G->items[k].np,
									   TL_CLIP_C };
				if (np > 2) {
					double v = tl_clip_area(ps, np, ab_not_c);
					inter = v < 0 ? inter : v;
				}
			}
			/* CLEval keeps area precisions in a float32 matrix */
			ap[i * nd + j] = d->area > 0 ? (double)(float)(inter / d->area) : 0;
			int c = 0;
			if (inter > 0)
				for (int k = 0; k < len[i]; k++)
					c += cl_inside(d, pcc[off[i] + (size_t)k]);
			pc[i * nd + j] = c;
		}
	}
	/* don't-care detections */
	long nddc = 0;
	for (size_t j = 0; j < nd; j++) {
		double sum = 0;
		int dc = 0;
		for (size_t i = 0; i < ng && !dc; i++) {
			if (!w->gdc[i])
				continue;
			if (CL_APB(ap[i * nd + j]))
				dc = 1;
			if (pc[i * nd + j] > 0)
				sum += ap[i * nd + j];
		}
		if (dc || sum >= CL_THETA) {
			w->ddc[j] = 1;
			nddc++;
		}
	}
	/* qualifying pair: area precision reaches θ and some PCC of g lies in d. The
	 * one-to-one test counts rows and columns over every GT and detection, don't
	 * care included; the split and merge sets only over care ones. */
#define CQALL(i, j) (CL_APB(ap[(i) * nd + (j)]) && pc[(i) * nd + (j)] > 0)
#define CQ(i, j) (!w->gdc[i] && !w->ddc[j] && CQALL(i, j))
	for (size_t i = 0; i < ng; i++) {
		if (w->gdc[i])
			continue;
		int rowall = 0, row = 0;
		for (size_t j = 0; j < nd; j++) {
			rowall += CQALL(i, j);
			row += CQ(i, j);
		}
		for (size_t j = 0; j < nd; j++) {
			if (!CQ(i, j))
				continue;
			if (row >= 2) {
				m[i * nd + j] = 1;
				type[i * nd + j] = 'S';
				continue;
			}
			int col = 0;
			for (size_t k = 0; k < ng; k++)
				col += CQALL(k, j);
			if (rowall == 1 && col == 1) {
				m[i * nd + j] = 1;
				type[i * nd + j] = type[i * nd + j] ? type[i * nd + j] : 'O';
			}
		}
	}
	for (size_t j = 0; j < nd; j++) {
		if (w->ddc[j])
			continue;
		int n = 0;
		double sum = 0;
		for (size_t i = 0; i < ng; i++)
			if (!w->gdc[i] && pc[i * nd + j] > 0) {
				n++;
				sum += ap[i * nd + j];
			}
		if (n >= 2 && sum >= CL_THETA)
			for (size_t i = 0; i < ng; i++)
				if (!w->gdc[i] && pc[i * nd + j] > 0) {
					m[i * nd + j] = 1;
					type[i * nd + j] = 'M';
				}
	}
#undef CQ
#undef CQALL
	double tp_r = 0, pen_r = 0, tp_p = 0, pen_p = 0, n_gt = 0, n_det = 0;
	long matched_gt = 0;
	for (size_t i = 0; i < ng; i++) {
		if (w->gdc[i])
			continue;
		n_gt += len[i];
		int nm = 0;
		for (size_t j = 0; j < nd; j++)
			nm += m[i * nd + j];
		if (nm == 0)
			continue;
		matched_gt++;
		w->gm[i] = 1;
		for (int k = 0; k < len[i]; k++) {
			for (size_t j = 0; j < nd; j++)
				if (m[i * nd + j] && cl_inside(&D->items[j], pcc[off[i] + (size_t)k])) {
					tp_r += 1;
					break;
				}
		}
		pen_r += (nm - 1) * 1.0;
	}
	for (size_t j = 0; j < nd; j++) {
		if (w->ddc[j])
			continue;
		int nm = 0;
		for (size_t i = 0; i < ng; i++) {
			if (!m[i * nd + j])
				continue;
			nm++;
			n_det += pc[i * nd + j];
			for (int k = 0; k < len[i]; k++) {
				size_t q = off[i] + (size_t)k;
				if (!claimed[q] && cl_inside(&D->items[j], pcc[q])) {
					claimed[q] = 1;
					tp_p += 1;
				}
			}
		}
		if (nm == 0) {
			tl_point q[4];
			cl_quad(&D->items[j], q);
			n_det += cl_pseudo(1 / (cl_aspect(q) + 1e-5));
			continue;
		}
		w->dm[j] = 1;
		pen_p += (nm - 1) * 1.0;
	}
	for (size_t i = 0; i < ng; i++)
		for (size_t j = 0; j < nd; j++) {
			char t = type[i * nd + j];
			if (!m[i * nd + j])
				continue;
			int gi = (int)i, dj = (int)j;
			if ((rc = add_pair(&pa, &gi, 1, 0, &dj, 1, 0, t == 'S' ? "OM" : t == 'M' ? "MO" : "OO",
					   r)) != TL_OK)
				goto out;
		}
	s->cl[0] = tp_r;
	s->cl[1] = pen_r;
	s->cl[2] = n_gt;
	s->cl[3] = tp_p;
	s->cl[4] = pen_p;
	s->cl[5] = n_det;
	s->gt_care = (long)ng - ngdc;
	s->det_care = (long)nd - nddc;
	s->matched = matched_gt;
	s->recall = n_gt > 0 ? fmax(0, tp_r - pen_r) / n_gt : 0;
	s->precision = n_det > 0 ? fmax(0, tp_p - pen_p) / n_det : 0;
	s->hmean = hmean_pr(s->recall, s->precision);
	rc = finish_sample(r, s, &pa, w->gdc, ng, w->ddc, nd);
out:
	free(off);
	free(len);
	free(pcc);
	free(claimed);
	free(ap);
	free(pc);
	free(m);
	free(type);
	free(pa.v);
	return rc;
}

/* ---- the driver --------------------------------------------------------------------- */

typedef struct ev_run {
	tl_eval_result *r;
	const char *gt_path, *det_path;
	ev_src gs, ds;
	ev_key *gk, *dk;
	size_t ngk, ndk;
	ev_key *dsorted, *gsorted; /* by key, for lookups */
	ev_grammar gg, dg;
	ev_list gl, dl, tmp;
	ev_scratch w;
	size_t *idx;
	size_t idxcap;
	int quiet, quiet_failed; /* parse errors deferred to validate_all */
	int gmode, dmode;        /* 1: that side comes through the format readers */
	tl_arena *karena;        /* sample-key strings */
	size_t skipped_names;    /* result entries not named res_img_<N>.txt (non-RRC runs) */
	ev_ds gd, dd;
} ev_run;

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const ev_key *)a)->key, ((const ev_key *)b)->key);
}

static const ev_key *find_key(const ev_key *sorted, size_t n, const char *key)
{
	ev_key k = { (char *)key, 0 };
	return bsearch(&k, sorted, n, sizeof k, cmp_key);
}

/* Key strings live in the run's key arena (one allocation per block, not per key:
 * a 100,000-image run keeps its index small). */
static void free_keys(ev_key *k, size_t n)
{
	(void)n;
	free(k);
}

static char *key_dup(tl_arena *a, const char *s, size_t n)
{
	char *p = tl_arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

static int refuse(ev_run *R, tl_error *err, const char *file, long line, const char *advice,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int refuse(ev_run *R, tl_error *err, const char *file, long line, const char *advice,
		  const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	free(R->r->error);
	R->r->error = strdup(buf);
	R->r->accepted = 0;
	/* the clockwise text is long; its first sentence says it all on a terminal (the
	 * JSON keeps the reference's whole message) */
	char *cw = strstr(buf, "Points are not clockwise.");
	if (cw)
		cw[strlen("Points are not clockwise")] = 0;
	return tl_error_set(err, TL_E_INPUT, file, line, 0, "%.300s%s%s", buf, advice ? "; " : "",
			    advice ? advice : "");
}

/* Collects the sample keys of a source. Entries not matching prefix are skipped, or
 * refused when strict (the RRC rule for submissions). */
static int collect_keys(ev_run *R, ev_src *s, const char *prefix, int strict, ev_key **out,
			size_t *nout, tl_error *err)
{
	ev_key *k = calloc(s->count ? s->count : 1, sizeof *k);
	size_t n = 0;
	if (!k)
		return tl_error_set(err, TL_E_NOMEM, s->path, 0, 0, "out of memory");
	for (size_t i = 0; i < s->count; i++) {
		const char *name = ev_src_name(s, i), *key;
		size_t kl = ev_match_name(name, prefix, &key);
		if (!kl) {
			if (strict) {
				free_keys(k, n);
				return refuse(R, err, s->path, 0,
					      "every entry must be named res_img_<N>.txt at the top "
					      "level of the zip (no folders)",
					      "ZIP entry not valid: %s", name);
			}
			/* outside the RRC rules a result entry with another name is skipped,
			 * but said (folders are not results) */
			size_t nl = strlen(name);
			if (strcmp(prefix, "res_img_") == 0 && nl > 0 && name[nl - 1] != '/')
				R->skipped_names++;
			continue;
		}
		k[n].key = key_dup(R->karena, key, kl);
		k[n].entry = i;
		if (!k[n].key) {
			free_keys(k, n);
			return tl_error_set(err, TL_E_NOMEM, s->path, 0, 0, "out of memory");
		}
		n++;
	}
	if (ev_py2_dict_order(k, &n) != TL_OK) {
		free_keys(k, n);
		return tl_error_set(err, TL_E_NOMEM, s->path, 0, 0, "out of memory");
	}
	*out = k;
	*nout = n;
	return TL_OK;
}

static int read_parse(ev_run *R, ev_src *s, size_t entry, const ev_grammar *g, ev_list *out,
		      const char *key, tl_error *err)
{
	char *data = NULL, *msg = NULL;
	size_t len = 0;
	long line = 0;
	if (s == &R->gs && R->gmode)
		return ev_ds_items(&R->gd, entry, g, out, err);
	if (s == &R->ds && R->dmode)
		return ev_ds_items(&R->dd, entry, g, out, err);
	TL_TRY(ev_src_read(s, entry, &data, &len, err));
	int rc = ev_parse(data, len, g, out, &msg, &line);
	free(data);
	if (rc == TL_OK)
		return TL_OK;
	if (rc == TL_E_INPUT && R->quiet) {
		R->quiet_failed = 1;
		free(msg);
		return rc;
	}
	char file[600];
	snprintf(file, sizeof file, "%s%s%s", s->path, s->zip ? "#" : "/", ev_src_name(s, entry));
	if (rc == TL_E_INPUT) {
		const char *adv = R->r->opts.lenient || g->ltrb
					  ? "fix the line (see textloc validate --fix)"
					  : "run 'textloc validate --fix' on the file, or evaluate "
					    "with --lenient (no clockwise check)";
		if (msg && strstr(msg, "Format incorrect"))
			adv = "fix the line (see textloc validate), or choose the grammar "
			      "(--confidences for a 9th column)";
		rc = refuse(R, err, file, line, adv, "Line in sample not valid. Sample: %s %s", key,
			    msg ? msg : "");
	} else {
		tl_error_set(err, rc, file, line, 0, "%s", msg ? msg : tl_status_str(rc));
	}
	free(msg);
	return rc;
}

static void sort_by_conf(ev_run *R, ev_list *D)
{
	if (D->n < 2)
		return;
	if (D->n > R->idxcap) {
		size_t *ni = realloc(R->idx, D->n * sizeof *ni);
		ev_item *nt = realloc(R->tmp.items, D->n * sizeof *nt);
		if (ni)
			R->idx = ni;
		if (nt) {
			R->tmp.items = nt;
			R->tmp.cap = D->n;
		}
		if (!ni || !nt)
			return;
		R->idxcap = D->n;
	}
	double *c = malloc(D->n * sizeof *c);
	if (!c)
		return;
	for (size_t i = 0; i < D->n; i++)
		c[i] = D->items[i].conf;
	ev_np_argsort_desc(c, D->n, R->idx);
	free(c);
	for (size_t i = 0; i < D->n; i++)
		R->tmp.items[i] = D->items[R->idx[i]];
	memcpy(D->items, R->tmp.items, D->n * sizeof *D->items);
}

/* Shapely-based tools drop polygons that are not valid and simple before indexing. */
void ev_make_valid(ev_list *L)
{
	for (size_t i = 0; i < L->n; i++) {
		ev_item *it = &L->items[i];
		if (tl_clip_valid_simple(it->p, (size_t)it->np))
			continue;
		tl_point h[EV_MAXPTS];
		size_t n = tl_convex_hull(it->p, (size_t)it->np, h);
		for (size_t k = 0; k < n; k++)
			it->p[k] = h[k];
		it->np = n >= 3 ? (int)n : 0;
		it->varea = it->np ? tl_clip_raw_area(it->p, (size_t)it->np) : 0;
	}
}

void ev_drop_invalid(ev_list *L)
{
	size_t m = 0;
	for (size_t i = 0; i < L->n; i++)
		if (tl_clip_valid_simple(L->items[i].p, (size_t)L->items[i].np))
			L->items[m++] = L->items[i];
	L->n = m;
}

static int new_sample(tl_eval_result *r, tl_eval_sample **s)
{
	if (r->nsamples == r->cap) {
		size_t c = r->cap ? r->cap * 2 : 64;
		tl_eval_sample *ns = realloc(r->samples, c * sizeof *ns);
		if (!ns)
			return TL_E_NOMEM;
		r->samples = ns;
		r->cap = c;
	}
	*s = &r->samples[r->nsamples++];
	memset(*s, 0, sizeof **s);
	return TL_OK;
}

/* Every file in the reference's order; returns its first refusal. */
static int validate_all(ev_run *R, tl_error *err)
{
	R->quiet = 0;
	for (size_t i = 0; i < R->ngk; i++)
		TL_TRY(read_parse(R, &R->gs, R->gk[i].entry, &R->gg, &R->gl, R->gk[i].key, err));
	for (size_t i = 0; i < R->ndk; i++) {
		if (!find_key(R->gsorted, R->ngk, R->dk[i].key) && !R->gmode && !R->dmode) {
			char file[600];
			snprintf(file, sizeof file, "%s%s%s", R->det_path, R->ds.zip ? "#" : "/",
				 ev_src_name(&R->ds, R->dk[i].entry));
			return refuse(R, err, file, 0,
				      "the key must be one of the GT's gt_img_<N>.txt numbers "
				      "(no leading zeros, no folder prefix)",
				      "The sample %s not present in GT", R->dk[i].key);
		}
		TL_TRY(read_parse(R, &R->ds, R->dk[i].entry, &R->dg, &R->dl, R->dk[i].key, err));
	}
	return TL_OK;
}

static int evaluate_all(ev_run *R, tl_error *err);

int ev_use_formats(const char *path, const char *format)
{
	if (format)
		return 1;
	return tl_is_file(path) && !tl_has_suffix(path, ".zip");
}

/* Keys of a dataset's images, in its order. */
static int ds_keys(tl_arena *a, const ev_ds *d, ev_key **out, size_t *n)
{
	size_t m = d->ds->nimages;
	ev_key *k = calloc(m ? m : 1, sizeof *k);
	if (!k)
		return TL_E_NOMEM;
	for (size_t i = 0; i < m; i++) {
		char buf[512];
		ev_image_key(d->ds->images[i].name, buf, sizeof buf);
		k[i].key = key_dup(a, buf, strlen(buf));
		k[i].entry = i;
		if (!k[i].key) {
			free(k);
			return TL_E_NOMEM;
		}
	}
	*out = k;
	*n = m;
	return TL_OK;
}

static int evaluate_all(ev_run *R, tl_error *err)
{
	tl_eval_result *r = R->r;
	tl_eval_protocol p = r->opts.protocol;
	int loose = R->gg.loose;
	for (size_t i = 0; i < R->ngk; i++) {
		tl_eval_sample *s;
		if (r->opts.shard_count > 0 &&
		    i % (size_t)r->opts.shard_count != (size_t)r->opts.shard_index)
			continue;
		TL_TRY(new_sample(r, &s));
		s->order = (long)i;
		s->key = arena_strdup(r->arena, R->gk[i].key);
		if (!s->key)
			return TL_E_NOMEM;
		TL_TRY(read_parse(R, &R->gs, R->gk[i].entry, &R->gg, &R->gl, R->gk[i].key, err));
		const ev_key *dk = find_key(R->dsorted, R->ndk, R->gk[i].key);
		R->dl.n = 0;
		if (dk) {
			s->has_det = 1;
			TL_TRY(read_parse(R, &R->ds, dk->entry, &R->dg, &R->dl, dk->key, err));
			if (R->dg.confidence)
				sort_by_conf(R, &R->dl);
			if (r->opts.min_conf > 0) {
				size_t m = 0;
				for (size_t k = 0; k < R->dl.n; k++)
					if (R->dl.items[k].conf >= r->opts.min_conf)
						R->dl.items[m++] = R->dl.items[k];
				R->dl.n = m;
			}
		}
		if (p == TL_EVAL_MMOCR) {
			ev_make_valid(&R->gl);
			ev_make_valid(&R->dl);
		} else if (loose && p != TL_EVAL_UFO_DETEVAL) {
			ev_drop_invalid(&R->gl);
			ev_drop_invalid(&R->dl);
		}
		s->ngt = (long)R->gl.n;
		s->ndet = (long)R->dl.n;
		/* every protocol looks at GT x detection pairs; bound the work per image */
		if (R->gl.n > 0 && R->dl.n > EV_MAX_PAIRS / R->gl.n)
			return tl_error_set(err, TL_E_LIMIT, R->det_path, 0, 0,
					    "image %s: %zu GT regions x %zu detections exceed the limit "
					    "of %lu pairs per image",
					    R->gk[i].key, R->gl.n, R->dl.n, (unsigned long)EV_MAX_PAIRS);
		int rc;
		switch (p) {
		case TL_EVAL_DETEVAL:
			rc = eval_deteval(r, s, &R->gl, &R->dl, &R->w, 0, 0);
			break;
		case TL_EVAL_UFO_DETEVAL:
			/* boostcamp: every word counts (no don't care), each polygon replaced by
			 * its bounding rectangle, inclusive areas, DetEval's tests */
			for (size_t k = 0; k < R->gl.n; k++) {
				R->gl.items[k].dc = 0;
				memcpy(R->gl.items[k].v, R->gl.items[k].bb, sizeof R->gl.items[k].bb);
			}
			for (size_t k = 0; k < R->dl.n; k++)
				memcpy(R->dl.items[k].v, R->dl.items[k].bb, sizeof R->dl.items[k].bb);
			rc = eval_deteval(r, s, &R->gl, &R->dl, &R->w, 0, 1);
			break;
		case TL_EVAL_CLEVAL:
			rc = eval_cleval(r, s, &R->gl, &R->dl, &R->w);
			break;
		case TL_EVAL_MMOCR:
			rc = eval_mmocr(r, s, &R->gl, &R->dl, &R->w);
			break;
		case TL_EVAL_DETEVAL_POLY:
			s->has_det = 1; /* DB's evaluator sees every image, with or without results */
			rc = eval_deteval(r, s, &R->gl, &R->dl, &R->w, 1, 1);
			break;
		default:
			rc = eval_icdar(r, s, &R->gl, &R->dl, &R->w);
			break;
		}
		if (rc == TL_OK)
			rc = tl_eval_account(r, s);
		if (rc != TL_OK)
			return tl_error_set(err, rc, R->gt_path, 0, 0, "%s", tl_status_str(rc));
		if (r->opts.summary_only) {
			/* forget the record: its pairs and lists lived in a per-sample arena */
			r->nsamples--;
			tl_arena_free(r->arena);
			r->arena = tl_arena_new(1 << 16);
			if (!r->arena)
				return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		}
	}
	return TL_OK;
}

void ev_grammars(const tl_eval_opts *o, ev_grammar *gg, ev_grammar *dg)
{
	int loose = o->protocol == TL_EVAL_PADDLE_IOU || o->protocol == TL_EVAL_DETEVAL_POLY ||
		    o->protocol == TL_EVAL_MMOCR || o->protocol == TL_EVAL_UFO_DETEVAL;
	int ltrb = o->protocol == TL_EVAL_DETEVAL;
	int cw = !o->lenient && !ltrb && o->protocol != TL_EVAL_CLEVAL;
	*gg = (ev_grammar){ ltrb, 1, 0, cw, loose };
	*dg = (ev_grammar){ ltrb, 0, o->confidences && !loose, cw, loose };
}

int ev_sort_conf(ev_list *D)
{
	if (D->n < 2)
		return TL_OK;
	size_t *idx = malloc(D->n * sizeof *idx);
	double *c = malloc(D->n * sizeof *c);
	ev_item *t = malloc(D->n * sizeof *t);
	int rc = TL_E_NOMEM;
	if (idx && c && t) {
		for (size_t i = 0; i < D->n; i++)
			c[i] = D->items[i].conf;
		ev_np_argsort_desc(c, D->n, idx);
		for (size_t i = 0; i < D->n; i++)
			t[i] = D->items[idx[i]];
		memcpy(D->items, t, D->n * sizeof *t);
		rc = TL_OK;
	}
	free(idx);
	free(c);
	free(t);
	return rc;
}

static int run(ev_run *R, tl_error *err)
{
	tl_eval_result *r = R->r;
	tl_eval_protocol p = r->opts.protocol;
	int loose = p == TL_EVAL_PADDLE_IOU || p == TL_EVAL_DETEVAL_POLY || p == TL_EVAL_MMOCR ||
		    p == TL_EVAL_UFO_DETEVAL;
	ev_grammars(&r->opts, &R->gg, &R->dg);

	R->gmode = ev_use_formats(R->gt_path, r->opts.gt_format);
	R->dmode = ev_use_formats(R->det_path, r->opts.det_format);
	int rrc = !R->gmode && !R->dmode;
	if (R->gmode) {
		TL_TRY(ev_ds_open(&R->gd, R->gt_path, r->opts.gt_format, err));
		TL_TRY(ds_keys(R->karena, &R->gd, &R->gk, &R->ngk));
	} else {
		TL_TRY(ev_src_open(&R->gs, R->gt_path, err));
		TL_TRY(collect_keys(R, &R->gs, "gt_img_", 0, &R->gk, &R->ngk, err));
	}
	if (R->ngk == 0)
		return tl_error_set(err, TL_E_INPUT, R->gt_path, 0, 0,
				    R->gmode ? "no image in the ground truth"
					     : "no ground-truth file named gt_img_<N>.txt");
	if (R->dmode) {
		TL_TRY(ev_ds_open(&R->dd, R->det_path, r->opts.det_format, err));
		TL_TRY(ds_keys(R->karena, &R->dd, &R->dk, &R->ndk));
	} else {
		TL_TRY(ev_src_open(&R->ds, R->det_path, err));
		TL_TRY(collect_keys(R, &R->ds, "res_img_", !loose && rrc, &R->dk, &R->ndk, err));
	}

	R->gsorted = malloc(R->ngk * sizeof *R->gsorted);
	R->dsorted = malloc((R->ndk ? R->ndk : 1) * sizeof *R->dsorted);
	if (!R->gsorted || !R->dsorted)
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	memcpy(R->gsorted, R->gk, R->ngk * sizeof *R->gk);
	memcpy(R->dsorted, R->dk, R->ndk * sizeof *R->dk);
	qsort(R->gsorted, R->ngk, sizeof *R->gsorted, cmp_key);
	qsort(R->dsorted, R->ndk, sizeof *R->dsorted, cmp_key);

	/* The reference validates every file (GT first, then results, in Python 2 dict
	 * order) before it evaluates anything, and reports the first failure in that order.
	 * Parsing everything twice would double the cost, so the evaluation pass parses
	 * quietly and the validation pass runs only when something failed (its refusal is
	 * then the reference's) or when a shard must vouch for files it does not read. */
	if (!loose) {
		int need = r->opts.shard_count > 0;
		for (size_t i = 0; i < R->ndk && !need && rrc; i++)
			if (!find_key(R->gsorted, R->ngk, R->dk[i].key))
				need = 1;
		if (need)
			TL_TRY(validate_all(R, err));
		R->quiet = 1;
	}
	if (loose || !rrc) {
		/* outside the RRC rules a result image without GT is reported, not fatal */
		tl_buf u = TL_BUF_INIT;
		for (size_t i = 0; i < R->ndk; i++) {
			if (find_key(R->gsorted, R->ngk, R->dk[i].key))
				continue;
			if (r->n_unmapped++ < 20)
				tl_buf_printf(&u, "%s%s", u.len ? ", " : "", R->dk[i].key);
		}
		r->unmapped = u.data;
		r->n_misnamed = R->skipped_names;
	}

	int rc = evaluate_all(R, err);
	if (rc == TL_E_INPUT && R->quiet_failed) {
		/* find the reference's first refusal */
		r->nsamples = 0;
		rc = validate_all(R, err);
		if (rc == TL_OK)
			rc = tl_error_set(err, TL_E_INPUT, R->det_path, 0, 0,
					  "a file failed to parse but validation passed (internal error)");
		return rc;
	}
	TL_TRY(rc);
	tl_eval_finish(r);
	return TL_OK;
}

int tl_eval_run(const char *gt_path, const char *det_path, const tl_eval_opts *opts,
		tl_eval_result **out, tl_error *err)
{
	tl_eval_opts o = { 0 };
	if (opts)
		o = *opts;
	*out = NULL;
	if ((unsigned)o.protocol >= TL_EVAL_NPROTOCOLS)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "unknown protocol");
	ev_run R;
	memset(&R, 0, sizeof R);
	R.gt_path = gt_path;
	R.det_path = det_path;
	R.r = tl_eval_result_new(&o);
	R.karena = tl_arena_new(1 << 16);
	if (!R.r || !R.karena) {
		tl_eval_free(R.r);
		tl_arena_free(R.karena);
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	int rc = run(&R, err);
	ev_src_close(&R.gs);
	ev_src_close(&R.ds);
	ev_ds_close(&R.gd);
	ev_ds_close(&R.dd);
	free_keys(R.gk, R.ngk);
	free_keys(R.dk, R.ndk);
	tl_arena_free(R.karena);
	free(R.gsorted);
	free(R.dsorted);
	free(R.gl.items);
	free(R.dl.items);
	free(R.tmp.items);
	free(R.idx);
	scratch_free(&R.w);
	if (rc == TL_E_INPUT && !R.r->accepted) {
		*out = R.r;
		return rc;
	}
	if (rc != TL_OK) {
		tl_eval_free(R.r);
		return rc;
	}
	*out = R.r;
	return TL_OK;
}
