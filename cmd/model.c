/* model.c — placeholder until the model command lands; replace this whole file. */
#include "cmd.h"

int cmd_model(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "textloc model: this build does not include the model command yet\n");
	return 3;
}
