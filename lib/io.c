/* io.c — buffers, whole-file I/O, atomic output, directories and zip archives. */
#include "tl_internal.h"
#include <dirent.h>    /* opendir */
#include <errno.h>     /* errno */
#include <fcntl.h>     /* open */
#include <stdarg.h>    /* va_list */
#include <stdio.h>     /* vsnprintf, rename */
#include <sys/stat.h>  /* stat, mkdir */
#include <unistd.h>    /* read, write, close */
#include <limits.h>     /* UINT_MAX */
#include <zlib.h>      /* inflate, deflate, crc32 */

/* ---- buffers ---- */

int tl_buf_append(tl_buf *b, const void *data, size_t len)
{
	if (len > SIZE_MAX - b->len - 1)
		return TL_E_NOMEM;
	if (tl_grow((void **)&b->data, &b->cap, b->len + len + 1, 1))
		return TL_E_NOMEM;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = 0;
	return TL_OK;
}

int tl_buf_puts(tl_buf *b, const char *s) { return tl_buf_append(b, s, strlen(s)); }

int tl_buf_printf(tl_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return TL_E_INPUT;
	if ((size_t)n < sizeof small)
		return tl_buf_append(b, small, (size_t)n);
	if (tl_grow((void **)&b->data, &b->cap, b->len + (size_t)n + 1, 1))
		return TL_E_NOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return TL_OK;
}

int tl_buf_json_string(tl_buf *b, const char *s)
{
	TL_TRY(tl_buf_append(b, "\"", 1));
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		TL_TRY(tl_buf_append(b, run, (size_t)(s - run)));
		run = s + 1;
		switch (c) {
		case '"': TL_TRY(tl_buf_puts(b, "\\\"")); break;
		case '\\': TL_TRY(tl_buf_puts(b, "\\\\")); break;
		case '\n': TL_TRY(tl_buf_puts(b, "\\n")); break;
		case '\r': TL_TRY(tl_buf_puts(b, "\\r")); break;
		case '\t': TL_TRY(tl_buf_puts(b, "\\t")); break;
		default: TL_TRY(tl_buf_printf(b, "\\u%04x", c)); break;
		}
	}
	TL_TRY(tl_buf_append(b, run, (size_t)(s - run)));
	return tl_buf_append(b, "\"", 1);
}

int tl_buf_num(tl_buf *b, double v)
{
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v) /* range first: the cast of a huge v is undefined */
		return tl_buf_printf(b, "%lld", (long long)v);
	char tmp[40];
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	return tl_buf_puts(b, tmp);
}

void tl_buf_free(tl_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* ---- files ---- */

/* Decompresses gzip data (one member or several concatenated, as gzip writes
 * them; zero padding after the last is allowed) into a NUL-terminated buffer of at
 * most max bytes. */
static int gunzip(const char *path, const char *in, size_t n, size_t max, char **data,
		  size_t *len, tl_error *err)
{
	z_stream s;
	memset(&s, 0, sizeof s);
	if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK)
		return tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
	tl_buf out = TL_BUF_INIT;
	s.next_in = (unsigned char *)in;
	int rc = TL_OK;
	size_t used = 0;
	for (;;) {
		if (out.cap - out.len < 2) {
			size_t want = out.cap ? out.cap * 2 : (n < max / 4 ? n * 4 : max) + 1;
			if (want > max + 1)
				want = max + 1;
			if (out.len >= max) {
				rc = tl_error_set(err, TL_E_LIMIT, path, 0, 0, "gzip data decompresses "
						  "to more than the limit of %zu bytes", max);
				break;
			}
			if (tl_grow((void **)&out.data, &out.cap, want, 1)) {
				rc = tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
				break;
			}
		}
		size_t left = n - used;
		s.avail_in = left > UINT_MAX ? UINT_MAX : (unsigned)left;
		size_t room = out.cap - out.len - 1;
		s.next_out = (unsigned char *)out.data + out.len;
		s.avail_out = room > UINT_MAX ? UINT_MAX : (unsigned)room;
		unsigned char *before_in = s.next_in;
		int r = inflate(&s, Z_NO_FLUSH);
		used += (size_t)(s.next_in - before_in);
		out.len = (size_t)((char *)s.next_out - out.data);
		if (r == Z_STREAM_END) {
			while (used < n && in[used] == 0)
				used++;
			if (used == n)
				break;
			if (n - used >= 2 && (unsigned char)in[used] == 0x1f &&
			    (unsigned char)in[used + 1] == 0x8b && inflateReset(&s) == Z_OK)
				continue;
			rc = tl_error_set(err, TL_E_INPUT, path, 0, 0,
					  "data after the end of the gzip stream");
			break;
		}
		if (r == Z_OK || (r == Z_BUF_ERROR && s.avail_out == 0))
			continue;
		if (r == Z_BUF_ERROR && used == n) {
			rc = tl_error_set(err, TL_E_INPUT, path, 0, 0,
					  "truncated gzip data (%zu bytes decompressed)", out.len);
			break;
		}
		rc = r == Z_MEM_ERROR ? tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory")
				      : tl_error_set(err, TL_E_INPUT, path, 0, 0, "corrupt gzip data: %s",
						     s.msg ? s.msg : "inflate failed");
		break;
	}
	inflateEnd(&s);
	if (rc != TL_OK) {
		free(out.data);
		return rc;
	}
	if (!out.data && tl_grow((void **)&out.data, &out.cap, 1, 1))
		return tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
	out.data[out.len] = 0;
	*data = out.data;
	*len = out.len;
	return TL_OK;
}

int tl_read_file(const char *path, size_t max, char **data, size_t *len, tl_error *err)
{
	if (!max)
		max = TL_MAX_FILE_BYTES;
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return tl_error_set(err, TL_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return tl_error_set(err, TL_E_IO, path, 0, 0, "is a directory");
	}
	tl_buf b = TL_BUF_INIT;
	if (tl_grow((void **)&b.data, &b.cap, S_ISREG(st.st_mode) && (size_t)st.st_size < max ?
			    (size_t)st.st_size + 1 : 65536, 1))
		goto nomem;
	for (;;) {
		if (b.cap - b.len < 2 && tl_grow((void **)&b.data, &b.cap, b.cap + 1, 1))
			goto nomem;
		ssize_t n = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			if (fd)
				close(fd);
			free(b.data);
			return tl_error_set(err, TL_E_IO, path, 0, 0, "read failed: %s", strerror(e));
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		if (b.len > max) {
			if (fd)
				close(fd);
			free(b.data);
			return tl_error_set(err, TL_E_LIMIT, path, 0, 0,
					    "file larger than the limit of %zu bytes", max);
		}
	}
	if (fd)
		close(fd);
	b.data[b.len] = 0;
	if (b.len >= 18 && (unsigned char)b.data[0] == 0x1f && (unsigned char)b.data[1] == 0x8b &&
	    b.data[2] == 8) {
		int rc = gunzip(path, b.data, b.len, max, data, len, err);
		free(b.data);
		return rc;
	}
	*data = b.data;
	*len = b.len;
	return TL_OK;
nomem:
	if (fd)
		close(fd);
	free(b.data);
	return tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int tl_write_file_atomic(const char *path, const void *data, size_t len, int force, tl_error *err)
{
	if (!strcmp(path, "-")) {
		if (write_all(1, data, len))
			return tl_error_set(err, TL_E_IO, "<stdout>", 0, 0, "write failed: %s",
					    strerror(errno));
		return TL_OK;
	}
	if (!force && access(path, F_OK) == 0)
		return tl_error_set(err, TL_E_IO, path, 0, 0,
				    "exists; not overwritten (use --force)");
	size_t n = strlen(path) + 32;
	char *tmp = malloc(n);
	if (!tmp)
		return tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
	snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return tl_error_set(err, TL_E_IO, path, 0, 0, "cannot create: %s", strerror(e));
	}
	if (write_all(fd, data, len) || close(fd)) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return tl_error_set(err, TL_E_IO, path, 0, 0, "write failed: %s", strerror(e));
	}
	if (rename(tmp, path)) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return tl_error_set(err, TL_E_IO, path, 0, 0, "cannot rename into place: %s",
				    strerror(e));
	}
	free(tmp);
	return TL_OK;
}

int tl_mkdirs(const char *path, tl_error *err)
{
	char *p = strdup(path);
	if (!p)
		return tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
	for (char *s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = 0;
			if (mkdir(p, 0755) && errno != EEXIST) {
				int e = errno;
				free(p);
				return tl_error_set(err, TL_E_IO, path, 0, 0, "cannot create directory: %s",
						    strerror(e));
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	if (!tl_is_dir(path))
		return tl_error_set(err, TL_E_IO, path, 0, 0, "not a directory");
	return TL_OK;
}

int tl_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int tl_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int tl_natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (is_digit(*a) && is_digit(*b)) {
			while (*a == '0' && is_digit(a[1]))
				a++;
			while (*b == '0' && is_digit(b[1]))
				b++;
			size_t la = 0, lb = 0;
			while (is_digit(a[la]))
				la++;
			while (is_digit(b[lb]))
				lb++;
			if (la != lb)
				return la < lb ? -1 : 1;
			int c = memcmp(a, b, la);
			if (c)
				return c;
			a += la;
			b += lb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int natural_cmp_p(const void *a, const void *b)
{
	return tl_natural_cmp(*(const char *const *)a, *(const char *const *)b);
}


void tl_strv_free(char **v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(v[i]);
	free(v);
}

int tl_list_dir(const char *dir, char ***names, size_t *count, tl_error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return tl_error_set(err, TL_E_IO, dir, 0, 0, "cannot open directory: %s",
				    strerror(errno));
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	size_t dl = strlen(dir);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t pl = dl + strlen(e->d_name) + 2;
		char *full = malloc(pl);
		if (!full)
			goto nomem;
		snprintf(full, pl, "%s/%s", dir, e->d_name);
		int reg = tl_is_file(full);
		free(full);
		if (!reg)
			continue;
		if (tl_grow((void **)&v, &cap, n + 1, sizeof *v) || !(v[n] = strdup(e->d_name)))
			goto nomem;
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof *v, natural_cmp_p);
	*names = v;
	*count = n;
	return TL_OK;
nomem:
	closedir(d);
	tl_strv_free(v, n);
	return tl_error_set(err, TL_E_NOMEM, dir, 0, 0, "out of memory");
}

const char *tl_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

int tl_has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);
	return n >= s && !strcasecmp(name + n - s, suffix);
}

/* ---- zip ---- */

struct zip_entry {
	char *name;
	uint32_t crc, csize, usize, offset;
	uint16_t method;
};

struct tl_zip {
	char *path;
	char *data;          /* the whole archive */
	size_t len;
	struct zip_entry *entries;
	size_t count;
};

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void tl_zip_close(tl_zip *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->count; i++)
		free(z->entries[i].name);
	free(z->entries);
	free(z->data);
	free(z->path);
	free(z);
}

int tl_zip_open(const char *path, tl_zip **out, tl_error *err)
{
	*out = NULL;
	tl_zip *z = calloc(1, sizeof *z);
	if (!z || !(z->path = strdup(path))) {
		free(z);
		return tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
	}
	int rc = tl_read_file(path, 0, &z->data, &z->len, err);
	if (rc) {
		tl_zip_close(z);
		return rc;
	}
	const unsigned char *d = (const unsigned char *)z->data;
	size_t len = z->len;
	/* The end-of-central-directory record is in the last 64 KiB + 22 bytes. */
	size_t eocd = SIZE_MAX;
	if (len >= 22)
		for (size_t i = len - 22 + 1; i-- > 0 && len - i <= 65535 + 22;)
			if (rd32(d + i) == 0x06054b50) {
				eocd = i;
				break;
			}
	if (eocd == SIZE_MAX) {
		tl_zip_close(z);
		return tl_error_set(err, TL_E_INPUT, path, 0, 0,
				    "not a zip archive (no end of central directory)");
	}
	size_t n = rd16(d + eocd + 10);
	size_t cd = rd32(d + eocd + 16), cdsize = rd32(d + eocd + 12);
	if (cd > len || cdsize > len - cd || n > TL_MAX_ZIP_ENTRIES) {
		tl_zip_close(z);
		return tl_error_set(err, TL_E_INPUT, path, 0, 0, "corrupt zip central directory");
	}
	z->entries = calloc(n ? n : 1, sizeof *z->entries);
	if (!z->entries) {
		tl_zip_close(z);
		return tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
	}
	size_t p = cd;
	for (size_t i = 0; i < n; i++) {
		if (p + 46 > cd + cdsize || rd32(d + p) != 0x02014b50) {
			tl_zip_close(z);
			return tl_error_set(err, TL_E_INPUT, path, 0, 0,
					    "corrupt zip central directory entry %zu", i + 1);
		}
		struct zip_entry *e = &z->entries[i];
		e->method = rd16(d + p + 10);
		e->crc = rd32(d + p + 16);
		e->csize = rd32(d + p + 20);
		e->usize = rd32(d + p + 24);
		size_t nl = rd16(d + p + 28), xl = rd16(d + p + 30), cl = rd16(d + p + 32);
		e->offset = rd32(d + p + 42);
		if (p + 46 + nl > cd + cdsize) {
			tl_zip_close(z);
			return tl_error_set(err, TL_E_INPUT, path, 0, 0, "corrupt zip entry name");
		}
		e->name = strndup((const char *)d + p + 46, nl);
		if (!e->name) {
			tl_zip_close(z);
			return tl_error_set(err, TL_E_NOMEM, path, 0, 0, "out of memory");
		}
		z->count++;
		p += 46 + nl + xl + cl;
	}
	*out = z;
	return TL_OK;
}

size_t tl_zip_count(const tl_zip *z) { return z->count; }
const char *tl_zip_name(const tl_zip *z, size_t i) { return z->entries[i].name; }

int tl_zip_read(tl_zip *z, size_t i, char **data, size_t *len, tl_error *err)
{
	const struct zip_entry *e = &z->entries[i];
	char where[600];
	snprintf(where, sizeof where, "%s#%s", z->path, e->name);
	const unsigned char *d = (const unsigned char *)z->data;
	size_t off = e->offset;
	if (off > z->len || z->len - off < 30 || rd32(d + off) != 0x04034b50)
		return tl_error_set(err, TL_E_INPUT, where, 0, 0, "corrupt zip local header");
	size_t start = off + 30 + rd16(d + off + 26) + rd16(d + off + 28);
	if (start > z->len || e->csize > z->len - start)
		return tl_error_set(err, TL_E_INPUT, where, 0, 0, "truncated zip entry");
	if (e->usize > TL_MAX_ZIP_ENTRY)
		return tl_error_set(err, TL_E_LIMIT, where, 0, 0, "zip entry too large (%u bytes)",
				    e->usize);
	char *out = malloc((size_t)e->usize + 1);
	if (!out)
		return tl_error_set(err, TL_E_NOMEM, where, 0, 0, "out of memory");
	if (e->method == 0) {
		if (e->csize != e->usize) {
			free(out);
			return tl_error_set(err, TL_E_INPUT, where, 0, 0, "corrupt stored zip entry");
		}
		memcpy(out, d + start, e->usize);
	} else if (e->method == 8) {
		z_stream s;
		memset(&s, 0, sizeof s);
		if (inflateInit2(&s, -MAX_WBITS) != Z_OK) {
			free(out);
			return tl_error_set(err, TL_E_NOMEM, where, 0, 0, "inflate init failed");
		}
		s.next_in = (unsigned char *)d + start;
		s.avail_in = e->csize;
		s.next_out = (unsigned char *)out;
		s.avail_out = e->usize;
		int r = inflate(&s, Z_FINISH);
		inflateEnd(&s);
		if (r != Z_STREAM_END || s.total_out != e->usize) {
			free(out);
			return tl_error_set(err, TL_E_INPUT, where, 0, 0, "corrupt deflate data");
		}
	} else {
		free(out);
		return tl_error_set(err, TL_E_UNSUPPORTED, where, 0, 0,
				    "zip compression method %u not supported", e->method);
	}
	if (crc32(0, (unsigned char *)out, e->usize) != e->crc) {
		free(out);
		return tl_error_set(err, TL_E_INPUT, where, 0, 0, "zip entry CRC mismatch");
	}
	out[e->usize] = 0;
	*data = out;
	*len = e->usize;
	return TL_OK;
}

static int put16(tl_buf *b, unsigned v)
{
	unsigned char c[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	return tl_buf_append(b, c, 2);
}
static int put32(tl_buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	return tl_buf_append(b, c, 4);
}

int tl_zip_write(const char *path, const char *const *names, const char *const *datas,
		 const size_t *lens, size_t n, int force, tl_error *err)
{
	if (n > 65535)
		return tl_error_set(err, TL_E_LIMIT, path, 0, 0, "too many zip entries (%zu)", n);
	tl_buf b = TL_BUF_INIT, cd = TL_BUF_INIT;
	int rc = TL_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		if (lens[i] > 0xffffffffu || b.len > 0xffffffffu) {
			rc = TL_E_LIMIT;
			break;
		}
		uLong bound = compressBound((uLong)lens[i]);
		unsigned char *c = malloc(bound ? bound : 1);
		if (!c) {
			rc = TL_E_NOMEM;
			break;
		}
		z_stream s;
		memset(&s, 0, sizeof s);
		deflateInit2(&s, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
		s.next_in = (unsigned char *)datas[i];
		s.avail_in = (uInt)lens[i];
		s.next_out = c;
		s.avail_out = (uInt)bound;
		deflate(&s, Z_FINISH);
		uint32_t csize = (uint32_t)s.total_out;
		deflateEnd(&s);
		uint32_t crc = (uint32_t)crc32(0, (const unsigned char *)datas[i], (uInt)lens[i]);
		uint32_t off = (uint32_t)b.len;
		size_t nl = strlen(names[i]);
		rc = put32(&b, 0x04034b50) || put16(&b, 20) || put16(&b, 0x800) || put16(&b, 8) ||
		     put32(&b, 0) || put32(&b, crc) || put32(&b, csize) || put32(&b, (uint32_t)lens[i]) ||
		     put16(&b, (unsigned)nl) || put16(&b, 0) || tl_buf_append(&b, names[i], nl) ||
		     tl_buf_append(&b, c, csize);
		rc = rc || put32(&cd, 0x02014b50) || put16(&cd, 20) || put16(&cd, 20) ||
		     put16(&cd, 0x800) || put16(&cd, 8) || put32(&cd, 0) || put32(&cd, crc) ||
		     put32(&cd, csize) || put32(&cd, (uint32_t)lens[i]) || put16(&cd, (unsigned)nl) ||
		     put16(&cd, 0) || put16(&cd, 0) || put16(&cd, 0) || put16(&cd, 0) ||
		     put32(&cd, 0) || put32(&cd, off) || tl_buf_append(&cd, names[i], nl);
		free(c);
		if (rc)
			rc = TL_E_NOMEM;
	}
	if (!rc) {
		uint32_t cdoff = (uint32_t)b.len;
		rc = tl_buf_append(&b, cd.data, cd.len) || put32(&b, 0x06054b50) || put16(&b, 0) ||
		     put16(&b, 0) || put16(&b, (unsigned)n) || put16(&b, (unsigned)n) ||
		     put32(&b, (uint32_t)cd.len) || put32(&b, cdoff) || put16(&b, 0);
		if (rc)
			rc = TL_E_NOMEM;
	}
	if (rc)
		tl_error_set(err, rc, path, 0, 0, "cannot build zip archive");
	else
		rc = tl_write_file_atomic(path, b.data ? b.data : "", b.len, force, err);
	tl_buf_free(&b);
	tl_buf_free(&cd);
	return rc;
}
