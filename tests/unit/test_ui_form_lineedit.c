/* test_ui_form_lineedit.c — the line editor widget: UTF-8 editing by
 * character, the kill keys, horizontal scrolling by columns (headless). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "ticketed/lineedit.h"

static void test_utf8_editing(void **state)
{
	lineedit le;
	(void)state;
	le_init(&le, "Zoë");
	assert_int_equal(le_cursor_col(&le), 3);
	le_apply(&le, LE_BACKSPACE);             /* removes 'ë' (2 bytes) whole */
	assert_string_equal(le_text(&le), "Zo");
	le_insert(&le, 0x00EB);
	le_insert(&le, 0x6253);                  /* 打: 2 columns */
	assert_string_equal(le_text(&le), "Zoë打");
	assert_int_equal(le_cursor_col(&le), 5);
	le_apply(&le, LE_LEFT);
	assert_int_equal(le_cursor_col(&le), 3);
	le_apply(&le, LE_DELETE);
	assert_string_equal(le_text(&le), "Zoë");
	le_apply(&le, LE_HOME);
	le_apply(&le, LE_RIGHT);
	le_insert(&le, 'X');
	assert_string_equal(le_text(&le), "ZXoë");
	le_insert(&le, 0x1b);                    /* control characters are not inserted */
	le_insert(&le, 0x9b);
	assert_string_equal(le_text(&le), "ZXoë");
	le_free(&le);
}

static void test_kill_keys(void **state)
{
	lineedit le;
	(void)state;
	le_init(&le, "printer on fire");
	le_apply(&le, LE_KILL_WORD);
	assert_string_equal(le_text(&le), "printer on ");
	le_apply(&le, LE_KILL_WORD);
	assert_string_equal(le_text(&le), "printer ");
	le_apply(&le, LE_LEFT);
	le_apply(&le, LE_LEFT);
	le_apply(&le, LE_KILL_END);
	assert_string_equal(le_text(&le), "printe");
	le_apply(&le, LE_LEFT);
	le_apply(&le, LE_KILL_START);
	assert_string_equal(le_text(&le), "e");
	assert_int_equal(le.cur, 0);
	le_apply(&le, LE_BACKSPACE);             /* nothing before the cursor */
	assert_string_equal(le_text(&le), "e");
	le_apply(&le, LE_END);
	le_apply(&le, LE_DELETE);                /* nothing after it */
	assert_string_equal(le_text(&le), "e");
	le_free(&le);
}

static void test_scrolling(void **state)
{
	lineedit le;
	SCREEN *s;
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	wchar_t w[64];
	int y, x;
	(void)state;
	s = newterm("xterm", out, in);
	assert_non_null(s);
	resizeterm(5, 20);
	le_init(&le, "打印机无法连接网络");  /* 9 wide characters = 18 columns */
	le_draw(&le, stdscr, 0, 0, 10, A_NORMAL, A_BOLD);
	getyx(stdscr, y, x);
	assert_int_equal(y, 0);
	assert_true(x <= 9);                     /* the cursor shows */
	assert_true(le.scroll > 0);
	mvinnwstr(0, 0, w, 10);
	assert_null(wcschr(w, L'打'));           /* scrolled past the start */
	assert_non_null(wcschr(w, L'络'));
	le_apply(&le, LE_HOME);
	le_draw(&le, stdscr, 0, 0, 10, A_NORMAL, A_BOLD);
	assert_int_equal(le.scroll, 0);
	mvinnwstr(0, 0, w, 10);
	assert_true(w[0] == L'打');
	le_free(&le);
	endwin();
	delscreen(s);
	fclose(out);
	fclose(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_editing),
		cmocka_unit_test(test_kill_keys),
		cmocka_unit_test(test_scrolling),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
