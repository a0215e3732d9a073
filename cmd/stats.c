/* stats.c — textloc stats: summarise an annotation set (counts, sizes, aspect
 * ratios, orientation, vertices, text lengths and scripts, text area shares). */
#include "cmd.h"
#include <getopt.h>   /* getopt_long */
#include <stdlib.h>   /* free */
#include <string.h>   /* strcmp */

static const char usage_line[] =
	"textloc stats [--from F] [--dataset NAME DIR [--split S]] [--images DIR] [--json] "
	"[--plot DIR] [--shard I/N] [--merge] [--force] [INPUT...]";

static void usage(FILE *f)
{
	fprintf(f, "usage: %s\n", usage_line);
	fprintf(f,
		"\n"
		"Reads annotations (files, folders, list files, zips; the format is probed unless\n"
		"--from names it) and prints counts of images and regions (care / don't care, by\n"
		"shape), transcriptions by script, and for care regions the distribution of text\n"
		"height and width (sides of the minimum-area rectangle), aspect ratio, orientation,\n"
		"vertices per region, text length, and region and text area as a share of the image.\n"
		"\n"
		"  --from F            annotation format (see textloc convert --list)\n"
		"  --dataset NAME DIR  a known dataset's copy under DIR (see textloc datasets)\n"
		"  --split S           with --dataset: only this split\n"
		"  --images DIR        read image sizes from the image files' headers when the\n"
		"                      annotations do not carry them (area shares need them)\n"
		"  --json              JSON output (mergeable with --merge)\n"
		"  --plot DIR          also write one PNG histogram per figure into DIR\n"
		"  --shard I/N         only every N-th image, starting with image I (0-based)\n"
		"  --merge             INPUTs are outputs of 'stats --json' to add up\n"
		"  --force             overwrite existing plot files\n"
		"  --encoding E        utf-8 (default) or latin1\n"
		"  -h, --help          this text\n");
}

/* Image sizes from the headers of DIR/<image name> (or DIR/<basename>). */
static void sizes_from(tl_dataset *ds, const char *dir, size_t *missing)
{
	for (size_t i = 0; i < ds->nimages; i++) {
		tl_image *im = &ds->images[i];
		if (im->width > 0 && im->height > 0)
			continue;
		char path[4096];
		tl_error err;
		int w, h;
		snprintf(path, sizeof path, "%s/%s", dir, im->name);
		if (tl_image_size(path, &w, &h, &err) != TL_OK) {
			snprintf(path, sizeof path, "%s/%s", dir, tl_basename(im->name));
			if (tl_image_size(path, &w, &h, &err) != TL_OK) {
				(*missing)++;
				continue;
			}
		}
		im->width = w;
		im->height = h;
	}
}

static int merge_files(char **files, int n, tl_stats *s)
{
	for (int i = 0; i < n; i++) {
		char *data;
		size_t len;
		tl_error err;
		tl_stats one;
		if (tl_read_file(files[i], 0, &data, &len, &err) != TL_OK) {
			cli_error(&err);
			return 3;
		}
		int rc = tl_stats_from_json(&one, data, len, &err);
		free(data);
		if (rc) {
			snprintf(err.file, sizeof err.file, "%s", files[i]);
			cli_error(&err);
			return 1;
		}
		tl_stats_merge(s, &one);
	}
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "dataset", required_argument, NULL, 'D' },
		{ "split", required_argument, NULL, 's' },
		{ "images", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "plot", required_argument, NULL, 'p' },
		{ "shard", required_argument, NULL, 'S' },
		{ "merge", no_argument, NULL, 'm' },
		{ "force", no_argument, NULL, 'F' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *dsname = NULL, *split = NULL, *images = NULL, *plot = NULL;
	int json = 0, merge = 0, force = 0, c;
	size_t shard_i = 0, shard_n = 1;
	tl_read_opts ro = { 0 };
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 'D': dsname = optarg; break;
		case 's': split = optarg; break;
		case 'i': images = optarg; break;
		case 'j': json = 1; break;
		case 'p': plot = optarg; break;
		case 'm': merge = 1; break;
		case 'F': force = 1; break;
		case 'S':
			if (tl_shard_parse(optarg, &shard_i, &shard_n))
				return cli_usage_error("stats", "--shard wants I/N with 0 <= I < N, "
					"not '%s'", optarg);
			break;
		case 'e':
			if (!strcmp(optarg, "latin1") || !strcmp(optarg, "iso-8859-1"))
				ro.latin1 = 1;
			else if (strcmp(optarg, "utf-8") && strcmp(optarg, "utf8"))
				return cli_usage_error("stats", "unknown encoding '%s'", optarg);
			break;
		case 'h': usage(stdout); return 0;
		default:
			return cli_usage_error("stats", "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	tl_stats st;
	tl_stats_init(&st);
	int status = 0;
	if (merge) {
		if (optind >= argc || dsname)
			return cli_usage_error("stats", "--merge wants the JSON files to add up");
		if ((status = merge_files(argv + optind, argc - optind, &st)))
			return status;
		goto report;
	}
	const tl_format *fmt = NULL;
	if (from && !(fmt = tl_format_find(from)))
		return cli_usage_error("stats", "unknown format '%s'", from);
	const tl_known_dataset *kd;
	int usage = cli_dataset_arg("stats", dsname, split, argc - optind, &kd);
	if (usage)
		return usage;
	if (!kd && optind >= argc)
		return cli_usage_error("stats", "no INPUT");
	tl_dataset *ds = tl_dataset_new();
	tl_diags d;
	tl_diags_init(&d);
	d.max = 200;
	if (!ds) {
		fprintf(stderr, "textloc stats: out of memory\n");
		return 3;
	}
	tl_error err;
	int rc = TL_OK, found = 0;
	size_t missing = 0;
	if (kd) {
		/* split by split, so each finds the image sizes in its own folder */
		for (size_t s = 0; s < kd->nsplits && (rc == TL_OK || rc == TL_E_INPUT); s++) {
			if (split && strcmp(kd->splits[s].name, tl_known_split_find(kd, split)->name))
				continue;
			char **paths = NULL, *dir = NULL;
			size_t npaths = 0, before = ds->nimages;
			const tl_format *dfmt;
			if (tl_dataset_resolve(kd, argv[optind], kd->splits[s].name, &paths, &npaths,
					       &dfmt, &dir, &err) != TL_OK)
				continue;
			found = 1;
			int r = tl_read_inputs(ds, (const char *const *)paths, npaths, fmt ? fmt : dfmt,
					       &ro, &d, &err);
			if (r != TL_OK)
				rc = r;
			tl_dataset part = *ds;
			part.images += before;
			part.nimages -= before;
			if (images || dir)
				sizes_from(&part, images ? images : dir, &missing);
			tl_strv_free(paths, npaths);
			free(dir);
		}
		if (!found) {
			tl_error_set(&err, TL_E_INPUT, argv[optind], 0, 0,
				     "no %s annotations found (see 'textloc datasets %s')", kd->name,
				     kd->name);
			rc = TL_E_IO;
		}
	} else {
		rc = tl_read_inputs(ds, (const char *const *)(argv + optind), (size_t)(argc - optind),
				    fmt, &ro, &d, &err);
		if (images && (rc == TL_OK || rc == TL_E_INPUT))
			sizes_from(ds, images, &missing);
	}
	cli_print_diags(&d, stderr);
	if (d.count < d.nerrors + d.nwarnings)
		fprintf(stderr, "textloc stats: %zu more diagnostics not shown\n",
			d.nerrors + d.nwarnings - d.count);
	if (rc != TL_OK && rc != TL_E_INPUT) {
		cli_error(&err);
		tl_dataset_free(ds);
		tl_diags_free(&d);
		return cli_exit_code(rc == TL_E_IO && !found ? TL_E_INPUT : rc);
	}
	if (rc == TL_E_INPUT || d.nerrors)
		status = 1;
	if (missing)
		fprintf(stderr, "textloc stats: %zu images without a readable image file "
				"(no area shares for them)\n", missing);
	for (size_t i = 0; i < ds->nimages; i++)
		if (tl_shard_has(i, shard_i, shard_n))
			tl_stats_add_image(&st, &ds->images[i]);
	tl_dataset_free(ds);
	tl_diags_free(&d);
report:;
	tl_buf out = TL_BUF_INIT;
	int wrc = json ? tl_stats_json(&st, &out) : tl_stats_table(&st, &out);
	if (wrc || (out.len && fwrite(out.data, 1, out.len, stdout) != out.len) || fflush(stdout)) {
		tl_buf_free(&out);
		fprintf(stderr, "textloc stats: cannot write the report\n");
		return 3;
	}
	tl_buf_free(&out);
	if (plot) {
		tl_error perr;
		if (tl_stats_plot(&st, plot, force, &perr) != TL_OK) {
			cli_error(&perr);
			return cli_exit_code(perr.status);
		}
	}
	return status;
}
