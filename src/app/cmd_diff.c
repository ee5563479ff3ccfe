/* STUB — replaced by the core engine work. */
#include <stdio.h>
#include "commands.h"
int cmd_diff(int argc, char **argv) { (void)argc; (void)argv; fputs("ticketed: diff not built yet\n", stderr); return 1; }
int cmd_apply(int argc, char **argv) { (void)argc; (void)argv; fputs("ticketed: apply not built yet\n", stderr); return 1; }
