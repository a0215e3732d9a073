/* text.c — shared reading and writing utilities for the annotation formats. */
#include "tl_internal.h"
#include "text.h"
#include <errno.h>   /* errno, ERANGE for strtod */
#include <math.h>    /* isfinite, rint, fabs */
#include <stdio.h>   /* snprintf */

/* Coordinates beyond 2^53 cannot be integers exactly and make areas meaningless;
 * they are refused as out of range (this also catches 1e308). */
#define MAX_ABS_NUM 9007199254740992.0

/* ---- lines ---- */

void tl_lines_init(tl_lines *it, const char *data, size_t len)
{
	memset(it, 0, sizeof *it);
	it->p = data;
	it->end = data + len;
	if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
	    (unsigned char)data[2] == 0xBF) {
		it->p += 3;
		it->had_bom = 1;
	}
}

int tl_lines_next(tl_lines *it, const char **s, size_t *n)
{
	if (it->p >= it->end)
		return 0;
	const char *b = it->p, *q = b;
	/* Most lines are short and ASCII: a plain scan beats two memchr calls. */
	while (q < it->end && *q != '\n' && *q != '\r')
		q++;
	*s = b;
	*n = (size_t)(q - b);
	if (q < it->end) {
		if (*q == '\r' && q + 1 < it->end && q[1] == '\n') {
			it->crlf++;
			q += 2;
		} else {
			if (*q == '\r')
				it->cr++;
			else
				it->lf++;
			q++;
		}
	}
	it->p = q;
	it->lineno++;
	return 1;
}

int tl_probe_line(tl_lines *it, int judged, const char **s, size_t *n)
{
	if (judged >= 20)
		return 0;
	while (tl_lines_next(it, s, n))
		if (*n)
			return 1;
	return 0;
}

int tl_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\f' && s[i] != '\v')
			return 0;
	return 1;
}

/* ---- encoding ---- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if the bytes there are not
 * one. NUL is refused: it would cut a C string short. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && s[1] >= 0xA0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0; /* overlong */
		if (c == 0xF4 && s[1] >= 0x90)
			return 0; /* above U+10FFFF */
		return 4;
	}
	return 0;
}

size_t tl_utf8_valid_prefix(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		/* ASCII fast path, eight bytes at a time. */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			/* a zero byte anywhere in w? */
			if ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		size_t k = utf8_seq(s + i, n - i);
		if (!k)
			return i;
		i += k;
	}
	return n;
}

int tl_latin1_to_utf8(tl_buf *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x80)
			continue;
		TL_TRY(tl_buf_append(out, s + run, i - run));
		char two[2] = { (char)(0xC0 | (s[i] >> 6)), (char)(0x80 | (s[i] & 0x3F)) };
		TL_TRY(tl_buf_append(out, two, 2));
		run = i + 1;
	}
	return tl_buf_append(out, s + run, n - run);
}

#define MAX_ENCODING_DIAGS 20

/* Advances (line, col) over data[from..to) with the line rules of tl_lines. */
static void advance_pos(const char *data, size_t from, size_t to, long *line, long *col)
{
	for (size_t i = from; i < to; i++) {
		if (data[i] == '\n' || (data[i] == '\r' && !(i + 1 < to && data[i + 1] == '\n'))) {
			(*line)++;
			*col = 1;
		} else if (data[i] != '\r') {
			(*col)++;
		}
	}
}

int tl_text_prepare(const char *path, const char *data, size_t len, int latin1,
		    tl_diags *d, char **out, size_t *outlen, size_t *skip)
{
	*out = NULL;
	*outlen = 0;
	*skip = 0;
	if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
	    (unsigned char)data[2] == 0xBF)
		*skip = 3;
	const char *s = data + *skip;
	size_t n = len - *skip;
	tl_buf b = TL_BUF_INIT;
	int bad = 0;
	size_t nbad = 0;
	long line = 1, col = 1;
	size_t pos = 0, done = 0; /* done: bytes of s already copied into b */
	while (pos < n) {
		size_t k;
		if (latin1) {
			/* Every byte is a character in latin1; only NUL is refused. */
			const char *z = memchr(s + pos, 0, n - pos);
			k = z ? (size_t)(z - (s + pos)) : n - pos;
		} else {
			k = tl_utf8_valid_prefix(s + pos, n - pos);
		}
		if (pos + k >= n)
			break;
		size_t at = pos + k;
		advance_pos(s, done > pos ? done : pos, at, &line, &col);
		if (latin1) {
			if (tl_latin1_to_utf8(&b, s + done, at - done))
				goto nomem;
		} else if (tl_buf_append(&b, s + done, at - done)) {
			goto nomem;
		}
		/* One diagnostic per run of bad bytes. */
		size_t end = at + 1;
		while (end < n && (latin1 ? s[end] == 0
					  : utf8_seq((const unsigned char *)s + end, n - end) == 0))
			end++;
		if (nbad < MAX_ENCODING_DIAGS) {
			if (s[at] == 0)
				tl_diags_add(d, TL_ERROR, path, line, col, "encoding",
					     "NUL byte at byte %zu", at + *skip);
			else
				tl_diags_add(d, TL_ERROR, path, line, col, "encoding",
					     "invalid UTF-8 at byte %zu (0x%02x); use --encoding latin1 "
					     "for ISO-8859-1 text",
					     at + *skip, (unsigned char)s[at]);
		}
		nbad++;
		for (size_t i = at; i < end; i++)
			if (tl_buf_append(&b, "\xEF\xBF\xBD", 3))
				goto nomem;
		advance_pos(s, at, end, &line, &col);
		bad = 1;
		pos = done = end;
	}
	if (nbad > MAX_ENCODING_DIAGS)
		tl_diags_add(d, TL_ERROR, path, 0, 0, "encoding",
			     "%zu more runs of invalid bytes not shown", nbad - MAX_ENCODING_DIAGS);
	if (!bad && !latin1)
		return TL_OK; /* the input is clean as it is */
	if (latin1) {
		if (tl_latin1_to_utf8(&b, s + done, n - done))
			goto nomem;
	} else if (tl_buf_append(&b, s + done, n - done)) {
		goto nomem;
	}
	if (!b.data && tl_buf_append(&b, "", 0))
		goto nomem;
	*out = b.data;
	*outlen = b.len;
	return bad ? TL_E_INPUT : TL_OK;
nomem:
	tl_buf_free(&b);
	return TL_E_NOMEM;
}

/* ---- numbers ---- */

const char *tl_num_status_str(int st)
{
	switch (st) {
	case TL_NUM_OK: return "ok";
	case TL_NUM_EMPTY: return "missing number";
	case TL_NUM_SYNTAX: return "not a number";
	case TL_NUM_NOT_INT: return "not an integer (use --lenient to accept real numbers)";
	case TL_NUM_RANGE: return "number out of range";
	case TL_NUM_NONFINITE: return "NaN or infinite number";
	case TL_NUM_NEGATIVE: return "negative number";
	case TL_NUM_TOO_LONG: return "number too long";
	}
	return "bad number";
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int lower(char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Case-insensitive: does s[0..n) (after a sign) spell nan or inf(inity)? */
static int is_nonfinite_word(const char *s, size_t n)
{
	if (n && (*s == '-' || *s == '+')) {
		s++;
		n--;
	}
	static const char *const words[] = { "nan", "inf", "infinity" };
	for (size_t w = 0; w < TL_ARRAY_LEN(words); w++) {
		size_t k = strlen(words[w]);
		if (n < k)
			continue;
		size_t i = 0;
		while (i < k && lower(s[i]) == words[w][i])
			i++;
		/* "nan(...)" is a NaN too for strtod */
		if (i == k && (n == k || (w == 0 && s[k] == '(')))
			return 1;
	}
	return 0;
}

/* A C decimal real: [-+]?(digits[.digits]|.digits)([eE][-+]?digits)? */
static int is_decimal_real(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < n && is_digit(s[i])) {
		i++;
		digits++;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i])) {
			i++;
			digits++;
		}
	}
	if (!digits)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t e = 0;
		while (i < n && is_digit(s[i])) {
			i++;
			e++;
		}
		if (!e)
			return 0;
	}
	return i == n;
}

int tl_parse_num(const char *s, size_t n, int lenient, double *out)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n)
		return TL_NUM_EMPTY;
	if (n > 64)
		return TL_NUM_TOO_LONG;
	/* The strict RRC grammar first: -?[0-9]+ , parsed by hand (this is the hot path). */
	size_t i = 0;
	int neg = 0;
	if (s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i < n) {
		uint64_t v = 0;
		size_t j = i;
		while (j < n && is_digit(s[j])) {
			if (v > 900719925474099ull * 10 + 9) /* stays below 2^63 while we go on */
				v = UINT64_MAX / 2;
			else
				v = v * 10 + (uint64_t)(s[j] - '0');
			j++;
		}
		if (j == n) {
			if (v > (uint64_t)MAX_ABS_NUM)
				return TL_NUM_RANGE;
			*out = neg ? -(double)v : (double)v;
			return TL_NUM_OK;
		}
	}
	if (is_nonfinite_word(s, n))
		return TL_NUM_NONFINITE;
	if (!is_decimal_real(s, n))
		return TL_NUM_SYNTAX;
	if (!lenient)
		return TL_NUM_NOT_INT;
	char tmp[72];
	memcpy(tmp, s, n);
	tmp[n] = 0;
	errno = 0;
	char *end;
	double v = strtod(tmp, &end);
	if (end != tmp + n)
		return TL_NUM_SYNTAX;
	if (!isfinite(v) || fabs(v) > MAX_ABS_NUM)
		return TL_NUM_RANGE;
	*out = v; /* an underflow to 0 or a subnormal is a fine coordinate */
	return TL_NUM_OK;
}

/* ---- fields ---- */

size_t tl_split_commas(const char *s, size_t n, size_t max, const char **start,
		       size_t *len, const char **rest)
{
	size_t k = 0;
	const char *p = s, *end = s + n;
	while (k < max) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (!c)
			break;
		start[k] = p;
		len[k] = (size_t)(c - p);
		k++;
		p = c + 1;
	}
	*rest = p;
	return k;
}

static int is_py_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The quoted inner part of s[0..n) (trimmed), or NULL when it is not quoted. */
static const char *quoted_inner(const char *s, size_t n, size_t *inner_len)
{
	while (n && is_py_space(*s)) {
		s++;
		n--;
	}
	while (n && is_py_space(s[n - 1]))
		n--;
	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return NULL;
	*inner_len = n - 2;
	return s + 1;
}

char *tl_rrc_unquote(tl_dataset *ds, const char *s, size_t n)
{
	size_t m;
	const char *in = quoted_inner(s, n, &m);
	if (!in)
		return tl_dataset_strndup(ds, s, n);
	char *r = tl_dataset_strndup(ds, in, m);
	if (!r)
		return NULL;
	/* Pass 1: "\\\\" -> "\\", left to right, non-overlapping (Python str.replace). */
	size_t w = 0;
	for (size_t i = 0; i < m; i++) {
		if (r[i] == '\\' && i + 1 < m && r[i + 1] == '\\')
			i++;
		r[w++] = r[i];
	}
	m = w;
	/* Pass 2: "\\\"" -> "\"". */
	w = 0;
	for (size_t i = 0; i < m; i++) {
		if (r[i] == '\\' && i + 1 < m && r[i + 1] == '"')
			i++;
		r[w++] = r[i];
	}
	r[w] = 0;
	return r;
}

int tl_rrc_needs_quotes(const char *text)
{
	size_t m;
	return quoted_inner(text, strlen(text), &m) != NULL;
}

int tl_rrc_put_quoted(tl_buf *b, const char *text)
{
	TL_TRY(tl_buf_append(b, "\"", 1));
	const char *run = text;
	for (const char *p = text; *p; p++) {
		if (*p != '\\' && *p != '"')
			continue;
		TL_TRY(tl_buf_append(b, run, (size_t)(p - run)));
		TL_TRY(tl_buf_append(b, "\\", 1));
		run = p;
	}
	TL_TRY(tl_buf_puts(b, run));
	return tl_buf_append(b, "\"", 1);
}

int tl_buf_int_coord(tl_buf *b, double v, int *rounded)
{
	double r = rint(v); /* default rounding mode: half to even */
	if (rounded)
		*rounded = r != v;
	if (!(fabs(r) <= MAX_ABS_NUM))
		r = 0; /* unreachable for parsed input; keeps the cast defined */
	long long x = (long long)r;
	char tmp[24];
	char *p = tmp + sizeof tmp;
	unsigned long long u = x < 0 ? 0ull - (unsigned long long)x : (unsigned long long)x;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (x < 0)
		*--p = '-';
	return tl_buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* ---- JSON ---- */

cJSON *tl_json_parse(const char *data, size_t n, long *line, long *col)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(data, n, &end, 0);
	if (j)
		return j;
	long l = 1, c = 1;
	if (end && end >= data && end <= data + n)
		advance_pos(data, 0, (size_t)(end - data), &l, &c);
	if (line)
		*line = l;
	if (col)
		*col = c;
	return NULL;
}

int tl_json_finite(const cJSON *item, double *out)
{
	if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble) ||
	    fabs(item->valuedouble) > MAX_ABS_NUM)
		return 0;
	*out = item->valuedouble;
	return 1;
}

int tl_json_points(tl_dataset *ds, const cJSON *arr, tl_point **pts, size_t *n,
		   const char **why)
{
	*pts = NULL;
	*n = 0;
	if (!cJSON_IsArray(arr)) {
		*why = "points is not an array";
		return TL_E_INPUT;
	}
	size_t cnt = 0;
	for (const cJSON *e = arr->child; e; e = e->next)
		if (++cnt > 2 * (size_t)TL_MAX_POINTS) {
			*why = "too many points";
			return TL_E_INPUT;
		}
	int pairs = arr->child && cJSON_IsArray(arr->child);
	size_t np = pairs ? cnt : cnt / 2;
	if (!pairs && cnt % 2) {
		*why = "odd number of coordinates";
		return TL_E_INPUT;
	}
	if (np > TL_MAX_POINTS) {
		*why = "too many points";
		return TL_E_INPUT;
	}
	tl_point *p = tl_dataset_points(ds, np ? np : 1);
	if (!p)
		return TL_E_NOMEM;
	size_t k = 0;
	for (const cJSON *e = arr->child; e; e = e->next) {
		if (pairs) {
			const cJSON *x = cJSON_IsArray(e) ? e->child : NULL;
			const cJSON *y = x ? x->next : NULL;
			if (!x || !y || y->next) {
				*why = "a point is not an [x, y] pair";
				return TL_E_INPUT;
			}
			if (!tl_json_finite(x, &p[k].x) || !tl_json_finite(y, &p[k].y)) {
				*why = "a coordinate is not a finite number";
				return TL_E_INPUT;
			}
			k++;
		} else {
			double v;
			if (!tl_json_finite(e, &v)) {
				*why = cJSON_IsArray(e) ? "mixed flat and paired points"
							: "a coordinate is not a finite number";
				return TL_E_INPUT;
			}
			if (k % 2 == 0)
				p[k / 2].x = v;
			else
				p[k / 2].y = v;
			k++;
		}
	}
	*pts = p;
	*n = np;
	return TL_OK;
}

static int name_in(const char *name, const char *const *list)
{
	if (!list || !name)
		return 0;
	for (; *list; list++)
		if (!strcmp(name, *list))
			return 1;
	return 0;
}

/* Appends "name": value (value printed compactly by cJSON). */
static int put_member(tl_buf *b, const cJSON *e)
{
	TL_TRY(tl_buf_json_string(b, e->string ? e->string : ""));
	TL_TRY(tl_buf_append(b, ": ", 2));
	char *v = cJSON_PrintUnformatted(e);
	if (!v)
		return TL_E_NOMEM;
	int rc = tl_buf_puts(b, v);
	cJSON_free(v);
	return rc;
}

char *tl_json_extra(tl_dataset *ds, const cJSON *obj, const char *const *known, int *nomem)
{
	*nomem = 0;
	if (!cJSON_IsObject(obj))
		return NULL;
	tl_buf b = TL_BUF_INIT;
	size_t k = 0;
	for (const cJSON *e = obj->child; e; e = e->next) {
		if (name_in(e->string, known))
			continue;
		if (tl_buf_puts(&b, k++ ? ", " : "{") || put_member(&b, e))
			goto nomem;
	}
	if (!k)
		return NULL;
	if (tl_buf_puts(&b, "}"))
		goto nomem;
	char *r = tl_dataset_strndup(ds, b.data, b.len);
	tl_buf_free(&b);
	if (!r)
		*nomem = 1;
	return r;
nomem:
	tl_buf_free(&b);
	*nomem = 1;
	return NULL;
}

int tl_json_put_tree_members(tl_buf *b, const cJSON *obj, const char *sep,
			     const char *const *skip)
{
	if (!cJSON_IsObject(obj))
		return TL_OK;
	for (const cJSON *e = obj->child; e; e = e->next) {
		if (name_in(e->string, skip))
			continue;
		TL_TRY(tl_buf_puts(b, sep));
		TL_TRY(put_member(b, e));
	}
	return TL_OK;
}

int tl_json_put_members(tl_buf *b, const char *extra, const char *sep,
			const char *const *skip)
{
	if (!extra || !extra[0])
		return TL_OK;
	/* an extra that is no JSON object carries nothing */
	cJSON *j = cJSON_Parse(extra);
	int rc = tl_json_put_tree_members(b, j, sep, skip);
	cJSON_Delete(j);
	return rc;
}

cJSON *tl_json_extra_get(const char *extra, const char *name)
{
	if (!extra)
		return NULL;
	cJSON *j = cJSON_Parse(extra);
	if (!j)
		return NULL;
	cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(j, name);
	cJSON_Delete(j);
	return v;
}

/* ---- writing helpers ---- */

const char *tl_dc_text(const tl_region *r, const char *const *alt)
{
	if (!r->dontcare)
		return r->text;
	if (!strcmp(r->text, "###") || name_in(r->text, alt))
		return r->text;
	return "###";
}

int tl_same_format(const tl_dataset *ds, const char *name)
{
	return ds->format && name && !strcmp(ds->format, name);
}

int tl_quad_points(const tl_region *r, size_t k, const char *imname, const char *who,
		   tl_diags *d, tl_point p[4])
{
	size_t n = tl_geom_points(&r->geom, p, 4);
	if (n == 4)
		return 1;
	tl_diags_add(d, TL_ERROR, imname, 0, 0, "shape",
		     "region %zu has %zu points; %s quadrilaterals (convert with --shape quad)",
		     k + 1, n, who);
	return 0;
}

int tl_poly_points(const tl_region *r, size_t k, const char *imname, tl_diags *d,
		   tl_point small[4], tl_point **p, size_t *n)
{
	*p = small;
	*n = tl_geom_points(&r->geom, small, 4);
	if (*n < 3) {
		tl_diags_add(d, TL_ERROR, imname, 0, 0, "shape", "region %zu has %zu points",
			     k + 1, *n);
		return TL_E_INPUT;
	}
	if (*n > 4) {
		*p = malloc(*n * sizeof **p);
		if (!*p)
			return TL_E_NOMEM;
		tl_geom_points(&r->geom, *p, *n);
	}
	return TL_OK;
}

/* ---- naming ---- */

static const char *const image_exts[] = { ".jpg", ".jpeg", ".png", ".tif", ".tiff",
					  ".bmp", ".gif", ".webp", NULL };

const char *const tl_gt_prefixes[] = { "gt_", NULL };

int tl_gt_file_for_image(const char *image, tl_buf *out)
{
	return tl_name_from_image(image, "gt_", ".txt", out);
}

int tl_gt_image_for_file(const char *file, tl_buf *out)
{
	return tl_image_from_name(file, tl_gt_prefixes, out);
}

int tl_is_image_name(const char *name)
{
	for (size_t i = 0; image_exts[i]; i++)
		if (tl_has_suffix(name, image_exts[i]))
			return 1;
	return 0;
}

int tl_name_from_image(const char *image, const char *prefix, const char *suffix,
		       tl_buf *out)
{
	const char *base = tl_basename(image);
	size_t n = strlen(base);
	if (tl_is_image_name(base)) {
		const char *dot = strrchr(base, '.');
		n = (size_t)(dot - base);
	}
	out->len = 0;
	TL_TRY(tl_buf_puts(out, prefix));
	TL_TRY(tl_buf_append(out, base, n));
	return tl_buf_puts(out, suffix);
}

int tl_image_from_name(const char *file, const char *const *prefixes, tl_buf *out)
{
	const char *base = tl_basename(file);
	if (prefixes)
		for (; *prefixes; prefixes++) {
			size_t k = strlen(*prefixes);
			if (!strncmp(base, *prefixes, k) && base[k]) {
				base += k;
				break;
			}
		}
	size_t n = strlen(base);
	const char *dot = strrchr(base, '.');
	if (dot && dot != base && !tl_is_image_name(base))
		n = (size_t)(dot - base);
	out->len = 0;
	TL_TRY(tl_buf_append(out, base, n));
	if (out->data && tl_is_image_name(out->data))
		return TL_OK;
	return tl_buf_puts(out, ".jpg");
}

const char *tl_source_base(const char *path)
{
	const char *b = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '#')
			b = p + 1;
	return b;
}

tl_image *tl_begin_image(tl_dataset *ds, const char *path, const char *const *prefixes)
{
	tl_buf nm = TL_BUF_INIT;
	if (tl_image_from_name(tl_source_base(path), prefixes, &nm)) {
		tl_buf_free(&nm);
		return NULL;
	}
	tl_image *im = tl_dataset_add_image(ds, nm.data);
	tl_buf_free(&nm);
	if (im) {
		im->source = tl_dataset_strdup(ds, path);
		if (!im->source)
			return NULL;
	}
	return im;
}

int tl_rrc_numbers(const char *s, size_t n, size_t k, int lenient, double *v,
		   const char **rest, size_t *restn, size_t *field, long *col)
{
	const char *p = s, *end = s + n;
	for (size_t i = 0; i < k; i++) {
		if (p > end || (p == end && i > 0 && p[-1] != ',')) {
			*field = i;
			*col = (long)(p - s) + 1;
			return TL_NUM_EMPTY;
		}
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *fe = c ? c : end;
		int st = tl_parse_num(p, (size_t)(fe - p), lenient, &v[i]);
		if (st != TL_NUM_OK) {
			*field = i;
			*col = (long)(p - s) + 1;
			return st;
		}
		if (!c) {
			if (i + 1 < k) {
				*field = i + 1;
				*col = (long)n + 1;
				return TL_NUM_EMPTY;
			}
			*rest = NULL;
			*restn = 0;
			return TL_NUM_OK;
		}
		p = c + 1;
	}
	*rest = p;
	*restn = (size_t)(end - p);
	return TL_NUM_OK;
}

int tl_put_int_points(tl_buf *b, const tl_point *p, size_t n, int trailing_comma)
{
	for (size_t i = 0; i < n; i++) {
		TL_TRY(tl_buf_int_coord(b, p[i].x, NULL));
		TL_TRY(tl_buf_append(b, ",", 1));
		TL_TRY(tl_buf_int_coord(b, p[i].y, NULL));
		if (trailing_comma || i + 1 < n)
			TL_TRY(tl_buf_append(b, ",", 1));
	}
	return TL_OK;
}

int tl_put_line_text(tl_buf *b, const char *text, int force_quotes)
{
	size_t at = b->len;
	int rc = force_quotes || tl_rrc_needs_quotes(text) ? tl_rrc_put_quoted(b, text)
							   : tl_buf_puts(b, text);
	for (size_t i = at; rc == TL_OK && i < b->len; i++)
		if (b->data[i] == '\r' || b->data[i] == '\n')
			b->data[i] = ' ';
	return rc;
}

void tl_coord_error(tl_diags *d, const char *path, long line, long col, int st, size_t field,
		    size_t want)
{
	if (st == TL_NUM_EMPTY)
		tl_diags_add(d, TL_ERROR, path, line, col, "field-count",
			     "expected %zu coordinates, found %zu", want, field);
	else
		tl_diags_add(d, TL_ERROR, path, line, col, "bad-number", "coordinate %zu: %s",
			     field + 1, tl_num_status_str(st));
}

int tl_skip_blank_line(const char *s, size_t n, int lenient, tl_diags *d, const char *path,
		       long line, int *bad)
{
	if (!n)
		return 1;
	if (!tl_is_blank(s, n))
		return 0;
	if (!lenient) {
		tl_diags_add(d, TL_ERROR, path, line, 1, "blank-line",
			     "line of white space (use --lenient to skip it)");
		*bad = 1;
	}
	return 1;
}

/* ---- line readers ---- */

void tl_line_reader_init(tl_line_reader *lr, const char *data, size_t len, const char *path,
			 int lenient, tl_diags *d)
{
	memset(lr, 0, sizeof *lr);
	tl_lines_init(&lr->it, data, len);
	lr->path = path;
	lr->d = d;
	lr->lenient = lenient;
}

int tl_line_reader_next(tl_line_reader *lr)
{
	while (tl_lines_next(&lr->it, &lr->s, &lr->n))
		if (!tl_skip_blank_line(lr->s, lr->n, lr->lenient, lr->d, lr->path, lr->it.lineno,
					&lr->bad))
			return 1;
	return 0;
}

int tl_line_reader_coords(tl_line_reader *lr, size_t k, double *v)
{
	while (tl_line_reader_next(lr)) {
		size_t field;
		long col;
		int st = tl_rrc_numbers(lr->s, lr->n, k, lr->lenient, v, &lr->rest, &lr->restn,
					&field, &col);
		if (st == TL_NUM_OK)
			return 1;
		tl_coord_error(lr->d, lr->path, lr->it.lineno, col, st, field, k);
		lr->bad = 1;
	}
	return 0;
}

int tl_line_reader_check_rect(tl_line_reader *lr, const double v[4])
{
	if (!(v[2] < v[0] || v[3] < v[1]))
		return 1;
	tl_diags_add(lr->d, TL_ERROR, lr->path, lr->it.lineno, 1, "bad-rect",
		     "xmax < xmin or ymax < ymin");
	lr->bad = 1;
	return 0;
}

tl_region *tl_line_reader_region(tl_line_reader *lr, tl_dataset *ds, tl_image *im)
{
	tl_region *r = tl_image_add_region(ds, im);
	if (!r) {
		tl_diags_add(lr->d, TL_ERROR, lr->path, lr->it.lineno, 0, "limit",
			     "too many regions in one image");
		return NULL;
	}
	r->line = lr->it.lineno;
	return r;
}

int tl_region_set_quad8(tl_dataset *ds, tl_region *r, const double v[8])
{
	tl_point p[4] = { { v[0], v[1] }, { v[2], v[3] }, { v[4], v[5] }, { v[6], v[7] } };
	return tl_region_set_points(ds, r, TL_SHAPE_QUAD, p, 4);
}

void tl_region_set_ltrb(tl_region *r, const double v[4], int inclusive)
{
	double inc = inclusive ? 1 : 0;
	r->geom.shape = TL_SHAPE_RECT;
	r->geom.rect = (tl_rect){ v[0], v[1], v[2] + inc, v[3] + inc };
}

int tl_region_set_rrc_text(tl_dataset *ds, tl_region *r, const char *text, size_t n)
{
	r->text = text ? tl_rrc_unquote(ds, text, n) : "";
	return r->text ? TL_OK : TL_E_NOMEM;
}
