/* main.c — the textloc command table and the global options. */
#include "cmd.h"
#include <stdarg.h>   /* va_list */
#include <string.h>   /* strcmp */
#include <unistd.h>   /* sysconf */

struct tl_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;             /* one line, printed by `textloc help` */
};

static const struct tl_cmd commands[] = {    /* keep sorted */
	{ "convert",  cmd_convert,  "convert annotations between formats and shapes" },
	{ "crop",     cmd_crop,     "cut care regions out of their images as word images" },
	{ "datasets", cmd_datasets, "list the known public datasets and their layouts" },
	{ "detect",   cmd_detect,   "find text regions in images with the built-in model" },
	{ "draw",     cmd_draw,     "draw annotations onto their images" },
	{ "eval",     cmd_eval,     "score detections against ground truth" },
	{ "model",    cmd_model,    "describe an ONNX detection model" },
	{ "stats",    cmd_stats,    "summarise an annotation set" },
	{ "validate", cmd_validate, "check annotation files for errors" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: textloc COMMAND [options] [FILE|DIR|ZIP ...]\n"
		   "       textloc help COMMAND | --help | --version\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nSee textloc(1) and textloc-COMMAND(1).\n");
}

static const struct tl_cmd *find(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void cli_error(const tl_error *err)
{
	char buf[1200];
	tl_error_format(err, buf, sizeof buf);
	fprintf(stderr, "textloc: %s\n", buf);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "textloc %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'textloc %s --help'.\n", cmd);
	return 2;
}

int cli_dataset_arg(const char *cmd, const char *name, const char *split, int nargs,
		    const tl_known_dataset **kd)
{
	*kd = NULL;
	if (!name)
		return split ? cli_usage_error(cmd, "--split needs --dataset") : 0;
	if (!(*kd = tl_known_dataset_find(name)))
		return cli_usage_error(cmd, "unknown dataset '%s' (see textloc datasets)", name);
	if (nargs != 1)
		return cli_usage_error(cmd, "--dataset NAME wants exactly one DIR");
	if (split && !tl_known_split_find(*kd, split))
		return cli_usage_error(cmd, "%s has no split '%s'", (*kd)->name, split);
	return 0;
}

int cli_exit_code(int status)
{
	switch (status) {
	case TL_OK: return 0;
	case TL_E_INPUT: case TL_E_LIMIT: return 1;
	case TL_E_USAGE: return 2;
	default: return 3;
	}
}

void cli_print_diags(const tl_diags *d, FILE *f)
{
	static const char *const sev[] = { "note", "warning", "error" };
	for (size_t i = 0; i < d->count; i++) {
		const tl_diag *g = &d->items[i];
		if (g->file && g->line > 0 && g->col > 0)
			fprintf(f, "%s:%ld:%ld: ", g->file, g->line, g->col);
		else if (g->file && g->line > 0)
			fprintf(f, "%s:%ld: ", g->file, g->line);
		else if (g->file)
			fprintf(f, "%s: ", g->file);
		fprintf(f, "%s: %s", sev[g->severity], g->msg);
		if (g->kind)
			fprintf(f, " [%s]", g->kind);
		fputc('\n', f);
	}
}

int cli_ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("textloc %s\n", tl_version());
		return 0;
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(name, "help")) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		const struct tl_cmd *c = find(argv[2]);
		if (!c) {
			fprintf(stderr, "textloc: '%s' is not a textloc command\n", argv[2]);
			return 2;
		}
		char *args[] = { argv[2], "--help", NULL };
		return c->fn(2, args);
	}
	const struct tl_cmd *c = find(name);
	if (!c) {
		fprintf(stderr, "textloc: '%s' is not a textloc command. See 'textloc --help'.\n", name);
		return 2;
	}
	return c->fn(argc - 1, argv + 1);
}
