/* test_ui_text.c — sanitising untrusted text, widths, cutting, drawing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <cmocka.h>

#include "ticketed/text.h"

static void san_is(const char *s, int maxcols, const char *want)
{
	char *got = text_sanitize(s, maxcols);

	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("sanitize(\"%s\", %d) = \"%s\", want \"%s\"", s, maxcols, got, want);
	free(got);
}

static void test_c0_del(void **state)
{
	(void)state;
	san_is("plain text", -1, "plain text");
	san_is("a\x1b[31mred\x1b[0m", -1, "a^[[31mred^[[0m");
	san_is("l1\nl2\r\n\tx", -1, "l1\\nl2\\r\\n\\tx");
	san_is("\x01\x07\x08\x1f", -1, "^A^G^H^_");
	san_is("x\x7fy", -1, "x^?y");
	san_is("\x1b]0;title\x07", -1, "^[]0;title^G");
}

static void test_nul_inside(void **state)
{
	text_cell *c;
	size_t n;

	(void)state;
	n = text_cells("a\0b", 3, &c);
	assert_int_equal(n, 4);
	assert_int_equal(c[1].ch, '^');
	assert_int_equal(c[2].ch, '@');
	assert_true(c[1].ctl && c[2].ctl);
	free(c);
}

static void test_c1_invalid(void **state)
{
	(void)state;
	san_is("\xc2\x85\xc2\x9b", -1, "\\x85\\x9B");           /* NEL, CSI as code points */
	san_is("a\xff" "b", -1, "a\\xFFb");
	san_is("\xe4\xb8", -1, "\\xE4\\xB8");                   /* truncated */
	san_is("\xc0\xaf", -1, "\\xC0\\xAF");                   /* overlong '/' */
	san_is("\xed\xa0\x80", -1, "\\xED\\xA0\\x80");          /* surrogate */
	san_is("\xf4\x90\x80\x80", -1, "\\xF4\\x90\\x80\\x80"); /* > U+10FFFF */
	san_is("\x9b" "31m", -1, "\\x9B31m");                   /* raw C1 byte */
}

static void test_bidi_zero_width(void **state)
{
	(void)state;
	san_is("abc\xe2\x80\xae" "def", -1, "abc<U+202E>def");   /* RLO */
	san_is("\xe2\x80\x8e\xe2\x80\x8f", -1, "<U+200E><U+200F>");
	san_is("\xe2\x81\xa6x\xe2\x81\xa9", -1, "<U+2066>x<U+2069>");
	san_is("\xef\xbb\xbfhi", -1, "<U+FEFF>hi");              /* BOM */
	san_is("a\xe2\x80\x8b" "b", -1, "a<U+200B>b");            /* zero-width space */
	san_is("e\xcc\x81", -1, "e<U+0301>");                    /* combining acute */
	san_is("\xf3\xa0\x80\x81", -1, "<U+E0001>");             /* language tag */
}

static void test_printable_kept(void **state)
{
	(void)state;
	san_is("Caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80 \xe2\x80\x94", -1,
	       "Caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80 \xe2\x80\x94");
	san_is("", -1, "");
	san_is(NULL, -1, "");
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("\xe4\xb8\xad\xe6\x96\x87"), 4);   /* CJK = 2 each */
	assert_int_equal(text_width("\xc3\xa9"), 1);
	assert_int_equal(text_width("a\x1b"), 3);
	assert_int_equal(text_width("\xe2\x80\xae"), 8);
	assert_int_equal(text_width("\xff"), 4);
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width(NULL), 0);
	/* one character at a time, without allocating: the sum is text_width */
	const char *mix = "a\xe4\xb8\xad\x1b\n\xc2\x9b\xe2\x80\xae\xff\xc3\xa9\xf0\x9f\x98\x80\xcc\x81\x7f";
	size_t len = strlen(mix), i = 0, next;
	int sum = 0, n = 0;
	while (i < len) {
		sum += text_char_width(mix, len, i, &next);
		assert_true(next > i);
		i = next;
		n++;
	}
	assert_int_equal(sum, text_width(mix));
	assert_int_equal(n, 11);
}

static void test_cut(void **state)
{
	(void)state;
	san_is("\xe4\xb8\xad\xe6\x96\x87", 3, "\xe4\xb8\xad");  /* never half a CJK char */
	san_is("\xe4\xb8\xad\xe6\x96\x87", 4, "\xe4\xb8\xad\xe6\x96\x87");
	san_is("\xe4\xb8\xad", 1, "");
	san_is("ab\x1b", 3, "ab");                             /* never half an escape */
	san_is("ab\x1b", 4, "ab^[");
	san_is("a\xe2\x80\xae" "b", 8, "a");
	san_is("a\xe2\x80\xae" "b", 9, "a<U+202E>");
	san_is("Caf\xc3\xa9s", 4, "Caf\xc3\xa9");
	san_is("abc", 0, "");
}

static void test_cells(void **state)
{
	text_cell *c;
	size_t n;

	(void)state;
	n = text_cells("\xe4\xb8\xad\x1b" "x", 5, &c);
	assert_int_equal(n, 4);
	assert_int_equal(c[0].ch, 0x4e2d);
	assert_int_equal(c[0].width, 2);
	assert_false(c[0].ctl);
	assert_int_equal(c[0].span, 1);
	assert_int_equal(c[1].ch, '^');
	assert_true(c[1].ctl);
	assert_int_equal(c[1].span, 2);
	assert_int_equal(c[2].ch, '[');
	assert_int_equal(c[2].span, 0);
	assert_int_equal(c[3].ch, 'x');
	assert_false(c[3].ctl);
	free(c);
	n = text_cells("", 0, &c);
	assert_int_equal(n, 0);
	free(c);
}

static void test_utf8_steps(void **state)
{
	const char *s = "a\xe4\xb8\xad\xff" "b\xf0\x9f\x98\x80";
	size_t len = strlen(s);

	(void)state;
	assert_int_equal(utf8_next(s, len, 0), 1);
	assert_int_equal(utf8_next(s, len, 1), 4);
	assert_int_equal(utf8_next(s, len, 4), 5);   /* bad byte: one step */
	assert_int_equal(utf8_next(s, len, 5), 6);
	assert_int_equal(utf8_next(s, len, 6), 10);
	assert_int_equal(utf8_next(s, len, 10), 10);
	assert_int_equal(utf8_prev(s, 10), 6);
	assert_int_equal(utf8_prev(s, 6), 5);
	assert_int_equal(utf8_prev(s, 5), 4);
	assert_int_equal(utf8_prev(s, 4), 1);
	assert_int_equal(utf8_prev(s, 1), 0);
	assert_int_equal(utf8_prev(s, 0), 0);
	assert_int_equal(utf8_prev("\x80\x80\x80\x80\x80", 5), 4);
	assert_true(utf8_valid(s, 4));
	assert_false(utf8_valid(s, len));
	assert_false(utf8_valid(s, 3));
	assert_true(utf8_valid("", 0));
	assert_false(utf8_valid("\xc1\xbf", 2));
}

/* Headless curses on /dev/null for text_draw. */
static SCREEN *scr;
static FILE *out_fp, *in_fp;

static int curses_up(void **state)
{
	(void)state;
	out_fp = fopen("/dev/null", "w");
	in_fp = fopen("/dev/null", "r");
	scr = newterm("xterm-256color", out_fp, in_fp);
	if (!scr)
		scr = newterm("vt100", out_fp, in_fp);
	return scr ? 0 : -1;
}

static int curses_down(void **state)
{
	(void)state;
	endwin();
	delscreen(scr);
	fclose(out_fp);
	fclose(in_fp);
	return 0;
}

/* Row Y of WIN from column 0 as UTF-8, plus each cell's attr in ATTRS. */
static void row_text(WINDOW *win, int y, int ncols, char *buf, attr_t *attrs)
{
	size_t o = 0;

	for (int x = 0; x < ncols; x++) {
		cchar_t cc;
		wchar_t wc[CCHARW_MAX + 1];
		attr_t a;
		short pair;
		char mb[8];
		int l;

		mvwin_wch(win, y, x, &cc);
		getcchar(&cc, wc, &a, &pair, NULL);
		if (attrs)
			attrs[x] = a;
		if (wc[0] == 0)
			continue;
		if (wcwidth(wc[0]) == 2) {  /* its right half reads back the same */
			if (attrs && x + 1 < ncols)
				attrs[x + 1] = a;
			x++;
		}
		l = (int)wcrtomb(mb, wc[0], NULL);
		if (l > 0) {
			memcpy(buf + o, mb, (size_t)l);
			o += (size_t)l;
		}
	}
	buf[o] = '\0';
}

static void draw_is(const char *s, int maxcols, bool ell, const char *want, int want_cols)
{
	WINDOW *w = newwin(1, 20, 0, 0);
	char buf[128];
	int cols;

	werase(w);
	wmove(w, 0, 0);
	cols = text_draw(w, s, maxcols, ell, A_NORMAL, A_REVERSE);
	row_text(w, 0, 20, buf, NULL);
	/* strip the trailing blanks of the window */
	for (size_t n = strlen(buf); n > 0 && buf[n - 1] == ' '; n--)
		buf[n - 1] = '\0';
	if (strcmp(buf, want) != 0 || cols != want_cols)
		fail_msg("draw(\"%s\", %d, %d) = \"%s\" (%d cols), want \"%s\" (%d)", s, maxcols, ell,
		         buf, cols, want, want_cols);
	delwin(w);
}

static void test_draw(void **state)
{
	(void)state;
	draw_is("hello", 10, true, "hello", 5);
	draw_is("hello world", 5, false, "hello", 5);
	draw_is("hello world", 5, true, "hell\xe2\x80\xa6", 5);
	/* 中文中文: 4 columns fit before the ellipsis */
	draw_is("\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87", 5, true,
	        "\xe4\xb8\xad\xe6\x96\x87\xe2\x80\xa6", 5);
	/* a wide char that would straddle the ellipsis column: a blank instead */
	draw_is("\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87", 4, true,
	        "\xe4\xb8\xad \xe2\x80\xa6", 4);
	draw_is("\xe4\xb8\xad\xe6\x96\x87", 3, false, "\xe4\xb8\xad", 2);
	draw_is("\xe4\xb8\xad\xe6\x96\x87", 4, true, "\xe4\xb8\xad\xe6\x96\x87", 4);
	draw_is("abc", 1, true, "\xe2\x80\xa6", 1);
	draw_is("abc", 0, true, "", 0);
	draw_is("a\x1b[2J", 10, false, "a^[[2J", 6);
	/* clipped to the window: 20 columns */
	draw_is("0123456789012345678901234", 100, false, "01234567890123456789", 20);
}

static void test_draw_attrs(void **state)
{
	WINDOW *w = newwin(1, 20, 0, 0);
	attr_t attrs[20];
	char buf[128];

	(void)state;
	wmove(w, 0, 0);
	assert_int_equal(text_draw(w, "a\tb", 20, false, A_BOLD, A_REVERSE), 4);
	row_text(w, 0, 20, buf, attrs);
	assert_true(attrs[0] & A_BOLD);
	assert_false(attrs[0] & A_REVERSE);
	assert_true(attrs[1] & A_REVERSE);
	assert_true(attrs[2] & A_REVERSE);
	assert_true(attrs[3] & A_BOLD);
	delwin(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c0_del),
		cmocka_unit_test(test_nul_inside),
		cmocka_unit_test(test_c1_invalid),
		cmocka_unit_test(test_bidi_zero_width),
		cmocka_unit_test(test_printable_kept),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_utf8_steps),
		cmocka_unit_test_setup_teardown(test_draw, curses_up, curses_down),
		cmocka_unit_test_setup_teardown(test_draw_attrs, curses_up, curses_down),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
