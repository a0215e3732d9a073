/* ref.c — scalar reference kernels: the definition every fast kernel is tested against,
 * and the path used where no fast kernel applies. Plain loops in a fixed order. */
#include "tl_internal.h"
#include "nn_internal.h"

#include <math.h>

/* Accumulator type of the reference convolution: build with -DNN_ACC=double to get a
 * near-exact reference when studying rounding (see tests/corpus/nn.sh). */
#ifndef NN_ACC
#define NN_ACC float
#endif

float nn_sigmoidf(float x)
{
	/* exp of a large positive argument overflows to inf: 1/(1+inf) = 0, as it should. */
	return 1.0f / (1.0f + expf(-x));
}

void nn_ref_conv(const nn_node *nd, const float *in, int C, int H, int W,
		 float *out, int OH, int OW, const float *R)
{
	int G = nd->group, cog = nd->cout / G, cig = nd->cin;
	const float *w = nd->w;
	(void)C;
	for (int co = 0; co < nd->cout; co++) {
		int g = co / cog;
		for (int oy = 0; oy < OH; oy++) {
			for (int ox = 0; ox < OW; ox++) {
				NN_ACC acc = 0.0f;
				for (int ci = 0; ci < cig; ci++) {
					const float *ip = in + (size_t)(g * cig + ci) * H * W;
					const float *wp = w + ((size_t)co * cig + ci) * nd->kh * nd->kw;
					for (int ky = 0; ky < nd->kh; ky++) {
						int iy = oy * nd->sh - nd->pt + ky * nd->dh;
						if (iy < 0 || iy >= H)
							continue;
						for (int kx = 0; kx < nd->kw; kx++) {
							int ix = ox * nd->sw - nd->pl + kx * nd->dw;
							if (ix < 0 || ix >= W)
								continue;
							acc += wp[ky * nd->kw + kx] * ip[(size_t)iy * W + ix];
						}
					}
				}
				size_t o = ((size_t)co * OH + oy) * OW + ox;
				out[o] = nn_epi1(nd, co, (float)acc, R ? R[o] : 0.0f);
			}
		}
	}
}

/* ConvTranspose: every input pixel scatters its kernel footprint; weights are
 * [Cin][Cout/group][kh][kw]. */
void nn_ref_convt(const nn_node *nd, const float *in, int C, int H, int W,
		  float *out, int OH, int OW, const float *R)
{
	int G = nd->group, cig = C / G, cog = nd->cout / G;
	size_t plane = (size_t)OH * OW;
	memset(out, 0, sizeof(float) * plane * (size_t)nd->cout);
	for (int ci = 0; ci < C; ci++) {
		int g = ci / cig;
		const float *ip = in + (size_t)ci * H * W;
		for (int j = 0; j < cog; j++) {
			int co = g * cog + j;
			const float *wp = nd->w + ((size_t)ci * cog + j) * nd->kh * nd->kw;
			float *op = out + (size_t)co * plane;
			for (int iy = 0; iy < H; iy++)
				for (int ix = 0; ix < W; ix++) {
					float x = ip[(size_t)iy * W + ix];
					for (int ky = 0; ky < nd->kh; ky++) {
						int oy = iy * nd->sh - nd->pt + ky * nd->dh;
						if (oy < 0 || oy >= OH)
							continue;
						for (int kx = 0; kx < nd->kw; kx++) {
							int ox = ix * nd->sw - nd->pl + kx * nd->dw;
							if (ox < 0 || ox >= OW)
								continue;
							op[(size_t)oy * OW + ox] += x * wp[ky * nd->kw + kx];
						}
					}
				}
		}
	}
	for (int co = 0; co < nd->cout; co++) {
		float *op = out + (size_t)co * plane;
		const float *rp = R ? R + (size_t)co * plane : NULL;
		for (size_t i = 0; i < plane; i++)
			op[i] = nn_epi1(nd, co, op[i], rp ? rp[i] : 0.0f);
	}
}
