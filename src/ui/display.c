/* display.c — terminal or headless screen, roles, keys, screen dumps. */
#include <errno.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <curses.h>
#include "ticketed/xalloc.h"
#include "ticketed/errmsg.h"
#include "ticketed/display.h"
#include "ticketed/text.h"

attr_t ui_attr[ROLE_COUNT];

static SCREEN *ui_scr;
static FILE *ui_out, *ui_in;
static bool ui_open_flag, ui_head;
static int ui_cursor_state = -1, ui_cursor_want;

static void ui_modes(void)
{
	raw();          /* C-s, C-r reach us; signals come from kill(1) */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	leaveok(stdscr, FALSE);
	set_escdelay(25);
}

static void ui_colors(const theme *t, bool color)
{
	theme mono;
	bool ok = false;
	if (!t) {
		theme_mono(&mono);
		t = &mono;
	}
	if (color && has_colors() && start_color() == OK) {
		use_default_colors();
		ok = true;
	}
	theme_apply(t, ok, ui_attr);
}

int ui_open(bool headless, int cols, int rows, const theme *t, bool color, char *err, size_t errlen)
{
	const char *term = getenv("TERM");
	if (!term || !*term)
		term = headless ? "xterm" : NULL;
	ui_head = headless;
	if (headless) {
		ui_out = fopen("/dev/null", "w");
		ui_in = fopen("/dev/null", "r");
		if (!ui_out || !ui_in) {
			seterr(err, errlen, "/dev/null: %s", strerror(errno));
			return -1;
		}
		ui_scr = newterm(term, ui_out, ui_in);
	} else {
		ui_scr = newterm(term, stdout, stdin);
	}
	if (!ui_scr) {
		seterr(err, errlen, "cannot open the terminal (TERM=%s)", term ? term : "");
		return -1;
	}
	set_term(ui_scr);
	ui_open_flag = true;
	ui_cursor_state = -1;
	ui_cursor_want = 0;
	ui_modes();
	if (headless) {
		resizeterm(rows, cols);
		color = false;  /* headless renders the theme's attributes only */
	}
	ui_colors(t, color);
	return 0;
}

void ui_close(void)
{
	if (!ui_open_flag)
		return;
	ui_open_flag = false;
	endwin();
	delscreen(ui_scr);
	ui_scr = NULL;
	if (ui_out)
		fclose(ui_out);
	if (ui_in)
		fclose(ui_in);
	ui_out = ui_in = NULL;
}

void ui_suspend(void)
{
	struct sigaction dfl, old;
	sigset_t set, oldset;
	if (!ui_open_flag || ui_head)
		return;
	def_prog_mode();
	endwin();
	fflush(stdout);
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &old);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &set, &oldset);
	raise(SIGTSTP);  /* stopped here until fg (SIGCONT) */
	sigprocmask(SIG_SETMASK, &oldset, NULL);
	sigaction(SIGTSTP, &old, NULL);
	reset_prog_mode();
	ui_modes();
	clearok(curscr, TRUE);
}

bool ui_is_open(void) { return ui_open_flag; }
bool ui_headless(void) { return ui_head; }
int ui_input_fd(void) { return ui_head ? -1 : fileno(stdin); }

void ui_resize(int cols, int rows)
{
	if (ui_head)
		resizeterm(rows, cols);
}

tkey ui_getkey(void)
{
	wint_t ch;
	int r = wget_wch(stdscr, &ch);
	return r == ERR ? TK_NONE : key_from_curses(r, (unsigned int)ch);
}

bool ui_big_enough(void)
{
	return COLS >= UI_MIN_COLS && LINES >= UI_MIN_ROWS;
}

/* Blanks are erased, not written: ncurses sends erase-to-end-of-line (or
 * erase-characters) for a run of blanks whose attributes allow it, that is
 * no reverse, underline or standout (colours only with back_color_erase).
 * A fill to the right edge clears the rest of the row with the background
 * set to ATTR, which is what the terminal's erase leaves there too. */
void ui_fill(int y, int x, int w, attr_t attr)
{
	if (w <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	if (x + w >= COLS) {
		chtype bg = getbkgd(stdscr);
		wbkgdset(stdscr, ' ' | attr);
		wmove(stdscr, y, x);
		wclrtoeol(stdscr);
		wbkgdset(stdscr, bg);
		return;
	}
	attrset(attr);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

attr_t ui_over(attr_t under, attr_t over)
{
	attr_t color = (over & A_COLOR) ? (over & A_COLOR) : (under & A_COLOR);
	return ((under | over) & ~A_COLOR) | color;
}

void ui_puts(int y, int x, const char *s, int maxcols, attr_t attr)
{
	if (maxcols <= 0)
		return;
	move(y, x);
	text_draw(stdscr, s, maxcols, false, attr, ui_over(attr, ui_attr[ROLE_CONTROL_CHAR]));
}

/* Box-drawing pieces: Unicode in a UTF-8 locale (so dumps read back the
 * same characters), ASCII otherwise. */
static const char *box_piece(int i)
{
	static const char *const uni[] = { "\u250c", "\u2500", "\u2510", "\u2502", "\u2514", "\u2518" };
	static const char *const asc[] = { "+", "-", "+", "|", "+", "+" };
	return MB_CUR_MAX > 1 ? uni[i] : asc[i];
}

static void box_hline(int y, int x, int w, const char *l, const char *r, attr_t attr)
{
	int i;
	attrset(attr);
	mvaddstr(y, x, l);
	for (i = 1; i < w - 1; i++)
		addstr(box_piece(1));
	addstr(r);
	attrset(A_NORMAL);
}

void ui_box(int y, int x, int h, int w, attr_t attr, const char *title)
{
	int i;
	if (h < 2 || w < 2)
		return;
	box_hline(y, x, w, box_piece(0), box_piece(2), attr);
	for (i = 1; i < h - 1; i++) {
		ui_fill(y + i, x, w, attr);
		attrset(attr);
		mvaddstr(y + i, x, box_piece(3));
		mvaddstr(y + i, x + w - 1, box_piece(3));
		attrset(A_NORMAL);
	}
	box_hline(y + h - 1, x, w, box_piece(4), box_piece(5), attr);
	if (title && w > 6) {
		int n;
		ui_puts(y, x + 2, " ", 1, attr | A_BOLD);
		move(y, x + 3);
		n = text_draw(stdscr, title, w - 6, true, attr | A_BOLD, ui_over(attr, ui_attr[ROLE_CONTROL_CHAR]));
		ui_puts(y, x + 3 + n, " ", 1, attr | A_BOLD);
	}
}

/* Append one row of the screen, as UTF-8, to BUF. */
static void dump_row(int y, char **buf, size_t *len, size_t *cap)
{
	wchar_t w[1024];
	char mb[MB_LEN_MAX];
	int n = mvinnwstr(y, 0, w, COLS < 1023 ? COLS : 1023);
	size_t end, i;
	if (n < 0)
		n = 0;
	w[n] = 0;
	end = (size_t)n;
	while (end > 0 && w[end - 1] == L' ')
		end--;
	for (i = 0; i <= end; i++) {
		mbstate_t st;
		size_t k;
		memset(&st, 0, sizeof st);
		if (i == end) {
			mb[0] = '\n';
			k = 1;
		} else {
			k = wcrtomb(mb, w[i], &st);
			if (k == (size_t)-1) {
				mb[0] = '?';
				k = 1;
			}
		}
		if (*len + k + 1 > *cap) {
			*cap = (*cap + k + 1) * 2;
			*buf = xrealloc(*buf, *cap);
		}
		memcpy(*buf + *len, mb, k);
		*len += k;
	}
}

char *ui_dump(void)
{
	size_t len = 0, cap = 256;
	char *buf = xmalloc(cap);
	int y, cy, cx;
	getyx(stdscr, cy, cx);
	for (y = 0; y < LINES; y++)
		dump_row(y, &buf, &len, &cap);
	buf[len] = 0;
	move(cy, cx);
	return buf;
}

void ui_cursor(bool visible) { ui_cursor_want = visible; }

/* curs_set writes its sequence even when nothing changes: only the last
 * wish of the frame counts, and only a change is sent. A cursor that is
 * hidden is left where the last write put it (leaveok: no move at the end
 * of each frame); one that shows is put at the window's cursor. It is
 * hidden before the frame is written and shown after, so it never shows
 * where it was. */
void ui_flush(bool full)
{
	bool show = ui_cursor_want;
	leaveok(stdscr, show ? FALSE : TRUE);
	if (!show && ui_cursor_state != 0) {
		ui_cursor_state = 0;
		curs_set(0);
	}
	if (full)
		clearok(curscr, TRUE);
	wnoutrefresh(stdscr);
	doupdate();
	if (show && ui_cursor_state != 1) {
		ui_cursor_state = 1;
		curs_set(1);
	}
}
