/* detect_prob.c — built and run by tests/corpus/detect.sh: the network on a golden
 * input tensor (1x3xHxW .npy) against the golden probability map (1x1xHxW .npy),
 * and our pre-processing of the source image against the golden input tensor.
 * Prints the largest absolute differences; exits 1 past the tolerance. */
#include <textloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A little-endian float32 C-order .npy: header, then the data. */
static float *load_npy(const char *path, long dims[4], int *nd)
{
	FILE *f = fopen(path, "rb");
	unsigned char pre[10];
	if (!f || fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
		if (f)
			fclose(f);
		return NULL;
	}
	size_t hl = (size_t)pre[8] | (size_t)pre[9] << 8;
	char hdr[4096];
	if (hl >= sizeof hdr || fread(hdr, 1, hl, f) != hl || !strstr(hdr, "'<f4'")) {
		fclose(f);
		return NULL;
	}
	hdr[hl] = 0;
	char *s = strchr(strstr(hdr, "shape"), '(');
	long n = 1;
	*nd = 0;
	for (s++; *s && *s != ')' && *nd < 4;) {
		dims[(*nd)++] = strtol(s, &s, 10);
		n *= dims[*nd - 1];
		while (*s == ',' || *s == ' ')
			s++;
	}
	float *p = n > 0 && n < (1L << 28) ? malloc((size_t)n * sizeof *p) : NULL;
	if (p && fread(p, sizeof *p, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: detect_prob MODEL IMAGE INPUT.npy PROB.npy TOL\n");
		return 2;
	}
	long di[4], dp[4];
	int ndi, ndp;
	float *in = load_npy(argv[3], di, &ndi), *ref = load_npy(argv[4], dp, &ndp);
	double tol = atof(argv[5]);
	if (!in || !ref || ndi != 4 || ndp != 4) {
		fprintf(stderr, "detect_prob: cannot read %s or %s\n", argv[3], argv[4]);
		return 1;
	}
	int h = (int)di[2], w = (int)di[3];
	tl_error err;
	memset(&err, 0, sizeof err);
	/* Pre-processing of the source image against the golden input. */
	tl_pixmap pix;
	tl_det_params prm;
	tl_det_params_init(&prm);
	float *t = NULL;
	int tw = 0, th = 0;
	double pre_max = -1;
	if (tl_image_decode(argv[2], NULL, &pix, NULL, &err) == TL_OK &&
	    tl_det_preprocess(&pix, &prm, &t, &tw, &th, &err) == TL_OK && tw == w && th == h) {
		pre_max = 0;
		for (long i = 0; i < 3L * w * h; i++)
			if (fabs(t[i] - in[i]) > pre_max)
				pre_max = fabs(t[i] - in[i]);
	}
	/* The network alone. */
	tl_model *m;
	if (tl_model_load(argv[1], &m, &err) != TL_OK) {
		fprintf(stderr, "detect_prob: %s\n", err.msg);
		return 1;
	}
	size_t cap = (size_t)w * h * 4;
	float *out = malloc(cap * sizeof *out);
	int dims[4];
	if (!out || tl_model_run(m, in, h, w, out, cap, dims, &err) != TL_OK) {
		fprintf(stderr, "detect_prob: %s\n", err.msg);
		return 1;
	}
	double prob_max = 0;
	for (long i = 0; i < (long)w * h; i++)
		if (fabs(out[i] - ref[i]) > prob_max)
			prob_max = fabs(out[i] - ref[i]);
	printf("%s: input %dx%d, pre-processing max diff %g, probability max diff %g\n", argv[3], w, h,
	       pre_max, prob_max);
	return pre_max < 0 || pre_max > 1e-6 || prob_max > tol;
}
