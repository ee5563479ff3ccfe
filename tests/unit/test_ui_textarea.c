/* test_ui_textarea.c — the built-in multi-line editor: typing and new
 * lines, moving by character, line (Home/End of the line), row (Up/Down
 * keep the column across soft-wrapped rows and short lines) and page;
 * deleting and the kills per line (C-k at a line's end joins the next);
 * rows wrap by columns (a wide character is never split); UTF-8 is never
 * cut. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <cmocka.h>

#include "ticketed/textarea.h"

static void type(textarea *t, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		uint32_t cp = *p;
		int n = 1;
		if (*p >= 0xf0) cp = *p & 0x07, n = 4;
		else if (*p >= 0xe0) cp = *p & 0x0f, n = 3;
		else if (*p >= 0xc0) cp = *p & 0x1f, n = 2;
		for (int k = 1; k < n; k++)
			cp = (cp << 6) | (p[k] & 0x3f);
		ta_insert(t, cp);
		p += n;
	}
}

static void at(const textarea *t, int width, size_t row, int col)
{
	size_t r;
	int c;
	ta_cursor(t, width, &r, &c);
	if (r != row || c != col)
		fail_msg("cursor at %zu,%d, wanted %zu,%d (text \"%s\", byte %zu)", r, c, row, col, t->buf, t->cur);
}

static void test_typing_and_lines(void **state)
{
	(void)state;
	textarea t;
	ta_init(&t, NULL);
	type(&t, "first line\nsecond");
	assert_string_equal(ta_text(&t), "first line\nsecond");
	at(&t, 40, 1, 6);
	ta_apply(&t, TA_HOME, 40, 10);
	at(&t, 40, 1, 0);
	ta_apply(&t, TA_UP, 40, 10);
	at(&t, 40, 0, 0);
	ta_apply(&t, TA_END, 40, 10);
	at(&t, 40, 0, 10);
	ta_apply(&t, TA_DOWN, 40, 10);  /* the column is kept, cut to the shorter line */
	at(&t, 40, 1, 6);
	ta_apply(&t, TA_UP, 40, 10);
	at(&t, 40, 0, 10);
	ta_apply(&t, TA_RIGHT, 40, 10);  /* over the newline */
	at(&t, 40, 1, 0);
	ta_apply(&t, TA_LEFT, 40, 10);
	at(&t, 40, 0, 10);
	ta_apply(&t, TA_DELETE, 40, 10);  /* joins the lines */
	assert_string_equal(ta_text(&t), "first linesecond");
	ta_apply(&t, TA_BACKSPACE, 40, 10);
	assert_string_equal(ta_text(&t), "first linsecond");
	ta_free(&t);
}

static void test_kills(void **state)
{
	(void)state;
	textarea t;
	ta_init(&t, "one two three\nfour five");
	ta_apply(&t, TA_KILL_WORD, 40, 10);
	assert_string_equal(ta_text(&t), "one two three\nfour ");
	ta_apply(&t, TA_KILL_START, 40, 10);  /* this line only */
	assert_string_equal(ta_text(&t), "one two three\n");
	ta_apply(&t, TA_UP, 40, 10);
	ta_apply(&t, TA_HOME, 40, 10);
	ta_apply(&t, TA_RIGHT, 40, 10);
	ta_apply(&t, TA_RIGHT, 40, 10);
	ta_apply(&t, TA_RIGHT, 40, 10);
	ta_apply(&t, TA_KILL_END, 40, 10);
	assert_string_equal(ta_text(&t), "one\n");
	ta_apply(&t, TA_KILL_END, 40, 10);  /* at the end of a line: joins the next */
	assert_string_equal(ta_text(&t), "one");
	ta_free(&t);
}

static void test_wrapping_and_wide(void **state)
{
	(void)state;
	textarea t;
	ta_init(&t, NULL);
	type(&t, "abcdefghijklmnop");  /* 16 columns in rows of 10 */
	assert_int_equal(ta_rows(&t, 10), 2);
	at(&t, 10, 1, 6);
	ta_apply(&t, TA_UP, 10, 5);
	at(&t, 10, 0, 6);
	ta_apply(&t, TA_END, 10, 5);  /* the end of the line, on the second row */
	at(&t, 10, 1, 6);
	ta_free(&t);
	ta_init(&t, NULL);
	type(&t, "\u4e2d\u6587\u4e2d\u6587\u4e2d");  /* 5 wide characters, 10 columns */
	assert_int_equal(ta_rows(&t, 9), 2);  /* the 5th does not fit in 9: next row */
	at(&t, 9, 1, 2);
	ta_apply(&t, TA_LEFT, 9, 5);
	assert_int_equal(t.cur, 12);  /* whole characters */
	ta_apply(&t, TA_BACKSPACE, 9, 5);
	assert_string_equal(ta_text(&t), "\u4e2d\u6587\u4e2d\u4e2d");
	ta_free(&t);
}

static void test_pages(void **state)
{
	(void)state;
	textarea t;
	ta_init(&t, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10");
	at(&t, 20, 9, 2);
	ta_apply(&t, TA_PAGE_UP, 20, 4);
	at(&t, 20, 5, 1);
	ta_apply(&t, TA_PAGE_UP, 20, 4);
	ta_apply(&t, TA_PAGE_UP, 20, 4);
	at(&t, 20, 0, 1);
	ta_apply(&t, TA_PAGE_DOWN, 20, 100);
	at(&t, 20, 9, 2);  /* the column remembered from where the moves began */
	ta_free(&t);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typing_and_lines),
		cmocka_unit_test(test_kills),
		cmocka_unit_test(test_wrapping_and_wide),
		cmocka_unit_test(test_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
