/* draw.c — placeholder until the draw command lands; replace this whole file. */
#include "cmd.h"

int cmd_draw(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "textloc draw: this build does not include the draw command yet\n");
	return 3;
}
