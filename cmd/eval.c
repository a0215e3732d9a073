/* eval.c — placeholder until the eval command lands; replace this whole file. */
#include "cmd.h"

int cmd_eval(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "textloc eval: this build does not include the eval command yet\n");
	return 3;
}
