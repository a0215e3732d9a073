/* fast_impl.h — vector kernels, written once for a vector type and included by
 * fast_avx2.c and fast_avx512.c with these macros defined:
 *   VF, VL (floats per vector), NRV (vectors per GEMM micro-tile row), V_LOAD, V_STORE,
 *   V_SET1, V_ZERO, V_FMA(a, b, c) = a*b + c, V_ADD, V_MUL, V_MAX, V_MIN, KERNELS (the
 *   nn_kernels object to define), KNAME.
 * Results may differ from ref.c by float rounding only (different summation order). */

#define MR 6
#define NR (VL * NRV)

/* exp(x) to about one ulp: x = n ln2 + r with |r| <= ln2/2, a degree-6 Taylor polynomial
 * for e^r (truncation error below 2e-7 relative), then scaled by 2^n (V_POW2N). */
static inline VF v_exp(VF x)
{
	x = V_MIN(V_MAX(x, V_SET1(-87.0f)), V_SET1(88.0f));
	VF n = V_ROUND(V_MUL(x, V_SET1(1.44269504088896341f)));
	VF r = V_FMA(n, V_SET1(-0.693145751953125f), x);          /* ln2, high part */
	r = V_FMA(n, V_SET1(-1.428606765330187045e-06f), r);      /* ln2, low part */
	VF p = V_SET1(1.0f / 720.0f);
	p = V_FMA(p, r, V_SET1(1.0f / 120.0f));
	p = V_FMA(p, r, V_SET1(1.0f / 24.0f));
	p = V_FMA(p, r, V_SET1(1.0f / 6.0f));
	p = V_FMA(p, r, V_SET1(0.5f));
	p = V_FMA(p, r, V_SET1(1.0f));
	p = V_FMA(p, r, V_SET1(1.0f));
	return V_POW2N(p, n);
}

/* The epilogue of nn_epi1 on one vector of output channel m. */
static inline VF epi_v(const nn_node *nd, int m, VF x, const float *r)
{
	if (nd->b)
		x = V_ADD(x, V_SET1(nd->b[m]));
	if (r)
		x = V_ADD(x, V_LOAD(r));
	switch (nd->act) {
	case ACT_RELU:
		x = V_MAX(x, V_ZERO());
		break;
	case ACT_CLIP:
		x = V_MIN(V_MAX(x, V_SET1(nd->a0)), V_SET1(nd->a1));
		break;
	case ACT_HSIG:
		x = V_MIN(V_MAX(V_ADD(V_MUL(x, V_SET1(nd->a0)), V_SET1(nd->a1)), V_ZERO()), V_SET1(1.0f));
		break;
	case ACT_HSWISH: {
		VF t = V_MIN(V_MAX(V_ADD(V_MUL(x, V_SET1(nd->a0)), V_SET1(nd->a1)), V_ZERO()), V_SET1(nd->a2));
		x = V_MUL(x, t);
		if (nd->a2 != 1.0f)   /* x / 1 is x: the HardSigmoid form skips the division */
			x = V_DIV(x, V_SET1(nd->a2));
		break;
	}
	case ACT_SIGMOID:
		x = V_DIV(V_SET1(1.0f), V_ADD(V_SET1(1.0f), v_exp(V_SUB(V_ZERO(), x))));
		break;
	default:
		break;
	}
	if (nd->post_s)
		x = V_ADD(V_MUL(x, V_SET1(nd->post_s[m])), V_SET1(nd->post_t[m]));
	return x;
}

/* acc[r][v] = sum_k a[k][r] * b[k][v*VL..] for one MR x NR tile. */
static inline void ukernel(const float *a, int K, const float *b, size_t ldb, VF acc[MR][NRV])
{
	VF c[MR][NRV];
#pragma GCC unroll 8
	for (int r = 0; r < MR; r++)
#pragma GCC unroll 8
		for (int v = 0; v < NRV; v++)
			c[r][v] = V_ZERO();
	for (int k = 0; k < K; k++) {
		VF bv[NRV];
		const float *bk = b + (size_t)k * ldb;
#pragma GCC unroll 8
		for (int v = 0; v < NRV; v++)
			bv[v] = V_LOAD(bk + v * VL);
		const float *ak = a + (size_t)k * MR;
#pragma GCC unroll 8
		for (int r = 0; r < MR; r++) {
			VF av = V_SET1(ak[r]);
#pragma GCC unroll 8
			for (int v = 0; v < NRV; v++)
				c[r][v] = V_FMA(av, bv[v], c[r][v]);
		}
	}
#pragma GCC unroll 8
	for (int r = 0; r < MR; r++)
#pragma GCC unroll 8
		for (int v = 0; v < NRV; v++)
			acc[r][v] = c[r][v];
}

static void gemm(const float *apack, int M, int K, const float *B, size_t ldb, int N,
		 float *C, size_t ldc, const nn_node *epi, int m0, const float *R, size_t ldr,
		 float *tmp)
{
	int npanel = (M + MR - 1) / MR;
	float *bt = tmp;                        /* K x NR: a column tail, zero padded */
	float *ct = tmp + (size_t)K * NR;       /* MR x NR: a partial tile */
	for (int n0 = 0; n0 < N; n0 += NR) {
		int nn = N - n0 < NR ? N - n0 : NR;
		const float *b = B + n0;
		size_t lb = ldb;
		if (nn < NR) {
			for (int k = 0; k < K; k++) {
				memcpy(bt + (size_t)k * NR, B + (size_t)k * ldb + n0, sizeof(float) * (size_t)nn);
				memset(bt + (size_t)k * NR + nn, 0, sizeof(float) * (size_t)(NR - nn));
			}
			b = bt;
			lb = NR;
		}
		for (int p = 0; p < npanel; p++) {
			VF acc[MR][NRV];
			int mm = M - p * MR < MR ? M - p * MR : MR;
			ukernel(apack + (size_t)p * K * MR, K, b, lb, acc);
			if (mm == MR && nn == NR) {
#pragma GCC unroll 8
				for (int r = 0; r < MR; r++) {
					int m = p * MR + r;
					float *cp = C + (size_t)m * ldc + n0;
					const float *rp = R ? R + (size_t)m * ldr + n0 : NULL;
#pragma GCC unroll 8
					for (int v = 0; v < NRV; v++) {
						VF x = acc[r][v];
						if (epi)
							x = epi_v(epi, m0 + m, x, rp ? rp + v * VL : NULL);
						V_STORE(cp + v * VL, x);
					}
				}
				continue;
			}
			for (int r = 0; r < mm; r++)
				for (int v = 0; v < NRV; v++)
					V_STORE(ct + (size_t)r * NR + v * VL, acc[r][v]);
			for (int r = 0; r < mm; r++) {
				int m = p * MR + r;
				float *cp = C + (size_t)m * ldc + n0;
				const float *rp = R ? R + (size_t)m * ldr + n0 : NULL;
				for (int q = 0; q < nn; q++) {
					float x = ct[(size_t)r * NR + q];
					cp[q] = epi ? nn_epi1(epi, m0 + m, x, rp ? rp[q] : 0.0f) : x;
				}
			}
		}
	}
}

/* Depthwise convolution, channels [c0, c1): each channel is copied into a zero-padded
 * plane in scratch, its columns split into sw phases so that every tap reads unit-stride
 * vectors. The padding is zeroed once per call: every channel writes the same interior. */
static void dwconv(const nn_node *nd, const float *in, int H, int W, float *out, int OH, int OW,
		   const float *R, int c0, int c1, float *tmp)
{
	size_t PH, PW;
	nn_dw_layout(nd, H, W, OW, &PH, &PW);
	int s = nd->sw, kh = nd->kh, kw = nd->kw, nt = kh * kw;
	float *plane = tmp;
	float *row = tmp + (size_t)s * PH * PW;
	const float *tap[NN_MAX_KERNEL * 4];
	float wt[NN_MAX_KERNEL * 4];
	if (nt > NN_MAX_KERNEL * 4)
		return;   /* not chosen for kernels this large (graph.c) */
	memset(plane, 0, sizeof(float) * (size_t)s * PH * PW);
	for (int c = c0; c < c1; c++) {
		const float *ip = in + (size_t)c * H * W;
		for (int iy = 0; iy < H; iy++) {
			const float *src = ip + (size_t)iy * W;
			if (s == 1) {
				memcpy(plane + (size_t)(iy + nd->pt) * PW + nd->pl, src, sizeof(float) * (size_t)W);
				continue;
			}
			/* phase q holds padded columns xp = q, q + s, ...; input column ix is xp - pl */
			for (int q = 0; q < s; q++) {
				float *dst = plane + ((size_t)q * PH + (size_t)(iy + nd->pt)) * PW;
				int ix = q - nd->pl, k = 0;
				while (ix < 0) {
					ix += s;
					k++;
				}
				if (s == 2)   /* vector deinterleave while 2 VL floats stay in the row */
					for (; ix + 2 * VL <= W; ix += 2 * VL, k += VL)
						V_STORE(dst + k, V_EVENS(src + ix));
				for (; ix < W; ix += s, k++)
					dst[k] = src[ix];
			}
		}
		memcpy(wt, nd->w + (size_t)c * nt, sizeof(float) * (size_t)nt);
		float *oc = out + (size_t)c * OH * OW;
		const float *rc = R ? R + (size_t)c * OH * OW : NULL;
		for (int oy = 0; oy < OH; oy++) {
			float *orow = oc + (size_t)oy * OW;
			const float *rrow = rc ? rc + (size_t)oy * OW : NULL;
			for (int ky = 0; ky < kh; ky++) {
				size_t y = (size_t)oy * nd->sh + (size_t)ky * nd->dh;
				for (int kx = 0; kx < kw; kx++) {
					int o = kx * nd->dw;
					tap[ky * kw + kx] = plane + ((size_t)(o % s) * PH + y) * PW + (size_t)(o / s);
				}
			}
			int x = 0;
			/* four independent accumulators hide the FMA latency */
			for (; x + 4 * VL <= OW; x += 4 * VL) {
				VF a0 = V_ZERO(), a1 = V_ZERO(), a2 = V_ZERO(), a3 = V_ZERO();
				for (int t = 0; t < nt; t++) {
					VF wv = V_SET1(wt[t]);
					const float *p = tap[t] + x;
					a0 = V_FMA(wv, V_LOAD(p), a0);
					a1 = V_FMA(wv, V_LOAD(p + VL), a1);
					a2 = V_FMA(wv, V_LOAD(p + 2 * VL), a2);
					a3 = V_FMA(wv, V_LOAD(p + 3 * VL), a3);
				}
				V_STORE(orow + x, epi_v(nd, c, a0, rrow ? rrow + x : NULL));
				V_STORE(orow + x + VL, epi_v(nd, c, a1, rrow ? rrow + x + VL : NULL));
				V_STORE(orow + x + 2 * VL, epi_v(nd, c, a2, rrow ? rrow + x + 2 * VL : NULL));
				V_STORE(orow + x + 3 * VL, epi_v(nd, c, a3, rrow ? rrow + x + 3 * VL : NULL));
			}
			for (; x < OW; x += VL) {
				VF acc = V_ZERO();
				for (int t = 0; t < nt; t++)
					acc = V_FMA(V_SET1(wt[t]), V_LOAD(tap[t] + x), acc);
				if (x + VL <= OW) {
					V_STORE(orow + x, epi_v(nd, c, acc, rrow ? rrow + x : NULL));
				} else {
					V_STORE(row, acc);
					for (int q = 0; x + q < OW; q++)
						orow[x + q] = nn_epi1(nd, c, row[q], rrow ? rrow[x + q] : 0.0f);
				}
			}
		}
	}
}

static void epi_rows(const nn_node *nd, float *x, int n, int m)
{
	int i = 0;
	for (; i + VL <= n; i += VL)
		V_STORE(x + i, epi_v(nd, m, V_LOAD(x + i), NULL));
	for (; i < n; i++)
		x[i] = nn_epi1(nd, m, x[i], 0.0f);
}

static void interleave2(float *dst, const float *a, const float *b, int n)
{
	int i = 0;
	for (; i + VL <= n; i += VL)
		V_INTERLEAVE(dst + 2 * i, V_LOAD(a + i), V_LOAD(b + i));
	for (; i < n; i++) {
		dst[2 * i] = a[i];
		dst[2 * i + 1] = b[i];
	}
}

/* ---- Winograd F(2x2, 3x3): Y = A^T [(G g G^T) . (B^T d B)] A per 4x4 input tile ---- */

static void wino_fill(const nn_node *nd, const float *in, int H, int W, float *P, size_t PH,
		      size_t PW, int c0, int c1)
{
	int C = nd->group == 1 ? nd->cin : 0;   /* Winograd runs ungrouped convolutions only */
	for (int c = c0; c < c1; c++) {
		for (size_t yp = 0; yp < PH; yp++) {
			/* row-major over channels: one tile row's inputs are contiguous */
			float *d0 = P + ((yp * (size_t)C + (size_t)c) * 2) * PW, *d1 = d0 + PW;
			long iy = (long)yp - nd->pt;
			if (iy < 0 || iy >= H) {
				memset(d0, 0, sizeof(float) * 2 * PW);
				continue;
			}
			const float *src = in + ((size_t)c * H + (size_t)iy) * W;
			/* padded column 2x + q holds input column 2x + q - pl */
			for (int q = 0; q < 2; q++) {
				float *d = q ? d1 : d0;
				long base = q - nd->pl;
				long xa = base >= 0 ? 0 : (-base + 1) / 2;
				long xb = W - base <= 0 ? 0 : (W - base + 1) / 2;
				if (xa > (long)PW) xa = (long)PW;
				if (xb > (long)PW) xb = (long)PW;
				if (xb < xa) xb = xa;
				long x = 0;
				for (; x < xa; x++)
					d[x] = 0.0f;
				/* vector deinterleave while 2 VL source floats stay inside the row */
				for (; x + VL <= xb && base + 2 * (x + VL) <= W; x += VL)
					V_STORE(d + x, V_EVENS(src + base + 2 * x));
				for (; x < xb; x++)
					d[x] = src[base + 2 * x];
				for (; x < (long)PW; x++)
					d[x] = 0.0f;
			}
		}
	}
}

static void wino_task(const nn_node *nd, const float *P, size_t PH, size_t PW, int C,
		      float *out, int OH, int OW, const float *R, int ty, int tx0, int ntl,
		      float *tmp)
{
	int M = nd->cout;
	float *V = tmp;                                   /* [16][C][NN_WT] */
	float *Mo = V + 16 * (size_t)C * NN_WT;           /* [16][M][NN_WT] */
	float *gt = Mo + 16 * (size_t)M * NN_WT;          /* GEMM scratch */
	float *rowA = gt + (size_t)C * NR + (size_t)MR * NR;
	float *rowB = rowA + 2 * NN_WT + 32;
	size_t cs = (size_t)C * NN_WT, ms = (size_t)M * NN_WT;
	/* input transform, VL tiles at a time (tiles past ntl read padding, are dropped) */
	for (int c = 0; c < C; c++) {
		size_t rs = (size_t)C * 2 * PW;   /* one padded row of all channels */
		const float *e0 = P + (((size_t)(2 * ty) * C + (size_t)c) * 2) * PW + tx0;
		const float *e1 = e0 + rs, *e2 = e0 + 2 * rs, *e3 = e0 + 3 * rs;
		float *v = V + (size_t)c * NN_WT;
		for (int j = 0; j < ntl; j += VL) {
			/* rows first (d B), then columns (B^T .): the transform is separable.
			 * Row r of the tile: E[r][j], O[r][j], E[r][j+1], O[r][j+1]; O is PW after E. */
#define WROW(e, h0, h1, h2, h3) do { \
	VF d0_ = V_LOAD((e) + j), d1_ = V_LOAD((e) + PW + j); \
	VF d2_ = V_LOAD((e) + j + 1), d3_ = V_LOAD((e) + PW + j + 1); \
	h0 = V_SUB(d0_, d2_); h1 = V_ADD(d1_, d2_); h2 = V_SUB(d2_, d1_); h3 = V_SUB(d1_, d3_); } while (0)
			VF a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3, g0, g1, g2, g3;
			WROW(e0, a0, a1, a2, a3);
			WROW(e1, b0, b1, b2, b3);
			WROW(e2, c0, c1, c2, c3);
			WROW(e3, g0, g1, g2, g3);
#undef WROW
			float *vj = v + j;
			V_STORE(vj + 0 * cs, V_SUB(a0, c0)); V_STORE(vj + 1 * cs, V_SUB(a1, c1));
			V_STORE(vj + 2 * cs, V_SUB(a2, c2)); V_STORE(vj + 3 * cs, V_SUB(a3, c3));
			V_STORE(vj + 4 * cs, V_ADD(b0, c0)); V_STORE(vj + 5 * cs, V_ADD(b1, c1));
			V_STORE(vj + 6 * cs, V_ADD(b2, c2)); V_STORE(vj + 7 * cs, V_ADD(b3, c3));
			V_STORE(vj + 8 * cs, V_SUB(c0, b0)); V_STORE(vj + 9 * cs, V_SUB(c1, b1));
			V_STORE(vj + 10 * cs, V_SUB(c2, b2)); V_STORE(vj + 11 * cs, V_SUB(c3, b3));
			V_STORE(vj + 12 * cs, V_SUB(b0, g0)); V_STORE(vj + 13 * cs, V_SUB(b1, g1));
			V_STORE(vj + 14 * cs, V_SUB(b2, g2)); V_STORE(vj + 15 * cs, V_SUB(b3, g3));
		}
	}
	/* sixteen GEMMs: Mo[xi] (M x ntl) = U[xi] (M x C) * V[xi] (C x ntl) */
	size_t psz = (size_t)((M + MR - 1) / MR) * MR * (size_t)C;
	for (int xi = 0; xi < 16; xi++)
		gemm(nd->wpack + (size_t)xi * psz, M, C, V + (size_t)xi * cs, NN_WT, ntl,
		     Mo + (size_t)xi * ms, NN_WT, NULL, 0, NULL, 0, gt);
	/* output transform, epilogue, store */
	int ox0 = 2 * tx0, oy0 = 2 * ty;
	int len = 2 * ntl < OW - ox0 ? 2 * ntl : OW - ox0;
	int two_rows = oy0 + 1 < OH;
	for (int co = 0; co < M; co++) {
		const float *mb = Mo + (size_t)co * NN_WT;
		for (int j = 0; j < ntl; j += VL) {
			VF u[2][4];
			for (int k = 0; k < 4; k++) {
				VF m0 = V_LOAD(mb + (size_t)(0 + k) * ms + j), m1 = V_LOAD(mb + (size_t)(4 + k) * ms + j);
				VF m2 = V_LOAD(mb + (size_t)(8 + k) * ms + j), m3 = V_LOAD(mb + (size_t)(12 + k) * ms + j);
				u[0][k] = V_ADD(V_ADD(m0, m1), m2);
				u[1][k] = V_SUB(V_SUB(m1, m2), m3);
			}
			VF y00 = V_ADD(V_ADD(u[0][0], u[0][1]), u[0][2]);
			VF y01 = V_SUB(V_SUB(u[0][1], u[0][2]), u[0][3]);
			VF y10 = V_ADD(V_ADD(u[1][0], u[1][1]), u[1][2]);
			VF y11 = V_SUB(V_SUB(u[1][1], u[1][2]), u[1][3]);
			V_INTERLEAVE(rowA + 2 * j, y00, y01);
			V_INTERLEAVE(rowB + 2 * j, y10, y11);
		}
		float *o0 = out + ((size_t)co * OH + (size_t)oy0) * OW + ox0;
		if (R) {
			const float *r0 = R + ((size_t)co * OH + (size_t)oy0) * OW + ox0;
			for (int q = 0; q < len; q++)
				o0[q] = nn_epi1(nd, co, rowA[q], r0[q]);
			if (two_rows)
				for (int q = 0; q < len; q++)
					o0[OW + q] = nn_epi1(nd, co, rowB[q], r0[OW + q]);
			continue;
		}
		epi_rows(nd, rowA, len, co);
		memcpy(o0, rowA, sizeof(float) * (size_t)len);
		if (two_rows) {
			epi_rows(nd, rowB, len, co);
			memcpy(o0 + OW, rowB, sizeof(float) * (size_t)len);
		}
	}
}

const nn_kernels KERNELS = { KNAME, MR, NR, gemm, dwconv, epi_rows, interleave2, wino_fill, wino_task };
