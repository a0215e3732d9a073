/* textloc/io.h — buffers, whole-file I/O, atomic output, directories, zip archives. */
#ifndef TEXTLOC_IO_H
#define TEXTLOC_IO_H

/* A growing byte buffer; data is always NUL-terminated past len. */
typedef struct tl_buf { char *data; size_t len, cap; } tl_buf;
#define TL_BUF_INIT { NULL, 0, 0 }

TL_API int tl_buf_append(tl_buf *b, const void *data, size_t len);
TL_API int tl_buf_puts(tl_buf *b, const char *s);
TL_API int tl_buf_printf(tl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal (quotes and escapes added). */
TL_API int tl_buf_json_string(tl_buf *b, const char *s);
/* Appends a double the shortest way that reads back exactly ("12", "12.5", "0.1"). */
TL_API int tl_buf_num(tl_buf *b, double v);
TL_API void tl_buf_free(tl_buf *b);

/* Reads a whole file ("-" = stdin) into a NUL-terminated malloc'd buffer. Files
 * larger than max bytes (0 = TL_MAX_FILE_BYTES) are refused with TL_E_LIMIT. Gzip
 * data (HierText's .jsonl.gz, any gzipped annotation file) is decompressed, under
 * the same limit; truncated or corrupt gzip data is TL_E_INPUT. */
TL_API int tl_read_file(const char *path, size_t max, char **data, size_t *len, tl_error *err);

/* Writes data to path through a temporary file renamed into place, so a crash
 * never leaves half a file. An existing file is kept unless force. "-" = stdout. */
TL_API int tl_write_file_atomic(const char *path, const void *data, size_t len, int force,
				tl_error *err);
/* mkdir -p */
TL_API int tl_mkdirs(const char *path, tl_error *err);

TL_API int tl_is_dir(const char *path);
TL_API int tl_is_file(const char *path);
/* Names (not paths) of the regular files in dir in natural order (img_2 before
 * img_10); free with tl_strv_free. */
TL_API int tl_list_dir(const char *dir, char ***names, size_t *count, tl_error *err);
TL_API void tl_strv_free(char **v, size_t count);
/* The last path component (a pointer into path). */
TL_API const char *tl_basename(const char *path);
/* Case-insensitive test for a file-name suffix such as ".zip". */
TL_API int tl_has_suffix(const char *name, const char *suffix);

/* Zip archives (stored and deflated entries; the layout the RRC tools exchange). */
typedef struct tl_zip tl_zip;
TL_API int tl_zip_open(const char *path, tl_zip **zip, tl_error *err);
TL_API void tl_zip_close(tl_zip *zip);
TL_API size_t tl_zip_count(const tl_zip *zip);
/* Entry name as stored (may contain '/'); directories end in '/'. */
TL_API const char *tl_zip_name(const tl_zip *zip, size_t i);
/* Extracts entry i into a NUL-terminated malloc'd buffer. */
TL_API int tl_zip_read(tl_zip *zip, size_t i, char **data, size_t *len, tl_error *err);
/* Writes a zip of n stored-or-deflated entries atomically. */
TL_API int tl_zip_write(const char *path, const char *const *names, const char *const *datas,
			const size_t *lens, size_t n, int force, tl_error *err);

#endif
