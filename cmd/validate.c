/* validate.c — `textloc validate`: read annotations keeping every reader
 * diagnostic, run the validate rules, print compiler-style diagnostics and a
 * summary with counts by kind; optionally write a corrected copy. */
#include "cmd.h"
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char validate_usage[] =
	"usage: textloc validate [--from F] [--dataset NAME] [--images DIR] [--fix OUT] [--force] [--lenient] "
	"[--encoding E] [--rrc|--no-rrc] [--dontcare-share X] [--json] [-q] INPUT...\n"
	"\n"
	"Checks annotation files: syntax (from the format readers), geometry (too few\n"
	"points, zero area, self-intersection, counter-clockwise order, points outside\n"
	"the image, duplicates), don't-care regions (### against illegibility flags,\n"
	"overlaps with cared-for regions, degenerate ones, their share of the text\n"
	"area), and the dataset (images without annotations and the reverse, file\n"
	"names the official evaluation will not map).\n"
	"\n"
	"  --from F            read INPUTs as format F (default: probe each file)\n"
	"  --dataset NAME      INPUT is the root of a downloaded copy of the known dataset\n"
	"                      NAME (see textloc datasets): check that it is complete\n"
	"                      (folders, counts, names, pairing), then validate its\n"
	"                      annotations\n"
	"  --images DIR        image directory: sizes from image headers, presence checks\n"
	"  --fix OUT           write a corrected copy (clockwise rings from the top-left,\n"
	"                      exact duplicates dropped) to OUT and list every change\n"
	"  --force             overwrite OUT if it exists\n"
	"  --lenient           accept fractional numbers and blank lines (RRC strict otherwise)\n"
	"  --encoding E        utf-8 (default) or latin1\n"
	"  --rrc, --no-rrc     apply the RRC evaluation rules (winding is an error, integer\n"
	"                      coordinates, gt_img_N.txt / res_img_N.txt names) or not;\n"
	"                      default: on for the ICDAR and RRC formats\n"
	"  --dontcare-share X  warn when don't-care regions exceed this share of an image's\n"
	"                      text area (default 0.5; 1 turns it off)\n"
	"  --json              print diagnostics and summary as one JSON object on stdout\n"
	"  -q, --quiet         list errors only (the summary still counts everything)\n"
	"\n"
	"Diagnostics go to stderr as FILE:LINE:COL: error|warning|note: MESSAGE [KIND],\n"
	"the summary to stdout. Exit status: 0 no errors, 1 errors found, 2 usage, 3 failure.\n";

enum { OPT_FROM = 256, OPT_IMAGES, OPT_FIX, OPT_FORCE, OPT_LENIENT, OPT_ENCODING, OPT_RRC,
       OPT_NO_RRC, OPT_SHARE, OPT_JSON, OPT_DATASET };

static const struct option validate_opts[] = {
	{ "from",           required_argument, NULL, OPT_FROM },
	{ "images",         required_argument, NULL, OPT_IMAGES },
	{ "fix",            required_argument, NULL, OPT_FIX },
	{ "force",          no_argument,       NULL, OPT_FORCE },
	{ "lenient",        no_argument,       NULL, OPT_LENIENT },
	{ "encoding",       required_argument, NULL, OPT_ENCODING },
	{ "rrc",            no_argument,       NULL, OPT_RRC },
	{ "no-rrc",         no_argument,       NULL, OPT_NO_RRC },
	{ "dontcare-share", required_argument, NULL, OPT_SHARE },
	{ "json",           no_argument,       NULL, OPT_JSON },
	{ "dataset",        required_argument, NULL, OPT_DATASET },
	{ "quiet",          no_argument,       NULL, 'q' },
	{ "help",           no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Diagnostics beyond this many are counted but not kept (hostile inputs). */
#define MAX_STORED_DIAGS 2000000

static const char *const sev_name[] = { "note", "warning", "error" };

/* ---- ordering and counting -------------------------------------------- */

static const tl_diags *sort_src;

/* Natural order, so that img_2 comes before img_10 as the readers read them. */
static int natcmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			size_t na = 0, nb = 0;
			while (a[na] >= '0' && a[na] <= '9')
				na++;
			while (b[nb] >= '0' && b[nb] <= '9')
				nb++;
			if (na != nb)
				return na < nb ? -1 : 1;
			int k = strncmp(a, b, na);
			if (k)
				return k;
			a += na;
			b += nb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/* By file, then line; the list order breaks ties, so reader diagnostics stay
 * ahead of rule diagnostics on the same line. */
static int cmp_diag(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const tl_diag *x = &sort_src->items[i], *y = &sort_src->items[j];
	int k = natcmp(x->file ? x->file : "", y->file ? y->file : "");
	if (k)
		return k;
	/* Equal up to leading zeros ("img_01" and "img_1"): still two files. */
	k = strcmp(x->file ? x->file : "", y->file ? y->file : "");
	if (k)
		return k;
	/* Diagnostics about a whole file (line 0) come after its lines. */
	unsigned long lx = (unsigned long)x->line - 1, ly = (unsigned long)y->line - 1;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return (i > j) - (i < j);
}

static size_t *sorted_order(const tl_diags *d)
{
	size_t *ix = malloc((d->count ? d->count : 1) * sizeof *ix);
	if (!ix)
		return NULL;
	for (size_t i = 0; i < d->count; i++)
		ix[i] = i;
	sort_src = d;
	qsort(ix, d->count, sizeof *ix, cmp_diag);
	return ix;
}

typedef struct kind_count { const char *kind; int sev; size_t n; } kind_count;

static int cmp_kind_count(const void *a, const void *b)
{
	const kind_count *x = a, *y = b;
	if (x->sev != y->sev)
		return y->sev - x->sev;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->kind, y->kind);
}

/* Counts per (kind, severity); returns the number of distinct pairs or -1. */
static long count_kinds(const tl_diags *d, kind_count **out)
{
	kind_count *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < d->count; i++) {
		const tl_diag *g = &d->items[i];
		const char *k = g->kind ? g->kind : "other";
		size_t j = 0;
		while (j < n && !(v[j].sev == (int)g->severity && !strcmp(v[j].kind, k)))
			j++;
		if (j == n) {
			if (n == cap) {
				size_t nc = cap ? 2 * cap : 32;
				kind_count *nv = realloc(v, nc * sizeof *nv);
				if (!nv) {
					free(v);
					return -1;
				}
				v = nv;
				cap = nc;
			}
			v[n++] = (kind_count){ k, (int)g->severity, 0 };
		}
		v[j].n++;
	}
	if (n)
		qsort(v, n, sizeof *v, cmp_kind_count);
	*out = v;
	return (long)n;
}

/* ---- output ----------------------------------------------------------- */

static void print_text(const tl_diags *d, const size_t *order, int quiet, FILE *f)
{
	for (size_t k = 0; k < d->count; k++) {
		const tl_diag *g = &d->items[order ? order[k] : k];
		if (quiet && g->severity != TL_ERROR)
			continue;
		if (g->file && g->line > 0 && g->col > 0)
			fprintf(f, "%s:%ld:%ld: ", g->file, g->line, g->col);
		else if (g->file && g->line > 0)
			fprintf(f, "%s:%ld: ", g->file, g->line);
		else if (g->file)
			fprintf(f, "%s: ", g->file);
		fprintf(f, "%s: %s", sev_name[g->severity], g->msg);
		if (g->kind)
			fprintf(f, " [%s]", g->kind);
		fputc('\n', f);
	}
}

static int json_diags(tl_buf *b, const tl_diags *d, const size_t *order)
{
	int rc = tl_buf_puts(b, "[");
	for (size_t k = 0; k < d->count && !rc; k++) {
		const tl_diag *g = &d->items[order ? order[k] : k];
		rc |= tl_buf_puts(b, k ? ",\n  {\"file\": " : "\n  {\"file\": ");
		rc |= g->file ? tl_buf_json_string(b, g->file) : tl_buf_puts(b, "null");
		rc |= tl_buf_printf(b, ", \"line\": %ld, \"col\": %ld, \"severity\": \"%s\", "
				    "\"kind\": ", g->line, g->col, sev_name[g->severity]);
		rc |= g->kind ? tl_buf_json_string(b, g->kind) : tl_buf_puts(b, "null");
		rc |= tl_buf_puts(b, ", \"message\": ");
		rc |= tl_buf_json_string(b, g->msg ? g->msg : "");
		rc |= tl_buf_puts(b, "}");
	}
	rc |= tl_buf_puts(b, d->count ? "\n]" : "]");
	return rc ? TL_E_NOMEM : TL_OK;
}

typedef struct run_info {
	size_t images, regions;
	const char *format;
	const char *fix_out;
	size_t nchanged;
	size_t read_errors;   /* errors the readers reported */
} run_info;

static int print_json(const tl_diags *d, const size_t *order, const kind_count *kc, long nk,
		      const tl_diags *changes, const run_info *ri)
{
	tl_buf b = TL_BUF_INIT;
	int rc = tl_buf_puts(&b, "{\"format\": ");
	rc |= ri->format ? tl_buf_json_string(&b, ri->format) : tl_buf_puts(&b, "null");
	rc |= tl_buf_printf(&b, ", \"images\": %zu, \"regions\": %zu, \"errors\": %zu, "
			    "\"warnings\": %zu, \"stored\": %zu,\n \"kinds\": [", ri->images,
			    ri->regions, d->nerrors, d->nwarnings, d->count);
	/* A list, not an object keyed by kind: one kind can come with two
	 * severities (outside-image), and JSON keys should not repeat. */
	for (long i = 0; i < nk && !rc; i++) {
		rc |= tl_buf_puts(&b, i ? ",\n   {\"kind\": " : "\n   {\"kind\": ");
		rc |= tl_buf_json_string(&b, kc[i].kind);
		rc |= tl_buf_printf(&b, ", \"severity\": \"%s\", \"count\": %zu}",
				    sev_name[kc[i].sev], kc[i].n);
	}
	rc |= tl_buf_puts(&b, "],\n \"diagnostics\": ");
	if (!rc)
		rc = json_diags(&b, d, order);
	if (!rc && ri->fix_out) {
		rc |= tl_buf_puts(&b, ",\n \"fix\": {\"output\": ");
		rc |= tl_buf_json_string(&b, ri->fix_out);
		rc |= tl_buf_printf(&b, ", \"changes\": %zu, \"read_errors_left_out\": %zu, "
				    "\"items\": ", ri->nchanged, ri->read_errors);
		if (!rc)
			rc = json_diags(&b, changes, NULL);
		rc |= tl_buf_puts(&b, "}");
	}
	rc |= tl_buf_puts(&b, "}\n");
	if (!rc)
		fwrite(b.data, 1, b.len, stdout);
	tl_buf_free(&b);
	return rc ? TL_E_NOMEM : TL_OK;
}

static void print_summary(const tl_diags *d, const kind_count *kc, long nk, const run_info *ri)
{
	printf("%zu image%s, %zu region%s", ri->images, ri->images == 1 ? "" : "s", ri->regions,
	       ri->regions == 1 ? "" : "s");
	if (ri->format)
		printf(" (%s)", ri->format);
	printf(": %zu error%s, %zu warning%s\n", d->nerrors, d->nerrors == 1 ? "" : "s",
	       d->nwarnings, d->nwarnings == 1 ? "" : "s");
	for (long i = 0; i < nk; i++)
		printf("  %-8s %-20s %zu\n", sev_name[kc[i].sev], kc[i].kind, kc[i].n);
	size_t stored = 0;
	for (long i = 0; i < nk; i++)
		if (kc[i].sev != TL_NOTE)
			stored += kc[i].n;
	if (stored < d->nerrors + d->nwarnings)
		printf("  (%zu more diagnostics were counted but not kept)\n",
		       d->nerrors + d->nwarnings - stored);
	if (ri->fix_out) {
		printf("%zu change%s written to %s\n", ri->nchanged, ri->nchanged == 1 ? "" : "s",
		       ri->fix_out);
		/* The copy is made from what was read: say so when something was not. */
		if (ri->read_errors)
			printf("the copy leaves out what the readers refused (%zu error%s above)\n",
			       ri->read_errors, ri->read_errors == 1 ? "" : "s");
	}
}

/* ---- the command -------------------------------------------------------- */

int cmd_validate(int argc, char **argv)
{
	const char *from = NULL, *fix_out = NULL, *dataset = NULL;
	int force = 0, json = 0, quiet = 0;
	tl_read_opts ro;
	memset(&ro, 0, sizeof ro);
	tl_validate_opts vo;
	tl_validate_opts_init(&vo);

	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":qh", validate_opts, NULL)) != -1) {
		switch (c) {
		case OPT_FROM: from = optarg; break;
		case OPT_IMAGES: vo.images_dir = optarg; break;
		case OPT_FIX: fix_out = optarg; break;
		case OPT_FORCE: force = 1; break;
		case OPT_LENIENT: ro.lenient = 1; break;
		case OPT_ENCODING:
			if (!strcmp(optarg, "utf-8") || !strcmp(optarg, "utf8") ||
			    !strcmp(optarg, "UTF-8"))
				ro.latin1 = 0;
			else if (!strcmp(optarg, "latin1") || !strcmp(optarg, "iso-8859-1") ||
				 !strcmp(optarg, "ISO-8859-1"))
				ro.latin1 = 1;
			else
				return cli_usage_error("validate", "unknown encoding '%s' (utf-8 "
						       "or latin1)", optarg);
			break;
		case OPT_RRC: vo.rrc = 1; break;
		case OPT_NO_RRC: vo.rrc = 0; break;
		case OPT_SHARE: {
			char *end;
			double v = strtod(optarg, &end);
			if (end == optarg || *end || !(v > 0 && v <= 1))
				return cli_usage_error("validate", "--dontcare-share wants a number "
						       "in (0, 1], not '%s'", optarg);
			vo.dontcare_share = v;
			break;
		}
		case OPT_JSON: json = 1; break;
		case OPT_DATASET: dataset = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': fputs(validate_usage, stdout); return 0;
		case ':':
			return cli_usage_error("validate", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			/* optopt names an unknown short option; long ones are in argv. */
			if (optopt)
				return cli_usage_error("validate", "unknown option '-%c'", optopt);
			return cli_usage_error("validate", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("validate", "no INPUT given");
	const tl_format *fmt = NULL;
	if (from && !(fmt = tl_format_find(from)))
		return cli_usage_error("validate", "unknown format '%s'", from);
	const tl_known_dataset *known = NULL;
	if (dataset) {
		if (!(known = tl_known_dataset_find(dataset)))
			return cli_usage_error("validate", "unknown dataset '%s' (see 'textloc "
					       "datasets')", dataset);
		if (argc - optind != 1)
			return cli_usage_error("validate", "--dataset takes one INPUT: the "
					       "dataset's root directory");
		if (fix_out)
			return cli_usage_error("validate", "--fix works on annotation files, "
					       "not with --dataset");
	}
	if (vo.images_dir && !tl_is_dir(vo.images_dir)) {
		fprintf(stderr, "textloc validate: %s: not a directory\n", vo.images_dir);
		return 3;
	}

	tl_dataset *ds = tl_dataset_new();
	if (!ds) {
		fprintf(stderr, "textloc validate: out of memory\n");
		return 3;
	}
	tl_diags d, changes;
	tl_diags_init(&d);
	tl_diags_init(&changes);
	d.max = MAX_STORED_DIAGS;
	tl_error err;
	memset(&err, 0, sizeof err);
	int exit_code = 0;
	size_t *order = NULL;
	kind_count *kc = NULL;
	run_info ri = { 0, 0, NULL, fix_out, 0, 0 };

	const char *const *inputs = (const char *const *)argv + optind;
	size_t ninputs = (size_t)(argc - optind);
	size_t read_errors = 0;
	int rc;
	if (known) {
		/* Completeness first; its findings join the others in d. Then each split
		 * on its own: the splits of a dataset reuse image names (img_1.jpg). */
		rc = tl_dataset_check_layout(known, inputs[0], NULL, &d, &err);
		for (size_t k = 0; k < known->nsplits && (rc == TL_OK || rc == TL_E_INPUT); k++) {
			char **paths = NULL;
			size_t npaths = 0;
			const tl_format *kfmt = NULL;
			tl_error serr;
			if (tl_dataset_resolve(known, inputs[0], known->splits[k].name, &paths,
					       &npaths, &kfmt, NULL, &serr) != TL_OK)
				continue; /* a missing split is already reported by the layout check */
			tl_dataset *split = tl_dataset_new();
			size_t before = d.nerrors;
			rc = split ? tl_read_inputs(split, (const char *const *)paths, npaths,
						    fmt ? fmt : kfmt, &ro, &d, &err) : TL_E_NOMEM;
			read_errors += d.nerrors - before;
			if (rc == TL_OK || rc == TL_E_INPUT) {
				vo.inputs = (const char *const *)paths;
				vo.ninputs = npaths;
				rc = tl_validate(split, &vo, &d, &err);
			}
			if ((rc == TL_OK || rc == TL_E_INPUT) && tl_dataset_merge(ds, split, &err))
				rc = TL_E_NOMEM;
			if (split && !ds->format)
				ds->format = split->format ? tl_dataset_strdup(ds, split->format) : NULL;
			tl_dataset_free(split);
			tl_strv_free(paths, npaths);
		}
		if (rc != TL_OK && rc != TL_E_INPUT) {
			print_text(&d, NULL, quiet, stderr);
			cli_error(&err);
			exit_code = 3;
			goto done;
		}
	} else {
		rc = tl_read_inputs(ds, inputs, ninputs, fmt, &ro, &d, &err);
		if (rc != TL_OK && rc != TL_E_INPUT) {
			/* A failure, not a finding: what was read is not a sound basis. */
			print_text(&d, NULL, quiet, stderr);
			cli_error(&err);
			exit_code = cli_exit_code(rc) == 1 ? 1 : 3;
			goto done;
		}
		vo.inputs = inputs;
		vo.ninputs = ninputs;
		read_errors = d.nerrors;
		rc = tl_validate(ds, &vo, &d, &err);
		if (rc != TL_OK && rc != TL_E_INPUT) {
			print_text(&d, NULL, quiet, stderr);
			cli_error(&err);
			exit_code = 3;
			goto done;
		}
	}
	ri.read_errors = read_errors;
	ri.format = ds->format;
	ri.images = ds->nimages;
	for (size_t i = 0; i < ds->nimages; i++)
		ri.regions += ds->images[i].nregions;

	if (fix_out) {
		const tl_format *wf = fmt ? fmt : ds->format ? tl_format_find(ds->format) : NULL;
		if (!wf) {
			fprintf(stderr, "textloc validate: cannot tell which format to write %s in; "
				"name it with --from\n", fix_out);
			exit_code = 3;
			goto done;
		}
		if ((rc = tl_validate_fix(ds, &vo, &changes, &ri.nchanged, &err)) != TL_OK) {
			cli_error(&err);
			exit_code = 3;
			goto done;
		}
		tl_write_opts wo;
		memset(&wo, 0, sizeof wo);
		/* Keep confidences when the input carried them (result files). */
		for (size_t i = 0; i < ds->nimages && !wo.with_confidence; i++)
			for (size_t j = 0; j < ds->images[i].nregions; j++)
				if (ds->images[i].regions[j].has_confidence) {
					wo.with_confidence = 1;
					break;
				}
		tl_diags wd;
		tl_diags_init(&wd);
		rc = tl_write_output(ds, wf, fix_out, &wo, force, &wd, &err);
		print_text(&wd, NULL, quiet, stderr);
		tl_diags_free(&wd);
		if (rc != TL_OK) {
			cli_error(&err);
			exit_code = 3;
			goto done;
		}
	}

	order = sorted_order(&d);
	long nk = count_kinds(&d, &kc);
	if (!order || nk < 0) {
		fprintf(stderr, "textloc validate: out of memory\n");
		exit_code = 3;
		goto done;
	}
	if (json) {
		if (print_json(&d, order, kc, nk, &changes, &ri) != TL_OK) {
			fprintf(stderr, "textloc validate: out of memory\n");
			exit_code = 3;
			goto done;
		}
	} else {
		print_text(&d, order, quiet, stderr);
		if (!quiet)
			print_text(&changes, NULL, 0, stderr);
		fflush(stderr);
		print_summary(&d, kc, nk, &ri);
	}
	exit_code = d.nerrors ? 1 : 0;
done:
	free(order);
	free(kc);
	tl_diags_free(&d);
	tl_diags_free(&changes);
	tl_dataset_free(ds);
	return exit_code;
}
