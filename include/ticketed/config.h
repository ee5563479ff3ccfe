/* config.h — the configuration file (SPEC 6) and credential commands.
 *
 * Ownership: strings stored into options are malloc'd and released by
 * options_free; a command's output is returned malloc'd (wipe it). */
#ifndef TICKETED_CONFIG_H
#define TICKETED_CONFIG_H

#include <stddef.h>
#include "ticketed/options.h"

/* Bits of the SET mask: which non-string options the command line set. */
#define OPTSET_AUTH     1u
#define OPTSET_CONFLICT 2u
#define OPTSET_TIMEOUT  4u
#define OPTSET_DRAFT    8u

/* Read the config file (--config, $TICKETED_CONFIG, $XDG_CONFIG_HOME/ticketed/
 * config, ~/.config/ticketed/config) and fill what O does not have yet (SET
 * marks command-line values). A missing default file is fine; one that group
 * or others can write is refused, and one with a *_command that they can
 * read. Returns 0, or -1 with "FILE:LINE: message" (or "FILE: message") in
 * ERR. */
int config_apply(options *o, unsigned *set, char *err, size_t errlen);

/* The same parser on LEN bytes of BUF (no file, no permission check; NAME
 * is used in messages), for tests and the fuzzer. 0, or -1 with ERR. */
int config_parse_buffer(options *o, unsigned *set, const char *buf, size_t len, const char *name,
                        char *err, size_t errlen);

/* Run COMMAND (argv split on blanks, '...' and "..." quoting, backslash
 * escapes; no shell) and return the first line of its stdout in *OUT
 * (malloc'd). Bounded in time (60 s; TICKETED_TEST_COMMAND_TIMEOUT_MS, for
 * tests, shortens it): the command runs in a process group of its own,
 * which is killed at the limit, and whatever it leaves running there once
 * it has exited with its answer. While it runs it is the terminal's
 * foreground group (it may prompt). Returns 0, or -1 with ERR starting with
 * WHAT (the config key, e.g. "password_command: ..."). */
int config_run_command(const char *what, const char *command, char **out, char *err, size_t errlen);

#endif
