/* ds6util.c — helpers shared by the non-ICDAR dataset formats (see ds6util.h). */
#include "tl_internal.h"
#include "ds6util.h"
#include "text.h"     /* tl_source_base */
#include <math.h>    /* fabs, floor, cos, sin, isfinite */
#include <stdio.h>   /* snprintf */

/* ---- lines ---- */

void ds6_lines_init(ds6_lines *it, const char *data, size_t len)
{
	it->p = data;
	it->end = data + len;
	it->no = 0;
	if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
	    (unsigned char)data[2] == 0xBF)
		it->p += 3;
}

int ds6_lines_next(ds6_lines *it, const char **s, size_t *n)
{
	if (it->p >= it->end)
		return 0;
	const char *q = it->p;
	while (q < it->end && *q != '\n' && *q != '\r')
		q++;
	*s = it->p;
	*n = (size_t)(q - it->p);
	if (q < it->end && *q == '\r') {
		q++;
		if (q < it->end && *q == '\n')
			q++;
	} else if (q < it->end) {
		q++;
	}
	it->p = q;
	it->no++;
	return 1;
}

int ds6_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* ---- numbers ---- */

int ds6_num(const char **p, const char *end, double *v)
{
	const char *s = *p;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	const char *start = s;
	if (s < end && (*s == '-' || *s == '+'))
		s++;
	size_t digits = 0;
	while (s < end && *s >= '0' && *s <= '9')
		s++, digits++;
	if (s < end && *s == '.') {
		s++;
		while (s < end && *s >= '0' && *s <= '9')
			s++, digits++;
	}
	if (!digits)
		return 0;
	if (s < end && (*s == 'e' || *s == 'E')) {
		const char *e = s + 1;
		if (e < end && (*e == '-' || *e == '+'))
			e++;
		if (e < end && *e >= '0' && *e <= '9') {
			while (e < end && *e >= '0' && *e <= '9')
				e++;
			s = e;
		}
	}
	/* strtod needs a terminated copy: the token may end at a line end that is
	 * not followed by a NUL. Tokens longer than the buffer are refused. */
	char tmp[64];
	size_t len = (size_t)(s - start);
	if (len >= sizeof tmp)
		return 0;
	memcpy(tmp, start, len);
	tmp[len] = 0;
	double x = strtod(tmp, NULL);
	if (!isfinite(x))
		return 0;
	*v = x;
	*p = s;
	return 1;
}

int ds6_char(const char **p, const char *end, char c)
{
	const char *s = *p;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s < end && *s == c) {
		*p = s + 1;
		return 1;
	}
	return 0;
}

int ds6_put_num(tl_buf *b, double v)
{
	char tmp[48];
	if (v == 0)
		return tl_buf_puts(b, "0");
	if (fabs(v) < 1e15 && v == floor(v))
		return tl_buf_printf(b, "%.0f", v);
	/* The shortest %.Ng that reads back exactly; exponent notation only where %g
	 * needs it anyway (very large or very small values). */
	int plain = fabs(v) >= 1e-5 && fabs(v) < 1e15;
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (plain && strchr(tmp, 'e') && prec < 17)
			continue;
		if (strtod(tmp, NULL) == v)
			break;
	}
	return tl_buf_puts(b, tmp);
}

int ds6_csv_nums(const char *s, size_t n, size_t max, ds6_nums *out, const char **rest)
{
	const char *p = s, *end = s + n;
	out->n = 0;
	*rest = NULL;
	while (p <= end && out->n < max) {
		const char *q = p;
		double v;
		if (!ds6_num(&q, end, &v))
			break;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && *q != ',')
			break;
		if (tl_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
			return TL_E_NOMEM;
		out->v[out->n++] = v;
		if (q >= end) {
			p = NULL;
			break;
		}
		p = q + 1;
	}
	*rest = p;
	return TL_OK;
}

int ds6_put_line_text(tl_buf *b, const char *text, int *changed)
{
	for (const char *p = text; *p; p++) {
		char c = *p;
		if (c == '\r' || c == '\n') {
			c = ' ';
			if (changed)
				*changed = 1;
		}
		TL_TRY(tl_buf_append(b, &c, 1));
	}
	return TL_OK;
}

int ds6_same(const tl_dataset *ds, const char *name)
{
	return ds && ds->format && !strcmp(ds->format, name);
}

/* ---- text ---- */

static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned min;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	unsigned cp = c & (0x3F >> (len - 1));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

char *ds6_text(tl_dataset *ds, const char *s, size_t n, int *bad)
{
	if (n > (SIZE_MAX - 1) / 3)
		return NULL;
	char *out = tl_dataset_alloc(ds, n * 3 + 1);
	if (!out)
		return NULL;
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_seq(u + i, n - i);
		if (k == 0) {
			out[o++] = (char)0xEF;
			out[o++] = (char)0xBF;
			out[o++] = (char)0xBD;
			if (bad)
				*bad = 1;
			i++;
		} else {
			memcpy(out + o, u + i, k);
			o += k;
			i += k;
		}
	}
	out[o] = 0;
	return out;
}

/* ---- JSON ---- */

cJSON *ds6_json_parse(const char *path, const char *data, size_t len, tl_diags *d)
{
	const char *end = NULL;
	size_t skip = 0;
	if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
	    (unsigned char)data[2] == 0xBF)
		skip = 3;
	cJSON *root = cJSON_ParseWithLengthOpts(data + skip, len - skip, &end, 0);
	if (root) {
		/* Trailing garbage after the value is an error too. */
		const char *e = end;
		while (e && e < data + len && (*e == ' ' || *e == '\t' || *e == '\n' || *e == '\r'))
			e++;
		if (!e || e >= data + len || !*e)
			return root;
		cJSON_Delete(root);
		end = e;
	}
	long line = 1, col = 1;
	if (!end || end < data || end > data + len)
		end = data + len;
	for (const char *p = data; p < end; p++) {
		if (*p == '\n')
			line++, col = 1;
		else
			col++;
	}
	tl_diags_add(d, TL_ERROR, path, line, col, "bad-json", "malformed JSON");
	return NULL;
}

const char *ds6_json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int ds6_json_num(const cJSON *o, const char *key, double *v)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsNumber(x))
		return 0;
	*v = x->valuedouble;
	return 1;
}

int ds6_json_truthy(const cJSON *o, const char *key)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
	if (cJSON_IsTrue(x))
		return 1;
	return cJSON_IsNumber(x) && x->valuedouble != 0;
}

static int json_xy(const cJSON *v, double *out)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return 0;
	*out = v->valuedouble;
	return 1;
}

int ds6_json_pairs(tl_dataset *ds, const cJSON *a, tl_point **pts, size_t *n)
{
	if (!cJSON_IsArray(a))
		return TL_E_INPUT;
	size_t k = (size_t)cJSON_GetArraySize(a);
	if (k > TL_MAX_POINTS)
		return TL_E_INPUT;
	tl_point *p = tl_dataset_points(ds, k ? k : 1);
	if (!p)
		return TL_E_NOMEM;
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, a) {
		if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2 ||
		    !json_xy(cJSON_GetArrayItem(e, 0), &p[i].x) ||
		    !json_xy(cJSON_GetArrayItem(e, 1), &p[i].y))
			return TL_E_INPUT;
		i++;
	}
	*pts = p;
	*n = k;
	return TL_OK;
}

int ds6_json_flat(tl_dataset *ds, const cJSON *a, tl_point **pts, size_t *n)
{
	if (!cJSON_IsArray(a))
		return TL_E_INPUT;
	size_t k = (size_t)cJSON_GetArraySize(a);
	if (k % 2 || k / 2 > TL_MAX_POINTS)
		return TL_E_INPUT;
	tl_point *p = tl_dataset_points(ds, k / 2 ? k / 2 : 1);
	if (!p)
		return TL_E_NOMEM;
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, a) {
		double v;
		if (!json_xy(e, &v))
			return TL_E_INPUT;
		if (i % 2)
			p[i / 2].y = v;
		else
			p[i / 2].x = v;
		i++;
	}
	*pts = p;
	*n = k / 2;
	return TL_OK;
}

void ds6_set_poly(tl_region *r, tl_point *pts, size_t n)
{
	r->geom.shape = n == 4 ? TL_SHAPE_QUAD : TL_SHAPE_POLY;
	r->geom.pts = pts;
	r->geom.n = n;
}

static int is_known(const char *key, const char *const *known)
{
	for (; known && *known; known++)
		if (key && !strcmp(key, *known))
			return 1;
	return 0;
}

int ds6_json_first(const cJSON *o, const cJSON *e)
{
	return !e->string || cJSON_GetObjectItemCaseSensitive(o, e->string) == e;
}

const char *ds6_json_extra(tl_dataset *ds, const cJSON *o, const char *const *known,
			   int *nomem)
{
	if (!cJSON_IsObject(o))
		return NULL;
	cJSON *x = NULL;
	const cJSON *e;
	cJSON_ArrayForEach(e, o) {
		if (is_known(e->string, known))
			continue;
		/* a repeated key: the first one is the one readers see */
		if (e->string && cJSON_GetObjectItemCaseSensitive(o, e->string) != e)
			continue;
		if (!x && !(x = cJSON_CreateObject()))
			goto oom;
		cJSON *c = cJSON_Duplicate(e, 1);
		if (!c || !cJSON_AddItemToObject(x, e->string ? e->string : "", c)) {
			cJSON_Delete(c);
			goto oom;
		}
	}
	if (!x)
		return NULL;
	char *txt = cJSON_PrintUnformatted(x);
	cJSON_Delete(x);
	if (!txt)
		goto oom;
	char *s = tl_dataset_strdup(ds, txt);
	cJSON_free(txt);
	if (!s)
		goto oom;
	return s;
oom:
	cJSON_Delete(x);
	if (nomem)
		*nomem = 1;
	return NULL;
}

int ds6_json_add_extra(cJSON *o, const char *extra)
{
	if (!extra)
		return 0;
	cJSON *x = cJSON_Parse(extra);
	if (!cJSON_IsObject(x)) {
		cJSON_Delete(x);
		return 0;
	}
	while (x->child) {
		cJSON *c = cJSON_DetachItemViaPointer(x, x->child);
		if (c->string && cJSON_GetObjectItemCaseSensitive(o, c->string)) {
			cJSON_Delete(c);
			continue;
		}
		/* cJSON copies the key before it frees the item's own copy. */
		if (!cJSON_AddItemToObject(o, c->string ? c->string : "", c)) {
			cJSON_Delete(c);
			cJSON_Delete(x);
			return -1;
		}
	}
	cJSON_Delete(x);
	return 0;
}

cJSON *ds6_extra_get(const char *extra, const char *key)
{
	if (!extra)
		return NULL;
	cJSON *x = cJSON_Parse(extra);
	if (!cJSON_IsObject(x)) {
		cJSON_Delete(x);
		return NULL;
	}
	cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(x, key);
	cJSON_Delete(x);
	return v;
}

/* A number as raw JSON text in its shortest exact form: cJSON's own printing keeps
 * 15 digits when 15 are within an epsilon, which moves coordinates by an ulp. */
cJSON *ds6_json_num_new(double v)
{
	if (!isfinite(v))
		return cJSON_CreateNull();
	tl_buf b = TL_BUF_INIT;
	cJSON *item = ds6_put_num(&b, v) == TL_OK ? cJSON_CreateRaw(b.data) : NULL;
	tl_buf_free(&b);
	return item;
}

cJSON *ds6_json_pairs_new(const tl_point *p, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < n; i++) {
		cJSON *xy = cJSON_CreateArray();
		if (!xy || !cJSON_AddItemToArray(a, xy) ||
		    !cJSON_AddItemToArray(xy, ds6_json_num_new(p[i].x)) ||
		    !cJSON_AddItemToArray(xy, ds6_json_num_new(p[i].y))) {
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

cJSON *ds6_json_flat_new(const tl_point *p, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < n; i++)
		if (!cJSON_AddItemToArray(a, ds6_json_num_new(p[i].x)) ||
		    !cJSON_AddItemToArray(a, ds6_json_num_new(p[i].y))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

int ds6_json_emit(cJSON *root, tl_buf *out, int pretty)
{
	if (!root)
		return TL_E_NOMEM;
	char *txt = pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!txt)
		return TL_E_NOMEM;
	int rc = tl_buf_puts(out, txt);
	cJSON_free(txt);
	if (rc == TL_OK)
		rc = tl_buf_puts(out, "\n");
	return rc;
}

/* ---- geometry ---- */

size_t ds6_points(const tl_region *r, tl_point buf[4], const tl_point **out)
{
	const tl_geom *g = &r->geom;
	switch (g->shape) {
	case TL_SHAPE_QUAD:
	case TL_SHAPE_POLY:
		*out = g->pts;
		return g->pts ? g->n : 0;
	case TL_SHAPE_RECT:
		buf[0] = (tl_point){ g->rect.l, g->rect.t };
		buf[1] = (tl_point){ g->rect.r, g->rect.t };
		buf[2] = (tl_point){ g->rect.r, g->rect.b };
		buf[3] = (tl_point){ g->rect.l, g->rect.b };
		*out = buf;
		return 4;
	case TL_SHAPE_RBOX: {
		/* Corners of the unrotated box about the centre, turned by the angle
		 * (positive = clockwise on screen): at 0 they are TL, TR, BR, BL. */
		double a = g->rbox.angle * 3.14159265358979323846 / 180.0;
		double c = cos(a), s = sin(a), hw = g->rbox.w / 2, hh = g->rbox.h / 2;
		static const int sx[4] = { -1, 1, 1, -1 }, sy[4] = { -1, -1, 1, 1 };
		for (int i = 0; i < 4; i++) {
			double dx = sx[i] * hw, dy = sy[i] * hh;
			buf[i].x = g->rbox.cx + dx * c - dy * s;
			buf[i].y = g->rbox.cy + dx * s + dy * c;
		}
		*out = buf;
		return 4;
	}
	default:
		*out = NULL;
		return 0;
	}
}

tl_rect ds6_bounds(const tl_point *p, size_t n)
{
	tl_rect r = { 0, 0, 0, 0 };
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || p[i].x < r.l) r.l = p[i].x;
		if (i == 0 || p[i].x > r.r) r.r = p[i].x;
		if (i == 0 || p[i].y < r.t) r.t = p[i].y;
		if (i == 0 || p[i].y > r.b) r.b = p[i].y;
	}
	return r;
}

/* ---- names ---- */

/* out = the base name b without its last extension (a leading dot is no extension) */
static int stem_of(const char *b, tl_buf *out)
{
	const char *dot = strrchr(b, '.');
	size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
	out->len = 0;
	return tl_buf_append(out, b, n);
}

int ds6_stem(const char *path, tl_buf *out)
{
	return stem_of(tl_source_base(path), out);
}

int ds6_image_stem(const char *image, tl_buf *out)
{
	return stem_of(tl_basename(image), out);
}

int ds6_key(const char *image, tl_buf *out)
{
	size_t n = strlen(image);
	if (n >= 4 && !strcmp(image + n - 4, ".jpg"))
		n -= 4;
	out->len = 0;
	TL_TRY(tl_buf_append(out, image, n));
	return out->data ? TL_OK : tl_buf_puts(out, "");
}

int ds6_name_is(const char *path, const char *prefix, const char *suffix)
{
	const char *b = tl_source_base(path);
	size_t bl = strlen(b), pl = strlen(prefix), sl = strlen(suffix);
	if (bl < pl + sl || strncmp(b, prefix, pl))
		return 0;
	return !sl || tl_has_suffix(b, suffix);
}
