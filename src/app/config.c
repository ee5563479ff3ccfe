/* config.c — the configuration file and credential commands (issue 8). */
#include <stdio.h>
#include "ticketed/config.h"

int config_apply(options *o, unsigned *set, char *err, size_t errlen)
{
	(void)o;
	(void)set;
	(void)err;
	(void)errlen;
	return 0;
}

int config_run_command(const char *command, char **out, char *err, size_t errlen)
{
	(void)command;
	*out = NULL;
	snprintf(err, errlen, "credential commands are not supported yet");
	return -1;
}
