/* STUB — replaced by the service client work. */
#include <stdio.h>
#include "commands.h"
int cmd_get(int argc, char **argv) { (void)argc; (void)argv; fputs("ticketed: get not built yet\n", stderr); return 1; }
