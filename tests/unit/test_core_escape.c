/* test_core_escape.c — the byte-level sanitiser for logs, stderr and the
 * client's messages: every control character, C1 code point (U+009B as
 * UTF-8 "\xc2\x9b"), invalid UTF-8 and bidi control becomes a visible,
 * printable-ASCII escape; clean text passes unchanged; cutting never splits
 * an escape or a character; escaping twice changes nothing; the first
 * control character of a credential is found. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ticketed/escape.h"

static void is(const char *in, size_t len, const char *want)
{
	char *got = esc_dup(in, len, 0);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}
#define IS(lit, want) is(lit, sizeof lit - 1, want)

static void test_controls(void **state)
{
	(void)state;
	IS("plain text, æøå ✓", "plain text, æøå ✓");
	IS("a\x1b[2Jb", "a^[[2Jb");
	IS("\x1b]52;c;aGk=\x07", "^[]52;c;aGk=^G");
	IS("line\r\nforged: ok", "line\\r\\nforged: ok");
	IS("tab\there", "tab\\there");
	IS("\x01\x1f\x7f", "^A^_^?");
	IS("nul\0byte", "nul^@byte");
	IS("csi \xc2\x9b" "31m", "csi \\x9B31m");
	IS("\xc2\x80\xc2\x9f", "\\x80\\x9F");
	IS("bidi \xe2\x80\xae" "evil", "bidi <U+202E>evil");
	IS("\xe2\x80\x8f\xe2\x81\xa6\xef\xbb\xbf\xe2\x80\xa8", "<U+200F><U+2066><U+FEFF><U+2028>");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	IS("\xff\xfe", "\\xFF\\xFE");
	IS("\xc0\xaf", "\\xC0\\xAF");               /* overlong '/' */
	IS("\xed\xa0\x80", "\\xED\\xA0\\x80");      /* a surrogate */
	IS("cut \xe2\x82", "cut \\xE2\\x82");       /* a character cut short */
	IS("\x9b" "31m", "\\x9B31m");               /* a bare C1 byte */
	IS("\xf4\x90\x80\x80", "\\xF4\\x90\\x80\\x80"); /* beyond U+10FFFF */
	IS("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"); /* a valid 4-byte character */
}

static void test_idempotent_and_clean(void **state)
{
	(void)state;
	const char in[] = "x\x1b[1m\xc2\x9b\xe2\x80\xae\xff\n";
	char *once = esc_dup(in, sizeof in - 1, 0);
	char *twice = esc_dup(once, strlen(once), 0);
	assert_string_equal(once, twice);
	assert_true(esc_clean(once, strlen(once), 0));
	assert_false(esc_clean(in, sizeof in - 1, 0));
	assert_true(esc_clean("Ticket 900 not found: ø", 24, 0));
	for (const char *p = once; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	free(once);
	free(twice);
}

static void test_bounded(void **state)
{
	(void)state;
	char out[8];
	/* an escape that does not fit is left out whole */
	assert_int_equal(esc_buf("abcdef\x1b", 7, 0, out, sizeof out), 6);
	assert_string_equal(out, "abcdef");
	assert_int_equal(esc_buf("abcde\x1b", 6, 0, out, sizeof out), 7);
	assert_string_equal(out, "abcde^[");
	/* a character is never split */
	assert_int_equal(esc_buf("abcde\xc3\xa5\xc3\xa5", 9, 0, out, sizeof out), 7);
	assert_string_equal(out, "abcde\xc3\xa5");
	assert_int_equal(esc_buf("", 0, 0, out, 1), 0);
	assert_string_equal(out, "");
	/* LEN counts, not the NUL */
	assert_int_equal(esc_buf("ab\0cd", 5, 0, out, sizeof out), 6);
	assert_string_equal(out, "ab^@cd");
}

static void test_unit(void **state)
{
	(void)state;
	char esc[ESC_MAX];
	uint32_t cp;
	assert_int_equal(esc_unit("\xc3\xa5", 2, 0, 0, &cp, esc), 2);
	assert_string_equal(esc, "");
	assert_int_equal(cp, 0xe5);
	assert_int_equal(esc_unit("\xc2\x9b", 2, 0, 0, &cp, esc), 2);
	assert_string_equal(esc, "\\x9B");
	assert_int_equal(esc_unit("\xc2", 1, 0, 0, &cp, esc), 1);
	assert_string_equal(esc, "\\xC2");
}

static void test_find_control(void **state)
{
	(void)state;
	assert_int_equal(esc_find_control("8A:Cust12345.AGYA=="), -1);
	assert_int_equal(esc_find_control("tok\r\nX-Injected: 1"), 3);
	assert_int_equal(esc_find_control("\x7f"), 0);
	assert_int_equal(esc_find_control("tab\there"), 3);
	assert_int_equal(esc_find_control("pässwörd"), -1);
	assert_int_equal(esc_find_control(""), -1);
}

/* Encoding is the inverse of decoding at every length (1 to 4 bytes). */
static void test_utf8_encode(void **state)
{
	(void)state;
	static const uint32_t cps[] = { 0x41, 0x7f, 0x80, 0xe6, 0x7ff, 0x800, 0x2026, 0xfffd, 0xffff, 0x10000,
	                                0x1f600, 0x10ffff };
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char buf[4];
		uint32_t back = 0;
		size_t n = esc_utf8_encode(cps[i], buf);
		assert_int_equal(n, cps[i] < 0x80 ? 1 : cps[i] < 0x800 ? 2 : cps[i] < 0x10000 ? 3 : 4);
		assert_int_equal(esc_utf8_decode(buf, n, 0, &back), n);
		assert_int_equal(back, cps[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_idempotent_and_clean),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_unit),
		cmocka_unit_test(test_find_control),
		cmocka_unit_test(test_utf8_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
