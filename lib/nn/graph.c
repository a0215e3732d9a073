/* graph.c — planning and running a loaded model.
 *
 * A plan is made for one input size: shapes are inferred on a copy of the graph (the exec
 * graph), the copy is rewritten (BatchNorm and per-channel affine folded into the Conv
 * before it, activations and a following affine fused into its epilogue, hard-swish
 * recognised), activations are placed in one arena by lifetime (values whose lifetimes
 * overlap never share bytes), and weights are packed for the fast kernels. */
#include "tl_internal.h"
#include "nn_internal.h"
#include "textloc/io.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#define NN_TILE 256   /* output columns per GEMM task (a multiple of every kernel's nr) */

static int perr(tl_model *m, tl_error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int perr(tl_model *m, tl_error *err, int status, const char *fmt, ...)
{
	char msg[480];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return tl_error_set(err, status, m->name, 0, 0, "%s", msg);
}

/* ---- plan lifetime --------------------------------------------------------- */

void nn_free_plan(tl_model *m)
{
	for (int i = 0; i < m->nex; i++) {
		nn_node *nd = &m->ex[i];
		free(nd->w);
		free(nd->b);
		free(nd->post_s);
		free(nd->post_t);
		free(nd->wpack);
	}
	free(m->ex);
	free(m->arena);
	free(m->scratch);
	free(m->shared);
	m->shared = NULL;
	m->shared_floats = 0;
	m->ex = NULL;
	m->nex = 0;
	m->arena = m->scratch = NULL;
	m->arena_floats = m->scratch_per_thread = 0;
	m->ph = m->pw = 0;
}

/* Constant operand of a binary op as a per-channel vector over C channels: returns 1 and
 * fills k (C floats) when its shape broadcasts only along dimension 1 (or is a scalar). */
static int channel_const(const tl_model *m, int v, int C, float *k)
{
	const nn_value *x = &m->vals[v];
	if (x->kind != V_CONST || x->dtype != DT_FLOAT)
		return 0;
	if (x->n == 1) {
		for (int c = 0; c < C; c++)
			k[c] = x->f[0];
		return 1;
	}
	if (x->n != (size_t)C)
		return 0;
	/* right-aligned to 4-D, the channel axis is 1: dims must be [..., C, 1, 1] */
	if (x->ndim < 3 || x->dims[x->ndim - 3] != C)
		return 0;
	memcpy(k, x->f, sizeof(float) * (size_t)C);
	return 1;
}

/* ---- shape inference ------------------------------------------------------- */

static int set_dims(tl_model *m, nn_node *nd, const int64_t d[4], tl_error *err)
{
	nn_value *o = &m->vals[nd->out];
	uint64_t n = 1;
	if (d[0] != 1)
		return perr(m, err, TL_E_MODEL, "node '%s' (%s): batch dimension %lld (only 1 is supported)",
			    nd->name, nn_op_names[nd->op], (long long)d[0]);
	for (int k = 0; k < 4; k++) {
		if (d[k] < 1 || d[k] > ((int64_t)1 << 31))
			return perr(m, err, TL_E_MODEL, "node '%s' (%s): output dimension %lld out of range",
				    nd->name, nn_op_names[nd->op], (long long)d[k]);
		n *= (uint64_t)d[k];
		if (n > NN_MAX_ELEMS)
			return perr(m, err, TL_E_LIMIT, "node '%s' (%s): output larger than 2^32 elements",
				    nd->name, nn_op_names[nd->op]);
		o->dims[k] = d[k];
	}
	o->ndim = 4;
	o->n = (size_t)n;
	return TL_OK;
}

/* dims of any value right-aligned to 4-D */
static void dims4(const nn_value *v, int64_t d[4])
{
	for (int k = 0; k < 4; k++)
		d[k] = 1;
	if (v->kind != V_CONST) {
		memcpy(d, v->dims, sizeof(int64_t) * 4);
		return;
	}
	for (int k = 0; k < v->ndim && k < 4; k++)
		d[4 - v->ndim + k] = v->dims[k];
}

static int infer(tl_model *m, nn_node *nd, tl_error *err)
{
	const char *op = nn_op_names[nd->op];
	int64_t d[4], a[4], b[4];
	nn_value *x = &m->vals[nd->in[0]];
	dims4(x, a);
	if (x->kind == V_CONST && nd->op != OP_ADD && nd->op != OP_MUL && nd->op != OP_DIV &&
	    nd->op != OP_CONCAT)
		return perr(m, err, TL_E_MODEL, "node '%s' (%s): a constant as the data input is not "
			    "supported", nd->name, op);
	memcpy(d, a, sizeof d);
	switch (nd->op) {
	case OP_CONV: {
		if (a[1] != (int64_t)nd->cin * nd->group)
			return perr(m, err, TL_E_MODEL, "node '%s' (Conv): %lld input channels, weights "
				    "expect %d", nd->name, (long long)a[1], nd->cin * nd->group);
		int64_t eh = (int64_t)(nd->kh - 1) * nd->dh + 1, ew = (int64_t)(nd->kw - 1) * nd->dw + 1;
		if (nd->autopad == 2) {                            /* VALID */
			nd->pt = nd->pl = nd->pb = nd->pr = 0;
		} else if (nd->autopad >= 3) {                     /* SAME_UPPER / SAME_LOWER */
			int64_t oh = (a[2] + nd->sh - 1) / nd->sh, ow = (a[3] + nd->sw - 1) / nd->sw;
			int64_t th = (oh - 1) * nd->sh + eh - a[2], tw = (ow - 1) * nd->sw + ew - a[3];
			th = th < 0 ? 0 : th;
			tw = tw < 0 ? 0 : tw;
			if (th > 2 * NN_MAX_KERNEL || tw > 2 * NN_MAX_KERNEL)
				return perr(m, err, TL_E_MODEL, "node '%s' (Conv): padding too large", nd->name);
			int small_h = (int)(th / 2), small_w = (int)(tw / 2);
			nd->pt = nd->autopad == 3 ? small_h : (int)th - small_h;
			nd->pb = (int)th - nd->pt;
			nd->pl = nd->autopad == 3 ? small_w : (int)tw - small_w;
			nd->pr = (int)tw - nd->pl;
		}
		int64_t hh = a[2] + nd->pt + nd->pb - eh, ww = a[3] + nd->pl + nd->pr - ew;
		if (hh < 0 || ww < 0)
			return perr(m, err, TL_E_INPUT, "node '%s' (Conv): input %lldx%lld smaller than "
				    "the kernel", nd->name, (long long)a[2], (long long)a[3]);
		d[1] = nd->cout;
		d[2] = hh / nd->sh + 1;
		d[3] = ww / nd->sw + 1;
		m->macs += (unsigned long long)d[1] * (unsigned long long)(d[2] * d[3]) *
			   (unsigned long long)nd->cin * (unsigned long long)(nd->kh * nd->kw);
		break;
	}
	case OP_CONVT: {
		if (a[1] != nd->cin)
			return perr(m, err, TL_E_MODEL, "node '%s' (ConvTranspose): %lld input channels, "
				    "weights expect %d", nd->name, (long long)a[1], nd->cin);
		if (nd->autopad == 2)
			nd->pt = nd->pl = nd->pb = nd->pr = 0;
		d[1] = nd->cout;
		d[2] = (int64_t)nd->sh * (a[2] - 1) + nd->oph + (int64_t)(nd->kh - 1) * nd->dh + 1 - nd->pt - nd->pb;
		d[3] = (int64_t)nd->sw * (a[3] - 1) + nd->opw + (int64_t)(nd->kw - 1) * nd->dw + 1 - nd->pl - nd->pr;
		m->macs += (unsigned long long)(a[1] * a[2] * a[3]) * (unsigned long long)(nd->cout / nd->group) *
			   (unsigned long long)(nd->kh * nd->kw);
		break;
	}
	case OP_BN:
		if ((size_t)a[1] != m->vals[nd->in[1]].n)
			return perr(m, err, TL_E_MODEL, "node '%s' (BatchNormalization): %lld channels, "
				    "parameters for %zu", nd->name, (long long)a[1], m->vals[nd->in[1]].n);
		break;
	case OP_GAP:
		d[2] = d[3] = 1;
		break;
	case OP_ADD: case OP_MUL: case OP_DIV: {
		dims4(&m->vals[nd->in[1]], b);
		if (x->kind == V_CONST && m->vals[nd->in[1]].kind == V_CONST)
			return perr(m, err, TL_E_MODEL, "node '%s' (%s): both operands constant", nd->name, op);
		for (int k = 0; k < 4; k++) {
			if (a[k] != b[k] && a[k] != 1 && b[k] != 1)
				return perr(m, err, TL_E_MODEL, "node '%s' (%s): shapes do not broadcast "
					    "(dimension %d: %lld vs %lld)", nd->name, op, k,
					    (long long)a[k], (long long)b[k]);
			d[k] = a[k] > b[k] ? a[k] : b[k];
		}
		break;
	}
	case OP_RESIZE:
		if (nd->in[2] >= 0) {
			const float *s = m->vals[nd->in[2]].f;
			for (int k = 2; k < 4; k++)
				d[k] = (int64_t)floor((double)a[k] * (double)s[k]);
		} else {
			const int64_t *s = m->vals[nd->in[3]].i64;
			if (s[0] != a[0] || s[1] != a[1])
				return perr(m, err, TL_E_MODEL, "node '%s' (Resize): only H and W may change",
					    nd->name);
			for (int k = 2; k < 4; k++) {
				if (s[k] < 1 || s[k] > 64 * a[k])
					return perr(m, err, TL_E_MODEL, "node '%s' (Resize): size out of range",
						    nd->name);
				d[k] = s[k];
			}
		}
		break;
	case OP_CONCAT: {
		int ax = nd->axis < 0 ? nd->axis + 4 : nd->axis;
		if (ax < 0 || ax > 3)
			return perr(m, err, TL_E_MODEL, "node '%s' (Concat): bad axis", nd->name);
		d[ax] = 0;
		for (int i = 0; i < nd->nin; i++) {
			dims4(&m->vals[nd->in[i]], b);
			if (m->vals[nd->in[i]].kind == V_CONST)
				return perr(m, err, TL_E_MODEL, "node '%s' (Concat): constant operands are not "
					    "supported", nd->name);
			for (int k = 0; k < 4; k++)
				if (k != ax && b[k] != a[k])
					return perr(m, err, TL_E_MODEL, "node '%s' (Concat): input %d has a "
						    "different shape", nd->name, i);
			d[ax] += b[ax];
		}
		break;
	}
	default:
		break;
	}
	if (nd->op == OP_CONV || nd->op == OP_CONVT || nd->op == OP_GAP || nd->op == OP_BN) {
		if (x->ndim != 4 || a[0] != 1)
			return perr(m, err, TL_E_MODEL, "node '%s' (%s): input must be 1xCxHxW", nd->name, op);
	}
	return set_dims(m, nd, d, err);
}

/* ---- rewriting --------------------------------------------------------------- */

static void count_uses(tl_model *m)
{
	for (int v = 0; v < m->nvals; v++) {
		m->vals[v].nuse = 0;
		m->vals[v].last = -1;
	}
	for (int i = 0; i < m->nex; i++) {
		nn_node *nd = &m->ex[i];
		if (nd->op == OP_NONE)
			continue;
		for (int k = 0; k < nd->nin; k++)
			if (nd->in[k] >= 0) {
				m->vals[nd->in[k]].nuse++;
				m->vals[nd->in[k]].last = i;
			}
		if (nd->res >= 0) {
			m->vals[nd->res].nuse++;
			m->vals[nd->res].last = i;
		}
	}
	m->vals[m->output].nuse++;
	m->vals[m->output].last = m->nex;
}

/* The single live consumer of v, or -1. */
static int only_consumer(tl_model *m, int v, int after)
{
	if (m->vals[v].nuse != 1 || v == m->output)
		return -1;
	for (int i = after + 1; i < m->nex; i++) {
		nn_node *nd = &m->ex[i];
		if (nd->op == OP_NONE)
			continue;
		for (int k = 0; k < nd->nin; k++)
			if (nd->in[k] == v)
				return i;
		if (nd->res == v)
			return -1;
	}
	return -1;
}

static int is_scalar(tl_model *m, int v, float want)
{
	float x;
	return v >= 0 && nn_value_is_scalar_const(m, v, &x) && x == want;
}

/* x + 3 -> Clip(0, 6) -> x * that -> / 6, and x * HardSigmoid(x): both are hard-swish. */
static void fuse_hardswish(tl_model *m)
{
	for (int i = 0; i < m->nex; i++) {
		nn_node *add = &m->ex[i];
		if (add->op == OP_MUL) {
			for (int s = 0; s < 2; s++) {
				int h = add->in[s], x = add->in[1 - s];
				int p = m->vals[h].producer;
				if (m->vals[h].kind != V_ACT || m->vals[h].nuse != 1 || h == m->output)
					continue;
				nn_node *hs = &m->ex[p];
				if (hs->op != OP_HSIG || hs->in[0] != x)
					continue;
				add->op = OP_HSWISH;
				add->nin = 1;
				add->in[0] = x;
				add->alpha = hs->alpha;
				add->beta = hs->beta;
				add->cmax = 1.0f;
				hs->op = OP_NONE;
				count_uses(m);
				break;
			}
			continue;
		}
		if (add->op != OP_ADD)
			continue;
		int x = -1;
		if (is_scalar(m, add->in[1], 3.0f)) x = add->in[0];
		else if (is_scalar(m, add->in[0], 3.0f)) x = add->in[1];
		if (x < 0 || m->vals[x].kind == V_CONST)
			continue;
		int j = only_consumer(m, add->out, i);
		if (j < 0 || m->ex[j].op != OP_CLIP || m->ex[j].cmin != 0.0f || m->ex[j].cmax != 6.0f)
			continue;
		int k = only_consumer(m, m->ex[j].out, j);
		if (k < 0 || m->ex[k].op != OP_MUL)
			continue;
		nn_node *mul = &m->ex[k];
		int c = m->ex[j].out;
		if (!((mul->in[0] == x && mul->in[1] == c) || (mul->in[0] == c && mul->in[1] == x)))
			continue;
		int l = only_consumer(m, mul->out, k);
		if (l < 0 || m->ex[l].op != OP_DIV || m->ex[l].in[0] != mul->out ||
		    !is_scalar(m, m->ex[l].in[1], 6.0f))
			continue;
		nn_node *dv = &m->ex[l];
		dv->op = OP_HSWISH;
		dv->nin = 1;
		dv->in[0] = x;
		dv->alpha = 1.0f;
		dv->beta = 3.0f;
		dv->cmax = 6.0f;
		add->op = m->ex[j].op = mul->op = OP_NONE;
		count_uses(m);
	}
}

/* Add(x, Mul(x, s)) -> x + x * s in one pass (the products and sums round as before). */
static void fuse_muladd(tl_model *m)
{
	for (int i = 0; i < m->nex; i++) {
		nn_node *add = &m->ex[i];
		if (add->op != OP_ADD)
			continue;
		for (int k = 0; k < 2; k++) {
			int t = add->in[k], x = add->in[1 - k];
			if (m->vals[t].kind != V_ACT || m->vals[t].nuse != 1 || t == m->output)
				continue;
			nn_node *mul = &m->ex[m->vals[t].producer];
			if (mul->op != OP_MUL || m->vals[x].kind == V_CONST)
				continue;
			int s = mul->in[0] == x ? mul->in[1] : mul->in[1] == x ? mul->in[0] : -1;
			if (s < 0 || s == x)
				continue;
			/* the sum has x's shape: s only broadcasts into it */
			if (memcmp(m->vals[x].dims, m->vals[add->out].dims, sizeof(int64_t) * 4) != 0)
				continue;
			add->op = OP_XMULADD;
			add->in[0] = x;
			add->in[1] = s;
			mul->op = OP_NONE;
			count_uses(m);
			break;
		}
	}
}

/* Add(a, Resize(b)) with the resized tensor used once -> a + b[map] in one pass: the
 * upsampled tensor is never written (the FPN top-down path). */
static void fuse_addresize(tl_model *m)
{
	for (int i = 0; i < m->nex; i++) {
		nn_node *add = &m->ex[i];
		if (add->op != OP_ADD)
			continue;
		for (int k = 0; k < 2; k++) {
			int r = add->in[k], a = add->in[1 - k];
			if (m->vals[r].kind != V_ACT || m->vals[r].nuse != 1 || r == m->output ||
			    m->vals[a].kind == V_CONST || a == r)
				continue;
			nn_node *rs = &m->ex[m->vals[r].producer];
			if (rs->op != OP_RESIZE ||
			    memcmp(m->vals[a].dims, m->vals[add->out].dims, sizeof(int64_t) * 4) != 0 ||
			    memcmp(m->vals[r].dims, m->vals[add->out].dims, sizeof(int64_t) * 4) != 0)
				continue;
			add->op = OP_ADDRESIZE;
			add->nin = 4;
			add->in[0] = a;
			add->in[1] = rs->in[0];
			add->in[2] = rs->in[2];
			add->in[3] = rs->in[3];
			add->rcoord = rs->rcoord;
			add->rnear = rs->rnear;
			rs->op = OP_NONE;
			count_uses(m);
			break;
		}
	}
}

static int ensure_post(nn_node *nd)
{
	if (nd->post_s)
		return TL_OK;
	nd->post_s = malloc(sizeof(float) * (size_t)nd->cout);
	nd->post_t = calloc((size_t)nd->cout, sizeof(float));
	if (!nd->post_s || !nd->post_t)
		return TL_E_NOMEM;
	for (int c = 0; c < nd->cout; c++)
		nd->post_s[c] = 1.0f;
	return TL_OK;
}

static int ensure_bias(nn_node *nd)
{
	if (!nd->b && !(nd->b = calloc((size_t)nd->cout, sizeof(float))))
		return TL_E_NOMEM;
	return TL_OK;
}

/* Scales output channel co's weights by s[co]. */
static void scale_weights(tl_model *m, nn_node *nd, const float *s)
{
	const nn_value *w = &m->vals[nd->in[1]];
	size_t khw = (size_t)nd->kh * nd->kw;
	if (nd->op == OP_CONV) {
		size_t per = w->n / (size_t)nd->cout;
		for (int co = 0; co < nd->cout; co++)
			for (size_t i = 0; i < per; i++)
				nd->w[co * per + i] *= s[co];
	} else {
		int cog = nd->cout / nd->group, cig = nd->cin / nd->group;
		for (int ci = 0; ci < nd->cin; ci++)
			for (int j = 0; j < cog; j++)
				for (size_t i = 0; i < khw; i++)
					nd->w[((size_t)ci * cog + j) * khw + i] *= s[(ci / cig) * cog + j];
	}
}

/* Absorbs the chain after each Conv/ConvTranspose into it (see the file comment). */
static int fuse_convs(tl_model *m)
{
	float *k = NULL;
	int rc = TL_OK;
	for (int i = 0; i < m->nex; i++) {
		nn_node *nd = &m->ex[i];
		if (nd->op != OP_CONV && nd->op != OP_CONVT)
			continue;
		free(k);
		k = malloc(sizeof(float) * (size_t)nd->cout * 2 + 16);
		if (!k)
			return TL_E_NOMEM;
		for (;;) {
			int j = only_consumer(m, nd->out, i);
			if (j < 0)
				break;
			nn_node *nx = &m->ex[j];
			int other = -1, plain = !nd->act && !nd->post_s;
			if ((nx->op == OP_ADD || nx->op == OP_MUL) && nx->nin == 2)
				other = nx->in[0] == nd->out ? nx->in[1] : nx->in[0];
			if (nx->op == OP_BN && plain && nd->res < 0) {
				const float *g = m->vals[nx->in[1]].f, *be = m->vals[nx->in[2]].f;
				const float *mu = m->vals[nx->in[3]].f, *var = m->vals[nx->in[4]].f;
				if ((rc = ensure_bias(nd)) != TL_OK)
					break;
				for (int c = 0; c < nd->cout; c++) {
					k[c] = g[c] / sqrtf(var[c] + nx->eps);
					nd->b[c] = (nd->b[c] - mu[c]) * k[c] + be[c];
				}
				scale_weights(m, nd, k);
			} else if (nx->op == OP_MUL && channel_const(m, other, nd->cout, k)) {
				if (plain && nd->res < 0) {
					if ((rc = ensure_bias(nd)) != TL_OK)
						break;
					scale_weights(m, nd, k);
					for (int c = 0; c < nd->cout; c++)
						nd->b[c] *= k[c];
				} else {
					if ((rc = ensure_post(nd)) != TL_OK)
						break;
					for (int c = 0; c < nd->cout; c++) {
						nd->post_s[c] *= k[c];
						nd->post_t[c] *= k[c];
					}
				}
			} else if (nx->op == OP_ADD && channel_const(m, other, nd->cout, k)) {
				if (plain) {
					if ((rc = ensure_bias(nd)) != TL_OK)
						break;
					for (int c = 0; c < nd->cout; c++)
						nd->b[c] += k[c];
				} else {
					if ((rc = ensure_post(nd)) != TL_OK)
						break;
					for (int c = 0; c < nd->cout; c++)
						nd->post_t[c] += k[c];
				}
			} else if (nx->op == OP_ADD && plain && nd->res < 0 && other >= 0 &&
				   m->vals[other].kind != V_CONST && other != nd->out &&
				   memcmp(m->vals[other].dims, m->vals[nd->out].dims, sizeof(int64_t) * 4) == 0 &&
				   (m->vals[other].kind == V_INPUT || m->vals[other].producer < i)) {
				nd->res = other;   /* residual: computed before this Conv runs */
			} else if (!nd->act && !nd->post_s &&
				   (nx->op == OP_RELU || nx->op == OP_CLIP || nx->op == OP_HSIG ||
				    nx->op == OP_HSWISH || nx->op == OP_SIGMOID)) {
				switch (nx->op) {
				case OP_RELU: nd->act = ACT_RELU; break;
				case OP_CLIP: nd->act = ACT_CLIP; nd->a0 = nx->cmin; nd->a1 = nx->cmax; break;
				case OP_HSIG: nd->act = ACT_HSIG; nd->a0 = nx->alpha; nd->a1 = nx->beta; break;
				case OP_HSWISH:
					nd->act = ACT_HSWISH;
					nd->a0 = nx->alpha; nd->a1 = nx->beta; nd->a2 = nx->cmax;
					break;
				default: nd->act = ACT_SIGMOID; break;
				}
			} else {
				break;
			}
			/* the conv now produces what the absorbed node produced */
			m->vals[nx->out].producer = i;
			nd->out = nx->out;
			nx->op = OP_NONE;
			count_uses(m);
		}
		if (rc != TL_OK)
			break;
	}
	free(k);
	return rc;
}

/* ---- memory planning ---------------------------------------------------------- */

typedef struct slot {
	int v;
	size_t size;
	int def, last;
	size_t off;
} slot;

static int cmp_size_desc(const void *a, const void *b)
{
	const slot *x = a, *y = b;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->def - y->def;
}

static int cmp_off(const void *a, const void *b)
{
	const slot *const *x = a, *const *y = b;
	return (*x)->off < (*y)->off ? -1 : (*x)->off > (*y)->off;
}

/* Greedy by size: each value goes at the lowest offset free over its whole lifetime. */
static int plan_memory(tl_model *m, tl_error *err)
{
	int n = 0;
	slot *s = malloc(sizeof *s * ((size_t)m->nex + 1));
	slot **conf = malloc(sizeof *conf * ((size_t)m->nex + 1));
	if (!s || !conf) {
		free(s);
		free(conf);
		return TL_E_NOMEM;
	}
	for (int i = 0; i < m->nex; i++) {
		nn_node *nd = &m->ex[i];
		if (nd->op == OP_NONE)
			continue;
		nn_value *o = &m->vals[nd->out];
		s[n].v = nd->out;
		s[n].size = (o->n + 15) & ~(size_t)15;   /* 64-byte aligned starts */
		s[n].def = i;
		s[n].last = o->last < i ? i : o->last;
		n++;
	}
	qsort(s, (size_t)n, sizeof *s, cmp_size_desc);
	size_t top = 0;
	for (int i = 0; i < n; i++) {
		int nc = 0;
		for (int j = 0; j < i; j++)
			if (s[j].def <= s[i].last && s[i].def <= s[j].last)
				conf[nc++] = &s[j];
		qsort(conf, (size_t)nc, sizeof *conf, cmp_off);
		size_t off = 0;
		for (int j = 0; j < nc; j++) {
			if (conf[j]->off >= off + s[i].size)
				break;
			if (conf[j]->off + conf[j]->size > off)
				off = conf[j]->off + conf[j]->size;
		}
		s[i].off = off;
		if (off + s[i].size > top)
			top = off + s[i].size;
		m->vals[s[i].v].off = off;
	}
	free(s);
	free(conf);
	if ((uint64_t)top * 4 > NN_MAX_ARENA)
		return perr(m, err, TL_E_LIMIT, "activations need %llu MiB, over the limit",
			    (unsigned long long)top * 4 >> 20);
	m->arena_floats = top;
	free(m->arena);
	m->arena = aligned_alloc(64, (top ? top : 16) * sizeof(float));
	if (!m->arena)
		return perr(m, err, TL_E_NOMEM, "cannot allocate %llu MiB of activations",
			    (unsigned long long)top * 4 >> 20);
	return TL_OK;
}

/* ---- fast paths ------------------------------------------------------------------ */

size_t nn_pack_a_size(int M, int K, int mr)
{
	return (size_t)((M + mr - 1) / mr) * (size_t)mr * (size_t)K;
}

void nn_pack_a(const float *A, int M, int K, int mr, float *out)
{
	for (int p = 0; p < (M + mr - 1) / mr; p++)
		for (int k = 0; k < K; k++)
			for (int r = 0; r < mr; r++) {
				int row = p * mr + r;
				out[((size_t)p * K + k) * mr + r] = row < M ? A[(size_t)row * K + k] : 0.0f;
			}
}

/* Picks a fast path per Conv, packs its weights; returns scratch floats per thread. */
static int choose_fast(tl_model *m, size_t *scratch)
{
	const nn_kernels *kr = m->kern;
	*scratch = 0;
	for (int i = 0; i < m->nex; i++) {
		nn_node *nd = &m->ex[i];
		nd->fast = FAST_NONE;
		if (!kr || (nd->op != OP_CONV && nd->op != OP_CONVT))
			continue;
		const nn_value *x = &m->vals[nd->in[0]], *y = &m->vals[nd->out];
		int C = (int)x->dims[1], H = (int)x->dims[2], W = (int)x->dims[3];
		int OW = (int)y->dims[3];
		size_t need = 0;
		int M = 0, K = 0;
		const float *A = nd->w;
		float *tmpA = NULL;
		if (nd->op == OP_CONV && nd->group == 1 && nd->kh == 1 && nd->kw == 1 && nd->sh == 1 &&
		    nd->sw == 1 && !nd->pt && !nd->pl && !nd->pb && !nd->pr) {
			nd->fast = FAST_GEMM1x1;
			M = nd->cout;
			K = C;
		} else if (nd->op == OP_CONV && nd->group == C && nd->cout == C && nd->cin == 1 &&
			   nd->kh * nd->kw <= NN_MAX_KERNEL * 4) {
			nd->fast = FAST_DW;
			need = nn_dw_scratch(nd, H, W, OW);
		} else if (nd->op == OP_CONV && nd->group == 1 && nd->kh == 3 && nd->kw == 3 && nd->sh == 1 &&
			   nd->sw == 1 && nd->dh == 1 && nd->dw == 1 && C >= 8 && kr->wino_task) {
			/* Winograd F(2x2, 3x3): 16 products per 4 outputs instead of 36. The filter
			 * transform U = G g G^T (G has entries 0, 1, 1/2: exact in float) */
			nd->fast = FAST_WINO;
			int Mw = nd->cout;
			size_t psz = nn_pack_a_size(Mw, C, kr->mr);
			float *U = malloc(sizeof(float) * 16 * (size_t)Mw * C);
			free(nd->wpack);
			nd->wpack = aligned_alloc(64, ((16 * psz + 15) & ~(size_t)15) * 4);
			if (!U || !nd->wpack) {
				free(U);
				return TL_E_NOMEM;
			}
			static const double G[4][3] = { { 1, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0, 0, 1 } };
			for (int co = 0; co < Mw; co++)
				for (int ci = 0; ci < C; ci++) {
					const float *g = nd->w + ((size_t)co * C + ci) * 9;
					for (int r = 0; r < 4; r++)
						for (int c = 0; c < 4; c++) {
							double u = 0;
							for (int a = 0; a < 3; a++)
								for (int b = 0; b < 3; b++)
									u += G[r][a] * g[a * 3 + b] * G[c][b];
							U[((size_t)(r * 4 + c) * Mw + co) * C + ci] = (float)u;
						}
				}
			for (int xi = 0; xi < 16; xi++)
				nn_pack_a(U + (size_t)xi * Mw * C, Mw, C, kr->mr, nd->wpack + (size_t)xi * psz);
			free(U);
			need = nn_wino_scratch(C, Mw, kr->mr, kr->nr);
			size_t PH, PW;
			nn_wino_layout(nd, H, OW, &PH, &PW);
			if ((size_t)C * PH * 2 * PW > m->shared_floats)
				m->shared_floats = (size_t)C * PH * 2 * PW;
		} else if (nd->op == OP_CONV && nd->group == 1) {
			nd->fast = FAST_IM2COL;
			M = nd->cout;
			K = C * nd->kh * nd->kw;
			need = (size_t)K * NN_TILE;
		} else if (nd->op == OP_CONVT && nd->group == 1 && nd->kh == nd->sh && nd->kw == nd->sw &&
			   nd->dh == 1 && nd->dw == 1 && !nd->pt && !nd->pl && !nd->pb && !nd->pr &&
			   !nd->oph && !nd->opw) {
			nd->fast = FAST_CONVT;
			int khw = nd->kh * nd->kw;
			M = nd->cout * khw;
			K = C;
			/* A[(co, ky, kx)][ci] from W[ci][co][ky][kx] */
			tmpA = malloc(sizeof(float) * (size_t)M * K);
			if (!tmpA)
				return TL_E_NOMEM;
			for (int ci = 0; ci < C; ci++)
				for (int r = 0; r < M; r++)
					tmpA[(size_t)r * K + ci] = nd->w[(size_t)ci * M + r];
			A = tmpA;
			need = (size_t)M * NN_TILE;
		}
		if (M) {
			free(nd->wpack);
			nd->wpack = aligned_alloc(64, ((nn_pack_a_size(M, K, kr->mr) + 15) & ~(size_t)15) * 4);
			if (!nd->wpack) {
				free(tmpA);
				return TL_E_NOMEM;
			}
			nn_pack_a(A, M, K, kr->mr, nd->wpack);
			need += (size_t)K * kr->nr + (size_t)kr->mr * kr->nr + 64;
		}
		free(tmpA);
		if (need > *scratch)
			*scratch = need;
	}
	return TL_OK;
}

/* ---- the plan ------------------------------------------------------------------- */

int nn_plan(tl_model *m, int h, int w, tl_error *err)
{
	nn_free_plan(m);
	if (h < 1 || w < 1 || h > NN_MAX_SIDE || w > NN_MAX_SIDE)
		return perr(m, err, TL_E_LIMIT, "input size %dx%d out of range (1 to %d)", h, w, NN_MAX_SIDE);
	nn_value *in = &m->vals[m->input];
	if ((m->in_decl[2] > 0 && m->in_decl[2] != h) || (m->in_decl[3] > 0 && m->in_decl[3] != w))
		return perr(m, err, TL_E_INPUT, "the model takes %ldx%ld inputs, not %dx%d",
			    m->in_decl[2], m->in_decl[3], h, w);
	m->ex = calloc((size_t)m->nnodes + 1, sizeof *m->ex);
	if (!m->ex)
		return TL_E_NOMEM;
	m->nex = m->nnodes;
	int rc = TL_OK;
	for (int i = 0; i < m->nex && rc == TL_OK; i++) {
		nn_node *nd = &m->ex[i];
		*nd = m->nodes[i];
		nd->w = nd->b = nd->post_s = nd->post_t = nd->wpack = NULL;
		m->vals[nd->out].producer = i;
		if (nd->op == OP_CONV || nd->op == OP_CONVT) {
			const nn_value *wv = &m->vals[nd->in[1]];
			nd->w = malloc(sizeof(float) * wv->n);
			if (!nd->w) {
				rc = TL_E_NOMEM;
				break;
			}
			memcpy(nd->w, wv->f, sizeof(float) * wv->n);
			if (nd->nin > 2 && nd->in[2] >= 0) {
				nd->b = malloc(sizeof(float) * (size_t)nd->cout);
				if (!nd->b) {
					rc = TL_E_NOMEM;
					break;
				}
				memcpy(nd->b, m->vals[nd->in[2]].f, sizeof(float) * (size_t)nd->cout);
			}
		}
	}
	in->dims[0] = 1;
	in->dims[1] = 3;
	in->dims[2] = h;
	in->dims[3] = w;
	in->n = (size_t)3 * h * w;
	m->macs = 0;
	for (int i = 0; i < m->nex && rc == TL_OK; i++)
		rc = infer(m, &m->ex[i], err);
	if (rc == TL_OK) {
		count_uses(m);
		if (m->fusion) {
			fuse_hardswish(m);
			rc = fuse_convs(m);
			fuse_muladd(m);
			fuse_addresize(m);
		}
	}
	if (rc == TL_OK) {
		/* Conv weight/bias inputs are folded into the node: drop them as operands. */
		for (int i = 0; i < m->nex; i++)
			if (m->ex[i].op == OP_CONV || m->ex[i].op == OP_CONVT)
				m->ex[i].nin = 1;
		count_uses(m);
		rc = plan_memory(m, err);
	}
	size_t scratch = 0;
	if (rc == TL_OK)
		rc = choose_fast(m, &scratch);
	if (rc == TL_OK) {
		int nt = m->pool_threads > 0 ? m->pool_threads : 1;
		m->scratch_per_thread = (scratch + 15) & ~(size_t)15;
		if (m->shared_floats && !(m->shared = aligned_alloc(64, ((m->shared_floats + 15) & ~(size_t)15) * 4)))
			rc = TL_E_NOMEM;
		if (scratch && rc == TL_OK) {
			m->scratch = aligned_alloc(64, m->scratch_per_thread * sizeof(float) * (size_t)nt);
			if (!m->scratch)
				rc = TL_E_NOMEM;
		}
	}
	if (rc != TL_OK) {
		if (rc == TL_E_NOMEM)
			perr(m, err, TL_E_NOMEM, "out of memory planning %dx%d", h, w);
		nn_free_plan(m);
		return rc;
	}
	m->ph = h;
	m->pw = w;
	return TL_OK;
}

/* ---- running --------------------------------------------------------------------- */

typedef struct conv_job {
	tl_model *m;
	const nn_node *nd;
	const float *in, *res;
	float *out;
	int C, H, W, OH, OW;
	int ntiles;
	int phase;           /* Winograd: 0 fills the shared input, 1 computes tiles */
	int nchunks;         /* Winograd: tile chunks per tile row */
} conv_job;

static void conv_task(void *ctx, int t, int thread)
{
	conv_job *j = ctx;
	const nn_node *nd = j->nd;
	const nn_kernels *kr = j->m->kern;
	float *tmp = j->m->scratch + (size_t)thread * j->m->scratch_per_thread;
	size_t HW = (size_t)j->H * j->W, OHW = (size_t)j->OH * j->OW;
	switch (nd->fast) {
	case FAST_GEMM1x1: {
		int n0 = t * NN_TILE;
		int nn = (int)(OHW - (size_t)n0 < NN_TILE ? OHW - (size_t)n0 : NN_TILE);
		kr->gemm(nd->wpack, nd->cout, j->C, j->in + n0, HW, nn, j->out + n0, OHW, nd, 0,
			 j->res ? j->res + n0 : NULL, OHW, tmp);
		break;
	}
	case FAST_IM2COL: {
		int n0 = t * NN_TILE;
		int nn = (int)(OHW - (size_t)n0 < NN_TILE ? OHW - (size_t)n0 : NN_TILE);
		int K = j->C * nd->kh * nd->kw;
		float *panel = tmp;
		int oy0 = n0 / j->OW, ox0 = n0 % j->OW;
		for (int c = 0; c < j->C; c++)
			for (int ky = 0; ky < nd->kh; ky++)
				for (int kx = 0; kx < nd->kw; kx++) {
					float *row = panel + ((size_t)(c * nd->kh + ky) * nd->kw + kx) * NN_TILE;
					const float *ip = j->in + (size_t)c * HW;
					int oy = oy0, ox = ox0, q = 0;
					/* one output row segment at a time: its valid input columns are
					 * contiguous when the stride is 1, so they are copied whole */
					while (q < nn) {
						int seg = j->OW - ox < nn - q ? j->OW - ox : nn - q;
						int iy = oy * nd->sh - nd->pt + ky * nd->dh;
						float *dst = row + q;
						if (iy < 0 || iy >= j->H) {
							memset(dst, 0, sizeof(float) * (size_t)seg);
						} else if (nd->sw == 1) {
							const float *src = ip + (size_t)iy * j->W;
							int ix0 = ox - nd->pl + kx * nd->dw;   /* input column of dst[0] */
							int a = ix0 < 0 ? -ix0 : 0;            /* leading zeros */
							if (a > seg)
								a = seg;
							int b = j->W - ix0;                    /* end of valid columns */
							if (b > seg)
								b = seg;
							if (b < a)
								b = a;
							memset(dst, 0, sizeof(float) * (size_t)a);
							memcpy(dst + a, src + ix0 + a, sizeof(float) * (size_t)(b - a));
							memset(dst + b, 0, sizeof(float) * (size_t)(seg - b));
						} else {
							/* strided: the valid range [a, b) found once, then a plain
							 * gather without per-element tests */
							const float *src = ip + (size_t)iy * j->W;
							int sw = nd->sw;
							int ix0 = ox * sw - nd->pl + kx * nd->dw;
							int a = ix0 < 0 ? (-ix0 + sw - 1) / sw : 0;
							int b = ix0 >= j->W ? 0 : (j->W - ix0 + sw - 1) / sw;
							a = a > seg ? seg : a;
							b = b > seg ? seg : b < a ? a : b;
							for (int k = 0; k < a; k++)
								dst[k] = 0.0f;
							const float *sp = src + ix0;
							for (int k = a; k < b; k++)
								dst[k] = sp[(ptrdiff_t)k * sw];
							for (int k = b; k < seg; k++)
								dst[k] = 0.0f;
						}
						q += seg;
						ox = 0;
						oy++;
					}
				}
		kr->gemm(nd->wpack, nd->cout, K, panel, NN_TILE, nn, j->out + n0, OHW, nd, 0,
			 j->res ? j->res + n0 : NULL, OHW, panel + (size_t)K * NN_TILE);
		break;
	}
	case FAST_CONVT: {
		int n0 = t * NN_TILE;
		int nn = (int)(HW - (size_t)n0 < NN_TILE ? HW - (size_t)n0 : NN_TILE);
		int khw = nd->kh * nd->kw, M = nd->cout * khw;
		float *T = tmp;
		kr->gemm(nd->wpack, M, j->C, j->in + n0, HW, nn, T, NN_TILE, NULL, 0, NULL, 0,
			 T + (size_t)M * NN_TILE);
		for (int r = 0; r < M; r++) {
			int co = r / khw, ky = (r % khw) / nd->kw, kx = r % nd->kw;
			float *op = j->out + (size_t)co * OHW;
			const float *rp = j->res ? j->res + (size_t)co * OHW : NULL;
			float *src = T + (size_t)r * NN_TILE;
			int iy = n0 / j->W, ix = n0 % j->W;
			if (!rp)   /* the epilogue is per channel: apply it before scattering */
				kr->epi_rows(nd, src, nn, co);
			if (!rp && nd->kw == 2 && nd->sw == 2) {
				/* kx = 0 and 1 fill alternate columns: interleave the two rows */
				float *src1 = src + NN_TILE;
				kr->epi_rows(nd, src1, nn, co);
				for (int q = 0; q < nn;) {
					int seg = j->W - ix < nn - q ? j->W - ix : nn - q;
					float *dst = op + (size_t)(iy * nd->sh + ky) * j->OW + (size_t)ix * 2;
					kr->interleave2(dst, src + q, src1 + q, seg);
					q += seg;
					ix = 0;
					iy++;
				}
				r++;
				continue;
			}
			for (int q = 0; q < nn;) {
				int seg = j->W - ix < nn - q ? j->W - ix : nn - q;
				float *dst = op + (size_t)(iy * nd->sh + ky) * j->OW + (size_t)kx;
				if (rp) {
					const float *rr = rp + (dst - op);
					for (int k = 0; k < seg; k++)
						dst[(size_t)(ix + k) * nd->sw] = nn_epi1(nd, co, src[q + k],
											rr[(size_t)(ix + k) * nd->sw]);
				} else {
					for (int k = 0; k < seg; k++)
						dst[(size_t)(ix + k) * nd->sw] = src[q + k];
				}
				q += seg;
				ix = 0;
				iy++;
			}
		}
		break;
	}
	case FAST_WINO: {
		size_t PH, PW;
		nn_wino_layout(nd, j->H, j->OW, &PH, &PW);
		if (j->phase == 0) {
			int per = (j->C + j->ntiles - 1) / j->ntiles;
			int c0 = t * per, c1 = c0 + per > j->C ? j->C : c0 + per;
			if (c0 < c1)
				kr->wino_fill(nd, j->in, j->H, j->W, j->m->shared, PH, PW, c0, c1);
			break;
		}
		int ntx = (j->OW + 1) / 2;
		int ty = t / j->nchunks, tx0 = (t % j->nchunks) * NN_WT;
		int ntl = ntx - tx0 < NN_WT ? ntx - tx0 : NN_WT;
		kr->wino_task(nd, j->m->shared, PH, PW, j->C, j->out, j->OH, j->OW, j->res, ty, tx0, ntl, tmp);
		break;
	}
	case FAST_DW: {
		int per = (nd->cout + j->ntiles - 1) / j->ntiles;
		int c0 = t * per, c1 = c0 + per > nd->cout ? nd->cout : c0 + per;
		if (c0 < c1)
			kr->dwconv(nd, j->in, j->H, j->W, j->out, j->OH, j->OW, j->res, c0, c1, tmp);
		break;
	}
	default:
		break;
	}
}

static void run_conv(tl_model *m, const nn_node *nd)
{
	const nn_value *x = &m->vals[nd->in[0]], *y = &m->vals[nd->out];
	conv_job j;
	j.m = m;
	j.nd = nd;
	j.in = x->data;
	j.out = y->data;
	j.res = nd->res >= 0 ? m->vals[nd->res].data : NULL;
	j.C = (int)x->dims[1];
	j.H = (int)x->dims[2];
	j.W = (int)x->dims[3];
	j.OH = (int)y->dims[2];
	j.OW = (int)y->dims[3];
	if (nd->fast == FAST_NONE) {
		if (nd->op == OP_CONV)
			nn_ref_conv(nd, j.in, j.C, j.H, j.W, j.out, j.OH, j.OW, j.res);
		else
			nn_ref_convt(nd, j.in, j.C, j.H, j.W, j.out, j.OH, j.OW, j.res);
		return;
	}
	size_t cols = nd->fast == FAST_CONVT ? (size_t)j.H * j.W : (size_t)j.OH * j.OW;
	j.phase = 0;
	if (nd->fast == FAST_WINO) {
		/* fill the padded, phase-split input (by channels), then the tiles */
		j.ntiles = j.C < 64 ? j.C : 64;
		if (m->pool)
			nn_pool_run(m->pool, j.ntiles, conv_task, &j);
		else
			for (int t = 0; t < j.ntiles; t++)
				conv_task(&j, t, 0);
		j.phase = 1;
		j.nchunks = ((j.OW + 1) / 2 + NN_WT - 1) / NN_WT;
		j.ntiles = ((j.OH + 1) / 2) * j.nchunks;
	} else if (nd->fast == FAST_DW) {
		/* tasks are channel ranges; a fixed split keeps results independent of threads */
		j.ntiles = nd->cout < 64 ? nd->cout : 64;
	} else {
		j.ntiles = (int)((cols + NN_TILE - 1) / NN_TILE);
	}
	if (m->pool && j.ntiles > 1)
		nn_pool_run(m->pool, j.ntiles, conv_task, &j);
	else
		for (int t = 0; t < j.ntiles; t++)
			conv_task(&j, t, 0);
}

/* Element-wise binary with NumPy broadcasting over 4-D, for channels [c0, c1). */
static void run_binary(tl_model *m, const nn_node *nd, int64_t c0, int64_t c1)
{
	const nn_value *A = &m->vals[nd->in[0]], *B = &m->vals[nd->in[1]], *Y = &m->vals[nd->out];
	const float *a = A->kind == V_CONST ? A->f : A->data;
	const float *b = B->kind == V_CONST ? B->f : B->data;
	float *y = Y->data;
	int64_t da[4], db[4];
	dims4(A, da);
	dims4(B, db);
	size_t sa[4], sb[4], acc_a = 1, acc_b = 1;
	for (int k = 3; k >= 0; k--) {
		sa[k] = da[k] == 1 ? 0 : acc_a;
		sb[k] = db[k] == 1 ? 0 : acc_b;
		acc_a *= (size_t)da[k];
		acc_b *= (size_t)db[k];
	}
	const int64_t *d = Y->dims;
	size_t inner = (size_t)d[3];
	for (int64_t i0 = 0; i0 < d[0]; i0++)
		for (int64_t i1 = c0; i1 < c1; i1++)
			for (int64_t i2 = 0; i2 < d[2]; i2++) {
				const float *pa = a + i0 * sa[0] + i1 * sa[1] + i2 * sa[2];
				const float *pb = b + i0 * sb[0] + i1 * sb[1] + i2 * sb[2];
				size_t ia = sa[3], ib = sb[3];
				float *py = y + ((size_t)(i0 * d[1] + i1) * (size_t)d[2] + (size_t)i2) * inner;
				switch (nd->op) {
				case OP_ADD:
					if (ia && ib) for (size_t x = 0; x < inner; x++) py[x] = pa[x] + pb[x];
					else if (ia) { float v = pb[0]; for (size_t x = 0; x < inner; x++) py[x] = pa[x] + v; }
					else for (size_t x = 0; x < inner; x++) py[x] = pa[x * ia] + pb[x * ib];
					break;
				case OP_MUL:
					if (ia && ib) for (size_t x = 0; x < inner; x++) py[x] = pa[x] * pb[x];
					else if (ia) { float v = pb[0]; for (size_t x = 0; x < inner; x++) py[x] = pa[x] * v; }
					else for (size_t x = 0; x < inner; x++) py[x] = pa[x * ia] * pb[x * ib];
					break;
				case OP_XMULADD:
					for (size_t x = 0; x < inner; x++) {
						float p = pa[x * ia] * pb[x * ib];
						py[x] = pa[x * ia] + p;
					}
					break;
				default:
					for (size_t x = 0; x < inner; x++) py[x] = pa[x * ia] / pb[x * ib];
					break;
				}
			}
}

/* Source row/column of each output row/column of a nearest Resize (node nd's attributes;
 * its scales or sizes are inputs 2 and 3). */
static void resize_maps(const tl_model *m, const nn_node *nd, int64_t IH, int64_t IW, int64_t OH,
			int64_t OW, int64_t *my, int64_t *mx)
{
	const float *sc = nd->in[2] >= 0 ? m->vals[nd->in[2]].f : NULL;
	for (int ax = 0; ax < 2; ax++) {
		int64_t in_n = ax ? IW : IH, out_n = ax ? OW : OH;
		double scale = sc ? (double)sc[2 + ax] : (double)out_n / (double)in_n;
		int64_t *map = ax ? mx : my;
		for (int64_t o = 0; o < out_n; o++) {
			double c;
			switch (nd->rcoord) {
			case RS_ASYMMETRIC: c = (double)o / scale; break;
			case RS_ALIGN_CORNERS:
				c = out_n > 1 ? (double)o * (double)(in_n - 1) / (double)(out_n - 1) : 0.0;
				break;
			case RS_PYTORCH_HALF_PIXEL:
				c = out_n > 1 ? ((double)o + 0.5) / scale - 0.5 : 0.0;
				break;
			case RS_TF_HALF_PIXEL: c = ((double)o + 0.5) / scale; break;
			default: c = ((double)o + 0.5) / scale - 0.5; break;
			}
			double r;
			switch (nd->rnear) {
			case RN_FLOOR: r = floor(c); break;
			case RN_CEIL: r = ceil(c); break;
			case RN_ROUND_PREFER_CEIL: r = floor(c + 0.5); break;
			default: r = ceil(c - 0.5); break;
			}
			int64_t k = (int64_t)r;
			map[o] = k < 0 ? 0 : k >= in_n ? in_n - 1 : k;
		}
	}
}

/* Non-convolution operators on output channels [c0, c1) (all channels of axis 1; a Concat
 * on another axis runs as one task). */
static void run_ew(tl_model *m, const nn_node *nd, int64_t c0, int64_t c1)
{
	const nn_value *X = &m->vals[nd->in[0]];
	nn_value *Y = &m->vals[nd->out];
	const float *x = X->data;
	float *y = Y->data;
	size_t plane = (size_t)(Y->dims[2] * Y->dims[3]);
	size_t lo = (size_t)c0 * plane, hi = (size_t)c1 * plane;
	switch (nd->op) {
	case OP_ADD: case OP_MUL: case OP_DIV: case OP_XMULADD:
		run_binary(m, nd, c0, c1);
		break;
	case OP_RELU:
		for (size_t i = lo; i < hi; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
		break;
	case OP_CLIP:
		for (size_t i = lo; i < hi; i++) {
			float v = x[i] < nd->cmin ? nd->cmin : x[i];
			y[i] = v > nd->cmax ? nd->cmax : v;
		}
		break;
	case OP_HSIG:
		for (size_t i = lo; i < hi; i++) {
			float v = nd->alpha * x[i] + nd->beta;
			v = v < 0.0f ? 0.0f : v;
			y[i] = v > 1.0f ? 1.0f : v;
		}
		break;
	case OP_HSWISH:
		for (size_t i = lo; i < hi; i++) {
			float v = nd->alpha * x[i] + nd->beta;
			v = v < 0.0f ? 0.0f : v;
			v = v > nd->cmax ? nd->cmax : v;
			y[i] = x[i] * v / nd->cmax;
		}
		break;
	case OP_SIGMOID:
		for (size_t i = lo; i < hi; i++) y[i] = nn_sigmoidf(x[i]);
		break;
	case OP_BN: {
		const float *g = m->vals[nd->in[1]].f, *be = m->vals[nd->in[2]].f;
		const float *mu = m->vals[nd->in[3]].f, *var = m->vals[nd->in[4]].f;
		for (int64_t c = c0; c < c1; c++) {
			float s = g[c] / sqrtf(var[c] + nd->eps);
			for (size_t i = 0; i < plane; i++)
				y[(size_t)c * plane + i] = (x[(size_t)c * plane + i] - mu[c]) * s + be[c];
		}
		break;
	}
	case OP_GAP: {
		size_t ip = (size_t)(X->dims[2] * X->dims[3]);
		for (int64_t c = c0; c < c1; c++) {
			/* double accumulation, eight partial sums (independent chains, so the adds
			 * pipeline): the mean of a large plane stays exact to float */
			const float *p = x + (size_t)c * ip;
			double s[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
			size_t i = 0;
			for (; i + 8 <= ip; i += 8)
				for (int k = 0; k < 8; k++)
					s[k] += p[i + (size_t)k];
			for (; i < ip; i++)
				s[0] += p[i];
			double t = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
			y[c] = (float)(t / (double)ip);
		}
		break;
	}
	case OP_RESIZE: case OP_ADDRESIZE: {
		/* Resize: y = x[map]; the fused form: y = a + b[map] with a = in[0], b = in[1] */
		const nn_value *S = nd->op == OP_RESIZE ? X : &m->vals[nd->in[1]];
		const float *b = S->data;
		int64_t IH = S->dims[2], IW = S->dims[3], OH = Y->dims[2], OW = Y->dims[3];
		/* OH, OW <= 64 * 16384 (scale and size bounds): the maps fit on the heap */
		int64_t *mx = malloc(sizeof(int64_t) * (size_t)(OW + OH));
		if (!mx)
			break;   /* a few KiB; leaves the output as is if even that fails */
		int64_t *my = mx + OW;
		resize_maps(m, nd, IH, IW, OH, OW, my, mx);
		for (int64_t c = c0; c < c1; c++)
			for (int64_t oy = 0; oy < OH; oy++) {
				const float *src = b + ((size_t)c * IH + (size_t)my[oy]) * IW;
				float *dst = y + ((size_t)c * OH + oy) * OW;
				if (nd->op == OP_ADDRESIZE) {
					const float *a = x + ((size_t)c * OH + oy) * OW;
					for (int64_t ox = 0; ox < OW; ox++)
						dst[ox] = a[ox] + src[mx[ox]];
					continue;
				}
				if (oy > 0 && my[oy] == my[oy - 1]) {   /* a repeated source row */
					memcpy(dst, dst - OW, sizeof(float) * (size_t)OW);
					continue;
				}
				for (int64_t ox = 0; ox < OW; ox++)
					dst[ox] = src[mx[ox]];
			}
		free(mx);
		break;
	}
	case OP_CONCAT: {
		int ax = nd->axis < 0 ? nd->axis + 4 : nd->axis;
		if (ax == 1) {
			int64_t base = 0;
			for (int i = 0; i < nd->nin; i++) {
				const nn_value *S = &m->vals[nd->in[i]];
				int64_t n = S->dims[1];
				int64_t a = c0 > base ? c0 : base, b = c1 < base + n ? c1 : base + n;
				if (a < b)
					memcpy(y + (size_t)a * plane, S->data + (size_t)(a - base) * plane,
					       sizeof(float) * plane * (size_t)(b - a));
				base += n;
			}
			break;
		}
		size_t outer = 1, inner = 1;
		for (int k = 0; k < ax; k++) outer *= (size_t)Y->dims[k];
		for (int k = ax + 1; k < 4; k++) inner *= (size_t)Y->dims[k];
		size_t pos = 0, ystride = (size_t)Y->dims[ax] * inner;
		for (int i = 0; i < nd->nin; i++) {
			const nn_value *S = &m->vals[nd->in[i]];
			size_t chunk = (size_t)S->dims[ax] * inner;
			for (size_t o = 0; o < outer; o++)
				memcpy(y + o * ystride + pos, S->data + o * chunk, chunk * sizeof(float));
			pos += chunk;
		}
		break;
	}
	default:
		break;
	}
}

typedef struct ew_job {
	tl_model *m;
	const nn_node *nd;
	int64_t C;
	int ntasks;
} ew_job;

static void ew_task(void *ctx, int t, int thread)
{
	ew_job *j = ctx;
	(void)thread;
	int64_t per = (j->C + j->ntasks - 1) / j->ntasks;
	int64_t c0 = per * t, c1 = c0 + per > j->C ? j->C : c0 + per;
	if (c0 < c1)
		run_ew(j->m, j->nd, c0, c1);
}

static void run_node(tl_model *m, const nn_node *nd)
{
	if (nd->op == OP_CONV || nd->op == OP_CONVT) {
		run_conv(m, nd);
		return;
	}
	const nn_value *Y = &m->vals[nd->out];
	ew_job j = { m, nd, Y->dims[1], 1 };
	int whole = nd->op == OP_CONCAT && (nd->axis < 0 ? nd->axis + 4 : nd->axis) != 1;
	/* split by channels only when there is enough work to share (a fixed split: the same
	 * for any thread count, though element-wise results would not depend on it anyway) */
	if (!whole && m->pool && Y->n >= 65536)
		j.ntasks = (int)(j.C < 32 ? j.C : 32);
	if (j.ntasks > 1)
		nn_pool_run(m->pool, j.ntasks, ew_task, &j);
	else
		run_ew(m, nd, 0, j.C);   /* the batch dimension is 1 (set_dims) */
}

/* ---- the public interface ------------------------------------------------------------- */

int nn_cpu_isa(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
		return TL_NN_AVX512;
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		return TL_NN_AVX2;
#endif
	return TL_NN_SCALAR;
}

static void pick_kernels(tl_model *m)
{
	int best = nn_cpu_isa();
	int want = m->isa == TL_NN_AUTO ? best : (m->isa < best ? m->isa : best);
	m->kern = want == TL_NN_AVX512 ? &nn_kernels_avx512 : want == TL_NN_AVX2 ? &nn_kernels_avx2 : NULL;
}

int tl_model_load_mem(const void *data, size_t len, const char *name, tl_model **model, tl_error *err)
{
	*model = NULL;
	tl_model *m = calloc(1, sizeof *m);
	if (!m)
		return tl_error_set(err, TL_E_NOMEM, name, 0, 0, "out of memory");
	snprintf(m->name, sizeof m->name, "%s", name ? name : "model");
	m->fusion = 1;
	m->nthreads = 1;
	m->pool_threads = 1;
	if (len > TL_MAX_FILE_BYTES) {
		free(m);
		return tl_error_set(err, TL_E_LIMIT, name, 0, 0, "model larger than 1 GiB");
	}
	int rc = nn_parse_onnx(m, data, len, err);
	if (rc != TL_OK) {
		tl_model_free(m);
		return rc;
	}
	pick_kernels(m);
	*model = m;
	return TL_OK;
}

int tl_model_load(const char *path, tl_model **model, tl_error *err)
{
	char *data = NULL;
	size_t len = 0;
	*model = NULL;
	TL_TRY(tl_read_file(path, 0, &data, &len, err));
	int rc = tl_model_load_mem(data, len, path, model, err);
	free(data);
	return rc;
}

void tl_model_free(tl_model *m)
{
	if (!m)
		return;
	nn_free_plan(m);
	nn_pool_free(m->pool);
	nn_free_graph(m);
	free(m);
}

void tl_model_set_threads(tl_model *m, int nthreads)
{
	if (!m)
		return;
	if (nthreads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		nthreads = n > 0 ? (int)n : 1;
	}
	if (nthreads > 256)
		nthreads = 256;
	m->nthreads = nthreads;
}

int tl_model_set_isa(tl_model *m, int isa)
{
	if (isa < TL_NN_AUTO || isa > TL_NN_AVX512)
		isa = TL_NN_AUTO;
	m->isa = isa;
	pick_kernels(m);
	nn_free_plan(m);    /* packing depends on the kernels */
	return m->kern == &nn_kernels_avx512 ? TL_NN_AVX512 : m->kern == &nn_kernels_avx2 ? TL_NN_AVX2
									      : TL_NN_SCALAR;
}

void tl_model_set_fusion(tl_model *m, int enable)
{
	m->fusion = enable != 0;
	nn_free_plan(m);
}

static int ensure_pool(tl_model *m, tl_error *err)
{
	if (m->pool_threads == m->nthreads && (m->pool || m->nthreads == 1))
		return TL_OK;
	nn_pool_free(m->pool);
	m->pool = NULL;
	m->pool_threads = 1;
	nn_free_plan(m);        /* scratch is per thread */
	if (m->nthreads > 1) {
		m->pool = nn_pool_new(m->nthreads);
		if (!m->pool)
			return perr(m, err, TL_E_NOMEM, "cannot start %d threads", m->nthreads);
	}
	m->pool_threads = m->nthreads;
	return TL_OK;
}

int tl_model_run(tl_model *m, const float *input, int h, int w, float *out, size_t out_cap,
		 int out_dims[4], tl_error *err)
{
	TL_TRY(ensure_pool(m, err));
	if (!m->ex || m->ph != h || m->pw != w)
		TL_TRY(nn_plan(m, h, w, err));
	nn_value *Y = &m->vals[m->output];
	if (Y->n > out_cap)
		return perr(m, err, TL_E_USAGE, "output of %zu floats does not fit in %zu", Y->n, out_cap);
	m->vals[m->input].data = (float *)(uintptr_t)input;   /* read only */
	for (int i = 0; i < m->nex; i++)
		if (m->ex[i].op != OP_NONE)
			m->vals[m->ex[i].out].data = m->arena + m->vals[m->ex[i].out].off;
	for (int i = 0; i < m->nex; i++)
		if (m->ex[i].op != OP_NONE)
			run_node(m, &m->ex[i]);
	memcpy(out, Y->data, sizeof(float) * Y->n);
	for (int k = 0; k < 4; k++)
		out_dims[k] = (int)Y->dims[k];
	return TL_OK;
}

int tl_model_describe(tl_model *m, int h, int w, tl_model_info *info, tl_error *err)
{
	memset(info, 0, sizeof *info);
	snprintf(info->producer, sizeof info->producer, "%s", m->producer);
	info->ir_version = m->ir_version;
	info->opset = m->opset;
	snprintf(info->input_name, sizeof info->input_name, "%s", m->vals[m->input].name);
	snprintf(info->output_name, sizeof info->output_name, "%s", m->vals[m->output].name);
	for (int k = 0; k < 4; k++) {
		info->input_dims[k] = m->in_decl[k];
		info->output_dims[k] = -1;
	}
	info->nnodes = m->nstored;
	for (int i = 0; i < m->nstored; i++) {
		const char *op = nn_op_names[m->nodes[i].op];
		int j;
		for (j = 0; j < info->nops; j++)
			if (strcmp(info->ops[j].op, op) == 0)
				break;
		if (j == info->nops) {
			if (info->nops == TL_NN_MAX_OPKINDS)
				continue;
			snprintf(info->ops[j].op, sizeof info->ops[j].op, "%s", op);
			info->nops++;
		}
		info->ops[j].count++;
	}
	for (int v = 0; v < m->nvals; v++)
		if (m->vals[v].kind == V_CONST && m->vals[v].dtype == DT_FLOAT)
			info->params += m->vals[v].n;
	if (h > 0 && w > 0) {
		if (!m->ex || m->ph != h || m->pw != w)
			TL_TRY(nn_plan(m, h, w, err));
		info->h = h;
		info->w = w;
		info->macs = m->macs;
		info->arena_bytes = (unsigned long long)m->arena_floats * sizeof(float);
		for (int i = 0; i < m->nex; i++)
			info->nnodes_fused += m->ex[i].op != OP_NONE;
		for (int k = 0; k < 4; k++)
			info->output_dims[k] = (long)m->vals[m->output].dims[k];
	}
	return TL_OK;
}
