/* nn_internal.h — the inference engine's shared structures.
 *
 * Life of a model:
 *   onnx.c   decodes the protobuf into values (graph input, constants, activations) and
 *            nodes with checked attributes, in topological order;
 *   graph.c  for one input size: infers shapes, rewrites (BatchNorm folding, activation and
 *            affine fusion), plans activation memory by lifetime, packs weights; then runs;
 *   ref.c    scalar reference kernels for every operator;
 *   fast_*.c vectorised kernels (AVX2+FMA, AVX-512), one template (fast_impl.h);
 *   pool.c   the thread pool.
 * Batch size is 1 and activations are float32 NCHW. */
#ifndef TL_NN_INTERNAL_H
#define TL_NN_INTERNAL_H

#include <stdint.h>
#include <stddef.h>

#define NN_MAXDIM      4        /* rank of any tensor the engine handles */
#define NN_MAXIN       8        /* inputs of one node */
#define NN_MAX_NODES   100000
#define NN_MAX_VALUES  200000
#define NN_MAX_NAME    4096
#define NN_MAX_KERNEL  64       /* kernel extent, stride, dilation and pad bound */
#define NN_MAX_SIDE    16384    /* input height/width bound */
#define NN_MAX_ELEMS   ((uint64_t)1 << 32)   /* one activation tensor */
#define NN_MAX_ARENA   ((uint64_t)1 << 35)   /* all activations (32 GiB) */

enum nn_op {
	OP_NONE = 0,       /* removed by a rewrite */
	OP_CONV, OP_CONVT, OP_BN, OP_RELU, OP_CLIP, OP_HSIG, OP_SIGMOID,
	OP_ADD, OP_MUL, OP_DIV, OP_GAP, OP_RESIZE, OP_CONCAT, OP_CONSTANT,
	OP_HSWISH,         /* internal: hard-swish, recognised at plan time in either of its
	                      graph forms and computed as that form computes it:
	                      t = clamp(alpha x + beta, 0, cmax), y = (x t) / cmax
	                      (x * HardSigmoid(x): cmax 1; x * Clip(x + 3, 0, 6) / 6: 1, 3, 6) */
	OP_XMULADD,        /* internal: x + x * s (squeeze-excitation with a residual) */
	OP_ADDRESIZE,      /* internal: a + Resize(b), nearest (a top-down feature pyramid step) */
	OP_COUNT
};
extern const char *const nn_op_names[OP_COUNT];

enum nn_act { ACT_NONE = 0, ACT_RELU, ACT_CLIP, ACT_HSIG, ACT_HSWISH, ACT_SIGMOID };

enum nn_vkind { V_ACT = 0, V_INPUT, V_CONST };
enum nn_dtype { DT_FLOAT = 1, DT_INT64 = 7 };

typedef struct nn_value {
	char *name;
	int kind, dtype;
	int ndim;
	int64_t dims[NN_MAXDIM];
	size_t n;            /* elements (constants; activations after shape inference) */
	float *f;            /* constant float data (owned) */
	int64_t *i64;        /* constant int64 data (owned) */
	int producer;        /* node index or -1 */
	/* per plan */
	int nuse, last;      /* consumers and the last node that reads it */
	size_t off;          /* float offset in the arena */
	float *data;         /* activation storage during a run */
} nn_value;

/* Resize coordinate modes and nearest rounding. */
enum { RS_HALF_PIXEL, RS_ASYMMETRIC, RS_ALIGN_CORNERS, RS_PYTORCH_HALF_PIXEL, RS_TF_HALF_PIXEL };
enum { RN_ROUND_PREFER_FLOOR, RN_ROUND_PREFER_CEIL, RN_FLOOR, RN_CEIL };

typedef struct nn_node {
	int op;
	char *name;          /* shared with the loaded graph */
	int nin;
	int in[NN_MAXIN];    /* value indices; -1 for an omitted optional input */
	int out;
	/* Conv / ConvTranspose */
	int kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, group, autopad, oph, opw;
	/* attributes of other operators */
	float alpha, beta, eps, cmin, cmax;
	int axis, rcoord, rnear;
	/* epilogue of a fused Conv: +bias, +residual, activation, then *post_s + post_t */
	int act;
	float a0, a1, a2;    /* Clip min/max; HardSigmoid alpha/beta; HardSwish alpha/beta/cmax */
	int res;             /* residual value or -1 */
	float *w, *b;        /* weights/bias (exec graph: owned copies, possibly folded) */
	float *post_s, *post_t;
	int cout, cin;       /* Conv: output channels, input channels per group */
	float *wpack;        /* weights packed for the fast kernel in use */
	int fast;            /* which fast path the plan picked (FAST_*) */
} nn_node;

enum { FAST_NONE = 0, FAST_GEMM1x1, FAST_IM2COL, FAST_DW, FAST_CONVT, FAST_WINO };

typedef struct nn_pool nn_pool;

/* The kernels of one instruction set (fast_impl.h). */
typedef struct nn_kernels {
	const char *name;
	int mr;              /* rows of the GEMM micro-tile (weights are packed by mr) */
	int nr;              /* columns of the GEMM micro-tile */
	/* C[m][n] (ldc) = epilogue(sum_k A[m][k] * B[k][n] (ldb)), m in [0,M) n in [0,N);
	 * A packed by nn_pack_a; rows m0.. for bias/post indices; tmp holds K*nr+mr*nr floats. */
	void (*gemm)(const float *apack, int M, int K, const float *B, size_t ldb, int N,
		     float *C, size_t ldc, const nn_node *epi, int m0, const float *R, size_t ldr,
		     float *tmp);
	/* Depthwise conv of channels [c0,c1) of one node; tmp is per-thread scratch. */
	void (*dwconv)(const nn_node *nd, const float *in, int H, int W, float *out, int OH, int OW,
		       const float *R, int c0, int c1, float *tmp);
	/* The epilogue of output channel m (no residual) on n contiguous floats, in place. */
	void (*epi_rows)(const nn_node *nd, float *x, int n, int m);
	/* dst[2i] = a[i], dst[2i + 1] = b[i] for i in [0, n). */
	void (*interleave2)(float *dst, const float *a, const float *b, int n);
	/* Winograd F(2x2, 3x3) (nn_wino_layout): wino_fill writes channels [c0, c1) of the
	 * zero-padded input split in even/odd columns into P; wino_task computes the output
	 * tiles [tx0, tx0 + ntl) of tile row ty; tmp holds nn_wino_scratch floats. */
	void (*wino_fill)(const nn_node *nd, const float *in, int H, int W, float *P, size_t PH,
			  size_t PW, int c0, int c1);
	void (*wino_task)(const nn_node *nd, const float *P, size_t PH, size_t PW, int C,
			  float *out, int OH, int OW, const float *R, int ty, int tx0, int ntl,
			  float *tmp);
} nn_kernels;

#define NN_WT 64   /* Winograd tiles per task (a multiple of every kernel's nr) */

static inline void nn_wino_layout(const nn_node *nd, int H, int OW, size_t *PH, size_t *PW)
{
	size_t ntx = ((size_t)OW + 1) / 2;
	*PH = (size_t)H + nd->pt + nd->pb + 1;
	*PW = ((ntx + 15) & ~(size_t)15) + 32;
}

static inline size_t nn_wino_scratch(int C, int M, int mr, int nr)
{
	return 16 * (size_t)C * NN_WT + 16 * (size_t)M * NN_WT + (size_t)C * nr + (size_t)mr * nr +
	       4 * NN_WT + 128;
}

extern const nn_kernels nn_kernels_avx2, nn_kernels_avx512;

/* A packed as panels of mr rows: panel p at p*K*mr, element [k][r]; rows past M are zero. */
size_t nn_pack_a_size(int M, int K, int mr);
void nn_pack_a(const float *A, int M, int K, int mr, float *out);

float nn_sigmoidf(float x);

/* Epilogue on one value of output channel m (scalar, shared by all paths). */
static inline float nn_epi1(const nn_node *nd, int m, float v, float r)
{
	if (nd->b) v += nd->b[m];
	v += r;
	switch (nd->act) {
	case ACT_RELU: v = v > 0.0f ? v : 0.0f; break;
	case ACT_CLIP: v = v < nd->a0 ? nd->a0 : v; v = v > nd->a1 ? nd->a1 : v; break;
	case ACT_HSIG: {
		float t = nd->a0 * v + nd->a1;
		t = t < 0.0f ? 0.0f : t; v = t > 1.0f ? 1.0f : t;
		break;
	}
	case ACT_HSWISH: {
		float t = nd->a0 * v + nd->a1;
		t = t < 0.0f ? 0.0f : t; t = t > nd->a2 ? nd->a2 : t;
		v = v * t / nd->a2;
		break;
	}
	case ACT_SIGMOID: v = nn_sigmoidf(v); break;
	default: break;
	}
	if (nd->post_s) v *= nd->post_s[m];
	if (nd->post_t) v += nd->post_t[m];
	return v;
}

/* Depthwise scratch layout, shared by graph.c (sizing) and the kernels: the padded
 * channel split into sw column phases, PH rows of PW floats each, then one output row. */
static inline void nn_dw_layout(const nn_node *nd, int H, int W, int OW, size_t *PH, size_t *PW)
{
	size_t s = (size_t)nd->sw;
	size_t owr = ((size_t)OW + 15) & ~(size_t)15;
	size_t full = ((size_t)W + nd->pl + nd->pr + s - 1) / s;
	size_t reach = owr + ((size_t)(nd->kw - 1) * nd->dw) / s + 1;
	*PH = (size_t)H + nd->pt + nd->pb + 1;
	*PW = ((full > reach ? full : reach) + 16) & ~(size_t)15;
}

static inline size_t nn_dw_scratch(const nn_node *nd, int H, int W, int OW)
{
	size_t PH, PW;
	nn_dw_layout(nd, H, W, OW, &PH, &PW);
	return (size_t)nd->sw * PH * PW + (size_t)OW + 64;
}

/* ref.c: scalar reference kernels. */
void nn_ref_conv(const nn_node *nd, const float *in, int C, int H, int W,
		 float *out, int OH, int OW, const float *R);
void nn_ref_convt(const nn_node *nd, const float *in, int C, int H, int W,
		  float *out, int OH, int OW, const float *R);

/* pool.c */
typedef void (*nn_task_fn)(void *ctx, int task, int thread);
nn_pool *nn_pool_new(int nthreads);
void nn_pool_free(nn_pool *p);
int nn_pool_threads(const nn_pool *p);
/* Runs fn(ctx, t, thread) for t in [0, ntasks) on the pool; returns when all are done. */
void nn_pool_run(nn_pool *p, int ntasks, nn_task_fn fn, void *ctx);

struct tl_model {
	char name[256];
	nn_value *vals;
	int nvals;
	nn_node *nodes;      /* the loaded graph, in topological order */
	int nnodes;
	int input, output;   /* the graph input and first output */
	int nstored;         /* nodes as stored (Constants included) */
	long in_decl[4];     /* the input's declared dimensions, -1 when dynamic */
	char producer[64];
	long ir_version, opset;
	int nthreads, isa, fusion;
	/* the plan for one input size */
	int ph, pw;
	nn_node *ex;         /* exec graph: rewritten copy of nodes */
	int nex;
	float *arena;
	size_t arena_floats;
	float *scratch;      /* per-thread scratch, scratch_per_thread floats each */
	float *shared;       /* scratch of one node shared by the threads (Winograd input) */
	size_t shared_floats;
	size_t scratch_per_thread;
	nn_pool *pool;
	int pool_threads;
	const nn_kernels *kern; /* NULL: scalar reference */
	unsigned long long macs;
};

/* onnx.c */
int nn_parse_onnx(tl_model *m, const uint8_t *buf, size_t len, tl_error *err);
void nn_free_graph(tl_model *m);
int nn_value_is_scalar_const(const tl_model *m, int v, float *out);

/* graph.c */
void nn_free_plan(tl_model *m);
int nn_plan(tl_model *m, int h, int w, tl_error *err);

/* cpu support */
int nn_cpu_isa(void);   /* best TL_NN_* level this CPU supports */

#endif
