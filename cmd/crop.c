/* crop.c — textloc crop: cut every care region out of its image as a word image
 * for recognition datasets, with a label file in a common layout. */
#include "cmd.h"
#include <getopt.h>   /* getopt_long */
#include <stdlib.h>   /* free, strtod, strtol */
#include <string.h>   /* strcmp */

#define TRY(e) do { int rc_ = (e); if (rc_) return rc_; } while (0)

static const char usage_line[] =
	"textloc crop [--from F] [--dataset NAME DIR [--split S]] [--images DIR] -o OUT "
	"[--layout tsv|mmocr] [--pad P] [--height H] [--dontcare] [--min-size PX] "
	"[--shard I/N] [--force] [INPUT...]";

static void usage(FILE *f)
{
	fprintf(f, "usage: %s\n", usage_line);
	fprintf(f,
		"\n"
		"Cuts every care region with a transcription out of its image: QUAD and RBOX\n"
		"regions are perspective-rectified, RECT cut directly, POLY through its minimum-\n"
		"area rectangle. Writes OUT/images/<image>_<k>.png and a label file:\n"
		"  tsv    OUT/labels.txt, one 'images/NAME.png<TAB>text' a line (PaddleOCR rec_gt)\n"
		"  mmocr  OUT/textrecog.json, mmocr 1.x {metainfo, data_list: [{img_path,\n"
		"         instances: [{text}]}]}\n"
		"\n"
		"  --from F            annotation format (probed when absent)\n"
		"  --dataset NAME DIR  a known dataset's copy (annotations and images found)\n"
		"  --split S           with --dataset: only this split\n"
		"  --images DIR        folder of the images (default: the annotation's own names)\n"
		"  -o, --output OUT    output folder\n"
		"  --layout L          tsv (default) or mmocr\n"
		"  --pad P             margin around each word, share of its height (default 0)\n"
		"  --height H          scale every crop to H pixels high (default: natural size)\n"
		"  --dontcare          also crop don't-care regions (their text as stored)\n"
		"  --min-size PX       skip words whose short side is below PX pixels (default 2)\n"
		"  --shard I/N         only every N-th image, starting with image I\n"
		"  --force             overwrite existing files\n"
		"  -h, --help          this text\n");
}

struct job {
	const char *out;
	int mmocr, force, dontcare;
	tl_crop_opts co;
	size_t shard_i, shard_n;
	tl_buf labels;
	size_t crops, skipped_small, skipped_empty, images_missing, failed;
	int first_entry;
};

static int put_label(struct job *j, const char *rel, const char *text)
{
	if (j->mmocr) {
		TRY(tl_buf_puts(&j->labels, j->first_entry ? "\n  {\"img_path\": " : ",\n  {\"img_path\": "));
		TRY(tl_buf_json_string(&j->labels, rel));
		TRY(tl_buf_puts(&j->labels, ", \"instances\": [{\"text\": "));
		TRY(tl_buf_json_string(&j->labels, text));
		TRY(tl_buf_puts(&j->labels, "}]}"));
		j->first_entry = 0;
		return TL_OK;
	}
	TRY(tl_buf_puts(&j->labels, rel));
	TRY(tl_buf_puts(&j->labels, "\t"));
	for (const char *p = text; *p; p++) {
		char c = *p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p;
		TRY(tl_buf_append(&j->labels, &c, 1));
	}
	return tl_buf_puts(&j->labels, "\n");
}

/* The crop file name: the image name with '/' turned into '_', its extension
 * dropped, then _k. */
static void crop_name(char *buf, size_t size, const char *image, size_t k)
{
	char stem[1024];
	snprintf(stem, sizeof stem, "%s", image);
	char *dot = strrchr(stem, '.');
	char *slash = strrchr(stem, '/');
	if (dot && (!slash || dot > slash))
		*dot = 0;
	for (char *p = stem; *p; p++)
		if (*p == '/' || *p == '\\' || *p == ':')
			*p = '_';
	snprintf(buf, size, "images/%s_%zu.png", stem, k);
}

static int crop_image(struct job *j, const tl_image *im, const char *images_dir)
{
	size_t wanted = 0;
	for (size_t k = 0; k < im->nregions; k++) {
		const tl_region *r = &im->regions[k];
		if ((!r->dontcare || j->dontcare) && r->text[0])
			wanted++;
		else if (!r->dontcare)
			j->skipped_empty++;
	}
	if (!wanted)
		return TL_OK;
	char path[4096];
	tl_pixmap img;
	tl_error err;
	int rc;
	if (images_dir)
		snprintf(path, sizeof path, "%s/%s", images_dir, im->name);
	else
		snprintf(path, sizeof path, "%s", im->name);
	rc = tl_image_decode(path, NULL, &img, NULL, &err);
	if (rc != TL_OK && images_dir) {
		snprintf(path, sizeof path, "%s/%s", images_dir, tl_basename(im->name));
		rc = tl_image_decode(path, NULL, &img, NULL, &err);
	}
	if (rc != TL_OK) {
		if (rc == TL_E_NOMEM)
			return rc;
		if (j->images_missing++ < 5)
			cli_error(&err);
		return TL_OK;
	}
	for (size_t k = 0; k < im->nregions; k++) {
		const tl_region *r = &im->regions[k];
		if ((r->dontcare && !j->dontcare) || !r->text[0])
			continue;
		tl_pixmap crop;
		rc = tl_crop_region(&img, r, &j->co, &crop, &err);
		if (rc == TL_E_NOMEM)
			break;
		if (rc != TL_OK) {
			if (rc == TL_E_INPUT && strstr(err.msg, "too small"))
				j->skipped_small++;
			else {
				fprintf(stderr, "textloc crop: %s region %zu: %s\n", im->name, k + 1,
					err.msg);
				j->failed++;
			}
			continue;
		}
		char rel[1200], full[4400];
		crop_name(rel, sizeof rel, im->name, k + 1);
		snprintf(full, sizeof full, "%s/%s", j->out, rel);
		rc = tl_png_write(full, &crop, j->force, &err);
		tl_pixmap_free(&crop);
		if (rc != TL_OK) {
			cli_error(&err);
			break;
		}
		if ((rc = put_label(j, rel, r->text)))
			break;
		j->crops++;
	}
	tl_pixmap_free(&img);
	return rc;
}

int cmd_crop(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "dataset", required_argument, NULL, 'D' },
		{ "split", required_argument, NULL, 's' },
		{ "images", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "layout", required_argument, NULL, 'l' },
		{ "pad", required_argument, NULL, 'p' },
		{ "height", required_argument, NULL, 'H' },
		{ "dontcare", no_argument, NULL, 'd' },
		{ "min-size", required_argument, NULL, 'm' },
		{ "shard", required_argument, NULL, 'S' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct job j;
	memset(&j, 0, sizeof j);
	j.shard_n = 1;
	j.first_entry = 1;
	j.co.min_size = 2;
	const char *from = NULL, *dsname = NULL, *split = NULL, *images = NULL;
	char *end;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 'D': dsname = optarg; break;
		case 's': split = optarg; break;
		case 'i': images = optarg; break;
		case 'o': j.out = optarg; break;
		case 'l':
			if (!strcmp(optarg, "mmocr"))
				j.mmocr = 1;
			else if (strcmp(optarg, "tsv"))
				return cli_usage_error("crop", "--layout is tsv or mmocr, not '%s'", optarg);
			break;
		case 'p':
			j.co.pad = strtod(optarg, &end);
			if (*end || end == optarg || !(j.co.pad >= 0 && j.co.pad <= 10))
				return cli_usage_error("crop", "--pad wants a share in [0, 10], not '%s'",
						       optarg);
			break;
		case 'H': {
			long v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 1 || v > 4096)
				return cli_usage_error("crop", "--height wants 1..4096 pixels, not '%s'",
						       optarg);
			j.co.height = (int)v;
			break;
		}
		case 'm': {
			long v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 0 || v > 4096)
				return cli_usage_error("crop", "--min-size wants 0..4096, not '%s'", optarg);
			j.co.min_size = (int)v;
			break;
		}
		case 'd': j.dontcare = 1; break;
		case 'S':
			if (tl_shard_parse(optarg, &j.shard_i, &j.shard_n))
				return cli_usage_error("crop", "--shard wants I/N with 0 <= I < N, not '%s'",
						       optarg);
			break;
		case 'F': j.force = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			return cli_usage_error("crop", "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (!j.out)
		return cli_usage_error("crop", "-o OUT is required");
	const tl_format *fmt = NULL;
	if (from && !(fmt = tl_format_find(from)))
		return cli_usage_error("crop", "unknown format '%s'", from);
	const tl_known_dataset *kd;
	int usage = cli_dataset_arg("crop", dsname, split, argc - optind, &kd);
	if (usage)
		return usage;
	if (!kd && optind >= argc)
		return cli_usage_error("crop", "no INPUT");
	tl_error err;
	char labels_path[4200];
	snprintf(labels_path, sizeof labels_path, "%s/%s", j.out,
		 j.mmocr ? "textrecog.json" : "labels.txt");
	if (!j.force && tl_is_file(labels_path)) {
		fprintf(stderr, "textloc crop: %s exists (use --force)\n", labels_path);
		return 1;
	}
	char imgdir[4200];
	snprintf(imgdir, sizeof imgdir, "%s/images", j.out);
	if (tl_mkdirs(imgdir, &err)) {
		cli_error(&err);
		return 3;
	}
	if (j.mmocr)
		tl_buf_puts(&j.labels, "{\"metainfo\": {\"dataset_type\": \"TextRecogDataset\", "
				       "\"task_name\": \"textrecog\"},\n \"data_list\": [");
	tl_diags d;
	tl_diags_init(&d);
	d.max = 200;
	int status = 0, rc = TL_OK;
	size_t index = 0;
	/* one pass per split with --dataset (each has its own image folder), else one */
	size_t passes = kd ? kd->nsplits : 1;
	for (size_t s = 0; s < passes && rc != TL_E_NOMEM; s++) {
		char **paths = NULL, *dir = NULL;
		size_t npaths = 0;
		const tl_format *f = fmt;
		if (kd) {
			if (split && strcmp(kd->splits[s].name, tl_known_split_find(kd, split)->name))
				continue;
			const tl_format *df;
			if (tl_dataset_resolve(kd, argv[optind], kd->splits[s].name, &paths, &npaths,
					       &df, &dir, &err) != TL_OK)
				continue;
			if (!f)
				f = df;
		}
		tl_dataset *ds = tl_dataset_new();
		if (!ds) {
			rc = TL_E_NOMEM;
			break;
		}
		int r = kd ? tl_read_inputs(ds, (const char *const *)paths, npaths, f, NULL, &d, &err)
			   : tl_read_inputs(ds, (const char *const *)(argv + optind),
					    (size_t)(argc - optind), f, NULL, &d, &err);
		tl_strv_free(paths, npaths);
		if (r != TL_OK && r != TL_E_INPUT) {
			cli_error(&err);
			status = cli_exit_code(r);
		} else {
			if (r == TL_E_INPUT)
				status = 1;
			for (size_t i = 0; i < ds->nimages && rc == TL_OK; i++, index++)
				if (tl_shard_has(index, j.shard_i, j.shard_n))
					rc = crop_image(&j, &ds->images[i], images ? images : dir);
		}
		free(dir);
		tl_dataset_free(ds);
	}
	cli_print_diags(&d, stderr);
	if (d.nerrors)
		status = 1;
	tl_diags_free(&d);
	if (j.mmocr)
		tl_buf_puts(&j.labels, "\n]}\n");
	if (rc == TL_OK &&
	    tl_write_file_atomic(labels_path, j.labels.data ? j.labels.data : "", j.labels.len, 1,
				 &err) != TL_OK) {
		cli_error(&err);
		rc = TL_E_IO;
	}
	tl_buf_free(&j.labels);
	if (rc != TL_OK) {
		if (rc == TL_E_NOMEM)
			fprintf(stderr, "textloc crop: out of memory\n");
		return 3;
	}
	fprintf(stderr, "textloc crop: %zu word images in %s", j.crops, j.out);
	if (j.skipped_small)
		fprintf(stderr, ", %zu too small", j.skipped_small);
	if (j.skipped_empty)
		fprintf(stderr, ", %zu care regions without text", j.skipped_empty);
	if (j.images_missing)
		fprintf(stderr, ", %zu images not found", j.images_missing);
	if (j.failed)
		fprintf(stderr, ", %zu regions failed", j.failed);
	fputc('\n', stderr);
	if (j.images_missing || j.failed)
		status = status ? status : 1;
	return status;
}
