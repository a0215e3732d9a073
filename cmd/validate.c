/* validate.c — placeholder until the validate command lands; replace this whole file. */
#include "cmd.h"

int cmd_validate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "textloc validate: this build does not include the validate command yet\n");
	return 3;
}
