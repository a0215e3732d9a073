/* convert.c — textloc convert: any readable annotation format to any writable one,
 * optionally changing every region's shape. Reading problems are reported with
 * file:line:col and nothing is written; each kind of loss the conversion causes is
 * named once with its count. */
#include "cmd.h"
#include <getopt.h>   /* getopt_long */
#include <stdlib.h>   /* free */
#include <string.h>   /* strcmp */

static const char usage_line[] =
	"textloc convert [--from F] --to F [--shape rect|rbox|quad|poly] [--images DIR] "
	"[--dataset NAME DIR [--split S]] [-o OUT] [--force] [--encoding utf-8|latin1] [--lenient] [--shard I/N] INPUT...";

static void usage(FILE *f)
{
	fprintf(f, "usage: %s\n", usage_line);
	fprintf(f,
		"       textloc convert --list\n"
		"\n"
		"Reads annotation files, directories of per-image files, list files or zip\n"
		"archives and writes them in another format.\n"
		"\n"
		"  --from F          input format (default: probed from the content, then the name)\n"
		"  --to F            output format (required)\n"
		"  --shape S         convert every region to rect, rbox, quad or poly first\n"
		"  --images DIR      image folder: fixes image names and reads image sizes\n"
		"  --dataset NAME DIR  a known dataset's copy under DIR (see textloc datasets): its\n"
		"                    annotations, format and image folder are found by the descriptor\n"
		"  --split S         with --dataset: the split to convert (needed when DIR has several)\n"
		"  -o, --output OUT  output file, directory (per-image formats) or .zip; '-' = stdout\n"
		"  --force           overwrite existing outputs\n"
		"  --encoding E      utf-8 (default; invalid bytes are errors) or latin1\n"
		"  --lenient         accept real-number coordinates, blank lines, missing text\n"
		"  --rect-inclusive  RECT integers are inclusive pixel indices (+1 on xmax, ymax)\n"
		"  --shard I/N       keep every N-th image starting at I (0-based), for parallel runs\n"
		"  -q, --quiet       no summary line\n"
		"  --list            list the formats\n"
		"\nSee textloc-convert(1) and textloc-formats(5).\n");
}

static void list_formats(void)
{
	for (size_t i = 0; i < tl_format_count(); i++) {
		const tl_format *f = tl_format_at(i);
		char shapes[40] = "";
		for (int s = TL_SHAPE_RECT; s <= TL_SHAPE_POLY; s++)
			if (f->shapes & TL_SHAPE_BIT(s)) {
				if (shapes[0])
					strcat(shapes, ",");
				strcat(shapes, tl_shape_name((tl_shape)s));
			}
		printf("%-16s %-9s %-2s %-16s %s\n", f->name,
		       f->flags & TL_FMT_PER_IMAGE ? "per-image" : "one-file",
		       f->write ? "rw" : "r", shapes, f->summary);
	}
}

/* Print at most this many diagnostics; the rest are counted. */
#define MAX_SHOWN 200

static void print_diags(const tl_diags *d)
{
	cli_print_diags(d, stderr);
	size_t total = d->nerrors + d->nwarnings;
	if (total > d->count)
		fprintf(stderr, "textloc convert: %zu more diagnostics not shown\n",
			total - d->count);
}

static int has_image_suffix(const char *name)
{
	static const char *const exts[] = { ".jpg", ".jpeg", ".png", ".tif", ".tiff",
					    ".bmp", ".gif", NULL };
	for (size_t i = 0; exts[i]; i++)
		if (tl_has_suffix(name, exts[i]))
			return 1;
	return 0;
}

/* Finds each image under dir: as named, or by its base name; an image named from a
 * per-image annotation file got ".jpg" by guess, so other extensions are tried too
 * and the name is corrected. Fills unknown sizes from the image headers. */
static void attach_images(tl_dataset *ds, const char *dir, int quiet)
{
	static const char *const exts[] = { ".jpg", ".JPG", ".jpeg", ".png", ".PNG", ".tif",
					    ".tiff", ".bmp", NULL };
	size_t missing = 0, sized = 0, renamed = 0, unreadable = 0;
	tl_buf p = TL_BUF_INIT;
	for (size_t i = 0; i < ds->nimages; i++) {
		tl_image *im = &ds->images[i];
		const char *base = tl_basename(im->name);
		int found = 0;
		const char *tries[2] = { im->name, base };
		for (int t = 0; t < 2 && !found; t++) {
			p.len = 0;
			if (tl_buf_printf(&p, "%s/%s", dir, tries[t]))
				break;
			found = tl_is_file(p.data);
		}
		if (!found && has_image_suffix(base)) {
			const char *dot = strrchr(base, '.');
			for (size_t e = 0; exts[e] && !found; e++) {
				p.len = 0;
				if (tl_buf_printf(&p, "%s/%.*s%s", dir, (int)(dot - base), base, exts[e]))
					break;
				if ((found = tl_is_file(p.data))) {
					const char *nb = tl_basename(p.data);
					size_t prefix = (size_t)(base - im->name);
					tl_buf nn = TL_BUF_INIT;
					if (!tl_buf_append(&nn, im->name, prefix) && !tl_buf_puts(&nn, nb)) {
						const char *s = tl_dataset_strdup(ds, nn.data);
						if (s) {
							im->name = s;
							renamed++;
						}
					}
					tl_buf_free(&nn);
				}
			}
		}
		if (!found) {
			missing++;
			continue;
		}
		if (im->width > 0 && im->height > 0)
			continue;
		int w, h;
		tl_error e;
		if (tl_image_size(p.data, &w, &h, &e) == TL_OK) {
			im->width = w;
			im->height = h;
			sized++;
		} else {
			unreadable++;
		}
	}
	tl_buf_free(&p);
	if (missing)
		fprintf(stderr, "textloc convert: warning: %zu of %zu images not found under %s\n",
			missing, ds->nimages, dir);
	if (unreadable)
		fprintf(stderr, "textloc convert: warning: %zu image headers could not be read\n",
			unreadable);
	if (!quiet && (renamed || sized))
		fprintf(stderr, "textloc convert: %zu image names corrected, %zu image sizes read "
			"from %s\n", renamed, sized, dir);
}

/* Reads one split of a known dataset's copy under root: the split named, or the only
 * one present. Several splits would mix their images in one output, so that is a
 * usage error naming them. *images_dir gets the split's image folder (or NULL). */
static int read_dataset(tl_dataset *ds, const tl_known_dataset *kd, const char *root,
			const char *split, const tl_format *fin, const tl_read_opts *ro,
			tl_diags *d, char **images_dir, tl_error *err)
{
	char **paths = NULL;
	size_t n = 0;
	const tl_format *f = NULL;
	int rc = TL_OK;
	if (split) {
		rc = tl_dataset_resolve(kd, root, split, &paths, &n, &f, images_dir, err);
	} else {
		/* the first split found is kept; the others are only named */
		tl_buf found = TL_BUF_INIT;
		size_t nfound = 0;
		for (size_t s = 0; s < kd->nsplits; s++) {
			char **p = NULL, *dir = NULL;
			size_t k = 0;
			const tl_format *sf;
			tl_error e;
			if (tl_dataset_resolve(kd, root, kd->splits[s].name, &p, &k, &sf, &dir, &e) != TL_OK)
				continue;
			tl_buf_printf(&found, "%s%s", nfound++ ? ", " : "", kd->splits[s].name);
			if (paths) {
				tl_strv_free(p, k);
				free(dir);
				continue;
			}
			paths = p, n = k, f = sf, *images_dir = dir;
		}
		if (nfound > 1)
			rc = tl_error_set(err, TL_E_USAGE, root, 0, 0,
					  "this %s copy has the splits %s: pick one with --split",
					  kd->name, found.data);
		else if (!nfound)
			rc = tl_error_set(err, TL_E_INPUT, root, 0, 0,
					  "no %s annotations found (see 'textloc datasets %s')",
					  kd->name, kd->name);
		tl_buf_free(&found);
	}
	if (rc == TL_OK)
		rc = tl_read_inputs(ds, (const char *const *)paths, n, fin ? fin : f, ro, d, err);
	tl_strv_free(paths, n);
	return rc;
}

int cmd_convert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "shape", required_argument, NULL, 's' },
		{ "images", required_argument, NULL, 'I' },
		{ "dataset", required_argument, NULL, 'D' },
		{ "split", required_argument, NULL, 'P' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "lenient", no_argument, NULL, 'l' },
		{ "rect-inclusive", no_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "shard", required_argument, NULL, 'S' },
		{ "list", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *to = NULL, *shape = NULL, *images = NULL, *out = NULL;
	const char *dsname = NULL, *split = NULL;
	int force = 0, quiet = 0;
	long shard_i = 0, shard_n = 1;
	tl_read_opts ro = { 0 };
	tl_write_opts wo = { 0 };
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 's': shape = optarg; break;
		case 'I': images = optarg; break;
		case 'D': dsname = optarg; break;
		case 'P': split = optarg; break;
		case 'o': out = optarg; break;
		case 'F': force = 1; break;
		case 'l': ro.lenient = 1; break;
		case 'r': ro.rect_inclusive = wo.rect_inclusive = 1; break;
		case 'q': quiet = 1; break;
		case 'S': {
			char *end;
			shard_i = strtol(optarg, &end, 10);
			if (*end != '/' || end == optarg)
				return cli_usage_error("convert", "--shard wants I/N, e.g. 0/4");
			char *e2;
			shard_n = strtol(end + 1, &e2, 10);
			if (*e2 || e2 == end + 1 || shard_n < 1 || shard_n > 1000000 || shard_i < 0 ||
			    shard_i >= shard_n)
				return cli_usage_error("convert", "--shard I/N needs 0 <= I < N");
			break;
		}
		case 'e':
			if (!strcmp(optarg, "latin1") || !strcmp(optarg, "iso-8859-1"))
				ro.latin1 = 1;
			else if (strcmp(optarg, "utf-8") && strcmp(optarg, "utf8"))
				return cli_usage_error("convert", "unknown encoding '%s'", optarg);
			break;
		case 'L': list_formats(); return 0;
		case 'h': usage(stdout); return 0;
		case ':':
			return cli_usage_error("convert", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("convert", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!to)
		return cli_usage_error("convert", "--to FORMAT is required (see --list)");
	const tl_format *fin = NULL, *fout = tl_format_find(to);
	if (!fout)
		return cli_usage_error("convert", "unknown format '%s' (see --list)", to);
	if (!fout->write)
		return cli_usage_error("convert", "format '%s' can be read but not written", to);
	if (from && !(fin = tl_format_find(from)))
		return cli_usage_error("convert", "unknown format '%s' (see --list)", from);
	if (shape) {
		wo.shape = tl_shape_from_name(shape);
		if (wo.shape == TL_SHAPE_NONE)
			return cli_usage_error("convert", "unknown shape '%s'", shape);
		if (!(fout->shapes & TL_SHAPE_BIT(wo.shape)))
			return cli_usage_error("convert", "format '%s' cannot hold shape '%s'", to,
					       shape);
	}
	const tl_known_dataset *kd;
	int usage = cli_dataset_arg("convert", dsname, split, argc - optind, &kd);
	if (usage)
		return usage;
	if (!kd && optind >= argc)
		return cli_usage_error("convert", "no INPUT given");
	if (images && !tl_is_dir(images))
		return cli_usage_error("convert", "--images: '%s' is not a directory", images);

	tl_dataset *ds = tl_dataset_new();
	if (!ds) {
		fprintf(stderr, "textloc convert: out of memory\n");
		return 3;
	}
	tl_diags d;
	tl_diags_init(&d);
	d.max = MAX_SHOWN;
	tl_error err = { 0 };
	char *dataset_images = NULL;
	int rc = kd ? read_dataset(ds, kd, argv[optind], split, fin, &ro, &d, &dataset_images, &err)
		    : tl_read_inputs(ds, (const char *const *)argv + optind, (size_t)(argc - optind),
				     fin, &ro, &d, &err);
	if (!images)
		images = dataset_images;
	print_diags(&d);
	if (rc == TL_E_INPUT) {
		fprintf(stderr, "textloc convert: %zu errors in the input; nothing written\n",
			d.nerrors);
		goto out;
	}
	if (rc != TL_OK) {
		cli_error(&err);
		goto out;
	}
	if (shard_n > 1) {
		/* keep images shard_i, shard_i + N, ...; the others are dropped in place */
		size_t kept = 0;
		for (size_t i = 0; i < ds->nimages; i++) {
			if ((long)(i % (size_t)shard_n) == shard_i)
				ds->images[kept++] = ds->images[i];
			else
				free(ds->images[i].regions);
		}
		ds->nimages = kept;
	}
	size_t nregions = 0;
	for (size_t i = 0; i < ds->nimages; i++)
		nregions += ds->images[i].nregions;
	if (images)
		attach_images(ds, images, quiet);
	if ((fout->flags & TL_FMT_NEEDS_SIZE)) {
		size_t unknown = 0;
		for (size_t i = 0; i < ds->nimages; i++)
			unknown += ds->images[i].width <= 0 || ds->images[i].height <= 0;
		if (unknown)
			fprintf(stderr, "textloc convert: warning: format '%s' needs image sizes; %zu "
				"images have none (give --images DIR)\n", fout->name, unknown);
	}
	tl_diags_free(&d);
	tl_diags_init(&d);
	d.max = MAX_SHOWN;
	rc = tl_format_prepare(ds, fout, &wo, &d, &err);
	if (rc == TL_OK)
		rc = tl_write_output(ds, fout, out, &wo, force, &d, &err);
	print_diags(&d);
	if (rc != TL_OK) {
		cli_error(&err);
		goto out;
	}
	if (!quiet)
		fprintf(stderr, "textloc convert: %zu images, %zu regions read (%s), written as %s%s%s\n",
			ds->nimages, nregions, ds->format ? ds->format : "-", fout->name,
			out && strcmp(out, "-") ? " to " : "", out && strcmp(out, "-") ? out : "");
out:
	free(dataset_images);
	tl_diags_free(&d);
	tl_dataset_free(ds);
	return cli_exit_code(rc);
}
