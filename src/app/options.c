/* options.c — the command line (editor and `get`), the
 * environment, and credentials. Precedence: option > environment > config >
 * default. A password is never taken from the command line. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>
#include <sys/resource.h>
#include <curl/curl.h>
#include <cjson/cJSON.h>
#include <curses.h>
#include "ticketed/num.h"
#include "ticketed/options.h"
#include "ticketed/config.h"
#include "ticketed/errmsg.h"
#include "ticketed/escape.h"
#include "ticketed/servertz.h"
#include "ticketed/xalloc.h"

/* Every setting, once: its command-line option, environment variable and
 * config key (NULL: none), and whether the option takes a value. The one
 * precedence rule (option > environment > config > default) is applied in
 * resolve() below. */
#define SETTINGS(X) \
	X(URL, "url", 1, "TICKETED_URL", "url") \
	X(USER, "user", 1, "TICKETED_USER", "user") \
	X(AUTH, "auth", 1, NULL, "auth") \
	X(APP_TOKEN_ENV, "app-token-env", 1, NULL, NULL) \
	X(LANG, "lang", 1, NULL, "language") \
	X(SO_LANGUAGE, "so-language", 1, NULL, "so_language") \
	X(CULTURE, "culture", 1, NULL, "culture") \
	X(TIMEZONE, "timezone", 1, NULL, "timezone") \
	X(SERVER_TIMEZONE, NULL, 1, NULL, "server_timezone") \
	X(CONFLICT, "conflict", 1, NULL, "conflict") \
	X(THEME, "theme", 1, "TICKETED_THEME", "theme") \
	X(NO_COLOR, "no-color", 0, "NO_COLOR", NULL) \
	X(REPLAY, "replay", 1, NULL, NULL) \
	X(RECORD, "record", 1, NULL, NULL) \
	X(HEADLESS, "headless", 0, NULL, NULL) \
	X(SIZE, "size", 1, NULL, NULL) \
	X(DRY_RUN, "dry-run", 0, NULL, NULL) \
	X(DRAFT, "draft", 1, NULL, "draft") \
	X(LOG, "log", 1, NULL, NULL) \
	X(TIMEOUT, "timeout", 1, NULL, "timeout") \
	X(INSECURE, "insecure", 0, NULL, NULL) \
	X(CACERT, "cacert", 1, NULL, NULL) \
	X(CONFIG, "config", 1, NULL, NULL) \
	X(IDS_FROM, "ids-from", 1, NULL, NULL) \
	X(TENANT_STATUS, "tenant-status", 1, NULL, "tenant_status") \
	X(PASSWORD_COMMAND, NULL, 1, NULL, "password_command") \
	X(TOKEN_COMMAND, NULL, 1, NULL, "token_command") \
	X(APP_TOKEN_COMMAND, NULL, 1, NULL, "app_token_command")

typedef enum {
#define X(id, opt, arg, env, key) S_##id,
	SETTINGS(X)
#undef X
	S_COUNT
} setting_id;

typedef struct {
	const char *opt, *env, *key;
	int has_arg;
} setting;

static const setting settings[S_COUNT] = {
#define X(id, o, arg, e, k) [S_##id] = { o, e, k, arg },
	SETTINGS(X)
#undef X
};

/* getopt's table, built from SETTINGS on first use: the value returned for
 * a setting's option is 256 + its id. */
static const struct option *long_opts(void)
{
	static struct option t[S_COUNT + 3];
	size_t n = 0;
	if (t[0].name)
		return t;
	for (int id = 0; id < S_COUNT; id++)
		if (settings[id].opt)
			t[n++] = (struct option){ settings[id].opt, settings[id].has_arg ? required_argument : no_argument,
			                          NULL, 256 + id };
	t[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	t[n++] = (struct option){ "version", no_argument, NULL, 'V' };
	t[n] = (struct option){ NULL, 0, NULL, 0 };
	return t;
}

void options_usage(FILE *f)
{
	fputs("usage: ticketed [OPTIONS] [TICKET_ID]      edit a ticket (none: the ticket picker)\n"
	      "       ticketed --replay FILE [OPTIONS] ID... [--ids-from FILE|-]  a script on each ticket\n"
	      "       ticketed list [OPTIONS] [--mine] [--status S] [--category C] [--search TEXT]\n"
	      "                     [--top N] [--json]  find tickets (see list --help)\n"
	      "       ticketed get [OPTIONS] [--pretty] TICKET_ID   print the ticket JSON\n"
	      "       ticketed diff|apply ...  JSON Patch between files (see diff --help)\n"
	      "       ticketed drafts [--discard ID], ticketed recent, ticketed keys\n"
	      "\n"
	      "  --url URL               service base URL up to /api/v1 (TICKETED_URL)\n"
	      "  --user NAME             Basic auth user (TICKETED_USER); the password comes from\n"
	      "                          TICKETED_PASSWORD, password_command, or a prompt\n"
	      "  --auth basic|bearer|soticket  scheme (default: basic with --user, else bearer\n"
	      "                          when TICKETED_TOKEN or token_command is set)\n"
	      "  --app-token-env VAR     read the SO-AppToken from VAR (default TICKETED_APP_TOKEN)\n"
	      "  --lang L, --so-language L, --culture C, --timezone TZ   the SO headers\n"
	      "  --conflict fields|strict|none   how saves guard against concurrent edits\n"
	      "  --theme NAME, --no-color        colours (TICKETED_THEME, NO_COLOR)\n"
	      "  --replay FILE, --record FILE, --headless, --size COLSxROWS, --ids-from FILE\n"
	      "  --dry-run               show the patch on save, send nothing\n"
	      "  --draft ask|restore|discard|keep|fail   a draft of the ticket found on open\n"
	      "                          (default: ask on a terminal, fail for --replay/--headless)\n"
	      "  --log FILE, --timeout SEC (default 30), --insecure, --cacert FILE\n"
	      "  --tenant-status URL     SuperOffice Online: follow the tenant's endpoint as\n"
	      "                          https://ENV.superoffice.com/api/state/CustNNNNN says\n"
	      "  --config FILE           config file (TICKETED_CONFIG,\n"
	      "                          default $XDG_CONFIG_HOME/ticketed/config)\n"
	      "  -h, --help, -V, --version\n"
	      "\n"
	      "A password is never accepted on the command line. See ticketed(1).\n"
	      "Exit: 0 done, 1 usage/config error, 2 load failed, 3 edits kept, 4 script failed or a draft found.\n",
	      f);
}

static void print_version(void)
{
	printf("ticketed %s\n%s\ncJSON %s\n%s\n", TICKETED_VERSION, curl_version(),
	       cJSON_Version(), curses_version());
}

/* Replace *DST with a copy of SRC. */
static int set_str(char **dst, const char *src)
{
	char *s = strdup(src);
	if (!s)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

int options_parse_auth(const char *s, api_auth *out)
{
	if (!strcasecmp(s, "basic"))
		*out = AUTH_BASIC;
	else if (!strcasecmp(s, "bearer"))
		*out = AUTH_BEARER;
	else if (!strcasecmp(s, "soticket"))
		*out = AUTH_SOTICKET;
	else
		return -1;
	return 0;
}

int options_parse_conflict(const char *s, conflict_mode *out)
{
	if (!strcmp(s, "fields"))
		*out = CONFLICT_FIELDS;
	else if (!strcmp(s, "strict"))
		*out = CONFLICT_STRICT;
	else if (!strcmp(s, "none"))
		*out = CONFLICT_NONE;
	else
		return -1;
	return 0;
}

int options_parse_draft(const char *s, draft_policy *out)
{
	static const char *const names[] = { "ask", "restore", "discard", "keep", "fail" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(s, names[i])) {
			*out = (draft_policy)(DRAFT_ASK + (int)i);
			return 0;
		}
	return -1;
}

int options_parse_timeout(const char *s, long *out)
{
	long long v;
	if (num_parse(s, 1, 86400, &v, NULL) < 0)
		return -1;
	*out = (long)v;
	return 0;
}

/* "COLSxROWS", 20..1000 x 5..1000. */
static int parse_size(const char *s, int *cols, int *rows)
{
	const char *x = strpbrk(s, "xX");
	long long c, r;
	char cs[16];
	if (!x || (size_t)(x - s) >= sizeof cs)
		return -1;
	memcpy(cs, s, (size_t)(x - s));
	cs[x - s] = 0;
	if (num_parse(cs, 20, 1000, &c, NULL) < 0 || num_parse(x + 1, 5, 1000, &r, NULL) < 0)
		return -1;
	*cols = (int)c;
	*rows = (int)r;
	return 0;
}

/* A --password anywhere before "--" is refused; its value is wiped from argv. */
static int refuse_password(int argc, char **argv, char *err, size_t errlen)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return 0;
		if (strncmp(argv[i], "--pass", 6))
			continue;
		char *eq = strchr(argv[i], '=');
		if (eq)
			explicit_bzero(eq + 1, strlen(eq + 1));
		else if (i + 1 < argc)
			explicit_bzero(argv[i + 1], strlen(argv[i + 1]));
		seterr(err, errlen, "a password is never accepted on the command line: "
		         "set TICKETED_PASSWORD or password_command in the config file");
		return -1;
	}
	return 0;
}

/* One setting's value from one source. */
typedef struct {
	const char *text;   /* NULL: the source does not set it */
	char where[300];    /* for messages: "--timeout", "TICKETED_URL", "FILE:LINE: timeout" */
	char pos[280];      /* the same without the key: "FILE:LINE" (config only), else "" */
} source_value;

static void say(char *err, size_t errlen, const source_value *v, const char *what)
{
	seterr(err, errlen, "%s: expected %s, not \"%.100s\"", v->where, what, v->text);
}

/* Check V for setting ID and, when STORE, put it into O. 0, or -1 with ERR
 * naming where the bad value came from. */
static int apply(options *o, setting_id id, const source_value *v, bool store, char *err, size_t errlen)
{
	const char *t = v->text;
	char msg[200];
	switch (id) {
	case S_AUTH: {
		api_auth a;
		if (options_parse_auth(t, &a) < 0)
			return say(err, errlen, v, "basic, bearer or soticket"), -1;
		if (store)
			o->auth = a;
		return 0;
	}
	case S_CONFLICT: {
		conflict_mode c;
		if (options_parse_conflict(t, &c) < 0)
			return say(err, errlen, v, "fields, strict or none"), -1;
		if (store)
			o->conflict = c;
		return 0;
	}
	case S_DRAFT: {
		draft_policy d;
		if (options_parse_draft(t, &d) < 0)
			return say(err, errlen, v, "ask, restore, discard, keep or fail"), -1;
		if (store)
			o->draft = d;
		return 0;
	}
	case S_TIMEOUT: {
		long n;
		if (options_parse_timeout(t, &n) < 0)
			return say(err, errlen, v, "whole seconds 1..86400"), -1;
		if (store)
			o->timeout_s = n;
		return 0;
	}
	case S_SIZE: {
		int c, r;
		if (parse_size(t, &c, &r) < 0)
			return say(err, errlen, v, "COLSxROWS (20..1000 x 5..1000)"), -1;
		if (store) {
			o->cols = c;
			o->rows = r;
		}
		return 0;
	}
	case S_SERVER_TIMEZONE:
		if (servertz_check(t, msg, sizeof msg) < 0) {
			seterr(err, errlen, "%s%s%s", v->pos, v->pos[0] ? ": " : "", msg);
			return -1;
		}
		break;
	case S_THEME:
		if (!*t) {
			seterr(err, errlen, "%s: empty theme name", v->where);
			return -1;
		}
		break;
	case S_NO_COLOR:
		if (store)
			o->no_color = o->no_color || *t;  /* NO_COLOR="" does not count */
		return 0;
	case S_HEADLESS: if (store) o->headless = true; return 0;
	case S_IDS_FROM:
		if (!*t) {
			seterr(err, errlen, "%s: expected a file name (- for standard input)", v->where);
			return -1;
		}
		break;
	case S_DRY_RUN: if (store) o->dry_run = true; return 0;
	case S_INSECURE: if (store) o->insecure = true; return 0;
	default:
		break;
	}
	if (store) {
		char **dst[S_COUNT] = {
			[S_URL] = &o->url, [S_USER] = &o->user, [S_APP_TOKEN_ENV] = &o->app_token_env,
			[S_LANG] = &o->lang, [S_SO_LANGUAGE] = &o->so_language, [S_CULTURE] = &o->culture,
			[S_TIMEZONE] = &o->timezone, [S_SERVER_TIMEZONE] = &o->server_timezone,
			[S_THEME] = &o->theme, [S_REPLAY] = &o->replay, [S_RECORD] = &o->record,
			[S_LOG] = &o->log, [S_CACERT] = &o->cacert, [S_CONFIG] = &o->config,
			[S_TENANT_STATUS] = &o->tenant_status, [S_PASSWORD_COMMAND] = &o->password_command,
			[S_TOKEN_COMMAND] = &o->token_command, [S_APP_TOKEN_COMMAND] = &o->app_token_command,
			[S_IDS_FROM] = &o->ids_from,
		};
		if (!dst[id])
			return 0;
		free(*dst[id]);
		*dst[id] = xstrdup(t);
	}
	return 0;
}

/* The config file's lines as settings: unknown keys are errors. */
static int config_values(const config_file *c, source_value *cfg, char *err, size_t errlen)
{
	for (size_t i = 0; i < c->n; i++) {
		const config_entry *e = &c->v[i];
		int id;
		for (id = 0; id < S_COUNT; id++)
			if (settings[id].key && !strcmp(settings[id].key, e->key))
				break;
		if (id == S_COUNT) {
			if (strstr(e->key, "password") || strstr(e->key, "token") || strstr(e->key, "secret"))
				seterr(err, errlen, "%s:%d: unknown key \"%.60s\": secrets are not stored in the "
				       "config; use password_command, token_command or app_token_command",
				       c->path, e->line, e->key);
			else
				seterr(err, errlen, "%s:%d: unknown key \"%.60s\"", c->path, e->line, e->key);
			return -1;
		}
		cfg[id].text = e->value;
		snprintf(cfg[id].where, sizeof cfg[id].where, "%.200s:%d: %s", c->path, e->line, e->key);
		snprintf(cfg[id].pos, sizeof cfg[id].pos, "%.200s:%d", c->path, e->line);
	}
	return 0;
}

/* The one precedence rule: for every setting, the command line's value,
 * else the environment's, else the config file's, else the default. Every
 * value given is checked, the winner stored. */
static int resolve(options *o, source_value *opt, source_value *env, source_value *cfg, char *err,
                   size_t errlen)
{
	for (int id = 0; id < S_COUNT; id++) {
		source_value *layers[3] = { &opt[id], &env[id], &cfg[id] }, *win = NULL;
		for (int k = 0; k < 3; k++) {
			if (!layers[k]->text)
				continue;
			if (apply(o, (setting_id)id, layers[k], !win, err, errlen) < 0)
				return -1;
			if (!win)
				win = layers[k];
		}
	}
	return 0;
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v;
}

/* Defaults that depend on other settings: the auth scheme inferred from
 * what is configured. */
static int finish(options *o, bool auth_given, char *err, size_t errlen)
{
	if (!auth_given) {
		if (o->user)
			o->auth = AUTH_BASIC;
		else if (env_set("TICKETED_TOKEN") || o->token_command)
			o->auth = AUTH_BEARER;
		else
			o->auth = AUTH_NONE;
	}
	if (o->auth == AUTH_BASIC && !o->user) {
		seterr(err, errlen, "--auth basic needs a user: use --user or TICKETED_USER");
		return -1;
	}
	return 0;
}

/* Add ID to O->ids unless it is there already. */
static void add_id(options *o, long id)
{
	for (size_t i = 0; i < o->nids; i++)
		if (o->ids[i] == id)
			return;
	o->ids = xreallocarray(o->ids, o->nids + 1, sizeof *o->ids);
	o->ids[o->nids++] = id;
	if (o->nids == 1)
		o->ticket_id = id;
}

int options_read_ids(options *o, FILE *f, const char *name, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0, before = o->nids;
	long lineno = 0;
	int rc = 0;
	while (rc == 0 && getline(&line, &cap, f) >= 0) {
		char *p = line;
		lineno++;
		p[strcspn(p, "#")] = '\0';
		for (char *tok = strtok(p, " \t\r\n,"); tok; tok = strtok(NULL, " \t\r\n,")) {
			long id;
			if (num_id(tok, &id, NULL) < 0) {
				char *s = esc_dup(tok, strlen(tok) > 40 ? 40 : strlen(tok), 0);
				seterr(err, errlen, "%s:%ld: bad ticket id \"%s\": expected a number 1..2147483647", name,
				       lineno, s ? s : "?");
				free(s);
				rc = -1;
				break;
			}
			add_id(o, id);
		}
	}
	if (rc == 0 && ferror(f)) {
		seterr(err, errlen, "%s: %s", name, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && o->nids == before && before == 0) {
		seterr(err, errlen, "%s: no ticket ids in it", name);
		rc = -1;
	}
	free(line);
	return rc;
}

/* --ids-from: the file (or standard input) into O->ids. */
static int read_ids_from(options *o, char *err, size_t errlen)
{
	bool stdin_ = !strcmp(o->ids_from, "-");
	FILE *f = stdin_ ? stdin : fopen(o->ids_from, "r");
	int rc;
	if (!f) {
		seterr(err, errlen, "--ids-from %.200s: %s", o->ids_from, strerror(errno));
		return -1;
	}
	rc = options_read_ids(o, f, stdin_ ? "standard input" : o->ids_from, err, errlen);
	if (!stdin_)
		fclose(f);
	return rc;
}

/* The positional arguments: exactly one TICKET_ID (OPTIONS_ONE_ID), any
 * number (OPTIONS_IDS), or none. */
static int parse_args(options *o, int argc, char **argv, int ids, char *err, size_t errlen)
{
	int n = argc - optind;
	bool need_id = ids == OPTIONS_ONE_ID;
	if (ids == OPTIONS_IDS) {
		for (int i = optind; i < argc; i++) {
			long id;
			if (num_id(argv[i], &id, NULL) < 0) {
				seterr(err, errlen, "bad TICKET_ID \"%.100s\": expected a number 1..2147483647", argv[i]);
				return -1;
			}
			add_id(o, id);
		}
		return 0;
	}
	if (need_id && n == 0) {
		seterr(err, errlen, "missing TICKET_ID (see --help)");
		return -1;
	}
	if (n > (need_id ? 1 : 0)) {
		seterr(err, errlen, "unexpected argument \"%.100s\"", argv[optind + (need_id ? 1 : 0)]);
		return -1;
	}
	if (need_id && num_id(argv[optind], &o->ticket_id, NULL) < 0) {
		seterr(err, errlen, "bad TICKET_ID \"%.100s\": expected a number 1..2147483647", argv[optind]);
		return -1;
	}
	return 0;
}

/* The command line into OPT. 0, 1 (help/version handled), or -1. */
static int read_argv(int argc, char **argv, source_value *opt, char *err, size_t errlen)
{
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", long_opts(), NULL)) != -1) {
		const char *name = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
		if (c == 'h') {
			options_usage(stdout);
			return 1;
		}
		if (c == 'V') {
			print_version();
			return 1;
		}
		if (c == ':') {
			seterr(err, errlen, "%.100s: missing value", name);
			return -1;
		}
		if (c < 256 || c >= 256 + S_COUNT || !settings[c - 256].opt) {
			if (c == '?' && optopt && optopt < 256)
				seterr(err, errlen, "unknown option \"-%c\" (see --help)", optopt);
			else
				seterr(err, errlen, "unknown option \"%.100s\" (see --help)", name);
			return -1;
		}
		opt[c - 256].text = settings[c - 256].has_arg ? optarg : "1";
		snprintf(opt[c - 256].where, sizeof opt[c - 256].where, "--%s", settings[c - 256].opt);
	}
	return 0;
}

static void read_env(source_value *env)
{
	for (int id = 0; id < S_COUNT; id++) {
		const char *v = settings[id].env ? getenv(settings[id].env) : NULL;
		if (v && (*v || id == S_NO_COLOR)) {
			env[id].text = v;
			snprintf(env[id].where, sizeof env[id].where, "%s", settings[id].env);
		}
	}
}

int options_parse(int argc, char **argv, int ids, options *o, char *err, size_t errlen)
{
	source_value opt[S_COUNT], env[S_COUNT], cfg[S_COUNT];
	config_file c;
	int rc;
	memset(o, 0, sizeof *o);
	memset(opt, 0, sizeof opt);
	memset(env, 0, sizeof env);
	memset(cfg, 0, sizeof cfg);
	o->cols = 80;
	o->rows = 24;
	o->conflict = CONFLICT_FIELDS;
	o->timeout_s = 30;
	err[0] = '\0';
	if (refuse_password(argc, argv, err, errlen) < 0)
		return -1;
	if ((rc = read_argv(argc, argv, opt, err, errlen)) != 0)
		return rc;
	if (parse_args(o, argc, argv, ids, err, errlen) < 0)
		return -1;
	if (opt[S_IDS_FROM].text && ids != OPTIONS_IDS) {
		seterr(err, errlen, "--ids-from: only the editor runs on several tickets");
		return -1;
	}
	read_env(env);
	if (config_read(opt[S_CONFIG].text, &c, err, errlen) < 0)
		return -1;
	rc = config_values(&c, cfg, err, errlen);
	if (rc == 0)
		rc = resolve(o, opt, env, cfg, err, errlen);
	if (rc == 0 && c.path)
		o->config_path = xstrdup(c.path);
	if (rc == 0)
		rc = finish(o, opt[S_AUTH].text || cfg[S_AUTH].text, err, errlen);
	if (rc == 0 && o->ids_from)
		rc = read_ids_from(o, err, errlen);
	config_file_free(&c);
	return rc;
}

int options_parse_config_text(const char *buf, size_t len, const char *name, options *o, char *err,
                              size_t errlen)
{
	source_value none[S_COUNT], cfg[S_COUNT];
	config_file c;
	int rc;
	memset(none, 0, sizeof none);
	memset(cfg, 0, sizeof cfg);
	if (config_parse_text(buf, len, name, &c, err, errlen) < 0)
		return -1;
	rc = config_values(&c, cfg, err, errlen);
	if (rc == 0)
		rc = resolve(o, none, none, cfg, err, errlen);
	config_file_free(&c);
	return rc;
}

/* --- credentials ---------------------------------------------------------- */

static struct termios g_saved_tty;
static int g_tty_fd = -1;

static void restore_tty(int sig)
{
	if (g_tty_fd >= 0)
		tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read one line from FD into BUF without the newline. */
static ssize_t read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;
	char ch;
	ssize_t r;
	while ((r = read(fd, &ch, 1)) == 1 && ch != '\n') {
		if (n + 1 < len)
			buf[n++] = ch;
	}
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return r < 0 ? -1 : (ssize_t)n;
}

/* Prompt on /dev/tty without echo; malloc'd answer or NULL. */
static char *prompt_secret(const char *prompt)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	struct termios t;
	bool have_tty = tcgetattr(fd, &t) == 0;
	struct sigaction sa = { .sa_handler = restore_tty }, oint, oterm;
	if (have_tty) {
		g_saved_tty = t;
		g_tty_fd = fd;
		sigaction(SIGINT, &sa, &oint);
		sigaction(SIGTERM, &sa, &oterm);
		t.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &t);
	}
	if (write(fd, prompt, strlen(prompt)) < 0)
		(void)0;
	char buf[1024];
	ssize_t n = read_line(fd, buf, sizeof buf);
	if (have_tty) {
		tcsetattr(fd, TCSAFLUSH, &g_saved_tty);
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGTERM, &oterm, NULL);
		g_tty_fd = -1;
	}
	if (write(fd, "\n", 1) < 0)
		(void)0;
	close(fd);
	char *s = n > 0 ? strdup(buf) : NULL;
	explicit_bzero(buf, sizeof buf);
	return s;
}

/* Zero the stack below the caller's frame, where the routines that just
 * read a secret left copies (the dynamic linker's lazy binding, for one,
 * spills the vector registers that still hold it). */
static void __attribute__((noinline)) scrub_stack(void)
{
	char pad[64 * 1024];
	explicit_bzero(pad, sizeof pad);
}

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* Refuse a credential with a control character (CR/LF would add header
 * lines); SOURCE says where it came from, the value is never shown. On
 * refusal *S is wiped and freed. */
static int check_credential(const char *source, char **s, char *err, size_t errlen)
{
	long at = esc_find_control(*s);
	if (at < 0)
		return 0;
	seterr(err, errlen, "%s holds a control character (0x%02X at byte %ld): refused", source,
	         (unsigned)(unsigned char)(*s)[at], at + 1);
	wipe_free(*s);
	*s = NULL;
	return -1;
}

/* A copy of the environment variable NAME; when WIPE, the original is
 * zeroed where it lies (the process's initial stack, /proc/PID/environ) and
 * the variable removed, so helpers started later never inherit it. */
static char *take_env(const char *name, bool wipe)
{
	char *v = getenv(name);
	if (!v || !*v)
		return NULL;
	char *copy = strdup(v);
	if (wipe) {
		explicit_bzero(v, strlen(v));
		unsetenv(name);
	}
	return copy;
}

/* Resolve one credential: environment variable ENV (taken out of the
 * environment when WIPE_ENV), else COMMAND (from the config), else a
 * prompt when INTERACTIVE. *OUT malloc'd; -1 with ERR. */
static int resolve_secret(const char *env, bool wipe_env, const char *what, const char *command,
                          const char *prompt, bool interactive, const char *missing, char **out,
                          char *err, size_t errlen)
{
	char source[120];
	if (env && getenv(env) && *getenv(env)) {
		if (!(*out = take_env(env, wipe_env))) {
			seterr(err, errlen, "out of memory");
			return -1;
		}
		return check_credential(env, out, err, errlen);
	}
	if (command) {
		int rc = config_run_command(what, command, out, err, errlen);
		scrub_stack();
		snprintf(source, sizeof source, "the output of %s", what);
		return rc < 0 ? rc : check_credential(source, out, err, errlen);
	}
	if (interactive && prompt && (*out = prompt_secret(prompt))) {
		scrub_stack();
		return check_credential("the typed secret", out, err, errlen);
	}
	seterr(err, errlen, "%s", missing);
	return -1;
}

/* A process that holds a credential writes no core file (a crash must not
 * leave the password on disk). */
static void no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };
	setrlimit(RLIMIT_CORE, &rl);
}

static int resolve_main_secret(options *o, bool interactive, char *err, size_t errlen)
{
	char prompt[300], missing[300];
	if (o->secret || o->auth == AUTH_NONE)
		return 0;
	no_core_dumps();
	if (o->auth == AUTH_BASIC) {
		snprintf(prompt, sizeof prompt, "Password for %.100s at %.150s: ", o->user, o->url);
		snprintf(missing, sizeof missing, "no password for %.100s: set TICKETED_PASSWORD or "
		         "password_command in the config file (a password is never accepted on the "
		         "command line)", o->user);
		return resolve_secret("TICKETED_PASSWORD", true, "password_command", o->password_command,
		                      prompt, interactive, missing, &o->secret, err, errlen);
	}
	snprintf(prompt, sizeof prompt, "%s token for %.150s: ",
	         o->auth == AUTH_BEARER ? "Bearer" : "SOTicket", o->url);
	snprintf(missing, sizeof missing, "no token for --auth %s: set TICKETED_TOKEN or "
	         "token_command in the config file", o->auth == AUTH_BEARER ? "bearer" : "soticket");
	return resolve_secret("TICKETED_TOKEN", true, "token_command", o->token_command, prompt,
	                      interactive, missing, &o->secret, err, errlen);
}

static int resolve_app_token(options *o, char *err, size_t errlen)
{
	if (o->app_token)
		return 0;
	const char *env = o->app_token_env ? o->app_token_env : "TICKETED_APP_TOKEN";
	if (env_set(env) || o->app_token_command) {
		no_core_dumps();
		/* kept in the environment: a client rebuilt later reads it again */
		return resolve_secret(env, false, "app_token_command", o->app_token_command, NULL, false,
		                      "", &o->app_token, err, errlen);
	}
	if (o->app_token_env) {
		seterr(err, errlen, "--app-token-env %.100s: the variable %.100s is not set",
		         o->app_token_env, o->app_token_env);
		return -1;
	}
	return 0;
}

int options_locale_language(const char *lc_all, const char *lc_messages, const char *lang,
                            char *out, size_t outlen)
{
	const char *v = lc_all && *lc_all ? lc_all : lc_messages && *lc_messages ? lc_messages : lang;
	size_t n = v ? strcspn(v, ".@") : 0, sub = 0;
	if (n == 0 || n >= outlen || !strncmp(v, "C", n) || !strncmp(v, "POSIX", n))
		return 0;
	for (size_t i = 0, part = 0; i <= n; i++) {
		char c = i < n ? v[i] : '\0';
		if (c == '_' || c == '-' || c == '\0') {
			/* the language: 2..8 letters; then subtags of 1..8 letters/digits */
			if (sub == 0 || sub > 8 || (part == 0 && sub < 2))
				return 0;
			out[i] = c ? '-' : '\0';
			part++;
			sub = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		           (part > 0 && c >= '0' && c <= '9')) {
			out[i] = c;
			sub++;
		} else {
			return 0;
		}
	}
	return 1;
}

/* A fresh token for the api after a 401: token_command again. */
static int refresh_token(void *ctx, char **secret, char *err, size_t errlen)
{
	options *o = ctx;
	int rc = config_run_command("token_command", o->token_command, secret, err, errlen);
	scrub_stack();
	return rc < 0 ? rc : check_credential("the output of token_command", secret, err, errlen);
}

/* What a 401 message adds: how to provide credentials that work. */
static const char *auth_hint(const options *o)
{
	if (o->auth == AUTH_BASIC)
		return "the user name or password was refused (TICKETED_PASSWORD, password_command or the prompt)";
	if (o->token_command)
		return "the token from token_command was refused";
	return "the token was refused (an Online token lasts an hour): set TICKETED_TOKEN to a fresh one, "
	       "or token_command in the config file so that ticketed fetches one when needed";
}

int options_api_config(options *o, bool interactive, api_config *cfg, char *err, size_t errlen)
{
	char tag[40];
	memset(cfg, 0, sizeof *cfg);
	if (!o->url || !*o->url) {
		seterr(err, errlen, "no service URL: use --url or TICKETED_URL");
		return -1;
	}
	if (resolve_main_secret(o, interactive, err, errlen) < 0 ||
	    resolve_app_token(o, err, errlen) < 0)
		return -1;
	/* Without Accept-Language the service sends names in every language
	 * ("NO:\"Leverandør\";US:\"Supplier\"") and resource ids. */
	if (!o->lang && set_str(&o->lang, options_locale_language(getenv("LC_ALL"), getenv("LC_MESSAGES"),
	                                                          getenv("LANG"), tag, sizeof tag) ? tag : "en") < 0) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	if ((o->auth == AUTH_BEARER || o->auth == AUTH_SOTICKET) && o->token_command) {
		cfg->refresh_secret = refresh_token;
		cfg->refresh_ctx = o;
	}
	cfg->auth_hint = auth_hint(o);
	cfg->tenant_status = o->tenant_status;
	cfg->base_url = o->url;
	cfg->auth = o->auth;
	cfg->user = o->user;
	cfg->secret = o->secret;
	cfg->app_token = o->app_token;
	cfg->accept_language = o->lang;
	cfg->so_language = o->so_language;
	cfg->so_culture = o->culture;
	cfg->so_timezone = o->timezone;
	cfg->timeout_s = o->timeout_s;
	cfg->insecure = o->insecure;
	cfg->cacert = o->cacert;
	cfg->log_path = o->log;
	return 0;
}

int options_reprompt(options *o, char *err, size_t errlen)
{
	char prompt[400];
	char *s;
	if (o->auth == AUTH_NONE) {
		seterr(err, errlen, "no credentials are configured: use --user or TICKETED_TOKEN");
		return -1;
	}
	if (o->auth == AUTH_BASIC)
		snprintf(prompt, sizeof prompt, "Wrong user name or password (HTTP 401). Password for %.100s "
		         "at %.150s: ", o->user ? o->user : "?", o->url ? o->url : "the server");
	else
		snprintf(prompt, sizeof prompt, "The token was refused (HTTP 401). %s token for %.150s: ",
		         o->auth == AUTH_BEARER ? "Bearer" : "SOTicket", o->url ? o->url : "the server");
	s = prompt_secret(prompt);
	scrub_stack();
	if (!s) {
		seterr(err, errlen, "nothing typed (or no terminal)");
		return -1;
	}
	if (check_credential("the typed secret", &s, err, errlen) < 0)
		return -1;
	wipe_free(o->secret);
	o->secret = s;
	return 0;
}

void options_forget_secrets(options *o)
{
	wipe_free(o->secret);
	wipe_free(o->app_token);
	o->secret = o->app_token = NULL;
}

void options_free(options *o)
{
	char **strs[] = { &o->url, &o->user, &o->app_token_env, &o->lang, &o->so_language,
	                  &o->culture, &o->timezone, &o->theme, &o->replay, &o->record, &o->log,
	                  &o->cacert, &o->config, &o->server_timezone, &o->password_command,
	                  &o->token_command, &o->app_token_command, &o->config_path,
	                  &o->tenant_status, &o->ids_from };
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
	wipe_free(o->secret);
	wipe_free(o->app_token);
	o->secret = o->app_token = NULL;
	free(o->ids);
	o->ids = NULL;
	o->nids = 0;
}

const char *options_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t nl = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, nl))
		return NULL;
	if (a[nl] == '=')
		return a + nl + 1;
	if (a[nl] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}
