/* test_app_options.c — the command line of SPEC 6: every option, option over
 * environment, every bad value, --password refused, auth inference and
 * credential resolution. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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
	                              "TICKETED_CONFIG", "MY_APP_TOKEN" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	setenv("XDG_CONFIG_HOME", "/nonexistent/ticketed-test", 1);
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
	                       "900", NULL), 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_option, setup, teardown),
		cmocka_unit_test_setup_teardown(test_option_beats_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auth_inference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_credentials, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
