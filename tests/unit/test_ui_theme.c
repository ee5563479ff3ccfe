/* test_ui_theme.c — theme parsing, errors with line numbers, the shipped
 * themes (read from $TOP/themes), search order, applying and fallback. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <locale.h>
#include <cmocka.h>

#include "ticketed/theme.h"
#include "testutil.h"

static void parse_bad(const char *text, const char *want)
{
	theme t;
	char err[300] = "";

	if (theme_parse(text, "x.theme", &t, err, sizeof err) != -1)
		fail_msg("parsed: %s", text);
	if (!strstr(err, want))
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

static void test_parse_basic(void **state)
{
	theme t;
	char err[200] = "";

	(void)state;
	assert_int_equal(theme_parse("# c\n\n  color header white blue bold underline # why\r\n"
	                             "color cursor 200 default reverse\n"
	                             "\tcolor\tvalue\tdefault\tdefault", "my.theme", &t, err,
	                             sizeof err), 0);
	assert_string_equal(t.name, "my");
	assert_int_equal(t.rule[ROLE_HEADER].fg, COLOR_WHITE);
	assert_int_equal(t.rule[ROLE_HEADER].bg, COLOR_BLUE);
	assert_int_equal(t.rule[ROLE_HEADER].attr, A_BOLD | A_UNDERLINE);
	assert_int_equal(t.rule[ROLE_CURSOR].fg, 200);
	assert_int_equal(t.rule[ROLE_CURSOR].bg, -1);
	assert_int_equal(t.rule[ROLE_VALUE].attr, A_NORMAL);
	assert_int_equal(t.colors_needed, 256);
	/* roles not mentioned keep the mono defaults */
	assert_int_equal(t.rule[ROLE_MODIFIED].attr, A_BOLD);
	assert_int_equal(t.rule[ROLE_MODIFIED].fg, -1);
}

static int needs(const char *text)
{
	theme t;
	char err[200] = "";

	if (theme_parse(text, "n.theme", &t, err, sizeof err) != 0)
		fail_msg("%s", err);
	return t.colors_needed;
}

static void test_colors_needed(void **state)
{
	(void)state;
	assert_int_equal(needs(""), 0);
	assert_int_equal(needs("color label default default bold"), 0);
	assert_int_equal(needs("color label red default"), 8);
	assert_int_equal(needs("color label 7 0"), 8);
	assert_int_equal(needs("color label bright-red default"), 16);
	assert_int_equal(needs("color label 15 default"), 16);
	assert_int_equal(needs("color label 8 default"), 16);
	assert_int_equal(needs("color label default 16"), 256);
	assert_int_equal(needs("color label red 255\ncolor value bright-blue default"), 256);
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_bad("\n# ok\ncolour header red blue", "x.theme:3: unknown keyword 'colour'");
	parse_bad("color headr red blue", "x.theme:1: unknown role 'headr'");
	parse_bad("color header red", "x.theme:1: missing background colour");
	parse_bad("color header", "x.theme:1: missing foreground and background colours");
	parse_bad("color", "x.theme:1: missing role");
	parse_bad("color header pink blue", "x.theme:1: unknown colour 'pink'");
	parse_bad("color header red 256", "unknown colour '256'");
	parse_bad("color header red 007", "unknown colour '007'");
	parse_bad("color header red -1", "unknown colour '-1'");
	parse_bad("color header bright-pink red", "unknown colour 'bright-pink'");
	parse_bad("color header bright-default red", "unknown colour");
	parse_bad("color header red blue blink", "x.theme:1: unknown attribute 'blink'");
	parse_bad("color header red blue bold bold bold bold bold", "too many words");
	parse_bad("\n\ncolor header red blue\njunk", "x.theme:4: unknown keyword 'junk'");
	parse_bad("color Header red blue", "unknown role 'Header'");
	/* a theme cannot put escapes on the terminal, not even in a message */
	parse_bad("color header \x1b[31m blue", "unknown colour '\\x1B[31m'");
	parse_bad("color \xe2\x80\xae red blue", "unknown role '\\xE2\\x80\\xAE'");
}

static void test_error_no_raw_bytes(void **state)
{
	theme t;
	char err[300] = "";

	(void)state;
	assert_int_equal(theme_parse("color header red \x1b]0;x\x07\x9b", "e.theme", &t, err, sizeof err), -1);
	for (const char *p = err; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = calloc(1, 65537);
	n = fread(buf, 1, 65536, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_shipped_themes(void **state)
{
	static const struct {
		const char *name;
		int needs;
	} shipped[] = {
		{ "default", 8 }, { "dark", 256 }, { "light", 256 }, { "high-contrast", 16 }, { "mono", 0 },
	};
	const char *top = getenv("TOP");
	char path[1024], err[300], rolekey[64];

	(void)state;
	if (!top)
		top = ".";
	for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
		theme t;
		char *text;

		snprintf(path, sizeof path, "%s/themes/%s.theme", top, shipped[i].name);
		text = read_file(path);
		if (!text)
			fail_msg("cannot read %s", path);
		if (theme_parse(text, path, &t, err, sizeof err) != 0)
			fail_msg("%s", err);
		assert_string_equal(t.name, shipped[i].name);
		assert_int_equal(t.colors_needed, shipped[i].needs);
		/* every role is set explicitly in every shipped theme */
		for (int r = 0; r < ROLE_COUNT; r++) {
			snprintf(rolekey, sizeof rolekey, "\ncolor %s ", theme_role_names[r]);
			if (!strstr(text, rolekey))
				fail_msg("%s does not set role %s", path, theme_role_names[r]);
		}
		free(text);
	}
}

static void test_mono_distinguishable(void **state)
{
	theme m, f;
	char path[1024], err[300], *text;
	const char *top = getenv("TOP");

	(void)state;
	theme_mono(&m);
	assert_int_equal(m.colors_needed, 0);
	assert_true(m.rule[ROLE_MODIFIED].attr & A_BOLD);
	assert_true(m.rule[ROLE_READONLY].attr & A_DIM);
	assert_true(m.rule[ROLE_CURSOR].attr & A_REVERSE);
	assert_true(m.rule[ROLE_CONTROL_CHAR].attr & (A_REVERSE | A_UNDERLINE));
	assert_true(m.rule[ROLE_ERROR].attr & A_BOLD);
	assert_true(m.rule[ROLE_POPUP_SELECTED].attr & A_REVERSE);
	assert_int_not_equal(m.rule[ROLE_VALUE].attr, m.rule[ROLE_MODIFIED].attr);
	assert_int_not_equal(m.rule[ROLE_VALUE].attr, m.rule[ROLE_READONLY].attr);
	assert_int_not_equal(m.rule[ROLE_VALUE].attr, m.rule[ROLE_INVALID].attr);
	assert_int_not_equal(m.rule[ROLE_VALUE].attr, m.rule[ROLE_CONTROL_CHAR].attr);
	assert_int_not_equal(m.rule[ROLE_DIFF_ADD].attr, m.rule[ROLE_DIFF_REMOVE].attr);
	assert_int_not_equal(m.rule[ROLE_CONFLICT_MINE].attr, m.rule[ROLE_CONFLICT_THEIRS].attr);
	for (int r = 0; r < ROLE_COUNT; r++) {
		assert_int_equal(m.rule[r].fg, -1);
		assert_int_equal(m.rule[r].bg, -1);
	}
	/* the shipped mono.theme is the built-in one */
	snprintf(path, sizeof path, "%s/themes/mono.theme", top ? top : ".");
	assert_non_null(text = read_file(path));
	assert_int_equal(theme_parse(text, path, &f, err, sizeof err), 0);
	for (int r = 0; r < ROLE_COUNT; r++)
		if (f.rule[r].attr != m.rule[r].attr)
			fail_msg("mono.theme role %s differs from theme_mono", theme_role_names[r]);
	free(text);
}

static void test_load_search(void **state)
{
	char dir[] = "/tmp/theme-test.XXXXXX", a[300], b[300], p[400], err[600];
	theme t;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof a, "%s/env", dir);
	snprintf(b, sizeof b, "%s/xdg", dir);
	mkdir(a, 0700);
	mkdir(b, 0700);
	snprintf(p, sizeof p, "%s/ticketed", b);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/ticketed/themes", b);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/ticketed/themes/both.theme", b);
	tu_write_file(p, "color label green default\n");
	snprintf(p, sizeof p, "%s/ticketed/themes/xdgonly.theme", b);
	tu_write_file(p, "color label blue default\n");
	snprintf(p, sizeof p, "%s/both.theme", a);
	tu_write_file(p, "color label red default\n");
	snprintf(p, sizeof p, "%s/broken.theme", a);
	tu_write_file(p, "color label red default\ncolor nope red default\n");
	setenv("TICKETED_THEMES", a, 1);
	setenv("XDG_CONFIG_HOME", b, 1);

	/* $TICKETED_THEMES first, then $XDG_CONFIG_HOME/ticketed/themes */
	assert_int_equal(theme_load("both", &t, err, sizeof err), 0);
	assert_int_equal(t.rule[ROLE_LABEL].fg, COLOR_RED);
	assert_int_equal(theme_load("xdgonly", &t, err, sizeof err), 0);
	assert_int_equal(t.rule[ROLE_LABEL].fg, COLOR_BLUE);
	assert_string_equal(t.name, "xdgonly");
	/* a file's error names the file and line */
	assert_int_equal(theme_load("broken", &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "broken.theme:2: unknown role 'nope'"));
	/* a path */
	snprintf(p, sizeof p, "%s/both.theme", a);
	assert_int_equal(theme_load(p, &t, err, sizeof err), 0);
	assert_int_equal(t.rule[ROLE_LABEL].fg, COLOR_RED);
	snprintf(p, sizeof p, "%s/missing.theme", a);
	assert_int_equal(theme_load(p, &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "No such file"));
	/* names that could escape the directories are refused */
	assert_int_equal(theme_load("..", &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad theme name"));
	assert_int_equal(theme_load("", &t, err, sizeof err), -1);
	assert_int_equal(theme_load("nosuch", &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "theme 'nosuch' not found"));
	/* ./themes last: the shipped ones, when run from the top directory */
	if (getenv("TOP") && chdir(getenv("TOP")) == 0) {
		assert_int_equal(theme_load("dark", &t, err, sizeof err), 0);
		assert_int_equal(t.colors_needed, 256);
	}
	unsetenv("TICKETED_THEMES");
	snprintf(p, sizeof p, "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

/* theme_apply on a headless screen of terminal type TERMNAME. */
static SCREEN *open_term(const char *termname, FILE **o, FILE **i)
{
	SCREEN *s;

	*o = fopen("/dev/null", "w");
	*i = fopen("/dev/null", "r");
	s = newterm(termname, *o, *i);
	if (s)
		start_color();
	return s;
}

static void close_term(SCREEN *s, FILE *o, FILE *i)
{
	endwin();
	delscreen(s);
	fclose(o);
	fclose(i);
}

static void test_apply(void **state)
{
	theme t, m;
	attr_t attrs[ROLE_COUNT];
	char err[200];
	FILE *o, *i;
	SCREEN *s;

	(void)state;
	theme_mono(&m);
	assert_int_equal(theme_parse("color header white blue bold\ncolor cursor 200 default\n",
	                             "t.theme", &t, err, sizeof err), 0);
	s = open_term("xterm-256color", &o, &i);
	if (!s)
		skip();
	assert_true(theme_apply(&t, true, attrs));
	assert_int_equal(PAIR_NUMBER(attrs[ROLE_HEADER]), ROLE_HEADER + 1);
	assert_true(attrs[ROLE_HEADER] & A_BOLD);
	{
		short fg, bg;

		pair_content(ROLE_CURSOR + 1, &fg, &bg);
		assert_int_equal(fg, 200);
		assert_int_equal(bg, -1);
	}
	/* roles without colours are attributes only */
	assert_int_equal(attrs[ROLE_MODIFIED], A_BOLD);
	/* NO_COLOR / --no-color: mono */
	assert_false(theme_apply(&t, false, attrs));
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_int_equal(attrs[r], m.rule[r].attr);
	close_term(s, o, i);

	/* a 256-colour theme on an 8-colour terminal falls back to mono */
	s = open_term("xterm", &o, &i);
	if (!s)
		skip();
	assert_int_equal(COLORS, 8);
	assert_false(theme_apply(&t, true, attrs));
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_int_equal(attrs[r], m.rule[r].attr);
	assert_int_equal(theme_parse("color header white blue bold\n", "t8.theme", &t, err, sizeof err), 0);
	assert_true(theme_apply(&t, true, attrs));
	close_term(s, o, i);

	/* a terminal without colours */
	s = open_term("vt100", &o, &i);
	if (!s)
		skip();
	assert_false(theme_apply(&t, true, attrs));
	assert_int_equal(attrs[ROLE_CURSOR], A_REVERSE);
	close_term(s, o, i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_colors_needed),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_error_no_raw_bytes),
		cmocka_unit_test(test_shipped_themes),
		cmocka_unit_test(test_mono_distinguishable),
		cmocka_unit_test(test_load_search),
		cmocka_unit_test(test_apply),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
