/* output.c — evaluation results as JSON (the golden shape), merging of shard results,
 * and the confidence-threshold sweep. */
#include "eval_int.h"
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>

static int has_ap(const tl_eval_result *r)
{
	return r->opts.protocol == TL_EVAL_ICDAR2015 || r->opts.protocol == TL_EVAL_TIOU;
}

static int put_ints(tl_buf *b, const int *v, size_t n, int as_list)
{
	if (!as_list && n == 1)
		return tl_buf_printf(b, "%d", v[0]);
	TL_TRY(tl_buf_puts(b, "["));
	for (size_t i = 0; i < n; i++)
		TL_TRY(tl_buf_printf(b, "%s%d", i ? ", " : "", v[i]));
	return tl_buf_puts(b, "]");
}

static int put_kv(tl_buf *b, const char *k, double v, int comma)
{
	TL_TRY(tl_buf_printf(b, "%s\"%s\": ", comma ? ", " : "", k));
	if (!isfinite(v))
		return tl_buf_puts(b, "null");
	return tl_buf_num(b, v);
}

int tl_eval_json(const tl_eval_result *r, const char *submission, int samples, int partial,
		 tl_buf *b)
{
	TL_TRY(tl_buf_puts(b, "{\"submission\": "));
	TL_TRY(tl_buf_json_string(b, submission ? submission : ""));
	TL_TRY(tl_buf_printf(b, ", \"protocol\": \"%s\", \"lenient\": %s, \"confidences\": %s",
			     tl_eval_protocol_name(r->opts.protocol), r->opts.lenient ? "true" : "false",
			     r->opts.confidences ? "true" : "false"));
	TL_TRY(tl_buf_printf(b, ", \"accepted\": %s, \"error\": ", r->accepted ? "true" : "false"));
	if (r->error)
		TL_TRY(tl_buf_json_string(b, r->error));
	else
		TL_TRY(tl_buf_puts(b, "null"));
	if (!r->accepted)
		return tl_buf_puts(b, "}\n");
	TL_TRY(tl_buf_puts(b, ",\n \"method\": {"));
	TL_TRY(put_kv(b, "precision", r->precision, 0));
	TL_TRY(put_kv(b, "recall", r->recall, 1));
	TL_TRY(put_kv(b, "hmean", r->hmean, 1));
	if (r->opts.protocol == TL_EVAL_ICDAR2015)
		TL_TRY(put_kv(b, "AP", r->ap, 1));
	TL_TRY(tl_buf_puts(b, "}"));
	if (r->opts.protocol == TL_EVAL_TIOU) {
		TL_TRY(tl_buf_puts(b, ",\n \"iouMethod\": {"));
		TL_TRY(put_kv(b, "iouPrecision", r->iou_precision, 0));
		TL_TRY(put_kv(b, "iouRecall", r->iou_recall, 1));
		TL_TRY(put_kv(b, "iouHmean", r->iou_hmean, 1));
		TL_TRY(tl_buf_puts(b, "},\n \"tiouMethod\": {"));
		TL_TRY(put_kv(b, "tiouPrecision", r->tiou_precision, 0));
		TL_TRY(put_kv(b, "tiouRecall", r->tiou_recall, 1));
		TL_TRY(put_kv(b, "tiouHmean", r->tiou_hmean, 1));
		TL_TRY(tl_buf_puts(b, "}"));
	}
	if (r->opts.protocol == TL_EVAL_MMOCR) {
		TL_TRY(tl_buf_puts(b, ",\n \"thresholds\": ["));
		for (int t = 0; t < 7; t++) {
			double p, rc;
			long g = r->gt_care, n = r->mm_preds[t], h = r->mm_hits[t];
			rc = g == 0 ? 1.0 : (double)h / (double)g;
			p = g == 0 ? (n > 0 ? 0.0 : 1.0) : n == 0 ? 0.0 : (double)h / (double)n;
			TL_TRY(tl_buf_puts(b, t ? ", {" : "{"));
			TL_TRY(put_kv(b, "threshold", tl_eval_mmocr_threshold(t), 0));
			TL_TRY(put_kv(b, "precision", p, 1));
			TL_TRY(put_kv(b, "recall", rc, 1));
			TL_TRY(put_kv(b, "hmean", (p + rc) == 0 ? 0 : 2.0 * rc * p / (rc + p), 1));
			TL_TRY(tl_buf_printf(b, ", \"hits\": %ld, \"predictions\": %ld%s}", h, n,
					     t == r->mm_best ? ", \"best\": true" : ""));
		}
		TL_TRY(tl_buf_puts(b, "]"));
	}
	TL_TRY(tl_buf_printf(b, ",\n \"counts\": {\"gtCare\": %ld, \"detCare\": %ld, \"matched\": %ld}",
			     r->gt_care, r->det_care, r->matched));
	if (!samples)
		return tl_buf_puts(b, "}\n");
	TL_TRY(tl_buf_puts(b, ",\n \"samples\": {"));
	for (size_t i = 0; i < r->nsamples; i++) {
		const tl_eval_sample *s = &r->samples[i];
		TL_TRY(tl_buf_puts(b, i ? ",\n  " : "\n  "));
		TL_TRY(tl_buf_json_string(b, s->key));
		TL_TRY(tl_buf_puts(b, ": {"));
		TL_TRY(put_kv(b, "precision", s->precision, 0));
		TL_TRY(put_kv(b, "recall", s->recall, 1));
		TL_TRY(put_kv(b, "hmean", s->hmean, 1));
		if (has_ap(r))
			TL_TRY(put_kv(b, "AP", s->ap, 1));
		TL_TRY(tl_buf_puts(b, ", \"pairs\": ["));
		for (size_t k = 0; k < s->npairs; k++) {
			const tl_eval_pair *p = &s->pairs[k];
			TL_TRY(tl_buf_puts(b, k ? ", {\"gt\": " : "{\"gt\": "));
			TL_TRY(put_ints(b, p->gt, (size_t)p->ngt, p->gt_list));
			TL_TRY(tl_buf_puts(b, ", \"det\": "));
			TL_TRY(put_ints(b, p->det, (size_t)p->ndet, p->det_list));
			if (p->type[0])
				TL_TRY(tl_buf_printf(b, ", \"type\": \"%s\"", p->type));
			TL_TRY(tl_buf_puts(b, "}"));
		}
		TL_TRY(tl_buf_puts(b, "], \"gtDontCare\": "));
		TL_TRY(put_ints(b, s->gt_dc, s->ngt_dc, 1));
		TL_TRY(tl_buf_puts(b, ", \"detDontCare\": "));
		TL_TRY(put_ints(b, s->det_dc, s->ndet_dc, 1));
		if (partial) {
			TL_TRY(tl_buf_printf(b,
					     ", \"terms\": {\"hasDet\": %d, \"ngt\": %ld, \"ndet\": %ld, "
					     "\"gtCare\": %ld, \"detCare\": %ld, \"matched\": %ld, \"order\": %ld",
					     s->has_det, s->ngt, s->ndet, s->gt_care, s->det_care,
					     s->matched, s->order));
			TL_TRY(put_kv(b, "recallAccum", s->recall_accum, 1));
			TL_TRY(put_kv(b, "precisionAccum", s->precision_accum, 1));
			TL_TRY(put_kv(b, "iouSum", s->iou_sum, 1));
			TL_TRY(put_kv(b, "tiouRecallSum", s->tiou_r_sum, 1));
			TL_TRY(put_kv(b, "tiouPrecisionSum", s->tiou_p_sum, 1));
			TL_TRY(tl_buf_puts(b, ", \"clevalCounts\": ["));
			for (int k = 0; k < 6; k++) {
				TL_TRY(tl_buf_puts(b, k ? ", " : ""));
				TL_TRY(tl_buf_num(b, s->cl[k]));
			}
			TL_TRY(tl_buf_puts(b, "]"));
			TL_TRY(tl_buf_puts(b, ", \"mmHits\": ["));
			for (int t = 0; t < 7; t++)
				TL_TRY(tl_buf_printf(b, "%s%ld", t ? ", " : "", s->mm_hits[t]));
			TL_TRY(tl_buf_puts(b, "], \"mmPreds\": ["));
			for (int t = 0; t < 7; t++)
				TL_TRY(tl_buf_printf(b, "%s%ld", t ? ", " : "", s->mm_preds[t]));
			TL_TRY(tl_buf_puts(b, "], \"conf\": ["));
			for (size_t k = 0; k < s->nconf; k++) {
				TL_TRY(tl_buf_puts(b, k ? ", [" : "["));
				TL_TRY(tl_buf_num(b, s->conf[k]));
				TL_TRY(tl_buf_printf(b, ", %d]", s->conf_match[k]));
			}
			TL_TRY(tl_buf_puts(b, "]}"));
		}
		TL_TRY(tl_buf_puts(b, "}"));
	}
	return tl_buf_puts(b, "}}\n");
}

/* ---- merge ------------------------------------------------------------------------- */

static double jnum(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int *jints(tl_arena *a, const cJSON *v, int *n, int *as_list)
{
	int cnt = 0;
	*as_list = cJSON_IsArray(v);
	if (cJSON_IsNumber(v))
		cnt = 1;
	else if (cJSON_IsArray(v))
		cnt = cJSON_GetArraySize(v);
	else
		return NULL;
	if (cnt < 0 || cnt > (int)TL_MAX_REGIONS)
		return NULL;
	int *p = tl_arena_alloc(a, (size_t)(cnt ? cnt : 1) * sizeof *p);
	if (!p)
		return NULL;
	if (cJSON_IsNumber(v))
		p[0] = v->valueint;
	else {
		int i = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, v) {
			if (!cJSON_IsNumber(e))
				return NULL;
			p[i++] = e->valueint;
		}
	}
	*n = cnt;
	return p;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sample in two parts would be counted twice: refuse it. */
static int check_unique(const tl_eval_result *r, const char *name, tl_error *err)
{
	const char **k = malloc((r->nsamples ? r->nsamples : 1) * sizeof *k);
	int rc = TL_OK;
	if (!k)
		return TL_E_NOMEM;
	for (size_t i = 0; i < r->nsamples; i++)
		k[i] = r->samples[i].key;
	qsort(k, r->nsamples, sizeof *k, cmp_str);
	for (size_t i = 1; i < r->nsamples; i++)
		if (strcmp(k[i - 1], k[i]) == 0) {
			rc = tl_error_set(err, TL_E_INPUT, name, 0, 0,
					  "sample %s appears in two parts", k[i]);
			break;
		}
	free(k);
	return rc;
}

static int cmp_order(const void *a, const void *b)
{
	const tl_eval_sample *x = *(const tl_eval_sample *const *)a;
	const tl_eval_sample *y = *(const tl_eval_sample *const *)b;
	return (x->order > y->order) - (x->order < y->order);
}

/* The dataset AP sorts the concatenation of every image's list, so ties and float
 * sums depend on the concatenation order: rebuild it, and the other float totals, in
 * the one-run order, so that a merge gives the one run's figures to the last bit. */
static int reorder_confidences(tl_eval_result *r)
{
	const tl_eval_sample **v = malloc((r->nsamples ? r->nsamples : 1) * sizeof *v);
	if (!v)
		return TL_E_NOMEM;
	for (size_t i = 0; i < r->nsamples; i++)
		v[i] = &r->samples[i];
	qsort(v, r->nsamples, sizeof *v, cmp_order);
	/* float sums (DetEval credits, TIoU terms) in the one-run order too */
	r->recall_accum = r->precision_accum = r->iou_sum = r->tiou_r_sum = r->tiou_p_sum = 0;
	memset(r->cl, 0, sizeof r->cl);
	for (size_t i = 0; i < r->nsamples; i++) {
		for (int c = 0; c < 6; c++)
			r->cl[c] += v[i]->cl[c];
		r->recall_accum += v[i]->recall_accum;
		r->precision_accum += v[i]->precision_accum;
		r->iou_sum += v[i]->iou_sum;
		r->tiou_r_sum += v[i]->tiou_r_sum;
		r->tiou_p_sum += v[i]->tiou_p_sum;
	}
	size_t k = 0;
	for (size_t i = 0; i < r->nsamples; i++) {
		if (v[i]->nconf == 0)
			continue;
		if (k + v[i]->nconf > r->allcap)
			break; /* cannot happen: account() sized the arrays for all of them */
		memcpy(r->all_conf + k, v[i]->conf, v[i]->nconf * sizeof *r->all_conf);
		memcpy(r->all_match + k, v[i]->conf_match, v[i]->nconf);
		k += v[i]->nconf;
	}
	free(v);
	return TL_OK;
}

int tl_eval_merge_json(tl_eval_result *r, const char *json, size_t len, const char *name,
		       tl_error *err)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	int rc = TL_OK;
	if (!root)
		return tl_error_set(err, TL_E_INPUT, name, 0, 0, "not valid JSON");
	const cJSON *proto = cJSON_GetObjectItemCaseSensitive(root, "protocol");
	const cJSON *acc = cJSON_GetObjectItemCaseSensitive(root, "accepted");
	const cJSON *samples = cJSON_GetObjectItemCaseSensitive(root, "samples");
	if (!cJSON_IsString(proto) || tl_eval_protocol_from_name(proto->valuestring) < 0) {
		rc = tl_error_set(err, TL_E_INPUT, name, 0, 0,
				  "not a textloc eval result (no \"protocol\")");
		goto out;
	}
	int p = tl_eval_protocol_from_name(proto->valuestring);
	const cJSON *conf = cJSON_GetObjectItemCaseSensitive(root, "confidences");
	if (r->nsamples == 0 && !r->error) {
		r->opts.protocol = (tl_eval_protocol)p;
		r->opts.confidences = cJSON_IsTrue(conf);
		r->opts.lenient = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "lenient"));
	} else if ((int)r->opts.protocol != p || r->opts.confidences != cJSON_IsTrue(conf)) {
		rc = tl_error_set(err, TL_E_INPUT, name, 0, 0,
				  "protocol or options differ from the other parts (%s)",
				  proto->valuestring);
		goto out;
	}
	if (!cJSON_IsTrue(acc)) {
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
		r->accepted = 0;
		free(r->error);
		r->error = strdup(cJSON_IsString(e) ? e->valuestring : "refused");
		rc = tl_error_set(err, TL_E_INPUT, name, 0, 0, "this part was refused: %s",
				  r->error ? r->error : "");
		goto out;
	}
	if (!cJSON_IsObject(samples)) {
		rc = tl_error_set(err, TL_E_INPUT, name, 0, 0,
				  "no \"samples\": write the parts with --json --partial");
		goto out;
	}
	const cJSON *sj;
	cJSON_ArrayForEach(sj, samples) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(sj, "terms");
		if (!cJSON_IsObject(t)) {
			rc = tl_error_set(err, TL_E_INPUT, name, 0, 0,
					  "sample %s has no \"terms\": write the parts with --partial",
					  sj->string);
			goto out;
		}
		if (r->nsamples == r->cap) {
			size_t c = r->cap ? r->cap * 2 : 64;
			tl_eval_sample *ns = realloc(r->samples, c * sizeof *ns);
			if (!ns) {
				rc = TL_E_NOMEM;
				goto out;
			}
			r->samples = ns;
			r->cap = c;
		}
		tl_eval_sample *s = &r->samples[r->nsamples];
		memset(s, 0, sizeof *s);
		size_t kl = strlen(sj->string);
		char *key = tl_arena_alloc(r->arena, kl + 1);
		if (!key) {
			rc = TL_E_NOMEM;
			goto out;
		}
		memcpy(key, sj->string, kl + 1);
		s->key = key;
		s->precision = jnum(sj, "precision");
		s->recall = jnum(sj, "recall");
		s->hmean = jnum(sj, "hmean");
		s->ap = jnum(sj, "AP");
		s->has_det = (int)jnum(t, "hasDet");
		s->order = (long)jnum(t, "order");
		s->ngt = (long)jnum(t, "ngt");
		s->ndet = (long)jnum(t, "ndet");
		s->gt_care = (long)jnum(t, "gtCare");
		s->det_care = (long)jnum(t, "detCare");
		s->matched = (long)jnum(t, "matched");
		s->recall_accum = jnum(t, "recallAccum");
		s->precision_accum = jnum(t, "precisionAccum");
		s->iou_sum = jnum(t, "iouSum");
		s->tiou_r_sum = jnum(t, "tiouRecallSum");
		s->tiou_p_sum = jnum(t, "tiouPrecisionSum");
		const cJSON *mh = cJSON_GetObjectItemCaseSensitive(t, "mmHits");
		const cJSON *mp = cJSON_GetObjectItemCaseSensitive(t, "mmPreds");
		for (int k = 0; k < 7; k++) {
			const cJSON *a = cJSON_GetArrayItem(mh, k), *b = cJSON_GetArrayItem(mp, k);
			s->mm_hits[k] = cJSON_IsNumber(a) ? (long)a->valuedouble : 0;
			s->mm_preds[k] = cJSON_IsNumber(b) ? (long)b->valuedouble : 0;
		}
		const cJSON *cc = cJSON_GetObjectItemCaseSensitive(t, "clevalCounts");
		for (int k = 0; k < 6; k++) {
			const cJSON *a = cJSON_GetArrayItem(cc, k);
			s->cl[k] = cJSON_IsNumber(a) ? a->valuedouble : 0;
		}
		const cJSON *pairs = cJSON_GetObjectItemCaseSensitive(sj, "pairs");
		int np = cJSON_IsArray(pairs) ? cJSON_GetArraySize(pairs) : 0;
		s->pairs = tl_arena_alloc(r->arena, (size_t)(np > 0 ? np : 1) * sizeof *s->pairs);
		if (!s->pairs) {
			rc = TL_E_NOMEM;
			goto out;
		}
		const cJSON *pj;
		cJSON_ArrayForEach(pj, pairs) {
			tl_eval_pair *q = &s->pairs[s->npairs];
			memset(q, 0, sizeof *q);
			q->gt = jints(r->arena, cJSON_GetObjectItemCaseSensitive(pj, "gt"), &q->ngt,
				      &q->gt_list);
			q->det = jints(r->arena, cJSON_GetObjectItemCaseSensitive(pj, "det"), &q->ndet,
				       &q->det_list);
			if (!q->gt || !q->det) {
				rc = tl_error_set(err, TL_E_INPUT, name, 0, 0,
						  "sample %s: malformed pair", sj->string);
				goto out;
			}
			const cJSON *ty = cJSON_GetObjectItemCaseSensitive(pj, "type");
			if (cJSON_IsString(ty))
				snprintf(q->type, sizeof q->type, "%s", ty->valuestring);
			s->npairs++;
		}
		int n, l;
		s->gt_dc = jints(r->arena, cJSON_GetObjectItemCaseSensitive(sj, "gtDontCare"), &n, &l);
		s->ngt_dc = s->gt_dc ? (size_t)n : 0;
		s->det_dc = jints(r->arena, cJSON_GetObjectItemCaseSensitive(sj, "detDontCare"), &n, &l);
		s->ndet_dc = s->det_dc ? (size_t)n : 0;
		const cJSON *cj = cJSON_GetObjectItemCaseSensitive(t, "conf");
		int nc = cJSON_IsArray(cj) ? cJSON_GetArraySize(cj) : 0;
		s->conf = tl_arena_alloc(r->arena, (size_t)(nc > 0 ? nc : 1) * sizeof *s->conf);
		s->conf_match = tl_arena_alloc(r->arena, (size_t)(nc > 0 ? nc : 1));
		if (!s->conf || !s->conf_match) {
			rc = TL_E_NOMEM;
			goto out;
		}
		const cJSON *c;
		cJSON_ArrayForEach(c, cj) {
			const cJSON *c0 = cJSON_GetArrayItem(c, 0), *c1 = cJSON_GetArrayItem(c, 1);
			if (!cJSON_IsNumber(c0) || !cJSON_IsNumber(c1))
				continue;
			s->conf[s->nconf] = c0->valuedouble;
			s->conf_match[s->nconf++] = c1->valueint != 0;
		}
		r->nsamples++;
		if ((rc = tl_eval_account(r, s)) != TL_OK)
			goto out;
	}
	rc = check_unique(r, name, err);
	if (rc == TL_OK)
		rc = reorder_confidences(r);
	tl_eval_finish(r);
out:
	cJSON_Delete(root);
	return rc;
}

/* ---- sweep ---------------------------------------------------------------------------- */

int tl_eval_sweep(const char *gt_path, const char *det_path, const tl_eval_opts *opts,
		  const double *thr, size_t n, tl_eval_sweep_point *out, tl_error *err)
{
	for (size_t i = 0; i < n; i++) {
		tl_eval_opts o = *opts;
		tl_eval_result *r = NULL;
		o.confidences = 1;
		o.min_conf = thr[i];
		int rc = tl_eval_run(gt_path, det_path, &o, &r, err);
		if (rc != TL_OK) {
			tl_eval_free(r);
			return rc;
		}
		out[i].thr = thr[i];
		out[i].precision = r->precision;
		out[i].recall = r->recall;
		out[i].hmean = r->hmean;
		tl_eval_free(r);
	}
	return TL_OK;
}
