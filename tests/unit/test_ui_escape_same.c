/* test_ui_escape_same.c — core/escape.c with ESC_WIDTH gives the same
 * visible escapes as the form's sanitiser (ui/text.c text_sanitize), so a
 * message reads the same on the status line, on stderr and in --log. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <cmocka.h>

#include "ticketed/escape.h"
#include "ticketed/text.h"

static void test_same_as_text_sanitize(void **state)
{
	(void)state;
	static const char *const in[] = {
		"plain", "æøå ✓ 漢字", "\x1b[2J\x1b]52;c;x\x07", "a\r\nb\tc", "\x01\x1f\x7f",
		"\xc2\x9b" "31m", "\xc2\x80\xc2\x9f", "\xe2\x80\xae" "x\xe2\x80\x8f\xe2\x81\xa6\xef\xbb\xbf",
		"\xff\xfe\xc0\xaf\xed\xa0\x80", "cut \xe2\x82", "\x9b", "e\xcc\x81" /* combining */,
		"zw\xe2\x80\x8bj", "\xf0\x9f\x98\x80",
	};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		char *a = esc_dup(in[i], strlen(in[i]), ESC_WIDTH);
		char *b = text_sanitize(in[i], -1);
		assert_non_null(a);
		assert_non_null(b);
		if (strcmp(a, b))
			fail_msg("input %zu: escape.c \"%s\", text.c \"%s\"", i, a, b);
		free(a);
		free(b);
	}
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_text_sanitize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
