/* annot.c — status strings, errors, diagnostics, the arena, and the data model. */
#include "tl_internal.h"
#include <stdarg.h>  /* va_list */
#include <stdio.h>   /* vsnprintf */

const char *tl_version(void) { return TL_VERSION; }

const char *tl_status_str(int status)
{
	switch (status) {
	case TL_OK: return "ok";
	case TL_E_INPUT: return "input error";
	case TL_E_USAGE: return "usage error";
	case TL_E_IO: return "I/O error";
	case TL_E_NOMEM: return "out of memory";
	case TL_E_LIMIT: return "input exceeds a limit";
	case TL_E_UNSUPPORTED: return "unsupported";
	case TL_E_MODEL: return "model error";
	}
	return "unknown error";
}

int tl_error_set(tl_error *err, int status, const char *file, long line, long col,
		 const char *fmt, ...)
{
	if (!err)
		return status;
	err->status = status;
	err->line = line;
	err->col = col;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return status;
}

void tl_error_format(const tl_error *err, char *buf, size_t size)
{
	if (!size)
		return;
	if (!err->file[0])
		snprintf(buf, size, "%s", err->msg);
	else if (err->line > 0 && err->col > 0)
		snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->col, err->msg);
	else if (err->line > 0)
		snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->msg);
	else
		snprintf(buf, size, "%s: %s", err->file, err->msg);
}

int tl_grow(void **items, size_t *cap, size_t need, size_t elsize)
{
	if (need <= *cap)
		return TL_OK;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elsize)
			return TL_E_NOMEM;
		ncap *= 2;
	}
	void *p = realloc(*items, ncap * elsize);
	if (!p)
		return TL_E_NOMEM;
	*items = p;
	*cap = ncap;
	return TL_OK;
}

/* ---- diagnostics ---- */

void tl_diags_init(tl_diags *d) { memset(d, 0, sizeof *d); }

void tl_diags_free(tl_diags *d)
{
	for (size_t i = 0; i < d->count; i++) {
		free(d->items[i].file);
		free(d->items[i].kind);
		free(d->items[i].msg);
	}
	free(d->items);
	memset(d, 0, sizeof *d);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

int tl_diags_add(tl_diags *d, tl_severity sev, const char *file, long line, long col,
		 const char *kind, const char *fmt, ...)
{
	if (sev == TL_ERROR)
		d->nerrors++;
	else if (sev == TL_WARNING)
		d->nwarnings++;
	if (d->max && d->count >= d->max)
		return TL_OK;
	if (tl_grow((void **)&d->items, &d->cap, d->count + 1, sizeof *d->items))
		return TL_E_NOMEM;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tl_diag *g = &d->items[d->count];
	g->severity = sev;
	g->line = line;
	g->col = col;
	g->file = dup_or_null(file);
	g->kind = dup_or_null(kind);
	g->msg = strdup(msg);
	if ((file && !g->file) || (kind && !g->kind) || !g->msg) {
		free(g->file);
		free(g->kind);
		free(g->msg);
		return TL_E_NOMEM;
	}
	d->count++;
	return TL_OK;
}

/* ---- arena ---- */

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

struct tl_arena {
	struct arena_block *head;
	size_t block_size, total;
};

tl_arena *tl_arena_new(size_t block_size)
{
	tl_arena *a = calloc(1, sizeof *a);
	if (a)
		a->block_size = block_size ? block_size : 64 * 1024;
	return a;
}

void tl_arena_free(tl_arena *a)
{
	if (!a)
		return;
	for (struct arena_block *b = a->head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(a);
}

void *tl_arena_alloc(tl_arena *a, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (size == 0)
		size = 16;
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t bs = size > a->block_size ? size : a->block_size;
		if (bs > SIZE_MAX - sizeof *b)
			return NULL;
		b = malloc(sizeof *b + bs);
		if (!b)
			return NULL;
		b->used = 0;
		b->size = bs;
		b->next = a->head;
		a->head = b;
		if (a->block_size < (1u << 22))
			a->block_size *= 2;
	}
	void *p = b->data + b->used;
	b->used += size;
	a->total += size;
	memset(p, 0, size);
	return p;
}

size_t tl_arena_used(const tl_arena *a) { return a->total; }

/* ---- data model ---- */

static const char *const shape_names[] = { "none", "rect", "rbox", "quad", "poly" };

const char *tl_shape_name(tl_shape s)
{
	return (unsigned)s < TL_ARRAY_LEN(shape_names) ? shape_names[s] : "none";
}

tl_shape tl_shape_from_name(const char *name)
{
	for (size_t i = 1; i < TL_ARRAY_LEN(shape_names); i++)
		if (!strcmp(name, shape_names[i]))
			return (tl_shape)i;
	return TL_SHAPE_NONE;
}

tl_dataset *tl_dataset_new(void)
{
	tl_dataset *ds = calloc(1, sizeof *ds);
	if (!ds)
		return NULL;
	ds->arena = tl_arena_new(0);
	if (!ds->arena) {
		free(ds);
		return NULL;
	}
	return ds;
}

void tl_dataset_free(tl_dataset *ds)
{
	if (!ds)
		return;
	for (size_t i = 0; i < ds->nimages; i++)
		free(ds->images[i].regions);
	free(ds->images);
	tl_arena_free(ds->arena);
	free(ds);
}

void *tl_dataset_alloc(tl_dataset *ds, size_t size) { return tl_arena_alloc(ds->arena, size); }

char *tl_dataset_strndup(tl_dataset *ds, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = tl_arena_alloc(ds->arena, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

char *tl_dataset_strdup(tl_dataset *ds, const char *s)
{
	return s ? tl_dataset_strndup(ds, s, strlen(s)) : NULL;
}

tl_point *tl_dataset_points(tl_dataset *ds, size_t n)
{
	if (n > SIZE_MAX / sizeof(tl_point))
		return NULL;
	return tl_arena_alloc(ds->arena, n * sizeof(tl_point));
}

tl_image *tl_dataset_add_image(tl_dataset *ds, const char *name)
{
	if (ds->nimages >= TL_MAX_IMAGES)
		return NULL;
	if (tl_grow((void **)&ds->images, &ds->cap, ds->nimages + 1, sizeof *ds->images))
		return NULL;
	tl_image *im = &ds->images[ds->nimages];
	memset(im, 0, sizeof *im);
	im->name = tl_dataset_strdup(ds, name ? name : "");
	if (!im->name)
		return NULL;
	ds->nimages++;
	return im;
}

tl_image *tl_dataset_find_image(const tl_dataset *ds, const char *name)
{
	for (size_t i = 0; i < ds->nimages; i++)
		if (!strcmp(ds->images[i].name, name))
			return &ds->images[i];
	return NULL;
}

tl_region *tl_image_add_region(tl_dataset *ds, tl_image *im)
{
	(void)ds;
	if (im->nregions >= TL_MAX_REGIONS)
		return NULL;
	if (tl_grow((void **)&im->regions, &im->cap, im->nregions + 1, sizeof *im->regions))
		return NULL;
	tl_region *r = &im->regions[im->nregions];
	memset(r, 0, sizeof *r);
	r->text = "";
	r->id_index = (long)im->nregions;
	im->nregions++;
	return r;
}

int tl_region_set_points(tl_dataset *ds, tl_region *r, tl_shape shape, const tl_point *pts,
			 size_t n)
{
	tl_point *p = tl_dataset_points(ds, n);
	if (!p)
		return TL_E_NOMEM;
	memcpy(p, pts, n * sizeof *p);
	r->geom.shape = shape;
	r->geom.pts = p;
	r->geom.n = n;
	return TL_OK;
}

int tl_dataset_merge(tl_dataset *dst, const tl_dataset *src, tl_error *err)
{
	for (size_t i = 0; i < src->nimages; i++) {
		const tl_image *si = &src->images[i];
		tl_image *di = tl_dataset_add_image(dst, si->name);
		if (!di)
			return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		di->source = tl_dataset_strdup(dst, si->source);
		di->width = si->width;
		di->height = si->height;
		di->extra = tl_dataset_strdup(dst, si->extra);
		for (size_t k = 0; k < si->nregions; k++) {
			const tl_region *sr = &si->regions[k];
			tl_region *dr = tl_image_add_region(dst, di);
			if (!dr)
				return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
			*dr = *sr;
			dr->text = tl_dataset_strdup(dst, sr->text);
			dr->lang = tl_dataset_strdup(dst, sr->lang);
			dr->orient = tl_dataset_strdup(dst, sr->orient);
			dr->extra = tl_dataset_strdup(dst, sr->extra);
			if (sr->geom.n && tl_region_set_points(dst, dr, sr->geom.shape, sr->geom.pts,
							       sr->geom.n))
				return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
			if (!dr->text)
				return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		}
	}
	return TL_OK;
}
