/* crop.c — placeholder until the crop command lands; replace this whole file. */
#include "cmd.h"

int cmd_crop(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "textloc crop: this build does not include the crop command yet\n");
	return 3;
}
