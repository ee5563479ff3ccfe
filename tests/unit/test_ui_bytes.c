/* test_ui_bytes.c — what the widgets cost on the wire: the bytes ncurses
 * writes for an xterm-256color screen (into a temporary file, counted after
 * each doupdate) when a line editor scrolls and when a pick list filters.
 * Byte counts are fixed for a terminal type and a size, so they are
 * asserted; a full rewrite of a field or a box would be caught. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <curses.h>

#include "ticketed/lineedit.h"
#include "ticketed/picklist.h"

typedef struct {
	SCREEN *scr;
	FILE *out, *in;
	long mark;
} wire;

static void wire_open(wire *w, int cols, int rows)
{
	w->out = tmpfile();
	w->in = fopen("/dev/null", "r");
	assert_non_null(w->out);
	assert_non_null(w->in);
	w->scr = newterm("xterm-256color", w->out, w->in);
	assert_non_null(w->scr);
	set_term(w->scr);
	resizeterm(rows, cols);
	w->mark = 0;
}

/* Write the frame; the bytes it took. */
static long wire_flush(wire *w)
{
	struct stat st;
	long n;
	wnoutrefresh(stdscr);
	doupdate();
	fflush(w->out);
	assert_int_equal(fstat(fileno(w->out), &st), 0);
	n = (long)st.st_size - w->mark;
	w->mark = (long)st.st_size;
	return n;
}

static void wire_close(wire *w)
{
	endwin();
	delscreen(w->scr);
	fclose(w->out);
	fclose(w->in);
}

/* Typing 4 field widths of text into an empty line editor WIDTH wide at
 * column X of a COLS-wide screen: a character costs a byte or two, except
 * the one in each half width where the view jumps (the field is written
 * again once, not on every character). */
static void type_past_width(int cols, int x, int width)
{
	wire w;
	lineedit le;
	int n = 4 * width, over = 0, jumps = 0, scroll = 0;
	long total = 0, most = 0;
	wire_open(&w, cols, 5);
	le_init(&le, NULL);
	le_draw(&le, stdscr, 2, x, width, A_NORMAL, A_BOLD);
	wire_flush(&w);
	for (int i = 0; i < n; i++) {
		long b;
		le_insert(&le, (uint32_t)('a' + i % 26));
		le_draw(&le, stdscr, 2, x, width, A_NORMAL, A_BOLD);
		b = wire_flush(&w);
		total += b;
		if (b > most)
			most = b;
		if (le.scroll != scroll)
			jumps++;
		scroll = le.scroll;
		if (b > 32)
			over++;
	}
	print_message("# %dx5, field %d wide: %d characters, %ld bytes, %d over 32 (the most %ld), %d jumps\n",
	              cols, width, n, total, over, most, jumps);
	/* the first jump at WIDTH characters, then one every WIDTH/2 */
	assert_true(jumps <= 1 + (n - width) / (width / 2));
	assert_true(over <= jumps);
	assert_true(total <= 4L * n);
	/* a jump writes the half field that is kept, not more */
	assert_true(most <= width / 2 + 32);
	le_free(&le);
	wire_close(&w);
}

static void test_lineedit_80(void **state)
{
	(void)state;
	type_past_width(80, 24, 55);  /* the form's value column at 80x24 */
}

static void test_lineedit_200(void **state)
{
	(void)state;
	type_past_width(200, 24, 175);
}

static void test_lineedit_home_end(void **state)
{
	wire w;
	lineedit le;
	char text[301];
	long home, end, left;
	(void)state;
	for (int i = 0; i < 300; i++)  /* no two views alike */
		text[i] = (char)('a' + (i * 7 + i / 26) % 26);
	text[300] = 0;
	wire_open(&w, 80, 5);
	le_init(&le, text);
	le_draw(&le, stdscr, 2, 24, 55, A_NORMAL, A_BOLD);
	wire_flush(&w);
	le_apply(&le, LE_HOME);
	le_draw(&le, stdscr, 2, 24, 55, A_NORMAL, A_BOLD);
	home = wire_flush(&w);
	assert_int_equal(le.scroll, 0);
	le_apply(&le, LE_END);
	le_draw(&le, stdscr, 2, 24, 55, A_NORMAL, A_BOLD);
	end = wire_flush(&w);
	assert_int_equal(le_cursor_col(&le) - le.scroll, 55 / 2);  /* the cursor lands in the middle */
	le_apply(&le, LE_LEFT);
	le_draw(&le, stdscr, 2, 24, 55, A_NORMAL, A_BOLD);
	left = wire_flush(&w);
	print_message("# Home %ld bytes, End %ld, Left %ld\n", home, end, left);
	assert_true(left <= 16);  /* a cursor movement, nothing redrawn */
	le_free(&le);
	wire_close(&w);
}

static const char *const OWNERS[] = {
	"Unassigned (0)", "Automatic (2147483647)", "Admin Adminson (1)", "Bjørn Ødegård (5)",
	"Åse Kværnø (6)", "Zoë Martin (7)", "Jürgen Groß (12)", "Mikkel Bøe (15) – deleted",
};
#define NOWNERS (sizeof OWNERS / sizeof OWNERS[0])

/* Where the box's top-left corner is (row * 1000 + column), or -1. */
static int box_corner(void)
{
	wchar_t row[256];
	for (int y = 0; y < LINES; y++) {
		int n = mvinnwstr(y, 0, row, COLS < 255 ? COLS : 255);
		for (int x = 0; x < n; x++)
			if (row[x] == L'\u250c')
				return y * 1000 + x;
	}
	return -1;
}

static void test_picklist_filter_in_place(void **state)
{
	wire w;
	picklist p;
	int corner;
	long b, most = 0;
	(void)state;
	wire_open(&w, 80, 24);
	pick_init(&p, "Owner", OWNERS, NOWNERS, NULL);
	pick_draw(&p, A_NORMAL, A_REVERSE, A_UNDERLINE);
	wire_flush(&w);
	corner = box_corner();
	assert_true(corner >= 0);
	for (const char *s = "bjorn"; *s; s++) {
		pick_type(&p, (uint32_t)*s);
		pick_draw(&p, A_NORMAL, A_REVERSE, A_UNDERLINE);
		b = wire_flush(&w);
		if (b > most)
			most = b;
		assert_int_equal(box_corner(), corner);  /* the box stays */
	}
	assert_int_equal(p.nshown, 1);
	print_message("# pick list filter: the most for a character %ld bytes\n", most);
	assert_true(most <= 200);  /* the rows that changed, not the box */
	for (int i = 0; i < 5; i++)
		pick_backspace(&p);
	pick_draw(&p, A_NORMAL, A_REVERSE, A_UNDERLINE);
	wire_flush(&w);
	assert_int_equal(box_corner(), corner);
	pick_free(&p);
	wire_close(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lineedit_80),
		cmocka_unit_test(test_lineedit_200),
		cmocka_unit_test(test_lineedit_home_end),
		cmocka_unit_test(test_picklist_filter_in_place),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
