/* model.c — textloc model: describe an ONNX detection model, run it on a tensor, time it. */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

static const char model_usage[] =
	"usage: textloc model info|run|bench [--size HxW] [--threads N] [--runs N] [--warmup N] "
	"[--isa auto|scalar|avx2|avx512] [--no-fusion] [--json] [--force] [--save-input FILE.npy] "
	"MODEL [INPUT OUTPUT.npy]\n"
	"\n"
	"  info    inputs, outputs, operator counts, parameters; with --size, the MACs,\n"
	"          output shape and activation memory at 1x3xHxW\n"
	"  run     run MODEL on INPUT and write the first output to OUTPUT.npy (float32);\n"
	"          INPUT is a 1x3xHxW float32 .npy tensor, or an image (PNG, JPEG, TIFF)\n"
	"          made into the DB detector's input as textloc detect does\n"
	"  bench   time MODEL on a deterministic 1x3xHxW input (--size required); prints\n"
	"          one JSON line: median and minimum of --runs runs after --warmup runs\n"
	"\n"
	"  --size HxW      input height and width\n"
	"  --threads N     threads (default 1 for bench, all cores otherwise)\n"
	"  --runs N        timed runs for bench (default 10)\n"
	"  --warmup N      untimed runs before them (default 2)\n"
	"  --isa I         kernels: auto (default), scalar, avx2, avx512\n"
	"  --no-fusion     keep BatchNorm, affine and activations as separate operators\n"
	"  --json          info as JSON\n"
	"  --force         overwrite OUTPUT.npy (and the --save-input file)\n"
	"  --save-input F  run: also write the input tensor to F (.npy)\n"
	"\n"
	"Exit status: 0 success, 1 bad input tensor, 2 usage, 3 failure (model, I/O).\n";

static int parse_size(const char *s, int *h, int *w)
{
	char *end;
	errno = 0;
	long a = strtol(s, &end, 10);
	if (errno || end == s || (*end != 'x' && *end != 'X'))
		return -1;
	const char *p = end + 1;
	long b = strtol(p, &end, 10);
	if (errno || end == p || *end || a < 1 || b < 1 || a > 16384 || b > 16384)
		return -1;
	*h = (int)a;
	*w = (int)b;
	return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* ---- .npy (float32, C order) ------------------------------------------------ */

/* Reads a little-endian float32 .npy of shape 1x3xHxW. */
static int read_npy(const char *path, float **data, int *h, int *w, tl_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = tl_read_file(path, 0, &buf, &len, err);
	if (rc != TL_OK)
		return rc;
	*data = NULL;
	if (len < 12 || memcmp(buf, "\x93NUMPY", 6) != 0) {
		free(buf);
		return tl_error_set(err, TL_E_INPUT, path, 0, 0, "not a .npy file");
	}
	unsigned major = (unsigned char)buf[6];
	size_t hlen, hoff;
	if (major == 1) {
		hlen = (unsigned char)buf[8] | (size_t)(unsigned char)buf[9] << 8;
		hoff = 10;
	} else {
		hlen = (unsigned char)buf[8] | (size_t)(unsigned char)buf[9] << 8 |
		       (size_t)(unsigned char)buf[10] << 16 | (size_t)(unsigned char)buf[11] << 24;
		hoff = 12;
	}
	if (hlen > len - hoff || hlen > 65536) {
		free(buf);
		return tl_error_set(err, TL_E_INPUT, path, 0, 0, "truncated .npy header");
	}
	char hdr[65537];
	memcpy(hdr, buf + hoff, hlen);
	hdr[hlen] = '\0';
	if (!strstr(hdr, "'<f4'") || strstr(hdr, "'fortran_order': True")) {
		free(buf);
		return tl_error_set(err, TL_E_INPUT, path, 0, 0, "only little-endian float32 in C order is supported");
	}
	const char *s = strstr(hdr, "'shape'");
	long d[4];
	if (!s || !(s = strchr(s, '(')) ||
	    sscanf(s, "(%ld, %ld, %ld, %ld)", &d[0], &d[1], &d[2], &d[3]) != 4 ||
	    d[0] != 1 || d[1] != 3 || d[2] < 1 || d[3] < 1 || d[2] > 16384 || d[3] > 16384) {
		free(buf);
		return tl_error_set(err, TL_E_INPUT, path, 0, 0, "shape must be (1, 3, H, W) with H, W in 1..16384");
	}
	size_t n = (size_t)3 * (size_t)d[2] * (size_t)d[3];
	if (len - hoff - hlen < n * 4) {
		free(buf);
		return tl_error_set(err, TL_E_INPUT, path, 0, 0, "truncated data: %zu floats expected", n);
	}
	*data = malloc(n * sizeof(float));
	if (!*data) {
		free(buf);
		return tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
	}
	memcpy(*data, buf + hoff + hlen, n * sizeof(float));
	*h = (int)d[2];
	*w = (int)d[3];
	free(buf);
	return TL_OK;
}

static int write_npy(const char *path, const float *data, const int dims[4], int force, tl_error *err)
{
	char hdr[256];
	int n = snprintf(hdr, sizeof hdr, "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d, %d, %d), }",
			 dims[0], dims[1], dims[2], dims[3]);
	int pad = (64 - (10 + n + 1) % 64) % 64;
	size_t count = (size_t)dims[0] * dims[1] * dims[2] * dims[3];
	size_t total = 10 + (size_t)n + (size_t)pad + 1 + count * 4;
	char *buf = malloc(total);
	if (!buf)
		return tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
	memcpy(buf, "\x93NUMPY\x01\x00", 8);
	size_t hl = (size_t)n + (size_t)pad + 1;
	buf[8] = (char)(hl & 0xff);
	buf[9] = (char)(hl >> 8);
	memcpy(buf + 10, hdr, (size_t)n);
	memset(buf + 10 + n, ' ', (size_t)pad);
	buf[10 + n + pad] = '\n';
	memcpy(buf + 10 + hl, data, count * 4);
	int rc = tl_write_file_atomic(path, buf, total, force, err);
	free(buf);
	return rc;
}

/* An image made into the detector's input exactly as textloc detect makes it. */
static int image_tensor(const char *path, float **data, int *h, int *w, tl_error *err)
{
	tl_pixmap pix;
	tl_det_params p;
	memset(&pix, 0, sizeof pix);
	int rc = tl_image_decode(path, NULL, &pix, NULL, err);
	if (rc != TL_OK)
		return rc;
	tl_det_params_init(&p);
	rc = tl_det_preprocess(&pix, &p, data, w, h, err);
	tl_pixmap_free(&pix);
	return rc;
}

/* The benchmark input: a fixed integer hash of the element index mapped to [-2, 2).
 * tools/ort/ort.js --size builds the same tensor, so both engines see equal numbers. */
static void synth_input(float *x, int h, int w)
{
	size_t n = (size_t)3 * h * w;
	for (size_t i = 0; i < n; i++) {
		uint32_t v = (uint32_t)i * 2654435761u;
		v ^= v >> 15;
		v *= 2246822519u;
		v ^= v >> 13;
		x[i] = (float)((double)(v >> 8) / 16777216.0 * 4.0 - 2.0);
	}
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* ---- subcommands ------------------------------------------------------------ */

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_dims(const long d[4], int json)
{
	for (int k = 0; k < 4; k++) {
		if (json)
			printf(k ? ",%ld" : "[%ld", d[k]);
		else if (d[k] < 0)
			printf(k ? "x?" : "?");
		else
			printf(k ? "x%ld" : "%ld", d[k]);
	}
	if (json)
		putchar(']');
}

static int do_info(tl_model *m, int h, int w, int json)
{
	tl_model_info info;
	tl_error err = { 0 };
	int rc = tl_model_describe(m, h, w, &info, &err);
	if (rc != TL_OK) {
		cli_error(&err);
		return cli_exit_code(rc);
	}
	if (json) {
		printf("{\"producer\":");
		json_str(info.producer);
		printf(",\"ir_version\":%ld,\"opset\":%ld,\"input\":{\"name\":", info.ir_version, info.opset);
		json_str(info.input_name);
		printf(",\"dims\":");
		print_dims(info.input_dims, 1);
		printf("},\"output\":{\"name\":");
		json_str(info.output_name);
		printf(",\"dims\":");
		print_dims(info.output_dims, 1);
		printf("},\"nodes\":%d,\"operators\":{", info.nnodes);
		for (int i = 0; i < info.nops; i++) {
			if (i)
				putchar(',');
			json_str(info.ops[i].op);
			printf(":%d", info.ops[i].count);
		}
		printf("},\"parameters\":%llu", info.params);
		if (info.h)
			printf(",\"size\":[%d,%d],\"macs\":%llu,\"fused_nodes\":%d,\"activation_bytes\":%llu",
			       info.h, info.w, info.macs, info.nnodes_fused, info.arena_bytes);
		printf("}\n");
		return 0;
	}
	printf("producer:    %s\n", info.producer[0] ? info.producer : "(none)");
	printf("ir version:  %ld, opset %ld\n", info.ir_version, info.opset);
	printf("input:       %s  ", info.input_name);
	print_dims(info.input_dims, 0);
	printf("\noutput:      %s  ", info.output_name);
	print_dims(info.output_dims, 0);
	printf("\nnodes:       %d\n", info.nnodes);
	for (int i = 0; i < info.nops; i++)
		printf("  %-20s %6d\n", info.ops[i].op, info.ops[i].count);
	printf("parameters:  %llu (%.2f M)\n", info.params, (double)info.params / 1e6);
	if (info.h) {
		printf("at 1x3x%dx%d:\n", info.h, info.w);
		printf("  MACs:              %llu (%.3f G)\n", info.macs, (double)info.macs / 1e9);
		printf("  nodes after fusion: %d\n", info.nnodes_fused);
		printf("  activation memory: %.1f MiB\n", (double)info.arena_bytes / 1048576.0);
	}
	return 0;
}

int cmd_model(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "runs", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'W' },
		{ "isa", required_argument, NULL, 'i' },
		{ "no-fusion", no_argument, NULL, 'F' },
		{ "json", no_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'f' },
		{ "save-input", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int h = 0, w = 0, threads = -1, runs = 10, warmup = 2, isa = TL_NN_AUTO, fusion = 1, json = 0,
	    force = 0, c;
	const char *save_input = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_size(optarg, &h, &w) < 0)
				return cli_usage_error("model", "--size wants HxW (1..16384), not '%s'", optarg);
			break;
		case 't':
			if (parse_int(optarg, 1, 256, &threads) < 0)
				return cli_usage_error("model", "--threads wants 1..256, not '%s'", optarg);
			break;
		case 'r':
			if (parse_int(optarg, 1, 100000, &runs) < 0)
				return cli_usage_error("model", "--runs wants 1..100000, not '%s'", optarg);
			break;
		case 'W':
			if (parse_int(optarg, 0, 100000, &warmup) < 0)
				return cli_usage_error("model", "--warmup wants 0..100000, not '%s'", optarg);
			break;
		case 'i':
			if (!strcmp(optarg, "auto")) isa = TL_NN_AUTO;
			else if (!strcmp(optarg, "scalar")) isa = TL_NN_SCALAR;
			else if (!strcmp(optarg, "avx2")) isa = TL_NN_AVX2;
			else if (!strcmp(optarg, "avx512")) isa = TL_NN_AVX512;
			else return cli_usage_error("model", "--isa wants auto, scalar, avx2 or avx512");
			break;
		case 'F': fusion = 0; break;
		case 'j': json = 1; break;
		case 'f': force = 1; break;
		case 'S': save_input = optarg; break;
		case 'h':
			fputs(model_usage, stdout);
			return 0;
		default:
			fputs(model_usage, stderr);
			return 2;
		}
	}
	int nargs = argc - optind;
	if (nargs < 2)
		return cli_usage_error("model", "a subcommand (info, run, bench) and MODEL are required");
	const char *sub = argv[optind], *path = argv[optind + 1];
	int is_info = !strcmp(sub, "info"), is_run = !strcmp(sub, "run"), is_bench = !strcmp(sub, "bench");
	if (!is_info && !is_run && !is_bench)
		return cli_usage_error("model", "unknown subcommand '%s' (info, run, bench)", sub);
	if ((is_run && nargs != 4) || (!is_run && nargs != 2))
		return cli_usage_error("model", is_run ? "run wants MODEL INPUT OUTPUT.npy"
					       : "%s wants MODEL only", sub);
	if (is_bench && !h)
		return cli_usage_error("model", "bench needs --size HxW");

	tl_error err = { 0 };
	tl_model *m = NULL;
	int rc = tl_model_load(path, &m, &err);
	if (rc != TL_OK) {
		cli_error(&err);
		return 3;
	}
	tl_model_set_isa(m, isa);
	tl_model_set_fusion(m, fusion);
	tl_model_set_threads(m, threads > 0 ? threads : is_bench ? 1 : cli_ncpus());
	int ret = 0;
	if (is_info) {
		ret = do_info(m, h, w, json);
	} else {
		float *in = NULL, *out = NULL;
		double *times = NULL;
		if (is_run) {
			const char *ip = argv[optind + 2];
			size_t il = strlen(ip);
			if (il >= 4 && !strcmp(ip + il - 4, ".npy"))
				rc = read_npy(ip, &in, &h, &w, &err);
			else
				rc = image_tensor(ip, &in, &h, &w, &err);
			if (rc == TL_OK && save_input) {
				int id[4] = { 1, 3, h, w };
				rc = write_npy(save_input, in, id, force, &err);
			}
		} else {
			in = malloc(sizeof(float) * 3 * (size_t)h * (size_t)w);
			if (in)
				synth_input(in, h, w);
			else
				rc = tl_error_set(&err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		}
		/* the output of a detection model is at most as large as its input per channel
		 * times a few maps; ask the model by describing it */
		tl_model_info info;
		if (rc == TL_OK)
			rc = tl_model_describe(m, h, w, &info, &err);
		size_t cap = 0;
		if (rc == TL_OK) {
			cap = 1;
			for (int k = 0; k < 4; k++)
				cap *= (size_t)(info.output_dims[k] > 0 ? info.output_dims[k] : 1);
			out = malloc(cap * sizeof(float));
			times = malloc(sizeof(double) * (size_t)runs);
			if (!out || !times)
				rc = tl_error_set(&err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		}
		int od[4];
		if (rc == TL_OK && is_run) {
			rc = tl_model_run(m, in, h, w, out, cap, od, &err);
			if (rc == TL_OK)
				rc = write_npy(argv[optind + 3], out, od, force, &err);
		} else if (rc == TL_OK) {
			for (int i = 0; i < warmup && rc == TL_OK; i++)
				rc = tl_model_run(m, in, h, w, out, cap, od, &err);
			for (int i = 0; i < runs && rc == TL_OK; i++) {
				double t0 = now_ms();
				rc = tl_model_run(m, in, h, w, out, cap, od, &err);
				times[i] = now_ms() - t0;
			}
			if (rc == TL_OK) {
				double *sorted = malloc(sizeof(double) * (size_t)runs);
				if (sorted) {
					memcpy(sorted, times, sizeof(double) * (size_t)runs);
					qsort(sorted, (size_t)runs, sizeof(double), cmp_double);
					double med = runs % 2 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
					struct rusage ru;
					getrusage(RUSAGE_SELF, &ru);
					printf("{\"h\":%d,\"w\":%d,\"threads\":%d,\"runs\":%d,\"median_ms\":%.3f,"
					       "\"min_ms\":%.3f,\"times_ms\":[", h, w, threads > 0 ? threads : 1,
					       runs, med, sorted[0]);
					for (int i = 0; i < runs; i++)
						printf(i ? ",%.3f" : "%.3f", times[i]);
					printf("],\"max_rss_kib\":%ld,\"macs\":%llu}\n", (long)ru.ru_maxrss, info.macs);
					free(sorted);
				} else {
					rc = tl_error_set(&err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
				}
			}
		}
		if (rc != TL_OK) {
			cli_error(&err);
			ret = rc == TL_E_INPUT ? 1 : cli_exit_code(rc);
		}
		free(in);
		free(out);
		free(times);
	}
	tl_model_free(m);
	return ret;
}
