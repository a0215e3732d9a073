/* formats_bench.c — throughput of an annotation reader and writer in memory:
 *   formats_bench FORMAT SECONDS FILE|DIR...
 * Loads the files once, then repeats "read every file, write the dataset back" for
 * about SECONDS and prints MB/s of annotation text (input bytes / time) for reading,
 * writing, and both. Not a test: tests/bench/formats.sh runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <textloc.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time: the machine is shared */
	return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

struct file { char *path, *data; size_t len; };

static int load(const char *path, struct file **files, size_t *n, size_t *cap)
{
	tl_error err;
	if (tl_is_dir(path)) {
		char **names;
		size_t count;
		if (tl_list_dir(path, &names, &count, &err))
			return 1;
		for (size_t i = 0; i < count; i++) {
			char p[4096];
			snprintf(p, sizeof p, "%s/%s", path, names[i]);
			if (load(p, files, n, cap))
				return 1;
		}
		tl_strv_free(names, count);
		return 0;
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*files = realloc(*files, *cap * sizeof **files);
		if (!*files)
			return 1;
	}
	struct file *f = &(*files)[*n];
	if (tl_read_file(path, 0, &f->data, &f->len, &err)) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		return 1;
	}
	f->path = strdup(path);
	(*n)++;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: formats_bench FORMAT SECONDS FILE|DIR...\n");
		return 2;
	}
	const tl_format *fmt = tl_format_find(argv[1]);
	double seconds = atof(argv[2]);
	if (!fmt || seconds <= 0) {
		fprintf(stderr, "formats_bench: unknown format or bad time\n");
		return 2;
	}
	struct file *files = NULL;
	size_t n = 0, cap = 0, bytes = 0;
	for (int i = 3; i < argc; i++)
		if (load(argv[i], &files, &n, &cap))
			return 3;
	for (size_t i = 0; i < n; i++)
		bytes += files[i].len;
	double tread = 0, twrite = 0;
	size_t reps = 0, written = 0;
	double start = now();
	while (now() - start < seconds || reps == 0) {
		tl_dataset *ds = tl_dataset_new();
		tl_diags d;
		tl_diags_init(&d);
		double t0 = now();
		for (size_t i = 0; i < n; i++)
			if (tl_format_read(ds, fmt, files[i].path, files[i].data, files[i].len, NULL,
					   &d) != TL_OK) {
				fprintf(stderr, "formats_bench: %s does not read cleanly\n",
					files[i].path);
				return 1;
			}
		double t1 = now();
		tl_buf out = TL_BUF_INIT;
		if (fmt->flags & TL_FMT_PER_IMAGE)
			for (size_t i = 0; i < ds->nimages; i++)
				fmt->write(ds, &ds->images[i], &out, NULL, &d);
		else
			fmt->write(ds, NULL, &out, NULL, &d);
		double t2 = now();
		written = out.len;
		tl_buf_free(&out);
		tl_diags_free(&d);
		tl_dataset_free(ds);
		tread += t1 - t0;
		twrite += t2 - t1;
		reps++;
	}
	double mb = (double)bytes * reps / 1e6;
	printf("%s: %zu files, %.2f MB in, %.2f MB out, %zu repetitions: read %.0f MB/s, "
	       "write %.0f MB/s, read+write %.0f MB/s\n",
	       fmt->name, n, bytes / 1e6, written / 1e6, reps, mb / tread,
	       (double)written * reps / 1e6 / twrite, mb / (tread + twrite));
	for (size_t i = 0; i < n; i++) {
		free(files[i].path);
		free(files[i].data);
	}
	free(files);
	return 0;
}
