/* stats.c — placeholder until the stats command lands; replace this whole file. */
#include "cmd.h"

int cmd_stats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "textloc stats: this build does not include the stats command yet\n");
	return 3;
}
