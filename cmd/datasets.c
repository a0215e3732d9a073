/* datasets.c — textloc datasets: list the known public datasets, describe one, or
 * check that a downloaded copy is complete. */
#include "cmd.h"
#include <getopt.h>   /* getopt_long */
#include <string.h>   /* strcmp */

static const char usage_line[] =
	"textloc datasets [--json] [--check DIR [--split S]] [NAME]";

static void usage(FILE *f)
{
	fprintf(f, "usage: %s\n", usage_line);
	fprintf(f,
		"\n"
		"Without NAME, lists the known datasets. With NAME, shows its layout: folders,\n"
		"file-name patterns, splits, expected counts, format, licence and download page.\n"
		"With --check DIR, checks that the copy of NAME under DIR is complete (folders,\n"
		"names, counts, image/annotation pairing); exit 1 if it is not.\n"
		"\n"
		"  --check DIR    check the copy under DIR\n"
		"  --split S      only this split (train, test, validation)\n"
		"  --json         machine-readable output\n"
		"  -h, --help     this text\n"
		"\nSee textloc-datasets(1), which also has the --shard recipes.\n");
}

/* "a|b|c" printed as "a, b, c". */
static void put_alts(FILE *f, const char *s)
{
	for (; s && *s; s++)
		if (*s == '|')
			fputs(", ", f);
		else
			fputc(*s, f);
}

static void json_str(FILE *f, const char *s)
{
	tl_buf b = TL_BUF_INIT;
	if (tl_buf_json_string(&b, s ? s : "") == TL_OK)
		fputs(b.data, f);
	else
		fputs("\"\"", f);
	tl_buf_free(&b);
}

static void list_json(FILE *f, const tl_known_dataset *only)
{
	fputs(only ? "" : "[", f);
	int first = 1;
	for (size_t i = 0; i < tl_known_dataset_count(); i++) {
		const tl_known_dataset *k = tl_known_dataset_at(i);
		if (only && k != only)
			continue;
		fprintf(f, "%s\n{\"name\": ", first ? "" : ",");
		first = 0;
		json_str(f, k->name);
		fputs(", \"aliases\": ", f);
		json_str(f, k->aliases);
		fputs(", \"title\": ", f);
		json_str(f, k->title);
		fputs(", \"licence\": ", f);
		json_str(f, k->licence);
		fputs(", \"url\": ", f);
		json_str(f, k->url);
		fputs(", \"notes\": ", f);
		json_str(f, k->notes);
		fputs(", \"splits\": [", f);
		for (size_t s = 0; s < k->nsplits; s++) {
			const tl_known_split *sp = &k->splits[s];
			fprintf(f, "%s{\"name\": ", s ? ", " : "");
			json_str(f, sp->name);
			fputs(", \"image_dirs\": ", f);
			json_str(f, sp->image_dirs);
			fputs(", \"image_pattern\": ", f);
			json_str(f, sp->image_pattern);
			fputs(", \"annotations\": ", f);
			json_str(f, sp->ann_paths);
			fputs(", \"annotation_patterns\": ", f);
			if (sp->ann_patterns)
				json_str(f, sp->ann_patterns);
			else
				fputs("null", f);
			fprintf(f, ", \"first\": %ld, \"images\": %ld, \"regions\": %ld, \"format\": ",
				sp->first, sp->images, sp->regions);
			json_str(f, sp->format);
			fputs("}", f);
		}
		fputs("]}", f);
	}
	fputs(only ? "\n" : "\n]\n", f);
}

static void list_table(FILE *f)
{
	fprintf(f, "%-19s %-12s %-29s %s\n", "NAME", "FORMAT", "SPLITS (IMAGES)", "TITLE");
	for (size_t i = 0; i < tl_known_dataset_count(); i++) {
		const tl_known_dataset *k = tl_known_dataset_at(i);
		char splits[128];
		size_t o = 0;
		splits[0] = 0;
		for (size_t s = 0; s < k->nsplits && o < sizeof splits; s++) {
			const tl_known_split *sp = &k->splits[s];
			if (sp->images > 0)
				o += (size_t)snprintf(splits + o, sizeof splits - o, "%s%s %ld",
						      s ? ", " : "", sp->name, sp->images);
			else
				o += (size_t)snprintf(splits + o, sizeof splits - o, "%s%s",
						      s ? ", " : "", sp->name);
		}
		fprintf(f, "%-19s %-12s %-29s %s\n", k->name, k->splits[0].format, splits, k->title);
	}
}

static void describe(FILE *f, const tl_known_dataset *k)
{
	fprintf(f, "%s — %s\n", k->name, k->title);
	if (k->aliases) {
		fputs("  aliases:  ", f);
		put_alts(f, k->aliases);
		fputc('\n', f);
	}
	fprintf(f, "  licence:  %s\n  download: %s\n  notes:    %s\n", k->licence, k->url,
		k->notes);
	for (size_t s = 0; s < k->nsplits; s++) {
		const tl_known_split *sp = &k->splits[s];
		fprintf(f, "  split %s (format %s)\n    images:      ", sp->name, sp->format);
		put_alts(f, sp->image_dirs);
		fprintf(f, "\n    image names: %s", sp->image_pattern);
		if (sp->first >= 0 && sp->images > 0)
			fprintf(f, ", numbers %ld..%ld", sp->first, sp->first + sp->images - 1);
		fputs("\n    annotations: ", f);
		put_alts(f, sp->ann_paths && sp->ann_paths[0] ? sp->ann_paths : "(none public)");
		if (sp->ann_patterns) {
			fputs("\n    annot names: ", f);
			put_alts(f, sp->ann_patterns);
		}
		fputs("\n    expected:    ", f);
		if (sp->images > 0)
			fprintf(f, "%ld images", sp->images);
		else
			fputs("image count not known", f);
		if (sp->regions > 0)
			fprintf(f, ", %ld regions", sp->regions);
		fputc('\n', f);
	}
}

int cmd_datasets(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "check", required_argument, NULL, 'c' },
		{ "split", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *check = NULL, *split = NULL;
	int json = 0, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': check = optarg; break;
		case 's': split = optarg; break;
		case 'j': json = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			return cli_usage_error("datasets", "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("datasets", "one dataset name at most");
	const char *name = optind < argc ? argv[optind] : NULL;
	const tl_known_dataset *k = name ? tl_known_dataset_find(name) : NULL;
	if (name && !k) {
		fprintf(stderr, "textloc datasets: unknown dataset '%s'; 'textloc datasets' lists "
				"them\n", name);
		return 2;
	}
	if ((check || split) && !k)
		return cli_usage_error("datasets", "--check and --split need a dataset NAME");
	if (!check) {
		if (json)
			list_json(stdout, k);
		else if (k)
			describe(stdout, k);
		else
			list_table(stdout);
		return fflush(stdout) ? 3 : 0;
	}
	tl_diags d;
	tl_diags_init(&d);
	tl_error err;
	int rc = tl_dataset_check_layout(k, check, split, &d, &err);
	if (rc != TL_OK && rc != TL_E_INPUT) {
		cli_error(&err);
		tl_diags_free(&d);
		return cli_exit_code(rc);
	}
	cli_print_diags(&d, json ? stderr : stdout);
	if (json)
		printf("{\"dataset\": \"%s\", \"complete\": %s, \"errors\": %zu, \"warnings\": %zu}\n",
		       k->name, rc == TL_OK ? "true" : "false", d.nerrors, d.nwarnings);
	else
		printf("%s: %s (%zu errors, %zu warnings)\n", k->name,
		       rc == TL_OK ? "complete" : "incomplete", d.nerrors, d.nwarnings);
	tl_diags_free(&d);
	if (fflush(stdout))
		return 3;
	return rc == TL_OK ? 0 : 1;
}
