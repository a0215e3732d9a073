/* rrc.c — reading submissions the way the RRC scripts read them: zip/dir entries,
 * sample keys from file names, Python 2 dict order (it decides which refusal the
 * reference reports first), NumPy's argsort for confidence ties, and the line
 * grammars of rrc_evaluation_funcs.py with their exact error texts. */
#include "eval_int.h"
#include <math.h>
#include <stdio.h>
#include "geom_clip.h"

/* ---- sources -------------------------------------------------------------- */

int ev_src_open(ev_src *s, const char *path, tl_error *err)
{
	memset(s, 0, sizeof *s);
	s->path = path;
	if (tl_is_dir(path))
		return tl_list_dir(path, &s->names, &s->count, err);
	TL_TRY(tl_zip_open(path, &s->zip, err));
	s->count = tl_zip_count(s->zip);
	return TL_OK;
}

void ev_src_close(ev_src *s)
{
	if (s->zip)
		tl_zip_close(s->zip);
	if (s->names)
		tl_strv_free(s->names, s->count);
	memset(s, 0, sizeof *s);
}

const char *ev_src_name(const ev_src *s, size_t i)
{
	return s->zip ? tl_zip_name(s->zip, i) : s->names[i];
}

int ev_src_read(ev_src *s, size_t i, char **data, size_t *len, tl_error *err)
{
	if (s->zip)
		return tl_zip_read(s->zip, i, data, len, err);
	size_t pl = strlen(s->path), nl = strlen(s->names[i]);
	char *full = malloc(pl + nl + 2);
	if (!full)
		return tl_error_set(err, TL_E_NOMEM, s->path, 0, 0, "out of memory");
	memcpy(full, s->path, pl);
	full[pl] = '/';
	memcpy(full + pl + 1, s->names[i], nl + 1);
	int rc = tl_read_file(full, 0, data, len, err);
	free(full);
	return rc;
}

/* ---- names and keys --------------------------------------------------------- */

size_t ev_match_name(const char *name, const char *prefix, const char **key)
{
	size_t pl = strlen(prefix);
	if (strncmp(name, prefix, pl) != 0)
		return 0;
	const char *d = name + pl;
	size_t nd = 0;
	while (d[nd] >= '0' && d[nd] <= '9')
		nd++;
	/* ([0-9]+).txt with backtracking: the greedy digit run first, then shorter ones
	 * (the '.' may then swallow a digit). A UTF-8 sequence counts as one character. */
	for (size_t k = nd; k >= 1; k--) {
		const unsigned char *c = (const unsigned char *)d + k;
		if (*c == 0 || *c == '\n')
			continue;
		size_t w = 1;
		if (*c >= 0xC0)
			while (w < 4 && (c[w] & 0xC0) == 0x80)
				w++;
		if (strncmp((const char *)c + w, "txt", 3) == 0) {
			*key = d;
			return k;
		}
	}
	return 0;
}

/* CPython 2.7 string hash (64-bit build, no -R randomisation). */
static uint64_t py2_hash(const char *s)
{
	size_t len = strlen(s);
	if (len == 0)
		return 0;
	uint64_t x = (uint64_t)(unsigned char)s[0] << 7;
	for (size_t i = 0; i < len; i++)
		x = (1000003u * x) ^ (unsigned char)s[i];
	x ^= (uint64_t)len;
	if (x == (uint64_t)-1)
		x = (uint64_t)-2;
	return x;
}

/* A slot holds the key's index + 1 (0 = empty): 4 bytes, so that the table of a
 * 100,000-file submission stays small; hashes are recomputed when needed. */
typedef uint32_t py_slot;

/* Slot of key in an open-addressing table of mask+1 slots (CPython's probe). */
static size_t py_probe(const py_slot *t, size_t mask, uint64_t h, const ev_key *keys,
		       const char *key, int *found)
{
	size_t i = (size_t)h & mask;
	uint64_t perturb = h;
	*found = 0;
	for (;;) {
		py_slot e = t[i & mask];
		if (!e)
			return i & mask;
		if (key && strcmp(keys[e - 1].key, key) == 0) {
			*found = 1;
			return i & mask;
		}
		i = (i << 2) + i + (size_t)perturb + 1;
		perturb >>= 5;
	}
}

static int py_resize(py_slot **tab, size_t *mask, size_t used, const ev_key *keys)
{
	size_t minused = (used > 50000 ? 2 : 4) * used, newsize = 8;
	while (newsize <= minused && newsize > 0)
		newsize <<= 1;
	py_slot *nt = calloc(newsize, sizeof *nt);
	if (!nt)
		return TL_E_NOMEM;
	for (size_t i = 0; i <= *mask; i++) {
		if (!(*tab)[i])
			continue;
		int found;
		size_t j = py_probe(nt, newsize - 1, py2_hash(keys[(*tab)[i] - 1].key), keys, NULL,
				    &found);
		nt[j] = (*tab)[i];
	}
	free(*tab);
	*tab = nt;
	*mask = newsize - 1;
	return TL_OK;
}

int ev_py2_dict_order(ev_key *keys, size_t *n)
{
	size_t mask = 7, used = 0;
	if (*n >= UINT32_MAX)
		return TL_E_LIMIT;
	py_slot *tab = calloc(8, sizeof *tab);
	if (!tab)
		return TL_E_NOMEM;
	for (size_t k = 0; k < *n; k++) {
		uint64_t h = py2_hash(keys[k].key);
		int found;
		size_t j = py_probe(tab, mask, h, keys, keys[k].key, &found);
		if (found) {
			/* same key: the value (entry) is replaced, the slot stays */
			keys[tab[j] - 1].entry = keys[k].entry;
			continue;
		}
		tab[j] = (py_slot)(k + 1);
		used++;
		/* no deletions ever happen, so fill == used */
		if (used * 3 >= (mask + 1) * 2 && py_resize(&tab, &mask, used, keys) != TL_OK) {
			free(tab);
			return TL_E_NOMEM;
		}
	}
	ev_key *out = malloc((used ? used : 1) * sizeof *out);
	if (!out) {
		free(tab);
		return TL_E_NOMEM;
	}
	size_t m = 0;
	for (size_t i = 0; i <= mask; i++)
		if (tab[i])
			out[m++] = keys[tab[i] - 1];
	memcpy(keys, out, m * sizeof *out);
	*n = m;
	free(out);
	free(tab);
	return TL_OK;
}

/* ---- NumPy argsort ---------------------------------------------------------- */

static int np_lt(double a, double b)
{
	return a < b || (b != b && a == a);
}

/* NumPy's sift-down of aheapsort: puts tmp at heap position i of a[1..n] (1-based). */
static void np_sift(const double *v, size_t *a, size_t i, size_t n, size_t tmp)
{
	for (size_t j = i << 1; j <= n;) {
		if (j < n && np_lt(v[a[j]], v[a[j + 1]]))
			j += 1;
		if (np_lt(v[tmp], v[a[j]])) {
			a[i] = a[j];
			i = j;
			j += j;
		} else
			break;
	}
	a[i] = tmp;
}

static void np_aheapsort(const double *v, size_t *tosort, size_t n)
{
	size_t *a = tosort - 1; /* 1-based indexing, as NumPy writes it */
	for (size_t l = n >> 1; l > 0; --l)
		np_sift(v, a, l, n, a[l]);
	for (; n > 1;) {
		size_t tmp = a[n];
		a[n] = a[1];
		n -= 1;
		np_sift(v, a, 1, n, tmp);
	}
}

#define NP_SMALL_QUICKSORT 15
#define NP_STACK 128

static void np_aquicksort(const double *v, size_t *tosort, size_t num)
{
	size_t *pl = tosort, *pr = tosort + num - 1;
	size_t *stack[NP_STACK], **sptr = stack;
	int depth[NP_STACK], *psdepth = depth;
	int cdepth = 0;
	for (size_t t = num; t > 1; t >>= 1)
		cdepth++;
	cdepth *= 2;
	size_t *pm, *pi, *pj, *pk, vi, tmp;
	double vp;
#define SWAP(a, b) do { tmp = (a); (a) = (b); (b) = tmp; } while (0)
	for (;;) {
		if (cdepth < 0) {
			np_aheapsort(v, pl, (size_t)(pr - pl + 1));
			goto stack_pop;
		}
		while ((pr - pl) > NP_SMALL_QUICKSORT) {
			pm = pl + ((pr - pl) >> 1);
			if (np_lt(v[*pm], v[*pl]))
				SWAP(*pm, *pl);
			if (np_lt(v[*pr], v[*pm]))
				SWAP(*pr, *pm);
			if (np_lt(v[*pm], v[*pl]))
				SWAP(*pm, *pl);
			vp = v[*pm];
			pi = pl;
			pj = pr - 1;
			SWAP(*pm, *pj);
			for (;;) {
				do
					++pi;
				while (np_lt(v[*pi], vp));
				do
					--pj;
				while (np_lt(vp, v[*pj]));
				if (pi >= pj)
					break;
				SWAP(*pi, *pj);
			}
			pk = pr - 1;
			SWAP(*pi, *pk);
			if (pi - pl < pr - pi) {
				*sptr++ = pi + 1;
				*sptr++ = pr;
				pr = pi - 1;
			} else {
				*sptr++ = pl;
				*sptr++ = pi - 1;
				pl = pi + 1;
			}
			*psdepth++ = --cdepth;
		}
		for (pi = pl + 1; pi <= pr; ++pi) {
			vi = *pi;
			vp = v[vi];
			pj = pi;
			pk = pi - 1;
			while (pj > pl && np_lt(vp, v[*pk]))
				*pj-- = *pk--;
			*pj = vi;
		}
stack_pop:
		if (sptr == stack)
			break;
		pr = *(--sptr);
		pl = *(--sptr);
		cdepth = *(--psdepth);
	}
#undef SWAP
}

void ev_np_argsort_desc(const double *v, size_t n, size_t *idx)
{
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	if (n < 2)
		return;
	double *neg = malloc(n * sizeof *neg);
	if (!neg) {
		/* fall back to a stable insertion order; only reachable out of memory */
		for (size_t i = 1; i < n; i++) {
			size_t t = idx[i], j = i;
			while (j > 0 && v[idx[j - 1]] < v[t]) {
				idx[j] = idx[j - 1];
				j--;
			}
			idx[j] = t;
		}
		return;
	}
	for (size_t i = 0; i < n; i++)
		neg[i] = -v[i];
	np_aquicksort(neg, idx, n);
	free(neg);
}

/* ---- line grammar ------------------------------------------------------------- */

static int py_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static const char *skip_ws(const char *s, const char *e)
{
	while (s < e && py_space(*s))
		s++;
	return s;
}

/* (-?[0-9]+) if neg, else ([0-9]+); returns the end or NULL. */
static const char *read_int(const char *s, const char *e, int neg, double *v)
{
	const char *b = s;
	if (neg && s < e && *s == '-')
		s++;
	const char *d = s;
	while (s < e && *s >= '0' && *s <= '9')
		s++;
	if (s == d)
		return NULL;
	size_t n = (size_t)(s - b);
	if (s - d <= 15) {
		/* up to 15 digits the value is exact in a double: no need for strtod */
		double x = 0;
		for (const char *q = d; q < s; q++)
			x = x * 10 + (*q - '0');
		*v = d > b ? -x : x;
		return s;
	}
	char buf[64], *tmp = NULL, *p = buf;
	if (n >= sizeof buf) {
		tmp = malloc(n + 1);
		if (!tmp)
			return NULL;
		p = tmp;
	}
	memcpy(p, b, n);
	p[n] = 0;
	*v = strtod(p, NULL); /* Python float(): correctly rounded, inf past the range */
	free(tmp);
	return s;
}

/* Python float() of the text matched by [0-1].?[0-9]*: valid forms are a digit run
 * with an optional '.' or exponent in the .? position. */
static int py_float(const char *s, size_t n, double *v)
{
	char buf[64];
	if (n == 0 || n >= sizeof buf)
		return 0;
	size_t i = 1;
	if (n > 1) {
		char c = s[1];
		if (c == '.' || (c >= '0' && c <= '9'))
			i = 2;
		else if (c == 'e' || c == 'E') {
			if (n == 2)
				return 0;
			i = 2;
		} else
			return 0;
	}
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	memcpy(buf, s, n);
	buf[n] = 0;
	*v = strtod(buf, NULL);
	return 1;
}

static size_t utf8_len(const char *s, const char *e)
{
	const unsigned char *c = (const unsigned char *)s;
	size_t w = 1;
	if (*c >= 0xC0)
		while (s + w < e && w < 4 && (c[w] & 0xC0) == 0x80)
			w++;
	return w;
}

static char *xstrdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xstrdup_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static const char *format_hint(const ev_grammar *g)
{
	if (g->ltrb) {
		if (g->transcription && g->confidence)
			return "xmin,ymin,xmax,ymax,confidence,transcription";
		if (g->confidence)
			return "xmin,ymin,xmax,ymax,confidence";
		if (g->transcription)
			return "xmin,ymin,xmax,ymax,transcription";
		return "xmin,ymin,xmax,ymax";
	}
	if (g->transcription && g->confidence)
		return "x1,y1,x2,y2,x3,y3,x4,y4,confidence,transcription";
	if (g->confidence)
		return "x1,y1,x2,y2,x3,y3,x4,y4,confidence";
	if (g->transcription)
		return "x1,y1,x2,y2,x3,y3,x4,y4,transcription";
	return "x1,y1,x2,y2,x3,y3,x4,y4";
}

__extension__ typedef __int128 ev_i128;

/* validate_clockwise_points: the sum over int()-truncated corners. Returns 1 if the
 * quad is refused, 2 if a value is infinite (Python's int() raises). */
static int rrc_not_clockwise(const double *v)
{
	double m = 0;
	for (int i = 0; i < 8; i++) {
		if (!isfinite(v[i]))
			return 2;
		if (fabs(v[i]) > m)
			m = fabs(v[i]);
	}
	if (m < 1152921504606846976.0) { /* 2^60: exact in 128-bit integers */
		ev_i128 p[8], s = 0;
		for (int i = 0; i < 8; i++)
			p[i] = (ev_i128)(int64_t)trunc(v[i]);
		for (int i = 0; i < 4; i++) {
			int j = (i + 1) % 4;
			s += (p[2 * j] - p[2 * i]) * (p[2 * j + 1] + p[2 * i + 1]);
		}
		return s > 0;
	}
	long double s = 0;
	for (int i = 0; i < 4; i++) {
		int j = (i + 1) % 4;
		s += ((long double)trunc(v[2 * j]) - trunc(v[2 * i])) *
		     ((long double)trunc(v[2 * j + 1]) + trunc(v[2 * i + 1]));
	}
	return s > 0;
}

/* np.int32 assignment of a Python int: values wrap modulo 2^32. */
static double to_i32(double v)
{
	double t = trunc(v);
	if (fabs(t) < 2147483648.0)
		return t;
	if (!(fabs(t) < 9.2e18))
		return 0;
	return (double)(int32_t)(uint32_t)(uint64_t)(int64_t)t;
}

static const char *CW_MSG =
	"Points are not clockwise. The coordinates of bounding quadrilaterals have to be "
	"given in clockwise order. Regarding the correct interpretation of 'clockwise' "
	"remember that the image coordinate system used is the standard one, with the "
	"image origin at the upper left, the X axis extending to the right and Y axis "
	"extending downwards.";

/* Replaces every occurrence of from (2 bytes) by the single byte to, in place. */
static size_t replace2(char *t, size_t n, const char *from, char to)
{
	size_t w = 0;
	for (size_t r = 0; r < n; r++) {
		if (r + 1 < n && t[r] == from[0] && t[r + 1] == from[1]) {
			t[w++] = to;
			r++;
		} else {
			t[w++] = t[r];
		}
	}
	return w;
}

/* Unquotes an RRC transcription (F§3 item 6: quotes removed, then \\ -> \ and
 * \" -> " as two successive replaces), tells whether it is "###" and counts its
 * characters (code points; CLEval's pseudo-character count). */
static int rrc_text(const char *s, const char *e, int *len)
{
	const char *a = skip_ws(s, e), *from = s, *to = e;
	int quoted = 0;
	if (a < e && *a == '"') {
		const char *b = e;
		while (b > a + 1 && py_space(b[-1]))
			b--;
		if (b - a >= 2 && b[-1] == '"') {
			from = a + 1;
			to = b - 1;
			quoted = 1;
		}
	}
	size_t n = (size_t)(to - from);
	char sbuf[256], *t = n <= sizeof sbuf ? sbuf : malloc(n);
	if (!t) {
		*len = 0;
		return 0;
	}
	memcpy(t, from, n);
	if (quoted) {
		n = replace2(t, n, "\\\\", '\\');
		n = replace2(t, n, "\\\"", '"');
	}
	int dc = n == 3 && memcmp(t, "###", 3) == 0, cp = 0;
	for (size_t k = 0; k < n; k++)
		cp += ((unsigned char)t[k] & 0xC0) != 0x80;
	if (t != sbuf)
		free(t);
	*len = cp;
	return dc;
}

/* Parses one RRC line (CRs already removed). Returns NULL or a malloc'd error text. */
static char *rrc_line(const char *s, const char *e, const ev_grammar *g, ev_item *it)
{
	int nv = g->ltrb ? 4 : 8;
	const char *p = skip_ws(s, e);
	memset(it, 0, sizeof *it);
	for (int i = 0; i < nv; i++) {
		if (i > 0) {
			p = skip_ws(p, e);
			if (p >= e || *p != ',')
				goto bad;
			p = skip_ws(p + 1, e);
		}
		int neg = !(g->ltrb && i >= 2);
		p = read_int(p, e, neg, &it->v[i]);
		if (!p)
			goto bad;
	}
	it->nv = nv;
	if (g->confidence) {
		p = skip_ws(p, e);
		if (p >= e || *p != ',')
			goto bad;
		p = skip_ws(p + 1, e);
		if (p >= e || (*p != '0' && *p != '1'))
			goto bad;
		/* [0-1].?[0-9]*\s*$ : first with .? taking a character, then without */
		const char *c0 = p, *q, *gend = NULL;
		if (p + 1 < e && p[1] != '\n') {
			q = p + 1 + utf8_len(p + 1, e);
			while (q < e && *q >= '0' && *q <= '9')
				q++;
			if (skip_ws(q, e) == e)
				gend = q;
		}
		if (!gend) {
			q = p + 1;
			while (q < e && *q >= '0' && *q <= '9')
				q++;
			if (skip_ws(q, e) != e)
				goto bad;
			gend = q;
		}
		if (g->transcription)
			goto bad; /* conf + transcription is not used by any protocol here */
		if (!py_float(c0, (size_t)(gend - c0), &it->conf))
			return xstrdup_printf("Confidence value must be a float");
		p = e;
	}
	if (g->transcription) {
		p = skip_ws(p, e);
		if (p >= e || *p != ',')
			goto bad;
		it->dc = rrc_text(p + 1, e, &it->tlen);
		p = e;
	} else if (!g->confidence) {
		p = skip_ws(p, e);
		if (g->ltrb && p < e && *p == ',')
			p = skip_ws(p + 1, e);
		if (p != e)
			goto bad;
	}
	if (g->ltrb) {
		if (it->v[2] < it->v[0])
			return xstrdup_printf("Xmax value (%.0f) not valid (Xmax < Xmin).", it->v[2]);
		if (it->v[3] < it->v[1])
			return xstrdup_printf("Ymax value (%.0f)  not valid (Ymax < Ymin).", it->v[3]);
	} else if (g->clockwise) {
		int r = rrc_not_clockwise(it->v);
		if (r == 2)
			return xstrdup_printf("cannot convert float infinity to integer");
		if (r)
			return xstrdup_printf("%s", CW_MSG);
	}
	return NULL;
bad:
	return xstrdup_printf("Format incorrect. Should be: %s", format_hint(g));
}

/* The loaders of the Shapely-based tools: the first 8 (or 4) comma-separated numbers,
 * GT transcription after them; a line without enough numbers is skipped. */
static int loose_line(const char *s, const char *e, const ev_grammar *g, ev_item *it)
{
	int nv = g->ltrb ? 4 : 8;
	const char *p = s;
	memset(it, 0, sizeof *it);
	for (int i = 0; i < nv; i++) {
		p = skip_ws(p, e);
		char buf[64];
		size_t n = 0;
		while (p + n < e && p[n] != ',' && n < sizeof buf - 1)
			n++;
		memcpy(buf, p, n);
		buf[n] = 0;
		char *end;
		it->v[i] = strtod(buf, &end);
		if (end == buf || !isfinite(it->v[i]))
			return 0;
		while (*end && py_space(*end))
			end++;
		if (*end)
			return 0;
		p += n;
		if (i + 1 < nv) {
			if (p >= e || *p != ',')
				return 0;
			p++;
		}
	}
	it->nv = nv;
	it->conf = 1.0; /* scoreless results count as certain (mmocr) */
	if (g->transcription && p < e && *p == ',') {
		const char *t = p + 1;
		it->dc = rrc_text(t, e, &it->tlen);
	} else if (!g->transcription && p < e && *p == ',') {
		/* a score after the coordinates */
		char buf[64];
		size_t n = 0;
		p++;
		while (p + n < e && p[n] != ',' && n < sizeof buf - 1)
			n++;
		memcpy(buf, p, n);
		buf[n] = 0;
		char *end;
		double v = strtod(buf, &end);
		if (end != buf && isfinite(v))
			it->conf = v;
	}
	return 1;
}

static void build_polygon(ev_item *it, const ev_grammar *g)
{
	if (it->nv == 4) {
		/* rectangle_to_polygon: (xmin,ymax),(xmin,ymin),(xmax,ymin),(xmax,ymax) */
		double l = g->loose ? it->v[0] : to_i32(it->v[0]), t = g->loose ? it->v[1] : to_i32(it->v[1]);
		double r = g->loose ? it->v[2] : to_i32(it->v[2]), b = g->loose ? it->v[3] : to_i32(it->v[3]);
		it->p[0] = (tl_point){ l, b };
		it->p[1] = (tl_point){ l, t };
		it->p[2] = (tl_point){ r, t };
		it->p[3] = (tl_point){ r, b };
	} else {
		for (int i = 0; i < 4; i++) {
			it->p[i].x = g->loose ? it->v[2 * i] : to_i32(it->v[2 * i]);
			it->p[i].y = g->loose ? it->v[2 * i + 1] : to_i32(it->v[2 * i + 1]);
		}
	}
	it->np = 4;
	ev_item_bbox(it);
}

void ev_item_bbox(ev_item *it)
{
	if (it->np < 1) {
		memset(it->bb, 0, sizeof it->bb);
		return;
	}
	it->bb[0] = it->bb[2] = it->p[0].x;
	it->bb[1] = it->bb[3] = it->p[0].y;
	for (int i = 1; i < it->np; i++) {
		if (it->p[i].x < it->bb[0])
			it->bb[0] = it->p[i].x;
		if (it->p[i].x > it->bb[2])
			it->bb[2] = it->p[i].x;
		if (it->p[i].y < it->bb[1])
			it->bb[1] = it->p[i].y;
		if (it->p[i].y > it->bb[3])
			it->bb[3] = it->p[i].y;
	}
}

double ev_inter(const ev_item *a, const ev_item *b)
{
	if (a->bb[2] <= b->bb[0] || b->bb[2] <= a->bb[0] || a->bb[3] <= b->bb[1] ||
	    b->bb[3] <= a->bb[1])
		return 0;
	/* -1 is out of memory (items have at most EV_MAXPTS points): the protocols have
	 * no way to report it here, and counting no overlap is what they did before */
	double v = tl_clip_inter(a->p, (size_t)a->np, b->p, (size_t)b->np);
	return v < 0 ? 0 : v;
}

int ev_parse(const char *data, size_t len, const ev_grammar *g, ev_list *out, char **msg,
	     long *lineno)
{
	const char *p = data, *end = data + len;
	char *line = NULL;
	size_t lcap = 0;
	long ln = 0;
	int rc = TL_OK;
	*msg = NULL;
	out->n = 0;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		ln++;
		/* line.replace("\r", ""): every CR goes, not just a trailing one */
		size_t n = (size_t)(le - p);
		if (n + 1 > lcap) {
			char *nb = realloc(line, n + 1);
			if (!nb) {
				rc = TL_E_NOMEM;
				break;
			}
			line = nb;
			lcap = n + 1;
		}
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (p[i] != '\r')
				line[m++] = p[i];
		line[m] = 0;
		p = nl ? nl + 1 : end;
		if (m == 0)
			continue;
		ev_item it;
		if (g->loose) {
			if (!loose_line(line, line + m, g, &it))
				continue;
		} else {
			char *e = rrc_line(line, line + m, g, &it);
			if (e) {
				*msg = xstrdup_printf("Line: %s Error: %s", line, e);
				free(e);
				*lineno = ln;
				rc = *msg ? TL_E_INPUT : TL_E_NOMEM;
				break;
			}
		}
		it.line = ln;
		build_polygon(&it, g);
		it.area = tl_clip_raw_area(it.p, it.np);
		it.varea = it.area;
		if (out->n == out->cap) {
			size_t nc = out->cap ? out->cap * 2 : 32;
			if (nc > TL_MAX_REGIONS) {
				rc = TL_E_LIMIT;
				*msg = xstrdup_printf("more than %u regions in one file", TL_MAX_REGIONS);
				*lineno = ln;
				break;
			}
			ev_item *ni = realloc(out->items, nc * sizeof *ni);
			if (!ni) {
				rc = TL_E_NOMEM;
				break;
			}
			out->items = ni;
			out->cap = nc;
		}
		out->items[out->n++] = it;
	}
	free(line);
	return rc;
}
