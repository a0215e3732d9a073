/* test_eval.c — evaluation protocols on cases small enough to work out by hand
 * (docs/protocols.md §13 and the comments below), the polygon-area kernel, and the
 * RRC loading rules (names, Python 2 dict order, grammar and refusal texts). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tl_internal.h"
#include "geom_clip.h"
#include "eval/eval_int.h"

#define P(x, y) ((tl_point){ (x), (y) })

static void assert_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.17g, want %.17g (tol %g)", got, want, tol);
}

/* ---- polygon areas ------------------------------------------------------------------ */

static void test_clip_boxes(void **st)
{
	(void)st;
	tl_point a[4] = { P(0, 0), P(10, 0), P(10, 10), P(0, 10) };
	tl_point b[4] = { P(5, 5), P(15, 5), P(15, 15), P(5, 15) };
	tl_point far[4] = { P(20, 0), P(30, 0), P(30, 10), P(20, 10) };
	/* overlap [5,10]x[5,10] = 25, exact for integer boxes */
	assert_true(tl_clip_inter(a, 4, b, 4) == 25.0);
	assert_true(tl_clip_inter(a, 4, far, 4) == 0.0);
	/* a box inside another: the inner area exactly, either way round */
	tl_point in[4] = { P(2, 3), P(7, 3), P(7, 9), P(2, 9) };
	assert_true(tl_clip_inter(a, 4, in, 4) == 30.0);
	assert_true(tl_clip_inter(in, 4, a, 4) == 30.0);
	/* counter-clockwise operands give the same areas */
	tl_point ccw[4] = { P(5, 5), P(5, 15), P(15, 15), P(15, 5) };
	assert_true(tl_clip_inter(a, 4, ccw, 4) == 25.0);
	assert_true(tl_clip_raw_area(ccw, 4) == 100.0);
}

static void test_clip_bowtie(void **st)
{
	(void)st;
	/* bow-tie over the square [0,2]^2: two triangles of area 1 meeting at (1,1). Its
	 * raw shoelace area is 0 (the lobes cancel) while even-odd intersections take
	 * both lobes: |bowtie ∩ square| = 2 — the GPC behaviour of golden `bowtie`. */
	tl_point bow[4] = { P(0, 0), P(2, 2), P(2, 0), P(0, 2) };
	tl_point sq[4] = { P(0, 0), P(2, 0), P(2, 2), P(0, 2) };
	assert_true(tl_clip_raw_area(bow, 4) == 0.0);
	assert_near(tl_clip_inter(bow, 4, sq, 4), 2.0, 1e-12);
	assert_near(tl_clip_inter(sq, 4, bow, 4), 2.0, 1e-12);
	/* the right half x >= 1 holds the right lobe only: area 1 */
	tl_point half[4] = { P(1, 0), P(2, 0), P(2, 2), P(1, 2) };
	assert_near(tl_clip_inter(bow, 4, half, 4), 1.0, 1e-12);
	assert_false(tl_clip_valid_simple(bow, 4));
}

static void test_clip_combination(void **st)
{
	(void)st;
	/* A = [0,10]^2, B = [0,5]x[0,10], C = {[4,12]x[0,2], [8,12]x[8,10]}:
	 * |A ∩ C| = 6*2 + 2*2 = 16; |A ∩ B ∩ C| = 1*2 = 2; |A \ B \ C| = 50 - 14 = 36 */
	tl_point a[4] = { P(0, 0), P(10, 0), P(10, 10), P(0, 10) };
	tl_point b[4] = { P(0, 0), P(5, 0), P(5, 10), P(0, 10) };
	tl_point c1[4] = { P(4, 0), P(12, 0), P(12, 2), P(4, 2) };
	tl_point c2[4] = { P(8, 8), P(12, 8), P(12, 10), P(8, 10) };
	tl_clip_poly ps[4] = { { a, 4, TL_CLIP_A }, { b, 4, TL_CLIP_B }, { c1, 4, TL_CLIP_C },
			       { c2, 4, TL_CLIP_C } };
	static const unsigned char ac[8] = { 0, 0, 0, 0, 0, 1, 0, 1 };
	static const unsigned char abc[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
	static const unsigned char a_only[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	assert_near(tl_clip_area(ps, 4, ac), 16, 1e-12);
	assert_near(tl_clip_area(ps, 4, abc), 2, 1e-12);
	assert_near(tl_clip_area(ps, 4, a_only), 36, 1e-12);
}

/* Past the old 4096-edge limit (where the sweep gave -1, so |A ∩ C| came out 0): a
 * 60 x 20 grid of unit squares spaced 2 apart, 4800 edges in class C, of which A
 * covers 40 x 15 whole squares and half of the next column. */
static void test_clip_many_edges(void **st)
{
	(void)st;
	enum { NX = 60, NY = 20 };
	static tl_point sq[NX * NY][4];
	static tl_clip_poly ps[NX * NY + 1];
	tl_point a[4] = { P(0, 0), P(80.5, 0), P(80.5, 30), P(0, 30) };
	static const unsigned char ac[8] = { 0, 0, 0, 0, 0, 1, 0, 1 };
	ps[0] = (tl_clip_poly){ a, 4, TL_CLIP_A };
	for (int i = 0; i < NX; i++)
		for (int j = 0; j < NY; j++) {
			tl_point *q = sq[i * NY + j];
			q[0] = P(2 * i, 2 * j);
			q[1] = P(2 * i + 1, 2 * j);
			q[2] = P(2 * i + 1, 2 * j + 1);
			q[3] = P(2 * i, 2 * j + 1);
			ps[1 + i * NY + j] = (tl_clip_poly){ q, 4, TL_CLIP_C };
		}
	assert_near(tl_clip_area(ps, NX * NY + 1, ac), 40 * 15 + 0.5 * 15, 1e-9);
}

/* The convex fast path and the general sweep must agree on random convex quads. */
static void test_clip_paths_agree(void **st)
{
	(void)st;
	static const unsigned char want[8] = { 0, 0, 0, 1, 0, 0, 0, 1 };
	unsigned seed = 12345;
	int checked = 0;
	for (int it = 0; it < 2000; it++) {
		tl_point q[2][4];
		for (int k = 0; k < 2; k++) {
			/* a rectangle turned by a random angle: always convex */
			seed = seed * 1103515245u + 12345u;
			double cx = (seed >> 8) % 100, cy = (seed >> 16) % 100;
			seed = seed * 1103515245u + 12345u;
			double w = 5 + (seed >> 8) % 60, h = 5 + (seed >> 16) % 30, t = (seed % 628) / 100.0;
			double c = cos(t), s = sin(t);
			double dx[4] = { -w, w, w, -w }, dy[4] = { -h, -h, h, h };
			for (int i = 0; i < 4; i++)
				q[k][i] = P(round(cx + (dx[i] * c - dy[i] * s) / 2),
					    round(cy + (dx[i] * s + dy[i] * c) / 2));
		}
		tl_clip_poly ps[2] = { { q[0], 4, TL_CLIP_A }, { q[1], 4, TL_CLIP_B } };
		double fast = tl_clip_inter(q[0], 4, q[1], 4), sweep = tl_clip_area(ps, 2, want);
		if (tl_clip_raw_area(q[0], 4) > 0 && tl_clip_raw_area(q[1], 4) > 0)
			checked++;
		assert_near(fast, sweep, 1e-9 * (1 + fabs(sweep)));
	}
	assert_true(checked > 1000);
}

/* Exact decisions: signs of m·2|A∩B| − c2 on ties whose corners are not dyadic. */
static void test_clip_exact(void **st)
{
	(void)st;
	tl_point sq[4] = { P(0, 0), P(10, 0), P(10, 10), P(0, 10) };
	/* triangle under y = 7 − 7x/30: its part in the square has area 70 − 35/3 = 175/3,
	 * a corner at (10, 14/3) */
	tl_point tri[3] = { P(0, 0), P(30, 0), P(0, 7) };
	assert_int_equal(tl_clip_inter_cmp(sq, 4, tri, 3, 3, 350), 0);
	assert_int_equal(tl_clip_inter_cmp(sq, 4, tri, 3, 3, 349), 1);
	assert_int_equal(tl_clip_inter_cmp(tri, 3, sq, 4, 3, 351), -1);
	assert_near(tl_clip_inter(sq, 4, tri, 3), 175.0 / 3.0, 1e-12);
	/* the half-parallelogram tie of golden `split`: IoU = 50 / 100 */
	tl_point par[4] = { P(0, 0), P(10, 2), P(10, 12), P(0, 10) };
	tl_point half[4] = { P(0, 0), P(5, 1), P(5, 11), P(0, 10) };
	assert_int_equal(tl_clip_inter_cmp(half, 4, par, 4, 3, 2 * (50 + 100)), 0);
	/* outside the domain: fractions, bow-ties */
	tl_point frac[4] = { P(0, 0), P(10.5, 0), P(10.5, 10), P(0, 10) };
	tl_point bow[4] = { P(0, 0), P(2, 2), P(2, 0), P(0, 2) };
	assert_int_equal(tl_clip_inter_cmp(sq, 4, frac, 4, 3, 10), -2);
	assert_int_equal(tl_clip_inter_cmp(sq, 4, bow, 4, 3, 10), -2);
	/* agreement with the double kernel away from ties, on random slanted quads */
	unsigned seed = 4242;
	for (int it = 0; it < 3000; it++) {
		tl_point q[2][4];
		for (int k = 0; k < 2; k++) {
			seed = seed * 1103515245u + 12345u;
			double cx = (seed >> 8) % 60, cy = (seed >> 16) % 60;
			seed = seed * 1103515245u + 12345u;
			double w = 4 + (seed >> 8) % 50, h = 4 + (seed >> 16) % 30, t = (seed % 628) / 100.0;
			double dx[4] = { -w, w, w, -w }, dy[4] = { -h, -h, h, h };
			for (int i = 0; i < 4; i++)
				q[k][i] = P(round(cx + (dx[i] * cos(t) - dy[i] * sin(t)) / 2),
					    round(cy + (dx[i] * sin(t) + dy[i] * cos(t)) / 2));
		}
		double in = tl_clip_inter(q[0], 4, q[1], 4);
		double c2 = 2 * (tl_clip_raw_area(q[0], 4) + tl_clip_raw_area(q[1], 4));
		int s = tl_clip_inter_cmp(q[0], 4, q[1], 4, 3, c2);
		double diff = 6 * in - c2;
		if (s == -2)
			continue; /* a degenerate quad after rounding */
		if (diff > 1e-6)
			assert_int_equal(s, 1);
		else if (diff < -1e-6)
			assert_int_equal(s, -1);
	}
}

static void test_clip_validity(void **st)
{
	(void)st;
	tl_point tri[3] = { P(0, 0), P(4, 0), P(0, 3) };
	tl_point line[4] = { P(0, 0), P(1, 1), P(2, 2), P(3, 3) };
	tl_point dup[5] = { P(0, 0), P(0, 0), P(4, 0), P(4, 4), P(0, 4) };
	/* two triangles touching at (2,2): a self-touching ring, invalid in GEOS */
	tl_point touch[6] = { P(0, 0), P(2, 2), P(4, 0), P(4, 4), P(2, 2), P(0, 4) };
	assert_true(tl_clip_valid_simple(tri, 3));
	assert_false(tl_clip_valid_simple(line, 4));
	assert_true(tl_clip_valid_simple(dup, 5));
	assert_false(tl_clip_valid_simple(touch, 6));
}

/* ---- RRC loading -------------------------------------------------------------------- */

static void test_names(void **st)
{
	(void)st;
	const char *k;
	assert_int_equal(ev_match_name("res_img_12.txt", "res_img_", &k), 2);
	assert_memory_equal(k, "12", 2);
	/* match at start only; '.' is any character, so 12txt backtracks to key 1 */
	assert_int_equal(ev_match_name("res_img_12txt", "res_img_", &k), 1);
	assert_int_equal(ev_match_name("res_img_01.txt.bak", "res_img_", &k), 2);
	assert_memory_equal(k, "01", 2);
	assert_int_equal(ev_match_name("sub/res_img_1.txt", "res_img_", &k), 0);
	assert_int_equal(ev_match_name("res_img_.txt", "res_img_", &k), 0);
	assert_int_equal(ev_match_name("gt_img_7.txt", "res_img_", &k), 0);
}

static ev_key *keys_1_to(int n)
{
	ev_key *k = calloc((size_t)n, sizeof *k);
	for (int i = 0; i < n; i++) {
		char buf[16];
		snprintf(buf, sizeof buf, "%d", i + 1);
		k[i].key = strdup(buf);
		k[i].entry = (size_t)i;
	}
	return k;
}

static void test_py2_dict_order(void **st)
{
	(void)st;
	/* Python 2.7: dict([('1',0),('2',0),('3',0)]).keys() == ['1', '3', '2'] */
	ev_key *k = keys_1_to(3);
	size_t n = 3;
	assert_int_equal(ev_py2_dict_order(k, &n), TL_OK);
	assert_string_equal(k[0].key, "1");
	assert_string_equal(k[1].key, "3");
	assert_string_equal(k[2].key, "2");
	for (size_t i = 0; i < n; i++)
		free(k[i].key);
	free(k);
	/* Fact of the reference run: with keys 1..500 it validates sample 344 first (the
	 * golden refusals of `conf` and `reversed_ccw`, where every file fails). */
	k = keys_1_to(500);
	n = 500;
	assert_int_equal(ev_py2_dict_order(k, &n), TL_OK);
	assert_int_equal(n, 500);
	assert_string_equal(k[0].key, "344");
	for (size_t i = 0; i < n; i++)
		free(k[i].key);
	free(k);
	/* a repeated key keeps its first slot and takes the later entry */
	char five[] = "5", six[] = "6", five2[] = "5";
	ev_key d[3] = { { five, 0 }, { six, 1 }, { five2, 2 } };
	n = 3;
	assert_int_equal(ev_py2_dict_order(d, &n), TL_OK);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++)
		if (strcmp(d[i].key, "5") == 0)
			assert_int_equal(d[i].entry, 2);
}

static void test_np_argsort(void **st)
{
	(void)st;
	/* small lists use insertion sort: equal values keep their order */
	double v[5] = { 0.5, 0.9, 0.5, 0.1, 0.9 };
	size_t idx[5];
	ev_np_argsort_desc(v, 5, idx);
	size_t want[5] = { 1, 4, 0, 2, 3 };
	assert_memory_equal(idx, want, sizeof want);
	/* large lists: a descending permutation */
	enum { N = 1000 };
	double *w = malloc(N * sizeof *w);
	size_t *ix = malloc(N * sizeof *ix);
	unsigned seed = 7;
	for (int i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		w[i] = (seed >> 10) % 50 / 50.0;
	}
	ev_np_argsort_desc(w, N, ix);
	char *seen = calloc(N, 1);
	for (int i = 0; i < N; i++) {
		assert_true(ix[i] < N && !seen[ix[i]]);
		seen[ix[i]] = 1;
		if (i)
			assert_true(w[ix[i - 1]] >= w[ix[i]]);
	}
	free(seen);
	free(w);
	free(ix);
}

static char *parse_err(const char *text, const ev_grammar *g, long *line)
{
	ev_list l = { 0 };
	char *msg = NULL;
	*line = 0;
	int rc = ev_parse(text, strlen(text), g, &l, &msg, line);
	free(l.items);
	if (rc == TL_OK)
		return NULL;
	return msg;
}

static void test_grammar(void **st)
{
	(void)st;
	ev_grammar det = { 0, 0, 0, 1, 0 }, conf = { 0, 0, 1, 1, 0 }, gt = { 0, 1, 0, 1, 0 };
	long line;
	char *m;
	assert_null(parse_err("0,0,10,0,10,10,0,10\n", &det, &line));
	/* spaces around commas, CRs anywhere, a BOM, blank lines */
	assert_null(parse_err("\xEF\xBB\xBF 0 , 0,10,0,10,10,0,10\r\n\r\n0,0,10,0,10,1\r0,0,10\n", &det,
			      &line));
	m = parse_err("0,0,10,0,10,10,0,10\n0.5,0,10,0,10,10,0,10\n", &det, &line);
	assert_non_null(m);
	assert_int_equal(line, 2);
	assert_string_equal(m, "Line: 0.5,0,10,0,10,10,0,10 Error: Format incorrect. Should be: "
			       "x1,y1,x2,y2,x3,y3,x4,y4");
	free(m);
	/* counter-clockwise on screen */
	m = parse_err("0,0,0,10,10,10,10,0\n", &det, &line);
	assert_non_null(m);
	assert_non_null(strstr(m, "Error: Points are not clockwise."));
	free(m);
	/* the clockwise test runs on GT too; transcription after the 8th comma */
	m = parse_err("0,0,0,10,10,10,10,0,hello\n", &gt, &line);
	assert_non_null(m);
	free(m);
	assert_null(parse_err("0,0,10,0,10,10,0,10,a,b\n", &gt, &line));
	/* a confidence column only with the confidence grammar, and the other way round */
	m = parse_err("0,0,10,0,10,10,0,10,0.5\n", &det, &line);
	assert_non_null(m);
	free(m);
	assert_null(parse_err("0,0,10,0,10,10,0,10,0.5\n", &conf, &line));
	m = parse_err("0,0,10,0,10,10,0,10\n", &conf, &line);
	assert_non_null(strstr(m, "x1,y1,x2,y2,x3,y3,x4,y4,confidence"));
	free(m);
	/* [0-1].?[0-9]*: "0x" matches the pattern but Python's float() refuses it */
	m = parse_err("0,0,10,0,10,10,0,10,0x\n", &conf, &line);
	assert_string_equal(m, "Line: 0,0,10,0,10,10,0,10,0x Error: Confidence value must be a float");
	free(m);
	/* "1e5" matches ('.' takes the e) and float() accepts it */
	ev_list l = { 0 };
	char *msg = NULL;
	assert_int_equal(ev_parse("0,0,10,0,10,10,0,10,1e5", 23, &conf, &l, &msg, &line), TL_OK);
	assert_int_equal(l.n, 1);
	assert_true(l.items[0].conf == 100000.0);
	free(l.items);
}

static void test_dontcare_text(void **st)
{
	(void)st;
	ev_grammar gt = { 0, 1, 0, 1, 0 };
	const char *text = "0,0,1,0,1,1,0,1,###\n0,0,1,0,1,1,0,1, ###\n0,0,1,0,1,1,0,1,\"###\"\n"
			   "0,0,1,0,1,1,0,1,\"a,b\"\n";
	ev_list l = { 0 };
	char *msg = NULL;
	long line;
	assert_int_equal(ev_parse(text, strlen(text), &gt, &l, &msg, &line), TL_OK);
	assert_int_equal(l.n, 4);
	assert_true(l.items[0].dc);
	assert_false(l.items[1].dc); /* " ###" is not don't care */
	assert_true(l.items[2].dc);  /* quotes are removed first */
	assert_false(l.items[3].dc);
	free(l.items);
}

/* Random bytes and mutated valid lines through every grammar: never a crash (the
 * ASan build checks the bounds), always either a parse or a message with a line. */
static void test_hostile_lines(void **st)
{
	(void)st;
	static const char *seeds[] = { "0,0,10,0,10,10,0,10,abc\n", "1,2,3,4\n",
				       "0,0,10,0,10,10,0,10,0.5\n", "\xEF\xBB\xBF\"###\"\r\n" };
	static const char alphabet[] = "0123456789,-. \t\r\n\"e#x\xC3\xA9\xFF";
	unsigned seed = 99;
	char buf[256];
	for (int it = 0; it < 20000; it++) {
		size_t n;
		seed = seed * 1103515245u + 12345u;
		if (it % 2) {
			const char *s0 = seeds[(seed >> 8) % 4];
			n = strlen(s0);
			memcpy(buf, s0, n);
			for (int k = 0; k < 3; k++) {
				seed = seed * 1103515245u + 12345u;
				buf[(seed >> 8) % n] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
			}
		} else {
			n = (seed >> 8) % sizeof buf;
			for (size_t k = 0; k < n; k++) {
				seed = seed * 1103515245u + 12345u;
				buf[k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
			}
		}
		for (int g = 0; g < 16; g++) {
			ev_grammar gr = { g & 1, (g >> 1) & 1, (g >> 2) & 1, 1, (g >> 3) & 1 };
			ev_list l = { 0 };
			char *msg = NULL;
			long line = 0;
			int rc = ev_parse(buf, n, &gr, &l, &msg, &line);
			if (rc != TL_OK) {
				assert_int_equal(rc, TL_E_INPUT);
				assert_non_null(msg);
				assert_true(line >= 1);
			}
			for (size_t k = 0; k < l.n; k++)
				assert_true(l.items[k].area >= 0);
			free(msg);
			free(l.items);
		}
	}
}

/* ---- protocols on small directories ---------------------------------------------------- */

typedef struct fx {
	char root[64], gt[96], det[96];
} fx;

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void fx_make(fx *f)
{
	snprintf(f->root, sizeof f->root, "/tmp/tl_eval_XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(f->gt, sizeof f->gt, "%s/gt", f->root);
	snprintf(f->det, sizeof f->det, "%s/det", f->root);
	assert_int_equal(mkdir(f->gt, 0700), 0);
	assert_int_equal(mkdir(f->det, 0700), 0);
}

static void fx_free(fx *f)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->root);
	assert_int_equal(system(cmd), 0);
}

static tl_eval_result *run1(tl_eval_protocol p, int conf, const char *gt, const char *det, int *rc)
{
	fx f;
	fx_make(&f);
	write_file(f.gt, "gt_img_1.txt", gt);
	if (det)
		write_file(f.det, "res_img_1.txt", det);
	tl_eval_opts o = { 0 };
	o.protocol = p;
	o.confidences = conf;
	tl_eval_result *r = NULL;
	tl_error err = { 0 };
	*rc = tl_eval_run(f.gt, f.det, &o, &r, &err);
	fx_free(&f);
	return r;
}

#define BOX(l, t, r, b) #l "," #t "," #r "," #t "," #r "," #b "," #l "," #b

/* §13.1: greedy index-order matching takes g0-d0 and leaves g1 without a partner. */
static void test_icdar_greedy(void **st)
{
	(void)st;
	int rc;
	tl_eval_result *r = run1(TL_EVAL_ICDAR2015, 0,
				 BOX(0, 0, 10, 10) ",a\n" BOX(2, 0, 12, 10) ",b\n",
				 BOX(1, 0, 11, 10) "\n" BOX(-2, 0, 8, 10) "\n", &rc);
	assert_int_equal(rc, TL_OK);
	assert_int_equal(r->matched, 1);
	assert_true(r->precision == 0.5 && r->recall == 0.5);
	assert_int_equal(r->samples[0].npairs, 1);
	assert_int_equal(r->samples[0].pairs[0].gt[0], 0);
	assert_int_equal(r->samples[0].pairs[0].det[0], 0);
	tl_eval_free(r);
}

/* §13.2: a detection inside a don't-care region by 0.8 of its area is dropped; by
 * exactly 0.5 it is kept (strict >). */
static void test_icdar_dontcare(void **st)
{
	(void)st;
	int rc;
	tl_eval_result *r = run1(TL_EVAL_ICDAR2015, 0, BOX(0, 0, 100, 20) ",###\n",
				 BOX(60, 0, 110, 20) "\n", &rc);
	assert_int_equal(rc, TL_OK);
	assert_int_equal(r->samples[0].ndet_dc, 1);
	assert_int_equal(r->det_care, 0);
	/* only don't-care GT and no care detection: per image R = P = 1 */
	assert_true(r->samples[0].recall == 1 && r->samples[0].precision == 1);
	tl_eval_free(r);
	r = run1(TL_EVAL_ICDAR2015, 0, BOX(0, 0, 85, 20) ",###\n", BOX(60, 0, 110, 20) "\n", &rc);
	assert_int_equal(r->samples[0].ndet_dc, 0);
	assert_int_equal(r->det_care, 1);
	assert_true(r->samples[0].precision == 0); /* a false positive */
	tl_eval_free(r);
}

/* IoU exactly 0.5 must not match, for boxes and for slanted quads (golden `split`). */
static void test_icdar_tie(void **st)
{
	(void)st;
	int rc;
	tl_eval_result *r = run1(TL_EVAL_ICDAR2015, 0, BOX(0, 0, 10, 10) ",a\n",
				 BOX(0, 0, 10, 5) "\n", &rc);
	assert_int_equal(r->matched, 0);
	tl_eval_free(r);
	/* parallelogram (0,0),(10,2),(10,12),(0,10) of area 100 and its left half
	 * (0,0),(5,1),(5,11),(0,10) of area 50, inside it: IoU = 50/100 */
	r = run1(TL_EVAL_ICDAR2015, 0, "0,0,10,2,10,12,0,10,a\n", "0,0,5,1,5,11,0,10\n", &rc);
	assert_int_equal(rc, TL_OK);
	assert_int_equal(r->matched, 0);
	tl_eval_free(r);
	/* one pixel more and it matches: (0,0),(6,1),(6,11),(0,10) is 60/100 */
	r = run1(TL_EVAL_ICDAR2015, 0, "0,0,10,2,10,12,0,10,a\n", "0,0,6,1,6,11,0,10\n", &rc);
	assert_int_equal(r->matched, 1);
	tl_eval_free(r);
}

/* AP: three detections by confidence 0.9 (hit), 0.8 (miss), 0.7 (hit); two care GT:
 * AP = (1/1 + 2/3) / 2. Detections are re-indexed by descending confidence. */
static void test_icdar_ap(void **st)
{
	(void)st;
	int rc;
	tl_eval_result *r = run1(TL_EVAL_ICDAR2015, 1,
				 BOX(0, 0, 10, 10) ",a\n" BOX(20, 0, 30, 10) ",b\n",
				 BOX(20, 0, 30, 10) ",0.7\n" BOX(0, 0, 10, 10) ",0.9\n" BOX(
					 50, 50, 60, 60) ",0.8\n",
				 &rc);
	assert_int_equal(rc, TL_OK);
	assert_near(r->ap, (1.0 + 2.0 / 3.0) / 2.0, 1e-15);
	/* after the sort: det 0 = conf 0.9 (GT 0), det 1 = 0.8, det 2 = 0.7 (GT 1) */
	assert_int_equal(r->samples[0].npairs, 2);
	assert_int_equal(r->samples[0].pairs[0].det[0], 0);
	assert_int_equal(r->samples[0].pairs[1].det[0], 2);
	tl_eval_free(r);
}

static void test_icdar_refusals(void **st)
{
	(void)st;
	int rc;
	tl_eval_result *r = run1(TL_EVAL_ICDAR2015, 0, BOX(0, 0, 10, 10) ",a\n",
				 "0,0,0,10,10,10,10,0\n", &rc);
	assert_int_equal(rc, TL_E_INPUT);
	assert_false(r->accepted);
	assert_non_null(strstr(r->error, "Line in sample not valid. Sample: 1 Line: 0,0,0,10,10,10,10,0 "
					 "Error: Points are not clockwise."));
	tl_eval_free(r);
	/* a result file whose key is not in GT, and a stray entry */
	fx f;
	fx_make(&f);
	write_file(f.gt, "gt_img_1.txt", BOX(0, 0, 10, 10) ",a\n");
	write_file(f.det, "res_img_2.txt", BOX(0, 0, 10, 10) "\n");
	tl_eval_opts o = { 0 };
	tl_error err = { 0 };
	assert_int_equal(tl_eval_run(f.gt, f.det, &o, &r, &err), TL_E_INPUT);
	assert_string_equal(r->error, "The sample 2 not present in GT");
	tl_eval_free(r);
	write_file(f.det, "notes.txt", "x");
	assert_int_equal(tl_eval_run(f.gt, f.det, &o, &r, &err), TL_E_INPUT);
	assert_string_equal(r->error, "ZIP entry not valid: notes.txt");
	assert_non_null(strstr(err.msg, "res_img_<N>.txt"));
	tl_eval_free(r);
	fx_free(&f);
}

/* A zip built from a folder (entries under "sub/") is refused as the site refuses it,
 * naming the first bad entry; a matching GT in a zip works. */
static void test_zip_folder(void **st)
{
	(void)st;
	fx f;
	fx_make(&f);
	char gz[160], dz[160];
	snprintf(gz, sizeof gz, "%s/gt.zip", f.root);
	snprintf(dz, sizeof dz, "%s/det.zip", f.root);
	const char *gn[1] = { "gt_img_1.txt" }, *gd[1] = { BOX(0, 0, 10, 10) ",a\n" };
	size_t gl[1] = { strlen(gd[0]) };
	const char *dn[2] = { "sub/", "sub/res_img_1.txt" }, *dd[2] = { "", BOX(0, 0, 10, 10) "\n" };
	size_t dl[2] = { 0, strlen(dd[1]) };
	tl_error err = { 0 };
	assert_int_equal(tl_zip_write(gz, gn, gd, gl, 1, 1, &err), TL_OK);
	assert_int_equal(tl_zip_write(dz, dn, dd, dl, 2, 1, &err), TL_OK);
	tl_eval_opts o = { 0 };
	tl_eval_result *r = NULL;
	assert_int_equal(tl_eval_run(gz, dz, &o, &r, &err), TL_E_INPUT);
	assert_string_equal(r->error, "ZIP entry not valid: sub/");
	assert_non_null(strstr(err.msg, "no folders"));
	tl_eval_free(r);
	const char *on[1] = { "res_img_1.txt" }, *od[1] = { BOX(0, 0, 10, 10) "\n" };
	size_t ol[1] = { strlen(od[0]) };
	assert_int_equal(tl_zip_write(dz, on, od, ol, 1, 1, &err), TL_OK);
	assert_int_equal(tl_eval_run(gz, dz, &o, &r, &err), TL_OK);
	assert_int_equal(r->matched, 1);
	tl_eval_free(r);
	fx_free(&f);
}

/* Merging hostile JSON: every malformed part is refused with a message, none crash. */
static void test_merge_hostile(void **st)
{
	(void)st;
	static const char *bad[] = {
		"", "{", "[]", "{\"protocol\": 3}", "{\"protocol\": \"nosuch\"}",
		"{\"protocol\": \"icdar2015\", \"accepted\": true}",
		"{\"protocol\": \"icdar2015\", \"accepted\": true, \"samples\": {\"1\": {}}}",
		"{\"protocol\": \"icdar2015\", \"accepted\": true, \"samples\": {\"1\": {\"terms\": {}, "
		"\"pairs\": [{\"gt\": \"x\", \"det\": 1}]}}}",
		"{\"protocol\": \"icdar2015\", \"accepted\": false, \"error\": \"no\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tl_eval_result *m = tl_eval_result_new(NULL);
		tl_error err = { 0 };
		assert_int_equal(tl_eval_merge_json(m, bad[i], strlen(bad[i]), "part", &err), TL_E_INPUT);
		assert_true(err.msg[0] != 0);
		tl_eval_free(m);
	}
}

/* An image whose GT x detection pairs exceed EV_MAX_PAIRS is refused quickly. */
static void test_pair_limit(void **st)
{
	(void)st;
	size_t n = 4097; /* 4097^2 > 2^24 */
	tl_buf g = TL_BUF_INIT, d = TL_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		int x = (int)(i % 1000) * 6, y = (int)(i / 1000) * 10;
		tl_buf_printf(&g, "%d,%d,%d,%d,%d,%d,%d,%d,w\n", x, y, x + 5, y, x + 5, y + 5, x, y + 5);
		tl_buf_printf(&d, "%d,%d,%d,%d,%d,%d,%d,%d\n", x, y, x + 5, y, x + 5, y + 5, x, y + 5);
	}
	int rc;
	tl_eval_result *r = run1(TL_EVAL_ICDAR2015, 0, g.data, d.data, &rc);
	assert_int_equal(rc, TL_E_LIMIT);
	assert_null(r);
	tl_buf_free(&g);
	tl_buf_free(&d);
}

static void test_lenient(void **st)
{
	(void)st;
	fx f;
	fx_make(&f);
	write_file(f.gt, "gt_img_1.txt", BOX(0, 0, 10, 10) ",a\n");
	write_file(f.det, "res_img_1.txt", "0,0,0,10,10,10,10,0\n");
	tl_eval_opts o = { 0 };
	o.lenient = 1;
	tl_eval_result *r = NULL;
	tl_error err = { 0 };
	assert_int_equal(tl_eval_run(f.gt, f.det, &o, &r, &err), TL_OK);
	assert_int_equal(r->matched, 1);
	tl_eval_free(r);
	fx_free(&f);
}

/* §13.3 with the ICDAR 2013 script's credits (inclusive areas). */
static void test_deteval_rect(void **st)
{
	(void)st;
	int rc;
	tl_eval_result *r = run1(TL_EVAL_DETEVAL, 0, "0,0,9,9,a\n", "0,0,9,9\n", &rc);
	assert_int_equal(rc, TL_OK);
	assert_true(r->recall == 1 && r->precision == 1);
	tl_eval_free(r);
	/* split: σ = 0.5 each, τ = 1 → one-to-many, R = 0.8, P = 1.6 / 2 */
	r = run1(TL_EVAL_DETEVAL, 0, "0,0,9,9,a\n", "0,0,4,9\n5,0,9,9\n", &rc);
	assert_near(r->recall, 0.8, 1e-15);
	assert_near(r->precision, 0.8, 1e-15);
	assert_string_equal(r->samples[0].pairs[0].type, "OM");
	assert_int_equal(r->samples[0].pairs[0].ndet, 2);
	tl_eval_free(r);
	/* merge of two GTs: under DetEval proper R = P = 1 (§13.3), but the ICDAR 2013
	 * script that the golden `deteval-ic13/merge` figures pin down has no "at least
	 * two overlaps" test in the split pass, so GT 0 takes the detection as a
	 * one-member split first: credits 0.8 / 0.8, GT 1 unmatched → R = 0.4, P = 0.8 */
	r = run1(TL_EVAL_DETEVAL, 0, "0,0,9,9,a\n10,0,19,9,b\n", "0,0,19,9\n", &rc);
	assert_near(r->recall, 0.4, 1e-15);
	assert_near(r->precision, 0.8, 1e-15);
	assert_string_equal(r->samples[0].pairs[0].type, "OM");
	tl_eval_free(r);
	/* the polygon DetEval keeps the overlap tests: a clean merge, R = P = 1 (credits
	 * of DB's deteval.py: merges not penalised) */
	r = run1(TL_EVAL_DETEVAL_POLY, 0, BOX(0, 0, 10, 10) ",a\n" BOX(10, 0, 20, 10) ",b\n",
		 BOX(0, 0, 20, 10) "\n", &rc);
	assert_true(r->recall == 1 && r->precision == 1);
	assert_string_equal(r->samples[0].pairs[0].type, "MO");
	tl_eval_free(r);
	/* Xmax < Xmin is refused with the script's words */
	r = run1(TL_EVAL_DETEVAL, 0, "0,0,9,9,a\n", "5,0,4,9\n", &rc);
	assert_int_equal(rc, TL_E_INPUT);
	assert_non_null(strstr(r->error, "Xmax value (4) not valid (Xmax < Xmin)."));
	tl_eval_free(r);
}

/* §13.5 TIoU. */
static void test_tiou(void **st)
{
	(void)st;
	int rc;
	/* det covers 80% of the GT: IoU 0.8, recall term 0.8·(1−0.2), precision term 0.8 */
	tl_eval_result *r = run1(TL_EVAL_TIOU, 0, BOX(0, 0, 10, 10) ",a\n", BOX(0, 0, 10, 8) "\n", &rc);
	assert_int_equal(rc, TL_OK);
	assert_near(r->tiou_recall, 0.64, 1e-12);
	assert_near(r->tiou_precision, 0.8, 1e-12);
	assert_near(r->iou_recall, 0.8, 1e-12);
	tl_eval_free(r);
	/* det spills 20 px² into a second GT: IoU 100/120; Ct = 0; Ot = 20 of 120 →
	 * precision term (5/6)·(5/6); two care GT halve the recall */
	r = run1(TL_EVAL_TIOU, 0, BOX(0, 0, 10, 10) ",a\n" BOX(0, 10, 10, 20) ",b\n",
		 BOX(0, 0, 10, 12) "\n", &rc);
	assert_near(r->tiou_p_sum, 25.0 / 36.0, 1e-12);
	assert_near(r->tiou_r_sum, 5.0 / 6.0, 1e-12);
	assert_near(r->tiou_recall, 5.0 / 12.0, 1e-12);
	tl_eval_free(r);
}

/* Shapely-based evaluators drop invalid polygons before indexing. */
static void test_paddle_drops_invalid(void **st)
{
	(void)st;
	int rc;
	tl_eval_result *r = run1(TL_EVAL_PADDLE_IOU, 0, BOX(0, 0, 10, 10) ",a\n" BOX(20, 0, 30, 10) ",b\n",
				 "0,0,10,10,10,0,0,10\n" BOX(20, 0, 30, 10) "\n", &rc);
	assert_int_equal(rc, TL_OK);
	assert_int_equal(r->samples[0].ndet, 1); /* the bow-tie is gone */
	assert_int_equal(r->matched, 1);
	assert_int_equal(r->samples[0].pairs[0].gt[0], 1);
	assert_int_equal(r->samples[0].pairs[0].det[0], 0);
	tl_eval_free(r);
}

/* mmocr: seven thresholds, the best hmean reported; scores compared in float32, so a
 * score of 0.9 survives the threshold 0.9000000000000001. */
static void test_mmocr(void **st)
{
	(void)st;
	int rc;
	tl_eval_result *r = run1(TL_EVAL_MMOCR, 0, BOX(0, 0, 10, 10) ",a\n" BOX(50, 50, 60, 60) ",###\n",
				 BOX(0, 0, 10, 10) ",0.9\n" BOX(30, 0, 40, 10) ",0.35\n" BOX(
					 50, 50, 60, 60) ",0.99\n" BOX(80, 0, 90, 10) ",0.1\n",
				 &rc);
	assert_int_equal(rc, TL_OK);
	/* 0.3: hit 1 of 2 kept (the 0.99 one is inside ignored GT, 0.1 is below all) */
	assert_int_equal(r->mm_hits[0], 1);
	assert_int_equal(r->mm_preds[0], 2);
	/* 0.4 ... 0.9: only the 0.9 detection, a hit */
	for (int t = 1; t < 7; t++) {
		assert_int_equal(r->mm_hits[t], 1);
		assert_int_equal(r->mm_preds[t], 1);
	}
	assert_int_equal(r->mm_best, 1);
	assert_true(r->hmean == 1.0);
	assert_true(tl_eval_mmocr_threshold(6) > 0.9);
	assert_int_equal(r->samples[0].ndet_dc, 1);
	assert_int_equal(r->samples[0].det_dc[0], 2);
	tl_eval_free(r);
}

/* §13.6 CLEval split: GT "ABCD" has PCCs at x = 5, 15, 25, 35; two half boxes each
 * hold two and are 100% inside it → a split: R = (4 − 1)/4, P = 4/4. */
static void test_cleval_split(void **st)
{
	(void)st;
	int rc;
	tl_eval_result *r = run1(TL_EVAL_CLEVAL, 0, BOX(0, 0, 40, 10) ",ABCD\n",
				 BOX(0, 0, 20, 10) "\n" BOX(20, 0, 40, 10) "\n", &rc);
	assert_int_equal(rc, TL_OK);
	assert_near(r->recall, 0.75, 1e-15);
	assert_near(r->precision, 1.0, 1e-15);
	assert_near(r->hmean, 2 * 0.75 / 1.75, 1e-15);
	assert_int_equal(r->samples[0].npairs, 2);
	assert_string_equal(r->samples[0].pairs[0].type, "OM");
	tl_eval_free(r);
	/* a false positive of a wide box counts round(0.5 + 1/a) = 1 pseudo character;
	 * quoted "A,B" has 3 characters */
	r = run1(TL_EVAL_CLEVAL, 0, BOX(0, 0, 30, 10) ",\"A,B\"\n",
		 BOX(0, 0, 30, 10) "\n" BOX(100, 0, 140, 10) "\n", &rc);
	assert_near(r->cl[2], 3, 0);
	assert_near(r->cl[5], 3 + 1, 0);
	assert_near(r->precision, 0.75, 1e-15);
	assert_near(r->recall, 1.0, 1e-15);
	tl_eval_free(r);
}

/* Two shards merged give the figures of one run. */
static void test_merge(void **st)
{
	(void)st;
	fx f;
	fx_make(&f);
	for (int i = 1; i <= 7; i++) {
		char n[32], g[128], d[128];
		snprintf(n, sizeof n, "gt_img_%d.txt", i);
		snprintf(g, sizeof g, "0,0,10,0,10,10,0,10,a\n%d,0,%d,0,%d,10,%d,10,b\n", 20, 30 + i, 30 + i, 20);
		write_file(f.gt, n, g);
		snprintf(n, sizeof n, "res_img_%d.txt", i);
		snprintf(d, sizeof d, "0,0,10,0,10,10,0,10,0.%d\n%d,0,35,0,35,10,%d,10,0.5\n", i, 20 + i, 20 + i);
		write_file(f.det, n, d);
	}
	tl_eval_opts o = { 0 };
	o.confidences = 1;
	tl_error err = { 0 };
	tl_eval_result *whole = NULL, *m = tl_eval_result_new(NULL);
	assert_int_equal(tl_eval_run(f.gt, f.det, &o, &whole, &err), TL_OK);
	for (int s = 0; s < 3; s++) {
		tl_eval_opts so = o;
		so.shard_index = s;
		so.shard_count = 3;
		tl_eval_result *part = NULL;
		assert_int_equal(tl_eval_run(f.gt, f.det, &so, &part, &err), TL_OK);
		tl_buf b = TL_BUF_INIT;
		assert_int_equal(tl_eval_json(part, "x", 1, 1, &b), TL_OK);
		assert_int_equal(tl_eval_merge_json(m, b.data, b.len, "part", &err), TL_OK);
		tl_buf_free(&b);
		tl_eval_free(part);
	}
	assert_int_equal(m->nimages, 7);
	assert_true(m->precision == whole->precision);
	assert_true(m->recall == whole->recall);
	assert_true(m->ap == whole->ap);
	/* the same part twice would count its images twice */
	tl_buf b = TL_BUF_INIT;
	assert_int_equal(tl_eval_json(whole, "x", 1, 1, &b), TL_OK);
	assert_int_equal(tl_eval_merge_json(m, b.data, b.len, "again", &err), TL_E_INPUT);
	tl_buf_free(&b);
	tl_eval_free(whole);
	tl_eval_free(m);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clip_boxes),
		cmocka_unit_test(test_clip_bowtie),
		cmocka_unit_test(test_clip_combination),
		cmocka_unit_test(test_clip_many_edges),
		cmocka_unit_test(test_clip_paths_agree),
		cmocka_unit_test(test_clip_exact),
		cmocka_unit_test(test_clip_validity),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_py2_dict_order),
		cmocka_unit_test(test_np_argsort),
		cmocka_unit_test(test_grammar),
		cmocka_unit_test(test_dontcare_text),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_icdar_greedy),
		cmocka_unit_test(test_icdar_dontcare),
		cmocka_unit_test(test_icdar_tie),
		cmocka_unit_test(test_icdar_ap),
		cmocka_unit_test(test_icdar_refusals),
		cmocka_unit_test(test_zip_folder),
		cmocka_unit_test(test_merge_hostile),
		cmocka_unit_test(test_pair_limit),
		cmocka_unit_test(test_lenient),
		cmocka_unit_test(test_deteval_rect),
		cmocka_unit_test(test_tiou),
		cmocka_unit_test(test_paddle_drops_invalid),
		cmocka_unit_test(test_mmocr),
		cmocka_unit_test(test_cleval_split),
		cmocka_unit_test(test_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
