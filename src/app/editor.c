/* STUB — replaced by the editor work. */
#include <stdio.h>
#include "commands.h"
int cmd_edit(int argc, char **argv) { (void)argc; (void)argv; fputs("ticketed: editor not built yet\n", stderr); return 1; }
