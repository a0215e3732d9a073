/* convert.c — placeholder until the convert command lands; replace this whole file. */
#include "cmd.h"

int cmd_convert(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "textloc convert: this build does not include the convert command yet\n");
	return 3;
}
