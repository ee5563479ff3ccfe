/* test_ui_replay.c — replay lines: keys, every directive, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ticketed/replay.h"

static rp_line parse_ok(const char *s)
{
	rp_line l;
	char err[200] = "";

	if (replay_parse_line(s, 7, &l, err, sizeof err) != 0)
		fail_msg("\"%s\": %s", s, err);
	assert_int_equal(l.lineno, 7);
	return l;
}

static void parse_bad(const char *s, const char *needle)
{
	rp_line l;
	char err[200] = "";

	if (replay_parse_line(s, 3, &l, err, sizeof err) != -1)
		fail_msg("\"%s\" parsed", s);
	if (!strstr(err, needle))
		fail_msg("\"%s\": error \"%s\" lacks \"%s\"", s, err, needle);
	assert_null(l.keys);
	assert_null(l.arg);
	assert_null(l.text);
}

static void keys_are(const char *s, const tkey *want, size_t n)
{
	rp_line l = parse_ok(s);

	assert_int_equal(l.kind, RP_KEYS);
	assert_int_equal(l.nkeys, n);
	for (size_t i = 0; i < n; i++)
		if (l.keys[i] != want[i])
			fail_msg("\"%s\" key %zu: %d, want %d", s, i, l.keys[i], want[i]);
	rp_line_free(&l);
}

static void test_keys(void **state)
{
	(void)state;
	keys_are("/Title<Enter>", (tkey[]){ '/', 'T', 'i', 't', 'l', 'e', '\n' }, 7);
	keys_are("<Enter><C-u>Hi there<Enter>",
	         (tkey[]){ '\n', TK_CTRL('u'), 'H', 'i', ' ', 't', 'h', 'e', 'r', 'e', '\n' }, 11);
	keys_are("a<lt>b>", (tkey[]){ 'a', '<', 'b', '>' }, 4);
	keys_are("<S-Tab><F2><BS><Del><Space><PgDn>",
	         (tkey[]){ TK_FN(KEY_BTAB), TK_FN(KEY_F(2)), TK_FN(KEY_BACKSPACE), TK_FN(KEY_DC), ' ',
	                   TK_FN(KEY_NPAGE) }, 6);
	keys_are("\xc3\xa9\xe4\xb8\xad!", (tkey[]){ 0xe9, 0x4e2d, '!' }, 3);
	keys_are("x\r", (tkey[]){ 'x' }, 1);        /* CRLF files */
	keys_are(" q", (tkey[]){ ' ', 'q' }, 2);    /* spaces are keys */
	keys_are("<U+0023>", (tkey[]){ '#' }, 1);
	keys_are("a#b", (tkey[]){ 'a', '#', 'b' }, 3);
}

static void test_nop(void **state)
{
	rp_line l;

	(void)state;
	l = parse_ok("");
	assert_int_equal(l.kind, RP_NOP);
	l = parse_ok("# a comment <Nonsense>");
	assert_int_equal(l.kind, RP_NOP);
	l = parse_ok("   \t ");
	assert_int_equal(l.kind, RP_NOP);
	l = parse_ok("\r");
	assert_int_equal(l.kind, RP_NOP);
}

static void test_key_errors(void **state)
{
	(void)state;
	parse_bad("ab<Nope>", "unknown key <Nope> at column 3");
	parse_bad("a < b", "'<' at column 3 does not start a key name (write <lt>");
	parse_bad("a<", "'<' at column 2");
	parse_bad("<>", "'<' at column 1");
	parse_bad("\xc3\xa9<Enter", "'<' at column 2");
	parse_bad("a\tb", "control character \\x09 at column 2");
	parse_bad("a\x1b", "control character \\x1B at column 2");
	parse_bad("ab\xff", "invalid UTF-8 (byte \\xFF) at column 3");
	parse_bad("\xe4\xb8", "invalid UTF-8");
	parse_bad(":expect screen \"\xc0\xaf\"", "invalid UTF-8");
}

static void test_expect_text(void **state)
{
	rp_line l;

	(void)state;
	l = parse_ok(":expect screen \"Saved\"");
	assert_int_equal(l.kind, RP_EXPECT_SCREEN);
	assert_string_equal(l.text, "Saved");
	rp_line_free(&l);
	l = parse_ok(":expect   no-screen  \"a \\\"q\\\" \\\\ \\n\\t\\e.\"  ");
	assert_int_equal(l.kind, RP_EXPECT_NO_SCREEN);
	assert_string_equal(l.text, "a \"q\" \\ \n\t\x1b.");
	rp_line_free(&l);
	l = parse_ok(":expect screen \"\"");
	assert_string_equal(l.text, "");
	rp_line_free(&l);
}

static void test_expect_field(void **state)
{
	rp_line l;

	(void)state;
	l = parse_ok(":expect field Title \"Printer on fire\"");
	assert_int_equal(l.kind, RP_EXPECT_FIELD);
	assert_string_equal(l.arg, "Title");
	assert_string_equal(l.text, "Printer on fire");
	rp_line_free(&l);
	l = parse_ok(":expect field CustomFields/x_note \"\"");
	assert_string_equal(l.arg, "CustomFields/x_note");
	rp_line_free(&l);
	l = parse_ok(":expect field \"CustomFields/a b\" \"v\"");
	assert_string_equal(l.arg, "CustomFields/a b");
	assert_string_equal(l.text, "v");
	rp_line_free(&l);
}

static void test_expect_numbers(void **state)
{
	rp_line l;

	(void)state;
	l = parse_ok(":expect status 200");
	assert_int_equal(l.kind, RP_EXPECT_STATUS);
	assert_int_equal(l.num, 200);
	l = parse_ok(":expect modified 0");
	assert_int_equal(l.kind, RP_EXPECT_MODIFIED);
	assert_int_equal(l.num, 0);
	l = parse_ok(":expect exit 3");
	assert_int_equal(l.kind, RP_EXPECT_EXIT);
	assert_int_equal(l.num, 3);
	l = parse_ok(":expect conflicts 2");
	assert_int_equal(l.kind, RP_EXPECT_CONFLICTS);
	assert_int_equal(l.num, 2);
	l = parse_ok(":expect conflict Title");
	assert_int_equal(l.kind, RP_EXPECT_CONFLICT);
	assert_string_equal(l.arg, "Title");
	rp_line_free(&l);
	l = parse_ok(":resize 100 30");
	assert_int_equal(l.kind, RP_RESIZE);
	assert_int_equal(l.num, 100);
	assert_int_equal(l.num2, 30);
	l = parse_ok(":dump /tmp/screen.txt");
	assert_int_equal(l.kind, RP_DUMP);
	assert_string_equal(l.arg, "/tmp/screen.txt");
	rp_line_free(&l);
	l = parse_ok(":dump \"my screen.txt\"\r");
	assert_string_equal(l.arg, "my screen.txt");
	rp_line_free(&l);
}

static void test_directive_errors(void **state)
{
	(void)state;
	parse_bad(":bogus", "unknown directive ':bogus'");
	parse_bad(":", "unknown directive ':'");
	/* messages never carry raw control or bidi characters */
	parse_bad(":bo\x01gus", "unknown directive ':bo\\x01gus'");
	parse_bad(":expect \xe2\x80\xae", "unknown expectation '\\xE2\\x80\\xAE'");
	parse_bad(":expect screen \xc3\xa9", "found U+00E9");
	parse_bad(":expect", "unknown expectation '' at column 8");
	parse_bad(":expect sceen \"x\"", "unknown expectation 'sceen' at column 9");
	parse_bad(":expect screen", "expected TEXT in double quotes at column 15, found end of line");
	parse_bad(":expect screen Saved", "expected TEXT in double quotes at column 16, found 'S'");
	parse_bad(":expect screen \"Saved", "unterminated string: the '\"' at column 16");
	parse_bad(":expect screen \"a\\qb\"", "unknown escape 'q' after '\\' at column 18");
	parse_bad(":expect screen \"a\\", "unknown escape end of line");
	parse_bad(":expect screen \"a\" junk", "unexpected 'j' at column 20 after the directive");
	parse_bad(":expect field", "expected PATH at column 14");
	parse_bad(":expect field Title", "expected VALUE in double quotes");
	parse_bad(":expect field Title Printer", "expected VALUE in double quotes at column 21");
	parse_bad(":expect status", "expected CODE (a number) at column 15, found end of line");
	parse_bad(":expect status abc", "expected CODE (a number) at column 16, found 'a'");
	parse_bad(":expect status 20x", "expected CODE (a number) at column 18, found 'x'");
	parse_bad(":expect status -1", "expected CODE (a number)");
	parse_bad(":expect status 1000", "CODE 1000 at column 16 out of range (0..999)");
	parse_bad(":expect status 99999999999999999999999", "out of range");
	parse_bad(":expect exit 256", "out of range (0..255)");
	parse_bad(":expect modified", "expected N (a number)");
	parse_bad(":expect conflicts x", "expected N (a number)");
	parse_bad(":expect conflict", "expected FIELD at column 17");
	parse_bad(":expect conflict A B", "unexpected 'B'");
	parse_bad(":resize 80", "expected ROWS (a number) at column 11, found end of line");
	parse_bad(":resize 0 24", "COLS 0 at column 9 out of range");
	parse_bad(":resize 80 24 1", "unexpected '1' at column 15");
	parse_bad(":dump", "expected FILE at column 6");
	parse_bad(":dump \"\"", "expected FILE");
}

static void test_format_key(void **state)
{
	char buf[64] = "";
	const tkey keys[] = { '#', 'a', '<', ' ', '\n', TK_CTRL('s'), 0xe9, TK_FN(KEY_F(2)), '#', ':' };
	rp_line l;
	char err[100];

	(void)state;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		replay_format_key(keys[i], buf, sizeof buf);
	assert_string_equal(buf, "<U+0023>a<lt><Space><Enter><C-s>\xc3\xa9<F2>#:");
	/* what --record writes reads back as the same keys */
	assert_int_equal(replay_parse_line(buf, 1, &l, err, sizeof err), 0);
	assert_int_equal(l.kind, RP_KEYS);
	assert_int_equal(l.nkeys, sizeof keys / sizeof keys[0]);
	assert_memory_equal(l.keys, keys, sizeof keys);
	rp_line_free(&l);
	buf[0] = '\0';
	replay_format_key(':', buf, sizeof buf);
	assert_string_equal(buf, "<U+003A>");
	/* a key that does not fit is not written half */
	{
		char small[6] = "abc";

		replay_format_key(TK_FN(KEY_F(12)), small, sizeof small);
		assert_string_equal(small, "abc");
		replay_format_key('d', small, sizeof small);
		assert_string_equal(small, "abcd");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_nop),
		cmocka_unit_test(test_key_errors),
		cmocka_unit_test(test_expect_text),
		cmocka_unit_test(test_expect_field),
		cmocka_unit_test(test_expect_numbers),
		cmocka_unit_test(test_directive_errors),
		cmocka_unit_test(test_format_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
