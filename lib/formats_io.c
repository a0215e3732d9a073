/* formats_io.c — what every command reads annotations through and writes them
 * with: input expansion (files, directories, list files, zip archives, stdin) with
 * one format probe per directory or archive, and atomic output of per-image formats
 * (a directory or a zip of files) and per-dataset formats (one file). */
#include "tl_internal.h"
#include "text.h"
#include <stdio.h>   /* snprintf */
#include <sys/stat.h> /* stat */

/* ---- helpers ---- */

static int strcmp_p(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* tl_read_file for an annotation input: content errors (corrupt or truncated gzip)
 * become diagnostics like any other error in the input. */
static int read_input(const char *path, char **data, size_t *len, tl_diags *d, tl_error *err)
{
	int rc = tl_read_file(path, 0, data, len, err);
	if (rc == TL_E_INPUT)
		tl_diags_add(d, TL_ERROR, path, 0, 0, "gzip", "%s", err->msg);
	return rc;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "",
			 name);
	return p;
}

/* Files in a directory or archive that are not annotations. */
static int skip_name(const char *name)
{
	const char *base = tl_basename(name);
	return base[0] == '.' || !base[0] || tl_is_image_name(base) ||
	       !strncmp(name, "__MACOSX/", 9) || strstr(name, "/__MACOSX/") ||
	       name[strlen(name) - 1] == '/';
}

/* A source of several files (directory or zip) is probed once: the format that the
 * most of its first few non-empty files say, so that empty or odd files later in
 * the set are read the same way. */
struct vote { const tl_format *fmt; int score; };

static void vote_add(struct vote *v, size_t nv, const char *name, const char *data, size_t len)
{
	char *clean = NULL;
	size_t clen, skip;
	tl_diags quiet;
	tl_diags_init(&quiet);
	if (tl_text_prepare(name, data, len, 0, &quiet, &clean, &clen, &skip) == TL_E_NOMEM) {
		tl_diags_free(&quiet);
		return;
	}
	tl_diags_free(&quiet);
	const tl_format *f = tl_format_probe(tl_source_base(name), clean ? clean : data + skip,
					     clean ? clen : len - skip);
	free(clean);
	if (!f)
		return;
	for (size_t i = 0; i < nv; i++)
		if (v[i].fmt == f || !v[i].fmt) {
			v[i].fmt = f;
			v[i].score++;
			return;
		}
}

static const tl_format *vote_best(const struct vote *v, size_t nv)
{
	const tl_format *best = NULL;
	int s = 0;
	for (size_t i = 0; i < nv; i++)
		if (v[i].fmt && v[i].score > s) {
			s = v[i].score;
			best = v[i].fmt;
		}
	return best;
}

#define PROBE_FILES 8

static int merge_status(int a, int b)
{
	if (a == TL_OK)
		return b;
	if (b == TL_OK || b == TL_E_INPUT)
		return a;
	return a == TL_E_INPUT ? b : a;
}

/* ---- directories ---- */

static int read_dir(tl_dataset *ds, const char *dir, const tl_format *fmt,
		    const tl_read_opts *o, tl_diags *d, tl_error *err)
{
	char **names;
	size_t count;
	TL_TRY(tl_list_dir(dir, &names, &count, err));
		int st = TL_OK;
	if (!fmt) {
		struct vote v[PROBE_FILES] = { { 0 } };
		for (size_t i = 0, probed = 0; i < count && probed < PROBE_FILES; i++) {
			if (skip_name(names[i]))
				continue;
			char *path = join(dir, names[i]), *data;
			size_t len;
			tl_error e;
			if (path && tl_read_file(path, 0, &data, &len, &e) == TL_OK) {
				if (len) {
					vote_add(v, PROBE_FILES, path, data, len);
					probed++;
				}
				free(data);
			}
			free(path);
		}
		fmt = vote_best(v, PROBE_FILES);
	}
	size_t nread = 0;
	for (size_t i = 0; i < count; i++) {
		if (skip_name(names[i]))
			continue;
		char *path = join(dir, names[i]), *data;
		size_t len;
		if (!path) {
			st = tl_error_set(err, TL_E_NOMEM, dir, 0, 0, "out of memory");
			break;
		}
		int rc = read_input(path, &data, &len, d, err);
		if (rc == TL_OK) {
			rc = tl_format_read(ds, fmt, path, data, len, o, d);
			free(data);
			nread++;
			if (rc != TL_OK && rc != TL_E_INPUT)
				tl_error_set(err, rc, path, 0, 0, "%s", tl_status_str(rc));
		}
		free(path);
		st = merge_status(st, rc);
		if (st != TL_OK && st != TL_E_INPUT)
			break;
	}
	tl_strv_free(names, count);
	if (st == TL_OK && !nread)
		tl_diags_add(d, TL_WARNING, dir, 0, 0, "empty", "no annotation files in directory");
	return st;
}

/* ---- zip archives ---- */

static int read_zip(tl_dataset *ds, const char *zpath, const tl_format *fmt,
		    const tl_read_opts *o, tl_diags *d, tl_error *err)
{
	tl_zip *z;
	TL_TRY(tl_zip_open(zpath, &z, err));
	size_t count = tl_zip_count(z);
	size_t *order = malloc((count ? count : 1) * sizeof *order);
	const char **nm = malloc((count ? count : 1) * sizeof *nm);
	if (!order || !nm) {
		free(order);
		free(nm);
		tl_zip_close(z);
		return tl_error_set(err, TL_E_NOMEM, zpath, 0, 0, "out of memory");
	}
	/* entry indexes in natural name order (shell sort: entries keep their index) */
	for (size_t i = 0; i < count; i++)
		nm[i] = tl_zip_name(z, i);
	for (size_t i = 0; i < count; i++)
		order[i] = i;
	for (size_t gap = count / 2; gap > 0; gap /= 2)
		for (size_t i = gap; i < count; i++)
			for (size_t j = i; j >= gap && tl_natural_cmp(nm[order[j - gap]], nm[order[j]]) > 0;
			     j -= gap) {
				size_t t = order[j];
				order[j] = order[j - gap];
				order[j - gap] = t;
			}
	int st = TL_OK;
	tl_buf path = TL_BUF_INIT;
	if (!fmt) {
		struct vote v[PROBE_FILES] = { { 0 } };
		for (size_t k = 0, probed = 0; k < count && probed < PROBE_FILES; k++) {
			size_t i = order[k];
			if (skip_name(nm[i]))
				continue;
			char *data;
			size_t len;
			tl_error e;
			if (tl_zip_read(z, i, &data, &len, &e) == TL_OK) {
				if (len) {
					vote_add(v, PROBE_FILES, nm[i], data, len);
					probed++;
				}
				free(data);
			}
		}
		fmt = vote_best(v, PROBE_FILES);
	}
	for (size_t k = 0; k < count; k++) {
		size_t i = order[k];
		if (skip_name(nm[i]))
			continue;
		path.len = 0;
		if (tl_buf_printf(&path, "%s#%s", zpath, nm[i])) {
			st = tl_error_set(err, TL_E_NOMEM, zpath, 0, 0, "out of memory");
			break;
		}
		char *data;
		size_t len;
		int rc = tl_zip_read(z, i, &data, &len, err);
		if (rc == TL_OK) {
			rc = tl_format_read(ds, fmt, path.data, data, len, o, d);
			free(data);
			if (rc != TL_OK && rc != TL_E_INPUT)
				tl_error_set(err, rc, path.data, 0, 0, "%s", tl_status_str(rc));
		} else if (rc == TL_E_INPUT || rc == TL_E_LIMIT || rc == TL_E_UNSUPPORTED) {
			/* one broken entry: report it and read the others */
			tl_diags_add(d, TL_ERROR, path.data, 0, 0, "zip", "%s", err->msg);
			rc = TL_E_INPUT;
		}
		st = merge_status(st, rc);
		if (st != TL_OK && st != TL_E_INPUT)
			break;
	}
	tl_buf_free(&path);
	free(order);
	free(nm);
	tl_zip_close(z);
	return st;
}

/* ---- list files ---- */

static int exists_rel(const char *listpath, const char *name, size_t n, char **out)
{
	char *nm = strndup(name, n);
	if (!nm)
		return 0;
	char *dir = strdup(listpath);
	if (!dir) {
		free(nm);
		return 0;
	}
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[1] = 0;
	else
		dir[0] = 0;
	char *p = nm[0] == '/' ? strdup(nm) : join(dir, nm);
	free(dir);
	struct stat st;
	int ok = p && stat(p, &st) == 0;
	if (!ok && p && nm[0] != '/' && stat(nm, &st) == 0) {
		free(p);
		p = strdup(nm); /* relative to the working directory */
		ok = p != NULL;
	}
	free(nm);
	if (ok && out)
		*out = p;
	else
		free(p);
	return ok;
}

/* A list file names one annotation file (or directory, or archive) per line. It is
 * told apart from annotations by its first non-empty line: no comma, TAB or JSON,
 * and the name of something that exists. */
static int looks_like_list(const char *path, const char *data, size_t len)
{
	tl_lines it;
	tl_lines_init(&it, data, len);
	const char *s;
	size_t n;
	while (tl_lines_next(&it, &s, &n)) {
		if (!n || tl_is_blank(s, n))
			continue;
		if (n > 4096 || memchr(s, ',', n) || memchr(s, '\t', n) || memchr(s, '{', n) ||
		    memchr(s, '[', n) || memchr(s, 0, n))
			return 0;
		return exists_rel(path, s, n, NULL);
	}
	return 0;
}

static int read_path(tl_dataset *ds, const char *path, const tl_format *fmt,
		     const tl_read_opts *o, tl_diags *d, tl_error *err, int depth);

static int read_list(tl_dataset *ds, const char *listpath, const char *data, size_t len,
		     const tl_format *fmt, const tl_read_opts *o, tl_diags *d, tl_error *err,
		     int depth)
{
	tl_lines it;
	tl_lines_init(&it, data, len);
	const char *s;
	size_t n;
	int st = TL_OK;
	while (tl_lines_next(&it, &s, &n)) {
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (!n)
			continue;
		char *p = NULL;
		if (!exists_rel(listpath, s, n, &p)) {
			tl_diags_add(d, TL_ERROR, listpath, it.lineno, 1, "missing-file",
				     "'%.*s' does not exist", (int)(n > 200 ? 200 : n), s);
			st = merge_status(st, TL_E_INPUT);
			continue;
		}
		int rc = read_path(ds, p, fmt, o, d, err, depth + 1);
		free(p);
		st = merge_status(st, rc);
		if (st != TL_OK && st != TL_E_INPUT)
			break;
	}
	return st;
}

static int is_zip(const char *path, const char *data, size_t len)
{
	return tl_has_suffix(path, ".zip") || (len >= 4 && !memcmp(data, "PK\3\4", 4)) ||
	       (len >= 4 && !memcmp(data, "PK\5\6", 4));
}

static int read_path(tl_dataset *ds, const char *path, const tl_format *fmt,
		     const tl_read_opts *o, tl_diags *d, tl_error *err, int depth)
{
	if (depth > 4) { /* a list naming itself */
		tl_diags_add(d, TL_ERROR, path, 0, 0, "list", "list files nested too deep");
		return TL_E_INPUT;
	}
	if (strcmp(path, "-") && tl_is_dir(path))
		return read_dir(ds, path, fmt, o, d, err);
	char *data;
	size_t len;
	TL_TRY(read_input(path, &data, &len, d, err));
	int rc;
	if (strcmp(path, "-") && is_zip(path, data, len)) {
		free(data);
		return read_zip(ds, path, fmt, o, d, err);
	}
	if (strcmp(path, "-") && looks_like_list(path, data, len)) {
		rc = read_list(ds, path, data, len, fmt, o, d, err, depth);
		free(data);
		return rc;
	}
	rc = tl_format_read(ds, fmt, strcmp(path, "-") ? path : "stdin", data, len, o, d);
	free(data);
	if (rc != TL_OK && rc != TL_E_INPUT)
		tl_error_set(err, rc, path, 0, 0, "%s", tl_status_str(rc));
	return rc;
}

int tl_read_inputs(tl_dataset *ds, const char *const *paths, size_t n, const tl_format *fmt,
		   const tl_read_opts *o, tl_diags *d, tl_error *err)
{
	static const tl_read_opts defaults;
	if (!o)
		o = &defaults;
	int st = TL_OK;
	for (size_t i = 0; i < n; i++) {
		st = merge_status(st, read_path(ds, paths[i], fmt, o, d, err, 0));
		if (st != TL_OK && st != TL_E_INPUT)
			return st;
	}
	return st;
}

/* ---- output ---- */

/* The annotation file name for an image: the name it was read from when writing
 * back the same per-image format (img_N.jpg.txt stays so), else the format's rule. */
static int out_name(const tl_dataset *ds, const tl_format *fmt, const tl_image *im, tl_buf *b)
{
	b->len = 0;
	if (tl_same_format(ds, fmt->name) && im->source && strcmp(im->source, "stdin"))
		return tl_buf_puts(b, tl_source_base(im->source));
	if (fmt->file_for_image)
		return fmt->file_for_image(im->name, b);
	return tl_name_from_image(im->name, "", ".txt", b);
}

static int writer_failed(const tl_format *fmt, int rc, tl_error *err)
{
	if (rc == TL_E_INPUT)
		return tl_error_set(err, rc, NULL, 0, 0,
				    "nothing written: some regions do not fit format '%s'",
				    fmt->name);
	return tl_error_set(err, rc, NULL, 0, 0, "cannot write format '%s': %s", fmt->name,
			    tl_status_str(rc));
}

static int write_per_image(const tl_dataset *ds, const tl_format *fmt, const char *out,
			   const tl_write_opts *o, int force, tl_diags *d, tl_error *err)
{
	int to_stdout = !out || !strcmp(out, "-");
	if (to_stdout && ds->nimages > 1)
		return tl_error_set(err, TL_E_USAGE, NULL, 0, 0,
				    "format '%s' writes one file per image: give -o DIR or "
				    "-o FILE.zip for %zu images", fmt->name, ds->nimages);
	size_t n = ds->nimages;
	char **names = calloc(n ? n : 1, sizeof *names);
	tl_buf *bufs = calloc(n ? n : 1, sizeof *bufs);
	int st = TL_OK;
	if (!names || !bufs) {
		st = tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	tl_buf nb = TL_BUF_INIT;
	for (size_t i = 0; i < n && st == TL_OK; i++) {
		if (out_name(ds, fmt, &ds->images[i], &nb) || !(names[i] = strdup(nb.data))) {
			st = tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		int rc = fmt->write(ds, &ds->images[i], &bufs[i], o, d);
		if (rc != TL_OK)
			st = writer_failed(fmt, rc, err);
		/* an image without regions still gets its (empty) file */
		if (st == TL_OK && !bufs[i].data && tl_buf_append(&bufs[i], "", 0))
			st = tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	tl_buf_free(&nb);
	if (st != TL_OK)
		goto done;
	/* Two images that map to one file name would overwrite each other. */
	if (n > 1) {
		char **sorted = malloc(n * sizeof *sorted);
		if (!sorted) {
			st = tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
		memcpy(sorted, names, n * sizeof *sorted);
		qsort(sorted, n, sizeof *sorted, strcmp_p);
		for (size_t i = 1; i < n && st == TL_OK; i++)
			if (!strcmp(sorted[i - 1], sorted[i]))
				st = tl_error_set(err, TL_E_INPUT, NULL, 0, 0,
						  "two images would both be written to '%s' "
						  "(same file name in different folders?)", sorted[i]);
		free(sorted);
	}
	if (st != TL_OK)
		goto done;
	if (to_stdout) {
		if (n)
			st = tl_write_file_atomic("-", bufs[0].data, bufs[0].len, force, err);
	} else if (tl_has_suffix(out, ".zip")) {
		const char **datas = malloc((n ? n : 1) * sizeof *datas);
		size_t *lens = malloc((n ? n : 1) * sizeof *lens);
		if (!datas || !lens) {
			st = tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
		} else {
			for (size_t i = 0; i < n; i++) {
				datas[i] = bufs[i].data;
				lens[i] = bufs[i].len;
			}
			st = tl_zip_write(out, (const char *const *)names, datas, lens, n, force, err);
		}
		free(datas);
		free(lens);
	} else {
		st = tl_mkdirs(out, err);
		/* Refuse before writing anything, so a refused run changes nothing. */
		for (size_t i = 0; i < n && st == TL_OK && !force; i++) {
			char *p = join(out, names[i]);
			if (!p)
				st = tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
			else if (tl_is_file(p) || tl_is_dir(p))
				st = tl_error_set(err, TL_E_IO, p, 0, 0,
						  "exists; use --force to overwrite");
			free(p);
		}
		for (size_t i = 0; i < n && st == TL_OK; i++) {
			char *p = join(out, names[i]);
			if (!p)
				st = tl_error_set(err, TL_E_NOMEM, NULL, 0, 0, "out of memory");
			else
				st = tl_write_file_atomic(p, bufs[i].data, bufs[i].len, force, err);
			free(p);
		}
	}
done:
	for (size_t i = 0; names && bufs && i < n; i++) {
		free(names[i]);
		tl_buf_free(&bufs[i]);
	}
	free(names);
	free(bufs);
	return st;
}

int tl_write_output(const tl_dataset *ds, const tl_format *fmt, const char *out,
		    const tl_write_opts *o, int force, tl_diags *d, tl_error *err)
{
	static const tl_write_opts defaults;
	if (!o)
		o = &defaults;
	if (!fmt->write)
		return tl_error_set(err, TL_E_UNSUPPORTED, NULL, 0, 0,
				    "format '%s' cannot be written", fmt->name);
	if (fmt->flags & TL_FMT_PER_IMAGE)
		return write_per_image(ds, fmt, out, o, force, d, err);
	tl_buf b = TL_BUF_INIT;
	int rc = fmt->write(ds, NULL, &b, o, d);
	if (rc == TL_OK && !b.data)
		rc = tl_buf_append(&b, "", 0);
	if (rc != TL_OK) {
		tl_buf_free(&b);
		return writer_failed(fmt, rc, err);
	}
	rc = tl_write_file_atomic(out ? out : "-", b.data, b.len, force, err);
	tl_buf_free(&b);
	return rc;
}
