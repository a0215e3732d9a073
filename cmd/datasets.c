/* datasets.c — placeholder until the datasets command lands; replace this whole file. */
#include "cmd.h"

int cmd_datasets(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "textloc datasets: this build does not include the datasets command yet\n");
	return 3;
}
