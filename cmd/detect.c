/* detect.c — placeholder until the detect command lands; replace this whole file. */
#include "cmd.h"

int cmd_detect(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "textloc detect: this build does not include the detect command yet\n");
	return 3;
}
