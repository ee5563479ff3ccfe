/* options.c — the command line of SPEC 6 (editor and `get`), the
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
#include "ticketed/escape.h"

enum {
	OPT_URL = 256, OPT_USER, OPT_AUTH, OPT_APP_TOKEN_ENV, OPT_LANG, OPT_SO_LANGUAGE,
	OPT_CULTURE, OPT_TIMEZONE, OPT_CONFLICT, OPT_THEME, OPT_NO_COLOR, OPT_REPLAY,
	OPT_RECORD, OPT_HEADLESS, OPT_SIZE, OPT_DRY_RUN, OPT_LOG, OPT_TIMEOUT,
	OPT_INSECURE, OPT_CACERT, OPT_CONFIG, OPT_DRAFT, OPT_TENANT_STATUS,
};

static const struct option long_opts[] = {
	{ "url", required_argument, NULL, OPT_URL },
	{ "user", required_argument, NULL, OPT_USER },
	{ "auth", required_argument, NULL, OPT_AUTH },
	{ "app-token-env", required_argument, NULL, OPT_APP_TOKEN_ENV },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "so-language", required_argument, NULL, OPT_SO_LANGUAGE },
	{ "culture", required_argument, NULL, OPT_CULTURE },
	{ "timezone", required_argument, NULL, OPT_TIMEZONE },
	{ "conflict", required_argument, NULL, OPT_CONFLICT },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "headless", no_argument, NULL, OPT_HEADLESS },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "draft", required_argument, NULL, OPT_DRAFT },
	{ "tenant-status", required_argument, NULL, OPT_TENANT_STATUS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *f)
{
	fputs("usage: ticketed [OPTIONS] TICKET_ID        edit a ticket\n"
	      "       ticketed get [OPTIONS] [--pretty] TICKET_ID   print the ticket JSON\n"
	      "       ticketed diff|apply ...           JSON Patch between files (see diff --help)\n"
	      "       ticketed drafts [--discard ID]    list (or remove) unsaved drafts\n"
	      "       ticketed keys                     the key bindings of every screen\n"
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
	      "  --replay FILE, --record FILE, --headless, --size COLSxROWS   scripted runs\n"
	      "  --dry-run               show the patch on save, send nothing\n"
	      "  --draft ask|restore|discard|keep|fail   a draft of the ticket found on open\n"
	      "                          (default: ask on a terminal, fail for --replay/--headless)\n"
	      "  --log FILE              HTTP trace (credentials redacted)\n"
	      "  --timeout SEC           per request (default 30)\n"
	      "  --insecure, --cacert FILE   TLS verification\n"
	      "  --tenant-status URL     SuperOffice Online: follow the tenant's endpoint as\n"
	      "                          https://ENV.superoffice.com/api/state/CustNNNNN says\n"
	      "  --config FILE           config file (TICKETED_CONFIG,\n"
	      "                          default $XDG_CONFIG_HOME/ticketed/config)\n"
	      "  -h, --help, -V, --version\n"
	      "\n"
	      "A password is never accepted on the command line. See ticketed(1).\n"
	      "Exit: 0 done, 1 usage/config error, 2 load failed, 3 unsaved edits kept, 4 replay failed.\n",
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
		snprintf(err, errlen, "a password is never accepted on the command line: "
		         "set TICKETED_PASSWORD or password_command in the config file");
		return -1;
	}
	return 0;
}

/* Handle one option C with argument ARG. Returns 0, 1 (help/version), -1. */
static int apply_opt(options *o, unsigned *set, int c, const char *arg, const char *name,
                     char *err, size_t errlen)
{
	int rc = 0;
	switch (c) {
	case 'h': options_usage(stdout); return 1;
	case 'V': print_version(); return 1;
	case OPT_URL: rc = set_str(&o->url, arg); break;
	case OPT_USER: rc = set_str(&o->user, arg); break;
	case OPT_AUTH:
		if (options_parse_auth(arg, &o->auth) < 0) {
			snprintf(err, errlen, "--auth: expected basic, bearer or soticket, not \"%.100s\"", arg);
			return -1;
		}
		*set |= OPTSET_AUTH;
		break;
	case OPT_APP_TOKEN_ENV: rc = set_str(&o->app_token_env, arg); break;
	case OPT_LANG: rc = set_str(&o->lang, arg); break;
	case OPT_SO_LANGUAGE: rc = set_str(&o->so_language, arg); break;
	case OPT_CULTURE: rc = set_str(&o->culture, arg); break;
	case OPT_TIMEZONE: rc = set_str(&o->timezone, arg); break;
	case OPT_CONFLICT:
		if (options_parse_conflict(arg, &o->conflict) < 0) {
			snprintf(err, errlen, "--conflict: expected fields, strict or none, not \"%.100s\"", arg);
			return -1;
		}
		*set |= OPTSET_CONFLICT;
		break;
	case OPT_THEME:
		if (!*arg) {
			snprintf(err, errlen, "--theme: empty theme name");
			return -1;
		}
		rc = set_str(&o->theme, arg);
		break;
	case OPT_NO_COLOR: o->no_color = true; break;
	case OPT_REPLAY: rc = set_str(&o->replay, arg); break;
	case OPT_RECORD: rc = set_str(&o->record, arg); break;
	case OPT_HEADLESS: o->headless = true; break;
	case OPT_SIZE:
		if (parse_size(arg, &o->cols, &o->rows) < 0) {
			snprintf(err, errlen, "--size: expected COLSxROWS (20..1000 x 5..1000), not \"%.100s\"", arg);
			return -1;
		}
		break;
	case OPT_DRY_RUN: o->dry_run = true; break;
	case OPT_LOG: rc = set_str(&o->log, arg); break;
	case OPT_TIMEOUT:
		if (options_parse_timeout(arg, &o->timeout_s) < 0) {
			snprintf(err, errlen, "--timeout: expected whole seconds 1..86400, not \"%.100s\"", arg);
			return -1;
		}
		*set |= OPTSET_TIMEOUT;
		break;
	case OPT_INSECURE: o->insecure = true; break;
	case OPT_CACERT: rc = set_str(&o->cacert, arg); break;
	case OPT_CONFIG: rc = set_str(&o->config, arg); break;
	case OPT_DRAFT:
		if (options_parse_draft(arg, &o->draft) < 0) {
			snprintf(err, errlen, "--draft: expected ask, restore, discard, keep or fail, not \"%.100s\"", arg);
			return -1;
		}
		*set |= OPTSET_DRAFT;
		break;
	case OPT_TENANT_STATUS: rc = set_str(&o->tenant_status, arg); break;
	case ':':
		snprintf(err, errlen, "%.100s: missing value", name);
		return -1;
	default:
		snprintf(err, errlen, "unknown option \"%.100s\" (see --help)", name);
		return -1;
	}
	if (rc < 0)
		snprintf(err, errlen, "out of memory");
	return rc;
}

/* The environment fills what the command line left unset. */
static int apply_env(options *o)
{
	const char *v;
	if (!o->url && (v = getenv("TICKETED_URL")) && *v && set_str(&o->url, v) < 0)
		return -1;
	if (!o->user && (v = getenv("TICKETED_USER")) && *v && set_str(&o->user, v) < 0)
		return -1;
	if (!o->theme && (v = getenv("TICKETED_THEME")) && *v && set_str(&o->theme, v) < 0)
		return -1;
	if ((v = getenv("NO_COLOR")) && *v)
		o->no_color = true;
	return 0;
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v;
}

/* Defaults, then the auth scheme inferred from what is configured. */
static int finish(options *o, unsigned set, char *err, size_t errlen)
{
	if (!(set & OPTSET_TIMEOUT))
		o->timeout_s = 30;
	if (!(set & OPTSET_AUTH)) {
		if (o->user)
			o->auth = AUTH_BASIC;
		else if (env_set("TICKETED_TOKEN") || o->token_command)
			o->auth = AUTH_BEARER;
		else
			o->auth = AUTH_NONE;
	}
	if (o->auth == AUTH_BASIC && !o->user) {
		snprintf(err, errlen, "--auth basic needs a user: use --user or TICKETED_USER");
		return -1;
	}
	return 0;
}

/* The positional arguments: exactly one TICKET_ID when NEED_ID, else none. */
static int parse_args(options *o, int argc, char **argv, bool need_id, char *err, size_t errlen)
{
	int n = argc - optind;
	if (need_id && n == 0) {
		snprintf(err, errlen, "missing TICKET_ID (see --help)");
		return -1;
	}
	if (n > (need_id ? 1 : 0)) {
		snprintf(err, errlen, "unexpected argument \"%.100s\"", argv[optind + (need_id ? 1 : 0)]);
		return -1;
	}
	if (need_id && num_id(argv[optind], &o->ticket_id, NULL) < 0) {
		snprintf(err, errlen, "bad TICKET_ID \"%.100s\": expected a number 1..2147483647",
		         argv[optind]);
		return -1;
	}
	return 0;
}

int options_parse(int argc, char **argv, bool need_id, options *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof *o);
	o->cols = 80;
	o->rows = 24;
	o->conflict = CONFLICT_FIELDS;
	err[0] = '\0';
	if (refuse_password(argc, argv, err, errlen) < 0)
		return -1;
	unsigned set = 0;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", long_opts, NULL)) != -1) {
		const char *name = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
		if (c == '?' && optopt && optopt < 256) {
			static char shortname[3] = "-?";
			shortname[1] = (char)optopt;
			name = shortname;
		}
		int rc = apply_opt(o, &set, c, optarg, name, err, errlen);
		if (rc != 0)
			return rc;
	}
	if (parse_args(o, argc, argv, need_id, err, errlen) < 0 || apply_env(o) < 0)
		return -1;
	if (config_apply(o, &set, err, errlen) < 0)
		return -1;
	return finish(o, set, err, errlen);
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
	snprintf(err, errlen, "%s holds a control character (0x%02X at byte %ld): refused", source,
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
			snprintf(err, errlen, "out of memory");
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
	snprintf(err, errlen, "%s", missing);
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
		snprintf(err, errlen, "--app-token-env %.100s: the variable %.100s is not set",
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
		snprintf(err, errlen, "no service URL: use --url or TICKETED_URL");
		return -1;
	}
	if (resolve_main_secret(o, interactive, err, errlen) < 0 ||
	    resolve_app_token(o, err, errlen) < 0)
		return -1;
	/* Without Accept-Language the service sends names in every language
	 * ("NO:\"Leverandør\";US:\"Supplier\"") and resource ids. */
	if (!o->lang && set_str(&o->lang, options_locale_language(getenv("LC_ALL"), getenv("LC_MESSAGES"),
	                                                          getenv("LANG"), tag, sizeof tag) ? tag : "en") < 0) {
		snprintf(err, errlen, "out of memory");
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
		snprintf(err, errlen, "no credentials are configured: use --user or TICKETED_TOKEN");
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
		snprintf(err, errlen, "nothing typed (or no terminal)");
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
	                  &o->tenant_status };
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
	wipe_free(o->secret);
	wipe_free(o->app_token);
	o->secret = o->app_token = NULL;
}
