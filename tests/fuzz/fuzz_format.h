/* fuzz_format.h — the body shared by the libFuzzer harnesses of the annotation
 * readers (tests/fuzz/fuzz_<format>.c define FUZZ_FORMAT and FUZZ_PATH, then
 * include this).
 *
 * The first input byte picks the read options (bit 0 lenient, bit 1 latin1, bit 2
 * inclusive rectangles); the rest is the file. Whatever reads is then fitted to and
 * written in the same format, ICDAR 2015 and UFO (shape conversions included). In
 * strict mode an input that reads without error must read back from what was
 * written to the same data model (compared as the lossless textloc dump): a
 * difference aborts, so the fuzzer reports it like a crash. */
#include "tl_internal.h"
#include "text.h"
#include <stdio.h>
#include <stdlib.h>

static char *fuzz_dump(const tl_dataset *ds)
{
	tl_buf b = TL_BUF_INIT;
	tl_diags d;
	tl_diags_init(&d);
	if (tl_format_find("textloc")->write(ds, NULL, &b, NULL, &d) != TL_OK)
		abort();
	tl_diags_free(&d);
	return b.data ? b.data : strdup("");
}

static void fuzz_write(const tl_dataset *ds, const tl_format *f, tl_buf *out)
{
	tl_diags d;
	tl_diags_init(&d);
	if (f->flags & TL_FMT_PER_IMAGE) {
		for (size_t i = 0; i < ds->nimages; i++)
			f->write(ds, &ds->images[i], out, NULL, &d);
	} else {
		f->write(ds, NULL, out, NULL, &d);
	}
	tl_diags_free(&d);
}

/* Fits a copy of ds to target and writes it. */
static void fuzz_convert(const tl_dataset *ds, const char *target)
{
	const tl_format *f = tl_format_find(target);
	tl_dataset *copy = tl_dataset_new();
	tl_error err;
	tl_diags d;
	tl_diags_init(&d);
	if (copy && tl_dataset_merge(copy, ds, &err) == TL_OK) {
		copy->format = ds->format;
		copy->extra = ds->extra;
		if (tl_format_prepare(copy, f, NULL, &d, &err) == TL_OK) {
			tl_buf out = TL_BUF_INIT;
			fuzz_write(copy, f, &out);
			tl_buf_free(&out);
		}
	}
	tl_diags_free(&d);
	tl_dataset_free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > (1u << 20))
		return 0;
	unsigned flags = data[0];
	tl_read_opts o = { .lenient = flags & 1, .latin1 = (flags >> 1) & 1,
			   .rect_inclusive = (flags >> 2) & 1 };
	/* readers get NUL-terminated data, as tl_read_file gives it */
	char *buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = 0;
	const tl_format *f = FUZZ_FORMAT ? tl_format_find(FUZZ_FORMAT) : NULL;
	tl_dataset *ds = tl_dataset_new();
	tl_diags d;
	tl_diags_init(&d);
	d.max = 64;
	int rc = tl_format_read(ds, f, FUZZ_PATH, buf, size - 1, &o, &d);
	tl_diags_free(&d);
	free(buf);
	if (!f && ds->format)
		f = tl_format_find(ds->format);
	if (f && f->write) {
		tl_buf out = TL_BUF_INIT;
		fuzz_write(ds, f, &out);
		if (rc == TL_OK && !(flags & 7) && FUZZ_FORMAT) {
			/* strict and clean: what was written reads back to the same model */
			tl_dataset *ds2 = tl_dataset_new();
			tl_diags_init(&d);
			int rc2 = tl_format_read(ds2, f, FUZZ_PATH, out.data ? out.data : "", out.len,
						 NULL, &d);
			char *a = fuzz_dump(ds), *b = fuzz_dump(ds2);
			if (rc2 != TL_OK || strcmp(a, b)) {
				fprintf(stderr, "round trip differs (rc2 %d)\n--- read\n%s\n--- "
					"written\n%s\n--- reread\n%s\n", rc2, a,
					out.data ? out.data : "", b);
				for (size_t i = 0; i < d.count; i++)
					fprintf(stderr, "diag %ld:%ld %s\n", d.items[i].line,
						d.items[i].col, d.items[i].msg);
				abort();
			}
			free(a);
			free(b);
			tl_diags_free(&d);
			tl_dataset_free(ds2);
		}
		tl_buf_free(&out);
	}
	fuzz_convert(ds, "icdar2015");
	fuzz_convert(ds, "ufo");
	tl_dataset_free(ds);
	return 0;
}
