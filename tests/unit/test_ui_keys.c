/* test_ui_keys.c — every key name of the replay syntax round-trips; canonical keys. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ticketed/keys.h"

static void name_is(tkey k, const char *want)
{
	char buf[32];

	assert_string_equal(key_name(k, buf, sizeof buf), want);
}

/* "<Name>" -> key -> "<Name>" */
static void roundtrip(const char *bracketed, tkey want)
{
	char inner[32], buf[32];
	size_t n = strlen(bracketed);

	assert_true(n > 2 && n < sizeof inner);
	memcpy(inner, bracketed + 1, n - 2);
	inner[n - 2] = '\0';
	if (key_parse_name(inner) != want)
		fail_msg("%s parsed to %d, want %d", bracketed, key_parse_name(inner), want);
	assert_string_equal(tkey_name(want, buf, sizeof buf), bracketed);
}

static void test_spec_names(void **state)
{
	char name[16], br[20];

	(void)state;
	roundtrip("<Up>", TK_FN(KEY_UP));
	roundtrip("<Down>", TK_FN(KEY_DOWN));
	roundtrip("<Left>", TK_FN(KEY_LEFT));
	roundtrip("<Right>", TK_FN(KEY_RIGHT));
	roundtrip("<Home>", TK_FN(KEY_HOME));
	roundtrip("<End>", TK_FN(KEY_END));
	roundtrip("<PgUp>", TK_FN(KEY_PPAGE));
	roundtrip("<PgDn>", TK_FN(KEY_NPAGE));
	roundtrip("<Enter>", TK_ENTER);
	roundtrip("<Esc>", TK_ESC);
	roundtrip("<Tab>", '\t');
	roundtrip("<S-Tab>", TK_FN(KEY_BTAB));
	roundtrip("<BS>", TK_FN(KEY_BACKSPACE));
	roundtrip("<Del>", TK_FN(KEY_DC));
	roundtrip("<Space>", ' ');
	roundtrip("<lt>", '<');
	roundtrip("<Resize>", TK_FN(KEY_RESIZE));
	roundtrip("<Ins>", TK_FN(KEY_IC));
	for (int f = 1; f <= 12; f++) {
		snprintf(br, sizeof br, "<F%d>", f);
		roundtrip(br, TK_FN(KEY_F(f)));
	}
	for (char c = 'a'; c <= 'z'; c++) {
		tkey k = TK_CTRL(c);

		snprintf(name, sizeof name, "C-%c", c);
		if (c == 'h' || c == 'i' || c == 'j' || c == 'm')
			continue;  /* aliases, below */
		snprintf(br, sizeof br, "<%s>", name);
		roundtrip(br, k);
	}
}

static void test_aliases(void **state)
{
	(void)state;
	/* C-i is Tab, C-j and C-m are Enter, C-h is Backspace (keys.h) */
	assert_int_equal(key_parse_name("C-i"), '\t');
	assert_int_equal(key_parse_name("C-j"), TK_ENTER);
	assert_int_equal(key_parse_name("C-m"), TK_ENTER);
	assert_int_equal(key_parse_name("C-h"), TK_FN(KEY_BACKSPACE));
	/* case-insensitive */
	assert_int_equal(key_parse_name("enter"), TK_ENTER);
	assert_int_equal(key_parse_name("C-S"), TK_CTRL('s'));
	assert_int_equal(key_parse_name("c-s"), TK_CTRL('s'));
	assert_int_equal(key_parse_name("f2"), TK_FN(KEY_F(2)));
	assert_int_equal(key_parse_name("U+0023"), '#');
	assert_int_equal(key_parse_name("u+e9"), 0xe9);
	assert_int_equal(key_parse_name("U+000D"), TK_ENTER);
	assert_int_equal(key_parse_name("F13"), TK_FN(KEY_F(13)));
	assert_int_equal(key_parse_name("Key-338"), TK_FN(338));
}

static void test_unknown(void **state)
{
	(void)state;
	assert_int_equal(key_parse_name(""), TK_NONE);
	assert_int_equal(key_parse_name("Foo"), TK_NONE);
	assert_int_equal(key_parse_name("C-"), TK_NONE);
	assert_int_equal(key_parse_name("C-1"), TK_NONE);
	assert_int_equal(key_parse_name("C-ab"), TK_NONE);
	assert_int_equal(key_parse_name("F0"), TK_NONE);
	assert_int_equal(key_parse_name("F01"), TK_NONE);
	assert_int_equal(key_parse_name("F64"), TK_NONE);
	assert_int_equal(key_parse_name("F"), TK_NONE);
	assert_int_equal(key_parse_name("F-1"), TK_NONE);
	assert_int_equal(key_parse_name("U+D800"), TK_NONE);
	assert_int_equal(key_parse_name("U+110000"), TK_NONE);
	assert_int_equal(key_parse_name("U+"), TK_NONE);
	assert_int_equal(key_parse_name("U+ 41"), TK_NONE);
	assert_int_equal(key_parse_name("Key-x"), TK_NONE);
	assert_int_equal(key_parse_name(NULL), TK_NONE);
}

static void test_names_of_chars(void **state)
{
	(void)state;
	name_is('a', "a");
	name_is('Z', "Z");
	name_is('#', "#");
	name_is(0xe9, "\xc3\xa9");            /* é */
	name_is(0x4e2d, "\xe4\xb8\xad");      /* 中 */
	name_is(0x1f600, "\xf0\x9f\x98\x80"); /* 😀 */
	name_is('\r', "<Enter>");
	name_is(127, "<BS>");
	name_is(8, "<BS>");
	name_is(0, "<U+0000>");
	name_is(28, "<U+001C>");
	name_is(0x85, "<U+0085>");
	name_is(0x202e, "<U+202E>");
	name_is(TK_FN(KEY_F(20)), "<F20>");
	name_is(TK_FN(KEY_SLEFT), "<Key-393>");
	name_is(TK_NONE, "<none>");
}

static void test_normalize(void **state)
{
	(void)state;
	assert_int_equal(key_normalize('\r'), TK_ENTER);
	assert_int_equal(key_normalize(TK_FN(KEY_ENTER)), TK_ENTER);
	assert_int_equal(key_normalize(127), TK_FN(KEY_BACKSPACE));
	assert_int_equal(key_normalize(8), TK_FN(KEY_BACKSPACE));
	assert_int_equal(key_normalize('x'), 'x');
	assert_int_equal(key_from_curses(KEY_CODE_YES, KEY_UP), TK_FN(KEY_UP));
	assert_int_equal(key_from_curses(KEY_CODE_YES, KEY_ENTER), TK_ENTER);
	assert_int_equal(key_from_curses(KEY_CODE_YES, KEY_BACKSPACE), TK_FN(KEY_BACKSPACE));
	assert_int_equal(key_from_curses(OK, '\r'), TK_ENTER);
	assert_int_equal(key_from_curses(OK, 0x4e2d), 0x4e2d);
	assert_int_equal(key_from_curses(OK, 27), TK_ESC);
	assert_int_equal(key_from_curses(ERR, 0), TK_NONE);
}

static void test_small_buffer(void **state)
{
	char buf[4];

	(void)state;
	tkey_name(TK_FN(KEY_F(12)), buf, sizeof buf);
	assert_string_equal(buf, "<F1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_names),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_names_of_chars),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_small_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
