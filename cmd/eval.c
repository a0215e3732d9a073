/* eval.c — textloc eval: score detections against ground truth with the field's
 * protocols (docs/protocols.md), print a summary, JSON, or per-image figures. */
#include "cmd.h"
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
	"usage: textloc eval [--protocol NAME] [--lenient] [--confidences] [--json] [--partial] "
	"[--per-image] [--sweep] [--shard I/N] [--merge] [--report DIR [--images DIR]] "
	"[--gt-format F] [--det-format F] [-o FILE] "
	"GT DETECTIONS | --dataset NAME DIR [--split S] DETECTIONS | PART.json...\n"
	"\n"
	"Scores text detections against ground truth exactly as the reference scripts do.\n"
	"GT and DETECTIONS are zips or directories of gt_img_N.txt / res_img_N.txt files.\n"
	"\n"
	"  -p, --protocol NAME  icdar2015 (default), tiou, deteval (ICDAR 2013 DetEval, RECT),\n"
	"                       deteval-poly (DB's polygon DetEval), paddleocr-iou,\n"
	"                       mmocr-hmean (best of score thresholds 0.3..0.9),\n"
	"                       ufo-deteval (boostcamp DetEval on UFO bounding boxes),\n"
	"                       cleval (character-level, QUAD)\n"
	"  -l, --lenient        no clockwise check (the variant DB/PSENet/PAN code uses)\n"
	"  -c, --confidences    detections carry a 9th column of confidences; reports AP\n"
	"  -j, --json           JSON in the golden shape (method, per-sample pairs, don't-care)\n"
	"      --partial        with --json: add the terms that --merge needs (sharded runs)\n"
	"      --per-image      per-image figures, worst hmean first\n"
	"      --sweep          with --confidences: P/R/H at thresholds 0.05..0.95, best marked\n"
	"      --shard I/N      evaluate every N-th GT image starting at I (0-based); write\n"
	"                       --json --partial and combine the parts with --merge\n"
	"      --merge          combine PART.json files written with --json --partial\n"
	"      --report DIR     write DIR/index.html and a drawing of every image (PNG)\n"
	"      --images DIR     the images (img_<N>.jpg ...) to draw on; default: white pages\n"
	"      --gt-format F    read GT with format F (any textloc reads, 'auto' = probe)\n"
	"                       instead of the RRC rules; a single non-zip file is probed\n"
	"      --det-format F   the same for the detections\n"
	"      --dataset NAME   GT is the --split (default test) of a known dataset's copy\n"
	"                       in DIR, found by its descriptor (see textloc datasets)\n"
	"      --split S        with --dataset: the split to score against\n"
	"  -n, --name NAME      submission name recorded in the JSON (default: DETECTIONS)\n"
	"  -o, --output FILE    write there instead of stdout (replaced atomically)\n"
	"  -f, --force          overwrite an existing output file\n"
	"  -h, --help           this text\n"
	"\n"
	"Exit status: 0 evaluated, 1 submission refused (the message says why and what to do),\n"
	"2 usage, 3 I/O or memory failure.\n";

enum { OPT_PARTIAL = 256, OPT_PER_IMAGE, OPT_SWEEP, OPT_MERGE, OPT_SHARD, OPT_REPORT, OPT_IMAGES,
       OPT_GT_FORMAT, OPT_DET_FORMAT, OPT_DATASET, OPT_SPLIT };

typedef struct eval_cli {
	tl_eval_opts o;
	int json, partial, per_image, sweep, merge, force;
	const char *output, *name, *report, *images;
} eval_cli;

static int cmp_hmean(const void *a, const void *b)
{
	const tl_eval_sample *x = *(const tl_eval_sample *const *)a;
	const tl_eval_sample *y = *(const tl_eval_sample *const *)b;
	if (x->hmean != y->hmean)
		return x->hmean < y->hmean ? -1 : 1;
	long dx = x->gt_care - x->matched, dy = y->gt_care - y->matched;
	if (dx != dy)
		return dx > dy ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int print_table(const tl_eval_result *r, const eval_cli *c, tl_buf *b)
{
	const char *p = tl_eval_protocol_name(r->opts.protocol);
	int rc = tl_buf_printf(b, "protocol    %s%s%s\n", p, r->opts.lenient ? " (lenient)" : "",
			       r->opts.confidences ? " (confidences)" : "");
	rc |= tl_buf_printf(b, "images      %zu\n", r->nimages);
	if (r->opts.protocol == TL_EVAL_DETEVAL || r->opts.protocol == TL_EVAL_DETEVAL_POLY ||
	    r->opts.protocol == TL_EVAL_UFO_DETEVAL)
		rc |= tl_buf_printf(b, "gt care     %ld   det care %ld   recall credit %.4f   "
				       "precision credit %.4f\n",
				    r->gt_care, r->det_care, r->recall_accum, r->precision_accum);
	else
		rc |= tl_buf_printf(b, "gt care     %ld   det care %ld   matched %ld\n", r->gt_care,
				    r->det_care, r->matched);
	rc |= tl_buf_printf(b, "precision   %.6f\nrecall      %.6f\nhmean       %.6f\n",
			    r->precision, r->recall, r->hmean);
	if (r->opts.confidences && r->opts.protocol == TL_EVAL_ICDAR2015)
		rc |= tl_buf_printf(b, "AP          %.6f\n", r->ap);
	if (r->opts.protocol == TL_EVAL_TIOU) {
		rc |= tl_buf_printf(b, "SIoU        P %.6f  R %.6f  H %.6f\n", r->iou_precision,
				    r->iou_recall, r->iou_hmean);
		rc |= tl_buf_printf(b, "TIoU        P %.6f  R %.6f  H %.6f\n", r->tiou_precision,
				    r->tiou_recall, r->tiou_hmean);
	}
	if (r->opts.protocol == TL_EVAL_CLEVAL)
		rc |= tl_buf_printf(b, "characters  GT %.0f, found %.0f (split penalty %.0f); "
				       "detected %.0f, correct %.0f (merge penalty %.0f)\n",
				    r->cl[2], r->cl[0], r->cl[1], r->cl[5], r->cl[3], r->cl[4]);
	if (r->opts.protocol == TL_EVAL_MMOCR) {
		rc |= tl_buf_puts(b, "score threshold  precision recall    hmean\n");
		for (int t = 0; t < 7; t++) {
			long g = r->gt_care, n = r->mm_preds[t], h = r->mm_hits[t];
			double rr = g == 0 ? 1.0 : (double)h / (double)g;
			double pp = g == 0 ? (n > 0 ? 0.0 : 1.0) : n == 0 ? 0.0 : (double)h / (double)n;
			rc |= tl_buf_printf(b, "%15.2f  %9.4f %9.4f %8.4f%s\n", tl_eval_mmocr_threshold(t), pp,
					    rr, (pp + rr) == 0 ? 0 : 2.0 * rr * pp / (rr + pp),
					    t == r->mm_best ? "  <- reported (best hmean)" : "");
		}
	}
	if (r->det_care > 0 && r->matched == 0)
		rc |= tl_buf_puts(b, "warning: detections were given but none matched; check that "
				     "GT and detections refer to the same images and coordinates\n");
	if (c->per_image) {
		const tl_eval_sample **v = malloc((r->nsamples ? r->nsamples : 1) * sizeof *v);
		if (!v)
			return TL_E_NOMEM;
		for (size_t i = 0; i < r->nsamples; i++)
			v[i] = &r->samples[i];
		qsort(v, r->nsamples, sizeof *v, cmp_hmean);
		rc |= tl_buf_puts(b, "\nimage       gtCare detCare matched precision recall    hmean\n");
		for (size_t i = 0; i < r->nsamples; i++)
			rc |= tl_buf_printf(b, "%-11s %6ld %7ld %7ld %9.4f %9.4f %8.4f%s\n", v[i]->key,
					    v[i]->gt_care, v[i]->det_care, v[i]->matched,
					    v[i]->precision, v[i]->recall, v[i]->hmean,
					    v[i]->has_det ? "" : "  (no result file)");
		free(v);
	}
	return rc ? TL_E_NOMEM : TL_OK;
}

static int emit(const eval_cli *c, tl_buf *b)
{
	tl_error err = { 0 };
	const char *out = c->output ? c->output : "-";
	if (tl_write_file_atomic(out, b->data ? b->data : "", b->len, c->force, &err) != TL_OK) {
		cli_error(&err);
		return cli_exit_code(err.status);
	}
	return 0;
}

static int do_sweep(const eval_cli *c, const char *gt, const char *det, tl_buf *b)
{
	double thr[19];
	tl_eval_sweep_point pts[19];
	tl_error err = { 0 };
	for (int i = 0; i < 19; i++)
		thr[i] = 0.05 * (i + 1);
	int rc = tl_eval_sweep(gt, det, &c->o, thr, 19, pts, &err);
	if (rc != TL_OK) {
		cli_error(&err);
		return cli_exit_code(rc);
	}
	size_t best = 0;
	for (size_t i = 1; i < 19; i++)
		if (pts[i].hmean > pts[best].hmean)
			best = i;
	tl_buf_puts(b, "\nthreshold precision recall    hmean\n");
	for (size_t i = 0; i < 19; i++)
		tl_buf_printf(b, "%9.2f %9.4f %9.4f %8.4f%s\n", pts[i].thr, pts[i].precision,
			      pts[i].recall, pts[i].hmean, i == best ? "  <- best hmean" : "");
	return 0;
}

/* --dataset NAME DIR: the ground truth of one split of a known dataset's copy. The
 * RRC rules read it when it is an ICDAR 2013/2015 set under its official names;
 * anything else is read with the descriptor's format. */
static int dataset_gt(const char *name, const char *split, const char *root, eval_cli *c,
		      tl_known_layout *l)
{
	const tl_known_dataset *kd = tl_known_dataset_find(name);
	if (!kd)
		return cli_usage_error("eval", "unknown dataset '%s' (see textloc datasets)", name);
	const tl_known_split *sp = tl_known_split_find(kd, split ? split : "test");
	if (!sp && !split && kd->nsplits == 1)
		sp = &kd->splits[0];
	if (!sp)
		return cli_usage_error("eval", split ? "%s has no split '%s'"
						     : "%s has no test split: name one with --split",
				       kd->name, split);
	tl_error err = { 0 };
	if (tl_known_locate(kd, sp, root, l, &err) != TL_OK) {
		cli_error(&err);
		return cli_exit_code(err.status);
	}
	if (!l->ann_path) {
		fprintf(stderr, "textloc eval: %s: no %s %s annotations (looked for %s)\n", root,
			kd->name, sp->name, sp->ann_paths ? sp->ann_paths : "-");
		tl_known_layout_free(l);
		return 1;
	}
	int rrc = l->official_names && (!strcmp(sp->format, "icdar2015") ||
					!strcmp(sp->format, "icdar2013"));
	if (!rrc && !c->o.gt_format)
		c->o.gt_format = sp->format;
	if (!c->images)
		c->images = l->image_dir;
	return 0;
}

int cmd_eval(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "protocol", required_argument, NULL, 'p' },
		{ "lenient", no_argument, NULL, 'l' },
		{ "confidences", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "partial", no_argument, NULL, OPT_PARTIAL },
		{ "per-image", no_argument, NULL, OPT_PER_IMAGE },
		{ "sweep", no_argument, NULL, OPT_SWEEP },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "images", required_argument, NULL, OPT_IMAGES },
		{ "gt-format", required_argument, NULL, OPT_GT_FORMAT },
		{ "det-format", required_argument, NULL, OPT_DET_FORMAT },
		{ "dataset", required_argument, NULL, OPT_DATASET },
		{ "split", required_argument, NULL, OPT_SPLIT },
		{ "name", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	eval_cli c;
	memset(&c, 0, sizeof c);
	const char *dsname = NULL, *split = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:lcjn:o:fh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p': {
			int p = tl_eval_protocol_from_name(optarg);
			if (p < 0)
				return cli_usage_error("eval", "unknown protocol '%s' (icdar2015, tiou, "
							       "deteval, deteval-poly, paddleocr-iou, mmocr-hmean, ufo-deteval, cleval)",
						       optarg);
			c.o.protocol = (tl_eval_protocol)p;
			break;
		}
		case 'l': c.o.lenient = 1; break;
		case 'c': c.o.confidences = 1; break;
		case 'j': c.json = 1; break;
		case OPT_PARTIAL: c.partial = 1; break;
		case OPT_PER_IMAGE: c.per_image = 1; break;
		case OPT_SWEEP: c.sweep = 1; break;
		case OPT_MERGE: c.merge = 1; break;
		case OPT_REPORT: c.report = optarg; break;
		case OPT_IMAGES: c.images = optarg; break;
		case OPT_GT_FORMAT: c.o.gt_format = optarg; break;
		case OPT_DET_FORMAT: c.o.det_format = optarg; break;
		case OPT_DATASET: dsname = optarg; break;
		case OPT_SPLIT: split = optarg; break;
		case OPT_SHARD: {
			int i = -1, n = 0, used = 0;
			if (sscanf(optarg, "%d/%d%n", &i, &n, &used) != 2 || optarg[used] || n < 1 ||
			    i < 0 || i >= n || n > 1000000)
				return cli_usage_error("eval", "--shard wants I/N with 0 <= I < N, got '%s'",
						       optarg);
			c.o.shard_index = i;
			c.o.shard_count = n;
			break;
		}
		case 'n': c.name = optarg; break;
		case 'o': c.output = optarg; break;
		case 'f': c.force = 1; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return cli_usage_error("eval", "see 'textloc eval --help'");
		}
	}
	int nargs = argc - optind;
	char **args = argv + optind;
	tl_eval_result *r = NULL;
	tl_error err = { 0 };
	tl_buf b = TL_BUF_INIT;
	int code = 0;
	tl_known_layout layout;
	memset(&layout, 0, sizeof layout);
	if (split && !dsname)
		return cli_usage_error("eval", "--split needs --dataset");
	if (dsname) {
		if (c.merge || nargs != 2)
			return cli_usage_error("eval", "--dataset NAME wants DIR and DETECTIONS");
		int rc = dataset_gt(dsname, split, args[0], &c, &layout);
		if (rc)
			return rc;
		args[0] = layout.ann_path;
	}

	if (c.merge) {
		if (nargs < 1)
			return cli_usage_error("eval", "--merge needs at least one PART.json");
		r = tl_eval_result_new(&c.o);
		if (!r)
			return 3;
		for (int i = 0; i < nargs; i++) {
			char *data = NULL;
			size_t len = 0;
			int rc = tl_read_file(args[i], 0, &data, &len, &err);
			if (rc == TL_OK)
				rc = tl_eval_merge_json(r, data, len, args[i], &err);
			free(data);
			if (rc != TL_OK) {
				cli_error(&err);
				tl_eval_free(r);
				return cli_exit_code(rc);
			}
		}
	} else {
		if (nargs != 2)
			return cli_usage_error("eval", "expected GT and DETECTIONS (see --help)");
		if (c.sweep && !c.o.confidences)
			return cli_usage_error("eval", "--sweep needs --confidences");
		/* a plain summary needs no per-image records: memory stays flat */
		c.o.summary_only = !c.json && !c.per_image && !c.report;
		int rc = tl_eval_run(args[0], args[1], &c.o, &r, &err);
		if (rc != TL_OK) {
			cli_error(&err);
			code = cli_exit_code(rc);
			if (!r || !c.json) {
				tl_eval_free(r);
				tl_known_layout_free(&layout);
				return code;
			}
		}
	}
	if (r && r->n_unmapped > 0)
		fprintf(stderr, "textloc eval: warning: %zu result image(s) have no ground truth and "
				"were not counted: %s%s\n",
			r->n_unmapped, r->unmapped ? r->unmapped : "", r->n_unmapped > 20 ? ", ..." : "");
	if (r && r->n_misnamed > 0)
		fprintf(stderr, "textloc eval: warning: %zu result entr%s not named res_img_<N>.txt "
				"%s skipped\n",
			r->n_misnamed, r->n_misnamed == 1 ? "y" : "ies",
			r->n_misnamed == 1 ? "was" : "were");
	if (c.report) {
		if (c.merge)
			return cli_usage_error("eval", "--report needs GT and DETECTIONS, not --merge");
		tl_eval_report_opts ro = { c.images, 0, c.force };
		if (r->accepted && tl_eval_report(r, args[0], args[1], c.report, &ro, &err) != TL_OK) {
			cli_error(&err);
			tl_eval_free(r);
			tl_known_layout_free(&layout);
			return cli_exit_code(err.status);
		}
	}
	const char *name = c.name ? c.name : (c.merge ? "merged" : tl_basename(args[1]));
	int rc;
	if (c.json)
		rc = tl_eval_json(r, name, 1, c.partial, &b);
	else {
		rc = print_table(r, &c, &b);
		if (rc == TL_OK && c.sweep)
			rc = do_sweep(&c, args[0], args[1], &b);
	}
	if (rc != TL_OK) {
		fprintf(stderr, "textloc eval: %s\n", tl_status_str(rc));
		code = 3;
	} else {
		int e = emit(&c, &b);
		if (e)
			code = e;
	}
	tl_buf_free(&b);
	tl_eval_free(r);
	tl_known_layout_free(&layout);
	return code;
}
