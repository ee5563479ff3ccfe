/* prompt_screen.c — a one-line prompt on the status line (a PersonId to
 * add, a new custom field's key, its value): the hint above it, Enter asks
 * the opener's commit function, which keeps the prompt open (text kept,
 * cursor at the problem) or closes it; Esc cancels. */
#include <stdio.h>
#include <stdlib.h>
#include <curses.h>
#include "ticketed/display.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/xalloc.h"

typedef struct {
	lineedit le;
	char *label;
	prompt_commit commit;
	void *ctx;
	void (*ctx_free)(void *);
} prompt_state;

static void prompt_free(void *p)
{
	prompt_state *s = p;
	le_free(&s->le);
	free(s->label);
	if (s->ctx_free)
		s->ctx_free(s->ctx);
	free(s);
}

static void prompt_draw(app *a, void *p)
{
	prompt_state *s = p;
	int y = LINES - 2, lw = text_width(s->label);
	if (app_status_text(a)[0]) {  /* the hint above the prompt line, wrapped (two lines at most) */
		char **l;
		size_t n = text_wrap(app_status_text(a), COLS, &l), shown = n > 2 ? 2 : n, k = 0;
		for (int row = y - (int)shown; k < shown; k++, row++) {
			ui_fill(row, 0, COLS, ui_attr[ROLE_STATUS]);
			move(row, 0);
			text_draw(stdscr, l[k], COLS, true,
			          app_status_role(a) == ROLE_ERROR ? ui_attr[ROLE_ERROR] : ui_attr[ROLE_STATUS],
			          ui_attr[ROLE_STATUS] | ui_attr[ROLE_CONTROL_CHAR]);
		}
		text_lines_free(l, n);
	}
	if (lw > COLS / 2)
		lw = COLS / 2;
	ui_fill(y, 0, COLS, ui_attr[ROLE_STATUS]);
	move(y, 0);
	text_draw(stdscr, s->label, lw, true, ui_attr[ROLE_STATUS] | A_BOLD, ui_attr[ROLE_CONTROL_CHAR]);
	ui_cursor(true);
	le_draw(&s->le, stdscr, y, lw, COLS - lw - 1, ui_attr[ROLE_STATUS], ui_attr[ROLE_STATUS] | ui_attr[ROLE_CONTROL_CHAR]);
}

static reaction prompt_key(app *a, void *p, action_id act, tkey k)
{
	prompt_state *s = p;
	if (act == ACT_COMMIT) {
		size_t pos = (size_t)-1;
		reaction r = s->commit(a, s->ctx, le_text(&s->le), &pos);
		if (!(r.flags & RX_POP) && pos != (size_t)-1) {
			le_apply(&s->le, LE_HOME);
			while (s->le.cur < pos && s->le.cur < s->le.len)
				le_apply(&s->le, LE_RIGHT);
		}
		return r;
	}
	if (act == ACT_CANCEL) {
		app_status(a, ROLE_STATUS, "Cancelled");
		return rx(RX_POP | RX_REDRAW);
	}
	return lineedit_key(&s->le, act, k);
}

static const screen_ops prompt_screen = {
	.name = "prompt", .sc = SC_EDIT, .modal = true, .draw = prompt_draw, .key = prompt_key, .free = prompt_free,
};

reaction prompt_screen_open(app *a, const char *label, const char *hint, prompt_commit commit,
                            void *ctx, void (*ctx_free)(void *))
{
	prompt_state *s = xcalloc(1, sizeof *s);
	le_init(&s->le, NULL);
	s->label = xstrdup(label);
	s->commit = commit;
	s->ctx = ctx;
	s->ctx_free = ctx_free;
	app_status(a, ROLE_STATUS, "%s", hint);
	return rx_push(&prompt_screen, s);
}
