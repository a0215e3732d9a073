/* layout.c — finding a downloaded dataset's files by its descriptor, checking that
 * the copy is complete, and --shard parsing (textloc/datasets.h). */
#include "tl_internal.h"
#include "text.h"     /* tl_is_image_name */
#include <stdio.h>   /* snprintf */

/* ---- patterns ---- */

/* A pattern "pre{N5}suf" split into its parts. width 0 = any digits, -1 = any stem. */
typedef struct pat {
	char pre[128], suf[64];
	int width;
} pat;

static int pat_parse(const char *s, size_t n, pat *p)
{
	const char *lb = memchr(s, '{', n);
	const char *rb = lb ? memchr(lb, '}', (size_t)(s + n - lb)) : NULL;
	if (!lb || !rb || (size_t)(lb - s) >= sizeof p->pre ||
	    (size_t)(s + n - rb - 1) >= sizeof p->suf)
		return 0;
	memcpy(p->pre, s, (size_t)(lb - s));
	p->pre[lb - s] = 0;
	memcpy(p->suf, rb + 1, (size_t)(s + n - rb - 1));
	p->suf[s + n - rb - 1] = 0;
	if (rb - lb == 2 && lb[1] == 'S')
		p->width = -1;
	else if (rb - lb == 2 && lb[1] == 'N')
		p->width = 0;
	else if (lb[1] == 'N' && rb - lb <= 4 && lb[2] >= '1' && lb[2] <= '9')
		p->width = (int)strtol(lb + 2, NULL, 10);
	else
		return 0;
	return 1;
}

/* The i-th '|'-separated alternative of list (0-based) into p; 0 when there is none. */
static int alt(const char *list, size_t i, const char **s, size_t *n)
{
	const char *p = list;
	for (; p && i; i--) {
		p = strchr(p, '|');
		if (p)
			p++;
	}
	if (!p || !*p)
		return 0;
	const char *bar = strchr(p, '|');
	*s = p;
	*n = bar ? (size_t)(bar - p) : strlen(p);
	return 1;
}

static int ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z') x += 32;
		if (y >= 'A' && y <= 'Z') y += 32;
		if (x != y)
			return 0;
	}
	return 1;
}

/* 1 if name matches; the variable part goes to key (NUL-terminated, size keysz). */
static int pat_match(const pat *p, const char *name, char *key, size_t keysz)
{
	size_t n = strlen(name), pl = strlen(p->pre), sl = strlen(p->suf);
	if (n <= pl + sl || !ieq(name, p->pre, pl) || !ieq(name + n - sl, p->suf, sl))
		return 0;
	size_t k = n - pl - sl;
	const char *m = name + pl;
	if (p->width >= 0) {
		for (size_t i = 0; i < k; i++)
			if (m[i] < '0' || m[i] > '9')
				return 0;
		if (p->width > 0 && k != (size_t)p->width)
			return 0;
	}
	if (k >= keysz)
		return 0;
	memcpy(key, m, k);
	key[k] = 0;
	return 1;
}

/* How a person reads the pattern: "gt_img_{N}.txt" -> "gt_img_N.txt". */
static void pat_show(const pat *p, char *out, size_t size)
{
	static const char *const digits[] = { "N", "N", "NN", "NNN", "NNNN", "NNNNN", "NNNNNN" };
	const char *mid = p->width < 0 ? "NAME" : p->width < 7 ? digits[p->width] : "N..N";
	snprintf(out, size, "%s%s%s", p->pre, mid, p->suf);
}

/* ---- locating ---- */

static char *join(const char *root, const char *s, size_t n)
{
	size_t rl = strlen(root);
	char *p = malloc(rl + n + 2);
	if (!p)
		return NULL;
	memcpy(p, root, rl);
	size_t o = rl;
	if (n && !(n == 1 && s[0] == '.')) {
		if (o && p[o - 1] != '/')
			p[o++] = '/';
		memcpy(p + o, s, n);
		o += n;
	}
	p[o] = 0;
	return p;
}

static int push(char ***v, size_t *n, size_t *cap, const char *s)
{
	if (tl_grow((void **)v, cap, *n + 1, sizeof **v))
		return TL_E_NOMEM;
	if (!((*v)[*n] = strdup(s)))
		return TL_E_NOMEM;
	(*n)++;
	return TL_OK;
}

void tl_known_layout_free(tl_known_layout *l)
{
	if (!l)
		return;
	free(l->image_dir);
	free(l->ann_path);
	tl_strv_free(l->ann_files, l->nann);
	tl_strv_free(l->ann_names, l->nann_names);
	tl_strv_free(l->images, l->nimages);
	memset(l, 0, sizeof *l);
}

/* Names in a folder, or the file entries of a zip (their last component). */
static int list_names(const char *path, int is_zip, char ***names, size_t *n, tl_error *err)
{
	if (!is_zip)
		return tl_list_dir(path, names, n, err);
	tl_zip *z;
	TL_TRY(tl_zip_open(path, &z, err));
	size_t cap = 0;
	*names = NULL;
	*n = 0;
	int rc = TL_OK;
	for (size_t i = 0; i < tl_zip_count(z) && !rc; i++) {
		const char *e = tl_zip_name(z, i);
		size_t el = strlen(e);
		if (!el || e[el - 1] == '/')
			continue;
		rc = push(names, n, &cap, tl_basename(e));
	}
	tl_zip_close(z);
	if (rc)
		return tl_error_set(err, rc, path, 0, 0, "out of memory");
	return TL_OK;
}

int tl_known_locate(const tl_known_dataset *kd, const tl_known_split *sp, const char *root,
		    tl_known_layout *out, tl_error *err)
{
	memset(out, 0, sizeof *out);
	out->split = sp;
	const char *s;
	size_t n, cap = 0;
	int rc = TL_OK;
	pat ip;
	int have_ip = sp->image_pattern && pat_parse(sp->image_pattern, strlen(sp->image_pattern),
						     &ip);
	for (size_t i = 0; alt(sp->image_dirs, i, &s, &n); i++) {
		char *dir = join(root, s, n);
		if (!dir)
			return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		if (!tl_is_dir(dir)) {
			free(dir);
			continue;
		}
		char **names;
		size_t nn;
		if ((rc = tl_list_dir(dir, &names, &nn, err))) {
			free(dir);
			return rc;
		}
		char key[256];
		for (size_t k = 0; k < nn && !rc; k++)
			if (have_ip ? pat_match(&ip, names[k], key, sizeof key) : 0)
				rc = push(&out->images, &out->nimages, &cap, names[k]);
		tl_strv_free(names, nn);
		/* a folder that holds none of the images (MSRA's "." fallback next to a
		 * train folder) does not count as found */
		if (!out->nimages && i + 1 < 16 && alt(sp->image_dirs, i + 1, &s, &n)) {
			free(dir);
			continue;
		}
		out->image_dir = dir;
		break;
	}
	if (rc)
		return tl_error_set(err, rc, NULL, 0, 0, "out of memory");
	for (size_t i = 0; sp->ann_paths && alt(sp->ann_paths, i, &s, &n); i++) {
		char *path = join(root, s, n);
		if (!path)
			return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		int dir = tl_is_dir(path), file = tl_is_file(path);
		int zip = file && tl_has_suffix(path, ".zip");
		if ((!dir && !file) || (sp->ann_patterns && file && !zip) ||
		    (!sp->ann_patterns && dir)) {
			free(path);
			continue;
		}
		out->ann_path = path;
		if (!sp->ann_patterns) {
			cap = 0;
			if (push(&out->ann_files, &out->nann, &cap, path))
				return tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
			return TL_OK;
		}
		char **names;
		size_t nn;
		TL_TRY(list_names(path, zip, &names, &nn, err));
		/* the pattern most files follow names the copy */
		size_t best = 0, best_count = 0;
		pat p;
		char key[256];
		for (size_t a = 0; alt(sp->ann_patterns, a, &s, &n); a++) {
			if (!pat_parse(s, n, &p))
				continue;
			size_t c = 0;
			for (size_t k = 0; k < nn; k++)
				c += pat_match(&p, names[k], key, sizeof key);
			if (c > best_count)
				best = a, best_count = c;
		}
		out->official_names = best == 0;
		if (alt(sp->ann_patterns, best, &s, &n) && pat_parse(s, n, &p)) {
			out->ann_pattern = s;
			size_t cn = 0, cf = 0;
			for (size_t k = 0; k < nn && !rc; k++) {
				if (!pat_match(&p, names[k], key, sizeof key)) {
					/* images beside their annotations (MSRA) are not strays */
					out->nother += !tl_is_image_name(names[k]);
					continue;
				}
				rc = push(&out->ann_names, &out->nann_names, &cn, names[k]);
				if (!rc && !zip) {
					char *full = join(path, names[k], strlen(names[k]));
					rc = full ? push(&out->ann_files, &out->nann, &cf, full) : TL_E_NOMEM;
					free(full);
				}
			}
			if (!rc && zip)
				rc = push(&out->ann_files, &out->nann, &cf, path);
		}
		tl_strv_free(names, nn);
		if (rc)
			return tl_error_set(err, rc, NULL, 0, 0, "out of memory");
		return TL_OK;
	}
	(void)kd;
	return TL_OK;
}

/* ---- resolving ---- */

int tl_dataset_resolve(const tl_known_dataset *kd, const char *root, const char *split,
		       char ***paths, size_t *n, const tl_format **fmt, char **images_dir,
		       tl_error *err)
{
	*paths = NULL;
	*n = 0;
	if (images_dir)
		*images_dir = NULL;
	if (fmt)
		*fmt = NULL;
	const tl_known_split *one = split ? tl_known_split_find(kd, split) : NULL;
	if (split && !one)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "%s has no split '%s'", kd->name,
				    split);
	size_t cap = 0;
	int rc = TL_OK;
	for (size_t i = 0; i < kd->nsplits && !rc; i++) {
		const tl_known_split *sp = &kd->splits[i];
		if (one && sp != one)
			continue;
		tl_known_layout l;
		if ((rc = tl_known_locate(kd, sp, root, &l, err)))
			break;
		for (size_t k = 0; k < l.nann && !rc; k++) {
			/* splits may share one folder (MSRA "."): list each file once */
			int dup = 0;
			for (size_t j = 0; j < *n && !dup; j++)
				dup = !strcmp((*paths)[j], l.ann_files[k]);
			if (!dup)
				rc = push(paths, n, &cap, l.ann_files[k]);
		}
		if (!rc && images_dir && !*images_dir && l.image_dir &&
		    !(*images_dir = strdup(l.image_dir)))
			rc = TL_E_NOMEM;
		if (!rc && fmt && !*fmt)
			*fmt = tl_format_find(sp->format);
		tl_known_layout_free(&l);
	}
	if (rc == TL_E_NOMEM)
		tl_error_set(err, rc, NULL, 0, 0, "out of memory");
	if (!rc && !*n)
		rc = tl_error_set(err, TL_E_INPUT, root, 0, 0,
				  "no %s annotations found (see 'textloc datasets %s' for the "
				  "folders looked for)", kd->name, kd->name);
	if (rc) {
		tl_strv_free(*paths, *n);
		*paths = NULL;
		*n = 0;
		if (images_dir) {
			free(*images_dir);
			*images_dir = NULL;
		}
	}
	return rc;
}

/* ---- checking ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keys (the variable part of each name) sorted, for pairing. */
static char **keys_of(char **names, size_t n, const pat *p)
{
	char **k = calloc(n ? n : 1, sizeof *k);
	char key[256];
	for (size_t i = 0; k && i < n; i++) {
		if (!pat_match(p, names[i], key, sizeof key))
			key[0] = 0;
		if (!(k[i] = strdup(key))) {
			tl_strv_free(k, i);
			return NULL;
		}
	}
	if (k)
		qsort(k, n, sizeof *k, cmp_str);
	return k;
}

static int has_key(char **keys, size_t n, const char *key)
{
	return bsearch(&key, keys, n, sizeof *keys, cmp_str) != NULL;
}

/* "img_101.jpg ... img_1000.jpg" style listing of up to 3 examples. */
static void examples(char *buf, size_t size, char **v, size_t n)
{
	buf[0] = 0;
	size_t o = 0;
	for (size_t i = 0; i < n && i < 3 && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", v[i]);
	if (n > 3 && o < size)
		snprintf(buf + o, size - o, ", ...");
}

static int check_split(const tl_known_dataset *kd, const tl_known_split *sp, const char *root,
		       int named, tl_diags *d, tl_error *err, int *found)
{
	tl_known_layout l;
	TL_TRY(tl_known_locate(kd, sp, root, &l, err));
	const char *sn = sp->name;
	char shown[200], ex[400];
	int rc = TL_OK;
	*found = l.image_dir || l.ann_path;
	if (!*found) {
		tl_diags_add(d, named ? TL_ERROR : TL_WARNING, root, 0, 0, "dataset-missing",
			     "%s: split not found (image folders looked for: %s)", sn,
			     sp->image_dirs);
		goto out;
	}
	if (!l.image_dir) {
		tl_diags_add(d, TL_ERROR, root, 0, 0, "dataset-missing",
			     "%s: no image folder (looked for %s)", sn, sp->image_dirs);
	}
	int has_ann = sp->ann_paths && sp->ann_paths[0];
	if (has_ann && !l.ann_path)
		tl_diags_add(d, TL_ERROR, root, 0, 0, "dataset-missing",
			     "%s: no annotations (looked for %s)", sn, sp->ann_paths);
	/* image count, and the numbers missing from a contiguous range */
	pat ip;
	int have_ip = pat_parse(sp->image_pattern, strlen(sp->image_pattern), &ip);
	char **ikeys = have_ip ? keys_of(l.images, l.nimages, &ip) : NULL;
	if (have_ip && !ikeys) {
		rc = TL_E_NOMEM;
		goto out;
	}
	if (l.image_dir && sp->images > 0 && l.nimages != (size_t)sp->images) {
		ex[0] = 0;
		if (sp->first >= 0 && have_ip && ip.width >= 0) {
			/* the first few numbers of the range that have no image */
			size_t o = 0, miss = 0;
			char num[32], name[256];
			for (long k = sp->first; k < sp->first + sp->images; k++) {
				snprintf(num, sizeof num, "%0*ld", ip.width, k);
				if (has_key(ikeys, l.nimages, num))
					continue;
				if (miss < 3 && o < sizeof ex) {
					snprintf(name, sizeof name, "%s%s%s", ip.pre, num, ip.suf);
					o += (size_t)snprintf(ex + o, sizeof ex - o, "%s%s", miss ? ", " : "",
							      name);
				}
				miss++;
			}
			if (miss > 3 && o < sizeof ex)
				snprintf(ex + o, sizeof ex - o, ", ... (%zu missing)", miss);
		}
		tl_diags_add(d, l.nimages < (size_t)sp->images ? TL_ERROR : TL_WARNING, l.image_dir,
			     0, 0, "dataset-count", "%s: %zu of %ld images present%s%s%s", sn,
			     l.nimages, sp->images, ex[0] ? " (missing " : "", ex, ex[0] ? ")" : "");
	}
	if (l.ann_path && sp->ann_patterns) {
		const char *s;
		size_t n;
		pat ap, off;
		alt(sp->ann_patterns, 0, &s, &n);
		pat_parse(s, n, &off);
		if (!l.ann_pattern || !pat_parse(l.ann_pattern, strcspn(l.ann_pattern, "|"), &ap)) {
			pat_show(&off, shown, sizeof shown);
			tl_diags_add(d, TL_ERROR, l.ann_path, 0, 0, "dataset-naming",
				     "%s: no annotation file named like %s", sn, shown);
			tl_strv_free(ikeys, l.nimages);
			goto out;
		}
		if (!l.official_names) {
			char offs[200];
			pat_show(&ap, shown, sizeof shown);
			pat_show(&off, offs, sizeof offs);
			tl_diags_add(d, TL_WARNING, l.ann_path, 0, 0, "dataset-naming",
				     "%s: annotation files named %s, not the official %s (%zu files)",
				     sn, shown, offs, l.nann_names);
		}
		if (sp->images > 0 && l.nann_names != (size_t)sp->images)
			tl_diags_add(d, l.nann_names < (size_t)sp->images ? TL_ERROR : TL_WARNING,
				     l.ann_path, 0, 0, "dataset-count",
				     "%s: %zu of %ld annotation files present", sn, l.nann_names,
				     sp->images);
		if (l.nother)
			tl_diags_add(d, TL_NOTE, l.ann_path, 0, 0, "dataset-naming",
				     "%s: %zu other files in the annotation folder", sn, l.nother);
		/* pairing both ways, by the number (or stem) in the names */
		char **akeys = keys_of(l.ann_names, l.nann_names, &ap);
		if (!akeys) {
			tl_strv_free(ikeys, l.nimages);
			rc = TL_E_NOMEM;
			goto out;
		}
		if (l.image_dir && ikeys) {
			char **v = NULL;
			size_t nv = 0, cap = 0;
			for (size_t k = 0; k < l.nimages && !rc; k++) {
				char key[256];
				if (pat_match(&ip, l.images[k], key, sizeof key) &&
				    !has_key(akeys, l.nann_names, key))
					rc = push(&v, &nv, &cap, l.images[k]);
			}
			if (nv) {
				examples(ex, sizeof ex, v, nv);
				tl_diags_add(d, TL_ERROR, l.image_dir, 0, 0, "dataset-pairing",
					     "%s: %zu images without an annotation file (%s)", sn, nv, ex);
			}
			tl_strv_free(v, nv);
			v = NULL;
			nv = cap = 0;
			for (size_t k = 0; k < l.nann_names && !rc; k++) {
				char key[256];
				if (pat_match(&ap, l.ann_names[k], key, sizeof key) &&
				    !has_key(ikeys, l.nimages, key))
					rc = push(&v, &nv, &cap, l.ann_names[k]);
			}
			if (nv) {
				examples(ex, sizeof ex, v, nv);
				tl_diags_add(d, TL_WARNING, l.ann_path, 0, 0, "dataset-pairing",
					     "%s: %zu annotation files without an image in %s (%s)", sn,
					     nv, l.image_dir, ex);
			}
			tl_strv_free(v, nv);
		}
		tl_strv_free(akeys, l.nann_names);
	}
	tl_strv_free(ikeys, l.nimages);
	if (rc)
		goto out;
	/* the region count, when the descriptor knows it */
	long counted = -1;
	if (sp->regions > 0 && l.nann) {
		tl_dataset *ds = tl_dataset_new();
		tl_diags rd;
		tl_diags_init(&rd);
		rd.max = 1;
		tl_error rerr;
		const tl_format *f = tl_format_find(sp->format);
		if (!ds) {
			rc = TL_E_NOMEM;
			goto out;
		}
		int r = tl_read_inputs(ds, (const char *const *)l.ann_files, l.nann, f, NULL, &rd,
				       &rerr);
		size_t regions = 0;
		for (size_t i = 0; i < ds->nimages; i++)
			regions += ds->images[i].nregions;
		if (r == TL_OK || r == TL_E_INPUT) {
			counted = (long)regions;
			if (regions != (size_t)sp->regions)
				tl_diags_add(d, TL_WARNING, l.ann_path, 0, 0, "dataset-count",
					     "%s: %zu regions in the annotations, %ld expected", sn,
					     regions, sp->regions);
			if (rd.nerrors)
				tl_diags_add(d, TL_WARNING, l.ann_path, 0, 0, "dataset-count",
					     "%s: %zu errors reading the annotations (run textloc "
					     "validate)", sn, rd.nerrors);
		}
		tl_dataset_free(ds);
		tl_diags_free(&rd);
	}
	char regs[64] = "";
	if (counted >= 0)
		snprintf(regs, sizeof regs, ", %ld regions", counted);
	tl_diags_add(d, TL_NOTE, root, 0, 0, "dataset-summary",
		     "%s: %zu images in %s, %zu annotation files in %s (%s%s)", sn, l.nimages,
		     l.image_dir ? l.image_dir : "(none)", sp->ann_patterns ? l.nann_names : l.nann,
		     l.ann_path ? l.ann_path : "(none)", sp->format, regs);
out:
	tl_known_layout_free(&l);
	if (rc)
		return tl_error_set(err, rc, NULL, 0, 0, "out of memory");
	return TL_OK;
}

int tl_dataset_check_layout(const tl_known_dataset *kd, const char *root, const char *split,
			    tl_diags *d, tl_error *err)
{
	if (!tl_is_dir(root))
		return tl_error_set(err, TL_E_IO, root, 0, 0, "not a directory");
	const tl_known_split *one = split ? tl_known_split_find(kd, split) : NULL;
	if (split && !one)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0, "%s has no split '%s'", kd->name,
				    split);
	size_t before = d->nerrors, found = 0;
	for (size_t i = 0; i < kd->nsplits; i++) {
		if (one && &kd->splits[i] != one)
			continue;
		int f = 0;
		TL_TRY(check_split(kd, &kd->splits[i], root, one != NULL, d, err, &f));
		found += f;
	}
	if (!found)
		tl_diags_add(d, TL_ERROR, root, 0, 0, "dataset-missing",
			     "no split of %s found here", kd->name);
	return d->nerrors > before ? TL_E_INPUT : TL_OK;
}

/* ---- sharding ---- */

int tl_shard_parse(const char *spec, size_t *i, size_t *n)
{
	if (!spec)
		return TL_E_USAGE;
	char *end;
	const char *p = spec;
	if (*p < '0' || *p > '9')
		return TL_E_USAGE;
	unsigned long a = strtoul(p, &end, 10);
	if (*end != '/' || end[1] < '0' || end[1] > '9')
		return TL_E_USAGE;
	unsigned long b = strtoul(end + 1, &end, 10);
	if (*end || b == 0 || a >= b || b > 1000000)
		return TL_E_USAGE;
	*i = a;
	*n = b;
	return TL_OK;
}
