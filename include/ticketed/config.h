/* config.h — the configuration file's lines and credential commands.
 *
 * Ownership: a config_file owns its path and entries (config_file_free); a
 * command's output is returned malloc'd (wipe it). */
#ifndef TICKETED_CONFIG_H
#define TICKETED_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* One "key = value" line of a config file (both trimmed; the value is
 * not empty), at LINE. */
typedef struct {
	char *key, *value;
	int line;
} config_entry;

/* A config file as read: its path (NULL: there was none) and its lines. */
typedef struct {
	char *path;
	config_entry *v;
	size_t n;
	bool has_command;    /* some key ends in _command */
} config_file;

/* Find and read the config file: GIVEN (--config), else $TICKETED_CONFIG,
 * else $XDG_CONFIG_HOME/ticketed/config, else ~/.config/ticketed/config. A
 * missing default file is fine (C->path NULL); one that group or others
 * can write is refused, and one with a *_command that they can read. Only
 * the syntax is checked here (key = value, no duplicate key, no control
 * character, no empty value); options.c knows the keys and their values.
 * 0, or -1 with "FILE:LINE: message" (or "FILE: message") in ERR. */
int config_read(const char *given, config_file *c, char *err, size_t errlen);

/* The same syntax check on LEN bytes of BUF (no file, no permission check;
 * NAME is used in messages), for tests and the fuzzer. */
int config_parse_text(const char *buf, size_t len, const char *name, config_file *c, char *err,
                      size_t errlen);
void config_file_free(config_file *c);

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
