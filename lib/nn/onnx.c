/* onnx.c — ONNX model loading: a protobuf wire-format decoder and the graph it describes.
 *
 * The file is untrusted: every length is checked against the bytes that remain, every count
 * and dimension is bounded (nn_internal.h), names must resolve, and the graph must be acyclic.
 * Operators and attributes outside the supported set are refused by name and node. */
#include "tl_internal.h"
#include "nn_internal.h"

#include <stdio.h>
#include <math.h>

const char *const nn_op_names[OP_COUNT] = {
	"(removed)", "Conv", "ConvTranspose", "BatchNormalization", "Relu", "Clip", "HardSigmoid",
	"Sigmoid", "Add", "Mul", "Div", "GlobalAveragePool", "Resize", "Concat", "Constant",
	"HardSwish", "MulAdd", "AddResize",
};

/* ---- protobuf wire format ------------------------------------------------ */

typedef struct pb {
	const uint8_t *p, *end;
	const uint8_t *base;   /* start of the file, for offsets in messages */
} pb;

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };

static int pb_varint(pb *r, uint64_t *out)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end)
			return -1;
		uint8_t c = *r->p++;
		if (shift == 63 && (c & 0x7e))
			return -1;    /* more than 64 bits */
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

/* One field: its number, wire type, and either a scalar (v) or a sub-range (sub). */
typedef struct pb_field {
	uint32_t num;
	int wt;
	uint64_t v;
	pb sub;
} pb_field;

/* Returns 1 with a field, 0 at the end, -1 on malformed input. */
static int pb_next(pb *r, pb_field *f)
{
	if (r->p >= r->end)
		return 0;
	uint64_t key;
	if (pb_varint(r, &key) < 0)
		return -1;
	f->num = (uint32_t)(key >> 3);
	f->wt = (int)(key & 7);
	if (f->num == 0 || (key >> 3) > 0x1fffffff)
		return -1;
	switch (f->wt) {
	case WT_VARINT:
		return pb_varint(r, &f->v) < 0 ? -1 : 1;
	case WT_I64:
		if (r->end - r->p < 8)
			return -1;
		memcpy(&f->v, r->p, 8);
		r->p += 8;
		return 1;
	case WT_I32: {
		if (r->end - r->p < 4)
			return -1;
		uint32_t u;
		memcpy(&u, r->p, 4);
		f->v = u;
		r->p += 4;
		return 1;
	}
	case WT_LEN: {
		uint64_t len;
		if (pb_varint(r, &len) < 0 || len > (uint64_t)(r->end - r->p))
			return -1;
		f->sub.p = r->p;
		f->sub.end = r->p + len;
		f->sub.base = r->base;
		r->p += len;
		return 1;
	}
	default:
		return -1;   /* groups (3, 4) and reserved types are not used by ONNX */
	}
}

/* ---- errors -------------------------------------------------------------- */

static int merr(tl_model *m, tl_error *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int merr(tl_model *m, tl_error *err, const char *fmt, ...)
{
	char msg[480];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return tl_error_set(err, TL_E_MODEL, m->name, 0, 0, "%s", msg);
}

static int bad_pb(tl_model *m, tl_error *err, const pb *r, const char *what)
{
	return merr(m, err, "malformed protobuf in %s near byte %ld", what, (long)(r->p - r->base));
}

/* ---- small helpers --------------------------------------------------------- */

static char *dupn(const uint8_t *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int streq(pb s, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(s.end - s.p) == n && memcmp(s.p, lit, n) == 0;
}

/* Name table: open addressing over value indices. */
typedef struct ntab {
	int *slot;
	size_t cap;
} ntab;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (uint8_t)*s++) * 1099511628211ull;
	return h;
}

static int ntab_find(const ntab *t, const tl_model *m, const char *name)
{
	size_t i = hash_str(name) & (t->cap - 1);
	for (;;) {
		int v = t->slot[i];
		if (v < 0)
			return -1;
		if (strcmp(m->vals[v].name, name) == 0)
			return v;
		i = (i + 1) & (t->cap - 1);
	}
}

static void ntab_put(ntab *t, const tl_model *m, int v)
{
	size_t i = hash_str(m->vals[v].name) & (t->cap - 1);
	while (t->slot[i] >= 0)
		i = (i + 1) & (t->cap - 1);
	t->slot[i] = v;
}

/* ---- raw records collected in the first pass ------------------------------- */

typedef struct raw_attr {
	pb name;
	int type;            /* AttributeProto.AttributeType, or inferred from the fields seen */
	int has_f, has_i, has_s, has_t, nints, nfloats;
	float f;
	int64_t i;
	pb s, t;
	int64_t ints[16];
	float floats[16];
	int too_many;
	int other;           /* graphs, strings lists, sparse tensors ... */
} raw_attr;

typedef struct raw_node {
	pb op, name, domain;
	int nin, nout;
	pb in[NN_MAXIN], out[4];
	int nattr;
	raw_attr *attr;
} raw_node;

static int add_value(tl_model *m, size_t *cap, char *name, tl_error *err)
{
	if (!name)
		return -TL_E_NOMEM;
	if (m->nvals >= NN_MAX_VALUES) {
		free(name);
		merr(m, err, "more than %d tensors", NN_MAX_VALUES);
		return -TL_E_MODEL;
	}
	if (tl_grow((void **)&m->vals, cap, (size_t)m->nvals + 1, sizeof *m->vals) != TL_OK) {
		free(name);
		return -TL_E_NOMEM;
	}
	nn_value *v = &m->vals[m->nvals];
	memset(v, 0, sizeof *v);
	v->name = name;
	v->producer = -1;
	return m->nvals++;
}

/* Repeated scalars arrive packed (one length-delimited field) or one per field. */
static int read_repeated_i64(pb_field *f, int64_t *out, int max, int *n)
{
	if (f->wt == WT_VARINT) {
		if (*n >= max)
			return -2;
		out[(*n)++] = (int64_t)f->v;
		return 0;
	}
	if (f->wt != WT_LEN)
		return -1;
	pb r = f->sub;
	while (r.p < r.end) {
		uint64_t v;
		if (pb_varint(&r, &v) < 0)
			return -1;
		if (*n >= max)
			return -2;
		out[(*n)++] = (int64_t)v;
	}
	return 0;
}

static int read_repeated_f32(pb_field *f, float *out, int max, int *n)
{
	if (f->wt == WT_I32) {
		if (*n >= max)
			return -2;
		uint32_t u = (uint32_t)f->v;
		memcpy(&out[(*n)++], &u, 4);
		return 0;
	}
	if (f->wt != WT_LEN || (f->sub.end - f->sub.p) % 4)
		return -1;
	for (const uint8_t *p = f->sub.p; p < f->sub.end; p += 4) {
		if (*n >= max)
			return -2;
		memcpy(&out[(*n)++], p, 4);
	}
	return 0;
}

/* ---- tensors ----------------------------------------------------------------- */

/* Decodes a TensorProto into value v (dims, dtype, data). what names it in errors. */
static int parse_tensor(tl_model *m, pb r, nn_value *v, pb *name_out, const char *what,
			tl_error *err)
{
	pb_field f;
	int rc, dtype = 0, ndim = 0;
	int64_t dims[NN_MAXDIM];
	pb raw = { 0 }, fdata = { 0 }, idata = { 0 }, i32data = { 0 }, ddata = { 0 };
	int has_raw = 0, nf = 0, ni = 0, ni32 = 0, nd = 0, external = 0;
	pb name = { 0 };
	while ((rc = pb_next(&r, &f)) > 0) {
		switch (f.num) {
		case 1: { /* dims */
			int64_t tmp[NN_MAXDIM + 1];
			int n = 0;
			int k = read_repeated_i64(&f, tmp, NN_MAXDIM + 1, &n);
			if (k == -2 || ndim + n > NN_MAXDIM)
				return merr(m, err, "%s: more than %d dimensions", what, NN_MAXDIM);
			if (k < 0)
				return bad_pb(m, err, &r, what);
			for (int j = 0; j < n; j++)
				dims[ndim++] = tmp[j];
			break;
		}
		case 2: dtype = (int)f.v; break;
		case 4: if (f.wt == WT_LEN) fdata = f.sub; else if (f.wt == WT_I32) nf++; break;
		case 5: if (f.wt == WT_LEN) i32data = f.sub; else ni32++; break;
		case 7: if (f.wt == WT_LEN) idata = f.sub; else ni++; break;
		case 8: if (f.wt == WT_LEN) name = f.sub; break;
		case 9: if (f.wt == WT_LEN) { raw = f.sub; has_raw = 1; } break;
		case 10: if (f.wt == WT_LEN) ddata = f.sub; else nd++; break;
		case 13: external = 1; break;
		case 14: if (f.v == 1) external = 1; break;
		default: break;
		}
	}
	if (rc < 0)
		return bad_pb(m, err, &r, what);
	if (name_out)
		*name_out = name;
	if (external)
		return merr(m, err, "%s: external tensor data is not supported", what);
	if (nf || ni || ni32 || nd)
		return merr(m, err, "%s: unpacked repeated tensor data is not supported", what);
	uint64_t n = 1;
	for (int j = 0; j < ndim; j++) {
		if (dims[j] < 0 || dims[j] > ((int64_t)1 << 31))
			return merr(m, err, "%s: dimension %lld out of range", what, (long long)dims[j]);
		n *= (uint64_t)dims[j];
		if (n > ((uint64_t)1 << 28))
			return merr(m, err, "%s: more than 2^28 elements", what);
	}
	v->ndim = ndim;
	memcpy(v->dims, dims, sizeof(int64_t) * (size_t)ndim);
	v->n = (size_t)n;
	v->kind = V_CONST;
	size_t bytes;
	if (dtype == 1) {                               /* FLOAT */
		v->dtype = DT_FLOAT;
		v->f = malloc(n ? n * 4 : 4);
		if (!v->f)
			return TL_E_NOMEM;
		bytes = has_raw ? (size_t)(raw.end - raw.p) : (size_t)(fdata.end - fdata.p);
		if (bytes != n * 4)
			return merr(m, err, "%s: %zu bytes of float data for %llu elements", what,
				    bytes, (unsigned long long)n);
		if (bytes)
			memcpy(v->f, has_raw ? raw.p : fdata.p, bytes);   /* little-endian host */
		for (size_t j = 0; j < n; j++)
			if (!isfinite(v->f[j]))
				return merr(m, err, "%s: element %zu is not finite", what, j);
	} else if (dtype == 11) {                       /* DOUBLE, narrowed to float */
		v->dtype = DT_FLOAT;
		v->f = malloc(n ? n * 4 : 4);
		if (!v->f)
			return TL_E_NOMEM;
		const uint8_t *src = has_raw ? raw.p : ddata.p;
		bytes = has_raw ? (size_t)(raw.end - raw.p) : (size_t)(ddata.end - ddata.p);
		if (bytes != n * 8)
			return merr(m, err, "%s: %zu bytes of double data for %llu elements", what,
				    bytes, (unsigned long long)n);
		for (size_t j = 0; j < n; j++) {
			double d;
			memcpy(&d, src + 8 * j, 8);
			if (!isfinite(d) || fabs(d) > 3.4e38)
				return merr(m, err, "%s: element %zu out of float range", what, j);
			v->f[j] = (float)d;
		}
	} else if (dtype == 7 || dtype == 6) {          /* INT64, INT32 */
		v->dtype = DT_INT64;
		v->i64 = malloc(n ? n * 8 : 8);
		if (!v->i64)
			return TL_E_NOMEM;
		if (has_raw) {
			bytes = (size_t)(raw.end - raw.p);
			size_t es = dtype == 7 ? 8 : 4;
			if (bytes != n * es)
				return merr(m, err, "%s: %zu bytes of integer data for %llu elements", what,
					    bytes, (unsigned long long)n);
			for (size_t j = 0; j < n; j++) {
				if (es == 8) {
					memcpy(&v->i64[j], raw.p + 8 * j, 8);
				} else {
					int32_t x;
					memcpy(&x, raw.p + 4 * j, 4);
					v->i64[j] = x;
				}
			}
		} else {
			pb src = dtype == 7 ? idata : i32data;
			size_t j = 0;
			while (src.p && src.p < src.end) {
				uint64_t x;
				if (pb_varint(&src, &x) < 0)
					return bad_pb(m, err, &src, what);
				if (j >= n)
					return merr(m, err, "%s: more integers than elements", what);
				v->i64[j++] = dtype == 7 ? (int64_t)x : (int64_t)(int32_t)(uint32_t)x;
			}
			if (j != n)
				return merr(m, err, "%s: %zu integers for %llu elements", what, j,
					    (unsigned long long)n);
		}
	} else {
		return merr(m, err, "%s: unsupported tensor data type %d", what, dtype);
	}
	return TL_OK;
}

/* ---- nodes ---------------------------------------------------------------- */

static int parse_attr(tl_model *m, pb r, raw_attr *a, tl_error *err)
{
	pb_field f;
	int rc, k;
	memset(a, 0, sizeof *a);
	while ((rc = pb_next(&r, &f)) > 0) {
		switch (f.num) {
		case 1: if (f.wt == WT_LEN) a->name = f.sub; break;
		case 2: if (f.wt == WT_I32) { uint32_t u = (uint32_t)f.v; memcpy(&a->f, &u, 4); a->has_f = 1; } break;
		case 3: if (f.wt == WT_VARINT) { a->i = (int64_t)f.v; a->has_i = 1; } break;
		case 4: if (f.wt == WT_LEN) { a->s = f.sub; a->has_s = 1; } break;
		case 5: if (f.wt == WT_LEN) { a->t = f.sub; a->has_t = 1; } break;
		case 7:
			k = read_repeated_f32(&f, a->floats, 16, &a->nfloats);
			if (k == -2) a->too_many = 1;
			else if (k < 0) return bad_pb(m, err, &r, "attribute");
			break;
		case 8:
			k = read_repeated_i64(&f, a->ints, 16, &a->nints);
			if (k == -2) a->too_many = 1;
			else if (k < 0) return bad_pb(m, err, &r, "attribute");
			break;
		case 20: a->type = (int)f.v; break;
		default: a->other = 1; break;
		}
	}
	if (rc < 0)
		return bad_pb(m, err, &r, "attribute");
	return TL_OK;
}

static int parse_node(tl_model *m, pb r, raw_node *n, tl_error *err)
{
	pb_field f;
	int rc;
	size_t acap = 0;
	memset(n, 0, sizeof *n);
	while ((rc = pb_next(&r, &f)) > 0) {
		if (f.wt != WT_LEN)
			continue;
		switch (f.num) {
		case 1:
			if (n->nin >= NN_MAXIN)
				return merr(m, err, "a node has more than %d inputs", NN_MAXIN);
			n->in[n->nin++] = f.sub;
			break;
		case 2:
			if (n->nout >= 4)
				return merr(m, err, "a node has more than 4 outputs");
			n->out[n->nout++] = f.sub;
			break;
		case 3: n->name = f.sub; break;
		case 4: n->op = f.sub; break;
		case 7: n->domain = f.sub; break;
		case 5:
			if (n->nattr >= 64)
				return merr(m, err, "a node has more than 64 attributes");
			if (tl_grow((void **)&n->attr, &acap, (size_t)n->nattr + 1, sizeof *n->attr) != TL_OK)
				return TL_E_NOMEM;
			TL_TRY(parse_attr(m, f.sub, &n->attr[n->nattr], err));
			n->nattr++;
			break;
		default: break;
		}
	}
	if (rc < 0)
		return bad_pb(m, err, &r, "node");
	return TL_OK;
}

/* Attribute access while interpreting one node: each attribute must be consumed. */
typedef struct actx {
	tl_model *m;
	raw_node *rn;
	const char *op, *node;
	int used[64];
	tl_error *err;
} actx;

static raw_attr *get_attr(actx *c, const char *name)
{
	for (int i = 0; i < c->rn->nattr; i++)
		if (streq(c->rn->attr[i].name, name)) {
			c->used[i] = 1;
			return &c->rn->attr[i];
		}
	return NULL;
}

static int attr_err(actx *c, const char *name, const char *why)
{
	return merr(c->m, c->err, "node '%s' (%s): attribute '%s' %s", c->node, c->op, name, why);
}

static int attr_int(actx *c, const char *name, int64_t def, int64_t lo, int64_t hi, int64_t *out)
{
	raw_attr *a = get_attr(c, name);
	*out = def;
	if (!a)
		return TL_OK;
	if (!a->has_i)
		return attr_err(c, name, "is not an integer");
	if (a->i < lo || a->i > hi)
		return attr_err(c, name, "is out of range");
	*out = a->i;
	return TL_OK;
}

static int attr_float(actx *c, const char *name, float def, float *out)
{
	raw_attr *a = get_attr(c, name);
	*out = def;
	if (!a)
		return TL_OK;
	if (!a->has_f || !isfinite(a->f))
		return attr_err(c, name, "is not a finite float");
	*out = a->f;
	return TL_OK;
}

/* ints attribute of exactly n values in [lo, hi] (absent: leaves out untouched). */
static int attr_ints(actx *c, const char *name, int n, int64_t lo, int64_t hi, int *out)
{
	raw_attr *a = get_attr(c, name);
	if (!a)
		return TL_OK;
	if (a->too_many || a->nints != n)
		return attr_err(c, name, n == 2 ? "must have 2 values (2-D only)" :
				n == 4 ? "must have 4 values (2-D only)" : "has the wrong length");
	for (int i = 0; i < n; i++) {
		if (a->ints[i] < lo || a->ints[i] > hi)
			return attr_err(c, name, "has a value out of range");
		out[i] = (int)a->ints[i];
	}
	return TL_OK;
}

/* 0 if s is absent; else 1 + index of the matching choice, or an error. */
static int attr_choice(actx *c, const char *name, const char *const *choices, int *out)
{
	raw_attr *a = get_attr(c, name);
	*out = 0;
	if (!a)
		return TL_OK;
	if (!a->has_s)
		return attr_err(c, name, "is not a string");
	for (int i = 0; choices[i]; i++)
		if (streq(a->s, choices[i])) {
			*out = i + 1;
			return TL_OK;
		}
	char v[64];
	size_t len = (size_t)(a->s.end - a->s.p);
	if (len > sizeof v - 1)
		len = sizeof v - 1;
	memcpy(v, a->s.p, len);
	v[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 32 || (unsigned char)v[i] > 126)
			v[i] = '?';
	return merr(c->m, c->err, "node '%s' (%s): unsupported %s '%s'", c->node, c->op, name, v);
}

static int check_all_used(actx *c)
{
	for (int i = 0; i < c->rn->nattr; i++) {
		if (c->used[i])
			continue;
		char v[64];
		pb s = c->rn->attr[i].name;
		size_t len = (size_t)(s.end - s.p);
		if (len > sizeof v - 1)
			len = sizeof v - 1;
		memcpy(v, s.p, len);
		v[len] = '\0';
		for (size_t j = 0; j < len; j++)
			if ((unsigned char)v[j] < 32 || (unsigned char)v[j] > 126)
				v[j] = '?';
		return merr(c->m, c->err, "node '%s' (%s): unsupported attribute '%s'", c->node, c->op, v);
	}
	return TL_OK;
}

static int conv_attrs(actx *c, nn_node *nd, int transpose)
{
	int k[2] = { 0, 0 }, s[2] = { 1, 1 }, d[2] = { 1, 1 }, p[4] = { 0, 0, 0, 0 }, op[2] = { 0, 0 };
	int64_t g;
	static const char *const pads[] = { "NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER", NULL };
	TL_TRY(attr_ints(c, "kernel_shape", 2, 1, NN_MAX_KERNEL, k));
	TL_TRY(attr_ints(c, "strides", 2, 1, NN_MAX_KERNEL, s));
	TL_TRY(attr_ints(c, "dilations", 2, 1, NN_MAX_KERNEL, d));
	TL_TRY(attr_ints(c, "pads", 4, 0, NN_MAX_KERNEL, p));
	TL_TRY(attr_int(c, "group", 1, 1, 1 << 20, &g));
	TL_TRY(attr_choice(c, "auto_pad", pads, &nd->autopad));
	if (transpose) {
		TL_TRY(attr_ints(c, "output_padding", 2, 0, NN_MAX_KERNEL, op));
		if (get_attr(c, "output_shape"))
			return attr_err(c, "output_shape", "is not supported (use pads)");
		if (nd->autopad > 2)
			return attr_err(c, "auto_pad", "SAME_* is not supported for ConvTranspose");
	}
	nd->kh = k[0]; nd->kw = k[1];
	nd->sh = s[0]; nd->sw = s[1];
	nd->dh = d[0]; nd->dw = d[1];
	nd->pt = p[0]; nd->pl = p[1]; nd->pb = p[2]; nd->pr = p[3];
	nd->oph = op[0]; nd->opw = op[1];
	nd->group = (int)g;
	return TL_OK;
}

/* Interprets one stored node: operator, attributes, inputs (resolved later). */
static int interpret_node(tl_model *m, raw_node *rn, nn_node *nd, tl_error *err)
{
	static const char *const ops[] = { "Conv", "ConvTranspose", "BatchNormalization", "Relu",
		"Clip", "HardSigmoid", "Sigmoid", "Add", "Mul", "Div", "GlobalAveragePool", "Resize",
		"Concat", "Constant", NULL };
	actx c;
	memset(&c, 0, sizeof c);
	c.m = m;
	c.rn = rn;
	c.err = err;
	c.node = nd->name;
	nd->op = OP_NONE;
	for (int i = 0; ops[i]; i++)
		if (streq(rn->op, ops[i]))
			nd->op = i + 1;
	if (rn->domain.p && rn->domain.end > rn->domain.p && !streq(rn->domain, "ai.onnx"))
		nd->op = OP_NONE;
	if (nd->op == OP_NONE) {
		char v[64];
		size_t len = (size_t)(rn->op.end - rn->op.p);
		if (!rn->op.p)
			len = 0;
		if (len > sizeof v - 1)
			len = sizeof v - 1;
		memcpy(v, rn->op.p ? (const char *)rn->op.p : "", len);
		v[len] = '\0';
		for (size_t j = 0; j < len; j++)
			if ((unsigned char)v[j] < 32 || (unsigned char)v[j] > 126)
				v[j] = '?';
		return merr(m, err, "node '%s': unsupported operator '%s'", nd->name, v);
	}
	c.op = nn_op_names[nd->op];
	nd->res = -1;
	nd->alpha = 0.2f;
	nd->beta = 0.5f;
	nd->cmin = -INFINITY;
	nd->cmax = INFINITY;
	int64_t iv;
	switch (nd->op) {
	case OP_CONV: TL_TRY(conv_attrs(&c, nd, 0)); break;
	case OP_CONVT: TL_TRY(conv_attrs(&c, nd, 1)); break;
	case OP_BN:
		TL_TRY(attr_float(&c, "epsilon", 1e-5f, &nd->eps));
		TL_TRY(attr_float(&c, "momentum", 0.9f, &nd->alpha));   /* inference: unused */
		TL_TRY(attr_int(&c, "spatial", 1, 1, 1, &iv));
		TL_TRY(attr_int(&c, "training_mode", 0, 0, 0, &iv));
		TL_TRY(attr_int(&c, "is_test", 1, 1, 1, &iv));
		if (!(nd->eps >= 0.0f))
			return attr_err(&c, "epsilon", "is negative");
		break;
	case OP_HSIG:
		TL_TRY(attr_float(&c, "alpha", 0.2f, &nd->alpha));
		TL_TRY(attr_float(&c, "beta", 0.5f, &nd->beta));
		break;
	case OP_CLIP:      /* opset < 11 carries the bounds as attributes */
		TL_TRY(attr_float(&c, "min", -INFINITY, &nd->cmin));
		TL_TRY(attr_float(&c, "max", INFINITY, &nd->cmax));
		break;
	case OP_CONCAT:
		TL_TRY(attr_int(&c, "axis", 1, -NN_MAXDIM, NN_MAXDIM - 1, &iv));
		nd->axis = (int)iv;
		if (!get_attr(&c, "axis"))
			return merr(m, err, "node '%s' (Concat): attribute 'axis' is required", nd->name);
		break;
	case OP_RESIZE: {
		static const char *const modes[] = { "nearest", NULL };
		static const char *const coords[] = { "half_pixel", "asymmetric", "align_corners",
			"pytorch_half_pixel", "tf_half_pixel_for_nearest", NULL };
		static const char *const nears[] = { "round_prefer_floor", "round_prefer_ceil",
			"floor", "ceil", NULL };
		int mode, coord, near;
		float f;
		TL_TRY(attr_choice(&c, "mode", modes, &mode));
		TL_TRY(attr_choice(&c, "coordinate_transformation_mode", coords, &coord));
		TL_TRY(attr_choice(&c, "nearest_mode", nears, &near));
		TL_TRY(attr_float(&c, "cubic_coeff_a", -0.75f, &f));       /* cubic only: unused */
		TL_TRY(attr_int(&c, "exclude_outside", 0, 0, 1, &iv));     /* cubic only: unused */
		TL_TRY(attr_float(&c, "extrapolation_value", 0.0f, &f));   /* tf_crop_and_resize only */
		nd->rcoord = coord ? coord - 1 : RS_HALF_PIXEL;
		nd->rnear = near ? near - 1 : RN_ROUND_PREFER_FLOOR;
		break;
	}
	case OP_CONSTANT:
		return TL_OK;   /* constant_value checks its one attribute */
	default:
		break;
	}
	return check_all_used(&c);
}

/* Constant: its value attribute becomes a constant tensor. */
static int constant_value(tl_model *m, raw_node *rn, const char *node, nn_value *v, tl_error *err)
{
	if (rn->nattr != 1)
		return merr(m, err, "node '%s' (Constant): exactly one value attribute expected", node);
	raw_attr *a = &rn->attr[0];
	char what[160];
	snprintf(what, sizeof what, "node '%s' (Constant)", node);
	if (streq(a->name, "value") && a->has_t)
		return parse_tensor(m, a->t, v, NULL, what, err);
	v->kind = V_CONST;
	if (streq(a->name, "value_float") && a->has_f) {
		v->dtype = DT_FLOAT; v->ndim = 0; v->n = 1;
		if (!(v->f = malloc(4))) return TL_E_NOMEM;
		v->f[0] = a->f;
		return isfinite(a->f) ? TL_OK : merr(m, err, "%s: value is not finite", what);
	}
	if (streq(a->name, "value_int") && a->has_i) {
		v->dtype = DT_INT64; v->ndim = 0; v->n = 1;
		if (!(v->i64 = malloc(8))) return TL_E_NOMEM;
		v->i64[0] = a->i;
		return TL_OK;
	}
	if (streq(a->name, "value_floats") && !a->too_many) {
		v->dtype = DT_FLOAT; v->ndim = 1; v->n = (size_t)a->nfloats; v->dims[0] = a->nfloats;
		if (!(v->f = malloc(4 * (v->n + 1)))) return TL_E_NOMEM;
		memcpy(v->f, a->floats, 4 * v->n);
		return TL_OK;
	}
	if (streq(a->name, "value_ints") && !a->too_many) {
		v->dtype = DT_INT64; v->ndim = 1; v->n = (size_t)a->nints; v->dims[0] = a->nints;
		if (!(v->i64 = malloc(8 * (v->n + 1)))) return TL_E_NOMEM;
		memcpy(v->i64, a->ints, 8 * v->n);
		return TL_OK;
	}
	return merr(m, err, "%s: unsupported value attribute", what);
}

/* Graph inputs/outputs: name and, for the report, the declared shape. */
static int parse_value_info(tl_model *m, pb r, pb *name, long dims[4], int *ndim, tl_error *err)
{
	pb_field f, f2, f3, f4, f5;
	int rc;
	*ndim = 0;
	name->p = name->end = NULL;
	while ((rc = pb_next(&r, &f)) > 0) {
		if (f.num == 1 && f.wt == WT_LEN)
			*name = f.sub;
		if (f.num != 2 || f.wt != WT_LEN)
			continue;
		pb tr = f.sub;                                  /* TypeProto */
		while ((rc = pb_next(&tr, &f2)) > 0) {
			if (f2.num != 1 || f2.wt != WT_LEN)
				continue;
			pb tt = f2.sub;                         /* TypeProto.Tensor */
			while ((rc = pb_next(&tt, &f3)) > 0) {
				if (f3.num != 2 || f3.wt != WT_LEN)
					continue;
				pb sh = f3.sub;                 /* TensorShapeProto */
				while ((rc = pb_next(&sh, &f4)) > 0) {
					if (f4.num != 1 || f4.wt != WT_LEN)
						continue;
					long d = -1;
					pb dm = f4.sub;
					while ((rc = pb_next(&dm, &f5)) > 0)
						if (f5.num == 1 && f5.wt == WT_VARINT && f5.v < (1u << 31))
							d = (long)f5.v;
					if (rc < 0)
						return bad_pb(m, err, &dm, "value info");
					if (*ndim < 4)
						dims[*ndim] = d;
					(*ndim)++;
				}
				if (rc < 0)
					return bad_pb(m, err, &sh, "value info");
			}
			if (rc < 0)
				return bad_pb(m, err, &tt, "value info");
		}
		if (rc < 0)
			return bad_pb(m, err, &tr, "value info");
	}
	if (rc < 0)
		return bad_pb(m, err, &r, "value info");
	return TL_OK;
}

int nn_value_is_scalar_const(const tl_model *m, int v, float *out)
{
	if (v < 0 || v >= m->nvals)
		return 0;
	const nn_value *x = &m->vals[v];
	if (x->kind != V_CONST || x->n != 1)
		return 0;
	if (x->dtype == DT_FLOAT)
		*out = x->f[0];
	else
		*out = (float)x->i64[0];
	return 1;
}

/* ---- the whole model -------------------------------------------------------- */

typedef struct parse_state {
	raw_node *rn;
	int nrn;
	size_t rncap;
	pb *inits;
	int ninit;
	size_t initcap;
	pb inputs[16], outputs[16];
	int ninputs, noutputs;
	ntab tab;
	int *order;
} parse_state;

static void free_state(parse_state *s)
{
	for (int i = 0; i < s->nrn; i++)
		free(s->rn[i].attr);
	free(s->rn);
	free(s->inits);
	free(s->tab.slot);
	free(s->order);
}

static int lookup(parse_state *s, tl_model *m, pb name, int *out)
{
	char buf[NN_MAX_NAME + 1];
	size_t len = (size_t)(name.end - name.p);
	if (!name.p)
		len = 0;
	if (len > NN_MAX_NAME)
		return -1;
	memcpy(buf, name.p ? (const char *)name.p : "", len);
	buf[len] = '\0';
	*out = ntab_find(&s->tab, m, buf);
	return 0;
}

static int parse_graph(tl_model *m, pb g, parse_state *s, tl_error *err)
{
	pb_field f;
	int rc;
	while ((rc = pb_next(&g, &f)) > 0) {
		if (f.wt != WT_LEN)
			continue;
		if (f.num == 1) {
			if (s->nrn >= NN_MAX_NODES)
				return merr(m, err, "more than %d nodes", NN_MAX_NODES);
			if (tl_grow((void **)&s->rn, &s->rncap, (size_t)s->nrn + 1, sizeof *s->rn) != TL_OK)
				return TL_E_NOMEM;
			s->nrn++;
			TL_TRY(parse_node(m, f.sub, &s->rn[s->nrn - 1], err));
		} else if (f.num == 5) {
			if (s->ninit >= NN_MAX_VALUES)
				return merr(m, err, "more than %d initializers", NN_MAX_VALUES);
			if (tl_grow((void **)&s->inits, &s->initcap, (size_t)s->ninit + 1, sizeof *s->inits) != TL_OK)
				return TL_E_NOMEM;
			s->inits[s->ninit++] = f.sub;
		} else if (f.num == 11) {
			if (s->ninputs >= 16)
				return merr(m, err, "more than 16 graph inputs");
			s->inputs[s->ninputs++] = f.sub;
		} else if (f.num == 12) {
			if (s->noutputs >= 16)
				return merr(m, err, "more than 16 graph outputs");
			s->outputs[s->noutputs++] = f.sub;
		} else if (f.num == 15 || f.num == 20) {
			return merr(m, err, "sparse initializers are not supported");
		}
	}
	if (rc < 0)
		return bad_pb(m, err, &g, "graph");
	return TL_OK;
}

static int build(tl_model *m, parse_state *s, tl_error *err)
{
	size_t vcap = 0;
	/* Values: initializers first, then node outputs, then the graph input. */
	size_t nnames = (size_t)s->ninit + 1;
	for (int i = 0; i < s->nrn; i++)
		nnames += (size_t)s->rn[i].nout;
	s->tab.cap = 16;
	while (s->tab.cap < 2 * nnames)
		s->tab.cap *= 2;
	s->tab.slot = malloc(s->tab.cap * sizeof(int));
	if (!s->tab.slot)
		return TL_E_NOMEM;
	for (size_t i = 0; i < s->tab.cap; i++)
		s->tab.slot[i] = -1;

	for (int i = 0; i < s->ninit; i++) {
		nn_value tmp;
		pb name;
		memset(&tmp, 0, sizeof tmp);
		char what[32];
		snprintf(what, sizeof what, "initializer %d", i);
		int rc = parse_tensor(m, s->inits[i], &tmp, &name, what, err);
		if (rc == TL_OK && (!name.p || name.end == name.p || name.end - name.p > NN_MAX_NAME))
			rc = merr(m, err, "initializer %d: missing or too long name", i);
		if (rc == TL_OK) {
			char *nm = dupn(name.p, (size_t)(name.end - name.p));
			if (nm && ntab_find(&s->tab, m, nm) >= 0) {
				rc = merr(m, err, "initializer '%s' defined twice", nm);
				free(nm);
			} else {
				int vi = add_value(m, &vcap, nm, err);
				if (vi < 0) {
					rc = -vi;
				} else {
					char *keep = m->vals[vi].name;
					m->vals[vi] = tmp;
					m->vals[vi].name = keep;
					m->vals[vi].producer = -1;
					ntab_put(&s->tab, m, vi);
					continue;
				}
			}
		}
		free(tmp.f);
		free(tmp.i64);
		return rc;
	}

	/* The graph input: the first declared input that is not an initializer. */
	m->input = -1;
	for (int i = 0; i < s->ninputs && m->input < 0; i++) {
		pb name;
		long dims[4] = { -1, -1, -1, -1 };
		int ndim, vi;
		TL_TRY(parse_value_info(m, s->inputs[i], &name, dims, &ndim, err));
		if (!name.p || name.end == name.p || name.end - name.p > NN_MAX_NAME)
			return merr(m, err, "graph input %d has no name", i);
		if (lookup(s, m, name, &vi) < 0)
			return merr(m, err, "graph input name too long");
		if (vi >= 0)
			continue;
		vi = add_value(m, &vcap, dupn(name.p, (size_t)(name.end - name.p)), err);
		if (vi < 0)
			return -vi;
		if (ndim != 4)
			return merr(m, err, "graph input '%s' must be 4-D NCHW (has %d dimensions)",
				    m->vals[vi].name, ndim);
		if ((dims[0] > 1) || (dims[1] >= 0 && dims[1] != 3))
			return merr(m, err, "graph input '%s' must be 1x3xHxW", m->vals[vi].name);
		m->vals[vi].kind = V_INPUT;
		m->vals[vi].dtype = DT_FLOAT;
		m->vals[vi].ndim = 4;
		for (int k = 0; k < 4; k++) {
			m->vals[vi].dims[k] = dims[k];
			m->in_decl[k] = dims[k];
		}
		ntab_put(&s->tab, m, vi);
		m->input = vi;
	}
	if (m->input < 0)
		return merr(m, err, "the graph has no input");

	/* Node outputs. */
	m->nodes = calloc((size_t)s->nrn + 1, sizeof *m->nodes);
	if (!m->nodes)
		return TL_E_NOMEM;
	m->nstored = s->nrn;
	for (int i = 0; i < s->nrn; i++) {
		raw_node *rn = &s->rn[i];
		nn_node *nd = &m->nodes[i];
		nd->in[0] = -1;
		nd->out = -1;
		char nm[64];
		if (rn->name.p && rn->name.end > rn->name.p && rn->name.end - rn->name.p <= NN_MAX_NAME) {
			nd->name = dupn(rn->name.p, (size_t)(rn->name.end - rn->name.p));
		} else {
			snprintf(nm, sizeof nm, "#%d", i);
			nd->name = dupn((const uint8_t *)nm, strlen(nm));
		}
		if (!nd->name)
			return TL_E_NOMEM;
		m->nnodes = i + 1;
		if (rn->nout != 1)
			return merr(m, err, "node '%s': exactly one output is supported (has %d)",
				    nd->name, rn->nout);
		pb on = rn->out[0];
		int vi;
		if (on.end == on.p || lookup(s, m, on, &vi) < 0)
			return merr(m, err, "node '%s': bad output name", nd->name);
		if (vi >= 0)
			return merr(m, err, "node '%s': output '%s' is defined twice", nd->name,
				    m->vals[vi].name);
		vi = add_value(m, &vcap, dupn(on.p, (size_t)(on.end - on.p)), err);
		if (vi < 0)
			return -vi;
		m->vals[vi].producer = i;
		m->vals[vi].kind = V_ACT;
		m->vals[vi].dtype = DT_FLOAT;
		ntab_put(&s->tab, m, vi);
		nd->out = vi;
	}

	/* Interpret nodes, resolve inputs. */
	for (int i = 0; i < s->nrn; i++) {
		raw_node *rn = &s->rn[i];
		nn_node *nd = &m->nodes[i];
		TL_TRY(interpret_node(m, rn, nd, err));
		if (nd->op == OP_CONSTANT) {
			if (rn->nin)
				return merr(m, err, "node '%s' (Constant): has inputs", nd->name);
			nn_value *v = &m->vals[nd->out];
			TL_TRY(constant_value(m, rn, nd->name, v, err));
			v->producer = -1;
			continue;
		}
		nd->nin = rn->nin;
		for (int k = 0; k < rn->nin; k++) {
			int vi;
			if (rn->in[k].p == rn->in[k].end) {   /* omitted optional input */
				nd->in[k] = -1;
				continue;
			}
			if (lookup(s, m, rn->in[k], &vi) < 0 || vi < 0) {
				char nm[80];
				size_t len = (size_t)(rn->in[k].end - rn->in[k].p);
				if (len > sizeof nm - 1) len = sizeof nm - 1;
				memcpy(nm, rn->in[k].p, len);
				nm[len] = '\0';
				for (size_t j = 0; j < len; j++)
					if ((unsigned char)nm[j] < 32 || (unsigned char)nm[j] > 126) nm[j] = '?';
				return merr(m, err, "node '%s' (%s): input '%s' is not defined", nd->name,
					    nn_op_names[nd->op], nm);
			}
			nd->in[k] = vi;
		}
	}

	/* The first graph output. */
	m->output = -1;
	if (s->noutputs < 1)
		return merr(m, err, "the graph has no output");
	{
		pb name;
		long dims[4];
		int ndim;
		TL_TRY(parse_value_info(m, s->outputs[0], &name, dims, &ndim, err));
		if (!name.p || lookup(s, m, name, &m->output) < 0 || m->output < 0)
			return merr(m, err, "the graph output is not produced by any node");
		if (m->vals[m->output].kind != V_ACT)
			return merr(m, err, "the graph output '%s' is not computed", m->vals[m->output].name);
	}
	return TL_OK;
}

/* Keeps the nodes the output needs, in topological order (Kahn); refuses cycles. */
static int topo_sort(tl_model *m, tl_error *err)
{
	int n = m->nnodes;
	int *need = calloc((size_t)n + 1, sizeof(int));
	int *stack = malloc(((size_t)n + 1) * sizeof(int));
	int *indeg = calloc((size_t)n + 1, sizeof(int));
	int *order = malloc(((size_t)n + 1) * sizeof(int));
	int *cons_start = calloc((size_t)n + 2, sizeof(int));
	int *cons = NULL;
	int rc = TL_OK, sp = 0, no = 0;
	if (!need || !stack || !indeg || !order || !cons_start) {
		rc = TL_E_NOMEM;
		goto out;
	}
	/* Mark what the output depends on (iterative DFS). */
	int p = m->vals[m->output].producer;
	need[p] = 1;
	stack[sp++] = p;
	while (sp) {
		nn_node *nd = &m->nodes[stack[--sp]];
		for (int k = 0; k < nd->nin; k++) {
			int v = nd->in[k];
			if (v < 0 || m->vals[v].producer < 0)
				continue;
			int q = m->vals[v].producer;
			if (!need[q]) {
				need[q] = 1;
				stack[sp++] = q;
			}
		}
	}
	/* In-degrees over needed, non-constant nodes; consumer lists. */
	for (int i = 0; i < n; i++) {
		if (!need[i] || m->nodes[i].op == OP_CONSTANT)
			continue;
		for (int k = 0; k < m->nodes[i].nin; k++) {
			int v = m->nodes[i].in[k];
			if (v >= 0 && m->vals[v].producer >= 0) {
				indeg[i]++;
				cons_start[m->vals[v].producer + 1]++;
			}
		}
	}
	for (int i = 0; i < n; i++)
		cons_start[i + 1] += cons_start[i];
	cons = malloc(((size_t)cons_start[n] + 1) * sizeof(int));
	int *fill = calloc((size_t)n + 1, sizeof(int));
	if (!cons || !fill) {
		free(fill);
		rc = TL_E_NOMEM;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (!need[i] || m->nodes[i].op == OP_CONSTANT)
			continue;
		for (int k = 0; k < m->nodes[i].nin; k++) {
			int v = m->nodes[i].in[k];
			if (v >= 0 && m->vals[v].producer >= 0) {
				int q = m->vals[v].producer;
				cons[cons_start[q] + fill[q]++] = i;
			}
		}
	}
	free(fill);
	/* Kahn's algorithm; ties resolved by file order so the result is deterministic. */
	sp = 0;
	for (int i = n - 1; i >= 0; i--)
		if (need[i] && m->nodes[i].op != OP_CONSTANT && indeg[i] == 0)
			stack[sp++] = i;
	while (sp) {
		int i = stack[--sp];
		order[no++] = i;
		for (int c = cons_start[i + 1] - 1; c >= cons_start[i]; c--) {
			int j = cons[c];
			if (--indeg[j] == 0)
				stack[sp++] = j;
		}
	}
	int needed = 0;
	for (int i = 0; i < n; i++)
		needed += need[i] && m->nodes[i].op != OP_CONSTANT;
	if (no != needed) {
		for (int i = 0; i < n; i++)
			if (need[i] && m->nodes[i].op != OP_CONSTANT && indeg[i] > 0) {
				rc = merr(m, err, "the graph has a cycle through node '%s'", m->nodes[i].name);
				goto out;
			}
		rc = merr(m, err, "the graph has a cycle");
		goto out;
	}
	/* Reorder: needed compute nodes in order; the rest keep only their names for info. */
	nn_node *sorted = calloc((size_t)n + 1, sizeof *sorted);
	if (!sorted) {
		rc = TL_E_NOMEM;
		goto out;
	}
	for (int i = 0; i < no; i++)
		sorted[i] = m->nodes[order[i]];
	int k = no;
	for (int i = 0; i < n; i++)
		if (!need[i] || m->nodes[i].op == OP_CONSTANT)
			sorted[k++] = m->nodes[i];   /* kept for freeing; not executed */
	free(m->nodes);
	m->nodes = sorted;
	/* Producers now refer to positions in the new order. */
	for (int v = 0; v < m->nvals; v++)
		if (m->vals[v].kind == V_ACT)
			m->vals[v].producer = -1;
	for (int i = 0; i < no; i++)
		m->vals[m->nodes[i].out].producer = i;
	m->nstored = n;
	m->nnodes = no;
out:
	free(need);
	free(stack);
	free(indeg);
	free(order);
	free(cons_start);
	free(cons);
	return rc;
}

/* Operand checks that need no shapes: arity, constant parameters. */
static int check_operands(tl_model *m, tl_error *err)
{
	for (int i = 0; i < m->nnodes; i++) {
		nn_node *nd = &m->nodes[i];
		const char *op = nn_op_names[nd->op];
		int lo = 1, hi = 1;
		switch (nd->op) {
		case OP_CONV: case OP_CONVT: lo = 2; hi = 3; break;
		case OP_BN: lo = hi = 5; break;
		case OP_CLIP: lo = 1; hi = 3; break;
		case OP_ADD: case OP_MUL: case OP_DIV: lo = hi = 2; break;
		case OP_RESIZE: lo = 2; hi = 4; break;
		case OP_CONCAT: lo = 1; hi = NN_MAXIN; break;
		default: break;
		}
		if (nd->nin < lo || nd->nin > hi)
			return merr(m, err, "node '%s' (%s): %d inputs (expects %d to %d)", nd->name, op,
				    nd->nin, lo, hi);
		for (int k = 0; k < nd->nin; k++) {
			int v = nd->in[k];
			int optional = (nd->op == OP_CLIP && k > 0) || (nd->op == OP_RESIZE && k > 0) ||
				       (nd->op == OP_CONV && k == 2) || (nd->op == OP_CONVT && k == 2);
			if (v < 0 && !optional)
				return merr(m, err, "node '%s' (%s): input %d is missing", nd->name, op, k);
			if (v >= 0 && m->vals[v].dtype != DT_FLOAT &&
			    !(nd->op == OP_RESIZE && k == 3))
				return merr(m, err, "node '%s' (%s): input '%s' is not float", nd->name, op,
					    m->vals[v].name);
		}
		if (nd->op == OP_CONV || nd->op == OP_CONVT) {
			nn_value *w = &m->vals[nd->in[1]];
			if (w->kind != V_CONST || w->ndim != 4)
				return merr(m, err, "node '%s' (%s): weights must be a constant 4-D tensor",
					    nd->name, op);
			for (int d = 0; d < 4; d++)
				if (w->dims[d] < 1)
					return merr(m, err, "node '%s' (%s): empty weights", nd->name, op);
			if (w->dims[2] > NN_MAX_KERNEL || w->dims[3] > NN_MAX_KERNEL)
				return merr(m, err, "node '%s' (%s): kernel larger than %d", nd->name, op,
					    NN_MAX_KERNEL);
			if ((nd->kh && nd->kh != w->dims[2]) || (nd->kw && nd->kw != w->dims[3]))
				return merr(m, err, "node '%s' (%s): kernel_shape does not match the weights",
					    nd->name, op);
			nd->kh = (int)w->dims[2];
			nd->kw = (int)w->dims[3];
			if (nd->op == OP_CONV) {
				nd->cout = (int)w->dims[0];
				nd->cin = (int)w->dims[1];
				if (nd->cout % nd->group)
					return merr(m, err, "node '%s' (Conv): %d output channels not divisible "
						    "by group %d", nd->name, nd->cout, nd->group);
			} else {
				nd->cin = (int)w->dims[0];        /* all input channels */
				nd->cout = (int)w->dims[1] * nd->group;
				if (nd->cin % nd->group)
					return merr(m, err, "node '%s' (ConvTranspose): input channels not "
						    "divisible by group", nd->name);
				if (nd->oph >= nd->sh && nd->oph >= nd->dh)
					return merr(m, err, "node '%s' (ConvTranspose): output_padding must be "
						    "smaller than stride or dilation", nd->name);
				if (nd->opw >= nd->sw && nd->opw >= nd->dw)
					return merr(m, err, "node '%s' (ConvTranspose): output_padding must be "
						    "smaller than stride or dilation", nd->name);
			}
			if (nd->nin > 2 && nd->in[2] >= 0) {
				nn_value *b = &m->vals[nd->in[2]];
				if (b->kind != V_CONST || b->n != (size_t)nd->cout)
					return merr(m, err, "node '%s' (%s): bias must be a constant of %d values",
						    nd->name, op, nd->cout);
			}
		}
		if (nd->op == OP_BN) {
			for (int k = 1; k < 5; k++)
				if (m->vals[nd->in[k]].kind != V_CONST ||
				    m->vals[nd->in[k]].n != m->vals[nd->in[1]].n)
					return merr(m, err, "node '%s' (BatchNormalization): parameters must be "
						    "constants of equal length", nd->name);
			const float *var = m->vals[nd->in[4]].f;
			for (size_t j = 0; j < m->vals[nd->in[4]].n; j++)
				if (!(var[j] + nd->eps > 0.0f))
					return merr(m, err, "node '%s' (BatchNormalization): variance + epsilon "
						    "is not positive", nd->name);
		}
		if (nd->op == OP_CLIP) {
			float x;
			for (int k = 1; k < nd->nin; k++) {
				if (nd->in[k] < 0)
					continue;
				if (!nn_value_is_scalar_const(m, nd->in[k], &x))
					return merr(m, err, "node '%s' (Clip): min and max must be scalar constants",
						    nd->name);
				if (k == 1) nd->cmin = x; else nd->cmax = x;
			}
		}
		if (nd->op == OP_RESIZE) {
			/* opset 10: (X, scales); opset 11+: (X, roi, scales[, sizes]) */
			int sc = nd->nin == 2 ? nd->in[1] : nd->nin > 2 ? nd->in[2] : -1;
			int sz = nd->nin > 3 ? nd->in[3] : -1;
			if (sc >= 0 && m->vals[sc].n == 0)
				sc = -1;
			if (sz >= 0 && m->vals[sz].n == 0)
				sz = -1;
			if ((sc < 0) == (sz < 0))
				return merr(m, err, "node '%s' (Resize): exactly one of scales and sizes is "
					    "needed", nd->name);
			int v = sc >= 0 ? sc : sz;
			if (m->vals[v].kind != V_CONST || m->vals[v].n != 4)
				return merr(m, err, "node '%s' (Resize): %s must be a constant of 4 values",
					    nd->name, sc >= 0 ? "scales" : "sizes");
			if (sz >= 0 && m->vals[sz].dtype != DT_INT64)
				return merr(m, err, "node '%s' (Resize): sizes must be int64", nd->name);
			if (sc >= 0) {
				for (int k = 0; k < 4; k++) {
					float f = m->vals[sc].f[k];
					if (!(f > 0.0f && f <= 64.0f))
						return merr(m, err, "node '%s' (Resize): scale %g out of range",
							    nd->name, (double)f);
					if (k < 2 && f != 1.0f)
						return merr(m, err, "node '%s' (Resize): only H and W may be "
							    "scaled", nd->name);
				}
			}
			/* the node keeps which input holds what */
			nd->in[2] = sc;
			nd->in[3] = sz;
			nd->nin = 4;
		}
	}
	return TL_OK;
}

int nn_parse_onnx(tl_model *m, const uint8_t *buf, size_t len, tl_error *err)
{
	pb r = { buf, buf + len, buf };
	pb_field f;
	pb graph = { 0 };
	int rc, have_graph = 0;
	parse_state s;
	memset(&s, 0, sizeof s);
	m->opset = -1;
	while ((rc = pb_next(&r, &f)) > 0) {
		if (f.num == 1 && f.wt == WT_VARINT) {
			m->ir_version = (long)(f.v & 0x7fffffff);
		} else if ((f.num == 2 || f.num == 3) && f.wt == WT_LEN) {
			size_t have = strlen(m->producer);
			size_t n = (size_t)(f.sub.end - f.sub.p);
			if (have && have + 1 < sizeof m->producer)
				m->producer[have++] = ' ';
			if (n > sizeof m->producer - 1 - have)
				n = sizeof m->producer - 1 - have;
			for (size_t i = 0; i < n; i++) {
				char ch = (char)f.sub.p[i];
				m->producer[have + i] = (ch >= 32 && ch < 127) ? ch : '?';
			}
			m->producer[have + n] = '\0';
		} else if (f.num == 7 && f.wt == WT_LEN) {
			graph = f.sub;
			have_graph = 1;
		} else if (f.num == 8 && f.wt == WT_LEN) {
			pb o = f.sub;
			pb_field g;
			pb dom = { 0 };
			long ver = -1;
			while ((rc = pb_next(&o, &g)) > 0) {
				if (g.num == 1 && g.wt == WT_LEN) dom = g.sub;
				if (g.num == 2 && g.wt == WT_VARINT) ver = (long)(g.v & 0x7fffffff);
			}
			if (rc < 0)
				return bad_pb(m, err, &o, "opset import");
			if (!dom.p || dom.p == dom.end || streq(dom, "ai.onnx"))
				m->opset = ver;
		}
	}
	if (rc < 0)
		return bad_pb(m, err, &r, "model");
	if (!have_graph)
		return merr(m, err, "not an ONNX model (no graph)");
	if (m->opset >= 0 && (m->opset < 7 || m->opset > 21))
		return merr(m, err, "opset %ld is not supported (7 to 21)", m->opset);
	rc = parse_graph(m, graph, &s, err);
	if (rc == TL_OK)
		rc = build(m, &s, err);
	if (rc == TL_OK)
		rc = topo_sort(m, err);
	if (rc == TL_OK)
		rc = check_operands(m, err);
	free_state(&s);
	if (rc == TL_E_NOMEM)
		tl_error_set(err, TL_E_NOMEM, m->name, 0, 0, "out of memory loading the model");
	return rc;
}

void nn_free_graph(tl_model *m)
{
	for (int i = 0; i < m->nstored; i++)
		free(m->nodes ? m->nodes[i].name : NULL);
	free(m->nodes);
	for (int v = 0; v < m->nvals; v++) {
		free(m->vals[v].name);
		free(m->vals[v].f);
		free(m->vals[v].i64);
	}
	free(m->vals);
	m->nodes = NULL;
	m->vals = NULL;
	m->nvals = m->nnodes = m->nstored = 0;
}
