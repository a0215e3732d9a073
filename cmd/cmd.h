/* cmd.h — the textloc front end.
 *
 * Adding a subcommand:
 *   1. write cmd/foo.c with `int cmd_foo(int argc, char **argv)`; parse options with
 *      getopt_long, call the library, print; return an exit code (see below);
 *   2. declare it here and add its row to the table in cmd/main.c (keep it sorted);
 *   3. write man/textloc-foo.1 whose SYNOPSIS matches the first line of `--help`;
 *   4. add tests/cli/foo.sh.
 *
 * Exit codes: 0 success; 1 the input had errors; 2 usage error; 3 failure (I/O,
 * memory, model). The front end includes only the public header.
 */
#ifndef TL_CMD_H
#define TL_CMD_H

#include <textloc.h>
#include <stdio.h>

int cmd_convert(int argc, char **argv);
int cmd_crop(int argc, char **argv);
int cmd_datasets(int argc, char **argv);
int cmd_detect(int argc, char **argv);
int cmd_draw(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_validate(int argc, char **argv);

/* Prints "textloc: file:line:col: message" to stderr. */
void cli_error(const tl_error *err);
/* Prints "textloc CMD: message" to stderr and returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Checks --dataset NAME DIR [--split S] as the batch commands take them (nargs: the
 * operands left): *kd becomes the dataset named, NULL without --dataset. Returns 0,
 * or 2 after a usage message. */
int cli_dataset_arg(const char *cmd, const char *name, const char *split, int nargs,
		    const tl_known_dataset **kd);
/* Maps a tl_status to the exit code of the command-line conventions. */
int cli_exit_code(int status);
/* Prints a diagnostic list as "file:line:col: severity: message". */
void cli_print_diags(const tl_diags *d, FILE *f);
/* Number of CPU cores available. */
int cli_ncpus(void);

#endif
