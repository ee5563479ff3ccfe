/* main.c — dispatch to the subcommands; everything else is the editor. */
#include <string.h>
#include "commands.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{ "diff", cmd_diff }, { "apply", cmd_apply }, { "get", cmd_get }, { "drafts", cmd_drafts },
	{ "keys", cmd_keys }, { "help-roff", cmd_manual }, { "list", cmd_list }, { "recent", cmd_recent },
};

int main(int argc, char **argv)
{
	if (argc > 1)
		for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
			if (!strcmp(argv[1], subcommands[i].name))
				return subcommands[i].run(argc - 1, argv + 1);
	return cmd_edit(argc, argv);
}
