/* detect.c — textloc detect: text boxes from images with the built-in DB detector.
 *
 * The front end only gathers inputs, parses options and writes results; decoding,
 * the network and the post-processing are library calls. Images run in parallel
 * workers, each with its own detector cloned from one loaded model (the model
 * file is read once); with fewer images than jobs the spare cores go to threads
 * inside the network. */
#include "cmd.h"
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MODEL_FILE "ch_PP-OCRv4_det_infer.onnx"
#define STEM_MAX 1024
#define TRY(expr) do { int rc_ = (expr); if (rc_ != TL_OK) return rc_; } while (0)

static const char usage[] =
	"usage: textloc detect [options] IMAGE...\n"
	"Finds text regions with the DB detector (PaddleOCR PP-OCRv4 by default).\n"
	"IMAGE may be a file, a directory (its images), a quoted glob, or - (stdin).\n"
	"Output: one image without -o prints ICDAR 2015 result lines\n"
	"(x1,y1,...,x4,y4,score) on stdout; -o DIR writes res_<name>.txt per image;\n"
	"--format F -o OUT writes all results in an annotation format.\n"
	"  -o, --output PATH        result directory (or file/directory for --format)\n"
	"  -f, --format NAME        output format (icdar2015, ufo, paddleocr, ...)\n"
	"  -m, --model PATH         ONNX DB model (default: the installed PP-OCRv4 model)\n"
	"      --draw DIR           write <name>.png overlays of the boxes\n"
	"      --scores             with --draw: label each box with its score\n"
	"      --prob DIR           write <name>_prob.png probability heatmaps\n"
	"      --list FILE          read image paths from FILE, one per line (- = stdin)\n"
	"      --shard I/N          process only inputs I, I+N, I+2N, ... (0 <= I < N)\n"
	"  -j, --jobs N             images in parallel (default: all cores)\n"
	"      --limit-side N       resize limit in pixels (960)\n"
	"      --limit-type max|min the longer side at most N, or the shorter side at least N\n"
	"      --thresh X           binarisation threshold (0.3)\n"
	"      --box-thresh X       minimum box score (0.6)\n"
	"      --unclip-ratio X     box growth (1.5)\n"
	"      --max-candidates N   contours examined per image (1000)\n"
	"      --min-size N         minimum box side in map pixels (3)\n"
	"      --score-mode fast|slow  score over the box or over the contour (fast)\n"
	"      --shape quad|poly    quadrilaterals or polygons (quad)\n"
	"      --dilate             dilate the binary map first\n"
	"      --max-pixels N       refuse larger images (default 268435456)\n"
	"      --no-exif            ignore JPEG EXIF orientation\n"
	"      --force              overwrite existing output files\n"
	"  -q, --quiet              no progress bar\n"
	"  -v, --verbose            per-image sizes and timings on stderr\n"
	"  -h, --help               this help\n";

enum {
	OPT_DRAW = 256, OPT_PROB, OPT_LIST, OPT_SHARD, OPT_LIMIT_SIDE, OPT_LIMIT_TYPE,
	OPT_THRESH, OPT_BOX_THRESH, OPT_UNCLIP, OPT_MAX_CAND, OPT_MIN_SIZE, OPT_SCORE_MODE,
	OPT_SHAPE, OPT_DILATE, OPT_MAX_PIXELS, OPT_NO_EXIF, OPT_FORCE, OPT_SCORES,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "model", required_argument, NULL, 'm' },
	{ "draw", required_argument, NULL, OPT_DRAW },
	{ "prob", required_argument, NULL, OPT_PROB },
	{ "scores", no_argument, NULL, OPT_SCORES },
	{ "list", required_argument, NULL, OPT_LIST },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "jobs", required_argument, NULL, 'j' },
	{ "limit-side", required_argument, NULL, OPT_LIMIT_SIDE },
	{ "limit-type", required_argument, NULL, OPT_LIMIT_TYPE },
	{ "thresh", required_argument, NULL, OPT_THRESH },
	{ "box-thresh", required_argument, NULL, OPT_BOX_THRESH },
	{ "unclip-ratio", required_argument, NULL, OPT_UNCLIP },
	{ "max-candidates", required_argument, NULL, OPT_MAX_CAND },
	{ "min-size", required_argument, NULL, OPT_MIN_SIZE },
	{ "score-mode", required_argument, NULL, OPT_SCORE_MODE },
	{ "shape", required_argument, NULL, OPT_SHAPE },
	{ "dilate", no_argument, NULL, OPT_DILATE },
	{ "max-pixels", required_argument, NULL, OPT_MAX_PIXELS },
	{ "no-exif", no_argument, NULL, OPT_NO_EXIF },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* ---- small helpers ------------------------------------------------------ */

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

typedef struct strvec { char **v; size_t n, cap; } strvec;

static int sv_push(strvec *s, const char *str)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **nv = realloc(s->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(str)))
		return -1;
	s->n++;
	return 0;
}

static void sv_free(strvec *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int join_path(char *buf, size_t size, const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	int n = snprintf(buf, size, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Adds one command-line input: a directory's images (sorted), a glob's matches,
 * a TIFF's pages, or the path itself (a missing file is reported when decoded). */
static int add_input(strvec *in, const char *arg)
{
	char path[PATH_MAX + 32];
	if (strcmp(arg, "-") != 0 && tl_is_dir(arg)) {
		char **names;
		size_t n;
		tl_error err = { 0 };
		if (tl_list_dir(arg, &names, &n, &err) != TL_OK) {
			cli_error(&err);
			return -1;
		}
		int rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (!tl_image_is_image_name(names[i]))
				continue;
			if (join_path(path, sizeof path, arg, names[i]) != 0)
				continue;
			rc = add_input(in, path);
		}
		tl_strv_free(names, n);
		return rc;
	}
	if (!tl_is_file(arg) && strpbrk(arg, "*?[")) {
		glob_t g;
		int grc = glob(arg, 0, NULL, &g);
		if (grc == 0) {
			int rc = 0;
			for (size_t i = 0; i < g.gl_pathc && rc == 0; i++)
				rc = add_input(in, g.gl_pathv[i]);
			globfree(&g);
			return rc;
		}
		if (grc != GLOB_NOMATCH)
			globfree(&g);
		return sv_push(in, arg); /* reported as missing later */
	}
	if ((tl_has_suffix(arg, ".tif") || tl_has_suffix(arg, ".tiff")) && tl_is_file(arg)) {
		int pages = 1;
		tl_error err = { 0 };
		if (tl_image_pages(arg, &pages, &err) == TL_OK && pages > 1 && pages <= 100000) {
			for (int k = 0; k < pages; k++) {
				snprintf(path, sizeof path, "%s#%d", arg, k);
				if (sv_push(in, path) != 0)
					return -1;
			}
			return 0;
		}
	}
	return sv_push(in, arg);
}

static int read_list(strvec *in, const char *file)
{
	char *data;
	size_t len;
	tl_error err = { 0 };
	if (tl_read_file(file, 0, &data, &len, &err) != TL_OK) {
		cli_error(&err);
		return -1;
	}
	int rc = 0;
	char *save = NULL;
	for (char *line = strtok_r(data, "\r\n", &save); line && rc == 0;
	     line = strtok_r(NULL, "\r\n", &save)) {
		while (*line == ' ' || *line == '\t')
			line++;
		size_t l = strlen(line);
		while (l && (line[l - 1] == ' ' || line[l - 1] == '\t'))
			line[--l] = 0;
		if (!*line || *line == '#')
			continue;
		rc = add_input(in, line);
	}
	free(data);
	return rc;
}

/* "dir/img_1.jpg#2" -> "img_1_p2"; "-" -> "stdin". */
static void stem_of(const char *path, char *buf, size_t size)
{
	if (strcmp(path, "-") == 0) {
		snprintf(buf, size, "stdin");
		return;
	}
	const char *base = tl_basename(path);
	const char *hash = strrchr(base, '#');
	size_t bl = hash ? (size_t)(hash - base) : strlen(base);
	const char *dot = NULL;
	for (size_t i = 0; i < bl; i++)
		if (base[i] == '.')
			dot = base + i;
	size_t sl = dot && dot != base ? (size_t)(dot - base) : bl;
	if (hash)
		snprintf(buf, size, "%.*s_p%s", (int)sl, base, hash + 1);
	else
		snprintf(buf, size, "%.*s", (int)sl, base);
}

/* The default model: $TEXTLOC_MODEL, then next to the executable as installed
 * (<prefix>/bin/textloc -> <prefix>/share/textloc/models/) or as built
 * (<checkout>/build/textloc -> <checkout>/models/), then ./models/. */
static int default_model(char *buf, size_t size)
{
	const char *env = getenv("TEXTLOC_MODEL");
	if (env && *env) {
		snprintf(buf, size, "%s", env);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			static const char *const rel[] = {
				"/../share/textloc/models/" MODEL_FILE,
				"/../models/" MODEL_FILE,
			};
			for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
				snprintf(buf, size, "%s%s", exe, rel[i]);
				if (tl_is_file(buf))
					return 0;
			}
		}
	}
	snprintf(buf, size, "models/" MODEL_FILE);
	return tl_is_file(buf) ? 0 : -1;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- the batch ---------------------------------------------------------- */

typedef struct job {
	const char *path;
	tl_dataset *ds;      /* one image with its regions, or NULL on failure */
	int status;
	int bad_input;       /* the image itself could not be read or decoded */
} job;

typedef struct batch {
	job *jobs;
	size_t njobs, next, done;
	pthread_mutex_t lock;
	tl_detector *proto;
	tl_decode_opts dopts;
	const char *outdir, *drawdir, *probdir;
	int force, verbose, progress, per_image_files, scores;
	int threads_per_worker;
	int proto_taken;
} batch;

static int fmt_coord(char *buf, size_t size, double v)
{
	if (v == 0)
		v = 0; /* no "-0" */
	if (v == floor(v) && fabs(v) < 1e15)
		return snprintf(buf, size, "%.0f", v);
	return snprintf(buf, size, "%.2f", v);
}

/* ICDAR 2015 result lines with the score: x1,y1,...,xn,yn,score. */
static int result_lines(const tl_image *im, tl_buf *out)
{
	char num[64];
	for (size_t i = 0; i < im->nregions; i++) {
		const tl_region *r = &im->regions[i];
		for (size_t k = 0; k < r->geom.n; k++) {
			fmt_coord(num, sizeof num, r->geom.pts[k].x);
			if (tl_buf_puts(out, num) || tl_buf_puts(out, ","))
				return TL_E_NOMEM;
			fmt_coord(num, sizeof num, r->geom.pts[k].y);
			if (tl_buf_puts(out, num) || tl_buf_puts(out, ","))
				return TL_E_NOMEM;
		}
		if (tl_buf_printf(out, "%.6f\n", r->confidence))
			return TL_E_NOMEM;
	}
	return TL_OK;
}

static void progress_locked(batch *b)
{
	if (!b->progress)
		return;
	int width = 30, filled = b->njobs ? (int)(b->done * width / b->njobs) : width;
	fprintf(stderr, "\rdetect [%.*s%*s] %zu/%zu", filled,
		"##############################", width - filled, "", b->done, b->njobs);
	if (b->done == b->njobs)
		fputc('\n', stderr);
	fflush(stderr);
}

static int write_extras(batch *b, tl_detector *d, const tl_pixmap *pix, const tl_image *im,
			const char *stem, tl_error *err)
{
	char path[PATH_MAX + 64];
	if (b->per_image_files) {
		tl_buf out = TL_BUF_INIT;
		char name[STEM_MAX + 32];
		snprintf(name, sizeof name, "res_%s.txt", stem);
		if (join_path(path, sizeof path, b->outdir, name) != 0)
			return tl_error_set(err, TL_E_USAGE, b->outdir, 0, 0, "path too long");
		int rc = result_lines(im, &out);
		if (rc == TL_OK)
			rc = tl_write_file_atomic(path, out.data ? out.data : "", out.len, b->force, err);
		tl_buf_free(&out);
		TRY(rc);
	}
	if (b->drawdir) {
		tl_pixmap rgb = { 0 };
		char name[STEM_MAX + 32];
		snprintf(name, sizeof name, "%s.png", stem);
		if (join_path(path, sizeof path, b->drawdir, name) != 0)
			return tl_error_set(err, TL_E_USAGE, b->drawdir, 0, 0, "path too long");
		TRY(tl_pixmap_to_rgb(pix, &rgb, err));
		tl_draw_opts o;
		memset(&o, 0, sizeof o);
		o.labels = o.scores = b->scores;
		int rc = tl_draw_image(&rgb, im, &o, err);
		if (rc == TL_OK)
			rc = tl_png_write(path, &rgb, b->force, err);
		tl_pixmap_free(&rgb);
		TRY(rc);
	}
	if (b->probdir) {
		int w, h;
		const float *prob = tl_detector_prob(d, &w, &h);
		tl_pixmap heat = { 0 };
		char name[STEM_MAX + 32];
		snprintf(name, sizeof name, "%s_prob.png", stem);
		if (join_path(path, sizeof path, b->probdir, name) != 0)
			return tl_error_set(err, TL_E_USAGE, b->probdir, 0, 0, "path too long");
		if (prob) {
			TRY(tl_heatmap(prob, w, h, 0, 1, &heat, err));
			int rc = tl_png_write(path, &heat, b->force, err);
			tl_pixmap_free(&heat);
			TRY(rc);
		}
	}
	return TL_OK;
}

static int run_one(batch *b, tl_detector *d, job *j, tl_error *err)
{
	tl_pixmap pix = { 0 };
	tl_decode_info info;
	memset(&info, 0, sizeof info);
	double t0 = now_ms();
	int drc = tl_image_decode(j->path, &b->dopts, &pix, &info, err);
	double decode_ms = now_ms() - t0;
	if (drc != TL_OK) {
		j->bad_input = drc != TL_E_NOMEM;
		return drc;
	}
	char stem[STEM_MAX];
	stem_of(j->path, stem, sizeof stem);
	tl_dataset *ds = tl_dataset_new();
	tl_image *im = ds ? tl_dataset_add_image(ds, strcmp(j->path, "-") ? tl_basename(j->path)
							       : "stdin") : NULL;
	if (!im) {
		tl_dataset_free(ds);
		tl_pixmap_free(&pix);
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	tl_det_timing t = { 0, 0, 0 };
	int rc = tl_detector_run(d, &pix, ds, im, &t, err);
	if (rc != TL_OK && err->file[0] == 0)
		snprintf(err->file, sizeof err->file, "%s", j->path);
	if (rc == TL_OK)
		rc = write_extras(b, d, &pix, im, stem, err);
	if (rc == TL_OK && b->verbose) {
		int w, h;
		tl_detector_prob(d, &w, &h);
		pthread_mutex_lock(&b->lock);
		fprintf(stderr, "%s: %dx%d %s%s -> %dx%d, %zu boxes; ms: decode %.1f, resize and "
			"normalise %.1f, network %.1f, boxes %.1f\n", j->path, pix.width, pix.height,
			info.format ? info.format : "?",
			info.exif_orientation > 1 ? " (EXIF orientation applied)" : "", w, h,
			im->nregions, decode_ms, t.pre_ms, t.net_ms, t.post_ms);
		pthread_mutex_unlock(&b->lock);
	}
	tl_pixmap_free(&pix);
	if (rc != TL_OK) {
		tl_dataset_free(ds);
		return rc;
	}
	/* With one result file per image nothing is printed at the end: keep
	 * memory flat over long batches. */
	if (b->per_image_files)
		tl_dataset_free(ds);
	else
		j->ds = ds;
	return TL_OK;
}

static void *worker(void *arg)
{
	batch *b = arg;
	tl_detector *d = NULL, *own = NULL;
	tl_error err = { 0 };
	/* The first worker runs the loaded detector, the others clones of it. */
	pthread_mutex_lock(&b->lock);
	if (!b->proto_taken) {
		b->proto_taken = 1;
		d = b->proto;
	}
	pthread_mutex_unlock(&b->lock);
	if (d) {
		tl_detector_set_threads(d, b->threads_per_worker);
	} else if (tl_detector_clone(b->proto, &own, &err) != TL_OK) {
		pthread_mutex_lock(&b->lock);
		cli_error(&err);
		pthread_mutex_unlock(&b->lock);
	} else {
		d = own;
		tl_detector_set_threads(d, b->threads_per_worker);
	}
	for (;;) {
		pthread_mutex_lock(&b->lock);
		size_t i = b->next < b->njobs ? b->next++ : b->njobs;
		pthread_mutex_unlock(&b->lock);
		if (i >= b->njobs)
			break;
		job *j = &b->jobs[i];
		memset(&err, 0, sizeof err);
		j->status = d ? run_one(b, d, j, &err)
			      : tl_error_set(&err, TL_E_NOMEM, NULL, 0, 0, "no detector");
		pthread_mutex_lock(&b->lock);
		if (j->status != TL_OK) {
			if (b->progress)
				fputc('\n', stderr);
			cli_error(&err);
		}
		b->done++;
		progress_locked(b);
		pthread_mutex_unlock(&b->lock);
	}
	tl_detector_free(own);
	return NULL;
}

int cmd_detect(int argc, char **argv)
{
	tl_det_params prm;
	tl_det_params_init(&prm);
	const char *output = NULL, *format = NULL, *model = NULL;
	batch b;
	memset(&b, 0, sizeof b);
	strvec inputs = { 0 };
	long jobs = 0, shard_i = 0, shard_n = 1, lv;
	int quiet = 0, rc = 0;
	double dv;
	strvec lists = { 0 };
	size_t had_list = 0;

	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "o:f:m:j:qvh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'f': format = optarg; break;
		case 'm': model = optarg; break;
		case OPT_DRAW: b.drawdir = optarg; break;
		case OPT_PROB: b.probdir = optarg; break;
		case OPT_SCORES: b.scores = 1; break;
		case OPT_LIST:
			if (sv_push(&lists, optarg) != 0)
				return 3;
			break;
		case OPT_SHARD: {
			char *slash = strchr(optarg, '/');
			if (!slash)
				return cli_usage_error("detect", "--shard wants I/N, got '%s'", optarg);
			*slash = 0;
			if (parse_long(optarg, 0, LONG_MAX, &shard_i) || parse_long(slash + 1, 1, 1000000, &shard_n) ||
			    shard_i >= shard_n) {
				*slash = '/';
				return cli_usage_error("detect", "--shard wants I/N with 0 <= I < N, got '%s'",
						       optarg);
			}
			*slash = '/';
			break;
		}
		case 'j':
			if (parse_long(optarg, 1, 1024, &jobs))
				return cli_usage_error("detect", "--jobs wants a number in [1, 1024]");
			break;
		case OPT_LIMIT_SIDE:
			if (parse_long(optarg, 32, 8192, &lv))
				return cli_usage_error("detect", "--limit-side wants a number in [32, 8192]");
			prm.limit_side = (int)lv;
			break;
		case OPT_LIMIT_TYPE:
			if (strcmp(optarg, "max") == 0)
				prm.limit_type = TL_DET_LIMIT_MAX;
			else if (strcmp(optarg, "min") == 0)
				prm.limit_type = TL_DET_LIMIT_MIN;
			else
				return cli_usage_error("detect", "--limit-type wants max or min");
			break;
		case OPT_THRESH:
			if (parse_double(optarg, 0, 1, &prm.thresh))
				return cli_usage_error("detect", "--thresh wants a number in [0, 1]");
			break;
		case OPT_BOX_THRESH:
			if (parse_double(optarg, 0, 1, &prm.box_thresh))
				return cli_usage_error("detect", "--box-thresh wants a number in [0, 1]");
			break;
		case OPT_UNCLIP:
			if (parse_double(optarg, 0, 100, &prm.unclip_ratio))
				return cli_usage_error("detect", "--unclip-ratio wants a number in [0, 100]");
			break;
		case OPT_MAX_CAND:
			if (parse_long(optarg, 1, 1000000, &lv))
				return cli_usage_error("detect", "--max-candidates wants a number in [1, 1000000]");
			prm.max_candidates = (int)lv;
			break;
		case OPT_MIN_SIZE:
			if (parse_long(optarg, 0, 100000, &lv))
				return cli_usage_error("detect", "--min-size wants a number in [0, 100000]");
			prm.min_size = (int)lv;
			break;
		case OPT_SCORE_MODE:
			if (strcmp(optarg, "fast") == 0)
				prm.score_mode = TL_DET_SCORE_FAST;
			else if (strcmp(optarg, "slow") == 0)
				prm.score_mode = TL_DET_SCORE_SLOW;
			else
				return cli_usage_error("detect", "--score-mode wants fast or slow");
			break;
		case OPT_SHAPE:
			if (strcmp(optarg, "quad") == 0)
				prm.shape = TL_SHAPE_QUAD;
			else if (strcmp(optarg, "poly") == 0)
				prm.shape = TL_SHAPE_POLY;
			else
				return cli_usage_error("detect", "--shape wants quad or poly");
			break;
		case OPT_DILATE: prm.dilate = 1; break;
		case OPT_MAX_PIXELS:
			if (parse_double(optarg, 1, 1e15, &dv))
				return cli_usage_error("detect", "--max-pixels wants a positive number");
			b.dopts.max_pixels = (uint64_t)dv;
			break;
		case OPT_NO_EXIF: b.dopts.no_exif = 1; break;
		case OPT_FORCE: b.force = 1; break;
		case 'q': quiet = 1; break;
		case 'v': b.verbose = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}

	const tl_format *fmt = NULL;
	if (format) {
		fmt = tl_format_find(format);
		if (!fmt)
			return cli_usage_error("detect", "unknown format '%s' (textloc convert --list shows them)",
					       format);
		if (fmt->flags & TL_FMT_READ_ONLY)
			return cli_usage_error("detect", "format '%s' cannot be written", format);
		if (!output)
			return cli_usage_error("detect", "--format needs -o OUT");
	}
	for (int i = optind; i < argc; i++)
		if (add_input(&inputs, argv[i]) != 0) {
			sv_free(&inputs);
			sv_free(&lists);
			return 3;
		}
	for (size_t i = 0; i < lists.n; i++)
		if (read_list(&inputs, lists.v[i]) != 0) {
			sv_free(&inputs);
			sv_free(&lists);
			return 1;
		}
	had_list = lists.n;
	sv_free(&lists);
	if (inputs.n == 0 && optind >= argc && !had_list) {
		sv_free(&inputs);
		fputs(usage, stderr);
		return 2;
	}

	/* Shard selection keeps the global order, so shards merge by concatenation. */
	size_t nsel = 0, ntotal = inputs.n;
	for (size_t i = 0; i < inputs.n; i++)
		if ((long)(i % (size_t)shard_n) == shard_i)
			inputs.v[nsel++] = inputs.v[i];
		else
			free(inputs.v[i]);
	inputs.n = nsel;
	if (nsel == 0) {
		fprintf(stderr, "textloc detect: no input images\n");
		sv_free(&inputs);
		return 1;
	}

	b.per_image_files = output && !fmt;
	b.outdir = output;
	tl_error err = { 0 };
	const char *dirs[3] = { b.per_image_files ? output : NULL, b.drawdir, b.probdir };
	for (int i = 0; i < 3; i++)
		if (dirs[i] && tl_mkdirs(dirs[i], &err) != TL_OK) {
			cli_error(&err);
			sv_free(&inputs);
			return 3;
		}

	char model_path[PATH_MAX + 64];
	if (model) {
		snprintf(model_path, sizeof model_path, "%s", model);
	} else if (default_model(model_path, sizeof model_path) != 0) {
		fprintf(stderr, "textloc detect: no model found; give --model PATH or set "
			"TEXTLOC_MODEL (make model fetches the default one)\n");
		sv_free(&inputs);
		return 3;
	}
	if (tl_detector_new(model_path, &prm, &b.proto, &err) != TL_OK) {
		cli_error(&err);
		sv_free(&inputs);
		return cli_exit_code(err.status);
	}

	int ncpu = cli_ncpus();
	if (jobs <= 0)
		jobs = ncpu > 0 ? ncpu : 1;
	size_t nworkers = (size_t)jobs < inputs.n ? (size_t)jobs : inputs.n;
	b.threads_per_worker = (int)(jobs / (long)nworkers);
	if (b.threads_per_worker < 1)
		b.threads_per_worker = 1;
	b.jobs = calloc(inputs.n, sizeof *b.jobs);
	pthread_t *tids = calloc(nworkers, sizeof *tids);
	if (!b.jobs || !tids) {
		fprintf(stderr, "textloc detect: out of memory\n");
		free(b.jobs);
		free(tids);
		tl_detector_free(b.proto);
		sv_free(&inputs);
		return 3;
	}
	for (size_t i = 0; i < inputs.n; i++)
		b.jobs[i].path = inputs.v[i];
	b.njobs = inputs.n;
	b.progress = !quiet && isatty(2) && inputs.n > 1;
	pthread_mutex_init(&b.lock, NULL);
	size_t started = 0;
	if (nworkers == 1) {
		worker(&b);
	} else {
		for (; started < nworkers; started++)
			if (pthread_create(&tids[started], NULL, worker, &b) != 0)
				break;
		if (started == 0)
			worker(&b);
		for (size_t i = 0; i < started; i++)
			pthread_join(tids[i], NULL);
	}
	pthread_mutex_destroy(&b.lock);
	free(tids);

	/* Results in input order. */
	size_t nfailed = 0;
	int worst = 0;
	for (size_t i = 0; i < b.njobs; i++)
		if (b.jobs[i].status != TL_OK) {
			nfailed++;
			int code = b.jobs[i].bad_input ? 1 : cli_exit_code(b.jobs[i].status);
			if (code > worst)
				worst = code;
		}
	if (fmt) {
		tl_dataset *all = tl_dataset_new();
		tl_diags diags;
		tl_diags_init(&diags);
		tl_write_opts wo;
		memset(&wo, 0, sizeof wo);
		wo.with_confidence = 1;
		int wrc = all ? TL_OK : TL_E_NOMEM;
		for (size_t i = 0; i < b.njobs && wrc == TL_OK; i++)
			if (b.jobs[i].ds)
				wrc = tl_dataset_merge(all, b.jobs[i].ds, &err);
		if (wrc == TL_OK)
			wrc = tl_format_prepare(all, fmt, &wo, &diags, &err);
		if (wrc == TL_OK)
			wrc = tl_write_output(all, fmt, output, &wo, b.force, &diags, &err);
		cli_print_diags(&diags, stderr);
		if (wrc != TL_OK) {
			cli_error(&err);
			rc = cli_exit_code(wrc);
		}
		tl_diags_free(&diags);
		tl_dataset_free(all);
	} else if (!output) {
		tl_buf out = TL_BUF_INIT;
		for (size_t i = 0; i < b.njobs; i++) {
			if (!b.jobs[i].ds)
				continue;
			if (ntotal > 1)
				tl_buf_printf(&out, "# %s\n", b.jobs[i].path);
			result_lines(&b.jobs[i].ds->images[0], &out);
		}
		if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
			rc = 3;
		tl_buf_free(&out);
	}
	if (nfailed) {
		fprintf(stderr, "textloc detect: %zu of %zu images failed\n", nfailed, b.njobs);
		if (worst > rc)
			rc = worst;
	}
	for (size_t i = 0; i < b.njobs; i++)
		tl_dataset_free(b.jobs[i].ds);
	free(b.jobs);
	tl_detector_free(b.proto);
	sv_free(&inputs);
	if (fflush(stdout) != 0 && rc == 0)
		rc = 3;
	return rc;
}
