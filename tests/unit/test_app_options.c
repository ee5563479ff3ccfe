/* test_app_options.c — the command line: every option, option over
 * environment, every bad value, --password refused, auth inference and
 * credential resolution; the Accept-Language default from the locale;
 * TICKETED_PASSWORD/TICKETED_TOKEN taken out of the environment and wiped;
 * control characters in credentials refused; the token refresh hook; the
 * re-prompt after a refused login. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "ticketed/options.h"

#define MAXARGS 64

static char *g_argv[MAXARGS];
static int g_argc;
static char g_err[512];

static void clear_env(void)
{
	static const char *vars[] = { "TICKETED_URL", "TICKETED_USER", "TICKETED_THEME", "NO_COLOR",
	                              "TICKETED_PASSWORD", "TICKETED_TOKEN", "TICKETED_APP_TOKEN",
	                              "TICKETED_CONFIG", "MY_APP_TOKEN", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	setenv("XDG_CONFIG_HOME", "/nonexistent/ticketed-test", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("HOME", "/nonexistent/ticketed-test", 1);
}

static void free_args(void)
{
	for (int i = 0; i < g_argc; i++)
		free(g_argv[i]);
	g_argc = 0;
}

/* Parse the NULL-terminated argument list (argv[0] added). */
static int parse(options *o, int need_id, ...)
{
	va_list ap;
	const char *s;
	free_args();
	g_argv[g_argc++] = strdup("ticketed");
	va_start(ap, need_id);
	while ((s = va_arg(ap, const char *)) && g_argc < MAXARGS - 1)
		g_argv[g_argc++] = strdup(s);
	va_end(ap);
	g_argv[g_argc] = NULL;
	g_err[0] = '\0';
	return options_parse(g_argc, g_argv, need_id, o, g_err, sizeof g_err);
}

static int setup(void **state)
{
	(void)state;
	clear_env();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free_args();
	return 0;
}

static void test_defaults(void **state)
{
	(void)state;
	options o;
	assert_int_equal(parse(&o, true, "42", NULL), 0);
	assert_int_equal(o.ticket_id, 42);
	assert_null(o.url);
	assert_null(o.user);
	assert_int_equal(o.auth, AUTH_NONE);
	assert_int_equal(o.conflict, CONFLICT_FIELDS);
	assert_int_equal(o.cols, 80);
	assert_int_equal(o.rows, 24);
	assert_int_equal(o.timeout_s, 30);
	assert_false(o.no_color || o.headless || o.dry_run || o.insecure);
	assert_null(o.theme);
	options_free(&o);
}

static void test_every_option(void **state)
{
	(void)state;
	options o;
	char cfg[] = "/tmp/ticketed-opt-cfg.XXXXXX";
	int fd = mkstemp(cfg);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "--user", "bob", "--auth", "basic",
	                       "--app-token-env", "MY_APP_TOKEN", "--lang", "nb", "--so-language", "no",
	                       "--culture", "nb-NO", "--timezone", "UTC", "--conflict", "strict",
	                       "--theme", "dark", "--no-color", "--replay", "r.replay", "--record", "out.replay",
	                       "--headless", "--size", "120x40", "--dry-run", "--log", "http.log",
	                       "--timeout", "5", "--insecure", "--cacert", "ca.pem", "--config", cfg,
	                       "--tenant-status", "https://online.superoffice.com/api/state/Cust1", "900", NULL), 0);
	unlink(cfg);
	assert_int_equal(o.ticket_id, 900);
	assert_string_equal(o.url, "http://h/api/v1");
	assert_string_equal(o.user, "bob");
	assert_int_equal(o.auth, AUTH_BASIC);
	assert_string_equal(o.app_token_env, "MY_APP_TOKEN");
	assert_string_equal(o.lang, "nb");
	assert_string_equal(o.so_language, "no");
	assert_string_equal(o.culture, "nb-NO");
	assert_string_equal(o.timezone, "UTC");
	assert_int_equal(o.conflict, CONFLICT_STRICT);
	assert_string_equal(o.theme, "dark");
	assert_true(o.no_color);
	assert_string_equal(o.replay, "r.replay");
	assert_string_equal(o.record, "out.replay");
	assert_true(o.headless);
	assert_int_equal(o.cols, 120);
	assert_int_equal(o.rows, 40);
	assert_true(o.dry_run);
	assert_string_equal(o.log, "http.log");
	assert_int_equal(o.timeout_s, 5);
	assert_true(o.insecure);
	assert_string_equal(o.cacert, "ca.pem");
	assert_string_equal(o.config, cfg);
	assert_string_equal(o.config_path, cfg);
	assert_string_equal(o.tenant_status, "https://online.superoffice.com/api/state/Cust1");
	options_free(&o);
	/* --opt=value spelling, ID first, other modes */
	assert_int_equal(parse(&o, true, "7", "--url=http://x/api/v1", "--conflict=none",
	                       "--auth=bearer", "--size=20x5", NULL), 0);
	assert_int_equal(o.ticket_id, 7);
	assert_string_equal(o.url, "http://x/api/v1");
	assert_int_equal(o.conflict, CONFLICT_NONE);
	assert_int_equal(o.auth, AUTH_BEARER);
	assert_int_equal(o.cols, 20);
	assert_int_equal(o.rows, 5);
	options_free(&o);
	assert_int_equal(parse(&o, false, "--conflict", "fields", "--auth", "SOTicket", NULL), 0);
	assert_int_equal(o.conflict, CONFLICT_FIELDS);
	assert_int_equal(o.auth, AUTH_SOTICKET);
	options_free(&o);
}

static void test_option_beats_env(void **state)
{
	(void)state;
	options o;
	setenv("TICKETED_URL", "http://env/api/v1", 1);
	setenv("TICKETED_USER", "envuser", 1);
	setenv("TICKETED_THEME", "envtheme", 1);
	assert_int_equal(parse(&o, true, "1", NULL), 0);
	assert_string_equal(o.url, "http://env/api/v1");
	assert_string_equal(o.user, "envuser");
	assert_string_equal(o.theme, "envtheme");
	assert_int_equal(o.auth, AUTH_BASIC);
	assert_false(o.no_color);
	options_free(&o);
	assert_int_equal(parse(&o, true, "--url", "http://opt/api/v1", "--user", "optuser",
	                       "--theme", "opttheme", "1", NULL), 0);
	assert_string_equal(o.url, "http://opt/api/v1");
	assert_string_equal(o.user, "optuser");
	assert_string_equal(o.theme, "opttheme");
	options_free(&o);
	setenv("NO_COLOR", "1", 1);
	assert_int_equal(parse(&o, true, "1", NULL), 0);
	assert_true(o.no_color);
	options_free(&o);
	setenv("NO_COLOR", "", 1);  /* empty NO_COLOR does not count */
	assert_int_equal(parse(&o, true, "1", NULL), 0);
	assert_false(o.no_color);
	options_free(&o);
}

/* Parse must fail with an error containing WANT. */
#define BAD(want, ...) do { \
		options o_; \
		assert_int_equal(parse(&o_, true, __VA_ARGS__, NULL), -1); \
		if (!strstr(g_err, want)) \
			fail_msg("error \"%s\" lacks \"%s\"", g_err, want); \
		options_free(&o_); \
	} while (0)

static void test_bad_values(void **state)
{
	(void)state;
	BAD("--auth: expected basic, bearer or soticket, not \"ntlm\"", "--auth", "ntlm", "1");
	BAD("--conflict: expected fields, strict or none, not \"loose\"", "--conflict", "loose", "1");
	BAD("--size: expected COLSxROWS", "--size", "80", "1");
	BAD("--size: expected COLSxROWS", "--size", "80x", "1");
	BAD("--size: expected COLSxROWS", "--size", "x24", "1");
	BAD("--size: expected COLSxROWS", "--size", "10x24", "1");
	BAD("--size: expected COLSxROWS", "--size", "80x2", "1");
	BAD("--size: expected COLSxROWS", "--size", "80x24x", "1");
	BAD("--size: expected COLSxROWS", "--size", "99999999999999999999x24", "1");
	BAD("--timeout: expected whole seconds", "--timeout", "0", "1");
	BAD("--timeout: expected whole seconds", "--timeout", "-3", "1");
	BAD("--timeout: expected whole seconds", "--timeout", "1.5", "1");
	BAD("--timeout: expected whole seconds", "--timeout", "abc", "1");
	BAD("--timeout: expected whole seconds", "--timeout", "", "1");
	BAD("--theme: empty theme name", "--theme", "", "1");
	BAD("--url: missing value", "1", "--url");
	BAD("unknown option \"--colour\"", "--colour", "1");
	BAD("unknown option \"-x\"", "-x", "1");
	BAD("unknown option \"--no-color=1\"", "--no-color=1", "1");
	BAD("unexpected argument \"2\"", "1", "2");
	BAD("bad TICKET_ID \"abc\"", "abc");
	BAD("bad TICKET_ID \"0\"", "0");
	BAD("bad TICKET_ID \"-5\"", "--", "-5");
	BAD("bad TICKET_ID \"2147483648\"", "2147483648");
	BAD("bad TICKET_ID \"12x\"", "12x");
	BAD("--auth basic needs a user", "--auth", "basic", "1");
	options o;
	assert_int_equal(parse(&o, true, NULL), -1);
	assert_string_equal(g_err, "missing TICKET_ID (see --help)");
	options_free(&o);
	assert_int_equal(parse(&o, false, "5", NULL), -1);
	assert_string_equal(g_err, "unexpected argument \"5\"");
	options_free(&o);
}

/* The editor's TICKET_IDs: any number, each once, then --ids-from's. */
static void test_many_ids(void **state)
{
	(void)state;
	options o;
	char path[] = "/tmp/ticketed-ids.XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("# tickets for the Monday sweep\n903, 904\n\n  900 905 # 900 again: skipped\n", f);
	fclose(f);
	assert_int_equal(parse(&o, OPTIONS_IDS, NULL), 0);
	assert_int_equal(o.nids, 0);
	assert_int_equal(o.ticket_id, 0);
	options_free(&o);
	assert_int_equal(parse(&o, OPTIONS_IDS, "900", "901", "900", NULL), 0);
	assert_int_equal(o.nids, 2);
	assert_int_equal(o.ids[0], 900);
	assert_int_equal(o.ids[1], 901);
	assert_int_equal(o.ticket_id, 900);
	options_forget_secrets(&o);  /* the api holds the secrets now; the ids stay */
	assert_int_equal(o.nids, 2);
	options_free(&o);
	assert_int_equal(parse(&o, OPTIONS_IDS, "--ids-from", path, "901", "900", NULL), 0);
	assert_int_equal(o.nids, 5);
	assert_int_equal(o.ids[0], 901);
	assert_int_equal(o.ids[1], 900);
	assert_int_equal(o.ids[2], 903);
	assert_int_equal(o.ids[3], 904);
	assert_int_equal(o.ids[4], 905);
	options_free(&o);
	f = fopen(path, "w");
	fputs("900\n901 x9\n", f);
	fclose(f);
	assert_int_equal(parse(&o, OPTIONS_IDS, "--ids-from", path, NULL), -1);
	assert_non_null(strstr(g_err, ":2: bad ticket id \"x9\""));
	assert_non_null(strstr(g_err, path));
	options_free(&o);
	f = fopen(path, "w");
	fputs("# nothing\n\n", f);
	fclose(f);
	assert_int_equal(parse(&o, OPTIONS_IDS, "--ids-from", path, NULL), -1);
	assert_non_null(strstr(g_err, "no ticket ids"));
	options_free(&o);
	unlink(path);
	assert_int_equal(parse(&o, OPTIONS_IDS, "--ids-from", path, NULL), -1);
	assert_non_null(strstr(g_err, "No such file"));
	options_free(&o);
	assert_int_equal(parse(&o, OPTIONS_IDS, "900", "0", NULL), -1);
	assert_string_equal(g_err, "bad TICKET_ID \"0\": expected a number 1..2147483647");
	options_free(&o);
	/* `get` takes one ticket */
	assert_int_equal(parse(&o, OPTIONS_ONE_ID, "--ids-from", "-", "900", NULL), -1);
	assert_non_null(strstr(g_err, "only the editor"));
	options_free(&o);
	/* a control character in a bad id is shown escaped */
	f = tmpfile();
	fputs("9\x1b[2J\n", f);
	rewind(f);
	memset(&o, 0, sizeof o);
	assert_int_equal(options_read_ids(&o, f, "ids", g_err, sizeof g_err), -1);
	assert_null(strchr(g_err, 0x1b));
	assert_non_null(strstr(g_err, "ids:1: bad ticket id \"9^[[2J\""));
	fclose(f);
	options_free(&o);
}

static void test_password_refused(void **state)
{
	(void)state;
	options o;
	assert_int_equal(parse(&o, true, "--user", "bob", "--password", "hunter2", "1", NULL), -1);
	assert_non_null(strstr(g_err, "never accepted on the command line"));
	assert_non_null(strstr(g_err, "TICKETED_PASSWORD"));
	assert_non_null(strstr(g_err, "password_command"));
	assert_null(strstr(g_err, "hunter2"));
	/* the value is wiped from argv (so it leaves `ps` as soon as possible) */
	assert_string_equal(g_argv[4], "");
	options_free(&o);
	assert_int_equal(parse(&o, true, "--password=hunter2", "1", NULL), -1);
	assert_string_equal(g_argv[1], "--password=");
	options_free(&o);
	BAD("never accepted on the command line", "--pass", "x", "1");
	BAD("never accepted on the command line", "1", "--passwd", "x");
	/* after "--" it is not an option */
	BAD("bad TICKET_ID \"--password\"", "--", "--password");
}

static void test_help_version(void **state)
{
	(void)state;
	options o;
	FILE *saved = stdout;
	stdout = fopen("/dev/null", "w");
	assert_int_equal(parse(&o, true, "--help", NULL), 1);
	options_free(&o);
	assert_int_equal(parse(&o, true, "-h", NULL), 1);
	options_free(&o);
	assert_int_equal(parse(&o, true, "--version", NULL), 1);
	options_free(&o);
	assert_int_equal(parse(&o, true, "-V", NULL), 1);
	options_free(&o);
	fclose(stdout);
	stdout = saved;
}

static void test_auth_inference(void **state)
{
	(void)state;
	options o;
	setenv("TICKETED_TOKEN", "tok", 1);
	assert_int_equal(parse(&o, true, "1", NULL), 0);
	assert_int_equal(o.auth, AUTH_BEARER);
	options_free(&o);
	assert_int_equal(parse(&o, true, "--auth", "soticket", "1", NULL), 0);
	assert_int_equal(o.auth, AUTH_SOTICKET);
	options_free(&o);
	assert_int_equal(parse(&o, true, "--user", "bob", "1", NULL), 0);
	assert_int_equal(o.auth, AUTH_BASIC);
	options_free(&o);
	unsetenv("TICKETED_TOKEN");
	assert_int_equal(parse(&o, true, "1", NULL), 0);
	assert_int_equal(o.auth, AUTH_NONE);
	options_free(&o);
}

static void test_credentials(void **state)
{
	(void)state;
	options o;
	api_config cfg;
	char err[512];

	assert_int_equal(parse(&o, true, "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), -1);
	assert_string_equal(err, "no service URL: use --url or TICKETED_URL");
	options_free(&o);

	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "--user", "bob", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "no password for bob: set TICKETED_PASSWORD"));
	setenv("TICKETED_PASSWORD", "pw1", 1);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), 0);
	assert_int_equal(cfg.auth, AUTH_BASIC);
	assert_string_equal(cfg.user, "bob");
	assert_string_equal(cfg.secret, "pw1");
	assert_null(cfg.app_token);
	assert_string_equal(cfg.base_url, "http://h/api/v1");
	assert_int_equal(cfg.timeout_s, 30);
	options_free(&o);

	setenv("TICKETED_TOKEN", "tok2", 1);
	setenv("TICKETED_APP_TOKEN", "app3", 1);
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "--lang", "nb", "--log", "l",
	                       "--cacert", "c", "--insecure", "--timeout", "9", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), 0);
	assert_int_equal(cfg.auth, AUTH_BEARER);
	assert_string_equal(cfg.secret, "tok2");
	assert_string_equal(cfg.app_token, "app3");
	assert_string_equal(cfg.accept_language, "nb");
	assert_string_equal(cfg.log_path, "l");
	assert_string_equal(cfg.cacert, "c");
	assert_true(cfg.insecure);
	assert_int_equal(cfg.timeout_s, 9);
	options_free(&o);

	/* --app-token-env names the variable; an unset one is an error */
	setenv("MY_APP_TOKEN", "app4", 1);
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "--app-token-env", "MY_APP_TOKEN",
	                       "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), 0);
	assert_string_equal(cfg.app_token, "app4");
	options_free(&o);
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "--app-token-env", "NOT_SET_X",
	                       "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "NOT_SET_X is not set"));
	options_free(&o);

	unsetenv("TICKETED_TOKEN");
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "--auth", "bearer", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "no token for --auth bearer: set TICKETED_TOKEN"));
	options_free(&o);
	clear_env();
}

static void lang_is(const char *all, const char *msgs, const char *lang, const char *want)
{
	char out[40] = "unchanged";
	int rc = options_locale_language(all, msgs, lang, out, sizeof out);
	if (!want) {
		assert_int_equal(rc, 0);
		return;
	}
	assert_int_equal(rc, 1);
	assert_string_equal(out, want);
}

static void test_locale_language(void **state)
{
	(void)state;
	lang_is(NULL, NULL, "nb_NO.UTF-8", "nb-NO");
	lang_is(NULL, NULL, "de_DE@euro", "de-DE");
	lang_is(NULL, NULL, "sv", "sv");
	lang_is(NULL, NULL, "sr_RS.UTF-8@latin", "sr-RS");
	lang_is(NULL, NULL, "es_419.UTF-8", "es-419");
	/* LC_ALL, then LC_MESSAGES, then LANG; an empty one does not count */
	lang_is("fr_FR.UTF-8", "de_DE.UTF-8", "nb_NO.UTF-8", "fr-FR");
	lang_is("", "de_DE.UTF-8", "nb_NO.UTF-8", "de-DE");
	lang_is(NULL, "", "nb_NO.UTF-8", "nb-NO");
	/* C and POSIX have no language; LC_ALL=C wins over LANG */
	lang_is("C", NULL, "nb_NO.UTF-8", NULL);
	lang_is("C.UTF-8", NULL, NULL, NULL);
	lang_is(NULL, NULL, "POSIX", NULL);
	lang_is(NULL, NULL, NULL, NULL);
	lang_is(NULL, NULL, "", NULL);
	/* not a language: nothing, never garbage in a header */
	lang_is(NULL, NULL, "x", NULL);
	lang_is(NULL, NULL, "/usr/lib/locale/foo", NULL);
	lang_is(NULL, NULL, "nb_NO\r\nX-Injected: 1", NULL);
	lang_is(NULL, NULL, "abcdefghij_NO", NULL);
	char small[4];
	assert_int_equal(options_locale_language(NULL, NULL, "nb_NO", small, sizeof small), 0);
}

static void test_accept_language_default(void **state)
{
	(void)state;
	options o;
	api_config cfg;
	char err[512];
	/* C.UTF-8 (the tests' locale): English */
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), 0);
	assert_string_equal(cfg.accept_language, "en");
	options_free(&o);
	unsetenv("LC_ALL");
	setenv("LANG", "nb_NO.UTF-8", 1);
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), 0);
	assert_string_equal(cfg.accept_language, "nb-NO");
	options_free(&o);
	setenv("LC_MESSAGES", "sv_SE.UTF-8", 1);
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), 0);
	assert_string_equal(cfg.accept_language, "sv-SE");
	options_free(&o);
	/* --lang wins */
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "--lang", "da", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), 0);
	assert_string_equal(cfg.accept_language, "da");
	options_free(&o);
	clear_env();
}

static void test_secret_env_taken(void **state)
{
	(void)state;
	options o;
	api_config cfg;
	char err[512];
	setenv("TICKETED_PASSWORD", "Pw-Env-Secret", 1);
	char *where = getenv("TICKETED_PASSWORD");
	size_t len = strlen(where);
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "--user", "bob", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), 0);
	assert_string_equal(cfg.secret, "Pw-Env-Secret");
	/* gone from the environment, and zeroed where it was */
	assert_null(getenv("TICKETED_PASSWORD"));
	for (size_t i = 0; i < len; i++)
		assert_int_equal(where[i], 0);
	options_free(&o);

	setenv("TICKETED_TOKEN", "Tok-Env-Secret", 1);
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), 0);
	assert_string_equal(cfg.secret, "Tok-Env-Secret");
	assert_null(getenv("TICKETED_TOKEN"));
	assert_null(cfg.refresh_secret);  /* no token_command: nothing to refresh with */
	assert_non_null(strstr(cfg.auth_hint, "set TICKETED_TOKEN to a fresh one"));
	options_free(&o);
	clear_env();
}

static void test_control_chars(void **state)
{
	(void)state;
	options o;
	api_config cfg;
	char err[512];
	setenv("TICKETED_TOKEN", "tok\r\nX-Injected: 1", 1);
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), -1);
	assert_string_equal(err, "TICKETED_TOKEN holds a control character (0x0D at byte 4): refused");
	assert_null(o.secret);
	options_free(&o);
	setenv("TICKETED_TOKEN", "tok", 1);
	setenv("TICKETED_APP_TOKEN", "app\x1b", 1);
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), -1);
	assert_string_equal(err, "TICKETED_APP_TOKEN holds a control character (0x1B at byte 4): refused");
	options_free(&o);
	setenv("TICKETED_PASSWORD", "pw\n", 1);
	assert_int_equal(parse(&o, true, "--url", "http://h/api/v1", "--user", "u", "1", NULL), 0);
	assert_int_equal(options_api_config(&o, false, &cfg, err, sizeof err), -1);
	assert_string_equal(err, "TICKETED_PASSWORD holds a control character (0x0A at byte 3): refused");
	options_free(&o);
	clear_env();
}

static long ms_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Read from FD (5 s max) until BUF holds WANT; true if it does. */
static bool read_until(int fd, char *buf, size_t len, const char *want)
{
	size_t n = strlen(buf);
	long end = ms_now() + 5000;
	while (!strstr(buf, want) && ms_now() < end && n + 1 < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 100) == 1) {
			ssize_t r = read(fd, buf + n, len - 1 - n);
			if (r <= 0)
				break;
			n += (size_t)r;
			buf[n] = '\0';
		}
	}
	return strstr(buf, want) != NULL;
}

/* The child of test_reauth: a session on the pty's slave, options_reprompt
 * asks there, the client gets the typed password (api_set_secret) and sends
 * a request with it. */
static void reauth_child(const char *slave, const char *url)
{
	options o;
	char err[256];
	setsid();
	int fd = open(slave, O_RDWR);  /* the controlling terminal now */
	if (fd < 0)
		_exit(10);
	memset(&o, 0, sizeof o);
	o.auth = AUTH_BASIC;
	o.user = strdup("bob");
	o.url = strdup(url);
	api_config cfg = { .base_url = url, .auth = AUTH_BASIC, .user = "bob", .secret = "old", .timeout_s = 5 };
	api *a = api_new(&cfg, err, sizeof err);
	if (!a || options_reprompt(&o, err, sizeof err) < 0 || api_set_secret(a, o.secret, err, sizeof err) < 0)
		_exit(11);
	options_forget_secrets(&o);
	api_result *r = api_run(a, api_get_ticket(a, 3));
	int ok = r && r->ok;
	api_result_free(r);
	api_free(a);
	options_free(&o);
	_exit(ok ? 0 : 12);
}

static void test_reauth(void **state)
{
	(void)state;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = 0 };
	socklen_t sl = sizeof sa;
	char url[64], buf[8192] = "";
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(lfd, 4), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1", ntohs(sa.sin_port));
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(m >= 0);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	char slave[128];
	snprintf(slave, sizeof slave, "%s", ptsname(m));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		reauth_child(slave, url);
	/* the prompt, then the answer typed */
	assert_true(read_until(m, buf, sizeof buf, "Password for bob at "));
	assert_non_null(strstr(buf, "Wrong user name or password (HTTP 401)"));
	assert_int_equal(write(m, "Typed-Again\r", 12), 12);
	/* the request carries it */
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, 5000), 1);
	int c = accept(lfd, NULL, NULL);
	buf[0] = '\0';
	assert_true(read_until(c, buf, sizeof buf, "\r\n\r\n"));
	assert_non_null(strstr(buf, "\r\nAuthorization: Basic Ym9iOlR5cGVkLUFnYWlu\r\n"));  /* bob:Typed-Again */
	const char *ans = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"TicketId\":3}";
	assert_int_equal(write(c, ans, strlen(ans)), (ssize_t)strlen(ans));
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	/* the typed password was not echoed: after the prompt only the
	 * newline the prompt writes once it has the answer */
	buf[0] = '\0';
	assert_true(read_until(m, buf, sizeof buf, "\n"));
	assert_null(strstr(buf, "Typed-Again"));
	close(c);
	close(m);
	close(lfd);
}

/* A subcommand's own option: --NAME VALUE, --NAME=VALUE, a missing value,
 * another option that only starts the same. */
static void test_options_value(void **state)
{
	(void)state;
	char a0[] = "list", a1[] = "--top", a2[] = "5", a3[] = "--status=open", a4[] = "--topx", a5[] = "--url";
	char *argv[] = { a0, a1, a2, a3, a4, a5 };
	int argc = 6, i = 1;
	bool missing = false;
	assert_string_equal(options_value(argc, argv, &i, "--top", &missing), "5");
	assert_int_equal(i, 2);
	i = 3;
	assert_string_equal(options_value(argc, argv, &i, "--status", &missing), "open");
	assert_int_equal(i, 3);
	i = 4;
	assert_null(options_value(argc, argv, &i, "--top", &missing));
	assert_false(missing);
	i = 5;
	assert_null(options_value(argc, argv, &i, "--url", &missing));
	assert_true(missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_option, setup, teardown),
		cmocka_unit_test_setup_teardown(test_option_beats_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auth_inference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_credentials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locale_language, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_language_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_env_taken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_chars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reauth, setup, teardown),
		cmocka_unit_test(test_options_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
