/* eval_compare.c — compares a `textloc eval --json` result with a golden reference
 * JSON (../shared/golden/eval/<protocol>/<sub>.json): acceptance and refusal text,
 * method figures within a tolerance, and per sample the figures, the pairs and the
 * don't-care lists. Prints each difference; exit 0 when identical.
 *
 * usage: eval_compare GOLDEN.json OURS.json TOLERANCE [--no-ap]
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nerr;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = 0;
	fclose(f);
	return s;
}

static void diff(const char *fmt, const char *a, const char *b, double x, double y)
{
	if (nerr++ < 20) {
		printf(fmt, a, b, x, y);
		printf("\n");
	}
}

static void cmp_num(const char *where, const char *key, const cJSON *g, const cJSON *o, double tol)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(g, key);
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsNumber(a))
		return;
	if (!cJSON_IsNumber(b)) {
		diff("%s: %s missing", where, key, 0, 0);
		return;
	}
	double x = a->valuedouble, y = b->valuedouble;
	if (tol == 0 ? x != y : fabs(x - y) > tol)
		diff("%s: %s golden %.17g ours %.17g", where, key, x, y);
}

/* Pairs and index lists compare as printed JSON (numbers vs one-element lists matter). */
static void cmp_json(const char *where, const char *key, const cJSON *g, const cJSON *o)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(g, key);
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!a)
		return;
	if (!b || !cJSON_Compare(a, b, 1)) {
		char *sa = cJSON_PrintUnformatted(a), *sb = b ? cJSON_PrintUnformatted(b) : NULL;
		if (nerr++ < 20)
			printf("%s: %s golden %.300s ours %.300s\n", where, key, sa, sb ? sb : "(none)");
		free(sa);
		free(sb);
	}
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: eval_compare GOLDEN.json OURS.json TOL [--no-ap]\n");
		return 2;
	}
	double tol = atof(argv[3]);
	int no_ap = argc > 4 && strcmp(argv[4], "--no-ap") == 0;
	char *gs = slurp(argv[1]), *os = slurp(argv[2]);
	if (!gs || !os) {
		fprintf(stderr, "eval_compare: cannot read inputs\n");
		return 2;
	}
	cJSON *g = cJSON_Parse(gs), *o = cJSON_Parse(os);
	if (!g || !o) {
		printf("not JSON\n");
		return 1;
	}
	const cJSON *ga = cJSON_GetObjectItemCaseSensitive(g, "accepted");
	const cJSON *oa = cJSON_GetObjectItemCaseSensitive(o, "accepted");
	if (cJSON_IsTrue(ga) != cJSON_IsTrue(oa)) {
		printf("accepted: golden %d ours %d\n", cJSON_IsTrue(ga), cJSON_IsTrue(oa));
		nerr++;
	}
	if (!cJSON_IsTrue(ga)) {
		cmp_json("refusal", "error", g, o);
		goto done;
	}
	static const char *const blocks[] = { "method", "iouMethod", "tiouMethod" };
	for (int k = 0; k < 3; k++) {
		const cJSON *gm = cJSON_GetObjectItemCaseSensitive(g, blocks[k]);
		const cJSON *om = cJSON_GetObjectItemCaseSensitive(o, blocks[k]);
		const cJSON *e;
		if (!gm)
			continue;
		cJSON_ArrayForEach(e, gm) {
			if (no_ap && strcmp(e->string, "AP") == 0)
				continue;
			cmp_num(blocks[k], e->string, gm, om, tol);
		}
	}
	const cJSON *gsm = cJSON_GetObjectItemCaseSensitive(g, "samples");
	const cJSON *osm = cJSON_GetObjectItemCaseSensitive(o, "samples");
	const cJSON *s;
	int nsamples = 0;
	cJSON_ArrayForEach(s, gsm) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(osm, s->string);
		char where[64];
		snprintf(where, sizeof where, "sample %s", s->string);
		nsamples++;
		if (!t) {
			diff("%s: %s", where, "missing", 0, 0);
			continue;
		}
		static const char *const nums[] = { "precision", "recall", "hmean", "AP" };
		for (int k = 0; k < 4; k++) {
			if (no_ap && k == 3)
				continue;
			cmp_num(where, nums[k], s, t, tol);
		}
		cmp_json(where, "pairs", s, t);
		cmp_json(where, "gtDontCare", s, t);
		cmp_json(where, "detDontCare", s, t);
	}
	if (cJSON_GetArraySize(osm) != nsamples) {
		printf("samples: golden %d ours %d\n", nsamples, cJSON_GetArraySize(osm));
		nerr++;
	}
done:
	if (nerr > 20)
		printf("... %d differences in all\n", nerr);
	cJSON_Delete(g);
	cJSON_Delete(o);
	free(gs);
	free(os);
	return nerr ? 1 : 0;
}
