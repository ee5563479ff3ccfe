/* test_ui_bodyview.c — a body laid out for the screen: wrapped at the last
 * blank that fits, list items' later rows under their text, a wide
 * character or escape never split, quotes collapsed after 3 rows with a
 * "more" row (all rows when expanded), a resize re-wraps, escapes shown in
 * their visible form. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <cmocka.h>

#include "ticketed/bodyview.h"

/* The rows of TEXT at WIDTH, one per line. */
static char *rows(const char *text, bool html, int width, bool expanded)
{
	bodyview b;
	assert_int_equal(bodyview_init(&b, text, strlen(text), html), 0);
	assert_int_equal(bodyview_layout(&b, width, expanded), 0);
	size_t cap = 4096, n = 0;
	char *out = malloc(cap);
	out[0] = '\0';
	for (size_t r = 0; r < b.nrows; r++) {
		char *t = bodyview_row_text(&b, r);
		while (n + strlen(t) + 2 >= cap)
			out = realloc(out, cap *= 2);
		n += (size_t)sprintf(out + n, "%s\n", t);
		free(t);
	}
	bodyview_free(&b);
	return out;
}

static void is(const char *text, bool html, int width, bool expanded, const char *want)
{
	char *got = rows(text, html, width, expanded);
	if (strcmp(got, want))
		fail_msg("width %d:\n--- want ---\n%s--- got ---\n%s", width, want, got);
	free(got);
}

static void test_wrap(void **state)
{
	(void)state;
	is("the quick brown fox jumps over the lazy dog", false, 15, false,
	   "the quick brown\nfox jumps over\nthe lazy dog\n");
	is("the quick brown fox jumps over the lazy dog", false, 80, false,
	   "the quick brown fox jumps over the lazy dog\n");
	is("abcdefghijklmnopqrstuvwxyz", false, 10, false, "abcdefghij\nklmnopqrst\nuvwxyz\n");
	/* wide characters: 2 columns each, never split */
	is("\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587", false, 11, false, "\u4e2d\u6587\u4e2d\u6587\u4e2d\n\u6587\n");
	/* an escape is one unit */
	is("abcdefghi\x1b[2J", false, 10, false, "abcdefghi\n^[[2J\n");
}

static void test_lists_and_quotes(void **state)
{
	(void)state;
	is("<ul><li>one two three four five six</li></ul>", true, 16, false,
	   "  \u2022 one two\n    three four\n    five six\n");
	is("<p>a</p><blockquote>q1<br>q2<br>q3<br>q4<br>q5<br>q6</blockquote><p>b</p>", true, 40, false,
	   "a\n\n\u2502 q1\n\u2502 q2\n\u2502 q3\n\u2502 \u2026 3 more quoted lines (t shows them)\n\nb\n");
	is("<p>a</p><blockquote>q1<br>q2<br>q3<br>q4<br>q5<br>q6</blockquote><p>b</p>", true, 40, true,
	   "a\n\n\u2502 q1\n\u2502 q2\n\u2502 q3\n\u2502 q4\n\u2502 q5\n\u2502 q6\n\nb\n");
	/* four rows are shown whole: a "more" row would hide only one */
	is("> 1\n> 2\n> 3\n> 4", false, 40, false, "\u2502 1\n\u2502 2\n\u2502 3\n\u2502 4\n");
	is(">> deep", false, 40, false, "\u2502 \u2502 deep\n");
}

static void test_resize(void **state)
{
	(void)state;
	const char *t = "<p>one two three four five six seven eight nine ten</p>";
	bodyview b;
	assert_int_equal(bodyview_init(&b, t, strlen(t), true), 0);
	assert_int_equal(bodyview_layout(&b, 80, false), 0);
	assert_int_equal(b.nrows, 1);
	assert_int_equal(bodyview_layout(&b, 20, false), 0);
	assert_int_equal(b.nrows, 3);
	assert_int_equal(bodyview_layout(&b, 3, false), 0);  /* below the minimum: laid out at BV_MIN_WIDTH */
	assert_int_equal(b.width, BV_MIN_WIDTH);
	bodyview_free(&b);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_lists_and_quotes),
		cmocka_unit_test(test_resize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
