/* textloc/nn.h — the inference engine: ONNX text-detection models in pure C.
 *
 * A model is loaded from an ONNX protobuf (opset 11 operators used by DB text
 * detectors: Conv, ConvTranspose, BatchNormalization, Relu, Clip, HardSigmoid,
 * Sigmoid, Add, Mul, Div, GlobalAveragePool, Resize nearest, Concat, Constant).
 * Anything else is refused with the operator's name and node. The model file is
 * untrusted input: every size is bounded and every offset checked.
 *
 * A tl_model is not safe to run from two threads at once (it owns its
 * activation memory); it may use several threads internally. */
#ifndef TEXTLOC_NN_H
#define TEXTLOC_NN_H

typedef struct tl_model tl_model;

TL_API int  tl_model_load(const char *path, tl_model **model, tl_error *err);
/* name is used in error messages (may be NULL); data is copied. */
TL_API int  tl_model_load_mem(const void *data, size_t len, const char *name, tl_model **model,
			      tl_error *err);
TL_API void tl_model_free(tl_model *model);
/* Threads used by tl_model_run (<= 0: all cores). Results do not depend on it. */
TL_API void tl_model_set_threads(tl_model *model, int nthreads);

/* Runs on one 1x3xHxW float32 NCHW input; fills out (caller-allocated, out_cap floats) with the
 * first output, and its dims (e.g. 1,1,H,W for DB models). Re-plans when H,W change.
 * A size the model cannot take gives TL_E_MODEL or TL_E_INPUT naming the node; out_cap too
 * small gives TL_E_USAGE (tl_model_describe tells the output dims beforehand). */
TL_API int  tl_model_run(tl_model *model, const float *input, int h, int w,
			 float *out, size_t out_cap, int out_dims[4], tl_error *err);

/* Kernel selection, for tests and benchmarks. TL_NN_AUTO picks the widest the CPU has. */
enum { TL_NN_AUTO = 0, TL_NN_SCALAR = 1, TL_NN_AVX2 = 2, TL_NN_AVX512 = 3 };
/* Forces an ISA level (clamped to what the CPU supports); returns the level in use. */
TL_API int  tl_model_set_isa(tl_model *model, int isa);
/* Disables (0) or enables (1, default) load-time rewriting (BatchNorm folding, fusion).
 * Takes effect at the next tl_model_run. */
TL_API void tl_model_set_fusion(tl_model *model, int enable);

#define TL_NN_MAX_OPKINDS 32
typedef struct tl_model_info {
	char producer[64];          /* producer_name producer_version */
	long ir_version, opset;
	char input_name[128];
	long input_dims[4];         /* -1 for a dynamic dimension */
	char output_name[128];
	long output_dims[4];        /* for the size asked, or -1 when dynamic and no size */
	int nnodes;                 /* as stored in the file */
	int nnodes_fused;           /* after folding and fusion */
	int nops;
	struct { char op[32]; int count; } ops[TL_NN_MAX_OPKINDS]; /* stored nodes by operator */
	unsigned long long params;  /* float parameters in initializers and constants */
	unsigned long long macs;    /* multiply-adds of Conv/ConvTranspose at the size asked */
	unsigned long long arena_bytes; /* activation memory planned at the size asked */
	int h, w;                   /* the size used for macs/output_dims; 0 if none */
} tl_model_info;

/* Describes the model; when h, w > 0, also plans it at 1x3xHxW (as tl_model_run would) for
 * macs, output_dims, nnodes_fused and arena_bytes. */
TL_API int  tl_model_describe(tl_model *model, int h, int w, tl_model_info *info, tl_error *err);

#endif
