/* detector.c — the DB detector object: model bytes read once, a network per
 * detector, parameters, and the buffers reused from one image to the next. */
#include "tl_internal.h"
#include "det/det_internal.h"
#include <stdatomic.h> /* the shared model bytes are released by the last clone */
#include <stdio.h> /* snprintf */
#include <time.h>

struct tl_detector {
	tl_det_params p;
	char *bytes;          /* the model file, shared by clones (refcounted) */
	size_t len;
	atomic_int *refs;
	char name[512];
	tl_model *model;
	float *prob;          /* last probability map */
	size_t prob_cap;
	int pw, ph;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int make(const tl_det_params *p, char *bytes, size_t len, atomic_int *refs, const char *name,
		tl_detector **out, tl_error *err)
{
	tl_detector *d = calloc(1, sizeof *d);
	if (!d)
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	d->p = *p;
	d->bytes = bytes;
	d->len = len;
	d->refs = refs;
	snprintf(d->name, sizeof d->name, "%s", name);
	int rc = tl_model_load_mem(bytes, len, name, &d->model, err);
	if (rc != TL_OK) {
		free(d);
		return rc;
	}
	atomic_fetch_add(refs, 1);
	*out = d;
	return TL_OK;
}

int tl_detector_new(const char *model_path, const tl_det_params *p, tl_detector **out,
		    tl_error *err)
{
	tl_det_params def;
	*out = NULL;
	if (!p) {
		tl_det_params_init(&def);
		p = &def;
	}
	TL_TRY(tl_det_params_check(p, err));
	char *bytes;
	size_t len;
	TL_TRY(tl_read_file(model_path, 0, &bytes, &len, err));
	atomic_int *refs = malloc(sizeof *refs);
	if (refs)
		atomic_init(refs, 0);
	if (!refs) {
		free(bytes);
		return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	int rc = make(p, bytes, len, refs, model_path, out, err);
	if (rc != TL_OK) {
		free(bytes);
		free(refs);
	}
	return rc;
}

int tl_detector_clone(const tl_detector *d, tl_detector **out, tl_error *err)
{
	*out = NULL;
	return make(&d->p, d->bytes, d->len, d->refs, d->name, out, err);
}

void tl_detector_free(tl_detector *d)
{
	if (!d)
		return;
	tl_model_free(d->model);
	free(d->prob);
	if (atomic_fetch_sub(d->refs, 1) == 1) {
		free(d->bytes);
		free(d->refs);
	}
	free(d);
}

void tl_detector_set_threads(tl_detector *d, int nthreads)
{
	tl_model_set_threads(d->model, nthreads);
}

const tl_det_params *tl_detector_params(const tl_detector *d)
{
	return &d->p;
}

const float *tl_detector_prob(const tl_detector *d, int *w, int *h)
{
	if (w)
		*w = d->prob ? d->pw : 0;
	if (h)
		*h = d->prob ? d->ph : 0;
	return d->prob;
}

int tl_detector_run(tl_detector *d, const tl_pixmap *pix, tl_dataset *ds, tl_image *im,
		    tl_det_timing *timing, tl_error *err)
{
	float *input;
	int w, h, dims[4] = { 0, 0, 0, 0 };
	double t0 = now_ms();
	TL_TRY(tl_det_preprocess(pix, &d->p, &input, &w, &h, err));
	double t1 = now_ms();
	/* A DB model's first output is 1 x C x H x W at input resolution; room for
	 * a few channels (some models add a threshold map). */
	size_t need = (size_t)w * (size_t)h * 4;
	if (need > d->prob_cap) {
		float *np = realloc(d->prob, need * sizeof *np);
		if (!np) {
			free(input);
			return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		}
		d->prob = np;
		d->prob_cap = need;
	}
	d->pw = d->ph = 0;
	int rc = tl_model_run(d->model, input, h, w, d->prob, d->prob_cap, dims, err);
	free(input);
	if (rc != TL_OK)
		return rc;
	double t2 = now_ms();
	/* Channel 0 of the output is the probability map; it must cover the input. */
	if (dims[0] != 1 || dims[1] < 1 || dims[2] <= 0 || dims[3] <= 0 ||
	    (size_t)dims[1] * dims[2] * dims[3] > d->prob_cap)
		return tl_error_set(err, TL_E_MODEL, d->name, 0, 0,
				    "unexpected output shape %dx%dx%dx%d (want 1xCxHxW)",
				    dims[0], dims[1], dims[2], dims[3]);
	d->pw = dims[3];
	d->ph = dims[2];
	im->width = pix->width;
	im->height = pix->height;
	rc = tl_det_postprocess(d->prob, d->pw, d->ph, pix->width, pix->height, &d->p, ds, im, err);
	if (timing) {
		timing->pre_ms = t1 - t0;
		timing->net_ms = t2 - t1;
		timing->post_ms = now_ms() - t2;
	}
	return rc;
}
