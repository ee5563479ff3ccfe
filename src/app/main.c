/* main.c — dispatch to the subcommands; everything else is the editor. */
#include <string.h>
#include "commands.h"

int main(int argc, char **argv)
{
	if (argc > 1) {
		if (!strcmp(argv[1], "diff"))
			return cmd_diff(argc - 1, argv + 1);
		if (!strcmp(argv[1], "apply"))
			return cmd_apply(argc - 1, argv + 1);
		if (!strcmp(argv[1], "get"))
			return cmd_get(argc - 1, argv + 1);
		if (!strcmp(argv[1], "drafts"))
			return cmd_drafts(argc - 1, argv + 1);
		if (!strcmp(argv[1], "keys"))
			return cmd_keys(argc - 1, argv + 1);
		if (!strcmp(argv[1], "help-roff"))
			return cmd_manual(argc - 1, argv + 1);
	}
	return cmd_edit(argc, argv);
}
