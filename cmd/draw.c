/* draw.c — `textloc draw`: read annotations in any format, find each image,
 * draw its regions (care, don't-care hatched, transcriptions as labels) and
 * write one PNG per image. */
#include "cmd.h"
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char draw_usage[] =
	"usage: textloc draw [--from F] [--images DIR] -o OUT [--force] [--no-labels] "
	"[--scores] [--thickness N] [--fill A] [--max-pixels N] [--lenient] [-j N] [-q] ANNOTATIONS...\n"
	"\n"
	"Draws annotations onto their images and writes one PNG per image into OUT:\n"
	"cared-for regions outlined in blue, don't-care regions hatched grey, each\n"
	"region in its own form (rectangle, rotated box, quadrilateral, polygon), and\n"
	"transcriptions as labels.\n"
	"\n"
	"  --from F          read ANNOTATIONS as format F (default: probe each file)\n"
	"  --images DIR      where the images are (default: next to each annotation\n"
	"                    file, then the current directory)\n"
	"  -o, --output OUT  output directory (created); IMAGE.jpg gives OUT/IMAGE.png\n"
	"  --force           overwrite existing PNGs\n"
	"  --no-labels       outlines only\n"
	"  --scores          add confidences (detector results) to the labels\n"
	"  --thickness N     outline width in pixels (default: from the image size)\n"
	"  --fill A          fill cared-for regions translucently, A = 0..255 (default 0)\n"
	"  --max-pixels N    refuse images larger than N pixels (default 268435456)\n"
	"  --lenient         accept fractional numbers and blank lines in RRC formats\n"
	"  -j, --jobs N      images drawn in parallel (default: the number of CPUs)\n"
	"  -q, --quiet       do not list the files written\n"
	"\n"
	"Exit status: 0 all drawn, 1 some input had errors or an image was missing or\n"
	"unreadable (the others are still drawn), 2 usage, 3 failure.\n";

enum { OPT_FROM = 256, OPT_IMAGES, OPT_FORCE, OPT_NO_LABELS, OPT_SCORES, OPT_THICKNESS, OPT_FILL,
       OPT_MAX_PIXELS, OPT_LENIENT };

static const struct option draw_opts[] = {
	{ "from",       required_argument, NULL, OPT_FROM },
	{ "images",     required_argument, NULL, OPT_IMAGES },
	{ "output",     required_argument, NULL, 'o' },
	{ "force",      no_argument,       NULL, OPT_FORCE },
	{ "no-labels",  no_argument,       NULL, OPT_NO_LABELS },
	{ "scores",     no_argument,       NULL, OPT_SCORES },
	{ "thickness",  required_argument, NULL, OPT_THICKNESS },
	{ "fill",       required_argument, NULL, OPT_FILL },
	{ "max-pixels", required_argument, NULL, OPT_MAX_PIXELS },
	{ "lenient",    no_argument,       NULL, OPT_LENIENT },
	{ "jobs",       required_argument, NULL, 'j' },
	{ "quiet",      no_argument,       NULL, 'q' },
	{ "help",       no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* "dir/x.txt" -> "dir"; "x.txt" -> "." */
static void dir_of(const char *path, tl_buf *b)
{
	const char *slash = strrchr(path, '/');
	b->len = 0;
	if (!slash)
		tl_buf_puts(b, ".");
	else if (slash == path)
		tl_buf_puts(b, "/");
	else
		tl_buf_append(b, path, (size_t)(slash - path));
}

/* Tries dir/name, then dir/name with the image suffixes in place of its own (ICDAR
 * ground truth names say img_1 but not whether it is .jpg or .png). */
static int try_dir(const char *dir, const char *name, tl_buf *found)
{
	static const char *const sfx[] = { ".jpg", ".png", ".jpeg", ".tif", ".tiff",
					   ".JPG", ".PNG", ".JPEG", ".TIF", ".TIFF" };
	found->len = 0;
	if (dir)
		tl_buf_printf(found, "%s/%s", dir, name);
	else
		tl_buf_puts(found, name);
	if (tl_is_file(found->data))
		return 1;
	const char *base = tl_basename(found->data);
	const char *dot = strrchr(base, '.');
	size_t stem = dot ? (size_t)(dot - found->data) : found->len;
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		found->len = stem;
		tl_buf_puts(found, sfx[i]);
		if (tl_is_file(found->data))
			return 1;
	}
	return 0;
}

static int find_image(const tl_image *im, const char *images, tl_buf *found)
{
	if (images)
		return try_dir(images, im->name, found) || try_dir(images, tl_basename(im->name), found);
	if (im->source && strcmp(im->source, "stdin") != 0) {
		tl_buf d = TL_BUF_INIT;
		dir_of(im->source, &d);
		int ok = try_dir(d.data, im->name, found) ||
			 try_dir(d.data, tl_basename(im->name), found);
		tl_buf_free(&d);
		if (ok)
			return 1;
	}
	return try_dir(NULL, im->name, found);
}

/* OUT/<name with its suffix replaced by .png>; names that would leave OUT (absolute,
 * "..") keep only their last component. */
static int out_path(const char *out, const char *name, tl_buf *b)
{
	const char *n = name;
	if (n[0] == '/' || strstr(n, "..") || strchr(n, '\\'))
		n = tl_basename(n);
	if (!*n)
		n = "image";
	b->len = 0;
	if (tl_buf_printf(b, "%s/%s", out, n) != TL_OK)
		return TL_E_NOMEM;
	const char *base = tl_basename(b->data);
	const char *dot = strrchr(base, '.');
	if (dot && dot != base)
		b->len = (size_t)(dot - b->data);
	b->data[b->len] = '\0';
	return tl_buf_puts(b, ".png");
}

/* The output paths of this run: two images whose names differ only in the suffix
 * (img.jpg, img.png) must not overwrite each other's overlay. Open addressing over
 * FNV-1a hashes; the table is sized for the dataset up front. */
typedef struct pathset { char **slot; size_t cap; } pathset;

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211u;
	return h;
}

static int pathset_init(pathset *ps, size_t n)
{
	ps->cap = 16;
	while (ps->cap < 2 * n + 16)
		ps->cap *= 2;
	ps->slot = calloc(ps->cap, sizeof *ps->slot);
	return ps->slot ? 0 : -1;
}

/* 1 if newly added, 0 if already there, -1 out of memory. */
static int pathset_add(pathset *ps, const char *path)
{
	size_t i = (size_t)fnv1a(path) & (ps->cap - 1);
	for (; ps->slot[i]; i = (i + 1) & (ps->cap - 1))
		if (strcmp(ps->slot[i], path) == 0)
			return 0;
	ps->slot[i] = strdup(path);
	return ps->slot[i] ? 1 : -1;
}

static void pathset_free(pathset *ps)
{
	for (size_t i = 0; i < ps->cap; i++)
		free(ps->slot[i]);
	free(ps->slot);
}

/* The output path of image im, unique within this run; NULL (and reported) when
 * it cannot have one. */
static char *unique_out(const tl_image *im, const char *out, pathset *used, int *rc)
{
	tl_buf dst = TL_BUF_INIT;
	*rc = out_path(out, im->name, &dst);
	int added = *rc == TL_OK ? pathset_add(used, dst.data) : -1;
	if (added == 0) { /* img.png already drawn for img.jpg: write img.jpg.png */
		dst.len = 0;
		if (tl_buf_printf(&dst, "%s/%s.png", out, tl_basename(im->name)) != TL_OK)
			added = -1;
		else if ((added = pathset_add(used, dst.data)) == 0) {
			fprintf(stderr, "textloc draw: %s: image listed twice: drawn once\n", im->name);
			*rc = TL_E_INPUT;
		}
	}
	if (added < 0) {
		fprintf(stderr, "textloc draw: out of memory\n");
		*rc = TL_E_NOMEM;
	}
	if (added != 1) {
		tl_buf_free(&dst);
		return NULL;
	}
	return dst.data; /* the buffer's memory now belongs to the caller */
}

typedef struct job {
	const tl_dataset *ds;
	const char *images, *out;
	int force;
	const tl_decode_opts *dopt;
	const tl_draw_opts *o;
	char **dst;            /* per image: output path, NULL = skip */
	int *rc;               /* per image: result */
	size_t next;           /* next image to take, under lock */
	int stop;              /* out of memory somewhere: take no more */
	pthread_mutex_t lock;
} job;

static int draw_one(const job *j, size_t i)
{
	const tl_image *im = &j->ds->images[i];
	tl_buf path = TL_BUF_INIT;
	tl_pixmap px = { 0, 0, 0, NULL }, rgb = { 0, 0, 0, NULL };
	tl_error err;
	memset(&err, 0, sizeof err);
	int rc;
	if (!find_image(im, j->images, &path)) {
		fprintf(stderr, "textloc draw: %s: image not found%s%s\n", im->name,
			j->images ? " in " : " next to the annotations or here",
			j->images ? j->images : "");
		rc = TL_E_INPUT;
		goto done;
	}
	const char *dst = j->dst[i];
	rc = tl_image_decode(path.data, j->dopt, &px, NULL, &err);
	if (rc == TL_OK)
		rc = tl_pixmap_to_rgb(&px, &rgb, &err);
	tl_pixmap_free(&px);
	if (rc == TL_OK)
		rc = tl_draw_image(&rgb, im, j->o, &err);
	if (rc == TL_OK && strchr(dst + strlen(j->out) + 1, '/')) {
		/* the image name has directories: recreate them under OUT */
		tl_buf d = TL_BUF_INIT;
		dir_of(dst, &d);
		rc = tl_mkdirs(d.data, &err);
		tl_buf_free(&d);
	}
	if (rc == TL_OK)
		rc = tl_png_write(dst, &rgb, j->force, &err);
	if (rc != TL_OK)
		cli_error(&err);
done:
	tl_pixmap_free(&rgb);
	tl_buf_free(&path);
	return rc;
}

static void *worker(void *arg)
{
	job *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->lock);
		size_t i = j->next;
		while (i < j->ds->nimages && !j->dst[i])
			i++; /* no output path: already reported */
		j->next = i + 1;
		int stop = j->stop;
		pthread_mutex_unlock(&j->lock);
		if (stop || i >= j->ds->nimages)
			return NULL;
		j->rc[i] = draw_one(j, i);
		if (j->rc[i] == TL_E_NOMEM) {
			pthread_mutex_lock(&j->lock);
			j->stop = 1;
			pthread_mutex_unlock(&j->lock);
		}
	}
}

int cmd_draw(int argc, char **argv)
{
	const char *from = NULL, *images = NULL, *out = NULL;
	int force = 0, quiet = 0, jobs = 0, c;
	long v;
	tl_draw_opts o = { 0, 1, 0, 0, 0 };
	tl_decode_opts dopt;
	tl_read_opts ropt;
	memset(&dopt, 0, sizeof dopt);
	memset(&ropt, 0, sizeof ropt);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:qh", draw_opts, NULL)) != -1) {
		switch (c) {
		case OPT_FROM: from = optarg; break;
		case OPT_IMAGES: images = optarg; break;
		case 'o': out = optarg; break;
		case OPT_FORCE: force = 1; break;
		case OPT_NO_LABELS: o.labels = 0; break;
		case OPT_SCORES: o.scores = 1; break;
		case OPT_THICKNESS:
			if (parse_long(optarg, 1, 64, &v))
				return cli_usage_error("draw", "--thickness wants 1..64, not '%s'", optarg);
			o.thickness = (int)v;
			break;
		case OPT_FILL:
			if (parse_long(optarg, 0, 255, &v))
				return cli_usage_error("draw", "--fill wants 0..255, not '%s'", optarg);
			o.fill_alpha = (int)v;
			break;
		case OPT_MAX_PIXELS:
			if (parse_long(optarg, 1, 0x7fffffffffffL, &v))
				return cli_usage_error("draw", "--max-pixels wants a positive number, not '%s'",
						       optarg);
			dopt.max_pixels = (uint64_t)v;
			break;
		case OPT_LENIENT: ropt.lenient = 1; break;
		case 'j':
			if (parse_long(optarg, 1, 256, &v))
				return cli_usage_error("draw", "--jobs wants 1..256, not '%s'", optarg);
			jobs = (int)v;
			break;
		case 'q': quiet = 1; break;
		case 'h': fputs(draw_usage, stdout); return 0;
		default: fputs(draw_usage, stderr); return 2;
		}
	}
	if (optind >= argc)
		return cli_usage_error("draw", "no annotation files given (see textloc draw --help)");
	if (!out)
		return cli_usage_error("draw", "-o OUT is required (the directory for the PNGs)");
	if (images && !tl_is_dir(images))
		return cli_usage_error("draw", "--images %s: not a directory", images);
	const tl_format *fmt = NULL;
	if (from && !(fmt = tl_format_find(from)))
		return cli_usage_error("draw", "unknown format '%s' (textloc convert --list-formats)", from);

	tl_error err;
	memset(&err, 0, sizeof err);
	tl_dataset *ds = tl_dataset_new();
	if (!ds) {
		fprintf(stderr, "textloc draw: out of memory\n");
		return 3;
	}
	tl_diags diags;
	tl_diags_init(&diags);
	diags.max = 1000;
	int status = tl_read_inputs(ds, (const char *const *)(argv + optind), (size_t)(argc - optind),
				    fmt, &ropt, &diags, &err);
	cli_print_diags(&diags, stderr);
	if (status != TL_OK && status != TL_E_INPUT) {
		cli_error(&err);
		goto done;
	}
	if (ds->nimages == 0) {
		fprintf(stderr, "textloc draw: no images in the annotations\n");
		status = TL_E_INPUT;
		goto done;
	}
	if (tl_mkdirs(out, &err) != TL_OK) {
		cli_error(&err);
		status = err.status;
		goto done;
	}
	/* Output names first, in input order, so that clashes resolve the same way
	 * whatever the thread timing; then the images in parallel. */
	pathset used;
	job j = { ds, images, out, force, &dopt, &o, NULL, NULL, 0, 0, PTHREAD_MUTEX_INITIALIZER };
	j.dst = calloc(ds->nimages, sizeof *j.dst);
	j.rc = calloc(ds->nimages, sizeof *j.rc);
	if (!j.dst || !j.rc || pathset_init(&used, ds->nimages) != 0) {
		free(j.dst), free(j.rc);
		fprintf(stderr, "textloc draw: out of memory\n");
		status = TL_E_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < ds->nimages && !j.stop; i++) {
		j.dst[i] = unique_out(&ds->images[i], out, &used, &j.rc[i]);
		if (j.rc[i] == TL_E_NOMEM)
			j.stop = 1;
	}
	pathset_free(&used);
	if (jobs <= 0)
		jobs = cli_ncpus();
	if ((size_t)jobs > ds->nimages)
		jobs = (int)ds->nimages;
	pthread_t tid[256];
	int started = 0;
	for (; started < jobs - 1; started++)
		if (pthread_create(&tid[started], NULL, worker, &j) != 0)
			break; /* fewer threads still finish the work */
	worker(&j);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	for (size_t i = 0; i < ds->nimages; i++) {
		int rc = j.rc[i];
		if (rc == TL_OK && j.dst[i] && !quiet)
			printf("%s\n", j.dst[i]);
		/* A missing, unreadable or too large image is an input problem and the
		 * batch goes on; a PNG that cannot be written (exists without --force,
		 * disk full) is a failure. */
		if (rc != TL_OK && (status == TL_OK || status == TL_E_INPUT))
			status = rc == TL_E_LIMIT || rc == TL_E_UNSUPPORTED ? TL_E_INPUT : rc;
		free(j.dst[i]);
	}
	if (j.stop && status == TL_OK)
		status = TL_E_NOMEM;
	free(j.dst);
	free(j.rc);
	pthread_mutex_destroy(&j.lock);
done:
	tl_diags_free(&diags);
	tl_dataset_free(ds);
	return cli_exit_code(status);
}
