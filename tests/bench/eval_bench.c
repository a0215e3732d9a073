/* eval_bench.c — timing of `textloc eval` protocols in-process, and a generator of
 * large synthetic RRC submissions.
 *
 *   eval_bench time GT DET PROTOCOL REPS   best and median wall time of one evaluation (ms)
 *   eval_bench gen DIR N                   DIR/gt/ and DIR/det/ with N images (directories:
 *                                          a zip without zip64 holds at most 65535 entries)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <textloc.h>

static double now_ms(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int do_time(const char *gt, const char *det, const char *proto, int reps)
{
	tl_eval_opts o = { 0 };
	int p = tl_eval_protocol_from_name(proto);
	if (p < 0) {
		fprintf(stderr, "unknown protocol %s\n", proto);
		return 2;
	}
	o.protocol = (tl_eval_protocol)p;
	o.lenient = 1; /* some submissions are refused by the strict grammar; time the work */
	o.summary_only = 1;
	double *t = malloc((size_t)reps * sizeof *t), *c = malloc((size_t)reps * sizeof *c);
	double h = 0;
	for (int i = 0; i < reps; i++) {
		tl_eval_result *r = NULL;
		tl_error err = { 0 };
		double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
		int rc = tl_eval_run(gt, det, &o, &r, &err);
		t[i] = now_ms(CLOCK_MONOTONIC) - t0;
		c[i] = now_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
		if (rc != TL_OK) {
			fprintf(stderr, "eval failed: %s\n", err.msg);
			return 1;
		}
		h = r->hmean;
		tl_eval_free(r);
	}
	qsort(t, (size_t)reps, sizeof *t, cmp_d);
	qsort(c, (size_t)reps, sizeof *c, cmp_d);
	/* the CPU time of the thread is what one core spends; wall time also counts the
	 * waits of a loaded machine */
	printf("%-14s cpu best %7.2f ms median %7.2f ms | wall best %7.2f ms median %7.2f ms"
	       "  (hmean %.6f)\n", proto, c[0], c[reps / 2], t[0], t[reps / 2], h);
	free(t);
	free(c);
	return 0;
}

static unsigned rnd_state = 12345;
static int rnd(int n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (int)((rnd_state >> 8) % (unsigned)n);
}

static int put(const char *dir, const char *name, const char *data, size_t len)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len) {
		perror(path);
		if (f)
			fclose(f);
		return 3;
	}
	return fclose(f) ? 3 : 0;
}

static int do_gen(const char *dir, long n)
{
	char gd[1024], dd[1024];
	snprintf(gd, sizeof gd, "%s/gt", dir);
	snprintf(dd, sizeof dd, "%s/det", dir);
	if ((mkdir(gd, 0755) && errno != EEXIST) || (mkdir(dd, 0755) && errno != EEXIST)) {
		perror(dir);
		return 3;
	}
	for (long i = 0; i < n; i++) {
		tl_buf g = TL_BUF_INIT, d = TL_BUF_INIT;
		int m = 4 + rnd(12);
		for (int j = 0; j < m; j++) {
			/* words on a 1280x720 page: slanted quads, a third of them don't care */
			int x = rnd(1100), y = rnd(660), w = 20 + rnd(150), h = 10 + rnd(40), s = rnd(9) - 4;
			tl_buf_printf(&g, "%d,%d,%d,%d,%d,%d,%d,%d,%s\r\n", x, y, x + w, y + s, x + w,
				      y + s + h, x, y + h, rnd(3) ? "word" : "###");
			if (rnd(10) < 8) { /* detected, with a few pixels of error */
				int e[8];
				for (int q = 0; q < 8; q++)
					e[q] = rnd(7) - 3;
				tl_buf_printf(&d, "%d,%d,%d,%d,%d,%d,%d,%d\n", x + e[0], y + e[1],
					      x + w + e[2], y + s + e[3], x + w + e[4], y + s + h + e[5],
					      x + e[6], y + h + e[7]);
			}
		}
		if (rnd(10) == 0) /* a false positive */
			tl_buf_printf(&d, "%d,%d,%d,%d,%d,%d,%d,%d\n", 5, 5, 60, 5, 60, 30, 5, 30);
		char nm[64];
		snprintf(nm, sizeof nm, "gt_img_%ld.txt", i + 1);
		int rc = put(gd, nm, g.data ? g.data : "", g.len);
		snprintf(nm, sizeof nm, "res_img_%ld.txt", i + 1);
		if (!rc)
			rc = put(dd, nm, d.data ? d.data : "", d.len);
		tl_buf_free(&g);
		tl_buf_free(&d);
		if (rc)
			return rc;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "time") == 0)
		return do_time(argv[2], argv[3], argv[4], atoi(argv[5]));
	if (argc == 4 && strcmp(argv[1], "gen") == 0)
		return do_gen(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: eval_bench time GT DET PROTOCOL REPS | gen DIR N\n");
	return 2;
}
