/* options.h — the command line shared by the editor and `get`,
 * plus building the api_config (credentials from the environment or a
 * no-echo prompt on /dev/tty).
 *
 * Ownership: strings in options are malloc'd copies (never pointers into
 * argv) that options_free releases; secrets are wiped before they are freed.
 * options_parse also reads the config file (config.h) and applies the one
 * precedence rule, option > environment > config > default, in one place. */
#ifndef TICKETED_OPTIONS_H
#define TICKETED_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include "ticketed/api.h"

typedef enum { CONFLICT_FIELDS, CONFLICT_STRICT, CONFLICT_NONE } conflict_mode;

/* What to do with a draft of the ticket found on open (--draft, config
 * `draft`). DEFAULT: ask on a terminal, fail for replay and headless runs. */
typedef enum { DRAFT_DEFAULT, DRAFT_ASK, DRAFT_RESTORE, DRAFT_DISCARD, DRAFT_KEEP, DRAFT_FAIL } draft_policy;

typedef struct {
	long ticket_id;              /* the ticket (the editor: the first of IDS, or 0: the picker) */
	long *ids;                   /* the editor's TICKET_IDs then --ids-from's, each once */
	size_t nids;
	char *ids_from;              /* --ids-from FILE ("-": standard input) */
	char *url;
	char *user;
	api_auth auth;               /* from --auth, or inferred */
	char *app_token_env;         /* --app-token-env VAR */
	char *lang, *so_language, *culture, *timezone;
	conflict_mode conflict;
	char *theme;
	bool no_color;
	char *replay, *record;
	bool headless;
	int cols, rows;              /* --size, default 80x24 */
	bool dry_run;
	draft_policy draft;
	char *log;
	long timeout_s;
	bool insecure;
	char *cacert;
	char *config;
	char *secret;                /* resolved password or token (not from argv) */
	char *app_token;
	/* From the config file; NULL when not configured. */
	char *server_timezone;       /* zone of dates without an offset */
	char *password_command, *token_command, *app_token_command;
	char *config_path;           /* the config file that was read, or NULL */
	char *tenant_status;         /* --tenant-status / tenant_status: Online state URL */
} options;

/* What positional arguments a command takes (options_parse's IDS). */
enum {
	OPTIONS_NO_ID = 0,    /* none */
	OPTIONS_ONE_ID = 1,   /* exactly one TICKET_ID (true does the same) */
	OPTIONS_IDS = 2       /* any number of TICKET_IDs, plus --ids-from */
};

/* Parse ARGV (argv[0] is the command name). Fills defaults first. Returns 0,
 * 1 if --help/--version was handled (exit 0), or -1 with a usage error in
 * ERR (exit 1). IDS: the TICKET_ID arguments the command takes (OPTIONS_*);
 * with OPTIONS_IDS, --ids-from FILE adds the ids in FILE (options_read_ids). */
int options_parse(int argc, char **argv, int ids, options *o, char *err, size_t errlen);

/* Add the ticket ids of the text read from F (named NAME for messages) to
 * O->ids: numbers separated by blanks, commas or newlines; '#' starts a
 * comment to the end of the line; an id already there is skipped. 0, or -1
 * with "NAME:LINE: bad ticket id \"x\"" (or that none was found) in ERR. */
int options_read_ids(options *o, FILE *f, const char *name, char *err, size_t errlen);

/* Resolve credentials (TICKETED_PASSWORD, TICKETED_TOKEN, TICKETED_APP_TOKEN
 * or the --app-token-env variable, else a no-echo prompt on /dev/tty when
 * INTERACTIVE) and fill CFG, which borrows from O (O must outlive the api:
 * its token_command refreshes an expired token). TICKETED_PASSWORD and
 * TICKETED_TOKEN are copied, wiped in place and removed from the
 * environment (no copy outlives the api's header; helpers never inherit
 * them). A credential with a control character is refused. Accept-Language
 * is --lang/language, else the locale's language (LC_ALL, LC_MESSAGES, LANG),
 * else "en". Returns 0 or -1 with ERR. */
int options_api_config(options *o, bool interactive, api_config *cfg, char *err, size_t errlen);

/* The language tag of the first set of LC_ALL, LC_MESSAGES and LANG (as
 * POSIX orders them): "nb_NO.UTF-8" -> "nb-NO", "de_DE@euro" -> "de-DE";
 * "C", "POSIX", "C.UTF-8" or anything that is not a language -> none.
 * 1 with the tag in OUT, or 0. */
int options_locale_language(const char *lc_all, const char *lc_messages, const char *lang,
                            char *out, size_t outlen);


/* The interactive part of a refused login (a 401, need_credentials, on a
 * terminal; the caller leaves curses mode first): ask once more for the
 * password (Basic) or token (Bearer/SOTicket) on /dev/tty without echo
 * (never from the environment or a command) and replace O->secret, wiping
 * the old one. The caller hands it to its client and forgets it:
 *   options_reprompt(o, ...) == 0 && api_set_secret(a, o->secret, ...) == 0;
 *   options_forget_secrets(o);  then api_retry(a, result).
 * 0, or -1 with ERR (no credentials configured, no terminal, nothing typed,
 * a control character). */
int options_reprompt(options *o, char *err, size_t errlen);

/* Wipe and free O's copies of the secret and the app token once an api
 * client holds its own (api_new copies what it needs): the raw password is
 * kept no longer than needed. A later options_api_config resolves them again. */
void options_forget_secrets(options *o);

void options_free(options *o);

/* The config file's settings alone (no command line, no environment) from
 * LEN bytes of BUF named NAME, onto O (defaults already there): for tests
 * and the fuzzer. 0, or -1 with "NAME:LINE: message" in ERR. */
int options_parse_config_text(const char *buf, size_t len, const char *name, options *o, char *err,
                              size_t errlen);

/* Value parsers; 0, or -1 for a bad value. */
/* For the subcommands' own options: the value of --NAME VALUE or
 * --NAME=VALUE at argv[*i] (*i moves past a separate value); NULL if
 * argv[*i] is not that option, or (*MISSING set) when its value is missing. */
const char *options_value(int argc, char **argv, int *i, const char *name, bool *missing);
int options_parse_auth(const char *s, api_auth *out);
int options_parse_conflict(const char *s, conflict_mode *out);
int options_parse_timeout(const char *s, long *out);
int options_parse_draft(const char *s, draft_policy *out);

/* The --help text for the editor and `get`. */
void options_usage(FILE *f);

#endif
